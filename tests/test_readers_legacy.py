"""Legacy Office files: .xls read natively (xlrd), .doc through LibreOffice.

The files are made here: the .xls with xlwt (merged cells, number formats) from the
cells of real documents (seed 000's 附件2 as the .docx holds it; the Hubei 项目自评表
r053 of the dev corpus as its .xlsx holds it), the .doc by LibreOffice from the shared
seed000.docx.  Each must give the same indicators and funds as the file it was made from.
"""
from __future__ import annotations

import io
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from extractors.model import ReaderError
from extractors.readers import legacy, read_document, sniff_format
from extractors.readers.xls import read_xls
from pipeline.process import process_file

SHARED = Path(__file__).resolve().parents[2] / "shared"
SAMPLES = SHARED / "samples"
SAMPLES_DEV = SHARED / "samples-dev"

# identifiers and block references differ between two files by construction
_IDS = re.compile(r"(_id|_block)$|^(doc_id|block_id)$")
# unit_name/fiscal_year of a section that does not state them come from the rest of the
# document, which a one-form workbook does not have
_DOC_LEVEL = {"unit_name", "fiscal_year", "project_name"}


def values(rows: list[dict], drop: set[str] = frozenset()) -> list[dict]:
    return [{k: v for k, v in r.items() if not _IDS.search(k) and k not in drop} for r in rows]


def need(path: Path) -> bytes:
    if not path.exists():
        pytest.skip(f"{path} is not available in this checkout")
    return path.read_bytes()


def need_soffice() -> None:
    if legacy.soffice_path() is None:
        pytest.skip("LibreOffice (soffice) is not installed: apt-get install "
                    "libreoffice-writer-nogui (.ci/run installs it)")


# ---------------------------------------------------------------------------------------
# writing .xls with xlwt
# ---------------------------------------------------------------------------------------

_NUM = re.compile(r"(?:0|[1-9]\d*)(?:\.(\d+))?")
_PCT = re.compile(r"((?:0|[1-9]\d*)(?:\.(\d+))?)%")


def _cell(text: str):
    """(value, number format) the way a person types the cell into Excel: plain numbers
    and percentages as numbers with a format that shows them as written."""
    m = _NUM.fullmatch(text)
    if m:
        dec = len(m.group(1) or "")
        return (float(text), "0." + "0" * dec if dec else "General")
    m = _PCT.fullmatch(text)
    if m:
        dec = len(m.group(2) or "")
        return (float(m.group(1)) / 100, ("0." + "0" * dec if dec else "0") + "%")
    return text, "General"


def write_xls(sheets: list[tuple[str, list[tuple[int, int, int, int, str]]]]) -> bytes:
    """sheets: (name, [(row, col, rowspan, colspan, text)]) with 0-based row/col."""
    xlwt = pytest.importorskip("xlwt")
    wb = xlwt.Workbook(encoding="utf-8")
    styles: dict[str, object] = {}
    for name, cells in sheets:
        ws = wb.add_sheet(name)
        for r, c, rs, cs, text in cells:
            value, fmt = _cell(text)
            if fmt not in styles:
                styles[fmt] = xlwt.easyxf(num_format_str=fmt)
            if rs > 1 or cs > 1:
                ws.write_merge(r, r + rs - 1, c, c + cs - 1, value, styles[fmt])
            else:
                ws.write(r, c, value, styles[fmt])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture(scope="module")
def seed000_docx():
    data = need(SAMPLES / "seed000.docx")
    return data, process_file(data, "seed000.docx")


def section_of(rec: dict, label: str) -> str:
    return next(s["section_id"] for s in rec["sections"] if s["attachment_label"] == label)


@pytest.fixture(scope="module")
def attachment2_xls(seed000_docx):
    """Seed 000's 附件2 as an Excel 97-2003 sheet: its two title lines (' 附件 2',
    '2023 年度预算单位整体支出绩效自评表') in rows 1-2, its Word table below with every
    gridSpan/vMerge as a merged range, and the 单位负责人签字 line under it merged across
    the width of the table."""
    _, rec = seed000_docx
    sid = section_of(rec, "附件2")
    blocks = [b for b in rec["blocks"] if b["section_id"] == sid]
    cells = [b for b in blocks if b["kind"] == "cell"]
    assert len({b["table_no"] for b in cells}) == 1
    first = min(b["char_start"] for b in cells)
    heads = [b for b in blocks if b["kind"] != "cell" and b["char_start"] < first]
    foots = [b for b in blocks if b["kind"] != "cell" and b["char_start"] > first]
    assert [p["text"] for p in heads] == [" 附件 2", "2023 年度预算单位整体支出绩效自评表"]
    assert [p["text"][:7] for p in foots] == ["单位负责人签字"]
    out = [(i, 0, 1, 1, p["text"]) for i, p in enumerate(heads)]
    top = len(heads)
    out += [(top + b["row"] - 1, b["col"] - 1, b["rowspan"], b["colspan"], b["text"])
            for b in cells]
    bottom = top + max(b["row"] + b["rowspan"] - 1 for b in cells)
    width = max(b["col"] + b["colspan"] - 1 for b in cells)
    out += [(bottom + i, 0, 1, width, p["text"]) for i, p in enumerate(foots)]
    return write_xls([("附件2", out)]), rec, sid


def test_xls_of_seed000_attachment2_gives_the_docx_values(attachment2_xls):
    data, docx_rec, sid = attachment2_xls
    assert sniff_format(data) == "ole" and legacy.ole_kind(data) == "excel"
    rec = process_file(data, "附件2.xls")
    doc = rec["documents"][0]
    assert (doc["format"], doc["layout"], doc["status"]) == ("xls", "xls_cells", "ok"), doc["error"]
    assert [s["form_type"] for s in rec["sections"]] == ["overall_self_eval"]
    want_i = [i for i in docx_rec["indicators"] if i["section_id"] == sid]
    want_f = [f for f in docx_rec["funds"] if f["section_id"] == sid]
    assert len(want_i) == 25 and len(want_f) == 6
    assert values(rec["indicators"]) == values(want_i)
    assert values(rec["funds"]) == values(want_f)
    # the second indicator of 附件2, as the README quotes it: 国家免疫规划类疫苗接种
    i2 = rec["indicators"][1]
    assert (i2["name"], i2["target_raw"], i2["actual_raw"]) == ("国家免疫规划类疫苗接种", "108389人次", "108526人次")


def test_xls_blocks_keep_merges_number_formats_and_addresses(attachment2_xls):
    data, _, _ = attachment2_xls
    doc = read_xls(data)
    assert list(doc.check_spans()) == []
    # '年度预  算申请  （万元）' is merged over 7 rows in the Word table
    b = next(b for b in doc.blocks if b.text == "年度预  算申请  （万元）")
    assert (b.rowspan, b.colspan, b.address) == (7, 1, "附件2!A4")
    title = next(b for b in doc.blocks if "自评表" in b.text)
    assert title.kind == "paragraph" and title.address == "附件2!A2"
    # '1988.88'-style amounts were written as numbers with a 0.00 format: shown as typed
    money = [b.text for b in doc.blocks if b.kind == "cell" and re.fullmatch(r"\d+\.\d\d", b.text)]
    assert money and all(_cell(t)[1] == "0.00" for t in money)


def test_real_layout_xls_with_merged_header_cells_parses():
    """The Hubei 项目自评表 r053 (Sheet1, A-G, 31 merged ranges) saved as .xls by xlwt."""
    openpyxl = pytest.importorskip("openpyxl")
    src = need(SAMPLES_DEV / "r053.xlsx")
    ws = openpyxl.load_workbook(io.BytesIO(src), data_only=True).active
    merges = {(m.min_row, m.min_col): (m.max_row - m.min_row + 1, m.max_col - m.min_col + 1)
              for m in ws.merged_cells.ranges}
    assert len(merges) == 31
    covered = {(r, c) for (r0, c0), (rs, cs) in merges.items()
               for r in range(r0, r0 + rs) for c in range(c0, c0 + cs)} - set(merges)
    cells = []
    for row in ws.iter_rows():
        for cell in row:
            pos = (cell.row, cell.column)
            if pos in covered or (cell.value is None and pos not in merges):
                continue
            text = "" if cell.value is None else str(cell.value)
            rs, cs = merges.get(pos, (1, 1))
            cells.append((cell.row - 1, cell.column - 1, rs, cs, text))
    data = write_xls([("Sheet1", cells)])
    got, want = process_file(data, "r053.xls"), process_file(src, "r053.xlsx")
    assert len(want["indicators"]) == 13
    assert values(got["indicators"]) == values(want["indicators"])
    assert values(got["funds"]) == values(want["funds"])
    first = got["indicators"][0]
    assert (first["level1"], first["level2"], first["name"], first["target_raw"], first["score"]) \
        == ("产出指标", "数量指标", "一个存储备份器", "25TB", Decimal("10"))
    name_block = next(b for b in got["blocks"] if b["block_id"] == first["name_block"])
    assert name_block["address"] == "Sheet1!D13"  # the cell the .xlsx has it in


def test_damaged_xls_is_a_reader_error(attachment2_xls):
    data, _, _ = attachment2_xls
    with pytest.raises(ReaderError) as e:
        read_xls(data[: len(data) // 2])
    assert "re-save" in str(e.value) or "LibreOffice" in str(e.value)


def test_ole_kind_reads_the_directory_not_the_bytes():
    fake = bytearray(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024)
    name = "WordDocument\0".encode("utf-16-le")
    fake[300:300 + len(name)] = name  # not at an entry boundary: not a stream name
    assert legacy.ole_kind(bytes(fake)) == "unknown"
    fake[512:512 + len(name)] = name
    fake[576:578] = len(name).to_bytes(2, "little")
    assert legacy.ole_kind(bytes(fake)) == "word"
    with pytest.raises(ReaderError) as e:
        read_document(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2048, "x.doc")
    assert "neither a Word" in str(e.value)


def test_missing_libreoffice_says_what_to_install(monkeypatch, seed000_docx):
    monkeypatch.setattr(legacy, "soffice_path", lambda: None)
    word = bytearray(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024)
    name = "WordDocument\0".encode("utf-16-le")
    word[512:512 + len(name)] = name
    word[576:578] = len(name).to_bytes(2, "little")
    rec = process_file(bytes(word), "form.doc")
    doc = rec["documents"][0]
    assert (doc["status"], doc["format"]) == ("failed", "doc")
    assert "apt-get install libreoffice-writer-nogui" in doc["error"]
    assert "libreoffice.org" in doc["error"]


# ---------------------------------------------------------------------------------------
# .doc through LibreOffice
# ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def seed000_doc(seed000_docx):
    need_soffice()
    data, _ = seed000_docx
    doc_bytes, tool = legacy.convert(data, "docx", "doc")
    return doc_bytes, tool


def test_doc_of_seed000_gives_the_docx_values(seed000_doc, seed000_docx):
    doc_bytes, tool = seed000_doc
    assert sniff_format(doc_bytes) == "ole" and legacy.ole_kind(doc_bytes) == "word"
    rec = process_file(doc_bytes, "seed000.doc")
    _, want = seed000_docx
    d = rec["documents"][0]
    assert d["format"] == "doc" and d["status"] == want["documents"][0]["status"]
    assert d["warnings"][0] == f"converted from .doc by {tool}"
    assert re.fullmatch(r"LibreOffice \d+\.\d+", tool)
    sid = section_of(want, "附件2")
    got_sid = section_of(rec, "附件2")
    assert values([i for i in rec["indicators"] if i["section_id"] == got_sid]) == \
        values([i for i in want["indicators"] if i["section_id"] == sid])
    assert values([f for f in rec["funds"] if f["section_id"] == got_sid]) == \
        values([f for f in want["funds"] if f["section_id"] == sid])
    # and the whole document: every form and the report
    assert values(rec["indicators"]) == values(want["indicators"])
    assert values(rec["funds"]) == values(want["funds"])


def test_conversion_time_limit_kills_libreoffice(monkeypatch, seed000_doc):
    need_soffice()
    doc_bytes, _ = seed000_doc
    monkeypatch.setattr(legacy, "CONVERT_TIMEOUT", 0.05)
    with pytest.raises(ReaderError) as e:
        read_document(doc_bytes, "slow.doc")
    assert "did not finish" in str(e.value)


def test_corrupt_doc_is_a_reader_error(seed000_doc):
    doc_bytes, _ = seed000_doc
    with pytest.raises(ReaderError) as e:
        read_document(doc_bytes[:4096], "cut.doc")
    assert ".doc" in str(e.value)


def test_soffice_is_found_where_ci_installs_it():
    if shutil.which("apt-get") and not Path("/usr/bin/soffice").exists():
        pytest.skip("LibreOffice is not installed here (.ci/run installs it)")
    assert legacy.soffice_path() is not None


def test_xls_that_xlrd_cannot_read_goes_through_libreoffice(monkeypatch, attachment2_xls):
    need_soffice()
    from extractors.readers import xls as xls_mod
    data, docx_rec, sid = attachment2_xls

    def refuse(_data):
        raise ReaderError("corrupt or unreadable .xls (XLRDError: simulated)")
    monkeypatch.setattr(xls_mod, "read_xls", refuse)
    rec = process_file(data, "附件2.xls")
    doc = rec["documents"][0]
    assert doc["format"] == "xls" and doc["status"] == "ok", doc["error"]
    assert doc["warnings"][:2] == ["converted from .xls by " + legacy.soffice_version(legacy.soffice_path()),
                                   "xlrd could not read the .xls (corrupt or unreadable .xls "
                                   "(XLRDError: simulated))"]
    assert values(rec["indicators"]) == values([i for i in docx_rec["indicators"] if i["section_id"] == sid])


def test_rtf_named_doc_is_converted_and_read():
    """Word's 'Rich Text' save, often published as .doc: the Tianjin 绩效目标表 r031
    (11 indicators, 193.8 万元) as RTF gives the .docx's values."""
    need_soffice()
    src = need(SAMPLES_DEV / "r031.docx")
    rtf, tool = legacy.convert(src, "docx", "rtf")
    assert rtf.startswith(b"{\\rtf") and sniff_format(rtf) == "rtf"
    rec, want = process_file(rtf, "r031.doc"), process_file(src, "r031.docx")
    d = rec["documents"][0]
    assert d["format"] == "rtf" and d["warnings"][0].startswith("converted from .rtf by LibreOffice")
    assert len(want["indicators"]) == 11
    assert values(rec["indicators"]) == values(want["indicators"])
    assert values(rec["funds"]) == values(want["funds"])


def test_doc_of_a_second_layout_gives_the_docx_values():
    """The Tianjin 绩效目标表 r031 (vMerge 7 restart / 23 continue) as a Word 97 .doc.
    (Made through .odt: LibreOffice 7.4's direct .docx -> .doc export drops this table,
    a writer-side fault; the .doc it writes from .odt holds the table.)"""
    need_soffice()
    src = need(SAMPLES_DEV / "r031.docx")
    odt, _ = legacy.convert(src, "docx", "odt")
    doc_bytes, _ = legacy.convert(odt, "odt", "doc")
    assert legacy.ole_kind(doc_bytes) == "word"
    rec, want = process_file(doc_bytes, "r031.doc"), process_file(src, "r031.docx")
    assert rec["documents"][0]["format"] == "doc"
    assert len(want["indicators"]) == 11
    assert values(rec["indicators"]) == values(want["indicators"])
    assert values(rec["funds"]) == values(want["funds"])
