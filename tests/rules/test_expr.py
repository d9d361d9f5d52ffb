"""The condition language (expr.py): evaluation, unanswered facts, type errors, and what it refuses."""

from __future__ import annotations

import builtins
import os
from pathlib import Path

import pytest

from intake_tui.rules.expr import BOOL, NUMBER, UNANSWERED, ExprError, FactType
from intake_tui.rules.expr_parser import parse

FACTS = {
    "iq": FactType("int"),
    "hours": FactType("number"),
    "share": FactType("int"),
    "ok": FactType("bool"),
    "justified": FactType("bool"),
    "kind": FactType("choice", ("light", "heavy")),
    "milieus": FactType("choices", ("home", "school", "environment")),
}


def value(source: str, answers: dict | None = None):
    return parse(source, FACTS)(answers or {})


def holds(source: str, answers: dict | None = None) -> bool:
    return parse(source, FACTS, want=BOOL).holds(answers or {})


# -- comparisons ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("source", "answers", "expected"),
    [
        ("iq == 60", {"iq": 60}, True),
        ("iq == 60", {"iq": 61}, False),
        ("iq != 60", {"iq": 61}, True),
        ("iq != 60", {"iq": 60}, False),
        ("iq < 60", {"iq": 59}, True),
        ("iq < 60", {"iq": 60}, False),
        ("iq <= 60", {"iq": 60}, True),
        ("iq <= 60", {"iq": 61}, False),
        ("iq > 60", {"iq": 61}, True),
        ("iq > 60", {"iq": 60}, False),
        ("iq >= 60", {"iq": 60}, True),
        ("iq >= 60", {"iq": 59}, False),
        ("60 < iq", {"iq": 61}, True),
        ("hours >= 2.5", {"hours": 2.5}, True),
        ("hours > 2.5", {"hours": 2.5}, False),
        ("kind == 'heavy'", {"kind": "heavy"}, True),
        ('kind == "heavy"', {"kind": "light"}, False),
        ("'heavy' == kind", {"kind": "heavy"}, True),
        ("kind != 'heavy'", {"kind": "light"}, True),
        ("ok == true", {"ok": True}, True),
        ("ok == True", {"ok": False}, False),
        ("ok == false", {"ok": False}, True),
        ("ok == justified", {"ok": True, "justified": True}, True),
        ("ok != justified", {"ok": True, "justified": True}, False),
    ],
)
def test_comparison(source, answers, expected) -> None:
    assert holds(source, answers) is expected


@pytest.mark.parametrize(
    ("iq", "expected"),
    [(54, False), (55, True), (60, True), (69, True), (70, False), (100, False)],
)
def test_chained_comparison(iq, expected) -> None:
    assert holds("55 <= iq < 70", {"iq": iq}) is expected


def test_longer_chain_every_link_must_hold() -> None:
    assert holds("0 <= share <= iq < 100", {"share": 10, "iq": 50}) is True
    assert holds("0 <= share <= iq < 100", {"share": 60, "iq": 50}) is False


# -- and / or / not -------------------------------------------------------------
@pytest.mark.parametrize(
    ("source", "answers", "expected"),
    [
        ("ok and justified", {"ok": True, "justified": True}, True),
        ("ok and justified", {"ok": True, "justified": False}, False),
        ("ok or justified", {"ok": False, "justified": True}, True),
        ("ok or justified", {"ok": False, "justified": False}, False),
        ("not ok", {"ok": False}, True),
        ("not ok", {"ok": True}, False),
        ("not (iq > 3)", {"iq": 2}, True),
        ("share >= 50 or justified", {"share": 40, "justified": True}, True),
        ("share >= 50 or justified", {"share": 40, "justified": False}, False),
        ("ok and (iq < 70 or kind == 'heavy')", {"ok": True, "iq": 80, "kind": "heavy"}, True),
        ("ok and (iq < 70 or kind == 'heavy')", {"ok": True, "iq": 80, "kind": "light"}, False),
        ("ok and not justified", {"ok": True, "justified": False}, True),
        ("true", {}, True),
        ("false", {}, False),
        ("True and not False", {}, True),
    ],
)
def test_boolean_operators(source, answers, expected) -> None:
    assert holds(source, answers) is expected


def test_and_or_return_plain_booleans() -> None:
    assert value("ok and justified", {"ok": True, "justified": True}) is True
    assert value("ok or justified", {"ok": False, "justified": False}) is False


# -- in / not in -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("source", "answers", "expected"),
    [
        ("kind in ['light', 'heavy']", {"kind": "heavy"}, True),
        ("kind in ['light']", {"kind": "heavy"}, False),
        ("kind not in ['light']", {"kind": "heavy"}, True),
        ("kind not in ['light']", {"kind": "light"}, False),
        ("'home' in milieus", {"milieus": ["home", "school"]}, True),
        ("'home' in milieus", {"milieus": ["school"]}, False),
        ("'home' not in milieus", {"milieus": ["school"]}, True),
        ("'home' not in milieus", {"milieus": ["home"]}, False),
        ("'home' in milieus", {"milieus": []}, False),
        ("iq in [1, 2, 3]", {"iq": 2}, True),
        ("iq in [1, 2, 3]", {"iq": 4}, False),
        ("iq not in [1, 2, 3]", {"iq": 4}, True),
        ("kind in milieus", {"kind": "light", "milieus": ["home"]}, False),
        ("kind in ('light', 'heavy')", {"kind": "light"}, True),
    ],
)
def test_membership(source, answers, expected) -> None:
    assert holds(source, answers) is expected


@pytest.mark.parametrize(
    ("source", "answers", "expected"),
    [
        ("milieus == ['home', 'school']", {"milieus": ["home", "school"]}, True),
        ("milieus == ['school', 'home']", {"milieus": ["home", "school"]}, True),
        ("milieus == ['home']", {"milieus": ["home", "school"]}, False),
        ("milieus != ['home']", {"milieus": ["home"]}, False),
        ("milieus != ['home']", {"milieus": ["school"]}, True),
        ("milieus == []", {"milieus": []}, True),
    ],
)
def test_choices_fact_equals_a_list_as_a_set(source, answers, expected) -> None:
    # A 'choices' answer is a list; a list literal must compare equal to it regardless of order.
    assert holds(source, answers) is expected


# -- arithmetic and functions ------------------------------------------------------
@pytest.mark.parametrize(
    ("source", "answers", "expected"),
    [
        ("iq + 5", {"iq": 10}, 15),
        ("iq - 15", {"iq": 10}, -5),
        ("iq * 3", {"iq": 10}, 30),
        ("iq / 4", {"iq": 10}, 2.5),
        ("hours * 2 + iq / 2", {"hours": 1.5, "iq": 3}, 4.5),
        ("(hours + 1) * 2", {"hours": 1.5}, 5.0),
        ("-iq", {"iq": 4}, -4),
        ("len(milieus)", {"milieus": ["home", "school"]}, 2),
        ("len(['a', 'b', 'c'])", {}, 3),
        ("min(hours, 3)", {"hours": 5}, 3),
        ("min(hours, 3)", {"hours": 2.5}, 2.5),
        ("max(hours, iq, 2)", {"hours": 2.5, "iq": 1}, 2.5),
        ("max(iq)", {"iq": 7}, 7),
        ("min(len(milieus), 2)", {"milieus": ["home"]}, 1),
    ],
)
def test_number_expressions(source, answers, expected) -> None:
    expression = parse(source, FACTS, want=NUMBER)
    assert expression.type == NUMBER
    result = expression(answers)
    assert result == expected
    assert type(result) is type(expected)


def test_arithmetic_in_a_condition() -> None:
    assert holds("iq * 2 >= 100", {"iq": 50}) is True
    assert holds("iq * 2 >= 100", {"iq": 49}) is False
    assert holds("len(milieus) >= 2", {"milieus": ["home", "school"]}) is True
    assert holds("len(milieus) >= 2", {"milieus": ["home"]}) is False


@pytest.mark.parametrize(
    ("direct", "indirect"),
    [(0.7, 0.21), (1.4, 0.42), (2.8, 0.84), (5.6, 1.68), (9.7, 2.91)],
)
def test_arithmetic_on_typed_decimals_is_decimal(direct, indirect) -> None:
    """Answers are decimals a person types: 30 % of 0.7 is 0.21, so a limit written as
    arithmetic holds at the limit (in binary floating point 3 * 0.7 / 10 is 0.20999999999999996)."""
    assert value("3 * hours / 10", {"hours": direct}) == indirect
    assert holds(f"{indirect} > 3 * hours / 10", {"hours": direct}) is False
    assert holds(f"{indirect} + 0.01 > 3 * hours / 10", {"hours": direct}) is True
    assert value("hours + 0.2", {"hours": 0.1}) == 0.3
    assert value("iq / 4", {"iq": 10}) == 2.5 and type(value("iq * 3", {"iq": 10})) is int


def test_division_by_zero_is_unanswered_not_an_exception() -> None:
    assert value("iq / share", {"iq": 4, "share": 0}) is UNANSWERED
    assert holds("iq / share > 1", {"iq": 4, "share": 0}) is False


def test_parse_reports_used_facts_and_thresholds() -> None:
    expression = parse("55 <= iq < 70 and share >= 50 or ok", FACTS)
    assert expression.facts == frozenset({"iq", "share", "ok"})
    assert expression.thresholds == {"iq": {55, 70}, "share": {50}}
    assert expression.type == BOOL
    assert expression.source == "55 <= iq < 70 and share >= 50 or ok"


# -- unanswered facts ----------------------------------------------------------------
@pytest.mark.parametrize(
    "source",
    [
        "iq > 3",
        "iq < 3",
        "iq == 3",
        "iq != 3",
        "55 <= iq < 70",
        "kind == 'heavy'",
        "kind != 'heavy'",
        "kind in ['light', 'heavy']",
        "kind not in ['light']",
        "'home' in milieus",
        "ok",
        "ok == true",
        "ok == false",
        "ok and true",
        "ok or justified",
        "iq + 1 > 0",
        "min(iq, 3) >= 0",
        "milieus == []",
    ],
)
def test_unanswered_fact_makes_a_condition_false(source) -> None:
    assert holds(source, {}) is False


def test_unanswered_semantics() -> None:
    assert not UNANSWERED
    assert value("iq", {}) is UNANSWERED
    assert value("iq + 1", {}) is UNANSWERED
    assert value("min(iq, 3)", {}) is UNANSWERED
    assert value("len(milieus)", {}) == 0
    assert holds("len(milieus) == 0", {}) is True
    assert holds("not ok", {}) is True
    assert holds("not (iq > 3)", {}) is True
    # The documented idiom: the second fact is only asked when the first is low.
    assert holds("share >= 50 or justified", {"share": 60}) is True
    assert holds("share >= 50 or justified", {"share": 40}) is False


def test_answered_false_and_zero_are_not_unanswered() -> None:
    assert holds("iq == 0", {"iq": 0}) is True
    assert holds("ok == false", {"ok": False}) is True
    assert holds("len(milieus) == 0", {"milieus": []}) is True


# -- type errors ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("source", "fragment"),
    [
        ("kind == 3", "compares a text with a number"),
        ("kind > 3", "compare numbers only"),
        ("iq == 'light'", "compares a number with a text"),
        ("iq == true", "compares a number with a yes/no value"),
        ("ok == 1", "compares a yes/no value with a number"),
        ("kind == 'medium'", "'medium' is not a value of kind"),
        ("'medium' == kind", "'medium' is not a value of kind"),
        ("kind in ['light', 'medium']", "'medium' is not a value of kind"),
        ("'garden' in milieus", "'garden' is not a value of milieus"),
        ("'garden' not in milieus", "'garden' is not a value of milieus"),
        ("milieus == ['garden']", "'garden' is not a value of milieus"),
        ("iq and ok", "and/or need yes/no values"),
        ("ok or 3", "and/or need yes/no values"),
        ("ok and kind", "and/or need yes/no values"),
        ("not iq", "'not' needs a yes/no value"),
        ("iq + ok", "arithmetic needs numbers"),
        ("kind + 1", "arithmetic needs numbers"),
        ("iq in ['a']", "'in' needs a value and a list of the same kind"),
        ("kind in [1, 2]", "'in' needs a value and a list of the same kind"),
        ("milieus in ['home']", "'in' needs a value and a list of the same kind"),
        ("len(iq)", "len() takes one list"),
        ("len(milieus, milieus)", "len() takes one list"),
        ("min()", "min() takes one or more numbers"),
        ("max(kind, 1)", "max() takes one or more numbers"),
        ("[1, 'a']", "only strings or only numbers"),
        ("kind in [[1]]", "a list may only hold plain strings or numbers"),
        ("unknown_fact > 1", "unknown fact 'unknown_fact'"),
        ("None", "the constant None is not allowed"),
        ("iq ** 2", "Pow is not allowed"),
        ("iq // 2", "FloorDiv is not allowed"),
        ("iq % 2", "Mod is not allowed"),
        ("~iq", "unary operator is not allowed"),
        ("iq is 3", "the comparison Is is not allowed"),
        ("iq if ok else 3", "not allowed"),
        ("", "empty expression"),
        ("iq >", "syntax error"),
    ],
)
def test_type_and_syntax_errors(source, fragment) -> None:
    with pytest.raises(ExprError) as error:
        parse(source, FACTS)
    assert fragment in str(error.value)


def test_wanted_type_is_enforced() -> None:
    with pytest.raises(ExprError, match="gives a number, a yes/no value is needed"):
        parse("iq + 1", FACTS, want=BOOL)
    with pytest.raises(ExprError, match="gives a yes/no value, a number is needed"):
        parse("iq > 1", FACTS, want=NUMBER)
    assert parse("iq > 1", FACTS, want=BOOL).type == BOOL


def test_error_message_names_the_source() -> None:
    with pytest.raises(ExprError) as error:
        parse("kind == 'medium'", FACTS)
    assert "(in \"kind == 'medium'\")" in str(error.value)
    assert "values: light, heavy" in str(error.value)


# -- security ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("source", "fragment"),
    [
        ("__import__('os')", "only len, min and max may be called"),
        ("__import__('os').system('true')", "only len, min and max may be called"),
        ("open('x')", "only len, min and max may be called"),
        ("eval('1')", "only len, min and max may be called"),
        ("exec('x = 1')", "only len, min and max may be called"),
        ("getattr(ok, 'real')", "only len, min and max may be called"),
        ("print(1)", "only len, min and max may be called"),
        ("(lambda: 1)()", "only len, min and max may be called"),
        ("len.__self__", "attribute is not allowed"),
        ("ok.real", "attribute is not allowed"),
        ("kind.upper() == 'LIGHT'", "may be called"),
        ("().__class__.__bases__[0].__subclasses__()", "may be called"),
        ("lambda: 1", "lambda is not allowed"),
        ("milieus[0] == 'home'", "subscript is not allowed"),
        ("[m for m in milieus]", "listcomp is not allowed"),
        ("len([m for m in milieus]) > 0", "listcomp is not allowed"),
        ("any(m for m in milieus)", "may be called"),
        ("len({m for m in milieus}) > 0", "setcomp is not allowed"),
        ("len({1: 2})", "dict is not allowed"),
        ("(x := 1)", "namedexpr is not allowed"),
        ("f'{iq}' == 'x'", "joinedstr is not allowed"),
        ("len(*milieus)", "starred is not allowed"),
        ("min(iq, key=abs)", "keyword arguments are not allowed"),
        ("__builtins__", "unknown fact '__builtins__'"),
        ("b'x' == b'x'", "is not allowed"),
    ],
)
def test_refused_constructs(source, fragment) -> None:
    with pytest.raises(ExprError) as error:
        parse(source, FACTS)
    assert fragment in str(error.value)


def test_a_statement_is_a_syntax_error() -> None:
    with pytest.raises(ExprError, match="syntax error"):
        parse("import os", FACTS)


def test_a_refused_condition_executes_nothing(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "pwned"
    attempts = [
        f"__import__('os').system('touch {target}') == 0",
        f"open('{target}', 'w').write('x') > 0",
        f"__import__('pathlib').Path('{target}').touch()",
        f"[open('{target}', 'w') for _ in [1]]",
        f"(lambda: open('{target}', 'w'))()",
    ]
    called = []
    monkeypatch.setattr(builtins, "eval", lambda *a, **k: called.append("eval"))
    monkeypatch.setattr(builtins, "exec", lambda *a, **k: called.append("exec"))
    monkeypatch.setattr(os, "system", lambda *a, **k: called.append("system"))
    for source in attempts:
        with pytest.raises(ExprError):
            parse(source, FACTS)
    assert not target.exists()
    assert called == []


def test_evaluation_does_not_touch_builtins_or_answers() -> None:
    expression = parse("ok and len(milieus) >= 1", FACTS)
    answers = {"ok": True, "milieus": ["home"]}
    snapshot = {"ok": True, "milieus": ["home"]}
    assert expression.holds(answers) is True
    assert answers == snapshot
