"""A draft as its file says, read before the engine loads, only to paint it first.

``intake resume`` shows the draft's current question while pydantic and the
dialog load: this finds the newest draft of a folder store (or the one named)
and returns its fields as stored, unvalidated. Nothing here is trusted: the
screen takes from it only what fits the dialog's outline
(``tui.question_view.draft_spot``), and the engine then opens the same record
by its id through the store, which judges it; what the engine shows wins.

Only the standard library: it runs before the engine loads.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

from intake_tui.atomic import read_regular

LIMIT = 4 << 20  # bytes; a larger file is left to the store to refuse
SUFFIX = ".json"


def draft_on_file(folder: Path, record_id: str | None = None) -> dict[str, Any] | None:
    """The newest draft in ``folder`` (or the draft ``record_id``) as its file says; None if there is none
    that reads as one (the engine then finds what there is, and says why when there is nothing)."""
    if record_id is not None:
        if not record_id or "/" in record_id or "\0" in record_id or record_id.startswith("."):
            return None
        names = [record_id + SUFFIX]
    else:
        try:
            names = [name for name in os.listdir(folder) if name.endswith(SUFFIX) and not name.startswith(".")]
        except OSError:
            return None
    newest: tuple[dt.datetime, str] | None = None
    found = None
    for name in names:
        data = _draft(folder / name)
        if data is None:
            continue
        order = (data["updated"], data["id"])
        if newest is None or order > newest:
            newest, found = order, data
    if found is not None:
        found = {**found, "updated": found["updated"].isoformat()}
    return found


def _draft(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(read_regular(path, LIMIT)[0])
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or data.get("id") != path.name[:-len(SUFFIX)] or data.get("status") != "draft":
        return None
    try:
        updated = dt.datetime.fromisoformat(data["updated"])
    except (KeyError, TypeError, ValueError):
        return None
    if updated.tzinfo is None:
        return None
    return {**data, "updated": updated}
