"""Indicator label normalisation (一级 / 二级 labels and 三级 names).

Driven by the declarative vocabulary ``normalizers/vocab/indicators.yaml``.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from functools import lru_cache
from decimal import Decimal
from importlib import resources

from .yamltext import parse_yaml

from .frozen import frozen_vocabulary
from .text import fold_ws, to_halfwidth

__all__ = [
    "LabelResult",
    "normalize_level1",
    "normalize_level2",
    "clean_indicator_name",
    "LEVEL1",
    "LEVEL2",
    "fold_label",
    "label_core",
    "split_qualifiers",
    "similarity",
    "best_label",
]


@dataclass(frozen=True)
class LabelResult:
    """Result of normalising an indicator label.

    ``name`` is the canonical Chinese name when the label is known, else the
    cleaned label (whitespace, weight and brackets removed) — never dropped.
    ``code`` is the stable English code or ``None``; ``weight`` the ``(30 分)``
    weight as an exact Decimal or ``None``; ``raw`` the input as given.
    """

    name: str | None
    code: str | None
    weight: Decimal | None
    known: bool
    raw: str | None
    other_scheme: bool = False  # a category label of another scheme, kept as written

    def _replace_raw(self, raw: str | None) -> "LabelResult":
        return dataclasses.replace(self, raw=raw)


def _load() -> dict:
    with resources.files("normalizers").joinpath("vocab/indicators.yaml").open("r", encoding="utf-8") as fh:
        return parse_yaml(fh)


_VOCAB = _load()


def _load_ocr() -> dict[str, list[str]]:
    with resources.files("normalizers").joinpath("vocab/ocr.yaml").open("r", encoding="utf-8") as fh:
        return {c: list(alts) for c, alts in (parse_yaml(fh) or {}).get("confusables", {}).items()}


OCR_CONFUSABLES: dict[str, list[str]] = _load_ocr()


def _load_ocr_digits() -> dict[str, str]:
    with resources.files("normalizers").joinpath("vocab/ocr.yaml").open("r", encoding="utf-8") as fh:
        return {k: str(v) for k, v in (parse_yaml(fh) or {}).get("digits", {}).items()}


OCR_DIGITS: dict[str, str] = _load_ocr_digits()
_OCR_ONE = str.maketrans({alt: c for c, alts in OCR_CONFUSABLES.items() for alt in alts if len(alt) == 1})
_OCR_LATIN = [(alt, re.compile(r"(?<=[\u4e00-\u9fff])" + re.escape(alt)), c)
              for c, alts in OCR_CONFUSABLES.items() for alt in alts if len(alt) > 1]


def ocr_fold(text: str) -> str:
    """A label with its OCR confusables read back (项Fl资金(万兀) -> 项目资金(万元))."""
    text = text.translate(_OCR_ONE)
    for alt, pat, c in _OCR_LATIN:
        if alt in text:
            text = pat.sub(c, text)
    return text
_TRAD = str.maketrans({k: v for k, v in _VOCAB.get("traditional", {}).items()})

LEVEL1: dict[str, str] = {name: spec["code"] for name, spec in _VOCAB["level1"].items()}
LEVEL2: dict[str, str] = {name: spec["code"] for name, spec in _VOCAB["level2"].items()}


def _key(s: str) -> str:
    """Matching key: no 指标 / 性 / 类 / 的, so 时效性指标 == 时效指标 == 时效."""
    return re.sub(r"指标|指|标|性|类|的", "", s)


def _build(table: dict) -> tuple[dict[str, str], dict[str, str]]:
    exact: dict[str, str] = {}
    keyed: dict[str, str] = {}
    for name, spec in table.items():
        for form in [name, *spec.get("variants", [])]:
            exact[form] = name
            k = _key(form)
            if k in keyed and keyed[k] != name:
                raise ValueError(f"ambiguous vocabulary key {k!r}: {keyed[k]} / {name}")
            keyed[k] = name
    return exact, keyed


_L1_EXACT, _L1_KEY = _build(_VOCAB["level1"])
_L2_EXACT, _L2_KEY = _build(_VOCAB["level2"])
_OTHER1 = frozenset(_VOCAB.get("other_schemes", {}).get("level1", []))
_OTHER2 = frozenset(_VOCAB.get("other_schemes", {}).get("level2", []))

_WEIGHT_RE = re.compile(
    r"[(\[【〔]?\s*(?:权重|分值)?[:]?\s*(?P<w>\d+(?:\.\d+)?)\s*分\s*[)\]】〕]?\s*$"
)
_LEAD_NUM_RE = re.compile(r"^(?:[一二三四五六七八九十]+[、.]|\d+[、.](?!\d)|[(][一二三四五六七八九十\d]+[)]|[①②③④⑤⑥⑦⑧⑨⑩])\s*")
_TRIM = " \t\r\n:：;；,，、。.-—|*★☆▲△●◆"


def _split_weight(s: str) -> tuple[str, Decimal | None]:
    m = _WEIGHT_RE.search(s)
    if not m:
        return s, None
    head = s[: m.start()]
    if not head.strip():
        return s, None
    return head, Decimal(m.group("w"))


_PAGE_MARKER = re.compile(r"\n\s*\d{1,2}、")  # a document-sharing site's page number inside a label


def _clean_label(raw: str) -> tuple[str, Decimal | None]:
    s = to_halfwidth(_PAGE_MARKER.sub("", raw))
    s = fold_ws(s)
    s = s.replace(" ", "")
    s, w = _split_weight(s)
    s = _LEAD_NUM_RE.sub("", s)
    s = s.strip(_TRIM)
    # unclosed bracket left behind by a cut weight: "满意度指标("
    s = re.sub(r"[(\[【〔]$", "", s).strip(_TRIM)
    return s, w


def _normalize(raw, exact, keyed, codes, other=frozenset()) -> LabelResult:
    if raw is None:
        return LabelResult(None, None, None, False, None)
    cleaned, weight = _clean_label(raw)
    if not cleaned:
        return LabelResult(None, None, weight, False, raw)
    simp = cleaned.translate(_TRAD)
    name = exact.get(simp) or keyed.get(_key(simp))
    if name is None:
        # an unclosed bracket with a cut-off remark ("产出指标（50"): match on
        # the part before it, but do not invent a weight from it
        m = re.match(r"^([^(\[【〔]+)[(\[【〔][^)\]】〕]*$", simp)
        if m:
            head = m.group(1).strip(_TRIM)
            name = exact.get(head) or keyed.get(_key(head))
    if name is None:
        folded = ocr_fold(simp)  # an OCR slip of a label of the vocabulary (顼目产出)
        if folded != simp and (exact.get(folded) or keyed.get(_key(folded)) or folded in other):
            return _normalize(folded + (f"({weight}分)" if weight is not None else ""), exact, keyed, codes,
                              other)._replace_raw(raw)
        return LabelResult(cleaned, None, weight, False, raw, simp in other)
    return LabelResult(name, codes[name], weight, True, raw)


def normalize_level1(raw: str | None) -> LabelResult:
    """Normalise a 一级指标 label: ``产出指标\\n(50 分)`` → 产出指标 / output / 50."""
    return _normalize(raw, _L1_EXACT, _L1_KEY, LEVEL1, _OTHER1)


def normalize_level2(raw: str | None) -> LabelResult:
    """Normalise a 二级指标 label: ``经济效\\n益指标`` → 经济效益指标 / economic."""
    return _normalize(raw, _L2_EXACT, _L2_KEY, LEVEL2, _OTHER2)


# --------------------------------------------------------------------------
# 三级指标 names
# --------------------------------------------------------------------------

_NAME_NUMBERING = re.compile(
    r"""^(?:
        指标\s*\d+\s*[:：.、]?            # 指标1：
      | \d+\s*[.、．](?!\d)               # 1.  1、 (not 1.5万)
      | [(（]\s*\d+\s*[)）]               # (1) （1）
      | [(（]\s*[一二三四五六七八九十]+\s*[)）]  # （一）
      | [一二三四五六七八九十]+\s*、        # 一、
      | [①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]
    )\s*""",
    re.VERBOSE,
)
_MARKS = "★☆*＊▲△●◆◇■□※"


def clean_indicator_name(raw: str | None) -> str | None:
    """Clean a 三级指标 name for display and grouping.

    Width is folded (``ＷＩＦＩ`` → ``WIFI``, ``（`` → ``(``); line breaks and
    layout whitespace are removed between CJK characters and collapsed to one
    space between Latin/digit tokens; leading numbering (``指标1：``, ``1.``,
    ``（1）``, ``一、``, ``①``), template marks and placeholders (``★``, ``*``,
    ``(≥**人)``), pinyin annotations and a trailing weight (``(4分)``) are stripped.
    Quotes (but a lone opening one), inner punctuation and a final ``。`` are kept. ``None`` stays ``None``; a name
    that is only numbering/marks gives ``''``.
    """
    if raw is None:
        return None
    from .text import strip_pinyin
    s = fold_ws(to_halfwidth(strip_pinyin(raw)))
    s = fold_ws(_PLACEHOLDER.sub("", s))  # a removed ** may leave '1 一': folded again
    s = _NAME_WEIGHT.sub("", s)
    s = s.strip(_MARKS + " ")
    for _ in range(len(s)):
        new = _NAME_NUMBERING.sub("", s).strip(_MARKS + " ")
        if new == s:
            break
        s = new
    s = s.rstrip(";；,，:： ")
    if s.startswith("“") and "”" not in s:  # a quote the line lost its partner of
        s = s[1:]
    return s if s == raw or not _needs_more(s) else clean_indicator_name(s)


# template placeholders: (≥**人), （**%）, a bare ** run
_PLACEHOLDER = re.compile(r"\s*[(（][^()（）]*\*[^()（）]*[)）]|\*{2,}")
# a weight written after the name: 目标内容 (4分), 相关性(5 分)
_NAME_WEIGHT = re.compile(r"\s*[(（]\s*\d+(?:\.\d+)?\s*分\s*[)）]\s*$")


def _needs_more(s: str) -> bool:
    return bool(_NAME_NUMBERING.match(s)) or s[:1] in _MARKS or s[-1:] in _MARKS


# --------------------------------------------------------------------------
# fuzzy label matching (table headers, metadata labels, fund lines)
# --------------------------------------------------------------------------

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
    if len(label) >= 3 and len(text) > len(label):
        p = fuzz.partial_ratio(text, label) / 100
        r = max(r, p * (0.75 + 0.25 * len(label) / len(text)))
    return r


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
