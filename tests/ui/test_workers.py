"""Background work and PySide's emit: results arrive on the UI thread, die with
their owner, and thousands of emits do not wear out `True` (PySide6 6.12.0 bug)."""
import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from app.ui.workers import run_in_background, wait_all


class Pinger(QObject):
    ping = Signal(object)


def test_many_emits_do_not_exhaust_true(qapp):
    p = Pinger()
    p.ping.connect(lambda v: None)
    for i in range(20000):  # without the guard CPython 3.11 aborts long before this
        p.ping.emit(i)
    assert sys.getrefcount(True) > 10000


def test_results_arrive_on_the_ui_thread_in_order(qtbot):
    import threading
    seen, progress = [], []
    main = threading.get_ident()

    def work(op):
        for i in range(3):
            op.report(i)
        return threading.get_ident()

    run_in_background(work, lambda r: seen.append((r, threading.get_ident())),
                      on_progress=lambda v: progress.append((v, threading.get_ident() == main)))
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert seen[0][0] != main and seen[0][1] == main
    assert progress == [(0, True), (1, True), (2, True)]


def test_failure_is_delivered_not_swallowed(qtbot):
    errors = []
    run_in_background(lambda op: 1 / 0, None, errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert isinstance(errors[0], ZeroDivisionError) and "ZeroDivisionError" in errors[0].traceback_text


def test_result_for_a_deleted_owner_is_dropped(qtbot):
    import threading
    gate = threading.Event()
    owner = QWidget()
    got = []

    def work(op):
        gate.wait(5)
        return "late"

    run_in_background(work, got.append, owner=owner)
    owner.deleteLater()
    qtbot.wait(50)  # the owner is gone before the result
    gate.set()
    wait_all()
    qtbot.wait(50)
    assert got == []


def test_background_threads_are_known_to_threading(qtbot):
    """The engine forks only when threading sees a single thread: a job in Qt's pool
    must count, or the list's pass forks the window's threaded process (and hangs)."""
    import threading
    known = []
    run_in_background(lambda op: any(t.ident == threading.get_ident() for t in threading.enumerate()),
                      known.append)
    wait_all()
    qtbot.waitUntil(lambda: bool(known), timeout=5000)
    assert known == [True]
