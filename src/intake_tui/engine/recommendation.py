"""The recommendation an outcome node gives, with its reasons and the why."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import BaseModel, Field

from intake_tui.i18n import N_, Language, Shown
from intake_tui.rules.dialog import Dialog, Step
from intake_tui.rules.expr import UNANSWERED
from intake_tui.rules.schema import BudgetPeriod, Domain, Form, GroupOffer, Level, Route, TlvKind


class BudgetLine(BaseModel):
    min: float | None = None
    max: float | None = None
    per: BudgetPeriod
    text: str
    note: str | None = None
    cite: str | None = None


class WhyStep(BaseModel):
    """One branch taken: where, on what condition, by which rule."""

    node: str
    goto: str
    condition: str | None = None
    because: str | None = None
    cite: str | None = None


class Recommendation(BaseModel):
    outcome: str
    # The kinds an outcome can name (a record read from a file holds no other).
    route: Route
    form: Form | None = None
    level: Level | None = None
    tlv: TlvKind | None = None
    domain: Domain | None = None
    group_offer: GroupOffer | None = None
    hours_per_week: float | None = None
    missing: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    reasons: list[str] = Field(default_factory=list)
    title: str
    summary: str = ""
    hours: str | None = None
    duration: str | None = None
    budget: list[BudgetLine] = Field(default_factory=list)
    decides: str | None = None
    documents: list[str] = Field(default_factory=list)
    next_steps: list[str] = Field(default_factory=list)
    cite: str
    why: list[WhyStep] = Field(default_factory=list)


_PERIODS = {
    "year": "per year",
    "hour": "per hour",
    "week": "per week",
    "arrangement": "for the whole arrangement",
    "pupil": "per pupil",
}


# Extracted for the catalogs; the dialog's own budget periods use these words.
_PERIOD_WORDS = [N_("per year"), N_("per hour"), N_("per week"), N_("for the whole arrangement"), N_("per pupil")]


@dataclass
class Findings:
    """What of the answers an outcome reports: failed checks, warnings, the hours."""

    missing: list[str]
    reasons: list[str]
    warnings: list[str]
    hours_per_week: float | None


def findings(dialog: Dialog, outcome_id: str, answers: Mapping[str, Any], lang: Language) -> Findings:
    outcome = dialog.nodes[outcome_id].outcome
    assert outcome is not None
    _ = lang.gettext
    expressions = dialog.outcome_expressions[outcome_id]
    missing: list[str] = []
    reasons: list[str] = []
    for check, condition in zip(outcome.checks, expressions.checks):
        if not condition.holds(answers):
            missing += [fact for fact in check.all_facts if fact not in missing]
            reasons.append(_(check.text))
    warnings = [_(text) for text in outcome.warnings]
    for warning, (condition, values) in zip(outcome.warn, expressions.warnings):
        if condition.holds(answers):
            shown = {name: Shown(value(answers), lang, _shown) for name, value in values.items()}
            warnings.append(_(warning.text).format(**shown))
    hours = outcome.hours_per_week
    if expressions.hours_per_week is not None:
        value = expressions.hours_per_week(answers)
        hours = None if value is UNANSWERED else value
    return Findings(missing, reasons, warnings, None if hours is None else float(hours))


def recommend(dialog: Dialog, outcome_id: str, answers: Mapping[str, Any], steps: list[Step], lang: Language) -> Recommendation:
    """The recommendation of ``outcome_id`` for these answers, reached by ``steps``. What
    the dialog says (the outcome's texts, each branch's why) is made once per dialog and
    language and the model is put together without validating again what the dialog and
    its checks hold: a batch makes a recommendation for every kind of result it meets."""
    found = findings(dialog, outcome_id, answers, lang)
    texts = _texts(dialog, lang)
    said = texts.outcome(outcome_id)
    return Recommendation.model_construct(
        **said,
        hours_per_week=found.hours_per_week,
        missing=found.missing,
        warnings=found.warnings,
        reasons=found.reasons,
        why=texts.why(steps),
    )


class _Texts:
    """What one dialog says in one language, whatever the answers: each outcome's texts and
    each branch's why, made the first time they are asked for."""

    def __init__(self, dialog: Dialog, lang: Language) -> None:
        self.dialog = dialog
        self.lang = lang
        self.outcomes: dict[str, dict[str, Any]] = {}
        self.whys: dict[int, WhyStep] = {}  # by the id of the dialog's step (the dialog keeps its steps)

    def outcome(self, outcome_id: str) -> dict[str, Any]:
        """The outcome's fields that do not depend on the answers; its lists new for each recommendation."""
        said = self.outcomes.get(outcome_id)
        if said is None:
            outcome = self.dialog.nodes[outcome_id].outcome
            assert outcome is not None
            _ = self.lang.gettext
            said = self.outcomes[outcome_id] = {
                "outcome": outcome_id, "route": outcome.route, "form": outcome.form, "level": outcome.level,
                "tlv": outcome.tlv, "domain": outcome.domain, "group_offer": outcome.group_offer,
                "title": _(outcome.title), "summary": _(outcome.summary),
                "hours": _(outcome.hours) if outcome.hours else None,
                "duration": _(outcome.duration) if outcome.duration else None,
                "budget": tuple(_budget_line(line, self.lang) for line in outcome.budget),
                "decides": _(outcome.decides) if outcome.decides else None,
                "documents": tuple(_(text) for text in outcome.documents),
                "next_steps": tuple(_(text) for text in outcome.next_steps),
                "cite": outcome.cite,
            }
        return {**said, "budget": list(said["budget"]), "documents": list(said["documents"]),
                "next_steps": list(said["next_steps"])}

    def why(self, steps: list[Step]) -> list[WhyStep]:
        whys = self.whys
        shown: list[WhyStep] = []
        for step in steps:
            why = whys.get(id(step))
            if why is None:
                why = why_step(step, self.lang)
                node = self.dialog.nodes.get(step.source)
                if node is not None and any(own is step for own in node.steps):
                    whys[id(step)] = why  # a step of this dialog: it lives as long as the dialog
            shown.append(why)
        return shown


@cache
def _texts(dialog: Dialog, lang: Language) -> _Texts:
    return _Texts(dialog, lang)


def outcome_signature(dialog: Dialog, outcome_id: str, answers: Mapping[str, Any]) -> tuple:
    """What of the answers an outcome's recommendation shows (see ``OutcomeExpressions.signature``)."""
    return dialog.outcome_expressions[outcome_id].signature(answers)


def why_step(step: Step, lang: Language) -> WhyStep:
    branch = step.branch
    return WhyStep(
        node=step.source,
        goto=step.goto,
        condition=branch.when,
        because=lang.gettext(branch.because) if branch.because else None,
        cite=branch.cite,
    )


def _budget_line(line: Any, lang: Language) -> BudgetLine:
    _ = lang.gettext
    low = line.min or None  # "from € 0,00" says nothing: a range from 0 is "up to"
    if low is not None and line.max is not None and low != line.max:
        amount = f"{lang.money(low)} – {lang.money(line.max)}"
    elif line.max is not None:
        amount = lang.money(line.max) if low == line.max else _("up to {amount}").format(amount=lang.money(line.max))
    elif low is not None:
        amount = _("from {amount}").format(amount=lang.money(low))
    else:
        amount = None
    # Without an amount the note says what the money is; "no fixed amount per hour" beside it contradicted it.
    text = f"{amount} {_(_PERIODS[line.per])}" if amount else ("" if line.note else _("no fixed amount"))
    return BudgetLine(
        min=line.min, max=line.max, per=line.per, text=text,
        note=_(line.note) if line.note else None, cite=line.cite,
    )


def _shown(value: Any, lang: Language) -> str:
    if value is UNANSWERED:
        return "?"
    if isinstance(value, bool):
        return lang.gettext("yes") if value else lang.gettext("no")
    if isinstance(value, (int, float)):
        return lang.number(round(value, 2))
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)
