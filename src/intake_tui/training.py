"""Teaching aids: why a question comes now, and a map of the decision path."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .dialog import Dialog
from .i18n import Language
from .session import Session
from .walk import Walk, walk


def why_now(session: Session, lang: Language) -> str:
    """The branch that led to the current question, with its citation."""
    _ = lang.gettext
    step = session.arrival()
    if step is None:
        return _("This is where every intake of this region starts.")
    reason = _(step.branch.because) if step.branch.because else None
    if step.condition is not None:
        text = _("This question comes now because: {reason}").format(reason=reason or step.condition.source)
        text += f" [{step.condition.source}]"
    elif reason:  # a fallback branch with its own reason
        text = _("This question comes now because: {reason}").format(reason=reason)
    else:
        text = _("This question always follows the previous one.")
    if step.branch.cite:
        text += f" — {step.branch.cite}"
    return text


def path_map(session: Session, lang: Language) -> str:
    """The region's nodes in order: visited ones ticked, the current one marked,
    outcomes still reachable from here listed."""
    _ = lang.gettext
    dialog = session.dialog
    visited = {step.source for step in session.steps}
    reachable = dialog.reachable(session.state)
    lines = [f"[b]{_('Decision path')}[/b]"]
    for node_id in dialog.order:
        node = dialog.nodes[node_id]
        if node.kind == "outcome":
            continue
        if node_id == session.state:
            mark = "▶"
        elif node_id in visited:
            mark = "✔"
        elif node_id in reachable:
            mark = "·"
        else:
            continue
        lines.append(f"{mark} {node_id}")
    open_outcomes = [n for n in dialog.order if dialog.nodes[n].kind == "outcome" and n in reachable]
    lines.append(f"[b]{_('Outcomes still open')}[/b]")
    lines += [f"◇ {outcome_id}" for outcome_id in open_outcomes]
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
    from .display import exchanges

    return [f"{exchange.question} → {exchange.answer}" for exchange in exchanges(dialog, answers.items(), lang)]
