"""Period and deadline arithmetic: Civil Code month periods and China's official working days.

Expected dates are written out by hand from the State Council's holiday notices, never computed
with ``chinese_calendar``: the package is used only to check invariants of the results.
"""

import calendar
import dataclasses
import datetime as dt

import chinese_calendar  # type: ignore[import-untyped]  # the package ships no type information
import pytest
from hypothesis import given
from hypothesis import strategies as st

from guanzhi_rules._dates import Deadline, add_days, add_months, add_working_days, calendar_coverage, period_end

D = dt.date.fromisoformat

months_dates = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9000, 12, 31))
month_counts = st.integers(min_value=0, max_value=1200)


# --- add_months / period_end -------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        ("2019-01-31", 1, "2019-02-28"),  # no 31 February: month end of a common year
        ("2020-01-31", 1, "2020-02-29"),  # ... and of a leap year
        ("2019-03-31", 1, "2019-04-30"),  # no 31 April
        ("2019-10-31", 1, "2019-11-30"),
        ("2019-12-31", 2, "2020-02-29"),  # across the year end into a leap February
        ("2018-12-31", 2, "2019-02-28"),
        ("2019-12-15", 1, "2020-01-15"),  # plain year rollover
        ("2019-11-30", 3, "2020-02-29"),
        ("2020-02-29", 48, "2024-02-29"),  # leap day to leap day
        ("2020-02-29", 12, "2021-02-28"),  # leap day to a common year
        ("2096-02-29", 48, "2100-02-28"),  # 2100 is not a leap year
        ("2019-06-10", 12, "2020-06-10"),
        ("2019-06-10", 24, "2021-06-10"),
        ("2020-08-31", 6, "2021-02-28"),
        ("2019-08-31", 6, "2020-02-29"),
        ("2018-08-31", 6, "2019-02-28"),
        ("2019-05-15", 0, "2019-05-15"),  # zero months is the start itself
        ("9999-11-30", 1, "9999-12-30"),  # the last representable month still works
    ],
)
def test_add_months_lands_on_the_corresponding_day_or_the_month_end(start: str, months: int, expected: str) -> None:
    """A month period ends on the corresponding day, or on the month's last day when there is none."""
    assert add_months(D(start), months) == D(expected)


def test_add_months_rejects_negative_months() -> None:
    """Counting backwards is refused rather than silently supported."""
    with pytest.raises(ValueError, match="months must be 0 or more"):
        add_months(D("2020-01-31"), -1)


def test_add_months_rejects_results_after_date_max() -> None:
    """A result past 9999-12-31 is a ValueError, not an OverflowError or a wrong date."""
    with pytest.raises(ValueError, match="after 9999-12-31"):
        add_months(D("9999-12-01"), 1)


def test_period_end_excludes_the_start_day() -> None:
    """A 6-month freeze from 2019-08-31 ends on 2020-02-29, so 2020-03-01 is the first free day."""
    end = period_end(D("2019-08-31"), 6)
    assert end == D("2020-02-29")
    assert end + dt.timedelta(days=1) == D("2020-03-01")
    assert period_end(D("2019-06-10"), 12) == D("2020-06-10")


@given(months_dates, months_dates, month_counts)
def test_add_months_never_goes_back_for_a_later_start(a: dt.date, b: dt.date, months: int) -> None:
    """A later start never gives an earlier result."""
    early, late = sorted((a, b))
    assert add_months(early, months) <= add_months(late, months)


@given(months_dates, month_counts, month_counts)
def test_add_months_never_goes_back_for_more_months(start: dt.date, m: int, k: int) -> None:
    """More months never give an earlier result."""
    fewer, more = sorted((m, k))
    assert add_months(start, fewer) <= add_months(start, more)


@given(months_dates, month_counts)
def test_add_months_lands_in_the_right_month_on_the_right_day(start: dt.date, months: int) -> None:
    """The result is in the month ``months`` later, on the same day or, failing that, the month's last day."""
    result = add_months(start, months)
    assert result.year * 12 + result.month == start.year * 12 + start.month + months
    assert result.day <= start.day
    if result.day < start.day:
        assert result.day == calendar.monthrange(result.year, result.month)[1]
    assert period_end(start, months) == result


# --- calendar_coverage --------------------------------------------------------------------


def test_coverage_is_exactly_the_years_the_package_accepts() -> None:
    """Every covered day is accepted by the package and the days just outside are refused."""
    first, last = calendar_coverage()
    assert (first.month, first.day, last.month, last.day) == (1, 1, 12, 31)
    assert first.year <= 2017 and last.year >= 2024  # the known answers below need these years
    chinese_calendar.is_workday(first)
    chinese_calendar.is_workday(last)
    for outside in (first - dt.timedelta(days=1), last + dt.timedelta(days=1)):
        with pytest.raises(NotImplementedError):
            chinese_calendar.is_workday(outside)


# --- add_working_days: known answers --------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # National Day and Mid-Autumn 2017: 1-8 October off; Saturday 30 September worked.
        # From Friday 29 September: Sat 30 Sep (1); 1-8 Oct holiday; Mon 9 Oct (2), Tue 10 (3),
        # Wed 11 (4), Thu 12 (5), Fri 13 (6); weekend; Mon 16 (7), Tue 17 (8), Wed 18 (9), Thu 19 (10).
        ("2017-09-29", 10, "2017-10-19"),
        # Spring Festival 2019: 4-10 February off; Saturday 2 and Sunday 3 February worked.
        # From Thursday 31 January: Fri 1 Feb (1), Sat 2 (2), Sun 3 (3); 4-10 Feb holiday;
        # Mon 11 (4), Tue 12 (5).
        ("2019-01-31", 5, "2019-02-12"),
        # Spring Festival 2024: 10-17 February off; Sunday 4 and Sunday 18 February worked.
        # New Year's Eve, Friday 9 February, is an ordinary working day (the notice only
        # encourages employers to let staff take it off). From Thursday 8 February:
        # Fri 9 (1); 10-17 Feb holiday; Sun 18 (2), Mon 19 (3).
        ("2024-02-08", 3, "2024-02-19"),
        # Mid-Autumn 2024: 15-17 September off; Saturday 14 September worked.
        # From Friday 13 September: Sat 14 (1); 15-17 Sep holiday; Wed 18 (2).
        ("2024-09-13", 2, "2024-09-18"),
        # National Day 2024: 1-7 October off; Sunday 29 September and Saturday 12 October worked.
        # From Friday 27 September: Sat 28 is a rest day; Sun 29 (1), Mon 30 (2); 1-7 Oct holiday;
        # Tue 8 (3), Wed 9 (4), Thu 10 (5), Fri 11 (6), Sat 12 (7).
        ("2024-09-27", 7, "2024-10-12"),
    ],
)
def test_working_days_follow_the_state_council_holiday_notices(start: str, n: int, expected: str) -> None:
    """Statutory holidays are skipped and make-up working weekends are counted."""
    deadline = add_working_days(D(start), n)
    assert deadline == Deadline(
        start=D(start),
        count=n,
        unit="working_days",
        due=D(expected),
        weekday_estimate=None,
        status="computed",
        note=deadline.note,
    )
    assert "official calendar" in deadline.note


def test_working_days_reject_a_count_below_one() -> None:
    """A period of zero or fewer working days is an error, not the start day."""
    with pytest.raises(ValueError, match="at least 1 day"):
        add_working_days(D("2024-09-27"), 0)


# --- add_working_days: beyond the official calendar -----------------------------------------


def test_working_days_past_the_covered_years_are_not_guessed() -> None:
    """A count in a year without official data has no due date, only a labelled Mon-Fri estimate."""
    deadline = add_working_days(D("2100-06-30"), 10)
    assert deadline.status == "beyond_official_calendar"
    assert deadline.due is None
    # Wednesday 30 June 2100: ten Monday-to-Friday days later is Wednesday 14 July.
    assert deadline.weekday_estimate == D("2100-07-14")
    assert "does not cover 2100" in deadline.note
    assert "not official" in deadline.note


def test_a_count_running_off_the_end_of_coverage_is_beyond_the_calendar() -> None:
    """Starting on the last covered day, the first counted day is already uncovered."""
    _, last = calendar_coverage()
    deadline = add_working_days(last, 1)
    assert (deadline.status, deadline.due) == ("beyond_official_calendar", None)
    assert deadline.weekday_estimate is not None and deadline.weekday_estimate > last
    assert f"does not cover {last.year + 1}" in deadline.note


def test_a_count_needing_days_before_coverage_is_beyond_the_calendar() -> None:
    """Days before the first covered year are not guessed either."""
    first, _ = calendar_coverage()
    deadline = add_working_days(first - dt.timedelta(days=2), 1)
    assert (deadline.status, deadline.due) == ("beyond_official_calendar", None)
    assert f"does not cover {first.year - 1}" in deadline.note


def test_the_start_day_itself_need_not_be_covered() -> None:
    """The start day is not counted, so starting the day before coverage still computes."""
    first, _ = calendar_coverage()
    deadline = add_working_days(first - dt.timedelta(days=1), 1)
    assert deadline.status == "computed"
    assert deadline.due is not None and deadline.due.year == first.year


def test_weekday_estimate_from_a_weekend_starts_on_monday() -> None:
    """From Saturday 3 July 2100 the first Monday-to-Friday day is Monday 5 July."""
    assert add_working_days(D("2100-07-03"), 1).weekday_estimate == D("2100-07-05")


def test_weekday_estimate_past_date_max_is_a_value_error() -> None:
    """An estimate past 9999-12-31 is refused with a ValueError."""
    with pytest.raises(ValueError, match="after 9999-12-31"):
        add_working_days(D("9999-12-01"), 100)


def _weekdays_in(start: dt.date, end: dt.date) -> int:
    """Monday-to-Friday days in (start, end], counted one by one."""
    days = (start + dt.timedelta(days=i) for i in range(1, (end - start).days + 1))
    return sum(day.weekday() < 5 for day in days)


@given(st.dates(min_value=dt.date(2101, 1, 1), max_value=dt.date(9000, 12, 31)), st.integers(min_value=1, max_value=60))
def test_weekday_estimate_is_the_nth_monday_to_friday_day(start: dt.date, n: int) -> None:
    """The estimate is a weekday with exactly n weekdays in (start, estimate]."""
    estimate = add_working_days(start, n).weekday_estimate
    assert estimate is not None
    assert estimate.weekday() < 5
    assert _weekdays_in(start, estimate) == n


@st.composite
def covered_starts(draw: st.DrawFn) -> dt.date:
    """A start day well inside the official calendar, so 30 working days never run off its end."""
    first, last = calendar_coverage()
    return draw(st.dates(min_value=first, max_value=last - dt.timedelta(days=90)))


@given(covered_starts(), st.integers(min_value=1, max_value=30))
def test_covered_deadlines_fall_on_the_nth_official_working_day(start: dt.date, n: int) -> None:
    """Inside coverage the due day is a working day with exactly n working days in (start, due]."""
    deadline = add_working_days(start, n)
    assert deadline.status == "computed"
    assert deadline.weekday_estimate is None
    due = deadline.due
    assert due is not None and due > start
    assert chinese_calendar.is_workday(due)
    days = [start + dt.timedelta(days=i) for i in range(1, (due - start).days + 1)]
    assert sum(bool(chinese_calendar.is_workday(day)) for day in days) == n


# --- add_days ---------------------------------------------------------------------------------


def test_calendar_days_are_not_moved_off_holidays() -> None:
    """Five days from 27 September 2024 is 2 October, inside the National Day holiday, and stays there."""
    deadline = add_days(D("2024-09-27"), 5)
    assert dataclasses.astuple(deadline)[:6] == (D("2024-09-27"), 5, "days", D("2024-10-02"), None, "computed")
    assert "not moved" in deadline.note


def test_calendar_days_exclude_the_start_day() -> None:
    """One day from the last day of February 2020 is 1 March."""
    assert add_days(D("2020-02-29"), 1).due == D("2020-03-01")


@pytest.mark.parametrize(("start", "n"), [("2024-01-01", 0), ("9999-12-31", 1)])
def test_calendar_days_reject_bad_counts_and_overflow(start: str, n: int) -> None:
    """A count below one or a result past date.max is a ValueError."""
    with pytest.raises(ValueError):
        add_days(D(start), n)


def test_deadline_is_immutable() -> None:
    """A computed deadline cannot be altered after the fact."""
    deadline = add_days(D("2024-01-01"), 1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        deadline.due = None  # type: ignore[misc]


def test_calendar_days_ending_on_a_holiday_are_flagged_not_moved() -> None:
    """Five days from 27 September 2024 ends on 2 October, flagged as a rest day; art. 203 would give 8 October."""
    deadline = add_days(D("2024-09-27"), 5)
    assert (deadline.due, deadline.rest_day, deadline.next_working_day) == (D("2024-10-02"), True, D("2024-10-08"))
    assert "art. 203" in deadline.note


def test_calendar_days_ending_on_a_make_up_working_weekend_are_not_flagged() -> None:
    """Saturday 12 October 2024 was a make-up working day: not a rest day."""
    deadline = add_days(D("2024-09-27"), 15)
    assert (deadline.due, deadline.rest_day, deadline.next_working_day) == (D("2024-10-12"), False, None)


def test_calendar_days_ending_on_an_ordinary_weekend_are_flagged() -> None:
    """Sunday 3 March 2024 is a rest day; the next working day is Monday 4 March."""
    deadline = add_days(D("2024-03-01"), 2)
    assert (deadline.rest_day, deadline.next_working_day) == (True, D("2024-03-04"))


def test_calendar_days_past_the_official_calendar_cannot_say_whether_the_day_is_a_holiday() -> None:
    """Past the calendar's coverage the rest-day flag is unknown and the note says so."""
    deadline = add_days(D("2099-12-20"), 15)
    assert (deadline.rest_day, deadline.next_working_day) == (None, None)
    assert "does not cover" in deadline.note
