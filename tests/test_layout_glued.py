"""Glued cells (space_flat, OCR): rows rebuilt from cell shapes, split only where certain.

Every test quotes the dev-corpus line it reads (../shared/corpus/dev); the expected cells
are the gold file's (../shared/gold/dev/rNNN.jsonl) and the refusals are rows the gold
calls ambiguous or that no reading fits.
"""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors.layout import grammar as gr
from extractors.layout import grammar_funds as grf
from extractors.layout import grammar_indicators as gri
from extractors.layout.glued import glued_grid
from extractors.model import CELL, PARAGRAPH

from .conftest import cell_rows

DEV = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "dev"


def _text(rid: str) -> str:
    p = DEV / f"{rid}.txt"
    if not p.exists():
        pytest.skip(f"{p} not available")
    return p.read_text(encoding="utf-8")


def _grid(text: str):
    res = glued_grid(text, 0, len(text), 1)
    assert res is not None
    cell_rows(res.blocks, text)  # the span invariant
    return res


def _rows(res) -> list[list[str]]:
    return [[c.text for c in r] for r in cell_rows(res.blocks)]


def _row_starting(res, first: str) -> list[str]:
    hits = [r for r in _rows(res) if r and r[0] == first]
    assert hits, f"no row starting with {first!r}"
    return hits[0]


def _row_named(res, name: str) -> list[str]:
    hits = [r for r in _rows(res) if name in r]
    assert hits, f"no row holding {name!r}"
    return hits[0]


# ---- r058: 绩效目标自评表(2022年度), no separators at all ---------------------------------

def test_r058_fund_line_split_by_execution_rate():
    # '年度资金总额:202010100.00%10' = 20 | 20 | 10 | 100.00% | 10 (B/A = 100% needs A = B,
    # 10 x 100% = 10)
    res = _grid(_text("r058"))
    assert _row_starting(res, "资金情况(万元)") == [
        "资金情况(万元)", "全年预算数(A)", "全年执行数(B)", "分值", "执行率(B/A)", "得分"]
    assert _row_starting(res, "年度资金总额:") == ["年度资金总额:", "20", "20", "10", "100.00%", "10"]
    # '其中:本年财政拨款2020' = 20 | 20: the 其中 line sums to the total (其他资金 is empty)
    assert _row_starting(res, "其中:本年财政拨款") == ["其中:本年财政拨款", "20", "20", "", "", ""]
    assert _row_starting(res, "其他资金") == ["其他资金", "", "", "", "", ""]


def test_r058_indicator_rows_in_the_header_order():
    # header '一级指标二级指标三级指标分值年度指标值全年实际值得分未完成原因…': 分值 before 年度指标值
    res = _grid(_text("r058"))
    assert _row_starting(res, "一级指标") == [
        "一级指标", "二级指标", "三级指标", "分值", "年度指标值", "全年实际值", "得分",
        "未完成原因及拟采取的改进措施"]
    # '安装坡面水标尺10≥266米≥266米10'
    assert _row_named(res, "安装坡面水标尺") == [
        "产出指标(70分)", "数量指标", "安装坡面水标尺", "10", "≥266米", "≥266米", "10", ""]
    # '项目(工程)验收合格率20100%100%20'
    assert _row_named(res, "项目(工程)验收合格率")[2:7] == ["项目(工程)验收合格率", "20", "100%", "100%", "20"]
    # '项目计划总投资1020万元20万元10' = 10 | 20万元 | 20万元 | 10
    assert _row_named(res, "项目计划总投资") == [
        "", "成本指标", "项目计划总投资", "10", "20万元", "20万元", "10", ""]
    # '群众生产生活条件改善状况10显著提升显著提升10': the actual restates the target
    assert _row_named(res, "群众生产生活条件改善状况")[3:7] == ["10", "显著提升", "显著提升", "10"]
    # '总分100100' = 100 | 100
    assert _row_starting(res, "总分") == ["总分", "", "", "100", "", "", "100", ""]


def test_r058_key_value_rows_and_title():
    text = _text("r058")
    res = _grid(text)
    assert _row_starting(res, "项目名称") == ["项目名称", "中江县农业水价综合改革精准补贴和节水奖励项目小型水库水标尺制作安装"]
    assert _row_starting(res, "主管部门") == ["主管部门", "中江县水利局"]
    assert _row_starting(res, "实施单位") == ["实施单位", "中江县水利局"]
    paras = [b.text for b in res.blocks if b.kind == PARAGRAPH]
    assert "绩效目标自评表(2022年度)" in paras
    # cell spans point into the file: the score cell of the funds line
    cell = next(b for b in res.blocks if b.kind == CELL and b.text == "100.00%")
    assert text[cell.char_start - 6:cell.char_end + 2] == "202010100.00%10"


def test_r058_every_block_inside_the_region_and_in_reading_order():
    text = _text("r058")
    start = text.index("项目名称")
    end = text.index("注:1.")
    res = glued_grid(text, start, end, 5)
    assert res is not None
    assert all(start <= b.char_start <= b.char_end <= end for b in res.blocks)
    starts = [b.char_start for b in res.blocks]
    assert starts == sorted(starts)
    assert min(b.table_no for b in res.blocks if b.kind == CELL) == 5


# ---- r067: 2020年度县级专项资金绩效目标自评表, labels wrapped, page markers --------------------

def test_r067_fund_lines_and_sub_item_label():
    # '年度资金总额194.9194.9100%其中:中央、省、市补助县级资金194.9194.9100%'
    res = _grid(_text("r067"))
    assert _row_starting(res, "年度资金总额") == ["年度资金总额", "194.9", "194.9", "100%"]
    assert _row_starting(res, "其中:中央、省、市补助县级资金") == [
        "其中:中央、省、市补助县级资金", "194.9", "194.9", "100%"]


def test_r067_rows_across_wrapped_labels_and_page_markers():
    res = _grid(_text("r067"))
    # '数量 指标5000吨稻谷、500吨成 品粮储备到位率100%100%库存数量真实率100%\n2、100%'
    assert _row_named(res, "5000吨稻谷、500吨成 品粮储备到位率")[1:5] == [
        "数量 指标", "5000吨稻谷、500吨成 品粮储备到位率", "100%", "100%"]
    assert _row_named(res, "库存数量真实率")[2:5] == ["库存数量真实率", "100%", "100%"]
    # '县级储备粮库存粮 食明显变质比例00' = 0 | 0
    assert _row_named(res, "县级储备粮库存粮 食明显变质比例")[3:5] == ["0", "0"]
    # '粮食储备设备维 护及安全性\n3、高高' = 高 | 高 across the page marker
    assert _row_named(res, "粮食储备设备维 护及安全性")[3:5] == ["高", "高"]


def test_r067_text_actual_before_the_note_column_is_refused():
    # '利息费用保障率100%100%政策性挂账利息补 贴保障率100%无没有轮换、动用库存': the first row
    # is certain; where the second row's actual '无' ends and the 未完成原因 note begins is
    # not written -> that row stays a paragraph, with a note naming its offsets
    text = _text("r067")
    res = _grid(text)
    assert _row_named(res, "利息费用保障率")[1:5] == ["经济 效益 指标", "利息费用保障率", "100%", "100%"]
    run = "政策性挂账利息补 贴保障率100%无没有轮换、动用库存"
    assert any(b.kind == PARAGRAPH and b.text == run for b in res.blocks)
    assert not any(b.kind == CELL and "无没有" in b.text for b in res.blocks)
    at = text.index(run)
    assert any(f"[{at}:{at + len(run)}]" in n and "boundary not written" in n for n in res.notes)


# ---- r001: spaced rows (each cell one token) --------------------------------------------

def test_r001_spaced_rows_placed_by_tokens():
    res = _grid(_text("r001"))
    # '年度资金总额: 0 0 0 10 0 0' under 年初预算数 全年预算数 全年执行数 分值 执行率 得分
    assert _row_starting(res, "年度资金总额:") == ["年度资金总额:", "0", "0", "0", "10", "0", "0"]
    # '其中:本年财政拨款 90 89.974 89.974'
    assert _row_starting(res, "其中:本年财政拨款")[:4] == ["其中:本年财政拨款", "90", "89.974", "89.974"]
    # '提交报告及时性 在项目计划完成时间内完成 达成预期指标 8 8'
    assert _row_named(res, "提交报告及时性")[2:7] == [
        "提交报告及时性", "在项目计划完成时间内完成", "达成预期指标", "8", "8"]


# ---- r040: allocation list and a target form's funds --------------------------------------

def test_r040_allocation_list_and_target_funds():
    # '乡镇补助经费(万元)备注龙涓镇5长卿镇1.5龙门镇2…全县合计35'
    res = _grid(_text("r040"))
    assert _row_starting(res, "乡镇") == ["乡镇", "补助经费(万元)", "备注"]
    assert _row_starting(res, "龙涓镇") == ["龙涓镇", "5", ""]
    assert _row_starting(res, "长卿镇") == ["长卿镇", "1.5", ""]
    assert _row_starting(res, "全县合计") == ["全县合计", "35", ""]
    # '资金情况(万元)资金总额:35其中:财政拨款35其他资金'
    assert _row_starting(res, "资金总额:") == ["资金总额:", "35"]
    assert _row_starting(res, "其中:财政拨款") == ["其中:财政拨款", "35"]
    assert not any("items sum" in n for n in res.notes)  # the 24 towns sum to 35


# ---- r016 / r009 / r024: other funds blocks and key/value cells --------------------------

def test_r016_rate_written_as_a_ratio():
    # '预算执行情况(万元)(20分)预算数(A)执行数(B)执行率(B/A)得分(20分*执行率)年度财政资金总额1.561.56120'
    # = 1.56 | 1.56 | 1 | 20: B/A = 1 and 20 x 1 = 20 (the 分值 is the corner's (20分))
    res = _grid(_text("r016"))
    assert _row_starting(res, "年度财政资金总额") == ["年度财政资金总额", "1.56", "1.56", "1", "20"]
    # the OCR garble after the figures is no cell
    assert any(b.kind == PARAGRAPH and b.text.startswith("度效标O0B") for b in res.blocks)


def test_r009_one_amount_column_label_amount_lines():
    # '资金总额及构成总额10606.7522万元财政拨款:6923.3552万元(其中:上级财政资金:6923.3552万元;
    # 本级财政:0万元)二、自有资金:0万元三、其他:3683.3970万元'
    res = _grid(_text("r009"))
    assert _row_starting(res, "总额") == ["总额", "10606.7522万元"]
    assert _row_starting(res, "其中:上级财政资金:") == ["其中:上级财政资金:", "6923.3552万元"]
    assert _row_starting(res, "本级财政:") == ["本级财政:", "0万元"]
    assert _row_starting(res, "三、其他:") == ["三、其他:", "3683.3970万元"]
    # '项目负责人蒋建华联系电目起止时间2021年度资金总额…': the value runs over the garbled
    # label 联系电目 (联系电话) and 2021年度 could lend 年度 to 年度资金总额 -> both refused
    assert _row_starting(res, "项目负责人") == ["项目负责人"]
    assert any(b.kind == PARAGRAPH and b.text == "蒋建华联系电目" for b in res.blocks)
    assert _row_starting(res, "起止时间") == ["起止时间"]


def test_r024_key_values_stop_at_labels_and_phone_shape():
    # '主管部门财政处室自评总分(分)97.6部门联系人曾雪莲联系电话部门预算执行情况相)预资5…'
    res = _grid(_text("r024"))
    assert _row_starting(res, "主管部门财政处室") == ["主管部门财政处室", ""]
    assert _row_starting(res, "自评总分(分)") == ["自评总分(分)", "97.6"]
    assert _row_starting(res, "部门联系人") == ["部门联系人", "曾雪莲"]
    assert _row_starting(res, "联系电话") == ["联系电话"]  # no phone number follows


# ---- refusals and prose ---------------------------------------------------------------

def test_glued_figures_without_a_confirming_constraint_are_refused():
    # r058's '其中:本年财政拨款2020' without its total line: 20 | 20, 2020 | -, 202 | 0 all fit
    text = "资金情况(万元)全年预算数(A)全年执行数(B)其中:本年财政拨款2020"
    res = _grid(text)
    assert _row_starting(res, "其中:本年财政拨款") == ["其中:本年财政拨款"]
    assert any(b.kind == PARAGRAPH and b.text == "2020" for b in res.blocks)
    assert any("3 readings" in n and "2020" in n for n in res.notes)


def test_row_readings_are_counted():
    # r058 '受益脱贫(含监测对象)户人口数10≥1000人≥1000人10' with the score digits run into a
    # second weight: '…10≥1000人≥1000人1010' reads as 10|10 or 1|010 (invalid) -> one
    text = "受益脱贫(含监测对象)户人口数10≥1000人≥1000人10"
    rds = gri.indicator_readings(gr.Text(text, 0, len(text)), ("weight", "target", "actual", "score"), True, None)
    assert [[text[a:b] for a, b in row] for row in rds[0]] == [
        ["受益脱贫(含监测对象)户人口数", "10", "≥1000人", "≥1000人", "10"]]
    assert len(rds) == 1


def test_sub_item_readings_kept_by_the_total_line():
    # r058 '年度资金总额:202010100.00%10其中:本年财政拨款2020': the 其中 line alone has five
    # readings (20 | 20, 2020 | -, 202 | 0, ...); only 20 | 20 sums to the total line's 20 | 20
    text = "年度资金总额:202010100.00%10其中:本年财政拨款2020"
    roles = ("budget_full_year", "executed", "budget_weight", "execution_rate", "budget_score")
    t0, t1 = text.index(":") + 1, text.index("其中")
    s0 = text.index("拨款") + 2
    total = grf.fund_readings(gr.Text(text, t0, t1), roles)
    sub = grf.fund_readings(gr.Text(text, s0, len(text)), roles)
    assert [[text[a:b] for a, b in rd] for rd in total] == [["20", "20", "10", "100.00%", "10"]]
    assert sorted([text[a:b] for a, b in rd] for rd in sub) == [
        ["2", "0", "2", "0", ""], ["20", "2", "", "0", ""], ["20", "20", "", "", ""],
        ["202", "0", "", "", ""], ["2020", "", "", "", ""]]
    kept = grf.fund_block_filter(text, roles, [(False, total), (True, sub)])
    assert [[text[a:b] for a, b in rd] for rd in kept[1]] == [["20", "20", "", "", ""]]
    assert kept[0] == total


@pytest.mark.parametrize("rid", ["r004", "r006", "r012", "r027", "r029", "r043", "r005", "r011"])
def test_prose_reports_are_no_table(rid):
    # 自评报告 prose mentions 项目资金, 执行率, 自评得分 … but holds no header row or funds block
    text = _text(rid)
    assert glued_grid(text, 0, len(text), 1) is None


# ---- property: glue then split returns the cells or refuses, never a wrong split ---------

_HAN = "产品服务覆盖人数资金到位及时培训完成合格达标设施建设群众满意度项目验收"
_names = st.text(alphabet=_HAN, min_size=2, max_size=8)
_units = st.sampled_from(["%", "人", "万元", "个", "次", "天"])


@st.composite
def _value(draw):
    if draw(st.booleans()):
        return draw(st.sampled_from(["显著提升", "达标", "良好", "有效"]))
    op = draw(st.sampled_from(["", "≥", "≤"]))
    n = draw(st.integers(min_value=0, max_value=5000))
    frac = draw(st.sampled_from(["", ".5", ".25"])) if n else ""
    return f"{op}{n}{frac}{draw(_units)}"


@st.composite
def _row(draw):
    w = draw(st.integers(min_value=1, max_value=30))
    s = draw(st.integers(min_value=0, max_value=w))
    t = draw(_value())
    a = t if draw(st.booleans()) else draw(_value())
    return [draw(_names), str(w), t, a, str(s)]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_row(), min_size=1, max_size=4))
def test_glue_then_split_gives_the_cells_or_a_refusal(rows):
    weight = sum(int(r[1]) for r in rows)
    text = ("一级指标二级指标三级指标分值年度指标值全年实际值得分"
            f"产出指标({weight}分)数量指标" + "".join("".join(r) for r in rows))
    res = glued_grid(text, 0, len(text), 1)
    assert res is not None
    for b in res.blocks:
        assert text[b.char_start:b.char_end] == b.text
    body = [r for r in _rows(res)[1:] if len(r) == 7 and r[2]]
    published = [r[2:] for r in body]
    refused = "".join(b.text for b in res.blocks if b.kind == PARAGRAPH)
    for r in published:
        # a row is published whole, or with its target and actual left empty when the
        # qualitative text between them has no written boundary (the text is refused)
        full = r in rows
        partial = r[2] == r[3] == "" and any(
            g[:2] == r[:2] and g[4] == r[4] and g[2] + g[3] in refused for g in rows)
        assert full or partial, f"wrong split {r} of {rows}"
    # a row is either published or lies inside a refused paragraph
    for r in rows:
        assert r in published or r[0] in [p[0] for p in published] or "".join(r) in refused or r[0] in refused
    assert sum(Decimal(r[1]) for r in published) <= weight


_SOUP = ["一级指标", "二级指标", "三级指标", "分值", "年度指标值", "全年实际值", "得分", "产出指标(50分)",
         "数量指标", "满意度指标", "总分", "资金情况(万元)", "全年预算数(A)", "全年执行数(B)", "执行率",
         "年度资金总额:", "其中:本年财政拨款", "项目名称", "主管部门", "注:", "\n2、", "……", " ", "\n",
         "10", "100%", "≥95%", "20万元", "0", ".", "显著提升", "人", "(", "乡镇", "补助经费(万元)", "合计"]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_SOUP), max_size=60), st.integers(min_value=0, max_value=5))
def test_any_label_soup_gives_spans_inside_the_region_or_none(parts, cut):
    # bad input never crashes, and every block is an exact span inside [start, end)
    text = "".join(parts)
    start, end = min(cut, len(text)), len(text)
    res = glued_grid(text, start, end, 3)
    if res is None:
        return
    for b in res.blocks:
        assert start <= b.char_start <= b.char_end <= end
        assert text[b.char_start:b.char_end] == b.text
        if b.kind == CELL:
            assert b.table_no >= 3 and b.row >= 1 and b.col >= 1
