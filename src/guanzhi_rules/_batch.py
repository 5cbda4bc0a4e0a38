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
import functools
import hashlib
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

from guanzhi_rules._columns import INDEX, Array, Columns, ColumnSource, encode
from guanzhi_rules._conditions import All, Any_, Applies, Comparison, Condition, Not, Use
from guanzhi_rules._determination import ConsequenceItem
from guanzhi_rules._facts import flatten
from guanzhi_rules._logic import Kleene, all_columns, any_columns, not_columns
from guanzhi_rules._outcome import Outcome, item_line
from guanzhi_rules._pipeline import (
    APPLIES,
    COVERED,
    DEFEATED,
    EXEMPTIONS,
    FACTOR_STAGES,
    GATES,
    SCOPES,
    UNDETERMINED,
    ColumnState,
    accountability_columns,
    consequence_columns,
    considered_columns,
    conversion,
    decide_scope_columns,
    exemption_columns,
    mandatory,
    plan_of,
    result_columns,
)
from guanzhi_rules._population import CHUNK
from guanzhi_rules._rulefile import STAGES
from guanzhi_rules._workers import forked_map

if TYPE_CHECKING:
    from guanzhi_rules._case import Case
    from guanzhi_rules._compiler import CompiledRule
    from guanzhi_rules._ruleset import RuleSet

if TYPE_CHECKING:
    from guanzhi_rules._compiler import CompiledRule
    from guanzhi_rules._ruleset import RuleSet

T = TypeVar("T")


def _number(value: Any) -> float:
    return float(value.toordinal()) if isinstance(value, dt.date) else float(value)


def _code(value: Any) -> Any:
    return value.value if hasattr(value, "value") else value


def _comparison(c: Comparison, columns: Columns) -> Kleene:
    path, op, kind = c.spec.path, c.op, c.spec.kind
    column = columns[path]
    if kind == "set":  # every group meets the set
        index = INDEX[path]
        true: Array = np.ones(columns.n, dtype=bool)
        for group in c.groups:
            true &= column[sorted(index[_code(v)] for v in group)].any(axis=0)
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
        return not_columns(kleene(condition.part, columns, standing))
    if isinstance(condition, All):
        return all_columns(kleene(p, columns, standing) for p in condition.parts)
    if isinstance(condition, Any_):
        return any_columns(kleene(p, columns, standing) for p in condition.parts)
    assert isinstance(condition, Applies)
    return any_columns(standing(r) for r in condition.rule_ids)


def _hashes(texts: list[str]) -> Array:
    """A 64-bit digest of each text, stable across processes and platforms."""
    return np.array([int.from_bytes(hashlib.blake2b(t.encode(), digest_size=8).digest(), "little") for t in texts], dtype=np.uint64)


class _HashSum:
    """Σ of 64-bit digests over the set members of each row, modulo 2**64, as a matrix product on BLAS.

    Integer matrix products have no BLAS kernel; split into its eight bytes, each digest is a column
    of small floats whose sums are exact (below 2**24 in float32, or 2**53 in float64 for very long
    lists), and the byte sums recombine into the same 64-bit sum.
    """

    def __init__(self, hashes: Array) -> None:
        dtype = np.float32 if len(hashes) * 255 < 2**24 else np.float64
        self.dtype = dtype
        self.planes = np.stack([((hashes >> np.uint64(8 * b)) & np.uint64(255)).astype(dtype) for b in range(8)])

    def __call__(self, members: Array) -> Array:
        """The sum for each column of the (member, row) boolean matrix ``members``."""
        sums = (self.planes @ members.view(np.uint8).astype(self.dtype)).astype(np.uint64)  # via uint8: a faster cast
        total: Array = sums[0].copy()
        for b in range(1, 8):
            total += sums[b] << np.uint64(8 * b)  # wraps modulo 2**64, as the digest sum is defined
        return total


ACCOUNTABLE = (False, True, None)
"""Accountability by its code in an ``OutcomeTable``."""


class BatchPlan:
    """What the batch path adds to a rule set's ``Plan``: the ladder's measures as rows, consequence lines, digests."""

    def __init__(self, ruleset: RuleSet) -> None:
        self.ruleset, self.plan = ruleset, plan_of(ruleset)
        self.ids = tuple(r.id for r in ruleset.rules)
        self.trace_order = np.array([r.index for r in ruleset.in_trace_order])
        self.trace_ids = tuple(r.id for r in ruleset.in_trace_order)
        self.measures = tuple(sorted(ruleset.ladder_order, key=ruleset.ladder_order.__getitem__))
        self.measure_col = {m: i for i, m in enumerate(self.measures)}
        # Consequence items: (rule, measure or None for a general item, line); items of a measure in rule order.
        self.lines: list[tuple[CompiledRule, str | None, str]] = []
        for rule in self.plan.stages["consequence"]:
            on_measures = rule.rule.attaches == "measures"
            for effect in rule.rule.then:
                if effect.referral or effect.organisation or (effect.statement and not on_measures):
                    continue
                item = ConsequenceItem(
                    rule_id=rule.id, citation=rule.cited, freeze=effect.freeze, awards=effect.awards,
                    annual_grade=effect.annual_grade, status=effect.status, statement=effect.statement)
                for m in [x.value for x in rule.rule.for_measures or ()] if on_measures else [None]:
                    self.lines.append((rule, m, item_line(m or "", item)))
        self.members_hash = _HashSum(_hashes(
            ["m:" + m for m in self.measures] + ["r:" + i for i in self.ids] + ["c:" + line for _, _, line in self.lines]))
        """The digest of a row's measures, applied rules and consequence lines, stacked in this order."""
        self.scope_hash = _hashes(["s:" + s for s in SCOPES])
        self.exemption_hash = _hashes(["e:" + s for s in EXEMPTIONS])
        self.accountable_hash = _hashes([f"a:{a}" for a in ACCOUNTABLE])

    def measure_rows(self, measures: Iterable[str], n: int) -> Array:
        """Which of ``measures`` (those on the ladder) each row marks, as a (measure, row) matrix of n rows."""
        rows = np.zeros((len(self.measures), n), dtype=bool)
        rows[[self.measure_col[m] for m in measures if m in self.measure_col]] = True
        return rows


class OutcomeTable:
    """The outcomes of a batch of cases under one rule set, as columns.

    ``fingerprint`` is a 64-bit digest of each row's outcome that does not depend on rule order:
    two rows with equal outcomes (consequence items compared as a set) have equal fingerprints,
    and unequal ones differ except with probability about 2**-64 per pair.
    """

    def __init__(self, plan: BatchPlan, n: int, *, scope: Array, exemption: Array, accountable: Array, result: Array,
                 measures: Array, considered: Array, converted: dict[int, list[str]], lines: Array) -> None:
        self.plan, self.n = plan, n
        self.scope, self.exemption, self.accountable = scope, exemption, accountable
        self.result, self.measures, self.lines = result, measures, lines
        self.considered, self.converted = considered, converted
        applied = result == APPLIES
        with np.errstate(over="ignore"):
            self.fingerprint = (
                plan.scope_hash[scope] + plan.exemption_hash[exemption] + plan.accountable_hash[accountable]
                + plan.members_hash(np.concatenate((measures, applied, lines))))

    def __len__(self) -> int:
        return self.n

    def consequences(self, i: int) -> tuple[str, ...]:
        """Row ``i``'s consequence lines, in the order its ``Outcome`` lists them (those of each measure considered, then general ones)."""
        return self._consequences(i, np.flatnonzero(self.lines[:, i]).tolist(), np.flatnonzero(self.considered[:, i]).tolist())

    def _consequences(self, i: int, lines: list[int], considered: list[int]) -> tuple[str, ...]:
        """``consequences(i)`` from the row's present lines and considered measures (as indices)."""
        plan = self.plan
        present = [plan.lines[k] for k in lines]
        if not present:
            return ()
        added = self.converted.get(i, [])
        chosen = [plan.measures[j] for j in considered if plan.measures[j] not in added] + added
        consequences = [line for m in chosen for _, measure, line in present if measure == m]
        consequences += [line for _, measure, line in present if measure is None]
        return tuple(consequences)

    def all_consequences(self) -> list[tuple[str, ...]]:
        """Every row's ``consequences(i)``, worked out once per distinct pattern of lines and measures considered."""
        out: list[tuple[str, ...]] = [()] * self.n
        rows = np.flatnonzero(self.lines.any(axis=0))
        plain = np.array([i not in self.converted for i in rows.tolist()], dtype=bool)
        for i in rows[~plain].tolist():
            out[i] = self.consequences(i)
        rows = rows[plain]
        if len(rows):
            patterns = np.packbits(np.concatenate([self.lines[:, rows], self.considered[:, rows]]), axis=0).T
            _, first, which = np.unique(patterns, axis=0, return_index=True, return_inverse=True)
            lines = [self.consequences(int(rows[k])) for k in first]
            for i, w in zip(rows.tolist(), which.ravel().tolist(), strict=True):
                out[i] = lines[w]
        return out

    def outcomes(self, rows: Iterable[int] | None = None) -> list[Outcome]:
        """The outcomes of ``rows`` (all rows by default), in their order."""
        plan = self.plan
        at = np.arange(self.n) if rows is None else np.fromiter(rows, dtype=np.intp)
        lines, considered = _members(self.lines[:, at]), _members(self.considered[:, at])
        measures, applied = _members(self.measures[:, at]), _members(self.result[:, at][plan.trace_order] == APPLIES)
        scope, exemption, accountable = self.scope[at].tolist(), self.exemption[at].tolist(), self.accountable[at].tolist()
        return [
            Outcome(scope=SCOPES[scope[k]], exemption=EXEMPTIONS[exemption[k]], accountable=ACCOUNTABLE[accountable[k]],
                    measures=tuple(plan.measures[j] for j in measures[k]), consequences=self._consequences(i, lines[k], considered[k]),
                    applied=tuple(plan.trace_ids[j] for j in applied[k]))
            for k, i in enumerate(at.tolist())]


def _members(matrix: Array) -> list[list[int]]:
    """For each column of a (member, row) boolean matrix, the indices of the members it marks, ascending."""
    columns, members = np.nonzero(matrix.T)  # ordered by column, then member
    bounds = np.searchsorted(columns, np.arange(matrix.shape[1] + 1)).tolist()
    listed = members.tolist()
    return [listed[bounds[k]:bounds[k + 1]] for k in range(matrix.shape[1])]


def evaluate(plan: BatchPlan, columns: Columns) -> OutcomeTable:
    """Every row of ``columns`` under the plan's rule set, stage by stage as ``_evaluator.evaluate`` decides it."""
    n, stages = columns.n, plan.plan.stages
    state = ColumnState(plan.plan, n, lambda rule, standing: kleene(rule.condition, columns, standing))  # type: ignore[arg-type]

    scope = decide_scope_columns(state)                                                      # 1. scope
    covered = scope != SCOPES.index("not_covered")
    for stage in STAGES[1:]:
        state.not_reached(stage, ~covered)

    stood = {stage: state.settle(stage, covered) for stage in FACTOR_STAGES}               # 2-5. as they stood when settled
    is_mandatory = np.array([mandatory(r) for r in stages["exemption"]], dtype=bool)
    granted = (stood["exemption"] & is_mandatory[:, None]).any(axis=0) & covered
    applies, open_ = state.any_result("circumstance", APPLIES), state.any_result("circumstance", UNDETERMINED)
    scope_known = np.isin(scope, [SCOPES.index(s) for s, v in COVERED.items() if v])
    accountable = accountability_columns(
        (scope_known, ~covered), (applies, ~applies & ~open_), granted, state.any_result("exemption", UNDETERMINED, mandatory))
    not_accountable = accountable[1]

    state.not_reached("sanction_band", not_accountable)                                      # 6. sanction bands
    bands = state.settle("sanction_band", ~not_accountable)
    measures = np.zeros((len(plan.measures), n), dtype=bool)
    for k, rule in enumerate(stages["sanction_band"]):
        measures |= plan.measure_rows(plan.plan.band_measures[rule.id], 1) & (bands[k] & ~not_accountable)

    decided = columns["decision.measures"]                                                    # 7. consequences
    chosen = np.zeros((len(plan.measures), n), dtype=bool)
    for m, j in INDEX["decision.measures"].items():
        if m in plan.measure_col:
            chosen[plan.measure_col[m]] = decided[j]
    considered = considered_columns(accountable, chosen, np.asarray(decided.any(axis=0)), measures)
    converted = _convert(state, plan, considered, accountable[0], columns)
    values = {"always": (covered | True, covered & False), "accountable": accountable, "granted": (granted, ~granted)}
    holds: dict[str, Array] = {}
    for rule in stages["consequence"]:
        state.test_late(rule, covered)
        follows = None
        if rule.rule.attaches == "measures":
            held = [plan.measure_col[x.value] for x in rule.rule.for_measures or () if x.value in plan.measure_col]
            follows = considered[held].any(axis=0)
        gate = values[GATES[rule.rule.attaches or "always"]]
        true, false = consequence_columns(gate, (state.true[rule.index], state.false[rule.index]), follows)
        state.result[rule.index] = np.where(covered, result_columns(true, false), state.result[rule.index])
        holds[rule.id] = true & covered
    lines = np.zeros((len(plan.lines), n), dtype=bool)
    for k, (rule, for_measure, _) in enumerate(plan.lines):
        present = considered[plan.measure_col[for_measure]] if for_measure in plan.measure_col else for_measure is None
        lines[k] = holds[rule.id] & present

    for stage in ("choice", "procedure"):                                                     # 8-9. their own conditions
        for rule in stages[stage]:
            state.test_late(rule, covered)
            state.result[rule.index, covered] = state.raw_codes(rule)[covered]

    ruleset = plan.ruleset
    exemption = exemption_columns(                                                            # last, as the traced path
        granted=granted, eligible=stood["exemption"].any(axis=0), barred=state.any_result("exemption", DEFEATED),
        undetermined=state.any_result("exemption", UNDETERMINED),
        not_provided=not stages["exemption"] and ruleset.silence("exemption") is not None)
    codes = np.where(accountable[1], 0, np.where(accountable[0], 1, 2)).astype(np.int8)
    return OutcomeTable(plan, n, scope=scope, exemption=exemption, accountable=codes, result=state.result,
                        measures=measures, considered=considered, converted=converted, lines=lines)


def _day(ordinal: float) -> dt.date | None:
    """The date of a date column's value, or None where it is unknown (NaN)."""
    return None if np.isnan(ordinal) else dt.date.fromordinal(int(ordinal))


def _convert(state: ColumnState, plan: BatchPlan, considered: Array, accountable: Array, columns: Columns) -> dict[int, list[str]]:
    """Add measures another converts into (停职检查 → 调离岗位), by ``_pipeline.conversion``.

    Returns the measures added to each row, in the order they were added.
    """
    converted: dict[int, list[str]] = {}
    starts, rectified, unrectified_on = columns["decision.date"], columns["dates.rectified"], columns["dates.unrectified_on"]
    original = considered.copy()
    candidates = accountable & ~np.isnan(starts) & ~(np.isnan(rectified) & np.isnan(unrectified_on))
    for rule in plan.plan.stages["consequence"]:
        if rule.rule.attaches != "measures" or not candidates.any():
            continue
        state.test_late(rule, candidates)
        for effect in rule.rule.then:
            freeze = effect.freeze
            if freeze is None or freeze.converts_to is None or freeze.converts_after_months is None:
                continue
            target = freeze.converts_to.value
            for i in np.flatnonzero(candidates & state.true[rule.index]):
                start = dt.date.fromordinal(int(starts[i]))  # a candidate's decision date is known
                if conversion(freeze, start, _day(rectified[i]), _day(unrectified_on[i])) is None:
                    continue
                for m in (x.value for x in rule.rule.for_measures or ()):
                    held = m in plan.measure_col and original[plan.measure_col[m], i]
                    if held and not original[plan.measure_col[target], i]:
                        added = converted.setdefault(int(i), [])
                        if target not in added:
                            added.append(target)
                        considered[plan.measure_col[target], i] = True
    return converted


@functools.lru_cache(maxsize=64)
def batch_plan(ruleset: RuleSet) -> BatchPlan:
    """The rule set's batch plan, built once per rule set object (a few dozen at a time at most)."""
    return BatchPlan(ruleset)


def outcome_table(ruleset: RuleSet, columns: Columns) -> OutcomeTable:
    """The outcomes of every row of ``columns`` under ``ruleset``."""
    return evaluate(batch_plan(ruleset), columns)


def outcomes_of(ruleset: RuleSet, columns: Columns) -> list[Outcome]:
    """The outcome of every row of ``columns`` under ``ruleset``."""
    return outcome_table(ruleset, columns).outcomes()


def outcomes(ruleset: RuleSet, cases: Sequence[Case]) -> list[Outcome]:
    """The outcome of each case under ``ruleset``, in order, by the batch evaluator."""
    return [o for start, size in chunks(cases) for o in outcomes_of(ruleset, columns_of(cases, start, size))]


def chunks(cases: Sequence[Case], size: int = CHUNK) -> list[tuple[int, int]]:
    """(first index, size) of each chunk the batch paths split ``cases`` into."""
    return [(start, min(size, len(cases) - start)) for start in range(0, len(cases), size)]


def columns_of(cases: Sequence[Case], start: int, size: int) -> Columns:
    """The columns of ``cases[start:start + size]``: as held where the cases are columns already (``ColumnSource``), encoded otherwise."""
    held = cases.columns_at(start, size) if isinstance(cases, ColumnSource) else None
    return held if held is not None else encode([flatten(cases[i]) for i in range(start, start + size)])


def map_chunks(
    work: Callable[[Columns, int], T], cases: Sequence[Case], *, size: int = CHUNK, workers: int | None = None,
) -> Iterator[T]:
    """``work(columns, first index)`` for each chunk of ``size`` cases, in order, on ``workers`` processes.

    Workers are forked (``_workers``), so they share the caller's rule sets and plans and draw
    generated chunks themselves; where fork is unavailable, or with one worker or one chunk, it
    runs in-process. By default it uses every usable core, unless the process runs other threads:
    forking a multi-threaded process can deadlock the child, so then it runs in-process unless
    ``workers`` says otherwise.
    """
    parts = chunks(cases, size)
    if workers is None:
        workers = len(os.sched_getaffinity(0)) if threading.active_count() == 1 else 1
    workers = min(workers, len(parts))

    def run(part: tuple[int, int]) -> T:
        return work(columns_of(cases, *part), part[0])

    if workers <= 1 or not hasattr(os, "fork"):
        yield from map(run, parts)
    else:
        yield from forked_map(run, parts, workers)
