"""The public hypothesis strategies (guanzhi_rules.strategies): valid cases, the focused variants, argument
checks, the shared distribution with the population sampler, and hypothesis staying optional."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import guanzhi_rules as g
from guanzhi_rules import strategies as gs
from guanzhi_rules._columns import DOMAINS
from guanzhi_rules._facts import FACTS, flatten
from guanzhi_rules._population import generate
from tests.support import LEADING_CADRE, merge


@given(gs.cases())
def test_whole_cases_are_valid(case: g.Case) -> None:
    """cases() gives validated Case objects whose dates keep their certain order."""
    assert isinstance(case, g.Case)
    if case.dates.conduct and case.decision.date:
        assert case.dates.conduct <= case.decision.date


@given(gs.case_data())
def test_case_data_is_plain_data_that_validates(data: dict[str, Any]) -> None:
    """case_data() gives nested dicts of codes, lists, numbers and ISO dates that parse_case accepts."""
    assert all(isinstance(v, dict) for v in data.values())
    g.parse_case(data)


@given(gs.cases(subject_kind="organisation", acts=["perfunctory", "passing_the_buck"]))
def test_subject_kind_and_acts_are_kept(case: g.Case) -> None:
    """The subject kind is fixed and the required acts are always among conduct.acts."""
    assert case.subject.kind == "organisation"
    assert {"perfunctory", "passing_the_buck"} <= set(case.conduct.acts)


@given(gs.cases(tolerance=True, known=["harm.influence"]))
def test_tolerance_and_known_facts_are_always_present(case: g.Case) -> None:
    """With tolerance=True every tolerance-of-error fact is known, and so is every fact named in known."""
    facts = flatten(case)
    assert all(facts[path] is not None for path in (*gs.TOLERANCE_FACTS, "harm.influence"))


@given(gs.case_data(fixed={"decision.date": "2015-06-30", "conduct.gravity": "minor", "harm.effects": ["work_delayed"]}))
def test_fixed_values_are_pinned_and_drawn_dates_keep_their_order(data: dict[str, Any]) -> None:
    """Fixed facts keep their values; a drawn date that would be out of order with a fixed one is left out."""
    case = g.parse_case(data)
    assert case.decision.date == dt.date(2015, 6, 30)
    assert case.conduct.gravity == "minor"
    assert set(case.harm.effects) == {"work_delayed"}
    if case.dates.conduct:
        assert case.dates.conduct <= dt.date(2015, 6, 30)
    if case.dates.decision_served:
        assert case.dates.decision_served >= dt.date(2015, 6, 30)


def test_tolerance_facts_cover_what_exemption_rules_ask() -> None:
    """Every fact a bundled exemption rule reads is a tolerance fact or a harm, conduct or scope qualifier."""
    qualifiers = {p for p in FACTS if p.startswith(("harm.", "subject."))} | {"conduct.acts", "conduct.fields", "conduct.gravity"}
    read = {p for rs in g.load_all().values() for r in rs.stage("exemption") if r.condition for p in r.condition.paths}
    assert read - qualifiers <= set(gs.TOLERANCE_FACTS)
    assert {"context.reform_or_pilot", "context.collective_decision_followed", "context.private_gain",
            "inquiry.corrected_before_inquiry"} <= set(gs.TOLERANCE_FACTS)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"known": ["harm.influenc"]}, "did you mean 'harm.influence'"),
    ({"fixed": {"conduct.gravty": "minor"}}, "did you mean 'conduct.gravity'"),
    ({"acts": ["perfunctry"]}, "did you mean 'perfunctory'"),
    ({"subject_kind": "people"}, "subject_kind must be one of person, organisation"),
    ({"fixed": {"conduct.gravity": "awful"}}, "fixed value for conduct.gravity"),
    ({"subject_kind": "person", "fixed": {"subject.kind": "organisation"}}, "contradicts"),
])
def test_bad_arguments_are_refused_when_the_strategy_is_built(kwargs: dict[str, Any], message: str) -> None:
    """Unknown facts and codes (with a did-you-mean), bad kinds and impossible values fail at once, not at the first draw."""
    with pytest.raises(ValueError, match=message):
        gs.case_data(**kwargs)


def test_acts_given_as_one_string_is_a_type_error() -> None:
    """acts='perfunctory' would silently mean eleven one-letter codes; it is refused."""
    with pytest.raises(TypeError, match="list of act codes"):
        gs.cases(acts="perfunctory")


def test_fact_values_refuses_an_unknown_fact() -> None:
    """fact_values names the fact it does not know, with a did-you-mean."""
    with pytest.raises(ValueError, match=r"did you mean 'harm\.influence'"):
        gs.fact_values("harm.influenc")


@pytest.mark.parametrize("key", g.BUNDLED)
def test_scoped_strategies_give_the_scope_they_promise(key: str) -> None:
    """in_scope_cases gives subjects the rule set covers, out_of_scope_cases subjects it does not."""
    ruleset = g.load(key)
    seen: Counter[str] = Counter()

    @settings(max_examples=30, database=None)
    @given(inside=gs.in_scope_cases(key), outside=gs.out_of_scope_cases(ruleset))
    def check(inside: g.Case, outside: g.Case) -> None:
        seen[ruleset.evaluate(inside).scope.outcome] += 1
        assert ruleset.evaluate(outside).scope.outcome == "not_covered"

    check()
    assert set(seen) <= {"covered", "covered_by_reference"}


def test_scoped_strategies_say_when_no_subject_fits() -> None:
    """Yueyang covers no organisation, so asking for one in its scope is an error, not an endless search."""
    with pytest.raises(ValueError, match="no subject is covered by rule set 'yueyang'"):
        gs.in_scope_cases("yueyang", subject_kind="organisation")


@given(gs.out_of_scope_case_data("benxi", acts=["perfunctory"]))
def test_scoped_strategies_keep_the_other_arguments(data: dict[str, Any]) -> None:
    """The focused arguments still apply to a scoped strategy's cases."""
    assert "perfunctory" in data["conduct"]["acts"]
    assert set(data["subject"]) == {p.split(".")[1] for p in gs.SUBJECT_FACTS}


def test_whole_cases_share_the_population_samplers_domains_and_bounds() -> None:
    """The strategies draw from the sampler's own table: the same domains and bounds, and even odds of presence."""
    population = generate(2000, seed=11)
    present: Counter[str] = Counter()
    for i in range(len(population)):
        data = population.data(i)
        for path, spec in FACTS.items():
            section, name = path.split(".")
            value = data.get(section, {}).get(name)
            if value is None or value == []:
                continue
            present[path] += 1
            domain = DOMAINS[path]
            if spec.kind == "set":
                assert domain is not None and set(value) <= set(domain) and len(value) <= gs.MAX_SET
            elif domain is not None:
                assert value in domain
            elif spec.kind == "int":
                assert 0 <= value <= gs.MAX_COUNT
            elif spec.kind == "number":
                assert 0 <= value <= gs.MAX_AMOUNT
            else:
                assert gs.FIRST_DAY.isoformat() <= str(value) <= gs.LAST_DAY.isoformat()
    scalar = [p for p, s in FACTS.items() if s.kind != "set"]
    assert all(800 < present[p] < 1200 for p in scalar), {p: present[p] for p in scalar if not 800 < present[p] < 1200}


@settings(max_examples=300)
@given(st.sampled_from(sorted(FACTS)).flatmap(lambda path: st.tuples(st.just(path), gs.fact_values(path))))
def test_strategy_values_lie_in_the_samplers_domains(drawn: tuple[str, Any]) -> None:
    """Every value a strategy draws is one the population sampler can draw too."""
    path, value = drawn
    spec, domain = FACTS[path], DOMAINS[path]
    if spec.kind == "set":
        assert domain is not None and set(value) <= set(domain) and len(value) <= gs.MAX_SET
    elif domain is not None:
        assert value in domain
    elif spec.kind == "int":
        assert 0 <= value <= gs.MAX_COUNT
    elif spec.kind == "number":
        assert 0 <= value <= gs.MAX_AMOUNT
    else:
        assert gs.FIRST_DAY <= dt.date.fromisoformat(value) <= gs.LAST_DAY


def _without_hypothesis(code: str) -> subprocess.CompletedProcess[str]:
    blocker = "import sys; sys.modules['hypothesis'] = None; sys.modules['hypothesis.strategies'] = None\n"
    return subprocess.run([sys.executable, "-c", blocker + code], capture_output=True, text=True, check=False)


def test_the_package_imports_without_hypothesis() -> None:
    """hypothesis is not a runtime dependency: the package, the CLI, the expectation runner and the pytest plugin import without it."""
    result = _without_hypothesis(
        "import guanzhi_rules, guanzhi_rules._cli, guanzhi_rules._expect, guanzhi_rules.pytest_plugin\n"
        "assert guanzhi_rules.load('benxi').evaluate({}).scope.outcome")
    assert result.returncode == 0, result.stderr


def test_the_strategies_without_hypothesis_say_how_to_install_it() -> None:
    """Importing guanzhi_rules.strategies without hypothesis is an ImportError naming the testing extra."""
    result = _without_hypothesis("import guanzhi_rules.strategies")
    assert result.returncode != 0
    assert "ImportError" in result.stderr
    assert "pip install 'guanzhi-rules[testing]'" in result.stderr


PROBATION_EXCLUDED = """overlay: {base: benxi, title: {zh: 试用期干部除外, en: cadres on probation excluded}}
add:
  - id: art2.probation_excluded
    stage: scope
    modality: shall
    priority: -1
    label: {zh: 试用期内的领导干部除外, en: a leading cadre on probation is excluded}
    when: {all: [{fact: subject.kind, is: person}, subject.on_probation]}
    defeats: [art2.leading_cadre]
    then: [{scope: not_covered}]
    citation: {article: 第二条, quote: 本办法适用于全区各级党政组织及其领导干部。}
"""
"""A proposal whose low-priority scope rule defeats the leading-cadre rule: scope turns on defeats, not priority alone."""


def test_scoped_strategies_respect_scope_defeats(tmp_path: Path) -> None:
    """Regression: in_scope_cases read scope by priority alone, so a scope rule's defeats let out-of-scope subjects in."""
    overlay = tmp_path / "probation.yaml"
    overlay.write_text(PROBATION_EXCLUDED, encoding="utf-8")
    ruleset = g.load("benxi", overlays=[overlay])
    probation = merge(LEADING_CADRE, {"subject": {"on_probation": True}})
    assert ruleset.evaluate(probation).scope.outcome == "not_covered"  # the defeat bites on a plain case

    @settings(max_examples=200, database=None)
    @given(inside=gs.in_scope_cases(ruleset), outside=gs.out_of_scope_cases(ruleset))
    def check(inside: g.Case, outside: g.Case) -> None:
        assert ruleset.evaluate(inside).scope.outcome in ("covered", "covered_by_reference")
        assert ruleset.evaluate(outside).scope.outcome == "not_covered"

    check()
