"""Tokens of the quantity grammar: a number (every script, its own scale, a sign)
followed by its unit. A *side* is one such ``NUMBER [scale] [个] [UNIT]``; a
range has two."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..numerals import (CN_DIGITS, CN_RUN_RE, SCALE_CHARS, cn_strict, cn_to_decimal, read_arabic, read_mixed,
                        read_scales)
from .units import match_unit, strip_ge
from .vocab import PERCENT_UNITS, SCALE_EXCEPTIONS, UNIT_KIND

_BIG = "万萬亿億"
_HALF = Decimal("0.5")
_MONEY_WORDS = tuple(u for u, k in UNIT_KIND.items() if k == "money")


@dataclass(frozen=True)
class Side:
    value: Decimal  # includes the scale written in the text
    scale: Decimal  # that scale (1 if none)
    unit: str | None
    kind: str | None
    factor: Decimal  # percent factor (‰ → 0.1)

    @property
    def scaled(self) -> bool:
        return self.scale != 1


def _cut_at_exception(s: str, pos: int, run: str) -> str:
    """Do not swallow the first char of a unit such as 千米 / 百分比."""
    for i in range(1, len(run)):
        if any(s.startswith(e, pos + i) for e in SCALE_EXCEPTIONS):
            return run[:i]
    return run


def _self_scale(run: str) -> Decimal:
    """The big scale a Chinese numeral carries itself (三千万, 二万; used by
    ranges: 一至二万元); 三千 is just a number."""
    mult = Decimal(1)
    for c in reversed(run):
        if c in _BIG:
            mult *= SCALE_CHARS[c]
        else:
            break
    if mult == 1 and any(c in _BIG for c in run):
        mult = Decimal(10000)  # 两万五: self-scaled, the exact factor is irrelevant
    return mult


def _read_mixed_at(s: str, pos: int) -> tuple[Decimal, int, Decimal] | None:
    m = CN_RUN_RE.match(s, pos)
    if not m:
        return None
    run = m.group(0)
    if _cut_at_exception(s, pos, run) != run:
        return None  # 5万4千米: the scale char begins a unit; which number is meant is unclear
    # the longest prefix that reads (5万4千6百人 → 5万4千6百)
    for end in range(len(run), 0, -1):
        v = read_mixed(run[:end])
        if v is not None:
            return v, pos + end, _self_scale(run[:end])
    return None


def read_number(s: str, pos: int) -> tuple[Decimal, int, Decimal] | None:
    """Number at pos: Arabic (+ scale chars), Chinese, or mixed (5万4千6百).

    Returns (value, end, scale) where ``scale`` is the multiplier the text
    wrote itself (万 in ``3.5万``, ``三千万``), 1 if none; ``value`` already
    includes it.
    """
    if pos >= len(s):
        return None
    c0 = s[pos]
    if c0.isdigit() or (c0 == "." and pos + 1 < len(s) and s[pos + 1].isdigit()):
        r = read_arabic(s, pos)
        if r is None:
            return None
        v, end = r
        if c0 == "0" and end > pos + 1 and s[pos + 1].isdigit():
            return None  # leading zero: a code or phone number (0562...), not a quantity
        if end < len(s) and (s[end].isdigit() or s[end] in ",."):
            return None  # malformed (7,00.0,77 / 1.2.3)
        mult, end2 = read_scales(s, end, SCALE_EXCEPTIONS)
        if mult != 1 and end2 < len(s) and (s[end2].isdigit() or s[end2] in CN_DIGITS):
            # 5万4千6百, 3万4000, 1千零1: a mixed numeral, read whole or not at all
            if "." in s[pos:end]:
                return None
            return _read_mixed_at(s, pos)
        return v * mult, end2, mult
    m = CN_RUN_RE.match(s, pos)
    if not m:
        return None
    run = m.group(0)
    if any(c.isdigit() for c in run):
        return _read_mixed_at(s, pos)  # 一百点123, 三万4000
    run = _cut_at_exception(s, pos, run)
    if not any(c in CN_DIGITS for c in run) and not run.startswith(("十", "拾")):
        return None  # 万元, 千人: no digit at all
    v = cn_to_decimal(run)
    if v is None:
        v = cn_strict(run)  # 一万零百一十一
    # a longer run may not be a numeral while a prefix is (三公 → 三 + 公...);
    # the caller then fails on the leftover unless it is a unit
    while v is None and len(run) > 1:
        run = run[:-1]
        v = cn_to_decimal(run)
    if v is None:
        return None
    return v, pos + len(run), _self_scale(run)


def _sub_yuan(s: str, pos: int) -> tuple[Decimal, int]:
    """角 and 分 after 元 (壹拾壹元壹角壹分 → 0.11 more)."""
    extra = Decimal(0)
    for word, f in (("角", Decimal("0.1")), ("分", Decimal("0.01"))):
        if pos < len(s) and s[pos] in CN_DIGITS and pos + 1 < len(s) and s[pos + 1] == word:
            extra += CN_DIGITS[s[pos]] * f
            pos += 2
    return extra, pos


def read_side(s: str, pos: int) -> tuple[Side, int] | None:
    """``[-|负] NUMBER [scale] [个][半] [UNIT]`` at pos, or ``半`` + a time unit."""
    neg = False
    if pos == 0 and len(s) > 1 and s[0] in "-负" and (s[1].isdigit() or s[1] in CN_DIGITS or s[1] in "十拾"):
        neg = True  # a negative value: -2.5%, 负3.9%, 负三十二
        pos = 1
    if s.startswith("半", pos):
        u = match_unit(s, pos + 1)  # 半小时, 半天, 半个月 (个月 is a unit word)
        if u is None or UNIT_KIND.get(u[0]) not in ("duration", "date") or neg:
            return None
        unit, end, kind = u
        return Side(_HALF, Decimal(1), strip_ge(unit), "duration", Decimal(1)), end
    r = read_number(s, pos)
    if r is None:
        return None
    v, pos, scale = r
    if neg:
        v = -v
    ge = False
    if s.startswith("个半", pos) and scale == 1:
        v, ge, pos = v + _HALF, True, pos + 2  # 一个半小时, 1个半月
        if match_unit(s, pos) is None:
            return None
    elif pos < len(s) and s[pos] == "个":
        ge = True
        pos += 1
    u = match_unit(s, pos)
    if u is None:
        if ge:
            return Side(v, scale, "个", "count", Decimal(1)), pos
        return Side(v, scale, None, None, Decimal(1)), pos
    unit, pos, kind = u
    factor = PERCENT_UNITS.get(unit, Decimal(1))
    if kind == "date" and ge:
        kind = "duration"  # 3个月, 1个季度
    if kind == "percent":
        unit = "%"
    elif kind == "money":
        base = next(w for w in sorted(_MONEY_WORDS, key=len, reverse=True) if unit.startswith(w))
        unit = "元" + unit[len(base):]  # 块钱/圆 → 元, the denominator kept
        if unit == "元":
            extra, pos = _sub_yuan(s, pos)
            v += -extra if neg else extra
    else:
        unit = strip_ge(unit)
    return Side(v, scale, unit, kind, factor), pos
