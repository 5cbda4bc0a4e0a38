"""The drafter's workbench: a web page of ``guanzhi serve`` at ``/workbench``, and the few routes it needs.

The page (``workbench/index.html``, ``app.js``, ``app.css``, shipped in the package and served from
it: nothing is fetched from elsewhere) reads a rule set beside its official text, writes a proposal
as an overlay, measures its impact with ``POST /diff`` and shows the report. It uses the public API
where that already answers (``POST /check``, ``POST /diff``, ``GET /jobs/{id}``) and these routes,
kept out of the OpenAPI description because only the page calls them, where the page needs words
or parsing that belong to the library:

``GET /workbench/api/rulesets/{key}``
    the official text article by article, each article's rules beside it: label, modality, the
    condition and the effect in words (both languages, from the renderings' own vocabularies) and
    the parameters a form can change, each with its overlay ``set`` path.
``POST /workbench/api/overlay``
    overlay YAML as typed: parsed with the library's limits (``_yaml``), then ``guanzhi check`` of
    the amended rule set; the first error with its line and column.
``POST /workbench/api/yaml``
    an overlay as data, written as YAML for the editor.
``POST /workbench/api/diff``
    a diff over uploaded case files or a case table (CSV, Parquet), queued as ``POST /diff`` queues one.
``GET /workbench/api/jobs/{id}/view``, ``GET /workbench/api/jobs/{id}/report.html``
    a finished diff for the page (examples worded as ``evaluate`` words them, the differing lines
    marked), and the self-contained HTML report ``guanzhi diff --format html`` writes.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any, Literal, Protocol

import yaml
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field

from guanzhi_rules import BUNDLED, Case, CaseError, GuanzhiError, RuleSet, _diffreport, load
from guanzhi_rules._determination import Determination
from guanzhi_rules._diff import DiffReport
from guanzhi_rules._facts import FACTS
from guanzhi_rules._inline import check_overlay
from guanzhi_rules._loader import rules_dir
from guanzhi_rules._parameters import Parameter, editable_parameters
from guanzhi_rules._render import _HEADINGS, _STATUS, _freeze
from guanzhi_rules._rulefile import Effect, Rule, Text
from guanzhi_rules._source import load_source
from guanzhi_rules._suggestions import suggest
from guanzhi_rules._vocab import Measure
from guanzhi_rules._words import FACTORS, MODALITIES, OPERATORS, SCOPE_OUTCOMES, STAGES, show_value, where
from guanzhi_rules._yaml import YamlError
from guanzhi_rules._yamlparse import parse

_FINGERPRINTS, _TRACE = _HEADINGS["fingerprints"], _HEADINGS["trace"]

ASSETS = Path(str(files("guanzhi_rules") / "workbench"))
"""The page's files, shipped inside the package."""

Lang = Literal["zh", "en"]

router = APIRouter(prefix="/workbench", include_in_schema=False)


def mount(app: FastAPI) -> None:
    """Add the workbench page, its files and its routes to ``app``."""
    app.include_router(router)
    app.mount("/workbench/static", StaticFiles(directory=ASSETS), name="workbench-static")


@router.get("", response_class=HTMLResponse)
def page() -> HTMLResponse:
    """The workbench page."""
    return HTMLResponse((ASSETS / "index.html").read_text(encoding="utf-8"))


# -- a rule set in words --------------------------------------------------------------------------

def _pair(zh: str, en: str) -> dict[str, str]:
    return {"zh": zh, "en": en}


def _text(t: Text) -> dict[str, str]:
    return _pair(t.zh, t.en)


def _both(word: Any) -> dict[str, str]:
    return _pair(word("zh"), word("en"))


def _fact(name: str, lang: str) -> str:
    spec = FACTS.get(name)
    if spec is None:
        return name
    return f"{spec.zh}" if lang == "zh" else spec.en


def _value(name: str, value: Any, lang: str) -> str:
    if name not in FACTS:
        return str(value)
    if isinstance(value, (list, tuple)):  # a list's items with 、 so they stand apart from the clauses' ；
        return ("、" if lang == "zh" else ", ").join(show_value(name, v, lang) for v in value)
    return show_value(name, value, lang)


def _addresses(refs: Sequence[str], rules: Mapping[str, str], lang: str) -> str:
    """Rule ids, id prefixes (``art7.*``) or ``stage:NAME`` as the articles of the rules they name, or the stage's name."""
    shown: list[str] = []
    for ref in refs:
        if ref.startswith("stage:"):
            word = STAGES.get(ref.removeprefix("stage:"))
            found = [word.get(lang) if word else ref]
        elif ref.endswith("*"):
            found = [address for rule_id, address in rules.items() if rule_id.startswith(ref[:-1])]
        else:
            found = [rules.get(ref, ref)]
        shown += [f for f in found if f not in shown]
    return ("、" if lang == "zh" else ", ").join(shown)


def condition_words(data: Any, lang: str, define: Mapping[str, Any] | None = None, rules: Mapping[str, str] | None = None) -> str:
    """A rule's condition (the rule file's data) as a sentence: fact labels and value labels of ``lang``.

    A named condition (``use``) is spelt out from ``define`` where given, and rules a condition asks about
    (``applies``) are named by the articles ``rules`` gives for their ids, so no identifier stands in for words.
    """
    zh = lang == "zh"
    define, rules = define or {}, rules or {}
    if data is None:
        return "无条件" if zh else "always"
    if isinstance(data, str):
        return _fact(data, lang)
    if not isinstance(data, dict):
        return str(data)
    for group, joiner in (("all", ("；且", "; and ")), ("any", ("；或", "; or "))):
        if group in data:
            parts = [condition_words(part, lang, define, rules) for part in data[group]]
            inner = (joiner[0] if zh else joiner[1]).join(parts)
            return f"（{inner}）" if zh else f"({inner})"
    if "not" in data:
        return ("并非" if zh else "not ") + condition_words(data["not"], lang, define, rules)
    if "use" in data and data["use"] in define:
        return condition_words(define[data["use"]], lang, define, rules)
    if "use" in data:
        return (f"符合定义“{data['use']}”" if zh else f"definition '{data['use']}' holds")
    if "applies" in data:
        named = _addresses(data["applies"], rules, lang)
        return (f"{named}的规则成立" if zh else f"a rule of {named} stands")
    name = data.get("fact", "")
    for op, word in OPERATORS.items():
        if op in data:
            return f"{_fact(name, lang)}{word.zh}{_value(name, data[op], lang)}" if zh else \
                f"{_fact(name, lang)} {word.en} {_value(name, data[op], lang)}"
    return str(data)


_MEASURES = {m.value: m for m in Measure}


def _measure(code: str, lang: str) -> str:
    return _MEASURES[code].label(lang)


def effect_words(effect: Effect, lang: str) -> str:
    """One effect of a rule in words."""
    zh = lang == "zh"
    if effect.scope is not None:
        return SCOPE_OUTCOMES[effect.scope].get(lang)
    if effect.category is not None:
        return ("问责情形：" if zh else "circumstance: ") + effect.category.get(lang)
    if effect.exempt:
        return "免予问责" if zh else "exempt from accountability"
    if effect.factor is not None:
        return FACTORS[effect.factor].get(lang)
    if effect.measures is not None:
        names = ("、" if zh else ", ").join(_measure(m, lang) for m in effect.measures)
        return names + (("等" if zh else " and the like") if effect.open_ended else "")
    if effect.freeze is not None:
        return _freeze(effect.freeze, lang)
    if effect.awards is not None:
        return "当年度不得评优评先" if zh else "no awards or honours for the year"
    if effect.annual_grade is not None:
        grades = {"basically_competent": ("基本称职", "basically competent"), "incompetent": ("不称职", "incompetent")}
        graded = [grades.get(g, (g, g))[0 if zh else 1] for g in effect.annual_grade]
        return ("年度考核等次确定为" + "或".join(graded)) if zh else "annual grade: " + " or ".join(graded)
    if effect.status is not None:
        return ("；" if zh else "; ").join(_STATUS[s][0 if zh else 1] for s in effect.status)
    for text in (effect.organisation, effect.statement, effect.choice.reason if effect.choice else None):
        if text is not None:
            return text.get(lang)
    if effect.referral is not None:
        return "移送处理" if zh else "referral"
    return "程序期限" if zh else "a procedural deadline"


def rule_view(rule: Rule, define: Mapping[str, Any], rules: Mapping[str, str], parameters: Sequence[Parameter]) -> dict[str, Any]:
    """A rule as the Read view shows it, both languages of every word, with the parameters its forms change."""
    return {
        "id": rule.id,
        "stage": rule.stage, "stage_words": _text(STAGES[rule.stage]),
        "modality": rule.modality, "modality_words": _text(MODALITIES[rule.modality]),
        "label": _text(rule.label),
        "condition": _both(lambda lang: condition_words(rule.when, lang, define, rules)) if rule.when is not None or not rule.catch_all
        else _pair("其他情形，由决定机关认定", "a catch-all: the decision-maker's finding"),
        "effect": _both(lambda lang: ("；" if lang == "zh" else "; ").join(effect_words(e, lang) for e in rule.then) if rule.then
                        else ("排除：" if lang == "zh" else "defeats: ") + _addresses(rule.defeats, rules, lang)),
        "measures_for": [_measure(m, "zh") for m in rule.for_measures or ()],
        "note": _text(rule.note) if rule.note else None,
        "citation": {"where": where(rule.citation), "quote": rule.citation.quote,
                     "article": rule.citation.canonical.article, "part": rule.citation.part,
                     "document": rule.citation.document, "draft": rule.citation.draft},
        "parameters": [p.model_dump(mode="json") for p in parameters],
        "data": rule.model_dump(mode="json", exclude_defaults=True),
    }


def _problem(status: int, kind: str, title: str, detail: str, request: Request | None = None) -> JSONResponse:
    body = {"type": f"urn:guanzhi:problem:{kind}", "title": title, "status": status, "detail": detail, "errors": []}
    if request is not None:
        body["instance"] = request.url.path
    return JSONResponse(body, status_code=status, media_type="application/problem+json")


@router.get("/api/rulesets/{key}")
def ruleset_view(key: str) -> Response:
    """A bundled rule set for the Read view: its articles, each with the rules that cite it."""
    if key not in BUNDLED:
        return _problem(404, "not-found", "Unknown rule set", f"no bundled rule set {key[:40]!r}{suggest(key, BUNDLED)}")
    rs = load(key)
    source = load_source(rules_dir() / "sources" / rs.file.document.source)
    part_of = {id(node): title for title, top in source.parts.items() for node in top.walk()}
    listing = editable_parameters(rs)
    of_definition: dict[str, list[Parameter]] = {}
    for p in listing.definitions:
        of_definition.setdefault(p.define or "", []).append(p)
    entries = {entry.id: entry for entry in listing.rules}
    addresses = {rule.id: where(rule.citation, part=False) for rule in rs.file.rules}
    rules = [rule_view(rule, rs.file.define, addresses, [*entries[rule.id].parameters, *(p for name in entries[rule.id].uses
                                                                                for p in of_definition.get(name, ()))])
             for rule in rs.file.rules]
    articles: list[dict[str, Any]] = []
    index: dict[tuple[str | None, str], dict[str, Any]] = {}
    for node in source.root.walk():
        if node.kind != "article":
            continue
        article: dict[str, Any] = {"part": part_of.get(id(node)), "address": "".join(node.address), "text": source.text_of(node),
                                   "rules": []}
        articles.append(article)
        index[(article["part"], article["address"])] = article
    elsewhere: list[str] = []
    for rule in rules:
        c = rule["citation"]
        target = index.get((c["part"], c["article"])) if c["document"] in (None, key) else None
        if target is None:
            elsewhere.append(rule["id"])
        else:
            target["rules"].append(rule["id"])
    doc = rs.file.document
    return JSONResponse({"key": key, "title": doc.title, "articles": articles, "rules": rules, "elsewhere": elsewhere,
                         "measures": [{"code": m.value, "label": _pair(m.label("zh"), m.label("en"))} for m in Measure],
                         "ladder": [m for m in rs.ladder_order]})


@router.get("/api/facts")
def facts_view() -> Response:
    """Every fact a condition can read or a population fix: name, labels, kind and values (for the forms)."""
    out = [{"name": name, "label": _pair(spec.zh, spec.en), "kind": spec.kind,
            "values": [{"code": m.value, "label": _pair(m.label("zh"), m.label("en"))} for m in spec.values] if spec.values else None}
           for name, spec in FACTS.items()]
    return JSONResponse(out)


# -- the overlay as text --------------------------------------------------------------------------

class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class OverlayText(_Body):
    text: str = Field(max_length=1_000_000)
    lang: Lang = "zh"


class OverlayData(_Body):
    overlay: dict[str, Any]


@router.post("/api/overlay")
def overlay_check(body: OverlayText) -> Response:
    """Overlay YAML as typed: parsed with the library's limits, then checked; the first error has its line and column."""
    try:
        data = parse(body.text)
    except YamlError as exc:
        mark = exc.mark
        return JSONResponse({"ok": False, "overlay": None, "line": mark.line if mark else None,
                             "column": mark.column if mark else None, "message": exc.message, "findings": []})
    if not isinstance(data, dict) or not isinstance(data.get("overlay"), dict):
        return JSONResponse({"ok": False, "overlay": None, "line": 1, "column": 1, "findings": [],
                             "message": "an overlay is a mapping with an 'overlay:' header naming its base"})
    base = data["overlay"].get("base")
    if base not in BUNDLED:
        return JSONResponse({"ok": False, "overlay": None, "line": None, "column": None, "findings": [],
                             "message": f"overlay.base: no bundled rule set {str(base)[:40]!r}{suggest(str(base), BUNDLED)}"})
    report = check_overlay(body.text, "overlay")
    findings = [{"kind": f.kind, "message": f.message, "rule_id": f.rule_id, "text": f.text(body.lang)} for f in report.findings]
    errors = [f for f in findings if f["kind"] == "schema"]
    return JSONResponse({"ok": report.ok, "overlay": _plain(data), "line": None, "column": None,
                         "message": errors[0]["message"] if errors else None, "findings": findings,
                         "drafts": list(report.drafts)})


def _plain(data: Any) -> Any:
    if isinstance(data, dict):
        return {str(k): _plain(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_plain(v) for v in data]
    if hasattr(data, "isoformat"):
        return data.isoformat()
    return data


@router.post("/api/yaml")
def overlay_yaml(body: OverlayData) -> Response:
    """An overlay as data, written as YAML for the editor (sections in the order the loader applies them)."""
    order = ["overlay", "remove", "replace", "add", "set", "drop_silence"]
    ordered = {k: body.overlay[k] for k in order if k in body.overlay} | {k: v for k, v in body.overlay.items() if k not in order}
    text = yaml.safe_dump(ordered, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False)
    return JSONResponse({"text": text})


# -- diffs over uploaded cases ------------------------------------------------------------------

class _Jobs(Protocol):
    def submit(self, base: RuleSet, changed: RuleSet, cases: Sequence[Case], examples: int) -> BaseModel: ...
    def result(self, job_id: str) -> str: ...


class _Service(Protocol):
    """What the routes use of ``_service.Service`` (``app.state.service``); the service imports this module, not the reverse."""

    limits: Any
    jobs: _Jobs

    def ruleset(self, ref: Any, path: str) -> RuleSet: ...


@dataclass(frozen=True)
class _Amended:
    """A bundled rule set amended by overlays, as ``Service.ruleset`` takes one (``RuleSetSpec``'s key and overlays)."""

    key: str
    overlays: list[str]


class Upload(_Body):
    name: str = Field(max_length=200)
    data: str = Field(description="The file's bytes, base64.")


class UploadDiff(_Body):
    base: str
    overlays: list[str] = Field(max_length=8, description="Overlay YAML texts applied to the base, in order.")
    files: list[Upload] = Field(min_length=1, max_length=1000)
    examples: int = Field(default=3, ge=0, le=20)


def _cases_of(files_: Sequence[Upload]) -> tuple[list[Case], list[str]]:
    from guanzhi_rules import parse_case  # noqa: PLC0415 - the table reader's pyarrow only when a table arrives

    cases: list[Case] = []
    problems: list[str] = []
    for upload in files_:
        try:
            raw = base64.b64decode(upload.data, validate=True)
        except (binascii.Error, ValueError):
            problems.append(f"{upload.name}: not base64")
            continue
        suffix = Path(upload.name).suffix.lower()
        if suffix in (".csv", ".parquet", ".pq"):
            try:
                from guanzhi_rules._tables import cases_of, read_table  # noqa: PLC0415
            except ImportError:
                problems.append(f"{upload.name}: reading tables needs the 'tables' extra (pyarrow)")
                continue
            try:
                cases.extend(cases_of(read_table(raw, name=upload.name), name=upload.name).cases)
            except GuanzhiError as exc:  # TableError: the file or a row
                problems.append(str(exc))
        elif suffix in (".yaml", ".yml", ".json"):
            try:
                cases.append(parse_case(raw, source=upload.name))
            except CaseError as exc:
                problems.append(str(exc))
        else:
            problems.append(f"{upload.name}: a case file is .yaml, .yml or .json; a table .csv or .parquet")
    return cases, problems


@router.post("/api/diff", status_code=202)
def upload_diff(request: Request, body: UploadDiff) -> Response:
    """Queue the impact of the overlays over uploaded case files or tables, as ``POST /diff`` queues one."""
    service: _Service = request.app.state.service
    cases, problems = _cases_of(body.files)
    if problems:
        return _problem(422, "invalid-case", "Invalid case", problems[0], request)
    if len(cases) > service.limits.max_diff_cases:
        return _problem(422, "too-many-cases", "Too many cases", f"at most {service.limits.max_diff_cases} posted cases per diff", request)
    base = service.ruleset(body.base, "base")
    changed = service.ruleset(_Amended(key=body.base, overlays=list(body.overlays)), "changed")
    job = service.jobs.submit(base, changed, cases, body.examples)
    return Response(job.model_dump_json(), status_code=202, media_type="application/json")


# -- a finished diff ------------------------------------------------------------------------------

def _report(request: Request, job_id: str) -> DiffReport:
    service: _Service = request.app.state.service
    return DiffReport.model_validate_json(service.jobs.result(job_id))


def reader_text(d: Determination, lang: Lang) -> str:
    """A determination as ``evaluate`` words it, without its last section, the fingerprints: hashes differ between any
    two rule sets and would mark a line in every example (the downloaded report keeps them)."""
    text = d.to_text(lang)
    heading = re.compile(rf"^\d+\. {re.escape(_FINGERPRINTS.get(lang))}$", re.MULTILINE)
    found = list(heading.finditer(text))
    return text[: found[-1].start()].rstrip("\n") + "\n" if found else text


def _in_trace(lines: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """Mark the lines of the trace section: a rule added or removed renumbers every step after it, so the page's
    excerpt leaves them to the whole text."""
    heading = re.compile(rf"^\d+\. {re.escape(_TRACE.get(lang))}$")
    inside = False
    for line in lines:
        inside = inside or bool(heading.match(line["text"]))
        line["trace"] = inside
    return lines


@router.get("/api/jobs/{job_id}/view")
def job_view(request: Request, job_id: str, lang: Lang = "zh") -> Response:
    """A finished diff as the See view shows it; the examples' determinations worded as ``evaluate`` words them."""
    report = _report(request, job_id)
    data: dict[str, Any] = report.model_dump(mode="json", exclude={"examples"})
    examples = []
    for example in report.examples:
        marked = _diffreport.marked(reader_text(example.base, lang).splitlines(), reader_text(example.changed, lang).splitlines())
        before, after = (_in_trace([{"text": line.text, "differs": line.differs} for line in side], lang) for side in marked)
        examples.append({"direction": example.direction, "case_id": example.case_id, "index": example.index,
                         "fields": [f.model_dump(mode="json") for f in example.fields], "rules": list(example.rules),
                         "base": before, "changed": after})
    data["examples"] = examples
    data["rules"] = [{**r.model_dump(mode="json"), "where": where(r.citation)} for r in report.rules]
    data["direction_words"] = {k: _pair(zh, en) for k, (zh, en, _) in _diffreport._DIRECTIONS.items()}
    data["transitions"] = [{**t.model_dump(mode="json"), "words": {
        side: _pair(*(_diffreport.transition_value(t.dimension, value, lang) for lang in ("zh", "en")))
        for side, value in (("base", t.base), ("changed", t.changed))}} for t in report.transitions]
    return JSONResponse(data)


@router.get("/api/jobs/{job_id}/report.html")
def job_report(request: Request, job_id: str, lang: Lang = "zh") -> Response:
    """The self-contained HTML report of a finished diff, as ``guanzhi diff --format html`` writes it."""
    report = _report(request, job_id)
    headers = {"Content-Disposition": f'attachment; filename="impact-{job_id[:8]}.{lang}.html"'}
    return HTMLResponse(report.to_html(lang), headers=headers)
