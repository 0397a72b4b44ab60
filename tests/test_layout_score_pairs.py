"""Scoring-sheet rows a PDF text layer scattered (dev r032): extractors/layout/score_pairs.py."""
from __future__ import annotations

from decimal import Decimal

from extractors.layout import infer
from extractors.layout.score_pairs import SCORE_PAIRS, read_sheet

from .conftest import corpus_text


def _grid(text: str):
    res = infer(text)
    assert all(text[b.char_start:b.char_end] == b.text for b in res.blocks)
    rows: dict[int, list] = {}
    for b in res.blocks:
        if b.kind == "cell" and b.grid == SCORE_PAIRS:
            rows.setdefault(b.row, []).append((b.col, b.text))
    return res, [sorted(r) for _, r in sorted(rows.items())]


def test_r032_rows_and_level_labels_by_their_points():
    # '项目权重 评价内容 分值 自评分 项目决策 2 分 决策依据 2 2 复核分 评价标准及依据 … 财务制度 3 3 …
    #  组织机构 项目管理 13 分 2 2 … 运行监管 4 4 … 目标申报 4 4 0.5 分,扣完为止; …'
    res, rows = _grid(corpus_text("r032"))
    assert rows[0] == [(1, "项目权重"), (2, "评价内容"), (3, "分值"), (4, "自评分")]
    assert rows[1] == [(1, "项目决策 2 分"), (2, "决策依据"), (3, "2"), (4, "2")]
    # 项目管理 13 分 is printed after 财务制度 and inside 组织机构's row: its group is 3 + 2 + 4 + 4 = 13
    assert rows[2] == [(1, "项目管理 13 分"), (2, "财务制度"), (3, "3"), (4, "3")]
    assert [r[1:] for r in rows[3:]] == [[(2, "组织机构"), (3, "2"), (4, "2")], [(2, "运行监管"), (3, "4"), (4, "4")],
                                         [(2, "目标申报"), (3, "4"), (4, "4")]]
    assert all(r[0] == (1, "") for r in rows[3:])
    # the criteria text stays paragraphs ('计 2 分' / '0.5 分' are no rows)
    assert any("告计 2 分,没有不得分。" in b.text for b in res.blocks if b.kind == "paragraph")


def test_r032_indicators_published():
    from pipeline.process import process_file
    rec = process_file(corpus_text("r032").encode("utf-8"), "r032.txt")
    got = {i["name"]: (i["level1"], i["level1_weight"], i["weight"], i["score"]) for i in rec["indicators"]}
    assert got["决策依据"] == ("项目决策", Decimal("2"), Decimal("2"), Decimal("2"))
    assert got["组织机构"] == ("项目管理", Decimal("13"), Decimal("2"), Decimal("2"))
    assert got["目标申报"] == ("项目管理", Decimal("13"), Decimal("4"), Decimal("4"))


def test_refused_where_the_points_do_not_split():
    # the same sheet with the level label's points changed: 3 + 2 + 4 + 4 is not 12, so
    # no level label can be given to the rows and nothing is read
    text = corpus_text("r032").replace("项目管理 13 分", "项目管理 12 分")
    tables, notes = read_sheet(text)
    assert tables == []
    assert any("do not split into its level labels' points (2, 12)" in n for n in notes)
    # a score above its points is no certain row
    tables, notes = read_sheet(corpus_text("r032").replace("决策依据 2 2", "决策依据 2 3"))
    assert tables == [] and any("a score above its points" in n for n in notes)
