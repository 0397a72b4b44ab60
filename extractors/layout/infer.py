"""Layout inference for text: lines → separators → rows → width → grid.

:func:`infer` detects the text's dialect from its content (:func:`detect_layout`), reads
its cells with the dialect's separator, rebuilds rows where the text lost them (from the
width of a recognised header), and returns the blocks of the one document model, the
layout name and notes on what could not be rebuilt.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Block
from . import interleaved, pipes, score_pairs, spaced_head, spaces, streams, tabs, token_rows
from .grid import Emitter
from .lines import Line, lines as split_lines, strip_span
from .place import place_rows
from .streams import HEADER_WIDTH

DELIMITED = tabs.DELIMITED


@dataclass
class Inferred:
    blocks: list[Block]
    layout: str
    notes: list[str] = field(default_factory=list)


def detect_layout(text: str) -> str:
    """tab_cells | tsv_rows | markdown_table | blank_line_cells | flat (by the separators
    the text uses; whitespace rows and glued cells are found later, inside ``flat``)."""
    lines = [text[s:e] for s, e in split_lines(text)]
    nonblank = [ln for ln in lines if ln.strip()]
    if not nonblank:
        return "flat"
    lead_tab = sum(1 for ln in nonblank if ln.startswith("\t"))
    inner_tab = sum(1 for ln in nonblank if "\t" in ln.strip("\t") or ln.endswith("\t") and not ln.startswith("\t"))
    pipe = sum(1 for ln in nonblank if "|" in ln.strip()[1:] or ln.strip().endswith("|"))
    n = len(nonblank)
    if lead_tab >= max(3, 0.2 * n) and lead_tab >= inner_tab:
        return "tab_cells"
    if inner_tab >= max(3, 0.15 * n):
        return "tsv_rows"
    if pipe >= max(3, 0.2 * n):
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


def blank_line_cells(text: str, lines: list[Line]) -> list[tuple[int, int]]:
    """Each non-blank line is a cell; the blank line after it separates, every further
    whitespace-only line is an empty cell (a zero-length span where the line starts)."""
    out: list[tuple[int, int]] = []
    separator_due = False
    for s, e in lines:
        if text[s:e].strip():
            out.append(strip_span(text, s, e))
            separator_due = True
        elif s < e:  # a line of spaces is an empty cell (the blank line after it separates)
            out.append((s, s))
            separator_due = True
        elif separator_due:
            separator_due = False
        else:
            out.append((s, s))
    return out


def rebuild_stream(em: Emitter, spans: list[tuple[int, int]]) -> None:
    """A stream of cells: grids where a header fixes the width, the rest kept as a stream."""
    texts = [em.text[a:b] for a, b in spans]
    for part in streams.regroup(texts):
        if isinstance(part, streams.Grid):
            em.table([[(col, *spans[i]) for col, i in row] for row in part.rows], part.confidence)
        else:
            em.stream([spans[i] for i in part], "no header of known column labels")


def _markdown(text: str, lines: list[Line]) -> Emitter:
    em = Emitter(text)
    read = pipes.read_leading if pipes.style(text, lines) == "leading" else pipes.read_terminated
    for kind, obj in read(text, lines):
        if kind == "p":
            em.paragraph(*obj)
        elif obj.stream:
            rebuild_stream(em, obj.rows[0])
        else:
            em.table(place_rows(text, obj.rows), DELIMITED)
    return em


def _flat(text: str, lines: list[Line]) -> tuple[Emitter, str]:
    em = Emitter(text)
    found = spaces.find_tables(text, lines)
    if not found:
        column = interleaved.read_label_column(text, lines, lambda e, a, b: _rest(e, lines, a, b))
        if column is not None:
            return column, "column_interleaved"
        glued = _glued(text, em)
        if glued is not None:
            return glued, "space_flat"
        rows = _token_tables(text, lines)
        if rows is not None:
            return rows, "space_flat"
        sheet, notes = interleaved.read(text, lines)
        if sheet is not None:
            return sheet, "column_interleaved"
        em.notes.extend(notes)
        head = spaced_head.read_spaced_head(text, lines)
        if head is not None:
            head.notes[:0] = em.notes
            return head, "column_interleaved"
    pos = 0
    for i, j, _w, lead in found:
        for ln in lines[pos:i]:
            em.paragraph(*ln)
        spans = [sp for ln in lines[i:j] if (sp := spaces.tokens(text, ln))]
        if lead == 0:
            rows = place_rows(text, spans)
        else:  # block titles left of the header: its rows start under its first column
            rows = [[(c, a, b) for c, (a, b) in enumerate(sp, start=1 if k == 0 else 1 + lead)]
                    for k, sp in enumerate(spans)]
        em.table(rows, spaces.SPACES)
        pos = j
    for ln in lines[pos:]:
        em.paragraph(*ln)
    return em, ("tsv_rows" if found else "flat")


def _rest(em: Emitter, lines: list[Line], start: int, end: int) -> None:
    """``text[start:end]`` around an interleaved block: glued cells where the shape grammar
    reads them, else paragraphs."""
    sub = Emitter(em.text, em.next_table)
    if _glued(em.text, sub, start, end) is None:
        sub = Emitter(em.text, em.next_table)
        for s, e in lines:
            if e > start and s < end:
                sub.paragraph(max(s, start), min(e, end))
    em.blocks.extend(sub.blocks)
    em.notes.extend(sub.notes)
    em.next_table = max([em.next_table] + [b.table_no + 1 for b in sub.blocks if b.table_no])


def _glued(text: str, em: Emitter, start: int = 0, end: int | None = None) -> Emitter | None:
    """Cells run together with no separator: the shape grammar of extractors.layout.glued
    (when present) rebuilds what it can with certainty."""
    try:
        from .glued import glued_grid
    except ImportError:
        return None
    try:
        res = glued_grid(text, start, len(text) if end is None else end, em.next_table)
    except Exception as e:  # noqa: BLE001 - a grammar failure must not lose the document
        em.notes.append(f"glued cells not read ({type(e).__name__}: {e})")
        return None
    if res is None or not any(b.kind == "cell" for b in res.blocks):
        return None
    em.blocks.extend(sorted(res.blocks, key=lambda b: (b.char_start, b.char_end)))
    em.notes.extend(res.notes)
    return em


def _token_tables(text: str, lines: list[Line]) -> Emitter | None:
    """Tables rebuilt from a token stream: rows of figures running into each other
    (token_rows), scattered scoring-sheet rows (score_pairs); every other character of
    the text stays in paragraphs."""
    tables, notes = token_rows.read_tables(text)
    grids = [(t, token_rows.TOKEN_ROWS) for t in tables]
    sheets, sheet_notes = score_pairs.read_sheet(text)
    notes += sheet_notes
    grids += [(t, score_pairs.SCORE_PAIRS) for t in sheets
              if not any(t.start < o.end and o.start < t.end for o, _g in grids)]
    if not grids:
        return None
    em = Emitter(text)
    em.notes.extend(notes)
    covered = sorted([(a, b) for t, _g in grids for row in t.rows for _c, a, b in row if b > a]
                     + [(t.end, t.end) for t, _g in grids])  # the text after a table is not its figures
    items: list[tuple[int, int, object]] = [(t.start, 0, (t, g)) for t, g in grids]
    for s, e in lines:
        for a, b in covered:
            if b < s or a >= e or (b == s and a < b):
                continue
            if s < a:
                items.append((s, 1, (s, a)))
            s = max(s, b)
        if s < e:
            items.append((s, 1, (s, e)))
    for _start, _kind, obj in sorted(items, key=lambda x: (x[0], x[1])):
        if isinstance(obj[0], token_rows.TokenTable):
            em.table(obj[0].rows, obj[1])
        elif any(ch.isalnum() for ch in text[obj[0]:obj[1]]):  # not the stray period of '7.50.'
            em.paragraph(*obj)
    return em


def infer(text: str) -> Inferred:
    try:
        return _infer(text)
    except Exception as e:  # noqa: BLE001 - a layout the steps cannot read is reported, not fatal
        em = Emitter(text)
        for ln in split_lines(text):
            em.paragraph(*ln)
        return Inferred(em.blocks, "flat", [f"table layout not read ({type(e).__name__}: {e}); "
                                            "the text is kept as paragraphs"])


def _infer(text: str) -> Inferred:
    layout = detect_layout(text)
    lines = split_lines(text)
    if layout == "tab_cells":
        return Inferred(tabs.read_tab_cells(text), layout)
    if layout == "tsv_rows":
        return Inferred(tabs.read_tab_rows(text), layout)
    if layout == "markdown_table":
        em = _markdown(text, lines)
    elif layout == "blank_line_cells":
        em = _token_tables(text, lines)
        if em is not None:
            layout = "space_flat"
        else:
            em = Emitter(text)
            rebuild_stream(em, blank_line_cells(text, lines))
    else:
        em, layout = _flat(text, lines)
    return Inferred(em.blocks, layout, em.notes)


__all__ = ["infer", "detect_layout", "Inferred", "HEADER_WIDTH", "DELIMITED"]
