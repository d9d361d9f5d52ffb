"""Commands that open the terminal UI (the only ones that import Textual)."""

from __future__ import annotations

import argparse

from .cli import EXIT_OK, UsageError
from .i18n import Language
from .regions import UnknownRegion, region_ids
from .store import StoreError, store_for


def _run(app) -> int:
    app.run()
    return EXIT_OK


def run_start(args: argparse.Namespace, lang: Language) -> int:
    from .tui.app import IntakeApp

    return _run(IntakeApp(lang, store_for(args)))


def run_new(args: argparse.Namespace, lang: Language, *, training: bool = False) -> int:
    from .intake import Intake
    from .tui.app import IntakeApp

    try:
        intake = Intake.start(args.region, lang, store_for(args), pupil_ref=getattr(args, "pupil_ref", None),
                              anonymous=getattr(args, "anonymous", False))
    except UnknownRegion:
        raise UsageError(lang.gettext("unknown region {region!r}; choose one of: {regions}").format(
            region=args.region, regions=", ".join(region_ids()))) from None
    except StoreError as error:
        raise UsageError(error.say(lang.gettext)) from None
    except ValueError as error:
        raise UsageError(str(error)) from None
    return _run(IntakeApp(lang, intake.store, intake=intake, training=training))  # type: ignore[arg-type]


def run_train(args: argparse.Namespace, lang: Language) -> int:
    return run_new(args, lang, training=True)


def run_resume(args: argparse.Namespace, lang: Language) -> int:
    from .intake import Intake
    from .tui.app import IntakeApp

    store = store_for(args)
    try:
        intake = Intake.resume(store, args.id, lang if getattr(args, "lang", None) else None)
    except StoreError as error:
        raise UsageError(error.say(lang.gettext)) from None
    return _run(IntakeApp(intake.lang, store, intake=intake))
