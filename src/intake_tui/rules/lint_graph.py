"""Checks on a dialog's decision graph that need its path cases."""

from __future__ import annotations

from itertools import product
from math import prod
from pathlib import Path
from typing import Any

from intake_tui.rules.candidates import candidate_values
from intake_tui.rules.dialog import Dialog, Step
from intake_tui.rules.path_cases import TooLarge, path_cases
from intake_tui.rules.toml_lines import LineIndex

# How much searching lint does for branches that no answers take (see path_cases):
# the largest shipped dialog needs about a sixth of it.
SEARCH_BUDGET = 2_000_000
MAX_LOCAL_CASES = 4096  # combinations of values tried at one node when the dialog is too large to search
_ABSENT: Any = object()


def untaken_branches(dialog: Dialog, budget: float = SEARCH_BUDGET) -> tuple[list[tuple[int, Step]], bool]:
    """Each branch no answers take (a rule that can never apply), with its line in the file,
    and whether whole paths were followed. A dialog that needs more search than ``budget``
    has each node looked at on its own instead, which finds fewer such branches."""
    try:
        taken = {(step.source, step.index) for case in path_cases(dialog, budget) if case.feasible for step in case.steps}
        untaken = [step for node in dialog.nodes.values() for step in node.steps if (node.id, step.index) not in taken]
        whole_paths = True
    except TooLarge:
        untaken = locally_untaken(dialog)
        whole_paths = False
    if not untaken:
        return [], whole_paths
    lines = LineIndex(Path(dialog.path).read_text(encoding="utf-8"))
    located = [(lines.line_of(dialog.nodes[step.source].branch_location(step.index)), step) for step in untaken]
    return sorted(located, key=lambda entry: entry[0]), whole_paths


def locally_untaken(dialog: Dialog) -> list[Step]:
    """The branches that no values of the facts their node's conditions read can take,
    each node on its own (a fact may also be unanswered, as on a path that skipped it)."""
    candidates = candidate_values(dialog)
    untaken: list[Step] = []
    for node in dialog.nodes.values():
        if len(node.steps) < 2:
            continue
        facts = sorted({fact for step in node.steps if step.condition is not None for fact in step.condition.facts})
        options = [candidates[fact] + ([] if fact == node.id else [_ABSENT]) for fact in facts]
        if prod(len(values) for values in options) > MAX_LOCAL_CASES:
            continue
        taken: set[int] = set()
        for values in product(*options):
            answers = {fact: value for fact, value in zip(facts, values) if value is not _ABSENT}
            if node.kind == "question":
                answers.setdefault(node.id, candidates[node.id][0])
            taken.add(dialog.next_step(node.id, answers).index)
            if len(taken) == len(node.steps):
                break
        untaken += [step for step in node.steps if step.index not in taken]
    return untaken


def branches_without_reason(dialog: Dialog) -> list[tuple[int, Step]]:
    """Each branch of a ``next`` list without its own ``because`` (the why a person reads), with its line.
    A node with one unconditional branch (``goto`` or a one-entry list) needs none: the question simply follows."""
    lines = LineIndex(Path(dialog.path).read_text(encoding="utf-8"))
    found = []
    for node in dialog.nodes.values():
        if node.kind == "outcome" or (len(node.steps) == 1 and node.steps[0].condition is None):
            continue  # an outcome, or a node that always goes on to the same next one (a goto)
        found += [(lines.line_of(node.branch_location(step.index)), step) for step in node.steps if not step.branch.because]
    return sorted(found, key=lambda entry: entry[0])
