"""A worker's packet (IPC messages + the merger's digest) gives back exactly the tables it
was made from, and the digest the parent would compute itself."""
from __future__ import annotations

import pickle
from decimal import Decimal

from pipeline.packets import Packet, digest, pack
from pipeline.process import document_tables
from pipeline.schema import DATASETS

from .conftest import SEED004, corpus_text


def _round_trip(tables) -> Packet:
    return pickle.loads(pickle.dumps(pack(tables), protocol=pickle.HIGHEST_PROTOCOL))


def test_a_corpus_form_comes_back_value_for_value():
    text = corpus_text("r060")
    # 数量指标 | 享受医疗救助人次 | ≥50000人次 | 110406 | |||
    assert "享受医疗救助人次 | ≥50000人次 | 110406" in text
    tables = document_tables(text.encode("utf-8"), "r060.txt")
    p = _round_trip(tables)
    back = p.tables()
    assert list(back) == list(DATASETS)
    for name in DATASETS:
        assert back[name].schema == tables[name].schema, name
        assert back[name].equals(tables[name]), name
    ind = {r["name"]: r for r in back["indicators"].to_pylist()}
    assert ind["享受医疗救助人次"]["target_op"] == ">="
    assert ind["享受医疗救助人次"]["target_value"] == Decimal("50000")
    assert ind["享受医疗救助人次"]["actual_value"] == Decimal("110406")
    # `医疗救助合规率 | 100` has no completed value: none is made up on the way
    assert ind["医疗救助合规率"]["actual_raw"] is None and ind["医疗救助合规率"]["actual_value"] is None
    assert p.digest == digest(tables)
    assert p.digest.doc["status"] == tables["documents"].column("status")[0].as_py()
    assert len(next(iter(p.digest.keys.values()))) == 1  # one form section with values


def test_the_seed_digest_counts_what_the_tables_hold():
    tables = document_tables(SEED004.read_bytes(), SEED004.name)
    p = _round_trip(tables)
    assert p.digest.forms == tuple(tables["sections"].column("form_type").to_pylist())
    assert len(p.digest.findings) == tables["checks"].num_rows
    for name in DATASETS:
        assert p.tables()[name].equals(tables[name]), name


def test_an_unreadable_file_packs_only_its_failed_documents_row():
    tables = document_tables(b"", "empty.txt")
    p = _round_trip(tables)
    assert [name for name, _ in p.parts] == ["documents"]
    back = p.tables()
    assert all(back[n].num_rows == 0 for n in DATASETS if n != "documents")
    assert p.digest.doc["status"] == back["documents"].column("status")[0].as_py() != "ok"
    assert p.digest.keys == {} and p.digest.forms == () and p.digest.findings == ()


def test_a_plain_column_value_that_does_not_fit_is_null_and_named():
    """The plain columns are converted in one struct conversion; a value beyond its type
    (a grid row beyond int32) falls back to the column-by-column path that names it."""
    from pipeline.process import process_file
    from pipeline.tables import to_tables

    text = corpus_text("r060")
    records = process_file(text.encode("utf-8"), "r060.txt")
    clean = to_tables(records)
    cell = next(b for b in records["blocks"] if b["text"] == "享受医疗救助人次")
    assert cell["row"] is not None
    cell["row"] = 2**40
    t = to_tables(records)
    rows = {r["block_id"]: r for r in t["blocks"].to_pylist()}
    assert rows[cell["block_id"]]["row"] is None  # refused: never wrapped or clipped
    assert rows[cell["block_id"]]["text"] == "享受医疗救助人次"
    doc = t["documents"].to_pylist()[0]
    assert doc["status"] == "partial" and f"blocks {cell['block_id']}: row 1099511627776" in doc["error"]
    # every other value is the clean run's
    others = [r for r in t["blocks"].to_pylist() if r["block_id"] != cell["block_id"]]
    assert others == [r for r in clean["blocks"].to_pylist() if r["block_id"] != cell["block_id"]]
