"""Safe YAML reading that remembers where every value came from.

Only plain data is accepted: no tags (not even standard ones such as ``!!binary`` or ``!!set``),
no anchors or aliases, no merge keys, no duplicate keys. Mappings and sequences come back as
``Located`` containers that know the line and column of each entry, so later validation errors
can point into the file.

Rule files and cases are untrusted input, so every document is held to ``Limits``: its size is
checked before it is decoded (and files are never read past the limit), and depth, node count
and scalar length are counted while the document is composed, so a hostile document is refused
after a bounded amount of work instead of after building its whole tree.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from guanzhi_rules._yaml import DEFAULT_LIMITS, Limits, LocatedDict, LocatedList, Mark, YamlError, too_large


def _mark(node: yaml.Node | yaml.Event) -> Mark:
    start = node.start_mark
    return Mark(start.line + 1, start.column + 1) if start is not None else Mark(1, 1)


def _refuse(event: yaml.Event, nodes: int, depth: int, limits: Limits) -> None:
    """Refuse the event that opens the ``nodes``-th node, at ``depth``, if it breaks a rule or a limit."""
    if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
        raise YamlError("anchors and aliases are not allowed", _mark(event))
    tag = getattr(event, "tag", None)
    if tag is not None:
        raise YamlError(f"tag {tag!r} is not allowed: only plain data, without tags", _mark(event))
    if nodes > limits.max_nodes:
        raise YamlError(f"more than {limits.max_nodes} nodes (mappings, sequences and scalars); "
                        "raise Limits.max_nodes to accept it", _mark(event))
    if isinstance(event, yaml.ScalarEvent) and len(event.value) > limits.max_scalar_chars:
        raise YamlError(f"a scalar of {len(event.value)} characters, longer than the limit of {limits.max_scalar_chars}; "
                        "raise Limits.max_scalar_chars to accept it", _mark(event))
    if depth > limits.max_depth:
        raise YamlError(f"nesting deeper than {limits.max_depth} levels", _mark(event))


class _Loader(yaml.SafeLoader):
    def __init__(self, stream: str, limits: Limits) -> None:
        super().__init__(stream)
        self._limits = limits
        self._depth = 0
        self._nodes = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        # Everything is refused here, event by event, before the node below it is built.
        event = self.peek_event()  # type: ignore[no-untyped-call]
        self._nodes += 1
        self._depth += 1
        _refuse(event, self._nodes, self._depth, self._limits)
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except YamlError:
            raise
        except (ValueError, OverflowError) as exc:  # 2019-02-30, year 0, a 5,000-digit integer
            shown = repr(node.value)[:60] if isinstance(node, yaml.ScalarNode) else node.tag
            raise YamlError(f"cannot read the value {shown}: {exc}", _mark(node)) from exc

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
# Numbers likewise follow YAML 1.2 (and so JSON): `1e3` is a float, `012` is twelve, and the YAML 1.1
# forms `1:30` (sexagesimal), `0x1F` and `1_000` are plain strings, not numbers.
_YAML11 = {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _YAML11]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
_Loader.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789"))
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
    list("-+0123456789."))


def _decimal_int(loader: yaml.SafeLoader, node: yaml.Node) -> int:
    assert isinstance(node, yaml.ScalarNode)
    return int(loader.construct_scalar(node))


_Loader.add_constructor("tag:yaml.org,2002:int", _decimal_int)
_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _Loader.construct_sequence)
_Loader.add_constructor(None, _Loader.construct_undefined)


if yaml.__with_libyaml__:  # PyYAML's wheels bundle libyaml; without it, parse reads with PyYAML's own parser
    from yaml.cyaml import CParser  # type: ignore[attr-defined]

    class _FastLoader(CParser, _Loader):
        """libyaml's parser with this module's constructors and YAML 1.2 resolvers."""

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)


def _screen(text: str, limits: Limits) -> None:
    """Refuse, from libyaml's events, whatever ``_Loader.compose_node`` refuses, with the same words and place.

    libyaml streams events, so a document past a limit is refused as soon as the limit is
    crossed, at C speed, whatever its size.

    Raises:
        YamlError: a rule or limit is broken.
        yaml.YAMLError: the text is not YAML (the caller words it).
    """
    depth = nodes = 0
    for event in yaml.parse(text, Loader=yaml.CSafeLoader):
        if isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent, yaml.AliasEvent)):
            nodes += 1
            _refuse(event, nodes, depth + 1, limits)
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _fast(text: str, limits: Limits) -> tuple[bool, Any]:
    """(True, data) read by libyaml; (False, None) where PyYAML must read it to word a syntax error.

    Raises:
        YamlError: the document breaks a rule or limit, or holds a value that cannot be read.
    """
    if not yaml.__with_libyaml__:
        return False, None
    try:
        _screen(text, limits)
        loader = _FastLoader(text)
        try:
            return True, loader.get_single_data()
        finally:
            loader.dispose()
    except YamlError:
        raise
    except yaml.MarkedYAMLError as exc:
        if len(text) <= PURE_WORDING_CHARS:
            return False, None
        mark = exc.problem_mark or exc.context_mark
        raise YamlError(f"{exc.problem or exc.context}", Mark(mark.line + 1, mark.column + 1) if mark else None) from None
    except yaml.YAMLError:
        return False, None


PURE_WORDING_CHARS = 64 * 1024
"""Up to this size a syntax error is worded by PyYAML's parser (the tested wording); past it by
libyaml's, since reading a large document again in pure Python to word one error would take seconds."""




def parse(text: str | bytes, *, limits: Limits = DEFAULT_LIMITS) -> Any:
    """Parse one YAML (or JSON) document into located plain data.

    Args:
        text: the document; bytes must be UTF-8.
        limits: the bounds the document must keep to.

    Raises:
        YamlError: the text is too large, not UTF-8, not YAML, or uses a forbidden feature.
    """
    # Size first, in bytes of UTF-8, before any decoding or parsing. A str has at least one
    # byte per character, so only a str that might be near the limit is encoded to measure it.
    if len(text) > limits.max_bytes or (
            isinstance(text, str) and 4 * len(text) > limits.max_bytes
            and len(text.encode("utf-8", "surrogatepass")) > limits.max_bytes):
        raise too_large(limits)
    if isinstance(text, bytes):
        raw = text
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            good = raw[:exc.start]
            line = good.count(b"\n") + 1
            column = len(good[good.rfind(b"\n") + 1:].decode("utf-8")) + 1
            raise YamlError(f"not valid UTF-8 at byte offset {exc.start} (byte {raw[exc.start]:#04x})",
                            Mark(line, column), offset=exc.start) from exc
    done, data = _fast(text, limits)
    return data if done else parse_pure(text, limits)


def parse_pure(text: str, limits: Limits = DEFAULT_LIMITS) -> Any:
    """``parse`` of decoded text through PyYAML's own parser: slower, and the wording of every syntax error.

    Raises:
        YamlError: the text is not YAML, or breaks a rule or limit.
    """
    loader = None
    try:
        loader = _Loader(text, limits)  # the reader screens the whole text for control characters here
        return loader.get_single_data()
    except YamlError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Mark(mark.line + 1, mark.column + 1) if mark else None
        raise YamlError(f"{exc.problem or exc.context}", where) from exc
    except yaml.reader.ReaderError as exc:
        before = text[:exc.position]
        where = Mark(before.count("\n") + 1, exc.position - before.rfind("\n"))
        raise YamlError(f"character #x{exc.character:04x} is not allowed in YAML", where) from exc
    except yaml.YAMLError as exc:
        raise YamlError(str(exc)) from exc
    finally:
        if loader is not None:
            loader.dispose()
