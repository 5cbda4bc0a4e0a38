"""Loading rule sets: read safe YAML, validate the format, compile conditions, check references.

Everything that can be wrong with a rule file is found here, at load time, so evaluation never
meets a malformed rule. Errors name the file, line, column and rule id.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NoReturn

from pydantic import BaseModel, ValidationError

from guanzhi_rules import _yaml
from guanzhi_rules._conditions import Applies, Condition, ConditionError, compile_condition, walk
from guanzhi_rules._facts import FACTS
from guanzhi_rules._rulefile import STAGES, Ladder, Rule, RuleFile, Silence, Stage
from guanzhi_rules._suggestions import suggest
from guanzhi_rules.exceptions import Location, RuleSetError, RuleSetNotFoundError

if TYPE_CHECKING:
    from guanzhi_rules._case import Case
    from guanzhi_rules._determination import Determination
    from guanzhi_rules._overlay import Overlay

_PACKAGE_DIR = Path(__file__).resolve().parent


def rules_dir() -> Path:
    """Where the bundled rule sets live: inside the installed wheel, or in the source tree."""
    for candidate in (_PACKAGE_DIR / "rules", _PACKAGE_DIR.parents[1] / "rules"):
        if candidate.is_dir():
            return candidate
    raise RuleSetNotFoundError("the bundled rules/ directory is missing from this installation")


BUNDLED: tuple[str, ...] = ("jiangsu", "yangjiang", "benxi", "yueyang", "zhejiang")
"""Keys of the five bundled jurisdictions, in the order the documents were issued (Yueyang undated)."""


class CompiledRule:
    """A validated rule with its condition compiled."""

    __slots__ = ("condition", "id", "index", "late", "reads", "rule")
    rule: Rule
    id: str
    reads: tuple[str, ...]
    """The facts the condition reads, sorted by name (none for ``applies``: those are other rules' facts)."""
    condition: Condition | None
    late: bool
    """The condition reads other rules' standing (``applies``), so it is tested when its stage is reached."""
    index: int

    def __init__(self, rule: Rule, condition: Condition | None, index: int) -> None:
        self.rule, self.condition, self.id = rule, condition, rule.id
        self.reads = tuple(sorted(condition.paths)) if condition is not None else ()
        self.late = condition is not None and any(isinstance(c, Applies) for c in walk(condition))
        self.index = index

    def __setattr__(self, name: str, value: Any) -> None:
        if hasattr(self, "index"):
            raise AttributeError(f"compiled rules are immutable (tried to set {name!r})")
        object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"compiled rules are immutable (tried to delete {name!r})")

    def __repr__(self) -> str:
        return f"<CompiledRule {self.rule.id} {self.rule.stage} when={self.condition!r}>"


class RuleSet:
    """One jurisdiction's rules, validated and compiled. Immutable once loaded."""

    __slots__ = ("_by_id", "_by_stage", "file", "in_trace_order", "key", "ladder_order", "overlays", "path", "rules", "sha256", "silences")
    file: RuleFile
    key: str
    path: Path
    sha256: str
    rules: tuple[CompiledRule, ...]
    ladder_order: Mapping[str, tuple[int, int]]
    """Sort key of each ladder measure's code: (rung, position in the file), lightest first."""
    silences: Mapping[str, Silence]
    in_trace_order: tuple[CompiledRule, ...]
    """The rules by stage, then by their order in the file: the order of a determination's trace."""
    overlays: tuple[Overlay, ...]
    """The overlays applied to the base rule file, in order (empty for a rule file as written)."""
    _by_id: Mapping[str, CompiledRule]
    _by_stage: Mapping[str, tuple[CompiledRule, ...]]

    def __init__(
        self, file: RuleFile, rules: tuple[CompiledRule, ...], path: Path, sha256: str, overlays: tuple[Overlay, ...] = (),
    ) -> None:
        set_ = object.__setattr__
        set_(self, "overlays", overlays)
        set_(self, "file", file)
        set_(self, "key", file.document.key)
        set_(self, "path", path)
        set_(self, "sha256", sha256)
        set_(self, "rules", rules)
        set_(self, "_by_id", MappingProxyType({r.id: r for r in rules}))
        set_(self, "_by_stage", MappingProxyType({s: tuple(r for r in rules if r.rule.stage == s) for s in STAGES}))
        set_(self, "ladder_order", MappingProxyType(
            {step.measure.value: (step.rung, i) for i, step in enumerate(file.ladder.steps)}))
        set_(self, "silences", MappingProxyType({s.topic: s for s in file.silent_on}))
        set_(self, "in_trace_order", tuple(sorted(rules, key=lambda r: (STAGES.index(r.rule.stage), r.index))))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"rule sets are immutable after loading (tried to set {name!r})")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"rule sets are immutable after loading (tried to delete {name!r})")

    def __repr__(self) -> str:
        amended = f" + {len(self.overlays)} overlay(s)" if self.overlays else ""
        return f"<RuleSet {self.key}{amended}: {len(self.rules)} rules, sha256 {self.sha256[:12]}>"

    def __iter__(self) -> Iterator[CompiledRule]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    @property
    def ladder(self) -> Ladder:
        return self.file.ladder

    def rule(self, rule_id: str) -> CompiledRule:
        """The rule with this id.

        Raises:
            KeyError: no such rule, with a did-you-mean (for an article without its item, "art17", its items).
        """
        try:
            return self._by_id[rule_id]
        except KeyError:
            items = [i for i in self._by_id if i.startswith(rule_id + ".")]
            more = ", ..." if len(items) > 8 else ""
            hint = f"; did you mean one of {', '.join(map(repr, items[:8]))}{more}?" if items else suggest(rule_id, self._by_id)
            raise KeyError(f"no rule {rule_id!r} in {self.key}{hint}") from None

    def targets(self, rule: CompiledRule) -> list[CompiledRule]:
        """The rules ``rule`` defeats when it applies: its ``defeats`` ids and whole ``stage:NAME`` stages."""
        targets: list[CompiledRule] = []
        for name in rule.rule.defeats:
            targets.extend(self.stage(name[6:]) if name.startswith("stage:") else (self.rule(name),))  # type: ignore[arg-type]
        return targets

    def stage(self, stage: Stage) -> tuple[CompiledRule, ...]:
        return self._by_stage[stage]

    def silence(self, topic: str) -> Silence | None:
        return self.silences.get(topic)

    def evaluate(self, case: Case | Mapping[str, Any], *, backend: str = "default") -> Determination:
        """Evaluate one case under this rule set.

        Args:
            case: a ``Case``, or a mapping validated as one.
            backend: what decides the rule conditions: ``"default"`` (compiled closures) or
                ``"durable"`` (durable-rules, the ``durable`` extra; one thread at a time). Both give
                the same determination.

        Raises:
            CaseError: the mapping is not a valid case.
            ValueError: an unknown backend.
            ImportError: the durable backend without durable-rules installed (a ``GuanzhiError`` too).
        """
        from guanzhi_rules._case import parse_case
        from guanzhi_rules._evaluator import evaluate

        return evaluate(self, parse_case(case), backend=backend)


def _error(message: str, data: Any, loc: tuple[str | int, ...], path: Path, rule_id: str | None = None) -> RuleSetError:
    mark = _yaml.locate(data, loc)
    location = Location(str(path), mark.line if mark else None, mark.column if mark else None)
    return RuleSetError(message, location=location, rule_id=rule_id)


def _rule_id_at(data: Any, loc: tuple[str | int, ...], sections: tuple[str, ...] = ("rules",)) -> str | None:
    if len(loc) >= 2 and loc[0] in sections and isinstance(loc[1], int):
        try:
            rule_id = data[loc[0]][loc[1]]["id"]
        except (KeyError, IndexError, TypeError):
            return None
        return rule_id if isinstance(rule_id, str) else None
    return None


def _validation_error(
    exc: ValidationError, data: Any, path: Path, model: type[BaseModel] = RuleFile, sections: tuple[str, ...] = ("rules",),
) -> RuleSetError:
    """The first schema problem of a document validated as ``model``; ``sections`` hold rules (for the rule id)."""
    error = exc.errors(include_url=False)[0]
    loc = tuple(error["loc"])
    # Pydantic puts validator errors on the model; tagged-union noise is not ours to show.
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        message = f"unknown key {loc[-1]!r}" + _key_hint(loc, model)
    elif error["type"] == "missing":
        message = f"missing required key {loc[-1]!r}"
    elif "input" in error and not isinstance(error["input"], dict):
        message += f" (got {error['input']!r})"
    field = ".".join(str(p) for p in loc)
    more = len(exc.errors()) - 1
    suffix = f" [{more} more problem(s) after fixing this]" if more else ""
    return _error(f"{field}: {message}{suffix}", data, loc, path, _rule_id_at(data, loc, sections))


def _key_hint(loc: tuple[str | int, ...], top: type[BaseModel] = RuleFile) -> str:
    model: Any = top
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        fields = model.model_fields if isinstance(model, type) and issubclass(model, BaseModel) else {}
        field = fields.get(part) or next((f for f in fields.values() if f.alias == part), None)
        if field is None:
            return ""
        annotation = field.annotation
        for candidate in (annotation, *getattr(annotation, "__args__", ())):
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                model = candidate
                break
            inner = getattr(candidate, "__args__", ())
            sub = next((a for a in inner if isinstance(a, type) and issubclass(a, BaseModel)), None)
            if sub:
                model = sub
                break
    if isinstance(model, type) and issubclass(model, BaseModel):
        return suggest(str(loc[-1]), model.model_fields)
    return ""


def _compile(file: RuleFile, data: Any, path: Path) -> tuple[CompiledRule, ...]:
    definitions: dict[str, Condition] = {}
    rule_ids = [r.id for r in file.rules]
    for name, raw in data.get("define", {}).items():
        try:
            definitions[name] = compile_condition(raw, definitions, ("define", name), rule_ids)
        except ConditionError as exc:
            raise _error(f"definition {name!r}: {exc.message}", data, exc.loc, path) from exc

    compiled = []
    seen: dict[str, int] = {}
    for index, (rule, raw) in enumerate(zip(file.rules, data["rules"], strict=True)):
        loc: tuple[str | int, ...] = ("rules", index)
        if rule.id in seen:
            raise _error(f"duplicate rule id (first used by rule #{seen[rule.id] + 1})", data, (*loc, "id"), path, rule.id)
        seen[rule.id] = index
        condition = None
        if rule.when is not None:
            try:
                condition = compile_condition(raw["when"], definitions, (*loc, "when"), rule_ids)
            except ConditionError as exc:
                raise _error(exc.message, data, exc.loc, path, rule.id) from exc
        compiled.append(CompiledRule(rule, condition, index))

    by_id = {c.id: c for c in compiled}
    ladder = {step.measure for step in file.ladder.steps}
    for index, item in enumerate(compiled):
        rule, loc = item.rule, ("rules", index)
        for applies in (c for c in walk(item.condition) if isinstance(c, Applies)) if item.condition else ():
            later = [r for r in applies.rule_ids if STAGES.index(by_id[r].rule.stage) >= STAGES.index(rule.stage)]
            if later:
                raise _error(f"'applies' can only name rules of earlier stages; {later[0]!r} is a {by_id[later[0]].rule.stage} rule",
                             data, (*loc, "when"), path, rule.id)
            applies.targets = tuple(by_id[r].condition for r in applies.rule_ids)
        for target in rule.defeats:
            if target.startswith("stage:"):
                if target[6:] not in STAGES:
                    raise _error(f"defeats {target!r}: no such stage{suggest(target[6:], STAGES)}", data, (*loc, "defeats"), path, rule.id)
            elif target not in seen:
                raise _error(f"defeats unknown rule {target!r}{suggest(target, seen)}", data, (*loc, "defeats"), path, rule.id)
            elif target == rule.id:
                raise _error("a rule cannot defeat itself", data, (*loc, "defeats"), path, rule.id)
        for other in rule.combines_with:
            if other not in by_id or by_id[other].rule.stage != rule.stage or other == rule.id:
                raise _error(f"combines_with {other!r}: not another rule of the {rule.stage} stage{suggest(other, seen)}",
                             data, (*loc, "combines_with"), path, rule.id)
        for effect_index, effect in enumerate(rule.then):
            if effect.deadline and getattr(FACTS.get(effect.deadline.after), "kind", None) != "date":
                raise _error(f"deadline after {effect.deadline.after!r}: not a date fact{suggest(effect.deadline.after, FACTS)}",
                             data, (*loc, "then", effect_index, "deadline", "after"), path, rule.id)
            off_ladder = [m for m in effect.measures or () if m not in ladder]
            if off_ladder:
                raise _error(f"measure {off_ladder[0].value!r} is not on this rule set's ladder", data,
                             (*loc, "then", effect_index, "measures"), path, rule.id)
        off_ladder = [m for m in rule.for_measures or () if m not in ladder]
        if off_ladder:
            raise _error(f"measure {off_ladder[0].value!r} is not on this rule set's ladder", data, (*loc, "for_measures"), path, rule.id)
    for item in compiled:
        if item.condition is not None:
            item.condition.seal()
    for definition in definitions.values():
        definition.seal()
    return tuple(compiled)


def load_path(
    path: Path, *, limits: _yaml.Limits = _yaml.DEFAULT_LIMITS, overlays: Sequence[str | Path] = (),
) -> RuleSet:
    """Load and compile a rule file, and apply overlays to it in order.

    Args:
        path: the rule file.
        limits: bounds on the YAML document (size, depth, nodes, scalar length); overlays too.
        overlays: overlay files (see ``docs/authoring.md``), applied in order.

    Raises:
        RuleSetError: anything wrong with the file or an overlay, with its location.
    """
    if overlays:
        from guanzhi_rules._overlay import apply_overlays

        return apply_overlays(load_path(path, limits=limits), overlays, limits=limits)
    try:
        raw = _yaml.read_limited(path, limits)
        data = (_yaml.parse_bundled if path.parent == rules_dir().resolve() else _yaml.parse)(raw, limits=limits)
    except OSError as exc:
        raise RuleSetNotFoundError(f"cannot read rule file: {exc.strerror}", location=Location(str(path))) from exc
    except _yaml.YamlError as exc:
        mark = exc.mark
        raise RuleSetError(exc.message, location=Location(str(path), mark.line if mark else None, mark.column if mark else None)) from exc
    if not isinstance(data, dict):
        raise RuleSetError("a rule file must be a mapping with document, ladder and rules", location=Location(str(path), 1, 1))
    if "overlay" in data and "document" not in data:
        raise RuleSetError("this is an overlay, not a rule file: apply it to its base rule set, load(BASE, overlays=[PATH]) "
                           "or BASE+PATH on the command line", location=Location(str(path), 1, 1))
    try:
        file = RuleFile.model_validate_json(json.dumps(data, default=_yaml.json_default, ensure_ascii=False))
    except ValidationError as exc:
        raise _validation_error(exc, data, path) from exc
    rules = _compile(file, data, path)
    _freeze_conditions(file)
    canonical = json.dumps(file.model_dump(mode="json"), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return RuleSet(file, rules, path, hashlib.sha256(canonical.encode()).hexdigest())


class _FrozenDict(dict[str, Any]):
    """Condition data inside a loaded rule model: a dict (so it serialises as one) that refuses changes."""

    def _refuse(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("rule sets are immutable after loading (their conditions cannot be changed)")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = __ior__ = _refuse

    def __reduce__(self) -> tuple[type[_FrozenDict], tuple[dict[str, Any]]]:
        return (_FrozenDict, (dict(self),))  # rebuilt through dict(), never through the refused __setitem__


def _frozen(value: Any) -> Any:
    if isinstance(value, dict):
        return _FrozenDict({k: _frozen(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(_frozen(v) for v in value)
    return value


def _freeze_conditions(file: RuleFile) -> None:
    """Make the free-form condition data of the (frozen) rule models immutable too."""
    for rule in file.rules:
        object.__setattr__(rule, "when", _frozen(rule.when))
    object.__setattr__(file, "define", _frozen(file.define))


@functools.lru_cache(maxsize=32)
def _load_cached(path: str, mtime_ns: int, size: int, limits: _yaml.Limits) -> RuleSet:
    """``load_path(path)``, cached by the file's identity: its path, modification time and size.

    Bounded because every edit of a file makes a new key: a long-lived process that reloads files
    (a server, an editor integration, a test session writing rule files) would otherwise keep every
    version it ever loaded. 32 holds the bundled rule sets and the files a project works on with
    room to spare; an evicted rule set is simply loaded again (equal, but a new object).
    """
    del mtime_ns, size  # only part of the cache key
    return load_path(Path(path), limits=limits)


def load(
    key_or_path: str | Path, *, limits: _yaml.Limits = _yaml.DEFAULT_LIMITS, overlays: Sequence[str | Path] = (),
) -> RuleSet:
    """Load a bundled rule set by key ("benxi") or any rule file by path, amended by overlays.

    Loading the same unchanged files twice (with the same limits) returns the same (immutable)
    ``RuleSet``, while it is among the last 32 rule files loaded.

    Args:
        key_or_path: a bundled key, or the path of a rule file.
        limits: bounds on the YAML documents; the defaults suit any real rule file.
        overlays: paths of overlay files, applied in order (see ``docs/authoring.md``). The amended
            rule set's ``sha256`` fingerprints the base and each overlay's content, in order.

    Raises:
        RuleSetNotFoundError: no bundled rule set has that key, or no such file (rule file or overlay) exists.
        RuleSetError: the file or an overlay is malformed, or an overlay does not fit its base.
    """
    text = str(key_or_path)
    if isinstance(key_or_path, str) and "/" not in text and "\\" not in text and not text.endswith((".yaml", ".yml")):
        path = rules_dir() / f"{text}.yaml"
        if not path.is_file():
            raise RuleSetNotFoundError(f"no bundled rule set {text!r}{suggest(text, BUNDLED)} (bundled: {', '.join(BUNDLED)})")
    else:
        path = Path(key_or_path)
    path = path.resolve()
    try:
        stat = path.stat()
    except OSError as exc:
        raise RuleSetNotFoundError(f"cannot read rule file: {exc.strerror}", location=Location(str(path))) from exc
    ruleset = _load_cached(str(path), stat.st_mtime_ns, stat.st_size, limits)
    if overlays:
        from guanzhi_rules._overlay import apply_overlays

        return apply_overlays(ruleset, overlays, limits=limits)
    return ruleset


def load_all() -> dict[str, RuleSet]:
    """Every bundled rule set that exists, keyed by jurisdiction."""
    directory = rules_dir()
    return {key: load(key) for key in BUNDLED if (directory / f"{key}.yaml").is_file()}
