"""Commands on the record store: list, export, purge.

Everything they print from a record or a file name passes ``terminal.inert``;
every problem with the store or a record is one sentence and exit 2.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from pathlib import Path

from intake_tui.cli.main import EXIT_OK, UsageError, chosen_store
from intake_tui.engine.record_files import os_reason
from intake_tui.engine.store_api import StoreError
from intake_tui.i18n import Language
from intake_tui.words.terminal import inert
from intake_tui.words.text_report import record_state


def _say(line: str, file=None) -> None:
    print(inert(line), file=file or sys.stdout)


def run_list(args: argparse.Namespace, lang: Language) -> int:
    _ = lang.gettext
    store = chosen_store(args, lang)
    try:
        entries = store.listing(status=getattr(args, "status", None), region=getattr(args, "region", None),
                                pupil_ref=getattr(args, "pupil_ref", None), due_before=getattr(args, "due_before", None),
                                limit=getattr(args, "limit", None))
    except StoreError as error:
        raise UsageError(error.say(_)) from None
    if getattr(args, "format", "table") == "json":
        import json

        sys.stdout.write(inert(json.dumps([{"id": e.id, "unreadable": e.problem_in(_)} if e.record is None else {
            "id": e.record.id, "status": e.record.status, "region": e.record.region, "pupil_ref": e.record.pupil_ref,
            "consultant": e.record.consultant, "school": e.record.school, "updated": e.record.updated.isoformat(),
            "route": e.record.recommendation.route if e.record.recommendation else None} for e in entries],
            ensure_ascii=False, indent=2) + "\n"))
        return EXIT_OK
    if not entries:
        _say(_("No records with this pupil reference in {folder}").format(folder=store.where) if getattr(args, "pupil_ref", None)
             else _("No records in {folder}").format(folder=store.where))
    for entry in entries:
        record = entry.record
        if record is None:
            _say(f"{entry.id:22} {_('unreadable')}: {entry.problem_in(_)}")
            continue
        status = _("complete") if record.status == "complete" else _("draft")
        reference = record.pupil_ref or _("anonymous")
        _say(f"{record.id:22} {status:8} {record.region:8} {reference:14} {lang.datetime(record.updated)}  {record_state(record, lang)}")
    return EXIT_OK


def run_export(args: argparse.Namespace, lang: Language) -> int:
    from intake_tui.rules.regions import UnknownRegion

    _ = lang.gettext
    store = chosen_store(args, lang)
    try:
        record = store.load(args.id)
        store.record_export(record)  # the register's audit: who exported what, when
    except StoreError as error:
        raise UsageError(error.say(_)) from None
    shown = lang if getattr(args, "lang", None) else _record_language(record)
    if args.format == "json":
        data = (record.model_dump_json(indent=2) + "\n").encode("utf-8")
    elif args.format == "pdf":
        from intake_tui.words.pdf_report import report_pdf
        from intake_tui.words.report import build_report

        try:
            data = report_pdf(build_report(record, shown))
        except LookupError:
            raise UsageError(_("{id}: rules version {version} is not available in this installation; "
                               "export the Markdown report instead").format(id=record.id, version=record.ruleset_version)) from None
        if not args.output and sys.stdout.isatty():
            raise UsageError(lang.gettext("a PDF is not for the terminal: add --output FILE.pdf"))
    else:
        from intake_tui.words.report import markdown_report

        try:
            data = markdown_report(record, shown).encode("utf-8")
        except UnknownRegion:
            raise UsageError(_("{id}: the rules of region {region!r} are not available in this installation").format(
                id=record.id, region=record.region)) from None
    if args.output:
        write_output(Path(args.output), data, lang)
        _say(_("Report written to {path}").format(path=args.output), file=sys.stderr)
    elif args.format == "pdf":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        sys.stdout.write(inert(data.decode("utf-8")))
    return EXIT_OK


def write_output(path: Path, data: bytes | str, lang: Language) -> None:
    """Write a file the user named, atomically and private; a problem is one sentence."""
    from intake_tui.atomic import write_private

    _ = lang.gettext
    if path.is_dir():
        raise UsageError(_("cannot write {path}: it is a folder").format(path=path))
    try:
        write_private(path, data.encode("utf-8") if isinstance(data, str) else data)
    except OSError as error:
        raise UsageError(_("cannot write {path}: {reason}; nothing was written").format(
            path=path, reason=os_reason(error).say(_))) from None


def _record_language(record) -> Language:
    from intake_tui.i18n import language

    return language(record.language)


# The units of an age, in English and Dutch (3y, 3jaar, 18m, 18mnd, 6w, 6weken, 90d, 90dagen).
AGE_UNITS = {word: unit for unit, words in {
    "y": ("y", "year", "years", "j", "jr", "jaar", "jaren"),
    "m": ("m", "month", "months", "mnd", "maand", "maanden"),
    "w": ("w", "week", "weeks", "wk", "weken"),
    "d": ("d", "day", "days", "dag", "dagen"),
}.items() for word in words}


def cutoff_for(age: str, now: dt.datetime) -> dt.datetime:
    """The moment ``age`` (3y, 18m, 6w, 90d; 3jaar, 18mnd, 6weken, 90dagen) before ``now``;
    an age beyond the calendar (10000y) gives its first moment: nothing is older.
    ValueError if it is not an age."""
    match = re.fullmatch(r"\s*(\d{1,18})\s*([a-z]+)\s*", age.lower())
    unit = AGE_UNITS.get(match.group(2)) if match else None
    if unit is None:
        raise ValueError(age)
    try:
        return now - dt.timedelta(days={"y": 365.25, "m": 30.44, "w": 7, "d": 1}[unit] * int(match.group(1)))
    except OverflowError:
        return dt.datetime.min.replace(tzinfo=dt.timezone.utc)


def run_purge(args: argparse.Namespace, lang: Language) -> int:
    _ = lang.gettext
    try:
        cutoff = cutoff_for(args.older_than, dt.datetime.now(dt.timezone.utc))
    except ValueError:
        raise UsageError(_("--older-than takes an age such as 3y, 18m, 6w or 90d (or 3jaar, 18mnd, 6weken, 90dagen)")) from None
    store = chosen_store(args, lang)
    try:
        report = store.purge(cutoff, dry_run=args.dry_run)
    except StoreError as error:
        raise UsageError(error.say(_)) from None
    for record in report.deleted:
        if args.dry_run:
            _say(_("would delete {id} (last changed {when})").format(id=record.id, when=lang.datetime(record.updated)))
        else:
            _say(_("deleted {id}").format(id=record.id))
    for record_id, reason in report.skipped:
        _say(_("skipped {id}: {reason}").format(id=record_id, reason=reason.say(_)))
    removed = len(report.deleted)
    _say(lang.ngettext("{count} record older than {age}", "{count} records older than {age}", removed).format(
        count=removed, age=args.older_than), file=sys.stderr)
    if report.skipped:
        _say(lang.ngettext("{count} file skipped", "{count} files skipped", len(report.skipped)).format(
            count=len(report.skipped)), file=sys.stderr)
    return EXIT_OK

