"""Assembling a determination: the records of what the traced evaluator decided.

``_evaluator`` decides; this module only writes it down: findings with the facts each rule read,
the exemption and sanction records, consequence items with their dates, deadlines, open
questions, the trace and the fingerprints. The fixed wordings a determination carries (why a
subject is not covered, what a range means, why a chosen measure is not permitted) are here.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from guanzhi_rules import _dates, _space, _timeplace, _version
from guanzhi_rules._case import case_sha256
from guanzhi_rules._determination import (
    ChoiceFinding,
    ChoiceReview,
    Circumstance,
    ConsequenceItem,
    DeadlineFinding,
    Deferred,
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
    SanctionRange,
    ScopeOutcome,
    Statement,
    TraceStep,
    fact_value,
    trusted,
)
from guanzhi_rules._facts import FACTS
from guanzhi_rules._pipeline import RuleResult, mandatory, unknown_facts
from guanzhi_rules._rulefile import Cited, Deadline, Effect, Freeze, Text

if TYPE_CHECKING:
    from guanzhi_rules._case import Case
    from guanzhi_rules._compiler import CompiledRule
    from guanzhi_rules._evaluator import Decision
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


def _interim_silence(zh: str, en: str) -> Text:
    return Text(zh=f"调查期间采取的临时措施（{zh}）不是问责方式，不计入所作处理；本文件对临时措施未作规定",
                en=f"The interim measures taken during the investigation ({en}) are not measures of accountability and do "
                   "not count as the handling chosen; this document says nothing of interim measures")


def _grade_silence(zh: str, en: str) -> Text:
    return Text(zh=f"所给予处分（{zh}）的影响期及其长度，本文件未作规定；其他法规规定的影响期不在此推定",
                en=f"This document sets no influence period for the discipline imposed ({en}), nor its length; periods "
                   "set by other regulations are not assumed here")


_SILENT_RECORDS = (("inquiry.interim_measures", _interim_silence), ("decision.discipline_grades", _grade_silence))
"""Facts a case records that a rule set may not read: where none of its rules does, the determination says the document is silent."""


def _silent_records(ruleset: RuleSet, facts: Mapping[str, object]) -> list[Text]:
    """What the document does not say about the interim measures and grades of discipline the case records."""
    return [_silence(path, say, facts[path]) for path, say in _unread_records(ruleset) if facts[path]]


@functools.lru_cache(maxsize=1024)  # a handful of measures or grades recorded: few distinct sets
def _silence(path: str, say: Callable[[str, str], Text], recorded: frozenset[object]) -> Text:
    vocabulary = FACTS[path].values
    assert vocabulary is not None
    names = [member for member in vocabulary if member in recorded]  # in the vocabulary's order
    return say("、".join(v.zh for v in names), ", ".join(v.en for v in names))


@functools.lru_cache(maxsize=64)  # rule sets are immutable; the loader keeps about as many
def _unread_records(ruleset: RuleSet) -> tuple[tuple[str, Callable[[str, str], Text]], ...]:
    """The records of ``_SILENT_RECORDS`` that no rule of the rule set reads."""
    return tuple((path, say) for path, say in _SILENT_RECORDS if not any(path in rule.reads for rule in ruleset))


_DECIDING = frozenset({"scope", "circumstance", "bar", "exemption"})
"""The stages whose open questions decide whether accountability follows."""


class Values(dict[str, FactValue]):
    """Fact values as a determination shows them, each converted once, when first read."""

    def __init__(self, facts: Mapping[str, object]) -> None:
        super().__init__()
        self.facts = facts

    def __missing__(self, path: str) -> FactValue:
        value = self[path] = fact_value(self.facts[path])
        return value


class _Records:
    """Builds the records of one decision, reading each fact value once."""

    def __init__(self, d: Decision) -> None:
        self.d, self.state, self.values = d, d.state, Values(d.state.facts)

    def read(self, rule: CompiledRule) -> dict[str, FactValue]:
        """The facts the rule's condition reads, by name, with their values."""
        values = self.values
        return {p: values[p] for p in rule.reads}

    def finding(self, rule: CompiledRule) -> Finding:
        r = rule.rule
        return trusted(Finding, rule_id=rule.id, label=r.label, modality=r.modality, citation=rule.cited, facts=self.read(rule))

    def scope(self) -> ScopeOutcome:
        d = self.d
        if d.scope_rule is not None:
            return trusted(ScopeOutcome, outcome=d.scope, finding=self.finding(d.scope_rule), reason=d.scope_rule.rule.label)
        return trusted(ScopeOutcome, outcome=d.scope, finding=None, reason=_SCOPE_UNKNOWN if d.scope == "undetermined" else _NOT_COVERED)

    def exemption(self) -> ExemptionOutcome:
        d, state = self.d, self.state
        ruleset = state.plan.ruleset
        rules, silence = ruleset.stage("exemption"), ruleset.silence("exemption")
        standing = d.stood.get("exemption", [])
        defeated = [r for r in rules if state.result.get(r.id) == "defeated"]
        bars = [r for r in d.stood.get("bar", []) if state.defeats.get(r.id)] or d.stood.get("bar", [])
        pending = tuple(r.id for r in ruleset.stage("bar") if state.result.get(r.id) == "undetermined")
        # The statement of a granted (mandatory) exemption speaks for the outcome before a discretionary one's.
        statements = [e.statement for r in sorted(standing, key=lambda r: not mandatory(r)) for e in r.rule.then if e.statement]
        return trusted(
            ExemptionOutcome, outcome=d.exemption,
            exemptions=tuple(self.finding(r) for r in (standing or defeated)),
            bars=tuple(self.finding(r) for r in bars),
            pending_bars=pending if d.exemption in ("granted", "eligible") else (),
            statement=statements[0] if statements else (silence.statement if silence and not rules else None),
        )

    def sanctions(self) -> SanctionRange:
        d, rng = self.d, self.d.range
        if d.accountable is False:
            statement = _NO_RANGE
        elif not rng.bands:
            statement = _RANGE_UNKNOWN if rng.pending else _NO_BAND
        else:
            statement = _RANGE_SHALL if rng.mandatory else _RANGE_MAY
        return trusted(
            SanctionRange, accountable=d.accountable, measures=rng.measures, bands=tuple(self.finding(r) for r in rng.bands),
            open_ended=rng.open_ended, mandatory=rng.mandatory, discretionary=rng.discretionary,
            reduced_below_range=rng.reduced_below_range, emphasis=rng.emphasis, statement=statement)

    def consequences(
        self,
    ) -> tuple[tuple[MeasureConsequences, ...], tuple[ConsequenceItem, ...], tuple[ReferralFinding, ...], tuple[Statement, ...]]:
        """Consequence items per measure and general ones, referrals and statements, in rule order."""
        d = self.d
        decided, rectified = d.case.decision.date, d.case.dates.rectified
        per_measure: dict[str, list[ConsequenceItem]] = {m: [] for m in d.considered}
        general: list[ConsequenceItem] = []
        referrals: list[ReferralFinding] = []
        statements: list[Statement] = []
        for rule, effect, follows in d.consequences:
            on_measures = rule.rule.attaches == "measures"
            if effect.referral:
                referrals.append(trusted(ReferralFinding, to=effect.referral, finding=self.finding(rule)))
            elif effect.organisation or (effect.statement and not on_measures):
                text = effect.organisation or effect.statement
                assert text is not None
                statements.append(trusted(Statement, kind="organisation" if effect.organisation else "statement", text=text,
                                            finding=self.finding(rule)))
            elif on_measures:
                for m in follows:
                    start = d.converted[m][1] if m in d.converted else decided
                    per_measure[m].append(_item(rule, effect, start, rectified))
            else:
                general.append(_item(rule, effect, decided, rectified))
        chosen = {m.value for m in d.case.decision.measures}
        measures = tuple(
            trusted(MeasureConsequences, measure=m, chosen=m in chosen, items=tuple(per_measure[m]),
                                converted_from=d.converted[m][0] if m in d.converted else None) for m in d.considered)
        return measures, tuple(general), tuple(referrals), tuple(statements)

    def circumstances(self) -> tuple[Circumstance, ...]:
        return tuple(
            trusted(Circumstance, category=next(e.category for e in r.rule.then if e.category), finding=self.finding(r))
            for r in self.d.stood.get("circumstance", []))

    def factors(self) -> tuple[FactorFinding, ...]:
        stood = self.d.stood
        return tuple(
            trusted(FactorFinding, factor=e.factor, finding=self.finding(r))
            for stage in ("aggravating", "mitigating") for r in stood.get(stage, []) for e in r.rule.then if e.factor)

    def deadlines(self) -> tuple[DeadlineFinding, ...]:
        return tuple(self.deadline(rule, e.deadline) for rule, e in self.d.deadlines if e.deadline)

    def not_decided(self) -> tuple[Text, ...]:
        """What the document leaves undecided: its silences, the records no rule reads, an open catch-all list."""
        d, ruleset = self.d, self.state.plan.ruleset
        not_decided = [s.statement for s in ruleset.file.silent_on] + _silent_records(ruleset, self.state.facts)
        if d.reached and not d.stood.get("circumstance") and self.state.plan.open_catch_alls:
            not_decided.append(_CATCH_ALL)
        return tuple(not_decided)

    def choice(self) -> ChoiceReview | None:
        """The review of the chosen measures: on the ladder, within the range, and as the choice rules allow (None:
        the case is not reached, or records no measure or discipline)."""
        d, state = self.d, self.state
        ruleset, decision = state.plan.ruleset, d.case.decision
        if not d.reached:
            return None
        measures = sorted((m.value for m in decision.measures), key=lambda m: (ruleset.ladder_order.get(m, (99, 0)), m))
        if not measures and not decision.discipline:
            return None
        findings: list[ChoiceFinding] = []
        undecided = d.accountable is None
        if measures and d.accountable is False:
            granted = next((r for r in d.stood.get("exemption", []) if mandatory(r)), None)
            findings.append(not_accountable(granted))
        elif measures:
            undecided |= _review_measures(d, measures, findings)
        for rule in state.plan.stages["choice"]:
            raw = state.raw[rule.id]
            undecided |= raw is None
            findings += [choice_rule(rule, e) for e in rule.rule.then] if raw else []
        verdict: bool | None = False if any(not f.permitted for f in findings) else None if undecided else True
        return trusted(ChoiceReview, measures=tuple(measures), discipline=tuple(sorted(x.value for x in decision.discipline)),
                       permitted=verdict, findings=tuple(findings),
                       discipline_grades=tuple(sorted(x.value for x in decision.discipline_grades)))

    def deadline(self, rule: CompiledRule, spec: Deadline) -> DeadlineFinding:
        start = self.state.facts[spec.after]
        count = _dates.add_working_days if spec.unit == "working_days" else _dates.add_days
        if start is None:
            computed = extended = None
        else:
            computed = count(start, spec.count)
            extended = count(start, spec.extended_count) if spec.extended_count else None
        finding = self.finding(rule)
        return trusted(
            DeadlineFinding, finding=finding.model_copy(update={"facts": {**finding.facts, spec.after: fact_value(start)}}),
            task=spec.task, after=spec.after, start=fact_value(start), count=spec.count, unit=spec.unit,
            due=_iso(computed.due if computed else None),
            status=computed.status if computed else "start_unknown",
            weekday_estimate=_iso(computed.weekday_estimate if computed else None),
            extendable=spec.extendable, extended_count=spec.extended_count,
            extended_due=_iso(extended.due if extended else None),
            note=computed.note if computed else f"{spec.after} is not in the case, so no date can be given",
            due_on_rest_day=computed.rest_day if computed else None,
            next_working_day=_iso(computed.next_working_day if computed else None),
        )


def _review_measures(d: Decision, measures: list[str], findings: list[ChoiceFinding]) -> bool:
    """Check each chosen measure against the ladder and the range; return whether the range is still open."""
    ruleset, rng = d.state.plan.ruleset, d.range
    ranks = [ruleset.ladder_order[m][0] for m in rng.measures]
    lightest, heaviest = min(ranks, default=0), max(ranks, default=0)
    undecided = False
    for m in measures:
        if m not in ruleset.ladder_order:
            findings.append(off_ladder(ruleset, m))
        elif not rng.bands:
            undecided = True
        elif m not in rng.measures:
            rung = ruleset.ladder_order[m][0]
            below = rng.reduced_below_range and rung < lightest
            # 等 extends a list to measures of the same kind: read as those within the listed rungs.
            permitted = below or (rng.open_ended and lightest <= rung <= heaviest)
            findings.append(outside_range(rng.bands[0], m, below=below, permitted=permitted))
    return undecided


def determination(d: Decision) -> Determination:
    """The determination that records decision ``d``.

    What the decision says is decided already; its records (findings with the facts each rule read,
    the exemption and sanction records, consequence items with their dates, deadlines, what the
    document leaves undecided), the trace, the open questions, the fingerprints and the decision
    space are kept as what they are built from and built on first read (``Deferred``), each once.
    Nothing may change ``d`` afterwards: the deferred parts read it when they are built.
    """
    records, state, case = _Records(d), d.state, d.case
    ruleset, facts, result = state.plan.ruleset, state.facts, state.result
    doc = ruleset.file.document
    consequences = Deferred(records.consequences)
    questions = Deferred(open_questions, ruleset, facts, result)
    return trusted(
        Determination,
        jurisdiction=_jurisdiction(doc.key, doc.title, doc.number, str(doc.issued)),
        case_id=case.id,
        time_and_place=Deferred(_timeplace.time_and_place, ruleset, case),
        scope=Deferred(records.scope),
        circumstances=Deferred(records.circumstances),
        catch_alls=state.plan.catch_alls,
        exemption=Deferred(records.exemption),
        factors=Deferred(records.factors),
        sanctions=Deferred(records.sanctions),
        consequences=Deferred(_part, consequences, 0),
        general_consequences=Deferred(_part, consequences, 1),
        referrals=Deferred(_part, consequences, 2),
        statements=Deferred(_part, consequences, 3),
        choice=Deferred(records.choice),
        deadlines=Deferred(records.deadlines),
        not_decided=Deferred(records.not_decided),
        open_questions=questions,
        # Only a rule left undetermined can wait for a judgement point: else there is no space to build.
        decision_space=_space.deferred_space(d, questions) if "undetermined" in result.values() else None,
        sensitivity=None,
        trace=Deferred(trace, ruleset.in_trace_order, result, state.defeats, state.defeated_by, records.values),
        fingerprints=Deferred(fingerprints, ruleset, case),
    )


def _part(parts: Deferred, i: int) -> Any:
    """Part ``i`` of parts built together (the consequence records)."""
    return parts.value()[i]


@functools.lru_cache(maxsize=64)
def _jurisdiction(key: str, title: str, number: str | None, issued: str) -> Jurisdiction:
    """The jurisdiction record, one per rule set (a frozen record shared by its determinations)."""
    return Jurisdiction(key=key, title=title, number=number, issued=issued)


def trace(
    rules: Sequence[CompiledRule], result: Mapping[str, RuleResult], defeats: Mapping[str, list[str]],
    defeated_by: Mapping[str, list[str]], values: Values,
) -> tuple[TraceStep, ...]:
    """The trace: one step per rule in trace order, with its result, the facts it read and who defeated whom."""
    steps = []
    for i, r in enumerate(rules, start=1):
        outcome = result[r.id]
        steps.append(trusted(
            TraceStep, step=i, rule_id=r.id, stage=r.rule.stage, citation=r.cited,
            facts={} if outcome == "not_reached" else {p: values[p] for p in r.reads},
            result=outcome, defeats=tuple(defeats.get(r.id, ())), defeated_by=tuple(defeated_by.get(r.id, ()))))
    return tuple(steps)


def open_questions(ruleset: RuleSet, facts: Mapping[str, object], result: Mapping[str, RuleResult]) -> tuple[OpenQuestion, ...]:
    """The rules the facts could not decide, each with the unknown facts it waits for."""
    own = {r.id: unknown_facts(r, facts, result) for r in ruleset if result.get(r.id) == "undetermined"}
    # A rule open only because accountability is (a consequence's gate, a band) waits for what accountability waits for.
    deciding = tuple(sorted({f for rid, waits in own.items() if ruleset.rule(rid).rule.stage in _DECIDING for f in waits}))
    return tuple(
        trusted(OpenQuestion, rule_id=rid, stage=ruleset.rule(rid).rule.stage, unknown_facts=waits or deciding)
        for rid, waits in own.items())


def fingerprints(ruleset: RuleSet, case: Case) -> Fingerprints:
    """What the determination was computed from: engine version, rule-set hash, case hash, rule-set version."""
    return trusted(Fingerprints, engine_version=_version.__version__, ruleset_sha256=ruleset.sha256,
                   case_sha256=case_sha256(case), version=ruleset.version)


def _item(rule: CompiledRule, effect: Effect, start: dt.date | None, rectified: dt.date | None) -> ConsequenceItem:
    return trusted(
        ConsequenceItem, rule_id=rule.id, citation=rule.cited, freeze=effect.freeze,
        period=_period(effect.freeze, start, rectified) if effect.freeze else None,
        awards=effect.awards, awards_year=start.year if effect.awards and start else None,
        annual_grade=effect.annual_grade, annual_grade_year=start.year if effect.annual_grade and start else None,
        status=effect.status,
        statement=effect.statement)


def _period(freeze: Freeze, start: dt.date | None, rectified: dt.date | None) -> Period:
    """The freeze in dates: the decision day is not counted; a period of months ends on the corresponding day."""
    if freeze.length == "not_fixed":
        return trusted(Period, starts=_iso(start), last_day=None, free_from=None, note=_NOT_FIXED)
    if freeze.length == "indefinite":
        return trusted(Period, starts=_iso(start), last_day=None, free_from=None, note=_INDEFINITE)
    if start is None:
        return trusted(Period, starts=None, last_day=None, free_from=None, note=_NO_DECISION_DATE)
    if freeze.months is not None:
        last = _dates.period_end(start, freeze.months)
        note = Text(zh=f"自决定之日起{freeze.months}个月（决定当日不计入），至对应日止",
                    en=f"{freeze.months} months from the decision (the decision day not counted), to the corresponding day")
    elif rectified is None:
        return trusted(Period, starts=_iso(start), last_day=None, free_from=None, note=_UNTIL_RECTIFICATION)
    else:
        last = rectified
        note = Text(zh="自作出决定至问题整改到位", en="From the decision until rectification was complete")
    return trusted(Period, starts=_iso(start), last_day=_iso(last), free_from=_iso(last + dt.timedelta(days=1)), note=note)


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


# -- findings of the choice review ----------------------------------------------------------------


def not_accountable(granted: CompiledRule | None) -> ChoiceFinding:
    """A measure was chosen where no accountability follows (an exemption granted, or no circumstance)."""
    return trusted(ChoiceFinding, permitted=False, measure=None, reason=_NOT_ACCOUNTABLE, rule_id=granted.id if granted else None,
                   citation=granted.cited if granted else None)


def off_ladder(ruleset: RuleSet, measure: str) -> ChoiceFinding:
    """A measure the document does not provide."""
    return trusted(ChoiceFinding, permitted=False, measure=measure, reason=_OFF_LADDER, rule_id=None,
                   citation=Cited.of(ruleset.ladder.citations[0]))


def outside_range(band: CompiledRule, measure: str, *, below: bool, permitted: bool) -> ChoiceFinding:
    """A measure on the ladder but not in the range: below it by a reducing factor, within an open list, or outside."""
    reason = _BELOW_RANGE if below else _OPEN_RANGE if permitted else _OUT_OF_RANGE
    return trusted(ChoiceFinding, permitted=permitted, measure=measure, reason=reason, rule_id=band.id, citation=band.cited)


def choice_rule(rule: CompiledRule, effect: Effect) -> ChoiceFinding:
    """What a rule on choosing says of the choice."""
    assert effect.choice is not None
    return trusted(ChoiceFinding, permitted=effect.choice.permitted, measure=None, reason=effect.choice.reason, rule_id=rule.id,
                   citation=rule.cited)
