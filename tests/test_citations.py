import re

import pytest

import guanzhi_rules as g
from guanzhi_rules._loader import rules_dir
from tests.support import normalise


@pytest.mark.parametrize("key", sorted(g.load_all()))
def test_every_quote_occurs_verbatim_in_the_source(key: str) -> None:
    """Each rule's and the ladder's quote occurs in the cited official text (whitespace aside)."""
    rs = g.load(key)
    source = normalise((rules_dir() / "sources" / rs.file.document.source).read_text(encoding="utf-8"))
    citations = [(r.id, r.rule.citation) for r in rs] + [("ladder", c) for c in rs.ladder.citations]
    missing = [rule_id for rule_id, c in citations if normalise(c.quote) not in source]
    assert missing == []


@pytest.mark.parametrize("key", sorted(g.load_all()))
def test_every_rule_has_article_and_label_in_both_languages(key: str) -> None:
    """Citations name an article; labels exist in Chinese and English."""
    for rule in g.load(key):
        assert rule.rule.citation.article.strip(), rule.id
        assert re.search(r"[\u4e00-\u9fff]", rule.rule.label.zh), rule.id
        assert re.search(r"[A-Za-z]", rule.rule.label.en), rule.id
