"""Build small Word / Excel / HTML forms in code for the form-layer tests.

A form is a title (or None) and rows of cells; a cell is a string or a tuple
``(text, colspan, rowspan)``.  Every builder lays the cells out on the same grid, with
real merges (gridSpan/vMerge in Word, merged ranges in Excel, colspan/rowspan in HTML),
and returns the bytes of the file.
"""
from __future__ import annotations

import html
import io

Cell = str | tuple


def _cell(c: Cell) -> tuple[str, int, int]:
    if isinstance(c, str):
        return c, 1, 1
    text, colspan, *rest = c
    return text, colspan, (rest[0] if rest else 1)


def _layout(rows: list[list[Cell]]) -> tuple[list[tuple[int, int, str, int, int]], int, int]:
    """(row, col, text, colspan, rowspan) with grid positions (0-based), skipping the
    positions covered by merges from above."""
    covered: set[tuple[int, int]] = set()
    out = []
    width = 0
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while (r, c) in covered:
                c += 1
            text, cs, rs = _cell(cell)
            out.append((r, c, text, cs, rs))
            for dr in range(rs):
                for dc in range(cs):
                    covered.add((r + dr, c + dc))
            c += cs
        width = max(width, c, max((cc + 1 for rr, cc in covered if rr == r), default=0))
    return out, len(rows), width


def html_form(title: str | None, rows: list[list[Cell]], paragraphs: list[str] = ()) -> bytes:
    parts = ["<html><body>"]
    if title:
        parts.append(f"<p>{html.escape(title)}</p>")
    parts += [f"<p>{html.escape(p)}</p>" for p in paragraphs]
    parts.append("<table border='1'>")
    for row in rows:
        parts.append("<tr>")
        for cell in row:
            text, cs, rs = _cell(cell)
            attrs = (f" colspan='{cs}'" if cs > 1 else "") + (f" rowspan='{rs}'" if rs > 1 else "")
            parts.append(f"<td{attrs}>{html.escape(text)}</td>")
        parts.append("</tr>")
    parts.append("</table></body></html>")
    return "".join(parts).encode("utf-8")


def docx_form(title: str | None, rows: list[list[Cell]], paragraphs: list[str] = ()) -> bytes:
    import docx
    d = docx.Document()
    if title:
        d.add_paragraph(title)
    for p in paragraphs:
        d.add_paragraph(p)
    cells, n_rows, width = _layout(rows)
    t = d.add_table(rows=n_rows, cols=width)
    for r, c, text, cs, rs in cells:
        top = t.cell(r, c)
        if cs > 1 or rs > 1:
            top = top.merge(t.cell(r + rs - 1, c + cs - 1))
        top.text = text
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def xlsx_form(title: str | None, rows: list[list[Cell]], paragraphs: list[str] = ()) -> bytes:
    """Empty cells are left unwritten, as spreadsheets store them."""
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    top = 1
    for line in ([title] if title else []) + list(paragraphs):
        ws.cell(row=top, column=1, value=line)
        top += 1
    cells, _, _ = _layout(rows)
    for r, c, text, cs, rs in cells:
        if text:
            ws.cell(row=top + r, column=c + 1, value=text)
        if cs > 1 or rs > 1:
            ws.merge_cells(start_row=top + r, start_column=c + 1, end_row=top + r + rs - 1,
                           end_column=c + cs)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def extract_bytes(data: bytes, name: str) -> dict:
    from extractors.extract import extract
    from extractors.readers import read_document
    return extract(read_document(data, name), "0" * 16)
