"""Broken dialog files: every problem is reported as ``file:line: message`` on the right line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intake_tui.cli.main import main
from intake_tui.rules.dialog import DialogError
from intake_tui.rules.loader import load_dialog
from intake_tui.rules.regions import region_files

TINY = Path(__file__).resolve().parents[1] / "fixtures" / "tiny.toml"
TINY_SOURCE = TINY.read_text(encoding="utf-8")


def edited(old: str, new: str, source: str = TINY_SOURCE) -> str:
    assert source.count(old) == 1, f"{old!r} is not unique in the fixture"
    return source.replace(old, new)


def line_of(source: str, text: str) -> int:
    """The 1-based number of the only line that contains ``text``."""
    numbers = [n for n, line in enumerate(source.splitlines(), start=1) if text in line]
    assert len(numbers) == 1, f"{text!r} is on lines {numbers}"
    return numbers[0]


def problems_of(tmp_path: Path, source: str, name: str = "broken.toml") -> tuple[str, list]:
    path = tmp_path / name
    path.write_text(source, encoding="utf-8")
    with pytest.raises(DialogError) as error:
        load_dialog(path)
    return str(path), error.value.problems


def only_problem(tmp_path: Path, source: str):
    path, problems = problems_of(tmp_path, source)
    assert len(problems) == 1, [str(p) for p in problems]
    problem = problems[0]
    assert problem.file == path
    assert str(problem) == f"{path}:{problem.line}: {problem.message}"
    return problem


def test_fixture_itself_loads() -> None:
    dialog = load_dialog(TINY)
    assert dialog.region == "tiny"
    assert len(dialog.nodes) == 9


def test_bad_toml(tmp_path: Path) -> None:
    source = edited('type = "int"', "type = int")
    problem = only_problem(tmp_path, source)
    assert problem.line == line_of(source, "type = int")
    assert problem.message.startswith("not valid TOML: ")
    assert "(at line" not in problem.message


def test_bad_toml_duplicate_table(tmp_path: Path) -> None:
    source = TINY_SOURCE + '\n[questions.kind]\ntype = "bool"\n'
    problem = only_problem(tmp_path, source)
    assert problem.line == len(TINY_SOURCE.splitlines()) + 2
    assert "not valid TOML" in problem.message


def test_wrong_question_type(tmp_path: Path) -> None:
    source = edited('type = "int"', 'type = "text"')
    problem = only_problem(tmp_path, source)
    assert problem.line == line_of(source, 'type = "text"')
    assert problem.message.startswith("questions.hgw_months.type: ")
    assert "must be one of: 'bool', 'int', 'number', 'choice', 'choices'" in problem.message


def test_unknown_key(tmp_path: Path) -> None:
    source = edited('prompt = "Which kind?"', 'prompt = "Which kind?"\ncolour = "red"')
    problem = only_problem(tmp_path, source)
    assert problem.line == line_of(source, "colour")
    assert problem.message == "questions.kind.colour: unknown key"


def test_unknown_key_in_second_branch(tmp_path: Path) -> None:
    source = edited('[[questions.kind.next]]\ngoto = "gate"', '[[questions.kind.next]]\ngoto = "gate"\nbecuase = "typo"')
    problem = only_problem(tmp_path, source)
    assert problem.line == line_of(source, "becuase")
    assert problem.message == "questions.kind.next.1.becuase: unknown key"


def test_unknown_key_in_inline_choice(tmp_path: Path) -> None:
    source = edited('{ value = "school", label = "At school" }', '{ value = "school", label = "At school", xx = 99 }')
    problem = only_problem(tmp_path, source)
    assert problem.line == line_of(source, "xx = 99")
    assert problem.message == "questions.milieus.choices.1.xx: unknown key"


def test_missing_required_key(tmp_path: Path) -> None:
    source = edited('prompt = "Which kind?"\n', "")
    problem = only_problem(tmp_path, source)
    assert problem.line == line_of(source, "[questions.kind]")
    assert problem.message == "questions.kind.prompt: this key is required"


# One edit of the fixture, the line the one problem must point at, and what its message must say.
@pytest.mark.parametrize(("old", "new", "marker", "fragment"), [
    pytest.param("max = 120", "max = -1", "max = -1", "'min' (0.0) is above 'max' (-1.0)", id="min_above_max"),
    pytest.param("when = \"kind == 'heavy'\"", "when = \"kindd == 'heavy'\"", "kindd", "unknown fact 'kindd'", id="unknown_fact_in_condition"),
    pytest.param("when = \"kind == 'heavy'\"", "when = \"kind == 'medium'\"", "'medium'", "'medium' is not a value of kind", id="choice_value_not_among_values"),
    pytest.param('ok = "len(milieus) >= 2"', "ok = \"len(milieus) >= 'two'\"", "'two'", "compare numbers only", id="type_error_in_outcome_check"),
    pytest.param('when = "hours > 3"', 'when = "hourz > 3"', "hourz", "unknown fact 'hourz'", id="unknown_fact_in_warning"),
    pytest.param('hours_per_week = "min(hours, 3)"', 'hours_per_week = "hours > 3"', "hours_per_week", "gives a yes/no value, a number is needed", id="hours_must_be_a_number"),
])
def test_one_problem_at_its_line(tmp_path: Path, old: str, new: str, marker: str, fragment: str) -> None:
    source = edited(old, new)
    problem = only_problem(tmp_path, source)
    assert problem.line == line_of(source, marker)
    assert fragment in problem.message


def test_placeholder_without_value(tmp_path: Path) -> None:
    source = edited('values = { asked = "hours" }', 'values = { askd = "hours" }')
    path, problems = problems_of(tmp_path, source)
    assert [(p.line, p.message) for p in problems] == [
        (line_of(source, 'text = "{asked}'), "{asked} has no entry in 'values'")
    ]


def test_dangling_goto(tmp_path: Path) -> None:
    source = edited('goto = "milieus"', 'goto = "milieux"')
    path, problems = problems_of(tmp_path, source)
    assert problems[0].line == line_of(source, "milieux")
    assert problems[0].message == "hgw_months: goto 'milieux': there is no such node"


def test_dangling_goto_in_branch(tmp_path: Path) -> None:
    source = edited('goto = "arrangement"', 'goto = "arangement"')
    path, problems = problems_of(tmp_path, source)
    assert problems[0].line == line_of(source, "arangement")
    assert problems[0].message == "gate: goto 'arangement': there is no such node"


def test_missing_start(tmp_path: Path) -> None:
    source = edited('start = "needs_exceed_basic"', 'start = "nowhere"')
    path, problems = problems_of(tmp_path, source)
    assert problems[0].line == line_of(source, 'start = "nowhere"')
    assert problems[0].message == "start: there is no node 'nowhere'"


def test_node_leading_to_itself(tmp_path: Path) -> None:
    source = edited('goto = "milieus"', 'goto = "hgw_months"')
    path, problems = problems_of(tmp_path, source)
    lines = [n for n, line in enumerate(source.splitlines(), 1) if line == 'goto = "hgw_months"']
    assert (problems[0].line, problems[0].message) == (lines[-1], "hgw_months: a node cannot lead to itself")


def test_cycle(tmp_path: Path) -> None:
    source = edited('[[decisions.gate.next]]\ngoto = "not_yet"', '[[decisions.gate.next]]\ngoto = "hgw_months"')
    path, problems = problems_of(tmp_path, source)
    cycles = [p for p in problems if p.message.startswith("cycle:")]
    assert len(cycles) == 1
    assert cycles[0].message == "cycle: hgw_months -> milieus -> kind -> hours -> gate -> hgw_months"
    gate_gotos = [n for n, line in enumerate(source.splitlines(), 1) if line == 'goto = "hgw_months"']
    assert cycles[0].line == gate_gotos[-1]
    # not_yet is no longer reached: that is reported too, on its own table.
    assert any(p.message == "not_yet: cannot be reached from start 'needs_exceed_basic'" for p in problems)


def test_unreachable_node(tmp_path: Path) -> None:
    source = TINY_SOURCE + '\n[outcomes.orphan]\nroute = "basis"\ntitle = "Orphan"\ncite = "T"\n'
    problem = only_problem(tmp_path, source)
    assert problem.line == line_of(source, "[outcomes.orphan]")
    assert problem.message == "orphan: cannot be reached from start 'needs_exceed_basic'"


def test_last_branch_with_when(tmp_path: Path) -> None:
    source = edited('[[decisions.gate.next]]\ngoto = "not_yet"', '[[decisions.gate.next]]\nwhen = "hgw_months < 6"\ngoto = "not_yet"')
    problem = only_problem(tmp_path, source)
    assert problem.line == line_of(source, 'when = "hgw_months < 6"')
    assert problem.message == "gate: the last branch must have no 'when' (it is the otherwise)"


@pytest.mark.parametrize(
    "condition",
    [
        "__import__('os').system('touch {target}') == 0",
        "open('{target}', 'w') == 1",
        "len(__import__('pathlib').Path('{target}').touch()) == 0",
    ],
)
def test_condition_that_calls_or_imports(tmp_path: Path, condition: str) -> None:
    target = tmp_path / "pwned"
    when = condition.format(target=target)
    source = edited("when = \"kind == 'heavy'\"", f'when = "{when}"')
    problem = only_problem(tmp_path, source)
    assert problem.line == line_of(source, "pwned")
    assert "only len, min and max may be called" in problem.message
    assert not target.exists()


def test_fact_used_before_it_is_asked(tmp_path: Path) -> None:
    source = edited('when = "not needs_exceed_basic"', 'when = "hgw_months > 3"')
    problem = only_problem(tmp_path, source)
    assert problem.line == line_of(source, 'when = "hgw_months > 3"')
    assert problem.message == "'hgw_months' is used in 'hgw_months > 3' but no path asks it before here"


def test_fact_asked_only_on_another_path(tmp_path: Path) -> None:
    # 'hours' is asked on the heavy path only; the outcome reached from 'basis' cannot use it.
    source = edited(
        '[outcomes.basis]\nroute = "basis"\ntitle = "Basic support"\ncite = "T · 1"',
        '[outcomes.basis]\nroute = "basis"\ntitle = "Basic support"\ncite = "T · 1"\nhours_per_week = "hours"',
    )
    problem = only_problem(tmp_path, source)
    assert problem.line == line_of(source, "[outcomes.basis]")
    assert problem.message == "'hours' is used in 'hours' but no path asks it before here"


def test_duplicate_node_id(tmp_path: Path) -> None:
    source = TINY_SOURCE + '\n[decisions.kind]\n[[decisions.kind.next]]\ngoto = "basis"\n'
    problem = only_problem(tmp_path, source)
    assert problem.line == line_of(source, "[decisions.kind]")
    assert problem.message == "the node id 'kind' is used twice"


def test_bad_default(tmp_path: Path) -> None:
    source = edited("max = 120\n", 'max = 120\ndefault = "many"\n')
    problem = only_problem(tmp_path, source)
    assert problem.line == line_of(source, 'default = "many"')
    assert problem.message == "default: Give a whole number, for example 6."


def test_several_problems_are_all_reported_in_line_order(tmp_path: Path) -> None:
    source = edited('goto = "milieus"', 'goto = "milieux"')
    source = edited("when = \"kind == 'heavy'\"", "when = \"kind == 'medium'\"", source)
    source = edited('[[decisions.gate.next]]\ngoto = "not_yet"', '[[decisions.gate.next]]\nwhen = "true"\ngoto = "not_yet"', source)
    path, problems = problems_of(tmp_path, source)
    assert [p.line for p in problems] == [line_of(source, "milieux"), line_of(source, "'medium'"), line_of(source, 'when = "true"')]
    assert len(str(DialogError(problems)).splitlines()) == 3


def test_unreadable_file(tmp_path: Path) -> None:
    path, problems = problems_of(tmp_path, "", name="empty.toml")
    assert all(p.file == path for p in problems)
    missing = tmp_path / "absent.toml"
    with pytest.raises(DialogError) as error:
        load_dialog(missing)
    assert str(error.value).startswith(f"{missing}:1: cannot read the file")


# -- through the command line -----------------------------------------------------------------------------
PROBLEM_LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+): (?P<message>.+)$")


def test_lint_reports_file_line_message(tmp_path: Path, capsys) -> None:
    source = edited('goto = "milieus"', 'goto = "milieux"')
    source = edited('type = "int"', 'type = "text"', source)
    path = tmp_path / "broken.toml"
    path.write_text(source, encoding="utf-8")
    code = main(["lint", str(path)])
    captured = capsys.readouterr()
    assert code == 2
    assert "Traceback" not in captured.err
    lines = captured.err.splitlines()
    assert lines, "lint printed nothing"
    for line in lines:
        match = PROBLEM_LINE.match(line)
        assert match, line
        assert match["file"] == str(path)
    # Schema errors stop the load before the graph is checked: one problem, on the 'type' line.
    type_line = line_of(source, 'type = "text"')
    assert len(lines) == 1
    assert lines[0].startswith(f"{path}:{type_line}: questions.hgw_months.type: ")


def test_lint_bad_toml_through_cli(tmp_path: Path, capsys) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("[meta\nregion = 1\n", encoding="utf-8")
    assert main(["lint", "--lang", "en", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith(f"{path}:1: not valid TOML")
    assert "Traceback" not in captured.err
    assert len(captured.err.splitlines()) == 1


def test_lint_good_and_bad_file(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(TINY_SOURCE + '\n[outcomes.orphan]\nroute = "basis"\ntitle = "O"\ncite = "T"\n', encoding="utf-8")
    code = main(["lint", "--lang", "en", str(TINY), str(bad)])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == f"{TINY}: ok (9 nodes)\n"
    assert captured.err == f"{bad}:{line_of(bad.read_text(), '[outcomes.orphan]')}: orphan: cannot be reached from start 'needs_exceed_basic'\n"


def test_lint_warns_of_a_branch_no_answers_take(tmp_path: Path, capsys) -> None:
    """hgw_months is at most 120, so a branch for more than 200 is a dead rule: a warning, not a failure."""
    dead = tmp_path / "dead.toml"
    source = TINY_SOURCE.replace(
        'max = 120\ngoto = "milieus"\n',
        'max = 120\n[[questions.hgw_months.next]]\nwhen = "hgw_months > 200"\ngoto = "basis"\nbecause = "Very long."\n'
        '[[questions.hgw_months.next]]\ngoto = "milieus"\nbecause = "Usual."\n',
    )
    assert source != TINY_SOURCE
    dead.write_text(source, encoding="utf-8")
    code = main(["lint", "--lang", "en", str(dead)])
    captured = capsys.readouterr()
    assert code == 0
    line = line_of(source, 'when = "hgw_months > 200"') - 1  # the [[...next]] header of that branch
    assert captured.err == f"{dead}:{line}: warning: no answers take the branch from hgw_months to basis\n"


def test_lint_shipped_dialogs(capsys) -> None:
    files = region_files()
    assert {"breda", "liemers", "meierij", "utrecht"} <= set(files)
    code = main(["lint", "--lang", "en"])
    captured = capsys.readouterr()
    assert captured.err == "", captured.err
    assert code == 0
    assert len(captured.out.splitlines()) == len(files)
    for path in files.values():
        assert f"{path}: ok (" in captured.out


# -- line numbers (toml_lines) -----------------------------------------------------------------------------------
def test_text_inside_a_multiline_string_is_not_a_table_or_key(tmp_path: Path) -> None:
    help_text = 'help = """\nSee the table:\n[meta]\ntype = the kind of support\n"""'
    source = edited('prompt = "Which kind?"', f'prompt = "Which kind?"\n{help_text}\ncolour = "red"')
    problem = only_problem(tmp_path, source)
    assert problem.line == line_of(source, 'colour = "red"')
    assert problem.message == "questions.kind.colour: unknown key"


def test_line_index_locations() -> None:
    from intake_tui.rules.toml_lines import LineIndex

    source = "\n".join([
        "[meta]",                         # 1
        'start = "a"',                    # 2
        "[questions.a]",                  # 3
        "choices = [",                    # 4
        '  { value = "x", label = "X" },',  # 5
        '  { value = "y", label = "Y" },',  # 6
        "]",                              # 7
        "[[questions.a.next]]  # first",  # 8
        'goto = "b"',                     # 9
        "[[questions.a.next]]",           # 10
        "when = '''",                     # 11
        "[x]",                            # 12
        "'''",                            # 13
        'goto = "c"',                     # 14
        "[outcomes.b]",                   # 15
        "[[outcomes.b.budget]]",          # 16
        "per = 'year'",                   # 17
    ])
    index = LineIndex(source)
    assert index.line_of(("meta", "start")) == 2
    assert index.line_of(("questions", "a", "choices", 1, "value")) == 6
    assert index.line_of(("questions", "a", "choices", 0)) == 5
    assert index.line_of(("questions", "a", "next", 0, "goto")) == 9
    assert index.line_of(("questions", "a", "next", 1, "when")) == 11
    assert index.line_of(("questions", "a", "next", 1, "goto")) == 14
    assert index.line_of(("questions", "a", "next", 1, "because")) == 10
    assert index.line_of(("outcomes", "b", "budget", 0, "per")) == 17
    assert index.line_of(("outcomes", "b", "title")) == 15
    assert index.line_of(("nowhere",)) == 1


# -- lint is the gate: what it passes loads and runs (issue 17) ------------------------------------------
# One edit of the fixture that lint must refuse, the line it must name, and what it must say.
@pytest.mark.parametrize(("old", "new", "marker", "fragment"), [
    pytest.param("max = 120", "max = 99.5", "max = 99.5", "'max' of an int question must be a whole number, not 99.5",
                 id="int_max_not_whole"),
    pytest.param("min = 0\nmax = 120", "min = nan\nmax = 120", "min = nan", "must be a finite number",
                 id="min_nan"),
    pytest.param("max = 120", "max = inf", "max = inf", "must be a finite number", id="max_inf"),
    pytest.param("max = 120", "max = -inf", "max = -inf", "must be a finite number", id="max_minus_inf"),
    pytest.param("min = 0\nmax = 120", "min = 200\nmax = 120", "max = 120", "'min' (200.0) is above 'max' (120.0)",
                 id="min_above_max"),
    pytest.param("max = 120", "max = 1e300", "max = 1e300", "must be at most 1000000000000000", id="max_huge"),
    pytest.param("max = 120", "max = 120\ndefault = 500", "default = 500", "The answer must be at most 120.",
                 id="default_above_max"),
    pytest.param("max = 120", "max = 120\ndefault = -3", "default = -3", "The answer must be at least 0.",
                 id="default_below_min"),
    pytest.param("min = 0\nmax = 40", "min = 0\ndefault = 1e200", "default = 1e200", "default: That number is too large to be an answer.",
                 id="default_huge"),
    pytest.param("min = 1000", "min = nan", "min = nan", "must be a finite number", id="budget_nan"),
    pytest.param('hours_per_week = "min(hours, 3)"', "hours_per_week = nan", "hours_per_week", "must be a finite number",
                 id="hours_nan"),
])
def test_lint_refuses_numbers_that_would_break_every_check(tmp_path: Path, old: str, new: str, marker: str, fragment: str) -> None:
    source = edited(old, new)
    problem = only_problem(tmp_path, source)
    assert problem.line == line_of(source, marker)
    assert fragment in problem.message


def test_an_int_question_with_whole_bounds_written_as_floats_loads(tmp_path: Path) -> None:
    path = tmp_path / "floats.toml"
    path.write_text(edited("min = 0\nmax = 120", "min = 0.0\nmax = 120.0"), encoding="utf-8")
    assert load_dialog(path).questions["hgw_months"].max == 120


WARN_TEXT = 'text = "{asked} hours asked; at most 3."'


@pytest.mark.parametrize(("text", "fragment"), [
    ("{asked:>999999999} hours", "{asked:>999999999} is not a plain placeholder"),
    ("{asked:,} hours", "{asked:,} is not a plain placeholder"),
    ("{asked!r} hours", "{asked!r} is not a plain placeholder"),
    ("{asked.real} hours", "{asked.real} is not a plain placeholder"),
    ("{asked[0]} hours", "{asked[0]} is not a plain placeholder"),
    ("{0} hours", "{0} is not a plain placeholder"),
    ("{} hours", "{} is not a plain placeholder"),
    ("{asked hours", "is not matched"),
    ("asked} hours", "is not matched"),
    ("{missing} hours", "{missing} has no entry in 'values'"),
])
def test_a_placeholder_is_a_plain_name_from_values(tmp_path: Path, text: str, fragment: str) -> None:
    """A format spec such as {x:>999999999} built a huge string (MemoryError, then a hang) on every check."""
    source = edited(WARN_TEXT, f'text = "{text}"')
    problem = only_problem(tmp_path, source)
    assert problem.line == line_of(source, f'text = "{text}"')
    assert fragment in problem.message


def test_money_is_the_one_format_a_placeholder_may_ask(tmp_path: Path) -> None:
    """{x:money} writes an amount with two decimals (the report's euros); it must pass lint and load."""
    path = tmp_path / "money.toml"
    path.write_text(edited(WARN_TEXT, 'text = "{asked:money} asked; at most 3."'), encoding="utf-8")
    load_dialog(path)


def test_doubled_braces_are_literal_text(tmp_path: Path) -> None:
    path = tmp_path / "braces.toml"
    path.write_text(edited(WARN_TEXT, 'text = "{{{asked}}} hours asked; at most 3."'), encoding="utf-8")
    load_dialog(path)


@pytest.mark.parametrize(("condition", "fragment"), [
    pytest.param("hgw_months > 1" + " and hgw_months > 1" * 200, "characters long; at most 2000", id="too_long"),
    pytest.param("(" * 250 + "hgw_months" + ")" * 250 + " > 1", "nested more than 32 levels", id="deep_parentheses"),
    pytest.param("min(" * 40 + "hgw_months" + ")" * 40 + " > 1", "nested more than 32 levels", id="deep_calls"),
    pytest.param("not " * 400 + "(hgw_months > 1)", "nested more than 32 levels", id="deep_not"),
    pytest.param("-" * 900 + "hgw_months > 1", "nested more than 32 levels", id="deep_minus"),
    pytest.param("hgw_months" + " + 1" * 300 + " > 1", "nested more than 32 levels", id="long_sum"),
    pytest.param("hgw_months > " + "9" * 1500, "the number 99999999999999999999… is too large", id="huge_int"),
    pytest.param("hgw_months > 1e999", "the number 1e999 is too large", id="inf_literal"),
    pytest.param("hgw_months > 10000000000000000", "is too large", id="above_the_limit"),
    pytest.param("hgw_months in [1, 99999999999999999]", "is too large", id="huge_in_list"),
])
def test_lint_refuses_conditions_past_the_limits(tmp_path: Path, condition: str, fragment: str) -> None:
    source = edited('when = "hgw_months >= 6 and len(milieus) >= 2"', f'when = "{condition}"')
    problem = only_problem(tmp_path, source)
    assert problem.line == line_of(source, condition[:40])
    assert fragment in problem.message
    assert len(problem.message) < 400, "the message quotes a shortened condition"


@pytest.mark.parametrize(("value", "marker"), [
    pytest.param("[" * 5000 + "]" * 5000, "help = [[[", id="deep_arrays"),
    pytest.param("{a = " * 3000 + "1" + "}" * 3000, "help = {a", id="deep_inline_tables"),
    pytest.param("[" * 17 + "]" * 17, "help = [[[", id="just_past_the_limit"),
])
def test_deep_toml_is_refused_before_tomllib_recurses(tmp_path: Path, value: str, marker: str) -> None:
    source = edited('prompt = "Which kind?"', f'prompt = "Which kind?"\nhelp = {value}')
    problem = only_problem(tmp_path, source)
    assert problem.line == line_of(source, marker)
    assert "nested more than 16 deep" in problem.message


def test_brackets_inside_strings_and_comments_do_not_count(tmp_path: Path) -> None:
    brackets = "[" * 40
    source = edited('prompt = "Which kind?"', f"prompt = \"Which kind? {brackets}\"  # {brackets}\nhelp = '''{brackets}'''")
    path = tmp_path / "strings.toml"
    path.write_text(source, encoding="utf-8")
    load_dialog(path)


def test_a_number_of_thousands_of_digits_is_refused(tmp_path: Path) -> None:
    source = edited("max = 120", "max = " + "9" * 5000)
    problem = only_problem(tmp_path, source)
    assert problem.line == line_of(source, "max = 999")
    assert problem.message == "a number here is too large"


@pytest.mark.parametrize("kind", ["folder", "fifo"])
def test_a_folder_or_fifo_is_not_read_as_a_dialog(tmp_path: Path, kind: str) -> None:
    import os

    path = tmp_path / "odd.toml"
    if kind == "folder":
        path.mkdir()
    else:
        os.mkfifo(path)
    with pytest.raises(DialogError) as error:
        load_dialog(path)  # a FIFO would block a read for ever
    assert str(error.value).startswith(f"{path}:1: this is ")


# -- large generated dialogs --------------------------------------------------------------------------------
def lint_output(capsys, *paths: Path, lang: str = "en") -> tuple[int, str, str]:
    code = main(["lint", "--lang", lang, *map(str, paths)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_dialog_of_5000_nodes_lints_loads_and_runs(tmp_path: Path, capsys, monkeypatch) -> None:
    """Path solving, reachability and the graph order once recursed per node (RecursionError at 2,000):
    5,000 nodes is well past that (20,000 took a tenth of the suite's time to prove the same)."""
    from intake_tui.check.pipeline import check_answers
    from intake_tui.cli import info as info_cmds
    from intake_tui.i18n import language

    from ..big_dialogs import big_dialog

    path = tmp_path / "big.toml"
    path.write_text(big_dialog(5_000, skips=True), encoding="utf-8")
    loaded = []  # the dialog lint loaded, to run it without reading it again
    monkeypatch.setattr(info_cmds, "load_dialog", lambda path: loaded.append(load_dialog(path)) or loaded[-1])
    code, out, err = lint_output(capsys, path)
    assert code == 0, err[:2000]
    assert out == f"{path}: ok (5002 nodes)\n"
    assert "Traceback" not in err and len(err.splitlines()) <= 2
    (dialog,) = loaded
    answers = {fact: (1 if question.type == "int" else False) for fact, question in dialog.questions.items()}
    result = check_answers(dialog, answers, language("nl"))
    assert result["complete"] and result["recommendation"]["route"] == "basis"
    assert len(result["path"]) == 5_000
    assert dialog.questions_left[dialog.start] == 5_000


def test_a_dialog_full_of_cycles_gets_a_short_report(tmp_path: Path, capsys) -> None:
    """A 20,000-node dialog with back edges wrote 440 MB of cycle messages."""
    from intake_tui.rules.compiler import MAX_CYCLES_SHOWN

    from ..big_dialogs import big_dialog

    path = tmp_path / "cycles.toml"
    path.write_text(big_dialog(3_000, back_edges=True), encoding="utf-8")
    code, out, err = lint_output(capsys, path)
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert len(lines) == MAX_CYCLES_SHOWN + 1
    assert all(PROBLEM_LINE.match(line) for line in lines), lines
    assert lines[0].endswith(": cycle: q1 -> q2 -> q3 -> q1")
    assert lines[-1].endswith(f": … and {2997 - MAX_CYCLES_SHOWN} more cycles")


def test_a_long_cycle_is_shown_by_its_ends(tmp_path: Path) -> None:
    from ..big_dialogs import big_dialog

    path, problems = problems_of(tmp_path, big_dialog(2_000, cycle=True))
    cycles = [p.message for p in problems if p.message.startswith("cycle:")]
    assert cycles == ["cycle: q0 -> q1 -> q2 -> q3 -> q4 -> q5 -> … (1990) -> q1996 -> q1997 -> q1998 -> q1999 -> q0"]


def test_many_problems_are_counted_past_the_first(tmp_path: Path, capsys) -> None:
    from intake_tui.rules.dialog import SHOWN_PROBLEMS

    orphans = "".join(f'\n[outcomes.orphan{i}]\nroute = "basis"\ntitle = "O"\ncite = "T"\n' for i in range(500))
    path = tmp_path / "orphans.toml"
    path.write_text(TINY_SOURCE + orphans, encoding="utf-8")
    code, out, err = lint_output(capsys, path)
    lines = err.splitlines()
    assert code == 2
    assert len(lines) == SHOWN_PROBLEMS + 1
    assert lines[-1] == f"{path}: … and {500 - SHOWN_PROBLEMS} more problems"


# -- a folder, and the language -----------------------------------------------------------------------------
def test_lint_a_folder_lints_every_dialog_in_it(tmp_path: Path, capsys) -> None:
    """'intake lint dialogs/' said 'dialogs:1: cannot read the file: [Errno 21] Is a directory'."""
    (tmp_path / "a_good.toml").write_text(TINY_SOURCE, encoding="utf-8")
    (tmp_path / "b_bad.toml").write_text(edited('goto = "milieus"', 'goto = "milieux"'), encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a dialog", encoding="utf-8")
    code, out, err = lint_output(capsys, tmp_path)
    assert code == 2
    assert out == f"{tmp_path / 'a_good.toml'}: ok (9 nodes)\n"
    assert err.startswith(f"{tmp_path / 'b_bad.toml'}:")
    assert "notes.txt" not in out + err


def test_lint_the_shipped_folder(capsys) -> None:
    from intake_tui.rules.regions import dialog_files

    files = dialog_files()
    code, out, err = lint_output(capsys, files[0].parent)
    assert code == 0, err
    assert out.splitlines() == [f"{path}: ok ({len(load_dialog(path).nodes)} nodes)" for path in files]


def test_lint_an_empty_folder(tmp_path: Path, capsys) -> None:
    code, out, err = lint_output(capsys, tmp_path, lang="nl")
    assert code == 2
    assert err == f"{tmp_path}: geen dialoogbestanden (*.toml) in deze map\n"


@pytest.mark.parametrize(("source", "dutch"), [
    pytest.param(edited('prompt = "Which kind?"', 'prompt = "Which kind?"\ncolour = "red"'), "questions.kind.colour: onbekende sleutel",
                 id="pydantic"),
    pytest.param(edited('prompt = "Which kind?"\n', ""), "questions.kind.prompt: deze sleutel is verplicht", id="missing"),
    pytest.param(edited('type = "int"', "type = int"), "geen geldige TOML: geen geldige waarde", id="toml"),
    pytest.param(edited("max = 120", "max = 99.5"), "moet een heel getal zijn, niet 99.5", id="own_validator"),
    pytest.param(edited("when = \"kind == 'heavy'\"", "when = \"kind == 'medium'\""), "is geen waarde van kind", id="expression"),
    pytest.param(edited('goto = "milieus"', 'goto = "milieux"'), "die knoop bestaat niet", id="graph"),
    pytest.param(edited(WARN_TEXT, 'text = "{asked:>9}"'), "is geen eenvoudige invulplek", id="placeholder"),
])
def test_lint_speaks_dutch_by_default(tmp_path: Path, capsys, monkeypatch, source: str, dutch: str) -> None:
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    path = tmp_path / "broken.toml"
    path.write_text(source, encoding="utf-8")
    code = main(["lint", str(path)])
    err = capsys.readouterr().err
    assert code == 2
    assert dutch in err, err
    for english in ("Input should", "Field required", "Invalid value", "unknown key", "there is no such node"):
        assert english not in err


# -- fuzz: whatever lint passes loads and runs -------------------------------------------------------------
FUZZ_SOURCES = [TINY_SOURCE, (region_files()["liemers"]).read_text(encoding="utf-8")]
NASTY = [
    "nan", "inf", "-inf", "1e999", "9" * 30, "99.5", "-1", "0", "120", '"x"', "'x'", "[", "]", "{", "}", "[[", "]]",
    "[" * 40, "{x:>999999999}", "{asked:>99}", "{0}", '"', "'", '"""', "\\", "=", "#", ".", ",", "\n", "true", "false",
    "when", "goto", "next", "not", "and", "or", "(", ")", "len(", "min(", "**", "__import__('os')", "[]", "{}",
    "hgw_months", "kind", "basis", "not_yet", "int", "number", "choices", "bool", "(" * 50, "-" * 40, "x" * 3000,
]
TOKEN = re.compile(r"\w+|[^\w\s]")


@st.composite
def mutated_dialog(draw) -> str:
    lines = draw(st.sampled_from(FUZZ_SOURCES)).splitlines()
    for _ in range(draw(st.integers(1, 4))):
        where = draw(st.integers(0, len(lines) - 1))
        edit = draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "token", "token", "token"]))
        if edit == "delete":
            del lines[where]
        elif edit == "duplicate":
            lines.insert(where, lines[where])
        elif edit == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[where], lines[other] = lines[other], lines[where]
        elif edit == "insert":
            lines.insert(where, draw(st.sampled_from(NASTY)) + draw(st.text(max_size=8)))
        else:
            tokens = list(TOKEN.finditer(lines[where]))
            if tokens:
                token = tokens[draw(st.integers(0, len(tokens) - 1))]
                new = draw(st.sampled_from(NASTY) | st.text(max_size=6))
                lines[where] = lines[where][: token.start()] + new + lines[where][token.end():]
        if not lines:
            lines = [""]
    return "\n".join(lines) + "\n"


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(source=mutated_dialog(), language=st.sampled_from(["nl", "en"]), data=st.data())
def test_a_mutated_dialog_is_refused_with_file_line_or_loads_and_runs(source: str, language: str, data) -> None:
    import contextlib
    import io
    import tempfile

    from intake_tui.check.pipeline import check_answers
    from intake_tui.i18n import Language
    from intake_tui.rules.candidates import candidate_values

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "mutated.toml"
        path.write_text(source, encoding="utf-8")
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["lint", "--lang", language, str(path)])
        assert code in (0, 2), err.getvalue()
        if code == 2:
            lines = err.getvalue().splitlines()
            assert lines
            for line in lines:
                assert re.match(rf"{re.escape(str(path))}:(\d+: |\s…)", line), line
            return
        dialog = load_dialog(path)
    # Lint passed: the dialog loads and checks answers of every kind without an exception.
    candidates = candidate_values(dialog)
    answers = {fact: data.draw(st.sampled_from(values)) for fact, values in candidates.items() if values}
    for given_answers in (answers, {}):
        result = check_answers(dialog, given_answers, Language(language))
        assert result["complete"] in (True, False)
