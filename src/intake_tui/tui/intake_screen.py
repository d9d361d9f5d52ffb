"""The conversation: questions and answers as chat messages, one input below."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from ..answers import AnswerError
from ..display import answer_hint, answer_text
from ..intake import Intake
from .common import N_, escape, translate_bindings
from ..training import path_map, why_now

COMMANDS = {"/back": "back", "/terug": "back", "/review": "review", "/overzicht": "review",
            "/help": "help", "/quit": "quit", "/stop": "quit"}


class IntakeScreen(Screen):
    AUTO_FOCUS = "#answer"
    BINDINGS = [
        Binding("f1", "help", N_("Help")),
        Binding("ctrl+b", "back", N_("Back")),
        Binding("ctrl+r", "review", N_("Review")),
        Binding("ctrl+t", "app.toggle_theme", N_("Theme")),
        Binding("up", "choice(-1)", show=False),
        Binding("down", "choice(1)", show=False),
    ]

    def __init__(self, intake: Intake, *, training: bool = False) -> None:
        super().__init__()
        self.intake = intake
        self.training = training
        self.lang = intake.lang
        self.picked: set[str] = set()  # toggled options of a 'choices' question
        translate_bindings(self, self.lang)

    # -- layout --------------------------------------------------------------
    def compose(self) -> ComposeResult:
        _ = self.lang.gettext
        yield Header(show_clock=False)
        with Horizontal(id="body"):
            yield VerticalScroll(id="transcript")
            with VerticalScroll(id="side", classes="visible" if self.training else ""):
                yield Static(id="help")
                yield Static(id="map")
        yield OptionList(id="choices", classes="hidden")
        yield Static(id="feedback")
        yield Static(id="status")
        yield Input(id="answer", placeholder=_("Type your answer; ? for help, /back, /review"))
        yield Footer()

    def on_mount(self) -> None:
        meta = self.intake.dialog.meta
        self.title = self.lang.gettext(meta.title)
        self.sub_title = meta.region + (f" · {self.lang.gettext('training')}" if self.training else "")
        self.query_one("#choices", OptionList).can_focus = False
        self.query_one("#answer", Input).cursor_blink = self.app.cursor_blink  # type: ignore[attr-defined]
        for exchange in self.intake.transcript():
            self.say(exchange.question, "assistant")
            self.say(exchange.answer, "user")
        self.show_current()

    # -- rendering -------------------------------------------------------------
    def say(self, text: str, who: str) -> None:
        transcript = self.query_one("#transcript", VerticalScroll)
        transcript.mount(Static(escape(text), classes=f"message {who}"))
        transcript.scroll_end(animate=False)

    def show_current(self) -> None:
        session = self.intake.session
        if session.done:
            self.app.show_outcome(self.intake)  # type: ignore[attr-defined]
            return
        _ = self.lang.gettext
        question = session.dialog.questions[session.question_id]  # type: ignore[index]
        if self.training:
            self.say(why_now(session, self.lang), "system")
        self.say(_(question.prompt), "assistant")
        self.picked = set()
        self._fill_choices(question)
        self._update_status()
        self._update_side()
        field = self.query_one("#answer", Input)
        field.placeholder = answer_hint(question, self.lang) + " · ? " + _("help")
        default = session.default
        field.value = answer_text(question, default, self.lang) if default is not None else ""

    def _fill_choices(self, question) -> None:
        options = self.query_one("#choices", OptionList)
        options.clear_options()
        if question.type not in ("choice", "choices"):
            options.add_class("hidden")
            return
        options.remove_class("hidden")
        for number, choice in enumerate(question.choices, start=1):
            mark = "[ ] " if question.type == "choices" else ""
            options.add_option(Option(f"{mark}{number}. {escape(self.lang.gettext(choice.label))}", id=choice.value))
        if question.type == "choices":
            options.add_option(Option(self.lang.gettext("✔ Done: confirm the ticked choices"), id="__done__"))
        options.highlighted = 0

    def _update_status(self) -> None:
        session = self.intake.session
        left = session.questions_left - 1
        text = self.lang.gettext("Question {number}").format(number=session.number)
        if left:
            text += " · " + self.lang.ngettext(
                "at most {count} more question", "at most {count} more questions", left
            ).format(count=left)
        else:
            text += " · " + self.lang.gettext("the last question")
        text += " · " + self.lang.gettext("saved") if self.intake.autosave else ""
        self.query_one("#status", Static).update(text)

    def _update_side(self) -> None:
        session = self.intake.session
        question = session.dialog.questions.get(session.question_id or "")
        help_widget = self.query_one("#help", Static)
        if question is None:
            help_widget.update("")
            return
        _ = self.lang.gettext
        lines = [f"[b]{escape(_('Help'))}[/b]", escape(_(question.help) if question.help else _("No help text."))]
        lines.append(f"[i]{escape(_('Source'))}: {escape(question.cite)}[/i]")
        help_widget.update("\n".join(lines))
        if self.training:
            self.query_one("#map", Static).update(path_map(session, self.lang))

    # -- input -----------------------------------------------------------------
    def on_input_submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        self.query_one("#feedback", Static).update("")
        if text == "?":
            event.input.value = ""
            self.action_help()
            return
        if text.lower() in COMMANDS:
            event.input.value = ""
            getattr(self, f"action_{COMMANDS[text.lower()]}")()
            return
        if not text:
            text = self._from_choice_list()
            if text is None:
                return
        self.submit(text)

    def submit(self, text: str) -> None:
        session = self.intake.session
        fact = session.question_id
        question = session.dialog.questions[fact]  # type: ignore[index]
        try:
            change = self.intake.answer(text)
        except AnswerError as error:
            self.query_one("#feedback", Static).update(escape(error.say(self.lang.gettext)))
            self.query_one("#answer", Input).select_all()  # typing replaces the refused answer
            return
        self.say(answer_text(question, session.answers[fact], self.lang), "user")  # type: ignore[index]
        self.query_one("#answer", Input).value = ""
        if change.dropped:
            self.say(self._dropped_text(change.dropped), "system")
        self.show_current()

    def _dropped_text(self, dropped: list[str]) -> str:
        questions = self.intake.dialog.questions
        names = "; ".join(self.lang.gettext(questions[fact].prompt) for fact in dropped)
        return self.lang.gettext("No longer on the path, so removed: {answers}").format(answers=names)

    def _from_choice_list(self) -> str | None:
        options = self.query_one("#choices", OptionList)
        if options.has_class("hidden") or options.highlighted is None:
            self.query_one("#feedback", Static).update(escape(self.lang.gettext("Please give an answer.")))
            return None
        option = options.get_option_at_index(options.highlighted)
        question = self.intake.session.dialog.questions[self.intake.session.question_id]  # type: ignore[index]
        if question.type == "choice":
            return option.id
        if option.id == "__done__":
            return ", ".join(c.value for c in question.choices if c.value in self.picked) or "none"
        self.picked ^= {option.id}  # type: ignore[arg-type]
        self._refresh_ticks(question)
        return None

    def _refresh_ticks(self, question) -> None:
        options = self.query_one("#choices", OptionList)
        highlighted = options.highlighted
        for index, choice in enumerate(question.choices):
            mark = "[x] " if choice.value in self.picked else "[ ] "
            options.replace_option_prompt_at_index(index, f"{escape(mark)}{index + 1}. {escape(self.lang.gettext(choice.label))}")
        options.highlighted = highlighted

    # -- actions -----------------------------------------------------------------
    def action_choice(self, delta: int) -> None:
        options = self.query_one("#choices", OptionList)
        if options.has_class("hidden") or not options.option_count:
            return
        current = options.highlighted or 0
        options.highlighted = max(0, min(options.option_count - 1, current + delta))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        options = self.query_one("#choices", OptionList)
        options.highlighted = event.option_index
        text = self._from_choice_list()
        if text is not None:
            self.submit(text)

    def action_help(self) -> None:
        self.query_one("#side").toggle_class("visible")

    def action_back(self) -> None:
        if not self.intake.back():
            self.query_one("#feedback", Static).update(escape(self.lang.gettext("This is the first question.")))
            return
        self.say(self.lang.gettext("Back to the previous question; your later answers are kept."), "system")
        self.show_current()

    def action_review(self) -> None:
        self.app.show_review(self.intake)  # type: ignore[attr-defined]

    def action_quit(self) -> None:
        self.app.exit()
