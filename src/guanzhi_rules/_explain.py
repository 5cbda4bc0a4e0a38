"""Explanation: why one rule did or did not apply to a case, condition by condition.

``explain()`` evaluates the case, then walks the rule's compiled condition tree: every node
with its three-valued result (True, False, or None for unknown), every leaf with the fact, the
operator, the value expected and the value read. ``use`` nodes show the named definition and
its tree; ``applies`` nodes show the standing of the rules they name, read from the
determination's trace. Beside the tree: the rule's result in the trace, the rules that defeated
it or that it defeated, and the facts that could change the outcome — unknown facts this rule
reads, set facts the case does not state (taken as empty), and the facts named by the
determination's open questions.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

import guanzhi_rules
from guanzhi_rules import _conditions as c
from guanzhi_rules._case import Case, case_sha256, parse_case
from guanzhi_rules._compiler import CompiledRule
from guanzhi_rules._determination import Change, DecisionSpace, Determination, FactValue, Fingerprints, fact_value
from guanzhi_rules._facts import FACTS, flatten
from guanzhi_rules._loader import load
from guanzhi_rules._pipeline import RuleResult, standing, unconditioned, unknown_facts
from guanzhi_rules._render import branch_text, sensitivity_lines
from guanzhi_rules._rulefile import Cited, Modality, Stage, Text
from guanzhi_rules._ruleset import RuleSet
from guanzhi_rules._words import (
    ACCOUNTABLE,
    EXEMPTION_OUTCOMES,
    MODALITIES,
    OPERATORS,
    RESULTS,
    STAGES,
    STANDINGS,
    TRUTH,
    WORDS,
    cite,
    show_value,
    where,
)

NodeKind = Literal["all", "any", "not", "use", "applies", "fact"]

class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Standing(_Model):
    """A rule named by an ``applies`` node, with its result in the trace and what that counts as."""

    rule_id: str
    result: RuleResult
    standing: bool | None
    citation: Cited


class Node(_Model):
    """One node of a condition tree and its three-valued result for the case."""

    kind: NodeKind
    value: bool | None
    """True, False, or None where the facts leave it unknown (Kleene logic)."""
    fact: str | None = None
    op: str | None = None
    expected: FactValue = None
    actual: FactValue = None
    """The value read from the case; None for an unknown fact."""
    defaulted: bool = False
    """A set fact the case does not state, read as empty."""
    name: str | None = None
    """The named definition of a ``use`` node."""
    rules: tuple[Standing, ...] = ()
    """The rules an ``applies`` node names."""
    parts: tuple[Node, ...] = ()


class RuleRef(_Model):
    """Another rule, as the explanation mentions it (a defeater or a rule defeated)."""

    rule_id: str
    label: Text
    citation: Cited
    result: RuleResult


class Explanation(_Model):
    """Why one rule did or did not apply to one case under one rule set."""

    jurisdiction: str
    case_id: str | None
    rule_id: str
    stage: Stage
    modality: Modality
    label: Text
    citation: Cited
    note: Text | None
    catch_all: bool
    attaches: str | None
    """For a consequence rule: when it attaches (always, accountable, exempted, measures)."""
    condition: Node | None
    """The condition tree; None for a catch-all or a rule without a condition."""
    condition_value: bool | None
    """What the condition alone gives: the root's value, True without a condition, None for a catch-all."""
    result: RuleResult
    reason: Text
    defeated_by: tuple[RuleRef, ...]
    defeats: tuple[RuleRef, ...]
    unknown_facts: tuple[str, ...]
    """Unknown facts read by this rule's condition (and by the undetermined rules it refers to)."""
    defaulted_facts: tuple[str, ...]
    """Set facts this rule reads that the case does not state, read as empty."""
    open_facts: tuple[str, ...]
    """Every fact the determination's open questions name, for the case as a whole."""
    sensitivity: tuple[Change, ...]
    """The determination's sensitivity on the facts this rule reads: each single change that would change the outcome."""
    decision_space: DecisionSpace | None
    """The determination's decision space, where the outcome hangs on a judgement not yet made."""
    fingerprints: Fingerprints

    def to_json(self, *, indent: int | None = 2) -> str:
        """Deterministic JSON in a fixed field order."""
        return self.model_dump_json(indent=indent)

    def to_text(self, lang: Literal["zh", "en"] = "zh") -> str:
        """The explanation as an indented tree, in Chinese or English."""
        return render(self, lang)


def explain(
    ruleset: RuleSet | str | Path, case: Case | Mapping[str, Any], rule_id: str, *, determination: Determination | None = None,
) -> Explanation:
    """Explain why ``rule_id`` did or did not apply to ``case`` under ``ruleset``.

    Args:
        ruleset: a rule set, a bundled key or a rule-file path.
        case: a ``Case``, or a mapping validated as one.
        rule_id: the rule to explain.
        determination: the determination already made for this case under this rule set, to
            save evaluating again (when explaining many rules); it must carry their fingerprints.

    Raises:
        KeyError: the rule set has no such rule (the message has a did-you-mean).
        ValueError: ``determination`` was made for another case or rule set.
        CaseError: the mapping is not a valid case.
        RuleSetError: a key or path names no loadable rule set.
    """
    rs = ruleset if isinstance(ruleset, RuleSet) else load(ruleset)
    rule = rs.rule(rule_id)
    parsed = parse_case(case)
    if determination is None:
        determination = rs.evaluate(parsed, sensitivity=True)
    else:
        fp = determination.fingerprints
        if fp.ruleset_sha256 != rs.sha256 or fp.case_sha256 != case_sha256(parsed):
            raise ValueError("the determination given was not made for this case under this rule set (fingerprints differ)")
    return _explain(rs, parsed, rule, determination)


def _explain(rs: RuleSet, case: Case, rule: CompiledRule, d: Determination) -> Explanation:
    steps = {s.rule_id: s for s in d.trace}
    facts: dict[str, Any] = flatten(case)
    facts.update({c.rule_key(rid): standing(s.result) for rid, s in steps.items()})
    stated = {f"{section}.{name}" for section in _SECTIONS for name in getattr(case, section).model_fields_set}
    reads = {p for part in (c.walk(rule.condition) if rule.condition is not None else ()) for p in part.paths}
    step = steps[rule.id]

    tree = _node(rule.condition, facts, stated, steps) if rule.condition is not None else None
    value = unconditioned(rule) if tree is None else tree.value

    unknown = unknown_facts(rule, facts, {rid: s.result for rid, s in steps.items()})
    defaulted = {part.spec.path for part in (c.walk(rule.condition) if rule.condition is not None else ())
                 if isinstance(part, c.Comparison) and part.spec.kind == "set" and part.spec.path not in stated}

    def ref(rid: str) -> RuleRef:
        other = rs.rule(rid)
        return RuleRef(rule_id=rid, label=other.rule.label, citation=other.cited, result=steps[rid].result)

    return Explanation(
        jurisdiction=d.jurisdiction.key,
        case_id=d.case_id,
        rule_id=rule.id,
        stage=rule.rule.stage,
        modality=rule.rule.modality,
        label=rule.rule.label,
        citation=rule.cited,
        note=rule.rule.note,
        catch_all=rule.rule.catch_all,
        attaches=rule.rule.attaches,
        condition=tree,
        condition_value=value,
        result=step.result,
        reason=_reason(rule, value, step.result, d),
        defeated_by=tuple(ref(r) for r in step.defeated_by),
        defeats=tuple(ref(r) for r in step.defeats),
        unknown_facts=unknown,
        defaulted_facts=tuple(sorted(defaulted)),
        open_facts=tuple(sorted({f for q in d.open_questions for f in q.unknown_facts})),
        sensitivity=tuple(c for c in d.sensitivity or () if c.fact in reads),
        decision_space=d.decision_space,
        fingerprints=d.fingerprints,
    )


_SECTIONS = tuple(dict.fromkeys(path.split(".")[0] for path in FACTS))


def _node(cond: c.Condition, facts: Mapping[str, Any], stated: set[str], steps: Mapping[str, Any]) -> Node:
    value = cond.test(facts)
    if isinstance(cond, c.All | c.Any_):
        kind: NodeKind = "all" if isinstance(cond, c.All) else "any"
        return Node(kind=kind, value=value, parts=tuple(_node(p, facts, stated, steps) for p in cond.parts))
    if isinstance(cond, c.Not):
        return Node(kind="not", value=value, parts=(_node(cond.part, facts, stated, steps),))
    if isinstance(cond, c.Use):
        return Node(kind="use", value=value, name=cond.name, parts=(_node(cond.target, facts, stated, steps),))
    if isinstance(cond, c.Applies):
        rules = tuple(
            Standing(rule_id=rid, result=steps[rid].result, standing=facts[c.rule_key(rid)], citation=steps[rid].citation)
            for rid in cond.rule_ids)
        return Node(kind="applies", value=value, rules=rules)
    assert isinstance(cond, c.Comparison)
    path = cond.spec.path
    actual = facts[path]
    return Node(kind="fact", value=value, fact=path, op=cond.op, expected=fact_value(cond.value), actual=fact_value(actual),
                defaulted=cond.spec.kind == "set" and path not in stated)


def _reason(rule: CompiledRule, value: bool | None, result: RuleResult, d: Determination) -> Text:
    r = rule.rule
    if r.catch_all and rule.condition is None:
        finding = RESULTS["not_evaluable"]
        return Text(zh=f"兜底条款（其他……情形）：不能仅凭事实适用，{finding.zh}",
                    en=f"A catch-all item (其他…情形): it never applies from facts alone and {finding.en}")
    if result == "not_reached":
        if d.scope.outcome == "not_covered":
            return Text(zh="本文件的适用范围不包括该对象，此后各阶段均未到达",
                        en="The document does not cover the subject, so this stage was never reached")
        return Text(zh="不予问责（免责或无问责情形），故未考虑问责方式",
                    en="No accountability follows (an exemption is granted, or no circumstance applies), "
                       "so the sanction range was not considered")
    if result == "defeated":
        return Text(zh="条件成立，但被其他规则排除", en="The condition holds, but another rule defeated this one")
    cond_zh = {True: "条件成立", False: "条件不成立", None: "条件取决于未知事实"}[value]
    cond_en = {True: "The condition holds", False: "The condition does not hold", None: "The condition depends on unknown facts"}[value]
    if r.stage == "consequence" and value is not False:
        gate = {
            "accountable": Text(zh=f"仅在{ACCOUNTABLE[True].zh}时适用", en="it attaches only where accountability follows"),
            "exempted": Text(zh=f"仅在{EXEMPTION_OUTCOMES['granted'].zh}时适用", en="it attaches only where an exemption is granted"),
            "measures": Text(zh="仅随所选（或所允许）的处理方式适用", en="it follows only the measures chosen (or permitted)"),
            "always": Text(zh="无附加前提", en="it has no further precondition"),
        }[r.attaches or "always"]
        if result == "applies":
            return Text(zh=f"{cond_zh}；{gate.zh}，本案满足", en=f"{cond_en}; {gate.en}, as here")
        if value is True and result == "undetermined":
            return Text(zh=f"{cond_zh}，但{gate.zh}，本案尚不能确定", en=f"{cond_en}, but {gate.en}, which is not yet known here")
        if value is True:
            return Text(zh=f"{cond_zh}，但{gate.zh}，本案不满足", en=f"{cond_en}, but {gate.en}, which is not the case here")
    if result == "applies":
        return Text(zh=f"{cond_zh}，且未被其他规则排除", en=f"{cond_en} and no rule defeated it")
    if result == "undetermined":
        undetermined = RESULTS["undetermined"]
        return Text(zh=f"{cond_zh}，{undetermined.zh}是否适用", en=f"{cond_en}, so whether it applies is {undetermined.en}")
    return Text(zh=cond_zh, en=cond_en)


# -- text -------------------------------------------------------------------------------------

def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "zh" else pair[1]


def _leaf(node: Node, lang: str) -> str:
    assert node.fact is not None and node.op is not None
    spec = FACTS[node.fact]
    actual = show_value(node.fact, node.actual, lang)
    if node.defaulted:
        actual += _pick(("（案件未载明，按无）", " (not stated: read as none)"), lang)
    if lang == "zh":
        return f"{spec.zh}（{node.fact}）{OPERATORS[node.op].zh} {show_value(node.fact, node.expected, lang)}；实际：{actual}"
    return f"{node.fact} {OPERATORS[node.op].en} {show_value(node.fact, node.expected, lang)} (read: {actual})"


def _label(node: Node, lang: str) -> str:
    if node.kind == "fact":
        return _leaf(node, lang)
    if node.kind == "all":
        return _pick(("以下全部成立", "all of"), lang)
    if node.kind == "any":
        return _pick(("以下至少一项成立", "any of"), lang)
    if node.kind == "not":
        return _pick(("以下不成立", "not"), lang)
    if node.kind == "use":
        return _pick((f"定义 {node.name}", f"definition {node.name}"), lang)
    return _pick(("以下规则之一成立", "one of these rules stands"), lang)


def _tree(node: Node, lang: str, prefix: str, last: bool, out: list[str]) -> None:
    mark = f"[{TRUTH[node.value].get(lang)}]"
    out.append(f"{prefix}{'└─ ' if last else '├─ '}{mark} {_label(node, lang)}")
    inner = prefix + ("   " if last else "│  ")
    if node.kind == "applies":
        shown = [s for s in node.rules if s.standing is not False]
        hidden = len(node.rules) - len(shown)
        for i, s in enumerate(shown):
            end = i == len(shown) - 1 and not hidden
            address = where(s.citation, part=False)
            out.append(f"{inner}{'└─ ' if end else '├─ '}[{STANDINGS[s.standing].get(lang)}] {s.rule_id} — "
                       f"{RESULTS[s.result].get(lang)} ({address})")
        if hidden:
            out.append(f"{inner}└─ " + _pick((f"其余{hidden}条规则不成立", f"{hidden} other rule(s) do not stand"), lang))
        return
    for i, part in enumerate(node.parts):
        _tree(part, lang, inner, i == len(node.parts) - 1, out)


def render(e: Explanation, lang: str) -> str:
    """Render ``e`` as an indented tree in ``lang`` ("zh" or "en")."""
    zh = lang == "zh"
    out = [f"{e.jurisdiction} · {e.rule_id} [{STAGES[e.stage].get(lang)} · {MODALITIES[e.modality].get(lang)}] {e.label.get(lang)}",
           f"  {cite(e.citation)}"]
    if e.case_id:
        out.append(("  案件：" if zh else "  Case: ") + e.case_id)
    out.append("")
    colon = "：" if zh else ": "
    out.append(f"{'结果' if zh else 'Result'}{colon}{RESULTS[e.result].get(lang)} — {e.reason.get(lang)}")
    if e.attaches:
        out.append(("  后果附随条件（attaches）：" if zh else "  Attaches: ") + e.attaches)

    out.append("")
    if e.catch_all:
        out.append(_pick(("条件：无（兜底条款）", "Condition: none (catch-all)"), lang))
    elif e.condition is None:
        out.append(_pick(("条件：无（该阶段到达即适用）", "Condition: none (applies whenever its stage is reached)"), lang))
    else:
        out.append(f"{'条件' if zh else 'Condition'}{colon}{TRUTH[e.condition_value].get(lang)}")
        _tree(e.condition, lang, "", True, out)

    def refs(title: tuple[str, str], items: tuple[RuleRef, ...]) -> None:
        if items:
            out.append("")
            out.append(_pick(title, lang) + colon.strip())
            for r in items:
                out.append(f"  - {r.rule_id} [{RESULTS[r.result].get(lang)}] {r.label.get(lang)}")
                out.append(f"    {cite(r.citation)}")

    refs(("被以下规则排除", "Defeated by"), e.defeated_by)
    refs(("排除以下规则", "Defeats"), e.defeats)

    none = WORDS["none"].get(lang)
    out.append("")
    out.append(_pick(("可能改变结论的事实", "Facts that could change the outcome"), lang) + colon.strip())
    unknown = ", ".join(e.unknown_facts) or none
    line = f"  {_pick(('本规则读取的未知事实', 'unknown facts this rule reads'), lang)}{colon}{unknown}"
    if e.unknown_facts and e.condition_value is not None:
        decided = ("（本规则的条件已确定，这些事实不改变其结论）", " (this rule's condition is already decided: they cannot change it)")
        line += _pick(decided, lang)
    out.append(line)
    defaulted = ", ".join(e.defaulted_facts) or none
    out.append(f"  {_pick(('案件未载明、按无处理的集合事实', 'set facts not stated, read as none'), lang)}{colon}{defaulted}")
    out.append(f"  {_pick(('全案待查事实', 'open questions of the whole case'), lang)}{colon}{', '.join(e.open_facts) or none}")
    changes = ("改变本规则所读事实即改变结论的情形", "changes of a fact this rule reads that change the outcome")
    out.append(f"  {_pick(changes, lang)}{colon}" + ("" if e.sensitivity else none))
    out += [f"    - {line}" for line in sensitivity_lines(e.sensitivity, lang)]
    if e.decision_space:
        out.append(f"  {_pick(('决策空间', 'decision space'), lang)}{colon}")
        out += [f"    - {branch_text(b, lang)}" for b in e.decision_space.branches]
    if e.note:
        out.append("")
        out.append(f"{_pick(('说明', 'Note'), lang)}{colon}{e.note.get(lang)}")
    return "\n".join(out) + "\n"


guanzhi_rules._present(__name__)  # the public names above read as guanzhi_rules.<name>
