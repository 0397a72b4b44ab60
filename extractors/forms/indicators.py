"""The indicator table (绩效指标) shared by self-evaluation and target forms.

Columns are found from the header labels (``columns.yaml``: indicator_columns).  Merged
cells are handled by meaning: the 一级/二级 labels carry down; a label is recognised
by the category vocabulary even when the text shifted it a column (seed 004); a row
shorter than the header (web pages that drop the empty cells of a merge) has its level
labels taken from the left by vocabulary and its other cells aligned to the remaining
columns in order.
"""
from __future__ import annotations

import dataclasses

from normalizers import (clean_indicator_name, normalize_level1, normalize_level2,
                         parse_decimal, parse_quantity, parse_sentence_quantity)

from ..model import Block
from ..tables import Header, build_header, dense_rows, find_header, is_positional
from ..tables.align import align
from .common import read, Ctx, fold, vocab

LEVEL_ROLES = ("level1", "level2")


def _accept(h: Header) -> bool:
    return _viable(set(h.roles.values()))


def _viable(roles: set[str]) -> bool:
    """The roles an indicator header needs (true for any superset of them too)."""
    return len(roles) >= 3 and ("level1" in roles or "level2" in roles) and (
        "name" in roles or "target" in roles)


def indicator_header(rows: list[list[Block]], i: int, dense=None) -> Header | None:
    """The header model of an indicator table starting at ``rows[i]`` (one to three
    header rows), or None.  ``dense``: ``dense_rows(rows)`` where the caller has it."""
    if not rows[i] or not any(fold(c.text) for c in rows[i]):
        return None
    return find_header(rows, i, vocab()["indicator_columns"], _accept, viable=_viable, dense=dense)


def header_roles(row: list[Block]) -> dict[int, str]:
    """Roles of a one-row header, by column (for callers holding one row)."""
    h = find_header([row], 0, vocab()["indicator_columns"], lambda h: True, max_rows=1)
    return h.roles if h else {}


def is_indicator_header(row: list[Block]) -> bool:
    return indicator_header([row], 0) is not None


def looks_like_indicator_row(row: list[Block]) -> bool:
    """A body row of an indicator table seen without its header: a name and figures
    (``公益性讲座知晓率 | = | 100 | % | 100 | 5 | 5``)."""
    from ..tables import cell_shape
    shapes = [cell_shape(c.content) for c in row if fold(c.text)]
    return (len(shapes) >= 3 and "text" in shapes[:3] and sum(s == "points" for s in shapes) >= 1
            and not is_total_row(row))


def template_for(rows: list[list[Block]], n: int = 3) -> Header | None:
    """The known template (``indicator_templates``) whose columns fit the first ``n``
    indicator-like rows by shape; None unless exactly one fits."""
    from ..tables.align import NEG, align
    v = vocab()
    sample = [r for r in rows[:n] if looks_like_indicator_row(r)]
    if not sample:
        return None
    fits = []
    for name, labels in v["indicator_templates"].items():
        hdr = [Block("cell", lab, 0, 0, table_no=0, row=0, col=k + 1) for k, lab in enumerate(labels)]
        h = build_header([hdr], 0, 1, v["indicator_columns"])
        order = [r for _, r in sorted((c, r) for c, r in h.roles.items() if r not in LEVEL_ROLES)]
        ok = True
        for row in sample:
            rest = [c for c in row if fold(c.text)]
            while rest and (_known(normalize_level1(rest[0].content)) or _known(normalize_level2(rest[0].content))):
                rest.pop(0)
            placed, _ = align([c.content for c in rest], order, v.get("indicator_shapes", {}),
                              frozenset(v.get("indicator_sparse", ())))
            if len(rest) > len(order) or None in placed or not _fits_all(rest, placed, order, v):
                ok = False
                break
        if ok:
            fits.append(h)
    return fits[0] if len(fits) == 1 else None


def _fits_all(rest, placed, order, v) -> bool:
    from ..tables import cell_shape
    shapes = v.get("indicator_shapes", {})
    return all(cell_shape(c.content) in shapes.get(order[j], [cell_shape(c.content)]) + ["empty"]
               for c, j in zip(rest, placed))


def is_total_row(row: list[Block]) -> bool:
    first = next((fold(c.text) for c in row if fold(c.text)), "")
    return first in {fold(t) for t in vocab()["total_labels"]}


def _known(res) -> bool:
    """A category label: canonical, or another scheme's kept as written (环境效益)."""
    return bool(res and (res.known or res.other_scheme))


def parse_indicator_table(ctx: Ctx, rows: list[list[Block]], start: int, *,
                          with_actual: bool = True, header: Header | None = None) -> int:
    """Parse the indicator table whose header starts at ``rows[start]``; return the
    index of the first row after it."""
    header = header or indicator_header(rows, start)
    if header is None:
        return start + 1
    roles = header.roles
    ctx.evidence.setdefault("indicator_header", header)
    if "actual" in roles.values() or "score" in roles.values():
        ctx.evidence["actual_column"] = True
    for k in range(header.start, header.end):
        ctx.claim(*rows[k])
    first = len(ctx.indicators)
    end = _body(ctx, rows, header, with_actual)
    for rec in ctx.indicators[first:]:
        rec["horizon"] = "annual"
    long_term = long_term_header(header)
    if long_term is not None:
        # the long-term twins of the annual columns (指标值(长期) beside 指标值(年度)): their
        # rows are published with horizon long_term, after this year's
        n = len(ctx.indicators)
        _body(ctx, rows, long_term, with_actual=False)
        last = max((r["row_no"] for r in ctx.indicators[first:n]), default=0)
        for k, rec in enumerate(ctx.indicators[n:], start=1):
            rec["horizon"], rec["row_no"] = "long_term", last + k
        ctx.notes.append("long-term columns " + ", ".join(
            "/".join(c.path) for c in long_term.columns if c.role and c.qualifiers.get("horizon") in LONG_TERM)
            + f" read as horizon long_term ({len(ctx.indicators) - n} rows)")
    return end


LONG_TERM = ("长期", "中期")


def long_term_header(header: Header) -> Header | None:
    """The header read for the long-term columns: each long-term column (horizon 长期/中期,
    left without a role) takes the role of the annual column with the same path; the
    annual column gives it up; columns of no horizon (一级指标) keep theirs.  None
    without such a twin."""
    twins = {}
    for c in header.columns:
        if c.role is None and c.qualifiers.get("horizon") in LONG_TERM:
            annual = next((a for a in header.columns if a.role and a.path == c.path
                           and a.qualifiers.get("horizon") not in LONG_TERM), None)
            if annual is not None:
                twins[annual.col] = c.col
    if not twins:
        return None
    roles_by_col = {a: header.role_at(a) for a in twins}
    columns = []
    for c in header.columns:
        if c.col in twins:
            columns.append(dataclasses.replace(c, role=None))
        elif c.col in twins.values():
            annual = next(a for a, lt in twins.items() if lt == c.col)
            columns.append(dataclasses.replace(c, role=roles_by_col[annual]))
        else:
            columns.append(c)
    return Header(start=header.start, end=header.end, width=header.width, columns=columns)


def _body(ctx: Ctx, rows: list[list[Block]], header: Header, with_actual: bool) -> int:
    """Read the body rows under ``header``; the index of the first row after them."""
    roles = header.roles
    l1_col, l2_col = header.col_of("level1"), header.col_of("level2")
    header_max = header.width
    data_roles = sorted((c, r) for c, r in roles.items() if r not in LEVEL_ROLES)
    first_data_col = data_roles[0][0] if data_roles else header_max + 1
    dense = dense_rows(rows)
    has_merges = any((b.rowspan or 1) > 1 for r in rows for b in r)
    shapes = vocab().get("indicator_shapes", {})
    sparse = frozenset(vocab().get("indicator_sparse", ()))

    level1 = level2 = None  # (LabelResult, block)
    row_no = 0
    i = header.end
    while i < len(rows):
        row = rows[i]
        if not row:
            i += 1
            continue
        if is_total_row(row):
            _totals(ctx, row, header)
            i += 1
            break
        if indicator_header(rows, i, dense) is not None:
            break
        positional = is_positional(row, dense[i], header_max, has_merges)
        missing: set[str] = set()
        if positional:
            left = [c for c in row if c.col < first_data_col]
            right = {}
            for c in row:
                r = header.role_at(c.col)
                if r and r not in LEVEL_ROLES and c.col >= first_data_col and r not in right:
                    right[r] = c
            missing = {r for _, r in data_roles if r not in right}
        else:  # collapsed merge: level labels from the left by vocabulary, rest by shape
            left, rest = [], list(row)
            while rest and (_known(normalize_level1(rest[0].content)) or _known(normalize_level2(rest[0].content))):
                left.append(rest.pop(0))
            order = [r for _, r in data_roles]
            placed, ambiguous = align([c.content for c in rest], order, shapes, sparse)
            right = {order[j]: c for c, j in zip(rest, placed) if j is not None}
            if len(rest) > len(data_roles):
                ctx.notes.append(f"row {row[0].row} of table {row[0].table_no} has more cells than its header")
            elif ambiguous and len(rest) < len(data_roles) and len(rest) > 1:
                ctx.notes.append(f"row {row[0].row} of table {row[0].table_no}: {len(rest)} cells for "
                                 f"{len(data_roles)} columns, placed left to right among equal readings")
        for c in left:
            if not fold(c.text):
                ctx.claim(c)
                continue
            r1, r2 = normalize_level1(c.content), normalize_level2(c.content)
            if _known(r1) and _known(r2) and not positional:
                # collapsed row: 成本指标 under 产出指标 is a level 2, else a level 1
                is_l1 = not (level1 is not None and level1[0].code == "output" and c is not left[0]) \
                    and not (level1 is not None and level1[0].code == "output" and len(left) == 1)
            elif _known(r1) and _known(r2):
                is_l1 = c.col == l1_col or (l1_col is not None and c.col < l1_col) or (l2_col is not None and c.col < l2_col and c.col != l2_col)
                if c.col == l2_col:
                    is_l1 = False
            elif _known(r1):
                is_l1 = True
            elif _known(r2):
                is_l1 = False
            elif "绩效指标" in fold(c.text) or "绩效目标" in fold(c.text):
                ctx.claim(c)  # the table's own vertical label (年度绩效指标)
                continue
            elif c.col == l1_col:
                is_l1 = True
            elif c.col == l2_col:
                is_l1 = False
            else:
                ctx.notes.append(f"unrecognised label {read(c)!r} left of the indicator columns")
                continue
            if is_l1:
                level1, level2 = (r1, c), None
            else:
                level2 = (r2, c)
            ctx.claim(c)

        def cell(role: str) -> Block | None:
            return right.get(role)

        name_b, target_b, actual_b = cell("name"), cell("target"), cell("actual")
        weight_b, score_b, note_b = cell("weight"), cell("score"), cell("note")
        item_b, op_b, unit_b = cell("item"), cell("op"), cell("unit")
        if not any(b is not None and fold(b.text) for b in (name_b, target_b, actual_b, weight_b, score_b)):
            ctx.claim(*row)
            i += 1
            continue
        row_no += 1
        target_raw = _combined(op_b, target_b, unit_b)
        if target_raw is None and "target" in missing:
            target_raw = ""  # a grid position with no cell: an empty cell
        actual_raw = read(actual_b) if actual_b is not None else ("" if "actual" in missing else None)
        # a position the layout could not read (Block.unread) publishes nothing, not an empty value
        target_unread, actual_unread = (b is not None and b.unread for b in (target_b, actual_b))
        if target_unread:
            target_raw = None
        if actual_unread:
            actual_raw = None
        unit_hint = read(unit_b) if unit_b is not None and fold(unit_b.text) else None
        tq = _value(target_raw) if target_raw is not None else None
        aq = None
        if (actual_b is not None or "actual" in missing) and not actual_unread:
            aq = _value(_combined(None, actual_b, unit_b) or "")
        l1, l1b = level1 if level1 else (None, None)
        l2, l2b = level2 if level2 else (None, None)
        name_raw = read(name_b) if name_b is not None else None
        rec = {
            "row_no": row_no,
            "level1": l1.name if l1 else None, "level1_code": l1.code if l1 else None,
            "level1_raw": read(l1b) if l1 else None, "level1_weight": l1.weight if l1 else None,
            "level2": l2.name if l2 else None, "level2_code": l2.code if l2 else None,
            "level2_raw": read(l2b) if l2 else None,
            "name": clean_indicator_name(name_raw) if name_raw is not None else None,
            "name_raw": name_raw,
            "item": read(item_b) or None if item_b is not None else None,
            "target_raw": target_raw,
            "actual_raw": actual_raw if with_actual else None,
            "weight": (parse_decimal(fold(weight_b.text)) if weight_b is not None
                       else _name_weight(name_raw) if "weight" not in roles.values() else None),
            "score": parse_decimal(fold(score_b.text)) if score_b is not None else None,
            "deviation_note": (read(note_b) or None) if note_b is not None else None,
            "name_block": name_b, "target_block": target_b, "actual_block": actual_b,
            "weight_block": weight_b, "score_block": score_b,
            "level1_block": l1b, "level2_block": l2b,
        }
        for prefix, q in (("target", tq), ("actual", aq)):
            for f in ("op", "value", "upper", "unit", "kind", "subject", "direction", "date_from", "date_to"):
                rec[f"{prefix}_{f}"] = getattr(q, f) if q is not None else None
        if unit_hint and tq is not None and tq.unit is None and tq.kind not in ("text", "na"):
            rec["target_unit"] = unit_hint
        ctx.indicators.append(rec)
        ctx.claim(*row)
        i += 1
    return i


def _value(text: str):
    """A target / actual cell: a quantity cell, else the one figure a sentence states
    (``实施基本药物制度补助村卫生室352个。`` → ``=`` 352 个), else qual."""
    q = parse_quantity(text, unit_hint=None)
    if q.op == "qual":
        q = parse_sentence_quantity(text) or q
    return q


def _name_weight(name_raw: str | None):
    """A scoring sheet's weight written after the name (``目标 内容 (4分)``, r007)."""
    from normalizers.label_match import split_qualifiers
    return split_qualifiers(name_raw)[1].get("weight") if name_raw else None


def _combined(op_b: Block | None, value_b: Block | None, unit_b: Block | None) -> str | None:
    """Target text from split columns (指标性质 | 指标值 | 度量单位) or one cell."""
    if value_b is None:
        return None
    if not fold(value_b.text):
        return read(value_b)  # an empty value stays empty: no unit or comparator alone
    parts = []
    if op_b is not None and fold(op_b.text) and fold(op_b.text) not in ("定性", "定量", "正向", "反向"):
        parts.append(read(op_b))
    parts.append(read(value_b))
    if unit_b is not None and fold(unit_b.text) and not read(value_b).endswith(read(unit_b)):
        parts.append(read(unit_b))
    return "".join(parts) if len(parts) > 1 else read(value_b)


def _totals(ctx: Ctx, row: list[Block], header: Header | None = None) -> None:
    nums = [(c, parse_decimal(fold(c.text))) for c in row]
    nums = [(c, v) for c, v in nums if v is not None]
    ctx.claim(*row)
    by_role = {header.role_at(c.col): (c, v) for c, v in nums} if header is not None else {}
    if header is not None and set(by_role) & {"weight", "score"} and set(by_role) <= {"weight", "score", "actual", "target"}:
        if "weight" in by_role:
            ctx.meta["total_weight"], ctx.meta["total_weight_block"] = by_role["weight"][1], by_role["weight"][0]
        if "score" in by_role:
            ctx.meta["total_score"], ctx.meta["total_block"] = by_role["score"][1], by_role["score"][0]
        return
    if len(nums) >= 2:
        ctx.meta["total_weight"], ctx.meta["total_score"] = nums[0][1], nums[1][1]
        ctx.meta["total_weight_block"], ctx.meta["total_block"] = nums[0][0], nums[1][0]
    elif len(nums) == 1:
        ctx.meta["total_score"], ctx.meta["total_block"] = nums[0][1], nums[0][0]
