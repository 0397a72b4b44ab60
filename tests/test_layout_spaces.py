"""Whitespace-separated rows (dev r063) and the guarantee that prose never becomes a table."""
from __future__ import annotations

import csv

import pytest
import regex as re
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors.layout import detect_layout, infer
from extractors.layout.lines import Line, lines
from extractors.layout.spaces import find_tables, header_width, tokens
from extractors.layout.streams import Grid, regroup

from .conftest import CORPUS, cell_rows, corpus_text


_doc = corpus_text


def _rows(text: str):
    res = infer(text)
    return res, [[(b.col, b.text) for b in r] for r in cell_rows(res.blocks, text)]


def test_funds_and_indicator_rows_of_r063():
    res, rows = _rows(_doc("r063"))
    assert res.layout == "tsv_rows"
    # '项目资金(万元) 全年预算数(A) 全年执行数(B) 执行率(B/A)'
    assert [(1, "项目资金(万元)"), (2, "全年预算数(A)"), (3, "全年执行数(B)"), (4, "执行率(B/A)")] in rows
    # '年度资金总额: 2300.67 2300.67 100%' and ' 其中:中央补助 442.43 442.43 100%'
    assert [(1, "年度资金总额:"), (2, "2300.67"), (3, "2300.67"), (4, "100%")] in rows
    assert [(1, "其中:中央补助"), (2, "442.43"), (3, "442.43"), (4, "100%")] in rows
    # '一级指标 二级指标 三级指标 年度指标值 全年完成值 未完成原因和改进措施'
    head = next(r for r in rows if r[0] == (1, "一级指标"))
    assert len(head) == 6 and head[-1] == (6, "未完成原因和改进措施")
    # '质量指标  指标1:基层医疗卫生机构实施基本药物制度补助。 37个基层医疗机构 100%': the level 2
    # under 二级指标 (the 一级 cell is not in the excerpt)
    assert [(2, "质量指标"), (3, "指标1:基层医疗卫生机构实施基本药物制度补助。"), (4, "37个基层医疗机构"),
            (5, "100%")] in rows
    # ' 指标2:村卫生室实施国家基本药物制度 实施基本药物制度补助村卫生室352个。 …': a name under 三级指标
    assert next(r for r in rows if r[0][1].startswith("指标2:村卫生室"))[0][0] == 3
    # the page lines before the header stay paragraphs: '发布时间:2022-06-01 来源:县卫生健康局 …'
    paras = [b.text for b in res.blocks if b.kind == "paragraph"]
    assert any(p.startswith("发布时间:2022-06-01") for p in paras)
    assert {b.grid for b in res.blocks if b.kind == "cell"} == {"spaces"}


def test_spaced_out_label_is_one_cell():
    # r030: '合 计 213.4 259' — '合 计' is one label, not two cells
    text = "合 计 213.4 259"
    assert [text[a:b] for a, b in tokens(text, Line(0, len(text)))] == ["合 计", "213.4", "259"]


def test_a_line_of_header_labels_is_a_header_prose_is_not():
    text = "项目资金(万元) 全年预算数(A) 全年执行数(B) 执行率(B/A)"
    assert header_width(text, tokens(text, Line(0, len(text)))) == 4
    # r011: '绩 效 自评结果为优 秀' style prose with layout spaces is no header
    text = "经自评,2022年度整体支出绩 效自评得分为95分,自评等级为优 秀。"
    assert header_width(text, tokens(text, Line(0, len(text)))) is None


def _prose_sentences() -> list[str]:
    """Sentences of the dev corpus's narrative reports (layout ``prose``)."""
    man = CORPUS / "MANIFEST.tsv"
    if not man.exists():
        return []
    out = []
    with man.open(encoding="utf-8") as f:
        for r in csv.DictReader(f, delimiter="\t"):
            if r["layout"] == "prose":
                t = (CORPUS / f"{r['id']}.txt").read_text(encoding="utf-8")
                out += [s for s in re.split(r"(?<=[。；!？])|\n", t) if len(s.strip()) >= 6]
    return out


SENTENCES = _prose_sentences()


@pytest.mark.skipif(not SENTENCES, reason="../shared/corpus/dev not present")
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(SENTENCES or ["-"]), min_size=1, max_size=12),
       st.sampled_from(["\n", "  ", " ", "\n\n", "", "\t "]))
def test_prose_is_never_turned_into_a_table(picked, joiner):
    text = joiner.join(picked)
    ls = lines(text)
    # no whitespace table without a header line of known labels
    assert find_tables(text, ls) == []
    # as a stream of cells (one sentence per cell), no grid is rebuilt
    assert not any(isinstance(p, Grid) for p in regroup([text[a:b] for a, b in ls]))
    if detect_layout(text) == "flat":
        res = infer(text)
        assert res.layout in ("flat", "space_flat")
        assert not [b for b in res.blocks if b.kind == "cell" and b.grid in ("spaces", "header_width")]


def test_block_titles_left_of_a_header_and_rows_under_its_columns_r030():
    res, rows = _rows(_doc("r030"))
    assert res.layout == "tsv_rows"
    # '项目资金情况 项目资金申请(万元) 项 目  上年度安排资金 本年度申请资金' / '合 计 213.4 259'
    head = next(r for r in rows if r[0] == (1, "项目资金情况"))
    assert head[2:] == [(3, "项 目"), (4, "上年度安排资金"), (5, "本年度申请资金")]
    assert [(3, "合 计"), (4, "213.4"), (5, "259")] in rows
    assert [(3, "县级资金"), (4, "213.4"), (5, "259")] in rows
    # the block ends where a line no longer reads as a label and figures:
    # '单位已有的(或拟订的)保障项目实施的制度、措施 建立了幼儿园财金管理制度和审核制度'
    assert not any(r[0][1].startswith("单位已有的") for r in rows)
