"""Split a document into sections (attachments / forms / reports) and classify them.

A section starts at an attachment label paragraph (``附件1``, `` 附件 3``) or, where a
document has none, at a paragraph that is a form title.  Its form type comes from the
title patterns in ``forms/forms.yaml``, else from the header anchors found in it.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources

import regex as re
from normalizers.yamltext import parse_yaml

from normalizers.text import fold_ws, strip_pinyin, to_simplified

from .model import CELL, Block, Document, Table, tables_of

UNKNOWN = "unknown"


@functools.lru_cache(maxsize=1)
def form_specs() -> dict:
    raw = parse_yaml(resources.files(__package__).joinpath("forms/forms.yaml").read_text("utf-8"))
    for f in raw["forms"]:
        f["_titles"] = [re.compile(t) for t in f["titles"]]
    raw["_attachment"] = re.compile(raw["attachment_label"])
    return raw


@dataclass
class Section:
    ordinal: int
    blocks: list[Block]
    attachment_label: str | None = None
    form_type: str = UNKNOWN
    title: str | None = None
    title_block: Block | None = None
    char_start: int = 0
    char_end: int = 0
    classified_by: str | None = None  # title | anchors | None

    def tables(self) -> list[Table]:
        return tables_of(self.blocks)

    def paragraphs(self) -> list[Block]:
        return [b for b in self.blocks if b.kind != CELL]


def attachment_label(text: str) -> str | None:
    m = form_specs()["_attachment"].match(text)
    if not m:
        return None
    return "附件" + m.group(1).translate(str.maketrans("０１２３４５６７８９", "0123456789"))


@functools.lru_cache(maxsize=1 << 16)
def match_text(text: str) -> str:
    """Text as compared with titles and anchors: simplified characters, no pinyin
    annotations, layout whitespace folded."""
    return fold_ws(to_simplified(strip_pinyin(text)))


_YEAR = re.compile(r"20\d\d\s*年")


@functools.lru_cache(maxsize=1 << 14)
def title_form(text: str) -> str | None:
    """The form type a title names, or None.  Titles are short lines.  (Kept once
    computed: every line and block of a document is asked, and the same titles and
    headings recur.)"""
    t = match_text(text)
    if len(t) > 80 or len(t) < 4:
        return None
    for f in form_specs()["forms"]:
        if any(p.search(t) for p in f["_titles"]):
            return f["type"]
    return None


def title_in_text(text: str, window: int = 200) -> tuple[str, str] | None:
    """(form type, title) for a form title run into a longer line (flattened text),
    found within the first ``window`` characters."""
    t = match_text(text)[:window]
    best = None
    for f in form_specs()["forms"]:
        for p in f["_titles"]:
            m = p.search(t)
            if m and (best is None or m.start() < best[0]):
                # the title reaches back to the previous punctuation or space
                start = max(t.rfind(ch, 0, m.start()) for ch in "。，,:：;；《》 \n") + 1
                best = (m.start(), f["type"], t[max(start, m.start() - 40):m.end()])
    return (best[1], best[2]) if best else None


def _anchor_form(blocks: list[Block]) -> str | None:
    texts = {match_text(b.content) for b in blocks if len(b.text) <= 40}
    joined = "\n".join(texts)
    best, best_n = None, 0
    for f in form_specs()["forms"]:
        n = sum(1 for a in f["anchors"] if a in joined)
        if n >= f["min_anchors"] and n > best_n:
            best, best_n = f["type"], n
    return best


def segment(doc: Document) -> list[Section]:
    blocks = doc.blocks
    starts: list[tuple[int, str | None]] = []  # (block index, attachment label)
    last_start = -10
    seen_table_since_start = True
    titled_since_start = False
    title_cells = _single_cell_rows(blocks)
    for i, b in enumerate(blocks):
        if b.kind == CELL and not (id(b) in title_cells and (title_form(b.text) or attachment_label(b.text))):
            seen_table_since_start = True
            continue
        lab = attachment_label(b.text) if b.kind != CELL or id(b) in title_cells else None
        if lab:
            starts.append((i, lab))
            last_start, seen_table_since_start, titled_since_start = i, False, False
            continue
        if title_form(b.text):
            recent = i - last_start <= 4 and not seen_table_since_start and not titled_since_start
            if not recent:
                starts.append((i, None))
                last_start, seen_table_since_start = i, False
            titled_since_start = True
    if not starts or starts[0][0] != 0:
        # text before the first label belongs to the first section
        if starts:
            starts[0] = (0, starts[0][1]) if _is_preamble(blocks[: starts[0][0]]) else starts[0]
        if not starts or starts[0][0] != 0:
            starts.insert(0, (0, None))

    sections: list[Section] = []
    for k, (i, lab) in enumerate(starts):
        j = starts[k + 1][0] if k + 1 < len(starts) else len(blocks)
        sec_blocks = blocks[i:j]
        if not sec_blocks:
            continue
        sec = Section(ordinal=len(sections) + 1, blocks=sec_blocks, attachment_label=lab)
        sec.char_start = 0 if k == 0 else sec_blocks[0].char_start
        sec.char_end = len(doc.text) if k + 1 >= len(starts) else blocks[j].char_start
        _classify(sec)
        sections.append(sec)
    # a heading-only section (a title line or two, no table but a stream of single cells)
    # folds into the next; a report's heading only into the report that follows
    k = 0
    while k + 1 < len(sections):
        sec, nxt = sections[k], sections[k + 1]
        if all(t.n_cols == 1 for t in sec.tables()) and len(sec.blocks) <= 4 \
                and (sec.form_type != "self_eval_report" or nxt.form_type == "self_eval_report") \
                and not (sec.attachment_label and nxt.attachment_label):
            last = sec.blocks[-1]
            if nxt.title_block is nxt.blocks[0] and last is not sec.title_block and len(last.text) < 40 \
                    and not re.search(r"[:：|]", last.text) and title_form(last.text + nxt.title):
                nxt.title = fold_ws(last.text + nxt.title)  # a title printed over two lines
            nxt.blocks = sec.blocks + nxt.blocks
            nxt.char_start = sec.char_start
            nxt.attachment_label = nxt.attachment_label or sec.attachment_label
            if nxt.title is None:
                nxt.title, nxt.title_block = sec.title, sec.title_block
            del sections[k]
            continue
        k += 1
    # a title printed over two lines whose first line ended the section before (r036: a page
    # metadata table, then '枞阳县2023年度国家基本公共卫生' / '服务项目绩效评价自评报告'): the
    # first line moves to the titled section
    for sec, nxt in zip(sections, sections[1:]):
        last = sec.blocks[-1] if len(sec.blocks) > 1 else None
        if last is None or last.kind == CELL or last is sec.title_block or not nxt.title \
                or nxt.title_block is not nxt.blocks[0]:
            continue
        line = last.text.strip()
        # only a first line that carries the year the title lacks ('•主题词' before a complete
        # title stays where it is)
        if 0 < len(line) < 40 and "\n" not in line and not re.search(r"[:：|。，,；;]", line) \
                and _YEAR.search(line) and not _YEAR.search(nxt.title) \
                and title_form(line) is None and title_form(line + nxt.title) == nxt.form_type:
            sec.blocks = sec.blocks[:-1]
            nxt.blocks = [last] + nxt.blocks
            sec.char_end = nxt.char_start = last.char_start
            nxt.title = fold_ws(line + nxt.title)
    for n, s in enumerate(sections, start=1):
        s.ordinal = n
    # a leading section with no form and no table is a cover note: fold it forward
    # (or a one-line page teaser that opens with the next section's own title)
    teaser = len(sections) > 1 and len(sections[0].blocks) == 1 and sections[0].title \
        and (sections[0].form_type, sections[0].title) == (sections[1].form_type, sections[1].title)
    if len(sections) > 1 and sections[0].attachment_label is None and (teaser or (
            sections[0].form_type == UNKNOWN
            and (not sections[0].tables() or len(sections[0].blocks) <= 3))):
        first, second = sections[0], sections[1]
        second.blocks = first.blocks + second.blocks
        second.char_start = first.char_start
        sections = sections[1:]
        for n, s in enumerate(sections, start=1):
            s.ordinal = n
    return sections


def _single_cell_rows(blocks: list[Block]) -> set[int]:
    """Cells alone (non-empty) in their table row: where web pages and sheets put titles."""
    rows: dict[tuple, list[Block]] = {}
    for b in blocks:
        if b.kind == CELL and b.text.strip():
            rows.setdefault((b.table_no, b.row), []).append(b)
    return {id(r[0]) for r in rows.values() if len(r) == 1}


def _is_preamble(blocks: list[Block]) -> bool:
    """Blocks before the first attachment label that are only a few short lines."""
    return len(blocks) <= 3 and all(b.kind != CELL and len(b.text) < 60 for b in blocks)


def _title_cells(sec: Section) -> list[Block]:
    """Cells alone in their row near the start of the section: an Excel sheet's merged
    title row, a web page's title cell."""
    head = sec.blocks[:40]
    singles = _single_cell_rows(head)
    return [b for b in head if id(b) in singles and len(b.text) <= 80]


def _classify(sec: Section) -> None:
    head = [b for b in sec.blocks[:12] if b.kind != CELL] + _title_cells(sec)
    for b in head:
        ft = title_form(b.text)
        if ft:
            sec.form_type, sec.title, sec.title_block, sec.classified_by = ft, fold_ws(b.text), b, "title"
            return
    for b in head[:3]:
        if b.kind != CELL and len(b.text) > 40:
            found = title_in_text(b.text)
            if found:
                sec.form_type, sec.title, sec.title_block, sec.classified_by = found[0], found[1], b, "title"
                return
    ft = _anchor_form(sec.blocks)
    if ft:
        sec.form_type, sec.classified_by = ft, "anchors"
    for b in head:  # a paragraph, or a cell alone in its row (a stream's heading)
        if not attachment_label(b.text) and ("表" in b.text or "报告" in b.text):
            sec.title, sec.title_block = fold_ws(b.text), b
            break
