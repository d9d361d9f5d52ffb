"""Following a dialog's branches over a set of answers, without a UI.

The straight walk of ``intake check``, the batch pre-check, training and a
session's replay (resume, a changed answer). Each branch is chosen by the
dialog's one decision, ``Dialog.next_step``, which the interactive session's
state machine asks too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from intake_tui.rules.dialog import NO_DEFAULT, Dialog, Step


@dataclass
class Walk:
    path: list[str] = field(default_factory=list)  # the questions asked, in order
    steps: list[Step] = field(default_factory=list)  # every branch taken
    answers: dict[str, Any] = field(default_factory=dict)  # the answers the path used
    assumed: list[str] = field(default_factory=list)  # facts filled from a question's default
    node: str = ""
    next_question: str | None = None
    outcome: str | None = None

    @property
    def complete(self) -> bool:
        return self.outcome is not None


def walk(dialog: Dialog, answers: Mapping[str, Any], *, use_defaults: bool = False) -> Walk:
    """Follow the dialog from its start as far as ``answers`` reach."""
    result = Walk()
    used = result.answers
    steps = result.steps
    routes = dialog.routes
    next_step = dialog.next_step
    node_id = dialog.start
    while True:
        route = routes[node_id]
        if route.is_outcome:
            result.outcome = node_id
            break
        if route.asks:
            value = answers.get(node_id)  # None (or absent): not answered
            if value is None:
                if not use_defaults or route.default is NO_DEFAULT:
                    result.next_question = node_id
                    break
                value = route.default
                result.assumed.append(node_id)
            used[node_id] = value
        # Conditions see only the answers on the path: a fact not asked here is unanswered.
        step = route.decide(used)  # type: ignore[misc]  (what next_step asks)
        steps.append(step)
        node_id = step.goto
    result.node = node_id
    result.path = list(used)
    return result
