"""What people read: names of facts, sources, dated terms, the dossier report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from intake_tui.dialog import DialogError, load_dialog
from intake_tui.display import fact_name, source_text
from intake_tui.i18n import Language
from intake_tui.regions import load_region
from intake_tui.terms import parse_rule

TINY = Path(__file__).resolve().parent / "fixtures" / "tiny.toml"
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
