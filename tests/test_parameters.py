"""``editable_parameters`` and ``guanzhi rules``: every rule listed with the parameters an overlay's ``set:`` takes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

import guanzhi_rules as g
from guanzhi_rules._parameters import editable_parameters
from guanzhi_rules._rulefile import BUNDLED

from .support import run


@pytest.mark.parametrize("key", BUNDLED)
def test_every_rule_is_listed_in_file_order(key: str) -> None:
    """The listing has every rule of the rule set, in order, with its stage, modality and label."""
    ruleset = g.load(key)
    listing = editable_parameters(ruleset)
    assert [e.id for e in listing.rules] == [r.id for r in ruleset]
    for entry, compiled in zip(listing.rules, ruleset, strict=True):
        assert (entry.stage, entry.modality, entry.label) == (compiled.rule.stage, compiled.rule.modality, compiled.rule.label)


def test_the_benxi_transfer_freeze_is_a_parameter() -> None:
    """Benxi art13.transfer lists its freeze as then.0.freeze.months = 12, at 第十三条."""
    entry = next(e for e in editable_parameters(g.load("benxi")).rules if e.id == "art13.transfer")
    months = next(p for p in entry.parameters if p.kind == "months")
    assert (entry.article, months.rule, months.path, months.value) == ("第十三条", "art13.transfer", "then.0.freeze.months", 12)


@pytest.mark.parametrize("key", BUNDLED)
def test_each_listed_parameter_can_be_set_to_its_own_value(tmp_path: Path, key: str) -> None:
    """Writing each listed parameter back with its current value is a valid overlay that changes no rule."""
    listing = editable_parameters(g.load(key))
    changes: list[dict[str, Any]] = []
    for p in [q for e in listing.rules for q in e.parameters] + list(listing.definitions):
        change: dict[str, Any] = {"rule": p.rule} if p.rule else {"define": p.define}
        if p.path:
            change["path"] = p.path
        changes.append({**change, "value": p.value})
    assert changes
    path = tmp_path / "same.yaml"
    path.write_text(yaml.safe_dump({"overlay": {"base": key, "title": {"zh": "不变", "en": "same"}}, "set": changes},
                                   allow_unicode=True), encoding="utf-8")
    amended, base = g.load(key, overlays=[path]), g.load(key)
    assert [r.rule for r in amended] == [r.rule for r in base]


def test_a_parameter_set_to_a_new_value_changes_that_rule(tmp_path: Path) -> None:
    """A listed band's measures set to fewer measures changes exactly that rule's measures."""
    entry = next(e for e in editable_parameters(g.load("benxi")).rules if e.id == "art9")
    measures = next(p for p in entry.parameters if p.kind == "measures")
    path = tmp_path / "fewer.yaml"
    path.write_text(yaml.safe_dump({"overlay": {"base": "benxi", "title": {"zh": "少", "en": "fewer"}},
                                    "set": [{"rule": "art9", "path": measures.path, "value": measures.value[:2]}]}), encoding="utf-8")
    assert g.load("benxi", overlays=[path]).rule("art9").rule.then[0].measures == tuple(measures.value[:2])


def test_cli_lists_rules_and_parameters_in_chinese_english_and_json() -> None:
    """``guanzhi rules benxi`` shows the freeze path in zh and en text, and --json is the listing's JSON."""
    (a, zh, _), (b, en, _), (c, js, _) = run("rules", "benxi"), run("rules", "benxi", "--lang", "en"), run("rules", "benxi", "-j")
    assert a == b == c == 0
    assert "art13.transfer  第十三条  处理后果  应当  调离岗位的，一年内不得提拔" in zh
    assert "then.0.freeze.months = 12" in zh and "影响期（月）" in zh
    assert "months" in en and "影响期" not in en
    assert json.loads(js) == json.loads(editable_parameters(g.load("benxi")).to_json())


def test_cli_rules_of_an_unknown_key_exits_2_with_a_hint() -> None:
    """An unknown key is bad input: exit 2 with a did-you-mean."""
    code, _, err = run("rules", "benxy")
    assert code == 2 and "benxi" in err
