"""``index.html``: one row per document, made from the state alone (the index fields and
row counts ``report_digest`` keeps per file), so no dataset is read for it."""
from __future__ import annotations

from .report_html import CSS, esc

SEV_ORDER = {"error": 0, "warning": 1, "info": 2}
COUNTED = ("sections", "indicators", "funds", "goals", "facts", "mentions")


def index_rows(files: dict[str, dict]) -> list[dict]:
    """One dict per documents row (source-path order): its index fields, ``counts`` of its
    rows per dataset and ``severity`` counts of its findings."""
    counts: dict[str, dict[str, int]] = {}
    sev: dict[str, dict[str, int]] = {}
    docs: list[dict] = []
    for rel in sorted(files):
        e = files[rel]
        ds = e["dataset"]
        for d, n, x in zip(e["docs"], e["rows"], e["extra"]):
            c = counts.setdefault(d, {})
            c[ds] = c.get(ds, 0) + n
            if ds == "documents":
                docs += [{"doc_id": d, "source_path": r[0], "format": r[1], "layout": r[2],
                          "status": r[3], "error": r[4]} for r in x]
            elif ds == "checks":
                s = sev.setdefault(d, {})
                for k, v in x.items():
                    s[k] = s.get(k, 0) + v
    for d in docs:
        d["counts"], d["severity"] = counts.get(d["doc_id"], {}), sev.get(d["doc_id"], {})
    docs.sort(key=lambda d: (d.get("source_path") or "", d["doc_id"]))
    return docs


ROW_START = '<tr><td><a href="'   # never inside a value: esc() writes "<" as &lt;
HEAD_END = "<th>problem</th></tr>"
FOOT = "</table></section>\n</body>\n</html>\n"


def render_index(docs: list[dict], reuse: dict[str, str] | None = None) -> str:
    """The index; a row of ``reuse`` (doc_id -> its row as an earlier run wrote it, see
    ``rows_of_index``) is taken as it is."""
    p = [f'<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
         f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
         f'<title>Budget-performance documents — audit reports</title>\n<style>{CSS}</style>\n</head>\n<body>\n'
         f'<header><h1>Audit reports</h1><div class="meta">{len(docs)} document(s)</div></header>\n'
         f'<section class="block"><table><tr><th>document</th><th>doc_id</th><th>format</th><th>layout</th>'
         f'<th>status</th><th>sections</th><th>indicators</th><th>funds</th><th>goals</th><th>facts</th>'
         f'<th>mentions</th><th>findings</th>{HEAD_END}']
    reuse = reuse or {}
    for d in docs:
        row = reuse.get(d["doc_id"])
        p.append(row if row is not None else _row(d))
    p.append(FOOT)
    return "".join(p)


def _row(d: dict) -> str:
    did, sev = d["doc_id"], d["severity"]
    sev_s = ", ".join(f"{sev[s]} {s}" for s in sorted(sev, key=lambda s: (SEV_ORDER.get(s, 9), s)))
    return (f'{ROW_START}{esc(did)}.html">{esc(d.get("source_path"))}</a></td>'
            f'<td class="mono">{esc(did)}</td><td>{esc(d.get("format"))}</td><td>{esc(d.get("layout"))}</td>'
            f'<td class="status-{esc(d.get("status"))}">{esc(d.get("status"))}</td>'
            + "".join(f'<td class="num">{d["counts"].get(n, 0)}</td>' for n in COUNTED)
            + f'<td>{d["counts"].get("checks", 0)}{" (" + esc(sev_s) + ")" if sev_s else ""}</td>'
            f'<td class="status-{esc(d.get("status"))}">{esc(d.get("error"))}</td></tr>')


def rows_of_index(text: str) -> dict[str, str]:
    """doc_id -> its row in an index page this module wrote (a doc_id with two rows: none)."""
    try:
        body = text[text.index(HEAD_END) + len(HEAD_END):text.rindex(FOOT)]
    except ValueError:
        return {}
    rows: dict[str, str] = {}
    twice = set()
    for part in body.split(ROW_START)[1:]:
        did = part[:part.find('.html"')]
        if did in rows:
            twice.add(did)
        rows[did] = ROW_START + part
    for did in twice:
        del rows[did]
    return rows
