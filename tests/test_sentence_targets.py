"""Indicator rows whose 指标值 / 完成值 are sentences (dev r063, a whitespace-row table whose
web page dropped the empty cells): the cells are aligned to the columns every row fills,
and a sentence stating one count is read as that count."""
from __future__ import annotations

from decimal import Decimal as D

from .conftest import corpus_text


def _indicators(rid: str) -> list[dict]:
    from pipeline.process import process_file
    text = corpus_text(rid)
    return process_file(text.encode("utf-8"), f"{rid}.txt")["indicators"]


def test_r063_sentence_targets_and_actuals():
    rows = {r["name"]: r for r in _indicators("r063")}
    # '数量指标  指标1:政府办基层医疗卫生机构实施国家基本药物制度覆盖率 实施乡镇社区基层医疗机构37个。
    #  本年度已完成37个基层医疗机构基药补助制度实施。'
    r = rows["政府办基层医疗卫生机构实施国家基本药物制度覆盖率"]
    assert (r["target_op"], r["target_value"], r["target_unit"], r["target_kind"]) == ("=", D("37"), "个", "count")
    assert r["actual_raw"] == "本年度已完成37个基层医疗机构基药补助制度实施。"
    assert (r["actual_op"], r["actual_value"], r["actual_unit"]) == ("=", D("37"), "个")
    assert r["deviation_note"] is None  # the second sentence is the 全年完成值, not the note
    # ' 指标2:村卫生室实施国家基本药物制度 实施基本药物制度补助村卫生室352个。 本年度已完成352个村卫生室基药补助的实施。'
    r = rows["村卫生室实施国家基本药物制度"]
    assert (r["target_value"], r["target_unit"], r["actual_value"], r["actual_unit"]) == (D("352"), "个", D("352"), "个")
    # '质量指标  指标1:基层医疗卫生机构实施基本药物制度补助。 37个基层医疗机构 100%'
    r = rows["基层医疗卫生机构实施基本药物制度补助。"]
    assert (r["target_op"], r["target_value"], r["target_unit"]) == ("=", D("37"), "个")
    assert (r["actual_op"], r["actual_value"], r["actual_unit"]) == ("=", D("100"), "%")
    # refused: the row cut mid-name (' 指标2:村卫生') has no value to read
    cut = [r for r in rows.values() if r["name_raw"] == "指标2:村卫生"]
    assert cut and all(r["target_value"] is None and r["actual_value"] is None for r in cut)
