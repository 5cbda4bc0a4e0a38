"""Citations: every quote verbatim, every address in one canonical form that consumers can match."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import guanzhi_rules as g
from guanzhi_rules._loader import rules_dir
from guanzhi_rules._rulefile import Address, Citation, address_labels
from tests.support import MINIMAL_RULE_FILE, normalise, write


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


# -- the canonical address ---------------------------------------------------------------------

@pytest.mark.parametrize(("article", "item", "address"), [
    ("第八条", "（一）", ("第八条", "（一）", None, "第八条（一）")),  # Jiangsu art. 8 items 1-6: full-width
    ("第八条", "(七)", ("第八条", "（七）", None, "第八条（七）")),  # Jiangsu art. 8 items 7-10: half-width
    ("第十八条", "(七)", ("第十八条", "（七）", None, "第十八条（七）")),  # Yueyang: half-width throughout
    ("二(二)1", "(9)", ("二", "（二）", "1（9）", "二（二）1（9）")),  # Yangjiang: sub-item split across the two
    ("三(二)", "5.", ("三", "（二）", "5", "三（二）5")),  # Yangjiang: a number with its point
    ("二(三)3", "(3)", ("二", "（三）", "3（3）", "二（三）3（3）")),
    ("五", "1．", ("五", "1", None, "五1")),  # Zhejiang: a full-width point
    ("二、", None, ("二", None, None, "二")),
    ("第 六 条", " （三） ", ("第六条", "（三）", None, "第六条（三）")),  # whitespace is not part of an address
])
def test_each_irregular_form_has_one_canonical_address(article: str, item: str | None, address: tuple[str | None, ...]) -> None:
    """Every bracket, point and split the rule files use reads as the same article, item, sub-item and text."""
    got = Address.of(article, item)
    assert (got.article, got.item, got.sub_item, got.text) == address


def test_one_address_whichever_way_it_is_split() -> None:
    """Yangjiang's 二(二)1 + (9) and 二 + (二)1(9) and the whole string in one are one address."""
    assert Address.of("二(二)1", "(9)") == Address.of("二", "(二)1(9)") == Address.of("二（二）1（9）")


def test_an_unreadable_address_is_refused_at_load_time(tmp_path: Path) -> None:
    """A citation whose article is not an article number is a rule-set error naming the rule, not a check finding later."""
    path = write(tmp_path, MINIMAL_RULE_FILE.replace("{article: 第二条, quote:", "{article: Article 2, quote:"))
    with pytest.raises(g.RuleSetError, match=r"(?s)scope.*cannot read 'Article 2' as an article or item number"):
        g.load(path)


@pytest.mark.parametrize("text", ["Article 6", " ", "第六条 item 3", "(三", "第六条（三）a"])
def test_an_address_that_is_not_a_number_is_refused(text: str) -> None:
    """Prose, an empty address or a stray character is refused with 'cannot read'."""
    with pytest.raises(ValueError, match="cannot read"):
        Address.of(text)


ALL_CITATIONS = [(key, rule.id, rule.rule.citation) for key, rs in g.load_all().items() for rule in rs] + [
    (key, "ladder", c) for key, rs in g.load_all().items() for c in rs.ladder.citations]


@pytest.mark.parametrize(("key", "rule_id", "citation"), ALL_CITATIONS, ids=[f"{k}:{r}" for k, r, _ in ALL_CITATIONS])
def test_every_bundled_citation_has_a_canonical_address_that_round_trips(key: str, rule_id: str, citation: Citation) -> None:
    """Every rule of the five rule sets parses into article, item and sub-item, and its text reads back as itself."""
    address = citation.canonical
    assert address.text == address.article + (address.item or "") + (address.sub_item or "")
    assert Address.of(address.text, part=citation.part) == address
    assert Address.of(address.article, (address.item or "") + (address.sub_item or "") or None, citation.part) == address
    assert "(" not in address.text and "." not in address.text and "、" not in address.text


NUMERALS = st.sampled_from(["一", "二", "三", "九", "十", "十一", "二十"])


@st.composite
def written_addresses(draw: st.DrawFn) -> list[str]:
    """An address as a rule file might write it: an article, then the levels below it in source order, each
    level optional and in any bracket or point style."""
    numeral, number = draw(NUMERALS), str(draw(st.integers(1, 30)))
    labels = [draw(st.sampled_from([f"第{numeral}条", numeral, f"{numeral}、"]))]
    if draw(st.booleans()):
        labels.append(draw(st.sampled_from(["（{}）", "({})"])).format(draw(NUMERALS)))
    if draw(st.booleans()):
        labels.append(number + draw(st.sampled_from(["", ".", "．"])))
    if draw(st.booleans()):
        labels.append(draw(st.sampled_from(["（{}）", "({})"])).format(draw(st.integers(1, 30))))
    return labels


@given(written_addresses(), st.data())
def test_canonical_text_round_trips(labels: list[str], data: st.DataObject) -> None:
    """However an address is written and split between article and item, its canonical text reads back as the same address."""
    cut = data.draw(st.integers(1, len(labels)))
    address = Address.of("".join(labels[:cut]), "".join(labels[cut:]) or None)
    assert Address.of(address.text) == address
    assert address_labels(address.text) == address_labels(*labels)
    assert (address.article, address.item) == address_labels(*labels)[:1] + (address_labels(*labels)[1:2] or (None,))


def test_determinations_carry_the_canonical_address(tmp_path: Path) -> None:
    """A determination's findings and trace steps carry article, item and sub-item in canonical form, in JSON too."""
    det = g.load("jiangsu").evaluate(g.parse_case({"subject": {"kind": "person"}}))
    step = det.step("art8.7")
    assert step.citation.item == "(七)"  # as the file writes it
    assert step.citation.address.text == "第八条（七）"
    data = json.loads(det.to_json())
    (found,) = [s for s in data["trace"] if s["rule_id"] == "art8.7"]
    assert found["citation"]["address"] == {"article": "第八条", "item": "（七）", "sub_item": None, "part": None, "text": "第八条（七）"}
    assert "第八条（七）" in det.to_text("zh") and "第八条(七)" not in det.to_text("zh")


def test_the_rule_set_fingerprint_does_not_depend_on_the_canonical_address() -> None:
    """The canonical address is derived, not part of the rule file's content, so rule-set hashes do not move."""
    data = g.load("yangjiang").file.model_dump(mode="json")
    assert all("address" not in rule["citation"] for rule in data["rules"])


def test_explain_and_compare_carry_the_canonical_address() -> None:
    """explain's rule and compare's entries carry the canonical address in JSON, as determinations do."""
    case = g.read_case(Path(__file__).parents[1] / "examples" / "cases" / "failed_reform_pilot.yaml")
    explained = json.loads(g.explain(g.load("yangjiang"), case, "2.2.1.3").to_json())
    assert explained["citation"]["address"]["text"] == "二（二）1（3）"
    compared = g.compare(case, ["yueyang"])
    (entry, *_) = compared.cell("exemption", "yueyang").entries
    assert entry.citation.address.text == "第十七条（一）"
    assert '"text": "第十七条（一）"' in compared.to_json()
