"""The text reader and the segmenter on the two real seed documents and on bad input."""
from __future__ import annotations

import pytest

from extractors.model import ReaderError
from extractors.readers import read_document
from extractors.readers.txt import decode, detect_layout
from extractors.segment import segment

from .conftest import corpus_files


@pytest.fixture(scope="module")
def doc000(seed000_bytes):
    return read_document(seed000_bytes)


@pytest.fixture(scope="module")
def doc004(seed004_bytes):
    return read_document(seed004_bytes)


def test_layouts_detected_from_content(doc000, doc004):
    assert doc000.layout == "tab_cells"
    assert doc004.layout == "tsv_rows"


def test_canonical_text_is_the_decoded_file(doc000, seed000_bytes):
    assert doc000.text == seed000_bytes.decode("utf-8")


@pytest.mark.parametrize("name", ["doc000", "doc004"])
def test_every_block_span_is_its_text(name, request):
    doc = request.getfixturevalue(name)
    assert doc.blocks
    bad = [b for b in doc.blocks if doc.text[b.char_start:b.char_end] != b.text]
    assert bad == []


def test_seed000_tables_counted_by_hand(doc000):
    tables = doc000.tables()
    # 附件1 基础数据表, 附件2 整体支出自评表, three 附件3 项目支出自评表
    assert len(tables) == 5
    basic = tables[0]
    widths = [len(r) for r in basic.rows()]
    # 预算单位名称 row, staffing header + values, 经费控制 header, 36 expenditure lines,
    # 楼堂馆所 header + values, 厉行节约 row
    assert len(widths) == 43
    assert widths[0] == 2 and widths[1:40] == [4] * 39 and widths[40:42] == [7, 7] and widths[42] == 2
    assert sum(widths) == 174
    overall = tables[1]
    assert len(overall.rows()) == 37
    # header + 25 indicator rows, all 9 cells wide
    assert [len(r) for r in overall.rows()][10:36] == [9] * 26
    third = tables[4]
    assert len(third.rows()) == 35


def test_seed000_multiline_and_merged_cells(doc000):
    overall = doc000.tables()[1]
    rows = overall.rows()
    texts = [[c.text for c in r] for r in rows]
    econ = next(r for r in texts if "医疗业务收入\n" in r)
    # a multi-line cell, a cell ending in its own newline, and the empty cells a
    # vertical merge leaves in this layout
    assert econ[:4] == ["", "\n\n\n\n效益指标\n（30 分）", "经济效\n益指标", "医疗业务收入\n"]
    assert econ[4:8] == ["2.49亿元", "2.49亿元", "4", "4"]
    first_data = texts[11]
    assert first_data[1] == "\n\n\n\n产出指标\n(50 分)"
    assert first_data[3] == "爱卫工作巡查指导轮次"
    # the 附件3 row where 数量指标 ends in a newline before a blank line is one row
    t3 = [[c.text for c in r] for r in doc000.tables()[2].rows()]
    row = next(r for r in t3 if "12家社区卫生服务中心" in r)
    assert row[2] == "数量指标\n" and len(row) == 9 and row[4:6] == ["27184人", "27184人"]


def test_seed004_rows_and_markup_cells(doc004):
    t1, t2 = doc004.tables()
    assert [len(r) for r in t1.rows()] == [3, 3, 3, 3, 3, 3, 3, 3, 6]
    assert len(t2.rows()) == 25 and all(len(r) == 6 for r in t2.rows())
    duties = t1.rows()[7][1]
    assert duties.text.startswith("<p>1、贯彻执行国民健康政策")
    assert duties.content.splitlines()[1].startswith("2、协调推进全区深化医药卫生体制改革")
    assert len(duties.content.splitlines()) == 14


def test_seed000_sections(doc000):
    secs = segment(doc000)
    assert [s.form_type for s in secs] == ["basic_data", "overall_self_eval", "project_self_eval",
                                           "project_self_eval", "project_self_eval", "self_eval_report"]
    assert [s.attachment_label for s in secs] == ["附件1", "附件2", "附件3", "附件3", "附件3", "附件4"]
    assert secs[1].title == "2023年度预算单位整体支出绩效自评表"  # as read: layout spaces folded
    assert secs[5].title == "2023年度岳阳市岳阳楼区卫生健康局单位整体支出绩效自评报告"
    # sections tile the document
    assert secs[0].char_start == 0 and secs[-1].char_end == len(doc000.text)
    assert all(a.char_end == b.char_start for a, b in zip(secs, secs[1:]))


def test_seed004_one_overall_target(doc004):
    secs = segment(doc004)
    assert [s.form_type for s in secs] == ["overall_target"]
    assert secs[0].title == "2023年部门整体支出绩效目标表"


# ---------------------------------------------------------------- encodings, bad input

def test_gb18030_and_bom_and_crlf(seed000_bytes):
    text = seed000_bytes.decode("utf-8")
    gb = read_document(text.encode("gb18030"))
    assert gb.text == text and gb.warnings == ["decoded as gb18030"]
    bom = read_document(b"\xef\xbb\xbf" + seed000_bytes)
    assert bom.text == text
    crlf_text = text.replace("\n", "\r\n")
    crlf = read_document(crlf_text.encode("utf-8"))
    assert crlf.layout == "tab_cells"
    assert all(crlf.text[b.char_start:b.char_end] == b.text for b in crlf.blocks)
    assert [len(t.rows()) for t in crlf.tables()] == [43, 37, 22, 20, 35]
    assert [s.form_type for s in segment(crlf)][:2] == ["basic_data", "overall_self_eval"]


@pytest.mark.parametrize("data, message", [
    (b"", "empty file"),
    (b"   \n\n", "empty file"),
    (bytes(range(256)) * 8, "binary content"),
    ("附件1 基础数据表".encode("utf-8")[:-1] + b"\xff\xfe\xfd\x80\x81" * 50, "unknown text encoding"),
])
def test_bad_text_input_is_a_clear_error(data, message):
    with pytest.raises(ReaderError) as e:
        decode(data)
    assert message in str(e.value)


def test_corpus_never_crashes_and_spans_hold():
    files = corpus_files()
    if not files:
        pytest.skip("../shared/corpus/dev not present")
    layouts = {}
    for f in files:
        doc = read_document(f.read_bytes())
        layouts[f.stem] = doc.layout
        assert all(doc.text[b.char_start:b.char_end] == b.text for b in doc.blocks), f.name
        segment(doc)
    # markdown pipe tables are recognised as tables
    assert layouts["r031"] == "markdown_table"
    assert detect_layout("a\tb\tc\nd\te\tf\ng\th\ti\n") == "tsv_rows"


def test_corpus_layouts_named_as_the_manifest_names_them():
    """documents.layout uses the manifest's names for the dialects layout inference
    recovers.  Known differences: r036 (a 自评报告 whose page metadata is a pipe table, so
    markdown_table) and r042 (PDF text listing every row label before any value: no header
    line of cells, so only the glued-cell grammar reads it, space_flat)."""
    import csv

    from .conftest import CORPUS
    man = CORPUS / "MANIFEST.tsv"
    if not man.exists():
        pytest.skip("../shared/corpus/dev not present")
    with man.open(encoding="utf-8") as f:
        want = {r["id"]: r["layout"] for r in csv.DictReader(f, delimiter="\t")}
    got = {rid: read_document((CORPUS / f"{rid}.txt").read_bytes()).layout for rid in want}
    differ = {rid for rid, lay in want.items()
              if lay in ("markdown_table", "blank_line_cells", "tsv_rows") and got[rid] != lay}
    assert differ == {"r042"}
    assert {rid for rid, lay in want.items() if lay == "prose" and got[rid] != "flat"} == {"r036"}
    # r030 and r063 (cells separated by runs of spaces) are whitespace rows, not flat text
    assert got["r030"] == got["r063"] == "tsv_rows"
