"""What the conversation screen shows, as plain data, from one source.

Where an intake stands is a ``Spot``: the dialog's outline (``rules.compiled``),
the current question, its number and the answers on the path. A spot comes
from the engine's session (``spot_of``), or, before the engine has loaded,
from the outline alone (a new intake: ``first_spot``) or from a draft's file
(``intake resume``: ``draft_spot``). The screen paints only ``view_of(spot)``,
so what it paints first is what the engine shows; the engine is imported when
a spot is taken from a session, not before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple
from weakref import WeakKeyDictionary

from intake_tui.i18n import Language
from intake_tui.rules.compiled import Card, Outline
from intake_tui.tui.common import escape

if TYPE_CHECKING:
    from intake_tui.engine.intake import Intake
    from intake_tui.rules.dialog import Dialog

DONE_OPTION = "__done__"


class Spot(NamedTuple):
    """Where an intake stands: its question, and the answers on the path before it."""

    outline: Outline
    question: str
    number: int
    answered: tuple[tuple[str, Any], ...] = ()  # (fact, value) on the path, in order
    kept: Any = None  # the kept answer to this question (after back, a change, or a draft's default)
    saved: bool = False  # the draft is on disk (from its first answer on)


class QuestionView(NamedTuple):
    title: str
    sub_title: str
    transcript: tuple[tuple[str, str], ...]  # (question, answer in words) before this question
    said: tuple[tuple[str, str], ...]  # (text, who) messages that introduce the question
    choices: tuple[tuple[str, str], ...]  # (option id, label markup); empty: no list
    status: str
    help: str  # markup
    map: str  # markup; training only
    placeholder: str
    value: str  # the answer field's text: the kept answer, if any


def first_spot(outline: Outline) -> Spot:
    """A new intake: its first question, nothing answered."""
    return Spot(outline, outline.start, 1)


def draft_spot(outline: Outline, answers: Any, path: Any, next_question: Any) -> Spot | None:
    """Where a draft stands, from its file as stored (answers by fact id, the path of
    node ids, the next question); None when the file does not describe a spot of this
    outline (the engine then reads and judges it)."""
    cards = outline.questions
    if not isinstance(answers, dict) or not isinstance(path, list) or next_question not in cards:
        return None
    answered = tuple((fact, answers[fact]) for fact in path if fact in cards and fact in answers and fact != next_question)
    if not all(_fits(cards[fact], value) for fact, value in answered):
        return None
    kept = answers.get(next_question)
    if kept is not None and not _fits(cards[next_question], kept):
        return None
    return Spot(outline, next_question, len(answered) + 1, answered, kept, saved=bool(answers))


def _fits(card: Card, value: Any) -> bool:
    """A value of the card's type, so that it reads as words (the engine checks the rest)."""
    values = {choice.value for choice in card.choices}
    if card.type == "bool":
        return isinstance(value, bool)
    if card.type in ("int", "number"):
        return isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) < 1e15
    if card.type == "choice":
        return value in values
    return isinstance(value, list) and all(isinstance(item, str) and item in values for item in value)


_OUTLINES: WeakKeyDictionary[Dialog, Outline] = WeakKeyDictionary()


def spot_of(intake: Intake) -> Spot:
    """Where the engine's session stands, on the outline built from the dialog it loaded."""
    from intake_tui.rules.compiled import outline_of

    session = intake.session
    dialog = session.dialog
    outline = _OUTLINES.get(dialog)
    if outline is None:
        outline = _OUTLINES[dialog] = outline_of(dialog, "", dialog.meta.valid_from.isoformat(), None)
    answered = tuple((fact, session.answers[fact]) for fact in session.history)
    return Spot(outline, session.question_id, session.number, answered, session.default,  # type: ignore[arg-type]
                saved=intake.autosave and bool(session.answers))


def choice_label(line: str, ticked: bool | None) -> str:
    """A choice in the list ("2. label"); ticked or not for a question of several choices."""
    mark = "" if ticked is None else ("[x] " if ticked else "[ ] ")
    return escape(mark + line)


def view_of(spot: Spot, lang: Language, *, training: bool = False, said: tuple[tuple[str, str], ...] = (),
            map: str = "") -> QuestionView:
    """The screen for ``spot``; a training intake adds its own ``said`` (why this question) and ``map``."""
    from intake_tui.words.display import answer_hint, answer_text, choice_lines, cited_source

    _ = lang.gettext
    cards = spot.outline.questions
    question = cards[spot.question]
    transcript = tuple((_(cards[fact].prompt), answer_text(cards[fact], value, lang)) for fact, value in spot.answered)
    said = said + ((_(question.prompt), "assistant"),)
    choices: tuple[tuple[str, str], ...] = ()
    if question.type in ("choice", "choices"):
        ticked = False if question.type == "choices" else None
        choices = tuple((choice.value, choice_label(line, ticked))
                        for choice, line in zip(question.choices, choice_lines(question, lang)))
        if question.type == "choices":
            choices += ((DONE_OPTION, _("✔ Done: confirm the ticked choices")),)
    left = question.left - 1
    status = _("Question {number}").format(number=spot.number)
    if left:
        status += " · " + lang.ngettext("at most {count} more question", "at most {count} more questions", left).format(count=left)
    else:
        status += " · " + _("the last question")
    # "saved" once there is a file: a draft starts with the first answer.
    status += " · " + _("saved") if spot.saved else ""
    # The question heads its help: below 100 columns the help covers the conversation.
    help_lines = [f"[b]{escape(_('Help with: {question}').format(question=_(question.prompt)))}[/b]",
                  escape(_(question.help) if question.help else _("No help text.")),
                  f"[i]{escape(_('Source'))}: {escape(cited_source(spot.outline.seed, spot.outline.swv, question.cite))}[/i]"]
    return QuestionView(
        # The SWV by its name first: at 80 columns the end of a long title is cut off.
        title=(f"{_('training')} · " if training else "") + _(spot.outline.swv),
        sub_title=_(spot.outline.title),
        transcript=transcript,
        said=said,
        choices=choices,
        status=status,
        help="\n".join(help_lines),
        map=map,
        placeholder=answer_hint(question, lang) + " · ? " + _("help"),
        value=answer_text(question, spot.kept, lang) if spot.kept is not None else "",
    )


def engine_view(intake: Intake, *, training: bool = False, show_rule: bool = False) -> QuestionView:
    """The view of the engine's session (a training intake with its reasons and map)."""
    said: tuple[tuple[str, str], ...] = ()
    map_text = ""
    if training:
        from intake_tui.teach.training import path_map, why_now

        said = ((why_now(intake.session, intake.lang, show_rule=show_rule), "system"),)
        map_text = path_map(intake.session, intake.lang)
    return view_of(spot_of(intake), intake.lang, training=training, said=said, map=map_text)
