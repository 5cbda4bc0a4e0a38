"""The on-disk cache of parsed bundled rule files: used when sound, ignored and rewritten when not, never a change of result."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guanzhi_rules import _loader, _rulecache, _yaml, _yamlparse
from guanzhi_rules._ruleset import RuleSet

BUNDLED_DIR = _loader.rules_dir()


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache directory, where XDG_CACHE_HOME points."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    return tmp_path / "xdg" / "guanzhi-rules"


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the YAML parses the loader makes (one entry per parse)."""
    calls: list[int] = []
    real = _yamlparse.parse

    def counted(text: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(text, **kwargs)

    monkeypatch.setattr(_yamlparse, "parse", counted)
    return calls


def _load(key: str = "benxi") -> RuleSet:
    """Load a bundled rule file afresh (not through the in-memory cache)."""
    return _loader.load_path(_loader.rules_dir() / f"{key}.yaml")


def _same(a: RuleSet, b: RuleSet) -> None:
    assert a.sha256 == b.sha256
    assert a.file == b.file
    assert [r.id for r in a.rules] == [r.id for r in b.rules]
    assert [repr(r.condition) for r in a.rules] == [repr(r.condition) for r in b.rules]


def test_a_second_load_reads_the_cache_instead_of_the_yaml(cache: Path, parses: list[int]) -> None:
    """The first load parses the YAML and writes an entry; the next one parses nothing and gives the same rule set."""
    first = _load()
    assert len(parses) == 1
    (entry,) = cache.glob("rules-*.json")
    assert entry.read_text(encoding="utf-8").startswith("guanzhi-rules parsed rule file 1 sha256=")
    second = _load()
    assert len(parses) == 1
    _same(first, second)


@pytest.mark.parametrize("key", ["jiangsu", "yangjiang", "yueyang", "zhejiang"])
def test_every_bundled_rule_set_is_the_same_from_the_cache(cache: Path, key: str) -> None:
    """Each bundled rule set (dates in its document included) loads the same from its cache entry as from its YAML."""
    fresh = _load(key)
    assert list(cache.glob("rules-*.json"))
    _same(fresh, _load(key))


def test_a_stale_entry_is_not_used(cache: Path, parses: list[int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After the rule file changes, its old entry no longer matches: the new text is parsed and cached beside it."""
    rules = tmp_path / "rules"
    shutil.copytree(BUNDLED_DIR, rules)
    monkeypatch.setattr(_loader, "rules_dir", lambda: rules)
    before = _load()
    path = rules / "benxi.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("本溪高新区党政综合办公室", "本溪高新区党政办公室", 1), encoding="utf-8")
    after = _load()
    assert len(parses) == 2
    assert after.sha256 != before.sha256
    assert after.file.document.issuer == "本溪高新区党政办公室"
    assert len(list(cache.glob("rules-*.json"))) == 2


@pytest.mark.parametrize("tamper", [
    pytest.param(lambda text: text.replace('"modality":"shall"', '"modality":"may"', 1), id="edited payload"),
    pytest.param(lambda text: text.replace("has_any", "has_all"), id="edited operators"),
    pytest.param(lambda text: text[: len(text) // 2], id="truncated"),
    pytest.param(lambda text: text.partition("\n")[2], id="no header"),
    pytest.param(lambda text: "\ufffe\x00" + text, id="garbage"),
])
def test_a_tampered_entry_is_ignored_and_rewritten(cache: Path, parses: list[int], tamper: Any) -> None:
    """An entry whose content no longer matches its digest gives way to the YAML: the same rule set, and a sound entry again."""
    fresh = _load()
    (entry,) = cache.glob("rules-*.json")
    sound = entry.read_text(encoding="utf-8")
    tampered = tamper(sound)
    assert tampered != sound
    entry.write_text(tampered, encoding="utf-8")
    _same(fresh, _load())
    assert len(parses) == 2
    assert entry.read_text(encoding="utf-8") == sound
    _same(fresh, _load())
    assert len(parses) == 2


def test_an_unreadable_entry_is_ignored(cache: Path, parses: list[int]) -> None:
    """Where the entry cannot be read (here a directory stands in its place) the YAML is parsed, and nothing is said."""
    fresh = _load()
    (entry,) = cache.glob("rules-*.json")
    entry.unlink()
    entry.mkdir()
    _same(fresh, _load())
    _same(fresh, _load())
    assert len(parses) == 3
    assert entry.is_dir()


def test_an_unwritable_cache_directory_is_skipped_silently(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parses: list[int]) -> None:
    """With XDG_CACHE_HOME on a file, nothing can be cached: every load parses the YAML, and none fails."""
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    _same(_load(), _load())
    assert len(parses) == 2
    assert blocker.read_text() == ""


def test_a_relative_xdg_cache_home_falls_back_to_the_home_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A relative XDG_CACHE_HOME is invalid by the XDG spec: the cache goes to ~/.cache instead."""
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    _load()
    assert list((tmp_path / ".cache" / "guanzhi-rules").glob("rules-*.json"))
    assert not (tmp_path / "relative").exists()


def test_only_bundled_files_under_default_limits_are_cached(cache: Path, tmp_path: Path) -> None:
    """A project's own rule file, or a bundled one read under other limits, is never cached."""
    own = tmp_path / "own.yaml"
    shutil.copy(BUNDLED_DIR / "benxi.yaml", own)
    _loader.load_path(own)
    _loader.load_path(BUNDLED_DIR / "benxi.yaml", limits=_yaml.Limits(max_depth=60))
    assert not cache.exists() or not list(cache.iterdir())


PLAIN = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63) | st.floats(allow_nan=False) | st.text(max_size=8)
    | st.dates() | st.datetimes(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text("ab$", max_size=3), children, max_size=4),
    max_leaves=20,
)


@given(PLAIN)
def test_plain_data_round_trips_through_an_entry(data: Any) -> None:
    """What the cache encodes decodes to equal data, dates and timestamps included, with their types."""
    payload = _rulecache.encode(data)
    assert payload is not None
    decoded = _rulecache.decode(payload)
    assert decoded == data  # a date never equals a timestamp, so the tags kept each one's type


@pytest.mark.parametrize("data", [{"$date": "2020-01-01"}, [float("nan")], {"a": {"$datetime": "2020-01-01T00:00:00"}}])
def test_data_that_would_not_come_back_equal_is_not_encoded(data: Any) -> None:
    """Data the tags would misread, or a NaN (unequal to itself), is refused rather than cached wrongly."""
    assert _rulecache.encode(data) is None


def test_an_entry_holds_data_not_code(cache: Path) -> None:
    """An entry is a header line and JSON: nothing in it can run when it is read."""
    _load()
    (entry,) = cache.glob("rules-*.json")
    header, _, payload = entry.read_text(encoding="utf-8").partition("\n")
    assert header.startswith("guanzhi-rules parsed rule file")
    assert isinstance(_rulecache.decode(payload), dict)
    assert b"\x80" not in entry.read_bytes()[:2]  # not a pickle stream (which starts with PROTO 0x80)
    assert _rulecache.decode('{"$date":"2019-04-25"}') == dt.date(2019, 4, 25)
