"""Text helpers: width folding, whitespace folding, plain decimals, dates, money."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from normalizers import fold_ws, money_to_yuan, parse_date, parse_decimal, to_halfwidth


@pytest.mark.parametrize(
    "raw,half",
    [
        ("１２３", "123"),
        ("１９８８.８８", "1988.88"),
        ("１００％", "100%"),
        ("（万元）", "(万元)"),
        ("ＷＩＦＩ", "WIFI"),
        ("＞＝９５", ">=95"),
        ("≧95", "≥95"),
        ("≦5", "≤5"),
        ("═1", "=1"),
        ("a\u3000b", "a b"),
        ("a\u00a0b", "a b"),
        ("：；，", ":;,"),
        ("、。《》【】“”", "、。《》【】“”"),  # CJK punctuation without an ASCII twin stays
        ("～", "~"),
        ("—", "—"),  # the dash is not a hyphen: it stays (range/NA logic knows it)
        ("产出指标", "产出指标"),
        ("", ""),
    ],
)
def test_to_halfwidth(raw, half):
    assert to_halfwidth(raw) == half
    assert len(to_halfwidth(raw)) == len(raw)  # 1:1, offsets stay valid


@pytest.mark.parametrize(
    "raw,folded",
    [
        ("绩 效\n指 标", "绩效指标"),
        ("经济效\n益指标", "经济效益指标"),
        ("服务对象\n满意度指\n标", "服务对象满意度指标"),
        ("  3 km ", "3 km"),
        ("A  B\n\nC", "A B C"),
        ("863.17 万元", "863.17万元"),
        ("（ 50 分 ）", "（50分）"),
        ("预\u3000算\u3000编\u3000码", "预算编码"),  # r002 spaced-out label
        ("95.\n\n10%", "95.10%"),  # r051: a number cut after its decimal point by a paragraph break
        ("1.\n2.", "1. 2."),  # a list, not a cut number
        ("11.86\n\n12", "11.86 12"),  # two figures: only a break right after the point joins
        ("", ""),
    ],
)
def test_fold_ws(raw, folded):
    assert fold_ws(raw) == folded


@pytest.mark.parametrize(
    "raw,value",
    [
        ("1,988.88", D("1988.88")),
        ("１９８８.８８", D("1988.88")),
        ("7,662.78", D("7662.78")),  # seed 004
        ("25,656.78", D("25656.78")),
        ("20,918.78", D("20918.78")),
        ("4,738.00", D("4738.00")),
        ("17,994.00", D("17994.00")),
        ("3.68", D("3.68")),  # seed 000 三公经费
        ("2385.39", D("2385.39")),
        ("0", D("0")),
        ("0.00", D("0.00")),
        ("120.00", D("120.00")),
        (" 542.34 ", D("542.34")),
        ("-3.5", D("-3.5")),
        (".5", D("0.5")),
        ("1,234,567.891", D("1234567.891")),
        ("95. 10", D("95.10")),  # r051 PDF split at the point
    ],
)
def test_parse_decimal(raw, value):
    got = parse_decimal(raw)
    assert got == value and isinstance(got, D)
    assert str(got) == str(value)  # exact digits, scale kept as written


@pytest.mark.parametrize(
    "raw",
    [None, "", " ", "7,00.0,77", "1,23.4", "12,34", "1.2.3", "120万元", "81.40%", "abc", "1 000",
     "/", "—", "3M.8", "IO"],
)
def test_parse_decimal_refuses(raw):
    assert parse_decimal(raw) is None


@pytest.mark.parametrize(
    "raw,date",
    [
        ("2024年06月04日", dt.date(2024, 6, 4)),
        ("2024年6月4日", dt.date(2024, 6, 4)),
        ("2024-06-04", dt.date(2024, 6, 4)),
        ("2024/6/4", dt.date(2024, 6, 4)),
        ("2024.6.4", dt.date(2024, 6, 4)),
        ("2023.6.28", dt.date(2023, 6, 28)),  # r053 填报日期
        ("20240604", dt.date(2024, 6, 4)),
        ("２０２４年６月４日", dt.date(2024, 6, 4)),
        (" 2024 年 6 月 4 日 ", dt.date(2024, 6, 4)),
        ("2021年07月12日", dt.date(2021, 7, 12)),  # r041
    ],
)
def test_parse_date(raw, date):
    assert parse_date(raw) == date


@pytest.mark.parametrize(
    "raw", [None, "", "2024年6月", "2023年2月30日", "2024-13-01", "2022112", "填报日期：", "2024"]
)
def test_parse_date_refuses(raw):
    assert parse_date(raw) is None


@pytest.mark.parametrize(
    "value,unit,yuan",
    [
        (D("1988.88"), "万元", D("19888800.00")),
        (D("1988.88"), "（万元）", D("19888800.00")),
        (D("2.49"), "亿元", D("249000000.00")),
        (D("12"), "千元", D("12000.00")),
        (D("12.345"), "元", D("12.35")),
        (D("0.00005"), "万元", D("0.50")),
        (D("3359.62"), "万", D("33596200.00")),
        (D("-1.5"), "万元", D("-15000.00")),
    ],
)
def test_money_to_yuan(value, unit, yuan):
    got = money_to_yuan(value, unit)
    assert got == yuan and got.as_tuple().exponent == -2


def test_money_to_yuan_refuses_floats_and_non_money_units():
    with pytest.raises(TypeError):
        money_to_yuan(1988.88, "万元")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        money_to_yuan(D("1"), "人次")
    with pytest.raises(ValueError):
        money_to_yuan(D("1"), "%")


def test_to_halfwidth_skips_only_strings_with_nothing_to_fold():
    # the fast path (no full-width character: the string itself) must give exactly what
    # the translation table gives, on every line of the dev corpus and the seeds
    from normalizers.text import _FW_TABLE
    from tests.conftest import SEED000, SEED004, corpus_files
    lines = [ln for p in [SEED000, SEED004, *corpus_files()] for ln in p.read_text(encoding="utf-8").split("\n")]
    assert len(lines) > 1000
    for ln in lines:
        assert to_halfwidth(ln) == ln.translate(_FW_TABLE)
    # r064's header cell '项目资金（万元）' is folded; a line with nothing to fold is returned as is
    assert to_halfwidth("项目资金（万元）") == "项目资金(万元)"
    plain = next(ln for ln in lines if ln and ln == ln.translate(_FW_TABLE) and not ln.isascii())
    assert to_halfwidth(plain) is plain
