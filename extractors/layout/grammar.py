"""Row grammar for glued cells: every way a run of glued text can be read as table rows,
and the form's own constraints that single one reading out.

A reading is a tuple of rows; a row is a tuple of cell spans ``(start, end)`` into the
text, one per column (an empty cell is ``(p, p)``).  Nothing here decides between two
readings that both satisfy the constraints: the caller refuses such a run.
"""
from __future__ import annotations

import functools
import itertools
from decimal import Decimal

import regex as re

from . import shapes as sh

CAP = 64  # more readings than this: reported as "more than CAP"
MAX_RUN = 2000  # a run between two labels longer than this is not read (reported)
Span = tuple[int, int]
Row = tuple[Span, ...]


class Text:
    """The text of a run with its holes (page markers, fillers) that no cell may cross."""

    def __init__(self, text: str, start: int, end: int, holes: list[Span] = ()):
        self.text, self.start, self.end = text, start, end
        self.holes = sorted(h for h in holes if start <= h[0] < end)

    def skip(self, i: int) -> int:
        """The next position where a cell may start: whitespace and holes skipped."""
        moved = True
        while moved and i < self.end:
            moved = False
            while i < self.end and self.text[i].isspace():
                i += 1
                moved = True
            for a, b in self.holes:
                if a <= i < b:
                    i, moved = b, True
        return min(i, self.end)

    def crosses(self, i: int, j: int) -> bool:
        return any(i < b and a < j for a, b in self.holes)

    def after_hole(self, i: int) -> bool:
        """True if only whitespace separates ``i`` from the end of a hole or the run start."""
        k = i
        while k > self.start and self.text[k - 1].isspace():
            k -= 1
        return k == self.start or any(b == k for _, b in self.holes)

    def ends(self, i: int, limit: int):
        """Cell end positions after ``i`` (the cell ends on a non-space, crosses no hole)."""
        for j in range(i + 1, min(self.end, i + limit) + 1):
            if self.crosses(i, j):
                return
            if not self.text[j - 1].isspace():
                yield j



# ---- indicator rows ----------------------------------------------------------------

POINT_ROLES = ("weight", "score")
VALUE_ROLES = ("target", "actual", "target_adjusted", "item")


_EDGE = "、,，:：;；(（"


def _cell_ok(role: str, s: str, glued: bool) -> bool:
    if role in POINT_ROLES:
        return sh.points(s) is not None
    if role in VALUE_ROLES:
        kind = sh.is_value(s)
        if kind == "text" and (s[0] in _EDGE + ")）" or s[-1] in _EDGE):
            return False  # a cell does not begin or end inside a list (稻谷、)
        return kind is not None
    if role == "unit":
        return len(s) <= 6 and sh.is_shape(s, "text")
    if role == "op":
        return len(s) <= 4 and sh.is_shape(s, "text")
    return not glued  # note / unknown roles: empty in glued text


def _name_ok(s: str, at_start: bool) -> bool:
    if not sh.has_han(s) or len(s) > 80 or sh.is_value(s) in ("quantity", "date"):
        return False  # a name is not a figure (5000吨)
    if any(c in sh.OPS or c in "%％" for c in s) or sh.has_glued_figures(s) or sh.has_bare_number(s):
        return False
    if s[0].isdigit() and not at_start:
        return False  # a name glued to the previous row's number would be ambiguous
    return s[0] not in ")）、,，.。:：;；" and s[-1] not in "(（、,，:：;；"


AMBIGUOUS = "ambiguous"


def _restates(t: str, a: str) -> bool:
    """True if the glued text ``t + a`` is one phrase written twice (显著提升显著提升)."""
    c = re.sub(r"\s+", "", t + a)
    return len(c) % 2 == 0 and c[: len(c) // 2] == c[len(c) // 2:]


def _anchored(roles: tuple[str, ...], cells: list[str]) -> bool:
    """True if the row holds a figure (points, quantity, date): a row with none has no
    written boundary at all, and any Han run could be cut into such rows."""
    return any(c.strip() and (r in POINT_ROLES or sh.is_value(c) in ("quantity", "date"))
               for r, c in zip(roles, cells))


def _row_ok(roles: tuple[str, ...], cells: list[str], l1_weight: Decimal | None,
            glued: bool = True) -> bool | str:
    """True, False, or AMBIGUOUS: the row fits, but a boundary inside it is not written
    (a reading that counts, and can never be published)."""
    vals = dict(zip(roles, cells))
    w, s = sh.points(vals.get("weight") or ""), sh.points(vals.get("score") or "")
    if "weight" in vals and w is None:
        return False
    if w is not None and s is not None and s > w:
        return False
    if w is not None and l1_weight is not None and w > l1_weight:
        return False
    if not glued:
        return True
    t, a = vals.get("target"), vals.get("actual")
    kt, ka = (sh.is_value(t) if t else None), (sh.is_value(a) if a else None)
    if kt == "text" and a and sh.points(a) is not None:
        return False  # a qualitative target is not met by a bare figure: that is a glued score
    verdict: bool | str = True
    # a row with no figure has no written boundary at all: any Han run could be cut into
    # such rows, so they are no reading; a row held by a figure whose text cells cannot be
    # told apart is a reading that can never be published (AMBIGUOUS)
    unsure = AMBIGUOUS if _anchored(roles, cells) else False
    if kt == ka == "text" and roles.index("actual") == roles.index("target") + 1:
        # two qualitative cells glued: only a restatement (显著提升显著提升) is separable
        if t.strip() != a.strip():
            return False if _restates(t, a) else unsure
    for k, role in enumerate(roles[:-1]):
        if roles[k + 1] == "note" and role in VALUE_ROLES and sh.is_value(cells[k]) == "text" and not (
                role == "actual" and (t or "").strip() == cells[k].strip()):
            verdict = unsure  # where a glued text ends and the (unseen) note begins
    return verdict


def indicator_readings(run: Text, roles: tuple[str, ...], glued: bool,
                       l1_weight: Decimal | None) -> list[tuple[Row, ...]] | None:
    """Every reading of ``run`` as indicator rows ``name, *roles``; None if more than CAP."""
    text = run.text
    over = [False]

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
        for j in run.ends(k, 40):
            if role in VALUE_ROLES and sh.unit_follows(text, j):
                continue  # a value keeps the unit word written after its number
            if not _cell_ok(role, text[k:j], glued):
                continue
            for rest, end in cells_from(j, r + 1):
                out.append((((k, j),) + rest, end))
        return tuple(out)

    @functools.lru_cache(maxsize=None)
    def rows_from(i: int) -> tuple[tuple[Row, ...], ...]:
        k = run.skip(i)
        if k >= run.end:
            return ((),)
        out: list[tuple[Row, ...]] = []
        at_start = run.after_hole(k)
        for j in run.ends(k, 80):
            name = text[k:j]
            if not _name_ok(name, at_start) or sh.unit_follows(text, j):
                continue
            if j < run.end and (text[j].isdigit() or text[j] in sh.OPS) and sh.ends_in_figure(name):
                continue  # a run of glued figures is split only between figures, never off a name
            for cells, end in cells_from(j, 0):
                strs = [text[a:b] for a, b in cells]
                ok = _row_ok(roles, strs, l1_weight, glued)
                if not ok:
                    continue
                if glued and cells and cells[0][1] > cells[0][0] and sh.is_value(strs[0]) == "text" \
                        and not run.crosses(j, cells[0][0] + 1) and ok is True:
                    # a name glued to a text cell: the boundary between them is not written
                    ok = AMBIGUOUS if _anchored(roles, strs) else False
                row = ((k, j),) + cells + ((AMBIGUOUS,) if ok == AMBIGUOUS else ())
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


def weight_of(text: str, row: Row, roles: tuple[str, ...]) -> Decimal | None:
    if "weight" not in roles:
        return None
    a, b = row[1 + roles.index("weight")]  # (a trailing AMBIGUOUS mark is past the cells)
    return sh.points(text[a:b])


def group_filter(text: str, readings: list[list[tuple[Row, ...]]], roles: tuple[str, ...],
                 l1_weight: Decimal | None, limit: int = 100000) -> list[list[tuple[Row, ...]]]:
    """Keep the readings of each run that take part in some combination whose weights sum
    to the level-1 weight (Σ 分值 under 产出指标(70分) = 70).  Without a stated weight, or
    when no combination sums (the form's own figures disagree), readings are kept as they are."""
    if l1_weight is None or "weight" not in roles or any(not r for r in readings):
        return readings
    n = 1
    for r in readings:
        n *= len(r)
    if n > limit:
        return readings
    sums = [[sum((weight_of(text, row, roles) or Decimal(0)) for row in rd) for rd in r] for r in readings]
    keep = [set() for _ in readings]
    for combo in itertools.product(*[range(len(r)) for r in readings]):
        if sum(sums[i][c] for i, c in enumerate(combo)) == l1_weight:
            for i, c in enumerate(combo):
                keep[i].add(c)
    if not any(keep):
        return [[] for _ in readings]  # no reading agrees with the stated weight: none is sure
    return [[rd for c, rd in enumerate(r) if c in keep[i]] for i, r in enumerate(readings)]


def certain_rows(readings: list | None) -> list[Row]:
    """The rows every reading holds (same cells, same spans), none with an unwritten
    boundary, in reading order."""
    if not readings:
        return []
    common = set(readings[0])
    for rd in readings[1:]:
        common &= set(rd)
    return [row for row in readings[0] if row in common and row[-1] != AMBIGUOUS]


# ---- fund rows ---------------------------------------------------------------------

MONEY = ("budget_initial", "budget", "budget_full_year", "executed")


def _fund_cell_ok(role: str, s: str) -> bool:
    if role in MONEY:
        return sh.money(s) is not None
    if role == "execution_rate":
        return sh.percent(s) is not None or sh.ratio(s) is not None
    return sh.points(s) is not None


def fund_readings(run: Text, roles: tuple[str, ...],
                  weight: Decimal | None = None) -> list[tuple[Span, ...]] | None:
    """Every reading of a fund line's glued figures as cells under ``roles`` (money columns
    filled from the left, then any of 分值 / 执行率 / 得分), checked by 执行率 = B/A and
    得分 = 分值 × 执行率.  A cell not present is ``(p, p)``."""
    text = run.text
    out: list[tuple[Span, ...]] = []
    if isinstance(run, Spaced):
        toks, k = [], run.skip(run.start)
        while k < run.end:
            j = next(run.ends(k, 0))
            toks.append((k, j))
            k = run.skip(j)
        if len(toks) == len(roles):  # one figure under each header cell: placed by layout
            return [tuple(toks)]

    def walk(i: int, r: int, acc: tuple[Span, ...], money_open: bool):
        if len(out) > CAP:
            return
        k = run.skip(i)
        if r == len(roles):
            if k >= run.end:
                out.append(acc)
            return
        role = roles[r]
        walk(i, r + 1, acc + ((k, k),), money_open and role not in MONEY)  # left empty
        if role in MONEY and not money_open:
            return
        for j in run.ends(k, 24):
            if _fund_cell_ok(role, text[k:j]):
                walk(j, r + 1, acc + ((k, j),), money_open)

    walk(run.start, 0, (), True)
    good = [rd for rd in dict.fromkeys(out) if _fund_row_ok(text, roles, rd, weight)]
    return None if len(good) > CAP else good


def fund_values(text: str, roles: tuple[str, ...], rd: tuple[Span, ...]) -> dict[str, str]:
    return {role: text[a:b] for role, (a, b) in zip(roles, rd) if b > a}


def _fund_row_ok(text: str, roles: tuple[str, ...], rd: tuple[Span, ...],
                 corner_weight: Decimal | None = None) -> bool:
    """执行率 = B/A and 得分 = 分值 × 执行率; the 分值 may be the corner's ``(20分)``."""
    v = fund_values(text, roles, rd)
    budget = next((sh.money(v[r]) for r in ("budget_full_year", "budget", "budget_initial") if r in v), None)
    executed = sh.money(v["executed"]) if "executed" in v else None
    rate = None
    if "execution_rate" in v:
        rate = sh.percent(v["execution_rate"])
        if rate is None:
            rate = sh.ratio(v["execution_rate"])
    weight = sh.points(v["budget_weight"]) if "budget_weight" in v else None
    if weight is None and "budget_weight" not in roles and "budget_score" in v:
        weight = corner_weight
    score = sh.points(v["budget_score"]) if "budget_score" in v else None
    if score is not None and weight is None:
        return False
    if rate is not None:
        if budget is None or executed is None:
            return False  # a rate with nothing to check it against cannot be placed
        if budget:
            unit = Decimal(100) if "%" not in v["execution_rate"] and "％" not in v["execution_rate"] else 1
            tol = Decimal("0.6") * Decimal(10) ** -sh.decimals(v["execution_rate"]) * unit
            if abs(executed / budget * 100 - rate) > tol:
                return False
    if weight is not None and score is not None:
        if score > weight:
            return False
        if rate is not None and abs(weight * rate / 100 - score) > 1:
            return False
    if (weight is not None or score is not None) and rate is None:
        return False
    return True


def fund_block_filter(text: str, roles: tuple[str, ...], lines: list[tuple[bool, list]]) -> list[list]:
    """Σ of the 其中 lines = the total line, per money column: keep the readings of each line
    that take part in a consistent combination (if any).  ``lines`` is (is_sub, readings)."""
    if not lines or lines[0][0] or not any(s for s, _ in lines[1:]):
        return [r for _, r in lines]
    readings = [r for _, r in lines]
    if any(not r for r in readings):
        return readings
    n = 1
    for r in readings:
        n *= len(r)
    if n > 100000:
        return readings
    keep = [set() for _ in readings]

    def amount(rd, role):
        v = fund_values(text, roles, rd).get(role)
        return sh.money(v) if v else None
    for combo in itertools.product(*[range(len(r)) for r in readings]):
        total = readings[0][combo[0]]
        ok = True
        for role in MONEY:
            if role not in roles:
                continue
            t = amount(total, role)
            subs = [amount(readings[i][c], role) for i, c in enumerate(combo) if i and lines[i][0]]
            if t is None:
                if any(s is not None for s in subs):
                    ok = False
                continue
            if sum((s or Decimal(0)) for s in subs) != t:
                ok = False
        if ok:
            for i, c in enumerate(combo):
                keep[i].add(c)
    if not any(keep):
        return readings
    return [[rd for c, rd in enumerate(r) if c in keep[i]] for i, r in enumerate(readings)]


class Spaced(Text):
    """A run whose cells are separated by whitespace: a cell is one token."""

    def ends(self, i: int, limit: int):
        j = i
        while j < self.end and not self.text[j].isspace() and not self.crosses(i, j + 1):
            j += 1
        if j > i:
            yield j


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
            if sh.points(text[k:j]) is not None:
                walk(j, r + 1, acc + ((k, j),))
        walk(i, r + 1, acc + ((k, k),))

    walk(run.start, 0, ())
    good = []
    for rd in dict.fromkeys(out):
        v = {role: sh.points(text[a:b]) for role, (a, b) in zip(roles, rd) if b > a}
        if "score" in v and "weight" in v and v["score"] > v["weight"]:
            continue
        good.append(rd)
    if len(good) > 1:  # a figure left out is a reading only when no reading places them all
        full = [rd for rd in good if all(b > a for a, b in rd)]
        good = full or good
    return None if len(good) > CAP else good
