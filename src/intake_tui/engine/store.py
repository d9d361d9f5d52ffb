"""The record store: a folder with one JSON file per intake.

Files are written atomically (temporary file, fsync, rename, fsync of the
folder) with mode 0600 in a folder of mode 0700, so a crash at any moment
leaves either the old or the new complete file. A draft being edited is
locked, so a second process cannot overwrite it; every save happens under
that lock and refuses to overwrite a newer revision of the record.

A record's identity is one thing: the file ``ID.json`` holds the record ``ID``.
A file whose id is another (a copy, a renamed file) is listed as unreadable
and never written; any other bad file is one unreadable entry with its reason
(``record_files``). A listing is chosen by the index beside the records
(``folder_index``) and read from the files; the locks are ``folder_locks``.

Its public methods are those of every store (``store_api.RecordStore``); the
shared register stands behind the same interface.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

from intake_tui.atomic import write_private
from intake_tui.engine.folder_locks import FolderLocks, LockRefused
from intake_tui.engine.record_files import SUFFIX, os_reason, read_record
from intake_tui.engine.store_api import (
    AlreadyOpen,
    DueItem,
    Entry,
    PurgeReport,
    Reason,
    RecordStore,
    SaveError,
    StaleRevision,
    StoreError,
    unreadable,
)
from intake_tui.i18n import N_
from intake_tui.paths import default_store_dir
from intake_tui.said import Said

# The record model (pydantic) loads with the first record read, not with the store:
# the folder is checked before a screen opens, and the screen paints before pydantic loads.
if TYPE_CHECKING:
    from intake_tui.engine.folder_index import Row
    from intake_tui.engine.record import IntakeRecord

FOLDER_MODE = 0o700
INDEX_LOCK = "index"  # the index's lock: no record id is this short


def _entry(path: Path, record: IntakeRecord) -> Entry:
    return Entry(path.stem, record, name=path.name)


def _unreadable(path: Path, reason: Said) -> Entry:
    return unreadable(path.stem, reason, path.name)


class Store(RecordStore):
    def __init__(self, folder: str | Path | None = None, *, read_only: bool = False) -> None:
        """``read_only``: only read the folder (the source of ``intake migrate``): a listing neither
        clears what a killed process left behind nor writes the index beside the records."""
        self.folder = Path(folder) if folder else default_store_dir()
        self.locks = FolderLocks(self.folder)
        self.read_only = read_only

    def __repr__(self) -> str:
        return f"Store({str(self.folder)!r})"

    @property
    def where(self) -> str:
        return str(self.folder)

    def command_option(self) -> str | None:
        return str(self.folder)

    def close(self) -> None:
        """Nothing to let go of: a lock is held only while its block runs."""

    # -- the folder ---------------------------------------------------------------
    def open(self, *, writing: bool = False) -> None:
        """Start using the store: StoreError (a sentence) if it cannot be read (``writing``: made if
        needed, and able to hold records); what a killed process left behind is cleared."""
        if writing:
            self.ensure()
            return
        self._names()
        self.locks.sweep()

    def draft_preview(self, record_id: str | None = None) -> dict[str, Any] | None:
        from intake_tui.engine.draft_file import draft_on_file

        return draft_on_file(self.folder, record_id)

    def ensure(self) -> None:
        """Make the folder (mode 0700) if needed; refuse one that cannot hold records."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True, mode=FOLDER_MODE)
        except FileExistsError:
            raise StoreError(N_("the store {folder} is not a folder"), folder=self.folder) from None
        except OSError as error:
            raise StoreError(N_("cannot make the store {folder}: {reason}"), folder=self.folder, reason=os_reason(error)) from None
        info = self._folder_info()
        if info.st_uid != os.geteuid():
            raise StoreError(N_("the store {folder} belongs to another user: keep records in a folder of your own"),
                             folder=self.folder)
        if info.st_mode & 0o077:
            try:
                os.chmod(self.folder, FOLDER_MODE)
            except OSError as error:
                raise StoreError(N_("cannot make the store {folder} private: {reason}"), folder=self.folder,
                                 reason=os_reason(error)) from None
        if not os.access(self.folder, os.W_OK | os.X_OK):
            raise StoreError(N_("cannot write in the store {folder}: {reason}"), folder=self.folder,
                             reason=os_reason(PermissionError(errno.EACCES, "")))
        self.locks.sweep()

    def _folder_info(self) -> os.stat_result:
        """The folder's status; FileNotFoundError when there is none yet, StoreError when it is not usable."""
        try:
            info = os.stat(self.folder)
        except FileNotFoundError:
            raise
        except OSError as error:
            raise StoreError(N_("cannot read the store {folder}: {reason}"), folder=self.folder, reason=os_reason(error)) from None
        if not stat.S_ISDIR(info.st_mode):
            raise StoreError(N_("the store {folder} is not a folder"), folder=self.folder)
        return info

    def _names(self) -> list[str]:
        """The names in the folder ([] when it does not exist yet); StoreError when it cannot be read."""
        try:
            self._folder_info()
        except FileNotFoundError:
            return []
        try:
            return os.listdir(self.folder)
        except OSError as error:
            raise StoreError(N_("cannot read the store {folder}: {reason}"), folder=self.folder, reason=os_reason(error)) from None

    def path_for(self, record_id: str) -> Path:
        if not record_id or "/" in record_id or "\0" in record_id or record_id.startswith("."):
            raise StoreError(N_("not a record id: {id!r}"), id=record_id)
        return self.folder / f"{record_id}{SUFFIX}"

    # -- reading ---------------------------------------------------------------------
    def _read(self, path: Path) -> IntakeRecord:
        """The record in ``path``; RecordError (a reason) when it is not a usable record of that name.
        FileNotFoundError passes through."""
        return read_record(path)[0]

    def load(self, record_id: str) -> IntakeRecord:
        path = self.path_for(record_id)
        from intake_tui.engine.record import RecordError

        try:
            self._folder_info()
            self.locks.sweep()
            return self._read(path)
        except FileNotFoundError:
            raise StoreError(N_("no record {id!r} in {folder}"), id=record_id, folder=self.folder) from None
        except RecordError as error:
            raise StoreError(N_("{file}: {reason}"), file=path.name, reason=error) from None

    def listing(self, *, status: str | None = None, region: str | None = None, pupil_ref: str | None = None,
                due_before: dt.date | None = None, limit: int | None = None, offset: int = 0) -> list[Entry]:
        """Records newest first, filtered and paged (as the register does in its database), chosen by
        the index and read from their files; unreadable files are listed (last) only when nothing is filtered."""
        from intake_tui.engine.record import RecordError

        filtered = any(value is not None for value in (status, region, pupil_ref, due_before))
        wanted_ref = pupil_ref.casefold() if pupil_ref else None

        def keep(row: Row) -> bool:
            return not ((status and row.status != status) or (region and row.region != region)
                        or (wanted_ref and (row.pupil_ref or "").casefold() != wanted_ref)
                        or (due_before is not None and (row.first_due is None or row.first_due > due_before)))

        found = self._select(keep, None if limit is None else offset + limit)
        chosen: list[Row | Entry] = [*found.rows, *([] if filtered else (
            _unreadable(self.folder / name, error) for name, error in found.unreadable))]
        entries = []
        for item in chosen[offset:None if limit is None else offset + limit]:
            if isinstance(item, Entry):
                entries.append(item)
                continue
            path = self.folder / item.name
            try:
                entries.append(_entry(path, self._read(path)))  # the file is the truth, read as it is now
            except FileNotFoundError:
                continue  # deleted since the folder was listed
            except RecordError as error:
                entries.append(_unreadable(path, error))
        return entries

    def _select(self, keep: Callable[[Row], bool], wanted: int | None):
        """The index's rows ``keep`` accepts, newest first (``folder_index.Found``); none when there is no folder."""
        from intake_tui.engine.folder_index import FolderIndex, Found  # with the first listing, not at start

        try:
            self._folder_info()
        except FileNotFoundError:
            return Found([], [])
        if not self.read_only:
            self.locks.sweep()
        hold = (lambda: nullcontext(False)) if self.read_only else (lambda: self.locks.attempt(INDEX_LOCK))
        try:
            return FolderIndex(self.folder, read_record, hold).select(keep, wanted)
        except FileNotFoundError:
            return Found([], [])
        except OSError as error:
            raise StoreError(N_("cannot read the store {folder}: {reason}"), folder=self.folder, reason=os_reason(error)) from None

    def due(self, until: dt.date, since: dt.date | None = None) -> list[DueItem]:
        """The follow-ups that fall due from ``since`` (today) up to ``until``, earliest first;
        only the records the index says have one then are read."""
        from intake_tui.engine.followups import follow_ups
        from intake_tui.engine.record import RecordError

        since = since or dt.date.today()
        found = self._select(lambda row: row.first_due is not None and row.first_due <= until
                             and row.last_due is not None and row.last_due >= since, None)
        items = []
        for row in found.rows:
            try:
                record = self._read(self.folder / row.name)
            except (FileNotFoundError, RecordError):
                continue  # gone or unreadable since: `intake list` says which
            items += [DueItem(item.due, item.text, record.id, record.region, record.pupil_ref)
                      for item in follow_ups(record) if since <= item.due <= until]
        return sorted(items, key=lambda each: (each.due, each.record_id, each.what))

    def record_export(self, record: IntakeRecord) -> None:
        """A folder keeps no audit trail: nothing to note."""

    # -- writing ---------------------------------------------------------------------
    def save(self, record: IntakeRecord, *, action: str | None = None) -> IntakeRecord:
        """Write the record one revision up and return it as saved.

        Under the record's lock (this Store's, else taken for the save), the
        stored version must be the one ``record`` continues: a window that is
        behind never overwrites later work, and a file that is not this record
        (unreadable, another id, a newer version) is never overwritten. A folder keeps no audit
        trail: ``action`` is not kept."""
        from intake_tui.engine.record import RecordError

        self.ensure()
        path = self.path_for(record.id)
        with self._saving(record.id):
            try:
                current = self._read(path)
            except FileNotFoundError:
                current = None
            except RecordError as error:
                raise StoreError(N_("{file} is not overwritten: {reason}"), file=path.name, reason=error) from None
            if current is not None and current.revision > record.revision:
                raise StaleRevision(record.id, current.revision, record.revision)
            saved = record.model_copy(update={"revision": record.revision + 1})
            try:
                write_private(path, saved.model_dump_json(indent=2).encode("utf-8"))
            except OSError as error:
                raise SaveError(record.id, os_reason(error), disk_full=error.errno in (errno.ENOSPC, errno.EDQUOT)) from None
        return saved

    @contextmanager
    def _saving(self, record_id: str) -> Iterator[None]:
        if record_id in self.locks.held:
            yield
        else:
            with self.lock(record_id):
                yield

    def delete(self, record_id: str) -> None:
        """Remove a record with every copy of it the store made (temporary files); under its lock."""
        with self._saving(record_id):
            self._remove_copies(record_id)

    def _remove_copies(self, record_id: str) -> None:
        # The temporary copies first: if one cannot be removed, the record stays and says so.
        for temporary in self.locks.temporaries(record_id):
            temporary.unlink(missing_ok=True)
        self.path_for(record_id).unlink(missing_ok=True)

    def purge(self, older_than: dt.datetime, *, dry_run: bool = False) -> PurgeReport:
        """Delete the records last changed before ``older_than`` with every copy the store made of them.
        Records open elsewhere, unreadable ones and ones of a newer version are skipped, each with its reason."""
        from intake_tui.engine.record import RecordError

        report = PurgeReport()
        entries = self.entries()
        if not dry_run and any(entry.record is not None and entry.record.updated < older_than for entry in entries):
            self.ensure()  # a store that cannot be written is one sentence, not one per record
        for entry in entries:
            record = entry.record
            if record is None:
                report.skipped.append((entry.id, Reason(N_("unreadable: {reason}"), reason=entry.reason or entry.problem)))
                continue
            if record.updated >= older_than:
                continue
            try:
                if dry_run:
                    if self.locks.is_open(record.id):
                        raise AlreadyOpen(record.id)
                else:
                    with self.lock(record.id):
                        current = self._read(self.path_for(record.id))
                        if current.updated >= older_than:
                            continue  # changed since it was listed
                        self._remove_copies(record.id)
            except FileNotFoundError:
                continue
            except RecordError as error:
                report.skipped.append((record.id, Reason(N_("unreadable: {reason}"), reason=error)))
                continue
            except StoreError as error:
                report.skipped.append((record.id, error))
                continue
            except OSError as error:
                report.skipped.append((record.id, Reason(N_("cannot delete it: {reason}"), reason=os_reason(error))))
                continue
            report.deleted.append(record)
        return report

    # -- locks ------------------------------------------------------------------------
    @contextmanager
    def lock(self, record_id: str) -> Iterator[None]:
        """Hold the record for this process; a second opener gets a clear StoreError."""
        self.path_for(record_id)  # refuses an id that is not a plain file name
        if record_id in self.locks.held:
            raise AlreadyOpen(record_id)
        self.ensure()
        try:
            descriptor = self.locks.take(record_id)
        except LockRefused as error:
            raise StoreError(error.message, **error.params) from None
        if descriptor is None:
            raise AlreadyOpen(record_id)
        self.locks.held.add(record_id)
        try:
            yield
        finally:
            self.locks.held.discard(record_id)
            self.locks.release(record_id, descriptor)
