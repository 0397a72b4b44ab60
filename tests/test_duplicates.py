"""Duplicate detection by content (pipeline.duplicates): the same form read from two files
is flagged on both documents rows and counted once by the README's money query."""
from __future__ import annotations

import copy
import shutil
from decimal import Decimal

import duckdb
import pytest

from pipeline.duplicates import describe, find_content_duplicates
from pipeline.run import run
from tests.conftest import D000, D004, SAMPLES, SEED000, SEED004
from tests.test_readme import readme_query


def _as_other_file(records: dict, doc_id: str, path: str) -> dict:
    """The records of one document as if read from another file (new doc_id and path)."""
    old = records["documents"][0]["doc_id"]
    out = copy.deepcopy(records)
    for rows in out.values():
        for r in rows:
            for k, v in list(r.items()):
                if isinstance(v, str) and v.startswith(old):
                    r[k] = doc_id + v[len(old):]
    out["documents"][0]["source_path"] = path
    return out


def _merged(*recs: dict) -> dict:
    return {name: [r for rec in recs for r in rec[name]] for name in recs[0]}


def test_same_forms_in_another_file_map_to_the_first(seed000_records, seed004_records):
    copy000 = _as_other_file(seed000_records, "0" * 16, "copy/seed000.docx")
    recs = _merged(seed000_records, seed004_records, copy000)
    dup = find_content_duplicates(recs)
    # both files of seed 000 are flagged; seed 004 (other content) is not
    assert dup == {D000: D000, "0" * 16: D000}
    assert describe(recs, dup) == [f"{SEED000.name} = copy/seed000.docx"]
    # independent of the order of the records
    assert find_content_duplicates(_merged(copy000, seed004_records, seed000_records)) == dup


def test_one_different_value_is_not_a_duplicate(seed000_records):
    other = _as_other_file(seed000_records, "1" * 16, "other.txt")
    # 附件3 从业人员预防性体检: 全年执行数 120 (万元) -> 119.99
    f = next(f for f in other["funds"] if f["item"] == "年度资金总额" and f["measure"] == "executed"
             and f["amount_yuan"] == Decimal("1200000.00"))
    f["amount_yuan"] = Decimal("1199900.00")
    # the other sections still match, but neither file's forms are all in the other one
    assert find_content_duplicates(_merged(seed000_records, other)) == {}


def test_a_file_holding_one_form_of_another_is_counted_under_the_larger(seed000_records):
    part = _as_other_file(seed000_records, "2" * 16, "附件3.txt")
    keep = next(s["section_id"] for s in part["sections"]
                if (s["project_name"] or "").endswith("（从业人员预防性体检）"))
    for name in ("sections", "indicators", "funds", "goals", "facts", "mentions", "blocks", "checks"):
        part[name] = [r for r in part[name] if r.get("section_id") == keep]
    assert find_content_duplicates(_merged(part, seed000_records)) == {D000: D000, "2" * 16: D000}


def test_documents_without_values_never_match(seed004_records):
    empty = copy.deepcopy(seed004_records)
    empty["indicators"], empty["funds"] = [], []
    twin = _as_other_file(empty, "3" * 16, "twin.txt")
    assert find_content_duplicates(_merged(empty, twin)) == {}


def test_txt_and_docx_of_seed000_in_one_folder(tmp_path):
    docx = SAMPLES / "seed000.docx"
    if not docx.exists():
        pytest.skip(f"{docx} is not present (../shared/samples comes with the project's shared folder)")
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SEED000, raw / SEED000.name)
    shutil.copy(docx, raw / "seed000.docx")
    shutil.copy(SEED004, raw / SEED004.name)
    out = tmp_path / "parquet"
    summary = run(raw, out, workers=1, timeout=0, progress=False)
    assert summary["same_content"] == [f"{SEED000.name} = seed000.docx"]
    docs = dict(duckdb.sql(f"SELECT source_path, same_content_as FROM read_parquet('{out}/documents/**/*.parquet')")
                .fetchall())
    assert docs == {SEED000.name: D000, "seed000.docx": D000, SEED004.name: None}
    # each report says so, the copy's linking to the counted one
    from pipeline.report import write_reports
    write_reports(out, tmp_path / "reports")
    first = (tmp_path / "reports" / f"{D000}.html").read_text("utf-8")
    [copy_id] = [d for d, first_id in duckdb.sql(
        f"SELECT doc_id, same_content_as FROM read_parquet('{out}/documents/**/*.parquet')").fetchall()
        if first_id == D000 and d != D000]
    copy = (tmp_path / "reports" / f"{copy_id}.html").read_text("utf-8")
    assert "this document is the one counted" in first
    assert f'The same forms as <a href="{D000}.html">{D000}</a>' in copy
    # and so does trace
    import io
    from pipeline.trace import trace_main
    buf = io.StringIO()
    assert trace_main(copy_id, out, color="never", out=buf) == 0
    assert f"same     forms as {D000}, the one counted" in buf.getvalue()
    # the README's money query counts seed 000 once: 附件3 从业人员预防性体检 全年执行数 "120" 万元
    rows = readme_query("budget execution by unit and project", out)
    executed = {(r[1], r[2]): r[3] for r in rows}
    assert executed[("岳阳市岳阳楼区卫生健康局综合专项（从业人员预防性体检）", "executed")] == Decimal("1200000.00")
    # 附件2 单位整体: 年度资金总额 全年执行数 1988.88 万元
    assert executed[(None, "executed")] == Decimal("19888800.00")


def _grouped_one_by_one(keys: dict, documents: list[dict]) -> dict:
    """The grouping rule as first written: each document tried against every group's first."""
    from pipeline.duplicates import STATUS_RANK
    docs = {d["doc_id"]: d for d in documents if d["doc_id"] in keys and d.get("status") != "failed"}
    order = sorted(docs, key=lambda i: (-len(keys[i]), STATUS_RANK.get(docs[i].get("status"), 9),
                                        docs[i].get("source_path") or "", i))
    firsts, out = [], {}
    for doc_id in order:
        first = next((f for f in firsts if keys[doc_id] <= keys[f]), None)
        if first is None:
            firsts.append(doc_id)
        else:
            out[doc_id] = first
            out[first] = first
    return out


def test_grouping_by_key_lookup_equals_trying_every_first(seed000_records, seed004_records):
    """Seed 000's five form sections and seed 004's, recombined into documents holding some
    of them (a 附件 file of one form, the whole file, a mix of both seeds): the indexed
    grouping gives what trying every group's first gives."""
    import random

    from pipeline.duplicates import content_keys, group_by_content
    k0 = sorted(content_keys(seed000_records)[D000])
    k4 = sorted(content_keys(seed004_records)[D004])
    assert len(k0) >= 3 and k4
    pool = k0 + k4
    rnd = random.Random(12)
    for _ in range(200):
        keys, docs = {}, []
        for i in range(rnd.randint(1, 12)):
            doc_id = f"{i:016d}"
            keys[doc_id] = frozenset(rnd.sample(pool, rnd.randint(1, len(pool))))
            docs.append({"doc_id": doc_id, "status": rnd.choice(["ok", "partial", "failed"]),
                         "source_path": rnd.choice(["a.txt", "b.docx", "附件3.txt"])})
        assert group_by_content(keys, docs) == _grouped_one_by_one(keys, docs)
    # a form's section inside the whole file: grouped under the whole file
    keys = {"1" * 16: frozenset(k0), "2" * 16: frozenset(k0[:1]), "3" * 16: frozenset(k4)}
    docs = [{"doc_id": d, "status": "ok", "source_path": f"{d[0]}.txt"} for d in keys]
    assert group_by_content(keys, docs) == {"1" * 16: "1" * 16, "2" * 16: "1" * 16}
