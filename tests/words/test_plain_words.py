"""What people read at the command line names no internals (issue 13): ``intake check
--format text`` (one case and a batch's summary), ``intake diff`` (without --show-rules),
``intake list`` and ``intake due``, over every region and both languages.

The same check as the reports' (``internals``: fact ids, condition operators, conditions as
written, seed file names); a batch's summary, which counts facts, may not show any fact id.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from intake_tui.cli.main import main
from intake_tui.engine.store import Store
from intake_tui.i18n import Language
from intake_tui.rules.regions import load_region, region_ids

from .test_report import feasible_cases, internals, record_for

CODES = ["nl", "en"]


def run(capsys, *command: str) -> tuple[int, str, str]:
    code = main(list(command))
    out, err = capsys.readouterr()
    return code, out, err


def readable_names(region: str, lang: Language) -> list[str]:
    """Every name a fact or a route has for a person, longest first."""
    from intake_tui.words.text_report import ROUTE_NAMES

    questions = load_region(region).questions.values()
    names = [lang.gettext(text) for question in questions for text in (question.name, question.prompt) if text]
    return sorted(names + [lang.gettext(name) for name in ROUTE_NAMES.values()], key=len, reverse=True)


def some_answers(region: str) -> list[dict]:
    """Every feasible path's answers, and each cut short after its first answer (an incomplete case)."""
    cases = [case.answers for case in feasible_cases(region)]
    return cases + [dict(list(answers.items())[:1]) for answers in cases[:5]]


@pytest.mark.parametrize("code", CODES)
@pytest.mark.parametrize("region", region_ids())
def test_check_text_and_the_batch_summary_name_no_internals(region: str, code: str, tmp_path: Path, capsys) -> None:
    lang = Language(code)
    cases = some_answers(region)
    for number, answers in enumerate(cases):
        path = tmp_path / f"{number}.json"
        path.write_text(json.dumps(answers), encoding="utf-8")
        status, out, err = run(capsys, "check", "--lang", code, "--region", region, "--answers", str(path), "--format", "text")
        assert status == 0, err
        assert not internals(region, out, lang), f"check --format text {answers}: {internals(region, out, lang)}"
    batch = tmp_path / "cases.jsonl"
    batch.write_text("".join(json.dumps({"id": n, "region": region, "answers": a}) + "\n" for n, a in enumerate(cases)),
                     encoding="utf-8")
    status, out, err = run(capsys, "check", "--lang", code, "--batch", str(batch), "--output", str(tmp_path / "out.jsonl"))
    assert status == 0, err
    assert not internals(region, err, lang), f"the batch's summary: {internals(region, err, lang)}"
    words = err  # what is left after the names people read: no fact id
    for name in readable_names(region, lang):
        words = words.replace(name, "")
    facts = [fact for fact in load_region(region).questions if re.search(rf"\b{re.escape(fact)}\b", words)]
    assert not facts, f"the batch's summary counts facts by their ids: {facts}\n{err}"
    # The ids stay in the machine-readable lines, as their own fields.
    lines = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    missing = {fact for line in lines for fact in (line.get("recommendation") or {}).get("missing", [])}
    assert missing <= set(load_region(region).questions)


def test_the_batch_summary_counts_missing_facts_by_their_names(tmp_path: Path, capsys) -> None:
    """'Most often missing: opp_present (2)' read as code: each fact by its short name."""
    dialog = load_region("liemers")
    not_yet = [case.answers for case in feasible_cases("liemers") if case.outcome == "not_yet"]
    assert not_yet
    batch = tmp_path / "cases.jsonl"
    batch.write_text("".join(json.dumps({"region": "liemers", "answers": a}) + "\n" for a in not_yet), encoding="utf-8")
    for code in CODES:
        lang = Language(code)
        status, out, err = run(capsys, "check", "--lang", code, "--batch", str(batch), "--output", str(tmp_path / "o.jsonl"))
        assert status == 0
        line = next(line for line in err.splitlines() if line.startswith(lang.gettext("Most often missing: {facts}")[:8]))
        named = line.split(": ", 1)[1]
        assert any(lang.gettext(question.name) in named for question in dialog.questions.values() if question.name), line
        assert lang.gettext("No request yet") in err  # the route by its name, not 'not_yet'


def negated(region: str, folder: Path) -> Path:
    """A proposal that turns every condition of the region's rules around: every rule changes."""
    source = load_region(region).path.read_text(encoding="utf-8")
    proposal = re.sub(r'^when = "(.*)"$', lambda match: f'when = "not ({match.group(1)})"', source, flags=re.M)
    path = folder / f"{region}-proposal.toml"
    path.write_text(proposal, encoding="utf-8")
    return path


@pytest.mark.parametrize("code", CODES)
@pytest.mark.parametrize("region", region_ids())
def test_diff_names_no_internals(region: str, code: str, tmp_path: Path, capsys) -> None:
    lang = Language(code)
    version = load_region(region).meta.ruleset_version
    command = ["diff", "--lang", code, "--region", region, "--from", version, "--to", str(negated(region, tmp_path))]
    status, out, err = run(capsys, *command)
    assert status == 0, err
    assert lang.gettext("Rules whose conditions changed:") in out
    assert not internals(region, out, lang), f"intake diff: {internals(region, out, lang)}"
    status, shown, err = run(capsys, *command, "--show-rules")
    assert internals(region, shown, lang), "--show-rules shows the conditions as written"


@pytest.mark.parametrize("code", CODES)
@pytest.mark.parametrize("region", region_ids())
def test_list_and_due_name_no_internals(region: str, code: str, tmp_path: Path, capsys) -> None:
    from intake_tui.engine.followups import follow_ups
    from intake_tui.engine.intake import Intake

    lang = Language(code)
    store = Store(tmp_path / "store")
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    for number, case in enumerate(feasible_cases(region)):
        store.save(record_for(region, case.answers, lang, id=f"{now:%Y%m%d}-{number:010x}", created=now, updated=now))
    draft = Intake.start(region, lang, store, pupil_ref="DOS-7")
    draft.answer_value(next(iter(feasible_cases(region)[0].answers.values())))  # a draft begins with its first answer
    draft.close()
    status, out, err = run(capsys, "list", "--lang", code, "--store", str(store.folder))
    assert status == 0, err
    assert len(out.splitlines()) == len(feasible_cases(region)) + 1
    assert not internals(region, out, lang), f"intake list: {internals(region, out, lang)}"
    status, out, err = run(capsys, "due", "--lang", code, "--within", "900d", "--store", str(store.folder))
    assert status == 0, err
    terms = sum(len(follow_ups(entry.record)) for entry in store.entries() if entry.record is not None)
    assert len(out.splitlines()) == max(terms, 1)  # each follow-up a line (or the line that says there is none)
    assert not internals(region, out, lang), f"intake due: {internals(region, out, lang)}"


@pytest.mark.parametrize("code", CODES)
@pytest.mark.parametrize("region", region_ids())
def test_reform_and_the_quiz_name_no_internals(region: str, code: str, tmp_path: Path, capsys) -> None:
    import io
    from argparse import Namespace

    from intake_tui.cli.teach import run_quiz

    lang = Language(code)
    batch = tmp_path / "cases.jsonl"
    batch.write_text("".join(json.dumps({"id": n, "region": region, "answers": a}) + "\n"
                             for n, a in enumerate(some_answers(region))), encoding="utf-8")
    status, out, err = run(capsys, "reform", "--lang", code, "--region", region, "--rules", str(negated(region, tmp_path)),
                           "--batch", str(batch))
    assert status == 0, err
    assert not internals(region, out + err, lang), f"intake reform: {internals(region, out + err, lang)}"
    out = io.StringIO()  # a wrong answer to every case: the quiz explains each path
    run_quiz(Namespace(region=region, seed=7, cases=8, plain=True), lang, io.StringIO("1\n" * 8), out)
    assert not internals(region, out.getvalue(), lang), f"intake quiz: {internals(region, out.getvalue(), lang)}"


def test_one_of_a_unit_is_said_in_the_singular() -> None:
    """'1 months', '1 maanden': an answer of one reads '1 month', '1 maand'."""
    from intake_tui.words.display import answer_text

    questions = {question.unit: question for region in region_ids() for question in load_region(region).questions.values()
                 if question.unit and question.unit != "%" and not question.unit.startswith("euro")}
    assert len(questions) >= 5
    for question in questions.values():
        english, dutch = answer_text(question, 1, Language("en")), answer_text(question, 1, Language("nl"))
        assert not re.search(r"^1 (\w+ )?\w+s\b", english), english
        assert not re.search(r"^1 \w+en\b", dutch), dutch
