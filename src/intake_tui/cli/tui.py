"""Commands that open the terminal UI (the only ones that import Textual)."""

from __future__ import annotations

import argparse
import sys

from intake_tui.cli.main import EXIT_OK, UsageError
from intake_tui.words.i18n import Language
from intake_tui.rules.regions import UnknownRegion, require_region


def _run(app) -> int:
    app.run()
    farewell = getattr(app, "farewell", "")
    if farewell:
        print(farewell, file=sys.stderr)
    return app.return_code or EXIT_OK


def run_start(args: argparse.Namespace, lang: Language) -> int:
    from intake_tui.cli.store import chosen_store
    from intake_tui.engine.store_api import StoreError
    from intake_tui.tui.app import IntakeApp

    store = chosen_store(args, lang)
    try:
        store.open()  # readable (a folder cleared of what a killed process left; a register connected)
    except StoreError as error:
        raise UsageError(error.say(lang.gettext)) from None
    return _run(IntakeApp(lang, store))


def new_intake_app(args: argparse.Namespace, lang: Language, *, training: bool = False):
    """The app of ``intake new``. When this region's first question is remembered
    (``first_view``), it is painted first and the intake opened right after."""
    from intake_tui.tui.first_view import remembered

    pupil_ref = getattr(args, "pupil_ref", None)
    people = {} if training else _consultant_and_school(args, lang)

    def open_intake():
        # The engine loads after the remembered first question is painted (StoreError: a sentence).
        from intake_tui.engine.intake import Intake
        from intake_tui.engine.stores import store_for

        # A training intake is never saved: it is no record about a pupil.
        return Intake.start(args.region, lang, store_for(args), on=getattr(args, "date", None), pupil_ref=pupil_ref,
                            anonymous=getattr(args, "anonymous", False), autosave=not training, **people)

    try:
        require_region(args.region)
    except UnknownRegion as error:
        raise UsageError(error.say(lang.gettext)) from None
    if pupil_ref is not None:  # refused before the screen opens, not after
        _check_pupil_ref(args.region, pupil_ref, lang)
    view_data = None if training else remembered(args.region, lang.code)
    if view_data is not None:
        from intake_tui.tui.app import IntakeApp
        from intake_tui.tui.question_view import QuestionView

        preview = QuestionView.from_data(view_data)
        if preview is not None:
            return IntakeApp(lang, None, pending=open_intake, preview=preview)
    from intake_tui.engine.record import PupilReferenceError
    from intake_tui.engine.store_api import StoreError
    from intake_tui.tui.app import IntakeApp

    try:
        intake = open_intake()
    except (StoreError, PupilReferenceError) as error:
        raise UsageError(error.say(lang.gettext)) from None
    return IntakeApp(lang, intake.store, intake=intake, training=training)


def _consultant_and_school(args: argparse.Namespace, lang: Language) -> dict[str, str | None]:
    """--consultant and --school, else the settings; given ones are remembered as the settings."""
    from dataclasses import replace

    from intake_tui.engine.settings import SettingsError, load_settings, save_settings

    try:
        settings = load_settings()
    except SettingsError as error:
        raise UsageError(error.say(lang.gettext)) from None
    consultant, school = getattr(args, "consultant", None), getattr(args, "school", None)
    if consultant is not None or school is not None:
        from intake_tui.engine.record import ShortTextError, check_short_text

        try:
            check_short_text(consultant)
            check_short_text(school)
        except ShortTextError as error:
            raise UsageError(error.say(lang.gettext)) from None
        settings = replace(settings, consultant=settings.consultant if consultant is None else consultant,
                           school=settings.school if school is None else school)
        try:
            save_settings(settings)
        except OSError as error:
            print(lang.gettext("The settings could not be saved ({reason}).").format(
                reason=error.strerror or error.__class__.__name__), file=sys.stderr)
    return {"consultant": settings.consultant or None, "school": settings.school or None}


def _check_pupil_ref(region: str, pupil_ref: str, lang: Language) -> None:
    from intake_tui.engine.record import PupilReferenceError, check_pupil_reference
    from intake_tui.rules.regions import load_region

    try:
        check_pupil_reference(pupil_ref)
    except PupilReferenceError as error:
        raise UsageError(error.say(lang.gettext)) from None
    meta = load_region(region).meta
    if meta.anonymous_only:
        raise UsageError(lang.gettext("{swv} takes only anonymised requests: no pupil reference is stored. "
                                      "Leave out --pupil-ref.").format(swv=meta.swv))


def run_new(args: argparse.Namespace, lang: Language, *, training: bool = False) -> int:
    return _run(new_intake_app(args, lang, training=training))


def run_train(args: argparse.Namespace, lang: Language) -> int:
    return run_new(args, lang, training=True)


def run_resume(args: argparse.Namespace, lang: Language) -> int:
    from intake_tui.cli.store import chosen_store
    from intake_tui.engine.intake import Intake
    from intake_tui.engine.store_api import StoreError
    from intake_tui.tui.app import IntakeApp

    store = chosen_store(args, lang)
    try:
        intake = Intake.resume(store, args.id, lang if getattr(args, "lang", None) else None)
    except StoreError as error:
        raise UsageError(error.say(lang.gettext)) from None
    return _run(IntakeApp(intake.lang, store, intake=intake))
