"""Renderings of a ``DiffReport``: readable text, and one self-contained HTML page.

The HTML page is meant to be sent as an attachment: one file, inline CSS, no scripts, no fonts,
images or styles fetched from anywhere. Every piece of text in it, rule labels and case ids
included, is escaped with ``html.escape``.
"""

from __future__ import annotations

import json
import unicodedata
from html import escape
from typing import TYPE_CHECKING, Any

from guanzhi_rules._vocab import Measure
from guanzhi_rules._words import RESULTS, WORDS, cite, where

if TYPE_CHECKING:
    from guanzhi_rules._determination import TraceStep
    from guanzhi_rules._diff import DiffReport, Example, FieldChange, RuleImpact, RuleSetSummary

_DIRECTIONS: dict[str, tuple[str, str]] = {
    "scope_changed": ("适用范围改变", "scope changed"),
    "newly_exempt": ("新获免责", "newly exempt"),
    "newly_barred": ("新被排除免责", "newly barred"),
    "harsher": ("更重", "harsher"),
    "lighter": ("更轻", "lighter"),
    "stricter": ("更严（影响期延长或新增）", "stricter (a longer or added freeze)"),
    "more_lenient": ("更宽（影响期缩短或取消）", "more lenient (a shorter or removed freeze)"),
    "statement_only": ("仅表述不同（决定未变）", "wording only (same decision)"),
    "other": ("其他变化", "other"),
}
_FIELDS: dict[str, tuple[str, str]] = {
    "scope": ("适用范围", "scope"),
    "exemption": ("容错免责", "exemption"),
    "accountable": ("是否问责", "accountable"),
    "measures": ("问责方式范围", "sanction range"),
    "consequences": ("处理后果", "consequences"),
    "applied": ("适用的规则", "rules applied"),
}
_WORDS: dict[str, tuple[str, str]] = {
    "title": ("规则修改影响分析", "Impact of a rule change"),
    "base": ("现行规则", "base"),
    "changed": ("修改后规则", "changed"),
    "cases": ("案件数", "Cases"),
    "rules": ("涉及的规则", "rules involved"),
    "changed_cases": ("结果改变的案件", "changed"),
    "decision_changed": ("决定改变的案件", "decision changed"),
    "by_direction": ("按变化方向", "By direction"),
    "by_field": ("按结果字段（一个案件可计入多项）", "Outcome fields that differ (a case counts once per field)"),
    "by_rule": ("按规则（适用情况改变的规则，或内容被修改且适用的规则）",
                "By rule (rules whose applied status differs, or that were modified and applied)"),
    "examples": ("示例（事实最少者优先，每个方向至多若干件）", "Examples (fewest facts first, a few per direction)"),
    "now": ("新适用", "now applies"),
    "lost": ("不再适用", "no longer applies"),
    "modified": ("内容修改后适用", "applies, modified"),
    "case": ("案件", "case"),
    "facts": ("项已知事实", "facts known"),
    "trace_diff": ("推理过程中不同的步骤", "trace steps that differ"),
    "absent": ("（无此规则）", "(no such rule)"),
    "no_measure": ("无", "none"),
    "general": ("一般后果", "general"),
    "overlays": ("修改", "overlay"),
    "full_trace": ("完整推理过程（左：现行；右：修改后）", "Full traces (left: base; right: changed)"),
    "determinations": ("两份完整认定", "Both determinations in full"),
    "case_data": ("案件事实", "Case facts"),
    "field": ("字段", "field"),
    "rule": ("规则", "rule"),
    "citation": ("依据", "citation"),
    "directions": ("方向", "directions"),
    "step": ("步骤", "step"),
    "rule_set": ("规则集", "rule set"),
    "stage": ("阶段", "stage"),
}
_MEASURES = {m.value: m for m in Measure}
_STEPS_SHOWN = 12
"""Differing trace steps listed per example in text; JSON and HTML have them all."""


def _w(key: str, lang: str) -> str:
    """The report's own words (headings, directions, fields), then the catalogue's shared ones."""
    pair = _WORDS.get(key) or _DIRECTIONS.get(key) or _FIELDS.get(key)
    if pair is None:
        return WORDS[key].get(lang)
    return pair[0] if lang == "zh" else pair[1]


def _pad(text: str, width: int) -> str:
    """``text`` padded to ``width`` terminal columns (CJK characters take two)."""
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - used)


def _measure(code: str, lang: str) -> str:
    return _MEASURES[code].label(lang) if code in _MEASURES else code


def _side(summary: RuleSetSummary, lang: str) -> str:
    overlays = "".join(f" + {o.get(lang)}" for o in summary.overlays)
    return f"{summary.key}{overlays} — {summary.title} [sha256 {summary.sha256[:12]}]"


def _consequence(line: str, lang: str) -> str:
    """``measure|rule|json`` as ``measure: rule: key=value, ...``."""
    measure, rule_id, content = line.split("|", 2)
    try:
        data: Any = json.loads(content)
    except ValueError:
        data = content

    def flat(value: Any) -> str:
        if isinstance(value, dict):
            return ", ".join(f"{k}={flat(v)}" for k, v in value.items())
        if isinstance(value, list):
            return "/".join(flat(v) for v in value)
        return str(value)

    shown = " ".join(f"{k}({flat(v)})" if isinstance(v, dict) else f"{k}={flat(v)}" for k, v in data.items()) \
        if isinstance(data, dict) else str(data)
    return f"{_measure(measure, lang) if measure else _w('general', lang)}: {rule_id}: {shown}"


def _values(change: FieldChange, side: tuple[str, ...], lang: str) -> str:
    sep = "、" if lang == "zh" else ", "
    if change.field == "measures":
        return sep.join(_measure(m, lang) for m in side) or _w("no_measure", lang)
    if change.field == "consequences":
        return "; ".join(_consequence(x, lang) for x in side) or "—"
    if change.field == "applied":
        return sep.join(side) or "—"
    return sep.join(side)


def _step(step: TraceStep | None, lang: str) -> str:
    if step is None:
        return _w("absent", lang)
    text = RESULTS[step.result].get(lang)
    if step.defeats:
        text += f"; {_w('defeats', lang)} {', '.join(step.defeats)}"
    if step.defeated_by:
        text += f"; {_w('defeated_by', lang)} {', '.join(step.defeated_by)}"
    return text


def _facts_read(example: Example, rule_id: str) -> str:
    for d in (example.changed, example.base):
        for s in d.trace:
            if s.rule_id == rule_id and s.facts:
                return ", ".join(f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in s.facts.items())
    return ""


def _only_applied(report: DiffReport, lang: str) -> str:
    n = report.changed_cases - report.decision_changed
    if lang == "zh":
        return f"其中 {n} 件只是适用的规则不同，决定（适用范围、免责、是否问责、问责方式、后果）未变"
    return (f"{n} of them differ only in which rules applied: "
            "the decision (scope, exemption, accountability, range, consequences) is the same")


def _rule_line(impact: RuleImpact, lang: str) -> str:
    parts = [f"{_w(k, lang)} {n}" for k, n in
             (("now", impact.now_applies), ("lost", impact.no_longer_applies), ("modified", impact.applies_modified)) if n]
    cases = f"{impact.cases} 件" if lang == "zh" else f"{impact.cases} case(s)"
    return f"{impact.rule_id} [{impact.stage}] {impact.label.get(lang)} — {cases}: {', '.join(parts)}"


# -- text -----------------------------------------------------------------------------------------

def render_text(report: DiffReport, lang: str) -> str:
    """The report as text in ``lang``."""
    out = [_w("title", lang)]
    out.append(f"  {_w('base', lang)}: {_side(report.base, lang)}")
    out.append(f"  {_w('changed', lang)}: {_side(report.changed, lang)}")
    share = f" ({100 * report.changed_cases / report.cases:.2f}%)" if report.cases else ""
    out.append("")
    out.append(f"{_w('cases', lang)}: {report.cases}    {_w('changed_cases', lang)}: {report.changed_cases}{share}    "
               f"{_w('decision_changed', lang)}: {report.decision_changed}")
    if report.decision_changed < report.changed_cases:
        out.append(f"  ({_only_applied(report, lang)})")

    out += ["", _w("by_direction", lang)]
    out += [f"  {_pad(_w(c.name, lang), 14)}{c.cases:>8}" for c in report.directions]

    out += ["", _w("by_field", lang)]
    out.append("  " + " · ".join(f"{_w(c.name, lang)} {c.cases}" for c in report.fields))

    out += ["", _w("by_rule", lang)]
    for impact in report.rules:
        out.append(f"  {_rule_line(impact, lang)}")
        out.append(f"     {cite(impact.citation)}")
        out.append("     " + ", ".join(f"{_w(c.name, lang)} {c.cases}" for c in impact.directions))
    if not report.rules:
        out.append(f"  {_w('none', lang)}")

    out += ["", _w("examples", lang)]
    for example in report.examples:
        out.append(f"  [{_w(example.direction, lang)}] {_w('case', lang)} {example.case_id or '—'} "
                   f"(#{example.index}, {example.facts_present} {_w('facts', lang)})")
        for change in example.fields:
            out.append(f"     {_w(change.field, lang)}: {_values(change, change.base, lang)} → {_values(change, change.changed, lang)}")
        if example.rules:
            out.append(f"     {_w('rules', lang)}: {', '.join(example.rules)}")
        out.append(f"     {_w('trace_diff', lang)}:" + ("" if example.steps else f" {_w('none', lang)}"))
        for step in example.steps[:_STEPS_SHOWN]:
            line = f"       {step.rule_id} [{step.stage}]: {_step(step.base, lang)} → {_step(step.changed, lang)}"
            read = _facts_read(example, step.rule_id)
            out.append(line + (f"  ({WORDS['facts'].get(lang)}: {read})" if read else ""))
        if len(example.steps) > _STEPS_SHOWN:
            more = len(example.steps) - _STEPS_SHOWN
            out.append(f"       … 另有 {more} 步（见 JSON 或 HTML 报告）" if lang == "zh"
                       else f"       … and {more} more (see the JSON or HTML report)")
    if not report.examples:
        out.append(f"  {_w('none', lang)}")
    return "\n".join(out) + "\n"


# -- HTML -----------------------------------------------------------------------------------------

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","Microsoft YaHei",sans-serif;
margin:2em;color:#1b1b1b;max-width:1400px}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ccc}h3{font-size:1.05em;margin-top:1.5em}
table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #ccc;padding:.25em .5em;vertical-align:top;text-align:left}
th{background:#f2f2f2}td.n{text-align:right;font-variant-numeric:tabular-nums}
tr.diff td{background:#fff4d6}.quote{color:#555;font-size:.9em}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:1em}.pair pre{margin:0}
pre{background:#f7f7f7;padding:.5em;overflow-x:auto;white-space:pre-wrap;font-size:.85em}
.muted{color:#666}code{font-size:.95em}
"""


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _table(head: list[str], rows: list[list[str]], classes: list[str] | None = None) -> str:
    """A table; ``rows`` hold already-escaped HTML cells."""
    lines = ["<table>", "<tr>" + "".join(f"<th>{_e(h)}</th>" for h in head) + "</tr>"]
    for i, row in enumerate(rows):
        cls = f' class="{classes[i]}"' if classes and classes[i] else ""
        lines.append(f"<tr{cls}>" + "".join(row) + "</tr>")
    lines.append("</table>")
    return "\n".join(lines)


def _td(value: object, numeric: bool = False) -> str:
    return f'<td class="n">{_e(value)}</td>' if numeric else f"<td>{_e(value)}</td>"


def _html_example(example: Example, lang: str) -> str:
    parts = [f"<h3>[{_e(_w(example.direction, lang))}] {_e(_w('case', lang))} <code>{_e(example.case_id or '—')}</code> "
             f'<span class="muted">(#{example.index}, {example.facts_present} {_e(_w("facts", lang))})</span></h3>']
    parts.append(_table(
        [_w("field", lang), _w("base", lang), _w("changed", lang)],
        [[_td(_w(c.field, lang)), _td(_values(c, c.base, lang)), _td(_values(c, c.changed, lang))] for c in example.fields]))
    parts.append(f"<p>{_e(_w('trace_diff', lang))}:</p>")
    parts.append(_table(
        [_w("rule", lang), _w("base", lang), _w("changed", lang), WORDS["facts"].get(lang)],
        [[_td(f"{s.rule_id} [{s.stage}]"), _td(_step(s.base, lang)), _td(_step(s.changed, lang)), _td(_facts_read(example, s.rule_id))]
         for s in example.steps]))
    base = {s.rule_id: s for s in example.base.trace}
    changed = {s.rule_id: s for s in example.changed.trace}
    order = list(changed) + [r for r in base if r not in changed]
    different = {s.rule_id for s in example.steps}
    rows, classes = [], []
    for rule_id in order:
        step = changed.get(rule_id) or base[rule_id]
        rows.append([_td(rule_id), _td(step.stage), _td(where(step.citation, part=False)),
                     _td(_step(base.get(rule_id), lang)), _td(_step(changed.get(rule_id), lang))])
        classes.append("diff" if rule_id in different else "")
    parts.append(f"<details><summary>{_e(_w('full_trace', lang))}</summary>")
    parts.append(_table([_w("rule", lang), _w("stage", lang), _w("citation", lang), _w("base", lang), _w("changed", lang)], rows, classes))
    parts.append("</details>")
    parts.append(f"<details><summary>{_e(_w('determinations', lang))}</summary><div class=\"pair\">"
                 f"<pre>{_e(example.base.to_text(lang))}</pre><pre>{_e(example.changed.to_text(lang))}</pre></div></details>")  # type: ignore[arg-type]
    case = json.dumps(example.case, ensure_ascii=False, indent=2)
    parts.append(f"<details><summary>{_e(_w('case_data', lang))}</summary><pre>{_e(case)}</pre></details>")
    return "\n".join(parts)


def render_html(report: DiffReport, lang: str) -> str:
    """The report as one self-contained HTML page in ``lang``."""
    title = f"{_w('title', lang)}: {report.base.key} → {report.changed.key}" + "".join(
        f" + {o.get(lang)}" for o in report.changed.overlays)
    body = [f"<h1>{_e(title)}</h1>"]
    body.append(_table(["", _w("rule_set", lang), "sha256", _w("overlays", lang)], [
        [_td(_w(side, lang)), _td(f"{s.key} — {s.title}"), f"<td><code>{_e(s.sha256)}</code></td>",
         _td("; ".join(o.get(lang) for o in s.overlays) or "—")]
        for side, s in (("base", report.base), ("changed", report.changed))]))
    share = f" ({100 * report.changed_cases / report.cases:.2f}%)" if report.cases else ""
    body.append(f"<p>{_e(_w('cases', lang))}: <b>{report.cases}</b> · {_e(_w('changed_cases', lang))}: "
                f"<b>{report.changed_cases}</b>{_e(share)} · {_e(_w('decision_changed', lang))}: <b>{report.decision_changed}</b></p>")
    if report.decision_changed < report.changed_cases:
        body.append(f'<p class="muted">{_e(_only_applied(report, lang))}</p>')
    body.append(f"<h2>{_e(_w('by_direction', lang))}</h2>")
    body.append(_table([_w("directions", lang), _w("cases", lang)],
                       [[_td(_w(c.name, lang)), _td(c.cases, numeric=True)] for c in report.directions]))
    body.append(f"<h2>{_e(_w('by_field', lang))}</h2>")
    body.append(_table([_w("field", lang), _w("cases", lang)],
                       [[_td(_w(c.name, lang)), _td(c.cases, numeric=True)] for c in report.fields]))
    body.append(f"<h2>{_e(_w('by_rule', lang))}</h2>")
    if report.rules:
        body.append(_table(
            [_w("rule", lang), _w("citation", lang), _w("cases", lang), _w("now", lang), _w("lost", lang), _w("modified", lang),
             _w("directions", lang)],
            [[f"<td><code>{_e(r.rule_id)}</code> [{_e(r.stage)}]<br>{_e(r.label.get(lang))}</td>",
              f'<td class="quote">{_e(cite(r.citation))}</td>', _td(r.cases, True), _td(r.now_applies, True),
              _td(r.no_longer_applies, True), _td(r.applies_modified, True),
              _td(", ".join(f"{_w(c.name, lang)} {c.cases}" for c in r.directions))] for r in report.rules]))
    else:
        body.append(f"<p>{_e(_w('none', lang))}</p>")
    body.append(f"<h2>{_e(_w('examples', lang))}</h2>")
    body += [_html_example(example, lang) for example in report.examples] or [f"<p>{_e(_w('none', lang))}</p>"]
    return (f'<!DOCTYPE html>\n<html lang="{"zh-CN" if lang == "zh" else "en"}">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{_e(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n")
