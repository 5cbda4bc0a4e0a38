"""Tables of cases in, tables of outcomes out (CSV or Parquet, through pyarrow): how exported case files reach the batch evaluator.

A case table has one column per dotted fact name (``subject.kind``, ``conduct.acts``), plus ``id``,
``summary`` and the fields no rule reads (``place.division``, ``place.zone``, ``place.name``); a column
for anything else is refused as a whole, with a did-you-mean. A cell is
the fact's value: codes and ISO dates as text (or Parquet dates), numbers, ``true``/``false``; a set
as a list (Parquet) or as codes joined by ``;`` (``passing_the_buck;perfunctory``); an empty cell is
unknown (for a set: none).

Rows are validated column by column, straight into the batch evaluator's columns (``_columns``):
each distinct value of a column once, by the model's own check of that field, and the rules across
fields on the columns. A row that fails any of it is validated again alone by ``parse_case``, so a
bad row is reported exactly as a case file would be, with its row number (1 for the first row under
the header) and the fields in error. Bad rows stop the run unless the caller skips them
(``--skip-bad``). A valid row becomes a ``Case`` only when asked for (a diff's examples).

Valid rows go through the batch evaluator (``_batch``) chunk by chunk, on every core through
``map_chunks``, and come out as a table of outcomes: ``row`` and ``id``, then per rule set
``KEY.scope``, ``KEY.exemption``, ``KEY.accountable`` (empty: undetermined), ``KEY.measures`` (the
sanction range, lightest first), ``KEY.consequences`` (one canonical line per item) and
``KEY.applied`` (the rules that applied): the ``Outcome`` of each case, which a diff compares.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import json
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, overload

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
from pydantic import BaseModel, TypeAdapter, ValidationError

from guanzhi_rules._batch import ACCOUNTABLE, map_chunks, outcome_table
from guanzhi_rules._case import _DATE_ORDER, MAX_ITEMS, MAX_TEXT, Case, Place, _screen, field_adapter, parse_case
from guanzhi_rules._columns import INDEX, Array, Columns, code, empty, encode
from guanzhi_rules._facts import FACTS, flatten
from guanzhi_rules._pipeline import APPLIES, EXEMPTIONS, SCOPES
from guanzhi_rules._ruleset import RuleSet
from guanzhi_rules._suggestions import suggest
from guanzhi_rules._vocab import DISCIPLINE_OF_GRADE
from guanzhi_rules._yaml import json_default
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

    cases: TableCases
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
    """Validate every row of a case table, column by column, into the batch evaluator's columns.

    Each distinct value of a column is read as the row path reads its cell (``_cell``) and
    validated once by the model's own check of that field (``_case.field_adapter``); the model
    validators that read several fields (``CROSS_FIELD``) are checked on the columns. A row that
    fails any of it is validated again alone by ``parse_case``, which words its error (row number,
    field path, did-you-mean) exactly as for a case file, and which has the last word: a row it
    accepts is kept.

    Raises:
        TableError: a column that is not a fact, or bad rows when ``skip_bad`` is false.
    """
    unknown = [c for c in table.column_names if c not in FACTS and c not in PLAIN]
    if unknown:
        hints = "; ".join(f"{c!r}{suggest(c, [*FACTS, *PLAIN])}" for c in unknown[:10])
        raise TableError(f"{name}: columns that are not facts: {hints} (one column per dotted fact name, plus {', '.join(PLAIN)})")
    n = table.num_rows
    doubted = np.zeros(n, dtype=bool)
    data: dict[str, Array] = {}
    for path in FACTS:
        if path in table.column_names:
            data[path], failed = _fact_column(path, table.column(path).combine_chunks())
            doubted |= failed
        else:
            data[path] = empty(path, n)
    plain: dict[str, list[Any]] = {}
    for column in PLAIN:
        if column in table.column_names:
            plain[column], failed = _plain_column(column, table.column(column).combine_chunks())
            doubted |= failed
    doubted |= _cross_field(data, plain, n)
    ids = plain.get("id", [None] * n)
    bad: list[BadRow] = []
    refused = np.zeros(n, dtype=bool)
    suspects = np.flatnonzero(doubted)
    for i, row in zip(suspects.tolist(), _rows(table.take(pa.array(suspects, type=pa.int64()))), strict=True):
        try:
            case = parse_case(row)
        except CaseError as exc:
            bad.append(BadRow(i + 1, exc.problems))
            refused[i] = True
            continue
        for path, alone in encode([flatten(case)]).data.items():  # the columns doubted a row the model accepts
            data[path][..., i] = alone[..., 0]
        ids[i] = case.id
    if bad and not skip_bad:
        raise TableError(f"{name}: {len(bad)} bad row(s) (give --skip-bad to evaluate the others)", bad)
    kept = np.flatnonzero(~refused)
    columns = Columns(len(kept), {path: column[..., kept] for path, column in data.items()} if bad else data)
    return CaseTable(TableCases(table, kept, columns, [ids[i] for i in kept.tolist()]), (kept + 1).tolist(), bad)


class TableCases(Sequence[Case]):
    """The valid rows of a case table: as columns for the batch paths (``ColumnSource``), and each as a ``Case`` on demand."""

    def __init__(self, table: pa.Table, rows: Array, columns: Columns, ids: list[str | None]) -> None:
        self.table, self.rows, self.columns, self.ids = table, rows, columns, ids

    def __len__(self) -> int:
        return self.columns.n

    def columns_at(self, start: int, size: int) -> Columns:
        return self.columns.rows(start, start + size)

    @overload
    def __getitem__(self, i: int) -> Case: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[Case]: ...
    def __getitem__(self, i: int | slice) -> Case | Sequence[Case]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        (row,) = _rows(self.table.slice(int(self.rows[i]), 1))
        return parse_case(row)


CROSS_FIELD = ("Case._dates_in_order", "Decision._grades_of_listed_discipline", "Place._zone_in_division")
"""The model validators (rules across fields) that ``_cross_field`` checks on the columns; a test holds the model to this list."""


def _cross_field(data: Mapping[str, Array], plain: Mapping[str, list[Any]], n: int) -> Array:
    """Rows that break a rule across fields (``CROSS_FIELD``), found on the columns."""
    broken = np.zeros(n, dtype=bool)
    for earlier, later, _ in _DATE_ORDER:
        broken |= data[later] < data[earlier]  # NaN (unknown) compares false
    grades, kinds = data["decision.discipline_grades"], data["decision.discipline"]
    for grade, g in INDEX["decision.discipline_grades"].items():
        broken |= grades[g] & ~kinds[INDEX["decision.discipline"][DISCIPLINE_OF_GRADE[grade].value]]
    zones, divisions = plain.get("place.zone"), plain.get("place.division")
    if zones is not None and divisions is not None:
        pairs: dict[tuple[str, str], list[int]] = {}
        for i, (zone, division) in enumerate(zip(zones, divisions, strict=True)):
            if zone is not None and division is not None:
                pairs.setdefault((zone, division), []).append(i)
        for (zone, division), rows in pairs.items():
            try:
                Place.model_validate_json(json.dumps({"zone": zone, "division": division}))
            except ValidationError:
                broken[rows] = True
    return broken


def _distinct(array: pa.Array) -> tuple[Array, list[Any]] | None:
    """Each row's index into the column's distinct values (-1: empty cell) and those values, or None for a type that has none."""
    if pa.types.is_dictionary(array.type):
        array = array.dictionary_decode()
    if pa.types.is_null(array.type):
        return np.full(len(array), -1, dtype=np.int64), []
    try:
        encoded = array.dictionary_encode()
    except pa.ArrowException:
        return None
    return encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64), encoded.dictionary.to_pylist()


def _accepted(path: str, cells: Sequence[Any]) -> list[tuple[bool, Any]]:
    """Whether the model accepts each cell value for field ``path`` alone, and the value it takes.

    Each is screened, serialised and validated as ``parse_case`` does it; all in one call while none fails.
    """
    results: list[tuple[bool, Any]] = [(False, None)] * len(cells)
    level = path.count(".") + 2  # the level parse_case screens the field at
    keep = []
    for k, cell in enumerate(cells):
        if not (type(cell) is str and len(cell) <= MAX_TEXT):  # such text is what _screen passes at once
            problems: list[FieldProblem] = []
            _screen(cell, path, level, problems)
            if problems:
                continue
        keep.append(k)
    adapter = _adapter(path)
    while keep:
        try:
            text = json.dumps([cells[k] for k in keep], default=json_default, allow_nan=False, ensure_ascii=False)
        except (TypeError, ValueError):  # pragma: no cover - _screen refuses first what JSON cannot write
            break  # leave them all to the row path
        try:
            values = adapter.validate_json(text)
        except ValidationError as exc:
            refused = {keep[e["loc"][0]] for e in exc.errors(include_url=False) if e["loc"] and isinstance(e["loc"][0], int)}
            keep = [k for k in keep if k not in refused] if refused else []  # an error at no entry: leave all to the row path
            continue
        for k, value in zip(keep, values, strict=True):
            results[k] = (True, value)
        break
    return results


@functools.cache
def _adapter(path: str) -> TypeAdapter[list[Any]]:
    return field_adapter(path)


def _fact_column(path: str, array: pa.Array) -> tuple[Array, Array]:
    """A fact's column encoded for the batch evaluator (``_columns``), and the rows whose cell it does not accept."""
    n = len(array)
    column, doubted = empty(path, n), np.zeros(n, dtype=bool)
    kind = FACTS[path].kind
    if kind == "set" and (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
        return _set_column(path, pc.split_pattern(array, ";"), text=True)
    if kind == "set" and (pa.types.is_list(array.type) or pa.types.is_large_list(array.type)):
        return _set_column(path, array, text=False)
    found = None if kind == "set" else _distinct(array)
    if found is None:  # a type no cell of this fact can have: every cell with a value goes to the row path
        doubted[:] = array.is_valid().to_numpy(zero_copy_only=False)
        return column, doubted
    rows, values = found
    unknown = column[0] if n else 0
    read = _accepted(path, [_cell(kind, v) for v in values])
    codes = np.array([code(path, value) if good else unknown for good, value in read] + [unknown], dtype=column.dtype)
    ok = np.array([good for good, _ in read] + [True])
    doubted = ~ok[rows]
    column[:] = np.where(doubted, unknown, codes[rows])
    return column, doubted


def _set_column(path: str, lists: pa.Array, *, text: bool) -> tuple[Array, Array]:
    """A set fact's column from lists of codes: as written (a list cell) or split from text (stripped, empty parts dropped)."""
    n = len(lists)
    column, doubted = empty(path, n), np.zeros(n, dtype=bool)
    owners = pc.list_parent_indices(lists).to_numpy(zero_copy_only=False).astype(np.int64)
    found = _distinct(pc.list_flatten(lists))
    if found is None:
        doubted[np.unique(owners)] = True
        return column, doubted
    members, values = found
    cells = [v.strip() if text and isinstance(v, str) else v for v in values]
    dropped = np.array([text and c == "" for c in cells] + [False])
    read = _accepted(path, [[c] for c in cells])
    ok = np.array([good for good, _ in read] + [False])  # the last entry: a missing member (-1)
    codes = np.array([code(path, next(iter(value))) if good else 0 for good, value in read] + [0], dtype=np.int64)
    kept = ~dropped[members]
    doubted[owners[kept & ~ok[members]]] = True
    doubted |= np.bincount(owners[kept], minlength=n) > MAX_ITEMS
    valid = kept & ok[members]
    column[codes[members[valid]], owners[valid]] = True
    column[:, doubted] = False
    return column, doubted


def _plain_column(name: str, array: pa.Array) -> tuple[list[Any], Array]:
    """The values of a column that is not a fact (``id``, ``place.zone``) as the model takes them, and the rows it refuses."""
    n = len(array)
    found = _distinct(array)
    if found is None:
        return [None] * n, array.is_valid().to_numpy(zero_copy_only=False)
    rows, values = found
    read = _accepted(name, [str(v) for v in values])
    taken = [value.value if hasattr(value, "value") else value for _, value in read] + [None]
    ok = np.array([good for good, _ in read] + [True])
    return [taken[k] for k in rows.tolist()], ~ok[rows]


# -- evaluating -----------------------------------------------------------------------------------

Column = tuple[str, Any]
"""A column of one chunk as plain data, values as codes into a tuple of names: ``("codes", (codes, names))``, ``("bool", (values,
unknown))``, ``("lists", (offsets, codes, names))``. Workers return no arrow objects, since forked children should not use a
library whose threads the parent may have started."""


def _lists(matrix: np.ndarray[Any, Any], names: Sequence[str]) -> Column:
    """A list column from a boolean matrix (one row per name, one column per case), names in matrix order."""
    cases, members = np.nonzero(matrix.T)
    offsets = np.concatenate([[0], np.cumsum(np.bincount(cases, minlength=matrix.shape[1]))]).astype(np.int32)
    return "lists", (offsets, members, tuple(names))


def _nested(lists: Sequence[tuple[str, ...]]) -> Column:
    """A list column from each row's tuple of texts."""
    offsets = np.zeros(len(lists) + 1, dtype=np.int32)
    offsets[1:] = np.cumsum([len(texts) for texts in lists])
    names: dict[str, int] = {}
    codes = [names.setdefault(text, len(names)) for texts in lists for text in texts]
    return "lists", (offsets, np.array(codes, dtype=np.int64), tuple(names))


def _outcome_columns(ruleset: RuleSet, columns: Columns) -> dict[str, Column]:
    """The outcome of every row of ``columns`` under ``ruleset`` (see the module docstring)."""
    table = outcome_table(ruleset, columns)
    plan = table.plan
    order = list(plan.trace_order)
    return {
        "scope": ("codes", (table.scope, SCOPES)),
        "exemption": ("codes", (table.exemption, EXEMPTIONS)),
        "accountable": ("bool", (table.accountable == ACCOUNTABLE.index(True), table.accountable == ACCOUNTABLE.index(None))),
        "measures": _lists(table.measures, plan.measures),
        "consequences": _nested(table.all_consequences()),
        "applied": _lists(table.result[order] == APPLIES, [plan.ids[j] for j in order]),
    }


def _arrow(column: Column) -> pa.Array:
    kind, values = column
    if kind == "codes":
        codes, names = values
        return pc.take(pa.array(names, type=pa.string()), pa.array(codes))
    if kind == "bool":
        true, unknown = values
        return pa.array(true, type=pa.bool_(), mask=unknown)
    offsets, codes, names = values
    return pa.ListArray.from_arrays(pa.array(offsets, type=pa.int32()), pc.take(pa.array(names, type=pa.string()), pa.array(codes)))


def evaluate_table(cases: CaseTable, rulesets: Mapping[str, RuleSet], *, workers: int | None = None) -> pa.Table:
    """The outcome of every valid case under each rule set, as a table (columns prefixed by the rule set's name)."""
    names = list(rulesets)

    def work(columns: Columns, start: int) -> dict[str, Column]:
        del start
        return {f"{name}.{k}": v for name in names for k, v in _outcome_columns(rulesets[name], columns).items()}

    chunks = [pa.table({k: _arrow(v) for k, v in part.items()}) for part in map_chunks(work, cases.cases, workers=workers)]
    lead = pa.table({"row": pa.array(cases.rows, type=pa.int64()), "id": pa.array(cases.cases.ids, type=pa.string())})
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
