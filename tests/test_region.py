"""normalizers.region: the province a unit name states (sections.province, the partition key).

Every name below is quoted from a dev-corpus excerpt or a seed (file named beside it).
"""
import pytest

from normalizers.region import region_of


@pytest.mark.parametrize("text, province, code, name", [
    ("旺苍县卫生健康局", "四川省", "510821", "旺苍县"),                        # r063 单位名称
    ("岳阳市岳阳楼区卫生健康局", "湖南省", "430602", "岳阳楼区"),              # seed 000 预算单位名称
    ("池州市贵池区棠溪镇人民政府", "安徽省", "341702", "贵池区"),             # r001, after its code 219-
    ("巴彦淖尔市临河区财政局", "内蒙古自治区", "150802", "临河区"),           # r049: city and district agree
    ("天津市宁河区教育局", "天津市", "120117", "宁河区"),                     # r031
    ("宁乡市坝塘镇人民政府", "湖南省", "430124", "宁乡市"),                   # r009: 宁乡县 became 宁乡市 in 2017
    ("红河州数据发展中心", "云南省", "532500", "红河州"),                     # r005: 红河哈尼族彝族自治州, short form
    ("岳陽縣農(nóng)村公路養(yǎng)護中心", "湖南省", "430621", "岳阳县"),  # r033: traditional, pinyin inserted
    ("保山市人民政府驻北京联络处", "云南省", "530500", "保山市"),  # r015's unit in full (its text: 市人民政府驻北京联络处, 为保山到北京…)
])
def test_unit_names_name_their_province(text, province, code, name):
    r = region_of(text)
    assert (r.province, r.code, r.name) == (province, code, name)
    assert r.province_code == code[:2]


@pytest.mark.parametrize("text", [
    "市人民政府驻北京联络处",  # r015 as its report writes the unit: the office is in 北京, not 北京's
    "省残联",               # r026: 省 without the province's name
    "区市场监督管理局",      # r016: 区 alone
    "农业农村部",            # a central ministry names no province
    "",
    None,
])
def test_no_division_named_is_none(text):
    assert region_of(text) is None


def test_a_name_several_provinces_have_decides_nothing_alone():
    # 朝阳区 is a district of 北京市 and of 长春市 (吉林省); 鼓楼区 of five cities
    r = region_of("朝阳区教育委员会")
    assert r.province is None and r.code is None and r.reason.startswith("ambiguous")
    assert region_of("长春市朝阳区教育局").province == "吉林省"
    assert region_of("鼓楼区财政局").province is None


def test_names_in_two_provinces_give_none():
    r = region_of("北京市对口支援新疆和田地区项目")
    assert r.province is None and r.reason.startswith("conflict") and r.matched == ("北京市", "新疆", "和田地区")


def test_generic_words_are_not_divisions():
    # 城区 / 郊区 / 矿区 are county names (阳泉市城区, …) but also plain words of unit names
    assert region_of("城区供水管理站") is None
    assert region_of("郊区农业服务中心") is None
