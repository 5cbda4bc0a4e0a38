"""Law in time and place: commencement, territory, division codes, and versions of a rule set by date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import guanzhi_rules as g
from guanzhi_rules import _places
from guanzhi_rules._check import check
from guanzhi_rules._facts import FACTS
from guanzhi_rules._rulefile import Citation, Cited
from guanzhi_rules._timeplace import lighter_of
from guanzhi_rules._vocab import DevelopmentZone

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "cases"
AMENDMENT = ROOT / "docs" / "examples" / "benxi_transfer_freeze_2025.yaml"
ZONE = DevelopmentZone.HIGH_TECH_ZONE_210500


def _case(**sections: Any) -> g.Case:
    """The petitions example with some sections replaced."""
    data = g.read_case(EXAMPLES / "serious_inaction_petitions.yaml").model_dump(mode="json")
    data.update(sections)
    return g.parse_case(data)


# -- division codes ------------------------------------------------------------------------------

def test_prefix_containment_by_level() -> None:
    """A province contains its prefectures and counties, a prefecture its counties, a county only itself."""
    assert _places.contains("320000", "320100") and _places.contains("320000", "320102")
    assert _places.contains("441700", "441781") and not _places.contains("441700", "441800")
    assert _places.contains("441781", "441781") and not _places.contains("441781", "441702")
    assert not _places.contains("420000", "430600")


def test_a_county_directly_under_a_province_has_no_prefecture() -> None:
    """仙桃市 (429004) is within Hubei but under no prefecture: its 90 pair is not one."""
    assert _places.parents("429004") == ("420000",)
    assert _places.parents("420222") == ("420000", "420200")
    assert _places.name("429004", "zh") == "湖北省仙桃市"


def test_names_run_from_the_province_down() -> None:
    """Names chain the bundled parents, broadest first in Chinese and last in English; an unknown code has no name."""
    assert _places.name("441781", "zh") == "广东省阳江市阳春市"
    assert _places.name("441781", "en") == "Yangchun, Yangjiang, Guangdong"
    assert _places.name("370102", "zh") is None


codes = st.from_regex(r"[1-8][0-9](00|0[1-9]|[1-2][0-9])(00|0[1-9]|[1-2][0-9])", fullmatch=True)


@given(a=codes, b=codes, c=codes)
def test_containment_is_a_partial_order(a: str, b: str, c: str) -> None:
    """Containment is reflexive and transitive, and two distinct codes never contain each other."""
    assert _places.contains(a, a)
    if _places.contains(a, b) and _places.contains(b, c):
        assert _places.contains(a, c)
    if a != b:
        assert not (_places.contains(a, b) and _places.contains(b, a))


@given(code=codes)
def test_every_code_lies_within_its_parents(code: str) -> None:
    """Each parent a code names contains it."""
    assert all(_places.contains(parent, code) for parent in _places.parents(code))


def test_a_zone_is_within_itself_and_cannot_be_told_from_its_city() -> None:
    """A place in the zone is within the zone's territory; its city alone cannot tell; another province is outside."""
    assert _places.place_within(None, ZONE, "210500", ZONE) == "within"
    assert _places.place_within("210500", None, "210500", ZONE) == "cannot_tell"
    assert _places.place_within("210503", None, "210500", ZONE) == "cannot_tell"
    assert _places.place_within("210000", None, "210500", ZONE) == "cannot_tell"
    assert _places.place_within("210200", None, "210500", ZONE) == "outside"
    assert _places.place_within("420222", None, "210500", ZONE) == "outside"


def test_a_broader_place_cannot_be_placed_in_a_narrower_territory() -> None:
    """A subject recorded only as serving in 广东省 may or may not serve in 阳江市; in 阳春市 they do."""
    assert _places.place_within("440000", None, "441700", None) == "cannot_tell"
    assert _places.place_within("441781", None, "441700", None) == "within"
    assert _places.place_within(None, ZONE, "210000", None) == "within"


@pytest.mark.parametrize(("place", "problem"), [
    ({"division": "42022"}, "pattern"),
    ({"division": "020222"}, "pattern"),
    ({"division": "420222", "zone": ZONE.value}, "lies in division 210500"),
])
def test_a_malformed_place_is_refused(place: dict[str, str], problem: str) -> None:
    """A code that is not six digits, or a zone outside the division given, is a case error naming the place."""
    with pytest.raises(g.CaseError, match=problem):
        g.parse_case({"place": place})


def test_no_rule_reads_the_place() -> None:
    """The place is checked against each document's territory and is not a fact a rule condition may name."""
    assert not any(path.startswith("place.") for path in FACTS)


# -- commencement and territory in the rule files ------------------------------------------------

COMMENCEMENT = {
    "jiangsu": ("2015-07-23", True, "320000"),
    "yangjiang": ("2017-05-17", False, "441700"),
    "benxi": ("2019-04-25", True, "210500"),
    "yueyang": (None, True, "430600"),
    "zhejiang": ("2015-10-20", False, "330000"),
}
"""Per rule set: the first day in force, whether the text states its commencement, and its territory's code."""


@pytest.mark.parametrize("key", g.BUNDLED)
def test_every_document_states_its_time_and_place(key: str) -> None:
    """Each bundled rule set records its commencement (Yueyang's day unknown) and territory, as the text gives them."""
    d = g.load(key).evaluate(g.Case())
    date, stated, division = COMMENCEMENT[key]
    assert (d.time_and_place.commencement.date, d.time_and_place.commencement.stated) == (date, stated)
    assert d.time_and_place.territory.division == division
    assert d.fingerprints.version == date


def _copy_benxi(directory: Path) -> tuple[str, Path]:
    """Benxi's rule file text, and where to write a changed copy next to a copy of its source."""
    (directory / "sources").mkdir()
    text = (ROOT / "rules" / "sources" / "benxi.txt").read_text(encoding="utf-8")
    (directory / "sources" / "benxi.txt").write_text(text, encoding="utf-8")
    return (ROOT / "rules" / "benxi.yaml").read_text(encoding="utf-8"), directory / "benxi.yaml"


def test_a_wrong_commencement_quote_is_a_citation_finding(tmp_path: Path) -> None:
    """guanzhi check holds the commencement's quotes to the text like a rule's: a date not in the preamble is reported."""
    source, path = _copy_benxi(tmp_path)
    path.write_text(source.replace("{article: 文首, quote: 2019年4月25日}", "{article: 文首, quote: 2019年4月26日}"), encoding="utf-8")
    report = check(path)
    assert [(f.kind, f.rule_id) for f in report.findings] == [("citation", "document.commencement")]


def test_an_article_quoted_as_the_preamble_is_reported_where_it_is(tmp_path: Path) -> None:
    """A quote of an article cited as 文首 says under which article it really occurs."""
    source, path = _copy_benxi(tmp_path)
    path.write_text(source.replace("{article: 第十五条, quote: 办法自下发之日起施行。}", "{article: 文首, quote: 办法自下发之日起施行。}"),
                    encoding="utf-8")
    (finding,) = check(path).findings
    assert finding.rule_id == "document.commencement" and "under 第十五条" in finding.message


# -- in force ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("conduct", "status"), [
    ("2017-05-16", "not_yet_in_force"), ("2017-05-17", "in_force"), ("2020-01-01", "in_force"), (None, "cannot_tell")])
def test_in_force_from_the_day_of_commencement(conduct: str | None, status: str) -> None:
    """Yangjiang binds conduct from its publication day on, not the day before; an unknown conduct date cannot tell."""
    d = g.load("yangjiang").evaluate(_case(dates={"conduct": conduct}))
    assert d.time_and_place.at_conduct.status == status
    assert ("not_in_force_at_conduct" in d.time_and_place.outside) == (status == "not_yet_in_force")


def test_conduct_before_commencement_is_still_decided_and_marked() -> None:
    """Conduct of 2012 under Yangjiang: not yet in force, the date's source cited, the outcome still given and marked."""
    d = g.load("yangjiang").evaluate(g.read_case(EXAMPLES / "conduct_before_yangjiang.yaml"))
    assert d.time_and_place.at_conduct.status == "not_yet_in_force"
    assert d.time_and_place.commencement.citations[0].quote == "发布时间:2017-05-17"
    assert d.sanctions.accountable is True and d.sanctions.measures
    en, zh = d.to_text("en"), d.to_text("zh")
    assert "[For comparison only: the document was not yet in force at the conduct date" in en
    assert "【仅供比较：行为发生时本文件尚未施行" in zh
    assert "文首：“发布时间:2017-05-17”" in zh


def test_an_undated_document_cannot_tell() -> None:
    """Yueyang's text gives no issue date: in force cannot be told at any date, and nothing is marked outside its time."""
    d = g.load("yueyang").evaluate(_case(dates={"conduct": "2030-01-01"}, decision={"date": "2030-06-01"}))
    assert (d.time_and_place.at_conduct.status, d.time_and_place.at_decision.status) == ("cannot_tell", "cannot_tell")
    assert d.time_and_place.outside == ()


def test_a_decision_date_unknown_follows_the_conduct_in_force() -> None:
    """A decision never precedes its conduct: conduct in force means the decision is too; conduct before tells nothing."""
    after = g.load("zhejiang").evaluate(_case(dates={"conduct": "2020-01-01"}))
    assert after.time_and_place.at_decision.status == "in_force"
    before = g.load("zhejiang").evaluate(_case(dates={"conduct": "2014-01-01"}))
    assert before.time_and_place.at_decision.status == "cannot_tell"


# -- territory -----------------------------------------------------------------------------------

@pytest.mark.parametrize("key", g.BUNDLED)
def test_a_hubei_county_is_outside_every_territory(key: str) -> None:
    """A subject serving in 阳新县 (420222) is outside all five documents' territories, and still decided."""
    d = g.load(key).evaluate(g.read_case(EXAMPLES / "hubei_county_official.yaml"))
    assert d.time_and_place.territory.status == "outside"
    assert "outside_territory" in d.time_and_place.outside
    assert d.sanctions.accountable is True
    assert "outside this document's territory" in d.to_text("en")


@pytest.mark.parametrize(("key", "status"), [(key, "within" if key == "benxi" else "outside") for key in g.BUNDLED])
def test_the_benxi_zone_is_within_benxi_only(key: str, status: str) -> None:
    """A subject in 本溪高新区 is within Benxi's 全区 and outside the other four."""
    d = g.load(key).evaluate(g.read_case(EXAMPLES / "benxi_zone_official.yaml"))
    assert d.time_and_place.territory.status == status


def test_no_place_recorded_is_said_not_guessed() -> None:
    """A case without a place gets "territory not recorded" under every rule set, and is not marked outside."""
    for key in g.BUNDLED:
        d = g.load(key).evaluate(_case())
        assert d.time_and_place.territory.status == "not_recorded"
        assert "outside_territory" not in d.time_and_place.outside
        assert "territory not recorded" in d.to_text("en")


def test_benxi_city_without_the_zone_cannot_tell() -> None:
    """A subject recorded only as serving in 本溪市 may or may not serve in the zone: Benxi cannot tell."""
    d = g.load("benxi").evaluate(_case(place={"division": "210503"}))
    assert d.time_and_place.territory.status == "cannot_tell"
    assert "place.zone" in d.time_and_place.territory.reason.en


# -- versions ------------------------------------------------------------------------------------

def test_load_on_a_day_gives_the_version_in_force() -> None:
    """Before the amendment's day the base version, from it the amended one; each knows the whole timeline."""
    before = g.load("benxi", overlays=[AMENDMENT], on=dt.date(2024, 12, 31))
    after = g.load("benxi", overlays=[AMENDMENT], on=dt.date(2025, 1, 1))
    assert before.rule("art13.transfer").rule.then[0].freeze.months == 12  # type: ignore[union-attr]
    assert after.rule("art13.transfer").rule.then[0].freeze.months == 24  # type: ignore[union-attr]
    assert [v.in_force_from for v in before.versions] == [None, dt.date(2025, 1, 1)]
    assert before.versions == after.versions
    assert (before.version, after.version) == ("2019-04-25", "2025-01-01")
    assert g.load("benxi").versions == ()  # the shared base is not touched
    assert g.load("benxi", on=dt.date(2000, 1, 1)) is g.load("benxi")


def test_conduct_and_decision_under_different_versions_show_both() -> None:
    """Conduct in 2024, transfer decided in 2025: both versions' freezes side by side, the one-year freeze marked lighter."""
    ruleset = g.load("benxi", overlays=[AMENDMENT])
    d = ruleset.evaluate(g.read_case(EXAMPLES / "transfer_across_amendment.yaml"))
    first, second = d.time_and_place.versions
    assert (first.at, second.at) == (("dates.conduct",), ("decision.date",))
    assert (first.in_force_from, second.in_force_from) == ("2019-04-25", "2025-01-01")
    months = [[i.freeze.months for mc in v.consequences for i in mc.items if i.freeze and i.rule_id == "art13.transfer"]
              for v in (first, second)]
    assert months == [[12], [24]]
    assert (first.lighter, second.lighter) == (True, False)
    assert d.time_and_place.versions_statement is not None and "从旧兼从轻" in d.time_and_place.versions_statement.zh
    assert d.fingerprints.version == "2025-01-01"
    assert "【较轻】" in d.to_text("zh") and "[lighter]" in d.to_text("en")
    assert g.Determination.model_validate_json(d.to_json()) == d


@pytest.mark.parametrize(("conduct", "decided"), [("2025-02-01", "2025-06-01"), (None, "2025-06-01"), ("2025-02-01", None)])
def test_the_version_in_force_evaluated_shows_no_versions(conduct: str | None, decided: str | None) -> None:
    """Where the known case dates fall under the version evaluated, no other version is listed."""
    d = g.load("benxi", overlays=[AMENDMENT]).evaluate(_case(dates={"conduct": conduct}, decision={"date": decided}))
    assert d.time_and_place.versions == ()


def test_a_version_not_in_force_at_the_case_dates_shows_the_one_that_was() -> None:
    """Evaluated under the 2025 version, a case wholly of 2024 also shows the outcome under the 2024 version."""
    d = g.load("benxi", overlays=[AMENDMENT]).evaluate(_case(dates={"conduct": "2024-01-01"}, decision={"date": "2024-06-01"}))
    (version,) = d.time_and_place.versions
    assert version.at == ("dates.conduct", "decision.date")
    assert version.in_force_from == "2019-04-25" and version.lighter is None
    assert d.time_and_place.versions_statement is not None and "not the one in force" in d.time_and_place.versions_statement.en


def test_undated_overlays_keep_their_fingerprints() -> None:
    """An overlay without in_force_from serialises without it, so the fingerprints of existing proposals do not change."""
    proposal = g.load("yueyang", overlays=[ROOT / "docs" / "examples" / "yueyang_transfer_freeze_18_months.yaml"])
    assert "in_force_from" not in proposal.overlays[0].canonical()
    assert proposal.versions == ()


def _outcome(accountable: bool | None, measures: tuple[str, ...], months: int | None = None) -> g.VersionOutcome:
    items = ()
    if months is not None:
        freeze = {"restriction": "promotion", "months": months}
        citation = Cited.of(Citation(article="第一条", quote="xx")).model_dump()
        items = (g.ConsequenceItem.model_validate({"rule_id": "r", "citation": citation, "freeze": freeze}),)
    consequences = tuple(g.MeasureConsequences(measure=m, chosen=False, items=items) for m in measures)
    return g.VersionOutcome(in_force_from=None, at=(), ruleset_sha256="0", accountable=accountable, measures=measures,
                            consequences=consequences, lighter=None)


outcomes = st.builds(
    _outcome, st.sampled_from([True, False, None]),
    st.lists(st.sampled_from(["criticism_education", "admonition", "transfer", "removal", "demotion"]), unique=True).map(tuple),
    st.one_of(st.none(), st.integers(1, 36)))


@given(a=outcomes, b=outcomes)
def test_lighter_is_one_of_the_two_and_does_not_depend_on_order(a: g.VersionOutcome, b: g.VersionOutcome) -> None:
    """The lighter of two outcomes is the same whichever comes first, and never exists when either is undetermined."""
    benxi = g.load("benxi")
    one, other = lighter_of(benxi, a, b), lighter_of(benxi, b, a)
    assert one is other
    if a.accountable is None or b.accountable is None:
        assert one is None


def test_not_accountable_is_lighter_than_any_measure() -> None:
    """Where one version holds the subject accountable and the other does not, the other is lighter."""
    benxi = g.load("benxi")
    held, cleared = _outcome(True, ("criticism_education",)), _outcome(False, ())
    assert lighter_of(benxi, held, cleared) is cleared


def test_a_range_heavier_at_one_end_and_lighter_at_the_other_is_neither() -> None:
    """Neither range is lighter where one reaches higher and the other starts higher."""
    benxi = g.load("benxi")
    wide, narrow = _outcome(True, ("criticism_education", "demotion")), _outcome(True, ("admonition", "transfer"))
    assert lighter_of(benxi, wide, narrow) is None
