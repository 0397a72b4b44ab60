"""Grid positions of rows whose cells are known but whose merged cells the page dropped.

A delimited (or whitespace) row as long as its header is placed as written; a shorter
row is placed by what its first cells are (:func:`place_rows`).
"""
from __future__ import annotations

from normalizers import normalize_level2

from . import streams
from .vocab import ITEM, LEVEL1, LEVEL2, has_points, is_closing, is_meta_label, is_total, level_of, shape


def place_rows(text: str, rows: list[list[tuple[int, int]]]) -> list[list[tuple[int, int, int]]]:
    """Grid positions of delimited rows.  A row as long as its header is placed as written.
    A shorter row lost the cells a merge covered, and is placed by content:

    - under an indicator header, a row starts at the column of its first cell's kind: a
      level-1 category at 一级指标, a level-2 one at 二级指标, a name at 三级指标 (a category
      label directly left of a name is the level 2 when it may be either), the rest follow;
    - under a header whose first cell is a vertical block title with the block's points
      (``预算执行情况(10分) | 年度预算数(万元) | 年初预算 | …``), the title spans the block's
      rows: a line that opens with its label starts in the second column;
    - other rows stay left-aligned (the form layer aligns them by content)."""
    out = []
    block: streams.Header | None = None
    width, titled = 0, False
    for row in rows:
        texts = [text[a:b] for a, b in row]
        h = streams.header_at(texts, 0)
        if h is not None:
            # only a title that carries the block's points spans a funds block's rows for certain
            block, width, titled = h, len(row), bool(h.lead and has_points(texts[0]))
            out.append([(c, a, b) for c, (a, b) in enumerate(row, start=1)])
            continue
        first = 1
        if block is not None and len(row) < width:
            if is_total(texts[0]) or is_closing(texts[0]) or is_meta_label(texts[0]):
                block = None
            elif LEVEL1 in block.kinds or LEVEL2 in block.kinds:
                j0 = _indicator_start(block.kinds, texts)
                if j0 is not None and block.lead + j0 + len(row) <= width:
                    first = block.lead + j0 + 1
            elif block.lead and titled and block.kinds[0] == ITEM and shape(texts[0]) == "text":
                first = 1 + block.lead
        out.append([(c, a, b) for c, (a, b) in enumerate(row, start=first)])
    return out


def _indicator_start(kinds: list[str], texts: list[str]) -> int | None:
    lv = level_of(texts[0])
    if lv == LEVEL1 and LEVEL2 in kinds and len(texts) > 1 and level_of(texts[1]) is None \
            and normalize_level2(texts[0]).known:
        return kinds.index(LEVEL2)  # 成本指标 | 补贴标准 | …: the level 2 next to its name
    return streams.start_col(kinds, texts[0])
