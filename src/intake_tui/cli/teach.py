"""Commands for trainers and new staff: ``quiz`` and ``precheck``.

``quiz`` opens the quiz screen in a terminal and asks with plain prompts in a
pipe (or with ``--plain``); ``precheck`` always asks with plain prompts.
"""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from intake_tui.cli.info import region_dialog
from intake_tui.cli.main import EXIT_OK
from intake_tui.i18n import Language


def run_quiz(args: argparse.Namespace, lang: Language, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    from intake_tui.teach.quiz import draw_cases, plain_quiz

    dialog = region_dialog(args.region, lang)
    cases = draw_cases(dialog, args.seed, args.cases)
    interactive = stdin is None and stdout is None and sys.stdin.isatty() and sys.stdout.isatty()
    if interactive and not getattr(args, "plain", False):
        from intake_tui.tui.quiz_screen import run_quiz_app

        run_quiz_app(dialog, cases, lang)
    else:
        plain_quiz(dialog, cases, lang, stdin or sys.stdin, stdout or sys.stdout)
    return EXIT_OK


def run_precheck(args: argparse.Namespace, lang: Language, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    from intake_tui.teach.precheck import precheck

    precheck(region_dialog(args.region, lang), lang, stdin or sys.stdin, stdout or sys.stdout)
    return EXIT_OK
