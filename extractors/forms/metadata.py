"""Key:value metadata of a form, wherever it is written: a label cell and the next
cell of its row, a ``label:value`` cell, or header lines (``单位名称:X  填报日期:Y``),
with or without colons.

Labels are matched by meaning (``normalizers.best_label`` over ``header_labels`` in
``forms.yaml``: 预算单位 / 单位名称 / 部门名称, 实施单位 / 项目实施单位 / 资金使用单位, 主管部门 /
主管部门及编码 / 地方主管部门, …).  A code written in front of a name (``219-``,
``[105]``, ``51000021R000000019951-``) goes to ``<key>_code``; a trailing 本级 is dropped
from unit names.  ``unit_name`` falls back to 主管部门, then to the 实施单位.
"""
from __future__ import annotations

import functools

import regex as re

from normalizers import parse_date
from normalizers.label_match import best_label, split_qualifiers

from ..model import Block
from .common import Ctx, fold, read

_COLON = re.compile(r"\s*[:：]\s*")
_SPACE = re.compile(r"\s")
_SPACES = re.compile(r"\s+")

LABEL_THRESHOLD = 0.85
MAX_LABEL = 14
CODED = ("unit_name", "competent_dept", "implementing_unit", "project_name", "central_competent_dept")
UNIT_KEYS = ("unit_name", "competent_dept", "implementing_unit", "central_competent_dept")
_CODE = re.compile(r"^\s*(?:[\[【(（]\s*(?P<b>[0-9A-Za-z]{2,}(?:[-_.][0-9A-Za-z]+)*)\s*[\]】)）]"
                   r"|(?P<d>(?=[0-9A-Za-z]*\d)[0-9A-Za-z]{3,})\s*[-—_－])\s*(?=\S)")
_SUFFIX = re.compile(r"(?:[(（]?本级[)）]?|(?<=[局委院府会心所站室队馆厅处办].{0,0})部门)$")
_PLACEHOLDER = {"", "/", "-", "—", "无"}


def _not_values() -> set[str]:
    from .common import vocab
    v = vocab()
    return {fold(x) for x in v["total_labels"]} | {fold(x) for labs in v["allocation_columns"].values() for x in labs}


def _labels() -> dict[str, list[str]]:
    from ..segment import form_specs
    return form_specs()["header_labels"]


_DIGITS3 = re.compile(r"\d{3,}")


@functools.lru_cache(maxsize=1 << 15)
def meta_key(text: str, threshold: float = LABEL_THRESHOLD) -> str | None:
    """The metadata field a label cell names, or None (``实施单位 (盖章)`` → implementing_unit).
    Kept once computed: the vocabulary is the process's, and every cell and line part of
    a form is asked (several times: as a label, as a value that may be a label)."""
    core, _ = split_qualifiers(text)
    if not core or len(core) > MAX_LABEL or _DIGITS3.search(core):
        return None
    key, _ = best_label(core, _labels(), threshold=threshold)
    return key


_GLUED_CODE = re.compile(r"^\s*(?P<d>\d{3,})(?=\p{Han})(?![年月日号])")
_CODE_LABEL = re.compile(r"编码|代码")
_FIGURE = re.compile(r"[-\d.,，%％万元]+")


def split_code(value: str, coded: bool = False) -> tuple[str | None, str]:
    """(code, name): ``219001-池州市贵池区棠溪镇人民政府`` → (219001, 池州市贵池区棠溪镇人民政府).
    Under a label that names a code (``…及部门预算编码``, ``coded``) the code may be glued
    to the name (``331省农业农村厅``)."""
    m = _CODE.match(value) or (_GLUED_CODE.match(value) if coded else None)
    if not m:
        return None, value
    rest = value[m.end():].strip()
    if not rest or (rest[0].isdigit() and not re.match(r"(?:19|20)\d\d年", rest)):
        return None, value
    return m.groupdict().get("b") or m.group("d"), rest


def _store(ctx: Ctx, key: str, value: str, block: Block | None, label: str = "") -> bool:
    value = value.strip().strip(":：").strip()
    if key != "phone":  # '项目主管部门:昌宁县农业农村局。': the sentence's full stop is no part of the name
        value = value.rstrip("。；;，,").strip()
    if key == "unit_name" and key in ctx.meta and ctx.evidence.get("unit_from_project_label") \
            and not _project_unit_label(label):
        return _restate_unit(ctx, value, block, label)
    if fold(value) in _PLACEHOLDER or value.startswith(("(", "（")) or key in ctx.meta:
        return False
    if fold(value) in _not_values():
        return False  # a column header or total line, not a name (r048 '单位 | 合计')
    if meta_key(value) or (key in CODED and _FIGURE.fullmatch(fold(value))):
        return False  # the next cell is a label (the field is empty) or a figure
    if key in CODED:
        code, value = split_code(value, coded=bool(_CODE_LABEL.search(label)))
        if code:
            ctx.meta[key + "_code"] = code
    if key in UNIT_KEYS:
        value = _SUFFIX.sub("", value).strip() or value
    ctx.meta[key] = value
    ctx.meta[key + "_block"] = block
    if key == "unit_name" and _project_unit_label(label):
        ctx.evidence["unit_from_project_label"] = True
    return True


def _project_unit_label(label: str) -> bool:
    from ..segment import form_specs
    core = split_qualifiers(label)[0] if label else ""
    return bool(core) and core in {fold(x) for x in form_specs().get("project_unit_labels", ())}


def _restate_unit(ctx: Ctx, value: str, block: Block | None, label: str) -> bool:
    """A filing unit stated after a 项目单位: the filing unit is unit_name, the project's
    unit moves to implementing_unit (where that is not stated)."""
    old, old_block = ctx.meta.pop("unit_name"), ctx.meta.pop("unit_name_block", None)
    ctx.evidence.pop("unit_from_project_label", None)
    if not _store(ctx, "unit_name", value, block, label):
        ctx.meta["unit_name"], ctx.meta["unit_name_block"] = old, old_block
        ctx.evidence["unit_from_project_label"] = True
        return False
    if "implementing_unit" not in ctx.meta:
        ctx.meta["implementing_unit"], ctx.meta["implementing_unit_block"] = old, old_block
    return True


def _label_values(text: str):
    """(label, value) pairs of a ``label:value  label:value`` line; where no space
    separates a value from the next label (``填表人:李静云联系电话:8866813``) the label is
    the longest tail the vocabulary knows."""
    parts = _COLON.split(fold_line(text).strip())
    if len(parts) < 2:
        return
    label = _tail_label(parts[0])
    for k in range(1, len(parts)):
        seg = parts[k]
        if k + 1 < len(parts):
            nxt = _tail_label(seg)
            value = seg[: len(seg) - len(nxt)].strip() if nxt else seg
        else:
            nxt, value = None, seg
        if label and meta_key(label):
            yield label, value
        label = nxt


def _tail_label(seg: str) -> str | None:
    """The label that ends ``seg`` (the text before a colon): its last space-separated
    word, known or not (``黄石市图书馆 主要领导签字``), else its longest tail the
    vocabulary knows."""
    seg = seg.rstrip()
    if _SPACE.search(seg):
        return _SPACES.split(seg)[-1]
    for n in range(min(MAX_LABEL, len(seg)), 1, -1):
        if meta_key(seg[-n:], 0.99):
            return seg[-n:]
    return None


def _spaced_pairs(text: str):
    """``地方主管部门 旺苍县卫生健康局 资金使用单位 旺苍县卫生健康局`` (no colons): a word
    the vocabulary knows as a label and the word after it."""
    words = fold_line(text).split()
    k = 0
    while k + 1 < len(words):
        if meta_key(words[k], 0.9) and not meta_key(words[k + 1], 0.9):
            yield words[k], words[k + 1]
            k += 2
        else:
            k += 1


def fold_line(text: str) -> str:
    from normalizers import to_halfwidth
    return to_halfwidth(text).replace("\n", " ")


def read_metadata(ctx: Ctx, rows_of) -> None:
    """Fill ``ctx.meta`` from every table (``rows_of(table)`` gives its rows) and paragraph."""
    sec = ctx.section
    for t in sec.tables():
        rows = rows_of(t)
        if t.n_cols == 1:  # a stream of cells: a label's value is the next cell
            cells = [r[0] for r in rows]
            rows = [cells[i:i + 2] for i in range(len(cells) - 1)]
        for row in rows:
            for k, c in enumerate(row):
                text = c.content
                if not fold(text):
                    continue
                key = meta_key(text)
                if key:
                    nxt = next((x for x in row[k + 1:] if fold(x.text)), None)
                    if nxt is not None and row.index(nxt) == k + 1 and _store(ctx, key, read(nxt), nxt, text):
                        ctx.claim(c, nxt)
                    continue
                if ":" in fold_line(text) or "：" in text:
                    for lab, val in _label_values(text):
                        key = meta_key(lab)
                        if key and _store(ctx, key, val, c, lab):
                            ctx.claim(c)
    for p in sec.paragraphs():
        if len(p.text) > 200:
            continue
        pairs = list(_label_values(p.text))
        if not pairs:
            pairs = list(_spaced_pairs(p.text))
            words = fold_line(p.text).split()
            if pairs and words and not meta_key(words[0], 0.9):
                # '项目负责人 杨柳  联系电话 139****8136': the phone is that person's, not the form's
                pairs = [(lab, val) for lab, val in pairs if meta_key(lab) != "phone"]
        for lab, val in pairs:
            key = meta_key(lab)
            if key:
                _store(ctx, key, val, p, lab)
    if ctx.meta.get("phone") and not ctx.meta.get("preparer"):
        # the form's phone is its 填表人's (填表人:李静云 联系电话:8866813); a phone with no
        # preparer is someone else's (项目负责人 | 劉軍勇 | 聯系電話 | …, a cover notice's
        # 意见收集人:罗娟联系电话:…): not published
        ctx.notes.append(f"phone {ctx.meta['phone']!r} not published: no 填表人 it belongs to")
        ctx.meta.pop("phone")
        ctx.meta.pop("phone_block", None)
    if "filled_date" in ctx.meta:
        ctx.meta["filled_date"] = parse_date(ctx.meta["filled_date"])
    if not ctx.meta.get("unit_name"):
        for k in ("competent_dept", "implementing_unit"):  # a 中央主管部门 is a ministry, not the unit
            if ctx.meta.get(k):
                ctx.meta["unit_name"] = ctx.meta[k]
                if ctx.meta.get(k + "_code"):
                    ctx.meta["unit_code"] = ctx.meta[k + "_code"]
                break
