"""Three-valued (Kleene) logic, for one value and for columns, written once.

One value is ``True``, ``False`` or ``None`` (unknown). A column of values is a pair of boolean
arrays ``(true, false)``: a row in neither is unknown. ``all`` is false if any part is false and
true only if every part is true; ``any`` is true if any part is true and false only if every part
is false; ``not`` swaps true and false and keeps unknown unknown.

Nothing here imports numpy: the column functions use only the array operators, so they work on
numpy arrays without tying the single-case path to numpy.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

T = TypeVar("T")

Kleene = tuple[Any, Any]
"""A column of three-valued results: ``(true, false)`` boolean arrays; a row in neither is unknown."""


def all3(values: Iterable[bool | None]) -> bool | None:
    """Kleene ``and``: False if any value is False, else None if any is unknown, else True."""
    unknown = False
    for value in values:
        if value is False:
            return False
        if value is None:
            unknown = True
    return None if unknown else True


def any3(values: Iterable[bool | None]) -> bool | None:
    """Kleene ``or``: True if any value is True, else None if any is unknown, else False."""
    unknown = False
    for value in values:
        if value is True:
            return True
        if value is None:
            unknown = True
    return None if unknown else False


def all3_of(
    tests: tuple[Callable[[T], bool | None], ...], read: Callable[[T], tuple[bool | None, ...]] | None = None,
) -> Callable[[T], bool | None]:
    """``all3`` of the tests' values as one test, each test run only until one is False (a compiled ``all``).

    ``read``, if given, gives the values of further parts at once (a tuple, e.g. an ``operator.itemgetter``
    of yes/no facts), weighed before ``tests``.
    """

    def test(facts: T) -> bool | None:
        unknown = False
        if read is not None:
            values = read(facts)
            if False in values:
                return False
            unknown = None in values
        for t in tests:
            value = t(facts)
            if value is False:
                return False
            if value is None:
                unknown = True
        return None if unknown else True

    return test


def any3_of(
    tests: tuple[Callable[[T], bool | None], ...], read: Callable[[T], tuple[bool | None, ...]] | None = None,
) -> Callable[[T], bool | None]:
    """``any3`` of the tests' values as one test, each test run only until one is True (a compiled ``any``).

    ``read`` as for ``all3_of``.
    """

    def test(facts: T) -> bool | None:
        unknown = False
        if read is not None:
            values = read(facts)
            if True in values:
                return True
            unknown = None in values
        for t in tests:
            value = t(facts)
            if value is True:
                return True
            if value is None:
                unknown = True
        return None if unknown else False

    return test


def not3(value: bool | None) -> bool | None:
    """Kleene ``not``: unknown stays unknown."""
    return None if value is None else not value


def all_columns(parts: Iterable[Kleene]) -> Kleene:
    """Kleene ``and`` of columns: true where every part is true, false where any part is false."""
    trues, falses = zip(*parts, strict=True)
    return functools.reduce(operator.and_, trues), functools.reduce(operator.or_, falses)


def any_columns(parts: Iterable[Kleene]) -> Kleene:
    """Kleene ``or`` of columns: true where any part is true, false where every part is false."""
    trues, falses = zip(*parts, strict=True)
    return functools.reduce(operator.or_, trues), functools.reduce(operator.and_, falses)


def not_columns(part: Kleene) -> Kleene:
    """Kleene ``not`` of a column: true and false swap places."""
    true, false = part
    return false, true
