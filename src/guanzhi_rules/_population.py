"""Seeded, reproducible populations of valid case fact sheets, drawn from the fact registry.

The distribution is the one the public hypothesis strategies use for whole cases: every fact is
independently present or unknown with even odds (``known``, adjustable per population), and a present fact takes a value uniformly
from its domain (codes from the vocabulary, 0-4 codes for a set, 0-12 for a count, 0-1e9 for an
amount, 2010-2030 for a date, with dates whose order is certain assigned in that order).

A population may *fix* facts (every case takes the value) or *weight* them (a case takes the value
with probability p, otherwise the fact is drawn as above). Both are applied to the drawn columns, so
case ``i`` still depends only on the seed, the settings and ``i``, and the population keeps every
invariant a ``Case`` checks: the other dates are moved into order around a fixed date, a grade of
discipline brings its kind, and a fixed kind of discipline keeps only the grades of that kind.

Cases are drawn a chunk at a time, straight into columns (``_columns``), so a population of a
million is generated in seconds and evaluated without building a ``Case`` per row. Case ``i``
depends only on the seed and ``i``: the first k cases of a larger population are the k cases
of a smaller one, and any chunk can be drawn alone, in any process.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import Any, overload

import numpy as np

from guanzhi_rules._case import Case, parse_case
from guanzhi_rules._columns import DOMAINS, INDEX, Array, Columns, encode, row
from guanzhi_rules._facts import FACTS, flatten
from guanzhi_rules._suggestions import suggest
from guanzhi_rules._vocab import DISCIPLINE_OF_GRADE
from guanzhi_rules.exceptions import CaseError, FieldProblem

KNOWN = 0.5
"""The chance that each fact of a generated case is known, unless a population says otherwise."""

CHUNK = 16384
"""Cases drawn from one random stream; each chunk is seeded from (seed, chunk number)."""

FIRST_DAY, LAST_DAY = dt.date(2010, 1, 1), dt.date(2030, 12, 31)
MAX_SET = 4
MAX_COUNT = 12
MAX_AMOUNT = 1e9

ORDERED_DATES = (
    "dates.conduct", "dates.clue_received", "dates.application_received", "dates.application_accepted",
    "dates.tolerance_decided", "dates.rectified", "decision.date", "dates.decision_served", "dates.appeal_received",
)
"""Dates whose order is certain (see ``_case._DATE_ORDER``), earliest first: drawn dates are sorted into them."""


def _subsets(rng: np.random.Generator, size: int, k: Array) -> Array:
    """A uniform subset of ``k[i]`` of ``size`` codes for each case i, by Floyd's algorithm (k at most MAX_SET).

    Returns a (size, n) matrix, as ``_columns`` lays out sets.
    """
    n = len(k)
    # Floyd, step s: draw t in [0, top + s]; take t, or top + s if an earlier step took t. Every case draws
    # all MAX_SET steps and keeps the picks of its first k. As k <= size, top >= 0, and t = floor(u * (top + s + 1))
    # <= top + s for every u < 1: no clipping is needed.
    top = size - k
    drawn = rng.random((MAX_SET, n))
    drawn *= top + np.arange(1.0, MAX_SET + 1)[:, None]
    picks = drawn.astype(np.intp)
    for step in range(1, MAX_SET):
        taken = picks[step] == picks[0]
        for earlier in picks[1:step]:
            taken |= picks[step] == earlier
        np.copyto(picks[step], top + step, where=taken)
    picks *= n  # positions in the flattened (size, n) matrix
    picks += np.arange(n)
    member = np.zeros(size * n, dtype=bool)
    member[picks[np.arange(MAX_SET)[:, None] < k]] = True
    return member.reshape(size, n)


def draw(rng: np.random.Generator, n: int, known: float = KNOWN, pins: Pins | None = None) -> Columns:
    """``n`` valid cases as columns, each fact known with probability ``known``, with ``pins`` applied."""
    data: dict[str, Array] = {}
    present = rng.random((len(FACTS), n)) < known
    # Integers are drawn as int32: for ranges below 2**32, numpy draws int32 and int64 alike (same stream, same values).
    for j, (path, spec) in enumerate(FACTS.items()):
        values = DOMAINS[path]
        if spec.kind == "set":
            assert values is not None
            data[path] = _subsets(rng, len(values), rng.integers(0, min(MAX_SET, len(values)) + 1, n, dtype=np.int32) * present[j])
        elif values is not None:  # the code, or -1 where the fact is unknown
            data[path] = (rng.integers(0, len(values), n, dtype=np.int32).astype(np.int16) + np.int16(1)) * present[j] - np.int16(1)
        else:
            if spec.kind == "int":
                drawn: Array = rng.integers(0, MAX_COUNT + 1, n, dtype=np.int32)
            elif spec.kind == "number":
                drawn = rng.uniform(0, MAX_AMOUNT, n)
            else:
                drawn = rng.integers(FIRST_DAY.toordinal(), LAST_DAY.toordinal() + 1, n, dtype=np.int32)
            data[path] = np.where(present[j], drawn, np.nan)
    pinned = pins.apply(rng, data, n) if pins else {}
    _order_dates(data, pinned)
    # A grade of discipline drawn brings its kind with it (a case must list the kind of every grade);
    # where the kinds are pinned instead, only grades of those kinds are kept.
    kinds, kind_index = data["decision.discipline"], INDEX["decision.discipline"]
    kinds_pinned = pinned.get("decision.discipline")
    grades = data["decision.discipline_grades"]
    for g, code in enumerate(DOMAINS["decision.discipline_grades"] or ()):
        kind = kind_index[DISCIPLINE_OF_GRADE[code].value]
        if kinds_pinned is not None:
            grades[g] &= ~kinds_pinned | kinds[kind]
        kinds[kind] |= grades[g]
    return Columns(n, data)


def _order_dates(data: dict[str, Array], pinned: Mapping[str, Array]) -> None:
    """Put each case's drawn dates in ``ORDERED_DATES`` order, around the dates ``pinned`` among them (which are in order)."""
    dates = np.stack([data[p] for p in ORDERED_DATES], axis=1)
    free = ~np.isnan(dates)
    held = None
    if any(p in pinned for p in ORDERED_DATES):
        held = np.stack([pinned.get(p, np.zeros(len(dates), dtype=bool)) for p in ORDERED_DATES], axis=1)
        free &= ~held
    # The k-th free date of a case gets the k-th earliest of its free dates: sorting puts NaN last, and
    # the free places are filled row by row.
    ascending = np.sort(dates if held is None else np.where(free, dates, np.nan), axis=1)
    ordered = dates.copy()
    ordered[free] = ascending[~np.isnan(ascending)]
    if held is not None:
        # Then each free date is moved between the pinned dates before and after it.
        with np.errstate(invalid="ignore"):
            before = np.fmax.accumulate(np.where(held, dates, -np.inf), axis=1)
            after = np.fmin.accumulate(np.where(held, dates, np.inf)[:, ::-1], axis=1)[:, ::-1]
        ordered = np.where(free, np.clip(ordered, before, after), ordered)
    for k, path in enumerate(ORDERED_DATES):
        data[path] = ordered[:, k]


class Pins:
    """Facts fixed or weighted in a generated population, validated and encoded as columns encode them.

    Args:
        fix: fact path → value as a case file gives it (a code, number, ISO date, boolean; a list of
            codes for a set fact, meaning exactly that set).
        weight: fact path → (value, p): the fact takes the value with probability p.

    Raises:
        CaseError: an unknown fact (with a did-you-mean), a value the fact cannot take, a probability
            outside 0-1, a fact both fixed and weighted, or values no valid case could hold together
            (dates out of order, a grade of discipline whose kind a fixed set of kinds leaves out), each
            named by its fact path.
    """

    def __init__(self, fix: Mapping[str, Any] | None = None, weight: Mapping[str, tuple[Any, float]] | None = None) -> None:
        fix, weight = dict(fix or {}), dict(weight or {})
        problems = [FieldProblem(path, "unknown fact" + suggest(path, FACTS)) for path in (*fix, *weight) if path not in FACTS]
        problems += [FieldProblem(path, "a fact is either fixed or weighted, not both") for path in fix if path in weight]
        for path, pair in weight.items():
            p = pair[1] if isinstance(pair, tuple) and len(pair) == 2 else None
            if isinstance(p, bool) or not isinstance(p, (int, float)) or not 0 <= p <= 1:
                problems.append(FieldProblem(path, f"a weight is (value, p) with p a probability from 0 to 1, not {pair!r:.80}"))
        if problems:
            raise CaseError(problems, source="population")
        self.fix: Mapping[str, Any] = MappingProxyType(fix)
        self.weight: Mapping[str, tuple[Any, float]] = MappingProxyType({k: (v[0], float(v[1])) for k, v in weight.items()})
        fixed = _encoded(fix)
        # Each weighted value must make a valid case with the fixed values and the other weighted values.
        together = _encoded({**fix, **{path: value for path, (value, _) in weight.items()}})
        self._fixed = {path: fixed[path] for path in fix}
        self._weighted = {path: (together[path], p) for path, (_, p) in self.weight.items()}

    def __bool__(self) -> bool:
        return bool(self.fix or self.weight)

    def __repr__(self) -> str:
        return f"Pins(fix={dict(self.fix)!r}, weight={dict(self.weight)!r})"

    def apply(self, rng: np.random.Generator, data: dict[str, Array], n: int) -> dict[str, Array]:
        """Put the fixed and weighted values into drawn columns; return, per fact, which rows were pinned."""
        pinned: dict[str, Array] = {}
        for path in FACTS:  # registry order, so the random draws do not depend on the order the caller gave
            if path in self._fixed:
                rows = np.ones(n, dtype=bool)
                value = self._fixed[path]
            elif path in self._weighted:
                value, p = self._weighted[path]
                rows = rng.random(n) < p
            else:
                continue
            column = data[path]
            if column.ndim == 2:
                column[:, rows] = value[:, None]
            else:
                column[rows] = value
            pinned[path] = rows
        return pinned


def _encoded(values: Mapping[str, Any]) -> dict[str, Array]:
    """The values as one case's column cells, after validating them together as a case.

    A grade of discipline given without its kind is validated with the kind added, as ``draw`` adds it.
    """
    data: dict[str, Any] = {}
    for path, value in values.items():
        section, name = path.split(".")
        data.setdefault(section, {})[name] = list(value) if isinstance(value, (set, frozenset, tuple)) else value
    decision = data.get("decision", {})
    if "discipline_grades" in decision and "discipline" not in decision and isinstance(decision["discipline_grades"], list):
        grades = [g for g in decision["discipline_grades"] if g in INDEX["decision.discipline_grades"]]
        decision["discipline"] = sorted({DISCIPLINE_OF_GRADE[g].value for g in grades})
    try:
        case = parse_case(data, source="population")
    except CaseError as exc:
        raise CaseError(list(exc.problems), source="population") from None
    dates = [(path, data[path.split(".")[0]][path.split(".")[1]]) for path in ORDERED_DATES if path in values]
    wrong = [FieldProblem(later, f"{b} is before {earlier} ({a}): generated cases keep their dates in the order "
                                 + " ≤ ".join(p.split(".")[1] for p in ORDERED_DATES))
             for (earlier, a), (later, b) in itertools.pairwise(dates) if str(b) < str(a)]
    if wrong:
        raise CaseError(wrong, source="population")
    columns = encode([flatten(case)])
    return {path: columns[path][..., 0] for path in values}


def fact_value(path: str, text: str) -> Any:
    """A fact's value written on a command line as in a case file: a code, a number, a date, true/false, ``a;b`` for a set.

    The text is only read here; ``Pins`` validates it (an unknown fact is left as text for it to name).
    """
    spec = FACTS.get(path)
    kind = spec.kind if spec else None
    if kind == "set":
        return [part.strip() for part in text.split(";") if part.strip()]
    if kind == "bool" and text.lower() in ("true", "false"):
        return text.lower() == "true"
    try:
        if kind == "int":
            return int(text)
        if kind == "number":
            return float(text)
    except ValueError:
        return text
    return text


MAX_POPULATION = 100_000_000
"""Largest generated population: a 10⁶-case diff takes seconds, so this bounds one at minutes."""


class Population(Sequence[Case]):
    """``n`` generated cases; ``data(i)`` is case i as plain data, ``self[i]`` the validated ``Case``."""

    def __init__(
        self, n: int, seed: int, known: float = KNOWN, *, fix: Mapping[str, Any] | None = None,
        weight: Mapping[str, tuple[Any, float]] | None = None,
    ) -> None:
        if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= MAX_POPULATION:
            raise ValueError(f"a population has from 0 to {MAX_POPULATION:,} cases, not {n!r}")
        if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**63:
            raise ValueError(f"a seed is a whole number from 0 to 2**63 - 1, not {seed!r}")
        if not isinstance(known, (int, float)) or not 0 <= known <= 1:  # NaN fails both comparisons
            raise ValueError(f"known is a probability, from 0 to 1, not {known!r}")
        self.n, self.seed, self.known = n, seed, known
        self.pins = Pins(fix, weight)
        self._cached: tuple[int, Columns] | None = None

    def __len__(self) -> int:
        return self.n

    def columns(self, number: int) -> Columns:
        """The cases of chunk ``number`` as columns (the last chunk may be short)."""
        if self._cached is None or self._cached[0] != number:
            self._cached = (number, draw(np.random.default_rng([self.seed, number]), CHUNK, self.known, self.pins))
        return self._cached[1].rows(0, self.n - number * CHUNK)

    def columns_at(self, start: int, size: int) -> Columns | None:
        """Cases ``start`` to ``start + size`` as drawn, when they lie in one chunk (``ColumnSource``)."""
        number, offset = divmod(start, CHUNK)
        return self.columns(number).rows(offset, offset + size) if offset + size <= CHUNK else None

    def data(self, i: int) -> dict[str, Any]:
        if not 0 <= i < self.n:
            raise IndexError(i)
        number, offset = divmod(i, CHUNK)
        known = "" if self.known == KNOWN else f"k{self.known:g}-"
        return {"id": f"generated-{self.seed}-{known}{i}", **row(self.columns(number), offset)}

    @overload
    def __getitem__(self, i: int) -> Case: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[Case]: ...
    def __getitem__(self, i: int | slice) -> Case | Sequence[Case]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(self.n))]
        return parse_case(self.data(i if i >= 0 else i + self.n))

    def __iter__(self) -> Iterator[Case]:
        return (self[i] for i in range(self.n))


def generate(
    n: int, seed: int = 0, known: float = KNOWN, *, fix: Mapping[str, Any] | None = None,
    weight: Mapping[str, tuple[Any, float]] | None = None,
) -> Population:
    """A reproducible population of ``n`` valid cases, each fact known with probability ``known``.

    ``fix`` gives facts every case takes (fact path → value as in a case file; a list for a set fact:
    exactly that set); ``weight`` gives facts a case takes with a probability (path → (value, p)),
    otherwise drawn as usual. ``CaseError`` names any fact or value that cannot be used.

    With the default, most generated cases leave scope or accountability open (about one in a
    thousand is accountable under each bundled rule set); a higher ``known`` decides more of them.
    """
    return Population(n, seed, known, fix=fix, weight=weight)
