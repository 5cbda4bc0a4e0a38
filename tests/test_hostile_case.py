"""Hostile cases: a bad fact sheet is a CaseError naming the field in error, never another exception.

Covers wrong types, negative counts and amounts, dates outside the accepted window or out of
order, unknown fields, huge strings and collections, NaN and infinity, and values that are not
plain data; then a property: however a valid case is corrupted, evaluation gives a
Determination or a CaseError.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any
from unittest import mock

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

import guanzhi_rules as g
from guanzhi_rules import Case, CaseError, Determination
from guanzhi_rules._case import EARLIEST_DATE, LATEST_DATE, MAX_ITEMS, MAX_TEXT
from guanzhi_rules._facts import FACTS
from tests.strategies import case_data
from tests.support import LEADING_CADRE, merge

RULESETS = g.load_all()
DATE_PATHS = sorted(path for path, spec in FACTS.items() if spec.kind == "date")


VALIDATED_CHARS = 64 * 1024
"""How much JSON text a refused case may hand to model validation: the hostile cases below carry
from 200 KB to 10 MB, which must be refused by the screen before serialisation and validation."""


def refused(data: Any) -> CaseError:
    """The CaseError that validating ``data`` raises, having handed model validation at most ``VALIDATED_CHARS`` of text.

    Measuring the text validated rather than seconds holds on a loaded machine, and still fails if
    a huge string or collection reaches serialisation and validation before it is refused.
    """
    validated: list[int] = []
    validate = Case.model_validate_json

    def spy(text: str | bytes, *args: Any, **kwargs: Any) -> Case:
        validated.append(len(text))
        return validate(text, *args, **kwargs)

    with mock.patch.object(Case, "model_validate_json", spy), pytest.raises(CaseError) as info:
        g.parse_case(data)
    assert sum(validated) <= VALIDATED_CHARS, f"validated {sum(validated)} characters of JSON before refusing"
    return info.value


def nested(path: str, value: Any) -> dict[str, Any]:
    """``{"a": {"b": value}}`` for the path ``a.b``."""
    section, name = path.split(".")
    return {section: {name: value}}


@pytest.mark.parametrize(
    ("data", "path"),
    [
        ({"subject": {"is_leading_cadre": "true"}}, "subject.is_leading_cadre"),
        ({"subject": {"team_members_held_accountable": 1.5}}, "subject.team_members_held_accountable"),
        ({"subject": ["person"]}, "subject"),
        ({"conduct": {"acts": "slacking"}}, "conduct.acts"),
        ({"conduct": {"acts": [1]}}, "conduct.acts.0"),
        ({"harm": {"loss_amount_cny": "100"}}, "harm.loss_amount_cny"),
        ({"harm": {"loss_amount_cny": True}}, "harm.loss_amount_cny"),
        ({"dates": {"conduct": 20200101}}, "dates.conduct"),
        ({"decision": {"measures": {"removal": True}}}, "decision.measures"),
        ({"id": 7}, "id"),
    ],
)
def test_wrong_types_name_the_field(data: dict[str, Any], path: str) -> None:
    """A value of the wrong type is not coerced: the error names its dotted path."""
    assert path in refused(data).paths


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("subject.team_members_held_accountable", -1),
        ("performance.consecutive_years_ranked_low", -3),
        ("harm.loss_amount_cny", -0.01),
        ("harm.loss_amount_cny", -1e9),
    ],
)
def test_negative_counts_and_amounts_are_refused(path: str, value: float) -> None:
    """Counts and amounts cannot be negative, whether given as a mapping or as YAML."""
    assert refused(nested(path, value)).paths == (path,)
    assert refused(yaml.safe_dump(nested(path, value))).paths == (path,)


@pytest.mark.parametrize("path", DATE_PATHS)
@pytest.mark.parametrize("value", [dt.date(1, 1, 1), dt.date(9999, 12, 31), dt.date(1949, 9, 30), dt.date(2101, 1, 1)],
                         ids=str)
def test_dates_outside_the_window_are_refused(path: str, value: dt.date) -> None:
    """Year 1, year 9999 and the days just outside 1949-10-01..2100-12-31 are refused, as ISO text or YAML dates."""
    section, name = path.split(".")
    assert refused(nested(path, value.isoformat())).paths == (path,)
    error = refused(f"{section}:\n  {name}: {value.isoformat()}\n")
    assert error.paths == (path,)
    assert "outside the accepted window 1949-10-01 to 2100-12-31" in str(error)


@pytest.mark.parametrize("path", DATE_PATHS)
def test_dates_at_the_window_edges_are_accepted(path: str) -> None:
    """The window is inclusive at both ends."""
    section, name = path.split(".")
    for edge in (EARLIEST_DATE, LATEST_DATE):
        assert getattr(getattr(g.parse_case(nested(path, edge.isoformat())), section), name) == edge


@pytest.mark.parametrize("key", sorted(RULESETS))
@pytest.mark.parametrize(("conduct", "later"), [(EARLIEST_DATE, EARLIEST_DATE), (EARLIEST_DATE, LATEST_DATE), (LATEST_DATE, LATEST_DATE)],
                         ids=["all-earliest", "spanning", "all-latest"])
def test_dates_at_the_window_edges_evaluate(key: str, conduct: dt.date, later: dt.date) -> None:
    """A sanctioned case dated at the edges of the window evaluates (freeze ends and deadlines do not overflow)."""
    case = g.read_case("examples/cases/uncorrected_admonition.yaml").model_dump(mode="json")
    case["dates"] = {"conduct": conduct.isoformat()} | {p.split(".")[1]: later.isoformat() for p in DATE_PATHS if p.startswith("dates.")
                                                         and p != "dates.conduct"}
    case["decision"]["date"] = later.isoformat()
    assert isinstance(RULESETS[key].evaluate(case), Determination)


@pytest.mark.parametrize(
    ("earlier", "later"),
    [
        ("dates.conduct", "decision.date"),
        ("dates.conduct", "dates.decision_served"),
        ("decision.date", "dates.decision_served"),
        ("dates.conduct", "dates.clue_received"),
        ("dates.conduct", "dates.rectified"),
    ],
)
def test_dates_out_of_order_name_both_fields(earlier: str, later: str) -> None:
    """A date that must follow another but precedes it is refused at its path, naming the other date."""
    data = merge(nested(earlier, "2020-06-01"), nested(later, "2020-05-31"))
    error = refused(data)
    assert error.paths == (later,)
    assert earlier in str(error) and "2020-05-31" in str(error) and "2020-06-01" in str(error)
    assert g.parse_case(merge(nested(earlier, "2020-06-01"), nested(later, "2020-06-01")))  # the same day is fine


def test_decision_before_conduct_in_yaml_is_refused() -> None:
    """The example of the task: a decision dated before the conduct, written as YAML."""
    error = refused("dates:\n  conduct: 2020-07-14\ndecision:\n  date: 2020-07-13\n")
    assert error.paths == ("decision.date",)
    assert "dates.conduct" in str(error)


def test_every_date_out_of_order_is_reported() -> None:
    """Several dates out of order are each reported, not only the first."""
    error = refused({"dates": {"conduct": "2020-06-01", "clue_received": "2020-01-01", "rectified": "2020-02-01"}})
    assert set(error.paths) == {"dates.clue_received", "dates.rectified"}


def test_an_application_before_the_conduct_is_not_an_error() -> None:
    """Tolerance-of-error applications may be filed in advance (事前备案): their order is not checked."""
    assert g.parse_case({"dates": {"conduct": "2020-06-01", "application_received": "2020-01-01"}})


@pytest.mark.parametrize(
    ("data", "path", "hint"),
    [
        ({"subjects": {}}, "subjects", "did you mean 'subject'"),
        ({"conduct": {"act": []}}, "conduct.act", "did you mean 'acts'"),
        ({"harm": {"loss_amount": 5}}, "harm.loss_amount", "did you mean 'loss_amount_cny'"),
        ({"__class__": {}}, "__class__", "unknown field"),
    ],
)
def test_unknown_fields_are_named(data: dict[str, Any], path: str, hint: str) -> None:
    """Unknown fields are refused with their path and, where one is close, a did-you-mean."""
    error = refused(data)
    assert error.paths == (path,)
    assert hint in str(error)


BIG = "x" * 10_000_000


@pytest.mark.parametrize(
    ("data", "path"),
    [
        ({"summary": BIG}, "summary"),
        ({"id": BIG}, "id"),
        ({"conduct": {"acts": [BIG]}}, "conduct.acts.0"),
        ({"harm": {"consequences": BIG}}, "harm.consequences"),
        ({"subject": {BIG: True}}, "subject." + "x" * 40 + "..."),
        ({BIG: {}}, "x" * 40 + "..."),
    ],
    ids=["summary", "id", "set-member", "code", "field-name", "section-name"],
)
def test_ten_megabyte_strings_are_refused_briefly(data: dict[str, Any], path: str) -> None:
    """A 10 MB string is refused at its path in well under a second, and the message does not repeat it."""
    error = refused(data)
    assert error.paths == (path,)
    assert len(str(error)) < 500


def test_text_up_to_the_limit_is_accepted() -> None:
    """The bound on strings is MAX_TEXT characters, inclusive."""
    assert g.parse_case({"summary": "字" * MAX_TEXT}).summary == "字" * MAX_TEXT


@pytest.mark.parametrize(
    ("data", "path"),
    [
        ({"conduct": {"acts": ["slacking"] * 100_000}}, "conduct.acts"),
        ({"context": {f"field_{i}": True for i in range(10_000)}}, "context"),
        ({f"section_{i}": {} for i in range(10_000)}, "(case)"),
    ],
    ids=["list", "section", "case"],
)
def test_huge_collections_are_refused(data: dict[str, Any], path: str) -> None:
    """Lists and mappings longer than MAX_ITEMS are refused whole, before any item is examined."""
    error = refused(data)
    assert error.paths == (path,)
    assert f"more than the limit of {MAX_ITEMS}" in str(error)


def test_deep_and_cyclic_mappings_are_refused() -> None:
    """Regression: a mapping nested 100,000 deep crashed JSON encoding with RecursionError; a cycle is refused too."""
    deep: dict[str, Any] = {}
    inner = deep
    for _ in range(100_000):
        inner["conduct"] = {}
        inner = inner["conduct"]
    assert refused(deep).paths == ("conduct.conduct.conduct",)
    cyclic: dict[str, Any] = {}
    cyclic["subject"] = cyclic
    assert refused(cyclic).paths == ("subject.subject.subject",)


@pytest.mark.parametrize(
    ("data", "path"),
    [
        ('{"harm": {"loss_amount_cny": NaN}}', "harm.loss_amount_cny"),
        ('{"harm": {"loss_amount_cny": Infinity}}', "harm.loss_amount_cny"),
        ('{"harm": {"loss_amount_cny": -Infinity}}', "harm.loss_amount_cny"),
        (json.loads('{"harm": {"loss_amount_cny": NaN}}'), "harm.loss_amount_cny"),
        (json.loads('{"harm": {"loss_amount_cny": Infinity}}'), "harm.loss_amount_cny"),
        (json.loads('{"subject": {"team_members_held_accountable": -Infinity}}'), "subject.team_members_held_accountable"),
        (json.loads('{"conduct": {"acts": [NaN]}}'), "conduct.acts.0"),
        ("harm:\n  loss_amount_cny: .nan\n", "harm.loss_amount_cny"),
        ("harm:\n  loss_amount_cny: .inf\n", "harm.loss_amount_cny"),
        ("harm:\n  loss_amount_cny: -.inf\n", "harm.loss_amount_cny"),
        ("harm:\n  loss_amount_cny: 1.0e+999\n", "harm.loss_amount_cny"),
    ],
    ids=["json-nan", "json-inf", "json-neg-inf", "loaded-nan", "loaded-inf", "loaded-int-field", "loaded-set-member",
         "yaml-nan", "yaml-inf", "yaml-neg-inf", "yaml-overflow"],
)
def test_nan_and_infinity_are_refused_at_their_path(data: str | dict[str, Any], path: str) -> None:
    """NaN and ±infinity, from JSON text, json.loads, or YAML, are refused at their path (not as an unplaced '(case)')."""
    assert refused(data).paths == (path,)


@pytest.mark.parametrize(
    ("value", "path"),
    [
        ({"slacking"}, "conduct.acts"),
        (b"slacking", "conduct.acts"),
        (object(), "conduct.acts"),
        (2**200, "conduct.acts"),
    ],
    ids=["set", "bytes", "object", "huge-int"],
)
def test_values_that_are_not_plain_data_are_named(value: Any, path: str) -> None:
    """Values JSON cannot carry are refused at their path, not as an unplaced serialisation error."""
    assert refused({"conduct": {"acts": value}}).paths == (path,)


# --- property: corruption never escapes as anything but CaseError -------------------------------

SECTIONS = sorted({path.split(".")[0] for path in FACTS})
NAMES = sorted({path.split(".")[1] for path in FACTS})

junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["person", "serious", "major", "slacking", "yes", "", "2020-02-30", "0001-01-01", "9999-12-31"]),
    st.dates(),
    st.dates().map(dt.date.isoformat),
    st.lists(st.one_of(st.sampled_from(["slacking", "formalism", "party"]), st.integers()), max_size=3),
    st.dictionaries(st.text(max_size=6), st.integers(), max_size=2),
)


@st.composite
def corrupted_case(draw: st.DrawFn) -> dict[str, Any]:
    """A valid case (or the leading-cadre base) with one to four random corruptions."""
    data = copy.deepcopy(draw(st.one_of(case_data(), st.just(LEADING_CADRE))))
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        action = draw(st.sampled_from(["set", "date", "drop", "section", "top"]))
        section = draw(st.sampled_from([*SECTIONS, "subjects", "x"]))
        name = draw(st.sampled_from([*NAMES, "kinds", ""]))
        if action == "set":
            part = data.setdefault(section, {})
            if isinstance(part, dict):
                part[name] = draw(junk)
        elif action == "date":
            path = draw(st.sampled_from(DATE_PATHS)).split(".")
            value = draw(st.dates(min_value=dt.date(1940, 1, 1), max_value=dt.date(2110, 12, 31)))
            part = data.setdefault(path[0], {})
            if isinstance(part, dict):
                part[path[1]] = value.isoformat()
        elif action == "drop" and isinstance(data.get(section), dict):
            data[section].pop(name, None)
        elif action == "section":
            data[section] = draw(junk)
        else:
            data[name or "id"] = draw(junk)
    return data


@given(data=corrupted_case(), key=st.sampled_from(sorted(RULESETS)))
def test_corrupted_cases_give_a_determination_or_a_case_error(data: dict[str, Any], key: str) -> None:
    """However a valid case is corrupted, evaluation returns a Determination or raises CaseError, nothing else."""
    try:
        determination = RULESETS[key].evaluate(data)
    except CaseError as exc:
        assert exc.problems
        return
    assert isinstance(determination, Determination)


@given(data=case_data(), key=st.sampled_from(sorted(RULESETS)), edits=st.lists(
    st.tuples(st.floats(min_value=0, max_value=1, exclude_max=True), st.binary(min_size=0, max_size=3)), min_size=1, max_size=4))
def test_corrupted_case_text_gives_a_determination_or_a_case_error(data: dict[str, Any], key: str,
                                                                    edits: list[tuple[float, bytes]]) -> None:
    """Random bytes spliced into a case's YAML text give a Determination or a CaseError, nothing else."""
    text = bytearray(yaml.safe_dump(data, allow_unicode=True).encode())
    for where, replacement in edits:
        at = int(where * len(text))
        text[at:at + len(replacement)] = replacement
    try:
        case = g.parse_case(bytes(text))
    except CaseError as exc:
        assert exc.problems
        return
    assert isinstance(RULESETS[key].evaluate(case), Determination)
