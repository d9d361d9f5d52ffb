"""Text from files made inert before it reaches a terminal.

A record file or a file name may hold escape sequences (clear the screen,
set the title, rewrite earlier lines) or bidi controls that make text read
as something else. Whatever prints such text to a terminal passes it here.
"""

from __future__ import annotations

import unicodedata

KEPT = frozenset("\n\t")


def inert(text: str) -> str:
    """``text`` without control and format characters (line breaks and tabs stay)."""
    if text.isprintable():
        return text
    return "".join(char for char in text if char in KEPT or char.isprintable() or not _control(char))


def _control(char: str) -> bool:
    category = unicodedata.category(char)
    return category in ("Cc", "Cf", "Zl", "Zp") or category in ("Cs", "Co", "Cn")
