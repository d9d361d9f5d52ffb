"""The record store: a folder with one JSON file per intake.

Files are written atomically (temporary file, fsync, rename, fsync of the
folder) with mode 0600 in a folder of mode 0700, so a crash at any moment
leaves either the old or the new complete file. A draft being edited is
locked, so a second process cannot overwrite it.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .atomic import PRIVATE_FILE_MODE, write_private
from .said import N_, Said
from .record import IntakeRecord, RecordError, parse_record

FILE_MODE = PRIVATE_FILE_MODE
FOLDER_MODE = 0o700
SUFFIX = ".json"


class StoreError(Said, RuntimeError):
    """A store problem, said in the user's language where it is shown."""


def default_store_dir() -> Path:
    configured = os.environ.get("INTAKE_STORE")
    if configured:
        return Path(configured)
    from platformdirs import user_data_dir

    return Path(user_data_dir("intake_tui", appauthor=False)) / "records"


@dataclass
class Entry:
    """One file in the store: its record, or why it cannot be read."""

    path: Path
    record: IntakeRecord | None
    problem: str | None = None
    reason: Said | None = None  # the problem, to say in the user's language

    def problem_in(self, gettext) -> str | None:
        return self.reason.say(gettext) if self.reason is not None else self.problem

    @property
    def id(self) -> str:
        return self.path.stem


def store_for(args: Any):
    """The store a command names with --store (else $INTAKE_STORE, else the default
    folder): a folder, or the shared register for a postgresql:// address."""
    value = getattr(args, "store", None) or os.environ.get("INTAKE_STORE")
    if isinstance(value, str) and value.startswith(("postgresql://", "postgres://")):
        from .register import Register

        return Register(value)
    return Store(value)


class Store:
    def __init__(self, folder: str | Path | None = None) -> None:
        self.folder = Path(folder) if folder else default_store_dir()

    def ensure(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True, mode=FOLDER_MODE)
        if self.folder.stat().st_mode & 0o077:
            os.chmod(self.folder, FOLDER_MODE)

    def path_for(self, record_id: str) -> Path:
        if "/" in record_id or record_id.startswith("."):
            raise StoreError(N_("not a record id: {id!r}"), id=record_id)
        return self.folder / f"{record_id}{SUFFIX}"

    def save(self, record: IntakeRecord) -> IntakeRecord:
        """Write the record one revision up and return it as saved."""
        self.ensure()
        saved = record.model_copy(update={"revision": record.revision + 1})
        write_private(self.path_for(record.id), saved.model_dump_json(indent=2).encode("utf-8"))
        return saved

    def load(self, record_id: str) -> IntakeRecord:
        path = self.path_for(record_id)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise StoreError(N_("no record {id!r} in {folder}"), id=record_id, folder=self.folder) from None
        except OSError as error:
            raise StoreError(N_("{file}: cannot read ({reason})"), file=path, reason=error.strerror) from None
        try:
            return parse_record(raw)
        except RecordError as error:
            raise StoreError(N_("{file}: {reason}"), file=path.name, reason=error) from None

    def entries(self) -> list[Entry]:
        """Every record file, newest first; unreadable ones with their reason."""
        if not self.folder.is_dir():
            return []
        entries = []
        for path in self.folder.glob(f"*{SUFFIX}"):
            if path.name.startswith("."):
                continue
            try:
                entries.append(Entry(path, parse_record(path.read_bytes())))
            except RecordError as error:
                entries.append(Entry(path, None, str(error), error))
            except OSError as error:
                entries.append(Entry(path, None, f"cannot read ({error.strerror})"))
        epoch = dt.datetime.min.replace(tzinfo=dt.timezone.utc)
        entries.sort(key=lambda e: (e.record.updated if e.record else epoch, e.id), reverse=True)
        return entries

    def listing(self, *, status: str | None = None, region: str | None = None, pupil_ref: str | None = None,
                due_before: dt.date | None = None, limit: int | None = None, offset: int = 0) -> list[Entry]:
        """Records newest first, filtered and paged (as the register does in its database);
        unreadable files are listed only when nothing is filtered."""
        filtered = any(value is not None for value in (status, region, pupil_ref, due_before))
        found = []
        for entry in self.entries():
            record = entry.record
            if record is None:
                if not filtered:
                    found.append(entry)
                continue
            if (status and record.status != status) or (region and record.region != region) or (
                    pupil_ref and (record.pupil_ref or "").casefold() != pupil_ref.casefold()):
                continue
            if due_before is not None:
                from .followups import follow_ups

                if not any(item.due <= due_before for item in follow_ups(record)):
                    continue
            found.append(entry)
        return found[offset:None if limit is None else offset + limit]

    def newest_draft(self) -> IntakeRecord | None:
        for entry in self.entries():
            if entry.record is not None and entry.record.status == "draft":
                return entry.record
        return None

    def delete(self, record_id: str) -> None:
        self.path_for(record_id).unlink()

    @contextmanager
    def lock(self, record_id: str) -> Iterator[None]:
        """Hold the record for this process; a second opener gets a clear StoreError."""
        self.path_for(record_id)  # refuses an id that is not a plain file name
        self.ensure()
        lock_path = self.folder / f".{record_id}.lock"
        descriptor = os.open(lock_path, os.O_RDWR | os.O_CREAT, FILE_MODE)
        try:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise StoreError(N_("intake {id} is already open in another window or process"), id=record_id) from None
            # The holder before us removes the lock file before unlocking it: a file
            # that is no longer at lock_path is not the lock (else two could hold it).
            try:
                same = os.stat(lock_path).st_ino == os.fstat(descriptor).st_ino
            except FileNotFoundError:
                same = False
            if not same:
                raise StoreError(N_("intake {id} is already open in another window or process"), id=record_id)
            try:
                yield
            finally:
                lock_path.unlink(missing_ok=True)
                fcntl.flock(descriptor, fcntl.LOCK_UN)
        finally:
            os.close(descriptor)
