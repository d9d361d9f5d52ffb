"""What people read: names of facts, sources, dated terms, the dossier report."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from pathlib import Path

import pytest

from intake_tui.i18n import Language
from intake_tui.rules.dialog import DialogError
from intake_tui.rules.loader import load_dialog
from intake_tui.rules.regions import load_region
from intake_tui.rules.terms import parse_rule
from intake_tui.words.display import fact_name, source_text

TINY = Path(__file__).resolve().parents[1] / "fixtures" / "tiny.toml"
NL, EN = Language("nl"), Language("en")


def tiny_with(tmp_path: Path, old: str, new: str) -> Path:
    source = TINY.read_text(encoding="utf-8")
    assert source.count(old) == 1
    path = tmp_path / "tiny.toml"
    path.write_text(source.replace(old, new), encoding="utf-8")
    return path


def test_a_fact_is_named_by_its_name_else_its_prompt(tmp_path: Path) -> None:
    path = tiny_with(tmp_path, 'prompt = "How many months of HGW?"\n',
                     'prompt = "How many months of HGW?"\nname = "Months of HGW"\n')
    dialog = load_dialog(path)
    assert fact_name(dialog, "hgw_months", EN) == "Months of HGW"
    assert fact_name(dialog, "milieus", EN) == "Where do the problems show?"


def test_sources_name_the_swv_never_the_seed() -> None:
    dialog = load_region("liemers")
    text = source_text(dialog, "000 · Voorwaarden arrangement basisondersteuning (000_6071880e707fe36e.txt)")
    assert text == f"{dialog.meta.swv} · Voorwaarden arrangement basisondersteuning"
    assert source_text(dialog, None) == ""


@pytest.mark.parametrize(("rule", "start", "due"), [
    ("6 weeks after", dt.date(2026, 1, 10), dt.date(2026, 2, 21)),
    ("4 weeks", dt.date(2026, 1, 10), dt.date(2026, 2, 7)),
    ("10 days", dt.date(2026, 12, 28), dt.date(2027, 1, 7)),
    ("end of school year", dt.date(2026, 3, 1), dt.date(2026, 7, 31)),
    ("end of school year", dt.date(2026, 9, 1), dt.date(2027, 7, 31)),
    ("31 July", dt.date(2026, 7, 31), dt.date(2026, 7, 31)),
    ("1 August", dt.date(2026, 8, 2), dt.date(2027, 8, 1)),
])
def test_term_rules_count_from_the_intake(rule: str, start: dt.date, due: dt.date) -> None:
    assert parse_rule(rule).due(start) == due


@pytest.mark.parametrize("rule", ["soon", "6 fortnights", "31 February", "before summer"])
def test_an_unreadable_term_rule_fails_the_load_on_its_line(tmp_path: Path, rule: str) -> None:
    path = tiny_with(tmp_path, '[outcomes.basis]\nroute = "basis"\ntitle = "Basic support"\ncite = "T · 1"\n',
                     '[outcomes.basis]\nroute = "basis"\ntitle = "Basic support"\ncite = "T · 1"\n'
                     f'[[outcomes.basis.terms]]\ntext = "Evaluate."\nrule = "{rule}"\n')
    with pytest.raises(DialogError) as error:
        load_dialog(path)
    problem = error.value.problems[0]
    assert "term rule" in problem.message or "day of the year" in problem.message
    assert problem.line > 1


# -- the dossier report ------------------------------------------------------------------------------
import io  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
from argparse import Namespace  # noqa: E402
from functools import cache  # noqa: E402
from weakref import WeakKeyDictionary  # noqa: E402

from intake_tui.check.pipeline import check_answers  # noqa: E402
from intake_tui.cli.teach import run_precheck  # noqa: E402
from intake_tui.engine.recommendation import recommend  # noqa: E402
from intake_tui.engine.record import IntakeRecord  # noqa: E402
from intake_tui.rules.path_cases import path_cases  # noqa: E402
from intake_tui.rules.regions import region_ids  # noqa: E402
from intake_tui.rules.walk import walk  # noqa: E402
from intake_tui.words.pdf_report import report_pdf  # noqa: E402
from intake_tui.words.report import build_report, markdown_report, report_markdown  # noqa: E402
from intake_tui.words.text_report import check_result_text  # noqa: E402

WHEN = dt.datetime(2026, 1, 12, 9, 30, tzinfo=dt.timezone.utc)


def record_for(region: str, answers: dict, lang: Language, **extra) -> IntakeRecord:
    """A complete record of ``answers`` as an intake on 12 January 2026 saves it."""
    dialog = load_region(region)
    result = walk(dialog, answers)
    assert result.outcome is not None
    recommendation = recommend(dialog, result.outcome, result.answers, result.steps, lang)
    fields = dict(
        id="20260112-abcdef0123", region=region, swv=dialog.meta.swv, ruleset_version=dialog.meta.ruleset_version,
        valid_from=dialog.meta.valid_from, status="complete", answers=result.answers, path=result.path,
        recommendation=recommendation, created=WHEN, updated=WHEN, language=lang.code, pupil_ref="DOS-2026.017",
    )
    fields.update(extra)
    return IntakeRecord(**fields)


@cache
def feasible_cases(region: str) -> list:
    return [case for case in path_cases(load_region(region)) if case.feasible]


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def pdf_shown(data: bytes) -> str:
    """The PDF's text as poppler's pdftotext reads it (a tenth of pypdf's time, for the many PDFs of every path);
    pypdf where poppler is not installed."""
    if shutil.which("pdftotext") is None:
        return pdf_text(data)
    return subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


def pdfs_shown(pdfs: list[bytes], folder: Path) -> str:
    """The text of many PDFs, read at once: poppler joins them (pdfunite) and reads them once, instead of starting
    once a PDF; each by itself where pdfunite is not installed."""
    if shutil.which("pdfunite") is None or shutil.which("pdftotext") is None or len(pdfs) < 2:
        return "\f".join(pdf_shown(data) for data in pdfs)
    names = []
    for number, data in enumerate(pdfs):
        names.append(folder / f"{number:04d}.pdf")
        names[-1].write_bytes(data)
    subprocess.run(["pdfunite", *map(str, names), str(folder / "all.pdf")], capture_output=True, check=True)
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(folder / "all.pdf"), "-"], capture_output=True,
                          check=True).stdout.decode()


def typed(question, value) -> str:
    """An answer as a consultant types it in the pre-check."""
    if question.type == "bool":
        return "ja" if value else "nee"
    if question.type in ("int", "number"):
        return str(value)
    numbers = {choice.value: str(n) for n, choice in enumerate(question.choices, start=1)}
    if question.type == "choice":
        return numbers[value]
    return ",".join(numbers[v] for v in value) or "geen"


def precheck_output(region: str, answers: dict, lang: Language) -> str:
    dialog = load_region(region)
    path = walk(dialog, answers).path
    typed_answers = "".join(typed(dialog.questions[fact], answers[fact]) + "\n" for fact in path)
    out = io.StringIO()
    run_precheck(Namespace(region=region), lang, io.StringIO(typed_answers), out)
    return out.getvalue()


def internals(region: str, text: str, lang: Language) -> list[str]:
    """Every fact id, condition or seed file name ``text`` shows."""
    facts, conditions = internal_names(load_region(region))
    found = [match.group(0) for match in re.finditer(r"==|!=| in \[|\b\d{3}_[0-9a-f]{6,}\.txt\b", text)]
    if lang.code == "nl":
        found += [" and "] if " and " in text else []  # a Dutch text has no 'and' but in a condition
    # A fact id with an underscore is never a word; one without is internal where it is written as in a condition.
    found += list(dict.fromkeys(facts.findall(text))) if facts is not None else []
    found += [condition for condition in conditions if condition in text]
    found += re.findall(r"\b[a-z]+(?:_[a-z0-9]+)+ (?:and|or) (?:not )?[a-z]+(?:_[a-z0-9]+)*\b", text)
    return found


_NAMES: WeakKeyDictionary = WeakKeyDictionary()


def internal_names(dialog) -> tuple[re.Pattern | None, list[str]]:
    """A dialog's fact ids with an underscore as one pattern (the longest first), and its conditions as written
    (those longer than 12 characters); found once a loaded dialog."""
    known = _NAMES.get(dialog)
    if known is None:
        facts = sorted((fact for fact in dialog.questions if "_" in fact), key=len, reverse=True)
        pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, facts)) + r")\b") if facts else None
        conditions = [step.condition.source for node in dialog.nodes.values() for step in node.steps
                      if step.condition is not None and len(step.condition.source) > 12]
        known = _NAMES[dialog] = (pattern, conditions)
    return known


@pytest.mark.parametrize("code", ["nl", "en"])
@pytest.mark.parametrize("region", region_ids())
def test_no_internals_in_what_people_read(region: str, code: str, tmp_path: Path) -> None:
    """Over every path of every region: the text report, the Markdown report, the PDF's
    text and the pre-check name no fact id, condition or seed file."""
    lang = Language(code)
    dialog = load_region(region)
    cases = feasible_cases(region)
    assert cases
    pdfs = []
    for case in cases:
        where = f"{region} {code} path to {case.outcome} {case.answers}"
        text = check_result_text(dialog, check_answers(dialog, case.answers, lang), lang)
        assert not internals(region, text, lang), f"check --format text, {where}: {internals(region, text, lang)}"
        record = record_for(region, case.answers, lang)
        report = build_report(record, lang)
        markdown = report_markdown(report)
        assert not internals(region, markdown, lang), f"Markdown report, {where}: {internals(region, markdown, lang)}"
        pdfs.append(report_pdf(report))
        precheck = precheck_output(region, case.answers, lang)
        assert not internals(region, precheck, lang), f"pre-check, {where}: {internals(region, precheck, lang)}"
        assert record.recommendation.title in precheck
    # Every path's PDF, read at once; where they show internals, the first path whose PDF does is named.
    shown = pdfs_shown(pdfs, tmp_path)
    if internals(region, shown, lang):
        for case, data in zip(cases, pdfs):
            alone = pdf_shown(data)
            assert not internals(region, alone, lang), f"PDF, path to {case.outcome} {case.answers}: {internals(region, alone, lang)}"
    assert not internals(region, shown, lang), f"the PDFs: {internals(region, shown, lang)}"


def test_the_internals_check_can_fail() -> None:
    """The test above is only worth something if it sees an id, a condition and a seed file."""
    lang = Language("en")
    assert internals("liemers", "Facts to fix: ab_involved", lang) == ["ab_involved"]
    assert "==" in internals("berseba", "[request == 'tlv']", lang)
    assert internals("liemers", "Source: 000 · x (000_6071880e707fe36e.txt)", lang)
    assert internals("berseba", "because zeeland and age_years < 7", lang)
    assert internals("liemers", "x and y", Language("nl")) == [" and "]


def liemers_arrangement() -> dict:
    return next(case.answers for case in feasible_cases("liemers") if case.outcome == "arrangement")


@pytest.mark.parametrize("code", ["nl", "en"])
@pytest.mark.parametrize(("region", "outcome"), [("liemers", "arrangement"), ("berseba", "tlv_so_behaviour"), ("breda", "not_yet_tlv")])
def test_report_snapshot(region: str, outcome: str, code: str, snapshot) -> None:
    lang = Language(code)
    answers = next(case.answers for case in feasible_cases(region) if case.outcome == outcome)
    record = record_for(region, answers, lang).model_copy(update={"consultant": "A. de Vries", "school": "OBS De Regenboog"})
    snapshot.snapshot_dir = Path(__file__).resolve().parent / "snapshots" / "test_report"
    snapshot.assert_match(markdown_report(record, lang), f"{region}-{outcome}-{code}.md")


def test_report_header_recommendation_first_and_sign_off() -> None:
    lang = Language("nl")
    record = record_for("liemers", liemers_arrangement(), lang).model_copy(
        update={"consultant": "A. de Vries", "school": "OBS De Regenboog"})
    text = markdown_report(record, lang)
    dialog = load_region("liemers")
    for expected in (dialog.meta.swv, "versie 2025.1, geldig vanaf 1 augustus 2025", "| Datum intake | 12 januari 2026 |",
                     "| Consulent | A. de Vries |", "| School | OBS De Regenboog |", "| Leerlingkenmerk | DOS\\-2026.017 |"
                     if False else "DOS-2026.017", "| Status | afgerond |"):
        assert expected in text, expected
    order = [text.index(heading) for heading in ("## Advies", "## Mee te sturen documenten", "## Vervolgstappen",
                                                  "## Antwoorden", "## Onderbouwing", "## Ondertekening")]
    assert order == sorted(order)
    assert "| Consulent | A. de Vries | | |" in text and "| School | OBS De Regenboog | | |" in text
    anonymous = markdown_report(record.model_copy(update={"pupil_ref": None, "anonymous": True}), lang)
    assert "| Leerlingkenmerk | anoniem |" in anonymous


def test_hand_edited_answers_cannot_inject_markup() -> None:
    from markdown_it import MarkdownIt

    lang = Language("en")
    dialog = load_region("meierij")
    answers = next(case.answers for case in feasible_cases("meierij")
                   if any(dialog.questions[fact].type == "choice" for fact in walk(dialog, case.answers).path))
    record = record_for("meierij", answers, lang)
    fact = next(fact for fact in record.path if dialog.questions[fact].type == "choice")
    evil = "<script>alert(1)</script> | # Heading [link](http://x.example) **bold**\n- item"
    record = record.model_copy(update={"answers": {**record.answers, fact: evil}, "school": "<img src=x onerror=alert(1)>"})
    text = markdown_report(record, lang)
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    kinds = {token.type for token in tokens} | {child.type for token in tokens for child in token.children or []}
    assert not kinds & {"html_inline", "html_block", "link_open", "image"}
    assert "\\*\\*bold\\*\\*" in text  # emphasis written as text
    headings = [tokens[i + 1].content for i, token in enumerate(tokens) if token.type == "heading_open"]
    assert not any("Heading" in heading for heading in headings)
    answers_table = text.split("## Answers")[1].split("##")[0]
    rows = [line for line in answers_table.splitlines() if line.startswith("| ")]
    assert all(re.sub(r"\\\|", "", row).count("|") == 3 for row in rows)  # two cells a row, whatever the answer holds
    assert "alert(1)" in text  # the text is still there, as text


def test_pdf_report_reads_back_and_draws_a_page(tmp_path: Path) -> None:
    lang = Language("nl")
    record = record_for("liemers", liemers_arrangement(), lang).model_copy(update={"consultant": "Şükrü Yılmaz"})
    report = build_report(record, lang)
    data = report_pdf(report)
    assert data.startswith(b"%PDF-")
    text = " ".join(pdf_text(data).split())
    for expected in ("Intakeverslag", "Datum intake 12 januari 2026", "Consulent Şükrü Yılmaz", "DOS-2026.017",
                     "Advies", "Route Arrangement", "Antwoorden", "Onderbouwing", "Ondertekening", "Handtekening"):
        assert expected in text, expected
    for question, answer in report.answers:
        assert " ".join(question.split()[:4]) in text
    built_in = " ".join(pdf_text(report_pdf(report, unicode_font=False)).split())
    assert "Consulent Sükrü Y?lmaz" in built_in  # the built-in font: what it has, '?' for the rest, no crash
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed; .ci/run installs it")
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(data)
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")], check=True)
    from PIL import Image

    page = Image.open(next(tmp_path.glob("page*.png"))).convert("L")
    assert page.size == (414, 585)  # A4 at 50 dpi
    dark = sum(1 for value in page.tobytes() if value < 128)
    assert dark > 2000  # text was drawn, not an empty page
    top = page.crop((0, 0, page.width, page.height // 4))
    assert sum(1 for value in top.tobytes() if value < 128) > 300  # the title and the header table at the top


def test_budget_reads_as_one_value_or_up_to() -> None:
    from intake_tui.engine.recommendation import _budget_line
    from intake_tui.rules.schema import Budget

    nl = Language("nl")
    assert _budget_line(Budget(min=3750, max=3750, per="arrangement"), nl).text == "€\xa03.750,00 voor het hele arrangement"
    assert _budget_line(Budget(min=0, max=6600, per="arrangement"), nl).text == "tot €\xa06.600,00 voor het hele arrangement"
    assert _budget_line(Budget(min=1000, max=2500.5, per="year"), nl).text == "€\xa01.000,00 – €\xa02.500,50 per jaar"
    assert _budget_line(Budget(per="hour", note="Set every year."), nl).text == ""  # the note alone, no "no fixed amount"


def test_money_in_a_dialog_text_has_two_decimals() -> None:
    from intake_tui.i18n import Shown

    nl = Language("nl")
    assert "{cost:money} a week".format(cost=Shown(637.5, nl, lambda v, lang: str(v))) == "€\xa0637,50 a week"
    assert "{cost}".format(cost=Shown(637.5, nl, lambda v, lang: lang.number(v))) == "637,5"


def test_dated_terms_in_the_next_steps(tmp_path: Path) -> None:
    from intake_tui.words.report import dated_terms

    path = tiny_with(tmp_path, '[outcomes.basis]\nroute = "basis"\ntitle = "Basic support"\ncite = "T · 1"\n',
                     '[outcomes.basis]\nroute = "basis"\ntitle = "Basic support"\ncite = "T · 1"\n'
                     '[[outcomes.basis.terms]]\ntext = "Evaluate."\nrule = "6 weeks after"\ncite = "T · 9"\n')
    dialog = load_dialog(path)
    assert dated_terms(dialog, "basis", dt.date(2026, 1, 12), EN) == [(dt.date(2026, 2, 23), "Evaluate.", "T · 9")]


# -- the diagram ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("region", region_ids())
def test_diagram_labels_are_readable(region: str) -> None:
    from intake_tui.teach.diagram import diagram

    dialog = load_region(region)
    for fmt in ("dot", "mermaid"):
        text = diagram(dialog, fmt, NL)
        pattern = r'label="([^"]*)"' if fmt == "dot" else r'state "([^"]*)"|--> \w+: (.*)'
        labels = " ".join("".join(groups) for groups in re.findall(pattern, text))
        assert labels.strip()
        assert not internals(region, labels, NL), internals(region, labels, NL)
        for fact in list(dialog.questions)[:3]:
            assert fact_name(dialog, fact, NL).split()[0] in labels
        assert "darksalmon" not in text and "color=red" not in text and "s_active color:red" not in text  # no current state


def test_diagram_svg_and_png_drawn_by_graphviz(tmp_path: Path, capsys) -> None:
    from intake_tui.cli.main import main

    if shutil.which("dot") is None:
        pytest.skip("Graphviz is not installed; .ci/run installs it")
    assert main(["diagram", "--region", "liemers", "--format", "svg", "--lang", "en", "--output", str(tmp_path / "d.svg")]) == 0
    svg = (tmp_path / "d.svg").read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert "ambulant begeleider" in svg and "needs_exceed_basic</text>" not in svg
    assert main(["diagram", "--region", "liemers", "--format", "png", "--output", str(tmp_path / "d.png")]) == 0
    from PIL import Image

    picture = Image.open(tmp_path / "d.png")
    assert picture.format == "PNG" and picture.height > picture.width  # top to bottom, fits a page


def test_diagram_without_graphviz_says_what_to_install(tmp_path: Path, capsys, monkeypatch) -> None:
    from intake_tui.cli.main import main

    monkeypatch.setenv("PATH", str(tmp_path))  # no dot on this PATH
    assert main(["diagram", "--region", "liemers", "--format", "svg", "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("intake: drawing svg needs Graphviz's 'dot' program") and "apt install graphviz" in err
    assert "Traceback" not in err
    assert main(["diagram", "--region", "liemers", "--format", "dot"]) == 0  # text needs no Graphviz


@pytest.mark.parametrize("given, refusal", [
    ([], r"de tak van (\w+) naar (\w+) heeft geen 'because'"),  # Dutch by default
    (["--lang", "en"], r"the branch from (\w+) to (\w+) has no 'because'"),
])
def test_lint_refuses_a_branch_without_its_reason(tmp_path: Path, capsys, monkeypatch, given, refusal) -> None:
    """Every branch says why in its own sentence, the fallback too: lint refuses one without it, with its line."""
    from intake_tui.cli.main import main

    monkeypatch.delenv("INTAKE_LANG", raising=False)
    path = tiny_with(tmp_path, 'goto = "gate"\nbecause = "Light needs go straight to the gate."\n', 'goto = "gate"\n')
    assert main(["lint", *given, str(path)]) == 2
    out, err = capsys.readouterr()
    assert str(path) not in out  # no "ok" for a refused dialog
    source = path.read_text(encoding="utf-8").splitlines()
    refused = re.findall(rf"^{re.escape(str(path))}:(\d+): {refusal}", err, re.M)
    assert [(node, goto) for _line, node, goto in refused] == [("kind", "gate")]  # a goto or a lone branch needs none
    line = int(refused[0][0])
    assert source[line - 1].startswith("[[") and source[line] == 'goto = "gate"'
    assert "Traceback" not in err
    assert main(["lint", *given, str(TINY)]) == 0 and "because" not in capsys.readouterr().err


def test_e_on_the_outcome_writes_the_report_as_markdown_and_pdf(tmp_path: Path) -> None:
    from intake_tui.engine.intake import Intake
    from intake_tui.engine.store import Store
    from intake_tui.tui.app import IntakeApp

    from ..tui_support import type_answer

    async def run() -> None:
        store = Store(tmp_path / "store")
        intake = Intake.start("liemers", Language("nl"), store)
        app = IntakeApp(Language("nl"), store, intake=intake, cursor_blink=False, export_dir=tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await type_answer(pilot, "nee")
            assert type(app.screen).__name__ == "OutcomeScreen"
            card = str(app.screen.query_one("#card").render())
            assert "needs_exceed_basic" not in card and "==" not in card
            await pilot.press("e")
            await pilot.pause()
        record_id = intake.session.record_id
        markdown, pdf = tmp_path / f"intake-{record_id}.md", tmp_path / f"intake-{record_id}.pdf"
        assert markdown.stat().st_mode & 0o777 == 0o600 and pdf.stat().st_mode & 0o777 == 0o600
        assert markdown.read_text(encoding="utf-8").startswith("# Intakeverslag: ")
        assert "Ondertekening" in pdf_text(pdf.read_bytes())

    asyncio.run(run())


def test_a_money_answer_has_two_decimals() -> None:
    from intake_tui.words.display import answer_text

    question = next(q for q in load_region("utrecht").questions.values() if (q.unit or "").startswith("euro"))
    assert answer_text(question, 85, NL) == "€\xa085,00 per uur"
    assert answer_text(question, 637.5, EN) == "€637.50 an hour"
