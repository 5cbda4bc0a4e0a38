"""Generated reference pages: docs/jurisdictions.md is current with the rule files and says what they say."""

from __future__ import annotations

from pathlib import Path

import guanzhi_rules as g
from guanzhi_rules._docs import PROSE, jurisdictions_markdown

DOC = Path(__file__).parents[1] / "docs" / "jurisdictions.md"


def test_jurisdictions_doc_is_up_to_date() -> None:
    """docs/jurisdictions.md matches the rule files; regenerate with `python -m guanzhi_rules._docs jurisdictions`."""
    assert DOC.read_text(encoding="utf-8") == jurisdictions_markdown()


def test_every_rule_of_every_rule_set_is_in_the_mapping() -> None:
    """Each bundled rule id appears in its jurisdiction's section, so the page cannot leave a rule out."""
    text = jurisdictions_markdown()
    sections = text.split("\n## ")
    for key in g.BUNDLED:
        (section,) = [s for s in sections if f"(`{key}`)" in s.splitlines()[0]]
        missing = [r.id for r in g.load(key) if f"`{r.id}`" not in section]
        assert missing == [], key


def test_summary_counts_are_the_rule_files_counts() -> None:
    """The summary row of each rule set gives its number of rules and of procedure deadlines as loaded."""
    lines = jurisdictions_markdown().splitlines()
    for key, rs in g.load_all().items():
        (row,) = [line for line in lines if line.startswith(f"| `{key}` | ")]
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert cells[1] == str(len(rs.rules))
        assert cells[11] == str(len(rs.stage("procedure")) or "–")


def test_no_section_of_prose_is_left_out() -> None:
    """Every jurisdiction has its hand-written section, and the prose names no jurisdiction the page lacks."""
    headings = [line[3:] for line in PROSE.read_text(encoding="utf-8").splitlines() if line.startswith("## ")]
    assert headings == list(g.BUNDLED)
    assert "(no prose yet)" not in jurisdictions_markdown()
