"""One document's audit report page: header, findings, summary of what was extracted and
left unparsed, and the text and data panes side by side."""
from __future__ import annotations

from collections import defaultdict

from ._source import locate as _trim
from .report_html import CSS, _a, _short, esc
from .report_spans import Span, _non_overlapping, _render_text, _value_spans, anchor_of
from .report_tables import _tables
from .schema import PRIMARY_KEYS


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
