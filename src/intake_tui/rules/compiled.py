"""A dialog file compiled to what the first screens show, kept like a ``.pyc``.

Loading a dialog means importing pydantic and validating the whole file,
which takes longer than Textual needs to start. A dialog that loaded and
passed its checks is kept as an ``Outline``: its version, its SWV and title,
and each question as the screens show it (texts as msgids, translated when
shown; choices; the citation; at most how many questions remain), all plain
data. The start screen, ``intake new``, ``intake resume`` and ``intake
check`` find a dialog's version through it, and the screens paint from it
before the engine loads; the engine builds the same outline from the dialog
it loaded (``outline_of``), so what is painted first is what the engine shows.

The cache is one JSON file per dialog file and key in a private folder
(``$INTAKE_CACHE``, else the per-user cache folder; mode 0700, files 0600,
written atomically). The key is the hash a hash-based ``.pyc`` keeps of its
source (``importlib.util.source_hash``) of the format, the program's version
and the dialog file's bytes: an edited file, another program version
or a file that is not exactly what was written (corrupt, nested too deep,
foreign, of the wrong mode or owner) is never used; it is compiled anew from
the dialog and written over. Nothing of a pupil is in it: deleting the
folder is always safe.

Imports nothing but the standard library (the compiling loads the engine).
"""

from __future__ import annotations

import json
import os
import stat
from importlib.util import source_hash
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from intake_tui import __version__
from intake_tui.atomic import read_regular, write_private

if TYPE_CHECKING:
    from intake_tui.rules.dialog import Dialog

FORMAT = 1
LIMIT = 8 << 20  # bytes of one cache file; a bigger one is not ours
QUESTION_TYPES = ("bool", "int", "number", "choice", "choices")


# Plain records, built at every start before the first frame: named tuples (a frozen
# dataclass generates its methods from source when its module loads, about 0.4 ms each).
class Choice(NamedTuple):
    value: str
    label: str  # msgid


class Card(NamedTuple):
    """A question as the screens show it (texts are msgids)."""

    id: str
    type: str
    prompt: str
    name: str | None
    help: str
    cite: str  # as the dialog writes it (``words.display.cited_source`` makes it readable)
    unit: str | None
    choices: tuple[Choice, ...]
    left: int  # at most how many questions remain from here, this one included


class Outline(NamedTuple):
    """A checked dialog file as the first screens need it."""

    key: str
    region: str
    swv: str
    title: str  # msgid
    seed: str
    version: str
    valid_from: str  # ISO date
    valid_until: str | None
    anonymous_only: bool
    start: str  # the first node (a question in every dialog that asks anything)
    questions: dict[str, Card]


def key_of(content: bytes) -> str:
    # As a .pyc knows its source (hashlib and OpenSSL, 1.5 ms to load, wait for the engine).
    return source_hash(f"{FORMAT}\0{__version__}\0".encode() + content).hex()


def outline_of(dialog: Dialog, key: str, valid_from: str, valid_until: str | None) -> Outline:
    """The outline of a loaded dialog: what the cache keeps and the screens paint."""
    meta = dialog.meta
    left = dialog.questions_left
    cards = {fact: Card(fact, q.type, q.prompt, q.name, q.help, q.cite, q.unit,
                        tuple(Choice(c.value, c.label) for c in q.choices), left[fact])
             for fact, q in dialog.questions.items()}
    return Outline(key, meta.region, meta.swv, meta.title, meta.seed, meta.ruleset_version, valid_from, valid_until,
                   meta.anonymous_only, meta.start, cards)


# -- the cache folder ------------------------------------------------------------------
def cache_dir() -> Path:
    configured = os.environ.get("INTAKE_CACHE")
    if configured:
        return Path(configured)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("intake_tui", appauthor=False))


def cache_path(dialog_path: Path, key: str) -> Path:
    # The key in the name: two program versions (or a file and its edit) keep one file each.
    return cache_dir() / f"{dialog_path.stem}-{key[:24]}.json"


def _private_folder(folder: Path) -> bool:
    """Ours and closed to others: only then is what it holds read."""
    try:
        info = os.stat(folder, follow_symlinks=False)
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and not info.st_mode & 0o077


def cached(dialog_path: Path, key: str) -> Outline | None:
    """The outline kept for ``key``, or None when there is none usable."""
    path = cache_path(dialog_path, key)
    if not _private_folder(path.parent):
        return None
    try:
        data = json.loads(read_regular(path, LIMIT, private=True)[0])  # ours, 0600: else OSError
        return _outline(data, key)
    except (OSError, ValueError, RecursionError, TypeError, KeyError):
        # missing, unreadable, not ours, not JSON, nested too deep, a huge number, another shape: compiled anew
        return None


def keep(dialog_path: Path, outline: Outline) -> None:
    """Write the outline for next time; a cache that cannot be written is no error."""
    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not _private_folder(folder):
            return  # someone else's folder, or open to others: never written into
        questions = {fact: {**card._asdict(), "choices": [choice._asdict() for choice in card.choices]}
                     for fact, card in outline.questions.items()}
        data = {"format": FORMAT, **outline._asdict(), "questions": questions}
        write_private(cache_path(dialog_path, outline.key), json.dumps(data, ensure_ascii=False).encode("utf-8"))
    except OSError:
        pass


# -- reading it back: every field checked, nothing trusted -------------------------------
def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("not a text")
    return value


def _optional_text(value: Any) -> str | None:
    return None if value is None else _text(value)


def _outline(data: Any, key: str) -> Outline | None:
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("key") != key:
        return None
    questions = data["questions"]
    if not isinstance(questions, dict):
        return None
    cards = {}
    for fact, card in questions.items():
        if not isinstance(card, dict) or card.get("id") != fact or card.get("type") not in QUESTION_TYPES:
            return None
        left = card["left"]
        if not isinstance(left, int) or isinstance(left, bool) or left < 1:
            return None
        choices = card["choices"]
        if not isinstance(choices, list):
            return None
        cards[fact] = Card(fact, card["type"], _text(card["prompt"]), _optional_text(card["name"]), _text(card["help"]),
                           _text(card["cite"]), _optional_text(card["unit"]),
                           tuple(Choice(_text(c["value"]), _text(c["label"])) for c in choices), left)
    if not isinstance(data["anonymous_only"], bool):
        return None
    return Outline(key, _text(data["region"]), _text(data["swv"]), _text(data["title"]), _text(data["seed"]),
                   _text(data["version"]),
                   _text(data["valid_from"]), _optional_text(data["valid_until"]), data["anonymous_only"],
                   _text(data["start"]), cards)
