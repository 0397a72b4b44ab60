"""The reading cases of the cn2an project's own test suite (Ailln/cn2an, MIT; the
records and their licence notes are in tests/data/, copied from
../shared/peer/cn2an_cases.jsonl) run through parse_quantity.

Each record is one upstream assertion: ``cn2an(input, mode) == expected`` (or a
ValueError). We take the *reading* direction (``function == "cn2an"``; an2cn
writes numbers, and sentence transforms pull numbers out of prose, which a cell
reader must not do) and check that the cell ``input`` reads as the number
``expected``. Where our contract deliberately reads differently, the case is
excluded below with the reason, so the exclusions are visible and counted.
"""

from __future__ import annotations

import json
from decimal import Decimal as D
from pathlib import Path

import pytest

from normalizers import parse_quantity

DATA = Path(__file__).parent / "data" / "cn2an_cases.jsonl"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "peer" / "cn2an_cases.jsonl"

RECORDS = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]

CN_DIGIT_CHARS = set("零〇一二两三四五六七八九壹贰叁肆伍陆柒捌玖")


def _exclusion(r: dict) -> str | None:
    """Why a reading case is not ours to pass, or None."""
    s = r["input"]
    body = s[1:] if s.startswith("负") else s
    head = body.split("点")[0]
    if len(head) > 1 and all(c in CN_DIGIT_CHARS for c in head):
        return "digit sequence: positional digits are read only as years (三五天 is 3 to 5 days)"
    if s == "一":
        return "a lone 一 in a value cell is a typed dash (na), never the number one (r003)"
    if "廿" in s:
        return "archaic 廿 (twenty) is not written in budget tables"
    return None


def _reading_cases():
    seen, cases, excluded = set(), [], []
    for r in RECORDS:
        if r["function"] != "cn2an" or r["mode"] not in ("strict", "normal", "smart"):
            continue
        if r.get("expect_error") or r.get("input_type") != "str" or r["input"] in seen:
            continue
        seen.add(r["input"])
        why = _exclusion(r)
        expected = D(r.get("expected_literal") or str(r["expected"]))
        (excluded if why else cases).append(pytest.param(r["input"], expected, id=r["id"]))
    return cases, excluded


CASES, EXCLUDED = _reading_cases()


def test_the_copy_is_the_reading_part_of_the_shared_file():
    if not SHARED.exists():
        pytest.skip(f"{SHARED} not present (the copy in tests/data is used)")
    shared = [json.loads(x) for x in SHARED.read_text(encoding="utf-8").splitlines() if x.strip()]
    reading = [r for r in shared if r["function"] == "cn2an"
               or (r["function"] == "transform" and r["mode"].startswith("cn2an"))]
    assert reading == RECORDS


def test_most_reading_cases_are_ours():
    # 120 of 132 distinct reading inputs; the 12 exclusions are the reasons above
    assert len(CASES) + len(EXCLUDED) == 132
    assert len(EXCLUDED) <= 12


@pytest.mark.parametrize("text,expected", CASES)
def test_cn2an_reading_case(text, expected):
    q = parse_quantity(text)
    assert q.value == expected, (text, q)
    assert q.op == "="
    assert q.kind in ("count", "money")  # 壹拾壹元整 is money in 元, a bare numeral a count


# cases cn2an's smart mode (the most lenient) refuses: we refuse them too
SMART_ERRORS = [r for r in RECORDS if r.get("expect_error") and "error_smart_datas" in r.get("lists", [])]
# what no mode reads: not a number at all ('零点' is left out: 点 is also a count unit, 网点)
NORMAL_ERRORS = [r for r in RECORDS if r.get("expect_error") and "error_normal_datas" in r.get("lists", [])
                 and r["input"] != "零点"]


@pytest.mark.parametrize("r", SMART_ERRORS + NORMAL_ERRORS, ids=lambda r: r["id"])
def test_what_cn2an_cannot_read_has_no_value(r):
    assert parse_quantity(r["input"]).value is None


# sentence transforms: false-positive guards (words that contain numeral characters)
GUARDS = [r for r in RECORDS if r["function"] == "transform" and "false_positive_guard_or_liang_ban" in r["tags"]
          and r["input"] == r["expected"]]


@pytest.mark.parametrize("r", GUARDS, ids=lambda r: r["id"])
def test_words_with_numeral_characters_are_not_numbers(r):
    # 大陆, 半岛, 两岸关系
    assert parse_quantity(r["input"]).op == "qual"


def test_a_counted_word_from_the_transform_cases():
    # transform '两个' -> '2个'
    q = parse_quantity("两个")
    assert (q.op, q.value, q.unit, q.kind) == ("=", D(2), "个", "count")
