"""Glued cells of small blocks: allocation lists (乡镇 | 补助经费(万元) and name + amount
pairs up to the total line) and spaced goal blocks."""
from __future__ import annotations

import functools

import regex as re

from . import shape_values as sv
from . import shapes as sh
from .glued_cells import Builder
from .shapes import label_re, vocab


@functools.lru_cache(maxsize=1)
def list_header_re() -> re.Pattern:
    lt = vocab()["list_tables"]
    alt = lambda labs: "|".join(label_re(x) for x in sorted(labs, key=len, reverse=True))
    return re.compile(rf"(?P<entity>{alt(lt['entity'])})\s*(?P<amount>\p{{Han}}{{1,10}}\s*[(（]\s*[万亿]?元\s*[)）])"
                      rf"\s*(?P<remark>{alt(lt['remark'])})?")


@functools.lru_cache(maxsize=1)
def list_row_re() -> re.Pattern:
    total = "|".join(label_re(x) for x in sorted(vocab()["list_tables"]["total"], key=len, reverse=True))
    return re.compile(rf"\s*(?P<name>(?P<total>{total})|[\p{{Han}}][^\d\s:：,，。;；()（）]{{0,15}}?)\s*(?P<amount>{sv.NUM})(?![\d.%])")


def read_list(bd: Builder, m) -> int:
    """乡镇 | 补助经费(万元) | 备注 and glued name + amount pairs up to the total line."""
    bd.close_table()
    head = [m.span("entity"), m.span("amount")] + ([m.span("remark")] if m.group("remark") else [])
    bd.cells(head)
    pos, total, items = m.end(), None, []
    while True:
        r = list_row_re().match(bd.text, pos, bd.end)
        if r is None:
            break
        row = [r.span("name"), r.span("amount")] + ([(r.end(), r.end())] if len(head) == 3 else [])
        bd.cells(row)
        pos = r.end()
        if r.group("total"):
            total = sv.number(r.group("amount"))
            break
        items.append(sv.number(r.group("amount")))
    if total is not None and sum(items) != total:
        bd.notes.append(f"allocation list at {m.start()}: items sum to {sum(items)}, total line says {total}")
    bd.close_table()
    return pos


def list_rows(text: str, pos: int, end: int, n: int) -> bool:
    """True if ``n`` name + amount pairs follow ``pos``."""
    for _ in range(n):
        r = list_row_re().match(text, pos, end)
        if r is None:
            return False
        pos = r.end()
    return True


def goals(bd: Builder, labels: list[sh.Label], pos: int, stop: int) -> bool:
    """A spaced goal block: its labels (年度总体目标 预期目标 实际完成情况) and one
    whitespace-free text under each column label after the first.  Glued goal texts
    run together and stay a paragraph."""
    text = bd.text
    heads = []
    for x in labels:
        if x.start < pos or x.start >= stop or x.kind != sh.GOAL:
            continue
        if heads and (x.start == heads[-1].end or text[heads[-1].end:x.start].strip()):
            break
        if not heads and x.start != pos:
            break
        heads.append(x)
    if len(heads) < 2:
        return glued_goals(bd, labels, pos, stop)
    toks = [(m.start(), m.end()) for m in re.finditer(r"\S+", text[:stop], pos=heads[-1].end)]
    if len(toks) != len(heads) - 1:
        return False
    bd.cells([(x.start, x.end) for x in heads])
    bd.cells([(heads[0].end, heads[0].end)] + toks)
    return True


_READABLE = re.compile(r"\p{Han}{2}")


def glued_goals(bd: Builder, labels: list[sh.Label], pos: int, stop: int) -> bool:
    """A glued goal block: 年初设定目标 <text> 年度总体目标完成情况 <text>, each label followed
    by its text up to the next label (those boundaries are written).  A text with no two
    Chinese characters together (OCR residue such as '公,4') is not read: its cell stays
    empty and a note says so."""
    text = bd.text
    heads = [x for x in labels if pos <= x.start < stop and x.kind == sh.GOAL]
    if len(heads) != 2 or heads[0].start != pos:
        return False
    # the first label names the goal, the second its completion (an expected and an actual
    # column of the forms' goal headers); two goal labels (长期目标 年度目标) are a header row
    cols = sh.goal_header_roles()
    if cols.get(sh.fold(heads[0].text).rstrip(":")) != "expected" or \
            cols.get(sh.fold(heads[1].text).rstrip(":")) != "actual":
        return False
    spans = [bd.trim(heads[0].end, heads[1].start), bd.trim(heads[1].end, stop)]
    if spans[0][1] <= spans[0][0] or not _READABLE.search(text, *spans[0]):
        return False
    bd.close_table()
    bd.cells([(x.start, x.end) for x in heads])
    a, b = spans[1]
    if b > a and not _READABLE.search(text, a, b):
        bd.cells([spans[0], (a, a)], unread=(1,))
        bd.refuse(a, b, "goal text: no readable text")
    else:
        bd.cells(spans)
    bd.close_table()
    return True
