"""Jiangsu (苏办发〔2015〕48号): each rule applies where the text says, and a near-miss on each qualifier does not."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

import guanzhi_rules as g
from tests.support import LEADING_CADRE, evaluate, merge, normalise, result

KEY = "jiangsu"
SOURCE = Path(__file__).resolve().parents[2] / "rules" / "sources" / "jiangsu.txt"

FUNCTIONARY: dict[str, Any] = merge(LEADING_CADRE, {"subject": {"is_leading_cadre": False}})
"""A state functionary of a county party organ without a leading post."""

ORGANISATION: dict[str, Any] = {
    "subject": {"kind": "organisation", "organisation_type": "government_organ", "administrative_level": "county"},
}
"""A county government organ as the subject (arts. 14 and 18)."""

VERIFIED = {"inquiry": {"allegation": "verified"}}
"""The allegation was verified, so the art. 26 exemption is known not to apply (otherwise accountability stays open)."""

ACCOUNTABLE: dict[str, Any] = merge(FUNCTIONARY, {"conduct": {"acts": ["breaching_work_discipline"], "gravity": "minor"}, **VERIFIED})
"""A functionary who breached work discipline (art. 8(9)), minor circumstances, verified allegation: accountable, light band."""

NOT_ACCOUNTABLE: dict[str, Any] = merge(FUNCTIONARY, {"conduct": {"acts": [], "gravity": "minor"}, **VERIFIED})
"""A covered functionary with no conduct of arts. 7 or 8: not accountable."""

ORG_ISSUES = {"review": {"petitions_concentrated": True, "low_satisfaction_in_review": False, "problems_prominent": True}}
RATED = {"review": {"directed_rating": "some_reports", "findings_verified": True}}
CLOSED_EXEMPTIONS = {"context": {"reform_or_pilot": False, "exploratory_trial": False}, "inquiry": {"allegation": "verified"}}


def _articles() -> dict[str, str]:
    parts = re.split(r"(?m)^(第[一二三四五六七八九十]+条)\s", SOURCE.read_text(encoding="utf-8"))
    return {parts[i]: normalise(parts[i + 1]) for i in range(1, len(parts), 2)}


# ---------------------------------------------------------------------------- document, quotes, ladder


def test_document_metadata() -> None:
    """The rule set names the Jiangsu document, its number, issuer and date."""
    doc = g.load(KEY).file.document
    assert (doc.key, doc.number, str(doc.issued), doc.source) == (KEY, "苏办发〔2015〕48号", "2015-07-23", "jiangsu.txt")
    assert doc.issuer.startswith("中共江苏省委办公厅")


def test_every_quote_is_verbatim_in_its_article_and_item() -> None:
    """Every rule and ladder citation quotes the source verbatim, inside the cited article and item."""
    ruleset = g.load(KEY)
    articles = _articles()
    citations = [(r.id, r.rule.citation) for r in ruleset] + [("ladder", c) for c in ruleset.ladder.citations]
    problems = []
    for rule_id, citation in citations:
        quote = normalise(citation.quote)
        body = articles.get(citation.article, "")
        if quote not in body:
            problems.append((rule_id, "not in article", citation.article))
            continue
        if citation.item:
            start = body.find(citation.item)
            rest = body[start + len(citation.item) :] if start >= 0 else ""
            following = re.search(r"[（(][一二三四五六七八九十]+[）)]", rest)
            if start < 0 or quote not in (rest[: following.start()] if following else rest):
                problems.append((rule_id, "not in item", citation.item))
    assert problems == []


def test_ladder_follows_article_15_order() -> None:
    """The ladder runs 提醒 < 函询 < 诫勉 < 调整岗位 < 责令辞职 < 免职 = 降职 < 辞退解聘."""
    rungs = {step.measure.value: step.rung for step in g.load(KEY).ladder.steps}
    assert rungs == {
        "reminder": 1,
        "inquiry_letter": 2,
        "admonition": 3,
        "transfer": 4,
        "ordered_resignation": 5,
        "removal": 6,
        "demotion": 6,
        "dismissal": 7,
    }


def test_silences_are_stated() -> None:
    """Aggravating, mitigating, procedure and freeze-length silences are recorded; exemption is not silent."""
    ruleset = g.load(KEY)
    assert set(ruleset.silences) == {"aggravating", "mitigating", "procedure", "freeze_length"}
    determination = evaluate(KEY, ACCOUNTABLE)
    assert ruleset.silence("freeze_length").statement in determination.not_decided  # type: ignore[union-attr]
    assert determination.exemption.outcome != "not_provided"


# ---------------------------------------------------------------------------- scope (art. 27, art. 14)

SCOPE_APPLIES = [
    pytest.param("art27.organ_staff", LEADING_CADRE, id="county-party-organ-cadre"),
    pytest.param(
        "art27.organ_staff",
        merge(FUNCTIONARY, {"subject": {"organisation_type": "government_organ", "administrative_level": "township"}}),
        id="township-government-staff",
    ),
    pytest.param(
        "art27.organ_staff", merge(FUNCTIONARY, {"subject": {"organisation_type": "court", "administrative_level": "city"}}), id="court"
    ),
    pytest.param("art27.organ_staff", merge(FUNCTIONARY, {"subject": {"organisation_type": "procuratorate"}}), id="procuratorate"),
    pytest.param(
        "art27.organ_staff", merge(FUNCTIONARY, {"subject": {"organisation_type": "peoples_congress_organ"}}), id="peoples-congress"
    ),
    pytest.param(
        "art27.organ_staff",
        merge(FUNCTIONARY, {"subject": {"organisation_type": "cppcc_organ", "administrative_level": "province"}}),
        id="cppcc",
    ),
    pytest.param(
        "art27.public_institution_staff",
        {"subject": {"kind": "person", "organisation_type": "public_institution", "performs_public_functions": True}},
        id="public-institution",
    ),
    pytest.param(
        "art27.soe_manager",
        {"subject": {"kind": "person", "organisation_type": "state_owned_enterprise", "is_management_staff": True}},
        id="soe-manager",
    ),
    pytest.param("art14.organisation", ORGANISATION, id="county-government-organ"),
    pytest.param(
        "art14.organisation",
        {"subject": {"kind": "organisation", "organisation_type": "public_institution", "performs_public_functions": True}},
        id="public-institution-unit",
    ),
    pytest.param("art14.organisation", {"subject": {"kind": "organisation", "organisation_type": "state_owned_enterprise"}}, id="soe-unit"),
]

SCOPE_MISSES = [
    pytest.param(
        "art27.organ_staff", merge(LEADING_CADRE, {"subject": {"administrative_level": "village"}}), "does_not_apply", id="village-level"
    ),
    pytest.param(
        "art27.organ_staff",
        merge(LEADING_CADRE, {"subject": {"organisation_type": "democratic_party_organ"}}),
        "does_not_apply",
        id="democratic-party-organ",
    ),
    pytest.param(
        "art27.organ_staff",
        merge(LEADING_CADRE, {"subject": {"organisation_type": "peoples_organisation"}}),
        "does_not_apply",
        id="peoples-organisation",
    ),
    pytest.param("art27.organ_staff", merge(LEADING_CADRE, {"subject": {"kind": "organisation"}}), "does_not_apply", id="organ-not-person"),
    pytest.param(
        "art27.organ_staff", merge(LEADING_CADRE, {"subject": {"administrative_level": None}}), "undetermined", id="level-unknown"
    ),
    pytest.param(
        "art27.public_institution_staff",
        {"subject": {"kind": "person", "organisation_type": "public_institution", "performs_public_functions": False}},
        "does_not_apply",
        id="institution-without-public-functions",
    ),
    pytest.param(
        "art27.public_institution_staff",
        {"subject": {"kind": "person", "organisation_type": "authorised_organisation", "performs_public_functions": True}},
        "does_not_apply",
        id="authorised-organisation-not-institution",
    ),
    pytest.param(
        "art27.soe_manager",
        {"subject": {"kind": "person", "organisation_type": "state_owned_enterprise", "is_management_staff": False}},
        "does_not_apply",
        id="soe-rank-and-file",
    ),
    pytest.param(
        "art27.soe_manager",
        {"subject": {"kind": "person", "organisation_type": "other", "is_management_staff": True}},
        "does_not_apply",
        id="private-enterprise-manager",
    ),
    pytest.param(
        "art14.organisation", merge(ORGANISATION, {"subject": {"administrative_level": "village"}}), "does_not_apply", id="village-unit"
    ),
    pytest.param("art14.organisation", merge(ORGANISATION, {"subject": {"kind": "person"}}), "does_not_apply", id="person-not-unit"),
    pytest.param(
        "art14.organisation",
        {"subject": {"kind": "organisation", "organisation_type": "public_institution", "performs_public_functions": False}},
        "does_not_apply",
        id="institution-unit-without-public-functions",
    ),
]


@pytest.mark.parametrize(("rule_id", "case"), SCOPE_APPLIES)
def test_scope_applies(rule_id: str, case: dict[str, Any]) -> None:
    """Each group named by art. 27 (and the regions and units of art. 14) is covered by its scope rule."""
    determination = evaluate(KEY, case)
    assert determination.step(rule_id).result == "applies"
    assert determination.scope.outcome == "covered"


@pytest.mark.parametrize(("rule_id", "case", "expected"), SCOPE_MISSES)
def test_scope_near_miss(rule_id: str, case: dict[str, Any], expected: str) -> None:
    """A subject missing one scope qualifier is not covered by that scope rule."""
    assert result(KEY, case, rule_id) == expected


def test_village_staff_not_covered() -> None:
    """A village-level organ's staff fall outside the document, and nothing further is reached."""
    determination = evaluate(KEY, merge(ACCOUNTABLE, {"subject": {"administrative_level": "village"}}))
    assert determination.scope.outcome == "not_covered"
    assert determination.step("art8.9").result == "not_reached"


# ---------------------------------------------------------------------------- circumstances (arts. 7 and 8)

APPLIES: dict[str, dict[str, Any]] = {
    "art7.1": {"conduct": {"acts": ["implementing_decisions_ineffectively"]}},
    "art7.2": {
        "conduct": {"acts": ["not_deciding"]},
        "performance": {"shortfalls": ["slow_progress"]},
        "harm": {"effects": ["overall_work_affected"]},
    },
    "art7.3": {"conduct": {"acts": ["not_investigating"]}},
    "art7.4": {"conduct": {"acts": ["managing_team_laxly"]}, "review": {"team_problems_confirmed": True}},
    "art7.5": {
        "conduct": {"acts": ["handling_improperly"]},
        "context": {"emergency": "none"},
        "harm": {
            "major_accidents": ["work_safety"],
            "mass_incident": "none",
            "harmed_interests": ["masses"],
            "consequences": "serious",
            "loss": "some",
            "influence": "considerable",
        },
    },
    "art7.6": {"conduct": {"acts": ["not_requesting_instructions"]}, "harm": {"effects": ["decision_or_work_failed"]}},
    "art7.7": {"conduct": {"acts": ["passing_the_buck"], "joint_matter_role": "lead"}, "harm": {"effects": ["work_progress_affected"]}},
    "art7.8": {
        "conduct": {"acts": ["not_solving_major_problems"]},
        "harm": {"public_reaction": "strong", "effects": ["problem_recurred", "reform_stability_affected"]},
    },
    "art7.9": {"conduct": {"acts": ["neglecting_integrity_duties"]}, "harm": {"effects": ["subordinate_misconduct"]}},
    "art8.1": {"conduct": {"acts": ["not_implementing_decisions"]}, "performance": {"shortfalls": ["seriously_lagging"]}},
    "art8.2": {"conduct": {"acts": ["complacent"]}, "performance": {"shortfalls": ["long_lagging"]}},
    "art8.3": {"conduct": {"acts": ["formalism"]}},
    "art8.4": {"conduct": {"acts": ["enforcing_laxly"]}},
    "art8.5": {"conduct": {"acts": ["disobeying_assignment"]}},
    "art8.6": {"conduct": {"acts": ["harsh_to_public"]}},
    "art8.7": {"conduct": {"acts": ["tolerating_violations"]}},
    "art8.8": {"conduct": {"acts": ["not_cooperating"]}},
    "art8.9": {"conduct": {"acts": ["breaching_work_discipline"]}},
}
"""For each circumstance rule, a patch that makes it apply (art. 7 on a leading cadre, art. 8 on a functionary)."""


def _case(rule_id: str, *patches: dict[str, Any]) -> dict[str, Any]:
    case = merge(LEADING_CADRE if rule_id.startswith("art7.") else FUNCTIONARY, APPLIES[rule_id])
    for patch in patches:
        case = merge(case, patch)
    return case


VARIANTS = [
    pytest.param("art7.1", {"conduct": {"acts": ["not_implementing_decisions"]}}, id="7.1-not-implementing"),
    pytest.param("art7.1", {"conduct": {"acts": ["distorting_decisions"]}}, id="7.1-distorted"),
    pytest.param("art7.1", {"conduct": {"acts": ["defying_orders"]}}, id="7.1-orders-defied"),
    pytest.param("art7.5", {"conduct": {"acts": ["supervising_inadequately"]}}, id="7.5-lax-supervision-of-hazards"),
    pytest.param("art7.5", {"conduct": {"acts": ["dereliction_of_duty"]}}, id="7.5-failure-of-oversight"),
    pytest.param("art7.5", {"conduct": {"acts": ["concealing_or_not_reporting"]}}, id="7.5-accident-concealed"),
    pytest.param("art8.1", {"conduct": {"acts": ["not_rectifying_findings"]}}, id="8.1-inspection-findings-unrectified"),
    pytest.param("art8.1", {"conduct": {"acts": ["distorting_decisions"]}}, id="8.1-watered-down"),
    pytest.param("art8.1", {"conduct": {"acts": ["defying_orders"]}}, id="8.1-orders-defied"),
    pytest.param(
        "art7.2",
        {"conduct": {"acts": ["implementing_decisions_ineffectively"]}, "harm": {"effects": ["work_delayed"]}},
        id="7.2-not-followed-through-development-delayed",
    ),
    pytest.param("art7.3", {"conduct": {"acts": ["complacent"]}}, id="7.3-complacent"),
    pytest.param("art7.3", {"conduct": {"acts": ["slacking"]}}, id="7.3-not-in-form"),
    pytest.param("art7.3", {"conduct": {"acts": ["hesitating"]}}, id="7.3-hesitating"),
    pytest.param(
        "art7.4",
        {"review": {"team_problems_confirmed": False}, "harm": {"effects": ["subordinate_misconduct"]}},
        id="7.4-cadre-corps-problems",
    ),
    pytest.param("art7.5", {"conduct": {"acts": ["failing_to_prevent"]}}, id="7.5-poor-prevention"),
    pytest.param("art7.5", {"harm": {"major_accidents": []}, "context": {"emergency": "major"}}, id="7.5-major-sudden-event"),
    pytest.param("art7.5", {"harm": {"major_accidents": [], "mass_incident": "serious"}}, id="7.5-serious-mass-incident"),
    pytest.param(
        "art7.5", {"harm": {"harmed_interests": ["state"], "consequences": "adverse", "loss": "major"}}, id="7.5-major-loss-to-state"
    ),
    pytest.param(
        "art7.5", {"harm": {"harmed_interests": [], "consequences": "adverse", "influence": "major"}}, id="7.5-major-social-influence"
    ),
    pytest.param("art7.7", {"conduct": {"acts": ["not_cooperating"], "joint_matter_role": "assisting"}}, id="7.7-assisting-not-helping"),
    pytest.param("art8.1", {"performance": {"shortfalls": ["quality_clearly_low"]}}, id="8.1-poor-quality"),
    pytest.param("art8.3", {"conduct": {"acts": ["not_investigating"]}}, id="8.3-no-investigation"),
    pytest.param("art8.4", {"conduct": {"acts": ["exceeding_powers"]}}, id="8.4-arbitrary"),
    pytest.param("art8.6", {"conduct": {"acts": ["not_responding_to_public"]}}, id="8.6-requests-unanswered"),
    pytest.param(
        "art8.6", {"conduct": {"acts": ["matters_not_handled_in_time"], "fields": ["petitions"]}}, id="8.6-petition-not-handled-in-time"
    ),
    pytest.param(
        "art8.6", {"conduct": {"acts": ["matters_not_handled_in_time"], "fields": ["public_service"]}}, id="8.6-request-not-handled-in-time"
    ),
    pytest.param(
        "art7.8", {"harm": {"public_reaction": "notable"}, "review": {"flagged_by_superiors": True}}, id="7.8-flagged-by-superiors"
    ),
    pytest.param("art8.6", {"conduct": {"acts": ["perfunctory"], "fields": ["public_service"]}}, id="8.6-perfunctory-service"),
    pytest.param("art8.8", {"conduct": {"acts": ["pursuing_sectional_interest"]}}, id="8.8-sectional-interest"),
]

NOT_LEADING = {"subject": {"is_leading_cadre": False}}
NOT_FUNCTIONARY = {"subject": {"is_state_functionary": False, "administrative_level": None}}
"""Not a state functionary, and whether art. 27 covers the person is open (the organ's level is unknown)."""
OUTSIDE_CHARGE = {"conduct": {"within_responsibility": False}}
NOT_PERSON = {"subject": {"kind": "organisation"}}
NO_ACTS = {"conduct": {"acts": []}}

NEAR_MISSES = [
    *(pytest.param(r, NOT_LEADING, "does_not_apply", id=f"{r}-not-leading-cadre") for r in APPLIES if r.startswith("art7.")),
    *(pytest.param(r, OUTSIDE_CHARGE, "does_not_apply", id=f"{r}-outside-charge") for r in APPLIES if r.startswith("art7.")),
    *(pytest.param(r, NOT_FUNCTIONARY, "undetermined", id=f"{r}-not-functionary-scope-open") for r in APPLIES if r.startswith("art8.")),
    *(pytest.param(r, NOT_PERSON, "does_not_apply", id=f"{r}-organisation") for r in APPLIES),
    *(pytest.param(r, NO_ACTS, "does_not_apply", id=f"{r}-no-act") for r in APPLIES),
    pytest.param("art7.1", {"conduct": {"acts": ["slacking"]}}, "does_not_apply", id="7.1-other-act"),
    pytest.param("art7.2", {"conduct": {"acts": ["slacking"]}}, "does_not_apply", id="7.2-no-failure-to-decide"),
    pytest.param("art7.2", {"performance": {"shortfalls": []}}, "does_not_apply", id="7.2-progress-not-slow"),
    pytest.param("art7.2", {"harm": {"effects": []}}, "does_not_apply", id="7.2-overall-work-unaffected"),
    pytest.param("art7.3", {"conduct": {"acts": ["formalism"]}}, "does_not_apply", id="7.3-unlisted-act"),
    pytest.param("art7.3", {"conduct": {"acts": ["shirking_responsibility"]}}, "does_not_apply", id="7.3-broad-shirking-not-hesitating"),
    pytest.param("art7.4", {"conduct": {"acts": ["shirking_responsibility"]}}, "does_not_apply", id="7.4-no-lax-team-leadership"),
    pytest.param("art7.4", {"review": {"team_problems_confirmed": False}}, "does_not_apply", id="7.4-problems-not-prominent"),
    pytest.param("art7.4", {"review": {"team_problems_confirmed": None}}, "undetermined", id="7.4-team-problems-unknown"),
    pytest.param("art7.5", {"harm": {"major_accidents": []}}, "does_not_apply", id="7.5-no-major-event"),
    pytest.param(
        "art7.5", {"harm": {"major_accidents": []}, "context": {"emergency": "emergency"}}, "does_not_apply", id="7.5-ordinary-emergency"
    ),
    pytest.param(
        "art7.5", {"harm": {"major_accidents": [], "mass_incident": "incident"}}, "does_not_apply", id="7.5-ordinary-mass-incident"
    ),
    pytest.param("art7.5", {"conduct": {"acts": ["slacking"]}}, "does_not_apply", id="7.5-no-prevention-or-handling-failure"),
    pytest.param("art7.5", {"harm": {"consequences": "adverse"}}, "does_not_apply", id="7.5-damage-not-serious"),
    pytest.param("art7.5", {"harm": {"consequences": "adverse", "loss": "considerable"}}, "does_not_apply", id="7.5-loss-below-major"),
    pytest.param("art7.5", {"harm": {"harmed_interests": ["others"]}}, "does_not_apply", id="7.5-unlisted-interest"),
    pytest.param("art7.5", {"harm": {"harmed_interests": [], "influence": "serious"}}, "does_not_apply", id="7.5-influence-below-major"),
    pytest.param("art7.5", {"harm": {"consequences": None, "loss": None, "influence": None}}, "undetermined", id="7.5-harm-unknown"),
    # 不及时、不如实请示报告 is the broad word: concealed, false, late or omitted reports (瞒报、谎报、迟报、漏报) are kinds
    # of it (ACT_LINKS), so a concealed report meets art. 7(6) (issue 13: near-synonyms must not decide a case).
    pytest.param("art7.6", {"conduct": {"acts": ["concealing_or_not_reporting"]}}, "applies", id="7.6-no-failure-to-report"),
    pytest.param("art7.6", {"conduct": {"acts": ["slacking"]}}, "does_not_apply", id="7.6-reported-in-time"),
    pytest.param("art7.6", {"harm": {"effects": ["work_delayed"]}}, "does_not_apply", id="7.6-no-serious-problem"),
    pytest.param("art7.7", {"conduct": {"joint_matter_role": "none"}}, "does_not_apply", id="7.7-not-joint-matter"),
    pytest.param("art7.7", {"conduct": {"acts": ["slacking"]}}, "does_not_apply", id="7.7-no-buck-passing"),
    pytest.param("art7.7", {"harm": {"effects": []}}, "does_not_apply", id="7.7-progress-unaffected"),
    pytest.param(
        "art7.8",
        {"harm": {"public_reaction": "notable"}, "review": {"flagged_by_superiors": False}},
        "does_not_apply",
        id="7.8-reaction-not-strong-not-flagged",
    ),
    pytest.param("art7.8", {"harm": {"public_reaction": "notable"}}, "undetermined", id="7.8-reaction-not-strong-flagging-unknown"),
    pytest.param("art7.8", {"conduct": {"acts": ["slacking"]}}, "does_not_apply", id="7.8-problem-addressed"),
    pytest.param("art7.8", {"harm": {"effects": ["problem_recurred"]}}, "does_not_apply", id="7.8-stability-unaffected"),
    pytest.param("art7.8", {"harm": {"effects": ["reform_stability_affected"]}}, "does_not_apply", id="7.8-no-recurrence"),
    pytest.param("art7.9", {"conduct": {"acts": ["managing_team_laxly"]}}, "does_not_apply", id="7.9-integrity-duty-met"),
    pytest.param("art7.9", {"harm": {"effects": []}}, "does_not_apply", id="7.9-no-serious-misconduct"),
    pytest.param("art8.1", {"conduct": {"acts": ["slacking"]}}, "does_not_apply", id="8.1-deployments-carried-out"),
    pytest.param("art8.1", {"performance": {"shortfalls": ["slow_progress"]}}, "does_not_apply", id="8.1-not-seriously-lagging"),
    pytest.param("art8.2", {"conduct": {"acts": ["slacking"]}}, "does_not_apply", id="8.2-not-complacent"),
    pytest.param("art8.2", {"performance": {"shortfalls": []}}, "does_not_apply", id="8.2-work-not-mediocre"),
    pytest.param("art8.3", {"conduct": {"acts": ["slacking"]}}, "does_not_apply", id="8.3-unlisted-act"),
    pytest.param("art8.4", {"conduct": {"acts": ["abusing_power"]}}, "does_not_apply", id="8.4-unlisted-act"),
    pytest.param("art8.5", {"conduct": {"acts": ["shirking_responsibility"]}}, "does_not_apply", id="8.5-assignment-obeyed"),
    pytest.param("art8.6", {"conduct": {"acts": ["perfunctory"], "fields": []}}, "does_not_apply", id="8.6-perfunctory-outside-service"),
    pytest.param(
        "art8.6",
        {"conduct": {"acts": ["matters_not_handled_in_time"], "fields": ["project_construction"]}},
        "does_not_apply",
        id="8.6-assigned-matter-not-a-grassroots-request",
    ),
    pytest.param(
        "art8.6", {"conduct": {"acts": ["perfunctory"], "fields": ["work_safety"]}}, "does_not_apply", id="8.6-perfunctory-other-field"
    ),
    pytest.param("art8.7", {"conduct": {"acts": ["supervising_inadequately"]}}, "does_not_apply", id="8.7-violations-not-tolerated"),
    pytest.param("art8.8", {"conduct": {"acts": ["passing_the_buck"]}}, "does_not_apply", id="8.8-unlisted-act"),
    pytest.param("art8.9", {"conduct": {"acts": ["slacking"]}}, "does_not_apply", id="8.9-discipline-kept"),
]


@pytest.mark.parametrize("rule_id", list(APPLIES))
def test_circumstance_applies(rule_id: str) -> None:
    """Each item of arts. 7 and 8 applies to a case meeting all its qualifiers and is reported as a circumstance."""
    determination = evaluate(KEY, _case(rule_id))
    assert determination.step(rule_id).result == "applies"
    found = {c.finding.rule_id: c.category.zh for c in determination.circumstances}
    assert found[rule_id] == ("领导干部为官不为" if rule_id.startswith("art7.") else "国家工作人员为官不为")


@pytest.mark.parametrize(("rule_id", "patch"), VARIANTS)
def test_circumstance_alternative_applies(rule_id: str, patch: dict[str, Any]) -> None:
    """Each alternative the text allows within an item also makes it apply."""
    assert result(KEY, _case(rule_id, patch), rule_id) == "applies"


@pytest.mark.parametrize(("rule_id", "patch", "expected"), NEAR_MISSES)
def test_circumstance_near_miss(rule_id: str, patch: dict[str, Any], expected: str) -> None:
    """Removing or weakening one qualifier of an item stops it from applying (or leaves it open if the fact is unknown)."""
    assert result(KEY, _case(rule_id, patch), rule_id) == expected


def test_article_8_reaches_leading_cadres() -> None:
    """Leading cadres are state functionaries, so art. 8 applies to them as well."""
    assert result(KEY, merge(LEADING_CADRE, APPLIES["art8.9"]), "art8.9") == "applies"


@pytest.mark.parametrize("rule_id", ["art7.10", "art8.10"])
def test_catch_alls_never_fire_from_facts(rule_id: str) -> None:
    """Without conduct within art. 6's definition the 其他为官不为的情形 items do not apply and make no one accountable."""
    determination = evaluate(KEY, NOT_ACCOUNTABLE)
    # Was "not_evaluable" while the catch-alls had no condition; they now ask for a finding only on conduct within
    # art. 6's general definition (tests/rules/test_jiangsu_open_texture.py), and no conduct at all is a firm no.
    assert determination.step(rule_id).result == "does_not_apply"
    assert rule_id in determination.catch_alls
    assert determination.sanctions.accountable is False


# ---------------------------------------------------------------------------- art. 15 sanction bands

LIGHT = ("reminder", "inquiry_letter", "admonition")
HEAVY = ("transfer", "ordered_resignation", "removal", "demotion", "dismissal")

BANDS = [
    pytest.param({"conduct": {"gravity": "minor"}}, LIGHT, "applies", "does_not_apply", id="minor"),
    pytest.param({"conduct": {"gravity": "serious"}}, HEAVY, "does_not_apply", "applies", id="serious"),
    pytest.param({"conduct": {"gravity": "grave"}}, HEAVY, "does_not_apply", "applies", id="grave"),
    pytest.param(
        {"history": {"prior_measures": ["admonition"], "correction_after_prior_measures": "not_obvious"}},
        HEAVY,
        "defeated",
        "applies",
        id="minor-failed-correction-after-admonition",
    ),
    pytest.param(
        {"history": {"prior_measures": ["reminder"], "correction_after_prior_measures": "not_corrected"}},
        HEAVY,
        "defeated",
        "applies",
        id="minor-not-corrected-after-reminder",
    ),
    pytest.param(
        {"history": {"prior_measures": ["inquiry_letter"], "correction_after_prior_measures": "not_obvious"}},
        HEAVY,
        "defeated",
        "applies",
        id="minor-failed-correction-after-inquiry-letter",
    ),
    pytest.param(
        {"history": {"prior_measures": ["summoned_reminder"], "correction_after_prior_measures": "not_obvious"}},
        HEAVY,
        "defeated",
        "applies",
        id="minor-failed-correction-after-summoned-reminder",
    ),
    pytest.param(
        {"history": {"prior_measures": ["admonition"], "correction_after_prior_measures": "corrected"}},
        LIGHT,
        "applies",
        "does_not_apply",
        id="minor-corrected-after-admonition",
    ),
    pytest.param(
        {"history": {"prior_measures": [], "correction_after_prior_measures": "not_corrected"}},
        LIGHT,
        "applies",
        "does_not_apply",
        id="minor-no-prior-measure",
    ),
    pytest.param(
        {"history": {"prior_measures": ["circulated_criticism"], "correction_after_prior_measures": "not_corrected"}},
        LIGHT,
        "applies",
        "does_not_apply",
        id="minor-prior-measure-not-of-art-15",
    ),
]


@pytest.mark.parametrize(("patch", "measures", "light", "heavy"), BANDS)
def test_sanction_bands(patch: dict[str, Any], measures: tuple[str, ...], light: str, heavy: str) -> None:
    """Minor circumstances get 提醒/函询/诫勉; serious ones or failed correction get organisational handling, defeating the light band."""
    determination = evaluate(KEY, merge(ACCOUNTABLE, patch))
    assert determination.step("art15.light").result == light
    assert determination.step("art15.heavy").result == heavy
    assert determination.sanctions.measures == measures
    assert determination.sanctions.mandatory is True
    assert determination.sanctions.open_ended is (measures == HEAVY)
    if light == "defeated":
        assert determination.step("art15.light").defeated_by == ("art15.heavy",)


def test_failed_correction_unknown_leaves_the_heavy_band_open() -> None:
    """After an admonition, an unknown correction leaves art. 15's 整改不力 band undetermined: neither applied nor ruled out."""
    history = {"prior_measures": ["admonition"], "correction_after_prior_measures": None}
    determination = evaluate(KEY, merge(ACCOUNTABLE, {"history": history}))
    assert determination.step("art15.heavy").result == "undetermined"
    waits = [q.unknown_facts for q in determination.open_questions if q.rule_id == "art15.heavy"]
    assert waits and "history.correction_after_prior_measures" in waits[0]


def test_bands_undetermined_without_gravity() -> None:
    """With the gravity and correction history unknown, neither band can be decided."""
    determination = evaluate(KEY, merge(ACCOUNTABLE, {"conduct": {"gravity": None}}))
    assert determination.step("art15.light").result == "undetermined"
    assert determination.step("art15.heavy").result == "undetermined"
    assert determination.sanctions.measures == ()


def test_bands_not_reached_without_accountability() -> None:
    """Without an art. 7 or 8 circumstance no band is reached."""
    determination = evaluate(KEY, NOT_ACCOUNTABLE)
    assert determination.step("art15.light").result == "not_reached"
    assert determination.step("art15.heavy").result == "not_reached"


# ---------------------------------------------------------------------------- consequences


def _items(determination: g.Determination, rule_id: str) -> list[Any]:
    return [i for m in determination.consequences for i in m.items if i.rule_id == rule_id] + [
        i for i in determination.general_consequences if i.rule_id == rule_id
    ]


CORRECTION = [
    pytest.param(ACCOUNTABLE, "applies", set(LIGHT), id="light-band"),
    pytest.param(merge(ACCOUNTABLE, {"decision": {"measures": ["admonition"]}}), "applies", {"admonition"}, id="admonition-chosen"),
    pytest.param(merge(ACCOUNTABLE, {"conduct": {"gravity": "serious"}}), "does_not_apply", set(), id="heavy-band"),
    pytest.param(
        merge(ACCOUNTABLE, {"conduct": {"gravity": "serious"}, "decision": {"measures": ["transfer"]}}),
        "does_not_apply",
        set(),
        id="transfer-chosen",
    ),
]


@pytest.mark.parametrize(("case", "expected", "measures"), CORRECTION)
def test_order_to_correct_goes_with_light_measures(case: dict[str, Any], expected: str, measures: set[str]) -> None:
    """责令限期改正 attaches to each light measure and to no heavy one."""
    determination = evaluate(KEY, case)
    assert determination.step("art15.correction").result == expected
    with_order = {m.measure for m in determination.consequences if any(i.rule_id == "art15.correction" for i in m.items)}
    assert with_order == measures


SOE_LEADER: dict[str, Any] = merge(
    LEADING_CADRE,
    {
        "subject": {"organisation_type": "state_owned_enterprise", "is_management_staff": True, "is_state_functionary": False},
        "conduct": {"acts": ["implementing_decisions_ineffectively"], "gravity": "minor"},
        **VERIFIED,
    },
)
"""An SOE leader, not a state functionary, accountable under art. 7(1)."""

REFERRALS = [
    pytest.param(
        "art16.party_discipline", merge(ACCOUNTABLE, {"legal": {"discipline_breach": "ordinary"}}), "applies", id="party-member-breach"
    ),
    pytest.param(
        "art16.party_discipline", merge(ACCOUNTABLE, {"legal": {"discipline_breach": "none"}}), "does_not_apply", id="party-no-breach"
    ),
    pytest.param(
        "art16.party_discipline",
        merge(ACCOUNTABLE, {"legal": {"discipline_breach": "serious"}, "subject": {"is_party_member": False}}),
        "does_not_apply",
        id="party-non-member",
    ),
    pytest.param(
        "art16.administrative_discipline",
        merge(ACCOUNTABLE, {"legal": {"discipline_breach": "serious"}}),
        "applies",
        id="administrative-breach",
    ),
    pytest.param(
        "art16.administrative_discipline",
        merge(ACCOUNTABLE, {"legal": {"discipline_breach": "none"}}),
        "does_not_apply",
        id="administrative-no-breach",
    ),
    pytest.param(
        "art16.administrative_discipline",
        merge(SOE_LEADER, {"legal": {"discipline_breach": "ordinary"}}),
        "does_not_apply",
        id="administrative-not-functionary",
    ),
    pytest.param("art16.judicial", merge(ACCOUNTABLE, {"legal": {"suspected_crime": True}}), "applies", id="suspected-crime"),
    pytest.param(
        "art16.judicial",
        merge(ACCOUNTABLE, {"legal": {"suspected_crime": False, "unlawful": True}}),
        "does_not_apply",
        id="unlawful-not-criminal",
    ),
]
REFERRAL_TO = {
    "art16.party_discipline": "party_discipline",
    "art16.administrative_discipline": "public_office_discipline",
    "art16.judicial": "judicial_organs",
}


@pytest.mark.parametrize(("rule_id", "case", "expected"), REFERRALS)
def test_discipline_and_judicial_referrals(rule_id: str, case: dict[str, Any], expected: str) -> None:
    """Art. 16 refers discipline where due and suspected crimes to the judicial organs."""
    determination = evaluate(KEY, case)
    assert determination.sanctions.accountable is True
    assert determination.step(rule_id).result == expected
    referred = {r.to for r in determination.referrals if r.finding.rule_id == rule_id}
    assert referred == ({REFERRAL_TO[rule_id]} if expected == "applies" else set())


@pytest.mark.parametrize(
    "rule_id",
    [
        "art16.party_discipline",
        "art16.judicial",
        "art16.combination",
        "art16.no_substitution",
        "art19.discipline",
        "art21.adjustment",
        "art22.rights",
    ],
)
def test_accountability_consequences_need_accountability(rule_id: str) -> None:
    """Consequences attached to accountability do not arise for a covered person with no art. 7 or 8 circumstance."""
    patch = {"legal": {"discipline_breach": "ordinary", "suspected_crime": True}, "decision": {"discipline": ["party"]}}
    assert result(KEY, merge(ACCOUNTABLE, patch), rule_id) == "applies"
    assert result(KEY, merge(NOT_ACCOUNTABLE, patch), rule_id) == "does_not_apply"


def test_combination_may_substitution_never() -> None:
    """Art. 16: combining is permitted (may), substituting is forbidden (shall), both stated to an accountable subject."""
    determination = evaluate(KEY, ACCOUNTABLE)
    statements = {s.finding.rule_id: (s.finding.modality, s.text.zh) for s in determination.statements}
    assert statements["art16.combination"][0] == "may"
    assert statements["art16.no_substitution"][0] == "shall"
    assert "不得避重就轻或相互替代" in statements["art16.no_substitution"][1]


RATINGS = [
    pytest.param(
        "art13.verification",
        {"review": {"directed_rating": "some_reports", "findings_verified": None}},
        "applies",
        id="13-reports-to-verify",
    ),
    pytest.param("art13.verification", {"review": {"directed_rating": "none"}}, "does_not_apply", id="13-no-reports"),
    pytest.param("art17.annual_grade", RATED, "applies", id="17-some-reports-verified"),
    pytest.param(
        "art17.annual_grade", {"review": {"directed_rating": "serious", "findings_verified": True}}, "applies", id="17-serious-verified"
    ),
    pytest.param(
        "art17.annual_grade", {"review": {"directed_rating": "serious", "findings_verified": False}}, "does_not_apply", id="17-not-verified"
    ),
    pytest.param(
        "art17.annual_grade", {"review": {"directed_rating": "none", "findings_verified": True}}, "does_not_apply", id="17-no-reports"
    ),
    pytest.param(
        "art17.annual_grade",
        {"review": {"directed_rating": "serious", "findings_verified": None}},
        "undetermined",
        id="17-verification-unknown",
    ),
    pytest.param("art17.leadership_team", merge(RATED, {"subject": {"in_leadership_team": True}}), "applies", id="17-team-member"),
    pytest.param(
        "art17.leadership_team", merge(RATED, {"subject": {"in_leadership_team": False}}), "does_not_apply", id="17-not-team-member"
    ),
    pytest.param(
        "art17.leadership_team",
        {"review": {"directed_rating": "serious", "findings_verified": False}, "subject": {"in_leadership_team": True}},
        "does_not_apply",
        id="17-team-not-verified",
    ),
    pytest.param("art17.promotion_shortlist", merge(RATED, {"subject": {"on_promotion_shortlist": True}}), "applies", id="17-candidate"),
    pytest.param(
        "art17.promotion_shortlist", merge(RATED, {"subject": {"on_promotion_shortlist": False}}), "does_not_apply", id="17-not-candidate"
    ),
    pytest.param(
        "art17.promotion_shortlist",
        {"review": {"directed_rating": "none", "findings_verified": True}, "subject": {"on_promotion_shortlist": True}},
        "does_not_apply",
        id="17-candidate-no-reports",
    ),
    pytest.param("art17.reserve_list", merge(RATED, {"subject": {"on_reserve_list": True}}), "applies", id="17-reserve"),
    pytest.param("art17.reserve_list", merge(RATED, {"subject": {"on_reserve_list": False}}), "does_not_apply", id="17-not-reserve"),
    pytest.param(
        "art17.reserve_list",
        {"review": {"directed_rating": "some_reports", "findings_verified": False}, "subject": {"on_reserve_list": True}},
        "does_not_apply",
        id="17-reserve-not-verified",
    ),
]


@pytest.mark.parametrize(("rule_id", "patch", "expected"), RATINGS)
def test_directed_rating_consequences(rule_id: str, patch: dict[str, Any], expected: str) -> None:
    """A verified 问题严重/有较多反映 rating caps the grade and removes the person from each list they are on, even without art. 7 or 8."""
    assert result(KEY, merge(NOT_ACCOUNTABLE, patch), rule_id) == expected


def test_directed_rating_effects() -> None:
    """The verified rating sets grade 基本称职 or 不称职 and the status changes matching the person's status."""
    case = merge(
        NOT_ACCOUNTABLE, merge(RATED, {"subject": {"in_leadership_team": True, "on_promotion_shortlist": False, "on_reserve_list": True}})
    )
    determination = evaluate(KEY, case)
    grades = [i.annual_grade for i in _items(determination, "art17.annual_grade")]
    assert grades == [("basically_competent", "incompetent")]
    statuses = {s for i in determination.general_consequences for s in (i.status or ())}
    assert statuses == {"removed_from_leadership_team", "removed_from_reserve_list"}


def test_directed_rating_does_not_touch_organisations() -> None:
    """Art. 17 concerns cadres, not units."""
    assert result(KEY, merge(ORGANISATION, RATED), "art17.annual_grade") == "does_not_apply"


UNITS = [
    pytest.param("art14.inquiry", ORG_ISSUES, "applies", id="14-petitions"),
    pytest.param(
        "art14.inquiry",
        {"review": {"petitions_concentrated": False, "low_satisfaction_in_review": True}},
        "applies",
        id="14-low-satisfaction",
    ),
    pytest.param(
        "art14.inquiry",
        {"review": {"petitions_concentrated": False, "low_satisfaction_in_review": False}},
        "does_not_apply",
        id="14-neither",
    ),
    pytest.param("art18", ORG_ISSUES, "applies", id="18-petitions-prominent"),
    pytest.param(
        "art18",
        {"review": {"petitions_concentrated": False, "low_satisfaction_in_review": True, "problems_prominent": True}},
        "applies",
        id="18-low-satisfaction-prominent",
    ),
    pytest.param("art18", merge(ORG_ISSUES, {"review": {"problems_prominent": False}}), "does_not_apply", id="18-not-prominent"),
    pytest.param(
        "art18",
        {"review": {"petitions_concentrated": False, "low_satisfaction_in_review": False, "problems_prominent": True}},
        "does_not_apply",
        id="18-no-art-14-situation",
    ),
    pytest.param("art18", merge(ORG_ISSUES, {"review": {"problems_prominent": None}}), "undetermined", id="18-verification-pending"),
]


@pytest.mark.parametrize(("rule_id", "patch", "expected"), UNITS)
def test_region_or_unit_consequences(rule_id: str, patch: dict[str, Any], expected: str) -> None:
    """Concentrated petitions or low satisfaction lead to an inquiry; verified prominent problems to special rectification."""
    assert result(KEY, merge(ORGANISATION, patch), rule_id) == expected


def test_special_rectification_effects() -> None:
    """Art. 18 orders special rectification and accountability of the principal and responsible leaders, for a unit only."""
    determination = evaluate(KEY, merge(ORGANISATION, ORG_ISSUES))
    texts = [s.text.zh for s in determination.statements if s.finding.rule_id == "art18"]
    assert [s.kind for s in determination.statements if s.finding.rule_id == "art18"] == ["organisation", "organisation"]
    assert "开展专项整治" in texts[0]
    assert "主要负责人和分管负责人" in texts[1]
    assert determination.sanctions.accountable is False
    assert result(KEY, merge(LEADING_CADRE, ORG_ISSUES), "art18") == "does_not_apply"


ART19 = [
    pytest.param({"conduct": {"gravity": "serious"}, "decision": {"measures": ["removal"]}}, "applies", "does_not_apply", id="removal"),
    pytest.param({"conduct": {"gravity": "serious"}, "decision": {"measures": ["dismissal"]}}, "applies", "does_not_apply", id="dismissal"),
    pytest.param(
        {"decision": {"measures": ["admonition"]}}, "does_not_apply", "does_not_apply", id="admonition-not-organisational-handling"
    ),
    pytest.param({"decision": {"measures": ["admonition"], "discipline": ["party"]}}, "does_not_apply", "applies", id="discipline"),
    pytest.param(
        {"decision": {"measures": ["reminder"], "discipline": ["public_office"]}},
        "does_not_apply",
        "applies",
        id="administrative-discipline",
    ),
]


@pytest.mark.parametrize(("patch", "handling", "discipline"), ART19)
def test_article_19_attaches_to_handling_or_discipline(patch: dict[str, Any], handling: str, discipline: str) -> None:
    """Art. 19 follows organisational handling (the heavy band) or discipline, not the light measures."""
    determination = evaluate(KEY, merge(ACCOUNTABLE, patch))
    assert determination.step("art19.handling").result == handling
    assert determination.step("art19.discipline").result == discipline


@pytest.mark.parametrize("rule_id", ["art19.handling", "art19.discipline"])
def test_article_19_effects(rule_id: str) -> None:
    """Art. 19 always makes the result public, files it, costs the year's awards and freezes promotion for an unfixed period."""
    case = merge(ACCOUNTABLE, {"conduct": {"gravity": "serious"}, "decision": {"measures": ["demotion"], "discipline": ["party"]}})
    determination = evaluate(KEY, case)
    items = _items(determination, rule_id)
    assert {i.citation.article for i in items} == {"第十九条"}
    assert {s for i in items for s in (i.status or ())} == {"made_public", "filed_in_personnel_record", "reappointment_needs_approval"}
    assert [i.awards for i in items if i.awards] == ["lost_for_year"]
    freezes = [i.freeze for i in items if i.freeze]
    assert len(freezes) == 1
    assert (freezes[0].restriction, freezes[0].length, freezes[0].months, freezes[0].until) == ("promotion", "not_fixed", None, None)
    assert g.load(KEY).rule(rule_id).rule.modality == "always"


def test_no_freeze_has_a_length() -> None:
    """The document names no influence-period length, so no rule invents one."""
    for rule in g.load(KEY):
        for effect in rule.rule.then:
            if effect.freeze:
                assert (effect.freeze.length, effect.freeze.months) == ("not_fixed", None)


def test_rights_stated_to_the_accountable() -> None:
    """Art. 22 states the rights to 陈述、申辩和申诉 whenever someone is held accountable."""
    determination = evaluate(KEY, ACCOUNTABLE)
    texts = [s.text.zh for s in determination.statements if s.finding.rule_id == "art22.rights"]
    assert texts == ["依法保障当事人的陈述、申辩和申诉等权利"]


# ---------------------------------------------------------------------------- exemptions (arts. 23 and 26)

MISTAKE: dict[str, Any] = merge(
    merge(FUNCTIONARY, APPLIES["art8.1"]),
    {"conduct": {"acts": ["implementing_decisions_ineffectively"], "gravity": "minor"}, "context": {"diligent": True}},
)
"""A functionary whose diligent work carrying out a deployment fell seriously behind (art. 8(1)): a mistake, not misconduct."""

TOLERANCE = [
    pytest.param({"context": {"reform_or_pilot": True, "exploratory_trial": False}}, "applies", id="reform-or-pilot"),
    pytest.param({"context": {"reform_or_pilot": False, "exploratory_trial": True}}, "applies", id="exploratory-trial"),
    pytest.param({"context": {"reform_or_pilot": False, "exploratory_trial": False}}, "does_not_apply", id="ordinary-work"),
    pytest.param({"context": {"reform_or_pilot": None, "exploratory_trial": False}}, "undetermined", id="unknown"),
]


@pytest.mark.parametrize(("patch", "expected"), TOLERANCE)
def test_tolerance_of_exploration_errors(patch: dict[str, Any], expected: str) -> None:
    """Art. 23 makes an error in exploration and innovation eligible for tolerance, at discretion, never an automatic exemption."""
    # Art. 23 tolerates 失误, a mistake, not misconduct (issue 14): the case is a diligent shortfall carrying out a
    # deployment, no longer the breach of work discipline of ACCOUNTABLE, which is no mistake in any setting.
    determination = evaluate(KEY, merge(merge(MISTAKE, CLOSED_EXEMPTIONS), patch))
    assert determination.step("art23").result == expected
    if expected == "applies":
        assert determination.exemption.outcome == "eligible"
        assert determination.step("art23").result == "applies"
        assert determination.sanctions.accountable is True
        assert g.load(KEY).rule("art23").rule.modality == "as_warranted"
    if expected == "does_not_apply":
        assert determination.exemption.outcome == "none"


def test_unknown_allegation_leaves_accountability_open() -> None:
    """While it is unknown whether the allegation was false, the mandatory art. 26 exemption keeps accountability open."""
    determination = evaluate(KEY, merge(ACCOUNTABLE, {"inquiry": {"allegation": None}}))
    assert determination.step("art26.cleared").result == "undetermined"
    assert determination.sanctions.accountable is None
    assert any(q.rule_id == "art26.cleared" and q.unknown_facts == ("inquiry.allegation",) for q in determination.open_questions)


CLEARED = [
    pytest.param("fabricated", "applies", id="fabricated"),
    pytest.param("mistaken", "applies", id="mistaken"),
    pytest.param("verified", "does_not_apply", id="verified"),
]


@pytest.mark.parametrize(("allegation", "expected"), CLEARED)
def test_false_accusation_clears_the_cadre(allegation: str, expected: str) -> None:
    """Art. 26: a fabricated or mistaken allegation exempts the cadre (shall) and their name is cleared."""
    case = merge(merge(ACCOUNTABLE, CLOSED_EXEMPTIONS), {"inquiry": {"allegation": allegation}})
    determination = evaluate(KEY, case)
    assert determination.step("art26.cleared").result == expected
    assert determination.step("art26.name_cleared").result == expected
    cleared = {s for i in determination.general_consequences for s in (i.status or ())} == {"name_cleared"}
    if expected == "applies":
        assert determination.exemption.outcome == "granted"
        assert determination.sanctions.accountable is False
        assert determination.step("art15.light").result == "not_reached"
        assert cleared
        assert determination.exemption.statement is not None
        assert "恢复名誉" in determination.exemption.statement.zh
    else:
        assert determination.exemption.outcome == "none"
        assert determination.sanctions.accountable is True
        assert not cleared


ACCUSER = [
    pytest.param("art26.accuser", {"conduct": {"acts": ["fabricating_accusations"], "gravity": "minor"}}, "applies", id="fabricating"),
    pytest.param(
        "art26.accuser", {"conduct": {"acts": ["concealing_or_not_reporting"], "gravity": "minor"}}, "does_not_apply", id="no-fabrication"
    ),
    pytest.param(
        "art26.accuser_serious", {"conduct": {"acts": ["fabricating_accusations"], "gravity": "grave"}}, "applies", id="fabricating-grave"
    ),
    pytest.param(
        "art26.accuser_serious",
        {"conduct": {"acts": ["fabricating_accusations"], "gravity": "serious"}},
        "does_not_apply",
        id="fabricating-not-grave",
    ),
    pytest.param(
        "art26.accuser_serious", {"conduct": {"acts": ["slacking"], "gravity": "grave"}}, "does_not_apply", id="grave-without-fabrication"
    ),
]


@pytest.mark.parametrize(("rule_id", "patch", "expected"), ACCUSER)
def test_false_accuser(rule_id: str, patch: dict[str, Any], expected: str) -> None:
    """A covered person who fabricates accusations is stopped and criticised, and pursued by law if grave."""
    assert result(KEY, merge(FUNCTIONARY, patch), rule_id) == expected


def test_false_accusation_is_not_inaction() -> None:
    """Fabricating accusations is handled under art. 26 alone: no art. 7 or 8 circumstance and no art. 15 measures."""
    determination = evaluate(KEY, merge(FUNCTIONARY, {"conduct": {"acts": ["fabricating_accusations"], "gravity": "grave"}}))
    assert determination.circumstances == ()
    assert determination.sanctions.accountable is False
    assert determination.sanctions.measures == ()
    assert {s.finding.rule_id for s in determination.statements} >= {"art26.accuser", "art26.accuser_serious"}
