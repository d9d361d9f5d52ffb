"""Following a dialog's branches over a set of answers, without a UI.

This is the straight walk used by ``intake check`` and the batch pre-check:
it reads the same compiled branches the interactive session's state machine
fires (first matching branch wins), and a test holds the two equal.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .dialog import Dialog, Step


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
    node_id = dialog.start
    nodes = dialog.nodes
    while True:
        node = nodes[node_id]
        if node.kind == "outcome":
            result.outcome = node_id
            break
        if node.kind == "question":
            if node_id in answers:
                result.answers[node_id] = answers[node_id]
            elif use_defaults and node.spec.default is not None:  # type: ignore[union-attr]
                result.answers[node_id] = dialog.readers[node_id].read_value(node.spec.default)  # type: ignore[union-attr]
                result.assumed.append(node_id)
            else:
                result.next_question = node_id
                break
            result.path.append(node_id)
        step = dialog.first_step(node_id, result.answers)
        result.steps.append(step)
        node_id = step.goto
    result.node = node_id
    return result
