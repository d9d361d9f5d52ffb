"""From a dialog file's validated models to a ``Dialog``, with the graph's checks.

Every branch's condition and every outcome's expression is compiled (``expr``);
then the graph is checked: targets exist, every node is reached from the start,
there are no cycles, and a condition reads only facts that some path asks
before it. All checks are linear in the size of the dialog; every problem is
collected with its line.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from intake_tui.i18n import N_
from intake_tui.rules import expr
from intake_tui.rules.answers import AnswerError
from intake_tui.rules.dialog import Dialog, DialogError, Node, OutcomeExpressions, Problem, Step, answer_reader
from intake_tui.rules.expr_parser import parse
from intake_tui.rules.schema import DialogFile, Outcome
from intake_tui.rules.toml_lines import LazyLineIndex
from intake_tui.said import Said

MAX_CYCLES_SHOWN = 10  # cycle problems reported one by one; the rest are counted


def compile_dialog(spec: DialogFile, shown: str, lines: LazyLineIndex, path: Path) -> Dialog:
    """The dialog ``spec`` describes; ``DialogError`` with every problem found (``shown`` names the file)."""
    return _Compiler(spec, shown, lines, path).compile()


def _shortened(text: str, keep: int = 60) -> str:
    return text if len(text) <= keep else text[:keep] + "…"


def _path_text(nodes: list[str], keep: int = 12) -> str:
    """A path of node ids as ``a -> b -> c``; a long one shows its two ends."""
    if len(nodes) > keep:
        nodes = [*nodes[: keep // 2], f"… ({len(nodes) - keep + 1})", *nodes[-(keep // 2) + 1:]]
    return " -> ".join(nodes)


class _Compiler:
    def __init__(self, spec: DialogFile, shown: str, lines: LazyLineIndex, path: Path) -> None:
        self.spec = spec
        self.shown = shown
        self.lines = lines
        self.path = path
        self.problems: list[Problem] = []

    def problem(self, location: tuple[str | int, ...], message: str | Said, **params: Any) -> None:
        reason = message if isinstance(message, Said) else Said(message, **params)
        self.problems.append(Problem(self.shown, self.lines.line_of(location), reason))

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
                    self.problem((table, node_id), N_("the node id {node!r} is used twice"), node=node_id)
                    continue
                nodes[node_id] = Node(node_id, kind, node_spec)
        if self.spec.meta.start not in nodes:
            self.problem(("meta", "start"), N_("start: there is no node {node!r}"), node=self.spec.meta.start)
        return nodes

    def _check_defaults(self) -> None:
        for fact, question in self.spec.questions.items():
            if question.default is None:
                continue
            try:
                answer_reader(question).read_value(question.default)  # an answer's limits hold for a default too
            except AnswerError as error:
                self.problem(("questions", fact, "default"), N_("default: {problem}"), problem=error)
            except (ValueError, RecursionError):  # a number too large to read, a list nested too deep
                self.problem(("questions", fact, "default"), N_("default: not a valid answer"))

    def _steps(self, node: Node, nodes: dict[str, Node], facts: dict[str, expr.FactType]) -> Iterator[Step]:
        if node.kind == "outcome":
            return
        branches = node.spec.branches  # type: ignore[union-attr]
        for index, branch in enumerate(branches):
            where = node.branch_location(index)
            condition = None
            if branch.when is not None:
                condition = self._expression((*where, "when"), branch.when, facts, expr.BOOL)
                if index == len(branches) - 1:
                    self.problem((*where, "when"), N_("{node}: the last branch must have no 'when' (it is the otherwise)"), node=node.id)
            if branch.goto not in nodes:
                self.problem((*where, "goto"), N_("{node}: goto {goto!r}: there is no such node"), node=node.id, goto=branch.goto)
            elif branch.goto == node.id:
                self.problem((*where, "goto"), N_("{node}: a node cannot lead to itself"), node=node.id)
            yield Step(node.id, index, branch, condition)

    def _expression(self, where, source: str, facts, want: str | None) -> expr.Expression | None:
        try:
            return parse(source, facts, want=want)
        except expr.ExprError as error:
            self.problem(where, error)
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
            placeholders_ok = self._check_placeholders((*where, "warn", index, "text"), warning.text, values)
            if condition is not None and all(values.values()) and placeholders_ok:
                warnings.append((condition, values))  # type: ignore[arg-type]
        checks = []
        for index, check in enumerate(outcome.checks):
            condition = self._expression((*where, "checks", index, "ok"), check.ok, facts, expr.BOOL)
            for fact in check.all_facts:
                if fact not in facts:
                    self.problem((*where, "checks", index), N_("check names the unknown fact {fact!r}"), fact=fact)
            if condition is not None:
                checks.append(condition)
        return OutcomeExpressions(hours, warnings, checks)

    def _check_placeholders(self, where, text: str, values: dict[str, Any]) -> bool:
        """A text's placeholders are plain ``{name}`` fields that ``values`` defines, or ``{name:money}``
        (an amount with two decimals): no other format spec (``{x:>999999999}`` would build a huge
        string), conversion, attribute or index."""
        try:
            fields = [(name, spec, conversion) for _, name, spec, conversion in string.Formatter().parse(text)
                      if name is not None]
        except ValueError:
            self.problem(where, N_("a '{{' or '}}' in the text is not matched (write '{{{{' or '}}}}' for a brace)"))
            return False
        good = True
        for name, spec, conversion in fields:
            if (spec and spec != "money") or conversion or not re.fullmatch(r"[a-z][a-z0-9_]*", name):
                self.problem(where, N_("{placeholder} is not a plain placeholder: write {{name}} with a name from 'values'"),
                             placeholder=_shortened("{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"))
                good = False
            elif name not in values:
                self.problem(where, N_("{{{placeholder}}} has no entry in 'values'"), placeholder=name)
                good = False
        return good

    def _graph_order(self, nodes: dict[str, Node]) -> list[str]:
        """Topological order of the nodes reachable from start; reports cycles and orphans.

        A depth-first walk with its own stack (no recursion, whatever the size). A
        cycle is reported where its last branch closes it; past ``MAX_CYCLES_SHOWN``
        the others are only counted, so a dialog full of back edges gives a short report."""
        start = self.spec.meta.start
        state: dict[str, int] = {}  # 1 = on the current walk, 2 = done
        position: dict[str, int] = {}  # a node on the current walk: its place in the stack
        order: list[str] = []
        stack: list[tuple[str, Iterator[Step]]] = [(start, iter(nodes[start].steps))]
        state[start], position[start] = 1, 0
        cycles = 0
        first_unshown: tuple[str | int, ...] | None = None
        while stack:
            node_id, successors = stack[-1]
            step = next(successors, None)
            if step is None:
                stack.pop()
                state[node_id] = 2
                del position[node_id]
                order.append(node_id)
                continue
            target = step.goto
            if state.get(target) == 1:
                cycles += 1
                where = (*nodes[node_id].branch_location(step.index), "goto")
                if cycles <= MAX_CYCLES_SHOWN:
                    cycle = [entry[0] for entry in stack[position[target]:]] + [target]
                    self.problem(where, N_("cycle: {path}"), path=_path_text(cycle))
                elif first_unshown is None:
                    first_unshown = where
            elif target not in state:
                state[target], position[target] = 1, len(stack)
                stack.append((target, iter(nodes[target].steps)))
        if first_unshown is not None:
            self.problem(first_unshown, N_("… and {count} more cycles"), count=cycles - MAX_CYCLES_SHOWN)
        for node_id, node in nodes.items():
            if node_id not in state:
                table = {"question": "questions", "decision": "decisions", "outcome": "outcomes"}[node.kind]
                self.problem((table, node_id), N_("{node}: cannot be reached from start {start!r}"), node=node_id, start=start)
        order.reverse()
        return order

    def _check_facts_asked_before(self, nodes, order: list[str], outcome_expressions) -> None:
        """A condition may only use facts that some path asks before it (bitsets: linear)."""
        bit = {fact: 1 << i for i, fact in enumerate(self.spec.questions)}
        asked_before: dict[str, int] = {node_id: 0 for node_id in order}
        for node_id in order:
            node = nodes[node_id]
            known = asked_before[node_id] | (bit[node_id] if node.kind == "question" else 0)
            for step in node.steps:
                if step.condition is not None:
                    self._report_unasked(step.condition, known, bit, (*node.branch_location(step.index), "when"))
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
                self.problem(where, N_("{fact!r} is used in {source!r} but no path asks it before here"),
                             fact=fact, source=_shortened(expression.source, 200))
