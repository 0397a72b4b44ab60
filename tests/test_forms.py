"""Form parsers on the two real seed documents: every value below is read off the seeds."""
from __future__ import annotations

from decimal import Decimal as D

import pytest


def by_section(records, dataset, ordinal):
    return [r for r in records[dataset] if r["section_id"].endswith(f":{ordinal}")]


def ind_tuple(r):
    return (r["level1"], r["level2"], r["name"], r["target_op"], r["target_value"], r["target_unit"],
            r["target_kind"], r["actual_op"], r["actual_value"], r["actual_unit"], r["actual_kind"],
            r["weight"], r["score"])


def test_indicator_row_counts(seed000_records, seed004_records):
    counts = [len(by_section(seed000_records, "indicators", n)) for n in range(1, 7)]
    assert counts == [0, 25, 11, 9, 24, 0]
    assert len(seed004_records["indicators"]) == 24


def test_seed000_overall_self_eval_indicators(seed000_records):
    rows = by_section(seed000_records, "indicators", 2)
    got = [ind_tuple(r) for r in rows]
    P, E, S = "产出指标", "效益指标", "满意度指标"
    expected = [
        (P, "数量指标", "爱卫工作巡查指导轮次", "=", D(12), "次", "count", "=", D(12), "次", "count", D(3), D(3)),
        (P, "数量指标", "国家免疫规划类疫苗接种", "=", D(108389), "人次", "count", "=", D(108526), "人次", "count", D(3), D(3)),
        (P, "数量指标", "非免疫规划疫苗接种剂次", "=", D(240156), "剂次", "count", "=", D(240156), "剂次", "count", D(3), D(3)),
        (P, "数量指标", "启动抗病毒治疗在治人数", "=", D(462), "人", "count", "=", D(462), "人", "count", D(3), D(3)),
        (P, "数量指标", "管理孕产妇", "=", D(5200), "人", "count", "=", D(5239), "人", "count", D(3), D(3)),
        (P, "数量指标", "全系统开展消防安全培训", "=", D(10), "次", "count", "=", D(10), "次", "count", D(3), D(3)),
        (P, "数量指标", "累计建立居民健康档案", "=", D(661200), "份", "count", "=", D(661200), "份", "count", D(3), D(3)),
        (P, "数量指标", "家庭医生签约", "=", D(287000), "人", "count", "=", D(287000), "人", "count", D(3), D(3)),
        (P, "数量指标", "0-6岁儿童健康管理", "=", D(37500), "人", "count", "=", D(37874), "人", "count", D(3), D(3)),
        (P, "质量指标", "国家免疫规划类疫苗接种率", ">=", D(95), "%", "percent", "=", D("95.12"), "%", "percent", D(3), D(3)),
        (P, "质量指标", "抗病毒治疗率", ">=", D(95), "%", "percent", "=", D("96.86"), "%", "percent", D(4), D(4)),
        (P, "质量指标", "安全生产事故发生率", "=", D(0), "%", "percent", "=", D(0), "%", "percent", D(4), D(4)),
        (P, "时效指标", "每周开展环卫大扫除活动", "qual", None, None, "text", "qual", None, None, "text", D(4), D(4)),
        (P, "时效指标", "2023年完成基本公共卫生服务", "=", None, None, "date", "qual", None, None, "text", D(4), D(4)),
        (P, "成本指标", "总成本控制", "<=", None, "元", "money", "=", D("19888800"), "元", "money", D(4), D(2)),
        (E, "经济效益指标", "医疗业务收入", "=", D("249000000"), "元", "money", "=", D("249000000"), "元", "money", D(4), D(4)),
        (E, "社会效益指标", "推进医联体建设", "qual", None, None, "text", "qual", None, None, "text", D(4), D(4)),
        (E, "社会效益指标", "在省、市基本公共卫生服务项目考核", "=", D(1), "名", "rank", "=", D(1), "名", "rank", D(4), D(4)),
        (E, "社会效益指标", "突发公共卫生事件应急救治和防控能力", "qual", None, None, "text", "qual", None, None, "text", D(4), D(4)),
        (E, "生态效益指标", "重大传染病规范处置率", "=", D(100), "%", "percent", "=", D(100), "%", "percent", D(4), D(4)),
        (E, "生态效益指标", "医废处置情况", "qual", None, None, "text", "qual", None, None, "text", D(4), D(4)),
        (E, "可持续影响指标", "人才培训和技能培训", "qual", None, None, "text", "qual", None, None, "text", D(3), D(3)),
        (E, "可持续影响指标", "急性传染病疫情应急处置技能培训与竞赛活动", "=", D(1), "名", "rank", "=", D(1), "名", "rank", D(3), D(3)),
        (S, "服务对象满意度指标", "群众满意度", ">=", D(95), "%", "percent", "=", D(98), "%", "percent", D(5), D(5)),
        (S, "服务对象满意度指标", "二级机构职工满意度", ">=", D(95), "%", "percent", "=", D(98), "%", "percent", D(5), D(5)),
    ]
    assert got == expected
    assert [r["level1_weight"] for r in rows] == [D(50)] * 15 + [D(30)] * 8 + [D(10)] * 2
    assert rows[14]["deviation_note"] == "财政追加了项目经费"
    # *_raw is the cell as read (layout breaks folded); the block keeps the exact characters
    blocks = {b["block_id"]: b["text"] for b in seed000_records["blocks"]}
    assert rows[15]["level2_raw"] == "经济效益指标" and blocks[rows[15]["level2_block"]] == "经济效\n益指标"
    assert rows[15]["name_raw"] == "医疗业务收入" and blocks[rows[15]["name_block"]] == "医疗业务收入\n"
    assert rows[0]["level1_raw"] == "产出指标(50分)"
    assert blocks[rows[0]["level1_block"]] == "\n\n\n\n产出指标\n(50 分)"
    assert all(r["level1_block"] == rows[0]["level1_block"] for r in rows[:15])


def test_seed000_project_table_vertical_merges_and_na(seed000_records):
    rows = by_section(seed000_records, "indicators", 3)
    names = [r["name"] for r in rows]
    assert names == ["12家社区卫生服务中心", "区疾控中心", "楼区人民医院", "准确率", "对指定人数1年",
                     "总成本控制", "不适用", "及时完成办理任务", "不适用", "加强职业健康管理", "对健康证的发放"]
    # 数量指标 carried down from the merged cell over the first three rows
    assert [r["level2"] for r in rows[:3]] == ["数量指标"] * 3
    assert (rows[3]["target_raw"], rows[3]["target_op"], rows[3]["target_value"]) == ("98%以上", ">=", D(98))
    assert rows[3]["actual_raw"] == "100%准确"
    assert rows[5]["target_raw"] == "不超过年初预算投入" and rows[5]["actual_value"] == D("1200000")
    na = rows[6]
    assert (na["level2"], na["target_op"], na["target_kind"], na["actual_op"], na["weight"], na["score"]) == \
        ("经济效益指标", "na", "na", "na", None, None)
    social = rows[7]
    assert social["target_raw"] == "" and social["target_op"] == "na" and social["score"] == D(15)
    assert [r["weight"] for r in rows] == [D(8)] * 5 + [D(10), None, D(15), None, D(15), D(10)]


def test_seed000_third_project_table(seed000_records):
    rows = by_section(seed000_records, "indicators", 5)
    r = {x["name"]: x for x in rows}
    assert r["“两癌”筛查合格率"]["target_op"] == ">=" and r["“两癌”筛查合格率"]["actual_op"] == ">="
    assert r["孕前优生健康宣教、咨询指导率"]["target_value"] == D(100)  # 100％ full-width
    assert r["新生儿筛查率"]["actual_value"] == D("102.34")
    assert r["幼师体检率"]["target_raw"] == "大于等于90%" and r["幼师体检率"]["target_op"] == ">="
    assert r["育龄夫妇进行免费孕前优生健康检查"]["target_unit"] == "对"
    assert r["2023年免费产前筛查"]["target_raw"] == "2023年度完成"
    assert r["2023年免费产前筛查"]["target_kind"] == "text"
    assert sum(x["weight"] for x in rows if x["weight"]) == 90


def test_seed000_totals_and_header(seed000_records):
    secs = seed000_records["sections"]
    assert [(s["total_weight"], s["total_score"]) for s in secs] == [
        (None, None), (D(100), D(98)), (D(100), D(100)), (D(100), D(100)), (D(100), D(100)), (None, None)]
    s3 = secs[2]
    assert s3["project_name"] == "岳阳市岳阳楼区卫生健康局综合专项（从业人员预防性体检）"
    assert s3["competent_dept"] == "岳阳市岳阳楼区卫生健康局"
    assert s3["implementing_unit"] == "岳阳市岳阳楼区疾病预防控制中心"
    assert (s3["preparer"], s3["phone"]) == ("吴晓荣", "13707303909")
    assert (secs[4]["preparer"], secs[4]["phone"]) == ("魏晓红", "18975001598")
    assert secs[0]["unit_name"] == "岳阳市岳阳楼区卫生健康局" and secs[0]["fiscal_year"] == 2023
    assert str(secs[5]["filled_date"]) == "2024-06-04"
    assert all(s["status"] == "ok" for s in secs), [s["status_message"] for s in secs]


def fund_view(rows):
    return [(r["item"], r["parent_item"], r["measure"], r["period_year"], r["amount_yuan"]) for r in rows]


def test_seed000_basic_data_funds_hierarchy(seed000_records):
    rows = by_section(seed000_records, "funds", 1)
    parents = {}
    for r in rows:
        parents.setdefault(r["item"], r["parent_item"])
    assert parents["公车运行维护"] == "公务用车购置和维护经费"
    assert parents["公务用车购置和维护经费"] == "三公经费"
    assert parents["三公经费"] is None
    assert parents["公务接待"] == "三公经费"
    for item in ("业务工作经费", "运行维护经费", "区级专项资金", "上级转移支付"):
        assert parents[item] == "项目支出"
    special = [i for i, p in parents.items() if p == "区级专项资金"]
    assert len(special) == 18 and special[0] == "宣传教育经费" and special[-1] == "税费缴纳"
    assert parents["基本公卫经费"] == "上级转移支付"
    assert [i for i, p in parents.items() if p == "公用经费"] == ["办公经费", "水费、电费、差旅费", "会议费、培训费"]
    assert parents["政府采购金额"] is None
    v = fund_view(rows)
    assert ("项目支出", None, "final", 2022, D("23853900.00")) in v
    assert ("项目支出", None, "budget", 2023, D("2585900.00")) in v
    assert ("公用经费", None, "final", 2023, D("756400.00")) in v
    assert ("重症精神病监护补贴", "区级专项资金", "final", 2023, D("1900.00")) in v
    assert ("三公经费", None, "final", 2023, D("11800.00")) in v
    assert len(rows) == 63  # non-empty amount cells of the table, counted by hand
    assert all(r["unit_raw"] == "万元" for r in rows)


def test_seed000_staffing_facts(seed000_records):
    facts = {f["key"]: f for f in by_section(seed000_records, "facts", 1)}
    assert facts["staff_authorized"]["value"] == D(43)
    assert facts["staff_actual"]["value"] == D(35)
    assert facts["staff_control_rate"]["value_raw"] == "81.40%"
    assert facts["staff_control_rate"]["value"] == D("81.40") and facts["staff_control_rate"]["unit"] == "%"


def test_seed000_self_eval_funds_and_budget_facts(seed000_records):
    v = fund_view(by_section(seed000_records, "funds", 2))
    assert v == [
        ("年度资金总额", None, "budget_initial", 2023, D("11236400.00")),
        ("年度资金总额", None, "budget_full_year", 2023, D("19888800.00")),
        ("年度资金总额", None, "executed", 2023, D("19888800.00")),
        ("一般公共预算", "年度资金总额", "budget", 2023, D("19888800.00")),
        ("基本支出", "年度资金总额", "budget", 2023, D("8631700.00")),
        ("项目支出", "年度资金总额", "budget", 2023, D("11257100.00")),
    ]
    v3 = fund_view(by_section(seed000_records, "funds", 4))
    assert ("当年财政拨款", "年度资金总额", "executed", 2023, D("1190000.00")) in v3
    facts = {f["key"]: f["value"] for f in by_section(seed000_records, "facts", 2)}
    assert facts == {"budget_weight": D(10), "execution_rate": D(100), "budget_score": D(10)}


def test_seed000_goal_pairs_of_attachment2(seed000_records):
    goals = by_section(seed000_records, "goals", 2)
    assert len(goals) == 8 and all(g["kind"] == "goal" for g in goals)
    assert goals[0]["expected_text"] == "1、爱卫工作巡查指导共巡查12轮次；"
    assert goals[0]["actual_text"] == "1、爱卫工作巡查指导共巡查12轮次；"
    assert goals[3]["expected_text"] == "4、医疗业务收入2.49亿元。"
    assert goals[3]["actual_text"] == "4、医疗业务收入2.49亿元。"
    assert goals[4]["expected_text"] == "5、管理孕产妇5200人，0-6岁儿童健康管理37874人；"
    assert goals[4]["actual_text"].startswith("5、2023年全区共管理孕产妇5239人")
    assert goals[7]["actual_text"].startswith("8、完善充实127个家庭医生团队，签约28.7万人")


def test_goal_spans_point_into_the_text(seed000_records):
    from normalizers.text import fold_ws
    text = seed000_records["documents"][0]["text"]
    for g in seed000_records["goals"]:
        if g["expected_text"] is not None:
            assert fold_ws(text[g["expected_start"]:g["expected_end"]]) == g["expected_text"]
        if g["actual_text"] is not None:
            assert fold_ws(text[g["actual_start"]:g["actual_end"]]) == g["actual_text"]
    g2 = by_section(seed000_records, "goals", 2)[1]
    assert text[g2["expected_start"]:g2["expected_end"]] == "2、 国家免疫规划类疫苗接种108389人次，非免疫规划疫苗接种240156剂次；"
    unpaired = by_section(seed000_records, "goals", 5)[-1]
    assert unpaired["expected_text"] is None and unpaired["actual_text"].startswith("7、今年已对2915对育龄夫妇")


def test_seed004_target_form(seed004_records):
    inds = seed004_records["indicators"]
    assert [(r["item"], r["name"], r["target_raw"]) for r in inds[:2]] == [
        ("人才培养经费", "外出培训人次", "大于等于120人次"),
        ("医疗废物处置", "医废转运覆盖医疗机构", "等于18家")]
    assert (inds[0]["target_op"], inds[0]["target_value"], inds[0]["target_unit"]) == (">=", D(120), "人次")
    assert all(r["actual_raw"] is None for r in inds)
    # the text shifts the 效益指标/满意度指标 rows one column left; the vocabulary puts them back
    econ = inds[11]
    assert (econ["level1"], econ["level2"], econ["item"], econ["target_op"], econ["target_value"]) == \
        ("效益指标", "经济效益指标", "街镇卫生院基本药物制度补助", ">=", D(70))
    levels = [(r["level1"], r["level2"]) for r in inds]
    assert levels.count(("产出指标", "数量指标")) == 2
    assert levels.count(("产出指标", "质量指标")) == 5
    assert levels.count(("产出指标", "时效指标")) == 2
    assert levels.count(("产出指标", "成本指标")) == 2
    assert levels.count(("效益指标", "经济效益指标")) == 2
    assert levels.count(("效益指标", "社会效益指标")) == 3
    assert levels.count(("效益指标", "生态效益指标")) == 2
    assert levels.count(("效益指标", "可持续影响指标")) == 3
    assert levels.count(("满意度指标", "服务对象满意度指标")) == 3
    assert inds[23]["name"] == "服务对象综合知晓率" and inds[23]["target_value"] == D(50)
    funds = fund_view(seed004_records["funds"])
    assert funds == [
        ("年度资金总额", None, "budget", 2023, D("256567800.00")),
        ("一般公共预算", "年度资金总额", "budget", 2023, D("209187800.00")),
        ("基本支出", "年度资金总额", "budget", 2023, D("76627800.00")),
        ("政府性基金拨款", "年度资金总额", "budget", 2023, D("47380000.00")),
        ("项目支出", "年度资金总额", "budget", 2023, D("179940000.00")),
    ]
    goals = seed004_records["goals"]
    assert [g["kind"] for g in goals].count("duty") == 14
    assert [g["kind"] for g in goals].count("goal") == 4
    assert goals[14]["expected_text"].startswith("1.强化党建引领。认真学习党的二十大精神")
    sec = seed004_records["sections"][0]
    assert (sec["unit_name"], sec["fiscal_year"], sec["status"]) == ("长沙市望城区卫生健康局", 2023, "ok")


@pytest.mark.parametrize("field", ["name_block", "target_block", "weight_block"])
def test_indicator_blocks_hold_the_raw_values(seed000_records, field):
    blocks = {b["block_id"]: b for b in seed000_records["blocks"]}
    raw_field = {"name_block": "name_raw", "target_block": "target_raw", "weight_block": None}[field]
    for r in seed000_records["indicators"]:
        b = blocks[r[field]]
        if raw_field:
            assert b["text"].strip() == (r[raw_field] or "").strip()
        elif r["weight"] is not None:
            assert D(b["text"].strip()) == r["weight"]


def test_breakdown_header_with_its_own_sum_is_a_line():
    # r064 附件二: '按收入性质分:2030.12 | 按支出性质分:1925.67' over
    # '其中: 一般公共预算:1325.68 | 其中:基本支出:900.47'
    from .formbuild import extract_bytes, html_form
    rows = [
        ["", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "自评得分"],
        ["年度资金总额", "861.10", "2030.12", "2030.12", "10", "100%", "10"],
        [("按收入性质分:2030.12", 4), ("按支出性质分:1925.67", 3)],
        [("其中: 一般公共预算:1325.68", 4), ("其中:基本支出:900.47", 3)],
    ]
    out = extract_bytes(html_form("2023年度部门整体支出绩效自评表", rows), "f.html")
    lines = [(f["item"], f["item_raw"], f["parent_item"], f["amount_yuan"]) for f in out["funds"]
             if f["measure"] == "budget"]
    assert lines == [
        ("按收入性质分", "按收入性质分", "年度资金总额", D("20301200.00")),
        ("按支出性质分", "按支出性质分", "年度资金总额", D("19256700.00")),
        # spaces folded (CONTRACT); the lines sit under the header that states their sum
        # (the breakdown checks climb from it to the total)
        ("一般公共预算", "其中:一般公共预算", "按收入性质分", D("13256800.00")),
        ("基本支出", "其中:基本支出", "按支出性质分", D("9004700.00")),
    ]


def test_money_table_with_year_columns():
    # r030 项目支出预算绩效目标申报表(2022年度): '项目资金情况 | 项目资金申请(万元) | 项 目 |
    # 上年度安排资金 | 本年度申请资金' over '合 计 | 213.4 | 259' and '县级资金 | 213.4 | 259'
    from .formbuild import extract_bytes, html_form
    rows = [
        [("项目资金情况", 1, 4), ("项目资金申请(万元)", 1, 4), "项 目", "上年度安排资金", "本年度申请资金"],
        ["合 计", "213.4", "259"],
        ["市级资金", "", ""],
        ["县级资金", "213.4", "259"],
    ]
    out = extract_bytes(html_form("项目支出预算绩效目标申报表", rows, paragraphs=["(2022年度)"]), "f.html")
    got = [(f["item"], f["parent_item"], f["measure_raw"], f["period_year"], f["amount_yuan"]) for f in out["funds"]]
    assert got == [
        ("合计", None, "上年度安排资金", 2021, D("2134000.00")), ("合计", None, "本年度申请资金", 2022, D("2590000.00")),
        ("县级资金", "合计", "上年度安排资金", 2021, D("2134000.00")),
        ("县级资金", "合计", "本年度申请资金", 2022, D("2590000.00")),
    ]
