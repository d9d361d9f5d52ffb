"""``intake check``: what a region's rules say of a case, one case or many.

The one check pipeline, used by a single check and by every batch
(``batch.py`` reads the lines and rows, writes the results):

1. read: a JSON document (``parse_json``) becomes a ``Case``
   (``case_from_object``): its answers, region and id;
2. validate: the answers the dialog knows are read and checked
   (``validated_answers``), the facts it does not know are named as ignored;
3. decide: the dialog is walked and the result is a ``Result`` model, shared by
   every case that takes the same branches and shows the same answers
   (``Checker``), so a batch builds each kind of result once;
4. write: the result is serialised once, by the output's writer
   (``Result.data`` / ``Result.json_tail``).

Imports nothing of the UI or the command line.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from itertools import repeat
from typing import Any, NamedTuple

from pydantic import TypeAdapter, ValidationError

from intake_tui.engine.recommendation import Recommendation, outcome_signature, recommend
from intake_tui.i18n import Language
from intake_tui.rules.answers import AnswerError
from intake_tui.rules.dialog import Dialog, DialogError
from intake_tui.rules.expr import UNANSWERED
from intake_tui.rules.regions import UnknownRegion, UnknownVersion, load_region, region_ids
from intake_tui.rules.walk import Walk, walk
from intake_tui.said import Said, not_json

# The recommendation's keys a brief result carries: shared/scenarios/README.md's contract and the outcome.
BRIEF_KEYS = frozenset({"outcome", "route", "form", "level", "tlv", "domain", "group_offer", "hours_per_week",
                        "missing", "warnings"})
DETAILS = ("brief", "full")
NO_ID: Any = type("NoId", (), {"__repr__": lambda self: "NO_ID", "__slots__": ()})()  # a case without an id


class InputError(ValueError):
    """Input that cannot be checked; the message is already in the user's language."""


@dataclass(frozen=True, slots=True)
class Case:
    """One case as read: its raw answers, the region it names, its id (``NO_ID`` if none)."""

    answers: Mapping[str, Any]
    region: str | None = None
    id: Any = NO_ID


def parse_json(raw: bytes | str, file: str, lang: Language, *, line: int | None = None) -> Any:
    """A JSON document, or an ``InputError`` that says what is wrong with it (a UTF-8
    byte order mark is allowed; nesting and number size are limited by Python's parser).

    ``line``: the text is that line of ``file`` (a JSONL line); without it, the text is the
    whole file. A message starts with ``file:line`` wherever the line is known."""
    _ = lang.gettext
    where = file if line is None else f"{file}:{line}"
    try:
        text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw.removeprefix("\ufeff")
        return json.loads(text)
    except UnicodeDecodeError:
        raise InputError(_("{file}: not valid UTF-8 text").format(file=where)) from None
    except json.JSONDecodeError as error:
        said = not_json(error, Said, line or 1)
        raise InputError(_("{file}: {reason}").format(file=f"{file}:{said.params['line']}", reason=said.say(_))) from None
    except RecursionError:
        raise InputError(_("{file}: the JSON is nested too deeply").format(file=where)) from None
    except ValueError:  # Python's limit on the digits of a whole number
        raise InputError(_("{file}: a number has too many digits").format(file=where)) from None


def case_from_object(data: Any, where: str, lang: Language) -> Case:
    """A case from a JSON object: an answers object, or one that holds its answers
    under ``answers`` beside ``region`` and ``id`` (a scenario file, a batch line)."""
    _ = lang.gettext
    if not isinstance(data, dict):
        raise InputError(_("{file}: expected a JSON object of answers").format(file=where))
    region = data.get("region")
    if region is not None and not isinstance(region, str):
        raise InputError(_("{file}: 'region' must be a region id (text)").format(file=where))
    identity = data.get("id", NO_ID)
    if "answers" in data:
        answers = data["answers"]
        if not isinstance(answers, dict):
            raise InputError(_("{file}: 'answers' must be a JSON object").format(file=where))
    else:
        answers = {fact: value for fact, value in data.items() if fact not in ("region", "id")}
    return Case(answers, region, identity)


def validated_answers(dialog: Dialog, raw: Mapping[str, Any], lang: Language, where: str) -> tuple[dict[str, Any], tuple[str, ...]]:
    """Each answer the dialog asks for, validated, and the facts it does not know (ignored).

    Answers already in their JSON types are validated all at once by the
    dialog's pydantic model; anything else (typed text such as "ja" or "2,5",
    or an invalid value) is read answer by answer, which also gives the
    message for a refused one.
    """
    questions = dialog.questions
    ignored = tuple(fact for fact in raw if fact not in questions)
    if not ignored:
        try:
            return answers_adapter(dialog).validate_python(raw), ()
        except ValidationError:
            pass
    answers: dict[str, Any] = {}
    for fact, value in raw.items():
        reader = dialog.readers.get(fact)
        if reader is None or value is None:
            continue
        try:
            answers[fact] = reader.read_value(value)
        except AnswerError as error:
            raise InputError(
                lang.gettext("{file}: {fact}: {problem}").format(file=where, fact=fact, problem=error.say(lang.gettext))
            ) from None
    return answers, ignored


@cache
def answers_type(dialog: Dialog) -> Any:
    """The TypedDict of a whole answers object of this dialog in JSON types (``answers.answers_type``)."""
    from intake_tui.rules.answers import answers_type as typed

    return typed(dialog.questions)


@cache
def answers_adapter(dialog: Dialog) -> TypeAdapter[Any]:
    """Validates a whole answers object of JSON values at once."""
    return TypeAdapter(answers_type(dialog))


def dialog_for(region: str | None, lang: Language, where: str | None = None, on: dt.date | None = None) -> Dialog:
    """The dialog of ``region``; an unknown one is an ``InputError`` that names ``where``."""
    place = f"{where}: " if where else ""
    if not region:
        raise InputError(place + lang.gettext("no region given; use --region ({regions})").format(regions=", ".join(region_ids())))
    try:
        return load_region(region, on=on)
    except (UnknownRegion, UnknownVersion) as error:
        raise InputError(place + error.say(lang.gettext)) from None
    except DialogError as error:  # a shipped dialog that does not load: its file:line problems, no traceback
        raise InputError(error.say(lang.gettext)) from None


class Tally(NamedTuple):
    """What a batch's summary counts of a result."""

    route: str | None  # None: incomplete
    region: str
    ruleset_version: str
    missing: tuple[str, ...]


class Result:
    """What a check says of a case, apart from the case's id and line: the model
    a single check and every batch line are written from. Equal cases share one
    (see ``Checker``), and its JSON text is made once per detail."""

    __slots__ = ("region", "ruleset_version", "complete", "next_question", "path", "assumed", "recommendation", "_texts",
                 "tally")

    def __init__(self, dialog: Dialog, walked: Walk, recommendation: Recommendation | None) -> None:
        self.region = dialog.region
        self.ruleset_version = dialog.meta.ruleset_version
        self.complete = walked.complete
        self.next_question = walked.next_question
        self.path = tuple(walked.path)
        self.assumed = tuple(walked.assumed)
        self.recommendation = recommendation
        self._texts: dict[str, str] = {}
        # What a batch's summary counts of it: equal for results that differ only in what the summary leaves out.
        self.tally = Tally(self.route, self.region, self.ruleset_version, self.missing)

    @property
    def route(self) -> str | None:
        return self.recommendation.route if self.recommendation else None

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(self.recommendation.missing) if self.recommendation else ()

    def data(self, detail: str = "full") -> dict[str, Any]:
        """The result as JSON data (shared/scenarios/README.md); ``brief``: the recommendation's contract keys only."""
        recommendation = None
        if self.recommendation is not None:
            recommendation = self.recommendation.model_dump(mode="json", include=BRIEF_KEYS if detail == "brief" else None)
        return {
            "region": self.region, "ruleset_version": self.ruleset_version, "complete": self.complete,
            "next_question": self.next_question, "path": list(self.path), "assumed": list(self.assumed),
            "recommendation": recommendation,
        }

    def json_tail(self, detail: str) -> str:
        """The JSON text of ``data(detail)`` without its opening brace, so a batch
        line can put the case's id and line first; made once per detail."""
        text = self._texts.get(detail)
        if text is None:
            text = self._texts[detail] = json.dumps(self.data(detail), ensure_ascii=False)[1:]
        return text


class Checker:
    """Checks answers against one dialog in one language, and keeps one ``Result``
    per kind of result: the branches taken, the defaults assumed and what of the
    answers the outcome shows (``outcome_signature``) decide it all. Answers that
    take the same branches with the same values of the facts the outcome reads
    show the same: their result is found again without working out what it shows.

    Both are kept in two generations (``_Kept``): what recurs stays; what a file holds
    once (a case whose warnings show its own hours and rate) passes through, so memory
    is bounded whatever the number of lines."""

    def __init__(self, dialog: Dialog, lang: Language) -> None:
        self.dialog = dialog
        self.lang = lang
        self._results = _Kept()  # (branches, assumed, signature): the kinds of result
        self._by_values = _Kept()  # (branches, assumed, values the outcome reads): one of them

    def check(self, answers: Mapping[str, Any]) -> Result:
        """The result of valid answers (``validated_answers``)."""
        walked = walk(self.dialog, answers, use_defaults=True)
        branches = tuple(map(id, walked.steps))
        assumed = tuple(walked.assumed) if walked.assumed else None
        if walked.outcome is None:
            return self._result(walked, (branches, assumed, None))
        reads = self.dialog.outcome_expressions[walked.outcome].reads
        key = (branches, assumed, tuple(map(walked.answers.get, reads, repeat(UNANSWERED))))
        try:
            result = self._by_values.get(key)
        except TypeError:  # a 'choices' answer (a list) among the values: what it shows is worked out
            return self._result(walked, (branches, assumed, outcome_signature(self.dialog, walked.outcome, walked.answers)))
        if result is None:
            result = self._result(walked, (branches, assumed, outcome_signature(self.dialog, walked.outcome, walked.answers)))
            self._by_values.put(key, result)
        return result

    def _result(self, walked: Walk, key: tuple) -> Result:
        """The result of this kind, made the first time it is met."""
        result = self._results.get(key)
        if result is None:
            recommendation = None
            if walked.outcome is not None:
                recommendation = recommend(self.dialog, walked.outcome, walked.answers, walked.steps, self.lang)
            result = Result(self.dialog, walked, recommendation)
            self._results.put(key, result)
        return result


class _Kept:
    """What a ``Checker`` keeps, in two generations of at most ``_CACHE_SIZE`` each: when the
    newer is full it becomes the older and the older is let go; what is found in the older
    is taken into the newer."""

    __slots__ = ("newer", "older")

    def __init__(self) -> None:
        self.newer: dict[tuple, Result] = {}
        self.older: dict[tuple, Result] = {}

    def get(self, key: tuple) -> Result | None:
        """TypeError for a key that cannot be kept (a list among its values)."""
        found = self.newer.get(key)
        if found is None:
            found = self.older.get(key)
            if found is not None:
                self.put(key, found)
        return found

    def put(self, key: tuple, result: Result) -> None:
        if len(self.newer) >= _CACHE_SIZE:
            self.older, self.newer = self.newer, {}
        self.newer[key] = result


@cache
def checker(dialog: Dialog, lang: Language) -> Checker:
    return Checker(dialog, lang)


def check_answers(dialog: Dialog, answers: Mapping[str, Any], lang: Language, detail: str = "full") -> dict[str, Any]:
    """The result of valid answers as JSON data (shared/scenarios/README.md)."""
    return checker(dialog, lang).check(answers).data(detail)


class LineResult(NamedTuple):
    """The result of one numbered case of a batch, or the error that stopped its check."""

    line: int
    id: Any  # as it came in; NO_ID when the case has none
    result: Result | None
    error: str | None = None
    ignored: tuple[str, ...] = ()


class Lines:
    """Checks the numbered cases of one file, each on its own: whatever one line
    holds, it gets its result or its error, and the next line is checked."""

    def __init__(self, where: str, default_region: str | None, lang: Language) -> None:
        self.where = where
        self.default_region = default_region
        self.lang = lang
        self.last_dialog: Dialog | None = None  # the dialog of the last line that was checked

    def raw(self, number: int, raw: bytes | str) -> LineResult:
        """A JSON text of a case (a JSONL line)."""
        try:
            data = parse_json(raw, self.where, self.lang, line=number)
        except InputError as error:
            return LineResult(number, NO_ID, None, str(error))
        return self.parsed(number, data)

    def parsed(self, number: int, data: Any) -> LineResult:
        """A case read as JSON data (or a CSV row), or the ``InputError`` of reading it."""
        place = f"{self.where}:{number}"
        identity = NO_ID
        try:
            if isinstance(data, InputError):
                raise data
            case = data if isinstance(data, Case) else case_from_object(data, place, self.lang)
            if case.id is not NO_ID:
                _writable_id(case.id, place, self.lang)
                identity = case.id
            dialog = dialog_for(case.region or self.default_region, self.lang, place)
            answers, ignored = validated_answers(dialog, case.answers, self.lang, place)
            result = checker(dialog, self.lang).check(answers)
        except InputError as error:
            return LineResult(number, identity, None, str(error))
        except Exception as error:  # last resort: one line never ends the run (a test holds that it is never reached)
            message = self.lang.gettext("{file}: this line could not be checked ({reason})")
            return LineResult(number, identity, None, message.format(file=place, reason=error.__class__.__name__))
        self.last_dialog = dialog
        return LineResult(number, identity, result, None, ignored)


def _writable_id(identity: Any, where: str, lang: Language) -> None:
    """An id is written back exactly as it came in: refuse one that JSON cannot hold (NaN, infinity)."""
    try:
        json.dumps(identity, allow_nan=False)
    except (ValueError, RecursionError):
        raise InputError(lang.gettext("{file}: the id cannot be written back; give text or a whole number").format(file=where)) from None


_CACHE_SIZE = 512  # kinds of result (and answers that found one) in each generation, per dialog and language
