"""The open texture of Benxi (本高党政办发〔2019〕31号): catch-alls, open 等 lists and broad act words (issue 13).

A closed-world "no" where the text leaves a finding to the decision-maker is a wrong answer. Conduct within the
general definitions of 不担当 (第六条) and 不作为 (第七条) that meets no listed item asks for a finding under the
catch-alls; an unlisted field of the kind a 等 list admits asks for one under that item; a rule quoting a broad
act word catches every narrower act.
"""

from __future__ import annotations

from typing import Any

import pytest

import guanzhi_rules as g
from guanzhi_rules._vocab import Act, narrower
from tests.support import LEADING_CADRE, merge

KEY = "benxi"
LIGHT = ("criticism_education", "self_examination", "circulated_criticism", "admonition")
HEAVY = ("transfer", "resignation_taking_blame", "ordered_resignation", "removal", "demotion")


def evaluate(*patches: dict[str, Any]) -> g.Determination:
    out = LEADING_CADRE
    for patch in patches:
        out = merge(out, patch)
    return g.load(KEY).evaluate(out)


def _branch_values(det: g.Determination, point: str) -> set[Any]:
    assert det.decision_space is not None
    assert point in det.decision_space.points
    return {v for b in det.decision_space.branches for v in b.when.get(point, ())}


# ------------------------------------------------------------------------------------ catch-alls
NO_ITEM: dict[str, Any] = {"harm": {"mass_incident": "none"}}
"""No mass incident, so art. 6(9) cannot be met without an act of its own."""

CATCH_ALL_CASES = [
    # (catch-all, conduct within its general definition that meets no listed item)
    pytest.param("art6.11", {"conduct": {"acts": ["retreating_from_danger"]}}, id="6.11-retreating"),
    pytest.param("art6.11", {"conduct": {"acts": ["disobeying_assignment"]}}, id="6.11-disobeying"),
    pytest.param("art6.11", {"conduct": {"acts": ["appointing_without_verification"]}}, id="6.11-oversight"),
    pytest.param("art7.6", {"conduct": {"acts": ["not_deciding"]}}, id="7.6-not-deciding"),
    pytest.param("art7.6", {"conduct": {"acts": ["public_commitment_unmet"]}}, id="7.6-commitment"),
    pytest.param("art7.6", {"conduct": {"acts": ["breaching_work_discipline"]}}, id="7.6-work-discipline"),
]


@pytest.mark.parametrize(("rule_id", "conduct"), CATCH_ALL_CASES)
def test_catch_all_asks_for_the_finding(rule_id: str, conduct: dict[str, Any]) -> None:
    """Conduct within the general definition meeting no item leaves the catch-all undetermined, accountability open, a finding asked."""
    det = evaluate(NO_ITEM, conduct)
    assert det.circumstances == ()
    assert det.step(rule_id).result == "undetermined"
    assert det.sanctions.accountable is None
    (question,) = [q for q in det.open_questions if q.rule_id == rule_id]
    assert "findings.other_circumstance" in question.unknown_facts
    assert _branch_values(det, "findings.other_circumstance") == {True, False}


@pytest.mark.parametrize(("rule_id", "conduct"), CATCH_ALL_CASES)
@pytest.mark.parametrize(("gravity", "measures"), [("minor", LIGHT), ("serious", HEAVY), ("grave", HEAVY)])
def test_catch_all_applies_on_the_finding_with_its_band(
    rule_id: str, conduct: dict[str, Any], gravity: str, measures: tuple[str, ...],
) -> None:
    """With the finding made, the catch-all applies and arts. 8/9 grade the range by 情节: light when minor, heavy when serious."""
    det = evaluate(NO_ITEM, conduct, {"conduct": {"gravity": gravity}, "findings": {"other_circumstance": True},
                                      "harm": {"public_reaction": "none", "influence": "none"}})
    assert det.step(rule_id).result == "applies"
    assert rule_id in {c.finding.rule_id for c in det.circumstances}
    assert det.sanctions.accountable is True
    assert det.sanctions.measures == measures


@pytest.mark.parametrize(("rule_id", "conduct"), CATCH_ALL_CASES)
def test_catch_all_finding_refused_is_not_accountable(rule_id: str, conduct: dict[str, Any]) -> None:
    """Where the decision-maker finds the conduct is not an "other" circumstance, the catch-all does not apply: not accountable."""
    det = evaluate(NO_ITEM, conduct, {"findings": {"other_circumstance": False}})
    assert det.step(rule_id).result == "does_not_apply"
    assert det.sanctions.accountable is False


OUTSIDE = [
    "interfering_in_market", "abusing_power", "exceeding_powers", "misappropriating_funds", "soliciting_benefits",
    "factional_or_electoral_misconduct", "improper_appointments", "fabricating_accusations", "four_winds",
    "diligent_error", "lacking_competence",
]
"""Acts outside both general definitions: active misconduct (为官乱为), an error in diligent work, ability alone."""


@pytest.mark.parametrize("act", OUTSIDE)
@pytest.mark.parametrize("finding", [None, True])
def test_conduct_outside_the_general_definitions_is_a_firm_no(act: str, finding: bool | None) -> None:
    """Conduct outside 不担当 and 不作为 is a firm no under both catch-alls, even if a finding were recorded."""
    det = evaluate(NO_ITEM, {"conduct": {"acts": [act]}, "findings": {"other_circumstance": finding}})
    assert det.step("art6.11").result == "does_not_apply"
    assert det.step("art7.6").result == "does_not_apply"
    assert det.sanctions.accountable is False


def test_catch_all_outside_ones_charge_is_a_firm_no() -> None:
    """Conduct outside the subject's charge (在管辖范围内 is part of the openings) is a firm no under both catch-alls."""
    det = evaluate(NO_ITEM, {"conduct": {"acts": ["not_deciding", "retreating_from_danger"], "within_responsibility": False}})
    assert {det.step(r).result for r in ("art6.11", "art7.6")} == {"does_not_apply"}
    assert det.sanctions.accountable is False


def test_catch_all_asks_nothing_where_a_listed_item_applies() -> None:
    """Where a listed item is met accountability stands and the catch-alls ask nothing: no open question, no decision space on them."""
    det = evaluate(NO_ITEM, {"conduct": {"acts": ["falsifying", "not_deciding"], "gravity": "minor"},
                             "harm": {"public_reaction": "none", "influence": "none"},
                             "context": {"directed_by_superiors": True}})
    assert det.sanctions.accountable is True
    assert {det.step(r).result for r in ("art6.11", "art7.6")} == {"does_not_apply"}
    assert det.decision_space is None


def test_every_act_is_placed_inside_or_outside_the_general_definitions() -> None:
    """Each act of the vocabulary either reaches a catch-all (asks for the finding) or is on the list of acts outside: none is forgotten."""
    asking = set()
    for act in Act:
        det = evaluate(NO_ITEM, {"conduct": {"acts": [act.value]}})
        if det.sanctions.accountable is not False:
            asking.add(act.value)
    assert asking.isdisjoint(OUTSIDE)
    nowhere = {a.value for a in Act} - asking - set(OUTSIDE)
    # Acts that on their own meet a listed item are accountable (True), the rest of the kind ask (None).
    assert nowhere <= {"interfering_in_cases", "breaching_collective_decision_rules", "pursuing_sectional_interest",
                       "issuing_unlawful_documents", "infringing_public_interests", "concealing_personal_matters",
                       "misreporting_personal_matters", "damaging_ecology", "major_decision_error"}


# ------------------------------------------------------------------------------------ open 等 lists
OPEN_LISTS = [
    # (rule, case meeting the item but for the field, an unlisted field of the kind, a field not of the kind)
    pytest.param("art6.3.key_area_risk", {"conduct": {"acts": ["handling_improperly"]}, "harm": {"consequences": "serious"}},
                 "major_risks", "rural_revitalisation", id="6.3-key-areas"),
    pytest.param("art6.3.key_area_risk", {"conduct": {"acts": ["failing_to_prevent"]}, "harm": {"consequences": "serious"}},
                 "investment_promotion", "petitions", id="6.3-key-areas-investment"),
    pytest.param("art6.7", {"conduct": {"acts": ["supervising_inadequately"]}, "harm": {"consequences": "serious"}},
                 "market_regulation", "rural_revitalisation", id="6.7-key-fields"),
    pytest.param("art6.7", {"conduct": {"acts": ["supervising_inadequately"]}, "harm": {"influence": "serious"}},
                 "illegal_construction", "petitions", id="6.7-key-fields-construction"),
]


@pytest.mark.parametrize(("rule_id", "facts", "admitted", "outside"), OPEN_LISTS)
def test_unlisted_field_of_the_kind_asks_for_the_finding(rule_id: str, facts: dict[str, Any], admitted: str, outside: str) -> None:
    """An unlisted field of the kind the 等 admits leaves the item undetermined, naming findings.subject_in_open_list."""
    det = evaluate(NO_ITEM, facts, {"conduct": {"fields": [admitted]}})
    assert det.step(rule_id).result == "undetermined"
    (question,) = [q for q in det.open_questions if q.rule_id == rule_id]
    assert "findings.subject_in_open_list" in question.unknown_facts


@pytest.mark.parametrize(("rule_id", "facts", "admitted", "outside"), OPEN_LISTS)
def test_unlisted_field_found_of_the_kind_meets_the_item(rule_id: str, facts: dict[str, Any], admitted: str, outside: str) -> None:
    """With the finding that the field belongs with the list, the item applies and the case is accountable."""
    det = evaluate(NO_ITEM, facts, {"conduct": {"fields": [admitted]}, "findings": {"subject_in_open_list": True}})
    assert det.step(rule_id).result == "applies"
    assert det.sanctions.accountable is True


@pytest.mark.parametrize(("rule_id", "facts", "admitted", "outside"), OPEN_LISTS)
def test_unlisted_field_found_not_of_the_kind_misses_the_item(rule_id: str, facts: dict[str, Any], admitted: str, outside: str) -> None:
    """With the finding refused, or for a field not of the kind, the item does not apply."""
    refused = evaluate(NO_ITEM, facts, {"conduct": {"fields": [admitted]}, "findings": {"subject_in_open_list": False}})
    assert refused.step(rule_id).result == "does_not_apply"
    other = evaluate(NO_ITEM, facts, {"conduct": {"fields": [outside]}})
    assert other.step(rule_id).result == "does_not_apply"


def test_open_list_alone_leaves_accountability_open_with_a_decision_space() -> None:
    """An unlisted supervisory field under 6(7) with serious influence only leaves accountability open, the 等 finding in the space."""
    det = evaluate(NO_ITEM, {"conduct": {"acts": ["supervising_inadequately"], "fields": ["market_regulation"]},
                             "harm": {"consequences": "none", "influence": "serious"},
                             "performance": {"complaint_verified": False}})
    assert det.step("art6.7").result == "undetermined"
    assert det.sanctions.accountable is None
    assert _branch_values(det, "findings.subject_in_open_list") == {True, False}
    found = evaluate(NO_ITEM, {"conduct": {"acts": ["supervising_inadequately"], "fields": ["market_regulation"]},
                               "harm": {"consequences": "none", "influence": "serious", "public_reaction": "strong"},
                               "performance": {"complaint_verified": False},
                               "findings": {"subject_in_open_list": True}})
    assert found.sanctions.accountable is True
    assert found.sanctions.measures == HEAVY  # 群众反映强烈、造成恶劣影响: art. 9


def test_listed_field_needs_no_finding() -> None:
    """A listed field meets the item whatever the finding on open lists: the 等 only adds, it never takes away."""
    det = evaluate(NO_ITEM, {"conduct": {"acts": ["supervising_inadequately"], "fields": ["work_safety"]},
                             "harm": {"consequences": "serious"}, "findings": {"subject_in_open_list": False}})
    assert det.step("art6.7").result == "applies"


# ------------------------------------------------------------------------------------ broad and narrow words
def _narrower(act: str) -> set[str]:
    """Every act strictly narrower than ``act`` under ACT_LINKS, transitively."""
    return {a.value for a in narrower(Act(act))} - {act}


BROAD = [
    # (rule, its applying case with the broad act, the broad act quoted)
    ("art6.1", {"conduct": {"acts": ["performing_duties_poorly"]}, "harm": {"consequences": "serious", "influence": "serious"}},
     "performing_duties_poorly"),
    ("art6.6.not_daring",
     {"conduct": {"acts": ["shirking_responsibility", "performing_duties_poorly"], "fields": ["organised_crime"]}},
     "performing_duties_poorly"),
    ("art7.2", {"conduct": {"acts": ["performing_duties_poorly"]}, "harm": {"consequences": "adverse"}},
     "performing_duties_poorly"),
    ("art7.5", {"conduct": {"acts": ["lacking_competence", "performing_duties_poorly"]}}, "performing_duties_poorly"),
    ("art6.10.concealment",
     {"conduct": {"acts": ["dereliction_of_duty"], "fields": ["disaster_epidemic"]}, "harm": {"influence": "serious"}},
     "dereliction_of_duty"),
    ("art6.2", {"conduct": {"acts": ["deceiving_organisation"]}, "context": {"directed_by_superiors": True}},
     "deceiving_organisation"),
    ("art6.4.benefit_funds", {"conduct": {"acts": ["deceiving_organisation"], "fields": ["public_benefit_programmes"]}},
     "deceiving_organisation"),
    ("art7.1", {"conduct": {"acts": ["not_implementing_decisions"]}, "harm": {"consequences": "adverse"}},
     "not_implementing_decisions"),
    ("art7.1", {"conduct": {"acts": ["implementing_decisions_ineffectively"]}, "harm": {"consequences": "adverse"}},
     "implementing_decisions_ineffectively"),
]
BROAD_ROWS = [pytest.param(rid, facts, narrow, id=f"{rid}-{narrow}")
              for rid, facts, broad in BROAD for narrow in sorted(_narrower(broad))]


def test_act_links_are_read() -> None:
    """The act structure is read: performing_duties_poorly has narrower acts, among them supervising_inadequately."""
    assert "supervising_inadequately" in _narrower("performing_duties_poorly")
    assert "falsifying" in _narrower("deceiving_organisation")
    assert BROAD_ROWS


@pytest.mark.parametrize(("rule_id", "facts", "narrow"), BROAD_ROWS)
def test_rule_quoting_a_broad_act_catches_every_narrower_act(rule_id: str, facts: dict[str, Any], narrow: str) -> None:
    """A rule whose quote uses a broad word applies to each narrower act with the same qualifiers: never more lenient."""
    acts = [narrow if a not in ("lacking_competence", "shirking_responsibility") else a for a in facts["conduct"]["acts"]]
    det = evaluate(NO_ITEM, facts, {"conduct": {"acts": acts}})
    assert det.step(rule_id).result == "applies"
    assert det.sanctions.accountable is True


@pytest.mark.parametrize(
    ("rule_id", "facts", "act"),
    [
        # 第六条（五）“监管不力、违法不纠、执法不严”: narrow words, the broad 履职不力 does not meet them
        pytest.param("art6.5.lax_enforcement", {"conduct": {"fields": ["ecology_environment"]}}, "performing_duties_poorly",
                     id="6.5-narrow"),
        # 第六条（七）“监管、监督责任不到位”: narrow
        pytest.param("art6.7", {"conduct": {"fields": ["work_safety"]}, "harm": {"consequences": "serious"}},
                     "handling_improperly", id="6.7-narrow"),
        # 第六条（三）“风险防范处置不当”: narrow
        pytest.param("art6.3.key_area_risk", {"conduct": {"fields": ["finance"]}, "harm": {"consequences": "serious"}},
                     "supervising_inadequately", id="6.3-narrow"),
        # 第六条（二）“变形走样…打折扣、搞变通”: narrow (distorting), not ineffective implementation in general
        pytest.param("art6.2", {}, "implementing_decisions_ineffectively", id="6.2-narrow"),
    ],
)
def test_rule_quoting_a_narrow_act_is_not_met_by_a_sibling_or_broader_act(rule_id: str, facts: dict[str, Any], act: str) -> None:
    """A rule whose quote uses a narrow word is not met by the broad word or a sibling act."""
    det = evaluate(NO_ITEM, facts, {"conduct": {"acts": [act]}})
    assert det.step(rule_id).result == "does_not_apply"


def test_art7_5_reads_the_general_definition_of_inaction() -> None:
    """导致不作为 (7(5)): lack of ability with any inaction of art. 7's kind meets the item, lack of ability alone does not."""
    assert evaluate(NO_ITEM, {"conduct": {"acts": ["lacking_competence", "formalism"]}}).step("art7.5").result == "applies"
    assert evaluate(NO_ITEM, {"conduct": {"acts": ["lacking_competence", "passing_the_buck"]}}).step("art7.5").result == "applies"
    assert evaluate(NO_ITEM, {"conduct": {"acts": ["lacking_competence"]}}).step("art7.5").result == "does_not_apply"
    assert evaluate(NO_ITEM, {"conduct": {"acts": ["lacking_competence", "abusing_power"]}}).step("art7.5").result == "does_not_apply"


# ------------------------------------------------------------------------------------ settings an item names (issue 14)
@pytest.mark.parametrize("act", ["falsifying", "deceiving_organisation"])
def test_art6_2_deception_needs_the_setting_of_carrying_out_decisions(act: str) -> None:
    """在落实……决策部署上 heads 6(2): deception there applies, elsewhere it does not, unknown it waits for the fact."""
    inside = evaluate(NO_ITEM, {"conduct": {"acts": [act]}, "context": {"directed_by_superiors": True}})
    assert inside.step("art6.2").result == "applies"
    outside = evaluate(NO_ITEM, {"conduct": {"acts": [act]}, "context": {"directed_by_superiors": False}})
    assert outside.step("art6.2").result == "does_not_apply"
    assert outside.step("art6.11").result == "undetermined"  # still 不担当: the catch-all asks for the finding
    unknown = evaluate(NO_ITEM, {"conduct": {"acts": [act]}})
    assert unknown.step("art6.2").result == "undetermined"
    assert any(q.rule_id == "art6.2" and "context.directed_by_superiors" in q.unknown_facts for q in unknown.open_questions)


@pytest.mark.parametrize(
    ("rule_id", "facts"),
    [
        ("art6.10.response", {"conduct": {"acts": ["handling_improperly"], "fields": ["public_service"]},
                              "harm": {"consequences": "serious"}}),
        ("art6.10.concealment", {"conduct": {"acts": ["concealing_or_not_reporting"], "fields": ["petitions"]},
                                 "harm": {"influence": "serious"}}),
    ],
)
def test_art6_10_reads_an_emergency_and_a_mass_incident(rule_id: str, facts: dict[str, Any]) -> None:
    """突发性事件 and 群体性事件 as the case records them meet 6(10); with neither, no listed field, it does not apply."""
    assert evaluate(facts, {"context": {"emergency": "major"}}).step(rule_id).result == "applies"
    assert evaluate(facts, {"harm": {"mass_incident": "serious"}}).step(rule_id).result == "applies"
    assert evaluate(facts, NO_ITEM, {"context": {"emergency": "none"}}).step(rule_id).result == "does_not_apply"
    unknown = evaluate(facts, NO_ITEM)
    assert unknown.step(rule_id).result == "undetermined"
    assert any(q.rule_id == rule_id and "context.emergency" in q.unknown_facts for q in unknown.open_questions)
