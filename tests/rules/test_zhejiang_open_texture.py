"""Zhejiang's open texture: 一's catch-all asks for a finding, broad act words catch their narrower acts.

Part 一 defines 为官不为 (能力不足、担当精神缺乏、不作为等方面) and lists only its "main manifestations";
四.2's two lists end in 等 as well. A cadre's conduct within that definition that matches no listed form
is for the decision-maker's finding (``findings.other_circumstance``), never a flat "no"; conduct outside
it (为官乱为, an error in diligent work) is a firm no. The document has no 等 list of subjects, units or
fields that decides scope or a circumstance, so ``findings.subject_in_open_list`` is not read here.
"""

from __future__ import annotations

from typing import Any

import pytest

import guanzhi_rules as g
from guanzhi_rules import Determination
from guanzhi_rules._vocab import narrower
from tests.support import LEADING_CADRE, merge

KEY = "zhejiang"
FINDING = "findings.other_circumstance"


def case(*patches: dict[str, Any]) -> dict[str, Any]:
    """A leading cadre of a county party organ, not in a reform setting (三.5 decided), with the patches applied."""
    out = merge(LEADING_CADRE, {"context": {"reform_or_pilot": False}})
    for patch in patches:
        out = merge(out, patch)
    return out


def evaluate(*patches: dict[str, Any]) -> Determination:
    """The Zhejiang determination of ``case(*patches)``."""
    return g.load(KEY).evaluate(case(*patches))


def acts(*codes: str) -> dict[str, Any]:
    """A patch setting the conduct's acts."""
    return {"conduct": {"acts": list(codes)}}


def found(value: bool) -> dict[str, Any]:
    """A patch recording the decision-maker's finding under the catch-all."""
    return {"findings": {"other_circumstance": value}}


MINOR: dict[str, Any] = {"conduct": {"gravity": "minor"}, "harm": {"public_reaction": "none", "media_exposure": False},
                         "review": {"directed_rating": "none"}}
"""An incipient (苗头性) problem that nothing reported: 五.1's reminder alone."""

GRAVE: dict[str, Any] = {"conduct": {"gravity": "grave"}, "harm": {"influence": "considerable", "public_reaction": "none",
                                                                    "media_exposure": False}, "review": {"directed_rating": "none"}}
"""情节严重、影响较差, nothing reported: 五.1's admonition with 五.3's adjustments."""

WITHIN = [
    "formalism",
    "tolerating_violations",
    "not_responding_to_public",
    "not_implementing_decisions",
    "defying_orders",
    "not_requesting_instructions",
    "concealing_or_not_reporting",
    "retreating_from_danger",
    "not_cooperating",
    "not_rectifying_findings",
]
"""Acts within part 一's definition of 为官不为 that no listed form (一, 四.2) or 五.4 names."""

OUTSIDE = [
    "abusing_power",
    "interfering_in_market",
    "exceeding_powers",
    "falsifying",
    "vanity_projects",
    "major_decision_error",
    "four_winds",
    "diligent_error",
]
"""Acts outside the definition: misconduct in office (为官乱为) this document does not address, and a diligent error."""


# ------------------------------------------------------------------------------------ 一 catch-all (sec1.other)
@pytest.mark.parametrize("act", WITHIN)
def test_catch_all_asks_for_the_finding(act: str) -> None:
    """Inaction within part 一's definition that matches no item leaves sec1.other undetermined and accountability open."""
    det = evaluate(acts(act))
    assert det.step("sec1.other").result == "undetermined"
    assert det.circumstances == ()
    assert det.sanctions.accountable is None
    assert any(q.rule_id == "sec1.other" and FINDING in q.unknown_facts for q in det.open_questions)
    space = det.decision_space
    assert space is not None
    assert FINDING in space.points
    answers = {b.when[FINDING]: b.accountable for b in space.branches if FINDING in b.when}
    assert any(True in k and v is True for k, v in answers.items())
    assert any(False in k and v is False for k, v in answers.items())


@pytest.mark.parametrize("act", WITHIN)
def test_catch_all_applies_on_the_finding_with_the_minor_band(act: str) -> None:
    """Found to be another form of 为官不为, an incipient problem is accountable with 五.1's reminder (shall)."""
    det = evaluate(acts(act), found(True), MINOR)
    assert det.step("sec1.other").result == "applies"
    assert [c.finding.rule_id for c in det.circumstances] == ["sec1.other"]
    assert det.sanctions.accountable is True
    assert det.sanctions.measures == ("reminder",)
    assert det.sanctions.mandatory is True


def test_catch_all_applies_on_the_finding_with_the_grave_band() -> None:
    """Found to be another form, a grave case with rather bad influence gets admonition and 五.3's open list of adjustments."""
    det = evaluate(acts("formalism"), found(True), GRAVE)
    assert det.step("sec1.other").result == "applies"
    assert det.sanctions.accountable is True
    assert det.sanctions.measures == ("admonition", "transfer", "non_leading_post", "removal", "demotion")
    assert det.sanctions.open_ended is True


def test_catch_all_with_the_finding_but_gravity_unknown_shows_the_bands() -> None:
    """With the finding made and 情节 not stated, the decision space gives the band for each gravity."""
    det = evaluate(acts("formalism"), found(True), {"harm": {"public_reaction": "none", "media_exposure": False},
                                                    "review": {"directed_rating": "none"}})
    assert det.sanctions.accountable is True
    space = det.decision_space
    assert space is not None
    assert "conduct.gravity" in space.points
    by_gravity = {b.when["conduct.gravity"]: b.measures for b in space.branches if "conduct.gravity" in b.when}
    assert any("minor" in k and m == ("reminder",) for k, m in by_gravity.items())


@pytest.mark.parametrize("act", WITHIN)
def test_catch_all_found_not_to_apply_leaves_no_accountability(act: str) -> None:
    """Found not to be another form of 为官不为, the case meets no circumstance: not accountable."""
    det = evaluate(acts(act), found(False), MINOR)
    assert det.step("sec1.other").result == "does_not_apply"
    assert det.sanctions.accountable is False
    assert det.sanctions.measures == ()


@pytest.mark.parametrize("act", OUTSIDE)
def test_conduct_outside_the_definition_is_a_firm_no(act: str) -> None:
    """Misconduct in office or a diligent error is outside part 一's definition: the catch-all does not apply and asks nothing."""
    det = evaluate(acts(act), MINOR)
    assert det.step("sec1.other").result == "does_not_apply"
    assert det.sanctions.accountable is False
    assert not any(q.rule_id == "sec1.other" for q in det.open_questions)


@pytest.mark.parametrize("act", OUTSIDE)
def test_conduct_outside_the_definition_stays_no_even_if_found(act: str) -> None:
    """A finding cannot bring conduct outside the general definition under the catch-all."""
    det = evaluate(acts(act), found(True), MINOR)
    assert det.step("sec1.other").result == "does_not_apply"
    assert det.sanctions.accountable is False


def test_catch_all_is_not_asked_when_a_listed_form_applies() -> None:
    """Where a listed form (推诿扯皮) already makes the cadre accountable, the catch-all is not asked about."""
    det = evaluate(acts("passing_the_buck", "formalism"), MINOR)
    assert det.step("sec1.other").result == "does_not_apply"
    assert det.sanctions.accountable is True
    assert not any(FINDING in q.unknown_facts for q in det.open_questions)


# ------------------------------------------------------------------------------------ 四.2's open lists (等)
@pytest.mark.parametrize(
    "act",
    [
        pytest.param("not_responding_to_public", id="not-responding-to-public"),
        pytest.param("harsh_to_public", id="harsh-to-public"),
        pytest.param("not_cooperating", id="not-cooperating"),
    ],
)
def test_four_two_open_lists_share_the_catch_all(act: str) -> None:
    """Conduct of the kind 四.2's 庸懒散慢等 / 不遵守工作纪律、吃拿卡要、推诿扯皮等 lists is for the same finding, not a no."""
    det = evaluate(acts(act))
    assert det.step("sec4.2.lax_slow").result == "does_not_apply"
    assert det.step("sec1.other").result == "undetermined"
    assert det.sanctions.accountable is None
    assert det.exemption.outcome == "none"


def test_no_open_subject_list_in_this_document() -> None:
    """No rule reads findings.subject_in_open_list: the document has no 等 list of subjects, units or fields deciding scope."""
    ruleset = g.load(KEY)
    assert not any("subject_in_open_list" in repr(r.rule.when) for r in ruleset.rules)
    assert "subject_in_open_list" not in repr(ruleset.file.define)
    det = evaluate(acts("formalism"), {"findings": {"subject_in_open_list": True}})
    assert det.step("sec1.other").result == "undetermined"
    assert all("findings.subject_in_open_list" not in q.unknown_facts for q in det.open_questions)


# ------------------------------------------------------------------------------------ act structure
BROAD_RULES: list[tuple[str, str, dict[str, Any]]] = [
    ("sec1.inaction.duties", "performing_duties_poorly", {}),
    ("sec1.inaction.obstruction", "implementing_decisions_ineffectively", {}),
    ("sec5.4.negligence", "dereliction_of_duty", {"harm": {"consequences": "adverse"}}),
    ("sec5.4.party_discipline", "dereliction_of_duty", {"harm": {"consequences": "adverse"}}),
    ("sec5.4.public_office_discipline", "dereliction_of_duty", {"harm": {"consequences": "adverse"}}),
    ("sec5.4.judicial", "dereliction_of_duty", {"legal": {"suspected_crime": True}}),
]
"""(rule id, the broad act it names, its other qualifiers)."""

NARROWER_ROWS = [
    (rule_id, broad, str(act), extra)
    for rule_id, broad, extra in BROAD_RULES
    for act in sorted(narrower(broad), key=str)
    if str(act) != broad
]


@pytest.mark.parametrize(("rule_id", "broad", "act", "extra"), NARROWER_ROWS,
                         ids=[f"{r}-{a}" for r, _, a, _ in NARROWER_ROWS])
def test_narrower_act_gets_the_rule_of_the_broad_act(rule_id: str, broad: str, act: str, extra: dict[str, Any]) -> None:
    """A case coded with a narrower act gets the rule naming the broad act, and is never treated more leniently."""
    with_broad = evaluate(acts(broad), extra, MINOR)
    with_narrow = evaluate(acts(act), extra, MINOR)
    assert with_broad.step(rule_id).result == "applies"
    assert with_narrow.step(rule_id).result == "applies"
    assert with_narrow.sanctions.accountable is not False
    assert with_narrow.sanctions.accountable == with_broad.sanctions.accountable
    assert set(with_broad.sanctions.measures) <= set(with_narrow.sanctions.measures)
    assert {r.to for r in with_broad.referrals} <= {r.to for r in with_narrow.referrals}


def test_every_broad_act_rule_has_narrower_acts() -> None:
    """Each rule in the act-structure table names an act that has narrower ones, so the table tests something."""
    assert {r for r, _, _, _ in NARROWER_ROWS} == {r for r, _, _ in BROAD_RULES}


# ------------------------------------------------------------------------------------ done-when
DIRECTOR: dict[str, Any] = {
    "subject": {"organisation_type": "government_organ", "administrative_level": "county", "is_leading_cadre": True,
                "is_head_of_organisation": True},
    "conduct": {"within_responsibility": True, "gravity": None},
    "harm": {"influence": "adverse"},
}
"""A county bureau director acting within responsibility, with adverse influence and 情节 not stated."""


def test_supervision_coded_narrowly_gets_the_same_answer_as_poor_performance() -> None:
    """监管不到位 coded for a county bureau director gets exactly the 一 answer that 履职不力 gets, decision space included."""
    narrow = evaluate(DIRECTOR, acts("supervising_inadequately"))
    broad = evaluate(DIRECTOR, acts("performing_duties_poorly"))
    assert narrow.step("sec1.inaction.duties").result == "applies"
    assert [c.finding.rule_id for c in narrow.circumstances] == [c.finding.rule_id for c in broad.circumstances]
    assert narrow.sanctions.accountable is True
    assert (narrow.sanctions.accountable, narrow.sanctions.measures) == (broad.sanctions.accountable, broad.sanctions.measures)
    assert narrow.decision_space == broad.decision_space
    assert narrow.decision_space is not None
    assert "conduct.gravity" in narrow.decision_space.points


def test_dereliction_with_serious_consequences_is_accountable_under_five_four() -> None:
    """A case coded 失职渎职 with serious consequences meets 五.4 and is referred for party and public-office discipline."""
    det = evaluate(acts("dereliction_of_duty"), {"harm": {"consequences": "serious"}})
    assert det.step("sec5.4.negligence").result == "applies"
    assert [c.finding.rule_id for c in det.circumstances] == ["sec5.4.negligence"]
    assert det.sanctions.accountable is True
    assert sorted(r.to for r in det.referrals) == ["party_discipline", "public_office_discipline"]


@pytest.mark.parametrize("act", ["not_performing_statutory_duty", "neglecting_management"])
def test_five_four_catches_every_kind_of_dereliction(act: str) -> None:
    """Not performing statutory duties and negligent management are 失职渎职 and meet 五.4 with consequences."""
    det = evaluate(acts(act), {"harm": {"consequences": "adverse"}})
    assert det.step("sec5.4.negligence").result == "applies"


def test_five_four_does_not_take_poor_performance_alone() -> None:
    """工作不力 without irresponsibility is part 一's, not 五.4's: no discipline referral follows from it."""
    det = evaluate(acts("performing_duties_poorly"), {"harm": {"consequences": "serious"}})
    assert det.step("sec5.4.negligence").result == "does_not_apply"
    assert det.step("sec1.inaction.duties").result == "applies"
    assert det.referrals == ()


def test_five_four_needs_consequences_for_dereliction() -> None:
    """Dereliction without consequences does not meet 五.4 (造成后果), and is not asked under the catch-all either way."""
    det = evaluate(acts("dereliction_of_duty"), {"harm": {"consequences": "none"}})
    assert det.step("sec5.4.negligence").result == "does_not_apply"
    assert det.step("sec1.other").result == "undetermined"


def test_broad_word_of_one_is_not_met_by_unrelated_conduct() -> None:
    """履职不勤、工作不力 is not met by formalism, which is no kind of 工作不力 in the act structure."""
    det = evaluate(acts("formalism"))
    assert det.step("sec1.inaction.duties").result == "does_not_apply"


# ------------------------------------------------------------------------------------ 三.5 and diligent errors
REFORM: dict[str, Any] = {"context": {"reform_or_pilot": True, "goal_not_achieved": True, "decided_per_higher_policy": True,
                                      "diligent": True, "private_gain": False}}
"""A reform that missed its expected goal, decided per central and provincial policy, carried out diligently, with no private gain."""


def test_diligent_error_in_reform_is_exempt_and_no_inaction() -> None:
    """A diligent error in a reform that missed its goal is no 为官不为 and gets 三.5's 'no negative evaluation'."""
    det = evaluate(acts("diligent_error"), REFORM)
    assert det.step("sec1.other").result == "does_not_apply"
    assert det.circumstances == ()
    assert det.exemption.outcome == "granted"
    assert det.sanctions.accountable is False


def test_failed_reform_coded_otherwise_is_still_exempt() -> None:
    """三.5 does not require the act to be coded diligent_error: a failed reform coded 落实不力 is exempt too."""
    det = evaluate(acts("implementing_decisions_ineffectively"), REFORM)
    assert det.exemption.outcome == "granted"
    assert det.sanctions.accountable is False


def test_diligent_error_outside_reform_is_not_accountable_nor_exempt() -> None:
    """Outside reform a diligent error meets no circumstance (not 为官不为) and 三.5 does not apply."""
    det = evaluate(acts("diligent_error"))
    assert det.step("sec3.5").result == "does_not_apply"
    assert det.sanctions.accountable is False
    assert not any(q.rule_id == "sec1.other" for q in det.open_questions)


def test_reform_with_private_gain_is_not_exempt() -> None:
    """三.5's other conditions stay: private gain defeats the exemption for a failed reform coded as inaction."""
    det = evaluate(acts("implementing_decisions_ineffectively"), REFORM, {"context": {"private_gain": True}}, MINOR)
    assert det.exemption.outcome == "none"
    assert det.sanctions.accountable is True


def test_soliciting_benefits_asks_for_the_finding_rather_than_meeting_a_listed_form() -> None:
    """四.2 names 吃拿卡要 only as a target of spot checks, a detection method: no rule makes it accountable, the catch-all asks."""
    assert "sec4.2.spot_checks" not in {r.id for r in g.load(KEY).rules}
    det = evaluate(acts("soliciting_benefits"))
    assert det.circumstances == ()
    assert det.step("sec1.other").result == "undetermined"
    assert det.sanctions.accountable is None
    made = evaluate(acts("soliciting_benefits"), found(True), MINOR)
    assert made.step("sec1.other").result == "applies"
    assert evaluate(acts("soliciting_benefits"), found(False)).sanctions.accountable is False


@pytest.mark.parametrize(("missed", "outcome"), [(True, "granted"), (False, "none"), (None, "undetermined")])
def test_reform_exemption_tests_that_the_goal_was_missed(missed: bool | None, outcome: str) -> None:
    """三.5's premise 未能实现预期目标 is tested: met, exempt; goal not missed, no exemption; unknown, the exemption waits."""
    det = evaluate(acts("formalism", "performing_duties_poorly"), REFORM, {"context": {"goal_not_achieved": missed}}, MINOR)
    assert det.exemption.outcome == outcome
    assert det.sanctions.accountable is {"granted": False, "none": True, "undetermined": None}[outcome]
    if missed is None:
        assert any(q.rule_id == "sec3.5" and "context.goal_not_achieved" in q.unknown_facts for q in det.open_questions)
