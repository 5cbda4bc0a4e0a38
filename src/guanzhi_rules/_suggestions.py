"""Did-you-mean hints for misspelt names: facts, fields, rule ids, operators, rule-set keys.

A leaf module (standard library only), so that any stage can offer a hint without importing
the fact registry, and the case model can use it without an import cycle.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def suggest(name: str, candidates: Iterable[str]) -> str:
    """A did-you-mean hint for a misspelt ``name`` (empty when nothing is close)."""
    pool = list(candidates)
    close = difflib.get_close_matches(name, pool, n=1, cutoff=0.6)
    if not close:  # a bare field name without its section still deserves a hint
        tails = {p.rsplit(".", 1)[-1]: p for p in pool}
        hit = difflib.get_close_matches(name.rsplit(".", 1)[-1], list(tails), n=1, cutoff=0.75)
        close = [tails[hit[0]]] if hit else []
    return f"; did you mean {close[0]!r}?" if close else ""
