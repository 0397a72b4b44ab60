"""Glued cells of OCR'd previews (space_flat): labels OCR garbled, letters read for digits,
rows whose qualitative text has no written boundary.

Every test quotes the dev-corpus text it reads (../shared/corpus/dev); the expected cells
are the gold's (../shared/gold/dev/rNNN.jsonl), and each mechanism has a refused case.
"""
from __future__ import annotations

from extractors.layout import grammar as gr
from extractors.layout import grammar_indicators as gri
from extractors.layout import shape_values as sv
from extractors.layout import shapes as sh
from extractors.model import PARAGRAPH
from normalizers.label_match import fold_label, similarity
from normalizers.labels import normalize_level1, normalize_level2

from .conftest import corpus_text
from .test_layout_glued import _grid, _rows  # the glued grid with its spans checked, and its rows


def _row_holding(res, cell: str) -> list[str]:
    hits = [r for r in _rows(res) if cell in r]
    assert hits, f"no row holding {cell!r}"
    return hits[0]


def _paragraphs(res) -> list[str]:
    return [b.text for b in res.blocks if b.kind == PARAGRAPH]


# ---- the OCR-confusable layer: labels only ------------------------------------------------

def test_confusables_fold_labels_not_values():
    # r003: '项Fl资金(万兀)年度资金总额年初预匏数…', level labels '顼目产出(30分)', '项Fl实施'
    assert fold_label("项Fl资金(万兀)") == "项目资金(万元)"
    assert fold_label("年初预匏数") == "年初预算数"
    assert normalize_level1("顼目产出(30分)").name == "项目产出"
    assert normalize_level2("项Fl实施").name == "项目实施"
    # a Latin 'Fl' not written after a Chinese character is left as it is
    assert fold_label("Fl资金") == "Fl资金"
    # a scrambled vertical header (考值参分) is as close to its label as a near spelling
    assert similarity("考值参分", "参考分值") >= 0.85
    assert similarity("考值参", "参考分值") < 0.85


def test_header_gap_read_as_the_one_label_it_stands_for():
    # r003 header '…三级指标考值参分指标值(八)全年实际值(B)得分…', funds '年初预匏数调整预算将,A、全年执行数(B)'
    t = "三级指标考值参分指标值(八)"
    assert sh.gap_label(t, 4, 8, sh.HEADER).role == "weight"
    t = "年初预匏数调整预算将,A、全年执行数(B)"
    assert sh.gap_label(t, 5, 13, sh.FUND_COL).role == "budget_full_year"
    # r016 '度效标O0B年绩目1分EB' (a garbled vertical label, its points unreadable): no label
    t = "度效标O0B年绩目1分EB"
    assert sh.gap_label(t, 0, len(t), sh.HEADER) is None


# ---- r003: 银川市本级部门项目支出绩效自评表, every cell glued, OCR damage -------------------

def test_r003_funds_block_with_its_line_label_before_the_header():
    # '项Fl资金(万兀)年度资金总额年初预匏数调整预算将,A、全年执行数(B)执行率(B/A)64.864.864.8100%'
    # = 64.8 | 64.8 | 64.8 | 100%: the only split into three amounts with B/A = 100%
    res = _grid(corpus_text("r003"))
    assert _row_holding(res, "项Fl资金(万兀)") == [
        "项Fl资金(万兀)", "年初预匏数", "调整预算将,A、", "全年执行数(B)", "执行率(B/A)"]
    assert _row_holding(res, "年度资金总额") == ["年度资金总额", "64.8", "64.8", "64.8", "100%"]


def test_r003_header_and_framework_categories():
    res = _grid(corpus_text("r003"))
    assert _row_holding(res, "一级指标") == [
        "一级指标", "二级指标", "三级指标", "考值参分", "指标值(八)", "全年实际值(B)", "得分",
        "未完成原因分析及改进措施"]
    # '项目管理(25分)投入管理\n2、预算执行率10一100%9财务管理财务管理制度有效性7一…'
    assert _row_holding(res, "预算执行率") == [
        "项目管理(25分)", "投入管理", "预算执行率", "10", "一", "100%", "9", ""]
    # the name repeats its level 2 (财务管理 | 财务管理制度有效性), never cut to 制度有效性
    assert _row_holding(res, "财务管理制度有效性")[1:4] == ["财务管理", "财务管理制度有效性", "7"]


def test_r003_text_between_target_and_actual_is_refused_not_split():
    # '项目目标完整性4一目标明确、内容细化、目标量化4': weight 4, score 4 are written; which part
    # of the text is the target and which the actual is not
    res = _grid(corpus_text("r003"))
    row = _row_holding(res, "完整性")
    assert row[:4] == ["项目决策(10分)", "项目目标", "完整性", "4"] and row[4:7] == ["", "", "4"]
    assert "一目标明确、内容细化、目标量化" in _paragraphs(res)
    assert any("target or the actual" in n and "一目标明确" in n for n in res.notes)


def test_r003_letters_read_for_digits_place_the_score_cell():
    # '数量指标(10分)保障人数102370人2370人IO指标2:' = 10 | 2370人 | 2370人 | IO; the
    # placeholder row '指标2:' is no row
    res = _grid(corpus_text("r003"))
    assert _row_holding(res, "保障人数")[2:7] == ["保障人数", "10", "2370人", "2370人", "IO"]
    assert sv.ocr_points("IO") == 10 and sv.points("IO") is None
    assert sv.ocr_points("O") is None  # one letter alone is not read
    assert "指标2:" not in [c for r in _rows(res) for c in r]


def test_r003_garbled_figure_is_a_cell_never_a_number():
    # '绿化、水电费等成本3M.8万元14.8万元3' = 3 | M.8万元 | 14.8万元 | 3
    res = _grid(corpus_text("r003"))
    assert _row_holding(res, "绿化、水电费等成本")[2:7] == ["绿化、水电费等成本", "3", "M.8万元", "14.8万元", "3"]
    assert sv.is_value("M.8万元") == "garbled" and sv.money("M.8万元") is None


def test_r003_key_value_running_into_a_garbled_label_is_refused():
    # '主管部门银川市教育局实施第位自评得分98': 实施第位 is 实施单位 garbled, so where the
    # 主管部门 value ends is not written
    res = _grid(corpus_text("r003"))
    assert _row_holding(res, "主管部门") == ["主管部门"]
    assert "银川市教育局实施第位" in _paragraphs(res)
    # a name holding a label-like word in the middle is not cut (r058 项目名称 …项目小型水库…)
    assert sh.holds_label("中江县农业水价综合改革精准补贴和节水奖励项目小型水库水标尺制作安装") is None


# ---- r016: 2020年度长江禁捕项目自评表 -------------------------------------------------------

def test_r016_page_marker_inside_a_figure_refuses_the_row():
    # '时效指标12月底之前完成10\n2、0%100%10': the marker '2、' falls inside '100%'
    res = _grid(corpus_text("r016"))
    assert not any("12月底之前完成" in c for r in _rows(res) for c in r)
    t = "12月底之前完成10\n2、0%100%10"
    run = gr.Text(t, 0, len(t), [(t.index("\n"), t.index("、") + 1)])
    assert run.splits_figure(t.index("\n"))
    rds = gri.indicator_readings(run, ("target", "actual", "score"), True, None)
    assert not any("0%" == t[a:b] for rd in rds for row in rd for a, b in row[1:4])


def test_r016_total_line_figures_before_words():
    # '总分100偏差大或目标未完成原因分析无…'
    res = _grid(corpus_text("r016"))
    assert _row_holding(res, "总分") == ["总分", "", "", "", "100"]
    assert _row_holding(res, "渔船补贴发放率") == ["质量指标", "渔船补贴发放率", "100%", "100%", "10"]


def test_r003_category_label_cut_by_a_page_marker():
    # '社会效益\n3、指标效果显著15改善学校的办学条件改善学校的办学条件13': the marker '3、' of the
    # next page cuts the level 2 社会效益指标; the row is 效果显著 | 15 | … | 13
    res = _grid(corpus_text("r003"))
    row = _row_holding(res, "效果显著")
    assert row[1:7] == ["社会效益\n3、指标", "效果显著", "15", "改善学校的办学条件", "改善学校的办学条件", "13"]
    assert normalize_level2("社会效益\n3、指标").name == "社会效益指标"
    # a marker between two words that make no label joins nothing ('投入管理\n2、预算执行率')
    assert _row_holding(res, "预算执行率")[1] == "投入管理"


def test_r003_glued_goal_pair_and_unreadable_completion():
    # '年初设定目标保障学校正常工作运行年度总体目标完成情况公,4': the goal text runs to the
    # next label; the completion cell holds OCR residue only ('公,4'), so it is not read
    res = _grid(corpus_text("r003"))
    assert _row_holding(res, "年初设定目标") == ["年初设定目标", "年度总体目标完成情况"]
    assert _row_holding(res, "保障学校正常工作运行") == ["保障学校正常工作运行", ""]
    assert "公,4" in _paragraphs(res)


def test_r009_two_goal_column_labels_are_no_goal_pair():
    # '项目绩效目标长期目标年度目标改善镇域内基础设施,振兴乡村经济全面完成…': 长期目标 | 年度目标
    # are column labels, the two texts after them glued: no goal text is cut from them
    res = _grid(corpus_text("r009"))
    assert not any(c.startswith("改善镇域内") for r in _rows(res) for c in r)


def test_r003_records_publish_no_value_from_unread_cells():
    # the whole pipeline on r003: the framework rows keep their written points and publish no
    # target / actual (not an empty value: op and kind stay null); the garbled 'M.8万元'
    # publishes nothing, the actual 14.8万元 beside it is read
    from pipeline.process import process_file
    text = corpus_text("r003")
    recs = process_file(text.encode("utf-8"), "r003.txt")
    ind = {r["name"]: r for r in recs["indicators"]}
    row = ind["完整性"]
    assert (row["level1"], row["level2"], row["weight"], row["score"]) == ("项目决策", "项目目标", 4, 4)
    assert row["target_raw"] is row["actual_raw"] is row["target_op"] is row["actual_op"] is None
    assert ind["预算执行率"]["actual_value"] == 100 and ind["预算执行率"]["score"] == 9
    green = ind["绿化、水电费等成本"]
    assert green["target_raw"] is None and green["target_value"] is None
    assert green["actual_value"] == 148000 and green["weight"] == 3
    # IO is no number: the row is published, its score is not
    assert ind["保障人数"]["weight"] == 10 and ind["保障人数"]["score"] is None
    funds = {(f["item"], f["measure"]): f["amount_yuan"] for f in recs["funds"]}
    assert funds[("年度资金总额", "budget_initial")] == funds[("年度资金总额", "executed")] == 648000
