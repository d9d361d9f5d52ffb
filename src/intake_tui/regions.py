"""The shipped regional dialogs, found by file name, loaded once."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from .paths import dialogs_dir

if TYPE_CHECKING:
    from .dialog import Dialog


class UnknownRegion(LookupError):
    pass


def region_files() -> dict[str, Path]:
    return {path.stem: path for path in sorted(dialogs_dir().glob("*.toml"))}


def region_ids() -> list[str]:
    return list(region_files())


@cache
def load_region(region: str) -> Dialog:
    from .dialog import load_dialog  # pydantic and the validation load here, not on import

    files = region_files()
    if region not in files:
        raise UnknownRegion(region)
    return load_dialog(files[region])
