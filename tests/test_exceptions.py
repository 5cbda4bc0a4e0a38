"""The exception tree: every exception the package defines is under GuanzhiError, or is internal for a stated reason."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import guanzhi_rules
from guanzhi_rules import exceptions
from guanzhi_rules.exceptions import GuanzhiError

INTERNAL = {
    "guanzhi_rules._conditions.ConditionError": "caught by the loader and re-raised as a RuleSetError with its location",
    "guanzhi_rules._satisfy.OverBudget": "caught by guanzhi check and reported as an over_budget finding with the rule id",
    "guanzhi_rules._satisfy._LongSearch": "the direct search handing a question to the solver, inside _satisfy.witness",
    "guanzhi_rules._yaml.YamlError": "caught where a document is read, re-raised as a RuleSetError, CaseError or ExpectationFileError",
    "guanzhi_rules.pytest_plugin.ExpectationFailed": "the failure outcome of a collected test, reported by pytest itself",
    "guanzhi_rules._service.ProblemError": "answered by the HTTP service as a problem+json response, never raised to a caller",
    "guanzhi_rules._service._TimedOut": "stops a diff job past its time; the job reports it as a problem",
}
"""Exceptions that never reach a caller of the library, and why."""


def _exception_classes() -> dict[str, type[BaseException]]:
    """Every exception class the package's modules define, by dotted name (``__module__`` and ``__qualname__``)."""
    found: dict[str, type[BaseException]] = {}
    for info in pkgutil.walk_packages(guanzhi_rules.__path__, "guanzhi_rules."):
        if info.name == "guanzhi_rules.__main__":  # importing it runs the command line
            continue
        for member in vars(importlib.import_module(info.name)).values():
            if inspect.isclass(member) and issubclass(member, BaseException) and member.__module__.startswith("guanzhi_rules"):
                found[f"{member.__module__}.{member.__qualname__}"] = member
    return found


def test_every_exception_is_in_the_tree_or_internal() -> None:
    """Each exception class in the package derives from GuanzhiError, apart from the internal ones listed with a reason."""
    classes = _exception_classes()
    assert set(INTERNAL) <= set(classes)
    outside = {path for path, cls in classes.items() if not issubclass(cls, GuanzhiError)}
    assert outside == set(INTERNAL)


def test_every_public_exception_is_defined_in_the_exceptions_module() -> None:
    """Every GuanzhiError subclass lives in guanzhi_rules.exceptions and is listed in its __all__, so one module shows the tree."""
    public = {cls for cls in _exception_classes().values() if issubclass(cls, GuanzhiError)}
    assert public == {getattr(exceptions, name) for name in exceptions.__all__ if issubclass(getattr(exceptions, name), BaseException)}
    drawn = exceptions.__doc__ or ""
    assert all(f"── {cls.__name__}" in drawn for cls in public - {GuanzhiError}), "the tree in the module docstring misses one"


def test_exceptions_that_moved_keep_their_bases() -> None:
    """DurableUnavailableError is still an ImportError, and ExpectationFileError still a ValueError."""
    assert issubclass(exceptions.DurableUnavailableError, ImportError)
    assert issubclass(exceptions.ExpectationFileError, ValueError)
