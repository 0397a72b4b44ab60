"""Money cells and fund records shared by the funds recognisers (funds.py, lines.py,
expenditure.py, allocation.py): a cell's amount in 元 under its header's scale, the
canonical line name, and the fund record itself."""
from __future__ import annotations

from decimal import Decimal

import regex as re

from normalizers import parse_quantity

from ..model import Block
from .common import Ctx, clean_label, fold, vocab

_LABEL_VALUE = re.compile(r"^(?P<label>[^:：]*?[^:：\d.,，]*)[:：]\s*(?P<value>[-\d,，.．]+)?\s*(?P<unit>万元|亿元|元)?\s*$")

_CELL_UNIT = re.compile(r"(万元|亿元|千元|元|万|亿)\s*$")


def money_cell(text: str, unit: str) -> tuple[Decimal, str] | None:
    """(amount in 元, unit it was written in) of a money cell under a header unit;
    a cell that writes its own unit (``3359.62万``) keeps it.  None if not an amount."""
    t = fold(text)
    if not t:
        return None
    q = parse_quantity(t, unit_hint=unit)
    if q.kind != "money" or q.op != "=" or q.value is None:
        return None
    m = _CELL_UNIT.search(t)
    written = m.group(1) if m else unit
    if written in ("万", "亿"):
        written += "元"
    return q.value, written


def header_unit(cells: list[Block], default: str = "万元") -> str:
    for c in cells:
        t = fold(c.text)
        if "万元" in t:
            return "万元"
        if "亿元" in t:
            return "亿元"
        if "(元)" in t or "（元）" in t:
            return "元"
    return default


_FEN_GROUPED = re.compile(r"^\d{1,3}(?:,\d{3})*\.\d\d$")


def yuan_by_writing(amounts: list[str]) -> bool:
    """Amounts under a header that states no unit, every one written to the fen and at
    least one with thousands separators (``50,000.00``, ``452,552.75``): the book-keeping
    way of writing 元 (万元 figures are not grouped in thousands to the fen)."""
    texts = [fold(a) for a in amounts if fold(a)]
    return bool(texts) and all(_FEN_GROUPED.match(t) for t in texts) and any("," in t for t in texts)


_NOTE = re.compile(r"[(（][^()（）]{2,}[)）]$")


def fund_item(label: str) -> str:
    """Normalised line label: a known alias (exact, after numbering and 其中 are
    removed) gives its canonical name; anything else is kept as cleaned."""
    cleaned = clean_label(label)[0]
    bare = _NOTE.sub("", cleaned)  # 其他资金(包括以前年度结转资金): a note on a known line
    for item, aliases in vocab()["fund_items"].items():
        if cleaned in {fold(a) for a in aliases} or bare in {fold(a) for a in aliases}:
            return item
    return cleaned


def _annual(item: str | None, measure: str, measure_raw: str | None) -> str | None:
    """资金总额 / 财政拨款 in a column of this year (年初预算, 全年执行数, 年度预算) are the year's lines."""
    v = vocab()
    if item in v["annual_items"] and (measure in v["annual_measures"] or any(
            w in (measure_raw or "") for w in v["annual_measure_words"])):
        return v["annual_items"][item]
    return item


def _fund(ctx: Ctx, *, item_block: Block, item: str, item_raw: str, parent: str | None,
          measure: str, measure_raw: str, period_year: int | None, value_block: Block,
          amount_raw: str, money: tuple[Decimal, str], line_no: int | None,
          qizhong: bool | None = None) -> None:
    item, parent = _annual(item, measure, measure_raw), _annual(parent, measure, measure_raw)
    ctx.funds.append({
        "qizhong": qizhong,
        "item": item, "item_raw": item_raw, "parent_item": parent, "line_no": line_no,
        "measure": measure, "measure_raw": measure_raw, "period_year": period_year,
        "amount_yuan": money[0], "amount_raw": amount_raw, "unit_raw": money[1],
        "block_id": value_block, "item_block": item_block,
    })
    ctx.claim(item_block, value_block)
