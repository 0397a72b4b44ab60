"""The glued grammar's ``cell_ends`` works a start's cell ends out once for the point
roles (分值, 得分) and once for the value roles (指标值, 完成值) instead of once per column:
with ``grammar_indicators._SHARED_ENDS`` off (once per column) the readings, blocks and
notes of real glued documents are the same."""
from __future__ import annotations

import pytest

from extractors.layout import grammar as gr
from extractors.layout import grammar_indicators as gri
from extractors.layout.glued import glued_grid

from .conftest import corpus_text


def test_value_cells_read_the_same_per_column(monkeypatch):
    # r067 '库存数量真实率100%100%…': 指标值 | 完成值 glued
    line = "库存数量真实率100%100%储备粮管理专户管 理率100%100%"
    roles = ("target", "actual")
    shared = gri.indicator_readings(gr.Text(line, 0, len(line)), roles, True, None)
    monkeypatch.setattr(gri, "_SHARED_ENDS", False)
    assert gri.indicator_readings(gr.Text(line, 0, len(line)), roles, True, None) == shared
    assert [[line[a:b] for a, b in row] for row in shared[0]] == [
        ["库存数量真实率", "100%", "100%"], ["储备粮管理专户管 理率", "100%", "100%"]]


def test_points_cells_read_the_same_per_column(monkeypatch):
    # r058 '受益脱贫(含监测对象)户人口数10≥1000人≥1000人10': 分值 and 得分 share their ends
    text = "受益脱贫(含监测对象)户人口数10≥1000人≥1000人10"
    roles = ("weight", "target", "actual", "score")
    shared = gri.indicator_readings(gr.Text(text, 0, len(text)), roles, True, None)
    monkeypatch.setattr(gri, "_SHARED_ENDS", False)
    assert gri.indicator_readings(gr.Text(text, 0, len(text)), roles, True, None) == shared
    assert [[text[a:b] for a, b in row] for row in shared[0]] == [
        ["受益脱贫(含监测对象)户人口数", "10", "≥1000人", "≥1000人", "10"]]


def test_refused_run_stays_refused_per_column(monkeypatch):
    # r067 '政策性挂账利息补 贴保障率100%无没有轮换': where 无 ends and the unseen note begins
    # is not written: a reading, never a certain row, either way
    line = "政策性挂账利息补 贴保障率100%无没有轮换"
    roles = ("target", "actual", "note")
    shared = gri.indicator_readings(gr.Text(line, 0, len(line)), roles, True, None)
    assert gri.certain_rows(shared) == []
    monkeypatch.setattr(gri, "_SHARED_ENDS", False)
    assert gri.indicator_readings(gr.Text(line, 0, len(line)), roles, True, None) == shared


@pytest.mark.parametrize("rid", ["r003", "r016", "r024", "r058", "r067"])
def test_glued_documents_give_the_same_blocks_per_column(monkeypatch, rid):
    text = corpus_text(rid)
    res = glued_grid(text, 0, len(text), 1)
    assert res is not None and res.blocks
    got = [(b.kind, b.char_start, b.char_end, b.row, b.col, b.unread) for b in res.blocks]
    monkeypatch.setattr(gri, "_SHARED_ENDS", False)
    again = glued_grid(text, 0, len(text), 1)
    assert [(b.kind, b.char_start, b.char_end, b.row, b.col, b.unread) for b in again.blocks] == got
    assert again.notes == res.notes
