"""parse_quantity: read a target / actual cell of a performance-indicator table.

The grammar and one example per rule are in normalizers/README.md; the modules:

* ``model``   — the Quantity value object, OPS, KINDS
* ``vocab``   — units, comparators, directions, qualifiers (YAML in normalizers/vocab/)
* ``tokens``  — numbers in every script and the unit after them
* ``units``   — unit words, per-unit denominators, header units (unit_hint)
* ``dates``   — dates, date ranges and the days they name
* ``grammar`` — the rules that put the tokens together
* ``sentence`` — the one figure a sentence target states (``parse_sentence_quantity``)
"""

from __future__ import annotations

from decimal import localcontext
from functools import lru_cache

from .grammar import may_hold as _may_hold
from .grammar import parse as _parse
from .model import DIRECTIONS, KINDS, OPS, RECORD_FIELDS, Quantity, na, qual
from .sentence import parse_sentence_quantity

__all__ = ["Quantity", "parse_quantity", "parse_sentence_quantity", "OPS", "KINDS", "DIRECTIONS",
           "RECORD_FIELDS"]



def parse_quantity(text: str | None, unit_hint: str | None = None) -> Quantity:
    """Parse a target/actual value cell. See normalizers/README.md.

    ``unit_hint`` is the unit a table header gives (``万元``, ``（万元）``,
    ``%``, ``人次``); it applies only to numbers written without a unit.
    """
    if text is None:
        return na(None)
    if not isinstance(text, str):
        raise TypeError(f"parse_quantity expects str, got {type(text).__name__}")
    if unit_hint is not None and not isinstance(unit_hint, str):
        raise TypeError(f"unit_hint must be str, got {type(unit_hint).__name__}")
    return _cached(text, unit_hint)


@lru_cache(maxsize=65536)
def _cached(text: str, unit_hint: str | None) -> Quantity:
    if not _may_hold(text):
        return qual(text)
    # exact arithmetic: numbers are capped at MAX_DIGITS digits and scales at
    # 10^16, so this precision never rounds
    with localcontext() as ctx:
        ctx.prec = 64
        return _parse(text, unit_hint)
