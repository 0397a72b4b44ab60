"""Blocks from rebuilt rows: the one grid contract every form parser reads.

Every cell is a :class:`~extractors.model.Block` of kind ``cell`` whose span is its text
(``text[char_start:char_end] == block.text``); an empty cell is a zero-length block at its
place; ``grid`` says how its table's grid was rebuilt.
"""
from __future__ import annotations

from ..model import CELL, PARAGRAPH, Block
from .lines import strip_span

STREAM = "stream"  # a single-column stream of cells whose rows could not be rebuilt


class Emitter:
    """Collects paragraphs and tables in reading order, numbering tables from
    ``first_table_no``."""

    def __init__(self, text: str, first_table_no: int = 1) -> None:
        self.text = text
        self.blocks: list[Block] = []
        self.next_table = first_table_no
        self.notes: list[str] = []

    def paragraph(self, s: int, e: int) -> None:
        s, e = strip_span(self.text, s, e)
        if s < e:
            self.blocks.append(Block(kind=PARAGRAPH, text=self.text[s:e], char_start=s, char_end=e))

    def table(self, rows: list[list[tuple[int, int, int]]], grid: str) -> int:
        """Rows of (col, start, end) cells; returns the table's number."""
        no = self.next_table
        self.next_table += 1
        for r, row in enumerate(rows, start=1):
            for col, a, b in row:
                self.blocks.append(Block(kind=CELL, text=self.text[a:b], char_start=a, char_end=b,
                                         table_no=no, row=r, col=col, rowspan=1, colspan=1, grid=grid))
        return no

    def stream(self, spans: list[tuple[int, int]], reason: str) -> None:
        """Cells kept as a one-column stream, with the reason their rows were not rebuilt."""
        while spans and spans[-1][0] == spans[-1][1]:
            spans = spans[:-1]
        if not spans:
            return
        no = self.table([[(1, a, b)] for a, b in spans], STREAM)
        if sum(1 for a, b in spans if b > a) >= 4:
            self.notes.append(f"table {no}: {len(spans)} cells kept in one column, rows not rebuilt "
                              f"({reason}); read as label/value pairs")
