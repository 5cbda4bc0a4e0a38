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
from guanzhi_rules._source import address_labels, parse

from .strategies import case_data


@pytest.mark.parametrize("key", g.BUNDLED)
def test_bundled_rule_set_passes_with_full_coverage(key: str) -> None:
    """Every bundled rule set has no finding and covers 100% of its enumerated items."""
    report = check(key)
    assert [str(f) for f in report.findings] == []
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
    assert any(k == "citation" and "no 第七条(九)" in m for k, _, m in kinds(path))


def test_item_neither_cited_nor_declaratory_is_reported(tmp_path: Path) -> None:
    """Moving the only citation of 第七条（五） elsewhere leaves that item uncovered."""
    path = edited(tmp_path, "benxi", "{article: 第七条, item: （五）, quote: 因组织领导能力弱、业务素质和决策水平低导致不作为的}",
                  "{article: 第五条, quote: 按照干部管理权限确定问责决定机关及建议机关}")
    report = check(path)
    assert [f.message for f in report.findings if f.kind == "coverage"] == [
        "第七条(五) (line 65) is neither cited by a rule nor listed as declaratory"]
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
    """`guanzhi check` exits 0 on the bundled rule sets and prints their coverage; 1 on any finding."""
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 0, result.output
    assert result.output.count("coverage of enumerated items: 100.0%") == len(g.BUNDLED)
    bad = edited(tmp_path, "benxi", "quote: 受到降职处理的，两年内不得提拔", "quote: 受到降职处理的，三年内不得提拔")
    result = CliRunner().invoke(main, ["check", str(bad)])
    assert result.exit_code == 1
    assert "does not occur" in result.output


def test_check_all_defaults_to_every_bundled_rule_set() -> None:
    """``check_all()`` without arguments checks every bundled rule set, in the bundled order."""
    assert [r.target for r in check_all()] == list(g.BUNDLED)


# -- source structure --------------------------------------------------------------------------

@pytest.mark.parametrize(("article", "item", "labels"), [
    ("第六条", "（三）", ("第六条", "(三)")),
    ("二(二)1", "(3)", ("二", "(二)", "1", "(3)")),
    ("三(二)", "1.", ("三", "(二)", "1")),
    ("五", "1．", ("五", "1")),
    ("第十八条", "(七)", ("第十八条", "(七)")),
])
def test_address_labels(article: str, item: str, labels: tuple[str, ...]) -> None:
    """An article and item address splits into the labels of its levels, whatever the numbering style."""
    assert address_labels(article, item) == labels


def test_address_labels_reject_prose() -> None:
    """An address that is not a Chinese article or item label is refused with 'cannot read'."""
    with pytest.raises(ValueError, match="cannot read"):
        address_labels("Article 6")


def test_parse_nests_headings_and_drops_page_marks() -> None:
    """Parsing a source text nests its numbered headings and drops the newspaper's page-continuation marks."""
    text = "前言\n一、总则\n1.甲项\n(1)子项 (下转第九版)\n(上接第一版) 2.乙项\n二、附则\n（一）丙\n"
    source = parse(text)
    assert [leaf.display() for leaf in source.leaves()] == ["一1(1)", "一2", "二(一)"]
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
