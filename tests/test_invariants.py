"""Invariants every bundled rule set keeps, tested on generated cases under all five rule sets.

1. Adding an aggravating fact never makes the outcome lighter; 2. adding a mitigating fact never
makes it harsher; 3. a bar never leaves an exemption (or a mitigation) standing; 4. removing every
triggering conduct leaves no sanction; 5. a subject outside scope gets no sanction; 6. the
determination of a case does not depend on its field order or on YAML versus JSON input.

*Lighter* and *harsher* compare two determinations of one rule set, component by component, on
that rule set's own ladder (``RuleSet.ladder_order``):

- accountability: no (``False``) < open (``None``) < yes (``True``);
- the range: its heaviest and its lightest rung, when both determinations have one; a range that
  appears is harsher, one that disappears lighter;
- the factors: a 从重 emphasis (``heavier`` or ``conflicting``) gained is harsher, lost lighter; a
  从轻 emphasis (``lighter`` or ``conflicting``) or a 减轻 permission (``reduced_below_range``)
  gained is lighter, lost harsher.

A change is lighter when any component moves down, harsher when any moves up. Aggravating and
mitigating facts are not listed here: they are read off the conditions of every rule set's
``aggravating`` and ``mitigating`` rules (each comparison those conditions need to be true, made
true), so a new factor rule is tested as soon as it is written. Where the law itself breaks a
property, the exception is listed in ``EXCEPTIONS`` with its citation, excluded exactly, and
described in docs/testing.md; there is one, for property 4.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import random
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import yaml
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

import guanzhi_rules as g
from guanzhi_rules import Determination, RuleSet
from guanzhi_rules._conditions import All, Any_, Comparison, Condition, Not, Use
from guanzhi_rules._facts import FACTS
from guanzhi_rules.strategies import case_data, in_scope_case_data, out_of_scope_case_data

RULESETS: dict[str, RuleSet] = {key: g.load(key) for key in g.BUNDLED}


# ------------------------------------------------------------------------------------------ exceptions


@dataclass(frozen=True)
class LawException:
    """A case where the text itself breaks an invariant: the rule that does it, and the words that say so."""

    invariant: str
    key: str
    rule_id: str
    article: str
    quote: str
    why: str


EXCEPTIONS: tuple[LawException, ...] = (
    LawException(
        invariant="no_conduct_no_sanction",
        key="benxi", rule_id="art6.9", article="第六条（九）",
        quote="……或引发大规模集体上访、重复上访、非正常上访等群体性事件，造成严重不良后果和影响的",
        why="Causing a mass incident is an alternative trigger of its own, beside the behaviours the item lists: "
            "with no act, no shortfall and no effect, a mass incident with strong public reaction and serious "
            "consequences and influence still meets the item."),
)
"""Every documented exception to an invariant (see docs/testing.md)."""


def exempted(invariant: str, key: str, determination: Determination) -> list[LawException]:
    """The exceptions to ``invariant`` whose rule applies, or may apply, in this determination."""
    return [e for e in EXCEPTIONS if e.invariant == invariant and e.key == key
            and determination.step(e.rule_id).result in ("applies", "undetermined")]


def test_every_exception_names_a_rule_citing_its_article() -> None:
    """Each documented exception names an existing rule whose citation is the article quoted, in the source's words."""
    for e in EXCEPTIONS:
        rule = RULESETS[e.key].rule(e.rule_id).rule
        assert rule.citation.article + (rule.citation.item or "") == e.article
        assert e.quote.removeprefix("……") in rule.citation.quote


# ------------------------------------------------------------------------------------------ severity


def _accountability(d: Determination) -> int:
    return {False: 0, None: 1, True: 2}[d.sanctions.accountable]


def _rungs(d: Determination, ruleset: RuleSet) -> tuple[int, int] | None:
    ranks = [ruleset.ladder_order[m][0] for m in d.sanctions.measures]
    return (min(ranks), max(ranks)) if ranks else None


def _emphasis(d: Determination) -> tuple[bool, bool, bool]:
    """(从重, 从轻, 减轻) in force."""
    e = d.sanctions.emphasis
    return e in ("heavier", "conflicting"), e in ("lighter", "conflicting"), d.sanctions.reduced_below_range


def moves(before: Determination, after: Determination, ruleset: RuleSet) -> tuple[list[str], list[str]]:
    """How ``after`` differs from ``before``: the components that got lighter, and those that got harsher."""
    lighter: list[str] = []
    harsher: list[str] = []
    a, b = _accountability(before), _accountability(after)
    change = f"accountable {before.sanctions.accountable} -> {after.sanctions.accountable}"
    (lighter if b < a else harsher if b > a else []).append(change)
    r1, r2 = _rungs(before, ruleset), _rungs(after, ruleset)
    if r1 and r2:
        for name, i in (("lightest", 0), ("heaviest", 1)):
            change = f"{name} rung {r1[i]} -> {r2[i]} ({before.sanctions.measures} -> {after.sanctions.measures})"
            (lighter if r2[i] < r1[i] else harsher if r2[i] > r1[i] else []).append(change)
    elif r1 or r2:
        (lighter if r1 else harsher).append(f"range {before.sanctions.measures} -> {after.sanctions.measures}")
    (h1, l1, d1), (h2, l2, d2) = _emphasis(before), _emphasis(after)
    if h1 != h2:
        (harsher if h2 else lighter).append(f"从重 {h1} -> {h2}")
    if l1 != l2:
        (lighter if l2 else harsher).append(f"从轻 {l1} -> {l2}")
    if d1 != d2:
        (lighter if d2 else harsher).append(f"减轻 {d1} -> {d2}")
    return lighter, harsher


def test_moves_orders_ranges_on_the_rule_sets_own_ladder() -> None:
    """Benxi's art. 9 range (rungs 4-7) is harsher than its art. 8 range (rungs 1-3): heaviest and lightest rung rise."""
    base = {"subject": {"kind": "person", "organisation_type": "party_organ", "is_leading_cadre": True},
            "conduct": {"acts": ["perfunctory"], "within_responsibility": True, "gravity": "minor"},
            "harm": {"consequences": "adverse", "influence": "adverse", "public_reaction": "none"}}
    grave = copy.deepcopy(base)
    grave["conduct"]["gravity"] = "serious"
    benxi = RULESETS["benxi"]
    lighter, harsher = moves(benxi.evaluate(base), benxi.evaluate(grave), benxi)
    assert not lighter
    assert [m.split(" ")[0] for m in harsher] == ["lightest", "heaviest"]


# ------------------------------------------------------------------------------------------ factor facts


@dataclass(frozen=True)
class Addition:
    """Making comparisons of a factor rule's condition true: what 'adding that fact' means."""

    rule: str
    comparisons: tuple[Comparison, ...]

    def __repr__(self) -> str:
        return f"<{self.rule}: {', '.join(str(c.source()) for c in self.comparisons)}>"


def _positive(condition: Condition, positive: bool = True) -> Iterator[Comparison]:
    """The comparisons that help make ``condition`` true (those under an odd number of ``not`` do the opposite)."""
    if isinstance(condition, Comparison):
        if positive:
            yield condition
    elif isinstance(condition, (All, Any_)):
        for part in condition.parts:
            yield from _positive(part, positive)
    elif isinstance(condition, Not):
        yield from _positive(condition.part, not positive)
    elif isinstance(condition, Use):
        yield from _positive(condition.target, positive)


def additions(stage: str) -> tuple[Addition, ...]:
    """For every (non catch-all) rule of ``stage`` in any bundled rule set: each of its facts alone, and all of them."""
    found = []
    for key, ruleset in RULESETS.items():
        for rule in ruleset.stage(stage):  # type: ignore[arg-type]
            if rule.condition is not None:
                comparisons = tuple(_positive(rule.condition))
                found += [Addition(f"{key}:{rule.id}", (c,)) for c in comparisons]
                if len(comparisons) > 1:
                    found.append(Addition(f"{key}:{rule.id}", comparisons))
    return tuple(found)


AGGRAVATING = additions("aggravating")
MITIGATING = additions("mitigating")


def test_factor_facts_are_found_in_the_rules() -> None:
    """The rule sets read aggravating and mitigating facts, so the monotonicity properties are not vacuous."""
    assert {c.spec.path for a in AGGRAVATING for c in a.comparisons} >= {"inquiry.obstructed"}
    assert {c.spec.path for a in MITIGATING for c in a.comparisons} >= {"inquiry.remedied_effectively", "inquiry.cooperated"}


@st.composite
def _added(draw: st.DrawFn, data: dict[str, Any], addition: Addition) -> dict[str, Any]:
    """``data`` with the addition's comparisons made true."""
    out = copy.deepcopy(data)
    for c in addition.comparisons:
        spec = c.spec
        section, name = spec.path.split(".")
        if spec.kind == "set":
            members = [c.value] if c.op == "has" else sorted(c.value) if c.op == "has_all" else [draw(st.sampled_from(sorted(c.value)))]
            current = out.setdefault(section, {}).get(name, [])
            out[section][name] = [*current, *(str(m) for m in members if str(m) not in current)]
        elif spec.values is not None or spec.kind == "bool":
            domain = [True, False] if spec.kind == "bool" else list(spec.values)  # type: ignore[arg-type]
            value = draw(st.sampled_from([v for v in domain if c.test({spec.path: v})]))
            out.setdefault(section, {})[name] = value if isinstance(value, bool) else str(value.value)
        else:  # a count, amount or date: its bound satisfies at_least, at_most and is alike
            out.setdefault(section, {})[name] = c.value.isoformat() if isinstance(c.value, dt.date) else c.value
    return out


def _any_in_scope(**kwargs: Any) -> st.SearchStrategy[dict[str, Any]]:
    """Cases whose subject one rule set (chosen at random) covers; every rule set evaluates them."""
    return st.sampled_from(list(RULESETS)).flatmap(lambda key: in_scope_case_data(key, **kwargs))


def _mostly_in_scope_of(stage: str, **kwargs: Any) -> st.SearchStrategy[dict[str, Any]]:
    """Half of the cases in the scope of a rule set with rules of ``stage`` (where the property bites), half of any."""
    keys = [key for key, ruleset in RULESETS.items() if ruleset.stage(stage)]  # type: ignore[arg-type]
    return st.one_of(st.sampled_from(keys).flatmap(lambda key: in_scope_case_data(key, **kwargs)), _any_in_scope(**kwargs))


def _check_monotone(data: dict[str, Any], changed: dict[str, Any], addition: Addition, forbidden: str) -> None:
    for key, ruleset in RULESETS.items():
        before, after = ruleset.evaluate(data), ruleset.evaluate(changed)
        lighter, harsher = moves(before, after, ruleset)
        wrong = lighter if forbidden == "lighter" else harsher
        assert not wrong, f"{key}: adding {addition!r} made the outcome {forbidden}: {wrong}"


@given(data=_mostly_in_scope_of("aggravating"), addition=st.sampled_from(AGGRAVATING), choice=st.data())
def test_adding_an_aggravating_fact_never_makes_the_outcome_lighter(
    data: dict[str, Any], addition: Addition, choice: st.DataObject,
) -> None:
    """Making any aggravating rule's fact true never lowers accountability, the range's rungs or the 从重 emphasis."""
    _check_monotone(data, choice.draw(_added(data, addition)), addition, "lighter")


@given(data=_mostly_in_scope_of("mitigating"), addition=st.sampled_from(MITIGATING), choice=st.data())
def test_adding_a_mitigating_fact_never_makes_the_outcome_harsher(
    data: dict[str, Any], addition: Addition, choice: st.DataObject,
) -> None:
    """Making any mitigating rule's fact true never raises accountability, the range's rungs, or removes 从轻/减轻."""
    _check_monotone(data, choice.draw(_added(data, addition)), addition, "harsher")


# ------------------------------------------------------------------------------------------ bars


def _barred_rules_that_stand(ruleset: RuleSet, d: Determination) -> list[str]:
    problems = []
    exemptions = {r.id for r in ruleset.stage("exemption")}
    for bar in (r for r in ruleset.stage("bar") if d.step(r.id).result == "applies"):
        targets = {t.id for t in ruleset.targets(bar)}
        problems += [f"{bar.id} applies but {t} stands" for t in sorted(targets) if d.step(t).result == "applies"]
        if exemptions and exemptions <= targets and d.exemption.outcome in ("granted", "eligible"):
            problems.append(f"{bar.id} applies but the exemption outcome is {d.exemption.outcome}")
    return problems


@given(data=_mostly_in_scope_of("bar", tolerance=True))
def test_a_bar_never_leaves_an_exemption_standing(data: dict[str, Any]) -> None:
    """Where a bar applies, no rule it defeats (exemptions, mitigations) applies, and no exemption is granted or open to grant."""
    for key, ruleset in RULESETS.items():
        d = ruleset.evaluate(data)
        assert not _barred_rules_that_stand(ruleset, d), f"{key}: {_barred_rules_that_stand(ruleset, d)}"


def test_bars_exist_where_the_texts_have_them() -> None:
    """Only Yangjiang's text lists bars (二(二)2, 不予免责和减轻、从轻), so the bar property bites there."""
    assert [key for key, ruleset in RULESETS.items() if ruleset.stage("bar")] == ["yangjiang"]


# ------------------------------------------------------------------------------------------ no conduct, no scope

CONDUCT = ("conduct.acts", "performance.shortfalls", "harm.effects")
"""What the subject did or failed to do, and the specific effects of it: every set fact that describes conduct."""


def _no_sanction(d: Determination) -> list[str]:
    problems = []
    if d.sanctions.accountable is not False:
        problems.append(f"accountable is {d.sanctions.accountable}")
    if d.sanctions.measures:
        problems.append(f"measures {d.sanctions.measures}")
    if d.consequences:
        problems.append(f"consequences for {[m.measure for m in d.consequences]}")
    if d.choice is not None and d.choice.measures and d.choice.permitted:  # discipline alone follows other regulations
        problems.append(f"the chosen measures {d.choice.measures} are permitted")
    return problems


@given(data=_any_in_scope())
def test_removing_every_triggering_conduct_leaves_no_sanction(data: dict[str, Any]) -> None:
    """With no act, no shortfall and no effect of conduct, no circumstance stands and no sanction follows.

    Exception (``EXCEPTIONS``): Benxi art. 6(9) is met by causing a mass incident alone.
    """
    bare = copy.deepcopy(data)
    for path in CONDUCT:
        section, name = path.split(".")
        bare.setdefault(section, {})[name] = []
    for key, ruleset in RULESETS.items():
        d = ruleset.evaluate(bare)
        excused = exempted("no_conduct_no_sanction", key, d)
        allowed = {e.rule_id for e in excused}
        stray = [c.finding.rule_id for c in d.circumstances if c.finding.rule_id not in allowed]
        assert not stray, f"{key}: circumstances stand without conduct: {stray}"
        if not excused:
            assert not _no_sanction(d), f"{key}: {_no_sanction(d)}"


def test_the_mass_incident_exception_is_real() -> None:
    """Benxi art. 6(9) applies to a covered leading cadre with no conduct at all, only a mass incident and its harm."""
    case = {"subject": {"kind": "person", "organisation_type": "party_organ", "is_leading_cadre": True},
            "conduct": {"within_responsibility": True},
            "harm": {"public_reaction": "strong", "mass_incident": "incident", "consequences": "serious", "influence": "serious"}}
    d = RULESETS["benxi"].evaluate(case)
    assert [c.finding.rule_id for c in d.circumstances] == ["art6.9"]
    assert d.sanctions.accountable is True


def _any_out_of_scope() -> st.SearchStrategy[dict[str, Any]]:
    return st.sampled_from(list(RULESETS)).flatmap(out_of_scope_case_data)


@given(data=_any_out_of_scope())
def test_a_subject_outside_scope_gets_no_sanction(data: dict[str, Any]) -> None:
    """Not covered: not accountable, no range, no consequence, no referral, nothing reviewed, and no later rule reached."""
    found_one = False
    for key, ruleset in RULESETS.items():
        d = ruleset.evaluate(data)
        if d.scope.outcome != "not_covered":
            continue
        found_one = True
        assert not _no_sanction(d), f"{key}: {_no_sanction(d)}"
        assert not (d.general_consequences or d.referrals or d.statements or d.deadlines or d.choice), key
        assert {s.result for s in d.trace if s.stage != "scope"} <= {"not_reached"}, key
    assert found_one


# ------------------------------------------------------------------------------------------ input form


def _shuffled(data: dict[str, Any], seed: int) -> dict[str, Any]:
    """The same case with sections, fields and set members in another order (one seed: nothing for hypothesis to shrink)."""
    rng = random.Random(seed)
    out: dict[str, Any] = {}
    for section in rng.sample(list(data), len(data)):
        fields = data[section]
        out[section] = {name: rng.sample(fields[name], len(fields[name])) if isinstance(fields[name], list) else fields[name]
                        for name in rng.sample(list(fields), len(fields))}
    return out


def _yaml_text(data: dict[str, Any]) -> str:
    """YAML with dates as YAML dates (unquoted), as a person would write them."""
    def native(path: str, value: Any) -> Any:
        return dt.date.fromisoformat(value) if FACTS[path].kind == "date" and value is not None else value

    plain = {s: {n: native(f"{s}.{n}", v) for n, v in fields.items()} for s, fields in data.items()}
    return yaml.safe_dump(plain, allow_unicode=True, sort_keys=False)


# Order bugs hang on set iteration order, which depends on string hashes: shrinking cannot hold that
# still and runs for minutes without progress, so this property reports the example as found (the
# regression test below keeps the minimal case of the one bug it has found).
@settings(phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(data=case_data(), seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_the_determination_ignores_field_order_and_input_format(data: dict[str, Any], seed: int) -> None:
    """A case as a dict, reordered, as YAML and as JSON gets byte-identical determinations under every rule set."""
    reordered = _shuffled(data, seed)
    forms = {
        "dict": data,
        "reordered dict": reordered,
        "YAML": g.parse_case(_yaml_text(reordered)),
        "JSON": g.parse_case(json.dumps(reordered, ensure_ascii=False)),
    }
    for key, ruleset in RULESETS.items():
        reference = ruleset.evaluate(data).to_json()
        for name, form in forms.items():
            assert ruleset.evaluate(form).to_json() == reference, f"{key}: {name} input decides differently"



def test_chosen_measures_off_the_ladder_come_out_in_the_same_order_in_every_process() -> None:
    """Regression (found by the property above): measures chosen off a rule set's ladder are ordered by code.

    Yangjiang's ladder has neither 函询 nor 批评教育; the choice review sorted them by ladder position only,
    so their order followed set iteration order, which changes with PYTHONHASHSEED: the same case gave
    different JSON (and findings) in different processes.
    """
    code = ("import guanzhi_rules as g\n"
            "d = g.load('yangjiang').evaluate({'decision': {'measures': ['inquiry_letter', 'criticism_education']}})\n"
            "print(d.to_json())")
    outputs = {subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONHASHSEED": str(seed)},
                              capture_output=True, text=True, check=True).stdout for seed in (1, 3)}
    assert len(outputs) == 1
