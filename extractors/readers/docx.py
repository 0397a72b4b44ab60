"""Word ``.docx`` reader (the package's XML parts read directly with lxml).

What it produces (layout ``docx_tables``):

* The main document part is found through the package relationships (``_rels/.rels``
  ``officeDocument``; ``word/document.xml`` if they are missing), its styles part through
  the document's relationships.  Only those two parts are parsed (lxml, entities not
  resolved, no network, no huge trees): the naive python-docx way (loading the package,
  then ``cell.text`` for every cell) costs several times more.

* The body is read in order: every ``w:p`` and ``w:tbl`` child of ``w:body`` (content
  controls ``w:sdt`` and ``w:customXml`` wrappers are looked through).
* A paragraph becomes a ``paragraph`` block, or a ``heading`` block with ``level`` when
  its style (or a style it is based on) is "Heading N"/"标题 N" or carries an outline
  level.  Empty paragraphs produce no block.  ``<w:br/>``/``<w:cr/>`` inside a paragraph
  become ``'\\n'``, ``<w:tab/>`` a space.  Deleted revisions (``w:del``), field codes and
  the fallback copy of ``mc:AlternateContent`` are skipped; text boxes are skipped with a
  warning.
* A table becomes one block per cell origin.  ``row`` counts ``w:tr`` from 1, ``col`` is
  the grid column from 1 (``w:gridBefore`` and ``w:gridSpan`` are counted).  A
  ``gridSpan`` gives ``colspan``; a ``vMerge`` run (``restart`` then continuations) gives
  ``rowspan`` on the ONE block at the top-left; continuation cells produce no block
  (their text, normally empty, is dropped with a warning if it is not).  Legacy
  ``w:hMerge`` is treated like ``gridSpan``.  Every origin cell is emitted, empty or not.
* Cell text: the cell's paragraphs joined by ``'\\n'`` (line breaks inside a paragraph
  also ``'\\n'``), blank paragraphs at the top/bottom of the cell (vertical padding)
  dropped, TABs replaced by spaces.
* Nested tables are FLATTENED into the text of the cell holding them: each nested cell
  becomes one line of the parent cell, in reading order (no separate blocks, so no text
  is duplicated); a warning names the cell.
"""
from __future__ import annotations

import re

from ..model import Document, ReaderError, TextBuilder
from ._common import cell_text, open_zip, para_text, parse_failure
from .docx_package import _load, _q

MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


P, TBL, TR, TC = _q("p"), _q("tbl"), _q("tr"), _q("tc")
SDT, SDT_CONTENT, CUSTOM_XML = _q("sdt"), _q("sdtContent"), _q("customXml")
VAL = _q("val")

# elements whose whole subtree contributes no text
_SKIP = {_q("pPr"), _q("rPr"), _q("del"), _q("moveFrom"), _q("instrText"), _q("delText"),
         _q("delInstrText"), _q("fldData"), _q("sdtPr"), _q("sdtEndPr"), _q("tcPr"),
         _q("trPr"), _q("tblPr"), _q("tblGrid"), _q("footnoteReference"),
         _q("endnoteReference"), _q("commentReference"), f"{{{MC}}}Fallback"}
_TXBX = _q("txbxContent")
_BREAKS = {_q("br"), _q("cr")}

T, TAB, PTAB = _q("t"), _q("tab"), _q("ptab")
NO_BREAK_HYPHEN, SOFT_HYPHEN = _q("noBreakHyphen"), _q("softHyphen")
PPR, PSTYLE, TRPR, TCPR = _q("pPr"), _q("pStyle"), _q("trPr"), _q("tcPr")
GRID_BEFORE, GRID_SPAN, VMERGE, HMERGE = _q("gridBefore"), _q("gridSpan"), _q("vMerge"), _q("hMerge")
_TC_PROPS = (GRID_SPAN, VMERGE, HMERGE)


def _child(el, tag: str):
    """``el.find(tag)`` for a qualified tag (the first child with it), without lxml's
    path machinery: a few microseconds per call, for every row and cell of a table."""
    for ch in el:
        if ch.tag == tag:
            return ch
    return None


def _first_children(el, tags: tuple[str, ...]) -> dict:
    """tag -> the first child of ``el`` with that tag, for the tags present."""
    out: dict = {}
    for ch in el:
        tag = ch.tag
        if tag in tags and tag not in out:
            out[tag] = ch
    return out


_HEADING_NAME = re.compile(r"^\s*(?:heading|标题)\s*(\d)\s*$", re.I)


def _unwrap(el, wanted: set[str]):
    """Children of ``el`` with a tag in ``wanted``, looking through sdt/customXml."""
    for ch in el:
        tag = ch.tag
        if tag in wanted:
            yield ch
        elif tag == SDT:
            content = ch.find(SDT_CONTENT)
            if content is not None:
                yield from _unwrap(content, wanted)
        elif tag == CUSTOM_XML or tag == SDT_CONTENT:
            yield from _unwrap(ch, wanted)


class _Reader:
    def __init__(self, styles) -> None:
        self.styles = styles  # w:styleId -> w:style element (a dict or _Styles)
        self.tb = TextBuilder()
        self.warnings: list[str] = []
        self.n_textboxes = 0
        self._style_levels: dict[str | None, int | None] = {}

    # ---- styles ---------------------------------------------------------------------
    def _heading_level(self, p) -> int | None:
        ppr = _child(p, PPR)
        style_id = None
        if ppr is not None:
            lvl = _outline_level(ppr)
            if lvl is not None:
                return lvl
            ps = _child(ppr, PSTYLE)
            if ps is not None:
                style_id = ps.get(VAL)
        if style_id not in self._style_levels:
            self._style_levels[style_id] = self._style_level(style_id)
        return self._style_levels[style_id]

    def _style_level(self, style_id: str | None) -> int | None:
        if style_id is None:
            return None
        style = self.styles.get(style_id)
        seen = set()
        while style is not None and style_id not in seen:
            seen.add(style_id)
            name_el = style.find(_q("name"))
            name = name_el.get(VAL) if name_el is not None else ""
            m = _HEADING_NAME.match(name or "") or _HEADING_NAME.match(style_id or "")
            if m:
                return int(m.group(1))
            ppr = style.find(_q("pPr"))
            lvl = _outline_level(ppr) if ppr is not None else None
            if lvl is not None:
                return lvl
            based = style.find(_q("basedOn"))
            style_id = based.get(VAL) if based is not None else None
            style = self.styles.get(style_id) if style_id else None
        return None

    # ---- text -----------------------------------------------------------------------
    def _run_text(self, el, out: list[str]) -> None:
        for ch in el:
            tag = ch.tag
            if not isinstance(tag, str) or tag in _SKIP:
                continue
            if tag == _TXBX:
                self.n_textboxes += 1
                continue
            if tag == T:
                out.append(ch.text or "")
            elif tag == TAB or tag == PTAB:
                out.append(" ")
            elif tag in _BREAKS:
                out.append("\n")
            elif tag == NO_BREAK_HYPHEN:
                out.append("-")
            elif tag == SOFT_HYPHEN:
                continue
            elif tag == P:  # a paragraph nested somewhere unexpected
                self._run_text(ch, out)
                out.append("\n")
            else:
                self._run_text(ch, out)

    def _paragraph_text(self, p) -> str:
        out: list[str] = []
        self._run_text(p, out)
        return "".join(out)

    # ---- body -----------------------------------------------------------------------
    def read_body(self, body) -> None:
        for el in _unwrap(body, {P, TBL}):
            if el.tag == P:
                text = para_text(self._paragraph_text(el))
                if not text.strip():
                    continue
                level = self._heading_level(el)
                if level is not None:
                    self.tb.heading(text, level=level)
                else:
                    self.tb.paragraph(text)
            else:
                self.read_table(el)

    def read_table(self, tbl) -> None:
        tb = self.tb
        t = tb.start_table()
        # grid column (0-based) -> block of the vMerge origin covering that column start
        open_v: dict[int, object] = {}
        for r, tr in enumerate(_unwrap(tbl, {TR}), start=1):
            col = 0
            trpr = _child(tr, TRPR)
            if trpr is not None:
                gb = _child(trpr, GRID_BEFORE)
                if gb is not None:
                    col = max(_int(gb.get(VAL)) or 0, 0)
            last_block = None
            still_open: dict[int, object] = {}
            for tc in _unwrap(tr, {TC}):
                tcpr = _child(tc, TCPR)
                span, vmerge, hmerge = 1, None, None
                if tcpr is not None:
                    props = _first_children(tcpr, _TC_PROPS)
                    gs = props.get(GRID_SPAN)
                    if gs is not None:
                        span = max(_int(gs.get(VAL)) or 1, 1)
                    vm = props.get(VMERGE)
                    if vm is not None:
                        vmerge = vm.get(VAL) or "continue"
                    hm = props.get(HMERGE)
                    if hm is not None:
                        hmerge = hm.get(VAL) or "continue"
                if hmerge == "continue" and last_block is not None:
                    last_block.colspan += span
                    col += span
                    continue
                text = self._cell_text(tc, t, r, col + 1)
                origin = _find_origin(open_v, col) if vmerge == "continue" else None
                if origin is not None:
                    origin.rowspan += 1
                    still_open[origin.col - 1] = origin
                    if text.strip():
                        self.warnings.append(
                            f"table {t} row {r} col {col + 1}: text {text[:30]!r} in a merged "
                            "(vMerge) continuation cell is hidden by Word and was dropped")
                    last_block = None
                    col += span
                    continue
                b = tb.cell(t, row=r, col=col + 1, text=text, colspan=span)
                if vmerge is not None:  # restart (or a continuation with no origin)
                    still_open[col] = b
                last_block = b
                col += span
            open_v = still_open
        tb.end_table()

    def _cell_text(self, tc, t: int, r: int, c: int) -> str:
        lines: list[str] = []
        nested = False
        for el in _unwrap(tc, {P, TBL}):
            if el.tag == P:
                lines.append(self._paragraph_text(el))
            else:
                nested = True
                lines.extend(self._flatten_table(el))
        if nested:
            self.warnings.append(f"table {t} row {r} col {c}: nested table flattened into the cell text")
        return cell_text("\n".join(lines))

    def _flatten_table(self, tbl) -> list[str]:
        lines: list[str] = []
        for tr in _unwrap(tbl, {TR}):
            for tc in _unwrap(tr, {TC}):
                tcpr = _child(tc, TCPR)
                if tcpr is not None:
                    vm = _child(tcpr, VMERGE)
                    if vm is not None and (vm.get(VAL) or "continue") == "continue":
                        continue
                parts: list[str] = []
                for el in _unwrap(tc, {P, TBL}):
                    if el.tag == P:
                        parts.append(self._paragraph_text(el))
                    else:
                        parts.extend(self._flatten_table(el))
                txt = cell_text("\n".join(parts))
                if txt:
                    lines.append(txt)
        return lines


def _find_origin(open_v: dict, col: int):
    if col in open_v:
        return open_v[col]
    for start, b in open_v.items():
        if start <= col < start + b.colspan:
            return b
    return None


def _int(s) -> int | None:
    try:
        return int(s)
    except (TypeError, ValueError):
        return None


def read_docx(data: bytes) -> Document:
    zf = open_zip(data, "docx")  # corrupt / truncated / bomb checks before any parsing
    try:
        body, styles = _load(zf)
    except ReaderError:
        raise
    except Exception as e:  # lxml.etree.XMLSyntaxError, zip errors on damaged packages
        raise parse_failure(e, "docx", "re-save the file in Word or re-download it") from e
    reader = _Reader(styles)
    try:
        reader.read_body(body)
    except RecursionError as e:
        raise ReaderError(".docx nested too deeply to read (tables or fields inside each other "
                          "thousands of levels): re-save the file in Word") from e
    except (AttributeError, TypeError, ValueError, KeyError, IndexError) as e:  # damaged parts
        raise parse_failure(e, "docx", "re-save the file in Word or re-download it") from e
    if reader.n_textboxes:
        reader.warnings.append(f"{reader.n_textboxes} text box(es) ignored")
    return reader.tb.build(format="docx", layout="docx_tables", warnings=reader.warnings)


_OUTLINE_LVL = _q("outlineLvl")


def _outline_level(ppr) -> int | None:
    """Heading level (1-9) from a paragraph or style's ``w:outlineLvl``, else None."""
    ol = _child(ppr, _OUTLINE_LVL)
    if ol is None:
        return None
    lvl = _int(ol.get(VAL))
    return lvl + 1 if lvl is not None and 0 <= lvl < 9 else None
