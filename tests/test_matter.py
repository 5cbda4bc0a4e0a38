"""Matters with several subjects (一案双查): parsing, one determination per subject, and how liabilities relate."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

import guanzhi_rules as g
from tests.support import LEADING_CADRE, merge, run

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "matters" / "petition_backlog.yaml"

SHARED: dict[str, Any] = {"conduct": {"within_responsibility": True}, "harm": {"influence": "serious"}}
"""What two subjects of one matter share: the matter is within their charge and caused serious influence."""


def _subject(name: str, responsibility: str | None, acts: list[str]) -> dict[str, Any]:
    subject = {**LEADING_CADRE["subject"], **({"responsibility": responsibility} if responsibility else {})}
    return {"name": name, "facts": {"subject": subject, "conduct": {"acts": acts}}}


def _matter(shared: dict[str, Any] = SHARED, *subjects: dict[str, Any]) -> dict[str, Any]:
    return {"id": "m1", "shared": shared, "subjects": list(subjects) or [
        _subject("direct", "direct", ["defying_orders"]), _subject("leader", "principal_leadership", ["defying_orders"])]}


# -- parsing ------------------------------------------------------------------------------------------


def test_each_subject_gets_the_shared_facts_and_their_own() -> None:
    """A subject's case is the shared sections merged with their own, with an id naming matter and subject."""
    matter = g.parse_matter(_matter())
    first = matter.subjects[0].case
    assert first.id == "m1/direct"
    assert first.harm.influence == "serious" and first.conduct.within_responsibility is True
    assert first.subject.responsibility == "direct"
    assert matter.subjects[1].case.subject.responsibility == "principal_leadership"


def test_a_fact_given_for_the_matter_and_for_a_subject_is_refused() -> None:
    """A fact stated twice is ambiguous: refused at the subject's path, naming the shared one."""
    clash = _subject("a", "direct", [])
    clash["facts"]["harm"] = {"influence": "adverse"}
    with pytest.raises(g.CaseError) as info:
        g.parse_matter(_matter(SHARED, clash))
    assert info.value.paths == ("subjects.0.facts.harm.influence",)
    assert "shared.harm.influence" in str(info.value)


def test_errors_are_named_where_they_were_written() -> None:
    """A bad shared value is reported under shared, a bad own value under the subject's facts."""
    bad = _subject("a", "chief", [])
    with pytest.raises(g.CaseError) as info:
        g.parse_matter(_matter({"harm": {"influence": "huge"}}, bad))
    assert set(info.value.paths) == {"shared.harm.influence", "subjects.0.facts.subject.responsibility"}


def test_subject_names_are_unique_and_a_matter_has_subjects() -> None:
    """Two subjects of one name, or none at all, are refused."""
    with pytest.raises(g.CaseError, match="unique"):
        g.parse_matter(_matter(SHARED, _subject("a", None, []), _subject("a", None, [])))
    with pytest.raises(g.CaseError):
        g.parse_matter({"shared": {}, "subjects": []})


def test_case_ids_come_from_the_matter() -> None:
    """An id inside the shared or a subject's facts is refused: each case id is the matter's id and the subject's name."""
    with pytest.raises(g.CaseError) as info:
        g.parse_matter(_matter({**SHARED, "id": "x"}))
    assert info.value.paths == ("shared.id",)


def test_unknown_matter_keys_are_refused() -> None:
    """A misspelt top-level key of a matter is an error, not silently ignored."""
    with pytest.raises(g.CaseError):
        g.parse_matter({**_matter(), "subject": []})


# -- evaluation ---------------------------------------------------------------------------------------


def test_one_determination_per_subject_in_the_matters_order() -> None:
    """Each subject is evaluated on their own case, in the order the matter lists them."""
    result = g.evaluate_matter(_matter(), g.load("yangjiang"))
    assert [s.name for s in result.subjects] == ["direct", "leader"]
    assert [s.determination.case_id for s in result.subjects] == ["m1/direct", "m1/leader"]
    assert [s.responsibility for s in result.subjects] == ["direct", "principal_leadership"]


def test_matter_evaluation_is_deterministic() -> None:
    """The same matter gives byte-identical JSON and the same fingerprint every time."""
    ruleset = g.load("yangjiang")
    first, second = g.evaluate_matter(_matter(), ruleset), g.evaluate_matter(g.parse_matter(_matter()), ruleset)
    assert first.to_json() == second.to_json()
    assert first.matter_sha256 == g.parse_matter(_matter()).sha256()


def test_yangjiang_relates_direct_and_leadership_responsibility() -> None:
    """四(六) 一案双查: for serious inaction each subject's responsibility is pursued, each by its own rule."""
    result = g.evaluate_matter(_matter(), g.load("yangjiang"))
    assert [(r.subject, r.finding.rule_id, r.result) for r in result.relations] == [
        ("direct", "4.6.direct_responsibility", "applies"), ("leader", "4.6.leadership_responsibility", "applies")]
    assert "一案双查" in result.relations[1].text.zh  # type: ignore[union-attr]
    assert result.relations_statement.en.startswith("This document provides")


def test_not_serious_matter_meets_no_relation_rule() -> None:
    """Adverse (not serious) influence and no grave gravity: 一案双查 is not met, and the result says so."""
    shared = merge(SHARED, {"harm": {"influence": "adverse", "consequences": "adverse", "loss": "some"},
                            "conduct": {"gravity": "serious"}})
    result = g.evaluate_matter(_matter(shared), g.load("yangjiang"))
    assert result.relations == ()
    assert "do not meet its conditions" in result.relations_statement.en


def test_responsibility_not_recorded_leaves_the_relation_open() -> None:
    """Without the subject's responsibility recorded, each 一案双查 rule is open for them and the result says why."""
    result = g.evaluate_matter(_matter(SHARED, _subject("a", None, ["defying_orders"])), g.load("yangjiang"))
    assert [r.result for r in result.relations] == ["undetermined"] * 3
    assert "facts not yet known" in result.relations_statement.en
    assert "尚不能确定" in result.to_text("zh")


@pytest.mark.parametrize("key", ["jiangsu", "benxi", "yueyang", "zhejiang"])
def test_documents_without_a_relation_rule_say_they_are_silent(key: str) -> None:
    """A document that never reads a subject's responsibility says it does not relate their liabilities."""
    result = g.evaluate_matter(_matter(), g.load(key))
    assert result.relations == ()
    assert "does not say how the liabilities" in result.relations_statement.en
    assert len(result.subjects) == 2


# -- the bundled example and the CLI --------------------------------------------------------------------


def test_example_matter_expected_outcome_under_yangjiang() -> None:
    """The petition backlog: all three accountable, the chief's direct and both leaders' leadership responsibility pursued."""
    result = g.evaluate_matter(g.read_matter(EXAMPLE), g.load("yangjiang"))
    assert [(s.name, s.responsibility, s.determination.sanctions.accountable) for s in result.subjects] == [
        ("王某", "direct", True), ("李某", "important_leadership", True), ("赵某", "principal_leadership", True)]
    assert [(r.subject, r.finding.rule_id) for r in result.relations] == [
        ("王某", "4.6.direct_responsibility"), ("李某", "4.6.leadership_responsibility"), ("赵某", "4.6.leadership_responsibility")]
    director = result.subject("赵某").determination
    assert director.choice is None  # 立案审查 is an interim measure, not the handling chosen
    assert any("立案审查" in t.zh for t in director.not_decided)


@pytest.mark.parametrize("key", list(g.BUNDLED))
def test_example_matter_evaluates_under_every_rule_set(key: str) -> None:
    """The example matter evaluates under every bundled rule set, one determination per subject."""
    result = g.evaluate_matter(g.read_matter(EXAMPLE), g.load(key))
    assert len(result.subjects) == 3
    assert result.to_text("zh") and result.to_text("en")


def test_cli_evaluates_a_matter_file() -> None:
    """``guanzhi evaluate`` recognises a matter file and prints one determination per subject, as text or JSON."""
    code, out, _ = run("evaluate", str(EXAMPLE), "-j", "yangjiang", "--format", "json")
    assert code == 0
    (payload,) = json.loads(out)  # a list, one entry per rule set asked for
    assert [s["name"] for s in payload["subjects"]] == ["王某", "李某", "赵某"]
    code, out, _ = run("evaluate", str(EXAMPLE), "-j", "yangjiang", "--lang", "zh")
    assert code == 0 and "多名责任人的责任关系" in out and "一案双查" in out


def test_cli_reports_a_bad_matter_file(tmp_path: Path) -> None:
    """A matter with a clash is bad input (exit 2) naming the path of the clash."""
    path = tmp_path / "m.yaml"
    clash = _subject("a", "direct", [])
    clash["facts"]["harm"] = {"influence": "adverse"}
    path.write_text(json.dumps(_matter(SHARED, clash), ensure_ascii=False), encoding="utf-8")
    code, _, err = run("evaluate", str(path), "-j", "yangjiang")
    assert code == 2 and "subjects.0.facts.harm.influence" in err


def test_matter_schema_accepts_the_example_and_refuses_an_unknown_section() -> None:
    """``guanzhi schema matter`` describes matter files: the example validates, a misspelt section does not."""
    jsonschema = pytest.importorskip("jsonschema")
    code, out, _ = run("schema", "matter")
    assert code == 0
    schema = json.loads(out)
    data = json.loads(json.dumps(yaml.safe_load(EXAMPLE.read_text(encoding="utf-8")), default=str))
    jsonschema.validate(data, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**data, "shared": {"harms": {}}}, schema)
