"""PDF characters -> lines: grouping by vertical overlap, de-duplication of characters
drawn twice, and the text of one line (spaces the PDF has, or inferred from gaps)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

WORD_GAP = 3.0  # pt: a gap wider than this is a space in paragraph text (pdfplumber's x_tolerance)


@dataclass
class Line:
    chars: list
    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    text: str = ""

    @property
    def height(self) -> float:
        return self.bottom - self.top


def _group_lines(chars: list) -> list[list]:
    """Group characters into lines by vertical overlap; lines top to bottom."""
    lines: list[list] = []
    bounds: list[list[float]] = []  # [top, bottom] per line
    for ch in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        mid = (ch["top"] + ch["bottom"]) / 2
        placed = False
        # only the last few lines can hold this char (sorted by top)
        for k in range(len(lines) - 1, max(len(lines) - 4, -1), -1):
            top, bottom = bounds[k]
            if top - 0.5 <= mid <= bottom + 0.5:
                lines[k].append(ch)
                bounds[k][0] = min(top, ch["top"])
                bounds[k][1] = max(bottom, ch["bottom"])
                placed = True
                break
        if not placed:
            lines.append([ch])
            bounds.append([ch["top"], ch["bottom"]])
    for ln in lines:
        ln.sort(key=lambda c: c["x0"])
    order = sorted(range(len(lines)), key=lambda k: bounds[k][0])
    return [lines[k] for k in order]


def fast_chars(page) -> None:
    """Make ``page.chars`` cheap to build (call before the page's objects are first used).

    pdfplumber turns every pdfminer ``LTChar`` into a dict of some twenty resolved
    attributes (colours, matrix, marked content...): a fifth of the time of reading a PDF.
    The reader uses six of them, so a char becomes ``{text, x0, x1, top, bottom, size}``
    (plus ``object_type``/``page_number``) computed exactly as ``Page.process_object``
    computes them (mediabox offsets, ``unicode_norm``).  Every other object -- the rects,
    lines and curves the table finder reads its edges from -- goes through pdfplumber
    unchanged, in pdfplumber's own traversal order."""
    from unicodedata import normalize

    from pdfminer.layout import LTChar

    slow = page.process_object
    height = page.height
    mb_x0, mb_top = page.mediabox[:2]
    norm = page.pdf.unicode_norm
    number = page.page_number

    def process(obj):
        if not isinstance(obj, LTChar):
            return slow(obj)
        text = obj.get_text()
        if norm is not None:
            text = normalize(norm, text)
        x0, x1 = obj.x0, obj.x1
        if mb_x0 != 0:
            x0, x1 = x0 + mb_x0, x1 + mb_x0
        return {"object_type": "char", "page_number": number, "text": text, "x0": x0, "x1": x1,
                "top": (height - obj.y1) + mb_top, "bottom": (height - obj.y0) + mb_top,
                "size": obj.size}

    page.process_object = process  # an instance attribute: this page only


def _dedupe(chars: list) -> list:
    """Drop a char drawn again at (almost) the same place (fake bold, shadows).

    Like pdfplumber's ``dedupe_chars`` (1 pt tolerance, same text), in linear time."""
    seen: set[tuple[str, int, int]] = set()
    out = []
    for ch in chars:
        x, y, t = round(ch["x0"]), round(ch["top"]), ch["text"]
        if t.strip() and _seen_near(seen, t, x, y):
            continue
        seen.add((t, x, y))
        out.append(ch)
    return out


_NEAR = tuple((dx, dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1))


def _seen_near(seen: set, t: str, x: int, y: int) -> bool:
    for dx, dy in _NEAR:
        if (t, x + dx, y + dy) in seen:
            return True
    return False


def _latin(ch: str) -> bool:
    return bool(ch) and ch.isascii() and ch.isalnum()


def _line_text(chars: list, infer_gap: float | None) -> str:
    """Text of one line of chars sorted left to right.

    ``infer_gap``: write a space for a gap wider than this (paragraphs); ``None``: only
    between two Latin letters/digits separated by more than a quarter of the font size
    (cells).
    """
    out: list[str] = []
    prev = None
    for ch in chars:
        t = ch["text"]
        if prev is not None and t != " " and prev["text"] != " ":
            gap = ch["x0"] - prev["x1"]
            if infer_gap is not None:
                if gap > infer_gap:
                    out.append(" ")
            elif gap > 0.25 * (ch.get("size") or 10) and _latin(prev["text"][-1:]) and _latin(t[:1]):
                out.append(" ")
        out.append(t)
        prev = ch
    return "".join(out)


def _make_line(chars: list, page: int) -> Line:
    sizes = Counter(round(c.get("size") or 0, 1) for c in chars if c["text"].strip())
    size = sizes.most_common(1)[0][0] if sizes else round(chars[0].get("size") or 0, 1)
    ln = Line(chars=chars, page=page, top=min(c["top"] for c in chars),
              bottom=max(c["bottom"] for c in chars), x0=min(c["x0"] for c in chars),
              x1=max(c["x1"] for c in chars), size=size or 10.0)
    ln.text = _line_text(chars, WORD_GAP).replace("\t", " ")
    # ignore space characters at the ends for geometry
    vis = [c for c in chars if c["text"].strip()]
    if vis:
        ln.x0, ln.x1 = vis[0]["x0"], vis[-1]["x1"]
    ln.chars = []  # the text is built: keep memory flat on long PDFs
    return ln
