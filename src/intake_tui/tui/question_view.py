"""What the conversation screen shows for the current question, as plain data.

The screen paints only this, so a view computed now and one remembered from
an earlier start (``first_view``) are painted the same way and can be
compared. The engine is imported when a view is computed, not before.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from intake_tui.tui.common import escape

if TYPE_CHECKING:
    from intake_tui.engine.intake import Intake

DONE_OPTION = "__done__"


@dataclass(frozen=True)
class QuestionView:
    title: str
    sub_title: str
    said: tuple[tuple[str, str], ...]  # (text, who) messages that introduce the question
    choices: tuple[tuple[str, str], ...]  # (option id, label markup); empty: no list
    status: str
    help: str  # markup
    map: str  # markup; training only
    placeholder: str
    value: str  # the answer field's text: the question's default, if any

    def to_data(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> QuestionView | None:
        """The view in ``data`` (as ``to_data`` wrote it), or None if it is not one."""
        try:
            view = cls(**{**data, "said": _pairs(data["said"]), "choices": _pairs(data["choices"])})
        except (KeyError, TypeError, ValueError):
            return None
        strings = [view.title, view.sub_title, view.status, view.help, view.map, view.placeholder, view.value]
        return view if all(isinstance(text, str) for text in strings) else None


def _pairs(items: Any) -> tuple[tuple[str, str], ...]:
    pairs = tuple((first, second) for first, second in items)
    if not all(isinstance(text, str) for pair in pairs for text in pair):
        raise TypeError("not pairs of texts")
    return pairs


def choice_label(line: str, ticked: bool | None) -> str:
    """A choice in the list ("2. label"); ticked or not for a question of several choices."""
    mark = "" if ticked is None else ("[x] " if ticked else "[ ] ")
    return escape(mark + line)


def view_of(intake: Intake, *, training: bool = False, show_rule: bool = False) -> QuestionView:
    from intake_tui.words.display import answer_hint, answer_text, choice_lines, source_text
    from intake_tui.teach.training import path_map, why_now

    session = intake.session
    lang = intake.lang
    _ = lang.gettext
    question = session.dialog.questions[session.question_id]  # type: ignore[index]
    said = ((why_now(session, lang, show_rule=show_rule), "system"),) if training else ()
    said += ((_(question.prompt), "assistant"),)
    choices: tuple[tuple[str, str], ...] = ()
    if question.type in ("choice", "choices"):
        ticked = False if question.type == "choices" else None
        choices = tuple((choice.value, choice_label(line, ticked))
                        for choice, line in zip(question.choices, choice_lines(question, lang)))
        if question.type == "choices":
            choices += ((DONE_OPTION, _("✔ Done: confirm the ticked choices")),)
    left = session.questions_left - 1
    status = _("Question {number}").format(number=session.number)
    if left:
        status += " · " + lang.ngettext("at most {count} more question", "at most {count} more questions", left).format(count=left)
    else:
        status += " · " + _("the last question")
    # "saved" once there is a file: a draft starts with the first answer.
    status += " · " + _("saved") if intake.autosave and session.answers else ""
    # The question heads its help: below 100 columns the help covers the conversation.
    help_lines = [f"[b]{escape(_('Help with: {question}').format(question=_(question.prompt)))}[/b]", escape(_(question.help) if question.help else _("No help text.")),
                  f"[i]{escape(_('Source'))}: {escape(source_text(session.dialog, question.cite))}[/i]"]
    default = session.default
    return QuestionView(
        # The SWV by its name first: at 80 columns the end of a long title is cut off.
        title=(f"{_('training')} · " if training else "") + _(session.dialog.meta.swv),
        sub_title=_(session.dialog.meta.title),
        said=said,
        choices=choices,
        status=status,
        help="\n".join(help_lines),
        map=path_map(session, lang) if training else "",
        placeholder=answer_hint(question, lang) + " · ? " + _("help"),
        value=answer_text(question, default, lang) if default is not None else "",
    )
