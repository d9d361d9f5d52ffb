"""``intake check`` on the command line: one file of answers, or a batch.

The command opens the input and the output and hands the cases to the check
pipeline (``check.py``, ``batch.py``). ``--output`` is written whole or not at
all, mode 0600, and is never the input itself.
"""

from __future__ import annotations

import argparse
import errno
import io
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from intake_tui.check.batch import CsvWriter, JsonLinesWriter, Summary, WriteFailed, batch_results, write_all
from intake_tui.check.pipeline import (
    NO_ID,
    InputError,
    LineResult,
    case_from_object,
    checker,
    dialog_for,
    parse_json,
    validated_answers,
)
from intake_tui.cli.main import EXIT_INPUT, EXIT_OK, UsageError
from intake_tui.i18n import Language
from intake_tui.words.text_report import check_result_text

PROGRESS_EVERY = 2000


def receipt(dialog) -> dict:
    """What reproduces this result: the rules version, the checksum of its file, the app, the date."""
    import datetime as dt

    from intake_tui import __version__
    from intake_tui.rules.regions import file_checksum

    return {"ruleset_version": dialog.meta.ruleset_version, "rules_checksum": file_checksum(dialog.path),
            "app_version": __version__, "date": dt.date.today().isoformat()}


def run_check(args: argparse.Namespace, lang: Language) -> int:
    if args.batch:
        return run_batch(args, lang)
    _ = lang.gettext
    source = _open_input(args.answers, lang)
    with _closing_own(source):
        try:
            raw = source.read()
        except OSError as error:
            raise UsageError(_("{file}: cannot read the file ({reason})").format(file=args.answers, reason=error.strerror)) from None
        try:
            case = case_from_object(parse_json(raw, args.answers, lang), args.answers, lang)
            dialog = dialog_for(args.region or case.region, lang, on=getattr(args, "date", None))
            answers, ignored = validated_answers(dialog, case.answers, lang, args.answers)
        except InputError as error:
            raise UsageError(str(error)) from None
        result = checker(dialog, lang).check(answers)
        fmt = args.format or "json"
        with _output(args.output, source, lang) as out:
            if fmt in ("json", "jsonl"):
                data = result.data("full")
                data["receipt"] = receipt(dialog)
                if ignored:
                    data["ignored"] = list(ignored)
                text = json.dumps(data, ensure_ascii=False, indent=2 if fmt == "json" else None) + "\n"
                _say(out, text, args.output, lang)
            elif fmt == "csv":
                try:
                    write_all([LineResult(None, NO_ID, result, None, ignored)], CsvWriter(out), Summary(), _print_error)  # type: ignore[arg-type]
                except WriteFailed as failed:
                    raise UsageError(_write_failure(failed.__cause__, args.output, lang)) from None
            else:
                text = check_result_text(dialog, result.data("full"), lang)
                if ignored:
                    text += _("Ignored, not questions of the region: {facts}").format(facts=", ".join(ignored)) + "\n"
                _say(out, text, args.output, lang)
    return EXIT_OK


def run_batch(args: argparse.Namespace, lang: Language) -> int:
    path = args.batch
    is_csv = path.lower().endswith(".csv")
    output_format = args.format if args.format in ("csv", "jsonl") else ("csv" if is_csv else "jsonl")
    source = _open_input(path, lang)
    summary = Summary()
    with _closing_own(source):
        progress = _Progress(source, path)
        with _output(args.output, source, lang) as out:
            writer = CsvWriter(out) if output_format == "csv" else JsonLinesWriter(out, args.detail)
            results = batch_results(source, path, is_csv, args.region, lang)
            try:
                write_all(results, writer, summary, _print_error, progress.show if progress.enabled else None)
            except InputError as error:  # a CSV header that names no fact: nothing is checked
                raise UsageError(str(error)) from None
            except WriteFailed as failed:
                raise UsageError(_write_failure(failed.__cause__, args.output, lang)) from None
    progress.finish()
    for line in summary.lines(lang):
        print(line, file=sys.stderr)
    return EXIT_INPUT if summary.errors else EXIT_OK


def _print_error(message: str) -> None:
    print(f"intake: {message}", file=sys.stderr)


def _open_input(path: str, lang: Language) -> BinaryIO:
    if path == "-":
        return getattr(sys.stdin, "buffer", None) or io.BytesIO(sys.stdin.read().encode("utf-8", "surrogateescape"))
    try:
        return open(path, "rb")  # noqa: SIM115 (closed by _closing_own)
    except OSError as error:
        raise UsageError(lang.gettext("{file}: cannot read the file ({reason})").format(file=path, reason=error.strerror)) from None


@contextmanager
def _output(path: str | None, source: Any, lang: Language) -> Iterator[TextIO]:
    """Where the results go: stdout, or a file put in place whole when the check ends
    (mode 0600). A folder, a missing folder or the input file itself is refused."""
    if not path or path == "-":
        yield from _stdout()
        return
    from intake_tui.atomic import private_stream

    _ = lang.gettext
    target = Path(path)
    if target.is_dir():
        raise UsageError(_("{file}: is a folder; give the name of a file to write").format(file=path))
    if not target.parent.is_dir():
        raise UsageError(_("{file}: cannot write the file: the folder {folder} does not exist").format(
            file=path, folder=target.parent))
    if _same_file(target, source):
        raise UsageError(_("{file}: the output is the input file; give another file name").format(file=path))
    if target.exists() and not target.is_file():  # a pipe or a terminal (/dev/stdout): nothing to replace
        yield from _stream_to(target, path, lang)
        return
    target = Path(os.path.realpath(target))  # through a link: the file it names is replaced, the link stays
    try:
        with private_stream(target) as binary:
            yield from _text_over(binary)
    except WriteFailed as failed:
        raise UsageError(_write_failure(failed.__cause__, path, lang)) from None
    except OSError as error:
        raise UsageError(_write_failure(error, path, lang)) from None


def _stream_to(target: Path, path: str, lang: Language) -> Iterator[TextIO]:
    try:
        with open(target, "w", encoding="utf-8", errors="backslashreplace", newline="") as text:
            yield text
    except WriteFailed as failed:
        raise UsageError(_write_failure(failed.__cause__, path, lang)) from None
    except OSError as error:
        raise UsageError(_write_failure(error, path, lang)) from None


def _stdout() -> Iterator[TextIO]:
    """Standard output as UTF-8 text; text that cannot be encoded (a lone surrogate
    in an id) is written as its JSON escape instead of failing the run."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a text stream without bytes under it (a test's StringIO)
        yield sys.stdout
        return
    sys.stdout.flush()
    yield from _text_over(buffer)


def _text_over(binary: BinaryIO) -> Iterator[TextIO]:
    """UTF-8 text over ``binary``, flushed at the end and then let go of without closing
    ``binary`` (what could not be written is dropped)."""
    text = io.TextIOWrapper(binary, encoding="utf-8", errors="backslashreplace", newline="")
    try:
        yield text
        text.flush()
    finally:
        try:
            text.detach()
        except (OSError, ValueError):
            pass


def _same_file(target: Path, source: Any) -> bool:
    """Whether ``target`` is the open input (the same file by device and inode: by name,
    through a link, or as a hard link)."""
    try:
        return os.path.samestat(os.stat(target), os.fstat(source.fileno()))
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        return False


def _write_failure(error: BaseException | None, path: str | None, lang: Language) -> str:
    _ = lang.gettext
    where = path or _("standard output")
    if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT):
        return _("{file}: cannot write the results: the disk is full; nothing was written to the file").format(file=where) \
            if path else _("{file}: cannot write the results: the disk is full").format(file=where)
    reason = error.strerror if isinstance(error, OSError) and error.strerror else error.__class__.__name__
    return _("{file}: cannot write the file ({reason})").format(file=where, reason=reason)


def _say(out: TextIO, text: str, path: str | None, lang: Language) -> None:
    try:
        out.write(text)
    except OSError as error:
        raise UsageError(_write_failure(error, path, lang)) from None


def _closing_own(stream: Any):
    """Close a file we opened, never the process's own stdin."""
    from contextlib import closing, nullcontext

    standard = (sys.stdin, getattr(sys.stdin, "buffer", None), sys.__stdin__, getattr(sys.__stdin__, "buffer", None))
    return nullcontext(stream) if any(stream is s for s in standard) else closing(stream)


class _Progress:
    """A bar on stderr for large files, when stderr is a terminal."""

    def __init__(self, source: Any, path: str) -> None:
        self.source = source
        try:
            self.total = os.fstat(source.fileno()).st_size if path != "-" else 0
        except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
            self.total = 0
        self.enabled = sys.stderr.isatty() and self.total > 1_000_000
        self.shown_at = 0

    def show(self, line: int) -> None:
        if line - self.shown_at < PROGRESS_EVERY:
            return
        self.shown_at = line
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
