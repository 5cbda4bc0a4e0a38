"""The Zhejiang rule set (中共浙江省委关于激励干部干事创业治理为官不为的若干意见) against cases built to meet, or just miss, each item.

Every rule with a ``when`` condition has a case on which it applies and, for each qualifier of
its text, a near miss: the same case with exactly that qualifier absent or too weak, on which
the rule must not apply. Near misses are written as a patch over the rule's first applying
case (``APPLIES``), so the only difference from a case that applies is the qualifier named.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import guanzhi_rules as g
from guanzhi_rules._vocab import Act, ConsequenceLevel, Correction, Gravity, InfluenceLevel, PriorMeasure, PublicReaction
from tests.support import (
    LEADING_CADRE,
    appears,
    assert_near_miss,
    assert_undetermined_by,
    base_cases,
    combine,
    evaluate,
    levels,
    result,
    row_ids,
    subset,
)

KEY = "zhejiang"

# ------------------------------------------------------------------------------------ building blocks
TRIGGER: dict[str, Any] = {"conduct": {"acts": ["performing_duties_poorly"]}}
"""Conduct meeting part 一's 履职不勤、工作不力, which has no harm qualifier: makes the cadre accountable."""

NEUTRAL_ACT: dict[str, Any] = {"conduct": {"acts": ["formalism"]}}
"""An act that no Zhejiang item names, used where a near miss replaces the listed act."""

NO_CIRCUMSTANCE: dict[str, Any] = {"conduct": {"acts": []}}
"""No act at all: every enumerated item is decided false."""

REFORM_PILOT: dict[str, Any] = {
    "context": {"reform_or_pilot": True, "goal_not_achieved": True, "decided_per_higher_policy": True, "diligent": True,
                "private_gain": False},
}
"""A reform that missed its goal, decided per central and provincial policy, carried out diligently, with no private gain."""

NEGLIGENCE: dict[str, Any] = {
    "conduct": {"acts": ["neglecting_management", "performing_duties_poorly"]},
    "harm": {"consequences": "adverse"},
}
"""Negligent management with adverse consequences (五.4), alongside part 一's poor performance of duties."""

NOT_REPORTED: dict[str, Any] = {"harm": {"public_reaction": "none", "media_exposure": False}, "review": {"directed_rating": "none"}}
"""No public complaint, no media exposure and no reports in a directed evaluation: nothing reported the inaction."""

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
}
"""A county party organ whose leadership team had three members held accountable and cannot work."""

ESCALATION: dict[str, Any] = {
    "conduct": {"gravity": "minor"},
    "harm": {"influence": "none"},
    "history": {"prior_measures": ["reminder"], "correction_after_prior_measures": "not_corrected"},
}
"""A minor problem without adverse influence that was not corrected after a reminder (五.3's second limb)."""


def case(*patches: dict[str, Any]) -> dict[str, Any]:
    """A leading cadre of a county party organ, not in a reform setting, with the patches applied.

    The reform context is stated because 三.5's exemption is mandatory: were it unknown, whether the
    cadre is accountable at all would be an open question.
    """
    return combine(LEADING_CADRE, {"context": {"reform_or_pilot": False}}, *patches)


# ------------------------------------------------------------------------------------ must apply
APPLIES: list[tuple[str, dict[str, Any]]] = [
    # 适用范围
    ("scope.cadre", {}),
    ("scope.cadre", {"subject": {"is_leading_cadre": False}}),  # a civil servant without a leading post
    ("scope.cadre", {"subject": {"organisation_type": "government_organ", "is_state_functionary": None}}),
    ("scope.cadre", {"subject": {"organisation_type": "public_institution"}}),
    ("scope.cadre", {"subject": {"organisation_type": "state_owned_enterprise", "is_state_functionary": False}}),
    ("scope.cadre", {"subject": {"organisation_type": "court", "is_leading_cadre": None}}),
    ("scope.organisation", ORGANISATION),
    ("scope.organisation", combine(ORGANISATION, {"subject": {"organisation_type": "public_institution"}})),
    # 一 能力不足
    ("sec1.ability", {"conduct": {"acts": ["lacking_competence"]}}),
    # 一 担当精神缺乏
    ("sec1.responsibility.peace_officer", {"conduct": {"acts": ["complacent"]}}),
    ("sec1.responsibility.peace_officer", {"conduct": {"acts": ["shirking_responsibility"]}}),
    ("sec1.responsibility.timid", {"conduct": {"acts": ["shirking_responsibility"]}}),
    ("sec1.responsibility.awaiting_instructions", {"conduct": {"acts": ["not_deciding"]}}),
    # 一 不作为
    ("sec1.inaction.duties", {"conduct": {"acts": ["performing_duties_poorly"]}}),
    ("sec1.inaction.passive", {"conduct": {"acts": ["perfunctory"]}}),
    ("sec1.inaction.buck_passing", {"conduct": {"acts": ["passing_the_buck"]}}),
    ("sec1.inaction.obstruction", {"conduct": {"acts": ["implementing_decisions_ineffectively"]}}),
    ("sec1.inaction.obstruction", {"conduct": {"acts": ["matters_not_handled_in_time"]}}),
    ("sec1.inaction.idling", {"conduct": {"acts": ["slacking"]}}),
    ("sec1.inaction.idling", {"conduct": {"acts": ["breaching_work_discipline"]}}),
    # 一 catch-all: inaction within the general definition, no listed form, on the decision-maker's finding
    ("sec1.other", {"conduct": {"acts": ["formalism"]}, "findings": {"other_circumstance": True}}),
    # 四.2 正风肃纪专项整治
    ("sec4.2.lax_slow", {"conduct": {"acts": ["complacent"]}}),
    ("sec4.2.lax_slow", {"conduct": {"acts": ["slacking"]}}),
    ("sec4.2.lax_slow", {"conduct": {"acts": ["breaching_work_discipline"]}}),
    ("sec4.2.lax_slow", {"conduct": {"acts": ["matters_not_handled_in_time"]}}),
    # 五.4 不负责任或者疏于管理
    ("sec5.4.negligence", {"conduct": {"acts": ["neglecting_management"]}, "harm": {"consequences": "adverse"}}),
    ("sec5.4.negligence", {"conduct": {"acts": ["neglecting_management"]}, "harm": {"consequences": "major"}}),
    # 三.5 容错免责
    ("sec3.5", combine(TRIGGER, REFORM_PILOT)),
    # 五.1 提醒、函询、诫勉
    ("sec5.1.reminder", combine(TRIGGER, {"conduct": {"gravity": "minor"}})),
    ("sec5.1.inquiry_letter", combine(TRIGGER, NOT_REPORTED, {"harm": {"public_reaction": "notable"}})),
    ("sec5.1.inquiry_letter", combine(TRIGGER, NOT_REPORTED, {"harm": {"public_reaction": "strong"}})),
    ("sec5.1.inquiry_letter", combine(TRIGGER, NOT_REPORTED, {"harm": {"media_exposure": True}})),
    ("sec5.1.inquiry_letter", combine(TRIGGER, NOT_REPORTED, {"review": {"directed_rating": "some_reports"}})),
    ("sec5.1.admonition", combine(TRIGGER, {"conduct": {"gravity": "serious"}, "harm": {"influence": "adverse"}})),
    ("sec5.1.admonition", combine(TRIGGER, {"conduct": {"gravity": "grave"}, "harm": {"influence": "major"}})),
    # 五.3 组织调整
    ("sec5.3", combine(TRIGGER, {"conduct": {"gravity": "grave"}, "harm": {"influence": "considerable"}})),
    ("sec5.3", combine(TRIGGER, {"conduct": {"gravity": "grave"}, "harm": {"influence": "serious"}})),
    ("sec5.3", combine(TRIGGER, {"conduct": {"gravity": "grave"}, "harm": {"influence": "adverse"}})),  # 影响较差 is no more than 不良
    ("sec5.3", combine(TRIGGER, ESCALATION)),
    ("sec5.3", combine(TRIGGER, ESCALATION,
                       {"history": {"prior_measures": ["admonition"], "correction_after_prior_measures": "not_obvious"}})),
    ("sec5.3", combine(TRIGGER, ESCALATION, {"history": {"prior_measures": ["education"]}})),
    ("sec5.3", combine(TRIGGER, ESCALATION, {"history": {"prior_measures": ["summoned_reminder"]}})),
    # 三.2、五.4 后果与移送
    ("sec3.2.no_peace_officers", {"conduct": {"acts": ["complacent"]}}),
    ("sec3.2.no_peace_officers", {"conduct": {"acts": ["slacking"]}}),
    ("sec5.4.party_discipline", NEGLIGENCE),
    ("sec5.4.party_discipline", combine(NEGLIGENCE, {"harm": {"consequences": "serious"}, "subject": {"is_state_functionary": False}})),
    ("sec5.4.public_office_discipline", NEGLIGENCE),
    ("sec5.4.public_office_discipline", combine(NEGLIGENCE, {"subject": {"is_party_member": False}})),
    (
        "sec5.4.judicial",
        combine(TRIGGER, {"conduct": {"acts": ["dereliction_of_duty", "performing_duties_poorly"]}, "legal": {"suspected_crime": True}}),
    ),
    ("sec5.4.judicial", {"conduct": {"acts": ["dereliction_of_duty"]}, "legal": {"suspected_crime": True}}),  # attaches: always
]
"""(rule id, patch over ``LEADING_CADRE``): the rule applies. The first row of each rule is its base case."""

BASE = base_cases(APPLIES)

CIRCUMSTANCES_WITH_CONDITIONS = [rid for rid in BASE if rid.startswith(("sec1.", "sec4.", "sec5.4.negligence"))]
EXPECTED_SCOPE = {"scope.organisation": "not_covered"}

# ------------------------------------------------------------------------------------ near misses
NEAR_MISSES: list[tuple[str, dict[str, Any], str]] = [
    # 适用范围
    (
        "scope.cadre",
        {"subject": {"is_leading_cadre": False, "is_state_functionary": False}},
        "干部 (neither a leading cadre nor a state functionary)",
    ),
    (
        "scope.cadre",
        {"subject": {"organisation_type": "village_or_community"}},
        "干部 of organs, institutions or SOEs (a village committee)",
    ),
    (
        "scope.cadre",
        {"subject": {"organisation_type": "authorised_organisation"}},
        "干部 of organs, institutions or SOEs (an entrusted organisation)",
    ),
    ("scope.cadre", {"subject": {"organisation_type": "other"}}, "干部 of organs, institutions or SOEs (another organisation)"),
    ("scope.cadre", {"subject": {"kind": "organisation"}}, "a person (the subject is an organisation)"),
    ("scope.organisation", {"subject": {"kind": "person", "is_leading_cadre": True}}, "an organisation (the subject is a person)"),
    # 一
    ("sec1.ability", NEUTRAL_ACT, "知识储备和能力素质不适应…本领恐慌，力不从心 (the trait)"),
    ("sec1.responsibility.peace_officer", NEUTRAL_ACT, "“太平官”“老好人”，改革攻坚意识不强 (the attitude)"),
    ("sec1.responsibility.peace_officer", {"conduct": {"acts": ["not_deciding"]}}, "“太平官”“老好人” (waiting for instructions only)"),
    ("sec1.responsibility.timid", {"conduct": {"acts": ["complacent"]}}, "畏首畏尾，不敢碰硬、不愿担责 (complacent, not timid)"),
    (
        "sec1.responsibility.awaiting_instructions",
        {"conduct": {"acts": ["shirking_responsibility"]}},
        "没有批示不办事、不见纪要不执行 (timid in general only)",
    ),
    ("sec1.inaction.duties", NEUTRAL_ACT, "履职不勤、工作不力 (the act)"),
    ("sec1.inaction.passive", NEUTRAL_ACT, "不催不办、不推不动 (the act)"),
    ("sec1.inaction.buck_passing", NEUTRAL_ACT, "推诿扯皮 (the act)"),
    (
        "sec1.inaction.obstruction",
        {"conduct": {"acts": ["not_implementing_decisions"]}},
        "“中梗阻” (outright refusal, not obstruction in the middle)",
    ),
    ("sec1.inaction.idling", NEUTRAL_ACT, "混日子或忙于私事 (the act)"),
    ("sec1.other", {"findings": {"other_circumstance": False}}, "the decision-maker's finding (found not another form)"),
    ("sec1.other", {"conduct": {"acts": ["abusing_power"]}}, "为官不为 (misconduct, outside the general definition)"),
    ("sec1.other", {"conduct": {"acts": ["diligent_error"]}}, "为官不为 (an error in diligent work)"),
    ("sec1.other", {"conduct": {"acts": ["formalism", "passing_the_buck"]}}, "其他 (a listed form applies)"),
    # 四.2
    ("sec4.2.lax_slow", NEUTRAL_ACT, "庸、懒、散、慢 (the act)"),
    # 五.4
    ("sec5.4.negligence", NEUTRAL_ACT, "不负责任或者疏于管理 (the act)"),
    ("sec5.4.negligence", {"harm": {"consequences": "none"}}, "造成后果 (no consequences)"),
    # 三.5
    ("sec3.5", {"context": {"reform_or_pilot": False}}, "改革创新 (not reform or innovation)"),
    ("sec3.5", {"context": {"goal_not_achieved": False}}, "未能实现预期目标 (the reform has not missed its goal)"),
    ("sec3.5", {"context": {"decided_per_higher_policy": False}}, "依照中央和省委有关精神决策、实施 (not per policy)"),
    ("sec3.5", {"context": {"diligent": False}}, "勤勉尽责 (not diligent)"),
    ("sec3.5", {"context": {"private_gain": True}}, "未牟取私利 (private gain)"),
    # 五.1
    ("sec5.1.reminder", {"conduct": {"gravity": "serious"}}, "苗头性倾向性问题 (serious, not incipient)"),
    ("sec5.1.inquiry_letter", {"harm": {"public_reaction": "none"}}, "有信访、举报及其他途径反映 (nothing reported)"),
    ("sec5.1.admonition", {"conduct": {"gravity": "minor"}}, "情节较重 (minor)"),
    ("sec5.1.admonition", {"harm": {"influence": "none"}}, "造成不良影响 (no influence)"),
    # 五.3
    ("sec5.3", {"conduct": {"gravity": "serious"}}, "情节严重 (serious only)"),
    ("sec5.3", {"harm": {"influence": "none"}}, "影响较差 (no adverse influence)"),
    (
        "sec5.3",
        combine(ESCALATION, {"history": {"prior_measures": ["inquiry_letter", "circulated_criticism"]}}),
        "经教育提醒、诫勉处理 (only an inquiry letter and circulated criticism before)",
    ),
    ("sec5.3", combine(ESCALATION, {"history": {"correction_after_prior_measures": "corrected"}}), "没有改正或改正不明显 (corrected)"),
    # 三.2、五.4
    (
        "sec3.2.no_peace_officers",
        {"conduct": {"acts": ["performing_duties_poorly"]}},
        "无所事事、碌碌无为 (poor performance, not idleness)",
    ),
    ("sec3.2.no_peace_officers", REFORM_PILOT, "accountability (exempted under 三.5)"),
    ("sec5.4.party_discipline", {"subject": {"is_party_member": False}}, "党纪处分 needs a party member (not one)"),
    ("sec5.4.party_discipline", TRIGGER, "不负责任或者疏于管理 (the act)"),
    ("sec5.4.party_discipline", {"harm": {"consequences": "none"}}, "造成后果 (no consequences)"),
    ("sec5.4.party_discipline", REFORM_PILOT, "accountability (exempted under 三.5)"),
    ("sec5.4.public_office_discipline", {"subject": {"is_state_functionary": False}}, "政纪处分 needs a state functionary (not one)"),
    ("sec5.4.public_office_discipline", TRIGGER, "不负责任或者疏于管理 (the act)"),
    ("sec5.4.public_office_discipline", {"harm": {"consequences": "none"}}, "造成后果 (no consequences)"),
    ("sec5.4.judicial", {"legal": {"suspected_crime": False}}, "涉嫌违法犯罪 (no suspected crime)"),
    ("sec5.4.judicial", TRIGGER, "严重失职渎职 (poor performance, not dereliction)"),
]
"""(rule id, patch over the rule's base case in ``APPLIES``, the qualifier that is missing): the rule does not apply."""


# ------------------------------------------------------------------------------------ tables
def test_tables_cover_every_conditioned_rule() -> None:
    """Every Zhejiang rule with a ``when`` condition has an applying case and a near miss, and no row names a stray rule."""
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
    assert det.scope.outcome == EXPECTED_SCOPE.get(rule_id, "covered")


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
        ("sec5.4.negligence", {"harm": {"consequences": None}}),
        ("sec3.5", {"context": {"diligent": None}}),
        ("sec3.5", {"context": {"goal_not_achieved": None}}),
        ("sec3.5", {"context": {"private_gain": None}}),
        ("sec5.1.reminder", {"conduct": {"gravity": None}}),
        ("sec5.1.inquiry_letter", {"harm": {"public_reaction": None}}),
        ("sec5.1.admonition", {"harm": {"influence": None}}),
        ("sec5.3", {"harm": {"influence": None}}),
        ("sec5.4.judicial", {"legal": {"suspected_crime": None}}),
    ],
)
def test_unknown_qualifier_leaves_rule_undetermined(rule_id: str, unknown: dict[str, Any]) -> None:
    """A qualifier left unknown makes the rule undetermined and names the fact as an open question, never a silent miss."""
    assert_undetermined_by(evaluate(KEY, case(BASE[rule_id], unknown)), rule_id, unknown)


def test_scope_is_undetermined_when_cadre_status_is_unknown() -> None:
    """A person whose leading-cadre and state-functionary status are both unknown is neither covered nor excluded."""
    det = evaluate(KEY, case({"subject": {"is_leading_cadre": None, "is_state_functionary": None}}))
    assert det.scope.outcome == "undetermined"
    assert det.step("scope.cadre").result == "undetermined"


def test_escalation_limb_is_undetermined_without_the_correction_fact() -> None:
    """After a reminder, 五.3 depends on whether the cadre corrected course: unknown correction leaves it undetermined."""
    det = evaluate(KEY, case(TRIGGER, ESCALATION, {"history": {"correction_after_prior_measures": None}}))
    assert det.step("sec5.3").result == "undetermined"
    assert det.step("sec5.1.reminder").result == "applies"


# ------------------------------------------------------------------------------------ exemption (三.5)
def test_failed_reform_pilot_is_exempt_and_nothing_follows() -> None:
    """A reform that missed its goal but met all four conditions is exempt (shall): no sanction, no discipline.

    The circumstances stay on record as matched; the exemption waives responsibility for them.
    """
    facts = case(NEGLIGENCE, REFORM_PILOT, {"conduct": {"gravity": "serious"}, "harm": {"influence": "adverse"}})
    det = evaluate(KEY, facts)
    assert det.exemption.outcome == "granted"
    assert [f.rule_id for f in det.exemption.exemptions] == ["sec3.5"]
    assert det.exemption.statement is not None
    assert det.exemption.statement.zh == "不作负面评价，依法免除相关责任"
    assert det.sanctions.accountable is False
    assert det.sanctions.measures == ()
    for band in ("sec5.1.reminder", "sec5.1.inquiry_letter", "sec5.1.admonition", "sec5.3"):
        assert det.step(band).result == "not_reached"
    # The circumstances still stand in the record: the exemption waives responsibility for them.
    assert {c.finding.rule_id for c in det.circumstances} == {"sec1.inaction.duties", "sec5.4.negligence"}
    assert det.referrals == ()
    assert det.statements == ()


def test_exemption_does_not_waive_judicial_referral() -> None:
    """An exempt reform pilot suspected of a dereliction crime is still referred to judicial organs: 依法免除 cannot waive criminal law."""
    facts = case(
        REFORM_PILOT, {"conduct": {"acts": ["dereliction_of_duty", "performing_duties_poorly"]}, "legal": {"suspected_crime": True}}
    )
    det = evaluate(KEY, facts)
    assert det.exemption.outcome == "granted"
    assert [r.to for r in det.referrals] == ["judicial_organs"]


@pytest.mark.parametrize(
    "failing",
    [
        pytest.param({"reform_or_pilot": False}, id="not-reform"),
        pytest.param({"decided_per_higher_policy": False}, id="not-per-policy"),
        pytest.param({"diligent": False}, id="not-diligent"),
        pytest.param({"private_gain": True}, id="private-gain"),
    ],
)
def test_failed_reform_pilot_missing_one_condition_stays_accountable(failing: dict[str, Any]) -> None:
    """With any one of 三.5's four conditions failing there is no exemption, and the admonition band stands."""
    facts = case(REFORM_PILOT, TRIGGER, {"context": failing, "conduct": {"gravity": "serious"}, "harm": {"influence": "adverse"}})
    det = evaluate(KEY, facts)
    assert det.step("sec3.5").result == "does_not_apply"
    assert det.exemption.outcome == "none"
    assert det.sanctions.accountable is True
    assert det.step("sec1.inaction.duties").result == "applies"
    assert det.sanctions.measures == ("admonition",)
    assert det.sanctions.mandatory is True


def test_unknown_exemption_condition_leaves_exemption_undetermined() -> None:
    """A reform pilot whose diligence is unknown is reported as an open exemption question, not as granted."""
    det = evaluate(KEY, case(TRIGGER, REFORM_PILOT, {"context": {"diligent": None}}))
    assert det.exemption.outcome == "undetermined"
    assert any(q.rule_id == "sec3.5" and "context.diligent" in q.unknown_facts for q in det.open_questions)


# ------------------------------------------------------------------------------------ sanction bands (五.1, 五.3)
def test_reminder_alone_is_mandatory() -> None:
    """An incipient (minor) problem with nothing reported gets a reminder, which the text makes mandatory (要及时进行提醒)."""
    det = evaluate(KEY, case(TRIGGER, NOT_REPORTED, {"conduct": {"gravity": "minor"}, "harm": {"influence": "none"}}))
    assert [b.rule_id for b in det.sanctions.bands] == ["sec5.1.reminder"]
    assert det.sanctions.measures == ("reminder",)
    assert det.sanctions.mandatory is True
    assert det.sanctions.discretionary is False


def test_inquiry_letter_alone_is_discretionary() -> None:
    """A reported problem that is neither minor nor serious-with-influence gets only the 视情 inquiry letter, at discretion."""
    det = evaluate(
        KEY, case(TRIGGER, NOT_REPORTED, {"harm": {"media_exposure": True, "influence": "none"}, "conduct": {"gravity": "serious"}})
    )
    assert [b.rule_id for b in det.sanctions.bands] == ["sec5.1.inquiry_letter"]
    (band,) = det.sanctions.bands
    assert band.modality == "as_warranted"
    assert det.sanctions.mandatory is False
    assert det.sanctions.discretionary is True


def test_grave_case_combines_admonition_with_adjustment() -> None:
    """A grave case with considerable influence meets 诫勉 (shall) and 组织调整 (视情); adjustment does not defeat admonition."""
    det = evaluate(KEY, case(TRIGGER, NOT_REPORTED, {"conduct": {"gravity": "grave"}, "harm": {"influence": "considerable"}}))
    assert det.step("sec5.1.admonition").result == "applies"
    assert det.step("sec5.1.admonition").defeated_by == ()
    assert det.step("sec5.3").result == "applies"
    assert det.sanctions.measures == ("admonition", "transfer", "non_leading_post", "removal", "demotion")
    assert det.sanctions.mandatory is True
    assert det.sanctions.open_ended is True
    assert det.sanctions.discretionary is True


@pytest.mark.parametrize(("gravity", "adjustment"), [("grave", True), ("serious", False)])
def test_grave_case_with_adverse_influence_reaches_adjustment(gravity: str, adjustment: bool) -> None:
    """情节严重、影响较差: the step up from 五.1 is the gravity; grave with adverse influence reaches 五.3, serious stays at 诫勉."""
    det = evaluate(KEY, case(TRIGGER, NOT_REPORTED, {"conduct": {"gravity": gravity}, "harm": {"influence": "adverse"}}))
    assert det.step("sec5.1.admonition").result == "applies"
    assert (det.step("sec5.3").result == "applies") is adjustment
    expected = ("admonition", "transfer", "non_leading_post", "removal", "demotion") if adjustment else ("admonition",)
    assert det.sanctions.measures == expected


def test_failed_correction_defeats_the_reminder() -> None:
    """A minor problem left uncorrected after a reminder is no longer incipient: 五.3 defeats 五.1's reminder."""
    det = evaluate(KEY, case(TRIGGER, NOT_REPORTED, ESCALATION))
    reminder, adjustment = det.step("sec5.1.reminder"), det.step("sec5.3")
    assert reminder.result == "defeated"
    assert reminder.defeated_by == ("sec5.3",)
    assert adjustment.defeats == ("sec5.1.reminder",)
    assert [b.rule_id for b in det.sanctions.bands] == ["sec5.3"]
    assert det.sanctions.measures == ("transfer", "non_leading_post", "removal", "demotion")
    assert det.sanctions.mandatory is False


@pytest.mark.parametrize("rule_id", ["sec5.1.reminder", "sec5.1.admonition", "sec5.3"])
def test_bands_are_not_reached_without_a_circumstance(rule_id: str) -> None:
    """The measures of part 五 are for 为官不为: with no circumstance met, no band is reached."""
    det = evaluate(KEY, case(BASE[rule_id], NO_CIRCUMSTANCE))
    assert det.step(rule_id).result == "not_reached"
    assert det.sanctions.accountable is False
    assert det.sanctions.measures == ()


def test_ladder_orders_the_measures_of_part_five() -> None:
    """The ladder runs 提醒 < 函询 < 诫勉 < 调离岗位 < 改任非领导职务 < 免职 < 降职, one rung each."""
    ladder = g.load(KEY).ladder
    assert [(s.measure.value, s.rung) for s in ladder.steps] == [
        ("reminder", 1),
        ("inquiry_letter", 2),
        ("admonition", 3),
        ("transfer", 4),
        ("non_leading_post", 5),
        ("removal", 6),
        ("demotion", 7),
    ]


# ------------------------------------------------------------------------------------ consequences
@pytest.mark.parametrize(
    ("measure", "expected"),
    [
        ("inquiry_letter", {"sec5.1.inquiry_follow_up", "sec5.1.files"}),
        ("admonition", {"sec5.1.files"}),
        ("reminder", set()),
        ("removal", set()),
    ],
)
def test_chosen_measure_draws_exactly_its_consequences(measure: str, expected: set[str]) -> None:
    """函询 is filed and followed up, 诫勉 is filed; reminders and adjustments carry no consequence in this document."""
    det = evaluate(KEY, case(TRIGGER, {"decision": {"measures": [measure]}}))
    (chosen,) = det.consequences
    assert chosen.chosen is True
    assert {i.rule_id for i in chosen.items} == expected
    assert all(i.freeze is None for i in chosen.items)


def test_no_influence_period_is_invented() -> None:
    """No rule carries a freeze: the determination says the length of any influence period is not fixed by this document."""
    ruleset = g.load(KEY)
    assert not any(e.freeze for r in ruleset.rules for e in r.rule.then)
    det = evaluate(
        KEY, case(TRIGGER, {"conduct": {"gravity": "grave"}, "harm": {"influence": "serious"}, "decision": {"measures": ["demotion"]}})
    )
    assert det.general_consequences == ()
    assert any(t.zh.startswith("本意见未规定影响期") for t in det.not_decided)


def test_not_decided_lists_the_four_silences() -> None:
    """Influence-period length, aggravating and mitigating factors and procedure are stated as not provided."""
    assert {s.topic for s in g.load(KEY).file.silent_on} == {"freeze_length", "aggravating", "mitigating", "procedure"}
    det = evaluate(KEY, case(TRIGGER))
    assert len(det.not_decided) == 4
    assert det.factors == ()


def test_typical_case_circulation_is_a_discretionary_statement() -> None:
    """An accountable cadre's case may be circulated as a typical case, internally or publicly, at the decision-maker's judgement."""
    det = evaluate(KEY, case(TRIGGER))
    (statement,) = [s for s in det.statements if s.finding.rule_id == "sec5.2.circulation"]
    assert statement.finding.modality == "as_warranted"
    assert result(KEY, case(NO_CIRCUMSTANCE), "sec5.2.circulation") == "does_not_apply"


def test_negligence_alone_leads_to_both_disciplinary_referrals() -> None:
    """Negligent management with consequences, no part 一 behaviour, is accountable and referred for party and public-office discipline."""
    det = evaluate(KEY, case({"conduct": {"acts": ["neglecting_management"]}, "harm": {"consequences": "adverse"}}))
    assert [c.finding.rule_id for c in det.circumstances] == ["sec5.4.negligence"]
    assert sorted(r.to for r in det.referrals) == ["party_discipline", "public_office_discipline"]


# ------------------------------------------------------------------------------------ scope
def test_organisation_is_not_covered_and_nothing_is_reached() -> None:
    """An organisation is not a subject under this document: scope says why, and no circumstance or band is reached."""
    det = evaluate(KEY, case(ORGANISATION, TRIGGER, {"conduct": {"gravity": "grave"}, "harm": {"influence": "serious"}}))
    assert det.scope.outcome == "not_covered"
    assert det.scope.finding is not None
    assert det.scope.finding.rule_id == "scope.organisation"
    assert {s.result for s in det.trace if s.stage not in ("scope",)} == {"not_reached"}
    assert det.statements == ()


@pytest.mark.parametrize(
    "who",
    [
        pytest.param({"subject": {"organisation_type": "village_or_community"}}, id="village-cadre"),
        pytest.param({"subject": {"is_leading_cadre": False, "is_state_functionary": False}}, id="non-cadre-employee"),
    ],
)
def test_person_outside_the_cadre_corps_is_not_covered(who: dict[str, Any]) -> None:
    """A village cadre, or an employee who is neither a leading cadre nor a state functionary, is not covered."""
    det = evaluate(KEY, case(who, TRIGGER, {"conduct": {"gravity": "serious"}, "harm": {"influence": "adverse"}}))
    assert det.scope.outcome == "not_covered"
    assert det.circumstances == ()
    assert det.sanctions.accountable is False


# ------------------------------------------------------------------------------------ catch-all
def test_catch_all_notice_when_no_item_applies() -> None:
    """A covered case of inaction meeting no item leaves 为官不为的其他表现 undetermined, asking for the decision-maker's finding.

    Changed from the closed-world reading (not_evaluable and accountable False): formalism is within part 一's
    general definition of 为官不为, so whether it is another form of it is for a finding, not a flat no.
    """
    det = evaluate(KEY, case(NEUTRAL_ACT))
    assert det.step("sec1.other").result == "undetermined"
    assert det.circumstances == ()
    assert det.sanctions.accountable is None
    assert any(q.rule_id == "sec1.other" and "findings.other_circumstance" in q.unknown_facts for q in det.open_questions)


random_case = st.fixed_dictionaries(
    {
        "conduct": st.fixed_dictionaries({"acts": subset(Act), "gravity": levels(Gravity)}),
        "harm": st.fixed_dictionaries(
            {"consequences": levels(ConsequenceLevel), "influence": levels(InfluenceLevel), "public_reaction": levels(PublicReaction)}
        ),
        "history": st.fixed_dictionaries({"prior_measures": subset(PriorMeasure), "correction_after_prior_measures": levels(Correction)}),
        "context": st.fixed_dictionaries(
            {
                "reform_or_pilot": st.none() | st.booleans(),
                "decided_per_higher_policy": st.none() | st.booleans(),
                "diligent": st.none() | st.booleans(),
                "private_gain": st.none() | st.booleans(),
            }
        ),
    }
)


@given(random_case)
def test_invariants_on_random_cases(patch: dict[str, Any]) -> None:
    """Whatever the facts: no finding, so the catch-all never applies; a granted exemption leaves no measure, discipline or statement."""
    det = evaluate(KEY, case(patch))
    assert det.step("sec1.other").result != "applies"  # was == "not_evaluable": it now asks for the finding (undetermined)
    assert "sec1.other" not in {c.finding.rule_id for c in det.circumstances}
    if det.exemption.outcome == "granted":
        assert det.sanctions.accountable is False
        assert det.sanctions.measures == ()
        assert {r.to for r in det.referrals} <= {"judicial_organs"}
        assert det.statements == ()


# ------------------------------------------------------------------------------------ citations
def test_every_quote_is_verbatim_in_the_source() -> None:
    """Every rule and ladder citation quotes rules/sources/zhejiang.txt verbatim, whitespace aside."""
    ruleset = g.load(KEY)
    source = ruleset.path.parent / "sources" / ruleset.file.document.source
    text = re.sub(r"\s+", "", source.read_text(encoding="utf-8"))
    citations = [r.rule.citation for r in ruleset.rules] + list(ruleset.ladder.citations)
    missing = [c.quote for c in citations if re.sub(r"\s+", "", c.quote) not in text]
    assert missing == []
    assert {c.article for c in citations} <= {"一", "二", "三", "四", "五"}
