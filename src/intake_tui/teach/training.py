"""Teaching aids: why a question comes now, and a map of the decision path."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from intake_tui.engine.session import Session
from intake_tui.i18n import Language
from intake_tui.rules.dialog import Dialog
from intake_tui.rules.walk import Walk, walk
from intake_tui.words.display import fact_name, source_text


def why_now(session: Session, lang: Language, *, show_rule: bool = False) -> str:
    """The branch that led to the current question: its reason and its source;
    the condition as written only when the trainer asks to see the rule."""
    _ = lang.gettext
    step = session.arrival()
    if step is None:
        return _("This is where every intake of this region starts.")
    if step.branch.because:
        text = _("This question comes now because: {reason}").format(reason=_(step.branch.because))
    else:
        text = _("This question always follows the previous one.")
    if show_rule and step.condition is not None:
        text += " " + _("Rule: {condition}").format(condition=step.condition.source)
    if step.branch.cite:
        text += f" ({source_text(session.dialog, step.branch.cite)})"
    return text


def node_label(dialog: Dialog, node_id: str, lang: Language) -> str:
    """A node as a person reads it: a question's name, a decision's title, an outcome's title."""
    node = dialog.nodes[node_id]
    if node_id in dialog.questions:
        return fact_name(dialog, node_id, lang)
    if node.kind == "outcome":
        return lang.gettext(node.outcome.title)  # type: ignore[union-attr]
    title = getattr(node.spec, "title", None)
    return lang.gettext(title) if title else lang.gettext("Check of the answers so far")


def path_map(session: Session, lang: Language) -> str:
    """The region's nodes in order: visited ones ticked, the current one marked,
    outcomes still reachable from here listed."""
    from rich.markup import escape

    _ = lang.gettext
    dialog = session.dialog
    visited = {step.source for step in session.steps}
    reachable = dialog.reachable(session.state)
    lines = [f"[b]{_('Decision path')}[/b]"]
    for node_id in dialog.order:
        node = dialog.nodes[node_id]
        if node.kind != "question":
            continue  # outcomes are listed below; a decision asks nothing
        if node_id == session.state:
            mark = "▶"
        elif node_id in visited:
            mark = "✔"
        elif node_id in reachable:
            mark = "·"
        else:
            continue
        lines.append(f"{mark} {escape(node_label(dialog, node_id, lang))}")
    open_outcomes = [n for n in dialog.order if dialog.nodes[n].kind == "outcome" and n in reachable]
    lines.append(f"[b]{_('Outcomes still open')}[/b]")
    lines += [f"◇ {escape(node_label(dialog, outcome_id, lang))}" for outcome_id in open_outcomes]
    lines.append(f"[dim]{escape(_('F2: show the rule behind each question, as the dialog writes it'))}[/dim]")
    return "\n".join(lines)


@dataclass
class WhatIf:
    """How the path and the outcome change when one answer changes."""

    fact: str
    old: Any
    new: Any
    before: Walk
    after: Walk

    @property
    def questions_added(self) -> list[str]:
        return [fact for fact in self.after.path if fact not in self.before.path]

    @property
    def questions_removed(self) -> list[str]:
        return [fact for fact in self.before.path if fact not in self.after.path]

    @property
    def outcome_changed(self) -> bool:
        return self.before.outcome != self.after.outcome


def what_if(dialog: Dialog, answers: dict[str, Any], fact: str, new_value: Any) -> WhatIf:
    """Walk the dialog with one answer changed, keeping all others."""
    changed = {**answers, fact: new_value}
    return WhatIf(fact, answers.get(fact), new_value, walk(dialog, answers), walk(dialog, changed))


def case_description(dialog: Dialog, answers: dict[str, Any], lang: Language) -> list[str]:
    """A case for the quiz: each fact of a path as a short statement."""
    from intake_tui.words.display import exchanges

    return [f"{exchange.question} → {exchange.answer}" for exchange in exchanges(dialog, answers.items(), lang)]
