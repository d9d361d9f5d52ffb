"""``intake check`` on the command line: one file of answers, or a batch."""

from __future__ import annotations

import argparse
import json
import sys

from .check import InputError, check_answers, dialog_for, read_answers_file, validated_answers
from .cli import EXIT_INPUT, EXIT_OK, UsageError, print_json
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
    if (args.format or "json") in ("json", "jsonl"):
        if args.format == "jsonl":
            sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
        else:
            print_json(result)
    else:
        sys.stdout.write(check_result_text(dialog, result, lang))
    return EXIT_OK if result else EXIT_INPUT
