"""Impact of a rule change: evaluate a population of cases under two rule sets and report what moved.

``diff(base, changed, cases)`` compares the ``Outcome`` of every case under the two rule sets (in
chunks, by the batch evaluator on every usable core, so a million cases run in flat memory). A case has
*changed* when any field of its outcome differs: scope, exemption, accountability, the sanction range,
consequences (as a set), or the rules that applied. Each changed case gets exactly one direction, the first of these that holds:

``scope_changed``
    the scope outcome differs (covered, covered by reference, not covered, undetermined).
``newly_exempt``
    the exemption outcome rises on granted > eligible > anything else.
``newly_barred``
    the exemption outcome becomes ``barred``, or a bar rule stands under the changed rules that did
    not stand under the base (even where it has nothing to defeat).
``harsher`` / ``lighter``
    the sanction range moves on the ladder: with *hi* the rung of its heaviest measure and *lo* the
    rung of its lightest (both 0 for no measure; rungs as each rule set's ladder numbers them),
    harsher when neither goes down and one goes up, lighter when neither goes up and one goes down.
``stricter`` / ``more_lenient``
    the decision differs only in its freezes, and they all move one way: a freeze of a measure and
    restriction is added or lasts more months (stricter), or is removed or lasts fewer (more lenient).
``statement_only``
    the decision is the same and only its wording or trace differs: the exemption moves between
    "not provided" (the document is silent) and "none" (it provides exemptions, none of which
    applies), or only the rules applied differ. These cases are not counted in ``decision_changed``.
``other``
    any other change of the decision: the range widened at one end and narrowed at the other,
    measures of the same rungs swapped, other consequences (awards, status) changed, a freeze
    whose length is not a number of months, freezes moving both ways, or accountability became
    undetermined.

For the changed cases the report also counts (before, after) pairs of the sanction band (its
lightest and heaviest measure), the exemption outcome and the freezes (``Transition``): the data of a
transition matrix, which the HTML report and the workbench draw the same way.

The rules behind a change are the rules whose applied status differs (applies under one rule set,
not under the other) and the rules whose definition differs between the two rule sets that applied
in the case. For each direction the report keeps a few minimal examples (fewest facts present,
then earliest, among the first ``POOL`` changed cases of that direction), re-evaluated with traces
under both rule sets.
"""

from __future__ import annotations

import heapq
import json
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, overload

import numpy as np
from pydantic import BaseModel, ConfigDict

import guanzhi_rules
from guanzhi_rules import _batch, _diffreport
from guanzhi_rules._case import Case, canonical_case_json, read_case
from guanzhi_rules._determination import Determination, TraceStep
from guanzhi_rules._outcome import Outcome, outcome_of
from guanzhi_rules._pipeline import RuleResult
from guanzhi_rules._rulefile import STAGES, Cited, Rule, Stage, Text
from guanzhi_rules._ruleset import RuleSet
from guanzhi_rules._yaml import json_default
from guanzhi_rules.exceptions import GuanzhiError

if TYPE_CHECKING:  # numpy and the batch evaluator load only when a diff runs
    from guanzhi_rules._columns import Columns

Direction = Literal[
    "scope_changed", "newly_exempt", "newly_barred", "harsher", "lighter", "stricter", "more_lenient", "statement_only", "other",
]
"""How a changed case moved; see the module docstring for the exact tests, applied in this order."""

DIRECTIONS: tuple[Direction, ...] = (
    "scope_changed", "newly_exempt", "newly_barred", "harsher", "lighter", "stricter", "more_lenient", "statement_only", "other",
)

Dimension = Literal["band", "exemption", "freeze"]
"""What a transition counts: the sanction band, the exemption outcome, the freezes."""

DIMENSIONS: tuple[Dimension, ...] = ("band", "exemption", "freeze")

SILENT = frozenset({"not_provided", "none"})
"""Exemption outcomes that say the same decision in different words: the document is silent, or none applies."""

FIELDS: tuple[str, ...] = Outcome._fields
"""The outcome fields compared: scope, exemption, accountable, measures, consequences, applied."""

CHUNK = 16384
"""Cases evaluated per call of ``outcomes`` (a generated population goes chunk by chunk of its own):
large enough for the batch path, small enough for flat memory."""

POOL = 500
"""Examples are chosen among the first ``POOL`` changed cases of each direction, which bounds the work
of counting facts on a large population (one case in thousands is as good as one in millions)."""

_EXEMPT = {"granted": 2, "eligible": 1}


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Count(_Out):
    """How many cases one name (a direction, an outcome field) applies to."""

    name: str
    cases: int


class RuleSetSummary(_Out):
    """Which rule set a side of the diff is: key, title, fingerprint and the overlays applied."""

    key: str
    title: str
    sha256: str
    overlays: tuple[Text, ...]
    """Titles of the overlays applied to the base rule file, in order."""


class RuleEdit(_Out):
    """One value of a modified rule that differs: where in the rule, and its value before and after."""

    path: str
    """Dot-separated keys and list indexes inside the rule (``then.0.freeze.months``), as an overlay's ``set:`` names it."""
    base: Any
    changed: Any


class RuleImpact(_Out):
    """One rule behind changes: in how many changed cases, how, and in which directions."""

    rule_id: str
    stage: Stage
    label: Text
    """The label of the rule as amended (the base's, for a rule the change removes)."""
    citation: Cited
    in_base: bool
    in_changed: bool
    modified: bool
    """The rule is in both rule sets with different content (replaced, or a parameter set)."""
    edits: tuple[RuleEdit, ...] = ()
    """For a modified rule: each value that differs (labels and parameters set by ``set:`` included)."""
    cases: int
    now_applies: int
    """Changed cases where it applies under the changed rules only."""
    no_longer_applies: int
    """Changed cases where it applies under the base rules only."""
    applies_modified: int
    """Changed cases where it applies under both, with different content."""
    directions: tuple[Count, ...]


class Transition(_Out):
    """Changed cases whose band, exemption or freezes were ``base`` before and ``changed`` after.

    Values: ``band`` is ``LIGHTEST~HEAVIEST`` measure codes (one code for a single measure, ``none``
    for no measure); ``exemption`` an exemption outcome; ``freeze`` the freezes that differ in the case, as
    ``MEASURE:RESTRICTION:LENGTH`` joined by ``;`` (``LENGTH`` a number of months, ``rectification``, ``not_fixed``
    or ``indefinite``; ``none`` where that side has none of them). Band and exemption count every changed
    case; freeze only the cases whose freezes differ.
    """

    dimension: Dimension
    base: str
    changed: str
    cases: int


class FieldChange(_Out):
    """One outcome field that differs: its value under each rule set (for sets: what only that side has)."""

    field: str
    base: tuple[str, ...]
    changed: tuple[str, ...]


class StepChange(_Out):
    """One rule whose trace step differs: its result, and what it defeated or was defeated by, on each side."""

    rule_id: str
    stage: Stage
    base: TraceStep | None
    changed: TraceStep | None


class Example(_Out):
    """A minimal changed case with its two traced determinations side by side."""

    direction: Direction
    index: int
    """Position of the case in the cases diffed."""
    case_id: str | None
    facts_present: int
    """Facts of the case that are known (sets: not empty)."""
    fields: tuple[FieldChange, ...]
    rules: tuple[str, ...]
    steps: tuple[StepChange, ...]
    case: dict[str, Any]
    """The case as compact data: known facts only, sets sorted."""
    base: Determination
    changed: Determination


class DiffReport(_Out):
    """The impact of a rule change over a set of cases. Immutable; ``to_json()`` is deterministic."""

    base: RuleSetSummary
    changed: RuleSetSummary
    cases: int
    changed_cases: int
    decision_changed: int
    """Changed cases whose decision differs: more than the exemption's wording (not provided / none) or the rules applied.

    Never counts a ``statement_only`` case (nor a ``newly_barred`` one whose bar has nothing to defeat)."""
    directions: tuple[Count, ...]
    """Changed cases per direction, every direction listed, in ``DIRECTIONS`` order."""
    transitions: tuple[Transition, ...] = ()
    """(before, after) pairs over the changed cases, per dimension in ``DIMENSIONS`` order, most cases first."""
    fields: tuple[Count, ...]
    """Changed cases per outcome field that differs (a case counts once for each)."""
    rules: tuple[RuleImpact, ...]
    """Rules behind the changes, most cases first."""
    examples: tuple[Example, ...]
    """Up to a few examples per direction, in ``DIRECTIONS`` order, fewest facts first."""

    def count(self, direction: Direction) -> int:
        """Changed cases moving in ``direction``."""
        return next(c.cases for c in self.directions if c.name == direction)

    def to_json(self, *, indent: int | None = 2) -> str:
        """Deterministic JSON: fixed field order, examples and rules in a fixed order."""
        return self.model_dump_json(indent=indent)

    def to_text(self, lang: Literal["zh", "en"] = "zh") -> str:
        """A readable summary: counts, rules with their citations, examples with the steps that differ."""
        return _diffreport.render_text(self, lang)

    def to_html(self, lang: Literal["zh", "en"] = "zh") -> str:
        """One self-contained HTML page (inline CSS, no scripts, nothing fetched) with the examples' traces side by side."""
        return _diffreport.render_html(self, lang)


# -- classification -------------------------------------------------------------------------------

def _span(measures: tuple[str, ...], ruleset: RuleSet) -> tuple[int, int]:
    """(rung of the heaviest measure, rung of the lightest), 0 for no measure."""
    rungs = [ruleset.ladder_order[m][0] for m in measures if m in ruleset.ladder_order]
    return (max(rungs), min(rungs)) if rungs else (0, 0)


def _item(line: str) -> tuple[str, dict[str, Any]]:
    """A consequence line (``_outcome.item_line``) as (measure, content)."""
    measure, _, content = line.split("|", 2)
    data: dict[str, Any] = json.loads(content)
    return measure, data


def _freeze_length(freeze: dict[str, Any]) -> str:
    return str(freeze["months"]) if freeze.get("months") is not None else freeze.get("until") or freeze.get("length", "fixed")


def freezes(consequences: Sequence[str]) -> dict[tuple[str, str], str]:
    """The freezes of an outcome: (measure, restriction) → length (months as a number, or ``rectification``,
    ``not_fixed``, ``indefinite``); where two rules freeze the same thing, the longer counts."""
    found: dict[tuple[str, str], str] = {}
    for line in consequences:
        measure, data = _item(line)
        freeze = data.get("freeze")
        if freeze is None:
            continue
        key, length = (measure, freeze["restriction"]), _freeze_length(freeze)
        held = found.get(key)
        if held is None or (held.isdigit() and length.isdigit() and int(length) > int(held)):
            found[key] = length
    return found


def _freeze_direction(base: Outcome, changed: Outcome) -> Direction | None:
    """``stricter`` or ``more_lenient`` when the outcomes differ only in freezes that all move one way."""
    others = [{line for line in o.consequences if "freeze" not in _item(line)[1]} for o in (base, changed)]
    if others[0] != others[1]:
        return None
    a, b = freezes(base.consequences), freezes(changed.consequences)
    signs = set()
    for key in a.keys() | b.keys():
        x, y = a.get(key), b.get(key)
        if x == y:
            continue
        if x is None or y is None:
            signs.add(1 if x is None else -1)
        elif x.isdigit() and y.isdigit():
            signs.add(1 if int(y) > int(x) else -1)
        else:
            return None
    if signs == {1}:
        return "stricter"
    if signs == {-1}:
        return "more_lenient"
    return None


def same_decision(base: Outcome, changed: Outcome) -> bool:
    """The two outcomes decide the same: only the exemption's wording (not provided / none) or the rules applied differ."""
    exemption = base.exemption == changed.exemption or {base.exemption, changed.exemption} <= SILENT
    return exemption and (base.scope, base.accountable, base.measures, sorted(base.consequences)) == (
        changed.scope, changed.accountable, changed.measures, sorted(changed.consequences))


def classify(base: Outcome, changed: Outcome, base_rules: RuleSet, changed_rules: RuleSet) -> Direction:
    """The direction of a changed case (see the module docstring)."""
    if base.scope != changed.scope:
        return "scope_changed"
    if _EXEMPT.get(changed.exemption, 0) > _EXEMPT.get(base.exemption, 0):
        return "newly_exempt"
    stood = set(base.applied)
    new_bar = any(r not in stood and changed_rules.rule(r).rule.stage == "bar" for r in changed.applied)
    if new_bar or (changed.exemption == "barred" and base.exemption != "barred"):
        return "newly_barred"
    (hi_a, lo_a), (hi_b, lo_b) = _span(base.measures, base_rules), _span(changed.measures, changed_rules)
    if (hi_b, lo_b) != (hi_a, lo_a):
        if hi_b >= hi_a and lo_b >= lo_a:
            return "harsher"
        if hi_b <= hi_a and lo_b <= lo_a:
            return "lighter"
    if same_decision(base, changed):
        return "statement_only"
    if (base.accountable, base.measures) == (changed.accountable, changed.measures) and (
            base.exemption == changed.exemption or {base.exemption, changed.exemption} <= SILENT):
        return _freeze_direction(base, changed) or "other"
    return "other"


def band(measures: Sequence[str]) -> str:
    """A sanction range as ``LIGHTEST~HEAVIEST`` (measures are listed lightest first)."""
    if not measures:
        return "none"
    return measures[0] if len(measures) == 1 else f"{measures[0]}~{measures[-1]}"


def freeze_keys(base: Sequence[str], changed: Sequence[str]) -> tuple[str, str]:
    """The freezes that differ between two outcomes' consequences, each side as one value:
    ``MEASURE:RESTRICTION:LENGTH`` joined by ``;``, ``none`` where that side has none of them."""
    a, b = freezes(base), freezes(changed)
    differing = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))

    def shown(side: dict[tuple[str, str], str]) -> str:
        return ";".join(f"{m}:{r}:{side[m, r]}" for m, r in differing if (m, r) in side) or "none"
    return shown(a), shown(b)


def _transitions(base: Outcome, changed: Outcome) -> list[tuple[str, str, str]]:
    found = [("band", band(base.measures), band(changed.measures)), ("exemption", base.exemption, changed.exemption)]
    before, after = freeze_keys(base.consequences, changed.consequences)
    return [*found, ("freeze", before, after)] if before != after else found


def _compact(value: Any) -> Any:
    if isinstance(value, dict):
        items = {k: _compact(v) for k, v in value.items()}
        return {k: v for k, v in items.items() if v not in (None, [], {})}
    return value


def _summary(ruleset: RuleSet) -> RuleSetSummary:
    return RuleSetSummary(key=ruleset.key, title=ruleset.file.document.title, sha256=ruleset.sha256,
                          overlays=tuple(o.overlay.title for o in ruleset.overlays))


def _shown(value: str | bool | None) -> str:
    return value if isinstance(value, str) else {None: "undetermined", True: "true", False: "false"}[value]


def _field_change(name: str, a: Any, b: Any) -> FieldChange:
    if name in ("consequences", "applied"):
        return FieldChange(field=name, base=tuple(x for x in a if x not in b), changed=tuple(x for x in b if x not in a))
    if name == "measures":
        return FieldChange(field=name, base=tuple(a), changed=tuple(b))
    return FieldChange(field=name, base=(_shown(a),), changed=(_shown(b),))


def _steps(a: Determination, b: Determination) -> tuple[StepChange, ...]:
    left = {s.rule_id: s for s in a.trace}
    right = {s.rule_id: s for s in b.trace}
    order = list(right) + [r for r in left if r not in right]

    def key(s: TraceStep) -> tuple[RuleResult, tuple[str, ...], tuple[str, ...]]:
        return s.result, s.defeats, s.defeated_by

    changes = []
    for rule_id in order:
        x, y = left.get(rule_id), right.get(rule_id)
        if x is not None and y is not None and key(x) == key(y):
            continue
        step = y if y is not None else x
        assert step is not None
        changes.append(StepChange(rule_id=rule_id, stage=step.stage, base=x, changed=y))
    position = {r: i for i, r in enumerate(order)}
    return tuple(sorted(changes, key=lambda c: (STAGES.index(c.stage), position[c.rule_id])))


# -- the diff -------------------------------------------------------------------------------------

class _Tally:
    """Running counts for one rule."""

    __slots__ = ("cases", "directions", "lost", "modified", "now")

    def __init__(self) -> None:
        self.cases = self.now = self.lost = self.modified = 0
        self.directions: Counter[str] = Counter()

    def add(self, other: _Tally) -> None:
        self.cases += other.cases
        self.now += other.now
        self.lost += other.lost
        self.modified += other.modified
        self.directions.update(other.directions)


class _Part:
    """What one chunk of cases contributes to a diff; parts add up in chunk order."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.changed_cases = self.decision_changed = 0
        self.directions: Counter[str] = Counter()
        self.fields: Counter[str] = Counter()
        self.transitions: Counter[tuple[str, str, str]] = Counter()
        self.tallies: dict[str, _Tally] = {}
        self.pool: dict[str, list[tuple[int, int]]] = {d: [] for d in DIRECTIONS}
        """Per direction, (facts present, index) of its first ``POOL`` changed cases."""

    def add(self, other: _Part) -> None:
        self.size += other.size
        self.changed_cases += other.changed_cases
        self.decision_changed += other.decision_changed
        self.directions.update(other.directions)
        self.fields.update(other.fields)
        self.transitions.update(other.transitions)
        for rule_id, tally in other.tallies.items():
            self.tallies.setdefault(rule_id, _Tally()).add(tally)
        for direction, found in other.pool.items():
            self.pool[direction] += found[:POOL - len(self.pool[direction])]


def _chunk_part(base: RuleSet, changed: RuleSet, modified: frozenset[str], columns: Columns, start: int) -> _Part:
    """Diff one chunk: compare outcome fingerprints, then look closer only at the rows that differ."""
    a_table, b_table = _batch.outcome_table(base, columns), _batch.outcome_table(changed, columns)
    return _changed_rows(base, changed, modified, columns, start, a_table=a_table, b_table=b_table)


def _changed_rows(
    base: RuleSet, changed: RuleSet, modified: frozenset[str], columns: Columns, start: int, *,
    a_table: _batch.OutcomeTable, b_table: _batch.OutcomeTable,
) -> _Part:
    """What the rows whose outcomes differ contribute, looked at once per distinct pair of outcomes.

    Rows with equal fingerprints under both rule sets have equal outcomes (see ``OutcomeTable``), so
    each distinct (before, after) pair is classified once and counted as often as it occurs: the
    Python work grows with the kinds of change, not with the changed rows.
    """
    part = _Part(columns.n)
    rows = np.flatnonzero(a_table.fingerprint != b_table.fingerprint)
    if not len(rows):
        return part
    pairs = np.stack([a_table.fingerprint[rows], b_table.fingerprint[rows]], axis=1)
    _, first, group, counts = np.unique(pairs, axis=0, return_index=True, return_inverse=True, return_counts=True)
    group = group.reshape(-1)
    directions = []
    kinds = rows[first]
    for a, b, n in zip(a_table.outcomes(kinds), b_table.outcomes(kinds), counts.tolist(), strict=True):
        direction = classify(a, b, base, changed)
        directions.append(DIRECTIONS.index(direction))
        part.changed_cases += n
        part.directions[direction] += n
        differing = [f for f, x, y in zip(FIELDS, a, b, strict=True) if x != y]
        for f in differing:
            part.fields[f] += n
        part.decision_changed += 0 if same_decision(a, b) else n
        for key in _transitions(a, b):
            part.transitions[key] += n
        before, after = set(a.applied), set(b.applied)
        involved = [(r, "now") for r in after - before] + [(r, "lost") for r in before - after]
        involved += [(r, "modified") for r in (before & after & modified)]
        for rule_id, how in involved:
            tally = part.tallies.setdefault(rule_id, _Tally())
            tally.cases += n
            tally.directions[direction] += n
            setattr(tally, how, getattr(tally, how) + n)
    # The pool keeps, per direction, its first ``POOL`` changed rows in row order.
    row_direction = np.asarray(directions)[group]
    present = columns.known_facts(rows)
    for code, direction in enumerate(DIRECTIONS):
        mine = row_direction == code
        part.pool[direction] += zip(present[mine][:POOL].tolist(), (start + rows[mine][:POOL]).tolist(), strict=True)
    return part


def diff(
    base: RuleSet, changed: RuleSet, cases: Sequence[Case], *, examples: int = 3, chunk: int = CHUNK,
    progress: Callable[[int, int], None] | None = None, workers: int | None = None,
) -> DiffReport:
    """The impact of replacing ``base`` by ``changed`` on ``cases``.

    Cases are compared by the batch evaluator a chunk at a time, on ``workers`` processes (all
    usable cores by default), through outcome fingerprints: consequence items are compared as a
    set, not by the order the rule files list them in.

    Args:
        base: the rules in force.
        changed: the proposed rules (typically ``load(key, overlays=[...])``).
        cases: the cases (a ``Population`` or a list).
        examples: at most this many minimal examples per direction.
        chunk: cases evaluated per batch.
        progress: called as ``progress(done, total)`` after each batch.
        workers: processes to use; 1 evaluates in this process.

    Returns:
        An immutable ``DiffReport``.
    """
    if examples < 0 or chunk < 1:
        raise ValueError(f"examples must be at least 0 and chunk at least 1 (got {examples}, {chunk})")
    total = len(cases)
    base_ids, changed_ids = {r.id for r in base}, {r.id for r in changed}
    modified = frozenset(r for r in base_ids & changed_ids if base.rule(r).rule != changed.rule(r).rule)
    whole = _Part(0)

    def work(columns: Columns, start: int) -> _Part:
        return _chunk_part(base, changed, modified, columns, start)

    for part in _batch.map_chunks(work, cases, size=chunk, workers=workers):
        whole.add(part)
        if progress is not None:
            progress(whole.size, total)

    def impact(rule_id: str, tally: _Tally) -> RuleImpact:
        rule = (changed if rule_id in changed_ids else base).rule(rule_id).rule
        return RuleImpact(
            rule_id=rule_id, stage=rule.stage, label=rule.label, citation=Cited.of(rule.citation),
            in_base=rule_id in base_ids, in_changed=rule_id in changed_ids, modified=rule_id in modified,
            edits=_edits(base.rule(rule_id).rule, rule) if rule_id in modified else (),
            cases=tally.cases, now_applies=tally.now, no_longer_applies=tally.lost, applies_modified=tally.modified,
            directions=tuple(Count(name=d, cases=tally.directions[d]) for d in DIRECTIONS if tally.directions[d]))

    # Fewest facts first, then earliest.
    chosen = [(d, i, n) for d in DIRECTIONS for n, i in heapq.nsmallest(examples, whole.pool[d])]
    return DiffReport(
        base=_summary(base), changed=_summary(changed), cases=total, changed_cases=whole.changed_cases,
        decision_changed=whole.decision_changed,
        directions=tuple(Count(name=d, cases=whole.directions[d]) for d in DIRECTIONS),
        transitions=tuple(Transition(dimension=d, base=x, changed=y, cases=n) for (d, x, y), n in sorted(
            whole.transitions.items(), key=lambda item: (DIMENSIONS.index(item[0][0]), -item[1], item[0][1], item[0][2])))
        if whole.transitions else (),
        fields=tuple(Count(name=f, cases=whole.fields[f]) for f in FIELDS),
        rules=tuple(impact(r, t) for r, t in sorted(whole.tallies.items(), key=lambda item: (-item[1].cases, item[0]))),
        examples=tuple(_example(direction=d, index=i, present=n, case=cases[i], base=base, changed=changed, modified=modified)
                       for d, i, n in chosen),
    )


def _leaves(value: Any, path: str) -> dict[str, Any]:
    if isinstance(value, dict) and value:
        return {k: v for key, item in value.items() for k, v in _leaves(item, f"{path}.{key}" if path else key).items()}
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, dict) for v in value):
        return {k: v for i, item in enumerate(value) for k, v in _leaves(item, f"{path}.{i}").items()}
    return {path: list(value) if isinstance(value, tuple) else value}


def _edits(before: Rule, after: Rule) -> tuple[RuleEdit, ...]:
    """The values of a rule that differ between two versions, by path (lists of values compared whole)."""
    a = _leaves(json.loads(json.dumps(before.model_dump(mode="json"), default=json_default)), "")
    b = _leaves(json.loads(json.dumps(after.model_dump(mode="json"), default=json_default)), "")
    return tuple(RuleEdit(path=k, base=a.get(k), changed=b.get(k)) for k in [*a, *(k for k in b if k not in a)] if a.get(k) != b.get(k))


def _example(
    *, direction: Direction, index: int, present: int, case: Case, base: RuleSet, changed: RuleSet, modified: frozenset[str],
) -> Example:
    a, b = base.evaluate(case), changed.evaluate(case)
    x, y = outcome_of(a), outcome_of(b)
    before, after = set(x.applied), set(y.applied)
    rules = sorted((before ^ after) | (before & after & modified))
    return Example(
        direction=direction, index=index, case_id=case.id, facts_present=present,
        fields=tuple(_field_change(f, p, q) for f, p, q in zip(FIELDS, x, y, strict=True) if p != q),
        rules=tuple(rules), steps=_steps(a, b),
        case=_compact(json.loads(canonical_case_json(case))), base=a, changed=b)


# -- case corpora ---------------------------------------------------------------------------------

class CaseFiles(Sequence[Case]):
    """Case files read (and validated) only when accessed, so a large corpus is never all in memory."""

    def __init__(self, paths: Sequence[Path]) -> None:
        self.paths = tuple(paths)

    def __len__(self) -> int:
        return len(self.paths)

    @overload
    def __getitem__(self, i: int) -> Case: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[Case]: ...
    def __getitem__(self, i: int | slice) -> Case | Sequence[Case]:
        if isinstance(i, slice):
            return [read_case(p) for p in self.paths[i]]
        return read_case(self.paths[i])


def case_files(directory: Path) -> CaseFiles:
    """Every ``*.yaml``, ``*.yml`` and ``*.json`` file of ``directory``, in sorted order.

    Raises:
        GuanzhiError: ``directory`` is not a directory. (A malformed case file raises ``CaseError`` when it is read.)
    """
    if not directory.is_dir():
        raise GuanzhiError(f"{directory}: not a directory of case files")
    return CaseFiles(sorted(p for p in directory.iterdir() if p.suffix in (".yaml", ".yml", ".json") and p.is_file()))


guanzhi_rules._present(__name__)  # the public names above read as guanzhi_rules.<name>
