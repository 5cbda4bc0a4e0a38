"""Satisfiability of compiled conditions: can some case make a condition true, and which one?

Used by ``guanzhi check`` to find rules that can never apply and pairs of rules that can apply
together. The search is exact over the fact vocabulary:

- a scalar fact (yes/no, coded value, number, date) takes one representative of each class of
  values the formula cannot tell apart (for numbers and dates: each constant, one value between
  neighbouring constants, and one beyond each end);
- a set fact is one yes/no variable per member the formula mentions.

A rule named in an ``applies`` condition is read as its own condition (defeats aside, so the search
may find a case where the named rule would in fact be defeated).

Branching is pruned with the engine's own three-valued logic: a fact not yet chosen is unknown,
and Kleene logic is monotone, so a formula false with some facts unknown is false for every
choice of them.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from typing import Any

from guanzhi_rules._conditions import All, Any_, Applies, Comparison, Condition, Not, Use, walk
from guanzhi_rules._logic import all3, any3

Var = str | tuple[str, Any]
"""A scalar fact's path, or (set fact path, member)."""


def _comparisons(condition: Condition) -> Iterator[Comparison]:
    for part in walk(condition):
        if isinstance(part, Comparison):
            yield part
        elif isinstance(part, Applies):
            for target in part.targets:
                if target is not None:
                    yield from _comparisons(target)


def _test(c: Comparison, assignment: dict[Var, Any]) -> bool | None:
    path = c.spec.path
    if c.spec.kind == "set":  # every group meets the set
        return all3(any3(assignment.get((path, m)) for m in sorted(group)) for group in c.groups)
    if path not in assignment:
        return None
    return c.test({path: assignment[path]})


def value(condition: Condition, assignment: dict[Var, Any]) -> bool | None:
    """The condition's three-valued result with only the assigned facts known."""
    if isinstance(condition, Comparison):
        return _test(condition, assignment)
    if isinstance(condition, All):
        return all3(value(p, assignment) for p in condition.parts)
    if isinstance(condition, Any_):
        return any3(value(p, assignment) for p in condition.parts)
    if isinstance(condition, Not):
        inner = value(condition.part, assignment)
        return None if inner is None else not inner
    if isinstance(condition, Use):
        return value(condition.target, assignment)
    if isinstance(condition, Applies):
        # A referenced rule may yet be defeated; reading it as its bare condition over-approximates.
        return any3(None if t is None else value(t, assignment) for t in condition.targets)
    raise TypeError(f"unknown condition {condition!r}")  # pragma: no cover


def _candidates(kind: str, tests: list[Comparison], values: Any) -> list[Any]:
    if kind == "bool":
        return [True, False]
    if kind in ("enum", "ordinal"):
        return list(values)
    constants = sorted({c.value for c in tests})
    if kind == "date":
        step: Any = dt.timedelta(days=1)
        between = [dt.date.fromordinal(a.toordinal() + (b.toordinal() - a.toordinal()) // 2)
                   for a, b in itertools.pairwise(constants)]
    else:
        step = 1
        between = [(a + b) / 2 for a, b in itertools.pairwise(constants)]
    return [constants[0] - step, *constants, *between, constants[-1] + step]


def _domains(comparisons: list[Comparison]) -> dict[Var, list[Any]]:
    """Each variable's representative values: one per class of values the tests cannot tell apart."""
    by_fact: dict[str, list[Comparison]] = {}
    domains: dict[Var, list[Any]] = {}
    for c in comparisons:
        if c.spec.kind == "set":
            for member in sorted(frozenset().union(*c.groups)):
                domains[(c.spec.path, member)] = [True, False]
        else:
            by_fact.setdefault(c.spec.path, []).append(c)
    for path, tests in by_fact.items():
        spec = tests[0].spec
        classes: dict[tuple[bool | None, ...], Any] = {}
        for candidate in _candidates(spec.kind, tests, spec.values):
            signature = tuple(t.test({path: candidate}) for t in tests)
            classes.setdefault(signature, candidate)
        domains[path] = list(classes.values())
    return domains


def witness(condition: Condition) -> dict[Var, Any] | None:
    """An assignment of facts that makes ``condition`` true, or None if none can."""
    comparisons = list(_comparisons(condition))
    domains = _domains(comparisons)
    order = list(domains)

    def search(assignment: dict[Var, Any]) -> dict[Var, Any] | None:
        result = value(condition, assignment)
        if result is True:
            return assignment
        if result is False:
            return None
        var = next(v for v in order if v not in assignment)
        for candidate in domains[var]:
            found = search({**assignment, var: candidate})
            if found is not None:
                return found
        return None

    found = search({})
    if found is None:
        return None
    for var in list(found):  # keep only what the result rests on: true with the rest unknown
        rest = {k: v for k, v in found.items() if k != var}
        if value(condition, rest) is True:
            found = rest
    return found


def describe(assignment: dict[Var, Any]) -> str:
    """A witness as ``fact = value`` text, set members as ``fact has member``."""
    parts = []
    for var, val in assignment.items():
        if isinstance(var, tuple):
            parts.append(f"{var[0]} {'has' if val else 'lacks'} {getattr(var[1], 'value', var[1])}")
        else:
            shown = val.isoformat() if isinstance(val, dt.date) else getattr(val, "value", val)
            parts.append(f"{var} = {shown}")
    return ", ".join(parts) or "any case"
