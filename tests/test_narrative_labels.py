"""Mention labels: the noun phrase the number quantifies, modifiers kept (dev excerpts of
../shared/corpus/dev; each case quotes the source sentence)."""
from __future__ import annotations

from decimal import Decimal

import pytest

from extractors.narrative import analyze_report
from tests.test_narrative import CORPUS, line_paragraphs

pytestmark = pytest.mark.skipif(not CORPUS.exists(), reason="shared dev corpus not available")


def _analysis(name: str, first_line: int = 0):
    text = (CORPUS / f"{name}.txt").read_text(encoding="utf-8")
    return text, analyze_report(line_paragraphs(text, first_line))


def _at(text, a, snippet: str, raw: str, nth: int = 0):
    """The mention ``raw`` inside the nth occurrence of ``snippet``."""
    pos = -1
    for _ in range(nth + 1):
        pos = text.index(snippet, pos + 1)
    pos += snippet.index(raw)
    return next(m for m in a.mentions if m.char_start == pos and m.value_raw == raw)


@pytest.mark.parametrize("name, snippet, raw, label", [
    # r038 「2021年我局共收到中央下达困难群众救助补助资金9056万元(川财社〔2020165号…」
    ("r038", "共收到中央下达困难群众救助补助资金9056万元", "9056万元", "中央下达困难群众救助补助资金"),
    # r038 「省级下达资金804万元(川财社…」, 「市县下达资金2040.56万元(万财预〔20211号)」
    ("r038", "省级下达资金804万元", "804万元", "省级下达资金"),
    ("r038", "市县下达资金2040.56万元", "2040.56万元", "市县下达资金"),
    # r027 「年度资金40.83万元,本年度财政拨款40.83万元,执行率100%。」
    ("r027", "\n年度资金40.83万元,本年度财政拨款40.83万元", "40.83万元", "年度资金"),
    ("r027", "本年度财政拨款40.83万元,执行率", "40.83万元", "本年度财政拨款"),
    # r029 「2021年中央下达中央食品监管专项转移支付预算资金3万元」
    ("r029", "中央下达中央食品监管专项转移支付预算资金3万元", "3万元", "中央食品监管专项转移支付预算资金"),
    # r029 「《关于下达2021年中央食品监管补助资金预算补助资金预算的通知》(阿州财行〔2021〕61号)中央补助1.5万元」
    ("r029", "61号)中央补助1.5万元", "1.5万元", "中央补助"),
    ("r029", "15号)中央补助预算1.5万元", "1.5万元", "中央补助预算"),
    # r036 「及时将原12类基本公共卫生服务项目预拨资金3608万元(中央资金2855万元、省级资金753万元)」
    ("r036", "原12类基本公共卫生服务项目预拨资金3608万元", "3608万元", "原12类基本公共卫生服务项目预拨资金"),
    ("r036", "2023年度12类基本公共卫生服务资金3728万元", "3728万元", "2023年度12类基本公共卫生服务资金"),
    # r005 「年初批复预算8个项目985万元(含1个年初结转结余项目50万元),调整预算后项目预算861.46万元」
    ("r005", "年初批复预算8个项目985万元", "985万元", "年初批复预算"),
    ("r005", "含1个年初结转结余项目50万元", "50万元", "年初结转结余项目"),
    ("r005", "调整预算后项目预算861.46万元", "861.46万元", "调整预算后项目预算"),
    ("r005", "实际到位资金334.67万元", "334.67万元", "实际到位资金"),
    # r043 「在全乡范围内实施2021年中央动物防疫等补助经费9.55万元。」
    ("r043", "实施2021年中央动物防疫等补助经费9.55万元", "9.55万元", "2021年中央动物防疫等补助经费"),
    ("r043", "年初目标值≥90%,实际完成值≥90%", "≥90%", "年初目标值"),
    # r012 「红财社发〔2023〕128号文件下达红河州第二人民医院国家基本公共卫生服务项目州级补助资金2.00万元。」
    ("r012", "第二人民医院国家基本公共卫生服务项目州级补助资金2.00万元", "2.00万元", "国家基本公共卫生服务项目州级补助资金"),
    # r012 「截至2023年12月31日,资金已使用2.00万元,结余0万元,资金执行率100%。」
    ("r012", "资金已使用2.00万元", "2.00万元", "资金已使用"),
    ("r012", "结余0万元", "0万元", "结余"),
    ("r012", "资金执行率100%", "100%", "资金执行率"),
    # r004 「被救助困难家庭学生的满意度达100%。」, 「1.产出指标完成情况:100%。」
    ("r004", "被救助困难家庭学生的满意度达100%", "100%", "被救助困难家庭学生的满意度"),
    ("r004", "1.产出指标完成情况:100%", "100%", "产出指标完成情况"),
    # r054 「读者满意度调查好评率90%,指标完成率99.14%。」
    ("r054", "读者满意度调查好评率90%", "90%", "读者满意度调查好评率"),
    # r056 「下达**河县2023年中央水利发展资金2263万元。」
    ("r056", "下达**河县2023年中央水利发展资金2263万元", "2263万元", "**河县2023年中央水利发展资金"),
    # r006 「我校2022年按生均1000元安排,共计239万元,其中上级资金179.25万元,本级59.75万元」
    ("r006", "共计239万元", "239万元", "共计"),
])
def test_label_is_the_noun_phrase(name, snippet, raw, label):
    text, a = _analysis(name)
    assert _at(text, a, snippet, raw).label == label


def test_r027_every_money_amount_and_percentage_in_order():
    # the full text after the page teaser (line 1 repeats the opening)
    text, a = _analysis("r027", first_line=1)
    got = [(m.label, m.value_raw) for m in a.mentions if m.kind in ("money", "percent")]
    assert got == [
        ("年度资金", "40.83万元"), ("本年度财政拨款", "40.83万元"), ("执行率", "100%"),
        ("利润", "2万元"),
        # 「建厂房、酒窖及基础设施建设12.08万元;购买变压器一套18.8万元;购置电锅炉一台6.75万元;
        #  增设发酵池十二个3.2万元;共计40.83万元」
        ("建厂房、酒窖及基础设施建设", "12.08万元"), ("购买变压器一套", "18.8万元"),
        ("购置电锅炉一台", "6.75万元"), ("增设发酵池十二个", "3.2万元"), ("共计", "40.83万元"),
        ("分红款每户贫困户可分得", "700元"),
        ("年度资金", "40.83万元"), ("本年度财政拨款", "40.83万元"), ("项目资金执行率", "100%"),
    ]
    by = {m.value_raw: m for m in a.mentions}
    total = next(m for m in a.mentions if m.label == "共计")
    assert by["12.08万元"].parent_label == "共计" and by["12.08万元"].parent_index == a.mentions.index(total)
    assert by["700元"].value == Decimal("700")


def test_per_unit_money():
    # r004 「小学生300元/年、初中生500元/年、高中生1000元/年」
    text, a = _analysis("r004")
    got = [(m.label, m.value_raw, m.value, m.unit, m.kind) for m in a.mentions if "/" in m.value_raw]
    assert got == [("小学生", "300元/年", Decimal("300.00"), "元/年", "money"),
                   ("初中生", "500元/年", Decimal("500.00"), "元/年", "money"),
                   ("高中生", "1000元/年", Decimal("1000.00"), "元/年", "money")]


@pytest.mark.parametrize("name, snippet, raw, subject", [
    # r043 「1.重大动物强制免疫病种群体免疫密度,年初目标值≥90%,实际完成值≥90%,自评得分20分;」
    ("r043", "年初目标值≥90%,实际完成值≥90%", "≥90%", "重大动物强制免疫病种群体免疫密度"),
    ("r043", "实际完成值≥90%", "≥90%", "重大动物强制免疫病种群体免疫密度"),
    # r054 「数量指标:年度免费开放服务天360天,指标完成率100%;」
    ("r054", "年度免费开放服务天360天,指标完成率100%", "100%", "年度免费开放服务天360天"),
    # r056 「依据文件《关于下达2023年自治区水利发展资金预算的通知》,下达**河县2023年资金5万元。」
    ("r056", "下达**河县2023年资金5万元", "5万元", "2023年自治区水利发展资金"),
])
def test_subject_of_a_generic_label(name, snippet, raw, subject):
    text, a = _analysis(name)
    assert _at(text, a, snippet, raw).subject == subject


def test_specific_labels_have_no_subject():
    text, a = _analysis("r038")
    assert all(m.subject is None for m in a.mentions if m.kind == "money")
