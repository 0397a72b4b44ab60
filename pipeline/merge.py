"""The merge: every entry's tables, in input order, become the published rows.

``Merger.add`` takes an entry's tables — or, for a document the previous run's manifest
lists, only its digest (nothing read) — counts the summary, keeps what a later
byte-identical copy's row needs (``firsts``) and the content keys (``duplicates.py``),
hands each dataset's rows to the writer with the document's key (its cache key: the
rows depend on nothing else), and spools the documents rows until ``finish`` knows
``same_content_as``.  The documents row's key adds what the merge sets on it (source
path, ``same_content_as``; a failure's or a copy's row: its values), so a file of
documents rows is kept only when every row in it is the same.
"""
from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from .packets import COPIED
from .schema import DATASETS
from .tables import to_tables

DATASET_NAMES = tuple(DATASETS)


def cache_key(sha: str, rel: str) -> str:
    """Records depend on the content and, for a zip that is not a valid Office file, on
    the extension (the message names the format), never on the rest of the name."""
    suffix = rel.rsplit(".", 1)[-1].lower() if "." in rel.rsplit("/", 1)[-1] else ""
    return f"{sha}-{suffix}" if suffix in ("docx", "xlsx") else sha


def _doc_row(**kw) -> dict:
    row = {"doc_id": None, "source_path": None, "format": None, "layout": None, "encoding": None,
           "sha256": None, "n_bytes": None, "n_pages": None, "status": "failed", "error": None,
           "n_sections": 0, "warnings": [], "text": None}
    row.update(kw)
    return row


def failed_tables(rel: str, data: bytes | None, message: str, sha: str | None = None,
                  n_bytes: int | None = None, rel_bytes: bytes | None = None) -> dict[str, pa.Table]:
    """A ``failed`` documents row.  Without content (a broken link, an unreadable entry)
    the doc_id is derived from the path: sha256("unreadable:" + raw path bytes)."""
    if data is not None:
        sha = hashlib.sha256(data).hexdigest()
        n_bytes = len(data)
    doc_id = sha[:16] if sha else hashlib.sha256(
        b"unreadable:" + (rel_bytes or rel.encode("utf-8", "surrogateescape"))).hexdigest()[:16]
    return to_tables({"documents": [_doc_row(doc_id=doc_id, source_path=rel, sha256=sha,
                                             n_bytes=n_bytes, error=message)]})


_KEPT = tuple(k for k in COPIED if k != "sha256")        # firsts' values (the key gives sha256)


def _h(*parts) -> bytes:
    return hashlib.blake2b(repr(parts).encode("utf-8", "surrogateescape"), digest_size=16).digest()


@dataclass
class Merger:
    """Takes each entry's tables (or, for a document known from the previous run's manifest,
    its digest) in input order; hands the rows to the writer; counts the summary."""
    writer: object
    spool_path: Path
    previous: object = None                                   # manifest.Previous
    cache: object = None
    firsts: dict[bytes, int] = field(default_factory=dict)    # sha256 digest -> its _KEPT values' offset in .firsts
    keys: dict[str, bytes] = field(default_factory=dict)      # content keys (duplicates.py), packed
    named: dict[str, tuple] = field(default_factory=dict)     # doc_id -> (status, path), keyed docs
    counts: dict = field(default_factory=dict)

    def __post_init__(self):
        self.spool = None
        # what finish needs of every document, in order, on disk: (doc_id, dkey, token, w)
        self.index = open(self.spool_path.with_name(self.spool_path.name + ".index"), "w+b")
        # the _KEPT values of every document a later byte-identical copy may need, on disk (a
        # copy is rare; ~0.3 KiB a document in memory otherwise): pickled tuples, by offset
        self.kept = open(self.spool_path.with_name(self.spool_path.name + ".firsts"), "w+b")
        self.n_docs = 0
        self.counts = {"by_status": {}, "by_form": {}, "findings": {},
                       **{n: 0 for n in DATASET_NAMES}}
        self.failed: list[str] = []
        self.entries = None                         # manifest.Spool: the manifest's documents
        self._loaded: dict = {}                     # a few documents' tables read back

    def add(self, it, result) -> None:
        """``it``: the run's planned ``Item``; ``result``: its tables, a Packet, a Failure or None."""
        from .chunks import weight
        from .packets import Packet, digest
        from .pool import Failure
        e = it.entry
        ck = cache_key(it.sha, e.rel) if it.sha else None
        token = None
        if it.kind == "known":
            dg, parts = self.previous.entry(ck)
            tables, token = None, (ck, e.path, e.rel, e.rel_bytes)
        elif it.kind == "failed":
            tables = failed_tables(e.rel, None, it.message, sha=it.sha, n_bytes=it.n_bytes,
                                   rel_bytes=e.rel_bytes)
        elif it.kind == "copy":
            tables = self._copy_row(it)
        elif isinstance(result, Failure):
            tables = failed_tables(e.rel, None, result.reason, sha=it.sha, n_bytes=it.n_bytes)
        elif isinstance(result, Packet):  # from a pool worker: its digest came with it
            tables, dg = result.tables(), result.digest
        else:
            tables = result
        if tables is not None and (not isinstance(result, Packet) or it.kind in ("failed", "copy")):
            dg = digest(tables)
        doc = dg.doc
        # the records come from the file's content (cache key) unless the row was made here
        from_content = it.kind in ("known", "cached", "pool") and not isinstance(result, Failure) \
            and doc["sha256"] == it.sha
        if tables is not None:
            dt = tables["documents"]
            dt = dt.set_column(dt.schema.get_field_index("source_path"), dt.schema.field("source_path"),
                               pa.array([e.rel], pa.string()))
            dt = dt.set_column(dt.schema.get_field_index("source_path_bytes"),
                               dt.schema.field("source_path_bytes"), pa.array([e.rel_bytes], pa.binary()))
            self._spool(dt)
            parts = [("documents", "", 1, weight("documents", dt))]
        dkey = _h("doc", ck, e.rel, e.rel_bytes) if from_content else _h("row", dt.to_pylist())
        if it.kind != "copy" and it.sha:  # only what a copy's row needs, for the whole run
            row = dict(doc, source_path=e.rel)
            # (keyed by the digest's bytes, which also stand for its sha256 value)
            self.firsts[bytes.fromhex(it.sha)] = self.kept.tell()
            pickle.dump(tuple(row[k] for k in _KEPT), self.kept, pickle.HIGHEST_PROTOCOL)
        pickle.dump((doc["doc_id"], dkey, token, parts[0][3]), self.index, pickle.HIGHEST_PROTOCOL)
        self.n_docs += 1
        c = self.counts
        c["by_status"][doc["status"]] = c["by_status"].get(doc["status"], 0) + 1
        if doc["status"] == "failed":
            self.failed.append(e.rel)
        c["documents"] += 1
        if it.kind == "copy":
            return
        key = ck.encode() if from_content else dkey
        if tables is None:
            for name, sub, rows, w in parts[1:]:
                c[name] += rows
                self.writer.add_known(name, sub, doc["doc_id"], key, rows, w, token)
        else:
            for name in DATASET_NAMES[1:]:
                t = tables.get(name)
                if t is None or t.num_rows == 0:
                    continue
                c[name] += t.num_rows
                parts += [(name, sub, n, w) for sub, n, w in self.writer.add(name, t, doc["doc_id"], key)]
        for ft in dg.forms:
            c["by_form"][ft] = c["by_form"].get(ft, 0) + 1
        for rule, sev in dg.findings:
            k = f"{rule}:{sev}"
            c["findings"][k] = c["findings"].get(k, 0) + 1
        for d, ks in dg.keys.items():  # what the grouping and the summary line need of them
            self.keys[d] = b"".join(sorted(ks))  # one bytes object, not a frozenset (~0.3 KiB less a document)
            self.named[d] = (doc["status"], e.rel)
        if from_content and self.entries is not None:
            self.entries.add(ck, dg, parts)

    def _copy_row(self, it) -> dict[str, pa.Table]:
        self.kept.seek(self.firsts[bytes.fromhex(it.sha)])
        first = dict(zip(_KEPT, pickle.load(self.kept)), sha256=it.sha)
        self.kept.seek(0, os.SEEK_END)
        raw = it.entry.rel_bytes or it.entry.rel.encode("utf-8", "surrogateescape")
        doc_id = hashlib.sha256(it.sha.encode() + b"\0" + raw).hexdigest()[:16]
        row = dict(first, doc_id=doc_id, duplicate_of=first["doc_id"], text=None, n_sections=0,
                   error=None if first["status"] == "ok" else
                   f"{first['status']}: see the row of {first['source_path']} (doc_id {first['doc_id']})",
                   warnings=[f"byte-identical copy of {first['source_path']}; its records are under "
                             f"doc_id {first['doc_id']}"])
        return to_tables({"documents": [row]})

    def _spool(self, t: pa.Table) -> None:
        if self.spool is None:
            self.sink = pa.OSFile(str(self.spool_path), "wb")
            self.spool = pa.ipc.new_stream(self.sink, t.schema)
        self.spool.write_table(t)

    def _tables(self, token) -> dict[str, pa.Table]:
        """A known document's tables, read back for a file that is written again: from the
        cache, or made again if its entry is gone (a few kept: files of several datasets
        end near the same documents)."""
        ck, path, rel, _ = token
        t = self._loaded.get(ck)
        if t is None:
            t = self.cache.get(ck) if self.cache is not None else None
            if t is None:
                from .process import document_tables
                with open(path, "rb") as f:
                    t = document_tables(f.read(), rel)
            if len(self._loaded) >= 8:
                self._loaded.pop(next(iter(self._loaded)))
            self._loaded[ck] = t
        return t

    def load(self, name: str, token) -> pa.Table:
        """The writer's ``load``: a known document's rows of one dataset."""
        if name != "documents":
            return self._tables(token)[name]
        token, same = token
        ck, _, rel, rel_bytes = token
        dt = self._tables(token)["documents"]
        for col, v, typ in (("source_path", rel, pa.string()), ("source_path_bytes", rel_bytes, pa.binary()),
                            ("same_content_as", same, pa.string())):
            i = dt.schema.get_field_index(col)
            dt = dt.set_column(i, dt.schema.field(i), pa.array([v], typ))
        return dt

    def finish(self) -> list[str]:
        """Write the documents rows with ``same_content_as``; the summary lines of the
        content duplicates."""
        from .duplicates import describe, group_by_content
        # every other dataset is complete: its last row groups are written in threads meanwhile
        self.writer.close_others("documents")
        named = [{"doc_id": d, "status": st, "source_path": p} for d, (st, p) in self.named.items()]
        keys = {d: frozenset(b[i:i + 16] for i in range(0, len(b), 16)) for d, b in self.keys.items()}
        self.keys = {}
        dup = group_by_content(keys, named)
        del keys
        batches = iter(())
        if self.spool is not None:
            self.spool.close()
            self.sink.close()
            # read, not memory-mapped: the mapped pages of the whole spool would stay
            # resident (and counted) until the end, growing with the batch
            src = pa.OSFile(str(self.spool_path), "rb")
            batches = iter(pa.ipc.open_stream(src))
        self.index.seek(0)
        for _ in range(self.n_docs):
            doc_id, dkey, token, w = pickle.load(self.index)
            same = dup.get(doc_id)
            key = dkey + (same or "").encode()
            if token is not None:
                self.writer.add_known("documents", "", doc_id, key, 1, w, (token, same))
                continue
            t = pa.Table.from_batches([next(batches)])
            if same:
                i = t.schema.get_field_index("same_content_as")
                t = t.set_column(i, t.schema.field(i), pa.array([same], pa.string()))
            self.writer.add("documents", t, doc_id, key)
        if self.spool is not None:
            src.close()
            os.unlink(self.spool_path)
        self.index.close()
        os.unlink(self.index.name)
        self.kept.close()
        os.unlink(self.kept.name)
        self.firsts = {}
        return describe({"documents": [d for d in named if d["doc_id"] in dup]}, dup)

    def summary(self) -> dict:
        c = self.counts
        return {
            "documents": c["documents"],
            "documents_by_status": dict(sorted(c["by_status"].items())),
            "sections": c["sections"],
            "sections_by_form_type": dict(sorted(c["by_form"].items())),
            "blocks": c["blocks"], "indicators": c["indicators"], "funds": c["funds"],
            "goals": c["goals"], "facts": c["facts"], "mentions": c["mentions"],
            "findings": c["checks"],
            "findings_by_rule": dict(sorted(c["findings"].items())),
        }


