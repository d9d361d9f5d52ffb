"""Start-up of ``intake new`` to its first question on screen, then exit.

    python benchmarks/our_app.py first|ready|engine [region]

first   the first question painted (remembered from an earlier start, see
        intake_tui/first_view.py), before the engine has loaded;
ready   the same, and the engine loaded under it: the first answer can be taken;
engine  the first question painted by the engine itself (what happens when no
        first question is remembered, e.g. the first start after installing).

The store and the cache are the folders in INTAKE_STORE and INTAKE_CACHE.
"""

import argparse
import os
import sys

from intake_tui.words.i18n import Language
from intake_tui.tui.intake_screen import IntakeScreen
from intake_tui.cli.tui import new_intake_app

mode = sys.argv[1]
region = sys.argv[2] if len(sys.argv) > 2 else "liemers"

_open_pending = IntakeScreen.attach
_on_mount = IntakeScreen.on_mount


def attach_then_exit(screen: IntakeScreen) -> bool:
    if mode == "first":
        screen.app.exit()
        return False
    opened = _open_pending(screen)
    screen.call_after_refresh(screen.app.exit)
    return opened


def on_mount_then_exit(screen: IntakeScreen) -> None:
    _on_mount(screen)
    if screen.intake is not None:  # painted by the engine: leave once it is on screen
        screen.call_after_refresh(screen.app.exit)


IntakeScreen.attach = attach_then_exit
IntakeScreen.on_mount = on_mount_then_exit

if __name__ == "__main__":
    if mode not in ("first", "ready", "engine"):
        raise SystemExit(__doc__)
    args = argparse.Namespace(region=region, store=os.environ["INTAKE_STORE"], pupil_ref=None, anonymous=False)
    app = new_intake_app(args, Language("nl"))
    if mode == "engine" and app.pending is not None:
        raise SystemExit("a first question is remembered: point INTAKE_CACHE at an empty folder for 'engine'")
    if mode != "engine" and app.pending is None:
        raise SystemExit("no first question is remembered in INTAKE_CACHE: run 'ready' once first")
    app.run(headless=True)
