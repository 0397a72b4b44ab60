"""One sheet of a workbook into blocks: the cell-emission path of every spreadsheet reader.

The ``.xlsx`` and ``.xls`` readers differ only in how they get a sheet's displayed cell
texts and merged ranges; :func:`emit_sheet` turns those into blocks the same way for both:

* Cells emitted: every non-empty cell and every merge origin (even an empty one).  Empty
  cells outside merges are NOT emitted; cells covered by a merge are never emitted
  (Excel hides their content; a warning is given if one holds a value).  ``row``/``col``
  are grid positions counted from 1 from the top-left emitted cell of the sheet, so
  ``address`` (``Sheet1!B7``; names with spaces or punctuation quoted the Excel way,
  ``'My sheet'!B7``) is the way back to the sheet coordinates.  A merged range is ONE
  block at its top-left with ``rowspan``/``colspan``.
* Title lines above the table (up to 3 rows holding one text cell, merged across the full
  width or alone in the row) and note lines below it (up to 3 rows holding one full-width
  merged text cell) are ``paragraph`` blocks (with their ``address``).
"""
from __future__ import annotations

import re

from ..model import TextBuilder
from ._common import cell_text

MAX_COVERED = 1_000_000  # merged positions expanded into a set per sheet; further ranges are tested by bounds


def column_letter(col: int) -> str:
    s = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        s = chr(65 + rem) + s
    return s


def emit_sheet(tb: TextBuilder, title: str, values: dict[tuple[int, int], str],
               merges: dict[tuple[int, int], tuple[int, int]], warnings: list[str]) -> None:
    """Write one sheet: ``values`` maps 1-based (row, col) to the text a cell displays
    (empty cells may be left out), ``merges`` maps a merged range's top-left (row, col) to
    its (rowspan, colspan)."""
    covered: set[tuple[int, int]] = set()
    big: list[tuple[int, int, int, int]] = []
    for (r0, c0), (rs, cs) in merges.items():
        if len(covered) + rs * cs <= MAX_COVERED:
            covered.update((r, c) for r in range(r0, r0 + rs) for c in range(c0, c0 + cs)
                           if (r, c) != (r0, c0))
        else:
            big.append((r0, c0, r0 + rs - 1, c0 + cs - 1))

    def is_covered(r: int, c: int) -> bool:
        if (r, c) in covered:
            return True
        return any(r0 <= r <= r1 and c0 <= c <= c1 and (r, c) != (r0, c0) for r0, c0, r1, c1 in big)

    items: dict[tuple[int, int], str] = {}
    n_hidden = 0
    for pos, text in values.items():
        if text == "":
            continue
        if is_covered(*pos):
            n_hidden += 1
            continue
        items[pos] = cell_text(text)
    for pos in merges:
        if pos not in items and not is_covered(*pos):
            items[pos] = ""
    if n_hidden:
        warnings.append(f"sheet {title!r}: {n_hidden} value(s) in cells hidden under a "
                        "merged range were dropped")
    if not items:
        return
    heads, foots = _title_rows(items, merges)
    addr = lambda pos: address(title, f"{column_letter(pos[1])}{pos[0]}")  # noqa: E731
    for pos in heads:
        tb.paragraph(items.pop(pos), address=addr(pos))
    foot_text = [(pos, items.pop(pos)) for pos in foots]
    if items:
        r0 = min(r for r, _ in items)
        c0 = min(c for _, c in items)
        t = tb.start_table()
        for (r, c) in sorted(items):
            rs, cs = merges.get((r, c), (1, 1))
            tb.cell(t, row=r - r0 + 1, col=c - c0 + 1, text=items[(r, c)], rowspan=rs,
                    colspan=cs, address=addr((r, c)))
        tb.end_table()
    for pos, text in foot_text:
        tb.paragraph(text, address=addr(pos))


def _title_rows(items: dict, merges: dict) -> tuple[list, list]:
    """Title lines above a sheet's table and note lines below it.

    At the top (up to 3 rows): a row whose only content is one non-empty cell, merged
    across the full width of the sheet's content or standing alone (a title typed into
    A1).  At the bottom (up to 3 rows): a row whose only content is one non-empty cell
    merged across the full width (填表说明, 填表人...).  Only for sheets at least two
    columns wide, and never a cell merged over several rows.
    """
    left = min(c for _, c in items)
    right = max(c + merges.get((r, c), (1, 1))[1] - 1 for r, c in items)
    width = right - left + 1
    if width < 2:
        return [], []
    by_row: dict[int, list] = {}
    for pos in items:
        by_row.setdefault(pos[0], []).append(pos)
    rows = sorted(by_row)

    def single(r: int, need_full: bool):
        if len(by_row[r]) != 1:
            return None
        pos = by_row[r][0]
        rs, cs = merges.get(pos, (1, 1))
        if rs != 1 or not items[pos].strip():
            return None
        full = cs == width and pos[1] == left
        if full or (not need_full and pos not in merges):
            return pos
        return None

    heads = []
    for r in rows[:3]:
        pos = single(r, need_full=False)
        if pos is None:
            break
        heads.append(pos)
    foots = []
    for r in reversed(rows[len(heads):][-3:]):
        pos = single(r, need_full=True)
        if pos is None:
            break
        foots.insert(0, pos)
    if len(heads) + len(foots) == len(rows):  # nothing left for a table: keep it a table
        return [], []
    return heads, foots


def address(title: str, coord: str) -> str:
    """``Sheet1!B7``, or ``'My sheet'!B7`` for names Excel quotes."""
    if re.fullmatch(r"[\w.]+", title) and not re.match(r"\d", title):
        return f"{title}!{coord}"
    return "'" + title.replace("'", "''") + f"'!{coord}"
