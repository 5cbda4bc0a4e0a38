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

from guanzhi_rules._rulefile import BUNDLED, PREAMBLE, Citation, address_labels
from guanzhi_rules._ruleset import RuleSet
from guanzhi_rules._source import Node, Source, load_source, normalise
from guanzhi_rules._suggestions import suggest
from guanzhi_rules.exceptions import RuleSetError

Foreign = Callable[[str], "tuple[Source, str] | str"]
"""Another bundled rule set's official text and title by key, or why it cannot be had (``foreign_text``)."""


class QuoteError(RuleSetError):
    """An overlay's rule quotes words that do not occur under the article it cites (``guanzhi check`` reports it as a citation)."""


def source_of(ruleset: RuleSet, bundled: Path) -> Source | str:
    """The official text a rule set quotes (next to its file, or among the ``bundled`` rules' sources), or why it cannot be found."""
    name = ruleset.file.document.source
    path = ruleset.path.parent / "sources" / name
    if not path.exists():
        path = bundled / "sources" / name
    if not path.exists():
        return f"source text {name} not found"
    try:
        return load_source(path)
    except (OSError, ValueError) as exc:
        return f"source text {name} cannot be read: {exc.strerror if isinstance(exc, OSError) else exc}"


def resolve_address(source: Source, title: str, article: str, item: str | None, part: str | None) -> list[Node] | str:
    """The nodes of ``source`` an address names, or why there are none."""
    if article == PREAMBLE and item is None:
        preamble = source.preamble(part, default_part=title)
        return [preamble] if preamble else f"no {PREAMBLE} of {part} in {source.name}"
    try:
        labels = address_labels(article, item)
    except ValueError as exc:
        return str(exc)
    nodes = source.find(labels, part, default_part=title)
    if not nodes:
        where = f" of {part}" if part else ""
        return f"no {''.join(labels)}{where} in {source.name}"
    return nodes


def _innermost(source: Source, position: int) -> Node:
    node = source.root
    while True:
        inner = next((c for c in node.children if c.start <= position < c.end), None)
        if inner is None:
            return node
        node = inner


def foreign_text(key: str, load: Callable[[str], RuleSet], bundled: Path) -> tuple[Source, str] | str:
    """Another rule set's official text and title, for a citation naming it in ``document``."""
    try:
        other = load(key)
    except RuleSetError:
        return f"citation.document {key!r}: no bundled rule set to cite{suggest(key, BUNDLED)}"
    source = source_of(other, bundled)
    return source if isinstance(source, str) else (source, other.file.document.title)


def locate_quote(citation: Citation, ruleset: RuleSet, source: Source, foreign: Foreign) -> int | str | None:
    """Where ``citation``'s quote starts in ``ruleset``'s own normalised text (``source``), None when it is
    found in another rule set's text (``citation.document``), or what is wrong (a message)."""
    label = f"{citation.article}{citation.item or ''}"
    text, title, own = source, ruleset.file.document.title, citation.document in (None, ruleset.key)
    if not own:
        assert citation.document is not None
        other = foreign(citation.document)
        if isinstance(other, str):
            return other
        text, title = other
    nodes = resolve_address(text, title, citation.article, citation.item, citation.part)
    if isinstance(nodes, str):
        return nodes
    quote = normalise(citation.quote)
    found = [(p, n) for n in nodes if (p := text.text.find(quote, n.start, n.end)) >= 0]
    if found:
        return found[0][0] if own else None
    elsewhere = text.text.find(quote)
    if elsewhere >= 0:
        return f"the quote occurs under {_innermost(text, elsewhere).display()}, not under {label}: {citation.quote!r}"
    return f"the quote does not occur in {text.name}: {citation.quote!r}"
