"""How much of the trace a determination's JSON carries (``--trace``, the API's ``trace``)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings

import guanzhi_rules as g
from guanzhi_rules._output import comparison_json, determination_json, trace_exclusion
from guanzhi_rules.strategies import cases


@given(cases())
def test_full_is_exactly_to_json(case: g.Case) -> None:
    """trace full is the library's to_json, at any indent."""
    d = g.load("yueyang").evaluate(case)
    assert determination_json(d) == d.to_json()
    assert determination_json(d, trace="full", indent=None) == d.to_json(indent=None)


@given(cases())
def test_steps_and_none_leave_out_only_the_trace_detail(case: g.Case) -> None:
    """steps drops each step's facts and citation, none drops the trace; every other field and the order are kept."""
    d = g.load("benxi").evaluate(case)
    full: dict[str, Any] = json.loads(d.to_json())
    steps = json.loads(determination_json(d, trace="steps"))
    none = json.loads(determination_json(d, trace="none"))
    assert list(none) == [k for k in full if k != "trace"]
    assert none == {k: v for k, v in full.items() if k != "trace"}
    assert steps["trace"] == [{k: v for k, v in s.items() if k not in ("facts", "citation")} for s in full["trace"]]
    assert {k: v for k, v in steps.items() if k != "trace"} == none


@pytest.mark.parametrize("key", g.BUNDLED)
@settings(max_examples=25)
@given(case=cases())
def test_every_level_writes_what_pydantic_writes(key: str, case: g.Case) -> None:
    """Written directly (every part built, no serialiser wrapped round the fields), each level is pydantic's own dump."""
    d = g.load(key).evaluate(case, sensitivity=True)
    for trace in ("full", "steps", "none"):
        for indent in (None, 2):
            expected = d.model_dump_json(indent=indent, exclude=trace_exclusion(trace))
            assert determination_json(d, trace=trace, indent=indent) == expected


def test_comparison_levels_apply_to_each_determination() -> None:
    """A comparison's determinations carry the trace level asked for; the rows are unchanged."""
    comparison = g.compare({"subject": {"kind": "person"}}, ["benxi", "zhejiang"])
    assert comparison_json(comparison) == comparison.to_json()
    none = json.loads(comparison_json(comparison, trace="none"))
    assert all("trace" not in d for d in none["determinations"])
    assert none["rows"] == json.loads(comparison.to_json())["rows"]


def test_an_unknown_level_is_refused() -> None:
    """Only full, steps and none are levels."""
    d = g.load("benxi").evaluate({})
    with pytest.raises(ValueError, match="trace must be one of full, steps, none"):
        determination_json(d, trace="some")  # type: ignore[arg-type]
