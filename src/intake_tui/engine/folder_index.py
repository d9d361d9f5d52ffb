"""The folder store's index: what a listing shows of each record, beside the records.

One small file in the store folder (``.index.jsonl``, mode 0600, replaced
whole) holds, per record file, only what ``intake list`` and ``intake due``
ask: id, region, rules version, status, created, updated, revision, pupil
reference, consultant, school, the first and last follow-up date, and the
file's inode, size and change times. Never an answer.

The record files stay the truth. A listing stats the folder (``os.scandir``)
and trusts a line only while its file's inode, size and times are the same;
every other file (new, changed, not in the index) is read, a line whose file
is gone is dropped, and the index is rewritten when something changed, under
its own lock (a listing that finds it taken leaves the writing to the other).
A missing, unreadable, foreign, corrupt, too deep or too large index, or one
made under other rules or another version, is ignored and rebuilt from the
files; unreadable files are never in it (they are read, and said, every time).

A listing streams: the index is read line by line and only the rows a page
asks for are kept, so its memory does not grow with the number of records.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import heapq
import json
import os
import re
import stat
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

from intake_tui import __version__
from intake_tui.atomic import private_stream
from intake_tui.engine.record_files import is_record_name

# The record model (pydantic) loads with the first listing, not with the store.
if TYPE_CHECKING:
    from intake_tui.engine.record import IntakeRecord, RecordError

INDEX_NAME = ".index.jsonl"
FORMAT = "intake_tui folder index"
VERSION = 1
MAX_INDEX_BYTES = 64 * 1024 * 1024  # some 200,000 records; a larger file is not this index
MAX_LINE_BYTES = 4096  # a line is some 300 bytes; its texts are short by the record's own rules
# A file changed this recently is read again next time: within the file system's
# time granularity an edit in place need not change its size or times yet.
SETTLED_NS = 2_000_000_000

_GONE = object()
Key = tuple[int, int, int, int]  # inode, size, modified and changed (ns): a file that changed has another


def key_of(info: os.stat_result) -> Key:
    return (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


@dataclass(frozen=True, slots=True)
class Row:
    """What the index holds of one record file (moments as microseconds since 1970 in UTC)."""

    name: str
    key: Key
    id: str
    region: str
    ruleset_version: str
    status: str
    created_us: int
    updated_us: int
    revision: int
    pupil_ref: str | None
    consultant: str | None
    school: str | None
    first_due: dt.date | None  # the record's follow-ups lie from first_due to last_due
    last_due: dt.date | None

    @property
    def updated(self) -> dt.datetime:
        return EPOCH + dt.timedelta(microseconds=self.updated_us)

    @property
    def created(self) -> dt.datetime:
        return EPOCH + dt.timedelta(microseconds=self.created_us)

    def line(self) -> bytes:
        return json.dumps([
            self.name, list(self.key), self.id, self.region, self.ruleset_version, self.status, self.created_us,
            self.updated_us, self.revision, self.pupil_ref, self.consultant, self.school, _day(self.first_due),
            _day(self.last_due),
        ], ensure_ascii=True, separators=(",", ":")).encode("ascii") + b"\n"


EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
_MICROSECOND = dt.timedelta(microseconds=1)
_LIMIT_US = 2**62  # beyond any moment a record can hold (year 9999 is some 2**58)


def _micro(moment: dt.datetime) -> int:
    return (moment - EPOCH) // _MICROSECOND


def _day(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def row_of(name: str, record: IntakeRecord, info: os.stat_result) -> Row:
    from intake_tui.engine.followups import follow_ups

    dues = [item.due for item in follow_ups(record)]
    return Row(name, key_of(info), record.id, record.region, record.ruleset_version, record.status,
               _micro(record.created), _micro(record.updated), record.revision, record.pupil_ref, record.consultant,
               record.school, min(dues, default=None), max(dues, default=None))


_ID = re.compile(r"[0-9a-z-]{6,40}")  # as the record's own rule
_TEXT = re.compile(r"[^\x00-\x1f\x7f]{1,200}")
_SHORT = re.compile(r"[^\x00-\x1f\x7f]{1,80}")
_NUMBERS = (int, int, int)


def parse_row(data: list) -> Row | None:
    """A line of the index (as JSON, its name and key already found true to the folder) as a row,
    or None when it is not one: anything at all may be in the file."""
    try:
        (name, key, record_id, region, version, status, created, updated, revision, pupil_ref, consultant, school,
         first_due, last_due) = data
        # (A text that is no string makes fullmatch raise TypeError.)
        if not (_ID.fullmatch(record_id) and name == record_id + ".json" and status in ("draft", "complete")
                and _TEXT.fullmatch(region) and _TEXT.fullmatch(version)
                and tuple(map(type, (created, updated, revision))) == _NUMBERS
                and -_LIMIT_US < created < _LIMIT_US and -_LIMIT_US < updated < _LIMIT_US and 0 <= revision <= 2**53
                and (pupil_ref is None or _SHORT.fullmatch(pupil_ref))
                and (consultant is None or _SHORT.fullmatch(consultant))
                and (school is None or _SHORT.fullmatch(school))):
            return None
        first = None if first_due is None else dt.date.fromisoformat(first_due)
        last = None if last_due is None else dt.date.fromisoformat(last_due)
    except (ValueError, TypeError):  # not 14 values, not a text, not a date: not a row
        return None
    return Row(name, tuple(key), record_id, region, version, status, created, updated, revision, pupil_ref,
               consultant, school, first, last)


def rules_fingerprint() -> str:
    """What a row's content depends on besides its file: this version of intake_tui and the dialog
    files (a record's follow-ups and whether it is readable come from them)."""
    from intake_tui.rules.regions import dialog_files, rules_folder

    digest = hashlib.sha256(f"{__version__}\0{rules_folder()}".encode())
    for path in dialog_files():
        try:
            info = os.stat(path)
        except OSError:
            continue
        digest.update(f"\0{path.name}\0{info.st_size}\0{info.st_mtime_ns}".encode())
    return digest.hexdigest()


def header(fingerprint: str) -> bytes:
    return json.dumps({"format": FORMAT, "version": VERSION, "rules": fingerprint}).encode("ascii") + b"\n"


@dataclass
class Found:
    """A listing's rows (newest first, at most the number asked) and the files that cannot be read."""

    rows: list[Row]
    unreadable: list[tuple[str, RecordError]]


class FolderIndex:
    """The index of one store folder; ``read`` reads a record file (``record_files.read_record``),
    ``hold`` is the index's lock: a context that says whether it was taken."""

    def __init__(self, folder: Path, read: Callable[[Path], tuple[IntakeRecord, os.stat_result]],
                 hold: Callable[[], AbstractContextManager[bool]]) -> None:
        self.folder = folder
        self.path = folder / INDEX_NAME
        self.read = read
        self.hold = hold

    def select(self, keep: Callable[[Row], bool], wanted: int | None = None) -> Found:
        """The newest ``wanted`` rows (all when None) that ``keep`` accepts, each true to its file as it
        was stat'ed now; the index is brought up to date on the way. OSError when the folder cannot be read."""
        from intake_tui.engine.record import RecordError

        present = self._scan()
        page = _Page(keep, wanted)
        fingerprint = rules_fingerprint()
        with self._old_index(fingerprint) as old:
            dropped: set[int] = set()
            for number, line in enumerate(_lines(old) if old is not None else ()):
                try:
                    data = json.loads(line)
                    fresh = present.get(data[0], _GONE) == tuple(data[1])  # the cheap test first
                except (ValueError, TypeError, LookupError, RecursionError):  # not JSON, not a list, too deep
                    fresh = False
                row = parse_row(data) if fresh else None
                if row is None:
                    dropped.add(number)  # corrupt, a copy of another line, or its file changed or is gone
                    continue
                del present[row.name]
                page.offer(row)
            unreadable: list[tuple[str, RecordError]] = []
            with self._writer(fingerprint, old, dropped, bool(present)) as out:
                settled = time.time_ns() - SETTLED_NS
                for name in sorted(present):  # new, changed or unreadable files
                    try:
                        record, info = self.read(self.folder / name)
                    except FileNotFoundError:
                        continue  # deleted since the folder was listed
                    except RecordError as error:
                        unreadable.append((name, error))
                        continue
                    row = row_of(name, record, info)
                    page.offer(row)
                    if max(info.st_mtime_ns, info.st_ctime_ns) < settled:
                        out.write(row.line())
        unreadable.sort(key=lambda item: item[0], reverse=True)
        return Found(page.rows(), unreadable)

    def _scan(self) -> dict[str, Key | None]:
        """Each record file's key (None for what is not a regular file: it is read, and refused, every time)."""
        present: dict[str, Key | None] = {}
        with os.scandir(self.folder) as found:
            for entry in found:
                if not is_record_name(entry.name):
                    continue
                try:
                    info = entry.stat(follow_symlinks=False)
                except FileNotFoundError:
                    continue
                except OSError:
                    present[entry.name] = None
                    continue
                present[entry.name] = key_of(info) if stat.S_ISREG(info.st_mode) else None
        return present

    @contextmanager
    def _old_index(self, fingerprint: str) -> Iterator[IO[bytes] | None]:
        """The index file, opened and past its header; None when there is none this listing can use
        (``self.unusable``: there is a file, to be replaced)."""
        self.unusable = False
        try:
            descriptor = os.open(self.path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
        except FileNotFoundError:
            yield None
            return
        except OSError:
            self.unusable = True
            yield None
            return
        info = os.fstat(descriptor)
        if not (stat.S_ISREG(info.st_mode) and info.st_uid == os.geteuid() and not info.st_mode & 0o077
                and info.st_size <= MAX_INDEX_BYTES):
            os.close(descriptor)
            self.unusable = True
            yield None
            return
        with os.fdopen(descriptor, "rb") as handle:
            try:
                self.unusable = handle.readline(MAX_LINE_BYTES + 1) != header(fingerprint)
            except OSError:
                self.unusable = True
            yield None if self.unusable else handle

    @contextmanager
    def _writer(self, fingerprint: str, old: IO[bytes] | None, dropped: set[int], more: bool) -> Iterator[_Sink]:
        """Where the rows read from files go: a new index holding the old one's good lines, put in place
        when the block ends if anything changed. Nothing is written when nothing changed, when another
        process is writing it, or when the folder cannot be written: the listing goes on all the same."""
        if not (more or dropped or self.unusable):
            yield _Sink(None)
            return
        with self.hold() as held:
            if not held:
                yield _Sink(None)
                return
            sink = None
            in_block = False
            try:
                with private_stream(self.path) as stream:
                    sink = _Sink(stream)
                    sink.write(header(fingerprint))
                    if old is not None:
                        old.seek(0)
                        old.readline(MAX_LINE_BYTES + 1)
                        for number, line in enumerate(_lines(old)):
                            if number not in dropped:
                                sink.write(line)
                    sink.rows = 0
                    in_block = True
                    yield sink
                    in_block = False
                    if sink.failed or not (sink.rows or dropped or self.unusable):
                        raise _Unchanged
            except (_Unchanged, OSError):
                if in_block:
                    raise  # the listing's own error, not the index's
                if sink is None:  # the new index could not even be begun: the listing goes on without it
                    yield _Sink(None)


class _Unchanged(Exception):
    """Raised to leave the index as it was."""


class _Sink:
    """A stream that stops at its first error (the listing itself must not fail for the index)."""

    def __init__(self, stream: IO[bytes] | None) -> None:
        self.stream = stream
        self.failed = stream is None
        self.rows = 0

    def write(self, data: bytes) -> None:
        if self.failed:
            return
        try:
            self.stream.write(data)  # type: ignore[union-attr]
            self.rows += 1
        except OSError:
            self.failed = True


def _lines(handle: IO[bytes]) -> Iterator[bytes]:
    """The index's lines after the header; an overlong line is cut in pieces that are no rows."""
    while line := handle.readline(MAX_LINE_BYTES + 1):
        yield line


class _Page:
    """The newest ``wanted`` rows that ``keep`` accepts, kept in a heap of that size."""

    def __init__(self, keep: Callable[[Row], bool], wanted: int | None) -> None:
        self.keep = keep
        self.wanted = wanted
        self.heap: list[tuple[int, str, Row]] = []

    def offer(self, row: Row) -> None:
        item = (row.updated_us, row.id, row)
        if self.wanted is None or len(self.heap) < self.wanted:
            if self.keep(row):
                heapq.heappush(self.heap, item)
        elif self.heap and item[:2] > self.heap[0][:2] and self.keep(row):  # else older than the page: not asked
            heapq.heapreplace(self.heap, item)

    def rows(self) -> list[Row]:
        return [row for _updated, _id, row in sorted(self.heap, key=lambda item: item[:2], reverse=True)]
