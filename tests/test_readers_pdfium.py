"""The PDF reader on PDFium (``readers.pdf_pdfium``, ``readers.pdf_edges``) gives the
Document pdfminer alone gives: every block (text, kind, grid position, page, box), the
warnings and the text, on the sample PDFs and on hand-built ones; pages PDFium may not
give completely (runs of spaces its text page leaves out) are read by pdfminer."""
from __future__ import annotations

import logging
from pathlib import Path

import pytest

from extractors.model import ReaderError
from extractors.readers import pdf as pdf_mod
from extractors.readers.pdf import read_pdf

from .test_readers_formats import _grid_ops, make_pdf, text_ops

SHARED = Path(__file__).resolve().parents[2] / "shared"
PDFS = [SHARED / "samples" / "seed000.pdf", SHARED / "samples" / "seed004.pdf",
        SHARED / "samples-dev" / "r021.pdf", SHARED / "samples-dev" / "r031.pdf"]
LOG = "extractors.readers.pdf_pdfium"


def pdfminer_only(data: bytes, monkeypatch):
    """The reader as before PDFium: every page through pdfminer."""
    with monkeypatch.context() as m:
        m.setattr(pdf_mod, "_pdfium", lambda data, pdf: None)
        return read_pdf(data)


def fields(doc) -> list[tuple]:
    return [(b.kind, b.text, b.page, b.table_no, b.row, b.col, b.rowspan, b.colspan,
             b.x0, b.top, b.x1, b.bottom) for b in doc.blocks]


def by_pdfminer(caplog) -> list[int]:
    """Pages the last read gave to pdfminer (from the reader's debug log)."""
    return [int(r.getMessage().split()[1]) for r in caplog.records
            if r.name == LOG and "read with pdfminer" in r.getMessage()]


@pytest.fixture
def debug_log(caplog):
    caplog.set_level(logging.DEBUG, logger=LOG)
    return caplog


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.name)
def test_same_document_as_pdfminer_on_the_sample_pdfs(path, monkeypatch, debug_log):
    if not path.exists():
        pytest.skip(f"{path} is not available")
    data = path.read_bytes()
    old = pdfminer_only(data, monkeypatch)
    debug_log.clear()
    new = read_pdf(data)
    assert fields(new) == fields(old)
    assert new.warnings == old.warnings and new.text == old.text and new.n_pages == old.n_pages
    assert list(new.check_spans()) == []
    fallback = by_pdfminer(debug_log)
    # which pages PDFium reads (the others have runs of spaces or blank text objects)
    expect = {"seed000.pdf": list(range(2, 12)), "seed004.pdf": [1, 2],
              "r021.pdf": [], "r031.pdf": []}[path.name]
    assert fallback == expect


def test_seed000_page1_values_through_pdfium(debug_log):
    """附件1 (基础数据表, page 1 of seed000.pdf) is read by PDFium: its money cells and
    merged labels, with pdfplumber's grid and boxes."""
    path = PDFS[0]
    if not path.exists():
        pytest.skip(f"{path} is not available")
    doc = read_pdf(path.read_bytes())
    assert 1 not in by_pdfminer(debug_log)
    t = doc.tables()[0]
    got = {c.text: (c.row, c.col, c.rowspan, c.colspan, c.page, c.x0, c.top, c.x1, c.bottom)
           for c in t.cells if c.text}
    # 项目支出： | 2385.39 | 258.59 | 1125.71 (万元: 2022 决算, 2023 预算, 2023 决算)
    assert got["项目支出："] == (11, 1, 1, 1, 1, 62.4, 285.95, 209.8, 299.35)
    assert got["2385.39"] == (11, 2, 1, 2, 1, 209.8, 285.95, 317.5, 299.35)
    assert got["1125.71"] == (11, 6, 1, 2, 1, 425.2, 285.95, 532.9, 299.35)
    # 财政供养人员情况(人) spans the 编制数 row and the 43 / 35 / 81.40% row
    assert got["财政供养人员情况(人)"] == (2, 1, 2, 1, 1, 62.4, 167.45, 209.8, 191.75)
    assert got["81.40%"][:4] == (3, 6, 1, 2)
    assert got["楼堂馆所控制情况\n(2023年完工项目)"][:4] == (41, 1, 2, 1)
    assert (t.n_rows, t.n_cols) == (43, 7)


def test_handmade_pdfs_same_document(monkeypatch, debug_log):
    """Helvetica without a font descriptor (pdfminer's built-in metrics), page numbers,
    and a ruled table continued on the next page: PDFium reads every page."""
    body = [(72, 770, "Budget report"), (72, 740, "First paragraph line one that runs to the"),
            (72, 726, "margin and ends here.")]
    text = make_pdf([text_ops(body + [(280, 30, "- 1 -")]),
                     text_ops([(72, 770, "Second page text."), (285, 30, "2 / 2")])])
    xs = [72, 200, 400]
    p1 = _grid_ops(xs, [200, 170, 140, 110], skip_h=[(140, 72, 200)]) + text_ops(
        [(300, 800, "Title"), (80, 180, "Group"), (210, 180, "Value"), (80, 140, "G1"),
         (210, 150, "a1"), (210, 120, "a2")], size=10)
    p2 = _grid_ops(xs, [770, 740, 710, 680], skip_h=[(710, 72, 200)]) + text_ops(
        [(80, 750, "Group"), (210, 750, "Value"), (210, 720, "a3"), (210, 690, "a4")], size=10)
    table = make_pdf([p1, p2])
    for data in (text, table):
        old = pdfminer_only(data, monkeypatch)
        debug_log.clear()
        new = read_pdf(data)
        assert by_pdfminer(debug_log) == []
        assert fields(new) == fields(old) and new.warnings == old.warnings
    assert [(c.row, c.col, c.rowspan, c.text, c.page) for c in new.tables()[0].cells][:3] == \
        [(1, 1, 1, "Group", 1), (1, 2, 1, "Value", 1), (2, 1, 4, "G1", 1)]


def test_run_of_spaces_is_read_by_pdfminer(monkeypatch, debug_log):
    """PDFium's text page keeps one space of ``(Name:    Li)``: the page goes to pdfminer,
    and the four spaces stay (refused: the PDFium reading of this page is not used)."""
    data = make_pdf([text_ops([(72, 770, "Name:    Li Jingyun")])])
    doc = read_pdf(data)
    assert by_pdfminer(debug_log) == [1]
    assert [b.text for b in doc.blocks] == ["Name:    Li Jingyun"]
    assert fields(doc) == fields(pdfminer_only(data, monkeypatch))


def test_file_pdfium_cannot_open_falls_back(monkeypatch):
    from extractors.readers import pdf_pdfium

    def refuse(self, data, plumber):
        raise RuntimeError("Failed to load document (PDFium: Data format error)")
    monkeypatch.setattr(pdf_pdfium.PdfiumPages, "__init__", refuse)
    data = make_pdf([text_ops([(72, 770, "Budget report")])])
    assert [b.text for b in read_pdf(data).blocks] == ["Budget report"]


def test_refusals_keep_their_messages(debug_log):
    with pytest.raises(ReaderError, match=r"^encrypted PDF: "):
        read_pdf(make_pdf([text_ops([(72, 770, "secret")])], encrypt=True))
    # a page without characters is pdfminer's to judge (no text layer, or its error)
    debug_log.clear()
    with pytest.raises(ReaderError, match=r"^no text layer: OCR is not supported"):
        read_pdf(make_pdf([b"q 0.5 g 50 50 495 742 re f Q"]))
    assert by_pdfminer(debug_log) == [1]
    with pytest.raises(ReaderError, match=r"corrupt or truncated PDF"):
        read_pdf(b"%PDF-1.4\n" + b"\x00garbage" * 10)


def test_actual_text_is_read_by_pdfminer(monkeypatch, debug_log):
    """A span marked with /ActualText: PDFium's text page gives the ActualText, pdfminer
    the glyphs; the page goes to pdfminer, which gives the glyphs as before."""
    ops = b"/Span << /ActualText (Fifty) >> BDC BT /F1 12 Tf 72 700 Td (50) Tj ET EMC"
    data = make_pdf([ops])
    doc = read_pdf(data)
    assert by_pdfminer(debug_log) == [1]
    assert [b.text for b in doc.blocks] == ["50"]
    assert fields(doc) == fields(pdfminer_only(data, monkeypatch))


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.name)
def test_edges_are_pdfplumbers(path):
    """The ruling lines PDFium's path objects give are pdfplumber's ``page.edges``, value
    for value and in the same order, on every page (the table finder's only input)."""
    import io

    import pdfplumber
    import pypdfium2 as pdfium

    from extractors.readers.pdf_edges import page_edges, page_paths
    if not path.exists():
        pytest.skip(f"{path} is not available")
    data = path.read_bytes()
    keys = ("x0", "x1", "top", "bottom", "width", "height", "orientation", "object_type")
    with pdfplumber.open(io.BytesIO(data)) as pl:
        doc = pdfium.PdfDocument(data)
        for i, page in enumerate(pl.pages):
            pg = doc[i]
            new = page_edges(page_paths(pg.raw), float(page.height))
            assert [tuple(e[k] for k in keys) for e in new] == \
                [tuple(e[k] for k in keys) for e in page.edges], f"page {i + 1}"
            pg.close()
        doc.close()


def test_r021_chars_are_pdfminers():
    """r021.pdf (one page, read by PDFium): every character PDFium gives is pdfminer's --
    text, and the box to 2e-4 pt (pdfminer computes in double from the stream's decimals,
    PDFium in single precision, rounded to 1e-4)."""
    import io

    import pdfplumber
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    from extractors.readers.pdf_lines import fast_chars
    from extractors.readers.pdf_pdfium import descents, page_chars
    path = PDFS[2]
    if not path.exists():
        pytest.skip(f"{path} is not available")
    data = path.read_bytes()
    with pdfplumber.open(io.BytesIO(data)) as pl:
        page = pl.pages[0]
        doc = pdfium.PdfDocument(data)
        pg = doc[0]
        tp = pdfium_c.FPDFText_LoadPage(pg.raw)
        new = page_chars(pg.raw, tp, float(page.height), descents(page))
        pdfium_c.FPDFText_ClosePage(tp)
        pg.close()
        doc.close()
        fast_chars(page)
        old = [c for c in page.chars if c["text"]]
    assert len(new) == len(old) == 716

    def key(c):
        return (round(c["top"], 1), round(c["x0"], 1), c["text"])
    for a, b in zip(sorted(old, key=key), sorted(new, key=key)):
        assert a["text"] == b["text"]
        for k in ("x0", "x1", "top", "bottom", "size"):
            assert abs(a[k] - b[k]) <= 2e-4, (a, b)
    # 项目名称, the first label of r021's form: four 9.606 pt characters side by side
    text = "".join(c["text"] for c in new)
    at = text.index("项目名称")
    got = [(c["text"], c["x0"], c["x1"], round(c["top"], 4), round(c["bottom"], 4),
            round(c["size"], 4))
           for c in new[at:at + 2]]
    assert got == [("项", 51.513, 61.119, 98.1839, 107.7899, 9.606),
                   ("目", 61.119, 70.725, 98.1839, 107.7899, 9.606)]


def test_a_page_with_a_damaged_font_stream_is_read_by_pdfminer_with_its_warning(monkeypatch, debug_log):
    """r021.pdf's embedded Type1 font (its largest stream) with 16 bytes zeroed: pdfminer
    warns of data loss; PDFium would map the page's glyphs without a sign.  The page goes to
    pdfminer, so the Document and its warning are the ones the reader gave before PDFium."""
    import io
    import re

    import pdfplumber

    from extractors.readers.pdf_streams import decodes_cleanly
    path = PDFS[2]
    if not path.exists():
        pytest.skip(f"{path} is not present")
    data = path.read_bytes()
    spans = []
    for m in re.finditer(rb"stream\r?\n", data):
        end = data.find(b"endstream", m.end())
        if end > 0 and not data[:m.start()].endswith(b"end"):
            spans.append((m.end(), end))
    start, end = max(spans, key=lambda s: s[1] - s[0])
    assert b"/Length1" in data[start - 120:start]        # the embedded font file
    mid = (start + end) // 2
    damaged = data[:mid] + b"\0" * 16 + data[mid + 16:]
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert decodes_cleanly(pdf.pages[0])
    with pdfplumber.open(io.BytesIO(damaged)) as pdf:
        assert not decodes_cleanly(pdf.pages[0])
    intact = read_pdf(data)
    assert by_pdfminer(debug_log) == []                  # the intact page is PDFium's
    debug_log.clear()
    doc = read_pdf(damaged)
    assert by_pdfminer(debug_log) == [1]
    before = pdfminer_only(damaged, monkeypatch)
    assert fields(doc) == fields(before) and doc.warnings == before.warnings
    assert any(w.startswith("pdfminer reported") and "missing or garbled" in w for w in doc.warnings)
    assert not any("pdfminer reported" in w for w in intact.warnings)
