"""The folder store: atomic files with private modes, unreadable files, record migration, lock files.

What every store does (save, load, list, revisions, an open draft, purge, due) is
tested once per back end in test_stores.py.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from intake_tui.engine.folder_index import INDEX_NAME
from intake_tui.engine.record import MIGRATIONS, SCHEMA_VERSION, IntakeRecord, RecordError, parse_record
from intake_tui.engine.store import Store
from intake_tui.engine.store_api import SaveError, StoreError

T0 = dt.datetime(2025, 9, 1, 10, 0, tzinfo=dt.timezone.utc)


def make_record(record_id: str = "20250901-abcdef0123", *, status: str = "draft", updated: dt.datetime = T0, **extra) -> IntakeRecord:
    fields = dict(
        id=record_id,
        region="liemers",
        swv="SWV de Liemers",
        ruleset_version="2025.1",
        valid_from=dt.date(2025, 8, 1),
        status=status,
        answers={"needs_exceed_basic": True, "hgw_months": 6, "hours": 2.5, "kind": "heavy", "milieus": ["home", "school"]},
        path=["needs_exceed_basic", "hgw_months"],
        next_question="milieus",
        created=T0,
        updated=updated,
        language="nl",
        pupil_ref="D-17",
    )
    fields.update(extra)
    return IntakeRecord(**fields)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "records")


# -- save / load ---------------------------------------------------------------------------
def test_a_record_is_one_file_named_by_its_id(store: Store) -> None:
    first = store.save(make_record(status="draft"))
    store.save(make_record(status="complete", next_question=None, revision=first.revision))
    assert [p.name for p in store.folder.iterdir()] == ["20250901-abcdef0123.json"]
    assert json.loads((store.folder / "20250901-abcdef0123.json").read_text())["schema_version"] == SCHEMA_VERSION


@pytest.mark.parametrize("bad_id", ["../evil", ".hidden", "a/b"])
def test_ids_that_are_not_file_names_are_refused(store: Store, bad_id: str) -> None:
    with pytest.raises(StoreError, match="not a record id"):
        store.load(bad_id)
    with pytest.raises(StoreError, match="not a record id"):
        with store.lock(bad_id):
            pass


def test_file_and_folder_modes(store: Store) -> None:
    old_umask = os.umask(0o022)
    try:
        path = store.folder / f"{store.save(make_record()).id}.json"
    finally:
        os.umask(old_umask)
    assert mode(path) == 0o600
    assert mode(store.folder) == 0o700


def test_an_open_folder_is_made_private(tmp_path: Path) -> None:
    folder = tmp_path / "open"
    folder.mkdir(mode=0o755)
    os.chmod(folder, 0o755)
    Store(folder).save(make_record())
    assert mode(folder) == 0o700


def test_atomic_write_leaves_no_temporary_file(store: Store) -> None:
    saved = store.save(make_record())
    store.save(make_record(status="complete", revision=saved.revision))
    assert sorted(p.name for p in store.folder.iterdir()) == ["20250901-abcdef0123.json"]


def test_new_content_appears_only_by_one_rename(store: Store, monkeypatch) -> None:
    """Up to the rename the target holds the old bytes; the renamed file is complete and private."""
    path = store.folder / f"{store.save(make_record(status='draft')).id}.json"
    before = path.read_bytes()
    new = make_record(status="complete", next_question=None, revision=1)
    real_replace = os.replace
    seen = []

    def spy(source, target):
        source, target = Path(source), Path(target)
        if target.parent == store.folder:  # not the compiled-dialog cache, written when the rules first load
            seen.append((source.parent, target, path.read_bytes() == before, source.read_bytes(), mode(source)))
        return real_replace(source, target)

    monkeypatch.setattr(os, "replace", spy)
    store.save(new)
    assert len(seen) == 1
    folder, target, old_intact, written, written_mode = seen[0]
    assert (folder, target, old_intact, written_mode) == (store.folder, path, True, 0o600)
    assert parse_record(written) == new.model_copy(update={"revision": 2})
    assert path.read_bytes() == written


def test_failing_write_keeps_the_old_file(store: Store, monkeypatch) -> None:
    path = store.folder / f"{store.save(make_record(status='draft')).id}.json"
    before = path.read_bytes()

    def broken_replace(source, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(SaveError, match="the disk is full") as error:
        store.save(make_record(status="complete", next_question=None, revision=1))
    assert error.value.disk_full
    assert path.read_bytes() == before
    assert store.load("20250901-abcdef0123").status == "draft"
    assert sorted(p.name for p in store.folder.iterdir()) == [path.name]


def test_failing_write_midway_keeps_the_old_file(store: Store, monkeypatch) -> None:
    path = store.folder / f"{store.save(make_record(status='draft')).id}.json"
    before = path.read_bytes()

    def broken_fsync(descriptor):
        raise OSError(5, "I/O error")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(SaveError, match="input/output error"):
        store.save(make_record(status="complete", next_question=None, revision=1))
    assert path.read_bytes() == before
    assert sorted(p.name for p in store.folder.iterdir()) == [path.name]


# -- entries ------------------------------------------------------------------------------------------
def test_entries_of_a_missing_folder(tmp_path: Path) -> None:
    assert Store(tmp_path / "nothing").entries() == []
    assert Store(tmp_path / "nothing").newest_draft() is None


UNREADABLE = {
    "corrupt": (b"\x00\xff\xfe garbage", "not valid JSON"),
    "truncated": (None, "not valid JSON"),
    "foreign-list": (b"[1, 2, 3]", "not an intake record"),
    "foreign-object": (b'{"name": "some other program", "version": 3}', "not an intake record"),
    "future": (None, "made by a newer version of intake_tui"),
    "invalid": (None, "status"),
    "empty": (b"", "not valid JSON"),
}


def write_unreadable(store: Store) -> dict[str, bytes]:
    store.ensure()
    good = make_record("20250901-good00").model_dump_json(indent=2).encode()
    future = json.loads(good)
    future.update(schema_version=SCHEMA_VERSION + 1, id="20250901-future")
    invalid = json.loads(good)
    invalid.update(id="20250901-invalid", status="archived")
    contents = {
        name: raw for name, (raw, _) in UNREADABLE.items()
    }
    contents["truncated"] = good[: len(good) // 2]
    contents["future"] = json.dumps(future).encode()
    contents["invalid"] = json.dumps(invalid).encode()
    for name, raw in contents.items():
        (store.folder / f"{name}.json").write_bytes(raw)
    return contents


def test_entries_report_unreadable_files_and_never_touch_them(store: Store) -> None:
    store.save(make_record("20250901-good00"))
    contents = write_unreadable(store)
    times = {name: (store.folder / f"{name}.json").stat().st_mtime_ns for name in contents}
    entries = {entry.id: entry for entry in store.entries()}
    assert set(entries) == {"20250901-good00", *UNREADABLE}
    assert entries["20250901-good00"].record is not None
    for name, (_, reason) in UNREADABLE.items():
        entry = entries[name]
        assert entry.record is None, name
        assert reason in entry.problem, (name, entry.problem)
    assert f"record schema {SCHEMA_VERSION + 1}" in entries["future"].problem
    # Reading the list (and looking for a draft) writes nothing but the index.
    assert store.newest_draft().id == "20250901-good00"
    for name, raw in contents.items():
        path = store.folder / f"{name}.json"
        assert path.read_bytes() == raw
        assert path.stat().st_mtime_ns == times[name]
    assert {path.name for path in store.folder.iterdir()} - {INDEX_NAME} == {
        "20250901-good00.json", *(f"{name}.json" for name in contents)}


def test_load_of_an_unreadable_file_names_the_reason(store: Store) -> None:
    write_unreadable(store)
    with pytest.raises(StoreError, match=r"^future\.json: made by a newer version"):
        store.load("future")
    with pytest.raises(StoreError, match=r"^foreign-list\.json: not an intake record"):
        store.load("foreign-list")


def test_entries_skip_hidden_files(store: Store) -> None:
    store.save(make_record())
    (store.folder / ".20250901-abcdef0123.x.tmp").write_bytes(b"{")
    (store.folder / ".notes.json").write_bytes(b"{")
    (store.folder / "readme.txt").write_bytes(b"hello")
    assert [e.id for e in store.entries()] == ["20250901-abcdef0123"]


# -- records and migration ----------------------------------------------------------------------------------
def v1_data(**extra) -> dict:
    data = json.loads(make_record().model_dump_json())
    del data["schema_version"], data["revision"], data["consultant"], data["school"]
    del data["anonymous"]
    data["lang"] = data.pop("language")
    data.update(extra)
    return data


def test_migration_from_version_1() -> None:
    assert set(MIGRATIONS) == {1, 2}
    data = v1_data(lang="en")
    record = parse_record(json.dumps(data).encode())
    assert record.schema_version == 3
    assert (record.revision, record.consultant, record.school) == (0, None, None)
    assert record.language == "en"
    assert record.anonymous is False
    assert record.pupil_ref == "D-17"
    assert record.answers == make_record().answers


def test_migration_from_explicit_version_1_without_reference() -> None:
    record = parse_record(json.dumps(v1_data(schema_version=1, pupil_ref=None)).encode())
    assert record.anonymous is True
    assert record.language == "nl"


def test_migration_of_a_stored_file(store: Store) -> None:
    store.ensure()
    path = store.folder / "20250901-abcdef0123.json"
    raw = json.dumps(v1_data()).encode()
    path.write_bytes(raw)
    assert store.load("20250901-abcdef0123").language == "nl"
    assert store.entries()[0].record.schema_version == 3
    assert path.read_bytes() == raw  # migrated on load, not rewritten behind the user's back


def v2_data(**extra) -> dict:
    data = json.loads(make_record().model_dump_json())
    del data["revision"], data["consultant"], data["school"]
    data["schema_version"] = 2
    data.update(extra)
    return data


def test_migration_from_version_2() -> None:
    record = parse_record(json.dumps(v2_data()).encode())
    assert record.schema_version == 3
    assert (record.revision, record.consultant, record.school) == (0, None, None)
    assert record.model_dump(exclude={"schema_version", "revision", "consultant", "school"}) == make_record().model_dump(
        exclude={"schema_version", "revision", "consultant", "school"})


@pytest.mark.parametrize("name", ["Anne de Wit", "Basisschool De Regenboog, Zevenaar", "x" * 80, "Zoë Çelik-Öztürk"])
def test_consultant_and_school_take_short_plain_names(name) -> None:
    record = make_record(consultant=name, school=name)
    assert parse_record(record.model_dump_json().encode()) == record


@pytest.mark.parametrize("name", ["", "   ", "x" * 81, "Anne\x1b[2J", "De\nRegenboog", "a\u202eb", "tab\there", "zw\u200bsp"])
def test_consultant_and_school_refuse_control_characters_and_long_texts(name) -> None:
    from intake_tui.engine.record import ShortTextError, check_short_text

    for field in ("consultant", "school"):
        with pytest.raises(ValueError):
            make_record(**{field: name})
        data = json.loads(make_record().model_dump_json())
        data[field] = name
        with pytest.raises(RecordError, match=field):
            parse_record(json.dumps(data).encode())
    with pytest.raises(ShortTextError, match="not a short plain name"):
        check_short_text(name)


def test_schema_command_describes_version_3(capsys) -> None:
    from intake_tui.cli.main import main

    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["properties"]["schema_version"]["const"] == 3
    assert {"revision", "consultant", "school"} <= set(schema["properties"])
    assert schema["properties"]["consultant"]["anyOf"][0]["maxLength"] == 80


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ({"id": "x", "region": "r", "schema_version": "2"}, "its schema_version is not a number"),
        ({"id": "x", "region": "r", "schema_version": True}, "its schema_version is not a number"),
        ({"id": "x", "region": "r", "schema_version": 0}, "record schema 0 can no longer be read"),
        ({"id": "x", "region": "r", "schema_version": 99}, "record schema 99"),
        ({"region": "r"}, "not an intake record"),
        ("just a string", "not an intake record"),
    ],
)
def test_parse_record_refuses(data, reason) -> None:
    with pytest.raises(RecordError) as error:
        parse_record(json.dumps(data).encode())
    assert reason in str(error.value)


def test_parse_record_refuses_unknown_keys() -> None:
    data = json.loads(make_record().model_dump_json())
    data["pupil_name"] = "Jan Jansen"
    with pytest.raises(RecordError, match="pupil_name"):
        parse_record(json.dumps(data).encode())


@pytest.mark.parametrize("reference", ["Jan Jansen", "", "a" * 41, "-x"])
def test_pupil_reference_cannot_hold_a_name(reference) -> None:
    with pytest.raises(ValueError):
        make_record(pupil_ref=reference)


# -- the lock --------------------------------------------------------------------------------------------------
def test_a_released_lock_leaves_no_lock_file(store: Store) -> None:
    with store.lock("20250901-abcdef0123"), store.lock("20250901-other0"):
        pass
    assert [p.name for p in store.folder.iterdir() if p.name.endswith(".lock")] == []


LOCK_HOLDER = """
import sys, time
from intake_tui.engine.store import Store
from intake_tui.engine.store_api import SaveError, StoreError
store = Store(sys.argv[1])
try:
    with store.lock(sys.argv[2]):
        print("locked", flush=True)
        sys.stdin.readline()
except StoreError as error:
    print("refused:", error, flush=True)
"""


def test_lock_is_exclusive_between_processes(store: Store) -> None:
    store.ensure()
    holder = subprocess.Popen(
        [sys.executable, "-c", LOCK_HOLDER, str(store.folder), "20250901-abcdef0123"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(StoreError, match="intake 20250901-abcdef0123 is already open"):
            with store.lock("20250901-abcdef0123"):
                pass  # pragma: no cover
        second = subprocess.run(
            [sys.executable, "-c", LOCK_HOLDER, str(store.folder), "20250901-abcdef0123"],
            input="\n", capture_output=True, text=True, timeout=30,
        )
        assert second.stdout.startswith("refused: intake 20250901-abcdef0123 is already open")
    finally:
        holder.communicate("\n", timeout=30)
    assert holder.returncode == 0
    with store.lock("20250901-abcdef0123"):
        pass


def test_a_lock_file_replaced_under_us_is_not_the_lock(store: Store, monkeypatch) -> None:
    # Between our open() and flock() the holder before us may remove its lock file;
    # locking the old, unlinked file must not count as holding the record.
    real_flock = __import__("fcntl").flock
    lock_path = store.folder / ".20250901-abcdef0123.lock"

    def flock_after_removal(descriptor, operation):
        if lock_path.exists():
            lock_path.unlink()
        return real_flock(descriptor, operation)

    monkeypatch.setattr("intake_tui.engine.folder_locks.fcntl.flock", flock_after_removal)
    with pytest.raises(StoreError, match="already open"):
        with store.lock("20250901-abcdef0123"):
            pass  # pragma: no cover


@pytest.mark.parametrize("reference", ["Jan Jansen", "", "a" * 41, "-x"])
def test_intake_new_refuses_a_name_as_pupil_reference_in_plain_words(reference, tmp_path, monkeypatch, capsys) -> None:
    """One line saying what a reference may hold, in the user's language; nothing stored; no screen opened."""
    from intake_tui.cli.main import main

    def screen(app):
        raise AssertionError("the screen opened")

    monkeypatch.setattr("intake_tui.cli.tui._run", screen)
    for lang, words in (("en", "is not a pupil reference"), ("nl", "is geen leerlingreferentie")):
        code = main(["new", "--lang", lang, "--region", "liemers", f"--pupil-ref={reference}", "--store", str(tmp_path / "store")])
        out, err = capsys.readouterr()
        assert code == 2, err
        assert err.startswith(f"intake: {reference!r} {words}"), err
        assert "Traceback" not in err and "pydantic" not in err
        assert len(err.strip().splitlines()) == 1 and out == ""
    assert not list((tmp_path / "store").glob("*.json"))


def test_intake_new_in_a_process_refuses_a_name_before_the_screen_opens(tmp_path) -> None:
    """The same, as typed at a terminal: the sentence, exit 2, and nothing of a screen (no input to wait for)."""
    result = subprocess.run(
        [sys.executable, "-m", "intake_tui", "new", "--lang", "nl", "--region", "liemers", "--pupil-ref=Jan Jansen",
         "--store", str(tmp_path / "store")],
        capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("intake: 'Jan Jansen' is geen leerlingreferentie"), result.stderr
    assert result.stderr.count("\n") == 1 and result.stdout == ""
    assert not list((tmp_path / "store").glob("*.json"))
