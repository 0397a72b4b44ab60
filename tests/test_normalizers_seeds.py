"""Every target and actual cell of the real seed documents, parsed and
checked against what a careful reader writes down.

Seed 000 (tab-indented cell-per-line 自评表): all 年度指标值 / 实际完成值 cells.
Seed 004 (整体绩效目标表): the 指标值 column.

The expectation tables are written by hand; the coverage tests at the end read
the seed files and fail if a cell appears that the tables do not cover, so the
tables cannot silently drift away from the documents.
"""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from normalizers import parse_quantity

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
SEED000 = SEEDS / "000_dbacab0dbc49b42b.txt"
SEED004 = SEEDS / "004_4aa0f758ca959e42.txt"

# (raw cell, op, value, upper, unit, kind)
QUAL = ("qual", None, None, None, "text")
NA = ("na", None, None, None, "na")
BUDGET_LIMIT = ("<=", None, None, "元", "money")

SEED000_CELLS: dict[str, tuple] = {
    # 附件1 部门整体支出绩效自评表
    "12次": ("=", D("12"), None, "次", "count"),
    "108389人次": ("=", D("108389"), None, "人次", "count"),
    "108526人次": ("=", D("108526"), None, "人次", "count"),
    "240156剂次": ("=", D("240156"), None, "剂次", "count"),
    "462人": ("=", D("462"), None, "人", "count"),
    "5200人": ("=", D("5200"), None, "人", "count"),
    "5239人": ("=", D("5239"), None, "人", "count"),
    "10次": ("=", D("10"), None, "次", "count"),
    "66.12万份": ("=", D("661200"), None, "份", "count"),
    "28.7万人": ("=", D("287000"), None, "人", "count"),
    "37500人": ("=", D("37500"), None, "人", "count"),
    "37874人": ("=", D("37874"), None, "人", "count"),
    "≥95%": (">=", D("95"), None, "%", "percent"),
    "95.12%": ("=", D("95.12"), None, "%", "percent"),
    "96.86%": ("=", D("96.86"), None, "%", "percent"),
    "0%": ("=", D("0"), None, "%", "percent"),
    "每周开展": QUAL,
    "已完成": QUAL,
    "2023年12月31日": ("=", None, None, None, "date"),
    "不超过预算投入": BUDGET_LIMIT,
    "1988.88万元": ("=", D("19888800.00"), None, "元", "money"),
    "2.49亿元": ("=", D("249000000.00"), None, "元", "money"),
    "全力推进": QUAL,
    "“3+2+1”医联体服务模式": QUAL,
    "全市第1名": ("=", D("1"), None, "名", "rank"),
    "连续三年位列全市第1名": ("=", D("1"), None, "名", "rank"),
    "显著增强": QUAL,
    "100%": ("=", D("100"), None, "%", "percent"),
    "全部有效处置": QUAL,
    "显著提升": QUAL,
    "荣获总分第一名": ("=", D("1"), None, "名", "rank"),
    "大于等于95%": (">=", D("95"), None, "%", "percent"),
    "98%": ("=", D("98"), None, "%", "percent"),
    # 附件3 项目支出绩效自评表 (four projects)
    "27184人": ("=", D("27184"), None, "人", "count"),
    "1781人": ("=", D("1781"), None, "人", "count"),
    "5303人": ("=", D("5303"), None, "人", "count"),
    "\n98%以上": (">=", D("98"), None, "%", "percent"),
    "100%准确": ("=", D("100"), None, "%", "percent"),
    "2023年度完成": QUAL,
    "\n2023年度完成": QUAL,
    "不超过年初预算投入": BUDGET_LIMIT,
    "120万元": ("=", D("1200000.00"), None, "元", "money"),
    "不适用": NA,
    "\n不适用": NA,
    "": NA,
    "制定方案": QUAL,
    "制定了《2023年度岳阳楼区职业健康监督检查工作方案》": QUAL,
    "16家": ("=", D("16"), None, "家", "count"),
    "3个工作日内": ("<=", D("3"), None, "工作日", "duration"),
    "119万元": ("=", D("1190000.00"), None, "元", "money"),
    "中长期": QUAL,
    "3289人": ("=", D("3289"), None, "人", "count"),
    "1次": ("=", D("1"), None, "次", "count"),
    "1980人": ("=", D("1980"), None, "人", "count"),
    "2018人": ("=", D("2018"), None, "人", "count"),
    "2915对": ("=", D("2915"), None, "对", "count"),
    "182家": ("=", D("182"), None, "家", "count"),
    "2604人": ("=", D("2604"), None, "人", "count"),
    "≥90%": (">=", D("90"), None, "%", "percent"),
    "100％": ("=", D("100"), None, "%", "percent"),
    "102.34%": ("=", D("102.34"), None, "%", "percent"),
    "大于等于90%": (">=", D("90"), None, "%", "percent"),
    "92%": ("=", D("92"), None, "%", "percent"),
    "373万元": ("=", D("3730000.00"), None, "元", "money"),
    "显著提高": QUAL,
    "提供指导": QUAL,
    "显著加强": QUAL,
}

# seed 004: 指标值 column, row by row (duplicates kept on purpose)
SEED004_TARGETS: list[tuple] = [
    ("大于等于120人次", ">=", D("120"), None, "人次", "count"),
    ("等于18家", "=", D("18"), None, "家", "count"),
    ("逐步完成", *QUAL),
    ("100%", "=", D("100"), None, "%", "percent"),
    ("不断提高", *QUAL),
    ("不断完善", *QUAL),
    ("应保尽保", *QUAL),
    ("100%", "=", D("100"), None, "%", "percent"),
    ("100%", "=", D("100"), None, "%", "percent"),
    ("不超预算", *BUDGET_LIMIT),
    ("不超预算", *BUDGET_LIMIT),
    ("不低于70%", ">=", D("70"), None, "%", "percent"),
    ("100%", "=", D("100"), None, "%", "percent"),
    ("不低于80%", ">=", D("80"), None, "%", "percent"),
    ("逐步提高", *QUAL),
    ("逐年下降", *QUAL),
    ("效果显著", *QUAL),
    ("100%", "=", D("100"), None, "%", "percent"),
    ("不断提高", *QUAL),
    ("明显提升", *QUAL),
    ("逐步提高", *QUAL),
    ("大于等于95%", ">=", D("95"), None, "%", "percent"),
    ("不断增强", *QUAL),
    ("大于等于50%", ">=", D("50"), None, "%", "percent"),
]


def _check(raw, op, value, upper, unit, kind):
    q = parse_quantity(raw)
    assert q.raw == raw
    assert (q.op, q.value, q.upper, q.unit, q.kind) == (op, value, upper, unit, kind), raw
    if value is not None:
        assert isinstance(q.value, D)
        # exact, not merely equal: money has exactly two places
        if kind == "money":
            assert q.value.as_tuple().exponent == -2


@pytest.mark.parametrize("raw,expected", list(SEED000_CELLS.items()), ids=lambda x: repr(x)[:30])
def test_seed000_cell(raw, expected):
    _check(raw, *expected)


@pytest.mark.parametrize("row", SEED004_TARGETS, ids=lambda r: r[0])
def test_seed004_target(row):
    _check(*row)


# ---------------------------------------------------------------------------
# coverage: the tables above really are the cells of the documents
# ---------------------------------------------------------------------------


def _seed000_indicator_cells(text: str) -> list[tuple[str, str]]:
    """(target, actual) of every indicator row of seed 000.

    The file has one cell per line, each starting with a tab; continuation
    lines of a multi-line cell have no tab; rows are separated by a blank line.
    Indicator rows end with target, actual, weight, score, note.
    """
    rows: list[list[str]] = []
    row: list[str] = []
    for line in text.split("\n"):
        if line.startswith("\t"):
            row.append(line[1:])
        elif line.strip() == "":
            if row:
                rows.append(row)
            row = []
        elif row:
            row[-1] += "\n" + line
    if row:
        rows.append(row)
    pairs = []
    inside = False
    for r in rows:
        if "三级指标" in r:
            inside = True
            continue
        if r and r[0] == "总分":
            inside = False
            continue
        if inside and len(r) >= 5:
            pairs.append((r[-5], r[-4]))
    return pairs


@pytest.mark.skipif(not SEED000.exists(), reason="shared seeds not available")
def test_seed000_table_covers_every_indicator_cell():
    pairs = _seed000_indicator_cells(SEED000.read_text(encoding="utf-8"))
    assert len(pairs) >= 65  # 4 forms, ~70 indicator rows
    cells = {c for p in pairs for c in p}
    missing = sorted(cells - set(SEED000_CELLS))
    assert not missing, f"cells of seed 000 without an expectation: {missing}"


@pytest.mark.skipif(not SEED004.exists(), reason="shared seeds not available")
def test_seed004_table_is_the_target_column():
    lines = SEED004.read_text(encoding="utf-8").split("\n")
    start = next(i for i, l in enumerate(lines) if "指标内容" in l and "指标值" in l)
    col = [l.rstrip("\n").split("\t")[-1] for l in lines[start + 1:] if l.strip()]
    assert col == [r[0] for r in SEED004_TARGETS]
