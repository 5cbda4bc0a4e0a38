"""The workbench's routes and words (``_workbench``), called over HTTP without a browser."""

from __future__ import annotations

import base64
import re
import time
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

import guanzhi_rules as g
from guanzhi_rules._diffreport import marked, transition_value
from guanzhi_rules._service import create_app
from guanzhi_rules._workbench import condition_words, reader_text
from tests.servers import running

ROOT = Path(__file__).parents[1]
OVERLAY = """overlay:
  base: benxi
  title: {zh: 调离岗位后两年内不得提拔, en: Two years without promotion after a transfer}
set:
  - rule: art13.transfer
    path: then.0.freeze.months
    value: 24
"""


@pytest.fixture(scope="module")
def api() -> Iterator[httpx.Client]:
    """A client of a server with the workbench."""
    with running(create_app()) as url, httpx.Client(base_url=url, timeout=60) as client:
        yield client


def finished(api: httpx.Client, job: dict[str, Any]) -> dict[str, Any]:
    """Poll a diff job until it is done or failed."""
    deadline = time.monotonic() + 60
    while job["status"] not in ("done", "failed") and time.monotonic() < deadline:
        time.sleep(0.05)
        job = api.get(f"/jobs/{job['id']}").json()
    return job


def test_page_and_assets_are_served_from_the_package(api: httpx.Client) -> None:
    """/workbench is the page in Chinese, and each file it loads is served by the server from the package."""
    page = api.get("/workbench")
    assert page.status_code == 200 and '<html lang="zh-CN">' in page.text
    for asset in re.findall(r'(?:src|href)="(/workbench/static/[^"]+)"', page.text):
        response = api.get(asset)
        assert response.status_code == 200, asset
        name = asset.rsplit("/", 1)[1]
        assert response.content == (files("guanzhi_rules") / "workbench" / name).read_bytes()


def test_page_fetches_nothing_from_outside_the_server() -> None:
    """No file of the page names another host: no CDN, no web font, no remote script (the page works offline)."""
    for path in (files("guanzhi_rules") / "workbench").iterdir():
        text = path.read_text(encoding="utf-8").replace("http://www.w3.org/2000/svg", "")  # SVG's namespace: a name, not a fetch
        assert re.findall(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}", text) == [], path.name


def test_ruleset_view_puts_each_rule_beside_the_article_it_cites(api: httpx.Client) -> None:
    """Every Benxi rule citing Benxi's text is listed under the article its citation names, with words and parameters."""
    view = api.get("/workbench/api/rulesets/benxi").json()
    rs = g.load("benxi")
    placed = {rule_id: a["address"] for a in view["articles"] for rule_id in a["rules"]}
    assert set(placed) | set(view["elsewhere"]) == {r.id for r in rs.file.rules}
    for rule in rs.file.rules:
        if rule.id in placed:
            assert placed[rule.id] == rule.citation.canonical.article
    transfer = next(r for r in view["rules"] if r["id"] == "art13.transfer")
    assert "不得提拔" in transfer["effect"]["zh"]
    months = [p for p in transfer["parameters"] if p["kind"] == "months"]
    assert months == [{**months[0], "path": "then.0.freeze.months", "value": 12}]


def test_ruleset_view_refuses_an_unknown_key(api: httpx.Client) -> None:
    """An unknown rule-set key is a 404 problem with a did-you-mean, never a path."""
    response = api.get("/workbench/api/rulesets/benxy")
    assert response.status_code == 404
    assert "benxi" in response.json()["detail"]


def test_condition_words_spell_out_named_conditions_in_chinese() -> None:
    """A rule's condition reads as Chinese words: fact and value labels, named conditions spelt out, no fact names."""
    rs = g.load("benxi")
    rule = rs.rule("art6.1").rule
    zh = condition_words(rule.when, "zh", rs.file.define)
    assert "在管辖或职责范围内" in zh
    assert not re.search(r"[a-z]+\.[a-z_]+", zh), zh
    en = condition_words(rule.when, "en", rs.file.define)
    assert "within" in en.lower() or "responsib" in en.lower()


def test_overlay_route_gives_the_line_and_column_of_bad_yaml(api: httpx.Client) -> None:
    """YAML that does not parse is reported at its line and column, parsed with the library's limits."""
    result = api.post("/workbench/api/overlay", json={"text": OVERLAY.replace("value: 24", "value: [24")}).json()
    assert result["ok"] is False and result["overlay"] is None
    assert result["line"] >= 7 and result["column"] >= 1
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(f"{k}: &{k} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
                                                          for p, k in zip("abcdefg", "bcdefgh", strict=True))
    refused = api.post("/workbench/api/overlay", json={"text": bomb}).json()
    assert refused["ok"] is False and refused["message"]


def test_overlay_route_checks_the_amended_rule_set(api: httpx.Client) -> None:
    """A valid overlay passes the check and comes back as data; an unknown rule is refused with a did-you-mean."""
    good = api.post("/workbench/api/overlay", json={"text": OVERLAY}).json()
    assert good["ok"] is True and good["findings"] == []
    assert good["overlay"]["set"][0]["value"] == 24
    bad = api.post("/workbench/api/overlay", json={"text": OVERLAY.replace("art13.transfer", "art13.transfr")}).json()
    assert bad["ok"] is False
    assert "art13.transfer" in bad["message"]


def test_yaml_route_round_trips_through_the_overlay_route(api: httpx.Client) -> None:
    """An overlay written as YAML by the server parses back to the same data."""
    data = {"overlay": {"base": "benxi", "title": {"zh": "提案", "en": "Proposal"}},
            "set": [{"rule": "art13.transfer", "path": "then.0.freeze.months", "value": 24}], "remove": ["art13.demotion"]}
    text = api.post("/workbench/api/yaml", json={"overlay": data}).json()["text"]
    assert text.index("remove:") < text.index("set:")
    assert api.post("/workbench/api/overlay", json={"text": text}).json()["overlay"] == data


@given(st.lists(st.sampled_from("abcd"), max_size=12), st.lists(st.sampled_from("abcd"), max_size=12))
def test_marked_lines_leave_unmarked_exactly_a_common_subsequence(a: list[str], b: list[str]) -> None:
    """The lines not marked as differing are the same sequence on both sides, and identical texts have no mark."""
    left, right = marked(a, b)
    assert [x.text for x in left if not x.differs] == [x.text for x in right if not x.differs]
    assert [x.text for x in left] == a and [x.text for x in right] == b
    same, _ = marked(a, a)
    assert not any(x.differs for x in same)


def test_upload_diff_runs_over_case_files_and_reports_examples(api: httpx.Client) -> None:
    """Uploaded case files are diffed like posted cases; the view words examples as evaluate does, differing lines marked."""
    paths = sorted((ROOT / "examples" / "cases").glob("*.yaml"))
    uploads = [{"name": p.name, "data": base64.b64encode(p.read_bytes()).decode()} for p in paths]
    job = api.post("/workbench/api/diff", json={"base": "benxi", "overlays": [OVERLAY], "files": uploads})
    assert job.status_code == 202
    done = finished(api, job.json())
    assert done["status"] == "done" and done["total"] == len(paths)
    report = g.DiffReport.model_validate_json(api.get(f"/jobs/{done['id']}/result").content)
    view = api.get(f"/workbench/api/jobs/{done['id']}/view", params={"lang": "zh"}).json()
    assert view["changed_cases"] == report.changed_cases > 0
    example = view["examples"][0]
    first = report.examples[0]
    assert [line["text"] for line in example["base"]] == reader_text(first.base, "zh").splitlines()
    assert "sha256" not in "".join(line["text"] for line in example["base"])
    assert any("2年内不得提拔" in line["text"] for line in example["changed"] if line["differs"])
    html = api.get(f"/workbench/api/jobs/{done['id']}/report.html", params={"lang": "zh"})
    assert html.text == report.to_html("zh")
    assert "attachment" in html.headers["content-disposition"]


def test_upload_diff_names_a_bad_file(api: httpx.Client) -> None:
    """A case file that is not a valid case is refused with a problem naming it; no job is queued."""
    uploads = [{"name": "bad.yaml", "data": base64.b64encode(b"subject: {kindd: person}\n").decode()}]
    response = api.post("/workbench/api/diff", json={"base": "benxi", "overlays": [OVERLAY], "files": uploads})
    assert response.status_code == 422
    assert "bad.yaml" in response.json()["detail"]
    other = [{"name": "cases.txt", "data": base64.b64encode(b"x").decode()}]
    assert api.post("/workbench/api/diff", json={"base": "benxi", "overlays": [OVERLAY], "files": other}).status_code == 422


def test_overlay_route_accepts_draft_wording_and_names_the_rules_citing_it(api: httpx.Client) -> None:
    """A rule citing draft wording passes the check (the words are not looked for in the text) and is listed as a draft."""
    text = """overlay:
  base: benxi
  title: {zh: 改革创新容错, en: Errors in reform}
add:
  - id: draft.exemption
    stage: exemption
    modality: may
    label: {zh: 改革创新中出现失误的，可以免责, en: errors in reform may be exempted}
    when: context.reform_or_pilot
    then: [{exempt: true}]
    citation: {article: 第十四条, draft: 在推进改革创新中先行先试出现失误的，可以免予问责。}
drop_silence: [exemption]
"""
    result = api.post("/workbench/api/overlay", json={"text": text, "lang": "zh"}).json()
    assert result["ok"] is True, result
    assert result["drafts"] == ["draft.exemption"]
    quoted = api.post("/workbench/api/overlay", json={"text": text.replace("draft: 在推进", "quote: 在推进")}).json()
    assert quoted["ok"] is False and any(f["kind"] == "citation" for f in quoted["findings"])


@pytest.mark.parametrize("key", g.BUNDLED)
def test_every_rule_of_every_bundled_rule_set_is_worded_in_both_languages(api: httpx.Client, key: str) -> None:
    """Each rule's condition and effect read as words in zh and en; the Chinese words name no fact or code."""
    view = api.get(f"/workbench/api/rulesets/{key}").json()
    assert len(view["rules"]) == len(g.load(key))
    for rule in view["rules"]:
        for part in ("condition", "effect"):
            assert rule[part]["zh"] and rule[part]["en"], (rule["id"], part)
        assert not re.search(r"\b[a-z]+[._][a-z_]+\b", rule["condition"]["zh"] + rule["effect"]["zh"]), rule["id"]


@pytest.mark.parametrize(("dimension", "value", "zh", "en"), [
    ("band", "reminder~removal", "提醒（谈话提醒）至免职", "reminder to removal"),
    ("exemption", "granted", "应当免责", "exempt (shall)"),
    ("freeze", "transfer:promotion:24", "调离岗位（调整岗位）：不得提拔 24个月", "no promotion 24 months"),
    ("freeze", "general:promotion:rectification", "一般后果：不得提拔 直至整改到位", "general: no promotion until rectified"),
    ("freeze", "none", "无影响期", "no freeze"),
])
def test_transition_values_are_worded(dimension: str, value: str, zh: str, en: str) -> None:
    """The report's before → after values read as the renderings word bands, exemptions and freezes."""
    assert transition_value(dimension, value, "zh") == zh
    assert en in transition_value(dimension, value, "en")


def test_upload_diff_reads_a_case_table(api: httpx.Client) -> None:
    """A CSV case table is read as the tables door reads it: one case per row, diffed like case files."""
    table = "id,subject.kind,subject.is_leading_cadre,decision.measures\nr1,person,true,transfer\nr2,person,false,removal;demotion\n"
    uploads = [{"name": "cases.csv", "data": base64.b64encode(table.encode()).decode()}]
    job = api.post("/workbench/api/diff", json={"base": "benxi", "overlays": [OVERLAY], "files": uploads})
    assert job.status_code == 202, job.text
    assert finished(api, job.json())["total"] == 2
    bad = [{"name": "cases.csv", "data": base64.b64encode(b"id,subject.kindd\nr1,person\n").decode()}]
    refused = api.post("/workbench/api/diff", json={"base": "benxi", "overlays": [OVERLAY], "files": bad})
    assert refused.status_code == 422 and "subject.kind" in refused.json()["detail"]
