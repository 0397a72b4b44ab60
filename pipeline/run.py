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

import contextlib
import gc
import hashlib
import itertools
import os
from collections import deque
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from .inputs import Entry, list_entries
from .merge import DATASET_NAMES, Merger, cache_key, failed_tables  # noqa: F401 (used by distributed.py)
from .tables import empty_tables

DEFAULT_MEMORY_LIMIT_MB = 1536
DEFAULT_MAX_FILE_MB = 100


class InputError(Exception):
    """The raw folder cannot be run (missing, not a folder, or empty): nothing written."""


def list_inputs(raw_dir: Path) -> list[Path]:
    """The readable files under ``raw_dir`` as paths (hidden and ``*.dvc`` files left out)."""
    return [Path(e.path) for e in list_entries(raw_dir) if e.problem is None]


# ---------------------------------------------------------------- per-document work

def use_system_allocator() -> None:
    """Arrow's buffers from the C library's allocator, not the mimalloc bundled with pyarrow
    (unless ``ARROW_DEFAULT_MEMORY_POOL`` names one).  mimalloc keeps the pages that the
    writer's row groups and the workers' tables free: the merging process grew by 30 MiB
    from 1,000 to 10,000 documents with it, 15 with malloc, and every process was 8-10 MiB
    larger; malloc was no slower here.  Which allocator serves a buffer never changes a byte."""
    if not os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
        pa.set_memory_pool(pa.system_memory_pool())


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
    use_system_allocator()


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


def process_bytes_task(data: bytes, rel: str):
    """The task of a distributed run's sandbox: the bytes were read by the Dask worker.
    The tables travel as a ``packets.Packet`` (Arrow IPC messages and the merger's digest),
    sandbox → Dask worker → client, instead of nine pickled tables on each hop."""
    from .packets import pack
    from .process import document_tables
    return pack(document_tables(data, rel))


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


def plan(entry: Entry, opts: Options, seen: set[bytes] | None) -> Item:
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
    digest = bytes.fromhex(sha)  # kept for the whole run: 32 bytes, not 64 characters
    if digest in seen:
        return Item(entry, "copy", sha=sha, n_bytes=n)
    seen.add(digest)
    if opts.known is not None and cache_key(sha, entry.rel) in opts.known:
        return Item(entry, "known", sha=sha, n_bytes=n)   # nothing read: the manifest has it
    if opts.cache is not None and opts.cache.exists(cache_key(sha, entry.rel)):
        return Item(entry, "cached", sha=sha, n_bytes=n)
    return Item(entry, "pool", sha=sha, n_bytes=n)


def local_results(entries: list[Entry], opts: Options, progress):
    """``(item, tables | Failure | None)`` per entry, in order (None for a copy)."""
    from .pool import Pool
    seen: set[bytes] = set()
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
    # the pool starts only if a document needs processing; planned ahead (hashing only)
    # until it is clear whether more than a few do: a rerun that finds one new document
    # among a thousand known ones starts one worker and loads no narrative model before
    # forking (its worker loads what that document needs)
    few = PRELOAD_PER_WORKER * max(1, opts.workers)
    head = list(itertools.islice(gen, few + 1))
    while planned and planned[0].kind != "pool":
        yield _ready(planned.popleft(), opts)
    if not head:
        return
    preload = len(head) > few
    if preload:
        preload_shared()
    with _frozen(preload), Pool(pool_task, workers=min(opts.workers, len(head)), timeout=opts.timeout,
                                memory_limit=opts.memory_limit, init_fn=warm_up) as pool:
        results = pool.imap(itertools.chain(head, gen))
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


@contextlib.contextmanager
def _frozen(freeze: bool):
    """With ``freeze``, what this process holds when the pool starts (the preloaded spaCy
    and jieba: half a million objects, its dictionary) is kept out of its collections for
    the run (``gc.freeze``): their passes would write to those objects' pages and un-share
    them, page by page, with the zygote and the workers forked from it (10,000 documents:
    470-473 MiB of PSS for the tree at peak, 499-503 without).  Given back to the
    collector when the pool is done, so a caller's process (tests, a notebook) frees them
    as usual."""
    if freeze:
        gc.collect()
        gc.freeze()
    try:
        yield
    finally:
        if freeze:
            gc.unfreeze()


def _ready(it: Item, opts: Options):
    if it.kind == "cached":
        t = opts.cache.get(cache_key(it.sha, it.entry.rel))
        if t is None:  # vanished or unreadable since planned: make it again
            from .process import document_tables
            with open(it.entry.path, "rb") as f:
                t = document_tables(f.read(), it.entry.rel)
        return it, t
    return it, None


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
    use_system_allocator()
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
        merger.entries = manifest.Spool(tmp / ".manifest.spool")
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
        merger.entries.save(tmp / MANIFEST, salt, files)
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
