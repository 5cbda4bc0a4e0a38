"""``guanzhi check``: keep every rule set honest against its official text.

For one rule file, report:

- **schema** — anything the loader rejects (format, unknown facts, broken references);
- **citation** — a quote that does not occur, whitespace aside, under the article and item it
  claims (the address is resolved in the parsed source, see ``_source``), in a rule, the ladder,
  or the document's commencement and territory;
- **coverage** — an enumerated item of the source that no citation quotes and the file does not
  list as declaratory with a reason; or an item both quoted and listed as declaratory;
- **dead rule** — a rule whose condition no case can satisfy, or that every case satisfying it
  also hands to a rule that defeats it, or a bar with nothing to defeat (its stages are empty);
- **conflict** — two rules of one stage and priority, neither defeating the other nor declared to
  combine with it, that one case can trigger together with contradictory effects: different scope
  outcomes, different sanction ranges, or different annual grades. (Freezes are not compared:
  overlapping freezes run together and the latest end governs.)

An overlay (``guanzhi check OVERLAY.yaml`` or ``BASE+OVERLAY``) is checked as the amended rule set:
schema, citations (a quote of another jurisdiction's text, ``citation.document``, is looked up in
that text), dead rules and conflicts. Coverage stays the base's: an overlay amends the rules, not
the official text, so the base's coverage table and findings are reported as they are.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from guanzhi_rules._compiler import CompiledRule
from guanzhi_rules._conditions import All, Not
from guanzhi_rules._loader import load, resolve, rules_dir
from guanzhi_rules._pipeline import EXCLUSIVE_GATES, precedence
from guanzhi_rules._rulefile import BUNDLED, PREAMBLE, Citation
from guanzhi_rules._ruleset import RuleSet
from guanzhi_rules._satisfy import BUDGET_MS, OverBudget, describe, witness
from guanzhi_rules._source import Node, Source, address_labels, load_source, normalise
from guanzhi_rules._suggestions import suggest
from guanzhi_rules.exceptions import RuleSetError

Kind = Literal["schema", "citation", "coverage", "dead_rule", "conflict", "over_budget"]


@dataclass(frozen=True)
class Finding:
    kind: Kind
    message: str
    rule_id: str | None = None

    def __str__(self) -> str:
        where = f" [{self.rule_id}]" if self.rule_id else ""
        return f"{self.kind}{where}: {self.message}"


@dataclass(frozen=True)
class CoverageRow:
    """Enumerated items of one article (or section) of the source, and how each is accounted for."""

    article: str
    items: int
    cited: int
    declaratory: int

    @property
    def uncovered(self) -> int:
        return self.items - self.cited - self.declaratory


@dataclass(frozen=True)
class Report:
    target: str
    document: str | None
    findings: tuple[Finding, ...]
    coverage: tuple[CoverageRow, ...]

    @property
    def ok(self) -> bool:
        return not self.findings

    @property
    def percent(self) -> float:
        """Share of enumerated items cited or declared declaratory (100.0 for a text with none)."""
        total = sum(r.items for r in self.coverage)
        covered = sum(r.cited + r.declaratory for r in self.coverage)
        return 100.0 * covered / total if total else 100.0


def check(target: str | Path) -> Report:
    """Check one rule set: a bundled key, a rule-file path, an overlay path, or ``BASE+OVERLAY[+...]``."""
    try:
        ruleset = resolve(target)
    except RuleSetError as exc:
        return Report(str(target), None, (Finding("schema", str(exc)),), ())
    title = ruleset.file.document.title + "".join(f" + {o.overlay.title.zh}" for o in ruleset.overlays)
    source = _source_of(ruleset)
    if isinstance(source, str):
        return Report(str(target), title, (Finding("schema", source),), ())
    findings: list[Finding] = []
    cited = _citations(ruleset, source, findings)
    if ruleset.overlays:
        base = load(ruleset.path)
        coverage = _coverage(base, source, _citations(base, source, []), findings)
    else:
        coverage = _coverage(ruleset, source, cited, findings)
    solving = _Budget(time.monotonic() + SOLVER_SECONDS)
    findings += _dead_rules(ruleset, solving)
    findings += _conflicts(ruleset, solving)
    return Report(str(target), title, tuple(findings), coverage)


def _source_of(ruleset: RuleSet) -> Source | str:
    """The official text a rule set quotes (next to its file, or bundled), or why it cannot be found."""
    name = ruleset.file.document.source
    path = ruleset.path.parent / "sources" / name
    if not path.exists():
        path = rules_dir() / "sources" / name
    if not path.exists():
        return f"source text {name} not found"
    try:
        return load_source(path)
    except (OSError, ValueError) as exc:
        return f"source text {name} cannot be read: {exc.strerror if isinstance(exc, OSError) else exc}"


def check_all(targets: list[str | Path] | None = None) -> list[Report]:
    """Check the given rule sets, or every bundled one."""
    return [check(t) for t in (targets or list(BUNDLED))]


# -- citations ---------------------------------------------------------------------------------

def _resolve(source: Source, title: str, article: str, item: str | None, part: str | None) -> list[Node] | str:
    if article == PREAMBLE and item is None:
        preamble = source.preamble(part, default_part=title)
        return [preamble] if preamble else f"no {PREAMBLE} of {part} in {source.name}"
    try:
        labels = address_labels(article, item)
    except ValueError as exc:
        return str(exc)
    nodes = source.find(labels, part, default_part=title)
    if not nodes:
        where = f" of {part}" if part else ""
        return f"no {''.join(labels)}{where} in {source.name}"
    return nodes


def _innermost(source: Source, position: int) -> Node:
    node = source.root
    while True:
        inner = next((c for c in node.children if c.start <= position < c.end), None)
        if inner is None:
            return node
        node = inner


def _foreign(key: str) -> tuple[Source, str] | str:
    """Another rule set's official text and title, for a citation naming it in ``document``."""
    try:
        other = load(key)
    except RuleSetError:
        return f"citation.document {key!r}: no bundled rule set to cite{suggest(key, BUNDLED)}"
    source = _source_of(other)
    return source if isinstance(source, str) else (source, other.file.document.title)


def _citations(ruleset: RuleSet, source: Source, findings: list[Finding]) -> list[tuple[int, int]]:
    """Check each citation's address and quote; return the quoted spans of the rule set's own normalised text."""
    own_title = ruleset.file.document.title
    cited: list[tuple[Citation, str | None]] = [(r.rule.citation, r.id) for r in ruleset]
    cited += [(c, None) for c in ruleset.ladder.citations]
    document = ruleset.file.document
    if document.commencement:
        cited += [(c, "document.commencement") for c in document.commencement.citations]
    if document.territory:
        cited.append((document.territory.citation, "document.territory"))
    spans = []
    for citation, rule_id in cited:
        label = f"{citation.article}{citation.item or ''}"
        text, title, own = source, own_title, citation.document in (None, ruleset.key)
        if not own:
            assert citation.document is not None
            other = _foreign(citation.document)
            if isinstance(other, str):
                findings.append(Finding("citation", other, rule_id or "ladder"))
                continue
            text, title = other
        nodes = _resolve(text, title, citation.article, citation.item, citation.part)
        if isinstance(nodes, str):
            findings.append(Finding("citation", nodes, rule_id or "ladder"))
            continue
        quote = normalise(citation.quote)
        found = [(p, n) for n in nodes if (p := text.text.find(quote, n.start, n.end)) >= 0]
        if found:
            start = found[0][0]
            if own:
                spans.append((start, start + len(quote)))
            continue
        elsewhere = text.text.find(quote)
        if elsewhere >= 0:
            actual = _innermost(text, elsewhere).display()
            message = f"the quote occurs under {actual}, not under {label}: {citation.quote!r}"
        else:
            message = f"the quote does not occur in {text.name}: {citation.quote!r}"
        findings.append(Finding("citation", message, rule_id or "ladder"))
    return spans


# -- coverage ----------------------------------------------------------------------------------

def _top(node: Node) -> Node:
    while node.parent is not None and node.parent.kind not in ("root", "part", "chapter"):
        node = node.parent
    return node


def _part_of(node: Node) -> str:
    while node.parent is not None:
        node = node.parent
        if node.kind == "part":
            return node.label
    return ""


def _coverage(
    ruleset: RuleSet, source: Source, spans: list[tuple[int, int]], findings: list[Finding],
) -> tuple[CoverageRow, ...]:
    leaves = source.leaves()
    quoted = {id(leaf) for leaf in leaves if any(s < leaf.end and e > leaf.start for s, e in spans)}
    declared: set[int] = set()
    for entry in ruleset.file.declaratory:
        nodes = _resolve(source, ruleset.file.document.title, entry.article, entry.item, entry.part)
        if isinstance(nodes, str):
            findings.append(Finding("coverage", f"declaratory entry: {nodes}"))
            continue
        for node in nodes:
            for leaf in node.walk():
                if leaf.enumerated_leaf and id(leaf) in quoted:
                    findings.append(Finding(
                        "coverage", f"{leaf.display()} is listed as declaratory but a rule quotes it"))
                declared.add(id(leaf))
    rows: dict[tuple[str, str], list[Node]] = {}
    for leaf in leaves:
        top = _top(leaf)
        rows.setdefault((_part_of(leaf), top.display()), []).append(leaf)
        if id(leaf) not in quoted and id(leaf) not in declared:
            findings.append(Finding(
                "coverage", f"{_part_of(leaf) and '《' + _part_of(leaf) + '》'}{leaf.display()} (line {leaf.line}) "
                "is neither cited by a rule nor listed as declaratory"))
    return tuple(
        CoverageRow(
            article=f"《{part}》{article}" if part else article,
            items=len(items),
            cited=sum(id(n) in quoted for n in items),
            declaratory=sum(id(n) in declared and id(n) not in quoted for n in items),
        )
        for (part, article), items in rows.items())


# -- dead rules and conflicts ------------------------------------------------------------------

def _defeaters(ruleset: RuleSet) -> dict[str, list[CompiledRule]]:
    """For each rule, the rules that defeat it whenever both apply."""
    result: dict[str, list[CompiledRule]] = {r.id: [] for r in ruleset}
    for rule in ruleset:
        if rule.rule.catch_all:
            continue
        for target in ruleset.targets(rule):
            if target.id != rule.id:
                result[target.id].append(rule)
    scope = ruleset.stage("scope")
    for rule, other in itertools.permutations(scope, 2):
        if precedence(other) < precedence(rule) and not other.rule.catch_all:
            result[rule.id].append(other)
    return result


SOLVER_SECONDS = 1.5
"""Solver time one check may spend in all (each question at most ``BUDGET_MS``): questions the direct
search cannot answer share it, and once it is spent the rest are reported over budget at once."""


@dataclass(frozen=True)
class _Budget:
    deadline: float

    def ms(self) -> int:
        """Milliseconds the next question may take."""
        return min(BUDGET_MS, int((self.deadline - time.monotonic()) * 1000))


def _dead_rules(ruleset: RuleSet, solving: _Budget) -> list[Finding]:
    findings = []
    defeaters = _defeaters(ruleset)
    for rule in ruleset:
        if rule.rule.stage == "bar" and not ruleset.targets(rule):
            stages = ", ".join(rule.rule.defeats)
            findings.append(Finding("dead_rule", f"a bar with nothing to defeat ({stages}: no such rules here), so it changes no outcome",
                                    rule.id))
            continue
        if rule.condition is None:
            continue
        try:
            findings += _dead_rule(rule, defeaters[rule.id], solving)
        except OverBudget:
            findings.append(_over_budget("whether it can apply", rule.id))
    return findings


def _dead_rule(rule: CompiledRule, defeaters: list[CompiledRule], solving: _Budget) -> list[Finding]:
    assert rule.condition is not None
    if witness(rule.condition, solving.ms()) is None:
        return [Finding("dead_rule", "no case can satisfy its condition", rule.id)]
    beaten_by = [d for d in defeaters if d.condition is not None]
    if defeaters and len(beaten_by) < len(defeaters):
        return [Finding("dead_rule", "an unconditional rule always defeats it", rule.id)]
    if beaten_by and witness(All([rule.condition, *(Not(d.condition) for d in beaten_by if d.condition)]), solving.ms()) is None:
        names = ", ".join(d.id for d in beaten_by)
        return [Finding("dead_rule", f"whenever it applies it is defeated (by {names})", rule.id)]
    return []


def _over_budget(question: str, rule_id: str) -> Finding:
    return Finding("over_budget", f"the solver could not settle {question} within its budget ({BUDGET_MS / 1000:g} s a "
                                  f"question, {SOLVER_SECONDS:g} s a check); not checked", rule_id)


def _outcome(rule: CompiledRule) -> object:
    """What a rule decides, for comparing two rules of one stage."""
    stage, then = rule.rule.stage, rule.rule.then
    if stage == "scope":
        return then[0].scope
    if stage == "sanction_band":
        return frozenset((m, e.open_ended) for e in then for m in e.measures or ())
    return None


def _gates_overlap(a: CompiledRule, b: CompiledRule) -> bool:
    on_a, on_b = a.rule.attaches, b.rule.attaches
    if frozenset({on_a, on_b}) in EXCLUSIVE_GATES:
        return False
    if on_a == on_b == "measures":
        return bool(set(a.rule.for_measures or ()) & set(b.rule.for_measures or ()))
    return True


def _contradict(a: CompiledRule, b: CompiledRule) -> str | None:
    stage = a.rule.stage
    if stage in ("scope", "sanction_band"):
        return "they decide differently" if _outcome(a) != _outcome(b) else None
    if stage == "consequence" and _gates_overlap(a, b):
        grades = {e.annual_grade for r in (a, b) for e in r.rule.then if e.annual_grade}
        return "they set different annual grades" if len(grades) > 1 else None
    return None


def _conflicts(ruleset: RuleSet, solving: _Budget) -> list[Finding]:
    findings = []
    for stage in ("scope", "sanction_band", "consequence"):
        rules = [r for r in ruleset.stage(stage) if not r.rule.catch_all]
        for a, b in itertools.combinations(rules, 2):
            related = {*a.rule.defeats, *a.rule.combines_with} & {b.id} or {*b.rule.defeats, *b.rule.combines_with} & {a.id}
            if a.rule.priority != b.rule.priority or related:
                continue
            why = _contradict(a, b)
            if why is None:
                continue
            both = [c for c in (a.condition, b.condition) if c is not None]
            try:
                example = witness(All(both), solving.ms()) if both else {}
            except OverBudget:
                findings.append(_over_budget(f"whether it and {b.id} can apply to one case", a.id))
                continue
            if example is not None:
                findings.append(Finding(
                    "conflict", f"{a.id} and {b.id} can apply to one case and {why} (e.g. {describe(example)})"))
    return findings


# -- rendering ---------------------------------------------------------------------------------

def render(reports: list[Report]) -> str:
    """Findings and coverage tables, one block per rule set."""
    lines = []
    for report in reports:
        status = "ok" if report.ok else f"{len(report.findings)} finding(s)"
        lines.append(f"== {report.target}: {report.document or '(not loaded)'} — {status}")
        lines += [f"  {f}" for f in report.findings]
        if report.coverage:
            width = max(len(r.article) for r in report.coverage)
            lines.append(f"  coverage of enumerated items: {report.percent:.1f}%")
            lines.append(f"    {'article':<{width}}  items  cited  declaratory  uncovered")
            for row in report.coverage:
                lines.append(
                    f"    {row.article:<{width}}  {row.items:>5}  {row.cited:>5}  {row.declaratory:>11}  {row.uncovered:>9}")
    return "\n".join(lines) + "\n"
