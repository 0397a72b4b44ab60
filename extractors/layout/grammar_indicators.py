"""Indicator rows of glued cells: every reading of a run as rows ``name, *roles`` checked
by the cell shapes and score <= weight, Σ 分值 under a level-1 label = its ``(70分)``
(``group_filter``), and the 总分 line's points (``points_readings``)."""
from __future__ import annotations

import functools
from decimal import Decimal

import regex as re

from normalizers.ocr import OCR_DIGITS

from . import shape_values as sv
from .grammar import CAP, MAX_RUN, Row, Span, Text, consistent_readings

POINT_ROLES = ("weight", "score")
VALUE_ROLES = ("target", "actual", "target_adjusted", "item")


_EDGE = "、,，:：;；(（"


def _cell_ok(role: str, s: str, glued: bool) -> bool:
    if role in POINT_ROLES:
        return _pts(s) is not None
    if role in VALUE_ROLES:
        kind = sv.is_value(s)
        if kind == "text" and (s[0] in _EDGE + ")）" or s[-1] in _EDGE):
            return False  # a cell does not begin or end inside a list (稻谷、)
        return kind is not None
    if role == "unit":
        return len(s) <= 6 and sv.is_shape(s, "text")
    if role == "op":
        return len(s) <= 4 and sv.is_shape(s, "text")
    return not glued  # note / unknown roles: empty in glued text


@functools.lru_cache(maxsize=1 << 16)
def _pts(s: str) -> Decimal | None:
    """A points cell's value, or the one OCR turned into letters (IO: 10, checked only)."""
    v = sv.points(s)
    return v if v is not None else sv.ocr_points(s)


_OP_OR_PERCENT = frozenset(sv.OPS + "%％")


def _name_ok(s: str, at_start: bool) -> bool:
    if not sv.has_han(s) or len(s) > 80 or sv.is_value(s) in ("quantity", "date", "garbled"):
        return False  # a name is not a figure (5000吨)
    if not _OP_OR_PERCENT.isdisjoint(s) or sv.has_glued_figures(s) or sv.has_bare_number(s):
        return False
    if s[0].isdigit() and not at_start:
        return False  # a name glued to the previous row's number would be ambiguous
    return s[0] not in ")）、,，.。:：;；" and s[-1] not in "(（、,，:：;；"


AMBIGUOUS = "ambiguous"

# Cheap bounds that end the walk over a cell's possible ends early, without changing what
# it finds: (longest length, a test every character of the cell passes).  A points cell is
# digits, '.', 分 or a digit-like OCR letter; a unit or comparator cell is short.
_POINT_CHAR = frozenset(".分") | frozenset(OCR_DIGITS)
_CELL_CAP = {
    **{r: (40, lambda c: c.isdigit() or c in _POINT_CHAR) for r in POINT_ROLES},
    "unit": (6, lambda c: True), "op": (4, lambda c: True),
}
_NOT_IN_NAME = frozenset(sv.OPS + "%％")
# the cell ends of a start worked out once for all point roles and once for all value
# roles (``cell_ends``); False: once per role
_SHARED_ENDS = True
# rows of two different texts in the target and actual columns, dropped by the walk where
# the row check would refuse them (``indicator_readings``); False: every row goes to the check
_DROP_TWO_TEXTS = True


_WS = re.compile(r"\s+")


def _restates(t: str, a: str) -> bool:
    """True if the glued text ``t + a`` is one phrase written twice (显著提升显著提升)."""
    c = _WS.sub("", t + a)
    return len(c) % 2 == 0 and c[: len(c) // 2] == c[len(c) // 2:]


def _anchored(roles: tuple[str, ...], cells: list[str]) -> bool:
    """True if the row holds a figure (points, quantity, date): a row with none has no
    written boundary at all, and any Han run could be cut into such rows."""
    for r, c in zip(roles, cells):
        if c.strip() and (r in POINT_ROLES or sv.is_value(c) in ("quantity", "date")):
            return True
    return False


@functools.lru_cache(maxsize=256)
def _row_check(roles: tuple[str, ...], l1_weight: Decimal | None, glued: bool):
    """A row's verdict for one header's roles, as a function of the row's cell texts:
    True, False, or AMBIGUOUS (the row fits, but a boundary inside it is not written: a
    reading that counts, and can never be published).  Where each role sits is worked
    out once per header, not once per row tried (a glued run tries thousands)."""
    last = {r: k for k, r in enumerate(roles)}  # a role written twice: its last column
    kw, ks, kt, ka = (last.get(r) for r in ("weight", "score", "target", "actual"))
    # two qualitative cells glued: only a restatement (显著提升显著提升) is separable
    adjacent = kt is not None and ka is not None and roles.index("actual") == roles.index("target") + 1
    # a text cell before the (unseen) note: where the glued text ends and the note begins
    before_note = [k for k, role in enumerate(roles[:-1]) if roles[k + 1] == "note" and role in VALUE_ROLES]

    def ok(cells: list[str]) -> bool | str:
        w = _pts(cells[kw]) if kw is not None else None
        if kw is not None and w is None:
            return False
        s = _pts(cells[ks]) if ks is not None else None
        if w is not None and s is not None and s > w:
            return False
        if w is not None and l1_weight is not None and w > l1_weight:
            return False
        if not glued:
            return True
        t = cells[kt] if kt is not None else None
        a = cells[ka] if ka is not None else None
        vt, va = (sv.is_value(t) if t else None), (sv.is_value(a) if a else None)
        if vt == "text" and a and sv.points(a) is not None:
            return False  # a qualitative target is not met by a bare figure: that is a glued score
        # a row with no figure has no written boundary at all: any Han run could be cut into
        # such rows, so they are no reading; a row held by a figure whose text cells cannot
        # be told apart is a reading that can never be published (AMBIGUOUS).  (Looked at
        # only when a boundary is in doubt: most rows tried are refused before.)
        if vt == va == "text" and adjacent and t.strip() != a.strip():
            return AMBIGUOUS if _anchored(roles, cells) and not _restates(t, a) else False
        for k in before_note:
            c = cells[k]
            if sv.is_value(c) == "text" and not (roles[k] == "actual" and (t or "").strip() == c.strip()):
                return AMBIGUOUS if _anchored(roles, cells) else False
        return True
    return ok


def indicator_readings(run: Text, roles: tuple[str, ...], glued: bool,
                       l1_weight: Decimal | None) -> list[tuple[Row, ...]] | None:
    """Every reading of ``run`` as indicator rows ``name, *roles``; None if more than CAP."""
    text = run.text
    over = [False]
    row_ok = _row_check(roles, l1_weight, glued)
    # where the row check refuses every row whose target and actual are two different
    # texts (no other column of the header can hold a figure, so such a row has none),
    # the walk drops those rows as soon as it has the two cells
    rt = roles.index("target") if _DROP_TWO_TEXTS and glued and roles.count("target") == roles.count("actual") == 1 \
        else None
    two_texts_refused = rt is not None and roles[rt + 1:rt + 2] == ("actual",) and not any(
        r in POINT_ROLES or r in VALUE_ROLES for k, r in enumerate(roles) if k not in (rt, rt + 1))

    @functools.lru_cache(maxsize=None)
    def _ends_of(k: int, role: str) -> tuple[int, ...]:
        cap = _CELL_CAP.get(role)
        out = []
        for j in run.ends(k, 40):
            if cap is not None and (j - k > cap[0] or not cap[1](text[j - 1])):
                break  # every longer cell holds this character too, or is longer still: none fits
            if role in VALUE_ROLES and text[j - 1].isdigit() and sv.unit_follows(text, j) or run.splits_figure(j):
                continue  # a value keeps the unit word written after its number
            if not _cell_ok(role, text[k:j], glued):
                continue
            if role in POINT_ROLES and j < run.end and text[j].isascii() and text[j].isalnum() \
                    and sv.ocr_points(text[k:j]) is not None:
                continue  # letters read as digits only as a whole token
            out.append(j)
        return tuple(out)

    def cell_ends(k: int, role: str) -> tuple[int, ...]:
        """Where a cell of ``role`` starting at ``k`` may end, by its own shape: worked out
        once per start for every column of the role's kind (the point roles are tested
        alike, and so are the value roles: 指标值 and 实际完成值 share them)."""
        if _SHARED_ENDS:
            role = POINT_ROLES[0] if role in POINT_ROLES else VALUE_ROLES[0] if role in VALUE_ROLES else role
        return _ends_of(k, role)

    @functools.lru_cache(maxsize=None)
    def cells_from(i: int, r: int) -> tuple[tuple[tuple[Span, ...], int], ...]:
        if r == len(roles):
            return (((), i),)
        role = roles[r]
        out = []
        if role not in POINT_ROLES + VALUE_ROLES + ("unit", "op"):  # note: left empty
            for rest, end in cells_from(i, r + 1):
                out.append((((i, i),) + rest, end))
            return tuple(out)
        k = run.skip(i)
        if k > run.start and sv.unit_follows(text, k):
            return ()  # a cell does not begin with the unit word of the figure before it
        for j in cell_ends(k, role):
            nxt = cells_from(j, r + 1)
            if r == rt and two_texts_refused and sv.is_value(text[k:j]) == "text":
                t = text[k:j].strip()
                nxt = [(rest, end) for rest, end in nxt if sv.is_value(text[rest[0][0]:rest[0][1]]) != "text"
                       or text[rest[0][0]:rest[0][1]].strip() == t]
            for rest, end in nxt:
                out.append((((k, j),) + rest, end))
        return tuple(out)

    @functools.lru_cache(maxsize=None)
    def rows_from(i: int) -> tuple[tuple[Row, ...], ...]:
        k = run.skip(i)
        if k >= run.end:
            return ((),)
        out: list[tuple[Row, ...]] = []
        if k > run.start and sv.unit_follows(text, k):
            return ()  # nor a name (2021年|12月完成)
        at_start = run.after_hole(k)
        for j in run.ends(k, 80):
            if text[j - 1] in _NOT_IN_NAME:
                break  # no name holds a comparator or a percent sign, nor does any longer one
            name = text[k:j]
            if not _name_ok(name, at_start) or text[j - 1].isdigit() and sv.unit_follows(text, j) \
                    or run.splits_figure(j):
                continue
            if j < run.end and (text[j].isdigit() or text[j] in sv.OPS) and sv.ends_in_figure(name):
                continue  # a run of glued figures is split only between figures, never off a name
            seen: set = set()
            for cells, end in cells_from(j, 0):
                strs = [text[a:b] for a, b in cells]
                ok = row_ok(strs)
                if not ok:
                    continue
                if glued and cells and cells[0][1] > cells[0][0] and sv.is_value(strs[0]) == "text" \
                        and not run.crosses(j, cells[0][0] + 1) and ok is True:
                    # a name glued to a text cell: the boundary between them is not written
                    ok = AMBIGUOUS if _anchored(roles, strs) else False
                row = ((k, j),) + cells + ((AMBIGUOUS,) if ok == AMBIGUOUS else ())
                if ok == AMBIGUOUS:
                    # the splits of one text stretch between target and actual are one
                    # reading that can never be published: keep one of them
                    key = (skeleton(text, roles, row), end)
                    if key[0] is not None and key in seen:
                        continue
                    seen.add(key)
                for rest in rows_from(end):
                    out.append((row,) + rest)
                    if len(out) > CAP:
                        over[0] = True
                        return tuple(out)
        return tuple(out)

    if run.end - run.start > MAX_RUN:
        return None
    try:
        res = rows_from(run.start)
    except RecursionError:
        return None
    if over[0]:
        return None
    return list(dict.fromkeys(res))


def skeleton(text: str, roles: tuple[str, ...], row: Row) -> tuple | None:
    """A row without the split of its qualitative target / actual text: the name, the
    figure and points cells with their roles, and the one stretch of text the value
    columns share.  None when the text cells are not next to each other, or the stretch
    starts where the name ends (that boundary is not written either)."""
    cells = row[1:1 + len(roles)]
    fixed, stretch, last = [], None, None
    for n, (role, (a, b)) in enumerate(zip(roles, cells)):
        if b <= a:
            continue
        if role in VALUE_ROLES and sv.is_value(text[a:b]) == "text":
            if stretch is not None and last != n - 1:
                return None
            stretch = (a, b) if stretch is None else (stretch[0], b)
            last = n
        else:
            fixed.append((role, (a, b)))
    if stretch is not None and stretch[0] == row[0][1]:
        return None
    return row[0], tuple(fixed), stretch


def skeleton_rows(text: str, readings: list | None, roles: tuple[str, ...]) -> list[tuple] | None:
    """The rows of a run whose readings differ only in where a qualitative text splits
    between the target and actual columns: ``(name span, {role: span}, text stretch)``
    each, the same in every reading; None if the readings differ in anything else."""
    if not readings:
        return None
    keys = set()
    for rd in readings:
        sk = tuple(skeleton(text, roles, row) for row in rd)
        if any(x is None for x in sk):
            return None
        keys.add(sk)
    if len(keys) != 1:
        return None
    return [(name, dict(fixed), stretch) for name, fixed, stretch in keys.pop()]


def weight_of(text: str, row: Row, roles: tuple[str, ...]) -> Decimal | None:
    if "weight" not in roles:
        return None
    a, b = row[1 + roles.index("weight")]  # (a trailing AMBIGUOUS mark is past the cells)
    return sv.points(text[a:b])


def group_filter(text: str, readings: list[list[tuple[Row, ...]]], roles: tuple[str, ...],
                 l1_weight: Decimal | None, limit: int = 100000) -> list[list[tuple[Row, ...]]]:
    """Keep the readings of each run that take part in some combination whose weights sum
    to the level-1 weight (Σ 分值 under 产出指标(70分) = 70).  Without a stated weight, or
    when no combination sums (the form's own figures disagree), readings are kept as they are."""
    if l1_weight is None or "weight" not in roles or any(not r for r in readings):
        return readings
    sums = [[sum((weight_of(text, row, roles) or Decimal(0)) for row in rd) for rd in r] for r in readings]
    kept = consistent_readings(
        readings, lambda combo: sum(sums[i][c] for i, c in enumerate(combo)) == l1_weight, limit)
    # none agreeing with the stated weight leaves every list empty: none is sure
    return readings if kept is None else kept


def certain_rows(readings: list | None) -> list[Row]:
    """The rows every reading holds (same cells, same spans), none with an unwritten
    boundary, in reading order."""
    if not readings:
        return []
    common = set(readings[0])
    for rd in readings[1:]:
        common &= set(rd)
    return [row for row in readings[0] if row in common and row[-1] != AMBIGUOUS]


def points_readings(run: Text, roles: tuple[str, ...]) -> list[tuple[Span, ...]] | None:
    """Readings of a 总分 line's glued figures as points under ``roles`` (weight, score)."""
    text = run.text
    out: list[tuple[Span, ...]] = []

    def walk(i: int, r: int, acc: tuple[Span, ...]):
        k = run.skip(i)
        if r == len(roles):
            if k >= run.end:
                out.append(acc)
            return
        for j in run.ends(k, 12):
            if sv.points(text[k:j]) is not None:
                walk(j, r + 1, acc + ((k, j),))
        walk(i, r + 1, acc + ((k, k),))

    walk(run.start, 0, ())
    good = []
    for rd in dict.fromkeys(out):
        v = {role: sv.points(text[a:b]) for role, (a, b) in zip(roles, rd) if b > a}
        if "score" in v and "weight" in v and v["score"] > v["weight"]:
            continue
        good.append(rd)
    if len(good) > 1:  # a figure left out is a reading only when no reading places them all
        full = [rd for rd in good if all(b > a for a, b in rd)]
        good = full or good
    return None if len(good) > CAP else good
