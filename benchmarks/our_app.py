"""Start-up of intake_tui to its first question on screen, then exit."""

import sys
import tempfile

from intake_tui.i18n import Language
from intake_tui.intake import Intake
from intake_tui.store import Store
from intake_tui.tui.app import IntakeApp
from intake_tui.tui.intake_screen import IntakeScreen

_show_first_question = IntakeScreen.on_mount


def on_mount_then_exit(screen: IntakeScreen) -> None:
    _show_first_question(screen)
    # Leave as soon as the screen with the first question has been painted.
    screen.call_after_refresh(screen.app.exit)


IntakeScreen.on_mount = on_mount_then_exit

if __name__ == "__main__":
    store = Store(tempfile.mkdtemp())
    intake = Intake.start(sys.argv[1] if len(sys.argv) > 1 else "liemers", Language("nl"), store)
    IntakeApp(Language("nl"), store, intake=intake).run(headless=True)
