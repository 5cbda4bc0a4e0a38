"""Tables of cases through the batch evaluator (``guanzhi evaluate --table``, ``guanzhi diff --table``)."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

import guanzhi_rules as g
from guanzhi_rules import _tables as tables
from guanzhi_rules._case import canonical_case_json, parse_case
from guanzhi_rules._cli import main
from guanzhi_rules._columns import DOMAINS, encode
from guanzhi_rules._facts import FACTS, flatten
from guanzhi_rules._outcome import outcome_of
from guanzhi_rules._population import generate
from guanzhi_rules._tables import CROSS_FIELD, PLAIN, _rows, cases_of, evaluate_table, read_table, write_table
from guanzhi_rules.exceptions import CaseError, TableError
from tests.strategies import case_data

ROOT = Path(__file__).parents[1]
EXAMPLES = sorted((ROOT / "examples" / "cases").glob("*.yaml"))


def sample() -> list[g.Case]:
    """The example cases (several accountable, with consequences) and a generated population with most facts known."""
    return [g.read_case(p) for p in EXAMPLES] + list(generate(300, 5, 0.7))


def table_of(cases: list[g.Case], style: str) -> pa.Table:
    """Cases as a table: ``csv`` (every cell text, sets joined by ';') or ``parquet`` (typed cells, sets as lists, dates as dates)."""
    rows = [json.loads(c.model_dump_json(exclude_none=True)) for c in cases]
    columns: dict[str, Any] = {name: pa.array([_get(r, name) for r in rows], type=pa.string()) for name in PLAIN}
    for path, spec in FACTS.items():
        section, name = path.split(".")
        values = [r.get(section, {}).get(name) for r in rows]
        if style == "csv":
            text = [None if v is None or v == [] else ";".join(v) if isinstance(v, list) else str(v).lower() if isinstance(v, bool)
                    else str(v) for v in values]
            columns[path] = pa.array(text, type=pa.string())
        elif spec.kind == "set":
            columns[path] = pa.array([v or [] for v in values], type=pa.list_(pa.string()))
        elif spec.kind == "date":
            columns[path] = pa.array([None if v is None else dt.date.fromisoformat(v) for v in values], type=pa.date32())
        else:
            columns[path] = pa.array(values)
    return pa.table(columns)


def _get(row: dict[str, Any], name: str) -> Any:
    section, _, field = name.partition(".")
    return row.get(section, {}).get(field) if field else row.get(section)


def written(table: pa.Table, path: Path) -> Path:
    """The table written to ``path`` as CSV or Parquet, by its suffix."""
    if path.suffix == ".csv":
        pa_csv.write_csv(table, path)
    else:
        pq.write_table(table, path)
    return path


@pytest.mark.parametrize("style", ["csv", "parquet"])
def test_a_table_reads_back_as_the_same_cases(tmp_path: Path, style: str) -> None:
    """Every case written to a CSV or Parquet table reads back as the same case (canonical JSON equal)."""
    cases = sample()
    read = cases_of(read_table(written(table_of(cases, style), tmp_path / f"cases.{style}")))
    assert read.rows == list(range(1, len(cases) + 1)) and not read.bad
    assert [canonical_case_json(c) for c in read.cases] == [canonical_case_json(c) for c in cases]


def test_outcomes_are_the_traced_evaluators() -> None:
    """Each row of the outcome table is outcome_of(ruleset.evaluate(case)) under every bundled rule set."""
    cases = sample()
    out = evaluate_table(cases_of(table_of(cases, "parquet")), g.load_all(), workers=1).to_pylist()
    consequences = 0
    for row, case in zip(out, cases, strict=True):
        for key, ruleset in g.load_all().items():
            expected = outcome_of(ruleset.evaluate(case))
            got = tuple(row[f"{key}.{field}"] for field in expected._fields)
            assert got == (expected.scope, expected.exemption, expected.accountable, list(expected.measures),
                           list(expected.consequences), list(expected.applied))
            consequences += bool(expected.consequences)
    assert consequences  # the sample reaches consequences


def test_bad_rows_are_reported_by_row_and_field_and_skipped_only_when_asked() -> None:
    """A row the Case model refuses is named by its row number and field; --skip-bad evaluates the others."""
    table = pa.table({"subject.kind": ["person", "persn", None, "organisation"],
                      "conduct.acts": ["perfunctory", None, "passing_the_bucks;perfunctory", ""]})
    with pytest.raises(TableError) as error:
        cases_of(table)
    assert [(b.row, [p.path for p in b.problems]) for b in error.value.bad] == [(2, ["subject.kind"]), (3, ["conduct.acts.0"])]
    assert "row 2: subject.kind" in str(error.value)
    read = cases_of(table, skip_bad=True)
    assert read.rows == [1, 4] and [c.subject.kind for c in read.cases] == ["person", "organisation"]
    assert evaluate_table(read, {"benxi": g.load("benxi")}, workers=1).column("row").to_pylist() == [1, 4]


def test_a_column_that_is_not_a_fact_is_refused_with_a_did_you_mean() -> None:
    """Unknown columns stop the whole table, each with the nearest fact name."""
    with pytest.raises(TableError, match=re.escape("'subject.knd'; did you mean 'subject.kind'")):
        cases_of(pa.table({"subject.knd": ["person"]}))


def test_cells_read_as_their_facts_kinds() -> None:
    """Text cells become booleans, integers, numbers and sets by the fact's kind; what cannot be read is refused by name."""
    table = pa.table({"subject.is_leading_cadre": ["TRUE", "false", "yes"], "harm.loss_amount_cny": ["1000", "2.5", "lots"],
                      "conduct.acts": [" perfunctory ; slacking ", "", None]})
    read = cases_of(table, skip_bad=True)
    assert read.rows == [1, 2]
    assert read.cases[0].subject.is_leading_cadre is True and read.cases[0].harm.loss_amount_cny == 1000
    assert read.cases[0].conduct.acts == {"perfunctory", "slacking"} and read.cases[1].conduct.acts == frozenset()
    assert [p.path for p in read.bad[0].problems] == ["subject.is_leading_cadre", "harm.loss_amount_cny"]


def test_outcome_tables_write_as_parquet_and_csv(tmp_path: Path) -> None:
    """Outcomes write as Parquet (lists kept) or CSV (lists joined by ';')."""
    out = evaluate_table(cases_of(table_of(sample()[:20], "parquet")), {"yueyang": g.load("yueyang")}, workers=1)
    write_table(out, tmp_path / "o.parquet")
    assert pq.read_table(tmp_path / "o.parquet").equals(out)
    text = write_table(out, None)
    assert text is not None
    first = pa_csv.read_csv(pa.BufferReader(text)).to_pylist()[0]
    assert first["yueyang.applied"] == ";".join(out.column("yueyang.applied")[0].as_py())


def test_unreadable_tables_are_table_errors(tmp_path: Path) -> None:
    """A missing file or bytes that are not a table give a TableError naming the table."""
    with pytest.raises(TableError, match=re.escape("missing.parquet: cannot read")):
        read_table(tmp_path / "missing.parquet")
    with pytest.raises(TableError, match="piped: cannot read"):
        read_table(b"PAR1 not really", name="piped")


def cli(*args: str, stdin: bytes | None = None) -> tuple[int, bytes, str]:
    """The guanzhi CLI in process: (exit code, stdout bytes, stderr)."""
    result = CliRunner().invoke(main, list(args), input=stdin)
    return result.exit_code, result.stdout_bytes, result.stderr


def test_evaluate_table_on_the_command_line(tmp_path: Path) -> None:
    """guanzhi evaluate --table writes the outcome table (-o Parquet, or CSV on stdout; '-' reads stdin)."""
    source = written(table_of(sample()[:50], "parquet"), tmp_path / "cases.parquet")
    code, _, _ = cli("evaluate", "--table", str(source), "-j", "benxi", "-j", "yueyang", "-o", str(tmp_path / "out.parquet"))
    assert code == 0
    out = pq.read_table(tmp_path / "out.parquet")
    assert out.num_rows == 50 and "yueyang.measures" in out.column_names
    code, stdout, _ = cli("evaluate", "--table", "-", "-j", "benxi", stdin=source.read_bytes())
    assert code == 0 and stdout.decode().splitlines()[0].startswith('"row","id","benxi.scope"')


def test_bad_rows_on_the_command_line(tmp_path: Path) -> None:
    """Bad rows stop the command (exit 2, each row and field on stderr) unless --skip-bad, which lists what it skipped."""
    source = written(pa.table({"subject.kind": ["person", "persn"]}), tmp_path / "cases.csv")
    code, _, stderr = cli("evaluate", "--table", str(source), "-j", "benxi")
    assert code == 2 and "1 bad row(s)" in stderr and "row 2: subject.kind" in stderr
    code, stdout, stderr = cli("evaluate", "--table", str(source), "-j", "benxi", "--skip-bad")
    assert code == 0 and "skipped row 2: subject.kind" in stderr and len(stdout.decode().splitlines()) == 2


def test_diff_of_a_table_is_the_diff_of_its_cases(tmp_path: Path) -> None:
    """guanzhi diff --table reports what diff --cases reports for the same cases."""
    source = written(table_of([g.read_case(p) for p in EXAMPLES], "csv"), tmp_path / "cases.csv")
    changed = "yueyang+" + str(ROOT / "docs" / "examples" / "yueyang_transfer_freeze_18_months.yaml")
    from_table = cli("diff", "yueyang", changed, "--table", str(source), "--format", "json")
    from_files = cli("diff", "yueyang", changed, "--cases", str(ROOT / "examples" / "cases"), "--format", "json")
    assert from_table[0] == 0 and from_table[1] == from_files[1]
    assert json.loads(from_table[1])["changed_cases"] > 0


# -- the column path against the row path ---------------------------------------------------------

_BAD_TEXT = st.sampled_from([
    "persn", " person", "PERSON", "TRUE", "yes", "1", "0", "-1", "1.5", "1e3", "1_0", "nan", "inf", "-0", "12345678901234567890",
    "1e400", "2020-02-30", "1900-01-01", "2200-01-01", "2020-1-1", "20200101", "2020-01-01T00:00:00", ";", ";;perfunctory;",
    " perfunctory ; slacking ", "perfunctory;perfunctory", "perfunctory;nope", "x" * 300, "", " ", "\u00a0true", "party_warning",
    "public_office", "210500_high_tech_zone", "441700", "320000", "0320000", ";".join(["slacking"] * 300),
])
"""Cells that are wrong for most facts (or right for a few): codes misspelt or padded, numbers and dates out of range or form."""


def _text_cell(value: Any) -> str | None:
    """A case-data value as a CSV cell (sets joined by ';', booleans lower case)."""
    if value is None or value == []:
        return None
    if isinstance(value, list):
        return ";".join(value)
    return str(value).lower() if isinstance(value, bool) else str(value)


@st.composite
def _case_tables(draw: st.DrawFn) -> pa.Table:
    """A small table of valid cases (public strategies), as text or typed cells, with some cells made wrong."""
    rows = draw(st.lists(case_data(), min_size=1, max_size=6))
    typed = draw(st.booleans())
    names = sorted({f"{s}.{f}" for r in rows for s, section in r.items() if isinstance(section, dict) for f in section})
    names += draw(st.lists(st.sampled_from([*PLAIN, *FACTS]), max_size=4, unique=True))
    columns: dict[str, list[Any]] = {}
    for name in dict.fromkeys(names):
        values = [_get(r, name) for r in rows]
        columns[name] = values if typed else [_text_cell(v) for v in values]
    for _ in range(draw(st.integers(0, 4))):
        name, i = draw(st.sampled_from(sorted(columns))), draw(st.integers(0, len(rows) - 1))
        if typed and FACTS.get(name) is not None and FACTS[name].kind == "set":
            columns[name][i] = draw(st.lists(st.one_of(st.none(), _BAD_TEXT, st.sampled_from(DOMAINS[name] or ())), max_size=3))
        else:
            columns[name][i] = draw(st.one_of(_BAD_TEXT, st.text(max_size=8), *([st.integers(-5, 10**6), st.booleans(),
                                                                                    st.floats()] if typed else [])))
    arrays = {}
    for name, values in columns.items():
        try:
            arrays[name] = pa.array(values)
        except (pa.ArrowException, OverflowError):  # mixed kinds in one column: keep them as text
            arrays[name] = pa.array([None if v is None else str(v) for v in values], type=pa.string())
    return pa.table(arrays)


def _row_path(table: pa.Table) -> tuple[list[int], list[g.Case], list[tuple[int, list[tuple[str, str]]]]]:
    """Every row validated alone by parse_case: (valid row numbers, their cases, (row, problems) of the others)."""
    rows, cases, bad = [], [], []
    for i, row in enumerate(_rows(table), start=1):
        try:
            cases.append(parse_case(row))
        except CaseError as exc:
            bad.append((i, [(p.path, p.message) for p in exc.problems]))
        else:
            rows.append(i)
    return rows, cases, bad


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_case_tables())
def test_the_column_path_reads_a_table_as_the_row_path_does(table: pa.Table) -> None:
    """Random tables with bad cells give the same valid rows, columns, outcomes and errors through the columns as row by row."""
    rows, cases, bad = _row_path(table)
    read = cases_of(table, skip_bad=True)
    assert [(b.row, [(p.path, p.message) for p in b.problems]) for b in read.bad] == bad
    assert read.rows == rows
    assert [canonical_case_json(c) for c in read.cases] == [canonical_case_json(c) for c in cases]
    assert read.cases.ids == [c.id for c in cases]
    expected = encode([flatten(c) for c in cases])
    for path, column in read.cases.columns.data.items():
        assert np.array_equal(column, expected[path], equal_nan=column.dtype.kind == "f"), path
    benxi = g.load("benxi")
    out = evaluate_table(read, {"benxi": benxi}, workers=1).to_pylist()
    assert [tuple(r[f"benxi.{f}"] for f in ("scope", "exemption", "accountable")) for r in out] == [
        (o.scope, o.exemption, o.accountable) for o in map(outcome_of, map(benxi.evaluate, cases))]
    if bad:
        with pytest.raises(TableError) as error:
            cases_of(table)
        assert [b.row for b in error.value.bad] == [i for i, _ in bad]


def test_the_column_path_checks_every_rule_across_fields_the_model_has() -> None:
    """Each model validator of the case (a rule across fields) is one the column path checks, so none is skipped."""
    models = [g.Case, *(f.annotation for f in g.Case.model_fields.values() if isinstance(f.annotation, type))]
    found = {f"{m.__name__}.{name}" for m in models if issubclass(m, BaseModel) for name in m.__pydantic_decorators__.model_validators}
    assert found == set(CROSS_FIELD)


@pytest.mark.parametrize(("cells", "path"), [
    ({"dates.conduct": ["2020-05-01"], "decision.date": ["2020-04-01"]}, "decision.date"),
    ({"decision.discipline_grades": ["party_warning"]}, "decision"),
    ({"place.zone": ["210500_high_tech_zone"], "place.division": ["320000"]}, "place"),
])
def test_rows_that_break_a_rule_across_fields_are_refused_in_the_row_paths_words(cells: dict[str, list[str]], path: str) -> None:
    """A row whose cells are each fine but break a rule across fields is refused, with the message parse_case gives."""
    table = pa.table(cells)
    with pytest.raises(TableError) as error:
        cases_of(table)
    (bad,) = error.value.bad
    with pytest.raises(CaseError) as alone:
        parse_case(next(_rows(table)))
    assert bad.problems == alone.value.problems and bad.problems[0].path.startswith(path)


def test_a_row_the_columns_doubt_but_the_model_accepts_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    """parse_case has the last word: with every cell doubted, the valid rows still come out as the row path reads them."""
    cases = sample()[:40]
    table = table_of(cases, "csv")
    monkeypatch.setattr(tables, "_accepted", lambda path, cells: [(False, None)] * len(cells))
    read = cases_of(table)
    assert read.rows == list(range(1, 41)) and not read.bad
    assert read.cases.ids == [c.id for c in cases]
    assert [canonical_case_json(c) for c in read.cases[-3:]] == [canonical_case_json(c) for c in cases[-3:]]
    expected = encode([flatten(c) for c in cases])
    for path, column in read.cases.columns.data.items():
        assert np.array_equal(column, expected[path], equal_nan=column.dtype.kind == "f"), path


def test_cells_of_a_type_no_fact_takes_go_to_the_row_path() -> None:
    """A list for a boolean, numbers for codes, a value that is not plain data: refused by field, in the row path's words."""
    table = pa.table({
        "subject.is_leading_cadre": pa.array([[True], None, None, None, None], type=pa.list_(pa.bool_())),
        "conduct.acts": pa.array([None, [1], None, None, None], type=pa.list_(pa.int64())),
        "conduct.fields": pa.array([None, None, 5, None, None], type=pa.int64()),
        "harm.loss_amount_cny": pa.array([None, None, None, dt.time(1, 2), None], type=pa.time64("us")),
        "harm.effects": pa.array([None, None, None, None, [["x"]]], type=pa.list_(pa.list_(pa.string()))),
        "id": pa.array([None, None, None, None, ["a"]], type=pa.list_(pa.string())),
        "subject.kind": pa.array(["person", "organisation", "persn", None, None]).dictionary_encode(),
    })
    read = cases_of(table, skip_bad=True)
    assert [(b.row, [p.path for p in b.problems]) for b in read.bad] == _row_path_problems(table)
    assert [b.row for b in read.bad] == [1, 2, 3, 4, 5]


def _row_path_problems(table: pa.Table) -> list[tuple[int, list[str]]]:
    return [(row, [path for path, _ in problems]) for row, problems in _row_path(table)[2]]
