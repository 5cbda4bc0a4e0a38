"""Regression tests for the red-team findings of the hardening issue: every file name that arrives
inside a document is a key or a path under a root, reads are bounded, and bad input is a typed error."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import guanzhi_rules as g
from guanzhi_rules import CaseError, RuleSetError, RuleSetNotFoundError
from guanzhi_rules._check import check
from guanzhi_rules._expect import read_expectations
from guanzhi_rules._loader import rules_dir
from guanzhi_rules._source import MAX_SOURCE_BYTES
from guanzhi_rules.exceptions import ExpectationFileError
from tests.support import write

BENXI = (rules_dir() / "benxi.yaml").read_text(encoding="utf-8")
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "cases" / "failed_reform_pilot.yaml"


def with_source(directory: Path, name: str) -> Path:
    """Benxi's rule file, copied into ``directory`` with its source text renamed ``name``."""
    return write(directory, BENXI.replace("source: benxi.txt", f"source: {json.dumps(name)}"), "rules.yaml")


# ------------------------------------------------------------------ 1. a rule file's source text


@pytest.mark.parametrize("name", ["/etc/passwd", "../../../../etc/hostname", "sub/benxi.txt", "benxi.yaml", "a\0.txt"])
def test_a_source_outside_the_sources_folder_is_refused(tmp_path: Path, name: str) -> None:
    """A rule file may name its source text only as a plain .txt file name, never a path elsewhere."""
    with pytest.raises(RuleSetError, match=r"document\.source: must be a plain file name"):
        g.load(with_source(tmp_path, name))


def test_a_binary_source_is_a_check_finding_not_a_traceback(tmp_path: Path) -> None:
    """A source text that is not UTF-8 makes ``check`` report it, with the file's name."""
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "binary.txt").write_bytes(b"\xff\xfe\x00garbage")
    report = check(with_source(tmp_path, "binary.txt"))
    (finding,) = report.findings
    assert finding.message == "source text binary.txt cannot be read: source text binary.txt is not UTF-8 (byte offset 0)"


def test_an_oversized_source_is_refused_without_reading_it_whole(tmp_path: Path) -> None:
    """A source text past the size limit is a finding; no more than the limit is read."""
    (tmp_path / "sources").mkdir()
    with open(tmp_path / "sources" / "huge.txt", "wb") as file:
        file.truncate(MAX_SOURCE_BYTES * 300)  # sparse: 300 MB that take no disk
    report = check(with_source(tmp_path, "huge.txt"))
    assert "is larger than" in report.findings[0].message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_source_is_refused_not_waited_on(tmp_path: Path) -> None:
    """A source text that is a FIFO is reported as not a regular file instead of blocking forever."""
    (tmp_path / "sources").mkdir()
    os.mkfifo(tmp_path / "sources" / "pipe.txt")
    report = check(with_source(tmp_path, "pipe.txt"))
    assert report.findings[0].message == "source text pipe.txt cannot be read: not a regular file"


# ------------------------------------------------------------------ 2. names inside histories, expectations, determinations


@pytest.mark.parametrize("key", ["../rules/benxi", "/etc/passwd", "benxi.yaml", "x" * 5000, "a\0b", 7])
def test_a_history_names_its_rule_set_by_bundled_key_only(key: object) -> None:
    """A past decision's jurisdiction is a bundled key; a path, an odd name or a number is refused as unknown."""
    entry = {"jurisdiction": key, "decided": "2020-01-01", "measures": ["removal"], "facts": {}}
    with pytest.raises((RuleSetNotFoundError, CaseError)):
        g.eligibility([entry], on=__import__("datetime").date(2021, 1, 1))


@pytest.mark.parametrize("key", ["../../rules/benxi", "/etc/passwd", "x" * 5000])
def test_verify_loads_only_the_bundled_rule_set_a_determination_names(key: str) -> None:
    """A stored determination whose jurisdiction key is a path is refused, not read."""
    stored = json.loads(g.load("benxi").evaluate(g.read_case(EXAMPLE)).to_json())
    stored["jurisdiction"]["key"] = key
    with pytest.raises(RuleSetNotFoundError):
        g.verify(stored)


def expectation(directory: Path, case_file: str, key: str = "benxi") -> Path:
    """An expected-outcome file in ``directory`` naming ``case_file`` and the rule set ``key``."""
    return write(directory, f"case_file: {json.dumps(case_file)}\nexpect:\n  {json.dumps(key)}: {{scope.outcome: covered}}\n",
                 "x.guanzhi.yaml")


def test_an_expectation_reads_case_files_inside_its_root_only(tmp_path: Path) -> None:
    """A case file outside the root (absolute or through ..) is refused with the file's position."""
    inner = tmp_path / "inner"
    inner.mkdir()
    for ref in (str(EXAMPLE), "../outside.yaml", "/etc/hostname"):
        (tmp_path / "outside.yaml").write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
        with pytest.raises(ExpectationFileError, match=r"lies outside|relative to this file"):
            read_expectations(expectation(inner, ref), root=inner)


def test_an_expectation_names_rule_files_inside_its_root_only(tmp_path: Path) -> None:
    """A rule-file key that is a path outside the root is refused, never loaded."""
    (tmp_path / "case.yaml").write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    for key in (str(rules_dir() / "benxi.yaml"), "../benxi.yaml"):
        with pytest.raises(ExpectationFileError, match=r"lies outside|relative to this file"):
            read_expectations(expectation(tmp_path, "case.yaml", key), root=tmp_path)


@pytest.mark.parametrize("make", ["fifo", "loop", "nul", "long"])
def test_odd_case_file_names_are_errors_not_hangs_or_tracebacks(tmp_path: Path, make: str) -> None:
    """A FIFO, a symlink loop, a NUL byte or an over-long name as a case file is an ExpectationFileError."""
    ref = {"fifo": "pipe.yaml", "loop": "loop.yaml", "nul": "a\0b.yaml", "long": "x" * 5000}[make]
    if make == "fifo":
        os.mkfifo(tmp_path / ref)
    if make == "loop":
        (tmp_path / ref).symlink_to(tmp_path / ref)
    with pytest.raises(ExpectationFileError):
        read_expectations(expectation(tmp_path, ref), root=tmp_path)


def test_a_fifo_case_file_is_a_case_error_not_a_hang(tmp_path: Path) -> None:
    """Reading a case from a FIFO is refused at once as not a regular file."""
    os.mkfifo(tmp_path / "pipe.yaml")
    with pytest.raises(CaseError, match="not a regular file"):
        g.read_case(tmp_path / "pipe.yaml")
