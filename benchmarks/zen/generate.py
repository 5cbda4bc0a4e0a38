"""Write the Benxi rule set as a GoRules JDM decision graph (``benxi.json`` beside this script).

The graph is generated from the compiled rule set, not written by hand, so that it encodes exactly
what the engine loads: every condition (definitions included), the stages in the engine's order and
the same semantics, taken from ``_pipeline``:

- ``conditions`` (expression node): each distinct part of each condition once, in Kleene logic
  (true, false or null for unknown), then each rule's raw value;
- ``scope`` (decision table, first hit in precedence order): the scope outcome and its winner;
  the other applicable scope rules are defeated by it;
- ``circumstances`` (expression node): results, stopped where the subject is not covered; a catch-all
  that asks for a finding does not apply where a listed item applies; whether accountability follows
  (the document provides no exemption, so none is granted and none may be);
- ``sanction bands``: results where accountability may follow, defeats in precedence order, the range
  on the ladder;
- ``consequences``: the measures considered (those chosen on the ladder, else the range), each rule's
  gate (always, accountability, measures considered), the consequence lines;
- ``choice and procedure``: their own conditions, ``applies`` conditions reading earlier rules' standing;
- ``outcome``: the fields of ``guanzhi_rules._outcome.Outcome``.

Features the Benxi rule set does not use (exemptions, bars, aggravating and mitigating factors, a measure
converting into another) are refused, not approximated: the generator raises rather than write a graph
that would silently differ. The input is the case's facts as nested JSON (``conduct.acts`` →
``{"conduct": {"acts": [...]}}``), an unknown fact null or absent, dates as ISO strings.

Run from the repository root::

    .venv/bin/python benchmarks/zen/generate.py          # rewrite benchmarks/zen/benxi.json
    .venv/bin/python benchmarks/zen/generate.py --check  # exit 1 if the committed graph is stale
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from guanzhi_rules import load
from guanzhi_rules._batch import batch_plan
from guanzhi_rules._conditions import All, Any_, Applies, Comparison, Condition, Not, Use, walk
from guanzhi_rules._pipeline import COVERED, GATES, STANDING, plan_of
from guanzhi_rules._vocab import Ordinal

HERE = Path(__file__).resolve().parent
GRAPH = HERE / "benxi.json"
UNSUPPORTED_STAGES = ("bar", "exemption", "aggravating", "mitigating")


def _literal(value: Any) -> str:
    """A ZEN expression literal for a code, number or line (ZEN strings have no escapes: single quotes only)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    text = str(value)
    if "'" in text or "\\" in text:
        raise ValueError(f"cannot write {text!r} as a ZEN string literal")
    return f"'{text}'"


def _list(values: Any) -> str:
    return "[" + ", ".join(_literal(v) for v in values) + "]"


FALSE, UNKNOWN, TRUE = 0, 1, 2
"""Kleene truth values as numbers, so that ``all`` is ``min``, ``any`` is ``max`` and ``not`` is ``2 - x``: each part is
written once (a ternary encoding would write every part twice per level)."""


def _comparison(c: Comparison) -> str:
    """One fact tested against a value: unknown where the fact is unknown (a set is never unknown)."""
    path, op, kind, value = c.spec.path, c.op, c.spec.kind, c.value
    if kind == "set":
        tests = " and ".join(f"some({path} ?? [], # in {_list(sorted(_code(g) for g in group))})" for group in c.groups)
        return f"(({tests}) ? {TRUE} : {FALSE})"
    if kind == "ordinal":
        assert c.spec.values is not None and issubclass(c.spec.values, Ordinal)
        codes = [m.value for m in c.spec.values]
        bound = codes.index(_code(value))
        chosen = [x for i, x in enumerate(codes) if (i >= bound if op == "at_least" else i <= bound if op == "at_most" else i == bound)]
        test = f"{path} in {_list(chosen)}"
    elif kind == "enum":
        test = f"{path} in {_list(sorted(_code(v) for v in value))}" if op == "in" else f"{path} == {_literal(_code(value))}"
    elif kind == "date":
        symbol = {"is": "==", "at_least": ">=", "at_most": "<="}[op]
        test = f"date({path}) {symbol} date({_literal(value.isoformat())})"
    else:
        symbol = {"is": "==", "at_least": ">=", "at_most": "<="}[op]
        test = f"{path} {symbol} {_literal(value)}"
    return f"({path} == null ? {UNKNOWN} : ({test} ? {TRUE} : {FALSE}))"


class Conditions:
    """The ``conditions`` node: a key per named definition (tested once however often used), the rest written inline."""

    def __init__(self) -> None:
        self.expressions: list[tuple[str, str]] = []
        self.definitions: dict[int, str] = {}
        self.tested: dict[int, str] = {}
        """Parts of late conditions (those reading no standing) tested here, for a later node to read by key."""

    def test_early(self, condition: Condition, key: str) -> None:
        """Give each largest part of a late condition that reads no rule's standing a key of this node."""
        if not any(isinstance(p, Applies) for p in walk(condition)):
            self.tested[id(condition)] = f"{key}_{len(self.tested)}"
            self.expressions.append((self.tested[id(condition)], self.write(condition)))
        elif isinstance(condition, Use):
            self.test_early(condition.target, key)
        elif isinstance(condition, Not):
            self.test_early(condition.part, key)
        elif isinstance(condition, (All, Any_)):
            for part in condition.parts:
                self.test_early(part, key)

    def write(self, condition: Condition, standing: Mapping[str, str] | None = None, prefix: str = "$.") -> str:
        """The condition as an expression; definitions are read from their keys (``prefix``: ``$.`` within this node).

        ``standing`` gives, for a later node, each earlier rule's standing, which an ``applies`` condition reads.
        """
        if standing is not None and id(condition) in self.tested:
            return self.tested[id(condition)]
        if isinstance(condition, Use) and standing is not None:
            return self.write(condition.target, standing, prefix)
        if isinstance(condition, Use):
            if id(condition.target) not in self.definitions:
                key = "def_" + _name(condition.name)
                self.expressions.append((key, self.write(condition.target)))
                self.definitions[id(condition.target)] = key
            return prefix + self.definitions[id(condition.target)]
        if isinstance(condition, Applies):
            if standing is None:
                raise ValueError("an 'applies' condition reads rule standing, which the conditions node does not have")
            return f"max([{', '.join(standing[r] for r in condition.rule_ids)}])"
        if isinstance(condition, Comparison):
            return _comparison(condition)
        if isinstance(condition, Not):
            return f"({TRUE} - {self.write(condition.part, standing, prefix)})"
        parts = ", ".join(self.write(p, standing, prefix) for p in condition.parts)  # type: ignore[attr-defined]
        return f"{'min' if isinstance(condition, All) else 'max'}([{parts}])"


def _code(value: Any) -> Any:
    return value.value if hasattr(value, "value") else value


def _name(text: str) -> str:
    return re.sub(r"[^0-9A-Za-z]", "_", text)


def _node(key: str, name: str, expressions: list[tuple[str, str]], *, through: bool) -> dict[str, Any]:
    return {"id": key, "type": "expressionNode", "name": name, "position": {"x": 0, "y": 0},
            "content": {"expressions": [{"id": f"{key}-{i}", "key": k, "value": v} for i, (k, v) in enumerate(expressions)],
                        "passThrough": through, "inputField": None, "outputPath": None, "executionMode": "single"}}


def _result(raw: str) -> str:
    """``_pipeline.result_of``: the result of a rule whose condition has this value, when nothing defeats it."""
    return f"({raw} == {TRUE} ? 'applies' : ({raw} == {FALSE} ? 'does_not_apply' : 'undetermined'))"


def graph(key: str = "benxi") -> dict[str, Any]:
    """The JDM graph of a bundled rule set (those using only the features listed in the module docstring)."""
    ruleset = load(key)
    plan, bplan = plan_of(ruleset), batch_plan(ruleset)
    for stage in UNSUPPORTED_STAGES:
        if plan.stages[stage]:
            raise NotImplementedError(f"the graph does not encode the {stage} stage, which {key} uses")
    for rule in plan.stages["consequence"]:
        if any(e.freeze and e.freeze.converts_to for e in rule.rule.then):
            raise NotImplementedError(f"the graph does not encode conversions ({rule.id})")
    for stage in ("scope", "circumstance", "sanction_band", "consequence"):
        if any(r.late for r in plan.stages[stage]):
            raise NotImplementedError(f"the graph reads rule standing only in choice and procedure ({stage} does)")
    raw = {r.id: "r_" + _name(r.id) for r in ruleset.rules}
    res = {r.id: "s_" + _name(r.id) for r in ruleset.rules}

    # 1. Every condition that reads no rule's standing, tested up front (as CaseState does).
    conditions = Conditions()
    raws: list[tuple[str, str]] = []
    for rule in ruleset.rules:
        if rule.late:
            continue
        value = ((str(UNKNOWN) if rule.rule.catch_all else str(TRUE)) if rule.condition is None  # _pipeline.unconditioned
                 else conditions.write(rule.condition))
        raws.append((raw[rule.id], value))
    late = {r.id: r for r in ruleset.rules if r.late}
    for rule in late.values():  # what a late condition reads besides standing is tested here too
        conditions.test_early(rule.condition, "t_" + _name(rule.id))  # type: ignore[arg-type]
    nodes = [{"id": "input", "type": "inputNode", "name": "case facts", "position": {"x": 0, "y": 0}},
             _node("conditions", "conditions", [*conditions.expressions, *raws, ("chosen", "decision.measures ?? []")], through=False)]

    # 2. Scope: the first applicable rule in precedence order wins (a first-hit decision table).
    order = list(plan.order["scope"])
    inputs = [{"id": f"in-{i}", "name": r.id, "field": raw[r.id]} for i, r in enumerate(order)]
    outputs = [{"id": "out-scope", "name": "scope", "field": "scope"}, {"id": "out-winner", "name": "winner", "field": "scope_winner"}]
    rows = []
    for i, rule in enumerate(order):
        cells = {f"in-{j}": (f"== {TRUE}" if j == i else "") for j in range(len(order))}
        rows.append({"_id": f"row-{i}", **cells, "out-scope": _literal(rule.rule.then[0].scope), "out-winner": _literal(rule.id)})
    open_ = " or ".join(f"{raw[r.id]} == {UNKNOWN}" for r in order) or "false"
    rows.append({"_id": "row-none", **{f"in-{j}": "" for j in range(len(order))},
                 "out-scope": f"({open_}) ? 'undetermined' : 'not_covered'", "out-winner": "''"})
    nodes.append({"id": "scope", "type": "decisionTableNode", "name": "scope", "position": {"x": 0, "y": 0},
                  "content": {"hitPolicy": "first", "inputs": inputs, "outputs": outputs, "rules": rows,
                              "passThrough": True, "inputField": None, "outputPath": None, "executionMode": "single"}})

    # 3. The stages after scope, in the engine's order, in one node (each expression may read the ones before it).
    out: list[tuple[str, str]] = [("scope", "scope")]
    current: dict[str, str] = {}  # each rule's latest result expression key, read as $.key within this node
    for rule in ruleset.stage("scope"):  # the winner applies; the others that apply are defeated by it
        out.append((res[rule.id], f"scope_winner == {_literal(rule.id)} ? 'applies' : ({raw[rule.id]} == {TRUE} ? 'defeated' : "
                                  f"{_result(raw[rule.id])})"))
        current[rule.id] = res[rule.id]
    reached = "scope != 'not_covered'"

    def settle(stage: str, where: str) -> None:
        """``CaseState.settle`` where ``where`` holds, else not reached."""
        for rule in plan.stages[stage]:
            value = "'not_evaluable'" if rule.rule.catch_all and rule.condition is None else _result(raw[rule.id])
            out.append((res[rule.id], f"({where}) ? {value} : 'not_reached'"))
            current[rule.id] = res[rule.id]
        for rule in plan.order[stage]:  # defeats in precedence order: a rule defeated by a higher one defeats nothing
            for target in plan.targets[rule.id]:
                key = f"{res[target.id]}_by_{_name(rule.id)}"
                out.append((key, f"($.{current[rule.id]} == 'applies' and $.{current[target.id]} == 'applies' "
                                 f"and {raw[target.id]} == {TRUE}) ? 'defeated' : $.{current[target.id]}"))
                current[target.id] = key
        listed = " or ".join(f"$.{current[r.id]} == 'applies'" for r in plan.listed[stage]) or "false"
        for rule in plan.asking[stage]:  # a listed item applies, so the conduct is not an "other" one
            key = f"{res[rule.id]}_asked"
            out.append((key, f"(({listed}) and $.{current[rule.id]} in ['undetermined', 'applies']) ? 'does_not_apply' "
                             f": $.{current[rule.id]}"))
            current[rule.id] = key

    def any_result(stage: str, result: str) -> str:
        return " or ".join(f"$.{current[r.id]} == '{result}'" for r in plan.stages[stage]) or "false"

    settle("circumstance", reached)
    covered = " or ".join(f"scope == {_literal(s)}" for s, v in COVERED.items() if v)
    out += [  # _pipeline.accountability: no exemption in this document, so none is granted and none may be
        ("covered", f"({covered}) ? {TRUE} : (scope == 'undetermined' ? {UNKNOWN} : {FALSE})"),
        ("triggered", f"({any_result('circumstance', 'applies')}) ? {TRUE} : "
                      f"(({any_result('circumstance', 'undetermined')}) ? {UNKNOWN} : {FALSE})"),
        ("accountable", "min([$.covered, $.triggered])"),
    ]
    settle("sanction_band", f"$.accountable != {FALSE}")
    ladder = sorted(ruleset.ladder_order, key=ruleset.ladder_order.__getitem__)
    for m in ladder:  # the range: every measure of an applicable band
        holding = [r for r in plan.stages["sanction_band"] if m in plan.band_measures[r.id]]
        either = " or ".join(f"$.{current[r.id]} == 'applies'" for r in holding) or "false"
        out.append((f"range_{m}", f"$.accountable != {FALSE} and ({either})"))
    out.append(("any_chosen", "len(chosen) > 0"))
    for m in ladder:  # _pipeline.considered_measures: those chosen on the ladder, else the range; none without accountability
        out.append((f"considered_{m}", f"$.accountable != {FALSE} and ($.any_chosen ? {_literal(m)} in chosen : $.range_{m})"))
    gate = {"always": str(TRUE), "accountable": "$.accountable", "granted": str(FALSE)}
    for rule in plan.stages["consequence"]:  # _pipeline.consequence_holds, nothing where not reached
        on = rule.rule.attaches or "always"
        value = f"min([{gate[GATES[on]]}, {raw[rule.id]}])"
        if on == "measures":
            follows = " or ".join(f"$.considered_{m.value}" for m in rule.rule.for_measures or ()) or "false"
            value = f"({value} == {TRUE} ? (({follows}) ? {TRUE} : {FALSE}) : {value})"
        out.append((f"holds_{_name(rule.id)}", f"({reached}) ? {value} : {FALSE}"))
        out.append((res[rule.id], f"({reached}) ? {_result('$.holds_' + _name(rule.id))} : 'not_reached'"))
        current[rule.id] = res[rule.id]
    opens = [r for r, v in STANDING.items() if v is None]
    standing = {rule_id: f"($.{key} == 'applies' ? {TRUE} : ($.{key} in {_list(opens)} ? {UNKNOWN} : {FALSE}))"
                for rule_id, key in current.items()}
    for stage in ("choice", "procedure"):  # their own conditions; a late one reads earlier rules' standing
        for rule in plan.stages[stage]:
            value = raw[rule.id]
            if rule.id in late:
                out.append((raw[rule.id], conditions.write(rule.condition, standing, prefix="")))  # type: ignore[arg-type]
                value = "$." + raw[rule.id]
            out.append((res[rule.id], f"({reached}) ? {_result(value)} : 'not_reached'"))
            current[rule.id] = res[rule.id]
    nodes.append(_node("stages", "circumstances, accountability, sanction bands, consequences, choice, procedure", out, through=False))

    # 4. The outcome, as guanzhi_rules._outcome.Outcome has it.
    applied = ", ".join(f"({current[r.id]} == 'applies' ? [{_literal(r.id)}] : [])" for r in ruleset.in_trace_order)
    measures = ", ".join(f"(range_{m} ? [{_literal(m)}] : [])" for m in ladder)
    lines = [f"((holds_{_name(rule.id)} == {TRUE} and considered_{m}) ? [{_literal(line)}] : [])"
             for m in ladder for rule, measure, line in bplan.lines if measure == m]
    lines += [f"(holds_{_name(rule.id)} == {TRUE} ? [{_literal(line)}] : [])" for rule, measure, line in bplan.lines if measure is None]
    exemption = "'not_provided'" if ruleset.silence("exemption") is not None else "'none'"
    outcome = [
        ("scope", "scope"), ("exemption", exemption),
        ("accountable", f"accountable == {TRUE} ? true : (accountable == {FALSE} ? false : null)"),
        ("measures", f"flatMap([{measures}], #)"), ("consequences", f"flatMap([{', '.join(lines)}], #)"),
        ("applied", f"flatMap([{applied}], #)"),
    ]
    nodes.append(_node("outcome", "outcome", outcome, through=False))
    nodes.append({"id": "output", "type": "outputNode", "name": "outcome", "position": {"x": 0, "y": 0}})
    for i, node in enumerate(nodes):
        node["position"] = {"x": 240 * i, "y": 0}
    pairs = enumerate(itertools.pairwise(nodes))
    edges = [{"id": f"edge-{i}", "sourceId": a["id"], "targetId": b["id"], "type": "edge"} for i, (a, b) in pairs]
    return {"contentType": "application/vnd.gorules.decision", "nodes": nodes, "edges": edges}


def text(key: str = "benxi") -> str:
    """The graph as the committed file's text."""
    return json.dumps(graph(key), ensure_ascii=False, indent=1) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="exit 1 if the committed graph differs from a fresh one")
    args = parser.parse_args(argv)
    fresh = text()
    if args.check:
        stale = not GRAPH.is_file() or GRAPH.read_text(encoding="utf-8") != fresh
        print(f"{GRAPH.name}: {'stale: run benchmarks/zen/generate.py' if stale else 'up to date'}")
        return 1 if stale else 0
    GRAPH.write_text(fresh, encoding="utf-8")
    print(f"wrote {GRAPH.relative_to(Path.cwd()) if GRAPH.is_relative_to(Path.cwd()) else GRAPH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
