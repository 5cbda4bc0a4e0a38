"""Helpers shared by the test modules: building cases and rule files, reading results, running the CLI.

A helper lives here once more than one test module uses it; one module's own helpers stay in it.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from hypothesis import strategies as st

import guanzhi_rules as g
from guanzhi_rules import Determination
from guanzhi_rules._cli import main


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


def combine(*patches: dict[str, Any]) -> dict[str, Any]:
    """Several patches merged into one, in order, later ones winning (see ``merge``)."""
    out: dict[str, Any] = {}
    for patch in patches:
        out = merge(out, patch)
    return out


def case(*patches: dict[str, Any]) -> dict[str, Any]:
    """``LEADING_CADRE`` (a county party-organ leading cadre acting within their responsibility) with the patches merged in order."""
    return combine(LEADING_CADRE, *patches)


def base_cases(rows: Iterable[tuple[str, dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    """The first patch of each rule id in a table of (rule id, patch) rows: each rule's base case."""
    base: dict[str, dict[str, Any]] = {}
    for rule_id, patch in rows:
        base.setdefault(rule_id, patch)
    return base


def evaluate(key: str, case: dict[str, Any]) -> Determination:
    """The determination of a case (as a mapping) under the rule set ``key``."""
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


def levels(enum: type) -> st.SearchStrategy[Any]:
    """A hypothesis strategy for one code of ``enum``, or unknown (``None``)."""
    return st.none() | st.sampled_from([m.value for m in enum])


def subset(enum: type) -> st.SearchStrategy[list[str]]:
    """A hypothesis strategy for up to six distinct codes of ``enum``."""
    return st.lists(st.sampled_from([m.value for m in enum]), unique=True, max_size=6)


def normalise(text: str) -> str:
    """Text with all whitespace removed, for finding a quote in an official source."""
    return re.sub(r"\s+", "", text)


def run(*args: str) -> tuple[int, str, str]:
    """Run the ``guanzhi`` CLI in process through click's runner: (exit code, stdout, stderr)."""
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


MINIMAL_RULE_FILE = """\
document:
  key: sample
  title: 示例
  issuer: 示例机关
  issued: unknown
  source: benxi.txt
ladder:
  citations: [{article: 第八条, quote: 批评教育}]
  steps:
    - {measure: criticism_education, rung: 1}
rules:
  - id: scope
    stage: scope
    modality: shall
    label: {zh: 范围, en: scope}
    when: subject.is_leading_cadre
    then: [{scope: covered}]
    citation: {article: 第二条, quote: 本办法适用于}
  - id: trigger
    stage: circumstance
    modality: shall
    label: {zh: 情形, en: trigger}
    when: {fact: conduct.acts, has: falsifying}
    then: [{category: {zh: 不担当, en: failure}}]
    citation: {article: 第六条, item: （二）, quote: 弄虚作假的}
"""
"""A small well-formed rule file: a scope rule and one circumstance, citing Benxi's source."""


def write(directory: Path, content: str | bytes, name: str = "sample.yaml") -> Path:
    """Write text (as UTF-8) or bytes to ``directory/name``; the path."""
    path = directory / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def applies_or_gives_way(det: Determination, key: str, rule_id: str) -> bool:
    """The rule applies; or it is a catch-all and a listed item of its stage applies instead (a catch-all is for
    *other* conduct, so it gives way where the conduct meets a listed item)."""
    rule = g.load(key).rule(rule_id)
    if det.step(rule_id).result == "applies":
        return True
    listed = [r.id for r in g.load(key).stage(rule.rule.stage) if not r.rule.catch_all]
    return rule.rule.catch_all and any(det.step(r).result == "applies" for r in listed)
