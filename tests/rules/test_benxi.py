"""The Benxi rule set (本高党政办发〔2019〕31号) against cases built to meet, or just miss, each item.

Every rule with a ``when`` condition has a case on which it applies and, for each qualifier of
its text, a near miss: the same case with exactly that qualifier absent or too weak, on which
the rule must not apply. Near misses are written as a patch over the rule's first applying
case (``APPLIES``), so the only difference from a case that applies is the qualifier named.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import guanzhi_rules as g
from guanzhi_rules._vocab import (
    Act,
    ConsequenceLevel,
    Correction,
    Effect,
    Gravity,
    InfluenceLevel,
    LossLevel,
    MassIncident,
    PriorMeasure,
    PublicReaction,
    Shortfall,
    WorkField,
)
from tests.support import (
    appears,
    assert_near_miss,
    assert_undetermined_by,
    base_cases,
    case,
    combine,
    evaluate,
    levels,
    result,
    row_ids,
    subset,
)

KEY = "benxi"
LIGHT = ("criticism_education", "self_examination", "circulated_criticism", "admonition")
HEAVY = ("transfer", "resignation_taking_blame", "ordered_resignation", "removal", "demotion")

# ------------------------------------------------------------------------------------ building blocks
TRIGGER: dict[str, Any] = {"conduct": {"acts": ["falsifying"]}, "context": {"directed_by_superiors": True}}
"""Conduct meeting art. 6(2) (弄虚作假 in carrying out decisions from above), which has no harm qualifier: makes the cadre accountable."""

ORGANISATION: dict[str, Any] = {
    "subject": {
        "kind": "organisation",
        "organisation_type": "party_organ",
        "is_leading_cadre": None,
        "is_state_functionary": None,
        "is_party_member": None,
        "team_members_held_accountable": 3,
        "team_functioning_impaired": True,
    },
    "findings": {"open_number_reached": True},
}
"""A county party organ whose leadership team had three members held accountable, found to be 多人, and cannot work."""

OUTSIDE_CHARGE: dict[str, Any] = {"conduct": {"within_responsibility": False}}

NO_CIRCUMSTANCE: dict[str, Any] = {"conduct": {"acts": []}, "harm": {"mass_incident": "none"}}
"""No act and no mass incident: every enumerated item is decided false (a mass incident alone can meet art. 6(9))."""


# ------------------------------------------------------------------------------------ must apply
APPLIES: list[tuple[str, dict[str, Any]]] = [
    # 第二条 适用范围
    ("art2.leading_cadre", {}),
    ("art2.leading_cadre", {"subject": {"organisation_type": "government_organ"}}),
    ("art2.organisation", ORGANISATION),
    ("art2.organisation", combine(ORGANISATION, {"subject": {"organisation_type": "government_organ"}})),
    # 第六条 不担当
    ("art6.1", {"conduct": {"acts": ["performing_duties_poorly"]}, "harm": {"consequences": "serious", "influence": "serious"}}),
    ("art6.1", {"conduct": {"acts": ["neglecting_integrity_duties"]}, "harm": {"consequences": "major", "influence": "major"}}),
    ("art6.1", {"conduct": {"acts": ["not_implementing_decisions"]}, "harm": {"consequences": "serious", "influence": "major"}}),
    ("art6.2", {"conduct": {"acts": ["distorting_decisions"]}}),
    ("art6.2", combine(TRIGGER, {"harm": {"consequences": "none", "influence": "none"}})),
    ("art6.2", {"conduct": {"acts": ["deceiving_organisation"]}, "context": {"directed_by_superiors": True}}),
    ("art6.2", {"conduct": {"acts": ["defying_orders"]}}),
    ("art6.3.risk_neglect",
     {"conduct": {"acts": ["failing_to_prevent"], "fields": ["major_risks"]}, "harm": {"loss": "considerable"}}),
    ("art6.3.risk_neglect", {"conduct": {"acts": ["vanity_projects"]}, "harm": {"loss": "major"}}),
    ("art6.3.risk_neglect", {"conduct": {"acts": ["reckless_borrowing"]}, "harm": {"loss": "considerable"}}),
    ("art6.3.key_area_risk",
     {"conduct": {"acts": ["handling_improperly"], "fields": ["finance"]}, "harm": {"consequences": "serious"}}),
    ("art6.3.key_area_risk",
     {"conduct": {"acts": ["failing_to_prevent"], "fields": ["government_debt"]}, "harm": {"consequences": "major"}}),
    ("art6.3.weak_crackdown", {"conduct": {"acts": ["cracking_down_weakly"], "fields": ["real_estate"]}}),
    ("art6.3.weak_crackdown", {"conduct": {"acts": ["tolerating_violations"], "fields": ["major_risks"]}}),
    ("art6.4.rural_lagging",
     {"conduct": {"acts": ["slacking"], "fields": ["rural_revitalisation"]},
      "performance": {"shortfalls": ["seriously_lagging"]}}),
    ("art6.4.rural_lagging",
     {"conduct": {"acts": ["passing_the_buck"], "fields": ["rural_revitalisation"]},
      "performance": {"shortfalls": ["seriously_lagging"]}}),
    ("art6.4.benefit_funds", {"conduct": {"acts": ["mismanaging_benefit_funds"], "fields": ["public_benefit_programmes"]}}),
    ("art6.4.benefit_funds", {"conduct": {"acts": ["deceiving_organisation"], "fields": ["public_benefit_programmes"]}}),
    ("art6.4.persistent_harm", {"harm": {"effects": ["public_harm_persistent"]}}),
    ("art6.5.tasks_unmet",
     {"conduct": {"acts": ["passing_the_buck"], "fields": ["pollution_control"]},
      "performance": {"shortfalls": ["key_tasks_unmet"]}}),
    ("art6.5.tasks_unmet",
     {"conduct": {"acts": ["slacking"], "fields": ["ecology_environment"]}, "performance": {"shortfalls": ["key_tasks_unmet"]}}),
    ("art6.5.no_improvement",
     {"conduct": {"fields": ["pollution_control"]}, "harm": {"effects": ["work_delayed"]},
      "history": {"prior_measures": ["summoned_reminder"], "correction_after_prior_measures": "not_obvious"}}),
    ("art6.5.no_improvement",
     {"conduct": {"fields": ["pollution_control"]}, "performance": {"shortfalls": ["slow_progress"]},
      "history": {"prior_measures": ["circulated_criticism"], "correction_after_prior_measures": "not_corrected"}}),
    ("art6.5.lax_enforcement", {"conduct": {"acts": ["enforcing_laxly"], "fields": ["ecology_environment"]}}),
    ("art6.5.lax_enforcement", {"conduct": {"acts": ["supervising_inadequately"], "fields": ["pollution_control"]}}),
    ("art6.6.not_daring",
     {"conduct": {"acts": ["shirking_responsibility", "performing_duties_poorly"], "fields": ["organised_crime"]}}),
    ("art6.6.not_daring",  # 工作推动不力 is broad: a weak crackdown is a kind of it
     {"conduct": {"acts": ["shirking_responsibility", "cracking_down_weakly"], "fields": ["organised_crime"]}}),
    ("art6.6.weak_crackdown", {"conduct": {"acts": ["cracking_down_weakly"], "fields": ["organised_crime"]}}),
    ("art6.6.weak_crackdown",
     {"conduct": {"acts": ["concealing_or_not_reporting", "cracking_down_weakly"], "fields": ["organised_crime"]}}),
    ("art6.6.protective_umbrella",
     {"conduct": {"acts": ["handling_improperly"], "fields": ["organised_crime"]}, "harm": {"public_reaction": "notable"}}),
    ("art6.6.protective_umbrella",
     {"conduct": {"acts": ["shirking_responsibility"], "fields": ["organised_crime"]}, "harm": {"public_reaction": "strong"}}),
    ("art6.7",
     {"conduct": {"acts": ["supervising_inadequately"], "fields": ["work_safety"]},
      "harm": {"consequences": "serious", "influence": "adverse"}}),
    ("art6.7",  # 后果或影响: serious influence alone suffices
     {"conduct": {"acts": ["supervising_inadequately"], "fields": ["food_drug"]},
      "harm": {"consequences": "adverse", "influence": "serious"}}),
    ("art6.8.rectification", {"conduct": {"acts": ["not_rectifying_findings"]}}),
    ("art6.8.subordinates_lie", {"conduct": {"acts": ["inducing_subordinates_to_lie"]}}),
    ("art6.9",
     {"conduct": {"acts": ["perfunctory"]},
      "harm": {"public_reaction": "strong", "mass_incident": "none", "consequences": "serious", "influence": "serious"}}),
    ("art6.9",  # 或引发群体性事件: a mass incident without any listed mishandling
     {"harm": {"public_reaction": "strong", "mass_incident": "incident", "consequences": "serious", "influence": "serious"}}),
    ("art6.10.response",
     {"conduct": {"acts": ["absent_from_duty"], "fields": ["disaster_epidemic"]}, "harm": {"consequences": "serious"}}),
    ("art6.10.response",
     {"conduct": {"acts": ["handling_improperly"], "fields": ["mass_or_sudden_events"]}, "harm": {"consequences": "major"}}),
    ("art6.10.concealment",
     {"conduct": {"acts": ["concealing_or_not_reporting"], "fields": ["mass_or_sudden_events"]},
      "harm": {"influence": "serious"}}),
    ("art6.10.concealment",
     {"conduct": {"acts": ["dereliction_of_duty"], "fields": ["disaster_epidemic"]}, "harm": {"influence": "major"}}),
    ("art6.10.response",  # a flood is a 重大灾情
     {"conduct": {"acts": ["handling_improperly"], "fields": ["flood_drought"]}, "harm": {"consequences": "serious"}}),
    ("art6.10.concealment",  # a concealed major work-safety accident is a 突发性事件
     {"conduct": {"acts": ["concealing_or_not_reporting"], "fields": ["work_safety"]},
      "harm": {"influence": "serious", "major_accidents": ["work_safety"]}}),
    ("art6.10.response",  # an emergency the case records is a 突发性事件, whatever the field
     {"conduct": {"acts": ["handling_improperly"], "fields": ["public_service"]}, "harm": {"consequences": "serious"},
      "context": {"emergency": "emergency"}}),
    ("art6.10.concealment",  # a mass incident arising from the matter makes it one 涉及群体性事件
     {"conduct": {"acts": ["concealing_or_not_reporting"], "fields": ["petitions"]},
      "harm": {"influence": "serious", "mass_incident": "incident"}}),
    # 第七条 不作为
    ("art7.1",
     {"conduct": {"acts": ["not_relaying_or_studying_policy"]}, "harm": {"influence": "adverse", "consequences": "none"}}),
    ("art7.1",
     {"conduct": {"acts": ["implementing_decisions_ineffectively"]}, "harm": {"influence": "none", "consequences": "adverse"}}),
    ("art7.2",
     {"conduct": {"acts": ["matters_not_handled_in_time"]}, "harm": {"consequences": "none"},
      "performance": {"complaint_verified": True}}),
    ("art7.2",
     {"performance": {"shortfalls": ["deadline_missed_though_able"], "complaint_verified": False},
      "harm": {"consequences": "adverse"}}),
    ("art7.3",
     {"conduct": {"acts": ["complacent"]}, "performance": {"shortfalls": ["key_tasks_unmet"]},
      "harm": {"effects": ["overall_work_affected"]}}),
    ("art7.3",
     {"conduct": {"acts": ["slacking"]}, "performance": {"shortfalls": ["no_breakthrough"]},
      "harm": {"effects": ["overall_work_affected"]}}),
    ("art7.4", {"conduct": {"acts": ["formalism"]}, "harm": {"effects": ["work_delayed"], "public_reaction": "none"}}),
    ("art7.4", {"conduct": {"acts": ["ostentatious"]}, "harm": {"public_reaction": "strong"}}),
    ("art7.5", {"conduct": {"acts": ["lacking_competence", "not_deciding"]}}),
    ("art7.5", {"conduct": {"acts": ["lacking_competence", "matters_not_handled_in_time"]}}),
    ("art7.5", {"conduct": {"acts": ["lacking_competence", "passing_the_buck"]}}),  # 导致不作为: any inaction
    # 第六条（十一）、第七条（六）: conduct within the general definition, no listed item, the finding made
    ("art6.11", {"conduct": {"acts": ["retreating_from_danger"]}, "harm": {"mass_incident": "none"},
                 "findings": {"other_circumstance": True}}),
    ("art7.6", {"conduct": {"acts": ["not_deciding"]}, "harm": {"mass_incident": "none"},
                "findings": {"other_circumstance": True}}),
    # 第八条、第九条 问责方式
    ("art8", combine(TRIGGER, {"conduct": {"gravity": "minor"}, "harm": {"public_reaction": "none", "influence": "none"}})),
    ("art8.organisation", combine(ORGANISATION, TRIGGER, {"conduct": {"gravity": "minor"}})),
    ("art9", combine(TRIGGER, {"conduct": {"gravity": "serious"}})),
    ("art9", combine(TRIGGER, {"conduct": {"gravity": "grave"}})),
    ("art9",  # 群众反映强烈、造成恶劣影响: both, whatever the gravity
     combine(TRIGGER, {"conduct": {"gravity": "minor"}, "harm": {"public_reaction": "strong", "influence": "serious"}})),
    # 第十条至第十三条 后果、移送与组织
    ("art10.party_discipline", combine(TRIGGER, {"legal": {"discipline_breach": "ordinary"}})),
    ("art10.party_discipline", combine(TRIGGER, {"legal": {"discipline_breach": "serious"}})),
    ("art10.public_office", combine(TRIGGER, {"legal": {"discipline_breach": "ordinary"}})),
    ("art10.judicial", combine(TRIGGER, {"legal": {"suspected_crime": True, "crime_related_to_duty": True}})),
    ("art11.follow_up", combine(TRIGGER, {"decision": {"discipline": ["party"]}})),
    ("art11.follow_up", combine(TRIGGER, {"decision": {"discipline": ["public_office"]}})),
    ("art12", ORGANISATION),
    ("art12", combine(ORGANISATION, {"subject": {"team_members_held_accountable": 2}})),
    ("art13.discipline",
     combine(TRIGGER, {"conduct": {"gravity": "serious"}, "decision": {"discipline": ["public_office"], "measures": ["transfer"]}})),
    ("art13.discipline", combine(TRIGGER, {"conduct": {"gravity": "serious"}, "decision": {"discipline": ["party"]}})),
    ("art13.reappointment_after_discipline", combine(TRIGGER, {"decision": {"discipline": ["party"]}})),
    ("art11.choice.combined", combine(TRIGGER, {"decision": {"discipline": ["party"], "measures": ["admonition"]}})),
    ("art11.choice.handling_due", combine(TRIGGER, {"conduct": {"gravity": "serious"}, "decision": {"discipline": ["party"]}})),
]
"""(rule id, patch over ``LEADING_CADRE``): the rule applies. The first row of each rule is its base case."""

BASE = base_cases(APPLIES)

CIRCUMSTANCES_WITH_CONDITIONS = [rid for rid in BASE if rid.startswith(("art6.", "art7."))]

# ------------------------------------------------------------------------------------ near misses
NEAR_MISSES: list[tuple[str, dict[str, Any], str]] = [
    # 第二条
    ("art2.leading_cadre", {"subject": {"is_leading_cadre": False}}, "领导干部 (a staff member without a leading post)"),
    ("art2.leading_cadre", {"subject": {"organisation_type": "public_institution"}}, "党政组织 (a public institution)"),
    ("art2.leading_cadre", {"subject": {"organisation_type": "state_owned_enterprise"}}, "党政组织 (a state-owned enterprise)"),
    ("art2.leading_cadre", {"subject": {"kind": "organisation"}}, "a person (the subject is an organisation)"),
    ("art2.organisation", {"subject": {"organisation_type": "public_institution"}}, "党政组织 (a public institution)"),
    ("art2.organisation", {"subject": {"organisation_type": "village_or_community"}}, "党政组织 (a village committee)"),
    ("art2.organisation", {"subject": {"kind": "person"}}, "an organisation (the subject is a person)"),
    # 第六条（一）
    ("art6.1", {"conduct": {"acts": ["slacking"]}}, "不严格执行决策部署…履职不力、处置不当、监管不到位 (the act)"),
    ("art6.1", {"harm": {"consequences": "adverse"}}, "造成严重不良后果 (adverse only)"),
    ("art6.1", {"harm": {"influence": "considerable"}}, "和恶劣影响 (considerable influence only; both are required)"),
    # 第六条（二）
    ("art6.2", {"conduct": {"acts": ["performing_duties_poorly"]}}, "变形走样、有令不行、欺瞒组织、弄虚作假 (the act)"),
    ("art6.2", combine(TRIGGER, {"context": {"directed_by_superiors": False}}),
     "在落实……决策部署上 (falsifying in work that carries out no decision from above)"),
    # 第六条（三）
    ("art6.3.risk_neglect", {"harm": {"loss": "some"}}, "遭受较大损失 (some loss only)"),
    ("art6.3.risk_neglect", {"conduct": {"fields": ["work_safety"]}}, "在防范化解重大风险中 (another field)"),
    ("art6.3.risk_neglect", {"conduct": {"acts": ["performing_duties_poorly"]}},
     "不重视、不落实、盲目举债、形象工程 (the act)"),
    ("art6.3.key_area_risk", {"conduct": {"fields": ["major_risks"]}, "findings": {"subject_in_open_list": False}},
     "金融、政府性债务、房地产、国有企业等 (an unlisted area the decision-maker finds not of the kind)"),
    ("art6.3.key_area_risk", {"conduct": {"fields": ["rural_revitalisation"]}}, "重点领域 (a field not of the kind)"),
    ("art6.3.key_area_risk", {"conduct": {"acts": ["cracking_down_weakly"]}}, "风险防范处置不当 (the act)"),
    ("art6.3.key_area_risk", {"harm": {"consequences": "adverse"}}, "造成严重不良后果 (adverse only)"),
    ("art6.3.weak_crackdown", {"conduct": {"fields": ["work_safety"]}}, "重大风险领域 (another field)"),
    ("art6.3.weak_crackdown", {"conduct": {"acts": ["performing_duties_poorly"]}}, "违规违法行为打击不力 (the act)"),
    # 第六条（四）
    ("art6.4.rural_lagging", {"conduct": {"fields": ["public_service"]}}, "在乡村振兴工作中 (another field)"),
    ("art6.4.rural_lagging", {"conduct": {"acts": ["formalism"]}}, "慵懒懈怠、推诿扯皮 (the act)"),
    ("art6.4.rural_lagging", {"performance": {"shortfalls": ["slow_progress"]}}, "工作严重滞后 (slow progress only)"),
    ("art6.4.benefit_funds", {"conduct": {"fields": ["rural_revitalisation"]}}, "惠民资金和项目 (another field)"),
    ("art6.4.benefit_funds", {"conduct": {"acts": ["slacking"]}}, "管理粗放、监管不严、弄虚作假、欺瞒上级 (the act)"),
    ("art6.4.persistent_harm", {"harm": {"effects": ["problem_recurred"]}}, "持续发生损害群众利益问题 (the effect)"),
    # 第六条（五）
    ("art6.5.tasks_unmet", {"conduct": {"fields": ["work_safety"]}}, "在生态环境保护和污染防治工作中 (another field)"),
    ("art6.5.tasks_unmet", {"conduct": {"acts": ["formalism"]}}, "不积极主动，推拖等靠 (the act)"),
    ("art6.5.tasks_unmet", {"performance": {"shortfalls": ["slow_progress"]}}, "重点任务不能如期完成 (slow progress only)"),
    ("art6.5.no_improvement", {"conduct": {"fields": ["ecology_environment"]}}, "污染防治工作 (ecology, not pollution control)"),
    ("art6.5.no_improvement", {"harm": {"effects": []}}, "延误 (no delay and no shortfall)"),
    ("art6.5.no_improvement", {"history": {"prior_measures": []}}, "被约谈提醒、通报批评后 (no earlier measure)"),
    ("art6.5.no_improvement", {"history": {"prior_measures": ["admonition"]}},
     "被约谈提醒、通报批评后 (only 诫勉: the encoding lists summons and circulated criticism alone)"),
    ("art6.5.no_improvement", {"history": {"correction_after_prior_measures": "corrected"}}, "仍无明显改观 (corrected)"),
    ("art6.5.lax_enforcement", {"conduct": {"fields": ["market_regulation"]}}, "在环境保护中 (another field)"),
    ("art6.5.lax_enforcement", {"conduct": {"acts": ["slacking"]}}, "监管不力、违法不纠、执法不严 (the act)"),
    # 第六条（六）
    ("art6.6.not_daring", {"conduct": {"fields": ["public_order"]}}, "在扫黑除恶专项斗争中 (another field)"),
    ("art6.6.not_daring", {"conduct": {"acts": ["slacking"]}}, "不敢抓、不敢管、不担责，工作推动不力 (the act)"),
    ("art6.6.not_daring", {"conduct": {"acts": ["shirking_responsibility"]}}, "工作推动不力 (timid, the drive not found weak)"),
    ("art6.6.not_daring", {"conduct": {"acts": ["performing_duties_poorly"]}}, "不敢抓、不敢管、不担责 (weak drive, not timidity)"),
    ("art6.6.weak_crackdown", {"conduct": {"fields": ["public_order"]}}, "打击黑恶势力犯罪 (another field)"),
    ("art6.6.weak_crackdown", {"conduct": {"acts": ["shirking_responsibility"]}}, "避重就轻、隐瞒不报、有案不查 (the act)"),
    ("art6.6.weak_crackdown", {"conduct": {"acts": ["concealing_or_not_reporting"]}},
     "打击不力 (concealment, the crackdown not found weak)"),
    ("art6.6.protective_umbrella", {"conduct": {"fields": ["law_enforcement"]}}, "涉黑涉恶腐败及“保护伞” (another field)"),
    ("art6.6.protective_umbrella", {"conduct": {"acts": ["slacking"]}}, "态度不坚决、处置不当 (the act)"),
    ("art6.6.protective_umbrella", {"harm": {"public_reaction": "none"}}, "社会反响强烈、群众意见较大 (no public reaction)"),
    # 第六条（七）
    ("art6.7", {"conduct": {"fields": ["rural_revitalisation"]}}, "安全生产…经济贸易等重点领域 (another field)"),
    ("art6.7", {"conduct": {"acts": ["slacking"]}}, "监管、监督责任不到位 (the act)"),
    ("art6.7", {"harm": {"consequences": "adverse", "influence": "considerable"}}, "造成严重不良后果或影响 (neither is serious)"),
    # 第六条（八）
    ("art6.8.rectification", {"conduct": {"acts": ["perfunctory"]}}, "敷衍整改、虚假整改、拒不整改 (findings not at issue)"),
    ("art6.8.subordinates_lie", {"conduct": {"acts": ["falsifying"]}}, "纵容、唆使…下级说假话 (falsified personally)"),
    # 第六条（九）
    ("art6.9", {"harm": {"public_reaction": "notable"}}, "群众反映强烈 (notable only)"),
    ("art6.9", {"conduct": {"acts": ["slacking"]}}, "不及时回应…消极应付…或引发群体性事件 (neither)"),
    ("art6.9", {"harm": {"consequences": "adverse"}}, "造成严重不良后果 (adverse only)"),
    ("art6.9", {"harm": {"influence": "considerable"}}, "和影响 (considerable influence only; both must be serious)"),
    # 第六条（十）
    ("art6.10.response", {"conduct": {"fields": ["work_safety"]}, "harm": {"major_accidents": [], "mass_incident": "none"},
                          "context": {"emergency": "none"}},
     "群体性、突发性事件、重大灾情疫情 (another field, no major accident, emergency or mass incident)"),
    ("art6.10.response", {"conduct": {"acts": ["slacking"]}}, "应对不力、处置不当、履职缺位 (the act)"),
    ("art6.10.response", {"harm": {"consequences": "adverse"}}, "造成严重后果 (adverse only)"),
    ("art6.10.concealment", {"conduct": {"fields": ["work_safety"]}, "harm": {"major_accidents": [], "mass_incident": "none"},
                             "context": {"emergency": "none"}},
     "群体性、突发性事件、重大灾情疫情 (another field, no major accident, emergency or mass incident)"),
    ("art6.10.concealment", {"conduct": {"acts": ["slacking"]}}, "知情不报、隐瞒实情、失责失察 (the act)"),
    ("art6.10.concealment", {"harm": {"influence": "considerable"}}, "造成严重不良影响 (considerable only)"),
    # 第七条
    ("art7.1", {"conduct": {"acts": ["slacking"]}}, "不及时传达学习、不认真研究贯彻、不积极推动落实 (the act)"),
    ("art7.1", {"harm": {"influence": "none", "consequences": "none"}}, "造成不良影响或后果 (neither)"),
    ("art7.2", {"conduct": {"acts": ["formalism"]}}, "消极怠工…不及时办理…未达到规定要求 (the act or shortfall)"),
    ("art7.2", {"performance": {"complaint_verified": False}}, "造成不良后果或被投诉经查证属实 (neither)"),
    ("art7.3", {"conduct": {"acts": ["formalism"]}}, "安于现状、不思进取、得过且过 (the attitude)"),
    ("art7.3", {"performance": {"shortfalls": ["slow_progress"]}}, "年度重点工作未完成或打不开局面 (slow progress only)"),
    ("art7.3", {"harm": {"effects": []}}, "影响全局工作 (annual key tasks unmet, the whole not affected)"),
    ("art7.3", {"performance": {"shortfalls": ["no_breakthrough"]}, "harm": {"effects": ["work_delayed"]}},
     "影响全局工作 (work stuck, the whole not affected)"),
    ("art7.4", {"conduct": {"acts": ["perfunctory"]}}, "作风漂浮、好大喜功、流于形式 (the act)"),
    ("art7.4", {"harm": {"effects": [], "public_reaction": "notable"}}, "贻误工作或群众反映强烈 (neither)"),
    ("art7.5", {"conduct": {"acts": ["lacking_competence"]}}, "导致不作为 (ability lacking, no inaction)"),
    ("art7.5", {"conduct": {"acts": ["not_deciding"]}}, "因组织领导能力弱、业务素质和决策水平低 (ability not the cause)"),
    ("art6.11", {"findings": {"other_circumstance": False}}, "其他不担当的情形 (the decision-maker finds it is not)"),
    ("art6.11", {"conduct": {"acts": ["interfering_in_market"]}}, "不担当 (active misconduct, outside the definition)"),
    ("art6.11", {"conduct": {"acts": ["retreating_from_danger", "falsifying"]}, "context": {"directed_by_superiors": True}},
     "其他 (a listed item, 6(2), is met)"),
    ("art7.6", {"findings": {"other_circumstance": False}}, "其他不作为的情形 (the decision-maker finds it is not)"),
    ("art7.6", {"conduct": {"acts": ["diligent_error"]}}, "不作为 (an error in diligent work, outside the definition)"),
    ("art7.6", {"conduct": {"acts": ["not_deciding", "complacent"]}, "performance": {"shortfalls": ["key_tasks_unmet"]},
                "harm": {"effects": ["overall_work_affected"]}},
     "其他 (a listed item, 7(3), is met)"),
    # 第八条、第九条
    ("art8", {"conduct": {"gravity": "serious"}}, "情节较轻 (serious)"),
    ("art8", ORGANISATION, "批评教育、诫勉 are for persons (an organisation: art8.organisation)"),
    ("art8.organisation", {"conduct": {"gravity": "serious"}}, "情节较轻 (serious)"),
    ("art8.organisation", {"subject": {"kind": "person", "is_leading_cadre": True}}, "党政组织 (a person: art8)"),
    ("art9", {"conduct": {"gravity": "minor"}, "harm": {"public_reaction": "notable", "influence": "considerable"}},
     "情节较重或群众反映强烈、造成恶劣影响 (none of them)"),
    ("art9", {"conduct": {"gravity": "minor"}, "harm": {"public_reaction": "strong", "influence": "adverse"}},
     "群众反映强烈、造成恶劣影响 (strong reaction, adverse influence only: both are required)"),
    ("art9", {"conduct": {"gravity": "minor"}, "harm": {"public_reaction": "notable", "influence": "serious"}},
     "群众反映强烈、造成恶劣影响 (vile influence, notable reaction only: both are required)"),
    ("art9", combine(ORGANISATION, {"conduct": {"gravity": "serious"}}), "组织调整或组织处理 is for persons (an organisation)"),
    # 第十条至第十三条
    ("art10.party_discipline", {"legal": {"discipline_breach": "none"}}, "应当给予党纪处分 (no breach of discipline)"),
    ("art10.party_discipline", {"subject": {"is_party_member": False}}, "党纪处分 needs a party member (not one)"),
    ("art10.party_discipline", NO_CIRCUMSTANCE, "本办法所列问责的情形 (no circumstance applies)"),
    ("art10.public_office", {"legal": {"discipline_breach": "none"}}, "应当给予政务处分 (no breach of discipline)"),
    ("art10.public_office", {"subject": {"is_state_functionary": False}}, "政务处分 needs a public official (not one)"),
    ("art10.judicial", {"legal": {"crime_related_to_duty": False}}, "职务犯罪 (a crime unrelated to duty)"),
    ("art10.judicial", {"legal": {"suspected_crime": False}}, "涉嫌 (no suspected crime)"),
    ("art10.judicial", NO_CIRCUMSTANCE, "本办法所列问责的情形 (no circumstance applies)"),
    ("art11.follow_up", {"decision": {"discipline": []}}, "受到党纪或政务处分 (no discipline imposed)"),
    ("art12", {"subject": {"team_members_held_accountable": 1}}, "多人 (one member only)"),
    ("art12", {"findings": {"open_number_reached": False}}, "多人 (the decision-maker finds three are not several here)"),
    ("art12", {"subject": {"team_functioning_impaired": False}}, "不能正常开展工作 (the team still works)"),
    ("art12", {"subject": {"kind": "person", "is_leading_cadre": True}}, "党组织和领导班子 (the subject is a person)"),
    ("art13.discipline", {"decision": {"discipline": []}}, "同时受到纪律处分 (no discipline imposed)"),
    ("art13.discipline", {"decision": {"measures": ["admonition"]}}, "同时 (discipline with admonition, no organisational handling)"),
    ("art13.reappointment_after_discipline", {"decision": {"discipline": []}}, "受到纪律处分 (no discipline imposed)"),
    ("art11.follow_up", {"subject": {"is_party_member": False}}, "党员干部 (not a party member)"),
    ("art11.choice.combined", {"decision": {"discipline": []}}, "合并使用 (no discipline imposed)"),
    ("art11.choice.handling_due", {"decision": {"measures": ["transfer"]}}, "未作组织处理 (handling was chosen)"),
    ("art11.choice.handling_due", {"decision": {"discipline": []}}, "受到党纪或政务处分 (no discipline imposed)"),
] + [
    (rid, OUTSIDE_CHARGE, "在管辖范围内 (outside the subject's charge)") for rid in CIRCUMSTANCES_WITH_CONDITIONS
]
"""(rule id, patch over the rule's base case in ``APPLIES``, the qualifier that is missing): the rule does not apply."""


# ------------------------------------------------------------------------------------ tables
def test_tables_cover_every_conditioned_rule() -> None:
    """Every Benxi rule with a ``when`` condition has an applying case and a near miss, and no row names a stray rule."""
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


def test_no_circumstance_rule_is_undetermined_on_a_near_miss() -> None:
    """The near misses are decided cases: no circumstance rule is left undetermined by a fact the tables forgot to set."""
    for rule_id, patch, _ in NEAR_MISSES:
        if rule_id in CIRCUMSTANCES_WITH_CONDITIONS:
            det = evaluate(KEY, case(BASE[rule_id], patch))
            assert det.step(rule_id).result != "undetermined"


# ------------------------------------------------------------------------------------ unknown facts
@pytest.mark.parametrize(
    ("rule_id", "unknown"),
    [
        ("art6.1", {"harm": {"influence": None}}),
        ("art6.3.risk_neglect", {"harm": {"loss": None}}),
        ("art6.9", {"harm": {"public_reaction": None}}),
        ("art6.5.no_improvement", {"history": {"correction_after_prior_measures": None}}),
        ("art2.leading_cadre", {"subject": {"is_leading_cadre": None}}),
        ("art10.judicial", {"legal": {"crime_related_to_duty": None}}),
    ],
)
def test_unknown_qualifier_leaves_rule_undetermined(rule_id: str, unknown: dict[str, Any]) -> None:
    """A qualifier left unknown makes the rule undetermined and names the fact as an open question, never a silent miss."""
    assert_undetermined_by(evaluate(KEY, case(BASE[rule_id], unknown)), rule_id, unknown)


# ------------------------------------------------------------------------------------ catch-alls
CATCH_ALLS = ("art6.11", "art7.6")

_covered_cases = [case(p) for _, p in APPLIES] + [case(BASE[r], p) for r, p, _ in NEAR_MISSES]
_covered_cases = [c for c in _covered_cases
                  if evaluate(KEY, c).scope.outcome == "covered" and "other_circumstance" not in c.get("findings", {})]


def _check_catch_alls(det: g.Determination) -> None:
    # Issue 13: the catch-alls ask for a finding (undetermined) on conduct within the general definitions and
    # are otherwise decided; they were formerly never evaluable. Without the finding they never apply.
    for rule_id in CATCH_ALLS:
        assert det.step(rule_id).result in ("undetermined", "does_not_apply", "not_reached")
        assert rule_id in det.catch_alls
    assert not {c.finding.rule_id for c in det.circumstances} & set(CATCH_ALLS)


@pytest.mark.parametrize("facts", _covered_cases)
def test_catch_alls_are_not_evaluable_on_every_table_case(facts: dict[str, Any]) -> None:
    """Without the decision-maker's finding the catch-alls never apply on a covered table case: at most they ask for it."""
    _check_catch_alls(evaluate(KEY, facts))


random_conduct = st.fixed_dictionaries({
    "conduct": st.fixed_dictionaries({
        "acts": subset(Act), "fields": subset(WorkField), "gravity": levels(Gravity),
        "within_responsibility": st.none() | st.booleans()}),
    "harm": st.fixed_dictionaries({
        "consequences": levels(ConsequenceLevel), "influence": levels(InfluenceLevel), "loss": levels(LossLevel),
        "public_reaction": levels(PublicReaction), "mass_incident": levels(MassIncident), "effects": subset(Effect)}),
    "performance": st.fixed_dictionaries({"shortfalls": subset(Shortfall), "complaint_verified": st.none() | st.booleans()}),
    "history": st.fixed_dictionaries({
        "prior_measures": subset(PriorMeasure), "correction_after_prior_measures": levels(Correction)}),
})


@given(random_conduct, st.booleans())
def test_catch_alls_are_not_evaluable_on_random_cases(patch: dict[str, Any], as_organisation: bool) -> None:
    """Whatever the conduct and harm, without the finding a covered subject's catch-alls never apply and stay out of the circumstances."""
    det = evaluate(KEY, case(ORGANISATION if as_organisation else {}, patch))
    assert det.scope.outcome == "covered"
    _check_catch_alls(det)


def test_catch_all_notice_when_no_item_applies() -> None:
    """A covered case with no conduct at all is a firm no; one with conduct of the kind and no item asks for the finding."""
    # Issue 13: formerly every case meeting no item got a general notice and a flat "not accountable"; now the
    # catch-alls say where the finding is needed (conduct within the general definitions) and where it is not.
    det = evaluate(KEY, case(NO_CIRCUMSTANCE))
    assert det.circumstances == ()
    assert det.sanctions.accountable is False
    assert {det.step(r).result for r in CATCH_ALLS} == {"does_not_apply"}
    det = evaluate(KEY, case(NO_CIRCUMSTANCE, {"conduct": {"acts": ["not_deciding"]}}))
    assert det.sanctions.accountable is None
    assert det.step("art7.6").result == "undetermined"
    assert any("findings.other_circumstance" in q.unknown_facts for q in det.open_questions if q.rule_id == "art7.6")


# ------------------------------------------------------------------------------------ defeasibility
def test_art9_defeats_art8_when_both_match() -> None:
    """A minor case with strong public reaction and vile influence meets both bands: art. 9 (shall) defeats art. 8 (may)."""
    det = evaluate(KEY, case(TRIGGER, {"conduct": {"gravity": "minor"}, "harm": {"public_reaction": "strong", "influence": "serious"}}))
    art8, art9 = det.step("art8"), det.step("art9")
    assert art8.result == "defeated"
    assert art8.defeated_by == ("art9",)
    assert art9.result == "applies"
    assert art9.defeats == ("art8",)
    assert [b.rule_id for b in det.sanctions.bands] == ["art9"]
    assert det.sanctions.measures == ("transfer", "resignation_taking_blame", "ordered_resignation", "removal", "demotion")
    assert det.sanctions.mandatory is True
    assert det.sanctions.open_ended is True


def test_art8_alone_gives_the_light_discretionary_range() -> None:
    """A minor case without strong reaction or vile influence gets art. 8's four light measures, at discretion."""
    det = evaluate(KEY, case(BASE["art8"]))
    assert det.step("art9").result == "does_not_apply"
    assert det.step("art8").defeated_by == ()
    assert det.sanctions.measures == ("criticism_education", "self_examination", "circulated_criticism", "admonition")
    assert det.sanctions.mandatory is False
    assert det.sanctions.discretionary is True


@pytest.mark.parametrize(
    ("harm", "measures"),
    [
        ({"public_reaction": "strong", "influence": "adverse"}, LIGHT),
        ({"public_reaction": "notable", "influence": "serious"}, LIGHT),
        ({"public_reaction": "strong", "influence": "serious"}, HEAVY),
    ],
)
def test_art9_needs_strong_reaction_and_vile_influence_together(harm: dict[str, Any], measures: tuple[str, ...]) -> None:
    """情节较重或者群众反映强烈、造成恶劣影响: a minor case needs both reaction and influence for art. 9, else art. 8 stands."""
    det = evaluate(KEY, case(TRIGGER, {"conduct": {"gravity": "minor"}, "harm": harm}))
    assert det.sanctions.measures == measures


def test_organisation_gets_only_the_measures_an_organisation_can_receive() -> None:
    """A party organ in a minor case may be ordered to self-examine or be circulated; 批评教育 and 诫勉 are for persons."""
    det = evaluate(KEY, case(BASE["art8.organisation"]))
    assert det.step("art8").result == "does_not_apply"
    assert [b.rule_id for b in det.sanctions.bands] == ["art8.organisation"]
    assert det.sanctions.measures == ("self_examination", "circulated_criticism")
    assert det.sanctions.mandatory is False


@pytest.mark.parametrize("rule_id", ["art8", "art9"])
def test_bands_are_not_reached_without_a_circumstance(rule_id: str) -> None:
    """Arts. 8 and 9 govern only 本办法所列应当问责的情形: with no circumstance met, neither band is reached."""
    det = evaluate(KEY, case(BASE[rule_id], NO_CIRCUMSTANCE))
    assert det.step(rule_id).result == "not_reached"
    assert det.sanctions.accountable is False
    assert det.sanctions.bands == ()
    assert det.sanctions.measures == ()


# ------------------------------------------------------------------------------------ organisations
def test_organisation_with_several_members_held_accountable_gets_reorganisation_statement() -> None:
    """A party organ with three team members held accountable and a team that cannot work is to be reorganised under art. 12."""
    det = evaluate(KEY, case(ORGANISATION))
    assert det.scope.outcome == "covered"
    assert det.scope.finding is not None
    assert det.scope.finding.rule_id == "art2.organisation"
    (statement,) = [s for s in det.statements if s.kind == "organisation"]
    assert statement.finding.rule_id == "art12"
    assert statement.text.zh == "及时对其党组织和领导班子进行改组或调整"
    assert statement.finding.citation.article == "第十二条"


def test_several_members_is_a_finding_not_a_number() -> None:
    """多人 fixes no number: two or more members ask the decision-maker's finding; one member is a firm no."""
    det = evaluate(KEY, case(ORGANISATION, {"findings": {"open_number_reached": None}}))
    assert det.step("art12").result == "undetermined"
    assert any(q.rule_id == "art12" and "findings.open_number_reached" in q.unknown_facts for q in det.open_questions)
    assert [s for s in det.statements if s.kind == "organisation"] == []
    one = evaluate(KEY, case(ORGANISATION, {"subject": {"team_members_held_accountable": 1}, "findings": {"open_number_reached": None}}))
    assert one.step("art12").result == "does_not_apply"


def test_person_never_gets_the_organisation_statement() -> None:
    """A leading cadre, even one facing art. 9 handling, gets no art. 12 reorganisation statement."""
    det = evaluate(KEY, case(BASE["art9"]))
    assert [s for s in det.statements if s.kind == "organisation"] == []


# ------------------------------------------------------------------------------------ scope
NOT_COVERED = [
    pytest.param({"subject": {"is_leading_cadre": False}}, id="non-leading-cadre"),
    pytest.param({"subject": {"organisation_type": "public_institution"}}, id="public-institution-leader"),
]


@pytest.mark.parametrize("who", NOT_COVERED)
def test_subject_outside_art2_is_not_covered_and_nothing_is_reached(who: dict[str, Any]) -> None:
    """A non-leading cadre, or a leader of a public institution, is not covered: every circumstance rule is not_reached."""
    facts = case(who, {"conduct": {"acts": ["falsifying", "performing_duties_poorly"], "gravity": "serious"},
                       "harm": {"consequences": "serious", "influence": "serious"}})
    det = evaluate(KEY, facts)
    assert det.scope.outcome == "not_covered"
    circumstance_rules = [s for s in det.trace if s.stage == "circumstance"]
    assert len(circumstance_rules) == 27  # 21 items of art. 6 and 6 of art. 7, catch-alls included
    assert {s.result for s in circumstance_rules} == {"not_reached"}
    assert det.circumstances == ()
    assert det.sanctions.accountable is False
    assert det.sanctions.measures == ()
    assert det.consequences == ()
    assert det.referrals == ()


# ------------------------------------------------------------------------------------ silence on exemption
def test_exemption_is_not_provided_even_for_a_reform_pilot() -> None:
    """Benxi has no exemption provision: a failed reform pilot's context facts give not_provided, and accountability stands."""
    facts = case(TRIGGER, {
        "conduct": {"acts": ["implementing_decisions_ineffectively"], "gravity": "minor"},
        "harm": {"influence": "adverse", "consequences": "adverse", "public_reaction": "none"},
        "context": {"reform_or_pilot": True, "lack_of_experience": True, "collective_decision_followed": True,
                    "diligent": True, "private_gain": False, "decided_per_higher_policy": True},
    })
    det = evaluate(KEY, facts)
    assert det.exemption.outcome == "not_provided"
    assert det.exemption.exemptions == ()
    assert det.exemption.statement is not None
    assert det.exemption.statement.zh == "本办法未规定容错免责情形：是否免责，本办法不作规定。"
    assert det.sanctions.accountable is True
    assert "art7.1" in det.applied()


# ------------------------------------------------------------------------------------ consequences
def test_removal_freezes_and_awards() -> None:
    """Removal from post bars an equivalent post for 12 months and promotion for 24, and costs that year's awards."""
    det = evaluate(KEY, case(BASE["art9"], {"decision": {"measures": ["removal"], "date": "2019-08-31"}}))
    (removal,) = det.consequences
    assert removal.measure == "removal"
    assert removal.chosen is True
    freezes = sorted((i.freeze.restriction, i.freeze.months) for i in removal.items if i.freeze is not None)
    assert freezes == [("equivalent_post", 12), ("promotion", 24)]
    awards = [i for i in removal.items if i.awards is not None]
    assert [(i.awards, i.rule_id) for i in awards] == [("lost_for_year", "art13.awards")]
    assert det.step("art13.transfer").result == "does_not_apply"
    assert det.step("art13.demotion").result == "does_not_apply"


CHOSEN_MEASURE_RULES = [
    ("transfer", {"art13.awards", "art13.transfer", "art9.circulation", "art13.reappointment"}),
    ("resignation_taking_blame",
     {"art13.awards", "art13.resignation_removal", "art9.circulation", "art13.placement", "art13.reappointment"}),
    ("ordered_resignation",
     {"art13.awards", "art13.resignation_removal", "art9.circulation", "art13.placement", "art13.reappointment"}),
    ("demotion", {"art13.awards", "art13.demotion", "art9.circulation", "art13.placement", "art13.reappointment"}),
    ("admonition", set()),
    ("circulated_criticism", set()),
]
MEASURE_RULES = {"art13.awards", "art13.transfer", "art13.resignation_removal", "art13.demotion", "art9.circulation",
                 "art13.placement", "art13.reappointment"}


@pytest.mark.parametrize(("measure", "expected"), CHOSEN_MEASURE_RULES)
def test_chosen_measure_draws_exactly_its_art13_consequences(measure: str, expected: set[str]) -> None:
    """Each chosen measure draws the art. 9/13 consequences listed for it and no other; light measures draw none."""
    det = evaluate(KEY, case(BASE["art9"], {"decision": {"measures": [measure]}}))
    applied = {r for r in MEASURE_RULES if det.step(r).result == "applies"}
    assert applied == expected
    assert {r for r in MEASURE_RULES if det.step(r).result == "does_not_apply"} == MEASURE_RULES - expected
    (chosen,) = det.consequences
    assert {i.rule_id for i in chosen.items} == expected


def test_discipline_imposed_adds_an_unfixed_influence_period() -> None:
    """Discipline imposed alongside handling adds a promotion freeze whose length this document leaves open."""
    det = evaluate(KEY, case(BASE["art13.discipline"]))
    (transfer,) = det.consequences
    (item,) = [i for i in transfer.items if i.rule_id == "art13.discipline"]
    assert item.freeze is not None
    assert item.freeze.restriction == "promotion"
    assert item.freeze.length == "not_fixed"
    assert item.freeze.months is None


def test_discipline_without_organisational_handling_draws_no_influence_period_from_art13() -> None:
    """同时受到纪律处分: discipline alone, in a minor case whose range is art. 8's light measures, draws no art. 13 freeze."""
    det = evaluate(KEY, case(TRIGGER, {"conduct": {"gravity": "minor"}, "harm": {"public_reaction": "none", "influence": "none"},
                                       "decision": {"discipline": ["party"]}}))
    assert det.step("art13.discipline").result == "does_not_apply"
    assert all(i.rule_id != "art13.discipline" for c in det.consequences for i in c.items)
    assert det.step("art13.reappointment_after_discipline").result == "applies"  # 组织处理或者纪律处分: either


def test_art13_has_no_always_modality() -> None:
    """Art. 13 has no 一律: every rule of the rule set reads shall, may or as warranted, none always."""
    assert {r.rule.modality for r in g.load(KEY).rules} <= {"shall", "may", "as_warranted"}


@pytest.mark.parametrize(
    ("suspected", "duty_related", "referred"),
    [(True, True, True), (True, False, False), (False, True, False), (False, False, False)],
)
def test_judicial_referral_needs_a_suspected_duty_related_crime(suspected: bool, duty_related: bool, referred: bool) -> None:
    """Referral to judicial organs needs both a suspected crime and that the crime relates to duty (职务犯罪)."""
    det = evaluate(KEY, case(TRIGGER, {"legal": {"suspected_crime": suspected, "crime_related_to_duty": duty_related}}))
    assert ("judicial_organs" in [r.to for r in det.referrals]) is referred
    assert result(KEY, case(TRIGGER, {"legal": {"suspected_crime": suspected, "crime_related_to_duty": duty_related}}),
                  "art10.judicial") == ("applies" if referred else "does_not_apply")


def test_party_and_public_office_referrals_for_a_party_member_official() -> None:
    """A breach of discipline by a party-member official leads to both party discipline and a public-office sanction."""
    det = evaluate(KEY, case(BASE["art10.party_discipline"]))
    assert sorted(r.to for r in det.referrals) == ["party_discipline", "public_office_discipline"]


def test_non_party_leading_cadre_gets_public_office_discipline_only() -> None:
    """A non-party leading cadre who breaches discipline is referred for a public-office sanction, not party discipline."""
    det = evaluate(KEY, case(BASE["art10.party_discipline"], {"subject": {"is_party_member": False}}))
    assert [r.to for r in det.referrals] == ["public_office_discipline"]
