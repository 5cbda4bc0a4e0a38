"""Evaluation backends: what decides the truth value of each rule's condition for one case.

The pipeline (``_pipeline``) settles stages, priorities and defeats; a backend only answers, for
some compiled rules and the facts of a case, whether each condition is true, false or unknown.
A backend is registered by name with a factory that takes a rule set's compiled rules and returns
a ``Tester``:

- ``"default"``: each condition's compiled closure (``_conditions``);
- ``"durable"``: the Rete engine of durable-rules (``durable``, the ``durable`` extra), an
  independent check on the first.

Both must give identical determinations on every case; ``tests/test_durable.py`` holds them to it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Protocol

from guanzhi_rules._conditions import Facts

if TYPE_CHECKING:
    from guanzhi_rules._compiler import CompiledRule


class Tester(Protocol):
    """Decides rule conditions for one case."""

    def __call__(self, rules: Sequence[CompiledRule], facts: Facts, /) -> Mapping[str, bool | None]:
        """The truth value (None: unknown) of each rule's condition over ``facts``, by rule id.

        The rules all have conditions; for rules that read other rules' standing (``late``), the
        facts include that standing under ``_conditions.rule_key(rule_id)``.
        """
        ...


def closures(rules: Sequence[CompiledRule], facts: Facts, /) -> dict[str, bool | None]:
    """The default backend: each condition's compiled closure."""
    return {rule.id: rule.condition.test(facts) for rule in rules if rule.condition is not None}


def _default(rules: tuple[CompiledRule, ...]) -> Tester:
    return closures


def _durable(rules: tuple[CompiledRule, ...]) -> Tester:
    from guanzhi_rules._backends.durable import DurableTester  # noqa: PLC0415 - only a durable evaluation pays for its module

    return DurableTester(rules)


BACKENDS: Mapping[str, Callable[[tuple[CompiledRule, ...]], Tester]] = {"default": _default, "durable": _durable}
"""Each backend's name and its factory: compiled rules in, a ``Tester`` out."""


def tester(backend: str, rules: tuple[CompiledRule, ...]) -> Tester:
    """The named backend's tester for these rules.

    Raises:
        ValueError: no backend has that name.
        DurableUnavailableError: (an ImportError) the durable backend without durable-rules installed.
    """
    try:
        factory = BACKENDS[backend]
    except KeyError:
        raise ValueError(f"unknown backend {backend!r}: expected one of {', '.join(map(repr, BACKENDS))}") from None
    return factory(rules)
