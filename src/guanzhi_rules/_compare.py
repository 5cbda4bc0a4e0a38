"""Comparison: one case under several rule sets, concept by concept.

``compare()`` evaluates the case under each rule set and lines the determinations up as a
table: first whether each document is in force at the case's dates and binds where the subject
serves, then one row per concept of the common shape (scope, circumstances, exemption, factors,
sanction range, consequences), one cell per jurisdiction. Each cell holds a coded value, a
zh/en summary and the conclusions behind it, each with the article and item it rests on.
Where the subject is not covered, the later rows say ``not_reached``: the document decides
nothing more about the case.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text as RichText

import guanzhi_rules
from guanzhi_rules._case import Case, parse_case
from guanzhi_rules._determination import Determination, Finding, SanctionRange
from guanzhi_rules._loader import load
from guanzhi_rules._render import SPACE_NONE, branch_text, consequence_text
from guanzhi_rules._rulefile import BUNDLED, MANDATORY, Cited, Text
from guanzhi_rules._ruleset import RuleSet
from guanzhi_rules._vocab import Measure
from guanzhi_rules._words import (
    ACCOUNTABLE,
    EMPHASES,
    EXEMPTION_OUTCOMES,
    FACTORS,
    IN_FORCE_STATUS,
    MODALITIES,
    RESULTS,
    SCOPE_OUTCOMES,
    SECTIONS,
    TERRITORY_STATUS,
    WORDS,
)
from guanzhi_rules._words import where as short_citation

Concept = Literal[
    "in_force", "territory", "scope", "circumstances", "exemption", "factors", "sanctions", "consequences", "decision_space"]
"""The rows of a comparison, in the order a determination walks them."""

CONCEPTS: tuple[Concept, ...] = (
    "in_force", "territory", "scope", "circumstances", "exemption", "factors", "sanctions", "consequences", "decision_space")

_VALUES: dict[str, Text] = {
    **SCOPE_OUTCOMES,
    **EXEMPTION_OUTCOMES,
    "undetermined": Text(zh=f"{RESULTS['undetermined'].zh}（见待查事实）", en=f"{RESULTS['undetermined'].en} (see open questions)"),
    "not_reached": Text(zh="—（不在本文件适用范围内）", en="— (not covered by this document)"),
    "none": WORDS["none"],
    "no_accountability": Text(zh=f"{ACCOUNTABLE[False].zh}，无问责方式", en="no accountability, so no measure"),
    "not_set": Text(zh="本文件未就上述事实规定问责方式", en="no measure set for these facts"),
}
"""A cell's summary by its value code: outcomes in the catalogue's words, and what only a comparison says."""

_ENTRY_TAGS: dict[str, Text] = {
    **FACTORS,
    **MODALITIES,
    "bar": Text(zh="排除免责", en="bar"),
    "defeated": RESULTS["defeated"],
    "pending_bar": Text(zh="待查排除情形", en="possible bar, facts unknown"),
    "undetermined": Text(zh="待查", en="undetermined"),
}

_FACTOR_ORDER = ("heavier", "lighter", "reduced_or_lighter", "reduced")
_MEASURES = {m.value: m for m in Measure}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Entry(_Model):
    """One conclusion in a cell: what a rule says about the case, and where it says it."""

    rule_id: str
    text: Text
    citation: Cited
    tags: tuple[str, ...] = ()
    """Codes qualifying the entry: the modality of an exemption, ``bar``, a factor, the measures a consequence follows."""


class Cell(_Model):
    """What one rule set concludes on one concept."""

    jurisdiction: str
    value: str
    """A code: the scope or exemption outcome, ``matched``/``found``/``range``, ``none``, ``not_provided``,
    ``undetermined``, ``not_reached`` (the subject is not covered) and the like."""
    summary: Text
    codes: tuple[str, ...] = ()
    """Detail codes: the permitted measures (lightest first) or the factors found."""
    entries: tuple[Entry, ...] = ()


class Row(_Model):
    """One concept across the compared rule sets, a cell per column."""

    concept: Concept
    label: Text
    cells: tuple[Cell, ...]


class Comparison(_Model):
    """One case under several rule sets: the determinations, and a concept-by-concept view of them."""

    case_id: str | None
    columns: tuple[str, ...]
    """Column headings: the jurisdiction keys (with the rule file's name where a key repeats)."""
    determinations: tuple[Determination, ...]
    rows: tuple[Row, ...]

    def to_json(self, *, indent: int | None = 2) -> str:
        """Deterministic JSON: the rows, then the full determinations, in a fixed field order."""
        return self.model_dump_json(indent=indent)

    def to_text(self, lang: Literal["zh", "en"] = "zh", *, width: int = 160) -> str:
        """A table, concepts down and jurisdictions across, rendered at a fixed ``width`` without colour."""
        return render(self, lang, width=width)

    def row(self, concept: Concept) -> Row:
        """The row of one concept.

        Raises:
            KeyError: no such concept.
        """
        for row in self.rows:
            if row.concept == concept:
                return row
        raise KeyError(concept)

    def cell(self, concept: Concept, jurisdiction: str) -> Cell:
        """The cell of one concept for one jurisdiction (by key, or by column heading).

        Raises:
            KeyError: no such concept or jurisdiction.
        """
        row = self.row(concept)
        for heading, cell in zip(self.columns, row.cells, strict=True):
            if jurisdiction in (heading, cell.jurisdiction):
                return cell
        raise KeyError(jurisdiction)

    def determination(self, jurisdiction: str) -> Determination:
        """The determination of one jurisdiction (by key, or by column heading).

        Raises:
            KeyError: the jurisdiction is not compared here.
        """
        for heading, d in zip(self.columns, self.determinations, strict=True):
            if jurisdiction in (heading, d.jurisdiction.key):
                return d
        raise KeyError(jurisdiction)


RuleSetLike = RuleSet | str | Path


def compare(case: Case | Mapping[str, Any], rulesets: RuleSetLike | Sequence[RuleSetLike] | None = None) -> Comparison:
    """Evaluate ``case`` under several rule sets and line the results up concept by concept.

    Args:
        case: a ``Case``, or a mapping validated as one.
        rulesets: rule sets, bundled keys or rule-file paths, in column order; None compares all
            five bundled rule sets in ``BUNDLED`` order.

    Raises:
        CaseError: the mapping is not a valid case.
        RuleSetError: a key or path names no loadable rule set.
        ValueError: ``rulesets`` is empty.
    """
    parsed = parse_case(case)
    if rulesets is None:
        chosen: list[RuleSet] = [load(key) for key in BUNDLED]
    elif isinstance(rulesets, (RuleSet, str, Path)):
        chosen = [_ruleset(rulesets)]
    else:
        chosen = [_ruleset(r) for r in rulesets]
    if not chosen:
        raise ValueError("compare() needs at least one rule set")
    determinations = tuple(rs.evaluate(parsed) for rs in chosen)
    return Comparison(
        case_id=parsed.id,
        columns=_columns(chosen),
        determinations=determinations,
        rows=tuple(
            Row(concept=concept, label=SECTIONS[concept],
                cells=tuple(_CELLS[concept](d, rs) for d, rs in zip(determinations, chosen, strict=True)))
            for concept in CONCEPTS),
    )


def _ruleset(item: RuleSetLike) -> RuleSet:
    return item if isinstance(item, RuleSet) else load(item)


def _columns(rulesets: Sequence[RuleSet]) -> tuple[str, ...]:
    keys = [rs.key for rs in rulesets]
    return tuple(rs.key if keys.count(rs.key) == 1 else f"{rs.key} ({rs.path.name})" for rs in rulesets)


# -- cells ------------------------------------------------------------------------------------


def _entry(f: Finding, *tags: str, text: Text | None = None) -> Entry:
    return Entry(rule_id=f.rule_id, text=text or f.label, citation=f.citation, tags=tuple(tags))


def _step_entry(d: Determination, rs: RuleSet, rule_id: str, tag: str) -> Entry:
    """An entry for a rule that is only in the trace (undetermined, a possible bar), with the facts it waits on."""
    label = rs.rule(rule_id).rule.label
    question = next((q for q in d.open_questions if q.rule_id == rule_id), None)
    if question is not None and question.unknown_facts:
        facts = ", ".join(question.unknown_facts)
        label = Text(zh=f"{label.zh}（未知：{facts}）", en=f"{label.en} (unknown: {facts})")
    return Entry(rule_id=rule_id, text=label, citation=d.step(rule_id).citation, tags=(tag,))


def _covered(d: Determination) -> bool:
    return d.scope.outcome != "not_covered"


def _not_reached(d: Determination) -> Cell:
    return Cell(jurisdiction=d.jurisdiction.key, value="not_reached", summary=_VALUES["not_reached"])


def _in_force(d: Determination, rs: RuleSet) -> Cell:
    """In force at the conduct and decision dates; the entries cite the commencement."""
    tp = d.time_and_place
    statuses = (tp.at_conduct.status, tp.at_decision.status)
    # The decision never precedes the conduct, and no document here states an end of force.
    value = "not_yet_in_force" if "not_yet_in_force" in statuses else "in_force" if "in_force" in statuses else "cannot_tell"
    at = ((Text(zh="行为发生时", en="conduct date"), tp.at_conduct), (Text(zh="作出决定时", en="decision date"), tp.at_decision))
    summary = Text(zh="；".join(f"{w.zh}：{IN_FORCE_STATUS[c.status].zh}" for w, c in at),
                   en="; ".join(f"{w.en}: {IN_FORCE_STATUS[c.status].en}" for w, c in at))
    date = tp.commencement.date
    text = Text(zh=f"自{date}起施行", en=f"in force from {date}") if date else Text(zh="施行日期不详", en="commencement date unknown")
    entries = tuple(Entry(rule_id="document.commencement", text=text, citation=c) for c in tp.commencement.citations)
    return Cell(jurisdiction=d.jurisdiction.key, value=value, summary=summary, entries=entries)


def _territory(d: Determination, rs: RuleSet) -> Cell:
    """Whether the document binds where the subject serves; the entry cites its territorial words."""
    t = d.time_and_place.territory
    entries: tuple[Entry, ...] = ()
    if t.citation is not None:
        name = t.name or Text(zh=str(t.division), en=str(t.division))
        entries = (Entry(rule_id="document.territory", text=name, citation=t.citation),)
    return Cell(jurisdiction=d.jurisdiction.key, value=t.status, summary=TERRITORY_STATUS[t.status], entries=entries)


def _scope(d: Determination, rs: RuleSet) -> Cell:
    entries = (_entry(d.scope.finding),) if d.scope.finding else ()
    summary = _VALUES[d.scope.outcome]
    if d.scope.finding is None:  # no rule decided: say why instead
        summary = Text(zh=f"{summary.zh}：{d.scope.reason.zh}", en=f"{summary.en}: {d.scope.reason.en}")
    return Cell(jurisdiction=d.jurisdiction.key, value=d.scope.outcome, summary=summary, entries=entries)


def _circumstances(d: Determination, rs: RuleSet) -> Cell:
    if not _covered(d):
        return _not_reached(d)
    entries = tuple(_entry(c.finding, text=Text(zh=f"{c.category.zh}：{c.finding.label.zh}", en=f"{c.category.en}: {c.finding.label.en}"))
                    for c in d.circumstances)
    pending = tuple(_step_entry(d, rs, q.rule_id, "undetermined") for q in d.open_questions if q.stage == "circumstance")
    if entries:
        value = "matched"
        n = len(entries)
        summary = Text(zh=f"{n}项", en=f"{n} matched")
    elif pending:
        value, summary = "undetermined", _VALUES["undetermined"]
    else:
        value, summary = "none", _VALUES["none"]
    return Cell(jurisdiction=d.jurisdiction.key, value=value, summary=summary, entries=entries + pending)


def _exemption(d: Determination, rs: RuleSet) -> Cell:
    if not _covered(d):
        return _not_reached(d)
    ex = d.exemption
    entries: list[Entry] = []
    if ex.outcome in ("granted", "eligible"):
        # A granted (mandatory) exemption speaks for the outcome: list it before discretionary ones.
        ordered = sorted(ex.exemptions, key=lambda f: f.modality not in MANDATORY)
        entries += [_entry(f, f.modality) for f in ordered]
        entries += [_step_entry(d, rs, rule_id, "pending_bar") for rule_id in ex.pending_bars]
    elif ex.outcome == "barred":
        entries += [_entry(f, "bar") for f in ex.bars]
        entries += [_entry(f, "defeated") for f in ex.exemptions]
    elif ex.outcome == "undetermined":
        entries += [_step_entry(d, rs, q.rule_id, "undetermined") for q in d.open_questions if q.stage in ("exemption", "bar")]
    summary = _VALUES[ex.outcome]
    if ex.outcome == "not_provided" and ex.statement:
        summary = ex.statement
    return Cell(jurisdiction=d.jurisdiction.key, value=ex.outcome, summary=summary, entries=tuple(entries))


def _factors(d: Determination, rs: RuleSet) -> Cell:
    if not _covered(d):
        return _not_reached(d)
    entries = tuple(_entry(f.finding, f.factor) for f in d.factors)
    found = {f.factor for f in d.factors}
    codes = tuple(f for f in _FACTOR_ORDER if f in found)
    pending = tuple(_step_entry(d, rs, q.rule_id, "undetermined") for q in d.open_questions if q.stage in ("aggravating", "mitigating"))
    if entries:
        value = "found"
        summary = Text(zh="、".join(FACTORS[c].zh for c in codes), en="; ".join(FACTORS[c].en for c in codes))
    elif pending:
        value, summary = "undetermined", _VALUES["undetermined"]
    elif not rs.stage("aggravating") and not rs.stage("mitigating"):  # the document names no factor at all
        value, summary = "not_provided", _VALUES["not_provided"]
    else:
        value, summary = "none", _VALUES["none"]
    return Cell(jurisdiction=d.jurisdiction.key, value=value, summary=summary, codes=codes, entries=entries + pending)


def _sanctions(d: Determination, rs: RuleSet) -> Cell:
    if not _covered(d):
        return _not_reached(d)
    s = d.sanctions
    if s.accountable is False:
        value, summary = "no_accountability", _VALUES["no_accountability"]
    elif s.bands:
        value, summary = "range", _range(s)
    elif any(q.stage == "sanction_band" for q in d.open_questions):
        value, summary = "undetermined", _VALUES["undetermined"]
    else:
        value, summary = "not_set", _VALUES["not_set"]
    entries = tuple(_entry(f, f.modality) for f in s.bands)
    return Cell(jurisdiction=d.jurisdiction.key, value=value, summary=summary, codes=s.measures, entries=entries)


def _range(s: SanctionRange) -> Text:
    """The permitted measures, how binding they are, and what qualifies them."""
    zh = "、".join(_MEASURES[m].label("zh") for m in s.measures) + ("等" if s.open_ended else "")
    en = ", ".join(_MEASURES[m].label("en") for m in s.measures) + (" etc." if s.open_ended else "")
    if not s.mandatory:
        mode = Text(zh="酌情选择", en="discretionary")
    elif s.discretionary:
        mode = Text(zh="应当给予，具体方式酌情选择", en="one shall be imposed; which is discretionary")
    else:
        mode = Text(zh="应当给予", en="mandatory")
    parts = [Text(zh=f"{zh}（{mode.zh}）", en=f"{en} ({mode.en})")]
    if s.emphasis != "none":
        parts.append(EMPHASES[s.emphasis])
    if s.reduced_below_range:
        parts.append(Text(zh="可以减轻", en="may go below the range (减轻)"))
    if s.accountable is None:
        parts.append(Text(zh="如应予问责", en="if accountability follows"))
    return Text(zh="；".join(t.zh for t in parts), en="; ".join(t.en for t in parts))


def _consequences(d: Determination, rs: RuleSet) -> Cell:
    if not _covered(d):
        return _not_reached(d)
    grouped: dict[tuple[str, str], tuple[Text, Cited, list[str]]] = {}
    for mc in d.consequences:
        for item in mc.items:
            text = Text(**{lang: consequence_text(item, lang) for lang in ("zh", "en")})
            _, _, measures = grouped.setdefault((item.rule_id, text.en), (text, item.citation, []))
            measures.append(mc.measure)
    for item in d.general_consequences:
        text = Text(**{lang: consequence_text(item, lang) for lang in ("zh", "en")})
        grouped.setdefault((item.rule_id, text.en), (text, item.citation, []))
    entries = tuple(Entry(rule_id=rule_id, text=text, citation=citation, tags=tuple(measures))
                    for (rule_id, _), (text, citation, measures) in grouped.items())
    pending = tuple(_step_entry(d, rs, q.rule_id, "undetermined") for q in d.open_questions if q.stage == "consequence")
    if entries:
        chosen = any(mc.chosen for mc in d.consequences)
        n = len(entries)
        summary = Text(zh=f"{n}项" + ("" if chosen or not d.consequences else "（视所选处理方式）"),
                       en=f"{n} item(s)" + ("" if chosen or not d.consequences else " (as the measure chosen)"))
        value = "found"
    elif pending:
        value, summary = "undetermined", _VALUES["undetermined"]
    else:
        value, summary = "none", _VALUES["none"]
    return Cell(jurisdiction=d.jurisdiction.key, value=value, summary=summary, entries=entries + pending)


def _decision_space(d: Determination, rs: RuleSet) -> Cell:
    """One line per branch of the decision space, where the outcome hangs on a judgement not yet made."""
    if not _covered(d):
        return _not_reached(d)
    space = d.decision_space
    if space is None:
        return Cell(jurisdiction=d.jurisdiction.key, value="none", summary=SPACE_NONE)
    return Cell(jurisdiction=d.jurisdiction.key, value="branches", codes=space.points,
                summary=Text(**{lang: "\n".join(branch_text(b, lang) for b in space.branches) for lang in ("zh", "en")}))


_CELLS: dict[str, Callable[[Determination, RuleSet], Cell]] = {
    "in_force": _in_force,
    "territory": _territory,
    "scope": _scope,
    "circumstances": _circumstances,
    "exemption": _exemption,
    "factors": _factors,
    "sanctions": _sanctions,
    "consequences": _consequences,
    "decision_space": _decision_space,
}


# -- text -------------------------------------------------------------------------------------


def _entry_line(entry: Entry, lang: str) -> str:
    tags = [_ENTRY_TAGS[t].get(lang) for t in entry.tags if t in _ENTRY_TAGS]
    tags += [_MEASURES[t].label(lang) for t in entry.tags if t in _MEASURES]
    sep = "、" if lang == "zh" else ", "
    tag = f"〔{sep.join(tags)}〕" if tags and lang == "zh" else f"({sep.join(tags)}) " if tags else ""
    if lang == "zh":
        return f"• {short_citation(entry.citation)} {tag}{entry.text.zh} [{entry.rule_id}]"
    return f"• {short_citation(entry.citation)} {tag}{entry.text.en} [{entry.rule_id}]"


def render(comparison: Comparison, lang: str, *, width: int = 160) -> str:
    """Render ``comparison`` as a table in ``lang`` at a fixed ``width``, with no colour or terminal codes."""
    zh = lang == "zh"
    table = Table(box=box.SQUARE, show_lines=True, expand=False)
    table.add_column("", overflow="fold", min_width=8, max_width=14)
    for heading, d in zip(comparison.columns, comparison.determinations, strict=True):
        issued = d.jurisdiction.issued if d.jurisdiction.issued != "unknown" else WORDS["issued_unknown"].get(lang)
        table.add_column(f"{heading}\n{issued}", overflow="fold", ratio=1)
    for row in comparison.rows:
        cells = []
        for cell in row.cells:
            lines = [cell.summary.get(lang)] + [_entry_line(e, lang) for e in cell.entries]
            cells.append(RichText("\n".join(lines)))
        table.add_row(RichText(row.label.get(lang)), *cells)

    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system=None, force_terminal=False, force_jupyter=False,
                      force_interactive=False, legacy_windows=False, highlight=False, emoji=False, markup=False, soft_wrap=False)
    head = ("案件：" if zh else "Case: ") + (comparison.case_id or ("（未命名）" if zh else "(unnamed)"))
    console.print(RichText(head))
    console.print(table)
    for d in comparison.determinations:
        j = d.jurisdiction
        number = f"（{j.number}）" if j.number else ""
        console.print(RichText(f"{j.key}: {j.title}{number}"))
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()) + "\n"


guanzhi_rules._present(__name__)  # the public names above read as guanzhi_rules.<name>
