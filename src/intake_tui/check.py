"""``intake check``: a recommendation from a file of answers, one or many.

Imports nothing of the UI. The batch mode streams: one line in, one result
out, so memory does not grow with the number of lines.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .answers import AnswerError
from .dialog import Dialog, DialogError
from .i18n import Language
from .recommendation import brief_recommendation, outcome_signature, recommend
from .regions import UnknownRegion, load_region, region_ids
from .walk import Walk, walk


class InputError(ValueError):
    """Input that cannot be checked; the message is already in the user's language."""


def read_answers_file(path: str, lang: Language) -> tuple[dict[str, Any], str | None]:
    """The answers in a file, and the region a scenario file names (if any)."""
    _ = lang.gettext
    try:
        text = Path(path).read_text(encoding="utf-8") if path != "-" else _stdin()
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(_("{file}: cannot read the file ({reason})").format(file=path, reason=error.__class__.__name__)) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(_("{file}:{line}: not valid JSON: {reason}").format(file=path, line=error.lineno, reason=error.msg)) from None
    return answers_from_object(data, path, lang)


def answers_from_object(data: Any, where: str, lang: Language) -> tuple[dict[str, Any], str | None]:
    _ = lang.gettext
    if not isinstance(data, dict):
        raise InputError(_("{file}: expected a JSON object of answers").format(file=where))
    region = data.get("region") if isinstance(data.get("region"), str) else None
    if "answers" in data:
        data = data["answers"]
        if not isinstance(data, dict):
            raise InputError(_("{file}: 'answers' must be a JSON object").format(file=where))
    return data, region


def validated_answers(dialog: Dialog, raw: Mapping[str, Any], lang: Language, where: str) -> dict[str, Any]:
    """Each answer the dialog knows, validated; facts it does not ask are ignored.

    Answers already in their JSON types are validated all at once by the
    dialog's pydantic model (the fast path of a batch); anything else (typed
    text such as "ja" or "2,5", or an invalid value) is read answer by answer,
    which also gives the message for a refused one.
    """
    try:
        return dialog.answers_model.validate_python(raw)
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
                lang.gettext("{file}: \"{fact}\" ({question}): {problem}").format(
                    file=where, fact=fact, question=lang.gettext(reader.question.prompt), problem=error.say(lang.gettext))
            ) from None
    return answers


def dialog_for(region: str | None, lang: Language) -> Dialog:
    if not region:
        raise InputError(lang.gettext("no region given; use --region ({regions})").format(regions=", ".join(region_ids())))
    try:
        return load_region(region)
    except UnknownRegion as error:
        raise InputError(error.say(lang.gettext)) from None
    except DialogError as error:  # a shipped dialog that does not load: its file:line problems, no traceback
        raise InputError(str(error)) from None


def check_answers(dialog: Dialog, answers: Mapping[str, Any], lang: Language, detail: str = "full") -> dict[str, Any]:
    """The result of one check, as the JSON contract in shared/scenarios/README.md."""
    return json.loads("{" + result_texts(dialog, lang, detail).text(walk(dialog, answers, use_defaults=True))[0])


class ResultTexts:
    """Results as JSON text without the opening brace (so a batch can put the case's
    id and line first), with the route and missing facts for the summary (None for
    an incomplete case).

    A text depends only on the branches taken, the defaults assumed and what of the
    answers the outcome shows (``outcome_signature``), so equal cases share one: a
    batch over a school list serialises each kind of case once."""

    def __init__(self, dialog: Dialog, lang: Language, detail: str) -> None:
        self.dialog = dialog
        self.lang = lang
        self.detail = detail
        self._texts: dict[tuple, tuple[str, str | None, tuple[str, ...]]] = {}

    def text(self, result: Walk) -> tuple[str, str | None, tuple[str, ...]]:
        signature = outcome_signature(self.dialog, result.outcome, result.answers) if result.outcome is not None else None
        key = (tuple(map(id, result.steps)), tuple(result.assumed) if result.assumed else None, signature)
        cached = self._texts.get(key)
        if cached is None:
            if len(self._texts) >= _CACHE_SIZE:
                self._texts.clear()
            cached = self._texts[key] = _result_json(self.dialog, result, self.lang, self.detail)
        return cached


@cache
def result_texts(dialog: Dialog, lang: Language, detail: str) -> ResultTexts:
    return ResultTexts(dialog, lang, detail)


def _result_json(dialog: Dialog, result: Walk, lang: Language, detail: str) -> tuple[str, str | None, tuple[str, ...]]:
    head = json.dumps({
        "region": dialog.region,
        "ruleset_version": dialog.meta.ruleset_version,
        "complete": result.complete,
        "next_question": result.next_question,
        "path": result.path,
        "assumed": result.assumed,
    }, ensure_ascii=False)
    if result.outcome is None:
        return head[1:-1] + ', "recommendation": null}', None, ()
    if detail == "brief":
        brief = brief_recommendation(dialog, result.outcome, result.answers, lang)
        body, route, missing = json.dumps(brief, ensure_ascii=False), brief["route"], brief["missing"]
    else:
        recommendation = recommend(dialog, result.outcome, result.answers, result.steps, lang)
        body, route, missing = recommendation.model_dump_json(), recommendation.route, recommendation.missing
    return head[1:-1] + ', "recommendation": ' + body + "}", route, tuple(missing)


_CACHE_SIZE = 4096  # kinds of result kept per dialog and language; emptied when full


def _stdin() -> str:
    import sys

    return sys.stdin.read()
