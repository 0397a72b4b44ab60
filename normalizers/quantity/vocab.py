"""Vocabularies of the quantity grammar, read once at import from normalizers/vocab/
(units.yaml: units and their kinds; comparators.yaml: comparators, directions,
qualifiers). Everything here is data; the rules live in grammar.py."""

from __future__ import annotations

import re
from decimal import Decimal
from importlib import resources

from ..yamltext import parse_yaml


def _load(name: str) -> dict:
    with resources.files("normalizers").joinpath(f"vocab/{name}").open("r", encoding="utf-8") as fh:
        return parse_yaml(fh)


def _by_len(words) -> list[str]:
    return sorted(set(words), key=lambda w: (-len(w), w))


class Words:
    """A word list matched at the start or end of a string, longest word first
    (a set lookup per word length, not a scan of the list)."""

    def __init__(self, words):
        self.words = frozenset(words)
        self.lengths = sorted({len(w) for w in self.words}, reverse=True)

    def at_start(self, s: str) -> str | None:
        """The longest word s starts with and is longer than."""
        n = len(s)
        for k in self.lengths:
            if k < n and s[:k] in self.words:
                return s[:k]
        return None

    def at_end(self, s: str) -> str | None:
        """The longest word s ends with and is longer than."""
        n = len(s)
        for k in self.lengths:
            if k < n and s[n - k:] in self.words:
                return s[n - k:]
        return None


def _alt(words) -> re.Pattern:
    """A regex alternation that finds the longest word first."""
    return re.compile("|".join(map(re.escape, _by_len(words))))


_UNITS = _load("units.yaml")
PERCENT_UNITS: dict[str, Decimal] = {k: Decimal(str(v)) for k, v in _UNITS["percent"].items()}
MONEY_UNITS: tuple[str, ...] = tuple(_UNITS["money"])
DURATION_UNITS: tuple[str, ...] = tuple(_UNITS["duration"])
DATE_LIKE_UNITS: tuple[str, ...] = tuple(_UNITS["date_like"])
COUNT_UNITS: tuple[str, ...] = tuple(_UNITS["count"])
SCALE_EXCEPTIONS: tuple[str, ...] = tuple(_UNITS["scale_exceptions"])
DENOMINATORS: tuple[str, ...] = tuple(_UNITS.get("denominators", ()))

# unit word -> kind (a later kind wins for a word listed twice)
UNIT_KIND: dict[str, str] = {}
for _kind, _words in (("count", COUNT_UNITS), ("date", DATE_LIKE_UNITS), ("duration", DURATION_UNITS),
                      ("percent", PERCENT_UNITS), ("money", MONEY_UNITS)):
    for _u in _words:
        UNIT_KIND[_u] = _kind
UNIT_RE = _alt(UNIT_KIND)
DENOM_RE = _alt(set(DENOMINATORS) | set(COUNT_UNITS) | set(DURATION_UNITS))

_CMP = _load("comparators.yaml")
PREFIX_OPS: dict[str, str] = {w: op for op, ws in _CMP["prefix"].items() for w in ws}
PREFIXES = Words(PREFIX_OPS)
SUFFIX_OPS: dict[str, str] = {w: op for op, ws in _CMP["suffix"].items() for w in ws}
SUFFIXES = Words(SUFFIX_OPS)
DIRECTION_WORDS: dict[str, str] = {w: d for d, ws in _CMP["direction"].items() for w in ws}
DIRECTION_VOCAB = Words(DIRECTION_WORDS)
DIRECTION_TO: tuple[str, ...] = tuple(_CMP["direction_to"])
LEAD_WORDS = Words(_CMP["lead"])
TRAILING_WORDS = Words(_CMP["trailing"])
CURRENCY_WORDS = _by_len(_CMP["currency"])
APPROX_WORDS: tuple[str, ...] = tuple(_CMP["approx"])
MAX_SUBJECT = int(_CMP["max_subject_chars"])

# a comparator or direction word anywhere: where a subject may end
LABEL_END_RE = _alt(list(PREFIX_OPS) + list(DIRECTION_WORDS))
