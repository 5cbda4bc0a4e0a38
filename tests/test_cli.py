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
    (determination,) = json.loads(out)
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
    """-j all evaluates under every bundled rule set, a list in the bundled order."""
    code, out, _ = run("evaluate", str(EXAMPLE), "-j", "all", "--format", "json")
    assert code == 0
    payload = json.loads(out)
    assert [d["jurisdiction"]["key"] for d in payload] == list(g.load_all())


@pytest.mark.parametrize("keys", [("benxi",), ("zhejiang", "benxi"), ("all",)])
def test_evaluate_json_is_a_list_however_many_rule_sets(keys: tuple[str, ...]) -> None:
    """One -j, several or all: the JSON is always a list of determinations, in the order asked."""
    code, out, _ = run("evaluate", str(EXAMPLE), *(a for k in keys for a in ("-j", k)), "--format", "json")
    assert code == 0
    payload = json.loads(out)
    assert isinstance(payload, list)
    assert [d["jurisdiction"]["key"] for d in payload] == (list(g.BUNDLED) if keys == ("all",) else list(keys))


def test_evaluate_json_of_one_rule_set_verifies(tmp_path: Path) -> None:
    """What `evaluate -j KEY --format json` writes is what `verify` reads; a list of several is refused with exit 2."""
    code, out, _ = run("evaluate", str(EXAMPLE), "-j", "benxi", "--format", "json")
    stored = tmp_path / "d.json"
    stored.write_text(out, encoding="utf-8")
    assert run("verify", str(stored), str(EXAMPLE))[0] == 0
    _, out, _ = run("evaluate", str(EXAMPLE), "-j", "benxi", "-j", "jiangsu", "--format", "json")
    stored.write_text(out, encoding="utf-8")
    code, _, err = run("verify", str(stored), str(EXAMPLE))
    assert code == 2 and "a list of 2 determinations" in err


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


@pytest.mark.parametrize(("what", "prop"), [("case", "conduct"), ("ruleset", "rules"), ("determination", "trace")])
def test_schema_prints_json_schema(what: str, prop: str) -> None:
    """`guanzhi schema` prints a JSON Schema for cases, rule files and determinations."""
    code, out, _ = run("schema", what)
    assert code == 0
    assert prop in json.loads(out)["properties"]


def test_determination_schema_describes_the_canonical_address() -> None:
    """The determination's JSON Schema has a citation's canonical address with article, item, sub-item and text."""
    code, out, _ = run("schema", "determination")
    assert code == 0
    address = json.loads(out)["$defs"]["Address"]
    assert set(address["required"]) >= {"article", "text"}
    assert {"article", "item", "sub_item", "text"} <= set(address["properties"])
