"""Duties and goals of narrative reports (extractors/narrative/goals.py) as goals rows."""
from __future__ import annotations

import pytest

from extractors.narrative import analyze_report
from normalizers.text import fold_ws
from tests.conftest import D000
from tests.test_narrative import CORPUS, line_paragraphs

needs_corpus = pytest.mark.skipif(not CORPUS.exists(), reason="shared dev corpus not available")


def _goals(name: str):
    text = (CORPUS / f"{name}.txt").read_text(encoding="utf-8")
    a = analyze_report(line_paragraphs(text))
    for g in a.goals:  # exact spans into the document text
        assert fold_ws(text[g["expected_start"]:g["expected_end"]]).strip() == g["expected_text"]
    return text, a.goals


def test_seed_report_duties(published):
    # seed 000 附件4 「（一）职能职责」: 15 numbered paragraphs 「1、贯彻执行国民健康政策…」 … 「15、有关职责分工 （1）、…」
    goals = [g for g in published["goals"] if g["section_id"] == f"{D000}:6"]
    assert [g["kind"] for g in goals] == ["duty"] * 15
    assert [g["ordinal"] for g in goals] == list(range(1, 16))
    assert [g["goal_id"] for g in goals] == [f"{D000}:6:d{n}" for n in range(1, 16)]
    assert goals[0]["expected_text"].startswith("贯彻执行国民健康政策及国家和省、市关于卫生健康工作的方针政策")
    assert goals[11]["expected_text"] == "指导区计划生育协会的业务工作。"
    assert goals[13]["expected_text"].startswith("职能转变。区卫健局应当牢固树立大卫生、大健康理念")
    # item 15 keeps its （1）-（4） sub-items in one duty
    assert goals[14]["expected_text"].startswith("有关职责分工（1）、与区发展和改革局的有关职责分工。")
    assert "（4）、与区医疗保障局的有关职责分工。" in goals[14]["expected_text"]
    text = next(d["text"] for d in published["documents"] if d["doc_id"] == D000)
    blocks = {b["block_id"]: b for b in published["blocks"]}
    for g in goals:
        assert g["actual_text"] is None and g["actual_block"] is None
        assert fold_ws(text[g["expected_start"]:g["expected_end"]]) == g["expected_text"]
        b = blocks[g["expected_block"]]
        assert b["section_id"] == f"{D000}:6" and b["char_start"] <= g["expected_start"] < b["char_end"]


@needs_corpus
def test_r038_two_lists_of_annual_goals():
    # 「年度总体目标:1.提升城乡低保…幸福指数2.切实保障代发系统一卡通…速度3.加快推进…服务能力。」
    # and, for the 省内 funds, 「年度总体目标:」 followed by one item per paragraph
    text, goals = _goals("r038")
    assert [g["kind"] for g in goals] == ["goal"] * 6
    assert [g["expected_text"] for g in goals] == [
        "提升城乡低保、特困供养、临时救助、事实无人抚养儿童、孤儿生活保障及流浪乞讨人员救助人员获得感、幸福指数",
        "切实保障代发系统一卡通信息系统高效、安全运行,提高数据采集质量和速度",
        "加快推进一卡通代发数据,有效提升综合监管、宣传引导、经办服务等救助保障服务能力。",
        "提升城乡低保、特困供养、临时救助、事实无人抚养儿童、孤儿生活保障及流浪乞讨人员救助人员获得感、幸福指数。",
        "切实保障代发系统“一卡通”信息系统高效、安全运行,提高数据采集质量和速度。",
        "加快推进“一卡通”代发数据,有效提升综合监管、宣传引导、经办服务等救助保障服务能力。",
    ]
    assert all(g["actual_text"] is None for g in goals)


@needs_corpus
def test_r068_duty_and_goal_in_flattened_text():
    # 「(一)部门职能 我局负责拟订和组织实施全市国民经济…保障粮食和物资储备安全等。 (二)设置机构…」
    # 「(四)部门整体支出绩效目标 我局部门整体支出绩效目标:一是做好稳投资促增长工 作;二是」
    text, goals = _goals("r068")
    assert [g["kind"] for g in goals] == ["duty", "goal"]
    assert goals[0]["expected_text"].startswith("我局负责拟订和组织实施全市国民经济和社会发展战略、中长期规划")
    assert goals[0]["expected_text"].endswith("保障粮食和物资储备安全等。")
    assert goals[1]["expected_text"] == "做好稳投资促增长工作;"   # PDF wrap space folded


@needs_corpus
@pytest.mark.parametrize("name, expected", [
    # r043 「项目建设目标:通过项目的实施,重大动物群体免疫密度达90%以上,…病死猪专业无害化处理率不断提高。」
    ("r043", "通过项目的实施,重大动物群体免疫密度达90%以上,抗体合格率常年保持70%以上,病死猪专业无害化处理率不断提高。"),
    # r006 「…本级59.75万元,项目绩效目标是保证学校的正常运转二、项目资金使用及管理情况…」
    ("r006", "保证学校的正常运转"),
])
def test_inline_goal_label(name, expected):
    text, goals = _goals(name)
    assert [(g["kind"], g["expected_text"]) for g in goals] == [("goal", expected)]


@needs_corpus
@pytest.mark.parametrize("name", ["r004", "r012", "r027", "r029", "r036", "r054"])
def test_headings_about_goals_are_not_goals(name):
    # 「一、绩效目标分解下达情况」, 「(二)总体绩效目标完成情况分析」, 「(二)项目绩效目标情况。」,
    # 「四、绩效目标未完成原因和下一步改进措施」: about the goals, not the goals
    assert _goals(name)[1] == []


@needs_corpus
def test_completion_paired_item_by_item():
    """r038's 省内 goal list followed by a completion section stating each item."""
    text = (CORPUS / "r038.txt").read_text(encoding="utf-8")
    start = text.index("    年度总体目标:\n")
    end = text.index("    (三)市县资金")
    body = text[start:end] + ("    (四)绩效目标完成情况\n\n    1.获得感、幸福指数明显提升。\n\n"
                              "    2.一卡通系统全年安全运行。\n\n    3.救助保障服务能力进一步提升。\n")
    a = analyze_report(line_paragraphs(body))
    assert [(g["expected_text"][:6], g["actual_text"]) for g in a.goals] == [
        ("提升城乡低保", "获得感、幸福指数明显提升。"),
        ("切实保障代发", "一卡通系统全年安全运行。"),
        ("加快推进“一", "救助保障服务能力进一步提升。"),
    ]
    for g in a.goals:
        assert fold_ws(body[g["actual_start"]:g["actual_end"]]) == g["actual_text"]


@needs_corpus
def test_duty_from_a_label_cell_of_a_form_like_report():
    # r002 (one cell per paragraph): the label cell 「职能职责概述」, then the text cell
    # 「负责全市数字化城市管理监督、指挥、调度和协调工作。…负责对县市区数字化城市管理工作的业务指导。」
    from pipeline.process import process_file
    p = CORPUS / "r002.txt"
    rec = process_file(p.read_bytes(), p.name)
    duties = [g for g in rec["goals"] if g["kind"] == "duty"]
    assert len(duties) == 1
    d = duties[0]
    assert d["expected_text"].startswith("负责全市数字化城市管理监督、指挥、调度和协调工作。")
    assert d["expected_text"].endswith("负责对县市区数字化城市管理工作的业务指导。")
    block = next(b for b in rec["blocks"] if b["block_id"] == d["expected_block"])
    assert block["kind"] == "cell" and block["text"].strip() == d["expected_text"]
