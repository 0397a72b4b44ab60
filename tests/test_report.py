"""HTML audit reports (pipeline.report): self-contained, escaped, linked, deterministic,
and rendered by a real headless browser, Chinese glyphs drawn (not tofu boxes)."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import lxml.html
import pytest

from pipeline.report import CSS, write_reports
from pipeline.run import run
from tests.conftest import D000, D004, SEED000
from tests.screenshot import (CHROMIUM, chromium, glyph_report, glyphs_drawn, no_cjk_fontconfig,
                              probe_page, screenshot)

needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (.ci/run installs it with apt); "
                             "the browser rendering tests are skipped")
# a source cell with markup in it: seed 000's 附件2 indicator cell 国家免疫规划类疫苗接种
HOSTILE = '<script>document.title="pwned"</script><a href="javascript:alert(1)">点此</a>'


@pytest.fixture(scope="session")
def reports(parquet_dir, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("reports")
    assert write_reports(parquet_dir, out) == 2
    return out


def parse(path: Path):
    return lxml.html.fromstring(path.read_bytes().decode("utf-8"))


def test_one_report_per_document_and_an_index(reports):
    # and the state of the incremental report (pipeline/report_state.py)
    assert sorted(p.name for p in reports.iterdir()) == sorted([f"{D000}.html", f"{D004}.html", "index.html",
                                                                ".state.json"])
    index = parse(reports / "index.html")
    assert sorted(index.xpath("//a/@href")) == sorted([f"{D000}.html", f"{D004}.html"])


def test_deterministic(parquet_dir, reports, tmp_path):
    write_reports(parquet_dir, tmp_path)
    for p in reports.glob("*.html"):
        assert (tmp_path / p.name).read_bytes() == p.read_bytes(), p.name


def test_self_contained_and_every_link_resolves(reports):
    for p in reports.glob("*.html"):
        raw = p.read_text("utf-8")
        assert "<script" not in raw and "<link" not in raw and "@import" not in raw
        assert "http://" not in raw and "https://" not in raw
        doc = parse(p)
        ids = set(doc.xpath("//@id"))
        for href in doc.xpath("//a/@href"):
            if href.startswith("#"):
                assert href[1:] in ids, (p.name, href)
            else:
                assert (reports / href).exists(), href
        assert len(ids) == len(doc.xpath("//@id")), "duplicate ids"


def test_text_is_reproduced_exactly_and_escaped(reports, published):
    """The text pane holds documents.text character for character: the literal <p> of the
    004 seed's cells is shown as text, not interpreted as markup."""
    for d in published["documents"]:
        raw = (reports / f"{d['doc_id']}.html").read_text("utf-8")
        doc = lxml.html.fromstring(raw)
        [pre] = doc.xpath("//pre[@class='src']")
        assert pre.text_content() == d["text"]
    raw4 = (reports / f"{D004}.html").read_text("utf-8")
    assert "&lt;p&gt;" in raw4 and "<p>1、贯彻" not in raw4 and "<p>2. 筑牢" not in raw4


def test_values_highlighted_and_linked_both_ways(reports, published):
    doc = parse(reports / f"{D000}.html")
    marks = {m.get("id"): m for m in doc.xpath("//mark[@id]")}
    target = marks[f"t-{D000}:2:i2-target"]
    assert target.text_content() == "108389人次"
    assert target.xpath(".//a/@href") == [f"#{D000}:2:i2"]
    row = doc.get_element_by_id(f"{D000}:2:i2")
    assert row.tag == "tr" and f"#t-{D000}:2:i2-target" in row.xpath(".//a/@href")
    # every indicator, fund, fact and mention of the seed is highlighted
    n = {k: sum(1 for m in marks if m.startswith("t-") and f":{k}" in m) for k in ("i", "f", "k", "m")}
    ind = [i for i in published["indicators"] if i["doc_id"] == D000]
    assert n["i"] >= 4 * len(ind)
    assert n["f"] == len([f for f in published["funds"] if f["doc_id"] == D000])
    assert n["k"] == len([f for f in published["facts"] if f["doc_id"] == D000])
    assert n["m"] == len([m for m in published["mentions"] if m["doc_id"] == D000])


def test_findings_on_top_link_to_the_cells(reports, published):
    doc = parse(reports / f"{D000}.html")
    findings = doc.get_element_by_id("findings")
    body = lxml.html.tostring(doc, encoding="unicode")
    assert body.index('id="findings"') < body.index('id="summary"') < body.index('id="text"')
    items = findings.xpath(".//li")
    assert len(items) == len([c for c in published["checks"] if c["doc_id"] == D000])
    first = items[0]
    assert "2385.39" in first.text_content() and "funds_sum" in first.text_content()
    hrefs = first.xpath(".//a/@href")
    assert f"#{D000}:1:f11" in hrefs  # the fund row
    # the cited amount cell is a highlighted, addressable place in the text
    assert f"#t-{D000}:1:f11-amount" in hrefs
    assert doc.get_element_by_id(f"t-{D000}:1:f11-amount").text_content() == "2385.39"


def test_summary_lists_sections_and_what_was_left(reports, published):
    doc = parse(reports / f"{D000}.html")
    summary = doc.get_element_by_id("summary").text_content()
    for s in (s for s in published["sections"] if s["doc_id"] == D000):
        assert s["form_type"] in summary and s["section_id"] in summary
    assert "Left unparsed" in summary


@needs_chromium
def test_report_renders_in_headless_chromium(reports, tmp_path):
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run",
           f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom",
           (reports / f"{D000}.html").as_uri()]
    res = subprocess.run(cmd, capture_output=True, timeout=60)
    assert res.returncode == 0, res.stderr.decode("utf-8", "replace")[-2000:]
    dom = lxml.html.fromstring(res.stdout.decode("utf-8"))
    marks = [m for m in dom.xpath("//mark") if m.text_content() == "108389人次"]
    assert marks, "no highlight around 108389人次 in the rendered DOM"
    ids = set(dom.xpath("//@id"))
    [href] = marks[0].xpath(".//a/@href")
    assert href.startswith("#") and href[1:] in ids
    local = [h for h in dom.xpath("//a/@href") if h.startswith("#")]
    assert len(local) > 500 and all(h[1:] in ids for h in local)


# ---------------------------------------------------------------------------- bad input

@pytest.fixture(scope="module")
def bad_reports(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """Seed 000 with markup written into one of its cells, and a file that cannot be read."""
    raw = tmp_path_factory.mktemp("bad_raw")
    text = SEED000.read_text("utf-8")
    cell = "\t国家免疫规划类疫苗接种\n"
    assert cell in text
    (raw / "hostile.txt").write_text(text.replace(cell, cell[:-1] + HOSTILE + "\n", 1), "utf-8")
    (raw / "empty.txt").write_bytes(b"")
    out = tmp_path_factory.mktemp("bad_parquet")
    run(raw, out, workers=1, timeout=0, progress=False)
    reports = tmp_path_factory.mktemp("bad_reports")
    write_reports(out, reports)
    index = parse(reports / "index.html")
    pages = {a.text_content(): a.get("href") for a in index.xpath("//a")}
    return reports, pages


def test_failed_document_page_shows_its_error_and_no_all_clear(bad_reports):
    reports, pages = bad_reports
    raw = (reports / pages["empty.txt"]).read_text("utf-8")
    page = lxml.html.fromstring(raw).text_content()
    assert "status failed" in page and "empty" in page.lower()
    assert "No inconsistencies found" not in page and "Every section was parsed completely" not in page
    assert "Not checked" in page and "Nothing was extracted" in page


def test_index_shows_the_failure_reason(bad_reports, tmp_path):
    reports, pages = bad_reports
    index = parse(reports / "index.html")
    [row] = [tr for tr in index.xpath("//tr") if "empty.txt" in tr.text_content()]
    cells = [td.text_content() for td in row.xpath("td")]
    assert cells[4] == "failed" and "empty" in cells[-1].lower()
    [ok] = [tr for tr in index.xpath("//tr") if "hostile.txt" in tr.text_content()]
    assert ok.xpath("td")[-1].text_content() == ""


def test_markup_in_a_source_cell_is_escaped(bad_reports):
    reports, pages = bad_reports
    raw = (reports / pages["hostile.txt"]).read_text("utf-8")
    assert "<script" not in raw and 'href="javascript:' not in raw
    assert "&lt;script&gt;document.title=&quot;pwned&quot;&lt;/script&gt;" in raw


@needs_chromium
def test_markup_in_a_source_cell_is_shown_as_text_in_the_browser(bad_reports, tmp_path):
    reports, pages = bad_reports
    dom = lxml.html.fromstring(chromium(["--dump-dom", (reports / pages["hostile.txt"]).as_uri()],
                                        tmp_path / "profile").decode("utf-8"))
    assert dom.xpath("//script") == []
    assert [h for h in dom.xpath("//@href") if h.strip().lower().startswith("javascript:")] == []
    assert dom.findtext(".//title") != "pwned"
    [pre] = dom.xpath("//pre[@class='src']")
    assert "国家免疫规划类疫苗接种" + HOSTILE in pre.text_content()


# ---------------------------------------------------------------------------- Chinese glyphs

def probe_chars(published) -> str:
    """Eight distinct Chinese characters of seed 000's text, in order of appearance (口, a
    hollow square like a tofu box, is left out)."""
    text = next(d["text"] for d in published["documents"] if d["doc_id"] == D000)
    chars = "".join(dict.fromkeys(c for c in text if re.match(r"[\u4e00-\u9fff]", c) and c != "口"))
    return chars[:8]


def probe(tmp_path: Path, chars: str, env: dict | None = None) -> tuple[list[dict], list[dict]]:
    page = tmp_path / "probe.html"
    page.write_text(probe_page(CSS, chars), "utf-8")
    png = screenshot(page, tmp_path / "probe.png", tmp_path / "profile", size=(900, 400), env=env)
    return glyph_report(png, len(chars), 100, top=0), glyph_report(png, len(chars), 100, top=100)


@needs_chromium
def test_report_fonts_draw_chinese_in_a_screenshot(published, reports, tmp_path):
    """The report's font stacks (body and text pane) draw seed 000's characters as glyphs;
    this fails where no CJK font is installed (the next test shows the checker catching it)."""
    chars = probe_chars(published)
    assert len(chars) == 8 and chars.startswith("附件")
    body, pane = probe(tmp_path, chars)
    for where, cells in (("body font", body), ("text pane font", pane)):
        ok, why = glyphs_drawn(cells)
        assert ok, f"{where}: {why}; install a CJK font (fonts-noto-cjk or fonts-wqy-microhei)"
    # and the real report page renders (a screenshot with ink in its header)
    png = screenshot(reports / f"{D000}.html", tmp_path / "report.png", tmp_path / "profile2",
                     size=(1200, 900))
    assert glyph_report(png, 1, 600, top=0)[0]["ink"] > 1000


@needs_chromium
def test_glyph_checker_fails_when_chinese_renders_as_boxes(published, tmp_path):
    """The same probe with the CJK fonts hidden from fontconfig: tofu, and the checker says so."""
    conf = no_cjk_fontconfig(tmp_path / "fc")
    body, pane = probe(tmp_path, probe_chars(published), env={"FONTCONFIG_FILE": str(conf)})
    for cells in (body, pane):
        ok, why = glyphs_drawn(cells)
        assert not ok and ("tofu" in why or "nothing drawn" in why), why


def test_a_rerun_renders_only_the_pages_whose_rows_changed(tmp_path, monkeypatch):
    """Seed 004 alone, then seed 000 added: the second report run renders only seed 000's
    page (seed 004's rows and the code are unchanged); a page without our digest (edited
    by hand, or from an older version) is rendered again, never trusted."""
    import pipeline.report as rep
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SEED000.parent / "004_4aa0f758ca959e42.txt", raw)
    pq_dir, out = tmp_path / "pq", tmp_path / "reports"
    run(raw, pq_dir, workers=1, timeout=0, progress=False)
    rendered = []
    real = rep.render_document
    monkeypatch.setattr(rep, "render_document", lambda d, rows: rendered.append(d["doc_id"]) or real(d, rows))
    assert write_reports(pq_dir, out) == 1 and rendered == [D004]
    first = (out / f"{D004}.html").read_bytes()
    assert f'<meta name="report-digest" content="'.encode() in first
    shutil.copy(SEED000, raw)
    run(raw, pq_dir, workers=1, timeout=0, progress=False)
    rendered.clear()
    assert write_reports(pq_dir, out) == 2 and rendered == [D000]
    assert (out / f"{D004}.html").read_bytes() == first
    fresh = tmp_path / "fresh"
    write_reports(pq_dir, fresh)                     # the same bytes as a run from nothing
    assert {p.name: p.read_bytes() for p in out.glob("*.html")} == {p.name: p.read_bytes() for p in fresh.glob("*.html")}
    # refused: a page that does not carry the digest is not trusted
    (out / f"{D004}.html").write_text("<p>edited</p>", "utf-8")
    rendered.clear()
    write_reports(pq_dir, out)
    assert rendered == [D004] and (out / f"{D004}.html").read_bytes() == first
