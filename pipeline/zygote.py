"""A zygote: a process forked once from the parent when a pool starts, which warms up
(``init_fn``, ``gc.collect()``, ``gc.freeze()``) and then forks every worker on request.

Why: a worker forked from the parent carries a copy-on-write view of the parent's heap
*as it is at that moment*.  The first workers are forked before the parent has merged
anything, but a replacement (a worker that retired after its share of tasks, or one
killed for a time or memory limit) forked from the parent late in a long run would carry
the parent's grown heap (records, writer buffers) and touch it.  Forked from the
zygote, whose heap stays as it was after warm-up, every worker starts the same, however
late — so peak memory does not grow with the number of documents.

Workers are the zygote's children, not the parent's, so the parent gets each one's pid
back, watches it through a pidfd (``os.pidfd_open``: readable when the process exits,
usable in ``multiprocessing.connection.wait`` like a ``Process.sentinel``), kills it
through the pidfd (no pid-reuse race) and asks the zygote to reap it for its exit code.
The parent talks to each worker over a pipe it creates itself and hands to the zygote
(``socket.send_fds``), exactly as with a forked ``multiprocessing.Process``.

Linux only (pidfd); elsewhere ``available()`` is false and the pool forks from the parent.
"""
from __future__ import annotations

import gc
import os
import select
import signal
import socket
import struct
from typing import Callable

_REPLY = struct.Struct("!q")


def available() -> bool:
    return hasattr(os, "pidfd_open") and hasattr(signal, "pidfd_send_signal") and hasattr(socket, "send_fds")


def _exitcode(status: int) -> int:
    return os.waitstatus_to_exitcode(status)


def _zygote_main(ctl: socket.socket, parent_end: socket.socket, init_fn: Callable | None,
                 worker_main: Callable, worker_args: tuple) -> None:
    """Warm up, then serve ``F`` (fork a worker on the passed fd; reply its pid) and
    ``W`` + pid (reap that worker; reply its exit code) until the parent hangs up."""
    from multiprocessing.connection import Connection
    parent_end.close()  # inherited by the fork: the parent's close must reach us as EOF
    try:
        if init_fn is not None:
            init_fn()
        gc.collect()
        gc.freeze()
    except BaseException as e:  # the parent reports it (RuntimeError) and stops
        ctl.sendall(_REPLY.pack(-1))
        os.write(2, f"worker warm-up failed: {type(e).__name__}: {e}\n".encode())
        os._exit(1)
    ctl.sendall(_REPLY.pack(0))  # warm
    try:
        while True:
            msg, fds, _flags, _addr = socket.recv_fds(ctl, 9, 1)
            if not msg:
                break
            if msg[:1] == b"F":
                pid = os.fork()
                if pid == 0:  # the worker
                    ctl.close()
                    worker_main(Connection(fds[0]), *worker_args)  # ends in os._exit
                    os._exit(0)
                os.close(fds[0])
                ctl.sendall(_REPLY.pack(pid))
            elif msg[:1] == b"W":
                for fd in fds:
                    os.close(fd)
                (pid,) = _REPLY.unpack(msg[1:9])
                try:
                    _, status = os.waitpid(pid, 0)
                    code = _exitcode(status)
                except ChildProcessError:
                    code = 0
                ctl.sendall(_REPLY.pack(code))
    except (OSError, EOFError, KeyboardInterrupt):
        pass
    finally:
        # reap what is left (workers exit when the parent's end of their pipe closes), so
        # their CPU time adds up in the parent's children's rusage
        while True:
            try:
                os.waitpid(-1, 0)
            except (ChildProcessError, InterruptedError, OSError):
                break
        os._exit(0)


class ZygoteDied(RuntimeError):
    """The zygote is gone (killed from outside): the pool starts another."""


class Zygote:
    """``Zygote(ctx, init_fn, worker_main, worker_args)``; ``fork(fd) -> ZygoteChild``."""

    def __init__(self, ctx, init_fn, worker_main, worker_args: tuple):
        self.ctl, child = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        self.proc = ctx.Process(target=_zygote_main, args=(child, self.ctl, init_fn, worker_main, worker_args),
                                daemon=True)
        self.proc.start()
        child.close()
        self.warm: bool | None = None  # None: not heard from yet

    def _reply(self) -> int:
        data = b""
        while len(data) < _REPLY.size:
            chunk = self.ctl.recv(_REPLY.size - len(data))
            if not chunk:
                raise ZygoteDied(f"the worker zygote died (exit code {self._zygote_exit()})")
            data += chunk
        return _REPLY.unpack(data)[0]

    def _zygote_exit(self):
        self.proc.join(timeout=2)
        return self.proc.exitcode

    def _ensure_warm(self) -> None:
        if self.warm is None:
            try:
                self.warm = self._reply() == 0
            except ZygoteDied:
                self.warm = False
        if not self.warm:
            raise RuntimeError(f"workers die while starting (exit code {self._zygote_exit()}); run with "
                               f"--workers 1 --timeout 0 to see the error")

    def fork(self, fd: int) -> "ZygoteChild":
        """A worker forked from the warm zygote, on ``fd`` (its end of the parent's pipe)."""
        self._ensure_warm()
        try:
            socket.send_fds(self.ctl, [b"F" + bytes(8)], [fd])
        except OSError as e:
            raise ZygoteDied(f"the worker zygote died ({e})") from e
        return ZygoteChild(self, self._reply())

    def reap(self, pid: int) -> int | None:
        try:
            self.ctl.sendall(b"W" + _REPLY.pack(pid))
            return self._reply()
        except (OSError, RuntimeError):
            return None

    def close(self) -> None:
        try:
            self.ctl.close()
        except OSError:
            pass
        self.proc.join(timeout=10)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join(timeout=5)


class ZygoteChild:
    """What the pool needs of a ``multiprocessing.Process`` for a worker forked by the
    zygote: ``pid``, ``sentinel``, ``is_alive``, ``kill``, ``join``, ``exitcode``."""

    def __init__(self, zygote: Zygote, pid: int):
        self.zygote, self.pid = zygote, pid
        self.sentinel = os.pidfd_open(pid)
        self.exitcode: int | None = None
        self._reaped = False

    def _exited(self, timeout: float | None) -> bool:
        if self._reaped:
            return True
        r, _, _ = select.select([self.sentinel], [], [], timeout)
        return bool(r)

    def is_alive(self) -> bool:
        return not self._exited(0)

    def kill(self) -> None:
        if self._reaped:
            return
        try:
            signal.pidfd_send_signal(self.sentinel, signal.SIGKILL)
        except (ProcessLookupError, OSError):
            pass

    def join(self, timeout: float | None = None) -> None:
        if self._reaped or not self._exited(timeout):
            return
        self.exitcode = self.zygote.reap(self.pid)
        self._reaped = True
        os.close(self.sentinel)
