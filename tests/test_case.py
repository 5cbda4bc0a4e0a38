import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from guanzhi_rules import Case, CaseError, parse_case, read_case
from guanzhi_rules._case import canonical_case_json
from guanzhi_rules._facts import FACTS, flatten

from .strategies import case_data


def test_unknown_field_is_named_with_a_suggestion() -> None:
    """An unknown field is rejected with its dotted path and the nearest valid name."""
    with pytest.raises(CaseError) as info:
        parse_case({"conduct": {"actz": ["falsifying"]}})
    assert info.value.paths == ("conduct.actz",)
    assert "did you mean 'acts'" in str(info.value)


def test_unknown_section_is_named_with_a_suggestion() -> None:
    """A misspelt section is reported at the top level with a did-you-mean."""
    with pytest.raises(CaseError, match="did you mean 'harm'"):
        parse_case({"harms": {}})


@pytest.mark.parametrize(
    ("data", "path"),
    [
        ({"subject": {"is_leading_cadre": "yes"}}, "subject.is_leading_cadre"),
        ({"subject": {"is_leading_cadre": 1}}, "subject.is_leading_cadre"),
        ({"performance": {"consecutive_years_ranked_low": "2"}}, "performance.consecutive_years_ranked_low"),
        ({"performance": {"consecutive_years_ranked_low": -1}}, "performance.consecutive_years_ranked_low"),
        ({"harm": {"loss_amount_cny": -5}}, "harm.loss_amount_cny"),
        ({"harm": {"consequences": "catastrophic"}}, "harm.consequences"),
        ({"conduct": {"acts": ["falsify"]}}, "conduct.acts.0"),
        ({"dates": {"conduct": "2019-02-30"}}, "dates.conduct"),
        ({"summary": "x" * 5000}, "summary"),
    ],
)
def test_bad_values_are_rejected_with_their_path(data: dict, path: str) -> None:
    """No coercion: wrong types, unknown codes and out-of-range values name the field in error."""
    with pytest.raises(CaseError) as info:
        parse_case(data)
    assert path in info.value.paths


def test_nan_is_rejected() -> None:
    """NaN cannot stand for a loss amount."""
    with pytest.raises(CaseError):
        parse_case({"harm": {"loss_amount_cny": float("nan")}})


def test_yaml_yes_is_not_a_boolean() -> None:
    """YAML 1.1's `yes` is a string here, so it cannot silently become True."""
    with pytest.raises(CaseError, match=r"subject\.is_party_member"):
        parse_case("subject:\n  is_party_member: yes\n")


def test_yaml_and_mapping_give_the_same_case() -> None:
    """A case read from YAML equals the same case given as a mapping with ISO date strings."""
    text = "dates:\n  conduct: 2019-06-10\nconduct:\n  acts: [slacking, formalism]\n"
    mapping = {"conduct": {"acts": ["formalism", "slacking"]}, "dates": {"conduct": "2019-06-10"}}
    assert parse_case(text) == parse_case(mapping)
    assert parse_case(text).dates.conduct == dt.date(2019, 6, 10)


def test_non_mapping_is_rejected() -> None:
    """A YAML list or scalar is not a case."""
    with pytest.raises(CaseError, match="must be a mapping"):
        parse_case("- a\n- b\n")


def test_missing_file_is_a_case_error(tmp_path: Path) -> None:
    """Reading a case that does not exist raises CaseError naming the file."""
    with pytest.raises(CaseError, match="cannot read"):
        read_case(tmp_path / "missing.yaml")


def test_cases_are_immutable() -> None:
    """A validated case cannot be changed in place."""
    case = parse_case({})
    with pytest.raises(ValidationError):
        case.subject.is_leading_cadre = True  # type: ignore[misc]


def test_canonical_json_ignores_order() -> None:
    """Key order and set order do not change a case's canonical form (and so its hash)."""
    a = parse_case({"conduct": {"acts": ["slacking", "formalism"]}, "subject": {"kind": "person"}})
    b = parse_case({"subject": {"kind": "person"}, "conduct": {"acts": ["formalism", "slacking"]}})
    assert canonical_case_json(a) == canonical_case_json(b)


def test_case_instances_pass_through() -> None:
    """An already validated Case is accepted as is."""
    case = Case()
    assert parse_case(case) is case


def test_numbers_follow_yaml_1_2_and_json() -> None:
    """JSON exponents are numbers; YAML 1.1 oddities (sexagesimal, hex) are not silently numbers."""
    assert parse_case('{"harm": {"loss_amount_cny": 1e3}}').harm.loss_amount_cny == 1000.0
    with pytest.raises(CaseError, match="loss_amount_cny"):
        parse_case("harm: {loss_amount_cny: 1:30}")


def test_new_facts_are_unknown_or_empty_by_default() -> None:
    """A case written before responsibility, interim measures and grades existed still validates, with them unknown or empty."""
    case = parse_case({"subject": {"kind": "person"}})
    assert case.subject.responsibility is None
    assert case.inquiry.interim_measures == frozenset()
    assert case.decision.discipline_grades == frozenset()


def test_grade_of_discipline_needs_its_kind_listed() -> None:
    """留党察看 without party discipline listed is refused at decision, naming the kind to add."""
    with pytest.raises(CaseError, match="belong to party") as info:
        parse_case({"decision": {"discipline_grades": ["party_probation"]}})
    assert info.value.paths == ("decision",)


def test_grades_of_both_kinds_are_accepted_when_both_are_listed() -> None:
    """A party grade and a public-office grade together are valid when both kinds of discipline are listed."""
    case = parse_case({"decision": {"discipline": ["party", "public_office"], "discipline_grades": ["party_warning", "demerit"]}})
    assert {g.value for g in case.decision.discipline_grades} == {"party_warning", "demerit"}


def test_responsibility_and_interim_measures_take_only_their_codes() -> None:
    """An unknown responsibility or interim-measure code is rejected with its path."""
    with pytest.raises(CaseError) as info:
        parse_case({"subject": {"responsibility": "main"}, "inquiry": {"interim_measures": ["detention"]}})
    assert set(info.value.paths) == {"subject.responsibility", "inquiry.interim_measures.0"}


# -- canonical JSON and flattening, against the way they were built before (kept here as references) --


def _canonical_the_old_way(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _canonical_the_old_way(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [_canonical_the_old_way(v) for v in value]
        return sorted(items) if all(isinstance(v, str) for v in items) else items
    return value


def canonical_json_the_old_way(case: Case) -> str:
    """The canonical JSON as it was built before: the model's JSON dump, its sets sorted, then written out."""
    return json.dumps(_canonical_the_old_way(case.model_dump(mode="json")), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


@st.composite
def _records(draw: st.DrawFn) -> Case:
    """A generated case with its free text and place recorded too (non-ASCII, quotes, escapes)."""
    data = draw(case_data())
    text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
    data["id"] = draw(st.none() | text.filter(bool))
    data["summary"] = draw(st.none() | text)
    data["place"] = draw(st.sampled_from([{}, {"division": "441700"}, {"division": "210500", "zone": "210500_high_tech_zone"}]))
    data["place"] = {**data["place"], "name": draw(st.none() | text.filter(bool))}
    return parse_case(data)


@settings(max_examples=150)
@given(case=_records())
def test_canonical_json_is_the_model_dump_sorted(case: Case) -> None:
    """The canonical JSON written straight from the sections is byte for byte the model's JSON dump with sets sorted."""
    assert canonical_case_json(case) == canonical_json_the_old_way(case)


def test_canonical_json_writes_every_kind_of_field() -> None:
    """Codes, sets of codes, dates, numbers, text and the place all reach the canonical form as the dump writes them."""
    case = parse_case({
        "id": "案-1 \"q\"", "summary": "说明\n", "subject": {"kind": "person", "rank": "division"},
        "conduct": {"acts": ["not_implementing_decisions", "falsifying"]}, "harm": {"loss_amount_cny": 5.0},
        "dates": {"conduct": "2021-03-04"}, "place": {"division": "210500", "zone": "210500_high_tech_zone", "name": "本溪"}})
    written = json.loads(canonical_case_json(case))
    assert written["conduct"]["acts"] == ["falsifying", "not_implementing_decisions"]
    assert written["dates"]["conduct"] == "2021-03-04" and written["harm"]["loss_amount_cny"] == 5.0
    assert written["place"] == {"division": "210500", "zone": "210500_high_tech_zone", "name": "本溪"}
    assert canonical_case_json(case) == canonical_json_the_old_way(case)


def flatten_the_old_way(case: Case) -> dict[str, Any]:
    """The facts as they were read before: one ``getattr`` per fact, the dotted name built each time."""
    return {path: getattr(getattr(case, path.split(".")[0]), path.split(".")[1]) for path in FACTS}


@settings(max_examples=100)
@given(case=_records())
def test_flatten_reads_every_fact_as_before(case: Case) -> None:
    """Reading the facts off the sections' fields at once gives the same names, order and values as one by one."""
    facts = flatten(case)
    assert list(facts) == list(FACTS)
    assert facts == flatten_the_old_way(case)
