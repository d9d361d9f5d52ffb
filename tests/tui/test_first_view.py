"""``intake new`` paints a remembered first question before the engine loads."""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys

import pytest

from intake_tui.tui import first_view
from intake_tui.words.i18n import Language
from intake_tui.rules.regions import region_ids
from intake_tui.tui.question_view import QuestionView
from intake_tui.cli.tui import new_intake_app


def new_args(store_dir, region: str = "liemers", pupil_ref: str | None = None) -> argparse.Namespace:
    return argparse.Namespace(region=region, store=str(store_dir), pupil_ref=pupil_ref, anonymous=False)


@pytest.fixture(autouse=True)
def _record_first_paint(monkeypatch):
    """Note what is on screen when the pending intake is opened: the first frame, before the engine."""
    from intake_tui.tui.intake_screen import IntakeScreen

    attach = IntakeScreen.attach

    def noting(screen) -> bool:
        if screen.intake is None and not hasattr(screen.app, "first_paint"):
            screen.app.first_paint = on_screen(screen)
        return attach(screen)

    monkeypatch.setattr(IntakeScreen, "attach", noting)


def on_screen(screen) -> tuple[list[str], str]:
    return [str(w.render()) for w in screen.query(".message")], str(screen.query_one("#status").render())


async def first_paint_and_answer(app, answer: str | None = None) -> tuple[list[str], str, list[str]]:
    """Messages and status as first painted (before the engine, if it was pending), then after it
    opened the intake (and took ``answer``)."""
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        screen = app.screen
        first = getattr(app, "first_paint", None) or on_screen(screen)
        app.opened_question_number = screen.intake.session.number if screen.intake else None
        if answer is not None:
            screen.query_one("#answer").value = answer
            await pilot.press("enter")
            await pilot.pause()
        return first[0], first[1], [str(w.render()) for w in app.screen.query(".message")]


@pytest.mark.parametrize("region", region_ids())
def test_a_new_intake_remembers_its_first_question_and_paints_it_next_time(region, store_dir) -> None:
    lang = Language("nl")
    app = new_intake_app(new_args(store_dir, region), lang)
    assert app.pending is None  # nothing remembered yet: the engine paints the first question
    engine_messages, engine_status, _ = asyncio.run(first_paint_and_answer(app))
    remembered = first_view.remembered(region, "nl")
    assert remembered is not None and "pupil" not in json.dumps(remembered)

    app = new_intake_app(new_args(store_dir, region), lang)
    assert app.pending is not None and app.current is None  # painted from memory, the engine follows
    messages, status, after = asyncio.run(first_paint_and_answer(app))
    assert (messages, status) == (engine_messages, engine_status)
    assert after == messages
    assert app.opened_question_number == 1


def test_the_intake_opened_under_the_remembered_question_takes_answers_and_is_saved(store_dir) -> None:
    asyncio.run(first_paint_and_answer(new_intake_app(new_args(store_dir), Language("en"))))
    app = new_intake_app(new_args(store_dir, pupil_ref="LL-7"), Language("en"))
    assert app.pending is not None
    _, _, after = asyncio.run(first_paint_and_answer(app, "yes"))
    assert after[-2] == "yes" and len(after) == 3
    records = sorted(store_dir.glob("*.json"))
    saved = [json.loads(path.read_text()) for path in records]
    (ours,) = [record for record in saved if record["pupil_ref"] == "LL-7"]
    assert len(saved) == 1 and ours["answers"] == {"needs_exceed_basic": True}  # the first, unanswered, left no draft


def test_a_remembered_question_that_differs_is_painted_over_and_remembered_anew(store_dir) -> None:
    asyncio.run(first_paint_and_answer(new_intake_app(new_args(store_dir), Language("en"))))
    data = first_view.remembered("liemers", "en")
    first_view.remember("liemers", "en", {**data, "said": [["An old wording of the question", "assistant"]]})
    app = new_intake_app(new_args(store_dir), Language("en"))
    messages, _, after = asyncio.run(first_paint_and_answer(app))
    assert messages == ["An old wording of the question"]
    assert after != messages and len(after) == 1
    assert first_view.remembered("liemers", "en") == data


@pytest.mark.parametrize("content", ["{not json", '{"key": "x", "view": {}}', "[]"])
def test_an_unusable_cache_file_means_the_engine_paints(store_dir, content) -> None:
    asyncio.run(first_paint_and_answer(new_intake_app(new_args(store_dir), Language("en"))))
    path = first_view._path("liemers", "en")
    key = json.loads(path.read_text())["key"]
    path.write_text(content if content != '{"key": "x", "view": {}}' else json.dumps({"key": key, "view": {"title": 1}}))
    assert new_intake_app(new_args(store_dir), Language("en")).pending is None


@pytest.mark.parametrize("content", ["[" * 100_000 + "]" * 100_000, '{"key": ' + "9" * 5001 + "}", b"\xff\xfe{", "fifo"])
def test_a_corrupt_or_deeply_nested_cache_file_is_ignored_and_rewritten(store_dir, content) -> None:
    """Issue 17 item 9: a deeply nested cache made ``intake new`` fail with RecursionError."""
    import os

    asyncio.run(first_paint_and_answer(new_intake_app(new_args(store_dir), Language("en"))))
    path = first_view._path("liemers", "en")
    good = json.loads(path.read_text())
    path.unlink()
    if content == "fifo":
        os.mkfifo(path)  # would block a plain read forever
    elif isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    assert first_view.remembered("liemers", "en") is None
    app = new_intake_app(new_args(store_dir), Language("en"))
    assert app.pending is None  # the engine paints
    asyncio.run(first_paint_and_answer(app))
    assert json.loads(path.read_text()) == good  # and the cache is written anew
    assert first_view.remembered("liemers", "en") == good["view"]


def test_the_key_changes_with_the_dialog_and_the_catalog(monkeypatch, tmp_path) -> None:
    before = first_view._key("liemers", "nl")
    assert before == first_view._key("liemers", "nl") != first_view._key("liemers", "en")
    dialogs = tmp_path / "dialogs"
    dialogs.mkdir()
    from intake_tui.paths import dialogs_dir

    (dialogs / "liemers.toml").write_bytes((dialogs_dir() / "liemers.toml").read_bytes() + b"\n# edited\n")
    monkeypatch.setattr(first_view, "dialogs_dir", lambda: dialogs)
    assert first_view._key("liemers", "nl") not in (None, before)


def test_a_refused_pupil_reference_ends_before_the_screen_and_stores_nothing(store_dir) -> None:
    asyncio.run(first_paint_and_answer(new_intake_app(new_args(store_dir), Language("en"))))
    existing = sorted(store_dir.glob("*.json"))
    from intake_tui.cli.main import UsageError

    with pytest.raises(UsageError):  # refused before the screen opens
        new_intake_app(new_args(store_dir, pupil_ref="Jan Jansen"), Language("en"))
    assert sorted(store_dir.glob("*.json")) == existing


def test_view_data_round_trip() -> None:
    view = QuestionView("t", "s", (("q", "assistant"),), (("a", "1. A"),), "st", "h", "", "p", "")
    assert QuestionView.from_data(json.loads(json.dumps(view.to_data()))) == view
    assert QuestionView.from_data({"title": "t"}) is None


def test_painting_the_first_question_imports_neither_pydantic_nor_transitions(tmp_path) -> None:
    """What makes the first paint quick: checked in a fresh process."""
    env_setup = (
        "import argparse, asyncio, sys\n"
        "from intake_tui.words.i18n import Language\n"
        "from intake_tui.cli.tui import new_intake_app\n"
        "from intake_tui.tui.intake_screen import IntakeScreen\n"
        "args = argparse.Namespace(region='liemers', store=sys.argv[1], pupil_ref=None, anonymous=False)\n"
        "seen = {}\n"
        "def attach(screen):\n"
        "    seen['loaded'] = [m for m in ('pydantic', 'transitions') if m in sys.modules]\n"
        "    screen.app.exit()\n"
        "    return False\n"
        "IntakeScreen.attach = attach\n"
        "app = new_intake_app(args, Language('nl'))\n"
        "print(app.pending is not None)\n"
        "async def run():\n"
        "    async with app.run_test() as pilot:\n"
        "        await pilot.pause()\n"
        "asyncio.run(run())\n"
        "print(seen.get('loaded'))\n"
    )
    env = {**__import__("os").environ, "INTAKE_CACHE": str(tmp_path / "cache")}
    store = str(tmp_path / "store")
    first = subprocess.run([sys.executable, "-c", env_setup, store], capture_output=True, text=True, env=env, timeout=120)
    assert first.stdout.split() == ["False", "None"], first.stderr  # nothing remembered: the engine painted
    second = subprocess.run([sys.executable, "-c", env_setup, store], capture_output=True, text=True, env=env, timeout=120)
    assert second.stdout.split() == ["True", "[]"], second.stderr
