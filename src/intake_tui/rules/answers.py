"""Turning what a user typed (or a file holds) into a fact value.

Typed text is first read the way a Dutch or English consultant writes it
(``ja``/``nee``, ``2,5``, a choice by number, label or id); the result is then
validated by a pydantic ``TypeAdapter`` built once per question. A refused
answer raises ``AnswerError`` (a ``Said``) carrying an untranslated message and
its parameters, so the caller can say it in the user's language.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, ConfigDict, Field, StrictBool, TypeAdapter, ValidationError
from typing_extensions import TypedDict

from intake_tui.i18n import N_
from intake_tui.rules.schema import Question
from intake_tui.said import Said

YES_WORDS = frozenset({"ja", "j", "yes", "y", "true", "waar", "1"})
NO_WORDS = frozenset({"nee", "n", "no", "false", "onwaar", "0"})
NONE_WORDS = frozenset({"geen", "none", "-", "niets", "nothing"})
# No answer is this large (hours, months, percentages, IQ): beyond it a number is refused,
# so a 5,000-digit or infinite value never reaches a comparison or an output.
NUMBER_LIMIT = 10**12


class AnswerError(Said, ValueError):
    """An answer that was refused, said in the user's language like every other error."""


def answer_type(question: Question, *, strict: bool) -> Any:
    """The pydantic type of an answer to ``question``. Lax (``strict`` False) for
    what ``AnswerReader`` has read from text: whole floats pass as int, a number
    is a float. Strict for answers that already have their JSON types (a batch
    line): nothing is converted, a number keeps its int or float, ticked choices
    come back in the question's order, once each."""
    bounds = {"ge": question.min, "le": question.max, "gt": -NUMBER_LIMIT, "lt": NUMBER_LIMIT}
    if question.type == "bool":
        return StrictBool
    if question.type == "int":
        return Annotated[int, Field(strict=strict, **bounds)]
    if question.type == "number":
        if strict:
            return Annotated[int, Field(strict=True, **bounds)] | Annotated[float, Field(strict=True, allow_inf_nan=False, **bounds)]
        return Annotated[float, Field(allow_inf_nan=False, **bounds)]
    order = [choice.value for choice in question.choices]
    values = Literal[tuple(order)]  # type: ignore[valid-type]
    if question.type == "choice":
        return values
    if strict:
        return Annotated[list[values], AfterValidator(lambda chosen: sorted(set(chosen), key=order.index))]  # type: ignore[valid-type]
    return list[values]  # type: ignore[valid-type]


class AnswerReader:
    """Reads and validates answers to one question."""

    def __init__(self, question: Question, labels: Iterable[tuple[str, str]] = (), units: Iterable[str] = ()) -> None:
        self.question = question
        self.adapter = TypeAdapter(answer_type(question, strict=False))
        # Every way to name a choice: its id, its number, its label in each language.
        self.names: dict[str, str] = {}
        for number, choice in enumerate(question.choices, start=1):
            self.names[choice.value.lower()] = choice.value
            self.names[str(number)] = choice.value
            self.names[_fold(choice.label)] = choice.value
        for label, value in labels:
            self.names.setdefault(_fold(label), value)
        # The unit a number may be typed with, in any language ("10 jaar"), as answers echo it.
        self.units = {_fold(unit) for unit in units if unit} | ({_fold(question.unit)} if question.unit else set())

    def read_text(self, text: str) -> Any:
        """An answer as typed in the intake."""
        text = text.strip()
        if not text:
            raise AnswerError(N_("Please give an answer."))
        kind = self.question.type
        if kind == "bool":
            word = text.lower().rstrip(".!")
            if word in YES_WORDS:
                return True
            if word in NO_WORDS:
                return False
            raise AnswerError(N_("Answer yes or no (ja/nee, j/n)."))
        if kind in ("int", "number"):
            return self.validate(_number_from_text(self._without_unit(text), kind))
        if kind == "choice":
            return self.validate(self._choice_name(text))
        if _fold(text) in NONE_WORDS:
            return self.validate([])
        # Only a 'none' word means no choice: bare separators (",") are refused as unknown.
        parts = [part for part in re.split(r"[,;]", text) if part.strip()] or [text]
        return self.validate([self._choice_name(part) for part in parts])

    def read_value(self, value: Any) -> Any:
        """An answer from a file: a native value, or text as typed."""
        if isinstance(value, str) and self.question.type != "choice":
            return self.read_text(value)
        if isinstance(value, str):
            return self.validate(self._choice_name(value))
        if self.question.type == "choices" and isinstance(value, list):
            return self.validate([self._choice_name(v) if isinstance(v, str) else v for v in value])
        if self.question.type == "int" and isinstance(value, float) and value.is_integer():
            value = int(value)
        return self.validate(value)

    def validate(self, value: Any) -> Any:
        if self.question.type == "number" and isinstance(value, bool):
            raise AnswerError(N_("Give a number, for example 2,5."))
        if self.question.type == "int" and isinstance(value, bool):
            raise AnswerError(N_("Give a whole number, for example 6."))
        try:
            result = self.adapter.validate_python(value)
        except ValidationError as error:
            raise self._explain(error.errors()[0]) from None
        if self.question.type == "choices":
            result = sorted(set(result), key=[c.value for c in self.question.choices].index)
        if self.question.type == "number" and float(result).is_integer():
            result = int(result) if not isinstance(value, float) else result
        return result

    def _without_unit(self, text: str) -> str:
        folded = _fold(text)
        for unit in sorted(self.units, key=len, reverse=True):
            if folded.endswith(unit) and folded != unit:
                return folded[: -len(unit)]
        return text

    def _choice_name(self, text: str) -> str:
        name = _fold(text)
        if name in self.names:
            return self.names[name]
        raise self._choose_one()

    def _choose_one(self) -> AnswerError:
        choices = self.question.choices

        def options(gettext: Callable[[str], str]) -> str:
            return ", ".join(f"{n}. {gettext(c.label)}" for n, c in enumerate(choices, start=1))

        return AnswerError(N_("Choose one of: {options}."), options=options)

    def _explain(self, error: dict[str, Any]) -> AnswerError:
        kind = error["type"]
        bounds = {"min": _plain(self.question.min), "max": _plain(self.question.max)}
        if kind == "greater_than_equal":
            return AnswerError(N_("The answer must be at least {min}."), **bounds)
        if kind == "less_than_equal":
            return AnswerError(N_("The answer must be at most {max}."), **bounds)
        if kind in ("less_than", "greater_than"):
            return AnswerError(N_("That number is too large to be an answer."))
        if self.question.type == "bool":
            return AnswerError(N_("Answer yes or no (ja/nee, j/n)."))
        if self.question.type == "int":
            return AnswerError(N_("Give a whole number, for example 6."))
        if self.question.type == "number":
            return AnswerError(N_("Give a number, for example 2,5."))
        if kind == "list_type":
            return AnswerError(N_("Give a list of choices, separated by commas."))
        return self._choose_one()


def _number_from_text(text: str, kind: str) -> Any:
    cleaned = text.replace(" ", "").replace("\u00a0", "").removesuffix("%").removeprefix("€")
    if re.fullmatch(r"[-+]?\d+", cleaned):
        if len(cleaned.lstrip("+-").lstrip("0")) > len(str(NUMBER_LIMIT)):  # before int(): Python limits the digits it reads
            raise AnswerError(N_("That number is too large to be an answer."))
        return int(cleaned)
    if re.fullmatch(r"[-+]?\d*[.,]\d+", cleaned):
        value = float(cleaned.replace(",", "."))
        if not abs(value) < NUMBER_LIMIT:
            raise AnswerError(N_("That number is too large to be an answer."))
        if kind == "int":
            if value.is_integer():
                return int(value)
            raise AnswerError(N_("Give a whole number, for example 6."))
        return value
    if kind == "int":
        raise AnswerError(N_("Give a whole number, for example 6."))
    raise AnswerError(N_("Give a number, for example 2,5."))


def _fold(text: str) -> str:
    return " ".join(text.strip().lower().split())


def _plain(number: float | None) -> str:
    if number is None:
        return ""
    return str(int(number)) if float(number).is_integer() else str(number)


def answers_type(questions: dict[str, Question]) -> Any:
    """A TypedDict of a whole answers object whose values already have their JSON
    types (strictly: no text to interpret, no nulls, no facts it does not know).
    A value it refuses goes to ``AnswerReader``, which reads text and explains."""
    fields = {fact: answer_type(question, strict=True) for fact, question in questions.items()}
    answers = TypedDict("Answers", fields, total=False)  # type: ignore[operator]
    answers.__pydantic_config__ = ConfigDict(extra="forbid")  # a fact it does not know is named by the exact path
    return answers
