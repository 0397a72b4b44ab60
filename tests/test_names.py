"""Indicator label normalisation (一级/二级) and 三级 name cleaning, with the
label spellings found in the seeds and the development corpus."""

from __future__ import annotations

import dataclasses
from decimal import Decimal as D

import pytest

from normalizers import LabelResult, clean_indicator_name, normalize_level1, normalize_level2
from normalizers.labels import LEVEL1, LEVEL2


def test_vocabulary_has_the_contract_codes():
    assert LEVEL1 == {"产出指标": "output", "效益指标": "outcome", "满意度指标": "satisfaction", "成本指标": "cost"}
    for name, code in {
        "数量指标": "quantity", "质量指标": "quality", "时效指标": "timeliness", "成本指标": "cost",
        "经济效益指标": "economic", "社会效益指标": "social", "生态效益指标": "ecological",
        "可持续影响指标": "sustainability", "服务对象满意度指标": "beneficiary_satisfaction",
        "满意度指标": "satisfaction", "社会成本指标": "social_cost", "生态环境成本指标": "ecological_cost",
        "经济成本指标": "economic_cost",
    }.items():
        assert LEVEL2[name] == code


def test_label_result_is_frozen():
    r = normalize_level1("产出指标")
    assert isinstance(r, LabelResult)
    assert [f.name for f in dataclasses.fields(r)] == ["name", "code", "weight", "known", "raw", "other_scheme"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.name = "x"  # type: ignore[misc]


LEVEL1_CASES = [
    # raw as in the documents, canonical, code, weight
    ("产出指标", "产出指标", "output", None),
    ("产出指标\n(50 分)", "产出指标", "output", D("50")),  # seed 000
    ("产出指标(50 分)", "产出指标", "output", D("50")),
    ("产出指标(50分 )", "产出指标", "output", D("50")),  # r061
    ("产出指标（50分）", "产出指标", "output", D("50")),
    ("产出指标(40分)", "产出指标", "output", D("40")),  # r053
    ("效益指标\n（30 分）", "效益指标", "outcome", D("30")),  # seed 000
    ("效益指标（30分）", "效益指标", "outcome", D("30")),
    ("效益指标(30分)", "效益指标", "outcome", D("30")),
    ("满意度\n指标\n（10 分）", "满意度指标", "satisfaction", D("10")),  # seed 000
    ("满意度指标(10分)", "满意度指标", "satisfaction", D("10")),
    ("满意度指标", "满意度指标", "satisfaction", None),
    ("成本指标", "成本指标", "cost", None),
    ("成本指标(20分)", "成本指标", "cost", D("20")),
    ("效益性指标", "效益指标", "outcome", None),
    ("产出", "产出指标", "output", None),
    ("效益", "效益指标", "outcome", None),
    ("满意度", "满意度指标", "satisfaction", None),
    ("產出指標", "产出指标", "output", None),  # r033/r041 traditional characters
    ("滿意度指標", "满意度指标", "satisfaction", None),
    (" 产 出 指 标 ", "产出指标", "output", None),
    ("产出指标(12.5分)", "产出指标", "output", D("12.5")),
    ("产出指标50分", "产出指标", "output", D("50")),
    ("产出指标（50", "产出指标", "output", None),  # unclosed bracket without 分
    ("产出指标\uff0850 分\uff09", "产出指标", "output", D("50")),
]


@pytest.mark.parametrize("raw,name,code,weight", LEVEL1_CASES)
def test_level1(raw, name, code, weight):
    r = normalize_level1(raw)
    assert (r.name, r.code, r.weight, r.known, r.raw) == (name, code, weight, True, raw)


LEVEL2_CASES = [
    ("数量指标", "数量指标", "quantity"),
    ("质量指标", "质量指标", "quality"),
    ("时效指标", "时效指标", "timeliness"),
    ("成本指标", "成本指标", "cost"),
    ("经济效益指标", "经济效益指标", "economic"),
    ("社会效益指标", "社会效益指标", "social"),
    ("生态效益指标", "生态效益指标", "ecological"),
    ("可持续影响指标", "可持续影响指标", "sustainability"),
    ("服务对象满意度指标", "服务对象满意度指标", "beneficiary_satisfaction"),
    ("满意度指标", "满意度指标", "satisfaction"),  # r064/r018 as level 2
    ("社会成本指标", "社会成本指标", "social_cost"),
    ("生态环境成本指标", "生态环境成本指标", "ecological_cost"),
    ("经济成本指标", "经济成本指标", "economic_cost"),  # r020
    # seed 000 line breaks
    ("经济效\n益指标", "经济效益指标", "economic"),
    ("社会效\n益指标", "社会效益指标", "social"),
    ("生态效\n益指标", "生态效益指标", "ecological"),
    ("服务对象\n满意度指\n标", "服务对象满意度指标", "beneficiary_satisfaction"),
    # typos and variants
    ("日效性指标", "时效指标", "timeliness"),
    ("时效性指标", "时效指标", "timeliness"),
    ("时效性", "时效指标", "timeliness"),
    ("服务对象满意度", "服务对象满意度指标", "beneficiary_satisfaction"),
    ("社会公众或服务对象满意度指标", "服务对象满意度指标", "beneficiary_satisfaction"),
    ("经济效益", "经济效益指标", "economic"),  # r053 Hubei
    ("社会效益", "社会效益指标", "social"),
    ("社会效益效益指标", "社会效益指标", "social"),  # damaged form (gold convention)
    ("可持续性影响指标", "可持续影响指标", "sustainability"),
    ("可持续影响", "可持续影响指标", "sustainability"),
    ("數量指標", "数量指标", "quantity"),
    ("質量指標", "质量指标", "quality"),
    ("時效指標", "时效指标", "timeliness"),
    ("經濟效益指標", "经济效益指标", "economic"),
    ("社會效益指標", "社会效益指标", "social"),
    ("可持續影響指標", "可持续影响指标", "sustainability"),
    ("服務對象滿意度指標", "服务对象满意度指标", "beneficiary_satisfaction"),
    ("数 量 指 标", "数量指标", "quantity"),
    ("1.数量指标", "数量指标", "quantity"),
    ("（一）数量指标", "数量指标", "quantity"),
    ("数量指标：", "数量指标", "quantity"),
    ("数量", "数量指标", "quantity"),
]


@pytest.mark.parametrize("raw,name,code", LEVEL2_CASES)
def test_level2(raw, name, code):
    r = normalize_level2(raw)
    assert (r.name, r.code, r.known) == (name, code, True), raw


@pytest.mark.parametrize("raw,level", [
    ("效果指 标", 1),  # r026 '效果指 标 | 社会效益 指标': another scheme's label
    ("环境效益", 2),  # r053 Hubei '效益指标(30分) | 环境效益 | 数字图书馆环境优良无污染'
])
def test_other_scheme_labels_kept_as_written(raw, level):
    r = (normalize_level1 if level == 1 else normalize_level2)(raw)
    assert (r.name, r.code, r.known) == (raw.replace(" ", ""), None, False)


def test_level2_weight():
    r = normalize_level2("数量指标（20分）")
    assert (r.name, r.weight) == ("数量指标", D("20"))


UNKNOWN = [
    # raw, cleaned name kept
    ("食品安全指标", "食品安全指标"),  # r067
    ("项目 决策 (20分)", "项目决策"),  # r007 scoring sheet
    ("绩效指标(90分)", "绩效指标"),
    ("定量指标", "定量指标"),
    ("产\n绩效出\n指\n指标标", "产绩效出指指标标"),  # r042 shattered vertical label: not guessed
]


@pytest.mark.parametrize("raw,name", UNKNOWN)
def test_unknown_labels_are_kept_not_dropped(raw, name):
    for fn in (normalize_level1, normalize_level2):
        r = fn(raw)
        assert r.known is False and r.code is None and r.name == name and r.raw == raw


def test_level_specific_names():
    assert normalize_level1("数量指标").known is False
    assert normalize_level2("产出指标").known is False
    assert normalize_level2("满意度指标").code == "satisfaction"
    assert normalize_level1("满意度指标").code == "satisfaction"


@pytest.mark.parametrize("raw", [None, "", "  ", "\n"])
def test_empty_labels(raw):
    r = normalize_level1(raw)
    assert r.known is False and r.name is None and r.code is None and r.raw == raw


def test_weight_only_label_is_not_a_name():
    r = normalize_level1("（10 分）")
    assert r.known is False and r.name is not None and r.name != ""


# ---------------------------------------------------------------------------
# 三级指标 names
# ---------------------------------------------------------------------------

NAMES = [
    ("爱卫工作巡查指导轮次", "爱卫工作巡查指导轮次"),
    ("\n准确率", "准确率"),  # seed 000
    ("\n不适用", "不适用"),
    ("\n2023年免费产前筛查", "2023年免费产前筛查"),
    ("0-6岁儿童健康管理", "0-6岁儿童健康管理"),
    ("“两癌”筛查合格率", "“两癌”筛查合格率"),
    ("指标1:政府办基层医疗卫生机构实施国家基本药物制度覆盖率", "政府办基层医疗卫生机构实施国家基本药物制度覆盖率"),  # r063
    ("指标2：村卫生室实施国家基本药物制度", "村卫生室实施国家基本药物制度"),
    ("指标 3 ： 资金到位率", "资金到位率"),
    ("1.外出培训人次", "外出培训人次"),
    ("1、外出培训人次", "外出培训人次"),
    ("（1）外出培训人次", "外出培训人次"),
    ("(2)外出培训人次", "外出培训人次"),
    ("一、外出培训人次", "外出培训人次"),
    ("（一）外出培训人次", "外出培训人次"),
    ("①外出培训人次", "外出培训人次"),
    ("★群众满意度", "群众满意度"),
    ("*群众满意度", "群众满意度"),
    ("群众满意度*", "群众满意度"),
    ("纳入医 保统筹", "纳入医保统筹"),  # r061 wrapped name
    ("纳入医\n保统筹", "纳入医保统筹"),
    ("度严格执行率", "度严格执行率"),  # r067: the cut is kept, not repaired
    ("WIFI布点全覆盖", "WIFI布点全覆盖"),
    ("ＷＩＦＩ布点全覆盖", "WIFI布点全覆盖"),
    ("WIFI 布点全覆盖", "WIFI布点全覆盖"),
    ("IPv6 支持 率", "IPv6支持率"),
    ("Windows 10 升级", "Windows 10升级"),  # space between Latin/digit tokens kept
    ("ISO  9001\n认证", "ISO 9001认证"),
    ("1.5万人接种", "1.5万人接种"),  # a decimal is not numbering
    ("2023年度完成婚检工作", "2023年度完成婚检工作"),
    ("12家社区卫生服务中心", "12家社区卫生服务中心"),
    ("3个工作日内完成拨付", "3个工作日内完成拨付"),
    # r063 '指标1:基层医疗卫生机构实施基本药物制度补助。': the full stop is the document's
    ("指标1:基层医疗卫生机构实施基本药物制度补助。", "基层医疗卫生机构实施基本药物制度补助。"),
    ("培训人数(≥**人)", "培训人数"),  # template placeholder
    ("决策 依据 (4分)", "决策依据"),  # r007 scoring sheet: the weight is not part of the name
    ("“三公经费变动率", "三公经费变动率"),  # r051: the closing quote was lost
    ("聯(lián)系群众满意度", "聯系群众满意度"),  # r033 pinyin annotation
    ("基本公共卫生服务（项目）覆盖率", "基本公共卫生服务(项目)覆盖率"),
]


@pytest.mark.parametrize("raw,clean", NAMES)
def test_clean_indicator_name(raw, clean):
    assert clean_indicator_name(raw) == clean


def test_clean_indicator_name_none_and_idempotent():
    assert clean_indicator_name(None) is None
    for raw, clean in NAMES:
        assert clean_indicator_name(clean) == clean


# ---------------------------------------------------------------------------
# property: layout noise never changes the canonical label
# ---------------------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@st.composite
def noisy_label(draw, table):
    name = draw(st.sampled_from(sorted(table)))
    chars = []
    for c in name:
        chars.append(c)
        chars.append(draw(st.sampled_from(["", "", "", " ", "\n", "\u3000", " \n "])))
    weight = draw(st.one_of(st.none(), st.integers(min_value=1, max_value=100)))
    text = "".join(chars)
    if weight is not None:
        lb, rb = draw(st.sampled_from([("(", ")"), ("（", "）"), ("\n(", " )"), ("（ ", "）")]))
        sp = draw(st.sampled_from(["", " "]))
        text += f"{lb}{weight}{sp}分{rb}"
    return name, weight, text


@settings(max_examples=100, deadline=None)
@given(case=noisy_label(LEVEL1))
def test_level1_layout_noise(case):
    name, weight, text = case
    r = normalize_level1(text)
    assert (r.name, r.code, r.known) == (name, LEVEL1[name], True), text
    assert r.weight == (None if weight is None else D(weight))


@settings(max_examples=100, deadline=None)
@given(case=noisy_label(LEVEL2))
def test_level2_layout_noise(case):
    name, weight, text = case
    r = normalize_level2(text)
    assert (r.name, r.code, r.known) == (name, LEVEL2[name], True), text
    assert r.weight == (None if weight is None else D(weight))


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=25))
def test_labels_never_raise_and_unknown_keeps_text(text):
    for fn in (normalize_level1, normalize_level2):
        r = fn(text)
        assert r.raw == text
        assert r.known == (r.code is not None)
        if r.weight is not None:
            assert isinstance(r.weight, D)
