"""Worker processes fed through pipes of their own (the open post's checks,
check_process.py; the preview's rendering, render_process.py).

Not a ProcessPoolExecutor: the executor passes each call through its manager and
feeder threads and each result back through the manager thread, and the window
waited for the future in a QThreadPool thread; each of those Python threads had to
win the interpreter lock from a busy main thread (measured 5-6 ms of a preview
refresh's 40). Here the main thread writes the request itself and one reader
thread resolves the future.

Qt-free: a worker process imports this module and never Qt.
"""
from __future__ import annotations

import gc
import itertools
import multiprocessing
import os
import threading
from concurrent.futures import CancelledError, Future
from concurrent.futures.process import BrokenProcessPool

# The window's worker processes (checks, preview, the list's rows) import these when
# the fork server starts, so a new worker starts with them already loaded.
PRELOAD = ["app.ui.pipe_worker", "app.ui.check_process", "app.ui.render_process", "app.ui.post_rows"]


def process_context():
    """forkserver where there is one (the window's process has threads: never fork
    it), else spawn; the server starts with the checking and rendering modules
    imported."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(PRELOAD)
        return ctx
    return multiprocessing.get_context("spawn")


def lower_priority(steps: int) -> None:
    """Make this (worker) process `steps` nicer, where the platform can."""
    try:
        os.nice(steps)
    except (AttributeError, OSError):  # Windows has no nice(); a refused change is harmless
        pass


def _serve(requests, replies, initializer, initargs: tuple) -> None:
    """The worker process: `initializer(*initargs)`, then answer each request
    `(key, fn, args)` with `(key, True, fn(*args))` or `(key, False, exception)`
    until the window closes its end of the pipe."""
    initializer(*initargs)
    while True:
        try:
            key, fn, args = requests.recv()
        except (EOFError, OSError):
            return
        replies.send(_call(key, fn, args))
        if not requests.poll():
            gc.collect()  # while nothing waits: the cycles a call left, collected off its time


def _call(key: int, fn, args: tuple) -> tuple:
    """One request's reply. The cyclic collector is off while it runs: a render
    makes ~20,000 tokens, whose allocations set off young-generation passes (about
    3 of a render's 25 ms) that find almost nothing (tokens die by refcount); the
    worker collects between requests instead. An exception that cannot cross the
    pipe is sent as a RuntimeError naming it."""
    gc.disable()
    try:
        reply = (key, True, fn(*args))
    except BaseException as exc:  # noqa: BLE001 (delivered to the window, as an executor does)
        reply = (key, False, exc)
    finally:
        gc.enable()
    if not reply[1]:
        try:
            _dumps(reply)
        except Exception:  # noqa: BLE001
            reply = (key, False, RuntimeError(repr(reply[2])))
    return reply


def _dumps(obj) -> bytes:
    from multiprocessing.reduction import ForkingPickler
    return bytes(ForkingPickler.dumps(obj))


class _Channel:
    """One worker process, its two pipes and the futures it has yet to answer. A
    reader thread resolves them; when the process dies every one still waiting
    fails with BrokenProcessPool (as a ProcessPoolExecutor's would), and the
    channel takes no more."""

    def __init__(self, initializer, initargs: tuple, decode=None, name: str = "postdesk-worker"):
        self._decode = decode or (lambda value: value)
        ctx = process_context()
        requests_in, self._requests = ctx.Pipe(duplex=False)
        replies, replies_out = ctx.Pipe(duplex=False)
        self.process = ctx.Process(target=_serve, args=(requests_in, replies_out, initializer, initargs),
                                   daemon=True, name=name)
        self.process.start()
        requests_in.close()
        replies_out.close()
        self._lock = threading.Lock()
        self._waiting: dict[int, Future] = {}
        self._keys = itertools.count()
        self.broken = False
        threading.Thread(target=self._read, args=(replies,), daemon=True, name=name + "-replies").start()

    def send(self, fn, args: tuple) -> Future:
        """A future of `fn(*args)` in the process; BrokenProcessPool if it is gone."""
        future: Future = Future()
        future.set_running_or_notify_cancel()
        with self._lock:
            if self.broken:
                raise BrokenProcessPool("the worker process has ended")
            key = next(self._keys)
            self._waiting[key] = future
            try:
                self._requests.send((key, fn, args))
            except (OSError, ValueError) as exc:  # the process died: its end of the pipe is closed
                del self._waiting[key]
                self.broken = True
                raise BrokenProcessPool("the worker process has ended") from exc
        return future

    def _read(self, replies) -> None:
        """The reader thread: each reply resolves its future, until the pipe ends."""
        while True:
            try:
                key, ok, value = replies.recv()
            except (EOFError, OSError):
                break
            if ok:
                value = self._decode(value)  # every reply, in order: a decoder may keep state
            with self._lock:
                future = self._waiting.pop(key, None)
            if future is None:
                continue
            if ok:
                future.set_result(value)
            else:
                future.set_exception(value)
        replies.close()
        self._end(BrokenProcessPool("the worker process ended with calls waiting"))

    def _end(self, exc: BaseException) -> None:
        """Take no more calls and fail the ones waiting with `exc`."""
        with self._lock:
            self.broken = True
            waiting, self._waiting = self._waiting, {}
        for future in waiting.values():
            future.set_exception(exc)

    def close(self) -> None:
        """The process ends once it reads the end of its pipe (after the call it
        runs, if any); calls still waiting are cancelled."""
        self._end(CancelledError())
        with self._lock:
            self._requests.close()


class PipeWorker:
    """One worker process started with `initializer(*initargs)`, fed through a pipe
    of its own; a process that died (killed, out of memory) is replaced at the next
    submit. The process starts at once, not at the first call."""

    def __init__(self, initializer, initargs: tuple, name: str = "postdesk-worker"):
        self._init = (initializer, initargs)
        self._name = name
        self._channel = self._new_channel()

    def _new_channel(self) -> _Channel:
        return _Channel(*self._init, self._decoder(), name=self._name)

    def _decoder(self):
        """What turns a reply into a result, one per process (None: as sent)."""
        return None

    def submit(self, fn, *args) -> Future:
        """A future of `fn(*args)` in the worker; a new process when the old one died."""
        try:
            return self._channel.send(fn, args)
        except BrokenProcessPool:
            self.restart()
            return self._channel.send(fn, args)

    def restart(self) -> None:
        """A new process in place of the old one (which ends after the call it runs)."""
        self._channel.close()
        self._channel = self._new_channel()
        self._restarted()

    def _restarted(self) -> None:
        """What a subclass keeps about its process's state is forgotten here."""

    def close(self) -> None:
        """Cancel waiting calls; the process ends after the one running (if any)."""
        self._channel.close()
