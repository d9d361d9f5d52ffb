"""The title line (tui.common.TitleBar) draws what Textual's Header draws, cell for cell and style for
style, at every width and for every kind of title; a click on its icon opens the command palette."""

from __future__ import annotations

import asyncio
import io

import pytest
from rich.console import Console
from rich.text import Text
from textual.app import App
from textual.screen import Screen
from textual.widgets import Header, Static

from intake_tui.tui.common import TitleBar

TITLES = [
    ("Vraag · Samenwerkingsverband Berséba", "Toelaatbaarheidsverklaringen en arrangementen"),  # cut with an ellipsis
    ("intake_tui", "Begeleide intake voor passend onderwijs"),
    ("Uitkomst", ""),  # no sub-title: no dash
    ("", ""),
    ("Één · ☃ wide ✓ signs", "Ondersteuning — nog 3 vragen"),
]


class Titled(Screen):
    def __init__(self, bar, title: str, sub_title: str) -> None:
        super().__init__()
        self.bar, self.first = bar, (title, sub_title)

    def compose(self):
        yield self.bar()
        yield Static("body")

    def on_mount(self) -> None:
        self.title, self.sub_title = self.first


class Shows(App):
    ENABLE_COMMAND_PALETTE = True

    def __init__(self, bar, title: str, sub_title: str) -> None:
        super().__init__()
        self.first = Titled(bar, title, sub_title)

    def on_mount(self) -> None:
        self.push_screen(self.first)


def drawn(app) -> list[tuple[str, str]]:
    """The top row as the terminal shows it: each cell's character and its colours and attributes
    (a space by its background only), however the widgets cut the row into pieces."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True, color_system="truecolor",
                      record=True, legacy_windows=False)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    row = Text.from_ansi(console.export_text(styles=True).splitlines()[0])
    cells = []
    for offset, character in enumerate(row.plain):
        style = row.get_style_at_offset(console, offset)
        cells.append((character, str(style.bgcolor) if character == " " else str(style)))
    return cells


def plain(cells: list[tuple[str, str]]) -> str:
    return "".join(character for character, _ in cells)


def top_rows(bar, title: str, sub_title: str, widths: list[int], retitle: tuple[str, str] | None = None):
    """The top row at each of ``widths`` (one app, its terminal resized), and (``retitle``) after the
    screen changes its title, as each question does."""
    async def run() -> list[list[tuple[str, str]]]:
        app = Shows(bar, title, sub_title)
        rows = []
        async with app.run_test(size=(widths[0], 10)) as pilot:
            for width in widths:
                await pilot.resize_terminal(width, 10)
                await pilot.pause()
                rows.append(drawn(app))
            if retitle is not None:
                app.screen.title, app.screen.sub_title = retitle
                await pilot.pause()
                rows.append(drawn(app))
        return rows

    return asyncio.run(run())


def header(show_clock: bool = False):
    return Header(show_clock=show_clock)


WIDTHS = [120, 80, 40, 19]


@pytest.mark.parametrize("title, sub_title", TITLES)
def test_the_title_line_draws_what_textuals_header_draws(title: str, sub_title: str) -> None:
    ours = top_rows(TitleBar, title, sub_title, WIDTHS)
    assert ours == top_rows(header, title, sub_title, WIDTHS)
    assert all((title or "⭘") in plain(row) or "…" in plain(row) for row in ours)


@pytest.mark.parametrize("retitled", [("Vraag 2 · Samenwerkingsverband Meierij", "Arrangementen"),
                                      (TITLES[1][0], "Nog 3 vragen")])  # the sub-title alone
def test_the_title_line_follows_the_screens_title(retitled: tuple[str, str]) -> None:
    *_, ours = top_rows(TitleBar, *TITLES[1], widths=[100], retitle=retitled)
    assert " — ".join(retitled) in plain(ours) and ours == top_rows(header, *TITLES[1], widths=[100], retitle=retitled)[-1]


def test_a_click_on_the_icon_opens_the_command_palette_and_one_on_the_title_does_not() -> None:
    from textual.command import CommandPalette

    async def run() -> tuple[bool, bool]:
        app = Shows(TitleBar, *TITLES[1])
        async with app.run_test(size=(80, 10)) as pilot:
            await pilot.pause()
            await pilot.click(TitleBar, offset=(40, 0))
            await pilot.pause()
            on_title = isinstance(app.screen, CommandPalette)
            await pilot.click(TitleBar, offset=(1, 0))
            await pilot.pause()
            return on_title, isinstance(app.screen, CommandPalette)

    on_title, on_icon = asyncio.run(run())
    assert not on_title and on_icon
