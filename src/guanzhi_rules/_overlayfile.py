"""The overlay format: pydantic models for what an overlay file may contain (``docs/authoring.md``).

These models check shape only, as ``_rulefile`` does for rule files; ``_overlay`` reads overlay
files and applies them to the rule set they amend.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Literal

from pydantic import Field, model_validator

from guanzhi_rules._rulefile import ConditionData, Rule, Text, _Model

_PATH = r"^[a-z_][a-z0-9_]*(\.([a-z_][a-z0-9_]*|[0-9]+))*$"
_FIXED = ("id", "stage")
"""Keys of a rule that ``set`` may not change: they say which rule it is."""


class Header(_Model):
    """The ``overlay:`` header: which rule set the overlay amends, and what the proposal is."""

    base: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="Key of the rule set amended (its document.key).")
    title: Text = Field(description="The proposal, in a line.")
    note: Text | None = Field(default=None, description="Why, for the record.")
    in_force_from: dt.date | None = Field(
        default=None, description="The day the amendment takes effect: a dated overlay makes a new version of the rule set "
        "from that day, and cases are decided under the version in force at their dates. Omitted: a proposal, applied to "
        "every version.")


class Change(_Model):
    """One ``set:`` entry: put ``value`` at ``path`` inside one rule, or one named condition."""

    rule: str | None = Field(default=None, description="Id of the rule changed.")
    define: str | None = Field(default=None, description="Name of the named condition (define:) changed.")
    path: str | None = Field(
        default=None, pattern=_PATH,
        description="Where in the rule (or definition): dot-separated keys and list indexes, e.g. then.0.freeze.months.")
    value: ConditionData = Field(description="The new value: plain data, validated as the rule file format requires.")
    reason: Text | None = Field(default=None, description="Why, for the record.")

    @model_validator(mode="after")
    def _one_target(self) -> Change:
        if (self.rule is None) == (self.define is None):
            raise ValueError("a set entry names exactly one of 'rule' or 'define'")
        if self.rule is not None and self.path is None:
            raise ValueError("a set entry for a rule needs a 'path' (to change the whole rule, use replace)")
        if self.rule is not None and self.path is not None and self.path.split(".")[0] in _FIXED:
            raise ValueError(f"a rule's {self.path.split('.')[0]!r} cannot be set: replace the rule, or remove it and add a new one")
        return self

    def parts(self) -> list[str | int]:
        return [int(p) if p.isdigit() else p for p in self.path.split(".")] if self.path else []


class Overlay(_Model):
    """An overlay file: the header, then rules removed, replaced and added, and parameters set."""

    overlay: Header
    remove: tuple[str, ...] = Field(default=(), description="Ids of base rules to remove.")
    replace: tuple[Rule, ...] = Field(default=(), description="Whole rules, each replacing the base rule with its id.")
    add: tuple[Rule, ...] = Field(default=(), description="Whole rules with new ids, appended.")
    set_: tuple[Change, ...] = Field(default=(), alias="set", description="Parameters changed, applied in order after the rest.")
    drop_silence: tuple[Literal["exemption", "aggravating", "mitigating", "freeze_length", "procedure"], ...] = Field(
        default=(), description="Topics of the base's silent_on that the proposal now provides for: their statements are dropped.")

    @property
    def empty(self) -> bool:
        """The overlay changes nothing."""
        return not (self.remove or self.replace or self.add or self.set_ or self.drop_silence)

    def canonical(self) -> str:
        """The overlay's content as canonical JSON (sorted keys), the basis of the fingerprint."""
        data = self.model_dump(mode="json", by_alias=True)
        if not self.drop_silence:  # added after the first overlays were written: keep their fingerprints
            del data["drop_silence"]
        if self.overlay.in_force_from is None:  # likewise
            del data["overlay"]["in_force_from"]
        return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))

