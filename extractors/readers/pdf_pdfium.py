"""PDF characters through PDFium (pypdfium2's raw API), as the dicts pdfplumber makes
from pdfminer's ``LTChar`` -- ``{text, x0, x1, top, bottom, size}`` in pdfplumber's
coordinates -- so the reader's dedupe, line grouping, cell assignment and paragraphs run
on them unchanged, at a fraction of pdfminer's cost (its pure-Python content-stream
interpreter is nearly all of a PDF's reading time).

A character's box is pdfminer's: ``x0`` at its origin, ``x1`` at origin + advance width
(the right edge of ``FPDFText_GetLooseCharBox``, PDFium's metric box united with the
glyph's ink, where the ink stays inside the advance; else ``FPDFFont_GetGlyphWidth``,
checked against the loose box), ``bottom``/``top`` at origin + descent and descent + size
with pdfminer's own descent (its font objects, read from the page's resources without
interpreting any content: PDFium replaces a 0/0 Ascent/Descent pair -- every LibreOffice
PDF -- by the font file's metrics).  PDFium computes in single precision: values are
rounded to 1e-4 pt, which gives back the decimal values pdfminer computes.

PDFium's text page is a text extractor, not a glyph dump: it keeps only the first of a
run of spaces inside a text object and leaves out a text object of blank glyphs or one
repeating the previous (fake bold).  A page where that may have happened (a gap after a
space inside a text object, a text object with no character, a text object reaching past
its characters), a rotated, skewed or vertical character, a character without a Unicode
value, or a font not found is :class:`Unsupported`: the reader reads that page with
pdfminer (:mod:`.pdf`), so the Document is the one pdfminer gives."""
from __future__ import annotations

import ctypes
import logging
import re
from unicodedata import normalize

import pypdfium2.raw as pdfium_c

log = logging.getLogger(__name__)

_SUBSET = re.compile(r"^[A-Z]{6}\+")
_EPS = 1e-3


def _q(v: float) -> float:
    """PDFium computes in single precision (about 6e-5 pt at page scale); pdfminer in
    double from the decimal numbers of the content stream, which have at most four
    decimals in every PDF seen: rounding to 1e-4 gives back pdfminer's value."""
    return round(v, 4)


class Unsupported(Exception):
    """PDFium cannot give what the reader needs for this page (the reason is the text)."""


def _font_name(font) -> str:
    buf = ctypes.create_string_buffer(256)
    n = pdfium_c.FPDFFont_GetBaseFontName(font, buf, 256)
    if n <= 0 or n > 256:
        return ""
    return _SUBSET.sub("", buf.value.decode("utf-8", "replace"))


class _Fonts:
    """Per PDFium font handle: the pdfminer descent and the name, looked up once."""

    def __init__(self, descents: dict[str, float]) -> None:
        self.descents = descents
        self.cache: dict[int, float] = {}

    def descent(self, font) -> float:
        key = ctypes.cast(font, ctypes.c_void_p).value or 0
        d = self.cache.get(key)
        if d is None:
            name = _font_name(font)
            if name not in self.descents:
                raise Unsupported(f"font {name or '?'} not found in the page's resources")
            d = self.descents[name]
            if d is None:
                raise Unsupported(f"font {name}: several fonts of this name with different metrics")
            self.cache[key] = d
        return d


def page_chars(page, textpage, height: float, descents: dict[str, float],
               doubts: list[str], unicode_norm: str | None = None) -> list[dict]:
    """The page's characters as pdfplumber's char dicts ``{text, x0, x1, top, bottom,
    size}`` (PDFium's generated spaces and line breaks left out); what PDFium may have
    left out that pdfminer keeps is appended to ``doubts``."""
    tp = textpage
    n = pdfium_c.FPDFText_CountChars(tp)
    fonts = _Fonts(descents)
    loose = pdfium_c.FS_RECTF()
    m = pdfium_c.FS_MATRIX()
    l, r, b, t = (ctypes.c_double() for _ in range(4))
    ox, oy = ctypes.c_double(), ctypes.c_double()
    width = ctypes.c_float()
    out = []
    reach: dict[int, float] = {}  # text object -> rightmost origin / ink edge of its chars
    space_end: tuple[int, float, float] | None = None  # (object, right edge, advance) of a space
    last = None
    get_unicode = pdfium_c.FPDFText_GetUnicode
    is_generated = pdfium_c.FPDFText_IsGenerated
    for i in range(n):
        if is_generated(tp, i) == 1:
            continue
        u = get_unicode(tp, i)
        if u == 0xFFFD or u == 0 or (u < 0x20 and u != 0x09) or \
                pdfium_c.FPDFText_HasUnicodeMapError(tp, i) == 1:
            # pdfminer writes "(cid:N)" for a glyph without a Unicode value
            raise Unsupported(f"character {i} has no Unicode value (U+{u:04X})")
        text = chr(u)
        if unicode_norm is not None:
            text = normalize(unicode_norm, text)
        obj = pdfium_c.FPDFText_GetTextObject(tp, i)
        if not obj:
            raise Unsupported(f"character {i} belongs to no text object")
        key = ctypes.cast(obj, ctypes.c_void_p).value or 0
        font = pdfium_c.FPDFTextObj_GetFont(obj)
        if not font:
            raise Unsupported(f"character {i} has no font")
        if not pdfium_c.FPDFText_GetMatrix(tp, i, m):
            raise Unsupported(f"character {i}: no matrix")
        if abs(m.b) > _EPS or abs(m.c) > _EPS or m.a <= 0 or m.d <= 0:
            raise Unsupported(f"character {i} is rotated, skewed or mirrored")
        fs = pdfium_c.FPDFText_GetFontSize(tp, i)
        pdfium_c.FPDFText_GetCharOrigin(tp, i, ox, oy)
        if (key, ox.value, oy.value) == last:
            # one glyph of several characters (a ligature): pdfminer keeps it as one
            raise Unsupported(f"character {i}: one glyph of several characters")
        last = (key, ox.value, oy.value)
        # pdfminer's box: (0, descent) .. (advance, descent + size) from the origin
        size = fs * m.d
        desc = fonts.descent(font) * fs
        x0 = _q(ox.value)
        # the advance: PDFium's loose box is the metric box (origin .. origin + advance)
        # united with the glyph's tight box; where the glyph does not reach the advance
        # the loose box's right edge is the advance itself
        pdfium_c.FPDFText_GetLooseCharBox(tp, i, loose)
        pdfium_c.FPDFText_GetCharBox(tp, i, l, r, b, t)
        tight_empty = r.value - l.value <= _EPS
        if not tight_empty and loose.right > r.value + _EPS:
            x1 = _q(loose.right)
        else:
            if not pdfium_c.FPDFFont_GetGlyphWidth(font, u, ctypes.c_float(fs), width):
                raise Unsupported(f"character {i}: no advance width")
            x1 = _q(ox.value + width.value * m.a)
            if not tight_empty and x1 > loose.right + _EPS:  # the union holds the advance
                raise Unsupported(f"character {i}: advance width not certain")
        f = _q(oy.value)
        if space_end is not None and space_end[0] == key and \
                x0 - space_end[1] > 0.5 * space_end[2]:
            # PDFium keeps the first of a run of spaces in a text object: the gap held
            # the others
            doubts.append(f"a gap after a space before {text!r} at x={x0:.1f}")
        space_end = (key, x1, x1 - x0) if text == " " else None
        edge = ox.value if tight_empty else max(ox.value, r.value)
        reach[key] = max(reach.get(key, edge), edge)
        y0 = m.d * desc + f
        y1 = m.d * (desc + fs) + f
        out.append({"text": text, "x0": x0, "x1": x1, "top": height - y1, "bottom": height - y0,
                    "size": y1 - y0})
    # PDFium leaves out a text object of blank glyphs (a run of spaces) and one that
    # repeats the previous (fake bold): pdfminer keeps both.  A text object's bounds take
    # in every glyph's ink and the origin of a blank one: reaching further right than its
    # characters, it lost some (spaces at its end)
    fl, fb, fr, ft = (ctypes.c_float() for _ in range(4))
    for obj, nested in _text_objects(page):
        key = ctypes.cast(obj, ctypes.c_void_p).value or 0
        if key not in reach:
            doubts.append("a text object the text page leaves out")
        elif nested:
            doubts.append("text in a form XObject")
        elif pdfium_c.FPDFPageObj_GetBounds(obj, fl, fb, fr, ft) and fr.value > reach[key] + 0.01:
            doubts.append(f"a text object reaching past its characters (x={fr.value:.1f})")
    return out


def _text_objects(container, count=None, get=None, nested=False):
    count = count or pdfium_c.FPDFPage_CountObjects
    get = get or pdfium_c.FPDFPage_GetObject
    for k in range(count(container)):
        obj = get(container, k)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
            yield obj, nested
        elif kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            yield from _text_objects(obj, pdfium_c.FPDFFormObj_CountObjects,
                                     pdfium_c.FPDFFormObj_GetObject, True)


def descents(rm, page) -> dict[str, float | None]:
    """pdfminer's descent (text space units per point of size) of every font in a
    pdfplumber page's resources, by name without the subset prefix (None: two fonts of
    one name with different descents)."""
    from pdfminer.pdftypes import dict_value
    out: dict[str, float | None] = {}
    fonts = dict_value(dict_value(page.page_obj.resources).get("Font", {}))
    for spec in fonts.values():
        f = rm.get_font(getattr(spec, "objid", None), dict_value(spec))
        if f.is_vertical():
            raise Unsupported(f"vertical font {f.fontname}")
        name = _SUBSET.sub("", f.fontname or "")
        d = f.get_descent()
        out[name] = d if out.get(name, d) == d else None
    return out


class PdfiumPages:
    """The pages of one PDF read through PDFium, next to the pdfplumber document of the
    same bytes (its page tree gives the boxes and the fonts' metrics)."""

    def __init__(self, data: bytes, plumber) -> None:
        import pypdfium2 as pdfium
        from pdfminer.pdfinterp import PDFResourceManager

        self.doc = pdfium.PdfDocument(data)  # raises on a file PDFium cannot open
        self.unicode_norm = plumber.unicode_norm
        self.rm = PDFResourceManager()

    def __len__(self) -> int:
        return len(self.doc)

    def page(self, index: int, page):
        """``(chars, edges)`` of page ``index`` (``page``: pdfplumber's), or None when
        PDFium cannot give the page as pdfminer would (the reason is logged)."""
        from .pdf_edges import page_edges, page_paths
        try:
            if page.rotation:
                raise Unsupported("rotated page")
            height = float(page.height)
            pg = self.doc[index]
            try:
                tp = pdfium_c.FPDFText_LoadPage(pg.raw)
                if not tp:
                    raise Unsupported("no text page")
                doubts: list[str] = []
                try:
                    chars = page_chars(pg.raw, tp, height, descents(self.rm, page), doubts,
                                       self.unicode_norm)
                finally:
                    pdfium_c.FPDFText_ClosePage(tp)
                if doubts:
                    raise Unsupported(f"{doubts[0]} ({len(doubts)} sign(s) of characters "
                                      "PDFium's text page leaves out)")
                edges = page_edges(page_paths(pg.raw), height)
            finally:
                pg.close()
        except Unsupported as e:
            log.debug("page %d read with pdfminer: %s", index + 1, e)
            return None
        return chars, edges

    def close(self) -> None:
        self.doc.close()
