"""A dialog as the engine reads it: its nodes, the branches between them and the
decision at each node (``Dialog.next_step``), and why a file is not a dialog
(``DialogError``, every problem as ``file:line: message``).

Reading a file is ``rules.loader``; building and checking the graph is
``rules.compiler``.
"""

from __future__ import annotations

import gc
import itertools
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from intake_tui.i18n import N_
from intake_tui.rules import expr
from intake_tui.rules.answers import AnswerReader
from intake_tui.rules.schema import Branch, Decision, Meta, Outcome, Question
from intake_tui.said import Said

SHOWN_PROBLEMS = 50  # problems a person is shown for one file; the rest are counted


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    reason: Said  # an English msgid with its parameters, said in the reader's language

    @property
    def message(self) -> str:
        return str(self.reason)

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"

    def say(self, gettext: Callable[[str], str]) -> str:
        return f"{self.file}:{self.line}: {self.reason.say(gettext)}"


def _english(message: str) -> str:
    return message


def problem(file: str, line: int, message: str, **params: Any) -> Problem:
    return Problem(file, line, Said(message, **params))


class DialogError(Exception):
    """A dialog file that cannot be used; ``problems`` lists every reason."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(self.say(_english))

    def lines(self, gettext: Callable[[str], str], limit: int = SHOWN_PROBLEMS) -> list[str]:
        """The problems as ``file:line: message`` lines, at most ``limit`` and a count of the rest."""
        shown = [problem.say(gettext) for problem in self.problems[:limit]]
        rest = len(self.problems) - limit
        if rest > 0:
            shown.append(f"{self.problems[0].file}: {Said(N_('… and {count} more problems'), count=rest).say(gettext)}")
        return shown

    def say(self, gettext: Callable[[str], str]) -> str:
        return "\n".join(self.lines(gettext))


@dataclass
class Step:
    """A branch as compiled: the condition and where it leads."""

    source: str
    index: int
    branch: Branch
    condition: expr.Expression | None
    goto: str = field(init=False)  # the branch's target, kept at hand: walks read it at every node

    def __post_init__(self) -> None:
        self.goto = self.branch.goto


@dataclass
class Node:
    id: str
    kind: str  # question | decision | outcome
    spec: Question | Decision | Outcome
    steps: list[Step] = field(default_factory=list)

    @property
    def question(self) -> Question | None:
        return self.spec if isinstance(self.spec, Question) else None

    @property
    def outcome(self) -> Outcome | None:
        return self.spec if isinstance(self.spec, Outcome) else None

    def branch_location(self, index: int) -> tuple[str | int, ...]:
        """Where branch ``index`` stands in the dialog file (the key path ``LineIndex`` finds a line for):
        an entry of the node's ``next`` list, or the ``goto`` shorthand of a question."""
        table = "questions" if self.kind == "question" else "decisions"
        if self.kind == "question" and self.spec.goto is not None:  # type: ignore[union-attr]
            return (table, self.id, "goto")
        return (table, self.id, "next", index)


NO_DEFAULT: Any = object()

Decide = Callable[[expr.Answers], Step]


@dataclass(frozen=True, slots=True)
class Route:
    """A node reduced to what following the branches needs."""

    asks: bool
    default: Any  # the default answer, read; NO_DEFAULT if there is none
    decide: Decide | None  # the branch taken, from the answers on the path (None: an outcome)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Building a dialog allocates many small objects that all live on; the cyclic garbage
    collector would scan them again and again (time grew faster than the dialog), so it
    pauses meanwhile."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


TABLE_LIMIT = 1024  # combinations of values a node's table of branches may hold; past it the conditions are read


def _decider(node: Node, fact_types: dict[str, expr.FactType]) -> Decide | None:
    """How ``node`` chooses its branch: the first whose condition holds. When the
    conditions read only yes/no and single-choice facts, the branch for every
    combination of their values (unanswered included) is worked out once, when the
    dialog's routes are built, and looked up."""
    steps = tuple(node.steps)
    if not steps:
        return None
    if len(steps) == 1:  # only the otherwise
        (only,) = steps
        return lambda answers: only
    branches = tuple((None if step.condition is None else step.condition.test, step) for step in steps)

    def first_holding(answers: expr.Answers) -> Step:
        for test, step in branches:
            if test is None or test(answers):
                return step
        raise AssertionError(f"{node.id}: no branch holds although the last one is unconditional")

    facts = tuple(sorted({fact for step in steps if step.condition is not None for fact in step.condition.facts}))
    domains = [_domain(fact_types[fact]) for fact in facts]
    if not facts or any(domain is None for domain in domains) or math.prod(map(len, domains)) > TABLE_LIMIT:  # type: ignore[arg-type]
        return first_holding
    unanswered = expr.UNANSWERED
    table = {}
    for values in itertools.product(*domains):  # type: ignore[misc]
        answers = {fact: value for fact, value in zip(facts, values) if value is not unanswered}
        table[values[0] if len(facts) == 1 else values] = first_holding(answers)

    if len(facts) == 1:
        (fact,) = facts

        def tabulated(answers: expr.Answers) -> Step:
            try:
                return table[answers.get(fact, unanswered)]
            except (KeyError, TypeError):  # a value outside the fact's domain
                return first_holding(answers)

        return tabulated
    none_answered = (unanswered,) * len(facts)

    def tabulated_together(answers: expr.Answers) -> Step:
        try:
            return table[tuple(map(answers.get, facts, none_answered))]  # each fact's value, or unanswered
        except (KeyError, TypeError):  # a value outside a fact's domain
            return first_holding(answers)

    return tabulated_together


def _domain(kind: expr.FactType) -> tuple[Any, ...] | None:
    """The values a yes/no or single-choice fact can have on a path, unanswered included
    (None for a fact of any other kind)."""
    if kind.kind == "bool":
        return (True, False, expr.UNANSWERED)
    if kind.kind == "choice":
        return (*kind.values, expr.UNANSWERED)
    return None


@dataclass(eq=False)
class OutcomeExpressions:
    hours_per_week: expr.Expression | None
    warnings: list[tuple[expr.Expression, dict[str, expr.Expression]]]
    checks: list[expr.Expression]

    @cached_property
    def _signature_parts(self) -> tuple[tuple[expr.Evaluator, ...], tuple[tuple[expr.Evaluator, tuple[expr.Expression, ...]], ...]]:
        checks = tuple(condition.test for condition in self.checks)
        warnings = tuple((condition.test, tuple(values.values())) for condition, values in self.warnings)
        return checks, warnings

    @cached_property
    def reads(self) -> tuple[str, ...]:
        """The facts the outcome's checks, warnings and hours read: their values decide its ``signature``."""
        expressions = [*self.checks, *(condition for condition, _ in self.warnings),
                       *(value for _, values in self.warnings for value in values.values())]
        if self.hours_per_week is not None:
            expressions.append(self.hours_per_week)
        return tuple(sorted({fact for expression in expressions for fact in expression.facts}))

    def signature(self, answers: expr.Answers) -> tuple:
        """What of the answers the outcome shows: which checks hold (True, or a falsy
        False/UNANSWERED), which warnings fire with which values, the hours. Equal
        signatures, with equal branches taken, give equal recommendations."""
        checks, warnings = self._signature_parts
        fired = [
            tuple([_hashable(value(answers)) for value in values]) if test(answers) else None
            for test, values in warnings
        ] if warnings else None
        hours = _hashable(self.hours_per_week(answers)) if self.hours_per_week is not None else None
        return tuple([test(answers) for test in checks]), fired and tuple(fired), hours


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


@dataclass(eq=False)
class Dialog:
    path: Path
    meta: Meta
    nodes: dict[str, Node]
    fact_types: dict[str, expr.FactType]
    outcome_expressions: dict[str, OutcomeExpressions]
    order: list[str]  # node ids, topologically sorted from the start

    @property
    def region(self) -> str:
        return self.meta.region

    @property
    def start(self) -> str:
        return self.meta.start

    @cached_property
    def questions(self) -> dict[str, Question]:
        return {node.id: node.spec for node in self.nodes.values() if isinstance(node.spec, Question)}

    def next_step(self, node_id: str, answers: expr.Answers) -> Step:
        """The branch taken from ``node_id``: the first whose condition holds over
        ``answers``, the answers on the path (a fact not among them is unanswered).
        This is the one place the dialog's branches are decided: the session's state
        machine, the batch walk and the path search all ask it."""
        return self.routes[node_id].decide(answers)  # type: ignore[misc]  (an outcome has no branch)

    @cached_property
    def routes(self) -> dict[str, Route]:
        """Each node as the walk reads it, built once."""
        routes = {}
        with collector_paused():
            for node_id, node in self.nodes.items():
                default = NO_DEFAULT
                if node.kind == "question" and node.spec.default is not None:  # type: ignore[union-attr]
                    default = self.readers[node_id].read_value(node.spec.default)  # type: ignore[union-attr]
                routes[node_id] = Route(node.kind == "question", default, _decider(node, self.fact_types))
        return routes

    @cached_property
    def readers(self) -> dict[str, AnswerReader]:
        """A reader per question; a choice may be named by its label in any language.
        Built once and never changed: every session and check reads alike."""
        return {fact: answer_reader(question) for fact, question in self.questions.items()}

    @cached_property
    def questions_left(self) -> dict[str, int]:
        """At most how many questions remain from each node, this one included."""
        remaining: dict[str, int] = {}
        for node_id in reversed(self.order):
            node = self.nodes[node_id]
            here = 1 if node.kind == "question" else 0
            remaining[node_id] = here + max((remaining[s.goto] for s in node.steps), default=0)
        return remaining

    def reachable(self, node_id: str) -> frozenset[str]:
        """The nodes at ``node_id`` and anywhere after it."""
        return self._reachable[node_id]

    def reachable_facts(self, node_id: str) -> frozenset[str]:
        """The facts asked at this node or anywhere after it."""
        return self._reachable_facts[node_id]

    @cached_property
    def _reachable(self) -> dict[str, frozenset[str]]:
        reach: dict[str, frozenset[str]] = {}
        for node_id in reversed(self.order):
            reach[node_id] = frozenset({node_id}).union(*(reach[step.goto] for step in self.nodes[node_id].steps))
        return reach

    @cached_property
    def _reachable_facts(self) -> dict[str, frozenset[str]]:
        questions = self.questions
        return {node_id: frozenset(n for n in nodes if n in questions) for node_id, nodes in self._reachable.items()}


def answer_reader(question: Question) -> AnswerReader:
    """The reader of a question's answers: a choice by id, number or label in any language."""
    from intake_tui.i18n import all_languages

    labels = [(lang.gettext(choice.label), choice.value) for lang in all_languages() for choice in question.choices]
    units = [lang.gettext(question.unit) for lang in all_languages()] if question.unit else []
    return AnswerReader(question, labels, units)
