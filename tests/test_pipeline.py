"""End to end: folder in, Parquet datasets out; determinism; bad input never stops a batch."""
from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from pipeline.run import run
from pipeline.schema import DATASETS

from .conftest import D000, D004, RAW, ROOT, SEED000, SEED004

DATASET_NAMES = list(DATASETS)


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """The two seeds plus one of each kind of bad input, in subfolders."""
    raw = tmp_path_factory.mktemp("raw")
    shutil.copy(SEED000, raw / SEED000.name)
    (raw / "sub").mkdir()
    shutil.copy(SEED004, raw / "sub" / SEED004.name)
    (raw / "bad").mkdir()
    (raw / "bad" / "empty.txt").write_bytes(b"")
    (raw / "bad" / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (raw / "bad" / "latin.txt").write_bytes(b"\x80\xff\x81\xfe\xfd\x82" * 100 + b"abc")
    (raw / "bad" / "noform.txt").write_text("今天天气很好。\n我们去公园散步。\n", "utf-8")
    # a file of no supported format is reported, not skipped
    (raw / "bad" / "scan.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (raw / ".hidden.txt").write_text("ignored", "utf-8")
    out = tmp_path_factory.mktemp("parquet")
    summary = run(raw, out, workers=2, timeout=120, progress=False,
                  metrics_path=out.parent / "metrics.json")
    return raw, out, summary


def q(out: Path, sql: str):
    for name in DATASET_NAMES:
        sql = sql.replace(f"{{{name}}}", f"read_parquet('{out}/{name}/**/*.parquet')")
    return duckdb.sql(sql).fetchall()


def test_every_dataset_readable_with_duckdb(batch):
    _, out, _ = batch
    for name in DATASET_NAMES:
        assert list((out / name).rglob("*.parquet"))
        q(out, f"SELECT count(*) FROM {{{name}}}")
    # hive partitions by fiscal year and province where researchers filter (the seed's unit
    # 岳阳市岳阳楼区卫生健康局 is in 湖南省; percent-encoded as DuckDB's own COPY writes it);
    # the columns are also in the files
    assert [p.relative_to(out).as_posix() for p in sorted((out / "indicators").rglob("*.parquet"))] == \
        ["indicators/fiscal_year=2023/province=%E6%B9%96%E5%8D%97%E7%9C%81/part-00000.parquet"]
    assert q(out, "SELECT DISTINCT fiscal_year, province FROM {indicators}") == [(2023, "湖南省")]
    assert q(out, "SELECT province, region_name, region_from, count(*) FROM {sections} GROUP BY ALL ORDER BY 4 DESC, 2") \
        == [("湖南省", "岳阳楼区", "unit_name", 6), ("湖南省", "望城区", "unit_name", 1), (None, None, None, 1)]
    dp = json.loads((out / "datapackage.json").read_text("utf-8"))
    assert [r["name"] for r in dp["resources"]] == DATASET_NAMES
    fields = {f["name"]: f for f in dp["resources"][3]["schema"]["fields"]}
    assert "percent points" in fields["target_value"]["description"]


def test_documents_statuses_and_errors(batch):
    _, out, summary = batch
    rows = dict((r[0], r[1:]) for r in q(out, "SELECT source_path, status, error, format, layout FROM {documents}"))
    assert rows[SEED000.name][:1] == ("ok",) and rows["sub/" + SEED004.name][0] == "ok"
    assert rows["bad/empty.txt"][0] == "failed" and "empty file" in rows["bad/empty.txt"][1]
    assert rows["bad/binary.txt"][0] == "failed" and "binary" in rows["bad/binary.txt"][1]
    assert rows["bad/latin.txt"][0] == "failed" and "encoding" in rows["bad/latin.txt"][1]
    assert rows["bad/noform.txt"][0] == "partial" and "no recognisable form" in rows["bad/noform.txt"][1]
    assert rows["bad/scan.png"][0] == "failed" and "binary" in rows["bad/scan.png"][1]
    assert ".hidden.txt" not in rows
    assert summary["documents"] == 7
    assert summary["documents_by_status"] == {"failed": 4, "ok": 2, "partial": 1}
    assert sorted(summary["failed_files"]) == ["bad/binary.txt", "bad/empty.txt", "bad/latin.txt", "bad/scan.png"]


def test_ids_and_sections(batch):
    _, out, _ = batch
    data = SEED000.read_bytes()
    doc_id = hashlib.sha256(data).hexdigest()[:16]
    secs = q(out, f"SELECT section_id, form_type FROM {{sections}} WHERE doc_id = '{doc_id}' ORDER BY ordinal")
    assert [s[0] for s in secs] == [f"{doc_id}:{n}" for n in range(1, 7)]
    assert q(out, f"SELECT text FROM {{documents}} WHERE doc_id = '{doc_id}'")[0][0] == data.decode("utf-8")
    bad = q(out, """SELECT count(*) FROM {blocks} b JOIN {documents} d USING (doc_id)
                    WHERE substring(d.text, b.char_start + 1, b.char_end - b.char_start) <> b.text""")
    assert bad == [(0,)]
    n_blocks = q(out, "SELECT count(*) FROM {blocks}")[0][0]
    assert n_blocks > 1300
    assert q(out, "SELECT count(*) FROM {indicators}")[0][0] == 93


def test_money_is_decimal_in_parquet(batch):
    _, out, _ = batch
    import pyarrow.parquet as pq
    schema = pq.read_schema(next((out / "funds").rglob("*.parquet")))
    assert str(schema.field("amount_yuan").type) == "decimal128(18, 2)"
    assert schema.field("amount_yuan").metadata[b"description"].startswith("Amount in 元".encode())
    assert q(out, "SELECT sum(amount_yuan) FROM {funds} WHERE item = '税费缴纳'")[0][0] == __import__("decimal").Decimal("6232700.00")


def test_output_is_byte_identical_across_runs(batch, tmp_path):
    raw, out, _ = batch
    out2 = tmp_path / "again"
    run(raw, out2, workers=1, timeout=0, progress=False)
    files = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(out2) for p in out2.rglob("*") if p.is_file())
    for f in files:
        assert (out / f).read_bytes() == (out2 / f).read_bytes(), f
    assert (out / "datapackage.json").read_bytes() == (out2 / "datapackage.json").read_bytes()


def test_hanging_file_is_stopped_and_reported(tmp_path, monkeypatch):
    import pipeline.run as prun

    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SEED004, raw / "ok.txt")
    (raw / "slow.txt").write_text("slow", "utf-8")
    real = prun.process_path

    def slow(path, rel, sha, cache):
        if rel == "slow.txt":
            import time
            time.sleep(60)
        return real(path, rel, sha, cache)

    monkeypatch.setattr(prun, "process_path", slow)
    prun.run(raw, tmp_path / "pq", workers=2, timeout=2, progress=False)
    docs = dict(q(tmp_path / "pq", "SELECT source_path, status || ': ' || coalesce(error, '') FROM {documents}"))
    assert docs["ok.txt"] == "ok: "
    assert docs["slow.txt"].startswith("failed: parsing took longer than 2 s")


def test_cli_run_prints_summary(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SEED004, raw / SEED004.name)
    (raw / "empty.txt").write_bytes(b"")
    res = subprocess.run([sys.executable, "-m", "pipeline", "run", str(raw), "--out", str(tmp_path / "pq"),
                          "--workers", "1", "--quiet", "--strict"], capture_output=True, text=True, cwd=ROOT)
    assert res.returncode == 1
    assert "2 documents (1 failed, 1 ok)" in res.stdout
    assert "24 indicators" in res.stdout and "empty.txt" in res.stdout


def test_truncated_docx_gets_its_own_message():
    from extractors.model import ReaderError
    from extractors.readers import read_document
    from .conftest import SAMPLES
    path = SAMPLES / "seed000.docx"
    if not path.exists():
        pytest.skip("samples not present")
    data = path.read_bytes()
    with pytest.raises(ReaderError, match="corrupt or truncated .docx"):
        read_document(data[: len(data) // 2], "report.docx")


def test_report_headings_and_document_columns_as_published(batch):
    """Values a user sees in the published datasets, from seed 000 (附件4 is its report)."""
    _, out, _ = batch
    heads = q(out, """SELECT text, heading_level FROM {blocks}
                      WHERE kind = 'heading' AND section_id LIKE '%:6' ORDER BY char_start""")
    assert heads[:6] == [("1、 单位基本情况", 1), ("（一）职能职责", 2), ("（二）机构设置", 2),
                         ("二、 一般公共预算支出情况", 1), ("（一）基本支出情况", 2), ("（二）项目支出情况", 2)]
    assert q(out, """SELECT heading_path FROM {mentions} WHERE value_raw = '863.17万元'""") == \
        [(["二、 一般公共预算支出情况", "（一）基本支出情况"],)]
    docs = dict(q(out, "SELECT source_path, encoding FROM {documents} WHERE status = 'ok'"))
    assert docs == {SEED000.name: "utf-8", "sub/" + SEED004.name: "utf-8"}
    assert q(out, "SELECT DISTINCT classified_by FROM {sections} WHERE form_type <> 'unknown'") == [("title",)]


def test_gb18030_file_is_read_and_says_so():
    from pipeline.process import process_file
    text = SEED004.read_text("utf-8")
    rec = process_file(text.encode("gb18030"), "gbk.txt")
    doc = rec["documents"][0]
    assert (doc["status"], doc["encoding"], doc["text"]) == ("ok", "gb18030", text)
    assert len(rec["indicators"]) == 24


def test_missing_or_empty_folder_is_refused_and_earlier_output_kept(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SEED004, raw / SEED004.name)
    out = tmp_path / "pq"
    run(raw, out, workers=1, timeout=0, progress=False)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    cmd = [sys.executable, "-m", "pipeline", "run", "--out", str(out), "--workers", "1", "--quiet"]
    res = subprocess.run(cmd[:4] + [str(tmp_path / "raww")] + cmd[4:], capture_output=True, text=True, cwd=ROOT)
    assert res.returncode == 2 and res.stdout == ""
    assert res.stderr.strip().splitlines() == [f"error: input folder {tmp_path / 'raww'} does not exist; nothing was written"]
    (tmp_path / "empty").mkdir()
    res = subprocess.run(cmd[:4] + [str(tmp_path / "empty")] + cmd[4:], capture_output=True, text=True, cwd=ROOT)
    assert res.returncode == 2 and "--allow-empty" in res.stderr
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]     # no temporary folder left
    res = subprocess.run(cmd[:4] + [str(tmp_path / "empty")] + cmd[4:] + ["--allow-empty"], capture_output=True,
                         text=True, cwd=ROOT)
    assert res.returncode == 0 and "0 documents" in res.stdout
    assert q(out, "SELECT count(*) FROM {documents}") == [(0,)] and q(out, "SELECT count(*) FROM {indicators}") == [(0,)]


def test_output_is_swapped_in_only_when_complete(tmp_path, monkeypatch):
    """A run that fails while writing leaves the earlier datasets as they were."""
    import pipeline.run as prun
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SEED004, raw / SEED004.name)
    out = tmp_path / "pq"
    run(raw, out, workers=1, timeout=0, progress=False)
    (out / "notes.md").write_text("mine", "utf-8")              # not a dataset: carried over
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def broken(self):
        raise OSError("disk full")
    monkeypatch.setattr(prun.Merger, "finish", broken)
    shutil.copy(SEED000, raw / SEED000.name)
    with pytest.raises(OSError, match="disk full"):
        run(raw, out, workers=1, timeout=0, progress=False)
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    monkeypatch.undo()
    run(raw, out, workers=1, timeout=0, progress=False)
    assert (out / "notes.md").read_text("utf-8") == "mine"
    assert q(out, "SELECT count(*) FROM {documents}") == [(2,)]


@pytest.mark.parametrize("workers", [1, 3])
def test_output_does_not_depend_on_the_worker_count_or_batch_sizes(batch, tmp_path, workers):
    """Small files (writer_options) exercise the content-defined files: the rows read back
    are those of the default run, the bytes do not depend on workers, files end at
    document boundaries."""
    raw, out, _ = batch
    opts = {"row_group_rows": 50, "file_weight": 1024}
    a = tmp_path / f"w{workers}"
    run(raw, a, workers=workers, timeout=60, progress=False, writer_options=opts)
    b = tmp_path / "inline"
    run(raw, b, workers=1, timeout=0, progress=False, writer_options=opts)
    fa = {p.relative_to(a): p.read_bytes() for p in a.rglob("*") if p.is_file()}
    fb = {p.relative_to(b): p.read_bytes() for p in b.rglob("*") if p.is_file()}
    assert fa == fb
    import pyarrow.parquet as pq
    blocks = sorted(p for p in fa if p.parts[0] == "blocks")
    # a document's blocks (~210 bytes a row) weigh more than a file's 1 KiB: one file per
    # document, numbered in input order (seed 000, bad/noform.txt's paragraphs, sub/ seed 004)
    assert [p.name for p in blocks] == [f"part-{i:05d}.parquet" for i in range(3)]
    docs = [set(pq.read_table(a / p).column("doc_id").to_pylist()) for p in blocks]
    assert docs[0] == {D000} and len(docs[1]) == 1 and docs[2] == {D004}
    n = q(out, "SELECT count(*) FROM {blocks}")[0][0]
    assert sum(pq.ParquetFile(a / p).metadata.num_rows for p in blocks) == n > 100
    for name in DATASET_NAMES:
        assert q(a, f"SELECT * FROM {{{name}}} ORDER BY ALL") == q(out, f"SELECT * FROM {{{name}}} ORDER BY ALL"), name


def test_a_killed_runs_temporary_folder_is_removed_by_the_next_run(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SEED004, raw / SEED004.name)
    stale = tmp_path / ".pq.tmp-999999999"          # no such process
    (stale / "documents").mkdir(parents=True)
    run(raw, tmp_path / "pq", workers=1, timeout=0, progress=False)
    assert not stale.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["pq", "raw"]


def test_the_narrative_pipeline_is_loaded_once_before_forking_only_for_a_batch(tmp_path, monkeypatch):
    """More documents than PRELOAD_PER_WORKER per worker: spaCy + jieba are loaded in the
    parent (inherited by every worker); one document: left to the worker that needs it."""
    import pipeline.run as prun

    calls = []
    monkeypatch.setattr(prun, "preload_shared", lambda: calls.append(1))
    raw = tmp_path / "raw"
    raw.mkdir()
    seed = SEED004.read_bytes()
    for i in range(2 * prun.PRELOAD_PER_WORKER + 1):
        (raw / f"d{i}.txt").write_bytes(seed + f"\ncopy {i}\n".encode())
    s = prun.run(raw, tmp_path / "pq", workers=2, timeout=60, progress=False)
    assert calls == [1] and s["documents_by_status"] == {"ok": 5}
    one = tmp_path / "one"
    one.mkdir()
    shutil.copy(SEED004, one / SEED004.name)
    prun.run(one, tmp_path / "pq1", workers=2, timeout=60, progress=False)
    assert calls == [1]


def test_a_batch_run_freezes_the_preloaded_models_only_while_its_pool_runs(tmp_path, monkeypatch):
    """A batch large enough to preload spaCy + jieba before forking keeps them out of the
    parent's collections while the workers run (their passes would un-share the pages the
    zygote and the workers map), and gives them back to the collector afterwards: the
    caller's process is left as it was."""
    import gc

    from pipeline import pool as pool_mod

    from .conftest import corpus_files

    files = corpus_files()[:6]
    if len(files) < 6:
        pytest.skip("../shared/corpus/dev not present")
    raw = tmp_path / "raw"
    raw.mkdir()
    for f in files:
        shutil.copy(f, raw / f.name)
    seen = []
    orig_enter = pool_mod.Pool.__enter__

    def enter(self):
        seen.append(gc.get_freeze_count())
        return orig_enter(self)

    monkeypatch.setattr(pool_mod.Pool, "__enter__", enter)
    before = gc.get_freeze_count()
    s = run(raw, tmp_path / "out", workers=2, timeout=300, progress=False)
    assert s["documents"] == 6
    assert seen and seen[0] > before + 100_000     # jieba's dictionary alone is ~500,000 objects
    assert gc.get_freeze_count() == before
