"""The glued-text label lexers come from ``extractors.regex_store``: a pattern rebuilt from
the stored arguments of regex's C compiler finds exactly what ``regex.compile`` of the same
pattern finds; a damaged, foreign or missing store entry is never used (the pattern is
compiled as usual and stored again)."""
from __future__ import annotations

import os

import pytest
import regex

from extractors import regex_store
from extractors.layout import glued_cells, shapes

from .conftest import CORPUS, SEED000, SEED004


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("PIPELINE_REGEX_STORE", str(tmp_path / "rx"))
    return tmp_path / "rx"


def _lexer_pattern(kinds) -> str:
    return shapes._lexer(kinds)[0].pattern


def _texts() -> list[str]:
    files = [SEED000, SEED004] + sorted(CORPUS.glob("r*.txt"))[:20]
    return [f.read_text("utf-8") for f in files if f.exists()]


def _found(pat, texts):
    return [(m.span(), m.lastgroup) for t in texts for m in pat.finditer(t)]


@pytest.mark.parametrize("kinds", [glued_cells.TOP, glued_cells.BODY, shapes.ALL])
def test_a_stored_lexer_finds_what_the_compiled_one_finds(store, kinds):
    pattern = _lexer_pattern(kinds)
    fresh = regex.compile(pattern)
    regex_store.compile(pattern)                 # compiled, and stored
    assert len(os.listdir(store)) == 1
    stored = regex_store._read(regex_store._path(pattern, 0), pattern)
    assert stored is not None and stored is not fresh  # rebuilt from the file
    texts = _texts()
    got = _found(stored, texts)
    assert got == _found(fresh, texts)
    # the labels of seed 000's tables are among them: 自评得分 eight times, 填表人： five
    seed = [m.group() for m in stored.finditer(texts[0])]
    assert seed.count("自评得分") == 8 and seed.count("填表人：") == 5
    assert stored.groupindex == fresh.groupindex and stored.groups == fresh.groups


def test_a_damaged_or_foreign_entry_is_not_used(store, monkeypatch):
    pattern = _lexer_pattern(glued_cells.TOP)
    regex_store.compile(pattern)
    path = regex_store._path(pattern, 0)
    data = bytearray(open(path, "rb").read())
    data[len(data) // 2] ^= 0xFF                 # one byte of the opcodes flipped
    open(path, "wb").write(bytes(data))
    assert regex_store._read(path, pattern) is None
    pat = regex_store.compile(pattern)           # compiled again, and stored again
    assert _found(pat, _texts()[:2]) == _found(regex.compile(pattern), _texts()[:2])
    assert regex_store._read(path, pattern) is not None
    # another pattern's entry under this name (its checksum is fine) is not taken for it
    other = _lexer_pattern((shapes.FUND_CORNER,))
    regex_store.compile(other)
    os.replace(regex_store._path(other, 0), path)
    assert regex_store._read(path, pattern) is None
    # a store others may write to is not read (its files could hold any matcher program)
    os.chmod(store, 0o777)
    assert regex_store._read(path, pattern) is None
    os.chmod(store, 0o700)
    # an unwritable store: compiled every time, never an error
    monkeypatch.setenv("PIPELINE_REGEX_STORE", "/proc/no-such-store")
    assert regex_store.compile(pattern).pattern == pattern
