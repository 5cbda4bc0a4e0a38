"""Procedure deadlines in determinations: official working days, calendar days, and honest gaps."""

from __future__ import annotations

from typing import Any

from guanzhi_rules import Determination

from .support import LEADING_CADRE, evaluate, merge

CASE: dict[str, Any] = merge(LEADING_CADRE, {"conduct": {"acts": ["public_commitment_unmet"]}})


def deadline(d: Determination, rule_id: str) -> Any:
    (found,) = [x for x in d.deadlines if x.finding.rule_id == rule_id]
    return found


def test_yueyang_preliminary_opinion_across_national_day() -> None:
    """Art. 10(一): 15 working days from a clue received on Friday 2017-09-29 (Sat 30 Sep worked; 1-8 Oct off).

    Working days: 30 Sep (1); 9-13 Oct (2-6); 16-20 Oct (7-11); 23-26 Oct (12-15) → 26 Oct. Extended to 30:
    27 Oct (16), 30 Oct-3 Nov (17-21), 6-10 Nov (22-26), 13-16 Nov (27-30) → 16 Nov.
    """
    d = evaluate("yueyang", merge(CASE, {"dates": {"clue_received": "2017-09-29"}}))
    dl = deadline(d, "art10.1.preliminary_opinion")
    assert (dl.start, dl.unit, dl.count, dl.status, dl.due) == ("2017-09-29", "working_days", 15, "computed", "2017-10-26")
    assert (dl.extended_count, dl.extended_due) == (30, "2017-11-16")


def test_yueyang_appeal_in_calendar_days() -> None:
    """Art. 12: 15 日 from service of the decision, counted in calendar days from the next day."""
    d = evaluate("yueyang", merge(CASE, {"dates": {"decision_served": "2024-09-27"}}))
    dl = deadline(d, "art12.appeal")
    assert (dl.unit, dl.due, dl.status) == ("days", "2024-10-12", "computed")


def test_deadline_past_the_official_calendar_gives_no_date() -> None:
    """Yangjiang 二(三)2: 10 working days from an application in 2099 cannot come from official data."""
    d = evaluate("yangjiang", merge(CASE, {"dates": {"application_received": "2099-12-20"}}))
    dl = deadline(d, "2.3.2.acceptance")
    assert (dl.due, dl.status) == (None, "beyond_official_calendar")
    assert dl.weekday_estimate == "2100-01-01"
    assert "does not cover" in dl.note
    assert "no date can be given" in d.to_text("en")


def test_unknown_start_date_is_said() -> None:
    """A deadline whose start date is unknown has no start or due date and the status start_unknown."""
    d = evaluate("yangjiang", CASE)
    dl = deadline(d, "2.3.3.investigation")
    assert (dl.start, dl.due, dl.status, dl.extendable, dl.extended_count) == (None, None, "start_unknown", True, None)


def test_calendar_day_deadline_ending_on_a_holiday_says_so() -> None:
    """Art. 12: 15 日 from service on 2024-09-16 ends on 1 October, a holiday; the determination says so and names art. 203's day."""
    d = evaluate("yueyang", merge(CASE, {"dates": {"decision_served": "2024-09-16"}}))
    dl = deadline(d, "art12.appeal")
    assert (dl.due, dl.due_on_rest_day, dl.next_working_day) == ("2024-10-01", True, "2024-10-08")
    assert "2024-10-08" in d.to_text("zh") and "民法典第二百零三条" in d.to_text("zh")
    assert "art. 203" in d.to_text("en")


def test_calendar_day_deadline_ending_on_a_working_day_is_not_flagged() -> None:
    """Art. 12: 15 日 from service on 2024-09-27 ends on Saturday 12 October, a make-up working day: nothing to say."""
    d = evaluate("yueyang", merge(CASE, {"dates": {"decision_served": "2024-09-27"}}))
    dl = deadline(d, "art12.appeal")
    assert (dl.due, dl.due_on_rest_day, dl.next_working_day) == ("2024-10-12", False, None)
    assert "art. 203" not in d.to_text("en")


def test_working_day_deadlines_never_carry_the_rest_day_flag() -> None:
    """Working-day periods end on a working day by construction, so the flag stays unset."""
    d = evaluate("yueyang", merge(CASE, {"dates": {"clue_received": "2017-09-29"}}))
    assert deadline(d, "art10.1.preliminary_opinion").due_on_rest_day is None
