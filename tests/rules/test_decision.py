"""The one decision (Dialog.next_step) and the shared, immutable dialogs and machines."""

from __future__ import annotations

import gc
import itertools
import math
import weakref
from pathlib import Path

import pytest

from intake_tui.check.pipeline import InputError, validated_answers
from intake_tui.engine.session import Session, machine_for
from intake_tui.i18n import Language, all_languages
from intake_tui.rules.dialog import TABLE_LIMIT
from intake_tui.rules.expr import UNANSWERED
from intake_tui.rules.loader import load_dialog
from intake_tui.rules.path_cases import path_cases
from intake_tui.rules.regions import load_region, region_files, region_ids
from intake_tui.teach.diagram import diagram

TINY = Path(__file__).resolve().parents[1] / "fixtures" / "tiny.toml"
EN = Language("en")


def first_holding(node, answers):
    """The meaning of a node's branches, written out: the first whose condition holds."""
    return next(step for step in node.steps if step.condition is None or step.condition.holds(answers))


@pytest.mark.parametrize("region", region_ids())
def test_next_step_is_the_first_branch_whose_condition_holds(region) -> None:
    """However the decision is sped up (branches looked up by the values of the yes/no
    and choice facts they read), it chooses as the conditions read in file order do: for
    every combination of such facts' values, each answered or not, with a value outside
    a fact's domain, and for the answers of every path case."""
    dialog = load_region(region)
    cases = [case for case in path_cases(dialog) if case.feasible]
    looked_up = combinations = 0
    for node in dialog.nodes.values():
        if not node.steps:
            continue
        facts = sorted({fact for step in node.steps if step.condition is not None for fact in step.condition.facts})
        kinds = [dialog.fact_types[fact] for fact in facts]
        domains = [((True, False) if kind.kind == "bool" else kind.values) + (UNANSWERED,) for kind in kinds]
        if facts and all(kind.kind in ("bool", "choice") for kind in kinds) and math.prod(map(len, domains)) <= TABLE_LIMIT:
            looked_up += 1
            for values in itertools.product(*domains):
                answers = {fact: value for fact, value in zip(facts, values) if value is not UNANSWERED}
                for tried in (answers, {**answers, facts[0]: "no such value"}):
                    assert dialog.next_step(node.id, tried) is first_holding(node, tried), (node.id, tried)
                combinations += 1
        for case in cases:
            assert dialog.next_step(node.id, case.answers) is first_holding(node, case.answers), (node.id, case.path)
    assert looked_up > 0 and combinations >= looked_up


def test_next_step_on_the_tiny_dialog() -> None:
    dialog = load_dialog(TINY)
    assert dialog.next_step("needs_exceed_basic", {"needs_exceed_basic": False}).goto == "basis"
    assert dialog.next_step("needs_exceed_basic", {"needs_exceed_basic": True}).goto == "hgw_months"
    assert dialog.next_step("needs_exceed_basic", {}).goto == "basis"  # unanswered: 'not' of it holds
    assert dialog.next_step("kind", {"kind": "heavy"}).goto == "hours"
    assert dialog.next_step("kind", {"kind": "light"}).goto == "gate"
    assert dialog.next_step("gate", {"hgw_months": 6, "milieus": ["home", "school"]}).goto == "arrangement"
    assert dialog.next_step("gate", {"hgw_months": 5, "milieus": ["home", "school"]}).goto == "not_yet"
    assert dialog.next_step("gate", {"hgw_months": 6}).goto == "not_yet"


# -- nothing shared changes -------------------------------------------------------------------------
def test_a_choice_label_in_any_language_is_read_without_an_intake_opened() -> None:
    """A freshly loaded dialog reads a choice by its label in every language at once:
    what a check accepts does not depend on whether an intake was opened before."""
    labelled = 0
    for path in region_files().values():
        dialog = load_dialog(path)  # not the cached one
        for fact, question in dialog.questions.items():
            for choice in question.choices:
                for lang in all_languages():
                    label = lang.gettext(choice.label)
                    if question.type == "choice":
                        assert validated_answers(dialog, {fact: label}, EN, "answers.json") == ({fact: choice.value}, ())
                    else:
                        assert dialog.readers[fact].read_value([label]) == [choice.value]
                    labelled += 1
    assert labelled > 0


def test_meierij_group_offer_by_its_dutch_label() -> None:
    """The issue's example: refused until an Intake had been opened in the same process."""
    dialog = load_dialog(region_files()["meierij"])
    assert validated_answers(dialog, {"group_offer": "Geen van deze"}, EN, "answers.json") == ({"group_offer": "none"}, ())
    with pytest.raises(InputError):
        validated_answers(dialog, {"group_offer": "Geen van die"}, EN, "answers.json")


def test_the_shared_machine_keeps_no_session() -> None:
    """Sessions fire the shared machine's event on themselves; it never holds them,
    so a long-lived process that forgets a session leaks nothing."""
    dialog = load_dialog(TINY)
    machine = machine_for(dialog)
    transitions_before = {source: len(t) for source, t in machine.events["advance"].transitions.items()}
    sessions = [Session(dialog, EN) for _ in range(3)]
    sessions[0].answer_text("ja")
    sessions[1].answer_text("nee")
    assert [s.state for s in sessions] == ["hgw_months", "basis", "needs_exceed_basic"]  # each its own
    assert machine.models == []
    assert {source: len(t) for source, t in machine.events["advance"].transitions.items()} == transitions_before
    gone = weakref.ref(sessions[0])
    del sessions
    gc.collect()
    assert gone() is None


def test_the_diagram_is_the_sessions_machine() -> None:
    dialog = load_dialog(TINY)
    text = diagram(dialog, "mermaid", EN)
    # Each branch labelled with its own reason, never its condition (issue 13).
    assert "needs_exceed_basic --> basis: Basic support suffices." in text
    assert "kind --> hours: Heavy needs ask for hours." in text
    assert "gate --> arrangement: Enough HGW, problems in two<br/>settings." in text
    assert "==" not in text and "not needs_exceed_basic" not in text
    edges = sum(len(t) for t in machine_for(dialog).events["advance"].transitions.values())
    assert text.count(" --> ") - 1 == edges  # every branch, and the start arrow
