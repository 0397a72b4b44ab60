"""parse_quantity: read a target / actual cell of a performance-indicator table.

See normalizers/README.md for the rules table. In short, a cell is parsed only
when the *whole* cell is a quantity expression::

    [prefix comparator] NUMBER [scale] [个] [UNIT] [range-sep NUMBER [scale] [个] [UNIT]] [suffix comparator]

Anything else is ``op='qual', kind='text'`` with the raw text kept; empty /
不适用 / ``/`` cells are ``op='na', kind='na'``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from importlib import resources

import yaml

from .numerals import (
    CN_DIGITS,
    CN_RUN_RE,
    SCALE_CHARS,
    cn_to_decimal,
    read_arabic,
    read_scales,
)
from .text import MONEY_SCALES, fold_ws, to_halfwidth

__all__ = ["Quantity", "parse_quantity", "OPS", "KINDS"]

OPS = ("=", ">=", "<=", ">", "<", "range", "qual", "na")
KINDS = ("money", "count", "percent", "duration", "date", "rank", "text", "na")

_CENT = Decimal("0.01")


@dataclass(frozen=True)
class Quantity:
    """A parsed target/actual value.

    ``value``/``upper`` are Decimals in the base unit (元, percent points, the
    written count unit) or ``None``; ``upper`` is set only for ``op='range'``.
    ``raw`` is the text exactly as passed in.
    """

    op: str
    value: Decimal | None
    upper: Decimal | None
    unit: str | None
    kind: str
    raw: str | None

    @property
    def is_numeric(self) -> bool:
        return self.value is not None


# --------------------------------------------------------------------------
# vocabulary
# --------------------------------------------------------------------------


def _load_units() -> dict:
    with resources.files("normalizers").joinpath("vocab/units.yaml").open("r", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


_UNITS = _load_units()
PERCENT_UNITS: dict[str, Decimal] = {k: Decimal(str(v)) for k, v in _UNITS["percent"].items()}
MONEY_UNITS: tuple[str, ...] = tuple(_UNITS["money"])
DURATION_UNITS: tuple[str, ...] = tuple(_UNITS["duration"])
DATE_LIKE_UNITS: tuple[str, ...] = tuple(_UNITS["date_like"])
COUNT_UNITS: tuple[str, ...] = tuple(_UNITS["count"])
SCALE_EXCEPTIONS: tuple[str, ...] = tuple(_UNITS["scale_exceptions"])

# unit word -> kind; longest first for greedy matching
_UNIT_KIND: dict[str, str] = {}
for _u in COUNT_UNITS:
    _UNIT_KIND[_u] = "count"
for _u in DATE_LIKE_UNITS:
    _UNIT_KIND[_u] = "date"
for _u in DURATION_UNITS:
    _UNIT_KIND[_u] = "duration"
for _u in PERCENT_UNITS:
    _UNIT_KIND[_u] = "percent"
for _u in MONEY_UNITS:
    _UNIT_KIND[_u] = "money"
_UNITS_BY_LEN = sorted(_UNIT_KIND, key=len, reverse=True)

# denominators of compound units (元/人, 次/年, 元/平方米)
_DENOM_EXTRA = ("人·年", "生·年", "人年", "生", "学生", "年", "月", "日", "天", "周", "季", "学年", "学期", "亩", "户", "人", "次")
_DENOMS_BY_LEN = sorted(set(_DENOM_EXTRA) | set(COUNT_UNITS) | set(DURATION_UNITS), key=len, reverse=True)
# alternations in longest-first order, so the regex finds the longest unit
_UNIT_RE = re.compile("|".join(map(re.escape, _UNITS_BY_LEN)))
_DENOM_RE = re.compile("|".join(map(re.escape, _DENOMS_BY_LEN)))

# --------------------------------------------------------------------------
# comparators
# --------------------------------------------------------------------------

_PREFIX_OPS: dict[str, str] = {
    ">=": ">=", "=>": ">=", "≥": ">=", "≮": ">=", "≥=": ">=",
    "<=": "<=", "=<": "<=", "≤": "<=", "≯": "<=", "≤=": "<=",
    ">": ">", "<": "<", "=": "=", "==": "=",
    "大于等于": ">=", "大于或等于": ">=", "大于及等于": ">=",
    "小于等于": "<=", "小于或等于": "<=", "小于及等于": "<=",
    "不低于": ">=", "不少于": ">=", "不小于": ">=", "不得低于": ">=", "不得少于": ">=",
    "至少": ">=", "最少": ">=", "最低": ">=",
    "达到": ">=", "达": ">=",
    "不高于": "<=", "不超过": "<=", "不超出": "<=", "不超": "<=", "不大于": "<=", "不多于": "<=",
    "不得高于": "<=", "不得超过": "<=", "不得大于": "<=", "最多": "<=", "最高": "<=",
    "控制在": "<=", "低于或等于": "<=", "高于或等于": ">=",
    "大于": ">", "高于": ">", "超过": ">", "多于": ">", "超": ">",
    "小于": "<", "低于": "<", "少于": "<", "不足": "<", "不到": "<",
    "等于": "=", "为": "=",
}
_PREFIXES_BY_LEN = sorted(_PREFIX_OPS, key=len, reverse=True)

# suffixes; "between" is the range word 之间, "before" the date word 前
_SUFFIX_OPS: dict[str, str] = {
    "以上": ">=", "及以上": ">=", "或以上": ">=", "以上(含)": ">=", "(含)以上": ">=", "(含以上)": ">=",
    "以下": "<=", "及以下": "<=", "或以下": "<=", "以下(含)": "<=", "(含)以下": "<=", "(含以下)": "<=",
    "以内": "<=", "之内": "<=", "内": "<=", "以内(含)": "<=", "(含)以内": "<=",
    "之间": "between", "(含)": "incl",
    "前": "before", "之前": "before", "以前": "before", "前完成": "before", "之前完成": "before",
}
_SUFFIXES_BY_LEN = sorted(_SUFFIX_OPS, key=len, reverse=True)

_RANGE_SEPS = ("-", "~", "至", "—", "––", "–", "到", "～", "〜", "－", "——", "－－")
_RANGE_SEPS_BY_LEN = sorted(_RANGE_SEPS, key=len, reverse=True)

_NA_TEXTS = {
    "", "/", "\\", "-", "--", "---", "—", "——", "———", "–", "―", "－", "…", "……", "...", "......",
    "不适用", "不涉及", "n/a", "na", "#n/a", "null", "none", "nan", "空", "空白", "暂无", "无数据", "/。",
}

_APPROX = ("约", "大约", "左右", "多", "余", "近", "逾", "≈", "±")

# --------------------------------------------------------------------------
# budget limits without a number: 不超过预算投入, 成本控制在预算内
# --------------------------------------------------------------------------
_LIMIT_WORD = re.compile(r"不超|不高于|不大于|不多于|不突破|≤|<=|以内|之内|内|控制|未超")
_BUDGET_ONLY = re.compile(
    r"^(?:成本|支出|费用|资金|项目)?(?:严格)?(?:控制在|在|不超过|不超出|不超|不高于|不大于|不多于|不突破|未超过|未超出|未超|≤|<=|<)?"
    r"(?:年初|全年|批复|核定|下达|当年|计划|项目)?(?:的)?"
    r"(?:预算|预算数|预算金额|预算资金|预算投入|预算标准|预算总额|投资|批复金额|计划投资)"
    r"(?:投入|金额|数|资金|总额)?"
    r"(?:范围)?(?:以内|之内|内)?$"
)

# --------------------------------------------------------------------------
# dates
# --------------------------------------------------------------------------
_Y = r"(?:19|20)\d{2}"
_DATE_RES = [
    re.compile(rf"^{_Y}年(?:度)?(?:\d{{1,2}}月(?:份)?(?:\d{{1,2}}[日号])?)?(?:底|末|初|中旬|上旬|下旬|上半年|下半年)?$"),
    re.compile(rf"^{_Y}年\d{{1,2}}(?:月)?[-~至到—－](?:{_Y}年)?\d{{1,2}}月(?:底|末)?$"),
    re.compile(rf"^{_Y}[-/](?:0?[1-9]|1[0-2])(?:[-/](?:0?[1-9]|[12]\d|3[01]))?$"),
    re.compile(rf"^{_Y}\.(?:0?[1-9]|1[0-2])\.(?:0?[1-9]|[12]\d|3[01])$"),
    re.compile(rf"^{_Y}[-./年]\d{{1,2}}(?:[-./月]\d{{1,2}}日?)?[-~至到—－]{_Y}[-./年]\d{{1,2}}(?:[-./月]\d{{1,2}}日?)?$"),
    re.compile(r"^\d{1,2}月(?:份)?(?:\d{1,2}[日号])?(?:底|末|初|中旬|上旬|下旬)?$"),
    re.compile(r"^\d{1,2}[-~至到—－]\d{1,2}月(?:份)?$"),
    re.compile(r"^\d{1,2}月[-~至到—－]\d{1,2}月(?:份)?$"),
    re.compile(rf"^{_Y}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])$"),
    re.compile(rf"^{_Y}年(?:第?[一二三四1-4])季度(?:末|底)?$"),
]
_DATE_BEFORE = re.compile(r"(?:前|之前|以前)(?:完成)?$")

# --------------------------------------------------------------------------
# ranks: 第1名, 全市第一名, 荣获总分第一名, 连续三年位列全市第1名, 前三名
# --------------------------------------------------------------------------
_RANK_QUAL_TOKENS = [
    r"连续[0-9一二两三四五六七八九十]+年", r"全(?:国|省|市|区|县|州|盟|旗|镇|乡|系统|行业|院|校)",
    r"本(?:市|省|区|县|系统)", r"同(?:类|级|行业)", r"(?:县|市|区|省)(?:直|级|内)?",
    "位列", "位居", "位于", "排名", "排位", "排行", "排列", "排在", "排", "名列", "居", "列",
    "保持", "稳居", "荣获", "获得", "获", "总分", "综合", "考核", "考评", "评比", "评价", "评估",
    "测评", "检查", "进入", "争创", "争取", "力争", "达到", "处于", "在", "中", "成绩", "总成绩",
    "得分", "年度", "绩效", "单位", "部门", "各", "的",
]
_RANK_RE = re.compile(
    r"^(?P<q>(?:" + "|".join(_RANK_QUAL_TOKENS) + r")*)"
    r"(?P<kind>第|前)(?P<num>\d+|[零〇一二两三四五六七八九十百千]+)(?P<unit>名|位)?(?P<tail>(?:以内|之内|内)?)$"
)

_WS = re.compile(r"\s+")
# words that may follow a percentage without changing its meaning (100%覆盖)
_PCT_TAIL = re.compile(r"^(.*\d(?:%|‰))(?:覆盖|完成|准确|达标|合格|到位|落实|兑现|发放|执行|实现|及时|正确|满意)$")
_DIGIT_WS_DIGIT = re.compile(r"[\d.,]\s+[\d.,]")
_PCT_WORDS = re.compile(r"百分之([零〇一二两三四五六七八九十百点\d.]+)")
_TRAIL_PUNCT = "。；;，,!！"


def _tidy(d: Decimal) -> Decimal:
    """Drop a meaningless exponent/trailing zeros but never use E-notation."""
    if d == d.to_integral_value():
        return d.quantize(Decimal(1))
    return d.normalize()  # a non-integral value never gets a positive exponent


def _na(raw):
    return Quantity("na", None, None, None, "na", raw)


def _qual(raw):
    return Quantity("qual", None, None, None, "text", raw)


# --------------------------------------------------------------------------
# hint
# --------------------------------------------------------------------------


def _clean_hint(hint: str | None) -> str | None:
    if not hint:
        return None
    h = fold_ws(to_halfwidth(hint))
    h = re.sub(r"^(?:单位|计量单位|金额单位)[:：]?", "", h)
    while len(h) > 1 and h[0] in "([【〔" and h[-1] in ")]】〕":
        h = h[1:-1].strip()
    h = h.replace("人民币", "")
    return h or None


def _hint_unit(hint: str) -> tuple[str, str, Decimal] | None:
    """(kind, unit, multiplier) for a header unit such as 万元, %, 人次."""
    if hint in MONEY_SCALES:
        return "money", "元", MONEY_SCALES[hint]
    if hint in ("万", "亿", "千"):
        return "money", "元", MONEY_SCALES[hint + "元"]
    if hint in PERCENT_UNITS:
        return "percent", "%", PERCENT_UNITS[hint]
    mult, pos = read_scales(hint, 0, SCALE_EXCEPTIONS)
    rest = hint[pos:]
    if rest.startswith("个") and len(rest) > 1:
        rest = rest[1:]
    unit = _match_unit(rest, 0)
    if unit and unit[1] == len(rest):
        u, _, kind = unit
        if kind == "money":
            return "money", u, mult
        return kind, _strip_ge(u), mult
    return None


def _strip_ge(unit: str) -> str:
    if unit.startswith("个") and len(unit) > 1:
        return unit[1:]
    return unit


# --------------------------------------------------------------------------
# scanner pieces
# --------------------------------------------------------------------------


def _match_unit(s: str, pos: int) -> tuple[str, int, str] | None:
    """Longest unit word at pos (with an optional compound /denominator)."""
    m = _UNIT_RE.match(s, pos)
    if not m:
        return None
    u = m.group(0)
    end = m.end()
    kind = _UNIT_KIND[u]
    if end < len(s) and s[end] == "/" and kind in ("money", "count"):
        md = _DENOM_RE.match(s, end + 1)
        if md:
            return u + "/" + md.group(0), md.end(), kind
    return u, end, kind


def _read_number(s: str, pos: int) -> tuple[Decimal, int, Decimal] | None:
    """Number at pos: Arabic (+ scale chars) or Chinese numeral.

    Returns (value, end, scale) where ``scale`` is the multiplier the text
    wrote itself (万 in ``3.5万``, ``三千万``), 1 if none; ``value`` already
    includes it.
    """
    if pos >= len(s):
        return None
    if s[pos].isdigit() or (s[pos] == "." and pos + 1 < len(s) and s[pos + 1].isdigit()):
        r = read_arabic(s, pos)
        if r is None:
            return None
        v, end = r
        if s[pos] == "0" and end > pos + 1 and s[pos + 1].isdigit():
            return None  # leading zero: a code or phone number (0562...), not a quantity
        if end < len(s) and (s[end].isdigit() or s[end] in ",."):
            return None  # malformed (7,00.0,77 / 1.2.3)
        mult, end2 = read_scales(s, end, SCALE_EXCEPTIONS)
        return v * mult, end2, mult
    m = CN_RUN_RE.match(s, pos)
    if not m:
        return None
    run = m.group(0)
    if any(c.isdigit() for c in run):
        return None  # mixed 1千2百 etc: not supported, do not guess
    # do not swallow the first char of a unit such as 千米 / 百分比
    for i in range(1, len(run)):
        if any(s.startswith(e, pos + i) for e in SCALE_EXCEPTIONS):
            run = run[:i]
            break
    if not any(c in CN_DIGITS for c in run) and not run.startswith(("十", "拾")):
        return None  # 万元, 千人: no digit at all
    v = cn_to_decimal(run)
    # a longer run may not be a numeral while a prefix is (三公 → 三 + 公...);
    # the caller then fails on the leftover unless it is a unit
    while v is None and len(run) > 1:
        run = run[:-1]
        v = cn_to_decimal(run)
    if v is None:
        return None
    # only the big scales make a Chinese numeral "self-scaled": 三千 is just a
    # number, 三千万 / 二万 carry their own 万 (used by ranges: 一至二万元)
    mult = Decimal(1)
    for c in reversed(run):
        if c in "万萬亿億":
            mult *= SCALE_CHARS[c]
        else:
            break
    if mult == 1 and any(c in "万萬亿億" for c in run):
        mult = Decimal(10000)  # 两万五: self-scaled, the exact factor is irrelevant
    return v, pos + len(run), mult


@dataclass(frozen=True)
class _Side:
    value: Decimal  # includes the scale written in the text
    scale: Decimal  # that scale (1 if none)
    unit: str | None
    kind: str | None
    factor: Decimal  # percent factor (‰ → 0.1)

    @property
    def scaled(self) -> bool:
        return self.scale != 1


def _read_side(s: str, pos: int) -> tuple[_Side, int] | None:
    neg = False
    if pos == 0 and s.startswith("-") and len(s) > 1 and s[1].isdigit():
        neg = True  # a negative value such as -2.5% (change rates)
        pos = 1
    r = _read_number(s, pos)
    if r is None:
        return None
    v, pos, scale = r
    if neg:
        v = -v
    ge = False
    if pos < len(s) and s[pos] == "个":
        ge = True
        pos += 1
    u = _match_unit(s, pos)
    if u is None:
        if ge:
            return _Side(v, scale, "个", "count", Decimal(1)), pos
        return _Side(v, scale, None, None, Decimal(1)), pos
    unit, pos, kind = u
    factor = PERCENT_UNITS.get(unit, Decimal(1))
    if kind == "date" and ge:
        kind = "duration"  # 3个月, 1个季度
    if kind == "percent":
        unit = "%"
    elif kind != "money":
        unit = _strip_ge(unit)
    return _Side(v, scale, unit, kind, factor), pos


def _finish_value(side: _Side, kind: str, hint_mult: Decimal) -> Decimal:
    """Value in the base unit: header scale applied, ‰ converted, money in
    cents."""
    v = side.value * hint_mult
    if kind == "money":
        return v.quantize(_CENT, rounding=ROUND_HALF_UP)
    if kind == "percent":
        return _tidy(v * side.factor)
    return _tidy(v)


def _resolve(side: _Side, hint) -> tuple[str, str | None, Decimal] | None:
    """(kind, unit, multiplier) for a side, using the hint when no unit."""
    if side.kind is not None:
        if side.kind == "percent" and side.scaled:
            return None  # 5万% makes no sense
        return side.kind, side.unit, Decimal(1)
    if hint is not None:
        hk, hu, hm = hint
        if hk == "money":
            # text that writes its own scale (3359.62万 in a 万元 column)
            # already carries the multiplier: the header is not applied twice
            return "money", hu, (Decimal(1) if side.scaled else hm)
        if hk == "percent":
            if side.scaled:
                return None
            return "percent", "%", hm  # hm converts a ‰ header to percent points
        return hk, hu, (Decimal(1) if side.scaled else hm)
    return "count", None, Decimal(1)


def _combine_ops(pre: str | None, post: str | None) -> str | None:
    """Merge prefix and suffix comparators; None means contradictory."""
    if pre is None and post is None:
        return "="
    if pre is None:
        return post
    if post is None:
        return pre
    if pre == "=":
        return post
    if post == ">=" and pre in (">", ">="):
        return pre
    if post == "<=" and pre in ("<", "<="):
        return pre
    return None


def _preclean(text: str) -> str | None:
    s = to_halfwidth(text)
    s = s.replace("\u200b", "").replace("\ufeff", "")
    s = s.strip()
    # strip wrapping quotes and trailing sentence punctuation
    s = s.strip("\"'“”‘’「」")
    while s and s[-1] in _TRAIL_PUNCT:
        s = s[:-1].rstrip()
    if s.endswith(".") and len(s) > 1 and s[-2].isdigit():
        s = s[:-1]  # stray full stop after a number: 7.50.
    if _DIGIT_WS_DIGIT.search(s):
        return None  # two numbers separated by space: ambiguous
    s = _WS.sub("", s)
    return s


def parse_quantity(text: str | None, unit_hint: str | None = None) -> Quantity:
    """Parse a target/actual value cell. See the module docstring and README.

    ``unit_hint`` is the unit a table header gives (``万元``, ``（万元）``,
    ``%``, ``人次``); it applies only to numbers written without a unit.
    """
    # exact arithmetic: numbers are capped at _MAX_DIGITS digits and scales at
    # 10^16, so this precision never rounds
    with localcontext() as ctx:
        ctx.prec = 64
        return _parse_quantity(text, unit_hint)


def _parse_quantity(text: str | None, unit_hint: str | None) -> Quantity:
    raw = text
    if text is None:
        return _na(raw)
    if not isinstance(text, str):
        raise TypeError(f"parse_quantity expects str, got {type(text).__name__}")
    s = _preclean(text)
    if s is None:
        return _qual(raw)
    if s.lower() in _NA_TEXTS:
        return _na(raw)
    if s == "一":
        return _qual(raw)  # a lone 一 is as likely a typed dash as the number one

    # ---- a limit with no number: 不超过预算投入 -------------------------
    if _BUDGET_ONLY.match(s) and _LIMIT_WORD.search(s):
        return Quantity("<=", None, None, "元", "money", raw)

    # ---- dates -----------------------------------------------------------
    d_op = "="
    ds = s
    mb = _DATE_BEFORE.search(ds)
    if mb and mb.start() > 0:
        ds = ds[: mb.start()]
        d_op = "<="
    if any(p.match(ds) for p in _DATE_RES):
        return Quantity(d_op, None, None, None, "date", raw)

    # ---- ranks -----------------------------------------------------------
    m = _RANK_RE.match(s)
    if m:
        num = m.group("num")
        v = Decimal(num) if num.isdigit() else cn_to_decimal(num)
        if v is not None and v > 0:
            op = "<=" if (m.group("kind") == "前" or m.group("tail")) else "="
            return Quantity(op, _tidy(v), None, "名", "rank", raw)

    # ---- percent words: 百分之九十五 → 九十五% ---------------------------
    s = s.replace("百分之百", "100%")
    s = _PCT_WORDS.sub(lambda mm: mm.group(1) + "%", s)

    # ---- comparators -----------------------------------------------------
    pre = None
    neutral = False
    if s.startswith(("在", "保持在")) and not s.startswith("在预算"):
        # 在95%以上: "在" only carries the suffix's comparator
        neutral = True
        s = s[3:] if s.startswith("保持在") else s[1:]
    for p in _PREFIXES_BY_LEN:
        if s.startswith(p) and len(s) > len(p):
            pre = _PREFIX_OPS[p]
            s = s[len(p):]
            break
    post = None
    for _ in range(2):
        for p in _SUFFIXES_BY_LEN:
            if s.endswith(p) and len(s) > len(p):
                op = _SUFFIX_OPS[p]
                if op == "incl":
                    pass  # "(含)": inclusive, already implied by the >= / <= it goes with
                elif post is None:
                    post = op
                else:
                    return _qual(raw)
                s = s[: -len(p)]
                break
        else:
            break
    if neutral and (pre is not None or post in (None, "between")):
        return _qual(raw)
    if post == "before":
        return _qual(raw)  # "3天前" etc: not a date we can read

    # "100%覆盖", "100%准确": a percentage followed by the word it measures
    mt = _PCT_TAIL.match(s)
    if mt:
        s = mt.group(1)

    if any(a in s for a in _APPROX):
        return _qual(raw)

    # ---- body ------------------------------------------------------------
    r1 = _read_side(s, 0)
    if r1 is None:
        return _qual(raw)
    left, pos = r1
    right = None
    if pos < len(s):
        for sep in _RANGE_SEPS_BY_LEN:
            if s.startswith(sep, pos):
                r2 = _read_side(s, pos + len(sep))
                if r2 is not None:
                    right, pos = r2
                break
    if pos != len(s):
        return _qual(raw)

    hint_s = _clean_hint(unit_hint)
    hint = _hint_unit(hint_s) if hint_s else None
    if hint_s and hint is None:
        # unknown header unit: keep it as a count unit, as written
        hint = ("count", _strip_ge(hint_s), Decimal(1))

    if right is not None:
        if pre is not None or post not in (None, "between"):
            return _qual(raw)  # 大于90-95%: contradictory
        if left.kind is None and right.kind is not None:
            # 90~95%, 1-2万元: the left number borrows the right's unit, and
            # its scale when it wrote none itself
            lv = left.value if left.scaled else left.value * right.scale
            left = _Side(lv, right.scale, right.unit, right.kind, right.factor)
        elif left.kind is not None and right.kind is None:
            return _qual(raw)  # 90%-95: unit only on the left is not a form we know
        if left.value < 0 or right.value < 0:
            return _qual(raw)
        rl = _resolve(left, hint)
        rr = _resolve(right, hint)
        if rl is None or rr is None or rl[:2] != rr[:2]:
            return _qual(raw)  # different units on both sides
        kind, unit = rr[0], rr[1]
        if kind == "date":
            return Quantity("=", None, None, None, "date", raw)  # 1-12月
        lo = _finish_value(left, kind, rl[2])
        hi = _finish_value(right, kind, rr[2])
        if lo >= hi:
            return _qual(raw)  # not an interval (2023-12, 5000-2万)
        return Quantity("range", lo, hi, unit, kind, raw)

    if post == "between":
        return _qual(raw)
    op = _combine_ops(pre, post)
    if op is None:
        return _qual(raw)
    res = _resolve(left, hint)
    if res is None:
        return _qual(raw)
    kind, unit, mult = res
    if kind == "date":
        return Quantity(op, None, None, None, "date", raw)  # 3月, 2023年度
    if kind == "duration" and unit in ("年", "年度") and not left.scaled and op == "=" \
            and left.value == left.value.to_integral_value() and 1900 <= left.value <= 2100:
        return Quantity("=", None, None, None, "date", raw)  # 2023年
    value = _finish_value(left, kind, mult)
    if kind in ("duration", "rank") and value < 0:
        return _qual(raw)
    return Quantity(op, value, None, unit, kind, raw)
