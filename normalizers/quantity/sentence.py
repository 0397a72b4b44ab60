"""The one figure a sentence target states: ``实施基本药物制度补助村卫生室352个。`` → ``=`` 352 个.

``parse_quantity`` reads a cell only when the whole cell is a quantity.  Some forms write
their 指标值 / 完成值 as a sentence around a single count (dev r063: ``本年度已完成37个基层
医疗机构基药补助制度实施。``); the gold convention reads such a cell as ``=`` that count
(gold/README: a trailing word is ignored, ``100%准确`` → 100 %).  This reading is made only
where nothing else in the sentence could change it:

* exactly one Arabic number in the sentence, and no Chinese numeral with a unit after it;
* a unit right after the number — a count unit of the vocabulary or the classifier 个
  (then the unit is 个: ``37个基层医疗机构`` → 37 个), money or a percentage; no date, no
  duration (``2023年``, ``3天`` may be deadlines or years);
* no comparator, direction or approximation word anywhere (``不低于``, ``提高``, ``约``,
  ``以上``): the op or the level would be uncertain;
* the number is not an ordinal or a code (``第3``, ``GB3838``), not part of a range or a
  ratio, not inside quotes or a title (``《2023年…方案》``, ``“3+2+1”``).

Anything else is None, and the cell stays ``qual``.
"""
from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from ..numerals import CN_DIGITS
from .grammar import _preclean
from .model import Quantity, tidy
from .tokens import read_side
from .vocab import APPROX_WORDS, LABEL_END_RE, SUFFIXES

_ARABIC = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
_QUOTED = re.compile(r"《[^》]*》|“[^”]*”|\"[^\"]*\"|「[^」]*」|\([^)]*\)")
_KINDS = ("count", "money", "percent")
_CENT = Decimal("0.01")


def parse_sentence_quantity(text: str | None) -> Quantity | None:
    """``=`` the one count, sum or percentage a sentence states, or None (see the module)."""
    if not text:
        return None
    s = _preclean(text)
    if not s:
        return None
    numbers = list(_ARABIC.finditer(s))
    if len(numbers) != 1 or LABEL_END_RE.search(s) or any(a in s for a in APPROX_WORDS):
        return None
    if any(m.start() <= numbers[0].start() < m.end() for m in _QUOTED.finditer(s)):
        return None
    for i, ch in enumerate(s):  # 三个项目: a second figure written in Chinese numerals
        if ch in CN_DIGITS:
            side = read_side(s, i)
            if side is not None and side[0].kind is not None:
                return None
    num = numbers[0]
    before = s[num.start() - 1] if num.start() else ""
    if before and (before in "第前-—~～至到/:.+×*" or before.isascii() and before.isalpha()):
        return None
    r = read_side(s, num.start())
    if r is None:
        return None
    side, end = r
    if side.kind not in _KINDS or side.unit is None or side.value < 0:
        return None
    after = s[end:]
    if after[:1] in tuple("-—~～至到/:.+×*%‰") or any(after.startswith(w) for w in SUFFIXES.words):
        return None
    if side.kind == "count" and s.startswith("个", num.end()):
        # the classifier is the unit: 352个村卫生室 counts 个, not 村
        return Quantity("=", tidy(side.value), None, "个", "count", text)
    value = side.value.quantize(_CENT, rounding=ROUND_HALF_UP) if side.kind == "money" else tidy(side.value * side.factor)
    return Quantity("=", value, None, side.unit, side.kind, text)
