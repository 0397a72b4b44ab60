"""The 45 real published excerpts of ../shared/corpus/dev: never a crash, forms
recognised, and the figures of the documents whose cells can be separated."""
from __future__ import annotations

import csv
from decimal import Decimal as D

import pytest

from pipeline.run import run

from .conftest import CORPUS

# excerpts whose forms are not (all) recognised yet, and why
KNOWN_MISSES = {
    "r002": "the 评分表 of the title is beyond the excerpt's end",
    "r018": "score sheet fragment without a form title",
    "r033": "traditional characters; the 自评表 table title is lost in the page header",
    "r051": "the 评价指标表 has no title in the excerpt",
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    if not CORPUS.exists():
        pytest.skip("../shared/corpus/dev not present")
    raw = tmp_path_factory.mktemp("corpus_raw")  # the excerpts, without README/MANIFEST
    for f in sorted(CORPUS.glob("r*.txt")):
        (raw / f.name).symlink_to(f.resolve())
    out = tmp_path_factory.mktemp("corpus_parquet")
    run(raw, out, workers=2, timeout=120, progress=False)
    import duckdb

    def q(sql):
        for name in ("documents", "sections", "indicators", "funds", "facts", "checks", "blocks", "goals"):
            sql = sql.replace("{" + name + "}", f"read_parquet('{out}/{name}/**/*.parquet')")
        return duckdb.sql(sql).fetchall()
    return q


def manifest():
    with open(CORPUS / "MANIFEST.tsv", encoding="utf-8") as f:
        return {r["id"]: r for r in csv.DictReader(f, delimiter="\t")}


def test_no_document_fails_and_spans_hold(corpus):
    rows = corpus("SELECT source_path, status, error FROM {documents}")
    assert len(rows) == 45
    assert [r for r in rows if r[1] == "failed"] == []
    # a partial document always says why
    assert all(r[2] for r in rows if r[1] == "partial")
    bad = corpus("""SELECT count(*) FROM {blocks} b JOIN {documents} d USING (doc_id)
                    WHERE substring(d.text, b.char_start + 1, b.char_end - b.char_start) <> b.text""")
    assert bad == [(0,)]


def test_forms_recognised_as_the_manifest_says(corpus):
    got = {}
    for path, form in corpus("SELECT d.source_path, s.form_type FROM {sections} s JOIN {documents} d USING (doc_id)"):
        got.setdefault(path.removesuffix(".txt"), set()).add(form)
    misses = []
    for rid, m in manifest().items():
        want = set(m["form_types"].split(",")) - {"other"}
        if not want <= got.get(rid, set()):
            misses.append(rid)
    assert sorted(misses) == sorted(KNOWN_MISSES)


def ind(corpus, rid):
    return corpus(f"""SELECT level1, level2, name, target_raw, target_op, target_value, target_unit,
                             target_kind, actual_raw, actual_value, weight, score
                      FROM {{indicators}} i JOIN {{documents}} d USING (doc_id)
                      WHERE d.source_path = '{rid}.txt' ORDER BY section_id, row_no""")


def funds(corpus, rid):
    return corpus(f"""SELECT item, parent_item, measure, amount_raw, amount_yuan
                      FROM {{funds}} f JOIN {{documents}} d USING (doc_id)
                      WHERE d.source_path = '{rid}.txt' ORDER BY section_id, fund_id""")


def test_r031_markdown_rows_with_collapsed_merges(corpus):
    rows = ind(corpus, "r031")
    assert len(rows) == 11
    # '补贴民办园租用面积 | 26970.7平方米 |' has lost its 一级/二级 cells: carried down
    assert rows[1][:8] == ("产出指标", "数量指标", "补贴民办园租用面积", "26970.7平方米", "=",
                           D("26970.7"), "平方米", "count")
    assert rows[2][2:7] == ("补贴覆盖民办幼儿园率", "≥90.91%", ">=", D("90.91"), "%")
    # 成本指标 after 时效指标 is the 二级 成本指标 of 产出指标
    assert rows[6][:4] == ("产出指标", "成本指标", "补贴标准", "71.86元/平方米")
    assert rows[10][:3] == ("满意度指标", "服务对象满意度指标", "受益租户满意度")
    # '项目预算金额(万元) | 193.8 |' beside 主管预算部门
    assert funds(corpus, "r031") == [("项目预算金额", None, "budget", "193.8", D("1938000.00"))]  # kept as written (gold)
    assert corpus("""SELECT fiscal_year, s.status FROM {sections} s JOIN {documents} d USING (doc_id)
                     WHERE d.source_path = 'r031.txt'""") == [(2020, "ok")]


def test_r053_hubei_budget_a_executed_b(corpus):
    f = funds(corpus, "r053")
    # '年度财政资金总额' is kept as written (gold: only lines the vocabulary knows are canonical)
    assert f == [("年度财政资金总额", None, "budget", "5", D("50000.00")),
                 ("年度财政资金总额", None, "executed", "5", D("50000.00"))]
    facts = dict(corpus("""SELECT key, value FROM {facts} f JOIN {documents} d USING (doc_id)
                           WHERE d.source_path = 'r053.txt'"""))
    # '得分 (20分*执行率)' is the score column, not the rate
    # '预算执行情况(万元) (20分)': the block's weight is in its header
    assert facts == {"execution_rate": D(100), "budget_score": D(20), "budget_weight": D(20)}
    rows = ind(corpus, "r053")
    first = rows[0]
    assert first[2:4] == ("一个存储备份器", "25TB") and first[11] == D(10) and first[10] is None
    # one 得分 cell merged over two rows: the second row has no score, not a shifted one
    assert rows[1][2] == "WIFI布点全覆盖" and rows[1][11] is None


def test_r020_sichuan_adjusted_budget(corpus):
    f = funds(corpus, "r020")
    assert ("年度资金总额", None, "budget_initial", "0.00", D("0.00")) in f
    assert ("年度资金总额", None, "budget_full_year", "3.36", D("33600.00")) in f
    assert ("年度资金总额", None, "executed", "3.36", D("33600.00")) in f
    assert ("财政资金", "年度资金总额", "budget_full_year", "3.36", D("33600.00")) in f


def test_r060_amounts_that_write_their_own_scale(corpus):
    f = funds(corpus, "r060")
    assert f[0] == ("年度资金总额", None, "budget_full_year", "3359.62万", D("33596200.00"))
    assert ("中央财政资金", "年度资金总额", "executed", "829.3万", D("8293000.00")) in f
    rows = ind(corpus, "r060")
    assert rows[0][2:6] == ("享受医疗救助人次", "≥50000人次", ">=", D(50000))
    assert rows[0][8:10] == ("110406", D(110406))


def test_r056_narrative_items_do_not_sum(corpus):
    rows = corpus("""SELECT rule, expected, observed FROM {checks} c JOIN {documents} d USING (doc_id)
                     WHERE d.source_path = 'r056.txt'""")
    assert [r[0] for r in rows] == ["narrative_list_sum"]
    assert "2253" in rows[0][1] and "2263" in rows[0][2]


def test_r064_one_cell_per_paragraph_rows_rebuilt(corpus):
    """Hunan 基础数据表 as one cell per paragraph: rows rebuilt from the header's width."""
    layout = corpus("SELECT layout FROM {documents} WHERE source_path = 'r064.txt'")
    assert layout == [("blank_line_cells",)]
    f = corpus("""SELECT item, parent_item, measure, period_year, amount_raw, amount_yuan, qizhong
                  FROM {funds} f JOIN {documents} d USING (doc_id)
                  WHERE d.source_path = 'r064.txt' ORDER BY section_id, fund_id""")
    # '项目支出:' / '874.20' / '308.17' / '1025.20', each its own paragraph
    assert ("项目支出", None, "final", 2022, "874.20", D("8742000.00"), None) in f
    assert ("项目支出", None, "final", 2023, "1025.20", D("10252000.00"), None) in f
    # '其中:办公经费' opens a partial breakdown of 公用经费; the lines after it belong to it
    assert ("办公经费", "公用经费", "final", 2023, "49.09", D("490900.00"), True) in f
    assert ("会议费、培训费", "公用经费", "budget", 2023, "3.00", D("30000.00"), True) in f
    assert ("年度资金总额", None, "budget_initial", 2023, "861.10", D("8611000.00"), None) in f
    facts = dict(corpus("""SELECT key, value FROM {facts} k JOIN {documents} d USING (doc_id)
                           WHERE d.source_path = 'r064.txt'"""))
    assert facts["staff_authorized"] == D(46) and facts["staff_actual"] == D(50)
    assert facts["staff_control_rate"] == D("108.70") and facts["execution_rate"] == D(100)
    # the 按收入性质分 / 按支出性质分 pairs ('其中: 一般公共预算:1325.68' | '其中:基本支出:900.47')
    # a breakdown header that states its own sum ('按收入性质分:2030.12') is a line too, the
    # parent of its breakdown lines
    assert ("按收入性质分", "年度资金总额", "budget", 2023, "2030.12", D("20301200.00"), None) in f
    assert ("一般公共预算", "按收入性质分", "budget", 2023, "1325.68", D("13256800.00"), None) in f
    assert ("项目支出", "按支出性质分", "budget", 2023, "1025.20", D("10252000.00"), None) in f
    # 控制率 108.70% = 50 / 46 and the 公用经费 breakdown is partial (其中): no finding there;
    # but 基本支出 900.47 + 项目支出 1025.20 = 1925.67 is not the 2030.12 total (MANIFEST notes it)
    rows = corpus("""SELECT rule, severity, message FROM {checks} c JOIN {documents} d USING (doc_id)
                     WHERE d.source_path = 'r064.txt'""")
    assert [(r[0], r[1]) for r in rows] == [("basic_plus_project", "error")]
    assert "1925.67" in rows[0][2] and "2030.12" in rows[0][2]
    # '年度总体目标' / '预期目标' / '实际完成情况' / the expected text (the excerpt ends there)
    goals = corpus("""SELECT kind, expected_text, actual_text FROM {goals} g JOIN {documents} d USING (doc_id)
                      WHERE d.source_path = 'r064.txt'""")
    assert len(goals) == 1 and goals[0][0] == "goal" and goals[0][2] is None
    assert goals[0][1].startswith("搞好政府各职能部门完成的工作任务监督")


def test_r009_undated_total_its_parts_and_the_filing_unit(corpus):
    # '资金总额及构成总额10606.7522万元财政拨款:6923.3552万元(其中:上级财政资金:6923.3552万元;
    # 本级财政:0万元)二、自有资金:0万元三、其他:3683.3970万元' — a total with no year keeps its
    # name (年度资金总额 only under a column of this year), 财政拨款 stays 财政拨款, a 其中 line's
    # sibling (本级财政) has the 其中 line's parent, a numbered line (二、自有资金) is no part of
    # the line above it (its parent is not written: null, not guessed)
    f = funds(corpus, "r009")
    assert f == [("资金总额", None, "budget", "10606.7522万元", D("106067522.00")),
                 ("财政拨款", None, "budget", "6923.3552万元", D("69233552.00")),
                 ("上级财政资金", "财政拨款", "budget", "6923.3552万元", D("69233552.00")),
                 ("本级财政", "财政拨款", "budget", "0万元", D("0.00")),
                 ("自有资金", None, "budget", "0万元", D("0.00")),
                 ("其他资金", None, "budget", "3683.3970万元", D("36833970.00"))]
    # '填报单位(盖章):宁乡市坝塘镇人民政府' is the unit; '项目单位 坝塘镇' the project's unit
    sec = corpus("""SELECT unit_name, implementing_unit, competent_dept, province FROM {sections} s
                    JOIN {documents} d USING (doc_id) WHERE d.source_path = 'r009.txt'""")
    assert sec == [("宁乡市坝塘镇人民政府", "坝塘镇", "坝塘镇", "湖南省")]


def test_r040_a_section_of_no_known_form_takes_no_unit(corpus):
    # 附件1 '2025年安溪县中央财政动物强制免疫补助资金分配表' (an allocation list, form unknown)
    # states no unit; the 省农业农村厅 of 附件2's 绩效目标表 is not its unit
    rows = corpus("""SELECT form_type, unit_name FROM {sections} s JOIN {documents} d USING (doc_id)
                     WHERE d.source_path = 'r040.txt' ORDER BY ordinal""")
    assert rows == [("unknown", None), ("project_target", "省农业农村厅")]
