"""``guanzhi check``: keep every rule set honest against its official text.

For one rule file, report:

- **schema** — anything the loader rejects (format, unknown facts, broken references);
- **citation** — a quote that does not occur, whitespace aside, under the article and item it
  claims (the address is resolved in the parsed source, see ``_source``), in a rule, the ladder,
  or the document's commencement and territory;
- **coverage** — an enumerated item of the source that no citation quotes and the file does not
  list as declaratory with a reason; or an item both quoted and listed as declaratory;
- **dead rule** — a rule no case can reach: its condition no case can satisfy; every case
  satisfying it also hands to a rule that defeats it; a bar with nothing to defeat (its stages
  are empty); or the pipeline never brings a case to it where its condition holds (``_unreachable``):
  a rule after scope whose condition excludes every subject the scope rules cover, a consequence
  ``attaches: exempted`` where no mandatory (shall/always) exemption can be granted. A dead rule
  does not count as covering the item it cites;
- **operative text** (a *warning*) — an article without enumerated items whose text has operative
  language (``OPERATIVE``: 应当, 可以, 不得, 一律, 给予, 追究, 免予 …) but that no rule quotes and the file
  does not list as declaratory: text that may bind and that nothing encodes. A warning, not a finding:
  it fails ``guanzhi check --strict`` only (``Report.ok`` ignores it), since a word such as 给予 in
  a policy article (待遇, 培训) is often a programme, not a rule a case can meet; the reader decides,
  and records the decision as a rule or a declaratory entry with its reason;
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
import re
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from guanzhi_rules._compiler import CompiledRule
from guanzhi_rules._conditions import All, Any_, Condition, Not
from guanzhi_rules._loader import load, resolve, rules_dir
from guanzhi_rules._pipeline import COVERED, EXCLUSIVE_GATES, GATES, mandatory, precedence
from guanzhi_rules._quotes import foreign_text, locate_quote, resolve_address
from guanzhi_rules._quotes import source_of as _source_in
from guanzhi_rules._rulefile import BUNDLED, Citation, Text
from guanzhi_rules._ruleset import RuleSet
from guanzhi_rules._satisfy import BUDGET_MS, OverBudget, describe, witness
from guanzhi_rules._source import Node, Source, normalise
from guanzhi_rules._words import STAGES as STAGE_WORDS
from guanzhi_rules.exceptions import QuoteError, RuleSetError

Kind = Literal["schema", "citation", "coverage", "dead_rule", "conflict", "operative", "over_budget"]

OPERATIVE = re.compile(r"应当|可以|不得|一律|给予|追究|免予|免于|予以|必须|严禁|禁止|视情")
"""Words that make a sentence of the source operative (shall, may, must not, without exception, impose,
pursue, exempt, ...): an article holding one is encoded or declared declaratory."""


@dataclass(frozen=True)
class Finding:
    kind: Kind
    message: str
    """What is wrong, in English."""
    rule_id: str | None = None
    zh: str | None = None
    """The same in Chinese (a loader's error, which names keys and paths, has none: it is shown in English)."""

    def __str__(self) -> str:
        return self.text("en")

    def text(self, lang: str) -> str:
        """The finding as one line: its kind, the rule, what is wrong."""
        where = f" [{self.rule_id}]" if self.rule_id else ""
        if lang == "zh":
            return f"{KINDS[self.kind].zh}{where}：{self.zh or self.message}"
        return f"{self.kind}{where}: {self.message}"

    @classmethod
    def of(cls, kind: Kind, text: Text, rule_id: str | None = None) -> Finding:
        return cls(kind, text.en, rule_id, text.zh)


KINDS: dict[str, Text] = {
    "schema": Text(zh="无法载入", en="schema"),
    "citation": Text(zh="引文", en="citation"),
    "coverage": Text(zh="覆盖", en="coverage"),
    "dead_rule": Text(zh="不可达规则", en="dead rule"),
    "conflict": Text(zh="冲突", en="conflict"),
    "operative": Text(zh="未编码的操作性条文", en="operative text"),
    "over_budget": Text(zh="未能判断", en="over budget"),
}
"""The kinds of finding, in words."""


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
    warnings: tuple[Finding, ...] = ()
    """Operative text neither encoded nor declared: reported, failing only a strict check."""
    drafts: tuple[str, ...] = ()
    """Rules citing draft wording (an overlay's proposed words): not compared with the official text."""

    @property
    def ok(self) -> bool:
        """No finding (warnings aside)."""
        return not self.findings

    def passes(self, *, strict: bool = False) -> bool:
        """No finding, and with ``strict`` no warning either."""
        return self.ok and not (strict and self.warnings)

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
    except QuoteError as exc:  # an overlay's quote: refused when applied, reported as the citation it is
        return Report(str(target), None, (Finding("citation", str(exc), exc.rule_id, f"修改稿的引文在正式文本中找不到：{exc}"),), ())
    except RuleSetError as exc:
        return Report(str(target), None, (Finding("schema", str(exc)),), ())
    title = ruleset.file.document.title + "".join(f" + {o.overlay.title.zh}" for o in ruleset.overlays)
    source = source_of(ruleset)
    if isinstance(source, Text):
        return Report(str(target), title, (Finding.of("schema", source),), ())
    findings: list[Finding] = []
    cited = _citations(ruleset, source, findings)
    solving = _Budget(time.monotonic() + SOLVER_SECONDS)
    dead = _dead_rules(ruleset, solving)
    base, base_cited, base_dead = ruleset, cited, dead
    if ruleset.overlays:  # coverage is the base's: an overlay amends the rules, not the official text
        base = load(ruleset.path)
        base_cited, base_dead = _citations(base, source, []), _dead_rules(base, solving)
    coverage = _coverage(base, source, base_cited, findings, _dead_ids(base_dead))
    warnings = _operative(base, source, base_cited, _dead_ids(base_dead))
    findings += dead
    findings += _conflicts(ruleset, solving)
    drafts = tuple(r.id for r in ruleset if r.rule.citation.draft)
    return Report(str(target), title, tuple(findings), coverage, tuple(warnings), drafts)


def source_of(ruleset: RuleSet) -> Source | Text:
    """The official text a rule set quotes, or why it cannot be found."""
    return _source_in(ruleset, rules_dir())


def _foreign(key: str) -> tuple[Source, str] | Text:
    return foreign_text(key, load, rules_dir())


def check_all(targets: list[str | Path] | None = None) -> list[Report]:
    """Check the given rule sets, or every bundled one."""
    return [check(t) for t in (targets or list(BUNDLED))]


# -- citations ---------------------------------------------------------------------------------

Span = tuple[str | None, int, int]
"""A quoted span of the rule set's own normalised text: the citing rule (None: the ladder), start, end."""


def _citations(ruleset: RuleSet, source: Source, findings: list[Finding]) -> list[Span]:
    """Check each citation's address and quote; return the quoted spans of the rule set's own normalised text."""
    cited: list[tuple[Citation, str | None]] = [(r.rule.citation, r.id) for r in ruleset]
    cited += [(c, None) for c in ruleset.ladder.citations]
    document = ruleset.file.document
    if document.commencement:
        cited += [(c, "document.commencement") for c in document.commencement.citations]
    if document.territory:
        cited.append((document.territory.citation, "document.territory"))
    spans: list[Span] = []
    for citation, rule_id in cited:
        if citation.draft:  # proposed wording: not the official text's, so not looked for in it
            continue
        found = locate_quote(citation, ruleset, source, _foreign)
        if isinstance(found, Text):
            findings.append(Finding.of("citation", found, rule_id or "ladder"))
        elif found is not None:
            spans.append((rule_id, found, found + len(normalise(citation.quote))))
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
    ruleset: RuleSet, source: Source, spans: list[Span], findings: list[Finding], dead: frozenset[str] = frozenset(),
) -> tuple[CoverageRow, ...]:
    """The coverage table; an item quoted only by dead rules is not covered (no case reaches what encodes it)."""
    leaves = source.leaves()
    quoting = {id(leaf): [r for r, s, e in spans if s < leaf.end and e > leaf.start] for leaf in leaves}
    quoted = {key for key, rules in quoting.items() if any(r not in dead for r in rules)}
    declared: set[int] = set()
    for entry in ruleset.file.declaratory:
        nodes = resolve_address(source, ruleset.file.document.title, entry.article, entry.item, entry.part)
        if isinstance(nodes, Text):
            findings.append(Finding.of("coverage", Text(zh=f"宣示性条目：{nodes.zh}", en=f"declaratory entry: {nodes.en}")))
            continue
        for node in nodes:
            for leaf in node.walk():
                if leaf.enumerated_leaf and id(leaf) in quoted:
                    findings.append(Finding.of("coverage", Text(
                        zh=f"{leaf.display()}已列为宣示性条款，但有规则引用了它",
                        en=f"{leaf.display()} is listed as declaratory but a rule quotes it")))
                declared.add(id(leaf))
    rows: dict[tuple[str, str], list[Node]] = {}
    for leaf in leaves:
        top = _top(leaf)
        rows.setdefault((_part_of(leaf), top.display()), []).append(leaf)
        if id(leaf) not in quoted and id(leaf) not in declared:
            named = f"{_part_of(leaf) and '《' + _part_of(leaf) + '》'}{leaf.display()}"
            where, zh = f"{named} (line {leaf.line})", f"{named}（第{leaf.line}行）"
            if quoting[id(leaf)]:
                rules = ", ".join(dict.fromkeys(r for r in quoting[id(leaf)] if r is not None))
                findings.append(Finding.of("coverage", Text(zh=f"{zh}只被任何案件都到达不了的规则引用（{rules}）",
                                                            en=f"{where} is cited only by rules no case can reach ({rules})")))
            else:
                findings.append(Finding.of("coverage", Text(zh=f"{zh}既没有规则引用，也没有列为宣示性条款",
                                                            en=f"{where} is neither cited by a rule nor listed as declaratory")))
    return tuple(
        CoverageRow(
            article=f"《{part}》{article}" if part else article,
            items=len(items),
            cited=sum(id(n) in quoted for n in items),
            declaratory=sum(id(n) in declared and id(n) not in quoted for n in items),
        )
        for (part, article), items in rows.items())


def _declared(ruleset: RuleSet, source: Source) -> set[int]:
    """Every node under a declaratory entry (entries that do not resolve are reported by ``_coverage``)."""
    declared: set[int] = set()
    for entry in ruleset.file.declaratory:
        nodes = resolve_address(source, ruleset.file.document.title, entry.article, entry.item, entry.part)
        for node in nodes if not isinstance(nodes, Text) else ():
            declared.update(id(n) for n in node.walk())
    return declared


def _operative(ruleset: RuleSet, source: Source, spans: list[Span], dead: frozenset[str]) -> list[Finding]:
    """Articles without enumerated items whose text is operative, that no live rule quotes and no entry declares."""
    declared = _declared(ruleset, source)
    warnings = []
    for node in source.root.walk():
        if node.kind != "article" or id(node) in declared or any(n.enumerated_leaf for n in node.walk()):
            continue
        words = list(dict.fromkeys(OPERATIVE.findall(source.text_of(node))))
        if not words or any(s < node.end and e > node.start for r, s, e in spans if r not in dead):
            continue
        part = _part_of(node)
        named = f"{part and '《' + part + '》'}{node.display()}"
        warnings.append(Finding.of("operative", Text(
            zh=f"{named}（第{node.line}行）含有操作性用语（{'、'.join(words)}），但既没有规则引用，也没有列为宣示性条款",
            en=f"{named} (line {node.line}) has operative text ({'、'.join(words)}) but is neither cited by a rule nor listed "
               "as declaratory")))
    return warnings


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
            named = "、".join(f"{STAGE_WORDS[d[6:]].zh}阶段的规则" if d.startswith("stage:") and d[6:] in STAGE_WORDS else d
                             for d in rule.rule.defeats)
            findings.append(Finding.of("dead_rule", Text(
                zh=f"排除规则没有可排除的对象（本规则集没有{named}），不会改变任何结果",
                en=f"a bar with nothing to defeat ({stages}: no such rules here), so it changes no outcome"), rule.id))
            continue
        try:
            findings += _dead_rule(ruleset, rule, defeaters[rule.id], solving)
        except OverBudget:
            findings.append(_over_budget(Text(zh="是否有案件能到达该规则", en="whether a case can reach it"), rule.id))
    return findings


def _dead_rule(ruleset: RuleSet, rule: CompiledRule, defeaters: list[CompiledRule], solving: _Budget) -> list[Finding]:
    unreachable = _unreachable(ruleset, rule, solving)
    if unreachable is not None:
        return [Finding.of("dead_rule", unreachable, rule.id)]
    if rule.condition is None:
        return []
    beaten_by = [d for d in defeaters if d.condition is not None]
    if defeaters and len(beaten_by) < len(defeaters):
        return [Finding.of("dead_rule", Text(zh="总被一条无条件的规则排除", en="an unconditional rule always defeats it"), rule.id)]
    if beaten_by and witness(All([rule.condition, *(Not(d.condition) for d in beaten_by if d.condition)]), solving.ms()) is None:
        names = ", ".join(d.id for d in beaten_by)
        return [Finding.of("dead_rule", Text(zh=f"每当它适用时都被排除（被 {names}）",
                                             en=f"whenever it applies it is defeated (by {names})"), rule.id)]
    return []


def _over_budget(question: Text, rule_id: str) -> Finding:
    return Finding.of("over_budget", Text(
        zh=f"求解器未能在限时内判断{question.zh}（每个问题 {BUDGET_MS / 1000:g} 秒，每次检查 {SOLVER_SECONDS:g} 秒），未作检查",
        en=f"the solver could not settle {question.en} within its budget ({BUDGET_MS / 1000:g} s a question, "
           f"{SOLVER_SECONDS:g} s a check); not checked"), rule_id)


def _dead_ids(findings: list[Finding]) -> frozenset[str]:
    return frozenset(f.rule_id for f in findings if f.kind == "dead_rule" and f.rule_id is not None)


_TRUE = All([])
"""The condition that always holds (an empty conjunction)."""


def _either(rules: list[CompiledRule]) -> Condition | None:
    """The condition that one of ``rules`` holds: None if none can, ``_TRUE`` if one always does.

    A catch-all without a condition never applies from facts alone and counts for nothing.
    """
    conditions = []
    for rule in rules:
        if rule.condition is None:
            if not rule.rule.catch_all:
                return _TRUE
            continue
        conditions.append(rule.condition)
    return Any_(conditions) if conditions else None


def _unreachable(ruleset: RuleSet, rule: CompiledRule, solving: _Budget) -> Text | None:
    """Why the pipeline brings no case to ``rule`` with its condition true, or None if some case gets there.

    Reads the pipeline's own gates: every stage after scope needs a covering scope rule (``COVERED``: not
    covered stops the evaluation); a consequence ``attaches: exempted`` waits for a *granted* exemption
    (``GATES``), which only a mandatory exemption gives (``mandatory``). The scope and exemption rules are
    read as their bare conditions, defeats aside, which can only make more cases reach a rule: one reported
    here is unreachable, one not reported may still be unreachable through precedence.
    """
    if rule.condition is not None and witness(rule.condition, solving.ms()) is None:
        return Text(zh="没有案件能满足它的条件", en="no case can satisfy its condition")
    needs: list[Condition] = [] if rule.condition is None else [rule.condition]
    if rule.rule.stage != "scope":
        covering = _either([r for r in ruleset.stage("scope") if COVERED.get(r.rule.then[0].scope or "")])
        if covering is None:
            return Text(zh="没有适用范围规则把对象纳入本文件，任何案件都到达不了它",
                        en="no scope rule brings a subject under the document, so no case reaches it")
        needs.append(covering)
    if rule.rule.attaches is not None and GATES[rule.rule.attaches] == "granted":
        grantable = _either([r for r in ruleset.stage("exemption") if mandatory(r)])
        if grantable is None:
            return Text(zh="attaches: exempted，但本规则集没有“应当”或“一律”免责的规则：免责至多是“可以”，从不被认定，所以它从不附加",
                        en="attaches: exempted, but no exemption of this rule set is mandatory (shall/always): an exemption is "
                           "at most eligible, never granted, so it never attaches")
        needs.append(grantable)
    if witness(All(needs), solving.ms()) is not None:
        return None
    if rule.rule.attaches is not None and GATES[rule.rule.attaches] == "granted":
        return Text(zh="attaches: exempted，但在它的条件成立时，没有应当免责的规则能对适用范围内的对象认定免责",
                    en="attaches: exempted, but no mandatory exemption can be granted to a covered subject where its condition holds")
    return Text(zh="它的条件排除了适用范围规则所涵盖的每一个对象，符合它的案件都到达不了它",
                en="its condition excludes every subject the scope rules cover, so no case it fits reaches it")


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


def _contradict(a: CompiledRule, b: CompiledRule) -> Text | None:
    stage = a.rule.stage
    if stage in ("scope", "sanction_band"):
        return Text(zh="两者的决定不同", en="they decide differently") if _outcome(a) != _outcome(b) else None
    if stage == "consequence" and _gates_overlap(a, b):
        grades = {e.annual_grade for r in (a, b) for e in r.rule.then if e.annual_grade}
        return Text(zh="两者规定的年度考核等次不同", en="they set different annual grades") if len(grades) > 1 else None
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
                findings.append(_over_budget(Text(zh=f"它和 {b.id} 能否适用于同一案件", en=f"whether it and {b.id} can apply to one case"),
                                             a.id))
                continue
            if example is not None:
                findings.append(Finding.of("conflict", Text(
                    zh=f"{a.id} 和 {b.id} 可能适用于同一案件，且{why.zh}（例如 {describe(example)}）",
                    en=f"{a.id} and {b.id} can apply to one case and {why.en} (e.g. {describe(example)})")))
    return findings


# -- rendering ---------------------------------------------------------------------------------

_HEAD: dict[str, Text] = {
    "ok": Text(zh="通过", en="ok"),
    "not_loaded": Text(zh="（未载入）", en="(not loaded)"),
    "findings": Text(zh="{n} 项问题", en="{n} finding(s)"),
    "warnings": Text(zh="{n} 项提示", en="{n} warning(s)"),
    "warning": Text(zh="提示", en="warning"),
    "coverage": Text(zh="列举项覆盖率", en="coverage of enumerated items"),
    "article": Text(zh="条", en="article"),
    "items": Text(zh="项数", en="items"),
    "cited": Text(zh="已引用", en="cited"),
    "declaratory": Text(zh="宣示性", en="declaratory"),
    "uncovered": Text(zh="未覆盖", en="uncovered"),
    "draft": Text(zh="拟新增文字（不与正式文本比对）", en="draft wording (not compared with the official text)"),
}


def _columns(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def render(reports: list[Report], lang: str = "en") -> str:
    """Findings and coverage tables, one block per rule set, in ``lang`` (zh or en)."""
    def w(key: str, **values: object) -> str:
        return _HEAD[key].get(lang).format(**values)

    colon = "：" if lang == "zh" else ": "
    lines = []
    for report in reports:
        status = w("ok") if report.ok else w("findings", n=len(report.findings))
        if report.warnings:
            status += ("，" if lang == "zh" else ", ") + w("warnings", n=len(report.warnings))
        lines.append(f"== {report.target}: {report.document or w('not_loaded')} — {status}")
        lines += [f"  {f.text(lang)}" for f in report.findings]
        lines += [f"  {w('warning')}{colon}{f.text(lang)}" for f in report.warnings]
        if report.drafts:
            lines.append(f"  {w('draft')}{colon}{', '.join(report.drafts)}")
        if not report.coverage:
            continue
        lines.append(f"  {w('coverage')}{colon}{report.percent:.1f}%")
        if lang != "zh":
            width = max(len(r.article) for r in report.coverage)
            lines.append(f"    {'article':<{width}}  items  cited  declaratory  uncovered")
            lines += [f"    {row.article:<{width}}  {row.items:>5}  {row.cited:>5}  {row.declaratory:>11}  {row.uncovered:>9}"
                      for row in report.coverage]
            continue
        width = max(_columns(r.article) for r in report.coverage)
        head = [w(k) for k in ("items", "cited", "declaratory", "uncovered")]
        lines.append(f"    {w('article')}{' ' * (width - _columns(w('article')))}  " + "  ".join(head))
        for row in report.coverage:
            cells = (row.items, row.cited, row.declaratory, row.uncovered)
            lines.append(f"    {row.article}{' ' * (width - _columns(row.article))}  "
                         + "  ".join(f"{c:>{_columns(h)}}" for c, h in zip(cells, head, strict=True)))
    return "\n".join(lines) + "\n"
