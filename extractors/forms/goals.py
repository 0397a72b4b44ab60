"""Goals (年度总体目标 预期目标 vs 实际完成情况, 整体绩效目标) and duties (职能职责).

A goal cell holds numbered items (``1、…；2、…``), one per line or run together, or
``<p>`` fragments; expected and actual items are paired by their number.
"""
from __future__ import annotations

import functools

import regex as re

from ..model import Block
from .common import Ctx, fold, match_role, vocab

# an item number at the start of the cell, of a line, of a <p> fragment or after the
# end of a sentence: 1、 2. 3．(4) （5）
_ITEM = re.compile(
    r"(?:(?<=^)|(?<=\n)|(?<=<p[^>]{0,40}>)|(?<=[。；;！!]\s{0,3}))\s*"
    r"(?:(?P<n>\d{1,2})\s*(?:[、:：]|[.．,，](?!\d))|[(（](?P<m>\d{1,2})[)）])")
# items labelled by the word (目标 1:…目标 2:…, r026): after a space as well; the item's
# text starts after the label
_WORD_ITEM = re.compile(r"(?:(?<=^)|(?<=\s)|(?<=[。；;！!]))目标\s*(?P<n>\d{1,2})\s*[:：]\s*")
_TAG = re.compile(r"</?p[^>]*>", re.I)
_TAG_AT_END = re.compile(r"</?p[^>]*>\s*$")


def split_items(text: str) -> list[tuple[int | None, int, int]]:
    """(number, start, end) of each item within ``text``, tags and outer space excluded."""
    marks = [(int(m.group("n") or m.group("m")), m.start(), m.start()) for m in _ITEM.finditer(text)]
    if not marks:
        marks = [(int(m.group("n")), m.start(), m.end()) for m in _WORD_ITEM.finditer(text)]
    # keep an increasing run of numbers starting at 1 (a stray "3." inside text is not an item)
    kept, expect = [], 1
    for n, pos, body in marks:
        if n == expect:
            kept.append((n, pos, body))
            expect += 1
    spans = []
    if not kept:
        s, e = _trim(text, 0, len(text))
        return [(None, s, e)] if e > s else []
    if kept[0][1] > 0:
        s, e = _trim(text, 0, kept[0][1])
        if e > s:  # text before item 1 (an introduction) is kept as item 0
            spans.append((0, s, e))
    for k, (n, _pos, body) in enumerate(kept):
        end = kept[k + 1][1] if k + 1 < len(kept) else len(text)
        s, e = _trim(text, body, end)
        if e > s:
            spans.append((n, s, e))
    return spans


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while True:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        m = _TAG.match(text, s, e)
        if m and m.start() == s:
            s = m.end()
            continue
        tail = text[s:e]
        m2 = _TAG_AT_END.search(tail)
        if m2:
            e = s + m2.start()
            continue
        return s, e


def _clean(text: str) -> str:
    from normalizers.text import fold_ws

    from ..model import markup_to_lines
    return fold_ws(markup_to_lines(text))


def goal_columns(row: list[Block]) -> dict[str, Block]:
    """expected / actual header cells of a goal block header (预期目标 | 实际完成情况,
    项目年度目标 | 年度目标完成情况, 总体目标 | 全年实际完成情况), each role to the cell
    that matches it best; {} unless every cell of the row is a short label."""
    from normalizers.label_match import split_qualifiers
    cells = [c for c in row if fold(c.text)]
    if not cells or any(len(split_qualifiers(c.content)[0]) > 16 for c in cells):
        return {}
    cands = []
    for c in cells:
        for role, score in _goal_role_scores(split_qualifiers(c.content)[0]):
            if score >= 0.85:
                cands.append((score, c.col, role, c))
    # on equal scores the cell further right: the left one is the block's row label
    cands.sort(key=lambda x: (x[0], x[1]), reverse=True)
    out: dict[str, Block] = {}
    used: set[int] = set()
    for _, _, role, c in cands:
        if role not in out and id(c) not in used:
            out[role] = c
            used.add(id(c))
    return out if "expected" in out else {}


@functools.lru_cache(maxsize=1 << 14)
def _goal_role_scores(core: str) -> tuple[tuple[str, float], ...]:
    """(role, best similarity to its labels) per goal header role, in vocabulary order
    (kept once computed: every row of every table is asked whether it is a goal header)."""
    from normalizers.label_match import similarity, split_qualifiers
    return tuple((role, max(similarity(core, split_qualifiers(lab)[0]) for lab in labels))
                 for role, labels in vocab()["goal_headers"].items())


def is_goal_header(row: list[Block]) -> bool:
    return bool(goal_columns(row))


def is_placeholder(text: str) -> bool:
    """A cell that still holds the template's instruction (``…(100字以内)``)."""
    t = fold(text)
    return any(p.search(t) for p in _instructions())


@functools.lru_cache(maxsize=1)
def _instructions() -> tuple:
    return tuple(re.compile(p) for p in vocab().get("template_instructions", []))


def parse_goal_block(ctx: Ctx, rows: list[list[Block]], start: int) -> int:
    header = rows[start]
    cols = goal_columns(header)
    ctx.claim(*header)
    i = start + 1
    if i >= len(rows):
        return i
    row = rows[i]
    from .indicators import indicator_header
    if indicator_header(rows, i) is not None or goal_columns(row):
        return i
    by_col = {c.col: c for c in row}
    exp_b = by_col.get(cols["expected"].col)
    act_b = by_col.get(cols["actual"].col) if "actual" in cols else None
    filled = [c for c in row if fold(c.text)]
    packed = any(getattr(c, "grid", None) is not None for c in row) and len(row) < len(header)
    if (exp_b is None or packed) and len(filled) == len(cols):  # a row packed to the left
        ordered = sorted(cols, key=lambda r: cols[r].col)
        placed = dict(zip(ordered, filled))
        exp_b, act_b = placed.get("expected"), placed.get("actual")
    if exp_b is None or not fold(exp_b.text) or is_placeholder(exp_b.text):
        return i
    if act_b is not None and is_placeholder(act_b.text):
        ctx.claim(act_b)
        act_b = None
    pair_items(ctx, "goal", exp_b, act_b)
    ctx.claim(*row)
    return i + 1


def pair_items(ctx: Ctx, kind: str, exp_b: Block, act_b: Block | None) -> None:
    exp = split_items(exp_b.text)
    act = split_items(act_b.text) if act_b is not None and fold(act_b.text) else []
    act_by_n = {n: (s, e) for n, s, e in act}
    used = set()
    ordinal = 0
    for n, s, e in exp:
        ordinal += 1
        a = act_by_n.get(n) if n is not None else (act[0][1:] if len(act) == 1 and len(exp) == 1 else None)
        if a is not None:
            used.add(n)
        _goal(ctx, kind, ordinal, exp_b, s, e, act_b, a)
    for n, s, e in act:
        if n not in used and not (n is None and len(exp) == 1):
            ordinal += 1
            _goal(ctx, kind, ordinal, None, None, None, act_b, (s, e))
    ctx.claim(exp_b, act_b)


def _goal(ctx: Ctx, kind: str, ordinal: int, exp_b, es, ee, act_b, a) -> None:
    ctx.goals.append({
        "kind": kind, "ordinal": ordinal,
        "expected_text": _clean(exp_b.text[es:ee]) if exp_b is not None else None,
        "actual_text": _clean(act_b.text[a[0]:a[1]]) if a is not None else None,
        "expected_block": exp_b if exp_b is not None else None,
        "actual_block": act_b if a is not None else None,
        "expected_start": exp_b.char_start + es if exp_b is not None else None,
        "expected_end": exp_b.char_start + ee if exp_b is not None else None,
        "actual_start": act_b.char_start + a[0] if a is not None else None,
        "actual_end": act_b.char_start + a[1] if a is not None else None,
    })


def goal_row_kind(cell: Block) -> str | None:
    """duty | goal for a row label such as 部门职能职责概述 / 整体绩效目标."""
    t = fold(cell.text)
    if not t or len(t) > 12:
        return None
    return match_role(t, vocab()["goal_rows"])


_WORD = re.compile(r"\S+")
MAX_GOAL_LABEL = 12


def paragraph_goals(ctx: Ctx) -> None:
    """Goal rows of a form that the text gave as paragraphs, labels and text separated by
    spaces (dev r030: ``项目年度绩效目标情况 长期绩效目标 落实并进一步完善…``): a one-line
    paragraph whose leading words are goal/duty row labels (``goal_rows``; a word that is a
    form's title, ``项目绩效目标表_第1页``, is none), then the text, split into items.  A
    paragraph whose text is not preceded by such a label is not a goal."""
    from ..segment import form_specs
    titles = [t for f in form_specs()["forms"] for t in f["_titles"]]
    for p in ctx.section.paragraphs():
        if id(p) in ctx.claimed or "\n" in p.text.strip():
            continue  # one row of the form is one line
        words = list(_WORD.finditer(p.text))
        kind, k = None, 0
        while k < len(words) - 1 and len(words[k].group()) <= MAX_GOAL_LABEL:
            w = goal_row_kind(Block("paragraph", words[k].group(), 0, 0))
            if w is None or any(t.search(words[k].group()) for t in titles):
                break  # not a goal label, or a form's title (项目绩效目标表_第1页)
            kind, k = kind or w, k + 1
        if kind is None:
            continue
        start = words[k].start()
        ordinal = sum(g["kind"] == kind for g in ctx.goals)
        for _, s, e in split_items(p.text[start:]):
            ordinal += 1
            _goal(ctx, kind, ordinal, p, start + s, start + e, None, None)
        ctx.claim(p)
