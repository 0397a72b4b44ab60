"""Money figures of the forms: the funds block of self-evaluation forms, the 资金总额
breakdown of target forms, and the expenditure table of the basic-data form."""
from __future__ import annotations

from decimal import Decimal

import regex as re

from normalizers import parse_decimal, parse_quantity

from ..model import Block
from ..tables import Header, find_header
from .common import read, Ctx, match_header_exact, amount, clean_label, fold, match_role, vocab

_YEAR = re.compile(r"(20\d\d)\s*年")
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


def fund_item(label: str) -> str:
    """Normalised line label: a known alias (exact, after numbering and 其中 are
    removed) gives its canonical name; anything else is kept as cleaned."""
    cleaned = clean_label(label)[0]
    for item, aliases in vocab()["fund_items"].items():
        if cleaned in {fold(a) for a in aliases}:
            return item
    return cleaned


def _fund(ctx: Ctx, *, item_block: Block, item: str, item_raw: str, parent: str | None,
          measure: str, measure_raw: str, period_year: int | None, value_block: Block,
          amount_raw: str, money: tuple[Decimal, str], line_no: int | None,
          qizhong: bool | None = None) -> None:
    ctx.funds.append({
        "qizhong": qizhong,
        "item": item, "item_raw": item_raw, "parent_item": parent, "line_no": line_no,
        "measure": measure, "measure_raw": measure_raw, "period_year": period_year,
        "amount_yuan": money[0], "amount_raw": amount_raw, "unit_raw": money[1],
        "block_id": value_block, "item_block": item_block,
    })
    ctx.claim(item_block, value_block)


def _fund_roles() -> dict[str, list[str]]:
    v = vocab()
    return {**v["fund_columns"], **v["fund_fact_columns"]}


def _money_fits(role: str, body: list[Block]) -> bool:
    """A measure or rate column holds figures (or nothing), never line labels."""
    texts = [fold(b.text) for b in body if fold(b.text)]
    if not texts:
        return True
    figures = sum(1 for t in texts if re.match(r"^[-\d.,，%/—]+(?:万元|万|元|%|分)?$", t))
    return figures * 2 >= len(texts)


def fund_header(rows: list[list[Block]], start: int) -> Header | None:
    """The header model of a funds block (年初预算数 | 全年预算数 | 全年执行数 | 分值 |
    执行率 | 得分, or 年初预算 | 调整后预算数 | 预算执行数 | 预算执行率 | 权重 | 得分) at
    ``rows[start]``: at least two measure columns."""
    measures = set(vocab()["fund_columns"])

    def accept(h: Header) -> bool:
        return len(set(h.roles.values()) & measures) >= 2

    row = rows[start]
    if not row or any(len(fold(c.text)) > 24 for c in row):
        return None
    h = find_header(rows, start, _fund_roles(), accept, max_rows=1, threshold=0.85, fits=_money_fits,
                    body_rows=2)
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
        parent = None if total_item is None else total_item
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
    under the total, and the lines below it are its parts."""
    for c in row:
        head = breakdown_head(c.text)
        m = _LABEL_VALUE.match(fold(c.text))
        if not head or not m or not m.group("value"):
            continue
        money = money_cell(m.group("value") + (m.group("unit") or ""), unit)
        if money is None:
            continue
        _fund(ctx, item_block=c, item=head, item_raw=_label_part(read(c)), parent=total_item,
              measure=vocab()["breakdown_headers"][head], measure_raw=head, period_year=fiscal_year,
              value_block=c, amount_raw=m.group("value"), money=money, line_no=None)
        ctx.evidence.setdefault("bd_parent", {})[c.col] = head


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
            head_col = under[-1] if under else cols[0]
            parent = ctx.evidence.get("bd_parent", {}).get(head_col, total_item)
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


def is_fund_line_label(text: str) -> bool:
    """A label cell that names a money line: a line the vocabulary knows (年度资金总额,
    当年财政拨款, …, fund_line_labels: 项目预算金额, 资金额度, 中央补助, …) or any label
    whose note gives a money scale (``计划安排资金(万元)``)."""
    from normalizers.labels import best_label, split_qualifiers
    core, quals = split_qualifiers(text)
    cleaned = clean_label(core)[0]
    if not cleaned or len(cleaned) > 20 or cleaned.endswith(("率", "数", "分")):
        return False
    if fund_item(cleaned) in vocab()["fund_items"] or quals.get("scale"):
        return True
    key, _ = best_label(cleaned, {"line": vocab()["fund_line_labels"]}, threshold=0.9)
    return key is not None


def parse_amount_pair(ctx: Ctx, label: Block, value: Block, fiscal_year: int | None) -> bool:
    """A ``项目预算金额(万元) | 193.8`` pair: a money line label and an amount."""
    from normalizers.labels import split_qualifiers
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


# ------------------------------------------------------------------ basic-data table

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
