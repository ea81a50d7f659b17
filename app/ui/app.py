"""The application object: environment, settings names, translators, stylesheet.

Nothing happens at import time. `prepare_environment()` does what must precede the
QApplication (Chromium's sandbox flag as root, the preview's URL scheme);
`create_app()` makes (or reuses) the QApplication and configures it (the interface
language comes from app.ui.i18n); `run()` is what `postdesk [SITE]` calls.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

ORG_NAME = "PostDesk"
APP_NAME = "PostDesk"
SCHEME = b"postdesk"

_scheme_registered = False


def resources_dir() -> Path:
    """`resources/` from a source checkout, an installed package or a PyInstaller bundle."""
    from app.core.paths import _bases
    for base in _bases():
        if (base / "resources").is_dir():
            return base / "resources"
    return _bases()[-1] / "resources"


def sample_site() -> Path | None:
    """The sample site to open when there is no other: the editor's own copy of the
    one shipped beside the package (or inside a bundle), made on first use in the
    per-user data folder (app.core.paths.working_sample_site). Where that copy
    cannot be made (a full or read-only disk), the shipped one itself, as before:
    it opens, and a save that cannot write says so."""
    from PySide6.QtCore import QStandardPaths

    from app.core.paths import sample_site as shipped, working_sample_site
    data = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    try:
        return working_sample_site(Path(data)) if data else shipped()
    except OSError:
        return shipped()


def prepare_environment() -> None:
    """Everything that must happen before the QApplication exists."""
    global _scheme_registered
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
        if "--no-sandbox" not in flags:
            os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = (flags + " --no-sandbox").strip()
    if not _scheme_registered and QCoreApplication.instance() is None:
        from PySide6.QtWebEngineCore import QWebEngineUrlScheme
        scheme = QWebEngineUrlScheme(SCHEME)
        scheme.setSyntax(QWebEngineUrlScheme.Syntax.Path)
        scheme.setFlags(QWebEngineUrlScheme.Flag.SecureScheme | QWebEngineUrlScheme.Flag.LocalScheme
                        | QWebEngineUrlScheme.Flag.LocalAccessAllowed)
        QWebEngineUrlScheme.registerScheme(scheme)
        _scheme_registered = True


def _immortalise(obj, leaks) -> bool:
    """Give `obj` a reserve of 2**40 references when calling `leaks()` a few times
    takes references away from it (what Python 3.12 does anyway: immortal objects).
    Returns True when the reserve was added."""
    import ctypes
    before = sys.getrefcount(obj)
    for _ in range(8):
        leaks()
    if sys.getrefcount(obj) >= before:
        return False
    ctypes.c_ssize_t.from_address(id(obj)).value += 1 << 40
    return True


def guard_emit_refcount() -> bool:
    """Work around PySide6 6.12.0 bugs that would abort PostDesk after a while.

    Measured here: `SignalInstance.emit()` returns `True` without taking a reference,
    and every method returning nothing (`QTimer.start()`, `QWidget.update()`,
    `QSyntaxHighlighter.setFormat()`, `processEvents()`, …) returns `None` without
    taking one, so each such call from Python takes one reference away from `True` or
    `None`. On CPython before 3.12, where they are ordinary objects, their counts
    (about 600 and 5,000 at start) reach zero and the interpreter aborts with
    "bool_dealloc: deallocating True or False" or "none_dealloc: deallocating None":
    for `True` after a few hundred debounced checks (an hour of typing); for `None`
    after opening a 40,000-character post twice (highlighting it calls `setFormat`
    thousands of times) or a few minutes of typing. One probe each tells whether this
    PySide has the bug; if so the object gets a reserve of 2**40 references, which is
    what Python 3.12 does for it anyway (immortal objects). Returns True when either
    reserve was added. Remove once PySide6 is fixed (the probes then find nothing to do)."""
    import platform
    from PySide6.QtCore import QObject, QTimer, Signal

    if platform.python_implementation() != "CPython" or sys.version_info >= (3, 12):
        return False

    class _Probe(QObject):
        ping = Signal()

    probe = _Probe()
    timer = QTimer()
    emits = _immortalise(True, probe.ping.emit)
    voids = _immortalise(None, timer.stop)
    return emits or voids


def stylesheet() -> str:
    path = Path(__file__).with_name("style.qss")
    return path.read_text(encoding="utf-8") if path.is_file() else ""


# How long a worker thread running Python may keep the interpreter lock while the
# UI thread waits for it (CPython's default is 5 ms, a third of a frame, and the UI
# thread takes the lock many times per keystroke: highlighting, key handlers,
# painting the margin). Measured on a 40,000-character post while the preview
# rendered in a thread: 55 stalls over 16 ms at 5 ms, 16 at 0.5 ms.
SWITCH_INTERVAL_S = 0.0005
# Background jobs mostly wait (for the check process, for the list pass's worker
# processes): more of them than cores may run without slowing one another.
MIN_BACKGROUND_THREADS = 4


def tune_threads() -> None:
    """A responsive UI thread beside Python worker threads (see the constants)."""
    from PySide6.QtCore import QThreadPool
    sys.setswitchinterval(min(sys.getswitchinterval(), SWITCH_INTERVAL_S))
    pool = QThreadPool.globalInstance()
    pool.setMaxThreadCount(max(pool.maxThreadCount(), MIN_BACKGROUND_THREADS))


def create_app(argv: list[str] | None = None) -> QApplication:
    """The configured QApplication (an existing one is reused, as under pytest-qt)."""
    prepare_environment()
    guard_emit_refcount()
    tune_threads()
    app = QApplication.instance()
    if app is None:
        app = QApplication(list(argv) if argv else [sys.argv[0] if sys.argv else "postdesk"])
    app.setOrganizationName(ORG_NAME)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName("PostDesk")
    app.setStyleSheet(stylesheet())
    icon = resources_dir() / "icons" / "postdesk.svg"
    if icon.is_file():
        from PySide6.QtGui import QIcon
        app.setWindowIcon(QIcon(str(icon)))
    from . import i18n
    i18n.install(app)
    return app


def run(argv: list[str]) -> int:
    """`postdesk [SITE]`: SITE, else the last site, else the sample site."""
    app = create_app([sys.argv[0] if sys.argv else "postdesk"])
    from .main_window import MainWindow
    target = next((a for a in argv if not a.startswith("-")), None)
    window = MainWindow()
    window.show_initial()
    window.open_initial(Path(target) if target else None)
    status = app.exec()
    from .workers import shutdown
    shutdown()
    return status
