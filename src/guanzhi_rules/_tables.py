"""Tables of cases in, tables of outcomes out (CSV or Parquet, through pyarrow): how exported case files reach the batch evaluator.

A case table has one column per dotted fact name (``subject.kind``, ``conduct.acts``), plus ``id``,
``summary`` and the fields no rule reads (``place.division``, ``place.zone``, ``place.name``); a column
for anything else is refused as a whole, with a did-you-mean. A cell is
the fact's value: codes and ISO dates as text (or Parquet dates), numbers, ``true``/``false``; a set
as a list (Parquet) or as codes joined by ``;`` (``passing_the_buck;perfunctory``); an empty cell is
unknown (for a set: none).

Rows are validated by the ``Case`` model, a chunk at a time in one call; a row it refuses is
validated again alone by ``parse_case``, so a bad row is reported exactly as a case file would be,
with its row number (1 for the first row under the header) and the fields in error. Bad rows stop
the run unless the caller skips them (``--skip-bad``).

Valid rows go through the batch evaluator (``_batch``) chunk by chunk, on every core through
``map_chunks``, and come out as a table of outcomes: ``row`` and ``id``, then per rule set
``KEY.scope``, ``KEY.exemption``, ``KEY.accountable`` (empty: undetermined), ``KEY.measures`` (the
sanction range, lightest first), ``KEY.consequences`` (one canonical line per item) and
``KEY.applied`` (the rules that applied): the ``Outcome`` of each case, which a diff compares.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
from pydantic import BaseModel, TypeAdapter, ValidationError

from guanzhi_rules._batch import ACCOUNTABLE, map_chunks, outcome_table
from guanzhi_rules._case import Case, parse_case
from guanzhi_rules._columns import Columns
from guanzhi_rules._facts import FACTS
from guanzhi_rules._pipeline import APPLIES, EXEMPTIONS, SCOPES
from guanzhi_rules._population import CHUNK
from guanzhi_rules._ruleset import RuleSet
from guanzhi_rules._suggestions import suggest
from guanzhi_rules.exceptions import CaseError, FieldProblem, TableError


def _plain_columns() -> tuple[str, ...]:
    """The case's fields that no rule reads, as columns: ``id``, ``summary``, and each field of a section of them (``place.division``)."""
    sections = {path.split(".")[0] for path in FACTS}
    names: list[str] = []
    for name, field in Case.model_fields.items():
        model = field.annotation
        if name in sections:
            continue
        if isinstance(model, type) and issubclass(model, BaseModel):
            names += [f"{name}.{inner}" for inner in model.model_fields]
        else:
            names.append(name)
    return tuple(names)


PLAIN = _plain_columns()
"""Columns that are not facts, taken as text: ``id``, ``summary``, ``place.division``, ..."""

_CASES = TypeAdapter(list[Case])


@dataclass(frozen=True)
class BadRow:
    """A row the ``Case`` model refuses: its number (1 = first row under the header) and the problems, by field."""

    row: int
    problems: tuple[FieldProblem, ...]

    def __str__(self) -> str:
        return f"row {self.row}: " + "; ".join(f"{p.path}: {p.message}" for p in self.problems)


@dataclass(frozen=True)
class CaseTable:
    """The valid cases of a table, with each one's row number, and the rows refused."""

    cases: list[Case]
    rows: list[int]
    bad: list[BadRow]


# -- reading --------------------------------------------------------------------------------------

def read_table(source: Path | bytes, *, name: str | None = None) -> pa.Table:
    """A case table from a ``.csv`` or ``.parquet`` file, or from bytes (Parquet when they start with its magic number).

    CSV is read with every column as text, so codes such as ``1`` and dates stay as written until
    each fact's kind reads them.

    Raises:
        TableError: the file cannot be read or is not CSV/Parquet.
    """
    label = name or str(source if isinstance(source, Path) else "table")
    try:
        if isinstance(source, Path):
            parquet = source.suffix.lower() in (".parquet", ".pq")
            data: Any = str(source)
        else:
            parquet = source[:4] == b"PAR1"
            data = pa.BufferReader(source)
        if parquet:
            return pq.read_table(data)
        raw = source.read_bytes() if isinstance(source, Path) else source
        header = next(csv.reader([raw.split(b"\n", 1)[0].decode("utf-8-sig")]), [])
        options = pa_csv.ConvertOptions(column_types=dict.fromkeys(header, pa.string()), strings_can_be_null=True)
        return pa_csv.read_csv(io.BytesIO(raw), convert_options=options)
    except (OSError, UnicodeDecodeError, pa.ArrowException) as exc:
        raise TableError(f"{label}: cannot read the table: {exc}") from exc


def _cell(kind: str, value: Any) -> Any:
    """A cell as the JSON value its fact takes; what cannot be read is passed on for the model to refuse by name."""
    if isinstance(value, str):
        text = value.strip()
        if kind == "set":
            return [part.strip() for part in text.split(";") if part.strip()]
        if kind == "bool" and text.lower() in ("true", "false"):
            return text.lower() == "true"
        if kind in ("int", "number"):
            try:
                number = float(text)
            except ValueError:
                return text
            return int(number) if kind == "int" and number.is_integer() else number
        return text
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if kind == "int" and isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # refused by the model, by name
    return value


def _rows(table: pa.Table) -> Iterator[dict[str, Any]]:
    """Each row as case data: sections of known facts."""
    columns = []
    for name in table.column_names:
        kind = "plain" if name in PLAIN else FACTS[name].kind
        section, _, field = name.partition(".")
        columns.append((section, field, kind, table.column(name).to_pylist()))
    for i in range(table.num_rows):
        row: dict[str, Any] = {}
        for section, field, kind, values in columns:
            value = values[i]
            if value is None or (kind == "set" and value == ""):
                continue
            if kind == "plain" and not field:
                row[section] = str(value)
            elif kind == "plain":
                row.setdefault(section, {})[field] = str(value)
            else:
                row.setdefault(section, {})[field] = _cell(kind, value)
        yield row


def cases_of(table: pa.Table, *, skip_bad: bool = False, name: str = "table") -> CaseTable:
    """Validate every row of a case table.

    Raises:
        TableError: a column that is not a fact, or bad rows when ``skip_bad`` is false.
    """
    unknown = [c for c in table.column_names if c not in FACTS and c not in PLAIN]
    if unknown:
        hints = "; ".join(f"{c!r}{suggest(c, [*FACTS, *PLAIN])}" for c in unknown[:10])
        raise TableError(f"{name}: columns that are not facts: {hints} (one column per dotted fact name, plus {', '.join(PLAIN)})")
    cases: list[Case] = []
    rows: list[int] = []
    bad: list[BadRow] = []
    chunk: list[dict[str, Any]] = []
    for i, row in enumerate(_rows(table), start=1):
        chunk.append(row)
        if len(chunk) == CHUNK or i == table.num_rows:
            _validate(chunk, i - len(chunk) + 1, cases, rows, bad)
            chunk = []
    if bad and not skip_bad:
        raise TableError(f"{name}: {len(bad)} bad row(s) (give --skip-bad to evaluate the others)", bad)
    return CaseTable(cases, rows, bad)


def _validate(chunk: list[dict[str, Any]], first: int, cases: list[Case], rows: list[int], bad: list[BadRow]) -> None:
    """Validate a chunk in one call; where the model refuses it, each row alone, by ``parse_case``."""
    try:
        valid = _CASES.validate_json(json.dumps(chunk, allow_nan=False, ensure_ascii=False))
    except (ValidationError, ValueError):
        for offset, row in enumerate(chunk):
            try:
                cases.append(parse_case(row))
            except CaseError as exc:
                bad.append(BadRow(first + offset, exc.problems))
            else:
                rows.append(first + offset)
        return
    cases.extend(valid)
    rows.extend(range(first, first + len(chunk)))


# -- evaluating -----------------------------------------------------------------------------------

Column = tuple[str, Any]
"""A column of one chunk as plain data (``("text", values)``, ``("bool", values)``, ``("lists", (offsets, values))``): workers
return no arrow objects, since forked children should not use a library whose threads the parent may have started."""


def _lists(matrix: np.ndarray[Any, Any], names: Sequence[str]) -> Column:
    """A list column from a boolean matrix (one row per name, one column per case), names in matrix order."""
    cases, members = np.nonzero(matrix.T)
    offsets = np.concatenate([[0], np.cumsum(np.bincount(cases, minlength=matrix.shape[1]))]).astype(np.int32)
    return "lists", (offsets, np.asarray(names, dtype=object)[members] if len(members) else np.array([], dtype=object))


def _outcome_columns(ruleset: RuleSet, columns: Columns) -> dict[str, Column]:
    """The outcome of every row of ``columns`` under ``ruleset`` (see the module docstring)."""
    table = outcome_table(ruleset, columns)
    plan = table.plan
    consequences: list[list[str]] = [[] for _ in range(table.n)]
    for i in np.flatnonzero(table.lines.any(axis=0)).tolist():
        consequences[i] = list(table.outcome(i).consequences)
    order = list(plan.trace_order)
    return {
        "scope": ("text", np.asarray(SCOPES, dtype=object)[table.scope]),
        "exemption": ("text", np.asarray(EXEMPTIONS, dtype=object)[table.exemption]),
        "accountable": ("bool", [ACCOUNTABLE[c] for c in table.accountable.tolist()]),
        "measures": _lists(table.measures, plan.measures),
        "consequences": ("nested", consequences),
        "applied": _lists(table.result[order] == APPLIES, [plan.ids[j] for j in order]),
    }


def _arrow(column: Column) -> pa.Array:
    kind, values = column
    if kind == "text":
        return pa.array(values, type=pa.string())
    if kind == "bool":
        return pa.array(values, type=pa.bool_())
    if kind == "nested":
        return pa.array(values, type=pa.list_(pa.string()))
    offsets, members = values
    return pa.ListArray.from_arrays(pa.array(offsets, type=pa.int32()), pa.array(members, type=pa.string()))


def evaluate_table(cases: CaseTable, rulesets: Mapping[str, RuleSet], *, workers: int | None = None) -> pa.Table:
    """The outcome of every valid case under each rule set, as a table (columns prefixed by the rule set's name)."""
    names = list(rulesets)

    def work(columns: Columns, start: int) -> dict[str, Column]:
        del start
        return {f"{name}.{k}": v for name in names for k, v in _outcome_columns(rulesets[name], columns).items()}

    chunks = [pa.table({k: _arrow(v) for k, v in part.items()}) for part in map_chunks(work, cases.cases, workers=workers)]
    lead = pa.table({"row": pa.array(cases.rows, type=pa.int64()), "id": pa.array([c.id for c in cases.cases], type=pa.string())})
    if not chunks:
        return lead
    outcomes = pa.concat_tables(chunks)
    for column in outcomes.column_names:
        lead = lead.append_column(column, outcomes.column(column))
    return lead


# -- writing --------------------------------------------------------------------------------------

def write_table(table: pa.Table, target: Path | None) -> bytes | None:
    """Write ``table`` to ``target`` (Parquet for ``.parquet``, else CSV with lists joined by ``;``), or return it as CSV bytes.

    Raises:
        TableError: the file cannot be written.
    """
    if target is not None and target.suffix.lower() in (".parquet", ".pq"):
        try:
            pq.write_table(table, str(target))
        except (OSError, pa.ArrowException) as exc:
            raise TableError(f"{target}: cannot write the table: {exc}") from exc
        return None
    flat = pa.table({name: _joined(column) if pa.types.is_list(column.type) else column
                     for name, column in zip(table.column_names, table.columns, strict=True)})
    buffer = io.BytesIO()
    pa_csv.write_csv(flat, buffer)
    if target is None:
        return buffer.getvalue()
    try:
        target.write_bytes(buffer.getvalue())
    except OSError as exc:
        raise TableError(f"{target}: cannot write the table: {exc.strerror}") from exc
    return None


def _joined(column: pa.ChunkedArray) -> pa.Array:
    return pa.array([";".join(v) for v in column.to_pylist()], type=pa.string())
