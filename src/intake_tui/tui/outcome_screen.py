"""The outcome card, the why, and what to do next."""

from __future__ import annotations

from rich.markdown import Markdown
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Static

from intake_tui.engine.intake import Intake
from intake_tui.i18n import N_
from intake_tui.tui.common import TitleBar, escape, set_titles, translate_bindings
from intake_tui.words.report import outcome_markdown


class OutcomeScreen(Screen):
    BINDINGS = [
        Binding("e", "export", N_("Export")),
        Binding("n", "new", N_("New intake")),
        Binding("r", "review", N_("Review")),
        Binding("w", "what_if", N_("What if?")),
        Binding("ctrl+t", "app.toggle_theme", N_("Theme"), show=False),
        Binding("q", "app.quit", N_("Quit"), show=False),  # Ctrl+Q, shown by the app, works too
        Binding("escape", "new", N_("New intake"), show=False),
        Binding("enter", "save_again", N_("Save"), show=False),  # after a failed save, as its sentence says
    ]

    def __init__(self, intake: Intake) -> None:
        super().__init__()
        self.intake = intake
        self.lang = intake.lang
        translate_bindings(self, self.lang)

    def compose(self) -> ComposeResult:
        from intake_tui.engine.intake import save_failure_text
        from intake_tui.engine.store_api import StoreError

        _ = self.lang.gettext
        unsaved = ""
        try:
            record = self.intake.save()
        except StoreError as error:  # the answers stay with the intake: the card is drawn, Enter saves again
            record = self.intake.session.to_record()
            unsaved = save_failure_text(error, self.lang)
        yield TitleBar()
        feedback = Static(escape(unsaved), id="feedback")
        feedback.display = bool(unsaved)  # a line only while a save has failed
        yield feedback
        with VerticalScroll():
            # Rich renders the whole card as one widget: a tenth of the time of
            # Textual's Markdown widget, which builds a widget per block.
            yield Static(Markdown(outcome_markdown(record, self.lang)), id="card")
        with Horizontal(id="actions"):
            yield Button(_("Export"), id="export", variant="primary")
            yield Button(_("Review"), id="review")
            yield Button(_("What if?"), id="what_if")
            yield Button(_("New intake"), id="new")
            yield Button(_("Quit"), id="quit")
        yield Footer(compact=True)  # five keys and the quit label fit in 80 columns

    def on_mount(self) -> None:
        set_titles(self, self.intake.dialog, self.lang, N_("Recommendation"))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        actions = {"export": self.action_export, "review": self.action_review, "what_if": self.action_what_if, "new": self.action_new,
                   "quit": self.app.exit}
        actions[event.button.id]()  # type: ignore[index]

    def action_save_again(self) -> None:
        """Enter after a failed save: save again (the sentence on screen goes when it worked)."""
        from intake_tui.engine.intake import save_failure_text
        from intake_tui.engine.store_api import StoreError

        if not self.query_one("#feedback", Static).display:
            return
        try:
            self.intake.save()
        except StoreError as error:
            self._unsaved(save_failure_text(error, self.lang))
            return
        self._unsaved("")
        self.notify(self.lang.gettext("saved"))

    def _unsaved(self, sentence: str) -> None:
        """Say on screen that the last save failed (and how to go on), or, empty, take that away."""
        feedback = self.query_one("#feedback", Static)
        feedback.update(escape(sentence))
        feedback.display = bool(sentence)

    def action_export(self) -> None:
        from intake_tui.engine.intake import save_failure_text
        from intake_tui.engine.record_files import os_reason
        from intake_tui.engine.store_api import StoreError

        _ = self.lang.gettext
        try:
            record = self.intake.save()
        except StoreError as error:  # the same sentence as every other failed save, on screen
            self._unsaved(save_failure_text(error, self.lang))
            return
        self._unsaved("")
        try:
            self.app.export_record(record, self.intake.saved_in)  # type: ignore[attr-defined]
        except StoreError as error:
            self.notify(error.say(_), severity="error")
        except OSError as error:
            self.notify(_("could not write the report: {reason}; nothing is lost").format(reason=os_reason(error).say(_)),
                        severity="error")

    def action_review(self) -> None:
        self.app.show_review(self.intake)  # type: ignore[attr-defined]

    def action_what_if(self) -> None:
        from intake_tui.tui.whatif_screen import WhatIfScreen

        self.app.switch_screen(WhatIfScreen(self.intake))

    def action_new(self) -> None:
        self.app.show_start()  # type: ignore[attr-defined]
