"""Jiangsu (苏办发〔2015〕48号): the readings an independent legal review questioned (issue 14), each with the text's
positive case and its negative.

- 第十六条: discipline may be used alone; only a substitution that goes light (避重就轻) is refused, and where the
  facts cannot tell, the reviewing body's finding decides (``findings.handling_goes_light``).
- 第二十三条: tolerance is for a 失误 made in exploration (a mistake, inexperience, changed conditions), never for
  misconduct or slacking that happened during a reform.
- 第七条（三）/（四）: 患得患失、迟疑观望 is the narrow ``hesitating``; the 老好人 of item 4 needs its qualifier.
- 第七条（八）: a problem expressly pointed out by superiors is the other source of a 突出问题; unknown is open.
- 第八条: the 国家工作人员 it reaches are the staff art. 27 covers; item 6's 基层的请示诉求 is not a matter assigned
  from above.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

import guanzhi_rules as g
from guanzhi_rules._vocab import Act, narrower
from tests.rules.test_jiangsu import ACCOUNTABLE, APPLIES, FUNCTIONARY
from tests.support import LEADING_CADRE, evaluate, merge

KEY = "jiangsu"
GOES_LIGHT = "findings.handling_goes_light"


def _asks(det: g.Determination, rule_id: str, fact: str) -> bool:
    """Whether the rule is an open question waiting for the fact."""
    return any(q.rule_id == rule_id and fact in q.unknown_facts for q in det.open_questions)


# ---------------------------------------------------------------------------- 第十六条 discipline used alone

SERIOUS = merge(ACCOUNTABLE, {"conduct": {"gravity": "serious"}, "legal": {"discipline_breach": "ordinary"}})
"""A functionary's serious breach of work discipline (art. 8(9)) that also breaches party discipline: art. 15's heavy band."""


def _discipline_alone(case: dict[str, Any], finding: bool | None = None) -> g.Determination:
    return evaluate(KEY, merge(case, {"decision": {"measures": [], "discipline": ["party"]}, "findings": {"handling_goes_light": finding}}))


def test_discipline_alone_for_minor_circumstances_is_permitted() -> None:
    """Where 提醒/函询/诫勉 are due, a sanction alone is heavier, so "可单独使用" permits it and no finding is asked."""
    det = _discipline_alone(merge(ACCOUNTABLE, {"legal": {"discipline_breach": "ordinary"}}))
    assert det.step("art16.choice.discipline_alone").result == "applies"
    assert det.step("art16.choice.handling_replaced").result == "does_not_apply"
    assert det.choice is not None and det.choice.permitted is True
    assert not any(GOES_LIGHT in q.unknown_facts for q in det.open_questions)


def test_discipline_alone_where_handling_is_due_waits_for_the_finding() -> None:
    """Where art. 15's organisational handling is due, whether discipline alone goes light is open, not "not permitted"."""
    det = _discipline_alone(SERIOUS)
    assert det.step("art15.heavy").result == "applies"
    assert det.step("art16.choice.handling_replaced").result == "undetermined"
    assert det.step("art16.choice.discipline_alone").result == "undetermined"
    assert det.choice is not None and det.choice.permitted is None
    assert _asks(det, "art16.choice.handling_replaced", GOES_LIGHT)


def test_discipline_alone_found_to_go_light_is_refused() -> None:
    """Discipline found lighter than the organisational handling due is 避重就轻: not permitted, citing art. 16."""
    det = _discipline_alone(SERIOUS, finding=True)
    assert det.choice is not None and det.choice.permitted is False
    assert [(f.permitted, f.rule_id) for f in det.choice.findings] == [(False, "art16.choice.handling_replaced")]
    assert det.choice.findings[0].citation is not None and det.choice.findings[0].citation.article == "第十六条"


def test_discipline_alone_found_not_to_go_light_is_permitted() -> None:
    """Discipline found no lighter than the handling due may be used alone."""
    det = _discipline_alone(SERIOUS, finding=False)
    assert det.choice is not None and det.choice.permitted is True
    assert [(f.permitted, f.rule_id) for f in det.choice.findings] == [(True, "art16.choice.discipline_alone")]


def test_handling_alone_where_discipline_is_due_stays_refused() -> None:
    """The other direction is untouched: 应追究纪律责任的 makes discipline mandatory, so handling alone may not replace it."""
    det = evaluate(KEY, merge(SERIOUS, {"decision": {"measures": ["removal"], "discipline": []}}))
    assert det.choice is not None and det.choice.permitted is False
    assert (False, "art16.choice.discipline_replaced") in [(f.permitted, f.rule_id) for f in det.choice.findings]


def test_the_no_substitution_statement_says_what_is_refused() -> None:
    """The statement attached to accountability names both refusals: handling for due discipline, lighter discipline alone."""
    det = evaluate(KEY, SERIOUS)
    (text,) = [s.text.zh for s in det.statements if s.finding.rule_id == "art16.no_substitution"]
    assert "不得以组织处理代替" in text and "不得轻于应给予的组织处理" in text


# ---------------------------------------------------------------------------- 第二十三条 errors of exploration

NO_MISTAKE = sorted(
    {
        a.value
        for named in ("slacking", "perfunctory", "breaching_work_discipline", "falsifying", "soliciting_benefits")
        for a in narrower(Act(named))
    }
)
"""A sample of conduct that is by its nature no 失误, narrower acts included."""


@given(
    act=st.sampled_from(NO_MISTAKE),
    others=st.sets(st.sampled_from(sorted(a.value for a in Act)), max_size=3),
    flags=st.fixed_dictionaries(
        {
            name: st.sampled_from([True, False, None])
            for name in ("reform_or_pilot", "exploratory_trial", "diligent", "lack_of_experience", "conditions_changed")
        }
    ),
)
def test_misconduct_is_never_an_error_of_exploration(act: str, others: set[str], flags: dict[str, bool | None]) -> None:
    """Whatever the setting and whatever else is recorded, conduct that is no mistake keeps art. 23 from applying."""
    det = evaluate(KEY, merge(LEADING_CADRE, {"conduct": {"acts": sorted({act, *others})}, "context": flags}))
    assert det.step("art23").result in ("does_not_apply", "not_reached")


def test_reform_setting_alone_makes_nothing_eligible() -> None:
    """A reform setting with no sign of a mistake (no error, diligence, inexperience or changed conditions) is no error of exploration."""
    case = merge(FUNCTIONARY, APPLIES["art8.1"])
    no_sign = {"reform_or_pilot": True, "diligent": False, "lack_of_experience": False, "conditions_changed": False}
    assert evaluate(KEY, merge(case, {"context": no_sign})).step("art23").result == "does_not_apply"
    inexperienced = merge(case, {"context": {**no_sign, "lack_of_experience": True}, "inquiry": {"allegation": "verified"}})
    det = evaluate(KEY, inexperienced)
    assert det.step("art23").result == "applies"
    assert det.exemption.outcome == "eligible"
    assert det.sanctions.accountable is True


# ---------------------------------------------------------------------------- 第七条（三）、（四）

YES_MAN: dict[str, Any] = merge(
    LEADING_CADRE,
    {
        "conduct": {"acts": ["managing_team_laxly", "shirking_responsibility"], "gravity": "minor"},
        "review": {"team_problems_confirmed": False},
        "harm": {"effects": []},
        "context": {"reform_or_pilot": False, "exploratory_trial": False},
        "inquiry": {"allegation": "verified"},
    },
)
"""A 老好人 leader, lax with the team for fear of offending, whose team shows no prominent problems."""


def test_yes_man_without_prominent_team_problems_does_not_slip_into_item_3() -> None:
    """Afraid to offend (the broad 不敢担当) does not meet 7(3)'s 患得患失、迟疑观望: item 4's qualifier cannot be bypassed."""
    det = evaluate(KEY, YES_MAN)
    assert det.step("art7.3").result == "does_not_apply"
    assert det.step("art7.4").result == "does_not_apply"
    assert det.sanctions.accountable is None  # the catch-all asks for a finding: no flat answer either way
    assert _asks(det, "art7.10", "findings.other_circumstance")


def test_yes_man_with_prominent_team_problems_meets_item_4() -> None:
    """With the team's problems confirmed as prominent, item 4 applies to the same conduct."""
    det = evaluate(KEY, merge(YES_MAN, {"review": {"team_problems_confirmed": True}}))
    assert det.step("art7.4").result == "applies"
    assert det.sanctions.accountable is True


def test_hesitating_is_a_kind_of_shirking_responsibility() -> None:
    """The narrow code sits under the broad one, so every rule set naming 不敢担当 still catches 患得患失、迟疑观望."""
    assert Act.HESITATING in narrower(Act.SHIRKING_RESPONSIBILITY)
    det = evaluate(KEY, merge(YES_MAN, {"conduct": {"acts": ["hesitating"]}}))
    assert det.step("art7.3").result == "applies"


# ---------------------------------------------------------------------------- 第七条（八）

UNSOLVED: dict[str, Any] = merge(
    merge(LEADING_CADRE, APPLIES["art7.8"]), {"harm": {"public_reaction": "notable"}, "inquiry": {"allegation": "verified"}}
)
"""A recurring problem, left unsolved, affecting stability, with public complaints short of a strong reaction."""


def test_problem_flagged_by_superiors_meets_item_8() -> None:
    """上级明确指出 is the other source of a 突出问题: with it, item 8 applies though the public reaction is not strong."""
    assert evaluate(KEY, merge(UNSOLVED, {"review": {"flagged_by_superiors": True}})).step("art7.8").result == "applies"


def test_problem_neither_flagged_nor_of_strong_concern_misses_item_8() -> None:
    """Neither a strong reaction nor a superior's express remark: item 8 does not apply."""
    assert evaluate(KEY, merge(UNSOLVED, {"review": {"flagged_by_superiors": False}})).step("art7.8").result == "does_not_apply"


def test_unknown_flagging_leaves_item_8_open() -> None:
    """Whether superiors flagged the problem is asked, never answered "no" by silence."""
    det = evaluate(KEY, UNSOLVED)
    assert det.step("art7.8").result == "undetermined"
    assert _asks(det, "art7.8", "review.flagged_by_superiors")


# ---------------------------------------------------------------------------- 第八条 whom it reaches

STAFF = [
    {"organisation_type": "state_owned_enterprise", "is_management_staff": True},
    {"organisation_type": "public_institution", "performs_public_functions": True},
    {"organisation_type": "party_organ", "administrative_level": "county"},
]


def test_covered_staff_recorded_as_non_functionaries_are_reached_by_article_8() -> None:
    """Staff art. 27 covers (SOE managers, public-institution and organ staff) answer under art. 8 even if recorded as no 国家工作人员."""
    for subject in STAFF:
        case = merge(ACCOUNTABLE, {"subject": {**subject, "is_state_functionary": False, "is_leading_cadre": False}})
        det = evaluate(KEY, case)
        assert det.scope.outcome == "covered", subject
        assert det.step("art8.9").result == "applies", subject
        assert det.sanctions.accountable is True, subject


def test_uncovered_non_functionary_is_not_reached() -> None:
    """A rank-and-file SOE employee is outside art. 27, so art. 8 is never reached."""
    case = merge(
        ACCOUNTABLE,
        {"subject": {"organisation_type": "state_owned_enterprise", "is_management_staff": False, "is_state_functionary": False}},
    )
    det = evaluate(KEY, case)
    assert det.scope.outcome == "not_covered"
    assert det.step("art8.9").result == "not_reached"


# ---------------------------------------------------------------------------- 第八条（六）


def test_assigned_matter_left_undone_is_for_the_catch_all() -> None:
    """A matter assigned from above, not handled in time, is no 基层的请示诉求: not item 6, but open under the catch-all."""
    case = merge(
        FUNCTIONARY,
        {
            "conduct": {"acts": ["matters_not_handled_in_time"], "fields": ["project_construction"]},
            "context": {"reform_or_pilot": False, "exploratory_trial": False},
            "inquiry": {"allegation": "verified"},
        },
    )
    det = evaluate(KEY, case)
    assert det.step("art8.6").result == "does_not_apply"
    assert det.sanctions.accountable is None
    assert _asks(det, "art8.10", "findings.other_circumstance")
    petition = evaluate(KEY, merge(case, {"conduct": {"fields": ["petitions"]}}))
    assert petition.step("art8.6").result == "applies"
