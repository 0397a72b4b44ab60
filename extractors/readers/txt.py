"""Reader for already-extracted text, in the dialects real documents arrive in.

The canonical text of a .txt file is the decoded file itself (a UTF-8 BOM excepted),
so every block offset points into the file.  The dialect and the table grid are
inferred from the content by :mod:`extractors.layout` (names as in ``documents.layout``):

``tab_cells``        one table cell per line starting with a TAB (seed 000).
``tsv_rows``         one table row per line, cells separated by TABs (seed 004), or by
                     runs of spaces under a header line of known column labels.
``markdown_table``   cells between ``|`` (rows opened by a leading pipe, or cells ending
                     in `` |`` whose rows a pad of pipes closes; a lone ``|`` is an empty cell).
``blank_line_cells`` one cell per paragraph, each further blank line an empty cell.
``space_flat``       cells glued together, split by their shapes where that is certain.
``flat``             no recoverable cell structure: one paragraph block per line.

Cell streams (one cell per paragraph or per `` |`` line) have their rows rebuilt from
the width of a recognised header; ``Block.grid`` says how each table's grid was rebuilt.
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
