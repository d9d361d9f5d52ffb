"""Small pieces the screens share."""

from __future__ import annotations

import dataclasses
import sys

from textual.binding import Binding, BindingsMap
from textual.content import Content
from textual.dom import DOMNode
from textual.events import Click
from textual.widget import Widget

from intake_tui.i18n import N_, Language


def translate_bindings(node: DOMNode, lang: Language) -> None:
    """Show the key descriptions of ``node`` in the user's language."""
    keys = {
        key: [dataclasses.replace(b, description=lang.gettext(b.description)) for b in bindings]
        for key, bindings in node._bindings.key_to_bindings.items()
    }
    node._bindings = BindingsMap.from_keys(keys)


def escape(text: str) -> str:
    """Text from a dialog or a user, shown literally (no Textual markup)."""
    return text.replace("[", r"\[")


# The quit key of every screen (Textual's own is hidden and says nothing on Ctrl+C in Dutch).
QUIT_BINDINGS = [Binding("ctrl+q", "quit", N_("Quit"), priority=True)]


class QuitsInDutch:
    """Ctrl+C says, in the user's language, how to leave (Textual says it in English)."""

    lang: Language

    def action_help_quit(self) -> None:
        _ = self.lang.gettext
        self.notify(escape(_("Press Ctrl+Q to quit.")), title=escape(_("Quit?")))  # type: ignore[attr-defined]


def set_titles(screen, dialog, lang: Language, what: str) -> None:
    """The header of a screen of one intake: what the screen is and the SWV by its
    name first (kept at 80 columns), then the dialog's title."""
    screen.title = f"{lang.gettext(what)} · {lang.gettext(dialog.meta.swv)}"
    screen.sub_title = lang.gettext(dialog.meta.title)


def quick_turns(on: bool) -> None:
    """While the first screen goes out and the engine loads beside it (``on``), Python hands the
    interpreter between threads every half millisecond instead of every 5: the thread that writes
    the screen to the terminal (a pty takes it in pieces) and the keys typed meanwhile wait that
    much less for the thread that loads. Off again once the engine is there."""
    sys.setswitchinterval(0.0005 if on else DEFAULT_SWITCH_INTERVAL)


DEFAULT_SWITCH_INTERVAL = sys.getswitchinterval()


class TitleBar(Widget):
    """The title line of a screen, drawn cell for cell as Textual's Header draws it (its icon, then
    the screen's title and sub-title centred between the icon and the clock's place), by one widget
    instead of the Header's four, which took about 5 ms of the first frame (a seventh of what a
    first question cost beyond a minimal app). A click on the icon opens the command palette, as
    on the Header. tests/tui/test_title_bar.py holds the two equal."""

    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        width: 100%;
        height: 1;
        background: $panel;
        color: $foreground;
    }
    """
    ICON = " ⭘      "  # the Header's icon: 8 columns, padded 1 on the left
    CLOCK = 10  # the columns the Header keeps for its clock on the right

    def on_mount(self) -> None:
        for name in ("title", "sub_title"):
            self.watch(self.screen, name, self.refresh, init=False)

    def render(self) -> Content:
        screen, app = self.screen, self.app
        title = app.format_title(screen.title if screen.title is not None else app.title,
                                 screen.sub_title if screen.sub_title is not None else app.sub_title)
        room = max(self.size.width - len(self.ICON) - self.CLOCK, 0)
        title = title.truncate(room, ellipsis=True)
        return Content.assemble(self.ICON, title.pad_left((room - title.cell_length) // 2))

    async def on_click(self, event: Click) -> None:
        if event.x < len(self.ICON) and self.app.ENABLE_COMMAND_PALETTE:
            event.stop()
            await self.run_action("app.command_palette")
