"""Glued cells of funds blocks: 资金 corner | 年初预算数 全年预算数 全年执行数 分值 执行率
得分 and the fund lines (年度资金总额, 其中：财政拨款 ...) under them."""
from __future__ import annotations

import regex as re

from . import grammar as gr
from . import grammar_funds as grf
from . import shapes as sh
from .glued_cells import TOP, Builder, l1_weight, spaced_labels

SUB_ITEM = re.compile(r"其中\s*[:：]\s*[^\d\s≥≤%:：]{1,24}?(?=[\d\s]|$)")
_KEY_AMOUNT = re.compile(r"[(（;；)）,，\s]*(?P<label>(?:其中\s*[:：]\s*)?(?:[一二三四五六七八九十]+、)?"
                         r"\p{Han}{1,12}\s*[:：]?)(?=\s*\d)")
_FIGURES = re.compile(r"[\d.%％‰,，\s万元—\-－/]*(?<=[\d%％‰元—\-－/])|")


def read_funds(bd: Builder, corner: sh.Label) -> int:
    """A funds block: the corner label, its column labels, and each fund line's figures
    read under the columns (refused where more than one reading fits).  Returns where it ends."""
    text = bd.text
    lead = lead_item(bd, corner)
    after = corner if lead is None else sh.Label(lead[0], lead[1], sh.FUND_CORNER, "corner", text[lead[0]:lead[1]])
    cols, pos = fund_header(bd, after)
    roles = tuple(c.role for c in cols) or ("budget",)
    bd.cells([(corner.start, corner.end)] + [(c.start, c.end) for c in cols])
    spaced = len(cols) > 1 and spaced_labels(text, cols)
    lines = []  # (label span, run span, is_sub)
    while True:
        p = bd.skip_ws(pos)
        item = fund_item(bd, p)
        figs_from = None
        if lead is not None and not lines:  # the line label read before the header
            item, figs_from = lead, pos
        if item is None and roles == ("budget",):
            # one amount column (资金总额及构成): any 'label:' line with its amount
            m = _KEY_AMOUNT.match(text, p, bd.end)
            item = m.span("label") if m else None
        if item is None:
            break
        run_start = item[1] if figs_from is None else figs_from
        nxt_item = sh.first_label(text, run_start, bd.end, (sh.FUND_ITEM,) + TOP)
        run_end = nxt_item.start if nxt_item else bd.end
        m = SUB_ITEM.search(text, run_start, run_end)
        run_end = m.start() if m else run_end
        figs = _FIGURES.match(text, run_start, run_end)  # a fund line holds figures only
        run_end = figs.end() if figs else run_start
        sub = lines != [] and True
        lines.append(((item[0], item[1]), (run_start, run_end), sub))
        pos = run_end
    readings = []
    for (la, lb), (ra, rb), sub in lines:
        run = gr.Text(text, ra, rb)
        if spaced:
            run = gr.Spaced(text, ra, rb)
        rds = grf.fund_readings(run, roles, l1_weight(corner)) if rb > ra else [tuple((ra, ra) for _ in roles)]
        if rds and not sub and "execution_rate" in roles:
            # the total line of a block that states a rate fills every column
            rds = [rd for rd in rds if all(b > a for a, b in rd)]
        readings.append((sub, rds))
    kept = grf.fund_block_filter(text, roles, [(s, r or []) for s, r in readings])
    for ((la, lb), (ra, rb), _), (_, raw), rds in zip(lines, readings, kept):
        if raw is None:
            bd.cells([(la, lb)])
            bd.refuse(ra, rb, f"figures: more than {gr.CAP} readings")
        elif len(rds) == 1:
            bd.cells([(la, lb)] + list(rds[0]))
        else:
            bd.cells([(la, lb)])
            bd.refuse(ra, rb, f"figures: {len(rds)} readings")
    return pos


def fund_header(bd: Builder, corner: sh.Label) -> tuple[list[sh.Label], int]:
    """The column labels after the corner (a run between two of them that no label matches
    is read by ``shapes.gap_label``, or ends the header), and where they end."""
    cols, pos = [], corner.end
    while True:
        p = bd.skip_ws(pos)
        labs = sh.find_labels(bd.text, p, min(bd.end, p + 40), (sh.FUND_COL,))
        if labs and labs[0].start != p and cols:
            gap = sh.gap_label(bd.text, p, labs[0].start, sh.FUND_COL)
            if gap is not None:
                cols.append(gap)
                p = labs[0].start
        if not labs or labs[0].start != p:
            return cols, pos
        cols.append(labs[0])
        pos = labs[0].end


def lead_item(bd: Builder, corner: sh.Label) -> tuple[int, int] | None:
    """A fund line label written between the corner and the column labels (项目资金(万元)
    年度资金总额 年初预算数 … : OCR read the line's label cell before the header row)."""
    item = fund_item(bd, bd.skip_ws(corner.end))
    if item is None:
        return None
    pseudo = sh.Label(item[0], item[1], sh.FUND_CORNER, "corner", bd.text[item[0]:item[1]])
    cols, _ = fund_header(bd, pseudo)
    return item if len(cols) >= 2 else None


def fund_lines_follow(bd: Builder, corner: sh.Label) -> bool:
    """A funds block is a corner label, its column labels, then a fund line label (or the
    corner, a line label, then the column labels)."""
    if lead_item(bd, corner) is not None:
        return True
    _, pos = fund_header(bd, corner)
    return fund_item(bd, bd.skip_ws(pos)) is not None


def fund_item(bd: Builder, p: int) -> tuple[int, int] | None:
    labs = sh.find_labels(bd.text, p, min(bd.end, p + 40), (sh.FUND_ITEM,))
    if labs and labs[0].start == p:
        return labs[0].start, labs[0].end
    m = SUB_ITEM.match(bd.text, p, bd.end)
    return (m.start(), m.end()) if m else None
