"""The condition language of dialog files: what a condition is once read.

A condition is read once by ``expr_parser.parse`` into an ``Expression``: its
static type, the facts it reads, and a plain closure that evaluates it over the
answers on a path. Nothing is ever passed to ``eval``/``exec``.

A fact that was not asked on the path evaluates to ``UNANSWERED``: comparisons
with it are false, it is falsy in ``and``/``or``, ``len`` of it is 0, and
arithmetic with it is ``UNANSWERED``. The helpers at the end of this module
are the closures' part of that; the parser only puts them together.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from intake_tui.i18n import N_
from intake_tui.said import Said


class _Unanswered:
    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "UNANSWERED"


UNANSWERED: Any = _Unanswered()

Answers = Mapping[str, Any]
Evaluator = Callable[[Answers], Any]


class ExprError(Said, ValueError):
    """A condition that does not parse or does not type-check (a translatable message)."""


# Limits that keep parsing and evaluating a condition small whatever a file holds.
MAX_LENGTH = 2000  # characters of one expression (the longest shipped condition has about 600)
MAX_DEPTH = 32  # nesting of operators, calls and parentheses
MAX_NUMBER = 10**15  # the largest number a condition may write (money and hours stay far below)
# Answers are decimals a person types (hours, euros): a sum, product or quotient of them is
# rounded to this many decimals, so 3 * 0.7 / 10 is 0.21 as a person reckons, not binary's
# 0.20999999999999996, and a limit written as arithmetic ("at most 30 percent") holds at the limit.
DECIMALS = 9


@dataclass(frozen=True)
class FactType:
    """What the condition checker needs to know of a fact."""

    kind: str  # bool | int | number | choice | choices
    values: tuple[str, ...] = ()


# Static types of sub-expressions.
BOOL, NUMBER, STRING, STRINGS, NUMBERS = "bool", "number", "string", "strings", "numbers"


@dataclass
class Expression:
    """A parsed, type-checked condition or value expression."""

    source: str
    type: str
    facts: frozenset[str]
    thresholds: dict[str, set[float]] = field(default_factory=dict)
    # (fact, test of a value) for each simple comparison of a fact with a constant:
    # lets a search try first the values that make the condition hold.
    atoms: list[tuple[str, Callable[[Any], bool]]] = field(default_factory=list)
    _evaluate: Evaluator = field(repr=False, default=lambda answers: None)

    def __call__(self, answers: Answers) -> Any:
        return self._evaluate(answers)

    def holds(self, answers: Answers) -> bool:
        value = self._evaluate(answers)
        return value is not UNANSWERED and bool(value)

    @property
    def test(self) -> Evaluator:
        """A callable whose truth is ``holds``: for a yes/no expression the evaluator
        itself (its values are True, False or the falsy UNANSWERED), one call less."""
        return self._evaluate if self.type == BOOL else self.holds


def kind_words(kind: str) -> Said:
    """A static type said in words."""
    return Said({BOOL: N_("yes/no value"), NUMBER: N_("number"), STRING: N_("text"), STRINGS: N_("list of texts"),
                 NUMBERS: N_("list of numbers")}[kind])


# -- evaluating: what the closures of a compiled condition run (an unanswered fact as the module's text says) --
def fact_against_constant(op: Callable[[Any, Any], bool], name: str, constant: Any) -> Evaluator:
    """``fact <op> constant``, the commonest condition, as one closure."""

    def evaluate(answers: Answers) -> bool:
        value = answers.get(name, UNANSWERED)
        return value is not UNANSWERED and op(value, constant)

    return evaluate


def compares(op: Callable[[Any, Any], bool], a: Any, b: Any) -> bool:
    """``a <op> b`` as a truth; False where the two cannot be compared (a search tries any value)."""
    try:
        return bool(op(a, b))
    except TypeError:
        return False


def arithmetic(op: Callable[..., Any], *values: Any) -> Any:
    """A sum, difference, product or quotient (a float to ``DECIMALS`` decimals); UNANSWERED
    when a value is, or it has no number."""
    if any(value is UNANSWERED for value in values):
        return UNANSWERED
    try:
        result = op(*values)
    except (ZeroDivisionError, OverflowError):  # x / 0; a whole number too large to divide as a float
        return UNANSWERED
    return round(result, DECIMALS) if isinstance(result, float) else result


def as_set(evaluate: Evaluator) -> Evaluator:
    """A list's evaluator that gives a set: a 'choices' answer equals a list whatever its order."""

    def set_of(answers: Answers) -> Any:
        value = evaluate(answers)
        return value if value is UNANSWERED else frozenset(value)

    return set_of


def length(value: Any) -> int:
    """``len``, 0 for an unanswered fact."""
    return 0 if value is UNANSWERED else len(value)
