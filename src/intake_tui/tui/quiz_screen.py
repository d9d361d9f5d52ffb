"""The quiz in the terminal UI: a case, the outcomes to choose from, the verdict."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from intake_tui.i18n import N_, Language
from intake_tui.rules.dialog import Dialog
from intake_tui.rules.path_cases import PathCase
from intake_tui.teach.quiz import outcome_choices, verdict
from intake_tui.teach.training import case_description
from intake_tui.tui.common import QUIT_BINDINGS, QuitsInDutch, TitleBar, escape, set_titles, translate_bindings
from intake_tui.words.text_report import headline


class QuizScreen(Screen):
    AUTO_FOCUS = "#choices"
    BINDINGS = [Binding("n", "next_case", N_("Next case")), Binding("q", "app.quit", N_("Quit"), show=False)] + [
        # A number key picks that answer, as the plain quiz reads it.
        Binding(str(number), f"pick({number})", show=False) for number in range(1, 10)
    ]

    def __init__(self, dialog: Dialog, cases: list[PathCase], lang: Language) -> None:
        super().__init__()
        self.dialog, self.cases, self.lang = dialog, cases, lang
        self.index = 0
        self.score = 0
        self.answered = False
        translate_bindings(self, lang)

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(id="status")
        with VerticalScroll():
            yield Static(id="case")
            yield OptionList(*[Option(escape(title), id=outcome_id) for outcome_id, title in outcome_choices(self.dialog, self.lang)],
                             id="choices")
            yield Static(id="verdict")
        yield Footer()

    def on_mount(self) -> None:
        set_titles(self, self.dialog, self.lang, N_("Quiz"))
        self.show_case()

    def show_case(self) -> None:
        _ = self.lang.gettext
        case = self.cases[self.index]
        lines = [f"[b]{escape(_('Case {number} of {total}').format(number=self.index + 1, total=len(self.cases)))}[/b]"]
        lines += [f"• {escape(line)}" for line in case_description(self.dialog, case.answers or {}, self.lang)]
        lines.append(f"\n[b]{escape(_('What does the intake recommend?'))}[/b]")
        self.query_one("#case", Static).update("\n".join(lines))
        self.query_one("#verdict", Static).update("")
        self.answered = False
        choices = self.query_one("#choices", OptionList)
        choices.highlighted = None  # no answer carried over from the last case: Enter picks nothing yet
        choices.scroll_home(animate=False)
        self.query_one(VerticalScroll).scroll_home(animate=False)
        self._status()

    def _status(self) -> None:
        text = self.lang.gettext("Score: {score} of {total}").format(score=self.score, total=self.index + (1 if self.answered else 0))
        self.query_one("#status", Static).update(escape(text))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.answer(event.option.id or "")

    def action_pick(self, number: int) -> None:
        choices = self.query_one("#choices", OptionList)
        if number <= choices.option_count and not self.answered:
            choices.highlighted = number - 1
            self.answer(choices.get_option_at_index(number - 1).id or "")

    def answer(self, outcome_id: str) -> None:
        if self.answered:
            return
        _ = self.lang.gettext
        right, recommendation, path = verdict(self.dialog, self.cases[self.index], outcome_id, self.lang)
        self.score += right
        self.answered = True
        lines = [f"[b]{escape(_('Right!') if right else _('Not quite.'))}[/b] "
                 f"{escape(_('The intake recommends'))}: {escape(recommendation['title'])} — {escape(headline(recommendation, self.lang))}",
                 escape(_("Where the path went:"))]
        lines += [escape(line) for line in path]
        more = self.index + 1 < len(self.cases)
        lines.append(f"\n[i]{escape(_('Press n for the next case.') if more else _('That was the last case.'))}[/i]")
        self.query_one("#verdict", Static).update("\n".join(lines))
        self.call_after_refresh(self.query_one("#verdict", Static).scroll_visible, animate=False)
        self._status()

    def action_next_case(self) -> None:
        if not self.answered or self.index + 1 >= len(self.cases):
            return
        self.index += 1
        self.show_case()


class QuizApp(QuitsInDutch, App):
    TITLE = "intake_tui"
    CSS_PATH = Path(__file__).resolve().parent / "intake.tcss"
    BINDINGS = QUIT_BINDINGS

    def __init__(self, dialog: Dialog, cases: list[PathCase], lang: Language) -> None:
        super().__init__()
        self.lang = lang
        translate_bindings(self, lang)
        self.quiz = QuizScreen(dialog, cases, lang)

    def on_mount(self) -> None:
        self.push_screen(self.quiz)


def run_quiz_app(dialog: Dialog, cases: list[PathCase], lang: Language) -> None:
    QuizApp(dialog, cases, lang).run()
