"""PDF ruling lines through PDFium: the page's painted paths (form XObjects nested) as
pdfminer's ``paint_path`` classifies them (line, rect, curve), turned into the edges
pdfplumber's table finder reads (``page.edges``: lines, then rect edges, then curve
edges, in drawing order), and pdfplumber's own ``TableFinder`` run on them, so the table
structure stays pdfplumber's.  Coordinates are pdfplumber's (``top`` from the top of the
crop box); PDFium's single-precision points are rounded to 1e-4 pt (:func:`pdf_pdfium._q`)."""
from __future__ import annotations

import ctypes
import re

import pypdfium2.raw as pdfium_c

from .pdf_pdfium import Unsupported, _q


def _mul(a, b):
    """Matrix product a·b of (a, b, c, d, e, f) tuples (apply a first, then b)."""
    return (a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3],
            a[2] * b[0] + a[3] * b[2], a[2] * b[1] + a[3] * b[3],
            a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5])


def _objects(container, count, get, parent):
    m = pdfium_c.FS_MATRIX()
    for k in range(count(container)):
        obj = get(container, k)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind not in (pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_FORM):
            continue
        if not pdfium_c.FPDFPageObj_GetMatrix(obj, m):
            raise Unsupported("a path without a matrix")
        mat = _mul((m.a, m.b, m.c, m.d, m.e, m.f), parent)
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            yield from _objects(obj, pdfium_c.FPDFFormObj_CountObjects,
                                pdfium_c.FPDFFormObj_GetObject, mat)
        else:
            yield obj, mat


def _painted(obj) -> bool:
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(obj, fill, stroke):
        return False
    return bool(fill.value or stroke.value)


def page_paths(page) -> list[list[tuple[str, tuple[float, float]]]]:
    """Every painted path as pdfminer sees it: a list of (op, point) in PDF user space, op
    one of ``m l c h`` (a closed subpath ends with ``h`` at its start point)."""
    out = []
    x, y = ctypes.c_float(), ctypes.c_float()
    for obj, mat in _objects(page, pdfium_c.FPDFPage_CountObjects, pdfium_c.FPDFPage_GetObject,
                             (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)):
        if not _painted(obj):
            continue
        a, b, c, d, e, f = mat
        path = []
        start = None
        n = pdfium_c.FPDFPath_CountSegments(obj)
        k = 0
        while k < n:
            seg = pdfium_c.FPDFPath_GetPathSegment(obj, k)
            kind = pdfium_c.FPDFPathSegment_GetType(seg)
            if kind == pdfium_c.FPDF_SEGMENT_BEZIERTO:
                # PDFium stores a curve as three points (two controls, the end)
                k += 2
                seg = pdfium_c.FPDFPath_GetPathSegment(obj, k)
                op = "c"
            elif kind == pdfium_c.FPDF_SEGMENT_LINETO:
                op = "l"
            elif kind == pdfium_c.FPDF_SEGMENT_MOVETO:
                op = "m"
            else:
                raise Unsupported("a path segment of unknown type")
            pdfium_c.FPDFPathSegment_GetPoint(seg, x, y)
            pt = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
            if op == "m":
                start = pt
            path.append((op, pt))
            if pdfium_c.FPDFPathSegment_GetClose(seg):
                path.append(("h", start if start is not None else pt))
            k += 1
        if path:
            out.append(path)
    return out


def _bound(pts):
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    return min(xs), min(ys), max(xs), max(ys)


def _classify(path):
    """pdfminer's ``paint_path``: a subpath as ("line"|"rect"|"curve", pts) or None."""
    shape = "".join(op for op, _ in path)
    if shape[:1] != "m":
        return []
    if shape.count("m") > 1:
        out = []
        for mt in re.finditer(r"m[^m]+", shape):
            out += _classify(path[mt.start():mt.end()])
        return out
    pts = [p for _, p in path]
    if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
        shape = shape[:-2] + "h"
        pts.pop()
    if shape in ("mlh", "ml"):
        return [("line", pts[:2])]
    if shape in ("mlllh", "mllll"):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or \
                 (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)
        if pts[0] == pts[4] and square:
            return [("rect", [pts[0], pts[2]])]
    return [("curve", pts)]


def page_edges(paths, height: float) -> list[dict]:
    """pdfplumber's ``page.edges`` (lines, then rect edges, then curve edges)."""
    from pdfplumber.utils import curve_to_edges, line_to_edge, rect_to_edges

    lines, rects, curves = [], [], []
    for path in paths:
        qpath = [(op, (_q(x), _q(y))) for op, (x, y) in path]
        for kind, pts in _classify(qpath):
            x0, y0, x1, y1 = _bound(pts)
            obj = {"object_type": kind, "x0": x0, "y0": y0, "x1": x1, "y1": y1,
                   "width": x1 - x0, "height": y1 - y0, "top": height - y1,
                   "bottom": height - y0, "doctop": height - y1,
                   "pts": [(x, height - y) for x, y in pts]}
            {"line": lines, "rect": rects, "curve": curves}[kind].append(obj)
    return ([line_to_edge(o) for o in lines] + [e for o in rects for e in rect_to_edges(o)]
            + [e for o in curves for e in curve_to_edges(o)])


class _TablePage:
    """What pdfplumber's ``TableFinder`` reads of a page with the default settings (the
    "lines" strategy for both directions): ``edges``, and ``bbox`` for explicit lines."""

    def __init__(self, edges: list[dict], bbox) -> None:
        self.edges = edges
        self.bbox = bbox


def find_tables(edges: list[dict], bbox) -> list:
    """``page.find_tables()`` of the page these edges come from (pdfplumber's tables)."""
    from pdfplumber.table import TableFinder, TableSettings
    return TableFinder(_TablePage(edges, bbox), TableSettings.resolve(None)).tables
