"""Numbers cut at paragraph breaks, and which reading of them the form confirms.

Text copied from a PDF or a forum page breaks a row of figures into paragraphs at
arbitrary points: ``143 136 95.`` / ``10%`` is ``143 | 136 | 95.10%``; ``11.86`` / ``12 9.84``
is ``11.86 | 12 | 9.84`` (not ``11.8612 | 9.84``).  A run of number tokens has one possible
join at each paragraph break between two of them; a *reading* chooses, for every break,
join or not.  A reading is kept when its pieces have the shapes of the table's figures:

- a joined number is one number (one decimal point, ``%`` only at its end), with no more
  decimals than the figures of the table that no break touches (``11.8612`` is refused
  where every other amount has two decimals);
- a stray period after a number (``7.50.``) is punctuation, not part of it;
- the row has no more values than the header has columns.

Where several readings remain, :func:`confirmed` keeps those the form's arithmetic
confirms (a line's amounts equal to the sum of its sub-lines, a rate equal to the ratio of
its two counts); a row with no single confirmed reading is refused by the caller, which
names its readings.  Pure functions over token texts: no spans, no I/O.
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation
from itertools import product

import regex as re

NUMBER = re.compile(r"^\d+(?:\.\d+)?%?\.?$")  # 29.08, 95., 10%, 7.50. (stray period)
_JOINED = re.compile(r"^\d+(?:\.\d+)?%?$")
MAX_JOINS = 6  # breaks inside one run of numbers (2**6 readings at most)


def is_number(tok: str) -> bool:
    return bool(NUMBER.match(tok))


def value_text(tok: str) -> str:
    """The figure without a stray trailing period (``7.50.`` → ``7.50``, ``95.`` → ``95``)."""
    return tok[:-1] if tok.endswith(".") else tok


def decimals(tok: str) -> int:
    t = value_text(tok).rstrip("%")
    return len(t.split(".", 1)[1]) if "." in t else 0


def _join(a: str, b: str) -> str | None:
    """``95.`` + ``10%`` → ``95.10%``; None where the two cannot be one number."""
    if a.endswith("%") or a.count(".") > 1:
        return None
    j = a + b
    if not _JOINED.match(j) or (j.startswith("0") and len(j) > 1 and not j.startswith("0.")):
        return None
    return j


def readings(toks: list[str], breaks: list[bool], max_decimals: int) -> list[list[tuple[int, int, str]]]:
    """Every reading of a run of number tokens: lists of (first token, last token, value
    text).  ``breaks[k]`` says a paragraph break stands before ``toks[k]``."""
    joins = [k for k in range(1, len(toks)) if breaks[k]]
    if len(joins) > MAX_JOINS:
        joins = []  # too many to enumerate: every token is its own value (caller refuses)
    out = []
    for choice in product((False, True), repeat=len(joins)):
        joined = {k for k, c in zip(joins, choice) if c}
        values: list[tuple[int, int, str]] = []
        ok = True
        for k, t in enumerate(toks):
            if k in joined:
                i, _, prev = values[-1]
                j = _join(prev, t)
                if j is None or decimals(j) > max_decimals:
                    ok = False
                    break
                values[-1] = (i, k, j)
            else:
                values.append((k, k, t))
        if ok:
            out.append([(i, k, value_text(v)) for i, k, v in values])
    return out


def amount(text: str) -> Decimal | None:
    try:
        return Decimal(value_text(text).rstrip("%"))
    except InvalidOperation:
        return None


def sums_hold(parent: list[str | None], children: list[list[str | None]]) -> bool | None:
    """True where every column the parent fills equals the sum of its children's values
    (each child filling it), False where one does not, None where nothing can be checked."""
    checked = False
    for c, p in enumerate(parent):
        if p is None or any(c >= len(ch) or ch[c] is None for ch in children):
            continue
        pv, vs = amount(p), [amount(ch[c]) for ch in children]
        if pv is None or any(v is None for v in vs):
            continue
        checked = True
        if sum(vs, Decimal(0)) != pv:
            return False
    return True if checked else None


def ratio_holds(num: str, den: str, rate: str) -> bool | None:
    """``136`` / ``143`` = ``95.10%`` to the rate's written precision."""
    n, d, r = amount(num), amount(den), amount(rate)
    if n is None or d is None or r is None or d == 0 or not rate.endswith("%"):
        return None
    q = Decimal(10) ** -decimals(rate)
    return (n / d * 100).quantize(q) == r


def confirmed(options: list[list[str]], check) -> list[int]:
    """Indexes of the options for which ``check(values)`` is True."""
    return [i for i, vals in enumerate(options) if check(vals) is True]
