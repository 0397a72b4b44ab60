"""Blank-line streams (one cell per paragraph): rows rebuilt from the width of a header,
by one mechanism for staffing, funds, expenditure, breakdown and goal blocks (dev r064)."""
from __future__ import annotations

import pytest

from extractors.layout import infer
from extractors.layout.infer import blank_line_cells
from extractors.layout.lines import lines
from extractors.layout.streams import Grid, header_at, regroup

from .conftest import CORPUS


@pytest.fixture(scope="module")
def r064():
    p = CORPUS / "r064.txt"
    if not p.exists():
        pytest.skip("../shared/corpus/dev not present")
    text = p.read_text(encoding="utf-8")
    res = infer(text)
    assert res.layout == "blank_line_cells"
    assert all(text[b.char_start:b.char_end] == b.text for b in res.blocks)
    rows: dict[tuple[int, int], list] = {}
    for b in res.blocks:
        if b.kind == "cell":
            rows.setdefault((b.table_no, b.row), []).append(b)
    return text, res, [sorted(r, key=lambda b: b.col) for _, r in sorted(rows.items())]


def _row(rows, first):
    return next(r for r in rows if r[0].text == first)


def test_blank_line_after_a_cell_separates_and_each_further_one_is_an_empty_cell():
    # r064: '纳入专户管理的非税收入拨款:' / '' / '' / '其他资金:585.62'; and ' ' lines (a space
    # only) between the 2023年度部门整体支出绩效评价基础数据表 title and 财政供养人员情况
    text = "纳入专户管理的非税收入拨款:\n\n\n其他资金:585.62\n\n \n\n \n\n财政供养人员情况(人\n"
    spans = blank_line_cells(text, lines(text))
    assert [text[a:b] for a, b in spans] == ["纳入专户管理的非税收入拨款:", "", "其他资金:585.62",
                                             "", "", "财政供养人员情况(人"]
    assert spans[1][0] == spans[1][1] == text.index("\n\n\n") + 2


def test_staffing_header_fixes_the_width_of_its_value_row(r064):
    _, _, rows = r064
    # '编制数' / '2023 年实际在职人数' / '控制率' / '46' / '50' / '108.70%'
    head = _row(rows, "编制数")
    assert [b.text for b in head] == ["编制数", "2023 年实际在职人数", "控制率"]
    values = next(r for r in rows if r[0].table_no == head[0].table_no and r[0].row == head[0].row + 1)
    assert [(b.col, b.text) for b in values] == [(1, "46"), (2, "50"), (3, "108.70%")]
    assert {b.grid for b in head + values} == {"header_width"}


def test_funds_row_under_measure_headers_with_an_implicit_label_column(r064):
    _, _, rows = r064
    # '年初预算数' '全年预算数' '全年执行数' '分值' '执行率' '自评得分' / '年度资金总额' '861.10'
    # '2030.12' '2030.12' '10' '100%' '10' (the label column's header '年度预算申请' / '(万元'
    # stands in the cells before)
    head = _row(rows, "年初预算数")
    assert head[0].col == 2 and head[-1].text == "自评得分" and head[-1].col == 7
    row = _row(rows, "年度资金总额")
    assert [(b.col, b.text) for b in row] == [(1, "年度资金总额"), (2, "861.10"), (3, "2030.12"),
                                              (4, "2030.12"), (5, "10"), (6, "100%"), (7, "10")]


def test_expenditure_lines_keep_their_empty_cells(r064):
    _, _, rows = r064
    # '经费控制情况(万元' / '2022 年决算数' / '2023 年预算数' / '2023 年决算数', then
    # '项目支出:' '874.20' '308.17' '1025.20' and '1、业务工作经费' with three empty lines
    assert [b.text for b in _row(rows, "项目支出:")] == ["项目支出:", "874.20", "308.17", "1025.20"]
    row = _row(rows, "1、业务工作经费")
    assert [b.text for b in row] == ["1、业务工作经费", "", "", ""]
    assert all(b.char_start == b.char_end for b in row[1:])


def test_label_value_cells_in_rows_of_their_header_width(r064):
    _, _, rows = r064
    # '按收入性质分:2030.12' / '按支出性质分:1925.67' / '其中: 一般公共预算:1320.12' / …
    head = _row(rows, "按收入性质分:2030.12")
    assert [b.text for b in head] == ["按收入性质分:2030.12", "按支出性质分:1925.67"]
    assert [b.text for b in _row(rows, "政府性基金拨款:118.82")] == ["政府性基金拨款:118.82", "项目支出:1025.20"]


def test_goal_block_title_spans_its_rows(r064):
    _, _, rows = r064
    # '年度总体目标' / '预期目标' / '实际完成情况' / '搞好政府各职能部门完成的工作任务…'
    head = _row(rows, "年度总体目标")
    assert [b.text for b in head] == ["年度总体目标", "预期目标", "实际完成情况"]
    text_row = next(r for r in rows if r[0].table_no == head[0].table_no and r[0].row == 2)
    assert text_row[0].col == 2 and text_row[0].text.startswith("搞好政府各职能部门")


def test_cells_without_a_header_stay_a_stream_with_a_note(r064):
    _, res, rows = r064
    first = rows[0]
    assert first[0].text.startswith("2023年贯塘乡人民政府") and first[0].grid == "stream"
    assert any("rows not rebuilt" in n for n in res.notes)


def test_header_needs_known_labels():
    # three labels the forms know make a header; three words of prose do not
    assert header_at(["一级指标", "二级指标", "三级指标"], 0) is not None
    assert header_at(["根据要求购买安可设备", "并完成项目资金支付", "完成"], 0) is None
    # a numbered part title heads no column: '1.项目年度目标完成情况' before the goal header (r021)
    h = header_at(["1.项目年度目标完成情况", "项目年度目标", "年度目标完成情况"], 0)
    assert h is None
    assert header_at(["1.项目年度目标完成情况", "项目年度目标", "年度目标完成情况"], 1).kinds == ["goal", "goal"]


def test_a_label_before_de_names_no_column():
    """r011's report: '基于项目预期目标的实现程' (度 on the next page) holds the goal label 预期目标,
    but as the modifier of 实现程度 (X的Y names a Y): prose, no header; a cell that ends in a
    label, or names it before a coordinated one, still heads its column."""
    from extractors.layout.vocab import header_kind
    assert header_kind(" 基于项目预期目标的实现程") is None
    assert header_kind("基于项目预期目标的实现程度") is None
    parts = regroup([" 基于项目预期目标的实现程", "    年度总体目标:", "关心下一代专项资金项目自评报告"])
    assert not any(isinstance(p, Grid) for p in parts)
    assert header_kind("预期目标") == "goal"
    assert header_kind("年度总体目标") == "goal"
    assert header_kind("偏差原因分析及改进措施") is not None   # r001's indicator header
    assert header_kind("未完成原因和改进措施") is not None


def test_regroup_leaves_label_value_pairs_alone():
    # r021 metadata cells: '项目名称 |' '51000021R000000019951-工资性支出 |' '主管部门 |' …
    parts = regroup(["项目名称", "51000021R000000019951-工资性支出", "主管部门", "青神县发展和改革局本级"])
    assert parts == [[0, 1, 2, 3]] and not any(isinstance(p, Grid) for p in parts)
