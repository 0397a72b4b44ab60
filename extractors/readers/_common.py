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


# ------------------------------------------------------------------------------------
# text decoding (.txt files; HTML uses :func:`looks_like_text` and :func:`is_mojibake`)
# ------------------------------------------------------------------------------------

_BINARY_HINT = ("binary content that is no supported format (NUL or control bytes; "
                "supported: .txt, .docx, .pdf, .xlsx, .html, .xls, .doc): supply the document "
                "in one of those formats")


def control_ratio(b: bytes) -> float:
    """Share of C0 control bytes other than TAB, LF, CR and FF."""
    bad = sum(1 for x in b if x < 32 and x not in (9, 10, 13, 12))
    return bad / max(1, len(b))


def looks_like_text(text: str) -> bool:
    """GB18030 decodes most byte soups; accept a decoding only if the result reads as
    text: nearly all printable, and common CJK well ahead of rare/private-use code points."""
    if not text:
        return False
    good = sum(1 for ch in text if ch.isprintable() or ch in "\r\n\t")
    cjk = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f"
              or "\uff00" <= ch <= "\uffef")
    rare = sum(1 for ch in text if "\u3400" <= ch <= "\u4dbf" or "\ue000" <= ch <= "\uf8ff"
               or ord(ch) > 0xFFFF)
    return good / len(text) > 0.97 and cjk > rare * 3


# UTF-8 Chinese read as Latin-1/cp1252: lead bytes E4-E9 become 'ä'..'é' followed by
# two continuation bytes (0x80-0xBF: C1 controls or Latin-1 symbols/letters).
_MOJIBAKE = re.compile("[\u00e3-\u00e9][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d"
                       "\u017e\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122]{2}")


def is_mojibake(text: str) -> bool:
    """True when ``text`` reads like UTF-8 bytes decoded as a single-byte charset
    (``é¡¹ç›®`` for 项目): many lead-byte + two-continuation-byte triples, no real CJK."""
    hits = len(_MOJIBAKE.findall(text))
    return hits >= 3 and hits * 3 > 0.05 * len(text.strip()) and not _CJK.search(text)


def decode_text(data: bytes) -> tuple[str, str, list[str]]:
    """Decode the bytes of a text file: (text, encoding, warnings).  Raises only ReaderError.

    A byte-order mark is believed only if the content after it decodes as its encoding;
    a UTF-8 BOM before GB18030 bytes (an editor that added the BOM to a GB file) is
    decoded as GB18030, with a warning.  Without a BOM: UTF-8, else GB18030 when the
    result reads as Chinese text; UTF-16 without a BOM is recognised by where its NUL bytes
    fall.  Other NUL or control bytes mean a binary file.
    """
    try:
        return _decode_text(data)
    except ReaderError:
        raise
    except (UnicodeError, LookupError, ValueError, MemoryError) as e:  # belt and braces
        raise ReaderError(f"text could not be decoded ({type(e).__name__}: {e}); "
                          "re-save it as UTF-8") from e


def _utf16_without_bom(data: bytes) -> str | None:
    """utf-16-le / utf-16-be when the NUL bytes of ``data`` sit (nearly) all at odd / even
    offsets (the high bytes of ASCII characters) and the result reads as text; else None."""
    if len(data) % 2:
        return None
    sample = data[:65536]
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    for enc, hits, other in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if hits >= 4 and other <= hits // 20:
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            if looks_like_text(text[:20000]) and "\x00" not in text:
                return enc
    return None


def _decode_text(data: bytes) -> tuple[str, str, list[str]]:
    if not data or not data.strip():
        raise ReaderError("empty file: nothing to read (check the upload or the export)")
    warnings: list[str] = []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16", warnings
        except UnicodeDecodeError as e:
            raise ReaderError(f"file starts with a UTF-16 byte-order mark but does not decode "
                              f"as UTF-16 ({e}): re-save it as UTF-8") from e
    body, bom = (data[3:], True) if data.startswith(b"\xef\xbb\xbf") else (data, False)
    sample = body[:65536]
    if bom:
        try:
            return body.decode("utf-8"), "utf-8-sig", warnings
        except UnicodeDecodeError:
            pass
    if b"\x00" in sample:
        enc = _utf16_without_bom(body)
        if enc is None:
            raise ReaderError(_BINARY_HINT)
        warnings.append(f"no byte-order mark: decoded as {enc} by its NUL-byte pattern")
        return body.decode(enc), enc, warnings
    if control_ratio(sample) > 0.05:
        raise ReaderError(_BINARY_HINT)
    for enc in ("utf-8", "gb18030"):
        try:
            text = body.decode(enc)
        except UnicodeDecodeError:
            continue
        if enc == "gb18030" and not looks_like_text(text):
            break
        if bom:
            warnings.append(f"UTF-8 byte-order mark followed by {enc} bytes: decoded as {enc}")
        return text, enc, warnings
    what = "after its UTF-8 byte-order mark " if bom else ""
    raise ReaderError(f"unknown text encoding: the file {what}is neither UTF-8 nor GB18030; "
                      "re-save it as UTF-8")


_BOMB = re.compile(r"amplification|entity|entities|huge input|excessive depth", re.I)


def parse_failure(e: BaseException, ext: str, fix: str) -> ReaderError:
    """The ReaderError for a library that failed on a damaged ``.{ext}``; XML entity bombs
    ("billion laughs", which the parsers refuse to expand) are named as such."""
    msg = str(e)[:300]
    if _BOMB.search(msg) and ("XML" in type(e).__name__ or "Parse" in type(e).__name__):
        return ReaderError(f".{ext} refused: its XML declares entities that would expand "
                           f"enormously (a 'billion laughs' file; {type(e).__name__}: {msg}): "
                           f"{fix}")
    return ReaderError(f"corrupt .{ext} ({type(e).__name__}: {msg}): {fix}")
