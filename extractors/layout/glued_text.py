"""Glued cells outside the tables: the preamble and form title before the first table,
key/value cells (单位名称 + its value), and the note after a table."""
from __future__ import annotations

import functools
from importlib import resources

import regex as re
from normalizers.yamltext import parse_yaml

from . import shapes as sh
from .glued_cells import ATTACHMENT, Builder

_YEAR_SUFFIX = re.compile(r"\s*[(（]\s*\d{4}\s*年度?\s*[)）]")
_DATE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
_SENTENCE_END = "。，,：:；;\n!！?？"
_HEADERISH = re.compile(r"[(（]\s*(?:分|%|万元|元|A|B|B/A)\s*[)）]|\p{Han}\s*\d+(?:\.\d+)?\s*\p{Han}")


@functools.lru_cache(maxsize=1)
def titles() -> list[re.Pattern]:
    raw = parse_yaml(resources.files("extractors").joinpath("forms/forms.yaml").read_text("utf-8"))
    return [re.compile(t) for f in raw["forms"] for t in f["titles"]]


def title_start(bd: Builder, a: int) -> int:
    """Where the title whose form word starts at ``a`` begins: back to the sentence
    start if that is near, never into an earlier title or date."""
    text = bd.text
    lo = max(bd.start, a - 80)
    floor = max([m.end() for pat in titles() for m in pat.finditer(text, lo, a)]
                + [m.end() for m in _DATE.finditer(text, lo, a)] + [bd.start])
    back = a
    while back > floor and a - back < 40 and text[back - 1] not in _SENTENCE_END:
        back -= 1
    return back if back == floor or text[back - 1] in _SENTENCE_END else a


def preamble(bd: Builder, labels: list[sh.Label], first: int) -> int:
    """Paragraphs before the table: the text, then the form title (the last title
    pattern before the first header) as its own paragraph.  Returns where the table
    starts: the first key/value label after the title."""
    text = bd.text
    title = None
    cand = [x.start for x in labels if bd.start <= x.start <= first and x.kind in (sh.META, sh.FUND_CORNER)]
    for pat in titles():
        for m in pat.finditer(text, bd.start, first):
            y = _YEAR_SUFFIX.match(text, m.end())
            after = y.end() if y else m.end()
            # a title heads the table: the table's first label follows it closely
            if not any(0 <= c - after <= 20 for c in cand + [first]):
                continue
            if title is None or m.start() > title[0]:
                title = (m.start(), m.end())
    if title:
        a, b = title_start(bd, title[0]), title[1]
        m = _YEAR_SUFFIX.match(text, b)
        b = m.end() if m else b
        bd.para(bd.start, a)
        bd.para(a, b)
        tstart = b
    else:
        tstart = bd.start
    cand = [x.start for x in labels if x.start >= tstart and x.kind in (sh.META, sh.FUND_CORNER)]
    table = min(cand + [first]) if cand else first
    if table > tstart:
        bd.para(tstart, table)
    return table


def key_value(bd: Builder, lab: sh.Label, nxt: int) -> int:
    """A key/value label: the value runs to the next label (``nxt``) or line break, and
    is a cell only where its end is certain.  Returns where it ends."""
    text = bd.text
    nl = text.find("\n", lab.end, nxt)
    stop = nxt if nl < 0 or not text[lab.end:nl].strip() else nl
    inner = sh.first_label(text, lab.end, stop, sh.ALL)
    stop = inner.start if inner else stop
    cut = stop < bd.end and label_overlaps(bd, lab.end, stop)
    if not cut and plain_value(text[lab.end:stop], lab.role in sh.vocab()["phone_labels"]):
        bd.cells([(lab.start, lab.end), (lab.end, stop)])
    else:
        bd.cells([(lab.start, lab.end)])
        bd.refuse(lab.end, stop, "value: where it ends is not certain")
    return stop


def label_overlaps(bd: Builder, lo: int, stop: int) -> bool:
    """True if another label could begin before ``stop`` and run past it (2021年度|资金总额
    vs 年度资金总额): which characters end the value is then not written."""
    for x in range(max(lo + 1, stop - 6), stop):
        m = sh.first_label(bd.text, x, min(bd.end, stop + 40), sh.ALL)
        if m is not None and m.start == x and m.end > stop:
            return True
    return False


def plain_value(v: str, phone: bool = False) -> bool:
    """A key/value cell read up to the next known label is certain only when it looks like
    one value: short, with no header note ((分), (万元)) and no figure between words (an
    unknown label and its figure glued in: 财政处室自评总分(分)97.6部门联系人); a phone
    starts with a digit."""
    v = v.strip()
    if phone and v and not (v[0].isdigit() or v[0] == "*"):
        return False
    return len(v) <= 40 and not _HEADERISH.search(v) and sh.holds_label(v) is None


def end_note(bd: Builder, lab: sh.Label, pos: int) -> int:
    """A note after the table (``lab`` is its END label at ``pos``): a paragraph up to
    the next form title or attachment label.  Returns where it ends."""
    text = bd.text
    bd.close_table()
    nxt_title = min([title_start(bd, m.start()) for p in titles()
                     for m in p.finditer(text, lab.end, bd.end)]
                    + [m.start() for m in ATTACHMENT.finditer(text, lab.end, bd.end)]
                    + [bd.end])
    bd.para(pos, nxt_title)
    return nxt_title
