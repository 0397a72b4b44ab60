"""The shapes a glued cell value can take: points, money, percent, ratio, comparator +
value + unit, a date, qualitative text.  Units and the points ceiling come from the
glued vocabulary (``shapes.vocab``).  Pure functions over strings."""
from __future__ import annotations

import functools
from decimal import Decimal, InvalidOperation

import regex as re

from normalizers.ocr import OCR_DIGITS

from .shapes import vocab

NUM = r"(?:0|[1-9]\d*)(?:\.\d+)?"
OPS = "≥≤><=＞＜≧≦"
_OP = r"(?:[≥≤><=＞＜≧≦]|不低于|不少于|不高于|不超过|不多于|大于等于|小于等于|大于|小于|达到)"
_PCT = r"[%％‰]"


@functools.lru_cache(maxsize=1)
def _shape_res() -> dict[str, re.Pattern]:
    units = "|".join(re.escape(u) for u in vocab()["units"] if u not in ("%", "‰"))
    unit = rf"(?:[万亿千]?(?:{units})(?:/(?:{units}))?)"
    tail = r"(?:以上|以下|以内|及以上|及以下)?"
    return {
        "unit_start": re.compile(rf"(?:{_PCT}|{unit})"),
        "glued_figures": re.compile(rf"\d\s*(?:{_PCT}|{unit})\s*{_OP}?\s*\d"),
        "bare_number": re.compile(rf"\d(?![\d.])(?!\s*(?:{_PCT}|{unit}))(?=\s*\p{{Han}})"),
        "points": re.compile(rf"{NUM}(?:分)?"),
        "money": re.compile(rf"{NUM}(?:万元|万|元)?"),
        "percent": re.compile(rf"{NUM}\s*{_PCT}"),
        "quantity": re.compile(rf"{_OP}?\s*{NUM}\s*(?:{_PCT}|{unit})?{tail}"),
        "date": re.compile(r"\d{4}\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?(?:[底前内]|以前)?(?:[^\d≥≤><=%]{0,6})"),
        # a figure OCR garbled with a letter (M.8万元): a cell, never a number
        "garbled": re.compile(rf"(?=[^\p{{Latin}}]*\p{{Latin}})(?=\D*\d)[\p{{Latin}}\d.]+(?:{_PCT}|{unit})?"),
        # qualitative: no digit, no comparator, at least one Chinese character
        "text": re.compile(r"(?=[^\d]*\p{Han})[^\d≥≤><=＞＜%％]+"),
    }


def unit_follows(text: str, j: int) -> bool:
    """True if a unit word (or %) starts at ``text[j]`` right after a digit: the number and
    its unit are one token, no cell boundary falls between them."""
    return j > 0 and text[j - 1].isdigit() and bool(_shape_res()["unit_start"].match(text, j))


@functools.lru_cache(maxsize=1 << 16)
def ends_in_figure(s: str) -> bool:
    """True if ``s`` ends in a digit, or in a digit and its unit word (``…发生数0起``)."""
    s = s.rstrip()
    if s and s[-1].isdigit():
        return True
    return bool(_units_at_end().search(s)) or bool(_PERCENT_AT_END.search(s))


_PERCENT_AT_END = re.compile(r"\d\s*[%％‰]$")


@functools.lru_cache(maxsize=1)
def _units_at_end() -> re.Pattern:
    """A figure and its unit word at the end of a text."""
    return re.compile(r"\d\s*[万亿千]?(?:%s)$" % "|".join(re.escape(u) for u in vocab()["units"] if u))


@functools.lru_cache(maxsize=1 << 16)
def has_glued_figures(s: str) -> bool:
    """True if ``s`` holds two figures glued together (``0起0起``, ``100%100%``): in a
    table those are two cells, never the inside of a name."""
    return bool(_shape_res()["glued_figures"].search(s))


@functools.lru_cache(maxsize=1 << 16)
def has_bare_number(s: str) -> bool:
    """True if a number inside ``s`` runs straight into a Chinese character that is not a
    unit word (``产产1显著提升``): in glued text that number is a cell, not part of a name."""
    return bool(_shape_res()["bare_number"].search(s))


@functools.lru_cache(maxsize=1 << 16)
def is_shape(s: str, shape: str) -> bool:
    return bool(_shape_res()[shape].fullmatch(s))


@functools.lru_cache(maxsize=1 << 16)
def is_value(s: str) -> str | None:
    """The shape of a target / actual cell: quantity, date, text or garbled (a figure
    with an OCR letter in it, M.8万元: kept as written, never read as a number); None if
    none fits."""
    s = s.strip()
    if not s:
        return None
    for k in ("quantity", "date", "text", "garbled"):
        if is_shape(s, k):
            return k
    return None


def number(s: str) -> Decimal | None:
    m = _NUM.search(s)
    if not m:
        return None
    try:
        return Decimal(m.group())
    except InvalidOperation:
        return None


@functools.lru_cache(maxsize=1 << 16)
def points(s: str) -> Decimal | None:
    """The value of a points cell (``10``, ``8.5分``), None if it is not one."""
    s = s.strip()
    if not is_shape(s, "points"):
        return None
    v = number(s)
    return v if v is not None and v <= vocab()["max_points"] else None


_NUM = re.compile(NUM)
_OCR_DIGIT_TOKEN = re.compile("[0-9%s]{2,3}" % re.escape("".join(OCR_DIGITS)))


@functools.lru_cache(maxsize=1 << 16)
def ocr_points(s: str) -> Decimal | None:
    """The value OCR lost in a points cell that reads as letters (``IO`` for 10): a short
    token of digits and digit-like letters, at least one a letter.  Only for placing the
    cell in a row and checking it against the row's weight; never published as a number."""
    s = s.strip()
    if not _OCR_DIGIT_TOKEN.fullmatch(s) or s.isdigit():
        return None
    return points("".join(OCR_DIGITS.get(c, c) for c in s))


@functools.lru_cache(maxsize=1 << 16)
def money(s: str) -> Decimal | None:
    s = s.strip()
    return number(s) if is_shape(s, "money") else None


@functools.lru_cache(maxsize=1 << 16)
def percent(s: str) -> Decimal | None:
    s = s.strip()
    return number(s) if is_shape(s, "percent") else None


_RATIO = re.compile(r"(?:0|1)(?:\.\d{1,4})?")


def ratio(s: str) -> Decimal | None:
    """An execution rate written as a ratio (``1``, ``0.98``): percent points, or None."""
    s = s.strip()
    if not _RATIO.fullmatch(s):
        return None
    return Decimal(s) * 100


_DECIMALS = re.compile(r"\.(\d+)")
_HAN = re.compile(r"\p{Han}")


def decimals(s: str) -> int:
    m = _DECIMALS.search(s)
    return len(m.group(1)) if m else 0


def has_han(s: str) -> bool:
    return bool(_HAN.search(s))
