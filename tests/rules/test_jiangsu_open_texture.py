"""Jiangsu (苏办发〔2015〕48号): the open texture of arts. 6-8, 15 and 23, as issue 13 asks it to be read.

- The catch-alls 第七条（十）、第八条（十） (其他为官不为的情形) ask for the decision-maker's finding
  (``findings.other_circumstance``) on conduct within art. 6's general definition of 为官不为, and give a
  firm "no" only outside it.
- A rule quoting a broad act word catches every narrower act (the act structure); one quoting a narrow
  word does not catch the broad one, which goes to the catch-all instead.
- Art. 23 tolerates 失误: errors in diligent work, not inaction that happened during a reform.
- Jiangsu has no list of subjects, units or fields ending in 等 that decides scope or a circumstance.
"""

from __future__ import annotations

from typing import Any

import pytest

import guanzhi_rules as g
from guanzhi_rules._conditions import Comparison, walk
from guanzhi_rules._vocab import Act, narrower
from tests.rules.test_jiangsu import APPLIES, FUNCTIONARY
from tests.support import LEADING_CADRE, applies_or_gives_way, evaluate
from tests.support import merge as _merge

KEY = "jiangsu"
FINDING = "findings.other_circumstance"
LIGHT = ("reminder", "inquiry_letter", "admonition")
HEAVY = ("transfer", "ordered_resignation", "removal", "demotion", "dismissal")

SETTLED: dict[str, Any] = {
    "inquiry": {"allegation": "none"},
    "context": {"reform_or_pilot": False, "exploratory_trial": False},
}
"""Facts that settle the exemptions (no allegation to be false; no reform), so only the catch-all stays open."""

ROAD_PROJECT: dict[str, Any] = {
    "id": "county-rural-road-poor-performance",
    "summary": (
        "县交通运输局局长负责本县农村公路提档升级工程。工程推进中组织协调、督促检查工作不力，部分路段施工质量不达标、"
        "工期拖延，群众有意见，造成不良影响。问题由县委督查室督查发现。"
    ),
    "subject": {
        "kind": "person",
        "organisation_type": "government_organ",
        "administrative_level": "county",
        "performs_public_functions": True,
        "is_leading_cadre": True,
        "is_head_of_organisation": True,
        "is_management_staff": False,
        "is_state_functionary": True,
        "is_party_member": True,
        "rank": "section",
        "on_probation": False,
        "in_leadership_team": True,
        "on_promotion_shortlist": False,
        "on_reserve_list": False,
    },
    "conduct": {
        "acts": ["performing_duties_poorly"],
        "fields": ["rural_revitalisation", "project_construction"],
        "within_responsibility": True,
        "joint_matter_role": "none",
        "knowingly": False,
        "persisted_after_prohibition": False,
    },
    "harm": {
        "influence": "adverse",
        "public_reaction": "notable",
        "media_exposure": False,
        "mass_incident": "none",
        "major_accidents": [],
        "harmed_interests": ["public"],
        "effects": [],
    },
    "performance": {"shortfalls": []},
    "history": {"prior_measures": []},
    "review": {"directed_rating": "none"},
    "context": {"reform_or_pilot": False, "exploratory_trial": False, "emergency": "none", "diligent": False},
    "inquiry": {"allegation": "none"},
    "legal": {"discipline_breach": "none", "unlawful": False, "suspected_crime": False},
}
"""A county transport bureau director whose work on a rural road project was poorly performed, with adverse
influence; the report states neither 情节 nor any article (facts only)."""


def merge(base: dict[str, Any], *patches: dict[str, Any]) -> dict[str, Any]:
    """``tests.support.merge`` with several patches, applied in order."""
    for patch in patches:
        base = _merge(base, patch)
    return base


def _question_names(det: g.Determination, rule_id: str, fact: str) -> bool:
    """Whether an open question of the rule names the fact."""
    return any(q.rule_id == rule_id and fact in q.unknown_facts for q in det.open_questions)


# ---------------------------------------------------------------------------- the done-when case


def test_poorly_performed_road_project_needs_a_finding() -> None:
    """Poor performance matching no listed item is undetermined on the art. 7(10)/8(10) finding, never "not accountable"."""
    det = evaluate(KEY, ROAD_PROJECT)
    assert det.scope.outcome == "covered"
    assert det.circumstances == ()
    assert det.step("art7.10").result == "undetermined"
    assert det.step("art8.10").result == "undetermined"
    assert det.sanctions.accountable is None
    assert _question_names(det, "art7.10", FINDING)
    assert _question_names(det, "art8.10", FINDING)


def test_road_project_decision_space_shows_the_bands() -> None:
    """Once the finding is made, 情节较轻 gives art. 15's light band and 较重/严重 the heavy one; without it, no accountability."""
    space = evaluate(KEY, ROAD_PROJECT).decision_space
    assert space is not None
    assert set(space.points) == {FINDING, "conduct.gravity"}
    by_answer = {}
    for branch in space.branches:
        for finding in branch.when[FINDING]:
            for gravity in branch.when.get("conduct.gravity", ("minor", "serious", "grave")):
                by_answer[(finding, gravity)] = branch
    for gravity in ("minor", "serious", "grave"):
        assert by_answer[(False, gravity)].accountable is False
        assert by_answer[(False, gravity)].measures == ()
    light = by_answer[(True, "minor")]
    assert (light.accountable, light.measures, light.bands, light.mandatory) == (True, LIGHT, ("art15.light",), True)
    assert set(light.circumstances) == {"art7.10", "art8.10"}
    for gravity in ("serious", "grave"):
        heavy = by_answer[(True, gravity)]
        assert (heavy.accountable, heavy.measures, heavy.bands) == (True, HEAVY, ("art15.heavy",))


def test_road_project_with_the_finding_made() -> None:
    """With the finding recorded and 情节较轻, the catch-alls apply and the light measures with an order to correct follow."""
    det = evaluate(KEY, merge(ROAD_PROJECT, {"findings": {"other_circumstance": True}, "conduct": {"gravity": "minor"}}))
    assert {c.finding.rule_id for c in det.circumstances} == {"art7.10", "art8.10"}
    assert det.sanctions.accountable is True
    assert det.sanctions.measures == LIGHT
    assert det.decision_space is None


# ---------------------------------------------------------------------------- the catch-alls, one by one

CATCH_ALLS = [
    # a leading cadre whose conduct (poor performance) is within art. 6 and matches no item of art. 7 or 8
    pytest.param("art7.10", merge(LEADING_CADRE, {"conduct": {"acts": ["performing_duties_poorly"]}}), id="7.10-poor-performance"),
    # a leading cadre who failed to protect the public's lives and property: inaction matching no item
    pytest.param("art7.10", merge(LEADING_CADRE, {"conduct": {"acts": ["not_protecting_public"]}}), id="7.10-public-unprotected"),
    # a functionary whose supervision was lax, without violations left unstopped (so not art. 8(7))
    pytest.param("art8.10", merge(FUNCTIONARY, {"conduct": {"acts": ["supervising_inadequately"]}}), id="8.10-lax-supervision"),
    # a functionary who did not honour a public commitment on time
    pytest.param("art8.10", merge(FUNCTIONARY, {"conduct": {"acts": ["public_commitment_unmet"]}}), id="8.10-commitment-unmet"),
]


@pytest.mark.parametrize(("rule_id", "case"), CATCH_ALLS)
def test_catch_all_asks_for_the_finding(rule_id: str, case: dict[str, Any]) -> None:
    """Conduct within art. 6 matching no item leaves the catch-all undetermined, accountability open and the finding asked."""
    det = evaluate(KEY, merge(case, SETTLED))
    assert det.circumstances == ()
    assert det.step(rule_id).result == "undetermined"
    assert det.sanctions.accountable is None
    assert _question_names(det, rule_id, FINDING)
    assert det.decision_space is not None
    assert FINDING in det.decision_space.points
    assert {b.accountable for b in det.decision_space.branches if b.when.get(FINDING) == (False,)} == {False}


@pytest.mark.parametrize(("rule_id", "case"), CATCH_ALLS)
@pytest.mark.parametrize(("gravity", "measures", "band"), [("minor", LIGHT, "art15.light"), ("serious", HEAVY, "art15.heavy")])
def test_catch_all_on_the_finding(rule_id: str, case: dict[str, Any], gravity: str, measures: tuple[str, ...], band: str) -> None:
    """On a finding of "other circumstance" the catch-all applies and art. 15 attaches its band by 情节."""
    det = evaluate(KEY, merge(case, SETTLED, {"findings": {"other_circumstance": True}, "conduct": {"gravity": gravity}}))
    assert det.step(rule_id).result == "applies"
    assert rule_id in {c.finding.rule_id for c in det.circumstances}
    assert det.sanctions.accountable is True
    assert det.sanctions.measures == measures
    assert [b.rule_id for b in det.sanctions.bands] == [band]


@pytest.mark.parametrize(("rule_id", "case"), CATCH_ALLS)
def test_catch_all_finding_refused(rule_id: str, case: dict[str, Any]) -> None:
    """A finding that the conduct is no "other circumstance" means no accountability under the catch-all."""
    det = evaluate(KEY, merge(case, SETTLED, {"findings": {"other_circumstance": False}, "conduct": {"gravity": "serious"}}))
    assert det.step(rule_id).result == "does_not_apply"
    assert det.sanctions.accountable is False


OUTSIDE = [
    pytest.param(["interfering_in_market"], id="market-interference"),
    pytest.param(["abusing_power"], id="abuse-of-power"),
    pytest.param(["falsifying"], id="falsification"),
    pytest.param(["vanity_projects"], id="vanity-project"),
    pytest.param(["diligent_error"], id="diligent-error"),
    pytest.param(["fabricating_accusations"], id="false-accusation"),
    pytest.param([], id="no-conduct"),
]


@pytest.mark.parametrize("acts", OUTSIDE)
@pytest.mark.parametrize("finding", [None, True])
def test_conduct_outside_the_definition_is_a_firm_no(acts: list[str], finding: bool | None) -> None:
    """Acting wrongly (为官乱为), a diligent error or no conduct is outside art. 6: no catch-all applies, even on a finding."""
    det = evaluate(
        KEY, merge(LEADING_CADRE, SETTLED, {"conduct": {"acts": acts, "gravity": "serious"}, "findings": {"other_circumstance": finding}})
    )
    assert det.step("art7.10").result == "does_not_apply"
    assert det.step("art8.10").result == "does_not_apply"
    assert det.sanctions.accountable is False
    assert not any(FINDING in q.unknown_facts for q in det.open_questions)


WHO = [
    pytest.param("art7.10", merge(FUNCTIONARY, {"conduct": {"acts": ["performing_duties_poorly"]}}), id="7.10-not-a-leading-cadre"),
    pytest.param(
        "art7.10",
        merge(LEADING_CADRE, {"conduct": {"acts": ["performing_duties_poorly"], "within_responsibility": False}}),
        id="7.10-outside-responsibility",
    ),
    pytest.param(
        "art8.10",
        merge(FUNCTIONARY, {"subject": {"kind": "organisation"}, "conduct": {"acts": ["performing_duties_poorly"]}}),
        id="8.10-not-a-person",
    ),
    pytest.param(
        "art8.10",
        merge(FUNCTIONARY, {"conduct": {"acts": ["performing_duties_poorly"], "within_responsibility": False}}),
        id="8.10-outside-duties",
    ),
]


@pytest.mark.parametrize(("rule_id", "case"), WHO)
def test_catch_all_is_about_whom_its_list_is_about(rule_id: str, case: dict[str, Any]) -> None:
    """Art. 7(10) concerns leading cadres in charge and art. 8(10) functionaries within their duties: anyone else is outside it."""
    det = evaluate(KEY, merge(case, {"findings": {"other_circumstance": True}}))
    assert det.step(rule_id).result == "does_not_apply"


def _named_acts(rule_id: str) -> set[Act]:
    """The acts a rule's condition names (the named condition it uses included)."""
    rule = g.load(KEY).rule(rule_id)
    assert rule.condition is not None
    named: set[Act] = set()
    for part in walk(rule.condition):
        if isinstance(part, Comparison) and part.spec.path == "conduct.acts":
            named |= set(part.value) if isinstance(part.value, frozenset) else {part.value}
    return named


WITHIN = sorted({a.value for named in _named_acts("art8.10") for a in narrower(named)})
BEYOND = sorted({a.value for a in Act} - set(WITHIN))


def test_the_definition_partitions_the_acts() -> None:
    """Exactly the acts of 为官乱为 (except 8(4)'s exceeding_powers) and diligent errors are outside art. 6's definition."""
    assert set(BEYOND) == {
        "deceiving_organisation",
        "falsifying",
        "inducing_subordinates_to_lie",
        "reckless_borrowing",
        "vanity_projects",
        "imposing_unrealistic_targets",
        "major_decision_error",
        "breaching_collective_decision_rules",
        "interfering_in_market",
        "interfering_in_cases",
        "factional_or_electoral_misconduct",
        "damaging_ecology",
        "soliciting_benefits",
        "issuing_unlawful_documents",
        "misappropriating_funds",
        "improper_appointments",
        "abusing_power",
        "infringing_public_interests",
        "concealing_personal_matters",
        "misreporting_personal_matters",
        "fabricating_accusations",
        "diligent_error",
    }
    assert _named_acts("art7.10") == _named_acts("art8.10")


@pytest.mark.parametrize("act", WITHIN)
def test_every_act_within_the_definition_reaches_the_catch_all(act: str) -> None:
    """Each act within art. 6 (the broad ones and every narrower one) meets a listed item of art. 8, or else leaves
    art. 8(10) open for a finding: never a flat no."""
    det = evaluate(KEY, merge(FUNCTIONARY, SETTLED, {"conduct": {"acts": [act]}}))
    if det.circumstances:  # a listed item applies, so the catch-all asks for nothing
        assert det.step("art8.10").result == "does_not_apply"
        assert det.sanctions.accountable is not False
    else:
        assert det.step("art8.10").result == "undetermined"
        assert _question_names(det, "art8.10", FINDING)


@pytest.mark.parametrize("act", BEYOND)
def test_every_act_outside_the_definition_misses_the_catch_all(act: str) -> None:
    """Each act outside art. 6 leaves art. 8(10) firmly inapplicable."""
    det = evaluate(KEY, merge(FUNCTIONARY, SETTLED, {"conduct": {"acts": [act]}}))
    assert det.step("art8.10").result == "does_not_apply"


# ---------------------------------------------------------------------------- the act structure

BASE: dict[str, Any] = merge(SETTLED, {"conduct": {"gravity": "minor"}})


def _base_case(rule_id: str) -> dict[str, Any]:
    """A case meeting every qualifier of the rule (catch-alls: on the finding), minor, exemptions settled."""
    if rule_id in ("art7.10", "art8.10"):
        who = LEADING_CADRE if rule_id == "art7.10" else FUNCTIONARY
        return merge(who, BASE, {"findings": {"other_circumstance": True}})
    return merge(LEADING_CADRE if rule_id.startswith("art7.") else FUNCTIONARY, BASE, APPLIES[rule_id])


def _broad_rows() -> list[Any]:
    rows = []
    for rule in g.load(KEY).stage("circumstance"):
        for broad in sorted(_named_acts(rule.id) if rule.condition is not None else (), key=lambda a: a.value):
            for narrow in sorted(narrower(broad) - {broad}, key=lambda a: a.value):
                rows.append(pytest.param(rule.id, broad.value, narrow.value, id=f"{rule.id}-{broad.value}-{narrow.value}"))
    return rows


BROAD_ROWS = _broad_rows()


def test_the_broad_rows_cover_the_rules_quoting_broad_words() -> None:
    """The act-structure table below reaches every rule of this file that names a broad act."""
    assert {row.values[0] for row in BROAD_ROWS} == {"art7.1", "art7.2", "art7.5", "art7.6", "art8.1", "art7.10", "art8.10"}


@pytest.mark.parametrize(("rule_id", "broad", "narrow"), BROAD_ROWS)
def test_narrower_act_is_never_treated_more_leniently(rule_id: str, broad: str, narrow: str) -> None:
    """A rule naming a broad act catches each narrower act with its other qualifiers, and the outcome is no lighter."""
    case = _base_case(rule_id)
    with_broad = evaluate(KEY, merge(case, {"conduct": {"acts": [broad]}}))
    with_narrow = evaluate(KEY, merge(case, {"conduct": {"acts": [narrow]}}))
    assert applies_or_gives_way(with_broad, KEY, rule_id)
    assert applies_or_gives_way(with_narrow, KEY, rule_id)
    assert with_narrow.sanctions.accountable is True
    assert set(with_broad.sanctions.measures) <= set(with_narrow.sanctions.measures)


# ---------------------------------------------------------------------------- the readings changed

READINGS = [
    # art. 7(1) 不积极贯彻落实: not relaying or studying the deployments is a form of it
    pytest.param(
        "art7.1", merge(LEADING_CADRE, {"conduct": {"acts": ["not_relaying_or_studying_policy"]}}), "applies", id="7.1-not-studied"
    ),
    # ... but poor performance in general is wider than carrying out deployments
    pytest.param("art7.1", merge(LEADING_CADRE, {"conduct": {"acts": ["performing_duties_poorly"]}}), "does_not_apply", id="7.1-poor-work"),
    # art. 7(6) 不及时、不如实请示报告 is broad: a concealed report is one
    pytest.param(
        "art7.6",
        merge(LEADING_CADRE, APPLIES["art7.6"], {"conduct": {"acts": ["concealing_or_not_reporting"]}}),
        "applies",
        id="7.6-concealed",
    ),
    pytest.param(
        "art7.6", merge(LEADING_CADRE, APPLIES["art7.6"], {"conduct": {"acts": ["perfunctory"]}}), "does_not_apply", id="7.6-reported"
    ),
    # art. 7(5) quotes the narrow 防范不力、处置失当: poor performance in general does not meet it
    pytest.param(
        "art7.5",
        merge(LEADING_CADRE, APPLIES["art7.5"], {"conduct": {"acts": ["performing_duties_poorly"]}}),
        "does_not_apply",
        id="7.5-poor-work",
    ),
    pytest.param(
        "art7.5",
        merge(LEADING_CADRE, APPLIES["art7.5"], {"conduct": {"acts": ["neglecting_management"]}}),
        "applies",
        id="7.5-negligent-management",
    ),
    # art. 8(4) is arbitrary work and unfair enforcement, not abuse of power
    pytest.param("art8.4", merge(FUNCTIONARY, {"conduct": {"acts": ["exceeding_powers"]}}), "applies", id="8.4-improper-discretion"),
    pytest.param(
        "art8.4", merge(FUNCTIONARY, {"conduct": {"acts": ["interfering_in_cases"]}}), "does_not_apply", id="8.4-case-interference"
    ),
    # art. 8(7) needs violations left unstopped; lax supervision alone goes to the catch-all
    pytest.param("art8.7", merge(FUNCTIONARY, {"conduct": {"acts": ["tolerating_violations"]}}), "applies", id="8.7-violations-tolerated"),
    pytest.param(
        "art8.7", merge(FUNCTIONARY, {"conduct": {"acts": ["supervising_inadequately"]}}), "does_not_apply", id="8.7-lax-supervision"
    ),
]


@pytest.mark.parametrize(("rule_id", "case", "expected"), READINGS)
def test_reading_of_act_words(rule_id: str, case: dict[str, Any], expected: str) -> None:
    """Each item quoting a broad word catches the narrower acts, and one quoting a narrow word catches only those."""
    assert evaluate(KEY, merge(case, SETTLED)).step(rule_id).result == expected


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(merge(LEADING_CADRE, {"conduct": {"acts": ["performing_duties_poorly"]}}), id="7.1-or-7.5-poor-work"),
        pytest.param(merge(FUNCTIONARY, {"conduct": {"acts": ["supervising_inadequately"]}}), id="8.7-lax-supervision"),
    ],
)
def test_narrow_items_missed_go_to_the_catch_all(case: dict[str, Any]) -> None:
    """Broad conduct that no narrow item catches is open under the catch-all, not answered "not accountable"."""
    det = evaluate(KEY, merge(case, SETTLED))
    assert det.circumstances == ()
    assert det.sanctions.accountable is None
    assert _question_names(det, "art8.10", FINDING)


DILIGENT_PILOT = merge(
    LEADING_CADRE,
    {
        "conduct": {"acts": ["implementing_decisions_ineffectively"], "gravity": "minor"},
        "context": {"reform_or_pilot": True, "exploratory_trial": False, "diligent": True},
        "inquiry": {"allegation": "verified"},
    },
)
"""A reform pilot carried out diligently that fell short: art. 7(1) applies and art. 23 may tolerate it."""

TOLERANCE = [
    pytest.param(DILIGENT_PILOT, "applies", id="diligent-pilot"),
    pytest.param(
        merge(
            DILIGENT_PILOT, {"conduct": {"acts": ["implementing_decisions_ineffectively", "diligent_error"]}, "context": {"diligent": None}}
        ),
        "applies",
        id="diligent-error-recorded-as-act",
    ),
    pytest.param(
        merge(DILIGENT_PILOT, {"conduct": {"acts": ["breaching_work_discipline"]}, "context": {"diligent": False}}),
        "does_not_apply",
        id="lateness-during-a-reform",
    ),
    pytest.param(merge(DILIGENT_PILOT, {"context": {"reform_or_pilot": False}}), "does_not_apply", id="diligent-outside-exploration"),
    pytest.param(merge(DILIGENT_PILOT, {"context": {"diligent": None}}), "undetermined", id="diligence-unknown"),
    # issue 14: plain slacking during a reform is no error of exploration, whatever else the case records
    pytest.param(merge(DILIGENT_PILOT, {"conduct": {"acts": ["slacking"]}}), "does_not_apply", id="slacking-during-a-reform"),
    pytest.param(
        merge(DILIGENT_PILOT, {"conduct": {"acts": ["slacking"]}, "context": {"lack_of_experience": True}}),
        "does_not_apply",
        id="slacking-with-inexperience-recorded",
    ),
    pytest.param(
        merge(
            DILIGENT_PILOT, {"conduct": {"acts": ["performing_duties_poorly"]}, "context": {"diligent": False, "lack_of_experience": True}}
        ),
        "applies",
        id="mistake-from-inexperience",
    ),
    pytest.param(
        merge(DILIGENT_PILOT, {"context": {"diligent": False, "lack_of_experience": False, "conditions_changed": True}}),
        "applies",
        id="mistake-from-changed-conditions",
    ),
    pytest.param(
        merge(DILIGENT_PILOT, {"context": {"diligent": False, "lack_of_experience": False, "conditions_changed": False}}),
        "does_not_apply",
        id="no-sign-of-a-mistake",
    ),
]


@pytest.mark.parametrize(("case", "expected"), TOLERANCE)
def test_tolerance_is_for_errors_in_diligent_exploration(case: dict[str, Any], expected: str) -> None:
    """Art. 23 tolerates 失误 in exploration and innovation: errors in diligent work, not inaction during a reform."""
    det = evaluate(KEY, case)
    assert det.step("art23").result == expected
    assert det.exemption.outcome == {"applies": "eligible", "does_not_apply": "none", "undetermined": "undetermined"}[expected]


def test_diligent_error_alone_is_not_inaction() -> None:
    """An error in diligent work outside any reform is no circumstance of arts. 7 or 8: a firm no."""
    det = evaluate(KEY, merge(LEADING_CADRE, SETTLED, {"conduct": {"acts": ["diligent_error"], "gravity": "minor"}}))
    assert det.step("art7.10").result == "does_not_apply"
    assert det.sanctions.accountable is False


# ---------------------------------------------------------------------------- open lists (等)


def test_no_open_list_decides_scope_or_a_circumstance() -> None:
    """Art. 27's scope list has no 等, so an unlisted unit's staff are firmly not covered and no rule asks for an open-list finding."""
    ruleset = g.load(KEY)
    assert not any(
        isinstance(part, Comparison) and part.spec.path == "findings.subject_in_open_list"
        for rule in ruleset
        if rule.condition is not None
        for part in walk(rule.condition)
    )
    det = evaluate(KEY, {"subject": {"kind": "person", "organisation_type": "authorised_organisation", "performs_public_functions": True}})
    assert det.scope.outcome == "not_covered"
