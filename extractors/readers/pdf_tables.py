"""PDF ruled tables: the grid of one table chunk rebuilt from pdfplumber's cell boxes,
characters assigned to cells, and a table continuing on the next page joined into one
(repeated header rows dropped, merged cells extended across the break)."""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from ._common import cell_text
from .pdf_lines import _group_lines, _line_text

EDGE_TOL = 2.0  # pt: x/y edges closer than this are the same grid line


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
