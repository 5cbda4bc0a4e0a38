"""A rule set's rules and the parameters a proposal may change, as ``guanzhi rules KEY`` and the service list them.

A drafter who wants a longer freeze should not have to find ``art13.transfer`` and the path
``then.0.freeze.months`` in a YAML file inside site-packages. ``editable_parameters(ruleset)`` lists
every rule (id, article, stage, modality, label) with the values an overlay's ``set:`` can change,
each named exactly as a ``set:`` entry names it (``rule`` or ``define``, ``path``, current ``value``),
so a listed parameter is turned into a proposal by writing a new value next to it:

- a rule's modality;
- each effect's parameter: a freeze's months (or its length, where no months are fixed) and
  restriction, a band's measures, a factor, the awards, grades and statuses, a deadline's count;
- each condition's items: the codes of ``in`` / ``has`` / ``has_any`` / ``has_all``, the value of
  ``is`` / ``at_least`` / ``at_most``, and alternatives (``any``) listing fact names, in the rule's
  ``when`` and in the named conditions (``define:``) the rules use.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from guanzhi_rules import _words
from guanzhi_rules._facts import FACTS
from guanzhi_rules._rulefile import Cited, Modality, Rule, Stage, Text
from guanzhi_rules._ruleset import RuleSet
from guanzhi_rules._yaml import json_default

ParameterKind = Literal["modality", "months", "length", "restriction", "measures", "factor", "awards", "annual_grade",
                        "status", "deadline", "items", "value", "alternatives"]
"""What a parameter is: it says which form edits it."""

_ITEM_OPERATORS = ("in", "has", "has_any", "has_all")
_VALUE_OPERATORS = ("is", "at_least", "at_most")

_KINDS: dict[str, Text] = {
    "modality": Text(zh="适用方式（应当、可以……）", en="modality (shall, may …)"),
    "months": Text(zh="影响期（月）", en="length of the freeze (months)"),
    "length": Text(zh="影响期长度", en="length of the freeze"),
    "restriction": Text(zh="限制的事项", en="what is restricted"),
    "measures": Text(zh="问责方式", en="measures"),
    "factor": Text(zh="从重、从轻或减轻", en="heavier, lighter or reduced"),
    "awards": Text(zh="评优评先", en="awards"),
    "annual_grade": Text(zh="年度考核等次", en="annual grade"),
    "status": Text(zh="身份和待遇", en="status"),
    "deadline": Text(zh="期限（天数）", en="time limit (count of days)"),
    "items": Text(zh="条件所列的项", en="items the condition lists"),
    "value": Text(zh="条件比较的值", en="value the condition compares with"),
    "alternatives": Text(zh="条件所列的情形（任一即可）", en="alternatives the condition lists (any one)"),
}


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Parameter(_Out):
    """One value an overlay's ``set:`` entry can change: ``{rule: …, path: …, value: NEW}`` (or ``define:``)."""

    rule: str | None
    define: str | None
    path: str | None
    """Dot-separated keys and list indexes inside the rule (or named condition), as ``set:`` takes it."""
    kind: ParameterKind
    value: Any
    """The current value, as the rule file writes it."""
    fact: str | None = None
    """For a condition's items or value: the fact it reads."""
    label: Text
    """What the parameter is, in words."""


class RuleEntry(_Out):
    """One rule of a rule set with its editable parameters."""

    id: str
    article: str
    """Where its citation points (``第十三条``, ``[jiangsu] 第八条（七）``)."""
    stage: Stage
    modality: Modality
    label: Text
    citation: Cited
    uses: tuple[str, ...]
    """Named conditions its condition uses (their parameters are listed under ``definitions``)."""
    parameters: tuple[Parameter, ...]


class RuleListing(_Out):
    """A rule set's rules in file order, each with its parameters, and the parameters of its named conditions."""

    key: str
    title: str
    rules: tuple[RuleEntry, ...]
    definitions: tuple[Parameter, ...]

    def to_json(self, *, indent: int | None = 2) -> str:
        return self.model_dump_json(indent=indent)

    def to_text(self, lang: Literal["zh", "en"] = "zh") -> str:
        """One block per rule: id, article, stage, modality and label, then ``path = value`` per parameter."""
        return render_listing(self, lang)


def _plain(value: Any) -> Any:
    return json.loads(json.dumps(value, default=json_default, ensure_ascii=False))


def _condition(node: Any, path: str) -> Iterator[tuple[str, ParameterKind, Any, str | None]]:
    """(path, kind, value, fact) of every editable part of a raw condition."""
    if isinstance(node, dict):
        fact = node.get("fact")
        for op in _ITEM_OPERATORS:
            if op in node and isinstance(node[op], list):
                yield f"{path}.{op}", "items", node[op], fact
        for op in _VALUE_OPERATORS:
            if op in node:
                yield f"{path}.{op}", "value", node[op], fact
        for op in ("all", "any"):
            parts = node.get(op)
            if isinstance(parts, list):
                if op == "any" and parts and all(isinstance(p, str) for p in parts):
                    yield f"{path}.{op}", "alternatives", parts, None
                    continue
                for i, part in enumerate(parts):
                    yield from _condition(part, f"{path}.{op}.{i}")
        if "not" in node:
            yield from _condition(node["not"], f"{path}.not")


def _uses(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        if isinstance(node.get("use"), str):
            yield node["use"]
        for value in node.values():
            yield from _uses(value)
    elif isinstance(node, list):
        for value in node:
            yield from _uses(value)


def _effects(rule: dict[str, Any]) -> Iterator[tuple[str, ParameterKind, Any]]:
    for i, effect in enumerate(rule.get("then", ())):
        at = f"then.{i}"
        freeze = effect.get("freeze")
        if freeze is not None:
            if freeze.get("months") is not None:
                yield f"{at}.freeze.months", "months", freeze["months"]
            elif freeze.get("until") is None:
                yield f"{at}.freeze.length", "length", freeze.get("length", "fixed")
            yield f"{at}.freeze.restriction", "restriction", freeze["restriction"]
        for key in ("measures", "factor", "awards", "annual_grade", "status"):
            if effect.get(key) is not None:
                yield f"{at}.{key}", key, effect[key]
        if effect.get("deadline") is not None:
            yield f"{at}.deadline.count", "deadline", effect["deadline"]["count"]


def _parameter(kind: ParameterKind, value: Any, *, rule: str | None = None, define: str | None = None, path: str | None = None,
               fact: str | None = None) -> Parameter:
    return Parameter(rule=rule, define=define, path=path, kind=kind, value=value, fact=fact, label=_KINDS[kind])


def _entry(rule: Rule) -> RuleEntry:
    data = _plain(rule.model_dump(mode="json"))
    params = [_parameter("modality", rule.modality, rule=rule.id, path="modality")]
    params += [_parameter(kind, value, rule=rule.id, path=path) for path, kind, value in _effects(data)]
    params += [_parameter(kind, value, rule=rule.id, path=path, fact=fact)
               for path, kind, value, fact in _condition(data.get("when"), "when")]
    return RuleEntry(id=rule.id, article=_words.where(rule.citation), stage=rule.stage, modality=rule.modality, label=rule.label,
                     citation=Cited.of(rule.citation), uses=tuple(dict.fromkeys(_uses(data.get("when")))), parameters=tuple(params))


def editable_parameters(ruleset: RuleSet) -> RuleListing:
    """Every rule of ``ruleset`` with the parameters an overlay's ``set:`` can change (see the module docstring)."""
    definitions = []
    for name, condition in ruleset.file.define.items():
        raw = _plain(condition)
        for path, kind, value, fact in _condition(raw, ""):
            definitions.append(_parameter(kind, value, define=name, path=path.lstrip(".") or None, fact=fact))
    return RuleListing(key=ruleset.key, title=ruleset.file.document.title, rules=tuple(_entry(r.rule) for r in ruleset),
                       definitions=tuple(definitions))


def _shown(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value


def _comment(p: Parameter, lang: str) -> str:
    """What a parameter is; for a condition's part, the fact it reads and its value in words."""
    if p.fact is None or p.fact not in FACTS:
        return p.label.get(lang)
    spec = FACTS[p.fact]
    words = _words.show_value(p.fact, p.value, lang) if p.kind == "items" or spec.kind != "bool" else _shown(p.value)
    colon = "：" if lang == "zh" else ": "
    return f"{p.label.get(lang)}{colon}{spec.label(lang)}" + (f"（{words}）" if lang == "zh" and words != _shown(p.value) else "")


_HEAD = {"rules": Text(zh="条规则", en="rules"), "definitions": Text(zh="命名条件的参数", en="Parameters of named conditions"),
         "uses": Text(zh="使用命名条件", en="uses"),
         "how": Text(zh="修改参数：在修改稿（overlay）的 set: 中写 {rule: 规则, path: 路径, value: 新值}",
                     en="To change a parameter, write {rule: RULE, path: PATH, value: NEW} under set: in an overlay")}


def render_listing(listing: RuleListing, lang: str) -> str:
    """``guanzhi rules KEY`` as text."""
    lines = [f"{listing.title} ({listing.key}) — {len(listing.rules)} {_HEAD['rules'].get(lang)}", _HEAD["how"].get(lang), ""]
    for entry in listing.rules:
        stage, modality = _words.STAGES[entry.stage].get(lang), _words.MODALITIES[entry.modality].get(lang)
        lines.append(f"{entry.id}  {entry.article}  {stage}  {modality}  {entry.label.get(lang)}")
        for p in entry.parameters:
            if p.kind != "modality":
                lines.append(f"    {p.path} = {_shown(p.value)}    # {_comment(p, lang)}")
        if entry.uses:
            lines.append(f"    {_HEAD['uses'].get(lang)}: {', '.join(entry.uses)}")
    if listing.definitions:
        lines += ["", _HEAD["definitions"].get(lang)]
        lines += [f"    {p.define}{'.' + p.path if p.path else ''} = {_shown(p.value)}    # {_comment(p, lang)}"
                  for p in listing.definitions]
    return "\n".join(lines) + "\n"
