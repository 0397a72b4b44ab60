"""Regional variants of the forms, declared in extractors/forms/*.yaml, on real rows.

The header is r021's (Sichuan 部门预算项目支出绩效自评表, 青神县发展和改革局) and the rows are
r055's (Sichuan, 大英县文化广播电视和旅游局), as they appear in ../shared/corpus/dev:
split 指标性质 | 指标值 | 度量单位 columns.  One edit: r055 breaks the 图书馆管理机制健全性
row over two lines (`… | 定性 | 好坏 |` / `| 好坏 | 5 | 5 |`); here it is one row with its
empty 度量单位 cell.
"""
from __future__ import annotations

from decimal import Decimal as D

from extractors.extract import extract
from extractors.readers.txt import read_txt

SICHUAN = """部门预算项目支出绩效自评表(2022年度) | |
项目名称 | 51092322T000000436802-图书馆免费开放 | |
绩效指标(90分) | 一级指标 | 二级指标 | 三级指标 | 指标性质 | 指标值 | 度量单位 | 完成值 | 权重 | 得分 | 未完成原因分析 |
产出指标 | 数量指标 | 公益性讲座知晓率 | = | 100 | % | 100 | 5 | 5 |
可持续影响指标 | 图书馆管理机制健全性 | 定性 | 好坏 | | 好坏 | 5 | 5 |
满意度指标 | 服务对象满意度指标 | 活动参与人员满意度 | ≥ | 95 | % | 95 | 5 | 5 |
聘用人员满意度 | ≥ | 95 | % | 95 | 5 | 5 |
合计 | 100 | 100 |
"""


def test_sichuan_split_target_columns():
    doc = read_txt(SICHUAN.encode("utf-8"))
    assert doc.layout == "markdown_table"
    out = extract(doc, "0" * 16)
    sec = out["sections"][0]
    assert sec["form_type"] == "project_self_eval" and sec["fiscal_year"] == 2022
    rows = [(r["level1"], r["level2"], r["name"], r["target_raw"], r["target_op"], r["target_value"],
             r["target_unit"], r["actual_value"], r["weight"], r["score"]) for r in out["indicators"]]
    assert rows[0] == ("产出指标", "数量指标", "公益性讲座知晓率", "=100%", "=", D(100), "%", D(100), D(5), D(5))
    # 指标性质 定性 (qualitative) is not a comparator: the target is the text 好坏
    assert rows[1][2:5] == ("图书馆管理机制健全性", "好坏", "qual")
    assert rows[2] == ("满意度指标", "服务对象满意度指标", "活动参与人员满意度", "≥95%", ">=", D(95), "%",
                       D(95), D(5), D(5))
    # the merged 一级/二级 cells dropped by the web page are carried down
    assert rows[3][:3] == ("满意度指标", "服务对象满意度指标", "聘用人员满意度")
    assert rows[3][4:6] == (">=", D(95))
    assert (sec["total_weight"], sec["total_score"]) == (D(100), D(100))
