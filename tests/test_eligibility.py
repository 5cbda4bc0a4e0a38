"""Dated consequences and eligibility over a history of decisions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import guanzhi_rules as g
from guanzhi_rules import _eligibility
from guanzhi_rules._cli import main
from guanzhi_rules._evaluator import evaluate

PERSON: dict[str, Any] = {
    "subject": {"kind": "person", "organisation_type": "party_organ", "administrative_level": "county",
                "is_leading_cadre": True, "is_party_member": True, "is_state_functionary": True},
}


def decision(key: str, decided: str, *measures: str, **extra: Any) -> dict[str, Any]:
    return {"jurisdiction": key, "decided": decided, "measures": list(measures), "facts": PERSON, **extra}


def test_benxi_removal_freezes_and_awards() -> None:
    """Benxi art. 13: 免职 on 2019-06-10 bars an equivalent post to 2020-06-10, promotion to 2021-06-10, awards for 2019."""
    e = g.eligibility([decision("benxi", "2019-06-10", "removal")], on=dt.date(2019, 6, 10))
    assert e.answer("equivalent_post").blocked_by[0].last_day == "2020-06-10"
    assert e.answer("equivalent_post").earliest == "2020-06-11"
    assert e.answer("promotion").blocked_by[0].last_day == "2021-06-10"
    assert e.answer("promotion").earliest == "2021-06-11"
    (awards,) = e.answer("awards").blocked_by
    assert (awards.rule_id, awards.last_day) == ("art13.awards", "2019-12-31")
    assert [a.eligible for a in e.answers] == [False, False, False, True, False]


def test_benxi_removal_from_the_cli(tmp_path: Path) -> None:
    """The CLI gives the same numbers as the API."""
    history = tmp_path / "history.yaml"
    history.write_text(yaml.safe_dump([decision("benxi", "2019-06-10", "removal")], allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(main, ["eligibility", str(history), "--on", "2019-06-10", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "promotion: no; earliest 2021-06-11" in result.output
    assert "promotion until 2021-06-10" in result.output
    assert "equivalent_post until 2020-06-10" in result.output
    assert "awards until 2019-12-31" in result.output


@pytest.mark.parametrize(("decided", "last_day"), [("2019-08-31", "2020-02-29"), ("2018-08-31", "2019-02-28")])
def test_yueyang_admonition_on_31_august_ends_at_the_end_of_february(decided: str, last_day: str) -> None:
    """Yueyang art. 18(一): 诫勉谈话 bars promotion for half a year; from 31 August that ends on February's last day."""
    e = g.eligibility([decision("yueyang", decided, "admonition")], on=dt.date.fromisoformat(decided))
    (blocker,) = e.answer("promotion").blocked_by
    assert (blocker.rule_id, blocker.last_day) == ("art18.1", last_day)


def test_overlapping_freezes_combine_by_the_latest_end() -> None:
    """Two decisions: the later-ending freeze governs, and both are named as blockers."""
    history = [decision("benxi", "2019-06-10", "transfer"), decision("yueyang", "2019-09-01", "demotion")]
    answer = g.eligibility(history, on=dt.date(2019, 10, 1)).answer("promotion")
    assert sorted(b.last_day or "" for b in answer.blocked_by) == ["2020-06-10", "2021-09-01"]
    assert (answer.eligible, answer.earliest) == (False, "2021-09-02")


def test_a_freeze_without_a_fixed_length_leaves_the_answer_open() -> None:
    """Benxi art. 13: with organisational handling, discipline's own influence period applies, of a length not fixed here."""
    answer = g.eligibility([decision("benxi", "2020-03-01", "transfer", discipline=["party"])], on=dt.date(2030, 1, 1)).answer("promotion")
    assert (answer.eligible, answer.earliest) == (None, None)
    assert [b.time_limit for b in answer.blocked_by] == ["not_fixed"]


def test_yueyang_related_post_bar_lasts_the_influence_year() -> None:
    """Yueyang art. 18(三): after a transfer, no post related to the problem and no promotion, both for the year of influence.

    Changed for issue 14: the related-post bar used to be read as without time limit; art. 18 speaks of
    appointments 影响期内, and this item's period is a year.
    """
    e = g.eligibility([decision("yueyang", "2019-01-15", "transfer")], on=dt.date(2019, 6, 1))
    related = e.answer("related_post")
    assert (related.eligible, related.earliest) == (False, "2020-01-16")
    assert e.answer("promotion").earliest == "2020-01-16"


def test_a_freeze_without_time_limit_blocks_with_no_earliest_date(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A freeze with no time limit (a drafter's rule file) blocks for ever: no earliest date, whatever the day asked about."""
    rules = Path(__file__).resolve().parents[1] / "rules" / "yueyang.yaml"
    text = rules.read_text(encoding="utf-8").replace(
        "- freeze: {restriction: related_post, months: 12}", "- freeze: {restriction: related_post, length: indefinite}")
    assert "length: indefinite" in text
    proposal = tmp_path / "yueyang.yaml"
    proposal.write_text(text, encoding="utf-8")
    monkeypatch.setattr(_eligibility, "load_bundled", lambda key: g.load(proposal))  # histories name bundled keys only
    e = g.eligibility([decision("yueyang", "2019-01-15", "transfer")], on=dt.date(2029, 1, 1))
    related = e.answer("related_post")
    assert (related.eligible, related.earliest) == (False, None)
    assert [b.time_limit for b in related.blocked_by] == ["none"]
    assert e.answer("promotion").eligible is True


def test_decisions_after_the_date_are_not_yet_in_force() -> None:
    """A decision dated after the day asked about does not yet block anything."""
    e = g.eligibility([decision("benxi", "2019-06-10", "removal")], on=dt.date(2019, 6, 9))
    assert all(a.eligible and not a.blocked_by for a in e.answers)


def test_bad_history_entry_names_its_index() -> None:
    """A history entry with an unreadable date is refused with an error naming its index and field."""
    with pytest.raises(g.CaseError, match=r"history\[1\]\.decided"):
        g.eligibility([decision("benxi", "2019-06-10", "removal"), {"jurisdiction": "benxi", "decided": "June"}],
                      on=dt.date(2020, 1, 1))


# -- properties --------------------------------------------------------------------------------

DATES = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31))
FIXED = [(key, step.measure.value) for key, rs in g.load_all().items() for step in rs.ladder.steps]


@given(pair=st.sampled_from(FIXED), decided=DATES, gap=st.integers(0, 2000), step=st.integers(1, 2000))
def test_eligibility_is_monotone_in_time(pair: tuple[str, str], decided: dt.date, gap: int, step: int) -> None:
    """Once eligible, still eligible on any later date, absent new decisions."""
    key, measure = pair
    history = [decision(key, decided.isoformat(), measure)]
    first = decided + dt.timedelta(days=gap)
    second = first + dt.timedelta(days=step)
    before, after = g.eligibility(history, on=first), g.eligibility(history, on=second)
    for a, b in zip(before.answers, after.answers, strict=True):
        if a.eligible:
            assert b.eligible, (key, measure, a.question)


def _last_days(key: str, measure: str, decided: dt.date, restriction: set[str]) -> list[dt.date]:
    case = g.parse_case({**PERSON, "decision": {"measures": [measure], "date": decided.isoformat()}})
    d = evaluate(g.load(key), case, decided=True)
    return [dt.date.fromisoformat(i.period.last_day) for mc in d.consequences for i in mc.items
            if i.freeze and i.freeze.restriction in restriction and i.period and i.period.last_day]


@given(pair=st.sampled_from(FIXED), a=DATES, b=DATES)
def test_a_later_decision_never_ends_earlier(pair: tuple[str, str], a: dt.date, b: dt.date) -> None:
    """The same measure decided later never makes a restriction's last day earlier."""
    key, measure = pair
    early, late = sorted([a, b])
    restrictions = {"promotion", "higher_post", "equivalent_post", "any_post", "related_post"}
    for x, y in zip(_last_days(key, measure, early, restrictions), _last_days(key, measure, late, restrictions), strict=True):
        assert x <= y


@pytest.mark.parametrize("key", g.BUNDLED)
def test_a_heavier_rung_never_freezes_promotion_for_less(key: str) -> None:
    """On each ladder, a heavier measure's dated promotion bar ends no earlier than a lighter one's.

    Measures whose bar runs until rectification (Yueyang 停职检查) have no fixed length and are
    compared only where both are dated.
    """
    rs, decided = g.load(key), dt.date(2020, 3, 31)
    promotion = {"promotion", "higher_post"}
    ends = {s.measure.value: max(_last_days(key, s.measure.value, decided, promotion), default=None) for s in rs.ladder.steps}
    rungs = {s.measure.value: s.rung for s in rs.ladder.steps}
    for light, heavy in ((x, y) for x in ends for y in ends if rungs[x] < rungs[y]):
        if ends[light] and ends[heavy]:
            assert ends[heavy] >= ends[light], (light, heavy)


@pytest.mark.parametrize("decided", ["2019-01-31", "2020-02-29", "2019-08-31", "2019-12-31", "2020-06-10"])
@pytest.mark.parametrize("pair", FIXED)
def test_every_fixed_freeze_ends_on_the_corresponding_day(pair: tuple[str, str], decided: str) -> None:
    """Every freeze of N months ends on the day N months on, or that month's last day when it has none."""
    key, measure = pair
    day = dt.date.fromisoformat(decided)
    case = g.parse_case({**PERSON, "decision": {"measures": [measure], "date": decided}})
    for mc in evaluate(g.load(key), case, decided=True).consequences:
        for item in mc.items:
            if item.freeze and item.freeze.months and item.period:
                year, month = divmod(day.month - 1 + item.freeze.months, 12)
                year += day.year
                last = (dt.date(year + (month == 11), (month + 1) % 12 + 1, 1) - dt.timedelta(days=1)).day
                assert item.period.last_day == dt.date(year, month + 1, min(day.day, last)).isoformat()
                assert item.period.free_from == (dt.date.fromisoformat(item.period.last_day) + dt.timedelta(days=1)).isoformat()


def test_history_file_is_read_within_limits(tmp_path: Path) -> None:
    """A history file over the byte limit is refused before it is parsed."""
    path = tmp_path / "history.yaml"
    path.write_text("- " + "x" * 2000 + "\n", encoding="utf-8")
    with pytest.raises(g.CaseError, match="larger than the limit of 1000 bytes"):
        g.read_history(path, limits=g.Limits(max_bytes=1000))


def test_a_blocker_carries_the_item_not_only_the_article() -> None:
    """Yueyang art. 18 (三): a transfer's blocker names article, item and the canonical address, in JSON and text."""
    e = g.eligibility([decision("yueyang", "2020-03-02", "transfer")], on=dt.date(2020, 6, 1))
    (blocker,) = e.answer("promotion").blocked_by
    assert blocker.article == "第十八条"
    assert (blocker.citation.address.item, blocker.citation.address.text) == ("（三）", "第十八条（三）")
    assert '"text": "第十八条（三）"' in e.to_json()
    assert "第十八条（三）" in e.to_text("zh")
