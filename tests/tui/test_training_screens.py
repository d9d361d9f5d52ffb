"""The training screens: the map and the reasons of training mode, what-if and the quiz, through Pilot."""

from __future__ import annotations

import asyncio

import pytest

from intake_tui.engine.intake import Intake
from intake_tui.engine.store import Store
from intake_tui.i18n import Language
from intake_tui.rules.regions import load_region
from intake_tui.tui.app import IntakeApp

from ..tui_support import scrolled_still, settled, stable, type_answer  # noqa: F401  (stable is a fixture)

pytestmark = pytest.mark.usefixtures("stable")


def test_training_screen_shows_why_and_map(store_dir, snapshot) -> None:
    async def run():
        store = Store(store_dir)
        intake = Intake.start("liemers", Language("en"), store)
        app = IntakeApp(Language("en"), store, intake=intake, cursor_blink=False, training=True)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            await type_answer(pilot, "ja")
            texts = [str(w.render()) for w in app.screen.query(".system")]
            assert any("comes now because" in text or "always follows" in text for text in texts)
            map_text = str(app.screen.query_one("#map").render())
            # Questions and outcomes by their names, never their ids.
            assert "✔ Need beyond basic support" in map_text and "▶ Ambulant begeleider involved" in map_text  # questions by their short names
            assert "needs_exceed_basic" not in map_text and "ab_involved" not in map_text
            assert "Basic support" not in map_text.split("Outcomes still open")[1]
            await settled(pilot)
            snapshot.assert_match(app.export_screenshot(), "training.svg")
            await type_answer(pilot, "ja")  # the next question comes on a condition: ab_involved
            texts = [str(w.render()) for w in app.screen.query(".system")]
            assert not any("Rule:" in text for text in texts)  # conditions only when the trainer asks
            await pilot.press("f2")
            await pilot.pause()
            texts = [str(w.render()) for w in app.screen.query(".system")]
            assert any("Rule: ab_involved" in text for text in texts)

    asyncio.run(run())


def test_what_if_screen(store_dir) -> None:
    async def run():
        store = Store(store_dir)
        intake = Intake.start("liemers", Language("en"), store)
        app = IntakeApp(Language("en"), store, intake=intake, cursor_blink=False)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            for answer in ("ja", "ja", "ja", "ja", "ja", "ja", "8", "50", "ja", "2"):
                await type_answer(pilot, answer)
            assert type(app.screen).__name__ == "OutcomeScreen"
            await pilot.press("w")
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
            app.screen.query_one("#edit").value = ""
            await pilot.press(*"nee", "enter")
            await pilot.pause()
            text = app.screen.comparison_text
            assert "The outcome changes." in text
            assert intake.session.answers["needs_exceed_basic"] is True  # the intake itself is unchanged

    asyncio.run(run())


def test_quiz_screen_scores_and_explains(snapshot) -> None:
    from intake_tui.teach.quiz import draw_cases, outcome_choices
    from intake_tui.tui.quiz_screen import QuizApp

    dialog = load_region("liemers")
    cases = draw_cases(dialog, 5, 3)
    choices = [outcome_id for outcome_id, _ in outcome_choices(dialog, Language("en"))]

    async def run():
        app = QuizApp(dialog, cases, Language("en"))
        app.animation_level = "none"  # a scroll jumps: under load a smooth one stopped half way (36 -> 35.6) in one run of five
        async with app.run_test(size=(100, 40)) as pilot:
            await pilot.pause()
            screen = app.quiz
            for number, case in enumerate(cases):
                # Right for the first case, then wrong on purpose.
                wanted = case.outcome if number == 0 else next(o for o in choices if o != case.outcome)
                screen.query_one("#choices").highlighted = choices.index(wanted)
                await pilot.press("enter")
                await pilot.pause()
                verdict = str(screen.query_one("#verdict").render())
                assert ("Right!" in verdict) == (number == 0)
                assert "Where the path went:" in verdict
                if number == 0:
                    await settled(pilot)
                    await scrolled_still(pilot)
                    snapshot.assert_match(app.export_screenshot(), "quiz-verdict.svg")
                await pilot.press("n")
                await pilot.pause()
            assert screen.score == 1
            assert "Score: 1 of 3" in str(screen.query_one("#status").render())

    asyncio.run(run())
