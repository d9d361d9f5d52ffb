"""``intake check`` and its batch against hostile input (issue 17: items 2, 3, 8, 9, 11-13).

Every input gets its own result or a one-line error with file:line, never a
traceback; the output is written whole or not at all, mode 0600, and is never
the input; one bad line never ends the run.
"""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from intake_tui.cli.main import main
from intake_tui.i18n import Language

REPO = Path(__file__).resolve().parents[2]
BASIS = {"region": "liemers", "answers": {"needs_exceed_basic": False}}
HUGE = "9" * 5001
DEEP = "[" * 100_000 + "]" * 100_000


def check(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["check", "--lang", "en", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def jsonl(path: Path, *lines: str | bytes | dict) -> Path:
    path.write_bytes(b"".join((json.dumps(line).encode() if isinstance(line, dict) else
                              line if isinstance(line, bytes) else line.encode()) + b"\n" for line in lines))
    return path


def no_traceback(err: str) -> None:
    assert "Traceback" not in err and "Error:" not in err.replace("intake:", ""), err


# -- item 2: the output is never the input; written atomically, mode 0600 ----------------------------------------
@pytest.mark.parametrize("kind", ["jsonl", "csv"])
@pytest.mark.parametrize("how", ["same name", "symlink", "hardlink", "relative name"])
def test_the_output_may_not_be_the_input(tmp_path, capsys, monkeypatch, kind, how) -> None:
    source = tmp_path / f"cases.{kind}"
    if kind == "jsonl":
        jsonl(source, BASIS)
    else:
        source.write_text("region,needs_exceed_basic\nliemers,nee\n")
    before = source.read_bytes()
    output = {"same name": source, "symlink": tmp_path / f"link.{kind}", "hardlink": tmp_path / f"hard.{kind}",
              "relative name": Path(f"./sub/../cases.{kind}")}[how]
    if how == "symlink":
        output.symlink_to(source)
    elif how == "hardlink":
        os.link(source, output)
    elif how == "relative name":
        (tmp_path / "sub").mkdir()
        monkeypatch.chdir(tmp_path)
    code, out, err = check(capsys, "--batch", str(source), "--output", str(output))
    assert code == 2
    assert err == f"intake: {output}: the output is the input file; give another file name\n"
    assert source.read_bytes() == before


def test_the_output_of_a_single_check_may_not_be_its_answers_file(tmp_path, capsys) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(BASIS))
    code, _, err = check(capsys, "--answers", str(answers), "--output", str(answers))
    assert code == 2 and "the output is the input file" in err
    assert json.loads(answers.read_text()) == BASIS


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_the_output_is_private_and_replaced_whole(tmp_path, capsys, fmt) -> None:
    source = jsonl(tmp_path / "cases.jsonl", BASIS, {"region": "liemers", "answers": {"needs_exceed_basic": True}})
    output = tmp_path / f"results.{fmt}"
    output.write_text("an older result\n")
    os.chmod(output, 0o644)
    code, out, err = check(capsys, "--batch", str(source), "--format", fmt, "--output", str(output))
    assert code == 0 and out == ""
    assert stat.S_IMODE(output.stat().st_mode) == 0o600
    text = output.read_text()
    assert "older" not in text
    rows = list(csv.DictReader(io.StringIO(text))) if fmt == "csv" else [json.loads(line) for line in text.splitlines()]
    assert [str(row["line"]) for row in rows] == ["1", "2"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cases.jsonl", f"results.{fmt}"]  # no temporary file left


def test_a_single_check_output_is_private(tmp_path, capsys) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(BASIS))
    output = tmp_path / "result.json"
    assert check(capsys, "--answers", str(answers), "--output", str(output))[0] == 0
    assert stat.S_IMODE(output.stat().st_mode) == 0o600
    assert json.loads(output.read_text())["recommendation"]["route"] == "basis"


# -- item 9: the output's folder; a full disk --------------------------------------------------------------------
def test_output_into_a_missing_folder_or_at_a_folder(tmp_path, capsys) -> None:
    source = jsonl(tmp_path / "cases.jsonl", BASIS)
    code, out, err = check(capsys, "--batch", str(source), "--output", str(tmp_path / "absent" / "out.jsonl"))
    assert code == 2 and out == ""
    assert err == f"intake: {tmp_path / 'absent' / 'out.jsonl'}: cannot write the file: the folder {tmp_path / 'absent'} does not exist\n"
    code, out, err = check(capsys, "--batch", str(source), "--output", str(tmp_path))
    assert code == 2 and out == ""
    assert err == f"intake: {tmp_path}: is a folder; give the name of a file to write\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cases.jsonl"]


def test_a_full_disk_while_writing_the_output_leaves_nothing(tmp_path, capsys, monkeypatch) -> None:
    """ENOSPC on the third write: one sentence, exit 2, no output file and no temporary file."""
    from intake_tui.check import batch

    source = jsonl(tmp_path / "cases.jsonl", *[BASIS] * 2000)
    writes = []

    def full(out, text):
        writes.append(len(text))
        if len(writes) >= 3:
            raise batch.WriteFailed() from OSError(errno.ENOSPC, "No space left on device")
        out.write(text)

    monkeypatch.setattr(batch, "_write", full)
    output = tmp_path / "results.jsonl"
    code, out, err = check(capsys, "--batch", str(source), "--output", str(output))
    assert code == 2
    assert err == f"intake: {output}: cannot write the results: the disk is full; nothing was written to the file\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cases.jsonl"]


def test_a_full_disk_on_standard_output_is_a_sentence(tmp_path) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    source = jsonl(tmp_path / "cases.jsonl", *[BASIS] * 3000)
    with open("/dev/full", "w") as full:
        result = subprocess.run([sys.executable, "-m", "intake_tui", "check", "--lang", "en", "--batch", str(source)],
                                stdout=full, stderr=subprocess.PIPE, text=True, timeout=120, cwd=REPO)
    assert result.returncode == 2, result.stderr
    assert result.stderr == "intake: standard output: cannot write the results: the disk is full\n"


# -- items 3 and 8: one bad line never ends the run --------------------------------------------------------------
def test_every_bad_line_gets_its_own_error_and_the_run_finishes(tmp_path, capsys) -> None:
    lines = [
        BASIS,
        '{"region": "liemers", "answers": {"hgw_months": ' + HUGE + "}}",
        DEEP,
        '{"region": "liemers", "id": ' + "[" * 50_000 + "]" * 50_000 + ', "answers": {}}',
        b'{"region": "liemers", "answers": {"needs_exceed_basic": "\xff"}}',
        '{"region": "liemers", "answers": {"hours_requested_per_week": 1e400, "needs_exceed_basic": true}}',
        '{"region": "liemers", "answers": {"hgw_months": NaN}}',
        '{"region": "liemers", "answers": {"hgw_months": "' + HUGE + '"}}',
        '{"region": "liemers", "answers": {"hours_requested_per_week": 1e15}}',
        '{"region": "liemers", "id": NaN, "answers": {}}',
        {"region": "nowhere", "answers": {}},
        {"region": 7, "answers": {}},
        *[BASIS] * 600,  # more than one write's worth of results after the bad lines
    ]
    source = jsonl(tmp_path / "cases.jsonl", *lines)
    output = tmp_path / "results.jsonl"
    code, out, err = check(capsys, "--batch", str(source), "--output", str(output))
    assert code == 2
    no_traceback(err)
    results = [json.loads(line) for line in output.read_text().splitlines()]
    assert [r["line"] for r in results] == list(range(1, len(lines) + 1))
    said = {r["line"]: r.get("error") for r in results[:12]}
    where = str(source)
    assert said[1] is None
    assert said[2] == f"{where}:2: a number has too many digits"
    assert said[3] == f"{where}:3: the JSON is nested too deeply"
    assert said[4] == f"{where}:4: the JSON is nested too deeply"
    assert said[5] == f"{where}:5: not valid UTF-8 text"
    assert said[6] == f"{where}:6: hours_requested_per_week: Give a number, for example 2,5."
    assert said[7] == f"{where}:7: hgw_months: Give a whole number, for example 6."
    assert said[8] == f"{where}:8: hgw_months: That number is too large to be an answer."
    assert said[9] == f"{where}:9: hours_requested_per_week: The answer must be at most 40."
    assert said[10] == f"{where}:10: the id cannot be written back; give text or a whole number"
    assert said[11].startswith(f"{where}:11: unknown region 'nowhere'")
    assert said[12] == f"{where}:12: 'region' must be a region id (text)"
    assert all(r["recommendation"]["route"] == "basis" for r in results[12:])
    assert [line for line in err.splitlines() if line.startswith("intake: ")] == [f"intake: {said[n]}" for n in range(2, 13)]
    assert f"{len(lines)} cases checked" in err


def test_bad_csv_rows_get_their_own_errors(tmp_path, capsys) -> None:
    source = tmp_path / "cases.csv"
    source.write_bytes(
        b"\xef\xbb\xbfid,region,needs_exceed_basic,hgw_months\n"
        b"a,liemers,nee,\n"
        b"b,liemers,ja," + HUGE.encode() + b"\n"
        b"c,liemers,\xff,\n"
        b'd,liemers,ja,"' + b"x" * 200_000 + b'"\n'
        b"e,liemers,ja,8,extra\n"
        b"f,nowhere,ja,\n"
        b"g,liemers,ja,1e400\n"
        b"h,liemers,nee,\n"
    )
    output = tmp_path / "results.csv"
    code, _, err = check(capsys, "--batch", str(source), "--output", str(output))
    assert code == 2
    no_traceback(err)
    rows = list(csv.DictReader(output.open(encoding="utf-8")))
    assert [row["line"] for row in rows] == ["2", "3", "4", "5", "6", "7", "8", "9"]
    errors = [row["error"] for row in rows]
    where = str(source)
    assert errors[0] == "" and rows[0]["route"] == "basis"
    assert errors[1] == f"{where}:3: hgw_months: That number is too large to be an answer."
    assert errors[2] == f"{where}:4: not valid UTF-8 text"
    assert errors[3] == f"{where}:5: not a readable CSV row (a cell is longer than 131,072 characters)"
    assert errors[4] == f"{where}:6: more cells than the header has columns"
    assert errors[5].startswith(f"{where}:7: unknown region 'nowhere'")
    assert errors[6] == f"{where}:8: hgw_months: Give a whole number, for example 6."
    assert errors[7] == "" and rows[7]["route"] == "basis" and rows[7]["id"] == "h"


@pytest.mark.parametrize("content", ['{"region": "liemers", "answers": {"hgw_months": ' + HUGE + "}}", DEEP,
                                     '{"region": "liemers", "answers": {"needs_exceed_basic": true, "hgw_months": "' + HUGE + '"}}',
                                     '{"region": "liemers", "answers": {"needs_exceed_basic": true, "hgw_months": 1e400}}',
                                     '{"region": "liemers", "answers": {"needs_exceed_basic": true, "hours_requested_per_week": NaN}}'])
def test_huge_numbers_and_deep_json_in_one_check_are_a_sentence(tmp_path, capsys, content) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(content)
    code, out, err = check(capsys, "--answers", str(answers))
    assert code == 2 and out == ""
    no_traceback(err)
    assert err.startswith(f"intake: {answers}") and err.count("\n") == 1
    assert any(words in err for words in ("too many digits", "nested too deeply", "too large", "Give a"))


def test_a_huge_number_typed_in_the_precheck_is_refused(capsys) -> None:
    import argparse

    from intake_tui.cli.teach import run_precheck

    stdin = io.StringIO("ja\n" * 6 + HUGE + "\n" + "1" + "0" * 400 + ",5\n8\n")
    stdout = io.StringIO()
    assert run_precheck(argparse.Namespace(region="liemers"), Language("en"), stdin, stdout) == 0
    text = stdout.getvalue()
    assert text.count("That number is too large to be an answer.") == 2
    assert "Traceback" not in text


# -- item 11: no formula in a CSV cell ---------------------------------------------------------------------------
def test_csv_output_neutralises_formula_cells_and_keeps_numbers(tmp_path, capsys) -> None:
    source = tmp_path / "cases.csv"
    source.write_text("id,region,needs_exceed_basic\n"
                      '"=HYPERLINK(""http://x"")",liemers,nee\n'
                      "+cmd,liemers,nee\n@SUM(A1),liemers,nee\n-2+3,liemers,nee\n\tx,liemers,nee\n-1,liemers,nee\n")
    output = tmp_path / "results.csv"
    assert check(capsys, "--batch", str(source), "--output", str(output))[0] == 0
    ids = [row["id"] for row in csv.DictReader(output.open(encoding="utf-8"))]
    assert ids == ["'=HYPERLINK(\"http://x\")", "'+cmd", "'@SUM(A1)", "'-2+3", "'\tx", "-1"]


def test_csv_output_neutralises_error_texts_but_not_numbers(tmp_path, capsys) -> None:
    source = jsonl(tmp_path / "cases.jsonl", {"id": -1, "region": "liemers", "answers": {"needs_exceed_basic": False}},
                   {"id": "=1+1", "region": "=nowhere", "answers": {}})
    output = tmp_path / "results.csv"
    check(capsys, "--batch", str(source), "--format", "csv", "--output", str(output))
    rows = list(csv.DictReader(output.open(encoding="utf-8")))
    assert rows[0]["id"] == "-1" and rows[1]["id"] == "'=1+1"
    assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row.values())


# -- item 12: an id comes out as it went in ----------------------------------------------------------------------
def test_ids_come_out_exactly_as_they_went_in(tmp_path, capsys) -> None:
    ids = [7, True, "true", False, None, "1", 1.5, "Ω \u200b", {"school": "a"}, ["x", 1], -1, 10**30]
    source = jsonl(tmp_path / "cases.jsonl", BASIS, *[{**BASIS, "id": identity} for identity in ids])
    output = tmp_path / "results.jsonl"
    check(capsys, "--batch", str(source), "--output", str(output))
    results = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    assert "id" not in results[0]
    got = [r["id"] for r in results[1:]]
    assert got == ids
    assert [type(value) for value in got] == [type(value) for value in ids]


def test_an_id_with_a_lone_surrogate_is_written_as_its_escape(tmp_path, capsys) -> None:
    source = jsonl(tmp_path / "cases.jsonl", '{"id": "a\\ud800b", "region": "liemers", "answers": {}}')
    output = tmp_path / "results.jsonl"
    check(capsys, "--batch", str(source), "--output", str(output))
    (line,) = output.read_bytes().decode("utf-8").splitlines()
    assert json.loads(line)["id"] == "a\ud800b"


# -- item 13: a byte order mark --------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["answers", "batch"])
def test_a_utf8_byte_order_mark_is_accepted(tmp_path, capsys, kind) -> None:
    path = tmp_path / ("answers.json" if kind == "answers" else "cases.jsonl")
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(BASIS).encode() + b"\n")
    code, out, err = check(capsys, f"--{kind}", str(path))
    assert code == 0, err
    assert json.loads(out.splitlines()[0] if kind == "batch" else out)["recommendation"]["route"] == "basis"


# -- the property: whatever comes in, every line gets one result, exit 0 or 2 ------------------------------------
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

LIEMERS_FACTS = ["needs_exceed_basic", "ab_involved", "hgw_months", "school_share_pct", "hours_requested_per_week"]
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=8),
                    st.sampled_from(["ja", "nee", "2,5", "9" * 5000, "=1+1", "\ud800", "Ω"]))
JSON_VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.one_of(st.sampled_from(LIEMERS_FACTS), st.text(max_size=6)), inner, max_size=5)),
    max_leaves=12)
CASES = st.fixed_dictionaries({"answers": st.dictionaries(st.sampled_from(LIEMERS_FACTS), JSON_VALUES, max_size=5)},
                              optional={"id": JSON_VALUES, "region": st.sampled_from(["liemers", "breda", "x", 1])})
LINES = st.lists(st.one_of(st.binary(max_size=40).map(lambda raw: raw.replace(b"\n", b"")),
                           CASES.map(lambda case: json.dumps(case).encode()),
                           st.just(b'{"region": "liemers", "answers": {"needs_exceed_basic": false}}')),
                 max_size=12)


def _quiet_main(*args: str) -> tuple[int, str, str]:
    import contextlib

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["check", "--lang", "en", *args])
    return code, out.getvalue(), err.getvalue()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=st.one_of(JSON_VALUES, CASES))
def test_any_json_value_to_check_is_a_result_or_a_sentence(value) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        answers = Path(folder) / "answers.json"
        answers.write_text(json.dumps(value))
        code, out, err = _quiet_main("--region", "liemers", "--answers", str(answers))
        assert sorted(p.name for p in Path(folder).iterdir()) == ["answers.json"]
    assert code in (0, 2)
    if code == 0:
        assert json.loads(out)["region"] in ("liemers", "breda")
    else:
        assert out == "" and err.startswith("intake: ") and err.count("\n") == 1


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=LINES, fmt=st.sampled_from(["jsonl", "csv"]))
def test_any_bytes_as_batch_lines_give_one_result_a_line(lines, fmt) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "cases.jsonl"
        source.write_bytes(b"".join(line + b"\n" for line in lines))
        output = Path(folder) / f"results.{fmt}"
        code, out, err = _quiet_main("--region", "liemers", "--batch", str(source), "--format", fmt, "--output", str(output))
        assert sorted(p.name for p in Path(folder).iterdir()) == sorted(["cases.jsonl", output.name])
        text = output.read_text(encoding="utf-8")
    assert code in (0, 2) and out == ""
    rows = list(csv.DictReader(io.StringIO(text, newline=""))) if fmt == "csv" else [json.loads(line) for line in text.splitlines()]
    assert [int(row["line"]) for row in rows] == [number for number, line in enumerate(lines, start=1) if line.strip()]
    assert "could not be checked" not in text  # the last-resort guard of a line is never needed
    assert (code == 2) == any(row.get("error") for row in rows)


def test_line_separators_inside_an_id_are_escaped(tmp_path, capsys) -> None:
    """U+0085, U+2028 and U+2029 end a line for str.splitlines and JavaScript: written as escapes."""
    source = jsonl(tmp_path / "cases.jsonl", {**BASIS, "id": {"\x85": "a\u2028b\u2029"}}, {**BASIS, "id": "é"})
    output = tmp_path / "results.jsonl"
    check(capsys, "--batch", str(source), "--output", str(output))
    text = output.read_text(encoding="utf-8")
    assert [json.loads(line)["id"] for line in text.splitlines()] == [{"\x85": "a\u2028b\u2029"}, "é"]


def test_output_to_a_pipe_or_through_a_link(tmp_path) -> None:
    """A device or pipe such as /dev/stdout is written straight into (never replaced by a file);
    through a symbolic link, the file it names is replaced and the link stays."""
    source = jsonl(tmp_path / "cases.jsonl", BASIS)
    command = [sys.executable, "-m", "intake_tui", "check", "--lang", "en", "--batch", str(source)]
    result = subprocess.run([*command, "--output", "/dev/stdout"], capture_output=True, text=True, timeout=120, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["recommendation"]["route"] == "basis"
    assert Path("/dev/stdout").is_symlink() or not Path("/dev/stdout").is_file()
    real = tmp_path / "real.jsonl"
    real.write_text("old\n")
    (tmp_path / "link.jsonl").symlink_to(real)
    result = subprocess.run([*command, "--output", str(tmp_path / "link.jsonl")], capture_output=True, text=True, timeout=120, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "link.jsonl").is_symlink()
    assert json.loads(real.read_text())["line"] == 1
    assert stat.S_IMODE(real.stat().st_mode) == 0o600


@pytest.mark.parametrize("lang, said", [("en", "not a readable CSV file (a cell is longer than 131,072 characters)"),
                                        ("nl", "geen leesbaar CSV-bestand (een cel is langer dan 131.072 tekens)")])
def test_a_header_cell_over_the_csv_limit_is_said_in_words(tmp_path: Path, capsys, lang: str, said: str) -> None:
    source = tmp_path / "cases.csv"
    source.write_bytes(b'id,"' + b"x" * 200_000 + b'"\na,ja\n')
    code = main(["check", "--lang", lang, "--batch", str(source), "--region", "liemers"])
    err = capsys.readouterr().err
    assert code == 2 and err.strip() == f"intake: {source}:1: {said}"


def test_a_column_name_with_a_control_character_shows_it(tmp_path: Path, capsys) -> None:
    source = tmp_path / "cases.csv"
    source.write_bytes(b"id,needs_exceed_\x00basic\na,ja\n")
    code, _, err = check(capsys, "--batch", str(source), "--region", "liemers")
    assert code == 2
    assert err.strip() == rf"intake: {source}:1: unknown column 'needs_exceed_\x00basic', did you mean 'needs_exceed_basic'?"
