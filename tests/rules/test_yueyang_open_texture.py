"""Yueyang's open texture (issue 13): catch-alls that ask for a finding, open 等 lists, broad and narrow act words.

- 第七条(十) and 第八条(十) read art. 2's general definitions of 为官不为 and 为官乱为
  (``inaction_in_office``, ``misconduct_in_office`` in rules/yueyang.yaml) and the finding
  ``findings.other_circumstance``; 第十五条(四) and 第十六条(三) read ``findings.other_aggravating`` and
  ``findings.other_mitigating`` where an art. 7 or 8 circumstance stands or awaits a finding.
- The field lists of 第七条(七), (九) (both alternatives) and 第八条(三) end in 等: an unlisted field of the
  same kind needs ``findings.subject_in_open_list``. Art. 3's scope lists have no 等 and stay closed.
- A rule that names a broad act catches every narrower act (``ACT_LINKS``); the error exemptions
  (第十七条(一), 激励办法第八条) read ``diligent_error`` (or diligence found, ``context.diligent``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import guanzhi_rules as g
from guanzhi_rules import Determination
from guanzhi_rules._conditions import Comparison, walk
from guanzhi_rules._vocab import narrower
from tests.rules.test_yueyang import ART14_MEASURES, SCENARIOS, rule_id
from tests.support import LEADING_CADRE, applies_or_gives_way, merge

KEY = "yueyang"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "cases"

NOT_EXEMPT: dict[str, Any] = {"context": {"reform_or_pilot": False, "emergency": "none", "force_majeure": False}}
"""No reform or pilot, no emergency, no force majeure: every exemption is decided false."""

QUIET: dict[str, Any] = {
    "inquiry": {"obstructed": False, "falsified_or_concealed": False, "retaliated": False,
                "remedied_effectively": False, "cooperated": False, "accepted_responsibility": False},
    "findings": {"other_aggravating": False, "other_mitigating": False},
    "harm": {"public_reaction": "none"},
    "context": {"unable_to_perform": False},
}
"""No factor of arts. 15–16, no other aggravating or mitigating circumstance found, no public reaction, no impossibility."""


def evaluate(*patches: dict[str, Any]) -> Determination:
    """A county party-organ leading cadre within their responsibility, no exemption, no factor, with ``patches``."""
    case = merge(LEADING_CADRE, NOT_EXEMPT)
    case = merge(case, QUIET)
    for patch in patches:
        case = merge(case, patch)
    return g.load(KEY).evaluate(case)


def question(d: Determination, rule: str) -> tuple[str, ...]:
    """The unknown facts of the open question about ``rule``."""
    (q,) = [q for q in d.open_questions if q.rule_id == rule]
    return q.unknown_facts


def branch_for(d: Determination, point: str, answer: Any) -> list[Any]:
    """The decision-space branches that cover ``answer`` to ``point``."""
    assert d.decision_space is not None
    assert point in d.decision_space.points
    return [b for b in d.decision_space.branches if answer in b.when[point]]


# ---------------------------------------------------------------- 第七条(十)、第八条(十)

CATCH_ALL_CASES: dict[str, dict[str, Any]] = {
    # idle and listless within one's own duties, with adverse influence: inaction no art. 7 item lists
    "art7.10": {"conduct": {"acts": ["slacking"]}, "harm": {"influence": "adverse", "consequences": "adverse"}},
    # blind borrowing with serious consequences: an irregular decision no art. 8 item lists
    "art8.10": {"conduct": {"acts": ["reckless_borrowing"]}, "harm": {"consequences": "serious", "influence": "adverse"}},
}


@pytest.mark.parametrize("rule", list(CATCH_ALL_CASES))
def test_catch_all_within_the_definition_needs_a_finding(rule: str) -> None:
    """Conduct within art. 2's definition that matches no item awaits a finding: undetermined, accountability open, a branch."""
    d = evaluate(CATCH_ALL_CASES[rule])
    assert d.circumstances == ()
    assert d.step(rule).result == "undetermined"
    assert d.sanctions.accountable is None
    assert "findings.other_circumstance" in question(d, rule)
    (found,) = branch_for(d, "findings.other_circumstance", True)
    assert (found.accountable, found.circumstances, found.measures) == (True, (rule,), ART14_MEASURES)
    (not_found,) = branch_for(d, "findings.other_circumstance", False)
    assert (not_found.accountable, not_found.measures) == (False, ())


@pytest.mark.parametrize("gravity", ["minor", "grave"])
@pytest.mark.parametrize("rule", list(CATCH_ALL_CASES))
def test_catch_all_found_applies_with_the_whole_ladder(rule: str, gravity: str) -> None:
    """With the finding, the catch-all applies and art. 14's six rungs are open whatever the 情节 (art. 14 does not grade)."""
    d = evaluate(CATCH_ALL_CASES[rule], {"conduct": {"gravity": gravity}, "findings": {"other_circumstance": True}})
    assert d.step(rule).result == "applies"
    assert [c.finding.rule_id for c in d.circumstances] == [rule]
    assert d.sanctions.accountable is True
    assert d.sanctions.measures == ART14_MEASURES
    assert [b.rule_id for b in d.sanctions.bands] == ["art14"]


@pytest.mark.parametrize("rule", list(CATCH_ALL_CASES))
def test_catch_all_not_found_is_not_accountable(rule: str) -> None:
    """The decision-maker finding it is no 'other' circumstance leaves no accountability."""
    d = evaluate(CATCH_ALL_CASES[rule], {"findings": {"other_circumstance": False}})
    assert d.step(rule).result == "does_not_apply"
    assert d.sanctions.accountable is False
    assert d.decision_space is None


@pytest.mark.parametrize(
    ("rule", "patch"),
    [
        pytest.param("art7.10", {"conduct": {"acts": ["diligent_error"]}}, id="art7.10-diligent-error"),
        pytest.param("art8.10", {"conduct": {"acts": ["diligent_error"]}}, id="art8.10-diligent-error"),
        pytest.param("art7.10", {"conduct": {"acts": []}}, id="art7.10-no-act"),
        pytest.param("art7.10", {"conduct": {"within_responsibility": False}}, id="art7.10-not-own-duty"),
        pytest.param("art8.10", {"conduct": {"acts": ["concealing_personal_matters"]},
                                 "subject": {"is_leading_cadre": False}}, id="art8.10-personal-report"),
        pytest.param("art7.10", {"harm": {"influence": "none", "consequences": "none"}}, id="art7.10-no-harm"),
        pytest.param("art8.10", {"harm": {"influence": "none", "consequences": "adverse"}}, id="art8.10-no-harm"),
    ],
)
def test_catch_all_outside_the_definition_is_a_firm_no(rule: str, patch: dict[str, Any]) -> None:
    """Conduct outside art. 2 (a diligent error, no act, not one's own duty, no harm the item names) is a firm no."""
    d = evaluate(CATCH_ALL_CASES[rule], patch)
    assert d.step(rule).result == "does_not_apply"
    assert d.sanctions.accountable is False
    assert not any(q.rule_id in ("art7.10", "art8.10") for q in d.open_questions)


def test_inaction_and_misconduct_definitions_do_not_overlap_on_one_act() -> None:
    """An act of inaction asks only 7(十), an act of misconduct only 8(十): one finding does not put a case in both."""
    inaction = evaluate(CATCH_ALL_CASES["art7.10"])
    misconduct = evaluate(CATCH_ALL_CASES["art8.10"])
    assert inaction.step("art8.10").result == "does_not_apply"
    assert misconduct.step("art7.10").result == "does_not_apply"


def test_misconduct_catch_all_does_not_need_own_responsibility() -> None:
    """Like the art. 8 items, 8(十) asks for a finding even where the matter lay outside the person's own duties."""
    d = evaluate(CATCH_ALL_CASES["art8.10"], {"conduct": {"within_responsibility": False}})
    assert d.step("art8.10").result == "undetermined"
    assert d.sanctions.accountable is None


def test_uncorrected_admonition_example_needs_a_finding() -> None:
    """The uncorrected-admonition example (buck-passing, token rectification) now needs a 7(十) finding, not 'no'."""
    d = g.load(KEY).evaluate(g.read_case(EXAMPLES / "uncorrected_admonition.yaml"))
    assert d.step("art7.10").result == "undetermined"
    assert d.sanctions.accountable is None
    assert [b.accountable for b in branch_for(d, "findings.other_circumstance", True)] == [True]


# ---------------------------------------------------------------- 第十五条(四)、第十六条(三)

FACTOR_CATCH_ALLS = {"art15.4": ("other_aggravating", "heavier"), "art16.3": ("other_mitigating", "lighter")}
TRIGGER: dict[str, Any] = {"conduct": {"acts": ["public_commitment_unmet"]}, "findings": {"other_circumstance": False},
                           "harm": {"influence": "adverse"}}
"""Art. 7(六): a public commitment not honoured, with art. 2's harm (adverse influence); no 'other' circumstance besides."""


def _unfound(finding: str) -> dict[str, Any]:
    return {"findings": {finding: None}}


@pytest.mark.parametrize("rule", list(FACTOR_CATCH_ALLS))
def test_factor_catch_all_needs_a_finding(rule: str) -> None:
    """With an art. 7 circumstance, 'other' aggravating or mitigating circumstances await a finding; accountability stands."""
    finding, _ = FACTOR_CATCH_ALLS[rule]
    d = evaluate(TRIGGER, _unfound(finding))
    assert d.step(rule).result == "undetermined"
    assert f"findings.{finding}" in question(d, rule)
    assert d.sanctions.accountable is True
    # a factor moves the choice within the range, not the range itself, so no outcome hangs on it
    assert d.decision_space is None


@pytest.mark.parametrize("rule", list(FACTOR_CATCH_ALLS))
def test_factor_catch_all_found_moves_the_emphasis(rule: str) -> None:
    """Found, the catch-all applies and moves the choice to the heavier (从重) or lighter (从轻) end, not below the range."""
    finding, emphasis = FACTOR_CATCH_ALLS[rule]
    d = evaluate(TRIGGER, {"findings": {finding: True}})
    assert d.step(rule).result == "applies"
    assert (d.sanctions.emphasis, d.sanctions.reduced_below_range) == (emphasis, False)
    assert d.sanctions.measures == ART14_MEASURES


@pytest.mark.parametrize("rule", list(FACTOR_CATCH_ALLS))
def test_factor_catch_all_not_found(rule: str) -> None:
    """Found not to exist, the catch-all does not apply and the emphasis stays neutral."""
    d = evaluate(TRIGGER)
    assert d.step(rule).result == "does_not_apply"
    assert d.sanctions.emphasis == "none"


@pytest.mark.parametrize("rule", list(FACTOR_CATCH_ALLS))
def test_factor_catch_all_without_a_circumstance_is_not_asked(rule: str) -> None:
    """With no art. 7 or 8 circumstance possible (a diligent error only), the factor catch-alls are not asked."""
    finding, _ = FACTOR_CATCH_ALLS[rule]
    d = evaluate({"conduct": {"acts": ["diligent_error"]}}, _unfound(finding))
    assert d.step(rule).result == "does_not_apply"
    assert d.sanctions.accountable is False


def test_factor_catch_all_follows_an_undetermined_circumstance() -> None:
    """Where only 7(十) is open, 15(四) waits on both findings: the circumstance's and its own."""
    d = evaluate(CATCH_ALL_CASES["art7.10"], _unfound("other_aggravating"))
    assert d.step("art15.4").result == "undetermined"
    assert {"findings.other_aggravating", "findings.other_circumstance"} <= set(question(d, "art15.4"))


# ---------------------------------------------------------------- open 等 lists

OPEN_LISTS: dict[str, dict[str, Any]] = {
    # 7(七): disobeying unified command in accident rescue, an emergency-response work the list does not name
    "art7.7": {"conduct": {"acts": ["disobeying_assignment"], "fields": ["work_safety"]},
               "context": {"emergency": "major"}, "harm": {"effects": ["work_delayed"]}},
    # 7(九): rural revitalisation, a key work the list does not name, progressing slowly
    "art7.9.slow_progress": {"conduct": {"acts": ["performing_duties_poorly"], "fields": ["rural_revitalisation"]},
                             "performance": {"shortfalls": ["slow_progress"]}},
    # 7(九): pollution control vetoed in assessment, a veto item the list does not name
    "art7.9.veto": {"conduct": {"acts": ["performing_duties_poorly"], "fields": ["pollution_control"]},
                    "performance": {"shortfalls": ["vetoed_in_assessment"]}},
    # 8(三): stirring discord in party-conduct work, organisational work the list does not name
    "art8.3": {"conduct": {"acts": ["factional_or_electoral_misconduct"], "fields": ["party_conduct"]},
               "harm": {"effects": ["unity_affected"]}},
}
NO_OTHER: dict[str, Any] = {"findings": {"other_circumstance": False}, "harm": {"influence": "none", "consequences": "none"}}
"""No 'other' circumstance found and no harm: the catch-alls stay out, so only the open list decides."""


@pytest.mark.parametrize("rule", list(OPEN_LISTS))
def test_open_list_unlisted_field_needs_a_finding(rule: str) -> None:
    """An unlisted field of the same kind makes the item undetermined: accountability open, a branch for the finding."""
    d = evaluate(OPEN_LISTS[rule], NO_OTHER)
    assert d.step(rule).result == "undetermined"
    assert d.sanctions.accountable is None
    assert "findings.subject_in_open_list" in question(d, rule)
    (found,) = branch_for(d, "findings.subject_in_open_list", True)
    assert (found.accountable, found.circumstances) == (True, (rule,))
    (not_found,) = branch_for(d, "findings.subject_in_open_list", False)
    assert not_found.accountable is False


@pytest.mark.parametrize("gravity", ["minor", "grave"])
@pytest.mark.parametrize("rule", list(OPEN_LISTS))
def test_open_list_found_applies(rule: str, gravity: str) -> None:
    """Found to belong with the list, the item applies and art. 14's whole ladder is open, whatever the 情节."""
    d = evaluate(OPEN_LISTS[rule], NO_OTHER, {"conduct": {"gravity": gravity}, "findings": {"subject_in_open_list": True}})
    assert d.step(rule).result == "applies"
    assert d.sanctions.accountable is True
    assert d.sanctions.measures == ART14_MEASURES


@pytest.mark.parametrize("rule", list(OPEN_LISTS))
def test_open_list_not_found(rule: str) -> None:
    """Found not to belong with the list, the item does not apply and there is no accountability."""
    d = evaluate(OPEN_LISTS[rule], NO_OTHER, {"findings": {"subject_in_open_list": False}})
    assert d.step(rule).result == "does_not_apply"
    assert d.sanctions.accountable is False


def test_listed_field_needs_no_finding() -> None:
    """A listed field applies the item without any finding (the open list only adds to it)."""
    d = evaluate(OPEN_LISTS["art7.9.slow_progress"], {"conduct": {"fields": ["investment_promotion"]}})
    assert d.step("art7.9.slow_progress").result == "applies"
    assert "findings.subject_in_open_list" not in {p for q in d.open_questions for p in q.unknown_facts}


def test_open_list_7_7_admits_only_emergency_work() -> None:
    """7(七)'s 等 admits other emergency-response work only: outside any emergency an unlisted field is a firm no."""
    d = evaluate(OPEN_LISTS["art7.7"], NO_OTHER, {"context": {"emergency": "none"}})
    assert d.step("art7.7").result == "does_not_apply"
    assert d.sanctions.accountable is False


def test_open_list_outside_the_general_definition() -> None:
    """Outside one's own duties the 7(九) item does not apply, whatever the field (art. 2: one's own duties)."""
    d = evaluate(OPEN_LISTS["art7.9.slow_progress"], NO_OTHER, {"conduct": {"within_responsibility": False}})
    assert d.step("art7.9.slow_progress").result == "does_not_apply"
    assert d.sanctions.accountable is False


def test_scope_lists_have_no_deng_and_stay_closed() -> None:
    """Art. 3 lists organs without 等: a non-state-functionary leading cadre of an unlisted organisation is not covered."""
    d = evaluate(TRIGGER, {"subject": {"organisation_type": "other", "is_state_functionary": False,
                                       "is_head_of_organisation": False}})
    assert d.scope.outcome == "not_covered"


def test_soe_leadership_member_is_covered_by_reference() -> None:
    """Issue 14: 企业负责人 includes the members of an SOE's leadership, not only its single head: covered by reference."""
    d = evaluate(TRIGGER, {"subject": {"organisation_type": "state_owned_enterprise", "is_state_functionary": False,
                                       "is_head_of_organisation": False, "is_leading_cadre": True}})
    assert d.scope.outcome == "covered_by_reference"
    assert d.scope.finding is not None and d.scope.finding.rule_id == "art3.reference.soe_head"


# ---------------------------------------------------------------- broad and narrow act words


def _broad_acts(rule: g.RuleSet, rid: str) -> list[tuple[str, str]]:
    """(broad act, narrower act) pairs for every act the rule's condition names that has narrower acts."""
    compiled = rule.rule(rid)
    pairs = []
    for part in walk(compiled.condition) if compiled.condition is not None else ():
        if isinstance(part, Comparison) and part.spec.path == "conduct.acts":
            named = (part.value,) if part.op == "has" else sorted(part.value)
            for act in named:
                pairs += [(str(act), n.value) for n in sorted(narrower(act), key=lambda v: v.value) if n != act]
    return pairs


def _act_cases() -> list[Any]:
    ruleset = g.load(KEY)
    rows = []
    for rid in dict.fromkeys(rule_id(s) for s in SCENARIOS):
        with_acts = [s for s in SCENARIOS if rule_id(s) == rid and SCENARIOS[s].get("conduct", {}).get("acts")]
        pairs = _broad_acts(ruleset, rid)
        if with_acts and pairs:
            rows += [pytest.param(with_acts[0], broad, narrow, id=f"{rid}-{broad}>{narrow}") for broad, narrow in pairs]
    return rows


ACT_CASES = _act_cases()


def test_there_are_rules_naming_broad_acts() -> None:
    """The act-structure test below is not vacuous: several rules name broad acts."""
    assert {p.values[0].split("#")[0] for p in ACT_CASES} >= {"art7.1", "art7.9.slow_progress", "art7.9.veto", "art7.10", "art8.10"}


@pytest.mark.parametrize(("scenario", "broad", "narrow"), ACT_CASES)
def test_narrower_act_gets_the_rule(scenario: str, broad: str, narrow: str) -> None:
    """A rule naming a broad act applies to each narrower act with its other qualifiers, never more leniently."""
    rid = rule_id(scenario)
    base = merge(LEADING_CADRE, SCENARIOS[scenario])
    d_broad = g.load(KEY).evaluate(merge(base, {"conduct": {"acts": [broad]}}))
    d_narrow = g.load(KEY).evaluate(merge(base, {"conduct": {"acts": [narrow]}}))
    assert applies_or_gives_way(d_broad, KEY, rid)
    assert applies_or_gives_way(d_narrow, KEY, rid)
    assert d_narrow.sanctions.accountable == d_broad.sanctions.accountable
    if all(c.finding.rule_id.startswith(("art7.", "art8.")) for c in d_narrow.circumstances):
        # (an item of the supervision measure, such as 凡提必核, carries that measure's own handling instead)
        assert d_narrow.sanctions.measures == d_broad.sanctions.measures


NEAR_SYNONYMS = [
    # (rule, the act the reading added, a near act the reading leaves out)
    ("art7.1", "not_relaying_or_studying_policy", "formalism"),
    ("art7.1", "distorting_decisions", "complacent"),
    ("art7.8.supervision", "managing_team_laxly", "dereliction_of_duty"),
    ("art8.4.emergency_reporting", "falsifying", "not_deciding"),
    ("art8.5", "formalism", "ostentatious"),
    ("art8.9", "appointing_without_verification", "factional_or_electoral_misconduct"),
    ("supervision.art10", "neglecting_integrity_duties", "slacking"),
]


@pytest.mark.parametrize(("rule", "added", "left_out"), NEAR_SYNONYMS, ids=[f"{r}-{a}" for r, a, _ in NEAR_SYNONYMS])
def test_near_synonym_readings(rule: str, added: str, left_out: str) -> None:
    """Each act a rule's broad word was read to cover applies the rule; a near act outside the word does not."""
    scenario = next(s for s in SCENARIOS if rule_id(s) == rule and SCENARIOS[s].get("conduct", {}).get("acts"))
    base = merge(LEADING_CADRE, SCENARIOS[scenario])
    assert g.load(KEY).evaluate(merge(base, {"conduct": {"acts": [added]}})).step(rule).result == "applies"
    assert g.load(KEY).evaluate(merge(base, {"conduct": {"acts": [left_out]}})).step(rule).result == "does_not_apply"


# ---------------------------------------------------------------- errors in diligent work

ERROR_EXEMPTIONS = {
    "art17.1": {"context": {"reform_or_pilot": True, "lack_of_experience": True}, "harm": {"influence": "serious"}},
    "incentive.art8.tolerance": {"context": {"reform_or_pilot": True, "non_subjective_cause": True, "favouritism": False}},
    "incentive.art8.general_deviation": {"conduct": {"knowingly": False, "gravity": "minor"}, "context": {"reform_or_pilot": True},
                                         "harm": {"consequences": "adverse", "influence": "adverse", "loss": "some"}},
}


@pytest.mark.parametrize("rule", list(ERROR_EXEMPTIONS))
def test_error_exemptions_read_diligent_error(rule: str) -> None:
    """The exemptions for 失误/偏差 apply to an error in diligent work, and not to misconduct done without diligence."""
    error = merge(LEADING_CADRE, merge(ERROR_EXEMPTIONS[rule], {"conduct": {"acts": ["diligent_error"]}}))
    wrong = merge(LEADING_CADRE, merge(ERROR_EXEMPTIONS[rule], {"conduct": {"acts": ["interfering_in_market"]},
                                                               "context": {"diligent": False}}))
    assert g.load(KEY).evaluate(error).step(rule).result == "applies"
    assert g.load(KEY).evaluate(wrong).step(rule).result == "does_not_apply"


@pytest.mark.parametrize("rule", list(ERROR_EXEMPTIONS))
def test_error_exemptions_accept_diligence_found(rule: str) -> None:
    """Diligence found (context.diligent) with the error the item describes also makes an error in diligent work; unknown, it is open."""
    found = merge(LEADING_CADRE, merge(ERROR_EXEMPTIONS[rule], {"conduct": {"acts": ["implementing_decisions_ineffectively"]},
                                                               "context": {"diligent": True}}))
    unknown = merge(LEADING_CADRE, merge(ERROR_EXEMPTIONS[rule], {"conduct": {"acts": ["implementing_decisions_ineffectively"]}}))
    assert g.load(KEY).evaluate(found).step(rule).result == "applies"
    d = g.load(KEY).evaluate(unknown)
    assert d.step(rule).result == "undetermined"
    assert "context.diligent" in question(d, rule)


def test_diligent_error_alone_is_no_circumstance() -> None:
    """A diligent error alone is outside both of art. 2's definitions: no circumstance, not accountable, nothing to find."""
    d = evaluate({"conduct": {"acts": ["diligent_error"]}, "harm": {"consequences": "major", "influence": "major"}})
    assert d.circumstances == ()
    assert d.sanctions.accountable is False
    assert d.decision_space is None


def test_failed_reform_pilot_without_diligence_is_not_exempt() -> None:
    """The failed-pilot example is exempt because its work was diligent; found not diligent, with no diligent error, it is not."""
    case = g.read_case(EXAMPLES / "failed_reform_pilot.yaml").model_dump(mode="json", exclude_none=True)
    assert g.load(KEY).evaluate(case).exemption.outcome == "granted"
    case["context"]["diligent"] = False
    d = g.load(KEY).evaluate(case)
    assert d.step("art17.1").result == "does_not_apply"
    assert d.exemption.outcome == "none"
    assert d.sanctions.accountable is True
