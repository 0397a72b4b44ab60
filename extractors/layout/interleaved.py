"""Column-interleaved text: a table whose labels and values did not come out row by row.

PDF text layers print a scoring sheet's merged label cells and its figures apart: each
label carries its points (``相关性(5 分)``) and the row's score comes at the start of the
next line, after the label it belongs to::

    2017 年部门整体支出绩效评价得分表 一级指 标 二级指标 三级指标 得分 部门决 策(25 分) 目标任务(15 分) 相关性(5 分)
    5 明确性(5 分)
    5 合理性(5 分)
    5 预算编制(10 分) 测算依据(5 分)

:func:`read_weighted_sheet` pairs such a run of labels with its run of values only where
the pairing is certain (``interleaved_rows``): the header names the label columns (一级 /
二级 / 三级) and the value column (得分); between two values stand one to as many labels as
the header has label columns, a new label at a level opening every level below it (merged
cells nest), so the count of labels fixes each one's level; every score is at most its
row's points, every closed group's points are the sum of its rows' points, and no other
alignment (a value before its label) fits.  Otherwise nothing is paired and the note says
why.  The rebuilt table's cells keep their exact spans; its ``grid_confidence`` is
``interleaved``.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from decimal import Decimal

import regex as re

from .grid import Emitter
from .interleaved_rows import Label, Value, pair_rows
from .vocab import _columns

INTERLEAVED = "interleaved"  # grid_confidence: labels and values printed apart, paired in order

# a label qualified by its points: 相关性(5 分), 部门决 策(25 分) (a wrap space inside)
_LABEL = re.compile(r"(?P<name>[^\s\d()（）:：,，。;；][^\d()（）\n:：,，。;；]{0,30}?)\s*"
                    r"[(（]\s*(?P<w>\d+(?:\.\d+)?)\s*分\s*[)）]")
# a value printed apart from its label (the score of the row before it)
_VALUE = re.compile(r"(?P<v>\d+(?:\.\d+)?)(?=\s|$)")

LABEL_ROLES = ("level1", "level2", "name")


@dataclass
class Header:
    start: int
    end: int
    cells: list[tuple[str, int, int]]  # (role, start, end) in column order


@functools.lru_cache(maxsize=1)
def _header_re() -> re.Pattern:
    """Header labels of the label and score columns, whitespace allowed between characters
    (``一级指 标``)."""
    cols = _columns()["indicator_columns"]
    alts = []
    for role in LABEL_ROLES + ("score",):
        for lab in sorted(cols[role], key=len, reverse=True):
            alts.append((role, r"\s*".join(map(re.escape, lab))))
    body = "|".join(f"(?P<{role}_{k}>{pat})" for k, (role, pat) in enumerate(alts))
    return re.compile(body)


def _role(m: re.Match) -> str:
    name = next(k for k, v in m.groupdict().items() if v is not None)
    return name.rsplit("_", 1)[0]


def find_header(text: str, start: int, end: int) -> Header | None:
    """The first run of header labels ``一级指标 二级指标 三级指标 得分`` (separated by
    whitespace only) naming at least two label columns and a score column."""
    rx = _header_re()
    pos = start
    while True:
        m = rx.search(text, pos, end)
        if m is None:
            return None
        cells = [(_role(m), m.start(), m.end())]
        q = m.end()
        while True:
            n = rx.match(text, _skip_ws(text, q, end), end)
            if n is None or n.start() == n.end():
                break
            cells.append((_role(n), n.start(), n.end()))
            q = n.end()
        roles = [r for r, _, _ in cells]
        labels = [r for r in roles if r in LABEL_ROLES]
        if (len(labels) >= 2 and roles[-1] == "score" and roles.count("score") == 1
                and labels == [r for r in LABEL_ROLES if r in labels] and len(set(labels)) == len(labels)):
            return Header(cells[0][1], q, cells)
        pos = m.end()


def _skip_ws(text: str, i: int, end: int) -> int:
    while i < end and text[i].isspace():
        i += 1
    return i


def tokens(text: str, start: int, end: int) -> tuple[list[Label | Value], int]:
    """Labels with points and whitespace-delimited values from ``start``; the end of the last
    token read (where the run stops: a cut row, a label without points, prose)."""
    out: list[Label | Value] = []
    pos = start
    while True:
        i = _skip_ws(text, pos, end)
        if i >= end:
            return out, pos
        m = _VALUE.match(text, i, end)  # at a line start (r018) or inline (a flattened sheet)
        if m is not None:
            out.append(Value(Decimal(m.group("v")), m.start(), m.end()))
            pos = m.end()
            continue
        m = _LABEL.match(text, i, end)
        if m is None:
            return out, pos
        out.append(Label(Decimal(m.group("w")), m.start(), m.end()))
        pos = m.end()


def read_weighted_sheet(em: Emitter, start: int, end: int) -> int | None:
    """Emit the scoring sheet whose header is the first in ``text[start:end]``: its
    header row and paired rows (the text before the header is the caller's); the offset
    where its run stops, or None (nothing emitted) when the region holds no such sheet or
    its pairing is not certain (the note says why)."""
    text = em.text
    hdr = find_header(text, start, end)
    if hdr is None:
        return None
    toks, stop = tokens(text, hdr.end, end)
    depth = sum(1 for r, _, _ in hdr.cells if r in LABEL_ROLES)
    res = pair_rows(toks, depth)
    if res.rows is None:
        em.notes.append(f"interleaved sheet at [{hdr.start}:{hdr.end}] not paired: {res.reason}")
        return None
    roles = [r for r, _, _ in hdr.cells]
    col = {r: k for k, r in enumerate(roles, start=1)}
    lab_roles = [r for r in LABEL_ROLES if r in col]
    grid = [[(col[r], a, b) for r, a, b in hdr.cells]]
    for row in res.rows:
        anchor = row.labels[0][1].start
        cells = []
        for k, r in enumerate(lab_roles):
            lab = row.label_at(k)
            cells.append((col[r], lab.start, lab.end) if lab else (col[r], anchor, anchor))
        cells.append((col["score"], row.value.start, row.value.end))
        grid.append(cells)
    no = em.table(grid, INTERLEAVED)
    if res.reason:
        em.notes.append(f"table {no}: {res.reason}")
    line_end = text.find("\n", res.end, end)
    line_end = end if line_end < 0 else line_end
    if text[res.end:line_end].strip():
        a = _skip_ws(text, res.end, line_end)
        em.notes.append(f"table {no}: its run of labels and values stops at [{a}:{line_end}] "
                        f"{text[a:line_end][:30]!r} (neither a label with points nor a value: the "
                        "table is cut there or goes on in another layout)")
    return res.end


def header_start(text: str, start: int, end: int) -> int | None:
    hdr = find_header(text, start, end)
    return hdr.start if hdr else None


def read(text: str, lines: list[tuple[int, int]]) -> tuple[Emitter | None, list[str]]:
    """The text as paragraphs and the interleaved sheets rebuilt in it (None if none is),
    and the notes on the sheets that could not be paired."""
    em = Emitter(text)
    pos, found = 0, False
    while True:
        h = header_start(text, pos, len(text))
        if h is None:
            break
        probe = Emitter(text, em.next_table)
        stop = read_weighted_sheet(probe, h, len(text))
        em.notes.extend(probe.notes)
        if stop is None:
            break
        _paragraphs(em, lines, pos, h)
        em.blocks.extend(probe.blocks)
        em.next_table = probe.next_table
        pos, found = stop, True
    if not found:
        return None, em.notes
    _paragraphs(em, lines, pos, len(text))
    return em, em.notes


def _paragraphs(em: Emitter, lines: list[tuple[int, int]], start: int, end: int) -> None:
    """One paragraph per line of ``text[start:end]`` (a line cut by ``start``/``end`` in part)."""
    for s, e in lines:
        s, e = max(s, start), min(e, end)
        if s < e:
            em.paragraph(s, e)


def read_label_column(text: str, lines: list[tuple[int, int]], rest) -> Emitter | None:
    """The text with its label column (``interleaved_columns``) paired where confirmed;
    ``rest(em, start, end)`` reads the text between the paired parts.  None when the
    text has no label column or none of its labels could be paired."""
    from . import interleaved_columns as ic
    col = ic.find(text, lines)
    if col is None:
        return None
    pairs, note = ic.pair(text, col)
    if not pairs:
        return None
    em = Emitter(text)
    _paragraphs(em, lines, 0, col.labels[0][0])
    grid = [[(1, *p.label), (2, *p.value), (3, *p.row_label), (4, *p.row_value)] for p in pairs]
    no = em.table(grid, INTERLEAVED)
    left = col.labels[len(pairs):]
    if left:  # the unpaired labels stay one paragraph, as the text printed them
        em.paragraph(left[0][0], left[-1][1])
        em.notes.append(f"table {no}: {note}")
    after = col.values[len(pairs) - 1][1]
    goals = _column_goals(em, lines, col, after)
    if goals is None:
        rest(em, after, len(text))
        return em
    (labels, texts, hdr) = goals
    rest(em, after, texts[0][0])
    em.table([[(1, *lab), (2, *txt)] for lab, txt in zip(labels, texts)], INTERLEAVED)
    rest(em, hdr, len(text))
    return em


def _column_goals(em: Emitter, lines, col, after: int):
    """The column's goal labels paired with the goal texts just before the next indicator
    header, where their counts agree; None otherwise (a note says why)."""
    from . import interleaved_columns as ic
    from .spaced_head import label_header
    text = em.text
    labels = ic.goal_labels(text, col)
    hdr = label_header(text, after, len(text))
    if not labels or hdr is None:
        return None
    line_start = next((s for s, e in lines if s <= hdr[0] < max(e, s + 1)), hdr[0])
    texts = ic.goal_block(text, lines, hdr[0], len(labels))
    if texts is None or texts[0][0] < after:
        em.notes.append(f"label column: {len(labels)} goal label(s) not paired: the text before the "
                        f"indicator header at [{hdr[0]}:{hdr[1]}] is not {len(labels)} sentence(s) of its own")
        return None
    return labels, texts, line_start
