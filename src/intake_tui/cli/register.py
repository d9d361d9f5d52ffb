"""Commands of the shared register: ``intake migrate`` (a folder into the register),
``intake members`` (its administrator's: who sees which SWV's records) and ``intake due``
(the follow-ups that fall due, for either kind of store)."""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import re
import sys

from intake_tui.cli.main import EXIT_INPUT, EXIT_OK, UsageError, chosen_store
from intake_tui.engine.store_api import StoreError
from intake_tui.i18n import Language
from intake_tui.words.terminal import inert

_WITHIN = re.compile(r"\s*(\d{1,4})\s*(d|w|m|dag|dagen|week|weken|maand|maanden)?\s*")

def parse_within(text: str) -> dt.timedelta:
    match = _WITHIN.fullmatch(text.lower())
    if not match:
        raise ValueError(text)
    amount, unit = int(match.group(1)), (match.group(2) or "d")[0]
    return dt.timedelta(days=amount * {"d": 1, "w": 7, "m": 31}[unit])

def run_due(args: argparse.Namespace, lang: Language) -> int:
    _ = lang.gettext
    try:
        within = parse_within(args.within)
    except ValueError:
        raise UsageError(_("--within takes a period such as 30d, 6w or 2m")) from None
    store = chosen_store(args, lang)
    today = dt.date.today()
    try:
        found = store.due(today + within, today)
    except StoreError as error:
        raise UsageError(error.say(_)) from None
    if args.format == "json":
        sys.stdout.write(json.dumps([{"due": item.due.isoformat(), "what": _(item.what), "id": item.record_id,
                                      "region": item.region, "pupil_ref": item.pupil_ref} for item in found],
                                    ensure_ascii=False, indent=2) + "\n")
        return EXIT_OK
    if not found:
        print(_("Nothing falls due before {date}.").format(date=lang.date(today + within)))
    # A long list has few distinct days and texts: each is formatted once (babel's date format
    # was three quarters of `intake due` on a register of 100,000 records).
    day, what = functools.cache(lang.date), functools.cache(lambda text: inert(_(text)))
    rows = [(day(item.due), item.record_id, inert(item.pupil_ref or _("anonymous")), what(item.what)) for item in found]
    # Columns: each as wide as its widest cell (dates and references differ in length).
    wide = [max((len(row[column]) for row in rows), default=0) for column in range(3)]
    sys.stdout.writelines(f"{when:<{wide[0]}}  {record:<{wide[1]}}  {reference:<{wide[2]}}  {text}\n"
                          for when, record, reference, text in rows)
    return EXIT_OK

def run_migrate(args: argparse.Namespace, lang: Language) -> int:
    """Copy every readable record of a folder into the register; idempotent; verify; the folder is not changed."""
    from pathlib import Path

    from intake_tui.engine.register import NotAllowed
    from intake_tui.engine.store import Store
    from intake_tui.engine.stores import is_register_address, store_at

    _ = lang.gettext
    if not is_register_address(args.to):
        raise UsageError(_("--to takes the register's address (postgresql://…)"))
    if is_register_address(args.source) or not Path(args.source).is_dir():
        raise UsageError(_("{folder}: there is no such folder").format(folder=args.source))
    source = Store(args.source, read_only=True)  # not even the index beside the records is written
    try:
        target = store_at(args.to)
        target.open(writing=True)  # not set up, no access: said once, before any record
        copied = same = 0
        refused = []
        for entry in source.entries():
            if entry.record is None:
                refused.append((entry.id, entry.problem_in(_)))
                continue
            record = entry.record
            try:
                stored = target.load(record.id)
            except StoreError:
                stored = None
            if stored is not None and stored.model_dump(exclude={"revision"}) == record.model_dump(exclude={"revision"}):
                same += 1
                continue
            if stored is not None and stored.revision > record.revision:
                refused.append((record.id, _("the register holds a newer revision")))
                continue
            try:
                target.save(record.model_copy(update={"revision": stored.revision if stored else record.revision}),
                            action="migrated")
            except NotAllowed:  # a record of an SWV this role is no member of: its consultant brings it in
                refused.append((record.id, _("your database role is not a member of {swv} in the register").format(
                    swv=_(record.swv))))
                continue
            copied += 1
        # Verify: every readable record of the folder is in the register with the same content.
        differing = []
        for entry in source.entries():
            if entry.record is None or any(entry.id == bad for bad, _reason in refused):
                continue
            try:
                stored = target.load(entry.record.id)
            except StoreError:
                differing.append(entry.record.id)
                continue
            if stored.model_dump(exclude={"revision"}) != entry.record.model_dump(exclude={"revision"}):
                differing.append(entry.record.id)
    except StoreError as error:
        raise UsageError(error.say(_)) from None
    print(_("{copied} copied, {same} already there, {refused} left alone; the folder is unchanged").format(
        copied=copied, same=same, refused=len(refused)))
    for record_id, reason in refused:
        print(_("left alone: {id}: {reason}").format(id=inert(record_id), reason=inert(reason)), file=sys.stderr)
    if differing:
        print(_("not the same in the register: {ids}").format(ids=", ".join(differing)), file=sys.stderr)
        return EXIT_INPUT
    return EXIT_OK


def run_members(args: argparse.Namespace, lang: Language) -> int:
    """The register's administrator says which database roles see and keep the records of which SWV."""
    from intake_tui.engine.stores import is_register_address, store_address, store_at

    _ = lang.gettext
    try:
        address = store_address(getattr(args, "store", None))
    except StoreError as error:
        raise UsageError(error.say(_)) from None
    if not is_register_address(address):
        raise UsageError(_("'intake members' is about the shared register: give its address with --store or "
                           "INTAKE_STORE (postgresql://…)"))
    if args.action != "list" and not (args.role and args.swv):
        raise UsageError(_("'intake members {action}' needs a database role and --swv with a region (see 'intake "
                           "regions'), for example: intake members {action} anna --swv liemers").format(action=args.action))
    register = store_at(address)
    try:
        if args.action == "list":
            return _list_members(register, lang)
        region, names = _swv_of(args.swv, lang)
        for swv in names:
            if args.action == "add":
                role = register.add_member(args.role, swv)
                text = _("{role} is now a member of {swv} ({region}) in the register on {where}: they see and keep "
                         "its records")
            elif register.remove_member(args.role, swv):
                role, text = args.role, _("{role} is no longer a member of {swv} ({region}) in the register on {where}")
            else:
                role, text = args.role, _("{role} was not a member of {swv} ({region}) in the register on {where}; "
                                          "nothing changed")
            print(inert(text.format(role=role, swv=_(swv), region=region, where=register.where)))
    except StoreError as error:
        raise UsageError(error.say(_)) from None
    finally:
        register.close()
    return EXIT_OK


def _swv_of(typed: str, lang: Language) -> tuple[str, list[str]]:
    """The region a person typed (as 'intake regions' lists it, in any case) and the SWV its records carry
    (one name, or more when a version of its rules renamed the SWV)."""
    from intake_tui.rules.regions import UnknownRegion, outline, resolve_region, versions

    try:
        region = resolve_region(typed)
    except UnknownRegion as error:
        raise UsageError(error.say(lang.gettext)) from None
    return region, sorted({outline(region, version=found.version).swv for found in versions(region)})


def _list_members(register, lang: Language) -> int:
    from intake_tui.rules.regions import region_ids

    _ = lang.gettext
    members = register.member_list()
    if not members:
        print(_("No members yet in the register on {where}: add one with 'intake members add ROLE --swv REGION'").format(
            where=register.where))
        return EXIT_OK
    regions: dict[str, list[str]] = {}
    for region in region_ids():
        for swv in _swv_of(region, lang)[1]:
            regions.setdefault(swv, []).append(region)
    width = max(len(role) for role, _swv in members)
    for role, swv in members:
        print(inert(f"{role:{width}}  {', '.join(regions.get(swv, ['-'])):10}  {_(swv)}"))
    return EXIT_OK
