"""The CLI in pipelines: '-' for stdin everywhere, --trace, and --jsonl streaming."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import guanzhi_rules as g
from guanzhi_rules._cli import main
from guanzhi_rules._output import determination_json

ROOT = Path(__file__).parents[1]
CASE = ROOT / "examples" / "cases" / "serious_inaction_petitions.yaml"
OVERLAY = ROOT / "docs" / "examples" / "benxi_tolerance_with_bar.yaml"
HISTORY = "- {jurisdiction: yueyang, decided: 2019-01-10, measures: [admonition]}\n"


def cli(*args: str, stdin: str | bytes | None = None) -> tuple[int, str, str]:
    """The guanzhi CLI in process: (exit code, stdout, stderr)."""
    result = CliRunner().invoke(main, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("args", [
    ("evaluate", "{}", "-j", "benxi", "--format", "json"),
    ("compare", "{}", "-j", "benxi", "-j", "zhejiang", "--format", "json"),
    ("explain", "{}", "art17.1", "-j", "yueyang", "--format", "json"),
])
def test_dash_reads_the_case_from_stdin(args: tuple[str, ...]) -> None:
    """evaluate, compare and explain read the case from stdin for '-', with the same output as from the file."""
    from_file = cli(*[str(CASE) if a == "{}" else a for a in args])
    from_stdin = cli(*["-" if a == "{}" else a for a in args], stdin=CASE.read_bytes())
    assert from_file[0] == from_stdin[0] == 0
    assert from_file[1] == from_stdin[1]


def test_dash_for_eligibility_verify_and_check() -> None:
    """eligibility reads the history, verify the stored determination or the case, and check an overlay from stdin."""
    assert cli("eligibility", "-", "--on", "2019-06-01", "--format", "json", stdin=HISTORY)[1].startswith("{")
    stored = cli("evaluate", str(CASE), "-j", "benxi", "--format", "json")[1]
    assert cli("verify", "-", str(CASE), stdin=stored)[0] == 0
    code, out, _ = cli("check", "-", stdin=OVERLAY.read_bytes())
    assert code == 0 and out.startswith("== -:")
    code, out, _ = cli("check", "-", stdin='{"overlay": {"base": "benxi", "title": {"zh": "删", "en": "x"}}, "remove": ["art9"]}')
    assert code == 1 and "-:1:" in out and "/tmp" not in out


def test_stdin_errors_name_stdin() -> None:
    """A bad case on stdin exits 2 with the field path, naming <stdin>."""
    code, _, err = cli("evaluate", "-", "-j", "benxi", stdin="subject: {kindd: person}\n")
    assert code == 2 and "<stdin>" in err and "subject.kindd" in err and "did you mean 'kind'" in err


@pytest.mark.parametrize("trace", ["full", "steps", "none"])
def test_trace_levels_on_evaluate_and_compare(trace: str) -> None:
    """--trace gives the determination JSON with as much trace as asked for."""
    d = g.load("benxi").evaluate(g.read_case(CASE))
    code, out, _ = cli("evaluate", str(CASE), "-j", "benxi", "--format", "json", "--trace", trace)
    assert code == 0 and json.loads(out) == [json.loads(determination_json(d, trace=trace))]  # type: ignore[arg-type]
    code, out, _ = cli("compare", str(CASE), "-j", "benxi", "--format", "json", "--trace", trace)
    assert ("trace" in json.loads(out)["determinations"][0]) == (trace != "none")


def test_jsonl_streams_one_result_per_line() -> None:
    """--jsonl reads one case per line and writes one line per case: a list of its determinations, one per rule set."""
    files = sorted((ROOT / "examples" / "cases").glob("*.yaml"))[:4]
    lines = "".join(g.read_case(f).model_dump_json(exclude_none=True) + "\n" for f in files)
    code, out, _ = cli("evaluate", "--jsonl", "-", "-j", "benxi", "--trace", "none", stdin=lines + "\n")
    assert code == 0
    expected = ["[" + determination_json(g.load("benxi").evaluate(g.read_case(f)), trace="none", indent=None) + "]" for f in files]
    assert out.splitlines() == expected
    code, out, _ = cli("evaluate", "--jsonl", "-", "-j", "benxi", "-j", "yueyang", stdin=lines)
    assert [len(json.loads(line)) for line in out.splitlines()] == [2] * len(files)


def test_jsonl_reports_a_bad_line_in_its_place_and_exits_2() -> None:
    """A line that is not a valid case gives an error object on its own output line; the others are still evaluated."""
    stdin = '{}\n{"subject": {"kindd": 1}}\n[[[[\n{}\n'
    code, out, _ = cli("evaluate", "--jsonl", "-", "-j", "zhejiang", "--trace", "none", stdin=stdin)
    assert code == 2
    lines = [json.loads(line) for line in out.splitlines()]
    assert len(lines) == 4 and lines[0][0]["jurisdiction"]["key"] == "zhejiang" and lines[3][0]["jurisdiction"]["key"] == "zhejiang"
    assert lines[1]["line"] == 2 and lines[1]["problems"][0]["path"] == "subject.kindd"
    assert lines[2]["line"] == 3 and "not a JSON document" in lines[2]["error"]


def test_option_combinations_that_make_no_sense_are_usage_errors() -> None:
    """--jsonl with --table, and -o or --skip-bad without --table, exit 2."""
    assert cli("evaluate", str(CASE), "--jsonl", "--table")[0] == 2
    assert cli("evaluate", str(CASE), "-o", "x.parquet")[0] == 2
    assert cli("verify", "-", "-", stdin="{}")[0] == 2


def test_schema_prints_the_overlay_and_history_formats() -> None:
    """guanzhi schema overlay and history print the JSON Schemas the API serves."""
    assert "overlay" in json.loads(cli("schema", "overlay")[1])["properties"]
    assert json.loads(cli("schema", "history")[1])["type"] == "array"


def test_serve_is_a_command() -> None:
    """guanzhi serve is listed with its options."""
    code, out, _ = cli("serve", "--help")
    assert code == 0 and "--port" in out and "/openapi.json" in out
