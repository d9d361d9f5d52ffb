"""Batch cases of the five regions mixed, grown from each dialog's path cases.

Two kinds of case, as a batch meets them:

- as asked: a path case's answers (the facts on its path only), as the intake
  records them;
- a whole form: every fact of the region answered, as a school system's export
  has them. It is a neighbour of a path case: one fact of the path given
  another of the values the path search tries (which may take another path;
  every fact is answered, so the case stays complete), the facts off the path
  with such values at random, and each fact that has a default left out half
  the time.

In both, every number is then drawn again near its value (at most ``NEAR``
steps away) from the values that take the same branches (between the same two
thresholds of the dialog's conditions), so hours, months, percentages and
rates vary as they do in real files. ``run.py`` draws
its batch files from these (``Cases.draw``); ``tests/benchmarks/test_floor.py``
holds the floor equal to ``intake check`` on every path case and every
neighbour (``Cases.every``).
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

NEAR = 4  # a number is varied by at most this many steps (of 1, or of 0.5 for a decimal number)


class Cases:
    """The cases of the regions whose path cases are ``bases`` (region: the answers of each)."""

    def __init__(self, bases: dict[str, list[dict[str, Any]]], rng: random.Random) -> None:
        from intake_tui.rules.candidates import candidate_values
        from intake_tui.rules.regions import load_region

        self.bases = bases
        self.rng = rng
        self.regions = sorted(bases)
        self.candidates, self.defaults, self.numbers = {}, {}, {}
        for region in self.regions:
            dialog = load_region(region)
            self.candidates[region] = candidate_values(dialog)
            self.defaults[region] = [fact for fact, question in dialog.questions.items() if question.default is not None]
            thresholds: dict[str, set[float]] = {}
            for node in dialog.nodes.values():
                for step in node.steps:
                    for fact, values in (step.condition.thresholds.items() if step.condition else ()):
                        thresholds.setdefault(fact, set()).update(values)
            self.numbers[region] = {
                fact: (question.type == "int", question.min, question.max, sorted(thresholds.get(fact, ())))
                for fact, question in dialog.questions.items() if question.type in ("int", "number")
            }

    def every(self) -> Iterator[dict[str, Any]]:
        """Every path case as asked and every neighbour of it as a whole form."""
        for region in self.regions:
            for answers in self.bases[region]:
                yield self.case(region, answers)
                whole = self.whole(region, answers)
                for fact in answers:
                    for value in self.candidates[region][fact]:
                        if value != answers[fact]:
                            yield self.case(region, self.form(region, whole, fact, value))

    def draw(self) -> dict[str, Any]:
        """A case at random: a region, one of its path cases, as asked or a neighbour as a whole form."""
        rng = self.rng
        region = rng.choice(self.regions)
        answers = rng.choice(self.bases[region])
        if rng.random() < 0.5:
            return self.case(region, answers)
        fact = rng.choice(list(answers))
        return self.case(region, self.form(region, self.whole(region, answers), fact, rng.choice(self.candidates[region][fact])))

    def whole(self, region: str, answers: dict[str, Any]) -> dict[str, Any]:
        """Every fact of the region: the path's answers, and values at random for the others."""
        return {fact: answers[fact] if fact in answers else self.rng.choice(values)
                for fact, values in self.candidates[region].items()}

    def form(self, region: str, whole: dict[str, Any], fact: str, value: Any) -> dict[str, Any]:
        form = {**whole, fact: value}
        for left_out in self.defaults[region]:
            if left_out != fact and self.rng.random() < 0.5:
                del form[left_out]
        return form

    def case(self, region: str, answers: dict[str, Any]) -> dict[str, Any]:
        """The case, each number drawn again between the same thresholds."""
        numbers = self.numbers[region]
        return {"region": region,
                "answers": {fact: self.vary(numbers[fact], value) if fact in numbers else value for fact, value in answers.items()}}

    def vary(self, number: tuple, value: Any) -> Any:
        """A value near ``value`` (a few steps of a whole number or a half) that every threshold
        of the dialog's conditions sees as it sees ``value``, within the question's bounds."""
        whole, low, high, thresholds = number
        if value in thresholds:
            return value
        grid = 1 if whole else 0.5
        below = [t for t in thresholds if t < value]
        above = [t for t in thresholds if t > value]
        start = max(value - NEAR * grid, below[-1] + grid if below else value - NEAR * grid, low if low is not None else 0)
        end = min(value + NEAR * grid, above[0] - grid if above else value + NEAR * grid, high if high is not None else value + NEAR * grid)
        if end < start:
            return value
        drawn = start + grid * self.rng.randint(0, int((end - start) / grid))
        return int(drawn) if whole or float(drawn).is_integer() else drawn


def path_case_bases() -> dict[str, list[dict[str, Any]]]:
    """The answers of every feasible path case of every shipped region (``rules.path_cases``)."""
    from intake_tui.rules.path_cases import path_cases
    from intake_tui.rules.regions import load_region, region_ids

    return {region: [case.answers for case in path_cases(load_region(region)) if case.feasible] for region in region_ids()}


def write_lines(path: Path, cases: Cases, lines: int) -> None:
    """``lines`` JSONL cases drawn at random."""
    with path.open("w", encoding="utf-8") as handle:
        for _ in range(lines):
            handle.write(json.dumps(cases.draw()) + "\n")
