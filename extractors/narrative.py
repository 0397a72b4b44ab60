"""Structure and figures of the narrative self-evaluation report (自评报告).

Three things live here:

* :func:`classify_heading` - the heading level of one line, from its numbering style
  (``一、`` 1, ``（一）`` 2, ``1.``/``1、`` 3, ``（1）`` 4), context free;
* :func:`analyze_report` - heading levels refined by context, heading paths, and every
  figure (money, percentage, count) stated in the prose, as :class:`Mention` objects
  with character offsets into the document's canonical text;
* :func:`narrative_list_sum_findings` and :func:`match_narrative_to_tables` - pure
  check helpers turning mentions into ``checks`` findings.

The figures are found by a spaCy pipeline: a blank ``zh`` pipeline with the jieba
segmenter, a ``Matcher``-based component for quantities (number token + optional scale
/ approximation token + unit token, built from ``narrative_patterns.yaml``) and a
component that assigns each quantity its label, the base of a share (``占基本支出的
91.24%``) and the total it breaks down (``项目支出是1125.71万元，其中：维修改造5.40万元、...``).
Values are normalised by :func:`normalizers.parse_quantity`; this module only locates
the spans.

Label rules (the noun phrase the number quantifies):

* after a measure word (``名 个 家 项 ...``, see ``classifier_units``) the label is the
  noun phrase that follows: ``共招聘43名专业技术人员`` -> ``专业技术人员``;
* otherwise the phrase before the number, back to the previous delimiter
  (``，、；：。``, parentheses are opaque) or the previous figure, with link words
  (``是 为 达到 共计 ...``), subjects (``我单位``), dates (``2023年``) and list openers
  (``其中：主要是包括``) removed: ``2023年我单位基本支出是863.17万元`` -> ``基本支出``;
  ``人员经费：787.52万元`` -> ``人员经费`` (the clause before a colon);
* a share ``占X的N%`` gets ``share_of`` X and the label of the figure it qualifies
  (the last money/count figure of the sentence);
* a label that cannot be found is ``None`` rather than a guess.

Breakdowns (``parent_label``/``parent_index``): figures after ``其中``/``包括`` that
follow a total in the same sentence (money: up to 。, crossing ；; counts: one 、-list),
figures in brackets right after a total (``3608万元(中央2855万元、省级753万元)``), and
items closed by ``共计/合计/总计 N`` (the total then gets label ``共计`` if it has none).
Only figures of the same kind join (money with money, counts with the same unit).

What is a mention: a number token followed by a unit of ``narrative_patterns.yaml``
(money 元/万元/亿元, %, ‰, 个百分点, counts and measures 人/人次/名/家/个/次/件/户/
km/㎡/天/分 ...), with an optional comparator (``≥90%``), range (``30-40人``) or
approximation (``500多人次``, ``30余家``: kept with its raw text, ``op`` ``>=``, ``value``
the stated number).  Chinese-numeral counts (``一套``, ``十二个``), years, dates,
ordinals (``第1名``), ages (``65岁``), heading numbers and document numbers
(``〔2020〕165号``) are not mentions.  ``value_raw`` is the exact source text, inner
spaces included (``803.74 万元``); the value comes from ``parse_quantity`` of it with
whitespace removed, and stays None when parse_quantity cannot read it (``12类``).

``sentence``: the source text of the sentence holding the figure, split after
``。！？；`` (and their half-width forms) and before inline headings such as ``二、``
in reports converted without line breaks; ``sentence_start`` is its document offset.
"""
from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Iterable, NamedTuple, Sequence

import yaml

PATTERNS_PATH = Path(__file__).with_name("narrative_patterns.yaml")

__all__ = [
    "Mention",
    "ParagraphInfo",
    "ReportAnalysis",
    "analyze_report",
    "classify_heading",
    "get_nlp",
    "match_narrative_to_tables",
    "narrative_list_sum_findings",
]


# ----------------------------------------------------------------------------------
# Data model
# ----------------------------------------------------------------------------------


@dataclass
class Mention:
    """One figure stated in the narrative.  ``char_start``/``char_end`` index the
    document's canonical text: ``text[char_start:char_end] == value_raw``."""

    paragraph_index: int
    label: str | None
    value_raw: str
    value: Decimal | None
    unit: str | None
    kind: str | None  # money | percent | count | duration | ... (from parse_quantity)
    share_of: str | None
    parent_label: str | None
    char_start: int
    char_end: int
    sentence: str
    heading_path: list[str]
    op: str | None = None
    upper: Decimal | None = None
    parent_index: int | None = None  # index in ReportAnalysis.mentions of the total
    sentence_start: int | None = None  # document offset of ``sentence``


@dataclass
class ParagraphInfo:
    index: int
    text: str
    char_start: int
    level: int | None  # heading level, None for a paragraph
    heading_path: list[str]  # texts of the headings above (not including itself)
    title: str | None = None  # heading text as used in paths (None for paragraphs)


@dataclass
class ReportAnalysis:
    paragraphs: list[ParagraphInfo]
    mentions: list[Mention]
    warnings: list[str] = field(default_factory=list)

    def mentions_under(self, *path: str) -> list[Mention]:
        """Mentions whose heading path starts with ``path`` (compared whitespace-folded)."""
        want = [_fold(p) for p in path]
        return [m for m in self.mentions
                if [_fold(h) for h in m.heading_path[: len(want)]] == want]


# ----------------------------------------------------------------------------------
# Lexicons
# ----------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _patterns() -> dict[str, Any]:
    with open(PATTERNS_PATH, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _alt(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@functools.lru_cache(maxsize=1)
def _lex() -> dict[str, Any]:
    p = _patterns()
    u = p["units"]
    units_all = list(u["money"]) + list(u["count"]) + [w for w in u["percent"] if len(w) > 1]
    lex: dict[str, Any] = {
        "approx": set(u["approx"]),
        "money_units": set(u["money"]),
        "percent_units": set(u["percent"]),
        "count_units": set(u["count"]),
        "classifiers": set(p["classifier_units"]),
        "ordinal_prefixes": tuple(p["ordinal_prefixes"]),
        "strip_prefix_tokens": set(p["label_strip_prefix_tokens"]),
        "strip_prefix_regex": [re.compile(r) for r in p["label_strip_prefix_regex"]],
        "strip_suffix_tokens": set(p["label_strip_suffix_tokens"]),
        "boundary_tokens": set(p["label_boundary_tokens"]),
        "follow_stop": set(p["follow_stop_tokens"]),
        "follow_heads": tuple(sorted(p["follow_head_suffixes"], key=len, reverse=True)),
        "follow_max": int(p["follow_max_tokens"]),
        "label_max": int(p["label_max_chars"]),
        "openers": tuple(sorted(p["breakdown_openers"], key=len, reverse=True)),
        "closers": tuple(sorted(p["total_closers"], key=len, reverse=True)),
        "share_re": re.compile(p["share_regex"]),
        "share_bare_re": re.compile(p["share_bare_regex"]),
        "comparators": list(u["comparators"]),
        "range_seps": list(u["range_separators"]),
        "after_ge": list(u["after_ge"]),
        "no_split": set(p.get("no_split_words") or ()),
    }
    approx, scales, unit_alt = _alt(u["approx"]), _alt(u["scales"]), _alt(units_all)
    lex["piece_re"] = rf"^(?:{approx})?(?:{scales})?(?:{approx})?(?:{unit_alt})$"
    lex["scale_only_re"] = rf"^(?:(?:{approx})?(?:{scales})(?:{approx})?|(?:{approx}))$"
    # full validation of a matched span's text (whitespace removed)
    cmp_alt, sep_alt = _alt(u["comparators"]), _alt(u["range_separators"])
    num = r"\d+(?:\.\d+)?"
    pct = _alt(u["percent"])
    lex["full_re"] = re.compile(
        rf"^(?:{cmp_alt})?{num}(?:(?:{sep_alt}){num})?"
        rf"(?:(?:{approx})?(?:{scales})?(?:{approx})?(?:{unit_alt}|{pct})"
        rf"|个(?:{_alt(u['after_ge'])}))$")
    lex["unit_tail_re"] = re.compile(rf"(?:{unit_alt}|{pct}|个(?:{_alt(u['after_ge'])}))$")
    return lex


# ----------------------------------------------------------------------------------
# Headings
# ----------------------------------------------------------------------------------

_CN = "一二三四五六七八九十"
_H1_RE = re.compile(rf"^\s*([{_CN}]{{1,3}})\s*[、.,，]\s*(?![{_CN}、])")
_H1_SPACE_RE = re.compile(rf"^\s*([{_CN}]{{1,3}})\s+(?=[\u4e00-\u9fff])")
_H1_PART_RE = re.compile(rf"^\s*第([{_CN}]{{1,3}})(?:部分|章)")
_ARTIFACT_RE = re.compile(r"^\s*(?:\[bookmark:[^\]]*\]\s*)+")  # docx-to-text residue
_H2_RE = re.compile(rf"^\s*[(]\s*([{_CN}]{{1,3}})\s*[)]")
_H3_RE = re.compile(r"^\s*(\d{1,2})\s*[、.](?!\d)")
_H4_RE = re.compile(r"^\s*[(]\s*(\d{1,2})\s*[)]")
_SHORT_MAX = 40


def _nfkc(s: str) -> str:
    return unicodedata.normalize("NFKC", s)


def _cn_ordinal(s: str) -> int | None:
    """Value of a heading numeral (一..九十九 or digits); not a general number parser."""
    if s.isdigit():
        return int(s)
    digits = {c: i + 1 for i, c in enumerate("一二三四五六七八九")}
    if s == "十":
        return 10
    if "十" in s:
        a, _, b = s.partition("十")
        tens = digits.get(a, 1) if a else 1
        ones = digits.get(b, 0) if b else 0
        return tens * 10 + ones
    return digits.get(s)


def _is_short_heading(line: str) -> bool:
    s = line.strip()
    return 0 < len(s) < _SHORT_MAX and "。" not in s and not re.search(r"[；;]", s)


def _heading_match(line: str) -> tuple[int, int | None, int] | None:
    """(level, ordinal, end of the numbering) for a numbered line, before length rules."""
    n = _ARTIFACT_RE.sub("", _nfkc(line))
    for level, rx in ((2, _H2_RE), (4, _H4_RE), (1, _H1_RE), (1, _H1_PART_RE), (3, _H3_RE)):
        m = rx.match(n)
        if m:
            return level, _cn_ordinal(m.group(1)), m.end()
    m = _H1_SPACE_RE.match(n)
    if m and _is_short_heading(n) and "，" not in n and "," not in n:
        return 1, _cn_ordinal(m.group(1)), m.end()
    return None


def classify_heading(line: str) -> int | None:
    """Heading level of ``line`` from its numbering, or None for a paragraph.

    ``一、`` -> 1, ``（一）``/``(一)`` -> 2, ``1.``/``1、``/``1．`` -> 3, ``（1）``/``(1)`` -> 4
    (full-width, half-width and mixed brackets/digits alike).  Chinese-numeral styles
    (1, 2) are headings whatever follows them (a heading may run into its first
    sentence in converted documents).  Arabic styles (3, 4) double as list items, so
    they are headings only when the line is short (< 40 chars) with no 。 or ；:
    ``1、 单位基本情况`` -> 3, ``1、贯彻执行国民健康政策...。`` -> None.  This is context
    free; :func:`analyze_report` refines it (top-level headings mis-numbered ``1、``,
    short ``1.xxx分析。`` headings).
    """
    if not line or not line.strip():
        return None
    hm = _heading_match(line)
    if hm is None:
        return None
    level, _, end = hm
    rest = _ARTIFACT_RE.sub("", _nfkc(line))[end:].strip()
    if not rest or rest[0].isdigit():
        return None
    if level in (3, 4) and not _is_short_heading(line):
        return None
    return level


def _heading_title(line: str) -> str:
    s = _ARTIFACT_RE.sub("", line).strip()
    if len(s) <= 60:
        return s
    m = re.search(r"[。！？!?；;]", s)
    return s[: m.start() + 1] if m and m.start() < 60 else s[:60]


def _heading_topic(title: str) -> str | None:
    """A heading without its numbering and final punctuation: ``(一)自评得分`` -> ``自评得分``."""
    hm = _heading_match(title)
    t = _ARTIFACT_RE.sub("", _nfkc(title))[hm[2]:] if hm else title
    t = _fold(t).rstrip("。.：:；;，, ")
    return t or None


def _context_levels(texts: Sequence[str]) -> list[int | None]:
    base = [classify_heading(t) for t in texts]
    matches = [_heading_match(t) if t and t.strip() else None for t in texts]
    levels = list(base)
    # (a) short numbered line ending with 。 between body text: a heading
    for i, t in enumerate(texts):
        if levels[i] is not None or matches[i] is None:
            continue
        lvl = matches[i][0]
        s = t.strip()
        if lvl in (3, 4) and len(s) <= 20 and s.endswith("。") and s.count("。") == 1 \
                and not re.search(r"[，,；;：:]", s):
            nxt = next((j for j in range(i + 1, len(texts)) if texts[j].strip()), None)
            prv = next((j for j in range(i - 1, -1, -1) if texts[j].strip()), None)
            if all(j is None or matches[j] is None or matches[j][0] != lvl for j in (prv, nxt)):
                levels[i] = lvl  # not one of a run of numbered list items
    # (b) top-level headings auto-numbered `1、`/`6、` between 一、..五、
    last_l1 = 0
    last_level: int | None = None
    for i, t in enumerate(texts):
        lvl = levels[i]
        if lvl is None:
            continue
        ordinal = matches[i][1] if matches[i] else None
        if lvl == 3 and ordinal is not None and (last_level in (None, 1)) \
                and ordinal == last_l1 + 1:
            nxt = next((levels[j] for j in range(i + 1, len(texts)) if levels[j] is not None),
                       None)
            if nxt == 2:
                lvl = levels[i] = 1
        if lvl == 1 and ordinal is not None:
            last_l1 = ordinal
        last_level = lvl
    return levels


# ----------------------------------------------------------------------------------
# spaCy pipeline
# ----------------------------------------------------------------------------------

_SPLITTER_NAME = "narrative_unit_splitter"
_MATCHER_NAME = "narrative_quantity_matcher"
_LABELER_NAME = "narrative_quantity_labeler"


def _register_components() -> None:
    from spacy.language import Language
    from spacy.tokens import Doc

    if not Doc.has_extension("narr_quantities"):
        Doc.set_extension("narr_quantities", default=None)
    if not Language.has_factory(_SPLITTER_NAME):
        Language.factory(_SPLITTER_NAME, func=_make_splitter)
    if not Language.has_factory(_MATCHER_NAME):
        Language.factory(_MATCHER_NAME, func=_make_matcher)
    if not Language.has_factory(_LABELER_NAME):
        Language.factory(_LABELER_NAME, func=_make_labeler)


def _make_splitter(nlp, name):
    return UnitSplitter()


def _make_matcher(nlp, name):
    return QuantityMatcher(nlp)


def _make_labeler(nlp, name):
    return QuantityLabeler()


@functools.lru_cache(maxsize=1)
def get_nlp():
    """The shared pipeline: blank ``zh`` + jieba, quantity matcher, labeler (built once)."""
    import logging

    import spacy

    try:  # jieba prints its dictionary loading on stderr at INFO level
        import jieba

        jieba.setLogLevel(logging.WARNING)
    except Exception:  # pragma: no cover - jieba is a dependency
        pass
    _register_components()
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.add_pipe(_SPLITTER_NAME)
    nlp.add_pipe(_MATCHER_NAME)
    nlp.add_pipe(_LABELER_NAME)
    return nlp


class UnitSplitter:
    """Splits a token that glues a unit to the next word after a number.

    jieba writes ``138587元及2023年`` as ``138587`` ``元及`` ...; the matcher needs ``元``
    as a token of its own.  A token right after a number token is split after its
    longest prefix that is a unit (``元及`` -> ``元`` ``及``, ``名医`` -> ``名`` ``医``),
    unless the token is a word listed in ``no_split_words`` (``项目``, ``分别``).
    """

    def __init__(self):
        lx = _lex()
        self.piece = re.compile(lx["piece_re"])
        self.scale_only = re.compile(lx["scale_only_re"])
        self.no_split = lx["no_split"]

    def __call__(self, doc):
        todo = []
        texts = [t.text for t in doc]
        spaces = [t.is_space for t in doc]
        for i in range(1, len(texts)):
            x = texts[i]
            if spaces[i] or len(x) < 2:
                continue
            k = i - 1
            if spaces[k] and k >= 1:
                k -= 1
            if texts[k] == "个" and k >= 1:  # 30个工作日内
                k -= 1
                if spaces[k] and k >= 1:
                    k -= 1
            if not _NUM_TOKEN_RE.match(texts[k]):
                continue
            if self.piece.match(x) or self.scale_only.match(x) or x in self.no_split:
                continue
            for n in range(len(x) - 1, 0, -1):
                if self.piece.match(x[:n]):
                    todo.append((doc[i], n))
                    break
        if todo:
            with doc.retokenize() as retok:
                for tok, k in todo:
                    retok.split(tok, [tok.text[:k], tok.text[k:]], heads=[(tok, 0), (tok, 0)])
        return doc


_DIGIT_RE = re.compile(r"\d")
_NUM_TOKEN_RE = re.compile(r"^\d+(?:\.\d+)?$")


class QuantityMatcher:
    """Finds ``number [scale/approx] unit`` token sequences with a spaCy ``Matcher``.

    jieba gives ``863.17`` ``万元``, ``91.24%`` as one token, ``500`` ``多人次``,
    ``803.74`` ``万元`` (the space as trailing whitespace) - the patterns accept a number
    token, an optional space token, an optional scale/approximation token and a unit
    token whose text is ``[多|余][万|亿|...][多|余]UNIT``.  Matches go to
    ``doc.spans['quantities']`` with label money | percent | count.
    """

    def __init__(self, nlp):
        from spacy.matcher import Matcher

        lx = _lex()
        self.lx = lx
        self.matcher = Matcher(nlp.vocab)
        NUM = {"TEXT": {"REGEX": r"^\d+(?:\.\d+)?$"}}
        NUMPCT = {"TEXT": {"REGEX": r"^\d+(?:\.\d+)?[%％‰]$"}}
        CMP = {"TEXT": {"IN": lx["comparators"]}, "OP": "?"}
        SEP = {"TEXT": {"IN": lx["range_seps"]}}
        SP = {"IS_SPACE": True, "OP": "?"}
        PRE = {"TEXT": {"REGEX": lx["scale_only_re"]}, "OP": "?"}
        UNIT = {"TEXT": {"REGEX": lx["piece_re"]}}
        PCT = {"TEXT": {"IN": ["%", "％", "‰"]}}
        GE = {"TEXT": "个"}
        AFTER_GE = {"TEXT": {"IN": lx["after_ge"]}}
        nums = [[NUM], [NUM, SP, SEP, SP, NUM]]
        pats = []
        for n in nums:
            pats.append([CMP, SP] + n + [SP, PRE, SP, UNIT])
            pats.append([CMP, SP] + n + [SP, PCT])
            pats.append([CMP, SP] + n + [SP, GE, AFTER_GE])
        pats.append([CMP, SP, NUMPCT])
        pats.append([CMP, SP, NUM, SP, SEP, SP, NUMPCT])
        self.matcher.add("QUANTITY", pats, greedy="LONGEST")

    def __call__(self, doc):
        from spacy.util import filter_spans

        lx = self.lx
        text = doc.text
        spans = []
        if not _DIGIT_RE.search(text):  # no figure possible: skip the Matcher
            doc.spans["quantities"] = []
            return doc
        for _, start, end in self.matcher(doc):
            span = doc[start:end]
            compact = re.sub(r"\s+", "", span.text)
            if not lx["full_re"].match(compact):
                continue
            # leading comparator only when glued to the figure it qualifies
            first = doc[start]
            if first.text in lx["comparators"] and end - start > 1:
                pass
            before = text[max(0, span.start_char - 8): span.start_char].rstrip()
            if before.endswith(lx["ordinal_prefixes"]):
                continue  # 第1名, 第94周年
            prev_char = text[span.start_char - 1] if span.start_char else ""
            if prev_char and (prev_char.isascii() and (prev_char.isalnum() or prev_char in "./")):
                continue  # P1.5LED, V2.0, 3*1.8*2 fragments
            span.label_ = _unit_kind(compact, lx)
            spans.append(span)
        doc.spans["quantities"] = filter_spans(spans)
        return doc


def _unit_kind(compact: str, lx: dict) -> str:
    if re.search(r"[%％‰]|百分点$", compact):
        return "percent"
    if compact.endswith("元"):
        return "money"
    return "count"


def _unit_word(compact: str, lx: dict) -> str:
    m = lx["unit_tail_re"].search(compact)
    return m.group(0) if m else ""


# ---- label assignment --------------------------------------------------------------

_DELIMS = set("，,、；;：:。！？!?\n\r\t")
_OPEN = "（(【[《“‘〔"
_CLOSE = "）)】]》”’〕"
_MAJOR_END = set("。！？!?")
_MINOR_END = set("。！？!?；;")
_INLINE_HEAD_RE = re.compile(
    rf"(?<![{_CN}第\d])(?:[{_CN}]{{1,3}}、(?![{_CN}\d])|[（(][{_CN}]{{1,3}}[）)])")
_YEAR_RE = re.compile(r"^\d{4}$")
_MERGED_LINK_RE = re.compile(r"^(.*[率额数量值])(为|达|是|达到)$")
_WS_RE = re.compile(r"\s+")
_CJK = r"\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"


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


def _strip_quotes(s: str) -> str:
    """Remove quotes that enclose the whole text (“四小门店” -> 四小门店)."""
    s = s.strip()
    pairs = {"“": "”", "《": "》", '"': '"', "「": "」", "‘": "’"}
    while len(s) >= 2 and s[0] in pairs and s.endswith(pairs[s[0]]) \
            and s.count(s[0]) == 1:
        s = s[1:-1].strip()
    return s


def _fold(s: str | None) -> str:
    """Whitespace folded label text: spaces next to CJK removed, others collapsed."""
    if s is None:
        return ""
    s = s.strip()
    s = re.sub(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])", "", s)
    return _WS_RE.sub(" ", s)


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


def _boundaries(text: str, ends: set[str]) -> list[tuple[int, int]]:
    """Sentence spans [start, end) split after any char of ``ends`` and before inline
    headings (``二、`` / ``（三）`` in text without line breaks)."""
    cuts = {0, len(text)}
    for i, c in enumerate(text):
        if c in ends:
            cuts.add(i + 1)
    for m in _INLINE_HEAD_RE.finditer(text):
        if m.start() > 0:
            cuts.add(m.start())
    pts = sorted(cuts)
    return [(a, b) for a, b in zip(pts, pts[1:]) if a < b]


def _locate(spans: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    for a, b in spans:
        if a <= pos < b:
            return a, b
    return (0, 0) if not spans else spans[-1]


def _chunk_back(text: str, pos: int, lower: int) -> tuple[int, str | None]:
    """Start of the clause that ends at ``pos`` (parentheses opaque) and the delimiter
    before it (None when the clause starts at ``lower`` or an opening bracket)."""
    depth = 0
    i = pos - 1
    while i >= lower:
        c = text[i]
        if c in _CLOSE:
            depth += 1
        elif c in _OPEN:
            if depth == 0:
                return i + 1, c
            depth -= 1
        elif depth == 0 and c in _DELIMS:
            return i + 1, c
        i -= 1
    return lower, None


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

        self._group(doc, qs, majors, minors)
        doc._.narr_quantities = qs
        return doc

    # -- totals and their breakdowns
    def _group(self, doc, qs: list[_Q], majors, minors) -> None:
        """Set ``parent`` of figures that break down a stated total.

        * ``T，其中：A a、B b`` / ``T。其中：...`` / ``T，包括A a...``: an opener after T
          with no sentence end between it and the next figure.  A money breakdown lasts
          to the end of the sentence (。！？; it may cross ；), a count breakdown to the
          next ；.
        * ``T(A a、B b)``: figures in brackets right after T.
        * ``A a；B b；共计T``: a total closing a sentence made only of its items.
        Only figures of the same kind (money with money, counts with the same unit) join.
        """
        lx = self.lx
        text = doc.text
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
            paren = self._paren_parent(text, qs, i)
            if paren is not None:
                if self._compatible(qs[paren], q):
                    q.parent = paren
            elif group_total is not None and self._compatible(qs[group_total], q):
                q.parent = group_total
                group_last = i
            # trailing total: `A 12.08万元；B 18.8万元；共计40.83万元`
            cstart, _ = _chunk_back(text, q.start, prev.end if prev and prev.end >= major[0]
                                    else major[0])
            if _fold(text[cstart:q.start]).startswith(lx["closers"]) and group_total is None:
                kids = [j for j in sentence_items
                        if qs[j].parent is None and self._compatible(q, qs[j])]
                if len(kids) >= 2 and len(kids) == len(sentence_items):
                    for j in kids:
                        qs[j].parent = i
                    if q.label is None:
                        q.label = next(c for c in lx["closers"]
                                       if _fold(text[cstart:q.start]).startswith(c))
            sentence_items.append(i)
            prev_i = i

    @staticmethod
    def _compatible(total: _Q, item: _Q) -> bool:
        if total.kind != item.kind or total.kind == "percent":
            return False
        if total.kind == "money":
            return True
        return total.unit == item.unit

    @staticmethod
    def _paren_parent(text: str, qs: list[_Q], i: int) -> int | None:
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


# ----------------------------------------------------------------------------------
# Values
# ----------------------------------------------------------------------------------


def _normalise(raw: str, warnings: list[str]) -> tuple[str | None, Decimal | None,
                                                          Decimal | None, str | None, str | None]:
    """(op, value, upper, unit, kind) of one located figure, via normalizers.parse_quantity."""
    compact = re.sub(r"\s+", "", raw)
    try:
        from normalizers import parse_quantity
    except Exception as exc:  # normalizers not available: keep raw only
        msg = f"normalizers.parse_quantity unavailable ({exc.__class__.__name__}: {exc})"
        if msg not in warnings:
            warnings.append(msg)
        return None, None, None, None, None
    approx = bool(re.search(r"\d(?:[万亿千百]*)[多余]", compact))
    try:
        r = parse_quantity(compact)
        if approx and getattr(r, "value", None) is None:
            r = parse_quantity(re.sub(r"(?<=[\d万亿千百])[多余]", "", compact))
    except Exception as exc:
        warnings.append(f"parse_quantity({compact!r}) failed: {exc}")
        return None, None, None, None, None
    op = getattr(r, "op", None)
    if approx and getattr(r, "value", None) is not None and op in (None, "="):
        op = ">="
    return (op, getattr(r, "value", None), getattr(r, "upper", None),
            getattr(r, "unit", None), getattr(r, "kind", None))


# ----------------------------------------------------------------------------------
# Report analysis
# ----------------------------------------------------------------------------------


def analyze_report(paragraphs: Sequence[tuple[str, int]]) -> ReportAnalysis:
    """Headings, heading paths and figures of a narrative report.

    ``paragraphs`` are ``(text, char_start)`` pairs in reading order, ``char_start``
    being the paragraph's offset in the document's canonical text.  All paragraphs are
    processed in one ``nlp.pipe`` batch.
    """
    texts = [t or "" for t, _ in paragraphs]
    starts = [int(s) for _, s in paragraphs]
    warnings: list[str] = []
    levels = _context_levels(texts)

    infos: list[ParagraphInfo] = []
    stack: list[tuple[int, str]] = []
    for i, (t, lvl) in enumerate(zip(texts, levels)):
        if lvl is not None:
            while stack and stack[-1][0] >= lvl:
                stack.pop()
            infos.append(ParagraphInfo(i, t, starts[i], lvl, [h for _, h in stack],
                                       _heading_title(t)))
            stack.append((lvl, _heading_title(t)))
        else:
            infos.append(ParagraphInfo(i, t, starts[i], None, [h for _, h in stack]))

    nlp = get_nlp()
    mentions: list[Mention] = []
    for i, doc in enumerate(nlp.pipe(texts, batch_size=64)):
        info = infos[i]
        path = info.heading_path + ([info.title] if info.level is not None else [])
        qs: list[_Q] = doc._.narr_quantities or []
        base = len(mentions)
        for q in qs:
            if q.label is None and info.heading_path and not texts[i][:q.start].strip() \
                    and info.level is None:
                # `(一)自评得分` / `100分。`: a bare figure is about its heading
                q.label = _heading_topic(info.heading_path[-1])
            op, value, upper, unit, kind = _normalise(q.raw, warnings)
            s_text = texts[i][q.sent_start:q.sent_end]
            lead = len(s_text) - len(s_text.lstrip())
            mentions.append(Mention(
                paragraph_index=i, label=q.label, value_raw=q.raw, value=value,
                unit=unit if unit is not None else (q.unit or None),
                kind=kind if kind is not None else q.kind,
                share_of=q.share_of, parent_label=None,
                char_start=starts[i] + q.start, char_end=starts[i] + q.end,
                sentence=s_text.strip(), heading_path=list(path), op=op, upper=upper,
                parent_index=None, sentence_start=starts[i] + q.sent_start + lead))
        for k, q in enumerate(qs):
            if q.parent is not None:
                mentions[base + k].parent_index = base + q.parent
                mentions[base + k].parent_label = qs[q.parent].label
    return ReportAnalysis(infos, mentions, warnings)


# ----------------------------------------------------------------------------------
# Checks
# ----------------------------------------------------------------------------------

_NUM_RE = re.compile(r"\d+(?:\.\d+)?")


def _display(m: Mention) -> tuple[Decimal, int, str] | None:
    """(scale from base unit to the written unit, decimals written, written unit)."""
    nm = _NUM_RE.search(m.value_raw)
    if nm is None or m.value is None:
        return None
    try:
        written = Decimal(nm.group(0))
    except InvalidOperation:
        return None
    decimals = len(nm.group(0).partition(".")[2])
    unit_written = re.sub(r"\s+", "", m.value_raw[nm.end():])
    if written != 0:
        scale = Decimal(m.value) / written
    else:
        scale = Decimal(10) ** 8 if "亿" in unit_written else \
            Decimal(10000) if "万" in unit_written else Decimal(1)
    return scale, decimals, unit_written


def _fmt(value: Decimal, scale: Decimal, decimals: int) -> str:
    q = Decimal(1).scaleb(-decimals)
    return str((value / scale).quantize(q, rounding=ROUND_HALF_UP))


def _where(m: Mention) -> str:
    path = " > ".join(m.heading_path) if m.heading_path else "report"
    return f"{path} (chars {m.char_start}-{m.char_end})"


def narrative_list_sum_findings(analysis: ReportAnalysis) -> list[dict]:
    """Totals whose listed money items do not add up (``checks`` rule narrative_list_sum).

    A total with at least two money items (``X是N万元，其中：A n1、B n2...``,
    ``N万元(A n1、B n2)``, ``A n1；B n2；共计N``) is compared with the exact Decimal sum
    of its items, expressed in the total's written unit and rounded to the total's
    written precision: ``1125.71万元`` against items summing to ``1125.70`` is a finding
    (0.01万元 is a real difference at that precision).  Severity is ``warning``; when
    the items fall more than 10 % short of the total (likely a partial list introduced
    by 主要包括) it is ``info``.
    """
    ms = analysis.mentions
    kids: dict[int, list[int]] = {}
    for i, m in enumerate(ms):
        if m.parent_index is not None:
            kids.setdefault(m.parent_index, []).append(i)
    out: list[dict] = []
    for t_idx, items in sorted(kids.items()):
        total = ms[t_idx]
        if total.kind != "money" or total.value is None or total.op not in (None, "="):
            continue
        items = [j for j in items if ms[j].kind == "money"]
        if len(items) < 2 or any(ms[j].value is None or ms[j].op not in (None, "=")
                                 for j in items):
            continue
        disp = _display(total)
        if disp is None:
            continue
        scale, decimals, unit_written = disp
        item_sum = sum((Decimal(ms[j].value) for j in items), Decimal(0))
        observed = _fmt(item_sum, scale, decimals)
        expected = _fmt(Decimal(total.value), scale, decimals)
        if Decimal(observed) == Decimal(expected):
            continue
        diff = Decimal(observed) - Decimal(expected)
        severity = "warning"
        if diff < 0 and abs(diff) * 10 > Decimal(expected):
            severity = "info"
        listed = "、".join(f"{ms[j].label or '?'} {ms[j].value_raw.strip()}" for j in items)
        out.append({
            "rule": "narrative_list_sum",
            "severity": severity,
            "expected": total.value_raw.strip(),
            "observed": observed,
            "message": (f"narrative: {total.label or 'total'} {total.value_raw.strip()} "
                        f"but its {len(items)} listed items ({listed}) sum to "
                        f"{observed}{unit_written} (difference {diff:+}{unit_written}); "
                        f"at {_where(total)}: 「{total.sentence[:80]}」"),
            "mentions": [t_idx] + items,
            "total_index": t_idx,
            "item_indices": items,
            "expected_value": Decimal(total.value),
            "observed_value": item_sum,
            "paragraph_index": total.paragraph_index,
            "char_start": total.char_start,
            "char_end": total.char_end,
        })
    return out


_LABEL_SUFFIXES = ("经费", "支出")


def _norm_label(s: str | None) -> str:
    s = _nfkc(s or "")
    s = re.sub(r"\s+", "", s)
    return s.strip("“”\"'‘’《》")


def _label_stem(s: str) -> str:
    for suf in _LABEL_SUFFIXES:
        if s.endswith(suf) and len(s) - len(suf) >= 2:
            return s[: -len(suf)]
    return s


def _labels_match(a: str, b: str) -> bool:
    if not a or not b:
        return False
    return a == b or _label_stem(a) == _label_stem(b)


def match_narrative_to_tables(mentions: Sequence[Mention],
                              table_values: Iterable[tuple[str, Decimal, Any]]) -> list[dict]:
    """Narrative money figures that differ from the same figure in the tables.

    ``table_values`` are ``(label, value in 元, ref id)``.  A money mention (not a share)
    is compared with the table values of the same normalised label (NFKC, whitespace
    removed; ``公用经费`` also matches ``公用支出``).  Equality is judged at the
    mention's written precision (``75.65万元`` vs table 756400元 -> 75.64 ≠ 75.65; ``864万元``
    vs 8631700元 -> 863 ≠ 864).  If any same-label table value agrees there is no
    finding; otherwise one finding, against the closest table value.  Pure function.
    """
    table = [(_norm_label(lbl), Decimal(val), ref) for lbl, val, ref in table_values
             if val is not None]
    out: list[dict] = []
    for idx, m in enumerate(mentions):
        if m.kind != "money" or m.value is None or m.share_of is not None \
                or m.op not in (None, "="):
            continue
        lbl = _norm_label(m.label)
        cands = [(v, ref, tl) for tl, v, ref in table if _labels_match(lbl, tl)]
        if not cands:
            continue
        disp = _display(m)
        if disp is None:
            continue
        scale, decimals, unit_written = disp
        written = _fmt(Decimal(m.value), scale, decimals)
        if any(_fmt(v, scale, decimals) == written for v, _, _ in cands):
            continue
        v, ref, tl = min(cands, key=lambda c: abs(c[0] - Decimal(m.value)))
        expected = _fmt(v, scale, decimals)
        out.append({
            "rule": "narrative_vs_table",
            "severity": "warning",
            "expected": f"{expected}{unit_written}",
            "observed": m.value_raw.strip(),
            "message": (f"narrative states {m.label} {m.value_raw.strip()} at {_where(m)} "
                        f"but the table gives {tl} {expected}{unit_written} ({v}元, {ref})"),
            "mention_index": idx,
            "table_ref": ref,
            "refs": [idx, ref],
            "expected_value": v,
            "observed_value": Decimal(m.value),
        })
    return out
