"""The wheel carries the dialogs and compiled catalogs; an installed `intake` finds them."""

from __future__ import annotations

import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from ..conftest import REPO


def wheel_files(folder: Path) -> set[str]:
    """The files of a wheel of this checkout: those pip installed from it where it was installed so (not
    editable, as CI installs it: the wheel pip built from these files), else a wheel built now."""
    try:
        installed = importlib.metadata.distribution("intake-tui")
        origin = json.loads(installed.read_text("direct_url.json") or "{}")
    except importlib.metadata.PackageNotFoundError:
        origin = {}
    if origin.get("url") == REPO.as_uri() and not origin.get("dir_info", {}).get("editable") and installed.files:
        return {file.as_posix() for file in installed.files}
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(folder), str(REPO)],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr
    wheel = next(folder.glob("intake_tui-*.whl"))
    return set(zipfile.ZipFile(wheel).namelist())


def test_wheel_contains_dialogs_and_catalogs(tmp_path) -> None:
    names = wheel_files(tmp_path)
    for dialog in (REPO / "dialogs").glob("*.toml"):
        assert f"intake_tui/_data/dialogs/{dialog.name}" in names
    for lang in ("nl", "en"):
        assert f"intake_tui/_data/locales/{lang}/LC_MESSAGES/messages.mo" in names
    assert "intake_tui/tui/intake.tcss" in names
    assert any(name.endswith("entry_points.txt") for name in names)


def test_installed_command_runs_from_another_folder(tmp_path) -> None:
    intake = shutil.which("intake", path=str(Path(sys.executable).parent)) or shutil.which("intake")
    assert intake, "the intake console script is not installed"
    environment = {**os.environ, "LANG": "C.UTF-8"}
    result = subprocess.run([intake, "regions"], cwd=tmp_path, capture_output=True, text=True, timeout=120, env=environment)
    assert result.returncode == 0, result.stderr
    for region in ("liemers", "breda", "berseba", "meierij", "utrecht"):
        assert region in result.stdout
    dutch = subprocess.run([intake, "regions", "--lang", "nl"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert "geldig vanaf" in dutch.stdout
