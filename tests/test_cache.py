"""The per-document cache (pipeline.cache): a rerun reads only new or changed documents,
a change of code or vocabulary invalidates, and cached output is byte-identical."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import pipeline.run as prun
from pipeline.cache import Cache, dumps, fingerprint, loads
from pipeline.run import run

from .conftest import SEED000, SEED004


def _files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.fixture
def counting(monkeypatch):
    """Count the documents actually processed (in this process: workers=1, timeout=0)."""
    seen = []
    real = prun.process_path

    def counted(path, rel, sha, cache):
        seen.append(rel)
        return real(path, rel, sha, cache)

    monkeypatch.setattr(prun, "process_path", counted)
    return seen


def test_rerun_processes_only_new_documents_and_gives_the_same_bytes(tmp_path, counting):
    raw, cache = tmp_path / "raw", tmp_path / "interim"
    raw.mkdir()
    shutil.copy(SEED004, raw / SEED004.name)
    run(raw, tmp_path / "a", workers=1, timeout=0, progress=False, cache_dir=cache)
    assert counting == [SEED004.name]
    shutil.copy(SEED000, raw / SEED000.name)
    counting.clear()
    run(raw, tmp_path / "b", workers=1, timeout=0, progress=False, cache_dir=cache)
    assert counting == [SEED000.name]                      # seed 004 came from the cache
    counting.clear()
    run(raw, tmp_path / "c", workers=1, timeout=0, progress=False, cache_dir=cache)
    assert counting == []
    run(raw, tmp_path / "d", workers=1, timeout=0, progress=False)   # no cache at all
    assert _files(tmp_path / "b") == _files(tmp_path / "c") == _files(tmp_path / "d")
    # a renamed file is a hit too: records do not depend on the name
    (raw / SEED000.name).rename(raw / "renamed.txt")
    counting.clear()
    s = run(raw, tmp_path / "e", workers=1, timeout=0, progress=False, cache_dir=cache)
    assert counting == [] and s["indicators"] == 93


def test_a_changed_vocabulary_changes_the_fingerprint(monkeypatch, tmp_path):
    import pipeline.cache as pc
    fp = fingerprint()
    assert fp == fingerprint() and len(fp) == 16
    fake_root = tmp_path / "root"
    shutil.copytree(pc.ROOT / "normalizers", fake_root / "normalizers")
    shutil.copytree(pc.ROOT / "extractors", fake_root / "extractors",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(pc.ROOT / "pipeline", fake_root / "pipeline", ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(pc, "ROOT", fake_root)
    base = fingerprint()
    units = fake_root / "normalizers" / "vocab" / "units.yaml"
    units.write_text(units.read_text("utf-8") + "\n# a new unit word\n", "utf-8")
    assert fingerprint() != base
    units.write_text(units.read_text("utf-8").replace("\n# a new unit word\n", ""), "utf-8")
    assert fingerprint() == base
    (fake_root / "pipeline" / "tables.py").write_text("# changed\n", "utf-8")
    assert fingerprint() != base


def test_entries_round_trip_and_a_corrupt_entry_is_a_miss(tmp_path, seed004_records):
    from pipeline.tables import to_tables
    tables = to_tables(seed004_records)
    assert {k: v.to_pylist() for k, v in loads(dumps(tables)).items()} == \
        {k: v.to_pylist() for k, v in tables.items()}
    c = Cache(tmp_path, fp="f" * 16)
    c.put("ab" * 32, tables)
    assert c.get("ab" * 32)["indicators"].num_rows == 24
    Path(c._path("ab" * 32)).write_bytes(b"doc-tables-1\n\x05\x00trunc")
    assert c.get("ab" * 32) is None and c.get("cd" * 32) is None
