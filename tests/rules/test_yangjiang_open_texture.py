"""The open texture of the Yangjiang rule set (issue 13): catch-alls that ask for a finding, 五(一)'s open 等 list,
broad and narrow act words, and errors in diligent work in the tolerance items of 二(二)1.

A closed-world "no" where the text leaves a point to the decision-maker is a wrong answer: conduct within the
document's general definition (三(一) for inaction, 二(二)'s 容错范围 for tolerance) that matches no item waits for
the decision-maker's finding; only conduct outside it is a firm no.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

import guanzhi_rules as g
from guanzhi_rules import Determination
from guanzhi_rules._vocab import Act, narrower
from tests.rules.test_yangjiang import BASE
from tests.support import LEADING_CADRE, applies_or_gives_way, merge

KEY = "yangjiang"

HARM: dict[str, Any] = {"harm": {"influence": "adverse"}}
"""三(一) 一定损失或负面影响: an adverse influence meets it."""

OTHER_INACTION: dict[str, Any] = {"conduct": {"acts": ["slacking"]}, **HARM}
"""慵懒懈怠 within one's duties with an adverse influence: within 三(一), but named by no item of 三(二)."""

VILLAGE: dict[str, Any] = {"subject": {"organisation_type": "village_or_community", "administrative_level": "village"}}
"""A party-member cadre of a village: a kind of unit 五(一) does not name."""

TRIGGER: dict[str, Any] = {"conduct": {"acts": ["defying_orders"]}, **HARM}
"""有令不行 with an adverse influence: meets 三(二)1."""


def case(*patches: dict[str, Any]) -> dict[str, Any]:
    """A party-member leading cadre of a county party organ, within their responsibility, with the patches merged in."""
    out = LEADING_CADRE
    for patch in patches:
        out = merge(out, patch)
    return out


def finding(**facts: Any) -> dict[str, Any]:
    """A findings patch."""
    return {"findings": facts}


def evaluate(data: dict[str, Any]) -> Determination:
    return g.load(KEY).evaluate(data)


def question_names(det: Determination, rule_id: str, fact: str) -> bool:
    """Whether an open question of the rule names the fact."""
    return any(fact in q.unknown_facts for q in det.open_questions if q.rule_id == rule_id)


def branch_answers(det: Determination, point: str) -> set[Any]:
    """The answers to ``point`` the determination's decision space has branches for."""
    assert det.decision_space is not None
    assert point in det.decision_space.points
    return {v for b in det.decision_space.branches for v in b.when.get(point, ())}


# ------------------------------------------------------------------------------------ 三(一) catch-all
def test_other_inaction_needs_a_finding_not_a_no() -> None:
    """Conduct within 三(一) that no item of 三(二) lists is undetermined under 3.1.other, with a branch for each answer."""
    det = evaluate(case(OTHER_INACTION))
    assert det.step("3.1.other").result == "undetermined"
    assert det.sanctions.accountable is None
    assert question_names(det, "3.1.other", "findings.other_circumstance")
    assert branch_answers(det, "findings.other_circumstance") == {True, False}
    found = {b.accountable for b in det.decision_space.branches if b.when.get("findings.other_circumstance") == (True,)}
    assert found == {True}


@pytest.mark.parametrize("gravity", ["minor", "serious", "grave"])
def test_found_other_inaction_gets_the_range_of_3_3_3(gravity: str) -> None:
    """With the finding made, the catch-all applies and 三(三)3's one open range follows, whatever 情节 is."""
    det = evaluate(case(OTHER_INACTION, finding(other_circumstance=True), {"conduct": {"gravity": gravity}}))
    assert det.step("3.1.other").result == "applies"
    assert [c.finding.rule_id for c in det.circumstances] == ["3.1.other"]
    assert det.sanctions.accountable is True
    assert det.sanctions.measures == ("reminder", "admonition", "circulated_criticism", "transfer", "non_leading_post",
                                      "ordered_resignation", "demotion", "removal")
    assert det.sanctions.open_ended is True


def test_other_inaction_found_not_of_the_kind_is_not_accountable() -> None:
    """With the finding that the conduct is not of the listed kind, the catch-all does not apply and no one is accountable."""
    det = evaluate(case(OTHER_INACTION, finding(other_circumstance=False)))
    assert det.step("3.1.other").result == "does_not_apply"
    assert det.sanctions.accountable is False


@pytest.mark.parametrize(
    ("patch", "why"),
    [
        ({"conduct": {"acts": ["factional_or_electoral_misconduct"]}}, "no duty performed (拉票贿选、跑官要官)"),
        ({"conduct": {"acts": ["concealing_personal_matters"]}}, "no duty performed (个人有关事项)"),
        ({"conduct": {"acts": []}}, "no conduct at all"),
        ({"conduct": {"within_responsibility": False}}, "outside one's duties"),
        ({"harm": {"influence": "none", "loss": "none", "consequences": "none"}}, "no loss or negative influence"),
    ],
)
def test_conduct_outside_the_general_definition_is_a_firm_no(patch: dict[str, Any], why: str) -> None:
    """Conduct outside 三(一) does not meet the catch-all, whatever the finding would be, and is not accountable."""
    det = evaluate(case(OTHER_INACTION, patch))
    assert det.step("3.1.other").result == "does_not_apply", why
    assert det.sanctions.accountable is False


def test_catch_all_beside_a_listed_item_leaves_accountability_standing() -> None:
    """Where an item of 三(二) applies, the open catch-all does not make accountability undetermined."""
    det = evaluate(case(TRIGGER))
    assert det.step("3.2.1.defying_orders").result == "applies"
    assert det.sanctions.accountable is True


# ------------------------------------------------------------------------------------ 五(一) open 等 list
def test_party_member_village_cadre_needs_a_finding_on_scope() -> None:
    """五(一) ends in 等单位: a party-member village cadre is undetermined in scope, asking for findings.subject_in_open_list."""
    det = evaluate(case(VILLAGE, TRIGGER))
    assert det.scope.outcome == "undetermined"
    assert det.step("5.1.open_list.party_member_cadre").result == "undetermined"
    assert question_names(det, "5.1.open_list.party_member_cadre", "findings.subject_in_open_list")
    assert det.sanctions.accountable is None
    assert branch_answers(det, "findings.subject_in_open_list") == {True, False}


def test_village_cadre_found_within_the_list_is_covered_and_accountable() -> None:
    """With the finding that the village is among the 等单位, the cadre is covered and 三(二)1 makes them accountable."""
    det = evaluate(case(VILLAGE, TRIGGER, finding(subject_in_open_list=True)))
    assert det.scope.outcome == "covered"
    assert det.scope.finding is not None
    assert det.scope.finding.rule_id == "5.1.open_list.party_member_cadre"
    assert det.sanctions.accountable is True


def test_village_cadre_found_outside_the_list_is_not_covered() -> None:
    """With the finding that the village is not among the 等单位, the cadre is not covered."""
    det = evaluate(case(VILLAGE, TRIGGER, finding(subject_in_open_list=False)))
    assert det.scope.outcome == "not_covered"
    assert det.sanctions.accountable is False


@pytest.mark.parametrize(
    "subject",
    [
        {"organisation_type": "authorised_organisation"},
        {"organisation_type": "democratic_party_organ"},
        {"organisation_type": "other", "performs_public_functions": True},
        {"organisation_type": "village_or_community", "administrative_level": "village"},
    ],
)
def test_units_of_the_listed_kind_need_a_finding(subject: dict[str, Any]) -> None:
    """An unnamed unit of the listed (public-sector) kind, as an organisation, is undetermined; with the finding, covered."""
    unit = {"subject": {"kind": "organisation", "is_leading_cadre": None, "is_state_functionary": None,
                        "is_party_member": None, **subject}}
    det = evaluate(case(unit, TRIGGER))
    assert det.scope.outcome == "undetermined"
    assert question_names(det, "5.1.open_list.organisation", "findings.subject_in_open_list")
    assert evaluate(case(unit, TRIGGER, finding(subject_in_open_list=True))).scope.outcome == "covered"


@pytest.mark.parametrize(
    ("patch", "why"),
    [
        ({"subject": {"organisation_type": "other", "performs_public_functions": False}}, "a private organisation: not of the kind"),
        ({**VILLAGE, "subject": {**VILLAGE["subject"], "is_party_member": False, "is_leading_cadre": False,
                                 "is_state_functionary": False, "is_management_staff": False}}, "neither a party member nor a cadre"),
        ({"subject": {"organisation_type": "authorised_organisation", "administrative_level": "province"}}, "not of 我市各级"),
    ],
)
def test_outside_the_open_list_is_a_firm_no(patch: dict[str, Any], why: str) -> None:
    """Units not of the listed kind, non-members and units above the city are not covered, without asking anything."""
    det = evaluate(case(patch, TRIGGER))
    assert det.scope.outcome == "not_covered", why
    assert det.sanctions.accountable is False


# ------------------------------------------------------------------------------------ 二(二)1 item (20)
DILIGENT_ERROR: dict[str, Any] = {"conduct": {"acts": ["defying_orders", "diligent_error"]}, **HARM}
"""A circumstance (有令不行) beside an error in diligent work: accountable, and within 二(二)'s 容错范围."""


def test_other_tolerable_error_needs_a_finding() -> None:
    """Within 容错范围 and no listed item, item (20) is undetermined; its decision space has the finding's two answers."""
    det = evaluate(case(DILIGENT_ERROR, {"legal": {"unlawful": False, "suspected_crime": False, "discipline_breach": "none"}}))
    assert det.step("2.2.1.20").result == "undetermined"
    assert question_names(det, "2.2.1.20", "findings.other_tolerable")
    assert det.sanctions.accountable is True  # a may-exemption never suspends accountability
    exemptions = {b.when.get("findings.other_tolerable", (None,))[0]: b.exemption for b in det.decision_space.branches
                  if "findings.other_tolerable" in b.when}
    assert exemptions[True] == "eligible"
    assert exemptions[False] != "eligible"  # other items still wait for their own facts


def test_found_tolerable_error_is_eligible_for_exemption() -> None:
    """With the finding, item (20) applies: the case is eligible (可以免责), not granted, and accountability stands."""
    det = evaluate(case(DILIGENT_ERROR, finding(other_tolerable=True),
                        {"legal": {"unlawful": False, "suspected_crime": False, "discipline_breach": "none"}}))
    assert det.step("2.2.1.20").result == "applies"
    assert det.exemption.outcome == "eligible"
    assert det.sanctions.accountable is True


def test_tolerable_error_found_not_is_no_exemption() -> None:
    """With the finding that the error is not tolerable under other rules, item (20) does not apply."""
    det = evaluate(case(DILIGENT_ERROR, finding(other_tolerable=False)))
    assert det.step("2.2.1.20").result == "does_not_apply"
    assert det.sanctions.accountable is True


@pytest.mark.parametrize(
    ("patch", "why"),
    [
        ({"conduct": {"acts": ["defying_orders"]},
          "context": {"diligent": False, "no_fault_in_performance": False, "non_subjective_cause": False}},
         "no error in diligent work"),
        ({"conduct": {"within_responsibility": False}}, "outside one's duties"),
    ],
)
def test_outside_the_tolerance_scope_item_20_is_a_firm_no(patch: dict[str, Any], why: str) -> None:
    """Conduct outside 二(二)'s 容错范围 does not meet item (20) whatever the finding would be."""
    det = evaluate(case(DILIGENT_ERROR, patch))
    assert det.step("2.2.1.20").result == "does_not_apply", why


def test_item_20_mitigating_half() -> None:
    """Item (20) also points to other 减轻、从轻: undetermined without the finding, a lighter factor with it, none without it."""
    base = case(TRIGGER, {"context": {"diligent": True}})
    det = evaluate(base)
    assert det.step("2.2.1.20.mitigating").result == "undetermined"
    assert question_names(det, "2.2.1.20.mitigating", "findings.other_mitigating")
    det = evaluate(merge(base, finding(other_mitigating=True)))
    assert [(f.factor, f.finding.rule_id) for f in det.factors] == [("reduced_or_lighter", "2.2.1.20.mitigating")]
    det = evaluate(merge(base, finding(other_mitigating=False)))
    assert det.step("2.2.1.20.mitigating").result == "does_not_apply"
    assert det.factors == ()


def test_a_bar_defeats_item_20() -> None:
    """A bar of 二(二)2 defeats item (20) as every other exemption."""
    det = evaluate(case(DILIGENT_ERROR, finding(other_tolerable=True), {"legal": {"discipline_breach": "serious"}}))
    assert det.step("2.2.1.20").result == "defeated"
    assert det.exemption.outcome == "barred"


# ------------------------------------------------------------------------------------ diligent errors
@pytest.mark.parametrize(
    ("rule_id", "context"),
    [
        ("2.2.1.6", {"powers_unequal_to_responsibilities": True, "non_subjective_cause": True}),
        ("2.2.1.11", {"collective_decision_followed": True, "instructions_requested": True, "risk_assessed": True}),
    ],
)
def test_diligent_error_meets_the_diligence_of_items_6_and_11(rule_id: str, context: dict[str, Any]) -> None:
    """Items (6) and (11) are about errors in diligent work: an error coded diligent_error meets their diligence element."""
    facts = case({"context": {**context, "diligent": False}})
    assert evaluate(merge(facts, {"conduct": {"acts": ["diligent_error"]}})).step(rule_id).result == "applies"
    assert evaluate(merge(facts, {"conduct": {"acts": ["slacking"]}})).step(rule_id).result == "does_not_apply"


ITEM_12: dict[str, Any] = {"context": {"no_fault_in_performance": True, "uncontrollable_factors": True}}


@pytest.mark.parametrize("act", ["absent_from_duty", "diligent_error", "performing_duties_poorly"])
def test_item_12_does_not_exclude_every_shortfall(act: str) -> None:
    """(12) excludes the narrow 贯彻落实不力 only: a delay from uncontrollable factors coded as another shortfall stays eligible."""
    assert evaluate(case(ITEM_12, {"conduct": {"acts": [act]}})).step("2.2.1.12").result == "applies"


@pytest.mark.parametrize("act", sorted(
    narrower(Act.NOT_IMPLEMENTING_DECISIONS) | narrower(Act.IMPLEMENTING_DECISIONS_INEFFECTIVELY) | narrower(Act.ABUSING_POWER)
    | narrower(Act.IMPROPER_APPOINTMENTS) | {Act.ISSUING_UNLAWFUL_DOCUMENTS, Act.BREACHING_WORK_DISCIPLINE}))
def test_item_12_excludes_every_form_of_not_carrying_out_decisions_or_rules(act: str) -> None:
    """(12)'s 严格执行决策部署和制度规定 excludes not carrying out decisions, and exercising power against the rules (越权 included).

    Changed with issue 14: only the first two acts used to be excluded, so exceeding one's powers left (12) open.
    """
    assert evaluate(case(ITEM_12, {"conduct": {"acts": [act]}})).step("2.2.1.12").result == "does_not_apply"


# ------------------------------------------------------------------------------------ act structure
RULES = yaml.safe_load((Path(g.load(KEY).path)).read_text(encoding="utf-8"))
DEFINE: dict[str, Any] = RULES["define"]


def _act_groups(node: Any) -> list[list[str]]:
    """The act lists a condition requires (positively) of conduct.acts, named definitions resolved."""
    if isinstance(node, dict):
        if node.get("fact") == "conduct.acts" and ("has" in node or "has_any" in node):
            return [[node["has"]] if "has" in node else list(node["has_any"])]
        if "use" in node:
            return _act_groups(DEFINE[node["use"]])
        if "not" in node:
            return []
        return [g_ for key in ("all", "any") for part in node.get(key, ()) for g_ in _act_groups(part)]
    return []


def _broad_rows() -> list[tuple[str, str, str]]:
    """(rule id, broad act it names, narrower act) for every rule of the file that names a broad act."""
    rows = []
    for rule in RULES["rules"]:
        if rule["id"] not in BASE:
            continue
        for group in _act_groups(rule.get("when")):
            for broad in group:
                rows += [(rule["id"], broad, n.value) for n in sorted(narrower(Act(broad)), key=str) if n.value != broad]
    return rows


BROAD_ROWS = _broad_rows()


def test_the_file_names_broad_acts() -> None:
    """The parametrized act-structure test is not vacuous: the file names 履职不力, 失职渎职, 不如实报告 and others."""
    assert {b for _, b, _ in BROAD_ROWS} >= {"performing_duties_poorly", "dereliction_of_duty", "not_requesting_instructions",
                                             "not_implementing_decisions", "implementing_decisions_ineffectively", "abusing_power"}


@pytest.mark.parametrize(("rule_id", "broad", "act"), BROAD_ROWS, ids=[f"{r}:{b}>{a}" for r, b, a in BROAD_ROWS])
def test_a_narrower_act_gets_the_rule_of_the_broad_one(rule_id: str, broad: str, act: str) -> None:
    """A rule quoting a broad word applies to each narrower conduct with the rule's other qualifiers: never more leniently."""
    facts = case(BASE[rule_id])
    group = {a for grp in _act_groups(next(r for r in RULES["rules"] if r["id"] == rule_id)["when"]) if broad in grp for a in grp}
    kept = [a for a in facts.get("conduct", {}).get("acts", []) if a not in group]
    facts = merge(facts, {"conduct": {"acts": [*kept, act]}})
    det = evaluate(facts)
    assert applies_or_gives_way(det, "yangjiang", rule_id)


@pytest.mark.parametrize(
    ("rule_id", "patch"),
    [
        ("3.2.1.tasks_unmet", {"conduct": {"acts": ["absent_from_duty"]}}),
        ("3.2.6.on_duty", {"conduct": {"acts": ["cracking_down_weakly"]}}),
        ("3.2.4.lead_unit", {"conduct": {"acts": ["handling_improperly"]}}),
        ("2.2.2.4", {"conduct": {"acts": ["neglecting_management"]}}),
        ("2.2.2.4", {"conduct": {"acts": ["not_performing_statutory_duty"]}}),
        ("3.2.2.not_reporting", {"conduct": {"acts": ["concealing_or_not_reporting"]}}),
    ],
)
def test_readings_kept_wide(rule_id: str, patch: dict[str, Any]) -> None:
    """The widened readings kept from the text's broad words (工作不力, 在岗不尽责, 失职渎职, 不如实报告) hold on a narrower act."""
    assert evaluate(case(BASE[rule_id], patch)).step(rule_id).result == "applies"


@pytest.mark.parametrize(
    ("rule_id", "act"),
    [
        ("2.2.2.4", "harsh_to_public"),
        ("2.2.2.5", "dereliction_of_duty"),
        ("3.2.5.selective_enforcement", "performing_duties_poorly"),
        ("3.2.3.two_responsibilities", "performing_duties_poorly"),
    ],
)
def test_narrow_words_do_not_catch_broader_conduct(rule_id: str, act: str) -> None:
    """A rule quoting a narrow word (不履行法定职责, 选择性执法, 主体责任) is not met by a broader or unrelated act."""
    assert evaluate(case(BASE[rule_id], {"conduct": {"acts": [act]}})).step(rule_id).result == "does_not_apply"


# ------------------------------------------------------------------------------------ 三(三)3 等
@pytest.mark.parametrize("rule_id", ["3.3.3.person", "3.3.3.organisation"])
def test_every_band_is_open_ended(rule_id: str) -> None:
    """三(三)3's measures end in 等: each band is an open list."""
    rule = g.load(KEY).rule(rule_id).rule
    assert all(e.open_ended for e in rule.then if e.measures)


# ------------------------------------------------------------------------------------ items that shared a fact
EMERGENCY: dict[str, Any] = {"context": {"emergency": "major", "protecting_life_or_stability": True}}


def test_items_1_and_2_read_different_acts() -> None:
    """临机处置 meets item (1) and not (2); 突破程序、急事急办 with (2)'s other elements meets (2) and not (1).

    Changed with issue 14: both items read one fact, so (2)'s further elements never decided anything.
    """
    improvised = evaluate(case(EMERGENCY, {"context": {"improvised_handling": True, "bypassed_procedure": False}}))
    assert (improvised.step("2.2.1.1").result, improvised.step("2.2.1.2").result) == ("applies", "does_not_apply")
    bypassed = evaluate(case(EMERGENCY, {"context": {
        "improvised_handling": False, "bypassed_procedure": True, "followed_basic_principles": True, "mitigated_losses": True,
        "reported_afterwards": True}}))
    assert (bypassed.step("2.2.1.1").result, bypassed.step("2.2.1.2").result) == ("does_not_apply", "applies")
    unreported = evaluate(case(EMERGENCY, {"context": {
        "improvised_handling": False, "bypassed_procedure": True, "followed_basic_principles": True, "mitigated_losses": True,
        "reported_afterwards": False}}))
    assert unreported.step("2.2.1.2").result == "does_not_apply"


BURDEN: dict[str, Any] = {"harm": {"effects": ["public_burden_increased"]}}


@pytest.mark.parametrize(
    ("act", "burden", "convenience", "delegation"),
    [
        ("not_implementing_service_reforms", True, "applies", "does_not_apply"),
        ("not_implementing_service_reforms", False, "does_not_apply", "does_not_apply"),
        ("not_implementing_delegation", False, "does_not_apply", "applies"),
        ("not_implementing_delegation", True, "applies", "applies"),
    ],
)
def test_convenience_keeps_its_result_element(act: str, burden: bool, convenience: str, delegation: str) -> None:
    """不落实便民制度 needs 群众多跑腿、多花钱; 简政放权 is the narrower act and does not stand in for it.

    Changed with issue 14: the delegation item read the same broad act, so the convenience item's result element
    never mattered.
    """
    det = evaluate(case({"conduct": {"acts": [act]}}, HARM, BURDEN if burden else {}))
    assert (det.step("3.2.8.convenience").result, det.step("3.2.8.delegation").result) == (convenience, delegation)


def test_broad_service_reform_act_without_burden_asks_the_catch_all() -> None:
    """Coded only as the broad 不落实便民、放权 act with no added burden, the conduct is for a finding under 三(一), not a no."""
    det = evaluate(case({"conduct": {"acts": ["not_implementing_service_reforms"]}}, HARM))
    assert det.step("3.1.other").result == "undetermined"
    assert det.sanctions.accountable is None


@pytest.mark.parametrize("influence", ["none", "adverse", "considerable", "serious", "major"])
def test_item_4_has_no_influence_cap(influence: str) -> None:
    """(4)'s 一定影响 is the local cost of a measure for the whole, no cap: eligibility does not turn on the influence.

    Changed with issue 14: influence above 较大影响 used to take (4) away.
    """
    det = evaluate(case({"context": {"implementing_development_concepts": True, "for_overall_interest": True},
                         "harm": {"influence": influence}}))
    assert det.step("2.2.1.4").result == "applies"
    assert det.step("2.2.1.4").facts.keys().isdisjoint({"harm.influence"})


def test_item_10_asks_for_effort_not_a_loss_avoided() -> None:
    """(10)(b): prompt handling and efforts to reduce the loss suffice, though the loss was not effectively avoided.

    Changed with issue 14: an effective remedy (inquiry.remedied_effectively) used to be required.
    """
    facts = case({"context": {"lack_of_experience": False, "conditions_changed": False, "mitigated_losses": True},
                  "inquiry": {"corrected_before_inquiry": True, "remedied_effectively": False}, "harm": {"influence": "adverse"}})
    assert evaluate(facts).step("2.2.1.10").result == "applies"
