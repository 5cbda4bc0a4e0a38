"""The determination: what one rule set concludes about one case, with the trace behind it.

Immutable pydantic models. ``to_json()`` is deterministic: the same case under the same rule
set gives byte-identical output on every run, process and platform.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable, Generator
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, SerializerFunctionWrapHandler, field_serializer
from pydantic_core import SchemaSerializer

import guanzhi_rules
from guanzhi_rules import _render
from guanzhi_rules._pipeline import Exemption, RuleResult, Scope
from guanzhi_rules._rulefile import Cited, Factor, Freeze, Grade, Modality, Referral, Stage, Status, Text

FactValue = bool | int | float | str | list[str] | None
"""A fact's value as read by a rule: codes as strings, sets as sorted lists, dates as ISO strings."""



class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Jurisdiction(_Out):
    """The rule set a determination was made under: its ``key`` (``benxi``), the document's ``title``, ``number`` and ``issued`` date."""

    key: str
    title: str
    number: str | None
    issued: str


class InForceFrom(_Out):
    """When the document takes effect: the ``date`` (None: not known), whether the text ``stated`` it (None: the rule set
    does not say), where that comes from (``citations``) and how it was read (``note``)."""

    date: str | None
    stated: bool | None
    citations: tuple[Cited, ...]
    note: Text


InForceStatus = Literal["in_force", "not_yet_in_force", "cannot_tell"]
"""Whether a document was in force on a date: in force, not yet in force, or cannot tell (a date is unknown)."""


class InForce(_Out):
    """Whether the document was in force on one date of the case (``date_fact``, ``date``), and why."""

    date_fact: str
    date: str | None
    status: InForceStatus
    reason: Text


TerritoryStatus = Literal["within", "outside", "not_recorded", "cannot_tell", "not_stated"]
"""Where the subject serves against the document's territory: within, outside, no place recorded in the case,
cannot tell (the place is recorded less precisely than the territory), or the rule set states no territory."""


class TerritoryCheck(_Out):
    """The document's territory (``division``, ``zone``, its ``name`` and ``citation``), the case's place, and the ``status``."""

    division: str | None
    zone: str | None
    name: Text | None
    citation: Cited | None
    place: str | None
    place_zone: str | None
    place_name: Text | None
    status: TerritoryStatus
    reason: Text


class VersionOutcome(_Out):
    """The outcome under one version of the rule set: the version in force at the case dates named in ``at``.

    ``lighter`` is True for the lighter of two versions on the ladder (range, then influence periods),
    False for the heavier, None where they are equally heavy or neither is lighter in every respect.
    """

    in_force_from: str | None
    at: tuple[str, ...]
    ruleset_sha256: str
    accountable: bool | None
    measures: tuple[str, ...]
    consequences: tuple[MeasureConsequences, ...]
    lighter: bool | None


class TimeAndPlace(_Out):
    """Whether the document binds this case in time and place, and (for a rule set with dated amendments) its versions.

    ``outside`` names each way the determination applies the document outside its time or territory
    (``not_in_force_at_conduct``, ``not_in_force_at_decision``, ``outside_territory``): it is still
    decided, for comparison. ``versions`` holds the outcomes under the versions in force at the
    conduct and decision dates where those differ, and ``versions_statement`` what the documents leave open.
    """

    commencement: InForceFrom
    at_conduct: InForce
    at_decision: InForce
    territory: TerritoryCheck
    outside: tuple[str, ...]
    statement: Text
    versions: tuple[VersionOutcome, ...] = ()
    versions_statement: Text | None = None


class Finding(_Out):
    """A rule that applied (or matters), with its citation and the facts that satisfied it."""

    rule_id: str
    label: Text
    modality: Modality
    citation: Cited
    facts: dict[str, FactValue]


class ScopeOutcome(_Out):
    """Whether the case falls within the document's scope: the ``outcome``, the rule that decided it (``finding``) and the ``reason``."""

    outcome: Scope
    finding: Finding | None
    reason: Text


class Circumstance(_Out):
    """One of the document's listed circumstances that the conduct matches: its ``category`` and the rule that found it."""

    category: Text
    finding: Finding


class ExemptionOutcome(_Out):
    """Whether accountability is exempted, and why.

    ``outcome`` is granted, eligible, barred, none, not_provided or undetermined; ``exemptions`` and
    ``bars`` are the rules that applied on each side, ``pending_bars`` the ids of bars the facts
    leave open, and ``statement`` what the document says about it, if anything.
    """

    outcome: Exemption
    exemptions: tuple[Finding, ...]
    bars: tuple[Finding, ...]
    pending_bars: tuple[str, ...]
    statement: Text | None


class FactorFinding(_Out):
    """A factor bearing on the sanction (heavier, lighter, reduced or lighter, reduced) and the rule that found it."""

    factor: Factor
    finding: Finding


class SanctionRange(_Out):
    """The measures the rules permit on the jurisdiction's own ladder, lightest first."""

    accountable: bool | None
    measures: tuple[str, ...]
    bands: tuple[Finding, ...]
    open_ended: bool
    mandatory: bool
    discretionary: bool
    reduced_below_range: bool
    emphasis: Literal["heavier", "lighter", "none", "conflicting"]
    statement: Text


class Period(_Out):
    """When a freeze runs, in dates: from the decision (not counted) to ``last_day`` inclusive.

    Dates are missing when the text fixes no length, the freeze has no end, or a date it runs
    from or to is not in the case; ``note`` says which.
    """

    starts: str | None
    last_day: str | None
    free_from: str | None
    note: Text


class ConsequenceItem(_Out):
    """One consequence a rule attaches, with its ``citation``.

    Only the fields of its kind are set: a ``freeze`` (with its dated ``period``), the loss of awards
    for ``awards_year``, an ``annual_grade`` limit for ``annual_grade_year``, a ``status`` change, or a
    ``statement``. Both years are the decision's year (the texts' 当年度), missing when the case has no
    decision date.
    """

    rule_id: str
    citation: Cited
    freeze: Freeze | None = None
    period: Period | None = None
    awards: Literal["lost_for_year"] | None = None
    awards_year: int | None = None
    annual_grade: tuple[Grade, ...] | None = None
    annual_grade_year: int | None = None
    status: tuple[Status, ...] | None = None
    statement: Text | None = None


class MeasureConsequences(_Out):
    """What follows from one measure: for the chosen measures, or each permitted one if none was chosen."""

    measure: str
    chosen: bool
    items: tuple[ConsequenceItem, ...]
    converted_from: str | None = None
    """Set when this measure applies because another converted into it (停职检查 → 调离岗位)."""


class ReferralFinding(_Out):
    """A referral of the case to another body (``to``) and the rule that calls for it."""

    to: Referral
    finding: Finding


class Statement(_Out):
    """Something the determination reports that is neither a sanction nor a freeze."""

    kind: Literal["organisation", "statement"]
    text: Text
    finding: Finding


class DeadlineFinding(_Out):
    """A procedural time limit and, where the start date is known and the calendar covers it, its date.

    Working days follow China's official calendar (holidays and make-up working weekends); the start
    day is not counted. ``status`` says why a date is missing: ``start_unknown`` (the case lacks the
    start date) or ``beyond_official_calendar`` (the official calendar does not yet cover the period;
    ``weekday_estimate`` then counts Monday to Friday only and is not an official date).

    A period of calendar days (日) whose last day is a rest day says so (``due_on_rest_day``; None
    where the calendar cannot tell) and gives ``next_working_day``, the end the Civil Code's art. 203
    would give; the documents do not move it, so ``due`` is unmoved.
    """

    finding: Finding
    task: Text
    after: str
    start: str | None
    count: int
    unit: Literal["working_days", "days"]
    due: str | None
    status: Literal["computed", "beyond_official_calendar", "start_unknown"]
    weekday_estimate: str | None
    extendable: bool
    extended_count: int | None
    extended_due: str | None
    note: str
    due_on_rest_day: bool | None = None
    next_working_day: str | None = None


class ChoiceFinding(_Out):
    """One reason a chosen measure is, or is not, permitted."""

    permitted: bool
    measure: str | None
    reason: Text
    rule_id: str | None
    citation: Cited | None


class ChoiceReview(_Out):
    """Whether the rules permit the measures and discipline the decision-maker chose, and why.

    ``permitted`` is None when it depends on facts not yet known or the document sets no range.
    """

    measures: tuple[str, ...]
    discipline: tuple[str, ...]
    permitted: bool | None
    findings: tuple[ChoiceFinding, ...]
    discipline_grades: tuple[str, ...] = ()
    """The grades of the discipline imposed (``decision.discipline_grades``), where the case records them."""


class OpenQuestion(_Out):
    """A rule the facts could not decide: it would apply or not depending on the facts named."""

    rule_id: str
    stage: Stage
    unknown_facts: tuple[str, ...]


class Branch(_Out):
    """What follows for one set of answers to the judgement points of a decision space.

    ``when`` gives, for each judgement point, the answers this branch covers (every combination of
    them leads here; a point left out may take any answer); the rest is the outcome under those answers: ``accountable``, the ``exemption``
    outcome, the range of ``measures`` on the ladder with the ``bands`` behind it and whether one must
    be imposed (``mandatory``), and the triggering ``circumstances`` that apply.
    """

    when: dict[str, tuple[FactValue, ...]]
    accountable: bool | None
    exemption: Exemption
    measures: tuple[str, ...]
    bands: tuple[str, ...]
    mandatory: bool
    circumstances: tuple[str, ...]


class DecisionSpace(_Out):
    """Where the outcome hangs on the decision-maker's judgement: what follows from each answer.

    ``points`` are the unknown judgement points enumerated (assessments such as 情节, findings such as
    "other circumstance"), ``branches`` the outcomes, combinations that agree grouped together, and
    ``not_enumerated`` the judgement points also open but left out to keep the space small.
    """

    points: tuple[str, ...]
    branches: tuple[Branch, ...]
    not_enumerated: tuple[str, ...]


class Change(_Out):
    """One change of one fact that would change the outcome (the determination's sensitivity).

    ``fact`` took ``value`` instead of ``was`` (None: unknown); ``changes`` names what would change
    (accountable, exemption, measures), and the rest is the outcome then.
    """

    fact: str
    was: FactValue
    value: FactValue
    changes: tuple[str, ...]
    accountable: bool | None
    exemption: Exemption
    measures: tuple[str, ...]


class TraceStep(_Out):
    """One rule's entry in the trace, in evaluation order (``step``).

    ``result`` is what the rule came to for the case (applies, does_not_apply, undetermined,
    not_evaluable, defeated, not_reached); ``facts`` are the facts it read, ``citation`` where the
    document says it, and ``defeats``/``defeated_by`` the rules it overrode or that overrode it.
    """

    step: int
    rule_id: str
    stage: Stage
    citation: Cited
    facts: dict[str, FactValue]
    result: RuleResult
    defeats: tuple[str, ...]
    defeated_by: tuple[str, ...]


class Fingerprints(_Out):
    """What a determination was computed from: the ``engine_version`` and the SHA-256 of the rule set and of the case (see ``verify``)."""

    engine_version: str
    ruleset_sha256: str
    case_sha256: str
    version: str | None = None
    """The rule-set version: the day it took effect (a dated amendment's, else the document's commencement); None: unknown."""


LAZY: tuple[str, ...] = (
    "time_and_place", "scope", "circumstances", "exemption", "factors", "sanctions", "consequences", "general_consequences",
    "referrals", "statements", "choice", "deadlines", "not_decided", "open_questions", "decision_space", "sensitivity", "trace",
    "fingerprints")
"""The fields of a ``Determination`` that may hold a ``Deferred``: built on first read, identical when read
(every record but the jurisdiction, the case id and the catch-alls, which the evaluator has at hand)."""


class Determination(_Out):
    """One case under one rule set: every conclusion with its article, facts and defeated rules."""

    jurisdiction: Jurisdiction
    case_id: str | None
    time_and_place: TimeAndPlace
    """Whether the document was in force at the case's dates and binds where the subject serves; its versions."""
    scope: ScopeOutcome
    circumstances: tuple[Circumstance, ...]
    catch_alls: tuple[str, ...]
    exemption: ExemptionOutcome
    factors: tuple[FactorFinding, ...]
    sanctions: SanctionRange
    consequences: tuple[MeasureConsequences, ...]
    general_consequences: tuple[ConsequenceItem, ...]
    referrals: tuple[ReferralFinding, ...]
    statements: tuple[Statement, ...]
    choice: ChoiceReview | None
    deadlines: tuple[DeadlineFinding, ...]
    not_decided: tuple[Text, ...]
    open_questions: tuple[OpenQuestion, ...]
    decision_space: DecisionSpace | None
    """Where accountability, the exemption or the range hangs on an unknown judgement point: each answer's outcome."""
    sensitivity: tuple[Change, ...] | None = None
    """Each single change of a fact that would change the outcome, when asked for (``evaluate(..., sensitivity=True)``)."""
    trace: tuple[TraceStep, ...]
    fingerprints: Fingerprints

    # A part built on first read (``Deferred``) is built, once, when the determination is written out;
    # the field's own serialiser then writes it, honouring any include/exclude (a plain serialiser would not).
    @field_serializer(*LAZY, mode="wrap")
    def _built(self, value: Any, write: SerializerFunctionWrapHandler) -> Any:
        return write(value.value() if type(value) is Deferred else value)

    def __getstate__(self) -> dict[Any, Any]:
        """Pickled with every part built: the pickle holds values only, found as ``guanzhi_rules.<name>``."""
        state = super().__getstate__()
        state["__dict__"] = {k: v.value() if type(v) is Deferred else v for k, v in state["__dict__"].items()}
        return state

    def __iter__(self) -> Generator[tuple[str, Any], None, None]:
        """``dict(determination)`` gives every part built, as before parts were deferred."""
        for name in type(self).model_fields:
            yield name, getattr(self, name)

    def to_json(self, *, indent: int | None = 2) -> str:
        """Deterministic JSON: fixed field order, sorted fact names, no locale-dependent output."""
        return written(self, indent=indent)

    def to_text(self, lang: Literal["zh", "en"] = "zh") -> str:
        """A readable rendering in Chinese or English."""
        return _render.render(self, lang)

    def step(self, rule_id: str) -> TraceStep:
        """The trace step of one rule.

        Raises:
            KeyError: the rule is not in the trace.
        """
        for step in self.trace:
            if step.rule_id == rule_id:
                return step
        raise KeyError(rule_id)

    def applied(self) -> tuple[str, ...]:
        """Ids of the rules that applied and were not defeated, in trace order."""
        return tuple(s.rule_id for s in self.trace if s.result == "applies")


class Deferred:
    """A part of a determination built on first read: ``build(*args)``, called once, then kept.

    The evaluator decides the case eagerly and leaves here only what the part needs (the rule set,
    the case, each rule's result); the part itself (the trace, the open questions, the fingerprints,
    a decision space, the sensitivity) costs nothing unless read. It equals, hashes, copies, pickles
    and prints as its value.
    """

    __slots__ = ("_todo", "_value")

    def __init__(self, build: Callable[..., Any], *args: Any) -> None:
        self._todo: tuple[Callable[..., Any], tuple[Any, ...]] | None = (build, args)
        self._value: Any = None

    def value(self) -> Any:
        """The part, built on the first call (two threads reading at once may both build it, to the same value)."""
        todo = self._todo
        if todo is not None:
            self._value = todo[0](*todo[1])
            self._todo = None
        return self._value

    def __eq__(self, other: object) -> bool:
        return self.value() == (other.value() if isinstance(other, Deferred) else other)  # type: ignore[no-any-return]

    def __hash__(self) -> int:
        return hash(self.value())

    def __reduce__(self) -> tuple[Callable[[Any], Any], tuple[Any]]:
        return _given, (self.value(),)

    def __repr__(self) -> str:
        return repr(self.value())

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        todo = self._todo
        if todo is None:
            return copy.deepcopy(self._value, memo)
        return Deferred(todo[0], *todo[1])  # what it is built from is never changed


def _given(value: Any) -> Any:
    return value


class _OnFirstRead:
    """A determination's field that may hold a ``Deferred``: reading it builds the part and keeps it in its place."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, obj: BaseModel | None, owner: type | None = None) -> Any:
        if obj is None:  # as for any pydantic field, the class has no such attribute (so a subclass may redeclare it)
            raise AttributeError(f"{getattr(owner, '__name__', 'Determination')} has no class attribute {self.name!r}")
        value = obj.__dict__[self.name]
        if type(value) is Deferred:
            value = obj.__dict__[self.name] = value.value()
        return value

    def __set__(self, obj: BaseModel, value: Any) -> None:
        raise AttributeError(f"{type(obj).__name__} is immutable: {self.name} cannot be set")


# Installed after pydantic has built the model, so they are no field defaults; being data descriptors,
# they come before the instance's ``__dict__`` on reading, while serialising reads ``__dict__`` (see ``_built``).
for _name in LAZY:
    setattr(Determination, _name, _OnFirstRead(_name))
del _name


def written(determination: Determination, *, indent: int | None = 2, exclude: Any = None) -> str:
    """``determination.model_dump_json(indent=indent, exclude=exclude)``, every part built first, then written
    without ``_built``: a Python serialiser wrapped round a field turns the field into Python data before
    writing it, which made writing a determination take a third longer."""
    for name in LAZY:
        getattr(determination, name)  # builds the part in its place
    return _direct(type(determination)).to_json(determination.__dict__, indent=indent, exclude=exclude).decode()


@functools.cache
def _direct(cls: type[Determination]) -> SchemaSerializer:
    """How ``cls`` writes its fields, without ``_built``, from a determination's ``__dict__`` (every part built).

    The fields are written as a typed dict's: given the model's own schema, pydantic would reuse the model's serialiser.
    """

    def strip(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: strip(v) for k, v in node.items()
                    if not (k == "serialization" and isinstance(v, dict) and v.get("function") is Determination._built)}
        if isinstance(node, list):
            return [strip(v) for v in node]
        return node

    schema = strip(cls.__pydantic_core_schema__)
    model = schema["schema"] if schema["type"] == "definitions" else schema
    assert model["type"] == "model" and model["cls"] is cls and not model["schema"]["computed_fields"]
    fields = {"type": "typed-dict", "fields": {
        name: {**field, "type": "typed-dict-field", "required": True} for name, field in model["schema"]["fields"].items()}}
    return SchemaSerializer({**schema, "schema": fields} if schema["type"] == "definitions" else fields, model.get("config"))


def deferred(determination: Determination, **parts: Deferred | None) -> Determination:
    """``determination`` with ``parts`` (any of ``LAZY``) to be built on first read, or None."""
    return determination.model_copy(update=parts)


M = TypeVar("M", bound=BaseModel)


def trusted(cls: type[M], **fields: Any) -> M:
    """``cls(**fields)`` without validation, for records the evaluator builds from validated parts.

    Every field must be given, in its validated type (tuples, not lists). The evaluator uses it for
    the records it makes once per rule (findings, trace steps); ``tests/test_determinism.py``
    holds every determination equal to its own JSON validated back, so a wrong type cannot hide.
    """
    obj = cls.__new__(cls)
    object.__setattr__(obj, "__dict__", fields)
    _set_fields_set(obj, _ALL_FIELDS.get(cls) or _ALL_FIELDS.setdefault(cls, set(cls.model_fields)))
    _set_extra(obj, None)
    _set_private(obj, None)
    return obj


# The slots pydantic gives every model, set through their descriptors (faster than ``object.__setattr__``). Every
# field is given, so each class's records share one set of the fields set (pydantic copies it before changing it).
_set_fields_set = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__
_ALL_FIELDS: dict[type[BaseModel], set[str]] = {}


def fact_value(value: Any) -> FactValue:
    """A fact's value as it appears in a determination."""
    if isinstance(value, frozenset):
        return sorted(str(v) for v in value)
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    if isinstance(value, str):  # enum members are str subclasses; store the plain code
        return str(value)
    return value  # type: ignore[no-any-return]


guanzhi_rules._present(__name__)  # the public names above read as guanzhi_rules.<name>
