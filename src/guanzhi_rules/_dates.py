"""Date arithmetic for promotion freezes and procedure deadlines.

Periods follow the PRC Civil Code, arts. 200-204, which the accountability regulations do
not override:

- art. 201: the day on which a period starts is not counted; counting begins the next day;
- art. 202: a period in months or years ends on the corresponding day of the last month, or
  on that month's last day when it has no corresponding day.

Art. 203 (a period whose last day is a statutory holiday ends on the day after the holiday)
is deliberately *not* applied here: the regulations count their deadlines in 日 or 工作日 and
say nothing about moving them, so every function returns the unmoved date and leaves that
decision visible to the caller. A period of calendar days that ends on a rest day says so
(``Deadline.rest_day``) and names the day art. 203 would move it to (``next_working_day``).

Working days follow China's official calendar (statutory holidays and make-up working
weekends from the State Council's yearly notices) as published in the ``chinese_calendar``
package. That data covers a fixed range of years; beyond it nothing is guessed: the result
says so and carries a clearly labelled Monday-to-Friday estimate instead.

Every function is pure and deterministic: none reads the clock.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
from dataclasses import dataclass
from typing import Literal

import chinese_calendar  # type: ignore[import-untyped]  # the package ships no type information

DeadlineUnit = Literal["working_days", "days"]
"""How a deadline is counted: official working days (工作日) or calendar days (日)."""

DeadlineStatus = Literal["computed", "beyond_official_calendar"]
"""Whether the due date was computed, or could not be because the official calendar ends first."""

_ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Deadline:
    """A deadline counted from a start day, with the basis it was computed on.

    Attributes:
        start: The day the period starts from; it is not itself counted.
        count: How many units the period has.
        unit: ``"working_days"`` or ``"days"``.
        due: The last day of the period, or ``None`` when official data cannot give it.
        weekday_estimate: Only when ``due`` is ``None`` for working days: the day reached by
            counting Monday to Friday and ignoring holidays. Not an official date.
        status: ``"computed"``, or ``"beyond_official_calendar"`` when the count needs a year
            the official calendar does not cover.
        note: One English sentence or two naming the basis used.
        rest_day: Only for calendar days: whether ``due`` is a rest day (a weekend or statutory
            holiday that is not a make-up working day) on the official calendar; ``None`` when the
            calendar does not cover it. Working-day periods always end on a working day.
        next_working_day: Only when ``rest_day``: the first official working day after ``due``,
            the day the Civil Code's art. 203 would move the period's end to (``None`` past the
            calendar's coverage). The regulations do not move it, so ``due`` stays the due date.
    """

    start: dt.date
    count: int
    unit: DeadlineUnit
    due: dt.date | None
    weekday_estimate: dt.date | None
    status: DeadlineStatus
    note: str
    rest_day: bool | None = None
    next_working_day: dt.date | None = None


def add_months(start: dt.date, months: int) -> dt.date:
    """The day corresponding to ``start`` that many months later, clamped to the month's end.

    2019-06-10 plus 12 is 2020-06-10; 2019-08-31 plus 6 is 2020-02-29 and 2018-08-31 plus 6
    is 2019-02-28, because February has no 31st (Civil Code art. 202).

    Args:
        start: The day to count from.
        months: How many months to add; zero returns ``start``.

    Returns:
        The corresponding day, or the last day of the target month when it has none.

    Raises:
        ValueError: If ``months`` is negative or the result would be after ``date.max``.
    """
    if months < 0:
        raise ValueError(f"months must be 0 or more (got {months})")
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    if year > dt.MAXYEAR:
        raise ValueError(f"{start.isoformat()} plus {months} months is after {dt.date.max.isoformat()}, the last representable date")
    return dt.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def period_end(start: dt.date, months: int) -> dt.date:
    """The last day of a period of ``months`` months that starts after ``start``.

    The convention is the Civil Code's (arts. 201-202): the start day is not counted, and the
    period ends on the corresponding day of its last month, or on that month's last day when
    there is none. So the result equals :func:`add_months`. A six-month freeze imposed on
    2019-08-31 covers 2019-09-01 through 2020-02-29; the first day free of it is the day after
    the result, 2020-03-01. The end is not moved off holidays (art. 203 is not applied).

    Args:
        start: The day the period is counted from, e.g. the date of the decision.
        months: The length of the period in months (a year is 12).

    Returns:
        The period's last day, still inside the period.

    Raises:
        ValueError: If ``months`` is negative or the result would be after ``date.max``.
    """
    return add_months(start, months)


@functools.cache
def calendar_coverage() -> tuple[dt.date, dt.date]:
    """The first and last day for which the official working-day calendar has data.

    Read from the ``chinese_calendar`` package's holiday table, whose years are the ones its
    ``is_workday`` accepts: 1 January of the first year through 31 December of the last.

    Returns:
        ``(first, last)``, both inclusive.
    """
    years = {day.year for day in chinese_calendar.holidays}
    return dt.date(min(years), 1, 1), dt.date(max(years), 12, 31)


def _is_official_workday(day: dt.date) -> bool:
    """``chinese_calendar.is_workday`` for a covered day, read from its tables directly.

    The package's own function scans its whole holiday table on every call to check the year.
    """
    return day in chinese_calendar.workdays or (day.weekday() <= 4 and day not in chinese_calendar.holidays)


def _add_weekdays(start: dt.date, n: int) -> dt.date:
    """The n-th Monday-to-Friday day after ``start``, ignoring holidays (n >= 1)."""
    weekday = start.weekday()
    if weekday >= 5:  # counting from a weekend day reaches the same days as counting from its Friday
        start -= dt.timedelta(days=weekday - 4)
        weekday = 4
    weeks, rest = divmod(n, 5)
    skip_weekend = 2 if weekday + rest > 4 else 0
    try:
        return start + dt.timedelta(days=7 * weeks + rest + skip_weekend)
    except OverflowError as exc:
        raise ValueError(f"{n} weekdays after {start.isoformat()} is after {dt.date.max.isoformat()}") from exc


@functools.lru_cache(maxsize=4096)
def add_working_days(start: dt.date, n: int) -> Deadline:
    """The n-th official working day after ``start``, which is itself not counted.

    Working days are those of China's official calendar: Monday to Friday, less statutory
    holidays, plus the weekend days declared make-up working days (调休上班). The result may
    therefore fall on a Saturday or Sunday. A due date on a working day is never moved.

    When a day the count needs lies outside :func:`calendar_coverage`, nothing is guessed:
    ``due`` is ``None``, ``status`` is ``"beyond_official_calendar"``, the note names the
    uncovered year, and ``weekday_estimate`` gives the day reached by counting Monday to Friday
    only, which is not an official date.

    Args:
        start: The day the period starts from, e.g. the day a matter was received.
        n: How many working days the period has.

    Returns:
        The deadline with its basis.

    Raises:
        ValueError: If ``n`` is less than 1, or the weekday estimate would be after ``date.max``.
    """
    if n < 1:
        raise ValueError(f"a period of working days must have at least 1 day (got {n})")
    first, last = calendar_coverage()
    day, remaining = start, n
    while remaining:
        if day >= last or day + _ONE_DAY < first:
            uncovered = (day + _ONE_DAY).year if day < dt.date.max else dt.MAXYEAR
            return Deadline(
                start=start,
                count=n,
                unit="working_days",
                due=None,
                weekday_estimate=_add_weekdays(start, n),
                status="beyond_official_calendar",
                note=(
                    f"The official holiday calendar covers {first.year}-{last.year} and does not cover {uncovered}; "
                    "no due date is given. weekday_estimate counts Monday-Friday only, ignoring holidays, and is not official."
                ),
            )
        day += _ONE_DAY
        if _is_official_workday(day):
            remaining -= 1
    return Deadline(
        start=start,
        count=n,
        unit="working_days",
        due=day,
        weekday_estimate=None,
        status="computed",
        note=(
            "Counted on China's official calendar (State Council holiday notices, via chinese_calendar): "
            "statutory holidays skipped, make-up working weekends counted; start day not counted."
        ),
    )


@functools.lru_cache(maxsize=4096)
def add_days(start: dt.date, n: int) -> Deadline:
    """The day ``n`` calendar days after ``start``, which is itself not counted.

    The regulations count these periods in 日 and do not say that a deadline falling on a
    weekend or statutory holiday moves to the next working day, so it is not moved: the Civil
    Code's art. 203 extension is not applied. It is never silent either: a last day that is a
    rest day is flagged (``rest_day``) with the day art. 203 would give (``next_working_day``).

    Args:
        start: The day the period starts from.
        n: How many calendar days the period has.

    Returns:
        The deadline, always ``"computed"``.

    Raises:
        ValueError: If ``n`` is less than 1 or the result would be after ``date.max``.
    """
    if n < 1:
        raise ValueError(f"a period of days must have at least 1 day (got {n})")
    try:
        due = start + dt.timedelta(days=n)
    except OverflowError as exc:
        raise ValueError(f"{n} days after {start.isoformat()} is after {dt.date.max.isoformat()}") from exc
    note = "Counted in calendar days, start day not counted; not moved off weekends or holidays."
    rest_day, moved = _rest_day(due)
    if rest_day:
        note += (" The last day is a rest day (weekend or statutory holiday); the regulations do not move it"
                 + (f", the Civil Code's art. 203 would end the period on {moved.isoformat()}." if moved else "."))
    elif rest_day is None:
        note += " The official calendar does not cover the last day, so whether it is a holiday is not known."
    return Deadline(
        start=start,
        count=n,
        unit="days",
        due=due,
        weekday_estimate=None,
        status="computed",
        note=note,
        rest_day=rest_day,
        next_working_day=moved,
    )


def _rest_day(day: dt.date) -> tuple[bool | None, dt.date | None]:
    """Whether ``day`` is an official rest day, and if so the first official working day after it.

    ``(None, None)`` when the official calendar does not cover ``day``; the working day is ``None``
    when the calendar ends before one is reached.
    """
    first, last = calendar_coverage()
    if not first <= day <= last:
        return None, None
    if _is_official_workday(day):
        return False, None
    while day < last:
        day += _ONE_DAY
        if _is_official_workday(day):
            return True, day
    return True, None
