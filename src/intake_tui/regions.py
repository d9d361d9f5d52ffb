"""The shipped regional dialogs, found by file name, loaded once."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from .paths import dialogs_dir
from .said import N_, Said

if TYPE_CHECKING:
    from .dialog import Dialog


class UnknownRegion(Said, LookupError):
    """A region id with no dialog; says which ids there are."""

    def __init__(self, region: str) -> None:
        super().__init__(N_("unknown region {region!r}; choose one of: {regions}"),
                         region=region, regions=", ".join(region_ids()))


def region_files() -> dict[str, Path]:
    return {path.stem: path for path in sorted(dialogs_dir().glob("*.toml"))}


def region_ids() -> list[str]:
    return list(region_files())


def require_region(region: str) -> None:
    """Raise UnknownRegion unless ``region`` has a dialog (without loading it)."""
    if region not in region_files():
        raise UnknownRegion(region)


@cache
def load_region(region: str) -> Dialog:
    from .dialog import load_dialog  # pydantic and the validation load here, not on import

    require_region(region)
    return load_dialog(region_files()[region])
