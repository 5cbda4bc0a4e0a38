"""Helpers shared by the tests: building cases from small patches and reading results."""

from __future__ import annotations

import copy
from typing import Any

import guanzhi_rules as g
from guanzhi_rules import Determination


def merge(base: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """A deep copy of ``base`` with ``patch`` merged in (nested dicts merge; other values replace).

    A value of ``None`` in the patch deletes the key, which is how a test removes one qualifier.
    """
    out = copy.deepcopy(base)
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


LEADING_CADRE: dict[str, Any] = {
    "subject": {
        "kind": "person",
        "organisation_type": "party_organ",
        "administrative_level": "county",
        "is_leading_cadre": True,
        "is_state_functionary": True,
        "is_party_member": True,
    },
    "conduct": {"within_responsibility": True},
}
"""A leading cadre of a county party organ acting within their responsibility: no conduct yet."""


def evaluate(key: str, case: dict[str, Any]) -> Determination:
    return g.load(key).evaluate(case)


def result(key: str, case: dict[str, Any], rule_id: str) -> str:
    """The trace result of one rule for a case under one rule set."""
    return evaluate(key, case).step(rule_id).result
