"""One intake as the UI drives it: a session, its record and autosave.

Every accepted answer is written to the store (atomically) before the next
question is shown, so a killed process loses nothing that was answered.
No Textual here: the TUI and the plain pre-check both use it.
"""

from __future__ import annotations

import datetime as dt
from contextlib import ExitStack
from typing import Any

from intake_tui.engine.record import IntakeRecord, check_pupil_reference, check_short_text
from intake_tui.engine.session import Change, Session
from intake_tui.engine.store_api import RecordStore, SaveError, StoreError
from intake_tui.i18n import N_, Language
from intake_tui.rules.answers import AnswerError
from intake_tui.rules.dialog import Dialog
from intake_tui.rules.regions import dialog_for_record, load_region


class Intake:
    def __init__(self, session: Session, store: RecordStore | None, *, autosave: bool = True) -> None:
        self.session = session
        self.store = store
        self.autosave = autosave and store is not None
        self._locks = ExitStack()
        if self.autosave:
            assert store is not None
            self._locks.enter_context(store.lock(session.record_id))

    @classmethod
    def start(cls, region: str, lang: Language, store: RecordStore | None, pupil_ref: str | None = None,
              anonymous: bool = False, autosave: bool = True, consultant: str | None = None,
              school: str | None = None, on: dt.date | None = None) -> Intake:
        check_pupil_reference(pupil_ref)
        check_short_text(consultant)
        check_short_text(school)
        dialog = load_region(region, on=on)
        anonymous = anonymous or dialog.meta.anonymous_only
        session = Session(dialog, lang, pupil_ref=pupil_ref, anonymous=anonymous, consultant=consultant, school=school,
                          intake_date=on)
        # No file yet: a draft starts with the first answer.
        return cls(session, store, autosave=autosave)

    @classmethod
    def resume(cls, store: RecordStore, record_id: str | None, lang: Language | None = None) -> Intake:
        record = store.load(record_id) if record_id else store.newest_draft()
        if record is None:
            raise StoreError(N_("there is no draft to resume in {folder}"), folder=store.where)
        from intake_tui.i18n import language

        dialog = dialog_for_record(record)
        if dialog is None:
            raise StoreError(N_("{id}: rules version {version} of region {region!r} is not available in this installation; "
                                "the record can still be listed and exported as it was stored"),
                             id=record.id, region=record.region, version=record.ruleset_version)
        return cls(Session(dialog, lang or language(record.language), record=record), store)

    def close(self) -> None:
        self._locks.close()

    @property
    def saved_in(self) -> RecordStore | None:
        """The store that keeps this intake's record (None for one that is never saved: training)."""
        return self.store if self.autosave else None

    # -- reading --------------------------------------------------------------
    @property
    def dialog(self) -> Dialog:
        return self.session.dialog

    @property
    def lang(self) -> Language:
        return self.session.lang

    def answered(self) -> list[tuple[str, object]]:
        """Each answer on the path so far, as (fact, value), in the order asked."""
        return [(fact, self.session.answers[fact]) for fact in self.session.history]

    def record(self) -> IntakeRecord:
        return self.session.to_record()

    # -- acting ---------------------------------------------------------------
    # Each act changes the session and saves it; if the save fails (StoreError,
    # e.g. a full disk) the session is as it was, so the same act can be repeated.
    def answer(self, text: str) -> Change:
        """Raises AnswerError or StoreError (nothing changed) or saves and returns what changed."""
        return self._saved(lambda: self.session.answer_text(text))

    def answer_value(self, value: Any) -> Change:
        return self._saved(lambda: self.session.answer_value(value))

    def back(self) -> bool:
        return self._saved(self.session.back, save_if=bool)

    def change(self, fact: str, text: str) -> Change:
        return self._saved(lambda: self.session.change(fact, text=text))

    def _saved(self, act, save_if=lambda result: True):
        before = self.session.snapshot()
        result = act()
        if save_if(result):
            try:
                self.save()
            except BaseException:
                self.session.restore(before)
                raise
        return result

    def save(self) -> IntakeRecord:
        """The record as it is now; saved (one revision up) when autosaving."""
        record = self.session.to_record()
        if self.autosave and self.store is not None:
            record = self.store.save(record)
            self.session.revision = record.revision
        return record


def save_failure_text(error: StoreError, lang: Language) -> str:
    """What to say when an answer could not be saved: it is not lost, and how to go on."""
    _ = lang.gettext
    if isinstance(error, SaveError) and error.disk_full:
        return _("could not save: the disk is full; nothing is lost: free space and press Enter again")
    if isinstance(error, SaveError):
        return _("could not save: {reason}; nothing is lost: press Enter to try again").format(reason=error.reason.say(_))
    return _("could not save: {reason}").format(reason=error.say(_))


__all__ = ["AnswerError", "Intake", "save_failure_text"]
