"""The shipped regional dialogs, found by file name, loaded once."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from .dialog import Dialog, load_dialog
from .paths import dialogs_dir


class UnknownRegion(LookupError):
    pass


def region_files() -> dict[str, Path]:
    return {path.stem: path for path in sorted(dialogs_dir().glob("*.toml"))}


def region_ids() -> list[str]:
    return list(region_files())


@cache
def load_region(region: str) -> Dialog:
    files = region_files()
    if region not in files:
        raise UnknownRegion(region)
    return load_dialog(files[region])
