"""Satisfiability of compiled conditions: can some case make a condition true, and which one?

Used by ``guanzhi check`` to find rules that can never apply and pairs of rules that can apply
together. The search is exact over the fact vocabulary:

- a scalar fact (yes/no, coded value, number, date) takes one representative of each class of
  values the formula cannot tell apart (for numbers and dates: each constant, one value between
  neighbouring constants, and one beyond each end);
- a set fact is one yes/no variable per member the formula mentions.

A rule named in an ``applies`` condition is read as its own condition (defeats aside, so the search
may find a case where the named rule would in fact be defeated).

The question is put to Z3 (``z3-solver``, as Catala's proof backend uses it) with a time budget
per question; a question it cannot settle in time is reported as such (``OverBudget``), never a
hang. A witness is then trimmed with the engine's own three-valued logic to the facts the result
rests on (true with the rest unknown; Kleene logic is monotone, so any completion keeps it true).
"""

from __future__ import annotations

import datetime as dt
import itertools
import time
from collections.abc import Iterator
from typing import Any

import z3

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


class OverBudget(Exception):  # an outcome of the search, not a failure of the input
    """The solver did not settle the question within its time budget."""


BUDGET_MS = 1_000
"""Time the solver may spend on one question (one rule's satisfiability, one pair's overlap)."""


def witness(condition: Condition, budget_ms: int = BUDGET_MS) -> dict[Var, Any] | None:
    """An assignment of facts that makes ``condition`` true, or None if none can.

    A direct search answers small questions (all of the bundled rule sets'); one that would take
    more than ``SEARCH_WORK`` goes to Z3 over the same finite domains: each scalar
    fact an index into its representatives, each set member a yes/no, named conditions shared, so
    the formula is as large as the compiled condition, not as its written-out form.

    Raises:
        OverBudget: the solver could not decide within ``budget_ms`` milliseconds.
    """
    domains = _domains(list(_comparisons(condition)))
    try:
        found = _search(condition, domains)
    except _LongSearch:
        found = _solve(condition, domains, budget_ms)
    if found is not None and len(found) <= MINIMISE_UP_TO:
        for var in list(found):  # keep only what the result rests on: true with the rest unknown
            rest = {k: v for k, v in found.items() if k != var}
            if value(condition, rest) is True:
                found = rest
    return found


class _LongSearch(Exception):  # a signal to hand the question to the solver
    pass


SEARCH_WORK = 50_000
"""Parts of the condition the direct search may evaluate (steps × parts) before the question goes to
Z3; the bundled rule sets' questions take a small fraction of it."""


def _search(condition: Condition, domains: dict[Var, list[Any]]) -> dict[Var, Any] | None:
    """Depth-first over the domains in order, pruned by three-valued logic: the first witness, or None.

    A fact not yet chosen is unknown, and Kleene logic is monotone, so a formula false with some
    facts unknown is false for every choice of them.

    Raises:
        _LongSearch: it would take more than ``SEARCH_WORK``.
    """
    order = list(domains)
    steps = 0
    most = max(1, SEARCH_WORK // sum(1 for _ in walk(condition)))

    def search(assignment: dict[Var, Any]) -> dict[Var, Any] | None:
        nonlocal steps
        steps += 1
        if steps > most:
            raise _LongSearch
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

    return search({})


def _solve(condition: Condition, domains: dict[Var, list[Any]], budget_ms: int) -> dict[Var, Any] | None:
    """``_search``'s answer from Z3, for questions too large to search directly.

    Raises:
        OverBudget: Z3 could not decide within ``budget_ms``.
    """
    if budget_ms <= 0:
        raise OverBudget("no solver time left")
    encoder = _Encoder(domains, z3.Context())  # a context per question: Z3's default one is not thread-safe
    solver = z3.Solver(ctx=encoder.ctx)
    solver.set("timeout", budget_ms)
    solver.add(encoder.encode(condition))
    verdict = solver.check()
    if verdict == z3.unsat:
        return None
    if verdict != z3.sat:
        raise OverBudget(solver.reason_unknown())
    return encoder.first(condition, solver, time.monotonic() + budget_ms / 1000)


MINIMISE_UP_TO = 64
"""Up to this many facts a witness is trimmed to what it rests on (one evaluation per fact)."""


class _Encoder:
    """Compiled conditions as Z3 formulas over the facts' finite domains, each shared part encoded once."""

    def __init__(self, domains: dict[Var, list[Any]], ctx: Any) -> None:
        self.domains, self.ctx = domains, ctx
        self.vars: dict[Var, Any] = {}
        self.memo: dict[int, Any] = {}
        self.free = 0
        for var in domains:
            if isinstance(var, tuple):
                self.vars[var] = z3.Bool(f"{var[0]}:{getattr(var[1], 'value', var[1])}", ctx)
            else:
                self.vars[var] = z3.Int(var, ctx)

    def bounds(self) -> list[Any]:
        return [z3.And(v >= 0, v < len(self.domains[var])) for var, v in self.vars.items() if not isinstance(var, tuple)]

    def encode(self, condition: Condition) -> Any:
        return self._and([*self.bounds(), self._formula(condition)])

    def _and(self, parts: list[Any]) -> Any:
        return z3.And(*parts) if parts else z3.BoolVal(True, self.ctx)

    def _or(self, parts: list[Any]) -> Any:
        return z3.Or(*parts) if parts else z3.BoolVal(False, self.ctx)

    def _formula(self, condition: Condition) -> Any:
        key = id(condition)
        if key not in self.memo:
            self.memo[key] = self._build(condition)
        return self.memo[key]

    def _build(self, condition: Condition) -> Any:
        if isinstance(condition, Comparison):
            path = condition.spec.path
            if condition.spec.kind == "set":
                return self._and([self._or([self.vars[(path, m)] for m in sorted(group)]) for group in condition.groups])
            index = self.vars[path]
            return self._or([index == i for i, v in enumerate(self.domains[path]) if condition.test({path: v})])
        if isinstance(condition, All):
            return self._and([self._formula(p) for p in condition.parts])
        if isinstance(condition, Any_):
            return self._or([self._formula(p) for p in condition.parts])
        if isinstance(condition, Not):
            return z3.Not(self._formula(condition.part))
        if isinstance(condition, Use):
            return self._formula(condition.target)
        if isinstance(condition, Applies):
            # A referenced rule may yet be defeated, and one without a condition may or may not apply:
            # its standing is read as its bare condition, or as free, an over-approximation.
            return self._or([self._free() if t is None else self._formula(t) for t in condition.targets])
        raise TypeError(f"unknown condition {condition!r}")  # pragma: no cover

    def _free(self) -> Any:
        self.free += 1
        return z3.Bool(f"@free{self.free}", self.ctx)

    def first(self, condition: Condition, solver: Any, deadline: float) -> dict[Var, Any]:
        """The witness a search of the domains in order finds, by asking the solver fact by fact.

        Each fact in turn takes its first representative that leaves the formula satisfiable, until
        the facts fixed so far make it true with the rest unknown: exactly ``_search``'s answer,
        whatever model the solver would have returned. Past ``deadline``, the solver's model.

        Raises:
            OverBudget: the solver cannot confirm a model of the choices kept.
        """
        found: dict[Var, Any] = {}
        for var, z in self.vars.items():
            choices = [True, False] if isinstance(var, tuple) else range(len(self.domains[var]))
            for choice in choices:
                left = deadline - time.monotonic()
                if left <= 0:
                    return self._model(solver)
                solver.set("timeout", max(1, int(left * 1000)))
                solver.push()
                solver.add(z == choice)
                if solver.check() == z3.sat:
                    found[var] = choice if isinstance(var, tuple) else self.domains[var][choice]
                    break
                solver.pop()
            else:
                return self._model(solver)
            if value(condition, found) is True:
                return found
        return found

    def _model(self, solver: Any) -> dict[Var, Any]:
        if solver.check() != z3.sat:
            raise OverBudget(solver.reason_unknown())
        model = solver.model()
        return {var: self.read(model, var) for var in self.vars}

    def read(self, model: Any, var: Var) -> Any:
        """The value the model gives ``var`` (a fact the formula leaves free takes its first representative)."""
        found = model.eval(self.vars[var], model_completion=True)
        if isinstance(var, tuple):
            return z3.is_true(found)
        return self.domains[var][found.as_long()]


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
