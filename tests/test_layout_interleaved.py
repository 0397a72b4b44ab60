"""Column-interleaved text: labels and values printed apart, paired only where certain.

Each test quotes the dev-corpus lines it reads (../shared/corpus/dev); the expected values
are those of the gold file (../shared/gold/dev/rNNN.jsonl).  The refusals are the same
real lines cut or altered so that the pairing is no longer confirmed.
"""
from __future__ import annotations

from decimal import Decimal

from extractors.layout import infer
from extractors.layout.interleaved import INTERLEAVED, read, tokens
from extractors.layout.interleaved_rows import pair_rows
from extractors.layout.lines import lines as split_lines
from extractors.model import CELL
from tests.conftest import corpus_text

# r018 lines 25-31: a 部门整体支出绩效评价得分表 from a PDF text layer; each label carries its
# points, each row's score starts the next line.
R018_SHEET = (
    "2017 年部门整体支出绩效评价得分表 一级指 标 二级指标 三级指标 得分 部门决 策(25 分) 目标任务(15 分) 相关性(5 分)\n"
    "5 明确性(5 分)\n"
    "5 合理性(5 分)\n"
    "5 预算编制(10 分) 测算依据(5 分)\n"
    "2 目标管理(5 分)\n"
    "4 综合管 理(30 分) 专项资金分配时限(2 分) 省级财力专项预算分配时限(1 分)\n"
    "1 中央专款分配合规........"
)


def _grid(text: str) -> tuple[list[list[str]], list[str]]:
    em, _ = read(text, split_lines(text))
    assert em is not None, "no interleaved sheet rebuilt"
    rows: dict[int, dict[int, str]] = {}
    for b in em.blocks:
        assert text[b.char_start:b.char_end] == b.text  # the span invariant
        if b.kind == CELL:
            assert b.grid == INTERLEAVED
            rows.setdefault(b.row, {})[b.col] = b.text
    return [[r[c] for c in sorted(r)] for _, r in sorted(rows.items())], em.notes


def test_weighted_sheet_rows_paired_by_label_count_and_points():
    rows, notes = _grid(R018_SHEET)
    assert rows == [
        ["一级指 标", "二级指标", "三级指标", "得分"],
        ["部门决 策(25 分)", "目标任务(15 分)", "相关性(5 分)", "5"],
        ["", "", "明确性(5 分)", "5"],
        ["", "", "合理性(5 分)", "5"],
        ["", "预算编制(10 分)", "测算依据(5 分)", "2"],
        ["", "", "目标管理(5 分)", "4"],
        ["综合管 理(30 分)", "专项资金分配时限(2 分)", "省级财力专项预算分配时限(1 分)", "1"],
    ]
    # the cut row stays text, and the warning says where the run stopped
    assert any("中央专款分配合规" in n and "stops" in n for n in notes)


def test_weighted_sheet_in_the_real_excerpt_gives_the_gold_indicators():
    from pipeline.process import process_file
    text = corpus_text("r018")
    assert infer(text).layout == "column_interleaved"
    rec = process_file(text.encode("utf-8"), "r018.txt")
    sec = next(s for s in rec["sections"] if s["form_type"] == "overall_self_eval")
    assert sec["title"].replace(" ", "") == "2017年部门整体支出绩效评价得分表"
    got = [(i["level1"], i["level2"], i["name"], i["weight"], i["score"], i["level1_weight"])
           for i in rec["indicators"] if i["section_id"] == sec["section_id"]]
    D = Decimal
    assert got == [
        ("部门决策", "目标任务", "相关性", D(5), D(5), D(25)),
        ("部门决策", "目标任务", "明确性", D(5), D(5), D(25)),
        ("部门决策", "目标任务", "合理性", D(5), D(5), D(25)),
        ("部门决策", "预算编制", "测算依据", D(5), D(2), D(25)),
        ("部门决策", "预算编制", "目标管理", D(5), D(4), D(25)),
        ("综合管理", "专项资金分配时限", "省级财力专项预算分配时限", D(1), D(1), D(30)),
    ]


def _pair(text: str):
    start = text.index("得分") + 2
    toks, _ = tokens(text, start, len(text))
    return pair_rows(toks, 3)


def test_refused_when_a_value_fits_the_label_before_and_after_it():
    # cut after 合理性(5 分): its score is missing, and every 5 fits 相关性/明确性 as well as
    # 明确性/合理性 - which label a score belongs to is not confirmed
    cut = R018_SHEET[:R018_SHEET.index("合理性(5 分)") + len("合理性(5 分)")]
    res = _pair(cut)
    assert res.rows is None and "both" in res.reason
    assert read(cut, split_lines(cut))[0] is None  # nothing published, the text stays paragraphs


def test_refused_when_a_group_is_not_the_sum_of_its_rows():
    # 目标任务 stated as 20 points while its three rows hold 5 + 5 + 5
    wrong = R018_SHEET.replace("目标任务(15 分)", "目标任务(20 分)")
    res = _pair(wrong)
    assert res.rows is None and "sum" in res.reason
    em = infer(wrong)
    assert not any(b.kind == CELL for b in em.blocks)
    assert any("not paired" in n for n in em.notes)


def test_refused_when_a_score_exceeds_its_points():
    wrong = R018_SHEET.replace("2 目标管理", "7 目标管理")
    res = _pair(wrong)
    assert res.rows is None and "exceeds" in res.reason


def test_prose_with_points_is_no_sheet():
    # r018 lines 21-23: the report paragraph between the two tables, with 自评得分 90 分
    prose = ("10 10 总分 3.部门整体支出绩效自评开展情况. 按照预算绩效管理要求,本部门对\n"
             "2017 年整体支出开展绩 效自评,自评得分\n"
             "90 分,存在的问题:一是年初编制项目资金 预算时对对象摸底不够准确,造成预算资金过大.")
    assert read(prose, split_lines(prose))[0] is None


# r042 lines 7-28: a 专项资金绩效目标表 whose PDF text lists the label column first, then
# the value cells in the same order.
R042_HEAD = "\n".join([
    "填报单位(盖章):永兴县畜牧兽医水产局", "专项名称", "部门名称", "部门相应职能职", "责概述", "专项立项", "依据",
    "专项实施", "进度计划", "专项长期", "绩效目标", "专项年度", "绩效目标", "一级指标", "专项", "年度", "产",
    "绩效出", "指", "指标标",
    "重大动物疫病防控专项属性延续专项√新增专项□",
    "县动物卫生监督所资金总额(万元)50",
    "重大动物防控工作、强制扑杀和免疫副反应补助、疫苗和防疫物质储备、监测、检测经",
    "费及监督执法等。",
])


def _column(text: str):
    from extractors.layout import interleaved_columns as ic
    col = ic.find(text, split_lines(text))
    assert col is not None
    pairs, note = ic.pair(text, col)
    return [[text[a:b] for a, b in (p.label, p.value, p.row_label, p.row_value)] for p in pairs], note


def test_label_column_pairs_the_one_line_name_fields_in_order():
    rows, note = _column(R042_HEAD)
    assert rows == [["专项名称", "重大动物疫病防控", "专项属性", "延续专项√新增专项□"],
                    ["部门名称", "县动物卫生监督所", "资金总额(万元)", "50"]]
    # the wrapped labels whose values run over several lines are left alone, and said so
    assert "部门相应职能职" in note and "not paired" in note


def test_label_column_in_the_real_excerpt_gives_the_gold_head_and_fund():
    from pipeline.process import process_file
    text = corpus_text("r042")
    assert infer(text).layout == "column_interleaved"
    rec = process_file(text.encode("utf-8"), "r042.txt")
    [sec] = rec["sections"]
    assert (sec["project_name"], sec["unit_name"]) == ("重大动物疫病防控", "县动物卫生监督所")
    [fund] = rec["funds"]
    assert (fund["item_raw"], fund["amount_yuan"], fund["measure"]) == ("资金总额(万元)", Decimal("500000.00"), "budget")


def test_label_column_refused_when_a_value_line_is_not_confirmed_by_its_row_label():
    # the value line of 部门名称 without the 资金总额(万元) cell after it: where the value ends,
    # and so whether it is one row, is not confirmed - only 专项名称 is paired
    text = R042_HEAD.replace("县动物卫生监督所资金总额(万元)50", "县动物卫生监督所")
    rows, note = _column(text)
    assert [r[:2] for r in rows] == [["专项名称", "重大动物疫病防控"]]
    assert "部门名称" in note
    # and with no confirmed row at all nothing is paired: the text keeps its other reading
    text = text.replace("专项属性延续专项√新增专项□", "")
    rows, _ = _column(text)
    assert rows == []
    from extractors.layout.interleaved import read_label_column
    assert read_label_column(text, split_lines(text), lambda em, a, b: None) is None


# r026 line 2 (cut): a 区域绩效目标表 flattened onto one line; the vertical label 年度总体目标 is
# shattered into single characters, the indicator names come before any value.
R026_HEAD = ("附件 2 残疾人事业发展补助资金区域绩效目标表 ( 2019 年度) 专项名称 残疾人事业发展补助资金 主管部门 省残联 "
             "资金额度 4623 万 年 度 总 体 目 标 目标 1:为残疾人提供基本康复服务,为精神病患者提供服药补贴。 "
             "目标 2:对特殊学校残疾贫困学生进行资助,对特教学校开展职业教育和职业培 训给予补贴。 "
             "目标 6:对农村贫困残疾人自强互助服务社给予扶持 目标 7:补助基层残联基础设施建设。 "
             "一级 指标 二级指标 三级指标 基本康复服务人数 精神病患者提供服药补贴人数 资助特校学生数 指标值")


def _head(text: str):
    from extractors.layout.spaced_head import read_spaced_head
    em = read_spaced_head(text, split_lines(text))
    if em is None:
        return None, None
    rows: dict[int, list[str]] = {}
    for b in em.blocks:
        assert text[b.char_start:b.char_end] == b.text
        if b.kind == CELL:
            rows.setdefault(b.row, []).append(b.text)
    return [rows[k] for k in sorted(rows)], em.notes


def test_spaced_head_pairs_labels_with_values_and_joins_shattered_labels():
    text = R026_HEAD.replace("目标 6:", "目标 3:").replace("目标 7:", "目标 4:")
    rows, notes = _head(text)
    assert rows[:4] == [["专项名称", "残疾人事业发展补助资金"], ["主管部门", "省残联"], ["资金额度", "4623 万"],
                        ["年 度 总 体 目 标", rows[3][1]]]
    assert rows[3][1].startswith("目标 1:为残疾人") and rows[3][1].endswith("补助基层残联基础设施建设。")
    # names with no value after them: nothing published for the indicator part, and said so
    assert any("without any value" in n for n in notes)


def test_spaced_head_in_the_real_excerpt_gives_the_gold_head_fund_and_goals():
    from pipeline.process import process_file
    text = corpus_text("r026")
    rec = process_file(text.encode("utf-8"), "r026.txt")
    [sec] = rec["sections"]
    assert (sec["project_name"], sec["competent_dept"], sec["unit_name"]) == ("残疾人事业发展补助资金", "省残联", "省残联")
    [fund] = rec["funds"]
    assert (fund["item"], fund["amount_yuan"], fund["measure"]) == ("资金额度", Decimal("46230000.00"), "budget")
    goals = [g["expected_text"] for g in rec["goals"]]
    assert len(goals) == 8 and goals[5] == "对农村贫困残疾人自强互助服务社给予扶持"  # no 。 before 目标 7
    assert goals[7] == "为贫困重度残疾人提供家庭无障碍改造补助。"
    assert rec["indicators"] == []


def test_spaced_head_refused_when_a_value_is_not_its_fields_shape_or_items_skip():
    # goal items numbered 1, 2, 6, 7: not one numbered list - the head is not read
    rows, _ = _head(R026_HEAD)
    assert rows is None
    # a money line whose value is no amount
    text = R026_HEAD.replace("目标 6:", "目标 3:").replace("目标 7:", "目标 4:").replace("4623 万", "另行下达")
    assert _head(text)[0] is None


def test_label_column_goal_labels_paired_with_as_many_sentences():
    # r042 lines 41-44: the two goal texts right before the indicator header, the first a
    # sentence of its own line, the second wrapped at 将猪、; the column ends with the two
    # goal labels 专项长期/绩效目标 and 专项年度/绩效目标
    from pipeline.process import process_file
    text = corpus_text("r042")
    rec = process_file(text.encode("utf-8"), "r042.txt")
    goals = [g["expected_text"].replace(" ", "") for g in rec["goals"]]
    assert goals == ["通过项目的实施在2020年前,生猪、羊、牛、家禽死亡率分别制在4%、3%、2%、8%以下。",
                     "加强对动物免疫接种、检疫、扑杀等手段和措施,有效控制疫病的发生和流行,将猪、牛、羊、家禽死亡率分别"
                     "控制在现的基础上下降0.5、0.1、0.5、和0.1个个百分点。"]


def test_label_column_goals_refused_when_the_sentences_do_not_count_as_the_labels():
    # the same text with the two goal sentences run into one (no 。 between them): one
    # sentence for two goal labels - nothing is paired, and the warning says so
    from pipeline.process import process_file
    text = corpus_text("r042").replace("8%以下。加强对", "8%以下,加强对")
    rec = process_file(text.encode("utf-8"), "r042.txt")
    assert rec["goals"] == []
    assert any("goal label(s) not paired" in w for w in infer(text).notes)


def _prose_excerpts() -> list[str]:
    from tests.conftest import CORPUS
    import csv
    manifest = CORPUS / "MANIFEST.tsv"
    if not manifest.exists():
        return []
    with manifest.open(encoding="utf-8") as f:
        return [r["id"] for r in csv.DictReader(f, delimiter="\t") if r["layout"] == "prose"]


def test_no_report_of_the_dev_corpus_is_read_as_an_interleaved_table():
    # the 15 自评报告 excerpts (prose) keep their paragraphs: none of the three readers fires
    from extractors.layout.interleaved import read_label_column
    from extractors.layout.spaced_head import read_spaced_head
    ids = _prose_excerpts()
    if not ids:
        import pytest
        pytest.skip("../shared/corpus/dev/MANIFEST.tsv not present")
    for rid in ids:
        text = corpus_text(rid)
        ls = split_lines(text)
        assert read(text, ls)[0] is None, rid
        assert read_label_column(text, ls, lambda em, a, b: None) is None, rid
        assert read_spaced_head(text, ls) is None, rid
        assert infer(text).layout != "column_interleaved", rid


def test_prose_lines_in_any_order_are_never_an_interleaved_table():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from extractors.layout.interleaved import read_label_column
    from extractors.layout.spaced_head import read_spaced_head
    ids = _prose_excerpts()
    if not ids:
        import pytest
        pytest.skip("../shared/corpus/dev/MANIFEST.tsv not present")
    pool = [ln for rid in ids for ln in corpus_text(rid).splitlines() if ln.strip()]

    @settings(max_examples=60, deadline=None)
    @given(st.lists(st.sampled_from(pool), min_size=1, max_size=25))
    def check(picked):
        text = "\n".join(picked)
        ls = split_lines(text)
        assert read(text, ls)[0] is None
        assert read_label_column(text, ls, lambda em, a, b: None) is None
        assert read_spaced_head(text, ls) is None

    check()


def test_weighted_sheet_flattened_onto_one_line_reads_the_same():
    # the same r018 lines as a PDF text layer that lost its line breaks (as r026's did)
    flat = R018_SHEET.replace("\n", " ")
    rows, _ = _grid(flat)
    assert rows == _grid(R018_SHEET)[0]
