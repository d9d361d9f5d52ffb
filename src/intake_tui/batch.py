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

from .check import InputError, answers_from_object, check_answers, dialog_for, validated_answers
from .cli import EXIT_INPUT, EXIT_OK, UsageError
from .i18n import Language
from .jsonl_batch import JsonLinesChecker

CSV_COLUMNS = ["id", "line", "region", "complete", "route", "outcome", "form", "level", "tlv", "domain",
               "group_offer", "hours_per_week", "missing", "next_question", "warnings", "error"]
PROGRESS_EVERY = 2000
WRITE_EVERY = 256  # results written together: one write call per few hundred lines


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
               detail: str = "full") -> Iterator[dict[str, Any]]:
    """A result for each row, as it is read."""
    for number, data in rows:
        place = f"{where}:{number}"
        try:
            if isinstance(data, InputError):
                raise data
            raw, region = answers_from_object(data, place, lang)
            dialog = dialog_for(region or default_region, lang)
            head = {"id": data["id"], "line": number} if isinstance(data, dict) and "id" in data else {"line": number}
            answers = validated_answers(dialog, raw, lang, place)
            yield {**head, **check_answers(dialog, answers, lang, detail)}
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
        # (route, missing facts) → cases: one dict update a case; counted out at the end.
        self.kinds: dict[tuple[str | None, tuple[str, ...]], int] = {}
        self.errors = 0
        self.cases = 0

    def add(self, result: dict[str, Any]) -> None:
        if "error" in result:
            self.add_error()
            return
        recommendation = result["recommendation"] or {}
        self.add_checked(recommendation.get("route"), tuple(recommendation.get("missing", ())))

    def add_error(self) -> None:
        self.errors += 1
        self.cases += 1

    def add_checked(self, route: str | None, missing: tuple[str, ...], count: int = 1) -> None:
        kind = (route, missing)
        self.kinds[kind] = self.kinds.get(kind, 0) + count
        self.cases += count

    @property
    def incomplete(self) -> int:
        return sum(count for (route, _missing), count in self.kinds.items() if route is None)

    @property
    def routes(self) -> Counter[str]:
        routes: Counter[str] = Counter()
        for (route, _missing), count in self.kinds.items():
            if route is not None:
                routes[route] += count
        return routes

    @property
    def missing(self) -> Counter[str]:
        missing: Counter[str] = Counter()
        for (_route, facts), count in self.kinds.items():
            for fact in facts:
                missing[fact] += count
        return missing

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
        if is_csv:
            source: Any = open(path, encoding="utf-8-sig", newline="") if path != "-" else sys.stdin
        else:  # bytes where we can: each line is validated straight from them
            source = open(path, "rb") if path != "-" else getattr(sys.stdin, "buffer", sys.stdin)
    except OSError as error:
        raise UsageError(lang.gettext("{file}: cannot read the file ({reason})").format(file=path, reason=error.strerror)) from None
    try:
        out = open(args.output, "w", encoding="utf-8", newline="") if args.output else sys.stdout
    except OSError as error:
        raise UsageError(lang.gettext("{file}: cannot write the file ({reason})").format(file=args.output, reason=error.strerror)) from None
    summary = _Summary()
    progress = _Progress(source, path)
    with _closing_own(source, sys.stdin, getattr(sys.stdin, "buffer", sys.stdin)), _closing_own(out, sys.stdout):
        try:
            if output_format == "jsonl" and not is_csv:
                _jsonl_to_jsonl(source, out, args, lang, summary, progress)
            else:
                rows = _rows_from_csv(source) if is_csv else _rows_from_jsonl(_text_lines(source), path, lang)
                _to_table_or_lines(rows, out, output_format, args, lang, summary, progress)
        except (UnicodeDecodeError, csv.Error) as error:
            raise UsageError(f"{path}: {error}") from None
    progress.finish()
    for line in summary.lines(lang):
        print(line, file=sys.stderr)
    return EXIT_INPUT if summary.errors else EXIT_OK


def _jsonl_to_jsonl(source, out: TextIO, args: argparse.Namespace, lang: Language, summary: _Summary, progress: _Progress) -> None:
    checker = JsonLinesChecker(args.region, lang, args.batch, args.detail)
    pending: list[str] = []
    kinds: dict[tuple, int] = {}  # counted per kind of result, added to the summary at the end
    for head, kind, error in checker.results(source):
        pending.append(head + kind[0])
        if error is None:
            kinds[kind] = kinds.get(kind, 0) + 1
        else:
            summary.add_error()
            print(f"intake: {error}", file=sys.stderr)
        if len(pending) >= WRITE_EVERY:
            out.write("\n".join(pending) + "\n")
            pending.clear()
            progress.show(summary.cases + sum(kinds.values()))
    if pending:
        out.write("\n".join(pending) + "\n")
    for (_text, route, missing), count in kinds.items():
        summary.add_checked(route, missing, count)


def _to_table_or_lines(rows, out: TextIO, output_format: str, args: argparse.Namespace, lang: Language,
                       summary: _Summary, progress: _Progress) -> None:
    writer = csv.DictWriter(out, CSV_COLUMNS) if output_format == "csv" else None
    if writer:
        writer.writeheader()
    for result in check_rows(rows, args.region, lang, args.batch, args.detail):
        summary.add(result)
        if writer:
            writer.writerow(_csv_row(result))
        else:
            out.write(json.dumps(result, ensure_ascii=False) + "\n")
        if "error" in result:
            print(f"intake: {result['error']}", file=sys.stderr)
        progress.show(summary.cases)


def _text_lines(source) -> Iterator[str]:
    for raw in source:
        yield raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw


def _closing_own(stream: Any, *standard: Any):
    """Close a file we opened, never the process's own stdin or stdout."""
    from contextlib import closing, nullcontext

    return nullcontext(stream) if any(stream is s for s in standard) else closing(stream)


class _Progress:
    """A bar on stderr for large files, when stderr is a terminal."""

    def __init__(self, source: Any, path: str) -> None:
        self.source = source
        self.total = os.path.getsize(path) if path != "-" else 0
        self.enabled = sys.stderr.isatty() and self.total > 1_000_000
        self.shown_at = 0

    def show(self, cases: int) -> None:
        if not self.enabled or cases - self.shown_at < PROGRESS_EVERY:
            return
        self.shown_at = cases
        try:
            done = os.lseek(self.source.fileno(), 0, os.SEEK_CUR)
        except (OSError, ValueError):
            return
        share = min(1.0, done / self.total)
        bar = "█" * int(share * 30)
        print(f"\r[{bar:<30}] {share:4.0%}", end="", file=sys.stderr, flush=True)

    def finish(self) -> None:
        if self.enabled:
            print(file=sys.stderr)
