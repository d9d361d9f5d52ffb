"""``intake check``: exit codes, JSON and text output, batch streaming, no UI imports."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from intake_tui.cli.main import main
from intake_tui.i18n import Language
from intake_tui.rules import regions

TINY = Path(__file__).resolve().parents[1] / "fixtures" / "tiny.toml"
REPO = Path(__file__).resolve().parents[2]

HEAVY = {"needs_exceed_basic": True, "hgw_months": 8, "milieus": ["home", "school"], "kind": "heavy", "hours": 5}


@pytest.fixture(autouse=True)
def tiny_region(monkeypatch):
    """Make the test dialog a region called 'tiny', beside the shipped ones."""
    shipped = regions.dialog_files

    def with_tiny():
        return [*shipped(), TINY]

    monkeypatch.setattr(regions, "dialog_files", with_tiny)
    regions.load_region.cache_clear()
    yield
    regions.load_region.cache_clear()


def write(tmp_path: Path, data, name: str = "answers.json") -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(path)


def check(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["check", "--lang", "en", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_one_line_error(err: str) -> str:
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("intake: ")
    return lines[0]


# -- single file -------------------------------------------------------------------------------
def test_complete_result(tmp_path: Path, capsys) -> None:
    code, out, err = check(capsys, "--region", "tiny", "--answers", write(tmp_path, HEAVY))
    assert code == 0
    assert err == ""
    result = json.loads(out)
    assert result["region"] == "tiny"
    assert result["ruleset_version"] == "t1"
    assert result["complete"] is True
    assert result["next_question"] is None
    assert result["path"] == ["needs_exceed_basic", "hgw_months", "milieus", "kind", "hours"]
    assert result["assumed"] == []
    recommendation = result["recommendation"]
    assert recommendation["route"] == "arrangement"
    assert recommendation["outcome"] == "arrangement"
    assert recommendation["hours_per_week"] == 3
    assert recommendation["warnings"] == ["5 hours asked; at most 3."]
    assert recommendation["missing"] == []


def test_incomplete_result(tmp_path: Path, capsys) -> None:
    code, out, err = check(capsys, "--region", "tiny", "--answers", write(tmp_path, {"needs_exceed_basic": True, "hgw_months": 2}))
    assert code == 0
    result = json.loads(out)
    assert result["complete"] is False
    assert result["next_question"] == "milieus"
    assert result["path"] == ["needs_exceed_basic", "hgw_months"]
    assert result["recommendation"] is None


def test_scenario_file_names_its_region_and_wraps_answers(tmp_path: Path, capsys) -> None:
    scenario = {"name": "x", "region": "tiny", "answers": {**HEAVY, "kind": "light", "hgw_months": 2}, "expect": {}}
    code, out, _ = check(capsys, "--answers", write(tmp_path, scenario))
    assert code == 0
    result = json.loads(out)
    assert result["recommendation"]["route"] == "not_yet"
    assert result["recommendation"]["missing"] == ["hgw_months"]
    # Facts the dialog does not ask are ignored ('hours' is not on the light path).
    assert "hours" not in result["path"]


def test_text_answers_are_read_as_typed(tmp_path: Path, capsys) -> None:
    answers = {"needs_exceed_basic": "ja", "hgw_months": "8", "milieus": "1,2", "kind": "Heavy", "hours": "2,5"}
    code, out, _ = check(capsys, "--region", "tiny", "--answers", write(tmp_path, answers))
    assert code == 0
    assert json.loads(out)["recommendation"]["hours_per_week"] == 2.5


def test_answers_from_stdin(capsys, monkeypatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps({"needs_exceed_basic": False})))
    code, out, _ = check(capsys, "--region", "tiny", "--answers", "-")
    assert code == 0
    assert json.loads(out)["recommendation"]["route"] == "basis"


def test_jsonl_format_is_one_line(tmp_path: Path, capsys) -> None:
    code, out, _ = check(capsys, "--region", "tiny", "--answers", write(tmp_path, HEAVY), "--format", "jsonl")
    assert code == 0
    assert out.count("\n") == 1
    assert json.loads(out)["complete"] is True


def test_text_format_complete(tmp_path: Path, capsys) -> None:
    code, out, _ = check(capsys, "--region", "tiny", "--answers", write(tmp_path, HEAVY), "--format", "text")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Test SWV — Test dialog (rules t1)"
    assert lines[2] == "Arrangement"
    assert lines[3:5] == ["  • Route: Arrangement", "  • Form: individual"]
    assert "  • Hours a week: 3" in lines
    assert "  • Budget: €1,000.00 – €2,500.50 per year" in lines
    assert "  • 5 hours asked; at most 3." in lines
    # The branch's own reason and its source; never the condition as written.
    assert "  • Enough HGW, problems in two settings. (T · 6)" in lines
    assert lines[-1] == "Source: Test SWV · T · 6"


def test_text_format_missing(tmp_path: Path, capsys) -> None:
    answers = {"needs_exceed_basic": True, "hgw_months": 2, "milieus": [], "kind": "light"}
    code, out, _ = check(capsys, "--region", "tiny", "--answers", write(tmp_path, answers), "--format", "text")
    assert code == 0
    assert "Still missing:\n  • At least six months of HGW.\n  • Problems in two settings.\n" in out
    assert "hgw_months" not in out and "milieus" not in out


def test_text_format_incomplete(tmp_path: Path, capsys) -> None:
    code, out, _ = check(capsys, "--region", "tiny", "--answers", write(tmp_path, {"needs_exceed_basic": True}), "--format", "text")
    assert code == 0
    assert out == (
        "Test SWV — Test dialog (rules t1)\n\n"
        "Incomplete: the next question on this path is not answered.\n"
        "  How many months of HGW?\n"
    )


def test_dutch_is_the_default_language(tmp_path: Path, capsys) -> None:
    code = main(["check", "--region", "tiny", "--answers", write(tmp_path, {"needs_exceed_basic": True}), "--format", "text"])
    out = capsys.readouterr().out
    assert code == 0
    assert "Incomplete: the next question" not in out
    assert "Onvolledig" in out


# -- errors: exit 2, one line, no traceback ----------------------------------------------------------------
def test_missing_file(tmp_path: Path, capsys) -> None:
    missing = tmp_path / "absent.json"
    code, out, err = check(capsys, "--region", "tiny", "--answers", str(missing))
    assert code == 2
    assert out == ""
    line = assert_one_line_error(err)
    assert line == f"intake: {missing}: cannot read the file (No such file or directory)"


def test_invalid_json(tmp_path: Path, capsys) -> None:
    path = write(tmp_path, '{\n  "needs_exceed_basic": true,\n}\n')
    code, out, err = check(capsys, "--region", "tiny", "--answers", path)
    assert code == 2
    assert out == ""
    line = assert_one_line_error(err)
    # where, in words (the trailing comma is seen at the brace on line 3), never the parser's English
    assert line == f"intake: {path}:3: not valid JSON (line 3, column 1)"


def test_invalid_json_in_dutch(tmp_path: Path, capsys) -> None:
    path = write(tmp_path, '{\n  "needs_exceed_basic": true,\n}\n')
    assert main(["check", "--lang", "nl", "--region", "tiny", "--answers", path]) == 2
    assert assert_one_line_error(capsys.readouterr().err) == f"intake: {path}:3: geen geldige JSON (regel 3, kolom 1)"


@pytest.mark.parametrize(
    ("answers", "fragment"),
    [
        ({"needs_exceed_basic": 3}, "needs_exceed_basic: Answer yes or no (ja/nee, j/n)."),
        ({"needs_exceed_basic": True, "hgw_months": "many"}, "hgw_months: Give a whole number, for example 6."),
        ({"needs_exceed_basic": True, "hgw_months": True}, "hgw_months: Give a whole number, for example 6."),
        ({"needs_exceed_basic": True, "hgw_months": 500}, "hgw_months: The answer must be at most 120."),
        ({"kind": "medium"}, "kind: Choose one of: 1. Light, 2. Heavy."),
        ({"milieus": "garden"}, "milieus: Choose one of: 1. At home, 2. At school, 3. Elsewhere."),
    ],
)
def test_wrong_value_type(tmp_path: Path, capsys, answers, fragment) -> None:
    path = write(tmp_path, answers)
    code, out, err = check(capsys, "--region", "tiny", "--answers", path)
    assert code == 2
    assert out == ""
    assert assert_one_line_error(err) == f"intake: {path}: {fragment}"


@pytest.mark.parametrize(("data", "fragment"), [([1, 2], "expected a JSON object of answers"), ({"answers": [1]}, "'answers' must be a JSON object")])
def test_not_an_object(tmp_path: Path, capsys, data, fragment) -> None:
    path = write(tmp_path, data)
    code, _, err = check(capsys, "--region", "tiny", "--answers", path)
    assert code == 2
    assert assert_one_line_error(err) == f"intake: {path}: {fragment}"


def test_unknown_region(tmp_path: Path, capsys) -> None:
    code, out, err = check(capsys, "--region", "atlantis", "--answers", write(tmp_path, HEAVY))
    assert code == 2
    assert out == ""
    line = assert_one_line_error(err)
    assert line.startswith("intake: unknown region 'atlantis'; choose one of: ")
    assert "liemers" in line and "tiny" in line


def test_region_whose_dialog_does_not_load(tmp_path: Path, capsys, monkeypatch) -> None:
    broken = tmp_path / "broken_test_region.toml"
    broken.write_text(TINY.read_text(encoding="utf-8").replace('goto = "milieus"', 'goto = "milieux"'), encoding="utf-8")
    files = regions.dialog_files()
    monkeypatch.setattr(regions, "dialog_files", lambda: [*files, broken])
    regions.load_region.cache_clear()
    code, out, err = check(capsys, "--region", "broken_test_region", "--answers", write(tmp_path, HEAVY))
    regions.load_region.cache_clear()
    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    assert err.startswith(f"intake: {broken}:")
    assert "goto 'milieux': there is no such node" in err


def test_no_region(tmp_path: Path, capsys) -> None:
    code, _, err = check(capsys, "--answers", write(tmp_path, HEAVY))
    assert code == 2
    assert assert_one_line_error(err).startswith("intake: no region given; use --region (")


# -- batch -------------------------------------------------------------------------------------------------------
def batch(capsys, tmp_path: Path, *args: str) -> tuple[int, list[dict], str]:
    """Run a batch writing its results to a file; the results, one per line, and stderr."""
    output = tmp_path / "results.jsonl"
    code, out, err = check(capsys, "--region", "tiny", *args, "--output", str(output))
    assert out == ""
    text = output.read_text(encoding="utf-8")
    assert text == "" or text.endswith("\n")
    return code, [json.loads(line) for line in text.splitlines()], err


def test_batch_one_result_per_line(tmp_path: Path, capsys) -> None:
    lines = [
        json.dumps({"id": "a", "answers": HEAVY}),
        "",
        json.dumps({"id": "b", "region": "tiny", "answers": {"needs_exceed_basic": False}}),
        json.dumps({"needs_exceed_basic": True}),
    ]
    path = write(tmp_path, "\n".join(lines) + "\n", "cases.jsonl")
    code, results, err = batch(capsys, tmp_path, "--batch", path)
    assert code == 0
    assert "Traceback" not in err and "intake:" not in err
    assert len(results) == 3
    assert [r.get("id") for r in results] == ["a", "b", None]
    assert [r["complete"] for r in results] == [True, True, False]
    assert results[0]["recommendation"]["route"] == "arrangement"
    assert results[0]["recommendation"]["hours_per_week"] == 3
    assert results[1]["recommendation"]["route"] == "basis"
    assert results[2]["next_question"] == "hgw_months"


def test_batch_bad_line_gives_an_error_object_and_exit_2(tmp_path: Path, capsys) -> None:
    lines = [
        json.dumps({"answers": {"needs_exceed_basic": False}}),
        "{not json",
        json.dumps({"region": "atlantis", "answers": {}}),
        json.dumps({"id": "d", "answers": {"hgw_months": "many"}}),
        json.dumps([1, 2]),
        json.dumps({"answers": {"needs_exceed_basic": True}}),
    ]
    path = write(tmp_path, "\n".join(lines) + "\n", "cases.jsonl")
    code, results, err = batch(capsys, tmp_path, "--batch", path)
    assert code == 2
    assert len(results) == 6
    assert results[0]["recommendation"]["route"] == "basis"
    assert results[1]["line"] == 2 and results[1]["error"] == f"{path}:2: not valid JSON (line 2, column 2)"
    assert results[2]["line"] == 3 and results[2]["error"].startswith(f"{path}:3: unknown region 'atlantis'")
    assert results[3]["line"] == 4
    assert results[3]["error"] == f"{path}:4: hgw_months: Give a whole number, for example 6."
    assert results[4]["line"] == 5 and results[4]["error"] == f"{path}:5: expected a JSON object of answers"
    assert results[5]["complete"] is False
    assert all("recommendation" not in r for r in results[1:5])
    assert "Traceback" not in err
    problems = [line for line in err.splitlines() if line.startswith("intake: ")]
    assert problems == [f"intake: {r['error']}" for r in results[1:5]]


def test_batch_summary_on_stderr(tmp_path: Path, capsys) -> None:
    lines = [json.dumps({"answers": {"needs_exceed_basic": False}}), json.dumps({"answers": HEAVY}), "oops"]
    path = write(tmp_path, "\n".join(lines), "cases.jsonl")
    code, results, err = batch(capsys, tmp_path, "--batch", path)
    assert code == 2
    assert len(results) == 3
    assert "3 cases checked" in err


def test_batch_csv_in_and_out(tmp_path: Path, capsys) -> None:
    path = write(
        tmp_path,
        "id,needs_exceed_basic,hgw_months,milieus,kind,hours\n"
        "c1,ja,8,\"home, school\",heavy,5\n"
        "c2,nee,,,,\n"
        "c3,ja,zes,,,\n",
        "cases.csv",
    )
    output = tmp_path / "results.csv"
    code, out, err = check(capsys, "--region", "tiny", "--batch", path, "--output", str(output))
    assert code == 2
    import csv

    rows = list(csv.DictReader(output.open(encoding="utf-8")))
    assert [row["id"] for row in rows] == ["c1", "c2", "c3"]
    assert (rows[0]["route"], rows[0]["hours_per_week"], rows[0]["warnings"]) == ("arrangement", "3.0", "1")
    assert rows[1]["route"] == "basis"
    assert rows[2]["route"] == "" and "hgw_months" in rows[2]["error"]


def test_batch_missing_file(tmp_path: Path, capsys) -> None:
    code, out, err = check(capsys, "--region", "tiny", "--batch", str(tmp_path / "absent.jsonl"))
    assert code == 2
    assert out == ""
    assert assert_one_line_error(err).startswith(f"intake: {tmp_path / 'absent.jsonl'}: cannot read the file")


def test_batch_streams_without_reading_everything_first() -> None:
    """Each result is made before the next line is read, on the exact and the fast step."""
    from intake_tui.check.batch import batch_results

    read = []

    class Lines(io.BytesIO):
        def __iter__(self):
            for number in range(1, 5):
                read.append(number)
                yield (json.dumps({"answers": {"needs_exceed_basic": number != 2}}) + "\n").encode()

    results = batch_results(Lines(), "-", False, "tiny", Language("en"))
    first = next(results)
    assert read == [1]
    assert first.result.next_question == "hgw_months"
    second = next(results)
    assert read == [1, 2]
    assert second.result.route == "basis"
    assert next(results).line == 3 and read == [1, 2, 3]
    assert len(list(results)) == 1
    assert read == [1, 2, 3, 4]


class _Stream(io.StringIO):
    def close(self) -> None:  # keep the text readable; remember that close was asked
        self.closed_by_program = True


def test_batch_leaves_stdin_and_stdout_open(monkeypatch) -> None:
    stdin = _Stream(json.dumps({"answers": {"needs_exceed_basic": False}}) + "\n")
    stdout = _Stream()
    monkeypatch.setattr(sys, "stdin", stdin)
    monkeypatch.setattr(sys, "stdout", stdout)
    code = main(["check", "--lang", "en", "--region", "tiny", "--batch", "-"])
    assert code == 0
    assert json.loads(stdout.getvalue())["recommendation"]["route"] == "basis"
    assert not getattr(stdout, "closed_by_program", False)
    assert not getattr(stdin, "closed_by_program", False)


def test_batch_to_stdout_in_a_process(tmp_path: Path) -> None:
    lines = [json.dumps({"answers": {"needs_exceed_basic": False}}), "{bad", json.dumps({"answers": {"needs_exceed_basic": True}})]
    path = write(tmp_path, "\n".join(lines) + "\n", "cases.jsonl")
    result = subprocess.run(
        [sys.executable, "-c", "import sys; from intake_tui.cli.main import main; sys.exit(main(sys.argv[1:]))",
         "check", "--lang", "en", "--region", "liemers", "--batch", path],
        capture_output=True, text=True, timeout=60, cwd=REPO,
    )
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    results = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(results) == 3
    assert results[0]["recommendation"]["route"] == "basis"
    assert results[1]["line"] == 2 and "not valid JSON" in results[1]["error"]
    assert results[2]["complete"] is False and results[2]["path"] == ["needs_exceed_basic"]


# -- a shipped region, and no UI import ------------------------------------------------------------------------------
def test_shipped_region_incomplete(tmp_path: Path, capsys) -> None:
    code, out, _ = check(capsys, "--region", "liemers", "--answers", write(tmp_path, {"needs_exceed_basic": True}))
    assert code == 0
    result = json.loads(out)
    assert result["region"] == "liemers"
    assert result["complete"] is False
    assert result["path"] == ["needs_exceed_basic"]
    assert result["next_question"] not in (None, "needs_exceed_basic")


def test_check_does_not_import_textual(tmp_path: Path) -> None:
    answers = write(tmp_path, {"needs_exceed_basic": False})
    program = (
        "import sys\n"
        "from intake_tui.cli.main import main\n"
        f"code = main(['check', '--region', 'liemers', '--answers', {answers!r}])\n"
        "assert code == 0, code\n"
        "assert 'textual' not in sys.modules, sorted(m for m in sys.modules if m.startswith('textual'))\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=60, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "ok"
    assert json.loads("\n".join(result.stdout.splitlines()[:-1]))["recommendation"]["route"] == "basis"


def test_batch_lines_are_brief_unless_full_detail_is_asked(tmp_path: Path, capsys) -> None:
    path = write(tmp_path, json.dumps({"id": 7, "answers": HEAVY}) + "\n", "cases.jsonl")
    code, (brief,), _ = batch(capsys, tmp_path, "--batch", path)
    assert code == 0
    assert list(brief) == ["id", "line", "region", "ruleset_version", "complete", "next_question", "path", "assumed", "recommendation"]
    assert set(brief["recommendation"]) == {"outcome", "route", "form", "level", "tlv", "domain", "group_offer",
                                            "hours_per_week", "missing", "warnings"}
    code, (full,), _ = batch(capsys, tmp_path, "--batch", path, "--detail", "full")
    assert code == 0
    assert {"title", "why", "next_steps", "cite"} <= set(full["recommendation"])
    assert {k: v for k, v in full["recommendation"].items() if k in brief["recommendation"]} == brief["recommendation"]
    assert full["id"] == brief["id"] == 7


def test_batch_mixes_regions_typed_text_nulls_and_bad_bytes(tmp_path: Path, capsys) -> None:
    """The fast path (the last good line's region, JSON-typed answers) hands every
    other line to the exact path; each result is what a single check says."""
    lines = [
        json.dumps({"answers": HEAVY}).encode(),
        json.dumps({"region": "liemers", "answers": {"needs_exceed_basic": False}}).encode(),
        json.dumps({"answers": {**HEAVY, "hgw_months": "8"}}).encode(),  # typed text: read as the intake reads it
        json.dumps({"answers": {**HEAVY, "kind": None}}).encode(),  # null: not answered
        b'{"answers": {"needs_exceed_basic": "\xff"}}',
        json.dumps({"id": "x", "answers": HEAVY}).encode(),
    ]
    path = tmp_path / "cases.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    code, results, err = batch(capsys, tmp_path, "--batch", str(path))
    assert code == 2
    assert [r.get("region") for r in results] == ["tiny", "liemers", "tiny", "tiny", None, "tiny"]
    assert results[0]["recommendation"] == results[2]["recommendation"] == results[5]["recommendation"]
    assert results[1]["recommendation"]["route"] == "basis"
    assert results[3]["complete"] is False and results[3]["next_question"] == "kind"
    assert results[4] == {"line": 5, "error": f"{path}:5: not valid UTF-8 text"}
    assert results[5]["id"] == "x"
    assert err.count("intake: ") == 1


def test_a_batch_of_mixed_regions_takes_the_fast_step_for_every_region_seen(monkeypatch) -> None:
    """Lines of the five regions in turn: after a region's first good line its lines are
    validated by the fast step (red when only the last line's region is fast), and every
    result is what the exact step says of that line alone."""
    from intake_tui.check import jsonl
    from intake_tui.check.pipeline import Lines
    from intake_tui.i18n import language

    lang = language("en")
    cases = {region: json.loads(path.read_text())["answers"] for region in regions.region_ids()
             for path in sorted((Path(__file__).parents[1] / "cases" / region).glob("*.json"))[:1]}
    lines = [json.dumps({"region": region, "id": n, "answers": answers}).encode()
             for n in range(4) for region, answers in cases.items()]
    exact_calls = []
    real_raw = Lines.raw
    monkeypatch.setattr(Lines, "raw", lambda self, number, raw: exact_calls.append(number) or real_raw(self, number, raw))
    results = list(jsonl.jsonl_results(lines, "cases.jsonl", None, lang))
    assert exact_calls == list(range(1, len(cases) + 1))  # each region's first line only
    alone = [real_raw(Lines("cases.jsonl", None, lang), number, raw) for number, raw in enumerate(lines, start=1)]
    assert [(r.line, r.id, r.error, r.result.data("full") if r.result else None) for r in results] == \
           [(r.line, r.id, r.error, r.result.data("full") if r.result else None) for r in alone]


def test_a_checker_keeps_at_most_two_generations_and_what_recurs_stays() -> None:
    """Memory stays bounded whatever a batch holds: a kind met once passes through, one met again stays."""
    from intake_tui.check import pipeline

    kept = pipeline._Kept()
    size = pipeline._CACHE_SIZE
    recurring = ("recurring",)
    kept.put(recurring, "result")  # type: ignore[arg-type]
    for index in range(3 * size):
        kept.put((index,), index)  # type: ignore[arg-type]
        assert kept.get(recurring) == "result"
        assert len(kept.newer) <= size and len(kept.older) <= size
    assert kept.get((0,)) is None  # met once, long ago: let go
    with pytest.raises(TypeError):
        kept.get(([1],))  # a key that cannot be kept says so; the checker then works the result out
