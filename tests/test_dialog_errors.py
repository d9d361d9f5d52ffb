"""Broken dialog files: every problem is reported as ``file:line: message`` on the right line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from intake_tui.cli import main
from intake_tui.dialog import DialogError, load_dialog
from intake_tui.regions import region_files

TINY = Path(__file__).resolve().parent / "fixtures" / "tiny.toml"
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
    assert "'bool', 'int', 'number', 'choice' or 'choices'" in problem.message


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
    assert problem.message == "questions.kind.prompt: Field required"


# One edit of the fixture, the line the one problem must point at, and what its message must say.
@pytest.mark.parametrize(("old", "new", "marker", "fragment"), [
    pytest.param("max = 120", "max = -1", "[questions.hgw_months]", "'min' (0.0) is above 'max' (-1.0)", id="min_above_max"),
    pytest.param("when = \"kind == 'heavy'\"", "when = \"kindd == 'heavy'\"", "kindd", "unknown fact 'kindd'", id="unknown_fact_in_condition"),
    pytest.param("when = \"kind == 'heavy'\"", "when = \"kind == 'medium'\"", "'medium'", "'medium' is not a value of kind", id="choice_value_not_among_values"),
    pytest.param('ok = "len(milieus) >= 2"', "ok = \"len(milieus) >= 'two'\"", "'two'", "compare numbers only", id="type_error_in_outcome_check"),
    pytest.param('when = "hours > 3"', 'when = "hourz > 3"', "hourz", "unknown fact 'hourz'", id="unknown_fact_in_warning"),
    pytest.param('hours_per_week = "min(hours, 3)"', 'hours_per_week = "hours > 3"', "hours_per_week", "gives a bool, a number is needed", id="hours_must_be_a_number"),
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
    assert main(["lint", str(path)]) == 2
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
    from intake_tui.toml_lines import LineIndex

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
