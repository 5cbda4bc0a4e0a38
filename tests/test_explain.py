"""explain(): why one rule did or did not apply, condition by condition, as data, JSON and an indented tree."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

import guanzhi_rules as g
from guanzhi_rules._explain import Node
from tests.strategies import case_data
from tests.support import merge, run

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "cases"
PILOT = EXAMPLES / "failed_reform_pilot.yaml"
PETITIONS = EXAMPLES / "serious_inaction_petitions.yaml"


def data(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return loaded


def nodes(node: Node) -> Iterator[Node]:
    yield node
    for part in node.parts:
        yield from nodes(part)


def leaves(node: Node) -> list[Node]:
    return [n for n in nodes(node) if n.kind == "fact"]


def kleene(node: Node) -> bool | None:
    """The value a node must have given its parts' values, by three-valued (Kleene) logic."""
    values = [p.value for p in node.parts]
    if node.kind == "all":
        return False if False in values else None if None in values else True
    if node.kind == "any":
        return True if True in values else None if None in values else False
    if node.kind == "not":
        return None if values[0] is None else not values[0]
    if node.kind == "use":
        return values[0]
    if node.kind == "applies":
        standings = [s.standing for s in node.rules]
        return True if True in standings else None if None in standings else False
    return node.value


def test_a_rule_that_applies_shows_every_leaf_true() -> None:
    """Yueyang art. 17(一) on the failed pilot: applies, and every fact it tests holds, with the values read."""
    e = g.explain("yueyang", g.read_case(PILOT), "art17.1")
    assert e.result == "applies"
    assert e.condition is not None and e.condition.kind == "all" and e.condition.value is True
    tested = {n.fact: n for n in leaves(e.condition)}
    assert set(tested) == {"context.reform_or_pilot", "context.lack_of_experience", "harm.influence", "conduct.acts", "context.diligent"}
    # An error in diligent work: the act diligent_error, or the work found diligent (here the latter).
    assert all(n.value is True for fact, n in tested.items() if fact != "conduct.acts")
    assert tested["conduct.acts"].value is False
    assert tested["harm.influence"].op == "at_most"
    assert (tested["harm.influence"].expected, tested["harm.influence"].actual) == ("serious", "adverse")
    assert (e.citation.article, e.citation.item) == ("第十七条", "(一)")
    assert e.defeated_by == () and e.unknown_facts == ()


def test_a_defeated_rule_names_its_defeater_with_citation() -> None:
    """Benxi art. 8 met alongside art. 9: art. 8 is defeated by art. 9, and art. 9 says it defeats art. 8."""
    case = merge(data(PETITIONS), {"conduct": {"gravity": "minor"}})
    e = g.explain("benxi", case, "art8")
    assert e.result == "defeated"
    assert e.condition_value is True
    assert [(r.rule_id, r.citation.article, r.result) for r in e.defeated_by] == [("art9", "第九条", "applies")]
    assert "art9" in e.to_text("en").split("Defeated by:")[1]
    winner = g.explain("benxi", case, "art9")
    assert [r.rule_id for r in winner.defeats] == ["art8"]
    assert "排除以下规则" in winner.to_text("zh")


def test_a_missing_fact_is_unknown_and_its_node_none() -> None:
    """With lack of experience left out, Yueyang art. 17(一) is undetermined: that leaf and the root are None."""
    case = merge(data(PILOT), {"context": {"lack_of_experience": None}})
    e = g.explain("yueyang", case, "art17.1")
    assert e.result == "undetermined"
    assert e.condition is not None and e.condition.value is None and e.condition_value is None
    (leaf,) = [n for n in leaves(e.condition) if n.fact == "context.lack_of_experience"]
    assert leaf.value is None and leaf.actual is None
    assert e.unknown_facts == ("context.lack_of_experience",)
    assert "context.lack_of_experience" in e.open_facts
    assert "[unknown] context.lack_of_experience is true (read: unknown)" in e.to_text("en")
    assert "[未知]" in e.to_text("zh")


def test_unknown_facts_that_cannot_change_a_decided_condition_are_flagged() -> None:
    """An unknown fact under a false `all` is listed, and the text says it cannot change this rule's condition."""
    case = merge(data(PILOT), {"context": {"lack_of_experience": None, "reform_or_pilot": False}})
    e = g.explain("yueyang", case, "art17.1")
    assert e.condition_value is False and e.result == "does_not_apply"
    assert e.unknown_facts == ("context.lack_of_experience",)
    assert "cannot change it" in e.to_text("en")


def test_set_facts_not_stated_are_listed_as_defaulted() -> None:
    """A set fact the case leaves out is read as empty and listed as such, not as unknown."""
    case = merge(data(PILOT), {"conduct": {"acts": None}})
    e = g.explain("benxi", case, "art7.1")
    assert e.result == "does_not_apply"
    assert "conduct.acts" in e.defaulted_facts and "conduct.acts" not in e.unknown_facts
    (acts,) = [n for n in leaves(e.condition) if n.fact == "conduct.acts"]  # type: ignore[arg-type]
    assert acts.defaulted and acts.actual == [] and acts.value is False


def test_use_nodes_show_the_named_definition() -> None:
    """A `use` node names its definition and carries the definition's own tree."""
    e = g.explain("yangjiang", g.read_case(PILOT), "3.2.1.tasks_unmet")
    assert e.condition is not None
    (inaction,) = [n for n in nodes(e.condition) if n.kind == "use" and n.name == "inaction"]
    assert inaction.value is True and len(inaction.parts) == 1
    assert "definition inaction" in e.to_text("en") and "定义 inaction" in e.to_text("zh")


def test_applies_nodes_show_the_standing_of_the_rules_named() -> None:
    """Yueyang art. 14 reads the standing of the art. 7-8 circumstances (and supervision arts. 7 and 10, issue 14) from the trace."""
    e = g.explain("yueyang", g.read_case(PETITIONS), "art14")
    assert e.condition is not None
    (applies,) = [n for n in nodes(e.condition) if n.kind == "applies"]
    standing = {s.rule_id: (s.result, s.standing) for s in applies.rules}
    assert all(r.startswith(("art7.", "art8.", "supervision.art7.unverified", "supervision.art10")) for r in standing)
    assert ("applies", True) in standing.values()
    assert standing["art7.10"] == ("does_not_apply", False)  # a listed item applies: the catch-all asks nothing
    assert applies.value is True


def test_an_unreached_rule_says_why() -> None:
    """A sanction band after a granted exemption is not reached, and the reason says no accountability follows."""
    e = g.explain("yueyang", g.read_case(PILOT), "art14")
    assert e.result == "not_reached"
    assert "No accountability follows" in e.reason.en


def test_unknown_rule_id_is_a_key_error_with_a_hint() -> None:
    """An unknown rule id raises KeyError naming the rule set, with the article's items as did-you-mean."""
    case = g.read_case(PILOT)
    with pytest.raises(KeyError, match=r"did you mean one of 'art17\.1', 'art17\.2'"):
        g.explain("yueyang", case, "art17")
    with pytest.raises(KeyError, match=r"did you mean 'art17\.2'"):
        g.explain("yueyang", case, "art17.x")


def test_a_determination_for_another_case_is_refused() -> None:
    """Reusing a determination made for another case is refused by its fingerprints."""
    other = g.load("benxi").evaluate(g.read_case(PETITIONS))
    with pytest.raises(ValueError, match="fingerprints"):
        g.explain("benxi", g.read_case(PILOT), "art8", determination=other)


def test_json_is_deterministic() -> None:
    """to_json() is the same on every run and parses back to the tree."""
    case = g.read_case(PILOT)
    first = g.explain("zhejiang", case, "sec3.5").to_json()
    assert g.explain("zhejiang", case, "sec3.5").to_json() == first
    tree = json.loads(first)["condition"]
    assert tree["kind"] == "all" and tree["value"] is True


@given(data=case_data(), key=st.sampled_from(g.BUNDLED))
def test_tree_values_follow_kleene_logic_and_agree_with_the_trace(data: dict[str, Any], key: str) -> None:
    """Every node's value is the Kleene combination of its parts; the root agrees with the rule's trace result."""
    rs = g.load(key)
    case = g.parse_case(data)
    d = rs.evaluate(case)
    for rule in rs:
        e = g.explain(rs, case, rule.id, determination=d)
        step = d.step(rule.id)
        assert e.result == step.result
        if e.condition is not None:
            for node in nodes(e.condition):
                assert node.value == kleene(node), (rule.id, node.kind)
            assert e.condition_value == e.condition.value
        value = e.condition_value
        if rule.rule.catch_all and rule.condition is None:  # a catch-all that asks for no finding never applies
            assert value is None and step.result in ("not_evaluable", "not_reached")
        elif step.result == "defeated":
            assert value is True  # only an applicable rule can be defeated
        elif rule.rule.stage == "consequence":
            assert step.result != "applies" or value is True
        elif rule.rule.catch_all and step.result == "does_not_apply" and value is not False:
            # a listed item of the stage applies, so the catch-all (for *other* conduct) gives way
            assert any(d.step(r.id).result == "applies" for r in rs.stage(rule.rule.stage) if not r.rule.catch_all)
        elif step.result != "not_reached":
            assert {"applies": True, "does_not_apply": False, "undetermined": None}[step.result] == value, rule.id
        if e.unknown_facts:  # else the question waits for what accountability waits for, facts the rule does not read
            assert set(e.unknown_facts) >= {f for q in d.open_questions if q.rule_id == rule.id for f in q.unknown_facts}


@pytest.mark.parametrize(("lang", "words"), [
    ("zh", ["结果：适用", "条件：成立", "[成立]"]),
    ("en", ["Result: applies", "Condition: true", "[true]"]),
])
def test_cli_text_in_both_languages(lang: str, words: list[str]) -> None:
    """`guanzhi explain --lang` renders the tree in the language asked for."""
    code, out, _ = run("explain", str(PILOT), "-j", "zhejiang", "sec3.5", "--lang", lang)
    assert code == 0
    for word in words:
        assert word in out


def test_cli_json() -> None:
    """`guanzhi explain --format json` prints the explanation as JSON."""
    code, out, _ = run("explain", str(PILOT), "-j", "yueyang", "art17.1", "--format", "json")
    assert code == 0
    assert json.loads(out)["result"] == "applies"


def test_cli_unknown_rule_exits_2_with_a_hint() -> None:
    """An unknown rule id exits 2 with one line naming the rule and the nearest ids, no traceback."""
    code, out, err = run("explain", str(PILOT), "-j", "yueyang", "art17")
    assert code == 2 and out == ""
    assert "no rule 'art17' in yueyang; did you mean one of 'art17.1', 'art17.2'?" in err
    assert "Traceback" not in err and err.strip().count("\n") == 0


@pytest.mark.parametrize("args", [
    ("explain", "missing.yaml", "-j", "benxi", "art8"),
    ("explain", str(PILOT), "-j", "benx", "art8"),
    ("explain", str(PILOT), "art8"),
])
def test_cli_bad_input_exits_2(args: tuple[str, ...]) -> None:
    """A missing case file, an unknown or missing jurisdiction exits 2 without a traceback."""
    code, _, err = run(*args)
    assert code == 2
    assert "Traceback" not in err
