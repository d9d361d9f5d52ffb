"""The dossier report of a record: one ``Report``, drawn as Markdown or PDF.

Order (what a school and an intern-begeleider look for first): a header (SWV,
rules and their date, intake date, consultant, school, pupil reference,
status), the recommendation, what is still missing, documents to attach, next
steps with the dates the rules set, warnings, the answers, the reasons with
their sources, and a sign-off block.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from intake_tui.engine.record import IntakeRecord
from intake_tui.i18n import N_, Language
from intake_tui.rules.dialog import Dialog
from intake_tui.rules.regions import dialog_for_record, load_region, resolve_region
from intake_tui.words.display import exchanges, source_text
from intake_tui.words.markup import escape
from intake_tui.words.text_report import Card, card

SIGN_WORDS = {"seen": "Parents (for acknowledgement)", "agreed": "Parents (for agreement)"}


_PARTIES = (N_("Consultant"), N_("School"), N_("Parents (for acknowledgement)"), N_("Parents (for agreement)"))


@dataclass
class Report:
    """A record as its report reads, every text in the reader's language."""

    title: str
    header: list[tuple[str, str]]
    card: Card | None
    sections: list[tuple[str, list[str]]] = field(default_factory=list)  # after the recommendation
    answers: list[tuple[str, str]] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    signers: list[tuple[str, str]] = field(default_factory=list)  # (party, name)
    labels: dict[str, str] = field(default_factory=dict)  # headings and column titles
    footer: str = ""


def intake_date(record: IntakeRecord) -> dt.date:
    """The day of the intake where it was held (the Netherlands)."""
    try:
        from zoneinfo import ZoneInfo

        return record.created.astimezone(ZoneInfo("Europe/Amsterdam")).date()
    except Exception:  # no time zone data on this system: the UTC day
        return record.created.date()


def dated_terms(dialog: Dialog, outcome_id: str, start: dt.date, lang: Language) -> list[tuple[dt.date, str, str]]:
    """The outcome's terms with their dates from ``start``: (date, text, source)."""
    node = dialog.nodes.get(outcome_id)
    if node is None or node.outcome is None:
        return []
    return [(term.due(start), lang.gettext(term.text), source_text(dialog, term.cite, swv=False))
            for term in node.outcome.terms]


def build_report(record: IntakeRecord, lang: Language) -> Report:
    _ = lang.gettext
    dialog = dialog_for_record(record)  # the rules version the record was made under
    if dialog is None:
        raise LookupError(record.ruleset_version)
    day = intake_date(record)
    status = _("complete") if record.status == "complete" else _("draft (the intake is not finished)")
    pupil = record.pupil_ref or _("anonymous")
    consultant = record.consultant or ""
    school = record.school or ""
    header = [
        (_("Samenwerkingsverband"), dialog.meta.swv),
        (_("Rules"), _("{title}, version {version}, valid from {date}").format(
            title=_(dialog.meta.title), version=record.ruleset_version, date=lang.date(record.valid_from))),
        (_("Date of the intake"), lang.date(day)),
        (_("Consultant"), consultant or "—"),
        (_("School"), school or "—"),
        (_("Pupil reference"), pupil),
        (_("Status"), status),
        (_("Intake number"), record.id),
    ]
    found = None
    sections: list[tuple[str, list[str]]] = []
    reasons: list[str] = []
    parents = dialog.meta.parents_sign
    if record.recommendation is not None:
        recommendation = record.recommendation.model_dump(mode="json")
        found = card(dialog, recommendation, lang)
        for key in ("missing", "documents"):
            if key in found.sections:
                sections.append(found.sections[key])
        steps = list(found.sections.get("next_steps", ("", []))[1])
        for due, text, source in dated_terms(dialog, record.recommendation.outcome, day, lang):
            step = _("By {date} — {text}").format(date=lang.date(due), text=text)
            steps.append(f"{step} ({source})" if source else step)
        if steps:
            sections.append((_("Next steps"), steps))
        if "warnings" in found.sections:
            sections.append(found.sections["warnings"])
        reasons = found.sections["why"][1]
        outcome = dialog.nodes.get(record.recommendation.outcome)
        if outcome is not None and outcome.outcome is not None and outcome.outcome.parents_sign:
            parents = outcome.outcome.parents_sign
    answered = [(fact, record.answers[fact]) for fact in record.path if fact in dialog.questions and fact in record.answers]
    signers = [(_("Consultant"), consultant), (_("School"), school)]
    if parents:
        signers.append((_(SIGN_WORDS[parents]), ""))
    return Report(
        title=_("Intake report: {title}").format(title=_(dialog.meta.title)),
        header=header,
        card=found,
        sections=sections,
        answers=[(exchange.question, exchange.answer) for exchange in exchanges(dialog, answered, lang)],
        reasons=reasons,
        signers=signers,
        labels={
            "recommendation": _("Recommendation"), "no_recommendation": _("No recommendation yet: the intake is not finished."),
            "answers": _("Answers"), "question": _("Question"), "answer": _("Answer"), "reasons": _("Reasons"),
            "source": _("Source"), "sign_off": _("Sign-off"), "party": _("Who"), "name": _("Name"),
            "date": _("Date"), "signature": _("Signature"), "lang": lang.code,
        },
        footer=_("Made with intake_tui {version}").format(version=record.app_version),
    )


def markdown_report(record: IntakeRecord, lang: Language) -> str:
    if dialog_for_record(record) is None:
        return stored_report(record, lang)
    return report_markdown(build_report(record, lang))


def report_markdown(report: Report) -> str:
    """The report as Markdown; every text from the record or a dialog is escaped."""
    labels = report.labels
    lines = [f"# {escape(report.title)}", "", "| | |", "|---|---|"]
    lines += [f"| {escape(label)} | {escape(value)} |" for label, value in report.header]
    lines += ["", f"## {escape(labels['recommendation'])}", ""]
    if report.card is None:
        lines.append(escape(labels["no_recommendation"]))
    else:
        lines.append(f"### {escape(report.card.title)}")
        lines.append("")
        if report.card.summary:
            lines += [escape(report.card.summary), ""]
        lines += [f"- **{escape(label)}:** {escape(value)}" for label, value in report.card.facts]
    for heading, items in report.sections:
        lines += ["", f"## {escape(heading)}", ""]
        lines += [f"- {escape(item)}" for item in items]
    if report.answers:
        lines += ["", f"## {escape(labels['answers'])}", "", f"| {escape(labels['question'])} | {escape(labels['answer'])} |", "|---|---|"]
        lines += [f"| {escape(question)} | {escape(answer)} |" for question, answer in report.answers]
    if report.reasons:
        lines += ["", f"## {escape(labels['reasons'])}", ""]
        lines += [f"- {escape(reason)}" for reason in report.reasons]
    if report.card is not None and report.card.source:
        lines += ["", f"_{escape(labels['source'])}: {escape(report.card.source)}_"]
    lines += ["", f"## {escape(labels['sign_off'])}", "",
              f"| {escape(labels['party'])} | {escape(labels['name'])} | {escape(labels['date'])} | {escape(labels['signature'])} |",
              "|---|---|---|---|"]
    lines += [f"| {escape(party)} | {escape(name) if name else ' '} | | |" for party, name in report.signers]
    lines += ["", f"_{escape(report.footer)}_"]
    return "\n".join(lines) + "\n"


def stored_report(record: IntakeRecord, lang: Language) -> str:
    """The report of a record whose rules version is no longer installed: what it stored,
    with a note. Questions are named by the region's current rules where they still exist."""
    _ = lang.gettext
    try:
        current = load_region(resolve_region(record.region))
    except Exception:  # noqa: BLE001 - the region itself may be gone too: then no labels at all
        current = None
    lines = [f"# {_('Intake')} {record.id}", "",
             "> " + _("Rules version {version} of {swv} is no longer available in this installation: this report "
                      "shows what the record stored, without the explanation of the rules.").format(
                 version=record.ruleset_version, swv=record.swv), ""]
    if record.recommendation is not None:
        lines += [f"## {escape(record.recommendation.title)}", "", escape(record.recommendation.summary), ""]
        lines += [f"- {escape(reason)}" for reason in record.recommendation.reasons]
    lines += ["", f"## {_('Answers')}", "", f"| {_('Question')} | {_('Answer')} |", "|---|---|"]
    for number, fact in enumerate((f for f in record.path if f in record.answers), start=1):
        value = record.answers[fact]
        try:
            (exchange,) = exchanges(current, [(fact, value)], lang)  # type: ignore[arg-type]
            question, answer = exchange.question, exchange.answer
        except Exception:  # noqa: BLE001 - a question the current rules no longer have, or read otherwise
            question, answer = _("question {number}").format(number=number), str(value)
        lines.append(f"| {escape(question)} | {escape(answer)} |")
    lines += ["", f"_{_('Made with intake_tui {version}').format(version=record.app_version)}_"]
    return "\n".join(lines) + "\n"


def outcome_markdown(record: IntakeRecord, lang: Language) -> str:
    """The outcome screen's card: the recommendation and why, without the report's header and sign-off."""
    from intake_tui.words.text_report import card_lines

    if record.recommendation is None:
        return escape(lang.gettext("No recommendation yet: the intake is not finished.")) + "\n"
    dialog = dialog_for_record(record)
    if dialog is None:
        return stored_report(record, lang)
    found = card(dialog, record.recommendation.model_dump(mode="json"), lang)
    return "\n".join(card_lines(found, lang, markdown=True)) + "\n"
