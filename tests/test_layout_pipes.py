"""Pipe dialects of the dev corpus: the grid each one hands the form parsers.

Every test quotes the document's lines; every cell is checked against its span."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.layout import infer
from extractors.layout.infer import _infer
from extractors.layout.lines import lines
from extractors.layout.pipes import read_terminated, style

from .conftest import corpus_text


_doc = corpus_text


def _grid(text: str):
    res = infer(text)
    for b in res.blocks:
        assert text[b.char_start:b.char_end] == b.text  # the span invariant
    tables: dict[int, dict[int, list]] = {}
    for b in res.blocks:
        if b.kind == "cell":
            tables.setdefault(b.table_no, {}).setdefault(b.row, []).append(b)
    return res, {t: [sorted(r, key=lambda b: b.col) for _, r in sorted(rows.items())]
                 for t, rows in tables.items()}


def _texts(row):
    return [(b.col, b.text) for b in row]


def _find(grid, first_text):
    for rows in grid.values():
        for r in rows:
            if r and r[0].text == first_text:
                return r
    raise AssertionError(f"no row starts with {first_text!r}")


def test_rows_that_end_in_a_pad_of_pipes_r060():
    res, grid = _grid(_doc("r060"))
    assert res.layout == "markdown_table"
    # '年度资金总额: | 3359.62万 | 3359.62万 | 100% | ||||'
    row = _find(grid, "年度资金总额:")
    assert _texts(row) == [(1, "年度资金总额:"), (2, "3359.62万"), (3, "3359.62万"), (4, "100%")]
    assert {b.grid for b in row} == {"delimited"}
    # the header split over two lines: '绩效指标 | 一级 指标 |' / '二级指标 | 三级指标 | 指标值 | …'
    head = _find(grid, "绩效指标")
    assert [b.text for b in head] == ["绩效指标", "一级 指标", "二级指标", "三级指标", "指标值",
                                      "全年实际完成值", "未完成原因和改进措施"]


def test_rows_continued_over_lines_and_closed_by_a_pad_r033():
    text = _doc("r033")
    assert style(text, lines(text)) == "terminated"
    _, grid = _grid(text)
    # '項目負責人 |' / '劉軍勇 |' / '聯(lián)系電話 |' / '13874011973 |' / '||||||||||'
    assert _texts(_find(grid, "項目負責人")) == [(1, "項目負責人"), (2, "劉軍勇"),
                                              (3, "聯(lián)系電話"), (4, "13874011973")]
    # '其中:中央財政 |' / '|' four times, then '||||||': the lone pipes are empty cells
    row = _find(grid, "其中:中央財政")
    assert [b.text for b in row] == ["其中:中央財政", ""] * 4
    empty = row[1]
    assert empty.char_start == empty.char_end and text[empty.char_start] == "|"


def test_one_cell_per_line_stream_rebuilt_from_the_header_r021():
    text = _doc("r021")
    res, grid = _grid(text)
    # '绩效指标(90分) |' '一级指标 |' … '未完成原因分析 |', then '产出指标 |' '数量指标 |'
    # '发放(缴纳)覆盖率 |' '= |' '100 |' '% |' '|' '60 |' '|' '|'
    head = _find(grid, "绩效指标(90分)")
    assert len(head) == 11 and head[-1].text == "未完成原因分析"
    row = _find(grid, "产出指标")
    assert _texts(row) == [(2, "产出指标"), (3, "数量指标"), (4, "发放(缴纳)覆盖率"), (5, "="),
                           (6, "100"), (7, "%"), (8, ""), (9, "60"), (10, ""), (11, "")]
    assert {b.grid for b in row} == {"header_width"}
    # the empty 完成值 cell is a zero-length block on its own line's pipe
    assert row[6].char_start == row[6].char_end and text[row[6].char_start] == "|"
    # '合计 |' '100 |' '|' '|': the 100 sits in the 权重 column
    total = _find(grid, "合计")
    assert _texts(total) == [(2, "合计"), (9, "100"), (10, ""), (11, "")]
    # '总额 | 238.93 | 251.89 | 251.89 | 100.00% | 10 | | 1.预算执行率=…' under
    # '预算执行情况(10分) | 年度预算数(万元) | 年初预算 | … | 原因'; the 其中 rows have no 原因 cell
    fund = _find(grid, "总额")
    assert [b.text for b in fund][:7] == ["总额", "238.93", "251.89", "251.89", "100.00%", "10", ""]
    assert fund[0].col == 2 and fund[-1].text.startswith("1.预算执行率")
    sub = _find(grid, "其中:财政资金")
    assert [b.text for b in sub] == ["其中:财政资金", "238.93", "251.89", "251.89", "100.00%", "/", "/"]
    # cells under no header stay a one-column stream, and a note says so
    assert _find(grid, "评价结论")[0].grid == "stream"
    assert any("rows not rebuilt" in n for n in res.notes)


def test_markdown_cells_over_several_lines_r007():
    text = _doc("r007")
    assert style(text, lines(text)) == "leading"
    _, grid = _grid(text)
    (rows,) = grid.values()
    # '| ' / '       一级 指标  | ' / '       二级 指标  | ' …
    assert [b.text for b in rows[0]] == ["一级 指标", "二级 指标", "三级 指标", "自评分", "具体指标", "评价标准"]
    assert [b.text for b in rows[1]][:4] == ["项目 决策 (20分)", "项目 目标 (4分)", "目标 内容 (4分)", "4"]
    # a row whose merged cells the page dropped: '决策 过程 (8分) | 决策 依据 (4分) | 4 | …' then '    |'
    assert [b.text for b in rows[2]][:3] == ["决策 过程 (8分)", "决策 依据 (4分)", "4"]
    assert len(rows[2]) == 5


def test_rows_one_per_line_before_any_pad_r041():
    text = _doc("r041")
    _, grid = _grid(text)
    # '索引號 | 11341700003244895T/202504-00006 | 組配分類 | 部門項(xiàng)目 |'
    assert [b.text for b in _find(grid, "索引號")] == [
        "索引號", "11341700003244895T/202504-00006", "組配分類", "部門項(xiàng)目"]


def test_terminated_reader_keeps_interior_empty_cells():
    # r020: '其他资金 | / | / | ||||||||' — no empty cell invented, none dropped inside
    text = "其他资金 | | / | / | ||||||||\n总额 | 0.00 | 3.36 | ||||||||\n"
    items = read_terminated(text, lines(text))
    (kind, table), = items
    rows = [[text[a:b] for a, b in r] for r in table.rows]
    assert rows == [["其他资金", "", "/", "/"], ["总额", "0.00", "3.36"]]


_PIECES = ["|", " |", "||||", "| ", "\n", "\n\n", " ", "\t", "  ", "年度资金总额:", "3359.62万", "100%",
           "一级指标", "二级指标", "三级指标", "指标值", "产出指标", "数量指标", "合计", "", "(万元", "项目名称"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=60))
def test_any_mix_of_separators_and_labels_keeps_the_span_invariant(pieces):
    text = "".join(pieces)
    res = _infer(text)  # the steps themselves, without the fallback that reports a failure
    assert all(text[b.char_start:b.char_end] == b.text for b in res.blocks)
    cells = [b for b in res.blocks if b.kind == "cell"]
    # positions are unique within a table and count from 1
    assert len({(b.table_no, b.row, b.col) for b in cells}) == len(cells)
    assert all(b.row >= 1 and b.col >= 1 and b.grid for b in cells)


def test_rows_under_a_points_titled_block_start_in_its_second_column_r020():
    _, grid = _grid(_doc("r020"))
    # '预算执行情况(10分) | 年度预算数(万元) | 年初预算 | 调整后预算数 | 预算执行数 | … | 原因 | ||'
    # '总额 | 0.00 | 3.36 | 3.36 | 100.00% | 10 | 10 | 1.预算执行率=… | |||'
    head = _find(grid, "预算执行情况(10分)")
    assert [(b.col, b.text) for b in head[1:3]] == [(2, "年度预算数(万元)"), (3, "年初预算")]
    row = _find(grid, "总额")
    assert [(b.col, b.text) for b in row[:4]] == [(2, "总额"), (3, "0.00"), (4, "3.36"), (5, "3.36")]
    # '其中:财政资金 | 0.00 | 3.36 | 3.36 | 100.00% | / | / | ||||' (its 原因 cell merged away)
    assert _find(grid, "其中:财政资金")[0].col == 2
    # an indicator row that lost its 一级 cell stays left-aligned for the form layer:
    # '产出指标 | 质量指标 | 完成安可产品购买并按要求支付资金 | = | 100 |' is cut by the excerpt
    assert _find(grid, "合计")[0].col == 1


def test_short_indicator_rows_placed_under_their_columns_r031():
    _, grid = _grid(_doc("r031"))
    # '绩 效 指 标 | 一级指标 | 二级指标 | 三级指标 | 指标值 |'
    head = _find(grid, "绩 效 指 标")
    assert [(b.col, b.text) for b in head] == [(1, "绩 效 指 标"), (2, "一级指标"), (3, "二级指标"),
                                               (4, "三级指标"), (5, "指标值")]
    # '产出指标 | 数量指标 | 补贴非营利性民办幼儿园数量 | 20个 | |': from 一级指标 on
    assert [b.col for b in _find(grid, "产出指标")] == [2, 3, 4, 5]
    # '补贴民办园租用面积 | 26970.7平方米 | |||': both category cells merged away
    assert [(b.col, b.text) for b in _find(grid, "补贴民办园租用面积")] == [(4, "补贴民办园租用面积"),
                                                                      (5, "26970.7平方米")]
    # '质量指标 | 补贴覆盖民办幼儿园率 | ≥90.91% | ||': a level 2 under the 产出指标 above
    assert [b.col for b in _find(grid, "质量指标")] == [3, 4, 5]
    # '成本指标 | 补贴标准 | 71.86元/平方米 | ||': 成本指标 may be either level; next to a name it is
    # the level 2
    assert [b.col for b in _find(grid, "成本指标")] == [3, 4, 5]
    # '可持续影响指标 | 非营利性民办园租房受益期限 | …': a level 2 (its 效益指标 merged above)
    assert _find(grid, "可持续影响指标")[0].col == 3
