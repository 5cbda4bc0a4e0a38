"""The batch evaluator: a whole population under one rule set at once, column by column, untraced.

It decides what the default evaluator decides, in the same order of stages, priorities and
defeats, but on numpy columns (``_columns``) instead of one case at a time, and it keeps only
what an ``Outcome`` needs: each rule's result, the scope and exemption outcomes, accountability,
the sanction range and the consequence items. A rule set is compiled once into a ``Plan``.

Matrices are rule by row: one contiguous array per rule, measure or item. Three-valued logic is
carried as two boolean arrays per condition, ``(true, false)``; a row where neither holds is
unknown. The differential tests hold every row to
``outcome_of(ruleset.evaluate(case))``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

from guanzhi_rules import _dates
from guanzhi_rules._case import Case
from guanzhi_rules._columns import INDEX, Array, Columns, encode
from guanzhi_rules._conditions import All, Any_, Applies, Comparison, Condition, Not, Use
from guanzhi_rules._determination import ConsequenceItem
from guanzhi_rules._facts import flatten
from guanzhi_rules._outcome import Outcome, item_line
from guanzhi_rules._population import CHUNK, Population
from guanzhi_rules._rulefile import MANDATORY, STAGES

if TYPE_CHECKING:
    from guanzhi_rules._compiler import CompiledRule
    from guanzhi_rules._ruleset import RuleSet

T = TypeVar("T")
Kleene = tuple[Array, Array]
"""(true, false) per row; a row in neither is unknown."""

# Rule results, as codes in the result matrix. UNSET: not settled yet.
UNSET, APPLIES, DOES_NOT_APPLY, UNDETERMINED, NOT_EVALUABLE, DEFEATED, NOT_REACHED = range(-1, 6)

SCOPES = ("covered", "covered_by_reference", "not_covered", "undetermined")
EXEMPTIONS = ("granted", "eligible", "barred", "none", "not_provided", "undetermined")


def _number(value: Any) -> float:
    return float(value.toordinal()) if isinstance(value, dt.date) else float(value)


def _code(value: Any) -> Any:
    return value.value if hasattr(value, "value") else value


def _comparison(c: Comparison, columns: Columns) -> Kleene:
    path, op, kind = c.spec.path, c.op, c.spec.kind
    column = columns[path]
    if kind == "set":
        index = INDEX[path]
        if op == "has":
            true: Array = column[index[_code(c.value)]]
        else:
            picked = column[[index[_code(v)] for v in c.value]]
            true = np.asarray(picked.any(axis=0) if op == "has_any" else picked.all(axis=0))
        return true, ~true
    if kind in ("int", "number", "date"):
        known = ~np.isnan(column)
        value = _number(c.value)
        with np.errstate(invalid="ignore"):
            test = column == value if op == "is" else column >= value if op == "at_least" else column <= value
        return test & known, ~test & known
    known = column >= 0
    index = INDEX[path]
    if op == "is":
        test = column == index[_code(c.value)]
    elif op == "in":
        test = np.isin(column, [index[_code(v)] for v in c.value])
    elif op == "at_least":
        test = column >= index[_code(c.value)]
    else:
        test = column <= index[_code(c.value)]
    return test & known, ~test & known


def kleene(condition: Condition, columns: Columns, standing: Callable[[str], Kleene]) -> Kleene:
    """A condition over every row; ``standing(rule_id)`` gives an earlier rule's standing for ``applies``."""
    if isinstance(condition, Comparison):
        return _comparison(condition, columns)
    if isinstance(condition, Use):
        return kleene(condition.target, columns, standing)
    if isinstance(condition, Not):
        true, false = kleene(condition.part, columns, standing)
        return false, true
    if isinstance(condition, (All, Any_)):
        parts = [kleene(p, columns, standing) for p in condition.parts]
    else:
        assert isinstance(condition, Applies)
        parts = [standing(r) for r in condition.rule_ids]
    trues, falses = np.array([p[0] for p in parts]), np.array([p[1] for p in parts])
    if isinstance(condition, All):
        return np.asarray(trues.all(axis=0)), np.asarray(falses.any(axis=0))
    return np.asarray(trues.any(axis=0)), np.asarray(falses.all(axis=0))


def _hashes(texts: list[str]) -> Array:
    """A 64-bit digest of each text, stable across processes and platforms."""
    return np.array([int.from_bytes(hashlib.blake2b(t.encode(), digest_size=8).digest(), "little") for t in texts], dtype=np.uint64)


class Plan:
    """A rule set compiled for batch evaluation: static orders, targets and consequence lines."""

    def __init__(self, ruleset: RuleSet) -> None:
        self.ruleset = ruleset
        rules = ruleset.rules
        self.ids = tuple(r.id for r in rules)
        self.col = {r.id: r.index for r in rules}
        self.stage_rules: dict[str, tuple[CompiledRule, ...]] = {s: ruleset.stage(s) for s in STAGES}
        # Within a stage, applying rules defeat their targets highest priority first.
        self.defeat_order: dict[str, list[CompiledRule]] = {
            s: sorted(rs, key=lambda r: (-r.rule.priority, r.index)) for s, rs in self.stage_rules.items()}
        self.targets = {r.id: [t.index for t in ruleset.targets(r) if t.id != r.id] for r in rules}
        self.trace_order = np.array([r.index for r in sorted(rules, key=lambda r: (STAGES.index(r.rule.stage), r.index))])
        self.measures = tuple(sorted(ruleset.ladder_order, key=ruleset.ladder_order.__getitem__))
        self.measure_col = {m: i for i, m in enumerate(self.measures)}
        self.band_measures = {
            r.index: sorted({self.measure_col[m.value] for e in r.rule.then for m in (e.measures or ())})
            for r in self.stage_rules["sanction_band"]}
        self.has_exemption_silence = ruleset.silence("exemption") is not None
        # Consequence items: (rule, measure or None for a general item, line); items of a measure in rule order.
        self.lines: list[tuple[CompiledRule, str | None, str]] = []
        for rule in self.stage_rules["consequence"]:
            on_measures = rule.rule.on == "measures"
            for effect in rule.rule.then:
                if effect.referral or effect.organisation or (effect.statement and not on_measures):
                    continue
                item = ConsequenceItem(
                    rule_id=rule.id, citation=rule.rule.citation, freeze=effect.freeze, awards=effect.awards,
                    annual_grade=effect.annual_grade, status=effect.status, statement=effect.statement)
                for m in [x.value for x in rule.rule.for_measures or ()] if on_measures else [None]:
                    self.lines.append((rule, m, item_line(m or "", item)))
        self.line_hash = _hashes(["c:" + line for _, _, line in self.lines])
        self.rule_hash = _hashes(["r:" + i for i in self.ids])
        self.measure_hash = _hashes(["m:" + m for m in self.measures])
        self.scope_hash = _hashes(["s:" + s for s in SCOPES])
        self.exemption_hash = _hashes(["e:" + s for s in EXEMPTIONS])
        self.accountable_hash = _hashes([f"a:{a}" for a in (False, True, None)])


class _Batch:
    """The working state of one batch: result codes per row and rule, and the raw condition values."""

    def __init__(self, plan: Plan, columns: Columns) -> None:
        self.plan, self.columns, n = plan, columns, columns.n
        rules = plan.ruleset.rules
        self.result = np.full((len(rules), n), UNSET, dtype=np.int8)
        self.defeated = np.zeros((len(rules), n), dtype=bool)
        self.true = np.zeros((len(rules), n), dtype=bool)
        self.false = np.zeros((len(rules), n), dtype=bool)
        for rule in rules:
            if rule.condition is None:
                self.true[rule.index] = not rule.rule.catch_all
            elif not rule.late:
                self.true[rule.index], self.false[rule.index] = kleene(rule.condition, columns, self.standing)

    def standing(self, rule_id: str) -> Kleene:
        result = self.result[self.plan.col[rule_id]]
        return result == APPLIES, (result != APPLIES) & (result != UNDETERMINED) & (result != NOT_EVALUABLE)

    def test_late(self, rule: CompiledRule, rows: Array) -> None:
        if rule.late:
            assert rule.condition is not None
            true, false = kleene(rule.condition, self.columns, self.standing)
            self.true[rule.index, rows], self.false[rule.index, rows] = true[rows], false[rows]

    def raw_code(self, rule: CompiledRule) -> Array:
        j = rule.index
        return np.where(self.true[j], APPLIES, np.where(self.false[j], DOES_NOT_APPLY, UNDETERMINED)).astype(np.int8)

    def settle(self, stage: str, rows: Array) -> Array:
        """Settle one stage on ``rows``; return which of its rules applied right after its own defeats."""
        rules = self.plan.stage_rules[stage]
        for rule in rules:
            self.test_late(rule, rows)
            code = np.full(len(rows), NOT_EVALUABLE, dtype=np.int8) if rule.rule.catch_all else np.where(
                self.defeated[rule.index], DEFEATED, self.raw_code(rule))
            self.result[rule.index, rows] = code[rows]
        for rule in self.plan.defeat_order[stage]:
            by = rows & (self.result[rule.index] == APPLIES)
            for t in self.plan.targets[rule.id]:
                self.defeat(t, by & ((self.result[t] == UNSET) | (self.result[t] == APPLIES)))
        return np.array([self.result[r.index] == APPLIES for r in rules], dtype=bool).reshape(len(rules), self.columns.n)

    def defeat(self, target: int, rows: Array) -> None:
        rows = rows & self.true[target]  # only an applicable rule can be defeated
        self.defeated[target] |= rows
        self.result[target, rows & (self.result[target] != UNSET)] = DEFEATED

    def any_result(self, stage: str, code: int, only: Callable[[CompiledRule], bool] = lambda r: True) -> Array:
        hit = np.zeros(self.columns.n, dtype=bool)
        for rule in self.plan.stage_rules[stage]:
            if only(rule):
                hit |= self.result[rule.index] == code
        return hit


class OutcomeTable:
    """The outcomes of a batch of cases under one rule set, as columns.

    ``fingerprint`` is a 64-bit digest of each row's outcome that does not depend on rule order:
    two rows with equal outcomes (consequence items compared as a set) have equal fingerprints,
    and unequal ones differ except with probability about 2**-64 per pair.
    """

    def __init__(self, plan: Plan, n: int, *, scope: Array, exemption: Array, accountable: Array, result: Array,
                 measures: Array, considered: Array, converted: dict[int, list[str]], lines: Array) -> None:
        self.plan, self.n = plan, n
        self.scope, self.exemption, self.accountable = scope, exemption, accountable
        self.result, self.measures, self.lines = result, measures, lines
        self.considered, self.converted = considered, converted
        applied = result == APPLIES
        with np.errstate(over="ignore"):
            self.fingerprint = (
                plan.scope_hash[scope] + plan.exemption_hash[exemption] + plan.accountable_hash[accountable]
                + plan.measure_hash @ measures.astype(np.uint64)
                + plan.rule_hash @ applied.astype(np.uint64)
                + plan.line_hash @ lines.astype(np.uint64))

    def __len__(self) -> int:
        return self.n

    def outcome(self, i: int) -> Outcome:
        plan = self.plan
        present = [plan.lines[k] for k in np.flatnonzero(self.lines[:, i])]
        added = self.converted.get(i, [])
        considered = [plan.measures[j] for j in np.flatnonzero(self.considered[:, i]) if plan.measures[j] not in added] + added
        consequences = [line for m in considered for _, measure, line in present if measure == m]
        consequences += [line for _, measure, line in present if measure is None]
        return Outcome(
            scope=SCOPES[self.scope[i]], exemption=EXEMPTIONS[self.exemption[i]],
            accountable=(False, True, None)[self.accountable[i]],
            measures=tuple(plan.measures[j] for j in np.flatnonzero(self.measures[:, i])),
            consequences=tuple(consequences),
            applied=tuple(plan.ids[j] for j in plan.trace_order if self.result[j, i] == APPLIES))


def evaluate(plan: Plan, columns: Columns) -> OutcomeTable:
    """Every row of ``columns`` under the plan's rule set, as ``evaluator.evaluate`` decides it."""
    n = columns.n
    b = _Batch(plan, columns)
    everyone = np.ones(n, dtype=bool)

    # 1. Scope: the highest-priority applicable scope rule decides; it defeats the other applicable ones.
    b.settle("scope", everyone)
    scope = np.full(n, SCOPES.index("not_covered"), dtype=np.int8)
    won = np.zeros(n, dtype=bool)
    for rule in plan.defeat_order["scope"]:
        applies = b.result[rule.index] == APPLIES
        b.defeat(rule.index, applies & won)
        outcome = rule.rule.then[0].scope
        assert outcome is not None
        scope[applies & ~won] = SCOPES.index(outcome)
        won |= applies
    scope[~won & b.any_result("scope", UNDETERMINED)] = SCOPES.index("undetermined")
    covered = scope != SCOPES.index("not_covered")
    for stage in STAGES[1:]:
        for rule in plan.stage_rules[stage]:
            b.result[rule.index, ~covered] = NOT_REACHED

    # 2-5. Circumstances, bars, exemptions, factors (as they stood when settled).
    stood = {stage: b.settle(stage, covered) for stage in ("circumstance", "bar", "exemption", "aggravating", "mitigating")}
    mandatory = np.array([r.rule.modality in MANDATORY for r in plan.stage_rules["exemption"]], dtype=bool)
    granted = (stood["exemption"] & mandatory[:, None]).any(axis=0) & covered
    triggered = np.where(b.any_result("circumstance", APPLIES), 1, np.where(b.any_result("circumstance", UNDETERMINED), 2, 0))
    maybe_exempt = b.any_result("exemption", UNDETERMINED, lambda r: r.rule.modality in MANDATORY)
    scope_known = np.isin(scope, (SCOPES.index("covered"), SCOPES.index("covered_by_reference")))
    # accountable: 0 false, 1 true, 2 unknown (Kleene and of covered, triggered, not maybe-exempt).
    accountable = np.where(
        granted | ~covered | (triggered == 0), 0,
        np.where(scope_known & (triggered == 1) & ~maybe_exempt, 1, 2)).astype(np.int8)

    # 6. Sanction bands, only where accountability may follow.
    open_rows = accountable != 0
    for rule in plan.stage_rules["sanction_band"]:
        b.result[rule.index, ~open_rows] = NOT_REACHED
    bands = b.settle("sanction_band", open_rows)
    measures = np.zeros((len(plan.measures), n), dtype=bool)
    for k, rule in enumerate(plan.stage_rules["sanction_band"]):
        for m in plan.band_measures[rule.index]:
            measures[m] |= bands[k] & open_rows

    # 7. Consequences, for the chosen measures on the ladder, or else the permitted ones.
    chosen = np.zeros((len(plan.measures), n), dtype=bool)
    decided = columns["decision.measures"]
    for m, j in INDEX["decision.measures"].items():
        if m in plan.measure_col:
            chosen[plan.measure_col[m]] = decided[j]
    any_chosen = np.asarray(decided.any(axis=0))
    considered = np.where(any_chosen, chosen, measures) & (accountable != 0)
    converted = _convert(b, plan, considered, accountable == 1)

    gates = {"always": everyone, "accountable": accountable, "exempted": granted, "measures": accountable}
    rule_true = {}
    for rule in plan.stage_rules["consequence"]:
        b.test_late(rule, covered)
        gate = gates[rule.rule.on or "always"]
        gate_true, gate_false = (gate, ~gate) if gate.dtype == bool else (gate == 1, gate == 0)
        true = gate_true & b.true[rule.index]
        false = gate_false | b.false[rule.index]
        if rule.rule.on == "measures":
            follows = np.zeros(n, dtype=bool)
            for measure in rule.rule.for_measures or ():
                if measure.value in plan.measure_col:
                    follows |= considered[plan.measure_col[measure.value]]
            false |= true & ~follows
            true &= follows
        code = np.where(true, APPLIES, np.where(false, DOES_NOT_APPLY, UNDETERMINED)).astype(np.int8)
        b.result[rule.index, covered] = code[covered]
        rule_true[rule.id] = true & covered
    lines = np.zeros((len(plan.lines), n), dtype=bool)
    for k, (rule, for_measure, _) in enumerate(plan.lines):
        present = considered[plan.measure_col[for_measure]] if for_measure in plan.measure_col else for_measure is None
        lines[k] = rule_true[rule.id] & present

    # 8-9. Choice and procedure rules: their own conditions, where the document's scope was reached.
    for stage in ("choice", "procedure"):
        for rule in plan.stage_rules[stage]:
            b.test_late(rule, covered)
            b.result[rule.index, covered] = b.raw_code(rule)[covered]

    return OutcomeTable(plan, n, scope=scope, exemption=_exemption(b, plan, stood, granted), accountable=accountable,
                        result=b.result, measures=measures, considered=considered, converted=converted, lines=lines)


def _convert(b: _Batch, plan: Plan, considered: Array, accountable: Array) -> dict[int, list[str]]:
    """Add measures another converts into (停职检查 → 调离岗位), as ``evaluator._conversions`` does.

    Returns the measures added to each row, in the order they were added.
    """
    converted: dict[int, list[str]] = {}
    starts, rectified = b.columns["decision.date"], b.columns["dates.rectified"]
    original = considered.copy()
    candidates = accountable & ~np.isnan(starts) & ~np.isnan(rectified)
    for rule in plan.stage_rules["consequence"]:
        if rule.rule.on != "measures" or not candidates.any():
            continue
        b.test_late(rule, candidates)
        for effect in rule.rule.then:
            freeze = effect.freeze
            if freeze is None or freeze.converts_to is None or freeze.converts_after_months is None:
                continue
            for i in np.flatnonzero(candidates & b.true[rule.index]):
                start = dt.date.fromordinal(int(starts[i]))
                limit = _dates.period_end(start, freeze.converts_after_months)
                target = freeze.converts_to.value
                for m in (x.value for x in rule.rule.for_measures or ()):
                    held = m in plan.measure_col and original[plan.measure_col[m], i]
                    if held and rectified[i] > limit.toordinal() and not original[plan.measure_col[target], i]:
                        added = converted.setdefault(int(i), [])
                        if target not in added:
                            added.append(target)
                        considered[plan.measure_col[target], i] = True
    return converted


def _exemption(b: _Batch, plan: Plan, stood: dict[str, Array], granted: Array) -> Array:
    outcome = np.full(b.columns.n, EXEMPTIONS.index("none"), dtype=np.int8)
    if not plan.stage_rules["exemption"] and plan.has_exemption_silence:
        outcome[:] = EXEMPTIONS.index("not_provided")
    outcome[b.any_result("exemption", UNDETERMINED)] = EXEMPTIONS.index("undetermined")
    outcome[b.any_result("exemption", DEFEATED)] = EXEMPTIONS.index("barred")
    outcome[stood["exemption"].any(axis=0)] = EXEMPTIONS.index("eligible")
    outcome[granted] = EXEMPTIONS.index("granted")
    return outcome


def outcome_table(ruleset: RuleSet, columns: Columns) -> OutcomeTable:
    """The outcomes of every row of ``columns`` under ``ruleset``."""
    return evaluate(plan(ruleset), columns)


_PLANS: dict[int, Plan] = {}


def plan(ruleset: RuleSet) -> Plan:
    """The rule set's compiled plan (built once per rule set object)."""
    key = id(ruleset)
    found = _PLANS.get(key)
    if found is None or found.ruleset is not ruleset:
        found = _PLANS[key] = Plan(ruleset)
    return found


def outcomes_of(ruleset: RuleSet, columns: Columns) -> list[Outcome]:
    table = outcome_table(ruleset, columns)
    return [table.outcome(i) for i in range(table.n)]



def chunks(cases: Sequence[Case], size: int = CHUNK) -> list[tuple[int, int]]:
    """(first index, size) of each chunk the batch paths split ``cases`` into."""
    return [(start, min(size, len(cases) - start)) for start in range(0, len(cases), size)]


def columns_of(cases: Sequence[Case], start: int, size: int) -> Columns:
    """The columns of ``cases[start:start + size]``: drawn for a generated population, encoded otherwise."""
    number, offset = divmod(start, CHUNK)
    if isinstance(cases, Population) and offset + size <= CHUNK:
        return cases.columns(number).rows(offset, offset + size)
    return encode([flatten(cases[i]) for i in range(start, start + size)])


_JOB: tuple[Callable[[Columns, int], Any], Sequence[Case]] | None = None
"""The work and cases of the running ``map_chunks``, inherited by forked workers."""


def _run_chunk(chunk: tuple[int, int]) -> Any:
    assert _JOB is not None
    work, cases = _JOB
    return work(columns_of(cases, *chunk), chunk[0])


def map_chunks(
    work: Callable[[Columns, int], T], cases: Sequence[Case], *, size: int = CHUNK, workers: int | None = None,
) -> Iterator[T]:
    """``work(columns, first index)`` for each chunk of ``size`` cases, in order, on ``workers`` processes.

    Workers are forked, so they share the caller's rule sets and plans and draw generated chunks
    themselves; where fork is unavailable, or with one worker or one chunk, it runs in-process.
    By default it uses every usable core, unless the process runs other threads: forking a
    multi-threaded process can deadlock the child, so then it runs in-process unless ``workers``
    says otherwise.
    """
    global _JOB  # noqa: PLW0603 - forked workers inherit the job through this module global
    parts = chunks(cases, size)
    if workers is None:
        workers = len(os.sched_getaffinity(0)) if threading.active_count() == 1 else 1
    workers = min(workers, len(parts))
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield from (work(columns_of(cases, *part), part[0]) for part in parts)
        return
    _JOB = (work, cases)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            yield from pool.imap(_run_chunk, parts)
    finally:
        _JOB = None
