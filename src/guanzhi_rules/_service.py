"""``guanzhi serve``: the library as an HTTP API, for systems not written in Python.

Built on FastAPI, which generates the OpenAPI description (``/openapi.json``, ``/docs``) from the
pydantic models the library already defines, and served by uvicorn. The docs pages (Swagger UI at
``/docs``, ReDoc at ``/redoc``) load their scripts from the server itself (``fastapi-offline``). Each endpoint mirrors a CLI verb
and returns the bytes the library writes: a determination is ``Determination.to_json(indent=None)``
(with ``trace`` below ``full``, ``_output.determination_json``), a list of them is those bytes joined
in a JSON array. Errors are RFC 9457 ``application/problem+json`` with the field paths and
did-you-mean of the library's own errors.

Callers are untrusted:

- request bodies are capped (``ServiceLimits.max_body_bytes``) before they are parsed, and cases and
  overlays then meet the same ``Limits`` as files;
- rule sets are named only by bundled key (checked against ``BUNDLED`` before anything is loaded, so
  ``../x`` never reaches the loader) and amended only by inline overlays (``_inline``); a past
  decision's jurisdiction is a bundled key too. No request names a path on the server;
- each request's work is cut off after ``request_seconds`` (the client gets a 503 problem; the
  work itself is bounded by the caps on cases and rule sets per request);
- ``/diff`` runs as a job: at most ``max_queued_diffs`` waiting, one running at a time, in this
  process (``diff(..., workers=1)``: forking a threaded server is unsafe, and the batch path's
  module-level job state is not thread-safe), capped in population size and in time.

``create_app()`` builds the app from routers, so more routes and static files are added with
``app.include_router`` and ``app.mount``; the drafter's workbench (``_workbench``) is added so.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import time
import uuid
from collections import Counter, OrderedDict
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from typing import Annotated, Any, Literal

import anyio
import anyio.to_thread
import uvicorn
from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from fastapi_offline import FastAPIOffline
from pydantic import BaseModel, ConfigDict, Field, PlainValidator, TypeAdapter, WithJsonSchema
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from guanzhi_rules import (
    BUNDLED,
    Case,
    CaseError,
    Comparison,
    Determination,
    DiffReport,
    Eligibility,
    Explanation,
    GuanzhiError,
    PastDecision,
    RuleSet,
    RuleSetError,
    __version__,
    _workbench,
    compare,
    diff,
    eligibility,
    explain,
    load,
    parse_case,
)
from guanzhi_rules._determination import FactValue, TraceStep
from guanzhi_rules._inline import check_overlay, overlay_files
from guanzhi_rules._loader import rules_dir
from guanzhi_rules._output import TraceLevel, comparison_json, determination_json
from guanzhi_rules._overlayfile import Overlay
from guanzhi_rules._parameters import RuleListing, editable_parameters
from guanzhi_rules._population import generate
from guanzhi_rules._rulefile import Citation, Document, RuleFile
from guanzhi_rules._source import load_source
from guanzhi_rules._suggestions import suggest
from guanzhi_rules.exceptions import FieldProblem

PROBLEM = "application/problem+json"


@dataclass(frozen=True)
class ServiceLimits:
    """What one caller may ask of the server."""

    max_body_bytes: int = 2 * 1024 * 1024
    """Largest request body, in bytes; each case and overlay in it then meets the documents' own ``Limits``."""
    max_cases: int = 1000
    """Most cases in one ``/evaluate`` request."""
    max_rulesets: int = 10
    """Most rule sets (with or without overlays) in one request."""
    max_overlays: int = 8
    """Most overlays applied to one rule set."""
    request_seconds: float = 30.0
    """Longest a request may take before the caller gets a 503 problem."""
    max_population: int = 1_000_000
    """Largest generated population one ``/diff`` may ask for."""
    max_diff_cases: int = 10_000
    """Most cases posted to one ``/diff``."""
    diff_seconds: float = 120.0
    """Longest one diff may run before it is stopped (checked after each chunk)."""
    max_queued_diffs: int = 8
    """Most diffs waiting or running at once; more are refused with a 503 problem."""
    kept_jobs: int = 64
    """Finished diff jobs kept for ``GET /jobs/{id}``; the oldest are forgotten first."""


# -- problems -------------------------------------------------------------------------------------

class ProblemDetail(BaseModel):
    """One field in error: its path in the request, and what is wrong (with a did-you-mean where one helps)."""

    path: str
    message: str
    line: int | None = None
    column: int | None = None
    rule_id: str | None = None


class Problem(BaseModel):
    """An RFC 9457 problem: ``type`` names the kind, ``errors`` every field in error."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[ProblemDetail] = Field(default_factory=list)


class ProblemError(Exception):
    """Raised by a handler to answer with a problem."""

    def __init__(self, status: int, kind: str, title: str, detail: str, errors: Sequence[ProblemDetail] = ()) -> None:
        super().__init__(detail)
        self.status, self.kind, self.title, self.detail, self.errors = status, kind, title, detail, list(errors)


def _problem(request: Request | None, status: int, kind: str, title: str, detail: str, *,
             errors: Sequence[ProblemDetail] = ()) -> JSONResponse:
    body = Problem(type=f"urn:guanzhi:problem:{kind}", title=title, status=status, detail=detail,
                   instance=request.url.path if request is not None else None, errors=list(errors))
    return JSONResponse(body.model_dump(exclude_none=True), status_code=status, media_type=PROBLEM)


def _case_problem(exc: CaseError, prefix: str) -> ProblemError:
    def path(p: FieldProblem) -> str:
        return f"{prefix}.{p.path}" if not p.path.startswith("(") else f"{prefix} {p.path}"
    return ProblemError(422, "invalid-case", "Invalid case", str(exc), [ProblemDetail(path=path(p), message=p.message)
                                                                        for p in exc.problems])


def _ruleset_problem(exc: RuleSetError, path: str) -> ProblemError:
    where = exc.location
    detail = ProblemDetail(path=where.path if where is not None else path, message=exc.message,
                           line=where.line if where else None, column=where.column if where else None, rule_id=exc.rule_id)
    return ProblemError(422, "invalid-ruleset", "Invalid rule set or overlay", str(exc), [detail])


_STATUS_KIND = {404: "not-found", 405: "method-not-allowed", 413: "body-too-large", 415: "unsupported-media-type"}


def _install_problem_handlers(app: FastAPI) -> None:
    async def on_problem(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ProblemError)
        return _problem(request, exc.status, exc.kind, exc.title, exc.detail, errors=exc.errors)

    async def on_validation(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        errors = [ProblemDetail(path=_dotted(e.get("loc", ())), message=str(e.get("msg", "")) + _got(e)) for e in exc.errors()]
        return _problem(request, 422, "invalid-request", "Invalid request", f"{len(errors)} problem(s) in the request", errors=errors)

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        kind = _STATUS_KIND.get(exc.status_code, "bad-request")
        return _problem(request, exc.status_code, kind, kind.replace("-", " ").capitalize(), str(exc.detail))

    async def on_library(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, GuanzhiError)
        return _problem(request, 422, "invalid-input", "Invalid input", str(exc))

    async def on_crash(request: Request, exc: Exception) -> Response:
        return _problem(request, 500, "internal-error", "Internal error", "the server could not complete the request")

    app.add_exception_handler(ProblemError, on_problem)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(GuanzhiError, on_library)
    app.add_exception_handler(Exception, on_crash)


def _dotted(loc: Sequence[Any]) -> str:
    parts = list(loc[1:] if loc and loc[0] == "body" else loc)
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text or "(body)"


def _got(error: Any) -> str:
    if error.get("type") == "extra_forbidden" or "input" not in error or error.get("type") == "missing":
        return ""
    shown = repr(error["input"])
    return f" (got {shown[:80]}{'...' if len(shown) > 80 else ''})"


# -- limits ---------------------------------------------------------------------------------------

class BodyLimit:
    """ASGI middleware: refuse a request body larger than ``limit`` bytes with a 413 problem, before it is parsed."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", ())).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await self._refuse(scope, receive, send)
            return
        body, more = b"", True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > self.limit:
                await self._refuse(scope, receive, send)
                return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = _problem(None, 413, "body-too-large", "Request body too large",
                            f"the request body is larger than the limit of {self.limit} bytes")
        await response(scope, receive, send)


async def _bounded(request: Request, work: Callable[[], Response]) -> Response:
    """Run ``work`` in a worker thread; answer with a 503 problem if it takes longer than the request limit."""
    limits: ServiceLimits = request.app.state.limits
    try:
        with anyio.fail_after(limits.request_seconds):
            return await anyio.to_thread.run_sync(work, abandon_on_cancel=True)
    except TimeoutError:
        detail = f"the request took longer than the limit of {limits.request_seconds:g} s; send fewer cases or rule sets"
        raise ProblemError(503, "timeout", "Request took too long", detail) from None


# -- request models -------------------------------------------------------------------------------

def _raw(value: Any) -> Any:
    return value


CaseData = Annotated[dict[str, Any], PlainValidator(_raw, json_schema_input_type=Case)]
"""A case as sent: documented as the ``Case`` schema, validated by ``parse_case`` (field paths, did-you-mean)."""

OverlayData = Annotated[dict[str, Any] | str, PlainValidator(_raw, json_schema_input_type=Overlay | str)]
"""An overlay as data (the overlay file format, as JSON) or as YAML text; validated by the loader."""

PastDecisionData = Annotated[dict[str, Any], PlainValidator(_raw, json_schema_input_type=PastDecision)]
"""A past decision as sent: documented as ``PastDecision``, validated by ``eligibility`` (field paths)."""

Lang = Literal["zh", "en"]
Format = Literal["json", "text"]


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


BundledKey = Annotated[str, WithJsonSchema({"type": "string", "enum": list(BUNDLED)})]
"""A bundled rule set's key: documented as the list of keys, checked by ``Service.ruleset`` (with a did-you-mean)."""


class RuleSetSpec(_Request):
    """A bundled rule set amended by inline overlays, applied in order."""

    key: BundledKey = Field(description="A bundled rule set.")
    overlays: list[OverlayData] = Field(default_factory=list, description="Overlays (the overlay file format, as JSON or YAML text).")


RuleSetRef = Annotated[BundledKey | RuleSetSpec, Field(description="A bundled key, or a key with inline overlays.")]


def _all_bundled() -> list[str | RuleSetSpec]:
    return list(BUNDLED)


class EvaluateRequest(_Request):
    """One case (``case``) or several (``cases``) under one or more rule sets."""

    case: CaseData | None = None
    cases: list[CaseData] | None = Field(default=None, description="Several cases; give this or ``case``.")
    rulesets: list[RuleSetRef] = Field(default_factory=_all_bundled, description="Rule sets, in order; default: all bundled.")
    trace: TraceLevel = Field(default="full", description="full: every step; steps: without facts read and citations; none: no trace.")
    sensitivity: bool = Field(default=False, description="Also list each single change of one fact that would change the outcome.")
    format: Format = "json"
    lang: Lang = Field(default="zh", description="Language of the text format.")


class CompareRequest(_Request):
    """One case across rule sets, concept by concept."""

    case: CaseData
    rulesets: list[RuleSetRef] = Field(default_factory=_all_bundled)
    trace: TraceLevel = "full"
    format: Format = "json"
    lang: Lang = "zh"
    width: int = Field(default=160, ge=60, le=1000, description="Width of the text table.")


class ExplainRequest(_Request):
    """Why one rule did or did not apply to a case, condition by condition."""

    case: CaseData
    ruleset: RuleSetRef
    rule_id: str = Field(min_length=1, max_length=200)
    format: Format = "json"
    lang: Lang = "zh"


class EligibilityRequest(_Request):
    """Whether a person may be promoted, appointed or awarded on a date, given past decisions."""

    history: list[PastDecisionData] = Field(max_length=200, description="Past decisions; each one's jurisdiction a bundled key.")
    on: dt.date
    format: Format = "json"
    lang: Lang = "zh"


FactValueData = bool | int | float | str | list[str]
"""A fact's value as a case file gives it: a code, number, ISO date or boolean; a list of codes for a set fact."""


class WeightedValue(_Request):
    """A value a generated case takes with probability ``p``."""

    value: FactValueData
    p: float = Field(ge=0, le=1)


class Population(_Request):
    """A seeded generated population (``guanzhi diff --generate``)."""

    n: int = Field(ge=0, description="Number of cases (capped by the server).")
    seed: int = Field(default=0, ge=0, le=2**63 - 1)
    known: float = Field(default=0.5, ge=0, le=1, description="Chance that each fact of a generated case is known.")
    fix: dict[str, FactValueData] = Field(
        default_factory=dict, max_length=200,
        description="Facts every case takes: fact path → value as in a case file (a list for a set fact: exactly that set).")
    weight: dict[str, WeightedValue] = Field(
        default_factory=dict, max_length=200,
        description="Facts a case takes with probability p, otherwise drawn as usual: fact path → {value, p}.")



class DiffRequest(_Request):
    """The impact of changing rule set ``base`` into ``changed`` over posted cases or a generated population."""

    base: RuleSetRef
    changed: RuleSetRef
    cases: list[CaseData] | None = None
    generate: Population | None = None
    examples: int = Field(default=3, ge=0, le=20, description="Examples kept per direction.")


# -- response models (documentation; the bytes come from the library) ----------------------------

class TraceStepOut(TraceStep):
    """A trace step; ``facts`` and ``citation`` are left out when ``trace`` is ``steps``."""

    facts: dict[str, FactValue] | None = None  # type: ignore[assignment]
    citation: Citation | None = None  # type: ignore[assignment]


class DeterminationOut(Determination):
    """A determination; ``trace`` is left out when ``trace`` is ``none``."""

    trace: tuple[TraceStepOut, ...] | None = None  # type: ignore[assignment]


class ComparisonOut(Comparison):
    """A comparison; its determinations carry as much trace as asked for."""

    determinations: tuple[DeterminationOut, ...]


class RuleSetInfo(BaseModel):
    """A bundled rule set in a list: its document, fingerprint and number of rules."""

    key: str
    document: Document
    sha256: str
    rules: int


class Article(BaseModel):
    """One article (or numbered section) of the official text, whitespace removed as ``check`` compares it."""

    part: str | None
    address: str
    line: int
    text: str


class RuleSetDetail(BaseModel):
    """A bundled rule set: the validated rule file (document, ladder, rules with citations), its fingerprint, and its text by article."""

    key: str
    sha256: str
    file: RuleFile
    source: list[Article]
    parameters: RuleListing
    """Each rule with the parameters an overlay's ``set:`` can change (``guanzhi rules KEY --json``)."""


class VersionInfo(BaseModel):
    """The engine version and each bundled rule set's fingerprint (what a determination's fingerprints name)."""

    engine_version: str
    rulesets: list[RuleSetInfo]


class CheckFinding(BaseModel):
    kind: str
    message: str
    rule_id: str | None = None


class CoverageRowOut(BaseModel):
    article: str
    items: int
    cited: int
    declaratory: int


class CheckReport(BaseModel):
    """``guanzhi check`` of an overlay: the amended rule set's citations, coverage, dead rules and conflicts."""

    target: str
    document: str | None
    ok: bool
    percent: float
    findings: list[CheckFinding]
    coverage: list[CoverageRowOut]


JobStatus = Literal["queued", "running", "done", "failed"]


class Job(BaseModel):
    """A diff job: where it stands, and where its report is once done."""

    id: str
    status: JobStatus
    done: int = Field(description="Cases diffed so far.")
    total: int
    result: str | None = Field(default=None, description="Where the report is, once done.")
    error: Problem | None = None


# -- the service ----------------------------------------------------------------------------------

class Service:
    """The state behind the routes: limits, the lock around overlays, the diff jobs."""

    def __init__(self, limits: ServiceLimits) -> None:
        self.limits = limits
        self.overlay_lock = threading.Lock()  # the loader's overlay cache is a plain dict
        self.jobs = DiffJobs(limits)

    def ruleset(self, ref: str | RuleSetSpec, path: str) -> RuleSet:
        """The rule set a request names: a bundled key, amended by inline overlays.

        Raises:
            ProblemError: an unknown key (with a did-you-mean), too many overlays, or an overlay that does not load.
        """
        key, overlays = (ref, []) if isinstance(ref, str) else (ref.key, ref.overlays)
        if key not in BUNDLED:  # checked before the loader sees it: a key never becomes a path
            message = f"no bundled rule set {key[:40]!r}{suggest(key, BUNDLED)} (bundled: {', '.join(BUNDLED)})"
            where = path if isinstance(ref, str) else f"{path}.key"
            raise ProblemError(422, "unknown-ruleset", "Unknown rule set", message, [ProblemDetail(path=where, message=message)])
        if not overlays:
            return load(key)
        if len(overlays) > self.limits.max_overlays:
            raise ProblemError(422, "too-many-overlays", "Too many overlays", f"at most {self.limits.max_overlays} overlays per rule set")
        names = [f"{path}.overlays[{i}]" for i in range(len(overlays))]
        try:
            with self.overlay_lock, overlay_files(overlays, names) as paths:
                return load(key, overlays=paths)
        except RuleSetError as exc:
            raise _ruleset_problem(exc, path) from exc

    def rulesets(self, refs: Sequence[str | RuleSetSpec], field: str = "rulesets") -> list[RuleSet]:
        if not refs:
            raise ProblemError(422, "invalid-request", "Invalid request", "name at least one rule set",
                               [ProblemDetail(path=field, message="an empty list")])
        if len(refs) > self.limits.max_rulesets:
            raise ProblemError(422, "too-many-rulesets", "Too many rule sets", f"at most {self.limits.max_rulesets} rule sets per request")
        return [self.ruleset(ref, f"{field}[{i}]") for i, ref in enumerate(refs)]


def _case(data: dict[str, Any], path: str) -> Case:
    try:
        return parse_case(data, source=None)
    except CaseError as exc:
        raise _case_problem(exc, path) from exc


def _json(text: str, status: int = 200) -> Response:
    return Response(content=text.encode("utf-8"), status_code=status, media_type="application/json")


def _json_array(items: Sequence[str]) -> Response:
    return _json("[" + ",".join(items) + "]")


def _text(text: str) -> Response:
    return PlainTextResponse(text)


def _service(request: Request) -> Service:
    service: Service = request.app.state.service
    return service


router = APIRouter()

_PROBLEM_CONTENT = {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}

_ERRORS: dict[int, str] = {
    404: "Not found",
    409: "Not done yet",
    413: "Request body too large",
    422: "Invalid request, case, rule set or overlay",
    503: "Over a time limit, or the diff queue is full",
}


def _responses(model: Any, *, text: bool = False, extra: Sequence[int] = ()) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI responses of an endpoint: ``model`` on success (or text), problems otherwise."""
    ok: dict[str, Any] = {"model": model, "description": "The library's JSON"}
    if text:
        ok["content"] = {"text/plain": {"schema": {"type": "string"}}}
    codes = sorted({413, 422, 503, *extra})
    return {200: ok, **{code: {"description": _ERRORS[code], "content": _PROBLEM_CONTENT} for code in codes}}


@router.get("/healthz", tags=["service"], summary="Liveness")
def healthz() -> dict[str, str]:
    """Whether the server answers."""
    return {"status": "ok"}


@router.get("/version", tags=["service"], response_model=VersionInfo, summary="Engine version and rule-set fingerprints")
def version() -> VersionInfo:
    """The engine version and the fingerprint of each bundled rule set, as determinations record them."""
    return VersionInfo(engine_version=__version__, rulesets=[_info(load(key)) for key in BUNDLED])


def _info(rs: RuleSet) -> RuleSetInfo:
    return RuleSetInfo(key=rs.key, document=rs.file.document, sha256=rs.sha256, rules=len(rs))


@router.get("/rulesets", tags=["rule sets"], response_model=list[RuleSetInfo], summary="The bundled rule sets")
def rulesets() -> list[RuleSetInfo]:
    """Every bundled rule set: its document, fingerprint and number of rules."""
    return [_info(load(key)) for key in BUNDLED]


@router.get("/rulesets/{key}", tags=["rule sets"], responses=_responses(RuleSetDetail, extra=(404,)), summary="One bundled rule set")
def ruleset(request: Request, key: str) -> Response:
    """The rule file as loaded (document, ladder, rules with citations and quotes), its fingerprint, its official text by article,
    and each rule's editable parameters (``guanzhi rules KEY``)."""
    if key not in BUNDLED:
        raise ProblemError(404, "not-found", "Unknown rule set", f"no bundled rule set {key[:40]!r}{suggest(key, BUNDLED)}")
    rs = load(key)
    source = load_source(rules_dir() / "sources" / rs.file.document.source)
    part_of = {id(node): title for title, top in source.parts.items() for node in top.walk()}
    articles = [Article(part=part_of.get(id(node)), address="".join(node.address), line=node.line, text=source.text_of(node))
                for node in source.root.walk() if node.kind == "article"]
    detail = RuleSetDetail(key=rs.key, sha256=rs.sha256, file=rs.file, source=articles, parameters=editable_parameters(rs))
    return _json(detail.model_dump_json())


_SCHEMAS: dict[str, Callable[[], dict[str, Any]]] = {
    "case": Case.model_json_schema,
    "ruleset": RuleFile.model_json_schema,
    "overlay": lambda: Overlay.model_json_schema(by_alias=True),
    "history": TypeAdapter(list[PastDecision]).json_schema,
}


@router.get("/schema/{what}", tags=["rule sets"], summary="JSON Schema of an input format")
def schema(what: Literal["case", "ruleset", "overlay", "history"]) -> dict[str, Any]:
    """The JSON Schema of a case fact sheet, a rule file, an overlay or a history of past decisions (``guanzhi schema``)."""
    return _SCHEMAS[what]()


@router.post("/evaluate", tags=["cases"], responses=_responses(list[DeterminationOut], text=True), summary="Evaluate cases")
async def evaluate_route(request: Request, body: EvaluateRequest) -> Response:
    """Evaluate one case or several under one or more rule sets (``guanzhi evaluate``).

    JSON: an array of determinations, case by case, and for each case one per rule set in the order
    given; each is exactly the library's ``to_json(indent=None)`` (at ``trace: full``). Text: the
    readable rendering in ``lang``, as the CLI prints it.
    """
    service = _service(request)
    if (body.case is None) == (body.cases is None):
        raise ProblemError(422, "invalid-request", "Invalid request", "give exactly one of 'case' or 'cases'",
                           [ProblemDetail(path="case", message="give exactly one of 'case' or 'cases'")])
    data = [body.case] if body.case is not None else body.cases or []
    if len(data) > service.limits.max_cases:
        raise ProblemError(422, "too-many-cases", "Too many cases", f"at most {service.limits.max_cases} cases per request")

    def work() -> Response:  # validating and loading too: off the event loop, within the time limit
        cases = [_case(c, "case" if body.case is not None else f"cases[{i}]") for i, c in enumerate(data)]
        chosen = service.rulesets(body.rulesets)
        determinations = [rs.evaluate(case, sensitivity=body.sensitivity) for case in cases for rs in chosen]
        if body.format == "text":
            return _text("\n".join(d.to_text(body.lang) for d in determinations))
        return _json_array([determination_json(d, trace=body.trace, indent=None) for d in determinations])

    return await _bounded(request, work)


@router.post("/compare", tags=["cases"], responses=_responses(ComparisonOut, text=True), summary="Compare a case across rule sets")
async def compare_route(request: Request, body: CompareRequest) -> Response:
    """One case under several rule sets, concept by concept (``guanzhi compare``): the library's ``Comparison`` JSON."""
    service = _service(request)

    def work() -> Response:
        comparison = compare(_case(body.case, "case"), service.rulesets(body.rulesets))
        if body.format == "text":
            return _text(comparison.to_text(body.lang, width=body.width))
        return _json(comparison_json(comparison, trace=body.trace, indent=None))

    return await _bounded(request, work)


@router.post("/explain", tags=["cases"], responses=_responses(Explanation, text=True), summary="Explain one rule for a case")
async def explain_route(request: Request, body: ExplainRequest) -> Response:
    """Why one rule did or did not apply, condition by condition (``guanzhi explain``)."""
    service = _service(request)

    def work() -> Response:
        case = _case(body.case, "case")
        rs = service.ruleset(body.ruleset, "ruleset")
        try:
            rs.rule(body.rule_id)
        except KeyError as exc:
            message = str(exc.args[0])
            raise ProblemError(422, "unknown-rule", "Unknown rule", message, [ProblemDetail(path="rule_id", message=message)]) from None
        explanation = explain(rs, case, body.rule_id)
        return _text(explanation.to_text(body.lang)) if body.format == "text" else _json(explanation.to_json(indent=None))

    return await _bounded(request, work)


@router.post("/eligibility", tags=["cases"], responses=_responses(Eligibility, text=True), summary="Eligibility over past decisions")
async def eligibility_route(request: Request, body: EligibilityRequest) -> Response:
    """Whether a person may be promoted, appointed or awarded on a date, given past decisions (``guanzhi eligibility``)."""
    problems = [ProblemDetail(path=f"history[{i}].jurisdiction",
                              message=f"no bundled rule set {str(entry.get('jurisdiction'))[:40]!r}"
                                      f"{suggest(str(entry.get('jurisdiction')), BUNDLED)} (bundled: {', '.join(BUNDLED)})")
                for i, entry in enumerate(body.history) if entry.get("jurisdiction") not in BUNDLED]
    if problems:  # a past decision names its rule set; only bundled keys, never a path
        raise ProblemError(422, "unknown-ruleset", "Unknown rule set", "a past decision names no bundled rule set", problems)

    def work() -> Response:
        try:
            result = eligibility(body.history, on=body.on)
        except CaseError as exc:
            raise _case_problem(exc, "history") from exc
        return _text(result.to_text(body.lang)) if body.format == "text" else _json(result.to_json())

    return await _bounded(request, work)


@router.post("/check", tags=["rule sets"], responses=_responses(CheckReport), summary="Check an overlay")
async def check_route(request: Request, body: Annotated[OverlayData, Field(description="An overlay")]) -> Response:
    """``guanzhi check`` of an overlay sent as the body: the amended rule set's citations, coverage, dead rules and conflicts.

    The overlay's ``overlay.base`` names the bundled rule set it amends. A malformed overlay is a
    finding of kind ``schema`` (as on the command line), not an error.
    """
    service = _service(request)
    base = body.get("overlay", {}).get("base") if isinstance(body, dict) and isinstance(body.get("overlay"), dict) else None
    if isinstance(base, str) and base not in BUNDLED:
        service.ruleset(base, "overlay.base")  # the unknown-key problem, with its did-you-mean

    def work() -> Response:
        with service.overlay_lock:
            report = check_overlay(body, "overlay")
        out = CheckReport(target=report.target, document=report.document, ok=report.ok, percent=report.percent,
                          findings=[CheckFinding(**asdict(f)) for f in report.findings],
                          coverage=[CoverageRowOut(**asdict(r)) for r in report.coverage])
        return _json(out.model_dump_json())

    return await _bounded(request, work)


@router.post("/diff", tags=["diff"], status_code=202, summary="Start a diff",
             responses={202: {"model": Job, "description": "The job, queued"}, **{k: v for k, v in _responses(Job).items() if k != 200}})
def diff_route(request: Request, body: DiffRequest) -> Response:
    """Queue the impact of changing ``base`` into ``changed`` over posted ``cases`` or a ``generate``d population (``guanzhi diff``).

    Answers 202 with the job; follow ``GET /jobs/{id}`` until ``done``, then fetch ``result``.
    """
    service = _service(request)
    limits = service.limits
    if (body.cases is None) == (body.generate is None):
        raise ProblemError(422, "invalid-request", "Invalid request", "give exactly one of 'cases' or 'generate'",
                           [ProblemDetail(path="cases", message="give exactly one of 'cases' or 'generate'")])
    cases: Sequence[Case]
    if body.generate is not None:
        if body.generate.n > limits.max_population:
            raise ProblemError(422, "population-too-large", "Population too large",
                               f"at most {limits.max_population} generated cases per diff",
                               [ProblemDetail(path="generate.n", message=f"at most {limits.max_population}")])
        spec = body.generate
        try:
            cases = generate(spec.n, spec.seed, spec.known, fix=spec.fix,
                             weight={path: (w.value, w.p) for path, w in spec.weight.items()})
        except CaseError as exc:
            fixed = {p.path for p in exc.problems if p.path in spec.fix}
            raise ProblemError(422, "invalid-population", "Invalid population", str(exc), [
                ProblemDetail(path=f"generate.{'fix' if p.path in fixed else 'weight'}.{p.path}", message=p.message)
                for p in exc.problems]) from None
    else:
        assert body.cases is not None
        if len(body.cases) > limits.max_diff_cases:
            raise ProblemError(422, "too-many-cases", "Too many cases", f"at most {limits.max_diff_cases} posted cases per diff",
                               [ProblemDetail(path="cases", message=f"at most {limits.max_diff_cases}")])
        cases = [_case(c, f"cases[{i}]") for i, c in enumerate(body.cases)]
    base, changed = service.ruleset(body.base, "base"), service.ruleset(body.changed, "changed")
    job = service.jobs.submit(base, changed, cases, body.examples)
    return _json(job.model_dump_json(), status=202)


@router.get("/jobs/{job_id}", tags=["diff"], response_model=Job, responses=_responses(Job, extra=(404,)), summary="A diff job")
def job_route(request: Request, job_id: str) -> Job:
    """Where a diff job stands: queued, running (cases done of total), done (with the report's address) or failed (with a problem)."""
    return _service(request).jobs.get(job_id)


@router.get("/jobs/{job_id}/result", tags=["diff"], responses=_responses(DiffReport, extra=(404, 409)), summary="A diff's report")
def job_result(request: Request, job_id: str) -> Response:
    """The finished diff's report: exactly the library's ``DiffReport.to_json(indent=None)``."""
    return _json(_service(request).jobs.result(job_id))


# -- diff jobs ------------------------------------------------------------------------------------

class _TimedOut(Exception):
    pass


@dataclass
class _Run:
    job: Job
    report: str | None = None


class DiffJobs:
    """Diffs queued for one worker thread: one runs at a time, in this process, each within the time cap."""

    def __init__(self, limits: ServiceLimits) -> None:
        self.limits = limits
        self.lock = threading.Lock()
        self.runs: OrderedDict[str, _Run] = OrderedDict()
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="guanzhi-diff")

    def submit(self, base: RuleSet, changed: RuleSet, cases: Sequence[Case], examples: int) -> Job:
        with self.lock:
            pending = sum(r.job.status in ("queued", "running") for r in self.runs.values())
            if pending >= self.limits.max_queued_diffs:
                raise ProblemError(503, "queue-full", "Too many diffs queued",
                                   f"{pending} diffs are queued or running (the limit); try again later")
            job = Job(id=uuid.uuid4().hex, status="queued", done=0, total=len(cases))
            self.runs[job.id] = _Run(job)
            self._forget()
        self.executor.submit(self._run, job.id, base, changed, cases, examples)
        return job

    def _forget(self) -> None:
        finished = [k for k, r in self.runs.items() if r.job.status in ("done", "failed")]
        for key in finished[: max(0, len(finished) - self.limits.kept_jobs)]:
            del self.runs[key]

    def _update(self, job_id: str, **changes: Any) -> None:
        with self.lock:
            run = self.runs[job_id]
            run.job = run.job.model_copy(update=changes)

    def _run(self, job_id: str, base: RuleSet, changed: RuleSet, cases: Sequence[Case], examples: int) -> None:
        self._update(job_id, status="running")
        deadline = time.monotonic() + self.limits.diff_seconds

        def progress(done: int, total: int) -> None:
            self._update(job_id, done=done)
            if time.monotonic() > deadline:
                raise _TimedOut

        try:
            report = diff(base, changed, cases, examples=examples, progress=progress, workers=1, chunk=4096)
        except _TimedOut:
            detail = f"the diff was stopped after {self.limits.diff_seconds:g} s; diff fewer cases"
            self._fail(job_id, "timeout", "Diff took too long", detail)
        except GuanzhiError as exc:
            self._fail(job_id, "invalid-input", "Invalid input", str(exc))
        except Exception:  # a job reports its failure; it must never take the worker down
            self._fail(job_id, "internal-error", "Internal error", "the diff could not be completed")
        else:
            text = report.to_json(indent=None)
            with self.lock:
                run = self.runs[job_id]
                run.report = text
                run.job = run.job.model_copy(update={"status": "done", "done": len(cases), "result": f"/jobs/{job_id}/result"})

    def _fail(self, job_id: str, kind: str, title: str, detail: str) -> None:
        problem = Problem(type=f"urn:guanzhi:problem:{kind}", title=title, status=503 if kind == "timeout" else 422, detail=detail)
        self._update(job_id, status="failed", error=problem)

    def _find(self, job_id: str) -> _Run:
        with self.lock:
            run = self.runs.get(job_id)
        if run is None:
            detail = f"no diff job {job_id[:40]!r} (finished jobs are kept for a while, not forever)"
            raise ProblemError(404, "not-found", "Unknown job", detail)
        return run

    def get(self, job_id: str) -> Job:
        return self._find(job_id).job

    def result(self, job_id: str) -> str:
        run = self._find(job_id)
        if run.report is None:
            raise ProblemError(409, "not-done", "Diff not done", f"the job is {run.job.status}; its report is not available")
        return run.report


# -- the app --------------------------------------------------------------------------------------

def create_app(limits: ServiceLimits | None = None) -> FastAPI:
    """The ASGI app: every route of ``router``, problem+json errors, and the body limit.

    Extend it with ``app.include_router(...)`` and ``app.mount("/static", StaticFiles(...))``.
    """
    limits = limits or ServiceLimits()
    # FastAPIOffline serves /docs and /redoc with Swagger UI 5 and ReDoc from its own package (under
    # /static-offline-docs), not from a CDN, so the docs work on a machine without internet access.
    # Swagger UI's validator badge would call validator.swagger.io: it is switched off.
    app = FastAPIOffline(
        swagger_ui_parameters={"validatorUrl": None},
        title="guanzhi-rules", version=__version__,
        summary="Chinese cadre-accountability regulations as executable, traced rules",
        description="Each endpoint mirrors a `guanzhi` command and returns the library's deterministic JSON. "
                    "Errors are RFC 9457 problem+json with the field paths of the library's errors.",
    )
    published = app.openapi

    def openapi() -> dict[str, Any]:
        return _distinct_titles(published())

    app.openapi = openapi  # type: ignore[method-assign]
    app.state.limits = limits
    app.state.service = Service(limits)
    _install_problem_handlers(app)
    app.include_router(router)
    _workbench.mount(app)
    app.add_middleware(BodyLimit, limit=limits.max_body_bytes)
    return app


def _distinct_titles(spec: dict[str, Any]) -> dict[str, Any]:
    """The description with no two component schemas under one title: each shared title becomes its schema's key, in words.

    pydantic titles a model by its class name, so two classes of one name (``_rulefile.Effect``, a
    rule's effect, and ``_vocab.Effect``, a harm code) and a model's input and output forms
    (``Rule-Input``, ``Rule-Output``) share a title; client generators name their classes by title
    and drop what collides. The keys, which FastAPI keeps distinct, give ``RulefileEffect``,
    ``VocabEffect``, ``RuleInput``, ``RuleOutput``. Changes the description in place, once.
    """
    schemas: dict[str, dict[str, Any]] = spec.get("components", {}).get("schemas", {})
    shared = Counter(schema.get("title") for schema in schemas.values())
    for key, schema in schemas.items():
        if schema.get("title") is not None and shared[schema["title"]] > 1:
            schema["title"] = "".join(w[:1].upper() + w[1:] for w in re.split(r"[^A-Za-z0-9]+", key.removeprefix("guanzhi_rules")) if w)
    return spec


def serve(host: str = "127.0.0.1", port: int = 8000, workers: int = 1, limits: ServiceLimits | None = None) -> None:
    """Run the API under uvicorn until interrupted; ``workers`` > 1 runs that many processes."""
    if workers > 1:
        uvicorn.run("guanzhi_rules._service:create_app", factory=True, host=host, port=port, workers=workers)
    else:
        uvicorn.run(create_app(limits), host=host, port=port)

