import json
import re
from pathlib import Path

import pytest

import guanzhi_rules as g
from guanzhi_rules._loader import rules_dir
from tests.support import run

EXAMPLE = Path(__file__).parents[1] / "examples" / "cases" / "serious_inaction_petitions.yaml"


def test_evaluate_json_cites_verbatim_quotes() -> None:
    """The JSON determination's trace cites Benxi articles with quotes found verbatim in the source."""
    code, out, _ = run("evaluate", str(EXAMPLE), "-j", "benxi", "--format", "json")
    assert code == 0
    determination = json.loads(out)
    source = re.sub(r"\s+", "", (rules_dir() / "sources" / "benxi.txt").read_text(encoding="utf-8"))
    applied = [s for s in determination["trace"] if s["result"] == "applies"]
    assert applied
    for step in determination["trace"]:
        assert re.sub(r"\s+", "", step["citation"]["quote"]) in source
        assert step["citation"]["article"].startswith("第")


@pytest.mark.parametrize(("lang", "heading"), [("zh", "适用范围"), ("en", "Scope")])
def test_evaluate_text_in_both_languages(lang: str, heading: str) -> None:
    """Text output renders in the requested language."""
    code, out, _ = run("evaluate", str(EXAMPLE), "-j", "benxi", "--lang", lang)
    assert code == 0
    assert heading in out


def test_evaluate_all_gives_one_determination_per_rule_set() -> None:
    """-j all evaluates under every bundled rule set."""
    code, out, _ = run("evaluate", str(EXAMPLE), "-j", "all", "--format", "json")
    assert code == 0
    payload = json.loads(out)
    payload = payload if isinstance(payload, list) else [payload]
    assert [d["jurisdiction"]["key"] for d in payload] == list(g.load_all())


def test_bad_case_exits_2_with_one_paragraph(tmp_path: Path) -> None:
    """An unknown field exits 2 with a one-line error naming the field and the nearest name, no traceback."""
    case = tmp_path / "case.yaml"
    case.write_text("conduct:\n  actz: [slacking]\n", encoding="utf-8")
    code, out, err = run("evaluate", str(case), "-j", "benxi")
    assert code == 2
    assert out == ""
    assert "conduct.actz" in err and "did you mean 'acts'" in err
    assert "Traceback" not in err
    assert err.strip().count("\n") == 0


def test_bad_rule_file_exits_2(tmp_path: Path) -> None:
    """A malformed rule file exits 2 with its location."""
    rules = tmp_path / "bad.yaml"
    rules.write_text("document: {}\n", encoding="utf-8")
    code, _, err = run("evaluate", str(EXAMPLE), "-j", str(rules))
    assert code == 2
    assert str(rules) in err and "Traceback" not in err


@pytest.mark.parametrize("args", [("evaluate", "missing.yaml"), ("evaluate", str(EXAMPLE), "-j", "benx")])
def test_missing_inputs_exit_2(args: tuple[str, ...]) -> None:
    """A missing case file or an unknown jurisdiction exits 2 without a traceback."""
    code, _, err = run(*args)
    assert code == 2
    assert "Traceback" not in err


@pytest.mark.parametrize(("what", "prop"), [("case", "conduct"), ("ruleset", "rules")])
def test_schema_prints_json_schema(what: str, prop: str) -> None:
    """`guanzhi schema` prints a JSON Schema for cases and for rule files."""
    code, out, _ = run("schema", what)
    assert code == 0
    assert prop in json.loads(out)["properties"]
