"""TAB-separated text: ``tab_cells`` (one cell per line starting with a TAB, seed 000)
and ``tsv_rows`` (one row per line, cells separated by TABs, seed 004)."""
from __future__ import annotations

import regex as re

from ..model import CELL, PARAGRAPH, Block
from .lines import lines as _lines, strip_span as _strip_span

DELIMITED = "delimited"
_SEP_CELL = re.compile(r"^[-—=:\s]+$")


def _paragraph(text: str, s: int, e: int) -> Block | None:
    s, e = _strip_span(text, s, e)
    if s == e:
        return None
    return Block(kind=PARAGRAPH, text=text[s:e], char_start=s, char_end=e)


# --------------------------------------------------------------------------- tab_cells

def read_tab_cells(text: str) -> list[Block]:
    lines = _lines(text)
    n = len(lines)
    is_tab = [text[s:e].startswith("\t") for s, e in lines]
    is_blank = [not is_tab[i] and not text[s:e].strip() for i, (s, e) in enumerate(lines)]

    items: list[tuple] = []  # ('p', block) | ('t', [rows of [start, end]])
    table: list[list[list[int]]] | None = None
    row: list[list[int]] | None = None
    blanks = 0
    i = 0
    while i < n:
        s, e = lines[i]
        if is_tab[i]:
            if table is None:
                table, row = [], []
                table.append(row)
                items.append(("t", table))
            elif blanks:
                row = []
                table.append(row)
            row.append([s + 1, e])
            blanks = 0
        elif is_blank[i]:
            blanks += 1
        else:
            cont = False
            if table is not None and row:
                if blanks == 0:
                    cont = True
                else:
                    j = i
                    while j < n and not is_tab[j] and not is_blank[j]:
                        j += 1
                    cont = (j < n and is_tab[j]
                            and all(_label_like(text[a:b]) for a, b in lines[i:j]))
            if cont:
                row[-1][1] = e
                blanks = 0
            else:
                table = row = None
                blanks = 0
                if (b := _paragraph(text, s, e)):
                    items.append(("p", b))
        i += 1

    blocks: list[Block] = []
    table_no = 0
    for kind, obj in items:
        if kind == "p":
            blocks.append(obj)
            continue
        table_no += 1
        rows = _merge_split_rows(text, obj)
        for r, cells in enumerate(rows, start=1):
            for c, (cs, ce) in enumerate(cells, start=1):
                blocks.append(Block(kind=CELL, text=text[cs:ce], char_start=cs, char_end=ce,
                                    table_no=table_no, row=r, col=c, rowspan=1, colspan=1,
                                    grid=DELIMITED))
    return blocks


_NOT_LABEL = re.compile(r"附\s*件\s*[0-9０-９一二三四五六七八九十]|表\s*$|签字|填表人|[。；]")


def _label_like(line: str) -> bool:
    """A short label line (``年度总体 目标``, ``(50 分)``) that may continue a
    vertically centred cell after blank lines, as opposed to text between tables."""
    t = line.strip()
    return len(t) <= 16 and not _NOT_LABEL.search(t)


def _merge_split_rows(text: str, rows: list[list[list[int]]]) -> list[list[list[int]]]:
    """Undo false row breaks: a cell that itself ends in a newline (``数量指标\\n``)
    followed by the blank line looks like a row break.  A row shorter than the row
    above whose cells, with the next row's, make exactly that width is one row."""
    out: list[list[list[int]]] = []
    i = 0
    while i < len(rows):
        row = rows[i]
        if out and i + 1 < len(rows):
            width = len(out[-1])
            nxt = rows[i + 1]
            if len(row) < width and len(nxt) < width and len(row) + len(nxt) == width:
                last = row[-1]
                if text[last[1]:last[1] + 1] == "\n":
                    last[1] += 1  # the cell's own trailing newline
                elif text[last[1]:last[1] + 2] == "\r\n":
                    last[1] += 2
                out.append(row + nxt)
                i += 2
                continue
        out.append(row)
        i += 1
    return out


# ------------------------------------------------------------------ tsv rows

def read_tab_rows(text: str, sep: str = "\t") -> list[Block]:
    """One row per line; a line without the separator ends the table (a paragraph).
    A row of only dashes (``----|--``) is a rule that ends the table."""
    blocks: list[Block] = []
    table_no = 0
    row_no = 0
    in_table = False
    for s, e in _lines(text):
        line = text[s:e]
        if sep not in line:
            if line.strip():
                in_table = False
                if (b := _paragraph(text, s, e)):
                    blocks.append(b)
            continue
        parts = []
        pos = s
        for piece in line.split(sep):
            parts.append((pos, pos + len(piece)))
            pos += len(piece) + len(sep)
        if sep == "|":
            # leading/trailing pipes frame the row; they do not open an empty cell
            if parts and not text[parts[0][0]:parts[0][1]].strip():
                parts = parts[1:]
            while parts and not text[parts[-1][0]:parts[-1][1]].strip():
                parts.pop()
        if parts and all(_SEP_CELL.match(text[a:b]) for a, b in parts):
            in_table = False
            continue
        if not parts:
            continue
        if not in_table:
            table_no += 1
            row_no = 0
            in_table = True
        row_no += 1
        for c, (a, b) in enumerate(parts, start=1):
            if sep == "|":
                a, b = _strip_span(text, a, b)
            blocks.append(Block(kind=CELL, text=text[a:b], char_start=a, char_end=b,
                                table_no=table_no, row=row_no, col=c, rowspan=1, colspan=1,
                                grid=DELIMITED))
    return blocks
