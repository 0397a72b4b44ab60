"""Labels of located figures: the noun phrase each number quantifies, shares (占X的N%)."""
from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from typing import NamedTuple

from .breakdowns import group_breakdowns
from .text import (_CLOSE, _DELIMS, _MAJOR_END, _MERGED_LINK_RE, _MINOR_END, _OPEN, _YEAR_RE,
                   _boundaries, _chunk_back, _fold, _lex, _locate, _strip_quotes,
                   _unit_word)


def _drop_inner_brackets(w: list[str]) -> list[str]:
    """Drop a bracketed aside inside a label, keep one that ends it:
    ``红河州数据发展中心(以下简称“州数据发展中心”)实施项目`` -> ``红河州数据发展中心实施项目``,
    ``运行维护（含离退休及伤残经费）`` unchanged."""
    out: list[str] = []
    i = 0
    while i < len(w):
        x = w[i]
        if x and x[0] in "（(【[" and len(x) == 1:
            depth, j = 0, i
            while j < len(w):
                depth += sum(c in "（(【[" for c in w[j]) - sum(c in "）)】]" for c in w[j])
                if depth <= 0:
                    break
                j += 1
            if j < len(w) - 1 and depth <= 0:  # something follows the aside: drop it
                i = j + 1
                continue
            if depth > 0:  # unbalanced: keep what follows the opening bracket only
                out = []
                i += 1
                continue
        out.append(x)
        i += 1
    return out


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


class _Tok(NamedTuple):
    idx: int
    end: int
    text: str
    is_space: bool


class _TokIndex:
    """The tokens of a doc as plain tuples, searchable by character offset."""

    def __init__(self, doc):
        self.toks = [_Tok(t.idx, t.idx + len(t.text), t.text, t.is_space) for t in doc]
        self.starts = [t.idx for t in self.toks]

    def between(self, a: int, b: int) -> list[_Tok]:
        """Tokens starting in [a, b)."""
        return self.toks[bisect.bisect_left(self.starts, a):bisect.bisect_left(self.starts, b)]


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
        lx = self.lx
        w: list[str] = []
        for x in (x.strip() for x in words):
            m = _MERGED_LINK_RE.match(x) if x else None
            if m:  # jieba's 率为 / 额为: split the link word off
                w.extend([m.group(1), m.group(2)])
            elif x:
                w.append(x)
        punct = lambda x: all(c in _DELIMS or c in _OPEN or c in _CLOSE or  # noqa: E731
                              unicodedata.category(c)[0] in "PS" for c in x)
        while w and (punct(w[-1]) and w[-1][-1] not in _CLOSE):
            w.pop()
        while w and w[-1] in lx["strip_suffix_tokens"]:
            w.pop()
        # ages belong to the label: 0-6岁儿童健康管理, 65岁以上老年人
        keep = set()
        for i in range(len(w) - 1):
            if w[i + 1] in ("岁", "周岁") and re.fullmatch(r"\d+", w[i]):
                keep.add(i)
                k = i - 1
                while k >= 0 and (re.fullmatch(r"\d+", w[k]) or w[k] in lx["range_seps"]):
                    keep.add(k)
                    k -= 1
        cuts = [i for i, x in enumerate(w)
                if i not in keep and (x in lx["boundary_tokens"] or _YEAR_RE.match(x)
                                      or re.fullmatch(r"[\d.%％]+", x)
                                      or (x in ("年", "年度") and i > 0 and _YEAR_RE.match(w[i - 1])))]
        if cuts:
            if cuts[-1] == len(w) - 1 and w[-1] in lx["boundary_tokens"]:
                # ends with a verb (签约28.7万人, 共发放286万元): keep the verb and what
                # precedes it back to the previous boundary
                w = w[cuts[-2] + 1:] if len(cuts) > 1 else w
            elif len("".join(w[cuts[-1] + 1:])) == 1 and w[cuts[-1]] in lx["boundary_tokens"]:
                w = w[cuts[-1]:]  # 执行率, 实现率: a lone 率 keeps its verb
            else:
                w = w[cuts[-1] + 1:]
        w = _drop_inner_brackets(w)
        # an unmatched closing bracket (川财行2020〕189号)补助资金): label starts after it
        depth = 0
        for i in range(len(w) - 1, -1, -1):
            depth += sum(c in _CLOSE for c in w[i]) - sum(c in _OPEN for c in w[i])
        if depth > 0:
            bal = 0
            for i, x in enumerate(w):
                bal += sum(c in _OPEN for c in x) - sum(c in _CLOSE for c in x)
                if bal < 0:
                    w = w[i + 1:]
                    bal = 0
        changed = True
        while changed and w:
            changed = False
            text = "".join(w)
            for rx in lx["strip_prefix_regex"]:
                m = rx.match(text)
                if m and 0 < m.end() < len(text):
                    acc, k = 0, 0  # drop the whole tokens covered by the match
                    while k < len(w) and acc + len(w[k]) <= m.end():
                        acc += len(w[k])
                        k += 1
                    if 0 < k < len(w):
                        w = w[k:]
                        changed = True
                        break
            if changed:
                continue
            if len(w) > 1 and (w[0] in lx["strip_prefix_tokens"]
                               or (punct(w[0]) and w[0][0] not in _OPEN)):
                w.pop(0)
                changed = True
                continue
            while len(w) > 1 and w[-1] in lx["strip_suffix_tokens"]:
                w.pop()
                changed = True
        text = _fold("".join(w))
        text = _strip_quotes(text)
        if not text or re.fullmatch(r"[\W\d_]+", text):
            return None
        if len(text) > lx["label_max"]:
            kept: list[str] = []
            for x in reversed(w):
                if len("".join(kept)) + len(x) > 16:
                    break
                kept.insert(0, x)
            text = _strip_quotes(_fold("".join(kept))) or None
        return text

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
        text = doc.text
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
        for qi, q in enumerate(qs):
            major = _locate(majors, q.start)
            if major != prev_major:
                last_item = None
                prev_major = major
            lower = max(major[0], prev_end if prev_end <= q.start else major[0])
            cstart, delim = _chunk_back(text, q.start, lower)
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
                label = None
                if q.kind == "count" and q.unit in lx["classifiers"]:
                    label = self._following(ti, q.end, major[1])
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
                q.label = label
                last_item = q
            prev_end = q.end

        group_breakdowns(text, qs, majors, minors, lx)
        doc._.narr_quantities = qs
        return doc

