"""Every complete path through a dialog, each with answers that take it.

The graph is a finite DAG, so its paths can be listed. For each path a
backtracking search over a few representative values per fact (both sides
of every threshold a condition compares with) finds answers that take
exactly that path, or shows that none can (an infeasible path). Training,
the quiz and the tests use these cases.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from .dialog import Dialog, Step

MAX_TRIES_PER_PATH = 200_000


@dataclass
class PathCase:
    steps: list[Step]
    outcome: str
    answers: dict[str, Any] | None = None  # None: no answers can take this path

    @property
    def feasible(self) -> bool:
        return self.answers is not None

    @property
    def path(self) -> list[str]:
        return [step.source for step in self.steps]

    @property
    def questions(self) -> list[str]:
        return [fact for fact in (self.answers or {})]


@dataclass
class _Search:
    dialog: Dialog
    candidates: dict[str, list[Any]]
    tries: int = 0
    exhausted: bool = False
    relevant: set[str] = field(default_factory=set)


def structural_paths(dialog: Dialog) -> Iterator[list[Step]]:
    """Every sequence of branches from the start to an outcome."""
    stack: list[tuple[str, list[Step]]] = [(dialog.start, [])]
    while stack:
        node_id, steps = stack.pop()
        node = dialog.nodes[node_id]
        if node.kind == "outcome":
            yield steps
            continue
        for step in reversed(node.steps):
            stack.append((step.goto, [*steps, step]))


def candidate_values(dialog: Dialog) -> dict[str, list[Any]]:
    thresholds: dict[str, set[float]] = {}
    for node in dialog.nodes.values():
        for step in node.steps:
            if step.condition is not None:
                for fact, values in step.condition.thresholds.items():
                    thresholds.setdefault(fact, set()).update(values)
    candidates: dict[str, list[Any]] = {}
    for fact, question in dialog.questions.items():
        if question.type == "bool":
            values: list[Any] = [True, False]
        elif question.type == "choice":
            values = [choice.value for choice in question.choices]
        elif question.type == "choices":
            options = [choice.value for choice in question.choices]
            if len(options) <= 4:
                values = [list(c) for size in range(len(options) + 1) for c in combinations(options, size)]
            else:
                values = [[], *[[option] for option in options], options]
        else:
            values = _numbers(question, thresholds.get(fact, set()))
        if question.default is not None and question.default not in values:
            values.insert(0, question.default)
        elif question.default is not None:
            values.remove(question.default)
            values.insert(0, question.default)
        candidates[fact] = values
    return candidates


def _numbers(question: Any, thresholds: set[float]) -> list[Any]:
    delta = 1 if question.type == "int" else 0.5
    points: set[float] = set()
    for threshold in thresholds:
        points.update({threshold - delta, threshold, threshold + delta})
    low = question.min if question.min is not None else 0
    high = question.max if question.max is not None else max([low + 10, *points])
    points.update({low, high})
    chosen = sorted(p for p in points if low <= p <= high)
    return [int(p) if question.type == "int" or float(p).is_integer() else p for p in chosen]


def path_cases(dialog: Dialog) -> list[PathCase]:
    candidates = candidate_values(dialog)
    cases = []
    for steps in structural_paths(dialog):
        search = _Search(dialog, candidates)
        for step in steps:
            node = dialog.nodes[step.source]
            for sibling in node.steps[: step.index + 1]:
                if sibling.condition is not None:
                    search.relevant |= sibling.condition.facts
        answers = _solve(search, steps, 0, {})
        cases.append(PathCase(steps, steps[-1].goto if steps else dialog.start, answers))
    return cases


def _solve(search: _Search, steps: list[Step], position: int, answers: dict[str, Any]) -> dict[str, Any] | None:
    """Answers (extending ``answers``) that take ``steps[position:]``."""
    if position == len(steps):
        return dict(answers)
    step = steps[position]
    node = search.dialog.nodes[step.source]
    values = search.candidates[node.id] if node.kind == "question" else [None]
    if node.kind == "question" and node.id not in search.relevant:
        values = values[:1]
    for value in values:
        search.tries += 1
        if search.tries > MAX_TRIES_PER_PATH:
            search.exhausted = True
            return None
        if node.kind == "question":
            answers[node.id] = value
        if search.dialog.first_step(node.id, answers) is step:
            found = _solve(search, steps, position + 1, answers)
            if found is not None:
                return found
        if node.kind == "question":
            del answers[node.id]
    return None
