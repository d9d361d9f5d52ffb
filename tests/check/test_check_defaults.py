"""Issue 12, "Defaults and unknown facts": a default answer stands in for a region's fact
only when it grants nothing, and facts the dialog does not know are never silently dropped."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from intake_tui.check.pipeline import check_answers
from intake_tui.cli.main import main
from intake_tui.i18n import Language
from intake_tui.rules.path_cases import path_cases
from intake_tui.rules.regions import load_region, region_ids

EN = Language("en")
# Defaults that a gate reads but that grant nothing, because another answer the gate also
# needs already says the same: Meierij's OPP is drawn up "together with the parents and the
# SWV's ondersteuner" (opp_with_parents), so the SWV is involved whenever the gate passes;
# the shared scenario meierij-individual-arrangement gives no swv_involved and expects an arrangement.
IMPLIED = {("meierij", "swv_involved"): "opp_with_parents"}


def _alternatives(question) -> list:
    if question.type == "bool":
        return [True, False]
    if question.type == "choice":
        return [choice.value for choice in question.choices]
    if question.type in ("int", "number"):
        low = question.min if question.min is not None else 0
        high = question.max if question.max is not None else 100
        return sorted({low, high, (low + high) / 2 if question.type == "number" else int((low + high) // 2)})
    return [[choice.value] for choice in question.choices] + [[]]


@pytest.mark.parametrize("region", region_ids())
def test_a_default_never_lets_a_case_through_that_an_answer_would_stop(region) -> None:
    """Where ``intake check`` assumes a question's default and recommends something other than
    'not yet', every other answer to that question must not stop the case at 'not yet'
    either: a default may stand in for a fact only when it grants nothing."""
    dialog = load_region(region)
    with_default = {fact: q for fact, q in dialog.questions.items() if q.default is not None}
    granted_by_default = []
    for case in path_cases(dialog):
        if not case.feasible:
            continue
        for fact, question in with_default.items():
            if fact not in case.answers or case.answers.get(IMPLIED.get((region, fact))) is True:
                continue
            without = {k: v for k, v in case.answers.items() if k != fact}
            assumed = check_answers(dialog, without, EN)
            if fact not in assumed["assumed"] or not assumed["complete"] or assumed["recommendation"]["route"] == "not_yet":
                continue
            for value in _alternatives(question):
                answered = check_answers(dialog, {**without, fact: value}, EN)
                if answered["complete"] and answered["recommendation"]["route"] == "not_yet":
                    granted_by_default.append(f"{fact}: default {question.default!r} grants what {value!r} stops")
                    break
    assert sorted(set(granted_by_default)) == []


@pytest.mark.parametrize(("region", "fact"), [("breda", "group_exclusion_argued"), ("utrecht", "request_anonymised"),
                                              ("berseba", "young_extra_proof"), ("berseba", "mg_band_reports"),
                                              ("berseba", "preschool_trajectory_done"), ("berseba", "zml_not_better")])
def test_a_fact_that_gates_a_recommendation_has_no_default(region, fact) -> None:
    dialog = load_region(region)
    assert dialog.questions[fact].default is None
    reaching = [case.answers for case in path_cases(dialog) if case.feasible and fact in case.answers]
    assert reaching
    result = check_answers(dialog, {k: v for k, v in reaching[0].items() if k != fact}, EN)
    assert result["complete"] is False and result["next_question"] == fact


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["check", "--lang", "en", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("region_args", [["--region", "meierij"], []])
def test_a_csv_column_that_is_no_fact_is_refused_with_a_suggestion(tmp_path: Path, capsys, region_args) -> None:
    source = tmp_path / "cases.csv"
    source.write_text("id,region,needs_exceed_basic,replacement_lenght\nc1,meierij,ja,short\n")
    output = tmp_path / "results.csv"
    code, out, err = run(capsys, *region_args, "--batch", str(source), "--output", str(output))
    assert code == 2 and out == ""
    assert err == f"intake: {source}:1: unknown column 'replacement_lenght', did you mean 'replacement_length'?\n"
    assert not output.exists()


def test_a_csv_column_far_from_any_fact_is_refused(tmp_path: Path, capsys) -> None:
    source = tmp_path / "cases.csv"
    source.write_text("needs_exceed_basic,zzzz\nja,1\n")
    code, out, err = run(capsys, "--region", "liemers", "--batch", str(source))
    assert code == 2 and out == ""
    assert err.startswith(f"intake: {source}:1: unknown column 'zzzz'; the columns are id, region and the fact ids")


def test_a_csv_column_of_another_region_is_ignored_for_this_row_and_counted(tmp_path: Path, capsys) -> None:
    source = tmp_path / "cases.csv"
    source.write_text("id,region,needs_exceed_basic,replacement_length\na,liemers,nee,short\nb,meierij,nee,\n")
    code, out, err = run(capsys, "--batch", str(source), "--format", "jsonl")
    assert code == 0
    first, second = (json.loads(line) for line in out.splitlines())
    assert first["ignored"] == ["replacement_length"] and "ignored" not in second
    assert "Ignored, not questions of the region: replacement_length (1)" in err


def test_unknown_json_facts_are_reported_as_ignored(tmp_path: Path, capsys) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"region": "liemers", "answers": {"needs_exceed_basic": False, "bogus_fact": 1, "neds": True}}))
    code, out, _ = run(capsys, "--answers", str(answers))
    assert code == 0
    result = json.loads(out)
    assert result["ignored"] == ["bogus_fact", "neds"]
    assert result["recommendation"]["route"] == "basis"
    code, out, _ = run(capsys, "--answers", str(answers), "--format", "text")
    assert out.splitlines()[-1] == "Ignored, not questions of the region: bogus_fact, neds"
    answers.write_text(json.dumps({"region": "liemers", "answers": {"needs_exceed_basic": False}}))
    code, out, _ = run(capsys, "--answers", str(answers))
    assert "ignored" not in json.loads(out)
    code, out, _ = run(capsys, "--answers", str(answers), "--format", "text")
    assert "Ignored" not in out


def test_unknown_json_facts_in_a_batch_are_named_per_line_and_in_the_summary(tmp_path: Path, capsys) -> None:
    good = {"region": "liemers", "answers": {"needs_exceed_basic": False}}
    lines = [good, good, {"id": "x", **good, "answers": {"needs_exceed_basic": False, "bogus_fact": True}}, good,
             {"region": "liemers", "answers": {"bogus_fact": 2, "other": None}}]
    source = tmp_path / "cases.jsonl"
    source.write_text("".join(json.dumps(line) + "\n" for line in lines))
    code, out, err = run(capsys, "--batch", str(source))
    assert code == 0
    results = [json.loads(line) for line in out.splitlines()]
    assert [r.get("ignored") for r in results] == [None, None, ["bogus_fact"], None, ["bogus_fact", "other"]]
    assert results[2]["id"] == "x" and list(results[2])[:3] == ["id", "line", "ignored"]
    assert "Ignored, not questions of the region: bogus_fact (2), other (1)" in err
