"""The shortcuts taken for speed give what the long way gives, on real files.

* ``tables.grid.dense_rows_at`` (the header search's map of 1-3 rows) equals the
  slice of ``dense_rows`` (the whole table's map) at every row of every table of the
  sample files and the dev corpus;
* ``readers.pdf_lines.fast_chars`` (chars as the six fields the PDF reader uses) gives
  the values pdfplumber's own char dicts hold, and leaves every other object (the
  rules the table finder reads) as pdfplumber makes it;
* ``readers.docx._child`` finds what lxml's ``find`` finds.
"""
from __future__ import annotations

import io

import pytest

from extractors.model import tables_of
from extractors.readers import read_document
from extractors.tables.grid import dense_rows, dense_rows_at

from .conftest import SAMPLES, SHARED, corpus_files

SAMPLES_DEV = SHARED / "samples-dev"


def _need(path):
    if not path.exists():
        pytest.skip(f"../shared/{path.relative_to(SHARED)} not present")
    return path.read_bytes()


def test_dense_rows_at_sees_cells_merged_down_from_above():
    # r031.docx (samples-dev), rows 4-6 of its one table:
    #   绩 效 指 标 (12 rows) | 一级指标 | 二级指标 | 三级指标 | 指标值
    #                         | 产出指标 (7 rows) | 数量指标 (2 rows) | 补贴非营利性民办… | 20个
    #                         |                   |                   | 补贴民办园租用面… | 26970.7平方米
    doc = read_document(_need(SAMPLES_DEV / "r031.docx"), "r031.docx")
    rows = tables_of(doc.blocks)[0].rows()
    (row6,) = dense_rows_at(rows, 5, 6)
    assert [row6[c].text for c in sorted(row6)] == [
        "绩 效 指 标", "产出指标", "数量指标", rows[5][0].text, rows[5][1].text]
    assert rows[5][1].text.startswith("26970.7")
    # refused: a row index past the table has no map; row 1 sees nothing merged from below
    assert dense_rows_at(rows, len(rows), len(rows) + 1) == []
    (row1,) = dense_rows_at(rows, 0, 1)
    assert sorted(row1) == [1, 2, 3, 4, 5] and row1[5].text == row1[2].text  # 项目名称 | its value (4 columns)


def _all_tables():
    files = [p for folder in (SAMPLES, SAMPLES_DEV) if folder.exists() for p in sorted(folder.glob("*"))
             if p.suffix in (".docx", ".xlsx", ".html", ".pdf")] + corpus_files()
    if not files:
        pytest.skip("../shared/ not present")
    from extractors.segment import segment
    for p in files:
        doc = read_document(p.read_bytes(), p.name)
        for sec in segment(doc):
            for t in sec.tables():
                yield p.name, t.rows()


def test_dense_rows_at_equals_the_whole_tables_map_everywhere():
    n = 0
    for name, rows in _all_tables():
        full = dense_rows(rows)
        for i in range(len(rows)):
            for k in (1, 2, 3):
                assert dense_rows_at(rows, i, i + k) == full[i:i + k], (name, i, k)
                n += 1
    assert n > 1000


def test_fast_chars_hold_pdfplumbers_values_and_other_objects_are_untouched():
    import pdfplumber

    from extractors.readers.pdf_lines import fast_chars
    data = _need(SAMPLES / "seed004.pdf")
    with pdfplumber.open(io.BytesIO(data)) as slow, pdfplumber.open(io.BytesIO(data)) as fast:
        for ps, pf in zip(slow.pages, fast.pages):
            fast_chars(pf)
            assert len(pf.chars) == len(ps.chars) > 0
            for a, b in zip(ps.chars, pf.chars):
                assert {k: a[k] for k in b} == b
            assert set(pf.chars[0]) == {"object_type", "page_number", "text", "x0", "x1", "top",
                                        "bottom", "size"}  # not pdfplumber's colours, matrix, ...
            for kind in ("rect", "line", "curve"):
                assert pf.objects.get(kind) == ps.objects.get(kind)
            assert [t.bbox for t in pf.find_tables()] == [t.bbox for t in ps.find_tables()]
    # the reader's text of the seed: its title and first cells
    doc = read_document(data, "seed004.pdf")
    assert doc.text.startswith("2023年部门整体支出绩效目标表\n\t部门名称\n\t长沙市望城区卫生健康局\n")


def test_docx_child_finds_what_lxml_find_finds():
    from extractors.readers import docx as D
    from extractors.readers._common import open_zip
    body, _ = D._load(open_zip(_need(SAMPLES_DEV / "r060.docx"), "docx"))
    n = 0
    for el in body.iter(D.TC, D.TR, D.P):
        for tag in (D.TCPR, D.TRPR, D.PPR, D.P, D.VMERGE):
            assert D._child(el, tag) is el.find(tag)
            n += D._child(el, tag) is not None
    assert n > 100
    tcpr = next(el for el in body.iter(D.TCPR) if el.find(D.GRID_SPAN) is not None)
    props = D._first_children(tcpr, D._TC_PROPS)
    assert props[D.GRID_SPAN] is tcpr.find(D.GRID_SPAN)
    assert D.HMERGE not in props  # refused: a property the cell does not have


def test_cached_label_lookups_answer_as_before_and_refuse_values():
    from extractors.forms.allocation import _role
    from extractors.forms.metadata import meta_key
    # r021.xlsx row 4: '实施单位 (盖章)' is the implementing unit's label; its value cell
    # '青神县发展和改革局' and r031's figure '193.8' name no field
    for _ in range(2):  # computed, then from the cache
        assert meta_key("实施单位 (盖章)") == "implementing_unit"
        assert meta_key("青神县发展和改革局") is None
        assert meta_key("193.8") is None
    # r048's allocation header '序号 | 单位 | 合计'; r001's town 棠溪镇 names no column
    assert [_role(t) for t in ("序号", "单位", "合计", "棠溪镇")] == ["seq", "recipient", "total", None]


def test_cached_money_and_goal_header_lookups():
    from extractors.forms.goals import goal_columns
    from extractors.forms.lines import breakdown_head, is_fund_line_label
    from extractors.model import Block
    for _ in range(2):  # computed, then from the cache
        # r064 '按收入性质分:2030.12'; r031 '项目预算金额(万元) | 193.8'
        assert breakdown_head("按收入性质分:2030.12") == "按收入性质分"
        assert is_fund_line_label("项目预算金额(万元)") is True
        assert breakdown_head("193.8") is None and is_fund_line_label("193.8") is False
    # r001's goal block header '预期目标 | 实际完成情况'; a row of values is no header
    row = [Block("cell", t, 0, 0, table_no=1, row=1, col=k) for k, t in ((1, "预期目标"), (2, "实际完成情况"))]
    assert {role: b.text for role, b in goal_columns(row).items()} == {"expected": "预期目标", "actual": "实际完成情况"}
    assert goal_columns([Block("cell", "193.8", 0, 0, table_no=1, row=2, col=1)]) == {}
