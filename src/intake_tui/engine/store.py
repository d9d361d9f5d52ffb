"""The record store: a folder with one JSON file per intake.

Files are written atomically (temporary file, fsync, rename, fsync of the
folder) with mode 0600 in a folder of mode 0700, so a crash at any moment
leaves either the old or the new complete file. A draft being edited is
locked, so a second process cannot overwrite it; every save happens under
that lock and refuses to overwrite a newer revision of the record.

A record's identity is one thing: the file ``ID.json`` holds the record ``ID``.
A file whose id is another (a copy, a renamed file) is listed as unreadable
and never written. Only regular files are read, nothing is followed through
a symbolic link, and a record file that is too large, too deeply nested or
wrongly typed is one unreadable entry with its reason: it never breaks the
rest of the store.

Its public methods are those of every store (``store_api.RecordStore``); the
shared register stands behind the same interface.
"""

from __future__ import annotations

import datetime as dt
import errno
import fcntl
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from intake_tui.engine.atomic import PRIVATE_FILE_MODE, write_private
from intake_tui.engine.followups import follow_ups
from intake_tui.engine.record import IntakeRecord, RecordError, parse_record
from intake_tui.engine.store_api import (AlreadyOpen, DueItem, Entry, PurgeReport, Reason, RecordStore, SaveError,
                                         StaleRevision, StoreError, unreadable)
from intake_tui.words.i18n import N_
from intake_tui.words.said import Said

FILE_MODE = PRIVATE_FILE_MODE
FOLDER_MODE = 0o700
SUFFIX = ".json"
LOCK_SUFFIX = ".lock"
TEMPORARY_SUFFIX = ".tmp"
MAX_RECORD_BYTES = 4 * 1024 * 1024  # a record is a few kilobytes; anything this large is not one


class _SystemWords(Said):
    """The operating system's own words for an error it has no translation of here."""

    def __str__(self) -> str:
        return self.message

    def say(self, gettext) -> str:
        return self.message


# What an operating-system error means to the user; others say the system's own words.
_OS_REASONS = {
    errno.ENOSPC: N_("the disk is full"),
    errno.EDQUOT: N_("the disk quota is used up"),
    errno.EACCES: N_("permission denied"),
    errno.EPERM: N_("permission denied"),
    errno.EROFS: N_("the disk is read-only"),
    errno.ENOENT: N_("the folder does not exist"),
    errno.ENOTDIR: N_("it is not a folder"),
    errno.EISDIR: N_("it is a folder"),
    errno.ELOOP: N_("it is a symbolic link"),
    errno.EIO: N_("the disk reported an input/output error"),
}


def os_reason(error: OSError) -> Said:
    """An operating-system error in plain words (never its file name: that may be anything)."""
    message = _OS_REASONS.get(error.errno or 0)
    if message is not None:
        return Reason(message)
    return _SystemWords(error.strerror or error.__class__.__name__)


def default_store_dir() -> Path:
    """The per-user data folder's records (when neither --store, $INTAKE_STORE nor the settings name a store)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("intake_tui", appauthor=False)) / "records"


def _entry(path: Path, record: IntakeRecord) -> Entry:
    return Entry(path.stem, record, name=path.name)


def _unreadable(path: Path, reason: Said) -> Entry:
    return unreadable(path.stem, reason, path.name)


class Store(RecordStore):
    def __init__(self, folder: str | Path | None = None) -> None:
        self.folder = Path(folder) if folder else default_store_dir()
        self._held: set[str] = set()  # records this Store holds the lock of
        self._swept = False

    def __repr__(self) -> str:
        return f"Store({str(self.folder)!r})"

    @property
    def where(self) -> str:
        return str(self.folder)

    def close(self) -> None:
        """Nothing to let go of: a lock is held only while its block runs."""

    # -- the folder ---------------------------------------------------------------
    def open(self) -> None:
        """Start using the store: StoreError (a sentence) if it cannot be read; what a
        killed process left behind is cleared."""
        self._names()
        self._sweep()

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
                             reason=Reason(_OS_REASONS[errno.EACCES]))
        self._sweep()

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
        raw = _read_regular(path)
        record = parse_record(raw)
        if record.id != path.stem:
            raise RecordError(N_("the id inside ({id}) is not its file name: a copy or a renamed file, never written to"),
                              id=record.id)
        return record

    def load(self, record_id: str) -> IntakeRecord:
        path = self.path_for(record_id)
        try:
            self._folder_info()
            self._sweep()
            return self._read(path)
        except FileNotFoundError:
            raise StoreError(N_("no record {id!r} in {folder}"), id=record_id, folder=self.folder) from None
        except RecordError as error:
            raise StoreError(N_("{file}: {reason}"), file=path.name, reason=error) from None

    def entries(self) -> list[Entry]:
        """Every record file, newest first; unreadable ones with their reason."""
        names = self._names()
        self._sweep()
        entries = []
        for name in names:
            if name.startswith(".") or not name.endswith(SUFFIX):
                continue
            path = self.folder / name
            try:
                entries.append(_entry(path, self._read(path)))
            except FileNotFoundError:
                continue  # deleted since the folder was listed
            except RecordError as error:
                entries.append(_unreadable(path, error))
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
                if not any(item.due <= due_before for item in follow_ups(record)):
                    continue
            found.append(entry)
        return found[offset:None if limit is None else offset + limit]

    def due(self, until: dt.date, since: dt.date | None = None) -> list[DueItem]:
        since = since or dt.date.today()
        found = [DueItem(item.due, item.text, entry.record.id, entry.record.region, entry.record.pupil_ref)
                 for entry in self.entries() if entry.record is not None
                 for item in follow_ups(entry.record) if since <= item.due <= until]
        return sorted(found, key=lambda each: (each.due, each.record_id, each.what))

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
        if record_id in self._held:
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
        for temporary in self._temporaries(record_id):
            temporary.unlink(missing_ok=True)
        self.path_for(record_id).unlink(missing_ok=True)

    def _temporaries(self, record_id: str) -> list[Path]:
        prefix = f".{record_id}."
        try:
            names = os.listdir(self.folder)
        except OSError:
            return []
        return [self.folder / name for name in names if name.startswith(prefix) and name.endswith(TEMPORARY_SUFFIX)]

    def purge(self, older_than: dt.datetime, *, dry_run: bool = False) -> PurgeReport:
        """Delete the records last changed before ``older_than`` with every copy the store made of them.
        Records open elsewhere, unreadable ones and ones of a newer version are skipped, each with its reason."""
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
                    if self._is_open(record.id):
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
        if record_id in self._held:
            raise AlreadyOpen(record_id)
        self.ensure()
        descriptor = self._take_lock(record_id)
        if descriptor is None:
            raise AlreadyOpen(record_id)
        self._held.add(record_id)
        try:
            yield
        finally:
            self._held.discard(record_id)
            self._release_lock(record_id, descriptor)

    def _lock_path(self, record_id: str) -> Path:
        return self.folder / f".{record_id}{LOCK_SUFFIX}"

    def _is_open(self, record_id: str) -> bool:
        """Whether a live process holds the record's lock (without making a lock file)."""
        if record_id in self._held:
            return True
        try:
            descriptor = os.open(self._lock_path(record_id), os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
        except OSError as error:
            return error.errno != errno.ENOENT  # a symbolic link or an unreadable lock counts as open
        try:
            fcntl.flock(descriptor, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        finally:
            os.close(descriptor)
        return False

    def _take_lock(self, record_id: str) -> int | None:
        """The descriptor of the held lock file, or None when another holds it."""
        lock_path = self._lock_path(record_id)
        try:
            descriptor = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, FILE_MODE)
        except OSError as error:
            if error.errno == errno.ELOOP:
                raise StoreError(N_("the lock file of intake {id} is a symbolic link, which is never followed: "
                                    "remove {file}"), id=record_id, file=lock_path) from None
            raise StoreError(N_("cannot lock intake {id}: {reason}"), id=record_id, reason=os_reason(error)) from None
        try:
            if not stat.S_ISREG(os.fstat(descriptor).st_mode):
                raise StoreError(N_("the lock file of intake {id} is not a regular file: remove {file}"),
                                 id=record_id, file=lock_path)
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(descriptor)
                return None
            # The holder before us removes the lock file before unlocking it: a file
            # that is no longer at lock_path is not the lock (else two could hold it).
            try:
                same = os.lstat(lock_path).st_ino == os.fstat(descriptor).st_ino
            except FileNotFoundError:
                same = False
            if not same:
                os.close(descriptor)
                return None
        except BaseException:
            try:
                os.close(descriptor)
            except OSError:
                pass
            raise
        return descriptor

    def _release_lock(self, record_id: str, descriptor: int) -> None:
        try:
            self._lock_path(record_id).unlink(missing_ok=True)
            fcntl.flock(descriptor, fcntl.LOCK_UN)
        finally:
            os.close(descriptor)

    def _sweep(self) -> None:
        """Once per start: remove what a killed process left (temporary copies of a
        record, lock files) unless a live process holds that record's lock."""
        if self._swept:
            return
        self._swept = True
        try:
            names = os.listdir(self.folder)
        except OSError:
            return
        ids = set()
        for name in names:
            if name.startswith(".") and (name.endswith(TEMPORARY_SUFFIX) or name.endswith(LOCK_SUFFIX)):
                record_id = name[1:].split(".", 1)[0]
                if record_id and record_id not in self._held:
                    ids.add(record_id)
        for record_id in sorted(ids):
            try:
                if not os.access(self.folder, os.W_OK | os.X_OK):
                    return
                descriptor = self._take_lock(record_id)
            except StoreError:
                continue  # a symbolic link or a foreign file: left alone, the lock says why when it is used
            if descriptor is None:
                continue  # held by a live process: its files are in use
            try:
                for temporary in self._temporaries(record_id):
                    temporary.unlink(missing_ok=True)
            except OSError:
                pass
            finally:
                self._release_lock(record_id, descriptor)


def _read_regular(path: Path) -> bytes:
    """The bytes of a regular file, not through a symbolic link, at most MAX_RECORD_BYTES.
    FileNotFoundError passes through; other problems are a RecordError."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise
    except OSError as error:
        raise RecordError(N_("cannot read it: {reason}"), reason=os_reason(error)) from None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise RecordError(N_("not a regular file"))
        if info.st_size > MAX_RECORD_BYTES:
            raise RecordError(N_("too large for a record ({size} bytes)"), size=info.st_size)
        chunks = []
        total = 0
        while chunk := os.read(descriptor, 1 << 16):
            total += len(chunk)
            if total > MAX_RECORD_BYTES:
                raise RecordError(N_("too large for a record ({size} bytes)"), size=total)
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as error:
        raise RecordError(N_("cannot read it: {reason}"), reason=os_reason(error)) from None
    finally:
        os.close(descriptor)
