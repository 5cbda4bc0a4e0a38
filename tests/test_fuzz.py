"""Fuzzing every input kind: mutated real rule files and overlays, random YAML, corrupted cases,
random histories, broken expected-outcome files, tampered stored determinations. Only documented
exceptions escape.

CI runs the ``ci`` hypothesis profile (200 examples a test); on demand, 10,000 a test::

    HYPOTHESIS_PROFILE=fuzz .venv/bin/pytest tests/test_fuzz.py tests/test_hostile_yaml.py tests/test_hostile_case.py

Every input that once crashed the loader or the case parser is kept in ``tests/crashers/`` and
replayed below (``rule_*`` through the loader, ``case_*`` through the case reader).
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

import guanzhi_rules as g
from guanzhi_rules._expect import read_expectations
from guanzhi_rules._loader import load_path, resolve, rules_dir
from guanzhi_rules.exceptions import DeterminationError, ExpectationFileError

from .strategies import case_data

CRASHERS = Path(__file__).parent / "crashers"
RULE_TEXTS = {key: (rules_dir() / f"{key}.yaml").read_text(encoding="utf-8") for key in g.BUNDLED}


def _load_text(text: str | bytes) -> g.RuleSet | None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "rules.yaml"
        path.write_bytes(text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text)
        try:
            return load_path(path)
        except g.RuleSetError:
            return None


def mutate(text: str, draw: st.DrawFn) -> str:
    """``text`` with one to four of its lines deleted, duplicated, swapped, truncated, re-indented or given a random character."""
    lines = text.splitlines()
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        kind = draw(st.sampled_from(["delete", "duplicate", "swap", "char", "truncate", "indent"]))
        if kind == "delete" and len(lines) > 1:
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "char" and lines[i]:
            k = draw(st.integers(0, len(lines[i]) - 1))
            lines[i] = lines[i][:k] + draw(st.characters(codec="utf-8")) + lines[i][k + 1:]
        elif kind == "truncate":
            lines[i] = lines[i][: draw(st.integers(0, max(len(lines[i]) - 1, 0)))]
        elif kind == "indent":
            lines[i] = " " * draw(st.integers(1, 3)) + lines[i]
    return "\n".join(lines) + "\n"


@st.composite
def mutated_rule_file(draw: st.DrawFn) -> str:
    return mutate(RULE_TEXTS[draw(st.sampled_from(sorted(RULE_TEXTS)))], draw)


@given(text=mutated_rule_file())
def test_mutated_rule_files_load_or_raise_rule_set_error(text: str) -> None:
    """A bundled rule file with random line edits either raises RuleSetError or loads into a rule set that evaluates a case."""
    ruleset = _load_text(text)
    if ruleset is not None:  # a harmless mutation: the rule set still evaluates any case
        ruleset.evaluate({})


def _containers(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Lists and mappings of ``inner`` values (a named function: hypothesis misreads a lambda here, now and then)."""
    return st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)


YAML_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20) | st.dates(), _containers, max_leaves=30)


@given(data=st.dictionaries(st.sampled_from(["document", "ladder", "rules", "define", "silent_on", "x"]), YAML_VALUES))
def test_random_yaml_documents_are_rejected_cleanly(data: dict[str, Any]) -> None:
    """A random YAML document with rule-file-like top-level keys is refused with RuleSetError."""
    assert _load_text(yaml.safe_dump(data, allow_unicode=True)) is None


@given(raw=st.binary(max_size=200))
def test_random_bytes_are_rejected_cleanly(raw: bytes) -> None:
    """Random bytes are refused with RuleSetError."""
    assert _load_text(raw) is None


@st.composite
def near_valid_case(draw: st.DrawFn) -> dict[str, Any]:
    data = draw(case_data())
    section = draw(st.sampled_from(["subject", "conduct", "harm", "dates", "decision", "context", "nowhere"]))
    data.setdefault(section, {})[draw(st.sampled_from(["kind", "acts", "loss", "conduct", "measures", "x"]))] = draw(YAML_VALUES)
    return data


@given(data=near_valid_case(), key=st.sampled_from(g.BUNDLED))
def test_near_valid_cases_evaluate_or_raise_case_error(data: dict[str, Any], key: str) -> None:
    """A generated case with one field replaced by a random value either raises CaseError naming paths or evaluates under any rule set."""
    try:
        case = g.parse_case(data)
    except g.CaseError as exc:
        assert exc.paths
        return
    assert g.load(key).evaluate(case).jurisdiction.key == key


@pytest.mark.parametrize("path", sorted(CRASHERS.glob("rule_*")), ids=lambda p: p.name)
def test_rule_file_crashers_stay_fixed(path: Path) -> None:
    """Each rule file that once crashed the loader now raises RuleSetError naming the file."""
    with pytest.raises(g.RuleSetError) as info:
        load_path(path)
    assert str(path) in str(info.value)


@pytest.mark.parametrize("path", sorted(CRASHERS.glob("case_*")), ids=lambda p: p.name)
def test_case_crashers_stay_fixed(path: Path) -> None:
    """Each case file that once crashed the reader now raises CaseError listing its problems."""
    with pytest.raises(g.CaseError) as info:
        g.read_case(path)
    assert info.value.problems


# -- the other input kinds: overlays, histories, expected-outcome files, stored determinations -------

EXAMPLES = Path(__file__).resolve().parents[1] / "docs" / "examples"
OVERLAY_TEXTS = [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.yaml"))]


@given(data=st.data())
def test_mutated_overlays_apply_or_raise_rule_set_error(data: st.DataObject) -> None:
    """A real overlay with lines broken either amends its base or raises RuleSetError."""
    text = mutate(data.draw(st.sampled_from(OVERLAY_TEXTS)), data.draw)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "overlay.yaml"
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        with contextlib.suppress(g.RuleSetError):
            resolve(str(path))


PAST = {"jurisdiction": "benxi", "decided": "2020-06-10", "measures": ["removal"], "facts": {}}


@given(entries=st.lists(st.one_of(
    st.fixed_dictionaries({}, optional={"jurisdiction": YAML_VALUES, "decided": YAML_VALUES, "measures": YAML_VALUES,
                                        "facts": YAML_VALUES, "rectified": YAML_VALUES, "discipline": YAML_VALUES}),
    st.builds(lambda k, v: {**PAST, k: v}, st.sampled_from(sorted(PAST)), YAML_VALUES),
    YAML_VALUES), max_size=3))
def test_random_histories_answer_or_raise_case_or_rule_set_errors(entries: list[Any]) -> None:
    """A history of random past decisions is answered, or refused with CaseError (naming history[i]) or RuleSetNotFoundError."""
    try:
        g.eligibility(entries, on=dt.date(2022, 1, 1))
    except g.CaseError as exc:
        assert all(p.startswith("history[") for p in exc.paths)
    except g.RuleSetNotFoundError:
        pass


EXPECTED = Path(__file__).parent / "expected"
EXPECTED_TEXTS = [p.read_text(encoding="utf-8") for p in sorted(EXPECTED.glob("*.guanzhi.yaml"))[:3]]


@given(data=st.data())
def test_mutated_expected_outcome_files_read_or_raise_their_error(data: st.DataObject) -> None:
    """A real expected-outcome file with lines broken is read, or refused with ExpectationFileError."""
    text = mutate(data.draw(st.sampled_from(EXPECTED_TEXTS)), data.draw)
    path = EXPECTED / f"fuzzed-{os.getpid()}.guanzhi.yaml.tmp"  # beside the real ones, so their case files resolve
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    try:
        read_expectations(path)
    except ExpectationFileError:
        pass
    finally:
        path.unlink()


STORED = json.loads(g.load("benxi").evaluate(g.read_case(Path(__file__).resolve().parents[1] / "examples" / "cases"
                                                         / "failed_reform_pilot.yaml")).to_json())


@given(data=st.data())
def test_tampered_stored_determinations_verify_or_raise_determination_error(data: st.DataObject) -> None:
    """A stored determination with one value replaced at a random place is verified, or refused with a library error."""
    stored = copy.deepcopy(STORED)
    node: Any = stored
    for _ in range(data.draw(st.integers(0, 4))):
        keys = list(node) if isinstance(node, dict) else list(range(len(node))) if isinstance(node, list) else []
        if not keys:
            break
        key = data.draw(st.sampled_from(keys))
        if not isinstance(node[key], (dict, list)) or data.draw(st.booleans()):
            node[key] = data.draw(YAML_VALUES)
            break
        node = node[key]
    with contextlib.suppress(DeterminationError, g.RuleSetNotFoundError):
        g.verify(stored)
