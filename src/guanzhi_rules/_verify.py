"""Audit: would the rules as they stand today decide a stored determination the same way?

A stored determination carries fingerprints of the engine, the rule set and the case. Given the
case again, the determination is recomputed and compared field by field; without it, only the
rule set's fingerprint can be compared.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from guanzhi_rules import _version
from guanzhi_rules._case import Case, case_sha256
from guanzhi_rules._loader import load_bundled
from guanzhi_rules._ruleset import RuleSet


@dataclass(frozen=True)
class Verification:
    """The outcome of re-checking one stored determination."""

    jurisdiction: str
    fingerprints: dict[str, tuple[str, str]]
    """Each fingerprint as (stored, today), only where they differ."""
    changed: tuple[str, ...]
    """Top-level fields of the determination that differ when recomputed (empty: same decision)."""
    recomputed: bool

    @property
    def same(self) -> bool:
        """Nothing differs that could be checked: fingerprints, and the decision if recomputed."""
        return not self.changed and not self.fingerprints

    def to_text(self) -> str:
        """A verdict line, then each fingerprint and field that differs."""
        if "case_sha256" in self.fingerprints:
            verdict = "the case given is not the one this determination was made for"
        elif self.changed:
            verdict = "the rules as they stand would decide differently"
        elif not self.recomputed:
            verdict = "case not given: only the engine and rule-set fingerprints were compared" + (
                "; they match" if self.same else "")
        else:
            verdict = "the rules as they stand decide the same" + ("" if self.same else ", but fingerprints differ")
        lines = [f"{self.jurisdiction}: {verdict}"]
        lines += [f"  fingerprint {name}: stored {old}, today {new}" for name, (old, new) in self.fingerprints.items()]
        lines += [f"  changed: {field}" for field in self.changed]
        return "\n".join(lines) + "\n"


def verify(stored: Mapping[str, Any], case: Case | None = None, ruleset: RuleSet | None = None) -> Verification:
    """Re-check a stored determination (as parsed JSON) against today's engine and rule set.

    Args:
        stored: the determination's JSON, parsed.
        case: the case it was made for; without it nothing is recomputed.
        ruleset: the rule set to use; by default the bundled one named in the determination.

    Raises:
        RuleSetError: the determination names no known rule set.
        KeyError: the stored data is not a determination.
    """
    key = stored["jurisdiction"]["key"]
    ruleset = ruleset or load_bundled(key)
    old = stored["fingerprints"]
    today = {"engine_version": _version.__version__, "ruleset_sha256": ruleset.sha256}
    if case is not None:
        today["case_sha256"] = case_sha256(case)
    differ = {k: (str(old.get(k)), v) for k, v in today.items() if old.get(k) != v}
    if case is None:
        return Verification(key, differ, (), recomputed=False)
    fresh = json.loads(ruleset.evaluate(case).to_json())
    changed = tuple(sorted(k for k in fresh.keys() | stored.keys() if k != "fingerprints" and fresh.get(k) != stored.get(k)))
    return Verification(key, differ, changed, recomputed=True)
