"""form_type from what the tables hold, the title breaking ties (extractors/forms/formtype.py).

Forms built in code; their cells are quoted from ../shared/corpus/dev (r060 Anhui
医疗救助补助资金转移支付项目绩效目标自评表, r053 Hubei 项目自评表, seed 004 部门整体支出绩效目标表).
"""
from __future__ import annotations

from decimal import Decimal as D

import pytest

from .formbuild import docx_form, extract_bytes, html_form

# r060 without its title line ('医疗救助补助资金转移支付项目绩效目标自评表' left out)
R060_TABLE = [
    [("转移支付(项目)名称", 2), ("医疗救助补助资金", 5)],
    [("中央主管部门", 2), ("医疗保障局", 5)],
    [("地方主管部门", 2), ("医疗保障局", 2), "资金使用单位", ("医疗保障局", 2)],
    [("绩效指标", 1, 3), "一级 指标", "二级指标", "三级指标", "指标值", "全年实际完成值", "未完成原因和改进措施"],
    [("产 出 指 标", 1, 2), "数量指标", "享受医疗救助人次", "≥50000人次", "110406", ""],
    ["质量指标", "医疗救助合规率", "100", "", ""],
]


def test_form_without_title_is_typed_by_its_indicator_table():
    out = extract_bytes(html_form(None, R060_TABLE), "f.html")
    (sec,) = out["sections"]
    # an indicator table with an actual column (全年实际完成值) and a project name
    assert (sec["form_type"], sec["classified_by"]) == ("project_self_eval", "tables")
    assert sec["title"] is None
    first = out["indicators"][0]
    assert (first["level1"], first["name"], first["target_op"], first["target_value"], first["actual_value"]) == (
        "产出指标", "享受医疗救助人次", ">=", D(50000), D(110406))


# r053's indicator table (年初目标值(A) | 实际完成值(B) | 得分) under a title that names a target form
R053_ROWS = [
    ["项目名称", ("共享工程", 5)],
    [("年度绩效目标1 (80分)", 1, 3), "一级指标", "二级指标", "三级指标", "年初目标值(A)", "实际完成值(B)", "得分"],
    [("产出指标(40分)", 1, 2), "数量指标", "一个存储备份器", "25TB", "25TB", "10"],
    ["数量指标", "WIFI布点全覆盖", "100%覆盖", "100%覆盖", "10"],
]


def test_title_naming_another_type_yields_to_the_tables():
    # title of r031 ('…绩效目标表'), table of a self-evaluation (r053)
    out = extract_bytes(docx_form("抗疫特别国债项目绩效目标表(打捆项目)", R053_ROWS), "f.docx")
    (sec,) = out["sections"]
    assert (sec["form_type"], sec["classified_by"]) == ("project_self_eval", "tables")
    assert "title names project_target" in sec["status_message"]
    assert [(r["name"], r["actual_raw"], r["score"]) for r in out["indicators"]] == [
        ("一个存储备份器", "25TB", D(10)), ("WIFI布点全覆盖", "100%覆盖", D(10))]


def test_title_that_agrees_keeps_classified_by_title():
    out = extract_bytes(docx_form("2022年度共享工程项目自评表", R053_ROWS), "f.docx")
    (sec,) = out["sections"]
    assert (sec["form_type"], sec["classified_by"]) == ("project_self_eval", "title")


def test_overall_target_title_with_inserted_words():
    # seed 004's 部门名称 / 部门职能职责概述 rows and indicator header under a title with an
    # inserted word ('…绩效目标申报表'): a 部门整体 form without actual column
    rows = [
        ["部门名称", ("长沙市望城区卫生健康局", 4)],
        ["部门职能职责概述", ("1、贯彻执行国民健康政策及国家卫生健康法律法规。2、负责全区卫生应急工作。", 4)],
        ["一级指标", "二级指标", "名称", "指标内容", "指标值"],
        ["产出指标", "数量指标", "人才培养经费", "外出培训人次", "大于等于120人次"],
    ]
    out = extract_bytes(html_form("2023年部门整体支出绩效目标申报表", rows), "f.html")
    (sec,) = out["sections"]
    assert sec["form_type"] == "overall_target"
    assert sec["unit_name"] == "长沙市望城区卫生健康局"
    (ind,) = out["indicators"]
    assert (ind["item"], ind["name"], ind["target_op"], ind["target_value"], ind["actual_raw"]) == (
        "人才培养经费", "外出培训人次", ">=", D(120), None)


def test_undecided_section_still_has_its_tables_read():
    # r060's 资金投入情况 block alone: no title, no indicator table; its fund lines are read
    rows = [
        [("资金投入情况(万元)", 3), "全年预算数(A)", "全年执行数(B)", ("预算执行率(B/A×100%)", 2)],
        [("年度资金总额:", 3), "3359.62万", "3359.62万", ("100%", 2)],
    ]
    out = extract_bytes(html_form(None, rows), "f.html")
    (sec,) = out["sections"]
    assert sec["form_type"] == "unknown" and sec["status"] == "partial"
    assert "form type not decided" in sec["status_message"]
    assert [(f["item"], f["measure"], f["amount_yuan"]) for f in out["funds"]] == [
        ("年度资金总额", "budget_full_year", D("33596200.00")), ("年度资金总额", "executed", D("33596200.00"))]


def test_allocation_table_as_fund_lines():
    # r048 附件1 下达2022年中央林业草原生态保护恢复资金预算安排表, 单位:万元:
    # '序号 | 单位 | 合计 | 天保工程社会保险补助 | …' then '1 | 县林业局 | 3454 | 4 | 2400 | 1050'
    rows = [
        ["序号", "单位", "合计", "天保工程社会保险补助", "政社性支出", "新一轮退耕还林还草现金补助"],
        ["1", "县林业局", "3454", "4", "2400", "1050"],
        ["2", "县国有林场", "63", "", "63", ""],
    ]
    out = extract_bytes(html_form("下达2022年中央林业草原生态保护恢复资金预算安排表", rows,
                                  paragraphs=["单位:万元"]), "f.html")
    assert [(f["item"], f["measure"], f["measure_raw"], f["amount_yuan"]) for f in out["funds"]] == [
        ("县林业局", "budget", "合计", D("34540000.00")), ("县国有林场", "budget", "合计", D("630000.00"))]
    assert out["sections"][0]["unit_name"] is None  # '单位 | 合计' is a header, not a unit


def test_allocation_list_without_sequence_column():
    # r040 附件1 2025年安溪县中央财政动物强制免疫补助资金分配表:
    # '乡镇补助经费(万元)备注龙涓镇5长卿镇1.5…凤城镇0.5全县合计35' (no 序号 column)
    rows = [["乡镇", "补助经费(万元)", "备注"], ["龙涓镇", "5", ""], ["长卿镇", "1.5", ""],
            ["凤城镇", "0.5", ""], ["全县合计", "7", ""]]
    out = extract_bytes(html_form("2025年安溪县中央财政动物强制免疫补助资金分配表", rows), "f.html")
    assert [(f["item"], f["item_raw"], f["parent_item"], f["measure"], f["measure_raw"], f["amount_yuan"])
            for f in out["funds"]] == [
        ("龙涓镇", "龙涓镇", "合计", "budget", "补助经费(万元)", D("50000.00")),
        ("长卿镇", "长卿镇", "合计", "budget", "补助经费(万元)", D("15000.00")),
        ("凤城镇", "凤城镇", "合计", "budget", "补助经费(万元)", D("5000.00")),
        ("合计", "全县合计", None, "budget", "补助经费(万元)", D("70000.00"))]
    assert out["sections"][0]["fiscal_year"] == 2025


def test_report_anchors_but_only_form_tables_is_a_form():
    # r033 (traditional characters, pinyin annotations): a cover of label:value lines, then
    # '一、項目基本概況' and '二、項目支出明細情況' tables; its anchors (項目基本概況, 績效自評)
    # name a report, but it holds no prose, only a funds table and an expense list
    paragraphs = ["評價類型:項目實施過程評價□項目完成結果評價□", "項目名稱:岳陽縣農村公路養(yǎng)護",
                  "項目單位:岳陽縣農村公路養(yǎng)護中心", "主管部門:岳陽縣交通運輸局",
                  "評價方式:部門(單位)績效自評", "報告日期:2021年07月12日", "一、項目基本概況"]
    rows = [["項目負責人", "劉軍勇", "聯(lián)系電話", "13874011973"],
            ["計劃安排資金 (萬元)", "700", "實際到位資金 (萬元)", "7,00.0,77", "結余 (萬元)", "0"],
            ["其中:中央財政", "", "其中:中央財政", "", "其中:中央財政", ""],
            ["縣財政", "700", "縣財政", "7,00.0,77", "縣財政", ""],
            ["二、項目支出明細情況", "", "", ""],
            ["支出內容", "實際支出數(shù)", "會計憑證號", "備注"],
            ["30226 勞務費", "50,000.00", "2020年01月記賬 9", "付曠宴良榮黃線養(yǎng)護勞務費"]]
    out = extract_bytes(html_form(None, rows, paragraphs=paragraphs), "f.html")
    (sec,) = out["sections"]
    assert (sec["form_type"], sec["classified_by"]) == ("project_self_eval", "tables")
    assert sec["unit_name"] == "岳陽縣農村公路養(yǎng)護中心"
    got = [(f["item"], f["measure"]) for f in out["funds"]]
    assert ("计划安排资金", "budget") in got
    assert ("劳务费", "executed") in got  # the economic code 30226 is no part of the name
    # '支出內容 | 實際支出數(shù)' states no unit; '50,000.00' is written to the fen with thousands
    # separators: 元 (50,000 萬元 would be 5亿 for a 700 萬元 project)
    assert [f["amount_yuan"] for f in out["funds"] if f["item"] == "劳务费"] == [D("50000.00")]
    # '7,00.0,77' is no number: never read
    assert not any(f["measure_raw"].startswith("實際到位資金") for f in out["funds"])
    # a balance (結余) is no budget line: not published as one
    assert not any(f["item_raw"].startswith("結余") for f in out["funds"])
    # '縣財政 | 700' under the 計劃安排資金 column: a sub-line of it
    assert [(f["item"], f["parent_item"], f["measure"], f["measure_raw"], f["amount_yuan"]) for f in out["funds"]
            if f["item_raw"] == "縣財政"] == [("县财政", "计划安排资金", "budget", "計劃安排資金(萬元)", D("7000000.00"))]


def test_report_heading_only_section_folds_into_the_report():
    # r002 (one cell per paragraph): the web page title '岳阳市城市管理监督指挥中心2018绩效评价自评报告及评分表
    # (整体支出…)', '来源:财务科', and the cover heading printed over two paragraphs
    # '岳阳市2018年度部门整体支出' / '绩效评价自评报告': one report, not two
    text = "\n\n".join([
        "岳阳市城市管理监督指挥中心2018绩效评价自评报告及评分表(整体支出和数字城管信息采集服务费专项支出)",
        "来源:财务科   2019-07-09 16:55", "浏览量:1 | | | |", "岳阳市2018年度部门整体支出", "绩效评价自评报告",
        "部门(单位)名称:  岳阳市城市管理监督指挥中心", "评价方式:部门(单位)绩效自评", "报告日期:2019年06月18日",
        "一、部门(单位)基本概况", "联系人", "吴俊", "联络电话", "8690022", "人员编制", "21", "实有人数", "21"])
    out = extract_bytes(text.encode("utf-8"), "f.txt")
    (sec,) = out["sections"]
    assert (sec["form_type"], sec["fiscal_year"], sec["unit_name"]) == (
        "self_eval_report", 2018, "岳阳市城市管理监督指挥中心")


def test_untyped_section_title_from_a_title_cell():
    # r048 (one cell per paragraph): '附件1' / '下达2022年中央林业草原生态保护恢复资金预算安排表' / '单位:万元'
    # / '序号' / '单位' / '合计' …: the table's heading is its title, its year the section's
    from .conftest import SHARED
    p = SHARED / "corpus" / "dev" / "r048.txt"
    if not p.exists():
        pytest.skip(f"{p} not available")
    out = extract_bytes(p.read_bytes(), p.name)
    sec = next(s for s in out["sections"] if s["attachment_label"] == "附件1")
    assert (sec["title"], sec["fiscal_year"]) == ("下达2022年中央林业草原生态保护恢复资金预算安排表", 2022)
    assert [(f["item"], f["period_year"]) for f in out["funds"] if f["section_id"] == sec["section_id"]] == [
        ("县林业局", 2022), ("县国有林场", 2022)]


def test_heading_only_sections_fold_into_the_form():
    # r063: the page's breadcrumb and heading name the form twice before the form itself
    crumb = "当前位置:首页 财政资金 > 旺苍县卫生健康局基本药物制度补助资金转移支付区域(项目)绩效目标自评表"
    title = "旺苍县卫生健康局基本药物制度补助资金转移支付区域(项目)绩效目标自评表"
    rows = [
        ["项目资金(万元)", "全年预算数(A)", "全年执行数(B)", "执行率(B/A)"],
        ["年度资金总额:", "2300.67", "2300.67", "100%"],
        ["其中:中央补助", "442.43", "442.43", "100%"],
    ]
    out = extract_bytes(html_form(None, rows, paragraphs=[
        crumb, title, "发布时间:2022-06-01 来源:县卫生健康局", title, "(2021年度)",
        "地方主管部门 旺苍县卫生健康局 资金使用单位 旺苍县卫生健康局"]), "f.html")
    (sec,) = out["sections"]
    assert sec["fiscal_year"] == 2021
    assert (sec["competent_dept"], sec["implementing_unit"]) == ("旺苍县卫生健康局", "旺苍县卫生健康局")
    assert [(f["item"], f["measure"], f["amount_yuan"]) for f in out["funds"]][:2] == [
        ("年度资金总额", "budget_full_year", D("23006700.00")), ("年度资金总额", "executed", D("23006700.00"))]
