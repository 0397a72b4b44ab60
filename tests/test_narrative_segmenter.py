"""The narrative pass segments with ``extractors.narrative.segmenter.FastJieba``: the words
of ``jieba.cut(text, cut_all=False)`` (accurate mode with the HMM), computed in one pass
per block.  Checked word for word against jieba on real report lines and on every line of
the dev corpus; the modes it does not implement are jieba's own."""
from __future__ import annotations

import jieba
import pytest

from extractors.narrative import get_nlp
from extractors.narrative.segmenter import FastJieba

from .conftest import corpus_files, corpus_text


@pytest.fixture(scope="module")
def fast():
    get_nlp()  # jieba's dictionary, as the pipeline loads it
    return FastJieba(jieba)


def test_r005_report_line_is_cut_as_jieba_cuts_it(fast):
    line = corpus_text("r005").split("\n")[8]
    assert "年初批复预算8个项目985万元" in line
    words = fast.cut(line, cut_all=False)
    assert words == list(jieba.cut(line, cut_all=False))
    assert "".join(words) == line  # every character kept, in order
    assert "985" in words and "年初" in words


def test_unknown_words_go_through_jiebas_hmm(fast):
    # r005 '红河州数据发展中心2024年度项目支出绩效单位自评报告': 自 评 are single characters on
    # the dictionary route and 自评 is no dictionary word, so jieba.finalseg's HMM reads them
    line = corpus_text("r005").split("\n")[6]
    assert line == "红河州数据发展中心2024年度项目支出绩效单位自评报告"
    words = fast.cut(line, cut_all=False)
    assert words == list(jieba.cut(line, cut_all=False))
    assert "自评" in words and not jieba.dt.FREQ.get("自评")


def test_other_modes_are_jiebas_own(fast):
    line = corpus_text("r005").split("\n")[8]
    # full mode (every dictionary word, overlapping) and the mode without HMM are not
    # computed here: they are jieba's generators, unchanged
    assert list(fast.cut(line, cut_all=True)) == list(jieba.cut(line, cut_all=True))
    assert list(fast.cut(line, HMM=False)) == list(jieba.cut(line, HMM=False))
    assert list(fast.cut(line, cut_all=True)) != fast.cut(line, cut_all=False)


def test_every_dev_line_is_cut_as_jieba_cuts_it(fast):
    files = corpus_files()
    if not files:
        pytest.skip("../shared/corpus/dev not present")
    n = 0
    for f in files:
        text = f.read_text(encoding="utf-8")
        for line in text.split("\n") + [text]:
            assert fast.cut(line, cut_all=False) == list(jieba.cut(line, cut_all=False)), (f.name, line[:40])
            n += 1
    assert n > 1000


def test_the_narrative_pipeline_uses_it():
    assert isinstance(get_nlp().tokenizer.tokenizer.jieba_seg, FastJieba)


def test_random_mixes_of_dictionary_words_and_corpus_characters_are_cut_as_jieba_cuts_them(fast):
    """Beyond the corpus lines: strings made of dictionary words, prefixes of them, the
    corpus's own characters, digits, Latin letters, punctuation and spaces, glued in random
    order (a fixed seed): ties, prefix-only entries and unknown-word runs for the HMM, in
    combinations no real line happens to hold."""
    import random

    files = corpus_files()
    if not files:
        pytest.skip("../shared/corpus/dev not present")
    rng = random.Random(20261202)
    chars = sorted({c for f in files for c in f.read_text(encoding="utf-8") if not c.isspace()})
    words = sorted(w for w, n in jieba.dt.FREQ.items() if n and 2 <= len(w) <= 6)
    pieces = [lambda: rng.choice(words), lambda: rng.choice(words)[:-1], lambda: rng.choice(chars),
              lambda: str(rng.randint(0, 99999)), lambda: rng.choice(["%", "万元", "。", "，", " ", "ab", "-", "（"])]
    for _ in range(3000):
        s = "".join(rng.choice(pieces)() for _ in range(rng.randint(1, 12)))
        assert fast.cut(s, cut_all=False) == list(jieba.cut(s, cut_all=False)), s
