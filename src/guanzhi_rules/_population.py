"""Seeded, reproducible populations of valid case fact sheets, drawn from the fact registry.

The distribution is the one the public hypothesis strategies use for whole cases: every fact is
independently present or unknown with even odds, and a present fact takes a value uniformly
from its domain (codes from the vocabulary, 0-4 codes for a set, 0-12 for a count, 0-1e9 for an
amount, 2010-2030 for a date, with dates whose order is certain assigned in that order).

Case ``i`` of ``generate(n, seed)`` depends only on ``seed`` and ``i``: the first k cases of a
larger population are the k cases of a smaller one.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator, Sequence
from typing import Any, overload

from guanzhi_rules._case import Case, parse_case
from guanzhi_rules._facts import FACTS, FactSpec

CHUNK = 1024
"""Cases drawn from one random stream; each chunk is seeded from (seed, chunk number)."""

FIRST_DAY, LAST_DAY = dt.date(2010, 1, 1), dt.date(2030, 12, 31)

ORDERED_DATES = (
    "dates.conduct", "dates.clue_received", "dates.application_received", "dates.application_accepted",
    "dates.tolerance_decided", "dates.rectified", "decision.date", "dates.decision_served", "dates.appeal_received",
)
"""Dates whose order is certain (see ``_case._DATE_ORDER``), earliest first: drawn dates are sorted into them."""


def domain(spec: FactSpec) -> tuple[Any, ...] | None:
    """The finite list of values a coded fact takes (codes as strings), or None for counts, amounts and dates."""
    if spec.kind == "bool":
        return (False, True)
    if spec.values is not None:
        return tuple(m.value for m in spec.values)
    return None


def _draw(rng: random.Random, spec: FactSpec, values: tuple[Any, ...] | None) -> Any:
    if spec.kind == "set":
        assert values is not None
        return rng.sample(values, rng.randint(0, min(4, len(values))))
    if values is not None:
        return values[rng.randrange(len(values))]
    if spec.kind == "int":
        return rng.randint(0, 12)
    if spec.kind == "number":
        return rng.uniform(0, 1e9)
    return (FIRST_DAY + dt.timedelta(days=rng.randint(0, (LAST_DAY - FIRST_DAY).days))).isoformat()


_SPECS = tuple((path.split("."), spec, domain(spec)) for path, spec in FACTS.items())
_ORDERED = tuple(path.split(".") for path in ORDERED_DATES)


def draw_case(rng: random.Random) -> dict[str, Any]:
    """One valid case as plain data (codes as strings, dates as ISO strings)."""
    data: dict[str, Any] = {}
    for (section, name), spec, values in _SPECS:
        if rng.random() < 0.5:
            data.setdefault(section, {})[name] = _draw(rng, spec, values)
    present = [(s, n) for s, n in _ORDERED if n in data.get(s, {})]
    for (section, name), value in zip(present, sorted(data[s][n] for s, n in present), strict=True):
        data[section][name] = value
    return data


def _chunk(seed: int, number: int) -> list[dict[str, Any]]:
    rng = random.Random(f"guanzhi-population:{seed}:{number}")  # noqa: S311 - reproducible sampling, not secrecy
    return [draw_case(rng) for _ in range(CHUNK)]


class Population(Sequence[Case]):
    """``n`` generated cases; ``data(i)`` is case i as plain data, ``self[i]`` the validated ``Case``."""

    def __init__(self, n: int, seed: int) -> None:
        if n < 0:
            raise ValueError(f"a population has at least 0 cases, not {n}")
        self.n, self.seed = n, seed
        self._chunks: dict[int, list[dict[str, Any]]] = {}

    def __len__(self) -> int:
        return self.n

    def data(self, i: int) -> dict[str, Any]:
        if not 0 <= i < self.n:
            raise IndexError(i)
        number, offset = divmod(i, CHUNK)
        if number not in self._chunks:
            self._chunks = {number: _chunk(self.seed, number)}  # keep one chunk: populations may be large
        return {"id": f"generated-{self.seed}-{i}", **self._chunks[number][offset]}

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


def generate(n: int, seed: int = 0) -> Population:
    """A reproducible population of ``n`` valid cases."""
    return Population(n, seed)
