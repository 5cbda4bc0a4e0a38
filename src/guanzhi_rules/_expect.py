"""Expected-outcome files: cases with the determinations they should get, run by ``guanzhi test`` and pytest.

A file (named ``*.guanzhi.yaml``) holds one case, a list of cases, or ``cases: [...]``; each case
has a fact sheet (``case:`` inline or ``case_file:`` relative to the file) and, per rule set,
assertions on its determination::

    name: failed reform pilot
    case_file: ../../examples/cases/failed_reform_pilot.yaml
    expect:
      benxi:
        scope.outcome: covered
        exemption.outcome: not_provided
        sanctions.measures: [criticism_education, self_examination, circulated_criticism, admonition]
        applied: {has: [art7.1, art8]}

A path names a value in the determination's JSON: fields by name, list items by position (``0``,
``-1``) or all of them (``*``, which collects the rest of the path from every item into a list).
Shortcuts: ``applied`` (ids of the rules that applied and stood, in trace order), ``result.RULE``
(one rule's trace result) and ``step.RULE`` (its whole trace step). An expected mapping matches by
subset (only the keys it names are compared), a list matches exactly and in order, anything else by
equality; the operators ``has``, ``lacks``, ``unordered``, ``one_of``, ``not`` and ``len`` say
otherwise. See docs/testing.md.

Every problem with a file is an ``ExpectationFileError`` naming its line and column; a mismatch is
not an error but a failed ``CheckResult`` whose ``report()`` shows expected, actual and the trace
steps of the rules involved.
"""

from __future__ import annotations

import datetime as dt
import difflib
import fnmatch
import json
import stat
import types
import typing
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from guanzhi_rules import _yaml, _yamlparse
from guanzhi_rules._case import Case, parse_case, read_case
from guanzhi_rules._determination import Determination
from guanzhi_rules._loader import load
from guanzhi_rules._rulefile import BUNDLED, STAGES
from guanzhi_rules._ruleset import RuleSet
from guanzhi_rules._suggestions import suggest
from guanzhi_rules.exceptions import CaseError, ExpectationFileError, Location, RuleSetError

FILE_PATTERNS: tuple[str, ...] = ("*.guanzhi.yaml", "*.guanzhi.yml")
"""Names of expected-outcome files, as found in directories by ``guanzhi test`` and collected by pytest."""

OPERATORS: tuple[str, ...] = ("has", "lacks", "unordered", "one_of", "not", "len")
"""Keys that make an expected mapping a comparison rather than a value (all its keys must be operators)."""

SHORTCUTS: tuple[str, ...] = ("applied", "result", "step")
"""Path heads that are not fields of the determination: ``applied``, ``result.RULE``, ``step.RULE``."""

_ENTRY_KEYS = ("name", "description", "case", "case_file", "expect")
_FILE_KEYS = ("description", "cases")

_FIELD_STAGES: dict[str, tuple[str, ...]] = {
    "scope": ("scope",),
    "circumstances": ("circumstance",),
    "catch_alls": ("circumstance",),
    "exemption": ("bar", "exemption"),
    "factors": ("aggravating", "mitigating"),
    "sanctions": ("circumstance", "exemption", "sanction_band"),
    "consequences": ("consequence",),
    "general_consequences": ("consequence",),
    "referrals": ("consequence",),
    "statements": ("consequence",),
    "choice": ("choice", "sanction_band"),
    "deadlines": ("procedure",),
    "applied": tuple(STAGES),
}
"""The stages whose live rules a mismatch at each top-level field shows from the trace."""

_MAX_STEPS = 12
"""Most trace steps shown for one mismatch."""


@dataclass(frozen=True)
class Assertion:
    """One ``path: expected`` line of an ``expect:`` block."""

    path: str
    parts: tuple[str | int, ...]
    expected: Any
    line: int | None


@dataclass(frozen=True)
class Expectation:
    """One case under one rule set, with the assertions its determination must meet."""

    file: Path
    name: str
    key: str
    """The ``expect:`` key as written: a bundled key or a rule-file path relative to the file."""
    ruleset: RuleSet
    case: Case
    assertions: tuple[Assertion, ...]
    line: int | None

    @property
    def title(self) -> str:
        return f"{self.name} [{self.key}]"


@dataclass(frozen=True)
class Mismatch:
    """An assertion the determination does not meet, and how it differs item by item where it is a list."""

    assertion: Assertion
    actual: Any
    found: bool
    """False when the path leads nowhere in this determination (an index past the end, a null object)."""
    missing: tuple[Any, ...] = ()
    """Items expected in the list but not in it."""
    unexpected: tuple[Any, ...] = ()
    """Items in the list that an exact or ``unordered`` list does not name."""
    forbidden: tuple[Any, ...] = ()
    """Items in the list that ``lacks`` names."""

    def notes(self) -> list[str]:
        notes = [f"{label}{_flow(list(items))}" for label, items in (
            ("missing:    ", self.missing), ("unexpected: ", self.unexpected),
            ("present, though expected absent: ", self.forbidden)) if items]
        expected = self.assertion.expected
        if isinstance(expected, list) and isinstance(self.actual, list) and not notes and len(expected) == len(self.actual):
            notes.append("the same items in a different order (a list matches in order; {unordered: [...]} matches in any)")
        if _is_operator(expected) and "len" in expected and len(expected) > 1 and isinstance(self.actual, (list, dict, str)):
            notes.append(f"length: {len(self.actual)}")
        return notes


@dataclass(frozen=True)
class CheckResult:
    """The outcome of checking one ``Expectation``."""

    expectation: Expectation
    determination: Determination
    mismatches: tuple[Mismatch, ...]

    @property
    def passed(self) -> bool:
        return not self.mismatches

    def report(self) -> str:
        """What was expected, what the engine gave, and the trace steps of the rules involved."""
        e = self.expectation
        where = f"{e.file}:{e.line}" if e.line else str(e.file)
        lines = [f"{where}: {e.title}: {len(self.mismatches)} of {len(e.assertions)} expectation(s) not met"]
        trace = json.loads(self.determination.to_json())["trace"]
        for mismatch in self.mismatches:
            lines += _describe(mismatch, trace)
        return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------- reading


def expectation_files(paths: Iterable[str | Path], patterns: Sequence[str] = FILE_PATTERNS) -> list[Path]:
    """The files to run: each file given, and every file matching ``patterns`` below each directory, sorted.

    Raises:
        ExpectationFileError: a path does not exist.
    """
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file() and any(fnmatch.fnmatch(p.name, pat) for pat in patterns))
        elif path.is_file():
            found.append(path)
        else:
            raise ExpectationFileError("no such file or directory", location=Location(str(path)))
    return list(dict.fromkeys(found))


def read_expectations(path: str | Path, root: str | Path | None = None) -> list[Expectation]:
    """Read, validate and resolve an expected-outcome file: cases validated, rule sets loaded, paths checked.

    The case files and rule files it names are relative paths that must stay inside ``root``: by
    default the working directory when the file lies inside it, else the file's own folder.

    Raises:
        ExpectationFileError: anything wrong with the file, with its line and column.
    """
    path = Path(path)
    try:
        data = _yamlparse.parse(_yaml.read_limited(path))
    except OSError as exc:
        raise ExpectationFileError(f"cannot read: {exc.strerror}", location=Location(str(path))) from exc
    except _yaml.YamlError as exc:
        mark = exc.mark
        raise ExpectationFileError(exc.message, location=Location(str(path), mark.line if mark else None,
                                                                  mark.column if mark else None)) from exc
    here = Path.cwd().resolve()
    if root is None:
        root = here if path.resolve().is_relative_to(here) else path.resolve().parent
    return _Reader(path, data, Path(root).resolve()).read()


class _Reader:
    def __init__(self, path: Path, data: Any, root: Path) -> None:
        self.path, self.data, self.root = path, data, root

    def file(self, ref: str, what: str, node: Any, key: str) -> Path:
        """The regular file a relative path in this file names, inside the root; else an error at ``node``."""
        if "\0" in ref or len(ref) > 1024 or Path(ref).is_absolute():
            raise self.error(f"{what} {ref[:100]!r} must be a path relative to this file", node, key)
        try:
            target = (self.path.parent / ref).resolve()
        except (OSError, RuntimeError) as exc:  # a symlink loop, a name too long
            raise self.error(f"{what} {ref[:100]!r} cannot be read ({exc})", node, key) from None
        try:
            regular = stat.S_ISREG(target.stat().st_mode)
        except OSError:
            regular = False
        if not target.is_relative_to(self.root):
            raise self.error(f"{what} {ref!r} lies outside {self.root}", node, key)
        if not regular:
            raise self.error(f"{what} {ref!r} not found (looked for {target})", node, key)
        return target

    def error(self, message: str, node: Any = None, key: str | int | None = None) -> ExpectationFileError:
        mark = None
        if isinstance(node, _yaml.LocatedDict):
            mark = node.key_marks.get(key, node.mark) if isinstance(key, str) else node.mark
        elif isinstance(node, _yaml.LocatedList):
            mark = node.item_marks[key] if isinstance(key, int) and 0 <= key < len(node.item_marks) else node.mark
        if mark is None:
            mark = getattr(self.data, "mark", None)
        return ExpectationFileError(message, location=Location(str(self.path), mark.line if mark else None, mark.column if mark else None))

    def read(self) -> list[Expectation]:
        data = self.data
        entries: Any
        container: Any
        if isinstance(data, list):
            entries, container = data, data
        elif isinstance(data, dict) and "cases" in data:
            self.keys(data, _FILE_KEYS, "a file with several cases")
            entries, container = data["cases"], data
            if not isinstance(entries, list):
                raise self.error("'cases' must be a list of cases, each with case or case_file, and expect", data, "cases")
        elif isinstance(data, dict):
            entries, container = [data], None
        else:
            raise self.error("an expected-outcome file is a case with 'expect' (case or case_file, expect), "
                             "a list of them, or a mapping with 'cases: [...]'")
        if not entries:
            raise self.error("no cases in the file", container)
        expectations: list[Expectation] = []
        seen: dict[str, int] = {}
        for index, entry in enumerate(entries):
            found = self.entry(entry, index, entries)
            name = found[0].name
            count = seen[name] = seen.get(name, 0) + 1
            # two cases of one name: number the later ones, so every test of the file has its own name
            expectations += [_replace_name(e, f"{name} #{count}") for e in found] if count > 1 else found
        return expectations

    def keys(self, node: Mapping[str, Any], allowed: Sequence[str], what: str) -> None:
        for key in node:
            if key not in allowed:
                raise self.error(f"unknown key {key!r} in {what}{suggest(key, allowed)} (allowed: {', '.join(allowed)})", node, key)

    def entry(self, entry: Any, index: int, parent: Any) -> list[Expectation]:
        if not isinstance(entry, dict):
            raise self.error(f"case #{index + 1} must be a mapping with case or case_file, and expect", parent, index)
        self.keys(entry, _ENTRY_KEYS, f"case #{index + 1}")
        if ("case" in entry) == ("case_file" in entry):
            raise self.error(f"case #{index + 1} needs exactly one of 'case' (inline) or 'case_file' (a path)", entry)
        case = self.case(entry)
        name = entry.get("name")
        if name is not None and not isinstance(name, str):
            raise self.error("'name' must be text", entry, "name")
        if name is None:
            name = case.id or (Path(entry["case_file"]).stem if "case_file" in entry else f"case {index + 1}")
        expect = entry.get("expect")
        if not isinstance(expect, dict) or not expect:
            raise self.error("'expect' must map rule-set keys (benxi, ...) or rule-file paths to assertions", entry,
                             "expect" if "expect" in entry else None)
        out = []
        for key, block in expect.items():
            ruleset = self.ruleset(key, expect)
            if not isinstance(block, dict) or not block:
                raise self.error(f"expect.{key} must map determination paths to expected values "
                                 "(e.g. scope.outcome: covered)", expect, key)
            assertions = tuple(self.assertion(p, block) for p in block)
            for assertion in assertions:
                if assertion.parts[0] in ("result", "step"):
                    try:
                        ruleset.rule(str(assertion.parts[1]))
                    except KeyError as exc:
                        raise self.error(f"{assertion.path}: {exc.args[0]}", block, assertion.path) from None
            line = expect.key_marks[key].line if isinstance(expect, _yaml.LocatedDict) else None
            out.append(Expectation(self.path, name, key, ruleset, case, assertions, line))
        return out

    def case(self, entry: Mapping[str, Any]) -> Case:
        if "case" in entry:
            try:
                return parse_case(entry["case"])
            except CaseError as exc:
                raise self.error(f"the case is not valid: {exc}", entry, "case") from exc
        ref = entry["case_file"]
        if not isinstance(ref, str):
            raise self.error("'case_file' must be a path (relative to this file)", entry, "case_file")
        target = self.file(ref, "case file", entry, "case_file")
        try:
            return read_case(target)
        except CaseError as exc:
            raise self.error(f"case file {ref!r} is not a valid case: {exc}", entry, "case_file") from exc

    def ruleset(self, key: Any, expect: Mapping[str, Any]) -> RuleSet:
        if not isinstance(key, str):
            raise self.error(f"rule-set key {key!r} must be text", expect)
        is_path = "/" in key or "\\" in key or key.endswith((".yaml", ".yml"))
        if not is_path and key not in BUNDLED:
            raise self.error(f"unknown rule set {key!r}{suggest(key, BUNDLED)} (bundled: {', '.join(BUNDLED)}; "
                             "or give a rule-file path relative to this file)", expect, key)
        try:
            return load(self.file(key, "rule file", expect, key) if is_path else key)
        except RuleSetError as exc:
            raise self.error(f"rule set {key!r} cannot be loaded: {exc}", expect, key) from exc

    def assertion(self, path: Any, block: Mapping[str, Any]) -> Assertion:
        if not isinstance(path, str) or not path:
            raise self.error(f"a determination path must be text, got {path!r}", block)
        try:
            parts = parse_path(path)
        except ValueError as exc:
            raise self.error(str(exc), block, path) from exc
        expected = block[path]
        try:
            _check_expected(expected)
        except ValueError as exc:
            raise self.error(f"{path}: {exc}", block, path) from exc
        line = block.key_marks[path].line if isinstance(block, _yaml.LocatedDict) else None
        return Assertion(path, parts, _plain(expected), line)


def _replace_name(expectation: Expectation, name: str) -> Expectation:
    return Expectation(expectation.file, name, expectation.key, expectation.ruleset, expectation.case,
                       expectation.assertions, expectation.line)


def _plain(value: Any) -> Any:
    """Expected values as JSON has them: YAML dates become ISO strings; located containers plain ones."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


# ---------------------------------------------------------------------------------------------- paths


def parse_path(path: str) -> tuple[str | int, ...]:
    """Split a determination path into field names, list positions and ``*``, checking it against the model.

    Raises:
        ValueError: the path names no field of a determination (with a did-you-mean).
    """
    head, _, rest = path.partition(".")
    if head in ("result", "step"):
        if not rest:
            raise ValueError(f"{path!r}: give a rule id after '{head}.', e.g. {head}.art8")
        return (head, rest)  # rule ids may contain dots: the rest is the id
    parts: list[str | int] = []
    for raw in path.split("."):
        if raw == "":
            raise ValueError(f"{path!r}: empty segment (two dots, or a dot at an end)")
        parts.append(raw if raw == "*" or not _is_int(raw) else int(raw))
    if parts[0] == "applied":
        _check_parts(parts[1:], tuple[str, ...], path, "applied")
    else:
        _check_parts(parts, Determination, path, "")
    return tuple(parts)


def _is_int(text: str) -> bool:
    return text.lstrip("-").isdigit()


def _check_parts(parts: Sequence[str | int], annotation: Any, path: str, walked: str) -> None:
    """Walk the determination model along ``parts``, so a misspelt path fails when the file is read."""
    here = walked
    for part in parts:
        annotation = _unoptional(annotation)
        origin = typing.get_origin(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            fields = list(annotation.model_fields)
            if not isinstance(part, str) or part == "*" or part not in fields:
                names = fields if here else [*fields, *SHORTCUTS]
                raise ValueError(f"{path!r}: {here or 'a determination'} has no field {str(part)!r}"
                                 f"{suggest(str(part), names)} (fields: {', '.join(names)})")
            annotation = annotation.model_fields[part].annotation
        elif origin in (tuple, list):
            if not (isinstance(part, int) or part == "*"):
                raise ValueError(f"{path!r}: {here} is a list: give a position (0, 1, -1) or * for every item, not {part!r}")
            annotation = typing.get_args(annotation)[0]
        elif origin is dict:
            annotation = typing.get_args(annotation)[1]  # fact maps: any fact name
        elif origin in (typing.Union, types.UnionType) or annotation is Any:
            return  # a fact value: bool, number, text or list; nothing more to check statically
        else:
            raise ValueError(f"{path!r}: {here} is a single value, it has no part {str(part)!r}")
        here = f"{here}.{part}" if here else str(part)


def _unoptional(annotation: Any) -> Any:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not types.NoneType]
        if len(args) == 1:
            return args[0]
    return annotation


def _check_expected(expected: Any) -> None:
    """Operators must be well formed; checked when the file is read."""
    if not _is_operator(expected):
        return
    for op, operand in expected.items():
        if op in ("has", "lacks") and isinstance(operand, dict):
            raise ValueError(f"'{op}' takes a value or a list of values, not a mapping")
        if op in ("unordered", "one_of") and not isinstance(operand, list):
            raise ValueError(f"'{op}' takes a list")
        if op == "len" and (not isinstance(operand, int) or isinstance(operand, bool) or operand < 0):
            raise ValueError("'len' takes a whole number")


def _is_operator(expected: Any) -> bool:
    return isinstance(expected, dict) and bool(expected) and all(k in OPERATORS for k in expected)


_MISSING = object()


def resolve(determination: Mapping[str, Any], parts: Sequence[str | int]) -> Any:
    """The value at ``parts`` in a determination's JSON data (``_MISSING`` where the path leads nowhere)."""
    head = parts[0] if parts else None
    if head == "applied":
        value: Any = [s["rule_id"] for s in determination["trace"] if s["result"] == "applies"]
        return _walk(value, parts[1:])
    if head in ("result", "step"):
        step = next((s for s in determination["trace"] if s["rule_id"] == parts[1]), None)
        if step is None:
            return _MISSING
        return step["result"] if head == "result" else step
    return _walk(determination, parts)


def _walk(value: Any, parts: Sequence[str | int]) -> Any:
    for i, part in enumerate(parts):
        if part == "*":
            if isinstance(value, dict):
                value = list(value.values())
            if not isinstance(value, list):
                return _MISSING
            items = [_walk(item, parts[i + 1:]) for item in value]
            return [item for item in items if item is not _MISSING]
        if isinstance(part, int):
            if not isinstance(value, list) or not -len(value) <= part < len(value):
                return _MISSING
            value = value[part]
        elif isinstance(value, dict) and part in value:
            value = value[part]
        else:
            return _MISSING
    return value


# ---------------------------------------------------------------------------------------------- matching


def _same(expected: Any, actual: Any) -> bool:
    """Equality that keeps booleans apart from numbers (``true`` is not ``1``)."""
    if isinstance(expected, bool) or isinstance(actual, bool):
        return isinstance(expected, bool) and isinstance(actual, bool) and expected == actual
    return bool(expected == actual)


def matches(expected: Any, actual: Any) -> bool:
    """Whether ``actual`` meets ``expected``: mappings by subset, lists exactly, operators as documented."""
    if _is_operator(expected):
        return all(_operator(op, operand, actual) for op, operand in expected.items())
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(k in actual and matches(v, actual[k]) for k, v in expected.items())
    if isinstance(expected, list):
        return isinstance(actual, list) and len(expected) == len(actual) and all(map(matches, expected, actual))
    return _same(expected, actual)


def _items(operand: Any) -> list[Any]:
    return list(operand) if isinstance(operand, list) else [operand]


def _operator(op: str, operand: Any, actual: Any) -> bool:
    if op == "not":
        return not matches(operand, actual)
    if op == "one_of":
        return any(matches(option, actual) for option in operand)
    if op == "len":
        return isinstance(actual, (list, dict, str)) and len(actual) == operand
    if not isinstance(actual, list):
        return False
    if op == "has":
        return all(any(matches(item, a) for a in actual) for item in _items(operand))
    if op == "lacks":
        return not any(any(matches(item, a) for a in actual) for item in _items(operand))
    # unordered: the same items, each matched once, in any order
    remaining = list(actual)
    for item in operand:
        hit = next((i for i, a in enumerate(remaining) if matches(item, a)), None)
        if hit is None:
            return False
        remaining.pop(hit)
    return not remaining


def check(expectation: Expectation) -> CheckResult:
    """Evaluate the expectation's case under its rule set and compare every assertion."""
    determination = expectation.ruleset.evaluate(expectation.case)
    data = json.loads(determination.to_json())
    mismatches = []
    for assertion in expectation.assertions:
        actual = resolve(data, assertion.parts)
        if actual is _MISSING:
            mismatches.append(Mismatch(assertion, None, found=False))
        elif not matches(assertion.expected, actual):
            mismatches.append(_mismatch(assertion, actual))
    return CheckResult(expectation, determination, tuple(mismatches))


def _mismatch(assertion: Assertion, actual: Any) -> Mismatch:
    """The mismatch, with the items that differ when the value is a list."""
    expected = assertion.expected
    if not isinstance(actual, list):
        return Mismatch(assertion, actual, found=True)

    def absent(items: list[Any]) -> tuple[Any, ...]:
        return tuple(i for i in items if not any(matches(i, a) for a in actual))

    def outside(items: list[Any]) -> tuple[Any, ...]:
        return tuple(a for a in actual if not any(matches(i, a) for i in items))

    if isinstance(expected, list):
        return Mismatch(assertion, actual, found=True, missing=absent(expected), unexpected=outside(expected))
    missing: tuple[Any, ...] = ()
    unexpected: tuple[Any, ...] = ()
    forbidden: tuple[Any, ...] = ()
    if _is_operator(expected):
        if "has" in expected:
            missing = absent(_items(expected["has"]))
        if "unordered" in expected:
            missing += absent(expected["unordered"])
            unexpected = outside(expected["unordered"])
        if "lacks" in expected:
            shut_out = outside(_items(expected["lacks"]))
            forbidden = tuple(a for a in actual if a not in shut_out)
    return Mismatch(assertion, actual, found=True, missing=missing, unexpected=unexpected, forbidden=forbidden)


# ---------------------------------------------------------------------------------------------- reporting


def _flow(value: Any) -> str:
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10_000, sort_keys=False)
    return text.strip().removesuffix("...").strip()


def _block(value: Any) -> list[str]:
    return yaml.safe_dump(value, default_flow_style=False, allow_unicode=True, width=100, sort_keys=False).rstrip().splitlines()


def _describe(mismatch: Mismatch, trace: list[dict[str, Any]]) -> list[str]:
    a = mismatch.assertion
    at = f" (line {a.line})" if a.line else ""
    lines = [f"  {a.path}{at}"]
    if not mismatch.found:
        lines += [f"    expected: {_flow(a.expected)}", "    actual:   (nothing at this path in the determination)"]
    else:
        shown = _shown(a.expected, mismatch.actual)
        expected, actual = _flow(a.expected), _flow(shown)
        if len(expected) <= 100 and len(actual) <= 100:
            lines += [f"    expected: {expected}", f"    actual:   {actual}"]
        else:
            diff = difflib.unified_diff(_block(a.expected), _block(shown), "expected", "actual", lineterm="", n=2)
            lines += [f"    {line}" for line in diff]
        if shown is not mismatch.actual and not _is_operator(a.expected):
            lines.append("    (actual shows only the keys the expected mapping names)")
    lines += [f"    {note}" for note in mismatch.notes()]
    steps = _involved(mismatch, trace)
    if steps:
        lines.append("    trace of the rules involved:")
        for step in steps:
            lines += [f"      {line}" for line in _step(step)]
    return lines


def _shown(expected: Any, actual: Any) -> Any:
    """The actual value as far as the expected one speaks of it: a mapping only with the keys it names."""
    if isinstance(expected, dict) and not _is_operator(expected) and isinstance(actual, dict):
        return {k: _shown(v, actual[k]) if k in actual else "(no such key)" for k, v in expected.items()}
    if _is_operator(expected) and set(expected) == {"len"} and isinstance(actual, (list, dict, str)):
        return {"len": len(actual)}
    return actual


def _involved(mismatch: Mismatch, trace: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The trace steps behind a mismatch: rules named in it, then the live rules of the stages its field comes from."""
    parts = mismatch.assertion.parts
    by_id = {s["rule_id"]: s for s in trace}
    named: list[str] = []
    if parts[0] in ("result", "step"):
        named.append(str(parts[1]))
    differing = [*mismatch.missing, *mismatch.unexpected, *mismatch.forbidden]
    for value in differing or (mismatch.assertion.expected, mismatch.actual):
        named += [v for v in _strings(value) if v in by_id]
    stages = () if parts[0] == "applied" and differing else _FIELD_STAGES.get(str(parts[0]), ())
    live = [s["rule_id"] for s in trace if s["stage"] in stages and s["result"] in ("applies", "defeated", "undetermined")]
    ids = list(dict.fromkeys(i for i in (*named, *live) if i in by_id))
    return [by_id[i] for i in ids[:_MAX_STEPS]]


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _step(step: Mapping[str, Any]) -> list[str]:
    citation = step["citation"]
    where = " ".join(x for x in (citation.get("part"), citation["address"]["text"]) if x)
    result = step["result"]
    if step["defeated_by"]:
        result += f" by {', '.join(step['defeated_by'])}"
    if step["defeats"]:
        result += f"; defeats {', '.join(step['defeats'])}"
    lines = [f"#{step['step']} {step['rule_id']} [{step['stage']}] {where}: {result}"]
    if step["facts"]:
        lines.append("   facts: " + ", ".join(f"{k} = {_flow(v)}" for k, v in step["facts"].items()))
    quote = citation["quote"]
    lines.append(f"   “{quote if len(quote) <= 80 else quote[:79] + '…'}”")
    return lines


# ---------------------------------------------------------------------------------------------- running


@dataclass(frozen=True)
class RunSummary:
    """Everything ``guanzhi test`` ran: results per expectation, and files that could not be read."""

    results: tuple[CheckResult, ...]
    errors: tuple[ExpectationFileError, ...]

    @property
    def failed(self) -> tuple[CheckResult, ...]:
        return tuple(r for r in self.results if not r.passed)


def run(paths: Iterable[str | Path], patterns: Sequence[str] = FILE_PATTERNS) -> RunSummary:
    """Read and check every expected-outcome file under ``paths``; a malformed file is recorded, not raised.

    Raises:
        ExpectationFileError: a path does not exist.
    """
    results: list[CheckResult] = []
    errors: list[ExpectationFileError] = []
    for file in expectation_files(paths, patterns):
        try:
            expectations = read_expectations(file)
        except ExpectationFileError as exc:
            errors.append(exc)
            continue
        results += [check(e) for e in expectations]
    return RunSummary(tuple(results), tuple(errors))
