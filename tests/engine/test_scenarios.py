"""Every acceptance scenario in shared/scenarios, and our own cases written from the seeds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from intake_tui.cli.main import main

from ..conftest import case_files, load_json, scenario_files


def matches(expect: dict, recommendation: dict) -> list[str]:
    """The keys of ``expect`` that the recommendation does not meet (contract in scenarios/README.md)."""
    problems = []
    for key, wanted in expect.items():
        if key == "missing_includes":
            absent = [fact for fact in wanted if fact not in recommendation["missing"]]
            if absent:
                problems.append(f"missing lacks {absent} (has {recommendation['missing']})")
        elif key == "warnings_min":
            if len(recommendation["warnings"]) < wanted:
                problems.append(f"{len(recommendation['warnings'])} warnings, wanted at least {wanted}")
        elif isinstance(wanted, list):
            if recommendation.get(key) not in wanted:
                problems.append(f"{key} = {recommendation.get(key)!r}, wanted one of {wanted}")
        elif recommendation.get(key) != wanted:
            problems.append(f"{key} = {recommendation.get(key)!r}, wanted {wanted!r}")
    return problems


def run_check(path: Path, capsys) -> dict:
    scenario = load_json(path)
    code = main(["check", "--region", scenario["region"], "--answers", str(path), "--format", "json"])
    output = capsys.readouterr().out
    assert code == 0, output
    return json.loads(output)


@pytest.mark.parametrize("path", scenario_files(), ids=lambda p: p.stem)
def test_shared_scenario(path: Path, capsys) -> None:
    result = run_check(path, capsys)
    assert result["complete"], f"stopped at {result['next_question']}"
    assert matches(load_json(path)["expect"], result["recommendation"]) == []


@pytest.mark.parametrize("path", case_files(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_case_from_seed(path: Path, capsys) -> None:
    result = run_check(path, capsys)
    assert result["complete"], f"stopped at {result['next_question']}"
    assert matches(load_json(path)["expect"], result["recommendation"]) == []


def test_matcher_can_fail() -> None:
    recommendation = {"route": "tlv", "missing": ["a"], "warnings": []}
    assert matches({"route": "basis"}, recommendation)
    assert matches({"route": ["basis", "arrangement"]}, recommendation)
    assert matches({"missing_includes": ["b"]}, recommendation)
    assert matches({"warnings_min": 1}, recommendation)
    assert not matches({"route": ["tlv"], "missing_includes": ["a"]}, recommendation)


def test_every_region_has_scenarios_or_cases() -> None:
    from intake_tui.rules.regions import region_ids

    covered = {load_json(p)["region"] for p in [*scenario_files(), *case_files()]}
    assert set(region_ids()) <= covered


def pinned(path: Path) -> str:
    """What a case pins: its region, the path the check takes, the answers on that path as
    the dialog reads them (labels and ids alike), the defaults it assumes and the whole result."""
    from intake_tui.check.pipeline import check_answers
    from intake_tui.i18n import Language
    from intake_tui.rules.regions import load_region

    case = load_json(path)
    dialog = load_region(case["region"])
    result = check_answers(dialog, case["answers"], Language("en"))
    on_path = {fact: dialog.readers[fact].read_value(case["answers"][fact]) for fact in result["path"] if fact in case["answers"]}
    return json.dumps([case["region"], on_path, result], sort_keys=True, default=str)


def test_no_case_repeats_another() -> None:
    """Two case files with the same answers on the same path (after reading them) and the
    same result pin one thing: merge them (issue 11). A case beside a shared scenario that
    pins the same must expect something the scenario does not."""
    shared = {pinned(path): load_json(path)["expect"] for path in scenario_files()}
    seen: dict[str, str] = {}
    for path in case_files():
        key, name = pinned(path), f"{path.parent.name}/{path.stem}"
        assert key not in seen, f"{name} repeats {seen[key]}"
        seen[key] = name
        if key in shared:
            expect = load_json(path)["expect"]
            assert any(shared[key].get(k) != v for k, v in expect.items()), f"{name} repeats a shared scenario"
