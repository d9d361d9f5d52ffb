from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def shared_dir() -> Path:
    """The shared folder beside the checkout (CI clones main with shared/ beside it)."""
    configured = os.environ.get("INTAKE_SHARED")
    return Path(configured) if configured else REPO.parent / "shared"


def scenario_files() -> list[Path]:
    folder = shared_dir() / "scenarios"
    files = sorted(folder.glob("*.json"))
    if not files:
        raise RuntimeError(f"no scenarios found in {folder}: the acceptance cases must run")
    return files


def case_files() -> list[Path]:
    return sorted((REPO / "tests" / "cases").glob("*/*.json"))


def load_json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    return tmp_path / "store"


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch, tmp_path):
    # Never touch a real user's store; default language Dutch unless a test says otherwise.
    monkeypatch.setenv("INTAKE_STORE", str(tmp_path / "default-store"))
    monkeypatch.setenv("INTAKE_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("INTAKE_CONFIG", str(tmp_path / "config"))
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
