"""The Markdown report of a record, to attach to a pupil's dossier."""

from __future__ import annotations

from .i18n import Language
from .record import IntakeRecord
from .regions import dialog_for_record, load_region, resolve_region
from .display import exchanges
from .text_report import recommendation_lines


def markdown_report(record: IntakeRecord, lang: Language) -> str:
    _ = lang.gettext
    dialog = dialog_for_record(record)
    if dialog is None:
        return stored_report(record, lang)
    status = _("complete") if record.status == "complete" else _("draft")
    lines = [f"# {_('Intake')} {record.id}", ""]
    if record.recommendation is not None:
        lines += recommendation_lines(dialog, record.recommendation.model_dump(mode="json"), lang, markdown=True)
    else:
        lines.append(_("No recommendation yet: the intake is not finished."))
    lines += [
        "",
        f"## {_('Details')}",
        "",
        f"- {_('Region')}: {dialog.meta.swv} ({record.region})",
        f"- {_('Rules')}: {_(dialog.meta.title)}, {_('version')} {record.ruleset_version}, "
        f"{_('valid from')} {lang.date(record.valid_from)}",
        f"- {_('Status')}: {status}",
        f"- {_('Pupil reference')}: {record.pupil_ref or _('none (anonymous)')}",
        f"- {_('Created')}: {lang.datetime(record.created)}; {_('updated')}: {lang.datetime(record.updated)}",
    ]
    lines += ["", f"## {_('Answers')}", "", f"| {_('Question')} | {_('Answer')} |", "|---|---|"]
    answered = [(fact, record.answers[fact]) for fact in record.path if fact in dialog.questions and fact in record.answers]
    for exchange in exchanges(dialog, answered, lang):
        question = exchange.question.replace("|", "\\|")  # a | would end the table cell
        lines.append(f"| {question} | {exchange.answer} |")
    lines.append("")
    lines.append(f"_{_('Made with intake_tui {version}').format(version=record.app_version)}_")
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
        lines += [f"## {record.recommendation.title}", "", record.recommendation.summary, ""]
        lines += [f"- {reason}" for reason in record.recommendation.reasons]
    lines += ["", f"## {_('Answers')}", "", f"| {_('Question')} | {_('Answer')} |", "|---|---|"]
    for number, fact in enumerate((f for f in record.path if f in record.answers), start=1):
        value = record.answers[fact]
        try:
            (exchange,) = exchanges(current, [(fact, value)], lang)  # type: ignore[arg-type]
            question, answer = exchange.question, exchange.answer
        except Exception:  # noqa: BLE001 - a question the current rules no longer have, or read otherwise
            question, answer = _("question {number}").format(number=number), str(value)
        lines.append(f"| {question.replace('|', '/')} | {answer.replace('|', '/')} |")
    lines += ["", f"_{_('Made with intake_tui {version}').format(version=record.app_version)}_"]
    return "\n".join(lines) + "\n"
