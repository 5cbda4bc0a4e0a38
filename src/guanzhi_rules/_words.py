"""The words the renderings share: one catalogue, each entry a Chinese/English pair.

The determination's text (``_render``), an explanation (``_explain``), a comparison table
(``_compare``) and the impact report of a diff (``_diffreport``) all name the same things: a
rule's result, a stage, a modality, a scope or exemption outcome, a factor, an operator. Written
separately, the copies drifted apart (one result worded two ways, a citation shown with its
document in one rendering and without it in another). So the shared words live here, once, and
every renderer reads them from this module. The tables are keyed by plain strings so that a
renderer can merge them with its own; ``tests/test_words.py`` checks that every code the
determination and the rule-file format can produce has an entry.

Words only one rendering uses (its headings, its sentences) stay with that rendering. Labels of
measures and facts are not repeated here: they live with their vocabularies (``_vocab``,
``_facts``).
"""

from __future__ import annotations

from typing import Any

from guanzhi_rules._facts import FACTS
from guanzhi_rules._rulefile import DRAFT_MARK, Citation, Text

RESULTS: dict[str, Text] = {
    "applies": Text(zh="适用", en="applies"),
    "does_not_apply": Text(zh="不适用", en="does not apply"),
    "undetermined": Text(zh="尚不能确定", en="undetermined"),
    "not_evaluable": Text(zh="需决定机关认定", en="needs a decision-maker's finding"),
    "defeated": Text(zh="被排除", en="defeated"),
    "not_reached": Text(zh="未到达", en="not reached"),
}
"""A rule's result in the trace."""

SCOPE_OUTCOMES: dict[str, Text] = {
    "covered": Text(zh="适用", en="covered"),
    "covered_by_reference": Text(zh="参照适用", en="covered by reference (参照执行)"),
    "not_covered": Text(zh="不适用", en="not covered"),
    "undetermined": Text(zh="尚不能确定", en="undetermined"),
}
"""Whether the document covers the subject (``ScopeOutcome.outcome``)."""

EXEMPTION_OUTCOMES: dict[str, Text] = {
    "granted": Text(zh="应当免责", en="exempt (shall)"),
    "eligible": Text(zh="可以免责（由决定机关裁量）", en="eligible for exemption (may: the decision-maker decides)"),
    "barred": Text(zh="不予免责（被排除）", en="barred: exemption defeated"),
    "none": Text(zh="无", en="none"),
    "not_provided": Text(zh="本文件未规定", en="not provided by this document"),
    "undetermined": Text(zh="尚不能确定", en="undetermined"),
}
"""Whether an exemption (容错免责) follows (``ExemptionOutcome.outcome``)."""

ACCOUNTABLE: dict[bool | None, Text] = {
    True: Text(zh="应予问责", en="accountable"),
    False: Text(zh="不予问责", en="not accountable"),
    None: Text(zh="尚不能确定", en="undetermined"),
}
"""Whether accountability follows (``SanctionRange.accountable``): true, false, or unknown."""

STAGES: dict[str, Text] = {
    "scope": Text(zh="适用范围", en="scope"),
    "circumstance": Text(zh="问责情形", en="circumstance"),
    "bar": Text(zh="不予免责情形", en="bar"),
    "exemption": Text(zh="容错免责", en="exemption"),
    "aggravating": Text(zh="从重情节", en="aggravating"),
    "mitigating": Text(zh="从轻、减轻情节", en="mitigating"),
    "sanction_band": Text(zh="问责方式", en="sanction band"),
    "consequence": Text(zh="处理后果", en="consequence"),
    "choice": Text(zh="所选处理的审查", en="choice"),
    "procedure": Text(zh="程序", en="procedure"),
}
"""The stage a rule belongs to."""

MODALITIES: dict[str, Text] = {
    "shall": Text(zh="应当", en="shall"),
    "always": Text(zh="一律", en="always"),
    "may": Text(zh="可以", en="may"),
    "as_warranted": Text(zh="视情", en="as warranted"),
}
"""How binding a rule is."""

FACTORS: dict[str, Text] = {
    "heavier": Text(zh="从重", en="heavier end of the range (从重)"),
    "lighter": Text(zh="从轻", en="lighter end of the range (从轻)"),
    "reduced": Text(zh="减轻", en="below the range (减轻)"),
    "reduced_or_lighter": Text(zh="减轻或从轻", en="below or at the lighter end (减轻或从轻)"),
}
"""What an aggravating or mitigating factor does to the sanction range."""

EMPHASES: dict[str, Text] = {
    "heavier": FACTORS["heavier"],
    "lighter": FACTORS["lighter"],
    "conflicting": Text(zh="从重与从轻情节并存", en="both aggravating and mitigating factors"),
}
"""Where in the sanction range the factors found point (``SanctionRange.emphasis``, other than none)."""

SECTIONS: dict[str, Text] = {
    "in_force": Text(zh="时间效力", en="In force"),
    "territory": Text(zh="地域效力", en="Territory"),
    "scope": Text(zh="适用范围", en="Scope"),
    "circumstances": Text(zh="问责情形", en="Triggering circumstances"),
    "exemption": Text(zh="容错免责", en="Exemption and tolerance of error"),
    "factors": Text(zh="从重、从轻、减轻情节", en="Aggravating and mitigating factors"),
    "sanctions": Text(zh="问责方式范围", en="Sanction range"),
    "consequences": Text(zh="处理后果与影响期", en="Consequences and influence periods"),
    "decision_space": Text(zh="决策空间", en="Decision space"),
}
"""The parts of a determination that a rendering and a comparison both head."""

OPERATORS: dict[str, Text] = {
    "is": Text(zh="为", en="is"),
    "in": Text(zh="属于", en="is one of"),
    "at_least": Text(zh="不低于", en="is at least"),
    "at_most": Text(zh="不高于", en="is at most"),
    "has": Text(zh="包含", en="includes"),
    "has_any": Text(zh="包含其一", en="includes any of"),
    "has_all": Text(zh="全部包含", en="includes all of"),
}
"""A condition's comparison operators, as a sentence reads them."""

TRUTH: dict[bool | None, Text] = {
    True: Text(zh="成立", en="true"),
    False: Text(zh="不成立", en="false"),
    None: Text(zh="未知", en="unknown"),
}
"""A condition's three-valued result."""

STANDINGS: dict[bool | None, Text] = {
    True: Text(zh="成立", en="stands"),
    False: Text(zh="不成立", en="does not stand"),
    None: Text(zh="未定", en="undetermined"),
}
"""What another rule's result counts as where a condition asks whether it applies."""

IN_FORCE_STATUS: dict[str, Text] = {
    "in_force": Text(zh="已施行", en="in force"),
    "not_yet_in_force": Text(zh="尚未施行", en="not yet in force"),
    "cannot_tell": Text(zh="无法判断", en="cannot tell"),
}
"""Whether the document was in force on a date of the case (``InForce.status``)."""

IN_FORCE: dict[str, Text] = {
    "not_stated": Text(zh="规则集未载明本文件的施行日期，无法判断", en="the rule set does not say when the document took effect"),
    "date_unknown": Text(zh="原文未载施行所依据的日期，施行日期无从确定",
                         en="the text gives no date for its commencement, so the day cannot be fixed"),
    "after_conduct": Text(zh="案件未记载决定日期；决定不早于行为发生日期，行为发生时本文件已施行，作出决定时亦然",
                          en="the case does not give the decision date, but a decision never precedes the conduct, and the "
                          "document was in force at the conduct date"),
    "outside.not_in_force_at_conduct": Text(zh="行为发生时本文件尚未施行", en="the document was not yet in force at the conduct date"),
    "outside.not_in_force_at_decision": Text(zh="作出决定时本文件尚未施行", en="the document was not yet in force at the decision date"),
    "outside.outside_territory": Text(zh="任职地在本文件地域范围以外", en="the subject serves outside this document's territory"),
}
"""Why the force of a document at a date cannot be told, and each way a determination applies it outside its time or territory."""

TERRITORY_STATUS: dict[str, Text] = {
    "within": Text(zh="在本文件地域范围内", en="within this document's territory"),
    "outside": Text(zh="在本文件地域范围以外", en="outside this document's territory"),
    "not_recorded": Text(zh="未记载任职地", en="territory not recorded"),
    "cannot_tell": Text(zh="无法判断", en="cannot tell"),
    "not_stated": Text(zh="规则集未载明地域范围", en="no territory stated"),
}
"""Where the subject serves against the document's territory (``TerritoryCheck.status``)."""

TERRITORY: dict[str, Text] = {
    "within": Text(zh="任职地在本文件的地域范围内", en="the subject serves within the territory the document binds"),
    "outside": Text(zh="任职地在本文件的地域范围以外，本文件对其没有约束力", en="the subject serves outside this document's territory, "
                    "which the document does not bind"),
    "not_recorded": Text(zh="案件未记载任职地（place.division），地域效力无法判断", en="territory not recorded: the case does not say "
                         "where the subject serves (place.division)"),
    "cannot_tell": Text(zh="记载的任职地比本文件的地域范围宽，无法判断是否在其范围内", en="the place recorded is broader than the "
                        "document's territory, so whether the subject serves within it cannot be told"),
    "zone_not_recorded": Text(zh="任职地所在市已记载，但未记载是否在本文件所及的开发区（place.zone）内，无法判断",
                              en="the city is recorded but not whether the subject serves in the development zone the document "
                              "binds (place.zone), so it cannot be told"),
    "not_stated": Text(zh="规则集未载明本文件的地域范围", en="the rule set does not say which territory the document binds"),
}
"""Why the subject is, is not, or cannot be placed within a document's territory (``TerritoryCheck.reason``)."""

WORDS: dict[str, Text] = {
    "none": Text(zh="无", en="none"),
    "facts": Text(zh="依据事实", en="facts"),
    "defeats": Text(zh="排除", en="defeats"),
    "defeated_by": Text(zh="被以下规则排除", en="defeated by"),
    "issued_unknown": Text(zh="印发日期不详", en="issue date unknown"),
}
"""Single words and phrases several renderings use."""


def cite(c: Citation) -> str:
    """A citation in full: where it points (``where``) and the words it quotes; draft wording marked as proposed (【拟】)."""
    return f"{where(c)}：“{c.quote}”"


def where(c: Citation, *, part: bool = True) -> str:
    """Where a citation points, in canonical form: ``[document] part address``, e.g. ``第十七条（一）`` or
    ``[yangjiang] 二（二）2（2）`` — the same however the rule file wrote its brackets (``Address``).

    A citation of another rule set's text (an overlay adopting its article) names that rule set
    in brackets, since the article numbers are that text's, not the citing rule set's. Draft wording
    (a proposal's own words) is marked 【拟】, in every language: it is the mark the drafter's text carries.

    Args:
        c: the citation.
        part: name the part, for a file holding several measures (a trace line leaves it out).
    """
    shown = " ".join(x for x in (c.document and f"[{c.document}]", c.part if part else None, c.canonical.text) if x)
    return DRAFT_MARK + shown if c.draft else shown


def show_value(path: str, value: Any, lang: str) -> str:
    """A fact's value for people: zh labels of codes in Chinese, codes in English."""
    if value is None:
        return TRUTH[None].get(lang)
    if isinstance(value, bool):
        return ("是" if value else "否") if lang == "zh" else ("true" if value else "false")
    spec = FACTS[path]
    if isinstance(value, list):
        if not value:
            return WORDS["none"].get(lang)
        return ("；" if lang == "zh" else ", ").join(show_value(path, v, lang) for v in value)
    if isinstance(value, str) and spec.values is not None and lang == "zh":
        member = next((m for m in spec.values if m.value == value), None)
        return member.label("zh") if member is not None else value
    return str(value)
