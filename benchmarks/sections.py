"""Writing one benchmark script's section of ``benchmarks/RESULTS.md``, leaving the others as they are."""

from __future__ import annotations

from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def record(heading: str, text: str, results: Path = RESULTS) -> None:
    """Replace the section that starts with ``heading`` by ``text`` (or append it).

    A section runs from its heading to the next ``## `` heading; ``text`` starts with ``heading``.
    """
    content = results.read_text(encoding="utf-8") if results.exists() else "# Performance results\n"
    if heading in content:
        start = content.index(heading)
        following = content.find("\n## ", start + len(heading))
        content = content[:start] + text + (content[following + 1:] if following != -1 else "")
    else:
        content = content.rstrip("\n") + "\n\n" + text
    results.write_text(content, encoding="utf-8")
