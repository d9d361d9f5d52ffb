"""The Textual application: a start screen and the screens of one intake."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App, SystemCommand
from textual.screen import Screen

from intake_tui.i18n import Language
from intake_tui.tui.common import QUIT_BINDINGS, QuitsInDutch, escape, quick_turns, translate_bindings

# The engine (pydantic, transitions) loads after the first frame: the screens paint
# from the dialogs' outlines (rules.compiled) before it.
if TYPE_CHECKING:
    from intake_tui.engine.intake import Intake
    from intake_tui.engine.record import IntakeRecord
    from intake_tui.engine.store_api import RecordStore
    from intake_tui.tui.question_view import QuestionView


class IntakeApp(QuitsInDutch, App):
    CSS_PATH = Path(__file__).resolve().parent / "intake.tcss"  # absolute: subclasses elsewhere find it too
    TITLE = "intake_tui"
    BINDINGS = QUIT_BINDINGS
    ENABLE_COMMAND_PALETTE = True

    def __init__(self, lang: Language, store: RecordStore | None, *, intake: Intake | None = None, training: bool = False,
                 cursor_blink: bool = True, export_dir: Path | None = None,
                 opening: tuple[QuestionView, Callable[[], Intake]] | None = None) -> None:
        """``opening``: the first screen of an intake and what opens it (the engine loads
        once that screen is up; ``store`` may then be None). Else ``intake``, else the start screen."""
        super().__init__()
        self.lang = lang
        self.store = store
        self.first_intake = intake
        self.opening = opening
        self.training = training
        self.cursor_blink = cursor_blink
        self.export_dir = export_dir or Path.cwd()
        self.current: Intake | None = None
        self.farewell = ""  # what the last intake closed left behind, and how to go on with it
        self.theme = "textual-dark"
        self.first_frame_out = False
        self.waiting_for_first_frame: list[tuple[Screen, Callable[[], object]]] = []
        translate_bindings(self, lang)

    def get_default_screen(self) -> Screen:
        """The first screen is the app's own bottom screen, not one pushed over Textual's blank
        default: its first frame is then composed, styled and laid out once. It is replaced like
        any other (``_show``)."""
        if self.first_intake is not None:
            self.current = self.first_intake
            screen = self._screen_of(self.first_intake)
        elif self.opening is not None:
            from intake_tui.tui.intake_screen import IntakeScreen  # each screen loads when it is first shown

            view, opener = self.opening
            screen = IntakeScreen(self.lang, view, opener, training=self.training)
        else:
            screen = self._start_screen()
        # What push_screen gives a screen, so that switch_screen can replace this one too
        # (Textual gives the default screen none: textual#4519).
        screen._push_result_callback(self, None)
        return screen

    def on_mount(self) -> None:
        quick_turns(True)  # until the engine is under the first screen

    def on_app_focus(self) -> None:
        """In a browser the app starts without the focus (the page gives it later), so the first
        screen could not focus its field then: it does so now, as a screen shown later would.
        (Textual's own Screen._update_auto_focus does nothing here: this handler runs before
        Textual's sets app_focus.)"""
        screen = self.screen
        if screen.focused is None and screen.AUTO_FOCUS:
            for widget in screen.query(screen.AUTO_FOCUS):
                if widget.focusable:
                    widget.focus()
                    break

    def after_first_frame(self, screen: Screen, callback: Callable[[], object]) -> None:
        """Call ``callback`` (of ``screen``) once the app's first frame is on the terminal, or
        after the next refresh when it is already. Textual starts in a batch: a screen's own
        ``call_after_refresh`` can come before anything is written, and what it does (the footer,
        the engine's thread) would then hold the first frame up."""
        if self.first_frame_out:
            screen.call_after_refresh(callback)
        else:
            self.waiting_for_first_frame.append((screen, callback))

    def on_ready(self) -> None:
        # The app's own messages are handled once the start-up batch is over: the first frame goes
        # out at the next refresh, and the callbacks after it.
        self.first_frame_out = True
        for screen, callback in self.waiting_for_first_frame:
            screen.call_after_refresh(callback)
        self.waiting_for_first_frame.clear()

    def could_not_open(self, error: BaseException) -> None:
        """The intake on screen could not be opened: the app ends with the reason (exit 2),
        or, for an unexpected error, as after any crash."""
        from intake_tui.engine.record import PupilReferenceError
        from intake_tui.engine.store_api import StoreError

        if not isinstance(error, (StoreError, PupilReferenceError)):
            raise error
        self.exit(return_code=2, message=f"intake: {error.say(self.lang.gettext)}")

    def opened(self, intake: Intake) -> None:
        """``intake`` is the one on screen now."""
        self.store = intake.store
        self._close_current(keep=intake)

    def on_unmount(self) -> None:
        quick_turns(False)
        self._close_current()

    def _fatal_error(self) -> None:
        """An unexpected error ends the app with one line (Textual's own report is a
        traceback with local variables, which hold answers and references)."""
        import sys

        from rich.text import Text

        from intake_tui.said import crash_text
        from intake_tui.words.terminal import inert

        error = sys.exc_info()[1] or self._exception or RuntimeError()
        current = self.current
        # Name the draft only when it is on disk (a draft starts with its first answer).
        draft = current.session.record_id if current is not None and current.autosave and current.session.revision else None
        self.bell()
        line = "intake: " + inert(crash_text(error, self.lang.gettext, draft))
        self.error_console.soft_wrap = True  # one line, however narrow the terminal
        self._exit_renderables.append(Text(line))
        self._close_messages_no_wait()

    # -- navigation -------------------------------------------------------------
    def _show(self, screen: Screen) -> None:
        self.switch_screen(screen)

    def _close_current(self, keep: Intake | None = None) -> None:
        if self.current is not None and self.current is not keep:
            self.farewell = self._farewell(self.current)
            self.current.close()
        self.current = keep

    def _farewell(self, intake: Intake) -> str:
        """Where a closed intake is and the command that goes on with it (ids and folders only)."""
        from intake_tui.engine.stores import store_option

        _ = self.lang.gettext
        if not intake.autosave or intake.store is None:
            return _("Training: nothing was saved.")
        if not intake.session.answers:
            return _("Nothing was saved: the intake had no answers yet.")
        folder = intake.store.where
        store = store_option(intake.store)
        record_id = intake.session.record_id
        if intake.session.done:
            return _("Intake saved in {folder}. Its report: {command}").format(
                folder=folder, command=f"intake export {record_id}{store}")
        return _("Draft saved in {folder}. Continue it with: {command}").format(
            folder=folder, command=f"intake resume {record_id}{store}")

    def leave_intake(self) -> None:
        """Back to the start screen; the draft stays where it is (said in a toast)."""
        self.show_start()
        if self.farewell:
            self.notify(escape(self.farewell), timeout=8)

    def show_start(self) -> None:
        self._close_current()
        self._show(self._start_screen())

    def _start_screen(self) -> Screen:
        from intake_tui.tui.start_screen import StartScreen

        return StartScreen(self.lang, self.store)  # type: ignore[arg-type]

    def ask_new_intake(self, region: str) -> None:
        """The pupil reference, the consultant and the school, then the first question."""
        from intake_tui.tui.new_intake_screen import NewIntakeScreen

        self._show(NewIntakeScreen(self.lang, region))

    def start_intake(self, region: str, **details: Any) -> None:
        """``details``: pupil_ref, anonymous, consultant, school (checked by the caller)."""
        from intake_tui.engine.intake import Intake
        from intake_tui.engine.store_api import StoreError

        try:
            intake = Intake.start(region, self.lang, self.store, **details)  # type: ignore[arg-type]
        except StoreError as error:
            self.notify(error.say(self.lang.gettext), severity="error")
            return
        self.continue_intake(intake)

    def resume_intake(self, record_id: str) -> None:
        from intake_tui.engine.intake import Intake
        from intake_tui.engine.store_api import StoreError

        try:
            intake = Intake.resume(self.store, record_id, self.lang)
        except StoreError as error:
            self.notify(error.say(self.lang.gettext), severity="error")
            return
        self.continue_intake(intake)

    def open_record(self, record_id: str) -> None:
        self.resume_intake(record_id)

    def continue_intake(self, intake: Intake) -> None:
        """Show the intake where it is: its question, or its outcome when it is finished."""
        self._close_current(keep=intake)
        self._show(self._screen_of(intake))

    def _screen_of(self, intake: Intake) -> Screen:
        """The screen that shows ``intake`` where it is."""
        if intake.session.done:
            from intake_tui.tui.outcome_screen import OutcomeScreen

            return OutcomeScreen(intake)
        from intake_tui.tui.intake_screen import IntakeScreen
        from intake_tui.tui.question_view import engine_view

        return IntakeScreen(self.lang, engine_view(intake, training=self.training), intake, training=self.training)

    # The outcome and review screens (and Markdown) load when first needed: start-up stays short.
    def show_outcome(self, intake: Intake) -> None:
        self._show(self._screen_of(intake))

    def show_review(self, intake: Intake) -> None:
        from intake_tui.tui.review_screen import ReviewScreen

        self._show(ReviewScreen(intake))

    def export_record(self, record: IntakeRecord, store: RecordStore | None = None) -> None:
        """Write the report beside the user, or, in a browser (``intake serve``), download it there;
        ``store``: the store the record is kept in, to note the export (the register's audit)."""
        from intake_tui.atomic import write_private
        from intake_tui.words.pdf_report import report_pdf
        from intake_tui.words.report import build_report, report_markdown

        _ = self.lang.gettext
        if store is not None:
            store.record_export(record)
        report = build_report(record, self.lang)  # the Markdown for the dossier system, the PDF to print and sign
        files = [(f"intake-{record.id}.md", report_markdown(report).encode("utf-8"), "text/markdown"),
                 (f"intake-{record.id}.pdf", report_pdf(report), "application/pdf")]
        if self.is_web:
            import io

            for name, data, mime in files:
                self.deliver_binary(io.BytesIO(data), save_filename=name, mime_type=mime)
            self.notify(_("Report sent to your browser as {name}").format(name=files[1][0]))
            return
        for name, data, _mime in files:
            write_private(self.export_dir / name, data)
        self.notify(_("Report written to {path}").format(path=self.export_dir / files[1][0]))

    # -- palette and theme ------------------------------------------------------
    def action_command_palette(self) -> None:
        from intake_tui.tui.palette import open_palette

        open_palette(self, self.lang)

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.theme == "textual-dark" else "textual-dark"

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        from intake_tui.tui.palette import system_commands

        yield from system_commands(self, screen, self.lang)  # Textual's own commands, in the user's language
        _ = self.lang.gettext
        yield SystemCommand(_("New intake"), _("Back to the start screen to begin another intake"), self.show_start)
        yield SystemCommand(_("Light or dark"), _("Switch between the light and the dark theme"), self.action_toggle_theme)
        if self.current is not None:
            intake = self.current
            yield SystemCommand(_("Review answers"), _("See and change every answer"), lambda: self.show_review(intake))
            if intake.session.done:
                yield SystemCommand(_("Export report"), _("Write the report of this intake (Markdown and PDF)"),
                                    lambda: self.export_record(intake.save(), intake.saved_in))

