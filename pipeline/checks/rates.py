"""Rules over stated rates: 执行率 and 控制率 against the figures they divide."""
from __future__ import annotations

from decimal import Decimal
from typing import Iterator

from .core import Doc, Finding, raw, rule
from .money import Money, dec, decimals_of, fmt, half_unit, money_of_fund, tolerance, written_decimals


def _rate_finding(doc: Doc, rule_name: str, fact: dict, num: Money, den: Money,
                  what: str, num_label: str, den_label: str) -> Finding | None:
    stated = dec(fact.get("value"))
    if stated is None or den.yuan == 0:
        return None
    d = written_decimals(fact.get("value_raw"))
    d = decimals_of(stated) if d is None else d
    computed = num.yuan / den.yuan * 100
    doc.compared(rule_name)
    shown = fmt(computed, max(d, 2))
    base = (f"{doc.where(fact['section_id'])}: {what} {raw(fact, 'value_raw')} "
            f"({doc.cell(fact.get('block_id'))}, {fact['fact_id']})")
    calc = (f"{num_label} {num.written()}{num.unit} ({num.ref}) ÷ {den_label} "
            f"{den.written()}{den.unit} ({den.ref}) = {shown}%")
    refs = [fact["fact_id"], num.ref, den.ref]
    if stated == 100 and d == 0 and abs(num.yuan - den.yuan) > tolerance([num, den]):
        # 100% states full execution: 99.6% written as 100% is not a rounding matter
        return Finding(fact["section_id"], "warning",
                       f"{base} claims a complete rate, but {calc}", f"{shown}%",
                       raw(fact, "value_raw"), refs)
    if abs(computed - stated) <= half_unit(d):
        return None
    return Finding(fact["section_id"], "error", f"{base} differs from {calc}",
                   f"{fmt(computed, d)}%", raw(fact, "value_raw"), refs)


@rule("execution_rate")
def execution_rate(doc: Doc) -> Iterator[Finding]:
    """执行率 differs from 全年执行数 ÷ 全年预算数 at the precision the rate is written
    (a written 100% must mean executed = budget)."""
    for fact in doc.facts:
        if fact.get("key") != "execution_rate":
            continue
        lines = [f for f in doc.of_section("funds", fact["section_id"]) if f.get("line_no") is not None]
        item = fact.get("item") or next((f["item"] for f in lines if not f.get("parent_item")), None)
        by_measure = {}
        for f in lines:
            if f.get("item") == item:
                by_measure.setdefault(f.get("measure"), f)
        executed = by_measure.get("executed")
        budget = by_measure.get("budget_full_year") or by_measure.get("budget_initial") \
            or by_measure.get("budget")
        if executed is None or budget is None:
            continue
        num, den = money_of_fund(executed), money_of_fund(budget)
        if num is None or den is None:
            continue
        f = _rate_finding(doc, "execution_rate", fact, num, den, f"执行率 of {item}",
                          executed.get("measure_raw") or "全年执行数",
                          budget.get("measure_raw") or "全年预算数")
        if f:
            f.refs += [executed.get("block_id"), budget.get("block_id")]
            yield f


@rule("staff_control_rate")
def staff_control_rate(doc: Doc) -> Iterator[Finding]:
    """控制率 differs from 实际在职人数 ÷ 编制数."""
    for sec in doc.sections:
        facts = {f.get("key"): f for f in doc.of_section("facts", sec["section_id"])}
        rate, actual, auth = (facts.get(k) for k in ("staff_control_rate", "staff_actual", "staff_authorized"))
        if not (rate and actual and auth) or dec(actual.get("value")) is None or dec(auth.get("value")) is None:
            continue
        num = Money(dec(actual["value"]), Decimal(1), "人", 0, actual["fact_id"])
        den = Money(dec(auth["value"]), Decimal(1), "人", 0, auth["fact_id"])
        stated = dec(rate.get("value"))
        if stated is None or den.yuan == 0:
            continue
        d = written_decimals(rate.get("value_raw")) or 0
        computed = num.yuan / den.yuan * 100
        doc.compared("staff_control_rate")
        if abs(computed - stated) <= half_unit(d):
            continue
        yield Finding(sec["section_id"], "error",
                      f"{doc.where(sec['section_id'])}: 控制率 {raw(rate, 'value_raw')} "
                      f"({rate['fact_id']}) differs from {actual.get('label_raw')} {num.yuan} ÷ "
                      f"{auth.get('label_raw')} {den.yuan} = {fmt(computed, max(d, 2))}%",
                      f"{fmt(computed, d)}%", raw(rate, "value_raw"),
                      [rate["fact_id"], actual["fact_id"], auth["fact_id"]])
