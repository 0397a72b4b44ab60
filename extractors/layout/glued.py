"""Glued cells (``space_flat``, OCR): rebuild the table grid of text whose cells run together.

``glued_grid(text, start, end, first_table_no)`` finds the form labels of the region
(``shapes``), takes the header rows as written (their order fixes the column order, e.g.
分值 before 年度指标值), and reads the glued runs between labels with the row grammar
(``grammar``): a run is published as cells only where exactly one reading satisfies the
cell shapes and the form's own arithmetic (score <= weight, 执行率 = B/A, 得分 = 分值 ×
执行率, Σ 分值 under a level-1 label = its ``(70分)``, 其中 lines sum to the total).  A
run with several readings, or none, stays a paragraph and a note says why; nothing is
guessed.  Whitespace between header labels makes the table "spaced": cells are then the
whitespace-separated tokens.

Here: the walk over the region's labels.  The blocks are read by ``glued_text`` (preamble,
title, key/value cells, the note after a table), ``glued_indicators``, ``glued_funds`` and
``glued_lists`` (allocation lists, goal blocks), all emitting through ``glued_cells.Builder``;
the readings of a run come from ``grammar_indicators`` and ``grammar_funds``.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from ..model import CELL, Block
from . import shapes as sh
from .glued_cells import TOP, Builder
from .glued_funds import fund_lines_follow, read_funds
from .glued_indicators import header_runs, read_indicators
from .glued_lists import goals, list_header_re, list_rows, read_list
from .glued_text import end_note, key_value, preamble


@dataclass
class GluedResult:
    blocks: list[Block]
    notes: list[str] = field(default_factory=list)


def _run(bd: Builder) -> GluedResult | None:
    """The region's blocks, label by label; None if it holds no table."""
    text = bd.text
    labels = sh.find_labels(text, bd.start, bd.end, TOP)
    runs = header_runs(labels, text)
    fund_corners = [lab for lab in labels if lab.kind == sh.FUND_CORNER and fund_lines_follow(bd, lab)]
    labels = [lab for lab in labels if lab.kind != sh.FUND_CORNER or lab in fund_corners]
    lists = {m.start(): m for m in list_header_re().finditer(text, bd.start, bd.end)
             if not sh.find_labels(m.group("amount"), 0, len(m.group("amount")), (sh.FUND_CORNER,))
             and list_rows(text, m.end(), bd.end, 2)}
    first = min([r[0].start for r in runs] + [c.start for c in fund_corners] + list(lists), default=None)
    if first is None:
        return None
    run_at = {r[0].start: r for r in runs}
    pos = preamble(bd, labels, first)
    stops = sorted({lab.start for lab in labels if lab.kind != sh.HEADER} | set(run_at) | set(lists))
    at_pos = {}
    for x in labels:
        at_pos.setdefault(x.start, x)
    while pos < bd.end:
        pos = bd.skip_ws(pos)
        if pos >= bd.end:
            break
        lab = at_pos.get(pos)
        lab = lab if lab is not None and (lab.kind != sh.HEADER or pos in run_at) else None
        k = bisect.bisect_right(stops, pos)
        nxt = stops[k] if k < len(stops) else bd.end
        if pos in lists:
            pos = read_list(bd, lists[pos])
            stops = [s for s in stops if s >= pos]
        elif lab is None:
            bd.para(pos, nxt)
            pos = nxt
        elif lab.kind == sh.END:  # a note after the table: up to the next form title
            pos = end_note(bd, lab, pos)
        elif lab.kind == sh.META:  # the value runs to the next label or line break
            pos = key_value(bd, lab, nxt)
        elif lab.kind == sh.GOAL:
            stop = next((s for s in stops if s > pos and not any(
                x.start == s and x.kind == sh.GOAL for x in labels)), bd.end)
            if not goals(bd, labels, pos, stop):
                bd.para(pos, stop)
            pos = stop
        elif lab.kind == sh.ROW_LABEL:
            bd.cells([(lab.start, lab.end)])
            pos = lab.end
        elif lab.kind == sh.FUND_CORNER:
            pos = read_funds(bd, lab)
        else:  # header run
            pos = read_indicators(bd, run_at[pos])
    bd.close_table()
    if not any(b.kind == CELL for b in bd.blocks):
        return None
    return GluedResult(bd.blocks, bd.notes)


def glued_grid(text: str, start: int, end: int, first_table_no: int) -> GluedResult | None:
    """The table grid of ``text[start:end]`` read from cell shapes, or None if the region
    holds no recognisable table (no indicator header and no funds block)."""
    try:
        return _run(Builder(text, start, end, first_table_no))
    except RecursionError:
        return None
