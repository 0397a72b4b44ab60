"""The report's "Extracted data" pane: one HTML table per dataset, each row linking to its
highlighted characters in the document text."""
from __future__ import annotations

from .report_html import _short, esc
from .schema import PRIMARY_KEYS


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
