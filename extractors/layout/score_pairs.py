"""Scoring-sheet rows whose cells a PDF text layer scattered (grid confidence ``score_pairs``).

A framework scoring sheet (项目权重 | 评价内容 | 分值 | 自评分 | 复核分 | 评价标准及依据) copied
from a PDF comes out as one run of tokens in which every multi-line cell (the criteria
text) is cut into pieces and mixed with its neighbours (dev r032: ``项目权重 评价内容 分值 自评分
项目决策 2 分 决策依据 2 2 复核分 评价标准及依据 有项目年度工作计划… 财务制度 3 3 2、项目管理制度 1 分;
… 组织机构 项目管理 13 分 2 2 …``).  What stays whole is each row's name followed by its
two figures (``决策依据 2 2``: 分值, then 自评分) and each level label with its points
(``项目决策 2 分``).  Under a header run on one line of a level column, a name column and
two figure columns, such rows are read, and the level labels are given to them by the
form's arithmetic alone: the rows, in text order, must split into consecutive groups whose
分值 sum to the level labels' points in order (2 = 2; 3 + 2 + 4 + 4 = 13), and a level label
printed in the middle of a group (``组织机构 项目管理 13 分 2 2``) does not move it.  Where no
such split exists, or a row is not certain (a score above its points, a name that is not a
name), nothing is published and the note says why.  The criteria text is left as paragraphs.
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

import regex as re

from .token_rows import TokenTable, Tok, tokens
from .vocab import FIGURE, LEVEL1, LEVEL2, NAME, header_kind

SCORE_PAIRS = "score_pairs"
_NAME = re.compile(r"^[\p{Han}]{2,12}$")
_FIG = re.compile(r"^\d{1,3}(?:\.\d{1,2})?$")
_POINTS = re.compile(r"^分$")


def _fig(t: str) -> Decimal | None:
    if not _FIG.match(t):
        return None
    try:
        return Decimal(t)
    except InvalidOperation:
        return None


def _header(toks: list[Tok]) -> tuple[int, int, list[str]] | None:
    """The first run on one line of header labels whose kinds are [level…] name figure figure."""
    i = 0
    while i < len(toks):
        j = i
        while j < len(toks) and header_kind(toks[j].text) and (j == i or not toks[j].brk):
            j += 1
        kinds = [header_kind(t.text) for t in toks[i:j]]
        if len(kinds) >= 3 and kinds[-3:] == [NAME, FIGURE, FIGURE] and \
                all(k in (LEVEL1, LEVEL2) for k in kinds[:-3]) and LEVEL1 in kinds:
            return i, j, kinds
        i = max(j, i + 1)
    return None


def _level_at(toks: list[Tok], k: int) -> tuple[int, Decimal] | None:
    """``项目决策 2 分`` ending at token ``k`` (the 分): (first token, points)."""
    if k < 2 or not _POINTS.match(toks[k].text):
        return None
    pts = _fig(toks[k - 1].text)
    if pts is None or pts <= 0 or not _NAME.match(toks[k - 2].text):
        return None
    return k - 2, pts


def read_sheet(text: str) -> tuple[list[TokenTable], list[str]]:
    toks = tokens(text)
    head = _header(toks)
    if head is None:
        return [], []
    h0, h1, kinds = head
    stop = next((k for k in range(h1, len(toks)) if header_kind(toks[k].text) in (LEVEL1, LEVEL2, NAME)), len(toks))
    levels: list[tuple[int, int, Decimal]] = []  # (first token, 分 token, points)
    rows: list[tuple[int, int, int, Decimal, Decimal]] = []  # (name, a, b, weight, score)
    notes: list[str] = []
    k = h1
    while k < stop:
        lv = _level_at(toks, k)
        if lv is not None:
            levels.append((lv[0], k, lv[1]))
        a, b = _fig(toks[k].text), _fig(toks[k + 1].text) if k + 1 < stop else None
        if a is not None and b is not None and k + 1 < stop and not toks[k + 1].brk:
            after = toks[k + 2].text if k + 2 < stop else ""
            then = toks[k + 3].text if k + 3 < stop else ""
            if after.startswith("分") or (_fig(after) is not None and not then.startswith("分")):
                k += 1  # '计 2 分' (points of the criteria text), '3 3 3' (which two?)
                continue
            n = k - 1
            lv_before = _level_at(toks, n) if n >= 0 else None
            if lv_before is not None:
                n = lv_before[0] - 1  # 组织机构 项目管理 13 分 2 2: the name before the level label
            if n < h1 or not _NAME.match(toks[n].text) or b > a or a <= 0:
                notes.append(f"score pair {toks[k].text} {toks[k + 1].text} at [{toks[k].a}:{toks[k + 1].b}]: "
                             "no name before it, or a score above its points; sheet not read")
                return [], notes
            rows.append((n, k, k + 1, a, b))
            k += 2
            continue
        k += 1
    if not rows:
        return [], notes
    groups = _partition([r[3] for r in rows], [p for *_x, p in levels])
    if groups is None:
        notes.append(f"scoring sheet at [{toks[h0].a}:{toks[rows[-1][2]].b}]: the points of its {len(rows)} rows "
                     f"({' + '.join(str(r[3]) for r in rows)}) do not split into its level labels' points "
                     f"({', '.join(str(p) for *_x, p in levels)}); not read")
        return [], notes
    level_col = kinds.index(LEVEL1) + 1
    name_col = len(kinds) - 2
    grid = [[(c, t.a, t.b) for c, t in enumerate(toks[h0:h1], start=1)]]
    for r_i, (n, a, b, _w, _s) in enumerate(rows):
        g = groups[r_i]
        first_of_group = r_i == 0 or groups[r_i - 1] != g
        lab = levels[g]
        level = (level_col, toks[lab[0]].a, toks[lab[1]].b) if first_of_group else \
            (level_col, toks[n].a, toks[n].a)
        grid.append([level, (name_col, toks[n].a, toks[n].b), (name_col + 1, toks[a].a, toks[a].b),
                     (name_col + 2, toks[b].a, toks[b].b)])
    notes.append(f"scoring sheet at [{toks[h0].a}:{toks[rows[-1][2]].b}]: {len(rows)} rows under "
                 f"{len(set(groups))} level labels, confirmed by their points")
    return [TokenTable(toks[h0].a, toks[rows[-1][2]].b, grid)], notes


def _partition(weights: list[Decimal], points: list[Decimal]) -> list[int] | None:
    """Group index of each row: consecutive rows summing exactly to each label's points in
    order, every row used; None where no such split exists."""
    out, g, acc = [], 0, Decimal(0)
    for w in weights:
        if g >= len(points):
            return None
        acc += w
        out.append(g)
        if acc == points[g]:
            g, acc = g + 1, Decimal(0)
        elif acc > points[g]:
            return None
    return out if acc == 0 and out else None
