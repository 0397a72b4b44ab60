"""Glued cells (``space_flat``, OCR): rebuild the table grid of text whose cells run together.

``glued_grid(text, start, end, first_table_no)`` finds the form labels of the region
(``shapes``), takes the header rows as written (their order fixes the column order, e.g.
分值 before 年度指标值), and reads the glued runs between labels with the row grammar
(``grammar``): a run is published as cells only where exactly one reading satisfies the
cell shapes and the form's own arithmetic (score <= weight, 执行率 = B/A, 得分 = 分值 ×
执行率, Σ 分值 under a level-1 label = its ``(70分)``, 其中 lines sum to the total).  A
run with several readings, or none, stays a paragraph and a note says why; nothing is
guessed.  Whitespace between header labels makes the table "spaced": cells are then the
whitespace-separated tokens.
"""
from __future__ import annotations

import bisect
import dataclasses
import functools
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import resources

import regex as re
import yaml

from ..model import CELL, PARAGRAPH, Block
from . import grammar as gr
from . import shapes as sh

GRID = "shape_grammar"
_TOP = (sh.META, sh.FUND_CORNER, sh.ROW_LABEL, sh.HEADER, sh.GOAL, sh.END)
_BODY = (sh.LEVEL1, sh.LEVEL2, sh.TOTAL, sh.ROW_LABEL, sh.END, sh.META)
_HAS_GRID = "grid" in {f.name for f in dataclasses.fields(Block)}


@dataclass
class GluedResult:
    blocks: list[Block]
    notes: list[str] = field(default_factory=list)


@functools.lru_cache(maxsize=1)
def _titles() -> list[re.Pattern]:
    raw = yaml.safe_load(resources.files("extractors").joinpath("forms/forms.yaml").read_text("utf-8"))
    return [re.compile(t) for f in raw["forms"] for t in f["titles"]]


_YEAR_SUFFIX = re.compile(r"\s*[(（]\s*\d{4}\s*年度?\s*[)）]")
_ATTACHMENT = re.compile(r"(?<![(（\p{Han}])附件\s*\d{1,2}(?![)）\d])|(?<=\p{Han})(?<![(（])附件\s*\d{1,2}(?=\d{4}|\p{Han})")
_DATE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
_SENTENCE_END = "。，,：:；;\n!！?？"


def _header_runs(labels: list[sh.Label], text: str) -> list[list[sh.Label]]:
    """Header labels that follow each other with nothing but whitespace between them and
    name a name column and a target or actual column: the header rows of indicator tables."""
    runs, cur = [], []
    for lab in labels:
        if lab.kind == sh.HEADER and cur and not text[cur[-1].end:lab.start].strip():
            cur.append(lab)
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


class _Builder:
    def __init__(self, text: str, start: int, end: int, table_no: int):
        self.text, self.start, self.end = text, start, end
        self.table_no = table_no
        self.row = 0
        self.blocks: list[Block] = []
        self.notes: list[str] = []
        self.n_tables = 0

    # ---- emission -----------------------------------------------------------------
    def _trim(self, a: int, b: int) -> tuple[int, int]:
        t = self.text
        while a < b and t[a].isspace():
            a += 1
        while b > a and t[b - 1].isspace():
            b -= 1
        return a, b

    def para(self, a: int, b: int) -> None:
        """Paragraph blocks of ``text[a:b]``: cut at attachment labels; page markers of
        document-sharing sites (a line starting ``2、``) are left out."""
        marks = [(m.start(), m.end()) for m in re.finditer(sh.vocab()["page_marker"], self.text[:b], pos=max(a - 1, 0))
                 if m.start() >= a - 1]
        if marks:
            x = a
            for ms, me in marks:
                self._para(x, max(ms, x))
                x = max(x, me)
            self._para(x, b)
        else:
            self._para(a, b)

    def _para(self, a: int, b: int) -> None:
        if b <= a:
            return
        cuts = []
        for m in _ATTACHMENT.finditer(self.text, a, b):
            cuts += [m.start()] + ([m.end()] if self.text[m.end():m.end() + 1].isdigit() else [])
        cuts = sorted(c for c in set(cuts) if a < c < b)
        for x, y in zip([a] + cuts, cuts + [b]):
            x, y = self._trim(x, y)
            if y > x:
                self.blocks.append(Block(PARAGRAPH, self.text[x:y], x, y))

    def cells(self, spans: list[tuple[int, int]], first_col: int = 1) -> None:
        if self.n_tables == 0 or self.row == 0 and not any(b.kind == CELL and b.table_no == self.table_no
                                                              for b in self.blocks):
            self.n_tables = max(self.n_tables, 1)
        self.row += 1
        spans = [self._trim(a, b) if b > a else (a, a) for a, b in spans]
        # an empty cell sits where the row's previous cell ends (reading order)
        filled = [sp for sp in spans if sp[1] > sp[0]]
        at = filled[0][0] if filled else (spans[0][0] if spans else 0)
        placed = []
        for a, b in spans:
            if b > a:
                at = b
                placed.append((a, b))
            else:
                placed.append((at, at))
        for k, (a, b) in enumerate(placed):
            blk = Block(CELL, self.text[a:b], a, b, table_no=self.table_no, row=self.row,
                        col=first_col + k, rowspan=1, colspan=1)
            if _HAS_GRID:
                setattr(blk, "grid", GRID)
            self.blocks.append(blk)

    def close_table(self) -> None:
        if self.row:
            self.table_no += 1
            self.row = 0

    def refuse(self, a: int, b: int, why: str) -> None:
        a, b = self._trim(a, b)
        if b <= a:
            return
        self.para(a, b)
        s = self.text[a:b].replace("\n", " ")
        self.notes.append(f"glued {why} {s[:40]}{'…' if len(s) > 40 else ''} [{a}:{b}]")

    # ---- top level ----------------------------------------------------------------
    def run(self) -> GluedResult | None:
        text = self.text
        labels = sh.find_labels(text, self.start, self.end, _TOP)
        runs = _header_runs(labels, text)
        fund_corners = [lab for lab in labels if lab.kind == sh.FUND_CORNER and self._fund_lines_follow(lab)]
        labels = [lab for lab in labels if lab.kind != sh.FUND_CORNER or lab in fund_corners]
        lists = {m.start(): m for m in sh.list_header_re().finditer(text, self.start, self.end)
                 if not sh.find_labels(m.group("amount"), 0, len(m.group("amount")), (sh.FUND_CORNER,))
                 and _list_rows(text, m.end(), self.end, 2)}
        first = min([r[0].start for r in runs] + [c.start for c in fund_corners] + list(lists), default=None)
        if first is None:
            return None
        run_at = {r[0].start: r for r in runs}
        pos = self._preamble(labels, first)
        stops = sorted({lab.start for lab in labels if lab.kind != sh.HEADER} | set(run_at) | set(lists))
        at_pos = {}
        for x in labels:
            at_pos.setdefault(x.start, x)
        while pos < self.end:
            pos = self._skip_ws(pos)
            if pos >= self.end:
                break
            lab = at_pos.get(pos)
            lab = lab if lab is not None and (lab.kind != sh.HEADER or pos in run_at) else None
            k = bisect.bisect_right(stops, pos)
            nxt = stops[k] if k < len(stops) else self.end
            if pos in lists:
                pos = self._list(lists[pos])
                stops = [s for s in stops if s >= pos]
            elif lab is None:
                self.para(pos, nxt)
                pos = nxt
            elif lab.kind == sh.END:  # a note after the table: up to the next form title
                self.close_table()
                nxt_title = min([self._title_start(m.start()) for p in _titles()
                                 for m in p.finditer(text, lab.end, self.end)]
                                + [m.start() for m in _ATTACHMENT.finditer(text, lab.end, self.end)]
                                + [self.end])
                self.para(pos, nxt_title)
                pos = nxt_title
            elif lab.kind == sh.META:  # the value runs to the next label or line break
                nl = text.find("\n", lab.end, nxt)
                stop = nxt if nl < 0 or not text[lab.end:nl].strip() else nl
                inner = sh.first_label(text, lab.end, stop, sh.ALL)
                stop = inner.start if inner else stop
                cut = stop < self.end and self._label_overlaps(lab.end, stop)
                if not cut and _plain_value(text[lab.end:stop], lab.role in sh.vocab()["phone_labels"]):
                    self.cells([(lab.start, lab.end), (lab.end, stop)])
                else:
                    self.cells([(lab.start, lab.end)])
                    self.refuse(lab.end, stop, "value: where it ends is not certain")
                pos = stop
            elif lab.kind == sh.GOAL:
                stop = next((s for s in stops if s > pos and not any(
                    x.start == s and x.kind == sh.GOAL for x in labels)), self.end)
                if not self._goals(labels, pos, stop):
                    self.para(pos, stop)
                pos = stop
            elif lab.kind == sh.ROW_LABEL:
                self.cells([(lab.start, lab.end)])
                pos = lab.end
            elif lab.kind == sh.FUND_CORNER:
                pos = self._funds(lab, stops)
            else:  # header run
                pos = self._indicators(run_at[pos])
        self.close_table()
        if not any(b.kind == CELL for b in self.blocks):
            return None
        return GluedResult(self.blocks, self.notes)

    def _title_start(self, a: int) -> int:
        """Where the title whose form word starts at ``a`` begins: back to the sentence
        start if that is near, never into an earlier title or date."""
        text = self.text
        lo = max(self.start, a - 80)
        floor = max([m.end() for pat in _titles() for m in pat.finditer(text, lo, a)]
                    + [m.end() for m in _DATE.finditer(text, lo, a)] + [self.start])
        back = a
        while back > floor and a - back < 40 and text[back - 1] not in _SENTENCE_END:
            back -= 1
        return back if back == floor or text[back - 1] in _SENTENCE_END else a

    def _label_overlaps(self, lo: int, stop: int) -> bool:
        """True if another label could begin before ``stop`` and run past it (2021年度|资金总额
        vs 年度资金总额): which characters end the value is then not written."""
        for x in range(max(lo + 1, stop - 6), stop):
            m = sh.first_label(self.text, x, min(self.end, stop + 40), sh.ALL)
            if m is not None and m.start == x and m.end > stop:
                return True
        return False

    def _skip_ws(self, i: int) -> int:
        while i < self.end and self.text[i].isspace():
            i += 1
        return i

    def _preamble(self, labels: list[sh.Label], first: int) -> int:
        """Paragraphs before the table: the text, then the form title (the last title
        pattern before the first header) as its own paragraph.  Returns where the table
        starts: the first key/value label after the title."""
        text = self.text
        title = None
        cand = [x.start for x in labels if self.start <= x.start <= first and x.kind in (sh.META, sh.FUND_CORNER)]
        for pat in _titles():
            for m in pat.finditer(text, self.start, first):
                y = _YEAR_SUFFIX.match(text, m.end())
                after = y.end() if y else m.end()
                # a title heads the table: the table's first label follows it closely
                if not any(0 <= c - after <= 20 for c in cand + [first]):
                    continue
                if title is None or m.start() > title[0]:
                    title = (m.start(), m.end())
        if title:
            a, b = self._title_start(title[0]), title[1]
            m = _YEAR_SUFFIX.match(text, b)
            b = m.end() if m else b
            self.para(self.start, a)
            self.para(a, b)
            tstart = b
        else:
            tstart = self.start
        cand = [x.start for x in labels if x.start >= tstart and x.kind in (sh.META, sh.FUND_CORNER)]
        table = min(cand + [first]) if cand else first
        if table > tstart:
            self.para(tstart, table)
        return table

    def _goals(self, labels: list[sh.Label], pos: int, stop: int) -> bool:
        """A spaced goal block: its labels (年度总体目标 预期目标 实际完成情况) and one
        whitespace-free text under each column label after the first.  Glued goal texts
        run together and stay a paragraph."""
        text = self.text
        heads = []
        for x in labels:
            if x.start < pos or x.start >= stop or x.kind != sh.GOAL:
                continue
            if heads and (x.start == heads[-1].end or text[heads[-1].end:x.start].strip()):
                break
            if not heads and x.start != pos:
                break
            heads.append(x)
        if len(heads) < 2:
            return False
        toks = [(m.start(), m.end()) for m in re.finditer(r"\S+", text[:stop], pos=heads[-1].end)]
        if len(toks) != len(heads) - 1:
            return False
        self.cells([(x.start, x.end) for x in heads])
        self.cells([(heads[0].end, heads[0].end)] + toks)
        return True

    # ---- allocation lists ---------------------------------------------------------
    def _list(self, m) -> int:
        """乡镇 | 补助经费(万元) | 备注 and glued name + amount pairs up to the total line."""
        self.close_table()
        head = [m.span("entity"), m.span("amount")] + ([m.span("remark")] if m.group("remark") else [])
        self.cells(head)
        pos, total, items = m.end(), None, []
        while True:
            r = sh.list_row_re().match(self.text, pos, self.end)
            if r is None:
                break
            row = [r.span("name"), r.span("amount")] + ([(r.end(), r.end())] if len(head) == 3 else [])
            self.cells(row)
            pos = r.end()
            if r.group("total"):
                total = sh.number(r.group("amount"))
                break
            items.append(sh.number(r.group("amount")))
        if total is not None and sum(items) != total:
            self.notes.append(f"allocation list at {m.start()}: items sum to {sum(items)}, total line says {total}")
        self.close_table()
        return pos

    # ---- funds --------------------------------------------------------------------
    def _funds(self, corner: sh.Label, stops: list[int]) -> int:
        text = self.text
        cols, pos = self._fund_header(corner)
        roles = tuple(c.role for c in cols) or ("budget",)
        self.cells([(corner.start, corner.end)] + [(c.start, c.end) for c in cols])
        spaced = len(cols) > 1 and all(text[a.end:b.start].strip() == "" and a.end < b.start
                                       for a, b in zip(cols, cols[1:]))
        lines = []  # (label span, run span, is_sub)
        while True:
            p = self._skip_ws(pos)
            item = self._fund_item(p)
            if item is None and roles == ("budget",):
                # one amount column (资金总额及构成): any 'label:' line with its amount
                m = _KEY_AMOUNT.match(text, p, self.end)
                item = m.span("label") if m else None
            if item is None:
                break
            nxt_item = sh.first_label(text, item[1], self.end, (sh.FUND_ITEM,) + _TOP)
            run_end = nxt_item.start if nxt_item else self.end
            m = self._SUB_ITEM.search(text, item[1], run_end)
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
            rds = gr.fund_readings(run, roles, _l1_weight(corner)) if rb > ra else [tuple((ra, ra) for _ in roles)]
            if rds and not sub and "execution_rate" in roles:
                # the total line of a block that states a rate fills every column
                rds = [rd for rd in rds if all(b > a for a, b in rd)]
            readings.append((sub, rds))
        kept = gr.fund_block_filter(text, roles, [(s, r or []) for s, r in readings])
        for ((la, lb), (ra, rb), _), (_, raw), rds in zip(lines, readings, kept):
            if raw is None:
                self.cells([(la, lb)])
                self.refuse(ra, rb, f"figures: more than {gr.CAP} readings")
            elif len(rds) == 1:
                self.cells([(la, lb)] + list(rds[0]))
            else:
                self.cells([(la, lb)])
                self.refuse(ra, rb, f"figures: {len(rds)} readings")
        return pos

    def _fund_header(self, corner: sh.Label) -> tuple[list[sh.Label], int]:
        cols, pos = [], corner.end
        while True:
            p = self._skip_ws(pos)
            labs = sh.find_labels(self.text, p, min(self.end, p + 40), (sh.FUND_COL,))
            if not labs or labs[0].start != p:
                return cols, pos
            cols.append(labs[0])
            pos = labs[0].end

    def _fund_lines_follow(self, corner: sh.Label) -> bool:
        """A funds block is a corner label, its column labels, then a fund line label."""
        _, pos = self._fund_header(corner)
        return self._fund_item(self._skip_ws(pos)) is not None

    _SUB_ITEM = re.compile(r"其中\s*[:：]\s*[^\d\s≥≤%:：]{1,24}?(?=[\d\s]|$)")

    def _fund_item(self, p: int) -> tuple[int, int] | None:
        labs = sh.find_labels(self.text, p, min(self.end, p + 40), (sh.FUND_ITEM,))
        if labs and labs[0].start == p:
            return labs[0].start, labs[0].end
        m = self._SUB_ITEM.match(self.text, p, self.end)
        return (m.start(), m.end()) if m else None

    # ---- indicators ---------------------------------------------------------------
    def _indicators(self, header: list[sh.Label]) -> int:
        text = self.text
        self.cells([(x.start, x.end) for x in header])
        roles_all = [x.role for x in header]
        name_col = roles_all.index("name")
        roles = tuple(roles_all[name_col + 1:])
        spaced = all(text[a.end:b.start].strip() == "" and a.end < b.start for a, b in zip(header, header[1:]))
        col_of = {r: i for i, r in enumerate(roles_all)}
        body_start = header[-1].end
        labs = sh.find_labels(text, body_start, self.end, _BODY)
        end_lab = next((x for x in labs if x.kind in (sh.END, sh.META)), None)
        body_end = end_lab.start if end_lab else self.end
        labs = [x for x in labs if x.start < body_end]
        holes = self._holes(body_start, body_end)
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
            elif text[s0:e0].strip():
                segs.append(("rows", l1, l2, s0, e0))
            elif prev is not None and (prev.kind == sh.LEVEL2 or prev.kind == sh.LEVEL1 and (
                    lab is None or lab.kind != sh.LEVEL2)):
                segs.append(("rows", l1, l2, s0, s0))  # a category with no rows
            if lab is None:
                break
            kind = lab.kind
            nxt = bounds[i + 1]
            if kind == sh.LEVEL1 and lab.role in sh.vocab()["level2"].values() and l1 is not None \
                    and "分" not in lab.text and l1.role != lab.role and not (
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
                w = _l1_weight(a1)
                run = (gr.Spaced if spaced else gr.Text)(text, s, e, holes)
                readings[n] = gr.indicator_readings(run, roles, not spaced, w)
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
            kept = gr.group_filter(text, [readings[m] for m in ns], roles, _l1_weight(a1))
            for m, r in zip(ns, kept):
                readings[m] = r
        shown_l1, shown_l2 = set(), set()
        width = len(roles_all)
        for n, (k, a1, a2, s, e) in enumerate(segs):
            if k == "row_label":  # repeated at a page break: not a row
                self.para(a2.start, a2.end)
                continue
            if k == "total":
                self._total(a2, s, e, roles_all, col_of, spaced)
                continue
            def cat(lab, shown):
                if lab is None or id(lab) in shown:
                    return None
                shown.add(id(lab))
                return (lab.start, lab.end)
            rds = readings.get(n)
            certain = gr.certain_rows(rds)
            why = ("row: run too long to read" if rds is None and e - s > gr.MAX_RUN else
                   f"row: more than {gr.CAP} readings" if rds is None else
                   f"row: {len(rds)} readings" if len(rds) > 1 else
                   "row: a cell boundary not written" if rds else
                   "row: no reading agrees with the shapes and the level-1 weight")
            if e == s or not certain:
                c1, c2 = cat(a1, shown_l1), cat(a2, shown_l2)
                if c1 or c2:
                    row = [(s, s)] * width
                    if c1 and "level1" in col_of:
                        row[col_of["level1"]] = c1
                    if c2 and "level2" in col_of:
                        row[col_of["level2"]] = c2
                    self.cells(row)
                if e > s:
                    self.refuse(s, e, why)
                continue
            cursor = s
            for row_cells in certain:  # rows every reading agrees on; the rest refused
                if text[cursor:row_cells[0][0]].strip():
                    self.refuse(cursor, row_cells[0][0], why)
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
                self.cells(row)
            if text[cursor:e].strip():
                self.refuse(cursor, e, why)
        self.close_table()
        return body_end

    def _total(self, lab, s, e, roles_all, col_of, spaced) -> None:
        text = self.text
        roles = tuple(r for r in ("weight", "score") if r in col_of)
        run = (gr.Spaced if spaced else gr.Text)(text, s, e)
        rds = gr.points_readings(run, roles)
        row = [(lab.end, lab.end)] * len(roles_all)
        row[0] = (lab.start, lab.end)
        if rds is not None and len(rds) == 1:
            for r, span in zip(roles, rds[0]):
                row[col_of[r]] = span
            self.cells(row)
        else:
            self.cells(row[:1])
            self.refuse(s, e, f"total: {len(rds) if rds is not None else 'many'} readings")

    def _holes(self, a: int, b: int) -> list[tuple[int, int]]:
        v = sh.vocab()
        out = [(m.start(), m.end()) for m in re.finditer(v["page_marker"], self.text[:b], pos=a)]
        for f in sorted(v["filler"], key=len, reverse=True):
            i = self.text.find(f, a, b)
            while i >= 0:
                if not any(x <= i < y for x, y in out):
                    out.append((i, i + len(f)))
                i = self.text.find(f, i + len(f), b)
        return sorted(out)


_KEY_AMOUNT = re.compile(r"[(（;；)）,，\s]*(?P<label>(?:其中\s*[:：]\s*)?(?:[一二三四五六七八九十]+、)?"
                         r"\p{Han}{1,12}\s*[:：]?)(?=\s*\d)")
_FIGURES = re.compile(r"[\d.%％‰,，\s万元—\-－/]*(?<=[\d%％‰元—\-－/])|")
_HEADERISH = re.compile(r"[(（]\s*(?:分|%|万元|元|A|B|B/A)\s*[)）]|\p{Han}\s*\d+(?:\.\d+)?\s*\p{Han}")


def _plain_value(v: str, phone: bool = False) -> bool:
    """A key/value cell read up to the next known label is certain only when it looks like
    one value: short, with no header note ((分), (万元)) and no figure between words (an
    unknown label and its figure glued in: 财政处室自评总分(分)97.6部门联系人); a phone
    starts with a digit."""
    v = v.strip()
    if phone and v and not (v[0].isdigit() or v[0] == "*"):
        return False
    return len(v) <= 40 and not _HEADERISH.search(v) and sh.holds_label(v) is None


def _list_rows(text: str, pos: int, end: int, n: int) -> bool:
    """True if ``n`` name + amount pairs follow ``pos``."""
    for _ in range(n):
        r = sh.list_row_re().match(text, pos, end)
        if r is None:
            return False
        pos = r.end()
    return True


def _l1_weight(lab: sh.Label | None) -> Decimal | None:
    if lab is None:
        return None
    m = re.search(r"(\d+(?:\.\d+)?)\s*分", lab.text)
    return Decimal(m.group(1)) if m else None


def glued_grid(text: str, start: int, end: int, first_table_no: int) -> GluedResult | None:
    """The table grid of ``text[start:end]`` read from cell shapes, or None if the region
    holds no recognisable table (no indicator header and no funds block)."""
    try:
        return _Builder(text, start, end, first_table_no).run()
    except RecursionError:
        return None
