"""Excel 97-2003 ``.xls`` reader (xlrd, read natively).

What it produces (layout ``xls_cells``): the same blocks as the ``.xlsx`` reader, through
the same emission path (:func:`._sheet.emit_sheet`): every worksheet in tab order is one
table with its title/note lines as paragraphs; merged ranges (``formatting_info=True``)
are one block at their top-left with ``rowspan``/``colspan``; ``address`` is
``Sheet1!B7``.  Values are shown as the sheet displays them (:mod:`._numfmt`): numbers
through the cell's number format (the built-in formats by the same table as ``.xlsx``),
dates through their date format, booleans ``TRUE``/``FALSE``, error cells as Excel
writes them (``#DIV/0!``); formulas give their stored result.

Refused with a :class:`~extractors.model.ReaderError`: encrypted workbooks, and files
xlrd cannot parse (corrupt or truncated; the message says to re-save them).
"""
from __future__ import annotations

from ..model import Document, ReaderError, TextBuilder
from ._numfmt import display_value, format_date
from ._sheet import emit_sheet


def _formats(book) -> dict[int, tuple[str, int]]:
    """XF index -> (number format string, format id), built-in ids spelt as for .xlsx."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS
    out: dict[int, tuple[str, int]] = {}
    for i, xf in enumerate(book.xf_list):
        key = xf.format_key
        if key in BUILTIN_FORMATS:
            fmt = BUILTIN_FORMATS[key]
        else:
            f = book.format_map.get(key)
            fmt = f.format_str if f is not None and f.format_str else "General"
        out[i] = (fmt, key)
    return out


def _sheet_values(book, sh, formats: dict) -> dict[tuple[int, int], str]:
    import xlrd
    from xlrd.biffh import error_text_from_code

    values: dict[tuple[int, int], str] = {}
    for r in range(sh.nrows):
        types, vals = sh.row_types(r), sh.row_values(r)
        for c, (t, v) in enumerate(zip(types, vals)):
            if t in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                continue
            if t == xlrd.XL_CELL_TEXT:
                text = v
            elif t == xlrd.XL_CELL_BOOLEAN:
                text = "TRUE" if v else "FALSE"
            elif t == xlrd.XL_CELL_ERROR:
                text = error_text_from_code.get(v, "#ERR")
            else:
                fmt, key = formats.get(sh.cell_xf_index(r, c), ("General", 0))
                if t == xlrd.XL_CELL_DATE:
                    try:
                        when = xlrd.xldate.xldate_as_datetime(v, book.datemode)
                    except (ValueError, OverflowError, xlrd.xldate.XLDateError):
                        text = display_value(v, "General")
                    else:
                        text = display_value(v, fmt, key) if fmt == "General" else format_date(when, fmt)
                else:
                    text = display_value(v, fmt, key)
            if text != "":
                values[(r + 1, c + 1)] = text
    return values


def read_xls(data: bytes) -> Document:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True,
                                  logfile=_Null(), ragged_rows=True)
    except Exception as e:  # xlrd raises XLRDError, CompoundDocError, struct/index errors...
        msg = str(e)
        if "encrypt" in msg.lower():
            raise ReaderError("password-protected .xls: remove the password (File > Info > "
                              "Protect Workbook) and add the file again") from e
        raise ReaderError(f"corrupt or unreadable .xls ({type(e).__name__}: {msg[:200]}): "
                          "re-save the workbook in Excel or LibreOffice (as .xls or .xlsx) "
                          "or re-download it") from e
    tb = TextBuilder()
    warnings: list[str] = []
    try:
        formats = _formats(book)
        for i in range(book.nsheets):
            sh = book.sheet_by_index(i)
            values = _sheet_values(book, sh, formats)
            merges = {(rlo + 1, clo + 1): (rhi - rlo, chi - clo)
                      for rlo, rhi, clo, chi in sh.merged_cells if rhi > rlo and chi > clo}
            emit_sheet(tb, sh.name, values, merges, warnings)
            book.unload_sheet(i)
    except ReaderError:
        raise
    except Exception as e:
        raise ReaderError(f"corrupt .xls sheet ({type(e).__name__}: {str(e)[:200]}): re-save "
                          "the workbook in Excel or LibreOffice or re-download it") from e
    finally:
        book.release_resources()
    return tb.build(format="xls", layout="xls_cells", warnings=warnings)


class _Null:
    """xlrd writes diagnostics to a log file; keep them out of the batch's output."""

    def write(self, *_a) -> None:
        pass

    def flush(self) -> None:
        pass
