"""The batch evaluator against the traced one: every row's outcome must be the traced outcome."""

from __future__ import annotations

import difflib
import json
import os
import threading
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import guanzhi_rules as g
from guanzhi_rules import _batch, _columns
from guanzhi_rules._batch import outcomes
from guanzhi_rules._case import parse_case
from guanzhi_rules._facts import FACTS, flatten
from guanzhi_rules._outcome import Outcome, outcome_of
from guanzhi_rules._population import CHUNK, generate
from tests.strategies import case_data

RULESETS = g.load_all()


def _disagreement(key: str, data: dict[str, Any], batch: Outcome, traced: Outcome) -> str:
    a = json.dumps(batch._asdict(), ensure_ascii=False, indent=1).splitlines()
    b = json.dumps(traced._asdict(), ensure_ascii=False, indent=1).splitlines()
    diff = "\n".join(difflib.unified_diff(a, b, "batch", "traced", lineterm=""))
    return f"{key}: batch and traced evaluators disagree on\n{json.dumps(data, ensure_ascii=False)}\n{diff}"


@pytest.mark.parametrize("key", list(RULESETS))
@settings(max_examples=40)
@given(batch=st.lists(case_data(), min_size=1, max_size=8))
def test_batch_outcomes_equal_traced_outcomes(key: str, batch: list[dict[str, Any]]) -> None:
    """For any generated batch of cases, the batch evaluator's outcome of each row equals the traced evaluator's outcome."""
    ruleset = RULESETS[key]
    cases = [parse_case(d) for d in batch]
    for data, case, got in zip(batch, cases, outcomes(ruleset, cases), strict=True):
        want = outcome_of(ruleset.evaluate(case))
        assert got == want, _disagreement(key, data, got, want)


@pytest.mark.parametrize("key", list(RULESETS))
def test_batch_agrees_on_a_generated_population(key: str) -> None:
    """1,000 generated cases per rule set, evaluated a chunk at a time as ``guanzhi diff`` does."""
    ruleset, population = RULESETS[key], generate(1000, seed=11)
    for i, got in enumerate(outcomes(ruleset, population)):
        want = outcome_of(ruleset.evaluate(population[i]))
        assert got == want, _disagreement(key, population.data(i), got, want)


@settings(max_examples=100)
@given(data=case_data())
def test_columns_round_trip_a_case(data: dict[str, Any]) -> None:
    """A case encoded into the column store and read back as a row has the same flattened facts."""
    case = parse_case(data)
    back = parse_case(_columns.row(_columns.encode([flatten(case)]), 0))
    assert flatten(back) == flatten(case)


def test_population_is_reproducible_and_prefix_stable() -> None:
    """A generated population depends only on its seed, begins with any smaller one's cases, and ends where its size says."""
    small, large = generate(5, seed=3), generate(CHUNK + 5, seed=3)
    assert [small.data(i) for i in range(5)] == [large.data(i) for i in range(5)]
    assert generate(5, seed=4).data(0) != small.data(0)
    assert large.data(CHUNK + 1) == generate(CHUNK + 5, seed=3).data(CHUNK + 1)
    with pytest.raises(IndexError):
        small.data(5)


def test_population_cases_are_valid_and_keep_dates_in_order() -> None:
    """Every generated case parses (its dates in their certain order) and carries an id naming the seed."""
    population = generate(300, seed=5)
    for case in population:  # parse_case rejects dates out of their certain order
        assert case.id is not None and case.id.startswith("generated-5-")


@pytest.mark.parametrize("key", list(RULESETS))
def test_fingerprints_equal_exactly_when_outcomes_are_equal(key: str) -> None:
    """Two rows of the outcome table share a fingerprint exactly when their outcomes are equal, and there are many distinct ones."""
    ruleset, population = RULESETS[key], generate(3000, seed=2)
    table = _batch.outcome_table(ruleset, population.columns(0))
    seen: dict[int, Outcome] = {}
    for i, outcome in enumerate(table.outcomes()):
        other = seen.setdefault(int(table.fingerprint[i]), outcome)
        assert (other.scope, other.exemption, other.accountable, other.measures, sorted(other.consequences), other.applied) == (
            outcome.scope, outcome.exemption, outcome.accountable, outcome.measures, sorted(outcome.consequences), outcome.applied)
    assert len(set(table.fingerprint.tolist())) > 10, "a population this size has many distinct outcomes"


def test_failed_pilot_gets_the_five_exemption_outcomes_in_the_batch() -> None:
    """The failed reform pilot gets each rule set's own exemption outcome in the batch, the same as the traced evaluator's."""
    case = g.read_case("examples/cases/failed_reform_pilot.yaml")
    got = {key: outcomes(ruleset, [case])[0] for key, ruleset in RULESETS.items()}
    assert {key: o.exemption for key, o in got.items()} == {
        "jiangsu": "eligible", "yangjiang": "eligible", "benxi": "not_provided", "yueyang": "granted", "zhejiang": "granted"}
    assert got["yueyang"].accountable is False and got["yueyang"].measures == ()
    assert got == {key: outcome_of(ruleset.evaluate(case)) for key, ruleset in RULESETS.items()}


def test_known_sets_the_chance_each_fact_is_known() -> None:
    """``known`` is the chance each fact is known (1.0 all, 0.0 none), shown in the case id; above 1 it is refused."""
    everything, nothing = generate(50, seed=1, known=1.0), generate(50, seed=1, known=0.0)
    scalar_facts = [p for p, spec in FACTS.items() if spec.kind != "set"]
    for i in range(50):
        present = flatten(everything[i])
        assert all(present[p] is not None for p in scalar_facts)
        assert all(v is None or v == frozenset() for v in flatten(nothing[i]).values())
    assert everything.data(3)["id"] == "generated-1-k1-3" and generate(5, seed=1).data(3)["id"] == "generated-1-3"
    with pytest.raises(ValueError, match="probability"):
        generate(5, seed=1, known=1.5)


def test_a_better_known_population_decides_more_cases() -> None:
    """A population whose facts are more often known has more Zhejiang cases decided in scope and accountability."""
    zhejiang = RULESETS["zhejiang"]
    decided = {
        known: sum(o.accountable is not None and o.scope != "undetermined" for o in outcomes(zhejiang, generate(3000, seed=4, known=known)))
        for known in (0.5, 0.9)}
    assert decided[0.9] > decided[0.5]


def test_map_chunks_stays_in_process_while_other_threads_run() -> None:
    """Forking a multi-threaded process can deadlock the child: by default the chunks then run here."""
    population = generate(3 * CHUNK, seed=1)
    release = threading.Event()
    waiter = threading.Thread(target=release.wait)
    waiter.start()
    try:
        pids = set(_batch.map_chunks(lambda columns, start: os.getpid(), population))
    finally:
        release.set()
        waiter.join()
    assert pids == {os.getpid()}
    assert len(set(_batch.map_chunks(lambda columns, start: os.getpid(), population, workers=2)) - {os.getpid()}) >= 1


@pytest.mark.parametrize("key", list(RULESETS))
def test_all_consequences_are_each_rows_consequences(key: str) -> None:
    """The consequences of all rows, worked out once per pattern, are each row's own, converted measures included."""
    table = _batch.outcome_table(RULESETS[key], generate(4000, seed=3, known=0.9).columns(0))
    lines = table.all_consequences()
    assert lines == [table.consequences(i) for i in range(table.n)]
    assert sum(map(bool, lines)) > 100 or not table.plan.lines  # Yangjiang states no consequence items
    if key == "yueyang":  # its suspension converts into a transfer after six months unrectified
        assert table.converted


# -- the outcome digest's sum ---------------------------------------------------------------------

@settings(max_examples=40, deadline=None)
@given(st.sampled_from([1, 7, 64, 500, 65_793, 65_794, 70_000]), st.integers(1, 40), st.integers(0, 2**32 - 1))
def test_digest_sum_by_bytes_equals_the_integer_sum(members: int, rows: int, seed: int) -> None:
    """The byte-split BLAS sum of digests equals the 64-bit integer matrix product (modulo 2**64), in float32 and float64."""
    rng = np.random.default_rng(seed)
    hashes = rng.integers(0, 2**64 - 1, members, dtype=np.uint64, endpoint=True)
    bits = rng.random((members, rows)) < rng.random()
    with np.errstate(over="ignore"):
        expected = hashes @ bits.astype(np.uint64)  # wraps modulo 2**64
    assert (_batch._HashSum(hashes)(bits) == expected).all()


def test_digest_sum_switches_to_float64_where_float32_would_round() -> None:
    """Past 65,793 members a float32 byte sum could exceed 2**24 and round, so the sum is taken in float64."""
    assert _batch._HashSum(np.zeros(65_793, dtype=np.uint64)).dtype is np.float32
    assert _batch._HashSum(np.zeros(65_794, dtype=np.uint64)).dtype is np.float64
