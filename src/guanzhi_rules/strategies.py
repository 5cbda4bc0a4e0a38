"""Hypothesis strategies for valid case fact sheets, for property-based tests of rule sets.

Needs hypothesis, which is not a runtime dependency: install the ``testing`` extra
(``pip install 'guanzhi-rules[testing]'``). ``import guanzhi_rules`` never imports this module.

Typical use::

    from hypothesis import given
    import guanzhi_rules as g
    from guanzhi_rules import strategies as gs

    @given(gs.in_scope_cases("benxi", acts=["perfunctory"]))
    def test_perfunctory_leading_cadres_are_never_exempt(case):
        assert g.load("benxi").evaluate(case).exemption.outcome == "not_provided"

Whole cases (``cases()``, ``case_data()`` without arguments) follow the model of the seeded
population sampler behind population diffs (``guanzhi_rules._population``), from the same value
domains and bounds: every fact is independently present or unknown with even odds; a present fact
takes a value from its domain (any code of its vocabulary; 0 to ``MAX_SET`` (4) distinct codes for a
set; 0 to ``MAX_COUNT`` (12) for a count; 0 to ``MAX_AMOUNT`` (1e9) for an amount; a day from
``FIRST_DAY`` to ``LAST_DAY`` (2010-2030) for a date), and the dates whose order is certain (a
decision after the conduct, ...) are assigned in that order, so every case is valid. The domains
and bounds are the sampler's own (imported from it), so the two cannot drift apart.
Hypothesis chooses values its own way (it favours simple values and shrinks failures), so the
support is the same but the frequencies are not.

The focused strategies narrow that model:

- ``subject_kind``: a person or an organisation;
- ``acts``: conduct codes that must be among ``conduct.acts`` (others may join them);
- ``tolerance``: every fact tolerance-of-error (容错免责) and exemption provisions ask about
  (``TOLERANCE_FACTS``) is known, so exemptions and their bars are decided rather than open;
- ``known`` and ``fixed``: any facts made present, or pinned to a value;
- ``in_scope_cases`` / ``out_of_scope_cases``: subjects a given rule set covers, or does not.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import math
from collections.abc import Iterable, Mapping
from typing import Any, Literal, NamedTuple

try:
    from hypothesis import strategies as st
except ModuleNotFoundError as exc:  # pragma: no cover - exercised in a subprocess without hypothesis
    if exc.name != "hypothesis":
        raise
    raise ImportError(
        "guanzhi_rules.strategies needs hypothesis, which is not installed; "
        "install the testing extra: pip install 'guanzhi-rules[testing]'") from exc

from guanzhi_rules._backends import closures
from guanzhi_rules._case import Case, parse_case
from guanzhi_rules._columns import DOMAINS
from guanzhi_rules._facts import FACTS, FactSpec, flatten
from guanzhi_rules._loader import load
from guanzhi_rules._pipeline import CaseState, Scope, decide_scope, plan_of
from guanzhi_rules._population import FIRST_DAY, LAST_DAY, MAX_AMOUNT, MAX_COUNT, MAX_SET, ORDERED_DATES
from guanzhi_rules._ruleset import RuleSet
from guanzhi_rules._suggestions import suggest
from guanzhi_rules._vocab import DISCIPLINE_OF_GRADE, Act, SubjectKind, Vocab
from guanzhi_rules.exceptions import CaseError

__all__ = [
    "FIRST_DAY",
    "LAST_DAY",
    "MAX_AMOUNT",
    "MAX_COUNT",
    "MAX_SET",
    "SUBJECT_FACTS",
    "TOLERANCE_FACTS",
    "case_data",
    "cases",
    "fact_values",
    "in_scope_case_data",
    "in_scope_cases",
    "out_of_scope_case_data",
    "out_of_scope_cases",
]

SUBJECT_FACTS: tuple[str, ...] = tuple(path for path in FACTS if path.startswith("subject."))
"""Every fact of the ``subject`` section: who is held accountable."""

TOLERANCE_FACTS: tuple[str, ...] = (
    *(path for path in FACTS if path.startswith("context.")),
    "conduct.knowingly",
    "conduct.within_responsibility",
    "findings.other_tolerable",
    "inquiry.allegation",
    "inquiry.reported_promptly_and_truthfully",
    "inquiry.corrected_before_inquiry",
    "inquiry.remedied_effectively",
)
"""The facts tolerance-of-error (容错免责) and exemption provisions ask about, as the fact sheet names them.

Every ``context`` fact (reform or pilot, exploratory trial, lack of experience, policy unclear,
emergency, force majeure, collective decision followed, objection recorded, private gain,
favouritism, express prohibition at the time, ...), whether the subject acted knowingly and within
their duties, the finding that an error is of a tolerable kind a list leaves open, whether an
allegation was fabricated or mistaken (clearing the wrongly accused), and timely reporting and
correction. The harm qualifiers some provisions add ("没有造成较大影响") are ordinary harm facts.
"""

_DATE_POSITION = {path: i for i, path in enumerate(ORDERED_DATES)}


def fact_values(path: str) -> st.SearchStrategy[Any]:
    """Values of one fact as plain data (codes as strings, sets as lists, dates as ISO strings).

    Args:
        path: a dotted fact name, such as ``"harm.influence"``.

    Raises:
        ValueError: no such fact (with a did-you-mean).
    """
    return _VALUES[_spec(path).path]


def _spec(path: str) -> FactSpec:
    try:
        return FACTS[path]
    except KeyError:
        raise ValueError(f"unknown fact {path!r}{suggest(path, FACTS)}") from None


def _value(spec: FactSpec) -> st.SearchStrategy[Any]:
    values = DOMAINS[spec.path]
    if spec.kind == "set":
        assert values is not None
        return st.lists(st.sampled_from(values), max_size=min(MAX_SET, len(values)), unique=True)
    if values is not None:
        return st.sampled_from(values)
    if spec.kind == "int":
        return st.integers(min_value=0, max_value=MAX_COUNT)
    if spec.kind == "number":
        return st.floats(min_value=0, max_value=MAX_AMOUNT, allow_nan=False, allow_infinity=False)
    return st.dates(min_value=FIRST_DAY, max_value=LAST_DAY).map(dt.date.isoformat)


_VALUES: dict[str, st.SearchStrategy[Any]] = {path: _value(spec) for path, spec in FACTS.items()}
"""The value strategy of each fact, built once (strategies are cheaper to reuse than to rebuild)."""


def _checked_acts(acts: Iterable[str]) -> tuple[str, ...]:
    if isinstance(acts, str):
        raise TypeError(f"acts must be a list of act codes, not the string {acts!r}")
    codes = [m.value for m in Act]
    out = tuple(dict.fromkeys(acts))
    for code in out:
        if code not in codes:
            raise ValueError(f"unknown act code {code!r}{suggest(code, codes)}")
    return out


def _checked_fixed(fixed: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for path, value in fixed.items():
        _spec(path)
        section, name = path.split(".")
        try:
            parse_case({section: {name: value}})
        except CaseError as exc:
            raise ValueError(f"fixed value for {path}: {'; '.join(p.message for p in exc.problems)}") from exc
        out[path] = sorted(value) if isinstance(value, (set, frozenset)) else value
    return out


def case_data(
    *,
    subject_kind: Literal["person", "organisation"] | None = None,
    acts: Iterable[str] = (),
    tolerance: bool = False,
    known: Iterable[str] = (),
    fixed: Mapping[str, Any] | None = None,
) -> st.SearchStrategy[dict[str, Any]]:
    """Valid cases as plain data (nested dicts: codes as strings, sets as lists, dates as ISO strings).

    Without arguments, every fact is independently present or unknown, as in the population
    sampler (see the module docstring). The arguments narrow that:

    Args:
        subject_kind: ``"person"`` or ``"organisation"``: fixes ``subject.kind``.
        acts: act codes that are always among ``conduct.acts``; up to four others may join them.
        tolerance: every fact of ``TOLERANCE_FACTS`` is present (with any value).
        known: further dotted fact names that are always present (with any value).
        fixed: dotted fact names pinned to a value (given as in a case file; sets as lists). A
            fixed date keeps its value; drawn dates that would be out of order with it are left out.

    Raises:
        ValueError: an unknown fact name or act code (with a did-you-mean), a subject kind other
            than person or organisation, or a fixed value the fact cannot take.
    """
    return _case_data(_plan(subject_kind=subject_kind, acts=acts, tolerance=tolerance, known=known, fixed=fixed), None)


class _Plan(NamedTuple):
    """What ``case_data``'s arguments come to, checked."""

    pinned: dict[str, Any]
    required: tuple[str, ...]
    present: frozenset[str]


def _plan(
    *, subject_kind: str | None, acts: Iterable[str], tolerance: bool, known: Iterable[str], fixed: Mapping[str, Any] | None,
) -> _Plan:
    pinned = _checked_fixed(fixed or {})
    if subject_kind is not None:
        kinds = [m.value for m in SubjectKind]
        if subject_kind not in kinds:
            raise ValueError(f"subject_kind must be one of {', '.join(kinds)}, not {subject_kind!r}")
        if pinned.get("subject.kind", subject_kind) != subject_kind:
            raise ValueError(f"subject_kind {subject_kind!r} contradicts fixed subject.kind {pinned['subject.kind']!r}")
        pinned["subject.kind"] = subject_kind
    present = {_spec(path).path for path in known} | (set(TOLERANCE_FACTS) if tolerance else set())
    return _Plan(pinned, _checked_acts(acts), frozenset(present))


@st.composite
def _case_data(draw: st.DrawFn, plan: _Plan, profiles: st.SearchStrategy[tuple[tuple[str, Any], ...]] | None) -> dict[str, Any]:
    """A case drawn to ``plan``; with ``profiles``, one of them is drawn first and pinned too."""
    pinned, required, present = plan
    if profiles is not None:
        pinned = {**pinned, **dict(draw(profiles))}
    data: dict[str, dict[str, Any]] = {}
    for path in FACTS:
        section, name = path.split(".")
        if path in pinned:
            data.setdefault(section, {})[name] = pinned[path]
        elif path == "conduct.acts" and required:
            drawn = draw(_VALUES[path]) if draw(st.booleans()) else []
            data.setdefault(section, {})[name] = [*required, *(a for a in drawn if a not in required)]
        elif path in present or draw(st.booleans()):
            data.setdefault(section, {})[name] = draw(_VALUES[path])
    _order_dates(data, pinned)
    _discipline_of_grades(data, pinned)
    return data


def _discipline_of_grades(data: dict[str, dict[str, Any]], pinned: Mapping[str, Any]) -> None:
    """List the kind of every drawn grade of discipline; with the kinds pinned, keep only the grades of those kinds."""
    decision = data.get("decision", {})
    grades = decision.get("discipline_grades", [])
    if not grades:
        return
    kinds = {DISCIPLINE_OF_GRADE[g].value: None for g in grades}
    if "decision.discipline" in pinned:
        allowed = {str(k) for k in pinned["decision.discipline"]}
        decision["discipline_grades"] = [g for g in grades if DISCIPLINE_OF_GRADE[g].value in allowed]
    else:
        decision["discipline"] = [*decision.get("discipline", []), *(k for k in kinds if k not in decision.get("discipline", []))]


def _order_dates(data: dict[str, dict[str, Any]], pinned: Mapping[str, Any]) -> None:
    """Give the drawn dates whose order is certain to their facts in that order, keeping pinned ones."""
    drawn = [p for p in ORDERED_DATES if p not in pinned and p.split(".")[1] in data.get(p.split(".")[0], {})]
    values = sorted(_get(data, p) for p in drawn)
    for path, value in zip(drawn, values, strict=True):
        section, name = path.split(".")
        data[section][name] = value
    fixed_dates = [(p, str(pinned[p])) for p in ORDERED_DATES if pinned.get(p) is not None]
    for path in drawn:
        value = _get(data, path)
        for other, when in fixed_dates:
            before = _DATE_POSITION[path] < _DATE_POSITION[other]
            if (value > when) if before else (value < when):
                section, name = path.split(".")
                del data[section][name]  # out of order with a pinned date: leave it unknown
                break


def _get(data: Mapping[str, Mapping[str, Any]], path: str) -> Any:
    section, name = path.split(".")
    return data[section][name]


def cases(
    *,
    subject_kind: Literal["person", "organisation"] | None = None,
    acts: Iterable[str] = (),
    tolerance: bool = False,
    known: Iterable[str] = (),
    fixed: Mapping[str, Any] | None = None,
) -> st.SearchStrategy[Case]:
    """Valid cases as validated ``Case`` objects; the arguments are those of ``case_data``.

    Raises:
        ValueError: as ``case_data``.
    """
    strategy = case_data(subject_kind=subject_kind, acts=acts, tolerance=tolerance, known=known, fixed=fixed)
    return strategy.map(parse_case)


_MAX_PROFILES = 1_000_000
"""Most combinations of scope-relevant facts enumerated for one rule set (the bundled ones need under 10,000)."""


def _outcome(ruleset: RuleSet, facts: Mapping[str, Any]) -> Scope:
    """The scope outcome the evaluator reaches on these facts (priorities and defeats included)."""
    plan = plan_of(ruleset)
    return decide_scope(CaseState(plan, facts, closures))[0]


# Bounded: keyed by rule set, and a test session can build many (overlays, generated rule files);
# a strategy asks for a handful of outcome sets per rule set, so 64 entries keep every hit that matters.
@functools.lru_cache(maxsize=64)
def _profiles(ruleset: RuleSet, wanted: frozenset[str]) -> tuple[tuple[tuple[str, Any], ...], ...] | None:
    """Every assignment of the facts the scope rules read that gives a wanted outcome.

    None when the scope rules read something other than coded subject facts (then the scoped
    strategies draw whole subjects and filter them), or when there are too many combinations.
    """
    paths = sorted({p for rule in ruleset.stage("scope") if rule.condition is not None for p in rule.condition.paths})
    domains = [DOMAINS.get(p) if p in SUBJECT_FACTS else None for p in paths]
    if any(d is None for d in domains) or math.prod(len(d or ()) for d in domains) > _MAX_PROFILES:
        return None
    profiles = []
    # Rules read codes as the case model holds them (enum members), so test with those, keep the codes.
    members = [[_member(p, v) for v in d or ()] for p, d in zip(paths, domains, strict=True)]
    for values in itertools.product(*members):
        if _outcome(ruleset, dict(zip(paths, values, strict=True))) in wanted:
            profiles.append(tuple((p, v.value if isinstance(v, Vocab) else v) for p, v in zip(paths, values, strict=True)))
    return tuple(profiles)


def _member(path: str, code: Any) -> Any:
    values = FACTS[path].values
    return code if values is None else next(m for m in values if m.value == code)


def _scoped(ruleset: RuleSet, wanted: frozenset[str], what: str, kwargs: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    plan = _plan(**{**kwargs, "known": (*kwargs["known"], *SUBJECT_FACTS)})
    profiles = _profiles(ruleset, wanted)
    if profiles is None:
        return _case_data(plan, None).filter(lambda data: _outcome(ruleset, flatten(parse_case(data))) in wanted)
    fitting = [p for p in profiles if all(plan.pinned.get(path, value) == value for path, value in p)]
    if not fitting:
        raise ValueError(f"no subject {what} rule set {ruleset.key!r}" + (" with the fixed subject facts" if plan.pinned else ""))
    return _case_data(plan, st.sampled_from(fitting))


def _ruleset(ruleset: str | RuleSet) -> RuleSet:
    return ruleset if isinstance(ruleset, RuleSet) else load(ruleset)


def in_scope_case_data(
    ruleset: str | RuleSet,
    *,
    subject_kind: Literal["person", "organisation"] | None = None,
    acts: Iterable[str] = (),
    tolerance: bool = False,
    known: Iterable[str] = (),
    fixed: Mapping[str, Any] | None = None,
) -> st.SearchStrategy[dict[str, Any]]:
    """Valid cases as plain data whose subject ``ruleset`` covers (covered, or covered by reference).

    Every subject fact is known, and the subjects are spread evenly over the combinations of the
    facts the scope rules read that lead to coverage; the rest of the case follows ``case_data``
    with the same arguments.

    Args:
        ruleset: a bundled key, a rule-file path, or a loaded ``RuleSet``.

    Raises:
        ValueError: as ``case_data``, or no subject fits (given the fixed subject facts).
        RuleSetError: the rule set cannot be loaded.
    """
    kwargs = {"subject_kind": subject_kind, "acts": tuple(acts), "tolerance": tolerance, "known": tuple(known), "fixed": fixed}
    return _scoped(_ruleset(ruleset), frozenset({"covered", "covered_by_reference"}), "is covered by", kwargs)


def in_scope_cases(
    ruleset: str | RuleSet,
    *,
    subject_kind: Literal["person", "organisation"] | None = None,
    acts: Iterable[str] = (),
    tolerance: bool = False,
    known: Iterable[str] = (),
    fixed: Mapping[str, Any] | None = None,
) -> st.SearchStrategy[Case]:
    """Valid cases whose subject ``ruleset`` covers, as validated ``Case`` objects (see ``in_scope_case_data``).

    Raises:
        ValueError: as ``case_data``, or no subject fits.
        RuleSetError: the rule set cannot be loaded.
    """
    return in_scope_case_data(
        ruleset, subject_kind=subject_kind, acts=acts, tolerance=tolerance, known=known, fixed=fixed).map(parse_case)


def out_of_scope_case_data(
    ruleset: str | RuleSet,
    *,
    subject_kind: Literal["person", "organisation"] | None = None,
    acts: Iterable[str] = (),
    tolerance: bool = False,
    known: Iterable[str] = (),
    fixed: Mapping[str, Any] | None = None,
) -> st.SearchStrategy[dict[str, Any]]:
    """Valid cases as plain data whose subject ``ruleset`` does not cover (scope outcome ``not_covered``).

    Every subject fact is known, spread as in ``in_scope_case_data``.

    Args:
        ruleset: a bundled key, a rule-file path, or a loaded ``RuleSet``.

    Raises:
        ValueError: as ``case_data``, or no subject fits (a rule set that covers everyone).
        RuleSetError: the rule set cannot be loaded.
    """
    kwargs = {"subject_kind": subject_kind, "acts": tuple(acts), "tolerance": tolerance, "known": tuple(known), "fixed": fixed}
    return _scoped(_ruleset(ruleset), frozenset({"not_covered"}), "is outside the scope of", kwargs)


def out_of_scope_cases(
    ruleset: str | RuleSet,
    *,
    subject_kind: Literal["person", "organisation"] | None = None,
    acts: Iterable[str] = (),
    tolerance: bool = False,
    known: Iterable[str] = (),
    fixed: Mapping[str, Any] | None = None,
) -> st.SearchStrategy[Case]:
    """Valid cases whose subject ``ruleset`` does not cover, as validated ``Case`` objects.

    Raises:
        ValueError: as ``case_data``, or no subject fits.
        RuleSetError: the rule set cannot be loaded.
    """
    return out_of_scope_case_data(
        ruleset, subject_kind=subject_kind, acts=acts, tolerance=tolerance, known=known, fixed=fixed).map(parse_case)
