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
