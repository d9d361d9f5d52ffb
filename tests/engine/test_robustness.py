"""Bad input never crashes and nothing given is lost (property tests, SIGKILL)."""

from __future__ import annotations

import io
import json
import os
import random
import signal
import subprocess
import sys
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intake_tui.engine.intake import Intake
from intake_tui.engine.record import parse_record
from intake_tui.engine.session import Session
from intake_tui.engine.store import Store
from intake_tui.engine.store_api import StoreError
from intake_tui.i18n import Language
from intake_tui.rules.answers import AnswerError
from intake_tui.rules.regions import load_region, region_ids

EN = Language("en")


def valid_texts(question) -> list[str]:
    if question.type == "bool":
        return ["ja", "nee", "y", "no"]
    if question.type in ("int", "number"):
        low, high = int(question.min or 0), int(question.max if question.max is not None else 100)
        return [str(low), str(high), str((low + high) // 2)] + (["2,5"] if question.type == "number" else [])
    names = [choice.value for choice in question.choices]
    if question.type == "choice":
        return names + ["1"]
    return [", ".join(names[:2]), names[0], "geen"]


GARBAGE = st.sampled_from(["", "misschien", "-1", "99999", "1e9", "ja nee", "?", "[]", "{", "nan", "Ω", "12,5,6", "1..2"])
OPERATIONS = st.lists(
    st.tuples(st.sampled_from(["answer", "answer", "answer", "garbage", "back", "change"]), st.integers(0, 1000)),
    min_size=1, max_size=60,
)


def run_operations(dialog, operations) -> Session:
    session = Session(dialog, EN)
    for kind, pick in operations:
        before = (session.state, dict(session.answers), list(session.history))
        try:
            if kind == "back":
                session.back()
            elif kind == "change" and session.history:
                fact = session.history[pick % len(session.history)]
                options = valid_texts(dialog.questions[fact])
                session.change(fact, options[pick % len(options)])
            elif session.done:
                continue
            elif kind == "garbage":
                texts = ["", "misschien", "-1", "99999", "ja nee", "12,5,6", "Ω"]
                session.answer_text(texts[pick % len(texts)])
            else:
                options = valid_texts(dialog.questions[session.question_id])
                session.answer_text(options[pick % len(options)])
        except AnswerError as error:
            assert str(error)  # refused with a message ...
            assert (session.state, session.answers, session.history) == before  # ... and nothing changed
        # Every walk either ends in an outcome or waits at a question.
        assert session.done or session.question_id in dialog.questions
        assert set(session.history) <= set(session.answers)
    return session


@pytest.mark.parametrize("region", region_ids())
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(operations=OPERATIONS)
def test_random_answer_sequences_never_crash(region, operations) -> None:
    run_operations(load_region(region), operations)


@pytest.mark.parametrize("region", region_ids())
@settings(max_examples=60, deadline=None)
@given(value=st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=True),
                       st.text(max_size=12), st.lists(st.text(max_size=6), max_size=4)))
def test_any_json_value_is_validated_or_refused(region, value) -> None:
    dialog = load_region(region)
    for fact, reader in dialog.readers.items():
        try:
            reader.read_value(value)
        except AnswerError as error:
            assert str(error)


# -- SIGKILL while answering ------------------------------------------------------

CHILD = r"""
import random, sys, time
from intake_tui.i18n import Language
from intake_tui.engine.intake import Intake
from intake_tui.engine.store import Store
store, region, seed = Store(sys.argv[1]), sys.argv[2], int(sys.argv[3])
rng = random.Random(seed)
intake = Intake.start(region, Language("en"), store)
print("id", intake.session.record_id, flush=True)
while not intake.session.done:
    question = intake.dialog.questions[intake.session.question_id]
    text = {"bool": "ja", "int": str(int(question.max or 12)), "number": "2,5",
            "choice": "1", "choices": "1"}[question.type]
    intake.answer(text)
    print("saved", intake.session.question_id, len(intake.session.history), flush=True)
    time.sleep(rng.random() * 0.01)
print("done", flush=True)
time.sleep(5)
"""


@pytest.mark.parametrize("attempt", range(6))
def test_sigkill_loses_no_saved_answer(tmp_path, attempt) -> None:
    region = region_ids()[attempt % len(region_ids())]
    store_dir = tmp_path / "store"
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(store_dir), region, str(attempt)],
                             stdout=subprocess.PIPE, text=True)
    record_id = child.stdout.readline().split()[1]
    saved = 0
    deadline = time.monotonic() + random.Random(attempt).uniform(0.05, 0.4)
    while time.monotonic() < deadline:
        line = child.stdout.readline()
        if not line or line.startswith("done"):
            break
        saved = int(line.split()[2])
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    # Every file in the store is complete, valid JSON; no temporary file is mistaken for a record.
    files = [path for path in store_dir.iterdir() if path.suffix == ".json" and not path.name.startswith(".")]
    assert [path.stem for path in files] == [record_id]
    record = parse_record(files[0].read_bytes())
    assert len(record.path) >= saved  # every acknowledged answer is on disk
    # Resume continues at the exact next question.
    store = Store(store_dir)
    resumed = Intake.resume(store, record_id)
    try:
        assert resumed.session.question_id == record.next_question
        assert resumed.session.history == record.path
    finally:
        resumed.close()


def test_two_processes_never_share_a_draft(tmp_path) -> None:
    store = Store(tmp_path)
    first = Intake.start("liemers", EN, store)
    second = Intake.start("liemers", EN, store)
    assert first.session.record_id != second.session.record_id
    first.answer("ja")
    second.answer("nee")
    script = (
        "import sys\nfrom intake_tui.engine.intake import Intake\nfrom intake_tui.engine.store import Store\n"
        "from intake_tui.engine.store_api import StoreError\n"
        "try:\n    Intake.resume(Store(sys.argv[1]), sys.argv[2])\nexcept StoreError as e:\n    print(e); sys.exit(3)\n"
    )
    result = subprocess.run([sys.executable, "-c", script, str(tmp_path), first.session.record_id],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 3 and "already open" in result.stdout
    first.close()
    second.close()
    assert Store(tmp_path).load(first.session.record_id).answers == {"needs_exceed_basic": True}
    assert Store(tmp_path).load(second.session.record_id).status == "complete"


def test_store_and_records_are_private(tmp_path) -> None:
    store = Store(tmp_path / "private")
    intake = Intake.start("utrecht", EN, store, pupil_ref="ZZ-12")
    intake.close()
    assert (tmp_path / "private").stat().st_mode & 0o777 == 0o700
    for path in (tmp_path / "private").glob("*.json"):
        assert path.stat().st_mode & 0o777 == 0o600


def test_anonymous_mode_stores_no_reference(tmp_path) -> None:
    intake = Intake.start("liemers", EN, Store(tmp_path), pupil_ref="AB-1", anonymous=True)
    record = intake.save()
    intake.close()
    assert record.anonymous and record.pupil_ref is None
    assert "AB-1" not in (tmp_path / f"{record.id}.json").read_text()


def test_regions_that_require_anonymous_requests_store_no_reference(tmp_path) -> None:
    anonymous = [r for r in region_ids() if load_region(r).meta.anonymous_only]
    assert "utrecht" in anonymous
    intake = Intake.start("utrecht", EN, Store(tmp_path), pupil_ref="AB-1")
    record = intake.save()
    intake.close()
    assert record.anonymous and record.pupil_ref is None


def test_a_name_is_not_a_pupil_reference(tmp_path) -> None:
    with pytest.raises(ValueError):
        Intake.start("liemers", EN, Store(tmp_path), pupil_ref="Jan de Vries").save()


def test_answers_are_never_logged(tmp_path, caplog) -> None:
    import logging

    caplog.set_level(logging.DEBUG)
    intake = Intake.start("liemers", EN, Store(tmp_path), pupil_ref="REF-77")
    for answer in ("ja", "ja", "ja", "ja", "ja", "ja", "13", "51", "ja", "2,5"):
        intake.answer(answer)
    intake.close()
    assert caplog.records == [], [record.getMessage() for record in caplog.records]


def test_purge_removes_only_old_records(tmp_path, capsys) -> None:
    import datetime as dt

    from intake_tui.cli.main import main

    store = Store(tmp_path)
    old = Intake.start("liemers", EN, store)
    record = old.save().model_copy(update={"updated": dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)})
    store.save(record)
    old.close()
    new = Intake.start("breda", EN, store)
    new.save()
    new.close()
    assert main(["purge", "--older-than", "3y", "--dry-run", "--store", str(tmp_path)]) == 0
    assert len(list(tmp_path.glob("*.json"))) == 2
    assert main(["purge", "--older-than", "3y", "--store", str(tmp_path)]) == 0
    remaining = [p.stem for p in tmp_path.glob("*.json")]
    assert remaining == [new.session.record_id]
    assert main(["purge", "--older-than", "three years", "--store", str(tmp_path)]) == 2


def test_resume_of_unreadable_record_is_refused_with_reason(tmp_path) -> None:
    store = Store(tmp_path)
    store.ensure()
    (tmp_path / "20260101-broken0001.json").write_text('{"id": "20260101-broken0001", "region": "liemers", "schema_version": 99}')
    with pytest.raises(StoreError, match="newer version"):
        Intake.resume(store, "20260101-broken0001")
    assert (tmp_path / "20260101-broken0001.json").read_text().startswith('{"id"')  # never overwritten


# shared/scenarios/README.md's recommendation keys, and the outcome's id.
CONTRACT_KEYS = {"outcome", "route", "form", "level", "tlv", "domain", "group_offer", "hours_per_week", "missing", "warnings"}


def result_of_a_session(dialog, answers: dict, detail: str) -> dict:
    """What a check must say of complete answers, built without the check: an
    interactive session answers them one by one and its recommendation is dumped."""
    session = Session(dialog, EN)
    while not session.done:
        session.answer_value(answers[session.question_id])
    recommendation = session.recommendation().model_dump(mode="json")
    if detail == "brief":
        recommendation = {key: value for key, value in recommendation.items() if key in CONTRACT_KEYS}
    return {"region": dialog.region, "ruleset_version": dialog.meta.ruleset_version, "complete": True,
            "next_question": None, "path": session.history, "assumed": [], "recommendation": recommendation}


@pytest.mark.parametrize("region", region_ids())
@pytest.mark.parametrize("detail", ["brief", "full"])
def test_batch_and_single_check_say_what_the_session_recommends(region, detail, monkeypatch) -> None:
    """The batch validates whole lines from their bytes with one pydantic model and
    reuses equal results; each line and a single check must say exactly what an
    interactive session recommends for the same answers (brief: the contract keys)."""
    from intake_tui.check.batch import JsonLinesWriter, Summary, write_all
    from intake_tui.check.jsonl import jsonl_results
    from intake_tui.check.pipeline import Lines, Result, check_answers
    from intake_tui.rules.answers import AnswerError as Refused
    from intake_tui.rules.path_cases import path_cases

    dialog = load_region(region)
    cases = [case for case in path_cases(dialog) if case.feasible]
    exact_lines = []
    exact = Lines.raw
    monkeypatch.setattr(Lines, "raw", lambda self, number, raw: exact_lines.append(number) or exact(self, number, raw))
    lines = [json.dumps({"answers": {}}).encode()] + [json.dumps({"id": f"c{i}", "answers": case.answers}).encode()
                                                       for i, case in enumerate(cases)]
    results = list(jsonl_results(lines, "cases.jsonl", region, EN))
    assert exact_lines == [1]  # every case after the first line took the fast path
    out = io.StringIO()
    write_all(results, JsonLinesWriter(out, detail), Summary(), print)
    written = out.getvalue().splitlines()
    assert len(written) == len(results)
    for case, line, text in zip(cases, results[1:], written[1:], strict=True):
        assert line.error is None and isinstance(line.result, Result)
        slow = {}
        for fact, value in json.loads(json.dumps(case.answers)).items():
            try:
                slow[fact] = dialog.readers[fact].read_value(value)
            except Refused:
                pytest.fail(f"{fact}={value!r} refused")
        expected = result_of_a_session(dialog, slow, detail)
        assert check_answers(dialog, slow, EN, detail) == expected
        got = json.loads(text)
        assert got.pop("id").startswith("c") and got.pop("line") > 1
        assert got == expected
        assert line.result.route == expected["recommendation"]["route"]
        assert list(line.result.missing) == expected["recommendation"]["missing"]


def test_resume_of_a_record_of_an_unknown_region_is_refused_with_reason(tmp_path) -> None:
    store = Store(tmp_path)
    intake = Intake.start("liemers", EN, store)
    record = intake.save().model_copy(update={"region": "atlantis"})
    intake.close()
    store.save(record)
    with pytest.raises(StoreError, match="atlantis"):
        Intake.resume(store, record.id)
