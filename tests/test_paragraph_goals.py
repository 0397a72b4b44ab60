"""Goal rows of a form that reach us as one-line paragraphs, labels and text separated by
spaces (extractors/forms/goals.py: paragraph_goals)."""
from __future__ import annotations

from .conftest import corpus_text


def _records(rid: str, text: str | None = None) -> dict:
    from pipeline.process import process_file
    return process_file((text or corpus_text(rid)).encode("utf-8"), f"{rid}.txt")


def test_r030_goal_rows_given_as_paragraphs():
    text = corpus_text("r030")
    line = ("项目年度绩效目标情况 长期绩效目标 落实并进一步完善学前教育经费保障机制,按标准足额落实学前教育"
            "生均补助专项经费,支持我县公办和普惠性民办幼儿园的优质发展,向社会提供优质普惠性服务。")
    assert line in text and "\n本年度绩效目标 按照省厅要求按人均500" in text
    goals = _records("r030")["goals"]
    assert [(g["kind"], g["ordinal"]) for g in goals] == [("goal", 1), ("goal", 2)]
    assert goals[0]["expected_text"] == line.split(" ", 2)[2] and goals[0]["actual_text"] is None
    # the span points at the text, after the two labels
    assert text[goals[0]["expected_start"]:goals[0]["expected_end"]] == line.split(" ", 2)[2]
    assert goals[1]["expected_text"] == "按照省厅要求按人均500"


def test_page_markers_naming_the_form_are_no_goal_labels():
    # r009 '项目绩效目标表_第1页' … '项目绩效目标表_第5页' / '全文预览已结束': the form's title, not a row
    assert "项目绩效目标表_第5页\n全文预览已结束" in corpus_text("r009")
    goals = _records("r009")["goals"]
    assert not any("全文预览" in (g["expected_text"] or "") for g in goals)
    # nor in one line: a title word before text
    text = "项目绩效目标表(2021年度) 全文预览已结束下载本文档\n"
    assert not _records("r009x", text)["goals"]
