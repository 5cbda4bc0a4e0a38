"""The default evaluator: walks a compiled rule set over one case and assembles the determination.

Stages, in order: scope → circumstances → bars → exemptions → factors → sanction range →
consequences. Every condition is tested once up front; the stages then decide which results
count, which rules defeat which, and what follows. Nothing here knows any jurisdiction: all the
law is in the rule set.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from guanzhi_rules import _dates, _version
from guanzhi_rules._case import Case, case_sha256
from guanzhi_rules._compiler import CompiledRule
from guanzhi_rules._conditions import Facts, rule_key
from guanzhi_rules._determination import (
    ChoiceFinding,
    ChoiceReview,
    Circumstance,
    ConsequenceItem,
    DeadlineFinding,
    Determination,
    ExemptionOutcome,
    FactorFinding,
    FactValue,
    Finding,
    Fingerprints,
    Jurisdiction,
    MeasureConsequences,
    OpenQuestion,
    Period,
    ReferralFinding,
    RuleResult,
    SanctionRange,
    ScopeOutcome,
    Statement,
    TraceStep,
    fact_value,
    trusted,
)
from guanzhi_rules._facts import flatten
from guanzhi_rules._rulefile import MANDATORY, STAGES, Deadline, Effect, Freeze, Text

if TYPE_CHECKING:
    from guanzhi_rules._ruleset import RuleSet

_NOT_COVERED = Text(zh="本文件的适用范围不包括该对象", en="No scope provision of this document covers the subject")
_SCOPE_UNKNOWN = Text(zh="适用范围取决于尚未查明的事实", en="Whether the document covers the subject depends on facts not yet known")
_NO_RANGE = Text(zh="不予问责，无问责方式", en="No accountability follows, so no measure applies")
_RANGE_UNKNOWN = Text(
    zh="问责方式的范围取决于尚未查明的事实（见待查事实）",
    en="The range of measures depends on facts not yet known (see open questions)")
_NO_BAND = Text(
    zh="本文件未就上述事实规定问责方式", en="This document sets no measure for these facts")
_RANGE_MAY = Text(zh="决定机关在所列范围内酌情选择", en="The decision-maker chooses within the listed range")
_RANGE_SHALL = Text(zh="应当在所列范围内给予处理", en="A measure within the listed range shall be imposed")
_NOT_FIXED = Text(zh="本文件未规定期限长度，不能给出日期", en="This document does not fix the length, so no date can be given")
_INDEFINITE = Text(zh="无期限限制", en="No end date: the restriction has no time limit")
_NO_DECISION_DATE = Text(zh="案件未载明决定日期，不能给出日期", en="The case has no decision date, so no date can be given")
_UNTIL_RECTIFICATION = Text(
    zh="至问题整改到位；案件未载明整改到位日期", en="Until rectification is complete; the case has no rectification date")
_NOT_ACCOUNTABLE = Text(
    zh="依本文件不予问责，不应给予问责处理", en="No accountability follows under this document, so no measure may be imposed")
_OFF_LADDER = Text(zh="本文件没有规定这种问责方式", en="This document does not provide this measure")
_OUT_OF_RANGE = Text(zh="不在本案事实所适用的问责方式范围内", en="Outside the range of measures these facts allow")
_OPEN_RANGE = Text(
    zh="不在所列方式之中，但原文列举并非穷尽（“等”），且轻重在所列方式之间",
    en="Not among the listed measures, but the text's list is not exhaustive (等) and it is of like weight")
_BELOW_RANGE = Text(zh="轻于所列范围，属依减轻情节在范围以下处理", en="Lighter than the range, as a reducing factor (减轻) allows")
_CATCH_ALL = Text(
    zh="兜底条款（其他……情形）需由决定机关认定，不能仅凭事实适用",
    en="Catch-all items (其他…情形) need a decision-maker's finding and never apply from facts alone")


_STANDING: dict[str, bool | None] = {"applies": True, "undetermined": None, "not_evaluable": None}
"""How an ``applies`` condition reads a rule's result; any other result is false."""


Tester = Callable[[Sequence[CompiledRule], Facts], Mapping[str, bool | None]]
"""A backend: the truth value (None: unknown) of each given rule's condition over the facts, by rule id.
The rules all have conditions; for ``late`` rules the facts include the standing of earlier rules."""

BACKENDS = ("default", "durable")
"""Names of the evaluation backends: the compiled closures, or durable-rules (the ``durable`` extra)."""


def _closures(rules: Sequence[CompiledRule], facts: Facts) -> dict[str, bool | None]:
    """The default backend: each condition's compiled closure."""
    return {rule.id: rule.condition.test(facts) for rule in rules if rule.condition is not None}


class _Values(dict[str, FactValue]):
    """Fact values as a determination shows them, each converted once, when first read."""

    def __init__(self, facts: Mapping[str, object]) -> None:
        super().__init__()
        self.facts = facts

    def __missing__(self, path: str) -> FactValue:
        value = self[path] = fact_value(self.facts[path])
        return value


class _Run:
    """The working state of one evaluation."""

    def __init__(self, ruleset: RuleSet, case: Case, tester: Tester = _closures) -> None:
        self.ruleset, self.case = ruleset, case
        self.facts = flatten(case)
        self.tester = tester
        self.result: dict[str, RuleResult] = {}
        self.defeated_by: dict[str, list[str]] = defaultdict(list)
        self.defeats: dict[str, list[str]] = defaultdict(list)
        self.raw: dict[str, bool | None] = {}
        self.values = _Values(self.facts)
        tested = tester([r for r in ruleset if r.condition is not None and not r.late], self.facts)
        for rule in ruleset:
            if rule.condition is None:
                self.raw[rule.id] = None if rule.rule.catch_all else True
            else:
                self.raw[rule.id] = None if rule.late else tested[rule.id]

    def test_late(self, rule: CompiledRule) -> None:
        """Test a rule whose condition reads the standing of rules of earlier stages, now settled."""
        if rule.late:
            assert rule.condition is not None
            standing = {rule_key(i): _STANDING.get(r, False) for i, r in self.result.items()}
            self.raw[rule.id] = self.tester([rule], {**self.facts, **standing})[rule.id]

    # -- helpers ---------------------------------------------------------------------------
    def read(self, rule: CompiledRule) -> dict[str, FactValue]:
        """The facts the rule's condition reads, by name, with their values."""
        values = self.values
        return {p: values[p] for p in rule.reads}

    def finding(self, rule: CompiledRule) -> Finding:
        return trusted(
            Finding, rule_id=rule.id, label=rule.rule.label, modality=rule.rule.modality, citation=rule.rule.citation,
            facts=self.read(rule))

    def settle(self, rules: tuple[CompiledRule, ...]) -> list[CompiledRule]:
        """Record results for one stage and apply its rules' defeats; return the rules that stand."""
        applying = []
        for rule in rules:
            self.test_late(rule)
            raw = self.raw[rule.id]
            if rule.rule.catch_all:
                self.result[rule.id] = "not_evaluable"
            elif rule.id in self.defeated_by:
                self.result[rule.id] = "defeated"
            elif raw is True:
                self.result[rule.id] = "applies"
                applying.append(rule)
            else:
                self.result[rule.id] = "undetermined" if raw is None else "does_not_apply"
        # Higher priority first; a defeated rule defeats nothing.
        for rule in sorted(applying, key=lambda r: (-r.rule.priority, r.index)):
            if self.result[rule.id] != "applies":
                continue
            for target in self.ruleset.targets(rule):
                if self.result.get(target.id) in (None, "applies") and target.id != rule.id:
                    self.defeat(target, rule)
        return [r for r in applying if self.result[r.id] == "applies"]

    def defeat(self, target: CompiledRule, by: CompiledRule) -> None:
        if self.raw[target.id] is not True:
            return  # only an applicable rule can be defeated; the rest keep their own result
        self.defeated_by[target.id].append(by.id)
        self.defeats[by.id].append(target.id)
        if target.id in self.result:
            self.result[target.id] = "defeated"

    def not_reached(self, *stages: str) -> None:
        for stage in stages:
            for rule in self.ruleset.stage(stage):  # type: ignore[arg-type]
                self.result[rule.id] = "not_reached"

    def unknown_facts(self, rule: CompiledRule) -> tuple[str, ...]:
        paths = rule.condition.paths if rule.condition else ()
        return tuple(sorted(p for p in paths if self.facts[p] is None))


def _result(value: bool | None) -> RuleResult:
    return "applies" if value else "undetermined" if value is None else "does_not_apply"


def _and3(*values: bool | None) -> bool | None:
    if any(v is False for v in values):
        return False
    return None if any(v is None for v in values) else True


def evaluate(ruleset: RuleSet, case: Case, *, decided: bool = False, backend: str = "default") -> Determination:
    """Evaluate ``case`` under ``ruleset``; see the module docstring for the stages.

    With ``decided``, the case records a decision already taken: its chosen measures establish
    accountability, so their consequences follow (used for a person's history of decisions).
    ``backend`` decides rule conditions: ``"default"`` (compiled closures) or ``"durable"``
    (durable-rules; single-threaded, see ``_durable``). Both give the same determination.

    Raises:
        ValueError: an unknown backend.
        DurableUnavailableError: (an ImportError) the durable backend without durable-rules installed.
    """
    if backend == "default":
        run = _Run(ruleset, case)
    elif backend == "durable":
        from guanzhi_rules._durable import DurableTester

        run = _Run(ruleset, case, DurableTester(ruleset))
    else:
        raise ValueError(f"unknown backend {backend!r}: expected one of {', '.join(map(repr, BACKENDS))}")

    # 1. Scope: the highest-priority applicable scope rule decides.
    scope_rules = run.settle(ruleset.stage("scope"))
    winner = min(scope_rules, key=lambda r: (-r.rule.priority, r.index), default=None)
    for other in scope_rules:
        if other is not winner:
            run.defeat(other, winner)  # type: ignore[arg-type]
    if winner is not None:
        outcome = winner.rule.then[0].scope
        assert outcome is not None
        scope = ScopeOutcome(outcome=outcome, finding=run.finding(winner), reason=winner.rule.label)
    elif any(run.result[r.id] == "undetermined" for r in ruleset.stage("scope")):
        scope = ScopeOutcome(outcome="undetermined", finding=None, reason=_SCOPE_UNKNOWN)
    else:
        scope = ScopeOutcome(outcome="not_covered", finding=None, reason=_NOT_COVERED)
    covered: bool | None = {"covered": True, "covered_by_reference": True, "undetermined": None}.get(scope.outcome, False)

    if covered is False:
        run.not_reached(*STAGES[1:])
        return _assemble(run, scope, accountable=False, exemption_granted=False, stood={})

    # 2-5. Circumstances, bars, exemptions, factors.
    stood: dict[str, list[CompiledRule]] = {}
    for stage in ("circumstance", "bar", "exemption", "aggravating", "mitigating"):
        stood[stage] = run.settle(ruleset.stage(stage))
    granted = any(r.rule.modality in MANDATORY for r in stood["exemption"])
    # A later stage (an exemption) may have defeated a circumstance that stood when it was settled.
    stood["circumstance"] = [r for r in stood["circumstance"] if run.result[r.id] == "applies"]
    if stood["circumstance"]:
        triggered: bool | None = True
    elif any(run.result[r.id] == "undetermined" for r in ruleset.stage("circumstance")):
        triggered = None
    else:
        triggered = False
    # An exemption that would be granted but hangs on an unknown fact leaves accountability open.
    maybe_exempt = any(
        r.rule.modality in MANDATORY and run.result[r.id] == "undetermined" for r in ruleset.stage("exemption"))
    accountable = False if granted else _and3(covered, triggered, None if maybe_exempt else True)
    if decided and case.decision.measures:
        accountable = True

    # 6. Sanction bands, only where accountability may follow.
    if accountable is False:
        run.not_reached("sanction_band")
        stood["sanction_band"] = []
    else:
        stood["sanction_band"] = run.settle(ruleset.stage("sanction_band"))
    return _assemble(run, scope, accountable=accountable, exemption_granted=granted, stood=stood)


def _exemption(run: _Run, stood: dict[str, list[CompiledRule]], granted: bool) -> ExemptionOutcome:
    ruleset = run.ruleset
    exemption_rules = ruleset.stage("exemption")
    silence = ruleset.silence("exemption")
    standing = stood.get("exemption", [])
    defeated = [r for r in exemption_rules if run.result.get(r.id) == "defeated"]
    bars = [r for r in stood.get("bar", []) if run.defeats.get(r.id)] or stood.get("bar", [])
    pending = tuple(r.id for r in ruleset.stage("bar") if run.result.get(r.id) == "undetermined")
    if granted:
        outcome = "granted"
    elif standing:
        outcome = "eligible"
    elif defeated:
        outcome = "barred"
    elif any(run.result.get(r.id) == "undetermined" for r in exemption_rules):
        outcome = "undetermined"
    elif not exemption_rules and silence is not None:
        outcome = "not_provided"
    else:
        outcome = "none"
    # The statement of a granted (mandatory) exemption speaks for the outcome before a discretionary one's.
    ordered = sorted(standing, key=lambda r: r.rule.modality not in MANDATORY)
    statements = [e.statement for r in ordered for e in r.rule.then if e.statement]
    return ExemptionOutcome(
        outcome=outcome,
        exemptions=tuple(run.finding(r) for r in (standing or defeated)),
        bars=tuple(run.finding(r) for r in bars),
        pending_bars=pending if outcome in ("granted", "eligible") else (),
        statement=statements[0] if statements else (silence.statement if silence and not exemption_rules else None),
    )


def _sanctions(run: _Run, stood: dict[str, list[CompiledRule]], accountable: bool | None) -> SanctionRange:
    ruleset = run.ruleset
    bands = stood.get("sanction_band", [])
    measures = {m.value for r in bands for e in r.rule.then for m in (e.measures or ())}
    factors = {e.factor for stage in ("aggravating", "mitigating") for r in stood.get(stage, []) for e in r.rule.then}
    heavier, lighter = "heavier" in factors, bool(factors & {"lighter", "reduced_or_lighter"})
    emphasis = "conflicting" if heavier and lighter else "heavier" if heavier else "lighter" if lighter else "none"
    mandatory = any(r.rule.modality in MANDATORY for r in bands)
    open_ended = any(e.open_ended for r in bands for e in r.rule.then)
    if accountable is False:
        statement = _NO_RANGE
    elif not bands:
        pending = any(run.result.get(r.id) == "undetermined" for r in ruleset.stage("sanction_band"))
        statement = _RANGE_UNKNOWN if pending else _NO_BAND
    else:
        statement = _RANGE_SHALL if mandatory else _RANGE_MAY
    return SanctionRange(
        accountable=accountable,
        measures=tuple(sorted(measures, key=ruleset.ladder_order.__getitem__)),
        bands=tuple(run.finding(r) for r in bands),
        open_ended=open_ended,
        mandatory=mandatory,
        discretionary=bool(bands) and (not mandatory or len(measures) > 1 or open_ended),
        reduced_below_range=bool(factors & {"reduced", "reduced_or_lighter"}),
        emphasis=emphasis,
        statement=statement,
    )


def _item(rule: CompiledRule, effect: Effect, start: dt.date | None, rectified: dt.date | None) -> ConsequenceItem:
    return ConsequenceItem(
        rule_id=rule.id, citation=rule.rule.citation, freeze=effect.freeze,
        period=_period(effect.freeze, start, rectified) if effect.freeze else None,
        awards=effect.awards, awards_year=start.year if effect.awards and start else None,
        annual_grade=effect.annual_grade, status=effect.status,
        statement=effect.statement)


def _period(freeze: Freeze, start: dt.date | None, rectified: dt.date | None) -> Period:
    """The freeze in dates: the decision day is not counted; a period of months ends on the corresponding day."""
    if freeze.length == "not_fixed":
        return Period(starts=_iso(start), last_day=None, free_from=None, note=_NOT_FIXED)
    if freeze.length == "indefinite":
        return Period(starts=_iso(start), last_day=None, free_from=None, note=_INDEFINITE)
    if start is None:
        return Period(starts=None, last_day=None, free_from=None, note=_NO_DECISION_DATE)
    if freeze.months is not None:
        last = _dates.period_end(start, freeze.months)
        note = Text(zh=f"自决定之日起{freeze.months}个月（决定当日不计入），至对应日止",
                    en=f"{freeze.months} months from the decision (the decision day not counted), to the corresponding day")
    elif rectified is None:
        return Period(starts=_iso(start), last_day=None, free_from=None, note=_UNTIL_RECTIFICATION)
    else:
        last = rectified
        note = Text(zh="自作出决定至问题整改到位", en="From the decision until rectification was complete")
    return Period(starts=_iso(start), last_day=_iso(last), free_from=_iso(last + dt.timedelta(days=1)), note=note)


def _choice(
    run: _Run, sanctions: SanctionRange, accountable: bool | None, stood: dict[str, list[CompiledRule]],
) -> ChoiceReview | None:
    """Review the chosen measures: on the ladder, within the range, and as the choice rules allow."""
    ruleset, decision = run.ruleset, run.case.decision
    measures = sorted((m.value for m in decision.measures), key=lambda m: (ruleset.ladder_order.get(m, (99, 0)), m))
    for rule in ruleset.stage("choice"):
        run.test_late(rule)
        raw = run.raw[rule.id]
        run.result[rule.id] = _result(raw)
    if not measures and not decision.discipline:
        return None
    findings: list[ChoiceFinding] = []
    undecided = accountable is None
    if measures and accountable is False:
        granted = next((r for r in stood.get("exemption", []) if r.rule.modality in MANDATORY), None)
        findings.append(ChoiceFinding(
            permitted=False, measure=None, reason=_NOT_ACCOUNTABLE, rule_id=granted.id if granted else None,
            citation=granted.rule.citation if granted else None))
    ladder_citation = ruleset.ladder.citations[0]
    ranks = [ruleset.ladder_order[m][0] for m in sanctions.measures]
    lightest, heaviest = min(ranks, default=0), max(ranks, default=0)
    for m in measures if accountable is not False else ():
        if m not in ruleset.ladder_order:
            findings.append(ChoiceFinding(permitted=False, measure=m, reason=_OFF_LADDER, rule_id=None, citation=ladder_citation))
        elif not sanctions.bands:
            undecided = True
        elif m not in sanctions.measures:
            rung = ruleset.ladder_order[m][0]
            below = sanctions.reduced_below_range and rung < lightest
            # 等 extends a list to measures of the same kind: read as those within the listed rungs.
            permitted = below or (sanctions.open_ended and lightest <= rung <= heaviest)
            reason = _BELOW_RANGE if below else _OPEN_RANGE if permitted else _OUT_OF_RANGE
            band = sanctions.bands[0]
            findings.append(ChoiceFinding(permitted=permitted, measure=m, reason=reason, rule_id=band.rule_id, citation=band.citation))
    for rule in ruleset.stage("choice"):
        if run.raw[rule.id] is None:
            undecided = True
        for effect in rule.rule.then if run.raw[rule.id] else ():
            assert effect.choice is not None
            findings.append(ChoiceFinding(
                permitted=effect.choice.permitted, measure=None, reason=effect.choice.reason, rule_id=rule.id,
                citation=rule.rule.citation))
    verdict: bool | None = False if any(not f.permitted for f in findings) else None if undecided else True
    return ChoiceReview(measures=tuple(measures), discipline=tuple(sorted(d.value for d in decision.discipline)),
                        permitted=verdict, findings=tuple(findings))


def _conversions(run: _Run, considered: list[str], start: dt.date | None) -> dict[str, tuple[str, dt.date]]:
    """Measures another converts into (停职检查 → 调离岗位), with the date each conversion takes effect."""
    rectified = run.case.dates.rectified
    converted: dict[str, tuple[str, dt.date]] = {}
    for rule in run.ruleset.stage("consequence"):
        if rule.rule.on != "measures" or start is None or rectified is None:
            continue
        run.test_late(rule)
        if run.raw[rule.id] is not True:
            continue
        for effect in rule.rule.then:
            freeze = effect.freeze
            if freeze is None or freeze.converts_to is None or freeze.converts_after_months is None:
                continue
            limit = _dates.period_end(start, freeze.converts_after_months)
            for m in (x.value for x in rule.rule.for_measures or ()):
                if m in considered and rectified > limit and freeze.converts_to.value not in considered:
                    converted[freeze.converts_to.value] = (m, limit + dt.timedelta(days=1))
    return converted


def _deadline(run: _Run, rule: CompiledRule, spec: Deadline) -> DeadlineFinding:
    start = run.facts[spec.after]
    count = _dates.add_working_days if spec.unit == "working_days" else _dates.add_days
    if start is None:
        computed = extended = None
    else:
        computed = count(start, spec.count)
        extended = count(start, spec.extended_count) if spec.extended_count else None
    finding = run.finding(rule)
    return DeadlineFinding(
        finding=finding.model_copy(update={"facts": {**finding.facts, spec.after: fact_value(start)}}),
        task=spec.task, after=spec.after, start=fact_value(start), count=spec.count, unit=spec.unit,
        due=_iso(computed.due if computed else None),
        status=computed.status if computed else "start_unknown",
        weekday_estimate=_iso(computed.weekday_estimate if computed else None),
        extendable=spec.extendable, extended_count=spec.extended_count,
        extended_due=_iso(extended.due if extended else None),
        note=computed.note if computed else f"{spec.after} is not in the case, so no date can be given",
    )


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _assemble(
    run: _Run, scope: ScopeOutcome, *, accountable: bool | None, exemption_granted: bool,
    stood: dict[str, list[CompiledRule]],
) -> Determination:
    ruleset, case, doc = run.ruleset, run.case, run.ruleset.file.document
    sanctions = _sanctions(run, stood, accountable)
    chosen = {m.value for m in case.decision.measures}
    if accountable is False:
        considered: list[str] = []  # no measure follows, so neither do its consequences
    elif chosen:
        considered = sorted(chosen & ruleset.ladder_order.keys(), key=ruleset.ladder_order.__getitem__)
    else:
        considered = list(sanctions.measures)

    # 7. Consequences: per measure, on accountability, on exemption, or unconditionally; freezes dated
    # from the decision (or, for a converted measure, from the day the conversion takes effect).
    decided, rectified = case.decision.date, case.dates.rectified
    converted = _conversions(run, considered, decided) if accountable is True else {}
    considered += list(converted)
    starts = {m: converted[m][1] if m in converted else decided for m in considered}
    per_measure: dict[str, list[ConsequenceItem]] = {m: [] for m in considered}
    general: list[ConsequenceItem] = []
    referrals: list[ReferralFinding] = []
    statements: list[Statement] = []
    reached = scope.outcome != "not_covered"
    gate = {"always": True, "accountable": accountable, "exempted": exemption_granted, "measures": accountable}
    for rule in ruleset.stage("consequence"):
        if not reached:
            continue
        run.test_late(rule)
        condition = _and3(gate[rule.rule.on or "always"], run.raw[rule.id])
        follows = [m for m in considered if m in {x.value for x in rule.rule.for_measures or ()}]
        if condition is True and rule.rule.on == "measures":
            condition = bool(follows)
        run.result[rule.id] = _result(condition)
        if condition is not True:
            continue
        for effect in rule.rule.then:
            if effect.referral:
                referrals.append(ReferralFinding(to=effect.referral, finding=run.finding(rule)))
            elif effect.organisation or (effect.statement and rule.rule.on != "measures"):
                kind = "organisation" if effect.organisation else "statement"
                text = effect.organisation or effect.statement
                assert text is not None
                statements.append(Statement(kind=kind, text=text, finding=run.finding(rule)))
            elif rule.rule.on == "measures":
                for m in follows:
                    per_measure[m].append(_item(rule, effect, starts[m], rectified))
            else:
                general.append(_item(rule, effect, decided, rectified))

    # 8. The decision-maker's choice, if any: checked against the range and the rules on choosing.
    choice = _choice(run, sanctions, accountable, stood) if reached else None

    # 9. Procedure: time limits counted from dates in the case.
    deadlines: list[DeadlineFinding] = []
    for rule in ruleset.stage("procedure"):
        if not reached:
            run.result[rule.id] = "not_reached"
            continue
        run.test_late(rule)
        raw = run.raw[rule.id]
        run.result[rule.id] = _result(raw)
        if raw is True:
            deadlines += [_deadline(run, rule, e.deadline) for e in rule.rule.then if e.deadline]

    circumstances = tuple(
        Circumstance(category=next(e.category for e in r.rule.then if e.category), finding=run.finding(r))
        for r in stood.get("circumstance", []))
    factors = tuple(
        FactorFinding(factor=e.factor, finding=run.finding(r))
        for stage in ("aggravating", "mitigating") for r in stood.get(stage, []) for e in r.rule.then if e.factor)
    catch_alls = tuple(r.id for r in ruleset if r.rule.catch_all)

    not_decided = [s.statement for s in ruleset.file.silent_on]
    if reached and not circumstances and catch_alls:
        not_decided.append(_CATCH_ALL)

    open_questions = tuple(
        OpenQuestion(rule_id=r.id, stage=r.rule.stage, unknown_facts=run.unknown_facts(r))
        for r in ruleset if run.result.get(r.id) == "undetermined")

    trace = tuple(
        trusted(
            TraceStep, step=i, rule_id=r.id, stage=r.rule.stage, citation=r.rule.citation,
            facts={} if run.result[r.id] == "not_reached" else run.read(r),
            result=run.result[r.id], defeats=tuple(run.defeats.get(r.id, ())),
            defeated_by=tuple(run.defeated_by.get(r.id, ())))
        for i, r in enumerate(ruleset.in_trace_order, start=1))

    return Determination(
        jurisdiction=Jurisdiction(key=doc.key, title=doc.title, number=doc.number, issued=str(doc.issued)),
        case_id=case.id,
        scope=scope,
        circumstances=circumstances,
        catch_alls=catch_alls,
        exemption=_exemption(run, stood, exemption_granted),
        factors=factors,
        sanctions=sanctions,
        consequences=tuple(
            MeasureConsequences(measure=m, chosen=m in chosen, items=tuple(per_measure[m]),
                                converted_from=converted[m][0] if m in converted else None) for m in considered),
        general_consequences=tuple(general),
        referrals=tuple(referrals),
        statements=tuple(statements),
        choice=choice,
        deadlines=tuple(deadlines),
        not_decided=tuple(not_decided),
        open_questions=open_questions,
        trace=trace,
        fingerprints=Fingerprints(
            engine_version=_version.__version__,
            ruleset_sha256=ruleset.sha256,
            case_sha256=case_sha256(case),
        ),
    )
