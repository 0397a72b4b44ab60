"""Labels of located figures: the noun phrase each number quantifies, shares (占X的N%)."""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import NamedTuple

from .breakdowns import group_breakdowns
from .figures import doc_text
from .phrase import noun_phrase, subject_of
from .text import (_CLOSE, _DELIMS, _LABEL_DELIMS, _MAJOR_END, _MINOR_END, _OPEN,
                   _boundaries, _chunk_back, _fold, _lex, _locate, _strip_quotes,
                   _unit_word)


@dataclass
class _Q:
    start: int  # offsets within the paragraph
    end: int
    raw: str
    kind: str  # money | percent | count (lexical guess; values come from parse_quantity)
    unit: str
    label: str | None = None
    share_of: str | None = None
    is_share: bool = False
    parent: int | None = None  # local index of the total this figure breaks down
    sent_start: int = 0
    sent_end: int = 0
    cstart: int = 0  # start of the clause the label was read from
    follow: bool = False  # label read after a measure word (43名专业技术人员)
    subject: str | None = None  # what a generic label (执行率, 年初目标值) is about


class _Tok(NamedTuple):
    idx: int
    end: int
    text: str
    is_space: bool


class _TokIndex:
    """The tokens of a doc as plain tuples, searchable by character offset."""

    def __init__(self, doc):
        from spacy.attrs import IDX, IS_SPACE, LENGTH
        arr = doc.to_array([IDX, LENGTH, IS_SPACE]).tolist()  # no Token object per token
        self.text = doc_text(doc)
        self.starts = [r[0] for r in arr]
        self.arr = arr

    def between(self, a: int, b: int) -> list[_Tok]:
        """Tokens starting in [a, b)."""
        t = self.text
        return [_Tok(s, s + n, t[s:s + n], bool(sp)) for s, n, sp in
                self.arr[bisect.bisect_left(self.starts, a):bisect.bisect_left(self.starts, b)]]


class QuantityLabeler:
    """Assigns label / share_of / parent to each span of ``doc.spans['quantities']``."""

    def __init__(self):
        self.lx = _lex()

    # -- token helpers
    @staticmethod
    def _tokens(ti: "_TokIndex", a: int, b: int) -> list[str]:
        return [t.text for t in ti.between(a, b)
                if t.end <= b and not t.is_space and t.text.strip()]

    def _clean_preceding(self, words: list[str]) -> str | None:
        """The noun phrase at the end of ``words`` (jieba tokens before a figure)."""
        return noun_phrase(words, self.lx)

    def _following(self, doc, pos: int, limit: int) -> str | None:
        """The noun phrase after a measure word (``43名专业技术人员``, ``1800多家“四小门店”``)."""
        lx = self.lx
        out: list[str] = []
        in_quote = False
        n_words = 0
        toks = doc.between(pos, limit)
        for n, t in enumerate(toks):
            x = t.text
            if t.is_space or not x.strip():
                if out and not in_quote:
                    break
                continue
            if x in ("“", "《", "\"", "「") and not in_quote and (not out or out[-1] != x):
                in_quote = True
                out.append(x)
                continue
            if in_quote:
                out.append(x)
                if x in ("”", "》", "\"", "」"):
                    in_quote = False
                elif len(out) > 12:
                    break
                continue
            if n_words >= lx["follow_max"]:
                break
            if x in _DELIMS or any(c in _DELIMS or c in _OPEN or c in _CLOSE for c in x) \
                    or re.match(r"[\d.]", x):
                break
            if x in lx["follow_stop"] or x in lx["boundary_tokens"]:
                break
            out.append(x)
            n_words += 1
            if x.endswith(lx["follow_heads"]):
                # stop after a head noun unless another one follows (村 卫生室)
                nxt = next((u.text for u in toks[n + 1:] if not u.is_space), "")
                if not (len(nxt) >= 2 and nxt.endswith(lx["follow_heads"])
                        and nxt not in lx["follow_stop"]):
                    break
        text = _strip_quotes(_fold("".join(out)))
        return text or None

    def __call__(self, doc):
        lx = self.lx
        spans = list(doc.spans["quantities"])
        if not spans:
            doc._.narr_quantities = []
            return doc
        text = doc_text(doc)
        ti = _TokIndex(doc)
        majors = _boundaries(text, _MAJOR_END)
        minors = _boundaries(text, _MINOR_END)
        qs: list[_Q] = []
        for sp in spans:
            compact = re.sub(r"\s+", "", sp.text)
            q = _Q(sp.start_char, sp.end_char, sp.text, sp.label_, _unit_word(compact, lx))
            q.sent_start, q.sent_end = _locate(minors, q.start)
            qs.append(q)

        prev_end = 0
        prev_major = None
        last_item: _Q | None = None  # last non-share figure of the current major sentence
        lowers: list[int] = []
        for qi, q in enumerate(qs):
            major = _locate(majors, q.start)
            if major != prev_major:
                last_item = None
                prev_major = major
            lower = max(major[0], prev_end if prev_end <= q.start else major[0])
            prev = qs[qi - 1] if qi else None
            counted = None  # `年初批复预算8个项目985万元`: the figure of the counted items
            if prev is not None and prev.kind == "count" and q.kind != "count" \
                    and lower == prev.end and not any(c in _LABEL_DELIMS for c in text[prev.end:q.start]):
                if _fold(text[prev.end:q.start]).endswith(lx["money_heads"]):
                    lower = lowers[qi - 1]  # a count inside the name (原12类…预拨资金)
                else:
                    counted = self._clean_preceding(self._tokens(ti, prev.cstart, prev.start))
            lowers.append(lower)
            cstart, delim = _chunk_back(text, q.start, lower, _LABEL_DELIMS)
            q.cstart = cstart
            chunk = text[cstart:q.start]
            m = lx["share_re"].search(chunk) if q.kind == "percent" else None
            mb = lx["share_bare_re"].search(chunk) if q.kind == "percent" and not m else None
            if m or mb:
                q.is_share = True
                q.share_of = (_fold(m.group("base")).rstrip("的") or None) if m else None
                head_end = cstart + (m.start() if m else mb.start())
                own = self._clean_preceding(self._tokens(ti, cstart, head_end))
                q.label = own or (last_item.label if last_item else None)
            else:
                label = counted
                if label is None and q.kind == "count" and q.unit in lx["classifiers"]:
                    label = self._following(ti, q.end, major[1])
                    q.follow = label is not None
                if label is None:
                    label = self._clean_preceding(self._tokens(ti, cstart, q.start))
                only_links = all(x in lx["strip_prefix_tokens"] or x in lx["strip_suffix_tokens"]
                                 for x in self._tokens(ti, cstart, q.start))
                if label is None and cstart - 1 > lower and (
                        delim in ("：", ":") or (delim in ("，", ",") and only_links)):
                    # `人员经费：787.52万元` - the clause before the colon;
                    # `一个季度开展工作督导一次,共4次` - the clause before 共
                    p_start, p_delim = _chunk_back(text, cstart - 1, lower)
                    if p_delim is not None or lower == major[0]:  # not cut by a figure
                        label = self._clean_preceding(self._tokens(ti, p_start, cstart - 1))
                if label is None and q.kind == "count":
                    label = self._following(ti, q.end, major[1])
                    q.follow = label is not None
                if label is None and _fold(chunk) in lx["closers"]:
                    label = _fold(chunk)  # `…安排,共计239万元`: the total says what it is
                q.label = label
                last_item = q
            prev_end = q.end

        group_breakdowns(text, qs, majors, minors, lx)
        for q in qs:
            q.subject = subject_of(text, q, lx)
        doc._.narr_quantities = qs
        return doc

