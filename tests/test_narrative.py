"""extractors.narrative: headings, figures and checks of the narrative 自评报告."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from extractors.narrative import (
    analyze_report,
    classify_heading,
    match_narrative_to_tables,
    narrative_list_sum_findings,
)

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED000 = SHARED / "seeds" / "000_dbacab0dbc49b42b.txt"
CORPUS = SHARED / "corpus" / "dev"

needs_seed = pytest.mark.skipif(not SEED000.exists(), reason="shared seed 000 not available")
needs_corpus = pytest.mark.skipif(not CORPUS.exists(), reason="shared dev corpus not available")


def line_paragraphs(text: str, first_line: int = 0) -> list[tuple[str, int]]:
    """Non-blank lines from ``first_line`` on, with their offsets (a .txt document's
    paragraphs; the canonical text of a .txt file is the decoded file)."""
    out, pos = [], 0
    for k, line in enumerate(text.split("\n")):
        if k >= first_line and line.strip():
            out.append((line, pos))
        pos += len(line) + 1
    return out


@pytest.fixture(scope="session")
def seed_text() -> str:
    if not SEED000.exists():
        pytest.skip("shared seed 000 not available")
    return SEED000.read_bytes().decode("utf-8")


@pytest.fixture(scope="session")
def seed_report(seed_text):
    lines = seed_text.split("\n")
    start = next(i for i, ln in enumerate(lines) if ln.strip() == "附件 4")
    return analyze_report(line_paragraphs(seed_text, start))


def corpus_text(name: str) -> str:
    p = CORPUS / f"{name}.txt"
    if not p.exists():
        pytest.skip(f"corpus file {name} not available")
    return p.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def corpus_reports() -> dict[str, tuple[str, object]]:
    names = ["r004", "r005", "r006", "r011", "r012", "r014", "r015", "r027", "r029",
             "r036", "r038", "r043", "r054", "r056", "r068"]
    out = {}
    for n in names:
        p = CORPUS / f"{n}.txt"
        if p.exists():
            t = p.read_text(encoding="utf-8")
            out[n] = (t, analyze_report(line_paragraphs(t)))
    return out


# ---------------------------------------------------------------------------- headings

@pytest.mark.parametrize("line, level", [
    ("一、项目基本情况", 1),
    ("二、 一般公共预算支出情况", 1),
    ("十、 其他需要说明的情况", 1),
    ("五．绩效自评结果", 1),
    ("（一）基本支出情况", 2),
    ("(一)项目资金情况", 2),
    ("（一)资金投入情况分析。", 2),           # mixed brackets
    ("(二）总体绩效目标完成情况", 2),
    ("（五）提升整体素质，建好专技人才培养“加油站”。通过公开招聘、四海揽才等方式持续加强人才培养。", 2),
    ("[bookmark: _GoBack]（一）坚持以学铸魂，抓牢思想政治建设“指南针”", 2),
    ("1.加强管理制度建设", 3),
    ("1、 单位基本情况", 3),                   # context free; analyze_report promotes it
    ("1．项目立项背景", 3),
    ("１．全角数字的标题", 3),
    ("12、项目资金执行情况", 3),
    ("（1）数量指标", 4),
    ("(2)成本指标。", None),                 # ends with 。: analyze_report decides by context
    ("（１）全角括号", 4),
    ("1、贯彻执行国民健康政策及国家和省、市关于卫生健康工作的方针政策和法律法规，组织实施全区卫生健康政策。", None),
    ("4、协调落实应对人口老龄化政策措施，推进全区老年健康服务体系建设和医养结合工作。", None),
    ("1.加强组织管理。卫健系统作为牵头部门和行业主管单位，抽调50多名人员至指挥部办公室。", None),
    ("2023年我单位基本支出是863.17万元，其中：人员经费：787.52万元", None),
    ("1.5万元用于设备购置", None),
    ("一是加强组织领导。", None),
    ("基本工作情况", None),
    ("", None),
    ("   ", None),
])
def test_classify_heading(line, level):
    assert classify_heading(line) == level


def test_heading_context_short_numbered_line_with_full_stop():
    paras = ["一、绩效目标完成情况分析", "(一)资金投入情况分析。", "1.项目资金到位情况分析。",
             "红财社发〔2023〕128号文件下达补助资金2.00万元。", "2.项目资金执行情况分析。",
             "资金已使用2.00万元。",
             "(二)职能职责", "11、承担全区重大会议与重大活动的医疗卫生保障工作。",
             "12、指导区计划生育协会的业务工作。", "13、负责本单位的信访维稳工作。"]
    pos, items = 0, []
    for p in paras:
        items.append((p, pos))
        pos += len(p) + 1
    a = analyze_report(items)
    assert [p.level for p in a.paragraphs] == [1, 2, 3, None, 3, None, 2, None, None, None]
    assert a.paragraphs[3].heading_path == ["一、绩效目标完成情况分析", "(一)资金投入情况分析。",
                                            "1.项目资金到位情况分析。"]


@needs_seed
def test_seed_heading_levels_and_paths(seed_report):
    by_text = {p.text.strip(): p for p in seed_report.paragraphs}
    # the auto-numbered top-level headings between 二、..五、
    assert by_text["1、 单位基本情况"].level == 1
    assert by_text["6、 单位整体支出绩效情况"].level == 1
    assert by_text["二、 一般公共预算支出情况"].level == 1
    assert by_text["七、存在的问题及原因分析"].level == 1
    assert by_text["（一）职能职责"].heading_path == ["1、 单位基本情况"]
    assert by_text["（一）集全局之力，推进文明卫生城市建设。"].level == 2
    assert by_text["（一）集全局之力，推进文明卫生城市建设。"].heading_path == ["6、 单位整体支出绩效情况"]
    # numbered duty paragraphs are list items, not headings
    duties = [p for p in seed_report.paragraphs
              if p.heading_path == ["1、 单位基本情况", "（一）职能职责"]]
    assert len(duties) == 15 and all(p.level is None for p in duties)
    basic = next(p for p in seed_report.paragraphs if p.text.startswith("2023年我单位基本支出"))
    assert basic.level is None
    assert basic.heading_path == ["二、 一般公共预算支出情况", "（一）基本支出情况"]
    project = next(p for p in seed_report.paragraphs if p.text.startswith("2023年我单位项目支出"))
    assert project.heading_path == ["二、 一般公共预算支出情况", "（二）项目支出情况"]
    assert by_text["八、下一步改进措施"].level == 1
    assert [p.level for p in seed_report.paragraphs
            if p.text.startswith("[bookmark: _GoBack]")] == [2]


# ---------------------------------------------------------------------------- mentions

PROJECT_ITEMS = [
    ("维修改造", "5.40万元"), ("项目咨询费", "28.00万元"), ("宣传教育经费", "37.50万元"),
    ("党建经费", "7.80万元"), ("计生协会经费", "82.49万元"), ("区级嘉奖经费", "11.25万元"),
    ("运行维护（含离退休及伤残经费）", "19.17万元"), ("疫情防控", "154.00万元"),
    ("职业病防治", "1.40万元"), ("医疗纠纷维稳", "4.95万元"), ("中医药经费", "0.11万元"),
    ("老年人意外保险", "39.36万元"), ("重症精神病经费", "0.19万元"), ("乡村医生补助", "10.73万元"),
    ("健康体检", "16.4万元"), ("本土化培训", "20.58万元"), ("卫生城市考核", "60.60万元"),
    ("基本公卫经费", "2.50万元"), ("税费缴纳", "623.27万元"),
]


@needs_seed
def test_seed_basic_expenditure_mentions(seed_text, seed_report):
    ms = seed_report.mentions_under("二、 一般公共预算支出情况", "（一）基本支出情况")
    got = [(m.label, m.value_raw, m.value, m.unit, m.kind, m.share_of, m.parent_label) for m in ms]
    assert got == [
        ("基本支出", "863.17万元", Decimal("8631700.00"), "元", "money", None, None),
        ("人员经费", "787.52万元", Decimal("7875200.00"), "元", "money", None, "基本支出"),
        ("人员经费", "91.24%", Decimal("91.24"), "%", "percent", "基本支出", None),
        ("公用经费", "75.65万元", Decimal("756500.00"), "元", "money", None, "基本支出"),
        ("公用经费", "8.76%", Decimal("8.76"), "%", "percent", "基本支出", None),
    ]
    # offsets into the document text (= the decoded .txt file)
    assert ms[0].char_start == seed_text.index("863.17万元")
    for m in ms:
        assert m.char_start == seed_text.index(m.value_raw)
        assert seed_text[m.char_start:m.char_end] == m.value_raw
        assert m.heading_path == ["二、 一般公共预算支出情况", "（一）基本支出情况"]
        assert seed_text[m.sentence_start:m.sentence_start + len(m.sentence)] == m.sentence
    assert ms[0].sentence.startswith("2023年我单位基本支出是863.17万元，其中：")
    assert ms[0].sentence.endswith("其他对个人和家庭的补助；")
    assert ms[3].sentence.startswith("公用经费：75.65万元") and ms[3].sentence.endswith("。")
    assert ms[1].parent_index == seed_report.mentions.index(ms[0])


@needs_seed
def test_seed_project_expenditure_mentions(seed_text, seed_report):
    ms = seed_report.mentions_under("二、 一般公共预算支出情况", "（二）项目支出情况")
    total, items = ms[0], ms[1:]
    assert (total.label, total.value_raw, total.value, total.parent_label) == \
        ("项目支出", "1125.71万元", Decimal("11257100.00"), None)
    assert total.char_start == seed_text.index("1125.71万元")
    assert [(m.label, m.value_raw) for m in items] == PROJECT_ITEMS
    sentence_at = seed_text.index("2023年我单位项目支出是")
    t_index = seed_report.mentions.index(total)
    for m in items:
        assert m.char_start == seed_text.index(m.value_raw, sentence_at)
        assert seed_text[m.char_start:m.char_end] == m.value_raw
        assert m.kind == "money" and m.unit == "元"
        assert m.parent_label == "项目支出" and m.parent_index == t_index
        assert m.heading_path == ["二、 一般公共预算支出情况", "（二）项目支出情况"]
    assert items[6].value == Decimal("191700.00")
    assert items[14].value == Decimal("164000.0") and items[-1].value == Decimal("6232700.00")


@needs_seed
def test_seed_counts_and_non_mentions(seed_text, seed_report):
    ms = seed_report.mentions
    by_raw = {}
    for m in ms:
        by_raw.setdefault(m.value_raw, m)
    assert by_raw["43名"].label == "专业技术人员" and by_raw["43名"].value == 43
    assert by_raw["74.12万人次"].label == "门诊服务"
    assert by_raw["74.12万人次"].value == 741200 and by_raw["74.12万人次"].unit == "人次"
    assert by_raw["50多名"].op == ">=" and by_raw["50多名"].value == 50
    assert by_raw["37874人"].label == "0-6岁儿童健康管理"
    for m in ms:
        assert seed_text[m.char_start:m.char_end] == m.value_raw
        raw = m.value_raw
        # years, dates, ordinals, ages, heading numbers are not mentions
        assert not raw.endswith(("年", "月", "日", "岁", "号")), raw
        assert not seed_text[:m.char_start].endswith("第"), raw
    assert "2023年" not in {m.value_raw for m in ms}


@needs_seed
def test_seed_list_sum_finding(seed_report):
    fs = narrative_list_sum_findings(seed_report)
    assert len(fs) == 1
    f = fs[0]
    assert f["rule"] == "narrative_list_sum" and f["severity"] == "warning"
    assert f["expected"] == "1125.71万元" and f["observed"] == "1125.70"
    assert f["expected_value"] == Decimal("11257100.00")
    assert f["observed_value"] == Decimal("11257000.00")
    ms = seed_report.mentions
    assert ms[f["mentions"][0]].value_raw == "1125.71万元"
    assert [ms[i].label for i in f["mentions"][1:]] == [lbl for lbl, _ in PROJECT_ITEMS]
    assert "1125.71万元" in f["message"] and "1125.70" in f["message"]
    assert "（二）项目支出情况" in f["message"]


@needs_seed
def test_seed_narrative_vs_table(seed_report):
    ms = seed_report.mentions
    table = [("公用经费", Decimal("756400.00"), "fund:公用经费:final"),   # 附件1 决算数 75.64
             ("人员经费", Decimal("7875200.00"), "fund:人员经费:final"),   # agrees
             ("基本支出", Decimal("8631700"), "fund:基本支出:final")]      # agrees
    fs = match_narrative_to_tables(ms, table)
    assert len(fs) == 1
    f = fs[0]
    assert f["rule"] == "narrative_vs_table" and f["severity"] == "warning"
    assert ms[f["mention_index"]].label == "公用经费"
    assert ms[f["mention_index"]].value_raw == "75.65万元"
    assert f["expected"] == "75.64万元" and f["observed"] == "75.65万元"
    assert f["table_ref"] == "fund:公用经费:final"
    assert "75.65万元" in f["message"] and "75.64" in f["message"]


def test_match_narrative_to_tables_precision_and_labels():
    from extractors.narrative import Mention

    def m(label, raw, value):
        return Mention(0, label, raw, Decimal(value), "元", "money", None, None, 0, len(raw),
                       raw, [], op="=")
    ms = [m("基本支出", "864万元", "8640000"), m("公 用 经费", "75.64万元", "756400"),
          m("项目经费", "1126万元", "11260000")]
    table = [("基本支出", Decimal("8631700"), "a"),      # 863.17 -> 863 at 万元 precision: differs
             ("公用经费", Decimal("756400"), "b"),       # same after folding spaces
             ("项目支出", Decimal("11257100"), "c")]     # 经费/支出 variants: 1125.71 -> 1126 equal
    fs = match_narrative_to_tables(ms, table)
    assert [(f["mention_index"], f["expected"]) for f in fs] == [(0, "863万元")]
    assert match_narrative_to_tables(ms, []) == []


# ---------------------------------------------------------------------------- corpus

@needs_corpus
def test_r006_total_split_without_line_breaks():
    text = corpus_text("r006")
    a = analyze_report(line_paragraphs(text))
    by = {m.value_raw: m for m in a.mentions}
    total, upper, own = by["239万元"], by["179.25万元"], by["59.75万元"]
    assert total.value == Decimal("2390000")
    assert (upper.label, upper.value) == ("上级资金", Decimal("1792500.00"))
    assert (own.label, own.value) == ("本级", Decimal("597500.00"))
    t = a.mentions.index(total)
    assert upper.parent_index == t and own.parent_index == t
    assert by["87.06万元"].parent_index is None  # next inline section (三、...) is not part of it
    assert narrative_list_sum_findings(a) == []
    for m in a.mentions:
        assert text[m.char_start:m.char_end] == m.value_raw


@needs_corpus
def test_r036_bracketed_breakdown():
    text = corpus_text("r036")
    a = analyze_report(line_paragraphs(text))
    by = {m.value_raw: m for m in a.mentions}
    total = by["3608万元"]
    t = a.mentions.index(total)
    assert (by["2855万元"].label, by["2855万元"].parent_index) == ("中央资金", t)
    assert (by["753万元"].label, by["753万元"].parent_index) == ("省级资金", t)
    assert by["120万元"].parent_index is None
    assert by["2855万元"].char_start == text.index("2855万元")
    assert narrative_list_sum_findings(a) == []


@needs_corpus
def test_r011_spaced_numbers_and_breakdown():
    text = corpus_text("r011")
    a = analyze_report(line_paragraphs(text))
    by = {m.value_raw: m for m in a.mentions}
    total = by["803.74 万元"]          # the space stays in value_raw, as in the source
    assert total.value == Decimal("8037400.00") and total.label == "部门预算总金额"
    assert total.char_start == text.index("803.74 万元")
    t = a.mentions.index(total)
    assert (by["757.49 万元"].label, by["757.49 万元"].parent_index) == ("基本支出", t)
    assert (by["46.25 万元"].label, by["46.25 万元"].parent_index) == ("项目支出", t)
    assert narrative_list_sum_findings(a) == []


@needs_corpus
def test_r015_approximate_counts():
    text = corpus_text("r015")
    a = analyze_report(line_paragraphs(text))
    by = {m.value_raw: m for m in a.mentions}
    assert (by["500多人次"].op, by["500多人次"].value, by["500多人次"].unit) == (">=", 500, "人次")
    assert (by["30余家"].op, by["30余家"].value, by["30余家"].label) == (">=", 30, "平台协会")
    assert by["20000余册"].value == 20000 and by["8批次"].value == 8
    assert by["98.14分"].label == "绩效自评分"


@needs_corpus
def test_r056_real_list_sum_discrepancy():
    a = analyze_report(line_paragraphs(corpus_text("r056")))
    fs = narrative_list_sum_findings(a)
    assert [(f["expected"], f["observed"]) for f in fs] == [("2263万元", "2253")]


@needs_corpus
def test_r027_trailing_total():
    a = analyze_report(line_paragraphs(corpus_text("r027")))
    total = next(m for m in a.mentions if m.label == "共计")
    kids = [m for m in a.mentions if m.parent_index == a.mentions.index(total)]
    assert [m.value_raw for m in kids] == ["12.08万元", "18.8万元", "6.75万元", "3.2万元"]
    assert narrative_list_sum_findings(a) == []


@needs_corpus
def test_corpus_non_mentions():
    a = analyze_report(line_paragraphs(corpus_text("r012")))
    raws = [m.value_raw for m in a.mentions]
    assert "2.00万元" in raws and "≥80%" in raws
    assert not any(r.startswith(("2023", "128")) for r in raws)  # 〔2023〕128号, 2023年12月31日
    a = analyze_report(line_paragraphs(corpus_text("r014")))
    assert "138587元" in [m.value_raw for m in a.mentions]       # glued `元及` split off
    assert not any("2015" in m.value_raw or "2019" in m.value_raw for m in a.mentions)


def _prose_ids() -> list[str]:
    manifest = CORPUS / "MANIFEST.tsv"
    if not manifest.exists():
        return []
    ids = []
    for line in manifest.read_text(encoding="utf-8").splitlines()[1:]:
        cols = line.split("\t")
        if len(cols) > 4 and cols[4] == "prose" and cols[0] not in ids:
            ids.append(cols[0])
    return ids


@needs_corpus
def test_never_crashes_on_corpus():
    """Every corpus file as lines; the prose reports also as one flat paragraph."""
    files = sorted(CORPUS.glob("r*.txt"))
    prose = set(_prose_ids())
    assert prose <= {p.stem for p in files}
    n_mentions = 0
    for p in files:
        text = p.read_text(encoding="utf-8")
        variants = [line_paragraphs(text)] + ([[(text, 0)]] if p.stem in prose else [])
        for paras in variants:
            a = analyze_report(paras)
            narrative_list_sum_findings(a)
            match_narrative_to_tables(a.mentions, [("资金", Decimal("1"), "x")])
            for m in a.mentions:
                assert text[m.char_start:m.char_end] == m.value_raw, (p.name, m)
                assert m.sentence and m.value_raw.strip() in m.sentence
            n_mentions += len(a.mentions)
    assert n_mentions > 200


def test_degenerate_inputs():
    assert analyze_report([]).mentions == []
    odd = ["", "   ", "。。。；；", "（", "）", "1、", "一、", "占的%", "5", "万元", "其中：",
           "共计万元", "≥", "1-", "3*1.8*2", "P1.5LED", "第1名", "2023年12月31日",
           "川财社〔2020〕165号", "0562-3211127", "（一）" * 50, "1" * 500 + "万元"]
    pos, items = 0, []
    for s in odd:
        items.append((s, pos))
        pos += len(s) + 1
    a = analyze_report(items)
    doc = "\n".join(odd)
    for m in a.mentions:
        assert doc[m.char_start:m.char_end] == m.value_raw
    assert {m.value_raw for m in a.mentions} <= {"1" * 500 + "万元"}
