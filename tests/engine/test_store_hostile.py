"""Issue 17, the store's side: a record is never lost, never leaked, and no record
file, folder or disk problem ends in a traceback.

Each test names the item of the issue it holds.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import errno
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from intake_tui.cli.main import main
from intake_tui.engine.intake import Intake
from intake_tui.engine.record import SCHEMA_VERSION, IntakeRecord
from intake_tui.engine.store import Store
from intake_tui.engine.store_api import SaveError, StoreError
from intake_tui.i18n import Language

from .test_store import LOCK_HOLDER, T0, make_record

EN = Language("en")
OLD = dt.datetime(2015, 1, 1, tzinfo=dt.timezone.utc)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    """``intake ARGV --lang en`` in this process (the start screen when ARGV begins with an option)."""
    code = main(["--lang", "en", *argv]) if argv[0].startswith("--") else main([*argv, "--lang", "en"])
    out, err = capsys.readouterr()
    return code, out, err


def files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir()) if path.is_file()}


def record_bytes(record: IntakeRecord) -> bytes:
    return record.model_dump_json(indent=2).encode()


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "records")
    store.ensure()
    return store


class Holder:
    """Another process holding a record's lock (a window with the draft open)."""

    def __init__(self, store: Store, record_id: str) -> None:
        self.process = subprocess.Popen([sys.executable, "-c", LOCK_HOLDER, str(store.folder), record_id],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self.process.stdout.readline().strip() == "locked"

    def __enter__(self) -> Holder:
        return self

    def __exit__(self, *exc) -> None:
        self.process.communicate("\n", timeout=60)


# -- item 1: a record's identity is one thing; a stale window never undoes later work ------------------
def test_a_copied_record_is_unreadable_and_never_written(store: Store, capsys) -> None:
    """Issue 17 item 1: draft X copied to backup.json, X finished, then `resume backup`."""
    intake = Intake.start("liemers", EN, store, pupil_ref="D-1")
    record_id = intake.session.record_id
    intake.answer("ja")
    shutil.copy(store.folder / f"{record_id}.json", store.folder / "backup.json")
    for answer in ("ja", "ja", "ja", "ja", "ja", "13", "51", "ja", "2,5"):
        intake.answer(answer)
    intake.close()
    finished = store.load(record_id)
    assert finished.status == "complete"
    before = files(store.folder)

    with pytest.raises(StoreError, match="is not its file name"):
        Intake.resume(store, "backup")
    code, out, err = run(capsys, "resume", "backup", "--store", str(store.folder))
    assert code == 2
    assert err.startswith(f"intake: backup.json: the id inside ({record_id}) is not its file name")
    code, out, err = run(capsys, "list", "--store", str(store.folder))
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith(record_id) and "complete" in lines[0]
    assert lines[1].startswith("backup") and "unreadable: the id inside" in lines[1]
    code, out, err = run(capsys, "export", "backup", "--store", str(store.folder))
    assert code == 2 and "is not its file name" in err
    # A save of the copy's record is refused too: it is not the record of that name.
    with pytest.raises(StoreError, match="not a record id|is not its file name|not overwritten"):
        store.save(finished.model_copy(update={"id": "backup"}))
    assert files(store.folder) == before
    assert store.load(record_id) == finished


def test_a_file_holding_another_record_is_never_overwritten(store: Store) -> None:
    store.save(make_record("20250901-other0"))
    os.replace(store.folder / "20250901-other0.json", store.folder / "20250901-abcdef0123.json")
    before = files(store.folder)
    with pytest.raises(StoreError, match=r"20250901-abcdef0123\.json is not overwritten: the id inside \(20250901-other0\)"):
        store.save(make_record())
    assert files(store.folder) == before


def test_a_save_takes_the_lock_when_it_does_not_hold_it(store: Store) -> None:
    record = store.save(make_record())
    with Holder(store, record.id):
        with pytest.raises(StoreError, match="already open in another window"):
            store.save(record)
    assert store.load(record.id) == record


# -- item 4: no temporary copy or lock survives; purge never reports a record deleted while a copy remains
def leftovers(store: Store, record_id: str, secret: bytes = b'"pupil_ref": "D-17"') -> list[Path]:
    made = [store.folder / f".{record_id}.k2j3h4.tmp", store.folder / f".{record_id}.a8b9c0.tmp"]
    for path in made:
        path.write_bytes(b"{" + secret)
    (store.folder / f".{record_id}.lock").write_bytes(b"")
    return made


def test_a_start_of_the_store_removes_what_a_killed_process_left(store: Store, capsys) -> None:
    """Issue 17 item 4: temporary files and stale locks of a process that died go at the next start."""
    record = store.save(make_record())
    leftovers(store, record.id)
    leftovers(store, "20250101-gone00")  # of a record that was never completed
    code, out, _ = run(capsys, "list", "--store", str(store.folder))
    assert code == 0 and out.startswith(record.id)
    assert sorted(files(store.folder)) == [f"{record.id}.json"]
    leftovers(store, record.id)
    code, out, _ = run(capsys, "export", record.id, "--format", "json", "--store", str(store.folder))
    assert code == 0 and sorted(files(store.folder)) == [f"{record.id}.json"]


def test_files_of_a_record_open_elsewhere_are_left_alone(store: Store) -> None:
    record = store.save(make_record())
    with Holder(store, record.id):
        made = leftovers(store, record.id)[:1]
        Store(store.folder).entries()
        assert all(path.exists() for path in made)
        assert (store.folder / f".{record.id}.lock").exists()
    Store(store.folder).entries()
    assert not any(path.exists() for path in made)


def test_purge_deletes_every_copy_of_a_record(store: Store, capsys) -> None:
    """Issue 17 item 4: a killed save left `.ID.xxxx.tmp`; purge reports the record deleted only with it gone."""
    record = store.save(make_record(updated=OLD))
    leftovers(store, record.id)
    purger = Store(store.folder)
    purger._swept = True  # as if the temporary files appeared after this store started
    report = purger.purge(dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc))
    assert [r.id for r in report.deleted] == [record.id] and report.skipped == []
    assert files(store.folder) == {}


def test_purge_reports_a_record_whose_copy_cannot_be_removed_as_skipped(store: Store, monkeypatch) -> None:
    record = store.save(make_record(updated=OLD))
    temporary = leftovers(store, record.id)[0]
    real_unlink = Path.unlink

    def unlink(path, missing_ok=False):
        if path == temporary:
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_unlink(path, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", unlink)
    store.locks.swept = True
    report = store.purge(dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc))
    assert report.deleted == []
    assert [(rid, str(reason)) for rid, reason in report.skipped] == [(record.id, "cannot delete it: permission denied")]
    assert (store.folder / f"{record.id}.json").exists()  # the record stays while a copy of it does


# -- item 6: purge respects the lock and says what it skipped and why --------------------------------------
def test_purge_skips_a_draft_open_in_another_window_and_says_why(store: Store, capsys) -> None:
    """Issue 17 item 6."""
    open_draft = store.save(make_record("20150101-open00", updated=OLD))
    old = store.save(make_record("20150101-old000", updated=OLD))
    recent = store.save(make_record("20250901-recent", updated=dt.datetime.now(dt.timezone.utc)))
    (store.folder / "broken.json").write_bytes(b"{not json")
    future = json.loads(record_bytes(make_record("20150101-future", updated=OLD)))
    future["schema_version"] = SCHEMA_VERSION + 1
    (store.folder / "20150101-future.json").write_text(json.dumps(future))
    with Holder(store, open_draft.id):
        code, out, err = run(capsys, "purge", "--older-than", "3y", "--dry-run", "--store", str(store.folder))
        assert code == 0
        assert f"would delete {old.id}" in out and f"would delete {open_draft.id}" not in out
        assert f"skipped {open_draft.id}: intake {open_draft.id} is already open" in out
        code, out, err = run(capsys, "purge", "--older-than", "3y", "--store", str(store.folder))
    assert code == 0
    lines = out.splitlines()
    assert f"deleted {old.id}" in lines
    assert f"skipped {open_draft.id}: intake {open_draft.id} is already open in another window or process" in lines
    assert "skipped broken: unreadable: not valid JSON (line 1, column 2)" in lines
    assert any(line.startswith("skipped 20150101-future: unreadable: made by a newer version of intake_tui") for line in lines)
    assert "1 record older than 3y" in err and "3 files skipped" in err
    assert sorted(files(store.folder)) == sorted(["20150101-open00.json", f"{recent.id}.json", "broken.json", "20150101-future.json"])
    assert store.load(open_draft.id) == open_draft


def test_purge_in_dutch_names_what_it_skipped(store: Store, capsys) -> None:
    store.save(make_record("20150101-open00", updated=OLD))
    with Holder(store, "20150101-open00"):
        assert main(["purge", "--older-than", "3y", "--store", str(store.folder), "--lang", "nl"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("overgeslagen 20150101-open00: intake 20150101-open00 is al geopend")


# -- item 7: one bad record never breaks the store ----------------------------------------------------------
def bad_record_files() -> dict[str, tuple[bytes, str]]:
    good = json.loads(record_bytes(make_record("20250901-template")))

    def variant(record_id: str, **changes) -> bytes:
        data = dict(good, id=record_id)
        data.update(changes)
        return json.dumps(data).encode()

    deep = b'{"id": "20250901-deep00", "region": "liemers", "answers": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    huge = variant("20250901-huge00").replace(b'"hgw_months": 6', b'"hgw_months": ' + b"9" * 5001)
    huge_float = variant("20250901-hugef0").replace(b'"hours": 2.5', b'"hours": 1e999')
    nan = variant("20250901-nan000").replace(b'"hours": 2.5', b'"hours": NaN')
    answers = dict(good["answers"])
    return {
        "20250901-deep00": (deep, "nested more than 16 levels deep"),
        "20250901-deep01": (variant("20250901-deep01", path=[[[[[[[[[[[[[[[[[["x"]]]]]]]]]]]]]]]]]]), "nested more than 16 levels deep"),
        "20250901-huge00": (huge, "a number with more than 30 digits"),
        "20250901-hugef0": (huge_float, "a number too large to use"),
        "20250901-nan000": (nan, "NaN is not a number a record can hold"),
        "20250901-naive0": (variant("20250901-naive0", updated="2025-09-01T10:00:00"), "updated: Input should have timezone info"),
        "20250901-range0": (variant("20250901-range0", created="0001-01-01T00:00:00+05:00"), "created: Value error, the time is out of range"),
        "20250901-typed0": (variant("20250901-typed0", answers=dict(answers, needs_exceed_basic="perhaps")),
                            "answers.needs_exceed_basic: Input should be a valid boolean"),
        "20250901-typed1": (variant("20250901-typed1", answers=dict(answers, hgw_months="many")),
                            "answers.hgw_months: Input should be a valid integer"),
        "20250901-typed2": (variant("20250901-typed2", answers=dict(answers, hgw_months=2.5)),
                            "answers.hgw_months: Input should be a valid integer"),
        "20250901-typed3": (variant("20250901-typed3", answers=dict(answers, hgw_months=[1, 2])),
                            "answers.hgw_months: not a yes or no, a number, a text or a list of texts"),
        "20250901-typed4": (variant("20250901-typed4", answers=dict(answers, needs_exceed_basic={"a": 1})),
                            "answers.needs_exceed_basic: not a yes or no, a number, a text or a list of texts"),
        "20250901-revis0": (variant("20250901-revis0", revision=-1), "revision: Input should be greater than or equal to 0"),
        "20250901-large0": (b" " * (4 * 1024 * 1024 + 1), "too large for a record"),
    }


def test_one_bad_record_is_one_unreadable_line_and_nothing_else_is_affected(store: Store, capsys) -> None:
    """Issue 17 item 7: list, purge, resume, export and the start of the store."""
    good = store.save(make_record())
    bad = bad_record_files()
    for record_id, (raw, _) in bad.items():
        (store.folder / f"{record_id}.json").write_bytes(raw)
    entries = {entry.id: entry for entry in store.entries()}
    assert entries.pop(good.id).record == good
    for record_id, (_, reason) in bad.items():
        assert entries[record_id].record is None
        assert entries[record_id].problem.startswith(reason), (record_id, entries[record_id].problem)
    code, listing, err = run(capsys, "list", "--store", str(store.folder))
    assert code == 0 and err == ""
    assert listing.startswith(good.id) and len(listing.splitlines()) == 1 + len(bad)
    for record_id, (_, reason) in bad.items():
        assert f"{record_id:22} unreadable: {reason}" in listing
        for command in ("resume", "export"):
            code, out, err = run(capsys, command, record_id, "--store", str(store.folder))
            assert (code, out) == (2, ""), (command, record_id)
            assert err.startswith(f"intake: {record_id}.json: {reason}") and len(err.splitlines()) == 1
    code, out, err = run(capsys, "purge", "--older-than", "1d", "--store", str(store.folder))
    assert code == 0 and f"deleted {good.id}" in out and out.count("skipped") == len(bad)
    assert sorted(files(store.folder)) == sorted(f"{record_id}.json" for record_id in bad)


def test_resume_without_an_id_skips_unreadable_records(store: Store) -> None:
    draft = store.save(make_record(updated=T0))
    for record_id, (raw, _) in bad_record_files().items():
        (store.folder / f"{record_id}.json").write_bytes(raw)
    assert store.newest_draft() == draft


def test_a_record_of_a_region_this_installation_lacks_is_listed(store: Store) -> None:
    record = store.save(make_record(region="atlantis", answers={"anything": "goes"}))
    assert store.entries()[0].record == record  # its answers are checked when it is opened, which refuses it


# -- item 9: file-system problems are sentences ------------------------------------------------------------
def test_store_pointing_at_a_file(tmp_path: Path, capsys) -> None:
    target = tmp_path / "not-a-folder"
    target.write_text("hello")
    for argv in (["list"], ["purge", "--older-than", "3y"], ["export", "20250901-abcdef0123"], ["resume"],
                 ["new", "--region", "liemers"], []):
        code, out, err = run(capsys, *argv, "--store", str(target))
        assert code == 2, argv
        assert err == f"intake: the store {target} is not a folder\n", argv
    assert target.read_text() == "hello"


def test_an_unwritable_store_is_said(tmp_path: Path, capsys, monkeypatch) -> None:
    folder = tmp_path / "records"
    Store(folder).save(make_record())
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda path, mode, **kw: False if Path(path) == folder and mode & os.W_OK else real_access(path, mode, **kw))
    code, out, err = run(capsys, "new", "--region", "liemers", "--store", str(folder))
    assert code == 2 and err == f"intake: cannot write in the store {folder}: permission denied\n"
    code, out, err = run(capsys, "list", "--store", str(folder))
    assert code == 0 and out.startswith("20250901-abcdef0123")  # reading still works


def test_a_store_of_another_user_is_refused(tmp_path: Path, capsys, monkeypatch) -> None:
    folder = tmp_path / "records"
    folder.mkdir(mode=0o700)
    monkeypatch.setattr(os, "geteuid", lambda: os.stat(folder).st_uid + 4242)
    code, out, err = run(capsys, "new", "--region", "liemers", "--store", str(folder))
    assert code == 2
    assert err == f"intake: the store {folder} belongs to another user: keep records in a folder of your own\n"
    assert list(folder.iterdir()) == []


def test_an_unreadable_store_is_not_an_empty_one(tmp_path: Path, capsys, monkeypatch) -> None:
    """Issue 17 item 9: `list` said "No records", exit 0."""
    folder = tmp_path / "records"
    Store(folder).save(make_record())
    real_listdir, real_scandir = os.listdir, os.scandir

    def refusing(real):
        def read(path="."):
            if Path(path) == folder:
                raise PermissionError(errno.EACCES, "Permission denied")
            return real(path)
        return read

    monkeypatch.setattr(os, "listdir", refusing(real_listdir))
    monkeypatch.setattr(os, "scandir", refusing(real_scandir))  # the listing's scan
    for argv in (["list"], ["purge", "--older-than", "3y"], ["resume"], []):
        code, out, err = run(capsys, *argv, "--store", str(folder))
        assert (code, out) == (2, ""), argv
        assert err == f"intake: cannot read the store {folder}: permission denied\n", argv


def test_a_store_behind_a_closed_folder_is_not_an_empty_one(tmp_path: Path, capsys, monkeypatch) -> None:
    """A folder whose parent cannot be searched does not "not exist" (os.path.exists says False)."""
    folder = tmp_path / "records"
    Store(folder).save(make_record())
    real_stat = os.stat

    def stat(path, *args, **kwargs):
        if Path(path) == folder or Path(path).parent == folder:
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", stat)
    for argv in (["list"], ["export", "20250901-abcdef0123"], ["resume"]):
        code, out, err = run(capsys, *argv, "--store", str(folder))
        assert (code, out, err) == (2, "", f"intake: cannot read the store {folder}: permission denied\n"), argv


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX permissions")
def test_an_unreadable_store_for_real(tmp_path: Path) -> None:
    """The same with real permissions (as an unprivileged user when the tests run as root)."""
    folder = tmp_path / "records"
    Store(folder).save(make_record())
    os.chmod(folder, 0o000)
    user = None
    if os.geteuid() == 0:
        user = 65534
        os.chmod(tmp_path, 0o755)
    try:
        result = subprocess.run([sys.executable, "-m", "intake_tui", "list", "--lang", "en", "--store", str(folder)],
                                capture_output=True, text=True, timeout=120, user=user)
    except PermissionError:
        pytest.skip("cannot run a process as another user here")
    finally:
        os.chmod(folder, 0o700)
    if user is not None and "No module named" in result.stderr:
        pytest.skip("the unprivileged user cannot import the package here")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == f"intake: cannot read the store {folder}: permission denied\n"


def disk_full(monkeypatch) -> None:
    def fsync(descriptor):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", fsync)


def test_a_full_disk_on_save_keeps_the_old_record_and_says_so(store: Store, monkeypatch) -> None:
    intake = Intake.start("liemers", EN, store)
    try:
        intake.answer("ja")
        before = files(store.folder)
        question = intake.session.question_id
        disk_full(monkeypatch)
        with pytest.raises(SaveError, match="could not save intake .*: the disk is full") as error:
            intake.answer("ja")
        assert error.value.disk_full
        assert intake.session.question_id == question  # nothing changed: the same answer can be given again
        assert files(store.folder) == before
        monkeypatch.undo()
        intake.answer("ja")
        assert store.load(intake.session.record_id).path == ["needs_exceed_basic", "ab_involved"]
    finally:
        intake.close()


def test_a_full_disk_on_export(store: Store, tmp_path: Path, capsys, monkeypatch) -> None:
    record = store.save(make_record())
    target = tmp_path / "out" / "report.md"
    target.parent.mkdir()
    disk_full(monkeypatch)
    for format_ in ("md", "json"):
        code, out, err = run(capsys, "export", record.id, "--format", format_, "--output", str(target), "--store", str(store.folder))
        assert code == 2 and err == f"intake: cannot write {target}: the disk is full; nothing was written\n"
    assert list(target.parent.iterdir()) == []
    monkeypatch.undo()
    code, out, err = run(capsys, "export", record.id, "--output", str(target.parent), "--store", str(store.folder))
    assert code == 2 and err == f"intake: cannot write {target.parent}: it is a folder\n"
    code, out, err = run(capsys, "export", record.id, "--output", str(tmp_path / "missing" / "r.md"), "--store", str(store.folder))
    assert code == 2 and err.startswith(f"intake: cannot write {tmp_path / 'missing' / 'r.md'}: the folder does not exist")


@pytest.mark.parametrize("age", ["10000y", "999999999999999999d", "0d"])
def test_purge_of_any_age_is_an_answer(store: Store, capsys, age) -> None:
    store.save(make_record(updated=OLD))
    code, out, err = run(capsys, "purge", f"--older-than={age}", "--store", str(store.folder))
    assert code == 0 and "Traceback" not in err
    assert err.startswith(f"{1 if age == '0d' else 0} record")


@pytest.mark.parametrize("age", ["9" * 5000 + "y", "3 eons", "-3y", "1e9y", ""])
def test_purge_refuses_what_is_not_an_age(store: Store, capsys, age) -> None:
    code, out, err = run(capsys, "purge", f"--older-than={age}", "--store", str(store.folder))
    assert code == 2 and err.startswith("intake: --older-than takes an age such as 3y, 18m, 6w or 90d")


def test_a_full_disk_in_the_terminal_ui_keeps_the_typed_answer(tmp_path: Path, monkeypatch) -> None:
    """Issue 17 item 9: the answer stays in the input box with what to do; Enter again saves it."""
    from intake_tui.tui.app import IntakeApp

    async def scenario(lang: str) -> None:
        store = Store(tmp_path / lang)
        intake = Intake.start("liemers", Language(lang), store)
        app = IntakeApp(Language(lang), store, intake=intake, cursor_blink=False)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            disk_full(monkeypatch)
            field = app.screen.query_one("#answer")
            field.value = "ja"
            await pilot.press("enter")
            await pilot.pause()
            assert str(app.screen.query_one("#feedback").render()) == DISK_FULL[lang]
            assert field.value == "ja"
            assert intake.session.question_id == "needs_exceed_basic"
            monkeypatch.undo()
            await pilot.press("enter")
            await pilot.pause()
            assert intake.session.question_id != "needs_exceed_basic"
            assert store.load(intake.session.record_id).answers == {"needs_exceed_basic": True}

    for lang in ("en", "nl"):
        asyncio.run(scenario(lang))


def test_a_full_disk_when_an_answer_is_changed_in_the_review(tmp_path: Path, monkeypatch) -> None:
    from intake_tui.tui.app import IntakeApp

    async def scenario() -> None:
        store = Store(tmp_path)
        intake = Intake.start("liemers", EN, store)
        app = IntakeApp(EN, store, intake=intake, cursor_blink=False)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            for answer in ("ja", "ja"):
                app.screen.query_one("#answer").value = answer
                await pilot.press("enter")
            await pilot.press("ctrl+r")
            await pilot.pause()
            await pilot.press("enter")  # the first answer
            await pilot.pause()
            edit = app.screen.query_one("#edit")
            edit.value = "nee"
            disk_full(monkeypatch)
            await pilot.press("enter")
            await pilot.pause()
            assert str(app.screen.query_one("#feedback").render()) == (
                "could not save: the disk is full; nothing is lost: free space and press Enter again")
            assert edit.value == "nee" and intake.session.answers["needs_exceed_basic"] is True
            monkeypatch.undo()
            await pilot.press("enter")
            await pilot.pause()
            assert store.load(intake.session.record_id).answers == {"needs_exceed_basic": False}

    asyncio.run(scenario())


DISK_FULL = {
    "en": "could not save: the disk is full; nothing is lost: free space and press Enter again",
    "nl": "kon niet opslaan: de schijf is vol; er gaat niets verloren: maak ruimte vrij en druk opnieuw op Enter",
}


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_a_full_disk_on_ctrl_b_is_said_on_screen_and_keeps_what_is_typed(tmp_path: Path, monkeypatch, lang: str) -> None:
    """Ctrl+B saves the step back: a full disk ended the program with the crash line."""
    from intake_tui.tui.app import IntakeApp

    async def scenario() -> None:
        store = Store(tmp_path)
        intake = Intake.start("liemers", Language(lang), store)
        app = IntakeApp(Language(lang), store, intake=intake, cursor_blink=False)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            field = app.screen.query_one("#answer")
            field.value = "ja"
            await pilot.press("enter")
            await pilot.pause()
            second = intake.session.question_id
            field.value = "nee"  # typed, not sent
            disk_full(monkeypatch)
            await pilot.press("ctrl+b")
            await pilot.pause()
            assert app.is_running and type(app.screen).__name__ == "IntakeScreen"
            assert str(app.screen.query_one("#feedback").render()) == DISK_FULL[lang]
            assert field.value == "nee" and intake.session.question_id == second
            assert intake.session.answers == {"needs_exceed_basic": True}
            monkeypatch.undo()
            await pilot.press("ctrl+b")
            await pilot.pause()
            assert intake.session.question_id == "needs_exceed_basic"

    asyncio.run(scenario())


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_a_full_disk_while_the_outcome_is_drawn_is_said_on_screen(tmp_path: Path, monkeypatch, lang: str) -> None:
    """The outcome screen saves the finished intake as it is drawn: a full disk ended the program there."""
    from intake_tui.tui.app import IntakeApp

    async def scenario() -> None:
        store = Store(tmp_path)
        intake = Intake.start("liemers", Language(lang), store)
        intake.answer("nee")  # within basic support: the outcome
        assert intake.session.done
        revision = store.load(intake.session.record_id).revision
        app = IntakeApp(Language(lang), store, intake=intake, cursor_blink=False)
        disk_full(monkeypatch)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert app.is_running and type(app.screen).__name__ == "OutcomeScreen"
            feedback = app.screen.query_one("#feedback")
            assert feedback.display and str(feedback.render()) == DISK_FULL[lang]
            assert intake.session.answers == {"needs_exceed_basic": False}  # the answers stay
            await pilot.press("enter")  # still full: said again
            await pilot.pause()
            assert str(feedback.render()) == DISK_FULL[lang]
            monkeypatch.undo()
            await pilot.press("enter")  # as the sentence says: saved now, the sentence goes
            await pilot.pause()
            assert not feedback.display
            saved = store.load(intake.session.record_id)
            assert saved.revision > revision and saved.answers == {"needs_exceed_basic": False}

    asyncio.run(scenario())


# -- item 5: a crash prints no answers or references ------------------------------------------------------
CRASHING_APP = """
import sys
from intake_tui.i18n import Language
from intake_tui.engine.intake import Intake
from intake_tui.engine.store import Store
from intake_tui.tui.app import IntakeApp

answer = Intake.answer

def explode(self, text):
    if not self.session.answers:  # the first answer is saved; the second breaks
        return answer(self, text)
    pupil_ref = self.session.pupil_ref
    answers = dict(self.session.answers, secret_answer="SECRET-ANSWER")
    raise ValueError(f"broke on {pupil_ref} {answers}")

Intake.answer = explode
lang = Language(sys.argv[2])
store = Store(sys.argv[1])
intake = Intake.start("liemers", lang, store, pupil_ref="SECRET-REF-17")
app = IntakeApp(lang, store, intake=intake, cursor_blink=False)

async def auto_pilot(pilot):
    await pilot.pause()
    await pilot.press("j", "a", "enter")
    await pilot.pause()
    await pilot.press("j", "a", "enter")
    await pilot.pause()

app.run(headless=True, size=(80, 24), auto_pilot=auto_pilot)
print("draft", intake.session.record_id)
sys.exit(app.return_code)
"""


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_a_crash_in_the_terminal_ui_is_one_line_without_answers(tmp_path: Path, lang: str) -> None:
    """Issue 17 item 5: Textual's traceback shows local variables; ours is one line."""
    result = subprocess.run([sys.executable, "-c", CRASHING_APP, str(tmp_path / "records"), lang],
                            capture_output=True, text=True, timeout=180)
    record_id = result.stdout.split("draft ")[-1].strip()
    assert result.returncode == 1, result.stderr[-2000:]
    output = result.stdout + result.stderr
    assert "SECRET" not in output and "Traceback" not in output and "answers" not in output
    [line] = [line for line in result.stderr.splitlines() if line.strip()]
    expected = {
        "en": f"intake: stopped by an unexpected error (ValueError); the draft {record_id} is saved up to the last "
              f"accepted answer: continue with 'intake resume {record_id}'",
        "nl": f"intake: gestopt door een onverwachte fout (ValueError); het concept {record_id} is bewaard tot en met "
              f"het laatst aanvaarde antwoord: ga verder met 'intake resume {record_id}'",
    }
    assert line.strip() == expected[lang]
    assert Store(tmp_path / "records").load(record_id).pupil_ref == "SECRET-REF-17"


def test_a_crash_in_a_command_is_one_line_without_answers(monkeypatch, capsys) -> None:
    def explode(args, lang):
        answers = {"pupil_ref": "SECRET-REF-17"}
        raise KeyError(f"SECRET {answers}")

    monkeypatch.setattr("intake_tui.cli.store.run_list", explode)
    code, out, err = run(capsys, "list")
    assert code == 1 and out == ""
    assert err == "intake: stopped by an unexpected error (KeyError)\n"

    def fail(args, lang):
        raise OSError(errno.EIO, "I/O error", "/x/SECRET-REF-17")

    monkeypatch.setattr("intake_tui.cli.store.run_list", fail)
    code, out, err = run(capsys, "list")
    assert code == 1 and err == "intake: stopped by an unexpected error (OSError: I/O error)\n"


# -- item 11: what a file holds is inert on the terminal; only regular files; no followed links ---------------
def test_list_strips_control_characters(store: Store, capsys) -> None:
    """Issue 17 item 11: escape codes in a record's fields or a file's name reach the terminal inert."""
    escape = "\x1b]0;owned\x07\x1b[2J\x9b31m\u202e"
    store.save(make_record(region=f"liemers{escape}", next_question=f"milieus{escape}"))
    (store.folder / f"evil{escape}.json").write_bytes(b"{")
    code, out, err = run(capsys, "list", "--store", str(store.folder))
    assert code == 0
    # The next question is named by its state ("not finished"), never by its (here hostile) id.
    assert "liemers]0;owned[2J31m" in out and "milieus" not in out and "evil]0;owned[2J31m" in out
    assert not any(char in out for char in "\x1b\x07\x9b\u202e")
    code, out, err = run(capsys, "export", "20250901-abcdef0123", "--format", "json", "--store", str(store.folder))
    assert code == 0 and not any(char in out for char in "\x07\x9b\u202e") and "\\u001b" in out


def test_a_recommendation_names_only_kinds_an_outcome_can_have(store: Store, capsys) -> None:
    """A hand-edited route, form or period is an unreadable record, not a crash of the report."""
    good = json.loads(record_bytes(make_record(status="complete", next_question=None)))
    recommendation = {"outcome": "x", "route": "arrangement", "form": "group", "title": "t", "cite": "c",
                      "budget": [{"per": "year", "text": "t"}]}
    for record_id, change, reason in [
        ("20250901-route0", {"route": "light"}, "recommendation.route: Input should be 'basis', 'arrangement', 'tlv' or 'not_yet'"),
        ("20250901-form00", {"form": "solo"}, "recommendation.form: Input should be 'individual', 'group' or 'cluster'"),
        ("20250901-per000", {"budget": [{"per": "decade", "text": "t"}]}, "recommendation.budget.0.per: Input should be"),
    ]:
        (store.folder / f"{record_id}.json").write_text(json.dumps(dict(good, id=record_id, recommendation=dict(recommendation, **change))))
        code, out, err = run(capsys, "export", record_id, "--store", str(store.folder))
        assert code == 2 and err.startswith(f"intake: {record_id}.json: {reason}"), err


def test_a_fifo_in_the_store_does_not_hang_list(store: Store) -> None:
    store.save(make_record())
    os.mkfifo(store.folder / "20250901-fifo00.json")
    os.symlink("/etc/passwd", store.folder / "20250901-link00.json")
    result = subprocess.run([sys.executable, "-m", "intake_tui", "list", "--lang", "en", "--store", str(store.folder)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0
    assert f"{'20250901-fifo00':22} unreadable: not a regular file" in result.stdout
    assert f"{'20250901-link00':22} unreadable: cannot read it: it is a symbolic link" in result.stdout
    with pytest.raises(StoreError, match="not a regular file"):
        store.load("20250901-fifo00")


def test_a_symlinked_lock_is_refused_and_not_followed(store: Store, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere"
    target.write_text("keep me")
    lock = store.folder / ".20250901-abcdef0123.lock"
    os.symlink(target, lock)
    Store(store.folder).entries()  # the start of a store leaves it alone
    with pytest.raises(StoreError, match="the lock file of intake 20250901-abcdef0123 is a symbolic link, which is never followed"):
        with store.lock("20250901-abcdef0123"):
            pass  # pragma: no cover
    dangling = store.folder / ".20250901-other0.lock"
    os.symlink(tmp_path / "created-through-link", dangling)
    with pytest.raises(StoreError, match="symbolic link"):
        store.save(make_record("20250901-other0"))
    assert target.read_text() == "keep me" and not (tmp_path / "created-through-link").exists()
    assert os.path.islink(lock) and not (store.folder / "20250901-other0.json").exists()
