"""The quiz: predict the outcome of cases drawn from every path.

The cases, the choices and the verdict, and the quiz as plain prompts; the
quiz screen (``tui.quiz_screen``) uses the same pieces, and ``cli.teach``
chooses between the two. Both draw the same cases for the same seed.
"""

from __future__ import annotations

import random
from typing import Any, TextIO

from intake_tui.engine.recommendation import recommend
from intake_tui.i18n import Language
from intake_tui.rules.dialog import Dialog
from intake_tui.rules.path_cases import PathCase, path_cases
from intake_tui.teach.training import case_description
from intake_tui.words.text_report import headline, why_items


def draw_cases(dialog: Dialog, seed: int | None, count: int) -> list[PathCase]:
    """Outcomes are drawn evenly, then a path that ends in each: every outcome can come up."""
    by_outcome: dict[str, list[PathCase]] = {}
    for case in path_cases(dialog):
        if case.feasible:
            by_outcome.setdefault(case.outcome, []).append(case)
    outcomes = sorted(by_outcome)
    rng = random.Random(seed)
    drawn = []
    for _ in range(count):
        outcome_id = rng.choice(outcomes)
        drawn.append(rng.choice(by_outcome[outcome_id]))
    return drawn


def outcome_choices(dialog: Dialog, lang: Language) -> list[tuple[str, str]]:
    """The possible answers: every outcome of the region, by its title."""
    outcomes = sorted(node_id for node_id, node in dialog.nodes.items() if node.kind == "outcome")
    return [(outcome_id, lang.gettext(dialog.nodes[outcome_id].outcome.title)) for outcome_id in outcomes]  # type: ignore[union-attr]


def verdict(dialog: Dialog, case: PathCase, guess: str, lang: Language) -> tuple[bool, dict[str, Any], list[str]]:
    """Whether the guess is right, the recommendation, and where the path went."""
    recommendation = recommend(dialog, case.outcome, case.answers or {}, case.steps, lang).model_dump(mode="json")
    return guess == case.outcome, recommendation, [f"• {item}" for item in why_items(dialog, recommendation["why"], lang)]


def plain_quiz(dialog: Dialog, cases: list[PathCase], lang: Language, stdin: TextIO, stdout: TextIO) -> None:
    """The quiz as plain prompts: for a pipe, or a terminal with ``--plain``."""
    _ = lang.gettext
    choices = outcome_choices(dialog, lang)
    score = 0
    for number, case in enumerate(cases, start=1):
        print(f"\n{_('Case {number} of {total}').format(number=number, total=len(cases))}", file=stdout)
        for line in case_description(dialog, case.answers or {}, lang):
            print(f"  - {line}", file=stdout)
        print(_("What does the intake recommend?"), file=stdout)
        for index, (_id, title) in enumerate(choices, start=1):
            print(f"  {index}. {title}", file=stdout)
        guess = _ask_number(stdin, stdout, len(choices), lang)
        if guess is None:
            break
        right, recommendation, path = verdict(dialog, case, choices[guess - 1][0], lang)
        score += right
        text = _("Right!") if right else _("Not quite.")
        print(f"{text} {_('The intake recommends')}: {recommendation['title']} — {headline(recommendation, lang)}", file=stdout)
        print(_("Where the path went:"), file=stdout)
        for line in path:
            print(f"  {line}", file=stdout)
    print(f"\n{_('Score: {score} of {total}').format(score=score, total=len(cases))}", file=stdout)


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
