"""The report's document text: every extracted value's characters as a highlight span,
overlaps resolved (a dropped span is represented by the one covering it), and the text
rendered with ``<mark>`` anchors linking to the rows."""
from __future__ import annotations

from ._source import INDICATOR_CELLS, locate as _trim
from .report_html import esc


class Span:
    __slots__ = ("start", "end", "anchor", "target", "cls", "title", "block_id")

    def __init__(self, start, end, anchor, target, cls, title, block_id=None):
        self.start, self.end, self.anchor, self.target = start, end, anchor, target
        self.cls, self.title, self.block_id = cls, title, block_id


def anchor_of(entity_id: str, role: str) -> str:
    return f"t-{entity_id}-{role}"


def _value_spans(text: str, rows: dict[str, list[dict]], blocks: dict[str, dict]) -> list[Span]:
    """Every extracted value's characters, as candidate highlights."""
    spans: list[Span] = []

    def add_block(entity: str, role: str, block_id: str | None, raw: str | None, cls: str, title: str):
        b = blocks.get(block_id or "")
        if not b or b.get("char_start") is None:
            return
        s, e = _trim(text, b["char_start"], b["char_end"], raw)
        if b.get("page") is not None:
            title += f" (page {b['page']})"
        elif b.get("address"):
            title += f" ({b['address']})"
        if e > s:
            spans.append(Span(s, e, anchor_of(entity, role), entity, cls, title, block_id))

    for ind in rows["indicators"]:
        iid = ind["indicator_id"]
        for role, blk, raw, _ in INDICATOR_CELLS:
            add_block(iid, role, ind.get(blk), ind.get(raw) if raw else None, f"v v-ind v-{role}",
                      f"{iid} {role}")
    for f in rows["funds"]:
        fid = f["fund_id"]
        add_block(fid, "amount", f.get("block_id"), f.get("amount_raw"), "v v-fund",
                  f"{fid} {f.get('item')} {f.get('measure_raw')} = {esc(f.get('amount_yuan'))} 元")
    for k in rows["facts"]:
        add_block(k["fact_id"], "value", k.get("block_id"), k.get("value_raw"), "v v-fact",
                  f"{k['fact_id']} {k.get('key')}")
    for g in rows["goals"]:
        for role in ("expected", "actual"):
            s, e = g.get(f"{role}_start"), g.get(f"{role}_end")
            if s is not None and e is not None and e > s:
                s, e = _trim(text, s, e)
                spans.append(Span(s, e, anchor_of(g["goal_id"], role), g["goal_id"], f"v v-goal v-{role}",
                                  f"{g['goal_id']} {role}", g.get(f"{role}_block")))
            else:
                add_block(g["goal_id"], role, g.get(f"{role}_block"), None, f"v v-goal v-{role}",
                          f"{g['goal_id']} {role}")
    for m in rows["mentions"]:
        if m.get("char_start") is not None and m.get("char_end", 0) > m["char_start"]:
            spans.append(Span(m["char_start"], m["char_end"], anchor_of(m["mention_id"], "value"),
                              m["mention_id"], "v v-mention",
                              f"{m['mention_id']} {m.get('label') or ''}", m.get("block_id")))
    return spans


def _non_overlapping(spans: list[Span]) -> tuple[list[Span], dict[str, Span]]:
    """Keep spans that do not overlap an earlier kept one (in text order, longest first
    at the same start); a dropped span is represented by the kept span covering it."""
    kept: list[Span] = []
    alias: dict[str, Span] = {}
    last_end = -1
    for sp in sorted(spans, key=lambda s: (s.start, -(s.end - s.start), s.anchor)):
        if sp.start >= last_end:
            kept.append(sp)
            last_end = sp.end
        else:
            alias[sp.anchor] = kept[-1]
    return kept, alias


def _render_text(text: str, spans: list[Span], known: set[str]) -> str:
    out, pos = [], 0
    for sp in spans:
        out.append(esc(text[pos:sp.start]))
        inner = esc(text[sp.start:sp.end])
        if sp.target in known:
            inner = f'<a href="#{esc(sp.target)}">{inner}</a>'
        out.append(f'<mark id="{esc(sp.anchor)}" class="{sp.cls}" title="{esc(sp.title)}">{inner}</mark>')
        pos = sp.end
    out.append(esc(text[pos:]))
    return "".join(out)
