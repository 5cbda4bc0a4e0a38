import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

import guanzhi_rules as g
from guanzhi_rules import RuleSetError, RuleSetNotFoundError, _yaml, _yamlparse
from guanzhi_rules._loader import rules_dir
from tests.support import MINIMAL_RULE_FILE as MINIMAL
from tests.support import write

WHEN = "when: {fact: conduct.acts, has: falsifying}"


def test_minimal_file_loads(tmp_path: Path) -> None:
    """A small well-formed rule file loads into a RuleSet with its rules in file order."""
    rs = g.load(write(tmp_path, MINIMAL))
    assert rs.key == "sample"
    assert [r.id for r in rs] == ["scope", "trigger"]


def test_misspelt_fact_names_line_rule_and_suggestion(tmp_path: Path) -> None:
    """A misspelt fact is reported with file, line, column, rule id and the nearest fact name."""
    path = write(tmp_path, MINIMAL.replace("conduct.acts", "conduct.act"))
    with pytest.raises(RuleSetError) as info:
        g.load(path)
    err = info.value
    assert err.rule_id == "trigger"
    assert err.location is not None
    assert (err.location.path, err.location.line, err.location.column) == (str(path.resolve()), 23, 18)
    assert "did you mean 'conduct.acts'" in str(err)


def test_unknown_key_is_an_error_with_suggestion(tmp_path: Path) -> None:
    """An unknown key inside a rule is an error, never ignored, with a did-you-mean."""
    text = MINIMAL.replace("    label: {zh: 情形", "    modalty: may\n    label: {zh: 情形", 1)
    with pytest.raises(RuleSetError, match=r"unknown key 'modalty'.*did you mean 'modality'") as info:
        g.load(write(tmp_path, text))
    assert info.value.rule_id == "trigger"


def test_unknown_top_level_key_is_an_error(tmp_path: Path) -> None:
    """Unknown keys are errors at every level, including the top."""
    with pytest.raises(RuleSetError, match="unknown key 'rulez'"):
        g.load(write(tmp_path, MINIMAL + "rulez: []\n"))


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("id: trigger", "id: scope", "duplicate rule id"),
        (WHEN, WHEN + "\n    defeats: [nothing]", "defeats unknown rule 'nothing'"),
        ("then: [{category: {zh: 不担当, en: failure}}]", "then: [{scope: covered}]", "cannot have effect 'scope'"),
        ("modality: shall\n    label: {zh: 情形", "modality: must\n    label: {zh: 情形", "modality"),
        (WHEN, "catch_all: true\n    " + WHEN, "a catch-all's condition must read a finding"),
        ("quote: 弄虚作假的", "quote: ''", "quote"),
    ],
)
def test_inconsistent_rules_are_rejected(tmp_path: Path, old: str, new: str, message: str) -> None:
    """Reference and consistency errors are found at load time and name the rule."""
    assert old in MINIMAL
    with pytest.raises(RuleSetError, match=message) as info:
        g.load(write(tmp_path, MINIMAL.replace(old, new, 1)))
    assert info.value.location is not None and info.value.location.line is not None


def test_measure_off_the_ladder_is_rejected(tmp_path: Path) -> None:
    """A sanction band may only use measures on the rule set's own ladder."""
    band = """\
  - id: band
    stage: sanction_band
    modality: may
    label: {zh: 档, en: band}
    when: {fact: conduct.gravity, is: minor}
    then: [{measures: [demotion]}]
    citation: {article: 第八条, quote: 情节较轻}
"""
    with pytest.raises(RuleSetError, match="'demotion' is not on this rule set's ladder"):
        g.load(write(tmp_path, MINIMAL + band))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (MINIMAL.replace("  key: sample\n", "  key: sample\n  key: other\n"), "duplicate key 'key'"),
        (MINIMAL.replace("  title: 示例\n", "  title: &t 示例\n  number: *t\n"), "anchors and aliases"),
        (MINIMAL.replace("  title: 示例\n", "  title: !!python/object:object {}\n"), "not allowed"),
        ("a: [1,\n", "expected"),
    ],
)
def test_unsafe_or_broken_yaml_is_rejected(tmp_path: Path, text: str, message: str) -> None:
    """Duplicate keys, aliases, object-constructing tags and syntax errors are refused with a position."""
    with pytest.raises(RuleSetError, match=message):
        g.load(write(tmp_path, text))


def test_attaches_key_reads_as_a_string(tmp_path: Path) -> None:
    """A consequence's `attaches:` key loads as the string it says (the key was `on:`, which YAML 1.1 reads as True)."""
    consequence = """\
  - id: note
    stage: consequence
    modality: shall
    attaches: accountable
    label: {zh: 注, en: note}
    then: [{statement: {zh: 说明, en: note}}]
    citation: {article: 第十一条, quote: 可以单独使用}
"""
    rs = g.load(write(tmp_path, MINIMAL + consequence))
    assert rs.rule("note").rule.attaches == "accountable"


def test_old_on_key_is_refused_with_its_new_name(tmp_path: Path) -> None:
    """A rule file still using the old `on:` key is refused, and the message names `attaches`."""
    consequence = """\
  - id: note
    stage: consequence
    modality: shall
    on: accountable
    label: {zh: 注, en: note}
    then: [{statement: {zh: 说明, en: note}}]
    citation: {article: 第十一条, quote: 可以单独使用}
"""
    with pytest.raises(RuleSetError, match="attaches"):
        g.load(write(tmp_path, MINIMAL + consequence))


def test_unknown_bundled_key_suggests_the_nearest() -> None:
    """A misspelt jurisdiction key is a RuleSetNotFoundError with a did-you-mean."""
    with pytest.raises(RuleSetNotFoundError, match="did you mean 'benxi'"):
        g.load("benx")


def test_missing_path_is_not_found(tmp_path: Path) -> None:
    """A path that does not exist is a RuleSetNotFoundError."""
    with pytest.raises(RuleSetNotFoundError):
        g.load(tmp_path / "none.yaml")


def test_rule_sets_are_immutable() -> None:
    """Neither a rule set nor its compiled rules can be changed after loading."""
    rs = g.load("benxi")
    with pytest.raises(AttributeError, match="immutable"):
        rs.key = "other"  # type: ignore[misc]
    with pytest.raises(AttributeError, match="immutable"):
        rs.rules[0].condition = None
    with pytest.raises(TypeError):
        rs._by_id["x"] = rs.rules[0]  # type: ignore[index]


def test_same_file_loads_once() -> None:
    """Loading an unchanged bundled rule set twice returns the same object (and hash)."""
    assert g.load("benxi") is g.load("benxi")


def test_bundled_sources_are_present() -> None:
    """The official texts the rule sets cite ship with the rule sets."""
    for key in ("benxi", "jiangsu", "yangjiang", "yueyang", "zhejiang"):
        assert (rules_dir() / "sources" / f"{key}.txt").is_file()


def _same_located(a: Any, b: Any, where: str = "") -> None:
    assert type(a) is type(b) and a == b, where
    if isinstance(a, dict):
        assert (a.mark, a.key_marks) == (b.mark, b.key_marks), where
        for key in a:
            _same_located(a[key], b[key], f"{where}/{key}")
    elif isinstance(a, list):
        assert (a.mark, a.item_marks) == (b.mark, b.item_marks), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _same_located(x, y, f"{where}/{i}")


@pytest.mark.parametrize("path", sorted(rules_dir().glob("*.yaml")), ids=lambda p: p.stem)
def test_bundled_files_parse_the_same_through_libyaml(path: Path) -> None:
    """Documents are read through libyaml when it is there: the same data, at the same positions, as PyYAML's parser."""
    raw = path.read_bytes()
    _same_located(_yamlparse.parse_pure(raw.decode("utf-8")), _yamlparse.parse(raw))


@pytest.mark.parametrize("text", [
    "a: &x [1]\nb: *x\n",          # alias
    "a: !!str 1\n",                # tag
    "a: [1\n",                     # not YAML
    "a: 1\na: 2\n",                # duplicate key
    "[" * 70 + "]" * 70 + "\n",    # too deep
    "a: [" + "1, " * 100_001 + "]\n",  # too many nodes
    "a: " + "x" * 70_000 + "\n",    # too long a scalar
    "a: 2019-02-30\n",              # not a date
    "a:\n  <<: {b: 1}\n",          # merge key
    "1: a\n",                       # a key that is not text
])
def test_what_the_pure_parser_refuses_parse_refuses_with_the_same_error(text: str) -> None:
    """What PyYAML's own parser refuses, parse (through libyaml) refuses with the same message at the same position."""
    with pytest.raises(_yaml.YamlError) as checked:
        _yamlparse.parse_pure(text)
    with pytest.raises(_yaml.YamlError) as bundled:
        _yamlparse.parse(text)
    assert (bundled.value.message, bundled.value.mark) == (checked.value.message, checked.value.mark)


FINGERPRINTS = {
    "jiangsu": "899c459dfb385d3b795d7d04b8fb74dd3c1e4d2cd0718470871a068b835231d8",
    "yangjiang": "91d0cc06b0feed88cdc796adb8411a620b413a9ed8fb6c87bafb9b0cee3df54d",
    "benxi": "ecdc5e4eefdb18871b23f89ffc9c34b725d7e715c7ab973d6997db8bcb4284d5",
    "yueyang": "9e0d767b95d3733d4457429424e66c0cdbacb12ebc6df051481ebecab2e3ff5e",
    "zhejiang": "e5affbf7893b89fcf3e2e5f652db8d58665b676c30724e88751ce3a0ad7922ca",
}
"""The bundled rule sets' fingerprints: stored determinations name them, so no change of the loader may move them."""

OVERLAY_FINGERPRINTS = {
    ("benxi", "benxi_private_gain_bar.yaml"): "5f3cbfe92e3f6d79e98f29a62c4dabbc41f74f6253fcf04de8c0985c8de239d3",
    ("yueyang", "yueyang_transfer_freeze_18_months.yaml"): "1ab30bd4229677f1e23d05594dc1827ce53a35dae85be424b451585ede1f17e9",
}


def test_bundled_fingerprints_are_pinned() -> None:
    """Each bundled rule set's ``sha256`` is the value it has always had (the SHA-256 of its canonical JSON)."""
    assert {key: rs.sha256 for key, rs in g.load_all().items()} == FINGERPRINTS


@pytest.mark.parametrize(("base", "overlay"), sorted(OVERLAY_FINGERPRINTS))
def test_overlaid_fingerprints_are_pinned(base: str, overlay: str) -> None:
    """A rule set amended by an example overlay keeps the fingerprint it has always had."""
    examples = Path(__file__).parents[1] / "docs" / "examples"
    assert g.load(base, overlays=[examples / overlay]).sha256 == OVERLAY_FINGERPRINTS[base, overlay]


def test_fingerprint_is_the_hash_of_the_canonical_json(tmp_path: Path) -> None:
    """A rule file's fingerprint is the SHA-256 of its model's JSON dump with sorted keys, compact, not ASCII-escaped."""
    rs = g.load(write(tmp_path, MINIMAL))
    canonical = json.dumps(rs.file.model_dump(mode="json"), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert rs.sha256 == hashlib.sha256(canonical.encode()).hexdigest()
