"""Reader for already-extracted text, in the dialects real documents arrive in.

The canonical text of a .txt file is the decoded file itself (a UTF-8 BOM excepted),
so every block offset points into the file.  The dialect is detected from the content:

``tab_cells``       one table cell per line starting with a TAB; lines without a TAB
                    continue the cell above; a blank line before a TAB line starts a new
                    row (seed 000).
``tsv_rows``        one table row per line, cells separated by TABs, ``<p>`` fragments
                    inside cells (seed 004).
``markdown_table``  rows of cells separated by ``|`` (web pages converted to text).
``blank_line_cells`` one cell per line, cells separated by a blank line, each further
                    blank line an empty cell (web pages of Word tables); the cells
                    form one single-column "stream" table whose rows the form parsers
                    regroup where the header makes the row width certain.
``flat``            no recoverable cell structure: one paragraph block per line.
"""
from __future__ import annotations

import regex as re

from ..model import CELL, PARAGRAPH, Block, Document
from ._common import decode_text

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\n|\r)?")
_SEP_CELL = re.compile(r"^[-—=:\s]+$")


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes to text, returning (text, encoding).  Raises only ReaderError
    (the rules are :func:`._common.decode_text`'s)."""
    text, enc, _ = decode_text(data)
    return text, enc


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line's content, line terminators excluded."""
    out = []
    for m in _LINE.finditer(text):
        if m.start() == m.end():
            break
        s = m.group(0)
        end = m.end() - (len(s) - len(s.rstrip("\r\n")))
        out.append((m.start(), end))
    return out


def detect_layout(text: str) -> str:
    lines = [text[s:e] for s, e in _lines(text)]
    nonblank = [ln for ln in lines if ln.strip()]
    if not nonblank:
        return "flat"
    lead_tab = sum(1 for ln in nonblank if ln.startswith("\t"))
    inner_tab = sum(1 for ln in nonblank if "\t" in ln.strip("\t") or ln.rstrip("\r\n").endswith("\t") and not ln.startswith("\t"))
    pipes = sum(1 for ln in nonblank if ln.count("|") >= 1 and ("|" in ln.strip()[1:] or ln.strip().endswith("|")))
    n = len(nonblank)
    if lead_tab >= max(3, 0.2 * n) and lead_tab >= inner_tab:
        return "tab_cells"
    if inner_tab >= max(3, 0.15 * n):
        return "tsv_rows"
    if pipes >= max(3, 0.2 * n):
        return "markdown_table"
    if _blank_separated(lines):
        return "blank_line_cells"
    return "flat"


def _blank_separated(lines: list[str]) -> bool:
    """Short lines, nearly each standing alone between blank lines."""
    idx = [i for i, ln in enumerate(lines) if ln.strip()]
    if len(idx) < 20:
        return False
    alone = sum(1 for i in idx if (i == 0 or not lines[i - 1].strip())
                and (i + 1 >= len(lines) or not lines[i + 1].strip()))
    lengths = sorted(len(lines[i].strip()) for i in idx)
    return alone >= 0.8 * len(idx) and lengths[len(lengths) // 2] <= 20


def read_txt(data: bytes) -> Document:
    text, enc = decode(data)
    layout = detect_layout(text)
    if layout == "tab_cells":
        blocks = _read_tab_cells(text)
    elif layout == "tsv_rows":
        blocks = _read_delimited(text, "\t")
    elif layout == "markdown_table":
        blocks = _read_delimited(text, "|")
    elif layout == "blank_line_cells":
        blocks = _read_blank_line_cells(text)
    else:
        blocks = _paragraphs(text, _lines(text))
    warnings = [] if enc.startswith("utf-8") else [f"decoded as {enc}"]
    return Document(text=text, blocks=blocks, format="txt", layout=layout, warnings=warnings)


def _strip_span(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _paragraph(text: str, s: int, e: int) -> Block | None:
    s, e = _strip_span(text, s, e)
    if s == e:
        return None
    return Block(kind=PARAGRAPH, text=text[s:e], char_start=s, char_end=e)


def _paragraphs(text: str, lines: list[tuple[int, int]]) -> list[Block]:
    return [b for s, e in lines if (b := _paragraph(text, s, e))]


# --------------------------------------------------------------------------- tab_cells

def _read_tab_cells(text: str) -> list[Block]:
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
                                    table_no=table_no, row=r, col=c, rowspan=1, colspan=1))
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


# ------------------------------------------------------------------ tsv / markdown rows

def _read_delimited(text: str, sep: str) -> list[Block]:
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
                                table_no=table_no, row=row_no, col=c, rowspan=1, colspan=1))
    return blocks


# ------------------------------------------------------------------ blank_line_cells

def _read_blank_line_cells(text: str) -> list[Block]:
    """Each non-blank line is a cell; the blank line after it separates, every further
    blank line is an empty cell (a zero-length block where the line starts)."""
    blocks: list[Block] = []
    row = 0
    separator_due = False
    for s, e in _lines(text):
        if text[s:e].strip():
            a, b = _strip_span(text, s, e)
            separator_due = True
        elif separator_due:
            separator_due = False
            continue
        else:
            a = b = s
        row += 1
        blocks.append(Block(kind=CELL, text=text[a:b], char_start=a, char_end=b,
                            table_no=1, row=row, col=1, rowspan=1, colspan=1))
    # trailing empty cells carry nothing
    while blocks and not blocks[-1].text:
        blocks.pop()
    return blocks
