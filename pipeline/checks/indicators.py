"""Rules over the indicator tables: scores, weights, full scores against targets."""
from __future__ import annotations

from decimal import Decimal
from typing import Iterator

from .core import Doc, Finding, raw, rule
from .money import _points_tol, dec, fmt_points


def _ind_where(doc: Doc, ind: dict) -> str:
    return (f"{doc.where(ind['section_id'])}, indicator {ind.get('row_no')} "
            f"「{ind.get('name') or ind.get('name_raw')}」 ({ind['indicator_id']})")


@rule("score_above_weight")
def score_above_weight(doc: Doc) -> Iterator[Finding]:
    """An indicator scored more points than its weight."""
    for ind in doc.indicators:
        w, s = dec(ind.get("weight")), dec(ind.get("score"))
        if w is None or s is None:
            continue
        doc.compared("score_above_weight")
        if s > w:
            yield Finding(ind["section_id"], "error",
                          f"{_ind_where(doc, ind)}: score {fmt_points(s)} "
                          f"({doc.cell(ind.get('score_block'))}) is above its weight "
                          f"{fmt_points(w)} ({doc.cell(ind.get('weight_block'))})",
                          f"<= {fmt_points(w)}", fmt_points(s),
                          [ind["indicator_id"], ind.get("score_block"), ind.get("weight_block")])


def _budget_fact(doc: Doc, section_id: str, key: str) -> dict | None:
    facts = [f for f in doc.of_section("facts", section_id) if f.get("key") == key
             and dec(f.get("value")) is not None]
    # the 年度资金总额 line's figure (the first one) is the 预算执行 part of the total
    return facts[0] if facts else None


def _sum_vs_total(doc: Doc, rule_name: str, sec: dict, column: str, stated_col: str,
                  fact_key: str, what: str, default_total: Decimal | None) -> Iterator[Finding]:
    inds = [i for i in doc.of_section("indicators", sec["section_id"]) if dec(i.get(column)) is not None]
    if not inds:
        return
    stated = dec(sec.get(stated_col))
    assumed = stated is None
    if assumed:
        if default_total is None:
            return
        stated = default_total
    parts = [dec(i[column]) for i in inds]
    s = sum(parts, Decimal(0))
    fact = _budget_fact(doc, sec["section_id"], fact_key)
    fv = dec(fact["value"]) if fact else None
    candidates = [s] + ([s + fv] if fv is not None else [])
    tol = _points_tol(stated, *parts, *([fv] if fv is not None else []))
    doc.compared(rule_name)
    if any(abs(stated - c) <= tol for c in candidates):
        return
    label = "分值" if column == "weight" else "自评得分"
    where_total = (f"the 总分 row {label} {fmt_points(stated)} ({doc.cell(sec.get('total_block'))})"
                   if not assumed else f"the expected total of {fmt_points(stated)} (no 总分 {label} stated)")
    msg = (f"{doc.where(sec['section_id'])}: {where_total} does not match the "
           f"{len(parts)} indicator {what} summing to {fmt_points(s)}")
    if fv is not None:
        msg += (f", nor {fmt_points(s)} + the funds block {fact.get('label_raw') or fact_key} "
                f"{fmt_points(fv)} ({fact['fact_id']}) = {fmt_points(s + fv)}")
    expected = fmt_points(candidates[-1])
    yield Finding(sec["section_id"], "error", msg, expected, fmt_points(stated),
                  [sec.get("total_block")] + [i["indicator_id"] for i in inds]
                  + ([fact["fact_id"]] if fact else []))


@rule("scores_sum")
def scores_sum(doc: Doc) -> Iterator[Finding]:
    """The stated total score (总分 自评得分) is neither the sum of the indicator scores
    nor that sum plus the funds-block score (预算执行 得分)."""
    for sec in doc.sections:
        yield from _sum_vs_total(doc, "scores_sum", sec, "score", "total_score",
                                 "budget_score", "scores", None)


@rule("weights_sum")
def weights_sum(doc: Doc) -> Iterator[Finding]:
    """The indicator weights (plus the funds-block 分值) do not add up to the stated
    total weight, or to 100 when none is stated."""
    for sec in doc.sections:
        yield from _sum_vs_total(doc, "weights_sum", sec, "weight", "total_weight",
                                 "budget_weight", "weights", Decimal(100))


@rule("level1_weights")
def level1_weights(doc: Doc) -> Iterator[Finding]:
    """The weight stated in a 一级指标 label (产出指标(50分)) differs from the sum of the
    weights of its indicators."""
    groups: dict[tuple, list[dict]] = {}
    for ind in doc.indicators:
        key = (ind["section_id"], ind.get("level1_block") or ind.get("level1"))
        groups.setdefault(key, []).append(ind)
    for (sid, _), inds in groups.items():
        lw = next((dec(i.get("level1_weight")) for i in inds if dec(i.get("level1_weight")) is not None), None)
        weights = [(i, dec(i.get("weight"))) for i in inds if dec(i.get("weight")) is not None]
        if lw is None or not weights:
            continue
        s = sum((w for _, w in weights), Decimal(0))
        doc.compared("level1_weights")
        if abs(s - lw) <= _points_tol(lw, *(w for _, w in weights)):
            continue
        first = inds[0]
        label = (first.get("level1_raw") or first.get("level1") or "").replace("\n", "")
        yield Finding(sid, "error",
                      f"{doc.where(sid)}: 一级指标 「{label}」 ({doc.cell(first.get('level1_block'))}) "
                      f"states {fmt_points(lw)} points but its {len(weights)} indicators' weights "
                      f"sum to {fmt_points(s)}",
                      fmt_points(lw), fmt_points(s),
                      [first.get("level1_block")] + [i["indicator_id"] for i, _ in weights])


COMPARABLE_KINDS = ("count", "percent", "money")


def _missed(op: str, target: Decimal, upper: Decimal | None, actual: Decimal, kind: str) -> bool:
    if op == ">=":
        return actual < target
    if op == ">":
        return actual <= target
    if op == "<=":
        return actual > target
    if op == "<":
        return actual >= target
    if op == "range":
        return actual < target or (upper is not None and actual > upper)
    if op == "=":
        # A bare money figure is a budget: any difference misses it.  A bare count or
        # percentage is a quota: falling short misses it, exceeding it does not (5239 人
        # managed against a target of 5200 人 is not a miss) - except a zero target
        # (安全生产事故发生率 0%), which is a ceiling.
        if kind == "money":
            return actual != target
        if target == 0:
            return actual > 0
        return actual < target
    return False


@rule("full_score_missed_target")
def full_score_missed_target(doc: Doc) -> Iterator[Finding]:
    """Full score although the actual value misses the target (comparable numbers with
    the same unit only)."""
    for ind in doc.indicators:
        w, s = dec(ind.get("weight")), dec(ind.get("score"))
        tv, av = dec(ind.get("target_value")), dec(ind.get("actual_value"))
        op, kind = ind.get("target_op"), ind.get("target_kind")
        if None in (w, s, tv, av) or ind.get("actual_op") != "=" or kind not in COMPARABLE_KINDS:
            continue
        if ind.get("actual_kind") != kind or ind.get("actual_unit") != ind.get("target_unit"):
            continue
        if op not in (">=", ">", "<=", "<", "=", "range"):
            continue
        doc.compared("full_score_missed_target")
        if s < w or not _missed(op, tv, dec(ind.get("target_upper")), av, kind):
            continue
        yield Finding(ind["section_id"], "warning",
                      f"{_ind_where(doc, ind)}: full score {fmt_points(s)}/{fmt_points(w)} although "
                      f"the actual value 「{raw(ind, 'actual_raw')}」 "
                      f"({doc.cell(ind.get('actual_block'))}) misses the target "
                      f"「{raw(ind, 'target_raw')}」 ({doc.cell(ind.get('target_block'))})",
                      f"target {raw(ind, 'target_raw')} met, or a score below {fmt_points(w)}",
                      f"actual {raw(ind, 'actual_raw')}, score {fmt_points(s)}",
                      [ind["indicator_id"], ind.get("target_block"), ind.get("actual_block"),
                       ind.get("score_block")])
