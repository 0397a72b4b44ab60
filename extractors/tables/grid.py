"""Dense grid and cell shapes over the rows of one table.

``rows`` are lists of blocks grouped by the grid row they start in (``Table.rows()`` or
rows rebuilt from a cell stream).  A merged cell is one block at its top-left corner;
``dense_rows`` makes it visible from every position it covers, so "which cell is at
(row, col)" is a lookup.
"""
from __future__ import annotations

import functools

import regex as re

from normalizers import normalize_level1, normalize_level2, parse_quantity, to_halfwidth

from ..model import Block


def dense_rows(rows: list[list[Block]]) -> list[dict[int, Block]]:
    """For each row of ``rows``, grid column → the block covering it (own cells and
    cells merged down from rows above)."""
    by_grid_row: dict[int, dict[int, Block]] = {}
    for row in rows:
        for b in row:
            for r in range(b.row, b.row + (b.rowspan or 1)):
                slot = by_grid_row.setdefault(r, {})
                for c in range(b.col, b.col + (b.colspan or 1)):
                    slot.setdefault(c, b)
    return [by_grid_row.get(row[0].row, {}) if row else {} for row in rows]


def dense_rows_at(rows: list[list[Block]], start: int, end: int) -> list[dict[int, Block]]:
    """``dense_rows(rows)[start:end]`` without building the other rows' maps (a header
    search looks at 1-3 rows of a table at every row it tries)."""
    wanted = {row[0].row for row in rows[start:end] if row}
    by_grid_row: dict[int, dict[int, Block]] = {}
    if wanted:
        lo, hi = min(wanted), max(wanted)
        for row in rows:
            for b in row:
                r0 = b.row
                r1 = r0 + (b.rowspan or 1)
                if r0 > hi or r1 <= lo:
                    continue
                for r in range(max(r0, lo), min(r1, hi + 1)):
                    if r in wanted:
                        slot = by_grid_row.setdefault(r, {})
                        for c in range(b.col, b.col + (b.colspan or 1)):
                            slot.setdefault(c, b)
    return [by_grid_row.get(row[0].row, {}) if row else {} for row in rows[start:end]]


def row_end(row: list[Block]) -> int:
    return max((c.col + (c.colspan or 1) - 1 for c in row), default=0)


def is_positional(row: list[Block], dense: dict[int, Block], width: int, table_has_merges: bool) -> bool:
    """True when the row's grid positions mean what the header says: the reader had a
    grid of its own (Word, Excel, HTML, PDF: ``Block.grid`` is None), or the row fills
    the width, or its cells leave gaps.  False for a text row that lost its merged cells
    and was packed together (aligned by shape instead)."""
    if not row:
        return True
    if all(getattr(b, "grid", None) is None for b in row) or row_end(row) >= width:
        return True
    own = sorted(c for b in row for c in range(b.col, b.col + (b.colspan or 1)))
    return bool(own) and own != list(range(own[0], own[-1] + 1))


_OP = re.compile(r"^(?:[≥≤><=≠]|大于等于|小于等于|大于|小于|等于|不低于|不高于|不超过|定性|定量|正向|反向)$")
_POINTS = re.compile(r"^\d{1,3}(?:\.\d{1,2})?分?$")
_SPACES = re.compile(r"\s+")


@functools.lru_cache(maxsize=1 << 14)
def cell_shape(text: str) -> str:
    """Shape of a cell for aligning rows that lost their grid: empty | category
    (a 一级/二级 label of the vocabulary) | op (≥, 定性) | points (``10``, ``3.5分``) |
    percent | quantity (a number with a unit or comparator) | text."""
    t = _SPACES.sub("", to_halfwidth(text or ""))
    if not t or t in ("/", "-", "—", "——"):
        return "empty"
    if _OP.match(t):
        return "op"
    if _POINTS.match(t):
        return "points"
    r1, r2 = normalize_level1(t), normalize_level2(t)
    if r1.known or r2.known or r1.other_scheme or r2.other_scheme:
        return "category"
    q = parse_quantity(t)
    if q.kind == "percent":
        return "percent"
    if q.kind in ("money", "count", "duration", "rank", "date") and q.value is not None or q.op in (">=", "<=", ">", "<", "range"):
        return "quantity"
    return "text"
