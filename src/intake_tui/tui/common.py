"""Small pieces the screens share."""

from __future__ import annotations

import dataclasses

from textual.binding import BindingsMap
from textual.dom import DOMNode

from ..i18n import Language


def N_(message: str) -> str:
    return message


def translate_bindings(node: DOMNode, lang: Language) -> None:
    """Show the key descriptions of ``node`` in the user's language."""
    keys = {
        key: [dataclasses.replace(b, description=lang.gettext(b.description)) for b in bindings]
        for key, bindings in node._bindings.key_to_bindings.items()
    }
    node._bindings = BindingsMap.from_keys(keys)


def escape(text: str) -> str:
    """Text from a dialog or a user, shown literally (no Textual markup)."""
    return text.replace("[", r"\[")
