"""The compiler: a definition that does not compile is named in the error, structurally, not only in its text."""

from pathlib import Path

import pytest

import guanzhi_rules as g
from guanzhi_rules._rulefile import Cited

RULE_FILE = """\
document: {key: sample, title: 示例, issuer: 示例机关, issued: unknown, source: benxi.txt}
ladder:
  citations: [{article: 第八条, quote: 批评教育}]
  steps: [{measure: criticism_education, rung: 1}]
define:
  cadre: subject.is_leading_cadre
  serious: {fact: conduct.gravity, at_least: serious}
rules:
  - id: scope
    stage: scope
    modality: shall
    label: {zh: 范围, en: scope}
    when: {use: cadre}
    then: [{scope: covered}]
    citation: {article: 第二条, quote: 本办法适用于}
"""


def load_error(tmp_path: Path, text: str) -> g.RuleSetError:
    path = tmp_path / "sample.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(g.RuleSetError) as info:
        g.load(path)
    return info.value


def test_a_definition_that_does_not_compile_is_named_in_the_error(tmp_path: Path) -> None:
    """A bad named condition raises a RuleSetError whose ``definition`` names it, located at its value, with no rule id."""
    exc = load_error(tmp_path, RULE_FILE.replace("at_least: serious", "at_least: dire"))
    assert exc.definition == "serious"
    assert exc.rule_id is None
    assert exc.location is not None and (exc.location.line, exc.location.column) == (7, 46)
    assert exc.message.startswith("definition 'serious': 'dire' is not a value of conduct.gravity")


def test_a_rule_error_names_no_definition(tmp_path: Path) -> None:
    """A rule that uses an unknown definition is the rule's error: ``rule_id`` is set and ``definition`` is not."""
    exc = load_error(tmp_path, RULE_FILE.replace("{use: cadre}", "{use: cadr}"))
    assert exc.rule_id == "scope"
    assert exc.definition is None
    assert "unknown definition 'cadr'; did you mean 'cadre'?" in str(exc)


def test_the_definition_does_not_change_the_message(tmp_path: Path) -> None:
    """``str(exc)`` reads as before: file, line and column, then the message, with no extra prefix for the definition."""
    path = tmp_path / "sample.yaml"
    exc = load_error(tmp_path, RULE_FILE.replace("subject.is_leading_cadre", "subject.is_leading_cadr"))
    assert str(exc) == (f"{path.resolve()}:6:10: definition 'cadre': unknown fact 'subject.is_leading_cadr'; "
                        "did you mean 'subject.is_leading_cadre'?")


def test_a_rules_citation_with_its_address_is_made_once_and_stays() -> None:
    """``CompiledRule.cited`` (made on first use) is the rule's citation with its canonical address, the same object each time."""
    rule = g.load("benxi").rules[0]
    assert rule.cited is rule.cited
    assert rule.cited == Cited.of(rule.rule.citation)
    assert rule.cited.address == rule.rule.citation.canonical
