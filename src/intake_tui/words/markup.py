"""Text from records and dialogs put into Markdown, inert.

A hand-edited record can hold any text in an answer, a consultant's or a
school's name: escaped, it reads as itself and never becomes a heading, a
list, a link, emphasis, a table cell's end or HTML.
"""

from __future__ import annotations

import re

# The marks Markdown (CommonMark, GitHub's tables) gives a meaning to anywhere
# in a line; CommonMark lets any ASCII punctuation be escaped with a backslash.
_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&!])")
_AUTOLINK = re.compile(r"(?i)(?<=[a-z0-9]):(?=//)|\b(www)\.")
_LINE_START = re.compile(r"^(\d+)([.)])|^([-+=])")


def escape(text: object) -> str:
    """``text`` as one line of literal Markdown: what it says, nothing it could mean."""
    flat = " ".join(str(text).split())
    flat = _SPECIAL.sub(r"\\\1", flat)
    flat = _AUTOLINK.sub(lambda m: "\\:" if m.group(0) == ":" else m.group(1) + "\\.", flat)
    return _LINE_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}" if m.group(1) else f"\\{m.group(3)}", flat)
