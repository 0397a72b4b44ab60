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

import functools

import regex as re

from normalizers.label_match import best_label

from ..model import Block, Table
from .common import Ctx, fold, read, vocab
from .funds import _fund, header_unit, money_cell

_SEQ = re.compile(r"^\d{1,3}$")


@functools.lru_cache(maxsize=1 << 12)
def _role(text: str) -> str | None:
    """The allocation column a header cell names (kept once computed: the search below
    asks each cell three times)."""
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
    rows = table.rows()
    for i, row in enumerate(rows):
        filled = [c for c in row if fold(c.text)]
        if len(filled) >= 2 and (_role(filled[0].text), _role(filled[1].text)) == ("recipient", "total"):
            return _read_rows(ctx, rows, i, filled[0].col, filled[1], fiscal_year)
    return False


def _is_total(label: str) -> bool:
    t = fold(label)
    return any(t.endswith(fold(lab)) for lab in vocab()["allocation_total_rows"])


def _read_rows(ctx: Ctx, rows: list[list[Block]], start: int, name_col: int, total_hdr: Block,
               fiscal_year: int | None) -> bool:
    """A grid without a 序号 column (``乡镇 | 补助经费(万元) | 备注``): one recipient per
    row, its amount under the total column; rows stop at the first that is not a
    label and an amount.  A closing 合计 row is the parent line of the recipients."""
    unit = header_unit([c for c in rows[start] if fold(c.text)])
    lines: list[tuple[Block, Block, tuple]] = []
    for row in rows[start + 1:]:
        by_col = {c.col: c for c in row}
        name, value = by_col.get(name_col), by_col.get(total_hdr.col)
        if name is None or value is None or not fold(name.text):
            break
        if _SEQ.match(fold(name.text)) or money_cell(name.text, unit) is not None:
            break
        money = money_cell(value.text, unit)
        if money is None:
            break
        lines.append((name, value, money))
        if _is_total(name.text):
            break
    if not lines:
        return False
    ctx.claim(*[c for c in rows[start] if fold(c.text)])
    total = lines[-1] if _is_total(lines[-1][0].text) else None
    for n, (name, value, money) in enumerate(lines, start=1):
        is_total = total is not None and name is total[0]
        item = item_of_total() if is_total else read(name)
        _fund(ctx, item_block=name, item=item, item_raw=read(name),
              parent=None if is_total or total is None else item_of_total(),
              measure="budget", measure_raw=read(total_hdr), period_year=fiscal_year,
              value_block=value, amount_raw=read(value), money=money, line_no=n)
    return True


def item_of_total() -> str:
    """The canonical name of an allocation table's closing total row (合计)."""
    return fold(vocab()["allocation_total_rows"][0])


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
