"""The intake record: what is saved about one intake.

A record holds a pupil *reference* at most, never a name. Records carry a
schema version; older versions are migrated on load, newer ones refused.
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
import uuid
from collections.abc import Callable
from functools import cache
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
)
from typing_extensions import TypedDict

from intake_tui import __version__
from intake_tui.engine.recommendation import Recommendation
from intake_tui.i18n import N_
from intake_tui.said import Said, not_json

SCHEMA_VERSION = 3

AnswerValue = bool | int | float | str | list[str]
# A reference such as a dossier number: letters, digits and - _ . / only, so a
# full name with spaces cannot be typed into it by accident.
PupilReference = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,39}$")]
SHORT_TEXT_MAX = 80


def _plain_text(text: str) -> str:
    """Refuse control and format characters (escape codes, bidi overrides, line breaks)."""
    if any(unicodedata.category(char)[0] == "C" or unicodedata.category(char) in ("Zl", "Zp") for char in text):
        raise ValueError("control characters are not allowed")
    return text


# A short plain text such as the name of a consultant or a school (never the pupil's).
ShortText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=SHORT_TEXT_MAX), AfterValidator(_plain_text)
]


class RecordError(Said, ValueError):
    """A record file that cannot be used, with the reason in plain words."""


class PupilReferenceError(Said, ValueError):
    """A pupil reference that is refused (it may be a name)."""


def check_pupil_reference(reference: str | None) -> None:
    """Refuse, in plain words, what the record's pydantic model would refuse."""
    if reference is None:
        return
    try:
        TypeAdapter(PupilReference).validate_python(reference)
    except ValidationError:
        raise PupilReferenceError(
            N_("{reference!r} is not a pupil reference: use 1 to 40 letters, digits and . _ / - "
               "(no spaces: never a name)"), reference=reference) from None


class ShortTextError(Said, ValueError):
    """A consultant's or school's name that is refused."""


def check_short_text(text: str | None) -> None:
    """Refuse, in plain words, a consultant's or school's name the record would refuse."""
    if text is None:
        return
    try:
        TypeAdapter(ShortText).validate_python(text)
    except ValidationError:
        raise ShortTextError(
            N_("{text!r} is not a short plain name: use 1 to {limit} characters, without control characters or line breaks"),
            text=text, limit=SHORT_TEXT_MAX) from None


def _in_utc(moment: dt.datetime) -> dt.datetime:
    try:
        return moment.astimezone(dt.timezone.utc)
    except OverflowError:
        raise ValueError("the time is out of range") from None


# A moment with its time zone (a time without one is ambiguous), kept in UTC.
Moment = Annotated[AwareDatetime, AfterValidator(_in_utc)]


class IntakeRecord(BaseModel):
    model_config = ConfigDict(extra="forbid")

    schema_version: Literal[3] = SCHEMA_VERSION
    revision: int = Field(default=0, ge=0, le=2**53)  # one more on every save; a save never overwrites a newer one
    id: Annotated[str, StringConstraints(pattern=r"^[0-9a-z-]{6,40}$")]
    region: str
    swv: str
    ruleset_version: str
    valid_from: dt.date
    status: Literal["draft", "complete"]
    answers: dict[str, AnswerValue] = Field(default_factory=dict)
    path: list[str] = Field(default_factory=list)
    next_question: str | None = None
    recommendation: Recommendation | None = None
    created: Moment
    updated: Moment
    language: Literal["nl", "en"]
    app_version: str = __version__
    pupil_ref: PupilReference | None = None
    anonymous: bool = False
    consultant: ShortText | None = None  # who held the intake (a member of the SWV's staff)
    school: ShortText | None = None  # the school that asked (never the pupil)
    # The receipt: with ruleset_version and app_version, what re-checking this record needs to
    # reproduce its outcome and reasons exactly (the intake's date chose the rules version).
    intake_date: dt.date | None = None
    rules_checksum: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")] | None = None  # SHA-256 of the dialog file


def new_record_id(now: dt.datetime | None = None) -> str:
    now = now or dt.datetime.now(dt.timezone.utc)
    return f"{now:%Y%m%d}-{uuid.uuid4().hex[:10]}"


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def _from_v1(data: dict[str, Any]) -> dict[str, Any]:
    # Version 1 called the language "lang" and had no anonymous flag.
    data = dict(data)
    data["language"] = data.pop("lang", "nl")
    data.setdefault("anonymous", data.get("pupil_ref") is None)
    data["schema_version"] = 2
    return data


def _from_v2(data: dict[str, Any]) -> dict[str, Any]:
    # Version 3 added the revision (0: never saved by a version that counts) and
    # the consultant's and the school's names (unknown for older records).
    data = dict(data)
    data.setdefault("revision", 0)
    data["schema_version"] = 3
    return data


MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _from_v1, 2: _from_v2}


# Limits of a record file: far beyond any real record, well within what the
# parser and the validation handle without deep recursion or long arithmetic.
MAX_NESTING = 16
MAX_NUMBER_DIGITS = 30


def _whole(text: str) -> int:
    if len(text) > MAX_NUMBER_DIGITS:
        raise RecordError(N_("a number with more than {digits} digits"), digits=MAX_NUMBER_DIGITS)
    return int(text)


def _finite(text: str) -> float:
    if len(text) > MAX_NUMBER_DIGITS + 10:
        raise RecordError(N_("a number with more than {digits} digits"), digits=MAX_NUMBER_DIGITS)
    value = float(text)
    if value != value or value in (float("inf"), float("-inf")):
        raise RecordError(N_("a number too large to use"))
    return value


def _no_constant(name: str) -> Any:
    raise RecordError(N_("{name} is not a number a record can hold"), name=name)


def _depth_exceeds(data: Any, limit: int) -> bool:
    """Whether lists and objects nest deeper than ``limit`` (without recursion)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            value = list(value.values())
        if isinstance(value, list):
            if depth > limit:
                return True
            stack.extend((item, depth + 1) for item in value if isinstance(item, (dict, list)))
    return False


def _short(text: str, limit: int = 60) -> str:
    """A piece of a file's text fit to quote in a message: printable, and short."""
    text = "".join(char if char.isprintable() else "?" for char in text[:limit])
    return text if len(text) < limit else text[: limit - 1] + "…"


def parse_record(raw: bytes) -> IntakeRecord:
    """A record from its file's bytes, migrated to the current version and
    validated, its answers against the questions of its region where that is known.
    Anything else is a RecordError saying why, never another exception."""
    try:
        data = json.loads(raw, parse_int=_whole, parse_float=_finite, parse_constant=_no_constant)
    except RecordError:
        raise
    except RecursionError:
        raise RecordError(N_("nested more than {depth} levels deep"), depth=MAX_NESTING) from None
    except json.JSONDecodeError as error:
        raise not_json(error, RecordError) from None
    except UnicodeDecodeError:
        raise RecordError(N_("not valid JSON (not text)")) from None
    except (ValueError, TypeError):  # the digit limit of int(), or bytes that are no JSON document at all
        raise RecordError(N_("not valid JSON")) from None
    if not isinstance(data, dict) or "id" not in data or "region" not in data:
        raise RecordError(N_("not an intake record"))
    if _depth_exceeds(data, MAX_NESTING):
        raise RecordError(N_("nested more than {depth} levels deep"), depth=MAX_NESTING)
    version = data.get("schema_version", 1)
    if not isinstance(version, int) or isinstance(version, bool):
        raise RecordError(N_("its schema_version is not a number"))
    if version > SCHEMA_VERSION:
        raise RecordError(
            N_("made by a newer version of intake_tui (record schema {version}, this version reads up to {current}); update intake_tui"),
            version=version, current=SCHEMA_VERSION,
        )
    while version < SCHEMA_VERSION:
        migrate = MIGRATIONS.get(version)
        if migrate is None:
            raise RecordError(N_("record schema {version} can no longer be read"), version=version)
        data = migrate(data)
        version = data["schema_version"]
    try:
        record = IntakeRecord.model_validate(data)
    except ValidationError as error:
        raise _validation_error_in(None, error) from None
    _check_answers(record)
    return record


def _check_answers(record: IntakeRecord) -> None:
    """The answers have the types of the region's questions (a record of a region this
    installation does not have is checked when it is opened, which refuses it)."""
    adapter = _answers_adapter(record.region)
    if adapter is None:
        return
    try:
        adapter.validate_python(record.answers)
    except ValidationError as error:
        raise _validation_error_in("answers", error) from None


def _validation_error_in(prefix: str | None, error: ValidationError) -> RecordError:
    first = error.errors(include_url=False, include_input=False)[0]
    location = [*([prefix] if prefix else []), *(str(part) for part in first["loc"])]
    problem = _short(first["msg"], 120)
    if location[0] == "answers" and len(location) > 2:  # the union of answer types names each type it tried
        location, problem = location[:2], ANSWER_TYPES
    return RecordError(N_("{where}: {problem} ({count} problem(s))"), where=_short(".".join(location)), problem=problem,
                       count=error.error_count())


ANSWER_TYPES = "not a yes or no, a number, a text or a list of texts"


@cache
def _answers_adapter(region: str) -> TypeAdapter | None:
    """Each answer's type as its question asks it (its bounds are not checked: a
    record keeps what was valid when it was given, also after the rules change)."""
    from intake_tui.rules.answers import answer_type
    from intake_tui.rules.dialog import DialogError
    from intake_tui.rules.regions import load_region, region_files

    if region not in region_files():
        return None
    try:
        dialog = load_region(region)
    except DialogError:
        return None
    fields = {fact: answer_type(question.model_copy(update={"min": None, "max": None}), strict=True)
              for fact, question in dialog.questions.items()}
    return TypeAdapter(TypedDict("StoredAnswers", fields, total=False))  # type: ignore[operator]
