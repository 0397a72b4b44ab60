"""Whether a page's content streams decode cleanly, as pdfminer decodes them.

PDFium recovers from a damaged content stream (a Flate stream cut short or with bytes
changed) silently and reads what it can, where pdfminer logs the damage — the reader
then warns that text may be missing or garbled — or finds no text at all.  Decoding a
page's streams (its contents, the form XObjects of its resources, its fonts' ToUnicode
maps and embedded font files) is zlib work in C,
not the content interpreter; a page whose streams pdfminer cannot decode without a
warning is read by pdfminer, so a damaged file gives the reading and the warning it
gave before.
"""
from __future__ import annotations

import logging


class _Count(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.n = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.n += 1


def _font_streams(font, resolve1) -> list:
    """A font's ToUnicode map and embedded font file (also of a composite font's
    descendant): where a damaged one makes pdfminer warn or find no text, PDFium may map
    glyphs to other characters without a sign."""
    if not isinstance(font, dict):
        return []
    out = [font.get("ToUnicode")]
    fonts = [font]
    desc = resolve1(font.get("DescendantFonts"))
    if isinstance(desc, list) and desc:
        fonts.append(resolve1(desc[0]))
    for f in fonts:
        fd = resolve1(f.get("FontDescriptor")) if isinstance(f, dict) else None
        if isinstance(fd, dict):
            out += [fd.get(k) for k in ("FontFile", "FontFile2", "FontFile3")]
    return [x for x in out if x is not None]


def _streams(page):
    from pdfminer.pdftypes import PDFStream, resolve1
    seen: set[int] = set()
    todo = list(page.page_obj.contents or [])
    res = resolve1(page.page_obj.resources) or {}
    xobjs = resolve1(res.get("XObject")) if isinstance(res, dict) else None
    if isinstance(xobjs, dict):
        todo += list(xobjs.values())
    fonts = resolve1(res.get("Font")) if isinstance(res, dict) else None
    for font in (fonts.values() if isinstance(fonts, dict) else ()):
        todo += _font_streams(resolve1(font), resolve1)
    for ref in todo:
        s = resolve1(ref)
        if isinstance(s, PDFStream) and id(s) not in seen:
            seen.add(id(s))
            yield s


def decodes_cleanly(page) -> bool:
    """True when every content stream of ``page`` (pdfplumber's) decodes without an error
    or a pdfminer warning."""
    logger = logging.getLogger("pdfminer")
    count = _Count()
    logger.addHandler(count)
    try:
        for s in _streams(page):
            sub = s.get("Subtype") if hasattr(s, "get") else None
            if getattr(sub, "name", None) == "Image":
                continue  # images are not read (and can be large)
            s.get_data()
    except Exception:
        return False
    finally:
        logger.removeHandler(count)
    return count.n == 0
