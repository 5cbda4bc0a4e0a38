"""Determinism, thread safety and immutability: the same case under the same rule set gives
byte-identical JSON whatever the hash seed, the field order, the input format or the threads;
and nothing about a loaded rule set can be changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from pydantic import ValidationError

import guanzhi_rules as g
from guanzhi_rules import RuleSet
from guanzhi_rules._loader import rules_dir
from guanzhi_rules._yaml import json_default
from guanzhi_rules._yamlparse import parse

from .strategies import case_data

ROOT = Path(__file__).parents[1]
CASE_FILES = sorted((ROOT / "examples" / "cases").glob("*.yaml"))
RULESETS = g.load_all()
PAIRS = [(path.stem, key) for path in CASE_FILES for key in RULESETS]


Serial = dict[tuple[str, str], str]


@pytest.fixture(scope="module")
def serial() -> Serial:
    """Every example case under every bundled rule set, evaluated one at a time in this process."""
    cases = {path.stem: g.read_case(path) for path in CASE_FILES}
    return {(stem, key): RULESETS[key].evaluate(cases[stem]).to_json() for stem, key in PAIRS}


def test_every_example_runs_under_every_rule_set(serial: Serial) -> None:
    """The corpus these tests compare is not empty: ten cases or more under five rule sets."""
    assert len(CASE_FILES) >= 10 and len(RULESETS) == 5
    assert len(serial) == len(CASE_FILES) * 5


SCRIPT = """
import hashlib, pathlib, guanzhi_rules as g
rulesets = g.load_all()
for path in sorted(pathlib.Path("examples/cases").glob("*.yaml")):
    case = g.read_case(path)
    for key, ruleset in rulesets.items():
        print(path.stem, key, hashlib.sha256(ruleset.evaluate(case).to_json().encode()).hexdigest())
"""


def test_output_does_not_depend_on_the_hash_seed(serial: Serial) -> None:
    """Two interpreters with different PYTHONHASHSEED (so different set and dict-of-str orders) print the same JSON."""
    runs = [subprocess.Popen([sys.executable, "-c", SCRIPT], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONHASHSEED": seed}) for seed in ("0", "2718281")]
    outputs = []
    for run in runs:
        out, err = run.communicate(timeout=120)
        assert run.returncode == 0, err
        outputs.append(out)
    expected = "".join(f"{stem} {key} {hashlib.sha256(serial[stem, key].encode()).hexdigest()}\n" for stem, key in PAIRS)
    assert outputs[0] == outputs[1] == expected


def plain(path: Path) -> dict[str, Any]:
    """A case file as plain JSON-able data (dates as ISO strings)."""
    data = json.loads(json.dumps(parse(path.read_bytes()), default=json_default))
    assert isinstance(data, dict)
    return data


def reorder(value: Any, rng: random.Random | None) -> Any:
    """The same data with every mapping's keys and every list's items reversed (or shuffled, given ``rng``)."""
    if isinstance(value, dict):
        keys = list(value)
        rng.shuffle(keys) if rng else keys.reverse()
        return {k: reorder(value[k], rng) for k in keys}
    if isinstance(value, list):
        items = [reorder(v, rng) for v in value]
        rng.shuffle(items) if rng else items.reverse()
        return items
    return value


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_field_order_and_input_format_do_not_matter(path: Path, serial: Serial) -> None:
    """Keys and sets in any order, given as a mapping, JSON text or YAML text, give byte-identical determinations."""
    base = plain(path)
    variants = [reorder(base, None), reorder(base, random.Random(path.stem))]
    assert all(list(v) != list(base) for v in variants)  # the orders really differ
    inputs: list[Any] = []
    for variant in variants:
        inputs += [variant, json.dumps(variant, ensure_ascii=False), yaml.safe_dump(variant, sort_keys=False, allow_unicode=True)]
    for text_or_mapping in inputs:
        case = g.parse_case(text_or_mapping)
        for key, ruleset in RULESETS.items():
            assert ruleset.evaluate(case).to_json() == serial[path.stem, key], (key, type(text_or_mapping).__name__)


def test_concurrent_evaluation_matches_serial(serial: Serial) -> None:
    """Eight threads evaluating every (case, rule set) pair three times over, interleaved, match the serial results."""
    cases = {path.stem: g.read_case(path) for path in CASE_FILES}
    work = PAIRS * 3
    random.Random(7).shuffle(work)
    start = threading.Barrier(8)

    def run(chunk: list[tuple[str, str]]) -> list[tuple[tuple[str, str], str]]:
        start.wait()
        return [((stem, key), RULESETS[key].evaluate(cases[stem]).to_json()) for stem, key in chunk]

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible, to shake out races
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            results = [r for chunk in pool.map(run, [work[i::8] for i in range(8)]) for r in chunk]
    finally:
        sys.setswitchinterval(interval)
    assert len(results) == len(work)
    for pair, output in results:
        assert output == serial[pair], pair


def test_concurrent_loading_gives_equal_rule_sets(tmp_path: Path, serial: Serial) -> None:
    """Eight threads loading the same new rule file at once get rule sets with one hash and one behaviour."""
    path = tmp_path / "zhejiang.yaml"
    shutil.copy(rules_dir() / "zhejiang.yaml", path)
    start = threading.Barrier(8)

    def run(_: int) -> RuleSet:
        start.wait()
        return g.load(path)

    with ThreadPoolExecutor(max_workers=8) as pool:
        loaded = list(pool.map(run, range(8)))
    assert {rs.sha256 for rs in loaded} == {RULESETS["zhejiang"].sha256}
    case = g.read_case(CASE_FILES[0])
    assert {rs.evaluate(case).to_json() for rs in loaded} == {serial[CASE_FILES[0].stem, "zhejiang"]}


# --- immutability --------------------------------------------------------------------------------


def canonical_sha256(ruleset: RuleSet) -> str:
    """The rule-set hash recomputed from its model now: it changes if anything in the model changed."""
    canonical = json.dumps(ruleset.file.model_dump(mode="json"), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def assert_frozen_data(value: Any, where: str) -> None:
    """Condition data holds no list or dict that can be changed in place."""
    assert not isinstance(value, list), f"{where} is a mutable list"
    if isinstance(value, dict):
        with pytest.raises(TypeError):
            value["__probe__"] = 1
        with pytest.raises(TypeError):
            value.clear()
        for key, item in value.items():
            assert_frozen_data(item, f"{where}.{key}")
    elif isinstance(value, tuple):
        for index, item in enumerate(value):
            assert_frozen_data(item, f"{where}.{index}")


@pytest.mark.parametrize("key", sorted(RULESETS))
def test_rule_sets_cannot_be_changed(key: str) -> None:
    """Setting or deleting attributes, or changing rule models, their conditions or lookup tables, raises; nothing changes."""
    ruleset = RULESETS[key]
    before = ruleset.evaluate(g.read_case(CASE_FILES[0])).to_json()
    for name in ("key", "rules", "file", "sha256", "new_attribute"):
        with pytest.raises(AttributeError, match="immutable"):
            setattr(ruleset, name, None)
    for name in ("key", "rules"):
        with pytest.raises(AttributeError, match="immutable"):
            delattr(ruleset, name)
    for table in (ruleset._by_id, ruleset.silences, ruleset.ladder_order):
        with pytest.raises(TypeError):
            table["x"] = None  # type: ignore[index]
    with pytest.raises(AttributeError):
        ruleset.rules.append(ruleset.rules[0])  # type: ignore[attr-defined]
    with pytest.raises(ValidationError, match="frozen"):
        ruleset.file.document.key = "other"
    with pytest.raises(ValidationError, match="frozen"):
        ruleset.ladder.steps[0].rung = 99
    assert_frozen_data(ruleset.file.define, "define")
    for compiled in ruleset.rules:
        for name in ("rule", "condition", "index"):
            with pytest.raises(AttributeError, match="immutable"):
                setattr(compiled, name, None)
            with pytest.raises(AttributeError, match="immutable"):
                delattr(compiled, name)
        with pytest.raises(ValidationError, match="frozen"):
            compiled.rule.id = "changed"
        with pytest.raises(ValidationError, match="frozen"):
            compiled.rule.citation.quote = "changed"
        with pytest.raises(AttributeError):
            compiled.rule.then.append(compiled.rule.then[0])  # type: ignore[attr-defined]
        assert_frozen_data(compiled.rule.when, f"{compiled.id}.when")
        if compiled.condition is not None:
            with pytest.raises(AttributeError, match="immutable"):
                compiled.condition.test = lambda facts: True
            with pytest.raises(AttributeError, match="immutable"):
                del compiled.condition.paths
    assert canonical_sha256(ruleset) == ruleset.sha256
    assert ruleset.evaluate(g.read_case(CASE_FILES[0])).to_json() == before


@pytest.mark.parametrize("key", list(RULESETS))
@settings(max_examples=60)
@given(data=case_data())
def test_a_determination_equals_itself_validated_back_from_json(key: str, data: dict[str, Any]) -> None:
    """Findings and trace steps are built without re-validation (``_determination.trusted``): every field
    must still hold exactly what validation would make of it, or this round trip differs."""
    determination = RULESETS[key].evaluate(data)
    again = g.Determination.model_validate_json(determination.to_json())
    assert again == determination
    assert again.to_json() == determination.to_json()
