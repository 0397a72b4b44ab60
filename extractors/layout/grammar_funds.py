"""Fund lines of glued cells: every reading of a line's glued figures under the block's
columns, checked by 执行率 = B/A and 得分 = 分值 × 执行率, and Σ of the 其中 lines = the
total line (``fund_block_filter``)."""
from __future__ import annotations

from decimal import Decimal

from . import shape_values as sv
from .grammar import CAP, Spaced, Span, Text, consistent_readings

MONEY = ("budget_initial", "budget", "budget_full_year", "executed")


def _fund_cell_ok(role: str, s: str) -> bool:
    if role in MONEY:
        return sv.money(s) is not None
    if role == "execution_rate":
        return sv.percent(s) is not None or sv.ratio(s) is not None
    return sv.points(s) is not None


def fund_readings(run: Text, roles: tuple[str, ...],
                  weight: Decimal | None = None) -> list[tuple[Span, ...]] | None:
    """Every reading of a fund line's glued figures as cells under ``roles`` (money columns
    filled from the left, then any of 分值 / 执行率 / 得分), checked by 执行率 = B/A and
    得分 = 分值 × 执行率.  A cell not present is ``(p, p)``."""
    text = run.text
    out: list[tuple[Span, ...]] = []
    if isinstance(run, Spaced):
        toks, k = [], run.skip(run.start)
        while k < run.end:
            j = next(run.ends(k, 0))
            toks.append((k, j))
            k = run.skip(j)
        if len(toks) == len(roles):  # one figure under each header cell: placed by layout
            return [tuple(toks)]

    def walk(i: int, r: int, acc: tuple[Span, ...], money_open: bool):
        if len(out) > CAP:
            return
        k = run.skip(i)
        if r == len(roles):
            if k >= run.end:
                out.append(acc)
            return
        role = roles[r]
        walk(i, r + 1, acc + ((k, k),), money_open and role not in MONEY)  # left empty
        if role in MONEY and not money_open:
            return
        for j in run.ends(k, 24):
            if _fund_cell_ok(role, text[k:j]):
                walk(j, r + 1, acc + ((k, j),), money_open)

    walk(run.start, 0, (), True)
    good = [rd for rd in dict.fromkeys(out) if _fund_row_ok(text, roles, rd, weight)]
    return None if len(good) > CAP else good


def fund_values(text: str, roles: tuple[str, ...], rd: tuple[Span, ...]) -> dict[str, str]:
    return {role: text[a:b] for role, (a, b) in zip(roles, rd) if b > a}


def _fund_row_ok(text: str, roles: tuple[str, ...], rd: tuple[Span, ...],
                 corner_weight: Decimal | None = None) -> bool:
    """执行率 = B/A and 得分 = 分值 × 执行率; the 分值 may be the corner's ``(20分)``."""
    v = fund_values(text, roles, rd)
    budget = next((sv.money(v[r]) for r in ("budget_full_year", "budget", "budget_initial") if r in v), None)
    executed = sv.money(v["executed"]) if "executed" in v else None
    rate = None
    if "execution_rate" in v:
        rate = sv.percent(v["execution_rate"])
        if rate is None:
            rate = sv.ratio(v["execution_rate"])
    weight = sv.points(v["budget_weight"]) if "budget_weight" in v else None
    if weight is None and "budget_weight" not in roles and "budget_score" in v:
        weight = corner_weight
    score = sv.points(v["budget_score"]) if "budget_score" in v else None
    if score is not None and weight is None:
        return False
    if rate is not None:
        if budget is None or executed is None:
            return False  # a rate with nothing to check it against cannot be placed
        if budget:
            unit = Decimal(100) if "%" not in v["execution_rate"] and "％" not in v["execution_rate"] else 1
            tol = Decimal("0.6") * Decimal(10) ** -sv.decimals(v["execution_rate"]) * unit
            if abs(executed / budget * 100 - rate) > tol:
                return False
    if weight is not None and score is not None:
        if score > weight:
            return False
        if rate is not None and abs(weight * rate / 100 - score) > 1:
            return False
    if (weight is not None or score is not None) and rate is None:
        return False
    return True


def fund_block_filter(text: str, roles: tuple[str, ...], lines: list[tuple[bool, list]]) -> list[list]:
    """Σ of the 其中 lines = the total line, per money column: keep the readings of each line
    that take part in a consistent combination (if any).  ``lines`` is (is_sub, readings)."""
    if not lines or lines[0][0] or not any(s for s, _ in lines[1:]):
        return [r for _, r in lines]
    readings = [r for _, r in lines]
    if any(not r for r in readings):
        return readings

    def amount(rd, role):
        v = fund_values(text, roles, rd).get(role)
        return sv.money(v) if v else None

    def ok(combo) -> bool:
        total = readings[0][combo[0]]
        good = True
        for role in MONEY:
            if role not in roles:
                continue
            t = amount(total, role)
            subs = [amount(readings[i][c], role) for i, c in enumerate(combo) if i and lines[i][0]]
            if t is None:
                if any(s is not None for s in subs):
                    good = False
                continue
            if sum((s or Decimal(0)) for s in subs) != t:
                good = False
        return good
    kept = consistent_readings(readings, ok)
    return readings if kept is None or not any(kept) else kept
