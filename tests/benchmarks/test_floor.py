"""The batch benchmark's floor (``benchmarks/floor.py``) decides as ``intake check --batch`` does.

The floor is a measuring stick: the five regions' rules written by hand as
if/else. Were it to decide less (an outcome, a kind, the hours or the missing
facts of a case), the benchmark's ratio would compare unequal work; so it is
held equal to the product on every path case of every dialog and every whole-form
neighbour of it (``benchmarks/mixed_cases.py``), the kind of cases
``benchmarks/run.py`` times.
"""

from __future__ import annotations

import importlib.util
import io
import json
import random
import sys
from pathlib import Path

from intake_tui.cli.main import main
from intake_tui.rules.regions import region_ids

REPO = Path(__file__).resolve().parents[2]
BENCHMARKS = REPO / "benchmarks"
# The path cases of each dialog, as tests/rules/test_paths.py pins them to rules.path_cases (read
# here: finding Berséba's anew takes longer than this whole test).
PATH_SNAPSHOTS = REPO / "tests" / "rules" / "snapshots" / "test_paths" / "test_every_path_snapshot"
KEYS = ("outcome", "route", "form", "level", "tlv", "domain", "group_offer", "hours_per_week", "missing")


def benchmark_module(name: str, monkeypatch):
    spec = importlib.util.spec_from_file_location(f"benchmarks_{name}", BENCHMARKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_the_floor_decides_every_case_as_intake_check(tmp_path: Path, capsys, monkeypatch) -> None:
    floor, mixed = benchmark_module("floor", monkeypatch), benchmark_module("mixed_cases", monkeypatch)
    paths = {region: json.loads((PATH_SNAPSHOTS / region / f"{region}.json").read_text(encoding="utf-8"))["cases"]
             for region in region_ids()}
    bases = {region: [case["answers"] for case in cases] for region, cases in paths.items()}
    pool = list(mixed.Cases(bases, random.Random(11)).every())
    cases = tmp_path / "cases.jsonl"
    cases.write_text("".join(json.dumps(case) + "\n" for case in pool), encoding="utf-8")

    assert main(["check", "--lang", "en", "--batch", str(cases)]) == 0
    ours = [json.loads(line)["recommendation"] for line in capsys.readouterr().out.splitlines()]

    monkeypatch.setattr(sys, "stdin", io.StringIO(cases.read_text(encoding="utf-8")))
    monkeypatch.setattr(sys, "stdout", written := io.StringIO())
    floor.main()
    theirs = [json.loads(line)["recommendation"] for line in written.getvalue().splitlines()]

    assert len(ours) == len(theirs) == len(pool)
    for case, mine, floors in zip(pool, ours, theirs):
        expected = {key: mine[key] for key in KEYS}
        given = {key: floors.get(key, [] if key == "missing" else None) for key in KEYS}
        assert given == expected, case
    # Every outcome a path reaches was among them.
    reached = {(case["region"], mine["outcome"]) for case, mine in zip(pool, ours)}
    assert reached == {(region, case["outcome"]) for region, cases in paths.items() for case in cases}
