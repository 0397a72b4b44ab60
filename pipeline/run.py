"""Run every stage over a folder of documents and write the Parquet datasets.

    entries (inputs.py) ─▶ plan: failed entry | over the size limit | copy of an earlier
    file | cached (cache.py) | to process ─▶ worker pool (pool.py) or Dask (distributed.py)
    ─▶ per-document tables, in input order (from a pool worker as a packets.Packet: Arrow
    IPC messages and the merger's digest) ─▶ streamed writer (writer.py), in a temporary
    folder swapped in at the end

Every input path gets a ``documents`` row.  Results are consumed in the order of the
sorted entries, so the output does not depend on scheduling or on the worker count.
Memory stays flat: at most a window of documents is in flight, the writer flushes in
bounded row groups, and the documents rows (with their texts) are spooled to disk until
the end-of-run columns (``same_content_as``) are known.
"""
from __future__ import annotations

import hashlib
import itertools
import os
import sys
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from .inputs import Entry, list_entries
from .schema import DATASETS
from .tables import empty_tables, to_tables

DATASET_NAMES = tuple(DATASETS)
DEFAULT_MEMORY_LIMIT_MB = 1536
DEFAULT_MAX_FILE_MB = 100


class InputError(Exception):
    """The raw folder cannot be run (missing, not a folder, or empty): nothing written."""


def list_inputs(raw_dir: Path) -> list[Path]:
    """The readable files under ``raw_dir`` as paths (hidden and ``*.dvc`` files left out)."""
    return [Path(e.path) for e in list_entries(raw_dir) if e.problem is None]


# ---------------------------------------------------------------- per-document work

def warm_up() -> None:
    """What every document needs, loaded once per worker before ``gc.freeze()``: the
    extractors, form specs and vocabularies (0.3 s).  spaCy + jieba (1.5 s of CPU) are
    loaded in the parent before forking for a batch of more than a few documents per
    worker (``preload_shared``), otherwise by the first document that needs them; the
    format libraries (pdfplumber, python-docx, openpyxl: 1.2 s) by the first document
    that needs them, once per worker, so a batch that has none pays nothing."""
    import extractors.extract  # noqa: F401
    from extractors.forms.common import vocab
    from extractors.segment import form_specs
    vocab()
    form_specs()


PRELOAD_PER_WORKER = 2


def preload_shared() -> None:
    """What most documents of a batch need but ``warm_up`` leaves to the first one:
    the narrative pipeline (spaCy + jieba's dictionary: 1.5 s of CPU per process) and
    the patterns the extractors build from their vocabularies (``extractors.warm``:
    0.5 s, the glued-text label lexers most of it).
    Loaded once in the parent before the workers are forked, it is shared by every
    worker and by every replacement, instead of loaded again in each; done only for a
    batch of more than ``PRELOAD_PER_WORKER`` documents per worker, so a short run of
    documents without a report does not pay it."""
    from extractors.narrative import get_nlp
    from extractors.warm import warm_up as warm_extractors
    get_nlp()
    warm_extractors()


def sha256_file(path: str, chunk: int = 1 << 20) -> tuple[str, int]:
    h = hashlib.sha256()
    n = 0
    with open(path, "rb") as f:
        while b := f.read(chunk):
            h.update(b)
            n += len(b)
    return h.hexdigest(), n


def process_path(path: str, rel: str, sha: str, cache=None) -> dict[str, pa.Table]:
    """The task a worker runs: read the file, make its tables, store them in the cache."""
    from .process import document_tables
    with open(path, "rb") as f:
        data = f.read()
    if hashlib.sha256(data).hexdigest() != sha:
        return failed_tables(rel, data, "the file changed while the batch was running; run again")
    tables = document_tables(data, rel)
    if cache is not None:
        cache.put(cache_key(sha, rel), tables)
    return tables


def pool_task(path: str, rel: str, sha: str, cache=None):
    """What a pool worker runs and sends back: ``process_path``'s tables as a compact
    ``packets.Packet`` (IPC messages and the merger's digest), not pickled tables."""
    from .packets import pack
    return pack(process_path(path, rel, sha, cache))


def process_bytes_task(data: bytes, rel: str) -> dict[str, pa.Table]:
    """The task of a distributed run's sandbox: the bytes were read by the Dask worker."""
    from .process import document_tables
    return document_tables(data, rel)


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


# ---------------------------------------------------------------- planning

@dataclass
class Item:
    entry: Entry
    kind: str                  # failed | copy | known | cached | pool
    sha: str | None = None
    message: str | None = None
    n_bytes: int | None = None


@dataclass
class Options:
    workers: int = 1
    timeout: float = 300
    memory_limit: int = DEFAULT_MEMORY_LIMIT_MB * 2**20
    max_file_bytes: int = DEFAULT_MAX_FILE_MB * 2**20
    cache: object = None
    known: dict | None = None     # cache key -> manifest entry of the previous run


def plan(entry: Entry, opts: Options, seen: set[str] | None) -> Item:
    if entry.problem:
        return Item(entry, "failed", message=entry.problem)
    if opts.max_file_bytes and entry.size is not None and entry.size > opts.max_file_bytes:
        return Item(entry, "failed", n_bytes=entry.size, message=(
            f"file is {entry.size / 2**20:.1f} MiB, over the size limit of "
            f"{opts.max_file_bytes / 2**20:.0f} MiB; split it, or raise max_file_mb in "
            f"params.yaml (--max-file-mb)"))
    if seen is None:  # hashed where the file is read (distributed run)
        return Item(entry, "pool", n_bytes=entry.size)
    try:
        sha, n = sha256_file(entry.path)
    except OSError as e:
        return Item(entry, "failed", message=f"cannot be read ({e.strerror}); check the file and its permissions")
    if sha in seen:
        return Item(entry, "copy", sha=sha, n_bytes=n)
    seen.add(sha)
    if opts.known is not None and cache_key(sha, entry.rel) in opts.known:
        return Item(entry, "known", sha=sha, n_bytes=n)   # nothing read: the manifest has it
    if opts.cache is not None and opts.cache.exists(cache_key(sha, entry.rel)):
        return Item(entry, "cached", sha=sha, n_bytes=n)
    return Item(entry, "pool", sha=sha, n_bytes=n)


def local_results(entries: list[Entry], opts: Options, progress):
    """``(item, tables | Failure | None)`` per entry, in order (None for a copy)."""
    from .pool import Pool
    seen: set[str] = set()
    planned: deque[Item] = deque()

    def tasks():
        for e in entries:
            it = plan(e, opts, seen)
            planned.append(it)
            if it.kind == "pool":
                yield (e.path, e.rel, it.sha, opts.cache)

    # in this process (no limits enforced), or when nothing needs a worker
    inline = (opts.workers <= 1 and opts.timeout <= 0) or not entries
    if inline:
        gen = tasks()
        for args in gen:
            while planned and planned[0].kind != "pool":
                yield _ready(planned.popleft(), opts)
            yield planned.popleft(), process_path(*args)
        while planned:
            yield _ready(planned.popleft(), opts)
        return
    gen = tasks()
    first = next(gen, None)  # the pool starts only if a document needs processing
    while planned and planned[0].kind != "pool":
        yield _ready(planned.popleft(), opts)
    if first is None:
        return
    if len(entries) > PRELOAD_PER_WORKER * max(1, opts.workers):
        preload_shared()
    with Pool(pool_task, workers=opts.workers, timeout=opts.timeout,
              memory_limit=opts.memory_limit, init_fn=warm_up) as pool:
        results = pool.imap(itertools.chain([first], gen))
        waiting: deque = deque()
        exhausted = False
        while True:
            while planned and (planned[0].kind != "pool" or waiting):
                it = planned.popleft()
                yield (it, waiting.popleft()) if it.kind == "pool" else _ready(it, opts)
            if exhausted:
                break
            try:
                waiting.append(next(results))
            except StopIteration:
                exhausted = True


def _ready(it: Item, opts: Options):
    if it.kind == "cached":
        t = opts.cache.get(cache_key(it.sha, it.entry.rel))
        if t is None:  # vanished or unreadable since planned: make it again
            from .process import document_tables
            with open(it.entry.path, "rb") as f:
                t = document_tables(f.read(), it.entry.rel)
        return it, t
    return it, None


# ---------------------------------------------------------------- merging

_INTERNED = ("format", "layout", "encoding", "status")  # short categories, interned in firsts


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
    firsts: dict[str, tuple] = field(default_factory=dict)    # sha -> first copy's COPIED values
    keys: dict[str, frozenset] = field(default_factory=dict)  # content keys (duplicates.py)
    docs: list[dict] = field(default_factory=list)            # doc_id, status, source_path, ...
    counts: dict = field(default_factory=dict)

    def __post_init__(self):
        self.spool = None
        self.counts = {"by_status": {}, "by_form": {}, "findings": {},
                       **{n: 0 for n in DATASET_NAMES}}
        self.failed: list[str] = []
        self.entries: list[tuple[str, dict]] = []   # the manifest's docs, in input order
        self._loaded: dict = {}                     # a few documents' tables read back

    def add(self, it: Item, result) -> None:
        from .chunks import weight
        from .manifest import digest_of, entry
        from .packets import COPIED, Packet, digest
        from .pool import Failure
        e = it.entry
        ck = cache_key(it.sha, e.rel) if it.sha else None
        token = None
        if it.kind == "known":
            dg, parts = digest_of(self.previous.docs[ck])
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
        if it.kind != "copy" and it.sha:  # kept for the whole run: only what a copy's row needs
            # (a tuple, the short category strings interned: ~0.3 KiB a document, not 1.2)
            row = dict(doc, source_path=e.rel)
            self.firsts[it.sha] = tuple(sys.intern(row[k]) if k in _INTERNED and row[k] else row[k]
                                        for k in COPIED)
        self.docs.append({"doc_id": doc["doc_id"], "status": doc["status"], "source_path": e.rel,
                          "dkey": dkey, "token": token, "w": parts[0][3]})
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
        self.keys.update(dg.keys)
        if from_content:
            self.entries.append((ck, entry(dg, parts)))

    def _copy_row(self, it: Item) -> dict[str, pa.Table]:
        from .packets import COPIED
        first = dict(zip(COPIED, self.firsts[it.sha]))
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
        dup = group_by_content(self.keys, self.docs)
        batches = iter(())
        if self.spool is not None:
            self.spool.close()
            self.sink.close()
            # read, not memory-mapped: the mapped pages of the whole spool would stay
            # resident (and counted) until the end, growing with the batch
            src = pa.OSFile(str(self.spool_path), "rb")
            batches = iter(pa.ipc.open_stream(src))
        for d in self.docs:
            same = dup.get(d["doc_id"])
            key = d["dkey"] + (same or "").encode()
            if d["token"] is not None:
                self.writer.add_known("documents", "", d["doc_id"], key, 1, d["w"], (d["token"], same))
                continue
            t = pa.Table.from_batches([next(batches)])
            if same:
                i = t.schema.get_field_index("same_content_as")
                t = t.set_column(i, t.schema.field(i), pa.array([same], pa.string()))
            self.writer.add("documents", t, d["doc_id"], key)
        if self.spool is not None:
            src.close()
            os.unlink(self.spool_path)
        return describe({"documents": self.docs}, dup)

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


# ---------------------------------------------------------------- the run

def run(raw_dir: Path, out_dir: Path, workers: int = 1, timeout: float = 300,
        metrics_path: Path | None = None, progress: bool = True, *,
        cache_dir: str | os.PathLike | None = None, memory_limit_mb: float = DEFAULT_MEMORY_LIMIT_MB,
        max_file_mb: float = DEFAULT_MAX_FILE_MB, allow_empty: bool = False,
        scheduler: str | None = None, writer_options: dict | None = None) -> dict:
    """Process every entry of ``raw_dir`` and write the datasets to ``out_dir``.

    ``workers <= 1`` with ``timeout`` 0 and ``memory_limit_mb`` 0 runs in this process;
    otherwise in a pool of ``workers`` processes with those limits; ``scheduler`` (a Dask
    address, or ``"local"`` for a LocalCluster of ``workers`` processes) runs on Dask.
    Raises ``InputError`` (nothing written) for a missing or empty folder."""
    from .cache import Cache
    from .writer import MANIFEST, DatasetWriter, atomic_output
    raw_dir, out_dir = Path(raw_dir), Path(out_dir)
    if not raw_dir.exists():
        raise InputError(f"input folder {raw_dir} does not exist; nothing was written")
    if not raw_dir.is_dir():
        raise InputError(f"{raw_dir} is not a folder; give the folder holding the documents")
    entries = list_entries(raw_dir)
    if not entries and not allow_empty:
        raise InputError(f"input folder {raw_dir} holds no documents; nothing was written "
                         f"(use --allow-empty to write empty datasets)")
    from . import manifest
    from .cache import fingerprint
    cache = Cache(cache_dir) if cache_dir else None
    salt = manifest.settings_salt(cache.fp if cache else fingerprint(), writer_options)
    # the previous output's manifest: documents it lists are not read, files it lists are
    # linked (only with a cache: a file written again reads its documents from there)
    previous = manifest.load(out_dir, salt) if cache is not None else None
    opts = Options(workers=workers, timeout=timeout, memory_limit=int(memory_limit_mb * 2**20),
                   max_file_bytes=int(max_file_mb * 2**20), cache=cache,
                   known=previous.docs if previous else None)
    bar = _progress(len(entries), progress)
    with atomic_output(out_dir) as tmp:
        writer = DatasetWriter(tmp, salt=salt, n_docs=len(entries),
                               previous=previous, **(writer_options or {}))
        merger = Merger(writer, tmp / ".documents.spool", previous=previous, cache=cache)
        writer._load = merger.load
        if scheduler:
            from .distributed import dask_results
            results = dask_results(entries, opts, scheduler)
        else:
            results = local_results(entries, opts, progress)
        for it, res in results:
            merger.add(it, res)
            bar.update(1)
        same_content = merger.finish()
        files = merger.writer.close()
        manifest.save(tmp / MANIFEST, salt, merger.entries, files)
    bar.close()
    summary = merger.summary()
    summary["failed_files"] = merger.failed
    summary["same_content"] = same_content
    if metrics_path:
        from .metrics import write_metrics
        write_metrics(metrics_path, summary)
    return summary


class _NoBar:
    def update(self, n): pass
    def close(self): pass


def _progress(total: int, enabled: bool):
    if not enabled:
        return _NoBar()
    from tqdm import tqdm
    return tqdm(total=total, unit="doc", desc="documents", disable=None)


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


__all__ = ["run", "InputError", "list_inputs", "process_path", "warm_up", "empty_tables"]
