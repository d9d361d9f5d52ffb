"""Complete paths through a dialog, each with answers that take it.

The graph is a finite DAG, so its paths can be listed. For each path a
backtracking search over a few representative values per fact (both sides
of every threshold a condition compares with) finds answers that take
exactly that path, or shows that none can (an infeasible path).

Checklists whose items each open a follow-up question multiply the number of
paths (Berséba's graph has well over a million); past ``MAX_PATHS`` we list
instead one case through every branch, found by a search steered towards
that branch, which still reaches every outcome. Training, the quiz and the
tests use these cases.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from .dialog import Dialog, Step
from .walk import walk

MAX_TRIES_PER_PATH = 200_000
MAX_PATHS = 20_000


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
    downstream: dict[str, frozenset[str]] = field(default_factory=dict)
    dead_ends: set[tuple[str, tuple]] = field(default_factory=set)


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
        if question.default is not None:
            # The default as an answer ("ja", a label, ...), like walk() and the session read it.
            default = dialog.readers[fact].read_value(question.default)
            if default in values:
                values.remove(default)
            values.insert(0, default)
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


def count_paths(dialog: Dialog) -> int:
    """How many structural paths lead from the start to an outcome (linear DP)."""
    paths: dict[str, int] = {}
    for node_id in reversed(dialog.order):
        steps = dialog.nodes[node_id].steps
        paths[node_id] = sum(paths[step.goto] for step in steps) if steps else 1
    return paths[dialog.start]


def path_cases(dialog: Dialog) -> list[PathCase]:
    """Every path when there are few enough, else one case through every branch."""
    if count_paths(dialog) > MAX_PATHS:
        return branch_cases(dialog)
    return all_path_cases(dialog)


def all_path_cases(dialog: Dialog) -> list[PathCase]:
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
        if search.dialog.next_step(node.id, answers) is step:
            found = _solve(search, steps, position + 1, answers)
            if found is not None:
                return found
        if node.kind == "question":
            del answers[node.id]
    return None


def branch_cases(dialog: Dialog) -> list[PathCase]:
    """Cases that together take every branch; a branch no answers can take is an infeasible case."""
    candidates = candidate_values(dialog)
    predecessors: dict[str, set[str]] = {node_id: set() for node_id in dialog.nodes}
    for node in dialog.nodes.values():
        for step in node.steps:
            predecessors[step.goto].add(node.id)
    covered: set[tuple[str, int]] = set()
    seen_paths: set[tuple[tuple[str, int], ...]] = set()
    cases: list[PathCase] = []
    for node_id in dialog.order:
        for target in dialog.nodes[node_id].steps:
            if (target.source, target.index) in covered:
                continue
            leads_there = _ancestors(predecessors, target.source)
            search = _Search(dialog, candidates)
            search.relevant = _steering_facts(dialog, target, leads_there)
            search.candidates = _preferring(candidates, dialog, target, leads_there)
            search.downstream = _downstream_facts(dialog, target, leads_there)
            answers = _steer(search, dialog.start, target, leads_there, {})
            if answers is None:
                cases.append(PathCase([target], target.goto, None))
                continue
            result = _finish(dialog, candidates, answers)
            key = tuple((step.source, step.index) for step in result.steps)
            covered.update(key)
            if key not in seen_paths:
                seen_paths.add(key)
                cases.append(result)
    return cases


def _preferring(candidates: dict[str, list[Any]], dialog: Dialog, target: Step, leads_there: set[str]) -> dict[str, list[Any]]:
    """Candidates reordered so the values tried first steer towards the target:
    they make its condition hold (1000) and the branches into its node (100) and
    on the way (1) hold, and make earlier branches that lead elsewhere fail."""
    weighted: list[tuple[int, Step]] = [(1000, target)]
    weighted += [(-10, step) for step in dialog.nodes[target.source].steps[: target.index]]
    for node_id in leads_there - {target.source}:
        steps = dialog.nodes[node_id].steps
        for index, step in enumerate(steps):
            if step.goto in leads_there:
                weighted.append((100 if step.goto == target.source else 1, step))
                weighted += [(-10, earlier) for earlier in steps[:index] if earlier.goto not in leads_there]
    tests: dict[str, list[tuple[int, Any]]] = {}
    for weight, step in weighted:
        if step.condition is not None:
            for fact, test in step.condition.atoms:
                tests.setdefault(fact, []).append((weight, test))
    ordered = dict(candidates)
    for fact, fact_tests in tests.items():
        ordered[fact] = sorted(candidates[fact], key=lambda value: -sum(w for w, test in fact_tests if test(value)))
    return ordered


def _downstream_facts(dialog: Dialog, target: Step, leads_there: set[str]) -> dict[str, frozenset[str]]:
    """For each node on the way, the facts that conditions from there to the target test."""
    downstream: dict[str, frozenset[str]] = {}
    for node_id in reversed(dialog.order):
        if node_id not in leads_there:
            continue
        steps = dialog.nodes[node_id].steps
        if node_id == target.source:
            steps = steps[: target.index + 1]
        facts: set[str] = set()
        for step in steps:
            if step.condition is not None:
                facts |= step.condition.facts
            if node_id != target.source and step.goto in downstream:
                facts |= downstream[step.goto]
        downstream[node_id] = frozenset(facts)
    return downstream


def _ancestors(predecessors: dict[str, set[str]], node_id: str) -> set[str]:
    seen = {node_id}
    stack = [node_id]
    while stack:
        for parent in predecessors[stack.pop()]:
            if parent not in seen:
                seen.add(parent)
                stack.append(parent)
    return seen


def _steer(search: _Search, node_id: str, target: Step, leads_there: set[str], answers: dict[str, Any]) -> dict[str, Any] | None:
    """Answers whose walk from ``node_id`` takes the branch ``target``."""
    # Whether the target can still be reached depends only on the facts tested
    # from here on: a state that failed once fails again.
    state = (node_id, tuple(sorted((f, _frozen(answers[f])) for f in search.downstream[node_id] if f in answers)))
    if state in search.dead_ends:
        return None
    found = _steer_from(search, node_id, target, leads_there, answers)
    if found is None:
        search.dead_ends.add(state)
    return found


def _frozen(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _steer_from(search: _Search, node_id: str, target: Step, leads_there: set[str], answers: dict[str, Any]) -> dict[str, Any] | None:
    dialog = search.dialog
    node = dialog.nodes[node_id]
    values = search.candidates[node_id] if node.kind == "question" else [None]
    for value in values:
        search.tries += 1
        if search.tries > MAX_TRIES_PER_PATH:
            return None
        if node.kind == "question":
            answers[node_id] = value
        step = dialog.next_step(node_id, answers)
        if node_id == target.source:
            if step is target:
                return dict(answers)
        elif step.goto in leads_there:
            found = _steer(search, step.goto, target, leads_there, answers)
            if found is not None:
                return found
            if node.kind == "question" and node_id not in search.relevant:
                del answers[node_id]
                return None  # another value of a fact nothing depends on cannot help
        if node.kind == "question":
            del answers[node_id]
    return None


def _steering_facts(dialog: Dialog, target: Step, leads_there: set[str]) -> set[str]:
    """Facts whose value can matter for reaching ``target``: those in any condition
    on the way to it (a fact nothing on the way tests needs only one value)."""
    facts: set[str] = set()
    for node_id in leads_there:
        steps = dialog.nodes[node_id].steps
        if node_id == target.source:
            steps = steps[: target.index + 1]
        for step in steps:
            if step.condition is not None:
                facts |= step.condition.facts
    return facts


def _finish(dialog: Dialog, candidates: dict[str, list[Any]], answers: dict[str, Any]) -> PathCase:
    """Walk on from the given answers to an outcome, taking each remaining question's first value."""
    walked = walk(dialog, {fact: answers.get(fact, values[0]) for fact, values in candidates.items()})
    assert walked.outcome is not None
    return PathCase(walked.steps, walked.outcome, walked.answers)
