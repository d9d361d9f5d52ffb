"""Commands that open the terminal UI (the only ones that import Textual)."""

from __future__ import annotations

import argparse

from .cli import EXIT_OK, UsageError
from .i18n import Language
from .regions import UnknownRegion, require_region


def _run(app) -> int:
    app.run()
    return app.return_code or EXIT_OK


def run_start(args: argparse.Namespace, lang: Language) -> int:
    from .store import StoreError, store_for
    from .tui.app import IntakeApp

    store = store_for(args)
    try:
        store.open()
    except StoreError as error:
        raise UsageError(error.say(lang.gettext)) from None
    return _run(IntakeApp(lang, store))


def new_intake_app(args: argparse.Namespace, lang: Language, *, training: bool = False):
    """The app of ``intake new``. When this region's first question is remembered
    (``first_view``), it is painted first and the intake opened right after."""
    from .first_view import remembered

    def open_intake():
        from .intake import Intake
        from .store import store_for

        return Intake.start(args.region, lang, store_for(args), pupil_ref=getattr(args, "pupil_ref", None),
                            anonymous=getattr(args, "anonymous", False))

    try:
        require_region(args.region)
    except UnknownRegion as error:
        raise UsageError(error.say(lang.gettext)) from None
    view_data = None if training else remembered(args.region, lang.code)
    if view_data is not None:
        from .tui.app import IntakeApp
        from .tui.question_view import QuestionView

        preview = QuestionView.from_data(view_data)
        if preview is not None:
            return IntakeApp(lang, None, pending=open_intake, preview=preview)
    from .record import PupilReferenceError
    from .store import StoreError
    from .tui.app import IntakeApp

    try:
        intake = open_intake()
    except (StoreError, PupilReferenceError) as error:
        raise UsageError(error.say(lang.gettext)) from None
    return IntakeApp(lang, intake.store, intake=intake, training=training)


def run_new(args: argparse.Namespace, lang: Language, *, training: bool = False) -> int:
    return _run(new_intake_app(args, lang, training=training))


def run_train(args: argparse.Namespace, lang: Language) -> int:
    return run_new(args, lang, training=True)


def run_resume(args: argparse.Namespace, lang: Language) -> int:
    from .intake import Intake
    from .store import StoreError, store_for
    from .tui.app import IntakeApp

    store = store_for(args)
    try:
        intake = Intake.resume(store, args.id, lang if getattr(args, "lang", None) else None)
    except StoreError as error:
        raise UsageError(error.say(lang.gettext)) from None
    return _run(IntakeApp(intake.lang, store, intake=intake))
