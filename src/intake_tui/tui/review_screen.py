"""All answers at a glance; pick one to change it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from intake_tui.engine.intake import Intake, save_failure_text
from intake_tui.engine.store_api import StoreError
from intake_tui.i18n import N_
from intake_tui.rules.answers import AnswerError
from intake_tui.tui.common import TitleBar, escape, set_titles, translate_bindings
from intake_tui.words.display import answer_hint, answer_text, choice_lines, dropped_text, transcript


class ReviewScreen(Screen):
    AUTO_FOCUS = "#answers"
    BINDINGS = [Binding("escape", "close", N_("Back"))]

    def __init__(self, intake: Intake) -> None:
        super().__init__()
        self.intake = intake
        self.lang = intake.lang
        self.editing: str | None = None
        translate_bindings(self, self.lang)

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(escape(self.lang.gettext("Choose an answer to change it (Enter), Escape to go back.")), id="intro")
        yield OptionList(id="answers")
        yield Static(id="feedback")
        yield Static(id="edit-choices")
        yield Input(id="edit")
        yield Footer()

    def on_mount(self) -> None:
        set_titles(self, self.intake.dialog, self.lang, N_("Review"))
        self.query_one("#edit", Input).cursor_blink = self.app.cursor_blink  # type: ignore[attr-defined]
        self.refresh_answers()

    def refresh_answers(self) -> None:
        options = self.query_one("#answers", OptionList)
        options.clear_options()
        for number, exchange in enumerate(transcript(self.intake), start=1):
            options.add_option(Option(f"{number}. {escape(exchange.question)}\n   → {escape(exchange.answer)}", id=exchange.fact))
        if options.option_count:
            options.highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        fact = event.option.id
        question = self.intake.dialog.questions[fact]  # type: ignore[index]
        self.editing = fact
        field = self.query_one("#edit", Input)
        field.add_class("visible")
        field.placeholder = answer_hint(question, self.lang)
        field.value = answer_text(question, self.intake.session.answers[fact], self.lang)  # type: ignore[index]
        # A choice is typed by its number or label: the editor lists them.
        lines = choice_lines(question, self.lang) if question.type in ("choice", "choices") else []
        self.query_one("#edit-choices", Static).update(escape("\n".join(lines)))
        self.query_one("#feedback", Static).update("")
        field.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if self.editing is None:
            return
        feedback = self.query_one("#feedback", Static)
        try:
            change = self.intake.change(self.editing, event.value)
        except AnswerError as error:
            feedback.update(escape(error.say(self.lang.gettext)))
            return
        except StoreError as error:  # not saved, nothing changed: the new answer stays in the box
            feedback.update(escape(save_failure_text(error, self.lang)))
            return
        if change.dropped:
            message = dropped_text(self.intake.dialog, change.dropped, self.lang)
        else:
            message = self.lang.gettext("Changed; every other answer is still on the path.")
        feedback.update(escape(message))  # said here, not in a toast over the list
        self._stop_editing()

    def _stop_editing(self) -> None:
        self.editing = None
        self.query_one("#edit", Input).remove_class("visible")
        self.query_one("#edit-choices", Static).update("")
        self.refresh_answers()
        self.query_one("#answers", OptionList).focus()

    def action_close(self) -> None:
        """Escape ends an edit without changing the answer; else it goes back."""
        if self.editing is not None:
            self._stop_editing()
            return
        self.app.continue_intake(self.intake)  # type: ignore[attr-defined]
