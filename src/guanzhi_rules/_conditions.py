"""Structured conditions: parsed from rule-file data, type-checked against the fact registry,
and compiled once into closures. No ``eval``: a condition is data the engine interprets.

Grammar (YAML)::

    condition := FACT_NAME                      # shorthand for {fact: FACT_NAME, is: true}
               | {all: [condition, ...]}
               | {any: [condition, ...]}
               | {not: condition}
               | {use: DEFINITION_NAME}         # a named condition from the rule file
               | {applies: [RULE_ID | PREFIX*, ...]}  # one of these rules of an earlier stage stands
               | {fact: FACT_NAME, OP: VALUE}
    OP := is | in | at_least | at_most | has | has_any | has_all

Logic is three-valued (Kleene, written once in ``_logic``): a test on an unknown fact is *unknown*, ``all`` is false if any
part is false, ``any`` is true if any part is true, ``not`` keeps unknown unknown. A rule whose
condition is unknown is reported as undetermined, never as applying. ``applies`` is true when one
of the named rules applies (after defeats), unknown when one is undetermined or a catch-all.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import operator
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from guanzhi_rules._facts import FACTS, FactSpec
from guanzhi_rules._logic import all3_of, any3_of, not3
from guanzhi_rules._suggestions import suggest
from guanzhi_rules._vocab import Ordinal, Vocab, narrower

Facts = Mapping[str, Any]
Test = Callable[[Facts], bool | None]
Loc = tuple[str | int, ...]

OPERATORS: dict[str, tuple[str, ...]] = {
    "is": ("bool", "enum", "ordinal", "int", "number", "date"),
    "in": ("enum", "ordinal"),
    "at_least": ("ordinal", "int", "number", "date"),
    "at_most": ("ordinal", "int", "number", "date"),
    "has": ("set",),
    "has_any": ("set",),
    "has_all": ("set",),
}
"""Each comparison operator and the fact kinds it applies to."""


class ConditionError(ValueError):
    """A condition is malformed; ``loc`` is the path to the offending part within the rule."""

    def __init__(self, message: str, loc: Loc) -> None:
        self.message = message
        self.loc = loc
        super().__init__(message)


class Condition:
    """A compiled condition: ``test(facts)`` gives True, False or None (unknown)."""

    __slots__ = ("_sealed", "paths", "test")
    paths: frozenset[str]
    test: Test

    def __setattr__(self, name: str, value: Any) -> None:
        if getattr(self, "_sealed", False):
            raise AttributeError(f"compiled conditions are immutable (tried to set {name!r})")
        object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"compiled conditions are immutable (tried to delete {name!r})")

    def seal(self) -> None:
        """Make the condition and its parts immutable (the loader calls this once references are set)."""
        stack: list[Condition] = [self]
        while stack:
            part = stack.pop()
            if not getattr(part, "_sealed", False):  # a sealed part's parts are sealed: shared definitions are sealed once
                object.__setattr__(part, "_sealed", True)
                stack.extend(_children(part))

    def source(self) -> Any:
        """The condition as rule-file data."""
        raise NotImplementedError


    def __repr__(self) -> str:
        return f"<Condition {_render(self.source())}>"


def _render(data: Any) -> str:
    if isinstance(data, dict):
        return "{" + ", ".join(f"{k}: {_render(v)}" for k, v in data.items()) + "}"
    if isinstance(data, list):
        return "[" + ", ".join(_render(v) for v in data) + "]"
    if isinstance(data, bool):
        return "true" if data else "false"
    return str(data)


class Comparison(Condition):
    """A test of one fact against a value."""

    __slots__ = ("groups", "op", "spec", "value")

    groups: tuple[frozenset[Any], ...]
    """For a set fact: each group must meet the set. A value named matches itself and every narrower value
    (``_vocab.narrower``); ``has`` and ``has_all`` give a group per value named, ``has_any`` one for them all."""

    def __init__(self, spec: FactSpec, op: str, value: Any) -> None:
        self.spec, self.op, self.value = spec, op, value
        self.paths = frozenset({spec.path})
        if spec.kind == "set":
            named = (value,) if op == "has" else sorted(value)
            wide = tuple(narrower(v) for v in named)
            self.groups = (frozenset().union(*wide),) if op == "has_any" else wide
            self.test = _compile_groups(spec.path, self.groups)
        else:
            self.groups = ()
            self.test = _compile_comparison(spec, op, value)

    def source(self) -> Any:
        value = self.value
        if isinstance(value, frozenset):
            value = sorted(value)
        elif isinstance(value, dt.date):
            value = value.isoformat()
        return {"fact": self.spec.path, self.op: value}


def _compile_comparison(spec: FactSpec, op: str, value: Any) -> Test:
    """The comparison's test: a yes/no fact compared with true is its own value; a fact with a vocabulary looks
    its value up in a table of every value's result (made by the plain test below, which all other facts use)."""
    if _is_yes(spec, op, value):
        return operator.itemgetter(spec.path)  # a yes/no fact is True, False or None (unknown)
    test = _plain_comparison(spec, op, value)
    if spec.values is None:
        return test
    path = spec.path
    table: dict[Any, bool | None] = {m: test({path: m}) for m in spec.values}
    table[None] = None

    def test_lookup(facts: Facts) -> bool | None:
        return table[facts[path]]
    return test_lookup


def _plain_comparison(spec: FactSpec, op: str, value: Any) -> Test:
    path = spec.path
    if op == "is":
        def test_is(facts: Facts) -> bool | None:
            v = facts[path]
            return None if v is None else v == value
        return test_is
    if op == "in":
        def test_in(facts: Facts) -> bool | None:
            v = facts[path]
            return None if v is None else v in value
        return test_in
    if op in ("at_least", "at_most"):
        if spec.kind == "ordinal":
            assert spec.values is not None and issubclass(spec.values, Ordinal)
            ranks = {m.value: i for i, m in enumerate(spec.values)}
            bound = ranks[value]
            if op == "at_least":
                def test_rank_ge(facts: Facts) -> bool | None:
                    v = facts[path]
                    return None if v is None else ranks[v] >= bound
                return test_rank_ge
            def test_rank_le(facts: Facts) -> bool | None:
                v = facts[path]
                return None if v is None else ranks[v] <= bound
            return test_rank_le
        if op == "at_least":
            def test_ge(facts: Facts) -> bool | None:
                v = facts[path]
                return None if v is None else v >= value
            return test_ge
        def test_le(facts: Facts) -> bool | None:
            v = facts[path]
            return None if v is None else v <= value
        return test_le
    raise AssertionError(f"set operator {op!r} is tested by groups")  # pragma: no cover


def _compile_groups(path: str, groups: tuple[frozenset[Any], ...]) -> Test:
    """A set fact meets every group (a set is never unknown)."""
    if len(groups) == 1:
        (group,) = groups

        def test_meets(facts: Facts) -> bool | None:
            return not group.isdisjoint(facts[path])
        return test_meets

    def test_meets_all(facts: Facts) -> bool | None:
        members = facts[path]
        return all(not group.isdisjoint(members) for group in groups)
    return test_meets_all


def _is_yes(spec: FactSpec, op: str, value: Any) -> bool:
    """Whether a comparison is a yes/no fact compared with true: its value is the fact's."""
    return spec.kind == "bool" and op == "is" and value is True


def _yes(part: Condition) -> str | None:
    """The fact a part reads if it is a yes/no fact compared with true (its value is the part's), else None."""
    if isinstance(part, Use):
        return _yes(part.target)
    if isinstance(part, Comparison) and _is_yes(part.spec, part.op, part.value):
        return part.spec.path
    return None


def _spliced(parts: Sequence[Condition], kind: type[Condition]) -> list[Condition]:
    """The parts of an ``all`` (``kind`` All) or ``any``, each part of the same kind, itself or by a named condition,
    written out in its place (both are associative, and tests have no side effects, so the value is the same)."""
    out: list[Condition] = []
    for part in parts:
        inner = part
        while isinstance(inner, Use):
            inner = inner.target
        out += _spliced(inner.parts, kind) if type(inner) is kind else [part]  # type: ignore[attr-defined]
    return out


def _cost(part: Condition) -> int:
    """The order an ``all`` or ``any`` tests its parts in (any order gives the same value): first a set fact, never
    unknown and so most often decisive, then other single comparisons, then parts that join others."""
    while isinstance(part, Use):
        part = part.target
    return 0 if isinstance(part, Comparison) and part.spec.kind == "set" else 1 if isinstance(part, Comparison) else 2


def _joined(parts: Sequence[Condition]) -> tuple[tuple[Test, ...], Callable[[Facts], tuple[bool | None, ...]] | None]:
    """The tests of an ``all`` or ``any``: the yes/no facts among its parts read at once (two or more), and the rest."""
    parts = sorted(parts, key=_cost)
    paths = [path for path in map(_yes, parts) if path is not None]
    if len(paths) < 2:
        return tuple(p.test for p in parts), None
    return tuple(p.test for p in parts if _yes(p) is None), operator.itemgetter(*paths)


class All(Condition):
    __slots__ = ("parts",)

    def __init__(self, parts: Sequence[Condition]) -> None:
        self.parts = tuple(parts)
        self.paths = frozenset().union(*(p.paths for p in self.parts))
        self.test = all3_of(*_joined(_spliced(self.parts, All)))

    def source(self) -> Any:
        return {"all": [p.source() for p in self.parts]}



class Any_(Condition):
    __slots__ = ("parts",)

    def __init__(self, parts: Sequence[Condition]) -> None:
        self.parts = tuple(parts)
        self.paths = frozenset().union(*(p.paths for p in self.parts))
        self.test = any3_of(*_joined(_spliced(self.parts, Any_)))

    def source(self) -> Any:
        return {"any": [p.source() for p in self.parts]}



class Not(Condition):
    __slots__ = ("part",)

    def __init__(self, part: Condition) -> None:
        self.part = part
        self.paths = part.paths
        inner = part.test

        def test(facts: Facts) -> bool | None:
            return not3(inner(facts))

        self.test = test

    def source(self) -> Any:
        return {"not": self.part.source()}



class Use(Condition):
    """A reference to a named definition; evaluates as the definition does."""

    __slots__ = ("name", "target")

    def __init__(self, name: str, target: Condition) -> None:
        self.name, self.target = name, target
        self.paths, self.test = target.paths, target.test

    def source(self) -> Any:
        return {"use": self.name}



def _children(condition: Condition) -> tuple[Condition, ...]:
    if isinstance(condition, (All, Any_)):
        return condition.parts
    if isinstance(condition, Not):
        return (condition.part,)
    if isinstance(condition, Use):
        return (condition.target,)
    return ()


def walk(condition: Condition) -> Iterator[Condition]:
    """The condition and every part of it, definitions included, depth first, each distinct part once.

    Named conditions are shared, not copied, so a part reached twice (two uses of one definition)
    is yielded once: the walk is linear in the compiled conditions, not in their written-out size.
    """
    seen: set[int] = set()
    stack = [condition]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        yield node
        stack.extend(reversed(_children(node)))


MAX_NUMBER = 2**63
"""Largest number (in size) a condition may compare with: far beyond any count or amount of money, and
small enough that every search and column of numbers stays finite (10**400 overflowed a float)."""

MAX_EXPANDED = 20_000
"""Most leaves a condition may have once its named conditions are written out in full (the bundled
rule sets' largest has a few hundred). Backends that flatten conditions, the satisfiability search
and evaluation itself scale with this size, so a definition that doubles at each use is refused."""


def expanded_size(condition: Condition, memo: dict[int, int]) -> int:
    """The condition's leaves once every named condition is written out, counted without writing them out."""
    key = id(condition)
    if key not in memo:
        parts = _children(condition)
        memo[key] = sum(expanded_size(part, memo) for part in parts) if parts else 1
    return memo[key]


def rule_key(rule_id: str) -> str:
    """Where the evaluator puts a rule's standing for ``applies`` conditions to read."""
    return "@" + rule_id


class Applies(Condition):
    """True when one of the named rules (of an earlier stage) stands; its facts are theirs, not its own."""

    __slots__ = ("patterns", "rule_ids", "targets")

    def __init__(self, patterns: tuple[str, ...], rule_ids: tuple[str, ...]) -> None:
        self.patterns, self.rule_ids = patterns, rule_ids
        self.targets: tuple[Condition | None, ...] = ()  # the rules' own conditions, set by the loader
        self.paths = frozenset()
        keys = [rule_key(r) for r in rule_ids]  # a standing is True, False or None (unknown)
        self.test = operator.itemgetter(keys[0]) if len(keys) == 1 else any3_of((), operator.itemgetter(*keys))

    def source(self) -> Any:
        return {"applies": list(self.patterns)}


def _rules_matching(raw: Any, rule_ids: Sequence[str], loc: Loc) -> tuple[tuple[str, ...], tuple[str, ...]]:
    if not isinstance(raw, list) or not raw or not all(isinstance(p, str) for p in raw):
        raise ConditionError("'applies' needs a non-empty list of rule ids (a trailing * matches a prefix)", loc)
    matched: list[str] = []
    for i, pattern in enumerate(raw):
        hits = [r for r in rule_ids if r == pattern or (pattern.endswith("*") and r.startswith(pattern[:-1]))]
        if not hits:
            raise ConditionError(f"no rule matches {pattern!r}{suggest(pattern.rstrip('*'), rule_ids)}", (*loc, i))
        matched += [h for h in hits if h not in matched]
    return tuple(raw), tuple(matched)


def _value(spec: FactSpec, op: str, raw: Any, loc: Loc) -> Any:
    """Check one operand against the fact's type and convert it."""
    many = op in ("in", "has_any", "has_all")
    if many:
        if not isinstance(raw, list) or not raw:
            raise ConditionError(f"{op!r} needs a non-empty list of values", loc)
        return frozenset(_scalar(spec, item, (*loc, i)) for i, item in enumerate(raw))
    return _scalar(spec, raw, loc)


@functools.cache
def _members(values: type[Vocab]) -> Mapping[str, Vocab]:
    """Each member of a vocabulary by its code (reading ``.value`` of every member per comparison made loading slow)."""
    return {m.value: m for m in values}


def _scalar(spec: FactSpec, raw: Any, loc: Loc) -> Any:
    kind = spec.kind
    if kind == "bool":
        if not isinstance(raw, bool):
            raise ConditionError(f"{spec.path} is a yes/no fact: compare it with true or false, not {raw!r}", loc)
        return raw
    if kind in ("enum", "ordinal", "set"):
        assert spec.values is not None
        try:
            return _members(spec.values)[raw]
        except (KeyError, TypeError):  # not a code, or not even hashable
            codes = list(_members(spec.values))
            raise ConditionError(
                f"{raw!r} is not a value of {spec.path}{suggest(str(raw), codes)} (values: {', '.join(codes)})", loc) from None
    if kind in ("int", "number"):
        if isinstance(raw, bool) or not isinstance(raw, (int, float)):
            raise ConditionError(f"{spec.path} is a number, not {raw!r}", loc)
        if not (math.isfinite(raw) and abs(raw) <= MAX_NUMBER):  # NaN and ±inf decide unlike any number
            raise ConditionError(f"{spec.path} is a finite number of at most 2**63 in size, not {raw!r}", loc)
        return raw
    if kind == "date":
        if isinstance(raw, dt.datetime):
            raise ConditionError(f"{spec.path} is a date (YYYY-MM-DD), not a timestamp ({raw.isoformat()})", loc)
        if not isinstance(raw, dt.date):
            raise ConditionError(f"{spec.path} is a date (YYYY-MM-DD), not {raw!r}", loc)
        if not dt.date.min < raw < dt.date.max:
            raise ConditionError(f"{spec.path}: {raw} is too close to the calendar's ends (0001-01-01, 9999-12-31)", loc)
        return raw
    raise ConditionError(f"unsupported fact kind {kind}", loc)  # pragma: no cover - registry guards this


def compile_condition(
    data: Any, definitions: Mapping[str, Condition], loc: Loc = (), rule_ids: Sequence[str] = (),
) -> Condition:
    """Compile condition data into a ``Condition``; ``rule_ids`` are the rules ``applies`` may name.

    Raises:
        ConditionError: the data is malformed, names an unknown fact, value, definition or rule,
            or uses an operator the fact's type does not support.
    """
    shorthand = isinstance(data, str)
    if shorthand:
        data = {"fact": data, "is": True}
    if not isinstance(data, dict) or not data:
        raise ConditionError(f"a condition must be a fact name or a mapping, got {data!r}", loc)
    keys = set(data)
    for kind, compile_kind in _KINDS.items():
        if kind in data:
            if keys != {kind}:
                raise ConditionError(f"{kind!r} cannot be combined with {sorted(keys - {kind})}", loc)
            return compile_kind(data[kind], definitions, (*loc, kind), rule_ids)
    if "fact" not in data:
        raise ConditionError(
            f"unknown condition keys {sorted(keys)}: expected all, any, not, use, applies, or fact with an operator", loc)
    return _comparison(data, loc, shorthand)


def _all(parts: Any, definitions: Mapping[str, Condition], loc: Loc, rule_ids: Sequence[str]) -> Condition:
    return All(_parts(parts, definitions, loc, rule_ids))


def _any(parts: Any, definitions: Mapping[str, Condition], loc: Loc, rule_ids: Sequence[str]) -> Condition:
    return Any_(_parts(parts, definitions, loc, rule_ids))


def _parts(parts: Any, definitions: Mapping[str, Condition], loc: Loc, rule_ids: Sequence[str]) -> list[Condition]:
    """The conditions an ``all`` or ``any`` (the last step of ``loc``) joins."""
    if not isinstance(parts, list) or not parts:
        raise ConditionError(f"{loc[-1]!r} needs a non-empty list of conditions", loc)
    return [compile_condition(p, definitions, (*loc, i), rule_ids) for i, p in enumerate(parts)]


def _not(part: Any, definitions: Mapping[str, Condition], loc: Loc, rule_ids: Sequence[str]) -> Condition:
    return Not(compile_condition(part, definitions, loc, rule_ids))


def _use(name: Any, definitions: Mapping[str, Condition], loc: Loc, rule_ids: Sequence[str]) -> Condition:
    if name not in definitions:
        raise ConditionError(f"unknown definition {name!r}{suggest(str(name), definitions)}", loc)
    return Use(name, definitions[name])


def _applies(patterns: Any, definitions: Mapping[str, Condition], loc: Loc, rule_ids: Sequence[str]) -> Condition:
    return Applies(*_rules_matching(patterns, rule_ids, loc))


_KINDS: dict[str, Callable[[Any, Mapping[str, Condition], Loc, Sequence[str]], Condition]] = {
    "all": _all, "any": _any, "not": _not, "use": _use, "applies": _applies,
}
"""Each condition kind but a comparison, by its key, in the order they are recognised, with its compiler."""


def _comparison(data: dict[str, Any], loc: Loc, shorthand: bool) -> Condition:
    """``{fact: NAME, OP: VALUE}``, or a bare yes/no fact name (``shorthand``), checked against the registry."""
    path = data["fact"]
    spec = FACTS.get(path) if isinstance(path, str) else None
    if spec is None:
        raise ConditionError(f"unknown fact {path!r}{suggest(str(path), FACTS)}", loc if shorthand else (*loc, "fact"))
    if shorthand and spec.kind != "bool":
        raise ConditionError(
            f"a bare fact name means '{path} is true' and only fits yes/no facts; {path} is a {spec.kind} fact: "
            f"write {{fact: {path}, <operator>: <value>}}", loc)
    ops = set(data) - {"fact"}
    unknown = ops - set(OPERATORS)
    if unknown:
        name = sorted(unknown)[0]
        raise ConditionError(f"unknown operator {name!r}{suggest(name, OPERATORS)}", (*loc, name))
    if len(ops) != 1:
        raise ConditionError(f"a comparison needs exactly one operator, got {sorted(ops) or 'none'}", loc)
    (op,) = ops
    if spec.kind not in OPERATORS[op]:
        fitting = [o for o, kinds in OPERATORS.items() if spec.kind in kinds]
        raise ConditionError(f"{op!r} does not apply to {path} (a {spec.kind} fact); use one of {fitting}", (*loc, op))
    return Comparison(spec, op, _value(spec, op, data[op], (*loc, op)))
