"""Reading answers as typed (AnswerReader.read_text) and from files (read_value)."""

from __future__ import annotations

import pytest

from intake_tui.i18n import Language
from intake_tui.rules.answers import AnswerError, AnswerReader
from intake_tui.rules.schema import Question


def question(kind: str, **extra) -> Question:
    return Question(type=kind, prompt="?", cite="T", goto="end", **extra)


BOOL = AnswerReader(question("bool"))
INT = AnswerReader(question("int", min=0, max=120))
FREE_INT = AnswerReader(question("int"))
NUMBER = AnswerReader(question("number", min=0, max=40))
PERCENT = AnswerReader(question("number", min=0.5, max=99.5))
CHOICE = AnswerReader(
    question("choice", choices=[{"value": "light", "label": "Light support"}, {"value": "heavy", "label": "Heavy"}])
)
CHOICES = AnswerReader(
    question(
        "choices",
        choices=[
            {"value": "home", "label": "At home"},
            {"value": "school", "label": "At school"},
            {"value": "environment", "label": "Elsewhere"},
        ],
    )
)


def refused(reader: AnswerReader, text: str) -> AnswerError:
    with pytest.raises(AnswerError) as error:
        reader.read_text(text)
    assert str(error.value)  # always a message for the user
    return error.value


# -- bool ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ja", True), ("Ja", True), ("JA", True), ("j", True), ("J", True),
        ("yes", True), ("Yes", True), ("y", True), ("ja.", True), (" ja ", True),
        ("nee", False), ("Nee", False), ("n", False), ("N", False),
        ("no", False), ("NO", False), ("nee!", False),
    ],
)
def test_bool_words(text, expected) -> None:
    assert BOOL.read_text(text) is expected


@pytest.mark.parametrize("text", ["maybe", "jaa", "misschien", "2", "ja nee", "-"])
def test_bool_refuses_other_words(text) -> None:
    error = refused(BOOL, text)
    assert error.message == "Answer yes or no (ja/nee, j/n)."


@pytest.mark.parametrize("text", ["", "   ", "\t"])
def test_empty_answer_is_refused_for_every_type(text) -> None:
    for reader in (BOOL, INT, NUMBER, CHOICE, CHOICES):
        assert refused(reader, text).message == "Please give an answer."


# -- int -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [("6", 6), ("0", 0), ("120", 120), (" 7 ", 7), ("+5", 5), ("6.0", 6), ("6,0", 6), ("1 2", 12)],
)
def test_int(text, expected) -> None:
    result = INT.read_text(text)
    assert result == expected
    assert type(result) is int


def test_int_without_bounds_takes_negative_numbers() -> None:
    assert FREE_INT.read_text("-3") == -3


@pytest.mark.parametrize("text", ["6.5", "6,5", "abc", "1e3", "zes", "6 maanden", "0x10"])
def test_int_refuses_non_whole_numbers(text) -> None:
    assert refused(INT, text).message == "Give a whole number, for example 6."


def test_int_bounds() -> None:
    low = refused(INT, "-1")
    assert low.message == "The answer must be at least {min}."
    assert str(low) == "The answer must be at least 0."
    high = refused(INT, "121")
    assert str(high) == "The answer must be at most 120."
    assert high.params == {"min": "0", "max": "120"}


# -- number ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2.5", 2.5), ("2,5", 2.5), ("0,75", 0.75), (",5", 0.5), ("2.50", 2.5),
        ("3", 3), ("40", 40), ("0", 0), (" 1,25 ", 1.25),
    ],
)
def test_number(text, expected) -> None:
    assert NUMBER.read_text(text) == expected


def test_whole_number_typed_without_decimals_is_an_int() -> None:
    assert type(NUMBER.read_text("3")) is int
    assert type(NUMBER.read_text("2,5")) is float


@pytest.mark.parametrize("text", ["abc", "1.234,5", "2,5,1", "nan", "inf", "2..5", "twee"])
def test_number_refuses_garbage(text) -> None:
    assert refused(NUMBER, text).message == "Give a number, for example 2,5."


def test_number_bounds_inclusive() -> None:
    assert NUMBER.read_text("40,0") == 40.0
    assert str(refused(NUMBER, "40,5")) == "The answer must be at most 40."
    assert str(refused(NUMBER, "-0,5")) == "The answer must be at least 0."
    assert str(refused(PERCENT, "0,25")) == "The answer must be at least 0.5."
    assert str(refused(PERCENT, "99,75")) == "The answer must be at most 99.5."
    assert PERCENT.read_text("0,5") == 0.5


def test_percent_and_euro_signs_are_ignored() -> None:
    assert INT.read_text("50%") == 50
    assert NUMBER.read_text("€ 12,5") == 12.5


# -- choice ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", "light"), ("2", "heavy"),
        ("light", "light"), ("heavy", "heavy"), ("HEAVY", "heavy"), (" Heavy ", "heavy"),
        ("Light support", "light"), ("light SUPPORT", "light"), ("light   support", "light"),
    ],
)
def test_choice(text, expected) -> None:
    assert CHOICE.read_text(text) == expected


@pytest.mark.parametrize("text", ["3", "0", "medium", "light,heavy", "-1"])
def test_choice_refuses_unknown(text) -> None:
    error = refused(CHOICE, text)
    assert error.message == "Choose one of: {options}."
    assert str(error) == "Choose one of: 1. Light support, 2. Heavy."  # labels, never ids


def test_choice_labels_in_another_language() -> None:
    reader = AnswerReader(CHOICE.question, labels=[("Lichte ondersteuning", "light"), ("Zwaar", "heavy"), ("1", "heavy")])
    assert reader.read_text("lichte ondersteuning") == "light"
    assert reader.read_text("zwaar") == "heavy"
    # A translation never hides an existing name.
    assert reader.read_text("1") == "light"


# -- choices ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,3", ["home", "environment"]),
        ("3, 1", ["home", "environment"]),  # always in display order
        ("home, school", ["home", "school"]),
        ("At Home; elsewhere", ["home", "environment"]),
        ("school", ["school"]),
        ("2", ["school"]),
        ("school, 2, SCHOOL", ["school"]),  # duplicates collapse
        ("1,2,3", ["home", "school", "environment"]),
        ("geen", []),
        ("GEEN", []),
        ("none", []),
        ("None", []),
    ],
)
def test_choices(text, expected) -> None:
    assert CHOICES.read_text(text) == expected


@pytest.mark.parametrize("text", ["4", "garden", "home, garden", "1,4", ",", ";", ", ;"])
def test_choices_refuses_unknown(text) -> None:
    error = refused(CHOICES, text)
    assert str(error) == "Choose one of: 1. At home, 2. At school, 3. Elsewhere."


# -- AnswerError ----------------------------------------------------------------------------------
def test_answer_error_can_be_said_in_dutch() -> None:
    error = refused(INT, "121")
    dutch = error.say(Language("nl").gettext)
    assert "120" in dutch
    assert dutch != str(error)  # the Dutch catalog has this message
    catalog = {"The answer must be at most {max}.": "Hoogstens {max}."}
    assert error.say(lambda message: catalog.get(message, message)) == "Hoogstens 120."


# -- read_value (JSON) ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("reader", "raw", "expected"),
    [
        (BOOL, True, True),
        (BOOL, False, False),
        (BOOL, "ja", True),
        (BOOL, "nee", False),
        (INT, 6, 6),
        (INT, 6.0, 6),
        (INT, "6", 6),
        (NUMBER, 2.5, 2.5),
        (NUMBER, 3, 3),
        (NUMBER, "2,5", 2.5),
        (CHOICE, "heavy", "heavy"),
        (CHOICE, "Heavy", "heavy"),
        (CHOICE, "2", "heavy"),
        (CHOICES, ["school", "home"], ["home", "school"]),
        (CHOICES, [], []),
        (CHOICES, ["At school"], ["school"]),
        (CHOICES, "home, school", ["home", "school"]),
        (CHOICES, "geen", []),
    ],
)
def test_read_value(reader, raw, expected) -> None:
    result = reader.read_value(raw)
    assert result == expected
    assert type(result) is type(expected)


@pytest.mark.parametrize(
    ("reader", "raw", "message"),
    [
        (BOOL, 1, "Answer yes or no (ja/nee, j/n)."),
        (BOOL, 0, "Answer yes or no (ja/nee, j/n)."),
        (BOOL, None, "Answer yes or no (ja/nee, j/n)."),
        (BOOL, "misschien", "Answer yes or no (ja/nee, j/n)."),
        (BOOL, [True], "Answer yes or no (ja/nee, j/n)."),
        (INT, 6.5, "Give a whole number, for example 6."),
        (INT, True, "Give a whole number, for example 6."),
        (INT, False, "Give a whole number, for example 6."),
        (INT, "zes", "Give a whole number, for example 6."),
        (INT, [6], "Give a whole number, for example 6."),
        (INT, 121, "The answer must be at most {max}."),
        (INT, -1, "The answer must be at least {min}."),
        (NUMBER, True, "Give a number, for example 2,5."),
        (NUMBER, None, "Give a number, for example 2,5."),
        (NUMBER, float("nan"), "Give a number, for example 2,5."),
        (NUMBER, float("inf"), "Give a number, for example 2,5."),
        (NUMBER, 40.5, "The answer must be at most {max}."),
        (CHOICE, "medium", "Choose one of: {options}."),
        (CHOICE, 1, "Choose one of: {options}."),
        (CHOICE, True, "Choose one of: {options}."),
        (CHOICES, "garden", "Choose one of: {options}."),
        (CHOICES, ["garden"], "Choose one of: {options}."),
        (CHOICES, [1], "Choose one of: {options}."),
        (CHOICES, 3, "Give a list of choices, separated by commas."),
        (CHOICES, {"home": True}, "Give a list of choices, separated by commas."),
    ],
)
def test_read_value_refuses(reader, raw, message) -> None:
    with pytest.raises(AnswerError) as error:
        reader.read_value(raw)
    assert error.value.message == message
    assert "{" not in str(error.value)


FREE_NUMBER = AnswerReader(question("number"))


@pytest.mark.parametrize("reader", [FREE_INT, FREE_NUMBER])
@pytest.mark.parametrize("text", ["9" * 5001, "-" + "9" * 5001, "1" + "0" * 400 + ",5", "1000000000000", "0" * 30 + "1" * 14],
                         ids=["5001 digits", "-5001 digits", "401 digits,5", "1e12", "zeros then 14 digits"])
def test_a_huge_typed_number_is_refused_in_words(reader, text) -> None:
    """Issue 17 item 8: a 5,001-digit answer was a ValueError from int(), a 400-digit decimal infinity."""
    assert str(refused(reader, text)) == "That number is too large to be an answer."


@pytest.mark.parametrize("reader", [FREE_INT, FREE_NUMBER])
@pytest.mark.parametrize("value", [10**5000, -(10**13), 1e400, float("-inf"), float("nan"), 1e300],
                         ids=["5001 digits", "-1e13", "1e400", "-inf", "nan", "1e300"])
def test_a_huge_or_infinite_value_from_a_file_is_refused(reader, value) -> None:
    with pytest.raises(AnswerError) as error:
        reader.read_value(value)
    assert str(error.value) in ("That number is too large to be an answer.", "Give a whole number, for example 6.",
                                "Give a number, for example 2,5.")


def test_numbers_below_the_limit_are_answers() -> None:
    assert FREE_INT.read_text("999999999999") == 999_999_999_999
    assert FREE_NUMBER.read_text("-2,5") == -2.5
    assert FREE_INT.read_text("000000000000000000000007") == 7
