"""Line numbers for places in a TOML document.

``tomllib`` gives values without positions; error messages must still say
``file:line``. This maps a location (the ``loc`` of a pydantic error, or a
path we build ourselves) to the line that defines it, by reading table
headers and keys. It only has to be good enough to point a person at the
right line; the document itself was already parsed by ``tomllib``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cached_property

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"""^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_\-]+)\s*=""")
_INLINE_ITEM = re.compile(r"^\s*\{")

Location = tuple[str | int, ...]


def _split_dotted(text: str) -> tuple[str, ...]:
    parts = re.findall(r'"[^"]*"|\'[^\']*\'|[^.\s]+', text)
    return tuple(part.strip("\"'") for part in parts)


def _opens_multiline_string(line: str) -> str | None:
    """The delimiter of a multi-line string that this line opens and does not close."""
    if line.lstrip().startswith("#"):
        return None
    for delimiter in ('"""', "'''"):
        if line.count(delimiter) % 2 == 1:
            return delimiter
    return None


class LineIndex:
    """Maps document locations to 1-based line numbers."""

    def __init__(self, source: str) -> None:
        self.lines: dict[Location, int] = {}
        array_counts: dict[tuple[str, ...], int] = {}
        self._array_counts = array_counts
        table: Location = ()
        inline_key: Location | None = None
        inline_index = 0
        in_string: str | None = None  # the delimiter of a multi-line string being read
        for number, line in enumerate(source.splitlines(), start=1):
            if in_string is not None:
                # Text inside a multi-line string is neither a header nor a key.
                if in_string in line:
                    in_string = None
                continue
            in_string = _opens_multiline_string(line)
            header = _HEADER.match(line)
            if header and not _KEY.match(line):
                path = _split_dotted(header.group(2))
                if header.group(1) == "[[":
                    index = array_counts.get(path, 0)
                    array_counts[path] = index + 1
                    table = (*self._resolve(path), index)
                else:
                    table = self._resolve(path)
                self.lines.setdefault(table, number)
                inline_key = None
                continue
            key = _KEY.match(line)
            if key:
                name = key.group(1).strip("\"'")
                location = (*table, name)
                self.lines.setdefault(location, number)
                rest = line[key.end():].strip()
                inline_key, inline_index = (location, 0) if rest.startswith("[") else (None, 0)
                if inline_key is not None and rest.startswith("[{"):
                    self.lines.setdefault((*location, 0), number)
                    inline_index = 1
                continue
            if inline_key is not None and _INLINE_ITEM.match(line):
                self.lines.setdefault((*inline_key, inline_index), number)
                inline_index += 1

    def _resolve(self, path: tuple[str, ...]) -> Location:
        """A sub-table of an array of tables belongs to its latest element."""
        resolved: list[str | int] = []
        for depth, part in enumerate(path):
            resolved.append(part)
            prefix = path[: depth + 1]
            count = self._array_counts.get(prefix)
            if count and depth + 1 < len(path):
                resolved.append(count - 1)
        return tuple(resolved)

    def line_of(self, location: Sequence[str | int]) -> int:
        """The line of the longest known prefix of ``location`` (1 if none)."""
        location = tuple(location)
        while location:
            if location in self.lines:
                return self.lines[location]
            location = location[:-1]
        return 1


# What matters for nesting: brackets and braces, and where strings and comments
# start (a bracket inside them counts for nothing).
_NESTING_TOKEN = re.compile(r'''"""|\'\'\'|"|'|#|[\[\]{}]''')
_STRING_END = {
    '"""': re.compile(r'(?<!\\)(?:\\\\)*"""'),
    "'''": re.compile(r"'''"),
    '"': re.compile(r'(?<!\\)(?:\\\\)*"|\n'),
    "'": re.compile(r"'|\n"),
    "#": re.compile(r"\n"),
}


# Strings and comments as whole tokens, to drop them in one pass (an unclosed
# string is not matched: tomllib reports it).
_STRING_OR_COMMENT = re.compile(
    r'''"""[^\\"]*(?:(?:\\.|"(?!""))[^\\"]*)*"""|\'\'\'.*?\'\'\'|"[^"\\\n]*(?:\\.[^"\\\n]*)*"|'[^'\n]*'|#[^\n]*''',
    re.S,
)
_NOT_A_BRACKET = re.compile(r"[^\[\]{}]+")
_EMPTY_PAIR = re.compile(r"\[\]|\{\}")


class LazyLineIndex:
    """Line numbers are needed only to report a problem: index the text then."""

    def __init__(self, source: str) -> None:
        self.source = source

    @cached_property
    def index(self) -> LineIndex:
        return LineIndex(self.source)

    def line_of(self, location: Location) -> int:
        return self.index.line_of(location)


def too_deep(source: str, limit: int) -> int | None:
    """The line where arrays and inline tables first nest more than ``limit`` deep, or None.

    ``tomllib`` reads nested values by recursion, so a deep enough document ends
    in a RecursionError; this look at the text comes first. A table header's
    brackets count too, which the limit allows for. Quick: the brackets outside
    strings and comments lose their innermost pairs ``limit`` times (in C); only
    when some remain is the text read again for the line."""
    brackets = _NOT_A_BRACKET.sub("", _STRING_OR_COMMENT.sub("", source))
    for _ in range(limit):
        brackets, removed = _EMPTY_PAIR.subn("", brackets)
        if not removed:
            return None
    if not _EMPTY_PAIR.search(brackets):
        return None
    return _first_too_deep(source, limit)


def _first_too_deep(source: str, limit: int) -> int | None:
    depth = 0
    position = 0
    while True:
        token = _NESTING_TOKEN.search(source, position)
        if token is None:
            return None
        text = token.group()
        if text in _STRING_END:
            end = _STRING_END[text].search(source, token.end())
            if end is None:
                return None  # an unclosed string: tomllib says so
            position = end.end()
            continue
        position = token.end()
        depth += 1 if text in "[{" else -1
        depth = max(depth, 0)
        if depth > limit:
            return source.count("\n", 0, token.start()) + 1
