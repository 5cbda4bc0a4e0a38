"""The official texts, parsed into their numbered structure so citations can be checked against them.

A source is read line by line. A line that starts with a heading number opens a node:

==========  =====================  ====  ==========================
kind        example                rank  address label
==========  =====================  ====  ==========================
part        《…暂行办法》 (a title)   0     (matched by ``Citation.part``)
chapter     第一章 总则               1     (not part of addresses)
article     第六条 / 二、            2     ``第六条`` / ``二``
subsection  （一） / (一)            3     ``(一)``
number      1. / 1．                4     ``1``
item        （1） / (1)              5     ``(1)``
==========  =====================  ====  ==========================

A node ends where the next heading of the same or a higher rank begins, so a node's text
includes its sub-items (and any closing paragraph after its last sub-item, which the line
structure cannot tell apart). Text is compared with all whitespace removed, the only
normalisation besides dropping newspaper page-continuation marks such as ``(下转第九版)``.

The text before the first numbered unit (a document's heading, covering notice, signature and
date) is the *preamble*, which a citation names as the article ``文首``.

Addresses: a citation's ``article`` and ``item`` are read as one sequence of labels —
``第六条`` + ``（三）``, or ``二(二)1`` + ``(3)`` — with full-width and half-width brackets and
points treated alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from guanzhi_rules._yaml import read_regular

_CN = "零一二三四五六七八九十百"
_HEADINGS: tuple[tuple[str, int, re.Pattern[str]], ...] = (
    ("part", 0, re.compile(r"^《(?P<label>[^》]+)》$")),
    ("chapter", 1, re.compile(rf"^第[{_CN}]+章")),
    ("article", 2, re.compile(rf"^(?P<label>第[{_CN}]+条)")),
    ("article", 2, re.compile(rf"^(?P<label>[{_CN}]+)、")),
    ("subsection", 3, re.compile(rf"^[（(](?P<label>[{_CN}]+)[)）]")),
    ("number", 4, re.compile(r"^(?P<label>\d+)[.．](?!\d)")),
    ("item", 5, re.compile(r"^[（(](?P<label>\d+)[)）]")),
)
_PAGE_MARKS = re.compile(r"[（(][上下][接转]第[^)）]*版[)）]")
_WHITESPACE = re.compile(r"\s+")
_ADDRESS_TOKEN = re.compile(
    rf"第[{_CN}]+条|[（(][{_CN}]+[)）]|[（(]\d+[)）]|\d+[.．]?|[{_CN}]+、?")
ENUMERATED = frozenset({"subsection", "number", "item"})
"""Kinds of node that count as enumerated items for coverage."""


def normalise(text: str) -> str:
    """Remove all whitespace: the only difference allowed between a quote and its source."""
    return _WHITESPACE.sub("", text)


def _label(kind: str, raw: str) -> str:
    if kind in ("subsection", "item"):
        return f"({raw})"
    return raw


def address_labels(*parts: str | None) -> tuple[str, ...]:
    """The labels of an address written as article and item: ``("二(二)1", "(3)")`` → ``二 (二) 1 (3)``."""
    labels: list[str] = []
    for part in parts:
        if not part:
            continue
        text = normalise(part)
        pos = 0
        for match in _ADDRESS_TOKEN.finditer(text):
            if match.start() != pos:
                raise ValueError(f"cannot read {part!r} as an article or item number")
            token = match.group().replace("（", "(").replace("）", ")").rstrip(".．、")
            labels.append(token)
            pos = match.end()
        if pos != len(text):
            raise ValueError(f"cannot read {part!r} as an article or item number")
    return tuple(labels)


@dataclass
class Node:
    """One numbered unit of a source: its kind, address, line and span in the normalised text."""

    kind: str
    label: str
    line: int
    address: tuple[str, ...]
    start: int
    end: int = -1
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)
    rank: int = 0

    @property
    def enumerated_leaf(self) -> bool:
        return self.kind in ENUMERATED and not any(c.kind in ENUMERATED for c in self.children)

    def walk(self) -> list[Node]:
        nodes = [self]
        for child in self.children:
            nodes.extend(child.walk())
        return nodes

    def display(self) -> str:
        return "".join(self.address) or "(preamble)"


@dataclass
class Source:
    """A parsed official text: the normalised text, and the tree of its numbered units."""

    name: str
    text: str
    root: Node
    parts: dict[str, Node]

    def text_of(self, node: Node) -> str:
        return self.text[node.start:node.end]

    def _within(self, part: str | None, default_part: str | None) -> Node | None:
        """The named part (or the default part of a multi-part text), or the whole text; None if no one part matches."""
        if self.parts:
            wanted = part or default_part
            matches = [n for title, n in self.parts.items() if wanted and normalise(wanted) in normalise(title)]
            return matches[0] if len(matches) == 1 else None
        return None if part else self.root

    def find(self, labels: tuple[str, ...], part: str | None, default_part: str | None) -> list[Node]:
        """Nodes with this address, within the named part (or the default part of a multi-part text)."""
        within = self._within(part, default_part)
        if within is None:
            return []
        return [n for n in within.walk() if n.address == labels and n is not within]

    def preamble(self, part: str | None, default_part: str | None) -> Node | None:
        """The unnumbered text before the first numbered unit (heading, covering notice, signature, date) of the text or named part."""
        within = self._within(part, default_part)
        if within is None:
            return None
        end = within.children[0].start if within.children else within.end
        return Node(kind="preamble", label="", line=within.line, address=(), start=within.start, end=end, parent=within)

    def leaves(self) -> list[Node]:
        """Every enumerated item with no enumerated sub-items: the units of coverage."""
        return [n for n in self.root.walk() if n.enumerated_leaf]


def _heading(line: str) -> tuple[str, int, re.Match[str]] | None:
    for kind, rank, pattern in _HEADINGS:
        match = pattern.match(line)
        if match:
            return kind, rank, match
    return None


def parse(text: str, name: str = "source") -> Source:
    """Parse an official text into its numbered structure (see the module docstring)."""
    root = Node(kind="root", label="", line=0, address=(), start=0, rank=-1)
    chunks: list[str] = []
    pos = 0
    open_: list[Node] = [root]
    parts: dict[str, Node] = {}
    for lineno, raw_line in enumerate(text.splitlines(), start=1):
        line = normalise(_PAGE_MARKS.sub("", raw_line))
        if not line:
            continue
        heading = _heading(line)
        if heading is not None:
            kind, rank, match = heading
            while open_[-1].rank >= rank:
                open_.pop().end = pos
            parent = open_[-1]
            addressable = kind not in ("part", "chapter")
            label = _label(kind, match.group("label")) if addressable else ""
            node = Node(kind=kind, label=label, line=lineno, start=pos, rank=rank, parent=parent,
                        address=(*parent.address, label) if addressable else parent.address)
            parent.children.append(node)
            open_.append(node)
            if kind == "part":
                parts[match.group("label")] = node
        chunks.append(line)
        pos += len(line)
    for node in open_:
        node.end = pos
    return Source(name=name, text="".join(chunks), root=root, parts=parts)


# Bounded: `guanzhi check` reads the official text next to each rule file it checks, so the paths
# are not limited to the five bundled texts; 16 covers them and a project's own.
MAX_SOURCE_BYTES = 1024 * 1024
"""Largest official text read: the bundled ones are 9–23 KB."""


@lru_cache(maxsize=16)
def load_source(path: Path) -> Source:
    """The parsed official text at ``path``.

    Raises:
        ValueError: it is larger than ``MAX_SOURCE_BYTES`` or not UTF-8.
        OSError: it cannot be read, or is not a regular file.
    """
    raw = read_regular(path, MAX_SOURCE_BYTES)
    if raw is None:
        raise ValueError(f"source text {path.name} is larger than {MAX_SOURCE_BYTES} bytes")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"source text {path.name} is not UTF-8 (byte offset {exc.start})") from exc
    return parse(text, name=path.name)
