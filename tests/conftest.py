from __future__ import annotations

import json
import os
import shutil
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """``-n auto``: one worker more than there are cores. A good part of the suite waits (on the browser, on the
    ``intake`` processes it starts, on PostgreSQL) with a core idle; on two cores three workers finish the suite
    in about 85 % of the time two take. PYTEST_XDIST_AUTO_NUM_WORKERS still decides when it is set."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None  # xdist's own hook reads it
    return len(os.sched_getaffinity(0)) + 1


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
    monkeypatch.delenv("INTAKE_LANG", raising=False)


@pytest.fixture
def schema():
    """A schema of its own in the local PostgreSQL server (see postgres_support)."""
    from .postgres_support import fresh_schema

    with fresh_schema() as name:
        yield name


@pytest.fixture
def rules_with_terms(tmp_path, monkeypatch):
    """The shipped rules with a dated follow-up on Liemers' arrangement (6 weeks, end of school year)."""
    from intake_tui.paths import dialogs_dir
    from intake_tui.rules import regions

    folder = tmp_path / "dialogs"
    shutil.copytree(dialogs_dir(), folder)
    text = (folder / "liemers.toml").read_text(encoding="utf-8")
    if "rule = \"6 weeks\"" not in text:  # the shipped Liemers terms are 4 weeks and the end of the school year
        text += textwrap.dedent("""
            [[outcomes.arrangement.terms]]
            text = "The OPP is evaluated with the parents."
            rule = "6 weeks"

            [[outcomes.arrangement.terms]]
            text = "The arrangement ends."
            rule = "end of school year"
            """)
    (folder / "liemers.toml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("INTAKE_DIALOGS", str(folder))
    regions.load_region.cache_clear()
    yield folder
    regions.load_region.cache_clear()
