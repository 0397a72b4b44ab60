"""Excel ``.xlsx`` reader (openpyxl).

What it produces (layout ``xlsx_cells``):

* Every worksheet, in tab order, is one table (chart sheets are skipped), except that
  title lines above it (up to 3 rows holding one text cell, merged across the full
  width or alone in the row, like ``A1:F1`` "2023年部门整体支出绩效目标表") and note lines
  below it (up to 3 rows holding one full-width merged text cell) are ``paragraph``
  blocks (with their ``address``), as a PDF or web page of the sheet shows them.  The sheet
  name is not written into the text; it is in each cell's ``address``
  (``Sheet1!B7``; names with spaces or punctuation are quoted the Excel way,
  ``'My sheet'!B7``).
* Cells, merges, titles and notes are emitted by :func:`._sheet.emit_sheet` (the one
  path the ``.xls`` reader shares).
* Loading is streamed (openpyxl ``read_only``): each sheet's XML is parsed once, cells
  as sparse (row, col, value, style) records, and the merged ranges from the sheet's own
  ``<mergeCells>`` element; no Cell objects or styles are built for the whole sheet.
* Values are written as the sheet displays them (:mod:`._numfmt`): the cached result of
  formulas (``data_only``); a formula never calculated (no cached value: the file was
  written by a program, not saved by Excel/LibreOffice) has nothing to show: where
  LibreOffice is installed the workbook is converted by it (which computes them) and read
  again, with warnings naming the cells and the converter; otherwise a warning names the
  cells and says how to get their values,
  numbers through their ``number_format`` (decimals, thousands separators, percent,
  scaling commas, literal text, sections for negatives; ``General`` prints at most 15
  significant digits so float artefacts such as ``0.30000000000000004`` disappear),
  dates and times through their date format (the built-in short date shows as
  ``yyyy/m/d``, the zh-CN built-in formats 27-36/50-58 as ``yyyy年m月d日`` etc.),
  booleans as ``TRUE``/``FALSE``.  Line breaks in a cell are ``'\\n'``, TABs a space.
* The workbook is refused before loading if it is a corrupt/truncated zip or would
  expand beyond the limit in :mod:`._common`.
"""
from __future__ import annotations

import io
import warnings as _warnings

from ..model import Document, ReaderError, TextBuilder
from ._common import open_zip, parse_failure
from ._numfmt import display_value, format_date, format_number  # noqa: F401  (re-exported)
from ._sheet import emit_sheet

MAX_NAMED_CELLS = 10  # uncalculated formula cells named in a warning


def _parser_class():
    """openpyxl's sheet parser, noting formula cells that carry no cached value."""
    from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

    class _Parser(WorkSheetParser):
        def __init__(self, *a, **kw):
            super().__init__(*a, **kw)
            self.uncached: list[str] = []

        def parse_cell(self, element):
            cell = super().parse_cell(element)
            if cell["value"] is None and element.find(FORMULA_TAG) is not None:
                self.uncached.append(element.get("r") or f"R{cell['row']}C{cell['column']}")
            return cell

    return _Parser


def _number_format(wb, style_id: int, cache: dict) -> tuple[str, int | None]:
    if style_id not in cache:
        from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE
        try:
            fmt_id = wb._cell_styles[style_id].numFmtId
        except (IndexError, AttributeError, TypeError):
            fmt_id = 0
        if fmt_id < BUILTIN_FORMATS_MAX_SIZE:
            fmt = BUILTIN_FORMATS.get(fmt_id, "General")
        else:
            try:
                fmt = wb._number_formats[fmt_id - BUILTIN_FORMATS_MAX_SIZE]
            except (IndexError, TypeError):
                fmt = "General"
        cache[style_id] = (fmt, fmt_id)
    return cache[style_id]


def _read_sheet(wb, ws, parser_cls, fmt_cache: dict):
    """(values, merges, uncached cells) of one read-only worksheet."""
    from openpyxl.utils.cell import range_boundaries
    epoch = getattr(wb, "epoch", None)
    values: dict[tuple[int, int], str] = {}
    with ws._get_source() as src:
        parser = parser_cls(src, ws._shared_strings, data_only=True, epoch=wb.epoch,
                            date_formats=wb._date_formats, timedelta_formats=wb._timedelta_formats)
        for _, row in parser.parse():
            for cell in row:
                value = cell["value"]
                if value is None or value == "":
                    continue
                fmt, fmt_id = _number_format(wb, cell["style_id"], fmt_cache)
                values[(cell["row"], cell["column"])] = display_value(value, fmt, fmt_id, epoch)
    merges: dict[tuple[int, int], tuple[int, int]] = {}
    if parser.merged_cells is not None:
        for mc in parser.merged_cells.mergeCell:
            try:
                c0, r0, c1, r1 = range_boundaries(mc.ref)
            except (ValueError, TypeError):
                continue
            if None in (c0, r0, c1, r1):
                continue
            merges[(r0, c0)] = (r1 - r0 + 1, c1 - c0 + 1)
    return values, merges, parser.uncached


def _uncached_warning(title: str, cells: list[str]) -> str:
    named = ", ".join(cells[:MAX_NAMED_CELLS]) + (f" and {len(cells) - MAX_NAMED_CELLS} more"
                                                  if len(cells) > MAX_NAMED_CELLS else "")
    return (f"sheet {title!r}: {len(cells)} formula cell(s) have no calculated value ({named}): "
            "the workbook was written by a program that does not calculate formulas; open and "
            "save it in Excel or LibreOffice (or convert it: soffice --headless --convert-to "
            "xlsx) so that the values are stored, then add it again")


def read_xlsx(data: bytes, compute_formulas: bool = True) -> Document:
    """Read a workbook; formulas without cached values are computed by LibreOffice when it
    is installed and ``compute_formulas`` (the workbook converted to .xlsx and read again,
    with a warning naming the cells), else named in a warning."""
    open_zip(data, "xlsx")
    import openpyxl

    try:
        with _warnings.catch_warnings():
            _warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            tb = TextBuilder()
            warnings: list[str] = []
            parser_cls, fmt_cache = _parser_class(), {}
            n_uncached = 0
            for ws in wb.worksheets:
                if not hasattr(ws, "_get_source"):  # a chart sheet
                    continue
                values, merges, uncached = _read_sheet(wb, ws, parser_cls, fmt_cache)
                if uncached:
                    n_uncached += len(uncached)
                    warnings.append(_uncached_warning(ws.title, uncached))
                emit_sheet(tb, ws.title, values, merges, warnings)
            wb.close()
    except ReaderError:
        raise
    except Exception as e:  # openpyxl / the XML parser raise assorted errors on damaged workbooks
        raise parse_failure(e, "xlsx", "re-save the workbook in Excel or re-download it") from e
    if n_uncached and compute_formulas:
        computed = _computed_by_libreoffice(data, n_uncached, warnings)
        if computed is not None:
            return computed
    if n_uncached and not any(b.text.strip() for b in tb.blocks):
        raise ReaderError(warnings[-1])
    return tb.build(format="xlsx", layout="xlsx_cells", warnings=warnings)


def _computed_by_libreoffice(data: bytes, n_uncached: int, warnings: list[str]) -> Document | None:
    """The workbook re-saved by LibreOffice (which calculates every formula on the way),
    or None when LibreOffice is not installed or fails (the caller keeps its warnings)."""
    from .legacy import convert, soffice_path
    if soffice_path() is None:
        return None
    try:
        converted, tool = convert(data, "xlsx", "xlsx")
        doc = read_xlsx(converted, compute_formulas=False)
    except ReaderError as e:
        warnings.append(f"LibreOffice could not compute the formulas ({e})")
        return None
    doc.warnings[:0] = [f"{n_uncached} formula cell(s) had no calculated value: computed by "
                        f"{tool} (the workbook converted to .xlsx and read again)"] + [
        w for w in warnings if "formula cell(s) have no calculated value" in w]
    return doc
