"""Rows for tables whose text lost them: a single-column stream of cells
(layout ``blank_line_cells``: one cell per paragraph).

Rows are rebuilt only where the width is certain: a run of header labels the forms
vocabulary knows (年初预算数 | 全年预算数 | … or 2022年决算数 | 2023年预算数 | … or
编制数 | 实际在职人数 | 控制率) fixes the width, and the cells after it are taken as rows
of that width for as long as every row reads as a label followed by figures (or empty
cells).  Everything else stays a one-cell row, which the parsers leave unclaimed and
the section status reports.
"""
from __future__ import annotations

import dataclasses

from normalizers import parse_quantity

from ..model import Block, Table
from .common import Ctx, fold, match_header_exact, match_role, vocab
from .funds import breakdown_head, is_label_value

_PLACEHOLDERS = {"/", "-", "—", "……", "…", "无"}


def table_rows(ctx: Ctx, table: Table) -> list[list[Block]]:
    """The rows of a table, rebuilt for single-column streams."""
    if table.n_cols == 1 and len(table.cells) > 3:
        return regroup(ctx, [r[0] for r in table.rows()])
    return table.rows()


def _role(text: str) -> str | None:
    v = vocab()
    t = fold(text)
    if not t or len(t) > 16:
        return None
    return (match_header_exact(t, v["fund_columns"]) or match_header_exact(t, v["fund_fact_columns"])
            or match_role(t, v["staff_columns"])
            or (match_role(t, v["expenditure_measures"]) if any(ch.isdigit() for ch in t) else None))


def _is_figure(b: Block) -> bool:
    t = fold(b.text)
    if not t or t in _PLACEHOLDERS:
        return True
    return parse_quantity(t).value is not None


def _is_label(b: Block) -> bool:
    t = fold(b.text)
    return bool(t) and parse_quantity(t).value is None and _role(t) is None


def regroup(ctx: Ctx, cells: list[Block]) -> list[list[Block]]:
    out: list[list[Block]] = []
    n = len(cells)
    row_no = 0
    i = 0
    goal_exp = {fold(x) for x in vocab()["goal_headers"]["expected"]}
    goal_act = {fold(x) for x in vocab()["goal_headers"]["actual"]}
    while i < n:
        # 年度总体目标 | 预期目标 | 实际完成情况, then the expected and actual texts
        if i + 2 < n and fold(cells[i + 1].text) in goal_exp and fold(cells[i + 2].text) in goal_act:
            row_no += 1
            out.append([ctx.view(cells[i + j], row_no, j + 1) for j in range(3)])
            i += 3
            texts = [c for c in cells[i:i + 2] if fold(c.text) and not _role(c.text)]
            if texts and texts[0] is cells[i]:
                row_no += 1
                out.append([ctx.view(c, row_no, j + 2) for j, c in enumerate(texts)])
                i += len(texts)
            continue
        k = 0
        while i + 1 + k < n and _role(cells[i + 1 + k].text):
            k += 1
        if k >= 2 and (not fold(cells[i].text) or not _is_figure(cells[i])):
            row_no += 1
            out.append([ctx.view(cells[i + j], row_no, j + 1) for j in range(k + 1)])
            i += k + 1
            # the values of a header whose label spans two rows come without a label
            if i + k <= n and all(_is_figure(c) and fold(c.text) for c in cells[i:i + k]):
                row_no += 1
                out.append([ctx.view(cells[i + j], row_no, j + 2) for j in range(k)])
                i += k
                continue
            while i + k < n and _is_label(cells[i]) and all(_is_figure(c) for c in cells[i + 1:i + k + 1]):
                row_no += 1
                out.append([ctx.view(cells[i + j], row_no, j + 1) for j in range(k + 1)])
                i += k + 1
            # 按收入性质分 | 按支出性质分, then pairs of ``label：value`` cells
            if i + 1 < n and breakdown_head(cells[i].text) and breakdown_head(cells[i + 1].text):
                while i + 1 < n and all(not fold(c.text) or breakdown_head(c.text) or is_label_value(c.text)
                                        for c in cells[i:i + 2]):
                    row_no += 1
                    out.append([ctx.view(cells[i + j], row_no, j + 2) for j in range(2)])
                    i += 2
            continue
        row_no += 1
        out.append([ctx.view(cells[i], row_no, 1)])
        i += 1
    return out


def view(block: Block, row: int, col: int) -> Block:
    return dataclasses.replace(block, row=row, col=col)
