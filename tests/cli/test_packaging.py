"""The wheel carries the dialogs and compiled catalogs; an installed `intake` finds them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from ..conftest import REPO


def test_wheel_contains_dialogs_and_catalogs(tmp_path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path), str(REPO)],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr
    wheel = next(tmp_path.glob("intake_tui-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
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
