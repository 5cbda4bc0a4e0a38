"""``diff`` and ``guanzhi diff``: directions on the ladder, rules behind changes, examples, and the three renderings."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

import guanzhi_rules as g
from guanzhi_rules import _batch, _diff, _population
from guanzhi_rules._batch import outcomes
from guanzhi_rules._cli import main
from guanzhi_rules._diff import DIRECTIONS, RuleEdit, classify
from guanzhi_rules._outcome import Outcome
from guanzhi_rules._population import generate

from .strategies import case_data
from .support import LEADING_CADRE, merge, run

ROOT = Path(__file__).parents[1]
EXAMPLES = ROOT / "docs" / "examples"
BAR = EXAMPLES / "benxi_private_gain_bar.yaml"
FREEZE = EXAMPLES / "yueyang_transfer_freeze_18_months.yaml"
EMPTY = EXAMPLES / "empty.yaml"

MINOR: dict[str, Any] = merge(LEADING_CADRE, {"conduct": {"acts": ["falsifying"], "gravity": "minor"},
                                              "context": {"directed_by_superiors": True}})
"""Covered by Benxi art. 2, art. 6(2) applies, minor: art. 8's range (rungs 1-4)."""
SERIOUS: dict[str, Any] = merge(MINOR, {"conduct": {"gravity": "serious"}})
"""The same, serious: art. 9's range (rungs 5-7) with art. 13's freezes."""


def overlay(tmp_path: Path, name: str, body: str, base: str = "benxi") -> g.RuleSet:
    path = tmp_path / f"{name}.yaml"
    path.write_text(f"overlay: {{base: {base}, title: {{zh: {name}, en: {name}}}}}\n{body}", encoding="utf-8")
    return g.load(base, overlays=[path])


def cases(*data: dict[str, Any]) -> list[g.Case]:
    return [g.parse_case({"id": f"case-{i}", **d}) for i, d in enumerate(data)]


# -- classification -------------------------------------------------------------------------------

FREEZE_12 = '{"freeze":{"restriction":"promotion","months":12,"length":"fixed"}}'
FREEZE_24 = FREEZE_12.replace("12", "24")
FREEZE_OPEN = '{"freeze":{"restriction":"promotion","length":"not_fixed"}}'
STATUS = '{"status":["made_public"]}'


def outcome(**changes: Any) -> Outcome:
    base = Outcome(scope="covered", exemption="not_provided", accountable=True,
                   measures=("criticism_education", "admonition"), consequences=(), applied=("art2.leading_cadre", "art6.2", "art8"))
    return base._replace(**changes)


@pytest.mark.parametrize(("changed", "direction"), [
    (outcome(scope="not_covered", accountable=False, measures=()), "scope_changed"),
    (outcome(exemption="granted", accountable=False, measures=()), "newly_exempt"),
    (outcome(exemption="eligible"), "newly_exempt"),
    (outcome(exemption="barred"), "newly_barred"),
    (outcome(measures=("admonition", "transfer")), "harsher"),
    (outcome(measures=("admonition",)), "harsher"),
    (outcome(measures=("criticism_education",)), "lighter"),
    (outcome(measures=(), accountable=False), "lighter"),
    (outcome(measures=("criticism_education", "transfer")), "harsher"),
    (outcome(measures=("self_examination", "circulated_criticism")), "other"),
    (outcome(consequences=("transfer|art13.transfer|{}",)), "other"),
    (outcome(accountable=None), "other"),
    (outcome(exemption="none"), "statement_only"),
    (outcome(applied=("art2.leading_cadre", "art6.1", "art6.2", "art8")), "statement_only"),
    (outcome(consequences=(f"transfer|art13.transfer|{FREEZE_12}",)), "stricter"),
])
def test_classify_on_the_ladder(changed: Outcome, direction: str) -> None:
    """Each direction is recognised from two outcomes alone, by rungs on Benxi's ladder (1-4 light, 5-7 heavy)."""
    benxi = g.load("benxi")
    assert classify(outcome(), changed, benxi, benxi) == direction


@pytest.mark.parametrize(("before", "after", "direction"), [
    ((FREEZE_12,), (FREEZE_24,), "stricter"),
    ((FREEZE_24,), (FREEZE_12,), "more_lenient"),
    ((), (FREEZE_12,), "stricter"),
    ((FREEZE_12,), (), "more_lenient"),
    ((FREEZE_12,), (FREEZE_OPEN,), "other"),
    ((FREEZE_12, STATUS), (FREEZE_24,), "other"),
    ((FREEZE_12, STATUS), (FREEZE_24, STATUS), "stricter"),
])
def test_classify_freezes(before: tuple[str, ...], after: tuple[str, ...], direction: str) -> None:
    """A longer or added freeze is stricter, a shorter or removed one more lenient; anything else besides is other."""
    benxi = g.load("benxi")
    lines = [tuple(f"transfer|art13.transfer|{x}" for x in side) for side in (before, after)]
    base = outcome(consequences=lines[0])
    assert classify(base, outcome(consequences=lines[1]), benxi, benxi) == direction
    assert classify(base, outcome(consequences=lines[1], exemption="none"), benxi, benxi) == direction, "wording aside"


def test_classify_precedence_and_bars() -> None:
    """Scope beats exemption beats bars beats the ladder; a bar that newly stands counts as newly barred."""
    benxi, barred = g.load("benxi"), g.load("benxi", overlays=[BAR])
    both = outcome(scope="covered_by_reference", exemption="granted", measures=())
    assert classify(outcome(), both, benxi, benxi) == "scope_changed"
    assert classify(outcome(), outcome(exemption="granted", measures=("demotion",)), benxi, benxi) == "newly_exempt"
    with_bar = outcome(applied=(*outcome().applied, "bar.private_gain"), measures=("demotion",))
    assert classify(outcome(), with_bar, benxi, barred) == "newly_barred"
    assert classify(with_bar, with_bar._replace(measures=("transfer",)), barred, barred) == "lighter", "a bar standing in both is not new"


# -- one hand-built case per direction ------------------------------------------------------------

EXEMPTION = """add:
  - id: exempt.force_majeure
    stage: exemption
    modality: shall
    label: {zh: 不可抗力, en: force majeure}
    when: {all: [context.force_majeure, context.unable_to_perform]}
    then: [{exempt: true}]
    citation: {document: yueyang, article: 第十七条, item: (二), quote: "在突发意外事件或不可抗力情况下,确实无法履行责任和义务的。"}
"""


@pytest.mark.parametrize(("name", "body", "case", "direction"), [
    ("scope", "set:\n  - {rule: art2.leading_cadre, path: when.all.2.in, value: [party_organ, government_organ, public_institution]}\n",
     merge(MINOR, {"subject": {"organisation_type": "public_institution"}}), "scope_changed"),
    ("exempt", EXEMPTION, merge(MINOR, {"context": {"force_majeure": True, "unable_to_perform": True}}), "newly_exempt"),
    ("barred", BAR.read_text(encoding="utf-8").split("\nadd:", 1)[1].join(["add:", ""]),
     merge(MINOR, {"context": {"private_gain": True}, "legal": {"unlawful": True}}), "newly_barred"),
    ("harsher", "set:\n  - {rule: art8, path: then.0.measures, value: [admonition, transfer]}\n", MINOR, "harsher"),
    ("lighter", "set:\n  - {rule: art8, path: then.0.measures, value: [criticism_education]}\n", MINOR, "lighter"),
    ("stricter", "set:\n  - {rule: art13.transfer, path: then.0.freeze.months, value: 18}\n", SERIOUS, "stricter"),
    ("more_lenient", "set:\n  - {rule: art13.transfer, path: then.0.freeze.months, value: 6}\n", SERIOUS, "more_lenient"),
    ("other", "set:\n  - {rule: art13.transfer, path: then.0.freeze.restriction, value: higher_post}\n", SERIOUS, "other"),
])
def test_each_direction_on_a_hand_built_case(tmp_path: Path, name: str, body: str, case: dict[str, Any], direction: str) -> None:
    """A case the change moves is classified in its direction; an unaffected case is not counted."""
    changed = overlay(tmp_path, name, body)
    unaffected = merge(LEADING_CADRE, {"subject": {"organisation_type": "state_owned_enterprise"}, "conduct": {"acts": ["slacking"]}})
    report = g.diff(g.load("benxi"), changed, cases(unaffected, case))
    expected = {direction: 1}
    if name == "exempt":
        # Benxi provides no exemption: with one, every case's exemption outcome moves from not_provided to none,
        # which says the same decision in other words.
        expected["statement_only"] = 1
    assert report.cases == 2 and report.changed_cases == sum(expected.values())
    assert report.decision_changed == (0 if name == "barred" else 1), "a bar with nothing to defeat changes no decision"
    assert {c.name: c.cases for c in report.directions if c.cases} == expected
    (example,) = [e for e in report.examples if e.direction == direction]
    assert (example.direction, example.index, example.case_id) == (direction, 1, "case-1")
    assert example.base.fingerprints.ruleset_sha256 == g.load("benxi").sha256
    assert example.changed.fingerprints.ruleset_sha256 == changed.sha256


def test_rules_behind_changes_are_counted() -> None:
    """By rule: the rule that newly applies, with its citation of the other jurisdiction's text."""
    case = merge(MINOR, {"context": {"private_gain": True}, "legal": {"unlawful": True}})
    report = g.diff(g.load("benxi"), g.load("benxi", overlays=[BAR]), cases(case, case, MINOR))
    (impact,) = report.rules
    assert (impact.rule_id, impact.cases, impact.now_applies, impact.no_longer_applies) == ("bar.private_gain", 2, 2, 0)
    assert impact.citation.document == "yangjiang" and not impact.in_base and impact.in_changed
    assert [(c.name, c.cases) for c in impact.directions] == [("newly_barred", 2)]
    assert report.decision_changed == 0, "Benxi has no exemption or mitigation for the bar to defeat"


@pytest.fixture
def benxi_freeze(tmp_path: Path) -> Path:
    """Benxi with the promotion freeze after a transfer set to 18 months."""
    path = tmp_path / "freeze.yaml"
    path.write_text("overlay: {base: benxi, title: {zh: 十八个月, en: 18 months}}\n"
                    "set:\n  - {rule: art13.transfer, path: then.0.freeze.months, value: 18}\n", encoding="utf-8")
    return path


def test_modified_rule_that_applies_in_both_is_named(benxi_freeze: Path) -> None:
    """A rule whose parameter changed is counted where it applied and the outcome moved, with both freezes shown."""
    benxi, changed = g.load("benxi"), g.load("benxi", overlays=[benxi_freeze])
    report = g.diff(benxi, changed, cases(SERIOUS, MINOR))
    assert [r.rule_id for r in report.rules] == ["art13.transfer"]
    assert report.rules[0].applies_modified == 1 and report.rules[0].modified and report.rules[0].in_base
    assert report.count("stricter") == 1 == report.changed_cases
    assert report.rules[0].edits == (RuleEdit(path="then.0.freeze.months", base=12, changed=18),)
    assert [(t.base, t.changed) for t in report.transitions if t.dimension == "freeze"] == [
        ("transfer:promotion:12", "transfer:promotion:18")]
    (example,) = report.examples
    (change,) = example.fields
    assert change.field == "consequences"
    assert change.base == ('transfer|art13.transfer|{"freeze":{"restriction":"promotion","months":12,"length":"fixed"}}',)
    assert '"months":18' in change.changed[0]


# -- the invariant --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def empty_overlays(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    directory = tmp_path_factory.mktemp("empty")
    paths = {}
    for key in g.BUNDLED:
        paths[key] = directory / f"{key}.yaml"
        paths[key].write_text(f"overlay: {{base: {key}, title: {{zh: 空, en: empty}}}}\n", encoding="utf-8")
    return paths


def assert_no_change(report: g.DiffReport, cases: int) -> None:
    assert report.cases == cases
    assert report.changed_cases == 0 and report.examples == () and report.rules == ()
    assert all(c.cases == 0 for c in (*report.directions, *report.fields))


@pytest.mark.parametrize("key", g.BUNDLED)
@settings(max_examples=30)
@given(data=st.lists(case_data(), min_size=1, max_size=8))
def test_empty_overlay_changes_nothing(empty_overlays: dict[str, Path], key: str, data: list[dict[str, Any]]) -> None:
    """For every bundled rule set, an empty overlay changes no outcome of any drawn case."""
    base, amended = g.load(key), g.load(key, overlays=[empty_overlays[key]])
    assert amended.sha256 != base.sha256
    assert_no_change(g.diff(base, amended, [g.parse_case(d) for d in data]), len(data))


@pytest.mark.parametrize("key", g.BUNDLED)
def test_empty_overlay_changes_nothing_in_a_population(empty_overlays: dict[str, Path], key: str) -> None:
    """The same over a generated population of 3,000."""
    assert_no_change(g.diff(g.load(key), g.load(key, overlays=[empty_overlays[key]]), generate(3000, 11)), 3000)


# -- chunks, progress, determinism ----------------------------------------------------------------

def test_chunking_does_not_change_the_report() -> None:
    """A population diffed chunk by chunk equals the same cases diffed as a list in small batches."""
    population = generate(600, 3)
    base, changed = g.load("benxi"), g.load("benxi", overlays=[BAR])
    whole = g.diff(base, changed, population)
    assert whole.changed_cases > 0
    assert g.diff(base, changed, list(population), chunk=97).to_json() == whole.to_json()


def test_a_slice_of_a_population_chunk_is_those_cases() -> None:
    """The batch path reads a population's slice straight from its columns: the same rows as its cases."""
    whole = generate(_population.CHUNK + 40, 5)
    columns = _batch.columns_of(whole, _population.CHUNK + 3, 30)
    assert columns.n == 30
    benxi = g.load("benxi")
    table = _batch.outcome_table(benxi, columns)
    assert table.outcomes(range(30)) == outcomes(benxi, [whole[_population.CHUNK + 3 + i] for i in range(30)])


def test_the_diff_is_the_same_on_one_or_two_workers() -> None:
    """Diffing a population over several chunks gives the same report on one worker as on two."""
    population = generate(2 * _population.CHUNK + 10, 8)
    base, changed = g.load("yueyang"), g.load("yueyang", overlays=[FREEZE])
    one = g.diff(base, changed, population, workers=1)
    assert one.to_json() == g.diff(base, changed, population, workers=2).to_json()


def test_progress_is_reported_per_chunk() -> None:
    """progress(done, total) is called after each batch, ending at the total."""
    calls: list[tuple[int, int]] = []
    g.diff(g.load("benxi"), g.load("benxi"), cases(MINOR, SERIOUS, MINOR), chunk=2, progress=lambda d, t: calls.append((d, t)))
    assert calls == [(2, 3), (3, 3)]


def test_examples_are_the_smallest_cases_capped_per_direction() -> None:
    """At most `examples` per direction, fewest facts first; zero keeps none and evaluates no trace."""
    report = g.diff(g.load("benxi"), g.load("benxi", overlays=[BAR]), generate(2000, 1), examples=2)
    assert len(report.examples) == 2
    sizes = [e.facts_present for e in report.examples]
    assert sizes == sorted(sizes)
    assert g.diff(g.load("benxi"), g.load("benxi", overlays=[BAR]), generate(300, 1), examples=0).examples == ()


def test_report_is_immutable_and_its_json_deterministic() -> None:
    """A report cannot be changed, and two runs serialise byte for byte alike."""
    run = lambda: g.diff(g.load("benxi"), g.load("benxi", overlays=[BAR]), generate(500, 2))  # noqa: E731
    report = run()
    with pytest.raises(ValidationError, match="frozen"):
        report.cases = 0  # type: ignore[misc]
    assert report.to_json() == run().to_json()
    assert json.loads(report.to_json())["directions"][2] == {"name": "newly_barred", "cases": report.count("newly_barred")}
    assert [c.name for c in report.directions] == list(DIRECTIONS)


# -- renderings -----------------------------------------------------------------------------------

class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.urls += [v or "" for k, v in attrs if k in ("src", "href")]


def test_html_is_self_contained_and_escaped() -> None:
    """One page, no scripts, nothing fetched; a case id of `<script>` is shown as text."""
    hostile = merge(MINOR, {"context": {"private_gain": True}, "legal": {"unlawful": True}})
    corpus = [g.parse_case({"id": "<script>alert('x')</script>", **hostile})]
    page = g.diff(g.load("benxi"), g.load("benxi", overlays=[BAR]), corpus).to_html("en")
    parser = _Tags()
    parser.feed(page)
    assert "script" not in parser.tags and parser.urls == []
    assert not re.search(r"(src|href)\s*=\s*[\"']?\s*(https?:)?//", page)
    assert "http" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert page.startswith("<!DOCTYPE html>") and "<style>" in page


def test_text_names_directions_rules_and_steps() -> None:
    """The text report counts by direction, cites the rule, and shows the differing trace step."""
    case = merge(MINOR, {"context": {"private_gain": True}, "legal": {"unlawful": True}})
    report = g.diff(g.load("benxi"), g.load("benxi", overlays=[BAR]), cases(case))
    text = report.to_text("en")
    assert "newly barred from exemption" in text and "[yangjiang] 二（二）2（2）" in text
    assert "(bar.private_gain) (no such rule) → applies" in text
    assert "新被排除免责" in report.to_text("zh")


# -- the command ----------------------------------------------------------------------------------

def test_cli_reports_the_private_gain_bar_with_examples() -> None:
    """Done-when: the bar overlay over 10,000 generated cases reports changed cases with examples."""
    code, out, _ = run("diff", "benxi", f"benxi+{BAR}", "--generate", "10000", "--seed", "1", "--format", "json")
    assert code == 0
    report = json.loads(out)
    assert report["cases"] == 10000 and report["changed_cases"] > 0
    assert report["examples"] and all(e["direction"] == "newly_barred" for e in report["examples"])
    assert report["changed"]["overlays"][0]["en"].startswith("Benxi adopts Yangjiang's bar")


def test_cli_reports_no_change_for_the_empty_overlay() -> None:
    """Done-when: the empty overlay over the same population changes nothing, and that is exit 0."""
    code, out, _ = run("diff", "benxi", f"benxi+{EMPTY}", "--generate", "10000", "--seed", "1", "--lang", "en")
    assert code == 0
    assert "Cases analysed: 10000    Cases whose result changes: 0 (0.00%)" in out and "No case's result changes" in out


def test_cli_reads_a_directory_of_cases_and_writes_html(tmp_path: Path) -> None:
    """--cases DIR reads every case file in it; -o writes the report to a file, not stdout."""
    target = tmp_path / "report.html"
    code, out, _ = run("diff", "benxi", str(BAR), "--cases", str(ROOT / "examples" / "cases"), "--format", "html", "-o", str(target))
    assert code == 0 and out == ""
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_cli_json_stdout_stays_clean_with_a_progress_bar() -> None:
    """--progress draws on stderr; stdout is exactly the JSON report."""
    code, out, err = run("diff", "yueyang", str(FREEZE), "--generate", "200", "--format", "json", "--progress")
    assert code == 0
    assert json.loads(out)["cases"] == 200
    assert "200/200" in err


@pytest.mark.parametrize("args", [
    ("benxi", "benx", "--generate", "5"),
    ("benxi", "benxi+missing.yaml", "--generate", "5"),
    ("benxi", "benxi", "--generate", "5", "--cases", "examples/cases"),
    ("benxi", "benxi"),
    ("benxi", "benxi", "--generate", "-1"),
    ("benxi", "yueyang+docs/examples/empty.yaml", "--generate", "5"),
])
def test_cli_bad_input_exits_2(args: tuple[str, ...]) -> None:
    """Unknown keys, missing or misfitting overlays and bad options are exit 2, never a traceback."""
    code, _, err = run("diff", *args)
    assert code == 2
    assert "Traceback" not in err


def test_cli_malformed_case_file_exits_2(tmp_path: Path) -> None:
    """A malformed case in the corpus is a one-paragraph error naming the file."""
    (tmp_path / "a.yaml").write_text("conduct: {actz: []}\n", encoding="utf-8")
    code, _, err = run("diff", "benxi", "benxi", "--cases", str(tmp_path))
    assert code == 2
    assert err.startswith("error: ") and "a.yaml" in err and "did you mean 'acts'" in err


# -- the authoring guide --------------------------------------------------------------------------

def documented_runs() -> list[tuple[list[str], list[str]]]:
    """Each `$ guanzhi ...` command in docs/authoring.md, with the output lines shown under it."""
    runs: list[tuple[list[str], list[str]]] = []
    blocks: list[list[str]] = []
    inside = False
    for line in (ROOT / "docs" / "authoring.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            inside = not inside
            blocks += [[]] if inside else []
        elif inside:
            blocks[-1].append(line)
    for block in ("\n".join(b) for b in blocks):
        for chunk in re.split(r"^\$ ", block, flags=re.M)[1:]:
            command, *shown = chunk.splitlines()
            command = command.split("  #")[0].split(" | ")[0]
            if command.startswith("guanzhi "):
                runs.append((command.split()[1:], [line for line in shown if line.strip()]))
    return runs


VOLATILE = re.compile(
    r"\d+ \(\d+\.\d+%\)|\d+（\d+\.\d+%）|the other \d+|其余 \d+ 件|generated case #|生成案例|█|warning\(s\)$|项提示$")
"""Lines whose numbers depend on the population generator's version, or on articles the rule files have yet to
encode or declare (check warnings): not compared."""

FINGERPRINT = re.compile(r"\[sha256 [0-9a-f]{12}\]")
"""A rule set's short fingerprint, which changes with every edit of its file: compared as a shape, not a value."""


def test_authoring_guide_commands_really_run() -> None:
    """Every guanzhi command in the authoring guide runs as documented, and its output holds the lines shown."""
    runs = documented_runs()
    assert len(runs) >= 6
    for args, shown in runs:
        result = CliRunner().invoke(main, args)
        assert result.exit_code == (1 if args[0] == "check" and "benxi_private_gain_bar" in args[1] else 0), args
        lines = [FINGERPRINT.sub("[sha256]", line) for line in result.stdout.splitlines()]
        stable = [FINGERPRINT.sub("[sha256]", line) for line in shown if not VOLATILE.search(line)]
        missing = [line for line in stable if line not in lines]
        assert not missing, (args, missing)


def _changed_rows_one_by_one(
    base: g.RuleSet, changed: g.RuleSet, modified: frozenset[str], columns: Any, start: int, *,
    a_table: _batch.OutcomeTable, b_table: _batch.OutcomeTable,
) -> Any:
    """The changed rows' part of a diff as it was built before: every changed row classified and counted on its own."""
    part = _diff._Part(columns.n)
    rows = np.flatnonzero(a_table.fingerprint != b_table.fingerprint)
    present = columns.known_facts(np.arange(columns.n)) if len(rows) else None
    for i, a, b in zip(rows.tolist(), a_table.outcomes(rows), b_table.outcomes(rows), strict=True):
        part.changed_cases += 1
        direction = classify(a, b, base, changed)
        part.directions[direction] += 1
        differing = [f for f, x, y in zip(_diff.FIELDS, a, b, strict=True) if x != y]
        part.fields.update(differing)
        part.decision_changed += not _diff.same_decision(a, b)
        part.transitions.update(_diff._transitions(a, b))
        before, after = set(a.applied), set(b.applied)
        involved = [(r, "now") for r in after - before] + [(r, "lost") for r in before - after]
        involved += [(r, "modified") for r in (before & after & modified)]
        for rule_id, how in involved:
            tally = part.tallies.setdefault(rule_id, _diff._Tally())
            tally.cases += 1
            tally.directions[direction] += 1
            setattr(tally, how, getattr(tally, how) + 1)
        if len(part.pool[direction]) < _diff.POOL:
            assert present is not None
            part.pool[direction].append((int(present[i]), start + i))
    return part


@pytest.mark.parametrize(("key", "change"), [("benxi", BAR), ("benxi", EXAMPLES / "benxi_tolerance_with_bar.yaml")])
@pytest.mark.parametrize("known", [_population.KNOWN, 0.8])
def test_changed_rows_counted_by_kind_give_the_report_row_by_row_gives(
    monkeypatch: pytest.MonkeyPatch, key: str, change: Path, known: float,
) -> None:
    """Classifying each distinct pair of outcomes once and counting it gives the same report as every changed row on its own."""
    base, changed = g.load(key), g.load(key, overlays=[change])
    population = generate(3000, seed=3, known=known)
    grouped = g.diff(base, changed, population, chunk=700, workers=1)
    assert grouped.changed_cases > 20  # enough changed rows, in several chunks, to compare
    monkeypatch.setattr(_diff, "_changed_rows", _changed_rows_one_by_one)
    assert g.diff(base, changed, population, chunk=700, workers=1) == grouped
# -- the drafter's examples: a longer freeze, an exemption in draft wording -----------------------

FREEZE_24 = EXAMPLES / "benxi_transfer_freeze_24_months.yaml"
DRAFT = EXAMPLES / "benxi_pilot_exemption_draft.yaml"


@pytest.fixture(scope="module")
def freeze_24() -> g.DiffReport:
    """Benxi's transfer freeze 12 → 24 months over 3,000 generated cases, each with a transfer chosen."""
    cases = generate(3000, seed=1, fix={"decision.measures": ["transfer"]})
    return g.diff(g.load("benxi"), g.load("benxi", overlays=[FREEZE_24]), cases, examples=2, workers=1)


def _reader_text(page: str) -> str:
    """What a reader of the page sees before opening any collapsed section: tags, styles and <details> removed."""
    page = re.sub(r"<style>.*?</style>|<details>.*?</details>|<title>.*?</title>", "", page, flags=re.S)
    return re.sub(r"<[^>]+>", " ", page)


def test_a_longer_freeze_makes_every_affected_case_stricter(freeze_24: g.DiffReport) -> None:
    """Every case the 24-month freeze changes is stricter, counted as a decision change, with the 12 → 24 transition."""
    assert freeze_24.changed_cases > 0
    assert freeze_24.count("stricter") == freeze_24.changed_cases == freeze_24.decision_changed
    assert [(t.base, t.changed, t.cases) for t in freeze_24.transitions if t.dimension == "freeze"] == [
        ("transfer:promotion:12", "transfer:promotion:24", freeze_24.changed_cases)]
    (impact,) = freeze_24.rules
    assert impact.label.zh == "调离岗位的，两年内不得提拔", "the label of the amended rule"


def test_the_24_month_example_in_text(freeze_24: g.DiffReport) -> None:
    """The text names the direction with its count, the freeze as 不得提拔 12个月 → 24个月, and no hash or internal repr."""
    text = freeze_24.to_text("zh")
    n = freeze_24.changed_cases
    assert re.search(rf"更严（影响期延长或新增）\s+{n}\b", text)
    assert f"调离岗位（调整岗位）：不得提拔 12个月 → 24个月：{n} 件" in text
    assert "影响期 12个月 → 24个月" in text and "生成案例 第" in text
    assert "sha256" not in text and "freeze(" not in text and '"months"' not in text and "generated-" not in text
    assert "stricter" in freeze_24.to_text("en") and f"no promotion 12 months → 24 months: {n}" in freeze_24.to_text("en")


def test_the_24_month_example_in_html(freeze_24: g.DiffReport) -> None:
    """The page draws the directions and the transition as inline SVG, highlights the differing lines, and keeps
    fingerprints and English out of the Chinese reader's view."""
    page = freeze_24.to_html("zh")
    assert page.count("<svg") >= 2 and "<script" not in page
    assert f"更严（影响期延长或新增）: {freeze_24.changed_cases}" in page  # the bar's tooltip
    assert 'class="diff old"' in page and 'class="diff new"' in page
    assert "2年内不得提拔" in page and "1年内不得提拔" in page
    seen = _reader_text(page)
    assert freeze_24.changed.sha256 not in seen and freeze_24.changed.sha256 in page, "fingerprints only in <details>"


def test_rule_ids_are_the_only_latin_on_the_chinese_page(freeze_24: g.DiffReport) -> None:
    """On the Chinese page every run of Latin letters a reader sees is a rule id (in <code> or in a citation's brackets)."""
    seen = _reader_text(freeze_24.to_html("zh"))
    ids = {r.id for r in g.load("benxi")}
    stray = [w for w in re.findall(r"[A-Za-z][A-Za-z0-9_.]*", seen) if w.rstrip(".") not in ids and not w.startswith("art")]
    assert not stray, stray


def test_an_exemption_in_draft_wording_is_not_a_change_of_every_decision() -> None:
    """Adding an exemption: cases whose exemption only moves from 'not provided' to 'none' are statement_only, not decision changes."""
    report = g.diff(g.load("benxi"), g.load("benxi", overlays=[DRAFT]), generate(2000, seed=1), workers=1)
    assert report.changed_cases == 2000, "every case's exemption outcome is worded anew"
    assert report.count("statement_only") > 0 and report.count("newly_exempt") > 0
    assert report.decision_changed == report.changed_cases - report.count("statement_only") < report.changed_cases
    (added,) = [r for r in report.rules if r.rule_id == "exempt.reform_pilot"]
    assert added.citation.draft
    assert "【拟】第十四条" in report.to_text("zh") and "【拟】第十四条" in report.to_html("zh")
    assert "仅表述不同（决定未变）" in report.to_text("zh")


def test_empty_sections_are_left_out_of_the_page() -> None:
    """A diff that changes nothing says so, with no chart, no rule table and no example section."""
    report = g.diff(g.load("benxi"), g.load("benxi", overlays=[EMPTY]), generate(200, seed=1), workers=1)
    page = report.to_html("zh")
    assert "没有案件的结果发生变化" in page and "<svg" not in page and "引起变化的规则" not in page and "示例" not in page


def test_cli_fix_reports_the_24_month_example(tmp_path: Path) -> None:
    """guanzhi diff --fix decision.measures=transfer reports every changed case as stricter; a bad --fix exits 2 with a hint."""
    code, out, _ = run("diff", "benxi", f"benxi+{FREEZE_24}", "--generate", "2000", "--fix", "decision.measures=transfer",
                       "--format", "json")
    report = json.loads(out)
    assert code == 0 and report["changed_cases"] > 0
    assert {d["name"]: d["cases"] for d in report["directions"] if d["cases"]} == {"stricter": report["changed_cases"]}
    code, _, err = run("diff", "benxi", "benxi", "--generate", "5", "--fix", "decision.measure=transfer")
    assert code == 2 and "did you mean 'decision.measures'" in err
    code, _, err = run("diff", "benxi", "benxi", "--generate", "5", "--weight", "decision.measures=transfer:2")
    assert code == 2 and "probability" in err
    code, out, _ = run("diff", "benxi", f"benxi+{FREEZE_24}", "--generate", "2000", "--weight", "decision.measures=transfer:0.5",
                       "--format", "json")
    assert code == 0 and 0 < json.loads(out)["changed_cases"] < report["changed_cases"]
