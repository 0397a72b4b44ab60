"""HTML reader (lxml.html).

What it produces (layout ``html_tables``):

* Encoding: a BOM wins; else the page's declared charset (``<meta charset>``,
  ``<meta http-equiv=Content-Type content="...; charset=...">`` or an XML declaration;
  GB2312/GBK are decoded as their superset GB18030); if that is missing or does not
  decode, UTF-8 then GB18030 are tried (a warning says so).  A page whose bytes are
  valid UTF-8 but whose declared charset (``iso-8859-1``, ``gbk``...) reads them as
  mojibake (``é¡¹ç›®`` for 项目) or as no text is decoded as UTF-8, with a warning; a BOM
  is believed only if the content after it decodes.
* Body content in document order: ``h1``–``h6`` become ``heading`` blocks (``level`` =
  the digit); the text of other block elements (``p``, ``div``, ``li``, ...) and loose
  text become ``paragraph`` blocks.  ``<br>`` inside a paragraph is ``'\\n'``.  Whitespace
  is collapsed the way a browser does, except inside ``<pre>`` and elements whose inline
  style or a simple ``<style>`` rule (``p.pre{white-space:pre-wrap}``) keeps it.
  ``&nbsp;`` becomes an ordinary (uncollapsed) space.  ``script``, ``style``, ``head``,
  ``noscript``, ``template`` and comments are ignored.
* Tables: each ``td``/``th`` is one block at its grid position, with the HTML table
  model (rowspans from earlier rows push later cells right; ``rowspan`` clamped to the
  rows of the table, ``rowspan=0`` runs to the end).  Cell text: ``<br>`` and block
  children (``<p>``, ``<div>``, ``<li>``...) separate lines joined by ``'\\n'``.  A
  ``<caption>`` is a paragraph before its table.  Every cell is emitted, empty or not.
* A table that contains another table is treated as a LAYOUT table (common on older
  government sites): it produces no cells; its contents are read as body flow, so the
  inner data tables come out as tables.
* A page with no table still reads (paragraphs only).
"""
from __future__ import annotations

import codecs
import re

from ..model import Document, ReaderError, TextBuilder
from ._common import cell_text, is_mojibake, looks_like_text

_SKIP = {"script", "style", "head", "noscript", "template", "title", "meta", "link",
         "object", "embed", "iframe", "svg", "math", "select", "button"}
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_BLOCK = {"p", "div", "li", "ul", "ol", "dl", "dt", "dd", "section", "article", "aside",
          "header", "footer", "main", "nav", "blockquote", "pre", "address", "center",
          "form", "fieldset", "figure", "figcaption", "hr", "body", "html", "caption",
          "tr", "td", "th", "thead", "tbody", "tfoot", "legend", "details", "summary",
          "h1", "h2", "h3", "h4", "h5", "h6", "table", "textarea", "option"}

MAX_TABLE_SLOTS = 2_000_000  # grid positions of one table (guards against absurd spans)

_HARD = "\x01"  # a line break that survives whitespace collapsing
_KEEP = "\x02"  # a space that survives whitespace collapsing
_WS = re.compile(r"[ \t\n\r\f]+")

_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([-\w.:]+)""", re.I)
_XML_ENC = re.compile(rb"""<\?xml[^>]*encoding\s*=\s*["']([-\w.:]+)""", re.I)
_GB_ALIASES = {"gb2312", "gbk", "gb_2312-80", "x-gbk", "gb2312-80", "cp936", "ms936",
               "euc-cn", "csgb2312", "x-euc-cn", "hz-gb-2312"}


def _decode(data: bytes) -> tuple[str, str, list[str]]:
    """(text, encoding, warnings); never raises (undecodable bytes become U+FFFD)."""
    warnings: list[str] = []
    for bom, enc in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                     (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(enc), enc, warnings
            except UnicodeDecodeError:
                warnings.append(f"page starts with a {enc} byte-order mark but does not "
                                "decode as it; guessed the encoding")
                data = data[len(bom):]
                break
    head = data[:8192]
    m = _META_CHARSET.search(head) or _XML_ENC.search(head)
    declared = None
    if m:
        name = m.group(1).decode("ascii", "replace").strip().lower()
        if name in _GB_ALIASES or name.startswith("gb"):
            name = "gb18030"
        try:
            declared = codecs.lookup(name).name
        except LookupError:
            warnings.append(f"unknown declared charset {name!r}; guessed the encoding")
    utf8 = _strict(data, "utf-8")
    if declared:
        text = _strict(data, declared)
        if text is not None and declared != "utf-8" and utf8 is not None and not utf8.isascii() \
                and (len(_non_ascii(utf8)) >= 3 or is_mojibake(text)
                     or not looks_like_text(_non_ascii(text))):
            # UTF-8 bytes that also "decode" as the declared charset: three or more valid
            # multi-byte UTF-8 characters are practically never what a GB, Big5 or Latin
            # text happens to be (a GB character pair is valid UTF-8 with a chance of about
            # 1 in 7, so a page of them about 1 in 7^n); fewer are believed when the
            # declared reading is mojibake (é¡¹ç›® for 项目) or no text at all.
            warnings.append(f"page declares {declared} but holds UTF-8 (the {declared} reading "
                            "is mojibake): decoded as utf-8")
            return utf8, "utf-8", warnings
        if text is not None:
            return text, declared, warnings
        warnings.append(f"page declares {declared} but does not decode as it; guessed the encoding")
    if utf8 is not None:
        return utf8, "utf-8", warnings
    gb = _strict(data, "gb18030")
    if gb is not None:
        return gb, "gb18030", warnings
    warnings.append("text is neither UTF-8 nor GB18030: undecodable bytes replaced with U+FFFD")
    return data.decode("utf-8", errors="replace"), "utf-8", warnings


def _strict(data: bytes, enc: str) -> str | None:
    try:
        return data.decode(enc)
    except (UnicodeDecodeError, LookupError):
        return None


def _non_ascii(text: str) -> str:
    return "".join(ch for ch in text if ord(ch) > 127)


def _pre_rules(root) -> list[tuple[str | None, str | None]]:
    """(tag, class) pairs of simple <style> selectors that preserve whitespace."""
    rules: list[tuple[str | None, str | None]] = []
    for st in root.iter("style"):
        css = st.text or ""
        for sel, decl in re.findall(r"([^{}]+)\{([^}]*)\}", css):
            if not re.search(r"white-space\s*:\s*(pre|pre-wrap|pre-line|break-spaces)\b", decl, re.I):
                continue
            for s in sel.split(","):
                s = s.strip().split()[-1] if s.strip() else ""
                m = re.fullmatch(r"([a-zA-Z][\w-]*)?(?:\.([\w-]+))?", s)
                if m and (m.group(1) or m.group(2)):
                    rules.append(((m.group(1) or "").lower() or None, m.group(2)))
    return rules


class _Lines:
    """Accumulates inline text; ``flush`` returns the collapsed text."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def text(self, s: str | None, pre: bool) -> None:
        if not s:
            return
        s = s.replace("\xa0", _KEEP)
        if pre:
            s = s.replace("\r\n", "\n").replace("\r", "\n")
            s = s.replace(" ", _KEEP).replace("\t", _KEEP).replace("\n", _HARD)
        else:
            s = _WS.sub(" ", s)
        self.parts.append(s)

    def hard(self) -> None:
        self.parts.append(_HARD)

    def soft(self) -> None:
        """A block boundary: a line break unless at the start of a line."""
        if self.parts and not self.parts[-1].endswith(_HARD):
            self.parts.append(_HARD)

    def empty(self) -> bool:
        return not any(p.strip(" " + _HARD) for p in self.parts)

    def flush(self) -> str:
        s = re.sub(" +", " ", "".join(self.parts))
        self.parts = []
        lines = [ln.strip(" ") for ln in s.split(_HARD)]
        return cell_text("\n".join(lines).replace(_KEEP, " "))


class _Reader:
    def __init__(self, root) -> None:
        self.tb = TextBuilder()
        self.warnings: list[str] = []
        self.pre_rules = _pre_rules(root)
        self.buf = _Lines()

    def _is_pre(self, el, pre: bool) -> bool:
        if pre:
            return True
        tag = el.tag
        if tag in ("pre", "textarea", "listing", "plaintext", "xmp"):
            return True
        style = el.get("style") or ""
        if re.search(r"white-space\s*:\s*(pre|pre-wrap|pre-line|break-spaces)\b", style, re.I):
            return True
        if self.pre_rules:
            classes = set((el.get("class") or "").split())
            for t, c in self.pre_rules:
                if (t is None or t == tag) and (c is None or c in classes):
                    return True
        return False

    # ---- body flow ------------------------------------------------------------------
    def flush_paragraph(self) -> None:
        if not self.buf.empty():
            text = self.buf.flush()
            if text.strip():
                self.tb.paragraph(text)
        else:
            self.buf.parts = []

    def walk(self, el, pre: bool = False) -> None:
        tag = el.tag
        if not isinstance(tag, str):  # comment / processing instruction
            self.buf.text(el.tail, pre)
            return
        tag = tag.lower()
        if tag in _SKIP or _hidden(el):
            self.buf.text(el.tail, pre)
            return
        here_pre = self._is_pre(el, pre)
        if tag in _HEADINGS:
            self.flush_paragraph()
            lines = _Lines()
            self._inline(el, lines, here_pre)
            text = lines.flush()
            if text.strip():
                self.tb.heading(text, level=_HEADINGS[tag])
        elif tag == "table" and not _is_layout_table(el):
            self.flush_paragraph()
            self.table(el)
        elif tag == "br":
            self.buf.hard()
        elif tag in _BLOCK:
            self.flush_paragraph()
            self.buf.text(el.text, here_pre)
            for ch in el:
                self.walk(ch, here_pre)
            self.flush_paragraph()
        else:
            self.buf.text(el.text, here_pre)
            for ch in el:
                self.walk(ch, here_pre)
        self.buf.text(el.tail, pre)

    # ---- inline text of one block (heading, table cell) -------------------------------
    def _inline(self, el, lines: _Lines, pre: bool) -> None:
        lines.text(el.text, pre)
        for ch in el:
            tag = ch.tag
            if not isinstance(tag, str):
                lines.text(ch.tail, pre)
                continue
            tag = tag.lower()
            if tag in _SKIP or _hidden(ch):
                lines.text(ch.tail, pre)
                continue
            if tag == "br":
                lines.hard()
            elif tag in _BLOCK:
                lines.soft()
                self._inline(ch, lines, self._is_pre(ch, pre))
                lines.soft()
            else:
                self._inline(ch, lines, self._is_pre(ch, pre))
            lines.text(ch.tail, pre)

    # ---- tables ---------------------------------------------------------------------
    def table(self, tbl) -> None:
        caption = tbl.find("caption")
        if caption is not None:
            lines = _Lines()
            self._inline(caption, lines, self._is_pre(caption, False))
            text = lines.flush()
            if text.strip():
                self.tb.paragraph(text)
        rows = list(_rows(tbl))
        n = len(rows)
        placed: list[tuple[int, int, int, int, object]] = []
        occupied: set[tuple[int, int]] = set()
        for r, tr in enumerate(rows):
            c = 0
            for td in tr:
                if not isinstance(td.tag, str) or td.tag.lower() not in ("td", "th"):
                    continue
                while (r, c) in occupied:
                    c += 1
                cs = min(max(_int(td.get("colspan"), 1), 1), 1000)
                rs = _int(td.get("rowspan"), 1)
                rs = n - r if rs == 0 else min(max(rs, 1), n - r)
                if len(occupied) + rs * cs > MAX_TABLE_SLOTS:
                    raise ReaderError(f"HTML table with more than {MAX_TABLE_SLOTS} grid cells "
                                      "(rowspan/colspan out of bounds?): fix or split the table")
                for rr in range(r, r + rs):
                    for cc in range(c, c + cs):
                        occupied.add((rr, cc))
                placed.append((r, c, rs, cs, td))
                c += cs
        if not placed:
            return
        t = self.tb.start_table()
        for r, c, rs, cs, td in placed:
            lines = _Lines()
            self._inline(td, lines, self._is_pre(td, False))
            self.tb.cell(t, row=r + 1, col=c + 1, text=lines.flush(), rowspan=rs, colspan=cs)
        self.tb.end_table()


def _hidden(el) -> bool:
    if el.get("hidden") is not None:
        return True
    style = el.get("style")
    return bool(style) and re.search(r"display\s*:\s*none", style, re.I) is not None


def _rows(tbl):
    """The table's own rows (through thead/tbody/tfoot), never a nested table's."""
    for ch in tbl:
        tag = ch.tag.lower() if isinstance(ch.tag, str) else ""
        if tag == "tr":
            yield ch
        elif tag in ("thead", "tbody", "tfoot"):
            for tr in ch:
                if isinstance(tr.tag, str) and tr.tag.lower() == "tr":
                    yield tr


def _is_layout_table(tbl) -> bool:
    return any(True for _ in tbl.iterdescendants("table"))


def _int(s, default: int) -> int:
    try:
        return int(str(s).strip().rstrip(";"))
    except (TypeError, ValueError):
        return default


def read_html(data: bytes) -> Document:
    import lxml.etree
    import lxml.html

    text, enc, warnings = _decode(data)
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)  # lxml refuses str with an XML encoding decl
    if not text.strip():
        raise ReaderError("empty HTML file: nothing to read")
    try:
        root = lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError) as e:
        raise ReaderError(f"unreadable HTML ({e}): save the page again from the browser") from e
    reader = _Reader(root)
    reader.warnings.extend(warnings)
    body = root.find("body")
    if body is None:
        body = root
    try:
        reader.walk(body)
    except RecursionError as e:
        raise ReaderError("HTML nested too deeply to read (thousands of levels): save the "
                          "page again from a browser") from e
    reader.flush_paragraph()
    return reader.tb.build(format="html", layout="html_tables", warnings=reader.warnings)
