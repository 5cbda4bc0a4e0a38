"""Cases as columns: one numpy array per fact, for evaluating a whole population at once.

Encoding, by fact kind:

- ``bool``, ``enum``, ``ordinal``: ``int16`` codes, the value's position in its domain (for an
  ordinal, its rank), ``-1`` when unknown;
- ``set``: a ``bool`` matrix, one row per code of the domain (a set is never unknown);
- ``int``, ``number``: ``float64``, NaN when unknown;
- ``date``: ``float64`` day numbers (``date.toordinal()``), NaN when unknown.

``encode`` builds columns from flattened cases (``code`` encodes one value); ``empty`` is a column
of unknowns; ``row`` turns one row back into case data. They round-trip exactly:
``parse_case(row(encode(cases), i))`` equals ``cases[i]``'s facts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from guanzhi_rules._facts import FACTS, FactSpec

Array = npt.NDArray[Any]


def domain(spec: FactSpec) -> tuple[Any, ...] | None:
    """The finite list of values a coded fact takes (codes as strings), or None for counts, amounts and dates."""
    if spec.kind == "bool":
        return (False, True)
    if spec.values is not None:
        return tuple(m.value for m in spec.values)
    return None


DOMAINS: dict[str, tuple[Any, ...] | None] = {path: domain(spec) for path, spec in FACTS.items()}
INDEX: dict[str, dict[Any, int]] = {path: {v: i for i, v in enumerate(d)} for path, d in DOMAINS.items() if d is not None}
"""Each coded fact's values mapped to their column codes."""


@dataclass(frozen=True)
class Columns:
    """``n`` cases, fact by fact (see the module docstring for the encoding)."""

    n: int
    data: Mapping[str, Array]

    def __getitem__(self, path: str) -> Array:
        return self.data[path]

    def known_facts(self, rows: Array) -> Array:
        """How many facts of each of ``rows`` (row positions) are known (a set counts when it is not empty)."""
        count = np.zeros(len(rows), dtype=np.int64)
        for path, spec in FACTS.items():
            column = self.data[path][..., rows]
            if spec.kind == "set":
                count += column.any(axis=0)
            elif spec.kind in ("int", "number", "date"):
                count += ~np.isnan(column)
            else:
                count += column >= 0
        return count

    def rows(self, start: int, stop: int) -> Columns:
        """Rows ``start`` to ``stop`` (exclusive), sharing this table's memory."""
        stop = min(stop, self.n)
        return Columns(stop - start, {path: column[..., start:stop] for path, column in self.data.items()})


@runtime_checkable
class ColumnSource(Protocol):
    """Cases that are held as columns already (a generated population, a case table), so the batch paths need not encode them."""

    def columns_at(self, start: int, size: int) -> Columns | None:
        """Cases ``start`` to ``start + size`` as columns, or None where this source cannot give them so."""


def _plain(value: Any) -> Any:
    return value.value if hasattr(value, "value") else value


def code(path: str, value: Any) -> float:
    """The column code of one known value of fact ``path`` (for a set: of one member)."""
    kind = FACTS[path].kind
    if kind in ("int", "number"):
        return float(value)
    if kind == "date":
        return float(value.toordinal())
    return INDEX[path][_plain(value)]


def empty(path: str, n: int) -> Array:
    """A column of ``n`` rows where fact ``path`` is unknown (for a set: empty)."""
    kind = FACTS[path].kind
    if kind == "set":
        return np.zeros((len(INDEX[path]), n), dtype=bool)
    if kind in ("int", "number", "date"):
        return np.full(n, np.nan)
    return np.full(n, -1, dtype=np.int16)


def encode(facts: Sequence[Mapping[str, Any]]) -> Columns:
    """Columns for flattened cases (``_facts.flatten``)."""
    n = len(facts)
    data: dict[str, Array] = {}
    for path, spec in FACTS.items():
        values = [f[path] for f in facts]
        column = data[path] = empty(path, n)
        if spec.kind == "set":
            for i, members in enumerate(values):
                column[[int(code(path, m)) for m in members], i] = True
        else:
            known = [i for i, v in enumerate(values) if v is not None]
            column[known] = [code(path, values[i]) for i in known]
    return Columns(n, data)


def row(columns: Columns, i: int) -> dict[str, Any]:
    """Case ``i`` as plain data (codes as strings, dates as ISO strings); unknown facts left out."""
    data: dict[str, Any] = {}
    for path, spec in FACTS.items():
        column, values = columns[path], DOMAINS[path]
        section, name = path.split(".")
        if spec.kind == "set":
            assert values is not None
            members = [values[j] for j in np.flatnonzero(column[:, i])]
            if members:
                data.setdefault(section, {})[name] = members
            continue
        cell = column[i]
        if spec.kind in ("int", "number", "date"):
            if np.isnan(cell):
                continue
            value: Any = {"int": int, "number": float}.get(spec.kind, lambda c: dt.date.fromordinal(int(c)).isoformat())(cell)
        elif cell < 0:
            continue
        else:
            assert values is not None
            value = values[int(cell)]
        data.setdefault(section, {})[name] = value
    return data
