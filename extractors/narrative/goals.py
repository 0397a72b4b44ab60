"""Duties and goals stated in a report: ``goals`` records of kind duty and goal.

The report's paragraphs are cut into *pieces* at headings, including headings run into a
line (``一、部门基本情况 (一)部门职能 我局负责…`` in text without line breaks).  Then:

* a heading whose topic is a duty label (``（一）职能职责``, ``(一)部门职能``, or a line that is
  only that label, ``职能职责概述``,
  ``report_goals.duty_headings``) opens a duty list: the text up to the next heading;
* a heading whose topic ends with a goal label (``(四)部门整体支出绩效目标``) opens a
  goal list, and so does an inline label (``年度总体目标:``, ``项目建设目标:``,
  ``项目绩效目标是``) - to the end of its piece, or, when the label ends its paragraph,
  the paragraphs after it up to the next heading or label;
* a list is split into items by its numbering (``1、`` ``2.`` ``（3）`` ``一是``; one
  numbered paragraph per item, or items run together in one paragraph); unnumbered text
  is one item.  The numbering is removed from the text (``ordinal`` carries it); the
  span (``expected_start``/``expected_end``) is exact;
* where a later heading or label states the completion item by item
  (``(二)绩效目标完成情况`` with as many numbered items), the items are paired by number
  (``actual_text``); otherwise ``actual_text`` is null.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Sequence

from .text import _CN, _INLINE_HEAD_RE, _patterns

_NUMBERING = rf"(?:[(（]\s*[{_CN}\d]{{1,3}}\s*[)）]|[{_CN}]{{1,3}}\s*[、.．]|\d{{1,2}}\s*[、.．](?!\d))"


@functools.lru_cache(maxsize=1)
def _vocab() -> dict:
    v = _patterns()["report_goals"]
    alt = lambda ws: "|".join(map(re.escape, sorted(ws, key=len, reverse=True)))  # noqa: E731
    return {
        "duty_head": re.compile(rf"\s*(?:{_NUMBERING})?\s*(?:部门|单位|主要)?(?:{alt(v['duty_headings'])})"
                                rf"(?:概述|概况|情况)?(?![^\s，。：:；;,我本该])"),
        # a line that is only a duty label (职能职责概述, a form-like report's label cell)
        "duty_line": re.compile(rf"\s*(?:部门|单位|主要)?(?:{alt(v['duty_headings'])})"
                                rf"(?:概述|概况|情况)?\s*[:：]?\s*"),
        "goal_head": re.compile(rf"\s*{_NUMBERING}\s*[^\s，。；;:：]{{0,16}}?(?:{alt(v['goal_labels'])})"
                                rf"(?!{alt(v['not_after_goal'])})"),
        "goal_label": re.compile(rf"(?:{alt(v['goal_labels'])})\s*(?:[:：]|是|为(?!{alt(v['not_after_goal'])}))\s*"),
        "actual_head": re.compile(rf"\s*{_NUMBERING}\s*[^\s，。；;:：]{{0,16}}?(?:{alt(v['actual_labels'])})"),
    }


@dataclass
class _Piece:
    para: int
    start: int  # offsets within the paragraph text
    end: int
    heading: bool


_ITEM_RE = re.compile(
    rf"(?<![\d.．])(?P<n>\d{{1,2}})\s*[、.．](?!\d)|[(（](?P<m>\d{{1,2}})[)）]"
    rf"|(?<![{_CN}])(?P<c>[{_CN}])是")
_CN_VAL = {c: i + 1 for i, c in enumerate(_CN)}
_LEAD_RE = re.compile(rf"\s*(?:(?P<n>\d{{1,2}})\s*[、.．](?!\d)|[(（](?P<m>\d{{1,2}})[)）]|(?P<c>[{_CN}])是)")


def _number(m: re.Match) -> int:
    return int(m.group("n") or m.group("m")) if (m.group("n") or m.group("m")) else _CN_VAL[m.group("c")]


def _items(text: str, s: int, e: int) -> list[tuple[int, int, int]]:
    """(number, start, end) of the numbered items of text[s:e] (an increasing run from 1),
    numbering excluded; [(0, s, e)] when the text is not numbered."""
    marks = []
    for m in _ITEM_RE.finditer(text, s, e):
        marks.append((_number(m), m.start(), m.end()))
    kept, expect = [], 1
    for n, a, b in marks:
        if n == expect:
            kept.append((n, a, b))
            expect += 1
    if not kept or (kept[0][1] - s > 0 and text[s:kept[0][1]].strip(" \t:：")):
        return [(0, *_trim(text, s, e))] if text[s:e].strip() else []
    out = []
    for k, (n, a, b) in enumerate(kept):
        end = kept[k + 1][1] if k + 1 < len(kept) else e
        ts, te = _trim(text, b, end)
        if te > ts:
            out.append((n, ts, te))
    return out


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in " \t\u3000、:：":
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _pieces(texts: Sequence[str], levels: Sequence[int | None]) -> list[_Piece]:
    out: list[_Piece] = []
    line = _vocab()["duty_line"]
    for i, t in enumerate(texts):
        if line.fullmatch(t):
            out.append(_Piece(i, 0, len(t), True))
            continue
        cuts = sorted({0} | {m.start() for m in _INLINE_HEAD_RE.finditer(t)})
        for k, a in enumerate(cuts):
            b = cuts[k + 1] if k + 1 < len(cuts) else len(t)
            if t[a:b].strip():
                out.append(_Piece(i, a, b, a > 0 or levels[i] is not None))
    return out


def _region(pieces: list[_Piece], k: int, start: int, texts) -> list[tuple[int, int, int]]:
    """(paragraph, start, end) spans from ``start`` in piece k to the next heading."""
    p = pieces[k]
    spans = [(p.para, start, p.end)] if texts[p.para][start:p.end].strip() else []
    for q in pieces[k + 1:]:
        if q.heading or _vocab()["goal_label"].search(texts[q.para], q.start, q.end):
            break
        spans.append((q.para, q.start, q.end))
    return spans


def _list_items(spans, texts) -> list[tuple[int, list[tuple[int, int, int]]]]:
    """(number, [(paragraph, start, end)]) items of a list region."""
    if not spans:
        return []
    if len(spans) == 1:
        para, s, e = spans[0]
        return [(n, [(para, a, b)]) for n, a, b in _items(texts[para], s, e)]
    items: list[tuple[int, list]] = []
    for para, s, e in spans:
        t = texts[para]
        lead = _LEAD_RE.match(t, s, e)
        n = _number(lead) if lead else 0
        if n and n == len(items) + 1:  # one numbered paragraph per item
            a, b = _trim(t, lead.end(), e)
            items.append((n, [(para, a, b)]))
        elif items:  # a continuation paragraph of the last item
            a, b = _trim(t, s, e)
            items[-1][1].append((para, a, b))
        else:
            items.extend((n, [(para, a, b)]) for n, a, b in _items(t, s, e))
    return items


def report_goals(texts: Sequence[str], starts: Sequence[int], levels: Sequence[int | None]) -> list[dict]:
    """Duty and goal items of a report, in text order, as ``goals`` record fields
    (``kind, ordinal, expected_text, actual_text, expected_start/end, actual_start/end``)
    plus ``expected_para``/``actual_para`` (paragraph indices)."""
    from normalizers.text import fold_ws

    v = _vocab()
    pieces = _pieces(texts, levels)
    lists: list[tuple[str, list]] = []  # (kind, spans)
    actual_lists: list[list] = []
    for k, p in enumerate(pieces):
        t = texts[p.para]
        if p.heading:
            if v["duty_line"].fullmatch(t) and k + 1 < len(pieces):
                q = pieces[k + 1]  # a label cell: its text is the next cell
                lists.append(("duty", [(q.para, q.start, q.end)]))
                continue
            m = v["duty_head"].match(t, p.start, p.end)
            if m:
                lists.append(("duty", _region(pieces, k, m.end(), texts)))
                continue
            m = v["actual_head"].match(t, p.start, p.end)
            if m:
                actual_lists.append(_region(pieces, k, m.end(), texts))
                continue
        lab = v["goal_label"].search(t, p.start, p.end)
        if lab:
            lists.append(("goal", _region(pieces, k, lab.end(), texts)))
            continue
        if p.heading:
            m = v["goal_head"].match(t, p.start, p.end)
            if m:
                region = _region(pieces, k, m.end(), texts)
                if not any(v["goal_label"].search(texts[a], s, e) for a, s, e in region):
                    lists.append(("goal", region))
    out: list[dict] = []
    for kind, spans in lists:
        items = _list_items(spans, texts)
        actual = _actuals(items, actual_lists, texts) if kind == "goal" else {}
        for n, parts in items:
            rec = _record(kind, parts, texts, starts, fold_ws)
            if rec is None:
                continue
            act = actual.get(n)
            if act:
                para, a, b = act
                rec.update(actual_text=fold_ws(texts[para][a:b]), actual_para=para,
                           actual_start=starts[para] + a, actual_end=starts[para] + b)
            out.append(rec)
    return out


def _actuals(items, actual_lists, texts) -> dict[int, tuple[int, int, int]]:
    """Completion items paired by number with the goal items, where a completion list
    states exactly as many numbered items."""
    numbered = [n for n, _ in items if n]
    if len(numbered) < 2:
        return {}
    for spans in actual_lists:
        acts = _list_items(spans, texts)
        if [n for n, _ in acts] == numbered and all(len(p) == 1 for _, p in acts):
            return {n: p[0] for n, p in acts}
    return {}


def _record(kind, parts, texts, starts, fold_ws) -> dict | None:
    para0, s0, _ = parts[0]
    para1, _, e1 = parts[-1]
    text = "".join(texts[p][a:b] for p, a, b in parts)
    cleaned = fold_ws(text).strip()
    if not cleaned or len(re.sub(r"\W", "", cleaned)) < 2:
        return None
    return {"kind": kind, "expected_text": cleaned, "actual_text": None,
            "expected_para": para0, "expected_start": starts[para0] + s0,
            "expected_end": starts[para1] + e1, "actual_para": None,
            "actual_start": None, "actual_end": None}
