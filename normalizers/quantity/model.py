"""The value object parse_quantity returns, and the small helpers every rule uses."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from decimal import Decimal

__all__ = ["Quantity", "OPS", "KINDS", "DIRECTIONS", "RECORD_FIELDS"]

OPS = ("=", ">=", "<=", ">", "<", "range", "qual", "na")
KINDS = ("money", "count", "percent", "duration", "date", "rank", "text", "na")
DIRECTIONS = ("increase", "decrease")

# the fields a record (indicator target/actual) copies, in column order
RECORD_FIELDS = ("op", "value", "upper", "unit", "kind", "subject", "direction", "date_from", "date_to")


@dataclass(frozen=True)
class Quantity:
    """A parsed target/actual value.

    ``value``/``upper`` are Decimals in the base unit (元, percent points, the
    written count unit) or ``None``; ``upper`` is set only for a numeric
    ``op='range'``. ``raw`` is the text exactly as passed in.

    ``subject`` is the label written before the comparator or direction word
    (``评估报告总成本`` in ``评估报告总成本不超过0.5万元``), ``direction`` says the
    number is a change (``increase`` / ``decrease``: ``下降10%``), ``date_from`` /
    ``date_to`` are the first and last day a date names (a range, a month, a
    year), ``None`` where the text does not fix them.
    """

    op: str
    value: Decimal | None
    upper: Decimal | None
    unit: str | None
    kind: str
    raw: str | None
    subject: str | None = None
    direction: str | None = None
    date_from: _dt.date | None = None
    date_to: _dt.date | None = None

    @property
    def is_numeric(self) -> bool:
        return self.value is not None

    def record(self, prefix: str) -> dict:
        """``{prefix_op: ..., prefix_value: ..., ...}`` for the RECORD_FIELDS."""
        return {f"{prefix}_{f}": getattr(self, f) for f in RECORD_FIELDS}


def tidy(d: Decimal) -> Decimal:
    """Drop a meaningless exponent/trailing zeros but never use E-notation."""
    if d == d.to_integral_value():
        return d.quantize(Decimal(1))
    return d.normalize()  # a non-integral value never gets a positive exponent


def na(raw) -> Quantity:
    return Quantity("na", None, None, None, "na", raw)


def qual(raw) -> Quantity:
    return Quantity("qual", None, None, None, "text", raw)
