"""Key:value metadata wherever a form writes it (extractors/forms/metadata.py): label
variants by meaning, label:value cells and lines, code prefixes, unit_name fallbacks.
Cells are quoted from ../shared/corpus/dev and the seeds."""
from __future__ import annotations

from extractors.forms.metadata import meta_key, split_code

from .formbuild import docx_form, extract_bytes, html_form, xlsx_form


def test_label_variants_by_meaning():
    assert meta_key("预算单位") == "unit_name"
    assert meta_key("项目单位(盖章)") == "unit_name"  # r053 '项目单位(盖章):黄石市图书馆'
    assert meta_key("项目实施单位") == "implementing_unit"  # r053
    assert meta_key("资金使用单位") == "implementing_unit"  # r060
    assert meta_key("实施单位 (盖章)") == "implementing_unit"  # r021
    assert meta_key("主管部门及编码") == "competent_dept"
    assert meta_key("地方主管部门") == "competent_dept"  # r060
    assert meta_key("中央主管部门") == "central_competent_dept"  # r060
    assert meta_key("转移支付(项目)名称") == "project_name"  # r060
    assert meta_key("单位资金") is None  # r021 fund line, not a unit label
    assert meta_key("项目类别") is None  # r053


def test_code_prefixes():
    # r001 '主管部门 219-池州市贵池区棠溪镇人民政府 实施单位 219001-池州市贵池区棠溪镇人民政府'
    assert split_code("219-池州市贵池区棠溪镇人民政府") == ("219", "池州市贵池区棠溪镇人民政府")
    assert split_code("219001-池州市贵池区棠溪镇人民政府") == ("219001", "池州市贵池区棠溪镇人民政府")
    # r021 '51000021R000000019951-工资性支出'
    assert split_code("51000021R000000019951-工资性支出") == ("51000021R000000019951", "工资性支出")
    # a name that starts with a year is no code (r031 '2020年非营利性民办园房租补贴')
    assert split_code("2020年非营利性民办园房租补贴") == (None, "2020年非营利性民办园房租补贴")


def test_r001_cells_code_columns_and_unit_fallback():
    rows = [
        ["项目名称", ("委托业务项目", 3)],
        ["主管部门", "219-池州市贵池区棠溪镇人民政府", "实施单位", "219001-池州市贵池区棠溪镇人民政府"],
    ]
    (sec,) = extract_bytes(xlsx_form("项目支出绩效自评表", rows), "f.xlsx")["sections"]
    assert (sec["competent_dept"], sec["competent_dept_code"]) == ("池州市贵池区棠溪镇人民政府", "219")
    assert (sec["implementing_unit"], sec["implementing_unit_code"]) == ("池州市贵池区棠溪镇人民政府", "219001")
    # no 预算单位 field: unit_name is the 主管部门 (seed convention), with its code
    assert (sec["unit_name"], sec["unit_code"]) == ("池州市贵池区棠溪镇人民政府", "219")
    assert sec["project_name"] == "委托业务项目"


def test_label_value_cells_and_lines():
    # r053: '项目单位(盖章):黄石市图书馆' and '主要领导签字:' share a line, '填报日期:2023.6.28'
    # is a cell; seed 000 '填表人：吴晓荣     联系电话：13707303909      填报日期：'
    rows = [
        [("填报日期:2023.6.28", 4)],
        ["项目名称", ("共享工程", 3)],
        ["主管部门", "黄石市文化和旅游局", "项目实施单位", "黄石市图书馆"],
    ]
    out = extract_bytes(html_form("2022年度共享工程项目自评表", rows, paragraphs=[
        "项目单位(盖章):黄石市图书馆 主要领导签字:", "填表人：吴晓荣     联系电话：13707303909      填报日期："]),
        "f.html")
    (sec,) = out["sections"]
    assert sec["unit_name"] == "黄石市图书馆"
    assert (sec["competent_dept"], sec["implementing_unit"]) == ("黄石市文化和旅游局", "黄石市图书馆")
    assert str(sec["filled_date"]) == "2023-06-28"
    assert (sec["preparer"], sec["phone"]) == ("吴晓荣", "13707303909")


def test_transfer_payment_labels_and_suffix():
    # r060 '中央主管部门 | 医疗保障局', '地方主管部门 | 医疗保障局 | 资金使用单位 | 医疗保障局';
    # r021 '主管部门 | 青神县发展和改革局本级' (the 本级 suffix is not part of the name)
    rows = [
        ["转移支付(项目)名称", ("医疗救助补助资金", 3)],
        ["中央主管部门", ("医疗保障局", 3)],
        ["地方主管部门", "青神县发展和改革局本级", "资金使用单位", "医疗保障局"],
    ]
    (sec,) = extract_bytes(docx_form("医疗救助补助资金转移支付项目绩效目标自评表", rows), "f.docx")["sections"]
    assert sec["project_name"] == "医疗救助补助资金"
    assert sec["central_competent_dept"] == "医疗保障局"
    assert sec["competent_dept"] == "青神县发展和改革局"
    assert sec["implementing_unit"] == "医疗保障局"


def test_r040_code_glued_to_the_name_under_a_code_label():
    # r040 附件2 '主管部门(单位)名称及部门预算编码331省农业农村厅': the label says a code is written
    assert meta_key("主管部门(单位)名称及部门预算编码") == "competent_dept"
    assert split_code("331省农业农村厅", coded=True) == ("331", "省农业农村厅")
    assert split_code("331省农业农村厅") == (None, "331省农业农村厅")  # no separator, no code label
    assert split_code("2025年强制免疫补助", coded=True) == (None, "2025年强制免疫补助")
    rows = [["项目名称", "强制免疫补助"], ["主管部门(单位)名称及部门预算编码", "331省农业农村厅"]]
    (sec,) = extract_bytes(html_form("中央财政强制免疫补助资金绩效目标表", rows), "f.html")["sections"]
    assert (sec["competent_dept"], sec["competent_dept_code"], sec["unit_name"]) == ("省农业农村厅", "331", "省农业农村厅")


def test_r033_fiscal_year_from_a_one_year_project_period():
    # r033 '項目起止時間 | 2020年元月起至2020年12月止' (no year in a title): the project year
    rows = [["項目名稱", "岳陽縣農村公路養(yǎng)護"], ["項目起止時間", "2020年元月起至2020年12月止"]]
    (sec,) = extract_bytes(html_form("项目支出绩效自评表", rows), "f.html")["sections"]
    assert sec["fiscal_year"] == 2020
    # a period over several years names no single fiscal year
    rows = [["項目名稱", "岳陽縣農村公路養(yǎng)護"], ["項目起止時間", "2019年1月至2021年12月"]]
    (sec,) = extract_bytes(html_form("项目支出绩效自评表", rows), "f.html")["sections"]
    assert sec["fiscal_year"] is None


def test_r025_fiscal_year_from_the_notice_before_the_form():
    # r025: the form states no year; the notice before it '…现将2023年中央残疾人事业发展补助资金
    # 134.39万元下达给你们…' (document number 宝市财办社〔2022〕334号 is no year of the funds)
    notice = ("根据宝鸡市财政局《关于下达2023年中央残疾人事业发展补助资金的通知》(宝市财办社〔2022〕334号)文件精神,"
              "现将2023年中央残疾人事业发展补助资金134.39万元下达给你们,其中:一般公共预算资金50.29万元。")
    rows = [["项目名称", "残疾人事业发展补助资金(一般公共预算)"], ["区级主管部门", "区残联"],
            ["其中:中央补助", "50.29"]]
    (sec,) = extract_bytes(html_form(None, rows, paragraphs=["区残联:", notice, "绩效目标表(一般公共预算资金)"]),
                           "f.html")["sections"]
    assert sec["fiscal_year"] == 2023
    # two different years named: none is the form's
    notice2 = notice.replace("现将2023年", "现将2024年")
    (sec,) = extract_bytes(html_form(None, rows, paragraphs=["区残联:", notice2, "绩效目标表(一般公共预算资金)"]),
                           "f.html")["sections"]
    assert sec["fiscal_year"] is None


def test_contact_person_is_the_preparer():
    # r024 '部门联系人曾雪莲', r002 '联系人 / 吴俊 / 联络电话 / 8690022' (gold: 联系人 rather than 填表人)
    assert meta_key("部门联系人") == "preparer"
    assert meta_key("联系人") == "preparer"
    rows = [["项目名称", "数字城管信息采集服务"], ["联系人", "吴俊", "联络电话", "8690022"]]
    (sec,) = extract_bytes(html_form("项目支出绩效自评表", rows), "f.html")["sections"]
    assert (sec["preparer"], sec["phone"]) == ("吴俊", "8690022")


def test_r030_phone_follows_its_person():
    # r030 '项目负责人 杨柳  联系电话 139****8136' / '绩效管理联络员 周哲  联系电话 151****8227':
    # the contact for performance management is the preparer, the phone on his line is his
    rows = [["项目名称", "公办和普惠性民办幼儿园公用经费"]]
    out = extract_bytes(html_form("项目支出预算绩效目标申报表", rows, paragraphs=[
        "项目负责人 杨柳  联系电话 139****8136", "绩效管理联络员 周哲  联系电话 151****8227"]), "f.html")
    (sec,) = out["sections"]
    assert (sec["preparer"], sec["phone"]) == ("周哲", "151****8227")
