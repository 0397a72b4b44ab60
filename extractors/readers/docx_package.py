"""The parts of a ``.docx`` package the Word reader reads: the main document part, found
through the package relationships (``_rels/.rels`` ``officeDocument``; ``word/document.xml``
if they are missing), and its styles part, found through the document's relationships and
parsed style by style as the body asks for them (``_Styles``).  lxml without entity
resolution, network or huge trees."""
from __future__ import annotations

import re

from ..model import ReaderError

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _q(tag: str) -> str:
    return f"{{{W}}}{tag}"


_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE_DOC = "/officeDocument"
_STYLES = "/styles"


def _parser():
    from lxml import etree
    return etree.XMLParser(remove_blank_text=True, resolve_entities=False, no_network=True,
                           huge_tree=False)


def _target(zf, rels_path: str, type_suffix: str, base: str, default: str) -> str:
    """The part a relationship of the given type points to (resolved against ``base``)."""
    import posixpath
    from lxml import etree
    try:
        rels = etree.fromstring(zf.read(rels_path), _parser())
    except KeyError:
        return default
    for rel in rels.iter(f"{{{_REL}}}Relationship"):
        if (rel.get("Type") or "").endswith(type_suffix) and rel.get("TargetMode") != "External":
            target = rel.get("Target") or ""
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
            if path in zf.NameToInfo:
                return path
    return default


class _Styles:
    """``w:styleId`` -> ``w:style`` element, parsing only the styles the body asks for.

    A styles part is often hundreds of kilobytes (every latent style of the template) of
    which a form uses a handful: the start of each ``<w:style>`` is indexed by a scan of the
    bytes, and a style is parsed (inside a copy of the root's start tag, which declares
    the namespaces) when it is first looked up.  A part that does not use the ``w:``
    prefix is parsed whole.
    """

    _START = re.compile(rb'<w:style\b[^>]*?\bw:styleId="([^"]*)"')

    def __init__(self, xml: bytes) -> None:
        self.xml = xml
        self.cache: dict = {}
        self.index: dict[str, int] = {}
        self.whole = None
        root = re.search(rb"<(w:styles)\b[^>]*>", xml)
        if root is None:
            if xml.strip():
                from lxml import etree
                self.whole = {}
                for st in etree.fromstring(xml, _parser()).iter(_q("style")):
                    self.whole.setdefault(st.get(_q("styleId")), st)
            return
        self.root_start = root.group(0).rstrip(b"/>") + b">" if root.group(0).endswith(b"/>") else root.group(0)
        for m in self._START.finditer(xml):
            self.index.setdefault(m.group(1).decode("utf-8", "replace"), m.start())

    def get(self, style_id):
        if self.whole is not None:
            return self.whole.get(style_id)
        if style_id in self.cache:
            return self.cache[style_id]
        el = None
        start = self.index.get(style_id)
        if start is not None:
            end = self.xml.find(b"</w:style>", start)
            frag = self.xml[start:end + len(b"</w:style>")] if end >= 0 else b""
            if frag:
                from lxml import etree
                try:
                    wrapper = etree.fromstring(self.root_start + frag + b"</w:styles>", _parser())
                    el = wrapper.find(_q("style"))
                except etree.XMLSyntaxError:
                    el = None
        self.cache[style_id] = el
        return el


def _load(zf):
    """(body element, styles by id) of the package in ``zf``."""
    import posixpath
    from lxml import etree
    main = _target(zf, "_rels/.rels", _OFFICE_DOC, "", "word/document.xml")
    try:
        root = etree.fromstring(zf.read(main), _parser())
    except KeyError as e:
        raise ReaderError("not a Word document: the package has no main document part "
                          f"({main}): re-save the file in Word as .docx") from e
    body = root.find(_q("body"))
    if body is None and "purl.oclc.org/ooxml" in str(root.tag):
        raise ReaderError("a 'Strict Open XML' .docx is not supported: save it in Word as an "
                          "ordinary Word Document (.docx) and add it again")
    if body is None:
        raise ReaderError(f"not a Word document: {main} has no w:body: re-save the file in "
                          "Word as .docx")
    folder, name = posixpath.split(main)
    styles_path = _target(zf, posixpath.join(folder, "_rels", name + ".rels"), _STYLES, folder,
                          posixpath.join(folder, "styles.xml"))
    try:
        styles = _Styles(zf.read(styles_path))
    except KeyError:
        styles = _Styles(b"")
    return body, styles
