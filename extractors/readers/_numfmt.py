"""How a spreadsheet cell shows its value: Excel number and date formats.

Shared by the ``.xlsx`` and ``.xls`` readers: :func:`display_value` renders a cell's
value the way the sheet displays it (numbers through their ``number_format``: decimals,
thousands separators, percent, scaling commas, literal text, sections for negatives;
``General`` prints at most 15 significant digits; dates and times through their date
format, with the zh-CN meanings of the locale-dependent built-in formats; booleans as
``TRUE``/``FALSE``).  Pure functions, no I/O.
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

_CJK_BUILTIN = {
    27: 'yyyy"年"m"月"', 28: 'm"月"d"日"', 29: 'm"月"d"日"', 30: "m-d-yy",
    31: 'yyyy"年"m"月"d"日"', 32: 'h"时"mm"分"', 33: 'h"时"mm"分"ss"秒"',
    34: '上午/下午h"时"mm"分"', 35: '上午/下午h"时"mm"分"ss"秒"', 36: 'yyyy"年"m"月"',
    50: 'yyyy"年"m"月"', 51: 'm"月"d"日"', 52: 'yyyy"年"m"月"', 53: 'm"月"d"日"',
    54: 'm"月"d"日"', 55: '上午/下午h"时"mm"分"', 56: '上午/下午h"时"mm"分"ss"秒"',
    57: 'yyyy"年"m"月"', 58: 'm"月"d"日"',
}
# how a zh-CN Excel shows the "short date" built-ins openpyxl spells the US way
_LOCALE_DATES = {"mm-dd-yy": "yyyy/m/d", "m/d/yy h:mm": "yyyy/m/d h:mm",
                 "d-mmm-yy": "d-mmm-yy", "d-mmm": "d-mmm", "mmm-yy": "mmm-yy"}

_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_CN_DAYS = "一二三四五六日"


# ------------------------------------------------------------------------------------
# number formats
# ------------------------------------------------------------------------------------

def _split_sections(fmt: str) -> list[str]:
    out, cur, i, n = [], [], 0, len(fmt)
    while i < n:
        ch = fmt[i]
        if ch in ('"', "["):  # a quoted literal or a [condition/colour]: kept whole
            j = fmt.find('"' if ch == '"' else "]", i + 1)
            j = n - 1 if j < 0 else j
            cur.append(fmt[i:j + 1])
            i = j + 1
            continue
        if ch == "\\" and i + 1 < n:
            cur.append(fmt[i:i + 2])
            i += 2
            continue
        if ch == ";":
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
        i += 1
    out.append("".join(cur))
    return out


def _tokens(section: str) -> list[tuple[str, str]]:
    """('lit', text) for literal output, ('ph', char) for format characters."""
    toks: list[tuple[str, str]] = []
    i, n = 0, len(section)
    while i < n:
        ch = section[i]
        if ch == '"':
            j = section.find('"', i + 1)
            j = n if j < 0 else j
            toks.append(("lit", section[i + 1:j]))
            i = j + 1
        elif ch == "\\" and i + 1 < n:
            toks.append(("lit", section[i + 1]))
            i += 2
        elif ch == "[":
            j = section.find("]", i + 1)
            j = n if j < 0 else j
            inner = section[i + 1:j]
            m = re.match(r"\$([^-\]]*)", inner)
            if m and m.group(1):
                toks.append(("lit", m.group(1)))  # currency symbol such as [$¥-804]
            i = j + 1
        elif ch == "_" and i + 1 < n:  # padding the width of the next char
            i += 2
        elif ch == "*" and i + 1 < n:  # fill character
            i += 2
        else:
            toks.append(("ph", ch))
            i += 1
    return toks


def _general(v) -> str:
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, int):
        return str(v)
    if v != v or v in (float("inf"), float("-inf")):
        return str(v)
    if float(v).is_integer() and abs(v) < 1e15:
        return str(int(v))
    s = f"{v:.15g}"
    d = Decimal(s)
    if 1e-9 <= abs(v) < 1e15:
        s = format(d, "f")
        if "." in s:
            s = s.rstrip("0").rstrip(".")
        return s
    return s.upper()


def format_number(v, fmt: str | None) -> str:
    """Render a number the way Excel shows it with number format ``fmt``."""
    fmt = (fmt or "General").strip()
    if fmt.lower() == "general":
        return _general(v)
    sections = _split_sections(fmt)
    neg_own = False
    if v < 0 and len(sections) >= 2 and sections[1].strip():
        sec, v, neg_own = sections[1], -v, True
    elif v == 0 and len(sections) >= 3 and sections[2].strip():
        sec = sections[2]
    else:
        sec = sections[0]
    if re.search(r"\[[<>=]", sec):  # conditional sections: too rare to model
        return _general(v)
    toks = _tokens(sec)
    phs = "".join(t for k, t in toks if k == "ph")
    if re.fullmatch(r"\s*(General|@)?\s*", phs, re.I) and "0" not in phs and "#" not in phs:
        body = _general(abs(v) if neg_own else v)
        lits = "".join(t if k == "lit" else (body if t.lower() in ("g", "@") else "") for k, t in toks)
        return lits if lits else body
    digit_idx = [i for i, (k, t) in enumerate(toks) if k == "ph" and t in "0#?"]
    if not digit_idx or "/" in phs:
        return _general(v)
    first, last = digit_idx[0], digit_idx[-1]
    # scientific / fraction -> simple fallbacks
    sci = re.search(r"[eE][+-]", phs)
    prefix = "".join(t for k, t in toks[:first] if k == "lit" or t not in "%,.")
    core = toks[first:last + 1]
    suffix_toks = toks[last + 1:]
    n_pct = phs.count("%")
    # trailing commas right after the last digit placeholder scale by 1000
    scale = 0
    for k, t in suffix_toks:
        if k == "ph" and t == ",":
            scale += 1
        else:
            break
    suffix = "".join(t for k, t in suffix_toks if not (k == "ph" and t == ","))
    core_s = "".join(t for k, t in core if k == "ph")
    if sci:
        core_s = re.split(r"[eE]", core_s)[0]
    int_part, _, dec_part = core_s.partition(".")
    grouping = "," in int_part
    min_int = int_part.count("0")
    max_dec = sum(dec_part.count(c) for c in "0#?")
    min_dec = len(re.match(r"[0?]*", dec_part.replace(",", "")).group(0))
    try:
        d = Decimal(f"{abs(v):.15g}") if isinstance(v, float) else Decimal(abs(v))
    except InvalidOperation:
        return _general(v)
    d = d * (Decimal(100) ** n_pct) / (Decimal(1000) ** scale)
    if sci:
        s = f"{float(d):.{max_dec}E}"
        mant, _, exp = s.partition("E")
        num = f"{mant}E{exp[0]}{int(exp[1:]):02d}"
    else:
        q = d.quantize(Decimal(1).scaleb(-max_dec), rounding=ROUND_HALF_UP)
        s = format(q, "f")
        ip, _, dp = s.partition(".")
        if dp:
            dp = dp.rstrip("0")
            if len(dp) < min_dec:
                dp = dp + "0" * (min_dec - len(dp))
        if ip == "0" and min_int == 0:
            ip = ""
        ip = ip.zfill(min_int) if min_int else ip
        if grouping and ip:
            ip = f"{int(ip):,}"
        num = ip + ("." + dp if dp or "." in core_s else "")
    # literals embedded between digit placeholders (rare) are appended after the number
    mid = "".join(t for k, t in core if k == "lit")
    sign = "-" if v < 0 and not neg_own and num.strip("0.,") else ""
    return f"{sign}{prefix}{num}{mid}{suffix}"


# ------------------------------------------------------------------------------------
# dates
# ------------------------------------------------------------------------------------

_DATE_TOKEN = re.compile(
    r"yyyy|yy|e|mmmmm|mmmm|mmm|mm|m|dddd|ddd|dd|d|aaaa|aaa|hh|h|ss|s|AM/PM|am/pm|A/P|a/p"
    r"|上午/下午|\.0+|.", re.S)


def format_date(v, fmt: str | None) -> str:
    fmt = _LOCALE_DATES.get((fmt or "").strip(), (fmt or "").strip())
    if not fmt or fmt.lower() == "general":
        if isinstance(v, dt.datetime):
            return v.strftime("%Y-%m-%d %H:%M:%S") if (v.hour, v.minute, v.second) != (0, 0, 0) \
                else v.strftime("%Y-%m-%d")
        return v.isoformat()
    sec = _split_sections(fmt)[0]
    toks: list[tuple[str, str]] = []
    for k, t in _tokens(sec):
        if k == "lit":
            toks.append(("lit", t))
        else:
            toks.append(("ph", t))
    # merge consecutive format chars and re-tokenise them as date tokens
    merged: list[tuple[str, str]] = []
    for k, t in toks:
        if k == "ph" and merged and merged[-1][0] == "ph":
            merged[-1] = ("ph", merged[-1][1] + t)
        else:
            merged.append((k, t))
    items: list[tuple[str, str]] = []
    for k, t in merged:
        if k == "lit":
            items.append(("lit", t))
        else:
            for m in _DATE_TOKEN.finditer(t):
                tok = m.group(0)
                low = tok.lower()
                if low[0] in "ymdhsae" and re.fullmatch(r"y+|m+|d+|h+|s+|a{3,4}|e", low) \
                        or low in ("am/pm", "a/p") or tok == "上午/下午" or tok.startswith(".0"):
                    items.append(("tok", tok))
                else:
                    items.append(("lit", tok))
    # m / mm after h or before s mean minutes
    toks_idx = [i for i, (k, _) in enumerate(items) if k == "tok"]
    for pos, i in enumerate(toks_idx):
        t = items[i][1].lower()
        if t in ("m", "mm"):
            prev = items[toks_idx[pos - 1]][1].lower() if pos > 0 else ""
            nxt = items[toks_idx[pos + 1]][1].lower() if pos + 1 < len(toks_idx) else ""
            if prev.startswith("h") or nxt.startswith("s"):
                items[i] = ("tok", "MIN" + t)
    has_ampm = any(k == "tok" and (t.lower() in ("am/pm", "a/p") or t == "上午/下午") for k, t in items)
    if isinstance(v, dt.time):
        v = dt.datetime.combine(dt.date(1899, 12, 31), v)
    elif isinstance(v, dt.date) and not isinstance(v, dt.datetime):
        v = dt.datetime(v.year, v.month, v.day)
    out: list[str] = []
    for k, t in items:
        if k == "lit":
            out.append(t)
            continue
        low = t.lower()
        hour = v.hour
        if has_ampm:
            hour = hour % 12 or 12
        if low in ("yyyy", "e"):
            out.append(f"{v.year:04d}")
        elif low == "yy":
            out.append(f"{v.year % 100:02d}")
        elif t.startswith("MIN"):
            out.append(f"{v.minute:02d}" if low == "minmm" else str(v.minute))
        elif low == "mmmmm":
            out.append(_MONTHS[v.month - 1][0])
        elif low == "mmmm":
            out.append(_MONTHS[v.month - 1])
        elif low == "mmm":
            out.append(_MONTHS[v.month - 1][:3])
        elif low == "mm":
            out.append(f"{v.month:02d}")
        elif low == "m":
            out.append(str(v.month))
        elif low == "dddd":
            out.append(_DAYS[v.weekday()])
        elif low == "ddd":
            out.append(_DAYS[v.weekday()][:3])
        elif low == "dd":
            out.append(f"{v.day:02d}")
        elif low == "d":
            out.append(str(v.day))
        elif low == "aaaa":
            out.append("星期" + _CN_DAYS[v.weekday()])
        elif low == "aaa":
            out.append(_CN_DAYS[v.weekday()])
        elif low == "hh":
            out.append(f"{hour:02d}")
        elif low == "h":
            out.append(str(hour))
        elif low == "ss":
            out.append(f"{v.second:02d}")
        elif low == "s":
            out.append(str(v.second))
        elif t == "上午/下午":
            out.append("上午" if v.hour < 12 else "下午")
        elif low == "am/pm":
            out.append("AM" if v.hour < 12 else "PM")
        elif low == "a/p":
            out.append("A" if v.hour < 12 else "P")
        elif t.startswith(".0"):
            digits = len(t) - 1
            out.append("." + f"{v.microsecond:06d}"[:digits])
    return "".join(out)


def display_value(value, number_format: str | None, num_fmt_id: int | None = None,
                  epoch=None) -> str:
    """The text a cell shows."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return format_date(value, number_format)
    if isinstance(value, dt.timedelta):
        return str(value)
    if isinstance(value, (int, float)):
        if (number_format or "General") == "General" and num_fmt_id in _CJK_BUILTIN:
            fmt = _CJK_BUILTIN[num_fmt_id]
            try:
                from openpyxl.utils.datetime import from_excel
                return format_date(from_excel(value, epoch) if epoch else from_excel(value), fmt)
            except (ValueError, OverflowError, TypeError):
                return _general(value)
        return format_number(value, number_format)
    return str(value)
