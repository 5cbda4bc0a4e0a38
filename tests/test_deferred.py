"""Parts of a determination built on first read (decision space, sensitivity): identical when read, free when not."""

from __future__ import annotations

import copy
import pickle
from pathlib import Path
from typing import Any

import pytest

import guanzhi_rules as g
from guanzhi_rules import _space
from guanzhi_rules._case import Case
from guanzhi_rules._determination import Deferred, Determination
from guanzhi_rules._facts import flatten
from guanzhi_rules._outcome import outcome_of
from guanzhi_rules._population import generate
from tests.support import LEADING_CADRE, merge

RULESETS = {key: g.load(key) for key in g.BUNDLED}
EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "examples" / "cases").glob("*.yaml"))
GENERATED = [*generate(100, seed=18), *generate(100, seed=19, known=0.9)]

OPEN: dict[str, Any] = merge(LEADING_CADRE, {
    "subject": {"organisation_type": "government_organ"},
    "conduct": {"acts": ["performing_duties_poorly"]},
    "harm": {"influence": "adverse"},
})
"""A bureau director whose work was poorly performed with adverse influence; 情节 not stated, so a decision space opens."""


def _eager(ruleset: g.RuleSet, case: Case, d: Determination, *, sensitivity: bool) -> str:
    """``d`` written out with its decision space (and sensitivity) built at once, as evaluation did before deferring."""
    facts = flatten(case)
    update: dict[str, Any] = {"decision_space": _space.decision_space(ruleset, facts, d.open_questions)}
    if sensitivity:
        update["sensitivity"] = _space.sensitivity(ruleset, facts, outcome_of(d))
    return d.model_copy(update=update).to_json()


def _deferred(d: Determination) -> list[str]:
    """The names of the parts of ``d`` not yet built."""
    return [name for name in ("decision_space", "sensitivity") if type(d.__dict__[name]) is Deferred]


@pytest.mark.parametrize("key", g.BUNDLED)
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_written_out_is_what_eager_building_gives(key: str, path: Path) -> None:
    """Each example case under each rule set, with sensitivity, writes out byte for byte as with both parts built at once."""
    ruleset, case = RULESETS[key], g.read_case(path)
    expected = _eager(ruleset, case, ruleset.evaluate(case, sensitivity=True), sensitivity=True)
    assert ruleset.evaluate(case, sensitivity=True).to_json() == expected


@pytest.mark.parametrize("key", g.BUNDLED)
def test_generated_cases_written_out_are_what_eager_building_gives(key: str) -> None:
    """Two hundred generated cases (half with most facts known) write out byte for byte as with the space built at once."""
    ruleset = RULESETS[key]
    for case in GENERATED:
        d = ruleset.evaluate(case)
        assert d.to_json() == _eager(ruleset, case, d, sensitivity=False), case.id


def test_generated_cases_open_decision_spaces() -> None:
    """The generated cases include some whose decision space is deferred, so the comparison above reaches it."""
    assert sum(bool(_deferred(RULESETS[key].evaluate(case))) for key in g.BUNDLED for case in GENERATED) >= 10


def test_parts_are_not_built_unless_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """Evaluating, reading the outcome and copying build neither part; reading one builds it once and keeps it."""
    calls = {"decision_space": 0, "sensitivity": 0}

    def counted(name: str) -> Any:
        build = getattr(_space, name)

        def call(*args: Any) -> Any:
            calls[name] += 1
            return build(*args)
        return call

    for name in calls:
        monkeypatch.setattr(_space, name, counted(name))
    d = RULESETS["benxi"].evaluate(OPEN, sensitivity=True)
    outcome_of(d), d.model_copy(), d.applied(), d.open_questions
    assert calls == {"decision_space": 0, "sensitivity": 0}
    assert _deferred(d) == ["decision_space", "sensitivity"]
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
    """A determination stays immutable: neither part can be assigned, built or not."""
    d = RULESETS["benxi"].evaluate(OPEN, sensitivity=True)
    for name in ("decision_space", "sensitivity"):
        with pytest.raises((AttributeError, ValueError)):
            setattr(d, name, None)
