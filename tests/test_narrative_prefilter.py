"""The narrative pass skips the paragraphs that cannot hold a figure (a regex on the text,
no spaCy/jieba), and finds exactly the mentions it found when every paragraph with a
digit went through the pipeline."""
from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

import extractors.narrative.analyze as analyze
from extractors.extract import report_paragraphs
from extractors.narrative import analyze_report
from extractors.narrative.text import may_hold_figure
from extractors.readers import read_document
from extractors.segment import segment

from .conftest import corpus_files, corpus_text


def test_a_digit_without_a_unit_is_no_candidate():
    r005 = corpus_text("r005").split("\n")
    assert r005[4] == "- 发布日期: 2025-04-29"
    assert not may_hold_figure(r005[4])  # a date: refused without the pipeline
    assert "2018年6月5日" in corpus_text("r004").split("\n")
    assert not may_hold_figure("2018年6月5日")
    assert not may_hold_figure("1.项目立项背景")  # heading numbering
    # `年初批复预算8个项目985万元(含1个年初结转结余项目50万元)`: figures
    assert "年初批复预算8个项目985万元" in r005[8]
    assert may_hold_figure(r005[8])
    assert may_hold_figure("803.74 万元")  # inner spaces, as value_raw keeps them
    assert may_hold_figure("≥90%")


def test_r005_figures_are_those_of_the_unfiltered_pipeline(monkeypatch):
    line = corpus_text("r005").split("\n")[8]
    got = analyze_report([(line, 0)]).mentions
    figures = [(m.value_raw, m.label, m.value) for m in got]
    assert ("985万元", "年初批复预算", Decimal("9850000.00")) in figures
    assert ("334.67万元", "实际到位资金", Decimal("3346700.00")) in figures
    assert [m.value_raw for m in got].count("8个") == 2 and "2024年" not in [m.value_raw for m in got]
    monkeypatch.setattr(analyze, "may_hold_figure", lambda t: True)
    assert analyze_report([(line, 0)]).mentions == got


def test_every_dev_report_gives_the_same_mentions_as_without_the_filter(monkeypatch):
    files = corpus_files()
    if not files:
        pytest.skip("../shared/corpus/dev not present")
    batches = []
    for f in files:
        doc = read_document(f.read_bytes(), f.name)
        batches += [[(b.text, b.char_start) for b in paras]
                    for _, paras in report_paragraphs(segment(doc)) if paras]
    assert len(batches) >= 15
    fast = [[dataclasses.asdict(m) for m in analyze_report(b).mentions] for b in batches]
    monkeypatch.setattr(analyze, "may_hold_figure", lambda t: True)
    slow = [[dataclasses.asdict(m) for m in analyze_report(b).mentions] for b in batches]
    assert fast == slow
    assert sum(map(len, fast)) > 150  # 201 mentions in the dev reports


def test_matcher_windows_find_what_the_matcher_finds_on_the_whole_doc():
    # the Matcher runs on windows from two tokens before each number to the first token
    # after it that no pattern can hold; on every dev line with a digit the figures are
    # those of the Matcher over the whole doc
    from extractors.narrative import get_nlp
    nlp = get_nlp()
    matcher, splitter = nlp.get_pipe("narrative_quantity_matcher"), nlp.get_pipe("narrative_unit_splitter")
    files = corpus_files()
    if not files:
        pytest.skip("../shared/corpus/dev not present")
    lines = [ln for f in files for ln in f.read_text(encoding="utf-8").split("\n") if any(c.isdigit() for c in ln)]
    assert len(lines) > 500
    for ln in lines:
        doc = splitter(nlp.make_doc(ln))
        assert sorted((s, e) for _, s, e in matcher._matches(doc)) == sorted(
            (s, e) for _, s, e in matcher.matcher(doc)), ln[:40]
    # r005 '…年初批复预算8个项目985万元…': 985万元 is found; 年初 and 批复 end no window
    line = corpus_text("r005").split("\n")[8]
    doc = splitter(nlp.make_doc(line))
    spans = [doc[s:e].text for _, s, e in matcher._matches(doc)]
    assert "985万元" in spans and not any("批复" in x for x in spans)
    assert not matcher._element("批复") and matcher._element("万元") and matcher._element("%")


def test_sentence_boundaries_cut_after_each_end_mark():
    # r005 '…年初批复预算8个项目985万元…。…': the major sentences end after each 。！？!?,
    # the minor ones after ；; too (a scan of the end marks, not a test per character)
    from extractors.narrative.text import _MAJOR_END, _MINOR_END, _boundaries
    for line in corpus_text("r005").split("\n"):
        for ends in (_MAJOR_END, _MINOR_END):
            spans = _boundaries(line, ends)
            assert "".join(line[a:b] for a, b in spans) == line
            for a, b in spans[:-1]:
                assert line[b - 1] in ends or line[b:b + 2] in ("二、", "三、") or line[b] in "（(一二三四五六七八九十"
    line = corpus_text("r005").split("\n")[8]
    assert any(line[b - 1] == "。" for _, b in _boundaries(line, _MAJOR_END))
