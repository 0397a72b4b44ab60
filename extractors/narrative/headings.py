"""Heading levels of report lines from their numbering (一、 1, （一） 2, 1. 3, （1） 4), refined by context."""
from __future__ import annotations

import re
from typing import Sequence

from .text import _CN, _fold, _nfkc

_H1_RE = re.compile(rf"^\s*([{_CN}]{{1,3}})\s*[、.,，]\s*(?![{_CN}、])")
_H1_SPACE_RE = re.compile(rf"^\s*([{_CN}]{{1,3}})\s+(?=[\u4e00-\u9fff])")
_H1_PART_RE = re.compile(rf"^\s*第([{_CN}]{{1,3}})(?:部分|章)")
_ARTIFACT_RE = re.compile(r"^\s*(?:\[bookmark:[^\]]*\]\s*)+")  # docx-to-text residue
_H2_RE = re.compile(rf"^\s*[(]\s*([{_CN}]{{1,3}})\s*[)]")
_H3_RE = re.compile(r"^\s*(\d{1,2})\s*[、.](?!\d)")
_H4_RE = re.compile(r"^\s*[(]\s*(\d{1,2})\s*[)]")
_SHORT_MAX = 40


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

