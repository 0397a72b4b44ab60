"""Money lines outside the funds block's grid: 按收入/支出性质分 breakdowns
(``其中：一般公共预算：1988.88``), ``资金总额:25,656.78`` cells of target forms, and
``label | amount`` pairs (``项目预算金额(万元) | 193.8``)."""
from __future__ import annotations

import functools

import regex as re

from ..model import Block
from .common import Ctx, clean_label, fold, read, vocab
from .money import _LABEL_VALUE, _fund, fund_item, header_unit, money_cell

@functools.lru_cache(maxsize=1 << 14)
def breakdown_head(text: str) -> str | None:
    """按收入性质分 / 按支出性质分 for a breakdown header cell (``按收入性质分:2030.12`` too)."""
    t = re.sub(r"[:：][-\d,，.．\s]*(万元|元)?$", "", fold(text))
    return t if t in vocab()["breakdown_headers"] else None


def breakdown_headers(row: list[Block]) -> dict[int, str]:
    """Columns of a 按收入性质分 | 按支出性质分 row, by column."""
    return {c.col: h for c in row if (h := breakdown_head(c.text))}


_AMOUNT_TAIL = re.compile(r"\s*[:：]\s*[-\d,，.．]+\s*(?:万元|亿元|元)?\s*$")


def _label_part(text: str) -> str:
    """``其中: 一般公共预算:1325.68`` → ``其中: 一般公共预算`` (the label before the amount)."""
    return _AMOUNT_TAIL.sub("", text) or text


def breakdown_header_lines(ctx: Ctx, row: list[Block], total_item: str | None,
                           fiscal_year: int | None, unit: str) -> None:
    """A breakdown header that states its own sum (``按收入性质分:2030.12``, r064) is a line
    under the total, and the parent of its breakdown lines."""
    for c in row:
        head = breakdown_head(c.text)
        m = _LABEL_VALUE.match(fold(c.text))
        if not head or not m or not m.group("value"):
            continue
        money = money_cell(m.group("value") + (m.group("unit") or ""), unit)
        if money is None:
            continue
        # measure_raw: the funds block's label (年度预算申请(万元)), as the gold reads it; the
        # header line is the sum of its breakdown, not one of its figures
        ctx.evidence.setdefault("breakdown_lines", set()).add(head)
        _fund(ctx, item_block=c, item=head, item_raw=_label_part(read(c)), parent=total_item,
              measure=vocab()["breakdown_headers"][head],
              measure_raw=ctx.evidence.get("block_label") or total_item or head, period_year=fiscal_year,
              value_block=c, amount_raw=m.group("value"), money=money, line_no=None)


def is_label_value(text: str) -> bool:
    """A ``其中：一般公共预算：1988.88`` / ``政府性基金拨款：`` cell."""
    t = fold(text)
    if t.startswith("其中"):
        t = t[2:].lstrip(":：")
    return bool(_LABEL_VALUE.match(t))


def parse_breakdown_row(ctx: Ctx, row: list[Block], breakdown: dict[int, str], total_item: str | None,
                   fiscal_year: int | None, unit: str) -> bool:
    """``其中：一般公共预算：1988.88`` cells under 按收入性质分 / 按支出性质分."""
    cells = [c for c in row if fold(c.text)]
    if not cells:
        ctx.claim(*row)
        return True
    ok = False
    cols = sorted(breakdown)
    for c in row:
        t = fold(c.text)
        if not t:
            ctx.claim(c)
            continue
        t2 = t
        if t2.startswith("其中"):
            t2 = t2[2:].lstrip(":：")
        m = _LABEL_VALUE.match(t2)
        if not m:
            continue
        ok = True
        ctx.claim(c)
        # the breakdown column this cell sits under: the nearest header at or left of it
        under = [k for k in cols if k <= c.col]
        measure_raw = breakdown[under[-1]] if under else breakdown[cols[0]]
        if m.group("value"):
            raw = m.group("value") + (m.group("unit") or "")
            money = money_cell(raw, unit)
            if money is None:
                continue
            label = m.group("label")
            # under the header's own line where it states its sum (按收入性质分:2030.12, r064),
            # else under the total (the checks climb from that line to the total)
            parent = measure_raw if measure_raw in ctx.evidence.get("breakdown_lines", ()) else total_item
            _fund(ctx, item_block=c, item=fund_item(label), item_raw=_label_part(read(c)),
                  parent=parent, measure=vocab()["breakdown_headers"][measure_raw],
                  measure_raw=measure_raw, period_year=fiscal_year, value_block=c,
                  amount_raw=raw, money=money, line_no=None)
    return ok


def parse_total_cell(ctx: Ctx, cell: Block, label_cell: Block | None, fiscal_year: int | None,
                     unit: str) -> bool:
    """A ``资金总额:25,656.78`` cell of target forms."""
    t = fold(cell.text)
    m = _LABEL_VALUE.match(t)
    if not m or not m.group("value"):
        return False
    money = money_cell(m.group("value") + (m.group("unit") or ""), unit)
    if money is None:
        return False
    _fund(ctx, item_block=cell, item=fund_item(m.group("label")), item_raw=read(cell),
          parent=None, measure="budget", measure_raw=fold(label_cell.text) if label_cell else "资金总额",
          period_year=fiscal_year, value_block=cell, amount_raw=m.group("value"), money=money,
          line_no=None)
    ctx.claim(label_cell)
    return True


@functools.lru_cache(maxsize=1 << 14)
def is_fund_line_label(text: str) -> bool:
    """A label cell that names a money line: a line the vocabulary knows (年度资金总额,
    当年财政拨款, …, fund_line_labels: 项目预算金额, 资金额度, 中央补助, …) or any label
    whose note gives a money scale (``计划安排资金(万元)``)."""
    from normalizers.label_match import best_label, split_qualifiers
    core, quals = split_qualifiers(text)
    cleaned = clean_label(core)[0]
    if not cleaned or len(cleaned) > 20 or cleaned.endswith(("率", "数", "分")):
        return False
    if cleaned in {fold(x) for x in vocab()["balance_lines"]}:
        return False
    if fund_item(cleaned) in vocab()["fund_items"] or quals.get("scale"):
        return True
    key, _ = best_label(cleaned, {"line": vocab()["fund_line_labels"]}, threshold=0.9)
    return key is not None


def parse_amount_pair(ctx: Ctx, label: Block, value: Block, fiscal_year: int | None) -> bool:
    """A ``项目预算金额(万元) | 193.8`` pair: a money line label and an amount."""
    from normalizers.label_match import split_qualifiers
    t = fold(label.text)
    if not t or not is_fund_line_label(label.content):
        return False
    money = money_cell(value.text, header_unit([label]))
    if money is None:
        return False
    item = fund_item(split_qualifiers(label.content)[0])
    # a 其中 line belongs to the line above it (r025 '年度资金总额 |' then '其中:中央补助 | 50.29')
    parent = ctx.evidence.get("open_line") if clean_label(label.content)[2] else None
    if parent is None:
        ctx.evidence["open_line"] = item
    _fund(ctx, item_block=label, item=item, item_raw=read(label), parent=parent, measure="budget",
          measure_raw=read(label), period_year=fiscal_year, value_block=value, amount_raw=read(value),
          money=money, line_no=None)
    return True


def parse_column_subline(ctx: Ctx, label: Block, value: Block, line: dict) -> bool:
    """A ``縣財政 | 700`` pair in the column of a line read from a row of pairs above it
    (r033 '計劃安排資金 (萬元) | 700 | 實際到位資金 (萬元) | …', then '其中:中央財政 | | …',
    '縣財政 | 700 | …'): a sub-line of that column's line, in its measure and scale."""
    t = fold(label.text)
    if not t or money_cell(label.text, line["unit_raw"]) is not None or re.match(r"^[\d.,%]+$", t):
        return False
    money = money_cell(value.text, line["unit_raw"])
    if money is None:
        return False
    item = fund_item(read(label))
    if not item or item == line["item"] or clean_label(read(label))[1]:
        return False  # a numbered line (二、自有资金) is the column line's sibling, not its part
    _fund(ctx, item_block=label, item=item, item_raw=read(label), parent=line["item"],
          measure=line["measure"], measure_raw=line["measure_raw"], period_year=line["period_year"],
          value_block=value, amount_raw=read(value), money=money, line_no=None)
    return True


# ------------------------------------------------------------------ basic-data table
