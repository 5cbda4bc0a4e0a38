"""Audit: would the rules as they stand today decide a stored determination the same way?

A stored determination carries fingerprints of the engine, the rule set and the case. Given the
case again, the determination is recomputed and compared field by field; without it, only the
rule set's fingerprint can be compared.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import guanzhi_rules
from guanzhi_rules import _version
from guanzhi_rules._case import Case, case_sha256
from guanzhi_rules._loader import load_bundled
from guanzhi_rules._ruleset import RuleSet
from guanzhi_rules._yaml import read_regular
from guanzhi_rules.exceptions import DeterminationError


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


MAX_STORED_BYTES = 16 * 1024 * 1024
"""Largest stored determination read: one with its whole trace is well under 1 MB."""


def read_stored(path: Path) -> dict[str, Any]:
    """A stored determination's JSON (or a list of one, as ``evaluate --format json`` writes it), read with a size limit.

    Raises:
        DeterminationError: the file cannot be read, is too large, or is not a JSON object.
    """
    try:
        raw = read_regular(path, MAX_STORED_BYTES)
    except OSError as exc:
        raise DeterminationError(f"{path}: cannot read: {exc.strerror}") from exc
    return parse_stored(raw, str(path))


def parse_stored(raw: bytes | None, where: str) -> dict[str, Any]:
    """``read_stored`` of bytes already read (None: more than ``MAX_STORED_BYTES``), ``where`` naming their origin.

    Raises:
        DeterminationError: too large, or not a JSON object (or a list of one).
    """
    if raw is None or len(raw) > MAX_STORED_BYTES:
        raise DeterminationError(f"{where}: larger than the limit of {MAX_STORED_BYTES} bytes for a stored determination")
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError) as exc:  # not UTF-8, not JSON, or nested past the parser's depth
        raise DeterminationError(f"{where}: not JSON ({type(exc).__name__}: {str(exc)[:200]})") from None
    if isinstance(data, list) and len(data) == 1:  # as evaluate --format json writes one
        data = data[0]
    elif isinstance(data, list):
        raise DeterminationError(f"{where}: a list of {len(data)} determinations; verify takes one (evaluate with a single -j)")
    if not isinstance(data, dict):
        raise DeterminationError(f"{where}: a stored determination is a JSON object, not {type(data).__name__}")
    return data


def verify(stored: Mapping[str, Any], case: Case | None = None, ruleset: RuleSet | None = None) -> Verification:
    """Re-check a stored determination (as parsed JSON) against today's engine and rule set.

    Args:
        stored: the determination's JSON, parsed.
        case: the case it was made for; without it nothing is recomputed.
        ruleset: the rule set to use; by default the bundled one named in the determination.

    Fields are compared as canonical JSON, so a tampered ``1`` for ``true`` or ``1.0`` for ``1``
    is a difference, as it would be to any other reader of the file.

    Raises:
        DeterminationError: the stored data is not a determination (no jurisdiction key, no fingerprints).
        RuleSetNotFoundError: the determination names no bundled rule set.
    """
    jurisdiction = stored.get("jurisdiction") if isinstance(stored, Mapping) else None
    key = jurisdiction.get("key") if isinstance(jurisdiction, Mapping) else None
    old = stored.get("fingerprints") if isinstance(stored, Mapping) else None
    if not isinstance(key, str) or not isinstance(old, Mapping):
        raise DeterminationError("not a stored determination: it needs jurisdiction.key (text) and fingerprints (an object)")
    ruleset = ruleset or load_bundled(key)
    today = {"engine_version": _version.__version__, "ruleset_sha256": ruleset.sha256}
    if case is not None:
        today["case_sha256"] = case_sha256(case)
    differ = {k: (str(old.get(k)), v) for k, v in today.items() if old.get(k) != v}
    if case is None:
        return Verification(key, differ, (), recomputed=False)
    fresh = json.loads(ruleset.evaluate(case).to_json())
    changed = tuple(sorted(k for k in fresh.keys() | stored.keys()
                           if k != "fingerprints" and _canonical(fresh.get(k)) != _canonical(stored.get(k))))
    return Verification(key, differ, changed, recomputed=True)


def _canonical(value: Any) -> str:
    """JSON text that tells apart what Python's == does not (``true`` and ``1``, ``1`` and ``1.0``)."""
    try:
        return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    except (TypeError, ValueError, RecursionError):
        return repr(value)


guanzhi_rules._present(__name__)  # the public names above read as guanzhi_rules.<name>
