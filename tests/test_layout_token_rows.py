"""Rows of figures running into each other, numbers cut at paragraph breaks (dev r051,
r049): extractors/layout/token_rows.py and split_numbers.py."""
from __future__ import annotations

from decimal import Decimal

from extractors.layout import infer
from extractors.layout import split_numbers as sn
from extractors.layout.token_rows import TOKEN_ROWS, read_tables
from normalizers.text import fold_ws

from .conftest import cell_rows, corpus_text


def _rows(text: str):
    res = infer(text)
    rows = cell_rows(res.blocks, text)
    assert all(b.grid == TOKEN_ROWS for r in rows for b in r)
    return res, [[(b.col, b.text) for b in r] for r in rows]


def test_split_readings_of_real_runs():
    # r051 '143 136 95.' / '10%': one reading fills the three columns (95.10%)
    opts = sn.readings(["143", "136", "95.", "10%"], [False, False, False, True], 2)
    assert [[v for *_, v in o] for o in opts if len(o) <= 3] == [["143", "136", "95.10%"]]
    # r051 '11.86' / '12 9.84': 11.8612 would have four decimals where the table writes two
    opts = sn.readings(["11.86", "12", "9.84"], [False, True, False], 2)
    assert [[v for *_, v in o] for o in opts] == [["11.86", "12", "9.84"]]
    # r051 '0 0.8' / '0': 0 | 0.8 | 0 and 0 | 0.80 both fit: two readings (refused by the table)
    opts = sn.readings(["0", "0.8", "0"], [False, False, True], 2)
    assert sorted([v for *_, v in o] for o in opts) == [["0", "0.8", "0"], ["0", "0.80"]]
    # r051 '7.50.': a stray period, not part of the figure
    assert sn.readings(["17.92", "7.50.", "25.36"], [False] * 3, 2) == [[(0, 0, "17.92"), (1, 1, "7.50"),
                                                                       (2, 2, "25.36")]]


def test_arithmetic_of_lines():
    # r051: 三公经费 29.08 63.46 44.29 = 公务用车购置和维护经费 11.86 41.46 39.30 + 公务接待 17.22 22 4.99
    assert sn.sums_hold(["29.08", "63.46", "44.29"], [["11.86", "41.46", "39.30"], ["17.22", "22", "4.99"]])
    assert sn.sums_hold(["29.08", "63.46", "44.29"], [["11.86", "41.46", "39.30"], ["17.22", "2", "4.99"]]) is False
    assert sn.sums_hold([None, None, None], [["0", "0.8", "0"]]) is None  # 公用经费: no figures to check
    assert sn.ratio_holds("136", "143", "95.10%") and sn.ratio_holds("136", "143", "95.20%") is False
    assert sn.amount("7.50.") == Decimal("7.50")


def test_basic_data_tables_of_r051():
    res, rows = _rows(corpus_text("r051"))
    assert res.layout == "space_flat"
    # '财政供养人员情况 编制数 2018年实际在职人数 控制率' / '143 136 95.' / '10% 经费控制情况 ...'
    assert rows[0] == [(1, "财政供养人员情况"), (2, "编制数"), (3, "2018年实际在职人数"), (4, "控制率")]
    assert rows[1] == [(1, ""), (2, "143"), (3, "136"), (4, "95.\n\n10%")]
    assert fold_ws(rows[1][3][1]) == "95.10%"
    assert rows[2] == [(1, "经费控制情况"), (2, "2017年决算数"), (3, "2018年预算数"), (4, "2018年决算数")]
    body = {r[0][1]: [t for _c, t in r[1:]] for r in rows[3:]}
    assert body["三公经费"] == ["29.08", "63.46", "44.29"]
    # '... 公车运行维护 11.86' / '12 9.84': the row goes on after the paragraph break
    assert body["公车运行维护"] == ["11.86", "12", "9.84"]
    assert body["3、公务接待"] == ["17.22", "22", "4.99"]
    assert body["1、业务工作专项"] == ["938.8", "320", "689.16"]
    # '2、运行维护专项 公用经费 其中:办公经费 14.44' / '10 0.68': three lines, the last with figures
    assert body["2、运行维护专项"] == [] and body["公用经费"] == [] and body["其中:办公经费"] == ["14.44", "10", "0.68"]
    assert body["水费、电费、差旅费"] == ["17.92", "7.50", "25.36"]  # '7.50.'
    assert body["政府采购金额"] == ["16.14", "30.66", "30.66"]


def test_r051_refused_figures_are_named():
    # '其中:公车购置 29.46 29.46': two figures for three columns; '会议费、培训费' / '0 0.8' / '0':
    # two readings; '部门整体支出预算调整 1922.76 2690.62': two figures. None is placed.
    res, rows = _rows(corpus_text("r051"))
    body = {r[0][1]: r[1:] for r in rows[3:]}
    assert body["其中:公车购置"] == [] and body["会议费、培训费"] == [] and body["部门整体支出预算调整"] == []
    notes = " ".join(res.notes)
    assert "会议费、培训费" in notes and "0 | 0.8 | 0 / 0 | 0.80" in notes
    assert "其中:公车购置" in notes and "2 figures for 3 columns" in notes
    paragraphs = [b.text for b in res.blocks if b.kind == "paragraph"]
    assert "29.46 29.46" in paragraphs and "1922.76 2690.62" in paragraphs
    assert "." not in paragraphs  # the stray period of '7.50.' is no text of its own


def test_funds_lines_of_r049():
    # '全年预算数(A) 全年执行数(B) 7165.32 6992.95 其中:中央财政资金 3144.00 3144.00 自治区财政资金 ...'
    res, rows = _rows(corpus_text("r049"))
    assert rows[0] == [(1, ""), (2, "全年预算数(A)"), (3, "全年执行数(B)")]
    assert rows[1] == [(1, "其中:中央财政资金"), (2, "3144.00"), (3, "3144.00")]
    assert [(1, "盟市财政资金"), (2, "433.00"), (3, "432.10")] in rows
    # a wrapped label runs over three tokens: '其他资金 (包括以前年度结转资 金) 1591.22 1551.84'
    assert [(1, "其他资金 (包括以前年度结转资 金)"), (2, "1591.22"), (3, "1551.84")] in rows
    # refused: '7165.32 6992.95' stands before any line label (its label is printed later)
    assert not any(t == "7165.32" for r in rows for _c, t in r)
    assert any("figures before any line label" in n for n in res.notes)


def test_prose_and_plain_lines_give_no_token_table():
    # a sentence of the r051 指标说明 cell names figures but no header run of figure columns
    text = "本年预算追加数为767.86万元,年初预算为1922.76 预算完成率 99.27% 预算控制率 39.94%"
    assert read_tables(text) == ([], [])
    # a header run with nothing but words after it is no table
    assert read_tables("全年预算数(A) 全年执行数(B) 资金管理情况 情况说明 分配科学性") == ([], [])


def _records(rid: str) -> dict:
    from pipeline.process import process_file
    return process_file(corpus_text(rid).encode("utf-8"), f"{rid}.txt")


def test_r049_fund_lines_published():
    rec = _records("r049")
    funds = {(f["item"], f["measure"]): f for f in rec["funds"]}
    assert funds[("中央财政资金", "budget_full_year")]["amount_yuan"] == Decimal("31440000.00")
    assert funds[("盟市财政资金", "executed")]["amount_yuan"] == Decimal("4321000.00")
    # '其他资金 (包括以前年度结转资 金)': the known line 其他资金 with a note; item_raw keeps it
    assert funds[("其他资金", "executed")]["item_raw"] == "其他资金(包括以前年度结转资金)"
    # the block opens with '其中:中央财政资金': its total line is not written, so no line is
    # the parent of the others (not 中央财政资金)
    assert {f["parent_item"] for f in rec["funds"]} == {None}
    # the 年度资金总额 pair '7165.32 6992.95' has no label before it: not published
    assert not any(f["amount_raw"] == "7165.32" for f in rec["funds"])
    # 中央主管部门 人力资源社会保障部 is a ministry, not the unit: unit_name stays empty
    assert rec["sections"][0]["unit_name"] is None


def test_r051_basic_data_published():
    rec = _records("r051")
    facts = {f["key"]: f for f in rec["facts"]}
    assert facts["staff_control_rate"]["value"] == Decimal("95.1") and facts["staff_control_rate"]["value_raw"] == "95.10%"
    funds = {(f["item"], f["measure"], f["period_year"]): f["amount_yuan"] for f in rec["funds"]}
    assert funds[("公车运行维护", "budget", 2018)] == Decimal("120000.00")
    assert funds[("水费、电费、差旅费", "budget", 2018)] == Decimal("75000.00")
    assert not any(f["item"] in ("会议费、培训费", "公车购置", "部门整体支出预算调整") for f in rec["funds"])


def test_rejoined_rate_checked_against_its_counts():
    # r051 '143 136 95.' / '10%': 95.10% = 136 / 143, so the join is confirmed
    _tables, notes = read_tables(corpus_text("r051"))
    assert any("143 | 136 | 95.10% confirmed by its rate" in n for n in notes)
    # refused: the same row with the rate's first piece changed: 96.10% is not 136 / 143
    res, rows = _rows(corpus_text("r051").replace("143 136 95.", "143 136 96.", 1))
    assert not any(t in ("143", "136") for r in rows for _c, t in r)
    assert any("contradicts its rate; not placed" in n for n in res.notes)


def test_label_of_two_words_is_not_certain():
    # r051 '… 44.29 1、公务用车购置和维护经费 11.86 41.46 39.30 …' with the label wrapped inside a
    # word: '公务用车购置和 维护经费' may be one label or two, so its figures are not placed
    text = corpus_text("r051").replace("1、公务用车购置和维护经费", "公务用车购置和 维护经费", 1)
    res, rows = _rows(text)
    assert not any(t == "41.46" for r in rows for _c, t in r)
    assert any("公务用车购置和 维护经费" in n and "one wrapped label or two labels" in n for n in res.notes)
    # a bracket continues the label: r049 '其他资金 (包括以前年度结转资 金) 1591.22 1551.84' is placed
    assert [(1, "其他资金 (包括以前年度结转资 金)"), (2, "1591.22"), (3, "1551.84")] in _rows(corpus_text("r049"))[1]
