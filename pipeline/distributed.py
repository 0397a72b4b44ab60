"""The distributed backend: the same per-document work on a Dask cluster.

Why Dask distributed: it is pure Python and already a dependency of the scientific stack
researchers use, a scheduler and workers start with two commands (``dask scheduler``,
``dask worker tcp://host:8786``) or from a ``LocalCluster`` in this process, and its
futures give exactly what the run needs — one task per document, results gathered in
input order with a bounded number in flight — without a cluster manager or a Java/Ray
runtime to install.

Each task (``document_task``) reads its file through fsspec (a local path, or any URL
fsspec knows: ``s3://``, ``gs://``, ``file://`` on shared storage), hashes it, looks it up
in the per-document cache (``cache.py``, also an fsspec URL), and otherwise processes it
in a sandbox child process of the Dask worker (``pool.Pool`` with one worker: the same
time and memory limits as the local run), then stores it in the cache.  An incremental run (a previous output
with its manifest, and a cache) hashes the files on the client instead and sends only the
new documents.  The client
merges the tables in input order with the same ``Merger`` and streamed writer as the
local run, so the datasets are byte-identical to a local run of the same inputs.
"""
from __future__ import annotations

import hashlib
import multiprocessing as mp
import os
from collections import deque

_SANDBOX = None  # one Pool per Dask worker process, made on its first task
POOL = "pool"    # --scheduler pool: the local pool, whatever --workers asks


def machine_cores() -> int:
    """The cores this process may run on: the most workers the local pool is given."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def choose_scheduler(scheduler: str | None, workers: int, cores: int | None = None) -> str | None:
    """The Dask scheduler a run uses, or None for the local pool.  An address (or
    ``local``) is used as given and ``pool`` forces the local pool; with none given, a run
    asking for more workers than this machine has cores gets a ``LocalCluster`` of that
    many processes (``local``)."""
    s = (scheduler or "").strip()
    if s == POOL:
        return None
    if s:
        return s
    return "local" if workers > (cores or machine_cores()) else None


def _sandbox(timeout: float, memory_limit: int):
    global _SANDBOX
    from .pool import Pool
    from .run import process_bytes_task, warm_up
    key = (timeout, memory_limit)
    if _SANDBOX is None or _SANDBOX[0] != key:
        cfg = mp.current_process()._config
        daemon = cfg.pop("daemon", None)  # Dask workers are daemonic; the sandbox is reaped by us
        try:
            pool = Pool(process_bytes_task, workers=1, timeout=timeout, memory_limit=memory_limit,
                        init_fn=warm_up, start_method="spawn").__enter__()
        finally:
            if daemon is not None:
                cfg["daemon"] = daemon
        _SANDBOX = (key, pool)
    return _SANDBOX[1]


def document_task(url: str, rel: str, cache, timeout: float, memory_limit: int):
    """``(sha, Packet | tables | Failure)`` for one file, run on a Dask worker (a Packet when
    processed here, its tables when read from the cache)."""
    import fsspec

    from .run import cache_key, failed_tables
    try:
        with fsspec.open(url, "rb") as f:
            data = f.read()
    except Exception as e:
        return None, failed_tables(rel, None, f"cannot be read ({type(e).__name__}: {e})")
    sha = hashlib.sha256(data).hexdigest()
    key = cache_key(sha, rel)
    if cache is not None:
        hit = cache.get(key)
        if hit is not None:
            return sha, hit
    if timeout > 0 or memory_limit:
        result = next(_sandbox(timeout, memory_limit).imap([(data, rel)]))
    else:
        from .run import process_bytes_task
        result = process_bytes_task(data, rel)
    from .packets import Packet
    if cache is not None and isinstance(result, (dict, Packet)):
        cache.put(key, result.tables() if isinstance(result, Packet) else result)
    return sha, result


def _client(scheduler: str, workers: int):
    import dask
    from distributed import Client, LocalCluster
    if scheduler == "local":
        dask.config.set({"distributed.worker.daemon": False})
        cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                               dashboard_address=None)
        return Client(cluster), cluster
    return Client(scheduler), None


def dask_results(entries, opts, scheduler: str):
    """``(item, tables | Failure | None)`` per entry, in order, computed on Dask.

    With a previous run's manifest (``opts.known``: an incremental run) the files are
    hashed here, as in a local run, so documents the manifest lists are neither sent nor
    read and cached ones are read from the cache; only new documents go to the cluster,
    which is started only if one does."""
    from .run import _ready, plan
    local = set() if opts.known is not None else None
    client = cluster = None
    try:
        window = 4 * max(1, opts.workers)
        seen: set[str] = set()
        pending: deque = deque()
        it = iter(entries)

        def submit_more():
            nonlocal client, cluster, window
            while len(pending) < window:
                e = next(it, None)
                if e is None:
                    return
                item = plan(e, opts, seen=local)
                fut = None
                if item.kind == "pool":
                    if client is None:
                        client, cluster = _client(scheduler, opts.workers)
                        window = 4 * max(1, sum(client.nthreads().values()))
                    fut = client.submit(document_task, e.path, e.rel, opts.cache, opts.timeout,
                                        opts.memory_limit, key=f"doc-{len(seen)}-{e.rel}", pure=False)
                seen.add(e.rel)
                pending.append((item, fut))

        submit_more()
        shas: set[str] = set()
        while pending:
            item, fut = pending.popleft()
            if fut is None:
                yield _ready(item, opts)
            else:
                sha, result = fut.result()
                fut.release()
                item.sha = sha
                if sha in shas:
                    item.kind = "copy"
                    result = None
                elif sha:
                    shas.add(sha)
                yield item, result
            submit_more()
    finally:
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()
