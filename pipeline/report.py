"""``python -m pipeline report``: one self-contained HTML audit report per document.

Each ``{doc_id}.html`` holds, with no external resources and no script:

* the findings (``checks``) at the top, each linking to the rows and cells involved;
* a summary of what was extracted (rows per dataset, sections with form type and
  status) and what was left unparsed (sections whose status is not ok, with the reason);
* the document's canonical text with every extracted value highlighted (``<mark>``) and
  linked to its row in the tables of extracted data, which link back to the text.

``index.html`` lists the documents.  Output is deterministic (no timestamps; documents in
source-path order, rows in id order), so DVC can cache it.
"""
from __future__ import annotations

import html
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pyarrow.parquet as pq

from ._source import INDICATOR_CELLS, locate as _trim
from .schema import PRIMARY_KEYS

DATASETS = ("documents", "sections", "blocks", "indicators", "funds", "goals", "facts",
            "mentions", "checks")
SEV_ORDER = {"error": 0, "warning": 1, "info": 2}


def esc(v) -> str:
    if v is None:
        return ""
    if isinstance(v, Decimal):
        v = f"{v.normalize():f}"
    return html.escape(str(v), quote=True)


def _read(parquet_dir: Path, name: str) -> list[dict]:
    d = parquet_dir / name
    files = sorted(d.rglob("*.parquet")) if d.is_dir() else []
    rows: list[dict] = []
    for f in files:
        rows.extend(pq.ParquetFile(f).read().to_pylist())  # (read_table would import pyarrow.dataset: slow)
    return rows


def _load(parquet_dir: Path) -> dict[str, dict[str, list[dict]]]:
    """dataset -> doc_id -> rows."""
    out: dict[str, dict[str, list[dict]]] = {}
    for name in DATASETS:
        by_doc: dict[str, list[dict]] = defaultdict(list)
        for r in _read(parquet_dir, name):
            by_doc[r.get("doc_id")].append(r)
        out[name] = by_doc
    return out


# ---------------------------------------------------------------------------- spans

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


# ---------------------------------------------------------------------------- page

# Font stacks naming the CJK families of common desktops (Linux: Noto/Source Han,
# WenQuanYi; macOS: PingFang, Hiragino; Windows: Microsoft YaHei, SimSun), so that Chinese
# is drawn wherever one of them is installed, whatever the system UI font is.
CJK_SANS = ('"Noto Sans CJK SC","Source Han Sans SC","Source Han Sans CN","PingFang SC",'
            '"Hiragino Sans GB","Microsoft YaHei","WenQuanYi Micro Hei","WenQuanYi Zen Hei",'
            '"Droid Sans Fallback","SimSun",sans-serif')
CJK_MONO = ('ui-monospace,SFMono-Regular,Menlo,Consolas,"Noto Sans Mono CJK SC",'
            '"WenQuanYi Micro Hei Mono",' + CJK_SANS.replace(",sans-serif", ",monospace"))

CSS = """
:root{--err:#b3261e;--warn:#9a6700;--info:#0b57d0;--bd:#d0d7de;--bg2:#f6f8fa}
*{box-sizing:border-box}
body{font:14px/1.5 system-ui,-apple-system,"Segoe UI",""" + CJK_SANS + """;margin:0;color:#1f2328}
header,section.block{padding:12px 20px;border-bottom:1px solid var(--bd)}
h1{font-size:20px;margin:0 0 4px}h2{font-size:17px;margin:8px 0}h3{font-size:15px;margin:14px 0 6px}
code,.mono{font-family:""" + CJK_MONO + """;font-size:12px}
nav a{margin-right:12px}
.meta{color:#57606a}
ol.findings{padding-left:22px}ol.findings li{margin:6px 0 10px}
.sev{display:inline-block;min-width:58px;text-align:center;border-radius:4px;color:#fff;font-size:12px;padding:0 4px;margin-right:4px}
.sev-error{background:var(--err)}.sev-warning{background:var(--warn)}.sev-info{background:var(--info)}
.refs a{margin-right:8px}
table{border-collapse:collapse;margin:6px 0 14px;font-size:13px}
th,td{border:1px solid var(--bd);padding:3px 6px;vertical-align:top;text-align:left}
th{background:var(--bg2);position:sticky;top:0}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.layout{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:0}
.pane{max-height:100vh;overflow:auto;padding:12px 20px;border-right:1px solid var(--bd)}
@media (max-width:1100px){.layout{display:block}.pane{max-height:none}}
pre.src{font-family:""" + CJK_SANS + """;white-space:pre-wrap;word-break:break-all;tab-size:4;font-size:13px;line-height:1.6;margin:0}
mark.v{border-radius:2px;padding:0 1px}
mark.v a{color:inherit;text-decoration:none}
mark.v-ind{background:#fff3b0}mark.v-fund{background:#c8f0d0}mark.v-fact{background:#d6e9ff}
mark.v-goal{background:#f2e1ff}mark.v-mention{background:#ffd9c2}mark.v-ref{background:#e6e6e6}
:target{outline:3px solid #e8590c;outline-offset:1px}
.legend mark{margin-right:8px}
.status-ok{color:#1a7f37}.status-partial,.status-unparsed,.status-failed{color:var(--err);font-weight:600}
"""


def _a(href_id: str | None, label: str, known: set[str]) -> str:
    if href_id and href_id in known:
        return f'<a href="#{esc(href_id)}">{esc(label)}</a>'
    return esc(label)


def _short(id_: str, doc_id: str) -> str:
    return id_[len(doc_id) + 1:] if id_.startswith(doc_id + ":") else id_


def _ref_target(ref: str, row_ids: set[str], block_anchor: dict[str, str]) -> str | None:
    if ref in row_ids:
        return ref
    return block_anchor.get(ref)


def render_document(doc: dict, rows: dict[str, list[dict]]) -> str:
    doc_id = doc["doc_id"]
    text = doc.get("text") or ""
    blocks = {b["block_id"]: b for b in rows["blocks"]}
    sections = sorted(rows["sections"], key=lambda s: s.get("ordinal") or 0)
    checks = rows["checks"]

    # ---- highlights and anchors
    spans = _value_spans(text, rows, blocks) if text else []
    # blocks referenced by findings (or a section's 总分 cell) get a highlight too
    extra_blocks = [r for c in checks for r in (c.get("refs") or []) if r in blocks]
    extra_blocks += [s["total_block"] for s in sections if s.get("total_block") in blocks]
    have = {sp.block_id for sp in spans if sp.block_id}
    for bid in dict.fromkeys(extra_blocks):
        if bid in have:
            continue
        b = blocks[bid]
        if b.get("char_start") is None:
            continue
        s, e = _trim(text, b["char_start"], b["char_end"])
        if e > s:
            spans.append(Span(s, e, anchor_of(bid, "block"), None, "v v-ref", f"{bid} block", bid))
    kept, alias = _non_overlapping(spans)
    kept_anchors = {sp.anchor for sp in kept}
    block_anchor: dict[str, str] = {}
    for sp in sorted(spans, key=lambda s: (s.start, s.anchor)):
        if sp.block_id and sp.block_id not in block_anchor:
            target = sp if sp.anchor in kept_anchors else alias.get(sp.anchor)
            if target is not None:
                block_anchor[sp.block_id] = target.anchor

    def text_anchor(entity: str, role: str) -> str | None:
        a = anchor_of(entity, role)
        if a in kept_anchors:
            return a
        sp = alias.get(a)
        return sp.anchor if sp else None

    row_ids: set[str] = set()
    for name in ("indicators", "funds", "facts", "goals", "mentions", "checks", "sections"):
        row_ids.update(r[PRIMARY_KEYS[name]] for r in rows[name])
    known = row_ids | kept_anchors | {"findings", "summary", "text", "data", "unparsed"}

    p: list[str] = []
    title = f"{doc.get('source_path')} — audit report"
    p.append(f'<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
             f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
             f'<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n')
    p.append(f'<header><h1>{esc(doc.get("source_path"))}</h1>'
             f'<div class="meta mono">doc_id {esc(doc_id)} · sha256 {esc(doc.get("sha256"))}</div>'
             f'<div class="meta">format {esc(doc.get("format"))} · layout {esc(doc.get("layout"))} · '
             f'{esc(doc.get("n_bytes"))} bytes'
             + (f' · {esc(doc.get("n_pages"))} pages' if doc.get("n_pages") else "")
             + f' · status <span class="status-{esc(doc.get("status"))}">{esc(doc.get("status"))}</span></div>'
             + (f'<p class="status-failed">{esc(doc.get("error"))}</p>' if doc.get("error") else "")
             + _same_content_note(doc)
             + '<nav><a href="index.html">all documents</a><a href="#findings">findings</a>'
               '<a href="#summary">summary</a><a href="#text">text</a><a href="#data">extracted data</a></nav>'
               '</header>\n')

    # ---- findings
    failed = doc.get("status") == "failed"
    p.append(f'<section class="block" id="findings"><h2>Findings ({len(checks)})</h2>')
    if not checks and failed:
        p.append('<p class="status-failed">Not checked: nothing could be read from this file '
                 '(the error is above).</p>')
    elif not checks:
        p.append("<p>No inconsistencies found by the checks.</p>")
    else:
        p.append('<ol class="findings">')
        for c in sorted(checks, key=lambda c: _check_no(c["check_id"])):
            refs = []
            for r in c.get("refs") or []:
                refs.append(_a(_ref_target(r, row_ids, block_anchor), _short(r, doc_id), known))
            p.append(f'<li id="{esc(c["check_id"])}"><span class="sev sev-{esc(c["severity"])}">'
                     f'{esc(c["severity"])}</span><code>{esc(c["rule"])}</code> '
                     f'<span class="meta mono">{esc(_short(c["check_id"], doc_id))}</span>'
                     + (f' · {_a(c.get("section_id"), "section " + _short(c.get("section_id") or "", doc_id), known)}'
                        if c.get("section_id") else "")
                     + f'<div>{esc(c["message"])}</div>'
                     f'<div class="meta">expected <b>{esc(c.get("expected"))}</b> · stated '
                     f'<b>{esc(c.get("observed"))}</b></div>'
                     f'<div class="refs">refs: {" ".join(refs)}</div></li>')
        p.append("</ol>")
    p.append("</section>\n")

    # ---- summary
    p.append('<section class="block" id="summary"><h2>What was extracted</h2><table><tr>')
    counts = [(n, len(rows[n])) for n in ("sections", "blocks", "indicators", "funds", "goals",
                                           "facts", "mentions", "checks")]
    p.append("".join(f"<th>{n}</th>" for n, _ in counts) + "</tr><tr>"
             + "".join(f'<td class="num">{v}</td>' for _, v in counts) + "</tr></table>")
    p.append("<h3>Sections</h3><table><tr><th>#</th><th>section</th><th>attachment</th><th>form type</th>"
             "<th>title</th><th>year</th><th>indicators</th><th>funds</th><th>goals</th><th>facts</th>"
             "<th>mentions</th><th>total weight / score</th><th>status</th></tr>")
    per_sec = {n: defaultdict(int) for n in ("indicators", "funds", "goals", "facts", "mentions")}
    for n in per_sec:
        for r in rows[n]:
            per_sec[n][r.get("section_id")] += 1
    for s in sections:
        sid = s["section_id"]
        tot = ""
        if s.get("total_weight") is not None or s.get("total_score") is not None:
            tot = f'{esc(s.get("total_weight"))} / {esc(s.get("total_score"))}'
            if s.get("total_block") and block_anchor.get(s["total_block"]):
                tot = f'<a href="#{esc(block_anchor[s["total_block"]])}">{tot}</a>'
        p.append(f'<tr id="{esc(sid)}"><td class="num">{esc(s.get("ordinal"))}</td>'
                 f'<td class="mono">{esc(sid)}</td><td>{esc(s.get("attachment_label"))}</td>'
                 f'<td>{esc(s.get("form_type"))}</td><td>{esc(s.get("title"))}</td>'
                 f'<td>{esc(s.get("fiscal_year"))}</td>'
                 + "".join(f'<td class="num">{per_sec[n][sid]}</td>' for n in per_sec)
                 + f'<td>{tot}</td><td class="status-{esc(s.get("status"))}">{esc(s.get("status"))}</td></tr>')
    p.append("</table>")
    unparsed = [s for s in sections if s.get("status") != "ok"]
    p.append('<h3 id="unparsed">Left unparsed</h3>')
    if failed:
        p.append(f'<p class="status-failed">Nothing was extracted: {esc(doc.get("error"))}</p>')
    elif not unparsed and not doc.get("warnings") and doc.get("status") == "ok":
        p.append("<p>Every section was parsed completely (status ok).</p>")
    else:
        p.append("<ul>")
        if doc.get("status") != "ok" and doc.get("error"):
            p.append(f'<li class="status-{esc(doc.get("status"))}">{esc(doc.get("error"))}</li>')
        for s in unparsed:
            p.append(f'<li>{_a(s["section_id"], _short(s["section_id"], doc_id), known)} '
                     f'{esc(s.get("attachment_label"))} {esc(s.get("form_type"))} 「{esc(s.get("title"))}」: '
                     f'<span class="status-{esc(s.get("status"))}">{esc(s.get("status"))}</span> — '
                     f'{esc(s.get("status_message"))}</li>')
        for w in doc.get("warnings") or []:
            p.append(f"<li>reader warning: {esc(w)}</li>")
        p.append("</ul>")
    p.append("</section>\n")

    # ---- text and data side by side
    p.append('<div class="layout"><section class="pane" id="text"><h2>Document text</h2>'
             '<p class="legend"><mark class="v v-ind">indicator</mark><mark class="v v-fund">fund</mark>'
             '<mark class="v v-fact">fact</mark><mark class="v v-goal">goal</mark>'
             '<mark class="v v-mention">narrative figure</mark><mark class="v v-ref">cell cited by a finding</mark></p>')
    p.append(f'<pre class="src">{_render_text(text, kept, known)}</pre></section>\n')
    p.append('<section class="pane" id="data"><h2>Extracted data</h2>')
    p.append(_tables(rows, doc_id, text_anchor, known))
    p.append("</section></div>\n</body>\n</html>\n")
    return "".join(p)


def _same_content_note(doc: dict) -> str:
    """Where another file of the batch holds the same forms (documents.same_content_as)."""
    first = doc.get("same_content_as")
    if not first:
        return ""
    if first == doc["doc_id"]:
        return ('<p class="meta same-content">Other files of this batch hold the same forms; '
                'this document is the one counted (documents.same_content_as).</p>')
    return (f'<p class="meta same-content">The same forms as <a href="{esc(first)}.html">{esc(first)}</a>, '
            f'which is the one counted: sums leave this document out (documents.same_content_as).</p>')


def _check_no(check_id: str) -> int:
    try:
        return int(check_id.rsplit(":c", 1)[1])
    except (IndexError, ValueError):
        return 0


def _fmt_q(r: dict, p: str) -> str:
    op = r.get(f"{p}_op")
    if op in (None, "na"):
        return "n/a"
    if op == "qual":
        return "qualitative"
    v = esc(r.get(f"{p}_value")) if r.get(f"{p}_value") is not None else "?"
    up = f"–{esc(r.get(f'{p}_upper'))}" if r.get(f"{p}_upper") is not None else ""
    return f"{esc(op)} {v}{up} {esc(r.get(f'{p}_unit'))}".strip()


def _tables(rows: dict[str, list[dict]], doc_id: str, text_anchor, known: set[str]) -> str:
    out: list[str] = []

    def link(entity: str, role: str, label: str) -> str:
        a = text_anchor(entity, role)
        return f'<a href="#{esc(a)}">{esc(label)}</a>' if a and a in known else esc(label)

    def table(title: str, head: list[str], name: str, cells) -> None:
        """One row per record of dataset ``name``: its short id, then ``cells(r, id)``."""
        pk = PRIMARY_KEYS[name]
        body = [f'<tr id="{esc(r[pk])}"><td class="mono">{esc(_short(r[pk], doc_id))}</td>'
                f'{cells(r, r[pk])}</tr>' for r in rows[name]]
        out.append(f"<h3>{esc(title)} ({len(body)})</h3>")
        if not body:
            out.append("<p class=\"meta\">none</p>")
            return
        out.append("<table><tr>" + "".join(f"<th>{esc(h)}</th>" for h in ["id", *head]) + "</tr>"
                   + "".join(body) + "</table>")

    def indicator(r: dict, iid: str) -> str:
        lw = "(" + esc(r.get("level1_weight")) + ")" if r.get("level1_weight") is not None else ""
        return (f'<td>{esc(r.get("level1"))}{lw} › {esc(r.get("level2"))}</td>'
                f'<td>{link(iid, "name", r.get("name") or "")}</td>'
                + "".join(f'<td>{link(iid, p, (r.get(f"{p}_raw") or "").strip())}<br>'
                          f'<span class="meta">{_fmt_q(r, p)}</span></td>' for p in ("target", "actual"))
                + "".join(f'<td class="num">{link(iid, p, esc(r.get(p)))}</td>' for p in ("weight", "score")))

    def fund(r: dict, fid: str) -> str:
        return (f'<td>{esc(r.get("item"))}</td><td>{esc(r.get("parent_item"))}</td>'
                f'<td>{esc(r.get("measure_raw"))}<br><span class="meta">{esc(r.get("measure"))} '
                f'{esc(r.get("period_year"))}</span></td>'
                f'<td class="num">{link(fid, "amount", (r.get("amount_raw") or "").strip())} {esc(r.get("unit_raw"))}</td>'
                f'<td class="num">{esc(r.get("amount_yuan"))}</td>')

    def fact(r: dict, kid: str) -> str:
        return (f'<td>{esc(r.get("key"))}</td><td>{esc(r.get("label_raw"))}</td>'
                f'<td>{link(kid, "value", (r.get("value_raw") or "").strip())}</td>'
                f'<td class="num">{esc(r.get("value"))} {esc(r.get("unit"))}</td>')

    def goal(r: dict, gid: str) -> str:
        return f'<td>{esc(r.get("kind"))}</td>' + "".join(
            f'<td>{link(gid, p, (r.get(f"{p}_text") or "").strip())}</td>' for p in ("expected", "actual"))

    def mention(r: dict, mid: str) -> str:
        return (f'<td>{esc(r.get("label"))}</td><td>{link(mid, "value", r.get("value_raw") or "")}</td>'
                f'<td class="num">{esc(r.get("value"))} {esc(r.get("unit"))}</td><td>{esc(r.get("kind"))}</td>'
                f'<td>{esc(r.get("share_of") or r.get("parent_label"))}</td>'
                f'<td>{esc(" › ".join(r.get("heading_path") or []))}</td>')

    table("Indicators", ["level", "name", "target", "actual", "weight", "score"], "indicators", indicator)
    table("Funds", ["item", "parent", "column", "as written", "元"], "funds", fund)
    table("Facts", ["key", "label", "as written", "value"], "facts", fact)
    table("Goals and duties", ["kind", "expected", "actual"], "goals", goal)
    table("Narrative figures", ["label", "as written", "value", "kind", "share of / part of", "heading"],
          "mentions", mention)
    return "".join(out)


def render_index(docs: list[dict], data: dict[str, dict[str, list[dict]]]) -> str:
    p = [f'<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
         f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
         f'<title>Budget-performance documents — audit reports</title>\n<style>{CSS}</style>\n</head>\n<body>\n'
         f'<header><h1>Audit reports</h1><div class="meta">{len(docs)} document(s)</div></header>\n'
         f'<section class="block"><table><tr><th>document</th><th>doc_id</th><th>format</th><th>layout</th>'
         f'<th>status</th><th>sections</th><th>indicators</th><th>funds</th><th>goals</th><th>facts</th>'
         f'<th>mentions</th><th>findings</th><th>problem</th></tr>']
    for d in docs:
        did = d["doc_id"]
        checks = data["checks"].get(did, [])
        sev = defaultdict(int)
        for c in checks:
            sev[c["severity"]] += 1
        sev_s = ", ".join(f"{sev[s]} {s}" for s in sorted(sev, key=lambda s: SEV_ORDER.get(s, 9)))
        p.append(f'<tr><td><a href="{esc(did)}.html">{esc(d.get("source_path"))}</a></td>'
                 f'<td class="mono">{esc(did)}</td><td>{esc(d.get("format"))}</td><td>{esc(d.get("layout"))}</td>'
                 f'<td class="status-{esc(d.get("status"))}">{esc(d.get("status"))}</td>'
                 + "".join(f'<td class="num">{len(data[n].get(did, []))}</td>'
                           for n in ("sections", "indicators", "funds", "goals", "facts", "mentions"))
                 + f'<td>{len(checks)}{" (" + esc(sev_s) + ")" if sev_s else ""}</td>'
                 f'<td class="status-{esc(d.get("status"))}">{esc(d.get("error"))}</td></tr>')
    p.append("</table></section>\n</body>\n</html>\n")
    return "".join(p)


def write_reports(parquet_dir: Path, out_dir: Path) -> int:
    """Write ``{out_dir}/{doc_id}.html`` per document and ``index.html``; return the
    number of document reports."""
    parquet_dir, out_dir = Path(parquet_dir), Path(out_dir)
    if not (parquet_dir / "documents").is_dir():
        raise FileNotFoundError(f"no documents dataset under {parquet_dir}; run "
                                f"`uv run python -m pipeline run data/raw --out {parquet_dir}` first")
    data = _load(parquet_dir)
    docs = sorted((r for rs in data["documents"].values() for r in rs),
                  key=lambda d: (d.get("source_path") or "", d["doc_id"]))
    out_dir.mkdir(parents=True, exist_ok=True)
    written = set()
    for d in docs:
        rows = {n: sorted(data[n].get(d["doc_id"], []), key=_row_key(n)) for n in DATASETS if n != "documents"}
        page = render_document(d, rows)
        path = out_dir / f"{d['doc_id']}.html"
        path.write_text(page, "utf-8")
        written.add(path.name)
    (out_dir / "index.html").write_text(render_index(docs, data), "utf-8")
    # reports of documents no longer in the data would be stale: remove them
    for old in out_dir.glob("*.html"):
        if old.name != "index.html" and old.name not in written and len(old.stem) == 16:
            old.unlink()
    return len(docs)


def _row_key(name: str):
    import re
    pk = PRIMARY_KEYS[name]

    def key(r):
        # natural order of the id's numbers: :i2 before :i10, goals before duties
        return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", r.get(pk) or "")]
    return key
