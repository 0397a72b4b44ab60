"""The expenditure table of the basic-data form (经费控制情况 | 2022年决算数 | 2023年预算数 |
2023年决算数) with its line hierarchy."""
from __future__ import annotations

import regex as re

from ..model import Block
from .common import Ctx, clean_label, fold, match_role, read, vocab
from .money import _fund, header_unit, money_cell

_YEAR = re.compile(r"(20\d\d)\s*年")


def parse_expenditure_table(ctx: Ctx, rows: list[list[Block]], start: int) -> int:
    """经费控制情况(万元) | 2022年决算数 | 2023年预算数 | 2023年决算数, then one line per
    row with its hierarchy (top lines, 1、 numbered lines, 其中 lines)."""
    header = rows[start]
    ctx.claim(*header)
    unit = header_unit(header)
    cols: dict[int, tuple[str, int | None, Block]] = {}
    for c in header[1:]:
        t = fold(c.text)
        m = _YEAR.search(t)
        measure = match_role(t, vocab()["expenditure_measures"])
        if measure:
            cols[c.col] = (measure, int(m.group(1)) if m else None, c)
    tops = {fold(x) for x in vocab()["expenditure_top_items"]}
    top = numbered = group_parent = None
    line_no = 0
    i = start + 1
    while i < len(rows):
        row = rows[i]
        first = row[0]
        label_raw = read(first)
        if not label_raw:
            break
        if any(match_role(c.text, vocab()["building_columns"]) for c in row[1:]) or len(row) > len(header):
            break
        label, is_num, is_qz = clean_label(label_raw)
        qizhong = False
        if label in tops and not is_num and not is_qz:
            top, numbered, group_parent, parent = label, None, None, None
        elif is_num:
            numbered, group_parent, parent = label, None, top
        elif is_qz:
            group_parent = numbered or top
            parent, qizhong = group_parent, True
        else:
            parent = group_parent or numbered or top
            qizhong = group_parent is not None
            if top is None:  # a line the vocabulary does not know, at the top
                parent = None
                top = label
        line_no += 1
        ctx.claim(first)
        for c in row[1:]:
            if c.col not in cols:
                continue
            ctx.claim(c)
            money = money_cell(c.text, unit)
            if money is None:
                if fold(c.text):
                    ctx.notes.append(f"amount {read(c)!r} of {label_raw} not read")
                continue
            measure, year, hdr = cols[c.col]
            _fund(ctx, item_block=first, item=label, item_raw=label_raw, parent=parent,
                  measure=measure, measure_raw=fold(hdr.text), period_year=year,
                  value_block=c, amount_raw=read(c), money=money, line_no=line_no,
                  qizhong=qizhong if parent else None)
        i += 1
    return i
