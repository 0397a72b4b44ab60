"""``pipeline.tables._build`` converts a dataset's rows in one Arrow conversion, decimals
included, into one record batch (``_whole``: the dates added from their ISO text) where
Arrow can do it exactly: the tables are those of the column-by-column path (``_coerce``:
quantized, digits checked), schema, metadata and serialized bytes included, and a value
Arrow cannot take exactly (one to round, one with too many digits) still goes that path,
rounded or flagged as before."""
from __future__ import annotations

from decimal import Decimal

import pyarrow as pa
import pytest

import pipeline.tables as tables
from pipeline.process import process_file
from pipeline.schema import DATASETS

from .conftest import CORPUS, corpus_text


def _old_build(monkeypatch, name, rows):
    with monkeypatch.context() as m:
        m.setattr(tables, "_whole", lambda name, rows: None)  # column by column
        m.setattr(tables, "_direct", tables._plain)  # the plain columns at once, the others by _coerce
        problems = []
        return tables._build(name, rows, problems), problems


@pytest.mark.parametrize("rid", ["r001", "r003", "r021", "r031", "r053", "r060", "r063", "r067"])
def test_dev_records_give_the_tables_of_the_column_path(monkeypatch, rid):
    corpus_text(rid)
    records = process_file((CORPUS / f"{rid}.txt").read_bytes(), f"{rid}.txt")
    n_money = n_dates = 0
    for name in DATASETS:
        rows = records.get(name, [])
        problems = []
        got = tables._build(name, rows, problems)
        old, old_problems = _old_build(monkeypatch, name, rows)
        assert got.equals(old) and got.schema.equals(old.schema, check_metadata=True), name
        assert [b.serialize() for b in got.to_batches()] == [b.serialize() for b in old.to_batches()], name
        assert problems == old_problems == []
        if any(isinstance(v, Decimal) for r in rows for v in r.values()):
            assert tables._whole(name, rows) is not None  # the one-conversion path was taken
            n_money += 1
        n_dates += sum(1 for r in rows for _, f in tables._dates(name) if r.get(f.name))
    assert n_money > 0
    assert n_dates > 0 or rid not in ("r031", "r053")  # their dates (fiscal years, targets) go the batch path too


def test_r063_funds_amounts(monkeypatch):
    # r063 line 11 '年度资金总额: 2300.67 2300.67 100%' (项目资金(万元)): 23006700.00 元
    corpus_text("r063")
    records = process_file((CORPUS / "r063.txt").read_bytes(), "r063.txt")
    t = tables._build("funds", records["funds"], [])
    assert Decimal("23006700.00") in t.column("amount_yuan").to_pylist()


def test_a_value_to_round_or_too_long_takes_the_column_path(monkeypatch):
    # the same r063 funds rows, one amount given a third decimal place, one beyond decimal(18,2)
    corpus_text("r063")
    rows = [dict(r) for r in process_file((CORPUS / "r063.txt").read_bytes(), "r063.txt")["funds"]]
    rows[0]["amount_yuan"] = Decimal("23006700.005")    # quantized (half even), not refused
    rows[1]["amount_yuan"] = Decimal("1E+17")             # 20 digits at 2 places: refused, flagged
    problems = []
    got = tables._build("funds", rows, problems)
    old, old_problems = _old_build(monkeypatch, "funds", rows)
    assert got.equals(old)
    amounts = got.column("amount_yuan").to_pylist()
    assert amounts[0] == Decimal("23006700.00") and amounts[1] is None
    assert [(p[2], p[3]) for p in problems] == [(p[2], p[3]) for p in old_problems] == [("amount_yuan", Decimal("1E+17"))]
