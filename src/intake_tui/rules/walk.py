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
    used: dict[str, Any] = {}
    steps: list[Step] = []
    assumed: list[str] = []
    take, routes, get = steps.append, dialog.routes, answers.get  # this loop runs at every node of every check
    node_id = dialog.start
    while True:
        route = routes[node_id]
        decide = route.decide
        if decide is None:  # an outcome
            return Walk(path=list(used), steps=steps, answers=used, assumed=assumed, node=node_id, outcome=node_id)
        if route.asks:
            value = get(node_id)  # None (or absent): not answered
            if value is None:
                if not use_defaults or route.default is NO_DEFAULT:
                    return Walk(path=list(used), steps=steps, answers=used, assumed=assumed, node=node_id,
                                next_question=node_id)
                value = route.default
                assumed.append(node_id)
            used[node_id] = value
        # Conditions see only the answers on the path: a fact not asked here is unanswered.
        step = decide(used)  # what Dialog.next_step asks
        take(step)
        node_id = step.goto
