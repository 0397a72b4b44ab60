"""A label column printed before its values: key/value rows that came out column by column.

PDF text of a form head can list every label of the left column first and the value
cells after them (dev r042)::

    专项名称
    部门名称
    部门相应职能职
    责概述
    …
    重大动物疫病防控专项属性延续专项√新增专项□
    县动物卫生监督所资金总额(万元)50

:func:`find` finds such a label column: a run of short label-only lines (no digit, no
punctuation, at least two of them labels the forms know), directly followed by the value
lines.  :func:`pair` pairs, in order, only the leading labels of one-line name fields
(项目名称, 部门名称, 主管部门, 实施单位 … of ``forms.yaml``) with the first value lines,
and only while each value line is confirmed to be one row of the form: it holds the
value and then the next label of the same row (``专项属性``, ``资金总额(万元)``) with that
label's value.  The other labels (wrapped over lines, whose values run over an unknown
number of lines) are not paired; the note names them.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import regex as re

from .vocab import _columns, _forms, _similar, core, fold, header_kind, is_block_label, is_meta_label, settings

NAME_FIELDS = ("unit_name", "project_name", "competent_dept", "implementing_unit")
MIN_RUN = 5
_PUNCT = re.compile(r"[\d:：、，,。；;!！?？•·●■□√]")
_SENTENCE = re.compile(r"[。；;!！?？]")


@dataclass
class Column:
    labels: list[tuple[int, int]]  # the label lines (spans), in order
    values: list[tuple[int, int]]  # the lines after them, up to the end of the region


@dataclass
class Pair:
    label: tuple[int, int]
    value: tuple[int, int]
    row_label: tuple[int, int]  # the next label of the same row, inside the value line
    row_value: tuple[int, int]  # its value (possibly empty)


def _label_line(t: str) -> bool:
    f = fold(t)
    return 0 < len(f) <= 10 and not _PUNCT.search(f) and not f.endswith("表")


def _known(t: str) -> bool:
    return is_meta_label(t) or header_kind(t) is not None or is_block_label(t)


def find(text: str, lines: list[tuple[int, int]]) -> Column | None:
    """The first label column of the text (None if there is none)."""
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and _label_line(text[lines[j][0]:lines[j][1]]):
            j += 1
        run = lines[i:j]
        if len(run) >= MIN_RUN and sum(_known(text[a:b]) for a, b in run) >= 2 and j < len(lines):
            return Column(run, lines[j:])
        i = j + 1
    return None


@functools.lru_cache(maxsize=1)
def _name_labels() -> list[str]:
    hl = _forms()["header_labels"]
    return [core(lab) for f in NAME_FIELDS for lab in hl.get(f, [])]


def _name_field(t: str) -> bool:
    c = core(t)
    return bool(c) and any(_similar(c, lab) >= 0.9 for lab in _name_labels())


@functools.lru_cache(maxsize=1)
def _row_label_re() -> re.Pattern:
    """Labels that may follow a value in the same row: metadata, option rows (专项属性 √)
    and money lines (资金总额(万元))."""
    cols = _columns()
    labs = {lab for v in _forms()["header_labels"].values() for lab in v}
    labs |= set(settings().get("option_labels", []))
    labs |= {lab for v in cols["fund_items"].values() for lab in v} | set(cols["fund_items"])
    labs |= set(cols.get("fund_line_labels", []))
    labs = sorted((lab for lab in labs if len(lab) >= 3), key=len, reverse=True)
    alts = "|".join(r"\s*".join(map(re.escape, lab)) for lab in labs)
    return re.compile(rf"(?:{alts})(?:\s*[(（][^()（）\n]{{1,6}}[)）])?\s*[:：]?")


def _split_row(text: str, a: int, b: int) -> tuple[tuple[int, int], tuple[int, int], tuple[int, int]] | None:
    """A value line as value + row label + its value, or None."""
    m = _row_label_re().search(text, a + 1, b)
    if m is None:
        return None
    va, vb = a, m.start()
    while vb > va and text[vb - 1].isspace():
        vb -= 1
    value = text[va:vb]
    if not fold(value) or len(fold(value)) > 30 or _SENTENCE.search(value) or _label_line(value) and _known(value):
        return None
    ra = m.end()
    while ra < b and text[ra].isspace():
        ra += 1
    return (va, vb), (m.start(), m.end()), (ra, b)


def pair(text: str, col: Column) -> tuple[list[Pair], str]:
    """The confirmed pairs, in order, and a note on the labels left unpaired."""
    pairs: list[Pair] = []
    for k, (a, b) in enumerate(col.labels):
        if not _name_field(text[a:b]) or k >= len(col.values):
            break
        va, vb = col.values[k]
        split = _split_row(text, va, vb)
        if split is None:
            break
        pairs.append(Pair((a, b), *split))
    rest = col.labels[len(pairs):]
    note = ""
    if rest:
        note = (f"label column [{col.labels[0][0]}:{col.labels[-1][1]}]: {len(rest)} label line(s) from "
                f"{fold(text[rest[0][0]:rest[0][1]])!r} not paired with values (not a one-line name field "
                "confirmed by the next label of its row)")
    return pairs, note


# a line that runs on into the next one: long, and not ended by a sentence
_WRAP_MIN = 30
_FINAL = "。！!？?"


def _goal_label(t: str) -> bool:
    from .vocab import _columns as cols
    c = core(t)
    return bool(c) and len(c) <= 12 and (header_kind(t) == "goal" or any(
        _similar(c, core(g)) >= 0.9 for g in cols().get("goal_rows", {}).get("goal", [])))


def goal_labels(text: str, col: Column) -> list[tuple[int, int]]:
    """The goal labels that end the column's key/value labels (before its indicator header
    labels such as 一级指标), a label wrapped over two lines joined (专项长期 / 绩效目标)."""
    spans = [(a, b) for a, b in col.labels]
    cut = next((k for k, (a, b) in enumerate(spans) if header_kind(text[a:b]) in ("level1", "level2", "name")),
               len(spans))
    spans = spans[:cut]
    out: list[tuple[int, int]] = []
    k = len(spans) - 1
    while k >= 0:
        a, b = spans[k]
        if k > 0 and not _known(text[spans[k - 1][0]:spans[k - 1][1]]) \
                and _goal_label(fold(text[spans[k - 1][0]:b])):
            out.append((spans[k - 1][0], b))
            k -= 2
        elif _goal_label(text[a:b]) and (k == 0 or _known(text[spans[k - 1][0]:spans[k - 1][1]])
                                         or _goal_label(text[spans[k - 1][0]:spans[k - 1][1]])):
            out.append((a, b))
            k -= 1
        else:
            break
    return out[::-1]


def goal_block(text: str, lines: list[tuple[int, int]], header_at: int, n: int) -> list[tuple[int, int]] | None:
    """The ``n`` goal texts right before the line holding ``header_at``: the lines back to
    the previous short or finished line, split at sentence ends into exactly ``n``
    sentences; None unless that count agrees."""
    k = next((i for i, (s, e) in enumerate(lines) if s <= header_at < max(e, s + 1)), None)
    if not k or n < 1:
        return None
    j = k - 1
    if not text[lines[j][0]:lines[j][1]].rstrip().endswith(tuple(_FINAL)):
        return None
    while j > 0:
        ps, pe = lines[j - 1]
        prev = text[ps:pe].rstrip()
        if len(fold(prev)) < _WRAP_MIN or prev.endswith(tuple(_FINAL)):
            break
        j -= 1
    a, b = lines[j][0], lines[k - 1][1]
    out, s = [], a
    for m in re.finditer(r"[。！!？?]", text[:b], pos=a):
        out.append((s, m.end()))
        s = m.end()
        while s < b and text[s].isspace():
            s += 1
    if s < b or len(out) != n:
        return None
    return out
