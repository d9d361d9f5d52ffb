"""``intake check`` on the command line: one file of answers, or a batch."""

from __future__ import annotations

import argparse
import json
import sys

from .check import InputError, check_answers, dialog_for, read_answers_file, validated_answers
from .cli import EXIT_OK, UsageError
from .i18n import Language
from .text_report import check_result_text


def run_check(args: argparse.Namespace, lang: Language) -> int:
    if args.batch:
        from .batch import run_batch

        return run_batch(args, lang)
    try:
        raw, named_region = read_answers_file(args.answers, lang)
        dialog = dialog_for(args.region or named_region, lang)
        answers = validated_answers(dialog, raw, lang, args.answers)
    except InputError as error:
        raise UsageError(str(error)) from None
    result = check_answers(dialog, answers, lang)
    fmt = args.format or "json"
    if fmt == "json":
        text = json.dumps(result, ensure_ascii=False, indent=2) + "\n"
    elif fmt == "jsonl":
        text = json.dumps(result, ensure_ascii=False) + "\n"
    elif fmt == "csv":
        text = _csv_text(result)
    else:
        text = check_result_text(dialog, result, lang)
    if args.output:
        from pathlib import Path

        from .atomic import write_private

        write_private(Path(args.output), text.encode("utf-8"))
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _csv_text(result: dict) -> str:
    import csv
    import io

    from .batch import CSV_COLUMNS, _csv_row

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, CSV_COLUMNS)
    writer.writeheader()
    writer.writerow(_csv_row(result))
    return buffer.getvalue()
