"""Write records as Parquet datasets with their data dictionary.

Deterministic: the same records give byte-identical files (no timestamps; row order is
the order of the sorted input files and, within a document, reading order).
"""
from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .schema import DATASETS, PRIMARY_KEYS, arrow_schema, description

PART_NAME = "part-0.parquet"


def _coerce(value, typ: pa.DataType):
    if value is None:
        return None
    if pa.types.is_decimal(typ):
        if not isinstance(value, Decimal):
            value = Decimal(str(value))
        return value.quantize(Decimal(1).scaleb(-typ.scale))
    if pa.types.is_date32(typ) and isinstance(value, str):
        return dt.date.fromisoformat(value)
    return value


def to_table(name: str, rows: list[dict]) -> pa.Table:
    schema = arrow_schema(name)
    cols = {}
    for field in schema:
        cols[field.name] = pa.array([_coerce(r.get(field.name), field.type) for r in rows],
                                    type=field.type)
    return pa.table(cols, schema=schema)


def write_datasets(records: dict[str, list[dict]], out_dir: Path) -> None:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in DATASETS:
        d = out_dir / name
        d.mkdir(parents=True, exist_ok=True)
        for old in d.rglob("*.parquet"):
            old.unlink()
        table = to_table(name, records.get(name, []))
        pq.write_table(table, d / PART_NAME, compression="zstd", row_group_size=100_000,
                       write_statistics=True)
    (out_dir / "datapackage.json").write_text(
        json.dumps(datapackage(), ensure_ascii=False, indent=2) + "\n", "utf-8")


def _frictionless_type(t: pa.DataType) -> dict:
    if pa.types.is_string(t):
        return {"type": "string"}
    if pa.types.is_integer(t):
        return {"type": "integer"}
    if pa.types.is_floating(t):
        return {"type": "number"}
    if pa.types.is_decimal(t):
        return {"type": "number", "bareNumber": True,
                "constraints": {}, "decimal": {"precision": t.precision, "scale": t.scale}}
    if pa.types.is_date32(t):
        return {"type": "date"}
    if pa.types.is_list(t):
        return {"type": "array"}
    return {"type": "any"}


def datapackage() -> dict:
    resources = []
    for name, cols in DATASETS.items():
        fields = []
        for col, typ, _ in cols:
            f = {"name": col, "description": description(name, col)}
            f.update(_frictionless_type(typ))
            f.pop("constraints", None)
            fields.append(f)
        resources.append({
            "name": name,
            "path": f"{name}/{PART_NAME}",
            "format": "parquet",
            "mediatype": "application/vnd.apache.parquet",
            "schema": {"fields": fields, "primaryKey": PRIMARY_KEYS[name]},
        })
    return {
        "name": "budget-performance",
        "title": "Chinese budget-performance documents as data",
        "description": "Forms (绩效自评表, 绩效目标表, 基础数据表) and self-evaluation reports "
                       "extracted with character-level provenance. See CONTRACT.md.",
        "profile": "data-package",
        "resources": resources,
    }
