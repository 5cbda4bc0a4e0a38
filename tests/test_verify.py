"""`guanzhi verify`: would the rules as they stand decide a stored determination the same?"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

import guanzhi_rules as g
from guanzhi_rules._cli import main
from guanzhi_rules._loader import rules_dir
from guanzhi_rules._verify import verify

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "cases"
CASE = EXAMPLES / "minor_inaction.yaml"


def stored() -> dict[str, object]:
    return json.loads(g.load("benxi").evaluate(g.read_case(CASE)).to_json())


def test_unchanged_rules_decide_the_same() -> None:
    """A stored determination verified against unchanged rules and the same case is recomputed and found the same."""
    result = verify(stored(), g.read_case(CASE))
    assert result.same and result.recomputed and result.changed == ()


def test_changed_rule_set_is_detected_by_fingerprint_and_outcome(tmp_path: Path) -> None:
    """A drafter narrows Benxi art. 8 to nothing: the stored determination no longer holds."""
    shutil.copytree(rules_dir() / "sources", tmp_path / "sources")
    text = (rules_dir() / "benxi.yaml").read_text(encoding="utf-8")
    (tmp_path / "benxi.yaml").write_text(
        text.replace("- {fact: conduct.gravity, is: minor}", "- {fact: conduct.gravity, is: grave}", 1), encoding="utf-8")
    result = verify(stored(), g.read_case(CASE), g.load(tmp_path / "benxi.yaml"))
    assert not result.same
    assert "ruleset_sha256" in result.fingerprints
    assert "sanctions" in result.changed
    assert "would decide differently" in result.to_text()


def test_wrong_case_is_named() -> None:
    """Verifying a stored determination against another case names the case fingerprint as the mismatch."""
    result = verify(stored(), g.read_case(EXAMPLES / "village_cadre.yaml"))
    assert "case_sha256" in result.fingerprints
    assert "not the one" in result.to_text()


def test_cli_verify_exit_codes(tmp_path: Path) -> None:
    """``guanzhi verify`` exits 0 when the determination holds, with or without the case, and 2 on a non-determination file."""
    path = tmp_path / "d.json"
    path.write_text(json.dumps(stored(), ensure_ascii=False), encoding="utf-8")
    ok = CliRunner().invoke(main, ["verify", str(path), str(CASE)])
    assert ok.exit_code == 0 and "decide the same" in ok.output
    only_rules = CliRunner().invoke(main, ["verify", str(path)])
    assert only_rules.exit_code == 0 and "they match" in only_rules.output
    path.write_text(json.dumps({"not": "a determination"}), encoding="utf-8")
    bad = CliRunner().invoke(main, ["verify", str(path), str(CASE)])
    assert bad.exit_code == 2 and "not a stored determination" in bad.stderr
