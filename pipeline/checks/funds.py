"""Rules over fund lines: sub-items against their parent, breakdowns against the total."""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Iterator

from .core import Doc, Finding, raw, rule
from .money import money_of_fund, money_sum_str, tolerance


_NUMBERED = re.compile(r"^\s*(?:[(（]?\d+[)）]|\d+\s*[、.．]|[一二三四五六七八九十]+\s*[、.．])")
_QIZHONG = re.compile(r"^\s*其\s*中")


def is_breakdown(f: dict) -> bool:
    """按收入性质分 / 按支出性质分 figures (not lines of a table)."""
    return f.get("line_no") is None and "性质" in (f.get("measure_raw") or "")


@dataclass
class _Line:
    line_no: int
    item: str
    item_raw: str
    parent_item: str | None
    item_block: str | None
    qizhong: bool | None = None  # as the parser read the line hierarchy
    values: dict = field(default_factory=dict)  # (measure, period_year, measure_raw) -> fund


def _lines(doc: Doc, section_id: str) -> list[_Line]:
    lines: dict[int, _Line] = {}
    for f in doc.of_section("funds", section_id):
        if f.get("line_no") is None:
            continue
        ln = lines.setdefault(f["line_no"], _Line(f["line_no"], f.get("item") or "",
                                                  f.get("item_raw") or "", f.get("parent_item"),
                                                  f.get("item_block"), f.get("qizhong")))
        ln.values.setdefault((f.get("measure"), f.get("period_year"), f.get("measure_raw")), f)
    return [lines[k] for k in sorted(lines)]


def _in_qizhong(doc: Doc, kid: _Line, parent: _Line) -> bool:
    """Is ``kid`` one of the partial 其中 lines of ``parent``?  True when its label starts
    with 其中, or when, walking up the label column from it, a 其中 line comes before a
    numbered line or the parent (``其中：办公经费`` / ``水费、电费、差旅费``)."""
    if kid.qizhong is not None:  # the parser says how the line sits in its table
        return kid.qizhong
    if _QIZHONG.match(kid.item_raw):
        return True
    kb, pb = doc.blocks.get(kid.item_block or ""), doc.blocks.get(parent.item_block or "")
    if not kb or not pb or kb.get("row") is None or pb.get("row") is None:
        return False
    column = [b for b in doc.column(kb) if pb["row"] < b["row"] < kb["row"]]
    for b in reversed(column):
        t = raw(b, "text")
        if _QIZHONG.match(t):
            return True
        if _NUMBERED.match(t):
            return False
    return False


def _col_name(key: tuple) -> str:
    measure, year, written = key
    return written or f"{year or ''}{measure}"


@rule("funds_sum")
def funds_sum(doc: Doc) -> Iterator[Finding]:
    """Sub-items not summing to their parent line, per column: numbered and listed lines
    must add up to the parent; 其中 lines (a partial breakdown) must not exceed it."""
    for sec in doc.sections:
        lines = _lines(doc, sec["section_id"])
        children: dict[int, list[_Line]] = defaultdict(list)
        parents: dict[int, _Line] = {}
        for i, ln in enumerate(lines):
            if not ln.parent_item:
                continue
            p = next((q for q in reversed(lines[:i]) if q.item == ln.parent_item), None)
            if p is not None:
                children[p.line_no].append(ln)
                parents[p.line_no] = p
        for pno in sorted(children):
            p = parents[pno]
            kids = children[pno]
            groups = {"complete": [k for k in kids if not _in_qizhong(doc, k, p)],
                      "qizhong": [k for k in kids if _in_qizhong(doc, k, p)]}
            keys = list(p.values)
            for k in kids:
                keys += [key for key in k.values if key not in keys]
            for key in keys:
                pf = p.values.get(key)
                pm = money_of_fund(pf) if pf else None
                for kind, group in groups.items():
                    present = [(k, k.values[key]) for k in group if key in k.values]
                    ms = [m for m in (money_of_fund(f) for _, f in present) if m is not None]
                    if not ms:
                        continue
                    s = sum((m.yuan for m in ms), Decimal(0))
                    tol = tolerance(ms + ([pm] if pm else []))
                    doc.compared("funds_sum")
                    f = _funds_finding(doc, sec, p, pf, pm, kind, group, present, ms, s, tol, key)
                    if f:
                        yield f


def _funds_finding(doc, sec, p, pf, pm, kind, group, present, ms, s, tol, key) -> Finding | None:
    col = _col_name(key)
    listed = " + ".join(f"{k.item} {raw(f, 'amount_raw')} "
                        f"(row {doc.row_of(f.get('block_id'))}, {f['fund_id']})" for k, f in present)
    what = ("其中 line" if kind == "qizhong" else
            "numbered line" if all(_NUMBERED.match(k.item_raw) for k, _ in present) else "line")
    what += "s" if len(present) != 1 else ""
    n_blank = len(group) - len(present)
    blank_note = f" ({n_blank} line(s) blank in this column)" if n_blank else ""
    refs = ([pf["fund_id"]] if pf else []) + [f["fund_id"] for _, f in present] \
        + ([pf.get("block_id")] if pf else []) + [f.get("block_id") for _, f in present]
    total_s = money_sum_str(s, ms)
    if pm is None:
        return Finding(sec["section_id"], "warning",
                       f"{doc.where(sec['section_id'])}: line 「{p.item_raw.strip()}」 (row "
                       f"{doc.row_of(p.item_block)}) is blank in column {col}, but its {len(present)} "
                       f"{what} sum to {total_s}: {listed}{blank_note}",
                       total_s, "blank", refs)
    if kind == "complete" and abs(pm.yuan - s) <= tol:
        return None
    if kind == "qizhong" and s <= pm.yuan + tol:
        return None
    head = (f"{doc.where(sec['section_id'])}, table row {doc.row_of(pf.get('block_id'))}: "
            f"{p.item} {col} {pm.written()}{pm.unit} ({pf['fund_id']})")
    if kind == "complete":
        diff = pm.yuan - s
        msg = (f"{head} is not the sum of its {len(present)} {what}, {total_s}: {listed}"
               f"{blank_note}; difference {money_sum_str(diff, ms + [pm])}")
    else:
        msg = (f"{head} is less than its {len(present)} {what} (a partial breakdown), which "
               f"sum to {total_s}: {listed}")
    return Finding(sec["section_id"], "error", msg, total_s if kind == "complete" else f"<= {pm.written()}{pm.unit}",
                   f"{pm.written()}{pm.unit}", refs)


_MEASURE_PREFERENCE = ("budget", "budget_full_year", "executed", "budget_initial", "final")


def _breakdown_rule(doc: Doc, rule_name: str, word: str, label: str) -> Iterator[Finding]:
    for sec in doc.sections:
        funds = doc.of_section("funds", sec["section_id"])
        bd = [f for f in funds if is_breakdown(f) and word in (f.get("measure_raw") or "")]
        if not bd:
            continue
        parent_item = bd[0].get("parent_item")
        # lines under a header that states its own sum (按收入性质分:2030.12): the total is
        # that header line's parent
        head = next((f for f in funds if not is_breakdown(f) and f.get("item") == parent_item
                     and f.get("parent_item")), None)
        if head is not None:
            parent_item = head["parent_item"]
        totals = [f for f in funds if not is_breakdown(f) and f.get("item") == parent_item
                  and not f.get("parent_item")]
        totals.sort(key=lambda f: _MEASURE_PREFERENCE.index(f["measure"])
                    if f.get("measure") in _MEASURE_PREFERENCE else len(_MEASURE_PREFERENCE))
        ms = [m for m in (money_of_fund(f) for f in bd) if m is not None]
        tms = [(f, money_of_fund(f)) for f in totals]
        tms = [(f, m) for f, m in tms if m is not None]
        if not ms or not tms:
            continue
        s = sum((m.yuan for m in ms), Decimal(0))
        doc.compared(rule_name)
        if any(abs(m.yuan - s) <= tolerance(ms + [m]) for _, m in tms):
            continue
        tf, tm = tms[0]
        listed = " + ".join(f"{f.get('item')} {raw(f, 'amount_raw')} ({f['fund_id']})" for f in bd)
        others = ", ".join(f"{f.get('measure_raw')} {m.written()}{m.unit} ({f['fund_id']})" for f, m in tms)
        yield Finding(sec["section_id"], "error",
                      f"{doc.where(sec['section_id'])}: {label} {listed} = {money_sum_str(s, ms)}, "
                      f"which matches no stated {parent_item} figure ({others})",
                      f"{tm.written()}{tm.unit}", money_sum_str(s, ms),
                      [f["fund_id"] for f in bd] + [f["fund_id"] for f, _ in tms]
                      + [f.get("block_id") for f in bd])


@rule("basic_plus_project")
def basic_plus_project(doc: Doc) -> Iterator[Finding]:
    """基本支出 + 项目支出 (按支出性质分) differs from the total (年度资金总额); any of the
    total's stated columns (预算数, 全年预算数, 全年执行数, 年初预算数) is accepted."""
    yield from _breakdown_rule(doc, "basic_plus_project", "支出", "按支出性质分")


@rule("income_breakdown_sum")
def income_breakdown_sum(doc: Doc) -> Iterator[Finding]:
    """The 按收入性质分 items (一般公共预算, 政府性基金拨款, ...) do not sum to the total."""
    yield from _breakdown_rule(doc, "income_breakdown_sum", "收入", "按收入性质分")
