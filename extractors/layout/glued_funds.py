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
    cols, pos = fund_header(bd, corner)
    roles = tuple(c.role for c in cols) or ("budget",)
    bd.cells([(corner.start, corner.end)] + [(c.start, c.end) for c in cols])
    spaced = len(cols) > 1 and spaced_labels(text, cols)
    lines = []  # (label span, run span, is_sub)
    while True:
        p = bd.skip_ws(pos)
        item = fund_item(bd, p)
        if item is None and roles == ("budget",):
            # one amount column (资金总额及构成): any 'label:' line with its amount
            m = _KEY_AMOUNT.match(text, p, bd.end)
            item = m.span("label") if m else None
        if item is None:
            break
        nxt_item = sh.first_label(text, item[1], bd.end, (sh.FUND_ITEM,) + TOP)
        run_end = nxt_item.start if nxt_item else bd.end
        m = SUB_ITEM.search(text, item[1], run_end)
        run_end = m.start() if m else run_end
        figs = _FIGURES.match(text, item[1], run_end)  # a fund line holds figures only
        run_end = figs.end() if figs else item[1]
        sub = lines != [] and True
        lines.append(((item[0], item[1]), (item[1], run_end), sub))
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
    cols, pos = [], corner.end
    while True:
        p = bd.skip_ws(pos)
        labs = sh.find_labels(bd.text, p, min(bd.end, p + 40), (sh.FUND_COL,))
        if not labs or labs[0].start != p:
            return cols, pos
        cols.append(labs[0])
        pos = labs[0].end


def fund_lines_follow(bd: Builder, corner: sh.Label) -> bool:
    """A funds block is a corner label, its column labels, then a fund line label."""
    _, pos = fund_header(bd, corner)
    return fund_item(bd, bd.skip_ws(pos)) is not None


def fund_item(bd: Builder, p: int) -> tuple[int, int] | None:
    labs = sh.find_labels(bd.text, p, min(bd.end, p + 40), (sh.FUND_ITEM,))
    if labs and labs[0].start == p:
        return labs[0].start, labs[0].end
    m = SUB_ITEM.match(bd.text, p, bd.end)
    return (m.start(), m.end()) if m else None
