"""How facts and answers read for a person, in the user's language."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from intake_tui.i18n import N_, Language

# Only for the annotations: an answer reads the same from a question of the loaded
# dialog or from its card in the compiled outline (``rules.compiled``), before pydantic loads.
if TYPE_CHECKING:
    from intake_tui.engine.intake import Intake
    from intake_tui.rules.compiled import Card
    from intake_tui.rules.dialog import Dialog
    from intake_tui.rules.schema import Question


_CITED_SEED = re.compile(r"^(\d{3})\s*·\s*")
_SEED_FILE = re.compile(r"\s*\(?\b\d{3}_[0-9a-f]+\.txt\)?")


def fact_name(dialog: Dialog, fact: str, lang: Language) -> str:
    """A fact as a person reads it: the question's short ``name``, else its prompt."""
    question = dialog.questions.get(fact)
    if question is None:
        return fact
    return lang.gettext(question.name or question.prompt)


def fact_names(dialog: Dialog, facts: Iterable[str], lang: Language) -> str:
    return "; ".join(fact_name(dialog, fact, lang) for fact in facts)


def source_text(dialog: Dialog, cite: str | None, *, swv: bool = True) -> str:
    """A citation as "SWV name · section title" (``swv`` False: the section alone,
    where the SWV is already named): a dialog cites its seed by number ("000 · …");
    a reader sees the SWV's name, never a seed number or file name."""
    return cited_source(dialog.meta.seed, dialog.meta.swv, cite, swv=swv)


def cited_source(seed: str, swv_name: str, cite: str | None, *, swv: bool = True) -> str:
    """``source_text`` from the dialog's seed and SWV name (as a compiled outline keeps them)."""
    if not cite:
        return ""
    own = seed.split("_")[0]
    match = _CITED_SEED.match(cite)
    section = _SEED_FILE.sub("", cite[match.end():] if match else cite).strip()
    if (match and match.group(1) != own) or (section and not swv):
        return section
    return f"{swv_name} · {section}" if section else swv_name


def answer_text(question: Question | Card, value: Any, lang: Language) -> str:
    _ = lang.gettext
    if value is None:
        return "—"
    if question.type == "bool":
        return _("yes") if value else _("no")
    if question.type in ("int", "number"):
        if question.unit and question.unit.split()[0] == "euro":  # money: always two decimals
            rest = question.unit.split(" ", 1)[1] if " " in question.unit else ""
            return f"{lang.money(value)} {_(rest)}".rstrip()
        unit = question.unit and (ONE_OF_A_UNIT.get(question.unit, question.unit) if value == 1 else question.unit)
        return f"{lang.number(value)} {_(unit)}" if unit else lang.number(value)
    labels = {choice.value: _(choice.label) for choice in question.choices}
    if question.type == "choice":
        return labels.get(value, str(value))
    if not value:
        return _("none")
    return ", ".join(labels.get(item, str(item)) for item in value)


# A dialog's units name many ("months"); one of each is said so ("1 month", not "1 months").
ONE_OF_A_UNIT = {"months": N_("month"), "years": N_("year"), "pupils": N_("pupil"), "hours a week": N_("hour a week"),
                 "school weeks": N_("school week"), "times a week": N_("time a week"), "weeks": N_("week"),
                 "hours": N_("hour"), "days": N_("day")}

# The rest of a money unit ("euro an hour"), for the catalogs.
_MONEY_UNITS = [N_("an hour"), N_("a week"), N_("a year")]


def answer_hint(question: Question | Card, lang: Language) -> str:
    """What kind of answer the input expects."""
    _ = lang.gettext
    if question.type == "bool":
        return _("yes / no")
    if question.type == "int":
        return _("a whole number")
    if question.type == "number":
        return _("a number")
    if question.type == "choice":
        return _("a number or a name from the list")
    return _("one or more numbers or names, separated by commas")


def choice_lines(question: Question | Card, lang: Language) -> list[str]:
    return [f"{number}. {lang.gettext(choice.label)}" for number, choice in enumerate(question.choices, start=1)]


@dataclass
class Exchange:
    """One question and its answer, as a person reads them."""

    fact: str
    question: str
    answer: str


def exchanges(dialog: Dialog, answers: Iterable[tuple[str, Any]], lang: Language) -> list[Exchange]:
    """Each (fact, value) as its translated question and the answer in words."""
    questions = dialog.questions
    return [Exchange(fact, lang.gettext(questions[fact].prompt), answer_text(questions[fact], value, lang))
            for fact, value in answers]


def transcript(intake: Intake) -> list[Exchange]:
    """The intake's answers so far, as its questions and answers read."""
    return exchanges(intake.dialog, intake.answered(), intake.lang)


def dropped_text(dialog: Dialog, dropped: list[str], lang: Language) -> str:
    """What to say when a changed answer takes earlier answers off the path."""
    names = "; ".join(lang.gettext(dialog.questions[fact].prompt) for fact in dropped)
    return lang.gettext("No longer on the path, so removed: {answers}").format(answers=names)
