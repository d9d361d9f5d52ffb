"""Start-up in one place: every entry paints from the compiled dialog (``rules.compiled``)
before the engine loads, and the engine, opened right after, shows the same screen."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from intake_tui.cli.tui import new_intake_app, resume_app
from intake_tui.engine.intake import Intake
from intake_tui.engine.store import Store
from intake_tui.i18n import Language
from intake_tui.paths import dialogs_dir
from intake_tui.rules import compiled, regions
from intake_tui.rules.regions import outline, region_ids
from intake_tui.tui.common import DEFAULT_SWITCH_INTERVAL

NL, EN = Language("nl"), Language("en")


@pytest.fixture
def rules(tmp_path, monkeypatch) -> Path:
    """A rules folder of our own (a copy of the shipped one), to edit."""
    folder = tmp_path / "rules"
    shutil.copytree(dialogs_dir(), folder)
    monkeypatch.setenv("INTAKE_DIALOGS", str(folder))
    return folder


def touched(path: Path) -> None:
    """A new modification time: the process's memory of the file is passed by, the cache is read."""
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000))


def cache_file(path: Path) -> Path:
    return compiled.cache_path(path, compiled.key_of(path.read_bytes()))


def new_args(store_dir, region: str = "liemers", pupil_ref: str | None = None) -> argparse.Namespace:
    return argparse.Namespace(region=region, store=str(store_dir), pupil_ref=pupil_ref, anonymous=False)


@pytest.fixture(autouse=True)
def _note_first_paint(monkeypatch):
    """What is on screen when the engine is opened: the first frame, before it."""
    from intake_tui.tui.intake_screen import IntakeScreen

    attach = IntakeScreen.attach

    def noting(screen, intake) -> None:
        if screen.intake is None and not hasattr(screen.app, "first_paint"):
            screen.app.first_paint = on_screen(screen)
        attach(screen, intake)

    monkeypatch.setattr(IntakeScreen, "attach", noting)


def on_screen(screen) -> tuple[list[str], str, str]:
    return ([str(w.render()) for w in screen.query(".message")], str(screen.query_one("#status").render()),
            screen.query_one("#answer").value)


async def first_and_after(app, answer: str | None = None):
    """The screen as first painted, and after the engine opened (and took ``answer``)."""
    async with app.run_test(size=(100, 32)) as pilot:
        await opened(pilot)
        screen = app.screen
        after = on_screen(screen)
        app.opened_at = screen.intake.session.number if screen.intake else None
        app.opened_id = screen.intake.session.record_id if screen.intake else None
        if answer is not None:
            screen.query_one("#answer").value = answer
            await pilot.press("enter")
            await pilot.pause()
            after = on_screen(app.screen)
        return app.first_paint, after


async def opened(pilot) -> None:
    """Until the engine, opened in a thread, is under the screen."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


# -- the cache ---------------------------------------------------------------------------------
def test_an_outline_is_compiled_once_and_kept_private(rules) -> None:
    made = outline("liemers")
    path = cache_file(rules / "liemers.toml")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert compiled.cached(rules / "liemers.toml", made.key) == made
    assert made.questions[made.start].prompt.startswith("Does the pupil need more support")


def test_an_edited_dialog_is_compiled_anew(rules) -> None:
    path = rules / "liemers.toml"
    before = outline("liemers")
    path.write_text(path.read_text().replace("Does the pupil need more support", "Does the child need more support"))
    after = outline("liemers")
    assert after.key != before.key
    assert after.questions[after.start].prompt.startswith("Does the child need more support")
    assert compiled.cached(path, after.key) == after  # kept beside the old one, which no key finds any more


@pytest.mark.parametrize("content", [b"{not json", b"[" * 100_000 + b"]" * 100_000, b'{"format": ' + b"9" * 5001 + b"}",
                                     b"\xff\xfe{", b"[]", b"fifo", b"another shape"])
def test_a_corrupt_cache_file_is_ignored_and_rewritten(rules, content) -> None:
    path = rules / "liemers.toml"
    good = outline("liemers")
    kept = cache_file(path)
    original = kept.read_bytes()
    kept.unlink()
    if content == b"fifo":
        os.mkfifo(kept, 0o600)  # would block a plain read forever
    elif content == b"another shape":  # the right key, a field of the wrong type
        data = json.loads(original)
        data["questions"][good.start]["left"] = "many"
        kept.write_bytes(json.dumps(data).encode())
    else:
        kept.write_bytes(content)
    if kept.is_file():
        kept.chmod(0o600)
    assert compiled.cached(path, good.key) is None
    touched(path)
    assert outline("liemers") == good
    assert kept.read_bytes() == original and stat.S_IMODE(kept.stat().st_mode) == 0o600


def test_a_cache_file_others_could_write_is_not_read_and_is_rewritten_at_0600(rules) -> None:
    path = rules / "liemers.toml"
    good = outline("liemers")
    kept = cache_file(path)
    data = json.loads(kept.read_bytes())
    data["questions"][good.start]["prompt"] = "Planted by someone else"
    kept.write_text(json.dumps(data))
    kept.chmod(0o644)
    assert compiled.cached(path, good.key) is None
    touched(path)
    assert outline("liemers") == good
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600 and "Planted" not in kept.read_text()


def test_a_cache_folder_open_to_others_is_neither_read_nor_written(rules) -> None:
    path = rules / "liemers.toml"
    good = outline("liemers")
    kept = cache_file(path)
    kept.parent.chmod(0o777)
    assert compiled.cached(path, good.key) is None
    kept.unlink()
    touched(path)
    assert outline("liemers") == good  # compiled from the dialog, not kept
    assert not kept.exists()


def test_two_program_versions_keep_their_own_outlines_side_by_side(rules, monkeypatch) -> None:
    path = rules / "liemers.toml"
    ours = outline("liemers")
    with monkeypatch.context() as other:
        other.setattr(compiled, "__version__", "9.9.9")
        touched(path)
        theirs = outline("liemers")
        assert theirs.key != ours.key and theirs.questions == ours.questions
        assert compiled.cached(path, theirs.key) == theirs
    assert compiled.cached(path, ours.key) == ours  # not written over by the other version
    assert len(list(kept_files(path))) == 2


def kept_files(path: Path):
    return compiled.cache_dir().glob(f"{path.stem}-*.json")


def test_a_dialog_that_does_not_load_is_never_kept(rules) -> None:
    path = rules / "liemers.toml"
    path.write_text(path.read_text().replace('start = "needs_exceed_basic"', 'start = "nowhere"'))
    from intake_tui.rules.dialog import DialogError

    with pytest.raises(DialogError):
        outline("liemers")
    assert not list(kept_files(path))


def test_intake_check_finds_its_rules_through_the_same_cache(rules, tmp_path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"needs_exceed_basic": False}))
    done = subprocess.run([sys.executable, "-m", "intake_tui", "check", "--region", "liemers", "--answers", str(answers)],
                          capture_output=True, text=True, timeout=120, env=os.environ)
    assert done.returncode == 0, done.stderr
    assert cache_file(rules / "liemers.toml").exists()


# -- every entry paints from it, and the engine agrees ---------------------------------------------
@pytest.mark.parametrize("region", region_ids())
def test_intake_new_paints_the_first_question_the_engine_then_shows(region, store_dir) -> None:
    app = new_intake_app(new_args(store_dir, region), NL)
    assert app.opening is not None and app.current is None
    first, after = asyncio.run(first_and_after(app))
    assert first == after and len(first[0]) == 1
    assert app.opened_at == 1
    assert sys.getswitchinterval() == DEFAULT_SWITCH_INTERVAL  # quick turns only while the engine loads


def test_the_intake_opened_under_the_first_question_takes_answers_and_is_saved(store_dir) -> None:
    app = new_intake_app(new_args(store_dir, pupil_ref="LL-7"), EN)
    _, after = asyncio.run(first_and_after(app, "yes"))
    assert after[0][-2] == "yes" and len(after[0]) == 3
    (saved,) = [json.loads(path.read_text()) for path in store_dir.glob("*.json")]
    assert saved["pupil_ref"] == "LL-7" and saved["answers"] == {"needs_exceed_basic": True}


def draft(store_dir, answers=(True, True)) -> str:
    intake = Intake.start("liemers", NL, Store(store_dir))
    for value in answers:
        intake.answer_value(value)
    intake.close()
    return intake.session.record_id


def test_intake_resume_paints_the_drafts_question_the_engine_then_shows(store_dir) -> None:
    record_id = draft(store_dir)
    app = resume_app(argparse.Namespace(store=str(store_dir), id=None), NL)
    assert app.opening is not None
    first, after = asyncio.run(first_and_after(app))
    assert first == after and len(first[0]) == 5 and "Vraag 3" in first[1]
    assert app.opened_id == record_id


def test_a_draft_file_that_says_otherwise_is_painted_over_by_the_engine(store_dir) -> None:
    record_id = draft(store_dir)
    path = store_dir / f"{record_id}.json"
    data = json.loads(path.read_text())
    data["path"] = data["path"][:1]  # the file's path disagrees with its answers
    path.write_text(json.dumps(data))
    first, after = asyncio.run(first_and_after(resume_app(argparse.Namespace(store=str(store_dir), id=None), NL)))
    assert first != after and len(after[0]) == 5


def test_a_draft_that_does_not_read_as_one_is_opened_by_the_engine_first(store_dir) -> None:
    record_id = draft(store_dir)
    path = store_dir / f"{record_id}.json"
    data = json.loads(path.read_text())
    data["answers"]["needs_exceed_basic"] = "perhaps"
    path.write_text(json.dumps(data))
    from intake_tui.cli.main import UsageError

    with pytest.raises(UsageError):  # the store refuses it, before any screen
        resume_app(argparse.Namespace(store=str(store_dir), id=record_id), NL)


def test_the_start_screen_lists_the_regions_from_their_outlines_then_the_drafts(store_dir) -> None:
    from intake_tui.tui.app import IntakeApp

    record_id = draft(store_dir)

    async def run():
        app = IntakeApp(NL, Store(store_dir), cursor_blink=False)
        async with app.run_test(size=(100, 32)) as pilot:
            await opened(pilot)
            options = app.screen.query_one("#start-list")
            return [options.get_option_at_index(i).id for i in range(options.option_count)]

    ids = asyncio.run(run())
    assert ids[:len(region_ids())] == [f"new:{region}" for region in region_ids()]
    assert f"resume:{record_id}" in ids


def test_a_refused_pupil_reference_ends_before_the_screen_and_stores_nothing(store_dir) -> None:
    from intake_tui.cli.main import UsageError

    with pytest.raises(UsageError):
        new_intake_app(new_args(store_dir, pupil_ref="Jan Jansen"), EN)
    assert not list(store_dir.glob("*.json"))


FIRST_PAINT = """
import argparse, asyncio, sys
from intake_tui.i18n import Language
from intake_tui.tui.intake_screen import IntakeScreen
from intake_tui.tui.start_screen import StartScreen
seen = {}
def note(screen, *args, **kwargs):
    seen['loaded'] = sorted(m for m in ('pydantic', 'transitions', 'hashlib') if m in sys.modules)
    screen.app.exit()
IntakeScreen.run_worker = note  # the engine would load now: after the first frame
StartScreen.run_worker = note
entry, store = sys.argv[1], sys.argv[2]
if entry == 'new':
    from intake_tui.cli.tui import new_intake_app
    app = new_intake_app(argparse.Namespace(region='berseba', store=store, pupil_ref=None, anonymous=False), Language('nl'))
elif entry == 'resume':
    from intake_tui.cli.tui import resume_app
    app = resume_app(argparse.Namespace(store=store, id=None), Language('nl'))
else:
    from intake_tui.cli.tui import _checked_store
    from intake_tui.tui.app import IntakeApp
    app = IntakeApp(Language('nl'), _checked_store(argparse.Namespace(store=store), Language('nl')))
async def run():
    async with app.run_test() as pilot:
        await pilot.pause()
asyncio.run(run())
print(seen.get('loaded'))
"""


@pytest.mark.parametrize("entry", ["start", "new", "resume"])
def test_the_first_paint_of_every_entry_imports_neither_pydantic_nor_transitions_nor_hashlib(entry, store_dir) -> None:
    """What makes the first paint quick, in a fresh process (the cache filled by an earlier start)."""
    draft(store_dir)
    for region in region_ids():  # as an earlier start left them (this process may remember them from another test)
        compiled.keep(regions.version_on(region).path, outline(region))
    done = subprocess.run([sys.executable, "-c", FIRST_PAINT, entry, str(store_dir)], capture_output=True, text=True,
                          env=os.environ, timeout=120)
    assert done.stdout.split() == ["[]"], done.stderr


def test_an_answer_given_before_the_engine_is_there_is_taken_when_it_is(store_dir, monkeypatch) -> None:
    import threading

    from intake_tui.tui.intake_screen import IntakeScreen

    gate = threading.Event()
    app = new_intake_app(new_args(store_dir), EN)
    view, opener = app.opening
    app.opening = (view, lambda: gate.wait(30) and opener())

    async def run():
        async with app.run_test(size=(100, 32)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, IntakeScreen) and app.screen.intake is None
            await pilot.press("y", "e", "s", "enter")  # typed and sent while the engine loads
            assert app.screen.query_one("#answer").value == "yes"
            gate.set()
            await opened(pilot)
            return on_screen(app.screen)

    messages, status, _ = asyncio.run(run())
    assert messages[1] == "yes" and len(messages) == 3 and status.startswith("Question 2")


def test_a_draft_open_elsewhere_ends_the_app_with_the_reason(store_dir) -> None:
    record_id = draft(store_dir)
    holder = Intake.resume(Store(store_dir), record_id)  # another window
    try:
        app = resume_app(argparse.Namespace(store=str(store_dir), id=None), EN)

        async def run():
            async with app.run_test(size=(100, 32)) as pilot:
                await opened(pilot)

        asyncio.run(run())
    finally:
        holder.close()
    assert app.return_code == 2
