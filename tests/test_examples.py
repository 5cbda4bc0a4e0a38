"""The example cases in examples/cases/: every file is a valid, documented case, and under Benxi each
reaches the determination its story calls for."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import guanzhi_rules as g
from guanzhi_rules._cli import main
from guanzhi_rules._loader import rules_dir

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "cases"
FILES = sorted(EXAMPLES.glob("*.yaml"))
CJK = re.compile(r"[\u4e00-\u9fff]")


def _benxi(stem: str) -> g.Determination:
    return g.load("benxi").evaluate(g.read_case(EXAMPLES / f"{stem}.yaml"))


def test_there_are_enough_examples() -> None:
    """The examples directory holds the petitions case and at least nine more."""
    assert len(FILES) >= 10
    assert EXAMPLES / "serious_inaction_petitions.yaml" in FILES


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_example_is_documented(path: Path) -> None:
    """Each example opens with a comment on what happened and carries an id and a Chinese summary."""
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# ")
    case = g.read_case(path)
    assert case.id
    assert case.summary is not None
    assert CJK.search(case.summary)


def test_example_ids_are_unique() -> None:
    """No two examples share an id."""
    ids = [g.read_case(p).id for p in FILES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_example_loads_and_evaluates_under_benxi(path: Path) -> None:
    """Each example validates and evaluates under Benxi with a decided scope and the case id carried through."""
    case = g.read_case(path)
    det = g.load("benxi").evaluate(case)
    assert det.jurisdiction.key == "benxi"
    assert det.case_id == case.id
    assert det.scope.outcome in ("covered", "not_covered")
    assert det.to_json()


AVAILABLE = [key for key in g.BUNDLED if (rules_dir() / f"{key}.yaml").is_file()]


@pytest.mark.parametrize("key", AVAILABLE)
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_example_evaluates_under_every_available_rule_set(path: Path, key: str) -> None:
    """The same case is evaluable under every bundled rule set present in rules/ (one still being written is skipped)."""
    try:
        ruleset = g.load(key)
    except g.RuleSetError as exc:  # a rule file's own tests report its errors
        pytest.skip(f"{key} does not load: {exc}")
    det = ruleset.evaluate(g.read_case(path))
    assert det.jurisdiction.key == key


# ------------------------------------------------------------------------------------ expectations under Benxi
LIGHT = ("criticism_education", "self_examination", "circulated_criticism", "admonition")
HEAVY = ("transfer", "resignation_taking_blame", "ordered_resignation", "removal", "demotion")

EXPECTED: dict[str, dict[str, Any]] = {
    "serious_inaction_petitions": {
        "scope": "covered", "circumstances": {"art6.9", "art7.2"}, "measures": HEAVY, "referrals": []},
    "minor_inaction": {
        "scope": "covered", "circumstances": {"art7.2"}, "measures": LIGHT, "referrals": []},
    "failed_reform_pilot": {
        "scope": "covered", "circumstances": {"art7.1", "art7.2"}, "measures": LIGHT, "referrals": []},
    "village_cadre": {
        "scope": "not_covered", "circumstances": set(), "measures": (), "referrals": []},
    "organisation": {
        "scope": "covered", "circumstances": {"art6.4.rural_lagging", "art6.8.rectification", "art7.2"}, "measures": (),
        "referrals": []},
    "concealed_accident": {
        "scope": "covered",
        "circumstances": {"art6.1", "art6.7", "art6.8.subordinates_lie", "art6.10.concealment", "art7.2"},
        "measures": HEAVY, "referrals": ["judicial_organs", "party_discipline", "public_office_discipline"]},
    "uncorrected_admonition": {
        "scope": "covered", "circumstances": {"art6.5.tasks_unmet", "art6.8.rectification", "art7.2"},
        "measures": HEAVY, "referrals": []},
    "non_party_leading_cadre": {
        "scope": "covered", "circumstances": {"art6.3.weak_crackdown", "art6.7", "art7.2"}, "measures": HEAVY,
        "referrals": ["public_office_discipline"]},
    "emergency_force_majeure": {
        "scope": "covered", "circumstances": {"art6.10.response", "art7.2"}, "measures": LIGHT, "referrals": []},
    "interfering_in_market": {
        "scope": "covered", "circumstances": set(), "measures": (), "referrals": []},
    # The petitions case again, at other times and places: time and place mark the outcome, they do not change it.
    **{stem: {"scope": "covered", "circumstances": {"art6.9", "art7.2"}, "measures": HEAVY, "referrals": []}
       for stem in ("conduct_before_yangjiang", "hubei_county_official", "benxi_zone_official", "transfer_across_amendment")},
}
"""Per example: scope outcome, circumstance rules found, permitted measures, referrals (sorted).

Art. 7(2) quotes the broad word 不认真履职 (performing_duties_poorly): every narrower kind of poor performance with
adverse consequences meets it (supervision, handling, absence, implementation, leading a team), so it stands beside
the items found in failed_reform_pilot, organisation, concealed_accident, non_party_leading_cadre and
emergency_force_majeure; the bands read 情节, not the item, so no range changes.
"""


OPEN = {"rural_road_director"}
"""Examples that leave judgement points open on purpose (情节 not stated): the decision space is their point."""


def test_every_example_has_expectations() -> None:
    """Every example file has an expectation row or is left open on purpose, and every row names an existing file."""
    assert set(EXPECTED) | OPEN == {p.stem for p in FILES}


def test_the_open_example_waits_for_judgement_under_benxi() -> None:
    """The road project, 情节 not stated: Benxi neither holds nor clears the director, and its decision space splits on 情节."""
    det = _benxi("rural_road_director")
    assert det.sanctions.accountable is None
    assert det.decision_space is not None and "conduct.gravity" in det.decision_space.points


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_example_determination_under_benxi(stem: str) -> None:
    """Under Benxi each example gets its expected scope, circumstances, range of measures and referrals, nothing left open."""
    want = EXPECTED[stem]
    det = _benxi(stem)
    assert det.scope.outcome == want["scope"]
    assert {c.finding.rule_id for c in det.circumstances} == want["circumstances"]
    assert det.sanctions.measures == want["measures"]
    assert sorted(r.to for r in det.referrals) == want["referrals"]
    assert [q.rule_id for q in det.open_questions if q.unknown_facts] == []


def test_minor_inaction_gets_only_the_light_band() -> None:
    """The slow bureau chief's minor case is for the light measures of art. 8, at discretion; art. 9 does not apply."""
    det = _benxi("minor_inaction")
    assert det.step("art8").result == "applies"
    assert det.step("art9").result == "does_not_apply"
    assert det.sanctions.discretionary is True
    assert det.sanctions.mandatory is False


def test_failed_reform_pilot_is_not_exempted_because_benxi_is_silent() -> None:
    """Benxi has no tolerance-of-error provision: the failed pilot stays accountable and the exemption is not provided."""
    det = _benxi("failed_reform_pilot")
    assert det.exemption.outcome == "not_provided"
    assert det.exemption.statement is not None
    assert det.exemption.statement.zh.startswith("本办法未规定容错免责情形")
    assert det.sanctions.accountable is True


def test_emergency_force_majeure_is_not_exempted_because_benxi_is_silent() -> None:
    """Force majeure in a flood excuses nothing under Benxi, which has no exemption: the township head remains accountable."""
    det = _benxi("emergency_force_majeure")
    assert det.exemption.outcome == "not_provided"
    assert det.sanctions.accountable is True
    assert det.step("art8").result == "applies"


def test_village_cadre_is_not_covered() -> None:
    """A village committee director is not a leading cadre of a party or government organ, so nothing is reached."""
    det = _benxi("village_cadre")
    assert det.scope.finding is None
    assert {s.result for s in det.trace if s.stage != "scope"} == {"not_reached"}
    assert det.sanctions.accountable is False


def test_organisation_gets_reorganisation_but_no_personal_measures() -> None:
    """The party working committee gets the art. 12 reorganisation statement; art. 9's measures for persons do not apply."""
    det = _benxi("organisation")
    assert det.scope.finding is not None
    assert det.scope.finding.rule_id == "art2.organisation"
    assert [s.finding.rule_id for s in det.statements if s.kind == "organisation"] == ["art12"]
    assert det.step("art9").result == "does_not_apply"
    assert det.sanctions.accountable is True


def test_concealed_accident_removal_consequences_and_referrals() -> None:
    """The concealed mine accident goes to judicial organs; removal brings 12- and 24-month freezes, discipline its own period."""
    det = _benxi("concealed_accident")
    assert det.step("art6.10.concealment").result == "applies"
    assert det.step("art10.judicial").result == "applies"
    (removal,) = det.consequences
    assert removal.measure == "removal"
    freezes = sorted((i.freeze.restriction, i.freeze.months) for i in removal.items if i.freeze)
    assert freezes == [("equivalent_post", 12), ("promotion", 24)]
    assert any(i.awards == "lost_for_year" for i in removal.items)
    assert [i.rule_id for i in det.general_consequences] == ["art13.discipline", "art13.reappointment_after_discipline"]
    assert "art11.follow_up" in [s.finding.rule_id for s in det.statements]


def test_uncorrected_admonition_transfer_consequences() -> None:
    """The environment bureau director transferred from post is barred from promotion for one year, nothing more."""
    det = _benxi("uncorrected_admonition")
    (transfer,) = det.consequences
    assert transfer.measure == "transfer"
    assert transfer.chosen is True
    assert [(i.freeze.restriction, i.freeze.months) for i in transfer.items if i.freeze] == [("promotion", 12)]
    assert det.step("art13.resignation_removal").result == "does_not_apply"


def test_non_party_leading_cadre_gets_public_office_discipline_only() -> None:
    """The non-party deputy director's discipline breach leads to a public-office sanction and no party discipline."""
    det = _benxi("non_party_leading_cadre")
    assert det.step("art10.party_discipline").result == "does_not_apply"
    assert det.step("art10.public_office").result == "applies"


def test_misconduct_in_office_falls_outside_benxi_items() -> None:
    """Benxi is about 不担当不作为 only: the land-auction interference (为官乱为) is outside both general definitions, a firm no.

    The catch-alls 第六条（十一）、第七条（六）now ask for a finding only on conduct within those definitions, so they
    do not apply here and no catch-all notice or open question remains (formerly: a notice that a finding might be needed).
    """
    det = _benxi("interfering_in_market")
    assert det.sanctions.accountable is False
    assert det.step("art10.judicial").result == "does_not_apply"
    assert det.step("art6.11").result == "does_not_apply"
    assert det.step("art7.6").result == "does_not_apply"
    assert [q.rule_id for q in det.open_questions if q.unknown_facts] == []


def test_failed_reform_pilot_differs_where_the_texts_differ() -> None:
    """One fact sheet under all five (`guanzhi evaluate CASE -j all`): the exemption follows each text.

    Yueyang art. 17 and Zhejiang 三.5 exempt (应当/不作负面评价); Yangjiang 二(二)1 and Jiangsu art. 23
    allow it (可以/宽容); Benxi has no provision.
    """
    result = CliRunner().invoke(main, ["evaluate", str(EXAMPLES / "failed_reform_pilot.yaml"), "-j", "all", "--format", "json"])
    assert result.exit_code == 0, result.output
    outcomes = {d["jurisdiction"]["key"]: d["exemption"]["outcome"] for d in json.loads(result.stdout)}
    assert outcomes == {
        "yueyang": "granted", "zhejiang": "granted", "yangjiang": "eligible", "jiangsu": "eligible", "benxi": "not_provided"}
    accountable = {d["jurisdiction"]["key"]: d["sanctions"]["accountable"] for d in json.loads(result.stdout)}
    assert accountable["yueyang"] is False and accountable["zhejiang"] is False and accountable["benxi"] is True


def test_granted_exemption_is_explained_by_a_mandatory_rule() -> None:
    """Yueyang: the failed pilot is exempt; the stated result is the mandatory exemption's, not the tolerance principle's."""
    det = g.load("yueyang").evaluate(g.read_case(EXAMPLES / "failed_reform_pilot.yaml"))
    assert det.exemption.outcome == "granted"
    assert det.exemption.statement is not None and "免予问责" in det.exemption.statement.zh
