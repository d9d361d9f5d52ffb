"""Start-up of intake_tui to its first question on screen, then exit."""

import sys
import tempfile

from intake_tui.i18n import Language
from intake_tui.intake import Intake
from intake_tui.store import Store
from intake_tui.tui.app import IntakeApp


class FirstQuestion(IntakeApp):
    def on_mount(self) -> None:
        super().on_mount()
        self.call_after_refresh(self.exit)


if __name__ == "__main__":
    store = Store(tempfile.mkdtemp())
    intake = Intake.start(sys.argv[1] if len(sys.argv) > 1 else "liemers", Language("nl"), store)
    FirstQuestion(Language("nl"), store, intake=intake).run(headless=True)
