from typing import Any

import pytest

from guanzhi_rules._conditions import ConditionError, compile_condition
from guanzhi_rules._facts import FACTS


def facts(**values: Any) -> dict[str, Any]:
    """All facts unknown (sets empty) except those given, by dotted name with __ for dots."""
    out: dict[str, Any] = {p: (frozenset() if s.kind == "set" else None) for p, s in FACTS.items()}
    for key, value in values.items():
        out[key.replace("__", ".")] = value
    return out


A = "subject.is_leading_cadre"
B = "subject.is_party_member"


@pytest.mark.parametrize(
    ("a", "b", "all_", "any_"),
    [
        (True, True, True, True),
        (True, False, False, True),
        (True, None, None, True),
        (False, None, False, None),
        (None, None, None, None),
        (False, False, False, False),
    ],
)
def test_connectives_are_three_valued(a: bool | None, b: bool | None, all_: bool | None, any_: bool | None) -> None:
    """all/any follow Kleene logic: unknown only when the known parts do not settle the result."""
    f = facts(subject__is_leading_cadre=a, subject__is_party_member=b)
    assert compile_condition({"all": [A, B]}, {}).test(f) is all_
    assert compile_condition({"any": [A, B]}, {}).test(f) is any_


@pytest.mark.parametrize(("value", "expected"), [(True, False), (False, True), (None, None)])
def test_not_keeps_unknown_unknown(value: bool | None, expected: bool | None) -> None:
    """Negating an unknown fact stays unknown rather than becoming true."""
    assert compile_condition({"not": A}, {}).test(facts(subject__is_leading_cadre=value)) is expected


@pytest.mark.parametrize(
    ("condition", "value", "expected"),
    [
        ({"fact": "harm.consequences", "at_least": "serious"}, "major", True),
        ({"fact": "harm.consequences", "at_least": "serious"}, "serious", True),
        ({"fact": "harm.consequences", "at_least": "serious"}, "adverse", False),
        ({"fact": "harm.consequences", "at_most": "adverse"}, "none", True),
        ({"fact": "harm.consequences", "at_most": "adverse"}, "serious", False),
        ({"fact": "harm.consequences", "in": ["none", "major"]}, "major", True),
        ({"fact": "harm.consequences", "is": "none"}, "adverse", False),
        ({"fact": "harm.consequences", "at_least": "serious"}, None, None),
    ],
)
def test_ordinal_comparisons_follow_the_scale(condition: dict, value: str | None, expected: bool | None) -> None:
    """at_least/at_most compare by position on the ordered scale, not alphabetically."""
    assert compile_condition(condition, {}).test(facts(harm__consequences=value)) is expected


def test_set_operators() -> None:
    """has, has_any and has_all test membership in a set fact."""
    f = facts(conduct__acts=frozenset({"slacking", "formalism"}))
    assert compile_condition({"fact": "conduct.acts", "has": "slacking"}, {}).test(f) is True
    assert compile_condition({"fact": "conduct.acts", "has_any": ["falsifying", "formalism"]}, {}).test(f) is True
    assert compile_condition({"fact": "conduct.acts", "has_all": ["falsifying", "formalism"]}, {}).test(f) is False


def test_numbers_compare_numerically() -> None:
    """Integer facts compare as numbers."""
    cond = compile_condition({"fact": "performance.consecutive_years_ranked_low", "at_least": 2}, {})
    assert cond.test(facts(performance__consecutive_years_ranked_low=10)) is True
    assert cond.test(facts(performance__consecutive_years_ranked_low=1)) is False


def test_definitions_are_reusable() -> None:
    """{use: NAME} evaluates the named definition."""
    defs = {"cadre": compile_condition(A, {})}
    cond = compile_condition({"all": [{"use": "cadre"}, B]}, defs)
    assert cond.test(facts(subject__is_leading_cadre=True, subject__is_party_member=True)) is True
    assert cond.paths == {A, B}


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        ("subject.is_leading_cadr", "did you mean 'subject.is_leading_cadre'"),
        ({"fact": "harm.influnce", "is": "none"}, "did you mean 'harm.influence'"),
        ({"fact": "harm.influence", "at_leest": "serious"}, "did you mean 'at_least'"),
        ({"fact": "harm.influence", "at_least": "severe"}, "not a value of harm.influence"),
        ({"fact": "harm.influence", "has": "serious"}, "'has' does not apply"),
        ({"fact": "subject.is_party_member", "is": "yes"}, "yes/no fact"),
        ("harm.influence", "only fits yes/no facts"),
        ({"all": []}, "non-empty list"),
        ({"all": [A], "any": [B]}, "cannot be combined"),
        ({"use": "nothing"}, "unknown definition"),
        ({"fact": "harm.influence"}, "exactly one operator"),
        ({"fact": "conduct.acts", "has_any": []}, "non-empty list"),
        (42, "must be a fact name or a mapping"),
    ],
)
def test_malformed_conditions_are_rejected(condition: Any, message: str) -> None:
    """Every malformed condition fails at compile time with an actionable message."""
    with pytest.raises(ConditionError, match=message):
        compile_condition(condition, {})


def test_error_location_points_into_the_condition() -> None:
    """The error's loc is the path to the bad part, so the loader can find its line."""
    with pytest.raises(ConditionError) as info:
        compile_condition({"all": [A, {"any": [B, {"fact": "nope", "is": True}]}]}, {}, ("rules", 3, "when"))
    assert info.value.loc == ("rules", 3, "when", "all", 1, "any", 1, "fact")


def test_repr_reads_like_the_rule_file() -> None:
    """A compiled condition prints as the data it came from."""
    cond = compile_condition({"all": [A, {"fact": "conduct.acts", "has_any": ["slacking", "formalism"]}]}, {})
    assert repr(cond) == (
        "<Condition {all: [{fact: subject.is_leading_cadre, is: true}, "
        "{fact: conduct.acts, has_any: [formalism, slacking]}]}>"
    )
