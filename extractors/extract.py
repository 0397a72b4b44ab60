"""From one document model to the records of every dataset, with derived ids.

Ids: ``section_id = {doc_id}:{ordinal}``, ``block_id = {section_id}:b{n}``, and
``{section_id}:i{n}`` (indicators), ``:f{n}`` (funds), ``:g{n}`` / ``:d{n}`` (goals,
duties), ``:k{n}`` (facts), ``:m{n}`` (mentions): never random, stable for the same
input.
"""
from __future__ import annotations

from collections import Counter

from normalizers.region import region_of

from .forms.common import fold
from .forms.indicators import template_for
from .forms.parsers import parse_section
from .model import CELL, HEADING, Block, Document
from .segment import UNKNOWN, segment

# Where a section's place is read, in order: the first field that names one province decides.
REGION_FROM = ("unit_name", "competent_dept", "implementing_unit", "central_competent_dept", "title")

SECTION_META = ("unit_name", "unit_code", "project_name", "project_code", "competent_dept",
                "competent_dept_code", "central_competent_dept", "implementing_unit",
                "implementing_unit_code", "preparer", "phone", "filled_date")


def extract(doc: Document, doc_id: str) -> dict[str, list[dict]]:
    sections = segment(doc)
    out: dict[str, list[dict]] = {k: [] for k in
                                  ("sections", "blocks", "indicators", "funds", "goals", "facts", "mentions")}
    bid: dict[int, str] = {}
    for sec in sections:
        sid = f"{doc_id}:{sec.ordinal}"
        for n, b in enumerate(sec.blocks, start=1):
            bid[id(b)] = f"{sid}:b{n}"

    ctxs = [parse_section(sec) for sec in sections]
    doc_template = next((c.evidence["indicator_header"] for c in ctxs if "indicator_header" in c.evidence), None)
    for k, (sec, ctx) in enumerate(zip(sections, ctxs)):
        # a section cut from its header (a page that starts mid-table): the document's
        # indicator header, else the one known template its first rows fit
        if sec.form_type == "self_eval_report" or "indicator_header" in ctx.evidence or not sec.tables():
            continue
        template = doc_template or template_for(sec.tables()[0].rows())
        if template is not None:
            again = parse_section(sec, template)
            if again.indicators:
                ctxs[k] = again
    def ref(b: Block | None) -> str | None:
        return bid.get(id(b)) if b is not None else None
    mentions_by_sec, headings = _narrative(sections, doc, ctxs)

    doc_unit = next((c.meta["unit_name"] for c in ctxs if c.meta.get("unit_name")), None)
    years = Counter(c.meta["fiscal_year"] for c in ctxs if c.meta.get("fiscal_year"))
    doc_year = years.most_common(1)[0][0] if years else None

    for sec, ctx in zip(sections, ctxs):
        sid = f"{doc_id}:{sec.ordinal}"
        meta = ctx.meta
        # a section cut from its own header (its first rows are the tail of a form that
        # starts above the text) has no unit or year of its own, and takes none from the
        # other forms of the document
        cut = ctx.evidence.get("starts_inside_table")
        year = meta.get("fiscal_year") or (None if cut else doc_year)
        # nor does a section of no known form (an allocation list, a cover): whose it is, is not stated
        unit = meta.get("unit_name") or (None if cut or sec.form_type == UNKNOWN else doc_unit)
        status, message = _status(sec, ctx, ref)
        place = _region({**meta, "unit_name": unit, "title": sec.title})
        out["sections"].append({
            "section_id": sid, "doc_id": doc_id, "ordinal": sec.ordinal,
            "attachment_label": sec.attachment_label, "form_type": sec.form_type,
            "classified_by": sec.classified_by, "title": sec.title, "fiscal_year": year,
            "unit_name": unit,
            **{k: meta.get(k) for k in SECTION_META if k != "unit_name"},
            **place,
            "total_weight": meta.get("total_weight"), "total_score": meta.get("total_score"),
            "total_block": ref(meta.get("total_block")),
            "status": status, "status_message": message,
            "char_start": sec.char_start, "char_end": sec.char_end,
        })
        for b in sec.blocks:
            level = headings.get(id(b))
            out["blocks"].append({
                "block_id": bid[id(b)], "section_id": sid, "doc_id": doc_id,
                "kind": HEADING if level else b.kind, "table_no": b.table_no, "row": b.row,
                "col": b.col, "rowspan": b.rowspan, "colspan": b.colspan, "text": b.text,
                "char_start": b.char_start, "char_end": b.char_end, "page": b.page,
                "x0": b.x0, "top": b.top, "x1": b.x1, "bottom": b.bottom,
                "address": b.address, "heading_level": level or b.level,
                "grid_confidence": b.grid if b.kind == "cell" else None,
            })
        common = {"section_id": sid, "doc_id": doc_id, "form_type": sec.form_type,
                  "fiscal_year": year, "province": place["province"], "unit_name": unit,
                  "project_name": meta.get("project_name")}
        for n, r in enumerate(ctx.indicators, start=1):
            rec = {**common, **r, "indicator_id": f"{sid}:i{n}", "row_no": n}
            for k in ("name_block", "target_block", "actual_block", "weight_block", "score_block",
                      "level1_block", "level2_block"):
                rec[k] = ref(r.get(k))
            out["indicators"].append(rec)
        for n, r in enumerate(ctx.funds, start=1):
            out["funds"].append({**common, **r, "fund_id": f"{sid}:f{n}",
                                 "block_id": ref(r["block_id"]), "item_block": ref(r["item_block"])})
        counters: Counter = Counter()
        for r in ctx.goals:
            counters[r["kind"]] += 1
            letter = "d" if r["kind"] == "duty" else "g"
            out["goals"].append({**r, "goal_id": f"{sid}:{letter}{counters[r['kind']]}",
                                 "ordinal": counters[r["kind"]],
                                 "section_id": sid, "doc_id": doc_id,
                                 "expected_block": ref(r["expected_block"]),
                                 "actual_block": ref(r["actual_block"])})
        for n, r in enumerate(ctx.facts, start=1):
            out["facts"].append({**r, "fact_id": f"{sid}:k{n}", "section_id": sid, "doc_id": doc_id,
                                 "block_id": ref(r["block_id"])})
        for n, m in enumerate(mentions_by_sec.get(sec.ordinal, []), start=1):
            block = m.pop("_block", None)
            out["mentions"].append({**m, "mention_id": f"{sid}:m{n}", "section_id": sid,
                                    "doc_id": doc_id, "block_id": ref(block)})
    return out


def _status(sec, ctx, ref) -> tuple[str, str | None]:
    """ok | partial (with what no parser claimed, by block id) | unparsed."""
    if sec.form_type == UNKNOWN and not (ctx.indicators or ctx.funds or ctx.facts or ctx.goals):
        return "unparsed", ("form not recognised: no known title or header labels; its "
                            f"{len(sec.blocks)} blocks are kept in the blocks dataset")
    if sec.form_type == UNKNOWN:
        ctx.notes.insert(0, "form type not decided (no known title, anchors or indicator table); "
                            "its tables were read")
    unclaimed = [b for b in sec.blocks if b.kind == CELL and id(b) not in ctx.claimed and fold(b.text)]
    notes = list(ctx.notes)
    if unclaimed:
        sample = ", ".join(f"{ref(b)} (table {b.table_no} r{b.row}c{b.col}) {b.text.strip()[:20]!r}"
                           for b in unclaimed[:8])
        notes.insert(0, f"{len(unclaimed)} cell(s) not parsed: {sample}")
    if sec.form_type != "self_eval_report" and not (ctx.indicators or ctx.funds or ctx.facts or ctx.goals):
        notes.insert(0, "no indicator, fund, goal or fact could be read from this form")
    if notes:
        return "partial", "; ".join(notes)
    return "ok", None


def report_paragraphs(sections, ctxs=None) -> list[tuple[object, list[Block]]]:
    """(section, its paragraph blocks) of every narrative report section: what the
    narrative analysis reads (also used by benchmarks/bench_narrative.py).  With the
    sections' parse contexts, a report's table cells that no form parser claimed are read
    too, in reading order (a report laid out as a column of label and text cells)."""
    claimed = {s.ordinal: c.claimed for s, c in zip(sections, ctxs or [])}
    out = []
    for s in sections:
        if s.form_type != "self_eval_report":
            continue
        taken = claimed.get(s.ordinal)
        out.append((s, [b for b in s.blocks if b.kind != CELL
                        or (taken is not None and id(b) not in taken and b.text.strip())]))
    return out


def _region(meta: dict) -> dict:
    """province / province_code / region_code / region_name / region_from of a section."""
    for key in REGION_FROM:
        r = region_of(meta.get(key))
        if r is not None and r.province:
            return {"province": r.province, "province_code": r.province_code, "region_code": r.code,
                    "region_name": r.name, "region_from": key}
    return {"province": None, "province_code": None, "region_code": None, "region_name": None, "region_from": None}


def _narrative(sections, doc: Document, ctxs=None) -> tuple[dict[int, list[dict]], dict[int, int]]:
    """Mentions and heading levels of report sections (extractors.narrative); the
    report's duty and goal items go to its section's goals (``ctxs``), unless the
    section's tables already gave goals of that kind."""
    reports = report_paragraphs(sections, ctxs)
    if not reports:
        return {}, {}
    from .narrative import analyze_report
    ctx_of = {s.ordinal: c for s, c in zip(sections, ctxs or [])}
    mentions: dict[int, list[dict]] = {}
    headings: dict[int, int] = {}
    for sec, paras in reports:
        if not paras:
            continue
        analysis = analyze_report([(b.text, b.char_start) for b in paras])
        for b, info in zip(paras, analysis.paragraphs):
            if info.level and b.kind != CELL:
                headings[id(b)] = info.level
        rows = []
        for m in analysis.mentions:
            rows.append({
                "_block": paras[m.paragraph_index], "heading_path": list(m.heading_path),
                "label": m.label, "subject": m.subject, "parent_label": m.parent_label,
                "value_raw": m.value_raw,
                "value": m.value, "unit": m.unit, "kind": m.kind, "share_of": m.share_of,
                "char_start": m.char_start, "char_end": m.char_end, "sentence": m.sentence,
            })
        mentions[sec.ordinal] = rows
        ctx = ctx_of.get(sec.ordinal)
        if ctx is not None:
            have = {g["kind"] for g in ctx.goals}
            for g in analysis.goals:
                if g["kind"] in have:
                    continue
                ctx.claim(paras[g["expected_para"]])
                ctx.goals.append({
                    **{k: v for k, v in g.items() if k not in ("expected_para", "actual_para")},
                    "expected_block": paras[g["expected_para"]],
                    "actual_block": paras[g["actual_para"]] if g["actual_para"] is not None else None})
    return mentions, headings
