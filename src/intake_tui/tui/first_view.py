"""The first question of a new intake, remembered so it is on screen at once.

Loading a dialog means importing pydantic and validating the file, which
takes longer than Textual needs to start. So ``intake new`` remembers the
rendered first question of each region and language (texts only: nothing of
a pupil) and, next time, paints it before the engine loads; the engine
follows straight after the first frame, and the screen checks its own
rendering against the remembered one (a difference is painted over and
remembered anew). The key is made of everything the view comes from: the
dialog file, the language's catalog (a checksum of each) and the program's version.

Imports nothing but the standard library: it runs before the engine loads.
"""

from __future__ import annotations

import json
import os
import stat
import zlib
from pathlib import Path
from typing import Any

from intake_tui import __version__
from intake_tui.paths import dialogs_dir, locales_dir

FORMAT = 1


def cache_dir() -> Path:
    configured = os.environ.get("INTAKE_CACHE")
    if configured:
        return Path(configured)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("intake_tui", appauthor=False))


def _key(region: str, lang_code: str) -> str | None:
    # A CRC and the length of each source file: enough to notice an edit (a miss
    # is painted over anyway), without loading hashlib before the first frame.
    parts = [f"{FORMAT}", __version__, region, lang_code]
    try:
        for path in (dialogs_dir() / f"{region}.toml", locales_dir() / lang_code / "LC_MESSAGES" / "messages.mo"):
            content = path.read_bytes()
            parts.append(f"{len(content)}-{zlib.crc32(content):08x}")
    except OSError:
        return None
    return ":".join(parts)


def _path(region: str, lang_code: str) -> Path:
    return cache_dir() / f"first-question-{region}-{lang_code}.json"


def remembered(region: str, lang_code: str) -> dict[str, Any] | None:
    """The remembered view, if it was made from exactly today's files."""
    return _stored(region, lang_code, _key(region, lang_code))


def _stored(region: str, lang_code: str, key: str | None) -> dict[str, Any] | None:
    if key is None:
        return None
    try:
        data = json.loads(_read_regular(_path(region, lang_code)))
    except (OSError, ValueError, RecursionError):  # unreadable, not JSON, nested too deep, a huge number: ignored, rewritten
        return None
    if not isinstance(data, dict) or data.get("key") != key or not isinstance(data.get("view"), dict):
        return None
    return data["view"]


def _read_regular(path: Path, limit: int = 1 << 20) -> str:
    """The text of a regular file of at most ``limit`` bytes; a FIFO, a device or a
    huge file in the cache's place is an ``OSError``, never a hang."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            raise OSError(f"{path.name}: not a usable cache file")
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            return handle.read(limit).decode("utf-8")
    finally:
        os.close(descriptor)


def remember(region: str, lang_code: str, view: dict[str, Any]) -> None:
    """Keep ``view`` for next time; a cache that cannot be written is no error."""
    from intake_tui.engine.atomic import write_private

    key = _key(region, lang_code)
    if key is None or _stored(region, lang_code, key) == view:
        return
    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_private(_path(region, lang_code), json.dumps({"key": key, "view": view}, ensure_ascii=False).encode("utf-8"))
    except OSError:
        pass
