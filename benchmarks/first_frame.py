"""Runs a Textual program until its first complete frame, then ends it: for startup_instructions.py.

    python benchmarks/first_frame.py MARKER EXPECTED minimal
    python benchmarks/first_frame.py MARKER EXPECTED intake [ARGUMENTS ...]

``minimal`` is the floor (``minimal_app.py``), ``intake`` the ``intake`` command. The first
text the terminal driver is handed that shows ``EXPECTED`` (its words, whatever the escape
sequences and spaces between them) is the first complete frame: a frame written before it
(an empty screen, a part of one) does not count. At that write the process writes MARKER
(how many writes, and the frame's length) and ends at once (``os._exit``), so that nothing
after the first frame is counted (the start screen's thread that reads the records, the
intake screen's engine). The frame is handed on first, as the driver would; whether the
writer thread put it on the terminal before the end is left to chance, and not counted.

It imports nothing beyond what a Textual program imports anyway, so it adds the same few
instructions to the floor and to ours.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
# What a terminal is told besides the text: CSI (colours, cursor moves), OSC, and other escapes.
ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b.")


def shows(frame: str, expected: str) -> bool:
    """Whether ``frame`` (what the driver is handed) puts ``expected`` on the screen."""
    words = " ".join(expected.split())
    if len(frame) < len(words):  # most writes are a few escape sequences
        return False
    return words in " ".join(ESCAPES.sub("", frame).split())


def hook(driver_class: type, expected: str, marker: Path, end=os._exit) -> None:
    """``driver_class.write`` hands each text on, and at the first that shows ``expected``
    writes ``marker`` and calls ``end(0)``."""
    original = driver_class.write
    writes = 0

    def write(self, data: str) -> None:
        nonlocal writes
        writes += 1
        original(self, data)
        if shows(data, expected):
            marker.write_text(f"{writes} {len(data)}\n")
            end(0)

    driver_class.write = write


def main(argv: list[str]) -> None:
    marker, expected, kind, *arguments = argv
    if not expected.split():
        raise SystemExit("first_frame: the expected text is empty; every write would show it")
    from textual.drivers.linux_driver import LinuxDriver

    hook(LinuxDriver, expected, Path(marker))
    if kind == "minimal":
        import runpy

        sys.argv = [str(HERE / "minimal_app.py")]
        runpy.run_path(sys.argv[0], run_name="__main__")
    else:
        sys.argv = ["intake", *arguments]
        from intake_tui.cli.main import main as intake

        sys.exit(intake())


if __name__ == "__main__":
    main(sys.argv[1:])
