"""``intake check --batch``: many cases, streamed row by row.

Input is JSONL (``{"region": ..., "answers": ...}`` a line) or CSV whose
header holds fact ids (values as typed in the intake; optional ``id`` and
``region`` columns). Output is JSONL or CSV, one result per case, written as
it comes, so memory does not grow with the file. A summary goes to stderr.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from collections import Counter
from collections.abc import Iterator
from typing import Any, TextIO

from .check import InputError, answers_from_object, check_answers, check_line, dialog_for, validated_answers
from .cli import EXIT_INPUT, EXIT_OK, UsageError
from .i18n import Language

CSV_COLUMNS = ["id", "line", "region", "complete", "route", "outcome", "form", "level", "tlv", "domain",
               "group_offer", "hours_per_week", "missing", "next_question", "warnings", "error"]
PROGRESS_EVERY = 2000


def _rows_from_jsonl(source: TextIO, where: str, lang: Language) -> Iterator[tuple[int, Any]]:
    for number, line in enumerate(source, start=1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as error:
            yield number, InputError(lang.gettext("{file}: not valid JSON: {reason}").format(file=f"{where}:{number}", reason=error.msg))


def _rows_from_csv(source: TextIO) -> Iterator[tuple[int, Any]]:
    reader = csv.DictReader(source)
    for row in reader:
        answers = {key.strip(): value for key, value in row.items()
                   if key and key.strip() not in ("id", "region") and value not in (None, "")}
        case: dict[str, Any] = {"answers": answers}
        for key in ("id", "region"):
            if row.get(key):
                case[key] = row[key]
        yield reader.line_num, case


def check_rows(rows: Iterator[tuple[int, Any]], default_region: str | None, lang: Language, where: str,
               *, as_json: bool = False) -> Iterator[dict[str, Any] | tuple[str, str | None, tuple[str, ...]]]:
    """A result for each row: a dict, or (``as_json``) a ready JSON line for a valid case."""
    for number, data in rows:
        place = f"{where}:{number}"
        try:
            if isinstance(data, InputError):
                raise data
            raw, region = answers_from_object(data, place, lang)
            dialog = dialog_for(region or default_region, lang)
            head = {"id": data["id"], "line": number} if isinstance(data, dict) and "id" in data else {"line": number}
            answers = validated_answers(dialog, raw, lang, place)
            if as_json:
                yield check_line(dialog, answers, lang, head)
            else:
                yield {**head, **check_answers(dialog, answers, lang)}
        except InputError as error:
            identity = {"id": data["id"]} if isinstance(data, dict) and "id" in data else {}
            yield {**identity, "line": number, "error": str(error)}


def _csv_row(result: dict[str, Any]) -> dict[str, Any]:
    recommendation = result.get("recommendation") or {}
    row = {key: result.get(key) for key in ("id", "line", "region", "complete", "next_question", "error")}
    for key in ("route", "outcome", "form", "level", "tlv", "domain", "group_offer", "hours_per_week"):
        row[key] = recommendation.get(key)
    row["missing"] = ";".join(recommendation.get("missing", []))
    row["warnings"] = len(recommendation.get("warnings", []))
    return {key: "" if value is None else value for key, value in row.items()}


class _Summary:
    def __init__(self) -> None:
        self.routes: Counter[str] = Counter()
        self.missing: Counter[str] = Counter()
        self.cases = self.errors = self.incomplete = 0

    def add(self, result: dict[str, Any]) -> None:
        if "error" in result:
            self.cases += 1
            self.errors += 1
            return
        recommendation = result["recommendation"] or {}
        self.add_checked(recommendation.get("route"), tuple(recommendation.get("missing", ())))

    def add_checked(self, route: str | None, missing: tuple[str, ...]) -> None:
        self.cases += 1
        if route is None:
            self.incomplete += 1
            return
        self.routes[route] += 1
        self.missing.update(missing)

    def lines(self, lang: Language) -> list[str]:
        _ = lang.gettext
        lines = [lang.ngettext("{count} case checked", "{count} cases checked", self.cases).format(count=self.cases)]
        lines += [f"  {route}: {count}" for route, count in self.routes.most_common()]
        if self.incomplete:
            lines.append(f"  {_('incomplete')}: {self.incomplete}")
        if self.errors:
            lines.append(f"  {_('invalid')}: {self.errors}")
        if self.missing:
            common = ", ".join(f"{fact} ({count})" for fact, count in self.missing.most_common(5))
            lines.append(_("Most often missing: {facts}").format(facts=common))
        return lines


def run_batch(args: argparse.Namespace, lang: Language) -> int:
    path = args.batch
    is_csv = path.lower().endswith(".csv")
    output_format = args.format if args.format in ("csv", "jsonl") else ("csv" if is_csv else "jsonl")
    try:
        source = open(path, encoding="utf-8-sig", newline="") if path != "-" else sys.stdin
    except OSError as error:
        raise UsageError(lang.gettext("{file}: cannot read the file ({reason})").format(file=path, reason=error.strerror)) from None
    try:
        out = open(args.output, "w", encoding="utf-8", newline="") if args.output else sys.stdout
    except OSError as error:
        raise UsageError(lang.gettext("{file}: cannot write the file ({reason})").format(file=args.output, reason=error.strerror)) from None
    summary = _Summary()
    total = os.path.getsize(path) if path != "-" else 0
    show_progress = sys.stderr.isatty() and total > 1_000_000
    with _closing_own(source, sys.stdin), _closing_own(out, sys.stdout):
        rows = _rows_from_csv(source) if is_csv else _rows_from_jsonl(source, path, lang)
        writer = csv.DictWriter(out, CSV_COLUMNS) if output_format == "csv" else None
        if writer:
            writer.writeheader()
        try:
            for result in check_rows(rows, args.region, lang, path, as_json=writer is None):
                if isinstance(result, tuple):
                    line, route, missing = result
                    summary.add_checked(route, missing)
                    out.write(line + "\n")
                    continue
                summary.add(result)
                if writer:
                    writer.writerow(_csv_row(result))
                else:
                    out.write(json.dumps(result, ensure_ascii=False) + "\n")
                if "error" in result:
                    print(f"intake: {result['error']}", file=sys.stderr)
                if show_progress and summary.cases % PROGRESS_EVERY == 0:
                    _progress(source, total)
        except (UnicodeDecodeError, csv.Error) as error:
            raise UsageError(f"{path}: {error}") from None
    if show_progress:
        print(file=sys.stderr)
    for line in summary.lines(lang):
        print(line, file=sys.stderr)
    return EXIT_INPUT if summary.errors else EXIT_OK


def _closing_own(stream: TextIO, standard: TextIO):
    """Close a file we opened, never the process's own stdin or stdout."""
    from contextlib import closing, nullcontext

    return nullcontext(stream) if stream is standard else closing(stream)


def _progress(source: TextIO, total: int) -> None:
    try:
        done = os.lseek(source.fileno(), 0, os.SEEK_CUR)
    except (OSError, ValueError):
        return
    share = min(1.0, done / total) if total else 0
    bar = "█" * int(share * 30)
    print(f"\r[{bar:<30}] {share:4.0%}", end="", file=sys.stderr, flush=True)
