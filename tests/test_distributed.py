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
