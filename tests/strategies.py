"""Hypothesis strategies for valid case data, derived from the fact registry."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from guanzhi_rules._facts import FACTS, FactSpec


def _value(spec: FactSpec) -> st.SearchStrategy[Any]:
    if spec.kind == "bool":
        return st.booleans()
    if spec.kind in ("enum", "ordinal"):
        assert spec.values is not None
        return st.sampled_from([m.value for m in spec.values])
    if spec.kind == "set":
        assert spec.values is not None
        return st.lists(st.sampled_from([m.value for m in spec.values]), max_size=4, unique=True)
    if spec.kind == "int":
        return st.integers(min_value=0, max_value=12)
    if spec.kind == "number":
        return st.floats(min_value=0, max_value=1e9, allow_nan=False, allow_infinity=False)
    return st.dates(min_value=dt.date(2010, 1, 1), max_value=dt.date(2030, 12, 31)).map(dt.date.isoformat)


@st.composite
def case_data(draw: st.DrawFn) -> dict[str, Any]:
    """A valid case as plain data: each fact independently present (with a valid value) or absent."""
    data: dict[str, Any] = {}
    for path, spec in FACTS.items():
        if draw(st.booleans()):
            section, name = path.split(".")
            data.setdefault(section, {})[name] = draw(_value(spec))
    _order_dates(data)
    return data


# Dates whose order is certain (see guanzhi_rules._case._DATE_ORDER), earliest first: giving the
# drawn dates to them in sorted order keeps every generated case consistent.
_ORDERED_DATES = (
    "dates.conduct", "dates.clue_received", "dates.application_received", "dates.application_accepted", "dates.tolerance_decided",
    "dates.rectified", "decision.date", "dates.decision_served", "dates.appeal_received",
)


def _order_dates(data: dict[str, Any]) -> None:
    present = [path.split(".") for path in _ORDERED_DATES if path.split(".")[1] in data.get(path.split(".")[0], {})]
    values = sorted(data[section][name] for section, name in present)
    for (section, name), value in zip(present, values, strict=True):
        data[section][name] = value
