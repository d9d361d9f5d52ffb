"""Start-up as a user sees it: from the command to the text on a real terminal.

    python benchmarks/startup_tty.py [--repeat 7] [--region liemers] [--json FILE]

Every command runs in a tmux window (a real pseudo-terminal with a real
terminal emulator, 100×30); the clock runs from launching the command until
``tmux capture-pane`` shows the expected text. The floor is a minimal Textual
app (``minimal_app.py``) measured the same way in the same run, interleaved
with ours, so every ratio holds on any machine. Measured:

- ``intake``: the start screen (the regions to start a new intake with);
- ``intake new --region R``: the first question on screen;
- ``intake resume``: a draft's current question on screen;
- ready: the same two, then a word typed into the answer field and seen
  echoed there (the field focused and taking keys; the keys are sent once the
  question is visible, and Textual queues them until it takes them);
- the first start after an edit of the dialog (no compiled dialog in the
  cache yet), once per round.

Each row gives the median and the best of its runs, each against the floor's
median and best: on a busy machine the best says what the program costs and
the median what a user meets. Beside them, the median CPU time the program's
main thread had used when its text was seen, against the floor's: it varies
far less with the machine's load than the clock does.

The program's bytecode is compiled first, as installing it does (``pip install``
writes the ``.pyc`` files): a checkout run with ``PYTHONDONTWRITEBYTECODE=1``, as on
the shared machine, would otherwise compile every module of ours from source at
every start (about 35 ms of CPU before the first frame), which no user pays.

The store, cache and settings are in temporary folders (XDG_DATA_HOME,
XDG_CACHE_HOME, XDG_CONFIG_HOME, found as for a user); the user's own are not touched.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
SOCKET = f"intake-bench-{os.getpid()}"
SIZE = ("100", "30")
TYPED = "xyzzy"  # typed into the answer field: no question's text holds it
TIMEOUT_S = 20.0
TARGETS = {"start": 1.3, "new": 1.3, "resume": 1.3, "new_ready": 1.6, "resume_ready": 1.6}


def intake_command() -> list[str]:
    script = Path(PYTHON).with_name("intake")
    return [str(script)] if script.exists() else [PYTHON, "-m", "intake_tui"]


def tmux(*arguments: str) -> str:
    return subprocess.run(["tmux", "-L", SOCKET, *arguments], check=True, capture_output=True, text=True).stdout


def screen_of(pane: str) -> str:
    # -J joins wrapped lines, so a text that the terminal wrapped is still found.
    return tmux("capture-pane", "-p", "-J", "-t", pane)


def wait_for(pane: str, text: str, started: float) -> float:
    while True:
        screen = screen_of(pane)
        if text in " ".join(screen.split()):
            return time.perf_counter() - started
        if time.perf_counter() - started > TIMEOUT_S:
            raise RuntimeError(f"{text!r} not on screen after {TIMEOUT_S:.0f} s; the screen:\n{screen}")
        time.sleep(0.002)


def run_once(command: list[str], env: dict[str, str], expected: str, *, type_after: bool = False) -> tuple[float, float | None, float]:
    """Seconds until ``expected`` is on screen, (``type_after``) until typed keys are echoed, and
    the CPU seconds of its main thread when ``expected`` was seen."""
    options = [item for key, value in env.items() for item in ("-e", f"{key}={value}")]
    started = time.perf_counter()
    pane, pid = tmux("new-window", "-d", "-P", "-F", "#{pane_id} #{pane_pid}", *options,
                     "exec " + " ".join(_quoted(command))).split()
    try:
        shown = wait_for(pane, expected, started)
        cpu = cpu_seconds(int(pid))
        ready = None
        if type_after:
            tmux("send-keys", "-t", pane, "-l", TYPED)
            ready = wait_for(pane, TYPED, started)
        return shown, ready, cpu
    finally:
        tmux("kill-pane", "-t", pane)
        ended(int(pid))


def cpu_seconds(pid: int) -> float:
    """The CPU time of a program's main thread, the one that builds and paints the screen (Linux:
    its schedstat, in ns). On a busy machine it says what the program costs, where the clock also
    counts the waits for a core; the engine's thread, which starts after the first frame, is left out."""
    try:
        return int(Path(f"/proc/{pid}/task/{pid}/schedstat").read_text().split()[0]) / 1e9
    except (OSError, ValueError, IndexError):
        return float("nan")


def ended(pid: int) -> None:
    """Wait until the killed program is gone, so that it takes no time from the next run."""
    import signal

    deadline = time.perf_counter() + 5
    while time.perf_counter() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.01)
    else:
        os.kill(pid, signal.SIGKILL)
    time.sleep(0.1)


def _quoted(command: list[str]) -> list[str]:
    import shlex

    return [shlex.quote(part) for part in command]


def first_words(text: str, count: int = 6) -> str:
    return " ".join(text.split()[:count])


def prepare(folder: Path, region: str) -> dict[str, str]:
    """A store with one draft of ``region`` (two answers given) and what each screen should show."""
    from intake_tui.engine.intake import Intake
    from intake_tui.engine.store import Store
    from intake_tui.i18n import Language
    from intake_tui.rules.path_cases import path_cases
    from intake_tui.rules.regions import load_region

    lang = Language("nl")
    _ = lang.gettext
    dialog = load_region(region)
    case = max((c for c in path_cases(dialog) if c.feasible), key=lambda c: len(c.answers))
    intake = Intake.start(region, lang, Store(folder / "data" / "intake_tui" / "records"), anonymous=True)
    for value in list(case.answers.values())[:2]:
        intake.answer_value(value)
    current = dialog.questions[intake.session.question_id]
    intake.close()
    first = dialog.questions[dialog.start]
    from intake_tui.rules.regions import region_ids

    last = load_region(region_ids()[-1]).meta
    return {
        "minimal": first_words("Heeft de leerling meer ondersteuning nodig?"),
        "start": _("New intake: {swv} ({region})").format(swv=last.swv, region=region_ids()[-1]),
        "new": first_words(_(first.prompt)),
        "resume": first_words(_(current.prompt)),
    }


def environment(folder: Path) -> dict[str, str]:
    """The user's folders as the program finds them (platformdirs), in a temporary home (``folder``)."""
    return {"XDG_DATA_HOME": str(folder / "data"), "XDG_CACHE_HOME": str(folder / "cache"),
            "XDG_CONFIG_HOME": str(folder / "config"), "INTAKE_LANG": "nl", "TERM": "xterm-256color",
            **{name: "" for name in ("INTAKE_STORE", "INTAKE_CACHE", "INTAKE_CONFIG", "INTAKE_DIALOGS")}}


def compiled_bytecode() -> None:
    """The ``.pyc`` files of the program, as an installed copy has them (see the module's text)."""
    import compileall

    import intake_tui

    compileall.compile_dir(Path(intake_tui.__file__).parent, quiet=1)


def measure(repeat: int, region: str) -> dict:
    compiled_bytecode()
    times: dict[str, list[float]] = {name: [] for name in
                                     ("minimal", "start", "new", "new_ready", "resume", "resume_ready", "new_after_edit")}
    cpu: dict[str, list[float]] = {name: [] for name in ("minimal", "start", "new", "resume", "new_after_edit")}
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        expected = prepare(folder, region)
        env = environment(folder)
        intake = intake_command()
        new = [*intake, "new", "--region", region]
        tmux("-f", "/dev/null", "new-session", "-d", "-s", "bench", "-x", SIZE[0], "-y", SIZE[1], "sleep 100000")
        try:
            tmux("set-option", "-g", "remain-on-exit", "off")
            run_once(new, env, expected["new"])  # compiles the dialog into the cache, as the first start does
            for index in range(repeat):
                shown, _, used = run_once([PYTHON, str(HERE / "minimal_app.py")], {"TERM": env["TERM"]}, expected["minimal"])
                times["minimal"].append(shown)
                cpu["minimal"].append(used)
                shown, _, used = run_once(intake, env, expected["start"])
                times["start"].append(shown)
                cpu["start"].append(used)
                for name, command in (("new", new), ("resume", [*intake, "resume"])):
                    shown, ready, used = run_once(command, env, expected[name], type_after=True)
                    times[name].append(shown)
                    times[f"{name}_ready"].append(ready)  # type: ignore[arg-type]
                    cpu[name].append(used)
                fresh = {**env, "XDG_CACHE_HOME": str(folder / f"empty-cache-{index}")}
                shown, _, used = run_once(new, fresh, expected["new"])
                times["new_after_edit"].append(shown)
                cpu["new_after_edit"].append(used)
        finally:
            subprocess.run(["tmux", "-L", SOCKET, "kill-server"], capture_output=True)
    medians = {key: statistics.median(values) for key, values in times.items()}
    best = {key: min(values) for key, values in times.items()}
    floor = medians["minimal"]
    cpu_medians = {key: statistics.median(values) for key, values in cpu.items()}
    return {
        "floor_s": floor,
        "floor_best_s": best["minimal"],
        "floor_cpu_s": cpu_medians["minimal"],
        "rows": {key: {"s": value, "ratio": value / floor, "best_s": best[key], "best_ratio": best[key] / best["minimal"],
                       "cpu_s": cpu_medians.get(key), "target": TARGETS.get(key)}
                 for key, value in medians.items() if key != "minimal"},
        "samples": times,
        "cpu_samples": cpu,
        "region": region,
        "repeat": repeat,
        "note": "medians of interleaved runs in tmux (100x30); from launching the command to the text on screen",
    }


LABELS = {
    "start": "`intake`: start screen (the regions listed)",
    "new": "`intake new --region R`: first question on screen",
    "new_ready": "… ready: a typed word echoed in the answer field",
    "resume": "`intake resume`: the draft's current question on screen",
    "resume_ready": "… ready: a typed word echoed in the answer field",
    "new_after_edit": "`intake new` after a dialog edit (cache rebuilt)",
}


def table(result: dict) -> str:
    lines = [f"Start-up in a terminal (tmux {SIZE[0]}x{SIZE[1]}), {result['region']}, {result['repeat']} interleaved rounds; "
             f"floor: minimal Textual app, median {result['floor_s'] * 1000:.0f} ms, best {result['floor_best_s'] * 1000:.0f} ms, "
             f"main thread CPU until shown {result['floor_cpu_s'] * 1000:.0f} ms",
             "", "| what | median | ratio | best | ratio | CPU (main thread) | ratio | target | median met |",
             "|---|---|---|---|---|---|---|---|---|"]
    for key, row in result["rows"].items():
        target = row["target"]
        verdict = "" if target is None else ("met" if row["ratio"] <= target else "NOT met")
        used = row["cpu_s"]
        cpu_cells = "— | —" if used is None else f"{used * 1000:.0f} ms | {used / result['floor_cpu_s']:.2f}"
        lines.append(f"| {LABELS[key]} | {row['s'] * 1000:.0f} ms | {row['ratio']:.2f} | {row['best_s'] * 1000:.0f} ms | "
                     f"{row['best_ratio']:.2f} | {cpu_cells} | {'≤ %.1f ×' % target if target else '—'} | {verdict} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--region", default="liemers")
    parser.add_argument("--json", default=None, help="also write the figures as JSON")
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        raise SystemExit("startup_tty needs tmux (apt install tmux)")
    result = measure(args.repeat, args.region)
    result["machine"] = f"{platform.node()} · {platform.machine()} · {os.cpu_count()} cores · Python {platform.python_version()}"
    print(table(result))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
