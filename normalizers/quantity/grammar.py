"""The quantity grammar: how a target / actual cell is read (rules and one
example per rule: normalizers/README.md)::

    cell   := na | budget-limit | date | rank | [subject] quantity
    quantity := [lead] [cmp] [direction [了] [到|至]] [cmp] side [range-sep side] [suffix-cmp] [trailing]
    side   := [-|负] NUMBER [scale] [个][半] [UNIT [/ DENOM {*·×/ DENOM}]] [人民币]

A cell that is not wholly one of these is ``op='qual'``: the grammar never reads
a number out of a sentence. The vocabularies (comparators, directions, lead and
trailing words, units) are data in normalizers/vocab/.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from ..numerals import CN_DIGITS, SCALE_CHARS, cn_to_decimal
from ..text import to_halfwidth
from .dates import read_date
from .model import Quantity, na, qual, tidy
from .tokens import Side, read_side
from .units import resolve_hint
from .vocab import (
    APPROX_WORDS,
    CURRENCY_WORDS,
    DIRECTION_TO,
    DIRECTION_WORDS,
    DIRECTION_VOCAB,
    LABEL_END_RE,
    LEAD_WORDS,
    MAX_SUBJECT,
    PREFIX_OPS,
    PREFIXES,
    SUFFIX_OPS,
    SUFFIXES,
    TRAILING_WORDS,
)

_CENT = Decimal("0.01")

_RANGE_SEPS_BY_LEN = sorted(("-", "~", "至", "—", "––", "–", "到", "～", "〜", "－", "——", "－－"), key=len, reverse=True)

_NA_TEXTS = {
    "", "/", "\\", "-", "--", "---", "—", "——", "———", "–", "―", "－", "…", "……", "...", "......",
    "不适用", "不涉及", "n/a", "na", "#n/a", "null", "none", "nan", "空", "空白", "暂无", "无数据", "/。",
}

# a limit with no number: 不超过预算投入, 成本控制在预算内
_LIMIT_WORD = re.compile(r"不超|不高于|不大于|不多于|不突破|≤|<=|以内|之内|内|控制|未超")
_BUDGET_ONLY = re.compile(
    r"^(?:成本|支出|费用|资金|项目)?(?:严格)?(?:控制在|在|不超过|不超出|不超|不高于|不大于|不多于|不突破|未超过|未超出|未超|≤|<=|<)?"
    r"(?:年初|全年|批复|核定|下达|当年|计划|项目)?(?:的)?"
    r"(?:预算|预算数|预算金额|预算资金|预算投入|预算标准|预算总额|投资|批复金额|计划投资)"
    r"(?:投入|金额|数|资金|总额)?"
    r"(?:范围)?(?:以内|之内|内)?$"
)

# ranks: 第1名, 全市第一名, 荣获总分第一名, 连续三年位列全市第1名, 前三名
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
_DIGIT_WS_DIGIT = re.compile(r"[\d.,]\s+[\d.,]")
_PCT_WORDS = re.compile(r"百分之(负?[零〇一二两三四五六七八九十百千万亿点\d.,]+)")
_TRAIL_PUNCT = "。；;，,!！"
# what a subject may not contain: digits, signs, sentence punctuation
_NOT_SUBJECT = re.compile(r"[\d%‰.,;:!?，。；：、！？“”\"'《》<>=≥≤]")


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
    for w in CURRENCY_WORDS:  # 人民币8亿元
        if s.startswith(w) and len(s) > len(w) and s[len(w)].isdigit():
            s = s[len(w):]
    return s


def _finish_value(side: Side, kind: str, hint_mult: Decimal) -> Decimal:
    """Value in the base unit: header scale applied, ‰ converted, money in cents."""
    v = side.value * hint_mult
    if kind == "money":
        return v.quantize(_CENT, rounding=ROUND_HALF_UP)
    if kind == "percent":
        return tidy(v * side.factor)
    return tidy(v)


def _resolve(side: Side, hint) -> tuple[str, str | None, Decimal] | None:
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


def _prefix(s: str) -> tuple[str | None, str]:
    p = PREFIXES.at_start(s)
    return (PREFIX_OPS[p], s[len(p):]) if p else (None, s)


def _direction(s: str) -> tuple[str | None, str, bool]:
    """(direction, rest, to_level): 下降10% → decrease; 提高到95% → the level."""
    w = DIRECTION_VOCAB.at_start(s)
    if w is None:
        return None, s, False
    rest = s[len(w):]
    if rest.startswith("了") and len(rest) > 1:
        rest = rest[1:]
    for t in DIRECTION_TO:
        if rest.startswith(t) and len(rest) > len(t):
            return None, rest[len(t):], True
    return DIRECTION_WORDS[w], rest, False


def _body(s: str) -> tuple[Side, Side | None] | None:
    r1 = read_side(s, 0)
    if r1 is None:
        return None
    left, pos = r1
    right = None
    if pos < len(s):
        for sep in _RANGE_SEPS_BY_LEN:
            if s.startswith(sep, pos):
                r2 = read_side(s, pos + len(sep))
                if r2 is not None:
                    right, pos = r2
                break
    if pos != len(s):
        return None
    return left, right


def _quantity(s: str, raw: str, unit_hint: str | None) -> Quantity:
    """``[lead] [cmp] [direction] [cmp] side [sep side] [suffix] [trailing]``."""
    pre = None
    neutral = False
    if s.startswith(("在", "保持在")) and not s.startswith("在预算"):
        # 在95%以上: "在" only carries the suffix's comparator
        neutral = True
        s = s[3:] if s.startswith("保持在") else s[1:]
    pre, s = _prefix(s)
    if pre is None and not neutral:
        lead = LEAD_WORDS.at_start(s)  # 按标准800元/人发放到户
        if lead:
            s = s[len(lead):]
    direction, s, to_level = _direction(s)
    if pre is None and (direction is not None or to_level):
        pre, s = _prefix(s)  # 增长不低于5%
    post = None
    for _ in range(2):
        p = SUFFIXES.at_end(s)
        if p is None:
            break
        op = SUFFIX_OPS[p]
        if op == "incl":
            pass  # "(含)": inclusive, already implied by the >= / <= it goes with
        elif post is None:
            post = op
        else:
            return qual(raw)
        s = s[: -len(p)]
    if neutral and (pre is not None or post in (None, "between")):
        return qual(raw)
    if post == "before":
        return qual(raw)  # "3天前" etc: not a date we can read

    if any(a in s for a in APPROX_WORDS):
        return qual(raw)

    body = _body(s)
    if body is None:
        w = TRAILING_WORDS.at_end(s)  # 100%覆盖, 800元/人发放到户: only after % or money
        if w:
            body = _body(s[: -len(w)])
            if body is not None and (body[1] or body[0]).kind not in ("percent", "money"):
                body = None
    if body is None:
        return qual(raw)
    left, right = body
    hint = resolve_hint(unit_hint)

    if right is not None:
        if pre is not None or post not in (None, "between"):
            return qual(raw)  # 大于90-95%: contradictory
        if left.kind is None and right.kind is not None:
            # 90~95%, 1-2万元: the left number borrows the right's unit, and
            # its scale when it wrote none itself
            lv = left.value if left.scaled else left.value * right.scale
            left = Side(lv, right.scale, right.unit, right.kind, right.factor)
        elif left.kind is not None and right.kind is None:
            return qual(raw)  # 90%-95: unit only on the left is not a form we know
        if left.value < 0 or right.value < 0:
            return qual(raw)
        rl = _resolve(left, hint)
        rr = _resolve(right, hint)
        if rl is None or rr is None or rl[:2] != rr[:2]:
            return qual(raw)  # different units on both sides
        kind, unit = rr[0], rr[1]
        if kind == "date":
            return Quantity("range", None, None, None, "date", raw)  # 十一至十二月
        lo = _finish_value(left, kind, rl[2])
        hi = _finish_value(right, kind, rr[2])
        if lo >= hi:
            return qual(raw)  # not an interval (2023-12, 5000-2万)
        return Quantity("range", lo, hi, unit, kind, raw, direction=direction)

    if post == "between":
        return qual(raw)
    op = _combine_ops(pre, post)
    if op is None:
        return qual(raw)
    res = _resolve(left, hint)
    if res is None:
        return qual(raw)
    kind, unit, mult = res
    if kind == "date":
        if direction is not None or to_level:
            return qual(raw)
        return Quantity(op, None, None, None, "date", raw)  # 3月, 2023年度
    if kind == "duration" and unit in ("年", "年度") and not left.scaled and op == "=" \
            and direction is None and left.value == left.value.to_integral_value() \
            and 1900 <= left.value <= 2100:
        return Quantity("=", None, None, None, "date", raw)  # 2023年
    value = _finish_value(left, kind, mult)
    if kind in ("duration", "rank") and value < 0:
        return qual(raw)
    if direction is not None and value < 0:
        return qual(raw)  # 下降-3%: the sign and the word disagree
    return Quantity(op, value, None, unit, kind, raw, direction=direction)


def _cell(s: str, raw: str, unit_hint: str | None) -> Quantity:
    """Everything but the subject: budget limit, date, rank, quantity."""
    # a limit with no number: 不超过预算投入
    if ("预" in s or "投" in s or "批" in s) and _BUDGET_ONLY.match(s) and _LIMIT_WORD.search(s):
        return Quantity("<=", None, None, "元", "money", raw)
    d = read_date(s)
    if d is not None:
        return Quantity(d[0], None, None, None, "date", raw, date_from=d[1], date_to=d[2])
    m = _RANK_RE.match(s) if ("第" in s or "前" in s) else None
    if m:
        num = m.group("num")
        v = Decimal(num) if num.isdigit() else cn_to_decimal(num)
        if v is not None and v > 0:
            op = "<=" if (m.group("kind") == "前" or m.group("tail")) else "="
            return Quantity(op, tidy(v), None, "名", "rank", raw)
    # percent words: 百分之九十五 → 九十五%, 百分之1,111 → 1,111%
    s = s.replace("百分之百", "100%")
    s = _PCT_WORDS.sub(lambda mm: mm.group(1) + "%", s)
    return _quantity(s, raw, unit_hint)


def _with_subject(s: str, raw: str, unit_hint: str | None) -> Quantity | None:
    """``评估报告总成本不超过0.5万元``: a short label, then a comparator or direction
    word and a quantity. The label has no digits or punctuation and at most
    MAX_SUBJECT characters; otherwise the text is a clause and stays qual."""
    for m in LABEL_END_RE.finditer(s):
        i = m.start()
        if i == 0:
            continue  # the cell begins with the comparator: no subject to take
        if i > MAX_SUBJECT:
            return None
        subject = s[:i]
        if _NOT_SUBJECT.search(subject):
            return None
        q = _cell(s[i:], raw, unit_hint)
        if q.op in ("qual", "na") or (q.kind == "date" and q.date_to is None):
            continue
        return Quantity(q.op, q.value, q.upper, q.unit, q.kind, raw, subject, q.direction, q.date_from, q.date_to)
    return None


# (with the characters _preclean strips: a cell of only those is empty, so na; the n/a
# marks in both cases, as parse compares them lowercased: 'NULL', 'N/A')
_HOLD_CHARS = (set(CN_DIGITS) | set(SCALE_CHARS) | set("".join(_NA_TEXTS)) | set("".join(_NA_TEXTS).upper())
               | set("半预投批")
               | set(_TRAIL_PUNCT) | set("\"'“”‘’「」\u200b\ufeff"))
# a cell none of whose characters is one of these holds no number, no budget limit and
# no n/a mark: it is qual without running the grammar (the fast path for prose cells)
_MAY_HOLD = re.compile(
    "[" + re.escape("".join(sorted(_HOLD_CHARS | {chr(ord(c) + 0xFEE0) for c in _HOLD_CHARS if "!" <= c <= "~"})))
    + r"\d０-９]"
)


def may_hold(text: str) -> bool:
    """False only when ``text`` certainly parses as qual (non-blank, no digit,
    no numeral, no n/a or budget word character)."""
    return not text.strip() or _MAY_HOLD.search(text) is not None


def parse(text: str, unit_hint: str | None) -> Quantity:
    raw = text
    s = _preclean(text)
    if s is None:
        return qual(raw)
    if s.lower() in _NA_TEXTS:
        return na(raw)
    if s == "一":
        return na(raw)  # a lone 一 in a value cell is a typed dash (r003), never the number one
    q = _cell(s, raw, unit_hint)
    if q.op == "qual" and len(s) > 1:
        q = _with_subject(s, raw, unit_hint) or q
    return q
