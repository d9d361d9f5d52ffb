"""Commands on the record store: list, export, purge."""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from pathlib import Path

from .atomic import write_private
from .cli import EXIT_OK, UsageError
from .i18n import Language
from .store import StoreError, store_for


def run_list(args: argparse.Namespace, lang: Language) -> int:
    _ = lang.gettext
    store = store_for(args)
    try:
        entries = store.listing(status=getattr(args, "status", None), region=getattr(args, "region", None),
                                pupil_ref=getattr(args, "pupil_ref", None), due_before=getattr(args, "due_before", None),
                                limit=getattr(args, "limit", None))
    except StoreError as error:
        raise UsageError(error.say(_)) from None
    if getattr(args, "format", "table") == "json":
        import json

        sys.stdout.write(json.dumps([{"id": e.id, "unreadable": e.problem_in(_)} if e.record is None else {
            "id": e.record.id, "status": e.record.status, "region": e.record.region, "pupil_ref": e.record.pupil_ref,
            "consultant": e.record.consultant, "school": e.record.school, "updated": e.record.updated.isoformat(),
            "route": e.record.recommendation.route if e.record.recommendation else None} for e in entries],
            ensure_ascii=False, indent=2) + "\n")
        return EXIT_OK
    if not entries:
        print(_("No records with this pupil reference in {folder}").format(folder=store.folder) if getattr(args, "pupil_ref", None)
              else _("No records in {folder}").format(folder=store.folder))
    for entry in entries:
        record = entry.record
        if record is None:
            print(f"{entry.id:22} {_('unreadable')}: {entry.problem_in(_)}")
            continue
        route = record.recommendation.route if record.recommendation else f"{_('next')}: {record.next_question}"
        reference = record.pupil_ref or _("anonymous")
        print(f"{record.id:22} {record.status:8} {record.region:8} {reference:14} {lang.datetime(record.updated)}  {route}")
    return EXIT_OK


def run_export(args: argparse.Namespace, lang: Language) -> int:
    store = store_for(args)
    try:
        record = store.load(args.id)
        if hasattr(store, "record_export"):
            store.record_export(record)  # the register's audit: who exported what, when
    except StoreError as error:
        raise UsageError(error.say(lang.gettext)) from None
    if args.format == "json":
        text = record.model_dump_json(indent=2) + "\n"
    else:
        from .report import markdown_report

        text = markdown_report(record, lang if getattr(args, "lang", None) else _record_language(record))
    if args.output:
        write_private(Path(args.output), text.encode("utf-8"))
        print(lang.gettext("Report written to {path}").format(path=args.output), file=sys.stderr)
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _record_language(record) -> Language:
    from .i18n import language

    return language(record.language)


# The units of an age, in English and Dutch (3y, 3jaar, 18m, 18mnd, 6w, 6weken, 90d, 90dagen).
AGE_UNITS = {word: unit for unit, words in {
    "y": ("y", "year", "years", "j", "jr", "jaar", "jaren"),
    "m": ("m", "month", "months", "mnd", "maand", "maanden"),
    "w": ("w", "week", "weeks", "wk", "weken"),
    "d": ("d", "day", "days", "dag", "dagen"),
}.items() for word in words}


def parse_age(text: str) -> dt.timedelta:
    match = re.fullmatch(r"\s*(\d+)\s*([a-z]+)\s*", text.lower())
    unit = AGE_UNITS.get(match.group(2)) if match else None
    if unit is None:
        raise ValueError(text)
    days = {"y": 365.25, "m": 30.44, "w": 7, "d": 1}[unit] * int(match.group(1))
    return dt.timedelta(days=days)


def run_purge(args: argparse.Namespace, lang: Language) -> int:
    _ = lang.gettext
    try:
        age = parse_age(args.older_than)
    except ValueError:
        raise UsageError(_("--older-than takes an age such as 3y, 18m, 6w or 90d (or 3jaar, 18mnd, 6weken, 90dagen)")) from None
    store = store_for(args)
    cutoff = dt.datetime.now(dt.timezone.utc) - age
    removed = 0
    for entry in store.entries():
        if entry.record is None or entry.record.updated >= cutoff:
            continue
        removed += 1
        if args.dry_run:
            print(_("would delete {id} (last changed {when})").format(id=entry.id, when=lang.datetime(entry.record.updated)))
        else:
            store.delete(entry.id)
            print(_("deleted {id}").format(id=entry.id))
    print(lang.ngettext("{count} record older than {age}", "{count} records older than {age}", removed).format(
        count=removed, age=args.older_than), file=sys.stderr)
    return EXIT_OK
