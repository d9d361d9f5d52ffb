"""Generated dialogs of any size, for the tests that lint and run large graphs."""

from __future__ import annotations

META = """[meta]
region = "big"
swv = "Big SWV"
title = "Big dialog"
seed = "none"
ruleset_version = "1"
valid_from = 2025-01-01
start = "q0"
"""

OUTCOMES = """
[outcomes.done]
route = "basis"
title = "Done"
cite = "T"

[outcomes.other]
route = "not_yet"
title = "Other"
cite = "T"
"""


def big_dialog(nodes: int, *, back_edges: bool = False, skips: bool = False, cycle: bool = False) -> str:
    """A chain of ``nodes`` questions (yes/no, and every third a number). Each one's
    condition leaves the chain for an outcome, or with ``back_edges`` goes two
    questions back (a cycle at every step), or with ``skips`` jumps two ahead (the
    number of paths grows like Fibonacci's). ``cycle``: the last question leads
    back to the first, one cycle through every node."""
    parts = [META]
    for i in range(nodes):
        follows = f"q{i + 1}" if i + 1 < nodes else ("q0" if cycle else "done")
        number = i % 3 == 1
        parts.append(f'\n[questions.q{i}]\ntype = "{"int" if number else "bool"}"\nprompt = "Question {i}?"\ncite = "T"\n')
        if number:
            parts.append("min = 0\nmax = 100\n")
        condition = f"q{i} > 50" if number else f"q{i}"
        if back_edges and i > 2:
            leaves = f"q{i - 2}"
        elif skips and i + 2 < nodes:
            leaves = f"q{i + 2}"
        else:
            leaves = "other"
        parts.append(f'[[questions.q{i}.next]]\nwhen = "{condition}"\ngoto = "{leaves}"\nbecause = "Leaves."\n')
        parts.append(f'[[questions.q{i}.next]]\ngoto = "{follows}"\nbecause = "Follows."\n')
    parts.append(OUTCOMES)
    return "".join(parts)
