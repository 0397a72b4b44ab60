"""A hostile batch (issue 11): 80+ malformed, malicious or odd inputs generated here, mixed
with the good seed files and samples, run as ONE batch.  Every input path gets its own
documents row, nothing crashes or hangs, the good documents' rows are the same as in a
clean run, and a rerun is byte-identical."""
from __future__ import annotations

import io
import os
import random
import shutil
import time
import zipfile
from pathlib import Path

import duckdb
import pytest

from pipeline.run import run
from pipeline.schema import DATASETS

from .conftest import SAMPLES, SEED000, SEED004

SEED004_TEXT = SEED004.read_text("utf-8")


def pdf_bytes(objects: list[bytes], trailer_extra: bytes = b"") -> bytes:
    """A PDF with correct xref offsets from its object bodies (object 1 is the catalog)."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, trailer_extra, xref))
    return out.getvalue()


def scanned_pdf() -> bytes:
    """One page holding only an image (no text layer), as a scanner makes."""
    img = bytes(random.Random(1).randrange(256) for _ in range(64 * 64))
    return pdf_bytes([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /XObject /Subtype /Image /Width 64 /Height 64 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length %d >>\nstream\n" % len(img) + img + b"\nendstream",
        b"<< /Length 33 >>\nstream\nq 500 0 0 700 50 70 cm /Im0 Do Q\nendstream",
    ])


def encrypted_pdf() -> bytes:
    return pdf_bytes([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [] /Count 0 >>",
        b"<< /Filter /Standard /V 2 /R 3 /Length 128 /P -44 /O <%s> /U <%s> >>" % (b"11" * 32, b"22" * 32),
    ], trailer_extra=b"/Encrypt 3 0 R /ID [<%s><%s>] " % (b"ab" * 16, b"ab" * 16))


def docx_bytes(paragraphs: list[str]) -> bytes:
    import docx
    d = docx.Document()
    for p in paragraphs:
        d.add_paragraph(p)
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text = "项目名称", "测试项目"
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def xlsx_bytes() -> bytes:
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["一级指标", "二级指标", "三级指标", "年度指标值"])
    ws.append(["产出指标", "数量指标", "接种人次", "≥95%"])
    ws["E2"] = "=A1*2"  # a formula without a cached value
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def zip_with(members: dict[str, bytes], big: tuple[str, int] | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
        if big:
            with z.open(big[0], "w") as f:
                chunk = b" " * (1 << 20)
                for _ in range(big[1]):
                    f.write(chunk)
    return buf.getvalue()


CONTENT_TYPES = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
                 b'package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/'
                 b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                     for i in range(1, 10))
          + b']><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            b'<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>')


def make_hostile(raw: Path) -> tuple[list[str], list[str]]:
    """Write the batch; return (every input path as it will be reported, the good ones)."""
    rnd = random.Random(20261201)
    paths: list[str] = []

    def put(rel: str, data: bytes) -> None:
        p = raw / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
        paths.append(rel)

    good = []
    for src, rel in [(SEED000, "good/" + SEED000.name), (SEED004, "good/" + SEED004.name)] + \
            [(SAMPLES / n, "good/" + n) for n in ("seed000.docx", "seed000.html", "seed000.pdf",
                                                  "seed004.html", "seed004.pdf", "seed004.xlsx")]:
        put(rel, src.read_bytes())
        good.append(rel)

    sample_docx, sample_xlsx = (SAMPLES / "seed000.docx").read_bytes(), (SAMPLES / "seed004.xlsx").read_bytes()
    gen_docx, gen_xlsx = docx_bytes(["项目支出绩效自评表", "年度总体目标"]), xlsx_bytes()
    for name, data in [("sample", sample_docx), ("gen", gen_docx)]:
        for frac in (0.1, 0.5, 0.9, 0.99):
            put(f"office/truncated-{name}-{int(frac * 100)}.docx", data[: int(len(data) * frac)])
    for name, data in [("sample", sample_xlsx), ("gen", gen_xlsx)]:
        for frac in (0.1, 0.5, 0.9):
            put(f"office/truncated-{name}-{int(frac * 100)}.xlsx", data[: int(len(data) * frac)])
    put("office/formula-no-cache.xlsx", gen_xlsx)
    flipped = bytearray(sample_docx)
    for i in rnd.sample(range(200, len(flipped)), 40):
        flipped[i] ^= 0xFF
    put("office/bitflipped.docx", bytes(flipped))
    put("office/not-a-docx.docx", zip_with({"hello.txt": b"hi"}))
    put("office/garbage-document-xml.docx", zip_with({"[Content_Types].xml": CONTENT_TYPES,
                                                      "word/document.xml": b"<w:document><unclosed"}))
    put("office/billion-laughs.docx", zip_with({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": LAUGHS}))
    put("office/billion-laughs.html", LAUGHS.replace(b"w:document", b"html"))
    put("office/zip-bomb.docx", zip_with({"[Content_Types].xml": CONTENT_TYPES}, big=("word/document.xml", 300)))
    put("office/zip-bomb.xlsx", zip_with({"xl/workbook.xml": b"<workbook/>"}, big=("xl/sharedStrings.xml", 300)))
    put("office/legacy.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(rnd.randrange(256) for _ in range(4000)))
    put("office/encrypted.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500
        + "EncryptedPackage".encode("utf-16-le") + b"\0" * 500)

    put("pdf/scanned.pdf", scanned_pdf())
    put("pdf/encrypted.pdf", encrypted_pdf())
    put("pdf/truncated.pdf", (SAMPLES / "seed004.pdf").read_bytes()[:5000])
    put("pdf/header-only.pdf", b"%PDF-1.7\n")
    put("pdf/garbage-after-header.pdf", b"%PDF-1.4\n" + bytes(rnd.randrange(256) for _ in range(3000)))

    put("text/gb18030.txt", SEED004_TEXT.encode("gb18030"))
    put("text/utf16-le-bom.txt", SEED004_TEXT.encode("utf-16"))
    put("text/utf16-be-bom.txt", b"\xfe\xff" + SEED004_TEXT.encode("utf-16-be"))
    put("text/bom-then-gb18030.txt", b"\xef\xbb\xbf" + SEED004_TEXT.encode("gb18030"))
    put("text/nul-inside.txt", SEED004_TEXT.encode("utf-8").replace("部门名称".encode(), b"\0\0\0"))
    put("text/all-nul.txt", b"\0" * 4096)
    put("text/crlf.txt", SEED004_TEXT.replace("\n", "\r\n").encode("utf-8"))
    put("text/too-big-money.txt", SEED004_TEXT.replace("资金总额:25,656.78", "资金总额:9999999999999999999.99").encode())
    put("text/one-line.txt", ("项目名称" * 20000).encode())
    put("text/html-script.html", b"<html><head><meta charset='iso-8859-1'></head><body><script>alert(1)</script>"
        + "<table><tr><td>项目名称</td><td><a href='javascript:alert(1)'>x</a></td></tr></table>".encode()
        + b"</body></html>")
    put("text/unclosed.html", b"<html><body><table><tr><td>" * 2000)

    for ext in ("txt", "docx", "pdf", "xlsx"):
        put(f"empty/empty.{ext}", b"")
    put("copies/copy-of-004.txt", SEED004.read_bytes())
    put("copies/another-copy-of-004.txt", SEED004.read_bytes())
    for i in range(24):
        magic = [b"", b"PK\x03\x04", b"%PDF-1.4\n", b"<html>", b"\xd0\xcf\x11\xe0", b"\xef\xbb\xbf"][i % 6]
        put(f"fuzz/random-{i:02d}.bin", magic + bytes(rnd.randrange(256) for _ in range(rnd.randrange(1, 3000))))

    # odd names: spaces, a newline, emoji, a leading dash, a long name, Latin-1 bytes
    for rel in ["names/with space.txt", "names/new\nline.txt", "names/emoji-📄.txt", "names/-dash.txt",
                "names/" + "长" * 80 + ".txt", "names/#%?*.txt"]:
        put(rel, ("test " + rel).encode())
    latin = os.fsencode(raw / "names") + b"/latin1-\xe9t\xe9.txt"
    with open(latin, "wb") as f:
        f.write(b"latin-1 name")
    paths.append("names/latin1-\\xe9t\\xe9.txt")

    (raw / "links").mkdir()
    os.symlink("loop-b", raw / "links" / "loop-a")
    os.symlink("loop-a", raw / "links" / "loop-b")
    os.symlink("self", raw / "links" / "self")
    os.symlink("does-not-exist.txt", raw / "links" / "dangling.txt")
    os.symlink("..", raw / "links" / "up")                   # a folder loop
    os.symlink("../good/" + SEED004.name, raw / "links" / "to-seed004.txt")  # a good link
    paths += ["links/loop-a", "links/loop-b", "links/self", "links/dangling.txt", "links/up",
              "links/to-seed004.txt"]
    os.mkfifo(raw / "links" / "fifo")
    paths.append("links/fifo")

    with open(raw / "huge.txt", "wb") as f:                  # sparse: instant, 64 MiB
        f.truncate(64 * 2**20)
    paths.append("huge.txt")
    (raw / ".hidden.txt").write_text("not an input", "utf-8")
    return sorted(paths, key=lambda r: r.encode("utf-8", "surrogateescape")), good


def rows(out: Path, sql: str):
    for name in DATASETS:
        sql = sql.replace("{" + name + "}", f"read_parquet('{out}/{name}/**/*.parquet', union_by_name=true)")
    return duckdb.sql(sql).fetchall()


def _files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    if not SAMPLES.exists():
        pytest.skip("../shared/samples not present (the good Office/PDF/HTML files of the batch)")
    base = tmp_path_factory.mktemp("hostile")
    raw = base / "raw"
    raw.mkdir()
    paths, good = make_hostile(raw)
    t0 = time.monotonic()
    summary = run(raw, base / "out", workers=2, timeout=30, progress=False, cache_dir=base / "cache",
                  memory_limit_mb=1024, max_file_mb=16)
    elapsed = time.monotonic() - t0
    return raw, base, paths, good, summary, elapsed


def test_every_input_path_has_its_own_row(hostile):
    raw, base, paths, _, summary, elapsed = hostile
    assert len(paths) >= 80
    got = rows(base / "out", "SELECT source_path, doc_id FROM {documents} ORDER BY source_path")
    assert sorted(p for p, _ in got) == sorted(paths)
    assert len({d for _, d in got}) == len(got)               # doc_id is the documents key
    assert summary["documents"] == len(paths)
    assert elapsed < 120                                      # no hang: limits of 30 s per file


def test_bad_entries_are_failed_rows_with_the_reason(hostile):
    _, base, _, _, _, _ = hostile
    st = dict((p, (s, e)) for p, s, e in rows(base / "out", "SELECT source_path, status, error FROM {documents}"))
    assert "loop" in st["links/loop-a"][1] and st["links/loop-a"][0] == "failed"
    assert "loop" in st["links/self"][1]
    assert st["links/dangling.txt"][1].startswith("broken symbolic link")
    assert "folder already read" in st["links/up"][1]
    assert "not a regular file" in st["links/fifo"][1]
    assert "over the size limit of 16 MiB" in st["huge.txt"][1] and "max_file_mb" in st["huge.txt"][1]
    assert st["links/to-seed004.txt"][0] == "ok"              # a link to a file is read
    for rel in ("office/zip-bomb.docx", "office/billion-laughs.docx", "pdf/encrypted.pdf", "pdf/scanned.pdf",
                "office/truncated-sample-50.docx", "text/all-nul.txt", "empty/empty.txt"):
        assert st[rel][0] == "failed" and st[rel][1], rel
    assert st["text/gb18030.txt"][0] == st["text/utf16-le-bom.txt"][0] == "ok"


def test_copies_and_names(hostile):
    _, base, _, _, _, _ = hostile
    docs = {p: r for p, *r in rows(base / "out", """SELECT source_path, doc_id, duplicate_of, status,
                                                    source_path_bytes FROM {documents}""")}
    first = docs["copies/another-copy-of-004.txt"]           # first of the three copies in path order
    assert first[1] is None
    for rel in ("copies/copy-of-004.txt", "good/" + SEED004.name, "links/to-seed004.txt"):
        assert docs[rel][1] == first[0] and docs[rel][0] != first[0]
    # a copy's row carries the first's file facts (kept for the run as the first's values,
    # keyed by its digest): seed 004's sha256, format, layout, size and status
    import hashlib
    facts = {p: r for p, *r in rows(base / "out", """SELECT source_path, sha256, format, layout, n_bytes,
                                                     status FROM {documents}""")}
    want = (hashlib.sha256(SEED004.read_bytes()).hexdigest(), "txt", facts["copies/another-copy-of-004.txt"][2],
            SEED004.stat().st_size, "ok")
    assert want[0].startswith("9d5c765ef9c400f7") and want[2]
    for rel in ("copies/another-copy-of-004.txt", "copies/copy-of-004.txt", "good/" + SEED004.name):
        assert tuple(facts[rel]) == want, rel
    # four empty files, four rows: the first in path order holds the records
    empties = [docs[f"empty/empty.{e}"] for e in ("docx", "pdf", "txt", "xlsx")]
    assert empties[0][1] is None and {e[1] for e in empties[1:]} == {empties[0][0]}
    assert docs["names/latin1-\\xe9t\\xe9.txt"][3] == b"names/latin1-\xe9t\xe9.txt"
    assert docs["names/new\nline.txt"][3] is None
    # the copies' records are not repeated
    n = rows(base / "out", "SELECT count(*) FROM {indicators} WHERE doc_id = ?".replace("?", f"'{first[0]}'"))
    assert n == [(24,)]
    assert rows(base / "out", "SELECT count(DISTINCT doc_id) FROM {indicators} "
                              "WHERE doc_id IN (SELECT doc_id FROM {documents} WHERE duplicate_of IS NOT NULL)") == [(0,)]


def test_a_value_too_big_for_its_column_is_null_and_flagged(hostile):
    _, base, _, _, _, _ = hostile
    (doc_id, status, error), = rows(base / "out", "SELECT doc_id, status, error FROM {documents} "
                                                  "WHERE source_path = 'text/too-big-money.txt'")
    assert status == "partial" and "9999999999999999999" in error and "decimal128(18, 2)" in error
    assert rows(base / "out", f"""SELECT amount_yuan, amount_raw FROM {{funds}} WHERE doc_id = '{doc_id}'
                                 AND item = '年度资金总额'""") == [(None, "9999999999999999999.99")]
    assert rows(base / "out", f"SELECT status FROM {{sections}} WHERE doc_id = '{doc_id}' AND ordinal = 1") == [("partial",)]


def test_good_documents_rows_equal_a_clean_run_and_rerun_is_byte_identical(hostile, tmp_path):
    raw, base, _, good, _, _ = hostile
    clean_raw = tmp_path / "clean"
    (clean_raw / "good").mkdir(parents=True)
    for rel in good:
        shutil.copy(raw / rel, clean_raw / rel)
    run(clean_raw, tmp_path / "clean_out", workers=1, timeout=0, progress=False)
    ids = [r[0] for r in rows(tmp_path / "clean_out", "SELECT doc_id FROM {documents}")]
    id_list = ", ".join(f"'{i}'" for i in ids)
    for name in DATASETS:
        # seed 004 has copies: its records are under the first copy in path order, which in
        # the hostile batch is another path (copies/another-copy-of-004.txt)
        cols = "* EXCLUDE (source_path, same_content_as)" if name == "documents" else "*"
        q = f"SELECT {cols} FROM {{{name}}} WHERE doc_id IN ({id_list}) ORDER BY ALL"
        a, b = rows(base / "out", q), rows(tmp_path / "clean_out", q)
        assert len(a) == len(b) and a == b, name
    # the rerun (from the cache) writes the same bytes
    run(raw, base / "again", workers=2, timeout=30, progress=False, cache_dir=base / "cache",
        memory_limit_mb=1024, max_file_mb=16)
    fa, fb = _files(base / "out"), _files(base / "again")
    assert list(fa) == list(fb) and [k for k in fa if fa[k] != fb[k]] == []
