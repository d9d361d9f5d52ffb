"""intake_tui benchmarks: prints a readable table and writes a JSON report.

    python benchmarks/run.py [--quick] [--only batch ...] [--json benchmarks/results/latest.json]

Every figure is measured in this run, next to its floor where there is one
(a minimal Textual app, a hand-coded plain-Python pre-check), so the ratios
hold on any machine. Nothing here is a test: the test suite has no
wall-clock assertions.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable


def timed_process(arguments: list[str], *, stdin_path: Path | None = None, env: dict[str, str] | None = None) -> tuple[float, int]:
    """Wall time (s) and peak memory (KiB) of one child process."""
    start = time.perf_counter()
    with open(stdin_path or os.devnull, "rb") as stdin:
        completed = subprocess.run(arguments, stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    elapsed = time.perf_counter() - start
    if completed.returncode not in (0,):
        raise RuntimeError(f"{arguments} failed: {completed.stderr.decode()[-500:]}")
    return elapsed, _peak_rss_of_last_child()


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _peak_rss_of_last_child() -> int:
    # ru_maxrss of RUSAGE_CHILDREN is the largest child so far; run the big one last.
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def median_time(arguments: list[str], repeat: int) -> float:
    return statistics.median(timed_process(arguments)[0] for _ in range(repeat))


# -- 1. start-up, in a terminal ------------------------------------------------------------
def bench_start(repeat: int) -> dict:
    """As a user sees it, in tmux, against a minimal Textual app (startup_tty.py)."""
    sys.path.insert(0, str(HERE))
    import startup_tty

    return startup_tty.measure(repeat, "liemers")


def bench_instructions() -> dict:
    """The same three start-ups counted in instructions until the first complete frame, against
    the same floor (startup_instructions.py, under valgrind): the same count every run. One run
    of each command (about 30 s in all on the 2-core vm); without valgrind or tmux, not measured."""
    sys.path.insert(0, str(HERE))
    import startup_instructions

    missing = startup_instructions.missing_tools()
    if missing:
        return {"skipped": missing}
    try:
        return startup_instructions.measure(1, "liemers")
    except startup_instructions.Unmeasured as problem:
        raise SystemExit(f"startup_instructions: {problem}") from None


# -- 2. answer latency ------------------------------------------------------------------
ROUNDS = 3  # full intakes per region: enough answers for a p95 that one slow disk sync does not make


def bench_answers() -> dict:
    from intake_tui.engine.intake import Intake
    from intake_tui.engine.store import Store
    from intake_tui.i18n import Language
    from intake_tui.rules.path_cases import path_cases
    from intake_tui.rules.regions import load_region, region_ids
    from intake_tui.tui.app import IntakeApp

    def typed(question, value) -> str:
        if question.type == "bool":
            return "ja" if value else "nee"
        if question.type == "choices":
            return ", ".join(value) if value else "geen"
        return str(value).replace(".", ",")

    from intake_tui.tui.intake_screen import IntakeScreen

    # Measured inside the app: from the answer's submission to the first screen
    # refresh after the next question is shown (Pilot's own idle-waiting, which
    # sleeps in 20 ms steps, is not counted).
    latencies: list[float] = []
    original_submit = IntakeScreen.submit

    def timed_submit(screen, text: str) -> None:
        start = time.perf_counter()
        original_submit(screen, text)
        done = screen.intake.session.done
        # After a question, the conversation screen repaints; after the last answer, the outcome screen.
        target = screen.app if done else screen
        target.call_after_refresh(lambda: latencies.append((done, time.perf_counter() - start)))

    async def one_region(region: str) -> list[float]:
        dialog = load_region(region)
        case = max((c for c in path_cases(dialog) if c.feasible), key=lambda c: len(c.answers))
        store = Store(tempfile.mkdtemp())
        intake = Intake.start(region, Language("nl"), store)
        app = IntakeApp(Language("nl"), store, intake=intake, cursor_blink=False)
        latencies.clear()
        async with app.run_test(size=(100, 32)) as pilot:
            await pilot.pause()
            for fact, value in case.answers.items():
                app.screen.query_one("#answer").value = typed(dialog.questions[fact], value)
                await pilot.press("enter")
                await pilot.pause()
        return list(latencies)

    IntakeScreen.submit = timed_submit
    result = {}
    for region in region_ids():
        measured = [entry for _ in range(ROUNDS) for entry in asyncio.run(one_region(region))]
        latencies = sorted(seconds for done, seconds in measured if not done)
        result[region] = {
            "answers": len(latencies),
            "p50_ms": 1000 * statistics.median(latencies),
            "p95_ms": 1000 * latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))],
            "outcome_screen_ms": 1000 * max((seconds for done, seconds in measured if done), default=0.0),
        }
    result["target_p95_ms_max"] = 16
    return result


# -- 3. batch throughput ------------------------------------------------------------------
def bench_batch(sizes: list[int], repeat: int) -> dict:
    """Ours and the floor on the same files of the five regions mixed, best of ``repeat`` runs each.

    The cases are drawn from every path case of every dialog, as asked or as a
    whole-form neighbour, with their numbers varied (``mixed_cases.py``). The floor writes the same output as
    ours (``--lang nl``, brief: line, version, path, assumed, the recommendation with its Dutch warnings), byte
    for byte, with the five regions' rules as plain if/else and one json.loads/json.dumps a line (``floor.py``,
    held equal to ours by tests/benchmarks/test_floor.py); it writes no summary to stderr.
    Two ratios: end to end (whole command, start-up included), and the rate of
    lines once started (time for N lines minus the time for an empty file, for
    each program): ours imports pydantic before the first line and loads each
    region's dialog at its first line, the floor only starts Python. Peak memory
    is ours, per size: flat as the lines grow."""
    sys.path.insert(0, str(HERE))
    import mixed_cases

    ours = [PYTHON, "-m", "intake_tui", "check", "--lang", "nl", "--batch"]
    floor = [PYTHON, str(HERE / "floor.py")]

    def best(arguments: list[str], stdin: Path | None = None) -> tuple[float, float]:
        """The shortest time and the least CPU time (user and system) of ``repeat`` runs: on a
        shared machine the CPU time varies far less with the load than the clock does."""
        times, cpus = [], []
        for _ in range(repeat):
            cpu = _children_cpu()
            times.append(timed_process(arguments, stdin_path=stdin)[0])
            cpus.append(_children_cpu() - cpu)
        return min(times), min(cpus)

    cases = mixed_cases.Cases(mixed_cases.path_case_bases(), random.Random(11))
    result: dict = {"path_cases": sum(map(len, cases.bases.values())), "regions": cases.regions,
                    "load_average_before": os.getloadavg()}
    with tempfile.TemporaryDirectory() as folder:
        empty = Path(folder) / "empty.jsonl"
        empty.write_text("")
        warm = Path(folder) / "warm.jsonl"
        mixed_cases.write_lines(warm, cases, 1_000)
        timed_process([*ours, str(warm)])  # the compiled dialogs in the cache, as after a first run
        (ours_empty, ours_empty_cpu), (floor_empty, floor_empty_cpu) = best([*ours, str(empty)]), best(floor, empty)
        result["start_empty_s"] = {"ours": ours_empty, "floor": floor_empty, "ours_cpu": ours_empty_cpu, "floor_cpu": floor_empty_cpu}
        for size in sizes:
            lines = Path(folder) / f"cases-{size}.jsonl"
            mixed_cases.write_lines(lines, cases, size)
            floor_s, floor_cpu = best(floor, lines)
            ours_s, ours_cpu = best([*ours, str(lines)])
            peak = _peak_child_rss([*ours, str(lines)])
            ours_rate = size / (ours_s - ours_empty)
            floor_rate = size / (floor_s - floor_empty)
            entry = result[str(size)] = {
                "lines": size, "ours_s": ours_s, "floor_s": floor_s, "ours_cpu_s": ours_cpu, "floor_cpu_s": floor_cpu,
                "ours_lines_per_s": size / ours_s, "floor_lines_per_s": size / floor_s,
                "end_to_end_vs_floor": floor_s / ours_s, "cpu_vs_floor": floor_cpu / ours_cpu,
                "ours_rate_once_started": ours_rate, "floor_rate_once_started": floor_rate,
                "throughput_vs_floor": ours_rate / floor_rate,
                "peak_rss_mib": peak / 1024,
            }
            if size == sizes[-1]:
                full_s, full_cpu = best([*ours, str(lines), "--detail", "full"])
                entry["ours_full_detail_s"] = full_s
                entry["full_detail_end_to_end_vs_floor"] = floor_s / full_s
    result["load_average_after"] = os.getloadavg()
    peaks = [result[str(size)]["peak_rss_mib"] for size in sizes]
    result["peak_rss_largest_vs_smallest"] = peaks[-1] / peaks[0]
    result["target_end_to_end_vs_floor_min"] = 0.5
    return result


def _peak_child_rss(arguments: list[str]) -> int:
    """Peak RSS (KiB) of one command, measured in a fresh helper so earlier children don't count."""
    probe = (
        "import resource, subprocess, sys\n"
        "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    output = subprocess.run([PYTHON, "-c", probe, *arguments], capture_output=True, text=True, check=True)
    return int(output.stdout.strip())


# -- 4. one check, and no Textual ---------------------------------------------------------
def bench_single_check(repeat: int) -> dict:
    scenario = HERE.parent.parent / "shared" / "scenarios" / "liemers-all-conditions-met.json"
    answers = scenario if scenario.exists() else None
    if answers is None:
        answers = Path(tempfile.mkstemp(suffix=".json")[1])
        answers.write_text(json.dumps({"region": "liemers", "answers": {"needs_exceed_basic": False}}))
    seconds = median_time([PYTHON, "-m", "intake_tui", "check", "--region", "liemers", "--answers", str(answers)], repeat)
    probe = subprocess.run(
        [PYTHON, "-c", "import sys; from intake_tui.cli.main import main; "
         f"main(['check','--region','liemers','--answers',{str(answers)!r}]); print('textual' in sys.modules, file=sys.stderr)"],
        capture_output=True, text=True,
    )
    python_only = median_time([PYTHON, "-c", "pass"], repeat)
    return {"ours_s": seconds, "bare_python_s": python_only, "textual_imported": probe.stderr.strip().endswith("True")}


# -- 5. load and lint scaling --------------------------------------------------------------
def generated_dialog(nodes: int) -> str:
    """A dialog of about ``nodes`` nodes: a chain of questions, each branching to an outcome."""
    questions = max(1, (nodes - 1) // 2)
    parts = [
        "[meta]\nregion = \"generated\"\nswv = \"Generated\"\ntitle = \"Generated\"\nseed = \"none\"\n"
        "ruleset_version = \"g\"\nvalid_from = 2025-01-01\nstart = \"q0\"\n"
    ]
    for index in range(questions):
        following = f"q{index + 1}" if index + 1 < questions else "done"
        parts.append(
            f"[questions.q{index}]\ntype = \"int\"\nprompt = \"Q{index}\"\ncite = \"g\"\nmin = 0\nmax = 100\n"
            f"[[questions.q{index}.next]]\nwhen = \"q{index} > 50 and q0 >= 0\"\ngoto = \"out{index}\"\n"
            f"[[questions.q{index}.next]]\ngoto = \"{following}\"\n"
            f"[outcomes.out{index}]\nroute = \"basis\"\ntitle = \"O{index}\"\ncite = \"g\"\n"
        )
    parts.append("[outcomes.done]\nroute = \"arrangement\"\ntitle = \"Done\"\ncite = \"g\"\n")
    return "\n".join(parts)


def bench_load(sizes: list[int], repeat: int) -> dict:
    from intake_tui.rules.loader import load_dialog
    from intake_tui.rules.regions import region_files

    result: dict = {"shipped": {}}
    for region, path in region_files().items():
        start = time.perf_counter()
        dialog = load_dialog(path)
        result["shipped"][region] = {"nodes": len(dialog.nodes), "load_and_lint_ms": 1000 * (time.perf_counter() - start)}
    scaling = {}
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            path = Path(folder) / f"g{size}.toml"
            path.write_text(generated_dialog(size))
            times = []
            for _ in range(repeat):
                start = time.perf_counter()
                dialog = load_dialog(path)
                times.append(time.perf_counter() - start)
            seconds = min(times)
            scaling[str(size)] = {"nodes": len(dialog.nodes), "load_and_lint_ms": 1000 * seconds,
                                  "us_per_node": 1e6 * seconds / len(dialog.nodes)}
    result["generated"] = scaling
    per_node = [entry["us_per_node"] for entry in scaling.values()]
    result["per_node_growth_largest_vs_smallest_100plus"] = (
        scaling[str(sizes[-1])]["us_per_node"] / scaling[str([s for s in sizes if s >= 100][0])]["us_per_node"]
    )
    result["note"] = "linear growth means the time per node stays flat as the dialog grows"
    del per_node
    return result


# -- report -----------------------------------------------------------------------------------
def table(report: dict) -> str:
    lines = [f"intake_tui benchmarks — {report['machine']}", ""]
    if "start" in report:
        sys.path.insert(0, str(HERE))
        import startup_tty

        lines.append(startup_tty.table(report["start"]))
    if "instructions" in report:
        sys.path.insert(0, str(HERE))
        import startup_instructions

        lines.append(startup_instructions.table(report["instructions"]))
    if "answers" in report:
        lines.append("Answer → next question rendered (Pilot):")
        for region, entry in report["answers"].items():
            if isinstance(entry, dict):
                lines.append(f"  {region:8} {entry['answers']:3} answers  p50 {entry['p50_ms']:6.2f} ms  p95 {entry['p95_ms']:6.2f} ms (target ≤ 16)"
                             f"  · last answer → outcome card {entry['outcome_screen_ms']:6.1f} ms")
    if "batch" in report:
        lines += batch_table(report["batch"])
    if "single" in report:
        single = report["single"]
        lines.append(f"One intake check: {single['ours_s']*1000:.0f} ms (bare python {single['bare_python_s']*1000:.0f} ms); "
                     f"Textual imported: {single['textual_imported']}")
    if "load" in report:
        lines.append("Dialog load + lint:")
        for region, entry in report["load"]["shipped"].items():
            lines.append(f"  {region:8} {entry['nodes']:5} nodes  {entry['load_and_lint_ms']:7.1f} ms")
        for size, entry in report["load"]["generated"].items():
            lines.append(f"  generated {entry['nodes']:6} nodes  {entry['load_and_lint_ms']:9.1f} ms  {entry['us_per_node']:6.1f} µs/node")
    return "\n".join(lines)


def batch_table(batch: dict) -> list[str]:
    start = batch["start_empty_s"]
    lines = [f"intake check --batch, the five regions mixed (a region at random, one of its path cases as asked or a neighbour "
             f"of it as a whole form, the numbers varied; {batch['path_cases']} path cases), "
             "against the plain-Python floor of the five regions, the same output byte for byte (benchmarks/floor.py); "
             f"an empty file: ours {start['ours']*1000:.0f} ms, floor {start['floor']*1000:.0f} ms:"]
    for entry in batch.values():
        if isinstance(entry, dict) and "lines" in entry:
            lines.append(f"  {entry['lines']:>7} lines  end to end: ours {entry['ours_s']:5.2f} s  floor {entry['floor_s']:5.2f} s  "
                         f"ratio {entry['end_to_end_vs_floor']:.2f} (target ≥ 0.5)  peak {entry['peak_rss_mib']:.0f} MiB")
            lines.append(f"  {'':>7}        CPU: ours {entry['ours_cpu_s']:5.2f} s  floor {entry['floor_cpu_s']:5.2f} s  "
                         f"ratio {entry['cpu_vs_floor']:.2f}")
            lines.append(f"  {'':>7}        once started: ours {entry['ours_rate_once_started']:8.0f}/s  "
                         f"floor {entry['floor_rate_once_started']:8.0f}/s  ratio {entry['throughput_vs_floor']:.2f}")
            if "full_detail_end_to_end_vs_floor" in entry:
                lines.append(f"  {'':>7}        --detail full: {entry['ours_full_detail_s']:.2f} s, "
                             f"ratio {entry['full_detail_end_to_end_vs_floor']:.2f}")
    lines.append(f"  peak memory, largest file / smallest: {batch['peak_rss_largest_vs_smallest']:.2f} (flat: about 1); "
                 f"load average {batch['load_average_before'][0]:.1f} before, {batch['load_average_after'][0]:.1f} after")
    return lines


PARTS = ("start", "instructions", "answers", "batch", "single", "load")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="smaller sizes and fewer repeats")
    parser.add_argument("--only", action="append", choices=PARTS,
                        help="measure only this part (repeat for several): " + ", ".join(PARTS))
    parser.add_argument("--json", default=str(HERE / "results" / "latest.json"))
    args = parser.parse_args()
    repeat = 3 if args.quick else 7
    parts = args.only or PARTS
    os.environ["INTAKE_CACHE"] = tempfile.mkdtemp()  # the compiled dialogs stay out of the user's cache
    measure = {
        "start": lambda: bench_start(repeat),
        "instructions": bench_instructions,
        "answers": bench_answers,
        "batch": lambda: bench_batch([2_000, 20_000] if args.quick else [10_000, 50_000, 200_000], 1 if args.quick else 3),
        "single": lambda: bench_single_check(repeat),
        "load": lambda: bench_load([10, 100, 1_000] if args.quick else [10, 100, 1_000, 10_000], 1 if args.quick else 3),
    }
    report = {"machine": f"{platform.node()} · {platform.machine()} · {os.cpu_count()} cores · Python {platform.python_version()}",
              "load_average": os.getloadavg()}
    for part in PARTS:
        if part in parts:
            report[part] = measure[part]()
    report["load_average_after"] = os.getloadavg()
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(report, indent=2))
    print(table(report))
    print(f"\nload average before and after: {report['load_average'][0]:.1f}, {report['load_average_after'][0]:.1f}")
    print(f"JSON report: {args.json}")


if __name__ == "__main__":
    main()
