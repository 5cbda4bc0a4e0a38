import json
from typing import Any
from unittest import mock

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

import guanzhi_rules as g
from guanzhi_rules import _evaluator
from guanzhi_rules._compiler import CompiledRule
from guanzhi_rules._conditions import rule_key
from guanzhi_rules._pipeline import CaseState, consequence_holds, standing
from guanzhi_rules._rulefile import STAGES
from tests.strategies import case_data
from tests.support import LEADING_CADRE, evaluate, merge

RULESETS = sorted(g.load_all())


@given(data=case_data(), key=st.sampled_from(RULESETS))
def test_any_valid_case_evaluates_deterministically(data: dict[str, Any], key: str) -> None:
    """Every valid case yields a determination, and evaluating it again gives byte-identical JSON."""
    rs = g.load(key)
    first = rs.evaluate(data).to_json()
    assert rs.evaluate(json.loads(json.dumps(data))).to_json() == first


@given(data=case_data(), key=st.sampled_from(RULESETS))
def test_yaml_and_mapping_input_agree(data: dict[str, Any], key: str) -> None:
    """The same case given as YAML text or as a mapping gives the same determination."""
    rs = g.load(key)
    assert rs.evaluate(g.parse_case(yaml.safe_dump(data, allow_unicode=True))).to_json() == rs.evaluate(data).to_json()


@given(data=case_data(), key=st.sampled_from(RULESETS))
def test_trace_covers_every_rule_once_in_stage_order(data: dict[str, Any], key: str) -> None:
    """The trace lists each rule exactly once, stages in pipeline order, steps numbered from 1."""
    rs = g.load(key)
    d = rs.evaluate(data)
    assert sorted(s.rule_id for s in d.trace) == sorted(r.id for r in rs)
    stages = [STAGES.index(s.stage) for s in d.trace]
    assert stages == sorted(stages)
    assert [s.step for s in d.trace] == list(range(1, len(rs) + 1))


@given(data=case_data(), key=st.sampled_from(RULESETS))
def test_conclusions_agree_with_the_trace(data: dict[str, Any], key: str) -> None:
    """Every circumstance, band and exemption reported applies in the trace; defeats are mutual."""
    d = g.load(key).evaluate(data)
    applied = set(d.applied())
    assert {c.finding.rule_id for c in d.circumstances} <= applied
    assert {b.rule_id for b in d.sanctions.bands} <= applied
    for step in d.trace:
        for target in step.defeats:
            assert step.rule_id in d.step(target).defeated_by
        if step.result == "defeated":
            assert step.defeated_by
        if step.result == "not_evaluable":
            assert step.rule_id in d.catch_alls


@given(data=case_data(), key=st.sampled_from(RULESETS))
def test_not_covered_means_no_accountability(data: dict[str, Any], key: str) -> None:
    """A subject outside scope gets no circumstances, no measures and no consequences."""
    d = g.load(key).evaluate(data)
    if d.scope.outcome == "not_covered":
        assert d.circumstances == ()
        assert d.sanctions.measures == ()
        assert d.sanctions.accountable is False
        assert d.consequences == () and d.referrals == ()


@given(data=case_data(), key=st.sampled_from(RULESETS))
def test_facts_in_the_trace_are_the_case_facts(data: dict[str, Any], key: str) -> None:
    """Each fact a trace step reports is the value the case actually holds."""
    d = g.load(key).evaluate(data)
    case = g.parse_case(data).model_dump(mode="json")
    for step in d.trace:
        for path, value in step.facts.items():
            section, name = path.split(".")
            held = case[section][name]
            assert value == (sorted(held) if isinstance(held, list) else held)


@given(value=st.sampled_from([True, False, None]), follows=st.sampled_from([True, False, None]))
def test_a_shut_gate_shuts_a_consequence_whatever_its_condition(value: bool | None, follows: bool | None) -> None:
    """The evaluator leaves a consequence's condition untested where its gate is shut: no condition or measure opens it."""
    assert consequence_holds(False, value, follows) is False
    assert consequence_holds(True, value, None) is value


def test_unknown_fact_is_an_open_question() -> None:
    """A rule that needs an unknown fact is undetermined and names the fact, rather than not applying."""
    d = evaluate("benxi", merge(LEADING_CADRE, {"conduct": {"acts": ["ostentatious"]}, "harm": {"effects": []}}))
    assert d.step("art7.4").result == "undetermined"
    question = next(q for q in d.open_questions if q.rule_id == "art7.4")
    assert question.unknown_facts == ("harm.public_reaction",)


def test_gravity_unknown_leaves_the_range_open() -> None:
    """With the gravity unassessed, no band applies and the range is reported as depending on it."""
    d = evaluate("benxi", merge(LEADING_CADRE, {"conduct": {"acts": ["falsifying"]}, "context": {"directed_by_superiors": True}}))
    assert d.sanctions.accountable is True
    assert d.sanctions.measures == ()
    assert "conduct.gravity" in {f for q in d.open_questions for f in q.unknown_facts}


def test_determinations_are_immutable() -> None:
    """A determination cannot be altered after it is made."""
    d = evaluate("benxi", LEADING_CADRE)
    with pytest.raises(Exception, match="frozen"):
        d.case_id = "x"  # type: ignore[misc]


def test_fingerprints_identify_rules_and_case() -> None:
    """Fingerprints carry the engine version and the SHA-256 of rule set and canonical case."""
    a = evaluate("benxi", merge(LEADING_CADRE, {"conduct": {"acts": ["slacking", "formalism"]}}))
    b = evaluate("benxi", merge(LEADING_CADRE, {"conduct": {"acts": ["formalism", "slacking"]}}))
    c = evaluate("benxi", merge(LEADING_CADRE, {"conduct": {"acts": ["formalism"]}}))
    assert a.fingerprints == b.fingerprints
    assert a.fingerprints.case_sha256 != c.fingerprints.case_sha256
    assert a.fingerprints.ruleset_sha256 == g.load("benxi").sha256
    assert a.fingerprints.engine_version == g.__version__


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_text_rendering_names_outcomes_and_citations(lang: str) -> None:
    """The text form states the scope outcome, the matched article with its quote, and the range."""
    d = evaluate("benxi", merge(LEADING_CADRE, {"conduct": {"acts": ["falsifying"], "gravity": "minor"},
                                                "context": {"directed_by_superiors": True}}))
    text = d.to_text(lang)  # type: ignore[arg-type]
    assert "第六条（二）" in text
    assert "弄虚作假的" in text
    assert ("批评教育" if lang == "zh" else "criticism and education") in text
    assert ("本办法未规定容错免责" if lang == "zh" else "no exemption") in text


SHALL_EXEMPTION = """\
document: {key: probe, title: 试探, issuer: 机关, issued: unknown, source: benxi.txt}
ladder:
  citations: [{article: 第八条, quote: 批评教育}]
  steps: [{measure: criticism_education, rung: 1}]
rules:
  - {id: scope, stage: scope, modality: shall, label: {zh: 范围, en: scope}, when: subject.is_leading_cadre,
     then: [{scope: covered}], citation: {article: 第二条, quote: 本办法适用于}}
  - {id: trigger, stage: circumstance, modality: shall, label: {zh: 情形, en: trigger},
     when: {fact: conduct.acts, has: falsifying}, then: [{category: {zh: 不担当, en: failure}}],
     citation: {article: 第六条, quote: 弄虚作假的}}
  - {id: exempt, stage: exemption, modality: shall, label: {zh: 免责, en: exempt}, when: context.force_majeure,
     defeats: [trigger], then: [{exempt: true}], citation: {article: 第十条, quote: 免责}}
  - {id: band, stage: sanction_band, modality: may, label: {zh: 档, en: band}, when: {fact: conduct.gravity, is: minor},
     then: [{measures: [criticism_education]}], citation: {article: 第八条, quote: 情节较轻}}
"""


def probe(tmp_path: Any, case: dict[str, Any]) -> Any:
    path = tmp_path / "probe.yaml"
    path.write_text(SHALL_EXEMPTION, encoding="utf-8")
    return g.load(path).evaluate(merge({"subject": {"is_leading_cadre": True}, "conduct": {"acts": ["falsifying"]}}, case))


def test_circumstance_defeated_by_exemption_is_not_listed(tmp_path: Any) -> None:
    """Regression: a circumstance a granted exemption defeats is not reported as found."""
    d = probe(tmp_path, {"context": {"force_majeure": True}})
    assert d.exemption.outcome == "granted"
    assert d.step("trigger").result == "defeated"
    assert d.circumstances == ()
    assert d.sanctions.accountable is False


def test_undetermined_mandatory_exemption_leaves_accountability_open(tmp_path: Any) -> None:
    """Regression: if a shall-exemption hangs on an unknown fact, accountability is undetermined, not certain."""
    d = probe(tmp_path, {"conduct": {"gravity": "minor"}})
    assert d.step("exempt").result == "undetermined"
    assert d.sanctions.accountable is None


def test_no_band_for_known_facts_is_not_an_open_question(tmp_path: Any) -> None:
    """Regression: when every band is known not to apply, the range is 'no measure set', not 'facts unknown'."""
    d = probe(tmp_path, {"context": {"force_majeure": False}, "conduct": {"gravity": "grave"}})
    assert d.sanctions.accountable is True
    assert d.sanctions.measures == ()
    assert d.sanctions.statement.en == "This document sets no measure for these facts"


@given(data=case_data(), key=st.sampled_from(RULESETS))
def test_a_bar_leaves_no_exemption_or_mitigation_standing(data: dict[str, Any], key: str) -> None:
    """Whenever a bar applies, none of the rules it targets applies: each is defeated, and no exemption is granted."""
    rs = g.load(key)
    d = rs.evaluate(data)
    for bar in rs.stage("bar"):
        if d.step(bar.id).result != "applies":
            continue
        targets = rs.targets(bar)
        assert all(d.step(t.id).result != "applies" for t in targets)
        if any(t.rule.stage == "exemption" for t in targets):
            assert d.exemption.outcome not in ("granted", "eligible")


_REMOVED = merge(LEADING_CADRE, {
    "conduct": {"acts": ["public_commitment_unmet"]},
    "harm": {"influence": "adverse"},
    "context": {"reform_or_pilot": False, "emergency": "none", "force_majeure": False, "unable_to_perform": False},
    "decision": {"measures": ["removal"]}})
"""A Yueyang art. 7(六) case, no exemption possible, in which the cadre was removed from post."""


def test_annual_grade_consequence_carries_the_decision_year() -> None:
    """Yueyang art. 18(四): removal decided on 2024-06-01 sets the annual grade of 2024, said with its year."""
    d = evaluate("yueyang", merge(_REMOVED, {"decision": {"date": "2024-06-01"}}))
    (item,) = [i for m in d.consequences for i in m.items if i.annual_grade]
    assert (item.annual_grade, item.annual_grade_year) == (("basically_competent",), 2024)
    assert "2024年度考核等次确定为基本称职" in d.to_text("zh")
    assert "annual grade for 2024: basically competent" in d.to_text("en")


def test_annual_grade_without_a_decision_date_has_no_year() -> None:
    """Without a decision date the annual-grade consequence names no year rather than guessing one."""
    (item,) = [i for m in evaluate("yueyang", _REMOVED).consequences for i in m.items if i.annual_grade]
    assert item.annual_grade_year is None


def test_interim_measures_are_never_the_chosen_handling() -> None:
    """Suspension pending investigation is recorded apart: no choice is reviewed, and the document's silence on it is said."""
    data = merge(_REMOVED, {"decision": {"measures": []}, "inquiry": {"interim_measures": ["suspension_pending_investigation"]}})
    d = evaluate("yueyang", data)
    assert d.choice is None
    assert not any(m.chosen for m in d.consequences)
    assert any("停职接受调查" in t.zh and "not measures of accountability" in t.en for t in d.not_decided)


def test_no_interim_measure_no_statement() -> None:
    """Without interim measures the determination says nothing of them."""
    assert not any("interim" in t.en for t in evaluate("yueyang", _REMOVED).not_decided)


def test_grade_of_discipline_is_reviewed_and_its_influence_period_is_not_invented() -> None:
    """留党察看 is carried into the choice review, and no document fixing its influence period, the determination says so."""
    data = merge(_REMOVED, {"decision": {"discipline": ["party"], "discipline_grades": ["party_probation"]}})
    for key in g.BUNDLED:
        d = evaluate(key, data)
        assert d.choice is not None and d.choice.discipline_grades == ("party_probation",)
        assert "党纪处分：留党察看" in d.to_text("zh") and "party (party_probation)" in d.to_text("en")
        (said,) = [t for t in d.not_decided if "留党察看" in t.zh]
        assert "not assumed" in said.en
        assert all(i.freeze is None or i.freeze.months is None for m in d.consequences for i in m.items
                   if i.rule_id.endswith("discipline"))


def test_discipline_without_a_grade_says_nothing_of_grades() -> None:
    """Discipline recorded without its grade gives no statement about a grade's influence period."""
    d = evaluate("jiangsu", merge(_REMOVED, {"decision": {"discipline": ["party"]}}))
    assert d.choice is not None and d.choice.discipline_grades == ()
    assert not any("influence period for the discipline" in t.en for t in d.not_decided)


@pytest.mark.parametrize("key", ["yangjiang", "jiangsu"])
@given(data=case_data())
def test_a_late_condition_reads_what_a_fresh_copy_would_give(key: str, data: dict[str, Any]) -> None:
    """Each time a late condition is tested, the view it reads equals the facts merged with every standing afresh."""
    late_facts = CaseState.late_facts

    def checked(state: CaseState, rule: CompiledRule) -> dict[str, Any]:
        view = late_facts(state, rule)
        fresh = {**state.facts, **{rule_key(i): standing(r) for i, r in state.result.items()}}
        read = set(state.plan.standings_read[rule.id][1])
        assert {k: v for k, v in view.items() if k in read} == {k: v for k, v in fresh.items() if k in read}
        assert {k: v for k, v in view.items() if k in state.facts} == state.facts
        return view

    with mock.patch.object(CaseState, "late_facts", checked):
        d = _evaluator.decide(g.load(key), g.parse_case(data))
    assert d.state.view is None  # dropped once decided


def test_the_late_view_follows_results_set_after_it_was_made() -> None:
    """A rule defeated after a late condition first read its standing reads as not standing at the next late test."""
    ruleset = g.load("yangjiang")
    state = _evaluator.decide(ruleset, g.parse_case({})).state
    late = next(ruleset.rule(i) for i, (ids, _) in state.plan.standings_read.items() if ids)
    (rule_id, *_), (key, *_) = state.plan.standings_read[late.id]
    state.result[rule_id], state.raw[rule_id] = "applies", True
    assert state.late_facts(late)[key] is True
    state.defeat(ruleset.rule(rule_id), late)
    assert state.late_facts(late)[key] is False
