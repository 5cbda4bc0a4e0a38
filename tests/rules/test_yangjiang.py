"""The Yangjiang rule set (阳江市贯彻“三个区分开来”治理为官不为的实施意见) against cases built to meet, or just miss, each item.

Every rule with a ``when`` condition has a case on which it applies (``APPLIES``) and, for each
qualifier of its text, a near miss (``NEAR_MISSES``): the rule's first applying case with exactly
that qualifier absent or too weak, on which the rule must not apply. The 二(四) results of an
exemption follow the recorded decision to exempt (``decision.exempted``) where an exemption item stands.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

import guanzhi_rules as g
from guanzhi_rules._vocab import ConsequenceLevel, DisciplineBreach, EmergencyLevel, InfluenceLevel, LossLevel, MassIncident
from tests.support import appears, assert_near_miss, assert_undetermined_by, base_cases, case, combine, evaluate, levels, row_ids

KEY = "yangjiang"

# ------------------------------------------------------------------------------------ building blocks
HARM: dict[str, Any] = {"harm": {"influence": "adverse"}}
"""三(一): 为官不为 causes 一定损失或负面影响; an adverse influence meets it."""

NO_HARM: dict[str, Any] = {"harm": {"loss": "none", "influence": "none", "consequences": "none"}}
"""No loss, no adverse influence and no adverse consequences: 三(一) is not met."""

OUTSIDE_CHARGE: dict[str, Any] = {"conduct": {"within_responsibility": False}}

TRIGGER: dict[str, Any] = {"conduct": {"acts": ["defying_orders"]}, "harm": {"influence": "adverse"}}
"""有令不行 with an adverse influence: meets 三(二)1 and makes a covered subject accountable."""

NO_CIRCUMSTANCE: dict[str, Any] = {"conduct": {"acts": []}, "harm": {"influence": "adverse"}}

ORGANISATION: dict[str, Any] = {
    "subject": {
        "kind": "organisation",
        "organisation_type": "government_organ",
        "is_leading_cadre": None,
        "is_state_functionary": None,
        "is_party_member": None,
    },
}
"""A county government organ."""

NON_LEADING: dict[str, Any] = {"subject": {"is_leading_cadre": False}}
"""A party-member civil servant without a leading post: still covered as a 党员干部."""

NON_MEMBER: dict[str, Any] = {"subject": {"is_party_member": False}}
"""A leading cadre who is not a party member: covered, 党员干部 being read as 党员、干部."""

NEITHER: dict[str, Any] = {"subject": {"is_party_member": False, "is_leading_cadre": False, "is_state_functionary": False,
                                       "is_management_staff": False}}
"""Neither a party member nor a cadre (no leading post, not a state functionary, not enterprise management)."""

EXEMPTED: dict[str, Any] = {"decision": {"exempted": True}}
"""The tolerance body has decided to exempt (二(四) 调查认定应予免责)."""

NO_BAR: dict[str, Any] = {
    "legal": {"unlawful": False, "suspected_crime": False, "discipline_breach": "none"},
    "context": {"private_gain": False, "expressly_prohibited_at_the_time": False},
}
"""No bar of 二(二)2 can hold (the acts-based bars need acts and effects a case names)."""

SETTLED_BARS: dict[str, Any] = {"legal": {"unlawful": False}, "context": {"private_gain": False, "expressly_prohibited_at_the_time": False}}
"""The facts that settle every bar as not holding, the discipline breach left as it is (not serious)."""

OBJECTION: dict[str, Any] = {"context": {"objection_recorded": True}}
"""Meets exemption item (13) (明确提出反对意见)."""

COOPERATION: dict[str, Any] = {"inquiry": {"cooperated": True, "accepted_responsibility": True}}
"""Meets mitigating item (19) (积极配合组织调查，主动承担责任)."""

NO_TOLERANCE: dict[str, Any] = {
    "context": {
        "emergency": "none", "directed_by_superiors": False, "implementing_development_concepts": False,
        "powers_unequal_to_responsibilities": False, "prohibited_now": False, "acted_for_development": False,
        "no_explicit_restriction": False, "lack_of_experience": False, "conditions_changed": False,
        "collective_decision_followed": False, "no_fault_in_performance": False, "objection_recorded": False,
        "legacy_problem": False, "difficult_problem": False, "diligent": False, "non_subjective_cause": False,
    },
    "inquiry": {"corrected_before_inquiry": False},
}
"""No item of 二(二)1 can stand: every exemption item is settled as not applying."""


def acts(*codes: str, **conduct: Any) -> dict[str, Any]:
    """A conduct patch with these acts (and other conduct facts), plus the 三(一) harm."""
    return combine(HARM, {"conduct": {"acts": list(codes), **conduct}})


def ctx(**facts: Any) -> dict[str, Any]:
    """A context patch."""
    return {"context": facts}


def inq(**facts: Any) -> dict[str, Any]:
    """An inquiry patch."""
    return {"inquiry": facts}


# ------------------------------------------------------------------------------------ must apply
APPLIES: list[tuple[str, dict[str, Any]]] = [
    # 五(一) 适用对象
    ("5.1.party_member_cadre", {}),
    ("5.1.party_member_cadre", NON_LEADING),
    ("5.1.party_member_cadre", {"subject": {"organisation_type": "state_owned_enterprise", "is_leading_cadre": False,
                                            "is_state_functionary": False, "is_management_staff": True}}),
    ("5.1.party_member_cadre", {"subject": {"organisation_type": "court", "administrative_level": "city"}}),
    ("5.1.party_member_cadre", {"subject": {"organisation_type": "public_institution", "administrative_level": "township"}}),
    ("5.1.party_member_cadre", NON_MEMBER),
    ("5.1.party_member_cadre", {"subject": {"organisation_type": "public_institution", "is_leading_cadre": False,
                                            "is_state_functionary": False, "is_management_staff": False}}),
    ("5.1.organisation", ORGANISATION),
    ("5.1.organisation", combine(ORGANISATION, {"subject": {"organisation_type": "peoples_organisation"}})),
    ("5.1.organisation", combine(ORGANISATION, {"subject": {"organisation_type": "procuratorate"}})),
    ("5.1.open_list.party_member_cadre", {"subject": {"organisation_type": "village_or_community", "administrative_level": "village"},
                                          "findings": {"subject_in_open_list": True}}),
    ("5.1.open_list.organisation", combine(ORGANISATION, {"subject": {"organisation_type": "authorised_organisation"},
                                                     "findings": {"subject_in_open_list": True}})),
    ("5.1.open_list.organisation", combine(ORGANISATION, {"subject": {"organisation_type": "other", "performs_public_functions": True},
                                                     "findings": {"subject_in_open_list": True}})),
    # 三(一) catch-all: other inaction within the general definition, on the decision-maker's finding
    ("3.1.other", combine(acts("slacking"), {"findings": {"other_circumstance": True}})),
    # 三(二)1 贯彻落实决策部署
    ("3.2.1.defying_orders", acts("defying_orders")),
    ("3.2.1.defying_orders", combine(acts("defying_orders"), {"harm": {"influence": None, "loss": "some"}})),
    ("3.2.1.defying_orders", combine(acts("defying_orders"), {"harm": {"influence": None, "consequences": "adverse"}})),
    ("3.2.1.information", acts("not_disclosing_information")),
    ("3.2.1.statistics", acts("falsifying", fields=["decision_statistics"])),
    ("3.2.1.tasks_unmet", combine(acts("supervising_inadequately"), ctx(directed_by_superiors=True),
                             {"performance": {"shortfalls": ["not_on_time_or_quality"]}})),
    ("3.2.1.tasks_unmet", combine(acts("not_cooperating"), ctx(directed_by_superiors=True),
                             {"performance": {"shortfalls": ["not_on_time_or_quality"]}})),
    # 三(二)2 谋改革促发展
    ("3.2.2.no_follow_through", combine(acts("not_investigating", "formalism"), ctx(directed_by_superiors=True))),
    ("3.2.2.no_follow_through", combine(acts("not_investigating", "not_implementing_decisions"), ctx(directed_by_superiors=True))),
    ("3.2.2.business_environment", combine(acts("tolerating_violations"), {"harm": {"effects": ["business_environment_affected"]}})),
    ("3.2.2.business_environment", combine(acts("enforcing_laxly"), {"harm": {"harmed_interests": ["others"]}})),
    ("3.2.2.incipient_problems", acts("failing_to_prevent", fields=["reform"])),
    ("3.2.2.not_reporting", acts("not_requesting_instructions")),
    ("3.2.2.not_reporting", acts("concealing_or_not_reporting")),
    # 三(二)3 履行领导责任
    ("3.2.3.unresolved_problems", combine(acts("not_deciding"), ctx(legacy_problem=True))),
    ("3.2.3.unresolved_problems", combine(acts("not_solving_major_problems"), {"harm": {"public_reaction": "strong"}})),
    ("3.2.3.unresolved_problems", combine(ORGANISATION, acts("not_investigating"), ctx(legacy_problem=True))),
    ("3.2.3.two_responsibilities", acts("neglecting_integrity_duties")),
    ("3.2.3.two_responsibilities", combine(ORGANISATION, acts("neglecting_integrity_duties"))),
    ("3.2.3.laissez_faire", acts("managing_team_laxly")),
    # 三(二)4 全局性、综合性工作的分工任务
    ("3.2.4.not_deciding", acts("not_deciding", joint_matter_role="lead")),
    ("3.2.4.not_deciding", acts("not_deciding", joint_matter_role="assisting")),
    ("3.2.4.shifting_responsibility", acts("passing_the_buck", joint_matter_role="assisting")),
    ("3.2.4.shifting_responsibility", acts("shirking_responsibility", joint_matter_role="lead")),
    ("3.2.4.lead_unit", acts("not_cooperating", joint_matter_role="lead")),
    ("3.2.4.assisting_unit", acts("perfunctory", joint_matter_role="assisting")),
    # 三(二)5 市场监管、社会管理
    ("3.2.5.selective_enforcement", acts("enforcing_laxly", fields=["market_regulation"])),
    ("3.2.5.unrealistic_targets", acts("imposing_unrealistic_targets")),
    ("3.2.5.territorial_buck_passing", acts("passing_the_buck", fields=["social_management"])),
    ("3.2.5.approval_delays", acts("matters_not_handled_in_time", fields=["administrative_approval"])),
    # 三(二)6 司法执法
    ("3.2.6.on_duty", acts("breaching_work_discipline", fields=["law_enforcement"])),
    ("3.2.6.on_duty", acts("performing_duties_poorly", fields=["law_enforcement"])),
    ("3.2.6.public_demands", acts("not_protecting_public", fields=["law_enforcement"])),
    ("3.2.6.weak_supervision", acts("tolerating_violations", fields=["law_enforcement"])),
    # 三(二)7 突发事件和紧急情况
    ("3.2.7.misreporting", combine(acts("concealing_or_not_reporting"), ctx(emergency="emergency"))),
    ("3.2.7.misreporting", combine(acts("concealing_or_not_reporting", fields=["work_safety"]), ctx(emergency="none"))),
    ("3.2.7.contingency_plans", combine(acts("failing_to_prevent"), ctx(emergency="major"))),
    ("3.2.7.contingency_plans", combine(acts("implementing_decisions_ineffectively", fields=["disaster_epidemic"]), ctx(emergency="none"))),
    ("3.2.7.deserting", combine(acts("retreating_from_danger"), ctx(emergency="emergency"))),
    ("3.2.7.deserting", combine(acts("disobeying_assignment", fields=["flood_drought"]), ctx(emergency="none"))),
    ("3.2.7.instability", acts("failing_to_prevent", fields=["public_order"])),
    # 三(二)8 为民服务
    ("3.2.8.benefit_funds", acts("mismanaging_benefit_funds")),
    ("3.2.8.benefit_funds", acts("not_implementing_decisions", fields=["public_benefit_programmes"])),
    ("3.2.8.convenience", combine(acts("not_implementing_service_reforms"), {"harm": {"effects": ["public_burden_increased"]}})),
    ("3.2.8.delegation", acts("not_implementing_delegation")),
    ("3.2.8.petitions", acts("not_responding_to_public")),
    ("3.2.8.brushing_off", acts("passing_the_buck", fields=["public_service"])),
    ("3.2.8.brushing_off", acts("perfunctory", fields=["petitions"])),
    ("3.2.8.legacy_problems", acts("neglecting_legacy_problems")),
    # 二(二)2 不予免责和减轻、从轻问责
    ("2.2.2.1", combine(ctx(expressly_prohibited_at_the_time=True), {"conduct": {"persisted_after_prohibition": True}})),
    ("2.2.2.2", combine(ctx(private_gain=True), {"legal": {"discipline_breach": "ordinary", "unlawful": False}})),
    ("2.2.2.2", combine(ctx(private_gain=True), {"legal": {"discipline_breach": "none", "unlawful": True}})),
    ("2.2.2.3", {"conduct": {"acts": ["infringing_public_interests"]}, "harm": {"effects": ["party_public_relations_damaged"]}}),
    ("2.2.2.4", {"conduct": {"acts": ["dereliction_of_duty"]}, "harm": {"major_accidents": ["work_safety"]}}),
    ("2.2.2.4", {"conduct": {"acts": ["dereliction_of_duty"]}, "harm": {"major_accidents": ["food_drug_safety"]}}),
    ("2.2.2.4", {"conduct": {"acts": ["dereliction_of_duty"]}, "harm": {"mass_incident": "serious"}}),
    ("2.2.2.5", {"conduct": {"acts": ["not_performing_statutory_duty"]}, "harm": {"effects": ["situation_worsened"]}}),
    ("2.2.2.5", {"conduct": {"acts": ["perfunctory"]}, "harm": {"effects": ["situation_worsened"]}}),
    ("2.2.2.6", {"legal": {"unlawful": True}}),
    ("2.2.2.6", {"legal": {"discipline_breach": "serious"}}),
    # 二(二)1 第一类：一心为公
    ("2.2.1.1", ctx(emergency="major", protecting_life_or_stability=True, improvised_handling=True)),
    ("2.2.1.2", ctx(emergency="major", followed_basic_principles=True, bypassed_procedure=True,
                    protecting_life_or_stability=True, mitigated_losses=True, reported_afterwards=True)),
    ("2.2.1.3", ctx(directed_by_superiors=True, consistent_with_policy=True, for_overall_interest=True, error_in_method_only=True)),
    ("2.2.1.4", ctx(implementing_development_concepts=True, for_overall_interest=True)),
    ("2.2.1.4", combine(ctx(implementing_development_concepts=True, for_overall_interest=True), {"harm": {"influence": "serious"}})),
    # 第二类：无意过失
    ("2.2.1.5", combine(ctx(clean_business_relations=True, acted_for_development=True, non_subjective_cause=True, mitigated_losses=True),
                   {"conduct": {"fields": ["investment_promotion"]}})),
    ("2.2.1.5", combine(ctx(clean_business_relations=True, acted_for_development=True, non_subjective_cause=True, mitigated_losses=True),
                   {"conduct": {"fields": ["industrial_upgrading"]}})),
    ("2.2.1.6", ctx(powers_unequal_to_responsibilities=True, diligent=True, non_subjective_cause=True)),
    ("2.2.1.7", ctx(prohibited_now=True, expressly_prohibited_at_the_time=False)),
    ("2.2.1.7", ctx(prohibited_now=True, no_explicit_restriction=True)),
    # 第三类：尽力履职
    ("2.2.1.8", combine(ctx(acted_for_development=True, policy_unclear=True), {"harm": {"consequences": "adverse"}})),
    ("2.2.1.9", ctx(no_explicit_restriction=True, exploratory_trial=True, designed_and_followed_rules=True)),
    ("2.2.1.10", combine(ctx(lack_of_experience=True), {"harm": {"influence": "adverse"}})),
    ("2.2.1.10", combine(ctx(conditions_changed=True), {"harm": {"influence": "none"}})),
    ("2.2.1.10", combine(ctx(mitigated_losses=True), inq(corrected_before_inquiry=True), {"harm": {"influence": "adverse"}})),
    ("2.2.1.10", combine(inq(corrected_before_inquiry=True, remedied_effectively=True), {"harm": {"influence": "adverse"}})),
    # 第四类：不可抗力
    ("2.2.1.11", ctx(collective_decision_followed=True, instructions_requested=True, risk_assessed=True, diligent=True)),
    ("2.2.1.12", ctx(no_fault_in_performance=True, uncontrollable_factors=True)),
    ("2.2.1.13", OBJECTION),
    # 第五类：综合效果良好
    ("2.2.1.14", ctx(legacy_problem=True, consistent_with_policy=True, acted_for_development=True, good_overall_result=True)),
    ("2.2.1.15", combine(ctx(difficult_problem=True, consistent_with_policy=True), {"harm": {"consequences": "none"}})),
    ("2.2.1.16", ctx(directed_by_superiors=True, exploratory_trial=True, consistent_with_policy=True, direction_correct=True,
                     error_in_method_only=True)),
    # 第六类：敢于担当
    ("2.2.1.17", inq(reported_promptly_and_truthfully=True)),
    ("2.2.1.18", inq(corrected_before_inquiry=True, remedied_effectively=True)),
    ("2.2.1.19", COOPERATION),
    # (20): other tolerable errors and other mitigation, on the decision-maker's finding
    ("2.2.1.20", combine(acts("diligent_error"), {"findings": {"other_tolerable": True}})),
    ("2.2.1.20.mitigating", combine(ctx(diligent=True), {"findings": {"other_mitigating": True}})),
    # 三(三)3 处置方式: one range, whatever the gravity
    ("3.3.3.person", TRIGGER),
    ("3.3.3.person", combine(TRIGGER, {"conduct": {"gravity": "minor"}})),
    ("3.3.3.person", combine(TRIGGER, NON_MEMBER, {"conduct": {"gravity": "grave"}})),
    ("3.3.3.organisation", combine(ORGANISATION, TRIGGER)),
    ("3.3.3.organisation", combine(ORGANISATION, TRIGGER, {"conduct": {"gravity": "grave"}})),
    # 后果、移送: from the facts, not from accountability alone
    ("4.6.party_discipline", combine(TRIGGER, {"legal": {"discipline_breach": "ordinary"}})),
    ("4.6.party_discipline", combine(TRIGGER, {"legal": {"discipline_breach": "serious"}})),
    ("4.6.party_discipline", combine(NO_CIRCUMSTANCE, ctx(private_gain=True), {"legal": {"discipline_breach": "ordinary"}})),
    ("4.6.party_discipline", combine(TRIGGER, OBJECTION, EXEMPTED, {"legal": {"discipline_breach": "ordinary"}})),
    ("4.6.public_office_discipline", combine(TRIGGER, {"legal": {"discipline_breach": "ordinary"}})),
    ("4.6.public_office_discipline", combine(TRIGGER, NON_MEMBER, {"legal": {"discipline_breach": "ordinary"}})),
    ("2.2.2.liability", combine(ctx(expressly_prohibited_at_the_time=True), {"conduct": {"persisted_after_prohibition": True}})),
    ("2.2.2.liability", combine(NO_CIRCUMSTANCE, {"legal": {"discipline_breach": "serious"}})),
    ("2.2.2.judicial", {"legal": {"suspected_crime": True}}),
    ("2.2.2.judicial", combine(NO_CIRCUMSTANCE, OBJECTION, EXEMPTED, {"legal": {"suspected_crime": True}})),
    ("4.6.double_inquiry", combine(TRIGGER, {"conduct": {"gravity": "grave"}})),
    ("4.6.double_inquiry", combine(TRIGGER, {"conduct": {"gravity": "minor"}, "harm": {"consequences": "serious"}})),
    ("4.6.double_inquiry", combine(TRIGGER, {"conduct": {"gravity": "minor"}, "harm": {"influence": "serious"}})),
    ("4.6.double_inquiry", combine(TRIGGER, {"conduct": {"gravity": "minor"}, "harm": {"loss": "major"}})),
    # 二(四) 结果运用: on the recorded decision to exempt, where an exemption item stands
    ("2.4.1", combine(TRIGGER, OBJECTION, EXEMPTED, NO_BAR)),
    ("2.4.2", combine(TRIGGER, OBJECTION, EXEMPTED, NO_BAR)),
    ("2.4.3", combine(TRIGGER, OBJECTION, EXEMPTED, NO_BAR)),
    ("2.4.3", combine(ORGANISATION, TRIGGER, OBJECTION, EXEMPTED, NO_BAR)),
    ("2.4.4", combine(TRIGGER, OBJECTION, EXEMPTED, NO_BAR)),
    ("2.4.combined", combine(TRIGGER, OBJECTION, EXEMPTED, NO_BAR)),
    # 二(五)3–4 诫勉督导、责令纠错
    ("2.5.3", acts("diligent_error")),
    ("2.5.3", combine(ctx(no_explicit_restriction=True, exploratory_trial=True, designed_and_followed_rules=True),
                      {"harm": {"influence": "none"}})),
    ("2.5.4", acts("diligent_error")),
    ("2.5.4", combine(acts("diligent_error"), EXEMPTED, {"harm": {"influence": "serious"}})),
    ("2.5.4", ctx(no_explicit_restriction=True, exploratory_trial=True, designed_and_followed_rules=True)),
    # 四(五) 能上能下
    ("4.5.adjustment", acts("slacking")),
    ("4.5.adjustment", combine(NO_HARM, {"conduct": {"acts": ["lacking_competence"]}})),
    ("4.5.adjustment", {"conduct": {"acts": ["ostentatious"]}}),
    ("4.5.adjustment", {"conduct": {"acts": ["factional_or_electoral_misconduct"]}}),
    ("4.5.adjustment", {"conduct": {"acts": ["neglecting_management"]}}),
    ("4.5.adjustment", ctx(private_gain=True)),
    # 二(三)4 备案
    ("2.3.4.filing", {"decision": {"body_level": "county"}}),
]
"""(rule id, patch over ``LEADING_CADRE``): the rule applies. The first row of each rule is its base case."""

BASE = base_cases(APPLIES)

CIRCUMSTANCES = [rid for rid in BASE if rid.startswith("3.2.")]
BARS = [f"2.2.2.{n}" for n in range(1, 7)]
EXEMPTIONS = [f"2.2.1.{n}" for n in range(1, 17)]
MITIGATIONS = ["2.2.1.17", "2.2.1.18", "2.2.1.19"]

# ------------------------------------------------------------------------------------ near misses
NEAR_MISSES: list[tuple[str, dict[str, Any], str]] = [
    # 五(一)
    ("5.1.party_member_cadre", NEITHER, "党员、干部 (neither a party member nor a leading post, state functionary or management)"),
    ("5.1.party_member_cadre", {"subject": {"organisation_type": "village_or_community"}}, "党政机关…国有企业等单位 (a village)"),
    ("5.1.party_member_cadre", {"subject": {"organisation_type": "democratic_party_organ"}}, "党政机关 (a democratic party organ)"),
    ("5.1.party_member_cadre", {"subject": {"administrative_level": "province"}}, "我市各级 (a provincial organ)"),
    ("5.1.party_member_cadre", {"subject": {"kind": "organisation"}}, "a person (the subject is an organisation)"),
    ("5.1.organisation", {"subject": {"organisation_type": "authorised_organisation"}}, "党政机关…国有企业等单位 (an authorised body)"),
    ("5.1.organisation", {"subject": {"administrative_level": "central"}}, "我市各级 (a central organ)"),
    ("5.1.organisation", {"subject": {"kind": "person"}}, "an organisation (the subject is a person)"),
    ("5.1.open_list.party_member_cadre", {"findings": {"subject_in_open_list": False}}, "等单位 (found not of the kind)"),
    ("5.1.open_list.party_member_cadre", NEITHER, "党员、干部 (neither a party member nor a cadre)"),
    ("5.1.open_list.organisation", {"subject": {"organisation_type": "other", "performs_public_functions": False}},
     "等单位 (a private organisation)"),
    ("5.1.open_list.organisation", {"subject": {"organisation_type": "government_organ"}}, "等单位 (a listed kind: 5.1.organisation)"),
    ("3.1.other", {"findings": {"other_circumstance": False}}, "其他为官不为问题 (found not of the kind)"),
    ("3.1.other", {"conduct": {"acts": ["factional_or_electoral_misconduct"]}}, "三(一) 不履行或不正确履行职责 (no duty performed)"),
    ("3.1.other", OUTSIDE_CHARGE, "三(一) 职责 (outside the subject's responsibility)"),
    ("3.1.other", NO_HARM, "三(一) 造成一定损失或负面影响 (no loss, influence or consequences)"),
    # 三(二)1
    ("3.2.1.defying_orders", {"conduct": {"acts": ["slacking"]}}, "有令不行、有禁不止、阳奉阴违 (the act)"),
    ("3.2.1.information", {"conduct": {"acts": ["falsifying"]}}, "不按规定公开信息 (the act)"),
    ("3.2.1.statistics", {"conduct": {"fields": ["reform"]}}, "调查摸底统计工作 (another field)"),
    ("3.2.1.statistics", {"conduct": {"acts": ["not_investigating"]}}, "报送虚假数据和情况 (careless, no false data)"),
    ("3.2.1.tasks_unmet", {"context": {"directed_by_superiors": False}}, "上级确定的 (the task was not set by superiors)"),
    ("3.2.1.tasks_unmet", {"conduct": {"acts": ["slacking"]}}, "组织协调不得力、审核把关不严格… (the failing)"),
    ("3.2.1.tasks_unmet", {"performance": {"shortfalls": ["slow_progress"]}}, "导致不能按时按质完成任务 (slow progress only)"),
    # 三(二)2
    ("3.2.2.no_follow_through", {"context": {"directed_by_superiors": False}}, "上级部署的 (not set by superiors)"),
    ("3.2.2.no_follow_through", {"conduct": {"acts": ["formalism"]}}, "不认真调查研究 (studied the matter)"),
    ("3.2.2.no_follow_through", {"conduct": {"acts": ["not_investigating"]}}, "只做方案、不抓落实 (carried out)"),
    ("3.2.2.business_environment", {"conduct": {"acts": ["slacking"]}}, "不及时纠正 (the failing)"),
    ("3.2.2.business_environment", {"harm": {"effects": ["work_delayed"]}}, "影响发展环境、损害投资者合法权益 (neither)"),
    ("3.2.2.incipient_problems", {"conduct": {"fields": ["public_service"]}}, "改革推进过程中 (another field)"),
    ("3.2.2.incipient_problems", {"conduct": {"acts": ["slacking"]}}, "不及时采取措施解决 (the failing)"),
    ("3.2.2.not_reporting", {"conduct": {"acts": ["falsifying"]}}, "不如实向上级报告 (the act)"),
    # 三(二)3
    ("3.2.3.unresolved_problems", {"subject": {"is_leading_cadre": False}}, "领导责任 (no leading post)"),
    ("3.2.3.unresolved_problems", {"context": {"legacy_problem": False}, "harm": {"public_reaction": "notable"}},
     "长期存在或干部群众反映强烈 (neither)"),
    ("3.2.3.unresolved_problems", {"conduct": {"acts": ["slacking"]}}, "不主动研究或议而不决，不积极采取有效措施 (the failing)"),
    ("3.2.3.two_responsibilities", {"subject": {"is_leading_cadre": False}}, "管党治党主体责任、监督责任 (no leading post)"),
    ("3.2.3.two_responsibilities", {"conduct": {"acts": ["managing_team_laxly"]}}, "不履行主体责任、监督责任 (the act)"),
    ("3.2.3.laissez_faire", {"subject": {"is_leading_cadre": False}}, "领导干部 (no leading post)"),
    ("3.2.3.laissez_faire", {"conduct": {"acts": ["shirking_responsibility"]}}, "对班子成员…错误言行放任不管 (the act)"),
    # 三(二)4
    ("3.2.4.not_deciding", {"conduct": {"joint_matter_role": "none"}}, "分工任务 (not a divided task)"),
    ("3.2.4.not_deciding", {"conduct": {"acts": ["slacking"]}}, "能决定的事项不作决定 (the act)"),
    ("3.2.4.shifting_responsibility", {"conduct": {"joint_matter_role": "none"}}, "分工任务 (not a divided task)"),
    ("3.2.4.shifting_responsibility", {"conduct": {"acts": ["slacking"]}}, "不尽力承担、层层摊派 (the act)"),
    ("3.2.4.lead_unit", {"conduct": {"joint_matter_role": "assisting"}}, "主办单位 (assisting party)"),
    ("3.2.4.lead_unit", {"conduct": {"acts": ["slacking"]}}, "不主动牵头协调… (the failing)"),
    ("3.2.4.assisting_unit", {"conduct": {"joint_matter_role": "lead"}}, "协办单位 (lead party)"),
    ("3.2.4.assisting_unit", {"conduct": {"acts": ["slacking"]}}, "消极应付，推诿扯皮 (the act)"),
    # 三(二)5
    ("3.2.5.selective_enforcement", {"conduct": {"fields": ["law_enforcement"]}}, "市场监管、社会管理 (another field)"),
    ("3.2.5.selective_enforcement", {"conduct": {"acts": ["supervising_inadequately"]}}, "选择性执法 (the act)"),
    ("3.2.5.unrealistic_targets", {"conduct": {"acts": ["perfunctory"]}}, "脱离实际地下指标、压任务 (the act)"),
    ("3.2.5.territorial_buck_passing", {"conduct": {"fields": ["public_service"]}}, "市场监管、社会管理 (another field)"),
    ("3.2.5.territorial_buck_passing", {"conduct": {"acts": ["slacking"]}}, "推诿塞责 (the act)"),
    ("3.2.5.approval_delays", {"conduct": {"fields": ["petitions"]}}, "行政审批事项 (another field)"),
    ("3.2.5.approval_delays", {"conduct": {"acts": ["slacking"]}}, "拖延办理甚至搁置不办 (the act)"),
    # 三(二)6
    ("3.2.6.on_duty", {"conduct": {"fields": ["market_regulation"]}}, "行使司法执法职能 (another field)"),
    ("3.2.6.on_duty", {"conduct": {"acts": ["perfunctory"]}}, "不按规定上岗、出勤出警或在岗不尽责 (the act)"),
    ("3.2.6.public_demands", {"conduct": {"fields": ["public_service"]}}, "行使司法执法职能 (another field)"),
    ("3.2.6.public_demands", {"conduct": {"acts": ["slacking"]}}, "不积极回应…不尽力保护 (the act)"),
    ("3.2.6.weak_supervision", {"conduct": {"fields": ["public_order"]}}, "行使司法执法职能 (another field)"),
    ("3.2.6.weak_supervision", {"conduct": {"acts": ["slacking"]}}, "监管不力甚至放任不管 (the act)"),
    # 三(二)7
    ("3.2.7.misreporting", {"context": {"emergency": "none"}}, "突发事件、安全事故或疫情 (no emergency, no accident)"),
    ("3.2.7.misreporting", {"conduct": {"acts": ["falsifying"]}}, "瞒报、谎报、迟报、漏报 (the act)"),
    ("3.2.7.contingency_plans", {"context": {"emergency": "none"}}, "应急预案 (no emergency)"),
    ("3.2.7.contingency_plans", {"conduct": {"acts": ["slacking"]}}, "不落实防控措施 (the failing)"),
    ("3.2.7.deserting", {"context": {"emergency": "none"}}, "处置突发事件 (no emergency)"),
    ("3.2.7.deserting", {"conduct": {"acts": ["slacking"]}}, "不服从组织调遣，畏缩不前，临阵脱逃 (the act)"),
    ("3.2.7.instability", {"conduct": {"fields": ["reform"]}}, "可能诱发公共事件的不稳定因素 (another field)"),
    ("3.2.7.instability", {"conduct": {"acts": ["slacking"]}}, "研判不主动细致、化解不及时不得力 (the failing)"),
    # 三(二)8
    ("3.2.8.benefit_funds", {"conduct": {"acts": ["slacking"]}}, "不贯彻落实惠民利民政策，不按规定发放惠民资金 (the act)"),
    ("3.2.8.benefit_funds", {"conduct": {"acts": ["not_implementing_decisions"]}}, "惠民利民政策 (a policy of another kind)"),
    ("3.2.8.convenience", {"harm": {"effects": []}}, "导致群众多跑腿、多花钱 (no added burden)"),
    ("3.2.8.convenience", {"conduct": {"acts": ["slacking"]}}, "不落实便民制度 (the act)"),
    ("3.2.8.delegation", {"conduct": {"acts": ["exceeding_powers"]}}, "对简政放权措施不执行、缓执行、变通执行 (the act)"),
    ("3.2.8.delegation", {"conduct": {"acts": ["not_implementing_service_reforms"]}},
     "简政放权、权责清单 (only the broad 不落实便民制度 act, which may be the convenience item)"),
    ("3.2.8.petitions", {"conduct": {"acts": ["slacking"]}}, "不按规定受理或不及时处理反馈 (the act)"),
    ("3.2.8.brushing_off", {"conduct": {"fields": ["market_regulation"]}}, "为民服务、解决群众反映问题 (another field)"),
    ("3.2.8.brushing_off", {"conduct": {"acts": ["slacking"]}}, "一推了事 (the act)"),
    ("3.2.8.legacy_problems", {"conduct": {"acts": ["slacking"]}}, "对历史遗留问题不主动想办法解决 (the act)"),
    # 二(二)2
    ("2.2.2.1", {"context": {"expressly_prohibited_at_the_time": False}}, "法律法规已明令禁止 (not prohibited at the time)"),
    ("2.2.2.1", {"conduct": {"persisted_after_prohibition": False}}, "依然我行我素 (stopped after the prohibition)"),
    ("2.2.2.2", {"context": {"private_gain": False}}, "经查实…谋取私利 (no private gain)"),
    ("2.2.2.2", {"legal": {"discipline_breach": "none"}}, "违法违纪 (neither unlawful nor a breach of discipline)"),
    ("2.2.2.3", {"conduct": {"acts": ["harsh_to_public"]}}, "非法侵害群众利益 (the act)"),
    ("2.2.2.3", {"harm": {"effects": ["public_burden_increased"]}}, "严重破坏党群政群关系 (relations not damaged)"),
    # 疏于管理 (neglecting_management) is a form of 失职渎职 by the act structure, so it meets the bar: the near miss is
    # an act that is no dereliction at all (an officer's choice between near-synonyms must not decide the bar).
    ("2.2.2.4", {"conduct": {"acts": ["harsh_to_public"]}}, "玩忽职守、失职渎职 (the act)"),
    ("2.2.2.4", {"harm": {"major_accidents": [], "mass_incident": "incident"}},
     "重特大事故或严重群体性事件 (an ordinary mass incident only)"),
    ("2.2.2.5", {"conduct": {"acts": ["slacking"]}}, "不履行法定职责…放任不管或消极应付 (the act)"),
    ("2.2.2.5", {"harm": {"effects": ["work_delayed"]}}, "造成影响恶化或者损失扩大 (not worsened)"),
    ("2.2.2.6", {"legal": {"suspected_crime": False, "unlawful": False, "discipline_breach": "ordinary"}},
     "构成违法犯罪或严重违纪 (an ordinary breach only)"),
    ("2.2.2.6", {"legal": {"suspected_crime": True, "unlawful": False, "discipline_breach": "none"}},
     "构成违法犯罪 (suspected of a crime, but not found unlawful)"),
    # 二(二)1 第一类
    ("2.2.1.1", {"context": {"emergency": "emergency"}}, "重大突发性事件 (an ordinary emergency)"),
    ("2.2.1.1", {"context": {"protecting_life_or_stability": False}}, "为保护群众生命财产安全或维护社会稳定 (another purpose)"),
    ("2.2.1.1", {"context": {"improvised_handling": False}}, "临机处置 (no improvised handling)"),
    ("2.2.1.2", {"context": {"emergency": "emergency"}}, "重大突发性事件 (an ordinary emergency)"),
    ("2.2.1.2", {"context": {"followed_basic_principles": False}}, "遵循事件处置基本原则 (principles not followed)"),
    ("2.2.1.2", {"context": {"bypassed_procedure": False, "improvised_handling": True}},
     "突破程序、急事急办 (procedure kept, though decided on the spot)"),
    ("2.2.1.2", {"context": {"protecting_life_or_stability": False}}, "保护群众生命财产安全或保持社会大局稳定 (another purpose)"),
    ("2.2.1.2", {"context": {"mitigated_losses": False}}, "努力避免、减轻或弥补损失 (no effort to limit the loss)"),
    ("2.2.1.2", {"context": {"reported_afterwards": False}}, "事后及时报告 (not reported)"),
    ("2.2.1.3", {"context": {"directed_by_superiors": False}}, "推动…决策部署落实过程中 (not carrying out a decision)"),
    ("2.2.1.3", {"context": {"consistent_with_policy": False}}, "不违背大政方针和改革精神 (contrary to policy)"),
    ("2.2.1.3", {"context": {"for_overall_interest": False}}, "有利于全局利益和长远发展 (not for the overall interest)"),
    ("2.2.1.3", {"context": {"error_in_method_only": False}}, "由于具体工作方式方法不当 (more than a fault of method)"),
    ("2.2.1.4", {"context": {"implementing_development_concepts": False}}, "贯彻落实新发展理念 (not implementing them)"),
    ("2.2.1.4", {"context": {"for_overall_interest": False}}, "有利于全局利益和长远发展 (not for the overall interest)"),
    # 第二类
    ("2.2.1.5", {"conduct": {"fields": ["reform"]}}, "招商引资、产业转型升级 (another field)"),
    ("2.2.1.5", {"context": {"clean_business_relations": False}}, "坚持“亲”“清”政商关系 (relations not clean)"),
    ("2.2.1.5", {"context": {"acted_for_development": False}}, "积极作为、有效服务 (not active)"),
    ("2.2.1.5", {"context": {"non_subjective_cause": False}}, "非主观原因 (a subjective cause)"),
    ("2.2.1.5", {"context": {"mitigated_losses": False}}, "努力避免、减轻或弥补损失 (no effort to limit the loss)"),
    ("2.2.1.6", {"context": {"powers_unequal_to_responsibilities": False}}, "权责不对等 (powers matched)"),
    ("2.2.1.6", {"context": {"diligent": False}}, "积极履行属地或行业管理责任 (not diligent)"),
    ("2.2.1.6", {"context": {"non_subjective_cause": False}}, "非主观原因 (a subjective cause)"),
    ("2.2.1.7", {"context": {"prohibited_now": False}}, "现在的政策制度规定明确禁止 (not prohibited now)"),
    ("2.2.1.7", {"context": {"expressly_prohibited_at_the_time": True, "no_explicit_restriction": False}},
     "在当时是被允许或没有被明确禁止 (prohibited then too)"),
    # 第三类
    ("2.2.1.8", {"context": {"acted_for_development": False}}, "勇于担当、积极作为 (not active)"),
    ("2.2.1.8", {"context": {"policy_unclear": False}}, "政策不够明确、配套措施不够完善 (policy was clear)"),
    ("2.2.1.8", {"harm": {"consequences": "serious"}}, "没有造成严重后果 (serious consequences)"),
    ("2.2.1.9", {"context": {"no_explicit_restriction": False}}, "尚无明确限制性规定 (a restriction existed)"),
    ("2.2.1.9", {"context": {"exploratory_trial": False}}, "进行探索性试验 (not a trial)"),
    ("2.2.1.9", {"context": {"designed_and_followed_rules": False}}, "主动做好制度设计，严格按制度办事 (no rules designed)"),
    ("2.2.1.10", {"context": {"lack_of_experience": False, "conditions_changed": False, "mitigated_losses": False},
                  "inquiry": {"corrected_before_inquiry": False}}, "缺乏经验或环境条件变化，或及时有效处置 (neither alternative)"),
    ("2.2.1.10", {"context": {"lack_of_experience": False, "conditions_changed": False, "mitigated_losses": False},
                  "inquiry": {"corrected_before_inquiry": True, "remedied_effectively": False}},
     "尽力减少损失 (handled, but no effort to limit the loss)"),
    ("2.2.1.10", {"context": {"lack_of_experience": False, "conditions_changed": False, "mitigated_losses": True},
                  "inquiry": {"corrected_before_inquiry": False, "remedied_effectively": True}},
     "及时有效处置 (loss limited, but the problem not promptly handled)"),
    ("2.2.1.10", {"harm": {"influence": "considerable"}}, "没有造成较大影响 (considerable influence)"),
    # 第四类
    ("2.2.1.11", {"context": {"collective_decision_followed": False}}, "严格执行民主决策各项规定和程序 (not followed)"),
    ("2.2.1.11", {"context": {"instructions_requested": False}}, "认真执行请示报告制度 (not followed)"),
    ("2.2.1.11", {"context": {"risk_assessed": False}}, "充分评估决策风险 (not assessed)"),
    ("2.2.1.11", {"context": {"diligent": False}}, "切实履职尽责 (not diligent)"),
    ("2.2.1.12", {"conduct": {"acts": ["implementing_decisions_ineffectively"]}}, "严格执行决策部署 (carried out poorly)"),
    ("2.2.1.12", {"conduct": {"acts": ["exceeding_powers"]}}, "严格执行制度规定 (powers exceeded)"),
    ("2.2.1.12", {"context": {"no_fault_in_performance": False}}, "履职过程无过失 (at fault)"),
    ("2.2.1.12", {"context": {"uncontrollable_factors": False}}, "因不可控因素 (a controllable cause)"),
    ("2.2.1.13", {"context": {"objection_recorded": False}}, "明确提出反对意见 (no objection)"),
    # 第五类
    ("2.2.1.14", {"context": {"legacy_problem": False}}, "群众反映强烈的历史遗留问题 (not a legacy problem)"),
    ("2.2.1.14", {"context": {"consistent_with_policy": False}}, "与现行政策和改革方向不相冲突 (conflicting)"),
    ("2.2.1.14", {"context": {"acted_for_development": False}}, "积极想办法妥善解决 (not active)"),
    ("2.2.1.14", {"context": {"good_overall_result": False}}, "取得良好综合效果 (no good result)"),
    ("2.2.1.15", {"context": {"difficult_problem": False}}, "为解决疑难复杂问题大胆尝试 (not a difficult problem)"),
    ("2.2.1.15", {"context": {"consistent_with_policy": False}}, "不违背大政方针 (contrary to policy)"),
    ("2.2.1.15", {"harm": {"consequences": "serious"}}, "没有造成严重后果 (serious consequences)"),
    ("2.2.1.16", {"context": {"directed_by_superiors": False}}, "根据上级部署 (own initiative)"),
    ("2.2.1.16", {"context": {"exploratory_trial": False}}, "探索性试验 (not a trial)"),
    ("2.2.1.16", {"context": {"consistent_with_policy": False}}, "与现行法律法规和政策精神不相冲突 (conflicting)"),
    ("2.2.1.16", {"context": {"direction_correct": False}}, "方向和原则正确 (wrong direction)"),
    ("2.2.1.16", {"context": {"error_in_method_only": False}}, "但方式方法不够完善 (more than a fault of method)"),
    # 第六类
    ("2.2.1.17", {"inquiry": {"reported_promptly_and_truthfully": False}}, "及时如实报告 (not reported)"),
    ("2.2.1.18", {"inquiry": {"corrected_before_inquiry": False}}, "在问责调查前主动查处和纠正 (not corrected first)"),
    ("2.2.1.18", {"inquiry": {"remedied_effectively": False}}, "有效避免损失或者挽回负面影响 (not effective)"),
    ("2.2.1.19", {"inquiry": {"cooperated": False}}, "积极配合组织调查 (did not cooperate)"),
    ("2.2.1.19", {"inquiry": {"accepted_responsibility": False}}, "主动承担责任 (did not accept responsibility)"),
    ("2.2.1.20", {"findings": {"other_tolerable": False}}, "其他可以免责的情形 (found not tolerable)"),
    ("2.2.1.20", {"conduct": {"acts": ["slacking"]}, "context": {"diligent": False, "no_fault_in_performance": False,
                                                              "non_subjective_cause": False}}, "容错范围 (no error in diligent work)"),
    ("2.2.1.20.mitigating", {"findings": {"other_mitigating": False}}, "其他可以减轻、从轻的情形 (found not)"),
    ("2.2.1.20.mitigating", {"context": {"diligent": False, "no_fault_in_performance": False, "non_subjective_cause": False}},
     "勤勉履职 (no fact of diligent work)"),
    # 三(三)3
    ("3.3.3.person", ORGANISATION, "党员干部 (an organisation)"),
    ("3.3.3.organisation", {"subject": {"kind": "person", "is_party_member": True, "is_leading_cadre": True}},
     "党组织、部门 (a person)"),
    # 后果、移送
    ("4.6.party_discipline", {"legal": {"discipline_breach": "none"}}, "违反党纪 (no breach)"),
    ("4.6.party_discipline", {"subject": {"kind": "organisation"}}, "党纪处分 is for persons (an organisation)"),
    ("4.6.party_discipline", NON_MEMBER, "党纪 is for party members (a non-member cadre)"),
    ("4.6.party_discipline", combine(NO_CIRCUMSTANCE, SETTLED_BARS), "为官不为问题 or a bar (neither)"),
    ("4.6.public_office_discipline", {"legal": {"discipline_breach": "none"}}, "违反政纪 (no breach)"),
    ("4.6.public_office_discipline", {"subject": {"is_state_functionary": False}}, "政纪处分 needs a state functionary (not one)"),
    ("4.6.public_office_discipline", combine(NO_CIRCUMSTANCE, SETTLED_BARS), "为官不为问题 or a bar (neither)"),
    ("2.2.2.liability", {"conduct": {"persisted_after_prohibition": False}, "context": {"private_gain": False},
                         "legal": {"unlawful": False, "discipline_breach": "none"}}, "二(二)2 所列情形 (no bar holds)"),
    ("2.2.2.judicial", {"legal": {"suspected_crime": False}}, "违法犯罪 (no suspected crime)"),
    ("4.6.double_inquiry", {"conduct": {"gravity": "serious"}, "harm": {"consequences": "adverse", "loss": "considerable"}},
     "严重为官不为问题 (neither grave nor serious harm)"),
    ("4.6.double_inquiry", NO_CIRCUMSTANCE, "为官不为 (no circumstance applies)"),
    # 二(四)
    ("2.4.1", {"decision": {"exempted": False}}, "调查认定应予免责 (decided not to exempt)"),
    ("2.4.1", NO_TOLERANCE, "应予免责 (no exemption item stands)"),
    ("2.4.1", {"legal": {"discipline_breach": "serious"}}, "应予免责 (a bar defeats the exemption)"),
    ("2.4.2", {"decision": {"exempted": False}}, "调查认定应予免责 (decided not to exempt)"),
    ("2.4.3", {"decision": {"exempted": False}}, "调查认定应予免责 (decided not to exempt)"),
    ("2.4.4", {"decision": {"exempted": False}}, "调查认定应予免责 (decided not to exempt)"),
    ("2.4.4", ORGANISATION, "干部 (an organisation)"),
    ("2.4.4", {"decision": {"discipline": ["party"]}}, "免予党政纪处分 (party discipline imposed)"),
    ("2.4.combined", {"decision": {"exempted": False}}, "调查认定应予免责 (decided not to exempt)"),
    # 二(五)
    ("2.5.3", {"harm": {"influence": "considerable"}}, "一般性 (a considerable influence)"),
    ("2.5.3", combine(NO_TOLERANCE, {"conduct": {"acts": ["slacking"]}}), "工作失误和决策偏差 (slacking is no error)"),
    ("2.5.4", combine(NO_TOLERANCE, {"conduct": {"acts": ["slacking"]}}), "错误事实 (slacking is no error)"),
    # 四(五)
    ("4.5.adjustment", NON_LEADING, "领导干部能上能下 (no leading post)"),
    ("4.5.adjustment", {"conduct": {"acts": ["fabricating_accusations"]}, "context": {"private_gain": False}},
     "不守政治规矩…作风漂浮 (none of the listed conduct)"),
    ("4.5.adjustment", ORGANISATION, "领导干部 (an organisation)"),
    # 二(三)4
    ("2.3.4.filing", {"decision": {"body_level": "city"}}, "各县(市、区)的审查决定 (decided by the city)"),
] + [
    (rid, OUTSIDE_CHARGE, "三(一) 不履行或不正确履行职责 (outside the subject's responsibility)") for rid in CIRCUMSTANCES
] + [
    (rid, NO_HARM, "三(一) 造成一定损失或负面影响 (no loss, influence or consequences)") for rid in CIRCUMSTANCES
]
"""(rule id, patch over the rule's base case in ``APPLIES``, the qualifier that is missing): the rule does not apply."""


# ------------------------------------------------------------------------------------ tables
def test_tables_cover_every_conditioned_rule() -> None:
    """Every Yangjiang rule with a ``when`` condition has an applying case and a near miss, and no row names a stray rule."""
    ruleset = g.load(KEY)
    conditioned = {r.id for r in ruleset.rules if r.rule.when is not None}
    assert set(BASE) == conditioned
    assert {rid for rid, _, _ in NEAR_MISSES} == conditioned


@pytest.mark.parametrize(("rule_id", "patch"), APPLIES, ids=row_ids(APPLIES))
def test_rule_applies_on_facts_meeting_its_text(rule_id: str, patch: dict[str, Any]) -> None:
    """A case meeting every qualifier of the item makes the rule apply and shows it among the conclusions."""
    det = evaluate(KEY, case(patch))
    assert det.step(rule_id).result == "applies"
    assert appears(det, rule_id)
    assert det.scope.outcome == "covered"


@pytest.mark.parametrize(("rule_id", "patch", "missing"), NEAR_MISSES, ids=row_ids(NEAR_MISSES))
def test_rule_does_not_apply_when_one_qualifier_is_missing(rule_id: str, patch: dict[str, Any], missing: str) -> None:
    """The rule's base case with exactly one qualifier missing or too weak makes the rule not apply."""
    assert_near_miss(evaluate(KEY, case(BASE[rule_id], patch)), rule_id, missing)


# ------------------------------------------------------------------------------------ unknown facts
@pytest.mark.parametrize(
    ("rule_id", "unknown"),
    [
        ("3.2.1.defying_orders", {"harm": {"influence": None}}),
        ("3.2.1.defying_orders", {"conduct": {"within_responsibility": None}}),
        ("3.2.7.deserting", {"context": {"emergency": None}}),
        ("2.2.1.2", {"context": {"reported_afterwards": None}}),
        ("2.2.1.8", {"harm": {"consequences": None}}),
        ("2.2.2.1", {"conduct": {"persisted_after_prohibition": None}}),
        ("5.1.party_member_cadre", {"subject": {"administrative_level": None}}),
        ("2.4.1", {"decision": {"exempted": None}}),
        ("2.3.4.filing", {"decision": {"body_level": None}}),
    ],
)
def test_unknown_qualifier_leaves_rule_undetermined(rule_id: str, unknown: dict[str, Any]) -> None:
    """A qualifier left unknown makes the rule undetermined and names the fact as an open question, never a silent miss."""
    assert_undetermined_by(evaluate(KEY, case(BASE[rule_id], unknown)), rule_id, unknown)


# ------------------------------------------------------------------------------------ scope
def test_non_party_cadre_is_covered_and_accountable() -> None:
    """党员干部 read as 党员、干部: a leading civil servant who is not a party member is covered and accountable under 三(二).

    Changed with issue 14: a non-party cadre used to be outside 五(一) altogether (``5.1.non_party_member``, not covered).
    """
    det = evaluate(KEY, case(NON_MEMBER, TRIGGER, {"legal": {"discipline_breach": "ordinary"}}))
    assert det.scope.outcome == "covered"
    assert det.scope.finding is not None
    assert det.scope.finding.rule_id == "5.1.party_member_cadre"
    assert det.sanctions.accountable is True
    # Public-office discipline follows the breach; party discipline, for party members only, does not.
    assert [r.to for r in det.referrals] == ["public_office_discipline"]


def test_party_member_staff_of_a_public_institution_is_covered() -> None:
    """A party member of a public institution without a leading post, not coded as a state functionary, is covered as a 党员."""
    staff = {"subject": {"organisation_type": "public_institution", "is_leading_cadre": False, "is_state_functionary": False,
                         "is_management_staff": False}}
    assert evaluate(KEY, case(staff, TRIGGER)).scope.outcome == "covered"
    assert evaluate(KEY, case(staff, TRIGGER, {"subject": {"is_party_member": False}})).scope.outcome == "not_covered"


def test_neither_member_nor_cadre_is_not_covered_and_nothing_is_reached() -> None:
    """A person who is neither a party member nor a cadre is outside 五(一): no circumstance, exemption or band is reached."""
    det = evaluate(KEY, case(NEITHER, TRIGGER, OBJECTION, {"conduct": {"gravity": "serious"}}))
    assert det.scope.outcome == "not_covered"
    assert det.scope.finding is None
    later = [s for s in det.trace if s.stage != "scope"]
    assert {s.result for s in later} == {"not_reached"}
    assert det.sanctions.accountable is False


def test_unknown_membership_of_a_non_cadre_leaves_scope_open() -> None:
    """Membership unknown for someone who is no cadre: the scope is undetermined and names subject.is_party_member."""
    det = evaluate(KEY, case(NEITHER, {"subject": {"is_party_member": None}}, TRIGGER))
    assert det.scope.outcome == "undetermined"
    assert_undetermined_by(det, "5.1.party_member_cadre", {"subject": {"is_party_member": None}})


def test_their_organisation_remains_covered() -> None:
    """The government organ a cadre works for is itself covered as a unit."""
    det = evaluate(KEY, case(ORGANISATION, TRIGGER))
    assert det.scope.outcome == "covered"
    assert det.sanctions.accountable is True


# ------------------------------------------------------------------------------------ bars
@pytest.mark.parametrize("bar", BARS)
def test_each_bar_defeats_an_exemption_and_a_mitigation(bar: str) -> None:
    """With the bar's facts, exemption item (13) and mitigating item (19), which would apply, are defeated by the bar."""
    facts = case(TRIGGER, OBJECTION, COOPERATION, BASE[bar])
    facts["conduct"]["acts"] = sorted({*facts["conduct"]["acts"], "defying_orders"})  # keep 三(二)1 met
    det = evaluate(KEY, facts)
    assert det.step(bar).result == "applies"
    exemption, mitigation = det.step("2.2.1.13"), det.step("2.2.1.19")
    assert exemption.result == "defeated"
    assert bar in exemption.defeated_by
    assert mitigation.result == "defeated"
    assert bar in mitigation.defeated_by
    assert {"2.2.1.13", "2.2.1.19"} <= set(det.step(bar).defeats)
    assert det.exemption.outcome == "barred"
    assert [f.rule_id for f in det.exemption.exemptions] == ["2.2.1.13"]
    assert bar in {f.rule_id for f in det.exemption.bars}
    assert det.factors == ()
    assert det.sanctions.reduced_below_range is False
    assert det.sanctions.accountable is True
    (statement,) = [s for s in det.statements if s.finding.rule_id == "2.2.2.liability"]
    assert "应当依法依纪追究责任" in statement.text.zh
    assert statement.finding.modality == "shall"


@pytest.mark.parametrize("bar", BARS)
def test_a_bar_carries_its_liability_without_a_circumstance(bar: str) -> None:
    """A standing bar says 应当依法依纪追究责任 even where no item of 三(二) applies: liability under law and discipline."""
    det = evaluate(KEY, case(NO_HARM, OBJECTION, BASE[bar]))
    assert det.step(bar).result == "applies"
    assert det.sanctions.accountable is False
    assert det.step("2.2.2.liability").result == "applies"
    assert appears(det, "2.2.2.liability")


def test_without_a_bar_no_liability_statement() -> None:
    """Without a bar of 二(二)2 the liability statement is absent."""
    det = evaluate(KEY, case(TRIGGER, OBJECTION, NO_BAR, {"context": {"private_gain": False}}))
    assert det.step("2.2.2.liability").result == "does_not_apply"


def test_suspected_crime_is_referred_but_does_not_yet_bar() -> None:
    """涉嫌 is not 构成: a suspected crime goes to the judicial organs, and bar (6) waits for whether the conduct is unlawful.

    Changed with issue 14: a suspected crime used to meet bar (6) and defeat every exemption at once.
    """
    det = evaluate(KEY, case(TRIGGER, OBJECTION, {"legal": {"suspected_crime": True, "discipline_breach": "none"}}))
    assert_undetermined_by(det, "2.2.2.6", {"legal": {"unlawful": None}})
    assert det.exemption.outcome == "eligible"
    assert "2.2.2.6" in det.exemption.pending_bars
    assert [r.to for r in det.referrals] == ["judicial_organs"]


@pytest.mark.parametrize("exempted", [True, False, None])
def test_referrals_do_not_wait_for_the_exemption(exempted: bool | None) -> None:
    """A breach and a suspected crime are referred whatever the tolerance body decides: 免责 does not waive them."""
    det = evaluate(KEY, case(TRIGGER, OBJECTION, {"decision": {"exempted": exempted}},
                             {"legal": {"discipline_breach": "ordinary", "suspected_crime": True}}))
    assert sorted(r.to for r in det.referrals) == ["judicial_organs", "party_discipline", "public_office_discipline"]


def test_without_a_bar_the_exemption_is_eligible_and_the_mitigation_stands() -> None:
    """Without any bar's facts the same case is eligible for exemption (may, not granted) and keeps its 减轻或从轻 factor."""
    det = evaluate(KEY, case(TRIGGER, OBJECTION, COOPERATION, {"legal": {"unlawful": False, "suspected_crime": False}}))
    assert det.step("2.2.1.13").result == "applies"
    assert det.exemption.outcome == "eligible"
    assert det.sanctions.accountable is True
    assert [(f.factor, f.finding.rule_id) for f in det.factors] == [("reduced_or_lighter", "2.2.1.19")]
    assert det.sanctions.reduced_below_range is True
    assert det.sanctions.emphasis == "lighter"


def test_undetermined_bar_is_reported_as_pending() -> None:
    """A bar whose facts are unknown does not defeat the exemption but is named among the pending bars."""
    det = evaluate(KEY, case(TRIGGER, OBJECTION))
    assert det.exemption.outcome == "eligible"
    assert "2.2.2.6" in det.exemption.pending_bars


def test_catch_all_exemption_is_not_evaluable() -> None:
    """Item (20), a pointer to other rules, never applies from facts alone: within 容错范围 it asks for the finding.

    Changed with issue 13: it used to be ``not_evaluable`` (a list left open without asking anything); it now
    reads 二(二)'s general definition and ``findings.other_tolerable``, so where diligence is unknown it is
    undetermined and names the finding.
    """
    det = evaluate(KEY, case(TRIGGER))
    assert det.step("2.2.1.20").result == "undetermined"
    (question,) = [q for q in det.open_questions if q.rule_id == "2.2.1.20"]
    assert "findings.other_tolerable" in question.unknown_facts
    assert "2.2.1.20" in det.catch_alls
    # Where a listed item (here the objection of item (16)) already exempts, the catch-all asks for nothing.
    assert evaluate(KEY, case(TRIGGER, OBJECTION)).step("2.2.1.20").result == "does_not_apply"


BOOL = st.none() | st.booleans()


def _some(*codes: str) -> st.SearchStrategy[list[str]]:
    """A subset of ``codes``."""
    return st.lists(st.sampled_from(codes), unique=True, max_size=len(codes))


CONTEXT_FACTS = (
    "expressly_prohibited_at_the_time", "private_gain", "protecting_life_or_stability", "improvised_handling", "bypassed_procedure",
    "followed_basic_principles", "mitigated_losses", "reported_afterwards", "directed_by_superiors", "consistent_with_policy",
    "for_overall_interest", "error_in_method_only", "implementing_development_concepts", "clean_business_relations",
    "acted_for_development", "non_subjective_cause", "powers_unequal_to_responsibilities", "diligent", "prohibited_now",
    "no_explicit_restriction", "policy_unclear", "exploratory_trial", "designed_and_followed_rules", "lack_of_experience",
    "conditions_changed", "collective_decision_followed", "instructions_requested", "risk_assessed",
    "no_fault_in_performance", "uncontrollable_factors", "objection_recorded", "legacy_problem", "good_overall_result",
    "difficult_problem", "direction_correct",
)

random_case = st.fixed_dictionaries({
    "conduct": st.fixed_dictionaries({
        "acts": _some("dereliction_of_duty", "infringing_public_interests", "not_performing_statutory_duty", "perfunctory",
                      "implementing_decisions_ineffectively", "defying_orders", "exceeding_powers"),
        "fields": _some("investment_promotion", "industrial_upgrading", "reform"),
        "persisted_after_prohibition": BOOL,
    }),
    "context": st.fixed_dictionaries({name: BOOL for name in CONTEXT_FACTS} | {"emergency": levels(EmergencyLevel)}),
    "harm": st.fixed_dictionaries({
        "consequences": levels(ConsequenceLevel), "influence": levels(InfluenceLevel), "loss": levels(LossLevel),
        "mass_incident": levels(MassIncident),
        "effects": _some("party_public_relations_damaged", "situation_worsened", "public_burden_increased"),
        "major_accidents": _some("work_safety", "environmental_pollution", "ecological_damage", "food_drug_safety"),
    }),
    "inquiry": st.fixed_dictionaries({
        name: BOOL for name in ("reported_promptly_and_truthfully", "corrected_before_inquiry", "remedied_effectively",
                                "cooperated", "accepted_responsibility")}),
    "legal": st.fixed_dictionaries({
        "unlawful": BOOL, "suspected_crime": BOOL, "discipline_breach": levels(DisciplineBreach)}),
})


@given(random_case)
def test_no_exemption_or_mitigation_applies_while_a_bar_applies(patch: dict[str, Any]) -> None:
    """Whatever the facts, once any bar of 二(二)2 applies no exemption or mitigation of 二(二)1 has the result applies."""
    det = evaluate(KEY, case(patch))
    bars = [s.rule_id for s in det.trace if s.stage == "bar" and s.result == "applies"]
    event("a bar applies" if bars else "no bar applies")
    if not bars:
        return
    relieving = [s for s in det.trace if s.stage in ("exemption", "mitigating")]
    assert [s.rule_id for s in relieving if s.result == "applies"] == []
    for step in relieving:
        if step.result == "defeated":
            assert set(step.defeated_by) <= set(bars)
    assert det.exemption.outcome not in ("eligible", "granted")
    assert det.factors == ()
    assert det.step("2.2.2.liability").result == "applies"


@given(random_case, st.sampled_from(["minor", "serious", "grave"]))
def test_gravity_never_moves_the_range(patch: dict[str, Any], gravity: str) -> None:
    """Whatever the facts, setting 情节 to any value leaves accountability and the range as they are with 情节 unknown."""
    unknown = evaluate(KEY, case(patch))
    known = evaluate(KEY, case(patch, {"conduct": {"gravity": gravity}}))
    assert known.sanctions.accountable == unknown.sanctions.accountable
    assert known.sanctions.measures == unknown.sanctions.measures


@given(random_case, st.booleans())
def test_referrals_never_depend_on_the_decision_to_exempt(patch: dict[str, Any], exempted: bool) -> None:
    """Whatever the facts, recording that the tolerance body exempted (or not) changes no referral."""
    undecided = evaluate(KEY, case(patch))
    decided = evaluate(KEY, case(patch, {"decision": {"exempted": exempted}}))
    assert [r.to for r in decided.referrals] == [r.to for r in undecided.referrals]


# ------------------------------------------------------------------------------------ sanctions
def test_ladder_follows_the_order_of_3_3_3() -> None:
    """The ladder runs 谈话提醒 < 诫勉谈话 < 通报批评 < the 四(五) forms of 组织处理, which share one rung."""
    ladder = g.load(KEY).ladder
    rungs = {step.measure.value: step.rung for step in ladder.steps}
    assert rungs["reminder"] < rungs["admonition"] < rungs["circulated_criticism"] < rungs["transfer"]
    assert {rungs[m] for m in ("transfer", "non_leading_post", "ordered_resignation", "demotion", "removal")} == {4}


PERSON_RANGE = ("reminder", "admonition", "circulated_criticism", "transfer", "non_leading_post", "ordered_resignation",
                "demotion", "removal")


@pytest.mark.parametrize("gravity", [None, "minor", "serious", "grave"])
def test_gravity_does_not_draw_bands(gravity: str | None) -> None:
    """视其情节轻重 maps no measure to a gravity: whatever 情节 is, or unknown, a person gets all of 三(三)3, open, as warranted.

    Changed with issue 14: minor circumstances used to get the three light measures and serious or grave ones
    organisational handling only (``3.3.3.minor``, ``3.3.3.serious``).
    """
    det = evaluate(KEY, case(TRIGGER, {"conduct": {"gravity": gravity}}))
    assert det.sanctions.measures == PERSON_RANGE
    assert [f.rule_id for f in det.sanctions.bands] == ["3.3.3.person"]
    assert det.sanctions.mandatory is False
    assert det.sanctions.discretionary is True
    assert det.sanctions.open_ended is True
    assert not any(q.rule_id.startswith("3.3.3.") for q in det.open_questions)


@pytest.mark.parametrize("measure", ["admonition", "reminder", "removal"])
def test_any_listed_measure_is_within_the_range_for_a_serious_case(measure: str) -> None:
    """An admonition (or a reminder, or removal) for a 情节较重 case is a choice the range permits, not one outside it."""
    det = evaluate(KEY, case(TRIGGER, NO_BAR, {"conduct": {"gravity": "serious"}, "decision": {"measures": [measure]}}))
    assert det.choice is not None
    assert det.choice.permitted is True
    assert det.choice.findings == ()


def test_organisation_gets_the_measures_fit_for_it_whatever_the_gravity() -> None:
    """A party organisation or department: reminder talk, admonition or circulated criticism, open-ended, at any gravity."""
    for gravity in ("minor", "grave"):
        det = evaluate(KEY, case(ORGANISATION, TRIGGER, {"conduct": {"gravity": gravity}}))
        assert det.sanctions.measures == ("reminder", "admonition", "circulated_criticism")
        assert det.sanctions.open_ended is True


@pytest.mark.parametrize("rule_id", ["3.3.3.person", "3.3.3.organisation"])
def test_bands_are_not_reached_without_a_circumstance(rule_id: str) -> None:
    """The bands govern only 确实存在为官不为情形: with no circumstance met, none is reached."""
    det = evaluate(KEY, case(BASE[rule_id], NO_CIRCUMSTANCE))
    assert det.step(rule_id).result == "not_reached"
    assert det.sanctions.accountable is False


def test_double_inquiry_statement_for_grave_inaction() -> None:
    """Grave inaction carries the 一案双查 statement pursuing direct, leadership, principal and supervisory responsibility."""
    det = evaluate(KEY, case(BASE["4.6.double_inquiry"]))
    (statement,) = [s for s in det.statements if s.finding.rule_id == "4.6.double_inquiry"]
    assert "一案双查" in statement.text.zh
    assert statement.finding.citation.article == "四(六)"


def test_party_and_public_office_referrals_for_a_party_member_official() -> None:
    """A breach of discipline by a party-member civil servant leads to both party and public-office discipline referrals."""
    det = evaluate(KEY, case(BASE["4.6.party_discipline"]))
    assert sorted(r.to for r in det.referrals) == ["party_discipline", "public_office_discipline"]


def test_silences_are_stated() -> None:
    """The determination says this document names no aggravating factor and fixes no influence period."""
    det = evaluate(KEY, case(TRIGGER))
    texts = {t.zh for t in det.not_decided}
    assert "本意见未规定从重问责情节。" in texts
    assert "本意见未规定问责后的影响期及其长度。" in texts


# ------------------------------------------------------------------------------------ 二(四) results of exemption
RESULTS = ("2.4.1", "2.4.2", "2.4.3", "2.4.4", "2.4.combined")


def test_eligibility_alone_does_not_draw_the_results_of_exemption() -> None:
    """二(四) follows a decision that exemption is due; a 可以免责 item alone leaves them waiting for decision.exempted."""
    det = evaluate(KEY, case(TRIGGER, OBJECTION, NO_BAR))
    assert det.exemption.outcome == "eligible"
    assert {det.step(r).result for r in RESULTS} == {"undetermined"}
    for rid in RESULTS:
        assert_undetermined_by(det, rid, {"decision": {"exempted": None}})


def test_decided_exemption_draws_every_result_for_a_cadre() -> None:
    """With an exemption item standing and the decision to exempt recorded, a cadre gets all four 二(四) results.

    Changed with issue 14: the results used to wait for a *granted* (mandatory) exemption, which no Yangjiang item
    gives, so no case could reach them.
    """
    det = evaluate(KEY, case(TRIGGER, OBJECTION, NO_BAR, EXEMPTED))
    assert {det.step(r).result for r in RESULTS} == {"applies"}
    assert set(RESULTS) <= {s.finding.rule_id for s in det.statements}


def test_decided_exemption_of_a_unit_has_no_promotion_result() -> None:
    """Item 4. (不影响其提拔使用) concerns cadres: an exempted organisation gets the other results but not that one."""
    det = evaluate(KEY, case(ORGANISATION, TRIGGER, OBJECTION, NO_BAR, EXEMPTED))
    assert det.step("2.4.4").result == "does_not_apply"
    assert {det.step(r).result for r in ("2.4.1", "2.4.2", "2.4.3", "2.4.combined")} == {"applies"}


def test_a_bar_leaves_no_exemption_to_draw_results_from() -> None:
    """A bar defeats the exemption item, so a recorded decision to exempt draws no 二(四) result."""
    det = evaluate(KEY, case(TRIGGER, OBJECTION, EXEMPTED, BASE["2.2.2.6"]))
    assert det.exemption.outcome == "barred"
    assert {det.step(r).result for r in RESULTS} == {"does_not_apply"}


def test_a_decision_without_any_exemption_item_draws_no_result() -> None:
    """A decision to exempt where no item of 二(二)1 can stand draws no result: 二(四) needs a tolerable error."""
    det = evaluate(KEY, case(TRIGGER, EXEMPTED, NO_BAR, NO_TOLERANCE))
    assert det.exemption.outcome == "none"
    assert {det.step(r).result for r in RESULTS} == {"does_not_apply"}


# ------------------------------------------------------------------------------------ 二(五)3–4
def test_correction_binds_the_exempted_too() -> None:
    """谁失误谁纠错: an error in diligent work, exempted by decision, still owes the correction list and report (二(五)4)."""
    det = evaluate(KEY, case(acts("diligent_error", "defying_orders"), OBJECTION, NO_BAR, EXEMPTED))
    assert det.step("2.4.1").result == "applies"
    (statement,) = [s for s in det.statements if s.finding.rule_id == "2.5.4"]
    assert "整改报告" in statement.text.zh
    assert statement.finding.citation.article == "二(五)"


def test_supervisory_admonition_is_not_a_measure_of_the_range() -> None:
    """诫勉督导 of an ordinary error is a statement beside the outcome: it adds nothing to the range nor makes anyone accountable."""
    det = evaluate(KEY, case({"conduct": {"acts": ["diligent_error"]}}, NO_HARM, NO_TOLERANCE))
    assert det.step("2.5.3").result == "applies"
    assert det.sanctions.accountable is False
    assert det.sanctions.measures == ()


def test_no_error_no_correction() -> None:
    """Slacking with no error in diligent work and no tolerable item: neither 二(五)3 nor 二(五)4 applies."""
    det = evaluate(KEY, case(acts("slacking"), NO_TOLERANCE))
    assert det.step("2.5.3").result == "does_not_apply"
    assert det.step("2.5.4").result == "does_not_apply"


# ------------------------------------------------------------------------------------ 四(五)
def test_adjustment_needs_no_harm_and_leaves_accountability_alone() -> None:
    """四(五) 视情调整 of an incompetent leading cadre is stated without any harm, apart from (and without making) accountability."""
    det = evaluate(KEY, case(NO_HARM, {"conduct": {"acts": ["lacking_competence"]}}))
    assert det.sanctions.accountable is False
    (statement,) = [s for s in det.statements if s.finding.rule_id == "4.5.adjustment"]
    assert "视情采取调离岗位" in statement.text.zh
    assert statement.finding.modality == "as_warranted"


# ------------------------------------------------------------------------------------ 二(三)4
@pytest.mark.parametrize(("level", "result"), [("county", "applies"), ("city", "does_not_apply"), ("township", "does_not_apply")])
def test_filing_deadline_binds_county_decisions_only(level: str, result: str) -> None:
    """各县(市、区)的审查决定: the 5-working-day filing runs for a county decision only, not for one the city made.

    Changed with issue 14: the deadline used to be given whenever a review decision date was known.
    """
    det = evaluate(KEY, case(TRIGGER, {"decision": {"body_level": level}, "dates": {"tolerance_decided": "2019-07-01"}}))
    assert det.step("2.3.4.filing").result == result
    assert ("2.3.4.filing" in {d.finding.rule_id for d in det.deadlines}) is (result == "applies")


# ------------------------------------------------------------------------------------ citations
def test_document_metadata() -> None:
    """The document is keyed yangjiang, issued by 中共阳江市委办公室, dated by its publication on 2017-05-17."""
    doc = g.load(KEY).file.document
    assert doc.key == KEY
    assert doc.issuer == "中共阳江市委办公室"
    assert str(doc.issued) == "2017-05-17"
    assert doc.number is None


def test_every_quote_is_verbatim_in_the_source() -> None:
    """Every rule and ladder citation quotes rules/sources/yangjiang.txt verbatim, whitespace aside."""
    ruleset = g.load(KEY)
    source = ruleset.path.parent / "sources" / ruleset.file.document.source
    text = re.sub(r"\s+", "", source.read_text(encoding="utf-8"))
    citations = [r.rule.citation for r in ruleset.rules] + list(ruleset.ladder.citations)
    assert [c.quote for c in citations if re.sub(r"\s+", "", c.quote) not in text] == []


def test_tolerance_items_carry_their_category() -> None:
    """Each of the 20 items of 二(二)1 is its own rule, cited by item number, its label naming its category."""
    ruleset = g.load(KEY)
    categories = ["一心为公"] * 4 + ["无意过失"] * 3 + ["尽力履职"] * 3 + ["不可抗力"] * 3 + ["综合效果良好"] * 3 + ["敢于担当"] * 3
    for n, category in enumerate(categories, start=1):
        rule = ruleset.rule(f"2.2.1.{n}").rule
        assert rule.citation.article == "二(二)1"
        assert rule.citation.item == f"({n})"
        assert rule.label.zh.startswith(category + "："), rule.id
        assert rule.modality == "may"
        assert rule.stage == ("mitigating" if n >= 17 else "exemption")
    assert ruleset.rule("2.2.1.20").rule.catch_all is True

