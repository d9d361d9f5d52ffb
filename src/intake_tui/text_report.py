"""Plain-text and Markdown views of a check result or a recommendation."""

from __future__ import annotations

from typing import Any

from .dialog import Dialog
from .i18n import Language


def N_(message: str) -> str:
    return message


ROUTE_NAMES = {
    "basis": N_("Basic support at school"),
    "arrangement": N_("Arrangement"),
    "tlv": N_("Admission statement (TLV) for special education"),
    "not_yet": N_("Not yet: a request would be premature"),
}
FORM_NAMES = {"individual": N_("individual"), "group": N_("group"), "cluster": N_("cluster")}
LEVEL_NAMES = {"light": N_("light"), "medium": N_("medium"), "intensive": N_("intensive")}
DETAIL_NAMES = {
    "tlv": {
        "sbo": N_("SBO"), "sbo_young": N_("SBO, under 7"), "observation_centre": N_("observation centre"),
        "so_behaviour": N_("SO cluster 4, behaviour"), "so_zml": N_("SO, ZML"), "so_lzk": N_("SO, LZK"),
        "so_lg": N_("SO, LG"), "so_mg": N_("SO, MG"), "so": N_("SO"),
    },
    "domain": {
        "learning": N_("learning"), "behaviour": N_("behaviour"), "cognitive": N_("ZML"), "medical": N_("LZK"),
        "physical": N_("LG"), "multiple": N_("MG"), "gifted": N_("gifted"), "young_risk": N_("JRK"),
    },
    "group_offer": {
        "top": N_("TOP-groep"), "jonge_kind": N_("Jonge kind groep"), "doen": N_("DOEN-groep"),
        "impuls": N_("IMPULS-groep"), "doe_en_leer": N_("Doe en Leergroep"), "none": N_("none"),
    },
}


def fact_prompt(dialog: Dialog, fact: str, lang: Language) -> str:
    question = dialog.questions.get(fact)
    return lang.gettext(question.prompt) if question else fact


def headline(recommendation: dict[str, Any], lang: Language) -> str:
    _ = lang.gettext
    parts = [_(ROUTE_NAMES[recommendation["route"]])]
    details = []
    if recommendation.get("form"):
        details.append(_(FORM_NAMES[recommendation["form"]]))
    if recommendation.get("level"):
        details.append(_(LEVEL_NAMES[recommendation["level"]]))
    for key in ("tlv", "domain", "group_offer"):
        value = recommendation.get(key)
        if value:
            details.append(_(DETAIL_NAMES[key].get(value, value)))
    if details:
        parts.append(f"({', '.join(details)})")
    return " ".join(parts)


def recommendation_lines(dialog: Dialog, recommendation: dict[str, Any], lang: Language, *, markdown: bool = False) -> list[str]:
    """The outcome card and the why, as lines of plain text or Markdown."""
    _ = lang.gettext
    bullet = "- " if markdown else "  • "
    gap = [""] if markdown else []

    def heading(text: str) -> list[str]:
        return ["", f"### {text}", ""] if markdown else ["", f"{text}:"]

    lines = [f"## {recommendation['title']}" if markdown else recommendation["title"], *gap]
    lines.append(f"**{headline(recommendation, lang)}**" if markdown else headline(recommendation, lang))
    if recommendation.get("summary"):
        lines += [*gap, recommendation["summary"]]
    hours = recommendation.get("hours_per_week")
    facts = [
        (_("Hours a week"), lang.number(hours) if hours is not None else None),
        (_("Hours"), recommendation.get("hours")),
        (_("Duration"), recommendation.get("duration")),
        (_("Who decides"), recommendation.get("decides")),
    ]
    details = [f"{bullet}{label}: {value}" for label, value in facts if value]
    for budget in recommendation.get("budget", []):
        note = f" ({budget['note']})" if budget.get("note") else ""
        details.append(f"{bullet}{_('Budget')}: {budget['text']}{note}")
    if details:
        lines += [*gap, *details]
    if recommendation.get("missing"):
        lines += heading(_("Still missing"))
        lines += [f"{bullet}{reason}" for reason in recommendation.get("reasons", [])]
        lines += [*gap, _("Facts to fix: {facts}").format(facts=", ".join(recommendation["missing"]))]
    for title, key in ((_("Warnings"), "warnings"), (_("Documents to attach"), "documents"), (_("Next steps"), "next_steps")):
        if recommendation.get(key):
            lines += heading(title)
            lines += [f"{bullet}{text}" for text in recommendation[key]]
    lines += heading(_("Why"))
    lines += why_lines(recommendation.get("why", []), lang, bullet)
    lines += [*gap, f"{_('Source')}: {recommendation['cite']} ({dialog.meta.seed})"]
    return lines


def why_lines(steps: list[dict[str, Any]], lang: Language, bullet: str) -> list[str]:
    """Each branch that decided something: the reason, its condition, its citation."""
    lines = []
    for step in steps:
        if not step.get("condition") and not step.get("because"):
            continue
        reason = step.get("because") or step.get("condition")
        condition = f" [`{step['condition']}`]" if step.get("condition") and bullet == "- " else (
            f" [{step['condition']}]" if step.get("condition") else "")
        cite = f" — {step['cite']}" if step.get("cite") else ""
        lines.append(f"{bullet}{reason}{condition}{cite}")
    return lines


def check_result_text(dialog: Dialog, result: dict[str, Any], lang: Language) -> str:
    _ = lang.gettext
    lines = [f"{dialog.meta.swv} — {_(dialog.meta.title)} ({_('rules')} {dialog.meta.ruleset_version})"]
    if not result["complete"]:
        lines.append(_("Incomplete: the next question on this path is not answered."))
        lines.append(f"  {result['next_question']}: {fact_prompt(dialog, result['next_question'], lang)}")
    else:
        lines += recommendation_lines(dialog, result["recommendation"], lang)
    if result.get("assumed"):
        lines.append(_("Assumed (default values): {facts}").format(facts=", ".join(result["assumed"])))
    return "\n".join(lines) + "\n"
