"""The streamed writer (pipeline.writer, chunks.py) keeps its buffers within one overall
budget, whatever the number of documents and partitions, and writes the same bytes: the
budget spills row groups to disk, it never cuts them short."""
from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.process import document_tables
from pipeline.writer import DatasetWriter

from .conftest import DATASETS, SEED000, SEED004


def _write(out, budget, docs):
    w = DatasetWriter(out, buffer_weight=budget, n_docs=len(docs))
    most = 0
    for tables in docs:
        for name in DATASETS:
            w.add(name, tables[name])
            most = max(most, w.streams.mem)
    w.close()
    return most


def _read(out, name):
    files = sorted((out / name).rglob("*.parquet"))
    return pa.concat_tables([pq.ParquetFile(f).read() for f in files]), files


def test_buffers_stay_within_the_budget_and_the_rows_are_those_of_an_unbounded_run(tmp_path):
    # seed 000 (附件2 项目支出绩效自评表, fiscal_year 2022: 国家免疫规划类疫苗接种 108389人次 …)
    # and seed 004, 30 times each: five datasets, partitions by fiscal_year
    seeds = [document_tables(SEED000.read_bytes(), SEED000.name), document_tables(SEED004.read_bytes(), SEED004.name)]
    docs = seeds * 30
    budget = 256 * 1024
    most = _write(tmp_path / "small", budget, docs)
    unbounded = _write(tmp_path / "big", 1 << 40, docs)
    assert most <= budget < unbounded       # unbounded, the buffers hold the whole batch
    for name in DATASETS:
        a, fa = _read(tmp_path / "small", name)
        b, fb = _read(tmp_path / "big", name)
        assert a.num_rows == b.num_rows and a.to_pylist() == b.to_pylist(), name
    ind, files = _read(tmp_path / "small", "indicators")
    assert "国家免疫规划类疫苗接种" in ind.column("name").to_pylist()
    # the budget spilled row groups to disk and read them back: the same files, byte for byte
    same = lambda d: {p.relative_to(d).as_posix(): p.read_bytes() for p in sorted(d.rglob("*.parquet"))}
    assert same(tmp_path / "big") == same(tmp_path / "small")
    assert not list((tmp_path / "small").glob(".spill-*"))   # spill files removed


def test_the_last_row_groups_written_in_threads_are_the_bytes_written_one_by_one(tmp_path, monkeypatch):
    """``StreamWriter.close`` builds, compresses and writes every open file's last row group
    in threads: seeds 000 and 004, 20 times each (a spilled group among them), give the
    same files, byte for byte, as closing the files one after another."""
    from pipeline import chunks

    seeds = [document_tables(SEED000.read_bytes(), SEED000.name), document_tables(SEED004.read_bytes(), SEED004.name)]
    docs = seeds * 20
    _write(tmp_path / "threads", 128 * 1024, docs)

    def one_by_one(self):
        for (name, sub), f in sorted(self.open.items()):
            self._close_file(name, sub, f)
        return self.files
    monkeypatch.setattr(chunks.StreamWriter, "close", one_by_one)
    _write(tmp_path / "serial", 128 * 1024, docs)
    same = lambda d: {p.relative_to(d).as_posix(): p.read_bytes() for p in sorted(d.rglob("*.parquet"))}
    a, b = same(tmp_path / "threads"), same(tmp_path / "serial")
    assert len(a) >= 9 and a == b
    ind, _ = _read(tmp_path / "threads", "indicators")
    assert "国家免疫规划类疫苗接种" in ind.column("name").to_pylist()


def test_files_closed_while_the_documents_rows_are_written_are_the_same_bytes(tmp_path, monkeypatch):
    """At the merge's end every dataset but ``documents`` is closed in threads while the
    documents rows are written (``close_others``): the same files, byte for byte, as when
    everything is closed at the end; seed 000's indicator 国家免疫规划类疫苗接种 among them."""
    import shutil

    from pipeline import chunks
    from pipeline.run import run

    raw = tmp_path / "raw"
    raw.mkdir()
    for i in range(6):  # several documents, two of them byte-identical copies
        shutil.copy(SEED000 if i % 2 else SEED004, raw / f"d{i}.txt")
    opts = {"file_weight": 16 * 1024, "row_group_rows": 64}
    run(raw, tmp_path / "early", workers=1, timeout=0, progress=False, writer_options=opts)
    monkeypatch.setattr(chunks.StreamWriter, "close_others", lambda self, keep: None)
    run(raw, tmp_path / "late", workers=1, timeout=0, progress=False, writer_options=opts)
    same = lambda d: {p.relative_to(d).as_posix(): p.read_bytes() for p in sorted(d.rglob("*.parquet"))}
    a, b = same(tmp_path / "early"), same(tmp_path / "late")
    assert len(a) >= 9 and a == b
    ind, _ = _read(tmp_path / "early", "indicators")
    assert "国家免疫规划类疫苗接种" in ind.column("name").to_pylist()
