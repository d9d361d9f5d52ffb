"""Before a new intake from the start screen: the pupil reference (or none), and
the consultant and the school, remembered as settings for the next intakes."""

from __future__ import annotations

from dataclasses import replace

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, Static

from intake_tui.engine.settings import Settings, SettingsError, load_settings, save_settings
from intake_tui.i18n import N_, Language
from intake_tui.tui.common import TitleBar, escape, translate_bindings

ANONYMOUS_WORDS = frozenset({"", "anoniem", "anonymous", "-", "geen", "none"})


class NewIntakeScreen(Screen):
    BINDINGS = [Binding("escape", "cancel", N_("Back"))]

    def __init__(self, lang: Language, region: str) -> None:
        from intake_tui.rules.regions import outline

        super().__init__()
        self.lang = lang
        self.region_id = region
        self.meta = outline(region)
        try:
            self.settings: Settings | None = load_settings()
        except SettingsError as error:  # not read, and never written over: said when the form opens
            self.settings, self.settings_problem = None, error
        translate_bindings(self, lang)

    def compose(self) -> ComposeResult:
        _ = self.lang.gettext
        yield TitleBar()
        with VerticalScroll(id="form"):
            yield Static(f"[b]{escape(_('New intake: {swv}').format(swv=self.meta.swv))}[/b]", id="form-title")
            if self.meta.anonymous_only:
                yield Static(escape(_("{swv} takes only anonymised requests: no pupil reference is stored.").format(
                    swv=self.meta.swv)), id="anonymous-note")
            else:
                yield Label(escape(_("Pupil reference: a dossier number, never a name (leave empty: anonymous)")))
                yield Input(id="pupil-ref", placeholder=_("for example 2026-017, or empty for anonymous"))
            yield Label(escape(_("Consultant (remembered for the next intakes)")))
            yield Input(self.settings.consultant if self.settings else "", id="consultant", placeholder=_("your name"))
            yield Label(escape(_("School (remembered for the next intakes)")))
            yield Input(self.settings.school if self.settings else "", id="school", placeholder=_("the school that asks"))
            yield Static(id="feedback")
            yield Button(_("Start the intake"), id="start", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        # What the screen is, then the SWV by its name (a long name is cut at 80 columns, not the screen's name).
        self.title = f"{self.lang.gettext(N_('New intake'))} · {self.lang.gettext(self.meta.swv)}"
        self.sub_title = self.lang.gettext(self.meta.title)
        for field in self.query(Input):
            field.cursor_blink = self.app.cursor_blink  # type: ignore[attr-defined]
        self.query(Input).first().focus()
        if self.settings is None:
            self.notify(escape(self.settings_problem.say(self.lang.gettext)), severity="warning")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter goes to the next field; on the last one it starts."""
        fields = list(self.query(Input))
        index = fields.index(event.input)
        if index + 1 < len(fields):
            fields[index + 1].focus()
        else:
            self.start()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.start()

    def start(self) -> None:
        from intake_tui.engine.record import (
            PupilReferenceError,
            ShortTextError,
            check_pupil_reference,
            check_short_text,
        )

        typed = {field.id: field.value.strip() for field in self.query(Input)}
        reference = typed.get("pupil-ref", "")
        anonymous = reference.lower() in ANONYMOUS_WORDS
        consultant, school = typed["consultant"] or None, typed["school"] or None
        checks = [("pupil-ref", check_pupil_reference, None if anonymous else reference),
                  ("consultant", check_short_text, consultant), ("school", check_short_text, school)]
        for field_id, check, value in checks:
            try:
                check(value)
            except (PupilReferenceError, ShortTextError) as error:
                self.query_one("#feedback", Static).update(escape(error.say(self.lang.gettext)))
                self.query_one(f"#{field_id}", Input).focus()
                return
        remembered = replace(self.settings or Settings(), consultant=consultant or "", school=school or "")
        if self.settings is not None and remembered != self.settings:
            try:
                save_settings(remembered)
            except OSError as error:  # the intake goes on; only the remembering failed
                self.notify(escape(self.lang.gettext("The settings could not be saved ({reason}).").format(
                    reason=error.strerror or error.__class__.__name__)), severity="warning")
        self.app.start_intake(self.region_id, pupil_ref=None if anonymous else reference,  # type: ignore[attr-defined]
                              anonymous=anonymous, consultant=consultant, school=school)

    def action_cancel(self) -> None:
        self.app.show_start()  # type: ignore[attr-defined]
