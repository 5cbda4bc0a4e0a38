"""Rule sets: one jurisdiction's compiled rules, indexed by id and stage, immutable once built.

The loader builds a ``RuleSet`` from a rule file, an overlay from its base and the overlay; the
evaluator reads it. ``RuleSet.evaluate`` is the way in for one case.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import guanzhi_rules
from guanzhi_rules._case import Case, parse_case
from guanzhi_rules._compiler import CompiledRule
from guanzhi_rules._rulefile import STAGES, Ladder, RuleFile, Silence, Stage
from guanzhi_rules._suggestions import suggest

if TYPE_CHECKING:
    from guanzhi_rules._determination import Determination
    from guanzhi_rules._overlayfile import Overlay

@dataclass(frozen=True)
class Version:
    """One version of a rule set on its timeline: the rule set as amended by the dated overlays in force from ``in_force_from``.

    ``in_force_from`` is None for the first version, in force from the document's own commencement.
    """

    in_force_from: dt.date | None
    ruleset: RuleSet


class RuleSet:
    """One jurisdiction's rules, validated and compiled. Immutable once loaded."""

    __slots__ = (
        "_by_id", "_by_stage", "_sha256", "file", "in_trace_order", "key", "ladder_order", "overlays", "path", "rules", "silences",
        "versions",
    )
    file: RuleFile
    key: str
    path: Path
    _sha256: str | None
    rules: tuple[CompiledRule, ...]
    ladder_order: Mapping[str, tuple[int, int]]
    """Sort key of each ladder measure's code: (rung, position in the file), lightest first."""
    silences: Mapping[str, Silence]
    in_trace_order: tuple[CompiledRule, ...]
    """The rules by stage, then by their order in the file: the order of a determination's trace."""
    overlays: tuple[Overlay, ...]
    """The overlays applied to the base rule file, in order (empty for a rule file as written)."""
    versions: tuple[Version, ...]
    """The timeline this rule set belongs to, earliest first, where dated overlays (``in_force_from``) amend it; else empty."""
    _by_id: Mapping[str, CompiledRule]
    _by_stage: Mapping[str, tuple[CompiledRule, ...]]

    def __init__(
        self, file: RuleFile, rules: tuple[CompiledRule, ...], path: Path, sha256: str | None, overlays: tuple[Overlay, ...] = (),
    ) -> None:
        """``sha256`` None: the fingerprint of ``file`` itself (``fingerprint``), computed when first asked for."""
        set_ = object.__setattr__
        set_(self, "overlays", overlays)
        set_(self, "versions", ())
        set_(self, "file", file)
        set_(self, "key", file.document.key)
        set_(self, "path", path)
        set_(self, "_sha256", sha256)
        set_(self, "rules", rules)
        set_(self, "_by_id", MappingProxyType({r.id: r for r in rules}))
        set_(self, "_by_stage", MappingProxyType({s: tuple(r for r in rules if r.rule.stage == s) for s in STAGES}))
        set_(self, "ladder_order", MappingProxyType(
            {step.measure.value: (step.rung, i) for i, step in enumerate(file.ladder.steps)}))
        set_(self, "silences", MappingProxyType({s.topic: s for s in file.silent_on}))
        set_(self, "in_trace_order", tuple(sorted(rules, key=lambda r: (STAGES.index(r.rule.stage), r.index))))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"rule sets are immutable after loading (tried to set {name!r})")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"rule sets are immutable after loading (tried to delete {name!r})")

    def __repr__(self) -> str:
        amended = f" + {len(self.overlays)} overlay(s)" if self.overlays else ""
        return f"<RuleSet {self.key}{amended}: {len(self.rules)} rules, sha256 {self.sha256[:12]}>"

    @property
    def sha256(self) -> str:
        """The rule set's fingerprint: of its rule file (``fingerprint``), or, amended, of the base's and each overlay's content.

        A rule file's is computed on first use, not at load: loading every bundled rule set (the cold
        start of every ``guanzhi`` call) then pays only for those a determination names. The file is
        immutable, so the value is the one loading would have computed; a race only computes it twice.
        """
        sha256 = self._sha256
        if sha256 is None:
            sha256 = fingerprint(self.file)
            object.__setattr__(self, "_sha256", sha256)
        return sha256

    def __iter__(self) -> Iterator[CompiledRule]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    @property
    def in_force_from(self) -> dt.date | None:
        """The day this version took effect: the latest ``in_force_from`` of its dated overlays (None: none is dated)."""
        return max((o.overlay.in_force_from for o in self.overlays if o.overlay.in_force_from), default=None)

    @property
    def version(self) -> str | None:
        """The version's name in fingerprints: the day it took effect, or the document's commencement date (None: unknown)."""
        if self.in_force_from is not None:
            return self.in_force_from.isoformat()
        commencement = self.file.document.commencement
        return commencement.date.isoformat() if commencement and commencement.date != "unknown" else None

    def version_on(self, day: dt.date) -> RuleSet:
        """The version of this rule set in force on ``day``: the latest one taking effect by then (the first one before)."""
        chosen = [v for v in self.versions if v.in_force_from is None or v.in_force_from <= day]
        return chosen[-1].ruleset if chosen else self

    @property
    def ladder(self) -> Ladder:
        return self.file.ladder

    def rule(self, rule_id: str) -> CompiledRule:
        """The rule with this id.

        Raises:
            KeyError: no such rule, with a did-you-mean (for an article without its item, "art17", its items).
        """
        try:
            return self._by_id[rule_id]
        except KeyError:
            items = [i for i in self._by_id if i.startswith(rule_id + ".")]
            more = ", ..." if len(items) > 8 else ""
            hint = f"; did you mean one of {', '.join(map(repr, items[:8]))}{more}?" if items else suggest(rule_id, self._by_id)
            raise KeyError(f"no rule {rule_id!r} in {self.key}{hint}") from None

    def targets(self, rule: CompiledRule) -> list[CompiledRule]:
        """The rules ``rule`` defeats when it applies: its ``defeats`` ids and whole ``stage:NAME`` stages."""
        targets: list[CompiledRule] = []
        for name in rule.rule.defeats:
            targets.extend(self.stage(name[6:]) if name.startswith("stage:") else (self.rule(name),))  # type: ignore[arg-type]
        return targets

    def stage(self, stage: Stage) -> tuple[CompiledRule, ...]:
        return self._by_stage[stage]

    def silence(self, topic: str) -> Silence | None:
        return self.silences.get(topic)

    def evaluate(self, case: Case | Mapping[str, Any], *, backend: str = "default", sensitivity: bool = False) -> Determination:
        """Evaluate one case under this rule set.

        Args:
            case: a ``Case``, or a mapping validated as one.
            backend: what decides the rule conditions: ``"default"`` (compiled closures) or
                ``"durable"`` (durable-rules, the ``durable`` extra; one thread at a time). Both give
                the same determination.
            sensitivity: also find each single change of one fact that would change the outcome
                (``Determination.sensitivity``; a few hundred variants of the case, on the batch path).

        Raises:
            CaseError: the mapping is not a valid case.
            ValueError: an unknown backend.
            ImportError: the durable backend without durable-rules installed (a ``GuanzhiError`` too).
        """
        return _evaluate()(self, parse_case(case), backend=backend, sensitivity=sensitivity)


def fingerprint(file: RuleFile) -> str:
    """The SHA-256 of a rule file's canonical JSON: its model's JSON dump with sorted keys, compact, not ASCII-escaped."""
    canonical = json.dumps(file.model_dump(mode="json"), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


@functools.cache
def _evaluate() -> Callable[..., Determination]:
    """The evaluator, imported at the first evaluation (once: an import statement in ``evaluate`` cost more than
    a small rule set's conditions): loading a rule set must not pay for it (cold start)."""
    from guanzhi_rules._evaluator import evaluate  # noqa: PLC0415 - see above

    return evaluate


guanzhi_rules._present(__name__)  # the public names above read as guanzhi_rules.<name>
