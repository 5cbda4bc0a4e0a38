"""What else the outcome could be: the decision space over judgement points, and sensitivity to single facts.

Both evaluate variants of one case: the case with some facts set otherwise. A decision space's
few (at most ``MAX_BRANCHES``) are decided one by one, as the traced evaluator decides; sensitivity's
hundreds all at once on the batch evaluator (``_batch``), which decides every row exactly as the
traced evaluator does. Each way is the faster for its own (``benchmarks/run.py``): the batch
evaluator's fixed cost is milliseconds, one decision about a tenth of one.

- **Decision space.** Where accountability, the exemption or the sanction range hangs on unknown
  judgement points (the decision-maker's assessments such as 情节 and findings such as "other
  circumstance", see ``_case.Judgement``), every combination of their answers is evaluated (at most
  ``MAX_BRANCHES``), and combinations with the same outcome are grouped into one branch.
- **Sensitivity.** Each single change of one fact the rule set reads (another value, or unknown;
  a member added to or taken from a set; a number or date across each bound a rule compares it
  with) that would change accountability, the exemption or the range.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from guanzhi_rules._conditions import Comparison, walk
from guanzhi_rules._determination import Branch, Change, DecisionSpace, Deferred, OpenQuestion, fact_value
from guanzhi_rules._facts import FACTS
from guanzhi_rules._outcome import Outcome
from guanzhi_rules._pipeline import mandatory

if TYPE_CHECKING:
    from guanzhi_rules._evaluator import Decision
    from guanzhi_rules._ruleset import RuleSet

MAX_BRANCHES = 64
"""Most combinations of judgement points a decision space enumerates."""


def _domain(path: str) -> list[Any]:
    """Every answer a judgement point can take, as a case holds it."""
    spec = FACTS[path]
    return [True, False] if spec.kind == "bool" else list(spec.values or ())


def _outcomes(ruleset: RuleSet, variants: Sequence[Mapping[str, Any]]) -> list[Outcome]:
    from guanzhi_rules import _batch  # noqa: PLC0415 - numpy only when sensitivity is read, not in every evaluate
    from guanzhi_rules._columns import encode  # noqa: PLC0415 - ditto

    return _batch.outcome_table(ruleset, encode(variants)).outcomes()


def _keys(decision: Decision, variants: Iterable[Mapping[str, Any]]) -> list[tuple[Any, ...]]:
    """What a decision space tells apart, for each variant of the decided case's facts: accountability, exemption,
    range, bands, circumstances. Each variant is decided on its own, as the case was, without records."""
    ruleset = decision.state.plan.ruleset
    keys = []
    for variant in variants:
        d = decision.again(variant)
        result = d.state.result
        bands = tuple(r.id for r in ruleset.stage("sanction_band") if result[r.id] == "applies")
        circumstances = tuple(r.id for r in ruleset.stage("circumstance") if result[r.id] == "applies")
        binding = any(mandatory(ruleset.rule(b)) for b in bands)
        keys.append((d.accountable, d.exemption, d.range.measures, bands, binding, circumstances))
    return keys


def judgement_points(questions: Iterable[OpenQuestion]) -> list[str]:
    """The unknown judgement points the open questions wait for, findings first, then by fewest answers."""
    paths = {p for q in questions for p in q.unknown_facts if FACTS[p].judgement}
    return sorted(paths, key=lambda p: (FACTS[p].judgement != "finding", len(_domain(p)), p))


def deferred_space(decision: Decision, questions: Deferred) -> Deferred:
    """The decision space, built on first read from the open ``questions`` (themselves built on first read)."""
    return Deferred(_space_of, decision, questions)


def _space_of(decision: Decision, questions: Deferred) -> DecisionSpace | None:
    return decision_space(decision, questions.value())


def deferred_sensitivity(ruleset: RuleSet, facts: Mapping[str, Any], base: Outcome) -> Deferred:
    """The sensitivity, built on first read."""
    return Deferred(sensitivity, ruleset, facts, base)


def decision_space(decision: Decision, questions: Sequence[OpenQuestion]) -> DecisionSpace | None:
    """What follows from each answer to the unknown judgement points ``questions`` wait for (None: there are none)."""
    facts = decision.state.facts
    points = judgement_points(questions)
    if not points:
        return None
    chosen: list[str] = []
    for path in points:
        if math.prod(len(_domain(p)) for p in (*chosen, path)) <= MAX_BRANCHES:
            chosen.append(path)
    combos = list(itertools.product(*(_domain(p) for p in chosen)))
    keys = _keys(decision, ({**facts, **dict(zip(chosen, combo, strict=True))} for combo in combos))
    groups: dict[tuple[Any, ...], list[tuple[Any, ...]]] = {}
    for combo, key in zip(combos, keys, strict=True):
        groups.setdefault(key, []).append(combo)
    if len(groups) == 1:
        return None  # every answer leads to the same outcome: nothing hangs on them
    pieces = [(key, rect) for key, members in groups.items() for rect in _rectangles(members)]
    # A point every branch takes in full decides nothing: leave it out of the branches.
    deciding = [i for i, p in enumerate(chosen) if any(len(rect[i]) < len(_domain(p)) for _, rect in pieces)]
    # Within a branch, a point it takes in full is no condition of it: left out of its ``when``.
    branches = tuple(_branch({chosen[i]: rect[i] for i in deciding if len(rect[i]) < len(_domain(chosen[i]))}, key)
                     for key, rect in pieces)
    return DecisionSpace(points=tuple(chosen[i] for i in deciding), branches=branches,
                         not_enumerated=tuple(p for p in points if p not in chosen))


def _rectangles(combos: list[tuple[Any, ...]]) -> list[tuple[tuple[Any, ...], ...]]:
    """Split combinations into rectangles (every combination of some values per point), few and in order.

    Values of the first point whose combinations of the others agree are put together, and the others
    split the same way in turn.
    """
    if not combos[0]:
        return [()]
    rests: dict[Any, list[tuple[Any, ...]]] = {}
    for combo in combos:
        rests.setdefault(combo[0], []).append(combo[1:])
    alike: dict[frozenset[tuple[Any, ...]], list[Any]] = {}
    for value, rest in rests.items():
        alike.setdefault(frozenset(rest), []).append(value)
    return [(tuple(values), *sub) for values in alike.values() for sub in _rectangles(rests[values[0]])]


def _branch(when: Mapping[str, tuple[Any, ...]], key: tuple[Any, ...]) -> Branch:
    accountable, exemption, measures, bands, binding, circumstances = key
    return Branch(when={p: tuple(fact_value(v) for v in values) for p, values in when.items()}, accountable=accountable,
                  exemption=exemption, measures=measures, bands=bands, mandatory=binding, circumstances=circumstances)


# -- sensitivity ----------------------------------------------------------------------------------


def _read(ruleset: RuleSet) -> dict[str, list[Comparison]]:
    """The facts the rule set's conditions read, each with the comparisons on it."""
    read: dict[str, list[Comparison]] = {}
    for rule in ruleset:
        for part in walk(rule.condition) if rule.condition is not None else ():
            if isinstance(part, Comparison):
                read.setdefault(part.spec.path, []).append(part)
    return read


def _alternatives(path: str, current: Any, tests: list[Comparison]) -> list[Any]:
    """The values of one fact worth trying: each other value of its domain, unknown, or across each bound."""
    spec = FACTS[path]
    if spec.kind == "set":
        members = sorted({m for c in tests for group in c.groups for m in group})
        return [current ^ {m} for m in members]
    if spec.kind in ("bool", "enum", "ordinal"):
        values: list[Any] = _domain(path)
    else:
        step: Any = dt.timedelta(days=1) if spec.kind == "date" else 1
        bounds = sorted({c.value for c in tests if not isinstance(c.value, frozenset)})
        values = sorted({v for b in bounds for v in (b - step, b, b + step)})
    return [v for v in (*values, None) if v != current]


def sensitivity(ruleset: RuleSet, facts: Mapping[str, Any], base: Outcome) -> tuple[Change, ...]:
    """Each single change of a fact the rule set reads that changes accountability, the exemption or the range."""
    tried: list[tuple[str, Any]] = [
        (path, value) for path, tests in sorted(_read(ruleset).items()) for value in _alternatives(path, facts[path], tests)]
    outcomes = _outcomes(ruleset, [{**facts, path: value} for path, value in tried])
    changes = []
    for (path, value), outcome in zip(tried, outcomes, strict=True):
        differ = tuple(name for name in ("accountable", "exemption", "measures") if getattr(outcome, name) != getattr(base, name))
        if differ:
            changes.append(Change(fact=path, was=fact_value(facts[path]), value=fact_value(value), changes=differ,
                                  accountable=outcome.accountable, exemption=outcome.exemption, measures=outcome.measures))
    return tuple(changes)
