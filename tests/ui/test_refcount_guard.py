"""PySide6 6.12.0 takes a reference from `True` on every emit and from `None` on
every call of a method returning nothing; the application's guard gives both a
reserve so that a long session does not abort the interpreter (app.ui.app)."""
import sys

from PySide6.QtCore import QObject, QTimer, Signal


class _Pinger(QObject):
    ping = Signal()


def _survives(obj, call, times: int = 200) -> bool:
    """True when `times` calls leave `obj` safe: its count did not fall (a fixed
    PySide, or Python 3.12's immortal objects) or the guard's reserve is there."""
    before = sys.getrefcount(obj)
    for _ in range(times):
        call()
    after = sys.getrefcount(obj)
    return after >= before or after > 1 << 39


def test_emit_keeps_true_alive(qapp):
    assert _survives(True, _Pinger().ping.emit)


def test_void_calls_keep_none_alive(qapp):
    timer = QTimer()
    assert _survives(None, timer.stop)
    assert _survives(None, qapp.processEvents)
