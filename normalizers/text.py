"""Small text helpers shared by the normalisers.

Everything here is pure: no I/O, no global state beyond constant tables.
Numbers are always :class:`decimal.Decimal`, never ``float``.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

__all__ = [
    "to_simplified",
    "strip_pinyin",
    "to_halfwidth",
    "fold_ws",
    "parse_decimal",
    "parse_date",
    "money_to_yuan",
    "MONEY_SCALES",
    "CJK_RE",
]

# --------------------------------------------------------------------------
# width folding
# --------------------------------------------------------------------------

# Full-width ASCII block U+FF01..U+FF5E maps 1:1 onto U+0021..U+007E.
_FW_TABLE = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FW_TABLE[0x3000] = 0x20  # ideographic space
_FW_TABLE[0x00A0] = 0x20  # no-break space (web conversions)
_FW_TABLE[0x2007] = 0x20  # figure space
_FW_TABLE[0x202F] = 0x20  # narrow no-break space
_FW_TABLE[0xFFE5] = ord("¥")  # fullwidth yen sign
_FW_TABLE[0xFFE0] = ord("¢")
_FW_TABLE[0xFFE1] = ord("£")
# Variants of the comparison symbols that mean exactly the same thing.
_FW_TABLE[ord("≧")] = ord("≥")
_FW_TABLE[ord("≦")] = ord("≤")
_FW_TABLE[ord("═")] = ord("=")
_FW_TABLE[ord("﹦")] = ord("=")
_FW_TABLE[ord("﹤")] = ord("<")
_FW_TABLE[ord("﹥")] = ord(">")
_FW_TABLE[ord("⩾")] = ord("≥")
_FW_TABLE[ord("⩽")] = ord("≤")
_FW_TABLE[ord("﹪")] = ord("%")  # small percent sign
_FW_TABLE[ord("−")] = ord("-")  # U+2212 minus sign


_FW_ANY = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_FW_TABLE)) + "]")


def to_halfwidth(s: str) -> str:
    """Fold full-width ASCII (``１２３``, ``％``, ``（``, ``＞``) to half-width.

    The ideographic space and no-break spaces become a plain space; the
    visually different comparison symbols ``≧ ≦ ═ ﹦`` become ``≥ ≤ =``.
    CJK punctuation that has no ASCII twin with the same meaning (``、 。 《 》
    【 】 — ～`` ...) is kept as it is. Length is preserved (1 char → 1 char).
    """
    if not s or s.isascii() or not _FW_ANY.search(s):
        return s  # nothing to fold (most cells): no new string, no per-character look-up
    return s.translate(_FW_TABLE)


CJK_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")
_CJK_CLASS = r"\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"
_WS_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK_CLASS}])\s+|\s+(?=[{_CJK_CLASS}])")
_WS_RUN = re.compile(r"\s+")
# a number cut by a line break right after its decimal point ('95.\n\n10%' = 95.10%)
# (not a list '1.\n2.': the digits after the break are no item number)
_CUT_DECIMAL = re.compile(r"(?<=\d\.)[ \t]*[\r\n]\s*(?=\d+(?![\d.、．]))")


def fold_ws(s: str) -> str:
    """Whitespace-fold a string for *comparison* (never for display).

    Whitespace touching a CJK character (or CJK punctuation / full-width
    form) is removed entirely — ``'绩 效\\n指 标'`` → ``'绩效指标'``; any other
    run of whitespace collapses to one space (``'3 km'`` stays ``'3 km'``,
    ``'A  B'`` → ``'A B'``); the ends are stripped.  A line break right after a
    decimal point joins the number it cut (``'95.\n\n10%'`` → ``'95.10%'``).
    """
    if not s:
        return "" if s is not None else s
    s = s.replace("\u3000", " ").replace("\u00a0", " ")
    s = _CUT_DECIMAL.sub("", s)
    s = _WS_BETWEEN_CJK.sub("", s)
    return _WS_RUN.sub(" ", s).strip()


# --------------------------------------------------------------------------
# plain decimals (money cells)
# --------------------------------------------------------------------------

_PLAIN_NUM = re.compile(
    r"""^
    (?P<sign>[-+])?
    (?:
        (?P<grouped>\d{1,3}(?:,\d{3})+)(?:\.(?P<gfrac>\d+))?
      | (?P<int>\d+)(?:\.(?P<frac>\d+))?
      | \.(?P<onlyfrac>\d+)
    )
    $""",
    re.VERBOSE,
)


def parse_decimal(s: str | None) -> Decimal | None:
    """Parse a plain numeric cell such as ``1,988.88``, ``１９８８.８８``,
    ``7,662.78``, ``-3.5`` or ``0`` into a :class:`Decimal`, exactly as written.

    Surrounding whitespace is ignored, and so is whitespace inside the number
    only when it sits next to the decimal point (PDF artefact ``95. 10``).
    Thousands separators must be well formed (``7,00.0,77`` → ``None``).
    Anything else — units, words, empty cells — gives ``None``: callers that
    need units use :func:`normalizers.parse_quantity`.
    """
    if s is None:
        return None
    t = to_halfwidth(s).strip()
    t = t.replace("．", ".")
    t = re.sub(r"\s*\.\s*", ".", t)
    m = _PLAIN_NUM.match(t)
    if not m:
        return None
    sign = "-" if m.group("sign") == "-" else ""
    if m.group("grouped"):
        txt = m.group("grouped").replace(",", "")
        if m.group("gfrac"):
            txt += "." + m.group("gfrac")
    elif m.group("int") is not None:
        txt = m.group("int")
        if m.group("frac"):
            txt += "." + m.group("frac")
    else:
        txt = "0." + m.group("onlyfrac")
    try:
        return Decimal(sign + txt)
    except InvalidOperation:  # pragma: no cover - regex guarantees validity
        return None


# Money units → multiplier to 元.
MONEY_SCALES: dict[str, Decimal] = {
    "元": Decimal(1),
    "千元": Decimal(1000),
    "万元": Decimal(10000),
    "十万元": Decimal(100000),
    "百万元": Decimal(1000000),
    "千万元": Decimal(10000000),
    "亿元": Decimal(100000000),
    "万亿元": Decimal(1000000000000),
}

_CENT = Decimal("0.01")


def money_to_yuan(value: Decimal, unit: str) -> Decimal:
    """Convert an amount written in ``unit`` (``元``, ``千元``, ``万元``,
    ``亿元``; brackets and spaces such as ``（万元）`` tolerated; a bare scale
    ``万`` is read as ``万元``) to 元, quantized to 0.01 元 (ROUND_HALF_UP).

    Raises ``ValueError`` for a unit that is not a money unit and
    ``TypeError`` for a non-Decimal value (floats are refused on purpose).
    """
    if not isinstance(value, Decimal):
        raise TypeError(f"money_to_yuan needs a Decimal, got {type(value).__name__}")
    u = fold_ws(to_halfwidth(unit or "")).strip("()[]【】 ")
    u = u.replace("人民币", "").replace("单位:", "").replace("单位", "")
    if u and not u.endswith("元"):
        u = u + "元"
    if u not in MONEY_SCALES:
        raise ValueError(f"not a money unit: {unit!r}")
    with localcontext() as ctx:
        ctx.prec = 64  # exact product for any plausible amount
        return (value * MONEY_SCALES[u]).quantize(_CENT, rounding=ROUND_HALF_UP)


# --------------------------------------------------------------------------
# dates
# --------------------------------------------------------------------------

_DATE_PATTERNS = [
    re.compile(r"^(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]?$"),
    re.compile(r"^(?P<y>\d{4})\s*[-/.]\s*(?P<m>\d{1,2})\s*[-/.]\s*(?P<d>\d{1,2})$"),
    re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$"),
]


def parse_date(s: str | None) -> _dt.date | None:
    """Parse a full calendar date: ``2024年06月04日``, ``2024年6月4日``,
    ``2024-06-04``, ``2024/6/4``, ``2024.6.4``, ``20240604``.

    Returns ``None`` for anything else, including partial dates (``2024年6月``)
    and impossible dates (``2023年2月30日``) — never a guess.
    """
    if s is None:
        return None
    t = to_halfwidth(s).strip()
    for pat in _DATE_PATTERNS:
        m = pat.match(t)
        if m:
            try:
                return _dt.date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
            except ValueError:
                return None
    return None


def nfkc(s: str) -> str:
    """NFKC normalisation (used for unit symbols such as ㎡ → m2 comparisons)."""
    return unicodedata.normalize("NFKC", s)


_PINYIN = re.compile(
    r"[(（][a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]*[)）]")
_T2S = None


def strip_pinyin(s: str) -> str:
    """Remove pinyin annotations that some mirror sites insert: ``養(yǎng)護`` → ``養護``.
    Only a bracketed run of Latin letters with at least one tone mark counts, so
    ``(km)`` or ``(A)`` stay."""
    return _PINYIN.sub("", s)


def to_simplified(s: str) -> str:
    """Traditional → simplified characters (OpenCC ``t2s``), for matching labels and
    titles only: the raw text is never rewritten."""
    global _T2S
    if not s or s.isascii():
        return s
    if _T2S is None:
        import opencc
        _T2S = opencc.OpenCC("t2s")
    return _T2S.convert(s)
