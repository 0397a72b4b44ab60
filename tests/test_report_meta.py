"""A report's unit, project and year where it states no 单位名称 field: the unit its title
names first, the project of its title's parenthetical, the one year its text speaks of
(extractors/forms/parsers.py: section_meta, title_unit)."""
from __future__ import annotations

import pytest

from .conftest import corpus_text


@pytest.mark.parametrize("title,unit", [
    ("红河州数据发展中心2024年度项目支出绩效单位自评报告", "红河州数据发展中心"),  # r005
    ("耒阳市第四中学专项资金绩效自评价报告", "耒阳市第四中学"),  # r006: no year, the subject follows
    ("红河州第二人民医院国家基本公共卫生服务项目州级补助资金2023年度绩效自评报告", "红河州第二人民医院"),  # r012
    ("万源市民政局 关于2021年度困难群众救助补助专项转移支付资金绩效自评报告", "万源市民政局"),  # r038
    ("许昌市河湖水系水源调度中心 2022 年整体和项目支出绩效自评总结报告", "许昌市河湖水系水源调度中心"),  # r011
    # refused: the head names a place, not a unit, or the title starts with its year or subject
    ("枞阳县2023年度国家基本公共卫生", None),  # r036
    ("**河县2023年度中央水利发展资金绩效自评报告", None),  # r056
    ("2021年中央动物防疫等补助经费项目支出绩效自评报告", None),  # r043
    ("关心下一代专项资金项目自评报告", None),  # r004
    ("岳阳市2018年度部门整体支出绩效评价自评报告", None),  # r002
])
def test_unit_named_by_a_report_title(title, unit):
    from extractors.forms.parsers import title_unit
    assert title_unit(title) == unit


def _sections(rid: str) -> list[dict]:
    from pipeline.process import process_file
    return process_file(corpus_text(rid).encode("utf-8"), f"{rid}.txt")["sections"]


def test_report_year_from_the_one_year_of_its_text():
    # r004 '关心下一代专项资金项目自评报告': '项目资金执行情况:2017年,财政预算项目资金…';
    # the signature date '2018年6月5日' is a date, not a second year
    text = corpus_text("r004")
    assert "项目资金执行情况:2017年,财政预算项目资金" in text and text.endswith("中共保山市委办公室\n2018年6月5日")
    (sec,) = _sections("r004")
    assert sec["fiscal_year"] == 2017
    # refused: with a second year in its text, r004 names no fiscal year
    from pipeline.process import process_file
    two = text.replace("项目资金执行情况:2017年,", "项目资金执行情况:2017年(含2016年结转),")
    assert two != text
    (sec,) = process_file(two.encode("utf-8"), "r004.txt")["sections"]
    assert sec["fiscal_year"] is None


def test_report_project_from_its_title_parenthetical():
    # r054 '保山市图书馆2022年度项目支出绩效自评报告(2022年公共图书馆文化馆(站)免费开放市级补助经费)'
    sec = next(s for s in _sections("r054") if s["title"] and s["title"].startswith("保山市图书馆"))
    assert sec["project_name"] == "2022年公共图书馆文化馆(站)免费开放市级补助经费"
    assert sec["unit_name"] == "保山市图书馆" and sec["fiscal_year"] == 2022


def test_report_fields_written_as_sentences_lose_their_full_stop():
    # r043 '项目名称:2021年中央动物防疫等补助经费项目。' / '项目主管部门:昌宁县农业农村局。' /
    # '项目实施单位:更戛乡人民政府。'
    assert "项目主管部门:昌宁县农业农村局。\n项目实施单位:更戛乡人民政府。" in corpus_text("r043")
    (sec,) = _sections("r043")
    assert sec["project_name"] == "2021年中央动物防疫等补助经费项目"
    assert (sec["competent_dept"], sec["implementing_unit"]) == ("昌宁县农业农村局", "更戛乡人民政府")


def test_form_unit_from_the_page_heading_that_repeats_its_title():
    # r007 '南县民政局2022年项目支出绩效自评指标计分表' / '附件2' / '2022年项目支出绩效自评指标计分表'
    assert corpus_text("r007").startswith("南县民政局2022年项目支出绩效自评指标计分表\n附件2\n2022年项目支出绩效自评指标计分表")
    (sec,) = _sections("r007")
    assert sec["title"] == "2022年项目支出绩效自评指标计分表" and sec["unit_name"] == "南县民政局"


def test_heading_that_is_the_title_itself_names_no_unit():
    # refused: r063's breadcrumb repeats the title, whose head '旺苍县卫生健康局' is read from the
    # form's own 资金使用单位 field, not from a heading; a heading equal to the title adds nothing
    from extractors.forms.parsers import title_unit
    assert title_unit("2022年项目支出绩效自评指标计分表") is None


def test_report_unit_from_the_heading_under_a_file_name_title():
    # r011 '河湖水系2022年整体绩效自评总结报告.docx' (the file name, read as the title) over
    # '许昌市河湖水系水源调度中心 2022 年整体和项目支出绩效自评总结报告'
    text = corpus_text("r011")
    assert text.startswith("河湖水系2022年整体绩效自评总结报告.docx\n许昌市河湖水系水源调度中心 2022 年")
    (sec,) = _sections("r011")
    assert sec["unit_name"] == "许昌市河湖水系水源调度中心"


def test_title_printed_over_two_lines_after_a_page_table():
    # r036: the page's metadata table, then '枞阳县2023年度国家基本公共卫生' / '服务项目绩效评价自评报告'
    assert "| 0562-3211127 |\n枞阳县2023年度国家基本公共卫生\n服务项目绩效评价自评报告\n" in corpus_text("r036")
    report = next(s for s in _sections("r036") if s["form_type"] == "self_eval_report")
    assert report["title"] == "枞阳县2023年度国家基本公共卫生服务项目绩效评价自评报告"
    assert report["fiscal_year"] == 2023 and report["unit_name"] is None  # 枞阳县 is a place, not a unit


def test_line_before_a_complete_title_stays_out_of_it():
    # refused: r054 '•主题词' before '保山市图书馆2022年度项目支出绩效自评报告(…)': the title has its year
    titles = [s["title"] for s in _sections("r054")]
    assert "保山市图书馆2022年度项目支出绩效自评报告(2022年公共图书馆文化馆(站)免费开放市级补助经费)" in titles
    assert not any("主题词" in (t or "") for t in titles)


def test_report_unit_from_its_signature():
    # r004 ends '中共保山市委办公室' / '2018年6月5日'; its title names no unit
    (sec,) = _sections("r004")
    assert sec["unit_name"] == "中共保山市委办公室"
    # refused: a closing line that is a sentence, not a unit's name
    from pipeline.process import process_file
    text = corpus_text("r004").replace("中共保山市委办公室\n2018年6月5日", "特此报告。\n2018年6月5日")
    (sec,) = process_file(text.encode("utf-8"), "r004.txt")["sections"]
    assert sec["unit_name"] is None
