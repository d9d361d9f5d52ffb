"""The interactive Session on the tiny test dialog."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from intake_tui.engine.record import IntakeRecord, parse_record
from intake_tui.engine.session import Session
from intake_tui.i18n import Language
from intake_tui.rules.answers import AnswerError
from intake_tui.rules.candidates import candidate_values
from intake_tui.rules.loader import load_dialog
from intake_tui.rules.path_cases import path_cases
from intake_tui.rules.walk import walk

TINY = Path(__file__).resolve().parents[1] / "fixtures" / "tiny.toml"
DIALOG = load_dialog(TINY)
EN = Language("en")


@pytest.fixture
def session():
    def make(**kwargs) -> Session:
        return Session(DIALOG, kwargs.pop("lang", EN), **kwargs)

    return make


def answer_all(s: Session, *texts: str) -> None:
    for text in texts:
        s.answer_text(text)


HEAVY_ARRANGEMENT = ("ja", "8", "home, school", "heavy", "5")


# -- answering ------------------------------------------------------------------------
def test_starts_at_the_first_question(session) -> None:
    s = session()
    assert s.state == "needs_exceed_basic"
    assert s.question_id == "needs_exceed_basic"
    assert s.number == 1
    assert not s.done
    assert s.recommendation() is None
    assert s.default is None
    assert s.arrival() is None


def test_answering_moves_along_the_path(session) -> None:
    s = session()
    seen = []
    for text in HEAVY_ARRANGEMENT:
        seen.append(s.question_id)
        change = s.answer_text(text)
        assert change.dropped == []
    assert seen == ["needs_exceed_basic", "hgw_months", "milieus", "kind", "hours"]
    assert s.done
    assert s.state == "arrangement"
    assert s.question_id is None
    assert s.answers == {"needs_exceed_basic": True, "hgw_months": 8, "milieus": ["home", "school"], "kind": "heavy", "hours": 5}
    assert s.history == ["needs_exceed_basic", "hgw_months", "milieus", "kind", "hours"]
    # The decision node was passed through on the way.
    assert [step.source for step in s.steps] == [*s.history, "gate"]
    assert s.arrival().source == "gate"


def test_answer_value(session) -> None:
    s = session()
    s.answer_value(True)
    s.answer_value(6)
    s.answer_value(["school", "home"])
    assert s.answers == {"needs_exceed_basic": True, "hgw_months": 6, "milieus": ["home", "school"]}
    assert s.state == "kind"


def test_no_means_basis_at_once(session) -> None:
    s = session()
    s.answer_text("nee")
    assert s.done
    assert s.state == "basis"
    assert s.recommendation().route == "basis"
    with pytest.raises(RuntimeError):
        s.answer_text("ja")


@pytest.mark.parametrize(("question_answers", "bad"), [((), "misschien"), (("ja",), "zes"), (("ja",), "121"), (("ja", "6"), "garden"), (("ja", "6", "1"), "medium")])
def test_refused_answer_changes_nothing(session, question_answers, bad) -> None:
    s = session()
    answer_all(s, *question_answers)
    before = (s.state, dict(s.answers), dict(s.known), list(s.history), list(s.steps), s.questions_left)
    with pytest.raises(AnswerError):
        s.answer_text(bad)
    assert (s.state, s.answers, s.known, s.history, s.steps, s.questions_left) == before


def test_questions_left_decreases(session) -> None:
    s = session()
    left = [s.questions_left]
    for text in HEAVY_ARRANGEMENT:
        s.answer_text(text)
        left.append(s.questions_left)
    assert left == [5, 4, 3, 2, 1, 0]


def test_questions_left_is_an_upper_bound(session) -> None:
    s = session()
    answer_all(s, "ja", "8", "1,2")
    assert s.questions_left == 2  # kind, and hours if heavy
    s.answer_text("light")
    assert s.questions_left == 0
    assert s.done


# -- back -----------------------------------------------------------------------------------
def test_back_keeps_later_answers_as_defaults(session) -> None:
    s = session()
    answer_all(s, *HEAVY_ARRANGEMENT)
    assert s.back() is True
    assert s.state == "hours"
    assert s.default == 5
    assert s.back() is True
    assert s.back() is True
    assert s.state == "milieus"
    assert s.default == ["home", "school"]
    assert s.history == ["needs_exceed_basic", "hgw_months"]
    assert "milieus" not in s.known
    # Every answer is still there to be offered again.
    assert s.answers == {"needs_exceed_basic": True, "hgw_months": 8, "milieus": ["home", "school"], "kind": "heavy", "hours": 5}
    assert [step.source for step in s.steps] == ["needs_exceed_basic", "hgw_months"]
    assert s.questions_left == 3


def test_back_at_the_start_does_nothing(session) -> None:
    s = session()
    assert s.back() is False
    assert s.state == "needs_exceed_basic"


def test_back_then_answer_again_continues(session) -> None:
    s = session()
    answer_all(s, *HEAVY_ARRANGEMENT)
    s.back()
    s.back()  # at kind
    assert s.default == "heavy"
    change = s.answer_text("light")
    assert s.state == "arrangement"
    assert change.dropped == ["hours"]
    assert "hours" not in s.answers
    assert s.recommendation().hours_per_week is None


def test_back_from_an_outcome_reached_through_a_decision(session) -> None:
    s = session()
    answer_all(s, "ja", "2", "geen", "light")
    assert s.state == "not_yet"
    assert s.back()
    assert s.state == "kind"
    assert [step.source for step in s.steps] == ["needs_exceed_basic", "hgw_months", "milieus"]


# -- change ----------------------------------------------------------------------------------------
def test_change_keeps_what_is_still_on_the_path(session) -> None:
    s = session()
    answer_all(s, *HEAVY_ARRANGEMENT)
    change = s.change("hgw_months", text="3")
    assert change.dropped == []
    assert s.state == "not_yet"
    assert s.answers["hgw_months"] == 3
    assert s.answers["hours"] == 5
    assert s.history == ["needs_exceed_basic", "hgw_months", "milieus", "kind", "hours"]


def test_change_returns_the_dropped_facts(session) -> None:
    s = session()
    answer_all(s, *HEAVY_ARRANGEMENT)
    change = s.change("kind", text="light")
    assert change.dropped == ["hours"]
    assert s.state == "arrangement"
    assert s.answers == {"needs_exceed_basic": True, "hgw_months": 8, "milieus": ["home", "school"], "kind": "light"}
    change = s.change("needs_exceed_basic", value=False)
    assert change.dropped == ["hgw_months", "kind", "milieus"]
    assert s.state == "basis"
    assert s.answers == {"needs_exceed_basic": False}


def test_change_to_a_branch_with_an_unanswered_question_stops_there(session) -> None:
    s = session()
    answer_all(s, "ja", "8", "1,2", "light")
    change = s.change("kind", text="heavy")
    assert change.dropped == []
    assert s.state == "hours"
    assert not s.done
    assert s.default is None


def test_refused_change_changes_nothing(session) -> None:
    s = session()
    answer_all(s, *HEAVY_ARRANGEMENT)
    before = (s.state, dict(s.answers), list(s.history))
    with pytest.raises(AnswerError):
        s.change("hgw_months", text="-4")
    assert (s.state, s.answers, s.history) == before


# -- the recommendation ------------------------------------------------------------------------------
def test_recommendation_caps_hours_and_formats_warning(session) -> None:
    s = session()
    answer_all(s, *HEAVY_ARRANGEMENT)
    recommendation = s.recommendation()
    assert recommendation.outcome == "arrangement"
    assert recommendation.route == "arrangement"
    assert recommendation.form == "individual"
    assert recommendation.hours_per_week == 3
    assert recommendation.warnings == ["5 hours asked; at most 3."]
    assert recommendation.missing == []
    assert recommendation.title == "Arrangement"
    assert [line.text for line in recommendation.budget] == ["€1,000.00 – €2,500.50 per year"]
    assert [(w.node, w.goto) for w in recommendation.why][-2:] == [("hours", "gate"), ("gate", "arrangement")]
    assert recommendation.why[-1].condition == "hgw_months >= 6 and len(milieus) >= 2"
    assert recommendation.why[-1].because == "Enough HGW, problems in two settings."


def test_recommendation_below_the_cap_has_no_warning(session) -> None:
    s = session()
    answer_all(s, "ja", "8", "home, school", "heavy", "2,5")
    recommendation = s.recommendation()
    assert recommendation.hours_per_week == 2.5
    assert recommendation.warnings == []


def test_warning_numbers_in_dutch(session) -> None:
    s = session(lang=Language("nl"))
    answer_all(s, "ja", "8", "home, school", "heavy", "4,5")
    assert s.recommendation().warnings[0].startswith("4,5 ")


def test_missing_lists_every_failed_check(session) -> None:
    s = session()
    answer_all(s, "ja", "2", "geen", "light")
    recommendation = s.recommendation()
    assert recommendation.route == "not_yet"
    assert recommendation.missing == ["hgw_months", "milieus"]
    assert recommendation.reasons == ["At least six months of HGW.", "Problems in two settings."]


@pytest.mark.parametrize(("months", "milieus", "missing"), [("2", "1,2", ["hgw_months"]), ("8", "school", ["milieus"])])
def test_missing_lists_only_failed_checks(session, months, milieus, missing) -> None:
    s = session()
    answer_all(s, "ja", months, milieus, "light")
    assert s.state == "not_yet"
    assert s.recommendation().missing == missing


# -- the record -----------------------------------------------------------------------------------------
def test_record_of_a_draft(session) -> None:
    s = session(pupil_ref="D-2025/17")
    answer_all(s, "ja", "8")
    record = s.to_record()
    assert record.status == "draft"
    assert record.next_question == "milieus"
    assert record.answers == {"needs_exceed_basic": True, "hgw_months": 8}
    assert record.path == ["needs_exceed_basic", "hgw_months"]
    assert record.recommendation is None
    assert record.region == "tiny"
    assert record.ruleset_version == "t1"
    assert record.language == "en"
    assert record.pupil_ref == "D-2025/17"
    assert record.anonymous is False


def test_anonymous_session_keeps_no_reference(session) -> None:
    s = session(pupil_ref="D-1", anonymous=True)
    record = s.to_record()
    assert record.pupil_ref is None
    assert record.anonymous is True


@pytest.mark.parametrize(
    "texts",
    [(), ("ja",), ("ja", "8"), ("ja", "8", "1,2"), ("ja", "8", "1,2", "heavy"), HEAVY_ARRANGEMENT, ("nee",), ("ja", "2", "geen", "light")],
)
def test_record_round_trip_resumes_at_the_same_question(session, texts) -> None:
    s = session(pupil_ref="P-9")
    answer_all(s, *texts)
    record = s.to_record()
    stored = parse_record(record.model_dump_json().encode("utf-8"))
    assert stored == record
    resumed = session(record=stored)
    assert resumed.state == s.state
    assert resumed.question_id == record.next_question
    assert resumed.history == s.history
    assert resumed.answers == s.answers
    assert resumed.record_id == record.id
    assert resumed.created == record.created
    assert resumed.pupil_ref == "P-9"
    again = resumed.to_record()
    assert again.model_dump(exclude={"updated"}) == record.model_dump(exclude={"updated"})


def test_resume_after_back_stops_at_the_saved_next_question(session) -> None:
    s = session()
    answer_all(s, *HEAVY_ARRANGEMENT)
    s.back()
    s.back()
    record = s.to_record()
    assert record.next_question == "kind"
    data = json.loads(record.model_dump_json())
    resumed = session(record=IntakeRecord.model_validate(data))
    assert resumed.state == "kind"
    assert resumed.default == "heavy"
    resumed.answer_text("heavy")
    assert resumed.state == "hours"
    assert resumed.default == 5


# -- path cases and the walk ---------------------------------------------------------------------------
def test_path_cases_cover_every_outcome() -> None:
    cases = path_cases(DIALOG)
    assert len(cases) == 5
    assert all(case.feasible for case in cases)
    assert {case.outcome for case in cases} == {"basis", "arrangement", "not_yet"}


def test_walk_stops_at_the_first_unanswered_question() -> None:
    walked = walk(DIALOG, {"needs_exceed_basic": True, "hgw_months": 8, "kind": "light"})
    assert not walked.complete
    assert walked.next_question == "milieus"
    assert walked.path == ["needs_exceed_basic", "hgw_months"]
    assert walked.answers == {"needs_exceed_basic": True, "hgw_months": 8}


def test_path_cases_read_defaults_as_answers(tmp_path: Path) -> None:
    """A default written as text or a label is a candidate in its read form, tried
    first, so the cases' answers are values the session and the walk read alike."""
    source = TINY.read_text(encoding="utf-8")
    source = source.replace('prompt = "Which kind?"', 'prompt = "Which kind?"\ndefault = "Heavy"')
    source = source.replace('prompt = "Where do the problems show?"', 'prompt = "Where do the problems show?"\ndefault = "school, home"')
    path = tmp_path / "defaults.toml"
    path.write_text(source, encoding="utf-8")
    dialog = load_dialog(path)
    candidates = candidate_values(dialog)
    assert candidates["kind"][0] == "heavy" and candidates["kind"].count("heavy") == 1
    assert candidates["milieus"][0] == ["home", "school"] and candidates["milieus"].count(["home", "school"]) == 1
    cases = path_cases(dialog)
    assert all(case.feasible for case in cases)
    for case in cases:
        for fact, value in case.answers.items():
            assert dialog.readers[fact].read_value(value) == value, (fact, value)  # a read value, not text
        walked = walk(dialog, case.answers)
        assert (walked.outcome, walked.steps, walked.answers) == (case.outcome, case.steps, case.answers)
