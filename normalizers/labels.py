"""Indicator label normalisation (一级 / 二级 labels and 三级 names).

Driven by the declarative vocabulary ``normalizers/vocab/indicators.yaml``.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources

from .yamltext import parse_yaml

from .ocr import ocr_fold
from .text import fold_ws, to_halfwidth

__all__ = [
    "LabelResult",
    "normalize_level1",
    "normalize_level2",
    "clean_indicator_name",
    "LEVEL1",
    "LEVEL2",
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
