"""The command palette in the user's language: Textual's own commands, its prompt
and its "No matches found".

Textual writes its system commands and the palette's prompt in English; these
are the same commands (same actions), named in the intake's language.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.align import Align
from rich.text import Text
from textual.app import App, SystemCommand
from textual.command import CommandList, CommandPalette
from textual.screen import Screen
from textual.widgets.option_list import Option

from intake_tui.i18n import N_, Language

# The footer's name of the palette key (Textual's binding; translate_bindings says it in the user's language).
PALETTE_WORDS = [N_("palette")]


def system_commands(app: App, screen: Screen, lang: Language) -> Iterable[SystemCommand]:
    """What ``App.get_system_commands`` offers, translated."""
    _ = lang.gettext
    yield SystemCommand(_("Theme"), _("Change the current theme"), app.action_change_theme)
    yield SystemCommand(_("Quit"), _("Quit the application as soon as possible"), app.action_quit)
    if screen.query("HelpPanel"):
        yield SystemCommand(_("Keys"), _("Hide the keys and widget help panel"), app.action_hide_help_panel)
    else:
        yield SystemCommand(_("Keys"), _("Show help for the focused widget and a summary of available keys"),
                            app.action_show_help_panel)
    if screen.maximized is not None:
        yield SystemCommand(_("Minimize"), _("Minimize the widget and restore to normal size"), screen.action_minimize)
    elif screen.focused is not None and screen.focused.allow_maximize:
        yield SystemCommand(_("Maximize"), _("Maximize the focused widget"), screen.action_maximize)
    yield SystemCommand(_("Screenshot"), _("Save an SVG 'screenshot' of the current screen"),
                        lambda: app.set_timer(0.1, app.deliver_screenshot))


class Palette(CommandPalette):
    """Textual's command palette, its prompt and its "No matches found" in the user's language."""

    def __init__(self, lang: Language) -> None:
        super().__init__(placeholder=lang.gettext("Search for commands…"), id="--command-palette")
        self.no_matches = lang.gettext("No matches found")

    def _start_no_matches_countdown(self, search_value: str) -> None:
        """Textual's own countdown (textual/command.py, 8.x), which writes its text in English with no
        way to give another: the same steps, the same option id, the text in the user's language."""
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:  # an empty search lists what there is: nothing found is no news there
                self.query_one(CommandList).add_option(
                    Option(Align.center(Text(self.no_matches, style="not bold")), disabled=True, id=self._NO_MATCHES))
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)


def open_palette(app: App, lang: Language) -> None:
    """``App.action_command_palette`` with its words in the user's language."""
    if app.use_command_palette and not CommandPalette.is_open(app):
        app.push_screen(Palette(lang))
