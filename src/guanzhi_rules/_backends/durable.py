"""The durable-rules backend: rule conditions decided by a second, independent engine.

``RuleSet.evaluate(case, backend="durable")`` runs the shared pipeline (``_pipeline``: stages,
priorities, defeats, trace) but takes the truth value of every rule condition from the Rete engine
of durable-rules 2.0 (https://github.com/jruizgit/rules, the ``durable`` extra) instead of the
compiled closures. The two backends must give identical determinations; ``tests/test_durable.py``
holds them to that on generated cases and generated conditions.

Three values, two rules. durable has no boolean NOT over an expression (``$not`` means "no other
fact matches"), so each condition becomes two durable rules: one that fires when it is *true*
(T) and one that fires when it is *false* (F); when neither fires it is *unknown*. Negation is
pushed down to the leaves (De Morgan): T(all) = and of T(parts), F(all) = or of F(parts),
T(any) = or of T, F(any) = and of F, T(not x) = F(x), F(not x) = T(x), ``use`` is its definition.
Every durable comparison on a missing field is false (``$neq`` included), so a leaf on an unknown
fact is false in both polarities and unknown propagates exactly as in Kleene logic. Catch-alls
have no condition and are not compiled.

The fact. The case is one durable fact whose fields are the facts the rule set reads, named
``section__name`` (durable reads a dotted name as a path into nested objects); a missing fact is
a missing field. Leaf by leaf:

- yes/no facts: "yes" / "no". Not JSON ``true``, which durable matches with ``1`` and ``"true"``:
  a stray boolean or number would go unnoticed, where a wrong string makes the rule unknown.
- enums: the code; ``is`` is ``==`` (F: ``$neq``), ``in`` an or of ``==`` (F: an and of ``$neq``).
- ordinals: the rank (lowest 0): ``at_least`` / ``at_most`` are ``$gte`` / ``$lte`` (F: ``$lt`` /
  ``$gt``); ``is`` / ``in`` compare ranks.
- numbers: an order-preserving 64-bit integer key of the IEEE-754 double. durable's JSON parser
  rejects exponent notation (``1e+16``, ``5e-05``: what ``json.dumps`` writes for large and small
  floats) and reads integers beyond 64 bits wrongly. A bound is rounded to the float that keeps
  the comparison exact (the smallest float >= it for ``at_least``, the largest <= it for
  ``at_most``; ``is`` is both), so a float fact compares with an integer bound as Python does.
  Integer facts must be exact as floats (|n| <= 2**53); the case model bounds them far below.
- dates: ISO strings, compared as strings (``strncmp``: ISO dates sort as dates).
- sets: one field per code the rule set mentions, ``section__name__CODE`` = "yes" / "no" (sets
  are never missing). durable's array operators cannot say "has none": ``$iall`` is false on an
  empty array.
- ``applies``: a rule whose condition reads the standing of earlier rules is tested when its stage
  is reached, like the default backend does, with its own durable rulesets; its fact adds fields
  ``applies__N`` (N: the rule's position in the file) = "yes" / "no", absent when undetermined.
  T = or of ``applies__N == "yes"``, F = and of ``applies__N == "no"``.

Every leaf is a positive comparison on a field of our own. A rule made only of "field absent"
tests (``$nex``) would also match the engine's own state object (``sid``, ``id``, ``$s``), and
under ``Host``, which writes the state back after each action, loop.

durable-rules 2.0.28 quirks this module works around:

- The Python ``Host`` is not used, only the engine module under it (``durable_rules_engine``:
  ``create_ruleset``, ``assert_fact``, ``start_action_for_state``, ``complete_and_start_action``,
  ``retract_fact``, the calls ``Host`` makes). ``Host()`` starts two timer threads that never stop
  and call into the engine concurrently with the caller, and its actions cost about 0.1 ms each in
  JSON round trips of the whole fact: ten times the engine's own time. The fired rules are read off
  the names in the action messages instead.
- A posted event is consumed by the first rule it matches; a fact is matched by every rule, so
  the case is asserted as a fact. "Nothing matched" is a status (``MessageNotHandledException``
  to ``Host`` users): every condition in that ruleset is unknown.
- The engine walks its alpha network depth first on a fixed stack of 64 entries (error 303 past
  it), and a rule takes at most 15 ``$and`` / ``$or`` (error 113). The durable rules are therefore
  packed into several rulesets under a bound on the stack they can need (``_width``), a top-level
  ``$or`` becomes one durable rule per branch, and a rule too large for the limits is distributed
  over its ``$or``s. A fact has at most 255 fields: each ruleset gets only the fields it reads.
- Sessions live until deleted; the 1,025th live one fails with a misleading ``MemoryError``. Each
  ruleset keeps one session (one ``sid``), emptied by retracting the fact after its actions ran.
  Deleting it instead would be slower (recreating a session clears 8 KB per rule), and deleting a
  session in which no action ever ran frees pointers the engine never initialised: a crash.
- Not thread-safe and never releases the GIL: one lock serialises every call into the engine, so
  the backend serves one thread at a time and threads give no speed-up.
- Rulesets are never freed: compiled rule sets are cached by content hash, registered once per
  process.
- Ships as an sdist only (a C extension: needs a C compiler) and does not build on Python 3.13.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import math
import struct
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from guanzhi_rules._conditions import All, Any_, Applies, Comparison, Condition, Not, Use, rule_key
from guanzhi_rules._facts import FactSpec
from guanzhi_rules._vocab import Ordinal
from guanzhi_rules.exceptions import DurableUnavailableError

if TYPE_CHECKING:
    from guanzhi_rules._compiler import CompiledRule

Expr = dict[str, Any]
"""A durable-rules expression (the JSON form of ``durable.lang``: ``{"$gte": {"field": 3}}``, ...)."""

INSTALL_HINT = "pip install 'guanzhi-rules[durable]' (needs a C compiler; durable-rules does not build on Python 3.13 and later)"
"""What to do when durable-rules is missing."""

_YES, _NO = "yes", "no"


# -- numbers ------------------------------------------------------------------------------------


def _key(x: float) -> int:
    """An int64 whose order is the order of the doubles (-0.0 and 0.0 share a key)."""
    bits: int = struct.unpack("<q", struct.pack("<d", x))[0]
    return bits if bits >= 0 else -(bits & 0x7FFF_FFFF_FFFF_FFFF)


def _as_float(n: float) -> float:
    """``n`` as the nearest float, or an infinity beyond the float range (rounded toward it below)."""
    try:
        return float(n)
    except OverflowError:
        return math.inf if n > 0 else -math.inf


def _float_at_least(n: float) -> float:
    """The smallest float >= n: for a float x, ``x >= n`` exactly when ``x >= _float_at_least(n)``."""
    f = _as_float(n)
    return f if f >= n else math.nextafter(f, math.inf)


def _float_at_most(n: float) -> float:
    """The largest float <= n."""
    f = _as_float(n)
    return f if f <= n else math.nextafter(f, -math.inf)


def _encode_number(value: float) -> int:
    if isinstance(value, int) and float(value) != value:
        raise ValueError(f"the durable backend compares numbers as doubles and cannot represent the integer {value} exactly")
    return _key(float(value))


# -- conditions -----------------------------------------------------------------------------------


def _and(parts: Sequence[Expr]) -> Expr:
    flat = [q for p in parts for q in (p["$and"] if set(p) == {"$and"} else [p])]
    return flat[0] if len(flat) == 1 else {"$and": flat}


def _or(parts: Sequence[Expr]) -> Expr:
    flat = [q for p in parts for q in (p["$or"] if set(p) == {"$or"} else [p])]
    return flat[0] if len(flat) == 1 else {"$or": flat}


def _field(path: str, code: str | None = None) -> str:
    """A field name durable takes literally: no dots."""
    name = path.replace(".", "__")
    return f"{name}__{code}" if code is not None else name


def _standing_field(index: int) -> str:
    return f"applies__{index}"


class _Compiler:
    """Compiles conditions to (true, false) expression pairs, noting which facts they read."""

    def __init__(self, index_of: Mapping[str, int]) -> None:
        self.index_of = index_of
        self.paths: dict[str, FactSpec] = {}
        self.members: set[tuple[str, str]] = set()  # (set fact, code)
        self.standing: set[str] = set()  # rule ids read by applies

    def compile(self, c: Condition) -> tuple[Expr, Expr]:
        if isinstance(c, All):
            pairs = [self.compile(p) for p in c.parts]
            return _and([t for t, _ in pairs]), _or([f for _, f in pairs])
        if isinstance(c, Any_):
            pairs = [self.compile(p) for p in c.parts]
            return _or([t for t, _ in pairs]), _and([f for _, f in pairs])
        if isinstance(c, Not):
            t, f = self.compile(c.part)
            return f, t
        if isinstance(c, Use):
            return self.compile(c.target)
        if isinstance(c, Applies):
            self.standing.update(c.rule_ids)
            fields = [_standing_field(self.index_of[r]) for r in c.rule_ids]
            return _or([{f: _YES} for f in fields]), _and([{f: _NO} for f in fields])
        assert isinstance(c, Comparison), c
        return self._comparison(c)

    def _comparison(self, c: Comparison) -> tuple[Expr, Expr]:
        spec, op, value = c.spec, c.op, c.value
        if spec.kind == "set":  # every group meets the set: T = and of (or of yes), F = or of (and of no)
            groups = [sorted(str(code) for code in group) for group in c.groups]
            self.members.update((spec.path, code) for group in groups for code in group)
            yes = [_or([{_field(spec.path, code): _YES} for code in group]) for group in groups]
            no = [_and([{_field(spec.path, code): _NO} for code in group]) for group in groups]
            return _and(yes), _or(no)
        self.paths[spec.path] = spec
        name = _field(spec.path)
        if spec.kind in ("int", "number"):
            low, high = _key(_float_at_least(value)), _key(_float_at_most(value))
            if op == "at_least":
                return {"$gte": {name: low}}, {"$lt": {name: low}}
            if op == "at_most":
                return {"$lte": {name: high}}, {"$gt": {name: high}}
            # is: within [low, high], which is empty when the value falls between two floats
            return _and([{"$gte": {name: low}}, {"$lte": {name: high}}]), _or([{"$lt": {name: low}}, {"$gt": {name: high}}])
        encode = _encoder(spec)
        if op == "in":
            values = [encode(v) for v in sorted(value, key=str)]
            return _or([{name: v} for v in values]), _and([{"$neq": {name: v}} for v in values])
        bound = encode(value)
        if op == "at_least":
            return {"$gte": {name: bound}}, {"$lt": {name: bound}}
        if op == "at_most":
            return {"$lte": {name: bound}}, {"$gt": {name: bound}}
        if spec.kind == "bool":
            return {name: bound}, {name: _NO if value else _YES}
        return {name: bound}, {"$neq": {name: bound}}


def _encoder(spec: FactSpec) -> Callable[[Any], Any]:
    """How a value of the fact is written into the durable fact (sets aside)."""
    if spec.kind == "bool":
        return _encode_bool
    if spec.kind == "ordinal":
        assert spec.values is not None and issubclass(spec.values, Ordinal)
        ranks = {m: i for i, m in enumerate(spec.values)}
        return ranks.__getitem__
    if spec.kind in ("int", "number"):
        return _encode_number
    if spec.kind == "date":
        return _encode_date
    return _encode_code


def _encode_bool(value: bool) -> str:
    return _YES if value else _NO


def _encode_date(value: dt.date) -> str:
    return value.isoformat()


def _encode_code(value: Any) -> str:
    return str(value)  # a Vocab member prints as its code


# -- the engine -----------------------------------------------------------------------------------

_LOCK = threading.Lock()
"""Serialises every use of the engine, which is not thread-safe (and never releases the GIL anyway)."""

_SID = "guanzhi"
"""The one session id: each durable ruleset holds at most one session, emptied after every assertion."""

_OK, _NOT_HANDLED = 0, 1
"""Status codes of ``assert_fact``: actions are pending; nothing matched (the fact was not stored)."""

_COMPILED: dict[str, _Compiled] = {}
"""Compiled rule sets by content hash, so each distinct rule set is registered once per process. Not bounded:
durable-rules never frees a registered ruleset, so evicting one would only register it again under the same name."""


def _engine() -> Any:
    """durable-rules' engine (its C extension), imported on first use."""
    try:
        import durable_rules_engine  # noqa: PLC0415 - an optional extra, imported only when this backend is used
    except ImportError as exc:
        raise DurableUnavailableError(f"the durable backend needs durable-rules: {INSTALL_HINT}") from exc
    return durable_rules_engine


@dataclass(frozen=True)
class _Chunk:
    """One durable ruleset: its engine handle and the fields its rules read."""

    handle: int
    fields: tuple[str, ...]


Encoder = Callable[[Mapping[str, Any]], Any]
"""Reads one field of the durable fact off the evaluator's facts (None: leave the field out)."""


@dataclass(frozen=True)
class _Compiled:
    """A rule set's conditions registered with durable, and how to encode a case for them."""

    main: tuple[_Chunk, ...]  # the rules without applies
    late: Mapping[str, tuple[_Chunk, ...]]  # rule id -> the rulesets of that rule alone
    actions: Mapping[str, tuple[str, bool]]  # durable rule name -> (rule id, polarity)
    encoders: Mapping[str, Encoder]  # field -> how to read it

    def fact(self, chunks: Sequence[_Chunk], facts: Mapping[str, Any]) -> dict[str, Any]:
        """The fields the chunks read, taken from the case (and, for ``applies``, the standing of earlier rules)."""
        fact: dict[str, Any] = {}
        for chunk in chunks:
            for name in chunk.fields:
                if name not in fact:
                    fact[name] = self.encoders[name](facts)
        return fact


def _scalar(path: str, encode: Callable[[Any], Any]) -> Encoder:
    def read(facts: Mapping[str, Any]) -> Any:
        value = facts[path]
        return None if value is None else encode(value)
    return read


def _member(path: str, code: str) -> Encoder:
    def read(facts: Mapping[str, Any]) -> Any:
        return _YES if code in facts[path] else _NO
    return read


def _standing(key: str) -> Encoder:
    def read(facts: Mapping[str, Any]) -> Any:
        value = facts.get(key)
        return None if value is None else _encode_bool(value)
    return read


_STACK = 60
"""Most stack entries the rules of one durable ruleset may need (see ``_width``). The engine walks its
alpha network depth first on a fixed stack of 64 entries and fails the assertion beyond it (error 303)."""

_CONNECTIVES = 15
"""Most ``$and`` / ``$or`` in one durable rule: each takes two of the 31 slots of a rule's expression
sequence, and more fail the ruleset's creation (error 113)."""

_BRANCHES = 256
"""Most durable rules one polarity of a condition may become when it is split to fit the limits."""


def _width(expr: Expr) -> int:
    """How many stack entries walking the expression can hold at once, at most.

    A test is one entry; ``$and`` is a path, each test pushed as the one before it passes, so only
    the entries its parts leave behind add up; ``$or`` pushes all its branches at once and joins them
    again in one more node. Rules share the root, so a ruleset needs the sum of its rules' widths.
    """
    if set(expr) == {"$and"}:
        parts = expr["$and"]
        return sum(_width(p) for p in parts) - len(parts) + 1
    if set(expr) == {"$or"}:
        return sum(_width(p) for p in expr["$or"]) + 1
    return 1


def _connectives(expr: Expr) -> int:
    if set(expr) in ({"$and"}, {"$or"}):
        return 1 + sum(_connectives(p) for p in next(iter(expr.values())))
    return 0


def _branches(expr: Expr, out: list[Expr]) -> list[Expr]:
    """Append to ``out`` expressions within the engine's limits whose disjunction is ``expr``.

    A top-level ``$or`` becomes its branches, which also makes the rules narrower; a conjunction
    too large for one rule is distributed over its first ``$or`` (a and (b or c) = (a and b) or (a and c)).

    Raises:
        ValueError: more than ``_BRANCHES`` rules would be needed.
    """
    if set(expr) == {"$or"}:
        for part in expr["$or"]:
            _branches(part, out)
    elif _width(expr) <= _STACK and _connectives(expr) <= _CONNECTIVES:
        if len(out) == _BRANCHES:
            raise ValueError(f"more than {_BRANCHES} durable rules")
        out.append(expr)
    else:
        # Only an $or makes an expression wide or deep ($and parts are never $and), so there is one.
        parts = expr["$and"]
        split = next(i for i, p in enumerate(parts) if set(p) == {"$or"})
        for option in parts[split]["$or"]:
            _branches(_and([*parts[:split], option, *parts[split + 1:]]), out)
    return out


def _fields(expr: Expr) -> Iterator[str]:
    """The fields an expression reads."""
    for key, value in expr.items():
        if key in ("$and", "$or"):
            for part in value:
                yield from _fields(part)
        elif key.startswith("$"):
            yield from value
        else:
            yield key


class _Packer:
    """Packs durable rules into as few rulesets as the engine's stack allows."""

    def __init__(self) -> None:
        self.rulesets: list[dict[str, Any]] = []
        self.used: list[int] = []

    def add(self, rule: CompiledRule, true: Expr, false: Expr, actions: dict[str, tuple[str, bool]]) -> None:
        """Add the durable rules of both polarities of the rule's condition (``tN_i`` true, ``fN_i`` false)."""
        for polarity, expr in ((True, true), (False, false)):
            try:
                branches = _branches(expr, [])
            except ValueError as exc:
                raise ValueError(f"rule {rule.id}: the condition is too large for the durable backend ({exc})") from None
            for i, branch in enumerate(branches):
                width = _width(branch)
                if not self.rulesets or self.used[-1] + width > _STACK:
                    self.rulesets.append({})
                    self.used.append(0)
                name = f"{'t' if polarity else 'f'}{rule.index}_{i}"
                self.rulesets[-1][name] = {"all": [{"m": branch}]}
                self.used[-1] += width
                actions[name] = (rule.id, polarity)

    def register(self, prefix: str) -> tuple[_Chunk, ...]:
        engine = _engine()
        chunks = []
        for i, definition in enumerate(self.rulesets):
            fields = sorted({f for rule in definition.values() for f in _fields(rule["all"][0]["m"])})
            handle = engine.create_ruleset(f"{prefix}_{i}", json.dumps(definition))
            chunks.append(_Chunk(handle, tuple(fields)))
        return tuple(chunks)


def _digest(rules: Sequence[CompiledRule]) -> str:
    """A content hash of the rules' conditions: what durable is given to decide."""
    content = [(r.id, r.index, r.late, r.condition.source() if r.condition is not None else None) for r in rules]
    return hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()


def _compile(rules: Sequence[CompiledRule], digest: str) -> _Compiled:
    index_of = {r.id: r.index for r in rules}
    compiler = _Compiler(index_of)
    prefix = f"guanzhi_{digest[:32]}"
    actions: dict[str, tuple[str, bool]] = {}
    main = _Packer()
    late: dict[str, _Packer] = {}
    for rule in rules:
        if rule.condition is not None:
            true, false = compiler.compile(rule.condition)
            (late.setdefault(rule.id, _Packer()) if rule.late else main).add(rule, true, false, actions)
    encoders: dict[str, Encoder] = {}
    for path, spec in compiler.paths.items():
        encoders[_field(path)] = _scalar(path, _encoder(spec))
    for path, code in compiler.members:
        encoders[_field(path, code)] = _member(path, code)
    for rule_id in compiler.standing:
        encoders[_standing_field(index_of[rule_id])] = _standing(rule_key(rule_id))
    assert len(encoders) == len(compiler.paths) + len(compiler.members) + len(compiler.standing), "durable field names collide"
    return _Compiled(
        main=main.register(f"{prefix}_main"),
        late={rule_id: packer.register(f"{prefix}_{index_of[rule_id]}") for rule_id, packer in late.items()},
        actions=actions, encoders=encoders)


def _fire(engine: Any, chunks: Sequence[_Chunk], fact: Mapping[str, Any], fired: set[str]) -> None:
    """Assert the fact in each durable ruleset's session; add the names of the rules that matched to ``fired``."""
    for chunk in chunks:
        message = {name: fact[name] for name in chunk.fields if fact[name] is not None}
        message["sid"] = _SID
        text = json.dumps(message)
        status, state = engine.assert_fact(chunk.handle, text)
        if status == _NOT_HANDLED:
            continue  # nothing matched, and the fact was not stored
        try:
            if status != _OK:
                raise RuntimeError(f"durable-rules answered status {status} to a fact in an empty session")
            started = engine.start_action_for_state(chunk.handle, state)
            result = started[1] if started else None
            while result:
                fired.add(result[2:result.index('"', 2)])  # '{"t12_0":{"m":{...}}}': the durable rule's name
                result = engine.complete_and_start_action(chunk.handle, state)
        finally:
            # Empty the session for the next case. Retracting is cheaper than deleting the session (which
            # allocates and clears 8 KB per rule when it is created again), and the session is never deleted:
            # deleting one in which no action ever ran frees pointers the engine never initialised, and crashes.
            engine.retract_fact(chunk.handle, text)


@functools.lru_cache(maxsize=64)
def _digest_of(rules: tuple[CompiledRule, ...]) -> str:
    """``_digest``, computed once per tuple of compiled rules (a rule set's ``rules``)."""
    return _digest(rules)


class DurableTester:
    """Tests the conditions of compiled rules on durable-rules (a ``Tester``, see ``guanzhi_rules._backends``)."""

    __slots__ = ("_compiled",)

    def __init__(self, rules: tuple[CompiledRule, ...]) -> None:
        """Register the rules' conditions with durable, once per distinct content and process."""
        digest = _digest_of(rules)
        with _LOCK:
            compiled = _COMPILED.get(digest)
            if compiled is None:
                compiled = _COMPILED[digest] = _compile(rules, digest)
        self._compiled = compiled

    def __call__(self, rules: Sequence[CompiledRule], facts: Mapping[str, Any]) -> dict[str, bool | None]:
        compiled = self._compiled
        engine = _engine()
        fired: set[str] = set()
        with _LOCK:
            if any(not r.late for r in rules):
                _fire(engine, compiled.main, compiled.fact(compiled.main, facts), fired)
            for rule in rules:
                if rule.late:
                    chunks = compiled.late[rule.id]
                    _fire(engine, chunks, compiled.fact(chunks, facts), fired)
        results: dict[str, bool | None] = dict.fromkeys((r.id for r in rules), None)
        for name in fired:
            rule_id, polarity = compiled.actions[name]
            if rule_id in results:
                assert results[rule_id] in (None, polarity), f"durable found the condition of {rule_id} both true and false"
                results[rule_id] = polarity
        return results
