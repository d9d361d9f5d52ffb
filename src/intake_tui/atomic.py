"""Private files: written so that each is either wholly old or wholly new, and read only
when it is a regular file (never through a link, never waiting on a FIFO) of a bounded size."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

PRIVATE_FILE_MODE = 0o600


def sync_folder(folder: Path) -> None:
    """fsync a folder, so a rename in it survives a crash."""
    directory = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def write_private(target: Path, data: bytes) -> Path:
    """Temporary file beside the target, fsync, rename over it, fsync the folder; mode 0600."""
    folder = target.parent
    import tempfile  # loads with the first write, not with every start

    descriptor, temporary = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=".tmp", dir=folder)
    try:
        os.fchmod(descriptor, PRIVATE_FILE_MODE)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    sync_folder(folder)
    return target


@contextmanager
def private_stream(target: Path) -> Iterator[BinaryIO]:
    """A private file (mode 0600) written as a stream and put in place whole when the
    block ends without an error; on an error nothing changes at ``target``.

    Where the system can (Linux's O_TMPFILE), the data is written to a file without
    a name until it is complete, so a process killed while writing a long stream
    leaves nothing behind; elsewhere a temporary file beside the target is used."""
    folder = target.parent
    named: str | None = None
    try:
        if not os.path.isdir("/proc/self/fd"):
            raise OSError("no /proc to give an unnamed file its name")
        descriptor = os.open(folder, os.O_TMPFILE | os.O_WRONLY | os.O_CLOEXEC, PRIVATE_FILE_MODE)
    except (AttributeError, OSError):
        import tempfile

        descriptor, named = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=".tmp", dir=folder)
    try:
        os.fchmod(descriptor, PRIVATE_FILE_MODE)
        with os.fdopen(descriptor, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
            if named is None:
                import secrets

                name = f".{target.stem}.{secrets.token_hex(6)}.tmp"
                # linkat with AT_SYMLINK_FOLLOW (a dir_fd makes Python use linkat): names the open file itself.
                directory = os.open(folder, os.O_RDONLY)
                try:
                    os.link(f"/proc/self/fd/{handle.fileno()}", name, dst_dir_fd=directory, follow_symlinks=True)
                finally:
                    os.close(directory)
                named = str(folder / name)
        os.replace(named, target)
    except BaseException:
        if named is not None:
            Path(named).unlink(missing_ok=True)
        raise
    sync_folder(folder)


class NotRegularFile(OSError):
    """Not a regular file: a FIFO, a device, a folder."""


class NotPrivateFile(OSError):
    """A file of another user, or one that others may read or change."""


class FileTooLarge(OSError):
    """More bytes than the reader takes (``size``: as many as were seen)."""

    def __init__(self, size: int) -> None:
        super().__init__(f"larger than expected ({size} bytes)")
        self.size = size


def read_regular(path: Path, limit: int, *, private: bool = False) -> tuple[bytes, os.stat_result]:
    """The bytes of a regular file, not through a symbolic link, at most ``limit`` (a file that grows
    past it while it is read is refused too), with the file's status as it was read; ``private``:
    only a file of this user with mode 0600 is read. OSError otherwise (FileNotFoundError as is)."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFile(f"{path.name}: not a regular file")
        if private and (info.st_uid != os.getuid() or stat.S_IMODE(info.st_mode) != PRIVATE_FILE_MODE):
            raise NotPrivateFile(f"{path.name}: not private to this user")
        if info.st_size > limit:
            raise FileTooLarge(info.st_size)
        chunks = []
        total = 0
        while chunk := os.read(descriptor, 1 << 16):
            total += len(chunk)
            if total > limit:
                raise FileTooLarge(total)
            chunks.append(chunk)
        return b"".join(chunks), info
    finally:
        os.close(descriptor)
