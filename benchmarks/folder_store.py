"""The folder store at 100 / 1,000 / 10,000 records: `intake list --limit 50` as a whole process.

    python benchmarks/folder_store.py [--sizes 100,1000,10000] [--repeat 5]

For each size: the first listing (which builds the index beside the records),
then the median of ``repeat`` listings (the index in use; the sizes taken in
turn, so a busy machine slows them alike), each with the process's own peak
memory (ru_maxrss) and CPU time (user + system) from wait4. The floor, measured
in the same run, is the same command on an empty store (start-up and nothing
to list); the figures that matter are ratios: 10,000 records against 100.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PYTHON = sys.executable


def listing(store: Path) -> tuple[float, float, float]:
    """Wall time (s), peak memory (MiB) and CPU time (s) of one `intake list --limit 50` on ``store``."""
    start = time.perf_counter()
    process = subprocess.Popen([PYTHON, "-m", "intake_tui", "--lang", "en", "--store", str(store), "list", "--limit", "50"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"intake list failed: {process.stderr.read().decode()[-500:]}")
    process.stderr.close()
    return elapsed, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def fill(store: Path, size: int) -> None:
    """``size`` real records (one made by the engine, varied), half drafts, a minute apart, settled in time."""
    from intake_tui.engine.intake import Intake
    from intake_tui.i18n import language

    store.mkdir(mode=0o700)
    intake = Intake.start("liemers", language("nl"), None, autosave=False)
    intake.answer_value(False)
    template = json.loads(intake.record().model_dump_json())
    old = time.time() - 3600
    for number in range(size):
        record = dict(template, id=f"20250101-{number:010d}", pupil_ref=f"P-{number}",
                      status="draft" if number % 2 else template["status"])
        path = store / f"{record['id']}.json"
        path.write_text(json.dumps(record))
        path.chmod(0o600)
        os.utime(path, (old, old))


def summary(first: tuple[float, float, float], runs: list[tuple[float, float, float]]) -> dict:
    return {"first_s": first[0], "first_peak_mib": first[1], "list_s": statistics.median(run[0] for run in runs),
            "peak_mib": max(run[1] for run in runs), "cpu_s": statistics.median(run[2] for run in runs)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    report: dict = {"command": "intake list --limit 50", "sizes": {}}
    with tempfile.TemporaryDirectory() as root:
        empty = Path(root) / "empty"
        empty.mkdir(mode=0o700)
        for size in sizes:
            fill(Path(root) / str(size), size)
        time.sleep(2.1)  # the files' change times settle (a file changed in the last two seconds is not indexed)
        stores = {"floor": empty, **{size: Path(root) / str(size) for size in sizes}}
        first = {key: listing(store) for key, store in stores.items()}
        runs: dict = {key: [] for key in stores}
        for _ in range(args.repeat):
            for key, store in stores.items():
                runs[key].append(listing(store))
        report["floor"] = summary(first["floor"], runs["floor"])
        for size in sizes:
            report["sizes"][size] = summary(first[size], runs[size])
    smallest, largest = report["sizes"][min(sizes)], report["sizes"][max(sizes)]
    report["time_ratio"] = largest["list_s"] / smallest["list_s"]
    report["memory_ratio"] = largest["peak_mib"] / smallest["peak_mib"]
    report["cpu_ratio"] = largest["cpu_s"] / smallest["cpu_s"]
    report["target"] = "time ratio ≤ 2, memory flat"
    floor = report["floor"]
    print(f"intake list --limit 50 (floor: an empty store {floor['list_s'] * 1000:.0f} ms, CPU {floor['cpu_s'] * 1000:.0f} ms, "
          f"{floor['peak_mib']:.0f} MiB)")
    for size, entry in report["sizes"].items():
        print(f"  {size:>6} records: {entry['list_s'] * 1000:5.0f} ms ({entry['list_s'] / floor['list_s']:.2f} × floor; "
              f"CPU {entry['cpu_s'] * 1000:.0f} ms, {entry['cpu_s'] / floor['cpu_s']:.2f} ×), "
              f"peak {entry['peak_mib']:.0f} MiB; first listing (builds the index) {entry['first_s'] * 1000:.0f} ms, "
              f"{entry['first_peak_mib']:.0f} MiB")
    print(f"  {max(sizes)} / {min(sizes)} records: time {report['time_ratio']:.2f} × (CPU {report['cpu_ratio']:.2f} ×), peak memory "
          f"{report['memory_ratio']:.2f} × (target: time ≤ 2 ×, memory flat)")
    print(json.dumps(report, indent=2), file=sys.stderr)


if __name__ == "__main__":
    main()
