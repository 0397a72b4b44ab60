"""The Dask backend (pipeline.distributed) on a 2-worker LocalCluster (processes) gives
the same bytes as the local pool: seeds, a few dev-corpus files, a copy and a bad file."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.run import run

from .conftest import CORPUS, SEED000, SEED004


def _files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_local_cluster_run_is_byte_identical_to_the_local_pool(tmp_path):
    pytest.importorskip("distributed")
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SEED000, raw / SEED000.name)
    shutil.copy(SEED004, raw / SEED004.name)
    shutil.copy(SEED004, raw / "copy-of-004.txt")           # byte-identical copy
    (raw / "empty.txt").write_bytes(b"")
    for f in sorted(CORPUS.glob("r*.txt"))[:4] if CORPUS.exists() else []:
        shutil.copy(f, raw / f.name)
    local, dask_out = tmp_path / "local", tmp_path / "dask"
    a = run(raw, local, workers=2, timeout=120, progress=False, cache_dir=tmp_path / "c1")
    b = run(raw, dask_out, workers=2, timeout=120, progress=False, cache_dir=tmp_path / "c2",
            scheduler="local")
    assert a == b
    assert a["documents"] == len(list(raw.iterdir()))
    assert a["documents_by_status"]["failed"] == 1           # empty.txt
    fa, fb = _files(local), _files(dask_out)
    assert list(fa) == list(fb)
    assert [k for k in fa if fa[k] != fb[k]] == []
    # the workers filled their own cache, keyed like the local one
    names = lambda c: sorted(p.name for p in c.rglob("*.arrows"))
    assert names(tmp_path / "c1") == names(tmp_path / "c2") and len(names(tmp_path / "c1")) == a["documents"] - 1
    # incremental on Dask: seed 000 again with a note appended (the same forms: seed 000's
    # own row gets same_content_as); hashed here, only the new file goes to the cluster,
    # and the bytes are those of a full local run
    (raw / "000-again.txt").write_bytes(SEED000.read_bytes() + "\n（重新上传）\n".encode())
    inodes = lambda d: {p.stat().st_ino for p in d.rglob("*.parquet")}
    before = inodes(dask_out)
    c = run(raw, dask_out, workers=2, timeout=120, progress=False, cache_dir=tmp_path / "c2",
            scheduler="local")
    full = tmp_path / "full"
    assert run(raw, full, workers=1, timeout=0, progress=False) == c
    fc, ff = _files(dask_out), _files(full)
    assert list(fc) == list(ff) and [k for k in fc if fc[k] != ff[k]] == []
    assert len(names(tmp_path / "c2")) == len(names(tmp_path / "c1")) + 1   # one document processed
    assert inodes(dask_out) & before                                        # files kept
    assert c["same_content"] == [f"000-again.txt = {SEED000.name}"]    # the first in path order counts


def test_more_workers_than_cores_means_a_local_cluster_unless_the_pool_is_asked_for():
    from pipeline.distributed import choose_scheduler
    assert choose_scheduler(None, 2, cores=2) is None            # the machine's pool
    assert choose_scheduler("", 3, cores=2) == "local"           # params.yaml's scheduler: ""
    assert choose_scheduler(None, 16, cores=8) == "local"
    assert choose_scheduler("tcp://h:8786", 1, cores=2) == "tcp://h:8786"
    # refused: --scheduler pool keeps the local pool whatever the worker count
    assert choose_scheduler("pool", 64, cores=2) is None


def test_cli_run_with_more_workers_than_cores_goes_to_dask_and_says_so(tmp_path, monkeypatch, capsys):
    """The decision only (``run`` stubbed: no cluster is started): the seeds with
    cores + 1 workers are handed to a LocalCluster; ``--scheduler pool`` is not."""
    import pipeline.run as prun
    from pipeline.cli import main
    from pipeline.distributed import machine_cores
    seen = []

    def fake_run(raw, out, **kw):
        seen.append((kw["workers"], kw["scheduler"]))
        return {"documents": 0, "documents_by_status": {}, "sections": 0, "indicators": 0, "funds": 0,
                "goals": 0, "facts": 0, "mentions": 0, "findings": 0, "sections_by_form_type": {},
                "failed_files": [], "same_content": []}
    monkeypatch.setattr(prun, "run", fake_run)
    n = machine_cores() + 1
    raw = str(SEED000.parent)
    assert main(["run", raw, "--out", str(tmp_path / "o"), "--workers", str(n)]) == 0
    assert f"running on a Dask LocalCluster of {n} processes" in capsys.readouterr().err
    assert main(["run", raw, "--out", str(tmp_path / "o"), "--workers", str(n), "--scheduler", "pool"]) == 0
    assert main(["run", raw, "--out", str(tmp_path / "o"), "--workers", "1"]) == 0
    assert "LocalCluster" not in capsys.readouterr().err
    assert seen == [(n, "local"), (n, None), (1, None)]
