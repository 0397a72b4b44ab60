"""Rows of a cell stream, rebuilt from the width of a recognised header.

A *cell stream* is a table whose text kept the cells but lost the rows: one cell per
paragraph (``blank_line_cells``), one cell per line ending in ``|`` (pipe pages that
dropped their row breaks).  Rows are rebuilt by one mechanism, not per header:

1. a **header** is a run of cells the form vocabulary knows as column labels (at least
   three, or two goal columns), optionally preceded by a vertical block title
   (``绩效指标(90分)``, ``年度总体目标``) that spans the block's rows;
2. the header fixes the body **width** and the kind of each column (category level,
   name, operator, figure, text);
3. each **body row** opens at a row label (a category label opens at its level's column;
   a name where the levels were merged away) and takes one cell per column, ending early
   where a cell cannot belong to its column (text in a figure column, a new row label);
4. the block ends at a total row, a new header, a label that closes a table, or a row
   that does not fit.

Cells outside any header's block are kept in order as a single-column stream, which the
form layer reads as label/value pairs.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .vocab import (FIGURE, fold, GOAL, ITEM, LEVEL1, LEVEL2, NAME, OP, has_scale, header_kind,
                    is_block_label, is_breakdown_header, is_closing, is_figure_like, is_fund_item,
                    is_meta_label, is_total, kv_label, level_of, shape)

HEADER_WIDTH = "header_width"


@dataclass
class Grid:
    """Rows of (col, cell index) pairs, ``col`` counted from 1."""

    rows: list[list[tuple[int, int]]] = field(default_factory=list)
    confidence: str = HEADER_WIDTH


@dataclass
class Header:
    start: int  # index of the first header cell (the block title if any)
    lead: int  # 1 when a block title precedes the column labels
    kinds: list[str]  # kind of each body column

    @property
    def end(self) -> int:
        return self.start + self.lead + len(self.kinds)


def header_at(texts: list[str], i: int) -> Header | None:
    """The header starting at cell ``i``, if the cells there read as one."""
    if i + 1 < len(texts) and is_block_label(texts[i]):
        h = _header(texts, i, 1)
        if h is not None:
            return h
    return _header(texts, i, 0)


def _header(texts: list[str], i: int, lead: int) -> Header | None:
    n = len(texts)
    kinds: list[str] = []
    j = i + lead
    while j < n:
        k = header_kind(texts[j])
        if k is None and not kinds and has_scale(texts[j]) and shape(texts[j]) == "text" and len(texts[j]) <= 16:
            k = ITEM  # 项目资金(万元): the label column of a funds block
        if k is None or (k == ITEM and kinds) or any(fold(texts[j]) == fold(texts[x]) for x in range(i + lead, j)):
            break  # the same label twice is a repeated line, not two columns
        kinds.append(k)
        j += 1
    named = [k for k in kinds if k != ITEM]
    if len(named) >= 3 or (len(named) == 2 and (all(k == GOAL for k in named) or kinds[0] == ITEM)):
        return Header(i, lead, kinds)
    return None


def start_col(kinds: list[str], text: str) -> int | None:
    """The body column a row opens at, or None when ``text`` cannot open a row."""
    sh = shape(text)
    lv = level_of(text)
    if kinds[0] in (LEVEL1, LEVEL2, NAME):
        if lv == LEVEL1 and LEVEL1 in kinds:
            return kinds.index(LEVEL1)
        if lv and LEVEL2 in kinds:
            return kinds.index(LEVEL2)
        if sh == "text" and NAME in kinds:
            return kinds.index(NAME)
        return None
    if kinds[0] == GOAL:
        return 0 if sh == "text" else None
    if kinds[0] == FIGURE:  # values under their labels (编制数 | 实际在职人数 | 控制率)
        return 0 if sh in ("figure", "placeholder") else None
    # a label column (funds, expenditure lines): a row opens at a line label
    return 0 if sh in ("text", "placeholder") else None


def fits_column(kind: str, text: str) -> bool:
    if kind in (FIGURE,):
        return is_figure_like(text)
    if kind == OP:
        return shape(text) in ("op", "empty", "placeholder")
    return True


def _opens_row(kinds: list[str], j: int, text: str) -> bool:
    """A cell at body column ``j`` that rather opens the next row."""
    if kinds[j] in (LEVEL1, LEVEL2):
        return False
    if level_of(text) and (LEVEL1 in kinds or LEVEL2 in kinds):
        return True
    if kinds[0] == ITEM and is_fund_item(text):
        return True
    return is_total(text) or is_closing(text)


def body(texts: list[str], h: Header) -> tuple[list[list[tuple[int, int]]], int, int]:
    """Body rows of the block under header ``h`` as (body column, cell index) pairs, the
    index of the first cell after the block, and the number of label columns the header
    did not name (1 when measure columns are followed by rows that open with a line label:
    the label column's header is elsewhere or missing)."""
    kinds, n = h.kinds, len(texts)
    rows: list[list[tuple[int, int]]] = []
    i = h.end
    implicit = 0
    if kinds[0] == FIGURE and i < n and shape(texts[i]) == "text" and not is_closing(texts[i]):
        kinds, implicit = [ITEM] + kinds, 1
    single = kinds[0] == GOAL  # a goal header has one row of texts under it
    while i < n:
        t = texts[i]
        if header_at(texts, i) or is_closing(t) or (is_meta_label(t) and not is_fund_item(t)):
            break
        if is_total(t):
            # 合计 | 100 | | : the label spans the columns left of the figures it totals,
            # so the figures sit under the last columns
            vals = []
            k = i + 1
            while k < n and len(vals) < len(kinds) - 1 and is_figure_like(texts[k]):
                vals.append(k)
                k += 1
            first = len(kinds) - len(vals)
            rows.append([(0, i)] + [(first + m, c) for m, c in enumerate(vals)])
            i = k
            break
        j0 = start_col(kinds, t)
        if j0 is None:
            break
        row = [(j0, i)]
        k = i + 1
        for j in range(j0 + 1, len(kinds)):
            if k >= n:
                break
            u = texts[k]
            if not fits_column(kinds[j], u) or _opens_row(kinds, j, u) or header_at(texts, k) or is_closing(u):
                break
            row.append((j, k))
            k += 1
        if len(row) < 2 and not single:
            break
        rows.append(row)
        i = k
        if single:
            break
    return rows, i, implicit


def kv_block(texts: list[str], i: int) -> tuple[list[list[tuple[int, int]]], int] | None:
    """``按收入性质分:2030.12 | 按支出性质分:1925.67`` then ``label:value`` cells: the
    header cells fix the width, the label:value (or empty) cells fill rows of it."""
    k = 0
    while i + k < len(texts) and is_breakdown_header(texts[i + k]):
        k += 1
    if k < 2:
        return None
    rows = [[(c + 1, i + c) for c in range(k)]]
    j = i + k
    while j < len(texts):
        run = []
        while j < len(texts) and len(run) < k and (kv_label(texts[j]) or shape(texts[j]) == "empty") \
                and not is_breakdown_header(texts[j]):
            run.append(j)
            j += 1
        if not run or all(shape(texts[c]) == "empty" for c in run):
            j -= len(run)
            break
        rows.append([(c + 1, x) for c, x in enumerate(run)])
        if len(run) < k:
            break
    return rows, j


def regroup(texts: list[str]) -> list[Grid | list[int]]:
    """The stream's cells as rebuilt grids and runs of cells left as a stream."""
    out: list[Grid | list[int]] = []
    rest: list[int] = []
    i, n = 0, len(texts)
    while i < n:
        kv = kv_block(texts, i)
        if kv is not None:
            if rest:
                out.append(rest)
                rest = []
            out.append(Grid(rows=kv[0]))
            i = kv[1]
            continue
        h = header_at(texts, i)
        rows, end, implicit = body(texts, h) if h is not None else ([], i, 0)
        if not rows:
            rest.append(i)
            i += 1
            continue
        if rest:
            out.append(rest)
            rest = []
        g = Grid()
        g.rows.append([(c + 1 + (implicit if c >= h.lead else 0), i + c) for c in range(h.end - h.start)])
        for r in rows:
            g.rows.append([(h.lead + j + 1, c) for j, c in r])
        out.append(g)
        i = end
    if rest:
        out.append(rest)
    return out
