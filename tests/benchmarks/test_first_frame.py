"""``benchmarks/startup_instructions.py`` counts a start-up until its first complete frame:
``benchmarks/first_frame.py`` ends the program at the first text handed to the terminal driver
that shows what the screen must show, not at a frame before it (an empty one, a part of one).

No valgrind here: the hook alone, on a fake driver and (where tmux is) on the floor's minimal
app in a real terminal.
"""

from __future__ import annotations

import importlib
import shutil
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
TEXT = "Heeft de leerling meer ondersteuning nodig?"


@pytest.fixture
def benchmarks(monkeypatch):
    """The benchmarks' modules, imported as their scripts import each other."""
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    for name in ("first_frame", "startup_instructions", "startup_tty"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    return importlib.import_module


class Ended(Exception):
    pass


def test_the_hook_ends_at_the_first_write_that_shows_the_text(benchmarks, tmp_path: Path) -> None:
    first_frame = benchmarks("first_frame")
    handed: list[str] = []

    class Driver:
        def write(self, data: str) -> None:
            handed.append(data)

    def end(code: int) -> None:
        raise Ended(code)

    marker = tmp_path / "marker"
    first_frame.hook(Driver, TEXT, marker, end=end)
    driver = Driver()
    driver.write("\x1b[?1049h\x1b[?25l")  # the alternate screen, no text
    # A frame that shows the first words only: a part of the screen (the line cut off).
    driver.write("\x1b[1;1H\x1b[38;5;253mHeeft de leerling meer\x1b[0m" + " " * 80)
    driver.write("\x1b[1;1H" + " " * 100)  # an empty frame
    assert not marker.exists()
    # The frame: the text styled in three pieces and wrapped over two lines (a cursor move between).
    frame = ("\x1b]22;default\x07\x1b[1;1H\x1b[1mHeeft de\x1b[0m \x1b[38;5;253mleerling meer\x1b[0m   \x1b[2;1H"
             "ondersteuning\x1b7 nodig?" + " " * 60)
    with pytest.raises(Ended):
        driver.write(frame)
    assert marker.read_text() == f"4 {len(frame)}\n"
    assert handed[-1] == frame  # handed on before the end, as the driver would have it


def test_a_text_that_only_escapes_would_join_is_not_shown(benchmarks) -> None:
    first_frame = benchmarks("first_frame")
    assert first_frame.shows("x Heeft \x1b[1mde\x1b[0m leerling y", "Heeft de leerling")
    assert not first_frame.shows("Heeft\x1b[1mde leerling", "Heeft de leerling")  # one word on screen: "Heeftde"
    assert not first_frame.shows("Heeft de", "Heeft de leerling")


@pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux (apt install tmux)")
def test_the_floor_ends_at_its_first_frame_in_a_terminal(benchmarks, tmp_path: Path) -> None:
    """The minimal app, which otherwise stays until it is killed, ends at its first frame; one
    that never shows the text is a sentence after the timeout, not a wait without end."""
    instructions = benchmarks("startup_instructions")
    marker = tmp_path / "marker"
    env = {"TERM": "xterm-256color"}
    with instructions.terminal():
        frame = instructions.run_to_first_frame("the floor", instructions.hooked("minimal", "", marker, TEXT), env,
                                                marker, timeout=30)
        assert frame["writes"] > 1  # the terminal's modes were set first, in writes of their own
        assert frame["bytes"] >= 100 * 30  # the whole screen, 100x30 cells
        with pytest.raises(instructions.Unmeasured, match="the floor had not shown its first frame after 3 s"):
            instructions.run_to_first_frame("the floor", instructions.hooked("minimal", "", marker, "Not on screen"),
                                            env, marker, timeout=3)
