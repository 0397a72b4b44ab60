"""jieba's prefix dictionary is read from ``extractors.narrative.jieba_dict``'s cache: the
same words and counts as jieba's own loading, so the same segmentation; a damaged or
stale cache is never read."""
from __future__ import annotations

import os

import jieba
import pytest

from extractors.narrative import jieba_dict
from extractors.narrative.segmenter import FastJieba

from .conftest import corpus_text


def _tokenizer(tmp_dir) -> jieba.Tokenizer:
    t = jieba.Tokenizer()
    t.tmp_dir = str(tmp_dir)
    return t


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A tokenizer initialised by jieba itself (which writes the quick cache) and one
    initialised from that cache."""
    d = tmp_path_factory.mktemp("jieba")
    first = _tokenizer(d)
    assert jieba_dict.load(first) == "jieba"
    second = _tokenizer(d)
    assert jieba_dict.load(second) == "cache"
    return d, first, second


def test_the_cache_holds_jiebas_own_dictionary(built):
    _, first, second = built
    assert second.total == first.total
    assert second.FREQ == first.FREQ
    assert len(second.FREQ) > 400_000
    # a word and a prefix (frequency 0) of jieba's dictionary
    assert second.FREQ["预算"] == first.FREQ["预算"] > 0
    assert second.FREQ.get("中华人民共") == 0  # a prefix of 中华人民共和国
    assert second.FREQ.get("自评") is None  # no word: jieba's HMM reads it (r005's title)


def test_a_report_line_is_cut_the_same_from_either(built):
    _, first, second = built
    line = corpus_text("r005").split("\n")[8]
    assert "年初批复预算8个项目985万元" in line

    class _Module:  # FastJieba reads the module's dt and patterns
        def __init__(self, dt):
            self.dt = dt
            self.re_han_default = jieba.re_han_default
            self.re_skip_default = jieba.re_skip_default

    a = FastJieba(_Module(first)).cut(line)
    b = FastJieba(_Module(second)).cut(line)
    assert a == b == list(first.cut(line))
    assert "985" in b and "年初" in b


def test_a_damaged_cache_is_not_read(built, tmp_path):
    d, first, _ = built
    path = jieba_dict.cache_path(_tokenizer(d))
    assert path is not None and os.path.isfile(path)
    data = open(path, "rb").read()
    broken = tmp_path / "broken.pfdict"
    broken.write_bytes(data[: len(data) // 2])  # truncated
    assert jieba_dict.read(str(broken)) is None
    broken.write_bytes(b"not a cache")
    assert jieba_dict.read(str(broken)) is None
    assert jieba_dict.read(str(tmp_path / "missing.pfdict")) is None


def test_the_cache_is_named_after_its_dictionary(tmp_path):
    t = _tokenizer(tmp_path)
    path = jieba_dict.cache_path(t)
    assert path is not None and os.path.dirname(path) == str(tmp_path)
    custom = jieba.Tokenizer(str(tmp_path / "my_dict.txt"))  # a custom dictionary: jieba's loading
    assert jieba_dict.cache_path(custom) is None
