"""The pre-check: the path's questions as plain prompts, then a verdict.

No full-screen UI: it works in a pipe and over ssh. Nothing is stored.
"""

from __future__ import annotations

from typing import TextIO

from intake_tui.engine.intake import Intake
from intake_tui.engine.session import Session
from intake_tui.i18n import Language
from intake_tui.rules.answers import AnswerError
from intake_tui.rules.dialog import Dialog
from intake_tui.words.display import answer_hint, choice_lines, source_text
from intake_tui.words.text_report import recommendation_lines


def precheck(dialog: Dialog, lang: Language, stdin: TextIO, stdout: TextIO) -> None:
    """Ask the path's questions on ``stdin``/``stdout`` until the verdict, or until the input ends."""
    _ = lang.gettext
    intake = Intake(Session(dialog, lang), None, autosave=False)
    session = intake.session
    print(f"{dialog.meta.swv} — {_(dialog.meta.title)}", file=stdout)
    print(_("Answer each question; ? shows help, /back goes back. Nothing is stored."), file=stdout)
    while not session.done:
        question = dialog.questions[session.question_id]  # type: ignore[index]
        left = session.questions_left
        to_go = _("at most {count} to go").format(count=left - 1) if left > 1 else _("the last question")
        print(f"\n[{session.number}, {to_go}] {_(question.prompt)}", file=stdout)
        for line in choice_lines(question, lang):
            print(f"    {line}", file=stdout)
        print(f"  ({answer_hint(question, lang)}) > ", end="", file=stdout, flush=True)
        line = stdin.readline()
        if not line:
            print(f"\n{_('Stopped before the end: the verdict needs the question above.')}", file=stdout)
            intake.close()
            return
        text = line.strip()
        if not stdin.isatty():
            print(text, file=stdout)  # so a piped run reads as a conversation
        if text == "?":
            print(f"  {_(question.help) if question.help else _('No help text.')} ({source_text(dialog, question.cite)})", file=stdout)
            continue
        if text.lower() in ("/back", "/terug"):
            if not session.back():
                print(f"  {_('This is the first question.')}", file=stdout)
            continue
        try:
            intake.answer(text)
        except AnswerError as error:
            print(f"  {error.say(_)}", file=stdout)
    recommendation = session.recommendation()
    assert recommendation is not None
    print("\n" + "\n".join(recommendation_lines(dialog, recommendation.model_dump(mode="json"), lang)), file=stdout)
    intake.close()
