"""Reading a condition: text → a checked, typed ``Expression``.

The text is parsed with Python's ``ast`` (mode ``eval``), every node is checked
against a whitelist and typed against the dialog's facts, and the tree is
turned into plain closures (what they run of an unanswered fact is ``expr``'s). Nothing is ever passed to ``eval``/``exec``.
Limits on length, nesting and numbers keep this small whatever a file holds.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping
from typing import Any

from intake_tui.i18n import N_
from intake_tui.rules.expr import (
    BOOL,
    MAX_DEPTH,
    MAX_LENGTH,
    MAX_NUMBER,
    NUMBER,
    NUMBERS,
    STRING,
    STRINGS,
    UNANSWERED,
    Answers,
    Evaluator,
    ExprError,
    Expression,
    FactType,
    arithmetic,
    as_set,
    compares,
    fact_against_constant,
    kind_words,
    length,
)
from intake_tui.said import Said

_NUMERIC_KINDS = {"int", "number"}

_COMPARE = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
}
_ARITHMETIC = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}
_ORDERING = (ast.Lt, ast.LtE, ast.Gt, ast.GtE)
_CONSTANT_NAMES = {"true": True, "false": False, "True": True, "False": False}


def parse(source: str, facts: Mapping[str, FactType], *, want: str | None = None) -> Expression:
    """Parse ``source`` against ``facts``; ``want`` is the required result type."""
    text = source.strip()
    if not text:
        raise ExprError(N_("empty expression"))
    if len(text) > MAX_LENGTH:
        raise ExprError(N_("the expression is {length} characters long; at most {limit} are allowed"),
                        length=len(text), limit=MAX_LENGTH)
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as error:
        if "nested" in str(error.msg) or "too many" in str(error.msg):
            raise _too_deep(text) from None
        raise ExprError(N_("syntax error in {source!r} at column {column}"),
                        source=text, column=error.offset or 1) from None
    except (RecursionError, MemoryError):
        raise _too_deep(text) from None
    if _depth(tree.body) > MAX_DEPTH:
        raise _too_deep(text)
    compiler = _Compiler(facts, text)
    kind, evaluate = compiler.compile(tree.body)
    if want is not None and kind != want:
        raise ExprError(N_("{source!r} gives a {kind}, a {wanted} is needed here"),
                        source=text, kind=kind_words(kind), wanted=kind_words(want))
    return Expression(
        source=text,
        type=kind,
        facts=frozenset(compiler.used),
        thresholds=compiler.thresholds,
        atoms=compiler.atoms,
        _evaluate=evaluate,
    )


def _too_deep(text: str) -> ExprError:
    return ExprError(N_("{source!r} is nested more than {limit} levels deep"), source=_shortened(text), limit=MAX_DEPTH)


def _shortened(text: str, keep: int = 60) -> str:
    return text if len(text) <= keep else text[:keep] + "…"


def _depth(root: ast.AST) -> int:
    """How deep the tree is, counted without recursion (a long sum is a deep tree)."""
    deepest = 0
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if depth > MAX_DEPTH:
            break
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node)
                     if not isinstance(child, (ast.expr_context, ast.boolop, ast.operator, ast.unaryop, ast.cmpop)))
    return deepest


class _Compiler:
    def __init__(self, facts: Mapping[str, FactType], source: str) -> None:
        self.facts = facts
        self.source = source
        self.used: set[str] = set()
        self.thresholds: dict[str, set[float]] = {}
        self.choice_of: dict[int, FactType] = {}
        self.atoms: list[tuple[str, Callable[[Any], bool]]] = []

    def fail(self, node: ast.AST, message: str, **params: Any) -> ExprError:
        return ExprError(N_("{problem} (in {source!r})"), problem=Said(message, **params), source=_shortened(self.source, 200))

    def compile(self, node: ast.AST) -> tuple[str, Evaluator]:
        method = getattr(self, f"_{type(node).__name__}", None)
        if method is None:
            raise self.fail(node, N_("{construct} is not allowed in a condition"), construct=type(node).__name__.lower())
        return method(node)

    # -- leaves -------------------------------------------------------------
    def _Name(self, node: ast.Name) -> tuple[str, Evaluator]:
        if node.id in _CONSTANT_NAMES:
            constant = _CONSTANT_NAMES[node.id]
            return BOOL, lambda answers: constant
        fact = self.facts.get(node.id)
        if fact is None:
            raise self.fail(node, N_("unknown fact {fact!r}"), fact=node.id)
        self.used.add(node.id)
        self.choice_of[id(node)] = fact
        name = node.id
        kind = {"bool": BOOL, "int": NUMBER, "number": NUMBER, "choice": STRING, "choices": STRINGS}[fact.kind]
        # methodcaller runs answers.get(name, UNANSWERED) without a Python frame.
        return kind, operator.methodcaller("get", name, UNANSWERED)

    def _Constant(self, node: ast.Constant) -> tuple[str, Evaluator]:
        value = node.value
        if isinstance(value, bool):
            kind = BOOL
        elif isinstance(value, (int, float)):
            kind = NUMBER
            self._check_number(node, value)
        elif isinstance(value, str):
            kind = STRING
        else:
            raise self.fail(node, N_("the constant {value} is not allowed"), value=_shortened(repr(value)))
        return kind, lambda answers: value

    def _List(self, node: ast.List | ast.Tuple) -> tuple[str, Evaluator]:
        items = []
        for element in node.elts:
            if not isinstance(element, ast.Constant) or isinstance(element.value, bool):
                raise self.fail(element, N_("a list may only hold plain strings or numbers"))
            if isinstance(element.value, (int, float)):
                self._check_number(element, element.value)
            items.append(element.value)
        if all(isinstance(item, str) for item in items):
            kind = STRINGS
        elif all(isinstance(item, (int, float)) for item in items):
            kind = NUMBERS
        else:
            raise self.fail(node, N_("a list must hold only strings or only numbers"))
        frozen = frozenset(items)
        return kind, lambda answers: frozen

    _Tuple = _List

    def _check_number(self, node: ast.AST, value: float) -> None:
        if not abs(value) <= MAX_NUMBER:  # also nan (inf is a float literal such as 1e999)
            raise self.fail(node, N_("the number {number} is too large (at most {limit})"),
                            number=_shortened(ast.get_source_segment(self.source, node) or "?", 20), limit=f"{MAX_NUMBER:.0e}")

    # -- operators ----------------------------------------------------------
    def _BoolOp(self, node: ast.BoolOp) -> tuple[str, Evaluator]:
        parts = []
        for value in node.values:
            self._note_truth(value, True)
            kind, evaluate = self.compile(value)
            if kind != BOOL:
                raise self.fail(value, N_("'{part}' is a {kind}, and/or need yes/no values"), part=ast.unparse(value), kind=kind_words(kind))
            parts.append(evaluate)
        # Plain loops: these run once per branch of every case in a batch,
        # and all()/any() over a generator cost a generator object each time.
        if isinstance(node.op, ast.And):

            def all_hold(answers: Answers) -> bool:
                for part in parts:
                    if not part(answers):
                        return False
                return True

            return BOOL, all_hold

        def any_holds(answers: Answers) -> bool:
            for part in parts:
                if part(answers):
                    return True
            return False

        return BOOL, any_holds

    def _UnaryOp(self, node: ast.UnaryOp) -> tuple[str, Evaluator]:
        kind, operand = self.compile(node.operand)
        if isinstance(node.op, ast.Not):
            self._note_truth(node.operand, False)
            if kind != BOOL:
                raise self.fail(node, N_("'not' needs a yes/no value, '{part}' is a {kind}"), part=ast.unparse(node.operand), kind=kind_words(kind))
            if isinstance(node.operand, ast.Name) and node.operand.id in self.facts:
                name = node.operand.id
                return BOOL, lambda answers: not answers.get(name, UNANSWERED)
            return BOOL, lambda answers: not operand(answers)
        if isinstance(node.op, ast.USub) and kind == NUMBER:
            return NUMBER, lambda answers: arithmetic(operator.neg, operand(answers))
        raise self.fail(node, N_("this unary operator is not allowed"))

    def _BinOp(self, node: ast.BinOp) -> tuple[str, Evaluator]:
        op = _ARITHMETIC.get(type(node.op))
        if op is None:
            raise self.fail(node, N_("the operator {operator} is not allowed"), operator=type(node.op).__name__)
        left_kind, left = self.compile(node.left)
        right_kind, right = self.compile(node.right)
        if left_kind != NUMBER or right_kind != NUMBER:
            raise self.fail(node, N_("arithmetic needs numbers: '{part}'"), part=ast.unparse(node))
        return NUMBER, lambda answers: arithmetic(op, left(answers), right(answers))

    def _Compare(self, node: ast.Compare) -> tuple[str, Evaluator]:
        operands = [node.left, *node.comparators]
        compiled = [self.compile(operand) for operand in operands]
        steps = []
        for index, op_node in enumerate(node.ops):
            op = _COMPARE.get(type(op_node))
            if op is None:
                raise self.fail(node, N_("the comparison {operator} is not allowed"), operator=type(op_node).__name__)
            left_node, right_node = operands[index], operands[index + 1]
            (left_kind, left), (right_kind, right) = compiled[index], compiled[index + 1]
            self._check_comparison(op_node, left_node, left_kind, right_node, right_kind)
            self._note_threshold(left_node, right_node)
            self._note_atom(op, left_node, right_node)
            if left_kind in (STRINGS, NUMBERS) and isinstance(op_node, (ast.Eq, ast.NotEq)):
                # A 'choices' answer is a list, a list literal a frozenset: compare as sets.
                left, right = as_set(left), as_set(right)
            steps.append((op, left, right))

        plain_fact = isinstance(node.left, ast.Name) and node.left.id in self.facts and compiled[0][0] in (BOOL, NUMBER, STRING)
        if len(steps) == 1 and plain_fact and isinstance(node.comparators[0], ast.Constant):
            return BOOL, fact_against_constant(steps[0][0], node.left.id, node.comparators[0].value)

        def evaluate(answers: Answers) -> bool:
            for op, left, right in steps:
                a, b = left(answers), right(answers)
                if a is UNANSWERED or b is UNANSWERED or not op(a, b):
                    return False
            return True

        return BOOL, evaluate

    def _check_comparison(self, op: ast.cmpop, left_node, left_kind, right_node, right_kind) -> None:
        shown = f"'{ast.unparse(left_node)} {_op_text(op)} {ast.unparse(right_node)}'"
        if isinstance(op, (ast.In, ast.NotIn)):
            allowed = {(STRING, STRINGS), (NUMBER, NUMBERS)}
            if (left_kind, right_kind) not in allowed:
                raise self.fail(left_node, N_("{comparison}: 'in' needs a value and a list of the same kind"), comparison=shown)
            self._check_choice_values(left_node, right_node)
            self._check_choice_values(right_node, left_node)
            return
        if isinstance(op, _ORDERING):
            if left_kind != NUMBER or right_kind != NUMBER:
                raise self.fail(left_node, N_("{comparison}: '<', '>' compare numbers only"), comparison=shown)
            return
        if left_kind != right_kind:
            raise self.fail(left_node, N_("{comparison} compares a {left} with a {right}"), comparison=shown,
                            left=kind_words(left_kind), right=kind_words(right_kind))
        self._check_choice_values(left_node, right_node)
        self._check_choice_values(right_node, left_node)

    def _check_choice_values(self, fact_node: ast.AST, literal_node: ast.AST) -> None:
        """A string compared with a choice fact must be one of its values."""
        fact = self.choice_of.get(id(fact_node))
        if fact is None or fact.kind not in ("choice", "choices"):
            return
        literals: list[Any] = []
        if isinstance(literal_node, ast.Constant):
            literals = [literal_node.value]
        elif isinstance(literal_node, (ast.List, ast.Tuple)):
            literals = [element.value for element in literal_node.elts]  # type: ignore[attr-defined]
        for literal in literals:
            if isinstance(literal, str) and literal not in fact.values:
                raise self.fail(literal_node, N_("{value!r} is not a value of {fact} (values: {values})"),
                                value=literal, fact=ast.unparse(fact_node), values=", ".join(fact.values))

    def _note_threshold(self, left: ast.AST, right: ast.AST) -> None:
        for name_node, constant_node in ((left, right), (right, left)):
            if (
                isinstance(name_node, ast.Name)
                and name_node.id in self.facts
                and self.facts[name_node.id].kind in _NUMERIC_KINDS
                and isinstance(constant_node, ast.Constant)
                and isinstance(constant_node.value, (int, float))
                and not isinstance(constant_node.value, bool)
            ):
                self.thresholds.setdefault(name_node.id, set()).add(constant_node.value)

    def _note_truth(self, node: ast.AST, wanted: bool) -> None:
        if isinstance(node, ast.Name) and node.id in self.facts and self.facts[node.id].kind == "bool":
            self.atoms.append((node.id, lambda value: value is wanted))

    def _note_atom(self, op: Callable[[Any, Any], bool], left: ast.AST, right: ast.AST) -> None:
        def constant(node: ast.AST) -> tuple[bool, Any]:
            if isinstance(node, ast.Constant):
                return True, node.value
            if isinstance(node, (ast.List, ast.Tuple)) and all(isinstance(e, ast.Constant) for e in node.elts):
                return True, frozenset(e.value for e in node.elts)  # type: ignore[attr-defined]
            return False, None

        if isinstance(left, ast.Name) and left.id in self.facts:
            known, value = constant(right)
            if known:
                self.atoms.append((left.id, lambda answer: compares(op, answer, value)))
        elif isinstance(right, ast.Name) and right.id in self.facts:
            known, value = constant(left)
            if known:
                self.atoms.append((right.id, lambda answer: compares(op, value, answer)))

    def _Call(self, node: ast.Call) -> tuple[str, Evaluator]:
        if not isinstance(node.func, ast.Name) or node.func.id not in ("len", "min", "max"):
            raise self.fail(node, N_("only len, min and max may be called, not '{function}'"),
                            function=_shortened(ast.unparse(node.func)))
        if node.keywords:
            raise self.fail(node, N_("keyword arguments are not allowed"))
        arguments = [self.compile(argument) for argument in node.args]
        if node.func.id == "len":
            if len(arguments) != 1 or arguments[0][0] not in (STRINGS, NUMBERS):
                raise self.fail(node, N_("len() takes one list or 'choices' fact"))
            (_, argument), = arguments
            return NUMBER, lambda answers: length(argument(answers))
        if not arguments or any(kind != NUMBER for kind, _ in arguments):
            raise self.fail(node, N_("{function}() takes one or more numbers"), function=node.func.id)
        pick = min if node.func.id == "min" else max
        evaluators = [evaluate for _, evaluate in arguments]

        def evaluate(answers: Answers) -> Any:
            values = [argument(answers) for argument in evaluators]
            if any(value is UNANSWERED for value in values):
                return UNANSWERED
            return pick(values)

        return NUMBER, evaluate


def _op_text(op: ast.cmpop) -> str:
    return {
        ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=",
        ast.In: "in", ast.NotIn: "not in",
    }[type(op)]
