"""Checks across attachments and documents (pipeline/checks/cross.py): the same figure
stated twice must agree.  Real seed 000 and 004, and altered copies of them."""
from __future__ import annotations

import copy
import hashlib

import pytest

from pipeline.checks import evaluate, run_checks
from tests.conftest import D000, D004, SEED000

CROSS = ("cross_attachment_funds", "cross_attachment_rate", "cross_target")


def _process(text: str) -> tuple[str, dict]:
    from pipeline.process import process_file
    data = text.encode("utf-8")
    return hashlib.sha256(data).hexdigest()[:16], process_file(data, SEED000.name)


def _seed_text() -> str:
    return SEED000.read_bytes().decode("utf-8")


def test_seeds_as_published_have_no_cross_findings(published):
    # 附件1 项目支出 2023年决算数 1125.71 and 附件2 「项目支出：1125.71」 agree
    ev = evaluate({k: v for k, v in published.items() if k != "checks"})
    assert not [f for f in ev.findings if f["rule"] in CROSS]
    assert ev.comparisons["cross_attachment_funds"] >= 1


def test_attachment2_total_changed_by_a_cent_against_attachment1():
    text = _seed_text()
    at2 = text.index(" 附件 2")
    k = text.index("项目支出：1125.71", at2)          # 附件2, 年度预算申请 按支出性质分
    assert k < text.index("附件 3", at2)
    altered = text[:k] + "项目支出：1125.72" + text[k + len("项目支出：1125.71"):]
    doc_id, rec = _process(altered)
    found = [f for f in rec["checks"] if f["rule"] == "cross_attachment_funds"]
    assert len(found) == 1
    f = found[0]
    assert f["section_id"] == f"{doc_id}:2" and f["severity"] == "warning"
    assert (f["expected"], f["observed"]) == ("1125.71万元", "1125.72万元")
    funds = {x["fund_id"]: x for x in rec["funds"]}
    mine, other = funds[f["refs"][0]], funds[f["refs"][1]]
    assert mine["section_id"] == f"{doc_id}:2" and mine["item"] == "项目支出"
    assert other["section_id"] == f"{doc_id}:1" and other["measure_raw"] == "2023年决算数"
    # both blocks are cited, and they hold the two figures
    blocks = {b["block_id"]: b for b in rec["blocks"]}
    assert "1125.72" in blocks[f["refs"][2]]["text"] and blocks[f["refs"][3]]["text"].strip() == "1125.71"
    assert "附件1" in f["message"] and "附件2" in f["message"]


def test_report_execution_rate_against_the_forms():
    text = _seed_text()
    k = text.index("（二）项目支出情况")
    for stated, expect_finding in (("99.50%", True), ("100%", False)):
        altered = text[:k] + f"全年预算执行率为{stated}。\n" + text[k:]
        doc_id, rec = _process(altered)
        m = next(m for m in rec["mentions"] if m["value_raw"] == stated and m["section_id"] == f"{doc_id}:6")
        assert m["label"] == "预算执行率"
        found = [f for f in rec["checks"] if f["rule"] == "cross_attachment_rate"]
        if not expect_finding:
            assert found == []
            continue
        assert len(found) == 1
        f = found[0]
        assert f["refs"][0] == m["mention_id"] and f["refs"][1].startswith(f"{doc_id}:2:k")
        assert (f["expected"], f["observed"]) == ("100%", "99.50%")
        assert f["refs"][2] == m["block_id"] and f["refs"][3]


@pytest.fixture()
def two_documents(published):
    """Seed 004's target table made the target table of seed 000's unit and year."""
    rec = copy.deepcopy({k: v for k, v in published.items() if k != "checks"})
    for s in rec["sections"]:
        if s["doc_id"] == D004:
            s["unit_name"] = "岳阳市岳阳楼区卫生健康局"
    return rec


def _retarget(rec, raw: str, value) -> tuple[dict, dict]:
    """Give a seed 004 target the name of seed 000's 附件2 indicator 国家免疫规划类疫苗接种."""
    mine = next(i for i in rec["indicators"] if i["doc_id"] == D000 and i["section_id"] == f"{D000}:2"
                and i["name"] == "国家免疫规划类疫苗接种")
    t = next(i for i in rec["indicators"] if i["doc_id"] == D004 and i["target_kind"] == "count")
    t.update(name=mine["name"], target_raw=raw, target_value=value, target_op=mine["target_op"],
             target_unit=mine["target_unit"], target_upper=None)
    return mine, t


def test_target_table_and_self_evaluation_of_one_unit_must_agree(two_documents):
    mine, t = _retarget(two_documents, "108000人次", 108000)
    found = [f for f in run_checks(two_documents) if f["rule"] == "cross_target"]
    assert len(found) == 1
    f = found[0]
    assert f["doc_id"] == D000 and f["refs"][:2] == [mine["indicator_id"], t["indicator_id"]]
    assert f["refs"][2] == mine["target_block"] and f["refs"][3] == t["target_block"]
    assert f["expected"] == "108000人次" and f["observed"] == mine["target_raw"].strip()


def test_same_target_or_other_unit_gives_no_finding(two_documents):
    mine, t = _retarget(two_documents, "108389人次", 108389)
    assert mine["target_raw"].strip() == "108389人次"   # 附件2 年度指标值
    ev = evaluate(two_documents)
    assert not [f for f in ev.findings if f["rule"] == "cross_target"]
    assert ev.comparisons["cross_target"] == 1
    _retarget(two_documents, "108000人次", 108000)
    for s in two_documents["sections"]:
        if s["doc_id"] == D004:
            s["unit_name"] = "长沙市望城区卫生健康局"
    assert not [f for f in run_checks(two_documents) if f["rule"] == "cross_target"]
