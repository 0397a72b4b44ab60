"""PDF reader (pdfplumber / pdfminer.six).

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

import bisect
import io
import logging
import re
from collections import Counter
from dataclasses import dataclass, field

from ..model import Document, ReaderError, TextBuilder
from ._common import cell_text, is_cjk, para_text

MAX_PDF_PAGES = 2000
MARGIN_ZONE = 0.10  # top/bottom share of the page where headers/footers live
EDGE_TOL = 2.0  # pt: x/y edges closer than this are the same grid line
WORD_GAP = 3.0  # pt: a gap wider than this is a space in paragraph text (pdfplumber's x_tolerance)

_PAGE_NO = re.compile(
    r"^[\s\-—–―‒~·•_=]*(?:第\s*\d{1,4}\s*页(?:\s*[,，/、]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}|(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?|\d{1,4})"
    r"[\s\-—–―‒~·•_=]*$", re.I)


# ------------------------------------------------------------------------------------
# lines of characters
# ------------------------------------------------------------------------------------

@dataclass
class Line:
    chars: list
    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    text: str = ""

    @property
    def height(self) -> float:
        return self.bottom - self.top


def _group_lines(chars: list) -> list[list]:
    """Group characters into lines by vertical overlap; lines top to bottom."""
    lines: list[list] = []
    bounds: list[list[float]] = []  # [top, bottom] per line
    for ch in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        mid = (ch["top"] + ch["bottom"]) / 2
        placed = False
        # only the last few lines can hold this char (sorted by top)
        for k in range(len(lines) - 1, max(len(lines) - 4, -1), -1):
            top, bottom = bounds[k]
            if top - 0.5 <= mid <= bottom + 0.5:
                lines[k].append(ch)
                bounds[k][0] = min(top, ch["top"])
                bounds[k][1] = max(bottom, ch["bottom"])
                placed = True
                break
        if not placed:
            lines.append([ch])
            bounds.append([ch["top"], ch["bottom"]])
    for ln in lines:
        ln.sort(key=lambda c: c["x0"])
    order = sorted(range(len(lines)), key=lambda k: bounds[k][0])
    return [lines[k] for k in order]


def _dedupe(chars: list) -> list:
    """Drop a char drawn again at (almost) the same place (fake bold, shadows).

    Like pdfplumber's ``dedupe_chars`` (1 pt tolerance, same text), in linear time."""
    seen: set[tuple[str, int, int]] = set()
    out = []
    for ch in chars:
        x, y, t = round(ch["x0"]), round(ch["top"]), ch["text"]
        if t.strip() and any((t, x + dx, y + dy) in seen for dx in (-1, 0, 1) for dy in (-1, 0, 1)):
            continue
        seen.add((t, x, y))
        out.append(ch)
    return out


def _latin(ch: str) -> bool:
    return bool(ch) and ch.isascii() and ch.isalnum()


def _line_text(chars: list, infer_gap: float | None) -> str:
    """Text of one line of chars sorted left to right.

    ``infer_gap``: write a space for a gap wider than this (paragraphs); ``None``: only
    between two Latin letters/digits separated by more than a quarter of the font size
    (cells).
    """
    out: list[str] = []
    prev = None
    for ch in chars:
        t = ch["text"]
        if prev is not None and t != " " and prev["text"] != " ":
            gap = ch["x0"] - prev["x1"]
            if infer_gap is not None:
                if gap > infer_gap:
                    out.append(" ")
            elif gap > 0.25 * (ch.get("size") or 10) and _latin(prev["text"][-1:]) and _latin(t[:1]):
                out.append(" ")
        out.append(t)
        prev = ch
    return "".join(out)


def _make_line(chars: list, page: int) -> Line:
    sizes = Counter(round(c.get("size") or 0, 1) for c in chars if c["text"].strip())
    size = sizes.most_common(1)[0][0] if sizes else round(chars[0].get("size") or 0, 1)
    ln = Line(chars=chars, page=page, top=min(c["top"] for c in chars),
              bottom=max(c["bottom"] for c in chars), x0=min(c["x0"] for c in chars),
              x1=max(c["x1"] for c in chars), size=size or 10.0)
    ln.text = _line_text(chars, WORD_GAP).replace("\t", " ")
    # ignore space characters at the ends for geometry
    vis = [c for c in chars if c["text"].strip()]
    if vis:
        ln.x0, ln.x1 = vis[0]["x0"], vis[-1]["x1"]
    ln.chars = []  # the text is built: keep memory flat on long PDFs
    return ln


# ------------------------------------------------------------------------------------
# tables
# ------------------------------------------------------------------------------------

def _cluster(values: list[float], tol: float = EDGE_TOL) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= tol:
            continue
        out.append(v)
    return out


def _nearest(edges: list[float], v: float) -> int:
    i = bisect.bisect_left(edges, v)
    if i == 0:
        return 0
    if i == len(edges):
        return len(edges) - 1
    return i if edges[i] - v < v - edges[i - 1] else i - 1


@dataclass
class Cell:
    bbox: tuple
    r0: int
    r1: int
    c0: int
    c1: int
    chars: list = field(default_factory=list)
    text: str = ""
    rowspan_extra: int = 0
    dropped: bool = False


@dataclass
class Chunk:
    """The part of a table on one page."""
    page: int
    bbox: tuple
    xs: list[float]
    ys: list[float]
    cells: list[Cell]

    @property
    def n_rows(self) -> int:
        return len(self.ys) - 1


def _make_chunk(page_no: int, table) -> Chunk | None:
    boxes = [tuple(c) for c in table.cells if c]
    if len(boxes) < 2:  # a frame around text (page border, boxed note) is not a table
        return None
    xs = _cluster([b[0] for b in boxes] + [b[2] for b in boxes])
    ys = _cluster([b[1] for b in boxes] + [b[3] for b in boxes])
    cells = []
    claimed: set[tuple[int, int]] = set()
    for b in sorted(boxes, key=lambda b: (b[1], b[0])):
        c0, c1 = _nearest(xs, b[0]), _nearest(xs, b[2])
        r0, r1 = _nearest(ys, b[1]), _nearest(ys, b[3])
        if c1 <= c0 or r1 <= r0:
            continue
        area = {(r, c) for r in range(r0, r1) for c in range(c0, c1)}
        if area & claimed:  # overlapping boxes: keep one block per grid position
            continue
        claimed |= area
        cells.append(Cell(bbox=b, r0=r0, r1=r1, c0=c0, c1=c1))
    cells.sort(key=lambda c: (c.r0, c.c0))
    if not cells:
        return None
    return Chunk(page=page_no, bbox=tuple(table.bbox), xs=xs, ys=ys, cells=cells)


def _assign_chars(chunk: Chunk, chars: list) -> list:
    """Give each char to the cell holding its centre; return chars in no cell."""
    grid: dict[tuple[int, int], Cell] = {}
    for cell in chunk.cells:
        for r in range(cell.r0, cell.r1):
            for c in range(cell.c0, cell.c1):
                grid[(r, c)] = cell
    x0, top, x1, bottom = chunk.bbox
    rest = []
    for ch in chars:
        cx = (ch["x0"] + ch["x1"]) / 2
        cy = (ch["top"] + ch["bottom"]) / 2
        if not (x0 - 0.5 <= cx <= x1 + 0.5 and top - 0.5 <= cy <= bottom + 0.5):
            rest.append(ch)
            continue
        c = min(max(bisect.bisect_right(chunk.xs, cx) - 1, 0), len(chunk.xs) - 2)
        r = min(max(bisect.bisect_right(chunk.ys, cy) - 1, 0), len(chunk.ys) - 2)
        cell = grid.get((r, c))
        if cell is None:
            rest.append(ch)
        else:
            cell.chars.append(ch)
    for cell in chunk.cells:
        lines = [_line_text(ln, None).rstrip(" ") for ln in _group_lines(cell.chars)]
        cell.text = cell_text("\n".join(lines))
        cell.chars = []
    return rest


def _compatible(a: Chunk, b: Chunk) -> bool:
    """Can chunk ``b`` (top of the next page) continue chunk ``a``?"""
    if abs(a.bbox[0] - b.bbox[0]) > 3 or abs(a.bbox[2] - b.bbox[2]) > 3:
        return False
    small, big = (a.xs, b.xs) if len(a.xs) <= len(b.xs) else (b.xs, a.xs)
    hits = sum(1 for x in small if abs(big[_nearest(big, x)] - x) <= 3)
    return hits >= 0.8 * len(small)


def _row_signature(chunk: Chunk, r: int, xs: list[float]) -> tuple:
    """A row's cells as (first column, end column, text) in the joined table's columns."""
    return tuple((_nearest(xs, chunk.xs[c.c0]), _nearest(xs, chunk.xs[c.c1]),
                  re.sub(r"\s+", "", c.text)) for c in chunk.cells if c.r0 == r)


def _join(chunks: list[Chunk], warnings: list[str], table_label: str):
    """Cells of a table spanning ``chunks``, as (row, col, rowspan, colspan, Cell, page)."""
    xs = _cluster([x for ch in chunks for x in ch.xs])
    first = chunks[0]
    out = []
    row_offset = 0
    prev_bottom_cells: dict[tuple[int, int], tuple] = {}
    for k, ch in enumerate(chunks):
        skip_rows = 0
        if k > 0:
            # repeated header rows
            for m in range(min(3, first.n_rows - 1, ch.n_rows - 1), 0, -1):
                sigs = [_row_signature(ch, r, xs) for r in range(m)]
                if any(any(t for _, _, t in s) for s in sigs) and \
                        all(_row_signature(first, r, xs) == sigs[r] for r in range(m)) and \
                        all(c.r1 <= m for c in ch.cells if c.r0 < m):
                    skip_rows = m
                    break
            if skip_rows:
                warnings.append(f"{table_label}: {skip_rows} repeated header row(s) on page "
                                f"{ch.page} dropped")
        this_bottom: dict[tuple[int, int], tuple] = {}
        for cell in ch.cells:
            if cell.r0 < skip_rows:
                continue
            c0 = _nearest(xs, ch.xs[cell.c0])
            c1 = _nearest(xs, ch.xs[cell.c1])
            if c1 <= c0:
                c1 = c0 + 1
            row = row_offset + cell.r0 - skip_rows + 1
            rowspan = cell.r1 - cell.r0
            if k > 0 and cell.r0 == skip_rows and not cell.text:
                above = prev_bottom_cells.get((c0, c1))
                if above is not None and (above[2] > 1 or rowspan > 1):
                    above[4].rowspan_extra += rowspan
                    cell.dropped = True
                    if cell.r1 == ch.n_rows:
                        this_bottom[(c0, c1)] = above
                    continue
            entry = [row, c0 + 1, rowspan, c1 - c0, cell, ch.page]
            out.append(entry)
            if cell.r1 == ch.n_rows:
                this_bottom[(c0, c1)] = entry
        prev_bottom_cells = this_bottom
        row_offset += ch.n_rows - skip_rows
    out.sort(key=lambda e: (e[0], e[1]))
    return [(r, c, rs + cell.rowspan_extra, cs, cell, page) for r, c, rs, cs, cell, page in out]


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


class _PageData:
    def __init__(self, no: int, width: float, height: float) -> None:
        self.no = no
        self.width = width
        self.height = height
        self.chunks: list[Chunk] = []
        self.lines: list[Line] = []
        self.n_chars = 0


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


def read_pdf(data: bytes) -> Document:
    logger = logging.getLogger("pdfminer")
    problems = _Problems()
    logger.addHandler(problems)
    try:
        pdf = _open(data)
        try:
            doc = _read(pdf)
        except ReaderError as e:
            if problems.n and str(e).startswith("no text layer"):
                raise ReaderError(f"corrupt PDF: no text could be read ({problems.n} problem(s), "
                                  f"first: {problems.first}): re-download the file or print it "
                                  "to PDF again") from e
            raise
        finally:
            try:
                pdf.close()
            except Exception:  # pragma: no cover
                pass
    finally:
        logger.removeHandler(problems)
    if problems.n:
        doc.warnings.append(f"pdfminer reported {problems.n} problem(s) in the PDF's content "
                            f"(first: {problems.first}); some text may be missing or garbled")
    return doc


def _read(pdf) -> Document:
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

    pdata: list[_PageData] = []
    bad_pages: list[int] = []
    for no, page in enumerate(pages, start=1):
        pd = _PageData(no, float(page.width), float(page.height))
        pdata.append(pd)
        try:
            chars = _dedupe([c for c in page.chars if c.get("text")])
            pd.n_chars = sum(1 for c in chars if c["text"].strip())
            tables = page.find_tables() if pd.n_chars else []
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


def _in_margin(ln: Line, pd: _PageData) -> bool:
    return ln.bottom <= pd.height * MARGIN_ZONE or ln.top >= pd.height * (1 - MARGIN_ZONE)


def _drop_headers_footers(pdata: list[_PageData], warnings: list[str]) -> None:
    n_pageno = 0
    n_running = 0
    # running headers/footers: the same margin text (digits aside) on most pages
    counts: Counter = Counter()
    for pd in pdata:
        keys = {re.sub(r"\d+", "#", re.sub(r"\s+", "", ln.text)) for ln in pd.lines if _in_margin(ln, pd)}
        counts.update(keys)
    n_text_pages = sum(1 for pd in pdata if pd.lines)
    running = {k for k, n in counts.items() if k and n >= 3 and n >= 0.5 * n_text_pages}
    for pd in pdata:
        kept = []
        for ln in pd.lines:
            if _in_margin(ln, pd):
                if _PAGE_NO.match(ln.text):
                    n_pageno += 1
                    continue
                if re.sub(r"\d+", "#", re.sub(r"\s+", "", ln.text)) in running:
                    n_running += 1
                    continue
            kept.append(ln)
        pd.lines = kept
    if n_pageno:
        warnings.append(f"{n_pageno} page number line(s) in page headers/footers dropped")
    if n_running:
        warnings.append(f"{n_running} running header/footer line(s) dropped")


def _centred(ln: Line, left: float, right: float) -> bool:
    lm, rm = ln.x0 - left, right - ln.x1
    return lm > 0.5 * ln.size and abs(lm - rm) < max(ln.size, 0.03 * (right - left))


def _margins(pdata: list[_PageData]) -> dict[int, tuple[float, float]]:
    """Left/right edge of the text block per page: the extremes of the text lines of all
    pages of the same width (so a page with two short lines still knows its margins)."""
    groups: dict[int, list[Line]] = {}
    for pd in pdata:
        groups.setdefault(round(pd.width), []).extend(pd.lines)
    out = {}
    for pd in pdata:
        lines = groups.get(round(pd.width))
        if lines:
            out[pd.no] = (min(ln.x0 for ln in lines), max(ln.x1 for ln in lines))
    return out


def _paragraphs(lines: list[Line], margins: dict[int, tuple[float, float]]) -> list[list[Line]]:
    """Group consecutive lines (already in reading order) into paragraphs."""
    if not lines:
        return []
    paras: list[list[Line]] = [[lines[0]]]
    for prev, ln in zip(lines, lines[1:]):
        left, right = margins.get(ln.page, (ln.x0, ln.x1))
        pleft, pright = margins.get(prev.page, (prev.x0, prev.x1))
        size = max(ln.size, prev.size)
        new = False
        if abs(ln.size - prev.size) > 0.1 * size:
            new = True
        elif ln.page != prev.page:
            # a paragraph running over the page break: previous line full, this one flush left
            new = not (pright - prev.x1 < 2.5 * prev.size and ln.x0 - left < 0.5 * ln.size)
        else:
            gap = ln.top - prev.bottom
            if gap > 1.5 * size or gap < -0.5 * size:
                new = True
            elif _centred(prev, left, right) and _centred(ln, left, right) and \
                    abs((prev.x0 + prev.x1) - (ln.x0 + ln.x1)) < 4 * size:
                new = gap > 0.8 * size  # one centred title over several lines
            elif ln.x0 - left > 1.0 * ln.size:  # first-line indent (or a centred line)
                new = True
            elif right - prev.x1 > 2.5 * prev.size:  # previous line stops short
                new = True
        if new:
            paras.append([ln])
        else:
            paras[-1].append(ln)
    return paras


def _join_lines(lines: list[Line]) -> str:
    out = ""
    for ln in lines:
        t = ln.text.strip(" ")
        if out and t and _latin(out[-1]) and _latin(t[0]):
            out += " "
        elif out and t and not is_cjk(out[-1]) and not is_cjk(t[0]) and out[-1] in ",.;:!?)" :
            out += " "
        out += t
    return out
