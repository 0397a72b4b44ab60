"""Readers for .docx, .pdf, .xlsx and .html: the shared samples and self-built bad files."""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pytest

from extractors.model import CELL, HEADING, PARAGRAPH, ReaderError
from extractors.readers import _common, read_document
from extractors.readers import pdf as pdf_mod
from extractors.readers.docx import read_docx
from extractors.readers.html import read_html
from extractors.readers.pdf import read_pdf
from extractors.readers.xlsx import format_number, read_xlsx

SHARED = Path(__file__).resolve().parents[2] / "shared"
SAMPLES = SHARED / "samples"
SEEDS = SHARED / "seeds"
SHEET = "部门整体支出绩效目标表"

_docs: dict[str, object] = {}


def sample(name: str):
    """Read a sample once per session (the 27-page PDF takes a few seconds)."""
    path = SAMPLES / name
    if not path.exists():
        pytest.skip(f"shared sample {path} is not available in this checkout")
    if name not in _docs:
        _docs[name] = read_document(path.read_bytes(), name)
    return _docs[name]


def seed_text(prefix: str) -> str:
    found = sorted(SEEDS.glob(f"{prefix}_*.txt")) if SEEDS.exists() else []
    if not found:
        pytest.skip(f"seed text {prefix} is not available under {SEEDS}")
    return found[0].read_text(encoding="utf-8")


def norm(s: str) -> str:
    """Whitespace aside (and the literal <p> tags of seed 004's text)."""
    return re.sub(r"\s+", "", re.sub(r"</?p>", "", s))


def cells(doc, table_no=None):
    return [b for b in doc.blocks if b.kind == CELL and (table_no is None or b.table_no == table_no)]


def find_cell(doc, text: str):
    hits = [b for b in cells(doc) if b.text == text]
    assert hits, f"no cell with text {text!r}"
    return hits[0]


ALL = ["seed000.docx", "seed000.pdf", "seed000.html", "seed004.xlsx", "seed004.pdf", "seed004.html"]
FORMATS = {"docx": "docx_tables", "pdf": "pdf_tables", "xlsx": "xlsx_cells", "html": "html_tables"}


# ---------------------------------------------------------------------------------------
# every sample: spans, grid sanity
# ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ALL)
def test_spans_and_grid(name):
    doc = sample(name)
    ext = name.rsplit(".", 1)[1]
    assert doc.format == ext and doc.layout == FORMATS[ext]
    assert doc.blocks
    assert list(doc.check_spans()) == []
    for b in doc.blocks:
        assert doc.text[b.char_start:b.char_end] == b.text
        assert b.kind in (CELL, PARAGRAPH, HEADING)
        if b.kind == CELL:
            assert "\t" not in b.text
            assert b.row >= 1 and b.col >= 1 and b.rowspan >= 1 and b.colspan >= 1
        else:
            assert b.text.strip() and b.row is None
    # one block per grid position, cells in row-major order
    for t in doc.tables():
        seen = {}
        for c in t.cells:
            for r in range(c.row, c.row + c.rowspan):
                for k in range(c.col, c.col + c.colspan):
                    assert (r, k) not in seen, f"{name} table {t.table_no}: ({r},{k}) covered twice"
                    seen[(r, k)] = c
        order = [(c.row, c.col) for c in t.cells]
        assert order == sorted(order)


@pytest.mark.parametrize("name", ["seed000.docx", "seed000.pdf", "seed000.html"])
def test_seed000_cells_match_seed_text(name):
    """Cell texts reproduce the seed's cell-per-line text (whitespace aside), both ways."""
    doc = sample(name)
    seed = seed_text("000")
    seed_n = norm(seed)
    texts = [norm(c.text) for c in cells(doc) if c.text.strip()]
    assert len(texts) > 600
    assert [t for t in texts if t not in seed_n] == []
    joined = "\x00" + "\x00".join(texts)
    tab_lines = [ln.strip() for ln in seed.split("\n") if ln.startswith("\t") and ln.strip()]
    assert [ln for ln in tab_lines if norm(ln) not in joined] == []
    paras = [norm(b.text) for b in doc.blocks if b.kind != CELL]
    assert [p for p in paras if p not in seed_n] == []


@pytest.mark.parametrize("name", ["seed004.xlsx", "seed004.pdf", "seed004.html"])
def test_seed004_cells_match_seed_text(name):
    doc = sample(name)
    seed = seed_text("004")
    seed_n = norm(seed)
    texts = [norm(c.text) for c in cells(doc) if c.text.strip()]
    assert [t for t in texts if t not in seed_n] == []
    joined = "\x00" + "\x00".join(texts + [norm(b.text) for b in doc.blocks if b.kind != CELL])
    fields = [f.strip() for ln in seed.split("\n") for f in ln.split("\t")
              if f.strip() and set(f.strip()) - set("-")]
    assert [f for f in fields if norm(f) not in joined] == []


def _grid_texts(doc, row_offset=0):
    out = {}
    for t in doc.tables():
        for c in t.cells:
            out[(t.table_no, c.row + row_offset, c.col)] = (c.rowspan, c.colspan, norm(c.text))
    return out


@pytest.mark.parametrize("name", ["seed000.pdf", "seed000.html"])
def test_seed000_same_grid_as_docx(name):
    """The PDF (printed from the docx) and the web page give the docx's tables cell for cell."""
    assert _grid_texts(sample(name)) == _grid_texts(sample("seed000.docx"))


@pytest.mark.parametrize("name", ["seed004.pdf", "seed004.html"])
def test_seed004_same_grid_as_xlsx(name):
    """The sheet's title row A1:F1 is a paragraph in all three, so the grids line up; the
    PDF/HTML also have the empty cell A11, which the xlsx reader does not emit."""
    other = {k: v for k, v in _grid_texts(sample(name)).items() if v[2] or v[:2] != (1, 1)}
    assert other == _grid_texts(sample("seed004.xlsx"))


# ---------------------------------------------------------------------------------------
# docx
# ---------------------------------------------------------------------------------------

def test_docx_seed000_values():
    doc = sample("seed000.docx")
    assert len(doc.tables()) == 5
    t2 = doc.tables()[1]
    assert (t2.n_rows, t2.n_cols) == (37, 9)
    c = find_cell(doc, "108389人次")
    assert (c.table_no, c.row, c.col) == (2, 13, 5)
    label = find_cell(doc, "产出指标\n(50 分)")
    assert label.table_no == 2 and label.col == 2 and label.rowspan > 1
    # gridSpan: the unit name spans the rest of the first row
    unit = find_cell(doc, "岳阳市岳阳楼区卫生健康局")
    assert unit.row == 1 and unit.col == 2 and unit.colspan > 1
    heads = [(b.level, b.text) for b in doc.blocks if b.kind == HEADING]
    assert (1, "1、 单位基本情况") in heads and (2, "（一）职能职责") in heads
    assert all(b.page is None for b in doc.blocks)


def _docx_bytes(build) -> bytes:
    import docx
    d = docx.Document()
    build(d)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_docx_merges_breaks_nested_table():
    def build(d):
        d.add_heading("标题一", level=1)
        d.add_paragraph("")  # empty paragraph: no block
        d.add_paragraph("正文\t段落")
        t = d.add_table(rows=3, cols=3)
        t.cell(0, 0).merge(t.cell(0, 1)).text = "横向合并"
        t.cell(1, 0).merge(t.cell(2, 0)).text = "纵向合并"
        cell = t.cell(1, 1)
        cell.text = "第一行"
        cell.paragraphs[0].add_run().add_break()
        cell.paragraphs[0].add_run("第二行")
        cell.add_paragraph("第三段")
        inner = t.cell(1, 2).add_table(rows=1, cols=2)
        inner.cell(0, 0).text = "内1"
        inner.cell(0, 1).text = "内2"
        t.cell(2, 2).text = "a\tb"
        d.add_paragraph("表后")
    doc = read_docx(_docx_bytes(build))
    assert list(doc.check_spans()) == []
    kinds = [(b.kind, b.text) for b in doc.blocks if b.kind != CELL]
    assert kinds == [(HEADING, "标题一"), (PARAGRAPH, "正文 段落"), (PARAGRAPH, "表后")]
    by_pos = {(c.row, c.col): c for c in cells(doc)}
    assert by_pos[(1, 1)].text == "横向合并" and by_pos[(1, 1)].colspan == 2
    assert (1, 2) not in by_pos
    assert by_pos[(2, 1)].text == "纵向合并" and by_pos[(2, 1)].rowspan == 2
    assert (3, 1) not in by_pos  # continuation: no block, no duplicated text
    assert by_pos[(2, 2)].text == "第一行\n第二行\n第三段"
    assert by_pos[(2, 3)].text == "内1\n内2"  # nested table flattened into the cell
    assert by_pos[(3, 3)].text == "a b"
    assert any("nested table" in w for w in doc.warnings)
    assert sum(1 for b in doc.blocks if "横向合并" in b.text) == 1


def test_docx_truncated():
    data = (SAMPLES / "seed000.docx").read_bytes() if (SAMPLES / "seed000.docx").exists() \
        else _docx_bytes(lambda d: d.add_paragraph("x" * 5000))
    with pytest.raises(ReaderError, match=r"corrupt or truncated \.docx \(zip error: .*re-save or re-download"):
        read_docx(data[: len(data) // 2])


def test_docx_zip_bomb(monkeypatch):
    base = _docx_bytes(lambda d: d.add_paragraph("正文"))
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, \
            zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info.filename))
        dst.writestr("word/media/zeros.bin", b"\0" * (4 * 1024 * 1024))
    data = buf.getvalue()
    assert len(data) < 100_000
    assert read_docx(data).blocks[0].text == "正文"  # fine under the real limits
    monkeypatch.setattr(_common, "MAX_UNCOMPRESSED_BYTES", 2 * 1024 * 1024)
    with pytest.raises(ReaderError, match=r"\.docx would expand to [45] MB when unpacked \(limit 2 MB"):
        read_docx(data)
    monkeypatch.setattr(_common, "MAX_UNCOMPRESSED_BYTES", 500 * 1024 * 1024)
    monkeypatch.setattr(_common, "RATIO_MIN_BYTES", 1024 * 1024)
    with pytest.raises(ReaderError, match=r"zeros\.bin would expand .*ratio"):
        read_docx(data)


# ---------------------------------------------------------------------------------------
# pdf
# ---------------------------------------------------------------------------------------

def test_pdf_seed000_pages_boxes_joined_tables():
    doc = sample("seed000.pdf")
    assert doc.n_pages == 27
    cs = cells(doc)
    assert cs
    for c in cs:
        assert 1 <= c.page <= 27
        assert c.x0 < c.x1 and c.top < c.bottom
        assert 0 <= c.x0 and c.x1 <= 596 and 0 <= c.top and c.bottom <= 842
    # 附件2's table runs over pages 3-4 and is one table with the docx's shape
    t2 = doc.tables()[1]
    assert {c.page for c in t2.cells} == {3, 4}
    assert (t2.n_rows, t2.n_cols) == (37, 9)
    c = find_cell(doc, "108389人次")
    assert (c.table_no, c.row, c.col, c.page) == (2, 13, 5, 3)
    # the 绩效指标 label printed on page 3 only spans its rows on page 4 as well
    label = [b for b in t2.cells if norm(b.text) == "绩效指标"][0]
    assert label.page == 3 and label.row + label.rowspan - 1 == t2.n_rows - 1
    lab50 = [b for b in t2.cells if norm(b.text) == "产出指标(50分)"][0]
    assert lab50.rowspan == 15 and lab50.col == 2
    # cells keep the source's spaces, not LibreOffice's digit/CJK spacing
    assert find_cell(doc, "其中：  一般公共预算：1988.88")
    assert not [c for c in cs if re.search(r"\d [\u4e00-\u9fff]", c.text)
                and not re.search(r"\(\d+ 分", c.text)]
    # paragraphs keep what the PDF says (LibreOffice's spacing) and have a page
    paras = [b for b in doc.blocks if b.kind == PARAGRAPH]
    assert any("863.17 万元" in p.text for p in paras)
    assert all(p.page for p in paras)
    assert any(p.text == "2023 年度岳阳市岳阳楼区卫生健康局单位整体支出绩效自评报告" for p in paras)


def test_pdf_seed004_joined_over_two_pages():
    doc = sample("seed004.pdf")
    assert doc.n_pages == 2
    (t,) = doc.tables()
    assert {c.page for c in t.cells} == {1, 2}
    c = find_cell(doc, "大于等于120人次")
    assert (c.page, c.row, c.col) == (2, 11, 6)
    label = find_cell(doc, "年度绩效\n指标")
    assert (label.rowspan, label.col) == (24, 1)


# --- hand-built PDFs ---------------------------------------------------------------------

def make_pdf(contents: list[bytes], *, count: int | None = None, encrypt: bool = False,
             size=(595, 842)) -> bytes:
    """A minimal PDF: one page per content stream, Helvetica as font."""
    n = len(contents)
    objs: list[bytes] = []
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(n))
    objs.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objs.append(f"<< /Type /Pages /Kids [{kids}] /Count {count or n} >>".encode())
    objs.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for i, content in enumerate(contents):
        objs.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {size[0]} {size[1]}] "
                    f"/Resources << /Font << /F1 3 0 R >> >> /Contents {5 + 2 * i} 0 R >>".encode())
        objs.append(f"<< /Length {len(content)} >>\nstream\n".encode() + content + b"\nendstream")
    trailer_extra = b""
    if encrypt:
        objs.append(b"<< /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32
                    + b"> /P -44 >>")
        trailer_extra = f" /Encrypt {len(objs)} 0 R /ID [<{'ab' * 16}> <{'ab' * 16}>]".encode()
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for k, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += f"{k} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R".encode() + trailer_extra
    out += f" >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def text_ops(lines: list[tuple[float, float, str]], size: int = 12) -> bytes:
    ops = []
    for x, y, s in lines:
        ops.append(f"BT /F1 {size} Tf {x} {y} Td ({s}) Tj ET")
    return "\n".join(ops).encode()


def test_pdf_handmade_text_and_page_numbers():
    body = [(72, 770, "Budget report"), (72, 740, "First paragraph line one that runs to the"),
            (72, 726, "margin and ends here.")]
    p1 = text_ops(body + [(280, 30, "- 1 -")])
    p2 = text_ops([(72, 770, "Second page text."), (285, 30, "2 / 2")])
    doc = read_pdf(make_pdf([p1, p2]))
    assert doc.n_pages == 2 and doc.format == "pdf"
    texts = [b.text for b in doc.blocks]
    assert "Budget report" in texts
    # wrapped lines join into one paragraph (a space between Latin words)
    assert "First paragraph line one that runs to the margin and ends here." in texts
    assert "Second page text." in texts
    assert not any(re.fullmatch(r"[-\s\d/]+", t) for t in texts)
    assert any("page number" in w for w in doc.warnings)
    assert list(doc.check_spans()) == []


def test_pdf_page_number_patterns():
    for s in ("— 1 —", "- 2 -", "第 3 页", "第3页 共27页", "12", "3/9", "Page 4 of 9"):
        assert pdf_mod._PAGE_NO.match(s), s
    for s in ("2023年", "43 35", "一、概述", "100%"):
        assert not pdf_mod._PAGE_NO.match(s), s


def test_pdf_no_text_layer():
    scan = b"q 0.5 g 50 50 495 742 re f Q\nq 1 0 0 1 100 100 cm 0 0 m 300 300 l S Q"
    with pytest.raises(ReaderError, match=r"^no text layer: OCR is not supported") as e:
        read_pdf(make_pdf([scan, scan]))
    assert e.value.status == "failed"


def test_pdf_encrypted():
    data = make_pdf([text_ops([(72, 770, "secret")])], encrypt=True)
    with pytest.raises(ReaderError, match=r"^encrypted PDF: "):
        read_pdf(data)
    with pytest.raises(ReaderError, match=r"^encrypted PDF: "):
        read_document(data, "x.pdf")


def test_pdf_too_many_pages(monkeypatch):
    with pytest.raises(ReaderError, match=r"5000 pages .*2000-page limit"):
        read_pdf(make_pdf([text_ops([(72, 770, "x")])], count=5000))
    monkeypatch.setattr(pdf_mod, "MAX_PDF_PAGES", 1)
    with pytest.raises(ReaderError, match=r"2 pages"):
        read_pdf(make_pdf([text_ops([(72, 770, "x")])] * 2))


def test_pdf_corrupt():
    with pytest.raises(ReaderError, match=r"corrupt or truncated PDF"):
        read_pdf(b"%PDF-1.4\n" + b"\x00garbage" * 10)


# ---------------------------------------------------------------------------------------
# xlsx
# ---------------------------------------------------------------------------------------

def test_xlsx_seed004_addresses_and_merges():
    doc = sample("seed004.xlsx")
    title = doc.blocks[0]
    assert (title.kind, title.text, title.address) == (PARAGRAPH, "2023年部门整体支出绩效目标表",
                                                       f"{SHEET}!A1")
    c = find_cell(doc, "大于等于120人次")
    assert c.address == f"{SHEET}!F12" and (c.row, c.col) == (11, 6)
    assert all(b.address and b.address.startswith(SHEET + "!") for b in cells(doc))
    by = {b.address.split("!")[1]: b for b in cells(doc)}
    assert (by["A2"].row, by["A2"].col, by["A2"].text) == (1, 1, "部门名称")
    assert by["A12"].text == "年度绩效 指标" and (by["A12"].rowspan, by["A12"].colspan) == (24, 1)
    assert (by["B2"].colspan, by["B2"].rowspan) == (5, 1)
    assert by["D7"].text == "" and by["D7"].colspan == 3  # empty merge origin is emitted
    assert "A11" not in by  # an empty cell is not
    assert sum(1 for b in cells(doc) if b.rowspan > 1 or b.colspan > 1) == 28  # + title A1:F1


def _xlsx_bytes(build) -> bytes:
    import openpyxl
    wb = openpyxl.Workbook()
    build(wb)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_xlsx_values_as_displayed():
    def build(wb):
        ws = wb.active
        ws.title = "My Sheet"
        ws["B2"] = "标题\t一"  # a title merged over the full width: a paragraph
        ws.merge_cells("B2:D2")
        ws["B3"], ws["B3"].number_format = 0.0900000762939453, "0.00%"
        ws["C3"], ws["C3"].number_format = 1234567.891, "#,##0.00"
        ws["D3"], ws["D3"].number_format = 0.5, "0%"
        ws["B4"] = 0.30000000000000004
        ws["C4"], ws["C4"].number_format = 12.5, "0.00"
        ws["D4"] = 42
        ws["B5"], ws["B5"].number_format = dt.datetime(2023, 12, 31), 'yyyy"年"m"月"d"日"'
        ws["C5"], ws["C5"].number_format = dt.datetime(2024, 6, 4), "yyyy-mm-dd"
        ws["D5"] = "两行\n文本"
        ws["B6"] = True
        ws["C6"] = "合并"
        ws.merge_cells("C6:D7")
        ws["B8"] = "填表说明：xxx"  # a note merged over the full width: a paragraph
        ws.merge_cells("B8:D8")
        ws2 = wb.create_sheet("Sheet2")
        ws2["A1"] = "第二表"
    doc = read_xlsx(_xlsx_bytes(build))
    assert list(doc.check_spans()) == []
    paras = [(b.text, b.address) for b in doc.blocks if b.kind == PARAGRAPH]
    assert paras == [("标题 一", "'My Sheet'!B2"), ("填表说明：xxx", "'My Sheet'!B8")]
    assert doc.blocks[0].kind == PARAGRAPH and doc.blocks[-2].kind == PARAGRAPH
    by = {b.address: b for b in cells(doc)}
    b3 = by["'My Sheet'!B3"]
    assert (b3.row, b3.col, b3.text) == (1, 1, "9.00%")
    assert by["'My Sheet'!C3"].text == "1,234,567.89"
    assert by["'My Sheet'!D3"].text == "50%"
    assert by["'My Sheet'!B4"].text == "0.3"
    assert by["'My Sheet'!C4"].text == "12.50"
    assert by["'My Sheet'!D4"].text == "42"
    assert by["'My Sheet'!B5"].text == "2023年12月31日"
    assert by["'My Sheet'!C5"].text == "2024-06-04"
    assert by["'My Sheet'!D5"].text == "两行\n文本"
    assert by["'My Sheet'!B6"].text == "TRUE"
    c6 = by["'My Sheet'!C6"]
    assert (c6.row, c6.col, c6.rowspan, c6.colspan) == (4, 2, 2, 2)
    assert "'My Sheet'!D7" not in by
    assert by["Sheet2!A1"].text == "第二表" and by["Sheet2!A1"].table_no == 2
    assert len(doc.tables()) == 2


def test_number_formats():
    assert format_number(0.0900000762939453, "0.00%") == "9.00%"
    assert format_number(0.0900000762939453, "0.00") == "0.09"
    assert format_number(-1234.5, "#,##0.00_);(#,##0.00)") == "(1,234.50)"
    assert format_number(2.675, "0.00") == "2.68"
    assert format_number(25656.78, '#,##0.00"万元"') == "25,656.78万元"
    assert format_number(12345.678, "0.00E+00") == "1.23E+04"
    assert format_number(1e-05, "General") == "0.00001"


def test_xlsx_corrupt():
    data = bytearray(_xlsx_bytes(lambda wb: wb.active.append(["数据"] * 50)))
    zf = zipfile.ZipFile(io.BytesIO(bytes(data)))
    info = zf.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for k in range(start + 5, start + min(info.compress_size, 60)):
        data[k] ^= 0x5A
    with pytest.raises(ReaderError, match=r"corrupt or truncated \.xlsx"):
        read_xlsx(bytes(data))
    with pytest.raises(ReaderError, match=r"corrupt or truncated \.xlsx"):
        read_xlsx(b"PK\x03\x04" + b"\x00" * 100)


# ---------------------------------------------------------------------------------------
# html
# ---------------------------------------------------------------------------------------

def test_html_seed_values():
    doc = sample("seed000.html")
    c = find_cell(doc, "108389人次")
    assert (c.table_no, c.row, c.col) == (2, 13, 5)
    assert find_cell(doc, "产出指标\n(50 分)").rowspan == 15
    assert find_cell(doc, "楼堂馆所控制情况\n(2023年完工项目)")
    heads = [(b.level, b.text) for b in doc.blocks if b.kind == HEADING]
    assert (2, "1、 单位基本情况") in heads and (3, "（一）职能职责") in heads
    # white-space:pre-wrap from the page's <style> keeps the signature line's spacing
    assert any(b.text.startswith("单位负责人签字：           填表人") for b in doc.blocks)
    doc4 = sample("seed004.html")
    duty = [b for b in cells(doc4) if b.text.startswith("1、贯彻执行")][0]
    assert duty.text.count("\n") >= 10 and duty.colspan == 5  # <p> paragraphs -> lines


def test_html_grid_no_table_and_encoding():
    page = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
    <title>标题</title><style>p{color:red}</style><script>var x = "<td>no</td>";</script></head>
    <body><h1>一级 标题</h1><p>第一段
       文字&nbsp;&nbsp;两个空格</p><div>外层<span>内联</span><br>第二行</div>
    <table><tr><td rowspan="2">A</td><td colspan="2">B</td></tr>
    <tr><td>C<br>D</td><td><p>E1</p><p>E2</p></td></tr>
    <tr><td>F\tG</td><td rowspan="5">H</td><td></td></tr></table><p>表后</p></body></html>"""
    doc = read_html(page.encode("gb18030"))
    assert list(doc.check_spans()) == []
    non_cells = [(b.kind, b.text) for b in doc.blocks if b.kind != CELL]
    assert non_cells == [(HEADING, "一级 标题"), (PARAGRAPH, "第一段 文字  两个空格"),
                         (PARAGRAPH, "外层内联\n第二行"), (PARAGRAPH, "表后")]
    by = {(c.row, c.col): c for c in cells(doc)}
    assert (by[(1, 1)].text, by[(1, 1)].rowspan) == ("A", 2)
    assert (by[(1, 2)].text, by[(1, 2)].colspan) == ("B", 2)
    assert by[(2, 2)].text == "C\nD" and by[(2, 3)].text == "E1\nE2"  # pushed right by A
    assert by[(3, 1)].text == "F G"
    assert (by[(3, 2)].text, by[(3, 2)].rowspan) == ("H", 1)  # clamped to the table
    assert by[(3, 3)].text == ""
    # no table at all, undeclared GB18030 text
    doc = read_html("<html><body><p>只有段落</p><p>第二段</p></body></html>".encode("gb18030"))
    assert [b.text for b in doc.blocks] == ["只有段落", "第二段"] and not doc.tables()


def test_html_layout_table_is_flow():
    page = ("<html><body><table><tr><td><p>说明文字</p>"
            "<table><tr><td>指标</td><td>值</td></tr></table></td></tr></table></body></html>")
    doc = read_html(page.encode())
    assert [b.text for b in doc.blocks if b.kind == PARAGRAPH] == ["说明文字"]
    assert [(c.row, c.col, c.text) for c in cells(doc)] == [(1, 1, "指标"), (1, 2, "值")]


def _grid_ops(xs, ys, skip_h=()):
    """Ruling lines of a table: xs left to right, ys top to bottom (PDF y, bottom-up).
    ``skip_h``: (y, x_from, x_to) pieces of horizontal lines to leave out (merges)."""
    ops = ["0.5 w"]
    for y in ys:
        segs = [(xs[0], xs[-1])]
        for sy, a, b in skip_h:
            if sy == y:
                segs = [(b, xs[-1])] if a == xs[0] else [(xs[0], a)]
        for a, b in segs:
            ops.append(f"{a} {y} m {b} {y} l S")
    for x in xs:
        ops.append(f"{x} {ys[0]} m {x} {ys[-1]} l S")
    return "\n".join(ops).encode() + b"\n"


def test_pdf_table_continued_on_next_page():
    xs = [72, 200, 400]
    # page 1: header + two rows at the bottom; column 1 of the two rows is one merged cell
    ys1 = [200, 170, 140, 110]
    p1 = _grid_ops(xs, ys1, skip_h=[(140, 72, 200)]) + text_ops(
        [(300, 800, "Title"), (80, 180, "Group"), (210, 180, "Value"), (80, 140, "G1"),
         (210, 150, "a1"), (210, 120, "a2")], size=10)
    # page 2: the header row repeated, then two rows; the merged label is not printed again
    ys2 = [770, 740, 710, 680]
    p2 = _grid_ops(xs, ys2, skip_h=[(710, 72, 200)]) + text_ops(
        [(80, 750, "Group"), (210, 750, "Value"), (210, 720, "a3"), (210, 690, "a4")], size=10)
    doc = read_pdf(make_pdf([p1, p2]))
    assert list(doc.check_spans()) == []
    (t,) = doc.tables()
    got = [(c.row, c.col, c.rowspan, c.colspan, c.text, c.page) for c in t.cells]
    assert got == [(1, 1, 1, 1, "Group", 1), (1, 2, 1, 1, "Value", 1),
                   (2, 1, 4, 1, "G1", 1), (2, 2, 1, 1, "a1", 1), (3, 2, 1, 1, "a2", 1),
                   (4, 2, 1, 1, "a3", 2), (5, 2, 1, 1, "a4", 2)]
    assert any("repeated header" in w for w in doc.warnings)
    assert [b.text for b in doc.blocks if b.kind == PARAGRAPH] == ["Title"]


def test_docx_grid_before():
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def build(d):
        t = d.add_table(rows=2, cols=3)
        for k, s in enumerate(["A", "B", "C"]):
            t.cell(0, k).text = s
        t.cell(1, 1).text = "E"
        t.cell(1, 2).text = "F"
        tr = t.rows[1]._tr
        tr.remove(tr.tc_lst[0])  # the row starts one grid column in
        gb = OxmlElement("w:gridBefore")
        gb.set(qn("w:val"), "1")
        tr.get_or_add_trPr().append(gb)
    doc = read_docx(_docx_bytes(build))
    got = [(c.row, c.col, c.text) for c in cells(doc)]
    assert got == [(1, 1, "A"), (1, 2, "B"), (1, 3, "C"), (2, 2, "E"), (2, 3, "F")]


# ---------------------------------------------------------------------------------------
# decoding, entity bombs, formulas never calculated
# ---------------------------------------------------------------------------------------

def test_html_declaring_latin1_but_holding_utf8_gives_its_24_indicators():
    """seed004.html with its <meta charset="UTF-8"> changed to iso-8859-1 (a CMS template
    that never updated the header): read as Latin-1 it is mojibake, and 0 indicators."""
    from pipeline.process import process_file
    path = SAMPLES / "seed004.html"
    if not path.exists():
        pytest.skip(f"{path} is not available")
    good = path.read_bytes()
    assert good.count(b'<meta charset="UTF-8">') == 1
    bad = good.replace(b'<meta charset="UTF-8">', b'<meta charset="iso-8859-1">')
    rec = process_file(bad, "seed004.html")
    want = process_file(good, "seed004.html")
    assert len(rec["indicators"]) == len(want["indicators"]) == 24
    strip = lambda rows: [{k: v for k, v in r.items() if k not in ("doc_id",) and not k.endswith(("_id", "_block"))} for r in rows]  # noqa: E731
    assert strip(rec["indicators"]) == strip(want["indicators"])
    assert any("declares iso8859-1 but holds UTF-8" in w for w in rec["documents"][0]["warnings"])
    # a page that really is GBK and says so is still read as GBK
    gbk = good.decode("utf-8").replace('charset="UTF-8"', 'charset="gbk"').encode("gb18030")
    assert read_html(gbk).text == read_html(good).text


def test_utf8_bom_before_gb18030_bytes_is_read_as_gb18030():
    text = seed_text("000")
    doc = read_document(b"\xef\xbb\xbf" + text.encode("gb18030"))
    assert doc.text == text and doc.warnings == ["decoded as gb18030"]
    with pytest.raises(ReaderError) as e:
        read_document(b"\xef\xbb\xbf" + bytes(range(128, 256)) * 4)
    assert "byte-order mark" in str(e.value)


@pytest.mark.parametrize("enc", ["utf-16-le", "utf-16-be"])
def test_utf16_text_without_bom_is_read(enc):
    """Windows 'Unicode' text saved without a BOM: its NUL bytes are the high bytes of the
    TABs, newlines and digits, all at odd (LE) or even (BE) offsets."""
    text = seed_text("000")
    doc = read_document(text.encode(enc))
    assert doc.text == text and doc.warnings == [f"decoded as {enc}"]
    assert doc.layout == "tab_cells"
    with pytest.raises(ReaderError, match="binary content"):
        read_document(b"\x00\x00" + text.encode(enc))  # a NUL character is no text


def test_xml_entity_bomb_is_refused_with_its_name():
    data = (SAMPLES / "seed000.docx")
    if not data.exists():
        pytest.skip("seed000.docx not available")
    zin = zipfile.ZipFile(io.BytesIO(data.read_bytes()))
    lol = b"".join(b'<!ENTITY e%d "%s">' % (i, (b"&e%d;" % (i - 1)) * 10 if i else b"ha")
                   for i in range(10))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for n in zin.namelist():
            b = zin.read(n)
            if n == "word/document.xml":
                end = b.find(b"?>") + 2
                b = b[:end] + b"<!DOCTYPE x [" + lol + b"]>" + b[end:].replace(b"<w:t>", b"<w:t>&e9;", 1)
            zout.writestr(n, b)
    with pytest.raises(ReaderError) as e:
        read_docx(out.getvalue())
    assert "billion laughs" in str(e.value)


def _uncalculated_workbook() -> bytes:
    """openpyxl (like most programs that write workbooks) stores formulas without their
    results: the cells have nothing to show until Excel or LibreOffice computes them."""
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "附件2"
    ws.append(["项目", "预算数", "执行数", "执行率"])
    ws.append(["年度资金总额", 1988.88, 1900, "=C2/B2"])
    ws.append(["合计", "=SUM(B2:B2)", "=SUM(C2:C2)", None])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_xlsx_formulas_without_cached_values_are_computed_by_libreoffice():
    from extractors.readers import legacy
    if legacy.soffice_path() is None:
        pytest.skip("LibreOffice is not installed (.ci/run installs it)")
    doc = read_xlsx(_uncalculated_workbook())
    shown = {b.address: b.text for b in doc.blocks}
    assert (shown["附件2!B3"], shown["附件2!C3"]) == ("1988.88", "1900")
    assert shown["附件2!D2"].startswith("0.9553")  # 1900 / 1988.88
    assert re.fullmatch(r"3 formula cell\(s\) had no calculated value: computed by LibreOffice "
                        r"\d+\.\d+ \(the workbook converted to \.xlsx and read again\)", doc.warnings[0])
    assert "(D2, B3, C3)" in doc.warnings[1]


def test_xlsx_formulas_without_cached_values_are_named(monkeypatch):
    from extractors.readers import legacy
    monkeypatch.setattr(legacy, "soffice_path", lambda: None)  # LibreOffice not installed
    doc = read_xlsx(_uncalculated_workbook())
    assert [b.text for b in doc.blocks if b.address == "附件2!B2"] == ["1988.88"]
    assert not [b for b in doc.blocks if b.address in ("附件2!D2", "附件2!B3", "附件2!C3")]
    (w,) = doc.warnings
    assert "3 formula cell(s) have no calculated value (D2, B3, C3)" in w
    assert "open and save it in Excel or LibreOffice" in w
    # a workbook of nothing but such formulas cannot be read at all: the error says why
    import openpyxl
    wb = openpyxl.Workbook()
    wb.active["A1"] = "=1+1"
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(ReaderError) as e:
        read_xlsx(buf.getvalue())
    assert "(A1)" in str(e.value) and "LibreOffice" in str(e.value)
