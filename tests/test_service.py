"""The HTTP API (``guanzhi serve``), called by a real client (httpx) on a real server (uvicorn) on localhost."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from fastapi import APIRouter

import guanzhi_rules as g
from guanzhi_rules._output import comparison_json, determination_json
from guanzhi_rules._parameters import editable_parameters
from guanzhi_rules._population import generate
from guanzhi_rules._service import ServiceLimits, create_app
from tests.servers import running

ROOT = Path(__file__).parents[1]
CASE_FILE = ROOT / "examples" / "cases" / "serious_inaction_petitions.yaml"
OVERLAY_FILE = ROOT / "docs" / "examples" / "benxi_tolerance_with_bar.yaml"
PROBLEM = "application/problem+json"


def case_data(path: Path = CASE_FILE) -> dict[str, Any]:
    """A case file as the JSON a client would send."""
    data: dict[str, Any] = json.loads(g.read_case(path).model_dump_json(exclude_none=True))
    return data


@pytest.fixture(scope="module")
def api() -> Iterator[httpx.Client]:
    """A client of a server with the default limits."""
    with running(create_app()) as url, httpx.Client(base_url=url, timeout=60) as client:
        yield client


def limited(**limits: Any) -> Any:
    """A server with the given limits, and a client of it."""
    return running(create_app(ServiceLimits(**limits)))


def assert_problem(response: httpx.Response, status: int, kind: str) -> dict[str, Any]:
    """The response is an RFC 9457 problem of this status and kind; return its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["type"] == f"urn:guanzhi:problem:{kind}"
    assert body["title"] and body["detail"]
    return body


# -- the library's bytes --------------------------------------------------------------------------

def test_evaluate_returns_the_librarys_bytes(api: httpx.Client) -> None:
    """POST /evaluate answers with each determination's own to_json(indent=None), in an array, rule sets in the order asked."""
    case = g.read_case(CASE_FILE)
    keys = ["yueyang", "benxi", "jiangsu"]
    response = api.post("/evaluate", json={"case": case_data(), "rulesets": keys})
    assert response.status_code == 200
    expected = "[" + ",".join(g.load(k).evaluate(case).to_json(indent=None) for k in keys) + "]"
    assert response.content == expected.encode()


def test_evaluate_defaults_to_every_bundled_rule_set_and_takes_several_cases(api: httpx.Client) -> None:
    """Without rulesets every bundled rule set is used; with cases the determinations go case by case."""
    files = sorted((ROOT / "examples" / "cases").glob("*.yaml"))[:3]
    response = api.post("/evaluate", json={"cases": [case_data(f) for f in files], "trace": "none"})
    assert response.status_code == 200
    expected = [determination_json(g.load(k).evaluate(g.read_case(f)), trace="none", indent=None) for f in files for k in g.BUNDLED]
    assert response.content == ("[" + ",".join(expected) + "]").encode()


@pytest.mark.parametrize("trace", ["steps", "none"])
def test_evaluate_trace_levels_are_the_clis(api: httpx.Client, trace: str) -> None:
    """trace steps and none give the same bytes as the CLI's --trace (one function writes both)."""
    response = api.post("/evaluate", json={"case": case_data(), "rulesets": ["benxi"], "trace": trace})
    d = g.load("benxi").evaluate(g.read_case(CASE_FILE))
    assert response.content == ("[" + determination_json(d, trace=trace, indent=None) + "]").encode()  # type: ignore[arg-type]


def test_compare_explain_and_eligibility_return_the_librarys_bytes(api: httpx.Client) -> None:
    """POST /compare, /explain and /eligibility answer with the library's JSON for the same request."""
    case = g.read_case(CASE_FILE)
    response = api.post("/compare", json={"case": case_data(), "rulesets": ["benxi", "zhejiang"]})
    assert response.content == g.compare(case, ["benxi", "zhejiang"]).to_json(indent=None).encode()
    response = api.post("/compare", json={"case": case_data(), "rulesets": ["benxi"], "trace": "none"})
    assert response.content == comparison_json(g.compare(case, ["benxi"]), trace="none", indent=None).encode()
    response = api.post("/explain", json={"case": case_data(), "ruleset": "yueyang", "rule_id": "art17.1"})
    assert response.content == g.explain("yueyang", case, "art17.1").to_json(indent=None).encode()
    history = [{"jurisdiction": "yueyang", "decided": "2019-01-10", "measures": ["admonition"]}]
    response = api.post("/eligibility", json={"history": history, "on": "2019-06-01"})
    on = g.eligibility(history, on=dt.date(2019, 6, 1))
    assert response.content == on.to_json().encode()


def test_text_format_is_the_clis_rendering(api: httpx.Client) -> None:
    """format text answers with the readable rendering in the language asked for."""
    response = api.post("/evaluate", json={"case": case_data(), "rulesets": ["benxi"], "format": "text", "lang": "en"})
    assert response.headers["content-type"].startswith("text/plain")
    assert response.text == g.load("benxi").evaluate(g.read_case(CASE_FILE)).to_text("en")


def test_rule_sets_versions_and_schemas(api: httpx.Client) -> None:
    """GET /rulesets, /rulesets/{key}, /version, /schema/{what} and /healthz describe the bundled rule sets and formats."""
    assert [r["key"] for r in api.get("/rulesets").json()] == list(g.BUNDLED)
    detail = api.get("/rulesets/benxi").json()
    benxi = g.load("benxi")
    assert detail["sha256"] == benxi.sha256
    assert [r["id"] for r in detail["file"]["rules"]] == [r.id for r in benxi]
    assert any(a["address"] == "第六条" and a["text"].startswith("第六条") for a in detail["source"])
    version = api.get("/version").json()
    assert version["engine_version"] == g.__version__
    assert {r["key"]: r["sha256"] for r in version["rulesets"]} == {k: g.load(k).sha256 for k in g.BUNDLED}
    assert api.get("/schema/case").json() == g.Case.model_json_schema()
    for what in ("ruleset", "overlay", "history"):
        assert api.get(f"/schema/{what}").json()["type"] in ("object", "array")
    assert api.get("/healthz").json() == {"status": "ok"}


# -- errors ---------------------------------------------------------------------------------------

def test_an_invalid_case_is_a_problem_naming_each_field(api: httpx.Client) -> None:
    """A malformed case gives a 422 problem with the library's dotted field paths and did-you-mean."""
    body = assert_problem(api.post("/evaluate", json={"cases": [case_data(), {"subject": {"kindd": "person"}}]}), 422, "invalid-case")
    assert body["errors"] == [{"path": "cases[1].subject.kindd", "message": "unknown field; did you mean 'kind'?"}]


def test_an_unknown_rule_set_key_is_a_problem_with_a_did_you_mean(api: httpx.Client) -> None:
    """An unknown key gives a problem that suggests the nearest bundled key, in the body and as a path."""
    body = assert_problem(api.get("/rulesets/benxii"), 404, "not-found")
    assert "did you mean 'benxi'" in body["detail"]
    body = assert_problem(api.post("/evaluate", json={"case": {}, "rulesets": ["benxi", "yuyang"]}), 422, "unknown-ruleset")
    assert body["errors"][0]["path"] == "rulesets[1]"
    assert "did you mean 'yueyang'" in body["errors"][0]["message"]


@pytest.mark.parametrize("key", ["../rules/benxi", "/etc/passwd", "benxi.yaml", "rules/benxi.yaml", "benxi+benxi", "..", "BENXI"])
def test_a_key_never_reaches_the_loader_as_a_path(api: httpx.Client, key: str) -> None:
    """Only bundled keys name rule sets: anything path-like is refused before the loader sees it."""
    assert_problem(api.post("/evaluate", json={"case": {}, "rulesets": [key]}), 422, "unknown-ruleset")
    assert_problem(api.post("/explain", json={"case": {}, "ruleset": {"key": key}, "rule_id": "art6"}), 422, "unknown-ruleset")
    history = [{"jurisdiction": key, "decided": "2019-01-10"}]
    body = assert_problem(api.post("/eligibility", json={"history": history, "on": "2019-06-01"}), 422, "unknown-ruleset")
    assert body["errors"][0]["path"] == "history[0].jurisdiction"


def test_an_unknown_rule_is_a_problem_with_its_items(api: httpx.Client) -> None:
    """Explaining a rule the rule set lacks names the rule ids it might have meant."""
    body = assert_problem(api.post("/explain", json={"case": {}, "ruleset": "benxi", "rule_id": "art6"}), 422, "unknown-rule")
    assert "'art6.1'" in body["errors"][0]["message"]


def test_a_malformed_request_is_a_problem_with_field_paths(api: httpx.Client) -> None:
    """A request that does not fit its model gives a 422 problem naming each field, not FastAPI's default shape."""
    body = assert_problem(api.post("/evaluate", json={"case": {}, "trace": "all", "extra": 1}), 422, "invalid-request")
    assert {e["path"] for e in body["errors"]} == {"trace", "extra"}
    body = assert_problem(api.post("/evaluate", json={"rulesets": ["benxi"]}), 422, "invalid-request")
    assert "exactly one of" in body["detail"]


@pytest.mark.parametrize("content", [b"[" * 100_000 + b"]" * 100_000, b'{"case": ' * 5000, b"\xff\xfe", b"not json"])
def test_hostile_bodies_are_client_errors(api: httpx.Client, content: bytes) -> None:
    """Deeply nested, truncated, non-UTF-8 and non-JSON bodies are refused as 4xx problems, never a server error."""
    response = api.post("/evaluate", content=content, headers={"content-type": "application/json"})
    assert 400 <= response.status_code < 500
    assert response.headers["content-type"].startswith(PROBLEM)


def test_unknown_routes_and_methods_are_problems(api: httpx.Client) -> None:
    """404 and 405 come as problems too."""
    assert_problem(api.get("/nowhere"), 404, "not-found")
    assert_problem(api.get("/evaluate"), 405, "method-not-allowed")


# -- overlays -------------------------------------------------------------------------------------

def test_an_inline_overlay_gives_the_same_rule_set_as_its_file(api: httpx.Client) -> None:
    """An overlay sent as YAML text or as JSON data amends the rule set exactly as the file does (same fingerprint, same bytes)."""
    case = g.read_case(CASE_FILE)
    amended = g.load("benxi", overlays=[OVERLAY_FILE])
    expected = ("[" + amended.evaluate(case).to_json(indent=None) + "]").encode()
    text = OVERLAY_FILE.read_text(encoding="utf-8")
    data = json.loads(json.dumps(yaml.safe_load(text), default=str))
    for overlay in (text, data):
        response = api.post("/evaluate", json={"case": case_data(), "rulesets": [{"key": "benxi", "overlays": [overlay]}]})
        assert response.content == expected


def test_an_overlay_error_names_the_overlay_never_a_server_path(api: httpx.Client) -> None:
    """A bad overlay gives a problem located in the request (rulesets[0].overlays[0], line, column, rule id) and no temporary path."""
    overlay = {"overlay": {"base": "benxi", "title": {"zh": "删", "en": "remove"}}, "remove": ["art99"]}
    response = api.post("/evaluate", json={"case": {}, "rulesets": [{"key": "benxi", "overlays": [overlay]}]})
    body = assert_problem(response, 422, "invalid-ruleset")
    assert body["errors"][0]["path"] == "rulesets[0].overlays[0]"
    assert body["errors"][0]["rule_id"] == "art99"
    assert "did you mean 'art9'" in body["errors"][0]["message"]
    assert "/tmp" not in response.text and "guanzhi-overlay" not in response.text


def test_check_takes_an_overlay_body(api: httpx.Client) -> None:
    """POST /check checks the amended rule set (coverage, citations) and reports a bad overlay as a finding naming it."""
    report = api.post("/check", json=yaml.safe_load(OVERLAY_FILE.read_text(encoding="utf-8"))).json()
    assert report["ok"] and report["percent"] == 100.0 and report["target"] == "overlay"
    bad = {"overlay": {"base": "benxi", "title": {"zh": "删", "en": "remove"}}, "remove": ["art9"]}
    response = api.post("/check", json=bad)
    report = response.json()
    assert not report["ok"] and report["findings"][0]["kind"] == "schema"
    assert report["findings"][0]["message"].startswith("overlay:")
    assert "/tmp" not in response.text
    assert_problem(api.post("/check", json={"overlay": {"base": "benx", "title": {"zh": "x", "en": "x"}}}), 422, "unknown-ruleset")


# -- limits ---------------------------------------------------------------------------------------

def test_a_body_over_the_limit_is_refused_before_it_is_parsed() -> None:
    """A body larger than max_body_bytes gets a 413 problem, whether its length is declared or streamed."""
    with limited(max_body_bytes=1000) as url, httpx.Client(base_url=url) as client:
        assert_problem(client.post("/evaluate", json={"case": {"summary": "x" * 2000}}), 413, "body-too-large")

        def chunks() -> Iterator[bytes]:
            yield b'{"case": {"summary": "'
            yield b"x" * 2000
            yield b'"}}'

        assert_problem(client.post("/evaluate", content=chunks(), headers={"content-type": "application/json"}), 413, "body-too-large")
        assert client.post("/evaluate", json={"case": {}, "rulesets": ["benxi"], "trace": "none"}).status_code == 200


def test_a_request_over_the_time_limit_gets_a_503_problem() -> None:
    """Work that takes longer than request_seconds is answered with a 503 problem, and the server keeps answering."""
    with limited(request_seconds=0.001) as url, httpx.Client(base_url=url, timeout=60) as client:
        body = assert_problem(client.post("/evaluate", json={"case": case_data(), "sensitivity": True}), 503, "timeout")
        assert "0.001 s" in body["detail"]
        assert client.get("/healthz").status_code == 200


def test_too_many_cases_rule_sets_or_overlays_are_refused() -> None:
    """The caps on cases, rule sets and overlays per request answer with 422 problems."""
    with limited(max_cases=2, max_rulesets=2, max_overlays=1) as url, httpx.Client(base_url=url) as client:
        assert_problem(client.post("/evaluate", json={"cases": [{}, {}, {}]}), 422, "too-many-cases")
        assert_problem(client.post("/evaluate", json={"case": {}, "rulesets": ["benxi"] * 3}), 422, "too-many-rulesets")
        spec = {"key": "benxi", "overlays": ["{}", "{}"]}
        assert_problem(client.post("/evaluate", json={"case": {}, "rulesets": [spec]}), 422, "too-many-overlays")


# -- diff jobs ------------------------------------------------------------------------------------

def wait(client: httpx.Client, job_id: str, seconds: float = 120) -> dict[str, Any]:
    """Poll GET /jobs/{id} until the job has finished."""
    deadline = time.monotonic() + seconds
    while True:
        job: dict[str, Any] = client.get(f"/jobs/{job_id}").json()
        if job["status"] in ("done", "failed") or time.monotonic() > deadline:
            return job
        time.sleep(0.05)


def test_a_diff_job_reports_what_the_library_reports(api: httpx.Client) -> None:
    """POST /diff queues a job; once done, its result is the library's DiffReport JSON for the same cases and rule sets."""
    overlay = OVERLAY_FILE.read_text(encoding="utf-8")
    response = api.post("/diff", json={"base": "benxi", "changed": {"key": "benxi", "overlays": [overlay]},
                                       "generate": {"n": 3000, "seed": 7}})
    assert response.status_code == 202
    job = wait(api, response.json()["id"])
    assert job["status"] == "done" and job["done"] == job["total"] == 3000
    report = g.diff(g.load("benxi"), g.load("benxi", overlays=[OVERLAY_FILE]), generate(3000, 7), workers=1)
    assert api.get(job["result"]).content == report.to_json(indent=None).encode()


def test_a_diff_of_posted_cases(api: httpx.Client) -> None:
    """Posted cases are diffed too; a bad one is a problem naming its index."""
    files = sorted((ROOT / "examples" / "cases").glob("*.yaml"))
    response = api.post("/diff", json={"base": "yueyang", "changed": "yueyang", "cases": [case_data(f) for f in files]})
    job = wait(api, response.json()["id"])
    assert job["status"] == "done" and api.get(job["result"]).json()["changed_cases"] == 0
    body = assert_problem(api.post("/diff", json={"base": "benxi", "changed": "benxi", "cases": [{}, {"harm": 1}]}), 422, "invalid-case")
    assert body["errors"][0]["path"].startswith("cases[1]")


def test_a_diff_over_a_population_with_fixed_and_weighted_facts(api: httpx.Client) -> None:
    """generate.fix and generate.weight give the library's population with the same facts fixed and weighted."""
    overlay = OVERLAY_FILE.read_text(encoding="utf-8")
    population = {"n": 2000, "seed": 3, "fix": {"decision.measures": ["transfer"]},
                  "weight": {"subject.is_leading_cadre": {"value": True, "p": 0.8}}}
    job = wait(api, api.post("/diff", json={"base": "benxi", "changed": {"key": "benxi", "overlays": [overlay]},
                                            "generate": population}).json()["id"])
    assert job["status"] == "done"
    cases = generate(2000, 3, fix={"decision.measures": ["transfer"]}, weight={"subject.is_leading_cadre": (True, 0.8)})
    report = g.diff(g.load("benxi"), g.load("benxi", overlays=[OVERLAY_FILE]), cases, workers=1)
    assert api.get(job["result"]).content == report.to_json(indent=None).encode()


@pytest.mark.parametrize(("population", "path"), [
    ({"n": 5, "fix": {"decision.measure": ["transfer"]}}, "generate.fix.decision.measure"),
    ({"n": 5, "weight": {"decision.measures": {"value": ["transfr"], "p": 0.5}}}, "generate.weight.decision.measures.0"),
])
def test_a_bad_fixed_or_weighted_fact_is_a_problem_at_its_path(api: httpx.Client, population: dict[str, Any], path: str) -> None:
    """An unknown fact or a bad value of a fixed or weighted fact is a 422 problem naming generate.fix/weight and the fact."""
    body = assert_problem(api.post("/diff", json={"base": "benxi", "changed": "benxi", "generate": population}), 422, "invalid-population")
    assert [e["path"] for e in body["errors"]] == [path]


def test_a_rule_sets_detail_lists_its_editable_parameters(api: httpx.Client) -> None:
    """GET /rulesets/{key} carries the same rule listing as ``guanzhi rules KEY --json``."""
    detail = api.get("/rulesets/benxi").json()
    assert detail["parameters"] == json.loads(editable_parameters(g.load("benxi")).to_json())


def test_diffs_are_capped_in_size_time_and_queue() -> None:
    """A population over the cap is refused; a diff over its time is stopped; a full queue answers 503; early results are 409."""
    with limited(max_population=500_000, diff_seconds=0.5, max_queued_diffs=2) as url, httpx.Client(base_url=url, timeout=60) as client:
        assert_problem(client.post("/diff", json={"base": "benxi", "changed": "benxi", "generate": {"n": 500_001}}),
                       422, "population-too-large")
        first = client.post("/diff", json={"base": "benxi", "changed": "benxi", "generate": {"n": 500_000}}).json()
        second = client.post("/diff", json={"base": "benxi", "changed": "benxi", "generate": {"n": 500_000}}).json()
        assert_problem(client.post("/diff", json={"base": "benxi", "changed": "benxi", "generate": {"n": 10}}), 503, "queue-full")
        assert_problem(client.get(f"/jobs/{second['id']}/result"), 409, "not-done")
        for job in (first, second):
            finished = wait(client, job["id"])
            assert finished["status"] == "failed"
            assert finished["error"]["type"] == "urn:guanzhi:problem:timeout"
        assert_problem(client.get("/jobs/0123"), 404, "not-found")


# -- packaging ------------------------------------------------------------------------------------

def test_the_library_and_cli_do_not_import_the_server_or_pyarrow() -> None:
    """import guanzhi_rules, evaluating, and the CLI module load neither FastAPI, uvicorn nor pyarrow."""
    code = ("import sys, guanzhi_rules as g; g.load('benxi').evaluate({}); import guanzhi_rules._cli; "
            "print(sorted(m for m in ('fastapi', 'uvicorn', 'pyarrow', 'starlette') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


def test_the_app_takes_more_routes() -> None:
    """create_app() gives an app that takes further routers (how the workbench will be added)."""
    app = create_app()
    extra = APIRouter()

    @extra.get("/hello")
    def hello() -> dict[str, str]:
        return {"hello": "world"}

    app.include_router(extra)
    with running(app) as url:
        assert httpx.get(f"{url}/hello").json() == {"hello": "world"}
        assert httpx.get(f"{url}/healthz").json() == {"status": "ok"}


def test_the_readme_request_is_the_example_case(api: httpx.Client) -> None:
    """examples/requests/evaluate.json (the README's curl) holds the petitions example case as it is on file, and evaluates."""
    request = json.loads((ROOT / "examples" / "requests" / "evaluate.json").read_text(encoding="utf-8"))
    assert g.parse_case(request["case"]) == g.read_case(CASE_FILE)
    response = api.post("/evaluate", json=request)
    assert response.status_code == 200 and [d["jurisdiction"]["key"] for d in response.json()] == request["rulesets"]
