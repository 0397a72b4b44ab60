"""PDF page layout outside tables: page headers/footers (page numbers, running lines in
the margins) dropped, text-block margins per page, lines grouped into paragraphs and a
paragraph's lines joined into its text."""
from __future__ import annotations

import re
from collections import Counter

from ._common import is_cjk
from .pdf_lines import Line, _latin
from .pdf_tables import Chunk

MARGIN_ZONE = 0.10  # top/bottom share of the page where headers/footers live

_PAGE_NO = re.compile(
    r"^[\s\-—–―‒~·•_=]*(?:第\s*\d{1,4}\s*页(?:\s*[,，/、]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}|(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?|\d{1,4})"
    r"[\s\-—–―‒~·•_=]*$", re.I)


class _PageData:
    def __init__(self, no: int, width: float, height: float) -> None:
        self.no = no
        self.width = width
        self.height = height
        self.chunks: list[Chunk] = []
        self.lines: list[Line] = []
        self.n_chars = 0



def _in_margin(ln: Line, pd: _PageData) -> bool:
    return ln.bottom <= pd.height * MARGIN_ZONE or ln.top >= pd.height * (1 - MARGIN_ZONE)


def _drop_headers_footers(pdata: list[_PageData], warnings: list[str]) -> None:
    n_pageno = 0
    n_running = 0
    # running headers/footers: the same margin text (digits aside) on most pages
    counts: Counter = Counter()
    for pd in pdata:
        keys = {re.sub(r"\d+", "#", re.sub(r"\s+", "", ln.text)) for ln in pd.lines if _in_margin(ln, pd)}
        counts.update(keys)
    n_text_pages = sum(1 for pd in pdata if pd.lines)
    running = {k for k, n in counts.items() if k and n >= 3 and n >= 0.5 * n_text_pages}
    for pd in pdata:
        kept = []
        for ln in pd.lines:
            if _in_margin(ln, pd):
                if _PAGE_NO.match(ln.text):
                    n_pageno += 1
                    continue
                if re.sub(r"\d+", "#", re.sub(r"\s+", "", ln.text)) in running:
                    n_running += 1
                    continue
            kept.append(ln)
        pd.lines = kept
    if n_pageno:
        warnings.append(f"{n_pageno} page number line(s) in page headers/footers dropped")
    if n_running:
        warnings.append(f"{n_running} running header/footer line(s) dropped")


def _centred(ln: Line, left: float, right: float) -> bool:
    lm, rm = ln.x0 - left, right - ln.x1
    return lm > 0.5 * ln.size and abs(lm - rm) < max(ln.size, 0.03 * (right - left))


def _margins(pdata: list[_PageData]) -> dict[int, tuple[float, float]]:
    """Left/right edge of the text block per page: the extremes of the text lines of all
    pages of the same width (so a page with two short lines still knows its margins)."""
    groups: dict[int, list[Line]] = {}
    for pd in pdata:
        groups.setdefault(round(pd.width), []).extend(pd.lines)
    out = {}
    for pd in pdata:
        lines = groups.get(round(pd.width))
        if lines:
            out[pd.no] = (min(ln.x0 for ln in lines), max(ln.x1 for ln in lines))
    return out


def _paragraphs(lines: list[Line], margins: dict[int, tuple[float, float]]) -> list[list[Line]]:
    """Group consecutive lines (already in reading order) into paragraphs."""
    if not lines:
        return []
    paras: list[list[Line]] = [[lines[0]]]
    for prev, ln in zip(lines, lines[1:]):
        left, right = margins.get(ln.page, (ln.x0, ln.x1))
        pleft, pright = margins.get(prev.page, (prev.x0, prev.x1))
        size = max(ln.size, prev.size)
        new = False
        if abs(ln.size - prev.size) > 0.1 * size:
            new = True
        elif ln.page != prev.page:
            # a paragraph running over the page break: previous line full, this one flush left
            new = not (pright - prev.x1 < 2.5 * prev.size and ln.x0 - left < 0.5 * ln.size)
        else:
            gap = ln.top - prev.bottom
            if gap > 1.5 * size or gap < -0.5 * size:
                new = True
            elif _centred(prev, left, right) and _centred(ln, left, right) and \
                    abs((prev.x0 + prev.x1) - (ln.x0 + ln.x1)) < 4 * size:
                new = gap > 0.8 * size  # one centred title over several lines
            elif ln.x0 - left > 1.0 * ln.size:  # first-line indent (or a centred line)
                new = True
            elif right - prev.x1 > 2.5 * prev.size:  # previous line stops short
                new = True
        if new:
            paras.append([ln])
        else:
            paras[-1].append(ln)
    return paras


def _join_lines(lines: list[Line]) -> str:
    out = ""
    for ln in lines:
        t = ln.text.strip(" ")
        if out and t and _latin(out[-1]) and _latin(t[0]):
            out += " "
        elif out and t and not is_cjk(out[-1]) and not is_cjk(t[0]) and out[-1] in ",.;:!?)" :
            out += " "
        out += t
    return out
