"""Format readers: file bytes in, one :class:`extractors.model.Document` out.

The format is chosen from the content (magic bytes), never from the file name.
Every reader raises :class:`extractors.model.ReaderError` with a message a person can
act on when a file cannot be read.
"""
from __future__ import annotations

import zipfile
import io

from ..model import Document, ReaderError

# Files larger than this are refused before parsing (bytes on disk).
MAX_FILE_BYTES = 200 * 1024 * 1024


def sniff_format(data: bytes) -> str:
    """Return txt | docx | xlsx | pdf | html | zip | binary from the first bytes."""
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
        return "ole"  # legacy .doc/.xls
    low = head.lower().lstrip(b"\xef\xbb\xbf \t\r\n")
    if low.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml")) or b"<html" in low[:512]:
        return "html"
    return "txt"


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
        if "EncryptedPackage".encode("utf-16-le") in data[:1 << 20] or b"EncryptedPackage" in data[:1 << 20]:
            raise ReaderError("password-protected Office file: remove the password "
                              "(File > Info > Protect) and add the file again")
        raise ReaderError("legacy binary Office file (.doc/.xls): save it as .docx/.xlsx and add it again")
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
