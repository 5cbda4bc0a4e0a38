"""Compiling rule sets: a validated rule file and its located data become compiled rules.

The loader reads and validates a rule file, an overlay amends one; both hand the result here.
Named definitions and rule conditions are compiled against the fact registry, every reference
(``applies``, ``defeats``, ``combines_with``, deadlines, ladder measures) is checked, and the
compiled conditions are sealed. Errors are ``RuleSetError``s located in the data (file, line,
column, rule id); a named definition that does not compile is named in ``RuleSetError.definition``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NoReturn

from pydantic import BaseModel, ValidationError

from guanzhi_rules import _yaml
from guanzhi_rules._conditions import MAX_EXPANDED, Applies, Condition, ConditionError, Loc, compile_condition, expanded_size, walk
from guanzhi_rules._facts import FACTS
from guanzhi_rules._rulefile import STAGES, Cited, Rule, RuleFile
from guanzhi_rules._suggestions import suggest
from guanzhi_rules._vocab import Measure
from guanzhi_rules.exceptions import Location, RuleSetError

Problem = tuple[str, Loc]
"""What is wrong with a rule, and where below the rule's own position."""


class CompiledRule:
    """A validated rule with its condition compiled."""

    __slots__ = ("_cited", "condition", "id", "index", "late", "reads", "rule")
    rule: Rule
    id: str
    reads: tuple[str, ...]
    """The facts the condition reads, sorted by name (none for ``applies``: those are other rules' facts)."""
    condition: Condition | None
    late: bool
    """The condition reads other rules' standing (``applies``), so it is tested when its stage is reached."""
    index: int
    _cited: Cited | None

    def __init__(self, rule: Rule, condition: Condition | None, index: int) -> None:
        self.rule, self.condition, self.id = rule, condition, rule.id
        self.reads = tuple(sorted(condition.paths)) if condition is not None else ()
        self.late = condition is not None and any(isinstance(c, Applies) for c in walk(condition))
        self._cited = None
        self.index = index

    @property
    def cited(self) -> Cited:
        """The rule's citation with its canonical address, as determinations carry it.

        Made on first use, not at load: loading every bundled rule set needs none of them, and a
        determination only those of its rule set. ``Cited.of`` keeps one per citation, so the value
        is the one loading would have made; a race only makes it twice.
        """
        cited = self._cited
        if cited is None:
            cited = Cited.of(self.rule.citation)
            object.__setattr__(self, "_cited", cited)
        return cited

    def __setattr__(self, name: str, value: Any) -> None:
        if hasattr(self, "index"):
            raise AttributeError(f"compiled rules are immutable (tried to set {name!r})")
        object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"compiled rules are immutable (tried to delete {name!r})")

    def __repr__(self) -> str:
        return f"<CompiledRule {self.rule.id} {self.rule.stage} when={self.condition!r}>"


# -- located errors -------------------------------------------------------------------------------

def located_error(
    message: str, data: Any, loc: Loc, path: Path, rule_id: str | None = None, *, definition: str | None = None,
) -> RuleSetError:
    """A ``RuleSetError`` at the line and column of ``loc`` inside the located ``data`` read from ``path``."""
    mark = _yaml.locate(data, loc)
    location = Location(str(path), mark.line if mark else None, mark.column if mark else None)
    return RuleSetError(message, location=location, rule_id=rule_id, definition=definition)


def validation_error(
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
    return located_error(f"{field}: {message}{suffix}", data, loc, path, _rule_id_at(data, loc, sections))


def _rule_id_at(data: Any, loc: Loc, sections: tuple[str, ...]) -> str | None:
    if len(loc) >= 2 and loc[0] in sections and isinstance(loc[1], int):
        try:
            rule_id = data[loc[0]][loc[1]]["id"]
        except (KeyError, IndexError, TypeError):
            return None
        return rule_id if isinstance(rule_id, str) else None
    return None


RENAMED_KEYS = {"on": "attaches"}
"""Rule-file keys renamed since an earlier format (``on:``, which YAML 1.1 readers take for ``True``)."""


def _key_hint(loc: Loc, top: type[BaseModel]) -> str:
    if str(loc[-1]) in RENAMED_KEYS:
        return f" (renamed: write {RENAMED_KEYS[str(loc[-1])]!r})"
    model: Any = top
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        fields = model.model_fields if isinstance(model, type) and issubclass(model, BaseModel) else {}
        field = fields.get(part) or next((f for f in fields.values() if f.alias == part), None)
        if field is None:
            return ""
        model = _submodel(field.annotation) or model
    if isinstance(model, type) and issubclass(model, BaseModel):
        return suggest(str(loc[-1]), model.model_fields)
    return ""


def _submodel(annotation: Any) -> type[BaseModel] | None:
    """The model a field holds: itself, or one inside a union or a container (``Rule | None``, ``tuple[Rule, ...]``)."""
    for candidate in (annotation, *getattr(annotation, "__args__", ())):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
        inner = getattr(candidate, "__args__", ())
        sub = next((a for a in inner if isinstance(a, type) and issubclass(a, BaseModel)), None)
        if sub:
            return sub
    return None


# -- compiling ------------------------------------------------------------------------------------

def compile_rules(file: RuleFile, data: Any, path: Path) -> tuple[CompiledRule, ...]:
    """Compile a validated rule file: definitions, then rule conditions, then every reference; seal them.

    Args:
        file: the rule file, validated.
        data: the located data it was validated from (for line and column).
        path: the file the data was read from, named in errors.

    Raises:
        RuleSetError: the first problem, located; ``definition`` names a definition that does not compile.
    """
    rule_ids = [r.id for r in file.rules]
    definitions = _compile_definitions(data, path, rule_ids)
    compiled = _compile_conditions(file, data, path, definitions, rule_ids)
    _check_references(file, compiled, data, path)
    for item in compiled:
        if item.condition is not None:
            item.condition.seal()
    for definition in definitions.values():
        definition.seal()
    return compiled


def _compile_definitions(data: Any, path: Path, rule_ids: list[str]) -> dict[str, Condition]:
    """The named conditions, in file order: each may use the ones before it."""
    definitions: dict[str, Condition] = {}
    sizes: dict[int, int] = {}
    for name, raw in data.get("define", {}).items():
        try:
            definitions[name] = bounded(compile_condition(raw, definitions, ("define", name), rule_ids), ("define", name), sizes)
        except ConditionError as exc:
            raise located_error(f"definition {name!r}: {exc.message}", data, exc.loc, path, definition=name) from exc
    return definitions


def bounded(condition: Condition, loc: Loc, sizes: dict[int, int]) -> Condition:
    """``condition``, unless written out in full it would exceed ``MAX_EXPANDED`` leaves.

    Raises:
        ConditionError: it would.
    """
    size = expanded_size(condition, sizes)
    if size > MAX_EXPANDED:
        raise ConditionError(f"written out in full, this condition has {size:,} leaves, more than the limit of "
                             f"{MAX_EXPANDED:,} (named conditions used more than once multiply)", loc)
    return condition


def _compile_conditions(
    file: RuleFile, data: Any, path: Path, definitions: dict[str, Condition], rule_ids: list[str],
) -> tuple[CompiledRule, ...]:
    compiled = []
    first: dict[str, int] = {}
    sizes: dict[int, int] = {}
    for index, (rule, raw) in enumerate(zip(file.rules, data["rules"], strict=True)):
        loc: Loc = ("rules", index)
        if rule.id in first:
            raise located_error(f"duplicate rule id (first used by rule #{first[rule.id] + 1})", data, (*loc, "id"), path, rule.id)
        first[rule.id] = index
        condition = None
        if rule.when is not None:
            try:
                condition = bounded(compile_condition(raw["when"], definitions, (*loc, "when"), rule_ids), (*loc, "when"), sizes)
            except ConditionError as exc:
                raise located_error(exc.message, data, exc.loc, path, rule.id) from exc
            if rule.catch_all and not any(FACTS[p].judgement == "finding" for p in condition.paths):
                raise located_error(
                    "a catch-all's condition must read a finding (a findings.* fact): it never applies from facts alone",
                    data, (*loc, "when"), path, rule.id)
        compiled.append(CompiledRule(rule, condition, index))
    return tuple(compiled)


def _check_references(file: RuleFile, compiled: tuple[CompiledRule, ...], data: Any, path: Path) -> None:
    """Check what each rule names (and point its ``applies`` at their conditions), rule by rule in file order."""
    by_id = {c.id: c for c in compiled}
    ladder = frozenset(step.measure for step in file.ladder.steps)
    for item in compiled:
        problem = (_link_applies(item, by_id) or _check_defeats(item.rule, by_id) or _check_combines(item.rule, by_id)
                   or _check_effects(item.rule, ladder))
        if problem:
            message, where = problem
            raise located_error(message, data, ("rules", item.index, *where), path, item.id)


def _link_applies(item: CompiledRule, by_id: dict[str, CompiledRule]) -> Problem | None:
    """Point each ``applies`` in the rule's condition at the conditions of the rules it names, all of earlier stages."""
    if item.condition is None or not item.late:  # no ``applies`` in it (``late`` says so): spare walking it again
        return None
    stage = STAGES.index(item.rule.stage)
    for applies in (c for c in walk(item.condition) if isinstance(c, Applies)):
        later = [r for r in applies.rule_ids if STAGES.index(by_id[r].rule.stage) >= stage]
        if later:
            return f"'applies' can only name rules of earlier stages; {later[0]!r} is a {by_id[later[0]].rule.stage} rule", ("when",)
        applies.targets = tuple(by_id[r].condition for r in applies.rule_ids)
    return None


def _check_defeats(rule: Rule, by_id: dict[str, CompiledRule]) -> Problem | None:
    for target in rule.defeats:
        if target.startswith("stage:"):
            if target[6:] not in STAGES:
                return f"defeats {target!r}: no such stage{suggest(target[6:], STAGES)}", ("defeats",)
        elif target not in by_id:
            return f"defeats unknown rule {target!r}{suggest(target, by_id)}", ("defeats",)
        elif target == rule.id:
            return "a rule cannot defeat itself", ("defeats",)
    return None


def _check_combines(rule: Rule, by_id: dict[str, CompiledRule]) -> Problem | None:
    for other in rule.combines_with:
        if other not in by_id or by_id[other].rule.stage != rule.stage or other == rule.id:
            return f"combines_with {other!r}: not another rule of the {rule.stage} stage{suggest(other, by_id)}", ("combines_with",)
    return None


def _check_effects(rule: Rule, ladder: frozenset[Measure]) -> Problem | None:
    """Deadlines run from a date fact; measures named by effects and by ``for_measures`` are on the ladder."""
    for index, effect in enumerate(rule.then):
        if effect.deadline and getattr(FACTS.get(effect.deadline.after), "kind", None) != "date":
            return (f"deadline after {effect.deadline.after!r}: not a date fact{suggest(effect.deadline.after, FACTS)}",
                    ("then", index, "deadline", "after"))
        problem = _off_ladder(effect.measures, ladder, ("then", index, "measures"))
        if problem:
            return problem
    return _off_ladder(rule.for_measures, ladder, ("for_measures",))


def _off_ladder(measures: tuple[Measure, ...] | None, ladder: frozenset[Measure], where: Loc) -> Problem | None:
    off = [m for m in measures or () if m not in ladder]
    return (f"measure {off[0].value!r} is not on this rule set's ladder", where) if off else None


# -- freezing -------------------------------------------------------------------------------------

class _FrozenDict(dict[str, Any]):
    """Condition data inside a loaded rule model: a dict (so it serialises as one) that refuses changes."""

    def _refuse(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("rule sets are immutable after loading (their conditions cannot be changed)")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = __ior__ = _refuse

    def __reduce__(self) -> tuple[type[_FrozenDict], tuple[dict[str, Any]]]:
        return (_FrozenDict, (dict(self),))  # rebuilt through dict(), never through the refused __setitem__


def frozen(value: Any) -> Any:
    """Condition data made immutable: mappings refuse changes, lists become tuples."""
    if isinstance(value, dict):
        return _FrozenDict({k: frozen(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(frozen(v) for v in value)
    return value


def freeze_conditions(file: RuleFile) -> None:
    """Make the free-form condition data of the (frozen) rule models immutable too."""
    for rule in file.rules:
        object.__setattr__(rule, "when", frozen(rule.when))
    object.__setattr__(file, "define", frozen(file.define))
