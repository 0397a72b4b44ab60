"""A form head flattened onto one line with spaces, before an indicator table.

PDF text can put a whole form head on one line, its vertical labels shattered into single
characters (dev r026)::

    … 专项名称 残疾人事业发展补助资金 主管部门 省残联 资金额度 4623 万 年 度 总 体 目 标 目标 1:为… 目标 8:… 一级 指标 二级指标 三级指标 …

:func:`read_spaced_head` reads the head between the form title and the indicator header
(一级/二级/三级指标): the whitespace tokens, a run of single characters joined back into
its label (``年 度 总 体 目 标`` → 年度总体目标), each known label (metadata labels of
``forms.yaml``, money line labels of ``columns.yaml``, goal row labels) with the tokens up
to the next label as its value — only where the value has the shape of its field (a name
of at most 30 characters without sentence punctuation, an amount with its unit) — and a
goal label with its numbered items (目标 1: … 目标 n:, numbered 1..n).  Anything else
is not read: the head stays a paragraph.  The indicator part after the header is left
as text, and when its names stand there without their values (a column printed before
the next) the note says so.
"""
from __future__ import annotations

import functools

import regex as re

from .grid import Emitter
from .interleaved import _header_re, _role, LABEL_ROLES
from .vocab import _columns, _similar, core, fold, is_meta_label

SPACES = "spaces"
_TOKEN = re.compile(r"\S+")
_HAN1 = re.compile(r"^\p{Han}$")
_SENTENCE = re.compile(r"[。；;!！?？,，]")
_AMOUNT = re.compile(r"^\d+(?:\.\d+)?$")
_SCALE = ("万", "万元", "元", "亿元")
_GOAL_ITEM = re.compile(r"目标\s*(?P<n>\d{1,2})\s*[:：]")


def _tokens(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """Whitespace tokens of ``text[a:b]``; a run of three or more single characters is one
    token (a vertical label the text shattered)."""
    raw = [(m.start(), m.end()) for m in _TOKEN.finditer(text, a, b)]
    out, i = [], 0
    while i < len(raw):
        if text[raw[i][0]:raw[i][1]] in _SCALE and i and _AMOUNT.match(text[raw[i - 1][0]:raw[i - 1][1]]):
            out.append(raw[i])  # 4623 万: the amount's unit, not a shattered label
            i += 1
            continue
        j = i
        while j < len(raw) and _HAN1.match(text[raw[j][0]:raw[j][1]]):
            j += 1
        if j - i >= 3:
            out.append((raw[i][0], raw[j - 1][1]))
            i = j
        else:
            out.append(raw[i])
            i += 1
    return out


@functools.lru_cache(maxsize=1)
def _money_labels() -> set[str]:
    cols = _columns()
    return {core(x) for x in cols.get("fund_line_labels", [])} | {
        core(x) for v in cols["fund_items"].values() for x in v} | {core(k) for k in cols["fund_items"]}


@functools.lru_cache(maxsize=1)
def _goal_labels() -> list[str]:
    return [core(x) for x in _columns().get("goal_rows", {}).get("goal", [])]


def _kind(t: str) -> str | None:
    c = core(t)
    if not c or len(c) > 12:
        return None
    if c in _money_labels():
        return "money"
    if any(_similar(c, g) >= 0.9 for g in _goal_labels()):
        return "goal"
    if is_meta_label(t):
        return "meta"
    return None


def label_header(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The first run of indicator label-column headers (一级 指标 二级指标 三级指标)."""
    rx = _header_re()
    for m in rx.finditer(text, start, end):
        roles, q = [_role(m)], m.end()
        while True:
            n = rx.match(text, q + len(text[q:end]) - len(text[q:end].lstrip()), end)
            if n is None or n.start() == n.end():
                break
            roles.append(_role(n))
            q = n.end()
        if sum(r in LABEL_ROLES for r in roles) >= 2:
            return m.start(), q
    return None


def _value_ok(kind: str, text: str, toks: list[tuple[int, int]]) -> bool:
    words = [text[a:b] for a, b in toks]
    if kind == "meta":
        return 0 < len(words) <= 2 and len("".join(words)) <= 30 and not _SENTENCE.search("".join(words))
    if kind == "money":
        return (len(words) == 1 and _AMOUNT.match(re.sub(r"(万元|万|元|亿元)$", "", words[0])) is not None) or (
            len(words) == 2 and _AMOUNT.match(words[0]) is not None and words[1] in _SCALE)
    return False


def _goal_items(text: str, a: int, b: int) -> bool:
    ns = [int(m.group("n")) for m in _GOAL_ITEM.finditer(text, a, b)]
    return len(ns) >= 2 and ns == list(range(1, len(ns) + 1)) and _GOAL_ITEM.match(text, a) is not None


def read_spaced_head(text: str, lines: list[tuple[int, int]]) -> Emitter | None:
    hdr = label_header(text, 0, len(text))
    if hdr is None:
        return None
    line = next((ln for ln in lines if ln[0] <= hdr[0] < max(ln[1], ln[0] + 1)), None)
    if line is None:
        return None
    toks = _tokens(text, line[0], hdr[0])
    labels = [(k, kind) for k, (a, b) in enumerate(toks) if (kind := _kind(text[a:b]))]
    if len(labels) < 2 or labels[0][1] != "meta":
        return None
    rows = []
    for n, (k, kind) in enumerate(labels):
        nxt = labels[n + 1][0] if n + 1 < len(labels) else len(toks)
        val = toks[k + 1:nxt]
        if kind == "goal":
            if n + 1 != len(labels) or not val or not _goal_items(text, val[0][0], val[-1][1]):
                return None
            rows.append((toks[k], (val[0][0], val[-1][1])))
        elif _value_ok(kind, text, val):
            rows.append((toks[k], (val[0][0], val[-1][1])))
        else:
            return None
    em = Emitter(text)
    for s, e in lines:
        if e <= line[0]:
            em.paragraph(s, e)
    em.paragraph(line[0], toks[labels[0][0]][0])  # the title before the first label
    em.table([[(1, *lab), (2, *val)] for lab, val in rows], SPACES)
    rest = [t for t in _tokens(text, hdr[1], line[1])]
    em.paragraph(hdr[0], line[1])
    if rest and not any(_AMOUNT.match(re.sub(r"[%万元人个户家]+$", "", text[a:b])) for a, b in rest):
        em.notes.append(f"indicator names at [{hdr[1]}:{line[1]}] stand without any value (the text "
                        "printed the name column before the value columns, which it does not reach): "
                        "no indicator row is published")
    for s, e in lines:
        if s > line[0]:
            em.paragraph(s, e)
    return em
