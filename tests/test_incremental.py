"""An incremental run (``--cache``, the previous output and its ``_manifest.tsv``) reads
only new or changed documents, rewrites only the files they fall into, and gives the
same bytes as a full run on the same inputs — after adding, changing or deleting a
document, after a byte-identical copy or a copy of the same forms appears (which changes
another document's row: ``duplicate_of`` / ``same_content_as``), and after the code
fingerprint changes (then everything is written)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import pipeline.run as prun
from pipeline.cache import Cache
from pipeline.run import run

from .conftest import CORPUS, D004 as SEED004_ID, SEED000, SEED004

# small files, so that a batch of 14 documents has several files per dataset
OPTS = {"file_weight": 16 * 1024, "row_group_rows": 64}


def _files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def _inodes(out: Path) -> dict[str, int]:
    return {p.relative_to(out).as_posix(): p.stat().st_ino for p in sorted(out.rglob("*.parquet"))}


@pytest.fixture
def counting(monkeypatch):
    """The documents processed and the cache entries read, in this process."""
    seen = {"processed": [], "read": []}
    real_process, real_get = prun.process_path, Cache.get

    def processed(path, rel, sha, cache):
        seen["processed"].append(rel)
        return real_process(path, rel, sha, cache)

    def read(self, key):
        seen["read"].append(key)
        return real_get(self, key)

    monkeypatch.setattr(prun, "process_path", processed)
    monkeypatch.setattr(Cache, "get", read)
    return seen


def _raw(tmp_path: Path) -> Path:
    if not CORPUS.exists():
        pytest.skip("../shared/corpus/dev not present")
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SEED000, raw / SEED000.name)
    shutil.copy(SEED004, raw / SEED004.name)
    for f in sorted(CORPUS.glob("r*.txt"))[:12]:
        shutil.copy(f, raw / f.name)
    return raw


def _step(raw, out, cache, tmp_path, name, counting, workers=1):
    """Rerun into ``out`` with the cache; a full run (no cache) into a fresh folder; same
    bytes and summary.  Returns (processed, cache entries read, files kept as links)."""
    before = _inodes(out)
    counting["processed"].clear()
    counting["read"].clear()
    s = run(raw, out, workers=workers, timeout=0 if workers == 1 else 60, progress=False,
            cache_dir=cache, writer_options=OPTS)
    got = (list(counting["processed"]), list(counting["read"]))
    full = tmp_path / f"full-{name}"
    assert run(raw, full, workers=1, timeout=0, progress=False, writer_options=OPTS) == s
    a, b = _files(out), _files(full)
    assert list(a) == list(b), name
    assert [k for k in a if a[k] != b[k]] == [], name
    after = _inodes(out)
    kept = [p for p in after if after[p] in set(before.values())]
    return got[0], got[1], kept, len(after)


def test_incremental_runs_are_byte_identical_to_full_runs_and_read_only_what_changed(tmp_path, counting):
    raw, out, cache = _raw(tmp_path), tmp_path / "out", tmp_path / "interim"
    run(raw, out, workers=1, timeout=0, progress=False, cache_dir=cache, writer_options=OPTS)
    n_files = len(_inodes(out))
    assert n_files > 20                       # several files per dataset

    # nothing changed: nothing processed, nothing read, every file kept
    processed, read, kept, n = _step(raw, out, cache, tmp_path, "same", counting)
    assert processed == [] and read == [] and len(kept) == n == n_files

    # one document added (r043: 2021年中央动物防疫等补助经费项目支出绩效自评报告 of 昌宁县更戛乡,
    # placed between the others in path order)
    shutil.copy(CORPUS / "r043.txt", raw / "r010b.txt")
    processed, read, kept, n = _step(raw, out, cache, tmp_path, "added", counting)
    assert processed == ["r010b.txt"]
    assert len(read) < 8                      # the neighbours in the files it falls into only
    assert 0 < n - len(kept) < n / 2          # most files are the same inodes as before

    # one document changed (a line appended to r003), with the pool
    (raw / "r003.txt").write_bytes((CORPUS / "r003.txt").read_bytes() + "\n备注：已更正。\n".encode())
    processed, read, kept, n = _step(raw, out, cache, tmp_path, "changed", counting, workers=2)
    assert len(kept) > n / 2

    # one deleted
    (raw / "r005.txt").unlink()
    processed, read, kept, n = _step(raw, out, cache, tmp_path, "deleted", counting)
    assert processed == [] and len(kept) > n / 2

    # a byte-identical copy: its own documents row, duplicate_of the first
    shutil.copy(SEED004, raw / "zz-copy-of-004.txt")
    processed, read, kept, n = _step(raw, out, cache, tmp_path, "copy", counting)
    assert processed == []
    import duckdb
    rows = duckdb.sql(f"SELECT source_path, duplicate_of FROM read_parquet('{out}/documents/**/*.parquet') "
                      f"WHERE duplicate_of IS NOT NULL").fetchall()
    assert rows == [("zz-copy-of-004.txt", SEED004_ID)]

    # the same forms in other bytes (seed 000 with a note appended): seed 000's own row
    # gets same_content_as, though seed 000 did not change
    (raw / "000-again.txt").write_bytes(SEED000.read_bytes() + "\n（重新上传）\n".encode())
    processed, read, kept, n = _step(raw, out, cache, tmp_path, "same-content", counting)
    assert processed == ["000-again.txt"]
    same = duckdb.sql(f"SELECT source_path, same_content_as FROM read_parquet('{out}/documents/**/*.parquet') "
                      f"WHERE same_content_as IS NOT NULL ORDER BY 1").fetchall()
    assert [p for p, _ in same] == ["000-again.txt", SEED000.name]


def test_a_new_fingerprint_or_a_missing_file_means_writing_not_linking(tmp_path, counting, monkeypatch):
    raw, out, cache = _raw(tmp_path), tmp_path / "out", tmp_path / "interim"
    run(raw, out, workers=1, timeout=0, progress=False, cache_dir=cache, writer_options=OPTS)
    # refused: a file of the previous output that is gone is written again, not linked
    gone = sorted((out / "blocks").glob("*.parquet"))[1]
    gone.unlink()
    processed, read, kept, n = _step(raw, out, cache, tmp_path, "gone", counting)
    assert processed == [] and 0 < len(read) and len(kept) == n - 1
    # another code fingerprint: the manifest does not apply, every file is new, the
    # documents are processed again (another cache folder) and the bytes are a full run's
    import pipeline.cache as pc
    monkeypatch.setattr(pc, "fingerprint", lambda: "0123456789abcdef")
    processed, read, kept, n = _step(raw, out, cache, tmp_path, "fingerprint", counting)
    assert len(processed) == 14 and kept == []


def test_a_rerun_with_one_new_document_starts_one_worker_and_loads_nothing_before(tmp_path, monkeypatch):
    """Planned ahead: five new documents (more than PRELOAD_PER_WORKER per worker) get
    two workers and the narrative model loaded before forking; a rerun that finds one new
    document among them gets one worker and no preload (refused: it would cost 1.5 s of
    CPU for one document)."""
    import pipeline.pool as pp
    calls, workers = [], []
    real = pp.Pool

    class Recording(real):
        def __init__(self, *a, **kw):
            workers.append(kw.get("workers"))
            super().__init__(*a, **kw)

    monkeypatch.setattr(pp, "Pool", Recording)
    monkeypatch.setattr(prun, "preload_shared", lambda: calls.append(1))
    raw, out, cache = tmp_path / "raw", tmp_path / "out", tmp_path / "interim"
    raw.mkdir()
    seed = SEED004.read_bytes()
    for i in range(2 * prun.PRELOAD_PER_WORKER + 1):
        (raw / f"d{i}.txt").write_bytes(seed + f"\ncopy {i}\n".encode())
    run(raw, out, workers=2, timeout=60, progress=False, cache_dir=cache)
    assert calls == [1] and workers == [2]
    (raw / "d9.txt").write_bytes(seed + b"\none more\n")
    s = run(raw, out, workers=2, timeout=60, progress=False, cache_dir=cache)
    assert calls == [1] and workers == [2, 1]
    assert s["documents_by_status"] == {"ok": 6}


def test_the_manifest_lists_every_file_with_each_documents_rows(tmp_path):
    """The F records (kept as packed bytes while the run lasts) name, per file, each of its
    documents' key hash and rows, in order: the rows add up to the file's, one item per
    document in it."""
    import pyarrow.parquet as pq
    out = tmp_path / "out"
    run(_raw(tmp_path), out, workers=1, timeout=0, progress=False, writer_options=OPTS)
    records = [line.rstrip("\n").split("\t") for line in open(out / "_manifest.tsv", encoding="utf-8")
               if line.startswith("F\t")]
    assert len(records) == len(list(out.rglob("*.parquet"))) > 20
    for _, path, digest, items in records:
        t = pq.read_table(out / path, columns=["doc_id"])
        pairs = [item.split(":") for item in items.split()] if items else []
        assert all(len(k) == 32 and int(k, 16) >= 0 for k, _ in pairs), path
        assert sum(int(n) for _, n in pairs) == t.num_rows, path
        assert len(pairs) == len(set(t.column("doc_id").to_pylist())), path


def test_arrow_buffers_come_from_the_c_allocator_unless_the_environment_names_one(tmp_path):
    import subprocess
    import sys
    code = ("import pyarrow as pa, pipeline.run as r; from pathlib import Path; "
            "r.run(Path(%r), Path(%r), progress=False, timeout=0); print(pa.default_memory_pool().backend_name)")
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SEED004, raw / SEED004.name)
    env = {k: v for k, v in __import__("os").environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    got = subprocess.run([sys.executable, "-c", code % (str(raw), str(tmp_path / "o1"))], env=env,
                         capture_output=True, text=True, check=True).stdout.split()[-1]
    assert got == "system"
    env["ARROW_DEFAULT_MEMORY_POOL"] = "mimalloc"
    got = subprocess.run([sys.executable, "-c", code % (str(raw), str(tmp_path / "o2"))], env=env,
                         capture_output=True, text=True, check=True).stdout.split()[-1]
    assert got == "mimalloc"
