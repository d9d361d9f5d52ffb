"""The fast validation step of a JSONL batch.

A line whose answers already have their JSON types (the usual export of a
school system) and whose region has had a good line before is validated
straight from its bytes by one pydantic model of the whole line (region, id,
answers; a union of the regions seen so far, told apart by the region) and
checked. Anything else (typed text such as "ja", a region not seen yet, facts
the dialog does not know, a bad line) takes the exact step, ``check.Lines``,
which reads each answer as the intake does and says what is wrong. Both give
the same ``LineResult``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Annotated, Any, Literal, Union

from pydantic import Discriminator, StrictBool, StrictInt, StrictStr, Tag, TypeAdapter, ValidationError
from typing_extensions import NotRequired, Required, TypedDict

from intake_tui.check.pipeline import NO_ID, LineResult, Lines, answers_type, checker
from intake_tui.i18n import Language
from intake_tui.rules.dialog import Dialog

# An id the fast step passes through unchanged; any other goes to the exact step.
FastId = StrictBool | StrictStr | StrictInt | None


def jsonl_results(lines: Iterable[bytes | str], where: str, default_region: str | None, lang: Language) -> Iterator[LineResult]:
    """One result for each line that is not blank, in order, as each line is read."""
    exact = Lines(where, default_region, lang)
    cases: dict[str, Any] = {}  # each region with a good line: the type of its lines
    checks: dict[str | None, Any] = {}  # ... and its checker (None: a line without a region, of --region's)
    validator: Any = None  # every such region's lines, as one validator
    new, no_id, no_facts = tuple.__new__, NO_ID, ()  # a LineResult made in C: this loop runs once a line
    for number, raw in enumerate(lines, start=1):
        if validator is not None:
            try:
                case = validator.validate_json(raw)
            except ValidationError:
                case = None
            except Exception:  # whatever pydantic says of a line, the exact step says it in words
                case = None
            if case is not None:
                try:
                    check = checks[case.get("region")]
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
        if result.result is not None and dialog is not None and dialog.region not in cases:
            cases[dialog.region] = _case_type(dialog, default_region)
            checks[dialog.region] = checker(dialog, lang).check
            if dialog.region == default_region:
                checks[None] = checks[dialog.region]
            # TypeAdapter.validator: pydantic-core's validator itself, a Python call less a line.
            validator = _lines_type(cases, default_region).validator


def _lines_type(cases: dict[str, Any], default_region: str | None) -> TypeAdapter[Any]:
    """A line of any of these regions, told apart by its region (a line without one is of --region's)."""
    if len(cases) == 1:
        (only,) = cases.values()
        return TypeAdapter(only)

    if default_region is None:  # every line names its region: pydantic reads it from the JSON itself
        return TypeAdapter(Annotated[Union[tuple(cases.values())], Discriminator("region")])  # noqa: UP007 (a tuple of members)

    def region_of(line: Any) -> Any:  # a Python call a line: the line is made Python objects first
        return line.get("region", default_region) if isinstance(line, dict) else None

    members = tuple(Annotated[case, Tag(region)] for region, case in cases.items())
    return TypeAdapter(Annotated[Union[members], Discriminator(region_of)])  # noqa: UP007 (a tuple of members)


def _case_type(dialog: Dialog, default_region: str | None) -> Any:
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
    return case
