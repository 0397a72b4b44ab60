"""``python -m pipeline report``: one self-contained HTML audit report per document.

Each ``{doc_id}.html`` holds, with no external resources and no script:

* the findings (``checks``) at the top, each linking to the rows and cells involved;
* a summary of what was extracted (rows per dataset, sections with form type and
  status) and what was left unparsed (sections whose status is not ok, with the reason);
* the document's canonical text with every extracted value highlighted (``<mark>``) and
  linked to its row in the tables of extracted data, which link back to the text.

``index.html`` lists the documents.  Output is deterministic (no timestamps; documents in
source-path order, rows in id order), so DVC can cache it.

Incremental, reading and rendering only what changed (``report_state``): the reports
folder keeps ``.state.json`` with, per Parquet file, its signature (size, mtime_ns, inode),
a digest of its bytes and a digest of each document's rows in it.  A file whose
signature is unchanged is not opened; one whose bytes changed is read (the columns a page
shows) and digested per document in Arrow; a page is rendered again only when the digest
of its rows (wherever they are) and of the rendering code changed (it carries that digest in
``<meta name="report-digest">``), or when the page itself was edited or removed; pages of
documents no longer present are removed; the index is made from the state (rows of
unchanged documents taken from the index the last run wrote).  With no
usable state (missing, corrupt, another version or other code) everything is read and
rendered.  The result is byte-identical to a report rendered from scratch.
"""
from __future__ import annotations

import os
import re
import time
from collections import defaultdict, namedtuple
from pathlib import Path

from . import report_state as st
from .report_html import CJK_MONO, CJK_SANS, CSS, esc  # noqa: F401
from .report_index import index_rows, render_index, rows_of_index

DATASETS = st.DATASETS
HEAD = '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
DIGEST_META = '<meta name="report-digest" content="{}">\n'
RENDER_CHUNK = 500   # documents whose rows are turned into dicts at once (memory bound)
TABLE_CACHE_BYTES = 256 * 2**20   # Arrow tables kept between reads of a run (memory bound)


class _Tables(dict):
    """rel -> the columns read of a Parquet file; past ``TABLE_CACHE_BYTES`` the least
    recently used are dropped (a full run of a large batch reads a file again rather than
    holding every dataset)."""

    nbytes = 0

    def keep(self, rel: str, table) -> None:
        if rel in self:
            self.nbytes -= self.pop(rel).nbytes
        self[rel] = table
        self.nbytes += table.nbytes
        while self.nbytes > TABLE_CACHE_BYTES and len(self) > 1:
            self.nbytes -= self.pop(next(iter(self))).nbytes


def render_document(doc: dict, rows: dict[str, list[dict]]) -> str:
    """The page of one document (``report_page``, imported only when a page is rendered)."""
    from .report_page import render_document as render
    return render(doc, rows)


# documents: documents rows (pages listed in the index); rendered: doc_ids whose page was
# rendered in this run; removed: doc_ids whose page was deleted (no longer in the data);
# files_read: Parquet files opened.  (A namedtuple: dataclasses would import inspect, 15 ms.)
ReportRun = namedtuple("ReportRun", "documents rendered removed files_read")


def write_reports(parquet_dir: Path, out_dir: Path) -> int:
    """Write ``{out_dir}/{doc_id}.html`` per document and ``index.html``; return the
    number of document reports."""
    return update_reports(parquet_dir, out_dir).documents


def update_reports(parquet_dir: Path, out_dir: Path) -> ReportRun:
    parquet_dir, out_dir = Path(parquet_dir), Path(out_dir)
    if not (parquet_dir / "documents").is_dir():
        raise FileNotFoundError(f"no documents dataset under {parquet_dir}; run "
                                f"`uv run python -m pipeline run data/raw --out {parquet_dir}` first")
    scanned = time.time_ns()
    found = st.scan(parquet_dir)
    code = st.code_digest()
    old = st.load(out_dir, code)
    prev = old["files"] if old else {}
    old_pages = old["pages"] if old else {}
    files: dict[str, dict] = {}
    changed = []
    resigned = False
    for rel, (ds, sig) in found.items():
        e = prev.get(rel)
        if e is not None and e["dataset"] == ds and e["sig"] == sig:
            files[rel] = e
            continue
        content = st.file_digest(parquet_dir / rel)
        if e is not None and e["dataset"] == ds and e["content"] == content:
            files[rel] = dict(e, sig=sig)   # rewritten with the same bytes (or racy, see st.settle)
            resigned = True
        else:
            changed.append((rel, ds, content))
    if old and not changed and found.keys() == prev.keys() and _pages_intact(out_dir, old):
        if resigned:
            st.settle(files, scanned)
            st.save(out_dir, dict(old, files=files))
        n = sum(sum(e["rows"]) for e in files.values() if e["dataset"] == "documents")
        return ReportRun(n, [], [], 0)

    tables = _Tables()
    touched: set[str] = set()
    if changed:
        from . import report_digest as rd
    for rel, ds, content in changed:
        t = rd.read_file(parquet_dir / rel, ds)
        e = rd.digest_file(t, ds)
        tables.keep(rel, t)
        e.update(dataset=ds, sig=found[rel][1], content=content)
        touched |= st.changed_docs(prev.get(rel), e)
        files[rel] = e
    for rel in prev.keys() - found.keys():
        touched.update(prev[rel]["docs"])

    docs = index_rows(files)
    ids = list(dict.fromkeys(d["doc_id"] for d in docs))
    again = set(ids) if old is None else touched | {d for d in ids if d not in old_pages}
    digests = st.page_digests(code, files, again)
    pages: dict[str, list] = {}
    render = []
    base = os.path.join(out_dir, "")   # (str paths: 10,000 pathlib joins cost 40 ms)
    for d in ids:
        digest = digests[d] if d in again else old_pages[d][0]
        p = old_pages.get(d)
        if p and p[0] == digest and _sig(f"{base}{d}.html") == p[1:]:
            pages[d] = p
        else:
            render.append((d, digest))
    out_dir.mkdir(parents=True, exist_ok=True)
    read = len(changed)
    for i in range(0, len(render), RENDER_CHUNK):
        chunk = render[i:i + RENDER_CHUNK]
        read += _render(parquet_dir, out_dir, chunk, files, tables, pages)
    removed = []
    for name in sorted(os.listdir(out_dir)):   # reports of documents no longer in the data
        if name.endswith(".html") and name != "index.html" and len(name) == 21 and name[:-5] not in pages:
            (out_dir / name).unlink()
            removed.append(name[:-5])
    reuse = {}
    if old and _sig(out_dir / "index.html") == old["index"]:   # as the last run wrote it
        reuse = rows_of_index((out_dir / "index.html").read_text("utf-8"))
        for d in touched:
            reuse.pop(d, None)
    (out_dir / "index.html").write_text(render_index(docs, reuse), "utf-8")
    st.settle(files, scanned)
    st.save(out_dir, {"version": st.VERSION, "code": code, "files": files, "pages": pages,
                      "index": st.signature(out_dir / "index.html")})
    return ReportRun(len(docs), [d for d, _ in render], removed, read)


def _render(parquet_dir: Path, out_dir: Path, chunk: list[tuple[str, str]], files: dict[str, dict],
            tables: _Tables, pages: dict[str, list]) -> int:
    """Render the pages of ``chunk`` ((doc_id, digest) pairs) from the rows of the files
    holding them; return how many files had to be opened for it."""
    from . import report_digest as rd
    want = {d for d, _ in chunk}
    rows: dict[str, dict[str, list[dict]]] = {n: defaultdict(list) for n in DATASETS}
    opened = 0
    for rel in sorted(files):
        e = files[rel]
        mine = want.intersection(e["docs"])
        if not mine:
            continue
        t = tables.get(rel)
        found = None
        if t is None and e.get("starts") is not None:   # only the row groups holding them
            where = {d: (s, n) for d, s, n in zip(e["docs"], e["starts"], e["rows"]) if d in mine}
            part, whole = rd.read_rows(parquet_dir / rel, e["dataset"], list(where.values()))
            opened += 1
            found = rd.rows_of(part, mine)
            if whole:
                t = part
            elif any(len(found.get(d, ())) != n for d, (_, n) in where.items()):
                found = None    # not where the state says: read it all
        if t is None and found is None:
            t = rd.read_file(parquet_dir / rel, e["dataset"])
            opened += 1
        if t is not None:
            tables.keep(rel, t)
        for d, rs in (found if found is not None else rd.rows_of(t, mine)).items():
            rows[e["dataset"]][d].extend(rs)
    for d, digest in chunk:
        doc = sorted(rows["documents"][d], key=lambda r: (r.get("source_path") or "", r["doc_id"]))[-1]
        page = render_document(doc, {n: sorted(rows[n].get(d, []), key=_row_key(n))
                                     for n in DATASETS if n != "documents"})
        if page.startswith(HEAD):
            page = HEAD + DIGEST_META.format(digest) + page[len(HEAD):]
        path = out_dir / f"{d}.html"
        path.write_text(page, "utf-8")
        pages[d] = [digest, *st.signature(path)]
    return opened


def _pages_intact(out_dir: Path, state: dict) -> bool:
    """Every page and the index as the last run wrote them, and no page of another document."""
    if _sig(out_dir / "index.html") != state["index"]:
        return False
    pages = state["pages"]
    base = os.path.join(out_dir, "")
    for d, p in pages.items():
        if _sig(f"{base}{d}.html") != p[1:]:
            return False
    return not any(n.endswith(".html") and n != "index.html" and len(n) == 21 and n[:-5] not in pages
                   for n in os.listdir(out_dir))


def _sig(path) -> list[int] | None:
    try:
        return st.signature(path)
    except OSError:
        return None


_NUMBER = re.compile(r"(\d+)")


def _row_key(name: str):
    from .schema import PRIMARY_KEYS
    pk = PRIMARY_KEYS[name]

    def key(r):
        # natural order of the id's numbers: :i2 before :i10, goals before duties
        parts = _NUMBER.split(r.get(pk) or "")
        parts[1::2] = map(int, parts[1::2])
        return parts
    return key
