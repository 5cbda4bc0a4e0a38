"""compare(): one case under several rule sets, concept by concept, as data, JSON and a text table."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Literal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

import guanzhi_rules as g
from guanzhi_rules._compare import CONCEPTS, short_citation
from tests.strategies import case_data
from tests.support import run

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "cases"
PILOT = EXAMPLES / "failed_reform_pilot.yaml"
AFTER_SCOPE = CONCEPTS[CONCEPTS.index("scope") + 1:]
"""The rows a document decides only for a subject it covers (in force and territory come before scope)."""

# The failed reform pilot: five documents, five different answers on tolerance of error.
PILOT_EXEMPTIONS = {
    "jiangsu": ("eligible", "art23", "第二十三条"),
    "yangjiang": ("eligible", "2.2.1.3", "二(二)1(3)"),
    "benxi": ("not_provided", None, None),
    "yueyang": ("granted", "art17.1", "第十七条(一)"),
    "zhejiang": ("granted", "sec3.5", "三5."),
}


@pytest.fixture(scope="module")
def pilot() -> g.Comparison:
    return g.compare(g.read_case(PILOT))


def table_cells(text: str, row_label: str) -> list[str]:
    """The cells of one row of a rendered table, each with its wrapped lines joined and whitespace removed."""
    blocks: list[list[str]] = [[]]
    for line in text.splitlines():
        if line.startswith(("├", "┌", "└")):
            blocks.append([])
        elif line.startswith("│"):
            blocks[-1].append(line)
    for block in blocks:
        pieces = [line.strip("│").split("│") for line in block]
        columns = ["".join(re.sub(r"\s+", "", p[i]) for p in pieces) for i in range(len(pieces[0]))] if pieces else []
        if columns and columns[0].startswith(re.sub(r"\s+", "", row_label)):
            return columns[1:]
    raise AssertionError(f"no row {row_label!r} in the table")


def test_failed_pilot_gives_five_exemption_outcomes(pilot: g.Comparison) -> None:
    """The failed reform pilot: Yueyang and Zhejiang grant, Yangjiang and Jiangsu make eligible, Benxi is silent."""
    assert pilot.columns == g.BUNDLED
    for key, (outcome, rule_id, cited) in PILOT_EXEMPTIONS.items():
        cell = pilot.cell("exemption", key)
        assert cell.value == outcome, key
        if rule_id is None:
            assert cell.entries == ()
        else:
            assert cell.entries[0].rule_id == rule_id
            assert short_citation(cell.entries[0].citation) == cited


def test_failed_pilot_table_shows_each_outcome_with_its_citation() -> None:
    """`guanzhi compare` on the failed pilot prints, column by column, each exemption outcome and its article."""
    code, out, err = run("compare", str(PILOT))
    assert code == 0, err
    cells = dict(zip(g.BUNDLED, table_cells(out, "容错免责"), strict=True))
    labels = {"granted": "应当免责", "eligible": "可以免责", "not_provided": "本办法未规定容错免责情形"}
    for key, (outcome, _, cited) in PILOT_EXEMPTIONS.items():
        assert labels[outcome] in cells[key], key
        if cited:
            assert cited in cells[key], key
    assert "第十七条(一)" not in cells["zhejiang"] and "三5." not in cells["yueyang"]


def test_english_table_names_the_outcomes() -> None:
    """In English the exemption row reads exempt / eligible for exemption / not provided, with the same citations."""
    code, out, _ = run("compare", str(PILOT), "--lang", "en")
    assert code == 0
    cells = dict(zip(g.BUNDLED, table_cells(out, "Exemption"), strict=True))
    assert cells["yueyang"].startswith("exempt(shall)")
    assert cells["yangjiang"].startswith("eligibleforexemption(may")
    assert "noexemption" in cells["benxi"]
    assert "第二十三条" in cells["jiangsu"]


def test_cells_carry_the_citations_of_the_determinations(pilot: g.Comparison) -> None:
    """Each cell's entries cite exactly what the determination's findings cite (article and item)."""
    for key in g.BUNDLED:
        d = pilot.determination(key)
        circumstances = pilot.cell("circumstances", key)
        expected = [(c.finding.rule_id, c.finding.citation) for c in d.circumstances]
        found = [e for e in circumstances.entries if "undetermined" not in e.tags]  # the rest wait for a finding
        assert [(e.rule_id, e.citation) for e in found] == expected
        assert pilot.cell("scope", key).entries[0].citation == d.scope.finding.citation  # type: ignore[union-attr]
        assert pilot.cell("sanctions", key).codes == d.sanctions.measures
    benxi = pilot.cell("circumstances", "benxi").entries[0]
    assert (benxi.rule_id, benxi.citation.article, benxi.citation.item) == ("art7.1", "第七条", "（一）")


def test_factor_and_sanction_cells(pilot: g.Comparison) -> None:
    """Factors keep 从轻 and 减轻或从轻 apart; a document naming no factors says so; an exempt case has no range."""
    assert pilot.cell("factors", "yueyang").codes == ("lighter",)
    assert pilot.cell("factors", "yangjiang").codes == ("reduced_or_lighter",)
    assert pilot.cell("factors", "benxi").value == "not_provided"
    assert pilot.cell("sanctions", "zhejiang").value == "no_accountability"
    jiangsu = pilot.cell("sanctions", "jiangsu")
    assert jiangsu.value == "range"
    assert [e.rule_id for e in jiangsu.entries] == ["art15.light"]


def test_rows_follow_the_concepts_and_columns_the_rule_sets(pilot: g.Comparison) -> None:
    """One row per concept in pipeline order, one cell per rule set in column order, one determination each."""
    assert tuple(r.concept for r in pilot.rows) == CONCEPTS
    for row in pilot.rows:
        assert [c.jurisdiction for c in row.cells] == list(g.BUNDLED)
    assert [d.jurisdiction.key for d in pilot.determinations] == list(g.BUNDLED)


def test_not_covered_leaves_later_rows_not_reached() -> None:
    """Where a document does not cover the subject, every row after scope says not reached."""
    comparison = g.compare(g.read_case(EXAMPLES / "village_cadre.yaml"), ["benxi", "yueyang"])
    assert comparison.cell("scope", "benxi").value == "not_covered"
    assert comparison.cell("scope", "yueyang").value == "covered_by_reference"
    for concept in AFTER_SCOPE:
        assert comparison.cell(concept, "benxi").value == "not_reached"
        assert comparison.cell(concept, "yueyang").value != "not_reached"


def test_rule_sets_by_key_object_path_or_single() -> None:
    """Rule sets may be given as keys, RuleSet objects, paths, or one alone; columns keep the order given."""
    case = g.read_case(PILOT)
    by_key = g.compare(case, ["zhejiang", "benxi"])
    assert by_key.columns == ("zhejiang", "benxi")
    by_object = g.compare(case, [g.load("zhejiang"), g.load("benxi")])
    assert by_object.to_json() == by_key.to_json()
    single = g.compare(case, "benxi")
    assert single.columns == ("benxi",)
    path = g.load("benxi").path
    twice = g.compare(case, [g.load("benxi"), path])
    assert twice.columns == ("benxi (benxi.yaml)", "benxi (benxi.yaml)")


def test_bad_rule_sets_are_refused() -> None:
    """No rule sets is a ValueError; an unknown key a RuleSetNotFoundError with a did-you-mean."""
    case = g.read_case(PILOT)
    with pytest.raises(ValueError, match="at least one"):
        g.compare(case, [])
    with pytest.raises(g.RuleSetNotFoundError, match="did you mean 'benxi'"):
        g.compare(case, ["benx"])


def test_comparison_is_immutable(pilot: g.Comparison) -> None:
    """A comparison cannot be changed after it is made."""
    with pytest.raises(ValueError, match="frozen"):
        pilot.case_id = "other"  # type: ignore[misc]


def test_json_is_deterministic_and_complete(pilot: g.Comparison) -> None:
    """to_json() is byte-identical across runs and carries rows and the full determinations."""
    again = g.compare(g.read_case(PILOT))
    assert again.to_json() == pilot.to_json()
    data = json.loads(pilot.to_json())
    assert [r["concept"] for r in data["rows"]] == list(CONCEPTS)
    assert data["determinations"][3]["exemption"]["outcome"] == "granted"


def test_text_does_not_depend_on_the_terminal(pilot: g.Comparison, monkeypatch: pytest.MonkeyPatch) -> None:
    """The table is rendered at its fixed width: no colour codes, and the same text whatever the terminal says."""
    text = pilot.to_text("en")
    monkeypatch.setenv("COLUMNS", "40")
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("TERM", "xterm-256color")
    assert pilot.to_text("en") == text
    assert "\x1b" not in text

    assert max(cell_len(line) for line in text.splitlines()) <= 160
    narrow = pilot.to_text("en", width=100)
    assert max(cell_len(line) for line in narrow.splitlines()) <= 100


@pytest.mark.parametrize(("lang", "words"), [
    ("zh", ["适用范围", "问责情形", "问责方式范围"]),
    ("en", ["Scope", "circumstances", "Sanction range"]),
])
def test_cli_text_in_both_languages(lang: str, words: list[str]) -> None:
    """`guanzhi compare --lang` renders the row labels in the language asked for."""
    code, out, _ = run("compare", str(PILOT), "-j", "benxi", "-j", "yueyang", "--lang", lang)
    assert code == 0
    for word in words:
        assert word in out
    assert "benxi" in out and "yueyang" in out and "jiangsu" not in out.split("\n", 3)[2]


def test_cli_json_in_the_order_given() -> None:
    """`guanzhi compare --format json -j …` gives the comparison of those rule sets, in that order."""
    code, out, _ = run("compare", str(PILOT), "-j", "zhejiang", "-j", "jiangsu", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["columns"] == ["zhejiang", "jiangsu"]
    assert data["rows"][CONCEPTS.index("exemption")]["cells"][0]["value"] == "granted"


@pytest.mark.parametrize("args", [
    ("compare", "missing.yaml"),
    ("compare", str(PILOT), "-j", "benx"),
    ("compare", str(PILOT), "--width", "5"),
])
def test_cli_bad_input_exits_2(args: tuple[str, ...]) -> None:
    """A missing case file, an unknown jurisdiction or a bad option exits 2 without a traceback."""
    code, _, err = run(*args)
    assert code == 2
    assert "Traceback" not in err


def test_undetermined_cells_name_the_rule_and_the_unknown_fact() -> None:
    """An organisation case leaving leadership unknown: Yangjiang's circumstance is undetermined, naming the fact."""
    comparison = g.compare(g.read_case(EXAMPLES / "organisation.yaml"), ["yangjiang"])
    cell = comparison.cell("circumstances", "yangjiang")
    assert cell.value == "undetermined"
    (entry,) = [e for e in cell.entries if e.rule_id == "3.2.3.laissez_faire"]
    assert entry.tags == ("undetermined",)
    assert "subject.is_leading_cadre" in entry.text.en
    assert comparison.cell("sanctions", "yangjiang").summary.en.endswith("if accountability follows")
    assert comparison.cell("consequences", "yangjiang").value == "undetermined"


@given(data=case_data(), keys=st.lists(st.sampled_from(g.BUNDLED), min_size=1, max_size=2, unique=True),
       lang=st.sampled_from(["zh", "en"]))
def test_cells_agree_with_their_determinations(data: dict[str, Any], keys: list[str], lang: Literal["zh", "en"]) -> None:
    """On any case: scope and exemption cells repeat the determination, later rows are not reached exactly when
    the subject is not covered, every entry cites a rule of the trace, and the table renders."""
    comparison = g.compare(data, keys)
    for key, d in zip(comparison.columns, comparison.determinations, strict=True):
        covered = d.scope.outcome != "not_covered"
        assert comparison.cell("scope", key).value == d.scope.outcome
        if covered:
            assert comparison.cell("exemption", key).value == d.exemption.outcome
        for concept in AFTER_SCOPE:
            cell = comparison.cell(concept, key)
            assert (cell.value == "not_reached") == (not covered)
            for entry in cell.entries:
                assert d.step(entry.rule_id).citation == entry.citation
        tp = d.time_and_place
        assert [e.citation for e in comparison.cell("in_force", key).entries] == list(tp.commencement.citations)
        assert [e.citation for e in comparison.cell("territory", key).entries] == [tp.territory.citation]
        assert comparison.cell("territory", key).value == tp.territory.status
    assert comparison.to_text(lang).count("\n") > len(CONCEPTS)
