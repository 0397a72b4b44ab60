"""Any other money table: a header with a line column (项目, 支出内容, 资金来源) and amount
columns (上年度安排资金 | 本年度申请资金, 预算金额, …), one line per row.

Every amount is a fund line (measure ``budget`` unless the column names another
measure), its ``period_year`` from the column's 上年度/本年度 word; a 合计 line is the
parent of the lines under it.  Vocabulary: ``money_table`` in columns.yaml.
"""
from __future__ import annotations

from normalizers.label_match import best_label, split_qualifiers

from ..model import Block
from ..tables import dense_rows
from .common import Ctx, fold, read, vocab
from .money import _fund, fund_item, header_unit, money_cell, yuan_by_writing


def _header(row: list[Block]) -> tuple[int, dict[int, tuple[str, int, Block]]] | None:
    """(line column, {col: (measure, year offset, header cell)}) of a money table header."""
    spec = vocab()["money_table"]
    label_col, amounts = None, {}
    for c in row:
        core, _ = split_qualifiers(c.content)
        if not core or len(core) > 16:
            continue
        if label_col is None and best_label(core, {"line": spec["line_columns"]}, threshold=0.99)[0]:
            label_col = c.col
            continue
        measure, _ = best_label(core, spec["amount_columns"], threshold=0.85)
        if measure and label_col is not None:
            offset = next((int(k) for k, words in spec["periods"].items() if any(w in core for w in words)), 0)
            amounts[c.col] = (measure, offset, c)
    return (label_col, amounts) if label_col is not None and amounts else None


def parse_money_table(ctx: Ctx, rows: list[list[Block]], start: int, fiscal_year: int | None) -> int | None:
    """Read the money table whose header is ``rows[start]``; the index after it, or None."""
    found = _header(rows[start])
    if found is None:
        return None
    label_col, amounts = found
    header = rows[start]
    unit = header_unit(header, default="")
    ctx.claim(*header)
    dense = dense_rows(rows)
    if not unit:  # no unit stated: 万元, unless the figures are written the 元 way
        body = [dense[k][col].text for k in range(start + 1, min(len(rows), start + 40))
                for col in amounts if col in dense[k]]
        unit = "元" if yuan_by_writing(body) else "万元"
        if unit == "元":
            ctx.notes.append(f"money table {' | '.join(read(c) for c in header)[:60]} states no unit: "
                             "its amounts, written to the fen with thousands separators, are read as 元")
    totals = {fold(x) for x in vocab()["total_labels"]}
    parent = None
    i = start + 1
    while i < len(rows):
        row = rows[i]
        if _header(row) is not None:
            break
        lab = next((c for c in row if c.col == label_col), None)
        if lab is None or not fold(lab.text) or money_cell(lab.text, unit) is not None:
            break
        line = fund_item(read(lab))
        got = False
        for col, (measure, offset, hdr) in amounts.items():
            c = dense[i].get(col)
            if c is None or c is lab or c not in row:
                continue
            money = money_cell(c.text, unit)
            if money is None:
                continue
            _fund(ctx, item_block=lab, item=line, item_raw=read(lab), parent=parent, measure=measure,
                  measure_raw=read(hdr), period_year=(fiscal_year + offset) if fiscal_year else None,
                  value_block=c, amount_raw=read(c), money=money, line_no=None)
            got = True
        ctx.claim(*row)
        if got and fold(lab.text) in totals and parent is None:
            parent = line
        i += 1
    return i
