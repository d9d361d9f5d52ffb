"""An interactive intake: one answer at a time, on a ``transitions`` machine.

The machine is built once per dialog and shared (states = nodes, one
``advance`` transition per branch, in the file's order). Whether a branch is
the one taken is asked of the dialog's one decision, ``Dialog.next_step``.
Sessions are never added to the shared machine (it would keep every one of
them): a session fires the machine's event on itself, so nothing a session does
changes what another sees. The pydantic record is built from the session, it
is not the model.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from transitions import Machine

from intake_tui.engine.recommendation import Recommendation, recommend
from intake_tui.engine.record import IntakeRecord, new_record_id, now
from intake_tui.i18n import Language
from intake_tui.rules.dialog import Dialog, Step
from intake_tui.rules.regions import file_checksum
from intake_tui.rules.walk import walk

# transitions logs each trigger with its arguments at DEBUG; the argument is a
# session full of answers about a child, and answers are never logged.
logging.getLogger("transitions").setLevel(logging.WARNING)


@dataclass
class Change:
    """What an answer did besides setting its fact."""

    dropped: list[str] = field(default_factory=list)  # answers no longer on the path


@cache
def machine_for(dialog: Dialog) -> Machine:
    """The dialog's state machine; ``diagram`` draws this same machine."""
    machine = Machine(
        model=None,
        states=list(dialog.nodes),
        initial=dialog.start,
        auto_transitions=False,
        ignore_invalid_triggers=False,
    )
    for node in dialog.nodes.values():
        for step in node.steps:
            # The last branch (the otherwise) needs no condition: it fires when no earlier one is taken.
            conditions = [_taken(dialog, step)] if step.condition is not None else []
            machine.add_transition("advance", source=node.id, dest=step.goto, conditions=conditions, after=[_record(step)])
    return machine


def _taken(dialog: Dialog, step: Step):
    def taken(session: Session) -> bool:
        return dialog.next_step(step.source, session.known) is step

    assert step.condition is not None
    taken.__name__ = step.condition.source.replace('"', "'")  # how the diagram labels the branch
    return taken


def _record(step: Step):
    return lambda session: session.steps.append(step)


class Session:
    """The state of one intake; ``state`` is kept by the machine."""

    state: str

    def __init__(self, dialog: Dialog, lang: Language, record: IntakeRecord | None = None,
                 pupil_ref: str | None = None, anonymous: bool = False,
                 consultant: str | None = None, school: str | None = None, intake_date: dt.date | None = None) -> None:
        self.dialog = dialog
        self.lang = lang
        self.answers: dict[str, Any] = {}  # every answer given, also ones kept as defaults
        self.known: dict[str, Any] = {}  # the answers on the current path
        self.history: list[str] = []  # questions answered on the current path, in order
        self.steps: list[Step] = []  # branches taken on the current path
        self.machine = machine_for(dialog)
        self.machine.set_state(dialog.start, model=self)
        created = now()
        self.record_id = record.id if record else new_record_id(created)
        self.created = record.created if record else created
        self.pupil_ref = None if anonymous else (record.pupil_ref if record else pupil_ref)
        self.anonymous = anonymous or bool(record and record.anonymous)
        self.revision = record.revision if record else 0  # of the stored record this session continues
        self.consultant = record.consultant if record else consultant
        self.school = record.school if record else school
        self.intake_date = (record.intake_date or record.created.date()) if record else (intake_date or created.date())
        if record is not None:
            self.answers = dict(record.answers)
            self.replay(stop_at=record.next_question)
        else:
            self._settle()

    # -- what the session shows ---------------------------------------------
    @property
    def node(self):
        return self.dialog.nodes[self.state]

    @property
    def question_id(self) -> str | None:
        return self.state if self.node.kind == "question" else None

    @property
    def done(self) -> bool:
        return self.node.kind == "outcome"

    @property
    def default(self) -> Any:
        """The kept answer to the current question (after back or a change)."""
        return self.answers.get(self.question_id) if self.question_id else None

    @property
    def questions_left(self) -> int:
        return self.dialog.questions_left[self.state]

    @property
    def number(self) -> int:
        return len(self.history) + 1

    def recommendation(self) -> Recommendation | None:
        if not self.done:
            return None
        return recommend(self.dialog, self.state, self.known, self.steps, self.lang)

    def arrival(self) -> Step | None:
        """The branch that led to the current node."""
        return self.steps[-1] if self.steps else None

    # -- what the user does ---------------------------------------------------
    def answer_text(self, text: str) -> Change:
        """Answer the current question as typed; raises AnswerError and changes nothing if refused."""
        fact = self._current_fact()
        return self._set(fact, self.dialog.readers[fact].read_text(text))

    def answer_value(self, value: Any) -> Change:
        fact = self._current_fact()
        return self._set(fact, self.dialog.readers[fact].read_value(value))

    def back(self) -> bool:
        """Return to the previous question; every answer is kept as a default."""
        if not self.history:
            return False
        previous = self.history.pop()
        self.known.pop(previous, None)
        while self.steps and self.steps[-1].source != previous:
            self.steps.pop()
        if self.steps:
            self.steps.pop()
        self.machine.set_state(previous, model=self)
        return True

    def change(self, fact: str, text: str | None = None, value: Any = None) -> Change:
        """Change an earlier answer; keep every answer still on the new path."""
        reader = self.dialog.readers[fact]
        new = reader.read_text(text) if text is not None else reader.read_value(value)
        self.answers[fact] = new
        self.replay()
        return Change(self._prune())

    def replay(self, stop_at: str | None = None) -> None:
        """Walk from the start through every answered question on the path
        (up to ``stop_at``: a draft saved after going back resumes where it was)."""
        walked = walk(self.dialog, {fact: value for fact, value in self.answers.items() if fact != stop_at})
        self.known, self.history, self.steps = walked.answers, walked.path, walked.steps
        self.machine.set_state(walked.node, model=self)

    def snapshot(self) -> tuple:
        """Where the session is, to go back to with ``restore`` (after a failed save)."""
        return self.state, dict(self.answers), dict(self.known), list(self.history), list(self.steps)

    def restore(self, snapshot: tuple) -> None:
        state, self.answers, self.known, self.history, self.steps = snapshot
        self.machine.set_state(state, model=self)

    # -- internals -------------------------------------------------------------
    def _current_fact(self) -> str:
        if self.question_id is None:
            raise RuntimeError("the intake is complete; there is no question to answer")
        return self.question_id

    def _set(self, fact: str, value: Any) -> Change:
        self.answers[fact] = value
        self.known[fact] = value
        self.history.append(fact)
        self._advance()
        self._settle()
        return Change(self._prune())

    def _advance(self) -> None:
        self.machine.events["advance"].trigger(self, self)

    def _settle(self) -> None:
        """Pass through decision nodes: they ask nothing."""
        while self.node.kind == "decision":
            self._advance()

    def _prune(self) -> list[str]:
        keep = set(self.history) | self.dialog.reachable_facts(self.state)
        dropped = sorted(fact for fact in self.answers if fact not in keep)
        for fact in dropped:
            del self.answers[fact]
        return dropped

    # -- the record -------------------------------------------------------------
    def to_record(self) -> IntakeRecord:
        meta = self.dialog.meta
        recommendation = self.recommendation()
        return IntakeRecord(
            id=self.record_id,
            region=meta.region,
            swv=meta.swv,
            ruleset_version=meta.ruleset_version,
            valid_from=meta.valid_from,
            status="complete" if self.done else "draft",
            answers=dict(self.answers),
            path=list(self.history),
            next_question=self.question_id,
            recommendation=recommendation,
            created=self.created,
            updated=now(),
            language=self.lang.code,  # type: ignore[arg-type]
            pupil_ref=self.pupil_ref,
            anonymous=self.anonymous,
            revision=self.revision,
            consultant=self.consultant,
            school=self.school,
            intake_date=self.intake_date,
            rules_checksum=file_checksum(self.dialog.path),
        )
