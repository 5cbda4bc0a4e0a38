"""Regression tests for the red-team findings of the hardening issue: every file name that arrives
inside a document is a key or a path under a root, reads are bounded, and bad input is a typed error."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import pickle
import re
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import guanzhi_rules as g
from guanzhi_rules import CaseError, RuleSetError, RuleSetNotFoundError, _satisfy, _yaml, _yamlparse, exceptions
from guanzhi_rules._batch import outcomes
from guanzhi_rules._check import check
from guanzhi_rules._cli import main
from guanzhi_rules._conditions import walk
from guanzhi_rules._expect import read_expectations
from guanzhi_rules._facts import FACTS
from guanzhi_rules._loader import rules_dir
from guanzhi_rules._outcome import outcome_of
from guanzhi_rules._population import generate
from guanzhi_rules._satisfy import witness
from guanzhi_rules._source import MAX_SOURCE_BYTES
from guanzhi_rules._workers import forked_map
from guanzhi_rules.exceptions import ExpectationFileError
from tests.support import MINIMAL_RULE_FILE, write

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
        g.eligibility([entry], on=dt.date(2021, 1, 1))


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


# ------------------------------------------------------------------ 3. named conditions that use each other


def doubling_chain(depth: int) -> str:
    """A rule file whose named conditions each use the one before twice: 2**depth leaves written out."""
    defs = "define:\n  c0: {fact: subject.is_leading_cadre, is: true}\n" + "".join(
        f"  c{i}: {{any: [{{use: c{i - 1}}}, {{use: c{i - 1}}}]}}\n" for i in range(1, depth + 1))
    return MINIMAL_RULE_FILE.replace("\nrules:", "\n" + defs + "rules:", 1)


def test_a_doubling_chain_of_named_conditions_is_refused_at_the_first_definition_past_the_limit(tmp_path: Path) -> None:
    """A 40-deep chain (3.4 KB) is refused at c15, the first whose written-out size passes the limit."""
    with pytest.raises(RuleSetError, match=r"definition 'c15': written out in full, this condition has 32,768 leaves"):
        g.load(write(tmp_path, doubling_chain(40)))


def test_a_chain_within_the_limit_loads_and_is_walked_once_per_part(tmp_path: Path) -> None:
    """A 14-deep chain (16,384 leaves written out) loads, and walking a rule that uses it visits each part once."""
    text = doubling_chain(14).replace("when: subject.is_leading_cadre", "when: {use: c14}", 1)
    condition = g.load(write(tmp_path, text)).rules[0].condition
    assert condition is not None
    assert len(list(walk(condition))) == 1 + 3 * 14 + 1  # the rule's use; each level's any and its two uses; c0


def test_an_overlay_cannot_make_a_bundled_definition_blow_up(tmp_path: Path) -> None:
    """Setting bundled definitions to double the one before is refused like the same rule file."""
    names = ["in_charge", "irresponsible_conduct", "inactive_conduct", "failure_to_take_responsibility", "inaction",
             "serious_consequences", "serious_influence", "incident_or_disaster", "key_risk_area", "key_supervision_field"]
    sets = "".join(f"  - define: {b}\n    value: {{any: [{{use: {a}}}, {{use: {a}}}, {{use: {a}}}, {{use: {a}}}, {{use: {a}}}]}}\n"
                   for a, b in itertools.pairwise(names))
    path = write(tmp_path, f"overlay: {{base: benxi, title: {{zh: 爆炸, en: blow-up}}}}\nset:\n{sets}", "overlay.yaml")
    with pytest.raises(RuleSetError, match="more than the limit"):
        g.load("benxi", overlays=[path])


# ------------------------------------------------------------------ 5. population arguments


@pytest.mark.parametrize(("args", "says"), [
    (["--generate", "9223372036854775807"], "a population has from 0 to 100,000,000 cases"),
    (["--generate", "99999999999999999999"], "a population has from 0 to 100,000,000 cases"),
    (["--generate", "10", "--seed", "-1"], "a seed is a whole number from 0"),
    (["--generate", "10", "--known", "nan"], "known is a probability, from 0 to 1, not nan"),
])
def test_diff_refuses_population_arguments_out_of_bounds_at_once(args: list[str], says: str) -> None:
    """Huge sizes, negative seeds and NaN probabilities exit 2 with one message, before any work."""
    result = CliRunner().invoke(main, ["diff", "benxi", "benxi", *args])
    assert result.exit_code == 2
    assert says in result.output
    assert "Traceback" not in result.output


# ------------------------------------------------------------------ 7–9. workers


@pytest.mark.parametrize("cls", [cls for cls in map(lambda n: getattr(exceptions, n), exceptions.__all__)
                                 if isinstance(cls, type) and issubclass(cls, g.GuanzhiError)])
def test_every_library_error_survives_pickling(cls: type[g.GuanzhiError]) -> None:
    """Each library error unpickles with the same type, message and attributes (as a worker sends it)."""
    samples: dict[type, g.GuanzhiError] = {
        CaseError: CaseError([exceptions.FieldProblem("conduct.acts.0", "unknown code 'slaking'")], source="case.yaml"),
        RuleSetError: RuleSetError("bad", location=exceptions.Location("r.yaml", 3, 4), rule_id="art6"),
        RuleSetNotFoundError: RuleSetNotFoundError("no bundled rule set 'x'"),
        ExpectationFileError: ExpectationFileError("bad", location=exceptions.Location("x.guanzhi.yaml", 1, 2)),
        exceptions.WorkerError: exceptions.WorkerError("died", detail="Traceback ..."),
    }
    error = samples.get(cls) or cls("message")
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is cls
    assert str(again) == str(error)
    assert again.__dict__ == error.__dict__


def square_or_fail(n: int) -> int:
    """n squared; n == 5 raises a CaseError, n == 7 a plain exception, n == 9 kills its own process."""
    if n == 5:
        raise CaseError([exceptions.FieldProblem("conduct.acts.0", "unknown code")], source=f"case-{n}.yaml")
    if n == 7:
        raise LookupError("not a library error")
    if n == 9:
        os.kill(os.getpid(), signal.SIGKILL)
    return n * n


def test_forked_map_returns_results_in_order() -> None:
    """Results come back in the items' order whatever the number of workers."""
    assert list(forked_map(square_or_fail, [1, 2, 3, 4, 6, 8], 3)) == [1, 4, 9, 16, 36, 64]


def test_a_library_error_in_a_worker_reaches_the_parent_intact() -> None:
    """A CaseError raised in a worker is raised in the parent with its field paths and source."""
    with pytest.raises(CaseError) as caught:
        list(forked_map(square_or_fail, list(range(20000)), 2))
    assert caught.value.paths == ("conduct.acts.0",)
    assert caught.value.source == "case-5.yaml"


def test_another_error_in_a_worker_becomes_a_worker_error_with_its_traceback() -> None:
    """A non-library exception in a worker is a WorkerError naming it, with the worker's traceback as detail."""
    with pytest.raises(exceptions.WorkerError, match="LookupError: not a library error") as caught:
        list(forked_map(square_or_fail, [6, 7, 8], 2))
    assert "square_or_fail" in (caught.value.detail or "")


def test_a_killed_worker_ends_the_run_with_an_error_not_a_hang() -> None:
    """A worker killed mid-run makes the parent raise WorkerError (naming SIGKILL) when it reaches that result."""
    with pytest.raises(exceptions.WorkerError, match="killed by SIGKILL"):
        list(forked_map(square_or_fail, [1, 2, 3, 9, 4], 2))


def test_dropping_the_iterator_reaps_every_worker() -> None:
    """Closing the generator early kills and reaps the children: none is left running."""
    results = forked_map(square_or_fail, list(range(10, 1000)), 2)
    assert next(results) == 100
    results.close()
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


RACE = """
import os, signal, sys, time
from pathlib import Path
from guanzhi_rules._workers import forked_map

forked, real_fork = [], os.fork

def fork_then_signal():
    pid = real_fork()
    if pid:
        forked.append(pid)
        os.kill(os.getpid(), signal.SIGTERM)  # before forked_map has noted the child
    return pid

def terminated(signum, frame):
    raise SystemExit("terminated")

os.fork = fork_then_signal
signal.signal(signal.SIGTERM, terminated)
try:
    list(forked_map(time.sleep, [30, 30], 2))
finally:
    print(len(forked), *(Path(f"/proc/{pid}").exists() for pid in forked))
"""


def test_a_signal_right_after_a_fork_still_kills_and_reaps_that_child() -> None:
    """SIGTERM between a fork and the child's place on the list waits for it, so the child is still killed and reaped."""
    # In a process of its own: the CLI's is single-threaded, as forked workers require (``map_chunks``).
    done = subprocess.run([sys.executable, "-c", RACE], capture_output=True, text=True, timeout=20, check=False)
    assert done.stdout.split() == ["1", "False"]
    assert "terminated" in done.stderr


def test_two_threads_diffing_with_workers_get_their_serial_results() -> None:
    """Two concurrent diffs with two workers each equal their serial results, round after round."""
    base = g.load("benxi")
    cases = generate(40_000, 3, 0.9)
    serial = g.diff(base, base, cases, workers=1).to_json()
    changed = g.load("benxi", overlays=[Path(__file__).resolve().parents[1] / "docs" / "examples" / "benxi_private_gain_bar.yaml"])
    serial_changed = g.diff(base, changed, cases, workers=1).to_json()
    for _ in range(5):
        with ThreadPoolExecutor(2) as pool:
            same = pool.submit(g.diff, base, base, cases, workers=2)
            other = pool.submit(g.diff, base, changed, cases, workers=2)
            assert same.result().to_json() == serial
            assert other.result().to_json() == serial_changed


def children_of(pid: int) -> list[int]:
    """The process ids whose parent is ``pid`` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with suppress(OSError):
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == pid:
                    found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc").is_dir() or len(os.sched_getaffinity(0)) < 2, reason="needs /proc and two cores")
@pytest.mark.parametrize(("how", "code", "says"), [
    ("SIGINT", 1, "Aborted!"),
    ("SIGTERM", 143, "error: terminated; the diff was not finished"),
    ("kill a worker", 2, "error: a worker process ended before finishing its work (killed by SIGKILL)"),
])
def test_a_diff_stopped_mid_run_ends_cleanly_and_leaves_no_worker(how: str, code: int, says: str) -> None:
    """Ctrl-C, SIGTERM or a killed worker end `guanzhi diff` within seconds, one message, no traceback, no orphans."""
    command = [sys.executable, "-m", "guanzhi_rules", "diff", "benxi", "benxi", "--generate", "5000000"]
    # The command must start with Ctrl-C handled, whatever this process inherited: a shell ignores SIGINT in jobs it
    # starts in the background (``cmd &``), and an ignored signal stays ignored across exec.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    finally:
        signal.signal(signal.SIGINT, previous)
    deadline = time.monotonic() + 60
    while len(children_of(process.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = children_of(process.pid)
    assert len(workers) == 2
    if how == "kill a worker":
        os.kill(workers[0], signal.SIGKILL)
    else:
        process.send_signal(getattr(signal, how))
    _, err = process.communicate(timeout=10)
    assert process.returncode == code
    assert says in err
    assert "Traceback" not in err
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers)


# ------------------------------------------------------------------ 11–12. dates strict, numbers finite


def with_condition(directory: Path, condition: str) -> Path:
    """The minimal rule file with its first rule's condition replaced."""
    return write(directory, MINIMAL_RULE_FILE.replace("when: subject.is_leading_cadre", f"when: {condition}", 1))


@pytest.mark.parametrize(("condition", "says"), [
    ("{fact: dates.conduct, at_least: 2020-01-01T00:00:00}", "not a timestamp (2020-01-01T00:00:00)"),
    ("{fact: dates.conduct, at_most: 2020-01-01T08:00:00+08:00}", "not a timestamp"),
    ("{fact: dates.conduct, at_least: 0001-01-01}", "too close to the calendar's ends"),
    ("{fact: dates.conduct, at_most: 9999-12-31}", "too close to the calendar's ends"),
    ("{fact: harm.loss_amount_cny, at_least: .inf}", "a finite number"),
    ("{fact: harm.loss_amount_cny, at_least: -.inf}", "a finite number"),
    ("{fact: harm.loss_amount_cny, at_least: .nan}", "a finite number"),
    ("{fact: harm.loss_amount_cny, at_least: 99999999999999999999999}", "a finite number"),
    ("{fact: harm.loss_amount_cny, at_most: 1e400}", "a finite number"),
])
def test_constants_that_cannot_decide_like_their_kind_are_refused_at_load(tmp_path: Path, condition: str, says: str) -> None:
    """Timestamps for dates, calendar-edge dates, non-finite or huge numbers are load errors, not later tracebacks."""
    with pytest.raises(RuleSetError, match=re.escape(says)):
        g.load(with_condition(tmp_path, condition))


def test_dates_near_the_calendar_ends_check_and_diff_without_overflow(tmp_path: Path) -> None:
    """The earliest and latest dates a condition accepts go through check's search and the diff."""
    earliest_to_latest = "{all: [{fact: dates.conduct, at_least: 0001-01-02}, {fact: dates.conduct, at_most: 9999-12-30}]}"
    rs = g.load(with_condition(tmp_path, earliest_to_latest))
    check(rs.path)
    case = g.parse_case({"dates": {"conduct": "2019-05-05"}, "subject": {"kind": "person", "is_leading_cadre": True}})
    assert g.diff(rs, rs, [case], workers=1).changed_cases == 0


def test_a_non_finite_number_in_a_rule_file_field_is_refused(tmp_path: Path) -> None:
    """A freeze of .inf months is a schema error, so no two fingerprints hide different decisions."""
    text = (rules_dir() / "benxi.yaml").read_text(encoding="utf-8").replace("months: 12", "months: .inf", 1)
    with pytest.raises(RuleSetError):
        g.load(write(tmp_path, text, "benxi.yaml"))


# ------------------------------------------------------------------ 13. verify


def stored_pilot() -> dict[str, Any]:
    """Benxi's determination of the failed-reform-pilot example, as stored JSON."""
    return json.loads(g.load("benxi").evaluate(g.read_case(EXAMPLE)).to_json())


@pytest.mark.parametrize("stored", [[], "text", {"jurisdiction": "benxi"}, {"jurisdiction": {"key": 3}, "fingerprints": {}},
                                    {"jurisdiction": {"key": "benxi"}, "fingerprints": []}])
def test_verify_refuses_what_is_not_a_determination_with_a_typed_error(stored: Any) -> None:
    """Odd JSON given to verify is a DeterminationError, never a KeyError or TypeError."""
    with pytest.raises(exceptions.DeterminationError, match="not a stored determination"):
        g.verify(stored)


@pytest.mark.parametrize(("field", "tampered"), [("sanctions", "bool-as-int"), ("trace", "int-as-float")])
def test_verify_compares_types_exactly(field: str, tampered: str) -> None:
    """A stored `true` turned into `1`, or `1` into `1.0`, is reported as a changed field."""
    stored = stored_pilot()

    def tamper(value: Any) -> tuple[Any, bool]:
        if tampered == "bool-as-int" and isinstance(value, bool):
            return int(value), True
        if tampered == "int-as-float" and isinstance(value, int) and not isinstance(value, bool):
            return float(value), True
        if isinstance(value, dict):
            for k, v in value.items():
                value[k], done = tamper(v)
                if done:
                    return value, True
        if isinstance(value, list):
            for i, v in enumerate(value):
                value[i], done = tamper(v)
                if done:
                    return value, True
        return value, False

    stored[field], done = tamper(stored[field])
    assert done, f"nothing to tamper with in {field}"
    assert stored == stored_pilot()  # equal to Python, different as JSON
    assert g.verify(stored, g.read_case(EXAMPLE)).changed == (field,)


@pytest.mark.parametrize("content", [b"[" * 100_000, b'{"a": ' * 50_000, b"\xff\xfe", b"null"])
def test_the_verify_command_refuses_deep_odd_or_binary_json_in_one_line(tmp_path: Path, content: bytes) -> None:
    """Deeply nested, non-UTF-8 or non-object JSON exits 2 with one message and no traceback."""
    path = tmp_path / "stored.json"
    path.write_bytes(content)
    result = CliRunner().invoke(main, ["verify", str(path)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert result.output.startswith(f"error: {path}: ")


def test_the_verify_command_reads_no_more_than_its_limit(tmp_path: Path) -> None:
    """A 100 MB stored determination is refused by size without being read whole."""
    path = tmp_path / "stored.json"
    with open(path, "wb") as file:
        file.truncate(100 * 1024 * 1024)
    result = CliRunner().invoke(main, ["verify", str(path)])
    assert result.exit_code == 2
    assert "larger than the limit" in result.output


# ------------------------------------------------------------------ 14. eligibility with odd facts


@pytest.mark.parametrize(("facts", "path"), [
    ({"decision": []}, "history[0].facts.decision"),
    ({"decision": None}, "history[0].facts.decision"),
    ({"dates": "2020-01-01"}, "history[0].facts.dates"),
    ({"dates": {"conduct": 5}}, "history[0].facts.dates.conduct"),
    ({"subject": {"kind": "persn"}}, "history[0].facts.subject.kind"),
    (None, "history[0].facts"),
])
def test_eligibility_names_the_history_field_at_fault(facts: Any, path: str) -> None:
    """Odd facts in a past decision are a CaseError whose path starts with history[i].facts."""
    entry = {"jurisdiction": "benxi", "decided": "2020-01-01", "measures": ["removal"], "facts": facts}
    with pytest.raises(CaseError) as caught:
        g.eligibility([entry], on=dt.date(2021, 1, 1))
    assert caught.value.paths == (path,)


def test_eligibility_refuses_a_history_entry_that_is_not_an_object() -> None:
    """A past decision that is a list is named by its index."""
    with pytest.raises(CaseError) as caught:
        g.eligibility([["benxi"]], on=dt.date(2021, 1, 1))  # type: ignore[list-item]
    assert caught.value.paths == ("history[0]",)


# ------------------------------------------------------------------ 6. hostile documents refused early


def test_a_rule_file_of_100000_nodes_is_refused_at_the_node_limit(tmp_path: Path) -> None:
    """A ~100,000-node rule file is refused where it crosses 25,000 nodes, with that position."""
    text = "document: {}\nrules:\n" + "".join(f"  - {{id: r{i}, stage: scope}}\n" for i in range(20_000))
    with pytest.raises(RuleSetError, match=r"r\.yaml:5002:5: more than 25000 nodes"):
        g.load(write(tmp_path, text, "r.yaml"))


def test_a_syntax_error_at_the_end_of_a_large_document_is_worded_without_a_second_reading() -> None:
    """Past 64 KiB a syntax error is worded from libyaml's own error, at its position."""
    text = "a:\n" + "".join(f"  - k{i}\n" for i in range(10_000)) + "b: [\n"
    assert len(text) > _yamlparse.PURE_WORDING_CHARS
    with pytest.raises(_yaml.YamlError) as caught:
        _yamlparse.parse(text)
    assert caught.value.mark == _yaml.Mark(10_003, 1)


def test_a_condition_nested_63_deep_loads_and_checks(tmp_path: Path) -> None:
    """A condition nested 60 levels deep (63 with the file's own) loads, evaluates and passes through check."""
    condition = "subject.is_leading_cadre"
    for _ in range(30):
        condition = f"{{not: {{not: {condition}}}}}"
    rs = g.load(with_condition(tmp_path, condition))
    case = g.parse_case({"subject": {"kind": "person", "is_leading_cadre": True}})
    assert rs.evaluate(case).scope.outcome == "covered"
    check(rs.path)


# ------------------------------------------------------------------ 4. check's satisfiability search


def pigeonhole(pigeons: int) -> str:
    """A condition saying ``pigeons`` pigeons sit in ``pigeons - 1`` holes, one to a hole: unsatisfiable, hard to refute."""
    members = [(path, code.value) for path, spec in FACTS.items() if spec.kind == "set" for code in spec.values or ()]
    holes = pigeons - 1

    def sits(p: int, h: int) -> str:
        path, code = members[p * holes + h]
        return f"{{fact: {path}, has: {code}}}"

    somewhere = [f"{{any: [{', '.join(sits(p, h) for h in range(holes))}]}}" for p in range(pigeons)]
    alone = [f"{{not: {{all: [{sits(p, h)}, {sits(q, h)}]}}}}" for h in range(holes) for p in range(pigeons) for q in range(p + 1, pigeons)]
    return f"{{all: [{', '.join(somewhere + alone)}]}}"


def test_a_pigeonhole_condition_is_settled_or_reported_over_budget_not_searched_for_minutes(tmp_path: Path) -> None:
    """A hard unsatisfiable condition goes to the solver and ends as a dead rule or an over-budget finding, never a hang."""
    report = check(with_condition(tmp_path, pigeonhole(12)))
    (finding,) = [f for f in report.findings if f.kind in ("dead_rule", "over_budget") and f.rule_id == "scope"]
    assert finding.message.startswith(("no case can satisfy", "the solver could not settle"))


def test_an_easy_pigeonhole_is_proved_dead_by_the_solver(tmp_path: Path) -> None:
    """Five pigeons in four holes: past the direct search's budget, and Z3 proves no case satisfies it."""
    rs = g.load(with_condition(tmp_path, pigeonhole(5)))
    assert rs.rules[0].condition is not None
    assert witness(rs.rules[0].condition) is None


@pytest.mark.parametrize("key", g.BUNDLED)
def test_the_solver_and_the_direct_search_agree_on_every_bundled_rule(key: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each bundled rule's witness from Z3 (the direct search given no budget) is the direct search's own witness."""
    conditions = [r.condition for r in g.load(key).rules if r.condition is not None]
    searched = [witness(c) for c in conditions]
    monkeypatch.setattr(_satisfy, "SEARCH_WORK", 0)
    solved = [witness(c) for c in conditions]
    assert solved == searched


def test_rules_that_each_defeat_their_stage_decide_the_same_on_the_batch_path(tmp_path: Path) -> None:
    """A stage of 60 rules that each defeat the whole stage: batch outcomes equal traced ones case by case."""
    acts = [m.value for m in FACTS["conduct.acts"].values or ()]
    rules = "".join(f"""  - id: c{i}
    stage: circumstance
    modality: shall
    label: {{zh: 情形, en: c}}
    when: {{fact: conduct.acts, has: {acts[i % len(acts)]}}}
    defeats: ["stage:circumstance"]
    then: [{{category: {{zh: 不担当, en: failure}}}}]
    citation: {{article: 第六条, item: （二）, quote: 弄虚作假的}}
""" for i in range(60))
    rs = g.load(write(tmp_path, MINIMAL_RULE_FILE + rules))
    cases = [generate(300, 5, 0.9)[i] for i in range(300)]
    for case, got in zip(cases, outcomes(rs, cases), strict=True):
        assert got == outcome_of(rs.evaluate(case)), case.id


# ------------------------------------------------------------------ 10. caches bounded


def test_many_revisions_of_one_rule_file_keep_at_most_the_cache_bound(tmp_path: Path) -> None:
    """Forty revisions of one rule file loaded in turn leave at most the loader cache's 32 entries."""
    from guanzhi_rules._loader import _load_cached  # noqa: PLC0415 - the cache is the thing under test

    path = tmp_path / "rules.yaml"
    for revision in range(40):
        path.write_text(MINIMAL_RULE_FILE.replace("title: 示例", f"title: 示例{revision}"), encoding="utf-8")
        os.utime(path, ns=(revision * 10**9, revision * 10**9))
        assert g.load(path).file.document.title == f"示例{revision}"
    assert _load_cached.cache_info().currsize <= _load_cached.cache_info().maxsize == 32
