"""Normalisers: pure functions that turn the text of budget-performance table
cells into typed values (see normalizers/README.md).

No I/O happens at call time; the YAML vocabularies in ``normalizers/vocab`` are
read once at import.
"""

from .quantity import Quantity, parse_quantity
from .text import fold_ws, money_to_yuan, parse_date, parse_decimal, to_halfwidth

__all__ = [
    "parse_quantity",
    "Quantity",
    "to_halfwidth",
    "fold_ws",
    "parse_decimal",
    "parse_date",
    "money_to_yuan",
]
