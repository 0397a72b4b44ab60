"""按收入性质分 / 按支出性质分 breakdown lines under a header that states its own sum (dev r064)
have that header line as their parent; the breakdown check still compares them with the
total (pipeline/checks/funds.py)."""
from __future__ import annotations

from .conftest import corpus_text


def test_r064_breakdown_lines_under_their_stated_subtotal():
    from pipeline.process import process_file
    text = corpus_text("r064")
    assert "按收入性质分:2030.12" in text and "按支出性质分:1925.67" in text
    recs = process_file(text.encode("utf-8"), "r064.txt")
    parents = {f["item"]: f["parent_item"] for f in recs["funds"] if f["measure"] == "budget"
               and f["section_id"].endswith(":2")}
    assert parents["按收入性质分"] == parents["按支出性质分"] == "年度资金总额"
    assert parents["一般公共预算"] == parents["政府性基金拨款"] == parents["其他资金"] == "按收入性质分"
    assert parents["基本支出"] == parents["项目支出"] == "按支出性质分"
    # the spending breakdown (900.47 + 1025.20 = 1925.67) is still checked against the total 2030.12
    assert any("1925.67" in c["message"] and "年度资金总额" in c["message"] for c in recs["checks"])


def test_seed_breakdown_with_empty_headers_stays_under_the_total(seed000_records):
    # seed 000 附件2: '其中：一般公共预算：1988.88' under an empty 按收入性质分 header
    parents = {f["item"]: f["parent_item"] for f in seed000_records["funds"] if f["measure"] == "budget"
               and f["item"] in ("一般公共预算", "基本支出", "项目支出") and f.get("line_no") is None}
    assert parents and set(parents.values()) == {"年度资金总额"}
