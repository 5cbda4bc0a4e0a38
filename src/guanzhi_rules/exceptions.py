"""Exceptions raised by guanzhi_rules.

Everything the library raises on bad input, or for a missing optional dependency, derives from
one root::

    GuanzhiError
    ├── RuleSetError (ValueError)           a rule file or overlay is malformed or inconsistent
    │   ├── RuleSetNotFoundError             no bundled rule set has that key, and no such file
    │   └── QuoteError                       an overlay's rule quotes words its cited article lacks
    ├── CaseError (ValueError)              a case fact sheet (or history file) is malformed
    ├── ExpectationFileError (ValueError)   an expected-outcome file (*.guanzhi.yaml) is malformed
    ├── DeterminationError (ValueError)     a stored determination given to verify is malformed
    ├── WorkerError (RuntimeError)          a worker process of a batch run (diff) died or failed
    ├── TableError (ValueError)             a case table cannot be read, or has bad columns or rows
    └── DurableUnavailableError (ImportError)  backend="durable" without durable-rules installed

Rule-set and expectation-file errors carry the file, line and column (rule-set errors also the
rule id or definition name) of the first problem; case errors carry the dotted path of every field in error.
``str(exc)`` is one paragraph a person can act on.

Internal exceptions stay out of the tree because they never reach a caller: ``_yaml.YamlError``
and ``_conditions.ConditionError`` are caught where a document is read and re-raised as a
``RuleSetError``, ``CaseError`` or ``ExpectationFileError`` with its location; the pytest plugin's
``ExpectationFailed`` is the failure outcome of a collected test, reported by pytest itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import guanzhi_rules

__all__ = [
    "CaseError",
    "DeterminationError",
    "DurableUnavailableError",
    "ExpectationFileError",
    "FieldProblem",
    "GuanzhiError",
    "Location",
    "QuoteError",
    "RuleSetError",
    "RuleSetNotFoundError",
    "TableError",
    "WorkerError",
]


class GuanzhiError(Exception):
    """Root of every exception guanzhi_rules raises on bad input.

    Every one pickles and unpickles intact (attributes and message), so an error raised in a
    worker process reaches the caller as it was raised.
    """

    def __reduce__(self) -> tuple[Any, ...]:
        return _rebuild, (type(self), self.args, self.__dict__)


def _rebuild(cls: type[GuanzhiError], args: tuple[Any, ...], state: dict[str, Any]) -> GuanzhiError:
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


@dataclass(frozen=True)
class Location:
    """Where in a file a problem was found (1-based line and column)."""

    path: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        if self.line is None:
            return self.path
        return f"{self.path}:{self.line}:{self.column}"


class RuleSetError(GuanzhiError, ValueError):
    """A rule file or overlay is malformed, refers to unknown names, or contradicts itself.

    ``rule_id`` names the rule at fault, ``definition`` the named condition (``define:``) at fault.
    """

    def __init__(
        self, message: str, *, location: Location | None = None, rule_id: str | None = None, definition: str | None = None,
    ) -> None:
        self.message = message
        self.location = location
        self.rule_id = rule_id
        self.definition = definition
        prefix = str(location) if location else "rule set"
        if rule_id:
            prefix += f" (rule {rule_id})"
        super().__init__(f"{prefix}: {message}")


class RuleSetNotFoundError(RuleSetError):
    """No bundled rule set has the given key and no file exists at the given path."""


class QuoteError(RuleSetError):
    """An overlay's rule quotes words that do not occur under the article it cites (``guanzhi check`` reports it as a citation)."""


@dataclass(frozen=True)
class FieldProblem:
    """One problem with one field of a case."""

    path: str
    message: str


class CaseError(GuanzhiError, ValueError):
    """A case fact sheet is malformed: wrong types, unknown fields, out-of-range values."""

    def __init__(self, problems: list[FieldProblem], *, source: str | None = None) -> None:
        self.problems = tuple(problems)
        self.source = source
        where = f"{source}: " if source else ""
        detail = "; ".join(f"{p.path}: {p.message}" for p in self.problems)
        super().__init__(f"{where}invalid case ({len(self.problems)} problem(s)): {detail}")

    @property
    def paths(self) -> tuple[str, ...]:
        """Dotted paths of the fields in error."""
        return tuple(p.path for p in self.problems)


class ExpectationFileError(GuanzhiError, ValueError):
    """An expected-outcome file is malformed: unreadable YAML, an unknown key, a bad path, an invalid case."""

    def __init__(self, message: str, *, location: Location | None = None) -> None:
        self.message = message
        self.location = location
        super().__init__(f"{location or 'expected-outcome file'}: {message}")


class DeterminationError(GuanzhiError, ValueError):
    """A stored determination given to ``verify`` is unreadable, too large, or not a determination."""


class WorkerError(GuanzhiError, RuntimeError):
    """A worker process of a batch run died or failed unexpectedly; ``detail`` holds its traceback, if any."""

    def __init__(self, message: str, *, detail: str | None = None) -> None:
        self.message = message
        self.detail = detail
        super().__init__(message)


class DurableUnavailableError(GuanzhiError, ImportError):
    """The durable backend was asked for, but durable-rules cannot be imported."""


class TableError(GuanzhiError, ValueError):
    """A case table cannot be read, has columns that are not facts, or has bad rows (and skipping was not asked for).

    ``bad`` lists the rows refused, each naming its row number and the fields in error.
    """

    def __init__(self, message: str, bad: Sequence[object] = ()) -> None:
        self.bad = tuple(bad)
        shown = "".join(f"\n  {b}" for b in self.bad[:20])
        more = f"\n  ... and {len(self.bad) - 20} more" if len(self.bad) > 20 else ""
        super().__init__(message + shown + more)


guanzhi_rules._present(__name__)  # the public names above read as guanzhi_rules.<name>
