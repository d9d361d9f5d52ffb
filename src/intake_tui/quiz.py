"""``intake quiz``: predict the outcome of cases drawn from every path.

Plain prompts (no full-screen UI), so it runs in any terminal and in a pipe.
"""

from __future__ import annotations

import argparse
import random
import sys
from typing import TextIO

from .cli import EXIT_OK
from .i18n import Language
from .info_cmds import _region
from .path_cases import path_cases
from .recommendation import recommend
from .text_report import headline, why_lines
from .training import case_description


def run_quiz(args: argparse.Namespace, lang: Language, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    stdin, stdout = stdin or sys.stdin, stdout or sys.stdout
    _ = lang.gettext
    dialog = _region(args.region, lang)
    cases = [case for case in path_cases(dialog) if case.feasible]
    rng = random.Random(args.seed)
    # Every outcome can come up: draw outcomes evenly, then a path that ends in it.
    by_outcome: dict[str, list] = {}
    for case in cases:
        by_outcome.setdefault(case.outcome, []).append(case)
    outcomes = sorted(by_outcome)
    choices = [(outcome_id, _(dialog.nodes[outcome_id].outcome.title)) for outcome_id in outcomes]  # type: ignore[union-attr]
    score = 0
    for number in range(1, args.cases + 1):
        outcome_id = rng.choice(outcomes)
        case = rng.choice(by_outcome[outcome_id])
        print(f"\n{_('Case {number} of {total}').format(number=number, total=args.cases)}", file=stdout)
        for line in case_description(dialog, case.answers, lang):
            print(f"  - {line}", file=stdout)
        print(_("What does the intake recommend?"), file=stdout)
        for index, (_id, title) in enumerate(choices, start=1):
            print(f"  {index}. {title}", file=stdout)
        guess = _ask_number(stdin, stdout, len(choices), lang)
        if guess is None:
            break
        recommendation = recommend(dialog, case.outcome, case.answers, case.steps, lang).model_dump(mode="json")
        right = choices[guess - 1][0] == case.outcome
        score += right
        verdict = _("Right!") if right else _("Not quite.")
        print(f"{verdict} {_('The intake recommends')}: {recommendation['title']} — {headline(recommendation, lang)}", file=stdout)
        print(_("Where the path went:"), file=stdout)
        for line in why_lines(recommendation["why"], lang, "  • "):
            print(line, file=stdout)
    print(f"\n{_('Score: {score} of {total}').format(score=score, total=args.cases)}", file=stdout)
    return EXIT_OK


def _ask_number(stdin: TextIO, stdout: TextIO, count: int, lang: Language) -> int | None:
    while True:
        print(lang.gettext("Your answer (1-{count}): ").format(count=count), end="", file=stdout, flush=True)
        line = stdin.readline()
        if not line:
            return None
        text = line.strip()
        if not stdin.isatty():
            print(text, file=stdout)
        if text.isdigit() and 1 <= int(text) <= count:
            return int(text)
        print(lang.gettext("Type a number from 1 to {count}.").format(count=count), file=stdout)
