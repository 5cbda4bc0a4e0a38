"""Review of the measures a decision-maker chose: range, ladder, combination and substitution."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import guanzhi_rules as g
from guanzhi_rules import Determination
from guanzhi_rules._loader import rules_dir

from .support import LEADING_CADRE, evaluate, merge

BENXI_SERIOUS = merge(LEADING_CADRE, {"conduct": {"acts": ["falsifying"], "gravity": "serious"}})
"""Benxi art. 6(2) with serious circumstances: art. 9 makes organisational handling mandatory."""

JIANGSU_MINOR = merge(LEADING_CADRE, {
    "conduct": {"acts": ["breaching_work_discipline"], "gravity": "minor"},
    "inquiry": {"allegation": "verified"},
    "legal": {"discipline_breach": "ordinary"},
})
"""Jiangsu art. 8(9), minor circumstances, a breach of discipline: art. 15's light band and art. 16 discipline."""


def chose(base: dict[str, Any], key: str, measures: list[str], discipline: list[str] | None = None) -> Determination:
    return evaluate(key, merge(base, {"decision": {"measures": measures, "discipline": discipline or []}}))


def reasons(d: Determination) -> list[tuple[bool, str | None, str | None]]:
    assert d.choice is not None
    return [(f.permitted, f.measure, f.rule_id) for f in d.choice.findings]


def test_no_choice_no_review() -> None:
    """A case with no decided measure or discipline gets no review of the choice."""
    assert evaluate("benxi", BENXI_SERIOUS).choice is None


def test_measure_within_the_range_is_permitted() -> None:
    """A chosen measure within the band's range is permitted, with no finding against it."""
    d = chose(BENXI_SERIOUS, "benxi", ["removal"])
    assert d.choice is not None and d.choice.permitted is True
    assert reasons(d) == []


def test_measure_below_the_range_is_not_permitted() -> None:
    """Benxi art. 9 (serious): 诫勉 is art. 8's light measure and outside the range; the band is cited."""
    d = chose(BENXI_SERIOUS, "benxi", ["admonition"])
    assert d.choice is not None and d.choice.permitted is False
    assert reasons(d) == [(False, "admonition", "art9")]


def test_measure_off_the_ladder_is_not_permitted() -> None:
    """Benxi has no 提醒: choosing it is reported against the ladder's citation, not silently dropped."""
    d = chose(BENXI_SERIOUS, "benxi", ["reminder"])
    assert d.choice is not None and d.choice.permitted is False
    assert reasons(d) == [(False, "reminder", None)]
    assert d.choice.findings[0].citation is not None


ZHEJIANG_GRAVE = merge(LEADING_CADRE, {
    "conduct": {"acts": ["perfunctory"], "gravity": "grave"}, "harm": {"influence": "considerable"},
    "context": {"reform_or_pilot": False}})
"""Zhejiang 五.1 admonition and 五.3 adjustment (an open list ending in 等) both apply."""


def test_open_ended_list_does_not_admit_a_lighter_measure() -> None:
    """Zhejiang: 提醒 is lighter than every listed measure, so 等 does not reach it."""
    d = evaluate("zhejiang", merge(ZHEJIANG_GRAVE, {"decision": {"measures": ["reminder"]}}))
    assert d.sanctions.open_ended
    assert d.choice is not None and d.choice.permitted is False
    assert reasons(d) == [(False, "reminder", d.sanctions.bands[0].rule_id)]


def test_open_ended_list_admits_a_measure_of_like_weight(tmp_path: Path) -> None:
    """With 改任非领导职务 left out of 五.3's list, 等 still admits it: its rung lies within the listed ones."""
    text = (rules_dir() / "zhejiang.yaml").read_text(encoding="utf-8")
    text = text.replace("- measures: [transfer, non_leading_post, removal, demotion]", "- measures: [transfer, removal, demotion]")
    shutil.copytree(rules_dir() / "sources", tmp_path / "sources")
    (tmp_path / "zhejiang.yaml").write_text(text, encoding="utf-8")
    d = g.load(tmp_path / "zhejiang.yaml").evaluate(merge(ZHEJIANG_GRAVE, {"decision": {"measures": ["non_leading_post"]}}))
    assert "non_leading_post" not in d.sanctions.measures
    assert d.choice is not None and d.choice.permitted is True
    assert reasons(d) == [(True, "non_leading_post", d.sanctions.bands[0].rule_id)]


def test_measure_when_no_accountability_follows() -> None:
    """A shall-exemption (Yueyang art. 17) leaves nothing to impose: a chosen measure is not permitted, citing the exemption."""
    facts = merge(LEADING_CADRE, {
        "conduct": {"acts": ["public_commitment_unmet"]},
        "context": {"emergency": "none", "force_majeure": True, "unable_to_perform": True},
        "decision": {"measures": ["circulated_criticism"]},
    })
    d = evaluate("yueyang", facts)
    assert d.exemption.outcome == "granted"
    assert d.choice is not None and d.choice.permitted is False
    (finding,) = d.choice.findings
    assert finding.rule_id is not None and finding.rule_id.startswith("art17")


def test_benxi_discipline_and_handling_combine() -> None:
    """Benxi art. 11: organisational handling and discipline may be used together."""
    d = chose(BENXI_SERIOUS, "benxi", ["removal"], ["party"])
    assert d.choice is not None and d.choice.permitted is True
    assert reasons(d) == [(True, None, "art11.choice.combined")]


def test_benxi_discipline_does_not_discharge_mandatory_handling() -> None:
    """Benxi arts. 9 and 11: discipline alone, where art. 9 requires handling, leaves the handling due."""
    d = chose(BENXI_SERIOUS, "benxi", [], ["party"])
    assert d.choice is not None and d.choice.permitted is False
    assert reasons(d) == [(False, None, "art11.choice.handling_due")]


def test_jiangsu_handling_may_not_replace_discipline() -> None:
    """Jiangsu art. 16: where discipline is due, organisational handling alone substitutes for it."""
    d = chose(JIANGSU_MINOR, "jiangsu", ["admonition"])
    assert d.choice is not None and d.choice.permitted is False
    assert (False, None, "art16.choice.discipline_replaced") in reasons(d)
    assert d.choice.findings[-1].citation is not None and d.choice.findings[-1].citation.article == "第十六条"


def test_jiangsu_discipline_alone_on_the_light_band() -> None:
    """Jiangsu art. 16: discipline may be used alone; in place of 提醒/函询/诫勉 it never goes light, so it is permitted."""
    d = chose(JIANGSU_MINOR, "jiangsu", [], ["party"])
    assert d.choice is not None and d.choice.permitted is True
    assert reasons(d) == [(True, None, "art16.choice.discipline_alone")]


def test_jiangsu_both_together_are_permitted() -> None:
    """In Jiangsu a light measure combined with party discipline is permitted under art. 16's combination rule."""
    d = chose(JIANGSU_MINOR, "jiangsu", ["admonition"], ["party"])
    assert d.choice is not None and d.choice.permitted is True
    assert reasons(d) == [(True, None, "art16.choice.combined")]


def test_choice_is_rendered_in_both_languages() -> None:
    """A measure that is not permitted is said so in both the English and the Chinese rendering."""
    d = chose(BENXI_SERIOUS, "benxi", ["admonition"])
    assert "not permitted" in d.to_text("en")
    assert "不允许" in d.to_text("zh")
