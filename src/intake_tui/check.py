"""``intake check``: a recommendation from a file of answers, one or many.

Imports nothing of the UI. The batch mode streams: one line in, one result
out, so memory does not grow with the number of lines.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .answers import AnswerError
from .dialog import Dialog, DialogError
from .i18n import Language
from .recommendation import outcome_signature, recommend
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
                lang.gettext("{file}: {fact}: {problem}").format(file=where, fact=fact, problem=error.say(lang.gettext))
            ) from None
    return answers


def dialog_for(region: str | None, lang: Language) -> Dialog:
    if not region:
        raise InputError(lang.gettext("no region given; use --region ({regions})").format(regions=", ".join(region_ids())))
    try:
        return load_region(region)
    except UnknownRegion:
        raise InputError(
            lang.gettext("unknown region {region!r}; choose one of: {regions}").format(region=region, regions=", ".join(region_ids()))
        ) from None
    except DialogError as error:  # a shipped dialog that does not load: its file:line problems, no traceback
        raise InputError(str(error)) from None


def check_answers(dialog: Dialog, answers: Mapping[str, Any], lang: Language) -> dict[str, Any]:
    """The result of one check, as the JSON contract in shared/scenarios/README.md."""
    result = walk(dialog, answers, use_defaults=True)
    recommendation = None
    if result.outcome is not None:
        recommendation = json.loads(recommendation_json(dialog, result, lang)[0])
    return {**_result_head(dialog, result), "recommendation": recommendation}


def _result_head(dialog: Dialog, result: Walk) -> dict[str, Any]:
    return {
        "region": dialog.region,
        "ruleset_version": dialog.meta.ruleset_version,
        "complete": result.complete,
        "next_question": result.next_question,
        "path": result.path,
        "assumed": result.assumed,
    }


def check_line(dialog: Dialog, answers: Mapping[str, Any], lang: Language, head: dict[str, Any]) -> tuple[str, str | None, tuple[str, ...]]:
    """One result as a JSON line, for the batch: the same content as ``check_answers``;
    with the route and missing facts (None for an incomplete case) for the summary."""
    result = walk(dialog, answers, use_defaults=True)
    body = {**head, **_result_head(dialog, result)}
    recommendation, route, missing = recommendation_json(dialog, result, lang) if result.outcome is not None else ("null", None, ())
    return json.dumps(body, ensure_ascii=False)[:-1] + ', "recommendation": ' + recommendation + "}", route, missing


def recommendation_json(dialog: Dialog, result: Walk, lang: Language) -> tuple[str, str, tuple[str, ...]]:
    """The recommendation as JSON. It depends only on the branches taken and the
    answers the outcome's own expressions read, so equal cases share one."""
    outcome = result.outcome
    assert outcome is not None
    key = (
        id(dialog), lang.code, outcome,
        tuple((step.source, step.index) for step in result.steps),
        outcome_signature(dialog, outcome, result.answers),
    )
    cached = _RECOMMENDATIONS.get(key)
    if cached is None:
        if len(_RECOMMENDATIONS) >= _CACHE_SIZE:
            _RECOMMENDATIONS.clear()
        recommendation = recommend(dialog, outcome, result.answers, result.steps, lang)
        cached = _RECOMMENDATIONS[key] = (recommendation.model_dump_json(), recommendation.route, tuple(recommendation.missing))
    return cached


_RECOMMENDATIONS: dict[tuple, tuple[str, str, tuple[str, ...]]] = {}
_CACHE_SIZE = 4096


def _stdin() -> str:
    import sys

    return sys.stdin.read()
