"""Writing a private file so that it is either wholly old or wholly new."""

from __future__ import annotations

import os
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
