"""The early stops of the glued indicator grammar (``grammar_indicators._CELL_CAP`` and
``_NOT_IN_NAME``) only skip cell ends that no cell could take, and the walk drops only rows
the row check refuses (``_DROP_TWO_TEXTS``): with them switched off the readings, blocks
and notes of real glued documents are the same."""
from __future__ import annotations

import pytest

from extractors.layout import grammar as gr
from extractors.layout import grammar_indicators as gri
from extractors.layout.glued import glued_grid

from .conftest import corpus_text

ROLES = ("target", "actual")


def _unbounded(monkeypatch):
    monkeypatch.setattr(gri, "_CELL_CAP", {})
    monkeypatch.setattr(gri, "_NOT_IN_NAME", frozenset())
    monkeypatch.setattr(gri, "_DROP_TWO_TEXTS", False)


def _cells(text, rds):
    return None if rds is None else [[[text[a:b] for a, b in row[:3]] for row in rd] for rd in rds]


def test_points_row_is_read_the_same_without_the_bounds(monkeypatch):
    # r058 '受益脱贫(含监测对象)户人口数10≥1000人≥1000人10': one reading, with or without the stops
    text = "受益脱贫(含监测对象)户人口数10≥1000人≥1000人10"
    roles = ("weight", "target", "actual", "score")
    bounded = gri.indicator_readings(gr.Text(text, 0, len(text)), roles, True, None)
    _unbounded(monkeypatch)
    assert gri.indicator_readings(gr.Text(text, 0, len(text)), roles, True, None) == bounded
    assert [[text[a:b] for a, b in row] for row in bounded[0]] == [
        ["受益脱贫(含监测对象)户人口数", "10", "≥1000人", "≥1000人", "10"]]


def test_glued_values_are_read_the_same_without_the_bounds(monkeypatch):
    # r067 '…储备到位率100%库存数量真实率100%\n2、100%质量 指标…': 指标值 | 完成值 glued
    line = "库存数量真实率100%100%储备粮管理专户管 理率100%100%"
    bounded = gri.indicator_readings(gr.Text(line, 0, len(line)), ROLES, True, None)
    _unbounded(monkeypatch)
    assert gri.indicator_readings(gr.Text(line, 0, len(line)), ROLES, True, None) == bounded
    assert ["库存数量真实率", "100%", "100%"] in _cells(line, bounded)[0]


def test_refused_run_stays_refused_without_the_bounds(monkeypatch):
    # r067 '政策性挂账利息补 贴保障率100%无没有轮换、动用库存': where the completed value (无)
    # ends and the unseen 未完成原因 note begins is not written: a reading, never a certain row
    line = "政策性挂账利息补 贴保障率100%无没有轮换"
    roles = ("target", "actual", "note")
    bounded = gri.indicator_readings(gr.Text(line, 0, len(line)), roles, True, None)
    assert _cells(line, bounded) == [[["政策性挂账利息补 贴保障率", "100%", "无没有轮换"]]]
    assert gri.certain_rows(bounded) == []
    _unbounded(monkeypatch)
    assert gri.indicator_readings(gr.Text(line, 0, len(line)), roles, True, None) == bounded


@pytest.mark.parametrize("rid", ["r003", "r024", "r058", "r067"])
def test_glued_documents_give_the_same_blocks_without_the_bounds(monkeypatch, rid):
    text = corpus_text(rid)
    res = glued_grid(text, 0, len(text), 1)
    assert res is not None and res.blocks
    got = [(b.kind, b.char_start, b.char_end, b.row, b.col) for b in res.blocks]
    _unbounded(monkeypatch)
    again = glued_grid(text, 0, len(text), 1)
    assert [(b.kind, b.char_start, b.char_end, b.row, b.col) for b in again.blocks] == got
    assert again.notes == res.notes


def test_two_text_rows_are_dropped_only_where_the_check_refuses_them(monkeypatch):
    # r067 '…粮食储备设备维 护及安全性\n3、高高满意 度指 标…' (指标值 | 完成值 | 未完成原因, the
    # page marker left out): every split of the run into a name and two different texts is
    # refused (no figure holds such a row); the one reading left is the restatement 高 | 高,
    # with or without dropping those rows during the walk.  '…科学保粮率100%100%…' the same.
    roles = ("target", "actual", "note")
    lines = ["粮食储备设备维 护及安全性高高", "低温、低氧、低剂量 科学保粮率100%100%食品安全指标达标 率100%100%"]
    kept = [gri.indicator_readings(gr.Text(x, 0, len(x)), roles, True, None) for x in lines]
    assert _cells(lines[0], kept[0]) == [[["粮食储备设备维 护及安全性", "高", "高"]]]
    assert _cells(lines[1], kept[1]) == [[["低温、低氧、低剂量 科学保粮率", "100%", "100%"],
                                          ["食品安全指标达标 率", "100%", "100%"]]]
    _unbounded(monkeypatch)
    assert [gri.indicator_readings(gr.Text(x, 0, len(x)), roles, True, None) for x in lines] == kept
