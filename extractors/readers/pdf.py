"""PDF reader: PDFium (pypdfium2) for characters and ruling lines, pdfplumber's table
finder, pdfminer.six (through pdfplumber) for the page tree, the fonts' metrics and every
page PDFium cannot give as pdfminer would.

Which library reads a page: pdfplumber opens the file (its page tree gives each page's
boxes, its font dictionaries the descents pdfminer uses; no content stream is
interpreted); PDFium gives the page's characters (:mod:`.pdf_pdfium`) and painted paths
(:mod:`.pdf_edges`) in pdfplumber's coordinates, the same values pdfminer gives (to 1e-4
pt), at about half the CPU time.  A page PDFium may not give completely --
PDFium's text page leaves out runs of spaces, blank text objects and repeated (fake
bold) ones, which pdfminer keeps, and gives a marked span's /ActualText instead of its
glyphs --, a rotated page, vertical or skewed text, a glyph without a Unicode value, and
every page of a file PDFium cannot open are read by pdfminer, as before (logged at DEBUG
level on ``extractors.readers.pdf_pdfium``); the Document is the one pdfminer alone gives
either way, so nothing in it says which library read a page (``benchmarks/pdf_parity.py``
compares the two).  pdfminer's problems (the warning below) are those of the pages it
interprets.

What it produces (layout ``pdf_tables``, ``n_pages`` set):

* Ruled tables come from pdfplumber's table finder (``page.find_tables()``).  The grid
  of a table is rebuilt from the cell bounding boxes: the distinct x edges give the
  columns, the distinct y edges the rows, so a merged cell (for which pdfplumber leaves
  ``None`` at the covered positions) gets its ``rowspan``/``colspan`` from how many grid
  lines its box crosses.  Every cell box pdfplumber finds is one block (empty or not)
  with ``page`` (1-based) and its box ``x0, top, x1, bottom`` (pdfplumber coordinates).
  A "table" of a single cell (a frame around text, a page border) is read as text.
  Characters drawn twice at the same place (fake bold) are kept once.
* A table that continues on the next page is joined into one table: the continuation
  must be the first thing on page n+1 (page headers/footers aside), the table it
  continues the last thing on page n, and both must have the same left/right edges and
  mostly the same column edges (columns are the union of both).  Repeated header rows
  (the same cell texts and column spans as the first rows of the table) are dropped with
  a warning.  An empty cell in the first row of the continuation that sits under a
  merged cell ending page n (a label printed on the first page only) extends that cell's
  ``rowspan`` instead of producing a block; the block keeps its page-n position.
* Cell text: the cell's characters line by line, lines joined with ``'\\n'``.  Spaces
  are only those the PDF really contains (space characters; LibreOffice/Word write
  them), plus one between two Latin letters/digits set apart without one; the extra
  spacing LibreOffice puts between digits and CJK characters is not turned into spaces
  inside cells.  Trailing spaces at a wrapped line's end are dropped.
* Text outside tables: characters are grouped into lines (vertical overlap), lines
  into paragraphs (a new paragraph at a first-line indent, after a line that stops short
  of the right margin, at a change of font size, or at a large vertical gap; centred
  lines of one title stay together; a paragraph running over a page break is joined).
  Inside a line a space is written where the PDF has a space character or a gap wider
  than 3 pt (as pdfplumber's word extraction does, so ``863.17 万元`` keeps the space
  LibreOffice set).  Wrapped lines are joined without a break (with a space only between
  two Latin letters/digits).  Items are in reading order: top to bottom on each page.
* Page headers/footers: a line in the top or bottom 10% of the page that is a page
  number (``— 1 —``, ``- 2 -``, ``第 3 页``, ``第3页 共9页``, ``3/9``, ``Page 3``) or a line
  repeated in the margins of most pages is dropped; the warnings count them.
* Refused: encrypted PDFs that need a password (``encrypted PDF: ...``), PDFs without a
  text layer on any page (``no text layer: OCR is not supported``), PDFs of more than
  :data:`MAX_PDF_PAGES` pages, and files pdfminer cannot parse.  Pages without text
  among pages with text are reported in the warnings.
"""
from __future__ import annotations

import io
import logging

from ..model import Document, ReaderError, TextBuilder
from ._common import para_text
from .pdf_layout import (MARGIN_ZONE, _PAGE_NO, _drop_headers_footers, _join_lines,  # noqa: F401
                         _margins, _PageData, _paragraphs)
from .pdf_lines import WORD_GAP, Line, _dedupe, _group_lines, _make_line, fast_chars  # noqa: F401
from .pdf_edges import find_tables
from .pdf_tables import EDGE_TOL, Chunk, _assign_chars, _compatible, _join, _make_chunk  # noqa: F401

MAX_PDF_PAGES = 2000


# ------------------------------------------------------------------------------------
# the reader
# ------------------------------------------------------------------------------------

def _open(data: bytes):
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        return pdfplumber.open(io.BytesIO(data))
    except PdfminerException as e:
        inner = e.args[0] if e.args else e
        if isinstance(inner, PDFEncryptionError) or "encrypt" in type(inner).__name__.lower():
            raise ReaderError(f"encrypted PDF: {type(inner).__name__} {inner}".rstrip() +
                              ": it needs a password to open; ask the publisher for an "
                              "unprotected copy") from e
        raise ReaderError(f"corrupt or truncated PDF ({type(inner).__name__}: {inner}): "
                          "re-download the file or print it to PDF again") from e
    except Exception as e:
        raise ReaderError(f"corrupt or truncated PDF ({type(e).__name__}: {e}): "
                          "re-download the file or print it to PDF again") from e


def _declared_pages(pdf) -> int | None:
    from pdfminer.pdftypes import resolve1
    try:
        pages = resolve1(pdf.doc.catalog.get("Pages"))
        n = resolve1(pages.get("Count"))
        return int(n)
    except Exception:
        return None


class _Problems(logging.Handler):
    """Counts what pdfminer logs as warnings/errors while one file is read."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.n = 0
        self.first: str | None = None

    def emit(self, record: logging.LogRecord) -> None:
        self.n += 1
        if self.first is None:
            try:
                self.first = record.getMessage()[:200]
            except Exception:  # pragma: no cover
                self.first = "?"


def _pdfium(data: bytes, pdf):
    """PDFium's reading of the same bytes, or None (the file is read by pdfminer)."""
    from .pdf_pdfium import PdfiumPages
    try:
        pages = PdfiumPages(data, pdf)
    except Exception as e:  # PDFium cannot open what pdfminer opened
        logging.getLogger(__name__).debug("PDFium cannot open the file (%s): pdfminer reads it", e)
        return None
    return pages


def read_pdf(data: bytes) -> Document:
    logger = logging.getLogger("pdfminer")
    problems = _Problems()
    logger.addHandler(problems)
    try:
        pdf = _open(data)
        pdfium = None
        try:
            pdfium = _pdfium(data, pdf)
            doc = _read(pdf, pdfium)
        except ReaderError as e:
            if problems.n and str(e).startswith("no text layer"):
                raise ReaderError(f"corrupt PDF: no text could be read ({problems.n} problem(s), "
                                  f"first: {problems.first}): re-download the file or print it "
                                  "to PDF again") from e
            raise
        finally:
            try:
                pdf.close()
                if pdfium is not None:
                    pdfium.close()
            except Exception:  # pragma: no cover
                pass
    finally:
        logger.removeHandler(problems)
    if problems.n:
        doc.warnings.append(f"pdfminer reported {problems.n} problem(s) in the PDF's content "
                            f"(first: {problems.first}); some text may be missing or garbled")
    return doc


def _read(pdf, pdfium=None) -> Document:
    warnings: list[str] = []
    declared = _declared_pages(pdf)
    if declared is not None and declared > MAX_PDF_PAGES:
        raise ReaderError(f"PDF has {declared} pages (over the {MAX_PDF_PAGES}-page limit): "
                          "split it into smaller files")
    try:
        pages = pdf.pages
    except Exception as e:
        raise ReaderError(f"corrupt PDF page tree ({type(e).__name__}: {e}): re-download the "
                          "file or print it to PDF again") from e
    if len(pages) > MAX_PDF_PAGES:
        raise ReaderError(f"PDF has {len(pages)} pages (over the {MAX_PDF_PAGES}-page limit): "
                          "split it into smaller files")

    if pdfium is not None and len(pdfium) != len(pages):
        pdfium = None  # the two libraries disagree on the page tree: pdfminer reads all
    pdata: list[_PageData] = []
    bad_pages: list[int] = []
    for no, page in enumerate(pages, start=1):
        pd = _PageData(no, float(page.width), float(page.height))
        pdata.append(pd)
        try:
            got = pdfium.page(no - 1, page) if pdfium is not None else None
            if got is None:  # pdfminer reads the page
                fast_chars(page)
                chars = _dedupe([c for c in page.chars if c.get("text")])
            else:
                chars = _dedupe(got[0])
            pd.n_chars = sum(1 for c in chars if c["text"].strip())
            if not pd.n_chars:
                tables = []
            elif got is None:
                tables = page.find_tables()
            else:
                tables = find_tables(got[1], page.bbox)
        except Exception as e:
            bad_pages.append(no)
            warnings.append(f"page {no}: could not be read ({type(e).__name__}: {e}); its "
                            "content is missing")
            continue
        rest = chars
        for t in tables:
            chunk = _make_chunk(no, t)
            if chunk is None:
                continue
            rest = _assign_chars(chunk, rest)
            pd.chunks.append(chunk)
        pd.lines = [_make_line(ln, no) for ln in _group_lines(rest)]
        pd.lines = [ln for ln in pd.lines if ln.text.strip()]
        try:
            page.close()  # drop the page's cached objects: memory stays flat on long PDFs
        except Exception:  # pragma: no cover
            pass

    if not any(p.n_chars for p in pdata) and len(bad_pages) == len(pdata):
        raise ReaderError(f"corrupt PDF: no page could be read ({warnings[0] if warnings else ''}):"
                          " re-download the file or print it to PDF again")
    if not any(p.n_chars for p in pdata):
        raise ReaderError("no text layer: OCR is not supported (the PDF holds only images, "
                          "e.g. a scan); get the original document or a text PDF",
                          status="failed")
    empty = [p.no for p in pdata if not p.n_chars and p.no not in bad_pages]
    if empty:
        warnings.append(f"{len(empty)} page(s) without a text layer (scanned?), content "
                        f"missing: pages {_ranges(empty)}")

    _drop_headers_footers(pdata, warnings)

    # ---- reading order per page, then table joining across pages -------------------
    items: list[tuple[str, object]] = []  # ("table", [chunks]) | ("line", Line)
    last_table: list[Chunk] | None = None
    for pd in pdata:
        page_items: list[tuple[float, str, object]] = []
        for ch in pd.chunks:
            page_items.append((ch.bbox[1], "chunk", ch))
        for ln in pd.lines:
            page_items.append((ln.top, "line", ln))
        page_items.sort(key=lambda t: (t[0], 0 if t[1] == "chunk" else 1))
        for i, (_, kind, obj) in enumerate(page_items):
            if kind == "chunk":
                if i == 0 and last_table is not None and items and items[-1][1] is last_table \
                        and last_table[-1].page == pd.no - 1 and _compatible(last_table[-1], obj):
                    last_table.append(obj)
                else:
                    last_table = [obj]
                    items.append(("table", last_table))
            else:
                items.append(("line", obj))

    # ---- emit ------------------------------------------------------------------------
    margins = _margins(pdata)
    tb = TextBuilder()
    i = 0
    n_tables = 0
    while i < len(items):
        kind, obj = items[i]
        if kind == "table":
            n_tables += 1
            t = tb.start_table()
            for row, col, rs, cs, cell, page in _join(obj, warnings, f"table {t}"):
                x0, top, x1, bottom = (round(float(v), 2) for v in cell.bbox)
                tb.cell(t, row=row, col=col, text=cell.text, rowspan=rs, colspan=cs,
                        page=page, x0=x0, top=top, x1=x1, bottom=bottom)
            tb.end_table()
            i += 1
            continue
        run: list[Line] = []
        while i < len(items) and items[i][0] == "line":
            run.append(items[i][1])
            i += 1
        for para in _paragraphs(run, margins):
            text = para_text(_join_lines(para))
            if text.strip():
                first = para[0]
                same_page = [ln for ln in para if ln.page == first.page]
                tb.paragraph(text, page=first.page,
                             x0=round(min(ln.x0 for ln in same_page), 2),
                             top=round(first.top, 2),
                             x1=round(max(ln.x1 for ln in same_page), 2),
                             bottom=round(max(ln.bottom for ln in same_page), 2))
    return tb.build(format="pdf", layout="pdf_tables", n_pages=len(pages), warnings=warnings)


def _ranges(nums: list[int]) -> str:
    out, start, prev = [], None, None
    for n in nums:
        if start is None:
            start = prev = n
        elif n == prev + 1:
            prev = n
        else:
            out.append(f"{start}-{prev}" if prev != start else str(start))
            start = prev = n
    if start is not None:
        out.append(f"{start}-{prev}" if prev != start else str(start))
    return ", ".join(out)
