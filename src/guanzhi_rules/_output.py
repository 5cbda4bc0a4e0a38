"""How much of the trace a JSON determination carries: the one place the ``--trace`` levels are defined.

A determination's trace lists every rule of the rule set, with its citation and the facts it read;
it is most of the JSON (about 60% of a Benxi determination). Callers that need only the outcome
leave it out. The levels, shared by the CLI (``--trace``) and the HTTP API (``trace``):

``full``
    the determination exactly as ``Determination.to_json()`` writes it.
``steps``
    each trace step keeps its position, rule id, stage, result and what it defeated or was defeated
    by; the facts it read and its citation are left out (a rule's citation is the same in every case:
    the rule set gives it, ``GET /rulesets/{key}``).
``none``
    no ``trace`` field at all. Everything else (findings with their citations and facts, open
    questions, the decision space, fingerprints) is kept.

The JSON stays deterministic at every level: the same fields in the same order, only fewer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from guanzhi_rules._compare import Comparison
    from guanzhi_rules._determination import Determination

TraceLevel = Literal["full", "steps", "none"]
"""How much of the trace a JSON determination carries (see the module docstring)."""

TRACE_LEVELS: tuple[TraceLevel, ...] = ("full", "steps", "none")

_STEP_DETAIL = frozenset({"facts", "citation"})
"""What ``steps`` leaves out of each trace step."""


def trace_exclusion(trace: TraceLevel) -> Any:
    """The ``exclude`` argument of ``model_dump_json`` that leaves out what ``trace`` does not keep (None for full)."""
    if trace == "full":
        return None
    if trace == "steps":
        return {"trace": {"__all__": set(_STEP_DETAIL)}}
    if trace == "none":
        return {"trace"}
    raise ValueError(f"trace must be one of {', '.join(TRACE_LEVELS)} (got {trace!r})")


def determination_json(determination: Determination, *, trace: TraceLevel = "full", indent: int | None = 2) -> str:
    """The determination's deterministic JSON with as much of the trace as ``trace`` asks for.

    ``trace="full"`` is exactly ``determination.to_json(indent=indent)``.
    """
    from guanzhi_rules._determination import written  # noqa: PLC0415 - a determination given: its module is loaded

    return written(determination, indent=indent, exclude=trace_exclusion(trace))


def comparison_json(comparison: Comparison, *, trace: TraceLevel = "full", indent: int | None = 2) -> str:
    """A comparison's deterministic JSON, each of its determinations with as much of the trace as ``trace`` asks for."""
    exclude = trace_exclusion(trace)
    if exclude is None:
        return comparison.to_json(indent=indent)
    return comparison.model_dump_json(indent=indent, exclude={"determinations": {"__all__": exclude}})
