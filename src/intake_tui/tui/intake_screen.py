"""The conversation: questions and answers as chat messages, one input below."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from intake_tui.i18n import N_, Language
from intake_tui.tui.common import TitleBar, escape, quick_turns, translate_bindings
from intake_tui.tui.question_view import DONE_OPTION, QuestionView, choice_label, engine_view

if TYPE_CHECKING:
    from intake_tui.engine.intake import Intake

COMMANDS = {"/back": "back", "/terug": "back", "/review": "review", "/overzicht": "review",
            "/help": "help", "/quit": "quit", "/stop": "quit"}


class IntakeScreen(Screen):
    AUTO_FOCUS = "#answer"
    BINDINGS = [
        Binding("f1", "help", N_("Help")),
        Binding("ctrl+b", "back", N_("Back")),
        Binding("ctrl+r", "review", N_("Review")),
        Binding("escape", "escape", N_("Start screen")),
        Binding("ctrl+t", "app.toggle_theme", N_("Theme"), show=False),
        Binding("f2", "show_rule", N_("Show the rule"), show=False),  # training only (the map names the key)
        Binding("up", "choice(-1)", show=False),
        Binding("down", "choice(1)", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
    ]
    # Below 100 columns the help panel takes the whole width while it is open.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]

    def __init__(self, lang: Language, view: QuestionView, intake: Intake | Callable[[], Intake], *,
                 training: bool = False) -> None:
        """``view``: what to paint first. ``intake``: the engine's intake, or what opens it;
        it is then opened in a thread once the screen is up, and the keys typed meanwhile are kept."""
        # Born with the class of the terminal's width, so that the first frame is styled once
        # (a class that changes at the first resize restyles the whole screen).
        width = self.app.size.width
        super().__init__(classes=max(point for point in self.HORIZONTAL_BREAKPOINTS if point[0] <= width)[1])
        self.intake: Intake | None = None
        self.source = intake
        self.training = training
        self.lang = lang
        self.first_view = view
        self.shown = view  # the question on screen
        self.waiting = False  # an answer was submitted before the engine was there
        self.picked: set[str] = set()  # toggled options of a 'choices' question
        self.show_rule = False
        translate_bindings(self, self.lang)

    # -- layout --------------------------------------------------------------
    def compose(self) -> ComposeResult:
        _ = self.lang.gettext
        yield TitleBar()
        with Horizontal(id="body"):
            yield VerticalScroll(id="transcript")  # the help beside it is built when it first opens (side)
        yield OptionList(id="choices", classes="hidden")
        yield Static(id="feedback")
        yield Static(id="status")
        yield Input(id="answer", placeholder=_("Type your answer; ? for help, /back, /review"))

    def on_mount(self) -> None:
        self.query_one("#choices", OptionList).can_focus = False
        self.query_one("#answer", Input).cursor_blink = self.app.cursor_blink  # type: ignore[attr-defined]
        self.paint(self.first_view, whole=True)
        if self.training and self.app.size.width >= 100:  # training opens with its map beside the conversation
            self.side()
            self.add_class("-side")
        self.app.after_first_frame(self, self.after_first_frame)  # type: ignore[attr-defined]

    def after_first_frame(self) -> None:
        """The keys below, then the engine: neither holds up the question's first frame."""
        from textual.widgets import Footer  # its module loads after the first frame too

        self.mount(Footer())
        self.call_after_refresh(self.refresh_bindings)  # the footer shows the keys once it is there
        if callable(self.source):
            self.run_worker(self.source, name="engine", thread=True, exit_on_error=False)
        else:
            self.attach(self.source)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.name != "engine":
            return
        if event.state == WorkerState.SUCCESS:
            self.attach(event.worker.result)
        elif event.state == WorkerState.ERROR:
            quick_turns(False)
            self.app.could_not_open(event.worker.error)  # type: ignore[attr-defined]

    def attach(self, intake: Intake) -> None:
        """The engine's intake under the painted screen; what it shows is painted over
        the first view if that differs (the engine is right), and a waiting answer is taken."""
        self.intake = intake
        quick_turns(False)
        self.app.opened(intake)  # type: ignore[attr-defined]
        if intake.session.done:  # a record finished elsewhere meanwhile: its outcome
            self.app.show_outcome(intake)  # type: ignore[attr-defined]
            return
        view = engine_view(intake, training=self.training, show_rule=self.show_rule)
        if view != self.first_view:  # the draft's file or the kept outline said otherwise
            self.query_one("#transcript", VerticalScroll).remove_children()
            self.paint(view, whole=True)
            self.waiting = False  # the question changed under the typed answer: it is asked again
        if self.waiting:
            self.waiting = False
            field = self.query_one("#answer", Input)
            self.post_message(Input.Submitted(field, field.value))

    # -- rendering -------------------------------------------------------------
    def say(self, text: str, who: str) -> None:
        transcript = self.query_one("#transcript", VerticalScroll)
        transcript.mount(Static(escape(text), classes=f"message {who}"))
        transcript.scroll_end(animate=False)

    def show_current(self) -> None:
        assert self.intake is not None
        if self.intake.session.done:
            self.app.show_outcome(self.intake)  # type: ignore[attr-defined]
            return
        self.paint(engine_view(self.intake, training=self.training, show_rule=self.show_rule))

    def paint(self, view: QuestionView, *, whole: bool = False) -> None:
        """The question of ``view`` (``whole``: after the conversation so far)."""
        self.title = view.title
        self.sub_title = view.sub_title
        for question, answer in view.transcript if whole else ():
            self.say(question, "assistant")
            self.say(answer, "user")
        for text, who in view.said:
            self.say(text, who)
        self.picked = set()
        options = self.query_one("#choices", OptionList)
        options.clear_options()
        options.set_class(not view.choices, "hidden")
        for option_id, label in view.choices:
            options.add_option(Option(label, id=option_id))
        if view.choices:
            options.highlighted = 0
        self.query_one("#status", Static).update(view.status)
        self.shown = view
        for side in self.query("#side"):  # the help, once it has been opened
            side.query_one("#help", Static).update(view.help)
            if self.training:
                side.query_one("#map", Static).update(view.map)
        field = self.query_one("#answer", Input)
        field.placeholder = view.placeholder
        field.value = view.value

    def action_show_rule(self) -> None:
        """Training: show (or hide again) the rule behind each question as the dialog writes it."""
        from intake_tui.teach.training import why_now

        if not self.training:
            return
        self.show_rule = not self.show_rule
        if self.show_rule and self.intake is not None and not self.intake.session.done:
            self.say(why_now(self.intake.session, self.lang, show_rule=True), "system")

    # -- input -----------------------------------------------------------------
    def on_input_submitted(self, event: Input.Submitted) -> None:
        if self.intake is None:
            self.waiting = True  # taken once the engine is there
            return
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
        from intake_tui.engine.intake import save_failure_text
        from intake_tui.engine.store_api import StoreError
        from intake_tui.rules.answers import AnswerError
        from intake_tui.words.display import answer_text, dropped_text

        assert self.intake is not None
        session = self.intake.session
        fact = session.question_id
        question = session.dialog.questions[fact]  # type: ignore[index]
        try:
            change = self.intake.answer(text)
        except AnswerError as error:
            self.query_one("#feedback", Static).update(escape(error.say(self.lang.gettext)))
            self.query_one("#answer", Input).select_all()  # typing replaces the refused answer
            return
        except StoreError as error:  # not saved, nothing changed: the answer stays in the box
            self.query_one("#feedback", Static).update(escape(save_failure_text(error, self.lang)))
            self.query_one("#answer", Input).value = text
            return
        self.say(answer_text(question, session.answers[fact], self.lang), "user")  # type: ignore[index]
        self.query_one("#answer", Input).value = ""
        if change.dropped:
            self.say(dropped_text(self.intake.dialog, change.dropped, self.lang), "system")
        self.show_current()

    def _from_choice_list(self) -> str | None:
        options = self.query_one("#choices", OptionList)
        if options.has_class("hidden") or options.highlighted is None:
            self.query_one("#feedback", Static).update(escape(self.lang.gettext("Please give an answer.")))
            return None
        option = options.get_option_at_index(options.highlighted)
        question = self.intake.session.dialog.questions[self.intake.session.question_id]  # type: ignore[index]
        if question.type == "choice":
            return option.id
        if option.id == DONE_OPTION:
            return ", ".join(c.value for c in question.choices if c.value in self.picked) or "none"
        self.picked ^= {option.id}  # type: ignore[arg-type]
        self._refresh_ticks(question)
        return None

    def _refresh_ticks(self, question) -> None:
        from intake_tui.words.display import choice_lines

        options = self.query_one("#choices", OptionList)
        highlighted = options.highlighted
        for index, (choice, line) in enumerate(zip(question.choices, choice_lines(question, self.lang))):
            options.replace_option_prompt_at_index(index, choice_label(line, choice.value in self.picked))
        options.highlighted = highlighted

    # -- actions -----------------------------------------------------------------
    def action_choice(self, delta: int) -> None:
        options = self.query_one("#choices", OptionList)
        if options.has_class("hidden") or not options.option_count:
            return
        current = options.highlighted or 0
        options.highlighted = max(0, min(options.option_count - 1, current + delta))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if self.intake is None:
            return
        options = self.query_one("#choices", OptionList)
        options.highlighted = event.option_index
        text = self._from_choice_list()
        if text is not None:
            self.submit(text)

    def side(self) -> VerticalScroll:
        """The help beside the conversation (in training, with the map below it); built when it
        first opens, so that the first question goes out without it."""
        for side in self.query("#side").results(VerticalScroll):
            return side
        side = VerticalScroll(Static(self.shown.help, id="help"), Static(self.shown.map if self.training else "", id="map"),
                              id="side")
        self.query_one("#body", Horizontal).mount(side)
        return side

    def action_help(self) -> None:
        side = self.side()
        self.toggle_class("-side")
        side.scroll_home(animate=False)

    def action_page(self, direction: int) -> None:
        """Page Up/Down scroll the help while it is open, else the conversation."""
        target = self.side() if self.has_class("-side") else self.query_one("#transcript", VerticalScroll)
        if direction < 0:
            target.scroll_page_up(animate=False)
        else:
            target.scroll_page_down(animate=False)

    def action_escape(self) -> None:
        """Escape closes the help; without it, it leaves for the start screen (the draft stays)."""
        if self.has_class("-side"):
            self.action_help()
            return
        self.app.leave_intake()  # type: ignore[attr-defined]

    def action_back(self) -> None:
        from intake_tui.engine.intake import save_failure_text
        from intake_tui.engine.store_api import StoreError

        if self.intake is None:
            return
        try:
            went_back = self.intake.back()  # type: ignore[union-attr]
        except StoreError as error:  # not saved, nothing changed: the question and what is typed stay
            self.query_one("#feedback", Static).update(escape(save_failure_text(error, self.lang)))
            return
        if not went_back:
            self.query_one("#feedback", Static).update(escape(self.lang.gettext("This is the first question.")))
            return
        self.say(self.lang.gettext("Back to the previous question; your later answers are kept."), "system")
        self.show_current()

    def action_review(self) -> None:
        if self.intake is not None:
            self.app.show_review(self.intake)  # type: ignore[attr-defined]

    def action_quit(self) -> None:
        self.app.exit()
