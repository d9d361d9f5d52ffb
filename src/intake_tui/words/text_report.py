"""How a recommendation reads for a person: the outcome card and the why.

One ``Card`` (title, summary, labelled facts, sections of items, source) is
built from a recommendation and drawn as plain text (``intake check --format
text``, the pre-check) or Markdown (the outcome screen, the dossier report).
Nothing in it is an id or a condition: facts by their names, branches by
their reasons, sources by the SWV's name and the section's title.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from intake_tui.i18n import N_, Language
from intake_tui.rules.dialog import Dialog, DialogError
from intake_tui.words.display import fact_name, fact_names, source_text

ROUTE_NAMES = {
    "basis": N_("Basic support at school"),
    "arrangement": N_("Arrangement"),
    "tlv": N_("Admission statement (TLV)"),
    "not_yet": N_("No request yet"),
}
FORM_NAMES = {"individual": N_("individual"), "group": N_("group"), "cluster": N_("cluster")}
LEVEL_NAMES = {"light": N_("light"), "medium": N_("medium"), "intensive": N_("intensive")}
DETAIL_NAMES = {
    "tlv": {
        "sbo": N_("special primary education (SBO)"),
        "sbo_young": N_("special primary education (SBO), pupil under 7"),
        "observation_centre": N_("observation centre for young children"),
        "so_behaviour": N_("special education (SO) cluster 4, behaviour"),
        "so_zml": N_("special education (SO) for very difficult learners (ZML)"),
        "so_lzk": N_("special education (SO) for long-term ill children (LZK)"),
        "so_lg": N_("special education (SO) for physically disabled children (LG)"),
        "so_mg": N_("special education (SO) for children with multiple disabilities (MG)"),
        "so": N_("special education (SO)"),
    },
    "domain": {
        "learning": N_("learning"), "behaviour": N_("behaviour"), "cognitive": N_("very difficult learners (ZML)"),
        "medical": N_("long-term ill (LZK)"), "physical": N_("physical disability (LG)"),
        "multiple": N_("multiple disabilities (MG)"), "gifted": N_("gifted"), "young_risk": N_("young children at risk (JRK)"),
    },
    "group_offer": {
        "top": N_("TOP-groep"), "jonge_kind": N_("Jonge kind groep"), "doen": N_("DOEN-groep"),
        "impuls": N_("IMPULS-groep"), "doe_en_leer": N_("Doe en Leergroep"), "none": N_("none"),
    },
}
DETAIL_LABELS = {"tlv": N_("Kind of TLV"), "domain": N_("Area"), "group_offer": N_("Group offer")}


@dataclass
class Card:
    """A recommendation as a person reads it. ``sections``: key → (heading, items),
    for the keys in ``CARD_ORDER`` that have items."""

    title: str
    summary: str = ""
    facts: list[tuple[str, str]] = field(default_factory=list)
    sections: dict[str, tuple[str, list[str]]] = field(default_factory=dict)
    source: str = ""


CARD_ORDER = ("missing", "warnings", "documents", "next_steps", "why")


def classification(recommendation: dict[str, Any], lang: Language) -> list[tuple[str, str]]:
    """Route, form, level and kind, each with its label."""
    _ = lang.gettext
    facts = [(_("Route"), _(ROUTE_NAMES[recommendation["route"]]))]
    if recommendation.get("form"):
        facts.append((_("Form"), _(FORM_NAMES[recommendation["form"]])))
    if recommendation.get("level"):
        facts.append((_("Level"), _(LEVEL_NAMES[recommendation["level"]])))
    for key in ("tlv", "domain", "group_offer"):
        value = recommendation.get(key)
        if value and value != "none":
            facts.append((_(DETAIL_LABELS[key]), _(DETAIL_NAMES[key].get(value, value))))
    return facts


def headline(recommendation: dict[str, Any], lang: Language) -> str:
    """The classification in one line: "Arrangement · group · light"."""
    return " · ".join(value for _label, value in classification(recommendation, lang))


def budget_text(budget: dict[str, Any]) -> str:
    """A budget line: the amount, then the seed's note; the note alone where there is no amount."""
    parts = [part for part in (budget.get("text"), budget.get("note")) if part]
    return " — ".join(parts)


def card(dialog: Dialog, recommendation: dict[str, Any], lang: Language) -> Card:
    _ = lang.gettext
    result = Card(title=recommendation["title"], summary=recommendation.get("summary") or "")
    result.facts = classification(recommendation, lang)
    hours = recommendation.get("hours_per_week")
    details = [
        (_("Hours a week"), lang.number(hours) if hours is not None else None),
        (_("Hours"), recommendation.get("hours")),
        (_("Duration"), recommendation.get("duration")),
    ]
    result.facts += [(label, value) for label, value in details if value]
    result.facts += [(_("Budget"), budget_text(budget)) for budget in recommendation.get("budget", []) if budget_text(budget)]
    if recommendation.get("decides"):
        result.facts.append((_("Who decides"), recommendation["decides"]))
    if recommendation.get("missing"):
        result.sections["missing"] = (_("Still missing"), list(recommendation.get("reasons", [])))
    for title, key in ((_("Warnings"), "warnings"), (_("Documents to attach"), "documents"), (_("Next steps"), "next_steps")):
        if recommendation.get(key):
            result.sections[key] = (title, list(recommendation[key]))
    result.sections["why"] = (_("Why"), why_items(dialog, recommendation.get("why", []), lang))
    result.source = source_text(dialog, recommendation.get("cite"))
    return result


def why_items(dialog: Dialog, steps: list[dict[str, Any]], lang: Language, *, show_rule: bool = False) -> list[str]:
    """Each branch that decided something: its own reason, with its source.
    The condition as written only for a trainer who asks to see the rule."""
    items = []
    for step in steps:
        if not step.get("because"):
            continue  # a question that simply follows the previous one
        text = step["because"]
        if show_rule and step.get("condition"):
            text += f" [{step['condition']}]"
        if step.get("cite"):
            text += f" ({source_text(dialog, step['cite'], swv=False)})"
        items.append(text)
    return items


def card_lines(found: Card, lang: Language, *, markdown: bool = False, level: int = 2) -> list[str]:
    """The card as lines of plain text or Markdown (headings from ``level``)."""
    from intake_tui.words.markup import escape

    _ = lang.gettext
    esc = escape if markdown else str
    sections = [found.sections[key] for key in CARD_ORDER if key in found.sections]
    if markdown:
        lines = [f"{'#' * level} {esc(found.title)}", ""]
        if found.summary:
            lines += [esc(found.summary), ""]
        lines += [f"- **{esc(label)}:** {esc(value)}" for label, value in found.facts]
        for heading, items in sections:
            if items:
                lines += ["", f"{'#' * (level + 1)} {esc(heading)}", ""]
                lines += [f"- {esc(item)}" for item in items]
        if found.source:
            lines += ["", f"_{esc(_('Source'))}: {esc(found.source)}_"]
        return lines
    lines = [found.title]
    if found.summary:
        lines.append(found.summary)
    lines += [f"  • {label}: {value}" for label, value in found.facts]
    for heading, items in sections:
        if items:
            lines += ["", f"{heading}:"]
            lines += [f"  • {item}" for item in items]
    if found.source:
        lines += ["", f"{_('Source')}: {found.source}"]
    return lines


def recommendation_lines(dialog: Dialog, recommendation: dict[str, Any], lang: Language, *, markdown: bool = False) -> list[str]:
    """The outcome card and the why, as lines of plain text or Markdown."""
    return card_lines(card(dialog, recommendation, lang), lang, markdown=markdown)


def check_result_text(dialog: Dialog, result: dict[str, Any], lang: Language) -> str:
    _ = lang.gettext
    lines = [f"{dialog.meta.swv} — {_(dialog.meta.title)} ({_('rules')} {dialog.meta.ruleset_version})", ""]
    if not result["complete"]:
        lines.append(_("Incomplete: the next question on this path is not answered."))
        question = dialog.questions.get(result["next_question"])
        lines.append(f"  {_(question.prompt) if question else fact_name(dialog, result['next_question'], lang)}")
    else:
        lines += recommendation_lines(dialog, result["recommendation"], lang)
    if result.get("assumed"):
        lines += ["", _("Assumed (default values): {facts}").format(facts=fact_names(dialog, result["assumed"], lang))]
    return "\n".join(lines) + "\n"


def record_state(record: Any, lang: Language) -> str:
    """Where a record stands, in words: its recommendation, else the question it waits for."""
    from intake_tui.rules.regions import UnknownRegion, load_region

    if record.recommendation is not None:
        return headline(record.recommendation.model_dump(mode="json"), lang)
    try:
        dialog = load_region(record.region)
    except (UnknownRegion, DialogError):
        return lang.gettext("not finished")
    fact = record.next_question
    question = dialog.questions.get(fact) if fact else None
    if question is None:
        return lang.gettext("not finished")
    return lang.gettext("next: {question}").format(question=fact_name(dialog, fact, lang))
