"""Judgement points: the decision space, sensitivity, the act structure and catch-alls that ask for a finding."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import guanzhi_rules as g
from guanzhi_rules import _evaluator, _vocab
from guanzhi_rules._conditions import Comparison, walk
from guanzhi_rules._determination import fact_value
from guanzhi_rules._facts import FACTS
from guanzhi_rules._outcome import outcome_of
from guanzhi_rules._pipeline import mandatory
from guanzhi_rules._space import MAX_BRANCHES, _domain, _keys, _outcomes, judgement_points
from guanzhi_rules._vocab import Act, ActLink, narrower
from tests.strategies import case_data, in_scope_case_data
from tests.support import LEADING_CADRE, merge

RULESETS = {key: g.load(key) for key in g.BUNDLED}

ROAD_DIRECTOR: dict[str, Any] = merge(LEADING_CADRE, {
    "subject": {"organisation_type": "government_organ"},
    "conduct": {"acts": ["performing_duties_poorly"]},
    "harm": {"influence": "adverse"},
})
"""A county bureau director whose work was poorly performed with adverse influence; 情节 not stated."""


def _with(data: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    section, name = path.split(".")
    return merge(data, {section: {name: value.value if hasattr(value, "value") else value}})


JUDGEMENTS = [p for p, spec in FACTS.items() if spec.judgement]


@st.composite
def open_cases(draw: st.DrawFn, key: str) -> dict[str, Any]:
    """A case the rule set covers, with one or two acts within the duties, and most judgement points left open."""
    data: dict[str, Any] = draw(in_scope_case_data(key, subject_kind="person"))
    acts = draw(st.sets(st.sampled_from([a.value for a in Act]), min_size=1, max_size=2))
    data.setdefault("conduct", {}).update(acts=sorted(acts), within_responsibility=True)
    for path in JUDGEMENTS:
        section, name = path.split(".")
        if draw(st.booleans()) or draw(st.booleans()):
            data.get(section, {}).pop(name, None)
    return data


@pytest.mark.parametrize("key", g.BUNDLED)
def test_each_branch_is_what_evaluating_with_its_answers_gives(key: str) -> None:
    """Every combination a branch covers, set on the case and evaluated, gives the branch's outcome (and the partition
    is exact: each combination in one branch, at most 64, only judgement points, and the branches differ)."""
    ruleset, seen = RULESETS[key], []

    @settings(max_examples=40, deadline=None, database=None)
    @given(data=open_cases(key))
    def check(data: dict[str, Any]) -> None:
        space = ruleset.evaluate(data).decision_space
        seen.append(space is not None)
        if space is None:
            return
        assert all(FACTS[p].judgement for p in (*space.points, *space.not_enumerated))
        answers = {p: tuple(fact_value(v) for v in _domain(p)) for p in space.points}
        covered = [combo for b in space.branches for combo in itertools.product(*(b.when.get(p, answers[p]) for p in space.points))]
        assert len(covered) == len(set(covered)) <= MAX_BRANCHES
        outcomes = {(b.accountable, b.exemption, b.measures, b.bands, b.mandatory, b.circumstances) for b in space.branches}
        assert len(outcomes) > 1
        for branch in space.branches:
            for combo in itertools.product(*branch.when.values()):
                variant = data
                for path, value in zip(branch.when, combo, strict=True):
                    variant = _with(variant, path, value)
                d = ruleset.evaluate(variant)
                assert (d.sanctions.accountable, d.exemption.outcome, d.sanctions.measures) == (
                    branch.accountable, branch.exemption, branch.measures)

    check()
    assert any(seen), "no drawn case had a decision space: the property was never tested"


@pytest.mark.parametrize("key", g.BUNDLED)
def test_a_space_decides_its_variants_as_the_batch_evaluator_would(key: str) -> None:
    """Every combination of a space's judgement points, decided one by one, is told apart as the batch evaluator's
    outcome for it would be: same accountability, exemption, range, bands and circumstances."""
    ruleset, seen = RULESETS[key], []
    bands, circumstances = ruleset.stage("sanction_band"), ruleset.stage("circumstance")

    @settings(max_examples=25, deadline=None, database=None)
    @given(data=open_cases(key))
    def check(data: dict[str, Any]) -> None:
        case = g.parse_case(data)
        points = judgement_points(ruleset.evaluate(case).open_questions)[:3]
        seen.append(bool(points))
        decision = _evaluator.decide(ruleset, case)
        facts = decision.state.facts
        variants = [{**facts, **dict(zip(points, combo, strict=True))} for combo in itertools.product(*map(_domain, points))]
        expected = []
        for o in _outcomes(ruleset, variants):
            applied = set(o.applied)
            band_ids = tuple(r.id for r in bands if r.id in applied)
            expected.append((o.accountable, o.exemption, o.measures, band_ids, any(mandatory(ruleset.rule(b)) for b in band_ids),
                             tuple(r.id for r in circumstances if r.id in applied)))
        assert _keys(decision, variants) == expected

    check()
    assert any(seen), "no drawn case left a judgement point open: the property was never tested"


def test_a_known_judgement_leaves_no_decision_space() -> None:
    """Where every judgement point the outcome needs is known, the determination has no decision space."""
    known = merge(ROAD_DIRECTOR, {"conduct": {"gravity": "minor"}, "harm": {"public_reaction": "none", "consequences": "adverse"}})
    assert RULESETS["benxi"].evaluate(known).decision_space is None


def test_unstated_gravity_gives_each_band_its_branch() -> None:
    """情节 not stated: Zhejiang 五 gives a reminder if minor, an admonition if serious, admonition or adjustment if grave."""
    space = RULESETS["zhejiang"].evaluate(merge(ROAD_DIRECTOR, {"harm": {"public_reaction": "none"}})).decision_space
    assert space is not None and space.points == ("conduct.gravity",)
    by_gravity = {b.when["conduct.gravity"]: b.measures for b in space.branches}
    assert by_gravity == {("minor",): ("reminder",), ("serious",): ("admonition",),
                          ("grave",): ("admonition", "transfer", "non_leading_post", "removal", "demotion")}


@pytest.mark.parametrize("key", g.BUNDLED)
def test_every_sensitivity_change_changes_the_outcome(key: str) -> None:
    """Each change listed, made on the case and evaluated, changes what it says it changes; the road case has some."""
    ruleset = RULESETS[key]
    d = ruleset.evaluate(ROAD_DIRECTOR, sensitivity=True)
    assert d.sensitivity
    base = outcome_of(d)
    for change in d.sensitivity:
        value = None if change.value is None else change.value
        variant = ruleset.evaluate(_with(ROAD_DIRECTOR, change.fact, value))
        after = outcome_of(variant)
        assert {n for n in ("accountable", "exemption", "measures") if getattr(after, n) != getattr(base, n)} == set(change.changes)


def test_sensitivity_is_only_computed_when_asked() -> None:
    """A plain evaluation leaves sensitivity out (None); asked for, it is a tuple."""
    assert RULESETS["benxi"].evaluate(ROAD_DIRECTOR).sensitivity is None
    assert isinstance(RULESETS["benxi"].evaluate(ROAD_DIRECTOR, sensitivity=True).sensitivity, tuple)


# -- the act structure ------------------------------------------------------------------------------


def test_the_act_links_form_no_cycle() -> None:
    """Every act is narrower than itself only: no chain of links leads back to where it started."""
    for act in Act:
        for other in narrower(act) - {act}:
            assert act not in narrower(other)


def test_a_cycle_of_links_is_refused() -> None:
    """The closure refuses links that lead back to their start."""
    links = (ActLink(Act.SLACKING, Act.PERFUNCTORY, "", ""), ActLink(Act.PERFUNCTORY, Act.SLACKING, "", ""))
    with pytest.raises(ValueError, match="cycle"):
        _vocab._narrower_closure(links)


def _act_tests() -> list[tuple[str, str, Comparison]]:
    return [(key, rule.id, part) for key, rs in RULESETS.items() for rule in rs if rule.condition is not None
            for part in walk(rule.condition) if isinstance(part, Comparison) and part.spec.path == "conduct.acts"]


@pytest.mark.parametrize(("key", "rule_id", "test"), _act_tests(), ids=lambda x: x if isinstance(x, str) else "")
def test_a_narrower_act_is_never_treated_more_leniently(key: str, rule_id: str, test: Comparison) -> None:
    """Wherever a rule's condition is met by a named act, it is met by each act narrower than it too."""
    named = (test.value,) if test.op == "has" else sorted(test.value)
    for act in named:
        for narrow in narrower(act):
            assert test.test({"conduct.acts": frozenset({narrow, *(a for a in named if a != act)})}) is True


def test_a_broad_word_catches_the_narrow_conduct_and_not_the_reverse() -> None:
    """Naming 履职不力 matches 监管不到位; naming 监管不到位 does not match 履职不力."""
    broad = Comparison(FACTS["conduct.acts"], "has", Act.PERFORMING_DUTIES_POORLY)
    narrow = Comparison(FACTS["conduct.acts"], "has", Act.SUPERVISING_INADEQUATELY)
    assert broad.test({"conduct.acts": frozenset({Act.SUPERVISING_INADEQUATELY})}) is True
    assert narrow.test({"conduct.acts": frozenset({Act.PERFORMING_DUTIES_POORLY})}) is False


def test_near_synonyms_do_not_decide_a_case_under_zhejiang() -> None:
    """The road case coded 监管不到位 instead of 履职不力 gets the same answer under Zhejiang 一."""
    zhejiang = RULESETS["zhejiang"]
    narrow = merge(ROAD_DIRECTOR, {"conduct": {"acts": ["supervising_inadequately"]}})
    a, b = zhejiang.evaluate(ROAD_DIRECTOR), zhejiang.evaluate(narrow)
    assert outcome_of(a)[:4] == outcome_of(b)[:4]
    assert b.step("sec1.inaction.duties").result == "applies"


@pytest.mark.parametrize("key", g.BUNDLED)
def test_a_listed_item_leaves_no_catch_all_finding_to_ask(key: str) -> None:
    """Where a listed circumstance applies, no catch-all of the stage asks for an "other" finding; without one, it may."""
    ruleset = RULESETS[key]
    petitions = g.read_case("examples/cases/serious_inaction_petitions.yaml")
    d = ruleset.evaluate(petitions)
    assert d.circumstances
    asking = [r.id for r in ruleset.stage("circumstance") if r.rule.catch_all and r.condition is not None]
    assert asking, "every rule set's circumstance catch-all asks for a finding"
    assert all(d.step(r).result == "does_not_apply" for r in asking)
    assert not any("findings.other_circumstance" in q.unknown_facts for q in d.open_questions)


@pytest.mark.parametrize("key", g.BUNDLED)
@settings(max_examples=60, deadline=None)
@given(data=case_data())
def test_every_open_question_names_what_it_waits_for(key: str, data: dict[str, Any]) -> None:
    """No open question is empty: each names the unknown facts or findings its rule waits for."""
    d = RULESETS[key].evaluate(data)
    assert all(q.unknown_facts for q in d.open_questions)
