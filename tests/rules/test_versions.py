"""Rule versions with dates, `intake diff` and `intake reform` (issue 16).

The proposals are made from the shipped dialogs by changing one rule in the
text, so the tests keep holding while the shipped rules are refined."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

from intake_tui.check.pipeline import check_answers
from intake_tui.check.reform import diff_rules, reform_shifts
from intake_tui.cli.main import main
from intake_tui.engine.intake import Intake
from intake_tui.engine.store import Store
from intake_tui.i18n import language
from intake_tui.paths import dialogs_dir
from intake_tui.rules import regions
from intake_tui.rules.loader import load_dialog

EN = language("en")


@pytest.fixture
def rules(tmp_path, monkeypatch):
    """A rules folder of our own (INTAKE_DIALOGS) holding the shipped dialogs."""
    folder = tmp_path / "dialogs"
    shutil.copytree(dialogs_dir(), folder)
    monkeypatch.setenv("INTAKE_DIALOGS", str(folder))
    regions.load_region.cache_clear()
    yield folder
    regions.load_region.cache_clear()


def new_version(source: Path, target: Path, version: str, valid_from: str, *replacements: tuple[str, str]) -> Path:
    text = source.read_text(encoding="utf-8")
    text, count = re.subn(r'(?m)^ruleset_version = ".*"$', f'ruleset_version = "{version}"', text)
    assert count == 1
    text, count = re.subn(r"(?m)^valid_from = .*$", f"valid_from = {valid_from}", text)
    assert count == 1
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    target.write_text(text, encoding="utf-8")
    regions.load_region.cache_clear()
    return target


LIEMERS_CAP = [("hours_per_week = \"min(hours_requested_per_week, 3)\"", "hours_per_week = \"min(hours_requested_per_week, 4)\"")]


def liemers_met(hours: float, **changes) -> dict:
    """Liemers answers with every condition met (shared scenario liemers-all-conditions-met)."""
    answers = {"needs_exceed_basic": True, "ab_involved": True, "ab_supports_request": True, "opp_present": True,
               "opp_signed_by_parents": True, "parents_support_request": True, "hgw_months": 8, "school_share_pct": 50,
               "school_share_justified": False, "zware_middelen_used": True, "hours_requested_per_week": hours}
    answers.update(changes)
    return answers


def test_a_new_intake_uses_the_version_valid_on_its_date_and_keeps_it(rules, tmp_path):
    current = regions.load_region("liemers")
    start = current.meta.valid_from
    later = start + dt.timedelta(days=400)
    new_version(rules / "liemers.toml", rules / "liemers@next.toml", "next", later.isoformat(), *LIEMERS_CAP)
    assert [v.version for v in regions.versions("liemers")] == [current.meta.ruleset_version, "next"]
    assert regions.version_on("liemers", later - dt.timedelta(days=1)).version == current.meta.ruleset_version
    assert regions.version_on("liemers", later).version == "next"
    with pytest.raises(regions.UnknownVersion):
        regions.version_on("liemers", start - dt.timedelta(days=1))

    store = Store(tmp_path / "store")
    old = Intake.start("liemers", EN, store, on=later - dt.timedelta(days=1))
    for fact, value in liemers_met(3.5).items():
        if old.session.question_id == fact:
            old.answer_value(value)
    old_record = old.save()
    old.close()
    assert old_record.status == "complete"
    assert old_record.ruleset_version == current.meta.ruleset_version
    assert old_record.rules_checksum == regions.file_checksum(rules / "liemers.toml")
    assert old_record.intake_date == later - dt.timedelta(days=1)
    assert old_record.recommendation.hours_per_week == 3

    new = Intake.start("liemers", EN, store, on=later)
    assert new.save().ruleset_version == "next"
    new.close()

    # The old record keeps its outcome and its explanation under its own version.
    reopened = Intake.resume(store, old_record.id, EN)
    try:
        assert reopened.dialog.meta.ruleset_version == current.meta.ruleset_version
        again = reopened.session.recommendation()
        assert again.model_dump() == old_record.recommendation.model_dump()
    finally:
        reopened.close()


def test_every_stored_path_case_replays_to_its_outcome_from_the_receipt(rules, tmp_path):
    from intake_tui.rules.path_cases import path_cases

    store = Store(tmp_path / "store")
    for region in regions.region_ids():
        dialog = regions.load_region(region)
        for case in path_cases(dialog)[:40]:
            if case.answers is None:
                continue
            intake = Intake.start(region, EN, store)
            for _ in range(len(dialog.questions)):
                fact = intake.session.question_id
                if fact is None:
                    break
                intake.answer_value(case.answers[fact])
            record = intake.save()
            intake.close()
            replayed = regions.dialog_for_record(record)
            assert regions.file_checksum(replayed.path) == record.rules_checksum
            result = check_answers(replayed, record.answers, EN)
            assert result["recommendation"] == record.recommendation.model_dump(mode="json"), (region, case.path)


def test_a_record_whose_version_is_gone_is_still_listed_and_exported(rules, tmp_path, capsys):
    store = Store(tmp_path / "store")
    intake = Intake.start("liemers", EN, store)
    intake.answer_value(False)
    record = intake.save()
    intake.close()
    stored = json.loads(store.path_for(record.id).read_text())
    stored["ruleset_version"] = "1999.1"
    store.path_for(record.id).write_text(json.dumps(stored))
    assert main(["--lang", "en", "--store", str(store.folder), "list"]) == 0
    assert record.id in capsys.readouterr().out
    assert main(["--lang", "en", "--store", str(store.folder), "resume", record.id]) == 2
    assert "1999.1" in capsys.readouterr().err
    assert main(["--lang", "en", "--store", str(store.folder), "export", record.id]) == 0
    exported = capsys.readouterr().out
    assert "1999.1" in exported and "no longer available" in exported and "| no |" in exported


def test_regions_lists_every_version(rules, capsys):
    new_version(rules / "liemers.toml", rules / "liemers@2030.toml", "2030.1", "2030-08-01", *LIEMERS_CAP)
    assert main(["--lang", "en", "regions"]) == 0
    out = capsys.readouterr().out
    assert "2030.1" in out and regions.load_region("liemers", on=dt.date(2026, 1, 1)).meta.ruleset_version in out
    assert main(["--lang", "en", "lint"]) == 0
    assert "liemers@2030.toml" in capsys.readouterr().out


def test_check_takes_the_version_of_a_date(rules, tmp_path, capsys):
    new_version(rules / "liemers.toml", rules / "liemers@2030.toml", "2030.1", "2030-08-01", *LIEMERS_CAP)
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps(liemers_met(3.5)))
    assert main(["check", "--region", "liemers", "--answers", str(answers), "--date", "2030-09-01"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["ruleset_version"] == "2030.1" and result["recommendation"]["hours_per_week"] == 3.5
    assert result["receipt"]["rules_checksum"] == regions.file_checksum(rules / "liemers@2030.toml")
    assert main(["check", "--region", "liemers", "--answers", str(answers)]) == 0
    assert json.loads(capsys.readouterr().out)["recommendation"]["hours_per_week"] == 3


# -- diff ------------------------------------------------------------------------------------
def test_diff_names_exactly_the_changed_hours_cap(rules, capsys):
    new_version(rules / "liemers.toml", rules / "liemers@proposal.toml", "proposal", "2030-08-01", *LIEMERS_CAP)
    old = regions.load_region("liemers", on=dt.date(2026, 1, 1))
    diff = diff_rules(old, regions.load_region("liemers", version="proposal"), EN)
    assert not (diff.questions_added or diff.questions_removed or diff.questions_changed or diff.branches_changed)
    assert len(diff.outcomes_changed) == 1
    (title, changes), = diff.outcomes_changed
    assert [what for what, _before, _after in changes] == ["hours a week"]
    assert {(s.before.rsplit("·", 1)[-1].strip(), s.after.rsplit("·", 1)[-1].strip()) for s in diff.shifts} >= {
        ("3 hours a week", "4 hours a week")}
    assert main(["--lang", "en", "diff", "--region", "liemers", "--from", old.meta.ruleset_version, "--to", "proposal"]) == 0
    out = capsys.readouterr().out
    assert "Outcomes changed" in out and "for example" in out and "hours_requested_per_week" not in out.split("Outcomes")[0]


def berseba_iq_proposal(rules: Path) -> tuple[str, str]:
    """Move one IQ boundary of Berséba: the first condition 'iq >= 60' becomes 'iq >= 65'."""
    text = (rules / "berseba.toml").read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if line.startswith("when = ") and "iq >= 60" in line)
    return line, line.replace("iq >= 60", "iq >= 65")


def test_diff_names_exactly_the_moved_iq_boundary(rules):
    old_line, new_line = berseba_iq_proposal(rules)
    new_version(rules / "berseba.toml", rules / "berseba@proposal.toml", "proposal", "2030-08-01", (old_line, new_line))
    old = regions.load_region("berseba", on=dt.date(2026, 1, 1))
    diff = diff_rules(old, regions.load_region("berseba", version="proposal"), EN)
    assert not (diff.questions_added or diff.questions_removed or diff.questions_changed or diff.outcomes_changed)
    assert len(diff.branches_changed) == 1
    change = diff.branches_changed[0]
    assert "iq >= 60" in change.when_before and "iq >= 65" in change.when
    assert change.facts == ["domain", "iq"] and change.asks == ["Area of the support need", "Total IQ"]
    assert diff.shifts, "some answers lead elsewhere"


@pytest.mark.parametrize("code", ["nl", "en"])
def test_diff_shows_the_reason_and_the_questions_and_the_rule_only_when_asked(rules, capsys, code):
    """People read the branch's reason and the questions it looks at; the condition as written
    only with --show-rules, and in --format json as its own fields."""
    old_line, new_line = berseba_iq_proposal(rules)
    new_version(rules / "berseba.toml", rules / "berseba@proposal.toml", "proposal", "2030-08-01", (old_line, new_line))
    old = regions.load_region("berseba", on=dt.date(2026, 1, 1))
    command = ["--lang", code, "diff", "--region", "berseba", "--from", old.meta.ruleset_version, "--to", "proposal"]
    lang = language(code)
    step = next(step for step in old.nodes["iq"].steps if step.branch.when and "iq >= 60" in step.branch.when)
    assert main(command) == 0
    out = capsys.readouterr().out
    changed = out.split("\n\n")[1]
    assert lang.gettext(step.branch.because) in changed
    assert lang.gettext(old.questions["iq"].name) in changed and lang.gettext(old.questions["iq"].prompt) in changed
    assert not re.search(r"==|>=| and |\biq\b|\bdomain\b", changed), changed
    assert main([*command, "--show-rules"]) == 0
    shown = capsys.readouterr().out
    assert "iq >= 60" in shown and "iq >= 65" in shown
    assert main([*command, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    (branch,) = data["branches_changed"]
    assert (branch["node"], branch["facts"]) == ("iq", ["domain", "iq"])
    assert "iq >= 60" in branch["when_before"] and "iq >= 65" in branch["when"]
    assert branch["reason"] == lang.gettext(step.branch.because)


# -- reform ----------------------------------------------------------------------------------
def test_reform_of_the_liemers_cap_gives_exactly_the_shifts_computed_by_hand(rules, tmp_path):
    proposal = new_version(rules / "liemers.toml", tmp_path / "proposal.toml", "proposal", "2030-08-01", *LIEMERS_CAP)
    hours = [0.5, 1, 2, 2.5, 3, 3.5, 4, 5, 6, 8]
    population = [(f"met-{h}", liemers_met(h)) for h in hours]
    population += [(f"no-ab-{h}", liemers_met(h, ab_involved=False)) for h in hours]  # not yet: unchanged
    report = reform_shifts(population, regions.load_region("liemers"), load_dialog(proposal), EN)

    expected: dict[tuple, list[str]] = {}
    for h in hours:
        before, after = min(h, 3), min(h, 4)
        if before != after:
            expected.setdefault((before, after), []).append(f"met-{h}")
    got = {(shift.before, shift.after): shift.ids for shift in report.shifts}
    assert sorted(map(sorted, got.values())) == sorted(map(sorted, expected.values()))
    assert report.cases == len(population) and report.changed == sum(map(len, expected.values()))
    assert report.hours_after - report.hours_before == pytest.approx(sum(min(h, 4) - min(h, 3) for h in hours))
    assert not report.newly_incomplete


def test_reform_of_a_berseba_iq_boundary_over_a_generated_population(rules, tmp_path):
    from intake_tui.rules.path_cases import path_cases

    old_line, new_line = berseba_iq_proposal(rules)
    proposal = new_version(rules / "berseba.toml", tmp_path / "proposal.toml", "proposal", "2030-08-01", (old_line, new_line))
    current, proposed = regions.load_region("berseba"), load_dialog(proposal)
    population = []
    for number, case in enumerate(path_cases(current)):
        if case.answers is not None and "iq" in case.answers:
            for iq in (50, 55, 59, 60, 62, 64, 65, 66, 70, 75, 85):
                population.append((f"{number}-{iq}", {**case.answers, "iq": iq}))
    report = reform_shifts(population, current, proposed, EN)

    # Independently: each case checked under both rule files, grouped by what the contract pins.
    def pinned(dialog, answers):
        result = check_answers(dialog, answers, EN)
        rec = result["recommendation"] or {}
        return (result["complete"], rec.get("route"), rec.get("form"), rec.get("level"), rec.get("tlv"), rec.get("hours_per_week"))

    expected = Counter()
    for case_id, answers in population:
        before, after = pinned(current, answers), pinned(proposed, answers)
        if before != after:
            expected[(before, after)] += 1
            assert 60 <= answers["iq"] < 65, (case_id, before, after)  # only the moved band changes
    assert expected, "the moved boundary changes something"
    assert report.changed == sum(expected.values())
    assert sorted(len(shift.ids) for shift in report.shifts) == sorted(expected.values())


def test_reform_command_on_a_store_writes_table_csv_and_chart(rules, tmp_path, capsys):
    store = Store(tmp_path / "store")
    for h in (2, 3.5, 5):
        intake = Intake.start("liemers", EN, store)
        answers = liemers_met(h)
        while intake.session.question_id is not None:
            intake.answer_value(answers[intake.session.question_id])
        intake.save()
        intake.close()
    proposal = new_version(rules / "liemers.toml", tmp_path / "proposal.toml", "proposal", "2030-08-01", *LIEMERS_CAP)
    out_csv, chart = tmp_path / "shifts.csv", tmp_path / "shifts.png"
    code = main(["--lang", "en", "--store", str(store.folder), "reform", "--region", "liemers", "--rules", str(proposal),
                 "--csv", str(out_csv), "--chart", str(chart)])
    assert code == 0
    out = capsys.readouterr().out
    assert "3 pupils checked; 2 get another recommendation" in out
    rows = list(csv.DictReader(out_csv.open()))
    assert sorted(int(row["pupils"]) for row in rows) == [1, 1]
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and chart.stat().st_mode & 0o777 == 0o600
    assert main(["--lang", "en", "reform", "--region", "liemers", "--rules", str(tmp_path / "missing.toml")]) == 2


def test_reform_over_a_batch_names_cases_made_incomplete(rules, tmp_path, capsys):
    # The proposal asks a new question before the gate: every complete case becomes incomplete.
    text = (rules / "liemers.toml").read_text(encoding="utf-8")
    text = text.replace('start = "needs_exceed_basic"', 'start = "proposal_new_fact"', 1)
    text += ('\n[questions.proposal_new_fact]\ntype = "bool"\nprompt = "Is the new condition met?"\n'
             'name = "the new condition"\ncite = "000 · Voorwaarden arrangement basisondersteuning"\n'
             'goto = "needs_exceed_basic"\n')
    proposal = tmp_path / "proposal.toml"
    proposal.write_text(text, encoding="utf-8")
    batch = tmp_path / "cases.jsonl"
    batch.write_text("\n".join(json.dumps({"id": f"c{h}", "region": "liemers", "answers": liemers_met(h)}) for h in (1, 2)) + "\n")
    assert main(["--lang", "en", "reform", "--region", "liemers", "--rules", str(proposal), "--batch", str(batch)]) == 0
    out = capsys.readouterr().out
    assert "Incomplete under the proposal" in out and "c1" in out and "c2" in out
    assert "proposal_new_fact" not in out and "the new condition" in out


def test_reform_over_a_batch_with_a_line_that_is_no_json(rules, tmp_path, capsys):
    proposal = new_version(rules / "liemers.toml", tmp_path / "proposal.toml", "proposal", "2030-08-01", *LIEMERS_CAP)
    batch = tmp_path / "cases.jsonl"
    batch.write_text(json.dumps({"id": "c1", "answers": liemers_met(1)}) + "\n{bad\n")
    code = main(["--lang", "en", "reform", "--region", "liemers", "--rules", str(proposal), "--batch", str(batch)])
    err = capsys.readouterr().err
    assert code == 2 and err.strip() == f"intake: {batch}:2: not valid JSON (line 2, column 2)"


def test_reform_on_a_store_that_is_a_file_is_a_sentence(rules, tmp_path, capsys):
    proposal = new_version(rules / "liemers.toml", tmp_path / "proposal.toml", "proposal", "2030-08-01", *LIEMERS_CAP)
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    code = main(["--lang", "en", "--store", str(not_a_folder), "reform", "--region", "liemers", "--rules", str(proposal)])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err and len(err.strip().splitlines()) == 1
