"""What reading a YAML (or JSON) document is held to and gives back, without PyYAML itself.

``Limits`` bound every document; ``LocatedDict`` and ``LocatedList`` carry each entry's ``Mark``;
``YamlError`` says what is wrong and where; files are read only up to the size limit. The parser is
``_yamlparse``, kept apart so that what needs none of it, such as loading a bundled rule set from
the cache of parsed rule files (every ``guanzhi`` call's cold start), does not import PyYAML.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import guanzhi_rules

_DEPTH_CEILING = 100
"""Deepest ``max_depth`` allowed: composing and constructing recurse about five frames per level,
so 100 levels leave about half of the default recursion limit to the caller."""


@dataclass(frozen=True)
class Limits:
    """Bounds on one YAML or JSON document; anything beyond them is refused with its position.

    The defaults leave ample room for real rule files and cases (the largest bundled rule file
    is about 90 KB, 4,100 nodes, 13 levels deep, with no scalar longer than 1,000 characters)
    while keeping a hostile document's cost under a second: libyaml refuses it as soon as it
    crosses a limit, and a valid document at the node limit is read in well under a second.

    Raises:
        ValueError: a limit is not a positive integer, or ``max_depth`` exceeds 100.
    """

    max_bytes: int = 1024 * 1024
    """Largest document, in bytes of UTF-8; checked before decoding or parsing."""
    max_depth: int = 64
    """Deepest nesting: the document itself is level 1, each mapping or sequence adds one."""
    max_nodes: int = 25_000
    """Most nodes (mappings, sequences and scalars, keys included) in one document."""
    max_scalar_chars: int = 65_536
    """Longest single scalar (key or value), in characters."""

    def __post_init__(self) -> None:
        for name in ("max_bytes", "max_depth", "max_nodes", "max_scalar_chars"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"Limits.{name} must be a positive integer, got {value!r}")
        if self.max_depth > _DEPTH_CEILING:
            raise ValueError(f"Limits.max_depth must be at most {_DEPTH_CEILING}, got {self.max_depth}")


DEFAULT_LIMITS = Limits()
"""The limits used when none are given: 1 MiB, 64 levels, 25,000 nodes, 65,536-character scalars."""

MAX_BYTES = DEFAULT_LIMITS.max_bytes
"""Largest YAML or JSON document accepted by default, in bytes (``DEFAULT_LIMITS.max_bytes``)."""

MAX_DEPTH = DEFAULT_LIMITS.max_depth
"""Deepest nesting of mappings and sequences accepted by default (``DEFAULT_LIMITS.max_depth``)."""


@dataclass(frozen=True)
class Mark:
    line: int
    column: int


class YamlError(ValueError):
    """The text is not acceptable YAML; ``mark`` says where (1-based), when known.

    Errors found before parsing (size, encoding) name a 0-based byte offset in the message and
    in ``offset``.
    """

    def __init__(self, message: str, mark: Mark | None = None, *, offset: int | None = None) -> None:
        self.message = message
        self.mark = mark
        self.offset = offset
        super().__init__(message)


class LocatedDict(dict[str, Any]):
    """A mapping that knows the position of itself and of each of its keys."""

    mark: Mark
    key_marks: dict[str, Mark]


class LocatedList(list[Any]):
    """A sequence that knows the position of itself and of each of its items."""

    mark: Mark
    item_marks: list[Mark]


def too_large(limits: Limits) -> YamlError:
    """The error for a document larger than ``limits.max_bytes``."""
    return YamlError(f"document is larger than the limit of {limits.max_bytes} bytes (byte offset {limits.max_bytes} is past it); "
                     "raise Limits.max_bytes to accept it", offset=limits.max_bytes)


def read_limited(path: Path, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """Read a regular file, but never more than ``limits.max_bytes + 1`` bytes of it.

    The file is opened without blocking and refused unless it is a regular file, so a FIFO, a
    device or ``/dev/stdin`` on a terminal is an error rather than a wait that never ends.

    Raises:
        OSError: the file cannot be read, or is not a regular file.
        YamlError: the file is larger than ``limits.max_bytes``.
    """
    raw = read_regular(path, limits.max_bytes)
    if raw is None:
        raise too_large(limits)
    return raw


def read_regular(path: Path, max_bytes: int) -> bytes | None:
    """The bytes of a regular file, or None where it holds more than ``max_bytes``.

    Raises:
        OSError: the file cannot be opened, or is not a regular file (a directory, FIFO, device).
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as file:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        raw = file.read(max_bytes + 1)
    return None if len(raw) > max_bytes else raw


def json_default(value: object) -> str:
    """``json.dumps`` hook: YAML dates become ISO strings, which strict JSON-mode validation accepts."""
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not a plain data value")


def locate(data: Any, loc: tuple[str | int, ...]) -> Mark | None:
    """The position of the deepest entry along ``loc`` that the located data knows."""
    best = getattr(data, "mark", None)
    node = data
    for part in loc:
        if isinstance(node, LocatedDict) and isinstance(part, str) and part in node:
            best = node.key_marks.get(part, best)
            node = node[part]
        elif isinstance(node, LocatedList) and isinstance(part, int) and 0 <= part < len(node):
            best = node.item_marks[part]
            node = node[part]
        else:
            break
    return best


guanzhi_rules._present(__name__)  # the public names above read as guanzhi_rules.<name>
