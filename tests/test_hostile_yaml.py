"""Hostile YAML: rule files and cases are untrusted, so every hostile document is refused early,
after a bounded amount of parsing, with a typed error that names the file and the position (line
and column, or byte offset).

Each document is read both as a rule file (``load``, RuleSetError) and as a case (``read_case``,
CaseError). Plain ``yaml.safe_load`` accepts, crashes on or hangs on every one of them.
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import pytest
import yaml

import guanzhi_rules as g
from guanzhi_rules import CaseError, GuanzhiError, Limits, RuleSetError
from guanzhi_rules._yaml import DEFAULT_LIMITS
from tests.support import write

ROOT = Path(__file__).parents[1]
MiB = 1024 * 1024
PARSER_EVENTS = 2_000
"""How many YAML events the parser may produce before a hostile document is refused: the documents
below hold up to millions, and each is refused at a limit it passes within its first 1,100 or so."""


@dataclass(frozen=True)
class Reader:
    name: str
    error: type[GuanzhiError]
    read: Callable[[Path, Limits], object]

    def position(self, line: int, column: int) -> str:
        """How this reader's errors spell a position."""
        return f":{line}:{column}: " if self.error is RuleSetError else f"line {line}, column {column}: "


READERS = [
    Reader("rule file", RuleSetError, lambda path, limits: g.load(path, limits=limits)),
    Reader("case", CaseError, lambda path, limits: g.read_case(path, limits=limits)),
]


@pytest.fixture(params=READERS, ids=lambda r: r.name)
def reader(request: pytest.FixtureRequest) -> Reader:
    return request.param  # type: ignore[no-any-return]


def refused(reader: Reader, path: Path, limits: Limits = DEFAULT_LIMITS) -> str:
    """Read ``path``, expecting the reader's error after at most ``PARSER_EVENTS`` parser events; its message, which names the file.

    Counting events rather than seconds holds on a loaded machine, and still fails if a hostile
    document is parsed through to its end (or composed whole) before its limit is checked.
    """
    count = mock.patch.object(yaml.parser.Parser, "get_event", autospec=True, side_effect=yaml.parser.Parser.get_event)
    with count as events, pytest.raises(reader.error) as info:
        reader.read(path, limits)
    assert events.call_count <= PARSER_EVENTS, f"parsed {events.call_count} YAML events before refusing"
    message = str(info.value)
    assert str(path) in message or str(path.resolve()) in message
    return message


def test_billion_laughs_is_refused_at_the_first_anchor(tmp_path: Path, reader: Reader) -> None:
    """An alias bomb (10**9 'lol's once expanded) is refused at its first anchor, before any alias is followed."""
    lines = ['lol0: &a0 "lol"'] + [f"lol{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    message = refused(reader, write(tmp_path, "\n".join(lines) + "\n"))
    assert "anchors and aliases are not allowed" in message
    assert reader.position(1, 7) in message


def test_alias_is_refused_even_without_an_anchor(tmp_path: Path, reader: Reader) -> None:
    """An alias to an undefined anchor is refused as an alias, not reported as a composer crash."""
    message = refused(reader, write(tmp_path, "a: 1\nb: *nowhere\n"))
    assert "anchors and aliases are not allowed" in message
    assert reader.position(2, 4) in message


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("[" * 10_000 + "]" * 10_000, 1, 65),  # flow style: the 65th '[' is one level too many
        ("- " * 10_000 + "x\n", 1, 129),  # block style on one line: the 65th '- '
        ("".join(f"{' ' * i}k:\n" for i in range(100)) + " " * 100 + "k: 1\n", 64, 64),  # indented mappings
    ],
    ids=["flow", "block-sequence", "block-mapping"],
)
def test_deep_nesting_is_refused_where_it_passes_the_limit(tmp_path: Path, reader: Reader, text: str, line: int, column: int) -> None:
    """Nesting 10,000 deep (which overflows the stack of an unguarded recursive composer) stops at level 65."""
    message = refused(reader, write(tmp_path, text))
    assert "nesting deeper than 64 levels" in message
    assert reader.position(line, column) in message


@pytest.fixture(scope="module")
def hundred_megabytes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 100 MB document of valid YAML: one short list item per line."""
    path = tmp_path_factory.mktemp("big") / "huge.yaml"
    chunk = b"- lol\n" * (MiB // 6)
    with path.open("wb") as file:
        while file.tell() < 100 * MiB:
            file.write(chunk)
    return path


def test_oversized_document_is_refused_by_size_without_reading_it(hundred_megabytes: Path, reader: Reader) -> None:
    """A 100 MB file is refused by its size after reading at most the limit plus one byte."""
    tracemalloc.start()
    try:
        message = refused(reader, hundred_megabytes)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert f"larger than the limit of {DEFAULT_LIMITS.max_bytes} bytes" in message
    assert f"byte offset {DEFAULT_LIMITS.max_bytes}" in message
    assert peak < DEFAULT_LIMITS.max_bytes + 4 * MiB, f"peak memory {peak} bytes: the file was read beyond the limit"


def test_size_of_text_is_counted_in_utf8_bytes() -> None:
    """Text is measured in bytes, not characters: 500 CJK characters are 1,500 bytes."""
    with pytest.raises(CaseError, match=r"byte offset 1000"):
        g.parse_case("summary: " + "中" * 500, limits=Limits(max_bytes=1000))
    assert g.parse_case("summary: " + "中" * 300, limits=Limits(max_bytes=1000)).summary == "中" * 300


def test_duplicate_keys_are_refused(tmp_path: Path, reader: Reader) -> None:
    """A repeated key would silently override the first; it is refused at the repeat."""
    message = refused(reader, write(tmp_path, "a: 1\nb: 2\na: 3\n"))
    assert "duplicate key 'a'" in message
    assert reader.position(3, 1) in message


@pytest.mark.parametrize(
    ("content", "offset", "where"),
    [
        (b"a: 1\nb: caf\xe9\n", 11, (2, 7)),  # Latin-1 e-acute
        (b"a: 1\nb: \xe4\xb8\xad\xe6\x96\x87\xff\n", 14, (2, 6)),  # valid CJK, then a stray byte
        (b"\xff\xfea\x00:\x00 \x001\x00", 0, (1, 1)),  # UTF-16 with a byte-order mark
    ],
    ids=["latin-1", "after-cjk", "utf-16"],
)
def test_non_utf8_bytes_are_refused_with_their_offset(tmp_path: Path, reader: Reader, content: bytes, offset: int,
                                                      where: tuple[int, int]) -> None:
    """Bytes that are not UTF-8 are refused with their byte offset and their line and column."""
    message = refused(reader, write(tmp_path, content))
    assert f"not valid UTF-8 at byte offset {offset}" in message
    assert reader.position(*where) in message


def test_control_characters_are_refused_with_their_position(tmp_path: Path, reader: Reader) -> None:
    """Regression: a control character escaped as a bare yaml ReaderError, without a position."""
    message = refused(reader, write(tmp_path, b"a: 1\nb: x\x07y\n"))
    assert "character #x0007 is not allowed" in message
    assert reader.position(2, 5) in message


@pytest.mark.parametrize(
    "tagged",
    [
        "!!python/object/apply:builtins.len [[1, 2]]",
        "!!python/object:collections.OrderedDict {}",
        "!!python/name:os.system",
        "!!binary aGVsbG8=",
        "!!set {x: null}",
        "!!omap [{x: 1}]",
        "!!str plain",
        "!local thing",
        "! thing",
    ],
)
def test_tags_are_refused(tmp_path: Path, reader: Reader, tagged: str) -> None:
    """Every explicit tag is refused, object-constructing or standard: a case or rule is plain data."""
    message = refused(reader, write(tmp_path, f"a: 1\nb: {tagged}\n"))
    assert "is not allowed: only plain data" in message
    assert reader.position(2, 4) in message


def test_merge_keys_are_refused(tmp_path: Path, reader: Reader) -> None:
    """`<<` would splice another mapping in; it is refused where it is written."""
    message = refused(reader, write(tmp_path, "base: {a: 1}\nderived:\n  <<: {a: 2}\n  b: 3\n"))
    assert "merge keys (<<) are not allowed" in message
    assert reader.position(3, 3) in message


def test_two_million_scalars_stop_at_the_node_limit(tmp_path: Path, reader: Reader) -> None:
    """With the byte limit raised, a node limit still stops a flood of 2,000,000 tiny scalars at its 1,000th node."""
    path = write(tmp_path, "[" + "0," * 1_999_999 + "0]")
    limits = Limits(max_bytes=8 * MiB, max_nodes=1000)
    message = refused(reader, path, limits)
    assert "more than 1000 nodes" in message
    assert reader.position(1, 2000) in message  # the root, then scalar k at column 2k: node 1,001 is scalar 1,000


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("2019-02-30", "day is out of range for month"),
        ("0000-01-01", "year 0 is out of range"),
        ("9" * 5000, "Exceeds the limit"),
    ],
    ids=["february-30", "year-0", "5000-digits"],
)
def test_scalars_that_cannot_be_built_are_typed_errors(tmp_path: Path, reader: Reader, value: str, problem: str) -> None:
    """Regression: a YAML date or integer Python cannot build escaped as a bare ValueError."""
    message = refused(reader, write(tmp_path, f"a: 1\nb: {value}\n"))
    assert problem in message
    assert reader.position(2, 4) in message


RULE_FILE = ROOT / "rules" / "benxi.yaml"
CASE_FILE = ROOT / "examples" / "cases" / "concealed_accident.yaml"


@pytest.mark.parametrize(
    ("limits", "problem"),
    [
        (Limits(max_bytes=1000), "larger than the limit of 1000 bytes (byte offset 1000"),
        (Limits(max_depth=3), "nesting deeper than 3 levels"),
        (Limits(max_nodes=100), "more than 100 nodes"),
        (Limits(max_scalar_chars=50), "longer than the limit of 50"),
    ],
    ids=["max_bytes", "max_depth", "max_nodes", "max_scalar_chars"],
)
def test_each_limit_can_be_lowered(reader: Reader, limits: Limits, problem: str) -> None:
    """A real rule file or case, read under the default limits, is refused when a limit is set below it."""
    path = RULE_FILE if reader.error is RuleSetError else CASE_FILE
    reader.read(path, DEFAULT_LIMITS)
    assert problem in refused(reader, path, limits)


def test_default_limits_are_the_dataclass_defaults() -> None:
    """`Limits()` is the default, and the defaults are the documented ones."""
    assert Limits() == DEFAULT_LIMITS == Limits(max_bytes=1 * MiB, max_depth=64, max_nodes=25_000, max_scalar_chars=65_536)


@pytest.mark.parametrize(
    "bad",
    [{"max_bytes": 0}, {"max_nodes": -1}, {"max_depth": 101}, {"max_scalar_chars": True}, {"max_bytes": 1.5}],
)
def test_nonsensical_limits_are_refused(bad: dict[str, object]) -> None:
    """Limits must be positive integers, and nesting may not exceed what the recursive parser can take."""
    with pytest.raises(ValueError, match=r"Limits\.max_"):
        Limits(**bad)  # type: ignore[arg-type]


def test_the_deepest_allowed_nesting_does_not_exhaust_the_stack(tmp_path: Path, reader: Reader) -> None:
    """At the highest max_depth Limits accepts, a document nested to the limit parses without RecursionError."""
    limits = Limits(max_depth=100)
    at_limit = write(tmp_path, "a: " + "[" * 99 + "]" * 99 + "\n")  # the mapping, then 99 sequences: 100 levels
    with pytest.raises(reader.error) as info:  # parsed, then refused as a rule file or case: not a RecursionError
        reader.read(at_limit, limits)
    assert "nesting deeper than" not in str(info.value)
    assert "nesting deeper than 100 levels" in refused(reader, write(tmp_path, "a: " + "[" * 100 + "]" * 100 + "\n"), limits)
