"""The Textual intake, driven end to end through Pilot."""

from __future__ import annotations

import asyncio
import json

import pytest

from intake_tui.check.pipeline import check_answers
from intake_tui.engine.intake import Intake
from intake_tui.engine.store import Store
from intake_tui.i18n import Language
from intake_tui.rules.path_cases import path_cases
from intake_tui.rules.regions import load_region, region_ids
from intake_tui.tui.app import IntakeApp
from intake_tui.words.display import transcript

from ..tui_support import settled, stable, type_answer  # noqa: F401  (stable is a fixture)

pytestmark = pytest.mark.usefixtures("stable")

def typed(question, value) -> str:
    """An answer as a consultant would type it."""
    if question.type == "bool":
        return "ja" if value else "nee"
    if question.type == "number":
        return str(value).replace(".", ",")
    if question.type == "choices":
        return ", ".join(value) if value else "geen"
    return str(value)


def answer_kinds(dialog, case) -> set[str]:
    """The kinds of typing a case asks: yes and no, a whole or a decimal number (typed with a
    comma), one choice, and a multiple choice answered with none, one or several."""
    kinds = set()
    for fact, value in case.answers.items():
        kind = dialog.questions[fact].type
        if kind == "bool":
            kinds.add("yes" if value else "no")
        elif kind in ("int", "number"):
            kinds.add("decimal" if isinstance(value, float) and value != int(value) else "whole number")
        elif kind == "choices":
            kinds.add("choices: " + ("none" if not value else "one" if len(value) == 1 else "several"))
        else:
            kinds.add(kind)
    return kinds


def one_case_per_kind_of_answer():
    """As few typed runs as cover every kind of answer any shipped dialog asks (shortest first);
    the engine tests (tests/engine/test_scenarios.py, tests/teach/test_paths.py) pin every outcome."""
    pool = []
    for region in region_ids():
        dialog = load_region(region)
        pool += [(region, case, answer_kinds(dialog, case)) for case in path_cases(dialog) if case.feasible]
    wanted = set().union(*(kinds for _, _, kinds in pool))
    chosen = []
    while wanted:
        region, case, kinds = max(pool, key=lambda item: (len(item[2] & wanted), -len(item[1].answers)))
        chosen.append((region, case))
        wanted -= kinds
    return chosen


def messages(app) -> list[str]:
    return [str(widget.render()) for widget in app.screen.query(".message")]


def make_app(store_dir, region: str, lang: str = "en", training: bool = False):
    store = Store(store_dir)
    intake = Intake.start(region, Language(lang), store)
    return IntakeApp(Language(lang), store, intake=intake, cursor_blink=False, training=training), intake


def test_every_kind_of_answer_typed_end_to_end(store_dir) -> None:
    """Typed as a consultant would (yes/no, numbers with a decimal comma, a choice,
    none/one/several of a multiple choice), each run reaches its outcome screen and is saved
    complete with the typed answers. One run per kind of answer, not per outcome: which outcome
    the answers give is the engine's, pinned by the scenarios and the path snapshots."""
    runs = one_case_per_kind_of_answer()
    assert len(runs) <= 4, "a few typed runs cover every kind of answer"

    async def run(region, case) -> None:
        dialog = load_region(region)
        app, intake = make_app(store_dir / region / case.outcome, region)
        async with app.run_test(size=(100, 32)) as pilot:
            await pilot.pause()
            for fact, value in case.answers.items():
                assert intake.session.question_id == fact
                await type_answer(pilot, typed(dialog.questions[fact], value))
            assert type(app.screen).__name__ == "OutcomeScreen"
            record = intake.save()
            expected = check_answers(dialog, case.answers, Language("en"))["recommendation"]
            assert record.status == "complete"
            assert record.recommendation.route == expected["route"]
            assert record.recommendation.outcome == case.outcome
        saved = json.loads((store_dir / region / case.outcome / f"{record.id}.json").read_text())
        assert saved["status"] == "complete" and saved["answers"] == json.loads(json.dumps(case.answers))

    for region, case in runs:
        asyncio.run(run(region, case))


def test_bad_answer_gets_a_message_and_the_question_stays(store_dir) -> None:
    async def run():
        app, intake = make_app(store_dir, "liemers", lang="nl")
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await type_answer(pilot, "misschien", keystrokes=True)
            feedback = str(app.screen.query_one("#feedback").render())
            assert "ja/nee" in feedback
            assert intake.session.question_id == "needs_exceed_basic"
            assert intake.session.answers == {}
            await type_answer(pilot, "j")
            assert intake.session.question_id != "needs_exceed_basic"
            assert str(app.screen.query_one("#feedback").render()) == ""

    asyncio.run(run())


def test_back_keeps_later_answers_as_defaults(store_dir) -> None:
    async def run():
        app, intake = make_app(store_dir, "liemers")
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await type_answer(pilot, "ja")
            await type_answer(pilot, "ja")
            second = intake.session.history[-1]
            await pilot.press("ctrl+b")
            await pilot.pause()
            assert intake.session.question_id == second
            assert app.screen.query_one("#answer").value == "yes"
            await type_answer(pilot, "/back")
            assert intake.session.question_id == "needs_exceed_basic"
            assert "ab_involved" in intake.session.answers

    asyncio.run(run())


def test_review_changes_an_answer_and_says_what_was_dropped(store_dir) -> None:
    async def run():
        app, intake = make_app(store_dir, "liemers")
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            for answer in ("ja", "ja", "ja"):
                await type_answer(pilot, answer)
            await pilot.press("ctrl+r")
            await pilot.pause()
            assert type(app.screen).__name__ == "ReviewScreen"
            await pilot.press("enter")  # the first answer
            await pilot.pause()
            edit = app.screen.query_one("#edit")
            edit.value = ""
            await pilot.press(*"nee", "enter")
            await pilot.pause()
            feedback = str(app.screen.query_one("#feedback").render())
            assert "removed" in feedback
            assert intake.session.done and intake.session.state == "basis"
            assert list(intake.session.answers) == ["needs_exceed_basic"]

    asyncio.run(run())


def test_choice_by_arrow_keys(store_dir) -> None:
    region = next(r for r in region_ids() if any(q.type == "choice" for q in load_region(r).questions.values()))
    dialog = load_region(region)

    async def run():
        app, intake = make_app(store_dir, region)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            for _ in range(40):
                question = dialog.questions[intake.session.question_id]
                if question.type == "choice":
                    break
                await type_answer(pilot, "ja" if question.type == "bool" else str(int(question.max or 10)))
            else:
                pytest.skip("no choice question on the first path")
            fact = intake.session.question_id
            await pilot.press("down", "enter")
            await pilot.pause()
            assert intake.session.answers[fact] == question.choices[1].value

    asyncio.run(run())


def test_resume_shows_the_transcript_and_continues_at_the_next_question(store_dir) -> None:
    store = Store(store_dir)
    first = Intake.start("liemers", Language("en"), store)
    first.answer("ja")
    first.answer("ja")
    waiting_at = first.session.question_id
    record_id = first.session.record_id
    first.close()  # as after a crash: the file on disk is all there is

    async def run():
        intake = Intake.resume(store, None)
        app = IntakeApp(Language("en"), store, intake=intake, cursor_blink=False)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert intake.session.record_id == record_id
            assert intake.session.question_id == waiting_at
            assert messages(app)[:4] == [
                transcript(first)[0].question, "yes", transcript(first)[1].question, "yes",
            ]

    asyncio.run(run())


def test_start_screen_lists_regions_drafts_and_unreadable_files(store_dir, snapshot) -> None:
    store = Store(store_dir)
    draft = Intake.start("breda", Language("en"), store)
    draft.answer(typed(draft.dialog.questions[draft.session.question_id], 2))  # a draft starts with its first answer
    draft.close()
    store.ensure()
    (store_dir / "broken.json").write_text("{not json")

    async def run():
        app = IntakeApp(Language("en"), store, cursor_blink=False)
        async with app.run_test(size=(100, 24)) as pilot:
            await settled(pilot)  # the footer fills in its keys after the first frame
            texts = [str(option.prompt) for option in app.screen.query_one("#start-list").options]
            assert any("breda" in text and "Resume" in text for text in texts)
            # where the file breaks, in words: never the parser's own (English, technical) message
            assert any("Unreadable: broken.json — not valid JSON (line 1, column 2)" in text for text in texts)
            assert not any("Expecting" in text or "Error" in text for text in texts)
            assert sum("New intake" in text for text in texts) == len(region_ids())
            snapshot.assert_match(app.export_screenshot(), "start.svg")

    asyncio.run(run())


def test_start_screen_lists_the_newest_records_and_says_where_the_rest_are(store_dir) -> None:
    """Issue 18: the start screen reads a page through the store's listing, not every record."""
    import datetime as dt

    from intake_tui.tui.start_screen import START_LIST

    from ..engine.test_store import T0, make_record

    store = Store(store_dir)
    for number in range(START_LIST + 2):
        store.save(make_record(f"20250901-many{number:03d}", updated=T0 + dt.timedelta(minutes=number)))

    async def run():
        app = IntakeApp(Language("en"), store, cursor_blink=False)
        async with app.run_test(size=(100, 24)) as pilot:
            await settled(pilot)
            texts = [str(option.prompt) for option in app.screen.query_one("#start-list").options]
            records = [text for text in texts if "20250901-many" in text]
            assert len(records) == START_LIST
            assert f"20250901-many{START_LIST + 1:03d}" in records[0] and "20250901-many001" not in " ".join(records)
            assert texts[-1] == f"Only the newest {START_LIST} records are shown here; 'intake list' shows them all"

    asyncio.run(run())


def test_transcript_snapshot(store_dir, snapshot) -> None:
    dialog = load_region("liemers")
    case = next(c for c in path_cases(dialog) if c.feasible and c.outcome == "arrangement")

    async def run():
        app, intake = make_app(store_dir, "liemers", lang="nl")
        async with app.run_test(size=(100, 40)) as pilot:
            await pilot.pause()
            answers = list(case.answers.items())
            for fact, value in answers[:-1]:
                await type_answer(pilot, typed(dialog.questions[fact], value))
            snapshot.assert_match("\n".join(messages(app)) + "\n", "transcript-nl.txt")

    asyncio.run(run())


def test_a_finished_intake_opens_on_its_outcome_without_a_conversation_screen(store_dir, monkeypatch) -> None:
    """After a review change that finishes the intake (or opening a complete record),
    the outcome is shown straight away: a conversation screen that mounted only to be
    replaced at once crashed in a real terminal (its Header set its title when it was gone)."""
    from intake_tui.tui.intake_screen import IntakeScreen

    app, intake = make_app(store_dir, "meierij", lang="nl")
    mounted = []
    original = IntakeScreen.on_mount
    monkeypatch.setattr(IntakeScreen, "on_mount", lambda screen: (mounted.append(screen), original(screen))[1])

    async def run() -> str:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            for text in ("ja", "8"):
                await type_answer(pilot, text)
                await pilot.pause()
            await pilot.press("ctrl+r")
            await pilot.pause()
            await pilot.press("enter")  # the first answer
            app.screen.query_one("#edit").value = "nee"
            await pilot.press("enter")
            await pilot.pause()
            await pilot.press("escape")
            await pilot.pause()
            return type(app.screen).__name__

    assert asyncio.run(run()) == "OutcomeScreen"
    assert len(mounted) == 1  # only the first conversation screen, none on the way back
