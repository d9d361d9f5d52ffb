"""The floor for start-up: a minimal Textual app that shows one line.

    python benchmarks/minimal_app.py          # stays until it is killed (benchmarks/startup_tty.py)
    python benchmarks/minimal_app.py --exit   # exits after its first frame
"""

import sys

from textual.app import App
from textual.widgets import Static

LINE = "Heeft de leerling meer ondersteuning nodig?"


class OneLine(App):
    def compose(self):
        yield Static(LINE)

    def on_mount(self) -> None:
        if "--exit" in sys.argv:
            self.call_after_refresh(self.exit)


if __name__ == "__main__":
    OneLine().run()
