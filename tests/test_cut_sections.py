"""A section cut from its own header (dev r055: the excerpt opens on the last rows of a
form whose title and 项目名称/主管部门 rows are above the text) publishes no unit and no
year: they are not in the text, and the next form's are another project's."""
from __future__ import annotations

from .conftest import corpus_text


def test_r055_tail_of_a_form_takes_no_unit_or_year_from_the_next_form():
    from pipeline.process import process_file
    text = corpus_text("r055")
    # the excerpt opens on a body row of the earlier form, without its header
    assert text.startswith("公益性讲座知晓率 | = | 100 | % | 100 | 5 | 5 |") and "部门预算项目支出绩效自评表(2022年度)" in text
    recs = process_file(text.encode("utf-8"), "r055.txt")
    first, second = sorted(recs["sections"], key=lambda s: s["ordinal"])
    assert first["title"] is None and (first["unit_name"], first["fiscal_year"]) == (None, None)
    assert [i["name"] for i in recs["indicators"] if i["section_id"] == first["section_id"]][0] == "公益性讲座知晓率"
    # the form that follows keeps its own: '主管部门 | 大英县文化广播电视和旅游局部门 | 实施单位 (盖章) | …'
    assert (second["unit_name"], second["fiscal_year"]) == ("大英县文化广播电视和旅游局", 2022)
