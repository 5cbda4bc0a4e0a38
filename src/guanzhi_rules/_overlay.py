"""Overlays: a proposed change to a rule set, written as a short YAML file instead of a copy.

An overlay names its base rule set and says what to change, in sections that are applied in
this order::

    overlay: {base: benxi, title: {zh: ..., en: ...}, note: {zh: ..., en: ...}}
    remove: [art8]                     # rule ids of the base
    replace: [{id: art9, ...}]         # whole rules, each with the id of a base rule
    add: [{id: bar.private_gain, ...}] # whole rules with new ids, appended to the rule set
    set:                               # one parameter of one rule (or named condition) each
      - {rule: art13.transfer, path: then.0.freeze.months, value: 18}
      - {define: serious_influence, value: {fact: harm.influence, at_least: adverse}}
    drop_silence: [exemption]          # the proposal now provides what the base said it does not

Rules in ``replace`` and ``add`` are written exactly as in a rule file, with a citation and a
verbatim quote; a quote of another jurisdiction's text names it with ``citation.document`` (a
bundled key). ``set`` walks ``path`` (dot-separated keys and list indexes) into one rule's data and
puts ``value`` there; a rule's ``id`` and ``stage`` cannot be set (replace the rule instead).
Nothing is evaluated: every value is plain data, and the amended rule set is validated and compiled
exactly like a rule file, within the same limits. Errors name the overlay file, the line and
column of the entry at fault, and the rule id.

An overlay whose header carries ``in_force_from: DATE`` is an amendment in force from that day: the
rule set and its dated overlays form a timeline (``RuleSet.versions``), ``load(key, on=DATE)`` gives
the version in force that day, and a case is decided under the versions in force at its conduct and
decision dates. An overlay without the date is a proposal, part of every version.

The amended rule set's fingerprint (``RuleSet.sha256``) is the SHA-256 of the base's fingerprint, a
newline, and the overlay's canonical JSON (validated model, sorted keys); several overlays chain in
order. An empty overlay therefore changes no rule but does change the fingerprint: a determination
made under a proposal never passes for one made under the rules in force.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from guanzhi_rules import _yaml, _yamlparse
from guanzhi_rules._compiler import compile_rules, freeze_conditions, frozen, located_error, validation_error
from guanzhi_rules._overlayfile import Change, Overlay
from guanzhi_rules._rulefile import BUNDLED, Citation, Rule, RuleFile
from guanzhi_rules._ruleset import RuleSet, Version
from guanzhi_rules._suggestions import suggest
from guanzhi_rules.exceptions import Location, QuoteError, RuleSetError, RuleSetNotFoundError

QuoteCheck = Callable[[RuleSet, Citation], "str | None"]
"""What is wrong with a citation's quote in a rule set's official text, if anything (``_loader.quote_problem``)."""

# -- reading --------------------------------------------------------------------------------------

def read_overlay(path: Path, limits: _yaml.Limits = _yaml.DEFAULT_LIMITS) -> tuple[Overlay, Any]:
    """Read and validate an overlay file; return the model and the located data.

    Raises:
        RuleSetNotFoundError: the file cannot be read.
        RuleSetError: the file is not a well-formed overlay.
    """
    try:
        data = _yamlparse.parse(_yaml.read_limited(path, limits), limits=limits)
    except OSError as exc:
        raise RuleSetNotFoundError(f"cannot read overlay: {exc.strerror}", location=Location(str(path))) from exc
    except _yaml.YamlError as exc:
        mark = exc.mark
        raise RuleSetError(exc.message, location=Location(str(path), mark.line if mark else None, mark.column if mark else None)) from exc
    if not isinstance(data, dict) or "overlay" not in data:
        hint = " (this is a rule file: name it as the base)" if isinstance(data, dict) and "document" in data else ""
        raise RuleSetError("an overlay must be a mapping with an 'overlay:' header (base, title) and any of remove, replace, "
                           f"add, set{hint}", location=Location(str(path), 1, 1))
    try:
        overlay = Overlay.model_validate_json(json.dumps(data, default=_yaml.json_default, ensure_ascii=False))
    except ValidationError as exc:
        raise validation_error(exc, data, path, model=Overlay, sections=("replace", "add")) from exc
    for rule in (*overlay.replace, *overlay.add):
        object.__setattr__(rule, "when", frozen(rule.when))
    for change in overlay.set_:
        object.__setattr__(change, "value", frozen(change.value))
    return overlay, data


def is_overlay(path: Path, limits: _yaml.Limits = _yaml.DEFAULT_LIMITS) -> bool:
    """Whether the file reads as an overlay (a mapping with an ``overlay:`` header and no ``document:``)."""
    try:
        data = _yamlparse.parse(_yaml.read_limited(path, limits), limits=limits)
    except (OSError, _yaml.YamlError):
        return False
    return isinstance(data, dict) and "overlay" in data and "document" not in data


# -- applying -------------------------------------------------------------------------------------

_CACHE: dict[tuple[Any, ...], RuleSet] = {}
_CACHE_SIZE = 32
"""Amended rule sets kept: a drafter's session works on a handful of proposals; a diff, on two."""


def apply_overlays(
    base: RuleSet, overlays: Sequence[str | Path], *, limits: _yaml.Limits = _yaml.DEFAULT_LIMITS, quotes: QuoteCheck | None = None,
) -> RuleSet:
    """The rule set ``base`` amended by each overlay in turn (cached while the files are unchanged).

    ``quotes(base, citation)`` says what is wrong with the quote of a rule an overlay writes or
    changes (the loader passes the check ``guanzhi check`` makes); a problem is a ``QuoteError``.

    Raises:
        RuleSetNotFoundError: an overlay file cannot be read.
        RuleSetError: an overlay is malformed or does not fit the rule set it is applied to.
    """
    if isinstance(overlays, (str, Path)):  # one overlay given on its own, not a string of characters
        overlays = [overlays]
    paths = [Path(p).resolve() for p in overlays]
    stamps = []
    for path in paths:
        try:
            stat = path.stat()
        except OSError as exc:
            raise RuleSetNotFoundError(f"cannot read overlay: {exc.strerror}", location=Location(str(path))) from exc
        stamps.append((str(path), stat.st_mtime_ns, stat.st_size))
    key = (str(base.path), base.sha256, tuple(stamps), limits)
    if key not in _CACHE:
        ruleset = _amend(base, paths, limits, quotes)
        _timeline(base, paths, ruleset, limits)
        if len(_CACHE) >= _CACHE_SIZE:
            del _CACHE[next(iter(_CACHE))]  # the oldest entry
        _CACHE[key] = ruleset
    return _CACHE[key]


def _amend(base: RuleSet, paths: list[Path], limits: _yaml.Limits, quotes: QuoteCheck | None) -> RuleSet:
    """``base`` amended by each overlay file in turn."""
    data = _yamlparse.parse(_yaml.read_limited(base.path, limits), limits=limits)
    files = {rule.id: base.path for rule in base.file.rules}
    ruleset = base
    for path in paths:
        ruleset, data = _apply(ruleset, data, path, limits, files, quotes=quotes)
    return ruleset


def _timeline(base: RuleSet, paths: list[Path], amended: RuleSet, limits: _yaml.Limits) -> None:
    """Where overlays are dated, give ``amended`` and each earlier version the timeline they form (``RuleSet.versions``).

    The version in force from a day is the base amended by the undated overlays (proposals, part of every
    version) and the dated ones in force by that day, in the order given; the first version has only the
    undated ones, and is in force from the document's own commencement.
    """
    written = amended.overlays[len(base.overlays):]
    days = sorted({o.overlay.in_force_from for o in written if o.overlay.in_force_from is not None})
    if not days:
        return
    versions = []
    for day in (None, *days):
        chosen = [p for p, o in zip(paths, written, strict=True)
                  if o.overlay.in_force_from is None or (day is not None and o.overlay.in_force_from <= day)]
        if len(chosen) == len(paths):
            ruleset = amended
        elif chosen:
            ruleset = _amend(base, chosen, limits, None)  # its overlays' quotes were checked with the whole
        else:  # the base itself, as a new object: the loaded base is shared and keeps no timeline
            ruleset = RuleSet(base.file, base.rules, base.path, base.sha256, base.overlays)
        versions.append(Version(day, ruleset))
    for version in versions:
        object.__setattr__(version.ruleset, "versions", tuple(versions))  # set once, before anyone else sees them


def _located_list(items: list[Any], marks: list[_yaml.Mark], mark: _yaml.Mark) -> _yaml.LocatedList:
    result = _yaml.LocatedList(items)
    result.item_marks, result.mark = marks, mark
    return result


def _conditions_naming(raw: Any, rule_id: str) -> bool:
    """Whether condition data has an ``applies`` that names ``rule_id`` itself."""
    if isinstance(raw, dict):
        applies = raw.get("applies")
        if isinstance(applies, list) and rule_id in applies:
            return True
        return any(_conditions_naming(v, rule_id) for v in raw.values())
    if isinstance(raw, list):
        return any(_conditions_naming(v, rule_id) for v in raw)
    return False


def _put(target: Any, parts: list[str | int], value: Any) -> str | None:
    """Put ``value`` at ``parts`` inside ``target``; return what is wrong with the path, if anything."""
    node = target
    for depth, part in enumerate(parts):
        here = ".".join(str(p) for p in parts[:depth]) or "the top"
        last = depth == len(parts) - 1
        if isinstance(node, dict) and isinstance(part, str):
            if last:
                node[part] = value
                return None
            if part not in node:
                return f"no key {part!r} at {here}{suggest(part, node)} (keys: {', '.join(node) or 'none'})"
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int):
            if not 0 <= part < len(node):
                return f"index {part} is out of range at {here} (a list of {len(node)})"
            if last:
                node[part] = value
                return None
            node = node[part]
        else:
            kind = "a list" if isinstance(node, list) else "a mapping" if isinstance(node, dict) else f"the value {node!r}"
            return f"{part!r} cannot be looked up in {kind} at {here}"
    return "an empty path"  # pragma: no cover - the model requires a path for rules


def _apply(
    base: RuleSet, data: Any, path: Path, limits: _yaml.Limits, files: dict[str, Path], *, quotes: QuoteCheck | None,
) -> tuple[RuleSet, Any]:
    """Apply one overlay file to ``base`` (read from ``data``); return the amended rule set and its data."""
    amendment = _Amendment(base, data, path, limits, files)
    overlay = amendment.overlay
    if overlay.overlay.base != base.key:
        raise amendment.fail(f"this overlay amends {overlay.overlay.base!r}, but it is applied to {base.key!r}", ("overlay", "base"))
    amendment.remove()
    for i, rule in enumerate(overlay.replace):
        amendment.replace(i, rule)
    for i, rule in enumerate(overlay.add):
        amendment.add(i, rule)
    amendment.drop_removed()
    for i, change in enumerate(overlay.set_):
        if change.define is not None:
            amendment.set_define(i, change, change.define)
        else:
            assert change.rule is not None
            amendment.set_rule(i, change, change.rule)
    amendment.check_removed_unnamed()
    amendment.check_citations()
    amendment.check_quotes(quotes)
    amendment.check_drop_silence()
    return amendment.compile()


class _Amendment:
    """One overlay being applied: the base's rules and definitions as data, changed section by section.

    Each change records where in the overlay it was written (``origin``, ``define_origin``), so a
    problem found when the amended rule set is compiled is reported at the overlay entry behind it.
    """

    def __init__(self, base: RuleSet, data: Any, path: Path, limits: _yaml.Limits, files: dict[str, Path]) -> None:
        self.base, self.data, self.path, self.files = base, data, path, files
        self.overlay, self.ov = read_overlay(path, limits)
        self.raw_rules: list[Any] = list(data["rules"])
        self.marks: list[_yaml.Mark] = list(data["rules"].item_marks)
        self.models: list[Rule] = list(base.file.rules)
        self.ids = [r.id for r in self.models]
        self.origin: dict[str, tuple[str, int]] = {}
        """Each rule the overlay writes: the section and entry that wrote it first."""
        self.removed: dict[str, int] = {}
        """Each rule removed: its entry in ``remove``."""
        self.defines: dict[str, Any] = dict(data.get("define", {}))
        self.define_origin: dict[str, int] = {}
        """Each definition the overlay sets: its first ``set`` entry."""

    def fail(self, message: str, loc: tuple[str | int, ...], rule_id: str | None = None, *, definition: str | None = None) -> RuleSetError:
        """An error at ``loc`` in the overlay file."""
        return located_error(message, self.ov, loc, self.path, rule_id, definition=definition)

    # -- the sections, in the order they apply

    def remove(self) -> None:
        for i, rule_id in enumerate(self.overlay.remove):
            if rule_id in self.removed:
                raise self.fail(f"remove: {rule_id!r} is listed twice", ("remove", i), rule_id)
            if rule_id not in self.ids:
                raise self.fail(f"remove: no rule {rule_id!r} in {self.base.key}{suggest(rule_id, self.ids)}", ("remove", i), rule_id)
            self.removed[rule_id] = i

    def replace(self, i: int, rule: Rule) -> None:
        self._claim("replace", i, rule)
        if rule.id not in self.ids:
            raise self.fail(f"replace: no rule {rule.id!r} in {self.base.key}{suggest(rule.id, self.ids)}; to add a new rule, use add",
                            ("replace", i, "id"), rule.id)
        self._record("replace", i, rule)
        at = self.ids.index(rule.id)
        self.models[at], self.raw_rules[at], self.marks[at] = rule, self.ov["replace"][i], self.ov["replace"].item_marks[i]

    def add(self, i: int, rule: Rule) -> None:
        self._claim("add", i, rule)
        if rule.id in self.ids:
            raise self.fail(f"add: {self.base.key} already has a rule {rule.id!r}; to change it, use replace", ("add", i, "id"), rule.id)
        self._record("add", i, rule)
        self.ids.append(rule.id)
        self.models.append(rule)
        self.raw_rules.append(self.ov["add"][i])
        self.marks.append(self.ov["add"].item_marks[i])

    def _claim(self, section: str, i: int, rule: Rule) -> None:
        """A rule is written once by ``replace`` or ``add``, and never one that is removed."""
        loc = (section, i, "id")
        if rule.id in self.origin:
            first = self.origin[rule.id]
            raise self.fail(f"{section}: rule {rule.id!r} is already changed by {first[0]} #{first[1] + 1} of this overlay", loc, rule.id)
        if rule.id in self.removed:
            raise self.fail(f"{section}: rule {rule.id!r} is removed by this overlay; "
                            "to change a rule, replace it without removing it", loc, rule.id)

    def _record(self, section: str, i: int, rule: Rule) -> None:
        self.origin[rule.id] = (section, i)
        self.files[rule.id] = self.path

    def drop_removed(self) -> None:
        keep = [i for i, rule_id in enumerate(self.ids) if rule_id not in self.removed]
        self.ids, self.models = [self.ids[i] for i in keep], [self.models[i] for i in keep]
        self.raw_rules, self.marks = [self.raw_rules[i] for i in keep], [self.marks[i] for i in keep]

    def set_define(self, i: int, change: Change, name: str) -> None:
        """Put a ``set`` entry's value into a named condition: the whole of it, or at its path."""
        value = copy.deepcopy(self.ov["set"][i]["value"])
        if name not in self.defines:
            raise self.fail(f"set: no named condition {name!r} in {self.base.key}{suggest(name, self.defines)}", ("set", i, "define"),
                            definition=name)
        if change.path is None:
            self.defines[name] = value
        else:
            self.defines[name] = copy.deepcopy(self.defines[name])
            problem = _put(self.defines[name], change.parts(), value)
            if problem:
                raise self.fail(f"set: path {change.path!r} in definition {name!r}: {problem}", ("set", i, "path"), definition=name)
        self.define_origin.setdefault(name, i)

    def set_rule(self, i: int, change: Change, rule_id: str) -> None:
        """Put a ``set`` entry's value at its path in one rule, and validate the rule again."""
        value = copy.deepcopy(self.ov["set"][i]["value"])
        if rule_id not in self.ids:
            gone = " (it is removed by this overlay)" if rule_id in self.removed else ""
            raise self.fail(f"set: no rule {rule_id!r} in {self.base.key}{gone}{suggest(rule_id, self.ids)}", ("set", i, "rule"), rule_id)
        at = self.ids.index(rule_id)
        self.raw_rules[at] = copy.deepcopy(self.raw_rules[at])
        problem = _put(self.raw_rules[at], change.parts(), value)
        if problem:
            raise self.fail(f"set: path {change.path!r} in rule {rule_id!r}: {problem}", ("set", i, "path"), rule_id)
        try:
            self.models[at] = Rule.model_validate_json(json.dumps(self.raw_rules[at], default=_yaml.json_default, ensure_ascii=False))
        except ValidationError as exc:
            error = exc.errors(include_url=False)[0]
            field = ".".join(str(p) for p in error["loc"]) or "the rule"
            message = "unknown key" if error["type"] == "extra_forbidden" else error["msg"].removeprefix("Value error, ")
            raise self.fail(f"set: rule {rule_id!r} after setting {change.path}: {field}: {message}", ("set", i, "value"), rule_id) from exc
        self.origin.setdefault(rule_id, ("set", i))

    # -- checks on the amended whole

    def check_removed_unnamed(self) -> None:
        """A removed rule must not be named by a rule, or a named condition, that stays."""
        for rule_id, i in self.removed.items():
            for rule, raw in zip(self.models, self.raw_rules, strict=True):
                why = ("defeats it" if rule_id in rule.defeats else "combines with it" if rule_id in rule.combines_with
                       else "asks whether it applies" if _conditions_naming(raw.get("when"), rule_id) else None)
                if why:
                    raise self.fail(f"cannot remove {rule_id!r}: rule {rule.id!r} {why}; remove or replace {rule.id!r} as well",
                                    ("remove", i), rule_id)
            for name, raw in self.defines.items():
                if _conditions_naming(raw, rule_id):
                    raise self.fail(f"cannot remove {rule_id!r}: the named condition {name!r} asks whether it applies",
                                    ("remove", i), rule_id)

    def check_citations(self) -> None:
        """Citations of another jurisdiction's text, in rules the overlay writes, name a bundled rule set."""
        for rule in self.models:
            document = rule.citation.document
            if rule.id in self.origin and document is not None and document != self.base.key and document not in BUNDLED:
                section, i = self.origin[rule.id]
                loc = (section, i, "citation", "document") if section != "set" else ("set", i)
                raise self.fail(f"citation.document {document!r}: no bundled rule set to cite{suggest(document, BUNDLED)} "
                                f"(bundled: {', '.join(BUNDLED)})", loc, rule.id)

    def check_quotes(self, quotes: QuoteCheck | None) -> None:
        """A quote in a rule the overlay writes or changes occurs in the official text, as ``guanzhi check`` requires.

        ``quotes`` (given by the loader) says what is wrong with a citation, if anything; draft wording is not looked for.
        """
        if quotes is None:
            return
        ids = {r.id for r in self.base}
        for rule in self.models:
            if rule.id not in self.origin or rule.citation.draft:
                continue
            if rule.id in ids and self.base.rule(rule.id).rule.citation == rule.citation:
                continue
            problem = quotes(self.base, rule.citation)
            if problem is not None:
                section, i = self.origin[rule.id]
                error = self.fail(f"citation: {problem}; for proposed wording write citation: {{article: ..., draft: TEXT}}",
                                  (section, i, "citation") if section != "set" else ("set", i), rule.id)
                raise QuoteError(error.message, location=error.location, rule_id=rule.id)

    def check_drop_silence(self) -> None:
        stated = [s.topic for s in self.base.file.silent_on]
        for i, topic in enumerate(self.overlay.drop_silence):
            if topic not in stated:
                raise self.fail(f"drop_silence: {self.base.key} states no silence on {topic!r} "
                                f"(it is silent on: {', '.join(stated) or 'nothing'})", ("drop_silence", i))

    # -- the amended rule set

    def amended(self) -> _yaml.LocatedDict:
        """The base's data with the overlay's changes, positions kept (rules written here are at the overlay's)."""
        data = self.data
        amended = _yaml.LocatedDict(data)
        amended.mark, amended.key_marks = data.mark, data.key_marks
        amended["rules"] = _located_list(self.raw_rules, self.marks, data["rules"].mark)
        if self.overlay.drop_silence:
            amended["silent_on"] = [s for s in data.get("silent_on", []) if s["topic"] not in self.overlay.drop_silence]
        if self.defines or "define" in data:
            amended["define"] = self.defines
        return amended

    def compile(self) -> tuple[RuleSet, Any]:
        """Validate and compile the amended data exactly as a rule file; a problem is reported at its overlay entry."""
        base, amended = self.base, self.amended()
        try:
            file = RuleFile.model_validate_json(json.dumps(amended, default=_yaml.json_default, ensure_ascii=False))
        except ValidationError as exc:
            raise self.remap(validation_error(exc, amended, base.path)) from exc
        try:
            compiled = compile_rules(file, amended, base.path)
        except RuleSetError as exc:
            raise self.remap(exc) from exc
        freeze_conditions(file)
        sha = hashlib.sha256(f"{base.sha256}\n{self.overlay.canonical()}".encode()).hexdigest()
        return RuleSet(file, compiled, base.path, sha, overlays=(*base.overlays, self.overlay)), amended

    def remap(self, exc: RuleSetError) -> RuleSetError:
        """An error in the amended rule set, told in terms of the overlay: its file, and the entry behind the problem."""
        rule_id = exc.rule_id
        where = self.origin.get(rule_id) if rule_id else None
        if where and where[0] != "set":  # a rule written whole in the overlay: its own position stands
            line, column = (exc.location.line, exc.location.column) if exc.location else (None, None)
            return RuleSetError(exc.message, location=Location(str(self.path), line, column), rule_id=rule_id)
        if where:
            return self.fail(f"set #{where[1] + 1} ({self.overlay.set_[where[1]].path}): {exc.message}", ("set", where[1]), rule_id)
        if exc.definition is not None and exc.definition in self.define_origin:
            entry = self.define_origin[exc.definition]
            return self.fail(f"set #{entry + 1}: {exc.message}", ("set", entry), definition=exc.definition)
        at = ""
        if exc.location and exc.location.line is not None:
            at = f" ({self.files.get(rule_id or '', self.base.path)}:{exc.location.line}:{exc.location.column})"
        return RuleSetError(f"after applying this overlay, {f'rule {rule_id}' if rule_id else 'the rule set'}{at}: {exc.message}",
                            location=Location(str(self.path)), rule_id=rule_id)
