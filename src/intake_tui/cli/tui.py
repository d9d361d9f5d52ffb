"""Commands that open the terminal UI (the only ones that import Textual)."""

from __future__ import annotations

import argparse
import sys

from intake_tui.cli.main import EXIT_OK, UsageError
from intake_tui.i18n import Language
from intake_tui.rules.regions import UnknownRegion


def _run(app) -> int:
    app.run()
    farewell = getattr(app, "farewell", "")
    if farewell:
        print(farewell, file=sys.stderr)
    return app.return_code or EXIT_OK


def run_start(args: argparse.Namespace, lang: Language) -> int:
    from intake_tui.tui.app import IntakeApp

    return _run(IntakeApp(lang, _checked_store(args, lang)))


def _checked_store(args: argparse.Namespace, lang: Language, *, writing: bool = False):
    """The store, checked before a screen opens (a problem is a sentence, exit 2): readable
    (``writing``: able to hold records); a folder cleared of what a killed process left, a register
    connected."""
    from intake_tui.cli.main import chosen_store
    from intake_tui.engine.store_api import StoreError

    store = chosen_store(args, lang)
    try:
        store.open(writing=writing)
    except StoreError as error:
        raise UsageError(error.say(lang.gettext)) from None
    return store


def new_intake_app(args: argparse.Namespace, lang: Language, *, training: bool = False):
    """The app of ``intake new``: the region's first question is painted from its outline
    (``rules.compiled``) and the intake opened right after the first frame."""
    from intake_tui.rules.regions import UnknownVersion, outline
    from intake_tui.tui.app import IntakeApp
    from intake_tui.tui.question_view import first_spot, view_of

    pupil_ref = getattr(args, "pupil_ref", None)
    people = {} if training else _consultant_and_school(args, lang)
    day = getattr(args, "date", None)

    try:
        first = outline(args.region, on=day)
    except (UnknownRegion, UnknownVersion) as error:
        raise UsageError(error.say(lang.gettext)) from None
    if pupil_ref is not None:  # refused before the screen opens, not after
        _check_pupil_ref(first.swv if first.anonymous_only else None, pupil_ref, lang)
    store = _checked_store(args, lang, writing=not training)

    def open_intake():
        from intake_tui.engine.intake import Intake

        # A training intake is never saved: it is no record about a pupil.
        return Intake.start(args.region, lang, store, on=day, pupil_ref=pupil_ref,
                            anonymous=getattr(args, "anonymous", False), autosave=not training, **people)

    if training:  # the first screen says why this question comes: that is the engine's to say
        return IntakeApp(lang, store, intake=_opened(open_intake, lang), training=True)
    return IntakeApp(lang, store, opening=(view_of(first_spot(first), lang), open_intake))


def _opened(open_intake, lang: Language):
    from intake_tui.engine.record import PupilReferenceError
    from intake_tui.engine.store_api import StoreError

    try:
        return open_intake()
    except (StoreError, PupilReferenceError) as error:
        raise UsageError(error.say(lang.gettext)) from None


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


def _check_pupil_ref(anonymous_swv: str | None, pupil_ref: str, lang: Language) -> None:
    """``anonymous_swv``: the SWV, when it takes only anonymised requests."""
    from intake_tui.engine.record import PupilReferenceError, check_pupil_reference

    try:
        check_pupil_reference(pupil_ref)
    except PupilReferenceError as error:
        raise UsageError(error.say(lang.gettext)) from None
    if anonymous_swv is not None:
        raise UsageError(lang.gettext("{swv} takes only anonymised requests: no pupil reference is stored. "
                                      "Leave out --pupil-ref.").format(swv=anonymous_swv))


def run_new(args: argparse.Namespace, lang: Language, *, training: bool = False) -> int:
    return _run(new_intake_app(args, lang, training=training))


def run_train(args: argparse.Namespace, lang: Language) -> int:
    return run_new(args, lang, training=True)


def run_resume(args: argparse.Namespace, lang: Language) -> int:
    return _run(resume_app(args, lang))


def resume_app(args: argparse.Namespace, lang: Language):
    """The app of ``intake resume``: the draft's current question is painted from its file
    and the outline of its rules, and the engine opens the same record right after the
    first frame. A draft that does not read so (a register, an old or odd file) is
    opened by the engine first."""
    from intake_tui.i18n import LANGUAGES, language
    from intake_tui.rules.regions import outline_for_record
    from intake_tui.tui.app import IntakeApp
    from intake_tui.tui.question_view import draft_spot, view_of

    store = _checked_store(args, lang)

    def open_intake(record_id: str | None):
        from intake_tui.engine.intake import Intake

        return Intake.resume(store, record_id, lang if getattr(args, "lang", None) else None)

    draft = store.draft_preview(args.id)
    spot = None
    if draft is not None and draft.get("language") in LANGUAGES:
        made = outline_for_record(str(draft.get("region")), str(draft.get("ruleset_version")))
        if made is not None:
            spot = draft_spot(made, draft.get("answers"), draft.get("path"), draft.get("next_question"))
    if spot is None:
        intake = _opened(lambda: open_intake(args.id), lang)
        return IntakeApp(intake.lang, intake.store, intake=intake)
    shown = lang if getattr(args, "lang", None) else language(draft["language"])  # type: ignore[index]
    return IntakeApp(shown, store, opening=(view_of(spot, shown), lambda: open_intake(args.id)))
