"""``python -m pipeline report``: one self-contained HTML audit report per document.

Each ``{doc_id}.html`` holds, with no external resources and no script:

* the findings (``checks``) at the top, each linking to the rows and cells involved;
* a summary of what was extracted (rows per dataset, sections with form type and
  status) and what was left unparsed (sections whose status is not ok, with the reason);
* the document's canonical text with every extracted value highlighted (``<mark>``) and
  linked to its row in the tables of extracted data, which link back to the text.

``index.html`` lists the documents.  Output is deterministic (no timestamps; documents in
source-path order, rows in id order), so DVC can cache it.

Incremental: each page carries ``<meta name="report-digest">``, a digest of everything it
is made from (the document's row, its rows of every dataset, the source of the report
code); a page whose digest is unchanged is not rendered again, so after adding one
document to a batch only that page (and the index) is written.
"""
from __future__ import annotations

import hashlib
from collections import defaultdict
from pathlib import Path

import pyarrow.parquet as pq

from .report_html import CJK_MONO, CJK_SANS, CSS, esc  # noqa: F401
from .report_page import render_document
from .schema import PRIMARY_KEYS

DATASETS = ("documents", "sections", "blocks", "indicators", "funds", "goals", "facts",
            "mentions", "checks")
SEV_ORDER = {"error": 0, "warning": 1, "info": 2}


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


HEAD = '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
DIGEST_META = '<meta name="report-digest" content="{}">\n'
# what a page is made from besides its rows: the code that renders it
_RENDER_FILES = ("report.py", "report_html.py", "report_page.py", "report_spans.py", "report_tables.py",
                 "_source.py", "schema.py")


def _code_digest() -> bytes:
    h = hashlib.blake2b(digest_size=16)
    for name in _RENDER_FILES:
        h.update(name.encode() + b"\0" + (Path(__file__).parent / name).read_bytes() + b"\0")
    return h.digest()


def page_digest(code: bytes, doc: dict, rows: dict[str, list[dict]]) -> str:
    """A digest of everything ``render_document(doc, rows)`` reads (reprs of the values:
    Decimal, dates and lists included) and of the rendering code."""
    h = hashlib.blake2b(code, digest_size=16)
    h.update(repr(sorted(doc.items())).encode("utf-8", "surrogateescape"))
    for name in sorted(rows):
        h.update(name.encode() + b"\0" + repr(rows[name]).encode("utf-8", "surrogateescape"))
    return h.hexdigest()


def _stored_digest(path: Path) -> str | None:
    """The digest an earlier run wrote into the page, or None (no page, or not ours)."""
    try:
        with open(path, "rb") as f:
            head = f.read(len(HEAD) + 128).decode("utf-8", "replace")
    except OSError:
        return None
    pre = HEAD + DIGEST_META.split("{}")[0]
    if not head.startswith(pre):
        return None
    end = head.find('"', len(pre))
    return head[len(pre):end] if end > 0 else None


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
    code = _code_digest()
    for d in docs:
        rows = {n: sorted(data[n].get(d["doc_id"], []), key=_row_key(n)) for n in DATASETS if n != "documents"}
        path = out_dir / f"{d['doc_id']}.html"
        written.add(path.name)
        key = page_digest(code, d, rows)
        if _stored_digest(path) == key:
            continue  # made from the same rows by the same code: unchanged
        page = render_document(d, rows)
        if page.startswith(HEAD):
            page = HEAD + DIGEST_META.format(key) + page[len(HEAD):]
        path.write_text(page, "utf-8")
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
