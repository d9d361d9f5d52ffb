"""The lock files of the folder store, and what a killed process left beside them.

A record's lock is ``.ID.lock`` in the store folder, held with ``flock`` for
as long as a window has the record open: a second opener is told it is open
elsewhere, and a killed process frees it. The index has a lock of its own
(``.index.lock``, no record id is that short) that a listing only tries.
"""

from __future__ import annotations

import errno
import fcntl
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from intake_tui.atomic import PRIVATE_FILE_MODE
from intake_tui.engine.record_files import os_reason
from intake_tui.i18n import N_
from intake_tui.said import Said

LOCK_SUFFIX = ".lock"
TEMPORARY_SUFFIX = ".tmp"


class LockRefused(Said, RuntimeError):
    """A lock file that cannot be used (a symbolic link, not a regular file), said in plain words."""


class FolderLocks:
    """The locks of one store folder, and which of them this process holds."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.held: set[str] = set()  # records held here (by a Store's lock)
        self.swept = False

    def path(self, record_id: str) -> Path:
        return self.folder / f".{record_id}{LOCK_SUFFIX}"

    def is_open(self, record_id: str) -> bool:
        """Whether a live process holds the record's lock (without making a lock file)."""
        if record_id in self.held:
            return True
        try:
            descriptor = os.open(self.path(record_id), os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
        except OSError as error:
            return error.errno != errno.ENOENT  # a symbolic link or an unreadable lock counts as open
        try:
            fcntl.flock(descriptor, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        finally:
            os.close(descriptor)
        return False

    def take(self, record_id: str) -> int | None:
        """The descriptor of the held lock file, or None when another holds it."""
        lock_path = self.path(record_id)
        try:
            descriptor = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, PRIVATE_FILE_MODE)
        except OSError as error:
            if error.errno == errno.ELOOP:
                raise LockRefused(N_("the lock file of intake {id} is a symbolic link, which is never followed: "
                                    "remove {file}"), id=record_id, file=lock_path) from None
            raise LockRefused(N_("cannot lock intake {id}: {reason}"), id=record_id, reason=os_reason(error)) from None
        try:
            if not stat.S_ISREG(os.fstat(descriptor).st_mode):
                raise LockRefused(N_("the lock file of intake {id} is not a regular file: remove {file}"),
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

    def release(self, record_id: str, descriptor: int) -> None:
        try:
            self.path(record_id).unlink(missing_ok=True)
            fcntl.flock(descriptor, fcntl.LOCK_UN)
        finally:
            os.close(descriptor)

    def sweep(self) -> None:
        """Once per start: remove what a killed process left (temporary copies of a
        record, lock files) unless a live process holds that record's lock."""
        if self.swept:
            return
        self.swept = True
        try:
            names = os.listdir(self.folder)
        except OSError:
            return
        ids = set()
        for name in names:
            if name.startswith(".") and (name.endswith(TEMPORARY_SUFFIX) or name.endswith(LOCK_SUFFIX)):
                record_id = name[1:].split(".", 1)[0]
                if record_id and record_id not in self.held:
                    ids.add(record_id)
        for record_id in sorted(ids):
            try:
                if not os.access(self.folder, os.W_OK | os.X_OK):
                    return
                descriptor = self.take(record_id)
            except LockRefused:
                continue  # a symbolic link or a foreign file: left alone, the lock says why when it is used
            if descriptor is None:
                continue  # held by a live process: its files are in use
            try:
                for temporary in self.temporaries(record_id):
                    temporary.unlink(missing_ok=True)
            except OSError:
                pass
            finally:
                self.release(record_id, descriptor)

    def temporaries(self, record_id: str) -> list[Path]:
        """The temporary copies of a record a save made (or a killed one left)."""
        prefix = f".{record_id}."
        try:
            names = os.listdir(self.folder)
        except OSError:
            return []
        return [self.folder / name for name in names if name.startswith(prefix) and name.endswith(TEMPORARY_SUFFIX)]

    @contextmanager
    def attempt(self, name: str) -> Iterator[bool]:
        """A lock if it can be taken at once: True while it is held here, False when another holds it
        or none can be taken (a folder that cannot be written)."""
        try:
            descriptor = self.take(name)
        except LockRefused:
            descriptor = None
        if descriptor is None:
            yield False
            return
        try:
            yield True
        finally:
            self.release(name, descriptor)
