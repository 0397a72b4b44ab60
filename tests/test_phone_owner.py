"""The form's phone is its 填表人's: a phone stated with no preparer belongs to someone else
(a project leader, a cover notice's 意见收集人) and is not published (forms/metadata.py)."""
from __future__ import annotations

from .conftest import corpus_text


def _section(rid: str) -> dict:
    from pipeline.process import process_file
    return process_file(corpus_text(rid).encode("utf-8"), f"{rid}.txt")["sections"][0]


def test_cover_notice_phone_is_not_the_forms():
    # r058 '…意见收集人:罗娟联系电话:0838-7211924附件:2022年财政衔接资金实施项目绩效自评表…'
    assert "意见收集人:罗娟联系电话:0838-7211924附件" in corpus_text("r058")
    sec = _section("r058")
    assert sec["phone"] is None and sec["preparer"] is None
    assert "0838-7211924" in sec["status_message"]  # reported, not dropped silently


def test_project_leaders_phone_is_not_the_forms():
    # r033 '項目負責人 |' / '劉軍勇 |' / '聯系電話 |' / '13874011973 |'
    assert "13874011973 |" in corpus_text("r033")
    assert _section("r033")["phone"] is None


def test_preparers_phone_is_kept():
    # r030 '绩效管理联络员 周哲  联系电话 151****8227'
    sec = _section("r030")
    assert (sec["preparer"], sec["phone"]) == ("周哲", "151****8227")
