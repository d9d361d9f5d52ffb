"""Loading a dialog file: TOML → pydantic models → a checked, compiled graph.

Every problem found is reported as ``file:line: message``; loading collects
all of them instead of stopping at the first, so a dialog author sees the
whole list at once. Reading the file and its schema are here; the graph's
own checks are ``rules.compiler``.
"""

from __future__ import annotations

import math
import re
import stat
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from intake_tui.i18n import N_
from intake_tui.rules.compiler import compile_dialog
from intake_tui.rules.dialog import Dialog, DialogError, collector_paused, problem
from intake_tui.rules.schema import DialogFile
from intake_tui.rules.toml_lines import LazyLineIndex, too_deep
from intake_tui.said import Said

# Limits on what a dialog file may hold, so that reading it never runs out of
# stack, memory or time (conditions have their own, in expr).
MAX_FILE_BYTES = 64 * 1024 * 1024  # a dialog of 50,000 nodes is under 10 MB
MAX_TOML_NESTING = 16  # arrays and inline tables inside each other (the shipped dialogs use 2)


def load_dialog(path: str | Path) -> Dialog:
    path = Path(path)
    shown = str(path)
    return parse_dialog(read_source(path), shown, path)


def read_source(path: Path) -> str:
    """The text of a dialog file; a folder, a device, a huge or non-UTF-8 file is a problem."""
    shown = str(path)

    def refuse(message: str, **params: Any) -> DialogError:
        return DialogError([problem(shown, 1, message, **params)])

    try:
        # Only a regular file is opened: reading a FIFO would wait for ever.
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise refuse(N_("this is a folder, not a dialog file"))
        if not stat.S_ISREG(info.st_mode):
            raise refuse(N_("this is not a regular file"))
        if info.st_size > MAX_FILE_BYTES:
            raise refuse(N_("the file is larger than {limit} MB"), limit=MAX_FILE_BYTES // (1024 * 1024))
        data = path.read_bytes()
    except FileNotFoundError:
        raise refuse(N_("cannot read the file: it does not exist")) from None
    except PermissionError:
        raise refuse(N_("cannot read the file: permission denied")) from None
    except OSError as error:
        raise refuse(N_("cannot read the file ({reason})"), reason=error.__class__.__name__) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise DialogError([problem(shown, line, N_("the file is not UTF-8 text"))]) from None


def parse_dialog(source: str, shown: str, path: Path | None = None) -> Dialog:
    with collector_paused():
        return _parse_dialog(source, shown, path)


def _parse_dialog(source: str, shown: str, path: Path | None) -> Dialog:
    deep = too_deep(source, MAX_TOML_NESTING)
    if deep is not None:
        raise DialogError([problem(shown, deep, N_("arrays and tables are nested more than {limit} deep here"),
                                   limit=MAX_TOML_NESTING)])
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"\(at line (\d+), column \d+\)", str(error))
        line = int(match.group(1)) if match else 1
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(error))
        raise DialogError([problem(shown, line, N_("not valid TOML: {reason}"), reason=_toml_reason(message))]) from None
    except (ValueError, RecursionError, MemoryError):
        # tomllib reads a whole number of more than 4,300 digits with int(), which refuses it.
        match = re.search(r"\d{4300}", source)
        line = source.count("\n", 0, match.start()) + 1 if match else 1
        raise DialogError([problem(shown, line, N_("a number here is too large"))]) from None
    lines = LazyLineIndex(source)
    try:
        spec = DialogFile.model_validate(data)
    except ValidationError as error:
        problems, seen = [], set()
        for item in error.errors():
            location = _data_location(data, item["loc"])
            if item["type"] == "dialog" and (item.get("ctx") or {}).get("at"):
                location = (*location, item["ctx"]["at"])  # the key a table's own check is about
            if location in seen:
                continue  # one problem a place: a union (number or text) reports each of its members
            seen.add(location)
            problems.append(problem(shown, lines.line_of(location), N_("{where}: {problem}"),
                                    where=_dotted(location), problem=_pydantic_reason(item)))
        raise DialogError(problems) from None
    return compile_dialog(spec, shown, lines, path or Path(shown))


def _data_location(data: Any, location: Iterable[Any]) -> tuple[str | int, ...]:
    """A pydantic location without the names it adds for the members of a union
    ('constrained-float', 'str'): only the keys and indexes that are in the data,
    and a missing or unknown key last."""
    kept: list[str | int] = []
    for part in location:
        if isinstance(data, dict):
            kept.append(part)
            if part not in data:
                break
            data = data[part]
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            kept.append(part)
            data = data[part]
    return tuple(kept)


def _dotted(location: Iterable[Any]) -> str:
    return ".".join(str(part) for part in location) or "(file)"


# tomllib's messages (Python 3.11), each as a translatable text.
_TOML_REASONS: list[tuple[re.Pattern[str], str]] = [(re.compile(pattern), message) for pattern, message in [
    (r"Cannot overwrite a value", N_("a value is set twice")),
    (r"Cannot mutate immutable namespace (.*)", N_("{detail} cannot be changed here")),
    (r"Cannot redefine namespace (.*)", N_("{detail} cannot be defined again")),
    (r"Cannot declare (.*) twice", N_("{detail} is declared twice")),
    (r"Duplicate inline table key (.*)", N_("the key {detail} is used twice in an inline table")),
    (r"Unescaped '\\' in a string", N_("a backslash in a string is not escaped")),
    (r"Illegal character (.*)", N_("the character {detail} is not allowed here")),
    (r"Found invalid character (.*)", N_("the character {detail} is not allowed here")),
    (r"Expected ']]' at the end of an array declaration", N_("']]' is missing at the end of the table header")),
    (r"Expected ']' at the end of a table declaration", N_("']' is missing at the end of the table header")),
    (r"Expected '=' after a key in a key/value pair", N_("'=' is missing after the key")),
    (r"Expected (.*)", N_("{detail} was expected here")),
    (r"Unterminated string", N_("a string is not closed")),
    (r"Unclosed inline table", N_("an inline table is not closed")),
    (r"Unclosed array", N_("an array is not closed")),
    (r"Invalid value", N_("not a valid value (a string needs quotes)")),
    (r"Invalid statement", N_("not a key = value line or a table header")),
    (r"Invalid initial character for a key part", N_("a key cannot start with this character")),
    (r"Invalid hex value", N_("an escape code is not a valid hexadecimal number")),
    (r"Invalid date or datetime", N_("not a valid date or time")),
    (r"Escaped character is not a Unicode scalar value", N_("an escape code is not a valid character")),
]]


def _toml_reason(message: str) -> Said:
    for pattern, text in _TOML_REASONS:
        match = pattern.fullmatch(message)
        if match:
            return Said(text, detail=match.group(1)) if match.groups() else Said(text)
    return Said(N_("the text does not follow the TOML rules"))


# pydantic's error types, each as a translatable text (its English messages are not ours to translate).
_PYDANTIC_REASONS = {
    "missing": N_("this key is required"),
    "extra_forbidden": N_("unknown key"),
    "string_type": N_("must be text"),
    "string_too_short": N_("must not be empty"),
    "string_pattern_mismatch": N_("must be an id: lower-case letters, digits and '_', starting with a letter"),
    "int_type": N_("must be a whole number"),
    "int_parsing": N_("must be a whole number"),
    "float_type": N_("must be a number"),
    "float_parsing": N_("must be a number"),
    "finite_number": N_("must be a finite number (not nan or inf)"),
    "bool_type": N_("must be true or false"),
    "bool_parsing": N_("must be true or false"),
    "list_type": N_("must be a list"),
    "dict_type": N_("must be a table"),
    "model_type": N_("must be a table"),
    "model_attributes_type": N_("must be a table"),
    "date_type": N_("must be a date such as 2025-08-01"),
    "date_parsing": N_("must be a date such as 2025-08-01"),
    "date_from_datetime_parsing": N_("must be a date such as 2025-08-01"),
    "date_from_datetime_inexact": N_("must be a date such as 2025-08-01"),
}


def _pydantic_reason(item: dict[str, Any]) -> Said:
    kind, context = item["type"], item.get("ctx") or {}
    if kind == "dialog":  # our own validators: schema.refused
        return Said(context["msgid"], **{key: value for key, value in context.items() if key not in ("msgid", "at")})
    if kind == "literal_error":
        return Said(N_("must be one of: {values}"), values=", ".join(re.findall(r"'[^']*'", str(context.get("expected", "")))))
    if kind in ("greater_than_equal", "greater_than"):
        return Said(N_("must be at least {limit}"), limit=_plain_number(context.get("ge", context.get("gt"))))
    if kind in ("less_than_equal", "less_than"):
        return Said(N_("must be at most {limit}"), limit=_plain_number(context.get("le", context.get("lt"))))
    if kind in _PYDANTIC_REASONS:
        return Said(_PYDANTIC_REASONS[kind])
    return Said(N_("not a valid value here"))


def _plain_number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer() and math.isfinite(value):
        return str(int(value))
    return str(value)
