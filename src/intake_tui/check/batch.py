"""``intake check --batch``: many cases, streamed line by line through the check pipeline.

Input is JSONL (``{"region": ..., "answers": ...}`` a line, optional ``id``)
or CSV whose header holds fact ids (values as typed in the intake; optional
``id`` and ``region`` columns). Each line gets its own ``LineResult`` (see
``check.py``), written as it comes by a ``JsonLinesWriter`` or ``CsvWriter``,
so memory does not grow with the file. ``Summary`` counts what was found.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from typing import Any, BinaryIO, TextIO

from intake_tui.check.jsonl import jsonl_results
from intake_tui.check.pipeline import NO_ID, Case, InputError, LineResult, Lines, Tally, dialog_for
from intake_tui.i18n import Language
from intake_tui.rules.dialog import collector_paused
from intake_tui.rules.regions import load_region, region_ids
from intake_tui.words.display import fact_name
from intake_tui.words.text_report import ROUTE_NAMES

CSV_COLUMNS = ["id", "line", "region", "complete", "route", "outcome", "form", "level", "tlv", "domain",
               "group_offer", "hours_per_week", "missing", "next_question", "warnings", "error", "ignored"]
WRITE_EVERY = 256  # results written together: one write call per few hundred lines
CASE_COLUMNS = ("id", "region")  # CSV columns that are not answers


def batch_results(source: BinaryIO, where: str, is_csv: bool, default_region: str | None, lang: Language) -> Iterator[LineResult]:
    """The result of each case in ``source`` (bytes), in order, as it is read."""
    if is_csv:
        return _csv_results(source, where, default_region, lang)
    return jsonl_results(source, where, default_region, lang)


def _csv_results(source: BinaryIO, where: str, default_region: str | None, lang: Language) -> Iterator[LineResult]:
    text = io.TextIOWrapper(source, encoding="utf-8-sig", errors="surrogateescape", newline="")
    lines = Lines(where, default_region, lang)
    try:
        for number, case in csv_cases(text, where, default_region, lang):
            yield lines.parsed(number, case)
    finally:
        text.detach()  # the source is closed by whoever opened it (never stdin)


# -- reading CSV -------------------------------------------------------------------------------------------------
def csv_cases(source: TextIO, where: str, default_region: str | None, lang: Language) -> Iterator[tuple[int, Case | InputError]]:
    """A case for each row (or the ``InputError`` of a row that cannot be read). A
    header naming a column that is no fact is refused before any row is read."""
    _ = lang.gettext
    reader = csv.reader(source)
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as error:
        raise InputError(_("{file}: not a readable CSV file ({reason})").format(
            file=f"{where}:1", reason=_csv_trouble(error, lang))) from None
    columns = [name.strip() for name in header]
    _check_header(columns, where, default_region if "region" not in columns else None, lang)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield reader.line_num, InputError(_("{file}: not a readable CSV row ({reason})").format(
                file=f"{where}:{reader.line_num}", reason=_csv_trouble(error, lang)))
            continue
        number = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if any(_has_bad_bytes(cell) for cell in row):
            yield number, InputError(_("{file}: not valid UTF-8 text").format(file=f"{where}:{number}"))
        elif len(row) > len(columns):
            yield number, InputError(_("{file}: more cells than the header has columns").format(file=f"{where}:{number}"))
        else:
            cells = {name: value for name, value in zip(columns, row) if name and value != ""}
            answers = {name: value for name, value in cells.items() if name not in CASE_COLUMNS}
            yield number, Case(answers, cells.get("region"), cells.get("id", NO_ID))


def _csv_trouble(error: csv.Error, lang: Language) -> str:
    """What the csv module found, in the user's words (it says it in English; with the
    standard dialect, reading from Python 3.11 on, a cell over its size limit is what it finds)."""
    if "field limit" in str(error):
        return lang.gettext("a cell is longer than {limit} characters").format(limit=lang.number(csv.field_size_limit()))
    return lang.gettext("its quotes or separators do not follow CSV")


def _check_header(columns: list[str], where: str, region: str | None, lang: Language) -> None:
    """Each column is a fact of the region given (of any region when the file has a
    ``region`` column or none is given), ``id`` or ``region``; a misspelt one is refused."""
    if any(_has_bad_bytes(name) for name in columns):
        raise InputError(lang.gettext("{file}: not valid UTF-8 text").format(file=f"{where}:1"))
    if region:
        known = set(dialog_for(region, lang, f"{where}:1").questions)
    else:
        known = {fact for each in region_ids() for fact in load_region(each).questions}
    known |= set(CASE_COLUMNS)
    for name in columns:
        if not name or name in known:
            continue
        close = difflib.get_close_matches(name, sorted(known), n=1)
        if close:
            message = lang.gettext("{file}: unknown column '{column}', did you mean '{suggestion}'?")
            raise InputError(message.format(file=f"{where}:1", column=_seen(name), suggestion=close[0]))
        message = lang.gettext("{file}: unknown column '{column}'; the columns are id, region and the fact ids of the questions (see 'intake questions')")
        raise InputError(message.format(file=f"{where}:1", column=_seen(name)))


def _seen(name: str) -> str:
    """A column name as it is in the file: a control character (a NUL, a tab) written as its
    escape, so that 'needs_exceed_\\x00basic' does not read as the fact it nearly is."""
    return name if name.isprintable() else repr(name)[1:-1]


def _has_bad_bytes(text: str) -> bool:
    """Whether text decoded with ``surrogateescape`` held bytes that are not UTF-8."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


# -- writing -----------------------------------------------------------------------------------------------------
class WriteFailed(Exception):
    """Writing the output failed (a full disk, a closed pipe): the reason is ``__cause__``."""


class JsonLinesWriter:
    """One JSON object a line: the case's id and line, then its result or its error."""

    def __init__(self, out: TextIO, detail: str) -> None:
        self.out = out
        self.detail = detail
        self.pending: list[str] = []

    def write_all(self, results: Iterable[LineResult], summary: Summary, on_error: Callable[[str], None],
                  on_line: Callable[[int], None] | None = None) -> None:
        """Each result written and counted in ``summary`` (``Summary.add`` inlined: this loop runs once a line)."""
        pending, detail, kinds, no_id, every = self.pending, self.detail, summary.kinds, NO_ID, WRITE_EVERY
        append, get = pending.append, kinds.get
        for line in results:
            number, identity, result, error, ignored = line
            if identity is no_id:
                head = '{"line": %d, ' % number
            else:
                head = '{"id": %s, "line": %d, ' % (_json(identity), number)
            if ignored:
                head += '"ignored": %s, ' % _json(list(ignored))
                summary.ignored.update(ignored)
            if result is not None:
                tally = result.tally
                kinds[tally] = get(tally, 0) + 1
                append(head + (result._texts.get(detail) or result.json_tail(detail)))
            else:
                summary.errors += 1
                append(head + '"error": %s}' % _json(error))
                on_error(error)  # type: ignore[arg-type]
            if len(pending) >= every:
                self.flush()
                if on_line is not None:
                    on_line(number)

    def finish(self) -> None:
        self.flush()

    def flush(self) -> None:
        if self.pending:
            text = "\n".join(self.pending) + "\n"
            self.pending.clear()
            _write(self.out, text)


# Characters that some readers of JSONL take for the end of a line (str.splitlines, JavaScript):
# inside input text (an id, a fact name) they are written as their JSON escapes.
_LINE_SEPARATORS = {0x85: "\\u0085", 0x2028: "\\u2028", 0x2029: "\\u2029"}


def _json(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if text.isascii() else text.translate(_LINE_SEPARATORS)


class CsvWriter:
    """A table of one row a case; a text cell that a spreadsheet would read as a
    formula (=, +, -, @, a tab or a carriage return first) is made inert with a quote."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.buffer = io.StringIO()
        self.writer = csv.DictWriter(self.buffer, CSV_COLUMNS)
        self.rows = 0

    def write_all(self, results: Iterable[LineResult], summary: Summary, on_error: Callable[[str], None],
                  on_line: Callable[[int], None] | None = None) -> None:
        """Each result written and counted in ``summary``."""
        for line in results:
            if not self.rows:
                self.writer.writeheader()
            self.writer.writerow(csv_row(line))
            self.rows += 1
            summary.add(line)
            if line.error is not None:
                on_error(line.error)
            if self.rows % WRITE_EVERY == 0:
                self.flush()
                if on_line is not None:
                    on_line(line.line)

    def finish(self) -> None:
        """The end of the table: a header even when there were no rows."""
        if not self.rows:
            self.writer.writeheader()
        self.flush()

    def flush(self) -> None:
        text = self.buffer.getvalue()
        if text:
            self.buffer.seek(0)
            self.buffer.truncate()
            _write(self.out, text)


def _write(out: TextIO, text: str) -> None:
    try:
        out.write(text)
    except OSError as error:
        raise WriteFailed() from error


def csv_row(line: LineResult) -> dict[str, Any]:
    number, identity, result, error, ignored = line
    recommendation = result.recommendation if result is not None else None
    row: dict[str, Any] = {"id": None if identity is NO_ID else identity, "line": number, "error": error,
                           "ignored": ";".join(ignored)}
    if result is not None:
        row.update(region=result.region, complete=result.complete, next_question=result.next_question)
    if recommendation is not None:
        for key in ("route", "outcome", "form", "level", "tlv", "domain", "group_offer", "hours_per_week"):
            row[key] = getattr(recommendation, key)
        row["missing"] = ";".join(recommendation.missing)
        row["warnings"] = len(recommendation.warnings)
    return {key: "" if value is None else inert(value) for key, value in row.items()}


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[-+]?\d+([.,]\d+)?")


def inert(value: Any) -> Any:
    """A CSV cell a spreadsheet shows as text: text that starts like a formula gets a
    leading quote; numbers, and text that is a plain number such as -1, stay as they are."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


# -- the summary -------------------------------------------------------------------------------------------------
class Summary:
    """What a batch found, counted per ``Tally`` of a result (one dict update a case; the
    tallies are few whatever the number of lines and kinds of result)."""

    def __init__(self) -> None:
        self.kinds: dict[Tally, int] = {}
        self.errors = 0
        self.ignored: Counter[str] = Counter()

    def add(self, line: LineResult) -> None:
        result = line.result
        if result is None:
            self.errors += 1
        else:
            self.kinds[result.tally] = self.kinds.get(result.tally, 0) + 1
        if line.ignored:
            self.ignored.update(line.ignored)

    @property
    def cases(self) -> int:
        return self.errors + sum(self.kinds.values())

    def counted(self, value) -> Counter:
        counts: Counter = Counter()
        for tally, count in self.kinds.items():
            for key in value(tally):
                counts[key] += count
        return counts

    def lines(self, lang: Language) -> list[str]:
        """The summary a person reads: routes and facts by their names (the ids are in the
        output's own fields)."""
        _ = lang.gettext
        routes = self.counted(lambda tally: [tally.route] if tally.route else [])
        incomplete = sum(count for tally, count in self.kinds.items() if tally.route is None)
        missing = self.counted(lambda tally: [(tally.region, tally.ruleset_version, fact) for fact in tally.missing])
        lines = [lang.ngettext("{count} case checked", "{count} cases checked", self.cases).format(count=self.cases)]
        lines += [f"  {_(ROUTE_NAMES.get(route, route))}: {count}" for route, count in routes.most_common()]
        if incomplete:
            lines.append(f"  {_('incomplete')}: {incomplete}")
        if self.errors:
            lines.append(f"  {_('invalid')}: {self.errors}")
        if missing:
            named: Counter[str] = Counter()  # one name for the same fact of each region and version
            for (region, version, fact), count in missing.items():
                named[fact_name(load_region(region, version), fact, lang)] += count
            common = "; ".join(f"{name} ({count})" for name, count in named.most_common(5))
            lines.append(_("Most often missing: {facts}").format(facts=common))
        if self.ignored:
            named_ignored = ", ".join(f"{_short(fact)} ({count})" for fact, count in self.ignored.most_common(5))
            lines.append(_("Ignored, not questions of the region: {facts}").format(facts=named_ignored))
        return lines


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def write_all(results: Iterable[LineResult], writer: JsonLinesWriter | CsvWriter, summary: Summary,
              on_error: Callable[[str], None], on_line: Callable[[int], None] | None = None) -> None:
    """Each result to the writer and the summary as it comes; what is pending is
    written even when the run is stopped.

    The cyclic garbage collector pauses meanwhile: a line leaves no reference cycle
    behind (its objects go when it has been written, the kinds of result are kept
    in caches of bounded size), yet the objects it allocates would start a collection
    every few lines, and each full one walks the loaded dialogs, validators and
    catalogs again (a fifth of a batch's time). ``run.py`` measures that memory
    stays flat as the lines grow."""
    with collector_paused():
        try:
            writer.write_all(results, summary, on_error, on_line)
            writer.finish()
        finally:
            writer.flush()
