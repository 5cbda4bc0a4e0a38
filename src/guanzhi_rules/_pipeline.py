"""The pipeline's semantics, each written once: for one case and, side by side, for columns of cases.

Both evaluators walk the same stages (scope → circumstances → bars → exemptions → factors →
sanction bands → consequences → choice → procedure) and decide each by the functions here: the
traced evaluator (``_evaluator``) for one case with Python values, the batch evaluator
(``_batch``) for a population with numpy columns. ``explain``, ``check`` and ``strategies`` read
the same definitions. Where a semantic exists in both forms, the two are written next to each
other, the column form named ``..._columns``; the differential tests hold every row of the batch
path to the traced one.

What lives here:

- result codes and how an ``applies`` condition reads a rule's result (its *standing*);
- the precedence of rules (higher priority first, then file order);
- rules without a condition, and settling a stage: results, then defeats in precedence order;
- the scope winner; accountability; the exemption ladder; the sanction range's measures;
- which measures' consequences are considered, the 停职检查 → 调离岗位 conversion, consequence gates;
- the per-rule-set ``Plan`` both evaluators share (stage lists, precedence orders, targets).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

from guanzhi_rules import _dates
from guanzhi_rules._backends import closures
from guanzhi_rules._conditions import Applies, Comparison, rule_key, walk
from guanzhi_rules._logic import Kleene, all3, all_columns
from guanzhi_rules._rulefile import MANDATORY, STAGES, Freeze, Stage

if TYPE_CHECKING:
    from guanzhi_rules._backends import Tester
    from guanzhi_rules._compiler import CompiledRule
    from guanzhi_rules._ruleset import RuleSet

# -- results ------------------------------------------------------------------------------------

RuleResult = Literal["applies", "does_not_apply", "undetermined", "not_evaluable", "defeated", "not_reached"]
"""What the trace says of one rule."""

RESULTS: tuple[RuleResult, ...] = ("applies", "does_not_apply", "undetermined", "not_evaluable", "defeated", "not_reached")
"""Every rule result; a result's position is its code in the batch path's result matrix."""

APPLIES, DOES_NOT_APPLY, UNDETERMINED, NOT_EVALUABLE, DEFEATED, NOT_REACHED = range(len(RESULTS))
UNSET = -1
"""The code of a rule not settled yet (batch path)."""

STANDING: Mapping[str, bool | None] = {"applies": True, "undetermined": None, "not_evaluable": None}
"""How an ``applies`` condition reads a rule's result: a rule that applies stands, an open one (undetermined,
or a catch-all awaiting a finding) is unknown; any other result is false."""


_OPEN = tuple(RESULTS.index(result) for result, value in STANDING.items() if value is None)

_STANDINGS: Mapping[str, bool | None] = {result: STANDING.get(result, False) for result in RESULTS}
"""``standing`` of every result, looked up (``CaseState.late_facts`` reads many at once)."""


def standing(result: str) -> bool | None:
    """The standing of a rule with this result, as an ``applies`` condition reads it."""
    return STANDING.get(result, False)


def standing_columns(codes: Any) -> Kleene:
    """The standing of one rule in every row, from its result codes."""
    false = codes != APPLIES
    for code in _OPEN:
        false &= codes != code
    return codes == APPLIES, false


_RESULT_OF: Mapping[bool | None, RuleResult] = {True: "applies", None: "undetermined", False: "does_not_apply"}


def result_of(value: bool | None) -> RuleResult:
    """The result of a rule whose condition has this value, when nothing defeats it."""
    return _RESULT_OF[value]


def result_columns(true: Any, false: Any) -> Any:
    """``result_of`` for a column: result codes (int8) from a condition's (true, false) rows."""
    import numpy as np  # noqa: PLC0415 - only the batch path needs numpy

    int8 = np.int8  # arithmetic on int8 views (true and false never both hold): no wider temporaries
    return int8(UNDETERMINED) - true.view(int8) * int8(UNDETERMINED - APPLIES) - false.view(int8) * int8(UNDETERMINED - DOES_NOT_APPLY)


def unconditioned(rule: CompiledRule) -> bool | None:
    """The value of a rule without a condition: a catch-all awaits a finding (unknown); any other always holds."""
    return None if rule.rule.catch_all else True


def precedence(rule: CompiledRule) -> tuple[int, int]:
    """Sort key of rules that compete: higher priority first, then the earlier in the file."""
    return (-rule.rule.priority, rule.index)


def unknown_facts(rule: CompiledRule, facts: Mapping[str, Any], results: Mapping[str, str]) -> tuple[str, ...]:
    """The unknown facts a rule waits for: those its condition reads, and those of the open rules whose standing it reads."""
    unknown: set[str] = set()
    for part in walk(rule.condition) if rule.condition is not None else ():
        paths: frozenset[str] = part.paths if isinstance(part, Comparison) else frozenset()
        if isinstance(part, Applies):
            open_ = (t for r, t in zip(part.rule_ids, part.targets, strict=True) if t is not None and standing(results[r]) is None)
            paths = frozenset().union(*(t.paths for t in open_))
        unknown.update(p for p in paths if facts[p] is None)
    return tuple(sorted(unknown))


# -- the plan -----------------------------------------------------------------------------------


class Plan:
    """What both evaluators precompute for one rule set: stages, precedence orders and defeat targets."""

    __slots__ = (
        "asking", "band_measures", "catch_alls", "consequences", "defeaters", "early", "early_tests", "for_measures", "ids",
        "listed", "open_catch_alls", "order", "raw", "ruleset", "stage_reads", "stages", "standings_read", "targets")

    def __init__(self, ruleset: RuleSet) -> None:
        self.ruleset = ruleset
        self.stages: Mapping[str, tuple[CompiledRule, ...]] = {s: ruleset.stage(s) for s in STAGES}
        self.order: Mapping[str, tuple[CompiledRule, ...]] = {
            s: tuple(sorted(rules, key=precedence)) for s, rules in self.stages.items()}
        """Each stage's rules in precedence order: the order in which applicable rules defeat their targets."""
        self.targets: Mapping[str, tuple[CompiledRule, ...]] = {
            r.id: tuple(t for t in ruleset.targets(r) if t.id != r.id) for r in ruleset}
        """The rules each rule defeats when it applies (never itself)."""
        self.defeaters: Mapping[str, tuple[tuple[CompiledRule, tuple[CompiledRule, ...]], ...]] = {
            s: tuple((r, self.targets[r.id]) for r in rules if self.targets[r.id]) for s, rules in self.order.items()}
        """Each stage's rules that defeat others, in precedence order, with their targets."""
        self.ids: Mapping[str, tuple[str, ...]] = {s: tuple(r.id for r in rules) for s, rules in self.stages.items()}
        self.for_measures: Mapping[str, frozenset[str]] = {r.id: frozenset(m.value for m in r.rule.for_measures or ()) for r in ruleset}
        """The measures whose consequences each rule gives (``for_measures``)."""
        self.consequences = tuple(
            (r, GATES[r.rule.attaches or "always"], self.for_measures[r.id] if r.rule.attaches == "measures" else None)
            for r in self.stages["consequence"])
        """Each consequence rule, what it waits for (``GATES``) and, attaching on measures, the measures it follows."""
        early = [r for r in ruleset if r.condition is not None and not r.late]
        self.early: tuple[tuple[CompiledRule, ...], tuple[CompiledRule, ...]] = (
            tuple(r for r in early if r.rule.stage == "scope"), tuple(r for r in early if r.rule.stage != "scope"))
        """Rules whose conditions are tested up front (the rest read earlier rules' standing): the scope's, then, once
        the scope is reached, the others."""
        self.early_tests = tuple(tuple((r.id, r.condition.test) for r in rules if r.condition is not None) for rules in self.early)
        """The early rules' ids and compiled tests, as the default backend (``closures``) calls them."""
        self.raw: Mapping[str, bool | None] = {r.id: unconditioned(r) if r.condition is None else None for r in ruleset}
        """Each rule's raw value before any condition is tested: a rule without one has its value already."""
        read = {r.id: tuple(dict.fromkeys(i for part in walk(r.condition) if isinstance(part, Applies) for i in part.rule_ids))
                for r in ruleset if r.late and r.condition is not None}
        self.standings_read: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
            rid: (ids, tuple(map(rule_key, ids))) for rid, ids in read.items()}
        """For each late rule, the rules whose standing it reads (all of earlier stages), and where it reads each (``rule_key``)."""
        self.stage_reads: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
        for stage, rules in self.stages.items():
            ids = tuple(dict.fromkeys(i for r in rules if r.id in read for i in read[r.id]))
            self.stage_reads[stage] = (ids, tuple(map(rule_key, ids)))
        """For each stage, the rules whose standing any of its late rules reads, and where."""
        self.band_measures: Mapping[str, tuple[str, ...]] = {
            r.id: tuple(dict.fromkeys(m.value for e in r.rule.then for m in e.measures or ())) for r in self.stages["sanction_band"]}
        self.catch_alls = tuple(r.id for r in ruleset if r.rule.catch_all)
        self.asking: Mapping[str, tuple[CompiledRule, ...]] = {
            s: tuple(r for r in rules if r.rule.catch_all and r.condition is not None) for s, rules in self.stages.items()}
        """Each stage's catch-alls that ask for a finding: they apply (and ask) only where no listed item of the stage applies."""
        self.listed: Mapping[str, tuple[CompiledRule, ...]] = {
            s: tuple(r for r in rules if not r.rule.catch_all) for s, rules in self.stages.items()}
        self.open_catch_alls = frozenset(r.id for r in ruleset if r.rule.catch_all and r.condition is None)
        """Catch-alls that only say a list is open: no condition says where a finding under them is asked."""


@functools.lru_cache(maxsize=64)
def plan_of(ruleset: RuleSet) -> Plan:
    """The rule set's plan, built once per rule set object (a few dozen rule sets at a time at most)."""
    return Plan(ruleset)


# -- settling stages: one case ------------------------------------------------------------------


class CaseState:
    """One case being decided: each rule's raw condition value, result, and who defeated whom."""

    def __init__(self, plan: Plan, facts: Mapping[str, Any], tester: Tester) -> None:
        """Test the scope's conditions: the others only if the case reaches them (``reached``)."""
        self.plan, self.facts, self.tester = plan, facts, tester
        self.raw: dict[str, bool | None] = {**plan.raw, **self._test(0)}
        self.result: dict[str, RuleResult] = {}
        self.view: dict[str, Any] | None = None
        """The facts and the standings late conditions read (made at the first late test)."""
        self.current: Stage | None = None
        """The stage whose late rules the view's standings are current for."""
        self.defeated_by: dict[str, list[str]] = defaultdict(list)
        self.defeats: dict[str, list[str]] = defaultdict(list)

    def _test(self, part: int) -> Mapping[str, bool | None]:
        """The raw values of one part of the plan's early rules (``Plan.early``)."""
        if self.tester is closures:  # the default backend, its calls made here
            facts = self.facts
            return {rule_id: test(facts) for rule_id, test in self.plan.early_tests[part]}
        return self.tester(self.plan.early[part], self.facts)

    def reached(self) -> None:
        """The case may be covered: test the early conditions of the stages after the scope."""
        self.raw.update(self._test(1))

    def test_late(self, rule: CompiledRule) -> bool | None:
        """The raw value of ``rule``; one reading earlier rules' standing is tested now they are settled."""
        if not rule.late:
            return self.raw[rule.id]
        view = self.late_facts(rule)
        assert rule.condition is not None
        value = rule.condition.test(view) if self.tester is closures else self.tester([rule], view)[rule.id]
        self.raw[rule.id] = value
        return value

    def late_facts(self, rule: CompiledRule) -> dict[str, Any]:
        """The facts with the standing (under ``rule_key``) of each settled rule ``rule`` reads, as its condition reads them.

        One view per case, made at the first late test; the standings its stage's late rules read are set
        afresh at the first late test of a stage and after any defeat or rule not reached. Late rules read
        rules of earlier stages only, and those change result after their own stage only so (a stage's
        rules are recorded before a later stage is tested): copying the facts, or setting the standings,
        for each late rule cost more than its test.
        """
        view, stage = self.view, rule.rule.stage
        if view is None:
            view = self.view = dict(self.facts)
        if self.current != stage:
            ids, keys = self.plan.stage_reads[stage]  # rules of earlier stages: all settled by now
            view.update(zip(keys, map(_STANDINGS.__getitem__, map(self.result.__getitem__, ids)), strict=True))
            self.current = stage
        return view

    def decided(self) -> None:
        """Deciding is over: drop the view late conditions read (the determination keeps the results)."""
        self.view = self.current = None

    def settle(self, stage: Stage) -> list[CompiledRule]:
        """Record the stage's results and apply its rules' defeats; return its rules that still apply."""
        plan, result, defeated_by, raw = self.plan, self.result, self.defeated_by, self.raw
        applying = []
        for rule in plan.stages[stage]:
            rid = rule.id
            value = self.test_late(rule) if rule.late else raw[rid]
            if rid in plan.open_catch_alls:
                result[rid] = "not_evaluable"
            elif rid in defeated_by:
                result[rid] = "defeated"
            else:
                result[rid] = _RESULT_OF[value]
                if value is True:
                    applying.append(rule)
        for rule, targets in plan.defeaters[stage]:  # in precedence order: a rule defeated by a higher one defeats nothing
            if result[rule.id] == "applies":
                for target in targets:
                    if result.get(target.id) in (None, "applies"):
                        self.defeat(target, rule)
        asking = plan.asking[stage]
        if asking and any(result[r.id] == "applies" for r in plan.listed[stage]):
            for rule in asking:  # a listed item applies, so the conduct is not an "other" one
                if result[rule.id] in ("undetermined", "applies"):
                    result[rule.id] = "does_not_apply"
        return [r for r in applying if result[r.id] == "applies"]

    def defeat(self, target: CompiledRule, by: CompiledRule) -> None:
        """``by`` defeats ``target``, if ``target`` applies (the rest keep their own result)."""
        if self.raw[target.id] is not True:
            return
        self.defeated_by[target.id].append(by.id)
        self.defeats[by.id].append(target.id)
        if target.id in self.result:
            self.result[target.id] = "defeated"
            self.current = None

    def not_reached(self, *stages: Stage) -> None:
        """The case never reaches these stages."""
        for stage in stages:
            for rule in self.plan.stages[stage]:
                self.result[rule.id] = "not_reached"
        self.current = None

    def any_result(self, stage: Stage, result: RuleResult, only: Callable[[CompiledRule], bool] | None = None) -> bool:
        """Whether some rule of the stage (of those ``only`` picks) has this result."""
        ids = self.plan.ids[stage] if only is None else [r.id for r in self.plan.stages[stage] if only(r)]
        return result in map(self.result.get, ids)


# -- settling stages: columns -------------------------------------------------------------------


def _indices(rules: Iterable[CompiledRule]) -> list[int]:
    """The rows of ``rules`` in a ``ColumnState``'s matrices."""
    return [r.index for r in rules]


class ColumnState:
    """Many cases being decided at once: ``CaseState`` with a row per case (see ``_batch`` for the columns)."""

    def __init__(self, plan: Plan, n: int, test: Callable[[CompiledRule, Callable[[str], Kleene]], Kleene]) -> None:
        """Test every condition not reading others' standing; ``test(rule, standing)`` gives a condition's column."""
        import numpy as np  # noqa: PLC0415 - only the batch path needs numpy; the traced path must not load it

        self.np, self.plan, self.n, self.test = np, plan, n, test
        rules = plan.ruleset.rules
        self.result = np.full((len(rules), n), UNSET, dtype=np.int8)
        self.defeated = np.zeros((len(rules), n), dtype=bool)
        self.true = np.zeros((len(rules), n), dtype=bool)
        self.false = np.zeros((len(rules), n), dtype=bool)
        for rule in rules:
            if rule.condition is None:
                self.true[rule.index] = unconditioned(rule) is True
            elif not rule.late:
                self.true[rule.index], self.false[rule.index] = test(rule, self.standing)

    def standing(self, rule_id: str) -> Kleene:
        """The standing of an earlier rule in every row."""
        return standing_columns(self.result[self.plan.ruleset.rule(rule_id).index])

    def test_late(self, rule: CompiledRule, rows: Any) -> None:
        """Test on ``rows`` a condition that reads earlier rules' standing, now they are settled."""
        if rule.late:
            true, false = self.test(rule, self.standing)
            self.true[rule.index, rows], self.false[rule.index, rows] = true[rows], false[rows]

    def raw_codes(self, rule: CompiledRule) -> Any:
        """The rule's result codes where nothing defeats it."""
        return result_columns(self.true[rule.index], self.false[rule.index])

    def settle(self, stage: Stage, rows: Any) -> Any:
        """``CaseState.settle`` on ``rows``; return which of the stage's rules applied after its own defeats."""
        np, rules = self.np, self.plan.stages[stage]
        # Rules are recorded in file order, as the traced path does; a run of rules that read no
        # other rule's standing is recorded at once, a rule reading standing once those before it are.
        run: list[int] = []
        for rule in (*rules, None):
            if rule is not None and not rule.late and not (rule.rule.catch_all and rule.condition is None):
                run.append(rule.index)
                continue
            if run:
                codes = np.where(self.defeated[run], DEFEATED, result_columns(self.true[run], self.false[run]))
                self.result[run] = np.where(rows, codes, self.result[run])
                run = []
            if rule is None:
                break
            self.test_late(rule, rows)
            if rule.rule.catch_all and rule.condition is None:
                self.result[rule.index, rows] = NOT_EVALUABLE
            else:
                self.result[rule.index, rows] = np.where(self.defeated[rule.index], DEFEATED, self.raw_codes(rule))[rows]
        for rule in self.plan.order[stage]:
            targets = self.plan.targets[rule.id]
            where = np.flatnonzero(rows & (self.result[rule.index] == APPLIES)) if targets else ()
            if len(where):  # only the rows where it applies, every target at once: a stage of rules
                grid = np.ix_([t.index for t in targets], where)  # that each defeat the stage stays linear
                codes = self.result[grid]
                hit = ((codes == UNSET) | (codes == APPLIES)) & self.true[grid]
                self.defeated[grid] |= hit
                self.result[grid] = np.where(hit & (codes != UNSET), DEFEATED, codes)
        listed = _indices(self.plan.listed[stage])
        if len(self.plan.asking[stage]) and len(listed):
            some_listed = (self.result[listed] == APPLIES).any(axis=0)
            for rule in self.plan.asking[stage]:
                codes = self.result[rule.index]
                self.result[rule.index, rows & some_listed & ((codes == UNDETERMINED) | (codes == APPLIES))] = DOES_NOT_APPLY
        return self.result[_indices(rules)] == APPLIES

    def defeat(self, target: CompiledRule, rows: Any) -> None:
        """``CaseState.defeat`` on ``rows``."""
        rows = rows & self.true[target.index]
        self.defeated[target.index] |= rows
        self.result[target.index, rows & (self.result[target.index] != UNSET)] = DEFEATED

    def not_reached(self, stage: Stage, rows: Any) -> None:
        """``CaseState.not_reached`` on ``rows``."""
        indices = _indices(self.plan.stages[stage])
        self.result[indices] = self.np.where(rows, NOT_REACHED, self.result[indices])

    def any_result(self, stage: Stage, code: int, only: Callable[[CompiledRule], bool] | None = None) -> Any:
        """``CaseState.any_result`` for every row."""
        return (self.result[_indices([r for r in self.plan.stages[stage] if only is None or only(r)])] == code).any(axis=0)


# -- scope ----------------------------------------------------------------------------------------

Scope = Literal["covered", "covered_by_reference", "not_covered", "undetermined"]
SCOPES: tuple[Scope, ...] = ("covered", "covered_by_reference", "not_covered", "undetermined")

COVERED: Mapping[str, bool | None] = {"covered": True, "covered_by_reference": True, "undetermined": None}
"""Whether a scope outcome brings the subject under the document (any other outcome: no)."""


def decide_scope(state: CaseState) -> tuple[Scope, CompiledRule | None]:
    """Settle the scope stage: the applicable scope rule first in precedence decides and defeats the others.

    Returns the outcome and the deciding rule (None when no scope rule applies: undetermined when one
    is open, else not covered).
    """
    applying = state.settle("scope")
    winner = min(applying, key=precedence, default=None)
    for other in applying:
        if other is not winner:
            state.defeat(other, winner)  # type: ignore[arg-type]
    if winner is not None:
        outcome = winner.rule.then[0].scope
        assert outcome is not None
        return outcome, winner
    return ("undetermined" if state.any_result("scope", "undetermined") else "not_covered"), None


def decide_scope_columns(state: ColumnState) -> Any:
    """``decide_scope`` for every row: scope codes (positions in ``SCOPES``)."""
    np = state.np
    state.settle("scope", np.ones(state.n, dtype=bool))
    scope = np.full(state.n, SCOPES.index("not_covered"), dtype=np.int8)
    won = np.zeros(state.n, dtype=bool)
    for rule in state.plan.order["scope"]:
        applies = state.result[rule.index] == APPLIES
        state.defeat(rule, applies & won)
        outcome = rule.rule.then[0].scope
        assert outcome is not None
        scope[applies & ~won] = SCOPES.index(outcome)
        won |= applies
    scope[~won & state.any_result("scope", UNDETERMINED)] = SCOPES.index("undetermined")
    return scope


# -- accountability -------------------------------------------------------------------------------

FACTOR_STAGES: tuple[Stage, ...] = ("circumstance", "bar", "exemption", "aggravating", "mitigating")
"""The stages settled, in order, once the subject is (or may be) covered."""


def mandatory(rule: CompiledRule) -> bool:
    """Whether the rule binds (应当 / 一律) rather than permits (可以 / 视情)."""
    return rule.rule.modality in MANDATORY


def accountability(covered: bool | None, triggered: bool | None, granted: bool, maybe_exempt: bool) -> bool | None:
    """Whether accountability follows: covered and triggered, unless an exemption is (or may yet be) granted.

    ``triggered``: a circumstance applies (True), may apply (None) or none can (False).
    ``maybe_exempt``: a mandatory exemption hangs on an unknown fact, which leaves the answer open.
    """
    return False if granted else all3((covered, triggered, None if maybe_exempt else True))


def accountability_columns(covered: Kleene, triggered: Kleene, granted: Any, maybe_exempt: Any) -> Kleene:
    """``accountability`` for every row."""
    true, false = all_columns((covered, triggered, (~maybe_exempt, maybe_exempt & False)))
    return true & ~granted, false | granted


# -- the exemption ladder -----------------------------------------------------------------------

Exemption = Literal["granted", "eligible", "barred", "undetermined", "not_provided", "none"]
EXEMPTIONS: tuple[Exemption, ...] = ("granted", "eligible", "barred", "undetermined", "not_provided", "none")
"""The exemption outcomes, strongest first: the first that holds is the outcome."""


def exemption_outcome(*, granted: bool, eligible: bool, barred: bool, undetermined: bool, not_provided: bool) -> Exemption:
    """The exemption outcome: granted (a mandatory exemption stands), eligible (a discretionary one stands),
    barred (a bar defeated an exemption), undetermined (one hangs on unknown facts), not provided (the
    document has no exemption and says so), or none."""
    holds = (granted, eligible, barred, undetermined, not_provided, True)
    return EXEMPTIONS[holds.index(True)]


def exemption_columns(*, granted: Any, eligible: Any, barred: Any, undetermined: Any, not_provided: bool) -> Any:
    """``exemption_outcome`` for every row: codes (positions in ``EXEMPTIONS``)."""
    never = granted & False
    outcome = never.astype("int8") + EXEMPTIONS.index("none")
    holds = (granted, eligible, barred, undetermined, ~never if not_provided else never)
    for code in reversed(range(len(holds))):  # the strongest outcome that holds is written last
        outcome[holds[code]] = code
    return outcome


# -- measures and consequences --------------------------------------------------------------------

GATES: Mapping[str, str] = {"always": "always", "accountable": "accountable", "exempted": "granted", "measures": "accountable"}
"""What a consequence rule's ``on`` waits for: nothing, accountability, a granted exemption, or accountability
and one of its measures among those considered."""

EXCLUSIVE_GATES: frozenset[frozenset[str]] = frozenset({frozenset({"exempted", "accountable"}), frozenset({"exempted", "measures"})})
"""Pairs of gates that never both hold: a granted exemption means no accountability."""


def considered_measures(accountable: bool | None, chosen: Iterable[str], permitted: Sequence[str], ladder: Mapping[str, Any]) -> list[str]:
    """The measures whose consequences follow: where measures were chosen, those on the ladder; else the permitted range.

    None follows where accountability does not.
    """
    chosen = set(chosen)
    if accountable is False:
        return []
    return sorted(chosen & ladder.keys(), key=ladder.__getitem__) if chosen else list(permitted)


def considered_columns(accountable: Kleene, chosen: Any, any_chosen: Any, permitted: Any) -> Any:
    """``considered_measures`` for every row: a (measure, row) matrix on the ladder's measures.

    ``chosen`` marks the chosen measures on the ladder; ``any_chosen`` the rows where any measure was chosen.
    """
    _, not_accountable = accountable
    return ((chosen & any_chosen) | (permitted & ~any_chosen)) & ~not_accountable


def conversion(freeze: Freeze, start: dt.date, rectified: dt.date | None, unrectified_on: dt.date | None) -> dt.date | None:
    """The day a measure converts into ``freeze.converts_to`` (停职检查 → 调离岗位), or None if it does not (or not yet).

    It converts when rectification takes longer than ``converts_after_months`` from the decision: it was
    completed after that period ended, or, with no completion date, it was still incomplete on a day after
    that period ended (the rectification period has already run over). The converted measure takes effect
    the day after the period ends. A completion date, where known, is the last word.
    """
    assert freeze.converts_after_months is not None
    limit = _dates.period_end(start, freeze.converts_after_months)
    last_known = rectified if rectified is not None else unrectified_on
    return limit + dt.timedelta(days=1) if last_known is not None and last_known > limit else None


def consequence_holds(gate: bool | None, value: bool | None, follows: bool | None) -> bool | None:
    """Whether a consequence rule attaches: its gate and condition hold and (``on: measures``) it follows a
    measure considered. ``follows`` is None for rules on other gates."""
    holds = all3((gate, value))
    return bool(follows) if holds is True and follows is not None else holds


def consequence_columns(gate: Kleene, value: Kleene, follows: Any | None) -> Kleene:
    """``consequence_holds`` for every row."""
    true, false = all_columns((gate, value))
    if follows is not None:
        false = false | (true & ~follows)
        true = true & follows
    return true, false
