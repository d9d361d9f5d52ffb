"""Reading one record file of the folder store, whatever it holds.

Only regular files are read, nothing is followed through a symbolic link,
and a file that is too large, too deeply nested, wrongly typed or holds
another record's id is a RecordError with its reason in plain words: one bad
file never breaks the rest of the store. Operating-system errors are said in
plain words too (``os_reason``), never with a file name.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import TYPE_CHECKING

from intake_tui import atomic
from intake_tui.engine.store_api import Reason
from intake_tui.i18n import N_
from intake_tui.said import Said

# The record model (pydantic) loads with the first record read: the store's folder is
# checked, and the first screen painted, before it.
if TYPE_CHECKING:
    from intake_tui.engine.record import IntakeRecord

SUFFIX = ".json"
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


def is_record_name(name: str) -> bool:
    """Whether a name in the store folder is a record's (``ID.json``; hidden files are the store's own)."""
    return name.endswith(SUFFIX) and not name.startswith(".")


def read_record(path: Path) -> tuple[IntakeRecord, os.stat_result]:
    """The record in ``path`` and the status of the file it was read from; RecordError (a reason)
    when it is not a usable record of that name. FileNotFoundError passes through."""
    raw, info = read_regular(path)
    from intake_tui.engine.record import RecordError, parse_record

    record = parse_record(raw)
    if record.id != path.stem:
        raise RecordError(N_("the id inside ({id}) is not its file name: a copy or a renamed file, never written to"),
                          id=record.id)
    return record, info


def read_regular(path: Path, limit: int = MAX_RECORD_BYTES) -> tuple[bytes, os.stat_result]:
    """The bytes of a record file (``atomic.read_regular``) with the file's status as it was read.
    FileNotFoundError passes through; other problems are a RecordError."""
    from intake_tui.engine.record import RecordError

    try:
        return atomic.read_regular(path, limit)
    except FileNotFoundError:
        raise
    except atomic.NotRegularFile:
        raise RecordError(N_("not a regular file")) from None
    except atomic.FileTooLarge as error:
        raise RecordError(N_("too large for a record ({size} bytes)"), size=error.size) from None
    except OSError as error:
        raise RecordError(N_("cannot read it: {reason}"), reason=os_reason(error)) from None
