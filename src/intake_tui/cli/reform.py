"""``intake diff`` and ``intake reform``: what a change of rules does, for a policy officer."""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path

from intake_tui.check.batch import inert
from intake_tui.cli.main import EXIT_OK, UsageError
from intake_tui.cli.store import write_output
from intake_tui.engine.store_api import StoreError
from intake_tui.i18n import Language
from intake_tui.rules.dialog import Dialog, DialogError
from intake_tui.rules.regions import UnknownRegion, UnknownVersion, load_path, load_region, resolve_region


def _rules(region: str, version_or_file: str, lang: Language) -> Dialog:
    """A version of a region's rules by its name, or a rules file (a proposal)."""
    path = Path(version_or_file)
    try:
        if version_or_file.endswith(".toml"):
            if not path.is_file():
                raise UsageError(lang.gettext("{file}: no such rules file").format(file=version_or_file))
            dialog = load_path(path)
            if dialog.region != region:
                raise UsageError(lang.gettext("{file}: these are the rules of region {other!r}, not {region!r}").format(
                    file=version_or_file, other=dialog.region, region=region))
            return dialog
        return load_region(region, version=version_or_file)
    except (UnknownRegion, UnknownVersion) as error:
        raise UsageError(error.say(lang.gettext)) from None
    except DialogError as error:
        raise UsageError(str(error)) from None


def _region(args: argparse.Namespace, lang: Language) -> str:
    try:
        return resolve_region(args.region)
    except UnknownRegion as error:
        raise UsageError(error.say(lang.gettext)) from None


def run_diff(args: argparse.Namespace, lang: Language) -> int:
    from intake_tui.check.reform import diff_rules, example_text

    _ = lang.gettext
    region = _region(args, lang)
    old, new = _rules(region, args.from_version, lang), _rules(region, args.to_version, lang)
    diff = diff_rules(old, new, lang)
    if args.format == "json":
        import dataclasses
        import json

        data = {"region": region, "from": old.meta.ruleset_version, "to": new.meta.ruleset_version,
                **dataclasses.asdict(diff)}
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")
        return EXIT_OK
    out = []
    out.append(_("Rules of {swv}: version {old} → {new}").format(
        swv=new.meta.swv, old=old.meta.ruleset_version, new=new.meta.ruleset_version))
    if diff.empty:
        out.append(_("No differences."))
    if diff.questions_added:
        out += ["", _("Questions added:")] + [f"  + {text}" for text in diff.questions_added]
    if diff.questions_removed:
        out += ["", _("Questions removed:")] + [f"  - {text}" for text in diff.questions_removed]
    if diff.questions_changed:
        out += ["", _("Questions changed:")]
        for text, changes in diff.questions_changed:
            out += [f"  * {text}"] + [f"      {change}" for change in changes]
    if diff.branches_changed:
        out += ["", _("Rules whose conditions changed:")]
        for change in diff.branches_changed:
            out += [f"  * {change.where}", f"      {change.reason}"]
            if change.reason_before is None:
                out.append(f"      {_('a new rule')}")
            elif change.reason_before != change.reason:
                out.append(f"      {_('until now: {reason}').format(reason=change.reason_before)}")
            if change.asks:
                out.append(f"      {_('looks at the answers to: {questions}').format(questions='; '.join(change.asks))}")
            if args.show_rules:  # the conditions as written, for whoever maintains the rules
                out += [f"      {_('before')}: {change.when_before or _('otherwise') if change.reason_before is not None else '-'}",
                        f"      {_('now')}: {change.when or _('otherwise')}"]
    if diff.outcomes_changed:
        out += ["", _("Outcomes changed:")]
        for title, changes in diff.outcomes_changed:
            out += [f"  * {title}"] + [f"      {what}: {before} → {after}" for what, before, after in changes]
    if diff.shifts:
        out += ["", _("Answers that lead to a different recommendation:")]
        for shift in diff.shifts:
            out += [f"  * {shift.before} → {shift.after}",
                    f"      {_('for example')}: {example_text(new, shift.example or {}, lang)}"]
    sys.stdout.write("\n".join(out) + "\n")
    return EXIT_OK


def _population(args: argparse.Namespace, region: str, lang: Language):
    """(id, answers) of the complete records of the store, or of the cases of a batch file."""
    if args.batch:
        return _batch_cases(args.batch, region, lang)
    from intake_tui.check.reform import group_by_region
    from intake_tui.engine.stores import store_for

    store = store_for(args)  # a StoreError is said by the caller
    return group_by_region((entry.record for entry in store.entries()), region)


def _batch_cases(name: str, region: str, lang: Language):
    from intake_tui.check.batch import csv_cases
    from intake_tui.check.pipeline import Case, InputError, case_from_object, parse_json

    path = Path(name)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UsageError(lang.gettext("{file}: cannot read ({reason})").format(file=name, reason=error.strerror)) from None
    cases = []
    if name.lower().endswith(".csv"):
        text = io.StringIO(data.decode("utf-8-sig", errors="replace"), newline="")
        read = csv_cases(text, name, region, lang)
    else:
        def lines():
            for number, line in enumerate(data.splitlines(), start=1):
                if line.strip():
                    where = f"{name}:{number}"
                    try:
                        yield number, case_from_object(parse_json(line, name, lang, line=number), where, lang)
                    except InputError as error:
                        yield number, error
        read = lines()
    for number, case in read:
        if isinstance(case, InputError):
            raise UsageError(str(case))
        assert isinstance(case, Case)
        if case.region not in (None, region):
            continue
        cases.append((case.id if case.id is not None and repr(case.id) != "NO_ID" else f"{name}:{number}", dict(case.answers)))
    return cases


def run_reform(args: argparse.Namespace, lang: Language) -> int:
    from intake_tui.check.reform import chart_png, reform_shifts

    _ = lang.gettext
    region = _region(args, lang)
    current = load_region(region)
    proposed = _rules(region, args.rules, lang)
    try:
        population = _population(args, region, lang)
    except StoreError as error:
        raise UsageError(error.say(_)) from None
    report = reform_shifts(population, current, proposed, lang)
    title = _("{swv}: rules {old} → proposal {new}").format(
        swv=current.meta.swv, old=current.meta.ruleset_version, new=proposed.meta.ruleset_version)
    out = [title, lang.ngettext("{cases} pupil checked; {changed} gets another recommendation",
                                "{cases} pupils checked; {changed} get another recommendation", report.cases).format(
        cases=report.cases, changed=report.changed), ""]
    if report.shifts:
        rows = [(str(len(shift.ids)), shift.before, shift.after) for shift in report.shifts]
        out += _table([_("pupils"), _("now"), _("with the proposal")], rows)
        out.append("")
        for shift in report.shifts:
            out.append(f"{shift.before} → {shift.after}: {', '.join(str(i) for i in shift.ids)}")
        out.append("")
    out.append(_("Hours a week, all pupils together: {before} → {after} ({change})").format(
        before=lang.number(round(report.hours_before, 2)), after=lang.number(round(report.hours_after, 2)),
        change=_signed(report.hours_after - report.hours_before, lang)))
    out.append(_("Budget a year (estimate), all pupils together: {before} → {after} ({change})").format(
        before=lang.money(report.budget_before), after=lang.money(report.budget_after),
        change=_signed_money(report.budget_after - report.budget_before, lang)))
    if report.newly_incomplete:
        out.append(_("Incomplete under the proposal (it asks something new): {ids}").format(
            ids=", ".join(str(i) for i in report.newly_incomplete)))
    for case_id, problem in report.refused:
        out.append(_("Not checked: {id}: {problem}").format(id=case_id, problem=problem))
    sys.stdout.write("\n".join(out) + "\n")
    if args.csv:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["pupils", "now", "proposal", "hours_change", "budget_change", "ids"])
        for shift in report.shifts:
            writer.writerow([len(shift.ids), inert(shift.before), inert(shift.after), round(shift.hours_change, 2),
                             round(shift.budget_change, 2), " ".join(str(i) for i in shift.ids)])
        _write(args.csv, buffer.getvalue().encode("utf-8"), lang)
    if args.chart:
        _write(args.chart, chart_png(report, title, lang), lang)
    return EXIT_OK


def _write(name: str, data: bytes, lang: Language) -> None:
    write_output(Path(name), data, lang)
    print(lang.gettext("Written: {file}").format(file=name), file=sys.stderr)


def _signed(value: float, lang: Language) -> str:
    return ("+" if value > 0 else "") + lang.number(round(value, 2))


def _signed_money(value: float, lang: Language) -> str:
    return ("+" if value > 0 else "") + lang.money(value)


def _table(header: list[str], rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(len(cell) for cell in column) for column in zip(header, *rows)]
    line = lambda cells: "  ".join(cell.ljust(width) for cell, width in zip(cells, widths)).rstrip()  # noqa: E731
    return [line(header), line(tuple("-" * w for w in widths)), *(line(row) for row in rows)]
