"""PDF characters through PDFium (pypdfium2's raw API), as the dicts pdfplumber makes
from pdfminer's ``LTChar`` -- ``{text, x0, x1, top, bottom, size}`` in pdfplumber's
coordinates -- so the reader's dedupe, line grouping, cell assignment and paragraphs run
on them unchanged, at a fraction of pdfminer's cost (its pure-Python content-stream
interpreter is nearly all of a PDF's reading time).

A character's box is pdfminer's: ``x0`` at its origin, ``x1`` at origin + advance width
(the right edge of ``FPDFText_GetLooseCharBox``, PDFium's metric box united with the
glyph's ink, where the ink stays inside the advance; else ``FPDFFont_GetGlyphWidth``,
checked against the loose box), ``bottom``/``top`` at origin + descent and descent + size
with pdfminer's descent (the font descriptor's /Descent, or pdfminer's built-in metrics
of a standard font, read from the page's font dictionaries: PDFium replaces a 0/0
Ascent/Descent pair -- every LibreOffice PDF -- by the font file's metrics).  PDFium
computes in single precision: values are rounded to 1e-4 pt, which gives back the decimal
values pdfminer computes.

PDFium's text page is a text extractor, not a glyph dump: it keeps only the first of a
run of spaces inside a text object, leaves out a text object of blank glyphs or one
repeating the previous (fake bold), and gives a marked span's /ActualText instead of its
glyphs.  A page where that may have happened (a gap after a space inside a text object,
a text object with no character, a text object reaching past its characters, an
/ActualText mark, several characters at one origin), a rotated, skewed or vertical
character, a character without a Unicode value, text in a form XObject, a Type3 font or
a font not found is :class:`Unsupported`: the reader reads that page with
pdfminer (:mod:`.pdf`), so the Document is the one pdfminer gives."""
from __future__ import annotations

import ctypes
import logging
import re
from unicodedata import normalize

import pypdfium2.raw as pdfium_c

from .pdf_streams import decodes_cleanly

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


def _key(obj) -> int:
    return ctypes.cast(obj, ctypes.c_void_p).value or 0


def _object_address():
    """``FPDFText_GetTextObject`` returning the object's address as an int (a ctypes
    cast per character is a tenth of a page's time); pypdfium2's own binding otherwise."""
    try:
        fn = pdfium_c._libs["pdfium"]["FPDFText_GetTextObject"]
        fn.argtypes = pdfium_c.FPDFText_GetTextObject.argtypes
        fn.restype = ctypes.c_void_p
        return lambda tp, i: fn(tp, i) or 0
    except Exception:  # pragma: no cover - another pypdfium2 layout
        return lambda tp, i: _key(pdfium_c.FPDFText_GetTextObject(tp, i))


_address = _object_address()


def _no_blank_objects(page) -> None:
    """A text object whose glyphs have no ink (a space on its own) is left out of PDFium's
    text page (its box is narrower than 0.01 pt), not of pdfminer's characters: seen
    before the text page is built, the page goes to pdfminer at once."""
    fl, fb, fr, ft = (ctypes.c_float() for _ in range(4))
    for obj, _ in _text_objects(page):
        if pdfium_c.FPDFPageObj_GetBounds(obj, fl, fb, fr, ft) and fr.value - fl.value < 0.01:
            raise Unsupported("a text object of blank glyphs PDFium's text page leaves out")


def _objects_all_used(page, tp, n: int) -> None:
    """PDFium leaves out a text object of blank glyphs (a run of spaces on its own) and one
    repeating the previous (fake bold), which pdfminer keeps: every text object of the
    page must own a character (checked before the characters are read)."""
    used = {_address(tp, i) for i in range(n)}
    for obj, nested in _text_objects(page):
        if nested:
            raise Unsupported("text in a form XObject")
        if _key(obj) not in used:
            raise Unsupported("a text object PDFium's text page leaves out")
        for k in range(pdfium_c.FPDFPageObj_CountMarks(obj)):
            # PDFium's text page gives a marked span's /ActualText instead of its glyphs;
            # pdfminer the glyphs
            mark = pdfium_c.FPDFPageObj_GetMark(obj, k)
            if pdfium_c.FPDFPageObjMark_GetParamValueType(mark, b"ActualText") != \
                    pdfium_c.FPDF_OBJECT_UNKNOWN:
                raise Unsupported("marked content with /ActualText")


def page_chars(page, textpage, height: float, descents: dict[str, float | None],
               unicode_norm: str | None = None) -> list[dict]:
    """The page's characters as pdfplumber's char dicts ``{text, x0, x1, top, bottom,
    size}`` (PDFium's generated spaces and line breaks left out), or :class:`Unsupported`
    at the first sign that PDFium's text page left out a character pdfminer keeps."""
    tp = textpage
    n = pdfium_c.FPDFText_CountChars(tp)
    _objects_all_used(page, tp, n)
    fonts = _Fonts(descents)
    loose = pdfium_c.FS_RECTF()
    m = pdfium_c.FS_MATRIX()
    l, r, b, t = (ctypes.c_double() for _ in range(4))
    ox, oy = ctypes.c_double(), ctypes.c_double()
    width = ctypes.c_float()
    out = []
    per_object: dict[int, tuple] = {}  # text object -> (font, size, a, d, descent)
    reach: dict[int, tuple] = {}  # text object -> (object, rightmost origin / ink edge)
    space_end: tuple[int, float, float] | None = None  # (object, right edge, advance) of a space
    last = None
    get_unicode = pdfium_c.FPDFText_GetUnicode
    is_generated = pdfium_c.FPDFText_IsGenerated
    map_error = pdfium_c.FPDFText_HasUnicodeMapError
    get_object = pdfium_c.FPDFText_GetTextObject
    address = _address
    get_origin = pdfium_c.FPDFText_GetCharOrigin
    get_loose = pdfium_c.FPDFText_GetLooseCharBox
    get_box = pdfium_c.FPDFText_GetCharBox
    for i in range(n):
        if is_generated(tp, i) == 1:
            continue
        u = get_unicode(tp, i)
        if u == 0xFFFD or u == 0 or (u < 0x20 and u != 0x09) or map_error(tp, i) == 1:
            # pdfminer writes "(cid:N)" for a glyph without a Unicode value
            raise Unsupported(f"character {i} has no Unicode value (U+{u:04X})")
        text = chr(u)
        if unicode_norm is not None:
            text = normalize(unicode_norm, text)
        key = address(tp, i)
        info = per_object.get(key)
        if info is None:
            obj = get_object(tp, i)
            font = pdfium_c.FPDFTextObj_GetFont(obj)
            if not font or not pdfium_c.FPDFText_GetMatrix(tp, i, m):
                raise Unsupported(f"character {i} has no font or matrix")
            if abs(m.b) > _EPS or abs(m.c) > _EPS or m.a <= 0 or m.d <= 0:
                raise Unsupported(f"character {i} is rotated, skewed or mirrored")
            fs = _q(pdfium_c.FPDFText_GetFontSize(tp, i))  # the Tf operand, in single precision
            info = per_object[key] = (obj, font, fs, m.a, m.d, fonts.descent(font) * fs)
        obj, font, fs, ma, md, desc = info
        get_origin(tp, i, ox, oy)
        if (key, ox.value, oy.value) == last:
            # one glyph of several characters (a ligature): pdfminer keeps it as one
            raise Unsupported(f"character {i}: one glyph of several characters")
        last = (key, ox.value, oy.value)
        x0 = _q(ox.value)
        # the advance: PDFium's loose box is the metric box (origin .. origin + advance)
        # united with the glyph's tight box; where the glyph does not reach the advance
        # the loose box's right edge is the advance itself
        get_loose(tp, i, loose)
        get_box(tp, i, l, r, b, t)
        tight_empty = r.value - l.value <= _EPS
        if not tight_empty and loose.right > r.value + _EPS:
            x1 = _q(loose.right)
        else:
            if not pdfium_c.FPDFFont_GetGlyphWidth(font, u, ctypes.c_float(fs), width):
                raise Unsupported(f"character {i}: no advance width")
            x1 = _q(ox.value + width.value * ma)
            if not tight_empty and x1 > loose.right + _EPS:  # the union holds the advance
                raise Unsupported(f"character {i}: advance width not certain")
        if space_end is not None and space_end[0] == key and \
                x0 - space_end[1] > 0.5 * space_end[2]:
            # PDFium keeps the first of a run of spaces in a text object: the gap held
            # the others
            raise Unsupported(f"a gap after a space before {text!r} at x={x0:.1f} "
                              "(spaces PDFium's text page leaves out)")
        space_end = (key, x1, x1 - x0) if text == " " else None
        edge = ox.value if tight_empty else max(ox.value, r.value)
        got = reach.get(key)
        if got is None or edge > got[1]:
            reach[key] = (obj, edge)
        # pdfminer's box: (0, descent) .. (advance, descent + size) from the origin
        f = _q(oy.value)
        y0 = md * desc + f
        y1 = md * (desc + fs) + f
        out.append({"text": text, "x0": x0, "x1": x1, "top": height - y1, "bottom": height - y0,
                    "size": y1 - y0})
    # a text object's bounds take in every glyph's ink and the origin of a blank one:
    # reaching further right than its characters, it lost some (spaces at its end)
    fl, fb, fr, ft = (ctypes.c_float() for _ in range(4))
    for obj, edge in reach.values():
        if pdfium_c.FPDFPageObj_GetBounds(obj, fl, fb, fr, ft) and fr.value > edge + 0.01:
            raise Unsupported(f"a text object reaching past its characters (x={fr.value:.1f})")
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


def _descent(spec) -> tuple[list[str], float]:
    """Names and pdfminer's descent (per point of size) of one font dictionary: the
    descriptor's ``Descent`` (forced negative), or the built-in metrics of a standard font
    named as one (``PDFType1Font``), of the descendant font for a Type0 font."""
    from pdfminer.fontmetrics import FONT_METRICS
    from pdfminer.pdftypes import dict_value, list_value, num_value, resolve1
    from pdfminer.psparser import literal_name

    def name(v) -> str:
        v = resolve1(v)
        return literal_name(v) if not isinstance(v, (bytes, str)) else (
            v.decode("latin-1") if isinstance(v, bytes) else v)

    subtype = name(spec.get("Subtype", "Type1"))
    names = [name(spec.get("BaseFont", "unknown"))]
    if subtype == "Type3":
        raise Unsupported("a Type3 font")
    if subtype == "Type0":
        enc = resolve1(spec.get("Encoding"))
        if hasattr(enc, "get"):  # an embedded CMap
            vertical = resolve1(enc.get("WMode", 0)) == 1
        else:
            vertical = enc is not None and name(enc).endswith("-V")
        if vertical:
            raise Unsupported("a vertical CID font")
        spec = dict_value(list_value(spec["DescendantFonts"])[0])
        subtype = name(spec.get("Subtype", ""))
        names.append(name(spec.get("BaseFont", "unknown")))
    if subtype in ("CIDFontType0", "CIDFontType2"):
        descriptor = dict_value(spec.get("FontDescriptor", {}))
    elif names[-1] in FONT_METRICS:
        descriptor = FONT_METRICS[names[-1]][0]
    else:
        descriptor = dict_value(spec.get("FontDescriptor", {}))
    if "FontName" in descriptor:
        names.append(name(descriptor["FontName"]))
    d = num_value(descriptor.get("Descent", 0))
    return names, (-d if d > 0 else d) * 0.001


def descents(page) -> dict[str, float | None]:
    """pdfminer's descent of every font of a pdfplumber page (its resources and those of
    its form XObjects), by name without the subset prefix (None: two fonts of one name
    with different descents)."""
    from pdfminer.pdftypes import dict_value, resolve1

    out: dict[str, float | None] = {}
    seen: set[int] = set()

    def visit(resources, depth: int) -> None:
        resources = dict_value(resources)
        for ref in dict_value(resources.get("Font", {})).values():
            names, d = _descent(dict_value(ref))
            for n in {_SUBSET.sub("", n) for n in names}:
                out[n] = d if out.get(n, d) == d else None
        for ref in dict_value(resources.get("XObject", {})).values():
            objid = getattr(ref, "objid", None)
            if objid in seen or depth > 8:
                continue
            seen.add(objid)
            xobj = resolve1(ref)
            attrs = getattr(xobj, "attrs", {})
            if getattr(resolve1(attrs.get("Subtype")), "name", None) == "Form" and \
                    "Resources" in attrs:
                visit(attrs["Resources"], depth + 1)

    try:
        visit(page.page_obj.resources, 0)
    except Unsupported:
        raise
    except Exception as e:  # a font dictionary pdfminer would read differently
        raise Unsupported(f"font resources ({type(e).__name__}: {e})") from e
    return out


class PdfiumPages:
    """The pages of one PDF read through PDFium, next to the pdfplumber document of the
    same bytes (its page tree gives the boxes and the fonts' metrics)."""

    def __init__(self, data: bytes, plumber) -> None:
        import pypdfium2 as pdfium

        self.doc = pdfium.PdfDocument(data)  # raises on a file PDFium cannot open
        self.unicode_norm = plumber.unicode_norm

    def __len__(self) -> int:
        return len(self.doc)

    def page(self, index: int, page):
        """``(chars, edges)`` of page ``index`` (``page``: pdfplumber's), or None when
        PDFium cannot give the page as pdfminer would (the reason is logged)."""
        from .pdf_edges import page_edges, page_paths
        try:
            if page.rotation:
                raise Unsupported("rotated page")
            if not decodes_cleanly(page):
                raise Unsupported("a content stream does not decode cleanly (damaged)")
            height = float(page.height)
            pg = self.doc[index]
            try:
                _no_blank_objects(pg.raw)
                tp = pdfium_c.FPDFText_LoadPage(pg.raw)
                if not tp:
                    raise Unsupported("no text page")
                try:
                    chars = page_chars(pg.raw, tp, height, descents(page), self.unicode_norm)
                finally:
                    pdfium_c.FPDFText_ClosePage(tp)
                if not chars:
                    # a scan, or text PDFium could not load: pdfminer's reading decides
                    # (no text layer, or its error for the page), as before
                    raise Unsupported("no characters")
                edges = page_edges(page_paths(pg.raw), height)
            finally:
                pg.close()
        except Unsupported as e:
            log.debug("page %d read with pdfminer: %s", index + 1, e)
            return None
        except Exception as e:  # PDFium failed on this page: pdfminer reads it, as before
            log.debug("page %d read with pdfminer: PDFium failed (%s: %s)", index + 1,
                      type(e).__name__, e)
            return None
        return chars, edges

    def close(self) -> None:
        self.doc.close()
