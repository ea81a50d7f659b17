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
    """The sample site `content/` shipped beside the package (or inside a bundle)."""
    from app.core.paths import sample_site as find
    return find()


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


def guard_emit_refcount() -> bool:
    """Work around a PySide6 6.12.0 bug that would abort PostDesk after a while.

    Measured here: `SignalInstance.emit()` returns `True` without taking a reference,
    so every emit from Python (each background check, render and list update makes a
    few) takes one reference away from `True`. On CPython before 3.12, where `True`
    is an ordinary object, after about a thousand emits (a few hundred debounced
    checks: an hour of typing) its count reaches zero and the interpreter aborts with
    "bool_dealloc: deallocating True or False". One probe emit tells whether this
    PySide has the bug; if so `True` gets a reserve of 2**40 references, which is what
    Python 3.12 does for it anyway (immortal objects). Returns True when applied.
    Remove once PySide6 is fixed (the probe then finds nothing to do)."""
    import ctypes
    import platform
    from PySide6.QtCore import QObject, Signal

    if platform.python_implementation() != "CPython" or sys.version_info >= (3, 12):
        return False

    class _Probe(QObject):
        ping = Signal()

    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(8):
        probe.ping.emit()
    if sys.getrefcount(True) >= before:
        return False
    ctypes.c_ssize_t.from_address(id(True)).value += 1 << 40
    return True


def stylesheet() -> str:
    path = Path(__file__).with_name("style.qss")
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def create_app(argv: list[str] | None = None) -> QApplication:
    """The configured QApplication (an existing one is reused, as under pytest-qt)."""
    prepare_environment()
    guard_emit_refcount()
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
