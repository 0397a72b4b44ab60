"""Format readers: file bytes in, one :class:`extractors.model.Document` out.

The format is chosen from the content (magic bytes; for OLE2 files the stream names),
never from the file name: txt, docx, xlsx, pdf, html natively; legacy .xls natively
(:mod:`.xls`); .doc/.wps and RTF converted to .docx by LibreOffice (:mod:`.legacy`).
Every reader raises only :class:`extractors.model.ReaderError`, with a message a person
can act on, when a file cannot be read.
"""
from __future__ import annotations

import zipfile
import io

from ..model import Document, ReaderError

# Files larger than this are refused before parsing (bytes on disk).
MAX_FILE_BYTES = 200 * 1024 * 1024


def sniff_format(data: bytes) -> str:
    """Return txt | docx | xlsx | pdf | html | rtf | ole | zip from the first bytes."""
    head = data[:2048]
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except zipfile.BadZipFile:
            return "zip"
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"  # legacy .doc/.xls (which one: legacy.ole_kind)
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{\\rtf"):
        return "rtf"  # Word's rich text, often named .doc
    low = head.lower().lstrip(b"\xef\xbb\xbf \t\r\n")
    if low.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml")) or b"<html" in low[:512]:
        return "html"
    return "txt"


def detect_format(data: bytes) -> str | None:
    """The published ``documents.format`` the content says, before reading: txt | docx |
    pdf | xlsx | html | xls | doc | rtf, or None (zip/OLE files of no supported kind)."""
    fmt = sniff_format(data)
    if fmt == "ole":
        from .legacy import ole_kind
        return {"excel": "xls", "word": "doc"}.get(ole_kind(data))
    return fmt if fmt in ("txt", "docx", "pdf", "xlsx", "html", "rtf") else None


def read_document(data: bytes, name: str = "") -> Document:
    fmt = sniff_format(data)
    if len(data) > MAX_FILE_BYTES:
        raise ReaderError(f"file is {len(data)} bytes, over the {MAX_FILE_BYTES}-byte limit: split it or raise MAX_FILE_BYTES")
    if fmt == "txt":
        from .txt import read_txt
        return read_txt(data)
    if fmt == "docx":
        from .docx import read_docx
        return read_docx(data)
    if fmt == "xlsx":
        from .xlsx import read_xlsx
        return read_xlsx(data)
    if fmt == "pdf":
        from .pdf import read_pdf
        return read_pdf(data)
    if fmt == "html":
        from .html import read_html
        return read_html(data)
    if fmt == "ole":
        return _read_ole(data, name)
    if fmt == "rtf":
        return _converted(data, "rtf", "rtf")
    if fmt == "zip":
        suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
        if suffix == "docx":
            from .docx import read_docx
            return read_docx(data)  # raises with the .docx-specific message
        if suffix == "xlsx":
            from .xlsx import read_xlsx
            return read_xlsx(data)
        raise ReaderError("zip archive that is neither .docx nor .xlsx, or a corrupt or truncated "
                          ".docx/.xlsx: re-save or re-download the document")
    raise ReaderError(f"unrecognised file content ({fmt})")


def _suffix(name: str) -> str:
    return name.lower().rsplit(".", 1)[-1] if "." in name.rsplit("/", 1)[-1] else ""


def _read_ole(data: bytes, name: str) -> Document:
    """A Word/Excel 97-2003 file: .xls natively (xlrd; LibreOffice if xlrd fails), .doc
    (and Kingsoft .wps) through LibreOffice; the kind from the OLE2 stream names."""
    from .legacy import ole_kind
    kind = ole_kind(data)
    if kind == "encrypted":
        raise ReaderError("password-protected Office file: remove the password "
                          "(File > Info > Protect) and add the file again")
    if kind == "excel":
        from .xls import read_xls
        try:
            return read_xls(data)
        except ReaderError as first:
            from .legacy import soffice_path
            if soffice_path() is None:
                raise
            try:
                doc = _converted(data, "xls", "xls")
            except ReaderError as e:
                raise ReaderError(f"{first}; LibreOffice could not read it either ({e})") from e
            doc.warnings.insert(1, f"xlrd could not read the .xls ({first})")
            return doc
    if kind == "word":
        ext = _suffix(name)
        return _converted(data, ext if ext in ("doc", "wps", "dot") else "doc", "doc")
    if kind == "powerpoint":
        raise ReaderError("PowerPoint file: not a supported format (supply the forms as "
                          ".doc/.docx, .xls/.xlsx, .pdf, .html or .txt)")
    raise ReaderError("OLE2 compound file that is neither a Word (.doc) nor an Excel (.xls) "
                      "document: supply the forms as .doc/.docx, .xls/.xlsx, .pdf, .html or .txt")


def _converted(data: bytes, src_ext: str, fmt: str) -> Document:
    """Convert with LibreOffice (to .docx for documents, .xlsx for workbooks) and read the
    result; the Document keeps the original format and says how it was converted."""
    from .legacy import convert
    target = "xlsx" if fmt == "xls" else "docx"
    converted, tool = convert(data, src_ext, target)
    if target == "xlsx":
        from .xlsx import read_xlsx
        doc = read_xlsx(converted)
    else:
        from .docx import read_docx
        doc = read_docx(converted)
    doc.format = fmt
    doc.warnings.insert(0, f"converted from .{src_ext} by {tool}")
    return doc
