"""The worker pool (pipeline.pool): order, time limit, memory limit, crashes, bounded window.

Tasks here are tiny module-level functions, so these tests need no documents and run in
a few seconds; the pipeline-level behaviour is in test_pipeline.py and test_hostile.py."""
from __future__ import annotations

import os
import time

import pytest

from pipeline.pool import Failure, Pool


def square(x, delay=0.0):
    if delay:
        time.sleep(delay)
    return x * x


def misbehave(kind, x):
    if kind == "sleep":
        time.sleep(60)
    elif kind == "raise":
        raise ValueError(f"bad value {x}")
    elif kind == "exit":
        os._exit(3)
    elif kind == "hog":
        block = b"x" * (400 * 2**20)  # touched pages: 400 MiB resident
        time.sleep(5)
        return len(block)
    return ("pid", os.getpid(), x)


INIT_CALLS = []


def init():
    INIT_CALLS.append(os.getpid())
    os.environ["POOL_TEST_INIT"] = "1"


def initialised(x):
    return os.environ.get("POOL_TEST_INIT"), x


@pytest.mark.parametrize("workers", [1, 3])
def test_results_come_back_in_task_order_whatever_finishes_first(workers):
    # later tasks finish first: the delays shrink
    tasks = [(i, 0.05 * ((7 - i) % 4)) for i in range(12)]
    with Pool(square, workers=workers, timeout=30) as pool:
        assert list(pool.imap(tasks)) == [i * i for i in range(12)]


def test_a_task_over_the_time_limit_is_stopped_and_its_worker_replaced():
    tasks = [("ok", 1), ("sleep", 2), ("ok", 3), ("ok", 4)]
    t0 = time.monotonic()
    with Pool(misbehave, workers=2, timeout=1.5) as pool:
        out = list(pool.imap(tasks))
        assert pool.replaced == 1
    assert time.monotonic() - t0 < 20
    assert isinstance(out[1], Failure) and out[1].kind == "timeout"
    assert "longer than 1.5 s" in out[1].reason and "timeout_seconds" in out[1].reason
    assert [o[2] for o in (out[0], out[2], out[3])] == [1, 3, 4]


def test_crashes_and_dead_workers_cost_only_their_task():
    tasks = [("raise", 1), ("exit", 2), ("ok", 3)]
    with Pool(misbehave, workers=1, timeout=30) as pool:
        out = list(pool.imap(tasks))
    assert out[0] == Failure("processing crashed (ValueError: bad value 1); please report this file", "crash")
    assert out[1].kind == "died" and "exit code 3" in out[1].reason
    assert out[2][2] == 3


def test_a_task_over_the_memory_limit_fails_with_a_message_and_the_worker_is_replaced():
    tasks = [("hog", 1), ("ok", 2)]
    with Pool(misbehave, workers=1, timeout=30, memory_limit=200 * 2**20) as pool:
        out = list(pool.imap(tasks))
        assert pool.replaced == 1
    assert isinstance(out[0], Failure) and out[0].kind == "memory"
    assert out[0].reason.startswith("needed more than 200 MiB of memory") and "memory_limit_mb" in out[0].reason
    assert out[1][2] == 2


def test_workers_are_long_lived_and_initialised_once():
    with Pool(misbehave, workers=2, timeout=30, init_fn=init) as pool:
        out = list(pool.imap([("ok", i) for i in range(20)]))
    assert len({o[1] for o in out}) <= 2          # 20 tasks on two processes
    with Pool(initialised, workers=1, timeout=30, init_fn=init) as pool:
        assert list(pool.imap([(1,), (2,)])) == [("1", 1), ("1", 2)]
    assert INIT_CALLS == []                         # init ran in the children, not here


def test_tasks_are_pulled_lazily_within_the_window():
    pulled = []

    def tasks():
        for i in range(200):
            pulled.append(i)
            yield (i,)

    with Pool(square, workers=2, timeout=30, window=8) as pool:
        for n, r in enumerate(pool.imap(tasks())):
            assert r == n * n
            assert len(pulled) - n <= 9             # never more than the window ahead


def test_a_worker_retires_after_its_share_of_tasks_and_nothing_is_lost():
    with Pool(misbehave, workers=1, timeout=30, max_tasks_per_worker=3) as pool:
        out = list(pool.imap([("ok", i) for i in range(10)]))
        assert pool.replaced == 0                   # retiring is not a failure
    assert [o[2] for o in out] == list(range(10))
    pids = [o[1] for o in out]
    assert [len(set(pids[i:i + 3])) for i in (0, 3, 6)] == [1, 1, 1] and len(set(pids)) == 4


def test_an_idle_worker_gets_its_next_task_before_the_caller_consumes_a_result():
    """The parent merges and writes a result while the worker already processes the next
    document: when result k reaches the caller, task k + 1 is with the worker."""
    with Pool(square, workers=1, timeout=30) as pool:
        it = pool.imap([(i,) for i in range(4)])
        for k in range(3):
            assert next(it) == k * k
            (w,) = pool.workers
            assert w.task is not None and w.task[0] == k + 1
        assert next(it) == 9
        assert pool.workers[0].task is None  # nothing left to give
        assert list(it) == []


PARENT_STATE: dict = {}


def parent_state(x):
    return os.getpid(), PARENT_STATE.get("grown"), x


def test_a_replacement_worker_starts_from_the_warm_up_heap_not_the_parents_grown_one():
    """Workers are forked by the zygote, forked once when the pool starts: what the parent
    builds up afterwards (here a flag; in a run, merged records) is in no worker, not even
    one that replaces a retired worker late in the run.  Forked from the parent, the
    replacement would see it."""
    with Pool(parent_state, workers=1, timeout=30, max_tasks_per_worker=2) as pool:
        zyg = pool.zygote
        PARENT_STATE["grown"] = True
        try:
            out = list(pool.imap([(i,) for i in range(6)]))
        finally:
            PARENT_STATE.clear()
    assert zyg.proc.exitcode == 0                   # it saw the pool's end and exited, not killed
    assert len({o[0] for o in out}) == 3            # two retirements: three workers
    assert [o[1] for o in out] == [None] * 6 and [o[2] for o in out] == list(range(6))
    with Pool(parent_state, workers=1, timeout=30, max_tasks_per_worker=2, start_method="fork") as pool:
        PARENT_STATE["grown"] = True
        try:
            out = list(pool.imap([(i,) for i in range(4)]))
        finally:
            PARENT_STATE.clear()
    assert [o[1] for o in out] == [None, None, True, True]  # the old way: the replacement inherits it


def test_a_killed_zygote_is_replaced_and_no_task_is_lost():
    with Pool(misbehave, workers=1, timeout=30, max_tasks_per_worker=2) as pool:
        it = pool.imap([("ok", i) for i in range(6)])
        first = next(it)
        old = pool.zygote
        old.proc.kill()
        old.proc.join(timeout=5)
        rest = list(it)                              # the retiring worker's replacement needs a zygote
        assert pool.zygote is not old and pool.replaced == 0
    assert [o[2] for o in [first] + rest] == list(range(6))


def broken_init():
    raise ValueError("no vocabulary")


def test_a_warm_up_that_fails_stops_the_pool_with_a_message():
    with pytest.raises(RuntimeError, match="workers die while starting"):
        with Pool(square, workers=1, timeout=30, init_fn=broken_init) as pool:
            list(pool.imap([(1,)]))
