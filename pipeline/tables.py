"""One document's records checked against the published schema, as Arrow tables.

This runs per document, before anything is merged (issue 11: one bad value never costs a
batch).  A value that does not fit its column (a money figure beyond ``decimal(18,2)``
such as ``9999999999999999999.99万元``, a weight of 1e30, a row number beyond int32) is
stored as null; its text stays in the ``*_raw`` column, and the document (``status``
``partial``, ``error``) and, where the row belongs to one, the section (``status``,
``status_message``) name the row, the column and the value.  Column types are not widened
for such values: ``decimal(18,2)`` holds every real budget (up to 10^16 元).
"""
from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal, InvalidOperation

import pyarrow as pa

from .schema import DATASETS, PRIMARY_KEYS
from .schema import arrow_schema as _arrow_schema

arrow_schema = functools.cache(_arrow_schema)

_QUANT: dict[int, Decimal] = {}


def _coerce(value, typ: pa.DataType):
    if value is None:
        return None
    if pa.types.is_decimal(typ):
        if not isinstance(value, Decimal):
            value = Decimal(str(value))
        q = _QUANT.get(typ.scale)
        if q is None:
            q = _QUANT[typ.scale] = Decimal(1).scaleb(-typ.scale)
        value = value.quantize(q)
        if len(value.as_tuple().digits) > typ.precision or not value.is_finite():
            raise ValueError("too many digits")
        return value
    if pa.types.is_date32(typ) and isinstance(value, str):
        return dt.date.fromisoformat(value)
    return value


@functools.cache
def _needs_coerce(typ: pa.DataType) -> bool:
    """Only decimals (quantized, checked) and dates (ISO text) are changed by ``_coerce``."""
    return pa.types.is_decimal(typ) or pa.types.is_date32(typ)


def _column(values: list, typ: pa.DataType) -> tuple[pa.Array, list[int]]:
    """The column as an Arrow array and the positions of values that did not fit."""
    try:
        if not _needs_coerce(typ):  # every other value is converted by Arrow as it is
            return pa.array(values, type=typ), []
        return pa.array([_coerce(v, typ) for v in values], type=typ), []
    except (ValueError, TypeError, InvalidOperation, ArithmeticError, OverflowError,
            pa.ArrowInvalid, pa.ArrowTypeError):
        pass
    good, bad = [], []
    for i, v in enumerate(values):
        try:
            c = _coerce(v, typ)
            pa.array([c], type=typ)
            good.append(c)
        except (ValueError, TypeError, InvalidOperation, ArithmeticError, OverflowError,
                pa.ArrowInvalid, pa.ArrowTypeError):
            good.append(None)
            bad.append(i)
    return pa.array(good, type=typ), bad


def _raw_column(name: str, col: str) -> str | None:
    """The column holding the text a value was read from, for the message."""
    for cand in (col.rsplit("_", 1)[0] + "_raw", "value_raw", "amount_raw"):
        if cand != col and any(n == cand for n, _, _ in DATASETS[name]):
            return cand
    return None


def to_tables(records: dict[str, list[dict]]) -> dict[str, pa.Table]:
    """Every dataset of one document as a table of its published schema.

    Raises only for records that cannot be tabulated at all (a missing column type, a
    record that is not a dict); the caller turns that into a ``failed`` document."""
    tables: dict[str, pa.Table] = {}
    problems: list[tuple[str, dict, str, object]] = []  # (dataset, row, column, value)
    for name in DATASETS:
        tables[name] = _build(name, records.get(name, []), problems)
    if problems:
        tables = _flag(records, tables, problems)
    return tables


@functools.cache
def _plain(name: str) -> pa.StructType:
    """The columns of a dataset that Arrow converts as they are, as one struct type."""
    return pa.struct([f for f in arrow_schema(name) if not _needs_coerce(f.type)])


@functools.cache
def _direct(name: str) -> pa.StructType:
    """The columns of a dataset but its dates (ISO text), decimals included, as one struct
    type.  Arrow converts a ``Decimal`` (or an int) to ``decimal(p, s)`` only where that is
    exact and fits the precision, which is then what ``_coerce`` gives; anything else (a
    value to round, too many digits, NaN, a float or a text) raises, and the columns are
    made as before: the plain ones in one conversion, the others by ``_coerce``."""
    return pa.struct([f for f in arrow_schema(name) if not pa.types.is_date32(f.type)])


_ERRORS = (ValueError, TypeError, InvalidOperation, ArithmeticError, OverflowError,
           pa.ArrowInvalid, pa.ArrowTypeError)


@functools.cache
def _dates(name: str) -> tuple[tuple[int, pa.Field], ...]:
    """The date columns of a dataset: (position in its schema, field)."""
    return tuple((i, f) for i, f in enumerate(arrow_schema(name)) if pa.types.is_date32(f.type))


def _whole(name: str, rows: list[dict]) -> pa.Table | None:
    """The table in one conversion where every value fits as it is (the ``_direct``
    struct as a record batch, the dates read from their ISO text), else None: then
    ``_build`` goes column by column, to null and name what does not fit."""
    try:
        batch = pa.RecordBatch.from_struct_array(pa.array(rows, type=_direct(name)))
        for i, field in _dates(name):
            batch = batch.add_column(i, field, pa.array([_coerce(r.get(field.name), field.type) for r in rows],
                                                        type=field.type))
    except _ERRORS:
        return None
    return pa.Table.from_batches([batch]).replace_schema_metadata(arrow_schema(name).metadata)


def _build(name: str, rows: list[dict], problems: list) -> pa.Table:
    if not rows:
        return _empty(name)
    if (whole := _whole(name, rows)) is not None:
        return whole
    schema = arrow_schema(name)
    done: dict[str, pa.Array] = {}
    for struct in (_direct(name), _plain(name)):
        try:  # the columns in one conversion (the rows' dicts read by Arrow, in C++)
            done = dict(zip(struct.names, pa.array(rows, type=struct).flatten()))
            break
        except _ERRORS:
            done = {}  # a value that does not fit: column by column, to name it
    arrays = []
    for field in schema:
        arr = done.get(field.name)
        if arr is None:
            values = [r.get(field.name) for r in rows]
            arr, bad = _column(values, field.type)
            for i in bad:
                problems.append((name, rows[i], field.name, values[i]))
        arrays.append(arr)
    return pa.Table.from_arrays(arrays, schema=schema)


def _flag(records, tables, problems) -> dict[str, pa.Table]:
    docs = records["documents"]
    by_section: dict[str, list[str]] = {}
    notes = []
    for name, row, col, value in problems:
        rid = row.get(PRIMARY_KEYS[name], "?")
        raw = _raw_column(name, col)
        kept = f" (text kept in {raw})" if raw and row.get(raw) is not None else ""
        typ = dict((n, t) for n, t, _ in DATASETS[name])[col]
        note = f"{name} {rid}: {col} {str(value)[:60]} does not fit {typ}; stored null{kept}"
        notes.append(note)
        if row.get("section_id") and name != "sections":
            by_section.setdefault(row["section_id"], []).append(note)
    doc = dict(docs[0]) if docs else {}
    if doc and doc.get("status") == "ok":
        doc["status"] = "partial"
    if doc:
        msg = "; ".join(notes)
        doc["error"] = (doc["error"] + "; " + msg if doc.get("error") else msg)[:4000]
        tables["documents"] = _build("documents", [doc] + docs[1:], [])
    if by_section:
        secs = []
        for s in records["sections"]:
            s = dict(s)
            if s["section_id"] in by_section:
                if s.get("status") == "ok":
                    s["status"] = "partial"
                msg = "; ".join(by_section[s["section_id"]])
                s["status_message"] = (s["status_message"] + "; " + msg if s.get("status_message") else msg)[:4000]
            secs.append(s)
        tables["sections"] = _only(secs, "sections", tables["sections"])
    return tables


def _only(rows: list[dict], name: str, old: pa.Table) -> pa.Table:
    """``rows`` as a table, keeping the (already nulled) values of ``old`` for the
    columns other than status/status_message."""
    status = pa.array([r.get("status") for r in rows], pa.string())
    message = pa.array([r.get("status_message") for r in rows], pa.string())
    t = old.set_column(old.schema.get_field_index("status"), old.schema.field("status"), status)
    return t.set_column(t.schema.get_field_index("status_message"), t.schema.field("status_message"), message)


@functools.cache
def _empty(name: str) -> pa.Table:
    return arrow_schema(name).empty_table()


def empty_tables() -> dict[str, pa.Table]:
    return {name: _empty(name) for name in DATASETS}
