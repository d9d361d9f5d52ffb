"""Shared by the terminal UI tests: fixed times and ids, and the screen as text."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from rich.console import Console

FIXED = dt.datetime(2026, 1, 15, 9, 30, tzinfo=dt.timezone.utc)

SIZES = {"80x24": (80, 24), "120x40": (120, 40)}


@pytest.fixture
def stable(monkeypatch):
    """Fixed times and ids, so screenshots can be compared."""
    counter = iter(range(1000))
    monkeypatch.setattr("intake_tui.engine.session.now", lambda: FIXED)
    monkeypatch.setattr("intake_tui.engine.session.new_record_id", lambda created=None: f"20260115-test{next(counter):04d}")


def screen_text(app) -> str:
    """What the terminal shows now, as plain text (as export_screenshot renders it)."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True, color_system="truecolor",
                      record=True, legacy_windows=False, safe_box=False)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text(styles=False)


def screen_lines(app) -> list[str]:
    return screen_text(app).splitlines()


def row_of(app, text: str) -> int:
    """The first screen row that shows ``text`` (-1: none)."""
    return next((number for number, line in enumerate(screen_lines(app)) if text in line), -1)


def toasts(app) -> list[str]:
    return [str(notification.message) for notification in app._notifications]


async def settled(pilot) -> None:
    """Pause until the footer shows its keys (it fills them in after the screen is drawn)."""
    for _ in range(50):
        await pilot.pause()
        if list(pilot.app.screen.query("FooterKey")):
            await pilot.pause()
            return


async def type_answer(pilot, text: str, *, keystrokes: bool = False) -> None:
    """Type an answer and press Enter (key by key when asked; else the text is pasted, which is faster)."""
    field = pilot.app.screen.query_one("#answer")
    field.value = ""
    if keystrokes:
        await pilot.press(*text)
    else:
        field.value = text
    await pilot.press("enter")


async def scrolled_still(pilot) -> None:
    """Pause until the screen shows the same twice and no view moves any more: the
    verdict is scrolled into view after a refresh, a focused list may scroll smoothly,
    and a scrollbar is drawn anew a frame after its view has moved."""
    def now():
        views = [(view.scroll_x, view.scroll_y) for view in pilot.app.screen.query("*") if view.is_scrollable]
        return views, screen_text(pilot.app)

    # A scroll asked for after a refresh waits for the next frame: give frames time to
    # come (a short sleep, not only the message queue) and want three equal readings.
    readings: list = []
    for _ in range(100):
        await pilot.wait_for_scheduled_animations()
        await pilot.pause(0.02)
        readings = [*readings[-2:], now()]
        if len(readings) == 3 and readings[0] == readings[1] == readings[2]:
            return
