"""What-if: change one answer and see, side by side, what would change.

Nothing is changed in the intake itself.
"""

from __future__ import annotations

from rich.markdown import Markdown
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from intake_tui.engine.intake import Intake
from intake_tui.i18n import N_
from intake_tui.rules.answers import AnswerError
from intake_tui.teach.training import WhatIf, what_if
from intake_tui.tui.common import TitleBar, escape, set_titles, translate_bindings
from intake_tui.words.display import answer_hint, answer_text, transcript


class WhatIfScreen(Screen):
    AUTO_FOCUS = "#answers"
    BINDINGS = [
        Binding("escape", "close", N_("Back to the outcome")),
        # The comparison scrolls a page at a time wherever the focus is.
        Binding("pageup", "page(-1)", show=False, priority=True),
        Binding("pagedown", "page(1)", show=False, priority=True),
    ]

    def __init__(self, intake: Intake) -> None:
        super().__init__()
        self.intake = intake
        self.lang = intake.lang
        self.fact: str | None = None
        self.comparison_text = ""  # the comparison shown, as Markdown
        translate_bindings(self, self.lang)

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(escape(self.lang.gettext("What if? Choose an answer, give another value, and compare.")), id="intro")
        yield OptionList(*[Option(f"{escape(e.question)} → {escape(e.answer)}", id=e.fact) for e in transcript(self.intake)],
                         id="answers")
        yield Static(id="feedback")
        yield Input(id="edit")
        with VerticalScroll(id="comparison-box"):
            yield Static(id="comparison")
        yield Footer()

    def on_mount(self) -> None:
        set_titles(self, self.intake.dialog, self.lang, N_("What if?"))
        self.query_one("#edit", Input).cursor_blink = self.app.cursor_blink  # type: ignore[attr-defined]

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.fact = event.option.id
        question = self.intake.dialog.questions[self.fact]  # type: ignore[index]
        field = self.query_one("#edit", Input)
        field.placeholder = answer_hint(question, self.lang)
        field.value = ""
        field.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if self.fact is None:
            return
        try:
            value = self.intake.dialog.readers[self.fact].read_text(event.value)
        except AnswerError as error:
            self.query_one("#feedback", Static).update(escape(error.say(self.lang.gettext)))
            return
        self.query_one("#feedback", Static).update("")
        comparison = what_if(self.intake.dialog, dict(self.intake.session.known), self.fact, value)
        self.comparison_text = comparison_markdown(self.intake, comparison)
        self.query_one("#comparison", Static).update(Markdown(self.comparison_text))
        self.query_one("#comparison-box", VerticalScroll).scroll_home(animate=False)

    def action_page(self, direction: int) -> None:
        box = self.query_one("#comparison-box", VerticalScroll)
        if direction < 0:
            box.scroll_page_up(animate=False)
        else:
            box.scroll_page_down(animate=False)

    def action_close(self) -> None:
        self.app.show_outcome(self.intake)  # type: ignore[attr-defined]


def comparison_markdown(intake: Intake, change: WhatIf) -> str:
    lang, dialog = intake.lang, intake.dialog
    _ = lang.gettext
    questions = dialog.questions

    def outcome(walked) -> str:
        if walked.outcome is None:
            return _("open: the intake would also ask “{question}”").format(question=_(questions[walked.next_question].prompt))
        return _(dialog.nodes[walked.outcome].outcome.title)

    question = questions[change.fact]
    rows = [
        f"| | {_('Now')} | {_('What if')} |",
        "|---|---|---|",
        f"| {_(question.prompt)} | {answer_text(question, change.old, lang)} | {answer_text(question, change.new, lang)} |",
        f"| {_('Outcome')} | {outcome(change.before)} | {outcome(change.after)} |",
    ]
    # The verdict first: at 80x24 it is what shows without scrolling.
    lines = [f"**{_('The outcome changes.') if change.outcome_changed else _('The outcome stays the same.')}**", ""]
    lines.append("\n".join(rows))
    if change.questions_removed:
        lines += ["", _("No longer asked:")] + [f"- {_(questions[f].prompt)}" for f in change.questions_removed]
    if change.questions_added:
        lines += ["", _("Asked in addition:")] + [f"- {_(questions[f].prompt)}" for f in change.questions_added]
    return "\n".join(lines)
