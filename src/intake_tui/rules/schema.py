"""The shape of a dialog file, as pydantic models.

These models check what can be checked one table at a time (types, allowed
words, bounds that fit together). Cross-references (``goto`` targets,
conditions over facts, the graph) are checked when the dialog is compiled.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator
from pydantic_core import PydanticCustomError

from intake_tui.i18n import N_
from intake_tui.rules.expr import MAX_NUMBER
from intake_tui.rules.terms import parse_rule

Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
# A number a dialog writes (bounds, hours, money): finite and of a sane size, so
# nothing computed from it overflows or compares oddly (nan is never equal).
Number = Annotated[float, Field(allow_inf_nan=False, ge=-MAX_NUMBER, le=MAX_NUMBER)]


def refused(message: str, **params: Any) -> PydanticCustomError:
    """A schema error whose English msgid and parameters travel to the lint output,
    which translates them (``loader._pydantic_reason``); ``at`` names the key it is about."""
    return PydanticCustomError("dialog", message, {**params, "msgid": message})

QuestionType = Literal["bool", "int", "number", "choice", "choices"]
Route = Literal["basis", "arrangement", "tlv", "not_yet"]
Form = Literal["individual", "group", "cluster"]
Level = Literal["light", "medium", "intensive"]
TlvKind = Literal[
    "sbo", "sbo_young", "observation_centre", "so_behaviour", "so_zml", "so_lzk", "so_lg", "so_mg", "so"
]
Domain = Literal["learning", "behaviour", "cognitive", "medical", "physical", "multiple", "gifted", "young_risk"]
GroupOffer = Literal["none", "top", "jonge_kind", "doen", "impuls", "doe_en_leer"]
BudgetPeriod = Literal["year", "hour", "week", "arrangement", "pupil"]
ParentsSign = Literal["seen", "agreed"]  # parents sign "voor gezien" or "voor akkoord"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Meta(_Strict):
    region: Identifier
    swv: Text
    title: Text
    seed: Text
    ruleset_version: Text
    valid_from: dt.date
    start: Identifier
    anonymous_only: bool = False  # the SWV takes only anonymised requests: store no pupil reference
    parents_sign: ParentsSign | None = None  # the report's sign-off asks the parents to sign (default of every outcome)


class Choice(_Strict):
    value: Identifier
    label: Text


class Branch(_Strict):
    when: Text | None = None
    goto: Identifier
    because: Text | None = None
    cite: Text | None = None


class _Node(_Strict):
    next: list[Branch] = Field(default_factory=list)


class Question(_Node):
    type: QuestionType
    prompt: Text
    name: Text | None = None  # a short noun phrase for the fact ("OPP signed by the parents"); else the prompt
    help: str = ""
    cite: Text
    min: Number | None = None
    max: Number | None = None
    unit: str | None = None
    choices: list[Choice] = Field(default_factory=list)
    default: Any = None
    goto: Identifier | None = None

    @model_validator(mode="after")
    def _fits_its_type(self) -> Question:
        numeric = self.type in ("int", "number")
        listed = self.type in ("choice", "choices")
        if listed and not self.choices:
            raise refused(N_("a {type} question needs a 'choices' list"), type=self.type)
        if not listed and self.choices:
            raise refused(N_("a {type} question takes no 'choices'"), type=self.type)
        if not numeric and (self.min is not None or self.max is not None):
            raise refused(N_("'min' and 'max' are for int and number questions"))
        if self.type == "int":
            for name, bound in (("min", self.min), ("max", self.max)):
                if bound is not None and not float(bound).is_integer():
                    raise refused(N_("'{name}' of an int question must be a whole number, not {value}"),
                                  name=name, value=bound, at=name)
        if self.min is not None and self.max is not None and self.min > self.max:
            raise refused(N_("'min' ({min}) is above 'max' ({max})"), min=self.min, max=self.max, at="max")
        values = [choice.value for choice in self.choices]
        if len(set(values)) != len(values):
            raise refused(N_("choice values must be unique"))
        if self.goto is not None and self.next:
            raise refused(N_("use either 'goto' or a 'next' list, not both"))
        if self.goto is None and not self.next:
            raise refused(N_("a question needs 'goto' or a 'next' list"))
        return self

    @property
    def branches(self) -> list[Branch]:
        return [Branch(goto=self.goto)] if self.goto is not None else self.next


class Decision(_Node):
    title: str | None = None

    @model_validator(mode="after")
    def _has_branches(self) -> Decision:
        if not self.next:
            raise refused(N_("a decision needs a 'next' list"))
        return self

    @property
    def branches(self) -> list[Branch]:
        return self.next


class Budget(_Strict):
    min: Number | None = Field(default=None, ge=0)
    max: Number | None = Field(default=None, ge=0)
    per: BudgetPeriod
    note: str | None = None
    cite: str | None = None


class ConditionalWarning(_Strict):
    when: Text
    text: Text
    values: dict[Identifier, Text] = Field(default_factory=dict)
    cite: str | None = None


class Check(_Strict):
    fact: Identifier | None = None
    facts: list[Identifier] = Field(default_factory=list)
    ok: Text
    text: Text
    cite: str | None = None

    @model_validator(mode="after")
    def _names_facts(self) -> Check:
        if self.fact is None and not self.facts:
            raise refused(N_("a check names the 'fact' (or 'facts') it puts in 'missing'"))
        return self

    @property
    def all_facts(self) -> list[str]:
        return ([self.fact] if self.fact else []) + [f for f in self.facts if f != self.fact]


class Term(_Strict):
    """A dated follow-up: its text, and when it falls due counted from the intake's date."""

    text: Text
    rule: Text
    cite: str | None = None

    @field_validator("rule")
    @classmethod
    def _readable_rule(cls, rule: str) -> str:
        try:
            parse_rule(rule)
        except ValueError:
            raise refused(N_("cannot read the term rule {rule!r}; use 'N days', 'N weeks' (optionally 'after'), "
                             "'end of school year', or a day such as '31 July'"), rule=rule) from None
        return rule

    def due(self, start: dt.date) -> dt.date:
        return parse_rule(self.rule).due(start)


class Outcome(_Strict):
    route: Route
    form: Form | None = None
    level: Level | None = None
    tlv: TlvKind | None = None
    domain: Domain | None = None
    group_offer: GroupOffer | None = None
    title: Text
    summary: str = ""
    hours_per_week: Number | str | None = None
    hours: str | None = None
    duration: str | None = None
    decides: str | None = None
    documents: list[Text] = Field(default_factory=list)
    next_steps: list[Text] = Field(default_factory=list)
    warnings: list[Text] = Field(default_factory=list)
    cite: Text
    budget: list[Budget] = Field(default_factory=list)
    warn: list[ConditionalWarning] = Field(default_factory=list)
    checks: list[Check] = Field(default_factory=list)
    terms: list[Term] = Field(default_factory=list)
    parents_sign: ParentsSign | None = None

    @model_validator(mode="after")
    def _fits_its_route(self) -> Outcome:
        if self.route == "tlv" and self.tlv is None:
            raise refused(N_("a 'tlv' outcome names its kind in 'tlv'"))
        if self.route != "tlv" and self.tlv is not None:
            raise refused(N_("only a 'tlv' outcome has a 'tlv' kind"))
        if self.checks and self.route != "not_yet":
            raise refused(N_("'checks' belong to a not_yet outcome"))
        return self


class DialogFile(_Strict):
    meta: Meta
    questions: dict[Identifier, Question]
    decisions: dict[Identifier, Decision] = Field(default_factory=dict)
    outcomes: dict[Identifier, Outcome]
