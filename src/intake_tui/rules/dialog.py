"""Loading a dialog file: TOML → pydantic models → a checked, compiled graph.

Every problem found is reported as ``file:line: message``; loading collects
all of them instead of stopping at the first, so a dialog author sees the
whole list at once. The graph checks (targets, reachability, cycles, facts
used before they can be asked) are linear in the size of the dialog.
"""

from __future__ import annotations

import gc
import math
import re
import stat
import string
import tomllib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from intake_tui.rules import expr
from intake_tui.rules.answers import AnswerError, AnswerReader
from intake_tui.rules.schema import Branch, Decision, DialogFile, Meta, Outcome, Question
from intake_tui.words.said import Said
from intake_tui.words.i18n import N_
from intake_tui.rules.toml_lines import LineIndex, too_deep

# Limits on what a dialog file may hold, so that reading it never runs out of
# stack, memory or time (conditions have their own, in expr).
MAX_FILE_BYTES = 64 * 1024 * 1024  # a dialog of 50,000 nodes is under 10 MB
MAX_TOML_NESTING = 16  # arrays and inline tables inside each other (the shipped dialogs use 2)
MAX_CYCLES_SHOWN = 10  # cycle problems reported one by one; the rest are counted
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
    from intake_tui.words.i18n import all_languages

    labels = [(lang.gettext(choice.label), choice.value) for lang in all_languages() for choice in question.choices]
    units = [lang.gettext(question.unit) for lang in all_languages()] if question.unit else []
    return AnswerReader(question, labels, units)


# --------------------------------------------------------------------------
def load_dialog(path: str | Path) -> Dialog:
    path = Path(path)
    shown = str(path)
    return parse_dialog(read_source(path), shown, path)


def read_source(path: Path) -> str:
    """The text of a dialog file; a folder, a device, a huge or non-UTF-8 file is a problem."""
    shown = str(path)

    def refuse(message: str, **params: Any) -> DialogError:
        return DialogError([problem(shown, 1, message, **params)])

    try:
        # Only a regular file is opened: reading a FIFO would wait for ever.
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise refuse(N_("this is a folder, not a dialog file"))
        if not stat.S_ISREG(info.st_mode):
            raise refuse(N_("this is not a regular file"))
        if info.st_size > MAX_FILE_BYTES:
            raise refuse(N_("the file is larger than {limit} MB"), limit=MAX_FILE_BYTES // (1024 * 1024))
        data = path.read_bytes()
    except FileNotFoundError:
        raise refuse(N_("cannot read the file: it does not exist")) from None
    except PermissionError:
        raise refuse(N_("cannot read the file: permission denied")) from None
    except OSError as error:
        raise refuse(N_("cannot read the file ({reason})"), reason=error.__class__.__name__) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise DialogError([problem(shown, line, N_("the file is not UTF-8 text"))]) from None


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
    deep = too_deep(source, MAX_TOML_NESTING)
    if deep is not None:
        raise DialogError([problem(shown, deep, N_("arrays and tables are nested more than {limit} deep here"),
                                   limit=MAX_TOML_NESTING)])
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"\(at line (\d+), column \d+\)", str(error))
        line = int(match.group(1)) if match else 1
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(error))
        raise DialogError([problem(shown, line, N_("not valid TOML: {reason}"), reason=_toml_reason(message))]) from None
    except (ValueError, RecursionError, MemoryError):
        # tomllib reads a whole number of more than 4,300 digits with int(), which refuses it.
        match = re.search(r"\d{4300}", source)
        line = source.count("\n", 0, match.start()) + 1 if match else 1
        raise DialogError([problem(shown, line, N_("a number here is too large"))]) from None
    lines = _LazyLines(source)
    try:
        spec = DialogFile.model_validate(data)
    except ValidationError as error:
        problems, seen = [], set()
        for item in error.errors():
            location = _data_location(data, item["loc"])
            if item["type"] == "dialog" and (item.get("ctx") or {}).get("at"):
                location = (*location, item["ctx"]["at"])  # the key a table's own check is about
            if location in seen:
                continue  # one problem a place: a union (number or text) reports each of its members
            seen.add(location)
            problems.append(problem(shown, lines.line_of(location), N_("{where}: {problem}"),
                                    where=_dotted(location), problem=_pydantic_reason(item)))
        raise DialogError(problems) from None
    return _Compiler(spec, shown, lines, path or Path(shown)).compile()


def _data_location(data: Any, location: Iterable[Any]) -> tuple[str | int, ...]:
    """A pydantic location without the names it adds for the members of a union
    ('constrained-float', 'str'): only the keys and indexes that are in the data,
    and a missing or unknown key last."""
    kept: list[str | int] = []
    for part in location:
        if isinstance(data, dict):
            kept.append(part)
            if part not in data:
                break
            data = data[part]
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            kept.append(part)
            data = data[part]
    return tuple(kept)


def _shortened(text: str, keep: int = 60) -> str:
    return text if len(text) <= keep else text[:keep] + "…"


def _path_text(nodes: list[str], keep: int = 12) -> str:
    """A path of node ids as ``a -> b -> c``; a long one shows its two ends."""
    if len(nodes) > keep:
        nodes = [*nodes[: keep // 2], f"… ({len(nodes) - keep + 1})", *nodes[-(keep // 2) + 1:]]
    return " -> ".join(nodes)


def _dotted(location: Iterable[Any]) -> str:
    return ".".join(str(part) for part in location) or "(file)"


# tomllib's messages (Python 3.11), each as a translatable text.
_TOML_REASONS: list[tuple[re.Pattern[str], str]] = [(re.compile(pattern), message) for pattern, message in [
    (r"Cannot overwrite a value", N_("a value is set twice")),
    (r"Cannot mutate immutable namespace (.*)", N_("{detail} cannot be changed here")),
    (r"Cannot redefine namespace (.*)", N_("{detail} cannot be defined again")),
    (r"Cannot declare (.*) twice", N_("{detail} is declared twice")),
    (r"Duplicate inline table key (.*)", N_("the key {detail} is used twice in an inline table")),
    (r"Unescaped '\\' in a string", N_("a backslash in a string is not escaped")),
    (r"Illegal character (.*)", N_("the character {detail} is not allowed here")),
    (r"Found invalid character (.*)", N_("the character {detail} is not allowed here")),
    (r"Expected ']]' at the end of an array declaration", N_("']]' is missing at the end of the table header")),
    (r"Expected ']' at the end of a table declaration", N_("']' is missing at the end of the table header")),
    (r"Expected '=' after a key in a key/value pair", N_("'=' is missing after the key")),
    (r"Expected (.*)", N_("{detail} was expected here")),
    (r"Unterminated string", N_("a string is not closed")),
    (r"Unclosed inline table", N_("an inline table is not closed")),
    (r"Unclosed array", N_("an array is not closed")),
    (r"Invalid value", N_("not a valid value (a string needs quotes)")),
    (r"Invalid statement", N_("not a key = value line or a table header")),
    (r"Invalid initial character for a key part", N_("a key cannot start with this character")),
    (r"Invalid hex value", N_("an escape code is not a valid hexadecimal number")),
    (r"Invalid date or datetime", N_("not a valid date or time")),
    (r"Escaped character is not a Unicode scalar value", N_("an escape code is not a valid character")),
]]


def _toml_reason(message: str) -> Said:
    for pattern, text in _TOML_REASONS:
        match = pattern.fullmatch(message)
        if match:
            return Said(text, detail=match.group(1)) if match.groups() else Said(text)
    return Said(N_("the text does not follow the TOML rules"))


# pydantic's error types, each as a translatable text (its English messages are not ours to translate).
_PYDANTIC_REASONS = {
    "missing": N_("this key is required"),
    "extra_forbidden": N_("unknown key"),
    "string_type": N_("must be text"),
    "string_too_short": N_("must not be empty"),
    "string_pattern_mismatch": N_("must be an id: lower-case letters, digits and '_', starting with a letter"),
    "int_type": N_("must be a whole number"),
    "int_parsing": N_("must be a whole number"),
    "float_type": N_("must be a number"),
    "float_parsing": N_("must be a number"),
    "finite_number": N_("must be a finite number (not nan or inf)"),
    "bool_type": N_("must be true or false"),
    "bool_parsing": N_("must be true or false"),
    "list_type": N_("must be a list"),
    "dict_type": N_("must be a table"),
    "model_type": N_("must be a table"),
    "model_attributes_type": N_("must be a table"),
    "date_type": N_("must be a date such as 2025-08-01"),
    "date_parsing": N_("must be a date such as 2025-08-01"),
    "date_from_datetime_parsing": N_("must be a date such as 2025-08-01"),
    "date_from_datetime_inexact": N_("must be a date such as 2025-08-01"),
}


def _pydantic_reason(item: dict[str, Any]) -> Said:
    kind, context = item["type"], item.get("ctx") or {}
    if kind == "dialog":  # our own validators: dialog_schema.refused
        return Said(context["msgid"], **{key: value for key, value in context.items() if key not in ("msgid", "at")})
    if kind == "literal_error":
        return Said(N_("must be one of: {values}"), values=", ".join(re.findall(r"'[^']*'", str(context.get("expected", "")))))
    if kind in ("greater_than_equal", "greater_than"):
        return Said(N_("must be at least {limit}"), limit=_plain_number(context.get("ge", context.get("gt"))))
    if kind in ("less_than_equal", "less_than"):
        return Said(N_("must be at most {limit}"), limit=_plain_number(context.get("le", context.get("lt"))))
    if kind in _PYDANTIC_REASONS:
        return Said(_PYDANTIC_REASONS[kind])
    return Said(N_("not a valid value here"))


def _plain_number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer() and math.isfinite(value):
        return str(int(value))
    return str(value)


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
                    self.problem((*where, "when"), N_("{node}: the last branch must have no 'when' (it is the otherwise)"), node=node.id)
            if branch.goto not in nodes:
                self.problem((*where, "goto"), N_("{node}: goto {goto!r}: there is no such node"), node=node.id, goto=branch.goto)
            elif branch.goto == node.id:
                self.problem((*where, "goto"), N_("{node}: a node cannot lead to itself"), node=node.id)
            yield Step(node.id, index, branch, condition)

    def _expression(self, where, source: str, facts, want: str | None) -> expr.Expression | None:
        try:
            return expr.parse(source, facts, want=want)
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
                where = (*self._where(nodes[node_id], step), "goto")
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
                self.problem(where, N_("{fact!r} is used in {source!r} but no path asks it before here"),
                             fact=fact, source=_shortened(expression.source, 200))
