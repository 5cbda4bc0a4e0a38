"""``guanzhi check``: each kind of finding is raised on a file that has the defect, and not otherwise."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given

import guanzhi_rules as g
from guanzhi_rules._check import check, check_all
from guanzhi_rules._cli import main
from guanzhi_rules._facts import FACTS, flatten
from guanzhi_rules._loader import rules_dir
from guanzhi_rules._satisfy import witness
from guanzhi_rules._source import parse

from .strategies import case_data
from .support import MINIMAL_RULE_FILE, write


@pytest.mark.parametrize("key", g.BUNDLED)
def test_bundled_rule_set_passes_with_full_coverage(key: str) -> None:
    """Every bundled rule set has no finding, no warning, and covers 100% of its enumerated items."""
    report = check(key)
    assert [str(f) for f in report.findings] == []
    assert [str(f) for f in report.warnings] == []
    assert report.percent == 100.0
    assert all(row.uncovered == 0 for row in report.coverage)
    assert sum(row.items for row in report.coverage) > 0


def edited(tmp_path: Path, key: str, old: str, new: str) -> Path:
    """A copy of a bundled rule file (with its sources) where ``old`` is replaced by ``new`` once."""
    shutil.copytree(rules_dir() / "sources", tmp_path / "sources")
    text = (rules_dir() / f"{key}.yaml").read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    path = tmp_path / f"{key}.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def kinds(path: Path) -> list[tuple[str, str | None, str]]:
    return [(f.kind, f.rule_id, f.message) for f in check(path).findings]


def test_quote_under_the_wrong_article_is_reported(tmp_path: Path) -> None:
    """A verbatim quote cited to the wrong article names the article where it actually occurs."""
    path = edited(tmp_path, "benxi", "citation: {article: 第八条, quote:", "citation: {article: 第九条, quote:")
    (finding,) = [f for f in kinds(path) if f[0] == "citation"]
    assert finding[1] == "art8"
    assert "occurs under 第八条, not under 第九条" in finding[2]


def test_altered_quote_is_reported(tmp_path: Path) -> None:
    """A quote changed by one character no longer occurs in the source."""
    path = edited(tmp_path, "benxi", "quote: 受到降职处理的，两年内不得提拔", "quote: 受到降职处理的，三年内不得提拔")
    assert [(k, r) for k, r, m in kinds(path) if "does not occur" in m] == [("citation", "art13.demotion")]


def test_unknown_item_is_reported(tmp_path: Path) -> None:
    """An item number the article does not have is reported as an address error."""
    path = edited(tmp_path, "benxi", "item: （五）, quote: 因组织领导能力弱", "item: （九）, quote: 因组织领导能力弱")
    assert any(k == "citation" and "no 第七条（九）" in m for k, _, m in kinds(path))


def test_item_neither_cited_nor_declaratory_is_reported(tmp_path: Path) -> None:
    """Moving the only citation of 第七条（五） elsewhere leaves that item uncovered."""
    path = edited(tmp_path, "benxi", "{article: 第七条, item: （五）, quote: 因组织领导能力弱、业务素质和决策水平低导致不作为的}",
                  "{article: 第五条, quote: 按照干部管理权限确定问责决定机关及建议机关}")
    report = check(path)
    assert [f.message for f in report.findings if f.kind == "coverage"] == [
        "第七条（五） (line 65) is neither cited by a rule nor listed as declaratory"]
    assert report.percent < 100.0


def test_declaratory_item_that_a_rule_cites_is_reported(tmp_path: Path) -> None:
    """An item may not be both encoded and declared declaratory."""
    path = edited(tmp_path, "zhejiang", "  - article: 二\n    reason:", "  - article: 五\n    reason:")
    messages = [m for k, _, m in kinds(path) if k == "coverage"]
    assert "五1 is listed as declaratory but a rule quotes it" in messages
    assert any(m.startswith("二1 ") for m in messages)  # and 二 is no longer accounted for


def test_unsatisfiable_condition_is_a_dead_rule(tmp_path: Path) -> None:
    """A rule requiring a fact to be both true and false can never apply."""
    path = edited(tmp_path, "benxi", "        - {fact: conduct.gravity, is: minor}\n",
                  "        - {fact: conduct.gravity, is: minor}\n        - {fact: conduct.gravity, at_least: serious}\n")
    assert ("dead_rule", "art8", "no case can satisfy its condition") in kinds(path)


def test_rule_always_defeated_is_a_dead_rule(tmp_path: Path) -> None:
    """A rule whose every case is also a case of a rule that defeats it is dead."""
    path = edited(tmp_path, "benxi", "        - {fact: conduct.gravity, is: minor}\n", "        - {fact: conduct.gravity, is: serious}\n")
    assert any(k == "dead_rule" and r == "art8" and "defeated (by art9)" in m for k, r, m in kinds(path))


def test_bands_applying_together_without_a_stated_relation_conflict(tmp_path: Path) -> None:
    """Removing the declared combination of two Zhejiang bands turns their overlap into a conflict."""
    path = edited(tmp_path, "zhejiang", "    combines_with: [sec5.3]\n", "")
    (conflict,) = [m for k, _, m in kinds(path) if k == "conflict"]
    assert conflict.startswith("sec5.1.admonition and sec5.3 can apply to one case and they decide differently (e.g. ")
    assert "conduct.gravity = serious" in conflict


def test_scope_rules_with_different_outcomes_conflict(tmp_path: Path) -> None:
    """Two scope rules of equal priority that one subject meets, one covering and one not, conflict."""
    path = edited(tmp_path, "benxi", "\nrules:\n", "\nrules:\n")
    text = path.read_text(encoding="utf-8")
    extra = """
  - id: test.nobody
    stage: scope
    modality: shall
    label: {zh: 测试, en: test}
    when: {fact: subject.is_leading_cadre, is: true}
    then: [{scope: not_covered}]
    citation: {article: 第二条, quote: 本办法适用于全区各级党政组织及其领导干部。}
"""
    path.write_text(text.replace("\nrules:\n", "\nrules:\n" + extra, 1), encoding="utf-8")
    assert any(k == "conflict" and "test.nobody" in m and "decide differently" in m for k, _, m in kinds(path))


def test_schema_error_is_a_finding(tmp_path: Path) -> None:
    """A file the loader rejects is reported, not raised."""
    path = edited(tmp_path, "benxi", "stage: consequence", "stage: consequense")
    ((kind, _, message),) = kinds(path)
    assert kind == "schema"
    assert "consequense" in message


def test_cli_check_exit_codes(tmp_path: Path) -> None:
    """`guanzhi check` exits 0 on clean rule sets and prints their coverage; 1 on any finding; --strict also on warnings."""
    result = CliRunner().invoke(main, ["check", "--strict", *g.BUNDLED])
    assert result.exit_code == 0, result.output
    assert result.output.count("coverage of enumerated items: 100.0%") == len(g.BUNDLED)
    bad = edited(tmp_path, "benxi", "quote: 受到降职处理的，两年内不得提拔", "quote: 受到降职处理的，三年内不得提拔")
    result = CliRunner().invoke(main, ["check", str(bad)])
    assert result.exit_code == 1
    assert "does not occur" in result.output
    warned = edited(tmp_path / "warned", "benxi", "stage: consequence", "stage: consequence")
    with (warned.parent / "sources" / "benxi.txt").open("a", encoding="utf-8") as source:
        source.write("\n第九十九条  本办法未尽事宜，应当按照有关规定执行。\n")
    result = CliRunner().invoke(main, ["check", str(warned)])
    assert result.exit_code == 0, result.output
    assert "warning: operative: 第九十九条" in result.output
    assert CliRunner().invoke(main, ["check", "--strict", str(warned)]).exit_code == 1


def test_check_all_defaults_to_every_bundled_rule_set() -> None:
    """``check_all()`` without arguments checks every bundled rule set, in the bundled order."""
    assert [r.target for r in check_all()] == list(g.BUNDLED)


# -- source structure --------------------------------------------------------------------------

def test_parse_nests_headings_and_drops_page_marks() -> None:
    """Parsing a source text nests its numbered headings and drops the newspaper's page-continuation marks."""
    text = "前言\n一、总则\n1.甲项\n(1)子项 (下转第九版)\n(上接第一版) 2.乙项\n二、附则\n（一）丙\n"
    source = parse(text)
    assert [leaf.display() for leaf in source.leaves()] == ["一1（1）", "一2", "二（一）"]
    assert "版" not in source.text
    (node,) = source.find(("一", "2"), None, None)
    assert source.text_of(node) == "2.乙项"


# -- satisfiability ----------------------------------------------------------------------------

CONDITIONS = [(r.id, r.condition) for rs in g.load_all().values() for r in rs if r.condition is not None and not r.late]
"""Every bundled rule's condition, except those reading other rules' standing (``applies``)."""


def _facts_from(assignment: dict[Any, Any]) -> dict[str, Any]:
    facts: dict[str, Any] = {p: frozenset() if s.kind == "set" else None for p, s in FACTS.items()}
    for var, value in assignment.items():
        if isinstance(var, tuple):
            if value:
                facts[var[0]] = facts[var[0]] | {var[1]}
        else:
            facts[var] = value
    return facts


@pytest.mark.parametrize(("rule_id", "condition"), CONDITIONS)
def test_witness_satisfies_the_condition(rule_id: str, condition: Any) -> None:
    """The witness found for each bundled rule makes the engine's own test true, with every other fact unknown."""
    found = witness(condition)
    assert found is not None, rule_id
    assert condition.test(_facts_from(found)) is True


@given(data=case_data())
def test_a_satisfiable_condition_always_has_a_witness(data: dict[str, Any]) -> None:
    """Completeness: whenever a generated case makes a rule's condition true, the search finds a witness."""
    facts = flatten(g.parse_case(data))
    for rule_id, condition in CONDITIONS:
        if condition.test(facts) is True:
            assert witness(condition) is not None, rule_id


# -- rules no case can reach, and operative text (small synthetic rule files) -------------------

EXEMPTION = """
  - id: exemption
    stage: exemption
    modality: {modality}
    label: {{zh: 免责, en: exemption}}
    when: {{fact: context.reform_or_pilot, is: true}}
    then: [{{exempt: true}}]
    citation: {{article: 第六条, item: （三）, quote: 在防范化解重大风险中不重视}}
"""

ON_EXEMPTION = """
  - id: cleared
    stage: consequence
    modality: shall
    attaches: exempted
    label: {{zh: 不影响评优, en: no effect on awards}}
    when: {when}
    then: [{{statement: {{zh: 不影响评优, en: no effect on awards}}}}]
    citation: {{article: 第六条, item: （四）, quote: 在乡村振兴工作中作风不扎实}}
"""


def synthetic(tmp_path: Path, *rules: str, declaratory: str = "") -> Path:
    """MINIMAL_RULE_FILE (Benxi's text) with ``rules`` added and an optional ``declaratory:`` section."""
    return write(tmp_path, MINIMAL_RULE_FILE + "".join(rules) + declaratory)


def dead(path: Path) -> dict[str, str]:
    return {f.rule_id or "": f.message for f in check(path).findings if f.kind == "dead_rule"}


def uncovered(path: Path, item: str) -> list[str]:
    return [f.message for f in check(path).findings if f.kind == "coverage" and f.message.startswith(item + " ")]


def test_consequence_on_exemption_is_unreachable_when_every_exemption_is_may(tmp_path: Path) -> None:
    """attaches: exempted with only a *may* exemption never attaches (never granted), and its item counts as uncovered."""
    path = synthetic(tmp_path, EXEMPTION.format(modality="may"), ON_EXEMPTION.format(when="subject.is_leading_cadre"))
    assert "no exemption of this rule set is mandatory" in dead(path)["cleared"]
    assert uncovered(path, "第六条（四）") == ["第六条（四） (line 39) is cited only by rules no case can reach (cleared)"]


def test_consequence_on_exemption_is_reachable_with_a_mandatory_exemption(tmp_path: Path) -> None:
    """The same consequence with a *shall* exemption can attach: no finding, and its item is covered."""
    path = synthetic(tmp_path, EXEMPTION.format(modality="shall"), ON_EXEMPTION.format(when="subject.is_leading_cadre"))
    assert "cleared" not in dead(path)
    assert uncovered(path, "第六条（四）") == []


def test_consequence_on_exemption_is_unreachable_where_no_mandatory_exemption_fits(tmp_path: Path) -> None:
    """A shall exemption exists, but the consequence's own condition excludes every case it exempts."""
    path = synthetic(tmp_path, EXEMPTION.format(modality="shall"),
                     ON_EXEMPTION.format(when="{fact: context.reform_or_pilot, is: false}"))
    assert "no mandatory exemption can be granted" in dead(path)["cleared"]


def test_rule_excluding_every_covered_subject_is_unreachable(tmp_path: Path) -> None:
    """Scope covers leading cadres only; a circumstance for non-leading cadres is never reached, one for leading cadres is."""
    extra = """
  - id: others
    stage: circumstance
    modality: shall
    label: {zh: 非领导干部, en: non-leading}
    when: {all: [{fact: subject.is_leading_cadre, is: false}, {fact: conduct.acts, has: slacking}]}
    then: [{category: {zh: 不作为, en: inaction}}]
    citation: {article: 第六条, item: （五）, quote: 在安全生产
"""
    text = (rules_dir() / "sources" / "benxi.txt").read_text(encoding="utf-8")
    quote = next(line.strip() for line in text.splitlines() if line.strip().startswith("（五）"))[3:12]
    path = synthetic(tmp_path, extra.replace("quote: 在安全生产", f"quote: {quote}}}"))
    assert dead(path) == {"others": "its condition excludes every subject the scope rules cover, so no case it fits reaches it"}
    reachable = synthetic(tmp_path, extra.replace("quote: 在安全生产", f"quote: {quote}}}").replace("is: false}", "is: true}"))
    assert dead(reachable) == {}


def test_unsatisfiable_rule_is_unreachable_in_a_synthetic_file(tmp_path: Path) -> None:
    """A condition no case meets is reported as such (not as a scope or gate problem)."""
    path = synthetic(tmp_path, ON_EXEMPTION.format(
        when="{all: [subject.is_leading_cadre, {fact: subject.is_leading_cadre, is: false}]}"))
    assert dead(path)["cleared"] == "no case can satisfy its condition"


def operative_fixture(tmp_path: Path, *, declare: bool) -> Path:
    """A synthetic rule file on Benxi's text that leaves art. 10 (应当给予 …) unencoded, declared or not."""
    declaratory = "declaratory:\n  - {article: 第十条, reason: {zh: 测试, en: test}}\n" if declare else ""
    return synthetic(tmp_path, declaratory=declaratory)


def test_operative_article_without_items_is_a_warning(tmp_path: Path) -> None:
    """Benxi art. 10 says 应当给予 …; a file that neither quotes nor declares it is warned, and the report stays ok."""
    report = check(operative_fixture(tmp_path, declare=False))
    (warning,) = [w for w in report.warnings if w.message.startswith("第十条 ")]
    assert warning.kind == "operative" and "(应当、给予" in warning.message
    assert not report.passes(strict=True)
    assert not [w for w in report.warnings if w.message.startswith("第八条 ")]  # the ladder quotes art. 8


def test_declared_or_quoted_operative_article_is_not_warned(tmp_path: Path) -> None:
    """Declaring art. 10 declaratory, or quoting it in a rule, silences the warning."""
    declared = check(operative_fixture(tmp_path, declare=True))
    assert not [w for w in declared.warnings if w.message.startswith("第十条 ")]
    quoted = synthetic(tmp_path, """
  - id: discipline
    stage: consequence
    modality: shall
    attaches: accountable
    label: {zh: 政务处分, en: discipline}
    then: [{referral: public_office_discipline}]
    citation: {article: 第十条, quote: 涉嫌职务犯罪的，要依法移送司法机关处理。}
""")
    assert not [w for w in check(quoted).warnings if w.message.startswith("第十条 ")]


def test_article_without_operative_words_is_not_warned(tmp_path: Path) -> None:
    """Benxi art. 1 states a purpose (为增强…): no operative word, no warning, though nothing cites it."""
    report = check(operative_fixture(tmp_path, declare=False))
    assert not [w for w in report.warnings if w.message.startswith("第一条 ")]


def _han(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text)


@pytest.mark.parametrize(("key", "old", "new", "words"), [
    ("benxi", "quote: 受到降职处理的，两年内不得提拔", "quote: 受到降职处理的，三年内不得提拔", "找不到这段引文"),
    ("benxi", "citation: {article: 第八条, quote:", "citation: {article: 第九条, quote:", "引文出现在第八条，而不在第九条"),
    ("benxi", "        - {fact: conduct.gravity, is: minor}\n",
     "        - {fact: conduct.gravity, is: minor}\n        - {fact: conduct.gravity, at_least: serious}\n", "没有案件能满足它的条件"),
    ("zhejiang", "    combines_with: [sec5.3]\n", "", "可能适用于同一案件，且两者的决定不同"),
])
def test_check_speaks_chinese(tmp_path: Path, key: str, old: str, new: str, words: str) -> None:
    """``check --lang zh`` words its status, findings and coverage table in Chinese; the default stays English."""
    path = edited(tmp_path, key, old, new)
    zh = CliRunner().invoke(main, ["check", "--lang", "zh", str(path)])
    en = CliRunner().invoke(main, ["check", str(path)])
    assert zh.exit_code == en.exit_code == 1
    assert words in zh.output and "项问题" in zh.output and "列举项覆盖率" in zh.output
    assert "finding(s)" in en.output and "列举项覆盖率" not in en.output
    for line in zh.output.splitlines()[1:]:
        kind = line.strip().split("[")[0].split("：")[0]
        assert not kind or _han(kind) or kind[0].isdigit() or kind.startswith("第"), line


def test_check_lists_draft_wording_in_either_language() -> None:
    """An overlay citing draft wording passes check, which lists the rule as draft wording not compared with the text."""
    draft = str(Path(__file__).parents[1] / "docs" / "examples" / "benxi_pilot_exemption_draft.yaml")
    zh, en = (CliRunner().invoke(main, ["check", "--lang", lang, draft]) for lang in ("zh", "en"))
    assert zh.exit_code == en.exit_code == 0
    assert "拟新增文字（不与正式文本比对）：exempt.reform_pilot" in zh.output
    assert "draft wording (not compared with the official text): exempt.reform_pilot" in en.output
