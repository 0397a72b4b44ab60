"""Fuzzing every reader: random bytes and damaged real files raise only ReaderError.

Each reader gets random byte strings (with and without its format's magic bytes) and
real files damaged the ways downloads and disks damage them: truncated, bytes flipped,
runs deleted or inserted, and, for the zip formats, the XML inside the package damaged
and the package re-zipped with valid checksums (so the XML parser, not the zip check,
meets the damage).  The only acceptable outcomes are a Document whose block spans hold,
or a ReaderError.

``FUZZ_EXAMPLES`` (environment) sets the examples per test: 150 in CI (the default; 30
for the PDF reader, ``FUZZ_SLOW_EXAMPLES``), 3,000 for every reader in
``benchmarks/fuzz_readers.py``.  Runs are derandomised: the same
examples every time.
"""
from __future__ import annotations

import io
import os
import zipfile
from functools import partial
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from extractors.model import Document, ReaderError
from extractors.readers import read_document
from extractors.readers.docx import read_docx
from extractors.readers.html import read_html
from extractors.readers.pdf import read_pdf
from extractors.readers.txt import read_txt
from extractors.readers.xls import read_xls
from extractors.readers.xlsx import read_xlsx

SHARED = Path(__file__).resolve().parents[2] / "shared"
N = int(os.environ.get("FUZZ_EXAMPLES", "150"))
FUZZ = settings(max_examples=N, deadline=None, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck))
# PDF: each example may parse pages; FUZZ_SLOW_EXAMPLES (default N/5) examples
SLOW = settings(FUZZ, max_examples=int(os.environ.get("FUZZ_SLOW_EXAMPLES", max(N // 5, 10))))

MAGIC = {"txt": b"", "docx": b"PK\x03\x04", "xlsx": b"PK\x03\x04", "pdf": b"%PDF-1.7\n",
         "html": b"<html><meta charset=gbk>", "xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"}
# (workbooks whose formulas lack cached values are not sent to LibreOffice while fuzzing)
READERS = {"txt": read_txt, "docx": read_docx, "xlsx": partial(read_xlsx, compute_formulas=False),
           "pdf": read_pdf, "html": read_html, "xls": read_xls}


def check(reader, data: bytes) -> None:
    try:
        doc = reader(data)
    except ReaderError as e:
        assert str(e)  # an actionable message, never empty
        return
    assert isinstance(doc, Document)
    assert list(doc.check_spans()) == []


_files: dict[str, bytes | None] = {}


def real_file(name: str) -> bytes:
    if name not in _files:
        path = next((p for p in (SHARED / "samples" / name, SHARED / "samples-dev" / name,
                                 SHARED / "seeds" / name) if p.exists()), None)
        _files[name] = path.read_bytes() if path else None
    if _files[name] is None:
        pytest.skip(f"{name} is not available under {SHARED}")
    return _files[name]


def _xls() -> bytes:
    if "made.xls" not in _files:
        xlwt = pytest.importorskip("xlwt")
        wb = xlwt.Workbook(encoding="utf-8")
        ws = wb.add_sheet("附件2")
        ws.write_merge(0, 0, 0, 3, "2023年度预算单位整体支出绩效自评表")
        ws.write_merge(1, 3, 0, 0, "年度预算申请（万元）")
        for r, (label, amount) in enumerate([("年度资金总额", 1988.88), ("其中：当年财政拨款", 1988.88),
                                             ("上年结转资金", 0)], start=1):
            ws.write(r, 1, label)
            ws.write(r, 2, amount, xlwt.easyxf(num_format_str="0.00"))
            ws.write(r, 3, 0.9512, xlwt.easyxf(num_format_str="0.00%"))
        buf = io.BytesIO()
        wb.save(buf)
        _files["made.xls"] = buf.getvalue()
    return _files["made.xls"]


SOURCES = {"txt": "000_dbacab0dbc49b42b.txt", "docx": "r031.docx", "xlsx": "r053.xlsx",
           "pdf": "r031.pdf", "html": "r060.html"}


def source(fmt: str) -> bytes:
    if fmt == "xls":
        return _xls()
    if fmt == "txt":
        seeds = sorted((SHARED / "seeds").glob("000_*.txt"))
        if not seeds:
            pytest.skip("seed 000 text is not available")
        return seeds[0].read_bytes()[:20000]
    return real_file(SOURCES[fmt])


@st.composite
def damaged(draw, data: bytes) -> bytes:
    """``data`` truncated, with bytes flipped, a run deleted or random bytes inserted."""
    b = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["truncate", "flip", "delete", "insert", "zero"]))
        if not b:
            break
        i = draw(st.integers(0, len(b) - 1))
        if op == "truncate":
            del b[i:]
        elif op == "flip":
            b[i] ^= draw(st.integers(1, 255))
        elif op == "delete":
            del b[i:i + draw(st.integers(1, 64))]
        elif op == "insert":
            b[i:i] = draw(st.binary(min_size=1, max_size=64))
        else:
            b[i:i + draw(st.integers(1, 64))] = b"\0" * 8
    return bytes(b)


@st.composite
def damaged_package(draw, data: bytes) -> bytes:
    """A docx/xlsx whose XML parts are damaged, re-zipped with valid CRCs."""
    zin = zipfile.ZipFile(io.BytesIO(data))
    names = [n for n in zin.namelist() if n.endswith((".xml", ".rels"))]
    hit = set(draw(st.lists(st.sampled_from(names), min_size=1, max_size=3)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for n in zin.namelist():
            part = zin.read(n)
            if n in hit:
                part = draw(damaged(part)) if draw(st.booleans()) else draw(_xml_edit(part))
            zout.writestr(n, part)
    return out.getvalue()


@st.composite
def _xml_edit(draw, part: bytes) -> bytes:
    """Damage that keeps the XML well-formed or nearly: hostile attribute values, a
    DOCTYPE with entities (billion laughs), an element removed."""
    edits = [
        (b' w:val="', b' w:val="-99999999999999999999'),
        (b'ref="', b'ref="XFD1048576:A'),
        (b'<w:gridSpan w:val="', b'<w:gridSpan w:val="100000'),
        (b'<c r="', b'<c r="A0'),
        (b"<v>", b"<v>1e308"),
        (b'<si><t>', b'<si><t>\xe4\xb8'),
        (b'w:vMerge w:val="restart"', b'w:vMerge w:val="continue"'),
        (b"</w:tc>", b""),
    ]
    old, new = draw(st.sampled_from(edits))
    if draw(st.booleans()) and part.startswith(b"<?xml"):
        end = part.find(b"?>") + 2
        lol = (b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
               b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">'
               b'<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">]>')
        part = part[:end] + lol + part[end:]
        return part.replace(b"<w:t>", b"<w:t>&f;", 1).replace(b"<t>", b"<t>&f;", 1)
    return part.replace(old, new, draw(st.integers(1, 3)))


# ---------------------------------------------------------------------------------------
# random bytes
# ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", sorted(READERS))
def test_random_bytes(fmt):
    settings_ = SLOW if fmt == "pdf" else FUZZ

    @settings_
    @given(st.binary(max_size=4096), st.booleans())
    def run(data, with_magic):
        check(READERS[fmt], (MAGIC[fmt] if with_magic else b"") + data)
    run()


@FUZZ
@given(st.binary(max_size=4096))
def test_random_bytes_through_format_detection(data):
    try:
        doc = read_document(data, "x")
    except ReaderError:
        return
    assert list(doc.check_spans()) == []


@FUZZ
@given(st.sampled_from([b"\xef\xbb\xbf", b"", b"\xff\xfe", b"\xfe\xff"]),
       st.text(alphabet="附件预算执行数（万元）\t\n 0123456789.%", max_size=200),
       st.sampled_from(["gb18030", "utf-8", "utf-16-le", "big5"]))
def test_text_in_any_encoding_after_any_bom(bom, text, enc):
    check(read_txt, bom + text.encode(enc, errors="replace"))


# ---------------------------------------------------------------------------------------
# damaged real files
# ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", sorted(READERS))
def test_damaged_real_file(fmt):
    data = source(fmt)
    settings_ = SLOW if fmt == "pdf" else FUZZ

    @settings_
    @given(damaged(data))
    def run(bad):
        check(READERS[fmt], bad)
    run()


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_damaged_xml_inside_a_valid_package(fmt):
    data = source(fmt)

    @FUZZ
    @given(damaged_package(data))
    def run(bad):
        check(READERS[fmt], bad)
    run()


def test_billion_laughs_is_refused_or_read_without_expansion():
    """The entity bomb of _xml_edit in the body of a real .docx and a real .xlsx."""
    for fmt, part in (("docx", "word/document.xml"), ("xlsx", "xl/sharedStrings.xml")):
        data = source(fmt)
        zin = zipfile.ZipFile(io.BytesIO(data))
        out = io.BytesIO()
        lol = b"".join(b'<!ENTITY e%d "%s">' % (i, (b"&e%d;" % (i - 1)) * 10 if i else b"ha")
                       for i in range(10))
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
            for n in zin.namelist():
                b = zin.read(n)
                if n == part:
                    end = b.find(b"?>") + 2
                    b = b[:end] + b"<!DOCTYPE x [" + lol + b"]>" + b[end:]
                    b = b.replace(b"<w:t>", b"<w:t>&e9;", 1).replace(b"<t>", b"<t>&e9;", 1)
                zout.writestr(n, b)
        try:
            doc = READERS[fmt](out.getvalue())
        except ReaderError:
            continue
        assert "haha" * 1000 not in doc.text  # 10^9 'ha's never expanded


@FUZZ
@given(st.text(alphabet="项目支出绩效自评表预算执行率年度资金总额万元，。、（）0123456789", min_size=8, max_size=80),
       st.sampled_from(["gbk", "gb2312", "big5", "iso-8859-1", "windows-1252", "shift_jis", "euc-kr"]),
       st.booleans())
def test_html_charset_is_believed_only_when_it_reads(text, declared, really_utf8):
    """A page holds UTF-8 whatever its <meta> says, or really is in GB18030 and says gbk.
    (Three Chinese characters at least: fewer could be valid in both.)"""
    assume(sum(1 for ch in text if ord(ch) > 127) >= 3)
    if not really_utf8 and not declared.startswith("gb"):
        declared = "gbk"
    page = f'<html><head><meta charset="{declared}"></head><body><p>{text}</p></body></html>'
    doc = read_html(page.encode("utf-8" if really_utf8 else "gb18030"))
    assert [b.text for b in doc.blocks] == [text]
