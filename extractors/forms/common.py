"""Shared machinery of the form parsers: vocabularies, header matching, claims.

Form parsers read :class:`~extractors.segment.Section` objects (blocks of the one
document model) and never know which file format a section came from.  They return
records whose ``*_block`` fields hold :class:`Block` objects; ``extract`` turns those
into block ids.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import resources

import regex as re
from normalizers.yamltext import parse_yaml

from normalizers import parse_decimal, to_halfwidth
from normalizers.text import fold_ws

from ..model import Block
from ..segment import Section


@functools.lru_cache(maxsize=1)
def vocab() -> dict:
    return parse_yaml(resources.files("extractors.forms").joinpath("columns.yaml").read_text("utf-8"))


@functools.lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Comparison form of a cell: markup removed, half-width, no layout whitespace.
    Kept once computed: the parsers fold the same cells again and again (~740 calls a
    document on ~65 texts)."""
    from ..model import markup_to_lines
    from ..segment import match_text
    return match_text(to_halfwidth(markup_to_lines(text))).replace(" ", "")


def read(b: Block) -> str:
    """A cell's text as a person reads it: markup removed, layout line breaks and
    spaces around CJK characters folded (the exact characters stay in the block)."""
    return fold_ws(b.content)


def match_role(text: str, roles: dict[str, list[str]]) -> str | None:
    """Role whose label equals the folded text, else whose label it contains earliest
    (the longest on a tie)."""
    t = fold(text)
    if not t:
        return None
    for role, labels in roles.items():
        if any(t == fold(lab) for lab in labels):
            return role
    best, best_key = None, None
    for role, labels in roles.items():
        for lab in labels:
            fl = fold(lab)
            pos = t.find(fl)
            # the label the header starts with wins (得分(20分*执行率) is a score), then the longest
            if pos >= 0 and (best_key is None or (pos, -len(fl)) < best_key):
                best, best_key = role, (pos, -len(fl))
    return best


_TRAILING_NOTE = re.compile(r"\s*[(（][^()（）]*[)）]\s*$")


def match_header_exact(text: str, roles: dict[str, list[str]]) -> str | None:
    """Role whose label equals the header, with a trailing note such as (万元), (A),
    (B/A×100%) or (20分*执行率) removed.  For columns where a contained word would
    mislead (年度预算数(万元) is a label column, not 预算数)."""
    t = fold(text)
    if not t:
        return None
    candidates = {t, _TRAILING_NOTE.sub("", t)}
    for role, labels in roles.items():
        if candidates & {fold(lab) for lab in labels}:
            return role
    return None


_NUM_PREFIX = re.compile(r"^\s*(?:[(（]?\d+[)）]|\d+\s*[、.．]|[一二三四五六七八九十]+\s*[、.．])\s*")
_ECON_CODE = re.compile(r"^\d{3,7}(?=\p{Han})(?![年月日号个人次])")  # 30226 劳务费: an economic code
_QIZHONG = re.compile(r"^\s*其中\s*[:：]?\s*")
_PAREN_NOTE = re.compile(r"[(（][^()（）]*[)）]\s*$")


def clean_label(text: str) -> tuple[str, bool, bool]:
    """(label, was_numbered, was_qizhong): ``3、区级专项资金(一个专项一行)`` → 区级专项资金;
    an economic classification code in front (``30226 勞務費``) is no part of the name."""
    t = _ECON_CODE.sub("", fold(text))
    numbered = bool(_NUM_PREFIX.match(t))
    t = _NUM_PREFIX.sub("", t)
    qz = bool(_QIZHONG.match(t))
    t = _QIZHONG.sub("", t)
    t = t.rstrip(":：")
    if "一行" in t or "每个" in t:
        t = _PAREN_NOTE.sub("", t)
    return t, numbered, qz


def amount(text: str) -> Decimal | None:
    t = fold(text)
    if not t:
        return None
    return parse_decimal(t)


@dataclass
class Ctx:
    """What a form parser fills in for one section."""

    section: Section
    indicators: list[dict] = field(default_factory=list)
    funds: list[dict] = field(default_factory=list)
    goals: list[dict] = field(default_factory=list)
    facts: list[dict] = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    claimed: set[int] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)
    # what the recognisers found, for form typing (forms/formtype.py)
    evidence: dict = field(default_factory=dict)

    def claim(self, *blocks: Block | None) -> None:
        for b in blocks:
            if b is not None:
                self.claimed.add(id(b))

    def fact(self, key: str, label: Block | None, value: Block, *, value_raw: str | None = None,
             parsed=None, unit: str | None = None, kind: str | None = None) -> None:
        raw = read(value) if value_raw is None else value_raw
        self.facts.append({"key": key, "label_raw": read(label) if label else key,
                           "value_raw": raw, "value": parsed, "unit": unit, "kind": kind,
                           "block_id": value, "item": None})
        self.claim(label, value)
