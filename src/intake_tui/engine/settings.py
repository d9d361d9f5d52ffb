"""The user's own settings: the consultant's name and the school, asked once.

One small JSON file in the per-user config folder (``$INTAKE_CONFIG`` points
elsewhere), written atomically with mode 0600 in a folder of mode 0700. It
holds nothing about a pupil. A missing or unreadable file is no settings.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path


FILE_NAME = "settings.json"


@dataclass(frozen=True)
class Settings:
    consultant: str = ""
    school: str = ""


def settings_path() -> Path:
    configured = os.environ.get("INTAKE_CONFIG")
    if configured:
        return Path(configured) / FILE_NAME
    from platformdirs import user_config_dir

    return Path(user_config_dir("intake_tui", appauthor=False)) / FILE_NAME


def load_settings() -> Settings:
    try:
        data = json.loads(settings_path().read_bytes())
    except (OSError, ValueError):
        return Settings()
    if not isinstance(data, dict):
        return Settings()
    return Settings(**{key: value for key, value in data.items() if key in Settings.__dataclass_fields__ and isinstance(value, str)})


def save_settings(settings: Settings) -> Path:
    path = settings_path()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    from intake_tui.atomic import write_private  # tempfile and secrets load when settings change, not at start

    return write_private(path, json.dumps(asdict(settings), ensure_ascii=False, indent=2).encode("utf-8"))
