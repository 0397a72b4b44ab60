"""Reader for already-extracted text, in the dialects real documents arrive in.

The canonical text of a .txt file is the decoded file itself (a UTF-8 BOM excepted),
so every block offset points into the file.  The dialect is detected from the content:

``tab_cells``       one table cell per line starting with a TAB; lines without a TAB
                    continue the cell above; a blank line before a TAB line starts a new
                    row (seed 000).
``tsv_rows``        one table row per line, cells separated by TABs, ``<p>`` fragments
                    inside cells (seed 004).
``markdown_table``  rows of cells separated by ``|`` (web pages converted to text).
``blank_line_cells`` one cell per line, cells separated by a blank line, each further
                    blank line an empty cell (web pages of Word tables); the cells
                    form one single-column "stream" table whose rows the form parsers
                    regroup where the header makes the row width certain.
``flat``            no recoverable cell structure: one paragraph block per line.
"""
from __future__ import annotations

from ..layout import detect_layout, infer  # noqa: F401  (detect_layout is public here)
from ..model import Document
from ._common import decode_text


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes to text, returning (text, encoding).  Raises only ReaderError
    (the rules are :func:`._common.decode_text`'s)."""
    text, enc, _ = decode_text(data)
    return text, enc


def read_txt(data: bytes) -> Document:
    text, enc = decode(data)
    inferred = infer(text)
    warnings = [] if enc.startswith("utf-8") else [f"decoded as {enc}"]
    return Document(text=text, blocks=inferred.blocks, format="txt", layout=inferred.layout,
                    warnings=warnings + inferred.notes)
