"""Every store test, once per back end: the folder store and the shared register
(PostgreSQL) behind the one interface of ``store_api.RecordStore``.

What only one back end has stays with it: files, modes and unreadable files in
test_store.py and test_store_hostile.py; row-level security, the audit trail, a
killed process, racing connections and migrations in test_register.py.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from intake_tui.cli.main import main
from intake_tui.engine.intake import Intake
from intake_tui.engine.store_api import AlreadyOpen, RecordStore, StaleRevision, StoreError
from intake_tui.engine.stores import store_at
from intake_tui.i18n import language

from ..postgres_support import url_for
from .test_store import T0, make_record

EN = language("en")
OLD = dt.datetime(2015, 1, 1, tzinfo=dt.timezone.utc)


@pytest.fixture(params=["folder", "register"])
def address(request, tmp_path) -> str:
    """Where the store is: a folder, or a register in a schema of its own."""
    if request.param == "folder":
        return str(tmp_path / "store")
    return url_for(request.getfixturevalue("schema"))


@pytest.fixture
def store(address):
    opened = store_at(address)
    yield opened
    opened.close()


@pytest.fixture
def other_window(address):
    """A second store on the same place: another window or process."""
    opened = store_at(address)
    yield opened
    opened.close()


def test_both_back_ends_are_the_one_interface(store) -> None:
    assert isinstance(store, RecordStore)
    store.open()


# -- save and load ---------------------------------------------------------------------------------
def test_round_trip(store) -> None:
    record = make_record(consultant="Anne de Wit", school="De Regenboog")
    saved = store.save(record)
    assert saved == record.model_copy(update={"revision": 1})
    loaded = store.load(record.id)
    assert loaded == saved
    assert loaded.answers["hgw_months"] == 6 and type(loaded.answers["hgw_months"]) is int
    assert loaded.answers["needs_exceed_basic"] is True and loaded.answers["hours"] == 2.5
    assert loaded.answers["milieus"] == ["home", "school"]


def test_save_overwrites_the_same_id_one_revision_up(store) -> None:
    first = store.save(make_record(status="draft"))
    second = store.save(make_record(status="complete", next_question=None, revision=first.revision))
    assert (first.revision, second.revision) == (1, 2)
    assert store.load(first.id).status == "complete" and store.load(first.id).revision == 2
    assert [entry.id for entry in store.entries()] == [first.id]


def test_load_of_a_missing_record(store) -> None:
    with pytest.raises(StoreError, match="no record 'nope12'"):
        store.load("nope12")


def test_revision_goes_up_on_every_save_of_an_intake(store) -> None:
    intake = Intake.start("liemers", EN, store, consultant="Anne de Wit", school="De Regenboog")
    try:
        intake.answer("ja")  # a draft starts with its first answer
        assert store.load(intake.session.record_id).revision == 1
        intake.back()
        record = store.load(intake.session.record_id)
        assert (record.revision, record.consultant, record.school) == (2, "Anne de Wit", "De Regenboog")
    finally:
        intake.close()
    resumed = Intake.resume(store, None)  # the newest draft
    try:
        assert resumed.session.record_id == record.id
        resumed.answer("ja")
        assert store.load(record.id).revision == 3
    finally:
        resumed.close()


# -- a stale window never overwrites a newer revision ------------------------------------------------
def test_a_stale_save_never_overwrites_a_newer_revision(store, other_window) -> None:
    first = store.save(make_record())
    newer = other_window.save(first.model_copy(update={"status": "complete", "next_question": None}))
    assert (first.revision, newer.revision) == (1, 2)
    with pytest.raises(StaleRevision, match="was changed elsewhere after this window read it .* nothing was saved"):
        store.save(first.model_copy(update={"answers": {}}))
    assert store.load(first.id) == newer


def test_a_stale_window_keeps_its_answer_and_changes_nothing(store, other_window) -> None:
    intake = Intake.start("liemers", EN, store)
    try:
        record_id = intake.session.record_id
        intake.answer("ja")
        # Elsewhere the record moves on (a later revision saved by the same store, under this window's lock).
        later = store.save(store.load(record_id).model_copy(update={"answers": {"needs_exceed_basic": False}}))
        question = intake.session.question_id
        with pytest.raises(StaleRevision):
            intake.answer("ja")
        assert intake.session.question_id == question and intake.session.answers == {"needs_exceed_basic": True}
        assert other_window.load(record_id) == later
    finally:
        intake.close()


# -- a draft open in one window is already open in another ------------------------------------------
def test_a_draft_open_in_one_window_is_already_open_in_another(store, other_window) -> None:
    intake = Intake.start("liemers", EN, store)
    intake.answer_value(True)
    record = intake.save()
    try:
        with pytest.raises(AlreadyOpen, match=f"intake {record.id} is already open in another window or process"):
            with other_window.lock(record.id):
                pass  # pragma: no cover
        with pytest.raises(AlreadyOpen):
            Intake.resume(other_window, record.id)
        with pytest.raises(AlreadyOpen):  # a save takes the lock when it does not hold it
            other_window.save(record)
        with pytest.raises(AlreadyOpen):  # one window cannot open it twice either
            with store.lock(record.id):
                pass  # pragma: no cover
    finally:
        intake.close()
    assert other_window.load(record.id) == record
    with other_window.lock(record.id):  # closed: free again
        other_window.save(record)
    with store.lock("20250901-other0"), other_window.lock("20250901-other1"):
        pass  # other records are not locked


# -- listing ----------------------------------------------------------------------------------------
def fill(store) -> None:
    store.save(make_record("20250901-aaaaaa", updated=T0, pupil_ref="LL-1"))
    store.save(make_record("20250902-bbbbbb", updated=T0 + dt.timedelta(days=1), pupil_ref="LL-2"))
    store.save(make_record("20250903-cccccc", status="complete", updated=T0 + dt.timedelta(days=2), pupil_ref="ll-1"))
    store.save(make_record("20250903-dddddd", status="complete", updated=T0 + dt.timedelta(days=2), region="breda",
                           swv="RSV Breda", pupil_ref=None, anonymous=True))


def ids(entries) -> list[str]:
    return [entry.id for entry in entries]


def test_the_listing_is_newest_first_then_by_id(store) -> None:
    fill(store)
    assert ids(store.entries()) == ["20250903-dddddd", "20250903-cccccc", "20250902-bbbbbb", "20250901-aaaaaa"]
    assert all(entry.problem is None and entry.record is not None for entry in store.entries())
    assert store.newest_draft().id == "20250902-bbbbbb"


def test_the_listing_filters_and_pages(store) -> None:
    fill(store)
    assert ids(store.listing(status="draft")) == ["20250902-bbbbbb", "20250901-aaaaaa"]
    assert ids(store.listing(status="complete", region="liemers")) == ["20250903-cccccc"]
    assert ids(store.listing(region="breda")) == ["20250903-dddddd"]
    assert ids(store.listing(pupil_ref="LL-1")) == ["20250903-cccccc", "20250901-aaaaaa"]  # without case
    assert ids(store.listing(pupil_ref="nobody")) == []
    assert ids(store.listing(limit=2)) == ["20250903-dddddd", "20250903-cccccc"]
    assert ids(store.listing(limit=2, offset=2)) == ["20250902-bbbbbb", "20250901-aaaaaa"]
    assert ids(store.listing(offset=3)) == ["20250901-aaaaaa"]


def test_an_empty_store(store) -> None:
    assert store.entries() == [] and store.newest_draft() is None
    with pytest.raises(StoreError, match="there is no draft to resume"):
        Intake.resume(store, None)


def test_the_list_command_on_either_store(store, address, capsys) -> None:
    fill(store)
    assert main(["--lang", "en", "--store", address, "list", "--status", "draft", "--limit", "1", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [item["id"] for item in listed] == ["20250902-bbbbbb"] and listed[0]["pupil_ref"] == "LL-2"
    assert main(["--lang", "en", "--store", address, "list", "--pupil-ref", "nobody"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("No records with this pupil reference in ") and "postgres@" not in out


# -- delete and purge -------------------------------------------------------------------------------
def test_delete(store) -> None:
    record = store.save(make_record())
    store.delete(record.id)
    assert store.entries() == []
    with pytest.raises(StoreError):
        store.load(record.id)


def test_purge_deletes_old_records_and_keeps_recent_ones(store) -> None:
    old = store.save(make_record("20150101-old000", updated=OLD))
    recent = store.save(make_record("20250901-recent", updated=dt.datetime.now(dt.timezone.utc)))
    cutoff = dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)
    dry = store.purge(cutoff, dry_run=True)
    assert ids(dry.deleted) == [old.id] and dry.skipped == []
    assert ids(store.entries()) == [recent.id, old.id]  # a dry run deletes nothing
    report = store.purge(cutoff)
    assert ids(report.deleted) == [old.id] and report.skipped == []
    assert ids(store.entries()) == [recent.id]
    with pytest.raises(StoreError):
        store.load(old.id)
    assert store.purge(cutoff).deleted == []


def test_purge_skips_a_draft_open_in_another_window_and_says_why(store, other_window) -> None:
    open_draft = store.save(make_record("20150101-open00", updated=OLD))
    old = store.save(make_record("20150101-old000", updated=OLD))
    cutoff = dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)
    with other_window.lock(open_draft.id):
        for dry_run in (True, False):
            report = store.purge(cutoff, dry_run=dry_run)
            assert ids(report.deleted) == [old.id]
            assert [(record_id, str(reason)) for record_id, reason in report.skipped] == [
                (open_draft.id, f"intake {open_draft.id} is already open in another window or process")]
    assert store.load(open_draft.id) == open_draft


def test_the_purge_command_on_either_store(store, address, capsys) -> None:
    old = store.save(make_record("20150101-old000", updated=OLD))
    assert main(["--lang", "en", "--store", address, "purge", "--older-than", "3y"]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == [f"deleted {old.id}"] and "1 record older than 3y" in err
    assert store.entries() == []


# -- follow-ups that fall due -------------------------------------------------------------------------
def finished(store, region="liemers", no=False, pupil_ref=None):
    intake = Intake.start(region, EN, store, pupil_ref=pupil_ref)
    intake.answer_value(not no)
    if not no:
        while intake.session.question_id is not None:
            question = intake.dialog.questions[intake.session.question_id]
            intake.answer_value({"bool": True, "int": 8, "number": 2.5}.get(
                question.type, question.choices[0].value if question.choices else None))
    record = intake.save()
    intake.close()
    return record


def test_due_lists_the_follow_ups_earliest_first(store, address, rules_with_terms, capsys) -> None:
    from intake_tui.engine.followups import follow_ups

    record = finished(store, pupil_ref="DUE-1")
    finished(store, no=True)  # basic support: no follow-ups
    assert record.recommendation.route == "arrangement"
    terms = follow_ups(record)
    today = dt.date.today()
    six_weeks = (record.intake_date or today) + dt.timedelta(weeks=6)
    window = store.due(six_weeks, today)
    assert [(item.due, item.what, item.record_id, item.pupil_ref) for item in window] == [
        (term.due, term.text, record.id, "DUE-1") for term in terms if today <= term.due <= six_weeks]
    assert six_weeks in [item.due for item in window]
    assert [item.due for item in store.due(six_weeks, six_weeks)] == [term.due for term in terms if term.due == six_weeks]
    assert store.due(today + dt.timedelta(days=1), today) == []
    assert ids(store.listing(due_before=six_weeks)) == [record.id]
    assert store.listing(due_before=today) == []
    assert main(["--lang", "en", "--store", address, "due", "--within", "60d", "--format", "json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert {"due": six_weeks.isoformat(), "id": record.id} in [{"due": f["due"], "id": f["id"]} for f in found]
    assert main(["--lang", "en", "--store", address, "due", "--within", "1d"]) == 0
    assert "Nothing falls due" in capsys.readouterr().out


def test_due_as_a_table_lines_up_its_columns(store, address, rules_with_terms, capsys) -> None:
    """Dates and references differ in length ('6 januari 2027', '31 juli 2027'; 'D' and a long
    reference): the id and the text start in the same column on every line (red when each
    line is written as it comes)."""
    import re

    finished(store, pupil_ref="D")
    finished(store, pupil_ref="A-LONGER-REFERENCE")
    assert main(["--lang", "nl", "--store", address, "due", "--within", "400d"]) == 0
    lines = capsys.readouterr().out.splitlines()
    rows = [re.match(r"^(.+?)  (\d{8}-[0-9a-z]{10})  (\S+)\s+(\S.*)$", line) for line in lines]
    assert len(lines) > 2 and all(rows), lines
    assert len({row.start(2) for row in rows}) == 1 and len({row.start(4) for row in rows}) == 1, lines
    assert len({len(row[1].rstrip()) for row in rows}) > 1, "the dates were meant to differ in length"
