"""The HTTP API against its own OpenAPI description: a valid spec, a client driven only by it, and schemathesis over every endpoint."""

from __future__ import annotations

import importlib
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from openapi_spec_validator import validate
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from schemathesis.checks import positive_data_acceptance

import guanzhi_rules as g
from guanzhi_rules._service import ServiceLimits, create_app
from tests.servers import running

ROOT = Path(__file__).parents[1]

FUZZ_LIMITS = ServiceLimits(max_cases=3, max_rulesets=3, max_population=2000, max_diff_cases=20, max_queued_diffs=1000)
"""Small enough that no generated request can run into a time limit (a 503 is a server error to schemathesis)."""


@pytest.fixture(scope="module")
def live() -> Iterator[str]:
    """The base URL of a real server with the fuzzing limits."""
    with running(create_app(FUZZ_LIMITS)) as url:
        yield url


@pytest.fixture(scope="module")
def spec(live: str) -> dict[str, Any]:
    """The OpenAPI description as the server publishes it."""
    document: dict[str, Any] = httpx.get(f"{live}/openapi.json").json()
    return document


def test_openapi_json_is_a_valid_openapi_3_description(spec: dict[str, Any]) -> None:
    """/openapi.json validates as OpenAPI 3.x (openapi-spec-validator) and documents every endpoint."""
    validate(spec)
    assert spec["openapi"].startswith("3.")
    assert set(spec["paths"]) == {
        "/healthz", "/version", "/rulesets", "/rulesets/{key}", "/schema/{what}", "/evaluate", "/compare", "/explain",
        "/eligibility", "/check", "/diff", "/jobs/{job_id}", "/jobs/{job_id}/result"}


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_the_docs_pages_need_nothing_outside_the_server(live: str, page: str) -> None:
    """/docs and /redoc name no http(s) address, and every script, style, icon and spec they load comes from the app (200)."""
    response = httpx.get(live + page)
    assert response.status_code == 200
    html = response.text
    assert not re.findall(r"https?://", html)
    assets = set(re.findall(r'(?:src|href|spec-url)="([^"]+)"', html)) | set(re.findall(r"url: '([^']+)'", html))
    assert {a.rsplit("/", 1)[-1] for a in assets} >= {"openapi.json", "favicon.png"}
    assert any(a.endswith(".js") for a in assets)
    for asset in sorted(assets):
        assert asset.startswith("/"), asset  # on this server, not on another host
        assert httpx.get(live + asset).status_code == 200, asset


class SpecClient:
    """A minimal generic client that knows the API only from its OpenAPI description.

    It finds an operation by its path and method, checks the request body against the request
    schema before sending it, and checks the response against the schema declared for its status
    and media type; components are resolved by ``$ref``, as any generator's models would be.
    """

    def __init__(self, spec: dict[str, Any], base_url: str) -> None:
        self.spec, self.base_url = spec, base_url
        self.registry = Registry().with_resource("urn:api", Resource.from_contents(spec, default_specification=DRAFT202012))

    def validator(self, schema: dict[str, Any]) -> jsonschema.Draft202012Validator:
        return jsonschema.Draft202012Validator(_rebase(schema), registry=self.registry)

    def call(self, method: str, path: str, body: Any) -> Any:
        operation = self.spec["paths"][path][method]
        request_schema = operation["requestBody"]["content"]["application/json"]["schema"]
        self.validator(request_schema).validate(body)
        response = httpx.request(method.upper(), self.base_url + path, json=body, timeout=60)
        media = response.headers["content-type"].split(";")[0]
        declared = operation["responses"][str(response.status_code)]["content"][media]["schema"]
        data = response.json()
        self.validator(declared).validate(data)
        return data


def _rebase(schema: Any) -> Any:
    """The schema with local references (#/components/...) made absolute within the registered description."""
    if isinstance(schema, dict):
        return {k: ("urn:api" + v if k == "$ref" and isinstance(v, str) and v.startswith("#") else _rebase(v)) for k, v in schema.items()}
    if isinstance(schema, list):
        return [_rebase(v) for v in schema]
    return schema


def test_a_client_driven_by_the_spec_evaluates_a_case(spec: dict[str, Any], live: str) -> None:
    """A client that knows only /openapi.json sends a valid /evaluate request and gets a response valid against the spec."""
    client = SpecClient(spec, live)
    case = json.loads(g.read_case(ROOT / "examples" / "cases" / "minor_inaction.yaml").model_dump_json(exclude_none=True))
    result = client.call("post", "/evaluate", {"case": case, "rulesets": ["benxi"], "trace": "steps"})
    assert result[0]["jurisdiction"]["key"] == "benxi"
    assert "facts" not in result[0]["trace"][0]
    with pytest.raises(jsonschema.ValidationError):  # the spec itself refuses a misspelt field before anything is sent
        client.call("post", "/evaluate", {"case": {"subject": {"kindd": "person"}}})
    with pytest.raises(jsonschema.ValidationError):  # and an unknown rule-set key
        client.call("post", "/evaluate", {"case": {}, "rulesets": ["benx"]})
    out_of_order = {"dates": {"conduct": "2020-01-01"}, "decision": {"date": "2019-01-01"}}  # valid by the schema, not by the model
    problem = client.call("post", "/evaluate", {"case": out_of_order, "rulesets": ["benxi"]})
    assert problem["status"] == 422 and problem["errors"][0]["path"] == "case.decision.date"


# Left out: positive_data_acceptance, which expects every schema-valid request to succeed. A JSON Schema
# cannot say all the API checks: a case's dates in order, an overlay fitting its base rule set,
# exactly one of case/cases, a rule id the rule set has. Those are refused with 422 problems, which
# the other checks still hold to the spec (status, media type, body).
OPERATIONS = [op.ok() for op in schemathesis.openapi.from_dict(create_app(FUZZ_LIMITS).openapi()).get_all_operations()]
"""Every endpoint of the spec (read from the app, so the test ids are known before a server runs)."""


@pytest.mark.parametrize("label", [op.label for op in OPERATIONS])
def test_every_endpoint_conforms_to_its_schema(live: str, label: str) -> None:
    """Generated requests to the endpoint (schemathesis) get no server error, and every response is valid against the spec."""
    operation = next(op for op in OPERATIONS if op.label == label)

    @given(operation.as_strategy())
    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def conforms(case: schemathesis.Case) -> None:
        case.call_and_validate(base_url=live, excluded_checks=[positive_data_acceptance])

    conforms()


def test_a_client_generated_from_the_spec_evaluates_cases(spec: dict[str, Any], live: str, tmp_path: Path) -> None:
    """openapi-python-client makes a client of /openapi.json, leaving nothing out, whose /evaluate returns the library's determinations."""
    (tmp_path / "openapi.json").write_text(json.dumps(spec), encoding="utf-8")
    (tmp_path / "config.yaml").write_text("post_hooks: []\n", encoding="utf-8")  # no formatting pass: the client imports as generated
    package = tmp_path / "guanzhi_generated_client"
    generated = subprocess.run(
        [sys.executable, "-m", "openapi_python_client", "generate", "--path", str(tmp_path / "openapi.json"), "--meta", "none",
         "--config", str(tmp_path / "config.yaml"), "--output-path", str(package)],
        capture_output=True, text=True, timeout=300, check=False)
    assert generated.returncode == 0, generated.stdout + generated.stderr
    assert "WARNING" not in generated.stdout + generated.stderr and "Unable" not in generated.stdout + generated.stderr, generated.stdout
    sys.path.insert(0, str(tmp_path))
    try:
        client_module = importlib.import_module("guanzhi_generated_client")
        evaluate = importlib.import_module("guanzhi_generated_client.api.cases.evaluate_route_evaluate_post")
        models = importlib.import_module("guanzhi_generated_client.models")
        case = g.read_case(ROOT / "examples" / "cases" / "serious_inaction_petitions.yaml")
        data = json.loads(case.model_dump_json(exclude_none=True))
        body = models.EvaluateRequest.from_dict({"case": data, "rulesets": ["benxi", "yueyang"]})
        with client_module.Client(base_url=live, timeout=httpx.Timeout(60)) as client:
            result = evaluate.sync(client=client, body=body)
        assert isinstance(result, list), result
        got = [d.to_dict() for d in result]  # the models import their parts as they need them
    finally:
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m.split(".")[0] == "guanzhi_generated_client"]:
            del sys.modules[name]
    assert got == [json.loads(g.load(key).evaluate(case).to_json()) for key in ("benxi", "yueyang")]
