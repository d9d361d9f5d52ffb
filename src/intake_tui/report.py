"""The Markdown report of a record, to attach to a pupil's dossier."""

from __future__ import annotations

from .i18n import Language
from .record import IntakeRecord
from .regions import load_region
from .display import exchanges
from .text_report import recommendation_lines


def markdown_report(record: IntakeRecord, lang: Language) -> str:
    _ = lang.gettext
    dialog = load_region(record.region)
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
