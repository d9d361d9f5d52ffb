"""Checks on a dialog's decision graph that need its path cases."""

from __future__ import annotations

from pathlib import Path

from .dialog import Dialog, Step
from .path_cases import PathCase, path_cases
from .toml_lines import LineIndex


def branch_coverage(dialog: Dialog, cases: list[PathCase]) -> list[str]:
    """The branches (``node#index -> goto``) that no feasible case takes: dead rules."""
    taken = {(step.source, step.index) for case in cases if case.feasible for step in case.steps}
    return [
        f"{node.id}#{step.index} -> {step.goto}"
        for node in dialog.nodes.values()
        for step in node.steps
        if (node.id, step.index) not in taken
    ]


def untaken_branches(dialog: Dialog) -> list[tuple[int, Step]]:
    """Each branch no answers take (a rule that can never apply), with its line in the file."""
    taken = {(step.source, step.index) for case in path_cases(dialog) if case.feasible for step in case.steps}
    lines = LineIndex(Path(dialog.path).read_text(encoding="utf-8"))
    untaken = []
    for node in dialog.nodes.values():
        table = "questions" if node.kind == "question" else "decisions"
        for step in node.steps:
            if (node.id, step.index) in taken:
                continue
            shorthand = node.kind == "question" and node.spec.goto is not None  # type: ignore[union-attr]
            location = (table, node.id, "goto") if shorthand else (table, node.id, "next", step.index)
            untaken.append((lines.line_of(location), step))
    return sorted(untaken, key=lambda entry: entry[0])


def branches_without_reason(dialog: Dialog) -> list[tuple[int, Step]]:
    """Each branch of a ``next`` list without its own ``because`` (the why a person reads), with its line.
    A node with one unconditional branch (``goto`` or a one-entry list) needs none: the question simply follows."""
    lines = LineIndex(Path(dialog.path).read_text(encoding="utf-8"))
    found = []
    for node in dialog.nodes.values():
        if node.kind == "outcome" or (len(node.steps) == 1 and node.steps[0].condition is None):
            continue  # an outcome, or a node that always goes on to the same next one (a goto)
        table = "questions" if node.kind == "question" else "decisions"
        found += [(lines.line_of((table, node.id, "next", step.index)), step) for step in node.steps if not step.branch.because]
    return sorted(found, key=lambda entry: entry[0])
