"""Where a citation's quote stands in the official text: one check, for ``guanzhi check`` and for overlays being applied.

``guanzhi check`` reports a quote that does not occur under the article it cites; applying an
overlay refuses a rule it writes whose quote does not (``_overlay``, with a ``QuoteError``), so that
``check`` and ``diff`` accept the same proposals. Draft wording (``Citation.draft``) is a proposal's
own words: neither looks for it in the text.

The loader's functions (the bundled directory, loading another rule set) are passed in, since the
loader applies overlays through this module.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from guanzhi_rules._rulefile import BUNDLED, PREAMBLE, Citation, Text, address_labels
from guanzhi_rules._ruleset import RuleSet
from guanzhi_rules._source import Node, Source, load_source, normalise
from guanzhi_rules._suggestions import suggest
from guanzhi_rules.exceptions import RuleSetError

Foreign = Callable[[str], "tuple[Source, str] | Text"]
"""Another bundled rule set's official text and title by key, or why it cannot be had (``foreign_text``)."""


def source_of(ruleset: RuleSet, bundled: Path) -> Source | Text:
    """The official text a rule set quotes (next to its file, or among the ``bundled`` rules' sources), or why it cannot be found."""
    name = ruleset.file.document.source
    path = ruleset.path.parent / "sources" / name
    if not path.exists():
        path = bundled / "sources" / name
    if not path.exists():
        return Text(zh=f"找不到正式文本 {name}", en=f"source text {name} not found")
    try:
        return load_source(path)
    except (OSError, ValueError) as exc:
        why = exc.strerror if isinstance(exc, OSError) else exc
        return Text(zh=f"无法读取正式文本 {name}：{why}", en=f"source text {name} cannot be read: {why}")


def resolve_address(source: Source, title: str, article: str, item: str | None, part: str | None) -> list[Node] | Text:
    """The nodes of ``source`` an address names, or why there are none."""
    if article == PREAMBLE and item is None:
        preamble = source.preamble(part, default_part=title)
        if preamble:
            return [preamble]
        return Text(zh=f"{source.name} 中没有《{part}》的{PREAMBLE}", en=f"no {PREAMBLE} of {part} in {source.name}")
    try:
        labels = address_labels(article, item)
    except ValueError as exc:
        return Text(zh=f"无法把“{article}{item or ''}”读作条、项编号", en=str(exc))
    nodes = source.find(labels, part, default_part=title)
    if not nodes:
        where = f" of {part}" if part else ""
        return Text(zh=f"{source.name} 中没有{'《' + part + '》' if part else ''}{''.join(labels)}",
                    en=f"no {''.join(labels)}{where} in {source.name}")
    return nodes


def _innermost(source: Source, position: int) -> Node:
    node = source.root
    while True:
        inner = next((c for c in node.children if c.start <= position < c.end), None)
        if inner is None:
            return node
        node = inner


def foreign_text(key: str, load: Callable[[str], RuleSet], bundled: Path) -> tuple[Source, str] | Text:
    """Another rule set's official text and title, for a citation naming it in ``document``."""
    try:
        other = load(key)
    except RuleSetError:
        return Text(zh=f"citation.document {key!r}：没有这个内置规则集可引用（内置：{'、'.join(BUNDLED)}）",
                    en=f"citation.document {key!r}: no bundled rule set to cite{suggest(key, BUNDLED)}")
    source = source_of(other, bundled)
    return source if isinstance(source, Text) else (source, other.file.document.title)


def locate_quote(citation: Citation, ruleset: RuleSet, source: Source, foreign: Foreign) -> int | Text | None:
    """Where ``citation``'s quote starts in ``ruleset``'s own normalised text (``source``), None when it is
    found in another rule set's text (``citation.document``), or what is wrong (a message)."""
    label = f"{citation.article}{citation.item or ''}"
    text, title, own = source, ruleset.file.document.title, citation.document in (None, ruleset.key)
    if not own:
        assert citation.document is not None
        other = foreign(citation.document)
        if isinstance(other, Text):
            return other
        text, title = other
    nodes = resolve_address(text, title, citation.article, citation.item, citation.part)
    if isinstance(nodes, Text):
        return nodes
    quote = normalise(citation.quote)
    found = [(p, n) for n in nodes if (p := text.text.find(quote, n.start, n.end)) >= 0]
    if found:
        return found[0][0] if own else None
    elsewhere = text.text.find(quote)
    if elsewhere >= 0:
        actual = _innermost(text, elsewhere).display()
        return Text(zh=f"引文出现在{actual}，而不在{label}：“{citation.quote}”",
                    en=f"the quote occurs under {actual}, not under {label}: {citation.quote!r}")
    return Text(zh=f"{text.name} 中找不到这段引文：“{citation.quote}”", en=f"the quote does not occur in {text.name}: {citation.quote!r}")
