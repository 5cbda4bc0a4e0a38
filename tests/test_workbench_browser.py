"""The workbench in a real browser: Debian's chromium, driven by Playwright for Python, on a real server.

No browser build is downloaded: the tests launch ``/usr/bin/chromium`` (``.ci/run`` installs it with apt
when it is absent) and skip, saying why, where it is not installed. ``GUANZHI_SCREENSHOTS=DIR`` also
saves the screenshots of the main views that ``docs/workbench.md`` shows.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

import guanzhi_rules as g
from guanzhi_rules._service import create_app
from tests.servers import running

playwright = pytest.importorskip("playwright.sync_api")

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
ROOT = Path(__file__).parents[1]
SHOTS = os.environ.get("GUANZHI_SCREENSHOTS")
TIMEOUT = 30_000
HEAD = "overlay:\n  base: benxi\n  title: {zh: 提案, en: Proposal}\nset:\n"

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (apt-get install chromium)")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """The service with the workbench on a free localhost port."""
    with running(create_app()) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's headless chromium, shared by the tests of this module."""
    with playwright.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[Any]:
    """A fresh page on the workbench (Chinese, Benxi), once its rule set has loaded; page errors fail the test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True, locale="zh-CN")
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda exc: errors.append(str(exc)))
    opened.set_default_timeout(TIMEOUT)
    opened.goto(f"{server}/workbench?ruleset=benxi")
    opened.wait_for_selector("body[data-ready=true]")
    yield opened
    context.close()
    assert errors == []


def shot(page: Any, name: str, **options: Any) -> None:
    """Save a screenshot for the docs when GUANZHI_SCREENSHOTS names a directory."""
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"workbench-{name}.png"), **options)


def yaml_checked(page: Any, *, contains: str = "", state: str = "ok") -> None:
    """Wait until the overlay editor holds ``contains`` and its check has answered ``state``."""
    page.wait_for_function("([text, state]) => document.querySelector('#yaml').value.includes(text)"
                           " && document.querySelector('#yaml-status').classList.contains(state)", arg=[contains, state])


def test_lengthening_the_transfer_freeze_makes_every_affected_case_stricter(page: Any, server: str, tmp_path: Path) -> None:
    """Benxi's art13.transfer freeze set to 24 months through the form, measured over cases with a transfer fixed:
    the chart counts every changed case as stricter, the example marks the freeze line, and the downloaded
    overlay passes ``guanzhi check``."""
    page.click("[data-tab=propose]")
    page.fill("#ov-title", "调离岗位的，两年内不得提拔")
    page.select_option("#rule-pick", "art13.transfer")
    form = page.locator("form[data-param='then.0.freeze.months']")
    form.locator("input").fill("24")
    form.locator("button[type=submit]").click()
    yaml_checked(page, contains="value: 24")
    assert "path: then.0.freeze.months" in page.input_value("#yaml")
    assert "zh: 调离岗位的，两年内不得提拔" in page.input_value("#yaml")
    shot(page, "propose")

    page.click("[data-tab=measure]")
    page.click("[data-preset=transfer]")
    assert page.locator("#fixes [data-fix='decision.measures']").count() == 1
    page.fill("#gen-n", "2000")
    page.fill("#gen-known", "0.9")
    page.click("#run")
    page.wait_for_selector("#see.active")

    job = page.evaluate("state.job.id")
    report = g.DiffReport.model_validate_json(httpx.get(f"{server}/jobs/{job}/result", timeout=30).content)
    assert report.cases == 2000 and report.changed_cases > 0
    assert report.count("stricter") == report.changed_cases  # every affected case stricter
    bars = {g_.get_attribute("data-direction"): int(g_.get_attribute("data-count") or -1)
            for g_ in page.locator("svg.directions g").all()}
    assert bars == {c.name: c.cases for c in report.directions}
    assert bars["stricter"] == report.changed_cases
    assert str(report.changed_cases) in page.inner_text("#summary")
    cell = page.locator("[data-dimension=freeze] g[data-before='transfer:promotion:12'][data-after='transfer:promotion:24']")
    assert cell.get_attribute("data-count") == str(report.changed_cases)
    assert page.locator("#rules-table tr[data-rule='art13.transfer']").count() == 1

    example = page.locator(".example").first
    before = example.locator(".side-by-side > div").nth(0).locator(".excerpt .line.differs").all_inner_texts()
    after = example.locator(".side-by-side > div").nth(1).locator(".excerpt .line.differs").all_inner_texts()
    assert any("1年内不得提拔" in line for line in before), before
    assert any("2年内不得提拔" in line for line in after), after
    shot(page, "see", full_page=True)

    with page.expect_download() as download:
        page.click("#download-overlay-2")
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == "benxi-proposal.yaml"
    checked = subprocess.run([sys.executable, "-m", "guanzhi_rules", "check", str(saved)], capture_output=True, text=True, check=False,
                             env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert g.load("benxi", overlays=[saved]).rule("art13.transfer").rule.then[0].freeze.months == 24  # type: ignore[union-attr]

    with page.expect_download() as report_download:
        page.click("#download-report")
    html = Path(report_download.value.path()).read_text(encoding="utf-8")
    assert html == report.to_html("zh")


def test_a_new_exemption_with_draft_wording_is_measured_and_marked_as_proposed(page: Any, server: str) -> None:
    """A rule added through the form cites draft wording, the overlay checks, and its impact lists it marked as proposed (【拟】)."""
    page.click("[data-tab=propose]")
    form = page.locator("#new-rule")
    form.locator("[name=wording]").fill("在推进改革创新中先行先试出现失误的，可以免予问责。")
    form.locator("button[type=submit]").click()
    yaml_checked(page, contains="draft: 在推进改革创新中先行先试出现失误的，可以免予问责。")
    assert "- exemption" in page.input_value("#yaml")  # drop_silence: the proposal now provides an exemption
    assert "拟议条文（不与正式文本比对）：draft.exemption" in page.inner_text("#yaml-status")

    page.click("[data-tab=measure]")
    page.click("[data-preset=county]")
    page.fill("#gen-n", "1000")
    page.click("#run")
    page.wait_for_selector("#see.active")
    job = page.evaluate("state.job.id")
    report = g.DiffReport.model_validate_json(httpx.get(f"{server}/jobs/{job}/result", timeout=30).content)
    assert report.count("newly_exempt") > 0
    bar = page.locator("svg.directions g[data-direction=newly_exempt]")
    assert bar.get_attribute("data-count") == str(report.count("newly_exempt"))
    row = page.locator("#rules-table tr[data-rule='draft.exemption'] td.draft")
    assert "【拟】" in row.inner_text() and "先行先试" in row.inner_text()
    assert f"{report.decision_changed} 件决定改变" in page.inner_text("#summary")


def test_uploaded_case_files_are_measured(page: Any, server: str) -> None:
    """Case files chosen in Measure are uploaded and diffed; the page reports the number the server counted."""
    page.click("[data-tab=propose]")
    page.locator("form[data-param='then.0.freeze.months'] input").fill("6")
    page.locator("form[data-param='then.0.freeze.months'] button[type=submit]").click()
    yaml_checked(page, contains="value: 6")
    page.click("[data-tab=measure]")
    assert page.locator("#upload-form").is_hidden()
    page.check("input[name=mode][value=upload]")
    assert page.locator("#generate-form").is_hidden()
    cases = sorted((ROOT / "examples" / "cases").glob("*.yaml"))
    page.set_input_files("#upload", [str(p) for p in cases])
    page.click("#run")
    page.wait_for_selector("#see.active")
    job = page.evaluate("state.job.id")
    report = g.DiffReport.model_validate_json(httpx.get(f"{server}/jobs/{job}/result", timeout=30).content)
    assert report.cases == len(cases)
    assert report.changed_cases > 0 and report.count("more_lenient") == report.changed_cases
    assert page.locator("svg.directions g[data-direction=more_lenient]").get_attribute("data-count") == str(report.changed_cases)


def test_search_shows_the_articles_and_rules_that_mention_a_word(page: Any) -> None:
    """Searching a word leaves only the articles whose text or rules mention it, the word marked; an article number finds its article."""
    every = page.locator("#articles section.article").count()
    page.fill("#search", "调离")
    shown = page.locator("#articles section.article")
    assert 0 < shown.count() < every
    for text in shown.all_inner_texts():
        assert "调离" in text
    assert page.locator("[data-rule='art13.transfer']").count() == 1
    assert page.locator("#articles mark", has_text="调离").count() > 0
    shot(page, "read")
    page.fill("#search", "第十三条")
    assert page.locator("#articles section.article").first.get_attribute("data-article") == "第十三条"
    page.fill("#search", "没有这个词语")
    assert page.locator("#articles section.article").count() == 0


def test_yaml_editor_reports_errors_as_you_type(page: Any) -> None:
    """The overlay editor is checked by the server as you type: bad YAML at its line, an unknown rule with a did-you-mean, then ok."""
    page.click("[data-tab=propose]")
    yaml_checked(page)
    editor = page.locator("#yaml")
    editor.fill(HEAD + "  - rule: art13.transfer\n    path: then.0.freeze.months\n    value: [24\n")
    yaml_checked(page, state="error")
    assert re.search(r"第 \d+ 行第 \d+ 列", page.inner_text("#yaml-status"))
    editor.fill(HEAD + "  - rule: art13.transfr\n    path: then.0.freeze.months\n    value: 24\n")
    yaml_checked(page, contains="art13.transfr", state="error")
    assert "art13.transfer" in page.inner_text("#yaml-status")
    editor.fill(HEAD + "  - rule: art13.transfer\n    path: then.0.freeze.months\n    value: 18\n")
    yaml_checked(page, contains="value: 18")
    assert page.locator("form[data-param='then.0.freeze.months'] input").input_value() == "18"  # the forms follow the text


def test_language_switch_turns_the_page_to_english_and_back(page: Any) -> None:
    """The switch turns every label of the page to English and back; the Chinese page shows no English words."""
    chrome = "body > header, #read .toolbar"
    zh = " ".join(page.locator(chrome).all_inner_texts())
    assert "阅读" in zh and not re.search(r"[A-Za-z]{3,}", zh.replace("English", ""))
    page.click("#lang")
    assert page.get_attribute("html", "lang") == "en"
    assert page.inner_text("h1") == "Drafter's workbench"
    assert page.locator("#tabs button").all_inner_texts() == ["Read", "Propose", "Measure", "See"]
    first_rule = page.locator("#articles .rule dl").first.inner_text()
    assert not re.search(r"[\u4e00-\u9fff]", first_rule.split("\n", 2)[0]), first_rule
    page.click("#lang")
    assert page.inner_text("h1") == "规则起草工作台"
    assert page.get_attribute("html", "lang") == "zh-CN"
