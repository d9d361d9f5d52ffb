"""Complete paths through a dialog, each with answers that take it.

The graph is a finite DAG, so its paths can be listed. For each path a
backtracking search over a few representative values per fact (``candidates``:
both sides of every threshold a condition compares with) finds answers that
take exactly that path, or shows that none can (an infeasible path).

Checklists whose items each open a follow-up question multiply the number of
paths (Berséba's graph has well over a million); past ``MAX_PATHS`` we list
instead one case through every branch, found by a search steered towards
that branch, which still reaches every outcome. Training, the quiz and the
tests use these cases.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from weakref import WeakKeyDictionary

from intake_tui.rules.candidates import candidate_values
from intake_tui.rules.dialog import Dialog, Step
from intake_tui.rules.walk import walk

MAX_TRIES_PER_PATH = 200_000
MAX_PATHS = 20_000

_END: Any = object()


class TooLarge(Exception):
    """The dialog needs more search than the budget given to ``path_cases``."""


@dataclass
class _Work:
    """Work done over all the searches of one ``path_cases`` call, against a budget."""

    limit: float = float("inf")
    spent: int = 0

    def spend(self, amount: int = 1) -> None:
        self.spent += amount
        if self.spent > self.limit:
            raise TooLarge


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
    work: _Work = field(default_factory=_Work)


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


def count_paths(dialog: Dialog) -> int:
    """How many structural paths lead from the start to an outcome (linear DP)."""
    return _path_totals(dialog)[0]


def path_cases(dialog: Dialog, budget: float = float("inf")) -> list[PathCase]:
    """Every path when there are few enough, else one case through every branch.

    ``budget`` bounds the work (branches tried and nodes visited) over all the
    searches; past it ``TooLarge`` is raised. Every search keeps its own stack,
    so a path of any length is followed without recursion. A dialog never changes
    once loaded, so its cases are found once (lint, diff, the quiz and training ask
    again); they are shared: read them, never change them."""
    found = _FOUND.get(dialog)
    if found is None:
        found = _FOUND[dialog] = tuple(_path_cases(dialog, budget))
    return list(found)


_FOUND: WeakKeyDictionary[Dialog, tuple[PathCase, ...]] = WeakKeyDictionary()


def _path_cases(dialog: Dialog, budget: float) -> list[PathCase]:
    work = _Work(budget)
    paths, steps = _path_totals(dialog)
    if paths > MAX_PATHS:
        # Steering towards each branch walks the whole graph once or twice.
        if sum(len(node.steps) for node in dialog.nodes.values()) * len(dialog.order) > budget:
            raise TooLarge
        return branch_cases(dialog, work)
    if steps > budget:
        raise TooLarge
    return all_path_cases(dialog, work)


def _path_totals(dialog: Dialog) -> tuple[int, int]:
    """How many paths lead from the start to an outcome, and how many branches they take in all."""
    paths: dict[str, int] = {}
    steps: dict[str, int] = {}
    for node_id in reversed(dialog.order):
        node_steps = dialog.nodes[node_id].steps
        paths[node_id] = sum(paths[step.goto] for step in node_steps) if node_steps else 1
        steps[node_id] = sum(steps[step.goto] + paths[step.goto] for step in node_steps)
    return paths[dialog.start], steps[dialog.start]


def all_path_cases(dialog: Dialog, work: _Work | None = None) -> list[PathCase]:
    work = work or _Work()
    candidates = candidate_values(dialog)
    cases = []
    for steps in structural_paths(dialog):
        work.spend(len(steps))
        search = _Search(dialog, candidates, work=work)
        for step in steps:
            node = dialog.nodes[step.source]
            for sibling in node.steps[: step.index + 1]:
                if sibling.condition is not None:
                    search.relevant |= sibling.condition.facts
        answers = _solve(search, steps)
        cases.append(PathCase(steps, steps[-1].goto if steps else dialog.start, answers))
    return cases


def _solve(search: _Search, steps: list[Step]) -> dict[str, Any] | None:
    """Answers that take ``steps``: a backtracking search, one value iterator a step on a stack."""
    if not steps:
        return {}
    answers: dict[str, Any] = {}
    nodes = search.dialog.nodes

    def values_at(position: int) -> Iterator[Any]:
        node = nodes[steps[position].source]
        if node.kind != "question":
            return iter([None])
        values = search.candidates[node.id]
        return iter(values if node.id in search.relevant else values[:1])

    stack = [values_at(0)]
    while stack:
        position = len(stack) - 1
        step = steps[position]
        node = nodes[step.source]
        value = next(stack[-1], _END)
        if value is _END:
            stack.pop()
            answers.pop(node.id, None)
            continue
        search.tries += 1
        search.work.spend()
        if search.tries > MAX_TRIES_PER_PATH:
            search.exhausted = True
            return None
        if node.kind == "question":
            answers[node.id] = value
        if search.dialog.next_step(node.id, answers) is step:
            if position + 1 == len(steps):
                return dict(answers)
            stack.append(values_at(position + 1))
    return None


def branch_cases(dialog: Dialog, work: _Work | None = None) -> list[PathCase]:
    """Cases that together take every branch; a branch no answers can take is an infeasible case."""
    work = work or _Work()
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
            work.spend(len(dialog.order) + 2 * len(leads_there))  # the setup below walks these
            search = _Search(dialog, candidates, work=work)
            search.relevant = _steering_facts(dialog, target, leads_there)
            search.candidates = _preferring(candidates, dialog, target, leads_there)
            search.downstream = _downstream_facts(dialog, target, leads_there)
            answers = _steer(search, dialog.start, target, leads_there)
            if answers is None:
                cases.append(PathCase([target], target.goto, None))
                continue
            result = _finish(dialog, candidates, answers)
            work.spend(len(result.steps))
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


def _steer(search: _Search, start: str, target: Step, leads_there: set[str]) -> dict[str, Any] | None:
    """Answers whose walk from ``start`` takes the branch ``target``: a depth-first
    search over the values of each question on the way, with its own stack."""
    dialog = search.dialog
    answers: dict[str, Any] = {}

    def frame(node_id: str) -> tuple[str, bool, tuple, Iterator[Any]] | None:
        # Whether the target can still be reached depends only on the facts tested
        # from here on: a state that failed once fails again.
        state = (node_id, tuple(sorted((f, _frozen(answers[f])) for f in search.downstream[node_id] if f in answers)))
        search.work.spend(1 + len(state[1]))
        if state in search.dead_ends:
            return None
        asks = dialog.nodes[node_id].kind == "question"
        return node_id, asks, state, iter(search.candidates[node_id] if asks else [None])

    first = frame(start)
    stack = [first] if first is not None else []
    child_failed = False
    while stack:
        node_id, asks, state, values = stack[-1]
        if child_failed:
            child_failed = False
            if asks:
                del answers[node_id]
                if node_id not in search.relevant:
                    # another value of a fact nothing depends on cannot help
                    stack.pop()
                    search.dead_ends.add(state)
                    child_failed = True
                    continue
        value = next(values, _END)
        if value is _END:
            stack.pop()
            search.dead_ends.add(state)
            child_failed = True
            continue
        search.tries += 1
        search.work.spend()
        if search.tries > MAX_TRIES_PER_PATH:
            return None
        if asks:
            answers[node_id] = value
        step = dialog.next_step(node_id, answers)
        if node_id == target.source:
            if step is target:
                return dict(answers)
        elif step.goto in leads_there:
            child = frame(step.goto)
            if child is not None:
                stack.append(child)
            else:
                child_failed = True
            continue
        if asks:
            del answers[node_id]
    return None


def _frozen(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


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
