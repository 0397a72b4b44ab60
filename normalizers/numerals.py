"""Number reading: Arabic numerals (with thousands separators), Chinese
numerals (十二, 两, 〇, 一千二百万, 三点五) and mixtures (3千万, 1.2万, 5万4千6百,
3万4000, 1千零1, 一百点123).

Mixed integers go through the maintained cn2an library (``cn2an.cn2an(s, "smart")``),
and only when it returns an exact integer; everything else is read here.

All arithmetic is :class:`decimal.Decimal`; nothing here ever touches float.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache


CN_DIGITS: dict[str, int] = {
    "零": 0, "〇": 0,
    "一": 1, "壹": 1, "幺": 1,
    "二": 2, "两": 2, "贰": 2, "貳": 2, "兩": 2,
    "三": 3, "叁": 3, "參": 3,
    "四": 4, "肆": 4,
    "五": 5, "伍": 5,
    "六": 6, "陆": 6, "陸": 6,
    "七": 7, "柒": 7,
    "八": 8, "捌": 8,
    "九": 9, "玖": 9,
}
CN_SMALL_UNITS: dict[str, int] = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
CN_BIG_UNITS: dict[str, int] = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
SCALE_CHARS: dict[str, int] = {**CN_SMALL_UNITS, **CN_BIG_UNITS}

_CN_CHARS = "".join(CN_DIGITS) + "".join(SCALE_CHARS) + "点點"

MAX_DIGITS = 24

ARABIC_RE = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+")
CN_RUN_RE = re.compile(rf"[{re.escape(_CN_CHARS)}0-9]+")


def read_arabic(s: str, pos: int) -> tuple[Decimal, int] | None:
    """Read an Arabic number (``25,656.78``, ``3``, ``.5``) at ``pos``."""
    m = ARABIC_RE.match(s, pos)
    if not m:
        return None
    txt = m.group(0)
    if sum(c.isdigit() for c in txt) > MAX_DIGITS:
        return None  # not a quantity anyone writes; refuse rather than round
    # A grouped number must not continue with more digits/commas ("7,00.0,77").
    end = m.end()
    if end < len(s) and s[end] == "," and end + 1 < len(s) and s[end + 1].isdigit():
        return None
    if txt.startswith("."):
        txt = "0" + txt
    return Decimal(txt.replace(",", "")), end


def read_scales(s: str, pos: int, exceptions: tuple[str, ...] = ()) -> tuple[Decimal, int]:
    """Read a run of scale characters (``万``, ``千万``, ``亿``, ``十万``) after
    an Arabic number; returns (multiplier, end). Each scale must be larger than
    the previous one (千万 = 10^7, but 万千 stops after 万). A scale character
    that begins a unit word listed in ``exceptions`` (千米, 百分比) is left alone.
    """
    mult = Decimal(1)
    last = 0
    while pos < len(s) and s[pos] in SCALE_CHARS:
        if any(s.startswith(e, pos) for e in exceptions):
            break
        v = SCALE_CHARS[s[pos]]
        if v <= last:
            break
        mult *= v
        last = v
        pos += 1
    return mult, pos


def cn_strict(run: str) -> Decimal | None:
    """A Chinese integer numeral our reader refuses but cn2an's strict mode
    reads (一万零百一十一), as an exact int; strict mode never reads digit
    sequences (三五) or colloquial forms, so it adds no guess."""
    if not run or len(run) > 40 or any(c not in _CN_CHARS or c in "点點" for c in run):
        return None
    v = _cn2an_int_strict(run)
    if isinstance(v, bool) or not isinstance(v, int) or v < 0:
        return None
    return Decimal(v)


def _cn2an():
    """cn2an, imported on first use: it costs ~0.8 s, and most cells never need it."""
    import cn2an
    return cn2an


def _cn2an_int_strict(run: str):
    try:
        return _cn2an().cn2an(run, "strict")
    except Exception:  # cn2an raises ValueError on what it cannot read
        return None


def cn_to_decimal(run: str) -> Decimal | None:
    """Value of a Chinese numeral string, or ``None`` if it is not one.

    Handles ``十二`` (12), ``二十`` (20), ``一百零五`` (105), ``两千`` (2000),
    ``一千二百万`` (12000000), ``三亿五千万`` (350000000), ``三点五`` (3.5),
    positional digit strings ``二〇二三`` (2023) and the colloquial trailing
    digit ``一百五`` (150) / ``两万五`` (25000).
    """
    if not run or len(run) > 40:
        return None
    if "点" in run or "點" in run:
        parts = re.split("[点點]", run)
        if len(parts) != 2 or not parts[0] or not parts[1] or any(c not in CN_DIGITS for c in parts[1]):
            return None  # 点五 / 零点 / 三点: not a whole decimal numeral
        ip = cn_to_decimal(parts[0])
        if ip is None:
            return None
        frac = "".join(str(CN_DIGITS[c]) for c in parts[1])
        return ip + Decimal("0." + frac)
    if all(c in CN_DIGITS for c in run):
        if len(run) == 1:
            return Decimal(CN_DIGITS[run])
        # positional digits are read only for years (二〇二三, 一九九八): a
        # pair such as 三五 means "three to five", not 35
        if CN_DIGITS[run[0]] == 0:
            return None
        v = Decimal("".join(str(CN_DIGITS[c]) for c in run))
        if len(run) == 4 and 1900 <= v <= 2100:
            return v
        return None
    total = 0  # completed 亿 groups
    wan = 0  # completed 万 group
    sec = 0  # current section below 万
    cur: int | None = None
    last_small = 0
    zero_seen = False
    last_big = 10**12
    for i, c in enumerate(run):
        if c in CN_DIGITS:
            d = CN_DIGITS[c]
            if d == 0:
                zero_seen = True
                if cur is not None:
                    return None
                continue
            if cur is not None:
                return None  # two digits in a row inside a unit numeral
            cur = d
        elif c in CN_SMALL_UNITS:
            u = CN_SMALL_UNITS[c]
            if last_small and u >= last_small:
                return None
            if cur is None:
                if c in "十拾" and sec == 0 and i == 0 or (c in "十拾" and zero_seen):
                    cur = 1
                elif c in "十拾" and sec == 0 and (wan or total):
                    cur = 1
                elif c in "十拾" and last_small == 100:
                    cur = 1  # 一百十一 = 111 (the 一 before 十 left out)
                else:
                    return None
            sec += cur * u
            cur = None
            last_small = u
            zero_seen = False
        elif c in CN_BIG_UNITS:
            u = CN_BIG_UNITS[c]
            if cur is None and sec == 0 and not (u == 10**8 and wan):
                return None
            if u == 10**4:
                if last_big <= u:
                    return None
                wan = (sec + (cur or 0)) * u
                last_big = u
            else:
                if total:
                    return None  # 亿 only once (万亿 = 10^12 is fine: 万 then 亿)
                total = (wan + sec + (cur or 0)) * u
                wan = 0
                last_big = u
            sec = 0
            cur = None
            last_small = 0
            zero_seen = False
        else:
            return None
    if cur is not None and not zero_seen and last_small > 1 and run[-2] in CN_SMALL_UNITS:
        # colloquial 一百五 = 150, 三千五 = 3500
        cur *= last_small // 10
    elif cur is not None and not zero_seen and last_small == 0 and run[-2] in CN_BIG_UNITS:
        # 两万五 = 25000
        cur *= CN_BIG_UNITS[run[-2]] // 10
    return Decimal(total + wan + sec + (cur or 0))


def to_cn_numeral(n: int) -> str:
    """Render a non-negative integer as a Chinese numeral (一千二百零五).

    Used by the tests to generate forms; the inverse of :func:`cn_to_decimal`.
    """
    if n < 0:
        raise ValueError("negative")
    if n == 0:
        return "零"
    digits = "零一二三四五六七八九"

    def below_10000(x: int, leading: bool) -> str:
        out = []
        units = [(1000, "千"), (100, "百"), (10, "十"), (1, "")]
        zero = False
        started = False
        for u, name in units:
            d = x // u
            x %= u
            if d:
                if zero and started or (zero and not leading):
                    out.append("零")
                if not started and not leading and u < 1000 and not out:
                    out.append("零")
                out.append(digits[d] + name)
                started = True
                zero = False
            else:
                if started or not leading:
                    zero = True
        return "".join(out)

    parts = []
    groups = [(10**8, "亿"), (10**4, "万"), (1, "")]
    first = True
    for g, name in groups:
        x = n // g
        n %= g
        if x:
            parts.append(below_10000(x, first) + name)
            first = False
        elif not first and n:
            pass
    s = "".join(parts)
    if s.startswith("一十"):
        s = s[1:]
    # collapse doubled zeros that arise between groups
    while "零零" in s:
        s = s.replace("零零", "零")
    return s


_ARABIC_DIGITS = set("0123456789")
_CN_ZERO_OR_DIGIT = set(CN_DIGITS)


def _digits_any(part: str) -> str | None:
    """A run of digits in either script (123, 一二三, 1二3) as Arabic digits."""
    out = []
    for c in part:
        if c in _ARABIC_DIGITS:
            out.append(c)
        elif c in CN_DIGITS:
            out.append(str(CN_DIGITS[c]))
        else:
            return None
    return "".join(out) or None


_ZERO_ARABIC = re.compile(r"零([1-9]\d*)")


def _cn2an_int(run: str):
    try:
        return _cn2an().cn2an(run, "smart")
    except Exception:  # cn2an raises ValueError (and others) on what it cannot read
        return None


@lru_cache(maxsize=4096)
def read_mixed(run: str) -> Decimal | None:
    """Value of a numeral that mixes scripts, or ``None``.

    ``5万4千6百`` (54600), ``3万4000`` (34000), ``1千零1`` (1001), ``100万三千``
    (1003000), ``200亿零四千230``, ``一百点123`` (100.123). The integer forms are
    read by cn2an (smart mode) and accepted only as an exact ``int``; a decimal
    part after 点 is read digit by digit here, so nothing passes through a float.
    """
    if not run or len(run) > 40 or "," in run:
        return None
    if "点" in run or "點" in run:
        parts = re.split("[点點]", run)
        if len(parts) != 2 or not parts[1]:
            return None
        frac = _digits_any(parts[1])
        if frac is None:
            return None
        ip_txt = parts[0]
        if not ip_txt:
            return None
        if all(c in _ARABIC_DIGITS for c in ip_txt):
            ip = Decimal(ip_txt)
        else:
            ip = cn_to_decimal(ip_txt)
            if ip is None:
                ip = read_mixed(ip_txt)
        if ip is None or ip != ip.to_integral_value():
            return None
        return ip + Decimal("0." + frac)
    if "." in run:
        return None  # 10.1万零100: cn2an refuses it and so do we
    if not any(c in _ARABIC_DIGITS for c in run) or not any(c in SCALE_CHARS for c in run):
        return None  # not mixed: a pure Chinese numeral or a plain number
    v = _cn2an_int(run)
    if v is None:
        # cn2an 0.5 refuses 零 + an Arabic 10-19 (80万零14); the same number with
        # that part in Chinese (80万零十四) it reads
        alt = _ZERO_ARABIC.sub(lambda m: "零" + to_cn_numeral(int(m.group(1))), run)
        v = _cn2an_int(alt) if alt != run else None
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, int) or v < 0:
        return None
    return Decimal(v)
