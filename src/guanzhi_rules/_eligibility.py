"""Eligibility over a history: may this person be promoted, appointed or awarded on a given date?

Each past decision is evaluated under its jurisdiction's rules as a decision already taken, so
its measures' consequences follow with dated periods. On the date asked about, a restriction
blocks when a decision taken on or before that date froze it and the freeze has not ended.
Overlapping freezes combine by the latest end. A freeze whose end the case cannot give (a length
the text does not fix, or rectification not yet dated) leaves the answer open; a freeze without
time limit blocks with no earliest date.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

import guanzhi_rules
from guanzhi_rules._case import parse_case, read_input
from guanzhi_rules._determination import ConsequenceItem, Determination
from guanzhi_rules._evaluator import evaluate
from guanzhi_rules._loader import load_bundled
from guanzhi_rules._rulefile import Cited, Text
from guanzhi_rules._vocab import Discipline, Measure
from guanzhi_rules._words import where
from guanzhi_rules._yaml import DEFAULT_LIMITS, Limits, YamlError, json_default
from guanzhi_rules._yamlparse import parse
from guanzhi_rules.exceptions import CaseError, FieldProblem

Question = Literal["promotion", "higher_post", "equivalent_post", "related_post", "awards"]
QUESTIONS: tuple[Question, ...] = ("promotion", "higher_post", "equivalent_post", "related_post", "awards")

BLOCKED_BY: dict[str, frozenset[str]] = {
    "promotion": frozenset({"promotion", "higher_post", "any_post"}),
    "higher_post": frozenset({"promotion", "higher_post", "any_post"}),
    "equivalent_post": frozenset({"equivalent_post", "any_post"}),
    "related_post": frozenset({"related_post", "any_post"}),
}
"""Which freezes (by restriction) block each appointment question: 不得提拔 and 不得担任高于原职务层次的职务
both bar a higher post; 不安排职务 bars every post; related_post is a post over the formerly supervised
department or related to the problem handled."""


class PastDecision(BaseModel):
    """One earlier decision about the person."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    jurisdiction: str = Field(description="Key of the bundled rule set the decision was taken under.")
    decided: dt.date = Field(description="Decision date.")
    measures: frozenset[Measure] = Field(default_factory=frozenset, description="Measures imposed.")
    discipline: frozenset[Discipline] = Field(default_factory=frozenset, description="Disciplinary sanctions imposed alongside.")
    rectified: dt.date | None = Field(default=None, description="When rectification was complete, where a freeze runs until then.")
    facts: dict[str, Any] = Field(default_factory=dict, description="Further case facts (e.g. subject.on_probation), as in a case file.")


class Blocker(BaseModel):
    """A freeze from one past decision that bears on the question."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    decision: int = Field(description="Index of the decision in the history.")
    jurisdiction: str
    measure: str | None
    rule_id: str
    article: str = Field(description="The article of the rule's citation, canonical (第十三条, 二); the whole address is in ``citation``.")
    citation: Cited = Field(description="The rule's citation, with its canonical address (article, item, sub-item).")
    restriction: str
    last_day: str | None
    free_from: str | None
    time_limit: Literal["dated", "not_fixed", "none", "until_rectification"]
    note: Text


class Answer(BaseModel):
    """The answer to one ``question`` (promotion, a higher post, awards, ...) on the date asked.

    ``eligible`` is None when a blocking period has no end the case can date; ``earliest`` is the
    first day it becomes possible, when it can be dated; ``blocked_by`` lists the freezes in the way.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    question: Question
    eligible: bool | None = Field(description="None: a blocking period has no end the case can date.")
    earliest: str | None = Field(description="The first day it becomes possible, when it can be dated.")
    blocked_by: tuple[Blocker, ...]


class Eligibility(BaseModel):
    """Answers for one date over a person's history of decisions."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    on: str
    answers: tuple[Answer, ...]

    def answer(self, question: Question) -> Answer:
        """The answer to one question."""
        return next(a for a in self.answers if a.question == question)

    def to_json(self) -> str:
        """The answers as JSON, indented, in a fixed field order."""
        return self.model_dump_json(indent=2)

    def to_text(self, lang: Literal["zh", "en"] = "zh") -> str:
        """A readable list of the answers and what blocks each, in Chinese or English."""
        names = {"promotion": ("提拔", "promotion"), "higher_post": ("担任更高层次职务", "a higher post"),
                 "equivalent_post": ("担任与原职务相当的职务", "an equivalent post"),
                 "related_post": ("担任相关联的职务", "a related post"), "awards": ("评优评先", "awards")}
        zh = lang == "zh"
        lines = [f"{'资格' if zh else 'Eligibility on'} {self.on}"]
        for a in self.answers:
            state = {True: ("可以", "yes"), False: ("不可以", "no"), None: ("尚不能确定", "cannot be dated")}[a.eligible][not zh]
            since = f"；最早 {a.earliest}" if zh and a.earliest else f"; earliest {a.earliest}" if a.earliest else ""
            lines.append(f"- {names[a.question][not zh]}: {state}{since}")
            for b in a.blocked_by:
                until = b.last_day or b.note.get(lang)
                lines.append(f"    {b.jurisdiction} #{b.decision} {b.measure or ''} [{b.rule_id}; {where(b.citation)}]: "
                             f"{b.restriction} {'至' if zh else 'until'} {until}")
        return "\n".join(lines) + "\n"


def _determination(decision: PastDecision, index: int) -> Determination:
    data = dict(decision.facts)
    where = f"history[{index}].facts."
    odd = [FieldProblem(where + section, "must be an object (a mapping)")
           for section in ("decision", "dates") if not isinstance(data.get(section, {}), Mapping)]
    if odd:
        raise CaseError(odd)
    data["decision"] = {**data.get("decision", {}), "measures": sorted(m.value for m in decision.measures),
                        "discipline": sorted(d.value for d in decision.discipline), "date": decision.decided.isoformat()}
    if decision.rectified:
        data["dates"] = {**data.get("dates", {}), "rectified": decision.rectified.isoformat()}
    try:
        case = parse_case(data)
    except CaseError as exc:
        raise CaseError([FieldProblem(where + problem.path, problem.message) for problem in exc.problems]) from None
    return evaluate(load_bundled(decision.jurisdiction), case, decided=True)


def _items(d: Determination) -> Iterable[tuple[str | None, ConsequenceItem]]:
    for mc in d.consequences:
        for item in mc.items:
            yield mc.measure, item
    for item in d.general_consequences:
        yield None, item


def eligibility(history: Iterable[PastDecision | Mapping[str, Any]], on: dt.date) -> Eligibility:
    """Whether the person may be promoted, appointed to a higher or equivalent post, or receive awards on ``on``.

    Decisions taken after ``on`` are not yet in force and are ignored.

    Raises:
        CaseError: a history entry is malformed (named by its index).
        RuleSetError: a jurisdiction is unknown.
    """
    decisions = [_past(entry, i) for i, entry in enumerate(history)]
    blockers: dict[str, list[Blocker]] = {q: [] for q in QUESTIONS}
    for index, decision in enumerate(decisions):
        if decision.decided > on:
            continue
        d = _determination(decision, index)
        for measure, item in _items(d):
            base = {"decision": index, "jurisdiction": d.jurisdiction.key, "measure": measure,
                    "rule_id": item.rule_id, "article": item.citation.address.article, "citation": item.citation}
            if item.awards and item.awards_year == on.year:
                blockers["awards"].append(Blocker(
                    **base, restriction="awards", last_day=f"{on.year}-12-31", free_from=f"{on.year + 1}-01-01",
                    time_limit="dated", note=Text(zh=f"取消{on.year}年度评优评先资格", en=f"no awards for {on.year}")))
            if item.freeze is None or item.period is None:
                continue
            period = item.period
            if period.last_day is not None and dt.date.fromisoformat(period.last_day) < on:
                continue
            for question, restrictions in BLOCKED_BY.items():
                if item.freeze.restriction in restrictions:
                    blockers[question].append(Blocker(
                        **base, restriction=item.freeze.restriction, last_day=period.last_day,
                        free_from=period.free_from, time_limit=_time_limit(item), note=period.note))
    return Eligibility(on=on.isoformat(), answers=tuple(_answer(q, blockers[q], on) for q in QUESTIONS))


def _answer(question: Question, blockers: list[Blocker], on: dt.date) -> Answer:
    undated = [b for b in blockers if b.last_day is None]
    if not blockers:
        eligible: bool | None = True
    elif len(undated) < len(blockers) or any(b.time_limit == "none" for b in undated):
        eligible = False
    else:
        eligible = None
    earliest = None if undated else max((b.free_from for b in blockers if b.free_from), default=on.isoformat())
    return Answer(question=question, eligible=eligible, earliest=earliest, blocked_by=tuple(blockers))


def _time_limit(item: ConsequenceItem) -> Literal["dated", "not_fixed", "none", "until_rectification"]:
    assert item.freeze is not None and item.period is not None
    if item.period.last_day is not None:
        return "dated"
    if item.freeze.length == "indefinite":
        return "none"
    return "until_rectification" if item.freeze.until else "not_fixed"


def _past(entry: PastDecision | Mapping[str, Any], index: int) -> PastDecision:
    if isinstance(entry, PastDecision):
        return entry
    if not isinstance(entry, Mapping):
        raise CaseError([FieldProblem(f"history[{index}]", f"a past decision is an object, not {type(entry).__name__}")])
    try:
        text = _json(entry)
    except (TypeError, ValueError) as exc:  # a value JSON cannot hold
        raise CaseError([FieldProblem(f"history[{index}]", f"holds a value that is not data: {exc}")]) from None
    try:
        return PastDecision.model_validate_json(text)
    except ValidationError as exc:
        raise CaseError([FieldProblem(f"history[{index}]." + ".".join(str(p) for p in e["loc"]), e["msg"])
                         for e in exc.errors(include_url=False)]) from exc


def _json(entry: Mapping[str, Any]) -> str:
    return json.dumps(entry, default=json_default, ensure_ascii=False)


def read_history(path: str | Path, *, limits: Limits = DEFAULT_LIMITS) -> list[PastDecision]:
    """Read a history file: a YAML or JSON list of past decisions, within ``limits``.

    Raises:
        CaseError: the file cannot be read, is too large, or an entry is malformed.
    """
    path = Path(path)
    raw = read_input(path, limits)
    try:
        data = parse(raw, limits=limits)
    except YamlError as exc:
        raise CaseError([FieldProblem("(document)", exc.message)], source=str(path)) from exc
    if not isinstance(data, list):
        raise CaseError([FieldProblem("(document)", "a history is a list of past decisions")], source=str(path))
    return [_past(entry, i) for i, entry in enumerate(data)]


guanzhi_rules._present(__name__)  # the public names above read as guanzhi_rules.<name>
