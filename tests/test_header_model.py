"""The header model (extractors/tables): header shapes the seeds do not have, built as
Word / Excel / HTML files in code with real merges, and the rows read under them.

Header texts are quoted from the forms named at each test (issue 10 and
../shared/corpus/dev); body rows are real rows of the dev corpus.
"""
from __future__ import annotations

from decimal import Decimal as D

import pytest

from extractors.model import Block
from extractors.tables import build_header
from extractors.tables.align import align
from normalizers.label_match import best_label, split_qualifiers

from .conftest import corpus_text
from .formbuild import docx_form, extract_bytes, html_form, xlsx_form


def test_qualifiers_are_attributes_not_part_of_the_label():
    # r053 '预算执行情况(万元) (20分)', r060 '全年预算数(A)', issue 10 '指标值(长期)'
    assert split_qualifiers("预算执行情况(万元) (20分)") == ("预算执行情况", {"scale": "万元", "weight": D(20)})
    assert split_qualifiers("全年预算数(A)") == ("全年预算数", {"letter": "A"})
    assert split_qualifiers("指标值(长期)") == ("指标值", {"horizon": "长期"})
    assert split_qualifiers("实施单位 (盖章)") == ("实施单位", {"note": "盖章"})  # r021


def test_fuzzy_label_prefers_the_closer_label():
    # r021 '1.项目年度目标完成情况' is about the completion, not the goal itself
    vocab = {"expected": ["项目年度目标"], "actual": ["年度目标完成情况"]}
    assert best_label("1.项目年度目标完成情况", vocab)[0] == "actual"
    assert best_label("项目年度目标", vocab)[0] == "expected"


# issue 10: 绩效指标 | 年度指标值 | 实际完成值 | 分值 | 得分 over
#           一级指标 | 二级指标 | 三级指标 | 指标性质 | 指标值 | 度量单位
TWO_ROW = [
    [("绩效指标", 3), ("年度指标值", 3), ("实际完成值", 1, 2), ("分值", 1, 2), ("得分", 1, 2)],
    ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位"],
    # r055 '| 产出指标 | 数量指标 | 公益性讲座知晓率 | = | 100 | % | 100 | 5 | 5 |'
    ["产出指标", "数量指标", "公益性讲座知晓率", "=", "100", "%", "100", "5", "5"],
    # r055 '| 满意度指标 | 服务对象满意度指标 | 活动参与人员满意度 | ≥ | 95 | % | 95 | 5 | 5 |'
    ["满意度指标", "服务对象满意度指标", "活动参与人员满意度", "≥", "95", "%", "95", "5", "5"],
]


@pytest.mark.parametrize("build,ext", [(html_form, "html"), (docx_form, "docx"), (xlsx_form, "xlsx")])
def test_two_row_header_keeps_actual_weight_and_score(build, ext):
    out = extract_bytes(build("部门预算项目支出绩效自评表(2022年度)", TWO_ROW), f"f.{ext}")
    rows = [(r["level1"], r["level2"], r["name"], r["target_raw"], r["target_op"], r["target_value"],
             r["actual_value"], r["weight"], r["score"]) for r in out["indicators"]]
    assert rows == [
        ("产出指标", "数量指标", "公益性讲座知晓率", "=100%", "=", D(100), D(100), D(5), D(5)),
        ("满意度指标", "服务对象满意度指标", "活动参与人员满意度", "≥95%", ">=", D(95), D(95), D(5), D(5)),
    ]
    assert out["sections"][0]["form_type"] == "project_self_eval"


# issue 10: 二级指标(长期) | 三级指标(长期) | 指标值(长期) | 二级指标(年度) | 三级指标(年度) | 指标值(年度);
# the long-term columns are empty, the annual ones hold r031's rows
# ('| 数量指标 | 补贴非营利性民办幼儿园数量 | 20个 |', '| 质量指标 | 补贴覆盖民办幼儿园率 | ≥90.91% |')
LONG_AND_ANNUAL = [
    ["一级指标", "二级指标(长期)", "三级指标(长期)", "指标值(长期)", "二级指标(年度)", "三级指标(年度)", "指标值(年度)"],
    [("产出指标", 1, 2), "", "", "", "数量指标", "补贴非营利性民办幼儿园数量", "20个"],
    ["", "", "", "质量指标", "补贴覆盖民办幼儿园率", "≥90.91%"],
]


@pytest.mark.parametrize("build,ext", [(xlsx_form, "xlsx"), (html_form, "html")])
def test_long_term_and_annual_columns_read_this_years_values(build, ext):
    out = extract_bytes(build("抗疫特别国债项目绩效目标表(打捆项目)", LONG_AND_ANNUAL), f"f.{ext}")
    rows = [(r["level1"], r["level2"], r["name"], r["target_raw"], r["target_op"], r["target_value"],
             r["target_unit"]) for r in out["indicators"]]
    assert rows == [
        ("产出指标", "数量指标", "补贴非营利性民办幼儿园数量", "20个", "=", D(20), "个"),
        ("产出指标", "质量指标", "补贴覆盖民办幼儿园率", "≥90.91%", ">=", D("90.91"), "%"),
    ]
    sec = out["sections"][0]
    assert sec["form_type"] == "project_target"
    assert "long-term columns" in (sec["status_message"] or "")


# the same header with both horizons filled: r031's rows '| 数量指标 | 补贴非营利性民办幼儿园数量 | 20个 |'
# in the long-term columns, '| 质量指标 | 补贴覆盖民办幼儿园率 | ≥90.91% |' in the annual ones
LONG_AND_ANNUAL_FILLED = [
    LONG_AND_ANNUAL[0],
    ["产出指标", "数量指标", "补贴非营利性民办幼儿园数量", "20个", "质量指标", "补贴覆盖民办幼儿园率", "≥90.91%"],
]


@pytest.mark.parametrize("build,ext", [(xlsx_form, "xlsx"), (html_form, "html")])
def test_long_term_columns_published_with_their_horizon(build, ext):
    out = extract_bytes(build("抗疫特别国债项目绩效目标表(打捆项目)", LONG_AND_ANNUAL_FILLED), f"f.{ext}")
    rows = [(r["horizon"], r["level1"], r["level2"], r["name"], r["target_value"], r["target_unit"])
            for r in out["indicators"]]
    assert rows == [
        ("annual", "产出指标", "质量指标", "补贴覆盖民办幼儿园率", D("90.91"), "%"),
        ("long_term", "产出指标", "数量指标", "补贴非营利性民办幼儿园数量", D(20), "个"),
    ]
    assert len({r["indicator_id"] for r in out["indicators"]}) == 2


# r021 (Sichuan 部门预算项目支出绩效自评表, 青神县发展和改革局):
# '绩效指标(90分) | 一级指标 | 二级指标 | 三级指标 | 指标性质 | 指标值 | 度量单位 | 完成值 | 权重 | 得分 | 未完成原因分析'
SPLIT = [
    [("绩效指标(90分)", 1, 3), "一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "完成值", "权重",
     "得分", "未完成原因分析"],
    ["产出指标", "数量指标", "发放(缴纳)覆盖率", "=", "100", "%", "", "60", "", ""],
    ["效益指标", "社会效益指标", "足额保障率(参保率)", "=", "100", "%", "", "30", "", ""],
    [("合计", 8), "100", "", ""],
]


@pytest.mark.parametrize("build,ext", [(docx_form, "docx"), (xlsx_form, "xlsx")])
def test_split_target_columns_and_empty_actual_cells(build, ext):
    out = extract_bytes(build("部门预算项目支出绩效自评表(2023年度)", SPLIT), f"f.{ext}")
    got = [(r["name"], r["target_raw"], r["target_op"], r["target_value"], r["target_unit"],
            r["actual_raw"], r["actual_op"], r["weight"], r["score"]) for r in out["indicators"]]
    # 完成值 is empty in r021: actual '' / na, not the 权重 shifted left
    assert got == [
        ("发放(缴纳)覆盖率", "=100%", "=", D(100), "%", "", "na", D(60), None),
        ("足额保障率(参保率)", "=100%", "=", D(100), "%", "", "na", D(30), None),
    ]
    sec = out["sections"][0]
    # '合计 | 100 | | |': the 100 sits in the 权重 column
    assert (sec["total_weight"], sec["total_score"]) == (D(100), None)


def _row(r: int, texts: list[str]) -> list[Block]:
    return [Block("cell", t, 0, len(t), table_no=1, row=r, col=k + 1) for k, t in enumerate(texts)]


def test_header_roles_are_assigned_once_best_first():
    # seed 004's header '一级指标 | 二级指标 | 名称 | 指标内容 | 指标值'
    from extractors.forms.common import vocab
    rows = [_row(1, ["一级指标", "二级指标", "名称", "指标内容", "指标值"]),
            _row(2, ["产出指标", "数量指标", "人才培养经费", "外出培训人次", "大于等于120人次"])]
    h = build_header(rows, 0, 1, vocab()["indicator_columns"])
    assert h.roles == {1: "level1", 2: "level2", 3: "item", 4: "name", 5: "target"}


def test_row_that_lost_cells_is_aligned_by_shape():
    # r053 '| 2022年全年 | ≥360天 | ≥360天 |' under 三级指标 | 年初目标值(A) | 实际完成值(B) | 得分:
    # the merged 得分 is missing, the two values stay target and actual
    from extractors.forms.common import vocab
    placed, ambiguous = align(["2022年全年", "≥360天", "≥360天"], ["name", "target", "actual", "score"],
                              vocab()["indicator_shapes"])
    assert placed == [0, 1, 2] and not ambiguous
    # r055 '| 好坏 | 5 | 5 |': the figures go to the points columns, but whether 好坏 is the
    # target or the actual only the row before tells: the reading says it is ambiguous
    placed, ambiguous = align(["好坏", "5", "5"], ["target", "actual", "weight", "score"],
                              vocab()["indicator_shapes"])
    assert placed == [0, 2, 3] and ambiguous


def test_packed_row_fills_the_actual_column_before_the_sparse_note():
    # r063 ' 指标2:村卫生室实施国家基本药物制度 实施基本药物制度补助村卫生室352个。
    # 本年度已完成352个村卫生室基药补助的实施。' under 三级指标 | 年度指标值 | 全年完成值 |
    # 未完成原因和改进措施: the note column is the one left empty, the second sentence is the actual
    from extractors.forms.common import vocab
    v = vocab()
    cells = ["指标2:村卫生室实施国家基本药物制度", "实施基本药物制度补助村卫生室352个。",
             "本年度已完成352个村卫生室基药补助的实施。"]
    placed, ambiguous = align(cells, ["name", "target", "actual", "note"], v["indicator_shapes"],
                              frozenset(v["indicator_sparse"]))
    assert placed == [0, 1, 2] and not ambiguous
    # without the sparse prior the note, the likeliest home of a sentence, took it
    placed, _ = align(cells, ["name", "target", "actual", "note"], v["indicator_shapes"])
    assert placed == [0, 1, 3]
    # a fourth sentence still goes to the note column
    placed, _ = align(cells + ["资金拨付滞后"], ["name", "target", "actual", "note"], v["indicator_shapes"],
                      frozenset(v["indicator_sparse"]))
    assert placed == [0, 1, 2, 3]


@pytest.mark.parametrize("rid", ["r020", "r031", "r053", "r060"])
def test_roles_below_the_threshold_everywhere_are_not_needed(monkeypatch, rid):
    # the header model looks only at the roles some header text of a column scores at
    # least the threshold for (``_hot_roles``); with every role looked at, the documents'
    # indicators, funds and sections are the same
    from extractors.tables import header as hm
    from pipeline.process import process_file
    data = corpus_text(rid).encode("utf-8")
    got = process_file(data, f"{rid}.txt")
    assert got["indicators"] or got["funds"]
    monkeypatch.setattr(hm, "_hot_roles", lambda core, role_labels, threshold: tuple(range(len(role_labels))))
    again = process_file(data, f"{rid}.txt")
    for name in ("sections", "indicators", "funds", "goals", "facts"):
        assert again[name] == got[name], name


def test_a_text_no_role_reaches_names_no_column():
    # r020's '项目基本情况' heads no column of an indicator table: no role is looked at
    from extractors.forms.common import vocab
    from extractors.tables import header as hm
    from normalizers.frozen import frozen_vocabulary
    assert "项目基本情况" in corpus_text("r020")
    rl = frozen_vocabulary(vocab()["indicator_columns"])
    assert hm._hot_roles("项目基本情况", rl, 0.8) == ()
    assert [rl[r][0] for r in hm._hot_roles("三级指标", rl, 0.8)] == ["name"]
