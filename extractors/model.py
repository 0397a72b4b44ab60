"""The one document model every reader produces and every form parser reads.

A document is its canonical text plus blocks (paragraphs, headings and table cells).
Every block carries ``char_start``/``char_end`` into the canonical text, so that
``doc.text[b.char_start:b.char_end] == b.text`` always holds.  Table cells also carry
their grid position: ``table_no`` counts tables from 1 in reading order, ``row`` and
``col`` count from 1 in the table grid, ``rowspan``/``colspan`` give merges.  A merged
cell is one block at its top-left grid position; the positions it covers hold no block.

Readers for formats without a text of their own (docx, pdf, xlsx, html) build the
canonical text with :class:`TextBuilder`, which writes the cell-per-line style of the
seed 000 text: a paragraph is its text and a newline; a table row is one line per cell,
each starting with a TAB, and a blank line after the row.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

import html as _html
import re as _re

CELL = "cell"
PARAGRAPH = "paragraph"
HEADING = "heading"


_P_SPLIT = _re.compile(r"\s*</p>\s*<p[^>]*>\s*|\s*<br\s*/?>\s*", _re.I)
_TAG = _re.compile(r"</?(?:p|span|div|b|strong|font)[^>]*>", _re.I)


def markup_to_lines(text: str) -> str:
    if "<" not in text and "&" not in text:
        return text
    t = _P_SPLIT.sub("\n", text)
    t = _TAG.sub("", t)
    return _html.unescape(t).strip()


@dataclass
class Block:
    kind: str  # cell | paragraph | heading
    text: str
    char_start: int
    char_end: int
    table_no: int | None = None
    row: int | None = None
    col: int | None = None
    rowspan: int | None = None
    colspan: int | None = None
    page: int | None = None
    x0: float | None = None
    top: float | None = None
    x1: float | None = None
    bottom: float | None = None
    address: str | None = None  # spreadsheet cell address, e.g. 'Sheet1!B7'
    level: int | None = None  # heading level (1 = top)
    # how the table grid of a text cell was rebuilt (extractors/layout): delimited,
    # header_width, spaces, shape_grammar, token_rows, score_pairs; None for formats with a grid of their own
    grid: str | None = None
    # a grid position whose content the layout could not read with certainty (glued cells:
    # a text that may belong to this column or the next): an empty cell that publishes nothing
    unread: bool = False

    @property
    def is_cell(self) -> bool:
        return self.kind == CELL

    @property
    def content(self) -> str:
        """The text as a reader of the form sees it: HTML fragments that extracted text
        sometimes keeps inside cells (``<p>1、…</p> <p>2、…</p>``) become lines."""
        return markup_to_lines(self.text)


@dataclass
class Table:
    """A grid view over the cell blocks of one table."""

    table_no: int
    cells: list[Block]

    @property
    def n_rows(self) -> int:
        return max((c.row + (c.rowspan or 1) - 1 for c in self.cells), default=0)

    @property
    def n_cols(self) -> int:
        return max((c.col + (c.colspan or 1) - 1 for c in self.cells), default=0)

    def rows(self) -> list[list[Block]]:
        """Cells grouped by the row they start in, left to right."""
        out: dict[int, list[Block]] = {}
        for c in self.cells:
            out.setdefault(c.row, []).append(c)
        return [sorted(out[r], key=lambda b: b.col) for r in sorted(out)]

    def grid(self) -> list[list[Block | None]]:
        """Row-major grid; a position covered by a merge holds the merged block."""
        g: list[list[Block | None]] = [[None] * self.n_cols for _ in range(self.n_rows)]
        for c in self.cells:
            for r in range(c.row, c.row + (c.rowspan or 1)):
                for k in range(c.col, c.col + (c.colspan or 1)):
                    g[r - 1][k - 1] = c
        return g


def tables_of(blocks: list[Block]) -> list[Table]:
    """The tables the cell blocks among ``blocks`` belong to, in table order."""
    by_no: dict[int, list[Block]] = {}
    for b in blocks:
        if b.kind == CELL:
            by_no.setdefault(b.table_no, []).append(b)
    return [Table(n, cells) for n, cells in sorted(by_no.items())]


@dataclass
class Document:
    text: str
    blocks: list[Block]
    format: str  # txt | docx | pdf | xlsx | html
    layout: str  # how text/tables were recovered: tab_cells, tsv_rows, markdown_table, flat, ...
    n_pages: int | None = None
    warnings: list[str] = field(default_factory=list)

    def tables(self) -> list[Table]:
        return tables_of(self.blocks)

    def check_spans(self) -> Iterator[Block]:
        """Blocks whose text does not equal their span of the canonical text."""
        for b in self.blocks:
            if self.text[b.char_start:b.char_end] != b.text:
                yield b


class ReaderError(Exception):
    """A file that cannot be read; the message tells a person what to do."""

    def __init__(self, message: str, status: str = "failed"):
        super().__init__(message)
        self.status = status


class TextBuilder:
    """Builds a canonical text and its blocks for readers of structured formats.

    Usage::

        tb = TextBuilder()
        tb.paragraph("附件1")
        t = tb.start_table()
        tb.cell(t, row=1, col=1, text="预算单位名称", colspan=2)
        ...
        doc = tb.build(format="docx", layout="docx_tables")

    Cells must be added row by row, left to right (``row`` and ``col`` are grid
    positions counted from 1).  Extra keyword arguments (page, x0, top, x1, bottom,
    address, rowspan, colspan) are stored on the block.
    """

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._len = 0
        self.blocks: list[Block] = []
        self._table_no = 0
        self._cur_row: tuple[int, int] | None = None  # (table_no, row) of the open row

    def _emit(self, s: str) -> None:
        self._parts.append(s)
        self._len += len(s)

    def _close_row(self) -> None:
        if self._cur_row is not None:
            self._emit("\n")  # blank line ends a row
            self._cur_row = None

    def paragraph(self, text: str, kind: str = PARAGRAPH, **extra) -> Block:
        self._close_row()
        start = self._len
        self._emit(text)
        b = Block(kind=kind, text=text, char_start=start, char_end=start + len(text), **extra)
        self._emit("\n")
        self.blocks.append(b)
        return b

    def heading(self, text: str, level: int, **extra) -> Block:
        return self.paragraph(text, kind=HEADING, level=level, **extra)

    def start_table(self) -> int:
        self._close_row()
        self._table_no += 1
        return self._table_no

    def cell(self, table_no: int, row: int, col: int, text: str, **extra) -> Block:
        if self._cur_row is not None and self._cur_row != (table_no, row):
            self._close_row()
        self._cur_row = (table_no, row)
        self._emit("\t")
        start = self._len
        self._emit(text)
        extra.setdefault("rowspan", 1)
        extra.setdefault("colspan", 1)
        b = Block(kind=CELL, text=text, char_start=start, char_end=start + len(text),
                  table_no=table_no, row=row, col=col, **extra)
        self._emit("\n")
        self.blocks.append(b)
        return b

    def end_table(self) -> None:
        self._close_row()

    def build(self, format: str, layout: str, n_pages: int | None = None,
              warnings: list[str] | None = None) -> Document:
        self._close_row()
        return Document(text="".join(self._parts), blocks=self.blocks, format=format,
                        layout=layout, n_pages=n_pages, warnings=list(warnings or []))
