"""What a change of rules does: ``intake diff`` between two versions and
``intake reform`` of a population (a store's records or a batch's cases)
under the current and a proposed rules file.

Both answer in terms people read: question labels, the branch's reason,
outcome titles, and a recommendation as route · form · level · TLV type.
Every recommendation comes from the one check pipeline (``check.Checker``).
Imports nothing of the UI or the command line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from intake_tui.check.pipeline import InputError, checker, validated_answers
from intake_tui.i18n import Language
from intake_tui.rules.dialog import Dialog
from intake_tui.words.display import fact_name

SCHOOL_WEEKS = 40  # a school year, to put hourly and weekly budgets on one yearly scale


# -- what a recommendation is, in short -------------------------------------------------
@dataclass(frozen=True)
class Verdict:
    """The parts of a recommendation a reform is about."""

    complete: bool
    route: str | None = None
    form: str | None = None
    level: str | None = None
    tlv: str | None = None
    title: str = ""
    hours: float | None = None
    budget: float | None = None  # a yearly estimate in euro (see ``yearly_budget``)
    next_question: str | None = None

    @property
    def key(self) -> tuple:
        return (self.complete, self.route, self.form, self.level, self.tlv, self.hours)

    def label(self, dialog: Dialog, lang: Language) -> str:
        _ = lang.gettext
        if not self.complete:
            from intake_tui.words.display import fact_name

            if self.next_question:
                return _("incomplete: asks {question}").format(question=fact_name(dialog, self.next_question, lang))
            return _("incomplete")
        parts = [self.title]
        if self.hours is not None:
            parts.append(_("{hours} hours a week").format(hours=lang.number(self.hours)))
        return " · ".join(parts)


def verdict(dialog: Dialog, answers: Mapping[str, Any], lang: Language) -> Verdict:
    result = checker(dialog, lang).check(answers)
    rec = result.recommendation
    if not result.complete or rec is None:
        return Verdict(False, next_question=result.next_question)
    return Verdict(True, rec.route, rec.form, rec.level, rec.tlv, rec.title, rec.hours_per_week,
                   yearly_budget(rec.budget, rec.hours_per_week))


def yearly_budget(lines: Iterable[Any], hours_per_week: float | None) -> float | None:
    """One yearly figure for a recommendation's budget lines: the highest amount of
    each line (its minimum where it has no maximum); an hourly rate times the hours
    a week, and a weekly amount, over ``SCHOOL_WEEKS`` weeks."""
    total = None
    for line in lines:
        amount = line.max if line.max is not None else line.min
        if amount is None:
            continue
        if line.per == "hour":
            if hours_per_week is None:
                continue
            amount = amount * hours_per_week * SCHOOL_WEEKS
        elif line.per == "week":
            amount = amount * SCHOOL_WEEKS
        total = (total or 0.0) + amount
    return total


# -- intake diff -------------------------------------------------------------------------
@dataclass
class BranchChange:
    """A branch whose condition or target changed: what a person reads (the question, the
    branch's own reason, the questions its condition reads) and the rule as written, apart."""

    node: str
    index: int
    where: str  # the question's label, or "the check of the conditions"
    reason: str  # the branch's own sentence (``because``), else where it leads
    reason_before: str | None  # the reason the branch had before; None: a new branch
    asks: list[str]  # the questions its condition reads, before or now, by their names
    facts: list[str]  # the same questions' ids
    when_before: str | None  # the condition as written before (None: otherwise or new)
    when: str | None  # the condition as written now (None: otherwise)
    goto_before: str | None
    goto: str


@dataclass
class RulesDiff:
    questions_added: list[str] = field(default_factory=list)
    questions_removed: list[str] = field(default_factory=list)
    questions_changed: list[tuple[str, list[str]]] = field(default_factory=list)  # label, what changed
    branches_changed: list[BranchChange] = field(default_factory=list)
    outcomes_changed: list[tuple[str, list[tuple[str, str, str]]]] = field(default_factory=list)  # title, (what, before, after)
    shifts: list[Shift] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.questions_added or self.questions_removed or self.questions_changed or self.branches_changed
                    or self.outcomes_changed or self.shifts)


@dataclass
class Shift:
    """Cases whose recommendation goes from one verdict to another."""

    before: str
    after: str
    ids: list[Any] = field(default_factory=list)
    example: dict[str, Any] | None = None
    hours_change: float = 0.0
    budget_change: float = 0.0


def _question_text(question: Any, lang: Language) -> str:
    return lang.gettext(question.prompt)


def diff_rules(old: Dialog, new: Dialog, lang: Language) -> RulesDiff:
    _ = lang.gettext
    diff = RulesDiff()
    old_q, new_q = old.questions, new.questions
    diff.questions_added = [_question_text(new_q[f], lang) for f in new_q if f not in old_q]
    diff.questions_removed = [_question_text(old_q[f], lang) for f in old_q if f not in new_q]
    for fact in (f for f in new_q if f in old_q):
        before, after = old_q[fact], new_q[fact]
        changes = []
        if before.prompt != after.prompt:
            changes.append(_("worded: “{before}” → “{after}”").format(before=_(before.prompt), after=_(after.prompt)))
        for attribute, what in (("min", _("lowest answer")), ("max", _("highest answer")), ("type", _("kind of answer"))):
            if getattr(before, attribute, None) != getattr(after, attribute, None):
                changes.append(f"{what}: {getattr(before, attribute, None)} → {getattr(after, attribute, None)}")
        if [c.value for c in (before.choices or [])] != [c.value for c in (after.choices or [])]:
            changes.append(_("choices: {before} → {after}").format(
                before=", ".join(_(c.label) for c in before.choices or []) or "-",
                after=", ".join(_(c.label) for c in after.choices or []) or "-"))
        if changes:
            diff.questions_changed.append((_question_text(after, lang), changes))
    for node_id in (n for n in new.order if n in old.nodes):
        before_branches = [(b.when, b.goto) for b in _branches(old.nodes[node_id].spec)]
        after_list = _branches(new.nodes[node_id].spec)
        after_branches = [(b.when, b.goto) for b in after_list]
        if before_branches == after_branches:
            continue
        where = _node_label(new, node_id, lang)
        before_list = _branches(old.nodes[node_id].spec)
        for index, branch in enumerate(after_list):
            previous = before_list[index] if index < len(before_list) else None
            if previous is not None and (previous.when, previous.goto) == (branch.when, branch.goto):
                continue
            steps = [dialog.nodes[node_id].steps[index] for dialog, had in ((old, previous), (new, branch))
                     if had is not None and index < len(dialog.nodes[node_id].steps)]
            facts = sorted({fact for step in steps if step.condition is not None for fact in step.condition.facts})
            diff.branches_changed.append(BranchChange(
                node=node_id, index=index, where=where, reason=_branch_reason(new, branch, lang),
                reason_before=_branch_reason(old, previous, lang) if previous is not None else None,
                asks=[fact_name(new if fact in new.questions else old, fact, lang) for fact in facts], facts=facts,
                when_before=previous.when if previous is not None else None, when=branch.when,
                goto_before=previous.goto if previous is not None else None, goto=branch.goto))
    for outcome_id in (o for o in new.nodes if o in old.nodes and new.nodes[o].kind == "outcome"):
        before, after = old.nodes[outcome_id].spec, new.nodes[outcome_id].spec
        changes = []
        for attribute, what in (("hours_per_week", _("hours a week")), ("hours", _("hours")), ("duration", _("duration")),
                                ("decides", _("who decides"))):
            b, a = getattr(before, attribute, None), getattr(after, attribute, None)
            if b != a:
                changes.append((what, _shown(b, lang), _shown(a, lang)))
        budget_b = [(x.min, x.max, x.per) for x in getattr(before, "budget", []) or []]
        budget_a = [(x.min, x.max, x.per) for x in getattr(after, "budget", []) or []]
        if budget_b != budget_a:
            changes.append((_("budget"), _budget_text(budget_b, lang), _budget_text(budget_a, lang)))
        if changes:
            diff.outcomes_changed.append((_(after.title), changes))
    diff.shifts = path_shifts(old, new, lang)
    return diff


def _branches(spec: Any) -> list[Any]:
    """A node's branches as written; a question's ``goto`` is one unconditional branch."""
    from intake_tui.rules.schema import Branch

    if getattr(spec, "goto", None):
        return [Branch(goto=spec.goto)]
    return list(getattr(spec, "next", None) or [])


def _branch_reason(dialog: Dialog, branch: Any, lang: Language) -> str:
    """A branch's own sentence; else (a ``goto``, which needs none) where it leads."""
    return lang.gettext(branch.because) if branch.because else _node_label(dialog, branch.goto, lang)


def _node_label(dialog: Dialog, node_id: str, lang: Language) -> str:
    spec = dialog.nodes[node_id].spec
    _ = lang.gettext
    if node_id in dialog.questions:
        return _(spec.prompt)
    if dialog.nodes[node_id].kind == "outcome":
        return _(spec.title)
    return _("the check of the conditions")


def _shown(value: Any, lang: Language) -> str:
    if value is None:
        return "-"
    if isinstance(value, str):
        return lang.gettext(value)
    return str(value)


def _budget_text(lines: list[tuple], lang: Language) -> str:
    if not lines:
        return "-"
    return "; ".join(f"{lang.money(lo) if lo is not None else '…'}–{lang.money(hi) if hi is not None else '…'} ({per})"
                     if lo != hi else f"{lang.money(lo)} ({per})" for lo, hi, per in lines)


def path_shifts(old: Dialog, new: Dialog, lang: Language) -> list[Shift]:
    """Answer combinations whose recommendation differs under the two versions, grouped,
    with an example each: every path of either version (the path enumerator), and each
    of those with every number a rule of either version compares with or computes from."""
    from intake_tui.rules.path_cases import path_cases

    numbers = _numbers_to_try(old, new)
    population: list[tuple[Any, Mapping[str, Any]]] = []
    for dialog in (old, new):
        for number, case in enumerate(path_cases(dialog)):
            if case.answers is None:
                continue
            name = f"{dialog.meta.ruleset_version}#{number + 1}"
            population.append((name, case.answers))
            for fact, value in case.answers.items():
                for other in numbers.get(fact, ()):
                    if other != value:
                        population.append((f"{name}:{fact}={other}", {**case.answers, fact: other}))
    return reform_shifts(population, old, new, lang).shifts


_NUMBER = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)(?![\w.])")


def _numbers_to_try(*dialogs: Dialog) -> dict[str, list[Any]]:
    """For each numeric fact: the values either version's conditions compare it with (and
    their neighbours), and the numbers of outcome formulas that use it."""
    from intake_tui.rules.candidates import candidate_values

    found: dict[str, set[Any]] = {}
    for dialog in dialogs:
        for fact, values in candidate_values(dialog).items():
            if dialog.questions[fact].type in ("int", "number"):
                found.setdefault(fact, set()).update(values)
        for node in dialog.nodes.values():
            formula = getattr(node.spec, "hours_per_week", None)
            if not isinstance(formula, str):
                continue
            constants = [float(text) for text in _NUMBER.findall(formula)]
            for fact, question in dialog.questions.items():
                if question.type in ("int", "number") and re.search(rf"\b{re.escape(fact)}\b", formula):
                    step = 1 if question.type == "int" else 0.5
                    for constant in constants:
                        found.setdefault(fact, set()).update({constant - step, constant, constant + step})
    tried: dict[str, list[Any]] = {}
    for fact, values in found.items():
        question = next(d.questions[fact] for d in dialogs if fact in d.questions)
        low = question.min if question.min is not None else float("-inf")
        high = question.max if question.max is not None else float("inf")
        tried[fact] = sorted(int(v) if float(v).is_integer() else v for v in values if low <= v <= high)
    return tried


# -- intake reform -------------------------------------------------------------------------
@dataclass
class Reform:
    cases: int = 0
    changed: int = 0
    shifts: list[Shift] = field(default_factory=list)
    newly_incomplete: list[Any] = field(default_factory=list)
    hours_before: float = 0.0
    hours_after: float = 0.0
    budget_before: float = 0.0
    budget_after: float = 0.0
    refused: list[tuple[Any, str]] = field(default_factory=list)  # cases the proposal cannot read, and why


def reform_shifts(population: Iterable[tuple[Any, Mapping[str, Any]]], current: Dialog, proposed: Dialog,
                  lang: Language) -> Reform:
    """Each case under the current and the proposed rules; the cases whose recommendation
    changes, grouped by from → to, with the change in hours and yearly budget."""
    report = Reform()
    groups: dict[tuple, Shift] = {}
    seen: set[tuple] = set()
    for case_id, raw in population:
        try:
            before_answers, _ignored = validated_answers(current, raw, lang, str(case_id))
            after_answers, _ignored = validated_answers(proposed, raw, lang, str(case_id))
        except InputError as error:
            report.refused.append((case_id, str(error)))
            continue
        before, after = verdict(current, before_answers, lang), verdict(proposed, after_answers, lang)
        report.cases += 1
        report.hours_before += before.hours or 0.0
        report.hours_after += after.hours or 0.0
        report.budget_before += before.budget or 0.0
        report.budget_after += after.budget or 0.0
        if before.key == after.key:
            continue
        identity = (before.key, after.key, tuple(sorted((k, str(v)) for k, v in raw.items())))
        if identity in seen:  # the same answers twice (path cases of both versions)
            continue
        seen.add(identity)
        report.changed += 1
        if before.complete and not after.complete:
            report.newly_incomplete.append(case_id)
        group = groups.get((before.key, after.key))
        if group is None:
            group = groups[(before.key, after.key)] = Shift(before.label(current, lang), after.label(proposed, lang),
                                                            example=dict(raw))
        group.ids.append(case_id)
        group.hours_change += (after.hours or 0.0) - (before.hours or 0.0)
        group.budget_change += (after.budget or 0.0) - (before.budget or 0.0)
    report.shifts = sorted(groups.values(), key=lambda shift: (-len(shift.ids), shift.before, shift.after))
    return report


def example_text(dialog: Dialog, answers: Mapping[str, Any], lang: Language) -> str:
    """An example case in words: each answered question's short name and answer."""
    from intake_tui.words.display import exchanges

    known = [(fact, value) for fact, value in answers.items() if fact in dialog.questions]
    return "; ".join(f"{exchange.question} {exchange.answer}" for exchange in exchanges(dialog, known, lang))


def chart_png(report: Reform, title: str, lang: Language) -> bytes:
    """A bar chart of the shifts (how many pupils go from what to what), as PNG bytes."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    _ = lang.gettext
    labels = [f"{shift.before}\n→ {shift.after}" for shift in report.shifts] or [_("no changes")]
    counts = [len(shift.ids) for shift in report.shifts] or [0]
    figure, axes = pyplot.subplots(figsize=(10, 1.2 + 0.9 * len(labels)), dpi=100)
    try:
        bars = axes.barh(range(len(labels)), counts, color="#2f6f9f")
        axes.set_yticks(range(len(labels)), labels=labels, fontsize=8)
        axes.invert_yaxis()
        axes.set_xlabel(_("pupils"))
        axes.bar_label(bars, padding=3)
        axes.set_title(title, fontsize=10)
        axes.xaxis.get_major_locator().set_params(integer=True)
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
        return buffer.getvalue()
    finally:
        pyplot.close(figure)


def group_by_region(records: Iterable[Any], region: str) -> list[tuple[Any, dict[str, Any]]]:
    """The complete records of one region, as (id, answers)."""
    return [(record.id, dict(record.answers)) for record in records
            if record is not None and record.region == region and record.status == "complete"]


__all__ = ["Reform", "RulesDiff", "Shift", "Verdict", "chart_png", "diff_rules", "example_text", "group_by_region",
           "reform_shifts", "verdict", "yearly_budget"]
