"""Issue 18 item 7: the folder store's index (``.index.jsonl``) beside the records.

The record files stay the truth: whatever happens to the index or behind its
back, a listing equals a listing made by parsing every file."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import stat
import tempfile
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intake_tui.atomic import write_private
from intake_tui.engine import folder_index
from intake_tui.engine import store as store_module
from intake_tui.engine.folder_index import INDEX_NAME
from intake_tui.engine.record import RecordError
from intake_tui.engine.record_files import is_record_name, read_record
from intake_tui.engine.store import Store

from .test_store import T0, make_record

MINUTE = T0.resolution * 60_000_000


@contextlib.contextmanager
def settled_at_once():
    """Files count as settled as soon as they are written (else a file younger than two seconds is
    read again next time and left out of the index, which these tests want to see used)."""
    with mock.patch.object(folder_index, "SETTLED_NS", 0):
        yield


@pytest.fixture
def store(tmp_path: Path):
    with settled_at_once():
        yield Store(tmp_path / "records")


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    """The names of the record files the store reads."""
    names: list[str] = []

    def counted(path: Path):
        names.append(path.name)
        return read_record(path)

    monkeypatch.setattr(store_module, "read_record", counted)
    return names


def by_parsing(folder: Path, *, status=None, region=None, pupil_ref=None, limit=None, offset=0) -> list[tuple]:
    """The listing as it was before the index: every file parsed, filtered, newest first, unreadable last."""
    readable, unreadable = [], []
    for name in os.listdir(folder) if folder.exists() else []:
        if not is_record_name(name):
            continue
        try:
            record = read_record(folder / name)[0]
        except RecordError as error:
            unreadable.append((name[:-5], str(error)))
            continue
        if ((status and record.status != status) or (region and record.region != region)
                or (pupil_ref and (record.pupil_ref or "").casefold() != pupil_ref.casefold())):
            continue
        readable.append(record)
    readable.sort(key=lambda record: (record.updated, record.id), reverse=True)
    found = [(record.id, record) for record in readable]
    if not any((status, region, pupil_ref)):
        found += sorted(unreadable, reverse=True)
    return found[offset:None if limit is None else offset + limit]


def listed(store: Store, **filters) -> list[tuple]:
    return [(entry.id, entry.record if entry.record is not None else entry.problem) for entry in store.listing(**filters)]


def index_rows(store: Store) -> list[list]:
    lines = (store.folder / INDEX_NAME).read_bytes().splitlines()
    assert json.loads(lines[0])["format"] == folder_index.FORMAT
    return [json.loads(line) for line in lines[1:]]


def fill(store: Store, count: int = 5) -> list[str]:
    ids = [f"20250901-rec{number:03d}" for number in range(count)]
    for number, record_id in enumerate(ids):
        store.save(make_record(record_id, updated=T0 + number * MINUTE, status="complete" if number % 2 else "draft"))
    return ids


def test_a_listing_reads_only_its_page_once_the_index_is_there(store: Store, reads: list[str]) -> None:
    ids = fill(store)
    reads.clear()
    assert [entry.id for entry in store.listing(limit=2)] == ids[::-1][:2]
    assert len(reads) == 5 + 2  # every file once to make the index, then the page
    assert sorted(row[2] for row in index_rows(store)) == ids
    reads.clear()
    assert listed(store, limit=2) == by_parsing(store.folder, limit=2)
    assert reads == [f"{ids[4]}.json", f"{ids[3]}.json"]  # the page only: the rest is known from the index
    reads.clear()
    assert store.newest_draft().id == ids[4]
    assert reads == [f"{ids[4]}.json"]


def test_the_index_is_private_and_holds_no_answer(store: Store) -> None:
    store.save(make_record(answers={"needs_exceed_basic": True, "hgw_months": 7, "hours": 3.25, "kind": "heavy",
                                    "milieus": ["home"]}, consultant="A. Jansen", school="De Wilg"))
    store.listing()
    index = store.folder / INDEX_NAME
    assert stat.S_IMODE(index.stat().st_mode) == 0o600
    text = index.read_text()
    assert "D-17" in text and "A. Jansen" in text and "De Wilg" in text  # what `list` shows
    for secret in ("needs_exceed_basic", "hgw_months", "3.25", "heavy", "milieus", "home", "answers", "next_question"):
        assert secret not in text, secret


@pytest.mark.parametrize("damage", [
    "deleted", "empty", "garbage", "foreign JSON", "another version", "other rules", "rows of garbage", "too deep",
    "a huge line", "too large", "a symbolic link", "a folder", "readable by others",
])
def test_a_missing_or_bad_index_is_ignored_and_rebuilt(store: Store, reads: list[str], damage: str, monkeypatch,
                                                      tmp_path: Path) -> None:
    ids = fill(store)
    store.listing()
    index = store.folder / INDEX_NAME
    good = index.read_bytes()
    header, *rows = good.splitlines(keepends=True)
    index.unlink()
    if damage == "empty":
        index.write_bytes(b"")
    elif damage == "garbage":
        index.write_bytes(b"\x00\xff garbage\n" * 3)
    elif damage == "foreign JSON":
        index.write_bytes(b'{"name": "some other program"}\n' + b"".join(rows))
    elif damage == "another version":
        index.write_bytes(header.replace(b'"version": 1', b'"version": 99') + b"".join(rows))
    elif damage == "other rules":
        index.write_bytes(header.replace(b'"rules": "', b'"rules": "0') + b"".join(rows))
    elif damage == "rows of garbage":
        index.write_bytes(header + b"[1, 2, 3]\n{}\nnull\n" + rows[0][:40] + b"\n" + b'["x.json"]\n')
    elif damage == "too deep":
        index.write_bytes(header + b"[" * 3000 + b"\n" + b"[" * 100_000 + b"\n")
    elif damage == "a huge line":
        index.write_bytes(header + b'["' + b"x" * 100_000 + b'"]\n')
    elif damage == "too large":
        monkeypatch.setattr(folder_index, "MAX_INDEX_BYTES", len(good) - 1)
        index.write_bytes(good)
    elif damage == "a symbolic link":
        elsewhere = tmp_path / "elsewhere.jsonl"
        elsewhere.write_bytes(good)
        index.symlink_to(elsewhere)
    elif damage == "a folder":
        index.mkdir()
    elif damage == "readable by others":
        index.write_bytes(good)
        index.chmod(0o644)
    if index.is_file() and not index.is_symlink() and damage != "readable by others":
        index.chmod(0o600)  # private, as the index is: refused for what it holds
    reads.clear()
    assert listed(store) == by_parsing(store.folder)
    assert sorted(reads) == sorted(2 * [f"{record_id}.json" for record_id in ids])  # every file for the index, then the page
    if damage == "a folder":
        return  # it cannot be replaced; every listing reads the files, and says nothing of it
    assert not index.is_symlink() and stat.S_IMODE(index.stat().st_mode) == 0o600
    if damage == "a symbolic link":
        assert (tmp_path / "elsewhere.jsonl").read_bytes() == good  # replaced, never written through
    if damage != "too large":
        assert sorted(row[2] for row in index_rows(store)) == ids
        reads.clear()
        assert listed(store) == by_parsing(store.folder)
        assert len(reads) == len(ids)  # the rebuilt index is used


def test_changes_behind_the_index_are_listed_as_the_files_are(store: Store, reads: list[str]) -> None:
    ids = fill(store)
    store.listing()
    # edited in place, the same size and the same modification time: only its change time tells
    edited = store.folder / f"{ids[0]}.json"
    before = edited.stat()
    text = edited.read_bytes()
    assert b'"status": "draft"' in text
    while edited.stat().st_ctime_ns == before.st_ctime_ns:
        with open(edited, "r+b") as handle:
            handle.write(text.replace(b'"status": "draft"', b'"status": "DRAFT"'))
        os.utime(edited, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert edited.stat().st_size == before.st_size and edited.stat().st_mtime_ns == before.st_mtime_ns
    # copied in from elsewhere (its times kept), removed, and made unreadable
    shutil.copy2(store.folder / f"{ids[1]}.json", store.folder / "20250901-copied.json")
    copied_in = make_record("20250901-new000", updated=T0 + 99 * MINUTE, pupil_ref="X-1")
    (store.folder / "20250901-new000.json").write_text(copied_in.model_dump_json())
    (store.folder / f"{ids[2]}.json").unlink()
    (store.folder / f"{ids[3]}.json").write_bytes(b"{ not json")
    (store.folder / f"{ids[4]}.json").unlink()
    (store.folder / f"{ids[4]}.json").symlink_to(store.folder / f"{ids[1]}.json")
    reads.clear()
    found = listed(store)
    assert found == by_parsing(store.folder)
    assert [record_id for record_id, what in found if not isinstance(what, str)] == ["20250901-new000", ids[1]]
    assert {record_id for record_id, what in found if isinstance(what, str)} == {
        ids[0], ids[3], ids[4], "20250901-copied"}
    assert "20250901-new000.json" in reads and f"{ids[1]}.json" in reads
    assert listed(store, pupil_ref="x-1") == by_parsing(store.folder, pupil_ref="x-1")
    assert sorted(row[2] for row in index_rows(store)) == sorted([ids[1], "20250901-new000"])


def test_a_file_changed_just_now_is_read_again_until_it_has_settled(tmp_path: Path, reads: list[str]) -> None:
    store = Store(tmp_path / "records")  # the real settling time: everything here is younger than it
    ids = fill(store, 2)
    assert listed(store) == by_parsing(store.folder)
    reads.clear()
    assert listed(store) == by_parsing(store.folder)
    assert len(reads) == 4  # both files each time: none of them is in the index yet
    assert not (store.folder / INDEX_NAME).exists() or index_rows(store) == []
    assert ids


def test_a_listing_that_cannot_write_the_index_lists_all_the_same(store: Store, monkeypatch) -> None:
    fill(store)

    @contextlib.contextmanager
    def full_disk(target):
        raise OSError(28, "No space left on device")
        yield

    monkeypatch.setattr(folder_index, "private_stream", full_disk)
    assert listed(store) == by_parsing(store.folder)
    assert not (store.folder / INDEX_NAME).exists()


def test_a_listing_leaves_the_index_to_a_process_writing_it(store: Store) -> None:
    fill(store)
    with store.locks.attempt(store_module.INDEX_LOCK) as held:
        assert held
        assert listed(store) == by_parsing(store.folder)
        assert not (store.folder / INDEX_NAME).exists()
    assert listed(store) == by_parsing(store.folder)
    assert (store.folder / INDEX_NAME).exists()


IDS = [f"20250901-prop{number:02d}" for number in range(6)]
OPERATIONS = st.one_of(
    st.tuples(st.just("write"), st.sampled_from(IDS), st.sampled_from(["draft", "complete"]), st.integers(0, 5),
              st.sampled_from([None, "D-17", "d-17", "X/9"]), st.sampled_from(["liemers", "elsewhere"])),
    st.tuples(st.just("garbage"), st.sampled_from(IDS)),
    st.tuples(st.just("delete"), st.sampled_from(IDS)),
    st.tuples(st.just("copy"), st.sampled_from(IDS), st.sampled_from(IDS)),
    st.tuples(st.just("list"), st.sampled_from([None, "draft", "complete"]), st.sampled_from([None, "D-17", "X/9"]),
              st.sampled_from([None, "liemers"]), st.sampled_from([None, 0, 1, 3]), st.integers(0, 2)),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(OPERATIONS, max_size=25))
def test_listing_with_the_index_equals_listing_by_parsing_every_file(operations) -> None:
    with tempfile.TemporaryDirectory() as root, settled_at_once():
        store = Store(Path(root) / "records")
        store.ensure()
        folder = store.folder
        for operation in operations:
            kind, *rest = operation
            if kind == "write":
                record_id, status, minutes, reference, region = rest
                record = make_record(record_id, status=status, updated=T0 + minutes * MINUTE, pupil_ref=reference,
                                     region=region)
                write_private(folder / f"{record_id}.json", record.model_dump_json().encode())
            elif kind == "garbage":
                write_private(folder / f"{rest[0]}.json", b"[1, 2")
            elif kind == "delete":
                (folder / f"{rest[0]}.json").unlink(missing_ok=True)
            elif kind == "copy":
                source, target = rest
                if (folder / f"{source}.json").exists():
                    write_private(folder / f"{target}.json", (folder / f"{source}.json").read_bytes())
            else:
                status, reference, region, limit, offset = rest
                filters = dict(status=status, pupil_ref=reference, region=region, limit=limit, offset=offset)
                assert listed(store, **filters) == by_parsing(folder, **filters)
        assert listed(Store(folder)) == by_parsing(folder)
