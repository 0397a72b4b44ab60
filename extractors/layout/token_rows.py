"""Rows of figures rebuilt from a token stream (grid confidence ``token_rows``).

A PDF or forum page that lost the table's lines writes it as whitespace-separated tokens
whose rows run into each other and whose paragraphs break at arbitrary points
(``经费控制情况 2017年决算数 2018年预算数 2018年决算数 三公经费 29.08 63.46 44.29 1、公务用车购置和维护经费 11.86 …``).
Where a line of the text holds a run of at least two column labels of figure columns the
forms know (fund measures, basic-data columns: ``vocab.figure_column``), the tokens after
it are read as rows: a line label (one or more tokens; a numbering ``1、``, ``其中`` or a
known line label starts a new one), then its figures.  Figures cut at paragraph breaks are
rejoined by :mod:`split_numbers` where one reading fits the shapes, else where the form's
arithmetic (a line = the sum of its sub-lines) confirms exactly one.

A row is placed only where its figures fill the header's columns (with fewer, which
columns they belong to is not written); figures that cannot be placed with certainty, or
that stand before any label, are kept as paragraphs and named in the notes.  The table
ends where the tokens stop looking like line labels and figures (a run of more than a few
words, a sentence, a column label of another table, a new header run).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import regex as re

from . import split_numbers as sn
from .vocab import core, figure_column, fold, is_fund_item, is_top_line, line_label_header, value_columns

TOKEN_ROWS = "token_rows"
_TOKEN = re.compile(r"\S+")
_NUMBERED = re.compile(r"^(?:\d{1,2}[、.．](?!\d)|[一二三四五六七八九十]+、|[(（][一二三四五六七八九十\d]+[)）])")
_QIZHONG = re.compile(r"^其中[:：]?")
_SENTENCE = re.compile(r"[。；;，,！!？?]")
MAX_LABEL_TOKENS = 4
MAX_LABEL_CHARS = 24
MAX_EMPTY_ROWS = 3


@dataclass
class Tok:
    a: int
    b: int
    text: str
    brk: bool  # a line break stands before it


@dataclass
class Row:
    first: int  # index of its first token
    labels: list[Tok]  # the tokens of the line label (empty: values before any label)
    nums: list[Tok]
    options: list[list[tuple[int, int, str]]] = field(default_factory=list)
    chosen: list[tuple[int, int, str]] | None = None
    level: int = 0
    unsure: bool = False  # its label may be two labels (a word that starts no label follows)


@dataclass
class TokenTable:
    start: int  # first character of the table (header or its label cell)
    end: int  # end of its last token
    rows: list[list[tuple[int, int, int]]]  # (col, start, end) cells; row 1 is the header


def tokens(text: str) -> list[Tok]:
    out, prev = [], 0
    for m in _TOKEN.finditer(text):
        out.append(Tok(m.start(), m.end(), m.group(), "\n" in text[prev:m.start()] or "\r" in text[prev:m.start()]))
        prev = m.end()
    return out


def _header_runs(toks: list[Tok]) -> list[tuple[int, int]]:
    """(first, end) token indexes of runs of ≥2 figure-column labels on one line, of which
    at least two are value columns (not only 分值 | 得分)."""
    out, i = [], 0
    while i < len(toks):
        j = i
        while j < len(toks) and figure_column(toks[j].text) and (j == i or not toks[j].brk):
            j += 1
        if j - i >= 2 and sum(1 for t in toks[i:j] if value_columns(t.text)) >= 2:
            out.append((i, j))
            i = j
        else:
            i = max(j, i + 1)
    return out


def _starts_label(t: str) -> bool:
    f = fold(t)
    return bool(_NUMBERED.match(f) or _QIZHONG.match(f) or is_fund_item(t) or is_top_line(t))


def _label_ok(t: Tok) -> bool:
    f = fold(t.text)
    body = _NUMBERED.sub("", f)
    return not (_SENTENCE.search(f) or any(ch.isdigit() for ch in body) or len(body) > MAX_LABEL_CHARS
                or figure_column(t.text) or line_label_header(t.text))


def _group(label_toks: list[Tok]) -> list[tuple[list[Tok], bool]] | None:
    """Line labels of a run of word tokens, each with whether it is uncertain; None where
    the run is no row's label.  A token that starts no label continues the one before only
    inside its brackets (``其他资金 (包括以前年度结转资 金)``); any other continuation makes the
    label uncertain (one wrapped label, or two labels?)."""
    groups: list[tuple[list[Tok], bool]] = []
    for t in label_toks:
        if not _label_ok(t) and not (groups and fold(t.text).endswith((")", "）"))):
            return None
        if not groups or _starts_label(t.text):
            groups.append(([t], False))
            continue
        toks, unsure = groups[-1]
        so_far = fold("".join(x.text for x in toks))
        inside = so_far.count("(") + so_far.count("（") > so_far.count(")") + so_far.count("）")
        groups[-1] = (toks + [t], unsure or not (inside or fold(t.text).startswith(("(", "（"))))
    if any(len(g) > MAX_LABEL_TOKENS for g, _u in groups):
        return None
    return groups


def _level(label: str, prev: int | None) -> int:
    f = fold(label)
    if _QIZHONG.match(f):
        return 2
    if _NUMBERED.match(f):
        return 1
    if is_top_line(label) or prev is None:
        return 0
    return 2 if prev >= 1 else 1


def _read_body(toks: list[Tok], start: int, stop: int, facts: bool) -> tuple[list[Row], int]:
    """Rows from ``toks[start:stop]`` and the index of the first token after the table."""
    rows: list[Row] = []
    pos = start
    while pos < stop:
        ls = pos
        while pos < stop and not sn.is_number(toks[pos].text):
            pos += 1
        ns = pos
        while pos < stop and sn.is_number(toks[pos].text):
            pos += 1
        groups = _group(toks[ls:ns])
        if groups is None or (not groups and rows):
            return rows, ls
        for g, unsure in groups[:-1]:
            rows.append(Row(toks.index(g[0], ls), g, [], unsure=unsure))
        if groups or toks[ns:pos]:
            last, unsure = groups[-1] if groups else ([], False)
            rows.append(Row(toks.index(last[0], ls) if last else ns, last, toks[ns:pos], unsure=unsure))
        empty = 0
        while empty < len(rows) and not rows[-1 - empty].nums:
            empty += 1
        if empty > MAX_EMPTY_ROWS:
            return rows[:-empty], rows[-empty].first
        if facts and rows:
            return rows, pos
    return rows, pos


def _choose(rows: list[Row], width: int, max_dec: int, notes: list[str], text: str, header: list[str]) -> None:
    prev = None
    for r in rows:
        if r.labels:
            r.level = _level(" ".join(t.text for t in r.labels), prev)
            prev = r.level
        if r.nums:
            opts = sn.readings([t.text for t in r.nums], [False] + [t.brk for t in r.nums[1:]], max_dec)
            r.options = [o for o in opts if len(o) <= width]
            if len(r.options) == 1:
                r.chosen = r.options[0]
    for k, r in enumerate(rows):
        if r.chosen is not None and any(i != j for i, j, _v in r.chosen):
            # a figure rejoined across a break: the row's own rate must not contradict it
            vals = [v for _i, _j, v in r.chosen]
            if _ratio(header, vals) is False:
                notes.append(f"{_where(r, text)}: reading {_show(r.chosen)} contradicts its rate; not placed")
                r.chosen = None
            elif _ratio(header, vals):
                notes.append(f"{_where(r, text)}: reading {_show(r.chosen)} confirmed by its rate")
            continue
        if r.chosen is not None or len(r.options) < 2:
            continue
        ok = sn.confirmed([[v for _i, _j, v in o] for o in r.options],
                          lambda vals: _ratio(header, vals) if _ratio(header, vals) is not None
                          else _sums(rows, k, vals, width))
        if len(ok) == 1:
            r.chosen = r.options[ok[0]]
            notes.append(f"{_where(r, text)}: reading {_show(r.chosen)} confirmed by the form's arithmetic")
        else:
            notes.append(f"{_where(r, text)}: {len(r.options)} readings "
                         f"({' / '.join(_show(o) for o in r.options)}), none certain; not placed")


def _ratio(header: list[str], vals: list[str]) -> bool | None:
    """A rate column right after two figure columns (编制数 | 实际在职人数 | 控制率, 全年预算数 |
    全年执行数 | 执行率) is the second over the first: does the row agree?"""
    if len(vals) != len(header):
        return None
    out = None
    for p in range(2, len(header)):
        if core(header[p]).endswith("率") and not core(header[p - 1]).endswith("率") \
                and not core(header[p - 2]).endswith("率"):
            r = sn.ratio_holds(vals[p - 1], vals[p - 2], vals[p])
            if r is False:
                return False
            out = out or r
    return out


def _full(r: Row, width: int, vals: list[str] | None = None) -> list[str | None] | None:
    v = vals if vals is not None else ([x for _i, _j, x in r.chosen] if r.chosen is not None else None)
    return list(v) if v is not None and len(v) == width else None


def _sums(rows: list[Row], k: int, vals: list[str], width: int) -> bool | None:
    """Does row ``k`` with ``vals`` make its parent's sum, or its own lines' sum, hold?"""
    def children(p: int) -> list[int]:
        out = []
        for q in range(p + 1, len(rows)):
            if rows[q].level <= rows[p].level:
                break
            if rows[q].level == rows[p].level + 1:
                out.append(q)
        return out

    def vec(q: int):
        return _full(rows[q], width, vals if q == k else None)

    results = []
    parent = next((p for p in range(k - 1, -1, -1) if rows[p].level < rows[k].level), None)
    for p in ([parent] if parent is not None else []) + [k]:
        kids = children(p)
        if not kids or vec(p) is None or any(vec(q) is None for q in kids):
            continue
        results.append(sn.sums_hold(vec(p), [vec(q) for q in kids]))
    if False in results:
        return False
    return True if True in results else None


def _show(opt: list[tuple[int, int, str]]) -> str:
    return " | ".join(v for _i, _j, v in opt)


def _where(r: Row, text: str) -> str:
    lab = " ".join(t.text for t in r.labels) or "(no label)"
    return f"figures of {lab} [{r.nums[0].a}:{r.nums[-1].b}]"


def read_tables(text: str) -> tuple[list[TokenTable], list[str]]:
    """The token tables of a text and notes on what was not placed."""
    toks = tokens(text)
    runs = _header_runs(toks)
    if not runs:
        return [], []
    sure = [t for k, t in enumerate(toks) if sn.is_number(t.text) and not t.brk
            and not (k + 1 < len(toks) and toks[k + 1].brk)]
    max_dec = max((sn.decimals(t.text) for t in sure), default=2)
    tables, notes = [], []
    for n, (h0, h1) in enumerate(runs):
        stop = runs[n + 1][0] - (1 if n + 1 < len(runs) and line_label_header(toks[runs[n + 1][0] - 1].text) else 0) \
            if n + 1 < len(runs) else len(toks)
        width = h1 - h0
        facts = all(not value_columns(t.text) or value_columns(t.text) == "facts" for t in toks[h0:h1])
        rows, end = _read_body(toks, h1, stop, facts)
        if not any(r.nums for r in rows):
            continue
        _choose(rows, width, max_dec, notes, text, [t.text for t in toks[h0:h1]])
        head = toks[h0 - 1] if h0 and not toks[h0].brk and line_label_header(toks[h0 - 1].text) else None
        grid = [[(1, head.a, head.b) if head else (1, toks[h0].a, toks[h0].a)]
                + [(c, t.a, t.b) for c, t in enumerate(toks[h0:h1], start=2)]]
        for r in rows:
            label = [(1, r.labels[0].a, r.labels[-1].b)] if r.labels else [(1, r.nums[0].a, r.nums[0].a)]
            placed = r.chosen is not None and len(r.chosen) == width and (r.labels or facts) and not r.unsure
            if placed:
                grid.append(label + [(c, r.nums[i].a, _end(r.nums[j])) for c, (i, j, _v) in enumerate(r.chosen, start=2)])
                continue
            if r.labels:
                grid.append(label)
            if r.nums:  # not placed: the figures stay in the text's paragraphs
                if r.unsure:
                    notes.append(f"{_where(r, text)}: one wrapped label or two labels? not placed")
                elif r.chosen is not None or len(r.options) == 1:
                    why = (f"{len(r.chosen)} figures for {width} columns: their columns are not written"
                           if r.labels else "figures before any line label: their line is not written")
                    notes.append(f"{_where(r, text)}: {why}; not placed")
                elif not r.options:
                    notes.append(f"{_where(r, text)}: no reading fits {width} columns; not placed")
        if len(grid) < 2:
            continue
        tables.append(TokenTable(head.a if head else toks[h0].a, toks[end - 1].b, grid))
    return tables, notes


def _end(t: Tok) -> int:
    """A cell's end without the stray period of ``7.50.``."""
    return t.b - 1 if t.text.endswith(".") else t.b
