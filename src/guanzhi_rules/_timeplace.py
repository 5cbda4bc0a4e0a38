"""Law in time and place: whether a document binds a case at its dates and where its subject serves.

Every document binds its own territory (全省, 我市, 全区) from its commencement. A case is still
decided under any rule set — comparing one case across documents is the point of the project — but
the determination says when that applies the document outside its time or territory, and never
guesses a date or a place the case or the text does not give.

- **In force.** The commencement is the rule file's ``document.commencement`` (cited, with the day
  it was read from); the conduct date (``dates.conduct``) and the decision date (``decision.date``)
  are each in force (on or after it), not yet in force (before it), or cannot tell (either date
  unknown). No document here states an end of force, so "no longer in force" is never said.
- **Territory.** The rule file's ``document.territory`` against the case's ``place`` (``_places``
  for codes and containment): within, outside, not recorded, cannot tell.
- **Versions.** Where dated overlays amend a rule set (``RuleSet.versions``), the versions in force
  at the conduct and decision dates may differ: their outcomes are shown side by side, the lighter
  marked (``lighter``), and choosing between them is left open — 从旧兼从轻 is party practice that
  these documents do not state.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

from guanzhi_rules import _places
from guanzhi_rules._determination import (
    Determination,
    InForce,
    InForceFrom,
    InForceStatus,
    TerritoryCheck,
    TerritoryStatus,
    TimeAndPlace,
    VersionOutcome,
    trusted,
)
from guanzhi_rules._rulefile import Cited, Restriction, Territory, Text
from guanzhi_rules._vocab import DevelopmentZone
from guanzhi_rules._words import IN_FORCE, TERRITORY

if TYPE_CHECKING:
    from guanzhi_rules._case import Case
    from guanzhi_rules._ruleset import RuleSet

DATE_FACTS: tuple[tuple[str, Text], ...] = (
    ("dates.conduct", Text(zh="行为发生日期", en="conduct date")),
    ("decision.date", Text(zh="决定日期", en="decision date")),
)
"""The dates of a case the document's force is checked at, with how a sentence names them."""

VERSIONS_OPEN = Text(
    zh="行为发生时与作出决定时施行的版本不同，两者结论并列如上，较轻者已标明。适用哪一版本（党内实践中的“从旧兼从轻”）本文件未作规定，由决定机关决定。",
    en="The versions in force at the conduct date and at the decision date differ; both outcomes are shown, the lighter "
    "marked. Which one to apply (从旧兼从轻, old law unless the new is lighter, in party practice) is not decided by "
    "these documents: the decision-maker decides.")
"""What a determination says where two versions of the rule set meet in one case."""

VERSION_OTHER = Text(
    zh="以上结论所依据的版本不是案件日期时施行的版本；案件日期时施行的版本及其结论另列如上。",
    en="The version evaluated is not the one in force at the case's dates; the outcome under the version in force then "
    "is shown beside it.")
"""What a determination says where it was evaluated under a version not in force at either of the case's dates."""


def time_and_place(ruleset: RuleSet, case: Case) -> TimeAndPlace:
    """Whether ``ruleset``'s document binds ``case`` in time and place (versions are added by the evaluator)."""
    static = _document(ruleset)
    at_conduct = _in_force(static, "dates.conduct", case.dates.conduct)
    if case.decision.date is None and at_conduct.status == "in_force":  # a decision never precedes its conduct
        at_decision = trusted(InForce, date_fact="decision.date", date=None, status="in_force", reason=IN_FORCE["after_conduct"])
    else:
        at_decision = _in_force(static, "decision.date", case.decision.date)
    territory = _territory(static, case)
    outside = tuple(name for name, off in (
        ("not_in_force_at_conduct", at_conduct.status == "not_yet_in_force"),
        ("not_in_force_at_decision", at_decision.status == "not_yet_in_force"),
        ("outside_territory", territory.status == "outside"),
    ) if off)
    return trusted(
        TimeAndPlace, commencement=static.commencement, at_conduct=at_conduct, at_decision=at_decision, territory=territory,
        outside=outside, statement=_statement(outside), versions=(), versions_statement=None)


@dataclass(frozen=True)
class _Document:
    """What a rule set says about its own time and place, read once per rule set."""

    commencement: InForceFrom
    start: dt.date | None
    territory: Territory | None
    name: Text | None


@functools.lru_cache(maxsize=64)  # rule sets are immutable; the loader keeps about as many
def _document(ruleset: RuleSet) -> _Document:
    c, t = ruleset.file.document.commencement, ruleset.file.document.territory
    if c is None:
        commencement = InForceFrom(date=None, stated=None, citations=(), note=IN_FORCE["not_stated"])
    else:
        commencement = InForceFrom(date=None if c.date == "unknown" else c.date.isoformat(), stated=c.stated,
                                   citations=tuple(Cited.of(x) for x in c.citations), note=c.note)
    start = None if c is None or c.date == "unknown" else c.date
    return _Document(commencement, start, t, _division_name(t.division, t.zone) if t else None)


@functools.lru_cache(maxsize=8)
def _statement(outside: tuple[str, ...]) -> Text:
    if not outside:
        return Text(zh="未发现在本文件施行时间或地域范围以外适用的情形（不能确定之处见下）。",
                    en="Nothing shows the document applied outside its time or territory (see below for what cannot be told).")
    zh = "；".join(IN_FORCE[f"outside.{o}"].zh for o in outside)
    en = "; ".join(IN_FORCE[f"outside.{o}"].en for o in outside)
    return Text(zh=f"仅供比较：{zh}。以下结论是在本文件的施行时间或地域范围以外适用本文件所得，不是本文件对本案的规定。",
                en=f"For comparison only: {en}. The outcome below applies the document outside its time or territory; "
                "it is not what the document provides for this case.")


_DATE_NAMES = dict(DATE_FACTS)


def _in_force(static: _Document, fact: str, day: dt.date | None) -> InForce:
    name, start = _DATE_NAMES[fact], static.start
    status: InForceStatus
    iso = day.isoformat() if day else None
    if day is None:
        status, reason = "cannot_tell", Text(zh=f"案件未记载{name.zh}", en=f"the case does not give the {name.en}")
    elif start is None:
        status = "cannot_tell"
        reason = IN_FORCE["not_stated"] if static.commencement.stated is None else IN_FORCE["date_unknown"]
    elif day < start:
        status = "not_yet_in_force"
        reason = trusted(Text, zh=f"{name.zh}（{iso}）早于本文件施行之日（{start}）",
                         en=f"the {name.en} ({iso}) is before the document took effect ({start})")
    else:
        status = "in_force"
        reason = trusted(Text, zh=f"{name.zh}（{iso}）在本文件施行之日（{start}）以后",
                         en=f"the {name.en} ({iso}) is on or after the day the document took effect ({start})")
    return trusted(InForce, date_fact=fact, date=iso, status=status, reason=reason)


def _division_name(code: str | None, zone: DevelopmentZone | None) -> Text | None:
    if zone is not None:
        return Text(zh=zone.zh, en=zone.en)
    if code is None:
        return None
    zh, en = _places.name(code, "zh"), _places.name(code, "en")
    return Text(zh=zh, en=en) if zh and en else None


def _territory(static: _Document, case: Case) -> TerritoryCheck:
    t, place = static.territory, case.place
    place_name = _division_name(place.division, place.zone) or (Text(zh=place.name, en=place.name) if place.name else None)
    status: TerritoryStatus
    if t is None:
        status, reason = "not_stated", TERRITORY["not_stated"]
    elif place.division is None and place.zone is None:
        status, reason = "not_recorded", TERRITORY["not_recorded"]
    else:
        status = _places.place_within(place.division, place.zone, t.division, t.zone)
        reason = TERRITORY["zone_not_recorded" if status == "cannot_tell" and t.zone is not None else status]
    return trusted(
        TerritoryCheck, division=t.division if t else None, zone=t.zone.value if t and t.zone else None, name=static.name,
        citation=Cited.of(t.citation) if t else None, place=place.division, place_zone=place.zone.value if place.zone else None,
        place_name=place_name, status=status, reason=reason)


def versions(ruleset: RuleSet, case: Case, outcomes: dict[str, Determination]) -> tuple[tuple[VersionOutcome, ...], Text | None]:
    """The outcomes under the versions in force at the conduct and decision dates, where those differ (the lighter
    marked) or where the one in force is not ``ruleset``.

    ``outcomes`` maps each version's ``sha256`` to its determination of ``case``.
    """
    at: dict[str, list[str]] = {}
    chosen: dict[str, RuleSet] = {}
    for fact, day in (("dates.conduct", case.dates.conduct), ("decision.date", case.decision.date)):
        if day is not None:
            version = ruleset.version_on(day)
            at.setdefault(version.sha256, []).append(fact)
            chosen[version.sha256] = version
    if set(chosen) <= {ruleset.sha256}:
        return (), None
    records = [
        VersionOutcome(
            in_force_from=v.in_force_from.isoformat() if v.in_force_from else _document(v).commencement.date, at=tuple(at[sha]),
            ruleset_sha256=sha, accountable=outcomes[sha].sanctions.accountable, measures=outcomes[sha].sanctions.measures,
            consequences=outcomes[sha].consequences, lighter=None)
        for sha, v in chosen.items()]
    if len(records) == 1:
        return tuple(records), VERSION_OTHER
    first, second = records
    lighter = lighter_of(ruleset, first, second)
    if lighter is not None:
        records = [r.model_copy(update={"lighter": r is lighter}) for r in records]
    return tuple(records), VERSIONS_OPEN


def _profile(ruleset: RuleSet, v: VersionOutcome) -> tuple[int, int, int, dict[tuple[str, Restriction], int]] | None:
    """How heavy an outcome is: (accountable, heaviest and lightest rung of the range, months of each fixed freeze)."""
    if v.accountable is None:
        return None
    rungs = [ruleset.ladder_order[m][0] for m in v.measures if m in ruleset.ladder_order]
    months = {(mc.measure, item.freeze.restriction): item.freeze.months
              for mc in v.consequences for item in mc.items if item.freeze and item.freeze.months is not None}
    return int(v.accountable), max(rungs, default=0), min(rungs, default=0), months


def lighter_of(ruleset: RuleSet, a: VersionOutcome, b: VersionOutcome) -> VersionOutcome | None:
    """The lighter of two outcomes on ``ruleset``'s ladder, or None where they weigh the same or neither is lighter throughout.

    Lighter means: not accountable where the other is; else a range no heavier at either end; else,
    the range being the same, no influence period longer and one shorter.
    """
    pa, pb = _profile(ruleset, a), _profile(ruleset, b)
    if pa is None or pb is None:
        return None
    if pa[:3] != pb[:3]:
        a_lighter = all(x <= y for x, y in zip(pa[:3], pb[:3], strict=True))
        b_lighter = all(y <= x for x, y in zip(pa[:3], pb[:3], strict=True))
        return a if a_lighter and not b_lighter else b if b_lighter and not a_lighter else None
    keys = pa[3].keys() & pb[3].keys()
    shorter = {k for k in keys if pa[3][k] < pb[3][k]}
    longer = {k for k in keys if pa[3][k] > pb[3][k]}
    if shorter and not longer:
        return a
    if longer and not shorter:
        return b
    return None
