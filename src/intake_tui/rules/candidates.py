"""A few values of each fact that are worth trying: enough to take every branch of a dialog.

Yes and no; every choice; every subset of a short checklist (of a long one: none, each item
alone, all); for a number its bounds (0 and past the highest threshold where it sets none)
and both sides of every threshold a condition compares it with (one apart for a whole
number, a half for a decimal). A question's default comes first, read as an answer is. The
path search (``path_cases``), lint's check of the graph, ``intake reform``'s made-up cases
and the benchmarks try these.
"""

from __future__ import annotations

from itertools import combinations
from typing import Any

from intake_tui.rules.dialog import Dialog


def candidate_values(dialog: Dialog) -> dict[str, list[Any]]:
    """For each question, the values worth trying, its default (if any) first."""
    thresholds: dict[str, set[float]] = {}
    for node in dialog.nodes.values():
        for step in node.steps:
            if step.condition is not None:
                for fact, values in step.condition.thresholds.items():
                    thresholds.setdefault(fact, set()).update(values)
    candidates: dict[str, list[Any]] = {}
    for fact, question in dialog.questions.items():
        if question.type == "bool":
            values: list[Any] = [True, False]
        elif question.type == "choice":
            values = [choice.value for choice in question.choices]
        elif question.type == "choices":
            options = [choice.value for choice in question.choices]
            if len(options) <= 4:
                values = [list(c) for size in range(len(options) + 1) for c in combinations(options, size)]
            else:
                values = [[], *[[option] for option in options], options]
        else:
            values = _numbers(question, thresholds.get(fact, set()))
        if question.default is not None:
            # The default as an answer ("ja", a label, ...), like walk() and the session read it.
            default = dialog.readers[fact].read_value(question.default)
            if default in values:
                values.remove(default)
            values.insert(0, default)
        candidates[fact] = values
    return candidates


def _numbers(question: Any, thresholds: set[float]) -> list[Any]:
    delta = 1 if question.type == "int" else 0.5
    points: set[float] = set()
    for threshold in thresholds:
        points.update({threshold - delta, threshold, threshold + delta})
    low = question.min if question.min is not None else 0
    high = question.max if question.max is not None else max([low + 10, *points])
    points.update({low, high})
    chosen = sorted(p for p in points if low <= p <= high)
    return [int(p) if question.type == "int" or float(p).is_integer() else p for p in chosen]
