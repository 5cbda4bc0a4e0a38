"""Safe YAML reading that remembers where every value came from.

Only plain data is accepted: no tags that construct objects, no anchors or aliases, no merge
keys, no duplicate keys. Mappings and sequences come back as ``Located`` containers that know
the line and column of each entry, so later validation errors can point into the file.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import yaml

MAX_BYTES = 5 * 1024 * 1024
"""Largest YAML or JSON document accepted, in bytes."""

MAX_DEPTH = 64
"""Deepest nesting of mappings and sequences accepted."""


@dataclass(frozen=True)
class Mark:
    line: int
    column: int


class YamlError(ValueError):
    """The text is not acceptable YAML; ``mark`` says where (1-based), when known."""

    def __init__(self, message: str, mark: Mark | None = None) -> None:
        self.message = message
        self.mark = mark
        super().__init__(message)


class LocatedDict(dict[str, Any]):
    """A mapping that knows the position of itself and of each of its keys."""

    mark: Mark
    key_marks: dict[str, Mark]


class LocatedList(list[Any]):
    """A sequence that knows the position of itself and of each of its items."""

    mark: Mark
    item_marks: list[Mark]


def _mark(node: yaml.Node) -> Mark:
    return Mark(node.start_mark.line + 1, node.start_mark.column + 1)


class _Loader(yaml.SafeLoader):
    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise YamlError("anchors and aliases are not allowed", Mark(event.start_mark.line + 1, event.start_mark.column + 1))
        self._depth = getattr(self, "_depth", 0) + 1
        if self._depth > MAX_DEPTH:
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise YamlError(f"nesting deeper than {MAX_DEPTH} levels", Mark(event.start_mark.line + 1, event.start_mark.column + 1))
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> LocatedDict:  # type: ignore[override]
        result = LocatedDict()
        result.mark = _mark(node)
        result.key_marks = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise YamlError("merge keys (<<) are not allowed", _mark(key_node))
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                raise YamlError(f"mapping keys must be strings, got {key!r}", _mark(key_node))
            if key in result:
                raise YamlError(f"duplicate key {key!r}", _mark(key_node))
            result[key] = self.construct_object(value_node, deep=True)
            result.key_marks[key] = _mark(value_node)
        return result

    def construct_sequence(self, node: yaml.SequenceNode, deep: bool = False) -> LocatedList:
        result = LocatedList(self.construct_object(child, deep=True) for child in node.value)
        result.mark = _mark(node)
        result.item_marks = [_mark(child) for child in node.value]
        return result

    def construct_undefined(self, node: yaml.Node) -> Any:
        raise YamlError(f"tag {node.tag!r} is not allowed: only plain data", _mark(node))


# YAML 1.2 booleans only: in YAML 1.1 `on`, `yes` and `no` are booleans, which turns a rule's
# `on:` key into True and a case's `yes` into a silent boolean. Drop that resolver and re-add
# one that knows only true/false.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _Loader.construct_sequence)
_Loader.add_constructor(None, _Loader.construct_undefined)


def parse(text: str | bytes) -> Any:
    """Parse one YAML (or JSON) document into located plain data.

    Raises:
        YamlError: the text is too large, not UTF-8, not YAML, or uses a forbidden feature.
    """
    if len(text) > MAX_BYTES:
        raise YamlError(f"document is {len(text)} bytes, larger than the limit of {MAX_BYTES}")
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise YamlError(f"not valid UTF-8 (byte offset {exc.start})") from exc
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader derives from SafeLoader
    except YamlError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Mark(mark.line + 1, mark.column + 1) if mark else None
        raise YamlError(f"{exc.problem or exc.context}", where) from exc
    except yaml.YAMLError as exc:
        raise YamlError(str(exc)) from exc


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
