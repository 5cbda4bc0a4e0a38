import re
from pathlib import Path

from guanzhi_rules import _vocab
from guanzhi_rules._docs import vocabulary_markdown
from guanzhi_rules._facts import FACTS

DOC = Path(__file__).parents[1] / "docs" / "vocabulary.md"
JURISDICTION_WORDS = re.compile(r"jiangsu|yangjiang|benxi|yueyang|zhejiang|art(icle)?\d|item\d|^art_|_art_", re.I)


def test_vocabulary_doc_is_up_to_date() -> None:
    """docs/vocabulary.md matches the model; regenerate with `python -m guanzhi_rules._docs`."""
    assert DOC.read_text(encoding="utf-8") == vocabulary_markdown()


def test_no_fact_or_code_names_a_jurisdiction_or_article() -> None:
    """Facts describe what happened: no fact name or code mentions a jurisdiction or an article."""
    names = list(FACTS)
    for enum in vars(_vocab).values():
        if isinstance(enum, type) and issubclass(enum, _vocab.Vocab) and enum not in (_vocab.Vocab, _vocab.Ordinal):
            names += [m.value for m in enum]
    offenders = [n for n in names if JURISDICTION_WORDS.search(n)]
    assert offenders == []


def test_every_fact_and_code_has_both_labels() -> None:
    """Every fact has a zh label, an en label and a description; every code has zh and en labels."""
    for spec in FACTS.values():
        assert spec.zh and spec.en and spec.description, spec.path
        assert re.search(r"[\u4e00-\u9fff]", spec.zh), spec.path
        if spec.values is not None:
            for member in spec.values:
                assert re.search(r"[\u4e00-\u9fff]", member.zh), member
                assert member.en, member
