"""Yueyang: 岳阳市“为官不为”“为官乱为”问责暂行办法 and the two companion measures in the same source file.

Every rule with a condition has a case where it applies (``SCENARIOS``) and, for each qualifier, a
near-miss where it does not (``NEAR_MISSES``). A scenario's name is the rule id, optionally followed
by ``#variant`` when one rule has alternatives worth showing separately.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import guanzhi_rules as g
from tests.support import case, evaluate, merge, normalise, result

KEY = "yueyang"
SOURCE = Path(__file__).resolve().parents[2] / "rules" / "sources" / "yueyang.txt"
INCENTIVE = "关于进一步激励干部想事干事成事的暂行办法"
SUPERVISION = "关于进一步严格管理和监督干部的暂行办法"

ART14_MEASURES = (
    "circulated_criticism", "self_examination", "admonition", "public_apology", "suspension_for_inspection", "transfer",
    "resignation_taking_blame", "ordered_resignation", "removal", "demotion",
)

NOT_EXEMPT: dict[str, Any] = {"context": {"reform_or_pilot": False, "emergency": "none", "force_majeure": False}}
"""No reform or pilot, no emergency, no force majeure: every exemption is decided false."""

HARM: dict[str, Any] = {"harm": {"influence": "adverse"}}
"""Art. 2 para. 1's harm element of 为官不为 (不良影响及后果), read into art. 7 items that state no harm of their own (issue 14)."""

TRIGGER: dict[str, Any] = merge(merge({"conduct": {"acts": ["public_commitment_unmet"]}}, HARM), NOT_EXEMPT)
"""A simple art. 7 (六) circumstance with adverse influence (art. 2's harm) and no exemption: the covered person is accountable."""


def person(**subject: Any) -> dict[str, Any]:
    """A patch replacing subject facts."""
    return {"subject": subject}


SCENARIOS: dict[str, dict[str, Any]] = {
    # ---- 第三条 适用范围
    "art3.leading_cadre": {},
    "art3.leading_cadre#cppcc": person(organisation_type="cppcc_organ"),
    "art3.leading_cadre#public_institution": person(organisation_type="public_institution"),
    "art3.authorised_head": person(
        organisation_type="authorised_organisation", is_leading_cadre=False, is_head_of_organisation=True,
        is_state_functionary=False),
    "art3.reference.soe_head": person(
        organisation_type="state_owned_enterprise", is_leading_cadre=True, is_head_of_organisation=True,
        is_state_functionary=False),
    "art3.reference.state_functionary": person(is_leading_cadre=False),
    "art3.reference.village": person(
        organisation_type="village_or_community", is_leading_cadre=False, is_state_functionary=False),
    # ---- 第七条 为官不为
    "art7.1": {"conduct": {"acts": ["not_implementing_decisions"]}, **HARM},
    "art7.1#ineffective": {"conduct": {"acts": ["implementing_decisions_ineffectively"]}, **HARM},
    "art7.1#distorting": {"conduct": {"acts": ["distorting_decisions"]}, **HARM},
    "art7.1#not_relayed": {"conduct": {"acts": ["not_relaying_or_studying_policy"]}, **HARM},
    "art7.2": {
        "conduct": {"acts": ["perfunctory"]}, "context": {"directed_by_superiors": True},
        "performance": {"shortfalls": ["low_implementation_rate"]},
        "harm": {"effects": ["overall_work_affected"]},
    },
    "art7.3": {"conduct": {"acts": ["tolerating_violations"]}, "harm": {"effects": ["business_environment_affected"]}},
    "art7.4#stagnant": {
        "conduct": {"acts": ["complacent"]},
        "performance": {
            "justified_reason": False, "shortfalls": ["stagnant_and_declining", "key_tasks_unmet"],
            "consecutive_years_ranked_low": 0,
        },
        **HARM,
    },
    "art7.4#ranked_low": {
        "conduct": {"acts": ["complacent"]},
        "performance": {"justified_reason": False, "consecutive_years_ranked_low": 2},
        **HARM,
    },
    "art7.5.attitude": {"conduct": {"acts": ["harsh_to_public"]}, "harm": {"public_reaction": "strong"}},
    "art7.5.matters": {
        "conduct": {"acts": ["matters_not_handled_in_time"]},
        "performance": {"shortfalls": ["low_efficiency_and_satisfaction"]},
        **HARM,
    },
    "art7.6.major_problems": {"conduct": {"acts": ["not_solving_major_problems"]}, "harm": {"harmed_interests": ["masses"]}},
    "art7.6.demands": {
        "conduct": {"acts": ["not_responding_to_public"]}, "harm": {"public_reaction": "strong", "influence": "adverse"},
    },
    "art7.6.commitment": TRIGGER,
    "art7.7": {
        "conduct": {"acts": ["disobeying_assignment"], "fields": ["flood_drought"]},
        "harm": {"effects": ["work_delayed"]},
    },
    "art7.8.supervision": {"conduct": {"acts": ["supervising_inadequately"]}, "harm": {"loss": "major"}},
    "art7.8.incident": {
        "conduct": {"acts": ["handling_improperly"], "fields": ["mass_or_sudden_events"]},
        "harm": {"effects": ["situation_worsened"], "influence": "serious"},
    },
    # Issue 14: the event handled is a sudden or mass event however it is recorded.
    "art7.8.incident#emergency": {
        "conduct": {"acts": ["handling_improperly"]}, "context": {"emergency": "emergency"},
        "harm": {"effects": ["situation_worsened"], "influence": "serious"},
    },
    "art7.8.incident#mass_incident": {
        "conduct": {"acts": ["handling_improperly"]}, "context": {"emergency": "none"},
        "harm": {"effects": ["situation_worsened"], "influence": "serious", "mass_incident": "incident"},
    },
    "art7.9.slow_progress": {
        "conduct": {"acts": ["performing_duties_poorly"], "fields": ["investment_promotion"]},
        "performance": {"shortfalls": ["slow_progress"]},
    },
    "art7.9.veto": {
        "conduct": {"acts": ["performing_duties_poorly"], "fields": ["work_safety"]},
        "performance": {"shortfalls": ["vetoed_in_assessment"]},
    },
    "art7.10": {
        "conduct": {"acts": ["slacking"]}, "harm": {"influence": "adverse"}, "findings": {"other_circumstance": True},
    },
    # ---- 第八条 为官乱为
    "art8.1#loss": {"conduct": {"acts": ["major_decision_error"]}, "harm": {"loss": "considerable", "influence": "none"}},
    "art8.1#influence": {
        "conduct": {"acts": ["breaching_collective_decision_rules"]},
        "harm": {"loss": "some", "influence": "adverse"},
    },
    "art8.2.market": {"conduct": {"acts": ["interfering_in_market"]}, "harm": {"effects": ["market_order_disrupted"]}},
    "art8.2.cases": {"conduct": {"acts": ["interfering_in_cases"]}, "harm": {"effects": ["justice_affected"]}},
    "art8.3": {
        "conduct": {"acts": ["factional_or_electoral_misconduct"], "fields": ["cadre_management"]},
        "harm": {"effects": ["unity_affected"]},
    },
    "art8.4.vanity": {"conduct": {"acts": ["vanity_projects"]}, "harm": {"effects": ["legacy_problems_left"]}},
    "art8.4.emergency_reporting": {
        "conduct": {"acts": ["concealing_or_not_reporting"]},
        "context": {"emergency": "major"},
        "harm": {"effects": ["situation_worsened"], "influence": "none"},
    },
    "art8.5": {"conduct": {"acts": ["four_winds"], "gravity": "grave"}, "harm": {"influence": "adverse"}},
    "art8.6.powers": {"conduct": {"acts": ["exceeding_powers"]}, "harm": {"harmed_interests": ["others"]}},
    "art8.6.service": {"conduct": {"acts": ["soliciting_benefits"], "fields": ["administrative_approval"]}},
    "art8.6.service#burden": {"conduct": {"fields": ["public_service"]}, "harm": {"effects": ["public_burden_increased"]}},
    "art8.7": {"conduct": {"acts": ["issuing_unlawful_documents"]}, "harm": {"harmed_interests": ["others"]}},
    "art8.8": {"conduct": {"acts": ["misappropriating_funds"]}, "harm": {"harmed_interests": ["masses"]}},
    "art8.9": {
        "conduct": {"acts": ["improper_appointments"]},
        "harm": {"effects": ["wrong_appointment"], "consequences": "serious"},
    },
    "art8.10": {
        "conduct": {"acts": ["reckless_borrowing"]}, "harm": {"consequences": "serious"},
        "findings": {"other_circumstance": True},
    },
    # ---- 监督办法 问责情形
    "supervision.art7.personal_matters": {"conduct": {"acts": ["concealing_personal_matters"]}},
    "supervision.art7.personal_matters#inaccurate": {"conduct": {"acts": ["misreporting_personal_matters"]}},
    "supervision.art7.unverified_appointment": {"conduct": {"acts": ["appointing_without_verification"]}},
    "supervision.art10": {
        "conduct": {"acts": ["neglecting_management"]},
        "harm": {"effects": ["subordinate_misconduct"], "influence": "serious"},
    },
    # ---- 第十七条；激励办法第八条
    # The error exemptions read the error as an error in diligent work (diligent_error).
    "art17.1": {
        "conduct": {"acts": ["diligent_error"]},
        "context": {"reform_or_pilot": True, "lack_of_experience": True}, "harm": {"influence": "serious"},
    },
    "art17.2#emergency": {"context": {"emergency": "emergency", "force_majeure": False, "unable_to_perform": True}},
    "art17.2#force_majeure": {"context": {"emergency": "none", "force_majeure": True, "unable_to_perform": True}},
    "incentive.art8.tolerance": {
        "conduct": {"acts": ["diligent_error"]},
        "context": {"reform_or_pilot": True, "non_subjective_cause": True, "favouritism": False},
    },
    "incentive.art8.general_deviation": {
        "conduct": {"acts": ["diligent_error"], "knowingly": False, "gravity": "serious"},
        "context": {"reform_or_pilot": True},
        "harm": {"consequences": "adverse", "influence": "adverse", "loss": "some"},
    },
    # ---- 第十五条、第十六条
    "art15.1": {"inquiry": {"obstructed": True}},
    "art15.2": {"inquiry": {"falsified_or_concealed": True}},
    "art15.3": {"inquiry": {"retaliated": True}},
    "art15.4": merge(TRIGGER, {"findings": {"other_aggravating": True}}),
    "art16.1": {"inquiry": {"remedied_effectively": True}},
    "art16.2": {"inquiry": {"cooperated": True, "accepted_responsibility": True}},
    "art16.3": merge(TRIGGER, {"findings": {"other_mitigating": True}}),
    # ---- 问责方式
    "art14": TRIGGER,
    "supervision.art7.handling": {"conduct": {"acts": ["concealing_personal_matters"]}},
    # ---- 后果
    "art6.discipline": merge(TRIGGER, {"legal": {"discipline_breach": "ordinary"}}),
    "art6.judicial": merge(TRIGGER, {"legal": {"suspected_crime": True}}),
    "art18.6.no_transfer": merge(TRIGGER, person(on_probation=True)),
    "art18.6.trial_cancelled": merge(TRIGGER, {"subject": {"on_probation": True}, "decision": {"measures": ["removal"]}}),
    "supervision.art7.no_promotion": {"conduct": {"acts": ["concealing_personal_matters"]}},
    "supervision.art7.discipline": {
        "conduct": {"acts": ["misreporting_personal_matters"]}, "legal": {"discipline_breach": "ordinary"},
    },
    "supervision.art7.void_appointment": {"conduct": {"acts": ["appointing_without_verification"]}},
    "supervision.art7.inconsistent_report": {"conduct": {"acts": ["misreporting_personal_matters"]}},
    "supervision.art5.team": person(in_leadership_team=True) | {"review": {"team_problems_confirmed": True}},
    "supervision.art5.unfit": {"conduct": {"acts": ["lacking_competence"]}},
    "supervision.art6.moral_rating": merge(TRIGGER, {"review": {"moral_rating_adverse": True}}),
    "incentive.art9.false_accusation": {"inquiry": {"allegation": "fabricated"}},
}

IN_CHARGE_RULES = (
    "art7.1", "art7.2", "art7.3", "art7.4#stagnant", "art7.5.attitude", "art7.5.matters", "art7.6.major_problems",
    "art7.6.demands", "art7.6.commitment", "art7.7", "art7.8.supervision", "art7.8.incident", "art7.9.slow_progress",
    "art7.9.veto", "art7.10", "supervision.art10",
)
"""Scenarios of rules that require the conduct to concern the subject's own responsibilities."""

NOT_IN_CHARGE = {"conduct": {"within_responsibility": False}}

OWN_HARM_LESS = (
    "art7.1", "art7.4#stagnant", "art7.4#ranked_low", "art7.5.matters", "art7.6.demands", "art7.6.commitment",
)
"""Scenarios of art. 7 items (or limbs) that state no harm of their own and take art. 2 para. 1's (issue 14)."""

NO_HARM = {"harm": {"influence": "none", "consequences": "none", "loss": "none"}}

NEAR_MISSES: list[tuple[str, str, dict[str, Any], str]] = [
    # (scenario, qualifier removed, override, expected result)
    ("art3.leading_cadre", "领导干部", person(is_leading_cadre=False), "does_not_apply"),
    ("art3.leading_cadre", "所列机关", person(organisation_type="other"), "does_not_apply"),
    ("art3.leading_cadre", "个人", person(kind="organisation"), "does_not_apply"),
    ("art3.authorised_head", "负责人", person(is_head_of_organisation=False, is_leading_cadre=False), "does_not_apply"),
    ("art3.authorised_head", "经授权、委托的组织", person(organisation_type="other"), "does_not_apply"),
    # Issue 14: 企业负责人 is the head or a member of the leadership, not the single head only.
    ("art3.reference.soe_head", "负责人", person(is_head_of_organisation=False, is_leading_cadre=False), "does_not_apply"),
    ("art3.reference.soe_head", "国有企业", person(organisation_type="other"), "does_not_apply"),
    ("art3.reference.state_functionary", "国家工作人员", person(is_state_functionary=False), "does_not_apply"),
    ("art3.reference.village", "行政村(社区)", person(organisation_type="other"), "does_not_apply"),
    # Issue 13: distorting decisions (变形走样、打折扣、搞变通) is a narrower act of 不认真贯彻落实 and now
    # applies (scenario art7.1#distorting); the near-miss is an act outside carrying out decisions.
    ("art7.1", "不认真贯彻落实或拒不执行", {"conduct": {"acts": ["complacent"]}}, "does_not_apply"),
    ("art7.2", "消极应付", {"conduct": {"acts": ["slacking"]}}, "does_not_apply"),
    ("art7.2", "落实到位率低", {"performance": {"shortfalls": ["slow_progress"]}}, "does_not_apply"),
    ("art7.2", "影响整体工作效果", {"harm": {"effects": ["work_delayed"]}}, "does_not_apply"),
    ("art7.3", "畏难躲避、放任默认", {"conduct": {"acts": ["shirking_responsibility"]}}, "does_not_apply"),
    ("art7.3", "影响经济发展环境", {"harm": {"effects": ["market_order_disrupted"]}}, "does_not_apply"),
    ("art7.4#stagnant", "缺乏进取精神", {"conduct": {"acts": ["slacking"]}}, "does_not_apply"),
    ("art7.4#stagnant", "无正当理由", {"performance": {"justified_reason": True}}, "does_not_apply"),
    ("art7.4#stagnant", "久无起色且明显退步", {"performance": {"shortfalls": ["key_tasks_unmet"]}}, "does_not_apply"),
    ("art7.4#stagnant", "工作目标任务不能完成", {"performance": {"shortfalls": ["stagnant_and_declining"]}}, "does_not_apply"),
    ("art7.4#ranked_low", "连续两年排名靠后", {"performance": {"consecutive_years_ranked_low": 1}}, "does_not_apply"),
    ("art7.4#ranked_low", "无正当理由", {"performance": {"justified_reason": True}}, "does_not_apply"),
    ("art7.4#ranked_low", "缺乏进取精神", {"conduct": {"acts": ["slacking"]}}, "does_not_apply"),
    ("art7.5.attitude", "敷衍塞责、懈怠懒散、推诿扯皮、态度恶劣", {"conduct": {"acts": ["complacent"]}}, "does_not_apply"),
    ("art7.5.attitude", "群众反映强烈", {"harm": {"public_reaction": "notable"}}, "does_not_apply"),
    ("art7.5.matters", "不按时限办理", {"conduct": {"acts": ["slacking"]}}, "does_not_apply"),
    ("art7.5.matters", "效率低、满意率低", {"performance": {"shortfalls": ["slow_progress"]}}, "does_not_apply"),
    ("art7.6.major_problems", "能解决而不及时解决", {"conduct": {"acts": ["slacking"]}}, "does_not_apply"),
    ("art7.6.major_problems", "涉及群众切身利益", {"harm": {"harmed_interests": ["state"]}}, "does_not_apply"),
    ("art7.6.demands", "不妥善处理和解决", {"conduct": {"acts": ["slacking"]}}, "does_not_apply"),
    ("art7.6.demands", "群众反映强烈", {"harm": {"public_reaction": "notable"}}, "does_not_apply"),
    ("art7.6.commitment", "公开承诺没有按时兑现", {"conduct": {"acts": ["slacking"]}}, "does_not_apply"),
    *((name, "不良影响及后果（第二条第一款）", NO_HARM, "does_not_apply") for name in OWN_HARM_LESS),
    *((name, "不良影响及后果（未查明）", {"harm": {"influence": None}}, "undetermined") for name in OWN_HARM_LESS),
    # Issue 13: the field lists of 7(七), 7(九) and 8(三) end in 等; an unlisted field needs a finding
    # (findings.subject_in_open_list), so these near-misses are undetermined, not does_not_apply.
    ("art7.7", "防汛抗旱等重大工作", {"conduct": {"fields": ["work_safety"]}}, "undetermined"),
    ("art7.7", "不服从统一指挥", {"conduct": {"acts": ["slacking"]}}, "does_not_apply"),
    ("art7.7", "贻误工作", {"harm": {"effects": []}}, "does_not_apply"),
    ("art7.8.supervision", "管理、监督", {"conduct": {"acts": ["slacking"]}}, "does_not_apply"),
    ("art7.8.supervision", "重大损失", {"harm": {"loss": "considerable"}}, "does_not_apply"),
    ("art7.8.incident", "群体性、突发性事件",
     {"conduct": {"fields": ["work_safety"]}, "context": {"emergency": "none"}, "harm": {"mass_incident": "none"}},
     "does_not_apply"),
    ("art7.8.incident", "群体性、突发性事件（未查明）", {"conduct": {"fields": ["work_safety"]}}, "undetermined"),
    ("art7.2", "市委、市政府部署", {"context": {"directed_by_superiors": False}}, "does_not_apply"),
    ("art7.8.incident", "处置不力", {"conduct": {"acts": ["slacking"]}}, "does_not_apply"),
    ("art7.8.incident", "导致事态恶化", {"harm": {"effects": []}}, "does_not_apply"),
    ("art7.8.incident", "恶劣影响", {"harm": {"influence": "considerable"}}, "does_not_apply"),
    ("art7.9.slow_progress", "履职不到位", {"conduct": {"acts": ["slacking"]}}, "does_not_apply"),
    ("art7.9.slow_progress", "重点工作", {"conduct": {"fields": ["work_safety"]}}, "undetermined"),
    ("art7.9.slow_progress", "推进缓慢", {"performance": {"shortfalls": ["key_tasks_unmet"]}}, "does_not_apply"),
    ("art7.9.veto", "履职不到位", {"conduct": {"acts": ["slacking"]}}, "does_not_apply"),
    ("art7.9.veto", "安全生产等工作", {"conduct": {"fields": ["investment_promotion"]}}, "undetermined"),
    ("art7.9.veto", "一票否决", {"performance": {"shortfalls": ["slow_progress"]}}, "does_not_apply"),
    # 第七条(十), 第八条(十): a catch-all applies on the finding; without it, outside art. 2, or without the
    # item's harm qualifier it does not.
    ("art7.10", "其他情形（决定机关认定）", {"findings": {"other_circumstance": False}}, "does_not_apply"),
    ("art7.10", "不作为（第二条第一款）", {"conduct": {"acts": ["diligent_error"]}}, "does_not_apply"),
    ("art7.10", "严重后果或不良影响", {"harm": {"influence": "none", "consequences": "adverse"}}, "does_not_apply"),
    ("art8.10", "其他情形（决定机关认定）", {"findings": {"other_circumstance": False}}, "does_not_apply"),
    ("art8.10", "乱作为（第二条第二款）", {"conduct": {"acts": ["diligent_error"]}}, "does_not_apply"),
    ("art8.10", "严重后果或不良影响", {"harm": {"influence": "none", "consequences": "adverse"}}, "does_not_apply"),
    ("art8.1#loss", "决策严重失误或“三重一大”执行不力", {"conduct": {"acts": ["abusing_power"]}}, "does_not_apply"),
    ("art8.1#loss", "较大损失或负面影响", {"harm": {"loss": "some", "influence": "none"}}, "does_not_apply"),
    ("art8.2.market", "违规干预市场经济活动", {"conduct": {"acts": ["interfering_in_cases"]}}, "does_not_apply"),
    ("art8.2.market", "扰乱市场经济秩序", {"harm": {"effects": ["justice_affected"]}}, "does_not_apply"),
    ("art8.2.cases", "违规干预办案", {"conduct": {"acts": ["interfering_in_market"]}}, "does_not_apply"),
    ("art8.2.cases", "影响公平正义", {"harm": {"effects": ["market_order_disrupted"]}}, "does_not_apply"),
    ("art8.3", "班子建设、换届选举、干部选任", {"conduct": {"fields": ["public_service"]}}, "undetermined"),
    ("art8.3", "搬弄是非、拉票贿选等", {"conduct": {"acts": ["abusing_power"]}}, "does_not_apply"),
    ("art8.3", "影响工作开展和安定团结", {"harm": {"effects": []}}, "does_not_apply"),
    ("art8.4.vanity", "形象工程、破坏生态、数字造假", {"conduct": {"acts": ["abusing_power"]}}, "does_not_apply"),
    ("art8.4.vanity", "留下严重遗留问题", {"harm": {"effects": []}}, "does_not_apply"),
    ("art8.4.emergency_reporting", "重大公共突发事件", {"context": {"emergency": "emergency"}}, "does_not_apply"),
    ("art8.4.emergency_reporting", "瞒报、谎报、迟报", {"conduct": {"acts": ["handling_improperly"]}}, "does_not_apply"),
    ("art8.4.emergency_reporting", "事态恶化或较大影响",
     {"harm": {"effects": [], "influence": "adverse"}}, "does_not_apply"),
    ("art8.5", "“四风”", {"conduct": {"acts": ["abusing_power"]}}, "does_not_apply"),
    ("art8.5", "问题严重", {"conduct": {"gravity": "serious"}}, "does_not_apply"),
    ("art8.5", "造成不良影响", {"harm": {"influence": "none"}}, "does_not_apply"),
    ("art8.6.powers", "违规行使职权", {"conduct": {"acts": ["abusing_power"]}}, "does_not_apply"),
    # Issue 14: items that state no harm of their own take art. 2's harm element.
    ("art8.6.powers", "损害利益（第二条第二款）", {"harm": {"harmed_interests": [], "loss": "none"}}, "does_not_apply"),
    ("art8.6.powers", "损害利益（损失未查明）", {"harm": {"harmed_interests": []}}, "undetermined"),
    ("art8.6.service", "在审批和服务中", {"conduct": {"fields": ["law_enforcement"]}}, "does_not_apply"),
    ("art8.6.service", "索拿卡要、增加负担、惠民政策走样", {"conduct": {"acts": ["abusing_power"]}}, "does_not_apply"),
    ("art8.7", "违法违规文件", {"conduct": {"acts": ["abusing_power"]}}, "does_not_apply"),
    ("art8.7", "损害相对人合法权益", {"harm": {"harmed_interests": ["state"]}}, "does_not_apply"),
    ("art8.8", "截留、挤占、挪用专项资金", {"conduct": {"acts": ["abusing_power"]}}, "does_not_apply"),
    ("art8.8", "损害群众利益", {"harm": {"harmed_interests": ["state"]}}, "does_not_apply"),
    ("art8.9", "违反选任规定", {"conduct": {"acts": ["abusing_power"]}}, "does_not_apply"),
    ("art8.9", "导致选人用人失误", {"harm": {"effects": []}}, "does_not_apply"),
    ("art8.9", "造成严重后果", {"harm": {"consequences": "adverse"}}, "does_not_apply"),
    ("supervision.art7.personal_matters", "领导干部", person(is_leading_cadre=False), "does_not_apply"),
    ("supervision.art7.personal_matters", "有意瞒报或严重失实", {"conduct": {"acts": ["falsifying"]}}, "does_not_apply"),
    ("supervision.art7.unverified_appointment", "未经核实提拔", {"conduct": {"acts": ["improper_appointments"]}},
     "does_not_apply"),
    ("supervision.art10", "疏于监督管理", {"conduct": {"acts": ["slacking"]}}, "does_not_apply"),
    ("supervision.art10", "班子成员或分管干部违纪违法", {"harm": {"effects": []}}, "does_not_apply"),
    ("supervision.art10", "恶劣影响", {"harm": {"influence": "considerable"}}, "does_not_apply"),
    ("art17.1", "改革创新、先行先试", {"context": {"reform_or_pilot": False}}, "does_not_apply"),
    ("art17.1", "缺乏经验", {"context": {"lack_of_experience": False}}, "does_not_apply"),
    ("art17.1", "失误（勤勉履职中的失误）",
     {"conduct": {"acts": ["major_decision_error"]}, "context": {"diligent": False}}, "does_not_apply"),
    ("art17.1", "未造成重大影响", {"harm": {"influence": "major"}}, "does_not_apply"),
    ("art17.2#emergency", "突发意外事件或不可抗力", {"context": {"emergency": "none"}}, "does_not_apply"),
    ("art17.2#emergency", "确实无法履行", {"context": {"unable_to_perform": False}}, "does_not_apply"),
    ("art17.2#force_majeure", "不可抗力", {"context": {"force_majeure": False}}, "does_not_apply"),
    ("incentive.art8.tolerance", "改革创新", {"context": {"reform_or_pilot": False}}, "does_not_apply"),
    ("incentive.art8.tolerance", "非主观原因", {"context": {"non_subjective_cause": False}}, "does_not_apply"),
    ("incentive.art8.tolerance", "无徇私枉法", {"context": {"favouritism": True}}, "does_not_apply"),
    ("incentive.art8.tolerance", "失误（勤勉履职中的失误）",
     {"conduct": {"acts": ["four_winds"]}, "context": {"diligent": False}}, "does_not_apply"),
    ("incentive.art8.general_deviation", "改革创新", {"context": {"reform_or_pilot": False}}, "does_not_apply"),
    ("incentive.art8.general_deviation", "偏差（非明知故犯）", {"conduct": {"knowingly": True}}, "does_not_apply"),
    ("incentive.art8.general_deviation", "偏差（勤勉履职中的失误）",
     {"conduct": {"acts": ["four_winds"]}, "context": {"diligent": False}}, "does_not_apply"),
    ("incentive.art8.general_deviation", "一般性（后果）", {"harm": {"consequences": "serious"}}, "does_not_apply"),
    ("incentive.art8.general_deviation", "一般性（影响）", {"harm": {"influence": "considerable"}}, "does_not_apply"),
    # Issue 14: 一般性 is read against 严重: a grave case or one with considerable loss is no general deviation.
    ("incentive.art8.general_deviation", "一般性（情节）", {"conduct": {"gravity": "grave"}}, "does_not_apply"),
    ("incentive.art8.general_deviation", "一般性（损失）", {"harm": {"loss": "considerable"}}, "does_not_apply"),
    ("incentive.art8.general_deviation", "一般性（情节未查明）", {"conduct": {"gravity": None}}, "undetermined"),
    ("art15.1", "干扰、阻碍或不配合调查", {"inquiry": {"obstructed": False}}, "does_not_apply"),
    ("art15.2", "弄虚作假、隐瞒事实真相", {"inquiry": {"falsified_or_concealed": False}}, "does_not_apply"),
    ("art15.3", "打击报复检举人", {"inquiry": {"retaliated": False}}, "does_not_apply"),
    ("art15.4", "其他从重情节（决定机关认定）", {"findings": {"other_aggravating": False}}, "does_not_apply"),
    ("art15.4", "第七条、第八条的问责情形", {"conduct": {"acts": []}}, "does_not_apply"),
    ("art16.1", "有效避免损失或挽回影响", {"inquiry": {"remedied_effectively": False}}, "does_not_apply"),
    ("art16.2", "积极配合调查", {"inquiry": {"cooperated": False}}, "does_not_apply"),
    ("art16.2", "主动承担责任", {"inquiry": {"accepted_responsibility": False}}, "does_not_apply"),
    ("art16.3", "其他从轻情节（决定机关认定）", {"findings": {"other_mitigating": False}}, "does_not_apply"),
    ("art16.3", "第七条、第八条的问责情形", {"conduct": {"acts": []}}, "does_not_apply"),
    ("art14", "个人（组织不在适用范围内）", person(kind="organisation"), "not_reached"),
    ("supervision.art7.handling", "有意瞒报或严重失实",
     {"conduct": {"acts": ["falsifying", "public_commitment_unmet"]}}, "does_not_apply"),
    ("supervision.art7.handling", "领导干部",
     merge(person(is_leading_cadre=False), {"conduct": {"acts": ["concealing_personal_matters", "public_commitment_unmet"]}}),
     "does_not_apply"),
    ("art6.discipline", "需追究纪律责任", {"legal": {"discipline_breach": "none"}}, "does_not_apply"),
    ("art6.judicial", "涉嫌犯罪", {"legal": {"suspected_crime": False}}, "does_not_apply"),
    ("art18.6.no_transfer", "任职试用期内", person(on_probation=False), "does_not_apply"),
    ("art18.6.trial_cancelled", "任职试用期内", person(on_probation=False), "does_not_apply"),
    ("art18.6.trial_cancelled", "引咎辞职、责令辞职或免职", {"decision": {"measures": ["demotion"]}}, "does_not_apply"),
    ("supervision.art7.no_promotion", "领导干部", person(is_leading_cadre=False), "does_not_apply"),
    ("supervision.art7.no_promotion", "有意瞒报或严重失实", {"conduct": {"acts": ["falsifying"]}}, "does_not_apply"),
    ("supervision.art7.discipline", "涉嫌违纪", {"legal": {"discipline_breach": "none"}}, "does_not_apply"),
    ("supervision.art7.discipline", "有意瞒报或严重失实",
     {"conduct": {"acts": ["falsifying"]}}, "does_not_apply"),
    ("supervision.art7.void_appointment", "违反规定作出的任用决定",
     {"conduct": {"acts": ["improper_appointments"]}}, "does_not_apply"),
    ("supervision.art7.inconsistent_report", "查核不一致", {"conduct": {"acts": ["falsifying"]}}, "does_not_apply"),
    ("supervision.art5.team", "领导班子成员", person(in_leadership_team=False), "does_not_apply"),
    ("supervision.art5.team", "经考核认定问题较多", {"review": {"team_problems_confirmed": False}}, "does_not_apply"),
    ("supervision.art5.unfit", "不胜任现职", {"conduct": {"acts": ["slacking"]}}, "does_not_apply"),
    ("supervision.art5.unfit", "领导干部", person(is_leading_cadre=False), "does_not_apply"),
    ("supervision.art6.moral_rating", "德的反向测评群众反映强烈", {"review": {"moral_rating_adverse": False}}, "does_not_apply"),
    ("incentive.art9.false_accusation", "诬陷、诽谤", {"inquiry": {"allegation": "mistaken"}}, "does_not_apply"),
    *((name, "职责范围内（第二条）", NOT_IN_CHARGE, "does_not_apply") for name in IN_CHARGE_RULES),
]

CATCH_ALLS = ("art7.10", "art8.10", "art15.4", "art16.3")


def rule_id(scenario: str) -> str:
    """The rule a scenario name is about: the part before any ``#variant``."""
    return scenario.split("#", maxsplit=1)[0]


@pytest.fixture(scope="module")
def ruleset() -> g.RuleSet:
    """The Yueyang rule set, loaded once."""
    return g.load(KEY)


# ---------------------------------------------------------------- the file


def test_document_metadata(ruleset: g.RuleSet) -> None:
    """The document is recorded as undated, issued by the city party committee, with its source file."""
    doc = ruleset.file.document
    assert (doc.key, doc.issued, doc.issuer, doc.source) == (KEY, "unknown", "中共岳阳市委", "yueyang.txt")
    assert doc.title == "岳阳市“为官不为”“为官乱为”问责暂行办法"
    assert ruleset.file.silent_on == ()


def test_quotes_are_verbatim(ruleset: g.RuleSet) -> None:
    """Every rule and ladder citation quotes the source text verbatim, up to whitespace."""
    source = normalise(SOURCE.read_text(encoding="utf-8"))
    citations = [(r.id, r.rule.citation) for r in ruleset] + [("ladder", c) for c in ruleset.ladder.citations]
    missing = [rid for rid, c in citations if normalise(c.quote) not in source]
    assert missing == []


def test_companion_measures_are_named_in_citations(ruleset: g.RuleSet) -> None:
    """Rules from the companion measures name their measure in citation.part; main-measure rules leave it empty."""
    for r in ruleset:
        expected = {"incentive": INCENTIVE, "supervision": SUPERVISION}.get(r.id.split(".")[0])
        assert r.rule.citation.part == expected, r.id


def test_every_conditional_rule_has_a_scenario(ruleset: g.RuleSet) -> None:
    """Every rule with a condition has at least one applying scenario and at least one near-miss in the tables."""
    conditional = {r.id for r in ruleset if r.condition is not None}
    assert conditional == {rule_id(name) for name in SCENARIOS}
    assert conditional <= {rule_id(name) for name, *_ in NEAR_MISSES}


def test_ladder_has_six_rungs(ruleset: g.RuleSet) -> None:
    """Art. 14's measures sit on six rungs in the article's order; 批评教育 from the supervision measure joins rung 1."""
    rungs = {step.measure.value: step.rung for step in ruleset.ladder.steps}
    assert [rungs[m] for m in ART14_MEASURES] == [1, 1, 2, 2, 3, 4, 5, 5, 5, 6]
    assert rungs["criticism_education"] == 1


# ---------------------------------------------------------------- each rule and its near-misses


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_rule_applies(scenario: str) -> None:
    """Each rule applies to its scenario."""
    assert result(KEY, case(SCENARIOS[scenario]), rule_id(scenario)) == "applies"


@pytest.mark.parametrize(
    ("scenario", "override", "expected"),
    [pytest.param(s, o, e, id=f"{s}-{q}") for s, q, o, e in NEAR_MISSES],
)
def test_near_miss(scenario: str, override: dict[str, Any], expected: str) -> None:
    """Removing one qualifier from a scenario stops its rule from applying."""
    assert result(KEY, case(SCENARIOS[scenario], override), rule_id(scenario)) == expected


@pytest.mark.parametrize("rule", CATCH_ALLS)
def test_catch_alls_never_fire(rule: str) -> None:
    """The 其他…情形/情节 items never apply from facts alone, and with no conduct at all (outside art. 2) they do not apply.

    Changed for issue 13: these catch-alls used to have no condition and were reported ``not_evaluable``
    whatever the facts. They now ask for a finding where the conduct is within art. 2's general
    definitions (see tests/rules/test_yueyang_open_texture.py); a case with no act is outside them, a firm no.
    """
    d = evaluate(KEY, case({"harm": {"consequences": "major", "influence": "major"}}))
    assert d.step(rule).result == "does_not_apply"
    assert rule in d.catch_alls


def test_misconduct_does_not_need_own_responsibility() -> None:
    """Art. 8 items, unlike art. 7, apply even when the conduct lies outside the subject's own responsibilities."""
    assert result(KEY, case(SCENARIOS["art8.6.powers"], NOT_IN_CHARGE), "art8.6.powers") == "applies"


# ---------------------------------------------------------------- scope


def test_soe_head_is_covered_by_reference() -> None:
    """The head of a state-owned enterprise is covered by reference (参照执行), not covered."""
    d = evaluate(KEY, case(SCENARIOS["art3.reference.soe_head"], TRIGGER))
    assert d.scope.outcome == "covered_by_reference"
    assert d.scope.finding is not None and d.scope.finding.rule_id == "art3.reference.soe_head"
    assert d.sanctions.accountable is True


def test_covered_beats_covered_by_reference() -> None:
    """A leading cadre of a listed organ who is also a state functionary is covered, defeating the by-reference rule."""
    d = evaluate(KEY, case())
    assert d.scope.outcome == "covered"
    step = d.step("art3.reference.state_functionary")
    assert (step.result, step.defeated_by) == ("defeated", ("art3.leading_cadre",))


@pytest.mark.parametrize(
    "patch",
    [
        pytest.param(person(kind="organisation"), id="organisation"),
        pytest.param(person(is_leading_cadre=False, is_state_functionary=False), id="party-organ-non-cadre"),
        pytest.param(person(organisation_type="other", is_state_functionary=False), id="other-organisation"),
        pytest.param(
            person(organisation_type="state_owned_enterprise", is_head_of_organisation=False, is_leading_cadre=False,
                   is_state_functionary=False),
            id="soe-staff-outside-the-leadership"),
    ],
)
def test_not_covered(patch: dict[str, Any]) -> None:
    """Organisations and people outside art. 3's lists are not covered, and nothing further is evaluated."""
    d = evaluate(KEY, case(TRIGGER, patch))
    assert d.scope.outcome == "not_covered"
    assert d.step("art7.6.commitment").result == "not_reached"


# ---------------------------------------------------------------- exemption


def test_failed_reform_pilot_is_exempt() -> None:
    """A pilot that failed through inexperience without major influence is exempt: no accountability, no measures.

    Issue 13: the error must be an error in diligent work (diligent_error), listed beside the decision error.
    """
    d = evaluate(KEY, case(
        SCENARIOS["art8.1#loss"],
        {"conduct": {"acts": ["major_decision_error", "diligent_error"]}},
        {"context": {"reform_or_pilot": True, "lack_of_experience": True}, "harm": {"influence": "considerable"}},
    ))
    assert "art8.1" in d.applied()
    assert d.exemption.outcome == "granted"
    assert [f.rule_id for f in d.exemption.exemptions] == ["art17.1"]
    assert d.sanctions.accountable is False
    assert d.sanctions.measures == ()
    assert d.consequences == ()
    assert d.general_consequences == ()
    assert d.step("art14").result == "not_reached"


def test_tolerance_makes_eligible_only() -> None:
    """Incentive art. 8's tolerance of non-subjective errors makes the case eligible, not exempt: accountability stands."""
    not_exempt = {
        "conduct": {"knowingly": False},
        "context": {"lack_of_experience": False},
        "harm": {"consequences": "serious", "influence": "serious"},
    }
    both = {"conduct": {"acts": ["public_commitment_unmet", "diligent_error"]}}  # issue 13: the error is a diligent one
    d = evaluate(KEY, case(TRIGGER, SCENARIOS["incentive.art8.tolerance"], not_exempt, both))
    assert d.exemption.outcome == "eligible"
    assert d.exemption.statement is not None and "改正机会" in d.exemption.statement.zh
    assert d.sanctions.accountable is True


def test_general_deviation_is_exempt() -> None:
    """A general deviation in reform (no more than adverse consequences and influence) is exempt as of right.

    Issue 13: the deviation is a diligent error. Issue 14: 一般性 is read against 严重 (gravity at most 较重,
    loss at most some), so the example is art. 7(六) with adverse harm, not art. 8(五), whose 问题严重 is grave.
    """
    both = {"conduct": {"acts": ["public_commitment_unmet", "diligent_error"]}}
    d = evaluate(KEY, case(TRIGGER, SCENARIOS["incentive.art8.general_deviation"], both))
    assert "art7.6.commitment" in d.applied()
    assert d.exemption.outcome == "granted"
    assert d.sanctions.accountable is False


def test_grave_deviation_with_considerable_loss_is_not_exempt_as_of_right() -> None:
    """Issue 14: a grave case with considerable loss in reform is not a general deviation; accountability stands."""
    grave = {"conduct": {"acts": ["public_commitment_unmet", "diligent_error"], "gravity": "grave"},
             "harm": {"loss": "considerable"}, "context": {"lack_of_experience": False, "non_subjective_cause": False}}
    d = evaluate(KEY, case(TRIGGER, SCENARIOS["incentive.art8.general_deviation"], grave))
    assert d.step("incentive.art8.general_deviation").result == "does_not_apply"
    assert d.exemption.outcome == "none"
    assert d.sanctions.accountable is True


# ---------------------------------------------------------------- factors and range


@pytest.mark.parametrize(
    ("inquiry", "emphasis"),
    [
        ({"obstructed": True}, "heavier"),
        ({"remedied_effectively": True}, "lighter"),
        ({"retaliated": True, "cooperated": True, "accepted_responsibility": True}, "conflicting"),
        ({}, "none"),
    ],
)
def test_factor_emphasis(inquiry: dict[str, Any], emphasis: str) -> None:
    """Arts. 15 and 16 move the choice to the heavier (从重) or lighter (从轻) end of the range, never below it."""
    d = evaluate(KEY, case(TRIGGER, {"inquiry": inquiry}))
    assert d.sanctions.emphasis == emphasis
    assert d.sanctions.reduced_below_range is False


def test_art14_range_is_discretionary() -> None:
    """Art. 14 gives the whole six-rung ladder, lightest first, to be chosen as circumstances warrant."""
    s = evaluate(KEY, case(TRIGGER)).sanctions
    assert s.measures == ART14_MEASURES
    assert (s.mandatory, s.discretionary, s.open_ended) == (False, True, True)
    assert [b.modality for b in s.bands] == ["as_warranted"]


def test_personal_matters_range_is_the_supervision_measures_own() -> None:
    """A concealed personal-matters report alone gets the supervision measure's range, not art. 14's ladder.

    Art. 14 follows a circumstance of arts. 7 or 8. Changed for issue 13: it used to stay undetermined
    because the catch-alls 7(十) and 8(十) were open with no condition; they now read art. 2's general
    definitions, and a personal-matters report is neither inaction in one's duties nor an irregular
    decision, wrongful exercise of duties or abuse of power, so no art. 7 or 8 circumstance can follow.
    """
    d = evaluate(KEY, case(SCENARIOS["supervision.art7.personal_matters"]))
    assert d.sanctions.measures == ("criticism_education", "suspension_for_inspection", "removal")
    assert d.step("art14").result == "does_not_apply"
    freezes = [i.freeze for i in d.general_consequences if i.freeze]
    assert [(f.restriction, f.length) for f in freezes] == [("promotion", "not_fixed")]


def test_personal_matters_with_an_art7_circumstance_combines_both_ranges() -> None:
    """With an art. 7 circumstance as well, art. 14's ladder and the supervision measures are both open."""
    d = evaluate(KEY, case(TRIGGER, SCENARIOS["supervision.art7.personal_matters"],
                           {"conduct": {"acts": ["public_commitment_unmet", "concealing_personal_matters"]}}))
    assert d.step("art14").result == "applies"
    assert d.sanctions.measures[0] == "criticism_education"
    assert set(d.sanctions.measures) == {"criticism_education", *ART14_MEASURES}


# ---------------------------------------------------------------- consequences


def freezes_for(measure: str, patch: dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
    """The freezes a chosen measure carries, as (restriction, months, until, length)."""
    d = evaluate(KEY, case(TRIGGER, {"decision": {"measures": [measure]}}, patch or {}))
    (mc,) = d.consequences
    assert (mc.measure, mc.chosen) == (measure, True)
    return [(f.restriction, f.months, f.until, f.length) for i in mc.items if (f := i.freeze)]


@pytest.mark.parametrize(
    ("measure", "expected"),
    [
        ("circulated_criticism", []),
        ("self_examination", []),
        ("admonition", [("promotion", 6, None, "fixed")]),
        ("public_apology", [("promotion", 6, None, "fixed")]),
        ("suspension_for_inspection", [("promotion", None, "rectification", "fixed")]),
        ("transfer", [("related_post", 12, None, "fixed"), ("promotion", 12, None, "fixed")]),
        ("resignation_taking_blame", [("any_post", 12, None, "fixed"), ("higher_post", 24, None, "fixed")]),
        ("ordered_resignation", [("any_post", 12, None, "fixed"), ("higher_post", 24, None, "fixed")]),
        ("removal", [("any_post", 12, None, "fixed"), ("higher_post", 24, None, "fixed")]),
        ("demotion", [("promotion", 24, None, "fixed")]),
    ],
)
def test_influence_periods(measure: str, expected: list[tuple[Any, ...]]) -> None:
    """Art. 18 (一)–(五) attach the stated influence period to each chosen measure."""
    assert freezes_for(measure) == expected


def test_suspension_runs_until_rectification() -> None:
    """停职检查: the influence period runs from the decision until rectification; no conversion within six months."""
    d = evaluate(KEY, case(TRIGGER, {"decision": {"measures": ["suspension_for_inspection"], "date": "2020-01-15"},
                                     "dates": {"rectified": "2020-07-15"}}))
    (mc,) = d.consequences
    (item,) = [i for i in mc.items if i.freeze]
    assert item.freeze is not None and (item.freeze.restriction, item.freeze.until) == ("promotion", "rectification")
    assert item.period is not None
    assert (item.period.starts, item.period.last_day, item.period.free_from) == ("2020-01-15", "2020-07-15", "2020-07-16")


def test_suspension_over_six_months_converts_to_transfer() -> None:
    """Rectification beyond six months converts the handling to a transfer, dated from the day after the six months."""
    d = evaluate(KEY, case(TRIGGER, {"decision": {"measures": ["suspension_for_inspection"], "date": "2020-01-15"},
                                     "dates": {"rectified": "2020-07-16"}}))
    suspension, transfer = d.consequences
    assert (suspension.measure, transfer.measure, transfer.converted_from) == (
        "suspension_for_inspection", "transfer", "suspension_for_inspection")
    promotion = next(i for i in transfer.items if i.freeze and i.freeze.restriction == "promotion")
    assert promotion.rule_id == "art18.3"
    assert promotion.period is not None
    assert (promotion.period.starts, promotion.period.last_day) == ("2020-07-16", "2021-07-16")


@pytest.mark.parametrize(
    ("unrectified_on", "converts"),
    [("2020-12-15", True), ("2020-07-16", True), ("2020-07-15", False), ("2020-03-01", False)],
)
def test_suspension_still_unrectified_past_six_months_converts(unrectified_on: str, converts: bool) -> None:
    """Issue 14: eleven months suspended and still unrectified is already 整改期超出半年; within six months it is not yet."""
    d = evaluate(KEY, case(TRIGGER, {"decision": {"measures": ["suspension_for_inspection"], "date": "2020-01-15"},
                                     "dates": {"unrectified_on": unrectified_on}}))
    measures = [(mc.measure, mc.converted_from) for mc in d.consequences]
    if converts:
        assert measures == [("suspension_for_inspection", None), ("transfer", "suspension_for_inspection")]
        transfer = d.consequences[1]
        promotion = next(i for i in transfer.items if i.freeze and i.freeze.restriction == "promotion")
        assert promotion.period is not None and promotion.period.starts == "2020-07-16"
    else:
        assert measures == [("suspension_for_inspection", None)]


def test_rectification_date_decides_over_an_earlier_unrectified_day() -> None:
    """A completion date within six months is the last word, whatever day rectification was earlier found incomplete."""
    d = evaluate(KEY, case(TRIGGER, {"decision": {"measures": ["suspension_for_inspection"], "date": "2020-01-15"},
                                     "dates": {"unrectified_on": "2020-03-01", "rectified": "2020-06-01"}}))
    assert [mc.measure for mc in d.consequences] == ["suspension_for_inspection"]


def test_suspension_without_rectification_date_gives_no_end() -> None:
    """Without a rectification date the period has a start but no end, and no conversion is guessed."""
    d = evaluate(KEY, case(TRIGGER, {"decision": {"measures": ["suspension_for_inspection"], "date": "2020-01-15"}}))
    (mc,) = d.consequences
    (item,) = [i for i in mc.items if i.freeze]
    assert item.period is not None and (item.period.starts, item.period.last_day) == ("2020-01-15", None)
    assert "rectification" in item.period.note.en


def test_resignation_or_removal_grade_and_tasks() -> None:
    """Resignation or removal fixes that year's grade at 基本称职 and allows temporary tasks during the year without a post."""
    d = evaluate(KEY, case(TRIGGER, {"decision": {"measures": ["removal"]}}))
    (mc,) = d.consequences
    assert [i.annual_grade for i in mc.items if i.annual_grade] == [("basically_competent",)]
    assert any(i.statement and "临时性、专项性工作" in i.statement.zh for i in mc.items)


def test_probation_cadre_removed() -> None:
    """Removal during probation cancels the trial post, pays at the pre-trial level, and notes that transfer is not the norm."""
    d = evaluate(KEY, case(TRIGGER, {"subject": {"on_probation": True}, "decision": {"measures": ["removal"]}}))
    (mc,) = d.consequences
    statuses = [i.status for i in mc.items if i.status]
    assert statuses == [("trial_post_cancelled", "pay_at_pre_trial_level")]
    assert [i.freeze.restriction for i in mc.items if i.freeze].count("any_post") == 1  # issue 14: carried once, by art18.4
    assert any(s.finding.rule_id == "art18.6.no_transfer" for s in d.statements)


def test_general_consequences_of_accountability() -> None:
    """Accountability costs the year's awards, files and publishes the decision, and the hearing, cancellation and appeal are stated."""
    d = evaluate(KEY, case(TRIGGER))
    assert {i.rule_id for i in d.general_consequences} == {"art10.publication", "art18.awards", "art18.7"}
    assert any(i.awards == "lost_for_year" for i in d.general_consequences)
    assert {s.finding.rule_id for s in d.statements} == {"art11.hearing", "art13.cancellation", "art13.appeal_no_suspension"}


def test_not_accountable_has_no_consequences() -> None:
    """Without a triggering circumstance, nothing that depends on accountability follows."""
    d = evaluate(KEY, case())
    assert d.sanctions.accountable is False
    assert d.general_consequences == () and d.statements == () and d.referrals == ()


@pytest.mark.parametrize(
    ("patch", "referrals"),
    [
        ({"legal": {"discipline_breach": "ordinary", "suspected_crime": True}}, ["discipline_inspection", "judicial_organs"]),
        ({"legal": {"discipline_breach": "none", "suspected_crime": False}}, []),
        (
            {"conduct": {"acts": ["concealing_personal_matters"]}, "legal": {"discipline_breach": "serious", "suspected_crime": False}},
            ["discipline_inspection", "discipline_inspection"],
        ),
    ],
)
def test_referrals(patch: dict[str, Any], referrals: list[str]) -> None:
    """Art. 6 and supervision art. 7 send discipline to the discipline inspection organs and crime to the judicial organs."""
    d = evaluate(KEY, case(TRIGGER, patch))
    assert [r.to for r in d.referrals] == referrals


def test_exemption_does_not_swallow_referrals() -> None:
    """Issue 14: art. 17's exemption waives accountability, not discipline or criminal liability: both referrals stand."""
    exempt = merge(SCENARIOS["art17.2#emergency"], {"legal": {"discipline_breach": "ordinary", "suspected_crime": True}})
    d = evaluate(KEY, case(TRIGGER, exempt))
    assert d.exemption.outcome == "granted"
    assert d.sanctions.accountable is False
    assert [r.to for r in d.referrals] == ["discipline_inspection", "judicial_organs"]


def test_referrals_need_a_person_held_to_account() -> None:
    """Issue 14: with no circumstance of any of the measures there is no 被问责对象, so art. 6 refers nothing."""
    d = evaluate(KEY, case(NOT_EXEMPT, {"legal": {"discipline_breach": "ordinary", "suspected_crime": True}}))
    assert d.circumstances == ()
    assert (d.step("art6.discipline").result, d.step("art6.judicial").result) == ("does_not_apply", "does_not_apply")
    assert d.referrals == ()


@pytest.mark.parametrize("scenario", ["supervision.art10", "supervision.art7.unverified_appointment"])
def test_supervision_findings_take_the_art14_ladder(scenario: str) -> None:
    """Issue 16: supervision arts. 7 and 10 name no handling, so their findings take art. 14's ladder and its consequences."""
    quiet = {"harm": {"loss": "none", "consequences": "none"}, "findings": {"other_circumstance": False}}
    d = evaluate(KEY, case(NOT_EXEMPT, quiet, SCENARIOS[scenario]))
    assert [c.finding.rule_id for c in d.circumstances] == [scenario]
    assert d.step("art14").result == "applies"
    assert d.sanctions.measures == ART14_MEASURES
    assert d.sanctions.bands[0].rule_id == "art14"
    assert "art18.awards" in {i.rule_id for i in d.general_consequences}


def test_personal_matters_alone_does_not_take_the_art14_ladder() -> None:
    """Issue 16: the personal-matters finding has handling of its own (supervision art. 7), and art. 14 does not follow it."""
    d = evaluate(KEY, case(NOT_EXEMPT, SCENARIOS["supervision.art7.personal_matters"]))
    assert d.step("art14").result == "does_not_apply"


def test_items_with_a_harm_of_their_own_need_no_other() -> None:
    """Issue 14: an item that states its own harm (7(二) 影响整体工作效果) applies without art. 2's adverse influence or consequences."""
    d = evaluate(KEY, case(SCENARIOS["art7.2"], NO_HARM))
    assert d.step("art7.2").result == "applies"
