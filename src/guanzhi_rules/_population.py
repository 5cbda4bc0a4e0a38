"""Seeded, reproducible populations of valid case fact sheets, drawn from the fact registry.

The distribution is the one the public hypothesis strategies use for whole cases: every fact is
independently present or unknown with even odds (``known``, adjustable per population), and a present fact takes a value uniformly
from its domain (codes from the vocabulary, 0-4 codes for a set, 0-12 for a count, 0-1e9 for an
amount, 2010-2030 for a date, with dates whose order is certain assigned in that order).

Cases are drawn a chunk at a time, straight into columns (``_columns``), so a population of a
million is generated in seconds and evaluated without building a ``Case`` per row. Case ``i``
depends only on the seed and ``i``: the first k cases of a larger population are the k cases
of a smaller one, and any chunk can be drawn alone, in any process.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any, overload

import numpy as np

from guanzhi_rules._case import Case, parse_case
from guanzhi_rules._columns import DOMAINS, INDEX, Array, Columns, row
from guanzhi_rules._facts import FACTS
from guanzhi_rules._vocab import DISCIPLINE_OF_GRADE

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
    member = np.zeros((size, n), dtype=bool)
    rows = np.arange(n)
    for step in range(MAX_SET):
        active = step < k
        top = size - k + step  # Floyd: draw t in [0, top]; take t, or top if t is already taken
        t = np.minimum((rng.random(n) * (top + 1)).astype(np.int64), np.maximum(top, 0))
        pick = np.where(member[np.clip(t, 0, size - 1), rows], top, t)
        member[pick[active], rows[active]] = True
    return member


def draw(rng: np.random.Generator, n: int, known: float = KNOWN) -> Columns:
    """``n`` valid cases as columns, each fact known with probability ``known``."""
    data: dict[str, Array] = {}
    present = rng.random((len(FACTS), n)) < known
    for j, (path, spec) in enumerate(FACTS.items()):
        values = DOMAINS[path]
        if spec.kind == "set":
            assert values is not None
            data[path] = _subsets(rng, len(values), rng.integers(0, min(MAX_SET, len(values)) + 1, n) * present[j])
        elif values is not None:
            data[path] = np.where(present[j], rng.integers(0, len(values), n), -1).astype(np.int16)
        else:
            if spec.kind == "int":
                drawn = rng.integers(0, MAX_COUNT + 1, n).astype(np.float64)
            elif spec.kind == "number":
                drawn = rng.uniform(0, MAX_AMOUNT, n)
            else:
                drawn = rng.integers(FIRST_DAY.toordinal(), LAST_DAY.toordinal() + 1, n).astype(np.float64)
            data[path] = np.where(present[j], drawn, np.nan)
    # The k-th present date of the ordered list gets the k-th earliest of the drawn dates.
    dates = np.stack([data[p] for p in ORDERED_DATES], axis=1)
    known = ~np.isnan(dates)
    ascending = np.sort(np.where(known, dates, np.inf), axis=1)
    position = np.cumsum(known, axis=1) - 1
    ordered = np.where(known, np.take_along_axis(ascending, np.maximum(position, 0), axis=1), np.nan)
    for k, path in enumerate(ORDERED_DATES):
        data[path] = ordered[:, k]
    # A grade of discipline drawn brings its kind with it (a case must list the kind of every grade).
    kinds, kind_index = data["decision.discipline"], INDEX["decision.discipline"]
    for g, code in enumerate(DOMAINS["decision.discipline_grades"] or ()):
        kinds[kind_index[DISCIPLINE_OF_GRADE[code].value]] |= data["decision.discipline_grades"][g]
    return Columns(n, data)


MAX_POPULATION = 100_000_000
"""Largest generated population: a 10⁶-case diff takes seconds, so this bounds one at minutes."""


class Population(Sequence[Case]):
    """``n`` generated cases; ``data(i)`` is case i as plain data, ``self[i]`` the validated ``Case``."""

    def __init__(self, n: int, seed: int, known: float = KNOWN) -> None:
        if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= MAX_POPULATION:
            raise ValueError(f"a population has from 0 to {MAX_POPULATION:,} cases, not {n!r}")
        if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**63:
            raise ValueError(f"a seed is a whole number from 0 to 2**63 - 1, not {seed!r}")
        if not isinstance(known, (int, float)) or not 0 <= known <= 1:  # NaN fails both comparisons
            raise ValueError(f"known is a probability, from 0 to 1, not {known!r}")
        self.n, self.seed, self.known = n, seed, known
        self._cached: tuple[int, Columns] | None = None

    def __len__(self) -> int:
        return self.n

    def columns(self, number: int) -> Columns:
        """The cases of chunk ``number`` as columns (the last chunk may be short)."""
        if self._cached is None or self._cached[0] != number:
            self._cached = (number, draw(np.random.default_rng([self.seed, number]), CHUNK, self.known))
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


def generate(n: int, seed: int = 0, known: float = KNOWN) -> Population:
    """A reproducible population of ``n`` valid cases, each fact known with probability ``known``.

    With the default, most generated cases leave scope or accountability open (about one in a
    thousand is accountable under each bundled rule set); a higher ``known`` decides more of them.
    """
    return Population(n, seed, known)
