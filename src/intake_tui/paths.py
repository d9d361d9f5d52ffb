"""Where the shipped dialogs and catalogs live, and the user's records by default.

An installed wheel carries them as package data (``intake_tui/_data``); an
editable install or a plain checkout does not, so the repository root is the
fallback. This is the only place that knows both.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE_DATA = Path(__file__).resolve().parent / "_data"
_REPO_ROOT = Path(__file__).resolve().parents[2]


@cache
def data_dir(name: str) -> Path:
    for base in (_PACKAGE_DATA, _REPO_ROOT):
        candidate = base / name
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the shipped folder {name!r} is missing from this installation")


def dialogs_dir() -> Path:
    return data_dir("dialogs")


def locales_dir() -> Path:
    return data_dir("locales")


def default_store_dir() -> Path:
    """The per-user folder of records (when neither --store, ``$INTAKE_STORE`` nor the settings
    name a store: ``engine.stores`` decides)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("intake_tui", appauthor=False)) / "records"
