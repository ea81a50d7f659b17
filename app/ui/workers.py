"""One helper for background work, like Anki's QueryOp.

`run_in_background(fn, on_success, on_failure, on_progress)` runs `fn(op)` in the
global QThreadPool. `fn` never touches widgets: it may call `op.report(value)` to send
progress and `op.cancelled()` to stop early; its result or exception arrives on the
UI thread through queued signals.
"""
from __future__ import annotations

import threading
import traceback
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

_LIVE: set["Op"] = set()


class _Signals(QObject):
    succeeded = Signal(object)
    failed = Signal(object)
    progress = Signal(object)
    finished = Signal()


class _Receiver(QObject):
    """Lives on the UI thread so that every callback runs there (queued)."""

    def __init__(self, op: "Op", on_success, on_failure, on_progress, owner: QObject | None = None):
        super().__init__(owner)
        self._op, self._ok, self._fail, self._prog = op, on_success, on_failure, on_progress

    @Slot(object)
    def succeeded(self, value):
        if self._ok:
            self._ok(value)

    @Slot(object)
    def failed(self, exc):
        (self._fail or print_failure)(exc)

    @Slot(object)
    def progress(self, value):
        if self._prog:
            self._prog(value)

    @Slot()
    def finished(self):
        _LIVE.discard(self._op)


class Op(QRunnable):
    """A function run off the UI thread; the signals live on the UI thread."""

    def __init__(self, fn: Callable[["Op"], Any]):
        super().__init__()
        self.setAutoDelete(False)
        self._fn = fn
        self._cancelled = False
        self.signals = _Signals()

    def cancel(self) -> None:
        self._cancelled = True

    def cancelled(self) -> bool:
        return self._cancelled

    def report(self, value: Any) -> None:
        self.signals.progress.emit(value)

    def run(self) -> None:  # worker thread
        # Make this Qt thread known to Python's threading module. Without it
        # threading.active_count() is 1 in a pool thread of a window full of threads,
        # and Engine.check_site (the list's pass, jobs=None) takes that to mean it may
        # fork: a forked copy of a threaded Qt process hangs (measured: the 1,000-post
        # list pass never finished and left its workers spinning).
        threading.current_thread()
        try:
            result = self._fn(self)
        except BaseException as exc:  # delivered to the UI, never swallowed
            exc.traceback_text = traceback.format_exc()  # type: ignore[attr-defined]
            outcome = (self.signals.failed, exc)
        else:
            outcome = (self.signals.succeeded, result)
        try:
            outcome[0].emit(outcome[1])
            self.signals.finished.emit()
        except RuntimeError:  # the application is gone (quit mid-run): nobody to tell
            if not self._cancelled:
                raise


def run_in_background(fn: Callable[[Op], Any], on_success: Callable[[Any], None] | None = None,
                      on_failure: Callable[[BaseException], None] | None = None,
                      on_progress: Callable[[Any], None] | None = None, *,
                      owner: QObject | None = None) -> Op:
    """Run `fn(op)` in the pool. With an `owner` (a widget whose methods the callbacks
    call), the callbacks die with it: a result arriving after the owner is deleted is
    dropped by Qt instead of reaching a deleted C++ object."""
    op = Op(fn)
    op.receiver = _Receiver(op, on_success, on_failure, on_progress, owner)
    op.signals.succeeded.connect(op.receiver.succeeded)
    op.signals.failed.connect(op.receiver.failed)
    op.signals.progress.connect(op.receiver.progress)
    op.signals.finished.connect(op.receiver.finished)
    _LIVE.add(op)
    QThreadPool.globalInstance().start(op)
    return op


def print_failure(exc: BaseException) -> None:
    import sys
    print(getattr(exc, "traceback_text", repr(exc)), file=sys.stderr)


def wait_all(msecs: int = 30000) -> bool:
    """Wait for every background job (tests and shutdown)."""
    return QThreadPool.globalInstance().waitForDone(msecs)


def shutdown(msecs: int = 10000) -> bool:
    """At quit: ask every running job to stop and wait for them, so none reports to
    widgets and signal objects that are being deleted."""
    for op in list(_LIVE):
        op.cancel()
    QThreadPool.globalInstance().clear()  # jobs not started yet never start
    return wait_all(msecs)
