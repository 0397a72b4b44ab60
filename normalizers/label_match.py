"""Label matching by meaning: a label's comparison form (``fold_label``), its qualifiers
(``split_qualifiers``: horizon, scale, weight, letter, notes), the similarity of a text to
a label (rapidfuzz ratios, containment, anagrams) and the best label of a vocabulary
(``best_label``, looked for only among labels sharing a character: ``sharing``).
Pure functions over strings (results kept once computed)."""
from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from .frozen import frozen_vocabulary
from .ocr import ocr_fold
from .text import to_halfwidth

__all__ = ["fold_label", "label_core", "split_qualifiers", "similarity", "best_label", "sharing", "heads",
           "ANAGRAM"]


_PAREN = re.compile(r"[(（\[【]([^()（）\[\]【】]*)(?:[)）\]】]|$)")
_Q_WEIGHT = re.compile(r"^(\d+(?:\.\d+)?)分")
_Q_SCALE = re.compile(r"^(?:单位[:：]?)?(万元|亿元|千元|元)$")
_Q_LETTER = re.compile(r"^[A-Z](?:[/÷][A-Z])?(?:[×*]100%)?$")
_HORIZONS = ("长期", "中期", "年度", "当年", "本年", "短期")
_TRAIL_LETTER = re.compile(r"(?<=[\u4e00-\u9fff])([A-Z])$")


def fold_label(text: str | None) -> str:
    """Comparison form of a label: half-width, simplified, no whitespace, no pinyin."""
    if not text:
        return ""
    return _fold(text)


_WS = re.compile(r"\s+")


@lru_cache(maxsize=1 << 16)
def _fold(text: str) -> str:
    # the same cells and vocabulary labels are folded many times per document
    from .text import strip_pinyin, to_simplified
    return ocr_fold(_WS.sub("", to_simplified(strip_pinyin(to_halfwidth(text)))))


def split_qualifiers(text: str | None) -> tuple[str, dict]:
    """A header label without its qualifiers, and the qualifiers as attributes:
    ``指标值(长期)`` → (指标值, {horizon: 长期}); ``全年预算数(A)`` → (全年预算数, {letter: A});
    ``预算执行情况(万元)(20分)`` → (预算执行情况, {scale: 万元, weight: 20});
    ``年度指标值`` → (年度指标值, {horizon: 年度}).  Other bracketed notes go to ``note``."""
    core, q = _split(text or "")
    return core, dict(q)


@lru_cache(maxsize=1 << 16)
def _split(text: str) -> tuple[str, tuple]:
    """``split_qualifiers`` kept once computed (qualifiers as an item tuple: callers get a fresh dict)."""
    t = fold_label(text).rstrip(":：")
    q: dict = {}
    notes = []
    for m in _PAREN.finditer(t):
        inner = m.group(1)
        if mw := _Q_WEIGHT.match(inner):
            q["weight"] = Decimal(mw.group(1))
        elif ms := _Q_SCALE.match(inner):
            q["scale"] = ms.group(1)
        elif _Q_LETTER.match(inner):
            q["letter"] = inner
        elif inner in _HORIZONS:
            q["horizon"] = inner
        elif inner:
            notes.append(inner)
    core = _PAREN.sub("", t).rstrip(":：")
    if m := _TRAIL_LETTER.search(core):
        q.setdefault("letter", m.group(1))
        core = core[: m.start()]
    for h in _HORIZONS:
        if core.startswith(h) or core.endswith(h):
            q.setdefault("horizon", h)
            if core.startswith(("长期", "中期", "短期")) and len(core) > 2:
                core = core[2:]
            elif core.endswith(h) and len(core) > len(h):
                core = core[: -len(h)]
            break
    if notes:
        q["note"] = "；".join(notes)
    return core, tuple(q.items())


def similarity(text: str, label: str) -> float:
    """How well a (folded, qualifier-free) text matches a label, 0..1: the rapidfuzz
    ratio, or (for labels of three or more characters) the partial ratio discounted by how much of the text the label leaves
    out (``1.项目年度目标完成情况`` is closer to 年度目标完成情况 than to 项目年度目标)."""
    if not text or not label:
        return 0.0
    if text == label:
        return 1.0
    return _similarity(text, label)


_FUZZ = None
ANAGRAM = 0.9  # the similarity of a label written with its characters out of order


def _fuzz():
    global _FUZZ
    if _FUZZ is None:  # imported on first use, once (not per call)
        from rapidfuzz import fuzz
        _FUZZ = fuzz
    return _FUZZ


@lru_cache(maxsize=1 << 17)
def _similarity(text: str, label: str) -> float:
    # the same (cell, vocabulary label) pairs recur across rows, sections and documents
    fuzz = _fuzz()
    r = fuzz.ratio(text, label) / 100
    if len(text) == len(label) >= 4 and sorted(text) == sorted(label):
        r = max(r, ANAGRAM)  # vertical header text OCR read out of order (考值参分 = 参考分值)
    if len(label) >= 3 and len(text) > len(label) and (label not in text or heads(text, label)):
        p = fuzz.partial_ratio(text, label) / 100
        r = max(r, p * (0.75 + 0.25 * len(label) / len(text)))
    return r


def heads(text: str, label: str) -> bool:
    """Whether ``label``, held in ``text``, can be what the text names: not where every
    occurrence is followed by 的, which makes it the modifier of another noun (a Chinese
    noun phrase ends in its head: 预期目标的实现程度 names a 程度, not a 预期目标)."""
    i = text.find(label)
    while i >= 0:
        if text[i + len(label):i + len(label) + 1] != "的":
            return True
        i = text.find(label, i + 1)
    return False


def best_label(text: str | None, vocabulary: dict[str, list[str]], *,
               threshold: float = 0.8) -> tuple[str | None, float]:
    """(key, score) of the vocabulary entry whose labels best match ``text`` after its
    qualifiers are parsed out; (None, best score) below ``threshold``.  On equal scores
    the entry listed first wins."""
    core = _split(text or "")[0]
    if not core:
        return None, 0.0
    best, best_s = _best(core, frozen_vocabulary(vocabulary))
    return (best, best_s) if best_s >= threshold else (None, best_s)


@lru_cache(maxsize=1 << 15)
def _best(core: str, vocabulary: tuple) -> tuple[str | None, float]:
    """(key, score) of the best entry of a frozen vocabulary for a qualifier-free text
    (only the labels sharing a character with it can score above 0: ``sharing``)."""
    best, best_s = None, 0.0
    for i, j in sharing(core, vocabulary):
        key, labels = vocabulary[i]
        s = similarity(core, label_core(labels[j]))
        if s > best_s:
            best, best_s = key, s
    return best, best_s


def sharing(core: str, vocabulary: tuple) -> list[tuple[int, int]]:
    """The labels of a frozen vocabulary whose core (``label_core``) shares a character
    with ``core``, as (entry, label) positions in vocabulary order.  Every other label's
    ``similarity`` to ``core`` is 0 (no ratio, partial ratio or anagram without a common
    character), so a best or top score looked for among these is the one among all
    labels, at a tenth of the comparisons for a text seen for the first time."""
    index = _char_index(vocabulary)
    out: set[tuple[int, int]] = set()
    for c in set(core):
        hits = index.get(c)
        if hits:
            out.update(hits)
    return sorted(out)


@lru_cache(maxsize=256)
def _char_index(vocabulary: tuple) -> dict[str, tuple[tuple[int, int], ...]]:
    """Character -> the (entry, label) positions of the labels whose core holds it."""
    index: dict[str, list[tuple[int, int]]] = {}
    for i, (_, labels) in enumerate(vocabulary):
        for j, lab in enumerate(labels):
            for c in set(label_core(lab)):
                index.setdefault(c, []).append((i, j))
    return {c: tuple(v) for c, v in index.items()}


_CORES: dict[str, str] = {}


def label_core(label: str) -> str:
    """A vocabulary label without its qualifiers (``split_qualifiers``), kept once read:
    the same vocabulary labels are compared with every cell."""
    f = _CORES.get(label)
    if f is None:
        f = _CORES[label] = split_qualifiers(label)[0]
    return f
