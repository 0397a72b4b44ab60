"""Totals and their breakdowns among the figures of a paragraph (``parent`` of each figure)."""
from __future__ import annotations

from .text import _CLOSE, _MAJOR_END, _OPEN, _chunk_back, _fold, _locate


def group_breakdowns(text: str, qs: list, majors, minors, lx: dict) -> None:
    """Set ``parent`` of figures that break down a stated total.

    * ``T，其中：A a、B b`` / ``T。其中：...`` / ``T，包括A a...``: an opener after T
      with no sentence end between it and the next figure.  A money breakdown lasts
      to the end of the sentence (。！？; it may cross ；), a count breakdown to the
      next ；.
    * ``T(A a、B b)``: figures in brackets right after T.
    * ``A a；B b；共计T``: a total closing a sentence made only of its items.
    Only figures of the same kind (money with money, counts with the same unit) join.
    """
    items = [i for i, q in enumerate(qs) if not q.is_share]
    group_total: int | None = None
    group_limit = 0
    group_last: int | None = None
    cur_major = None
    prev_i: int | None = None
    sentence_items: list[int] = []
    for i in items:
        q = qs[i]
        major = _locate(majors, q.start)
        prev = qs[prev_i] if prev_i is not None else None
        if major != cur_major:
            cur_major = major
            sentence_items = []
            if group_total is not None and q.start >= group_limit:
                group_total = None
        if group_total is not None and q.start >= group_limit:
            group_total = None
        if prev is not None:
            between = text[prev.end:q.start]
            pos = max(between.rfind(o) for o in lx["openers"])
            if pos >= 0:
                at = prev.end + pos
                o_major = _locate(majors, at)
                same_clause = o_major == major and _locate(minors, at) == \
                    (q.sent_start, q.sent_end)
                # T in the opener's sentence, or the sentence starts with 其中
                t_ok = _locate(majors, prev.start) == o_major or \
                    not _fold(text[o_major[0]:at]).strip(" 　")
                if same_clause and t_ok:
                    group_total = prev_i
                    group_limit = major[1] if prev.kind == "money" else q.sent_end
                    group_last = None
        if group_total is not None and qs[group_total].kind != "money" \
                and group_last is not None:
            # a count breakdown is one 、-list: 其中A 37人、B 2人
            gap = _fold(text[qs[group_last].end:q.start])
            if "、" not in gap or any(c in gap for c in "，,；;：:"):
                group_total = None
        paren = _paren_parent(text, qs, i)
        if paren is not None:
            if _compatible(qs[paren], q):
                q.parent = paren
        elif group_total is not None and _compatible(qs[group_total], q):
            q.parent = group_total
            group_last = i
        # trailing total: `A 12.08万元；B 18.8万元；共计40.83万元`
        cstart, _ = _chunk_back(text, q.start, prev.end if prev and prev.end >= major[0]
                                else major[0])
        if _fold(text[cstart:q.start]).startswith(lx["closers"]) and group_total is None:
            kids = [j for j in sentence_items
                    if qs[j].parent is None and _compatible(q, qs[j])]
            if len(kids) >= 2 and len(kids) == len(sentence_items):
                for j in kids:
                    qs[j].parent = i
                if q.label is None:
                    q.label = next(c for c in lx["closers"]
                                   if _fold(text[cstart:q.start]).startswith(c))
        sentence_items.append(i)
        prev_i = i

def _compatible(total, item) -> bool:
    if total.kind != item.kind or total.kind == "percent":
        return False
    if total.kind == "money":
        return True
    return total.unit == item.unit

def _paren_parent(text: str, qs: list, i: int) -> int | None:
    """Index of the figure written right before the bracket that encloses figure i."""
    q = qs[i]
    depth = 0
    k = q.start - 1
    while k >= 0:
        c = text[k]
        if c in _CLOSE:
            depth += 1
        elif c in _OPEN:
            if depth == 0:
                break
            depth -= 1
        elif c in _MAJOR_END:
            return None
        k -= 1
    if k < 0 or text[k] not in "（(":
        return None
    prev = [j for j in range(i) if qs[j].end <= k]
    if not prev:
        return None
    j = prev[-1]
    if text[qs[j].end:k].strip() or qs[j].is_share:
        return None
    return j

