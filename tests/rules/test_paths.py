"""Every path of every region, with answers that take it and the outcome it gives."""

from __future__ import annotations

import json

import pytest

from intake_tui.check.pipeline import check_answers
from intake_tui.i18n import Language
from intake_tui.rules.lint_graph import untaken_branches
from intake_tui.rules.path_cases import MAX_PATHS, count_paths, path_cases, structural_paths
from intake_tui.rules.regions import load_region, region_ids


def case_summary(dialog, case) -> dict:
    result = check_answers(dialog, case.answers, Language("en"))
    recommendation = result["recommendation"]
    return {
        "path": case.path,
        "answers": case.answers,
        "outcome": case.outcome,
        "route": recommendation["route"],
        "form": recommendation["form"],
        "level": recommendation["level"],
        "tlv": recommendation["tlv"],
        "domain": recommendation["domain"],
        "group_offer": recommendation["group_offer"],
        "missing": recommendation["missing"],
    }


@pytest.mark.parametrize("region", region_ids())
def test_every_path_snapshot(region, snapshot) -> None:
    dialog = load_region(region)
    cases = path_cases(dialog)
    feasible = [case_summary(dialog, case) for case in cases if case.feasible]
    infeasible = [[f"{s.source}->{s.goto}" for s in case.steps] for case in cases if not case.feasible]
    text = json.dumps({"paths": count_paths(dialog), "cases": feasible, "infeasible": infeasible}, indent=1, ensure_ascii=False)
    snapshot.assert_match(text + "\n", f"{region}.json")


@pytest.mark.parametrize("region", region_ids())
def test_cases_take_the_path_they_claim(region) -> None:
    dialog = load_region(region)
    for case in path_cases(dialog):
        if not case.feasible:
            continue
        result = check_answers(dialog, case.answers, Language("en"))
        assert result["complete"]
        assert result["recommendation"]["outcome"] == case.outcome
        assert result["path"] == [s.source for s in case.steps if dialog.nodes[s.source].kind == "question"]


@pytest.mark.parametrize("region", region_ids())
def test_every_branch_and_outcome_is_taken(region) -> None:
    dialog = load_region(region)
    untaken, whole_paths = untaken_branches(dialog)  # what lint warns about
    assert whole_paths, f"{region}: too large for lint to follow every path"
    assert untaken == [], f"{region}: branches no answers can take: {[f'{step.source} -> {step.goto}' for _, step in untaken]}"


def test_small_dialogs_are_enumerated_completely() -> None:
    for region in region_ids():
        dialog = load_region(region)
        if count_paths(dialog) <= MAX_PATHS:
            assert len(path_cases(dialog)) == sum(1 for _ in structural_paths(dialog))


def test_count_paths_matches_enumeration_on_a_small_dialog() -> None:
    dialog = load_region("liemers")
    assert count_paths(dialog) == sum(1 for _ in structural_paths(dialog))
