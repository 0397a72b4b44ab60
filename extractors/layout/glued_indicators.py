"""Glued cells of indicator tables: the header runs (指标名称 分值 年度指标值 实际完成值 ...),
the level-1 / level-2 categories and the rows read from the run between labels."""
from __future__ import annotations

import regex as re

from . import glued_categories as cats
from . import grammar as gr
from . import grammar_indicators as gri
from . import shape_values as sv
from . import shapes as sh
from .glued_cells import BODY, Builder, l1_weight, spaced_labels


def header_runs(labels: list[sh.Label], text: str) -> list[list[sh.Label]]:
    """Header labels that follow each other with nothing but whitespace between them and
    name a name column and a target or actual column: the header rows of indicator tables."""
    runs, cur = [], []
    for lab in labels:
        if lab.kind == sh.HEADER and cur and not text[cur[-1].end:lab.start].strip():
            cur.append(lab)
            continue
        gap = sh.gap_label(text, cur[-1].end, lab.start, sh.HEADER) if lab.kind == sh.HEADER and cur else None
        if gap is not None:  # a header label OCR garbled, between two it did not
            cur += [gap, lab]
            continue
        runs.append(cur)
        cur = [lab] if lab.kind == sh.HEADER else []
    runs.append(cur)
    out = []
    for r in runs:
        roles = [x.role for x in r]
        if len(r) >= 3 and "name" in roles and ({"target", "actual"} & set(roles)):
            out.append(r)
    return out


def read_indicators(bd: Builder, header: list[sh.Label]) -> int:
    """An indicator table: its header run, then the rows under the level-1 / level-2
    labels read by the row grammar (rows every reading agrees on; the rest refused) and
    the 总分 line.  Returns where the body ends."""
    text = bd.text
    bd.cells([(x.start, x.end) for x in header])
    roles_all = [x.role for x in header]
    name_col = roles_all.index("name")
    roles = tuple(roles_all[name_col + 1:])
    spaced = spaced_labels(text, header)
    col_of = {r: i for i, r in enumerate(roles_all)}
    body_start = header[-1].end
    labs = sh.find_labels(text, body_start, bd.end, BODY)
    end_lab = next((x for x in labs if x.kind in (sh.END, sh.META)), None)
    body_end = end_lab.start if end_lab else bd.end
    holes = cats.holes(bd, body_start, body_end)
    labs = cats.categories(cats.across_markers(bd, [x for x in labs if x.start < body_end], body_start, body_end),
                           text, body_start)
    # segments: (kind, l1 label, l2 label, run start, run end)
    segs: list[tuple] = []
    l1 = l2 = None
    bounds = labs + [None]
    for i, lab in enumerate(bounds):
        s0 = body_start if i == 0 else labs[i - 1].end
        e0 = lab.start if lab else body_end
        prev = labs[i - 1] if i else None
        if prev is not None and prev.kind == sh.TOTAL:
            segs.append(("total", None, prev, s0, e0))
        elif _blank(text, s0, e0, holes) is False:
            segs.append(("rows", l1, l2, s0, e0))
        elif prev is not None and (prev.kind == sh.LEVEL2 or prev.kind == sh.LEVEL1 and (
                lab is None or lab.kind != sh.LEVEL2)):
            segs.append(("rows", l1, l2, s0, s0))  # a category with no rows
        if lab is None:
            break
        kind = lab.kind
        nxt = bounds[i + 1]
        if kind == sh.LEVEL1 and lab.role in sh.vocab()["level2"].values() and l1 is not None \
                and ("分" not in lab.text or cats.sub_weight(l1, l2, lab)) and l1.role != lab.role and not (
                    nxt is not None and nxt.kind == sh.LEVEL2 and not text[lab.end:nxt.start].strip()):
            kind = sh.LEVEL2  # 成本指标 under 产出指标; a level 1 when a level 2 follows it
        if kind == sh.LEVEL1:
            l1, l2 = lab, None
        elif kind == sh.LEVEL2:
            l2 = lab
        elif kind == sh.ROW_LABEL:
            segs.append(("row_label", None, lab, lab.start, lab.end))
        elif kind == sh.TOTAL:
            l1 = l2 = None
    readings: dict[int, list | None] = {}
    for n, (k, a1, a2, s, e) in enumerate(segs):
        if k == "rows" and e > s:
            w = l1_weight(a1)
            run = (gr.Spaced if spaced else gr.Text)(text, s, e, holes)
            readings[n] = gri.indicator_readings(run, roles, not spaced, w)
    # Σ weights under each level-1 label
    by_l1: dict[int, list[int]] = {}
    for n, (k, a1, a2, s, e) in enumerate(segs):
        if n in readings and readings[n] is not None and a1 is not None:
            by_l1.setdefault(id(a1), []).append(n)
    for ns in by_l1.values():
        a1 = segs[ns[0]][1]
        all_known = all(readings.get(m) is not None for m, g in enumerate(segs)
                        if g[1] is a1 and m in readings)
        if not all_known:
            continue
        kept = gri.group_filter(text, [readings[m] for m in ns], roles, l1_weight(a1))
        for m, r in zip(ns, kept):
            readings[m] = r
    shown_l1, shown_l2 = set(), set()
    width = len(roles_all)
    for n, (k, a1, a2, s, e) in enumerate(segs):
        if k == "row_label":  # repeated at a page break: not a row
            bd.para(a2.start, a2.end)
            continue
        if k == "total":
            _total(bd, a2, s, e, roles_all, col_of, spaced)
            continue
        def cat(lab, shown):
            if lab is None or id(lab) in shown:
                return None
            shown.add(id(lab))
            return (lab.start, lab.end)
        rds = readings.get(n)
        certain = gri.certain_rows(rds)
        why = ("row: run too long to read" if rds is None and e - s > gr.MAX_RUN else
               f"row: more than {gr.CAP} readings" if rds is None else
               f"row: {len(rds)} readings" if len(rds) > 1 else
               "row: a cell boundary not written" if rds else
               "row: no reading agrees with the shapes and the level-1 weight")
        skel = gri.skeleton_rows(text, rds, roles) if rds and not certain else None
        if skel is not None:
            _skeleton(bd, skel, s, e, holes, width, col_of, name_col, (cat(a1, shown_l1), cat(a2, shown_l2)))
            continue
        if e == s or not certain:
            c1, c2 = cat(a1, shown_l1), cat(a2, shown_l2)
            if c1 or c2:
                row = [(s, s)] * width
                if c1 and "level1" in col_of:
                    row[col_of["level1"]] = c1
                if c2 and "level2" in col_of:
                    row[col_of["level2"]] = c2
                bd.cells(row)
            if e > s:
                bd.refuse(s, e, why)
            continue
        cursor = s
        for row_cells in certain:  # rows every reading agrees on; the rest refused
            if text[cursor:row_cells[0][0]].strip():
                bd.refuse(cursor, row_cells[0][0], why)
            cursor = max(b for _, b in row_cells)
            row = [(row_cells[0][0], row_cells[0][0])] * width
            c1, c2 = cat(a1, shown_l1), cat(a2, shown_l2)
            if "level1" in col_of:
                row[col_of["level1"]] = c1 or (row_cells[0][0], row_cells[0][0])
            if "level2" in col_of:
                row[col_of["level2"]] = c2 or (row_cells[0][0], row_cells[0][0])
            row[name_col] = row_cells[0]
            for r, span in zip(roles, row_cells[1:]):
                row[col_of[r]] = span
            bd.cells(row, unread=_garbled(bd, row))
        if _blank(text, cursor, e, holes):
            bd.para(cursor, e)
        else:
            bd.refuse(cursor, e, why)
    bd.close_table()
    return body_end


def _garbled(bd: Builder, row: list[tuple[int, int]]) -> tuple[int, ...]:
    """The positions of a row holding a figure OCR garbled with a letter (M.8万元): kept
    as written, no value published from them, and noted."""
    out = []
    for k, (a, b) in enumerate(row):
        if b > a and sv.is_value(bd.text[a:b]) == "garbled" and not sv.has_han(bd.text[a:b].rstrip("万亿千元")) \
                or b > a and sv.ocr_points(bd.text[a:b]) is not None:
            out.append(k)
            bd.notes.append(f"glued cell: figure garbled by OCR, not read {bd.text[a:b]} [{a}:{b}]")
    return tuple(out)


def _skeleton(bd: Builder, skel, s, e, holes, width, col_of, name_col, cats) -> None:
    """Rows whose qualitative text could sit in the target or the actual column: the
    name, figure and points cells are published, the value columns left empty, and the
    text refused with its reason."""
    text = bd.text
    cursor = s
    for name, fixed, stretch in skel:
        if not _blank(text, cursor, name[0], holes):
            bd.refuse(cursor, name[0], "row: a cell boundary not written")
        row = [(name[0], name[0])] * width
        for lvl, c in zip(("level1", "level2"), cats):
            if c and lvl in col_of:
                row[col_of[lvl]] = c
        cats = (None, None)
        row[name_col] = name
        for role, span in fixed.items():
            row[col_of[role]] = span
        unread = tuple(col_of[r] for r in gri.VALUE_ROLES if r in col_of and r not in fixed) if stretch else ()
        bd.cells(row, unread=unread + _garbled(bd, row))
        ends = [b for _, b in fixed.values()] + [name[1]]
        if stretch is not None:
            bd.refuse(*stretch, "row: whether this text is the target or the actual value is not written")
            ends.append(stretch[1])
        cursor = max(ends)
    if _blank(text, cursor, e, holes):
        bd.para(cursor, e)
    else:
        bd.refuse(cursor, e, "row: a cell boundary not written")


_FIGURES = re.compile(r"[\d.\s分]*")


def _blank(text: str, a: int, b: int, holes) -> bool:
    """True if ``text[a:b]`` holds nothing but whitespace and holes (placeholder rows,
    page markers)."""
    pos = a
    for x, y in holes:
        if y <= a or x >= b:
            continue
        if text[pos:x].strip():
            return False
        pos = max(pos, y)
    return not text[pos:b].strip()


def _total(bd: Builder, lab, s, e, roles_all, col_of, spaced) -> None:
    text = bd.text
    roles = tuple(r for r in ("weight", "score") if r in col_of)
    m = _FIGURES.match(text, s, e)  # the 总分 line's figures; words after them are not its cells
    tail = m.end() if m and m.end() > s and sv.has_han(text[m.end():e]) else e
    tail = bd.trim(s, tail)[1] if tail < e else e
    run = (gr.Spaced if spaced else gr.Text)(text, s, tail)
    rds = gri.points_readings(run, roles)
    row = [(lab.end, lab.end)] * len(roles_all)
    row[0] = (lab.start, lab.end)
    if rds is not None and len(rds) == 1:
        for r, span in zip(roles, rds[0]):
            row[col_of[r]] = span
        bd.cells(row)
    else:
        bd.cells(row[:1])
        bd.refuse(s, tail, f"total: {len(rds) if rds is not None else 'many'} readings")
    if tail < e:
        bd.para(tail, e)
