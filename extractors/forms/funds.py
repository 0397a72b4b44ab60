"""The funds block of self-evaluation forms (年初预算数 | 全年预算数 | 全年执行数 | 分值 |
执行率 | 得分), read through the header model.  Breakdowns and label/amount pairs are in
lines.py, the basic-data expenditure table in expenditure.py, the shared money helpers
in money.py (re-exported here)."""
from __future__ import annotations

import functools

import regex as re

from normalizers import parse_decimal, parse_quantity

from ..model import Block
from ..tables import Header, find_header
from .common import Ctx, amount, clean_label, fold, read, vocab
from .expenditure import parse_expenditure_table  # noqa: F401 (re-export)
from .lines import (breakdown_head, breakdown_header_lines, breakdown_headers,  # noqa: F401
                    is_fund_line_label, is_label_value, parse_amount_pair, parse_breakdown_row,
                    parse_total_cell)
from .money import _fund, fund_item, header_unit, money_cell  # noqa: F401

_FIGURE = re.compile(r"^[-\d.,，%/—]+(?:万元|万|元|%|分)?$")


@functools.cache
def _fund_roles() -> dict[str, list[str]]:
    """The fund table roles (one dict for the process: the header model keys its cached
    look-ups by it)."""
    v = vocab()
    return {**v["fund_columns"], **v["fund_fact_columns"]}


def _money_fits(role: str, body: list[Block]) -> bool:
    """A measure or rate column holds figures (or nothing), never line labels."""
    texts = [fold(b.text) for b in body if fold(b.text)]
    if not texts:
        return True
    figures = sum(1 for t in texts if _FIGURE.match(t))
    return figures * 2 >= len(texts)


def fund_header(rows: list[list[Block]], start: int) -> Header | None:
    """The header model of a funds block (年初预算数 | 全年预算数 | 全年执行数 | 分值 |
    执行率 | 得分, or 年初预算 | 调整后预算数 | 预算执行数 | 预算执行率 | 权重 | 得分) at
    ``rows[start]``: at least two measure columns."""
    measures = set(vocab()["fund_columns"])

    def viable(roles: set[str]) -> bool:  # true for any superset too
        return len(roles & measures) >= 2

    def accept(h: Header) -> bool:
        return viable(set(h.roles.values()))

    row = rows[start]
    if not row or any(len(fold(c.text)) > 24 for c in row):
        return None
    h = find_header(rows, start, _fund_roles(), accept, max_rows=1, threshold=0.85, fits=_money_fits,
                    body_rows=2, viable=viable)
    if h is not None:
        # a header that writes the block's scale (年度预算数(万元), 项目资金(万元)) left of the
        # amount columns labels the line column, whatever the body rows look like
        cols = [c for c in h.columns if c.role in measures]
        if len(cols) >= 3 and "scale" in cols[0].qualifiers:
            cols[0].role = None
    return h


def is_funds_header(row: list[Block]) -> bool:
    return fund_header([row], 0) is not None


def parse_funds_block(ctx: Ctx, rows: list[list[Block]], start: int, fiscal_year: int | None) -> int:
    """年度资金总额 / 其中 rows under a 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 |
    得分 header.  Returns the index of the first row after the block."""
    from .goals import is_goal_header
    from .indicators import is_indicator_header

    model = fund_header(rows, start)
    header = rows[start]
    ctx.claim(*header)
    unit = header_unit(header)
    fact_roles = set(vocab()["fund_fact_columns"])
    measures = {c.col: (c.role, c.cells[-1]) for c in model.columns if c.role and c.role not in fact_roles}
    facts = {c.col: (c.role, c.cells[-1]) for c in model.columns if c.role in fact_roles}
    label_col = next((c for c in model.columns if c.cells and c.col < min(measures)), None)
    first_val_col = min(measures)
    header_max = max(c.col + (c.colspan or 1) - 1 for c in header)
    value_cols = sorted(set(measures) | set(facts))
    n_facts = len(ctx.facts)
    total_item = None
    in_qizhong = False
    line_no = 0
    breakdown: dict[int, str] = {}  # col -> 按收入性质分 | 按支出性质分
    i = start + 1
    while i < len(rows):
        row = rows[i]
        if is_goal_header(row) or is_indicator_header(row) or is_funds_header(row):
            break
        if bd := breakdown_headers(row):
            breakdown = bd
            ctx.claim(*row)
            if label_col is not None:
                ctx.evidence["block_label"] = read(label_col.cells[0])
            breakdown_header_lines(ctx, row, total_item, fiscal_year, unit)
            i += 1
            continue
        if breakdown:
            if not parse_breakdown_row(ctx, row, breakdown, total_item, fiscal_year, unit):
                break
            i += 1
            continue
        row_max = max(c.col + (c.colspan or 1) - 1 for c in row)
        if row_max >= header_max:  # full width: positions are meaningful
            label_cells = [c for c in row if c.col < first_val_col and fold(c.text)]
            by_col = {c.col: c for c in row}
        else:  # merged label cells dropped by the text: label first, values in order
            label_cells, rest = [], list(row)
            while rest and fold(rest[0].text) and amount(rest[0].text) is None:
                label_cells.append(rest.pop(0))
            by_col = dict(zip(value_cols, rest))
            if len(rest) > len(value_cols) + 1:
                ctx.notes.append(f"funds row {row[0].row} of table {row[0].table_no}: "
                                 f"{len(rest)} value cells for {len(value_cols)} columns")
        texts = [fold(by_col[k].text) for k in measures if k in by_col and fold(by_col[k].text)]
        if texts and all(money_cell(t, unit) is None and t not in ("/", "-", "—", "无") for t in texts):
            break  # a row of words under the amount columns: another block (资金管理情况 | 情况说明)
        if not label_cells or amount(label_cells[-1].text) is not None:
            if any(fold(c.text) for c in row):
                break
            ctx.claim(*row)
            i += 1
            continue
        lab = label_cells[-1]
        item_raw = read(lab)
        item = fund_item(item_raw)
        line_no += 1
        if total_item is not None and clean_label(item_raw)[2]:
            in_qizhong = True  # 其中：当年财政拨款, and the lines after it
        elif total_item is None and clean_label(item_raw)[2]:
            total_item = ""  # the block opens with a 其中 line: its total line is not written
        parent = total_item or None
        if total_item is None:
            total_item = item
        ctx.claim(*label_cells)
        for col, (measure, hdr) in measures.items():
            c = by_col.get(col)
            if c is None:
                continue
            ctx.claim(c)
            money = money_cell(c.text, unit)
            if money is None:
                if fold(c.text) and fold(c.text) not in ("/", "-", "—", "无"):
                    ctx.notes.append(f"amount {read(c)!r} of {item_raw} not read")
                continue
            _fund(ctx, item_block=lab, item=item, item_raw=item_raw, parent=parent,
                  measure=measure, measure_raw=fold(hdr.text), period_year=fiscal_year,
                  value_block=c, amount_raw=read(c), money=money, line_no=line_no,
                  qizhong=in_qizhong if parent else None)
        for col, (key, hdr) in facts.items():
            c = by_col.get(col)
            if c is None:
                continue
            ctx.claim(c)
            if not fold(c.text) or fold(c.text) in ("/", "-", "—"):
                continue
            q = parse_quantity(read(c), unit_hint="%" if key == "execution_rate" else None)
            if key == "execution_rate":
                value, unit_f, kind = q.value, "%", "percent"
            else:
                value, unit_f, kind = parse_decimal(fold(c.text)), "分", "points"
            ctx.facts.append({"key": key, "label_raw": fold(hdr.text), "value_raw": read(c),
                              "value": value, "unit": unit_f, "kind": kind, "block_id": c,
                              "item": item})
        i += 1
    weight = label_col.qualifiers.get("weight") if label_col is not None else None
    if weight is not None and not any(f["key"] == "budget_weight" for f in ctx.facts[n_facts:]):
        # the block's weight written in its header: 预算执行情况(万元) (20分)
        hdr = label_col.cells[0]
        ctx.facts.append({"key": "budget_weight", "label_raw": read(hdr), "value_raw": f"{weight}分",
                          "value": weight, "unit": "分", "kind": "points", "block_id": hdr,
                          "item": None})
    return i
