"""Renderings of a ``DiffReport``: readable text, and one self-contained HTML page, drawn from one view.

``view(report, lang)`` turns the report into what a reader sees, in one language: the two rule sets
by name, the counts, the directions and the before → after transitions (band, exemption, freezes),
the rules behind the changes with what was edited, and each example's differing lines worded as
``guanzhi evaluate`` words them. ``render_text`` and ``render_html`` only lay that view out, so the
two never say different things. Codes never reach the reader: measures, stages, outcomes and facts
are shown by their labels, freezes as 不得提拔 12个月, generated cases as 生成案例 第2397号. Fingerprints
(SHA-256) are kept for auditors in a collapsed section of the page, and out of the text.

The HTML page is meant to be sent as an attachment: one file, inline CSS and inline SVG charts, no
scripts, no fonts, images or styles fetched from anywhere. Every piece of text in it, rule labels
and case ids included, is escaped with ``html.escape``.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from html import escape
from typing import TYPE_CHECKING, Any

from guanzhi_rules._facts import FACTS
from guanzhi_rules._outcome import item_line
from guanzhi_rules._render import _HEADINGS, consequence_text
from guanzhi_rules._vocab import Measure
from guanzhi_rules._words import (
    ACCOUNTABLE,
    EXEMPTION_OUTCOMES,
    MODALITIES,
    RESULTS,
    SCOPE_OUTCOMES,
    STAGES,
    WORDS,
    cite,
    show_value,
)

if TYPE_CHECKING:
    from guanzhi_rules._determination import Determination, TraceStep
    from guanzhi_rules._diff import DiffReport, Example, FieldChange, RuleEdit, RuleImpact, RuleSetSummary, Transition

_DIRECTIONS: dict[str, tuple[str, str, str]] = {
    "scope_changed": ("适用范围改变", "scope changed", "neutral"),
    "newly_exempt": ("新获免责", "newly exempt", "lenient"),
    "newly_barred": ("新被排除免责", "newly barred from exemption", "strict"),
    "harsher": ("问责方式更重", "harsher measures", "strict"),
    "lighter": ("问责方式更轻", "lighter measures", "lenient"),
    "stricter": ("更严（影响期延长或新增）", "stricter (a longer or added freeze)", "strict"),
    "more_lenient": ("更宽（影响期缩短或取消）", "more lenient (a shorter or removed freeze)", "lenient"),
    "statement_only": ("仅表述不同（决定未变）", "wording only (same decision)", "quiet"),
    "other": ("其他变化", "other changes", "neutral"),
}
"""Each direction's label and its tone on the charts (stricter red, more lenient green, wording grey)."""

_TONES = {"strict": "#c0392b", "lenient": "#2e8b57", "neutral": "#2c6fad", "quiet": "#9a9a9a"}

_FIELDS: dict[str, tuple[str, str]] = {
    "scope": ("适用范围", "scope"),
    "exemption": ("容错免责", "exemption"),
    "accountable": ("是否问责", "accountability"),
    "measures": ("问责方式范围", "sanction range"),
    "consequences": ("处理后果", "consequences"),
    "applied": ("适用的规则", "rules applied"),
}
_DIMENSIONS: dict[str, tuple[str, str]] = {
    "band": ("问责方式范围：修改前 → 修改后", "Sanction range: before → after"),
    "exemption": ("容错免责：修改前 → 修改后", "Exemption: before → after"),
    "freeze": ("影响期：修改前 → 修改后（仅影响期有变化的案件）", "Freezes: before → after (cases whose freezes differ)"),
}
_RESTRICTIONS: dict[str, tuple[str, str]] = {
    "promotion": ("不得提拔", "no promotion"),
    "equivalent_post": ("不得担任相当职务", "no equivalent post"),
    "higher_post": ("不得担任高于原职务层次的职务", "no higher post"),
    "any_post": ("不安排职务", "no post"),
    "related_post": ("不得担任相关联职务", "no related post"),
}
_WORDS: dict[str, tuple[str, str]] = {
    "title": ("规则修改影响分析", "Impact of a rule change"),
    "base": ("现行规则", "Rules in force"),
    "changed": ("修改后规则", "Proposed rules"),
    "before": ("修改前", "before"),
    "after": ("修改后", "after"),
    "cases": ("分析的案件", "Cases analysed"),
    "changed_cases": ("结果有变化的案件", "Cases whose result changes"),
    "decision_changed": ("决定有变化的案件", "Cases whose decision changes"),
    "statement_note": ("其余 {n} 件只是表述或适用的规则不同，决定（适用范围、免责、是否问责、问责方式、后果）未变",
                       "the other {n} differ only in wording or in the rules applied: the decision (scope, exemption, "
                       "accountability, range, consequences) is the same"),
    "no_change": ("没有案件的结果发生变化", "No case's result changes"),
    "by_direction": ("变化方向", "Directions of change"),
    "transitions": ("修改前后对照", "Before and after"),
    "unchanged": ("（未变）", " (unchanged)"),
    "by_rule": ("引起变化的规则", "Rules behind the changes"),
    "examples": ("示例（事实最少的案件）", "Examples (the cases with the fewest facts)"),
    "rule": ("规则", "Rule"),
    "citation": ("依据", "Citation"),
    "n_cases": ("案件数", "Cases"),
    "how": ("适用情况", "How"),
    "now": ("新适用 {n} 件", "now applies in {n}"),
    "lost": ("不再适用 {n} 件", "no longer applies in {n}"),
    "modified": ("修改后适用 {n} 件", "applies as modified in {n}"),
    "added": ("新增", "added"),
    "removed": ("删除", "removed"),
    "edited": ("修改", "modified"),
    "edits": ("修改内容", "What changed"),
    "direction": ("变化方向", "Direction"),
    "what_changed": ("结果的变化", "What changes"),
    "field": ("项目", "Item"),
    "rules_steps": ("适用情况有变化的规则", "Rules whose result changes"),
    "differing": ("认定书中不同的部分（不同的行已标出）", "Where the determinations differ (differing lines marked)"),
    "case_facts": ("案件事实", "Case facts"),
    "fact": ("事实", "Fact"),
    "value": ("值", "Value"),
    "fingerprints": ("指纹（供核验）", "Fingerprints (for auditors)"),
    "sha": ("规则集 SHA-256", "Rule set SHA-256"),
    "proposal": ("修改稿", "Proposal"),
    "case_no": ("生成案例 第{n}号", "generated case #{n}"),
    "case_at": ("第{n}件案件", "case #{n}"),
    "facts_known": ("{n} 项已知事实", "{n} facts known"),
    "cases_unit": ("{n} 件", "{n}"),
    "general": ("一般后果", "general"),
    "no_measure": ("无问责方式", "no measure"),
    "no_freeze": ("无影响期", "no freeze"),
    "months": ("{n}个月", "{n} months"),
    "rectification": ("直至整改到位", "until rectified"),
    "not_fixed": ("期限未定", "length not fixed"),
    "indefinite": ("不设期限", "no time limit"),
    "range_to": ("{a}至{b}", "{a} to {b}"),
    "label": ("名称", "label"),
    "freeze_months": ("影响期", "freeze"),
    "modality": ("适用方式", "modality"),
    "measures": ("问责方式", "measures"),
    "condition": ("条件", "condition"),
    "quote": ("依据", "citation"),
    "none": ("无", "none"),
}
_MEASURES = {m.value: m for m in Measure}
_GENERATED = re.compile(r"generated-\d+-(?:k[0-9.e+-]+-)?(\d+)")
_SKIPPED = ("trace", "fingerprints", "open")
"""Sections of a determination left out of an example's comparison: the trace and the fingerprints have their own
place, and open questions name facts by their codes."""


def _w(key: str, lang: str, **values: object) -> str:
    pair = _WORDS.get(key)
    text = WORDS[key].get(lang) if pair is None else pair[0] if lang == "zh" else pair[1]
    return text.format(**values) if values else text


def _direction(name: str, lang: str) -> str:
    zh, en, _ = _DIRECTIONS[name]
    return zh if lang == "zh" else en


def _field(name: str, lang: str) -> str:
    return _FIELDS[name][0 if lang == "zh" else 1]


def _measure(code: str, lang: str) -> str:
    """A measure's label; ``general`` (a freeze no measure carries, ``_outcome.item_line``) as 一般后果."""
    return _MEASURES[code].label(lang) if code in _MEASURES else _w("general", lang) if code == "general" else code


def _sep(lang: str) -> str:
    return "、" if lang == "zh" else ", "


def case_name(case_id: str | None, index: int, lang: str) -> str:
    """A case as a reader names it: 生成案例 第2397号 for a generated case, its own id otherwise."""
    if case_id is None:
        return _w("case_at", lang, n=index + 1)
    match = _GENERATED.fullmatch(case_id)
    return _w("case_no", lang, n=match.group(1)) if match else case_id


def _length(length: str, lang: str) -> str:
    return _w("months", lang, n=length) if length.isdigit() else _w(length, lang)


def _freezes(value: str, lang: str) -> str:
    if value == "none":
        return _w("no_freeze", lang)
    parts = []
    for entry in value.split(";"):
        measure, restriction, length = entry.split(":")
        what = _RESTRICTIONS.get(restriction, (restriction, restriction))[0 if lang == "zh" else 1]
        parts.append(f"{_measure(measure, lang)}{'：' if lang == 'zh' else ': '}{what} {_length(length, lang)}")
    return "；".join(parts) if lang == "zh" else "; ".join(parts)


def transition_value(dimension: str, value: str, lang: str) -> str:
    """A ``Transition`` value in words: a range of measures, an exemption outcome, freezes."""
    if dimension == "band":
        if value == "none":
            return _w("no_measure", lang)
        ends = [_measure(m, lang) for m in value.split("~")]
        return ends[0] if len(ends) == 1 else _w("range_to", lang, a=ends[0], b=ends[1])
    if dimension == "exemption":
        return EXEMPTION_OUTCOMES[value].get(lang) if value in EXEMPTION_OUTCOMES else value
    return _freezes(value, lang)


def _shown(value: Any, lang: str) -> str:
    if isinstance(value, list):
        return _sep(lang).join(_shown(v, lang) for v in value) or _w("none", lang)
    if isinstance(value, str) and value in _MEASURES:
        return _measure(value, lang)
    return str(value)


def edit_text(edit: RuleEdit, lang: str) -> str:
    """One edit of a rule in words: 影响期 12个月 → 24个月, 名称 一年内… → 两年内…, or the path for anything else."""
    path = edit.path
    colon = "：" if lang == "zh" else ": "
    if path.endswith(".freeze.months") and all(isinstance(v, int) for v in (edit.base, edit.changed)):
        return f"{_w('freeze_months', lang)} {_w('months', lang, n=edit.base)} → {_w('months', lang, n=edit.changed)}"
    if path == f"label.{lang}":
        return f"{_w('label', lang)}{colon}{edit.base} → {edit.changed}"
    if path.startswith("label."):
        return ""
    if path == "modality":
        return f"{_w('modality', lang)}{colon}{MODALITIES[edit.base].get(lang)} → {MODALITIES[edit.changed].get(lang)}"
    if path.endswith(".measures"):
        return f"{_w('measures', lang)}{colon}{_shown(edit.base or [], lang)} → {_shown(edit.changed or [], lang)}"
    if path.startswith("citation."):
        return f"{_w('quote', lang)}{colon}{edit.base} → {edit.changed}" if path.endswith(("quote", "draft")) else ""
    if path.startswith("when"):
        return f"{_w('condition', lang)}{colon}{path}：{_shown(edit.base, lang)} → {_shown(edit.changed, lang)}"
    return f"{path}{colon}{_shown(edit.base, lang)} → {_shown(edit.changed, lang)}"


# -- the view -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Bar:
    name: str
    label: str
    cases: int
    tone: str


@dataclass(frozen=True)
class Matrix:
    """Counts of (before, after) pairs of one dimension; ``rows`` and ``columns`` are labels."""

    dimension: str
    title: str
    rows: list[str]
    columns: list[str]
    cells: dict[tuple[int, int], int]
    changes: list[tuple[str, str, int]]
    """The pairs that differ, most cases first: the list a text report shows."""


@dataclass(frozen=True)
class RuleView:
    rule_id: str
    label: str
    stage: str
    status: str
    edits: list[str]
    citation: str
    cases: int
    how: str
    directions: str


@dataclass(frozen=True)
class Line:
    text: str
    differs: bool


@dataclass(frozen=True)
class SectionPair:
    title: str
    base: list[Line]
    changed: list[Line]


@dataclass(frozen=True)
class ExampleView:
    title: str
    direction: str
    tone: str
    changes: list[tuple[str, str, str]]
    steps: list[tuple[str, str, str]]
    sections: list[SectionPair]
    facts: list[tuple[str, str]]


@dataclass(frozen=True)
class View:
    """What a reader of a ``DiffReport`` sees, in one language; ``render_text`` and ``render_html`` lay it out."""

    lang: str
    title: str
    sides: list[tuple[str, str]]
    summary: list[tuple[str, str]]
    note: str | None
    bars: list[Bar]
    matrices: list[Matrix]
    rules: list[RuleView]
    examples: list[ExampleView]
    fingerprints: list[tuple[str, str, str]] = field(default_factory=list)


def _side(summary: RuleSetSummary, lang: str) -> str:
    return summary.title + "".join(f" + {o.get(lang)}" for o in summary.overlays)


def view(report: DiffReport, lang: str) -> View:
    """The report as a reader sees it in ``lang``."""
    percent = f"{100 * report.changed_cases / report.cases:.2f}%" if report.cases else ""
    share = (f"（{percent}）" if lang == "zh" else f" ({percent})") if percent else ""
    summary = [(_w("cases", lang), str(report.cases)),
               (_w("changed_cases", lang), f"{report.changed_cases}{share}"),
               (_w("decision_changed", lang), str(report.decision_changed))]
    rest = report.changed_cases - report.decision_changed
    labels = {r.rule_id: r.label.get(lang) for r in report.rules}
    title = _w("title", lang) + ("：" if lang == "zh" else ": ") + "".join(o.get(lang) for o in report.changed.overlays[-1:]) \
        if report.changed.overlays else _w("title", lang)
    return View(
        lang=lang, title=title,
        sides=[(_w("base", lang), _side(report.base, lang)), (_w("changed", lang), _side(report.changed, lang))],
        summary=summary, note=_w("statement_note", lang, n=rest) if rest else None,
        bars=[Bar(c.name, _direction(c.name, lang), c.cases, _DIRECTIONS[c.name][2]) for c in report.directions if c.cases],
        matrices=_matrices(report.transitions, lang),
        rules=[_rule_view(r, lang) for r in report.rules],
        examples=[_example_view(e, labels, lang) for e in report.examples],
        fingerprints=[(_w(side, lang), s.key + "".join(f" + {o.get(lang)}" for o in s.overlays), s.sha256)
                      for side, s in (("base", report.base), ("changed", report.changed))])


def _matrices(transitions: tuple[Transition, ...], lang: str) -> list[Matrix]:
    out = []
    for dimension in ("band", "exemption", "freeze"):
        pairs = [t for t in transitions if t.dimension == dimension]
        if not pairs or (dimension != "freeze" and all(t.base == t.changed for t in pairs)):
            continue  # nothing moved along this dimension: no chart of a diagonal
        totals: dict[str, int] = {}
        for t in pairs:
            totals[t.base] = totals.get(t.base, 0) + t.cases
            totals[t.changed] = totals.get(t.changed, 0) + t.cases
        rows = sorted({t.base for t in pairs}, key=lambda v: (-totals[v], v))
        columns = sorted({t.changed for t in pairs}, key=lambda v: (-totals[v], v))
        cells = {(rows.index(t.base), columns.index(t.changed)): t.cases for t in pairs}
        changes = [(*_pair(dimension, t.base, t.changed, lang), t.cases) for t in pairs if t.base != t.changed]
        out.append(Matrix(dimension, _DIMENSIONS[dimension][0 if lang == "zh" else 1],
                          [transition_value(dimension, v, lang) for v in rows], [transition_value(dimension, v, lang) for v in columns],
                          cells, changes))
    return out


def _pair(dimension: str, base: str, changed: str, lang: str) -> tuple[str, str]:
    """Both sides of a transition in words; one freeze lengthened or shortened reads 调离岗位：不得提拔 12个月 → 24个月."""
    if dimension == "freeze" and ";" not in base + changed and "none" not in (base, changed):
        (m, r, _), (n, q, b) = base.split(":"), changed.split(":")
        if (m, r) == (n, q):
            return transition_value(dimension, base, lang), _length(b, lang)
    return transition_value(dimension, base, lang), transition_value(dimension, changed, lang)


def _rule_view(impact: RuleImpact, lang: str) -> RuleView:
    status = "edited" if impact.modified else "added" if not impact.in_base else "removed" if not impact.in_changed else ""
    how = [_w(k, lang, n=n) for k, n in (("now", impact.now_applies), ("lost", impact.no_longer_applies),
                                          ("modified", impact.applies_modified)) if n]
    return RuleView(
        rule_id=impact.rule_id, label=impact.label.get(lang), stage=STAGES[impact.stage].get(lang),
        status=_w(status, lang) if status else "",
        edits=[t for e in impact.edits if (t := edit_text(e, lang))], citation=cite(impact.citation), cases=impact.cases,
        how=("；" if lang == "zh" else "; ").join(how),
        directions=("；" if lang == "zh" else "; ").join(f"{_direction(c.name, lang)} {c.cases}" for c in impact.directions))


def _consequence_words(d: Determination, lang: str) -> dict[str, str]:
    """Each canonical consequence line of ``d`` (``_outcome.item_line``) worded as ``evaluate`` words it."""
    words = {}
    for m in d.consequences:
        for item in m.items:
            words[item_line(m.measure, item)] = f"{_measure(m.measure, lang)}{'：' if lang == 'zh' else ': '}{consequence_text(item, lang)}"
    for item in d.general_consequences:
        words[item_line("", item)] = f"{_w('general', lang)}{'：' if lang == 'zh' else ': '}{consequence_text(item, lang)}"
    return words


def _values(change: FieldChange, side: tuple[str, ...], d: Determination, labels: dict[str, str], lang: str) -> str:
    if change.field == "measures":
        return _sep(lang).join(_measure(m, lang) for m in side) or _w("no_measure", lang)
    if change.field == "consequences":
        words = _consequence_words(d, lang)
        return "；".join(words.get(x, x) for x in side) if side else _w("none", lang)
    if change.field == "applied":
        return _sep(lang).join(f"{labels[r]}（{r}）" if r in labels else r for r in side) or _w("none", lang)
    value = side[0] if side else ""
    table = {"scope": SCOPE_OUTCOMES, "exemption": EXEMPTION_OUTCOMES}.get(change.field)
    if table is not None:
        return table[value].get(lang) if value in table else value
    if change.field == "accountable":
        return ACCOUNTABLE[{"true": True, "false": False}.get(value)].get(lang)
    return value


def _step_result(step: TraceStep | None, lang: str) -> str:
    return RESULTS[step.result].get(lang) if step is not None else ("（无此规则）" if lang == "zh" else "(no such rule)")


def _sections(text: str, lang: str) -> dict[str, list[str]]:
    """A determination's text by section title, without the lines that list facts by their codes."""
    facts = WORDS["facts"].get(lang) + ":"
    sections: dict[str, list[str]] = {}
    current = ""
    for line in text.splitlines():
        heading = re.fullmatch(r"\d+\. (.+)", line)
        if heading:
            current = heading.group(1)
            sections[current] = []
        elif current and line.strip() and not line.strip().startswith(facts):
            sections[current].append(line)
    return sections


def _skipped(lang: str) -> set[str]:
    return {_HEADINGS[k].get(lang) for k in _SKIPPED}


def _compare(base: Determination, changed: Determination, lang: str) -> list[SectionPair]:
    left, right = _sections(base.to_text(lang), lang), _sections(changed.to_text(lang), lang)  # type: ignore[arg-type]
    skipped = _skipped(lang)
    pairs = []
    for title in [*right, *(t for t in left if t not in right)]:
        a, b = left.get(title, []), right.get(title, [])
        if a == b or title in skipped:
            continue
        left_lines, right_lines = marked(a, b)
        pairs.append(SectionPair(title, left_lines, right_lines))
    return pairs


def marked(a: list[str], b: list[str]) -> tuple[list[Line], list[Line]]:
    """Two texts' lines, each marked where it is not in their longest matching blocks (a line diff)."""
    marks_a, marks_b = [True] * len(a), [True] * len(b)
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            marks_a[i1:i2] = [False] * (i2 - i1)
            marks_b[j1:j2] = [False] * (j2 - j1)
    return ([Line(t, m) for t, m in zip(a, marks_a, strict=True)], [Line(t, m) for t, m in zip(b, marks_b, strict=True)])


def _facts(case: dict[str, Any], lang: str) -> list[tuple[str, str]]:
    rows = []
    for section, values in case.items():
        if not isinstance(values, dict):
            continue
        for name, value in values.items():
            path = f"{section}.{name}"
            if path in FACTS:
                rows.append((FACTS[path].label(lang), show_value(path, value, lang)))
    return rows


def _example_view(example: Example, labels: dict[str, str], lang: str) -> ExampleView:
    name = case_name(example.case_id, example.index, lang)
    changes = [(_field(c.field, lang), _values(c, c.base, example.base, labels, lang), _values(c, c.changed, example.changed, labels, lang))
               for c in example.fields if c.field != "applied"]
    steps = [(f"{labels.get(s.rule_id, s.rule_id)}（{s.rule_id}）" if lang == "zh" else f"{labels.get(s.rule_id, s.rule_id)} ({s.rule_id})",
              _step_result(s.base, lang), _step_result(s.changed, lang)) for s in example.steps]
    return ExampleView(
        title=f"{name}（{_w('facts_known', lang, n=example.facts_present)}）" if lang == "zh"
        else f"{name} ({_w('facts_known', lang, n=example.facts_present)})",
        direction=_direction(example.direction, lang), tone=_DIRECTIONS[example.direction][2], changes=changes, steps=steps,
        sections=_compare(example.base, example.changed, lang), facts=_facts(example.case, lang))


# -- text -----------------------------------------------------------------------------------------

def _pad(text: str, width: int) -> str:
    """``text`` padded to ``width`` terminal columns (CJK characters take two)."""
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - used)


def render_text(report: DiffReport, lang: str) -> str:
    """The report as text in ``lang``."""
    v = view(report, lang)
    colon = "：" if lang == "zh" else ": "
    out = [v.title, *(f"  {label}{colon}{name}" for label, name in v.sides), ""]
    out.append("    ".join(f"{label}{colon}{value}" for label, value in v.summary))
    if v.note:
        out.append(f"  （{v.note}）" if lang == "zh" else f"  ({v.note})")
    if not v.bars:
        out += ["", _w("no_change", lang)]
        return "\n".join(out) + "\n"
    out += ["", _w("by_direction", lang)]
    top = max(b.cases for b in v.bars)
    out += [f"  {_pad(b.label, 28)}{b.cases:>8}  {'█' * max(1, round(24 * b.cases / top))}" for b in v.bars]
    for m in v.matrices:
        if m.changes:
            out += ["", m.title]
            out += [f"  {a} → {b}{colon}{_w('cases_unit', lang, n=n)}" for a, b, n in m.changes]
    if v.rules:
        out += ["", _w("by_rule", lang)]
    for r in v.rules:
        status = f"【{r.status}】" if r.status and lang == "zh" else f"[{r.status}] " if r.status else ""
        out.append(f"  {status}{r.label}（{r.rule_id}，{r.stage}）" if lang == "zh" else f"  {status}{r.label} ({r.rule_id}, {r.stage})")
        out += [f"     {e}" for e in r.edits]
        out.append(f"     {r.citation}")
        directions = f"（{r.directions}）" if lang == "zh" else f" ({r.directions})"
        out.append(f"     {_w('cases_unit', lang, n=r.cases)}{colon}{r.how}{directions}")
    if v.examples:
        out += ["", _w("examples", lang)]
    for e in v.examples:
        out.append(f"  [{e.direction}] {e.title}")
        out += [f"     {f}{colon}{a} → {b}" for f, a, b in e.changes]
        if e.steps:
            out.append(f"     {_w('rules_steps', lang)}{colon}" + ("；" if lang == "zh" else "; ").join(
                f"{r} {a} → {b}" for r, a, b in e.steps[:8]) + (" …" if len(e.steps) > 8 else ""))
        for s in e.sections:
            out.append(f"     〔{s.title}〕" if lang == "zh" else f"     [{s.title}]")
            out += [f"       − {line.text.strip()}" for line in s.base if line.differs]
            out += [f"       + {line.text.strip()}" for line in s.changed if line.differs]
    return "\n".join(out) + "\n"


# -- HTML -----------------------------------------------------------------------------------------

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","Microsoft YaHei",sans-serif;
margin:2em auto;color:#1b1b1b;max-width:1200px;padding:0 1.5em;line-height:1.5}
h1{font-size:1.45em;margin-bottom:.2em}h2{font-size:1.15em;margin-top:2em;border-bottom:1px solid #ddd;padding-bottom:.2em}
h3{font-size:1.02em;margin:1.6em 0 .4em}
.sides{color:#444;margin:.2em 0 1em}.sides div{margin:.1em 0}
.cards{display:flex;gap:1em;flex-wrap:wrap;margin:1em 0}.card{border:1px solid #ddd;border-radius:6px;padding:.6em 1em;min-width:10em}
.card b{display:block;font-size:1.6em;font-variant-numeric:tabular-nums}.card span{color:#555;font-size:.9em}
table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #ddd;padding:.3em .6em;vertical-align:top;text-align:left}
th{background:#f5f5f5;font-weight:600;white-space:nowrap}td.n{text-align:right;font-variant-numeric:tabular-nums}
td.nw{white-space:nowrap}
.quote{color:#555;font-size:.9em}.edit{color:#8a4b00}.tag{display:inline-block;border-radius:3px;padding:0 .4em;font-size:.85em;
color:#fff;margin-right:.4em}
.muted{color:#666}.pair{display:grid;grid-template-columns:1fr 1fr;gap:1em}
.doc{border:1px solid #ddd;border-radius:4px;padding:.4em .6em;font-size:.88em;background:#fcfcfc}
.doc div{white-space:pre-wrap;padding:0 .3em}.doc .head{color:#666;font-weight:600;margin-bottom:.3em}
.doc div.diff.old{background:#fde2e1;border-left:3px solid #c0392b}.doc div.diff.new{background:#dff3e4;border-left:3px solid #2e8b57}
svg text{font-family:inherit}code{font-size:.92em;color:#555}details{margin:.6em 0}summary{cursor:pointer;color:#2c6fad}
"""


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _width(text: str, size: float = 13) -> float:
    """Approximate drawn width of ``text`` at ``size`` px (CJK characters are square)."""
    return sum(size if unicodedata.east_asian_width(c) in "WF" else size * 0.58 for c in text)


def bar_chart(bars: list[Bar]) -> str:
    """A horizontal bar chart of changed cases per direction, as inline SVG."""
    label_w = max(_width(b.label) for b in bars) + 16
    bar_w, row, top = 360.0, 28, max(b.cases for b in bars)
    width, height = label_w + bar_w + 90, row * len(bars) + 8
    parts = [f'<svg role="img" width="{width:.0f}" height="{height}" '
             f'viewBox="0 0 {width:.0f} {height}" style="max-width:100%">']
    for i, b in enumerate(bars):
        y = 4 + i * row
        length = max(2.0, bar_w * b.cases / top)
        parts.append(f'<text x="{label_w - 8:.0f}" y="{y + 18}" text-anchor="end" font-size="13">{_e(b.label)}</text>')
        parts.append(f'<rect x="{label_w:.0f}" y="{y + 4}" width="{length:.1f}" height="{row - 10}" rx="3" fill="{_TONES[b.tone]}">'
                     f"<title>{_e(b.label)}: {b.cases}</title></rect>")
        parts.append(f'<text x="{label_w + length + 6:.0f}" y="{y + 18}" font-size="13">{b.cases:,}</text>')
    parts.append("</svg>")
    return "".join(parts)


def matrix_chart(m: Matrix, lang: str) -> str:
    """A before → after matrix as inline SVG: rows before, columns after, each cell shaded by its count."""
    label_w = max(_width(r, 12) for r in m.rows) + 14
    cell_w = max(64.0, *(_width(c, 12) + 14 for c in m.columns))
    cell_h, head = 30, 44
    width, height = label_w + cell_w * len(m.columns) + 4, head + cell_h * len(m.rows) + 4
    top = max(m.cells.values())
    parts = [f'<svg role="img" width="{width:.0f}" height="{height}" '
             f'viewBox="0 0 {width:.0f} {height}" style="max-width:100%">',
             f'<text x="{label_w - 8:.0f}" y="16" text-anchor="end" font-size="11" fill="#666">{_e(_w("before", lang))} ↓ · '
             f'{_e(_w("after", lang))} →</text>']
    for j, column in enumerate(m.columns):
        x = label_w + j * cell_w + cell_w / 2
        parts.append(f'<text x="{x:.0f}" y="{head - 8}" text-anchor="middle" font-size="12">{_e(column)}</text>')
    for i, row in enumerate(m.rows):
        y = head + i * cell_h
        parts.append(f'<text x="{label_w - 8:.0f}" y="{y + 19}" text-anchor="end" font-size="12">{_e(row)}</text>')
        for j in range(len(m.columns)):
            n = m.cells.get((i, j), 0)
            x = label_w + j * cell_w
            same = m.rows[i] == m.columns[j]
            shade = f"rgba(44,111,173,{0.12 + 0.78 * n / top:.2f})" if n and not same else \
                f"rgba(154,154,154,{0.15 + 0.5 * n / top:.2f})" if n else "#fafafa"
            parts.append(f'<rect x="{x + 1:.0f}" y="{y + 1}" width="{cell_w - 2:.0f}" height="{cell_h - 2}" fill="{shade}">'
                         f"<title>{_e(row)} → {_e(m.columns[j])}: {n}</title></rect>")
            if n:
                color = "#fff" if n / top > 0.55 and not same else "#1b1b1b"
                parts.append(f'<text x="{x + cell_w / 2:.0f}" y="{y + 19}" text-anchor="middle" font-size="12" fill="{color}">{n:,}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _table(head: list[str], rows: list[list[str]]) -> str:
    """A table; ``rows`` hold already-escaped HTML cells."""
    lines = ["<table>", "<tr>" + "".join(f"<th>{_e(h)}</th>" for h in head) + "</tr>"]
    lines += ["<tr>" + "".join(row) + "</tr>" for row in rows]
    lines.append("</table>")
    return "\n".join(lines)


def _td(value: object, numeric: bool = False) -> str:
    return f'<td class="n">{_e(value)}</td>' if numeric else f"<td>{_e(value)}</td>"


def _doc(title: str, lines: list[Line], side: str) -> str:
    cls = "old" if side == "base" else "new"
    body = "".join(f'<div class="diff {cls}">{_e(line.text)}</div>' if line.differs else f"<div>{_e(line.text)}</div>" for line in lines)
    return f'<div class="doc"><div class="head">{_e(title)}</div>{body}</div>'


def _html_example(e: ExampleView, lang: str) -> str:
    parts = [f'<h3><span class="tag" style="background:{_TONES[e.tone]}">{_e(e.direction)}</span>{_e(e.title)}</h3>']
    if e.changes:
        parts.append(_table([_w("what_changed", lang), _w("before", lang), _w("after", lang)],
                            [[_td(f), _td(a), _td(b)] for f, a, b in e.changes]))
    if e.steps:
        parts.append(f"<details><summary>{_e(_w('rules_steps', lang))}</summary>")
        parts.append(_table([_w("rule", lang), _w("before", lang), _w("after", lang)], [[_td(r), _td(a), _td(b)] for r, a, b in e.steps]))
        parts.append("</details>")
    if e.sections:
        parts.append(f'<p class="muted">{_e(_w("differing", lang))}</p>')
        for s in e.sections:
            left, right = f"{_w('base', lang)} · {s.title}", f"{_w('changed', lang)} · {s.title}"
            parts.append(f'<div class="pair">{_doc(left, s.base, "base")}{_doc(right, s.changed, "changed")}</div>')
    if e.facts:
        parts.append(f"<details><summary>{_e(_w('case_facts', lang))}</summary>")
        parts.append(_table([_w("fact", lang), _w("value", lang)], [[_td(a), _td(b)] for a, b in e.facts]))
        parts.append("</details>")
    return "\n".join(parts)


def render_html(report: DiffReport, lang: str) -> str:
    """The report as one self-contained HTML page in ``lang``."""
    v = view(report, lang)
    colon = "：" if lang == "zh" else ": "
    body = [f"<h1>{_e(v.title)}</h1>", '<div class="sides">']
    body += [f"<div><b>{_e(label)}</b>{colon}{_e(name)}</div>" for label, name in v.sides]
    body.append("</div>")
    body.append('<div class="cards">' + "".join(f"<div class=\"card\"><b>{_e(value)}</b><span>{_e(label)}</span></div>"
                                               for label, value in v.summary) + "</div>")
    if v.note:
        body.append(f'<p class="muted">{_e(v.note)}</p>')
    if not v.bars:
        body.append(f"<p>{_e(_w('no_change', lang))}</p>")
    else:
        body += [f"<h2>{_e(_w('by_direction', lang))}</h2>", bar_chart(v.bars)]
    if v.matrices:
        body.append(f"<h2>{_e(_w('transitions', lang))}</h2>")
        for m in v.matrices:
            body += [f"<h3>{_e(m.title)}</h3>", matrix_chart(m, lang)]
    if v.rules:
        body.append(f"<h2>{_e(_w('by_rule', lang))}</h2>")
        rows = []
        for r in v.rules:
            tag = f'<span class="tag" style="background:#8a4b00">{_e(r.status)}</span>' if r.status else ""
            edits = "".join(f'<br><span class="edit">{_e(x)}</span>' for x in r.edits)
            rows.append([f"<td>{tag}{_e(r.label)}<br><code>{_e(r.rule_id)}</code> · {_e(r.stage)}{edits}</td>",
                         f'<td class="quote">{_e(r.citation)}</td>', _td(r.cases, numeric=True),
                         f'<td class="nw">{"<br>".join(_e(x) for x in r.how.split("；" if lang == "zh" else "; "))}</td>',
                         f'<td class="nw">{"<br>".join(_e(x) for x in r.directions.split("；" if lang == "zh" else "; "))}</td>'])
        body.append(_table([_w("rule", lang), _w("citation", lang), _w("n_cases", lang), _w("how", lang), _w("direction", lang)], rows))
    if v.examples:
        body.append(f"<h2>{_e(_w('examples', lang))}</h2>")
        body += [_html_example(e, lang) for e in v.examples]
    body.append(f"<details><summary>{_e(_w('fingerprints', lang))}</summary>")
    body.append(_table(["", _w("proposal", lang), _w("sha", lang)],
                       [[_td(label), _td(name), f"<td><code>{_e(sha)}</code></td>"] for label, name, sha in v.fingerprints]))
    body.append("</details>")
    return (f'<!DOCTYPE html>\n<html lang="{"zh-CN" if lang == "zh" else "en"}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{_e(v.title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n")

