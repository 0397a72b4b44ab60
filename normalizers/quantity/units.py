"""Units: the unit word after a number (with a per-unit denominator) and the
unit a table header gives (unit_hint)."""

from __future__ import annotations

import re
from decimal import Decimal

from ..numerals import read_scales
from ..text import MONEY_SCALES, fold_ws, to_halfwidth
from .vocab import CURRENCY_WORDS, DENOM_RE, PERCENT_UNITS, SCALE_EXCEPTIONS, UNIT_KIND, UNIT_RE

# joins the parts of a compound denominator: 元/人*月, 元/人·月, 元/人/月
_DENOM_JOIN = "*·×/"


def match_unit(s: str, pos: int) -> tuple[str, int, str] | None:
    """Longest unit word at pos, with an optional per-unit denominator
    (``元/平方米``, ``元/人*月``, ``次/年``): (unit, end, kind)."""
    m = UNIT_RE.match(s, pos)
    if not m:
        return None
    u = m.group(0)
    end = m.end()
    kind = UNIT_KIND[u]
    if end < len(s) and s[end] == "/" and kind in ("money", "count"):
        md = DENOM_RE.match(s, end + 1)
        if md:
            u, end = u + "/" + md.group(0), md.end()
            while end + 1 < len(s) and s[end] in _DENOM_JOIN:
                md = DENOM_RE.match(s, end + 1)
                if not md:
                    break
                u, end = u + s[end] + md.group(0), md.end()
    if kind == "money":
        for w in CURRENCY_WORDS:  # 8亿元人民币
            if s.startswith(w, end):
                end += len(w)
                break
    return u, end, kind


def strip_ge(unit: str) -> str:
    """The classifier 个 is not part of a unit (个工作日 → 工作日), unless alone."""
    if unit.startswith("个") and len(unit) > 1:
        return unit[1:]
    return unit


def clean_hint(hint: str | None) -> str | None:
    if not hint:
        return None
    h = fold_ws(to_halfwidth(hint))
    h = re.sub(r"^(?:单位|计量单位|金额单位)[:：]?", "", h)
    while len(h) > 1 and h[0] in "([【〔" and h[-1] in ")]】〕":
        h = h[1:-1].strip()
    for w in CURRENCY_WORDS:
        h = h.replace(w, "")
    return h or None


def hint_unit(hint: str) -> tuple[str, str, Decimal] | None:
    """(kind, unit, multiplier) for a header unit such as 万元, %, 人次."""
    if hint in MONEY_SCALES:
        return "money", "元", MONEY_SCALES[hint]
    if hint in ("万", "亿", "千"):
        return "money", "元", MONEY_SCALES[hint + "元"]
    if hint in PERCENT_UNITS:
        return "percent", "%", PERCENT_UNITS[hint]
    mult, pos = read_scales(hint, 0, SCALE_EXCEPTIONS)
    rest = hint[pos:]
    if rest.startswith("个") and len(rest) > 1:
        rest = rest[1:]
    unit = match_unit(rest, 0)
    if unit and unit[1] == len(rest):
        u, _, kind = unit
        if kind == "money":
            return "money", u, mult
        return kind, strip_ge(u), mult
    return None


def resolve_hint(unit_hint: str | None) -> tuple[str, str | None, Decimal] | None:
    hint_s = clean_hint(unit_hint)
    if not hint_s:
        return None
    hint = hint_unit(hint_s)
    if hint is None:
        # unknown header unit: keep it as a count unit, as written
        hint = ("count", strip_ge(hint_s), Decimal(1))
    return hint
