"""Start-up counted in instructions: the same every run, where the clock is not.

    python benchmarks/startup_instructions.py [--repeat 1] [--region liemers] [--json FILE]

Needs valgrind and tmux (``apt install valgrind tmux``).

What it measures: the number of machine instructions (valgrind's callgrind, ``Ir``) a process
executes from its start (the interpreter's own start included) until it hands the terminal
driver its first complete frame: the first text written that shows what the screen must show
(the texts of ``startup_tty.prepare``), so an empty or partial frame before it does not count.
There the process ends (``first_frame.py``). Counted for the floor (``minimal_app.py``, a
minimal Textual app) and for ours: ``intake`` (the start screen), ``intake new --region R``
(the first question) and ``intake resume`` (a draft's current question), each as a ratio to
the floor counted in the same run, so the ratios hold for this Python and Textual.

Why: on the shared virtual machine the clock and even the CPU time of the same command vary by
up to 100 ms between runs (the host takes the virtual CPU, and the guest counts that time as
the process's), a third of the floor; ``startup_tty.py`` needs 21 rounds for a ratio to hold
±0.05. The instruction count of the same command repeats to 0.01 %: one run tells whether a
change made start-up cheaper.

What it does not measure: time. Not the kernel's work (system calls, page faults, the
terminal), nor waits (for the disk, for a core, for the terminal's answers), nor what an
instruction costs (cache misses, branch mispredictions, a slow import from a cold disk): an
instruction count is a stand-in for CPU time, not the time a user waits; ``startup_tty.py``
measures that. Each command runs once under the count after one uncounted run (the compiled
dialogs in the cache, as after a first start); the program's bytecode is compiled first
(``startup_tty.compiled_bytecode``).

Threads: valgrind runs one thread at a time, and every thread's instructions are counted.
The process ends at the first frame, so what starts after it (the start screen's thread
that reads the records, the intake screen's engine) is not counted. Before it, Textual's
input thread (it wakes every 0.1 s of the clock to look for keys) and its writer thread
run beside the main thread: their share is small (about 0.5 M, under 0.1 %; a column of
the table) but follows the clock, which under valgrind runs about 30 times as long as
natively; with the handing of the interpreter between threads it is where the 0.01-0.02 %
between runs comes from. Anything done by the clock (Textual's timers, waits for the
terminal's answers) falls elsewhere in the work under that slowdown: as a check, each
command's first frame under valgrind is compared with the uncounted run's (the same number
of writes before it, the same length), and the table says so when they differ.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from startup_tty import PYTHON, SIZE, _quoted, compiled_bytecode, environment, prepare, tmux

HERE = Path(__file__).resolve().parent
TIMEOUT_S = 300.0  # one run under valgrind takes 5-10 s on the 2-core vm
TARGETS = {"start": 1.3, "new": 1.3, "resume": 1.3}
# The floor's hook argument, then ours, with the arguments of the ``intake`` command.
COMMANDS = {"minimal": ["minimal"], "start": ["intake"], "new": ["intake", "new", "--region"],
            "resume": ["intake", "resume"]}

LABELS = {
    "minimal": "the floor (minimal_app.py)",
    "start": "`intake`: start screen (the regions listed)",
    "new": "`intake new --region R`: first question",
    "resume": "`intake resume`: the draft's current question",
}


class Unmeasured(Exception):
    """A count that could not be taken: one sentence, the reason in it."""


def missing_tools() -> str | None:
    """What to install before counting, as a sentence; None when nothing is missing."""
    missing = [tool for tool in ("valgrind", "tmux") if shutil.which(tool) is None]
    if not missing:
        return None
    return f"startup_instructions needs {' and '.join(missing)} (apt install {' '.join(missing)})"


def valgrind_version() -> str:
    return subprocess.run(["valgrind", "--version"], capture_output=True, text=True, check=False).stdout.strip()


def hooked(kind: str, region: str, marker: Path, expected: str) -> list[str]:
    """The command that runs ``kind`` until its first complete frame (``first_frame.py``)."""
    arguments = [*COMMANDS[kind], region] if kind == "new" else COMMANDS[kind]
    return [PYTHON, str(HERE / "first_frame.py"), str(marker), expected, *arguments]


def counted(command: list[str], output: Path) -> list[str]:
    """``command`` under callgrind, each thread's count in a file of its own (``output``-01, -02, ...)."""
    return ["valgrind", "--tool=callgrind", "--separate-threads=yes", f"--callgrind-out-file={output}",
            f"--log-file={output}.log", *command]


@contextmanager
def terminal() -> Iterator[None]:
    """A tmux server of our own (startup_tty's socket, its windows of startup_tty's size) for ``run_to_first_frame``."""
    tmux("-f", "/dev/null", "new-session", "-d", "-s", "instructions", "-x", SIZE[0], "-y", SIZE[1], "sleep 100000")
    try:
        tmux("set-option", "-g", "remain-on-exit", "on")  # the screen of a run that failed can be read
        # The window's size, not one left in the environment (readline, loaded in this process, puts
        # COLUMNS and LINES there, and Textual takes them before the terminal's).
        for name in ("COLUMNS", "LINES"):
            tmux("set-environment", "-g", "-u", name)
        yield
    finally:
        tmux("kill-server")


def run_to_first_frame(what: str, command: list[str], env: dict[str, str], marker: Path,
                       timeout: float = TIMEOUT_S) -> dict:
    """Runs ``command`` in a new tmux window until it ends; its first frame: the writes to the
    driver until then and the frame's length (what ``first_frame.py`` wrote to ``marker``).
    Unmeasured when it ended without one, or had not ended after ``timeout`` seconds."""
    marker.unlink(missing_ok=True)
    options = [item for key, value in env.items() for item in ("-e", f"{key}={value}")]
    pane = tmux("new-window", "-d", "-P", "-F", "#{pane_id}", *options, "exec " + " ".join(_quoted(command))).strip()
    deadline = time.monotonic() + timeout
    try:
        while tmux("display-message", "-p", "-t", pane, "#{pane_dead}").strip() != "1":
            if time.monotonic() > deadline:
                raise Unmeasured(f"{what} had not shown its first frame after {timeout:.0f} s; the screen:\n"
                                 + _screen(pane))
            time.sleep(0.1)
        if not marker.exists():
            raise Unmeasured(f"{what} ended before its first frame; the screen:\n{_screen(pane)}")
        writes, length = marker.read_text().split()
        return {"writes": int(writes), "bytes": int(length)}
    finally:
        tmux("kill-pane", "-t", pane)


def _screen(pane: str) -> str:
    """What the pane shows and scrolled away (a dead pane's last words can be above its screen)."""
    lines = tmux("capture-pane", "-p", "-J", "-S", "-", "-t", pane).splitlines()
    return "\n".join(line for line in lines if line.strip())


def thread_counts(output: Path) -> list[int]:
    """The instructions of each thread (the main thread first) from callgrind's files."""
    counts = []
    for part in sorted(output.parent.glob(output.name + "-*")):
        summary = [line for line in part.read_text().splitlines() if line.startswith("summary:")]
        if not summary:
            raise Unmeasured(f"callgrind wrote no summary in {part}; its log: {output}.log")
        counts.append(int(summary[0].split()[1]))
    if not counts:
        log = Path(f"{output}.log")
        raise Unmeasured("callgrind wrote no counts; " + (log.read_text()[-500:] if log.exists() else "no log either"))
    return counts


def measure(repeat: int, region: str) -> dict:
    compiled_bytecode()
    counts: dict[str, list[list[int]]] = {kind: [] for kind in COMMANDS}
    frames: dict[str, dict] = {}
    differs: list[str] = []  # the commands whose first frame under valgrind was not the uncounted run's
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        expected = prepare(folder, region)
        env = {**environment(folder), "PYTHONHASHSEED": "0"}
        with terminal():
            natively = {kind: run_to_first_frame(LABELS[kind], hooked(kind, region, folder / "marker", expected[kind]),
                                                 env, folder / "marker", 60)
                        for kind in COMMANDS}  # the compiled dialogs in the cache, as after a first start
            for index in range(repeat):
                for kind in COMMANDS:
                    output = folder / f"callgrind-{kind}-{index}.out"
                    command = counted(hooked(kind, region, folder / "marker", expected[kind]), output)
                    frames[kind] = run_to_first_frame(LABELS[kind] + " under valgrind", command, env,
                                                      folder / "marker")
                    if frames[kind] != natively[kind] and kind not in differs:
                        differs.append(kind)
                    counts[kind].append(thread_counts(output))
    totals = {kind: [sum(threads) for threads in runs] for kind, runs in counts.items()}
    floor = min(totals["minimal"])
    return {
        "floor_instructions": floor,
        "rows": {kind: {"instructions": min(values), "ratio": min(values) / floor,
                        "other_threads": min(sum(threads[1:]) for threads in counts[kind]),
                        "spread": (max(values) - min(values)) / min(values), "target": TARGETS.get(kind),
                        "first_frame": frames[kind]}
                 for kind, values in totals.items() if kind != "minimal"},
        "floor_other_threads": min(sum(threads[1:]) for threads in counts["minimal"]),
        "floor_spread": (max(totals["minimal"]) - floor) / floor,
        "floor_first_frame": frames["minimal"],
        "first_frames_natively": natively,
        "first_frame_differs": differs,
        "samples": counts,
        "region": region,
        "repeat": repeat,
        "note": "instructions (callgrind Ir) of the whole process from its start to its first complete frame; "
                "the least of the runs; samples: each run's count per thread, the main thread first",
    }


def table(result: dict) -> str:
    if "skipped" in result:
        return f"Start-up in instructions: not measured, {result['skipped']}"
    lines = [f"Start-up in instructions (callgrind Ir, the whole process until its first complete frame; tmux "
             f"{SIZE[0]}x{SIZE[1]}), {result['region']}, {result['repeat']} run(s) each; floor: minimal Textual app, "
             f"{result['floor_instructions'] / 1e6:.0f} M (other threads {result['floor_other_threads'] / 1e6:.2f} M"
             + (f", runs apart by {result['floor_spread'] * 100:.3f} %" if result["repeat"] > 1 else "") + ")",
             "", "| what | instructions | ratio | other threads | runs apart | target | met |",
             "|---|---|---|---|---|---|---|"]
    for key, row in result["rows"].items():
        target = row["target"]
        verdict = "met" if row["ratio"] <= target else "NOT met"
        apart = f"{row['spread'] * 100:.3f} %" if result["repeat"] > 1 else "—"
        lines.append(f"| {LABELS[key]} | {row['instructions'] / 1e6:.0f} M | **{row['ratio']:.3f}** | "
                     f"{row['other_threads'] / 1e6:.2f} M | {apart} | ≤ {target:.1f} × | {verdict} |")
    if result["first_frame_differs"]:
        lines.append(f"\nUnder valgrind the first frame differed from the uncounted run's (writes before it, "
                     f"length) for: {', '.join(result['first_frame_differs'])}; see the JSON (first_frame, "
                     "first_frames_natively).")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=1, help="runs of each command (the least counts; the table "
                                                              "says how far apart they were)")
    parser.add_argument("--region", default="liemers")
    parser.add_argument("--json", default=None, help="also write the figures as JSON")
    args = parser.parse_args()
    missing = missing_tools()
    if missing:
        raise SystemExit(missing)
    try:
        result = measure(args.repeat, args.region)
    except Unmeasured as problem:
        raise SystemExit(f"startup_instructions: {problem}") from None
    result["machine"] = (f"{platform.node()} · {platform.machine()} · {os.cpu_count()} cores · "
                         f"Python {platform.python_version()} · {valgrind_version()}")
    print(table(result))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
