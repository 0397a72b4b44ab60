"""The incremental report (pipeline/report.py, report_state.py, report_digest.py): it opens
only the Parquet files whose bytes changed, renders only the pages whose rows changed, and
the folder it keeps equals a report rendered from scratch, file by file — after adding,
changing and deleting documents."""
from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline import report_digest as rd
from pipeline.report import update_reports
from pipeline.report_page import render_document
from pipeline.run import run
from tests.conftest import D000, D004, ROOT, SEED000, SEED004, read_records

DATASETS = ("documents", "sections", "blocks", "indicators", "funds", "goals", "facts", "mentions", "checks")
# seed 000, 附件2: '国家免疫规划类疫苗接种 … 108389人次' (indicator :2:i2's target)
CELL = "108389人次"


def doc_id(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def pages(folder: Path) -> dict[str, bytes]:
    """Every file of a reports folder but the state."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.name != ".state.json"}


def fresh(pq_dir: Path, tmp: Path) -> dict[str, bytes]:
    out = tmp / "fresh"
    shutil.rmtree(out, ignore_errors=True)
    r = update_reports(pq_dir, out)
    assert r.files_read == len(list(pq_dir.rglob("*.parquet")))
    return pages(out)


def file_bytes(pq_dir: Path) -> dict[str, bytes]:
    return {p.relative_to(pq_dir).as_posix(): p.read_bytes() for p in sorted(pq_dir.rglob("*.parquet"))}


def changed_files(before: dict[str, bytes], after: dict[str, bytes]) -> int:
    return sum(1 for k, v in after.items() if before.get(k) != v)


def test_add_change_delete_equal_a_fresh_report(tmp_path):
    raw, pq_dir, out = tmp_path / "raw", tmp_path / "pq", tmp_path / "reports"
    raw.mkdir()
    shutil.copy(SEED004, raw)
    run(raw, pq_dir, workers=1, timeout=0, progress=False)
    r = update_reports(pq_dir, out)
    assert (r.documents, r.rendered) == (1, [D004])
    assert pages(out) == fresh(pq_dir, tmp_path)

    # nothing changed: no file opened, no page rendered
    r = update_reports(pq_dir, out)
    assert (r.rendered, r.removed, r.files_read) == ([], [], 0)

    # add seed 000: only its page; only the files whose bytes changed are opened
    before = file_bytes(pq_dir)
    page004 = (out / f"{D004}.html").stat()
    shutil.copy(SEED000, raw)
    run(raw, pq_dir, workers=1, timeout=0, progress=False)
    r = update_reports(pq_dir, out)
    assert (r.documents, r.rendered, r.removed) == (2, [D000], [])
    assert r.files_read == changed_files(before, file_bytes(pq_dir))
    assert (out / f"{D004}.html").stat().st_ino == page004.st_ino     # not written again
    assert pages(out) == fresh(pq_dir, tmp_path)

    # add a copy of seed 004 with its own bytes: the same forms, so seed 004's page changes
    # too (documents.same_content_as now names it as the group's first)
    copy = SEED004.read_bytes() + "\n".encode()
    (raw / "zz_copy.txt").write_bytes(copy)
    run(raw, pq_dir, workers=1, timeout=0, progress=False)
    r = update_reports(pq_dir, out)
    assert sorted(r.rendered) == sorted([D004, doc_id(copy)])
    assert "the one counted" in (out / f"{D004}.html").read_text("utf-8")
    assert pages(out) == fresh(pq_dir, tmp_path)

    # change seed 000's file: a new doc_id, the old page removed
    text = SEED000.read_text("utf-8")
    assert CELL in text
    changed = text.replace(CELL, "108390人次", 1).encode("utf-8")
    (raw / SEED000.name).write_bytes(changed)
    run(raw, pq_dir, workers=1, timeout=0, progress=False)
    r = update_reports(pq_dir, out)
    assert (r.rendered, r.removed) == ([doc_id(changed)], [D000])
    assert "108390人次" in (out / f"{doc_id(changed)}.html").read_text("utf-8")
    assert pages(out) == fresh(pq_dir, tmp_path)

    # delete the copy: seed 004 is alone again
    (raw / "zz_copy.txt").unlink()
    run(raw, pq_dir, workers=1, timeout=0, progress=False)
    r = update_reports(pq_dir, out)
    assert (r.rendered, r.removed) == ([D004], [doc_id(copy)])
    assert "the one counted" not in (out / f"{D004}.html").read_text("utf-8")
    assert pages(out) == fresh(pq_dir, tmp_path)
    index = (out / "index.html").read_text("utf-8")
    assert f'href="{doc_id(copy)}.html"' not in index and f'href="{D004}.html"' in index


def _rewrite(path: Path, change) -> None:
    t = pq.ParquetFile(path).read()
    t = change(t)
    pq.write_table(t, path)


def test_a_row_changed_in_place_renders_that_page_only(parquet_dir, tmp_path):
    """A finding's message edited inside the checks file (same doc_id, same file name):
    only that document's page is rendered, and it shows the new message."""
    pq_dir, out = tmp_path / "pq", tmp_path / "reports"
    shutil.copytree(parquet_dir, pq_dir)
    update_reports(pq_dir, out)
    [checks] = list((pq_dir / "checks").rglob("*.parquet"))
    msgs = pq.ParquetFile(checks).read().column("message").to_pylist()
    ids = pq.ParquetFile(checks).read().column("doc_id").to_pylist()
    i = ids.index(D000)
    assert "2385.39" in msgs[i]

    sev = pq.ParquetFile(checks).read().column("severity").to_pylist()
    other = "info" if sev[i] != "info" else "warning"

    def edit(t):      # the message, and the severity the index counts
        m, v = msgs.copy(), sev.copy()
        m[i], v[i] = m[i].replace("2385.39", "2385.40"), other
        t = t.set_column(t.schema.get_field_index("message"), t.schema.field("message"), pa.array(m))
        return t.set_column(t.schema.get_field_index("severity"), t.schema.field("severity"), pa.array(v))
    index = (out / "index.html").read_text("utf-8")
    _rewrite(checks, edit)
    r = update_reports(pq_dir, out)
    # opened: the checks file (its bytes changed), then to render the page the files
    # holding the document's other rows
    holding = [p for p in pq_dir.rglob("*.parquet")
               if D000 in pq.ParquetFile(p).read(columns=["doc_id"]).column("doc_id").to_pylist()]
    assert checks in holding
    assert (r.rendered, r.files_read) == ([D000], len(holding))
    assert "2385.40" in (out / f"{D000}.html").read_text("utf-8")
    assert (out / "index.html").read_text("utf-8") != index
    assert pages(out) == fresh(pq_dir, tmp_path)


def test_refused_a_file_rewritten_within_the_clock_tick_is_read(parquet_dir, tmp_path):
    """A file rewritten in place right after the report read it, with the same size, inode
    and (coarse clock) mtime, keeps its signature: its bytes are checked on the next run."""
    import os
    pq_dir, out = tmp_path / "pq", tmp_path / "reports"
    shutil.copytree(parquet_dir, pq_dir)
    [checks] = list((pq_dir / "checks").rglob("*.parquet"))
    t = pq.ParquetFile(checks).read()
    pq.write_table(t, checks)          # the same rows, written as the edit below writes them
    update_reports(pq_dir, out)
    st = checks.stat()
    msgs = t.column("message").to_pylist()
    i = t.column("doc_id").to_pylist().index(D000)
    for new in [f"2385.{k:02d}" for k in range(40, 100)]:   # one of the same compressed size
        m = msgs.copy()
        m[i] = m[i].replace("2385.39", new)
        pq.write_table(t.set_column(t.schema.get_field_index("message"), t.schema.field("message"), pa.array(m)),
                       checks)
        if checks.stat().st_size == st.st_size:
            break
    os.utime(checks, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert [checks.stat().st_size, checks.stat().st_mtime_ns, checks.stat().st_ino] == \
        [st.st_size, st.st_mtime_ns, st.st_ino]
    r = update_reports(pq_dir, out)
    assert r.rendered == [D000] and new in (out / f"{D000}.html").read_text("utf-8")
    assert pages(out) == fresh(pq_dir, tmp_path)


def test_rows_moved_to_another_file_render_nothing(parquet_dir, tmp_path):
    """The extract stage may cut a dataset into other files (content-defined chunks): the
    blocks file split in two, seed 000's blocks in the second, changes no page."""
    pq_dir, out = tmp_path / "pq", tmp_path / "reports"
    shutil.copytree(parquet_dir, pq_dir)
    update_reports(pq_dir, out)
    [blocks] = list((pq_dir / "blocks").rglob("*.parquet"))
    t = pq.ParquetFile(blocks).read()
    ids = t.column("doc_id").to_pylist()
    assert ids.count(D000) and ids.count(D004)
    first = [i for i, d in enumerate(ids) if d != D000]
    second = [i for i, d in enumerate(ids) if d == D000]
    pq.write_table(t.take(pa.array(first)), blocks)
    pq.write_table(t.take(pa.array(second)), blocks.with_name("part-00001.parquet"))
    r = update_reports(pq_dir, out)
    assert (r.rendered, r.removed, r.files_read) == ([], [], 2)
    assert pages(out) == fresh(pq_dir, tmp_path)


def test_refused_an_unusable_state_or_an_edited_page_is_not_trusted(parquet_dir, tmp_path):
    out = tmp_path / "reports"
    update_reports(parquet_dir, out)
    want = pages(out)
    state = out / ".state.json"
    # a page edited or deleted by hand is rendered again; a stray page is removed
    (out / f"{D004}.html").write_text("<p>edited</p>", "utf-8")
    (out / f"{D000}.html").unlink()
    (out / "0123456789abcdef.html").write_text("<p>stale</p>", "utf-8")
    # an index edited by hand: none of its rows is taken again
    index = (out / "index.html").read_text("utf-8")
    assert index.count(f'<tr><td><a href="{D004}.html">') == 1
    (out / "index.html").write_text(index.replace("004_4aa0f758ca959e42.txt", "edited.txt"), "utf-8")
    r = update_reports(parquet_dir, out)
    assert sorted(r.rendered) == sorted([D000, D004]) and r.removed == ["0123456789abcdef"]
    assert pages(out) == want
    # a damaged state (not JSON; a byte changed under its checksum), or one of another
    # version: everything read and rendered again
    check, body = state.read_bytes().split(b"\n", 1)
    old_version = json.dumps(dict(json.loads(body), version=0)).encode()
    damaged = body.replace(f'"{D004}"'.encode(), f'"{D000}"'.encode(), 1)
    assert damaged != body
    for bad in (b"{not json", check + b"\n" + damaged,
                hashlib.blake2b(old_version, digest_size=16).hexdigest().encode() + b"\n" + old_version):
        state.write_bytes(bad)
        r = update_reports(parquet_dir, out)
        assert sorted(r.rendered) == sorted([D000, D004])
        assert r.files_read == len(list(parquet_dir.rglob("*.parquet")))
        assert pages(out) == want


def test_unchanged_folder_does_not_import_pyarrow(parquet_dir, tmp_path):
    """Start-up of a report with nothing to do: files listed and stat'ed, nothing opened,
    neither pyarrow nor the page code imported."""
    out = tmp_path / "reports"
    update_reports(parquet_dir, out)
    code = ("import sys; from pipeline.report import update_reports; "
            f"r = update_reports({str(parquet_dir)!r}, {str(out)!r}); "
            "print(r.rendered, r.files_read, 'pyarrow' in sys.modules, 'pipeline.report_page' in sys.modules)")
    res = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert res.stdout.split() == ["[]", "0", "False", "False"]


def _doc_rows(records: dict[str, list[dict]], did: str) -> dict[str, list[dict]]:
    return {n: [r for r in records[n] if r["doc_id"] == did] for n in DATASETS}


def test_pages_need_no_column_the_report_leaves_unread(parquet_dir, published):
    """Rendered from every column or from the columns report_digest reads, the seeds'
    pages are the same: the columns in UNSHOWN (a block's text, a mention's sentence …)
    are not shown."""
    read = {n: [] for n in DATASETS}
    for n in DATASETS:
        for f in sorted((parquet_dir / n).rglob("*.parquet")):
            read[n] += rd.read_file(f, n).to_pylist()
    assert "text" not in read["blocks"][0] and "sentence" not in read["mentions"][0]
    assert any(m["doc_id"] == D000 for m in read["mentions"])
    for did in (D000, D004):
        full, part = _doc_rows(published, did), _doc_rows(read, did)
        [doc] = full.pop("documents")
        part.pop("documents")
        assert render_document(doc, full) == render_document(doc, part)


def test_digest_is_of_the_values_not_of_their_place(parquet_dir):
    """The same rows at another place of a file (a document added before them) have the
    same digest, though Arrow's IPC bytes of a slice differ there; a changed value, a null
    for an empty string or an empty list for a null, has another."""
    [f] = list((parquet_dir / "documents").rglob("*.parquet"))
    t = rd.read_file(f, "documents")
    base = dict(zip(*(rd.digest_file(t, "documents")[k] for k in ("docs", "digests"))))
    other = t.slice(0, 1).set_column(0, t.schema.field("doc_id"), pa.array(["0123456789abcdef"]))
    moved = pa.concat_tables([other, t])
    got = dict(zip(*(rd.digest_file(moved, "documents")[k] for k in ("docs", "digests"))))
    assert {d: got[d] for d in base} == base
    i = t.column("doc_id").to_pylist().index(D004)

    def with_value(col: str, value):
        vals = t.column(col).to_pylist()
        vals[i] = value
        c = t.set_column(t.schema.get_field_index(col), t.schema.field(col), pa.array(vals, t.schema.field(col).type))
        return dict(zip(*(rd.digest_file(c, "documents")[k] for k in ("docs", "digests"))))
    assert t.column("error").to_pylist()[i] is None and t.column("warnings").to_pylist()[i] is not None
    for col, value in (("error", ""), ("warnings", None), ("warnings", [""]), ("n_bytes", 1),
                       ("text", t.column("text").to_pylist()[i] + " ")):
        d = with_value(col, value)
        assert d[D004] != base[D004], (col, value)
        assert d[D000] == base[D000]


def test_a_small_table_cache_reads_again_and_renders_the_same(parquet_dir, tmp_path, monkeypatch):
    """With room for one table only, the full run reads files again for later chunks of
    pages (one page a chunk here), and the pages are the same."""
    import pipeline.report as rep
    want = fresh(parquet_dir, tmp_path)
    monkeypatch.setattr(rep, "TABLE_CACHE_BYTES", 1)
    monkeypatch.setattr(rep, "RENDER_CHUNK", 1)
    r = update_reports(parquet_dir, tmp_path / "small")
    assert r.files_read > len(list(parquet_dir.rglob("*.parquet")))
    assert pages(tmp_path / "small") == want


def test_digest_of_a_document_whose_rows_are_not_together(parquet_dir):
    """Seed 000's and 004's blocks interleaved in one file: each document's digest (and row
    count) is that of its rows together in file order."""
    [f] = list((parquet_dir / "blocks").rglob("*.parquet"))
    t = rd.read_file(f, "blocks")
    ids = t.column("doc_id").to_pylist()
    a = [i for i, d in enumerate(ids) if d == D000]
    b = [i for i, d in enumerate(ids) if d == D004]
    assert a and b
    mixed = [i for pair in zip(a, b) for i in pair] + a[len(b):] + b[len(a):]
    want = rd.digest_file(t, "blocks")
    got = rd.digest_file(t.take(pa.array(mixed)), "blocks")
    assert dict(zip(got["docs"], zip(got["digests"], got["rows"]))) == \
        dict(zip(want["docs"], zip(want["digests"], want["rows"])))
    # refused: two of seed 000's blocks swapped is another digest
    swapped = a[:]
    swapped[0], swapped[1] = swapped[1], swapped[0]
    other = rd.digest_file(t.take(pa.array(swapped + b)), "blocks")
    assert dict(zip(other["docs"], other["digests"]))[D000] != dict(zip(want["docs"], want["digests"]))[D000]


def _edit_d000_finding(pq_dir: Path, old: str, text: str) -> None:
    [checks] = list((pq_dir / "checks").rglob("*.parquet"))
    t = pq.ParquetFile(checks).read()
    m = t.column("message").to_pylist()
    i = t.column("doc_id").to_pylist().index(D000)
    assert old in m[i]
    m[i] = m[i].replace(old, text)
    pq.write_table(t.set_column(t.schema.get_field_index("message"), t.schema.field("message"), pa.array(m)), checks)


def test_an_unchanged_file_is_read_only_in_the_row_groups_of_the_pages(parquet_dir, tmp_path, monkeypatch):
    """Seed 000's finding edited: its page needs its blocks from the unchanged blocks file
    (row groups of 100 rows here), and only the row groups holding them are read; where
    the state's row positions do not hold, the whole file is read (refused)."""
    pq_dir, out = tmp_path / "pq", tmp_path / "reports"
    shutil.copytree(parquet_dir, pq_dir)
    [blocks] = list((pq_dir / "blocks").rglob("*.parquet"))
    t = pq.ParquetFile(blocks).read()
    pq.write_table(t, blocks, row_group_size=100)
    assert pq.ParquetFile(blocks).metadata.num_row_groups > 2
    update_reports(pq_dir, out)
    got = []
    real = rd.read_rows
    monkeypatch.setattr(rd, "read_rows", lambda p, ds, spans: got.append((ds, *real(p, ds, spans))) or got[-1][1:])
    _edit_d000_finding(pq_dir, "2385.39", "2385.40")
    r = update_reports(pq_dir, out)
    assert r.rendered == [D000]
    [(part, whole)] = [g[1:] for g in got if g[0] == "blocks"]
    n000 = t.column("doc_id").to_pylist().count(D000)
    assert not whole and n000 <= part.num_rows < t.num_rows
    assert pages(out) == fresh(pq_dir, tmp_path)
    # refused: the state's start of seed 000's blocks moved past them
    state = out / ".state.json"
    body = json.loads(state.read_bytes().split(b"\n", 1)[1])
    e = body["files"][blocks.relative_to(pq_dir).as_posix()]
    k = e["docs"].index(D000)
    e["starts"][k] = t.num_rows - 1
    raw = json.dumps(body).encode()
    state.write_bytes(hashlib.blake2b(raw, digest_size=16).hexdigest().encode() + b"\n" + raw)
    _edit_d000_finding(pq_dir, "2385.40", "2385.41")
    r = update_reports(pq_dir, out)
    assert r.rendered == [D000] and "2385.41" in (out / f"{D000}.html").read_text("utf-8")
    assert pages(out) == fresh(pq_dir, tmp_path)
