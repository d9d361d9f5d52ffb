"""The user's own settings: the consultant's name and the school, asked once, and
optionally the store to use (a folder, or the shared register's address).

One small JSON file in the per-user config folder (``$INTAKE_CONFIG`` points
elsewhere), written atomically with mode 0600 in a folder of mode 0700. It
holds nothing about a pupil, but the register's address may hold a password:
a settings file that others can read or change, or that belongs to another
user, is refused with a sentence (``SettingsError``) and never read. A missing
file, or one that is not a JSON object, is no settings.
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import asdict, dataclass
from pathlib import Path

from intake_tui.i18n import N_
from intake_tui.said import Said

FILE_NAME = "settings.json"


class SettingsError(Said, RuntimeError):
    """A settings file that is not read, in plain words."""


@dataclass(frozen=True)
class Settings:
    consultant: str = ""
    school: str = ""
    store: str = ""  # a folder or a postgresql:// address; never shown (it may hold a password)

    def __repr__(self) -> str:  # the store may hold a password: a repr never shows it
        return f"Settings(consultant={self.consultant!r}, school={self.school!r}, store={'…' if self.store else ''!r})"


def settings_path() -> Path:
    configured = os.environ.get("INTAKE_CONFIG")
    if configured:
        return Path(configured) / FILE_NAME
    from platformdirs import user_config_dir

    return Path(user_config_dir("intake_tui", appauthor=False)) / FILE_NAME


def load_settings() -> Settings:
    """The settings; SettingsError for a file that is not private to this user."""
    path = settings_path()
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return Settings()
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            return Settings()
        if info.st_uid != os.geteuid():
            raise SettingsError(N_("the settings file {file} belongs to another user, and it may hold the register's "
                                   "password: it is not read; keep settings in a file of your own"), file=path)
        if info.st_mode & 0o077:
            raise SettingsError(N_("the settings file {file} can be read or changed by other users, and it may hold "
                                   "the register's password: it is not read; make it yours alone with: chmod 600 {file}"),
                                file=path)
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            data = json.loads(handle.read(1 << 20))
    except (OSError, ValueError):
        return Settings()
    finally:
        os.close(descriptor)
    if not isinstance(data, dict):
        return Settings()
    return Settings(**{key: value for key, value in data.items() if key in Settings.__dataclass_fields__ and isinstance(value, str)})


def save_settings(settings: Settings) -> Path:
    path = settings_path()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    from intake_tui.atomic import write_private  # tempfile and secrets load when settings change, not at start

    kept = {key: value for key, value in asdict(settings).items() if value or key != "store"}
    return write_private(path, json.dumps(kept, ensure_ascii=False, indent=2).encode("utf-8"))
