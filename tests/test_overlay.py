"""Overlays: each operation amends the base as written, and each misuse is a RuleSetError naming the overlay and entry."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import guanzhi_rules as g
from guanzhi_rules._check import check
from guanzhi_rules._cli import main
from guanzhi_rules._explain import explain
from guanzhi_rules._loader import load_path, resolve, rules_dir
from guanzhi_rules._outcome import outcome_of

from .support import LEADING_CADRE, merge

EXAMPLES = Path(__file__).parents[1] / "docs" / "examples"
BAR = EXAMPLES / "benxi_private_gain_bar.yaml"
FREEZE = EXAMPLES / "yueyang_transfer_freeze_18_months.yaml"
EMPTY = EXAMPLES / "empty.yaml"

HEADER = "overlay: {base: benxi, title: {zh: 测试修改, en: a test overlay}}\n"

MINOR: dict[str, Any] = merge(LEADING_CADRE, {"conduct": {"acts": ["falsifying"], "gravity": "minor"},
                                              "context": {"directed_by_superiors": True}})
"""A covered Benxi case under art. 6(2), minor: art. 8's light range."""

SERIOUS: dict[str, Any] = merge(MINOR, {"conduct": {"gravity": "serious"}})
"""The same conduct, serious: art. 9's organisational handling, with art. 13's freezes."""

EXEMPTION = """
  - id: exempt.force_majeure
    stage: exemption
    modality: shall
    label: {zh: 不可抗力下确实无法履行责任, en: duty impossible to perform under force majeure}
    when:
      all: [context.force_majeure, context.unable_to_perform]
    then: [{exempt: true}]
    citation: {document: yueyang, article: 第十七条, item: (二), quote: "在突发意外事件或不可抗力情况下,确实无法履行责任和义务的。"}
"""


def write(tmp_path: Path, body: str, name: str = "overlay.yaml", header: str = HEADER) -> Path:
    path = tmp_path / name
    path.write_text(header + body, encoding="utf-8")
    return path


def error(tmp_path: Path, body: str, key: str = "benxi") -> g.RuleSetError:
    path = write(tmp_path, body)
    with pytest.raises(g.RuleSetError) as info:
        g.load(key, overlays=[path])
    assert info.value.location is not None
    assert info.value.location.path == str(path.resolve()), "the error names the overlay file"
    return info.value


# -- add ------------------------------------------------------------------------------------------

def test_add_appends_a_rule_that_takes_effect() -> None:
    """An added bar is part of the amended rule set and stands in a case that meets it."""
    amended = g.load("benxi", overlays=[BAR])
    assert amended.rules[-1].id == "bar.private_gain"
    assert len(amended) == len(g.load("benxi")) + 1
    case = merge(MINOR, {"context": {"private_gain": True}, "legal": {"unlawful": True}})
    assert amended.evaluate(case).step("bar.private_gain").result == "applies"
    assert "bar.private_gain" not in [s.rule_id for s in g.load("benxi").evaluate(case).trace]


def test_add_with_an_existing_id_is_refused(tmp_path: Path) -> None:
    """Adding a rule whose id the base already has points at the entry's id and says to use replace."""
    exc = error(tmp_path, "add:\n" + EXEMPTION.replace("exempt.force_majeure", "art8"))
    assert exc.rule_id == "art8"
    assert exc.location is not None and exc.location.line == 4
    assert "already has a rule 'art8'; to change it, use replace" in str(exc)


def test_added_rule_with_an_unknown_fact_is_located_in_the_overlay(tmp_path: Path) -> None:
    """A misspelt fact in an added rule is reported at its line in the overlay, with a did-you-mean."""
    exc = error(tmp_path, "add:\n" + EXEMPTION.replace("context.unable_to_perform", "context.unable_to_perfrom"))
    assert exc.rule_id == "exempt.force_majeure"
    assert exc.location is not None and exc.location.line == 9
    assert "did you mean 'context.unable_to_perform'" in str(exc)


def test_citation_of_an_unknown_document_is_refused(tmp_path: Path) -> None:
    """citation.document must name a bundled rule set."""
    exc = error(tmp_path, "add:\n" + EXEMPTION.replace("document: yueyang", "document: yuyang"))
    assert "no bundled rule set to cite; did you mean 'yueyang'?" in str(exc)


# -- replace --------------------------------------------------------------------------------------

def test_replace_swaps_a_rule_in_place(tmp_path: Path) -> None:
    """A replaced rule keeps its place and takes its new content."""
    text = (rules_dir() / "benxi.yaml").read_text(encoding="utf-8")
    start = text.index("  - id: art8\n")
    art8 = text[start:text.index("  - id: art9\n")].replace("[criticism_education, self_examination, circulated_criticism, admonition]",
                                                           "[criticism_education]")
    amended = g.load("benxi", overlays=[write(tmp_path, "replace:\n" + art8)])
    base = g.load("benxi")
    assert [r.id for r in amended] == [r.id for r in base]
    assert amended.evaluate(MINOR).sanctions.measures == ("criticism_education",)


def test_replace_of_an_unknown_rule_is_refused(tmp_path: Path) -> None:
    """Replacing a rule the base does not have suggests the nearest id and points to add."""
    exc = error(tmp_path, "replace:\n" + EXEMPTION.replace("exempt.force_majeure", "art13.transfr"))
    assert "no rule 'art13.transfr' in benxi; did you mean 'art13.transfer'?; to add a new rule, use add" in str(exc)


# -- remove ---------------------------------------------------------------------------------------

def test_remove_drops_a_rule(tmp_path: Path) -> None:
    """A removed rule is gone from the rule set and from every trace."""
    amended = g.load("benxi", overlays=[write(tmp_path, "remove: [art13.demotion]\n")])
    assert "art13.demotion" not in [r.id for r in amended]
    with pytest.raises(KeyError):
        amended.rule("art13.demotion")


def test_remove_of_a_rule_another_defeats_is_refused(tmp_path: Path) -> None:
    """Art. 9 defeats art. 8, so art. 8 cannot be removed alone; the error points at the remove entry."""
    exc = error(tmp_path, "remove: [art13.demotion, art8]\n")
    assert exc.rule_id == "art8"
    assert exc.location is not None and (exc.location.line, exc.location.column) == (2, 26)
    assert "cannot remove 'art8': rule 'art9' defeats it; remove or replace 'art9' as well" in str(exc)


def test_remove_of_a_rule_another_asks_about_is_refused(tmp_path: Path) -> None:
    """A rule named by another's `applies` condition cannot be removed alone."""
    exc = error(tmp_path, "remove: [art9]\n")
    assert "cannot remove 'art9'" in str(exc)


def test_remove_of_an_unknown_rule_is_refused(tmp_path: Path) -> None:
    """Removing an id the base does not have gives a did-you-mean."""
    exc = error(tmp_path, "remove: [art13.demotoin]\n")
    assert "no rule 'art13.demotoin' in benxi; did you mean 'art13.demotion'?" in str(exc)


def test_remove_then_replace_of_the_same_rule_is_refused(tmp_path: Path) -> None:
    """A rule is either removed or replaced, not both."""
    exc = error(tmp_path, "remove: [exempt.force_majeure]\nreplace:\n" + EXEMPTION)
    assert "no rule 'exempt.force_majeure'" in str(exc) or "removed by this overlay" in str(exc)


# -- set ------------------------------------------------------------------------------------------

def test_set_changes_one_parameter() -> None:
    """Setting a freeze length changes exactly that number, and the freeze a transfer carries."""
    amended = g.load("yueyang", overlays=[FREEZE])
    (related, promotion) = amended.rule("art18.3").rule.then
    assert related == g.load("yueyang").rule("art18.3").rule.then[0]
    assert promotion.freeze is not None and promotion.freeze.months == 18
    others = [r.rule for r in amended if r.id != "art18.3"]
    assert others == [r.rule for r in g.load("yueyang") if r.id != "art18.3"]


def test_set_of_a_named_condition(tmp_path: Path) -> None:
    """A `define` can be set too: every rule that uses it follows."""
    body = "set:\n  - {define: serious_influence, value: {fact: harm.influence, at_least: adverse}}\n"
    amended = g.load("benxi", overlays=[write(tmp_path, body)])
    case = merge(MINOR, {"harm": {"influence": "adverse", "public_reaction": "strong"}})  # 群众反映强烈、造成恶劣影响
    assert "art9" in amended.evaluate(case).applied()
    assert "art9" not in g.load("benxi").evaluate(case).applied()


@pytest.mark.parametrize(("entry", "expected"), [
    ("{rule: art13.transfer, path: then.3.freeze.months, value: 18}", "index 3 is out of range at then (a list of 1)"),
    ("{rule: art13.transfer, path: then.0.freez.months, value: 18}", "no key 'freez' at then.0; did you mean 'freeze'?"),
    ("{rule: art13.transfer, path: then.0.freeze.months, value: eighteen}", "then.0.freeze.months: Input should be a valid integer"),
    ("{rule: art13.transfer, path: id, value: art13.moved}", "a rule's 'id' cannot be set"),
    ("{rule: art13.transfr, path: then.0.freeze.months, value: 18}", "did you mean 'art13.transfer'?"),
    ("{rule: art8, path: when.all.1.is, value: trivial}", "'trivial' is not a value of conduct.gravity"),
])
def test_set_errors_name_the_entry(tmp_path: Path, entry: str, expected: str) -> None:
    """A bad path, an invalid value, a fixed key or an unknown rule: the error points at the set entry."""
    exc = error(tmp_path, f"set:\n  - {entry}\n")
    assert exc.location is not None and exc.location.line == 3
    assert expected in str(exc)


def test_set_of_a_definition_to_a_bad_condition_is_reported_at_its_entry(tmp_path: Path) -> None:
    """A named condition set to a condition that does not compile is reported at that set entry, naming the definition."""
    body = ("set:\n  - {rule: art13.transfer, path: then.0.freeze.months, value: 18}\n"
            "  - {define: in_charge, value: {fact: conduct.within_responsibilty}}\n")
    exc = error(tmp_path, body)
    assert exc.location is not None and (exc.location.line, exc.location.column) == (4, 5)
    assert exc.definition == "in_charge" and exc.rule_id is None
    assert exc.message == ("set #2: definition 'in_charge': unknown fact 'conduct.within_responsibilty'; "
                           "did you mean 'conduct.within_responsibility'?")


def test_set_of_a_definition_that_breaks_a_rule_using_it_names_the_rule(tmp_path: Path) -> None:
    """A definition that compiles but breaks a base rule using it is that rule's error, at the rule's place in the base."""
    exc = error(tmp_path, "set:\n  - {define: in_charge, value: {applies: [art8]}}\n")
    assert exc.rule_id == "art6.1" and exc.definition is None
    assert exc.location is not None and exc.location.line is None, "the overlay is named; the base rule's position is in the message"
    assert exc.message.startswith(f"after applying this overlay, rule art6.1 ({(rules_dir() / 'benxi.yaml').resolve()}:")
    assert exc.message.endswith("'applies' can only name rules of earlier stages; 'art8' is a sanction_band rule")


# -- the overlay as a whole -----------------------------------------------------------------------

def test_overlay_for_another_base_is_refused(tmp_path: Path) -> None:
    """An overlay names its base; applying it to another rule set is an error at `base`."""
    exc = error(tmp_path, "", key="yueyang")
    assert "this overlay amends 'benxi', but it is applied to 'yueyang'" in str(exc)


@pytest.mark.parametrize(("body", "expected"), [
    ("remove: art8\n", "remove: Input should be a valid array"),
    ("add: []\nreplce: []\n", "unknown key 'replce'; did you mean 'replace'?"),
    ("set:\n  - {rule: art8, define: in_charge, value: 1}\n", "exactly one of 'rule' or 'define'"),
])
def test_schema_errors(tmp_path: Path, body: str, expected: str) -> None:
    """The overlay format is validated with located, actionable messages."""
    assert expected in str(error(tmp_path, body))


def test_overlay_limits_apply(tmp_path: Path) -> None:
    """Overlays are held to the same document limits as rule files."""
    path = write(tmp_path, "remove: [art13.demotion]\n")
    with pytest.raises(g.RuleSetError, match="larger than the limit"):
        g.load("benxi", overlays=[path], limits=g.Limits(max_bytes=40))


def test_overlay_given_as_a_rule_file_says_so(tmp_path: Path) -> None:
    """Loading an overlay as if it were a rule file explains how to apply it."""
    with pytest.raises(g.RuleSetError, match="this is an overlay, not a rule file"):
        g.load(EMPTY)


def test_missing_overlay_file_is_not_found(tmp_path: Path) -> None:
    """A path that does not exist raises RuleSetNotFoundError naming it."""
    with pytest.raises(g.RuleSetNotFoundError, match="cannot read overlay"):
        g.load("benxi", overlays=[tmp_path / "nope.yaml"])


def test_overlays_apply_in_order(tmp_path: Path) -> None:
    """A second overlay sees the first's changes; the same files in another order are another rule set."""
    first = write(tmp_path, "add:\n" + EXEMPTION, name="first.yaml")
    second = write(tmp_path, "set:\n  - {rule: exempt.force_majeure, path: modality, value: may}\n", name="second.yaml")
    amended = g.load("benxi", overlays=[first, second])
    assert amended.rule("exempt.force_majeure").rule.modality == "may"
    assert len(amended.overlays) == 2
    with pytest.raises(g.RuleSetError, match=r"no rule 'exempt\.force_majeure'"):
        g.load("benxi", overlays=[second, first])


def test_load_path_takes_overlays() -> None:
    """load_path amends a rule file by path just as load does by key."""
    assert load_path(rules_dir() / "benxi.yaml", overlays=[BAR]).sha256 == g.load("benxi", overlays=[BAR]).sha256


# -- fingerprints ---------------------------------------------------------------------------------

def test_fingerprint_chains_base_and_overlay_content() -> None:
    """The amended fingerprint is SHA-256(base fingerprint, newline, canonical overlay), and differs from the base's."""
    base, amended = g.load("benxi"), g.load("benxi", overlays=[BAR])
    (overlay,) = amended.overlays
    assert amended.sha256 == hashlib.sha256(f"{base.sha256}\n{overlay.canonical()}".encode()).hexdigest()
    assert amended.sha256 != base.sha256
    assert amended.evaluate(MINOR).fingerprints.ruleset_sha256 == amended.sha256


def test_fingerprint_is_deterministic_and_follows_content(tmp_path: Path) -> None:
    """A copy of the overlay elsewhere gives the same fingerprint; a changed note gives another."""
    copy = tmp_path / "copy.yaml"
    shutil.copy(BAR, copy)
    assert g.load("benxi", overlays=[copy]).sha256 == g.load("benxi", overlays=[BAR]).sha256
    copy.write_text(BAR.read_text(encoding="utf-8").replace("as encoded there", "as encoded in yangjiang.yaml"), encoding="utf-8")
    assert g.load("benxi", overlays=[copy]).sha256 != g.load("benxi", overlays=[BAR]).sha256


def test_empty_overlay_decides_identically_under_its_own_fingerprint() -> None:
    """An empty overlay leaves every rule as it was; only the rule-set fingerprint differs."""
    base, amended = g.load("benxi"), g.load("benxi", overlays=[EMPTY])
    assert amended.overlays[0].empty
    assert [r.rule for r in amended] == [r.rule for r in base]
    assert amended.sha256 != base.sha256
    for case in (MINOR, SERIOUS):
        assert outcome_of(amended.evaluate(case)) == outcome_of(base.evaluate(case))
        a, b = base.evaluate(case), amended.evaluate(case)
        assert a.model_copy(update={"fingerprints": b.fingerprints}) == b


def test_amended_rule_set_is_immutable() -> None:
    """An amended rule set is as frozen as a loaded one, conditions of added rules included."""
    amended = g.load("benxi", overlays=[BAR])
    with pytest.raises(AttributeError, match="immutable"):
        amended.overlays = ()  # type: ignore[misc]
    with pytest.raises(TypeError):
        amended.rule("bar.private_gain").rule.when["all"] = []
    with pytest.raises(TypeError):
        amended.overlays[0].add[0].when["all"] = []


# -- resolving names and checking -----------------------------------------------------------------

def test_resolve_accepts_every_spelling() -> None:
    """KEY, KEY+OVERLAY and a bare overlay path name the same amended rule set."""
    by_plus = resolve(f"benxi+{BAR}")
    assert by_plus.sha256 == resolve(str(BAR)).sha256 == g.load("benxi", overlays=[BAR]).sha256
    assert resolve("benxi").sha256 == g.load("benxi").sha256
    assert resolve(f"benxi+{EMPTY}+{BAR}").overlays[1].overlay.base == "benxi"


def test_check_validates_an_overlay_as_the_amended_rule_set() -> None:
    """The example overlays check out: citations of Yangjiang's text are found there; the inert bar is reported."""
    assert check(FREEZE).ok and check(EMPTY).ok
    report = check(BAR)
    assert [(f.kind, f.rule_id) for f in report.findings] == [("dead_rule", "bar.private_gain")]
    assert "nothing to defeat" in report.findings[0].message
    assert report.coverage == check("benxi").coverage, "coverage stays the base's"


def test_check_catches_a_quote_that_is_not_verbatim(tmp_path: Path) -> None:
    """A quote altered by one character is not found in the document the citation names."""
    path = tmp_path / "bar.yaml"
    path.write_text(BAR.read_text(encoding="utf-8").replace("谋取私利行为的", "谋取利益行为的"), encoding="utf-8")
    (finding,) = [f for f in check(path).findings if f.kind == "citation"]
    assert finding.rule_id == "bar.private_gain"
    assert "does not occur in yangjiang.txt" in finding.message


def test_check_reports_a_broken_overlay_as_a_schema_finding(tmp_path: Path) -> None:
    """An overlay that does not load is one schema finding naming the file."""
    path = write(tmp_path, "remove: [art8]\n")
    (finding,) = check(path).findings
    assert finding.kind == "schema" and str(path.resolve()) in finding.message


def test_cli_check_takes_overlays() -> None:
    """`guanzhi check OVERLAY` checks the amended rule set; exit 1 on a finding, 0 when clean."""
    runner = CliRunner()
    clean = runner.invoke(main, ["check", str(FREEZE), f"benxi+{EMPTY}"])
    assert clean.exit_code == 0, clean.output
    assert "岳阳调离岗位的，十八个月内不得提拔 — ok" in clean.stdout
    flagged = runner.invoke(main, ["check", str(BAR)])
    assert flagged.exit_code == 1
    assert "dead_rule [bar.private_gain]" in flagged.stdout


def test_drop_silence_removes_the_statement_and_the_not_provided_outcome(tmp_path: Path) -> None:
    """An overlay's ``drop_silence`` removes the base's silence on a topic, so its not_provided exemption outcome becomes none."""
    overlay = tmp_path / "o.yaml"
    overlay.write_text("overlay: {base: benxi, title: {zh: 试, en: try}}\ndrop_silence: [exemption]\n", encoding="utf-8")
    base, amended = g.load("benxi"), g.load("benxi", overlays=[overlay])
    assert base.silence("exemption") is not None and amended.silence("exemption") is None
    assert amended.silence("mitigating") is not None
    case = g.read_case(EXAMPLES.parents[1] / "examples" / "cases" / "failed_reform_pilot.yaml")
    assert (base.evaluate(case).exemption.outcome, amended.evaluate(case).exemption.outcome) == ("not_provided", "none")


def test_drop_silence_of_a_topic_the_base_does_not_state_is_refused(tmp_path: Path) -> None:
    """Dropping a silence the base rule set does not state is refused with an error at the overlay's line."""
    overlay = tmp_path / "o.yaml"
    overlay.write_text("overlay: {base: yueyang, title: {zh: 试, en: try}}\ndrop_silence: [exemption]\n", encoding="utf-8")
    with pytest.raises(g.RuleSetError, match="states no silence on 'exemption'") as info:
        g.load("yueyang", overlays=[overlay])
    assert info.value.location is not None and info.value.location.line == 2


def test_the_adopted_tolerance_item_exempts_where_benxi_could_not() -> None:
    """Worked example (d): Yangjiang's 二(二)1(9) in Benxi makes an exploratory trial eligible, unless private gain bars it."""
    amended = g.load("benxi", overlays=[EXAMPLES / "benxi_tolerance_with_bar.yaml"])
    trial = merge(MINOR, {"context": {"no_explicit_restriction": True, "exploratory_trial": True,
                                      "designed_and_followed_rules": True, "private_gain": False}})
    assert amended.evaluate(trial).exemption.outcome == "eligible"
    gain = merge(trial, {"context": {"private_gain": True}, "legal": {"unlawful": True}})
    assert amended.evaluate(gain).exemption.outcome == "barred"
    assert g.load("benxi").evaluate(gain).exemption.outcome == "not_provided"


@pytest.mark.parametrize("command", [
    ["evaluate", "{case}", "-j", "benxi+{overlay}", "--format", "json"],
    ["compare", "{case}", "-j", "benxi", "-j", "benxi+{overlay}", "--format", "json"],
    ["explain", "{case}", "-j", "benxi+{overlay}", "exemption.exploratory_trial", "--format", "json"],
])
def test_every_jurisdiction_option_takes_key_plus_overlay(command: list[str]) -> None:
    """Every command's jurisdiction option accepts ``key+overlay`` and uses the amended rule set."""
    case = str(EXAMPLES.parents[1] / "examples" / "cases" / "failed_reform_pilot.yaml")
    overlay = str(EXAMPLES / "benxi_tolerance_with_bar.yaml")
    result = CliRunner().invoke(main, [part.format(case=case, overlay=overlay) for part in command])
    assert result.exit_code == 0, result.output
    assert g.load("benxi", overlays=[overlay]).sha256 in result.stdout


# -- draft wording --------------------------------------------------------------------------------

DRAFT = EXAMPLES / "benxi_pilot_exemption_draft.yaml"
PILOT: dict[str, Any] = merge(MINOR, {"context": {"reform_or_pilot": True, "policy_unclear": True}})

DRAFT_RULE = """add:
  - id: exempt.pilot
    stage: exemption
    modality: shall
    label: {{zh: 试点免责, en: pilot exemption}}
    when: context.reform_or_pilot
    then: [{{exempt: true}}]
    citation: {citation}
"""


def test_draft_wording_is_kept_as_a_marked_quote_and_shown_as_proposed() -> None:
    """{draft: TEXT} loads as the quote marked draft, and the determination shows the citation with 【拟】."""
    ruleset = g.load("benxi", overlays=[DRAFT])
    citation = ruleset.rule("exempt.reform_pilot").rule.citation
    assert citation.draft and citation.quote.startswith("在经批准的改革试点中")
    determination = ruleset.evaluate(g.parse_case(PILOT))
    assert determination.exemption.outcome == "granted"
    assert "【拟】第十四条：“在经批准的改革试点中" in determination.to_text("zh")
    assert "【拟】第十四条" in determination.to_text("en")
    assert '"draft":true' in determination.to_json(indent=None)


def test_explain_shows_draft_wording_as_proposed() -> None:
    """``explain`` of a rule citing draft wording marks the citation 【拟】."""
    text = explain(g.load("benxi", overlays=[DRAFT]), g.parse_case(PILOT), "exempt.reform_pilot").to_text("zh")
    assert "【拟】第十四条" in text


def test_official_citations_serialise_as_before() -> None:
    """A citation of the official text carries no draft key, so fingerprints of existing rule sets do not move."""
    rule = g.load("benxi").rule("art13.transfer").rule
    assert "draft" not in rule.citation.model_dump()


@pytest.mark.parametrize(("name", "citation", "accepted"), [
    ("draft", "{article: 第十四条, draft: 拟新增的免责文字。}", True),
    ("verbatim", "{article: 第十三条, quote: 受到调离岗位处理的，一年内不得提拔}", True),
    ("foreign", '{document: yueyang, article: 第十七条, item: (二), quote: "在突发意外事件或不可抗力情况下,确实无法履行责任和义务的。"}',
     True),
    ("not verbatim", "{article: 第十三条, quote: 受到调离岗位处理的，两年内不得提拔}", False),
    ("wrong article", "{article: 第十二条, quote: 受到调离岗位处理的，一年内不得提拔}", False),
    ("quote and draft", "{article: 第十四条, quote: 受到调离岗位处理的, draft: 拟新增}", False),
    ("empty draft", "{article: 第十四条, draft: ''}", False),
])
def test_check_and_diff_accept_the_same_overlays(tmp_path: Path, name: str, citation: str, accepted: bool) -> None:
    """Each overlay is either accepted by both ``check`` (no schema or citation finding) and ``diff`` (loading), or refused by both."""
    path = write(tmp_path, DRAFT_RULE.format(citation=citation))
    findings = [f for f in check(path).findings if f.kind in ("schema", "citation")]
    try:
        resolve(f"benxi+{path}")
        loads = True
    except g.RuleSetError:
        loads = False
    assert (not findings) == loads == accepted, (name, findings)
    code = CliRunner().invoke(main, ["diff", "benxi", f"benxi+{path}", "--generate", "50"]).exit_code
    assert code == (0 if accepted else 2)


def test_a_set_citation_quote_is_checked_when_the_overlay_is_applied(tmp_path: Path) -> None:
    """A quote changed by set: to words not in the text is refused at that set entry, with the draft spelling suggested."""
    path = write(tmp_path, "set:\n  - {rule: art13.transfer, path: citation.quote, value: 受到调离岗位处理的，两年内不得提拔}\n")
    with pytest.raises(g.RuleSetError) as caught:
        resolve(f"benxi+{path}")
    assert caught.value.rule_id == "art13.transfer" and "draft" in str(caught.value) and caught.value.location.line == 3


def test_draft_wording_is_refused_in_a_rule_file(tmp_path: Path) -> None:
    """A rule file citing draft wording is refused at the rule's citation: only a proposal may."""
    text = (rules_dir() / "benxi.yaml").read_text(encoding="utf-8")
    old = "citation: {article: 第十三条, quote: 受到调离岗位处理的，一年内不得提拔}"
    assert old in text
    shutil.copytree(rules_dir() / "sources", tmp_path / "sources")
    path = tmp_path / "benxi.yaml"
    path.write_text(text.replace(old, "citation: {article: 第十三条, draft: 受到调离岗位处理的，两年内不得提拔}"), encoding="utf-8")
    with pytest.raises(g.RuleSetError) as caught:
        load_path(path)
    assert caught.value.rule_id == "art13.transfer" and "only in an overlay" in str(caught.value)
