"""Tracing ids of every dataset back to the characters of the source (pipeline.trace)."""
from __future__ import annotations

import re
from decimal import Decimal
from io import StringIO

import pytest

from pipeline.trace import Store, UnknownId, dataset_of, trace, trace_main
from tests.conftest import D000, D004


@pytest.fixture(scope="session")
def store(parquet_dir):
    return Store(parquet_dir)


@pytest.fixture(scope="session")
def texts(published):
    return {d["doc_id"]: d["text"] for d in published["documents"]}


def ws(s: str | None) -> str:
    return re.sub(r"\s+", "", s or "")


def spans(info: dict) -> dict[str, dict]:
    return {sp["role"]: sp for sp in info["spans"]}


def check_span(sp: dict, text: str) -> None:
    assert text[sp["char_start"]:sp["char_end"]] == sp["text"]
    if sp.get("block"):
        b = sp["block"]
        assert b["char_start"] <= sp["char_start"] <= sp["char_end"] <= b["char_end"]


def test_dataset_from_id_shape():
    assert dataset_of(D000) == "documents"
    assert dataset_of(f"{D000}:2") == "sections"
    assert dataset_of(f"{D000}:c1") == "checks"
    for letter, ds in (("b", "blocks"), ("i", "indicators"), ("f", "funds"), ("g", "goals"),
                       ("d", "goals"), ("k", "facts"), ("m", "mentions")):
        assert dataset_of(f"{D000}:2:{letter}7") == ds
    assert dataset_of("hello") is None and dataset_of(f"{D000}:2:x1") is None


def test_every_block_traces_to_its_characters(published, store, parquet_dir, texts):
    for b in published["blocks"][::25]:
        info = trace(b["block_id"], parquet_dir, store=store)
        sp = info["spans"][0]
        assert texts[b["doc_id"]][sp["char_start"]:sp["char_end"]] == b["text"] == sp["text"]
        assert info["section"]["section_id"] == b["section_id"]


def test_every_indicator_cell_equals_its_raw_value(published, store, parquet_dir, texts):
    assert len(published["indicators"]) > 60
    for ind in published["indicators"]:
        info = trace(ind["indicator_id"], parquet_dir, store=store)
        sp = spans(info)
        text = texts[ind["doc_id"]]
        for s in sp.values():
            check_span(s, text)
        assert sp["name"]["text"] == ind["name_raw"].strip()
        assert sp["target"]["text"] == (ind["target_raw"] or "").strip()
        if ind["actual_block"]:
            assert sp["actual"]["text"] == (ind["actual_raw"] or "").strip()
        if ind["weight"] is not None:
            assert Decimal(sp["weight"]["text"]) == ind["weight"]
            assert Decimal(sp["score"]["text"]) == ind["score"]
        # the 一级/二级 labels are stored with layout whitespace folded
        assert ws(sp["level1"]["text"]) == ws(ind["level1_raw"])
        assert sp["target"]["block_id"] == ind["target_block"]


def test_funds_facts_goals_mentions_trace_to_their_characters(published, store, parquet_dir, texts):
    for f in published["funds"]:
        sp = spans(trace(f["fund_id"], parquet_dir, store=store))
        check_span(sp["amount"], texts[f["doc_id"]])
        assert sp["amount"]["text"] == f["amount_raw"].strip()
        assert sp["label"]["block_id"] == f["item_block"]
        check_span(sp["label"], texts[f["doc_id"]])
        if f["item_block"] != f["block_id"]:
            assert sp["label"]["text"] == f["item_raw"].strip()
        else:  # 其中：基本支出：863.17 - the label is the words before the amount
            assert sp["label"]["text"] in f["item_raw"] and f["amount_raw"] not in sp["label"]["text"]
            assert not sp["label"]["text"].startswith("其中")
    for k in published["facts"]:
        sp = spans(trace(k["fact_id"], parquet_dir, store=store))
        check_span(sp["value"], texts[k["doc_id"]])
        assert sp["value"]["text"] == k["value_raw"].strip()
    for g in published["goals"]:
        sp = spans(trace(g["goal_id"], parquet_dir, store=store))
        assert sp, g["goal_id"]
        for role in ("expected", "actual"):  # an item may exist on one side only (附件3 #7)
            if g[f"{role}_text"]:
                check_span(sp[role], texts[g["doc_id"]])
                assert ws(sp[role]["text"]) == ws(g[f"{role}_text"])
    for m in published["mentions"][::10]:
        sp = spans(trace(m["mention_id"], parquet_dir, store=store))
        assert texts[m["doc_id"]][sp["value"]["char_start"]:sp["value"]["char_end"]] == m["value_raw"]


def test_document_section_and_check(store, parquet_dir, published, texts):
    doc = trace(D004, parquet_dir, store=store)
    assert doc["document"]["source_path"] == "004_4aa0f758ca959e42.txt"
    assert len(doc["document"]["sha256"]) == 64 and doc["document"]["sha256"].startswith(D004)
    assert [s["section_id"] for s in doc["sections"]] == [f"{D004}:1"]
    sec = trace(f"{D000}:2", parquet_dir, store=store)
    assert sec["section"]["attachment_label"] == "附件2" and sec["section"]["form_type"] == "overall_self_eval"
    assert ws(spans(sec)["title"]["text"]) == ws(sec["row"]["title"])
    assert sec["counts"]["indicators"] == 25
    chk = trace(f"{D000}:c1", parquet_dir, store=store)
    assert chk["row"]["rule"] == "funds_sum"
    traced = {r["id"]: r for r in chk["refs"]}
    assert f"{D000}:1:f11" in traced
    amount = spans(traced[f"{D000}:1:f11"])["amount"]
    assert amount["text"] == "2385.39" and texts[D000][amount["char_start"]:amount["char_end"]] == "2385.39"
    assert amount["block"]["table_no"] is not None and amount["block"]["row"] is not None
    assert all("error" not in r for r in chk["refs"])


def test_printed_trace_marks_the_value(parquet_dir):
    out = StringIO()
    assert trace_main(f"{D000}:2:i2", parquet_dir, color="never", out=out) == 0
    s = out.getvalue()
    assert "»108389人次«" in s and "»108526人次«" in s and "»国家免疫规划类疫苗接种«" in s
    assert "000_dbacab0dbc49b42b.txt" in s and "sha256" in s and "table 2 row 13 col 5" in s
    out = StringIO()
    assert trace_main(f"{D000}:2:i2", parquet_dir, color="always", out=out) == 0
    assert "\x1b[1;30;43m108389人次\x1b[0m" in out.getvalue()
    out = StringIO()
    assert trace_main(f"{D000}:c2", parquet_dir, color="never", out=out) == 0
    assert "refs (" in out.getvalue()


@pytest.mark.parametrize("bad", ["nonsense", f"{D000}:2:i999", "0123456789abcdef", f"{D000}:c999",
                                 f"{D000}:77"])
def test_unknown_id_exits_2(parquet_dir, store, bad, capsys):
    assert trace_main(bad, parquet_dir, color="never") == 2
    err = capsys.readouterr().err
    assert "error:" in err and bad in err
    with pytest.raises(UnknownId):
        trace(bad, parquet_dir, store=store)


def test_missing_parquet_dir(tmp_path, capsys):
    assert trace_main(f"{D000}:1", tmp_path / "nothing") == 1
    assert f"run `uv run python -m pipeline run data/raw --out {tmp_path / 'nothing'}` first" \
        in capsys.readouterr().err
