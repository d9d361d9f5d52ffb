"""The regional dialogs and their rule versions, found by file name, loaded once.

A region's rules are one dialog file per version in the dialogs folder:
``<region>.toml`` and, for more versions, ``<region>@<anything>.toml``. Each
file's ``[meta]`` says its ``ruleset_version``, ``valid_from`` and optional
``valid_until``. A new intake uses the version valid on its date; a record is
always re-opened under the version it names (``version_for_record``).

The folder is the shipped one, or ``$INTAKE_DIALOGS`` (an SWV's own rules).
"""

from __future__ import annotations

import datetime as dt
import os
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from intake_tui.i18n import N_
from intake_tui.paths import dialogs_dir
from intake_tui.rules import compiled
from intake_tui.rules.compiled import Outline
from intake_tui.said import Said

if TYPE_CHECKING:
    from intake_tui.rules.dialog import Dialog


class UnknownRegion(Said, LookupError):
    """A region id with no dialog; says which ids there are."""

    def __init__(self, region: str) -> None:
        super().__init__(N_("unknown region {region!r}; choose one of: {regions}"),
                         region=region, regions=", ".join(region_ids()))


class UnknownVersion(Said, LookupError):
    """A rules version that this installation does not have (any more)."""


class RuleVersion(NamedTuple):
    """One version of a region's rules: its file and the dates it is valid."""

    region: str
    version: str
    valid_from: dt.date
    valid_until: dt.date | None
    path: Path

    def valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


def rules_folder() -> Path:
    configured = os.environ.get("INTAKE_DIALOGS")
    return Path(configured) if configured else dialogs_dir()


def region_of(path: Path) -> str:
    return path.stem.split("@", 1)[0]


def dialog_files() -> list[Path]:
    return sorted(rules_folder().glob("*.toml"))


def region_files() -> dict[str, Path]:
    """Each region's file named ``<region>.toml`` (or its first file): one per region, for listing."""
    files: dict[str, Path] = {}
    for path in dialog_files():
        region = region_of(path)
        if path.stem == region or region not in files:
            files[region] = path
    return files


def region_ids() -> list[str]:
    return sorted({region_of(path) for path in dialog_files()})


def resolve_region(region: str) -> str:
    """The region id as the files spell it (``Meierij`` is ``meierij``); UnknownRegion if none."""
    ids = region_ids()
    if region in ids:
        return region
    for known in ids:
        if known.casefold() == region.strip().casefold():
            return known
    raise UnknownRegion(region)


def require_region(region: str) -> None:
    """Raise UnknownRegion unless ``region`` has a dialog (without loading it)."""
    resolve_region(region)


def versions(region: str) -> list[RuleVersion]:
    """Every version of a region's rules, oldest first."""
    region = resolve_region(region)
    found = [_version_of(path, _stamp(path)) for path in dialog_files() if region_of(path) == region]
    return sorted((v for v in found if v is not None), key=lambda v: (v.valid_from, v.version))


def _stamp(path: Path) -> tuple[int, int]:
    try:
        info = path.stat()
    except OSError:
        return (0, 0)
    return (info.st_mtime_ns, info.st_size)


@cache
def _version_of(path: Path, stamp: tuple[int, int]) -> RuleVersion | None:
    """The version a file is, from its outline; a file that does not load is listed by its
    [meta] alone (loading it then says why), and None when even that cannot be read."""
    made = _outline(path, stamp)
    if made is None:
        return _meta_version(path)
    return RuleVersion(region_of(path), made.version, dt.date.fromisoformat(made.valid_from),
                       dt.date.fromisoformat(made.valid_until) if made.valid_until else None, path)


def _meta_version(path: Path) -> RuleVersion | None:
    import tomllib

    try:
        meta = tomllib.loads(path.read_text(encoding="utf-8")).get("meta", {})
        valid_from = meta["valid_from"]
        valid_until = meta.get("valid_until")
        if not isinstance(valid_from, dt.date) or not (valid_until is None or isinstance(valid_until, dt.date)):
            return None
        return RuleVersion(region_of(path), str(meta["ruleset_version"]), valid_from, valid_until, path)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, KeyError, TypeError, RecursionError, ValueError):
        return None


def outline(region: str, version: str | None = None, on: dt.date | None = None) -> Outline:
    """What the first screens show of a region's rules (the version named, else the one valid
    on ``on``, today): kept from an earlier start while the file is unchanged (``compiled``),
    else compiled from the loaded dialog. DialogError when the file does not load."""
    chosen = version_named(region, version) if version is not None else version_on(region, on)
    made = _outline(chosen.path, _stamp(chosen.path))
    if made is None:  # the file does not load: loading it says what is wrong, with file:line
        load_file(chosen.path, _stamp(chosen.path))
        raise UnknownVersion(N_("region {region!r} has no rules version {version!r}; its versions: {versions}"),
                             region=region, version=chosen.version, versions=describe(versions(region)))
    return made


def outline_for_record(region: str, version: str) -> Outline | None:
    """The outline of the rules a record names, or None when they are gone or do not load."""
    try:
        chosen = version_named(resolve_region(region), version)
    except (UnknownRegion, UnknownVersion):
        return None
    return _outline(chosen.path, _stamp(chosen.path))


@cache
def _outline(path: Path, stamp: tuple[int, int]) -> Outline | None:
    try:
        key = compiled.key_of(path.read_bytes())
    except OSError:
        return None
    made = compiled.cached(path, key)
    if made is not None:
        return made
    from intake_tui.rules.dialog import (
        DialogError,  # the engine loads here: the file changed, or is new to this version
    )

    version = _meta_version(path)
    try:
        dialog = load_file(path, stamp)
    except DialogError:
        return None
    if version is None:
        return None
    made = compiled.outline_of(dialog, key, version.valid_from.isoformat(),
                               version.valid_until.isoformat() if version.valid_until else None)
    compiled.keep(path, made)
    return made


def version_on(region: str, day: dt.date | None = None) -> RuleVersion:
    """The version valid on ``day`` (today if None): the newest one whose dates hold it."""
    day = day or dt.date.today()
    found = versions(region)
    valid = [v for v in found if v.valid_on(day)]
    if valid:
        return valid[-1]
    if not found:
        raise UnknownRegion(region)
    raise UnknownVersion(N_("region {region!r} has no rules valid on {date}; its versions: {versions}"),
                         region=region, date=day.isoformat(), versions=describe(found))


def version_named(region: str, version: str) -> RuleVersion:
    for each in versions(region):
        if each.version == version:
            return each
    raise UnknownVersion(N_("region {region!r} has no rules version {version!r}; its versions: {versions}"),
                         region=region, version=version, versions=describe(versions(region)) or "-")


def describe(found: list[RuleVersion]) -> str:
    return ", ".join(f"{v.version} ({v.valid_from.isoformat()}{' – ' + v.valid_until.isoformat() if v.valid_until else ''})"
                     for v in found)


def file_checksum(path: Path) -> str:
    """The SHA-256 of a dialog file: the receipt that a record ran on exactly these rules."""
    return _checksum(path, _stamp(path))


@cache
def _checksum(path: Path, stamp: tuple[int, int]) -> str:
    import hashlib  # with the engine, after the first frame

    return hashlib.sha256(path.read_bytes()).hexdigest()


@cache
def load_region(region: str, version: str | None = None, on: dt.date | None = None) -> Dialog:
    """A region's dialog: the version named, else the one valid on ``on`` (today). Loaded once a process."""
    chosen = version_named(region, version) if version is not None else version_on(region, on)
    return load_file(chosen.path, _stamp(chosen.path))


@cache
def load_file(path: Path, stamp: tuple[int, int]) -> Dialog:
    from intake_tui.rules.loader import load_dialog  # pydantic and the validation load here, not on import

    return load_dialog(path)


def load_path(path: Path) -> Dialog:
    """A rules file by its path (a proposal): loaded once a process while the file is unchanged, as a version is."""
    return load_file(path, _stamp(path))


def dialog_for_record(record) -> Dialog | None:
    """The rules a record was made under (its region and version), or None when they are gone."""
    from intake_tui.rules.dialog import DialogError

    try:
        return load_region(resolve_region(record.region), version=record.ruleset_version)
    except (UnknownRegion, UnknownVersion, DialogError):
        return None
