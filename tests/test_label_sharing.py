"""The label look-ups score only the vocabulary labels that share a character with the
text (``normalizers.label_match.sharing``, ``layout.vocab._header_index``): a label with none
scores 0, so the best entry, each role's top score and a header cell's kind are those of
a comparison with every label.  Checked on the header and label cells of real dev tables."""
from __future__ import annotations

import pytest

from extractors.forms.common import vocab
from extractors.layout import vocab as lv
from extractors.readers import read_document
from extractors.tables import header as hd
from normalizers import label_match as nl
from normalizers.frozen import frozen_vocabulary
from normalizers.label_match import label_core, similarity, split_qualifiers

from .conftest import CORPUS, corpus_text


def _cells(rid: str) -> list[str]:
    corpus_text(rid)
    doc = read_document((CORPUS / f"{rid}.txt").read_bytes(), f"{rid}.txt")
    return sorted({b.content for t in doc.tables() for b in t.cells if b.text.strip()})


def _best_all(core, vocabulary):
    best, best_s = None, 0.0
    for key, labs in vocabulary:
        for lab in labs:
            s = similarity(core, label_core(lab))
            if s > best_s:
                best, best_s = key, s
    return best, best_s


def _kind_all(text):
    c = lv.core(text)
    best, best_s = None, 0.0
    for lab, kind in lv._header_vocab():
        s = lv._similar(c, lab)
        if s > best_s:
            best, best_s = kind, s
    return best, best_s


def test_r063_header_cells():
    # r063 line 21 '一级指标 二级指标 三级指标 年度指标值 全年完成值 未完成原因和改进措施'
    roles = frozen_vocabulary(vocab()["indicator_columns"])
    core = split_qualifiers("年度指标值")[0]
    got = hd._role_similarities(core, roles)
    assert got == tuple(max((similarity(core, label_core(lab)) for lab in labs), default=0.0) for _, labs in roles)
    assert max(got) == 1.0
    assert nl._best("全年完成值", roles) == _best_all("全年完成值", roles) == ("actual", 1.0)


def test_a_text_sharing_no_character_scores_nothing():
    # r063 line 11 '年度资金总额: 2300.67 …': the figure cell shares no character with any label
    roles = frozen_vocabulary(vocab()["indicator_columns"])
    assert nl.sharing("2300.67", roles) == []
    assert nl._best("2300.67", roles) == (None, 0.0) == _best_all("2300.67", roles)
    assert hd._role_similarities("2300.67", roles) == tuple(0.0 for _ in roles)


@pytest.mark.parametrize("rid", ["r001", "r018", "r021", "r048", "r063", "r067"])
def test_every_cell_scores_as_against_every_label(rid):
    cells = _cells(rid)
    assert cells
    vocabularies = [frozen_vocabulary(vocab()[k]) for k in ("indicator_columns", "fund_columns")]
    n_kinds = 0
    for text in cells:
        core = split_qualifiers(text)[0]
        for v in vocabularies:
            assert nl._best(core, v) == _best_all(core, v), text
            assert hd._role_similarities(core, v) == tuple(
                max((similarity(core, label_core(lab)) for lab in labs), default=0.0) for _, labs in v), text
        kind, score = _kind_all(text)
        c = lv.core(text)
        if c and len(c) <= 14 and not any(ch.isdigit() for ch in c) \
                and not lv._NUMBERING.match(lv.fold(text)) and not lv._NOT_HEADER.search(lv.fold(text)):
            assert lv.header_kind.__wrapped__(text) == (kind if score >= lv.settings()["threshold"] else None), text
            n_kinds += kind is not None and score >= lv.settings()["threshold"]
    assert n_kinds >= 1


def test_a_label_before_de_is_not_what_a_text_names():
    """r011's report: 基于项目预期目标的实现程度 holds 预期目标 only as the modifier of 实现程度, so
    it matches no label (it scored 0.83 against 预期目标, over the 0.8 threshold); a label that
    ends a text or is coordinated with another (r001's indicator header) still matches."""
    assert similarity("基于项目预期目标的实现程度", "预期目标") < 0.5
    assert similarity("偏差原因分析及改进措施", "偏差原因分析") > 0.85
    assert similarity("未完成原因和改进措施", "改进措施") >= 0.85
