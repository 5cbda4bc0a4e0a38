"""Generated populations with facts fixed or weighted: valid cases, the values asked for, reproducible, errors by fact path."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guanzhi_rules._columns import INDEX
from guanzhi_rules._facts import FACTS, flatten
from guanzhi_rules._population import CHUNK, ORDERED_DATES, fact_value, generate
from guanzhi_rules._vocab import DISCIPLINE_OF_GRADE
from guanzhi_rules.exceptions import CaseError

DATE_ORDER = list(ORDERED_DATES)


def _plain(value: Any) -> Any:
    if isinstance(value, frozenset):
        return sorted(v.value for v in value)
    return getattr(value, "value", value)


def test_a_fixed_fact_is_in_every_case_and_the_rest_is_drawn_as_before() -> None:
    """Every case takes the fixed values (a set exactly), and the facts not fixed are those of the unfixed population."""
    fix = {"decision.measures": ["transfer"], "subject.is_leading_cadre": True, "subject.team_members_held_accountable": 2}
    pinned, plain = generate(200, seed=7, fix=fix), generate(200, seed=7)
    for i in range(200):
        facts, before = flatten(pinned[i]), flatten(plain[i])
        assert _plain(facts["decision.measures"]) == ["transfer"]
        assert facts["subject.is_leading_cadre"] is True and facts["subject.team_members_held_accountable"] == 2
        assert {k: v for k, v in facts.items() if k not in fix} == {k: v for k, v in before.items() if k not in fix}


def test_a_weighted_fact_takes_its_value_about_p_of_the_time() -> None:
    """A weight (value, p) gives the value in about p of the cases, more often than drawing alone does."""
    n = 4000
    population = generate(n, seed=2, weight={"decision.measures": (["transfer"], 0.3)})
    column = population.columns(0)["decision.measures"]
    only_transfer = column[INDEX["decision.measures"]["transfer"]] & (column.sum(axis=0) == 1)
    hits = int(only_transfer[:n].sum())
    assert 0.27 * n < hits < 0.36 * n  # 0.3 from the weight, plus the few cases drawing exactly {transfer}


def test_pinned_populations_are_reproducible_per_chunk() -> None:
    """Case i depends only on the seed, the settings and i: a chunk drawn alone and a prefix give the same cases."""
    pins: dict[str, Any] = {"fix": {"decision.date": "2021-03-01"}, "weight": {"subject.administrative_level": ("county", 0.5)}}
    small, large = generate(10, seed=9, **pins), generate(CHUNK + 10, seed=9, **pins)
    assert [small.data(i) for i in range(10)] == [large.data(i) for i in range(10)]
    assert large.data(CHUNK + 3) == generate(CHUNK + 10, seed=9, **pins).data(CHUNK + 3)


PINNED: dict[str, Any] = {
    "known": 0.9, "fix": {"decision.discipline": ["public_office"], "dates.conduct": "2015-01-01"},
    "weight": {"dates.decision_served": ("2022-02-02", 0.6), "decision.measures": (["transfer"], 0.3)},
}


@pytest.mark.parametrize(("seed", "pins", "digests"), [
    (1, {}, ("d735f7ee978aa4f7", "80457f5f63c634d9")),
    (2, PINNED, ("afe0dae4dd88d979", "c57a3193de243f6d")),
])
def test_generated_cases_stay_the_cases_drawn_before(seed: int, pins: dict[str, Any], digests: tuple[str, str]) -> None:
    """Two chunks hash as they always have: documented figures depend on every value drawn, so a faster draw must not change one."""
    population = generate(2 * CHUNK, seed, **pins)
    for number, expected in enumerate(digests):
        columns, digest = population.columns(number), hashlib.sha256()
        for path in FACTS:
            digest.update(np.ascontiguousarray(columns[path]).tobytes())
        assert digest.hexdigest()[:16] == expected, (seed, number)


@settings(max_examples=15, deadline=None)
@given(day=st.dates(dt.date(2011, 1, 1), dt.date(2029, 12, 31)), which=st.sampled_from(DATE_ORDER), p=st.sampled_from([0.5, 1.0]))
def test_other_dates_are_moved_into_order_around_a_pinned_date(day: dt.date, which: str, p: float) -> None:
    """Whatever date is fixed or weighted, every generated case is valid: the drawn dates are put in order around it."""
    pins: dict[str, Any] = {"fix": {which: day.isoformat()}} if p == 1.0 else {"weight": {which: (day.isoformat(), p)}}
    population = generate(150, seed=4, known=0.9, **pins)
    for case in population:  # parse_case rejects dates out of order
        dates = [v for path in DATE_ORDER if (v := flatten(case)[path]) is not None]
        assert dates == sorted(dates)
    if p == 1.0:
        assert all(flatten(c)[which] == day for c in population)


def test_fixed_kinds_of_discipline_keep_only_their_grades_and_fixed_grades_bring_their_kind() -> None:
    """Fixing the kinds keeps only grades of those kinds; fixing a grade adds its kind; the cases stay valid."""
    kinds = generate(400, seed=1, known=0.9, fix={"decision.discipline": ["public_office"]})
    for case in kinds:
        assert _plain(case.decision.discipline) == ["public_office"]
        assert all(DISCIPLINE_OF_GRADE[g].value == "public_office" for g in case.decision.discipline_grades)
    grades = generate(100, seed=1, fix={"decision.discipline_grades": ["party_warning"]})
    assert all("party" in _plain(c.decision.discipline) for c in grades)


@pytest.mark.parametrize(("pins", "path", "words"), [
    ({"fix": {"decision.measure": ["transfer"]}}, "decision.measure", "did you mean 'decision.measures'"),
    ({"fix": {"decision.measures": ["transfr"]}}, "decision.measures.0", "got 'transfr'"),
    ({"fix": {"subject.is_leading_cadre": "yes"}}, "subject.is_leading_cadre", "got 'yes'"),
    ({"fix": {"dates.conduct": "2021-01-01", "decision.date": "2020-01-01"}}, "decision.date", "before dates.conduct"),
    ({"fix": {"dates.rectified": "2021-01-01"}, "weight": {"decision.date": ("2020-01-01", 0.5)}}, "decision.date", "before"),
    ({"fix": {"decision.discipline": [], "decision.discipline_grades": ["party_warning"]}}, "decision", "does not list"),
    ({"weight": {"subject.is_leading_cadre": (True, 1.5)}}, "subject.is_leading_cadre", "probability"),
    ({"fix": {"subject.team_members_held_accountable": 1}, "weight": {"subject.team_members_held_accountable": (2, 0.5)}},
     "subject.team_members_held_accountable", "either fixed or weighted"),
])
def test_bad_pins_name_the_fact_path(pins: dict[str, Any], path: str, words: str) -> None:
    """An unknown fact, a bad value, dates out of order, a grade without its kind or a bad probability is a CaseError at its path."""
    with pytest.raises(CaseError) as caught:
        generate(5, seed=0, **pins)
    assert any(p.path == path and words in p.message for p in caught.value.problems), caught.value.problems


@pytest.mark.parametrize(("path", "text", "value"), [
    ("decision.measures", "transfer;removal", ["transfer", "removal"]),
    ("decision.measures", "", []),
    ("subject.is_leading_cadre", "true", True),
    ("subject.team_members_held_accountable", "3", 3),
    ("harm.loss_amount_cny", "2.5", 2.5),
    ("decision.date", "2020-01-02", "2020-01-02"),
    ("subject.administrative_level", "county", "county"),
    ("subject.team_members_held_accountable", "many", "many"),
    ("no.such", "x;y", "x;y"),
])
def test_command_line_values_read_as_in_a_case_file(path: str, text: str, value: Any) -> None:
    """``a;b`` is a set, true/false a boolean, numbers numbers; anything else is left as text for validation to judge."""
    assert fact_value(path, text) == value
