"""Shared fixtures: the two real seed documents (copied into data/raw) and shared/."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
SHARED = ROOT.parent / "shared"
SEED000 = RAW / "000_dbacab0dbc49b42b.txt"
SEED004 = RAW / "004_4aa0f758ca959e42.txt"
CORPUS = SHARED / "corpus" / "dev"
SAMPLES = SHARED / "samples"


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


def corpus_files() -> list[Path]:
    return sorted(CORPUS.glob("r*.txt")) if CORPUS.exists() else []
