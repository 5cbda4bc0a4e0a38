"""Parts of a determination built on first read (trace, open questions, fingerprints, decision space,
sensitivity): identical when read, free when not."""

from __future__ import annotations

import copy
import hashlib
import pickle
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

import guanzhi_rules as g
from guanzhi_rules import _evaluator, _space, _version
from guanzhi_rules._case import Case
from guanzhi_rules._determination import LAZY, Deferred, Determination, Fingerprints, OpenQuestion, TraceStep, fact_value
from guanzhi_rules._facts import flatten
from guanzhi_rules._outcome import outcome_of
from guanzhi_rules._pipeline import unknown_facts
from guanzhi_rules._population import generate
from tests.support import LEADING_CADRE, merge

from .strategies import cases
from .test_case import canonical_json_the_old_way

RULESETS = {key: g.load(key) for key in g.BUNDLED}
EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "examples" / "cases").glob("*.yaml"))
GENERATED = [*generate(100, seed=18), *generate(100, seed=19, known=0.9)]

OPEN: dict[str, Any] = merge(LEADING_CADRE, {
    "subject": {"organisation_type": "government_organ"},
    "conduct": {"acts": ["performing_duties_poorly"]},
    "harm": {"influence": "adverse"},
})
"""A bureau director whose work was poorly performed with adverse influence; 情节 not stated, so a decision space opens."""


def built_the_old_way(ruleset: g.RuleSet, case: Case) -> dict[str, Any]:
    """The parts now deferred, built at once as evaluation built them before: validated records, straight from the
    decision; the case hash over the model's JSON dump; the decision space from those open questions."""
    d = _evaluator.decide(ruleset, case)
    facts, result, state = d.state.facts, d.state.result, d.state
    trace = tuple(
        TraceStep(step=i, rule_id=r.id, stage=r.rule.stage, citation=r.cited, result=result[r.id],
                  facts={} if result[r.id] == "not_reached" else {p: fact_value(facts[p]) for p in r.reads},
                  defeats=tuple(state.defeats.get(r.id, ())), defeated_by=tuple(state.defeated_by.get(r.id, ())))
        for i, r in enumerate(ruleset.in_trace_order, start=1))
    own = {r.id: unknown_facts(r, facts, result) for r in ruleset if result.get(r.id) == "undetermined"}
    deciding = tuple(sorted({
        f for rid, waits in own.items() if ruleset.rule(rid).rule.stage in ("scope", "circumstance", "bar", "exemption")
        for f in waits}))
    questions = tuple(
        OpenQuestion(rule_id=rid, stage=ruleset.rule(rid).rule.stage, unknown_facts=waits or deciding) for rid, waits in own.items())
    fingerprints = Fingerprints(
        engine_version=_version.__version__, ruleset_sha256=ruleset.sha256, version=ruleset.version,
        case_sha256=hashlib.sha256(canonical_json_the_old_way(case).encode()).hexdigest())
    return {"trace": trace, "open_questions": questions, "fingerprints": fingerprints,
            "decision_space": _space.decision_space(d, questions)}


def _eager(ruleset: g.RuleSet, case: Case, d: Determination, *, sensitivity: bool) -> str:
    """``d`` written out with every deferred part built at once, the old way (and its sensitivity, if asked for)."""
    update = built_the_old_way(ruleset, case)
    if sensitivity:
        update["sensitivity"] = _space.sensitivity(ruleset, flatten(case), outcome_of(d))
    return d.model_copy(update=update).to_json()


def _deferred(d: Determination) -> list[str]:
    """The names of the parts of ``d`` not yet built."""
    return [name for name in LAZY if type(d.__dict__[name]) is Deferred]


@pytest.mark.parametrize("key", g.BUNDLED)
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_written_out_is_what_eager_building_gives(key: str, path: Path) -> None:
    """Each example case under each rule set, with sensitivity, writes out byte for byte as with every part built at once."""
    ruleset, case = RULESETS[key], g.read_case(path)
    expected = _eager(ruleset, case, ruleset.evaluate(case, sensitivity=True), sensitivity=True)
    assert ruleset.evaluate(case, sensitivity=True).to_json() == expected


@pytest.mark.parametrize("key", g.BUNDLED)
def test_generated_cases_written_out_are_what_eager_building_gives(key: str) -> None:
    """Two hundred generated cases (half with most facts known) write out byte for byte as with every part built at once."""
    ruleset = RULESETS[key]
    for case in GENERATED:
        d = ruleset.evaluate(case)
        assert d.to_json() == _eager(ruleset, case, d, sensitivity=False), case.id


def test_generated_cases_open_decision_spaces() -> None:
    """The generated cases include some that open a decision space, so the comparison above reaches it."""
    assert sum(RULESETS[key].evaluate(case).decision_space is not None for key in g.BUNDLED for case in GENERATED) >= 10


@pytest.mark.parametrize("key", g.BUNDLED)
@settings(max_examples=40)
@given(case=cases())
def test_any_case_reads_as_built_the_old_way(key: str, case: Case) -> None:
    """For any valid case, each deferred part read equals the one built at once the old way, and the JSON is byte-identical."""
    ruleset = RULESETS[key]
    d, expected = ruleset.evaluate(case), built_the_old_way(ruleset, case)
    assert ruleset.evaluate(case).to_json() == d.model_copy(update=expected).to_json()
    assert {name: getattr(d, name) for name in expected} == expected


def test_a_deferred_determination_behaves_as_a_built_one() -> None:
    """Not yet read, a determination compares, hashes, pickles, dumps, iterates and prints as one with every part built."""
    ruleset = RULESETS["benxi"]
    built = Determination.model_validate_json(ruleset.evaluate(OPEN).to_json())
    assert _deferred(built) == []

    def fresh() -> Determination:
        d = ruleset.evaluate(OPEN)
        assert _deferred(d) == [name for name in LAZY if name != "sensitivity"]  # every record: none is built yet
        return d

    assert fresh() == built and built == fresh()
    assert fresh() != built.model_copy(update={"trace": built.trace[1:]})
    for d in (fresh(), built):
        with pytest.raises(TypeError, match="unhashable"):  # the facts of a finding are a dict, as before
            hash(d)
    assert fresh().model_dump() == built.model_dump()
    assert fresh().model_dump(mode="json") == built.model_dump(mode="json")
    steps = {"trace": {"__all__": {"facts", "citation"}}, "fingerprints": {"engine_version"}}
    assert fresh().model_dump_json(exclude=steps) == built.model_dump_json(exclude=steps)
    assert "engine_version" not in fresh().model_dump_json(exclude=steps)
    assert dict(fresh()) == dict(built) and not any(type(v) is Deferred for _, v in fresh())
    assert repr(fresh()) == repr(built)
    unpickled = pickle.loads(pickle.dumps(fresh()))
    assert _deferred(unpickled) == [] and unpickled == built and unpickled.to_json() == built.to_json()
    assert copy.deepcopy(fresh()) == built and copy.copy(fresh()) == built


def test_parts_are_not_built_unless_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """Evaluating and copying build no part; reading one builds it once and keeps it; writing out builds them all."""
    calls = {"decision_space": 0, "sensitivity": 0}

    def counted(name: str) -> Any:
        build = getattr(_space, name)

        def call(*args: Any) -> Any:
            calls[name] += 1
            return build(*args)
        return call

    for name in calls:
        monkeypatch.setattr(_space, name, counted(name))
    d = RULESETS["benxi"].evaluate(OPEN)
    d.scope, d.sanctions, d.exemption, d.model_copy()
    assert _deferred(d) == [name for name in LAZY if name not in ("scope", "sanctions", "exemption", "sensitivity")]
    d = RULESETS["benxi"].evaluate(OPEN, sensitivity=True)  # its sensitivity starts from the outcome, which reads the trace
    outcome_of(d), d.model_copy(), d.applied(), d.open_questions
    assert calls == {"decision_space": 0, "sensitivity": 0}
    assert {"decision_space", "sensitivity", "fingerprints"} <= set(_deferred(d))
    assert not {"trace", "open_questions", "sanctions"} & set(_deferred(d))
    assert d.decision_space is not None and d.decision_space is d.decision_space
    assert calls == {"decision_space": 1, "sensitivity": 0}
    d.to_json(), d.model_dump(), d.to_text()
    assert calls == {"decision_space": 1, "sensitivity": 1}
    assert _deferred(d) == []


def test_reading_in_any_order_gives_the_same() -> None:
    """The attribute read first or the JSON written first: the same space, the same JSON, the same Python dump."""
    ruleset = RULESETS["benxi"]
    first, second = ruleset.evaluate(OPEN, sensitivity=True), ruleset.evaluate(OPEN, sensitivity=True)
    space, changes = first.decision_space, first.sensitivity
    assert second.to_json() == first.to_json()
    assert second.model_dump() == first.model_dump()
    assert (second.decision_space, second.sensitivity) == (space, changes)


def test_equality_copies_and_pickling_see_the_built_parts() -> None:
    """A determination not yet read equals one read, its deep copy and its pickled copy, which carries the parts built."""
    ruleset = RULESETS["benxi"]
    read, fresh = ruleset.evaluate(OPEN, sensitivity=True), ruleset.evaluate(OPEN, sensitivity=True)
    read.to_json()
    assert fresh == read and read == fresh
    assert copy.deepcopy(ruleset.evaluate(OPEN)) == ruleset.evaluate(OPEN)
    unpickled = pickle.loads(pickle.dumps(ruleset.evaluate(OPEN, sensitivity=True)))
    assert _deferred(unpickled) == []
    assert unpickled == read and unpickled.to_json() == read.to_json()
    assert ruleset.evaluate(OPEN) != read  # asked for sensitivity or not still differ


def test_parts_cannot_be_set() -> None:
    """A determination stays immutable: no deferred part can be assigned, built or not."""
    d = RULESETS["benxi"].evaluate(OPEN, sensitivity=True)
    d.trace  # noqa: B018 - one built, the others not
    for name in LAZY:
        with pytest.raises((AttributeError, ValueError)):
            setattr(d, name, None)
