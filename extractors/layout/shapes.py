"""Form labels found in running text, for glued cells (the shapes a cell value can take
are in ``shape_values``).

Labels come from the form vocabularies (``extractors/forms/columns.yaml``,
``normalizers/vocab/indicators.yaml``) and ``glued.yaml``; each is matched with whitespace
allowed between its characters and full/half width folded, so ``数量 指标`` and
``全年预算数（A）`` are found in the glued text.  Pure functions over strings (the large
lexer patterns are compiled through ``regex_store``, which keeps them compiled on disk).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources

import regex as re
from normalizers.yamltext import parse_yaml

from normalizers.ocr import OCR_CONFUSABLES

from .. import regex_store

# roles of a label: header cells of indicator / fund tables, categories, rows
HEADER, FUND_CORNER, FUND_COL, FUND_ITEM, LEVEL1, LEVEL2, META, GOAL, TOTAL, ROW_LABEL, END = (
    "header", "fund_corner", "fund_col", "fund_item", "level1", "level2", "meta", "goal",
    "total", "row_label", "end")
# a level-2 label of a scoring-sheet framework (项目目标, 财务管理): a category only under a
# framework level 1 (项目决策(10分)), elsewhere the words of a name
FRAME2 = "frame_level2"
ALL = (HEADER, FUND_CORNER, FUND_COL, FUND_ITEM, LEVEL1, LEVEL2, META, GOAL, TOTAL, ROW_LABEL, END)


def _yaml(pkg: str, path: str) -> dict:
    return parse_yaml(resources.files(pkg).joinpath(path).read_text("utf-8"))


@functools.lru_cache(maxsize=1)
def vocab() -> dict:
    cols = _yaml("extractors", "forms/columns.yaml")
    ind = _yaml("normalizers", "vocab/indicators.yaml")
    own = _yaml("extractors", "layout/glued.yaml")
    units = _yaml("normalizers", "vocab/units.yaml")
    header: dict[str, str] = {}
    for src in (cols["indicator_columns"], own["indicator_columns"]):
        for role, labels in src.items():
            for lab in labels:
                header.setdefault(lab, role)
    fund_cols: dict[str, str] = {}
    for key in ("fund_columns", "fund_fact_columns"):
        for role, labels in cols[key].items():
            for lab in labels:
                fund_cols.setdefault(lab, role)
    fund_items = {lab: canon for src in (cols["fund_items"], own.get("fund_items") or {})
                  for canon, labs in src.items() for lab in [canon, *labs]}

    def categories(table: dict) -> dict[str, str]:
        # in glued text only labels that end in 指标 are safe: a bare 满意度 or 数量 occurs
        # inside indicator names
        return {lab: canon for canon, spec in table.items()
                for lab in [canon, *spec.get("variants", [])] if lab.endswith("指标")}
    unit_words: set[str] = set()

    def walk(v):
        if isinstance(v, str):
            unit_words.add(v)
        elif isinstance(v, list):
            for x in v:
                walk(x)
        elif isinstance(v, dict):
            for k, x in v.items():
                if isinstance(x, (int, float)):
                    unit_words.add(str(k))
                else:
                    walk(x)
    for k, v in units.items():
        if k not in ("scale_exceptions", "date_like"):
            walk(v)
    other = ind.get("other_schemes") or {}
    return {
        "frame1": sorted(set(other.get("level1", []))), "frame2": sorted(set(other.get("level2", []))),
        "header": header, "fund_cols": fund_cols, "fund_items": fund_items,
        "fund_corner": own["fund_corner"], "level1": categories(ind["level1"]),
        "level2": categories(ind["level2"]), "meta": own["meta_labels"],
        "phone_labels": own["phone_labels"],
        "goal": own["goal_labels"] + [lab for labs in cols["goal_rows"].values() for lab in labs],
        "total": cols["total_labels"], "row_label": own["indicator_row_label"],
        "end": own["table_end"], "filler": own["filler"], "page_marker": own["page_marker"],
        "placeholder_row": own["placeholder_row"],
        "max_points": Decimal(str(own["max_points"])),
        "list_tables": own["list_tables"],
        "confusables": OCR_CONFUSABLES,
        "header_gap_max": int(own.get("header_gap_max", 12)),
        "header_gap_similarity": float(own.get("header_gap_similarity", 0.8)),
        "units": sorted({u for u in unit_words if u and not u.isdigit()}, key=len, reverse=True),
    }


@functools.lru_cache(maxsize=None)
def vocab_re(key: str) -> re.Pattern:
    """A pattern of the glued vocabulary (``page_marker``, ``placeholder_row``), compiled once."""
    return re.compile(vocab()[key])


_FOLD = str.maketrans("（）：，；％＜＞＝", "():,;%<>=")


def fold(s: str) -> str:
    return s.translate(_FOLD)


def _char_re(c: str) -> str:
    alt = {"(": "[(（]", ")": "[)）]", ":": "[:：]", "/": "[/／]"}
    if c in alt:
        return alt[c]
    ocr = vocab()["confusables"].get(c)
    if ocr:  # the OCR readings of the character (labels only, never values)
        return "(?:" + "|".join([re.escape(c)] + [re.escape(x) for x in ocr]) + ")"
    return re.escape(c)


def label_re(label: str) -> str:
    """A label's pattern: any whitespace between its characters, width folded."""
    return r"\s*".join(_char_re(c) for c in label if not c.isspace())


_NOTE = r"(?:\s*[(（][^()（）\n]{0,14}[)）])?"
_SHORT_NOTE = r"(?:\s*[(（][^()（）\n]{1,6}[)）])?"
_POINTS_REQUIRED = r"\s*[(（]\s*\d+(?:\.\d+)?\s*分\s*[)）]"
_POINTS_NOTE = f"(?:{_POINTS_REQUIRED})?"


@dataclass(frozen=True)
class Label:
    start: int
    end: int
    kind: str
    role: str  # the column role / canonical name
    text: str


@functools.lru_cache(maxsize=None)
def _lexer(kinds: tuple[str, ...]) -> tuple[re.Pattern, dict[str, tuple[str, str]]]:
    v = vocab()
    parts: list[tuple[str, str, str, str]] = []  # (label, kind, role, suffix)
    src = {
        HEADER: [(lab, role, _NOTE) for lab, role in v["header"].items()],
        FUND_CORNER: [(lab, "corner", _NOTE + _NOTE) for lab in v["fund_corner"]],
        FUND_COL: [(lab, role, _NOTE) for lab, role in v["fund_cols"].items()],
        FUND_ITEM: [(lab, canon, "") for lab, canon in v["fund_items"].items()],
        LEVEL1: [(lab, canon, _POINTS_NOTE) for lab, canon in v["level1"].items()]
        # a framework level 1 only with its points (项目决策(10分)): bare, it is a word of a name
        + [(lab, lab, _POINTS_REQUIRED) for lab in v["frame1"] if lab not in v["level1"]],
        FRAME2: [(lab, lab, "") for lab in v["frame2"] if lab not in v["level2"]],
        LEVEL2: [(lab, canon, _POINTS_NOTE) for lab, canon in v["level2"].items()],
        META: [(lab, lab, _SHORT_NOTE) for lab in v["meta"]],
        GOAL: [(lab, lab, "") for lab in v["goal"]],
        TOTAL: [(lab, lab, "") for lab in v["total"]],
        ROW_LABEL: [(lab, lab, "") for lab in v["row_label"]],
        END: [(lab, lab, "") for lab in v["end"]],
    }
    for k in kinds:
        parts += [(lab, k, role, suf) for lab, role, suf in src[k]]
    # longest label first, so 年度指标值 wins over 指标值 and 社会效益指标 over 效益指标;
    # between equal labels the kind listed first wins
    parts.sort(key=lambda p: (-len(p[0]), kinds.index(p[1]), p[0]))
    names, alts = {}, []
    for i, (lab, kind, role, suf) in enumerate(parts):
        g = f"g{i}"
        names[g] = (kind, role)
        prefix = r"(?:其中\s*[:：]?\s*)?" if kind == FUND_ITEM else ""
        colon = r"(?:\s*[:：])?" if kind in (FUND_ITEM, META, GOAL, TOTAL) else ""
        # a label followed by 表 is part of a title (绩效目标表), not a cell
        alts.append(f"(?P<{g}>{prefix}{label_re(lab)}(?!\\s*表){suf}{colon})")
    # compiled once per machine, not per process (0.2 s for the lexers of a run's start)
    return regex_store.compile("|".join(alts)), names


def find_labels(text: str, start: int, end: int, kinds: tuple[str, ...]) -> list[Label]:
    """Every label of the given kinds in ``text[start:end]``, leftmost-longest, no overlaps."""
    pat, names = _lexer(tuple(kinds))
    out = []
    for m in pat.finditer(text, start, end):
        g = m.lastgroup
        kind, role = names[g]
        out.append(Label(m.start(), m.end(), kind, role, m.group()))
    return out


def first_label(text: str, start: int, end: int, kinds: tuple[str, ...]) -> Label | None:
    """The first label of the given kinds in ``text[start:end]``, or None."""
    pat, names = _lexer(tuple(kinds))
    m = pat.search(text, start, end)
    if m is None:
        return None
    kind, role = names[m.lastgroup]
    return Label(m.start(), m.end(), kind, role, m.group())


@functools.lru_cache(maxsize=4096)
def holds_label(value: str) -> str | None:
    """A key label written inside ``value``, allowing one OCR slip (``联系电目`` for
    联系电话): the value then runs over a label the text garbled, and its end is unsure."""
    from rapidfuzz.distance import Levenshtein
    v = re.sub(r"\s+", "", value)
    for lab in vocab()["meta"]:
        n = len(lab)
        if n < 4:
            continue
        for i in range(0, max(0, len(v) - n) + 1):
            w = v[i:i + n]
            # a short label with its last character garbled (or, where the value ends, any one after
    # its first two: 实施第位); a long one anywhere
            end = i == len(v) - n  # right before the label that ends the value
            if w == lab or (w[:-1] == lab[:-1] or end and w[:2] == lab[:2] and Levenshtein.distance(w, lab) <= 1
                            if n < 6 else Levenshtein.distance(w, lab) <= 1):
                return lab
    return None


_NOT_HAN = re.compile(r"[^\p{Han}]+")


def _han(s: str) -> str:
    from normalizers.ocr import ocr_fold
    return _NOT_HAN.sub("", ocr_fold(fold(s)))


@functools.lru_cache(maxsize=4096)
def _gap_role(gap: str, kind: str) -> str | None:
    v = vocab()
    table = {HEADER: v["header"], FUND_COL: v["fund_cols"]}[kind]
    g = _han(gap)
    if len(g) < 2:
        return None
    from rapidfuzz.fuzz import ratio
    roles = set()
    for lab, role in table.items():
        h = _han(lab)
        if len(h) < 2:
            continue
        if sorted(g) == sorted(h) or ratio(g, h) / 100 >= v["header_gap_similarity"]:
            roles.add(role)
    return roles.pop() if len(roles) == 1 else None


def gap_label(text: str, a: int, b: int, kind: str) -> Label | None:
    """The header label that the unmatched run ``text[a:b]`` between two header labels
    stands for: the label it scrambles (vertical header text that OCR read out of order,
    考值参分 for 参考分值) or the one it is similar to once the OCR confusables are read
    back and punctuation dropped (调整预算将,A、 for 调整预算数(A)); None unless exactly one
    column role qualifies, or if the run is long (then it is not one label)."""
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    if b <= a or b - a > vocab()["header_gap_max"]:
        return None
    role = _gap_role(text[a:b], kind)
    return Label(a, b, kind, role, text[a:b]) if role else None


@functools.lru_cache(maxsize=1)
def goal_header_roles() -> dict[str, str]:
    """Goal block column labels of the forms (columns.yaml goal_headers): label -> expected | actual."""
    cols = _yaml("extractors", "forms/columns.yaml")
    return {lab: role for role, labs in cols["goal_headers"].items() for lab in labs}
