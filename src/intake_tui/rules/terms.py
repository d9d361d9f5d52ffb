"""Dated terms of an outcome: "6 weeks", "end of school year", "31 July".

A term's ``rule`` is read when the dialog loads (a rule that cannot be read
fails the load); its date is computed from the intake's date.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

# The Dutch school year runs from 1 August to 31 July.
SCHOOL_YEAR_END = (7, 31)

_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")
_AFTER = re.compile(r"(\d{1,3})\s+(day|days|week|weeks)(\s+after)?")
_DAY = re.compile(r"(\d{1,2})\s+(" + "|".join(_MONTHS) + r")")
RULE_WORDS = "'N days', 'N weeks' (optionally 'after'), 'end of school year', or a day such as '31 July'"


@dataclass(frozen=True)
class TermRule:
    """How to get from the intake's date to the term's date."""

    days: int | None = None  # that many days after the intake
    month_day: tuple[int, int] | None = None  # the next such day on or after the intake

    def due(self, start: dt.date) -> dt.date:
        if self.days is not None:
            return start + dt.timedelta(days=self.days)
        assert self.month_day is not None
        month, day = self.month_day
        candidate = dt.date(start.year, month, day)
        return candidate if candidate >= start else dt.date(start.year + 1, month, day)


def parse_rule(text: str) -> TermRule:
    """A rule as written in a dialog; ValueError names what is accepted."""
    words = " ".join(text.lower().split())
    if words in ("end of school year", "end of the school year"):
        return TermRule(month_day=SCHOOL_YEAR_END)
    match = _AFTER.fullmatch(words)
    if match:
        count = int(match.group(1))
        return TermRule(days=count * (7 if match.group(2).startswith("week") else 1))
    match = _DAY.fullmatch(words)
    if match:
        month = _MONTHS.index(match.group(2)) + 1
        day = int(match.group(1))
        try:
            dt.date(2001, month, day)  # not a leap year: 29 February is refused as a yearly day
        except ValueError:
            raise ValueError(f"{text!r} is not a day of the year") from None
        return TermRule(month_day=(month, day))
    raise ValueError(f"cannot read the term rule {text!r}; use {RULE_WORDS}")
