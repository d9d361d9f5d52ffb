"""The batch benchmark's floor (``benchmarks/floor.py``) writes what ``intake check --batch`` writes.

The floor is a measuring stick: the same output, the five regions' rules
written by hand as if/else. Were it to do less (a path, a warning text, a
number formatted otherwise, an outcome or a missing fact), the benchmark's
ratio would compare unequal work; so its output is held equal, byte for byte,
to the product's (``--lang nl``, brief detail) on every path case of every
dialog and every whole-form neighbour of it (``benchmarks/mixed_cases.py``),
the kind of cases ``benchmarks/run.py`` times.
"""

from __future__ import annotations

import importlib.util
import json
import random
import subprocess
import sys
from pathlib import Path

from intake_tui.cli.main import main
from intake_tui.rules.regions import region_ids

REPO = Path(__file__).resolve().parents[2]
BENCHMARKS = REPO / "benchmarks"
# The path cases of each dialog, as tests/rules/test_paths.py pins them to rules.path_cases (read
# here: finding Berséba's anew takes longer than this whole test).
PATH_SNAPSHOTS = REPO / "tests" / "rules" / "snapshots" / "test_paths" / "test_every_path_snapshot"


def benchmark_module(name: str, monkeypatch):
    spec = importlib.util.spec_from_file_location(f"benchmarks_{name}", BENCHMARKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_the_floor_writes_every_case_as_intake_check(tmp_path: Path, capsys, monkeypatch) -> None:
    mixed = benchmark_module("mixed_cases", monkeypatch)
    paths = {region: json.loads((PATH_SNAPSHOTS / region / f"{region}.json").read_text(encoding="utf-8"))["cases"]
             for region in region_ids()}
    bases = {region: [case["answers"] for case in cases] for region, cases in paths.items()}
    pool = list(mixed.Cases(bases, random.Random(11)).every())
    # One case stops at a question not answered: the floor stops there too.
    pool.append({"region": "liemers", "answers": {"needs_exceed_basic": True, "ab_involved": True}})
    cases = tmp_path / "cases.jsonl"
    cases.write_text("".join(json.dumps(case) + "\n" for case in pool), encoding="utf-8")

    assert main(["check", "--lang", "nl", "--batch", str(cases)]) == 0
    ours = capsys.readouterr().out
    with cases.open("rb") as lines:
        floor = subprocess.run([sys.executable, str(BENCHMARKS / "floor.py")], stdin=lines, capture_output=True,
                               check=True).stdout.decode("utf-8")

    assert len(ours.splitlines()) == len(pool)
    for case, mine, floors in zip(pool, ours.splitlines(), floor.splitlines(), strict=True):
        assert floors == mine, case
    assert floor == ours
    # Every outcome a path reaches was among them.
    reached = {(line["region"], line["recommendation"]["outcome"])
               for line in map(json.loads, ours.splitlines()) if line["recommendation"]}
    assert reached == {(region, case["outcome"]) for region, cases in paths.items() for case in cases}
