"""Facts written as a label cell and the value cell after it (extractors/forms/facts.py):
dev r002's 基本概况 table, pasted as one cell per paragraph."""
from __future__ import annotations

from decimal import Decimal as D

from .conftest import corpus_text


def test_r002_staff_figures_of_a_report_stream():
    from pipeline.process import process_file
    text = corpus_text("r002")
    # '人员编制' / '' / '21' / '' / '实有人数' / '' / '21': label and value on their own paragraphs
    assert "人员编制\n\n21\n\n实有人数\n\n21" in text
    recs = process_file(text.encode("utf-8"), "r002.txt")
    facts = {f["key"]: f for f in recs["facts"]}
    assert (facts["staff_authorized"]["value"], facts["staff_authorized"]["unit"]) == (D("21"), "人")
    assert facts["staff_authorized"]["label_raw"] == "人员编制"
    assert (facts["staff_actual"]["value"], facts["staff_actual"]["unit"]) == (D("21"), "人")
    # refused: 联系电话's 8690022 is no staff figure, and no 控制率 is stated (21/21 is not read)
    assert set(facts) == {"staff_authorized", "staff_actual"}


def test_a_label_followed_by_no_exact_figure_gives_no_fact():
    from pipeline.process import process_file
    # r002 with its two values made uncertain: text, and an approximation
    text = corpus_text("r002").replace("人员编制\n\n21", "人员编制\n\n按核定编制执行").replace(
        "实有人数\n\n21", "实有人数\n\n21人左右")
    recs = process_file(text.encode("utf-8"), "r002.txt")
    assert not [f for f in recs["facts"] if f["key"].startswith("staff_")]
