"""The fast validation step of a JSONL batch.

A line whose answers already have their JSON types (the usual export of a
school system) and whose region is that of the last good line is validated
straight from its bytes by one pydantic model of the whole line (region, id,
answers) and checked. Anything else (typed text such as "ja", another
region, facts the dialog does not know, a bad line) takes the exact step,
``check.Lines``, which reads each answer as the intake does and says what is
wrong. Both give the same ``LineResult``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, Literal

from pydantic import StrictBool, StrictInt, StrictStr, TypeAdapter, ValidationError
from typing_extensions import NotRequired, Required, TypedDict

from intake_tui.check.pipeline import NO_ID, LineResult, Lines, answers_type, checker
from intake_tui.i18n import Language
from intake_tui.rules.dialog import Dialog

# An id the fast step passes through unchanged; any other goes to the exact step.
FastId = StrictBool | StrictStr | StrictInt | None


def jsonl_results(lines: Iterable[bytes | str], where: str, default_region: str | None, lang: Language) -> Iterator[LineResult]:
    """One result for each line that is not blank, in order, as each line is read."""
    exact = Lines(where, default_region, lang)
    cases: dict[str, TypeAdapter[Any]] = {}
    fast: tuple[Any, Any] | None = None  # the last good line's region: its validator and checker
    new, no_id, no_facts = tuple.__new__, NO_ID, ()  # a LineResult made in C: this loop runs once a line
    for number, raw in enumerate(lines, start=1):
        if fast is not None:
            validator, check = fast
            try:
                case = validator.validate_json(raw)
            except ValidationError:
                case = None
            except Exception:  # whatever pydantic says of a line, the exact step says it in words
                case = None
            if case is not None:
                try:
                    checked = new(LineResult, (number, case.get("id", no_id), check(case["answers"]), None, no_facts))
                except Exception:
                    checked = None  # the exact step gives this line its own result or error
                if checked is not None:
                    yield checked
                    continue
        if not raw.strip():
            continue
        result = exact.raw(number, raw)
        yield result
        dialog = exact.last_dialog
        if result.result is not None and dialog is not None:
            adapter = cases.get(dialog.region)
            if adapter is None:
                adapter = cases[dialog.region] = _case_type(dialog, default_region)
            # TypeAdapter.validator: pydantic-core's validator itself, a Python call less a line.
            fast = (adapter.validator, checker(dialog, lang).check)


def _case_type(dialog: Dialog, default_region: str | None) -> TypeAdapter[Any]:
    """One line of this region, strictly typed; the region may be left out only
    when it is the one given with --region; facts the dialog does not know are refused
    (the exact step names them as ignored)."""
    region: Any = Literal[dialog.region]  # type: ignore[valid-type]
    case = TypedDict(  # type: ignore[operator]
        "Case",
        {
            "region": NotRequired[region] if dialog.region == default_region else Required[region],
            "id": NotRequired[FastId],
            "answers": Required[answers_type(dialog)],
        },
        total=False,
    )
    return TypeAdapter(case)
