"""Numbers of the checks: money at its written precision, points, formatting."""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Iterable

UNIT_SCALE = {"元": Decimal(1), "千元": Decimal(1000), "万元": Decimal(10000),
              "百万元": Decimal(1000000), "亿元": Decimal(100000000)}
_NUM = re.compile(r"\d[\d,，]*(?:[.．]\d+)?")
HALF = Decimal("0.5")


def written_decimals(raw: str | None) -> int | None:
    """Digits written after the decimal point of the first number in ``raw``."""
    m = _NUM.search(raw or "")
    if not m:
        return None
    return len(m.group(0).replace("．", ".").partition(".")[2])


def decimals_of(value: Decimal) -> int:
    """Decimals a Decimal carries once trailing zeros are dropped (3.0000 → 0, 1.80 → 1)."""
    try:
        return max(0, -int(Decimal(value).normalize().as_tuple().exponent))
    except (InvalidOperation, TypeError, ValueError):
        return 0


def half_unit(decimals: int, scale: Decimal = Decimal(1)) -> Decimal:
    return HALF * Decimal(1).scaleb(-decimals) * scale


def dec(v) -> Decimal | None:
    if v is None:
        return None
    if isinstance(v, Decimal):
        return v
    try:
        return Decimal(str(v))
    except InvalidOperation:
        return None


def fmt(value: Decimal, decimals: int) -> str:
    return str(Decimal(value).quantize(Decimal(1).scaleb(-decimals)))


def fmt_points(value: Decimal) -> str:
    d = Decimal(value).normalize()
    return f"{d:f}"


@dataclass(frozen=True)
class Money:
    """One money figure with the precision it was written at."""
    yuan: Decimal
    scale: Decimal       # 元 per written unit
    unit: str            # written unit (万元)
    decimals: int        # digits written after the point
    ref: str | None = None

    @property
    def tol(self) -> Decimal:
        return half_unit(self.decimals, self.scale)

    def written(self, decimals: int | None = None) -> str:
        d = self.decimals if decimals is None else decimals
        return fmt(self.yuan / self.scale, d)


def money_of_fund(f: dict) -> Money | None:
    yuan = dec(f.get("amount_yuan"))
    if yuan is None:
        return None
    unit = f.get("unit_raw") or "元"
    scale = UNIT_SCALE.get(unit, Decimal(1))
    d = written_decimals(f.get("amount_raw"))
    return Money(yuan, scale, unit, 2 if d is None else d, f.get("fund_id"))


def tolerance(figures: Iterable[Money]) -> Decimal:
    """Half a unit of the last written digit of the least precise figure."""
    return max((m.tol for m in figures), default=Decimal("0.005"))


def money_sum_str(total: Decimal, like: Iterable[Money]) -> str:
    """A sum in the written unit of the figures, at their finest written precision."""
    like = list(like)
    if not like:
        return f"{total}元"
    scale, unit = like[0].scale, like[0].unit
    d = max(m.decimals for m in like)
    return f"{fmt(total / scale, d)}{unit}"


def _points_tol(*values: Decimal) -> Decimal:
    return half_unit(min(decimals_of(v) for v in values))
