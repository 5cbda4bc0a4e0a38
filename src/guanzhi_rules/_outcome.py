"""Outcomes: the part of a determination a population diff compares — what was decided, not why or when.

``outcome_of`` projects a traced determination; ``outcomes`` evaluates many cases and is the
entry point the fast batch paths plug into. Every fast path must give exactly
``outcome_of(ruleset.evaluate(case))`` for every case; the differential tests hold it to that.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from guanzhi_rules._case import Case
from guanzhi_rules._determination import ConsequenceItem, Determination
from guanzhi_rules._ruleset import RuleSet

_ITEM_FIELDS = {"freeze", "awards", "annual_grade", "status", "statement"}


class Outcome(NamedTuple):
    """What one rule set decided about one case, without dates, citations or trace."""

    scope: str
    """``ScopeOutcome.outcome``: covered, covered_by_reference, not_covered or undetermined."""
    exemption: str
    """``ExemptionOutcome.outcome``: granted, eligible, barred, none, not_provided or undetermined."""
    accountable: bool | None
    measures: tuple[str, ...]
    """The sanction range on the rule set's own ladder, lightest first."""
    consequences: tuple[str, ...]
    """One canonical line per consequence item (``measure|rule|content``), dates left out."""
    applied: tuple[str, ...]
    """Ids of the rules that applied and were not defeated, in trace order."""


def item_line(measure: str, item: ConsequenceItem) -> str:
    """A consequence item as one canonical line: what follows, not when."""
    return f"{measure}|{item.rule_id}|{item.model_dump_json(include=_ITEM_FIELDS, exclude_none=True)}"


def outcome_of(determination: Determination) -> Outcome:
    """The outcome a traced determination records."""
    d = determination
    lines = [item_line(m.measure, item) for m in d.consequences for item in m.items]
    lines += [item_line("", item) for item in d.general_consequences]
    return Outcome(
        scope=d.scope.outcome, exemption=d.exemption.outcome, accountable=d.sanctions.accountable,
        measures=d.sanctions.measures, consequences=tuple(lines), applied=d.applied())


def outcomes(ruleset: RuleSet, cases: Sequence[Case]) -> list[Outcome]:
    """The outcome of each case under ``ruleset``, in order, by the batch evaluator."""
    from guanzhi_rules import _batch

    return [o for start, size in _batch.chunks(cases) for o in _batch.outcomes_of(ruleset, _batch.columns_of(cases, start, size))]
