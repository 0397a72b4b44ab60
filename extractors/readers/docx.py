"""Word ``.docx`` reader (python-docx for the package and styles, lxml for the body).

What it produces (layout ``docx_tables``):

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

import io
import re

from ..model import Document, ReaderError, TextBuilder
from ._common import cell_text, open_zip, para_text, parse_failure

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _q(tag: str) -> str:
    return f"{{{W}}}{tag}"


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
    def __init__(self, docx_doc) -> None:
        self.doc = docx_doc
        self.tb = TextBuilder()
        self.warnings: list[str] = []
        self.n_textboxes = 0
        self._style_levels: dict[str | None, int | None] = {}

    # ---- styles ---------------------------------------------------------------------
    def _heading_level(self, p) -> int | None:
        ppr = p.find(_q("pPr"))
        style_id = None
        if ppr is not None:
            lvl = _outline_level(ppr)
            if lvl is not None:
                return lvl
            ps = ppr.find(_q("pStyle"))
            if ps is not None:
                style_id = ps.get(VAL)
        if style_id not in self._style_levels:
            self._style_levels[style_id] = self._style_level(style_id)
        return self._style_levels[style_id]

    def _style_level(self, style_id: str | None) -> int | None:
        if style_id is None:
            return None
        try:
            style = self.doc.styles.element.get_by_id(style_id)
        except Exception:  # pragma: no cover - malformed styles part
            style = None
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
            style = self.doc.styles.element.get_by_id(style_id) if style_id else None
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
            if tag == _q("t"):
                out.append(ch.text or "")
            elif tag == _q("tab") or tag == _q("ptab"):
                out.append(" ")
            elif tag in _BREAKS:
                out.append("\n")
            elif tag == _q("noBreakHyphen"):
                out.append("-")
            elif tag == _q("softHyphen"):
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
            trpr = tr.find(_q("trPr"))
            if trpr is not None:
                gb = trpr.find(_q("gridBefore"))
                if gb is not None:
                    col = max(_int(gb.get(VAL)) or 0, 0)
            last_block = None
            still_open: dict[int, object] = {}
            for tc in _unwrap(tr, {TC}):
                tcpr = tc.find(_q("tcPr"))
                span, vmerge, hmerge = 1, None, None
                if tcpr is not None:
                    gs = tcpr.find(_q("gridSpan"))
                    if gs is not None:
                        span = max(_int(gs.get(VAL)) or 1, 1)
                    vm = tcpr.find(_q("vMerge"))
                    if vm is not None:
                        vmerge = vm.get(VAL) or "continue"
                    hm = tcpr.find(_q("hMerge"))
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
                tcpr = tc.find(_q("tcPr"))
                if tcpr is not None:
                    vm = tcpr.find(_q("vMerge"))
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
    open_zip(data, "docx")  # corrupt / truncated / bomb checks before any parsing
    import docx  # python-docx
    try:
        d = docx.Document(io.BytesIO(data))
    except ReaderError:
        raise
    except Exception as e:  # python-docx raises assorted errors on damaged packages
        raise parse_failure(e, "docx", "re-save the file in Word or re-download it") from e
    reader = _Reader(d)
    try:
        reader.read_body(d.element.body)
    except RecursionError as e:
        raise ReaderError(".docx nested too deeply to read (tables or fields inside each other "
                          "thousands of levels): re-save the file in Word") from e
    except (AttributeError, TypeError, ValueError, KeyError, IndexError) as e:  # damaged parts
        raise parse_failure(e, "docx", "re-save the file in Word or re-download it") from e
    if reader.n_textboxes:
        reader.warnings.append(f"{reader.n_textboxes} text box(es) ignored")
    return reader.tb.build(format="docx", layout="docx_tables", warnings=reader.warnings)


def _outline_level(ppr) -> int | None:
    """Heading level (1-9) from a paragraph or style's ``w:outlineLvl``, else None."""
    ol = ppr.find(_q("outlineLvl"))
    if ol is None:
        return None
    lvl = _int(ol.get(VAL))
    return lvl + 1 if lvl is not None and 0 <= lvl < 9 else None
