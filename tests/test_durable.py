"""The durable-rules backend: the same determinations as the default evaluator, on every case.

The differential property runs 2,000 generated cases under all five bundled rule sets (whatever
the hypothesis profile). Generated rule files add the operators and fact kinds the bundled rule
sets do not use (numbers, dates, ``at_most``, ``in`` on ordinals), and the examples pin what a
broken encoding would get wrong: unknown facts, yes/no against numbers, ``applies``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import guanzhi_rules as g
from guanzhi_rules import Determination
from guanzhi_rules._facts import FACTS, FactSpec
from guanzhi_rules._loader import load_path
from tests.strategies import case_data
from tests.support import LEADING_CADRE, merge

if sys.version_info >= (3, 13):  # durable-rules does not build there; below 3.13 a missing engine is a failure
    pytest.importorskip("durable_rules_engine", reason="durable-rules does not support Python 3.13 and later")

RULESETS = {key: g.load(key) for key in g.BUNDLED}


def _json(det: Determination) -> str:
    return det.to_json(indent=1)


def assert_same(rs: g.RuleSet, case: g.Case | dict[str, Any]) -> Determination:
    """Evaluate under both backends; on a disagreement, show the case and a diff of the two determinations."""
    default, durable = rs.evaluate(case, backend="default"), rs.evaluate(case, backend="durable")
    # Equal models serialise identically; only unequal ones need the (slower) JSON comparison.
    if default != durable and _json(default) != _json(durable):
        data = case.model_dump(mode="json", exclude_none=True) if isinstance(case, g.Case) else case
        diff = difflib.unified_diff(_json(default).splitlines(), _json(durable).splitlines(), "default", "durable", lineterm="", n=3)
        pytest.fail(f"the backends disagree under {rs.key} on the case\n{json.dumps(data, ensure_ascii=False, indent=1)}\n"
                    + "\n".join(diff), pytrace=False)
    return durable


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=case_data())
def test_backends_agree_on_generated_cases(data: dict[str, Any]) -> None:
    """Every generated case gets byte-identical determinations from both backends under each bundled rule set."""
    case = g.parse_case(data)
    for rs in RULESETS.values():
        assert_same(rs, case)


# -- examples a broken encoding would fail -----------------------------------------------------

def test_a_missing_fact_leaves_the_rule_undetermined_in_both() -> None:
    """An unknown fact is neither true nor false: durable fires neither polarity, so the rule is undetermined."""
    case = merge(LEADING_CADRE, {"subject": {"kind": "person"}, "conduct": {"acts": ["not_implementing_decisions"]},
                                 "harm": {"influence": "adverse"}})  # issue 14: art. 2's harm element
    rs = RULESETS["yueyang"]
    assert assert_same(rs, case).step("art7.1").result == "applies"
    unknown = merge(case, {"conduct": {"within_responsibility": None}})
    det = assert_same(rs, unknown)
    assert det.step("art7.1").result == "undetermined"
    assert any(q.rule_id == "art7.1" and "conduct.within_responsibility" in q.unknown_facts for q in det.open_questions)


def test_a_late_rule_reads_the_standing_of_earlier_rules_under_durable() -> None:
    """Yueyang art. 14 (reading the standing of the art. 7-8 circumstances) applies, or stays undetermined, as they do."""
    rs = RULESETS["yueyang"]
    assert rs.rule("art14").late
    case = merge(LEADING_CADRE, {"subject": {"kind": "person"}, "conduct": {"acts": ["not_implementing_decisions"]},
                                 "harm": {"influence": "adverse"}})  # issue 14: art. 2's harm element
    assert assert_same(rs, case).step("art14").result == "applies"
    # The circumstance is undetermined, so art. 14 is too, though every fact it reads itself is known: its open
    # question names the fact the circumstance waits for.
    det = assert_same(rs, merge(case, {"conduct": {"within_responsibility": None}}))
    assert det.step("art14").result == "undetermined"
    (waits_for,) = [q.unknown_facts for q in det.open_questions if q.rule_id == "art14"]
    assert "conduct.within_responsibility" in waits_for


def test_a_late_choice_rule_under_durable() -> None:
    """Benxi's choice rule on missing organisational handling reads whether art. 9 stands, under both backends."""
    rs = RULESETS["benxi"]
    assert rs.rule("art11.choice.handling_due").late
    for discipline in ([], ["party"]):
        assert_same(rs, merge(LEADING_CADRE, {"conduct": {"acts": ["falsifying"]}, "decision": {"discipline": discipline}}))


SAMPLE = {
    "document": {"key": "sample", "title": "示例", "issuer": "示例机关", "issued": "unknown", "source": "benxi.txt"},
    "ladder": {"citations": [{"article": "第八条", "quote": "批评教育"}], "steps": [{"measure": "criticism_education", "rung": 1}]},
}


def _rule(rule_id: str, when: Any, stage: str = "circumstance") -> dict[str, Any]:
    then = {"scope": [{"scope": "covered"}], "circumstance": [{"category": {"zh": "情形", "en": "case"}}],
            "aggravating": [{"factor": "heavier"}]}[stage]
    return {"id": rule_id, "stage": stage, "modality": "shall", "label": {"zh": rule_id, "en": rule_id}, "when": when,
            "then": then, "citation": {"article": "第六条", "quote": "示例"}}


class _Dumper(yaml.SafeDumper):
    """Writes a condition used twice out twice: rule files allow no aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def sample_ruleset(conditions: list[Any], late: Any = None) -> g.RuleSet:
    """A rule file covering every case with a known subject.kind; one circumstance rule per condition."""
    rules = [_rule("scope", {"fact": "subject.kind", "in": ["person", "organisation"]}, "scope")]
    rules += [_rule(f"c{i}", when) for i, when in enumerate(conditions)]
    if late is not None:
        rules.append(_rule("late", {"any": [late, {"applies": ["c*"]}]}, "aggravating"))
        rules.append(_rule("late_all", {"all": [late, {"not": {"applies": ["c*"]}}]}, "aggravating"))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sample.yaml"
        path.write_text(yaml.dump({**SAMPLE, "rules": rules}, Dumper=_Dumper, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return load_path(path)


def results(rs: g.RuleSet, case: dict[str, Any]) -> list[str]:
    det = assert_same(rs, merge({"subject": {"kind": "person"}}, case))
    return [det.step(f"c{i}").result for i in range(len(rs) - 1)]


def test_yes_no_facts_are_not_confused_with_numbers() -> None:
    """durable matches JSON true with 1 and "true": yes/no facts are encoded so that neither can happen."""
    rs = sample_ruleset([
        "subject.is_leading_cadre",
        {"not": "subject.is_leading_cadre"},
        {"fact": "subject.team_members_held_accountable", "is": 1},
        {"fact": "subject.team_members_held_accountable", "at_least": 1},
    ])
    assert results(rs, {"subject": {"is_leading_cadre": True, "team_members_held_accountable": 0}}) == [
        "applies", "does_not_apply", "does_not_apply", "does_not_apply"]
    assert results(rs, {"subject": {"is_leading_cadre": False, "team_members_held_accountable": 1}}) == [
        "does_not_apply", "applies", "applies", "applies"]
    assert results(rs, {}) == ["undetermined"] * 4


def test_numbers_and_dates_compare_as_python_does() -> None:
    """Floats written in exponent notation, bounds beyond 64 bits and between floats, and ISO dates compare exactly."""
    rs = sample_ruleset([
        {"fact": "harm.loss_amount_cny", "at_least": 1e16},
        {"fact": "harm.loss_amount_cny", "at_most": 5e-5},
        {"fact": "harm.loss_amount_cny", "at_least": 2**53 + 1},
        {"fact": "harm.loss_amount_cny", "is": 2**53 + 1},
        {"fact": "harm.loss_amount_cny", "at_most": 2**63},
        {"fact": "subject.team_members_held_accountable", "at_most": -(2**63)},
        {"fact": "dates.conduct", "at_least": dt.date(2020, 1, 1)},
    ])
    on = {"dates": {"conduct": "2020-01-01"}}
    assert results(rs, {"harm": {"loss_amount_cny": 1e20}, "subject": {"team_members_held_accountable": 3}, **on}) == [
        "applies", "does_not_apply", "applies", "does_not_apply", "does_not_apply", "does_not_apply", "applies"]
    assert results(rs, {"harm": {"loss_amount_cny": 2.0**53}, "dates": {"conduct": "2019-12-31"}}) == [
        "does_not_apply", "does_not_apply", "does_not_apply", "does_not_apply", "applies", "undetermined", "does_not_apply"]
    assert results(rs, {"harm": {"loss_amount_cny": 5e-5}})[:2] == ["does_not_apply", "applies"]


BOOLS = sorted(path for path, spec in FACTS.items() if spec.kind == "bool")


def test_conditions_beyond_the_engine_limits_are_split() -> None:
    """A condition too deep for one durable rule (16 and/or) is distributed over its any's and still agrees."""
    deep = {"all": [{"any": [BOOLS[2 * i], {"not": BOOLS[2 * i + 1]}]} for i in range(17)]}
    rs = sample_ruleset([deep, {"not": deep}])
    patterns = [  # (results of deep and of not deep, the value of fact i of the 34)
        (["applies", "does_not_apply"], lambda i: i % 2 == 0),
        (["does_not_apply", "applies"], lambda i: i % 2 == 1),
        (["does_not_apply", "applies"], lambda i: None if i == 7 else i % 2 == 1),
        (["undetermined", "undetermined"], lambda i: None if i % 4 == 0 else True),
    ]
    for expected, value in patterns:
        facts: dict[str, Any] = {}
        for i, path in enumerate(BOOLS[:34]):
            section, name = path.split(".")
            facts.setdefault(section, {})[name] = value(i)
        assert results(rs, facts) == expected
    too_large = {"all": [{"any": [{"all": [BOOLS[i], BOOLS[i + 1]]}, BOOLS[i + 2]]} for i in range(40)]}
    with pytest.raises(ValueError, match="too large for the durable backend"):
        sample_ruleset([too_large]).evaluate({}, backend="durable")


def _comparison(path: str) -> st.SearchStrategy[Any]:
    spec: FactSpec = FACTS[path]
    codes = [m.value for m in spec.values] if spec.values else []
    if spec.kind == "bool":
        return st.sampled_from([path, {"fact": path, "is": False}])
    if spec.kind in ("enum", "ordinal"):
        ops = ["is", "in"] + (["at_least", "at_most"] if spec.kind == "ordinal" else [])
        return st.tuples(st.sampled_from(ops), st.sampled_from(codes), st.lists(st.sampled_from(codes), min_size=1, max_size=3)).map(
            lambda t: {"fact": path, t[0]: t[2] if t[0] == "in" else t[1]})
    if spec.kind == "set":
        return st.tuples(st.sampled_from(["has", "has_any", "has_all"]), st.lists(st.sampled_from(codes), min_size=1, max_size=3)).map(
            lambda t: {"fact": path, t[0]: t[1][0] if t[0] == "has" else t[1]})
    if spec.kind == "date":
        bound: st.SearchStrategy[Any] = st.dates(dt.date.min + dt.timedelta(days=1), dt.date.max - dt.timedelta(days=1))
    elif spec.kind == "int":
        bound = st.integers(-2, 14) | st.sampled_from([2**63, -(2**63), 2.5])  # conditions refuse numbers beyond 2**63
    else:
        bound = st.floats(0, 1e9) | st.sampled_from([0, 1, 1e-5, 1e16, 2**53 + 1, 2**63])
    return st.tuples(st.sampled_from(["is", "at_least", "at_most"]), bound).map(lambda t: {"fact": path, t[0]: t[1]})


conditions = st.recursive(
    st.sampled_from(sorted(FACTS)).flatmap(_comparison),
    lambda parts: st.one_of(
        st.lists(parts, min_size=1, max_size=3).map(lambda p: {"all": p}),
        st.lists(parts, min_size=1, max_size=3).map(lambda p: {"any": p}),
        parts.map(lambda p: {"not": p}),
    ),
    max_leaves=8,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(when=st.lists(conditions, min_size=1, max_size=4), late=conditions, cases=st.lists(case_data(), min_size=1, max_size=3),
       loss=st.none() | st.sampled_from([0.0, 1e-5, 5e-5, 1.0, 2.0**53, 1e16, 1e20, 1e300]))
def test_backends_agree_on_generated_conditions(when: list[Any], late: Any, cases: list[dict[str, Any]], loss: float | None) -> None:
    """Generated conditions over every fact kind and operator, with and without applies, decide alike on both backends."""
    rs = sample_ruleset(when, late)
    for data in cases:
        case = merge(data, {"subject": {"kind": data.get("subject", {}).get("kind", "person")}})  # in scope
        if loss is not None:
            case = merge(case, {"harm": {"loss_amount_cny": loss}})
        assert_same(rs, case)


# -- the backend as a component ----------------------------------------------------------------

@pytest.mark.skipif(sys.version_info >= (3, 13), reason="durable-rules does not support Python 3.13 and later")
def test_durable_rules_is_installed_for_the_tests() -> None:
    """Below Python 3.13 the dev extra installs durable-rules, so its tests run rather than skip."""
    import durable_rules_engine  # noqa: F401, PLC0415 - imported here to fail, not skip, when missing


def test_an_unknown_backend_is_rejected_with_the_valid_names() -> None:
    """A misspelt backend is a ValueError that lists the backends there are."""
    with pytest.raises(ValueError, match=r"unknown backend 'durabel': expected one of 'default', 'durable'"):
        RULESETS["benxi"].evaluate({}, backend="durabel")


def test_without_durable_rules_the_backend_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """With durable-rules missing, asking for it raises an ImportError (and GuanzhiError) with the install command."""
    monkeypatch.setitem(sys.modules, "durable_rules_engine", None)  # makes the import fail
    with pytest.raises(ImportError, match=r"pip install 'guanzhi-rules\[durable\]'") as info:
        RULESETS["benxi"].evaluate({}, backend="durable")
    assert isinstance(info.value, g.GuanzhiError)


def test_threads_take_turns_on_the_engine() -> None:
    """The engine is not thread-safe; concurrent callers are serialised and get the right answers."""
    rs = RULESETS["jiangsu"]
    case = merge(LEADING_CADRE, {"conduct": {"acts": ["falsifying", "passing_the_buck"]}, "harm": {"consequences": "serious"}})
    expected = _json(rs.evaluate(case))
    outcomes: list[str] = []

    def work() -> None:
        outcomes.extend(_json(rs.evaluate(case, backend="durable")) for _ in range(20))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes == [expected] * 80
