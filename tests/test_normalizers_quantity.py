"""parse_quantity: rules of the data contract (indicators section), one case
per rule and per comparator / unit / number form, plus strings quoted from the
development corpus (/work/shared/corpus/dev, file named in the comment)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal as D

import pytest

from normalizers import Quantity, parse_quantity
from normalizers.quantity import KINDS, OPS


def q5(text, hint=None):
    q = parse_quantity(text, hint)
    return (q.op, q.value, q.upper, q.unit, q.kind)


QUAL = ("qual", None, None, None, "text")
NA = ("na", None, None, None, "na")


# --------------------------------------------------------------------------
# the object
# --------------------------------------------------------------------------


def test_quantity_is_frozen_dataclass_with_contract_fields():
    q = parse_quantity("95%")
    assert isinstance(q, Quantity)
    assert [f.name for f in dataclasses.fields(q)] == [
        "op", "value", "upper", "unit", "kind", "raw", "subject", "direction", "date_from", "date_to"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        q.value = D(1)  # type: ignore[misc]


def test_none_is_na_and_non_str_is_refused():
    assert q5(None) == NA
    with pytest.raises(TypeError):
        parse_quantity(95.0)  # floats are never accepted


# --------------------------------------------------------------------------
# money: value in 元, 2 decimals
# --------------------------------------------------------------------------

MONEY = [
    ("1988.88", "万元", D("19888800.00")),
    ("1988.88", "（万元）", D("19888800.00")),
    ("1988.88", "单位：万元", D("19888800.00")),
    ("1,988.88", "万元", D("19888800.00")),
    ("１９８８.８８", "万元", D("19888800.00")),
    ("25,656.78", "万元", D("256567800.00")),
    ("120.00", "万元", D("1200000.00")),
    ("0", "万元", D("0.00")),
    ("0.00", "万元", D("0.00")),
    ("10606.7522", "万元", D("106067522.00")),  # r009: 4 decimals in 万元
    ("3.14159", "万元", D("31415.90")),
    ("1.23456", "元", D("1.23")),  # quantized to 0.01 元, half-up
    ("1.235", "元", D("1.24")),
    ("12", "元", D("12.00")),
    ("12", "千元", D("12000.00")),
    ("1.5", "亿元", D("150000000.00")),
    ("2.49亿元", None, D("249000000.00")),
    ("120万元", None, D("1200000.00")),
    ("5千元", None, D("5000.00")),
    ("3千万元", None, D("30000000.00")),
    ("一千二百万元", None, D("12000000.00")),
    ("863.17 万元", None, D("8631700.00")),  # r011/r014 space before unit
    ("803.74 万元", None, D("8037400.00")),
    ("1,988.88万元", None, D("19888800.00")),
    ("2.00万元", None, D("20000.00")),  # r012
    ("16万元", None, D("160000.00")),  # r004
    ("138587元", None, D("138587.00")),  # r014
    ("50,000.00元", None, D("50000.00")),  # r033
    ("10606.7522万元", None, D("106067522.00")),  # r009
    ("3359.62万", "万元", D("33596200.00")),  # r060: the cell repeats the header scale
    ("829.3万", "万元", D("8293000.00")),
    ("95万元", "%", D("950000.00")),  # unit in the text beats the header
]


@pytest.mark.parametrize("text,hint,value", MONEY)
def test_money_in_yuan(text, hint, value):
    op, v, upper, unit, kind = q5(text, hint)
    assert (op, v, upper, unit, kind) == ("=", value, None, "元", "money")
    assert v.as_tuple().exponent == -2


@pytest.mark.parametrize(
    "text,value,unit",
    [
        ("71.86元/平方米", D("71.86"), "元/平方米"),  # r031
        ("300元/年", D("300.00"), "元/年"),  # r004 per-pupil amount
        ("2万元/年", D("20000.00"), "元/年"),
        ("500元/人", D("500.00"), "元/人"),
    ],
)
def test_money_rates_keep_the_denominator(text, value, unit):
    assert q5(text) == ("=", value, None, unit, "money")


@pytest.mark.parametrize(
    "text",
    ["不超过预算投入", "不超过年初预算投入", "不超预算", "成本控制在预算内", "控制在预算范围内",
     "不超出预算", "≤预算", "在预算范围内", "严格控制在预算范围内", "不超过批复金额"],
)
def test_limit_without_number_is_money_le_null(text):
    assert q5(text) == ("<=", None, None, "元", "money")


@pytest.mark.parametrize("text", ["按预算执行", "预算执行率", "超预算", "预算"])
def test_budget_words_without_a_limit_are_text(text):
    assert q5(text) == QUAL


# --------------------------------------------------------------------------
# counts
# --------------------------------------------------------------------------

COUNTS = [
    ("66.12万份", D("661200"), "份"),
    ("28.7万人", D("287000"), "人"),
    ("12次", D("12"), "次"),
    ("108389人次", D("108389"), "人次"),
    ("240156剂次", D("240156"), "剂次"),
    ("十二轮次", D("12"), "轮次"),
    ("12轮次", D("12"), "轮次"),
    ("2915对", D("2915"), "对"),
    ("182家", D("182"), "家"),
    ("20个", D("20"), "个"),  # r031: 个 alone is the unit
    ("37个", D("37"), "个"),
    ("4个项目", D("4"), "项目"),  # the classifier 个 is dropped before a noun
    ("11个村", D("11"), "村"),
    ("两次", D("2"), "次"),
    ("三场", D("3"), "场"),
    ("25TB", D("25"), "TB"),  # r053
    ("26970.7平方米", D("26970.7"), "平方米"),  # r031
    ("120㎡", D("120"), "㎡"),
    ("3.133km", D("3.133"), "km"),  # r056
    ("300 公里", D("300"), "公里"),  # r032 once the columns are separated
    ("5千米", D("5"), "千米"),  # 千 is part of the unit, not a scale
    ("5千克", D("5"), "千克"),
    ("1.2万亩", D("12000"), "亩"),
    ("2200篇", D("2200"), "篇"),
    ("98.14分", D("98.14"), "分"),  # r015 score
    ("100分。", D("100"), "分"),  # trailing full stop
    ("120名", D("120"), "名"),  # 名 as a headcount (not a rank: no 第)
    ("10-20万人次", None, None),  # placeholder, see test_ranges
]


@pytest.mark.parametrize("text,value,unit", [c for c in COUNTS if c[1] is not None])
def test_counts(text, value, unit):
    assert q5(text) == ("=", value, None, unit, "count")


@pytest.mark.parametrize(
    "text,value",
    [("110406", D("110406")), ("100", D("100")), ("0", D("0")), ("１２３", D("123")),
     ("25,656.78", D("25656.78")), ("1.2万", D("12000")), ("3千万", D("30000000")),
     ("一千二百万", D("12000000")), ("5万", D("50000")), ("4623 万", D("46230000")),
     ("1.5亿", D("150000000")), ("十二", D("12")), ("〇", D("0")), ("三", D("3")),
     ("7.50.", D("7.5"))],  # r051 stray period
)
def test_bare_number_without_hint_is_count_with_null_unit(text, value):
    assert q5(text) == ("=", value, None, None, "count")


@pytest.mark.parametrize(
    "text,hint,expected",
    [
        ("12", "人次", ("=", D("12"), None, "人次", "count")),
        ("3.5万", "人", ("=", D("35000"), None, "人", "count")),
        ("95", "%", ("=", D("95"), None, "%", "percent")),
        ("≥95", "%", (">=", D("95"), None, "%", "percent")),  # r055: 指标值 + 度量单位 columns
        ("30", "万元", ("=", D("300000.00"), None, "元", "money")),  # r020
        ("≤30", "万元", ("<=", D("300000.00"), None, "元", "money")),
        ("3", "个工作日", ("=", D("3"), None, "工作日", "duration")),
        ("5", "批次", ("=", D("5"), None, "批次", "count")),
        ("5", "台（套）", ("=", D("5"), None, "台(套)", "count")),  # unknown header unit kept
        ("95%", "万元", ("=", D("95"), None, "%", "percent")),  # the text's unit wins
        ("已完成", "%", QUAL),
        ("", "万元", NA),
    ],
)
def test_unit_hint(text, hint, expected):
    assert q5(text, hint) == expected


# --------------------------------------------------------------------------
# percent
# --------------------------------------------------------------------------

PERCENTS = [
    ("95.12%", D("95.12")),
    ("100%", D("100")),
    ("100％", D("100")),
    ("１００％", D("100")),
    ("100.00%", D("100")),
    ("0%", D("0")),
    ("0.00%", D("0")),
    ("108.70%", D("108.7")),  # r064 control rate above 100
    ("290%", D("290")),  # r067: the OCR read ≥90% as 290%; we do not second-guess
    ("百分之九十五", D("95")),
    ("百分之百", D("100")),
    ("百分之九十五点五", D("95.5")),
    ("5‰", D("0.5")),
    ("0.3‰", D("0.03")),
    ("2个百分点", D("2")),
    ("100%覆盖", D("100")),  # r053
    ("100%准确", D("100")),  # seed 000
    ("100%完成", D("100")),
    ("95 %", D("95")),
    ("-2.5%", D("-2.5")),
]


@pytest.mark.parametrize("text,value", PERCENTS)
def test_percent_points(text, value):
    assert q5(text) == ("=", value, None, "%", "percent")


def test_permille_with_comparator():
    assert q5("≤5‰") == ("<=", D("0.5"), None, "%", "percent")


def test_ocr_percent_word_unit():  # r001 '≥100百分比'
    assert q5("≥100百分比") == (">=", D("100"), None, "%", "percent")


# --------------------------------------------------------------------------
# comparators
# --------------------------------------------------------------------------

COMPARATORS = [
    # symbols (and their full-width / variant forms)
    ("≥95%", ">="), ("≧95%", ">="), (">=95%", ">="), ("＞＝95%", ">="), ("> = 95%", ">="),
    ("≤5%", "<="), ("≦5%", "<="), ("<=5%", "<="), ("＜＝5%", "<="),
    (">95%", ">"), ("＞95%", ">"), ("<5%", "<"), ("＜5%", "<"),
    ("=95%", "="), ("＝95%", "="), ("═95%", "="), ("﹦95%", "="),
    ("≥ 95 %", ">="),
    # words
    ("大于等于95%", ">="), ("大于或等于95%", ">="), ("小于等于5%", "<="), ("大于95%", ">"),
    ("小于5%", "<"), ("等于95%", "="), ("不低于95%", ">="), ("不少于95%", ">="),
    ("不小于95%", ">="), ("不高于5%", "<="), ("不超过5%", "<="), ("不大于5%", "<="),
    ("不多于5%", "<="), ("至少95%", ">="), ("最多5%", "<="), ("高于95%", ">"),
    ("低于5%", "<"), ("超过95%", ">"), ("达到95%", ">="), ("控制在5%", "<="),
    # suffixes
    ("95%以上", ">="), ("95%及以上", ">="), ("95%(含)以上", ">="), ("95%以上(含)", ">="),
    ("5%以下", "<="), ("5%及以下", "<="), ("5%以内", "<="), ("5%之内", "<="),
    ("≥95%（含）", ">="),
    # prefix + suffix that agree
    ("大于95%以上", ">"), ("不低于95%以上", ">="), ("达到95%以上", ">="),
    ("控制在5%以内", "<="), ("在95%以上", ">="), ("不超过5%以内", "<="),
]


@pytest.mark.parametrize("text,op", COMPARATORS)
def test_comparators(text, op):
    got = q5(text)
    assert got[0] == op
    assert got[2:] == (None, "%", "percent")
    assert got[1] in (D("95"), D("5"))


@pytest.mark.parametrize(
    "text,expected",
    [
        ("大于等于120人次", (">=", D("120"), None, "人次", "count")),
        ("≥50000人次", (">=", D("50000"), None, "人次", "count")),  # r060
        ("≥266米", (">=", D("266"), None, "米", "count")),  # r058
        ("≥360天", (">=", D("360"), None, "天", "duration")),  # r053
        ("≥90.91%", (">=", D("90.91"), None, "%", "percent")),  # r031
        ("90万元以下", ("<=", D("900000.00"), None, "元", "money")),
        ("不超过30万元", ("<=", D("300000.00"), None, "元", "money")),
        ("不少于3次", (">=", D("3"), None, "次", "count")),
        ("至少1次", (">=", D("1"), None, "次", "count")),
        ("等于18家", ("=", D("18"), None, "家", "count")),
    ],
)
def test_comparators_with_units(text, expected):
    assert q5(text) == expected


@pytest.mark.parametrize("text", ["不低于5%以下", "≥95%以下", "小于5%以上", "大于90%-95%"])
def test_contradictory_comparators_are_text(text):
    assert q5(text) == QUAL


# --------------------------------------------------------------------------
# ranges
# --------------------------------------------------------------------------

RANGES = [
    ("90%-95%", D("90"), D("95"), "%", "percent"),
    ("90~95%", D("90"), D("95"), "%", "percent"),
    ("90～95%", D("90"), D("95"), "%", "percent"),
    ("90%至95%", D("90"), D("95"), "%", "percent"),
    ("90—95%", D("90"), D("95"), "%", "percent"),
    ("90%到95%", D("90"), D("95"), "%", "percent"),
    ("90%-95%之间", D("90"), D("95"), "%", "percent"),
    ("0.5%-1%", D("0.5"), D("1"), "%", "percent"),
    ("1-2万元", D("10000.00"), D("20000.00"), "元", "money"),  # left borrows 万元
    ("一至二万元", D("10000.00"), D("20000.00"), "元", "money"),
    ("3000-5000元", D("3000.00"), D("5000.00"), "元", "money"),
    ("10-20万人次", D("100000"), D("200000"), "人次", "count"),
    ("3-5天", D("3"), D("5"), "天", "duration"),
    ("0-6岁", D("0"), D("6"), "岁", "count"),
]


@pytest.mark.parametrize("text,lo,hi,unit,kind", RANGES)
def test_ranges(text, lo, hi, unit, kind):
    assert q5(text) == ("range", lo, hi, unit, kind)


def test_range_with_hint():
    assert q5("90-95", "%") == ("range", D("90"), D("95"), "%", "percent")
    assert q5("10-20", "万元") == ("range", D("100000.00"), D("200000.00"), "元", "money")


@pytest.mark.parametrize(
    "text",
    ["95%-90%", "5-5天", "90%-95人", "5000-2万元", "90%-95", "0562-3211127", "20%-10%"],
)
def test_bad_ranges_are_text(text):
    assert q5(text) == QUAL


# --------------------------------------------------------------------------
# durations and dates
# --------------------------------------------------------------------------

DURATIONS = [
    ("3个工作日内", "<=", D("3"), "工作日"),
    ("2天以内", "<=", D("2"), "天"),
    ("5天之内", "<=", D("5"), "天"),
    ("30日内", "<=", D("30"), "日"),
    ("24小时内", "<=", D("24"), "小时"),
    ("6个月以内", "<=", D("6"), "月"),
    ("1年内", "<=", D("1"), "年"),
    ("3个月", "=", D("3"), "月"),
    ("1周", "=", D("1"), "周"),
    ("≥360天", ">=", D("360"), "天"),
    ("十五个工作日", "=", D("15"), "工作日"),
    ("1个季度", "=", D("1"), "季度"),
]


@pytest.mark.parametrize("text,op,value,unit", DURATIONS)
def test_durations(text, op, value, unit):
    assert q5(text) == (op, value, None, unit, "duration")


DATES = [
    ("2023年12月31日", "="),
    ("2024年06月04日", "="),
    ("2023-12-31", "="),
    ("2023/12/31", "="),
    ("2023.12.31", "="),
    ("2023年12月", "="),
    ("2023年", "="),
    ("2023年度", "="),
    ("二〇二三年", "="),
    ("3月", "="),  # March, not three months
    ("12月底", "="),
    ("2023年1-12月", "range"),
    ("1-12月", "range"),
    ("2022.1—2022.12", "range"),  # r030 项目起止时间: a written range is op range
    ("2020.1.1-2020.12.31", "range"),
    ("2017.01-2017.03", "range"),
    ("2023年12月31日前", "<="),
    ("2023年12月底前", "<="),
    ("12月底前", "<="),
    ("2023年6月30日之前", "<="),
]


@pytest.mark.parametrize("text,op", DATES)
def test_dates_have_null_value(text, op):
    assert q5(text) == (op, None, None, None, "date")


def test_a_year_dot_month_money_figure_is_not_a_date():
    # r064: 按收入性质分:2030.12 (万元) — a money cell, not December 2030
    assert q5("2030.12", "万元") == ("=", D("20301200.00"), None, "元", "money")
    assert q5("1988.88", "万元")[4] == "money"


# --------------------------------------------------------------------------
# ranks
# --------------------------------------------------------------------------

RANKS = [
    ("第1名", "=", D("1")),
    ("第一名", "=", D("1")),
    ("全市第1名", "=", D("1")),
    ("全市第一", "=", D("1")),
    ("荣获总分第一名", "=", D("1")),
    ("连续三年位列全市第1名", "=", D("1")),
    ("排名第3", "=", D("3")),
    ("全省第十二名", "=", D("12")),
    ("考核排名全区第2名", "=", D("2")),
    ("前三名", "<=", D("3")),
    ("全省前10名", "<=", D("10")),
]


@pytest.mark.parametrize("text,op,value", RANKS)
def test_ranks(text, op, value):
    assert q5(text) == (op, value, None, "名", "rank")


@pytest.mark.parametrize("text", ["排名前列", "全市前列", "前10%", "第一季度", "名列前茅", "第0名"])
def test_rank_lookalikes_are_text(text):
    assert q5(text) == QUAL


# --------------------------------------------------------------------------
# n/a and qualitative text
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["", " ", "\n", "\t \u3000", "不适用", "/", "／", "—", "——", "-", "--", "－", "不涉及",
             "N/A", "n/a", "\n不适用", "…"],
)
def test_na(text):
    assert q5(text) == NA


QUAL_TEXTS = [
    "已完成", "显著提升", "全部有效处置", "2023年度完成", "每周开展", "中长期", "逐步提高",
    "不断完善", "应保尽保", "效果显著", "好坏", "定性", "完成", "良好", "全天候可用", "是", "否",
    "无", "及时", "当天", "全力推进", "公益性事业",
    # numbers inside sentences
    "“3+2+1”医联体服务模式", "制定了《2023年度岳阳楼区职业健康监督检查工作方案》",
    "完成12次", "培训120人次以上的目标", "≥360天服务读者", "资源采购期以当年为主",
    "实施基本药物制度补助村卫生室352个。", "本年度已完成37个基层医疗机构基药补助制度实施。",
    "37个基层医疗机构",  # r063: a phrase, not a quantity cell (parse_sentence_quantity reads it)
    "三公经费", "一流", "十分满意", "两癌筛查", "十二五规划",
    # approximate values: never turned into an exact '='
    "约100人", "100人左右", "500多人次", "30余家", "近100人", "逾百人", "±5%",
    # OCR damage noted in MANIFEST.tsv
    "90%290%40", "3M.8万元", "保障人数102370人2370人", "IO", "7,00.0,77", "O76%107.6",
    "tot扁2200篇", "次到0次", "Q0", "W5%", "95.\n\n10%", "0 0 0 10 0 0", "100%100%",
    "长 0.23km", "1:1", "100/100", "1.2.3", "12 9.84", "5 5",
    # numbering and codes
    "2、", "(1)", "510000_0013zp", "139****8136",
]


@pytest.mark.parametrize("text", QUAL_TEXTS)
def test_qualitative_text(text):
    q = parse_quantity(text)
    assert (q.op, q.value, q.upper, q.unit, q.kind) == QUAL
    assert q.raw == text


# --------------------------------------------------------------------------
# numbers
# --------------------------------------------------------------------------

NUMERALS = [
    ("十二次", D("12")), ("二十次", D("20")), ("一百零五次", D("105")), ("两千次", D("2000")),
    ("一千二百万人", D("12000000")), ("三亿五千万人", D("350000000")), ("一百五人", D("150")),
    ("两万五人", D("25000")), ("十万人", D("100000")), ("一万零一人", D("10001")),
    ("三点五天", D("3.5")), ("〇次", D("0")), ("零次", D("0")),
    ("3千万人", D("30000000")), ("1.2万人", D("12000")), ("25,656.78人", D("25656.78")),
    ("１２３人", D("123")), ("１,２３４人", D("1234")), ("1 2 3人", None),
]


@pytest.mark.parametrize("text,value", NUMERALS)
def test_number_forms(text, value):
    q = parse_quantity(text)
    if value is None:
        assert q.op == "qual"
    else:
        assert q.value == value and q.op == "=" and q.kind in ("count", "duration")


def test_exactness_no_binary_float_artifacts():
    # 0.1 + 0.2 style errors would show here if floats were used anywhere
    assert parse_quantity("0.1万元").value == D("1000.00")
    assert parse_quantity("1988.88万元").value == D("19888800.00")
    assert parse_quantity("0.29%").value == D("0.29")
    assert parse_quantity("1.1万人").value == D("11000")
    assert parse_quantity("33.3‰").value == D("3.33")


def test_results_are_well_formed_for_all_tables():
    every = (
        [m[0] for m in MONEY] + [c[0] for c in COUNTS] + [p[0] for p in PERCENTS]
        + [c[0] for c in COMPARATORS] + [r[0] for r in RANGES] + QUAL_TEXTS
    )
    for text in every:
        q = parse_quantity(text)
        assert q.op in OPS and q.kind in KINDS
        assert (q.upper is not None) == (q.op == "range")
        if q.op in ("qual", "na"):
            assert q.value is None and q.unit is None
        for v in (q.value, q.upper):
            assert v is None or isinstance(v, D)


@pytest.mark.parametrize(
    "text,hint,expected",
    [
        ("3.5", "万人", ("=", D("35000"), None, "人", "count")),  # header scale applies
        ("3.5万", "万人", ("=", D("35000"), None, "人", "count")),  # ... but not twice
        ("5", "‰", ("=", D("0.5"), None, "%", "percent")),
        ("2", "千元", ("=", D("2000.00"), None, "元", "money")),
        ("71.86", "元/平方米", ("=", D("71.86"), None, "元/平方米", "money")),
        ("3", "个", ("=", D("3"), None, "个", "count")),
        ("3", "年", ("=", D("3"), None, "年", "duration")),
        ("90-95", "‰", ("range", D("9"), D("9.5"), "%", "percent")),
    ],
)
def test_unit_hint_scales(text, hint, expected):
    assert q5(text, hint) == expected


def test_lone_yi_is_not_silently_one():
    # r003 (目标明确、内容细化、目标量化 row): the target cell "一" is a typed dash; gold reads it na
    assert q5("一") == NA
    assert q5("一次") == ("=", D("1"), None, "次", "count")


# --------------------------------------------------------------------------
# issue 16: the grammar (subject, direction, per-unit, numerals, dates)
# every case quoted from the issue; fields compared as (op, value, upper, unit, kind)
# --------------------------------------------------------------------------


def q9(text, hint=None):
    q = parse_quantity(text, hint)
    return (q.op, q.value, q.upper, q.unit, q.kind, q.subject, q.direction, q.date_from, q.date_to)


SUBJECTS = [
    ("评估报告总成本不超过0.5万元", ("<=", D("5000.00"), None, "元", "money"), "评估报告总成本"),
    ("成本不超过12.6万元", ("<=", D("126000.00"), None, "元", "money"), "成本"),
    ("全年不低于3次", (">=", D("3"), None, "次", "count"), "全年"),
    ("完成率达95%", (">=", D("95"), None, "%", "percent"), "完成率"),
]


@pytest.mark.parametrize("text,expected,subject", SUBJECTS)
def test_subject_before_the_comparator_is_kept(text, expected, subject):
    q = parse_quantity(text)
    assert q5(text) == expected
    assert q.subject == subject and q.direction is None


@pytest.mark.parametrize(
    "text",
    [
        "完成12次",  # no comparator: the number is about something the cell does not isolate
        "≥360天服务读者",  # a clause after the quantity
        "培训120人次以上的目标",
        "本单位全年的各项工作经费支出总额不超过12.6万元",  # a subject longer than a label
        "成本，不超过12.6万元",  # punctuation: a clause
        "2023年成本不超过12.6万元",  # digits in the label: not a plain subject
        "不低于5%以下",  # 不 is part of the comparator, not a subject
    ],
)
def test_text_that_is_not_a_subject_stays_qual(text):
    assert q5(text) == QUAL


CLASSIFIERS = [
    ("不少于12 种", (">=", D("12"), None, "种", "count")),
    ("12类", ("=", D("12"), None, "类", "count")),
    ("1 段", ("=", D("1"), None, "段", "count")),
]


@pytest.mark.parametrize("text,expected", CLASSIFIERS)
def test_classifiers_are_count_units_and_inner_spaces_are_ignored(text, expected):
    assert q5(text) == expected


PER_UNIT = [
    ("1200元/人*月", ("=", D("1200.00"), None, "元/人*月", "money")),
    (">=600元/人·月", (">=", D("600.00"), None, "元/人·月", "money")),
    ("按标准800元/人发放到户", ("=", D("800.00"), None, "元/人", "money")),
    ("5万元/公里", ("=", D("50000.00"), None, "元/公里", "money")),  # value in 元 per unit
    ("100块钱/人", ("=", D("100.00"), None, "元/人", "money")),
]


@pytest.mark.parametrize("text,expected", PER_UNIT)
def test_per_unit_money_keeps_the_full_unit(text, expected):
    assert q5(text) == expected


DIRECTIONS = [
    ("下降10%", ("=", D("10"), None, "%", "percent"), "decrease", None),
    ("增长5%以上", (">=", D("5"), None, "%", "percent"), "increase", None),
    ("负增长2%", ("=", D("2"), None, "%", "percent"), "decrease", None),
    ("同比提高3个百分点", ("=", D("3"), None, "%", "percent"), "increase", "同比"),
    ("较上年减少5万元", ("=", D("50000.00"), None, "元", "money"), "decrease", "较上年"),
    ("增长不低于5%", (">=", D("5"), None, "%", "percent"), "increase", None),
    ("人数增加10人", ("=", D("10"), None, "人", "count"), "increase", "人数"),
    ("新增3个", ("=", D("3"), None, "个", "count"), "increase", None),
    ("较上年下降5%以上", (">=", D("5"), None, "%", "percent"), "decrease", "较上年"),
]


@pytest.mark.parametrize("text,expected,direction,subject", DIRECTIONS)
def test_direction_is_data(text, expected, direction, subject):
    q = parse_quantity(text)
    assert q5(text) == expected
    assert q.direction == direction and q.subject == subject


def test_a_level_reached_is_not_a_change():
    # 提高到95%: 95 % is the level, not the size of the rise
    q = parse_quantity("提高到95%")
    assert q5("提高到95%") == ("=", D("95"), None, "%", "percent") and q.direction is None
    assert q5("降至5%以下") == ("<=", D("5"), None, "%", "percent")


@pytest.mark.parametrize("text", ["逐年下降", "显著提升", "下降", "明显提升", "大幅增长", "下降-3%"])
def test_change_words_without_a_number_stay_qual(text):
    assert q5(text) == QUAL


DURATIONS_HALF = [
    ("半小时内", ("<=", D("0.5"), None, "小时", "duration")),
    ("半天", ("=", D("0.5"), None, "天", "duration")),
    ("半个月", ("=", D("0.5"), None, "月", "duration")),
    ("一个半小时", ("=", D("1.5"), None, "小时", "duration")),
    ("30分钟以内", ("<=", D("30"), None, "分钟", "duration")),
]


@pytest.mark.parametrize("text,expected", DURATIONS_HALF)
def test_durations_of_every_kind(text, expected):
    assert q5(text) == expected


def test_half_alone_or_before_a_count_is_not_a_number():
    assert q5("半") == QUAL
    assert q5("半人") == QUAL
    assert q5("上半年")[0] == "qual"  # no year: not a day on the calendar, not a length


DATE_SPANS = [
    ("2022年3月-11月", "range", dt.date(2022, 3, 1), dt.date(2022, 11, 30)),
    ("2020.1.1-2020.12.31", "range", dt.date(2020, 1, 1), dt.date(2020, 12, 31)),  # r031 gold: range
    ("2022.1—2022.12", "range", dt.date(2022, 1, 1), dt.date(2022, 12, 31)),  # r030
    ("2023年1-12月", "range", dt.date(2023, 1, 1), dt.date(2023, 12, 31)),
    ("2023年12月31日", "=", dt.date(2023, 12, 31), dt.date(2023, 12, 31)),  # seed 000
    ("2023年", "=", dt.date(2023, 1, 1), dt.date(2023, 12, 31)),
    ("2024年2月", "=", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
    ("2023年第二季度", "=", dt.date(2023, 4, 1), dt.date(2023, 6, 30)),
    ("2023年上半年", "=", dt.date(2023, 1, 1), dt.date(2023, 6, 30)),
    ("2023年6月下旬", "=", dt.date(2023, 6, 21), dt.date(2023, 6, 30)),
    ("2023年12月底前", "<=", None, dt.date(2023, 12, 31)),
    ("1-12月", "range", None, None),  # no year: the days are not fixed
    ("3月", "=", None, None),
    ("2023年2月30日", "=", None, None),  # a date in form, not a day on the calendar
]


@pytest.mark.parametrize("text,op,start,end", DATE_SPANS)
def test_dates_name_their_first_and_last_day(text, op, start, end):
    assert q9(text) == (op, None, None, None, "date", None, None, start, end)


NUMERALS_16 = [
    ("负三十二", D("-32"), None, "count"),
    ("负3.9%", D("-3.9"), "%", "percent"),
    ("5万4千6百", D("54600"), None, "count"),
    ("1千零1", D("1001"), None, "count"),
    ("3万4000", D("34000"), None, "count"),
    ("百分之1,111", D("1111"), "%", "percent"),
    ("8亿元人民币", D("800000000.00"), "元", "money"),
    ("人民币8亿元", D("800000000.00"), "元", "money"),
    ("一百点123", D("100.123"), None, "count"),
    ("百分之负三点八", D("-3.8"), "%", "percent"),  # cn2an transform case
    ("5万4千6百人", D("54600"), "人", "count"),
    ("壹拾壹元壹角壹分", D("11.11"), "元", "money"),  # cn2an strict case
    ("壹拾壹元整", D("11.00"), "元", "money"),
]


@pytest.mark.parametrize("text,value,unit,kind", NUMERALS_16)
def test_numerals_a_chinese_reader_writes(text, value, unit, kind):
    assert q5(text) == ("=", value, None, unit, kind)


@pytest.mark.parametrize("text", ["10.1万零100", "1.2万5", "负责", "负", "3万4千米x", "5万4千米"])
def test_mixed_numerals_that_do_not_read_are_qual(text):
    assert q5(text) == QUAL


def test_new_fields_default_to_none_for_plain_values():
    assert q9("95%")[5:] == (None, None, None, None)
    assert q9("已完成")[5:] == (None, None, None, None)


def test_record_copies_every_published_field():
    rec = parse_quantity("成本不超过12.6万元").record("target")
    assert rec == {"target_op": "<=", "target_value": D("126000.00"), "target_upper": None,
                   "target_unit": "元", "target_kind": "money", "target_subject": "成本",
                   "target_direction": None, "target_date_from": None, "target_date_to": None}


def test_seed000_publishes_the_days_of_a_date_target(published):
    # seed 000 (line 444-445): "2023年完成基本公共卫生服务 | 2023年12月31日 | 已完成": kind date, and its day
    rows = [r for r in published["indicators"] if r["target_raw"] == "2023年12月31日"]
    assert rows, "seed 000 has a 2023年12月31日 target"
    for r in rows:
        assert (r["target_op"], r["target_kind"], r["target_value"]) == ("=", "date", None)
        assert r["target_date_from"] == r["target_date_to"] == dt.date(2023, 12, 31)
        assert r["target_subject"] is None and r["target_direction"] is None
    # every indicator row carries the four new columns for target and actual
    cols = {f"{p}_{f}" for p in ("target", "actual") for f in ("subject", "direction", "date_from", "date_to")}
    assert all(cols <= set(r) for r in published["indicators"])


# --------------------------------------------------------------------------
# parse_sentence_quantity: the one figure of a sentence target (dev r063)
# --------------------------------------------------------------------------

SENTENCES = [
    # r063 '数量指标  指标1:… 实施乡镇社区基层医疗机构37个。 本年度已完成37个基层医疗机构基药补助制度实施。'
    ("实施乡镇社区基层医疗机构37个。", ("=", D("37"), None, "个", "count")),
    ("本年度已完成37个基层医疗机构基药补助制度实施。", ("=", D("37"), None, "个", "count")),
    # r063 ' 指标2:村卫生室… 实施基本药物制度补助村卫生室352个。 本年度已完成352个村卫生室基药补助的实施。':
    # the classifier 个 is the unit, not the 村 of 村卫生室
    ("实施基本药物制度补助村卫生室352个。", ("=", D("352"), None, "个", "count")),
    ("本年度已完成352个村卫生室基药补助的实施。", ("=", D("352"), None, "个", "count")),
    ("37个基层医疗机构", ("=", D("37"), None, "个", "count")),  # r063 质量指标
    ("完成12次", ("=", D("12"), None, "次", "count")),
]


@pytest.mark.parametrize("text,expected", SENTENCES)
def test_sentence_with_one_figure(text, expected):
    from normalizers import parse_sentence_quantity
    assert parse_quantity(text).op == "qual"  # not a quantity cell
    q = parse_sentence_quantity(text)
    assert (q.op, q.value, q.upper, q.unit, q.kind) == expected and q.raw == text


@pytest.mark.parametrize("text", [
    "培训120人次以上的目标", "≥360天服务读者",  # a comparator: the op is the cell grammar's to read
    "2023年度完成", "3个工作日内完成", "完成3个月",  # dates and durations: deadlines, not counts
    "“3+2+1”医联体服务模式", "制定了《2023年度岳阳楼区职业健康监督检查工作方案》",  # names and titles
    "约100人", "500多人次",  # approximations
    "保障人数102370人2370人", "完成3个,三个乡镇",  # two figures
    "全市第1名以外", "符合GB3838标准", "1:1配套",  # ordinals, codes, ratios
    "已完成", "显著提升",
])
def test_sentence_without_a_certain_figure_is_refused(text):
    from normalizers import parse_sentence_quantity
    assert parse_sentence_quantity(text) is None
