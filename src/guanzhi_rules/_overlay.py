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

The amended rule set's fingerprint (``RuleSet.sha256``) is the SHA-256 of the base's fingerprint, a
newline, and the overlay's canonical JSON (validated model, sorted keys); several overlays chain in
order. An empty overlay therefore changes no rule but does change the fingerprint: a determination
made under a proposal never passes for one made under the rules in force.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, model_validator

from guanzhi_rules import _yaml
from guanzhi_rules._facts import suggest
from guanzhi_rules._loader import (
    BUNDLED,
    RuleSet,
    _compile,
    _error,
    _freeze_conditions,
    _frozen,
    _validation_error,
    load,
)
from guanzhi_rules._rulefile import ConditionData, Rule, RuleFile, Text, _Model
from guanzhi_rules.exceptions import Location, RuleSetError, RuleSetNotFoundError

_PATH = r"^[a-z_][a-z0-9_]*(\.([a-z_][a-z0-9_]*|[0-9]+))*$"
_FIXED = ("id", "stage")
"""Keys of a rule that ``set`` may not change: they say which rule it is."""


class Header(_Model):
    """The ``overlay:`` header: which rule set the overlay amends, and what the proposal is."""

    base: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="Key of the rule set amended (its document.key).")
    title: Text = Field(description="The proposal, in a line.")
    note: Text | None = Field(default=None, description="Why, for the record.")


class Change(_Model):
    """One ``set:`` entry: put ``value`` at ``path`` inside one rule, or one named condition."""

    rule: str | None = Field(default=None, description="Id of the rule changed.")
    define: str | None = Field(default=None, description="Name of the named condition (define:) changed.")
    path: str | None = Field(
        default=None, pattern=_PATH,
        description="Where in the rule (or definition): dot-separated keys and list indexes, e.g. then.0.freeze.months.")
    value: ConditionData = Field(description="The new value: plain data, validated as the rule file format requires.")
    reason: Text | None = Field(default=None, description="Why, for the record.")

    @model_validator(mode="after")
    def _one_target(self) -> Change:
        if (self.rule is None) == (self.define is None):
            raise ValueError("a set entry names exactly one of 'rule' or 'define'")
        if self.rule is not None and self.path is None:
            raise ValueError("a set entry for a rule needs a 'path' (to change the whole rule, use replace)")
        if self.rule is not None and self.path is not None and self.path.split(".")[0] in _FIXED:
            raise ValueError(f"a rule's {self.path.split('.')[0]!r} cannot be set: replace the rule, or remove it and add a new one")
        return self

    def parts(self) -> list[str | int]:
        return [int(p) if p.isdigit() else p for p in self.path.split(".")] if self.path else []


class Overlay(_Model):
    """An overlay file: the header, then rules removed, replaced and added, and parameters set."""

    overlay: Header
    remove: tuple[str, ...] = Field(default=(), description="Ids of base rules to remove.")
    replace: tuple[Rule, ...] = Field(default=(), description="Whole rules, each replacing the base rule with its id.")
    add: tuple[Rule, ...] = Field(default=(), description="Whole rules with new ids, appended.")
    set_: tuple[Change, ...] = Field(default=(), alias="set", description="Parameters changed, applied in order after the rest.")
    drop_silence: tuple[Literal["exemption", "aggravating", "mitigating", "freeze_length", "procedure"], ...] = Field(
        default=(), description="Topics of the base's silent_on that the proposal now provides for: their statements are dropped.")

    @property
    def empty(self) -> bool:
        """The overlay changes nothing."""
        return not (self.remove or self.replace or self.add or self.set_ or self.drop_silence)

    def canonical(self) -> str:
        """The overlay's content as canonical JSON (sorted keys), the basis of the fingerprint."""
        data = self.model_dump(mode="json", by_alias=True)
        if not self.drop_silence:  # added after the first overlays were written: keep their fingerprints
            del data["drop_silence"]
        return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


# -- reading --------------------------------------------------------------------------------------

def read_overlay(path: Path, limits: _yaml.Limits = _yaml.DEFAULT_LIMITS) -> tuple[Overlay, Any]:
    """Read and validate an overlay file; return the model and the located data.

    Raises:
        RuleSetNotFoundError: the file cannot be read.
        RuleSetError: the file is not a well-formed overlay.
    """
    try:
        data = _yaml.parse(_yaml.read_limited(path, limits), limits=limits)
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
        raise _validation_error(exc, data, path, model=Overlay, sections=("replace", "add")) from exc
    for rule in (*overlay.replace, *overlay.add):
        object.__setattr__(rule, "when", _frozen(rule.when))
    for change in overlay.set_:
        object.__setattr__(change, "value", _frozen(change.value))
    return overlay, data


def is_overlay(path: Path, limits: _yaml.Limits = _yaml.DEFAULT_LIMITS) -> bool:
    """Whether the file reads as an overlay (a mapping with an ``overlay:`` header and no ``document:``)."""
    try:
        data = _yaml.parse(_yaml.read_limited(path, limits), limits=limits)
    except (OSError, _yaml.YamlError):
        return False
    return isinstance(data, dict) and "overlay" in data and "document" not in data


def resolve(spec: str | Path, *, limits: _yaml.Limits = _yaml.DEFAULT_LIMITS) -> RuleSet:
    """The rule set a command line names: a key, a rule-file path, an overlay path, or ``BASE+OVERLAY[+OVERLAY...]``.

    An overlay path alone is applied to the bundled rule set its header names.

    Raises:
        RuleSetNotFoundError: a key or file that does not exist.
        RuleSetError: a malformed rule file or overlay.
    """
    text = str(spec)
    path = Path(text)
    if "+" in text and not path.exists():
        base, *overlays = text.split("+")
        if not base or not all(overlays):
            raise RuleSetError(f"cannot read {text!r} as a rule set: write KEY, PATH, OVERLAY or BASE+OVERLAY[+OVERLAY...]")
        return load(base, limits=limits, overlays=overlays)
    if ("/" in text or "\\" in text or text.endswith((".yaml", ".yml"))) and path.is_file() and is_overlay(path, limits):
        overlay, _ = read_overlay(path, limits)
        return load(overlay.overlay.base, limits=limits, overlays=[path])
    return load(spec, limits=limits)


# -- applying -------------------------------------------------------------------------------------

_CACHE: dict[tuple[Any, ...], RuleSet] = {}


def apply_overlays(base: RuleSet, overlays: Sequence[str | Path], *, limits: _yaml.Limits = _yaml.DEFAULT_LIMITS) -> RuleSet:
    """The rule set ``base`` amended by each overlay in turn (cached while the files are unchanged).

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
        data = _yaml.parse(_yaml.read_limited(base.path, limits), limits=limits)
        files = {rule.id: base.path for rule in base.file.rules}
        ruleset = base
        for path in paths:
            ruleset, data = _apply(ruleset, data, path, limits, files)
        _CACHE[key] = ruleset
    return _CACHE[key]


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


def _apply(base: RuleSet, data: Any, path: Path, limits: _yaml.Limits, files: dict[str, Path]) -> tuple[RuleSet, Any]:
    overlay, ov = read_overlay(path, limits)

    def fail(message: str, loc: tuple[str | int, ...], rule_id: str | None = None) -> RuleSetError:
        return _error(message, ov, loc, path, rule_id)

    if overlay.overlay.base != base.key:
        raise fail(f"this overlay amends {overlay.overlay.base!r}, but it is applied to {base.key!r}", ("overlay", "base"))

    raw_rules: list[Any] = list(data["rules"])
    marks: list[_yaml.Mark] = list(data["rules"].item_marks)
    models: list[Rule] = list(base.file.rules)
    ids = [r.id for r in models]
    origin: dict[str, tuple[str, int]] = {}

    removed: dict[str, int] = {}
    for i, rule_id in enumerate(overlay.remove):
        if rule_id in removed:
            raise fail(f"remove: {rule_id!r} is listed twice", ("remove", i), rule_id)
        if rule_id not in ids:
            raise fail(f"remove: no rule {rule_id!r} in {base.key}{suggest(rule_id, ids)}", ("remove", i), rule_id)
        removed[rule_id] = i

    for section, rules in (("replace", overlay.replace), ("add", overlay.add)):
        for i, rule in enumerate(rules):
            loc: tuple[str | int, ...] = (section, i, "id")
            if rule.id in origin:
                first = origin[rule.id]
                raise fail(f"{section}: rule {rule.id!r} is already changed by {first[0]} #{first[1] + 1} of this overlay", loc, rule.id)
            if rule.id in removed:
                raise fail(f"{section}: rule {rule.id!r} is removed by this overlay; "
                           "to change a rule, replace it without removing it", loc, rule.id)
            if section == "replace" and rule.id not in ids:
                raise fail(f"replace: no rule {rule.id!r} in {base.key}{suggest(rule.id, ids)}; to add a new rule, use add",
                           loc, rule.id)
            if section == "add" and rule.id in ids:
                raise fail(f"add: {base.key} already has a rule {rule.id!r}; to change it, use replace", loc, rule.id)
            origin[rule.id] = (section, i)
            files[rule.id] = path
            if section == "replace":
                at = ids.index(rule.id)
                models[at], raw_rules[at], marks[at] = rule, ov[section][i], ov[section].item_marks[i]
            else:
                ids.append(rule.id)
                models.append(rule)
                raw_rules.append(ov[section][i])
                marks.append(ov[section].item_marks[i])

    keep = [i for i, rule_id in enumerate(ids) if rule_id not in removed]
    ids, models = [ids[i] for i in keep], [models[i] for i in keep]
    raw_rules, marks = [raw_rules[i] for i in keep], [marks[i] for i in keep]
    defines: dict[str, Any] = dict(data.get("define", {}))
    define_origin: dict[str, int] = {}

    for i, change in enumerate(overlay.set_):
        value = copy.deepcopy(ov["set"][i]["value"])
        if change.define is not None:
            name = change.define
            if name not in defines:
                raise fail(f"set: no named condition {name!r} in {base.key}{suggest(name, defines)}", ("set", i, "define"))
            if change.path is None:
                defines[name] = value
            else:
                defines[name] = copy.deepcopy(defines[name])
                problem = _put(defines[name], change.parts(), value)
                if problem:
                    raise fail(f"set: path {change.path!r} in definition {name!r}: {problem}", ("set", i, "path"))
            define_origin.setdefault(name, i)
            continue
        assert change.rule is not None
        rule_id = change.rule
        if rule_id not in ids:
            gone = " (it is removed by this overlay)" if rule_id in removed else ""
            raise fail(f"set: no rule {rule_id!r} in {base.key}{gone}{suggest(rule_id, ids)}", ("set", i, "rule"), rule_id)
        at = ids.index(rule_id)
        raw_rules[at] = copy.deepcopy(raw_rules[at])
        problem = _put(raw_rules[at], change.parts(), value)
        if problem:
            raise fail(f"set: path {change.path!r} in rule {rule_id!r}: {problem}", ("set", i, "path"), rule_id)
        try:
            models[at] = Rule.model_validate_json(json.dumps(raw_rules[at], default=_yaml.json_default, ensure_ascii=False))
        except ValidationError as exc:
            error = exc.errors(include_url=False)[0]
            field = ".".join(str(p) for p in error["loc"]) or "the rule"
            message = error["msg"].removeprefix("Value error, ")
            if error["type"] == "extra_forbidden":
                message = "unknown key"
            raise fail(f"set: rule {rule_id!r} after setting {change.path}: {field}: {message}", ("set", i, "value"), rule_id) from exc
        origin.setdefault(rule_id, ("set", i))

    # A removed rule must not be named by a rule that stays.
    for rule_id, i in removed.items():
        for rule, raw in zip(models, raw_rules, strict=True):
            why = ("defeats it" if rule_id in rule.defeats else "combines with it" if rule_id in rule.combines_with
                   else "asks whether it applies" if _conditions_naming(raw.get("when"), rule_id) else None)
            if why:
                raise fail(f"cannot remove {rule_id!r}: rule {rule.id!r} {why}; remove or replace {rule.id!r} as well",
                           ("remove", i), rule_id)
        for name, raw in defines.items():
            if _conditions_naming(raw, rule_id):
                raise fail(f"cannot remove {rule_id!r}: the named condition {name!r} asks whether it applies", ("remove", i), rule_id)

    # Citations of another jurisdiction's text name a bundled rule set.
    for rule in models:
        document = rule.citation.document
        if rule.id in origin and document is not None and document != base.key and document not in BUNDLED:
            section, i = origin[rule.id]
            loc = (section, i, "citation", "document") if section != "set" else ("set", i)
            raise fail(f"citation.document {document!r}: no bundled rule set to cite{suggest(document, BUNDLED)} "
                       f"(bundled: {', '.join(BUNDLED)})", loc, rule.id)

    stated = [s.topic for s in base.file.silent_on]
    for i, topic in enumerate(overlay.drop_silence):
        if topic not in stated:
            raise fail(f"drop_silence: {base.key} states no silence on {topic!r} (it is silent on: {', '.join(stated) or 'nothing'})",
                       ("drop_silence", i))

    amended = _yaml.LocatedDict(data)
    amended.mark, amended.key_marks = data.mark, data.key_marks
    amended["rules"] = _located_list(raw_rules, marks, data["rules"].mark)
    if overlay.drop_silence:
        amended["silent_on"] = [s for s in data.get("silent_on", []) if s["topic"] not in overlay.drop_silence]
    if defines or "define" in data:
        amended["define"] = defines

    def remap(exc: RuleSetError) -> RuleSetError:
        rule_id = exc.rule_id
        where = origin.get(rule_id) if rule_id else None
        if where and where[0] != "set":
            line, column = (exc.location.line, exc.location.column) if exc.location else (None, None)
            return RuleSetError(exc.message, location=Location(str(path), line, column), rule_id=rule_id)
        if where:
            return fail(f"set #{where[1] + 1} ({overlay.set_[where[1]].path}): {exc.message}", ("set", where[1]), rule_id)
        named = re.match(r"definition '([^']+)'", exc.message)
        if named and named.group(1) in define_origin:
            return fail(f"set #{define_origin[named.group(1)] + 1}: {exc.message}", ("set", define_origin[named.group(1)]))
        at = ""
        if exc.location and exc.location.line is not None:
            at = f" ({files.get(rule_id or '', base.path)}:{exc.location.line}:{exc.location.column})"
        return RuleSetError(f"after applying this overlay, {f'rule {rule_id}' if rule_id else 'the rule set'}{at}: {exc.message}",
                            location=Location(str(path)), rule_id=rule_id)

    try:
        file = RuleFile.model_validate_json(json.dumps(amended, default=_yaml.json_default, ensure_ascii=False))
    except ValidationError as exc:
        raise remap(_validation_error(exc, amended, base.path)) from exc
    try:
        compiled = _compile(file, amended, base.path)
    except RuleSetError as exc:
        raise remap(exc) from exc
    _freeze_conditions(file)
    sha = hashlib.sha256(f"{base.sha256}\n{overlay.canonical()}".encode()).hexdigest()
    return RuleSet(file, compiled, base.path, sha, overlays=(*base.overlays, overlay)), amended
