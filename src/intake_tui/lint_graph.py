"""Checks on a dialog's decision graph that need its path cases."""

from __future__ import annotations

from .dialog import Dialog
from .path_cases import PathCase


def branch_coverage(dialog: Dialog, cases: list[PathCase]) -> list[str]:
    """The branches (``node#index -> goto``) that no feasible case takes: dead rules."""
    taken = {(step.source, step.index) for case in cases if case.feasible for step in case.steps}
    return [
        f"{node.id}#{step.index} -> {step.goto}"
        for node in dialog.nodes.values()
        for step in node.steps
        if (node.id, step.index) not in taken
    ]
