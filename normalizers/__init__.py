"""Normalisers: pure functions that turn the text of budget-performance table
cells into typed values (rules: normalizers/README.md).

No I/O happens at call time; the YAML vocabularies in ``normalizers/vocab`` are
read once at import. Numbers are always ``decimal.Decimal``, never float.
"""

from .labels import LabelResult, clean_indicator_name, normalize_level1, normalize_level2
from .quantity import Quantity, parse_quantity, parse_sentence_quantity
from .text import fold_ws, strip_pinyin, to_simplified, money_to_yuan, parse_date, parse_decimal, to_halfwidth

__all__ = [
    "parse_quantity",
    "parse_sentence_quantity",
    "Quantity",
    "normalize_level1",
    "normalize_level2",
    "clean_indicator_name",
    "LabelResult",
    "to_halfwidth",
    "fold_ws",
    "to_simplified",
    "strip_pinyin",
    "parse_decimal",
    "parse_date",
    "money_to_yuan",
]
