"""``intake check --batch``: many cases, streamed line by line."""

from __future__ import annotations

import argparse
import json
import sys

from .check import check_batch_lines
from .cli import EXIT_INPUT, EXIT_OK, UsageError
from .i18n import Language


def run_batch(args: argparse.Namespace, lang: Language) -> int:
    try:
        source = open(args.batch, encoding="utf-8") if args.batch != "-" else sys.stdin
    except OSError as error:
        raise UsageError(lang.gettext("{file}: cannot read the file ({reason})").format(file=args.batch, reason=error.strerror)) from None
    bad = 0
    with source:
        out = sys.stdout
        for result, problem in check_batch_lines(source, args.region, lang, args.batch):
            out.write(json.dumps(result, ensure_ascii=False) + "\n")
            if problem:
                bad += 1
                print(f"intake: {problem}", file=sys.stderr)
    return EXIT_INPUT if bad else EXIT_OK
