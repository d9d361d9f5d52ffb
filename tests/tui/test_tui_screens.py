"""Every screen of the terminal UI at 80x24 and 120x40, through Pilot: one run per
kind of flow, with an SVG snapshot of each screen and the checks of issue 14
(what a consultant in a meeting must be able to see and do without a mouse)."""

from __future__ import annotations

import asyncio
import json

import pytest

from intake_tui.cli.main import main
from intake_tui.engine.intake import Intake
from intake_tui.engine.store import Store
from intake_tui.i18n import Language
from intake_tui.tui.app import IntakeApp

from ..tui_support import SIZES, row_of, screen_text, scrolled_still, settled, stable, toasts  # noqa: F401  (stable is a fixture)

NL = Language("nl")
QUIT = "^q Afsluiten"


async def assert_quit_key_shown(pilot) -> None:
    """The quit key and its label are on the footer (the last row), not cut off."""
    await settled(pilot)
    app = pilot.app
    assert QUIT in screen_text(app).splitlines()[-1], screen_text(app).splitlines()[-1]


async def type_in(pilot, text: str) -> None:
    pilot.app.focused.value = text
    await pilot.press("enter")
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
def test_intake_screens(size, store_dir, snapshot, stable) -> None:
    """Start → pupil reference → question (help open) → review → outcome → what if → quit."""
    store = Store(store_dir)
    earlier = Intake.start("liemers", NL, store, pupil_ref="LL-42")
    earlier.answer("ja")
    earlier.close()
    app = IntakeApp(NL, store, cursor_blink=False)

    async def run() -> None:
        async with app.run_test(size=SIZES[size]) as pilot:
            await pilot.pause()
            assert "LL-42" in screen_text(app)  # the start screen lists a draft with its reference
            await assert_quit_key_shown(pilot)
            snapshot.assert_match(app.export_screenshot(), "start.svg")

            await pilot.press("enter")  # the first region: Berséba
            await pilot.pause()
            assert type(app.screen).__name__ == "NewIntakeScreen"
            title = screen_text(app).splitlines()[0]  # the SWV by its name, never its region id
            assert "Nieuwe intake · Samenwerkingsverband Berséba" in title and "berseba" not in title
            await assert_quit_key_shown(pilot)
            await type_in(pilot, "BS-7")
            await type_in(pilot, "Piet de Vries")
            app.focused.value = "De Regenboog"
            snapshot.assert_match(app.export_screenshot(), "new-intake.svg")
            await pilot.press("enter")
            await pilot.pause()

            intake = app.current
            assert type(app.screen).__name__ == "IntakeScreen"
            assert (intake.session.pupil_ref, intake.session.consultant, intake.session.school) == (
                "BS-7", "Piet de Vries", "De Regenboog")
            title = screen_text(app).splitlines()[0]
            assert "Samenwerkingsverband Berséba" in title and "berseba" not in title  # the title keeps the SWV
            await assert_quit_key_shown(pilot)
            # The choices sit right below the question, not at the foot of an empty transcript.
            assert row_of(app, "1. Een TLV voor") - row_of(app, "Waar vraagt de school om?") <= 3
            snapshot.assert_match(app.export_screenshot(), "question.svg")

            await pilot.press("f1")
            await pilot.pause()
            text = screen_text(app)
            assert "Bron:" in text  # the source is on screen, not below the fold
            assert "toelaatbaarheidsverklarin\n" not in text
            side = app.screen.query_one("#side")
            assert side.region.width >= 48  # readable: no column of a few words (all 80 columns at 80x24)
            snapshot.assert_match(app.export_screenshot(), "help.svg")
            await pilot.press("escape")  # Escape closes the help first
            await pilot.pause()
            assert not app.screen.has_class("-side") and type(app.screen).__name__ == "IntakeScreen"

            await pilot.press("down", "enter")  # the second choice: an arrangement
            await pilot.pause()
            await pilot.press("ctrl+r")
            await pilot.pause()
            assert type(app.screen).__name__ == "ReviewScreen"
            await pilot.press("enter")  # change the first answer: its editor lists the choices
            await pilot.pause()
            assert "2. Een extra ondersteuningsarrangement" in str(app.screen.query_one("#edit-choices").render())
            await assert_quit_key_shown(pilot)
            snapshot.assert_match(app.export_screenshot(), "review.svg")
            await pilot.press("escape")  # ends the edit, nothing changed
            await pilot.pause()
            assert app.screen.editing is None and intake.session.answers["request"] == "arrangement"
            await pilot.press("escape")
            await pilot.pause()

            await type_in(pilot, "6")  # multiple disabilities: combine arrangements
            assert type(app.screen).__name__ == "OutcomeScreen"
            assert "Berséba" in screen_text(app).splitlines()[0]
            await assert_quit_key_shown(pilot)
            snapshot.assert_match(app.export_screenshot(), "outcome.svg")

            await pilot.press("w")
            await pilot.pause()
            await pilot.press("enter")  # the first answer
            await type_in(pilot, "1")  # what if a TLV had been asked?
            text = screen_text(app)
            assert "Wat als" in text and "De uitkomst verandert" in text
            await assert_quit_key_shown(pilot)
            snapshot.assert_match(app.export_screenshot(), "whatif.svg")
            await pilot.press("ctrl+q")

    asyncio.run(run())
    assert app.farewell == f"Intake opgeslagen in {store_dir}. Het verslag: intake export 20260115-test0001 --store {store_dir}"


@pytest.mark.parametrize("size", SIZES)
def test_quiz_screen(size, snapshot) -> None:
    """The score shows; a number key picks; the next case starts with nothing highlighted."""
    from intake_tui.rules.regions import load_region
    from intake_tui.teach.quiz import draw_cases, outcome_choices, verdict
    from intake_tui.tui.quiz_screen import QuizApp

    dialog = load_region("breda")
    cases = draw_cases(dialog, 7, 3)
    choices = [outcome_id for outcome_id, _ in outcome_choices(dialog, NL)]
    app = QuizApp(dialog, cases, NL)
    app.animation_level = "none"  # a scroll jumps: under load a smooth one stopped half way (36 -> 35.6) in one run of five

    async def run() -> None:
        async with app.run_test(size=SIZES[size]) as pilot:
            await pilot.pause()
            assert "Score: 0 van 0" in screen_text(app)
            await pilot.press("2")
            await scrolled_still(pilot)  # the verdict is scrolled into view after a refresh
            right = verdict(dialog, cases[0], choices[1], NL)[0]
            score = f"Score: {int(right)} van 1"
            assert row_of(app, score) == 1  # right under the title, whatever scrolls below
            await assert_quit_key_shown(pilot)
            snapshot.assert_match(app.export_screenshot(), "quiz.svg")
            await pilot.press("n")
            await pilot.pause()
            assert app.quiz.query_one("#choices").highlighted is None
            await pilot.press("enter")  # nothing picked yet: Enter does not repeat the last answer
            await pilot.pause()
            assert not app.quiz.answered

    asyncio.run(run())


@pytest.mark.parametrize("size", SIZES)
def test_training_screen(size, store_dir, snapshot, stable) -> None:
    """A fallback branch's own reason; nothing stored, so `intake list` shows no training."""
    from argparse import Namespace

    from intake_tui.cli.tui import new_intake_app

    app = new_intake_app(Namespace(region="berseba", store=str(store_dir)), NL, training=True)
    app.cursor_blink = False

    async def run() -> None:
        async with app.run_test(size=SIZES[size]) as pilot:
            await pilot.pause()
            await type_in(pilot, "2")  # an arrangement
            await type_in(pilot, "2")  # behaviour: the next question follows a fallback branch
            why = str(list(app.screen.query(".system"))[-1].render())  # why the current question comes now
            assert "Deze vraag volgt altijd op de vorige" not in why
            assert "Een arrangement voor gedrag" in why
            await assert_quit_key_shown(pilot)
            snapshot.assert_match(app.export_screenshot(), "training.svg")

    asyncio.run(run())
    assert not list(store_dir.glob("*.json")) if store_dir.exists() else True
    assert app.farewell == "Training: er is niets opgeslagen."


def test_what_if_scrolls_a_page_at_a_time_at_80x24(store_dir) -> None:
    intake = Intake.start("liemers", NL, Store(store_dir))
    for answer in ("ja", "ja", "ja", "ja", "ja", "ja", "13", "51", "ja", "2,5"):
        intake.answer(answer)
    assert intake.session.done
    app = IntakeApp(NL, intake.store, intake=intake, cursor_blink=False)

    async def run() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.press("w")
            await pilot.pause()
            await pilot.press("enter")
            await type_in(pilot, "nee")  # the first answer: every later question falls away
            box = app.screen.query_one("#comparison-box")
            assert box.region.height >= 8 and box.max_scroll_y > 0
            await pilot.press("pagedown")
            await pilot.pause()
            assert box.scroll_y >= box.region.height - 2  # a page, not a line

    asyncio.run(run())


def test_leaving_ctrl_c_escape_and_quit_say_where_the_draft_is(store_dir, stable) -> None:
    store = Store(store_dir)
    intake = Intake.start("liemers", NL, store)
    app = IntakeApp(NL, store, intake=intake, cursor_blink=False)

    async def run() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await type_in(pilot, "ja")
            await pilot.press("ctrl+c")
            await pilot.pause()
            assert toasts(app) == ["Druk op Ctrl+Q om af te sluiten."]
            app.clear_notifications()
            await pilot.press("escape")  # no help open: to the start screen, the draft stays
            await pilot.pause()
            assert type(app.screen).__name__ == "StartScreen"
            assert any("intake resume 20260115-test0000" in toast for toast in toasts(app))
            await pilot.press("ctrl+q")

    asyncio.run(run())
    assert app.farewell.startswith(f"Concept opgeslagen in {store_dir}. Verder met: intake resume 20260115-test0000")
    assert app.return_code in (0, None)


def test_review_change_is_said_beside_the_list_not_in_a_toast(store_dir) -> None:
    intake = Intake.start("liemers", NL, Store(store_dir))
    for answer in ("ja", "ja", "ja"):
        intake.answer(answer)
    app = IntakeApp(NL, intake.store, intake=intake, cursor_blink=False)

    async def run() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.press("ctrl+r")
            await pilot.pause()
            await pilot.press("down", "enter")
            await type_in(pilot, "ja")
            assert toasts(app) == []
            assert "Gewijzigd" in str(app.screen.query_one("#feedback").render())

    asyncio.run(run())


def test_help_scrolls_with_page_down_without_tab(store_dir) -> None:
    intake = Intake.start("berseba", NL, Store(store_dir))
    app = IntakeApp(NL, intake.store, intake=intake, cursor_blink=False)

    async def run() -> None:
        async with app.run_test(size=(80, 14)) as pilot:  # short: the help is longer than the panel
            await pilot.pause()
            await pilot.press("f1")
            await pilot.pause()
            side = app.screen.query_one("#side")
            assert side.max_scroll_y > 0 and app.focused.id == "answer"
            await pilot.press("pagedown")
            await pilot.pause()
            assert side.scroll_y > 1

    asyncio.run(run())


# -- starting an intake from the command line -----------------------------------------

@pytest.fixture
def no_screen(monkeypatch):
    """Fail if the terminal UI would open: these refusals come before the screen."""
    def refuse(self, *args, **kwargs):
        raise AssertionError("the screen was opened")

    monkeypatch.setattr("intake_tui.tui.app.IntakeApp.run", refuse)


def test_a_name_as_pupil_reference_is_refused_before_the_screen(store_dir, capsys, no_screen) -> None:
    assert main(["new", "--region", "liemers", "--pupil-ref", "Jan Jansen", "--store", str(store_dir)]) == 2
    assert "geen leerlingreferentie" in capsys.readouterr().err


def test_a_pupil_reference_for_an_anonymous_only_region_is_refused(store_dir, capsys, no_screen) -> None:
    assert main(["new", "--region", "utrecht", "--pupil-ref", "UT-1", "--store", str(store_dir)]) == 2
    assert "alleen geanonimiseerde" in capsys.readouterr().err


def test_region_names_are_read_without_case(capsys) -> None:
    assert main(["questions", "--region", "Meierij"]) == 0
    assert capsys.readouterr().out


def test_consultant_and_school_from_options_are_stored_and_remembered(store_dir, monkeypatch, tmp_path) -> None:
    from intake_tui.engine.settings import load_settings, settings_path

    opened = []
    monkeypatch.setattr("intake_tui.cli.tui._run", lambda app: opened.append(app) or 0)
    args = ["new", "--region", "liemers", "--store", str(store_dir), "--consultant", "Piet", "--school", "De Regenboog"]
    assert main(args) == 0
    assert load_settings().consultant == "Piet" and settings_path().stat().st_mode & 0o777 == 0o600
    assert main(["new", "--region", "liemers", "--store", str(store_dir)]) == 0  # asked once: remembered
    for app in opened:
        intake = app.first_intake or app.opening[1]()
        assert (intake.session.consultant, intake.session.school) == ("Piet", "De Regenboog")
        intake.close()


def test_list_shows_and_filters_by_pupil_reference(store_dir, capsys) -> None:
    store = Store(store_dir)
    for reference in ("LL-42", "LL-43", None):
        intake = Intake.start("liemers", NL, store, pupil_ref=reference)
        intake.answer("ja")
        intake.close()
    assert main(["list", "--store", str(store_dir)]) == 0
    out = capsys.readouterr().out
    assert "LL-42" in out and "LL-43" in out and "anoniem" in out
    assert main(["list", "--store", str(store_dir), "--pupil-ref", "ll-42"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1 and "LL-42" in lines[0]


def test_a_draft_starts_with_the_first_answer(store_dir) -> None:
    intake = Intake.start("liemers", NL, Store(store_dir))
    assert not list(store_dir.glob("*.json"))  # opening a region leaves no empty draft
    intake.answer("ja")
    saved = json.loads((store_dir / f"{intake.session.record_id}.json").read_text())
    assert saved["answers"] == {"needs_exceed_basic": True}
    intake.close()


def test_a_number_is_read_with_the_unit_it_is_echoed_with(store_dir) -> None:
    from intake_tui.words.display import answer_text

    intake = Intake.start("meierij", NL, Store(store_dir))
    intake.answer("ja")
    question = intake.dialog.questions[intake.session.question_id]
    assert question.unit and intake.session.question_id == "age_years"
    intake.answer("10 jaar")
    assert intake.session.answers["age_years"] == 10
    assert answer_text(question, 9, NL) == "9 jaar"
    intake.close()


def test_purge_reads_dutch_ages_and_dry_run_has_help(store_dir, capsys) -> None:
    assert main(["purge", "--older-than", "3jaar", "--dry-run", "--store", str(store_dir)]) == 0
    assert main(["purge", "--older-than", "18 maanden", "--dry-run", "--store", str(store_dir)]) == 0
    with pytest.raises(SystemExit):
        main(["purge", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "--dry-run" in help_text and "alleen tonen" in help_text.lower()
