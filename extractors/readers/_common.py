"""Helpers shared by the structured-format readers (docx, pdf, xlsx, html).

* :func:`open_zip` opens an OOXML container (``.docx``/``.xlsx``) safely: a corrupt or
  truncated archive, or one whose entries would expand beyond
  :data:`MAX_UNCOMPRESSED_BYTES` (a "zip bomb"), is refused with a
  :class:`~extractors.model.ReaderError` *before* any XML is parsed.
* :func:`cell_text` / :func:`para_text` apply the text conventions every reader shares:
  a cell's text never contains a TAB (the canonical text uses TAB to start a cell line),
  line breaks are ``'\\n'``, and blank lines at the start or end of a cell (vertical
  padding) are dropped.
"""
from __future__ import annotations

import io
import re
import zipfile
import zlib

from ..model import ReaderError

# A docx/xlsx whose zip entries would expand to more than this is refused before loading.
MAX_UNCOMPRESSED_BYTES = 500 * 1024 * 1024
# An entry larger than RATIO_MIN_BYTES that compresses better than this is refused too
# (ordinary OOXML XML compresses 5-50x; a bomb of zeros about 1000x).
MAX_COMPRESSION_RATIO = 200
RATIO_MIN_BYTES = 10 * 1024 * 1024
MAX_ZIP_ENTRIES = 10_000

_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x0b\x0c]")


def mb(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB" if n >= 1024 * 1024 else f"{n / (1024 * 1024):.2f} MB"


def open_zip(data: bytes, ext: str) -> zipfile.ZipFile:
    """Open ``data`` as the zip container of a ``.{ext}`` file, or raise ReaderError.

    Checks, in order: the archive opens; the number of entries; the total declared
    uncompressed size and the per-entry compression ratio (``ZipInfo.file_size`` is a
    hard upper bound: Python's zipfile never inflates past it); the CRC of every entry
    (which catches truncated or damaged entry data).
    """
    limit = MAX_UNCOMPRESSED_BYTES  # read at call time so tests can monkeypatch it
    fix = "re-save or re-download the file"
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError) as e:
        raise ReaderError(f"corrupt or truncated .{ext} (zip error: {e}): {fix}") from e
    if len(infos) > MAX_ZIP_ENTRIES:
        raise ReaderError(f".{ext} has {len(infos)} zip entries (over {MAX_ZIP_ENTRIES}): "
                          "refused as a possible zip bomb; re-save the file")
    total = sum(i.file_size for i in infos)
    if total > limit:
        raise ReaderError(
            f".{ext} would expand to {mb(total)} when unpacked (limit {mb(limit)}; "
            f"{len(data)} bytes on disk): refused as a possible zip bomb; if the file is "
            "genuine, remove embedded media or split it")
    for i in infos:
        if i.file_size > RATIO_MIN_BYTES and i.file_size > MAX_COMPRESSION_RATIO * max(i.compress_size, 1):
            raise ReaderError(
                f".{ext} entry {i.filename} would expand to {mb(i.file_size)} from "
                f"{i.compress_size} bytes (ratio over {MAX_COMPRESSION_RATIO}): refused as a "
                "possible zip bomb")
    try:
        bad = zf.testzip()
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError, NotImplementedError) as e:
        raise ReaderError(f"corrupt or truncated .{ext} (zip error: {e}): {fix}") from e
    if bad is not None:
        raise ReaderError(f"corrupt or truncated .{ext} (zip error: bad CRC in entry {bad}): {fix}")
    return zf


def norm_newlines(s: str) -> str:
    return _NEWLINES.sub("\n", s)


def cell_text(s: str) -> str:
    """Text of a table cell: '\\n' line breaks, no TAB, no blank lines at either end."""
    s = norm_newlines(s).replace("\t", " ")
    lines = s.split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines)


def para_text(s: str) -> str:
    """Text of a paragraph: like a cell (a paragraph line must not start a cell line)."""
    return cell_text(s)


_CJK = re.compile(
    r"[\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3100-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    r"\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]")


def is_cjk(ch: str) -> bool:
    """CJK ideographs, kana, CJK punctuation and full-width forms."""
    return bool(ch) and _CJK.match(ch) is not None
