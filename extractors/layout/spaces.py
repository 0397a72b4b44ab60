"""Whitespace-separated rows (``tsv_rows`` without TABs): ``年度资金总额: 2300.67 2300.67 100%``.

Runs of spaces separate cells only where the document shows a table: a line whose
tokens are mostly column headers the forms know (``一级指标 二级指标 三级指标 年度指标值
全年完成值 …``, ``项目资金(万元) 全年预算数(A) 全年执行数(B) 执行率(B/A)``).  From such a
header on, each line is a row of at most the header's width; the block ends at a line
with more tokens than that, a new header, or a label that closes a table.  Prose is never
split: it has no header line.

A single space between two single characters (``合 计``, ``项 目``) is a spaced-out label,
not a separator.
"""
from __future__ import annotations

import regex as re

from .lines import Line
from .streams import fits_column, start_col, header_at
from .vocab import ITEM, is_closing

SPACES = "spaces"
_TOKEN = re.compile(r"\S+")


def tokens(text: str, ln: Line) -> list[tuple[int, int]]:
    """Cell spans of a line split at whitespace, spaced-out labels kept whole."""
    out: list[list[int]] = []
    for m in _TOKEN.finditer(text, ln.start, ln.end):
        a, b = m.span()
        if out:
            pa, pb = out[-1]
            gap = text[pb:a]
            if gap in (" ", "\u3000") and (pb - pa == 1 or b - a == 1) and _cjk(text[pb - 1]) and _cjk(text[a]):
                if pb - pa == 1 and b - a <= 2 or b - a == 1 and pb - pa <= 2:
                    out[-1][1] = b
                    continue
        out.append([a, b])
    return [(a, b) for a, b in out]


def _cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _kinds(text: str, spans: list[tuple[int, int]], lead: int) -> list[str]:
    h = header_at([text[a:b] for a, b in spans], lead)
    return h.kinds if h is not None else []


def fits(text: str, spans: list[tuple[int, int]], kinds: list[str]) -> bool:
    """A line of a funds-like block (label column, then figures) must read as a label
    followed by figures in the figure columns; other blocks take any line that is not
    wider than the header."""
    if not kinds or kinds[0] != ITEM:
        return True
    texts = [text[a:b] for a, b in spans]
    if start_col(kinds, texts[0]) != 0:
        return False
    return all(fits_column(k, t) for k, t in zip(kinds[1:], texts[1:]))


def header_at_line(text: str, spans: list[tuple[int, int]]) -> tuple[int, int] | None:
    """(lead, width) of the header the line's tokens make, if they make one: the header
    runs to the line's end; ``lead`` tokens before it title the block (``项目资金情况
    项目资金申请(万元) 项 目 上年度安排资金 本年度申请资金``)."""
    if len(spans) < 2:
        return None
    texts = [text[a:b] for a, b in spans]
    for i in range(len(texts) - 1):
        h = header_at(texts, i)
        if h is not None and h.end == len(texts):
            return i + h.lead, len(texts) - i - h.lead
    return None


def header_width(text: str, spans: list[tuple[int, int]]) -> int | None:
    """The width of the header the line's tokens make, if they make one."""
    h = header_at_line(text, spans)
    return None if h is None else h[1]


def find_tables(text: str, lines: list[Line]) -> list[tuple[int, int, int, int]]:
    """(first line index, end line index, width, lead) of each whitespace table; body
    rows start under the header's first column, ``lead`` cells right of the line start."""
    out = []
    i, n = 0, len(lines)
    while i < n:
        hl = header_at_line(text, tokens(text, lines[i]))
        if hl is None:
            i += 1
            continue
        lead, w = hl
        kinds = _kinds(text, tokens(text, lines[i]), lead)
        j = i + 1
        while j < n:
            sp = tokens(text, lines[j])
            if not sp:
                j += 1
                continue
            if len(sp) > w or header_width(text, sp) or is_closing(text[sp[0][0]:sp[0][1]]) \
                    or not fits(text, sp, kinds):
                break
            j += 1
        while j - 1 > i and not text[lines[j - 1].start:lines[j - 1].end].strip():
            j -= 1
        out.append((i, j, w, lead))
        i = j
    return out
