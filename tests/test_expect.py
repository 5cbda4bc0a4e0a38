"""Expected-outcome files: the format, matching, reports, ``guanzhi test``, and the pytest plugin (through pytester)."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path
from typing import Any

import pytest

import guanzhi_rules as g
from guanzhi_rules._expect import check, matches, parse_path, read_expectations, resolve
from guanzhi_rules.exceptions import ExpectationFileError
from tests.support import run

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "cases"
EXPECTED = ROOT / "tests" / "expected"
PILOT = EXAMPLES / "failed_reform_pilot.yaml"

PASSING = f"""\
name: failed pilot
case_file: {PILOT.name}
expect:
  benxi:
    scope.outcome: covered
    exemption.outcome: not_provided
    sanctions.measures: [criticism_education, self_examination, circulated_criticism, admonition]
    applied: {{has: [art7.1, art8]}}
    result.art9: does_not_apply
"""

WRONG = f"""\
name: failed pilot
case_file: {PILOT.name}
expect:
  benxi:
    scope.outcome: covered
    sanctions.measures: [transfer, demotion]
"""


def write(directory: Path, name: str, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    shutil.copy(PILOT, directory / PILOT.name)  # case files are read only from inside the file's root
    path = directory / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


# ------------------------------------------------------------------------------------------ the bundled files


def test_every_example_case_has_expectations_under_every_rule_set() -> None:
    """tests/expected holds a file for each examples/cases file, with expectations under all five rule sets."""
    for case_file in sorted(EXAMPLES.glob("*.yaml")):
        (expectations_file,) = EXPECTED.glob(f"{case_file.stem}.guanzhi.yaml")
        expectations = read_expectations(expectations_file)
        assert [e.key for e in expectations] == list(g.BUNDLED), case_file.name
        assert all(e.case == g.read_case(case_file) for e in expectations)


def test_the_bundled_expectations_pass() -> None:
    """``guanzhi test tests/expected`` passes: the engine gives every recorded outcome."""
    code, out, _ = run("test", "-q", str(EXPECTED))
    assert code == 0, out
    assert f"{len(list(EXAMPLES.glob('*.yaml'))) * len(g.BUNDLED)} passed, 0 failed" in out


# ------------------------------------------------------------------------------------------ paths and matching


@pytest.mark.parametrize(("path", "parts"), [
    ("scope.outcome", ("scope", "outcome")),
    ("circumstances.*.finding.rule_id", ("circumstances", "*", "finding", "rule_id")),
    ("sanctions.measures.-1", ("sanctions", "measures", -1)),
    ("trace.0.facts.conduct.gravity", ("trace", 0, "facts", "conduct", "gravity")),
    ("result.art6.8.rectification", ("result", "art6.8.rectification")),
    ("step.art8", ("step", "art8")),
    ("applied", ("applied",)),
])
def test_paths_split_into_fields_positions_and_rule_ids(path: str, parts: tuple[Any, ...]) -> None:
    """Dotted paths name fields, list positions and *, and result./step. take the rest as a rule id (ids contain dots)."""
    assert parse_path(path) == parts


@pytest.mark.parametrize(("path", "message"), [
    ("sanction.measures", "did you mean 'sanctions'"),
    ("scope.outcom", "did you mean 'outcome'"),
    ("sanctions.measures.first", "is a list"),
    ("scope.outcome.x", "is a single value"),
    ("result.", "give a rule id"),
    ("scope..outcome", "empty segment"),
])
def test_paths_are_checked_against_the_determination_model(path: str, message: str) -> None:
    """A path that names no field of a determination is refused when the file is read, with a did-you-mean."""
    with pytest.raises(ValueError, match=message):
        parse_path(path)


@pytest.mark.parametrize(("expected", "actual", "result"), [
    ("covered", "covered", True),
    (True, 1, False),
    (1, 1.0, True),
    ([1, 2], [1, 2], True),
    ([1, 2], [2, 1], False),
    ([1], [1, 2], False),
    ({"result": "applies"}, {"result": "applies", "step": 3}, True),
    ({"result": "applies"}, {"result": "defeated"}, False),
    ({"has": "a"}, ["a", "b"], True),
    ({"has": ["a", "c"]}, ["a", "b"], False),
    ({"lacks": ["c"]}, ["a", "b"], True),
    ({"lacks": "a"}, ["a", "b"], False),
    ({"unordered": ["b", "a"]}, ["a", "b"], True),
    ({"unordered": ["a"]}, ["a", "b"], False),
    ({"one_of": ["covered", "covered_by_reference"]}, "covered_by_reference", True),
    ({"not": "covered"}, "not_covered", True),
    ({"len": 2}, ["a", "b"], True),
    ({"has": "a", "len": 3}, ["a", "b"], False),
    ([{"rule_id": "art8"}], [{"rule_id": "art8", "modality": "may"}], True),
])
def test_matching_semantics(expected: Any, actual: Any, result: bool) -> None:
    """Mappings match by subset, lists exactly and in order, scalars by equality (true is not 1); operators as documented."""
    assert matches(expected, actual) is result


def test_wildcards_collect_from_every_item_and_shortcuts_read_the_trace() -> None:
    """* gathers a field from every list item; applied, result.ID and step.ID read the trace."""
    determination = g.load("benxi").evaluate(g.read_case(PILOT))
    data = determination.model_dump(mode="json")
    assert resolve(data, parse_path("circumstances.*.finding.rule_id")) == ["art7.1", "art7.2"]
    assert resolve(data, parse_path("applied")) == list(determination.applied())
    assert resolve(data, parse_path("result.art9")) == "does_not_apply"
    assert resolve(data, parse_path("step.art8"))["stage"] == "sanction_band"


# ------------------------------------------------------------------------------------------ file format


def test_one_case_a_list_of_cases_and_a_cases_key_are_all_read(tmp_path: Path) -> None:
    """A file may hold one case, a list of cases, or cases: [...]; inline cases and case files both work."""
    inline = "case: {subject: {kind: person}}\nexpect:\n  zhejiang: {scope.outcome: undetermined}\n"
    write(tmp_path, "one.guanzhi.yaml", inline)
    from_file = f"- case_file: {PILOT.name}\n  expect: {{benxi: {{scope.outcome: covered}}}}\n"
    write(tmp_path, "list.guanzhi.yaml", "- " + inline.replace("\n", "\n  ") + "\n" + from_file)
    write(tmp_path, "keyed.guanzhi.yaml", "description: two cases\ncases:\n  - " + inline.replace("\n", "\n    ") + "\n")
    counts = {p.name: len(read_expectations(p)) for p in sorted(tmp_path.glob("*.guanzhi.yaml"))}
    assert counts == {"keyed.guanzhi.yaml": 1, "list.guanzhi.yaml": 2, "one.guanzhi.yaml": 1}
    assert all(check(e).passed for p in tmp_path.glob("*.guanzhi.yaml") for e in read_expectations(p))


def test_case_names_default_to_the_case_id_and_repeat_names_are_numbered(tmp_path: Path) -> None:
    """A case without a name takes its id (or file stem); a second case of the same name gets #2."""
    text = f"- case_file: {PILOT.name}\n  expect: {{benxi: {{scope.outcome: covered}}}}\n" * 2
    names = [e.title for e in read_expectations(write(tmp_path, "x.guanzhi.yaml", text))]
    assert names == ["failed-reform-pilot [benxi]", "failed-reform-pilot #2 [benxi]"]


def test_a_rule_file_path_is_read_relative_to_the_expectation_file(tmp_path: Path) -> None:
    """An expect key with a slash or .yaml names a rule file relative to the file."""
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "mine.yaml").write_text((ROOT / "rules" / "benxi.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    path = write(tmp_path, "x.guanzhi.yaml", f"case_file: {PILOT.name}\nexpect:\n  rules/mine.yaml: {{scope.outcome: covered}}\n")
    (expectation,) = read_expectations(path)
    assert check(expectation).passed


@pytest.mark.parametrize(("text", "message"), [
    ("case: {}\nexpect:\n  benx: {scope.outcome: covered}\n", "3:9: unknown rule set 'benx'; did you mean 'benxi'"),
    ("case: {subject: {kind: persn}}\nexpect:\n  benxi: {scope.outcome: covered}\n", "1:7: the case is not valid"),
    ("case_file: nope.yaml\nexpect:\n  benxi: {scope.outcome: covered}\n", "case file 'nope.yaml' not found"),
    ("case: {}\nexpec:\n  benxi: {scope.outcome: covered}\n", "unknown key 'expec' in case #1; did you mean 'expect'"),
    ("case: {}\ncase_file: x.yaml\nexpect: {benxi: {scope.outcome: covered}}\n", "exactly one of 'case'"),
    ("case: {}\nexpect:\n  benxi: {scope.outcom: covered}\n", "3:25: 'scope.outcom': scope has no field 'outcom'"),
    ("case: {}\nexpect:\n  benxi: {result.art88: applies}\n", "no rule 'art88' in benxi; did you mean 'art8'"),
    ("case: {}\nexpect:\n  benxi: {applied: {unordered: art8}}\n", "'unordered' takes a list"),
    ("case: {}\nexpect:\n  benxi: {}\n", "must map determination paths"),
    ("case: {}\nexpect: {benxi: {scope.outcome: [covered\n", "3:1: expected ',' or ']'"),
    ("just text\n", "a case with 'expect'"),
    ("cases: []\n", "no cases in the file"),
])
def test_malformed_files_are_refused_with_their_line_and_column(tmp_path: Path, text: str, message: str) -> None:
    """Everything wrong with a file is an ExpectationFileError naming file, line and column, with a did-you-mean."""
    with pytest.raises(ExpectationFileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_expectations(write(tmp_path, "bad.guanzhi.yaml", text))


# ------------------------------------------------------------------------------------------ reports


def test_a_failure_report_shows_expected_actual_the_difference_and_the_trace(tmp_path: Path) -> None:
    """The report names file and line, shows both values, the missing and unexpected items, and the rules' trace steps."""
    (expectation,) = read_expectations(write(tmp_path, "x.guanzhi.yaml", WRONG))
    result = check(expectation)
    assert not result.passed
    report = result.report()
    assert "x.guanzhi.yaml:5: failed pilot [benxi]: 1 of 2 expectation(s) not met" in report
    assert "sanctions.measures (line 6)" in report
    assert "expected: [transfer, demotion]" in report
    assert "actual:   [criticism_education, self_examination, circulated_criticism, admonition]" in report
    assert "missing:    [transfer, demotion]" in report
    assert "trace of the rules involved:" in report
    assert "art8 [sanction_band] 第八条: applies" in report
    assert "facts: conduct.gravity = minor" in report


def test_a_subset_mismatch_shows_only_the_keys_asked_about(tmp_path: Path) -> None:
    """An expected mapping is compared by subset, so the report shows the actual value's same keys, not the whole object."""
    text = f"case_file: {PILOT.name}\nexpect:\n  benxi:\n    step.art8: {{result: defeated}}\n"
    (expectation,) = read_expectations(write(tmp_path, "x.guanzhi.yaml", text))
    report = check(expectation).report()
    assert "expected: {result: defeated}" in report
    assert "actual:   {result: applies}" in report


# ------------------------------------------------------------------------------------------ guanzhi test


def test_cli_exit_codes(tmp_path: Path) -> None:
    """Exit 0 when everything passes, 1 when an expectation fails, 2 for a malformed file or nothing to run."""
    good = write(tmp_path, "good.guanzhi.yaml", PASSING)
    assert run("test", str(good))[0] == 0
    bad = write(tmp_path, "wrong.guanzhi.yaml", WRONG)
    code, out, _ = run("test", str(good), str(bad))
    assert code == 1
    assert "FAIL" in out and "1 passed, 1 failed" in out
    write(tmp_path, "broken.guanzhi.yaml", "case: {}\n")
    code, out, err = run("test", str(tmp_path))
    assert code == 2
    assert "broken.guanzhi.yaml" in err and "1 malformed file(s)" in out
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run("test", str(empty))[0] == 2
    assert run("test", str(tmp_path / "missing"))[0] == 2


def test_cli_searches_directories_for_the_pattern_only(tmp_path: Path) -> None:
    """A directory is searched recursively for *.guanzhi.yaml; other YAML files (cases, rule files) are left alone."""
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub", "a.guanzhi.yaml", PASSING)
    write(tmp_path, "case.yaml", "subject: {kind: person}\n")
    code, out, _ = run("test", str(tmp_path))
    assert code == 0
    assert "ok    " in out and "1 passed, 0 failed" in out


# ------------------------------------------------------------------------------------------ the pytest plugin


def test_pytest_collects_expectation_files(pytester: pytest.Pytester) -> None:
    """pytest collects *.guanzhi.yaml files, one test per case and rule set, and leaves other YAML alone."""
    shutil.copy(PILOT, pytester.path / PILOT.name)
    pytester.makefile(".guanzhi.yaml", good=PASSING)
    pytester.makefile(".yaml", plain="subject: {kind: person}\n")
    result = pytester.runpytest("-v")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*good.guanzhi.yaml::failed pilot ?benxi? PASSED*"])


def test_pytest_reports_a_wrong_expectation_with_a_readable_diff(pytester: pytest.Pytester) -> None:
    """A wrong expectation fails with expected and actual values, what is missing, and the trace of the rules involved."""
    shutil.copy(PILOT, pytester.path / PILOT.name)
    pytester.makefile(".guanzhi.yaml", wrong=WRONG)
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([
        "*sanctions.measures (line 6)",
        "*expected: ?transfer, demotion?",
        "*actual:   ?criticism_education, self_examination, circulated_criticism, admonition?",
        "*missing:    ?transfer, demotion?",
        "*trace of the rules involved:",
        "*art8 ?sanction_band? 第八条: applies",
    ])
    assert "Traceback" not in result.stdout.str()


def test_pytest_reports_a_malformed_file_as_a_collection_error(pytester: pytest.Pytester) -> None:
    """A malformed file is a collection error naming its line and column, not a traceback."""
    pytester.makefile(".guanzhi.yaml", broken="case: {}\nexpect:\n  benx: {scope.outcome: covered}\n")
    result = pytester.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*malformed expected-outcome file: *broken.guanzhi.yaml:3:9: unknown rule set 'benx'; did you mean*"])


def test_pytest_patterns_are_configurable_and_the_plugin_can_be_disabled(pytester: pytest.Pytester) -> None:
    """The guanzhi_patterns ini option changes which files are collected; -p no:guanzhi turns the plugin off."""
    shutil.copy(PILOT, pytester.path / PILOT.name)
    pytester.makefile(".yaml", expect_pilot=PASSING)
    pytester.makeini("[pytest]\nguanzhi_patterns = expect_*.yaml\n")
    pytester.runpytest().assert_outcomes(passed=1)
    pytester.makeini("[pytest]\n")
    pytester.makefile(".guanzhi.yaml", good=PASSING)
    pytester.runpytest().assert_outcomes(passed=1)
    pytester.runpytest("-p", "no:guanzhi").assert_outcomes()
