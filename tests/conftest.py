"""Shared fixtures: the two real seed documents (copied into data/raw) and shared/, and
the seeds run once per session through the whole pipeline into Parquet (``parquet_dir``,
read back as ``published``) for the tests of checks, trace, report and queries."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pyarrow.parquet as pq
import pytest

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
SHARED = ROOT.parent / "shared"
SEED000 = RAW / "000_dbacab0dbc49b42b.txt"
SEED004 = RAW / "004_4aa0f758ca959e42.txt"
CORPUS = SHARED / "corpus" / "dev"
SAMPLES = SHARED / "samples"
D000 = hashlib.sha256(SEED000.read_bytes()).hexdigest()[:16]   # doc_id of seed 000
D004 = hashlib.sha256(SEED004.read_bytes()).hexdigest()[:16]   # doc_id of seed 004
DATASETS = ("documents", "sections", "blocks", "indicators", "funds", "goals", "facts", "mentions", "checks")


@pytest.fixture(scope="session")
def seed000_bytes() -> bytes:
    return SEED000.read_bytes()


@pytest.fixture(scope="session")
def seed004_bytes() -> bytes:
    return SEED004.read_bytes()


@pytest.fixture(scope="session")
def seed000_records(seed000_bytes):
    from pipeline.process import process_file
    return process_file(seed000_bytes, SEED000.name)


@pytest.fixture(scope="session")
def seed004_records(seed004_bytes):
    from pipeline.process import process_file
    return process_file(seed004_bytes, SEED004.name)


def cell_rows(blocks, text: str | None = None) -> list[list]:
    """The cell blocks of a layout result, one list per (table, row), each in column order;
    with ``text``, every block's span is checked against it first."""
    if text is not None:
        for b in blocks:
            assert text[b.char_start:b.char_end] == b.text
    rows: dict[tuple[int, int], list] = {}
    for b in blocks:
        if b.kind == "cell":
            rows.setdefault((b.table_no, b.row), []).append(b)
    return [sorted(r, key=lambda b: b.col) for _, r in sorted(rows.items())]


def corpus_text(rid: str) -> str:
    """The text of dev excerpt ``rid`` (e.g. 'r060'); the test is skipped without ../shared."""
    p = CORPUS / f"{rid}.txt"
    if not p.exists():
        pytest.skip("../shared/corpus/dev not present")
    return p.read_text(encoding="utf-8")


def corpus_files() -> list[Path]:
    return sorted(CORPUS.glob("r*.txt")) if CORPUS.exists() else []


def read_records(parquet_dir: Path) -> dict[str, list[dict]]:
    """Every dataset under ``parquet_dir`` as lists of row dicts."""
    import pyarrow as pa
    return {n: pa.concat_tables([pq.ParquetFile(f).read() for f in sorted((Path(parquet_dir) / n).rglob("*.parquet"))]).to_pylist()
            for n in DATASETS}


@pytest.fixture(scope="session")
def parquet_dir(tmp_path_factory) -> Path:
    """data/raw (the seeds) run through the whole pipeline once per session."""
    from pipeline.run import run
    out = tmp_path_factory.mktemp("seed_parquet")
    run(RAW, out, workers=1, timeout=0, progress=False)
    return out


@pytest.fixture(scope="session")
def published(parquet_dir) -> dict[str, list[dict]]:
    """The seed datasets as published, read back from ``parquet_dir``."""
    return read_records(parquet_dir)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Say at the end of the run whether ../shared/ was there (the skips list each reason)."""
    if SHARED.is_dir():
        terminalreporter.write_line(f"shared material: {SHARED}")
        return
    n = len(terminalreporter.stats.get("skipped", []))
    terminalreporter.write_line(
        f"shared material: {SHARED} not found; {n} test(s) skipped, most of them because they read "
        f"its corpus, gold or samples (README: '../shared/ and the tests that need it'; -rs lists why)")
