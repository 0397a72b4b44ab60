"""Lexicon (``patterns.yaml``) and text helpers shared by the narrative modules."""
from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path
from typing import Any, Iterable

from normalizers.yamltext import parse_yaml

PATTERNS_PATH = Path(__file__).with_name("patterns.yaml")
_CN = "一二三四五六七八九十"


@functools.lru_cache(maxsize=1)
def _patterns() -> dict[str, Any]:
    with open(PATTERNS_PATH, encoding="utf-8") as fh:
        return parse_yaml(fh)


def _alt(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


# lexicon entry <- patterns.yaml key, by how the entry is held
_SETS = {
    "classifiers": "classifier_units", "strip_prefix_tokens": "label_strip_prefix_tokens",
    "strip_suffix_tokens": "label_strip_suffix_tokens", "boundary_tokens": "label_boundary_tokens",
    "links": "label_links", "prepositions": "label_prepositions", "passive": "label_passive",
    "verb_adverbs": "label_verb_adverbs", "generic_heads": "label_generic_heads",
    "allocation_verbs": "label_allocation_verbs", "subject_labels": "subject_labels",
    "follow_stop": "follow_stop_tokens",
}
_TUPLES = {"ordinal_prefixes": "ordinal_prefixes", "recipient_suffixes": "label_recipient_suffixes",
           "money_heads": "money_heads"}
_REGEX_LISTS = {"strip_prefix_regex": "label_strip_prefix_regex", "heading_prefix_regex": "heading_prefix_regex"}
_REGEXES = {"subject_title_re": "subject_title_regex", "share_re": "share_regex",
            "share_bare_re": "share_bare_regex"}
_LONGEST_FIRST = {"follow_heads": "follow_head_suffixes", "openers": "breakdown_openers",
                  "closers": "total_closers"}


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
        **{name: set(p[key]) for name, key in _SETS.items()},
        **{name: tuple(p[key]) for name, key in _TUPLES.items()},
        **{name: [re.compile(r) for r in p[key]] for name, key in _REGEX_LISTS.items()},
        **{name: re.compile(p[key]) for name, key in _REGEXES.items()},
        **{name: tuple(sorted(p[key], key=len, reverse=True)) for name, key in _LONGEST_FIRST.items()},
        "follow_max": int(p["follow_max_tokens"]),
        "label_max": int(p["label_max_chars"]),
        "comparators": list(u["comparators"]),
        "range_seps": list(u["range_separators"]),
        "after_ge": list(u["after_ge"]),
        "per_units": list(u["per_units"]),
        "no_split": set(p.get("no_split_words") or ()),
    }
    lex["verbs"] = (lex["boundary_tokens"] - lex["links"] - lex["prepositions"]
                    - lex["passive"])
    approx, scales, unit_alt = _alt(u["approx"]), _alt(u["scales"]), _alt(units_all)
    lex["piece_re"] = rf"^(?:{approx})?(?:{scales})?(?:{approx})?(?:{unit_alt})$"
    lex["scale_only_re"] = rf"^(?:(?:{approx})?(?:{scales})(?:{approx})?|(?:{approx}))$"
    # full validation of a matched span's text (whitespace removed)
    cmp_alt, sep_alt = _alt(u["comparators"]), _alt(u["range_separators"])
    num = r"\d+(?:\.\d+)?"
    pct = _alt(u["percent"])
    figure = (
        rf"(?:{cmp_alt})?{num}(?:(?:{sep_alt}){num})?"
        rf"(?:(?:{approx})?(?:{scales})?(?:{approx})?(?:{unit_alt}|{pct})"
        rf"|个(?:{_alt(u['after_ge'])}))"
        rf"(?:(?<=元)[/／](?:{_alt(u['per_units'])})(?:[*×](?:{_alt(u['per_units'])}))?)?")
    lex["full_re"] = re.compile(rf"^{figure}$")
    # a text can hold a figure only where its whitespace-free form contains one: every
    # span the Matcher keeps is a run of the text whose whitespace-free form full_re
    # matches, so a text without a hit of this pattern gives no figure
    lex["candidate_re"] = re.compile(figure)
    lex["unit_tail_re"] = re.compile(rf"(?:{unit_alt}|{pct}|个(?:{_alt(u['after_ge'])}))$")
    return lex


def may_hold_figure(text: str) -> bool:
    """False when no figure can be found in ``text`` (the narrative pipeline is skipped)."""
    return _lex()["candidate_re"].search(_WS_RE.sub("", text)) is not None


def _nfkc(s: str) -> str:
    return unicodedata.normalize("NFKC", s)


_DELIMS = set("，,、；;：:。！？!?\n\r\t")
# a label may list things (建厂房、酒窖及基础设施建设12.08万元): 、 does not end it
_LABEL_DELIMS = _DELIMS - {"、"}
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


@functools.lru_cache(maxsize=8)
def _ends_re(ends: frozenset[str]) -> re.Pattern:
    """One character of ``ends`` (a scan in C instead of a test per character)."""
    return re.compile("[" + "".join(re.escape(c) for c in sorted(ends) if len(c) == 1) + "]")


def _boundaries(text: str, ends: set[str]) -> list[tuple[int, int]]:
    """Sentence spans [start, end) split after any char of ``ends`` and before inline
    headings (``二、`` / ``（三）`` in text without line breaks)."""
    cuts = {0, len(text)}
    cuts.update(m.end() for m in _ends_re(frozenset(ends)).finditer(text))
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


def _chunk_back(text: str, pos: int, lower: int, delims: set[str] = _DELIMS) -> tuple[int, str | None]:
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
        elif depth == 0 and c in delims:
            return i + 1, c
        i -= 1
    return lower, None


def _unit_word(compact: str, lx: dict) -> str:
    m = lx["unit_tail_re"].search(compact)
    return m.group(0) if m else ""
