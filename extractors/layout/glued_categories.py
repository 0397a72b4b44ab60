"""Glued cells of indicator tables: the category labels of a body as the table uses them
(framework level 2 only under a framework level 1, a label repeated as the start of a name,
a scrambled level 1, a label a page marker cut in two, a level 2 written with points) and
the holes of the body (page markers, fillers, placeholder rows) that no cell may cross."""
from __future__ import annotations

import regex as re

from . import shape_values as sv
from . import shapes as sh
from .glued_cells import Builder, l1_weight


def sub_weight(l1, l2, lab) -> bool:
    """True if ``lab`` (成本指标(10分)) is a level 2 of ``l1`` (项目产出(30分)): a level 2
    with its points came before it under the same level 1, and its points are fewer."""
    w1, w2, w = l1_weight(l1), l1_weight(l2), l1_weight(lab)
    return None not in (w1, w2, w) and w < w1


def across_markers(bd: Builder, labs: list[sh.Label], a: int, b: int) -> list[sh.Label]:
    """Category labels that a page marker of a document-sharing site cut in two
    (社会效益\n3、指标): the label spans the marker."""
    text = bd.text
    out = list(labs)
    for m in sh.vocab_re("page_marker").finditer(text, a, b):
        left_at = max(a, m.start() - 12)
        left, right = text[left_at:m.start()], text[m.end():min(b, m.end() + 12)]
        joined = left + right
        for lab in sh.find_labels(joined, 0, len(joined), (sh.LEVEL1, sh.LEVEL2)):
            if lab.start < len(left) < lab.end:
                s0, e0 = left_at + lab.start, m.end() + lab.end - len(left)
                out = [x for x in out if x.end <= s0 or x.start >= e0]
                out.append(sh.Label(s0, e0, lab.kind, lab.role, text[s0:e0]))
    return sorted(out, key=lambda x: x.start)


def categories(labs: list[sh.Label], text: str, body_start: int) -> list[sh.Label]:
    """The body's category labels as the table uses them: a framework level 2 (项目目标,
    财务管理) is one only under a framework level 1 (项目决策(10分)), elsewhere it is words
    of a name; a label written right after the same label (财务管理财务管理制度有效性)
    begins the name; a short run of Chinese characters before a level 2 label that has
    the characters of a level-1 label out of order (出标产指: vertical text read out of
    order) is that level 1."""
    frame1 = set(sh.vocab()["frame1"]) - set(sh.vocab()["level1"].values())
    out: list[sh.Label] = []
    l1 = None
    prev_end = body_start
    for lab in labs:
        if lab.kind == sh.LEVEL2 and l1 is None:
            scr = scrambled_level1(text, prev_end, lab.start)
            if scr is not None:
                out.append(scr)
                l1 = scr
        if lab.kind == sh.LEVEL1:
            l1 = lab
        elif lab.kind == sh.TOTAL:
            l1 = None
        if lab.kind == sh.FRAME2:
            if l1 is None or l1.role not in frame1:
                continue
            lab = sh.Label(lab.start, lab.end, sh.LEVEL2, lab.role, lab.text)
        if out and out[-1].end == lab.start and out[-1].role == lab.role and lab.kind in (sh.LEVEL1, sh.LEVEL2):
            continue
        out.append(lab)
        prev_end = lab.end
    return out


def scrambled_level1(text: str, a: int, b: int) -> sh.Label | None:
    s = text[a:b].strip()
    if not 2 <= len(s) <= 8 or not sv.has_han(s) or any(not ("\u4e00" <= c <= "\u9fff") for c in s):
        return None
    a = text.index(s, a)
    hits = {canon for lab, canon in sh.vocab()["level1"].items() if sorted(lab) == sorted(s)}
    if len(hits) != 1:
        return None
    return sh.Label(a, a + len(s), sh.LEVEL1, hits.pop(), s)


def holes(bd: Builder, a: int, b: int) -> list[tuple[int, int]]:
    v = sh.vocab()
    out = [(m.start(), m.end()) for m in sh.vocab_re("page_marker").finditer(bd.text, a, b)]
    out += [(m.start(), m.end()) for m in sh.vocab_re("placeholder_row").finditer(bd.text, a, b)
            if not any(x < m.end() and m.start() < y for x, y in out)]
    for f in sorted(v["filler"], key=len, reverse=True):
        i = bd.text.find(f, a, b)
        while i >= 0:
            if not any(x <= i < y for x, y in out):
                out.append((i, i + len(f)))
            i = bd.text.find(f, i + len(f), b)
    return sorted(out)
