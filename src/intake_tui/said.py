"""Errors that can say themselves in the user's language.

The message is an English msgid with named placeholders; ``str()`` gives the
English text (tests, logs of the developer), ``say()`` the translated one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from intake_tui.i18n import N_

if TYPE_CHECKING:
    from json import JSONDecodeError


class Said(Exception):
    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message)
        self.message = message
        self.params = params

    def __str__(self) -> str:
        return self.say(lambda text: text)

    def say(self, gettext: Callable[[str], str]) -> str:
        # A parameter that is itself said (a nested error) or is a function of gettext (a list of
        # translated labels) is said in the same language.
        params = {key: _said(value, gettext) for key, value in self.params.items()}
        return gettext(self.message).format(**params)


S = TypeVar("S", bound=Said)


def not_json(error: JSONDecodeError, kind: type[S], first_line: int = 1) -> S:
    """A JSON text the parser refused, said as where it goes wrong: the line (of the file,
    when the text starts on line ``first_line`` of it) and the column, never the parser's
    own text (English, and technical)."""
    return kind(N_("not valid JSON (line {line}, column {column})"), line=first_line + error.lineno - 1, column=error.colno)


def _said(value: Any, gettext: Callable[[str], str]) -> Any:
    if isinstance(value, Said):
        return value.say(gettext)
    return value(gettext) if callable(value) else value


def crash_text(error: BaseException, gettext: Callable[[str], str], draft: str | None = None) -> str:
    """One line for an unexpected error: what failed, never the error's own text
    (it may quote answers or references), and where the draft is safe."""
    if isinstance(error, Said):
        what = error.say(gettext)
    elif isinstance(error, OSError):
        what = f"{error.__class__.__name__}: {error.strerror or error.errno}"
    else:
        what = error.__class__.__name__
    text = gettext("stopped by an unexpected error ({what})").format(what=what)
    if draft is not None:
        text += "; " + gettext("the draft {id} is saved up to the last accepted answer: continue with 'intake resume {id}'").format(
            id=draft)
    return text
