"""Every rendition of a seed (Word, PDF, Excel, HTML) gives the same values as its text.

Only ids, offsets and coordinates may differ: compared here are all value columns of
sections, indicators, funds, goals, facts and mentions.
"""
from __future__ import annotations

import pytest

from normalizers.text import fold_ws
from pipeline.process import process_file

from .conftest import SAMPLES

COMPARED = {
    "sections": ["ordinal", "attachment_label", "form_type", "title", "fiscal_year", "unit_name",
                 "project_name", "competent_dept", "implementing_unit", "preparer", "phone",
                 "filled_date", "total_weight", "total_score", "status"],
    "indicators": ["row_no", "level1", "level1_raw", "level1_weight", "level2", "level2_raw", "name",
                   "name_raw", "item", "target_raw", "target_op", "target_value", "target_upper",
                   "target_unit", "target_kind", "actual_raw", "actual_op", "actual_value",
                   "actual_upper", "actual_unit", "actual_kind", "weight", "score", "deviation_note"],
    "funds": ["item", "item_raw", "parent_item", "line_no", "measure", "measure_raw", "period_year",
              "amount_yuan", "amount_raw", "unit_raw"],
    "goals": ["kind", "ordinal", "expected_text", "actual_text"],
    "facts": ["key", "item", "label_raw", "value_raw", "value", "unit", "kind"],
    # value_raw and sentence are exact source characters (a PDF spaces '18 个'): compared folded
    "mentions": ["heading_path", "label", "parent_label", "value", "unit", "kind", "share_of",
                 "value_raw~", "sentence~"],
}

RENDITIONS = [("seed000.docx", "seed000"), ("seed000.pdf", "seed000"), ("seed000.html", "seed000"),
              ("seed004.xlsx", "seed004"), ("seed004.pdf", "seed004"), ("seed004.html", "seed004")]


def view(records, dataset):
    out = []
    for r in records[dataset]:
        row = []
        for col in COMPARED[dataset]:
            if col.endswith("~"):
                v = r[col[:-1]]
                row.append(fold_ws(v) if v is not None else None)
            else:
                row.append(r[col])
        out.append(tuple(row))
    return out


@pytest.fixture(scope="module")
def text_records(seed000_records, seed004_records):
    return {"seed000": seed000_records, "seed004": seed004_records}


@pytest.mark.parametrize("sample, seed", RENDITIONS)
def test_rendition_gives_the_same_values_as_the_text(sample, seed, text_records):
    path = SAMPLES / sample
    if not path.exists():
        pytest.skip(f"{path} not present")
    rec = process_file(path.read_bytes(), sample)
    doc = rec["documents"][0]
    assert doc["status"] == "ok", doc["error"]
    assert doc["format"] == sample.rsplit(".", 1)[1]
    base = text_records[seed]
    for dataset in COMPARED:
        got, want = view(rec, dataset), view(base, dataset)
        assert len(got) == len(want), (dataset, len(got), len(want))
        for g, w in zip(got, want):
            assert g == w, (dataset, [(c, a, b) for c, a, b in zip(COMPARED[dataset], g, w) if a != b])
    # and the values are really there: not an empty-equals-empty pass
    assert len(rec["indicators"]) in (93 - 24, 24)
    assert rec["funds"] and rec["goals"]
    # provenance: every block's span is its text
    text = doc["text"]
    assert all(text[b["char_start"]:b["char_end"]] == b["text"] for b in rec["blocks"])
    if doc["format"] == "pdf":
        cells = [b for b in rec["blocks"] if b["kind"] == "cell"]
        assert all(b["page"] and b["x0"] is not None and b["bottom"] is not None for b in cells)
    if doc["format"] == "xlsx":
        cells = [b for b in rec["blocks"] if b["kind"] == "cell"]
        assert all(b["address"] and "!" in b["address"] for b in cells)
