"""The catalogue of shared words: complete for every code, and the one source every rendering words a code from."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal, get_args

import pytest
import yaml

import guanzhi_rules as g
from guanzhi_rules._conditions import OPERATORS as CONDITION_OPERATORS
from guanzhi_rules._determination import ExemptionOutcome, RuleResult, SanctionRange, ScopeOutcome
from guanzhi_rules._diffreport import _step_result
from guanzhi_rules._loader import resolve
from guanzhi_rules._rulefile import Citation, Factor, Modality, Stage, Text
from guanzhi_rules._words import (
    ACCOUNTABLE,
    EMPHASES,
    EXEMPTION_OUTCOMES,
    FACTORS,
    MODALITIES,
    OPERATORS,
    RESULTS,
    SCOPE_OUTCOMES,
    STAGES,
    STANDINGS,
    TRUTH,
    cite,
    where,
)

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "cases"
PILOT = EXAMPLES / "failed_reform_pilot.yaml"
OVERLAY = ROOT / "docs" / "examples" / "benxi_tolerance_with_bar.yaml"


OPEN_CATCH_ALL = """overlay: {base: jiangsu, title: {zh: 兜底条款不设条件, en: a catch-all without a condition}}
replace:
  - id: art7.10
    stage: circumstance
    modality: shall
    catch_all: true
    label: {zh: 其他为官不为的情形（领导干部）, en: other inaction in office (leading cadre)}
    then: [{category: {zh: 领导干部为官不为, en: inaction in office by a leading cadre}}]
    citation: {article: 第七条, item: （十）, quote: 其他为官不为的情形。}
"""
"""Jiangsu with art. 7(10) as a catch-all that asks for no finding: its result is not_evaluable."""


def data(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return loaded


def codes(annotation: Any) -> set[str]:
    """The string values of a Literal type (or of a model field annotated with one)."""
    return set(get_args(annotation))


@pytest.mark.parametrize(("table", "expected"), [
    (RESULTS, codes(RuleResult)),
    (STAGES, codes(Stage)),
    (MODALITIES, codes(Modality)),
    (FACTORS, codes(Factor)),
    (SCOPE_OUTCOMES, codes(ScopeOutcome.model_fields["outcome"].annotation)),
    (EXEMPTION_OUTCOMES, codes(ExemptionOutcome.model_fields["outcome"].annotation)),
    (EMPHASES, codes(SanctionRange.model_fields["emphasis"].annotation) - {"none"}),
    (OPERATORS, set(CONDITION_OPERATORS)),
], ids=["results", "stages", "modalities", "factors", "scope", "exemption", "emphasis", "operators"])
def test_every_code_has_words(table: dict[str, Text], expected: set[str]) -> None:
    """Every code the determination or the rule-file format defines has a zh and an en entry, and no entry is stale."""
    assert set(table) == expected
    assert all(text.zh and text.en for text in table.values())


@pytest.mark.parametrize("table", [TRUTH, STANDINGS, ACCOUNTABLE], ids=["truth", "standings", "accountable"])
def test_three_valued_words_cover_true_false_and_unknown(table: dict[bool | None, Text]) -> None:
    """A three-valued result is worded for true, false and unknown (None)."""
    assert set(table) == {True, False, None}


def test_words_of_one_table_are_distinct() -> None:
    """No two results read alike in either language, so a rendering never confuses two codes."""
    for lang in ("zh", "en"):
        words = [text.get(lang) for text in RESULTS.values()]
        assert len(set(words)) == len(words), lang


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_explain_evaluate_and_diff_word_a_result_alike(lang: Literal["zh", "en"], tmp_path: Path) -> None:
    """A rule needing a decision-maker's finding is worded the same in the determination, its explanation and a diff report."""
    overlay = tmp_path / "open_list.yaml"
    overlay.write_text(OPEN_CATCH_ALL, encoding="utf-8")
    rs = g.load("jiangsu", overlays=[overlay])
    case = data(PILOT)
    d = rs.evaluate(case)
    step = next(s for s in d.trace if s.result == "not_evaluable")
    word = RESULTS["not_evaluable"].get(lang)
    assert word == {"zh": "需决定机关认定", "en": "needs a decision-maker's finding"}[lang]
    assert f"{step.rule_id} [{step.stage}] {word} — " in d.to_text(lang)
    head = ("结果：" if lang == "zh" else "Result: ") + word + " — "
    explained = g.explain(rs, case, step.rule_id, determination=d).to_text(lang)
    assert any(line.startswith(head) for line in explained.splitlines())
    assert _step_result(step, lang) == word


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_compare_and_evaluate_word_an_exemption_outcome_alike(lang: Literal["zh", "en"]) -> None:
    """The comparison's exemption cell opens with the words the determination uses for the same outcome."""
    comparison = g.compare(data(PILOT), ["yangjiang"])
    d = comparison.determination("yangjiang")
    word = EXEMPTION_OUTCOMES[d.exemption.outcome].get(lang)
    assert comparison.cell("exemption", "yangjiang").summary.get(lang) == word
    assert f"\n   {word}" in d.to_text(lang)


def test_explain_cites_the_document_of_a_quote_from_another_rule_set() -> None:
    """explain names the rule set whose text an overlay's rule quotes, as the determination does (it used to drop it)."""
    rs = resolve(f"benxi+{OVERLAY}")
    rule = rs.rule("bar.private_gain")
    assert rule.rule.citation.document == "yangjiang"
    text = g.explain(rs, data(PILOT), "bar.private_gain").to_text("en")
    assert text.splitlines()[1] == f"  {cite(rule.rule.citation)}"
    assert text.splitlines()[1].startswith("  [yangjiang] 二（二）2（2）：“")


def test_where_names_document_part_article_and_item() -> None:
    """A citation's address reads [document] part article item; a trace line can leave the part out."""
    c = Citation(article="第八条", item="（二）", part="关于进一步激励干部想事干事成事的暂行办法", quote="引文", document="yangjiang")
    assert where(c) == "[yangjiang] 关于进一步激励干部想事干事成事的暂行办法 第八条（二）"
    assert where(c, part=False) == "[yangjiang] 第八条（二）"
    assert cite(c) == "[yangjiang] 关于进一步激励干部想事干事成事的暂行办法 第八条（二）：“引文”"
    assert where(Citation(article="第六条", quote="引文")) == "第六条"
