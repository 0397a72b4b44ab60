"""Allocation tables (分配表, 预算安排表): ``序号 | 单位 | 合计 | …`` and one row per
recipient.  Each recipient's amount under the 合计/金额 column is a fund line (measure
``budget``, item the recipient as written).

Read over the table's cells in reading order, so that a grid and a one-cell-per-line
stream read the same: the header run (序号, 单位, 合计 labels of ``allocation_columns``),
then rows that each start with their sequence number (1, 2, …) and recipient, the
amount right after the recipient being the total column's.  Only that column is read:
where more amount columns follow, a stream does not say which figure is whose.
"""
from __future__ import annotations

import regex as re

from normalizers.labels import best_label

from ..model import Block, Table
from .common import Ctx, fold, read, vocab
from .funds import _fund, header_unit, money_cell

_SEQ = re.compile(r"^\d{1,3}$")


def _role(text: str) -> str | None:
    t = fold(text)
    if not t or len(t) > 10:
        return None
    return best_label(t, vocab()["allocation_columns"], threshold=0.99)[0]


def parse_allocation(ctx: Ctx, table: Table, fiscal_year: int | None) -> bool:
    cells = [c for r in table.rows() for c in r if fold(c.text)]
    for i in range(len(cells) - 2):
        if (_role(cells[i].text), _role(cells[i + 1].text), _role(cells[i + 2].text)) == (
                "seq", "recipient", "total"):
            return _read(ctx, cells, i, fiscal_year)
    return False


def _read(ctx: Ctx, cells: list[Block], start: int, fiscal_year: int | None) -> bool:
    total_hdr = cells[start + 2]
    unit = header_unit(cells[max(0, start - 4):start + 3])
    j = start + 3
    while j < len(cells) and fold(cells[j].text) != "1":  # the other column headers
        j += 1
    n, found = 1, False
    ctx.claim(*cells[start:j])
    while j + 2 < len(cells) and fold(cells[j].text) == str(n):
        recipient, value = cells[j + 1], cells[j + 2]
        if _SEQ.match(fold(recipient.text)) or money_cell(recipient.text, unit) is not None:
            break
        money = money_cell(value.text, unit)
        if money is None:
            break
        _fund(ctx, item_block=recipient, item=read(recipient), item_raw=read(recipient), parent=None,
              measure="budget", measure_raw=read(total_hdr), period_year=fiscal_year,
              value_block=value, amount_raw=read(value), money=money, line_no=n)
        ctx.claim(cells[j])
        found = True
        k = j + 3
        while k < len(cells) and money_cell(cells[k].text, unit) is not None and fold(cells[k].text) != str(n + 1):
            k += 1  # this row's other amount columns
        if not (k + 1 < len(cells) and fold(cells[k].text) == str(n + 1)):
            break
        j, n = k, n + 1
    return found
