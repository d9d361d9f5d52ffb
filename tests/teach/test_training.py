"""Training: what-if, the quiz, the plain pre-check and CSV batches (their screens: tests/tui/test_training_screens.py)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from argparse import Namespace

from intake_tui.cli.teach import run_quiz
from intake_tui.i18n import Language
from intake_tui.rules.path_cases import path_cases
from intake_tui.rules.regions import load_region, region_ids
from intake_tui.teach.training import what_if

from ..conftest import load_json, scenario_files


def test_what_if_reports_changed_questions_and_outcome() -> None:
    dialog = load_region("liemers")
    answers = load_json(next(p for p in scenario_files() if p.stem == "liemers-all-conditions-met"))["answers"]
    unchanged = what_if(dialog, answers, "hours_requested_per_week", 2)
    assert not unchanged.outcome_changed and unchanged.questions_added == [] and unchanged.questions_removed == []
    changed = what_if(dialog, answers, "needs_exceed_basic", False)
    assert changed.outcome_changed
    assert changed.after.outcome == "basis"
    assert "ab_involved" in changed.questions_removed and changed.questions_added == []


def quiz_output(region: str, seed: int, answers: str, cases: int = 3) -> str:
    out = io.StringIO()
    run_quiz(Namespace(region=region, seed=seed, cases=cases), Language("en"), io.StringIO(answers), out)
    return out.getvalue()


def test_quiz_scores_and_explains() -> None:
    dialog = load_region("breda")
    titles = sorted(dialog.nodes[o].outcome.title for o in dialog.nodes if dialog.nodes[o].kind == "outcome")
    all_first = quiz_output("breda", 7, "1\n" * 10, cases=10)
    assert "Score: " in all_first and "Where the path went:" in all_first
    score = int(all_first.split("Score: ")[1].split(" ")[0])
    assert 0 <= score < 10  # always answering 1 cannot be right for every outcome
    assert quiz_output("breda", 7, "1\n" * 10, cases=10) == all_first  # same seed, same cases
    assert len(titles) >= 3


def test_quiz_perfect_score_when_answering_right() -> None:
    dialog = load_region("meierij")
    outcomes = sorted(n for n in dialog.nodes if dialog.nodes[n].kind == "outcome")
    probe = quiz_output("meierij", 11, "", cases=1)  # reads the case, then stops at end of input
    case_lines = probe.split("What does the intake recommend?")[0]
    assert "Case 1 of 1" in case_lines
    # Answer by peeking at the engine: the right index for the drawn outcome.
    import random

    cases = [c for c in path_cases(dialog) if c.feasible]
    rng = random.Random(11)
    by_outcome = {}
    for case in cases:
        by_outcome.setdefault(case.outcome, []).append(case)
    keys = sorted(by_outcome)
    answers = []
    for _ in range(4):
        outcome = rng.choice(keys)
        rng.choice(by_outcome[outcome])
        answers.append(str(keys.index(outcome) + 1))
    output = quiz_output("meierij", 11, "\n".join(answers) + "\n", cases=4)
    assert "Score: 4 of 4" in output
    assert outcomes == keys


def test_every_outcome_can_come_up_in_the_quiz() -> None:
    for region in region_ids():
        dialog = load_region(region)
        reachable = {c.outcome for c in path_cases(dialog) if c.feasible}
        outcomes = {n for n, node in dialog.nodes.items() if node.kind == "outcome"}
        assert reachable == outcomes, f"{region}: outcomes no answers reach: {outcomes - reachable}"


def test_precheck_through_a_pipe() -> None:
    answers = "ja\nja\nmisschien\nja\nja\nja\nja\n8\n50\nja\n2,5\n"
    result = subprocess.run([sys.executable, "-m", "intake_tui", "precheck", "--region", "liemers", "--lang", "en"],
                            input=answers, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "Answer yes or no" in result.stdout  # the bad answer was refused and asked again
    assert "Route: Arrangement" in result.stdout and "Form: individual" in result.stdout
    assert "Hours a week: 2.5" in result.stdout
    assert "textual" not in result.stderr


def test_precheck_stopped_early_says_so() -> None:
    result = subprocess.run([sys.executable, "-m", "intake_tui", "precheck", "--region", "breda", "--lang", "en"],
                            input="ja\n", capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert "Stopped before the end" in result.stdout


def test_csv_batch_round_trip(tmp_path, capsys) -> None:
    from intake_tui.cli.main import main

    rows = []
    for path in scenario_files():
        scenario = load_json(path)
        row = {"id": path.stem, "region": scenario["region"]}
        for fact, value in scenario["answers"].items():
            if isinstance(value, bool):
                row[fact] = "ja" if value else "nee"
            elif isinstance(value, list):
                row[fact] = ", ".join(value) if value else "geen"
            else:
                row[fact] = str(value).replace(".", ",")
        rows.append(row)
    columns = sorted({key for row in rows for key in row})
    source = tmp_path / "school.csv"
    with source.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, columns)
        writer.writeheader()
        writer.writerows(rows)
    assert main(["check", "--batch", str(source), "--output", str(tmp_path / "out.csv")]) == 0
    summary = capsys.readouterr().err
    assert f"{len(rows)} " in summary
    results = {row["id"]: row for row in csv.DictReader((tmp_path / "out.csv").open(encoding="utf-8"))}
    for path in scenario_files():
        expect = load_json(path)["expect"]
        assert results[path.stem]["complete"] == "True"
        assert results[path.stem]["route"] == expect["route"] or results[path.stem]["route"] in expect["route"]
    assert main(["check", "--batch", str(source), "--format", "jsonl"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["id"] for line in lines] == [row["id"] for row in rows]
