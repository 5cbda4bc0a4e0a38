"""The traced evaluator: decides one case under one rule set, stage by stage, and records why.

``evaluate`` lists the stages in order; each stage is decided by the semantics of ``_pipeline``
(shared with the batch evaluator) and leaves what it decided on a ``Decision``. Building the
determination's records from a decision is ``_assemble``'s work, not this module's. Nothing here
knows any jurisdiction: all the law is in the rule set.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from guanzhi_rules import _assemble, _pipeline, _space, _timeplace
from guanzhi_rules._backends import tester
from guanzhi_rules._case import for_the_last_case
from guanzhi_rules._determination import Determination, deferred
from guanzhi_rules._facts import flatten
from guanzhi_rules._outcome import outcome_of
from guanzhi_rules._pipeline import COVERED, FACTOR_STAGES, CaseState, mandatory, result_of
from guanzhi_rules._rulefile import STAGES, Effect

if TYPE_CHECKING:
    from guanzhi_rules._case import Case
    from guanzhi_rules._compiler import CompiledRule
    from guanzhi_rules._ruleset import RuleSet


@dataclass
class Range:
    """The sanction range the bands allow: what ``SanctionRange`` records, before its findings are built."""

    bands: list[CompiledRule]
    measures: tuple[str, ...]
    open_ended: bool
    mandatory: bool
    reduced_below_range: bool
    emphasis: str
    pending: bool
    """No band applies but one is undetermined."""

    @property
    def discretionary(self) -> bool:
        """The decision-maker chooses: a band permits, or binds to one of several (or an open list of) measures."""
        return bool(self.bands) and (not self.mandatory or len(self.measures) > 1 or self.open_ended)


@dataclass
class Decision:
    """What the stages decided about one case, in the order they decided it."""

    state: CaseState
    case: Case
    scope: _pipeline.Scope = "not_covered"
    scope_rule: CompiledRule | None = None
    stood: dict[str, list[CompiledRule]] = field(default_factory=dict)
    """The rules of each stage that stood when the stage was settled."""
    granted: bool = False
    exemption: _pipeline.Exemption = "none"
    accountable: bool | None = False
    range: Range = field(default_factory=lambda: Range([], (), False, False, False, "none", False))
    considered: list[str] = field(default_factory=list)
    converted: dict[str, tuple[str, dt.date]] = field(default_factory=dict)
    """Measures added by conversion: the measure converted from and the day it takes effect."""
    consequences: list[tuple[CompiledRule, Effect, list[str]]] = field(default_factory=list)
    """Each consequence rule that attaches, each of its effects, and the considered measures it follows."""
    deadlines: list[tuple[CompiledRule, Effect]] = field(default_factory=list)

    @property
    def reached(self) -> bool:
        """Whether the document's scope was reached (the subject is covered, or may be)."""
        return self.scope != "not_covered"

    def again(self, facts: Mapping[str, object]) -> Decision:
        """The same case decided again on ``facts``, its facts with some set otherwise (as a decision space tries them)."""
        return decide(self.state.plan.ruleset, self.case, facts=facts)


def evaluate(
    ruleset: RuleSet, case: Case, *, decided: bool = False, backend: str = "default", sensitivity: bool = False,
    versions: bool = True,
) -> Determination:
    """Evaluate ``case`` under ``ruleset``: every stage in order, then the determination's records.

    With ``decided``, the case records a decision already taken: its chosen measures establish
    accountability, so their consequences follow (used for a person's history of decisions).
    ``backend`` decides rule conditions (see ``guanzhi_rules._backends``); every backend gives the
    same determination. With ``sensitivity``, the determination also lists each single change of one
    fact that would change the outcome. With ``versions`` (and a rule set amended by dated overlays),
    the case is also decided under the versions in force at its conduct and decision dates, where
    those differ (``TimeAndPlace.versions``).

    Raises:
        ValueError: an unknown backend.
        DurableUnavailableError: (an ImportError) the durable backend without durable-rules installed.
    """
    d = decide(ruleset, case, decided=decided, backend=backend)
    determination = _assemble.determination(d)
    if sensitivity:
        determination = deferred(determination, sensitivity=_space.deferred_sensitivity(ruleset, d.state.facts, outcome_of(determination)))
    if versions and ruleset.versions:
        determination = _versions(ruleset, case, determination, decided=decided, backend=backend)
    return determination


def decide(
    ruleset: RuleSet, case: Case, *, decided: bool = False, backend: str = "default", facts: Mapping[str, object] | None = None,
) -> Decision:
    """Decide ``case`` under ``ruleset``, every stage in order (see ``evaluate``): the decision, before its records.

    ``facts`` (the case's facts with some set otherwise, as a decision space tries them) are decided in
    place of the case's own.
    """
    facts = _facts(case) if facts is None else facts
    d = Decision(CaseState(_pipeline.plan_of(ruleset), facts, tester(backend, ruleset.rules)), case)
    d.scope, d.scope_rule = _pipeline.decide_scope(d.state)                 # 1. scope
    if COVERED.get(d.scope, False) is False:
        d.state.not_reached(*STAGES[1:])
    else:
        d.state.reached()
        _settle_factors(d)                                                   # 2-5. circumstances, bars, exemptions, factors
        _decide_accountability(d, decided=decided)
        _settle_bands(d)                                                     # 6. sanction bands
        _consider_measures(d)                                                # 7. consequences
        _attach_consequences(d)
        _settle_choice(d)                                                    # 8. the decision-maker's choice
        _procedure(d)                                                        # 9. procedure
    _decide_exemption(d)  # last: a rule of any later stage may have defeated an exemption
    d.state.decided()
    return d


_facts = for_the_last_case(flatten)
"""``flatten``, kept for the next rule set: nothing that decides a case changes its facts (late conditions read a
copy, ``CaseState.late_facts``)."""


def _versions(ruleset: RuleSet, case: Case, determination: Determination, *, decided: bool, backend: str) -> Determination:
    """The determination with the outcomes under the versions in force at the case's dates, where those differ."""
    outcomes = {ruleset.sha256: determination}
    for day in (case.dates.conduct, case.decision.date):
        version = ruleset.version_on(day) if day else ruleset
        if version.sha256 not in outcomes:
            outcomes[version.sha256] = evaluate(version, case, decided=decided, backend=backend, versions=False)
    records, statement = _timeplace.versions(ruleset, case, outcomes)
    if not records:
        return determination
    tp = determination.time_and_place.model_copy(update={"versions": records, "versions_statement": statement})
    return determination.model_copy(update={"time_and_place": tp})


def _settle_factors(d: Decision) -> None:
    for stage in FACTOR_STAGES:
        d.stood[stage] = d.state.settle(stage)
    # A later stage (an exemption) may have defeated a circumstance that stood when it was settled.
    d.stood["circumstance"] = [r for r in d.stood["circumstance"] if d.state.result[r.id] == "applies"]


def _decide_accountability(d: Decision, *, decided: bool) -> None:
    state = d.state
    d.granted = any(mandatory(r) for r in d.stood["exemption"])
    triggered = True if d.stood["circumstance"] else None if state.any_result("circumstance", "undetermined") else False
    maybe_exempt = state.any_result("exemption", "undetermined", mandatory)
    d.accountable = _pipeline.accountability(COVERED[d.scope], triggered, d.granted, maybe_exempt)
    if decided and d.case.decision.measures:
        d.accountable = True


def _decide_exemption(d: Decision) -> None:
    state, ruleset = d.state, d.state.plan.ruleset
    d.exemption = _pipeline.exemption_outcome(
        granted=d.granted, eligible=bool(d.stood.get("exemption")), barred=state.any_result("exemption", "defeated"),
        undetermined=state.any_result("exemption", "undetermined"),
        not_provided=not ruleset.stage("exemption") and ruleset.silence("exemption") is not None)


def _settle_bands(d: Decision) -> None:
    """Sanction bands, only where accountability may follow; the range is the union of their measures."""
    plan, state = d.state.plan, d.state
    if d.accountable is False:
        state.not_reached("sanction_band")
        bands: list[CompiledRule] = []
    else:
        bands = state.settle("sanction_band")
    measures = {m for r in bands for m in plan.band_measures[r.id]}
    factors = {e.factor for stage in ("aggravating", "mitigating") for r in d.stood[stage] for e in r.rule.then}
    heavier, lighter = "heavier" in factors, bool(factors & {"lighter", "reduced_or_lighter"})
    d.range = Range(
        bands=bands,
        measures=tuple(sorted(measures, key=plan.ruleset.ladder_order.__getitem__)),
        open_ended=any(e.open_ended for r in bands for e in r.rule.then),
        mandatory=any(mandatory(r) for r in bands),
        reduced_below_range=bool(factors & {"reduced", "reduced_or_lighter"}),
        emphasis="conflicting" if heavier and lighter else "heavier" if heavier else "lighter" if lighter else "none",
        pending=not bands and state.any_result("sanction_band", "undetermined"),
    )


def _consider_measures(d: Decision) -> None:
    """The measures whose consequences follow, and those another converts into (停职检查 → 调离岗位)."""
    ruleset = d.state.plan.ruleset
    chosen = [m.value for m in d.case.decision.measures]
    d.considered = _pipeline.considered_measures(d.accountable, chosen, d.range.measures, ruleset.ladder_order)
    start, rectified, unrectified_on = d.case.decision.date, d.case.dates.rectified, d.case.dates.unrectified_on
    if d.accountable is not True or start is None or (rectified is None and unrectified_on is None):
        return
    for rule in ruleset.stage("consequence"):
        if rule.rule.attaches != "measures" or d.state.test_late(rule) is not True:
            continue
        for effect in rule.rule.then:
            freeze = effect.freeze
            if freeze is None or freeze.converts_to is None or freeze.converts_after_months is None:
                continue
            effective = _pipeline.conversion(freeze, start, rectified, unrectified_on)
            for m in (x.value for x in rule.rule.for_measures or ()):
                if effective and m in d.considered and freeze.converts_to.value not in d.considered:
                    d.converted[freeze.converts_to.value] = (m, effective)
    d.considered += list(d.converted)


def _attach_consequences(d: Decision) -> None:
    """Consequences on accountability, on exemption, on measures, or unconditionally."""
    state, result = d.state, d.state.result
    values: Mapping[str, bool | None] = {"always": True, "accountable": d.accountable, "granted": d.granted}
    for rule, gate, gives in state.plan.consequences:
        opened = values[gate]
        value = None if opened is False else state.test_late(rule)  # a shut gate shuts it whatever the condition: untested
        follows = [m for m in d.considered if m in gives] if gives is not None else None
        holds = _pipeline.consequence_holds(opened, value, None if follows is None else bool(follows))
        result[rule.id] = result_of(holds)
        if holds is True:
            d.consequences += [(rule, effect, follows or []) for effect in rule.rule.then]


def _settle_choice(d: Decision) -> None:
    """The choice rules' results; what they and the range say of the chosen measures is recorded from the
    decision when read (``_assemble``: the choice review decides nothing later stages use)."""
    state = d.state
    for rule in state.plan.stages["choice"]:
        state.result[rule.id] = result_of(state.test_late(rule))


def _procedure(d: Decision) -> None:
    """Time limits, counted from dates in the case."""
    state = d.state
    for rule in state.plan.stages["procedure"]:
        raw = state.test_late(rule)
        state.result[rule.id] = result_of(raw)
        if raw is True:
            d.deadlines += [(rule, e) for e in rule.rule.then if e.deadline]
