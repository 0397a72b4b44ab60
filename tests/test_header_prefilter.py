"""The header search's shortcuts (``find_header``'s ``viable`` and ``dense``) give the
header the full search gives: a block of rows is modelled only when its header texts
reach the roles ``accept`` needs (``possible_roles``), and a table walked row by row
hands its dense rows (``dense_rows``) instead of having them rebuilt at every row."""
from __future__ import annotations

import pytest

from extractors.forms.common import vocab
from extractors.forms.funds import _fund_roles, fund_header
from extractors.forms.indicators import _accept, _viable, indicator_header
from extractors.readers import read_document
from extractors.tables import dense_rows, find_header
from extractors.tables.header import possible_roles
from normalizers.frozen import frozen_vocabulary

from .conftest import CORPUS, SAMPLES, corpus_text


def _tables(path):
    if not path.exists():
        pytest.skip(f"{path} not present")
    return [t.rows() for t in read_document(path.read_bytes(), path.name).tables()]


def _full_indicator_search(rows, i):
    """The search without the shortcuts: every block of rows modelled."""
    if not rows[i] or not any(c.text.strip() for c in rows[i]):
        return None
    return find_header(rows, i, vocab()["indicator_columns"], _accept)


def test_r063_header_and_body_row():
    # r063 line 21 '一级指标 二级指标 三级指标 年度指标值 全年完成值 未完成原因和改进措施' opens
    # the table; line 25 '数量指标  指标1:政府办基层医疗卫生机构实施国家基本药物制度覆盖率 实施
    # 乡镇社区基层医疗机构37个。 …' is a body row: its texts reach no role, it is not modelled
    corpus_text("r063")
    tables = _tables(CORPUS / "r063.txt")
    rows = next(r for r in tables if r[0][0].text == "一级指标")
    dense = dense_rows(rows)
    roles = frozen_vocabulary(vocab()["indicator_columns"])
    h = indicator_header(rows, 0, dense)
    assert h.roles == {1: "level1", 2: "level2", 3: "name", 4: "target", 5: "actual", 6: "note"}
    assert h == _full_indicator_search(rows, 0)
    assert rows[1][0].text == "数量指标"
    assert possible_roles(dense[1], roles, 0.8) == set()  # refused without a model
    assert not _viable(possible_roles(dense[1], roles, 0.8))
    assert indicator_header(rows, 1, dense) is None and _full_indicator_search(rows, 1) is None


def test_r063_funds_header_is_found_only_under_the_funds_vocabulary():
    # r063 line 10 '项目资金(万元) 全年预算数(A) 全年执行数(B) 执行率(B/A)' and line 11
    # '年度资金总额: 2300.67 2300.67 100%' below it (figures: refused without a model)
    from extractors.forms.funds import _money_fits
    corpus_text("r063")
    rows = next(r for r in _tables(CORPUS / "r063.txt") if r[0][0].text == "项目资金(万元)")
    dense = dense_rows(rows)
    assert possible_roles(dense[0], frozen_vocabulary(vocab()["indicator_columns"]), 0.8) == set()
    assert indicator_header(rows, 0, dense) is None
    measures = set(vocab()["fund_columns"])
    for i, want in ((0, {2: "budget_full_year", 3: "executed", 4: "execution_rate"}), (1, None)):
        h = fund_header(rows, i)
        full = find_header(rows, i, _fund_roles(), lambda x: len(set(x.roles.values()) & measures) >= 2,
                           max_rows=1, threshold=0.85, body_rows=2, fits=_money_fits)
        assert (h and h.roles) == want == (full and full.roles)
    assert not possible_roles(dense[1], frozen_vocabulary(_fund_roles()), 0.85) & measures


@pytest.mark.parametrize("path", [CORPUS / f"{r}.txt" for r in ("r001", "r018", "r021", "r060", "r063", "r067")]
                         + [SAMPLES / "seed000.docx", SAMPLES / "seed004.xlsx"])
def test_every_row_gets_the_header_of_the_full_search(path):
    # the dev texts of several layouts, and two renditions whose tables have merged cells
    # (seed000.docx: 36 of them, covering header rows from above)
    n_headers = 0
    for rows in _tables(path):
        dense = dense_rows(rows)
        for i in range(len(rows)):
            if not rows[i]:
                continue
            got = indicator_header(rows, i, dense)
            assert got == indicator_header(rows, i) == _full_indicator_search(rows, i)
            n_headers += got is not None
    assert n_headers >= 1
