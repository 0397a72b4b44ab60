"""What a cell of a text table is, by meaning and by shape.

Layout inference needs to know three things about a cell: whether it is a column header
the forms know (and of which kind of column), whether it opens a row (a category label, a
fund line, a total), and what shape its value has.  The header labels come from the form
vocabulary (``extractors/forms/columns.yaml``) and ``layout.yaml``; they are matched by
meaning (:func:`fold`, qualifiers removed, rapidfuzz ratio), never as an exact list.
"""
from __future__ import annotations

import functools
from importlib import resources

import regex as re
from normalizers.yamltext import parse_yaml
from rapidfuzz import fuzz

from normalizers import normalize_level1, normalize_level2, parse_quantity
from normalizers.label_match import heads
from normalizers.text import strip_pinyin, to_halfwidth, to_simplified

# column kinds of a header label
LEVEL1, LEVEL2, NAME, OP, FIGURE, TEXT, ITEM, GOAL = ("level1", "level2", "name", "op",
                                                       "figure", "text", "item", "goal")

_WS = re.compile(r"\s+")
_QUAL = re.compile(r"[(（][^()（）]*(?:[)）]|$)")
_YEAR = re.compile(r"^(?:20\d\d|19\d\d)年(?:度)?")
_NUMBERING = re.compile(r"^(?:\d+[.、．]|[一二三四五六七八九十]+、|[(（]\d+[)）])")
_POINTS = re.compile(r"[(（]\s*\d+(?:\.\d+)?\s*分\s*[)）]")
_SCALE = re.compile(r"[(（]\s*(?:单位[:：]?)?\s*(?:万元|元|亿元|千元)\s*(?:[)）]|$)")
_NOT_HEADER = re.compile(r"[、，,。；;•·●■□√!！?？]")
_OPS = {"=", "≥", "≤", ">", "<", ">=", "<=", "＝", "≧", "≦", "定量", "定性"}


@functools.lru_cache(maxsize=1)
def _columns() -> dict:
    return parse_yaml(resources.files("extractors.forms").joinpath("columns.yaml").read_text("utf-8"))


@functools.lru_cache(maxsize=1)
def _forms() -> dict:
    return parse_yaml(resources.files("extractors.forms").joinpath("forms.yaml").read_text("utf-8"))


@functools.lru_cache(maxsize=1)
def settings() -> dict:
    return parse_yaml(resources.files("extractors.layout").joinpath("layout.yaml").read_text("utf-8"))


@functools.lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Comparison form: half-width, simplified, no pinyin, no whitespace."""
    return _WS.sub("", to_simplified(strip_pinyin(to_halfwidth(text or ""))))


@functools.lru_cache(maxsize=1 << 16)
def core(text: str) -> str:
    """A label without its numbering, leading year, qualifiers and trailing colon:
    ``2022年决算数`` → 决算数, ``全年预算数(A)`` → 全年预算数, ``年度预算申请(万元`` → 年度预算申请."""
    t = fold(text).rstrip(":：")
    t = _NUMBERING.sub("", t)
    t = _YEAR.sub("", t)
    t = _QUAL.sub("", t)
    return t.rstrip(":：")


@functools.lru_cache(maxsize=1)
def _header_vocab() -> list[tuple[str, str]]:
    """(folded label, column kind) of every header label the forms know."""
    cols = _columns()
    out: list[tuple[str, str]] = []

    def add(labels, kind):
        for lab in labels:
            out.append((core(lab), kind))

    kinds = {"level1": LEVEL1, "level2": LEVEL2, "name": NAME, "op": OP, "weight": FIGURE,
             "score": FIGURE}
    for role, labels in cols["indicator_columns"].items():
        add(labels, kinds.get(role, TEXT))
    for key in ("fund_columns", "fund_fact_columns", "staff_columns", "building_columns",
                "expenditure_measures"):
        for labels in cols.get(key, {}).values():
            add(labels, FIGURE)
    for labels in cols["goal_headers"].values():
        add(labels, GOAL)
    add(settings()["item_headers"], ITEM)
    add(settings()["text_headers"], TEXT)
    add(settings()["measure_headers"], FIGURE)
    return out


def _similar(a: str, b: str) -> float:
    if a == b:
        return 1.0
    r = fuzz.ratio(a, b) / 100
    if len(b) >= 3 and len(a) > len(b) and b in a and heads(a, b):
        # 未完成原因和改进措施 holds 改进措施; 年度指标值 holds 指标值
        r = max(r, 0.8 + 0.2 * len(b) / len(a))
    return r



@functools.lru_cache(maxsize=1 << 14)
def header_kind(text: str) -> str | None:
    """The kind of column a header cell names (level1, name, figure, goal, item, …), or
    None when the cell is no header label of the forms."""
    c = core(text)
    if not c or len(c) > 14 or any(ch.isdigit() for ch in c) or _NUMBERING.match(fold(text)) \
            or _NOT_HEADER.search(fold(text)):
        return None  # a numbered or bulleted line titles a part, a sentence heads no column
    thr = settings()["threshold"]
    best, best_s = None, 0.0
    labels = _header_vocab()
    index = _header_index()
    # only a label sharing a character with the cell scores above 0 (no ratio, nor is it held)
    for k in sorted({k for ch in set(c) for k in index.get(ch, ())}):
        lab, kind = labels[k]
        s = _similar(c, lab)
        if s > best_s:
            best, best_s = kind, s
    return best if best_s >= thr else None


@functools.lru_cache(maxsize=1)
def _header_index() -> dict[str, tuple[int, ...]]:
    """Character -> the positions in ``_header_vocab`` of the labels that hold it."""
    index: dict[str, list[int]] = {}
    for k, (lab, _) in enumerate(_header_vocab()):
        for ch in set(lab):
            index.setdefault(ch, []).append(k)
    return {ch: tuple(v) for ch, v in index.items()}


def has_points(text: str) -> bool:
    """``预算执行情况(10分)``, ``绩效指标(90分)``: a label qualified by points."""
    return bool(_POINTS.search(fold(text)))


def has_scale(text: str) -> bool:
    """``项目资金(万元)``, ``年度预算申请(万元``: a label qualified by a money scale."""
    return bool(_SCALE.search(fold(text)))


@functools.lru_cache(maxsize=1 << 14)
def is_block_label(text: str) -> bool:
    """A vertical block title that may precede a header row."""
    c = core(text)
    if not c or len(c) > 12 or shape(text) != "text":
        return False
    if has_points(text):
        return True
    labels = settings()["block_labels"] + [x for v in _columns().get("goal_rows", {}).values() for x in v]
    return any(_similar(c, core(lab)) >= 0.9 for lab in labels)


@functools.lru_cache(maxsize=1 << 14)
def level_of(text: str) -> str | None:
    """``level1`` / ``level2`` for a category label the vocabulary knows."""
    if len(fold(text)) > 16:
        return None
    if normalize_level1(text).known:
        return LEVEL1
    if normalize_level2(text).known:
        return LEVEL2
    return None


@functools.lru_cache(maxsize=1 << 14)
def is_total(text: str) -> bool:
    c = core(text)
    return bool(c) and c in {core(x) for x in _columns()["total_labels"]}


@functools.lru_cache(maxsize=1 << 14)
def is_fund_item(text: str) -> bool:
    """A line label of a funds block (年度资金总额:, 其中:财政资金, 地方资金)."""
    c = re.sub(r"^其中[:：]?", "", core(text))
    if not c or len(c) > 16:
        return False
    labels = [core(x) for v in _columns()["fund_items"].values() for x in v]
    return any(_similar(c, lab) >= 0.9 for lab in labels) or c.endswith(("资金", "拨款", "补助"))


@functools.lru_cache(maxsize=1 << 14)
def is_meta_label(text: str) -> bool:
    """A label of section metadata (项目名称, 主管部门, 实施单位 (盖章)) or one that closes
    a table (评价结论, 项目负责人:)."""
    c = core(text)
    if not c or len(c) > 12:
        return False
    labels = [x for v in _forms()["header_labels"].values() for x in v] + settings()["closing_labels"]
    return any(_similar(c, core(lab)) >= 0.9 for lab in labels)


@functools.lru_cache(maxsize=1 << 14)
def is_closing(text: str) -> bool:
    c = core(text)
    return bool(c) and len(c) <= 12 and any(_similar(c, core(lab)) >= 0.9 for lab in settings()["closing_labels"])


@functools.lru_cache(maxsize=1 << 16)
def shape(text: str) -> str:
    """``empty`` | ``placeholder`` | ``op`` | ``figure`` | ``text``."""
    t = fold(text)
    if not t:
        return "empty"
    if t in settings()["placeholders"]:
        return "placeholder"
    if t in _OPS:
        return "op"
    if len(t) <= 24 and parse_quantity(t).value is not None and not re.search(r"[\u4e00-\u9fff]{5,}", t):
        return "figure"
    return "text"


def is_figure_like(text: str) -> bool:
    return shape(text) in ("empty", "placeholder", "figure")


_KV = re.compile(r"^(?:其中[:：])?(?P<label>[^:：\d]{2,24})[:：](?P<value>[-\d,，.．\s]*(?:万元|元)?)$")


def kv_label(text: str) -> str | None:
    """The label of a ``label：value`` cell (``其中:基本支出:900.47``, ``政府性基金拨款:``)."""
    m = _KV.match(fold(text))
    return m.group("label") if m else None


@functools.lru_cache(maxsize=1 << 12)
def is_breakdown_header(text: str) -> bool:
    """``按收入性质分:2030.12``: a label:value cell that heads a column of label:value cells."""
    lab = kv_label(text)
    return bool(lab) and any(_similar(core(lab), core(h)) >= 0.9 for h in _columns().get("breakdown_headers", {}))


@functools.lru_cache(maxsize=1 << 14)
def figure_column(text: str) -> bool:
    """A column label whose body cells are figures (年度资金: 全年预算数(A); basic data:
    编制数, 2018年决算数; 分值, 得分)."""
    return header_kind(text) == FIGURE


@functools.lru_cache(maxsize=1 << 14)
def value_columns(text: str) -> str | None:
    """``money`` for a fund measure column (全年预算数(A), 2018年决算数), ``facts`` for a
    column of a header whose next row holds the values (编制数, 控制率), else None."""
    c = core(text)
    if not c or len(c) > 14:
        return None
    cols = _columns()
    thr = settings()["threshold"]
    groups = [("facts", [x for spec in cols["header_value_facts"] for v in cols[spec["columns"]].values() for x in v]),
              ("money", [x for key in ("fund_columns", "expenditure_measures") for v in cols[key].values() for x in v]
               + settings()["measure_headers"])]
    best, best_s = None, 0.0
    for kind, labels in groups:
        for lab in labels:
            s = _similar(c, core(lab))
            if s > best_s:
                best, best_s = kind, s
    return best if best_s >= thr else None


@functools.lru_cache(maxsize=1 << 14)
def line_label_header(text: str) -> bool:
    """The label-column header of a table of lines and figures (经费控制情况, 财政供养人员情况,
    资金投入情况)."""
    c = core(text)
    labels = _columns()["expenditure_header"] + settings()["item_headers"] + settings()["row_label_headers"]
    return bool(c) and len(c) <= 14 and any(_similar(c, core(lab)) >= 0.9 for lab in labels)


@functools.lru_cache(maxsize=1 << 14)
def is_top_line(text: str) -> bool:
    """A top-level line of a money table (三公经费, 公用经费, 年度资金总额)."""
    c = re.sub(r"^其中[:：]?", "", core(text))
    labels = (_columns()["expenditure_top_items"] + _columns()["fund_items"]["年度资金总额"]
              + _columns()["fund_items"]["资金总额"])
    return bool(c) and any(_similar(c, core(lab)) >= 0.9 for lab in labels)
