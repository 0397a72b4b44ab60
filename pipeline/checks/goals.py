"""Rule goal_vs_indicator: a figure of the goal items restated differently in the indicator table."""
from __future__ import annotations

import re
from collections import defaultdict
from typing import Iterator

from .core import Doc, Finding, rule
from .indicators import COMPARABLE_KINDS, _ind_where
from .money import dec


_AFTER_NAME = re.compile(r"\s*(?:为|达|达到|共|计)?\s*(\d[\d,，]*(?:\.\d+)?\s*(?:万|亿)?\s*[^\d\s，。；;、,：:（(]{1,3})")


def _stated_after(text: str | None, name: str):
    """The quantity written right after ``name`` in a goal item (``…健康管理37874人；``)."""
    from normalizers import parse_quantity
    if not text or not name:
        return None
    from normalizers.text import fold_ws
    t = fold_ws(text)
    k = t.find(name)
    if k < 0:
        return None
    m = _AFTER_NAME.match(t, k + len(name))
    if not m:
        return None
    q = parse_quantity(m.group(1))
    if q.value is None or q.op != "=":
        # the unit word may be followed by more text (人次，…): try shorter unit words
        for cut in range(len(m.group(1)) - 1, 0, -1):
            q = parse_quantity(m.group(1)[:cut])
            if q.value is not None and q.op == "=":
                break
        else:
            return None
    return q, m.group(1)


@rule("goal_vs_indicator")
def goal_vs_indicator(doc: Doc) -> Iterator[Finding]:
    """A figure restated differently in the 年度总体目标 items and the indicator table."""
    goals_by_sec: dict[str, list[dict]] = defaultdict(list)
    for g in doc.goals:
        if g.get("kind") == "goal":
            goals_by_sec[g["section_id"]].append(g)
    for ind in doc.indicators:
        name = ind.get("name") or ""
        if len(name) < 4:
            continue
        for side, text_key, block_key in (("target", "expected_text", "expected_block"),
                                          ("actual", "actual_text", "actual_block")):
            value, unit, kind = dec(ind.get(f"{side}_value")), ind.get(f"{side}_unit"), ind.get(f"{side}_kind")
            if value is None or kind not in COMPARABLE_KINDS or ind.get(f"{side}_op") not in ("=", ">=", "<="):
                continue
            for g in goals_by_sec.get(ind["section_id"], []):
                found = _stated_after(g.get(text_key), name)
                if not found:
                    continue
                q, raw = found
                if q.kind != kind or q.unit != unit:
                    continue
                doc.compared("goal_vs_indicator")
                if q.value == value:
                    continue
                what = "预期目标" if side == "target" else "实际完成情况"
                yield Finding(
                    ind["section_id"], "warning",
                    f"{doc.where(ind['section_id'])}: 年度总体目标 item {g.get('ordinal')} ({what}, "
                    f"{g['goal_id']}) states {name}{raw.strip()}, but {_ind_where(doc, ind)} has "
                    f"{'target' if side == 'target' else 'actual value'} "
                    f"「{(ind.get(side + '_raw') or '').strip()}」 ({doc.cell(ind.get(side + '_block'))})",
                    (ind.get(side + "_raw") or "").strip(), raw.strip(),
                    [ind["indicator_id"], g["goal_id"], ind.get(side + "_block"), g.get(block_key)])
