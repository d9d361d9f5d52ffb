"""The dated follow-ups of a record: its outcome's terms, counted from the intake's date.

A dialog's outcome lists its terms (an OPP within 6 weeks of the grant, the end
of the school year, a TLV until 31 July), each with its citation; a record's
follow-ups are those terms under the rules version it was made with.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from intake_tui.engine.record import IntakeRecord


@dataclass(frozen=True)
class FollowUp:
    due: dt.date
    text: str  # an English msgid: translate where it is shown
    cite: str | None = None


def follow_ups(record: IntakeRecord) -> list[FollowUp]:
    """The record's follow-ups, earliest first; none for a draft or when its rules are gone."""
    from intake_tui.rules.regions import dialog_for_record

    if record.status != "complete" or record.recommendation is None:
        return []
    dialog = dialog_for_record(record)
    if dialog is None or record.recommendation.outcome not in dialog.nodes:
        return []
    outcome = dialog.nodes[record.recommendation.outcome].spec
    start = record.intake_date or record.created.date()
    found = [FollowUp(term.due(start), term.text, term.cite) for term in getattr(outcome, "terms", [])]
    return sorted(found, key=lambda f: (f.due, f.text))


def next_due(record: IntakeRecord, today: dt.date | None = None) -> dt.date | None:
    """The first follow-up on or after ``today`` (the earliest overall when all lie before it)."""
    found = follow_ups(record)
    if not found:
        return None
    today = today or dt.date.today()
    coming = [f.due for f in found if f.due >= today]
    return coming[0] if coming else found[-1].due
