"""Rules over the narrative report's mentions: against the tables, and listed items against their total."""
from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Iterator

from .core import Doc, Finding, rule
from .money import dec


def _narrative_module():
    try:
        from extractors import narrative
    except Exception:  # not there yet, or broken: the tables are still checked
        return None
    return narrative


def _mention_objects(doc: Doc) -> list[SimpleNamespace]:
    """Mention records as the objects extractors.narrative's check helpers read:
    ``op`` from the written value, ``parent_index`` from ``parent_label`` (the nearest
    earlier money figure of the same paragraph with that label)."""
    from normalizers import parse_quantity
    out: list[SimpleNamespace] = []
    para_index: dict[str, int] = {}
    for m in doc.mentions:
        ns = SimpleNamespace(**{k: v for k, v in m.items()})
        try:
            ns.op = parse_quantity(m.get("value_raw") or "").op
        except Exception:
            ns.op = None
        ns.op = ns.op if ns.op in (">=", "<=", ">", "<", "range") else None
        ns.paragraph_index = para_index.setdefault(m.get("block_id"), len(para_index))
        ns.heading_path = list(m.get("heading_path") or [])
        ns.upper = None
        ns.parent_index = None
        if m.get("parent_label"):
            for j in range(len(out) - 1, -1, -1):
                o = out[j]
                if o.block_id == m.get("block_id") and o.label == m.get("parent_label") \
                        and o.kind == m.get("kind"):
                    ns.parent_index = j
                    break
        ns.sentence = m.get("sentence") or ""
        out.append(ns)
    return out


@rule("narrative_vs_table")
def narrative_vs_table(doc: Doc) -> Iterator[Finding]:
    """A money figure of the narrative report differs from the same figure in the tables
    (same label, same fiscal year), at the precision the narrative writes it."""
    nar = _narrative_module()
    fn = getattr(nar, "match_narrative_to_tables", None) if nar else None
    if fn is None or not doc.mentions:
        return
    ms = _mention_objects(doc)
    by_ref = {f["fund_id"]: f for f in doc.funds}
    for sid in dict.fromkeys(m.section_id for m in ms):
        sec = doc.section.get(sid, {})
        year = sec.get("fiscal_year")
        idx = [i for i, m in enumerate(ms) if m.section_id == sid]
        table = [(f.get("item"), dec(f.get("amount_yuan")), f["fund_id"]) for f in doc.funds
                 if f.get("section_id") != sid and dec(f.get("amount_yuan")) is not None
                 and (year is None or f.get("period_year") in (None, year))]
        doc.compared("narrative_vs_table", sum(1 for i in idx if ms[i].kind == "money"))
        for r in fn([ms[i] for i in idx], table):
            m = ms[idx[r["mention_index"]]]
            f = by_ref.get(r.get("table_ref"))
            msg = r["message"]
            if f is not None:
                msg += (f" at {doc.where(f['section_id'])}, table row {doc.row_of(f.get('block_id'))}, "
                        f"column {f.get('measure_raw')}; mention {m.mention_id}")
            yield Finding(sid, r.get("severity", "warning"), msg, r.get("expected"), r.get("observed"),
                          [m.mention_id, r.get("table_ref"), m.block_id,
                           f.get("block_id") if f else None], rule="narrative_vs_table")


@rule("narrative_list_sum")
def narrative_list_sum(doc: Doc) -> Iterator[Finding]:
    """A total in the narrative report whose listed money items do not add up."""
    nar = _narrative_module()
    fn = getattr(nar, "narrative_list_sum_findings", None) if nar else None
    if fn is None or not doc.mentions:
        return
    ms = _mention_objects(doc)
    doc.compared("narrative_list_sum", len({m.parent_index for m in ms if m.parent_index is not None}))
    for r in fn(SimpleNamespace(mentions=ms, paragraphs=[], warnings=[])):
        idxs = r.get("mentions") or [r.get("total_index")] + list(r.get("item_indices") or [])
        total = ms[idxs[0]]
        observed = r.get("observed")
        unit = re.sub(r"^[\d.,，\s]+", "", r.get("expected") or "")
        if observed and unit and not observed.endswith(unit):
            observed += unit
        # the contract's expected = what the figures imply (the items' sum), observed =
        # what the document states (the total)
        yield Finding(total.section_id, r.get("severity", "warning"),
                      f"{r['message']} (mention {total.mention_id})",
                      observed, r.get("expected"),
                      [ms[i].mention_id for i in idxs] + [total.block_id], rule="narrative_list_sum")
