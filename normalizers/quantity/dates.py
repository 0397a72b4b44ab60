"""Dates as targets: ``2023年12月31日``, ``2023年度``, ``12月底前``, ``2022年3月-11月``.

A cell that is wholly a date is kind ``date`` with a null value; ``date_from`` /
``date_to`` are the first and last day it names (a day, a month, a quarter, a
half or a whole year), ``None`` where the text does not fix them (no year).
A written range (``2022年3月-11月``, ``2020.1.1-2020.12.31``) is op ``range``; a
date followed by 前 is op ``<=`` with only ``date_to``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

_Y = r"(?:19|20)\d{2}"
_SEP = r"[-~至到—－]"
_EDGE = r"(?P<edge>底|末|初|中旬|上旬|下旬|上半年|下半年)?"
_EDGE2 = r"(?P<edge2>底|末)?"

# (pattern, is_range); named groups y m d q edge / y2 m2 d2 edge2
_DATE_RES = [
    (re.compile(rf"^(?P<y>{_Y})年(?:度)?(?:(?P<m>\d{{1,2}})月(?:份)?(?:(?P<d>\d{{1,2}})[日号])?)?{_EDGE}$"), False),
    (re.compile(rf"^(?P<y>{_Y})年(?P<m>\d{{1,2}})(?:月)?{_SEP}(?:(?P<y2>{_Y})年)?(?P<m2>\d{{1,2}})月{_EDGE2}$"), True),
    (re.compile(rf"^(?P<y>{_Y})[-/](?P<m>0?[1-9]|1[0-2])(?:[-/](?P<d>0?[1-9]|[12]\d|3[01]))?$"), False),
    (re.compile(rf"^(?P<y>{_Y})\.(?P<m>0?[1-9]|1[0-2])\.(?P<d>0?[1-9]|[12]\d|3[01])$"), False),
    (re.compile(rf"^(?P<y>{_Y})[-./年](?P<m>\d{{1,2}})(?:[-./月](?P<d>\d{{1,2}})日?)?{_SEP}"
                rf"(?P<y2>{_Y})[-./年](?P<m2>\d{{1,2}})(?:[-./月](?P<d2>\d{{1,2}})日?)?$"), True),
    (re.compile(rf"^(?P<m>\d{{1,2}})月(?:份)?(?:(?P<d>\d{{1,2}})[日号])?(?P<edge>底|末|初|中旬|上旬|下旬)?$"), False),
    (re.compile(rf"^(?P<m>\d{{1,2}}){_SEP}(?P<m2>\d{{1,2}})月(?:份)?$"), True),
    (re.compile(rf"^(?P<m>\d{{1,2}})月{_SEP}(?P<m2>\d{{1,2}})月(?:份)?$"), True),
    (re.compile(rf"^(?P<y>{_Y})(?P<m>0[1-9]|1[0-2])(?P<d>0[1-9]|[12]\d|3[01])$"), False),
    (re.compile(rf"^(?P<y>{_Y})年(?:第?(?P<q>[一二三四1-4]))季度(?P<edge>末|底)?$"), False),
]
_DATE_BEFORE = re.compile(r"(?:前|之前|以前)(?:完成)?$")
_QUARTER = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def _last(y: int, m: int) -> int:
    return calendar.monthrange(y, m)[1]


def _span(y, m, d, q=None, edge=None) -> tuple[dt.date, dt.date] | None:
    """First and last day named by a year / month / day / quarter (+ 底, 上旬...)."""
    if y is None:
        return None
    y = int(y)
    try:
        if q is not None:
            m1 = 3 * _QUARTER[q] - 2
            end = dt.date(y, m1 + 2, _last(y, m1 + 2))
            return (end, end) if edge in ("末", "底") else (dt.date(y, m1, 1), end)
        if m is None:
            if edge in ("底", "末"):
                return dt.date(y, 12, 31), dt.date(y, 12, 31)
            if edge == "上半年":
                return dt.date(y, 1, 1), dt.date(y, 6, 30)
            if edge == "下半年":
                return dt.date(y, 7, 1), dt.date(y, 12, 31)
            if edge:
                return None  # 年初, 年中旬: not a fixed day
            return dt.date(y, 1, 1), dt.date(y, 12, 31)
        m = int(m)
        last = _last(y, m)
        if d is not None:
            day = dt.date(y, m, int(d))
            return (day, day) if edge is None else None
        if edge in ("底", "末"):
            return dt.date(y, m, last), dt.date(y, m, last)
        if edge == "上旬":
            return dt.date(y, m, 1), dt.date(y, m, 10)
        if edge == "中旬":
            return dt.date(y, m, 11), dt.date(y, m, 20)
        if edge == "下旬":
            return dt.date(y, m, 21), dt.date(y, m, last)
        if edge:
            return None
        return dt.date(y, m, 1), dt.date(y, m, last)
    except (ValueError, KeyError):
        return None  # 2023年2月30日: a date in form, not a day on the calendar


def read_date(s: str) -> tuple[str, dt.date | None, dt.date | None] | None:
    """(op, date_from, date_to) when the whole of ``s`` is a date, else None."""
    if not s or not s[0].isdigit():
        return None  # every date form starts with its year or month
    op = "="
    mb = _DATE_BEFORE.search(s)
    if mb and mb.start() > 0:
        s = s[: mb.start()]
        op = "<="
    for rx, is_range in _DATE_RES:
        m = rx.match(s)
        if not m:
            continue
        g = m.groupdict()
        a = _span(g.get("y"), g.get("m"), g.get("d"), g.get("q"), g.get("edge"))
        if not is_range:
            if a is None:
                return op, None, None
            return (op, None, a[1]) if op == "<=" else (op, a[0], a[1])
        b = _span(g.get("y2") or g.get("y"), g.get("m2"), g.get("d2"), None, g.get("edge2"))
        if op == "<=":
            return op, None, b[1] if b else None
        if a is None or b is None or a[0] > b[1]:
            return "range", None, None
        return "range", a[0], b[1]
    return None
