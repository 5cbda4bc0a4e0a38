"""A matter with several subjects (一案双查): one case file, several people, each with their part.

A ``Matter`` holds the facts the subjects share (what happened and what it caused: harm, context,
dates ...) and each subject's own facts (who they are, what they did, the responsibility found for
them, what was decided for them). Each subject is evaluated on the shared facts merged with their
own, as one ``Case``; ``evaluate_matter`` gives one determination per subject, in the order the
matter lists them, and says how the document relates their liabilities: the rules that read the
responsibility a subject bears (``subject.responsibility``) are the document's word on it, and
where a document has none, the result says it is silent rather than inventing a relation.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

import guanzhi_rules
from guanzhi_rules._case import MAX_TEXT, Case, canonical_case_json, parse_case, parse_input, read_input
from guanzhi_rules._determination import Determination, Finding, Jurisdiction
from guanzhi_rules._facts import FACTS
from guanzhi_rules._rulefile import Text
from guanzhi_rules._words import ACCOUNTABLE, cite
from guanzhi_rules._yaml import DEFAULT_LIMITS, Limits, json_default
from guanzhi_rules.exceptions import CaseError, FieldProblem

if TYPE_CHECKING:
    from guanzhi_rules._ruleset import RuleSet

MAX_SUBJECTS = 64
"""Most subjects one matter may name."""

RESPONSIBILITY = "subject.responsibility"
"""The fact through which a rule speaks of a subject's part in a matter; rules reading it relate the subjects' liabilities."""


class _Envelope(BaseModel):
    # Built on first use (defer_build): ``guanzhi evaluate`` imports this module for every file, most of them one case.
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, defer_build=True)


class _SubjectInput(_Envelope):
    name: str = Field(min_length=1, max_length=200)
    role: str | None = Field(default=None, max_length=MAX_TEXT)
    facts: dict[str, Any] = Field(default_factory=dict)


class _MatterInput(_Envelope):
    id: str | None = Field(default=None, max_length=200)
    summary: str | None = Field(default=None, max_length=MAX_TEXT)
    shared: dict[str, Any] = Field(default_factory=dict)
    subjects: list[_SubjectInput] = Field(min_length=1, max_length=MAX_SUBJECTS)


class MatterSubject(_Envelope):
    """One subject of a matter.

    ``name`` is unique in the matter, ``role`` free text never read by rules, ``case`` what is
    evaluated for them: the matter's shared facts with their own, its id ``<matter id>/<name>``.
    """

    name: str
    role: str | None
    case: Case


class Matter(_Envelope):
    """One matter and its subjects, each with the case evaluated for them. Build it with ``parse_matter`` or ``read_matter``."""

    id: str | None
    summary: str | None
    subjects: tuple[MatterSubject, ...]

    def sha256(self) -> str:
        """The SHA-256 of the matter's canonical form: its id and each subject's name, role and canonical case, in order."""
        canonical = json.dumps(
            {"id": self.id, "subjects": [[s.name, s.role, canonical_case_json(s.case)] for s in self.subjects]},
            ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()


def parse_matter(data: Matter | Mapping[str, Any] | str | bytes, *, source: str | None = None, limits: Limits = DEFAULT_LIMITS) -> Matter:
    """Validate a matter given as a ``Matter``, a mapping, or YAML/JSON text.

    The format: ``id`` and ``summary`` (optional), ``shared`` (case sections common to every subject) and
    ``subjects``, a list of ``{name, role, facts}`` where ``facts`` are the subject's own case sections.
    A fact may be given for the matter or for a subject, not both.

    Raises:
        CaseError: naming every field in error by its path in the matter (``subjects.1.facts.conduct.acts``).
    """
    if isinstance(data, Matter):
        return data
    if isinstance(data, (str, bytes)):
        data = parse_input(data, source, limits)
    if not isinstance(data, Mapping):
        raise CaseError([FieldProblem("(matter)", f"a matter must be a mapping, got {type(data).__name__}")], source=source)
    try:
        raw = _MatterInput.model_validate_json(json.dumps(data, default=json_default, allow_nan=False, ensure_ascii=False))
    except ValidationError as exc:
        raise CaseError([FieldProblem(".".join(str(p) for p in e["loc"]) or "(matter)", e["msg"])
                         for e in exc.errors(include_url=False)], source=source) from exc
    except (TypeError, ValueError) as exc:
        raise CaseError([FieldProblem("(matter)", str(exc))], source=source) from exc
    problems: list[FieldProblem] = []
    subjects: list[MatterSubject] = []
    names: set[str] = set()
    for i, subject in enumerate(raw.subjects):
        where = f"subjects.{i}"
        if subject.name in names:
            problems.append(FieldProblem(f"{where}.name", f"{subject.name!r} names an earlier subject too: names must be unique"))
        names.add(subject.name)
        merged, clashes = _merge(raw.shared, subject.facts, where)
        clashes += [FieldProblem(f"{at}.id", "a subject's case id is the matter's id and the subject's name: give it as the matter's id")
                    for at, facts in (("shared", raw.shared), (f"{where}.facts", subject.facts)) if "id" in facts]
        problems += clashes
        if clashes:
            continue
        case_id = f"{raw.id}/{subject.name}" if raw.id else subject.name
        try:
            case = parse_case({"id": case_id, **merged}, limits=limits)
        except CaseError as exc:
            problems += [FieldProblem(_origin(p.path, raw.shared, subject.facts, where), p.message) for p in exc.problems]
            continue
        subjects.append(MatterSubject(name=subject.name, role=subject.role, case=case))
    if problems:  # a shared fact in error is reported once, not once per subject
        raise CaseError(list({(q.path, q.message): q for q in problems}.values()), source=source)
    return Matter(id=raw.id, summary=raw.summary, subjects=tuple(subjects))


def read_matter(path: str | Path, *, limits: Limits = DEFAULT_LIMITS) -> Matter:
    """Read and validate a matter file (YAML or JSON).

    Raises:
        CaseError: the file cannot be read, is too large, or the matter is invalid.
    """
    path = Path(path)
    return parse_matter(read_input(path, limits), source=str(path), limits=limits)


def read_case_or_matter(path: str | Path, *, limits: Limits = DEFAULT_LIMITS) -> Case | Matter:
    """Read a file that holds either one case or a matter: a matter lists ``subjects``, which no case has.

    Raises:
        CaseError: the file cannot be read, is too large, or what it holds is invalid.
    """
    path = Path(path)
    data = parse_input(read_input(path, limits), str(path), limits)
    if isinstance(data, Mapping) and "subjects" in data:
        return parse_matter(data, source=str(path), limits=limits)
    return parse_case(data, source=str(path), limits=limits)


def matter_schema() -> dict[str, Any]:
    """The JSON Schema of a matter file: ``shared`` and each subject's ``facts`` take the case's sections."""
    case = Case.model_json_schema()
    sections = {k: v for k, v in case["properties"].items() if k not in ("id", "summary")}
    facts = {"type": "object", "properties": sections, "additionalProperties": False}
    schema = _MatterInput.model_json_schema()
    schema.setdefault("$defs", {}).update(case.get("$defs", {}))
    schema["properties"]["shared"] = {**facts, "title": "Shared facts", "description": "Case sections common to every subject."}
    schema["$defs"]["_SubjectInput"]["properties"]["facts"] = {
        **facts, "title": "The subject's facts", "description": "Case sections of this subject alone."}
    return schema


def _merge(shared: Mapping[str, Any], own: Mapping[str, Any], where: str) -> tuple[dict[str, Any], list[FieldProblem]]:
    """The shared sections with the subject's own merged in, and every fact given in both places."""
    merged: dict[str, Any] = {}
    clashes: list[FieldProblem] = []
    for section in dict.fromkeys([*shared, *own]):
        mine, common = own.get(section), shared.get(section)
        if isinstance(mine, Mapping) and isinstance(common, Mapping):
            both = sorted(set(mine) & set(common))
            clashes += [FieldProblem(f"{where}.facts.{section}.{name}", f"also given for the matter (shared.{section}.{name}): "
                                     "give each fact once, for the matter or for the subject") for name in both]
            merged[section] = {**common, **mine}
        elif section in own and section in shared:
            clashes.append(FieldProblem(f"{where}.facts.{section}", f"also given for the matter (shared.{section})"))
        else:
            merged[section] = mine if section in own else common
    return merged, clashes


def _origin(path: str, shared: Mapping[str, Any], own: Mapping[str, Any], where: str) -> str:
    """Where a problem at ``path`` of a subject's merged case was written: in the subject's facts, in the shared ones, or across both."""
    parts = path.split(".")
    for prefix, tree in ((f"{where}.facts", own), ("shared", shared)):
        node: Any = tree
        for part in parts[:2]:
            if not isinstance(node, Mapping) or part not in node:
                break
            node = node[part]
        else:
            return f"{prefix}.{path}"
    return f"{where} ({path})"


# -- the result ---------------------------------------------------------------------------------------


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)  # as _Envelope: built when a matter is evaluated


class SubjectDetermination(_Out):
    """One subject's ``determination``, with the ``name`` and ``role`` the matter gives and the ``responsibility`` found."""

    name: str
    role: str | None
    responsibility: str | None
    determination: Determination


class Relation(_Out):
    """What the document says of one subject's liability in relation to the matter (a rule reading their responsibility)."""

    subject: str
    result: Literal["applies", "undetermined"]
    finding: Finding
    text: Text | None


class MatterDetermination(_Out):
    """A matter under one rule set: a determination per subject, and how the document relates their liabilities.

    ``relations`` are the rules on the subjects' responsibility that apply (or are open) for each subject;
    ``relations_statement`` says what the document provides on it, or that it is silent.
    """

    matter_id: str | None
    jurisdiction: Jurisdiction
    subjects: tuple[SubjectDetermination, ...]
    relations: tuple[Relation, ...]
    relations_statement: Text
    matter_sha256: str

    def to_json(self, *, indent: int | None = 2) -> str:
        """Deterministic JSON, as a determination's."""
        return self.model_dump_json(indent=indent)

    def to_text(self, lang: Literal["zh", "en"] = "zh") -> str:
        """A readable rendering: the subjects and their parts, the relations, then each subject's determination."""
        return _render(self, lang)

    def subject(self, name: str) -> SubjectDetermination:
        """The determination of the subject with this name.

        Raises:
            KeyError: no subject has that name.
        """
        for s in self.subjects:
            if s.name == name:
                return s
        raise KeyError(name)


_SILENT = Text(
    zh="本文件未规定同一事项中多名责任人的责任如何相互关联（如“一案双查”）；各责任人分别依本文件认定",
    en="This document does not say how the liabilities of several subjects of one matter relate (such as 一案双查); "
       "each subject is decided under it separately")
_PROVIDES = Text(
    zh="本文件就同一事项中不同责任类型的责任追究作出规定，见下列各项",
    en="This document provides for pursuing each kind of responsibility in one matter: see the items below")
_NOT_MET = Text(
    zh="本文件就不同责任类型的责任追究作出了规定，但本事项的事实不符合其条件",
    en="This document provides for pursuing each kind of responsibility in one matter, but the facts of this matter "
       "do not meet its conditions")
_OPEN = Text(
    zh="本文件就不同责任类型的责任追究作出了规定，是否适用于本事项取决于尚未查明的事实（如各责任人承担的责任类型）",
    en="This document provides for pursuing each kind of responsibility in one matter; whether it applies here depends on "
       "facts not yet known (such as the responsibility each subject bears)")


def evaluate_matter(
    matter: Matter | Mapping[str, Any], ruleset: RuleSet, *, backend: str = "default", sensitivity: bool = False,
) -> MatterDetermination:
    """Evaluate every subject of ``matter`` under ``ruleset``, in the matter's order, and relate their liabilities.

    Args:
        matter: a ``Matter``, or a mapping validated as one (see ``parse_matter``).
        ruleset: the rule set to evaluate under.
        backend, sensitivity: as for ``RuleSet.evaluate``, for each subject.

    Raises:
        CaseError: the mapping is not a valid matter.
    """
    parsed = parse_matter(matter)
    relation_rules = [r for r in ruleset if RESPONSIBILITY in r.reads]
    subjects: list[SubjectDetermination] = []
    relations: list[Relation] = []
    for s in parsed.subjects:
        d = ruleset.evaluate(s.case, backend=backend, sensitivity=sensitivity)
        responsibility = s.case.subject.responsibility
        subjects.append(SubjectDetermination(
            name=s.name, role=s.role, responsibility=responsibility.value if responsibility else None, determination=d))
        texts = {st.finding.rule_id: st.text for st in d.statements}
        for rule in relation_rules:
            step = d.step(rule.id)
            if step.result in ("applies", "undetermined"):
                finding = Finding(rule_id=rule.id, label=rule.rule.label, modality=rule.rule.modality, citation=rule.cited,
                                  facts=step.facts)
                relations.append(Relation(subject=s.name, result=step.result, finding=finding, text=texts.get(rule.id)))
    if not relation_rules:
        statement = _SILENT
    elif any(r.result == "applies" for r in relations):
        statement = _PROVIDES
    else:
        statement = _OPEN if relations else _NOT_MET
    doc = ruleset.file.document
    return MatterDetermination(
        matter_id=parsed.id, jurisdiction=Jurisdiction(key=doc.key, title=doc.title, number=doc.number, issued=str(doc.issued)),
        subjects=tuple(subjects), relations=tuple(relations), relations_statement=statement, matter_sha256=parsed.sha256())


_HEADINGS = {
    "subjects": Text(zh="本事项的责任人", en="Subjects of the matter"),
    "relations": Text(zh="多名责任人的责任关系", en="How their liabilities relate"),
    "role": Text(zh="职务", en="role"),
    "responsibility": Text(zh="责任类型", en="responsibility"),
    "unknown": Text(zh="未载明", en="not recorded"),
    "open": Text(zh="（尚不能确定）", en=" (undetermined)"),
}


def _render(m: MatterDetermination, lang: str) -> str:
    h = {k: v.get(lang) for k, v in _HEADINGS.items()}
    colon, semi, (left, right) = ("：", "；", "（）") if lang == "zh" else (": ", "; ", "()")
    values = FACTS[RESPONSIBILITY].values
    assert values is not None
    title = f"{m.jurisdiction.title} [{m.jurisdiction.key}]" + (f" — {m.matter_id}" if m.matter_id else "")
    out = [title, "", f"{h['subjects']}{colon.strip()}"]
    for s in m.subjects:
        part = next(v for v in values if v.value == s.responsibility).label(lang) if s.responsibility else h["unknown"]
        role = f"{h['role']}{colon}{s.role}{semi}" if s.role else ""
        accountable = ACCOUNTABLE[s.determination.sanctions.accountable].get(lang)
        out.append(f"   - {s.name}{' ' if lang != 'zh' else ''}{left}{role}{h['responsibility']}{colon}{part}{right} — {accountable}")
    out += ["", f"{h['relations']}{colon.strip()}", f"   {m.relations_statement.get(lang)}"]
    for r in m.relations:
        said = r.text.get(lang) if r.text else r.finding.label.get(lang)
        open_ = h["open"] if r.result == "undetermined" else ""
        out.append(f"   - {r.subject}{colon}{said}{open_} [{r.finding.rule_id}; {cite(r.finding.citation)}]")
    for s in m.subjects:
        out += ["", "=" * 8 + f" {s.name} " + "=" * 8, s.determination.to_text(lang)]  # type: ignore[arg-type]
    return "\n".join(out).rstrip("\n") + "\n"


guanzhi_rules._present(__name__)  # the public names above read as guanzhi_rules.<name>
