"""Babel extractors: the translatable texts of a dialog file, and Python.

``extract_dialog`` is registered as the babel extractor ``intake_dialog``
(see ``pyproject.toml``) and mapped to ``dialogs/**.toml`` in ``babel.toml``,
so one ``pybabel extract -F babel.toml`` puts the Python strings and every
dialog text into the same template.

A dialog's English texts are its msgids (see ``docs/dialog-format.md``).
Translatable: ``meta.title``; a question's ``prompt``, ``name``, ``help``, ``unit`` and
choice ``label``\\ s; a branch's ``because``; a decision's ``title``; an
outcome's ``title``, ``summary``, ``hours``, ``duration``, ``decides``,
``documents``, ``next_steps``, ``warnings``, ``budget[].note``,
``warn[].text``, ``checks[].text`` and ``terms[].text``. Not translated: ids, conditions,
expressions and ``cite`` (the Dutch source heading).

Each message carries an extracted comment naming where it comes from
(``dialog: questions.ab_involved.prompt``), so a translator sees the context.

``extract_python`` replaces babel's ``python`` method for ``src/``: it
reads the syntax tree, so a keyword call inside an f-string
(``f"{_('Budget')}: ..."``) is found on Python 3.11 too (babel's token reader
sees an f-string as one token before 3.12), and a call whose argument is not
a literal (``_(NAMES[row["route"]])``) gives no bogus message.
"""

from __future__ import annotations

import ast
import tomllib
from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any

from intake_tui.rules.toml_lines import LineIndex

Message = tuple[int, str | None, Any, list[str]]
Location = tuple[str | int, ...]

# Fields the schema declares as ``Text`` are whitespace-stripped when the
# dialog loads, so the program asks gettext for the stripped text; plain
# ``str`` fields are looked up as written. The msgid must match either way.
_QUESTION_FIELDS = (("prompt", True), ("name", True), ("help", False), ("unit", False))
_OUTCOME_FIELDS = (
    ("title", True),
    ("summary", False),
    ("hours", False),
    ("duration", False),
    ("decides", False),
)
_OUTCOME_LISTS = ("documents", "next_steps", "warnings")
_OUTCOME_TABLES = (("budget", "note", False), ("warn", "text", True), ("checks", "text", True), ("terms", "text", True))


def dialog_messages(source: str) -> Iterator[tuple[Location, str]]:
    """Every translatable text of a dialog document with its location (meta, questions, decisions, outcomes)."""
    data = tomllib.loads(source)
    found: list[tuple[Location, str]] = []

    def add(location: Location, value: Any, strip: bool) -> None:
        if not isinstance(value, str):
            return
        text = value.strip() if strip else value
        if text.strip():
            found.append((location, text))

    def branches(table: str, node_id: str, node: Mapping[str, Any]) -> None:
        for index, branch in enumerate(_list(node.get("next"))):
            if isinstance(branch, Mapping):
                add((table, node_id, "next", index, "because"), branch.get("because"), True)

    meta = data.get("meta")
    if isinstance(meta, Mapping):
        add(("meta", "title"), meta.get("title"), True)

    for question_id, question in _tables(data.get("questions")):
        for name, strip in _QUESTION_FIELDS:
            add(("questions", question_id, name), question.get(name), strip)
        for index, choice in enumerate(_list(question.get("choices"))):
            if isinstance(choice, Mapping):
                add(("questions", question_id, "choices", index, "label"), choice.get("label"), True)
        branches("questions", question_id, question)

    for decision_id, decision in _tables(data.get("decisions")):
        add(("decisions", decision_id, "title"), decision.get("title"), False)
        branches("decisions", decision_id, decision)

    for outcome_id, outcome in _tables(data.get("outcomes")):
        for name, strip in _OUTCOME_FIELDS:
            add(("outcomes", outcome_id, name), outcome.get(name), strip)
        for name in _OUTCOME_LISTS:
            for index, text in enumerate(_list(outcome.get(name))):
                add(("outcomes", outcome_id, name, index), text, True)
        for name, field, strip in _OUTCOME_TABLES:
            for index, entry in enumerate(_list(outcome.get(name))):
                if isinstance(entry, Mapping):
                    add(("outcomes", outcome_id, name, index, field), entry.get(field), strip)

    yield from found


def extract_dialog(
    fileobj: IO[bytes],
    keywords: Collection[str],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[Message]:
    """Babel extraction method for ``dialogs/<region>.toml``.

    Yields ``(lineno, funcname, message, comments)``; ``funcname`` is
    ``gettext`` because the program translates these texts with
    ``Language.gettext`` (``None``, which babel reads as a plain singular,
    when ``gettext`` is not among the keywords).
    """
    encoding = options.get("encoding", "utf-8") if options else "utf-8"
    raw = fileobj.read()
    source = raw.decode(encoding) if isinstance(raw, bytes) else raw
    lines = LineIndex(source)
    source_lines = source.splitlines()
    funcname = "gettext" if "gettext" in keywords else None
    found_at: dict[Location, int] = {}
    for location, text in dialog_messages(source):
        lineno = lines.line_of(location)
        if isinstance(location[-1], int):
            # An item of a string array written over several lines: the line
            # index knows the key's line; look for the item's own line after
            # it (and after the previous item's).
            array = location[:-1]
            start = max(lineno, found_at.get(array, 0) + 1)
            lineno = _line_with(source_lines, text, start) or lineno
            found_at[array] = lineno
        yield lineno, funcname, text, [f"dialog: {_dotted(location)}"]


def extract_python(
    fileobj: IO[bytes],
    keywords: Collection[str],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[Message]:
    """Python extraction method that reads the syntax tree instead of tokens.

    It yields what babel's ``python`` method yields (one entry per keyword
    call: its positional arguments, ``None`` for any that is not a string
    literal; babel then applies the keyword's spec), with two differences:
    a call inside an f-string is found on every Python version, and
    ``_(NAMES[row["key"]])`` gives nothing (babel's token reader would take
    ``"key"`` for the message). Translator comments (``-c TAG``) are the
    comment lines right above the call.
    """
    encoding = options.get("encoding", "utf-8") if options else "utf-8"
    raw = fileobj.read()
    source = raw.decode(encoding) if isinstance(raw, bytes) else raw
    tree = ast.parse(source)
    lines = source.splitlines()
    calls = sorted(
        (node for node in ast.walk(tree) if isinstance(node, ast.Call) and _called_name(node) in keywords),
        key=lambda node: (node.lineno, node.col_offset),
    )
    for call in calls:
        args = [arg.value if isinstance(arg, ast.Constant) and isinstance(arg.value, str) else None for arg in call.args]
        if not args or all(arg is None for arg in args):
            continue
        first = next(arg for arg in call.args if isinstance(arg, ast.Constant))
        messages: str | None | tuple[str | None, ...] = tuple(args) if len(args) > 1 else args[0]
        comments = _translator_comments(lines, min(call.lineno, first.lineno), comment_tags)
        yield first.lineno, _called_name(call), messages, comments


def _called_name(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _translator_comments(lines: list[str], lineno: int, comment_tags: Collection[str]) -> list[str]:
    """The block of comment lines ending right above ``lineno``, if it starts with a tag."""
    if not comment_tags:
        return []
    block: list[str] = []
    index = lineno - 2
    while index >= 0 and lines[index].lstrip().startswith("#"):
        block.insert(0, lines[index].lstrip()[1:].strip())
        index -= 1
    for start, text in enumerate(block):
        if any(text.startswith(tag) for tag in comment_tags):
            return block[start:]
    return []


def _line_with(lines: list[str], text: str, start: int, reach: int = 200) -> int | None:
    """The first line from ``start`` (1-based) that holds the start of ``text``."""
    probe = text.strip().split("\n")[0][:40]
    if not probe or any(char in probe for char in "\\\""):
        return None  # escaped in the file; do not guess
    for number in range(start, min(start + reach, len(lines) + 1)):
        if probe in lines[number - 1]:
            return number
    return None


def _tables(value: Any) -> Iterator[tuple[str, Mapping[str, Any]]]:
    if isinstance(value, Mapping):
        for key, table in value.items():
            if isinstance(table, Mapping):
                yield key, table


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _dotted(location: Location) -> str:
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text
