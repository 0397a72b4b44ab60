"""Glued cells: the builder that emits the blocks of a region (paragraphs, cells in rows
and tables, refused runs with their notes) and the label helpers the block readers share."""
from __future__ import annotations

import dataclasses
from decimal import Decimal

import regex as re

from ..model import CELL, PARAGRAPH, Block
from . import shapes as sh
from .lines import strip_span

_L1_POINTS = re.compile(r"(\d+(?:\.\d+)?)\s*分")

GRID = "shape_grammar"
TOP = (sh.META, sh.FUND_CORNER, sh.ROW_LABEL, sh.HEADER, sh.GOAL, sh.END)
BODY = (sh.LEVEL1, sh.LEVEL2, sh.TOTAL, sh.ROW_LABEL, sh.END, sh.META, sh.FRAME2)
_HAS_GRID = "grid" in {f.name for f in dataclasses.fields(Block)}
ATTACHMENT = re.compile(r"(?<![(（\p{Han}])附件\s*\d{1,2}(?![)）\d])|(?<=\p{Han})(?<![(（])附件\s*\d{1,2}(?=\d{4}|\p{Han})")


class Builder:
    """The blocks and notes of one region ``text[start:end]`` as they are read; tables
    numbered from ``table_no``."""

    def __init__(self, text: str, start: int, end: int, table_no: int):
        self.text, self.start, self.end = text, start, end
        self.table_no = table_no
        self.row = 0
        self.blocks: list[Block] = []
        self.notes: list[str] = []
        self.n_tables = 0

    def trim(self, a: int, b: int) -> tuple[int, int]:
        return strip_span(self.text, a, b)

    def para(self, a: int, b: int) -> None:
        """Paragraph blocks of ``text[a:b]``: cut at attachment labels; page markers of
        document-sharing sites (a line starting ``2、``) are left out."""
        marks = [(m.start(), m.end()) for m in sh.vocab_re("page_marker").finditer(self.text, max(a - 1, 0), b)
                 if m.start() >= a - 1]
        if marks:
            x = a
            for ms, me in marks:
                self._para(x, max(ms, x))
                x = max(x, me)
            self._para(x, b)
        else:
            self._para(a, b)

    def _para(self, a: int, b: int) -> None:
        if b <= a:
            return
        cuts = []
        for m in ATTACHMENT.finditer(self.text, a, b):
            cuts += [m.start()] + ([m.end()] if self.text[m.end():m.end() + 1].isdigit() else [])
        cuts = sorted(c for c in set(cuts) if a < c < b)
        for x, y in zip([a] + cuts, cuts + [b]):
            x, y = self.trim(x, y)
            if y > x:
                self.blocks.append(Block(PARAGRAPH, self.text[x:y], x, y))

    def cells(self, spans: list[tuple[int, int]], first_col: int = 1, unread: tuple[int, ...] = ()) -> None:
        """One row of cells (``unread``: the indices of positions whose content is not
        certain, emitted as empty cells marked ``Block.unread``)."""
        if self.n_tables == 0 or self.row == 0 and not any(b.kind == CELL and b.table_no == self.table_no
                                                              for b in self.blocks):
            self.n_tables = max(self.n_tables, 1)
        self.row += 1
        spans = [self.trim(a, b) if b > a else (a, a) for a, b in spans]
        # an empty cell sits where the row's previous cell ends (reading order)
        filled = [sp for sp in spans if sp[1] > sp[0]]
        at = filled[0][0] if filled else (spans[0][0] if spans else 0)
        placed = []
        for a, b in spans:
            if b > a:
                at = b
                placed.append((a, b))
            else:
                placed.append((at, at))
        for k, (a, b) in enumerate(placed):
            blk = Block(CELL, self.text[a:b], a, b, table_no=self.table_no, row=self.row,
                        col=first_col + k, rowspan=1, colspan=1)
            if _HAS_GRID:
                setattr(blk, "grid", GRID)
            if k in unread:
                blk.unread = True
            self.blocks.append(blk)

    def close_table(self) -> None:
        if self.row:
            self.table_no += 1
            self.row = 0

    def refuse(self, a: int, b: int, why: str) -> None:
        a, b = self.trim(a, b)
        if b <= a:
            return
        self.para(a, b)
        s = self.text[a:b].replace("\n", " ")
        self.notes.append(f"glued {why} {s[:40]}{'…' if len(s) > 40 else ''} [{a}:{b}]")

    def skip_ws(self, i: int) -> int:
        while i < self.end and self.text[i].isspace():
            i += 1
        return i


def spaced_labels(text: str, labels: list[sh.Label]) -> bool:
    """True if whitespace, and only whitespace, separates each label from the next."""
    return all(text[a.end:b.start].strip() == "" and a.end < b.start for a, b in zip(labels, labels[1:]))


def l1_weight(lab: sh.Label | None) -> Decimal | None:
    if lab is None:
        return None
    m = _L1_POINTS.search(lab.text)
    return Decimal(m.group(1)) if m else None
