"""A pool of long-lived worker processes with a per-task time limit and memory limit.

Each worker is forked once, runs an initializer (models, vocabularies), freezes the heap
(``gc.freeze()``: the collector no longer walks what every document shares) and then
processes task after task sent over its own pipe.  The parent waits on every worker's
pipe and process sentinel at once (``multiprocessing.connection.wait``) — no polling —
with a timeout that is the nearest deadline, or the memory-check interval while a
memory limit is set.  A worker whose task passes the time limit, whose resident memory
passes the memory limit, or that dies, is killed and replaced; its task gets a
``Failure`` saying why, and every other task goes on.

A worker retires after ``max_tasks_per_worker`` tasks (default 1000) and a fresh one
takes its place, so memory that a library keeps per document (unbounded caches) cannot
grow with the batch.  Workers are forked by a zygote (``pipeline.zygote``), a process
forked once from the parent when the pool starts that runs the initializer and freezes
its heap, so a replacement started late in a long run is as small as the first workers
(forked from the parent, it would carry a copy of the parent's grown heap).

Results come back in the order the tasks were given (``imap``), whatever the worker
count, with at most ``window`` tasks in flight or waiting to be yielded, so memory stays
bounded however many tasks there are.
"""
from __future__ import annotations

import gc
import multiprocessing as mp
import os
import time
from collections import deque
from dataclasses import dataclass
from multiprocessing.connection import wait
from typing import Any, Callable, Iterable, Iterator

from . import zygote

MEMORY_CHECK_SECONDS = 0.25


@dataclass(frozen=True)
class Failure:
    """A task that gave no result, and why (a message a person can act on)."""
    reason: str
    kind: str  # timeout | memory | crash | died


def _gib(n: int) -> str:
    return f"{n / 2**30:.1f} GiB" if n >= 2**30 else f"{n / 2**20:.0f} MiB"


def _limit_address_space(memory_limit: int) -> None:
    """A hard backstop beside the parent's RSS watch: the worker may not map more than
    twice the limit beyond what it has after warm-up (an allocation past it raises
    MemoryError, reported as a memory failure)."""
    try:
        import resource

        import psutil
        vms = psutil.Process().memory_info().vms
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        want = vms + 2 * memory_limit
        if hard != resource.RLIM_INFINITY:
            want = min(want, hard)
        resource.setrlimit(resource.RLIMIT_AS, (want, hard))
    except Exception:  # pragma: no cover - platform without RLIMIT_AS
        pass


def _worker_main(conn, task_fn, init_fn, memory_limit: int, max_tasks: int = 0) -> None:
    try:
        if init_fn is not None:
            init_fn()
        gc.collect()
        gc.freeze()
        if memory_limit:
            _limit_address_space(memory_limit)
        conn.send(("ready", None, None))
        n_done = 0
        while True:
            try:
                msg = conn.recv()
            except EOFError:
                break
            if msg is None:
                break
            seq, args = msg
            try:
                out = ("ok", seq, task_fn(*args))
            except MemoryError:
                out = ("memory", seq, None)
            except BaseException as e:  # the parent records it; the worker goes on
                out = ("crash", seq, f"{type(e).__name__}: {e}")
            n_done += 1
            if max_tasks and n_done >= max_tasks and out[0] == "ok":
                out = ("retire", seq, out[2])  # the parent starts a fresh worker
            conn.send(out)
            if out[0] in ("memory", "retire"):
                break  # a fresh worker for the next task
    except (EOFError, BrokenPipeError, KeyboardInterrupt):
        pass
    finally:
        conn.close()
        os._exit(0)


class _Worker:
    def __init__(self, ctx, task_fn, init_fn, memory_limit, max_tasks=0, zygote=None):
        self.conn, child = ctx.Pipe(duplex=True)
        if zygote is not None:  # forked by the warm zygote: init_fn ran there
            try:
                self.proc = zygote.fork(child.fileno())
            finally:
                child.close()
        else:
            self.proc = ctx.Process(target=_worker_main, args=(child, task_fn, init_fn, memory_limit, max_tasks),
                                    daemon=True)
            self.proc.start()
            child.close()
        self.ready = False
        self.task: tuple[int, Any] | None = None  # (seq, args)
        self.started = 0.0

    def kill(self) -> None:
        try:
            self.proc.kill()
        except Exception:
            pass
        self.proc.join(timeout=5)
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except (OSError, ValueError):
            pass
        self.proc.join(timeout=5)
        if self.proc.is_alive():
            self.kill()
        else:
            self.conn.close()

    def rss(self) -> int:
        try:
            import psutil
            return psutil.Process(self.proc.pid).memory_info().rss
        except Exception:
            return 0


class Pool:
    """``Pool(task_fn, workers, timeout=300, memory_limit=1.5 GiB, init_fn=warm_up)``.

    ``task_fn`` and ``init_fn`` must be module-level functions (they are inherited by
    fork).  ``timeout`` and ``memory_limit`` of 0 mean no limit.

    With ``start_method="zygote"`` (the default where the platform has pidfds) one
    process is forked from this one when the pool starts, runs ``init_fn`` and forks
    every worker, the first ones and every replacement (``pipeline.zygote``): a worker
    started late in a long run then carries the warm-up heap, not this process's grown
    one.  ``"fork"`` forks each worker from this process and runs ``init_fn`` in it."""

    def __init__(self, task_fn: Callable, workers: int = 1, timeout: float = 300,
                 memory_limit: int = 0, init_fn: Callable | None = None, window: int | None = None,
                 start_method: str = "zygote", max_tasks_per_worker: int = 1000):
        self.task_fn, self.init_fn = task_fn, init_fn
        self.n = max(1, int(workers))
        self.timeout, self.memory_limit = timeout, int(memory_limit or 0)
        self.window = window or max(8, 4 * self.n)
        self.use_zygote = start_method == "zygote" and zygote.available()
        self.ctx = mp.get_context("fork" if start_method == "zygote" else start_method)
        self.zygote: zygote.Zygote | None = None
        self.max_tasks = max_tasks_per_worker
        self.workers: list[_Worker] = []
        self.replaced = 0
        self.start_failures = 0

    def __enter__(self):
        if self.use_zygote:
            self.zygote = self._new_zygote()
        try:
            self.workers = [self._spawn() for _ in range(self.n)]
        except BaseException:
            self.__exit__(RuntimeError, None, None)
            raise
        return self

    def __exit__(self, *exc):
        for w in self.workers:
            w.stop() if exc[0] is None else w.kill()
        self.workers = []
        if self.zygote is not None:
            self.zygote.close()
            self.zygote = None

    def _spawn(self) -> _Worker:
        while True:
            try:
                return _Worker(self.ctx, self.task_fn, self.init_fn, self.memory_limit, self.max_tasks,
                               self.zygote)
            except zygote.ZygoteDied:  # killed from outside after warming up: start another
                self.start_failures += 1
                if self.start_failures > 2 * self.n + 2:
                    raise RuntimeError("the worker zygote keeps dying; run with --workers 1 --timeout 0 "
                                       "to see the error") from None
                self.zygote.close()
                self.zygote = self._new_zygote()

    def _new_zygote(self) -> zygote.Zygote:
        return zygote.Zygote(self.ctx, self.init_fn, _worker_main,
                             (self.task_fn, None, self.memory_limit, self.max_tasks))

    def _replace(self, w: _Worker) -> None:
        w.kill()
        self.workers[self.workers.index(w)] = self._spawn()
        self.replaced += 1

    def imap(self, tasks: Iterable[tuple]) -> Iterator[Any]:
        """Each task's result (or a ``Failure``), in the order of ``tasks``."""
        it = iter(tasks)
        queue: deque[tuple[int, tuple]] = deque()   # given, not yet sent
        done: dict[int, Any] = {}
        next_seq = 0       # next sequence number to hand out
        next_out = 0       # next sequence number to yield
        exhausted = False
        while True:
            while not exhausted and next_seq - next_out < self.window:
                try:
                    args = next(it)
                except StopIteration:
                    exhausted = True
                    break
                queue.append((next_seq, args))
                next_seq += 1
            # idle workers get their next task before the caller consumes a result (the
            # parent's merging and writing then overlaps the workers' processing)
            self._dispatch(queue)
            if next_out in done:
                while next_out in done:
                    yield done.pop(next_out)
                    next_out += 1
                continue  # the window has room again: take more tasks first
            if exhausted and next_out == next_seq:
                return
            self._wait(done)

    def _dispatch(self, queue: deque) -> None:
        for w in self.workers:
            if w.ready and w.task is None and queue:
                w.task = queue.popleft()
                w.started = time.monotonic()
                try:
                    w.conn.send(w.task)
                except (OSError, ValueError):
                    pass  # the sentinel tells us in _wait

    def _wait(self, done: dict[int, Any]) -> None:
        now = time.monotonic()
        busy = [w for w in self.workers if w.task is not None]
        timeout = None
        if self.timeout > 0 and busy:
            timeout = max(0.0, min(w.started + self.timeout for w in busy) - now)
        if self.memory_limit and busy:
            timeout = MEMORY_CHECK_SECONDS if timeout is None else min(timeout, MEMORY_CHECK_SECONDS)
        handles = {}
        for w in self.workers:
            handles[w.conn] = w
            handles[w.proc.sentinel] = w
        ready = wait(list(handles), timeout)
        for h in ready:
            w = handles[h]
            if w not in self.workers:
                continue  # replaced already in this round
            if h is w.conn:
                try:
                    kind, seq, payload = w.conn.recv()
                except (EOFError, OSError):
                    self._died(w, done)
                    continue
                if kind == "ready":
                    w.ready = True
                    continue
                w.task = None
                if kind == "ok":
                    done[seq] = payload
                elif kind == "retire":  # done its share: bounded memory whatever leaks
                    done[seq] = payload
                    self._replace(w)
                    self.replaced -= 1
                elif kind == "memory":
                    done[seq] = Failure(self._memory_message(), "memory")
                    self._replace(w)
                else:
                    done[seq] = Failure(f"processing crashed ({payload}); please report this file", "crash")
            elif not w.conn.poll(0):
                self._died(w, done)
        now = time.monotonic()
        for w in list(self.workers):
            if w.task is None:
                continue
            if self.timeout > 0 and now - w.started > self.timeout:
                done[w.task[0]] = Failure(
                    f"parsing took longer than {self.timeout:g} s and was stopped; raise "
                    f"timeout_seconds in params.yaml (--timeout) or split the file", "timeout")
                self._replace(w)
            elif self.memory_limit and w.rss() > self.memory_limit:
                done[w.task[0]] = Failure(self._memory_message(), "memory")
                self._replace(w)

    def _memory_message(self) -> str:
        return (f"needed more than {_gib(self.memory_limit)} of memory and was stopped; raise "
                f"memory_limit_mb in params.yaml (--memory-limit-mb) or split the file")

    def _died(self, w: _Worker, done: dict[int, Any]) -> None:
        w.proc.join(timeout=2)
        code = w.proc.exitcode
        if not w.ready:
            self.start_failures += 1
            if self.start_failures > 2 * self.n + 2:
                raise RuntimeError(f"workers die while starting (exit code {code}); run with "
                                   f"--workers 1 --timeout 0 to see the error")
        if w.task is not None:
            hint = " (out of memory?)" if code in (-9, 137) else ""
            done[w.task[0]] = Failure(f"worker died (exit code {code}{hint}) while reading this file; "
                                      f"please report it", "died")
        self._replace(w)
