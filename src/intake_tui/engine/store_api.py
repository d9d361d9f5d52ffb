"""What every record store offers, whatever keeps the records: the one interface of
the folder store (``store.Store``) and the shared register (``register.Register``).

Commands and screens talk to a ``RecordStore`` and never ask which kind it is;
``stores.store_for`` picks the back end. The guarantees are the same on both:

- a save is atomic, and never overwrites a newer revision (``StaleRevision``);
- a draft open in one window is "already open" in every other (``AlreadyOpen``),
  and a killed process frees it;
- a listing is newest first, filtered and paged by the store;
- a purge deletes a record with its data, skips with its reason what it must
  leave, and reports both.
"""

from __future__ import annotations

import abc
import datetime as dt
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from intake_tui.i18n import N_
from intake_tui.said import Said

# The record model (pydantic) loads with the first record read, not with the store:
# a store is chosen and checked before a screen opens, and the screen paints before pydantic loads.
if TYPE_CHECKING:
    from intake_tui.engine.record import IntakeRecord


class StoreError(Said, RuntimeError):
    """A store problem, said in the user's language where it is shown."""


class SaveError(StoreError):
    """A record that could not be written; the previous version is intact."""

    def __init__(self, record_id: str, reason: Said, *, disk_full: bool = False) -> None:
        super().__init__(N_("could not save intake {id}: {reason}"), id=record_id, reason=reason)
        self.reason = reason
        self.disk_full = disk_full


class AlreadyOpen(StoreError):
    """The record is held by another window or process."""

    def __init__(self, record_id: str) -> None:
        super().__init__(N_("intake {id} is already open in another window or process"), id=record_id)


class StaleRevision(StoreError):
    """A save from a window that is behind: refused, so later work is kept."""

    def __init__(self, record_id: str, stored: int, own: int) -> None:
        super().__init__(
            N_("intake {id} was changed elsewhere after this window read it (it is at change {stored}, this "
               "window at {own}): nothing was saved, so that later work is kept; open the intake again"),
            id=record_id, stored=stored, own=own)


class Reason(Said):
    """A reason, to be said inside another message."""


@dataclass
class Entry:
    """One row of a listing: its record, or why it cannot be read."""

    id: str
    record: IntakeRecord | None
    problem: str | None = None
    reason: Said | None = None  # the problem, to say in the user's language
    name: str = ""  # how a person finds it: the file name in a folder, the id in the register

    def __post_init__(self) -> None:
        self.name = self.name or self.id

    def problem_in(self, gettext) -> str | None:
        return self.reason.say(gettext) if self.reason is not None else self.problem


def unreadable(record_id: str, reason: Said, name: str = "") -> Entry:
    return Entry(record_id, None, str(reason), reason, name)


@dataclass
class PurgeReport:
    """What a purge did: the records it deleted (or would delete), and what it left and why."""

    deleted: list[IntakeRecord] = field(default_factory=list)
    skipped: list[tuple[str, Said]] = field(default_factory=list)


@dataclass(frozen=True)
class DueItem:
    """One follow-up that falls due: when, what (an English msgid), and whose record."""

    due: dt.date
    what: str
    record_id: str
    region: str
    pupil_ref: str | None


class RecordStore(abc.ABC):
    """A place that keeps intake records (see the module's text)."""

    @property
    @abc.abstractmethod
    def where(self) -> str:
        """How messages name the store: a folder, or a register's host and database (never its address)."""

    @abc.abstractmethod
    def open(self, *, writing: bool = False) -> None:
        """Start using the store; StoreError (a sentence) when it cannot be used (``writing``: when it
        cannot hold records). Done before a screen opens, so the problem is said before it."""

    @abc.abstractmethod
    def command_option(self) -> str | None:
        """The ``--store`` value that reaches this store again in a command shown to the user;
        None when it must not be shown (a register's address may hold a password)."""

    @abc.abstractmethod
    def draft_preview(self, record_id: str | None = None) -> dict[str, Any] | None:
        """The newest draft (or the draft ``record_id``) as stored, unvalidated, read without the record
        model, only to paint it before the engine loads; None when there is none or the store cannot
        read one that cheaply (the engine then opens the draft first)."""

    @abc.abstractmethod
    def close(self) -> None:
        """Let go of what the store holds (connections); it opens again when used."""

    @abc.abstractmethod
    def lock(self, record_id: str) -> AbstractContextManager[None]:
        """Hold a record for this window while the block runs; AlreadyOpen when another holds it."""

    @abc.abstractmethod
    def save(self, record: IntakeRecord, *, action: str | None = None) -> IntakeRecord:
        """Write the record one revision up, atomically, and return it as saved; StaleRevision when
        the stored revision is newer. ``action``: how an audit trail names the save (else
        created, answered or changed, as it is)."""

    @abc.abstractmethod
    def load(self, record_id: str) -> IntakeRecord:
        """The record; StoreError when there is none or it cannot be read."""

    @abc.abstractmethod
    def listing(self, *, status: str | None = None, region: str | None = None, pupil_ref: str | None = None,
                due_before: dt.date | None = None, limit: int | None = None, offset: int = 0) -> list[Entry]:
        """Records newest first (then by id), filtered and paged; a pupil reference is compared without
        case; ``due_before``: records with a follow-up on or before that day. Unreadable rows are
        listed only when nothing is filtered."""

    @abc.abstractmethod
    def due(self, until: dt.date, since: dt.date | None = None) -> list[DueItem]:
        """The follow-ups that fall due from ``since`` (today) up to ``until``, earliest first."""

    @abc.abstractmethod
    def purge(self, older_than: dt.datetime, *, dry_run: bool = False) -> PurgeReport:
        """Delete the records last changed before ``older_than`` with their data; skip, each with
        its reason, a record open elsewhere and one that cannot be read."""

    @abc.abstractmethod
    def delete(self, record_id: str) -> None:
        """Remove one record with its data, under its lock."""

    @abc.abstractmethod
    def record_export(self, record: IntakeRecord) -> None:
        """Note that the record's report left the store (the register's audit trail)."""

    # -- the same on every back end ------------------------------------------------------
    def entries(self) -> list[Entry]:
        """Every record, newest first; unreadable ones with their reason."""
        return self.listing()

    def newest_draft(self) -> IntakeRecord | None:
        found = self.listing(status="draft", limit=1)
        return found[0].record if found else None
