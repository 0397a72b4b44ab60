"""Pipe-separated text (``markdown_table``): cells and rows, with empty cells kept.

Web pages converted to text write table cells between ``|`` in two styles, detected
per document:

``leading``     a row opens with a ``|`` at the start of a line (``| a | b |``); a cell
                may run over several lines (``|\\n   一级 指标  |``); pipes left over
                before the next row's opener are empty cells.
``terminated``  every cell ends with ``|`` (``项目名称 |``); several cells may share a line.
                A row is closed by a *pad*: a line whose last cell is empty (``| ||||``,
                a line of pipes only) or, when the pads show the table's width, a row that
                reached that width.  A lone ``|`` is an empty cell.  A table whose rows are
                never closed is a cell stream (one cell per line) whose rows the header
                width rebuilds (:mod:`.streams`).

Interior empty cells are explicit.  The empty cells of a pad after a row's last content
cell stand for positions the page dropped (merged cells) and are not placed: the row is
shorter than its header and the form layer aligns it by content.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import regex as re

from .lines import Line, strip_span

_RULE = re.compile(r"^[-—=:\s]+$")


@dataclass
class PipeTable:
    rows: list[list[tuple[int, int]]] = field(default_factory=list)
    stream: bool = False  # rows never closed: one list of cells


def style(text: str, lines: list[Line]) -> str:
    """``leading`` when the lines that hold pipes mostly open with one (``| a | b |``) or
    are indented cell text (``       一级 指标  |``), else ``terminated`` (``项目名称 |``)."""
    lead = term = 0
    for ln in lines:
        seg = text[ln.start:ln.end]
        if "|" not in seg or not seg.strip():
            continue
        if seg[0] in "| \t":
            lead += 1
        else:
            term += 1
    return "leading" if lead > term else "terminated"


_PIPE = re.compile(r"\|")


def _cells_of(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """Spans of the pieces of ``text[s:e]`` between pipes (the piece after the last pipe
    included)."""
    out, pos = [], s
    for m in _PIPE.finditer(text[s:e]):
        out.append((pos, s + m.start()))
        pos = s + m.end()
    out.append((pos, e))
    return out


def _span(text: str, a: int, b: int) -> tuple[int, int]:
    a2, b2 = strip_span(text, a, b)
    return (a2, b2) if a2 < b2 else (b, b)


def _is_rule(text: str, row: list[tuple[int, int]]) -> bool:
    return bool(row) and all(_RULE.match(text[a:b] or "-") for a, b in row) and any(
        text[a:b].strip() for a, b in row)


def _finish(text: str, rows: list[list[tuple[int, int]]], row: list[tuple[int, int]], pad: int) -> None:
    """Close ``row``, leaving out the last ``pad`` cells when they are empty (the pad)."""
    while pad > 0 and row and row[-1][0] == row[-1][1]:
        row.pop()
        pad -= 1
    if row and not _is_rule(text, row):
        rows.append(row)


def read_terminated(text: str, lines: list[Line]) -> list[tuple[str, object]]:
    """Items in reading order: ("p", (s, e)) paragraph lines and ("t", PipeTable)."""
    # first pass: the width that pads close rows at
    counts: Counter[int] = Counter()
    n_cells = 0
    for ln in lines:
        seg = text[ln.start:ln.end]
        if "|" not in seg:
            if seg.strip():
                n_cells = 0
            continue
        pieces = _cells_of(text, ln.start, ln.end)
        n_cells += len(pieces) - 1 + (1 if text[pieces[-1][0]:pieces[-1][1]].strip() else 0)
        last = pieces[-2] if len(pieces) >= 2 else None
        if seg.count("|") >= 2 and last is not None and not text[last[0]:last[1]].strip() \
                and not text[pieces[-1][0]:pieces[-1][1]].strip():
            counts[n_cells] += 1
            n_cells = 0
    width = None
    if counts:
        w, c = counts.most_common(1)[0]
        if c >= 2 and c >= 0.5 * sum(counts.values()):
            width = w

    items: list[tuple[str, object]] = []
    table: PipeTable | None = None
    row: list[tuple[int, int]] = []
    closed_any = seen_pad = False

    def close_table():
        nonlocal table, row, closed_any, seen_pad
        if table is not None:
            if row:
                if closed_any:
                    _finish(text, table.rows, row, pad=0)
                else:
                    table.rows = [row]
                    table.stream = True
            if table.rows:
                items.append(("t", table))
        table, row, closed_any, seen_pad = None, [], False, False

    for ln in lines:
        seg = text[ln.start:ln.end]
        if "|" not in seg:
            if seg.strip():
                close_table()
                items.append(("p", (ln.start, ln.end)))
            continue
        if table is None:
            table = PipeTable()
        pieces = _cells_of(text, ln.start, ln.end)
        tail = pieces[-1]
        before = len(row)
        for a, b in pieces[:-1]:
            row.append(_span(text, a, b))
        if text[tail[0]:tail[1]].strip():
            row.append(_span(text, *tail))  # a row written without its closing pipe
            _finish(text, table.rows, row, pad=0)
            row, closed_any = [], True
            continue
        last = pieces[-2] if len(pieces) >= 2 else None
        pad = seg.count("|") >= 2 and last is not None and not text[last[0]:last[1]].strip()
        seen_pad = seen_pad or pad
        # a line of several cells is a row, unless pads have shown the table's width: then
        # a row runs over lines until its pad or that width (a header split over two lines)
        several = len(pieces) > 2
        if pad or (width is not None and len(row) >= width) or (
                several and (not seen_pad or width is None)):
            # the pad is this line's run of empty cells (a lone `|` line before it is a cell)
            _finish(text, table.rows, row, pad=(len(row) - before) if pad else 0)
            row, closed_any = [], True
    close_table()
    return items


def read_leading(text: str, lines: list[Line]) -> list[tuple[str, object]]:
    """Rows opened by a ``|`` at the start of a line; cells may span lines."""
    items: list[tuple[str, object]] = []
    table: PipeTable | None = None
    row: list[tuple[int, int]] | None = None
    cell_start: int | None = None
    last_end = 0

    def opener(seg: str) -> bool:
        if seg.startswith("|"):
            return True
        st = seg.lstrip(" \t")
        return st.startswith("|") and bool(st[1:].replace("|", "").strip())

    def close_row():
        nonlocal row, cell_start
        if row is not None and table is not None:
            if cell_start is not None and text[cell_start:last_end].strip():
                row.append(_span(text, cell_start, last_end))  # a last cell with no closing pipe
            _finish(text, table.rows, row, pad=len(row))  # pipes left before the next opener
        row, cell_start = None, None

    def close_table():
        nonlocal table
        close_row()
        if table is not None and table.rows:
            items.append(("t", table))
        table = None

    for idx, ln in enumerate(lines):
        seg = text[ln.start:ln.end]
        if "|" not in seg:
            if row is not None and cell_start is not None:
                # inside a cell if a terminating pipe follows before the next opener
                later = next((x for x in lines[idx + 1:] if "|" in text[x.start:x.end]), None)
                if not seg.strip() or (later is not None and not opener(text[later.start:later.end])):
                    last_end = ln.end
                    continue
            if seg.strip():
                close_table()
                items.append(("p", (ln.start, ln.end)))
            continue
        pos = ln.start
        if opener(seg):
            close_row()
            if table is None:
                table = PipeTable()
            row = []
            pos = ln.start + seg.index("|") + 1
            cell_start = pos
        elif row is None:
            if table is None:
                table = PipeTable()
            row, cell_start = [], ln.start
        for m in _PIPE.finditer(text, pos, ln.end):
            p = m.start()
            row.append(_span(text, cell_start, p))
            cell_start = p + 1
        last_end = ln.end
    close_table()
    return items
