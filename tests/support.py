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


def row_ids(rows: list[tuple[Any, ...]]) -> list[str]:
    """pytest ids for table rows keyed by rule id: art6.1-1, art6.1-2, ..."""
    seen: dict[str, int] = {}
    out = []
    for row in rows:
        n = seen[row[0]] = seen.get(row[0], 0) + 1
        out.append(f"{row[0]}-{n}")
    return out


def appears(det: Determination, rule_id: str) -> bool:
    """Whether the rule shows among the determination's conclusions, not only in its trace."""
    findings = [c.finding for c in det.circumstances]
    if det.exemption.outcome in ("eligible", "granted"):
        findings += det.exemption.exemptions
    findings += det.exemption.bars
    findings += [f.finding for f in det.factors]
    findings += det.sanctions.bands
    findings += [r.finding for r in det.referrals]
    findings += [s.finding for s in det.statements]
    if det.scope.finding is not None:
        findings.append(det.scope.finding)
    findings += [d.finding for d in det.deadlines]
    choices = [f.rule_id for f in det.choice.findings] if det.choice else []
    items = [i for m in det.consequences for i in m.items] + list(det.general_consequences)
    if rule_id in choices:
        return True
    return any(f.rule_id == rule_id for f in findings) or any(i.rule_id == rule_id for i in items)


def assert_near_miss(det: Determination, rule_id: str, missing: str) -> None:
    """The rule does not apply and shows nowhere among the conclusions."""
    assert det.step(rule_id).result == "does_not_apply", f"{rule_id} applied although {missing} is missing"
    assert not appears(det, rule_id)


def assert_undetermined_by(det: Determination, rule_id: str, unknown: dict[str, Any]) -> None:
    """The rule is undetermined and its open question names the one fact ``unknown`` removed."""
    assert det.step(rule_id).result == "undetermined"
    (question,) = [q for q in det.open_questions if q.rule_id == rule_id]
    (section,) = unknown
    (name,) = unknown[section]
    assert f"{section}.{name}" in question.unknown_facts
