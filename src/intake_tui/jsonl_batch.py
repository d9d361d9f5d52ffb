"""JSONL in, JSONL out: the batch pre-check of a whole school list.

A line whose answers already have their JSON types (the usual export of a
school system) is validated straight from its bytes by one pydantic model of
the whole line (region, id, answers), walked, and answered with the cached
text of its kind of result (``check.ResultTexts``). Anything else (typed text
such as "ja", another region, a bad line) goes through the exact path, which
reads each answer as the intake does and says what is wrong.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any, Literal

from pydantic import TypeAdapter, ValidationError
from typing_extensions import NotRequired, Required, TypedDict

from .check import InputError, answers_from_object, dialog_for, result_texts, validated_answers
from .dialog import Dialog
from .i18n import Language
from .walk import walk

# A result: how its JSON line starts (the id, the line number), the kind of result
# (the rest of the line, the route or None, the missing facts; equal kinds are one
# object), and the error or None.
Kind = tuple[str, str | None, tuple[str, ...]]
LineResult = tuple[str, Kind, str | None]


class JsonLinesChecker:
    def __init__(self, default_region: str | None, lang: Language, where: str, detail: str) -> None:
        self.default_region = default_region
        self.lang = lang
        self.where = where
        self.detail = detail
        self._cases: dict[str, TypeAdapter[Any]] = {}
        # The region of the last good line: its dialog, validator and result texts.
        self._fast: tuple[Dialog, Any, Any] | None = None

    def results(self, lines: Iterable[bytes | str]) -> Iterator[LineResult]:
        """One result for each line that is not blank, in order, as each line is read."""
        for number, raw in enumerate(lines, start=1):
            if self._fast is not None:  # inlined: this loop runs once a line
                dialog, validator, texts = self._fast
                try:
                    case = validator.validate_json(raw)
                except ValidationError:
                    case = None
                if case is not None:
                    yield _head(case.get("id", _NO_ID), number), texts.text(walk(dialog, case["answers"], use_defaults=True)), None
                    continue
            if raw.strip():
                yield self._exact_result(number, raw)

    def _exact_result(self, number: int, raw: bytes | str) -> LineResult:
        place = f"{self.where}:{number}"
        data: Any = None
        try:
            try:
                data = json.loads(raw)
            except json.JSONDecodeError as error:
                raise InputError(self.lang.gettext("{file}: not valid JSON: {reason}").format(file=place, reason=error.msg)) from None
            except UnicodeDecodeError:
                raise InputError(self.lang.gettext("{file}: not valid UTF-8 text").format(file=place)) from None
            answers, region = answers_from_object(data, place, self.lang)
            dialog = dialog_for(region or self.default_region, self.lang)
            checked = validated_answers(dialog, answers, self.lang, place)
        except InputError as error:
            identity = {"id": data["id"]} if isinstance(data, dict) and "id" in data else {}
            message = str(error)
            line = json.dumps({**identity, "line": number, "error": message}, ensure_ascii=False)
            return line[:-1], ("}", None, ()), message
        # TypeAdapter.validator: pydantic-core's validator itself, a Python call less a line.
        texts = result_texts(dialog, self.lang, self.detail)
        self._fast = (dialog, self._case_type(dialog).validator, texts)
        return _head(data.get("id", _NO_ID), number), texts.text(walk(dialog, checked, use_defaults=True)), None

    def _case_type(self, dialog: Dialog) -> TypeAdapter[Any]:
        """One line of this region, strictly typed; the region may be left out
        only when it is the one given with --region."""
        adapter = self._cases.get(dialog.region)
        if adapter is None:
            region: Any = Literal[dialog.region]  # type: ignore[valid-type]
            case = TypedDict(  # type: ignore[operator]
                "Case",
                {
                    "region": NotRequired[region] if dialog.region == self.default_region else Required[region],
                    "id": NotRequired[str | int],
                    "answers": Required[dialog.answers_type],
                },
                total=False,
            )
            adapter = self._cases[dialog.region] = TypeAdapter(case)
        return adapter


_NO_ID: Any = object()


def _head(identity: Any, number: int) -> str:
    if identity is _NO_ID:
        return '{"line": %d, ' % number
    return '{"id": %s, "line": %d, ' % (json.dumps(identity, ensure_ascii=False), number)
