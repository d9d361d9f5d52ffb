"""Loading a dialog file: TOML → pydantic models → a checked, compiled graph.

Every problem found is reported as ``file:line: message``; loading collects
all of them instead of stopping at the first, so a dialog author sees the
whole list at once. The graph checks (targets, reachability, cycles, facts
used before they can be asked) are linear in the size of the dialog.
"""

from __future__ import annotations

import gc
import re
import tomllib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from . import expr
from .answers import AnswerError, AnswerReader
from .dialog_schema import Branch, Decision, DialogFile, Meta, Outcome, Question
from .toml_lines import LineIndex


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class DialogError(Exception):
    """A dialog file that cannot be used; ``problems`` lists every reason."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


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


NO_DEFAULT: Any = object()

Decide = Callable[[expr.Answers], Step]


@dataclass(frozen=True, slots=True)
class Route:
    """A node reduced to what following the branches needs."""

    is_outcome: bool
    asks: bool
    default: Any  # the default answer, read; NO_DEFAULT if there is none
    decide: Decide | None  # the branch taken, from the answers on the path (None for an outcome)


def _decider(node: Node, fact_types: dict[str, expr.FactType]) -> Decide | None:
    """How ``node`` chooses its branch: the first whose condition holds. When the
    conditions all read one yes/no or single-choice fact, the branch for each of its
    values (unanswered included) is worked out once and looked up."""
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

    facts = {fact for step in steps if step.condition is not None for fact in step.condition.facts}
    kind = fact_types[next(iter(facts))] if len(facts) == 1 else None
    if kind is None or kind.kind not in ("bool", "choice"):
        return first_holding
    (fact,) = facts
    unanswered = expr.UNANSWERED
    table = {value: first_holding({fact: value}) for value in ((True, False) if kind.kind == "bool" else kind.values)}
    table[unanswered] = first_holding({})

    def tabulated(answers: expr.Answers) -> Step:
        try:
            return table[answers.get(fact, unanswered)]
        except (KeyError, TypeError):  # a value outside the fact's domain
            return first_holding(answers)

    return tabulated


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
        for node_id, node in self.nodes.items():
            default = NO_DEFAULT
            if node.kind == "question" and node.spec.default is not None:  # type: ignore[union-attr]
                default = self.readers[node_id].read_value(node.spec.default)  # type: ignore[union-attr]
            routes[node_id] = Route(node.kind == "outcome", node.kind == "question", default, _decider(node, self.fact_types))
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
    from .i18n import all_languages

    labels = [(lang.gettext(choice.label), choice.value) for lang in all_languages() for choice in question.choices]
    units = [lang.gettext(question.unit) for lang in all_languages()] if question.unit else []
    return AnswerReader(question, labels, units)


# --------------------------------------------------------------------------
def load_dialog(path: str | Path) -> Dialog:
    path = Path(path)
    shown = str(path)
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise DialogError([Problem(shown, 1, f"cannot read the file: {error}")]) from None
    return parse_dialog(source, shown, path)


def parse_dialog(source: str, shown: str, path: Path | None = None) -> Dialog:
    # Loading allocates many small objects that all live on; the cyclic garbage
    # collector would scan them again and again (time grew faster than the
    # dialog), so it pauses while a dialog loads.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _parse_dialog(source, shown, path)
    finally:
        if collecting:
            gc.enable()


def _parse_dialog(source: str, shown: str, path: Path | None) -> Dialog:
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"\(at line (\d+), column \d+\)", str(error))
        line = int(match.group(1)) if match else 1
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(error))
        raise DialogError([Problem(shown, line, f"not valid TOML: {message}")]) from None
    lines = _LazyLines(source)
    try:
        spec = DialogFile.model_validate(data)
    except ValidationError as error:
        problems = [
            Problem(shown, lines.line_of(item["loc"]), f"{_dotted(item['loc'])}: {_pydantic_message(item)}")
            for item in error.errors()
        ]
        raise DialogError(problems) from None
    return _Compiler(spec, shown, lines, path or Path(shown)).compile()


def _dotted(location: Iterable[Any]) -> str:
    return ".".join(str(part) for part in location) or "(file)"


def _pydantic_message(item: dict[str, Any]) -> str:
    message = item["msg"].removeprefix("Value error, ")
    if item["type"] == "extra_forbidden":
        return "unknown key"
    return message


class _LazyLines:
    """Line numbers are needed only to report a problem: index the text then."""

    def __init__(self, source: str) -> None:
        self.source = source

    @cached_property
    def index(self) -> LineIndex:
        return LineIndex(self.source)

    def line_of(self, location) -> int:
        return self.index.line_of(location)


class _Compiler:
    def __init__(self, spec: DialogFile, shown: str, lines: _LazyLines, path: Path) -> None:
        self.spec = spec
        self.shown = shown
        self.lines = lines
        self.path = path
        self.problems: list[Problem] = []

    def problem(self, location: tuple[str | int, ...], message: str) -> None:
        self.problems.append(Problem(self.shown, self.lines.line_of(location), message))

    def compile(self) -> Dialog:
        spec = self.spec
        nodes = self._nodes()
        fact_types = {
            fact: expr.FactType(q.type, tuple(c.value for c in q.choices)) for fact, q in spec.questions.items()
        }
        self._check_defaults()
        for node in nodes.values():
            node.steps = list(self._steps(node, nodes, fact_types))
        outcome_expressions = {
            outcome_id: self._outcome_expressions(outcome_id, outcome, fact_types)
            for outcome_id, outcome in spec.outcomes.items()
        }
        order = self._graph_order(nodes) if not self.problems else []
        if not self.problems:
            self._check_facts_asked_before(nodes, order, outcome_expressions)
        if self.problems:
            raise DialogError(sorted(self.problems, key=lambda p: p.line))
        return Dialog(self.path, spec.meta, nodes, fact_types, outcome_expressions, order)

    def _nodes(self) -> dict[str, Node]:
        nodes: dict[str, Node] = {}
        tables: list[tuple[str, str, dict[str, Any]]] = [
            ("questions", "question", self.spec.questions),
            ("decisions", "decision", self.spec.decisions),
            ("outcomes", "outcome", self.spec.outcomes),
        ]
        for table, kind, entries in tables:
            for node_id, node_spec in entries.items():
                if node_id in nodes:
                    self.problem((table, node_id), f"the node id {node_id!r} is used twice")
                    continue
                nodes[node_id] = Node(node_id, kind, node_spec)
        if self.spec.meta.start not in nodes:
            self.problem(("meta", "start"), f"start: there is no node {self.spec.meta.start!r}")
        return nodes

    def _check_defaults(self) -> None:
        for fact, question in self.spec.questions.items():
            if question.default is None:
                continue
            try:
                answer_reader(question).read_value(question.default)
            except AnswerError as error:
                self.problem(("questions", fact, "default"), f"default: {error}")

    def _steps(self, node: Node, nodes: dict[str, Node], facts: dict[str, expr.FactType]) -> Iterator[Step]:
        if node.kind == "outcome":
            return
        table = "questions" if node.kind == "question" else "decisions"
        branches = node.spec.branches  # type: ignore[union-attr]
        for index, branch in enumerate(branches):
            where: tuple[str | int, ...] = (table, node.id, "next", index)
            if node.kind == "question" and node.spec.goto is not None:  # type: ignore[union-attr]
                where = (table, node.id, "goto")
            condition = None
            if branch.when is not None:
                condition = self._expression((*where, "when"), branch.when, facts, expr.BOOL)
                if index == len(branches) - 1:
                    self.problem((*where, "when"), f"{node.id}: the last branch must have no 'when' (it is the otherwise)")
            if branch.goto not in nodes:
                self.problem((*where, "goto"), f"{node.id}: goto {branch.goto!r}: there is no such node")
            elif branch.goto == node.id:
                self.problem((*where, "goto"), f"{node.id}: a node cannot lead to itself")
            yield Step(node.id, index, branch, condition)

    def _expression(self, where, source: str, facts, want: str | None) -> expr.Expression | None:
        try:
            return expr.parse(source, facts, want=want)
        except expr.ExprError as error:
            self.problem(where, str(error))
            return None

    def _outcome_expressions(self, outcome_id: str, outcome: Outcome, facts) -> OutcomeExpressions:
        where = ("outcomes", outcome_id)
        hours = None
        if isinstance(outcome.hours_per_week, str):
            hours = self._expression((*where, "hours_per_week"), outcome.hours_per_week, facts, expr.NUMBER)
        warnings = []
        for index, warning in enumerate(outcome.warn):
            condition = self._expression((*where, "warn", index, "when"), warning.when, facts, expr.BOOL)
            values = {
                name: self._expression((*where, "warn", index, "values"), source, facts, None)
                for name, source in warning.values.items()
            }
            for placeholder in re.findall(r"\{(\w+)", warning.text):
                if placeholder not in values:
                    self.problem((*where, "warn", index, "text"), f"{{{placeholder}}} has no entry in 'values'")
            if condition is not None and all(values.values()):
                warnings.append((condition, values))  # type: ignore[arg-type]
        checks = []
        for index, check in enumerate(outcome.checks):
            condition = self._expression((*where, "checks", index, "ok"), check.ok, facts, expr.BOOL)
            for fact in check.all_facts:
                if fact not in facts:
                    self.problem((*where, "checks", index), f"check names the unknown fact {fact!r}")
            if condition is not None:
                checks.append(condition)
        return OutcomeExpressions(hours, warnings, checks)

    def _graph_order(self, nodes: dict[str, Node]) -> list[str]:
        """Topological order of the nodes reachable from start; reports cycles and orphans."""
        start = self.spec.meta.start
        state: dict[str, int] = {}  # 1 = on the current walk, 2 = done
        order: list[str] = []
        stack: list[tuple[str, Iterator[Step]]] = [(start, iter(nodes[start].steps))]
        state[start] = 1
        while stack:
            node_id, successors = stack[-1]
            step = next(successors, None)
            if step is None:
                stack.pop()
                state[node_id] = 2
                order.append(node_id)
                continue
            target = step.goto
            if state.get(target) == 1:
                cycle = [entry[0] for entry in stack[[e[0] for e in stack].index(target):]] + [target]
                self.problem((*self._where(nodes[node_id], step), "goto"), f"cycle: {' -> '.join(cycle)}")
            elif target not in state:
                state[target] = 1
                stack.append((target, iter(nodes[target].steps)))
        for node_id, node in nodes.items():
            if node_id not in state:
                table = {"question": "questions", "decision": "decisions", "outcome": "outcomes"}[node.kind]
                self.problem((table, node_id), f"{node_id}: cannot be reached from start {start!r}")
        order.reverse()
        return order

    def _where(self, node: Node, step: Step) -> tuple[str | int, ...]:
        table = "questions" if node.kind == "question" else "decisions"
        if node.kind == "question" and node.spec.goto is not None:  # type: ignore[union-attr]
            return (table, node.id, "goto")
        return (table, node.id, "next", step.index)

    def _check_facts_asked_before(self, nodes, order: list[str], outcome_expressions) -> None:
        """A condition may only use facts that some path asks before it (bitsets: linear)."""
        bit = {fact: 1 << i for i, fact in enumerate(self.spec.questions)}
        asked_before: dict[str, int] = {node_id: 0 for node_id in order}
        for node_id in order:
            node = nodes[node_id]
            known = asked_before[node_id] | (bit[node_id] if node.kind == "question" else 0)
            for step in node.steps:
                if step.condition is not None:
                    self._report_unasked(step.condition, known, bit, (*self._where(node, step), "when"))
                asked_before[step.goto] |= known
            if node.kind == "outcome":
                expressions = outcome_expressions[node_id]
                used = [expressions.hours_per_week, *expressions.checks]
                used += [e for condition, values in expressions.warnings for e in (condition, *values.values())]
                for expression in used:
                    if expression is not None:
                        self._report_unasked(expression, known, bit, ("outcomes", node_id))

    def _report_unasked(self, expression: expr.Expression, known: int, bit: dict[str, int], where) -> None:
        for fact in sorted(expression.facts):
            if not known & bit[fact]:
                self.problem(where, f"{fact!r} is used in {expression.source!r} but no path asks it before here")
