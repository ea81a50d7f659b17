"""pytest-qt set-up for the window's tests.

Before any QApplication exists: offscreen platform, Chromium's --no-sandbox (root),
PostDesk's URL scheme, QtWebEngineWidgets imported. Settings and app data go to a
throw-away folder of this process (XDG variables), cleared per test.
"""
import os
import shutil
import tempfile
from pathlib import Path

_SANDBOX = Path(tempfile.mkdtemp(prefix="postdesk-ui-tests-"))
for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
    os.environ[var] = str(_SANDBOX / var.lower())
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox")

from app.ui.app import prepare_environment  # noqa: E402

prepare_environment()

import PySide6.QtWebEngineWidgets  # noqa: E402,F401  (must precede the QApplication)
import pytest  # noqa: E402
from PySide6.QtCore import QSettings, QStandardPaths  # noqa: E402

# Not QStandardPaths' test mode: it puts every process in the same ~/.qttest, so two
# test runs at once (two engineers, or xdist) clear each other's settings and
# recovery files. The XDG variables above give each process its own folder.
assert QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation) \
    .startswith(str(_SANDBOX)) or os.name != "posix"

HERE = Path(__file__).resolve().parent
FIXTURE_SITE = HERE / "fixtures" / "site"
DAMAGED = "_posts/2026-04-01-1-damaged-marker-post.md"
CLEAN = "_posts/2026-02-09-1-rag-chunk-size-overlap.md"
DRAFT = "_drafts/rag-chunk-review.md"


def pytest_collection_modifyitems(config, items):
    """The offscreen platform warns about dock size hints and popups (a completer's
    list): harmless here."""
    for item in items:
        if HERE in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.qt_log_ignore("does not support propagateSizeHints",
                                                      "does not support raise", "does not support grabbing"))


@pytest.fixture(scope="session")
def qapp():
    from app.ui.app import create_app
    app = create_app(["postdesk-tests"])
    yield app
    from PySide6.QtCore import QCoreApplication, QEvent
    from app.ui.workers import wait_all
    wait_all()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    shared = getattr(app, "_postdesk_preview", None)
    if shared is not None:
        app._postdesk_preview = None
        shared.profile.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture(autouse=True)
def clean_settings(qapp):
    QSettings().clear()
    from app.ui import i18n
    i18n.install(qapp, "ja")
    data = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))
    shutil.rmtree(data, ignore_errors=True)
    yield
    QSettings().clear()
    from app.ui.workers import wait_all
    wait_all()


@pytest.fixture
def site(tmp_path) -> Path:
    """A copy of the test site (posts, a damaged post, a draft)."""
    root = tmp_path / "site"
    shutil.copytree(FIXTURE_SITE, root)
    return root


class FakePrompts:
    """Answers the window's questions; records what it was asked."""

    def __init__(self):
        self.asked: list[tuple] = []
        self.unsaved = "discard"
        self.recover = True
        self.confirm = True
        self.external = "mine"
        self.draft = ("新しい下書き", "new-draft")

    def error(self, title, text):
        self.asked.append(("error", title, text))

    def unsaved_changes(self, name):
        self.asked.append(("unsaved", name))
        return self.unsaved

    def ask_recover(self, name, when):
        self.asked.append(("recover", name))
        return self.recover

    def publish_blocked(self, errors, lang):
        self.asked.append(("blocked", [f.rule for f in errors]))

    def confirm_warnings(self, warnings, lang):
        self.asked.append(("warnings", [f.rule for f in warnings]))
        return self.confirm

    def external_change(self, name, mine, theirs):
        self.asked.append(("external", name))
        return self.external

    def new_draft(self):
        self.asked.append(("new_draft",))
        return self.draft

    def kinds(self):
        return [a[0] for a in self.asked]


@pytest.fixture
def prompts():
    return FakePrompts()


@pytest.fixture
def window(qtbot, site, prompts):
    """The main window on the copied site, with its post list filled."""
    from app.ui.main_window import MainWindow
    w = MainWindow()
    w.prompt = prompts
    qtbot.addWidget(w)
    w.show()
    with qtbot.waitSignal(w.post_list.model.filled, timeout=30000):
        assert w.open_site(site)
    yield w
    w.editor.document().setModified(False)
    w.close()
    settle()


def settle() -> None:
    """Let background work finish and deliver its results while the widgets still
    exist (a render queued for a deleted preview would fail the next test)."""
    from PySide6.QtCore import QCoreApplication
    from app.ui.workers import wait_all
    wait_all()
    QCoreApplication.processEvents()


def open_post(qtbot, w, rel: str):
    """Open a post and wait for its first check."""
    with qtbot.waitSignal(w.findingsUpdated, timeout=20000):
        assert w.open_post(w.site.root / rel)
    return w.findings


def cursor_at_line_end(editor, line: int, back: int = 0) -> None:
    """Put the editor's cursor at the end of file line `line`, `back` characters
    before it (1: before a closing quote)."""
    editor.select_lines(line)
    cur = editor.textCursor()
    cur.movePosition(cur.MoveOperation.EndOfBlock)
    for _ in range(back):
        cur.movePosition(cur.MoveOperation.Left)
    editor.setTextCursor(cur)


def type_text(widget, text: str) -> None:
    """Type `text` into a widget as key presses carrying text (qtbot.keyClicks aborts
    the process on non-ASCII; newlines go as Return)."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication
    for ch in text:
        if ch == "\n":
            key, t = Qt.Key.Key_Return, "\r"
        else:
            key, t = Qt.Key.Key_unknown, ch
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, t))


def ime_commit(widget, preedit: str, commit: str) -> None:
    """An input method composing `preedit`, then committing `commit`."""
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtWidgets import QApplication
    attr = QInputMethodEvent.Attribute(QInputMethodEvent.AttributeType.Cursor, len(preedit), 1, 0)
    QApplication.sendEvent(widget, QInputMethodEvent(preedit, [attr]))
    done = QInputMethodEvent()
    done.setCommitString(commit)
    QApplication.sendEvent(widget, done)


class DialogAnswerer:
    """Answers the real message boxes the window opens (modal, in their own event
    loop): records (title, text, detailed text) and presses the first of `buttons`
    the box has. Use as a context manager around the action that opens them."""

    def __init__(self, *buttons):
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QMessageBox
        self.buttons = buttons or (QMessageBox.StandardButton.Ok,)
        self.seen: list[tuple[str, str, str]] = []
        self._timer = QTimer(interval=30)
        self._timer.timeout.connect(self._poll)

    def _poll(self) -> None:
        from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QPlainTextEdit
        box = QApplication.activeModalWidget()
        if isinstance(box, QDialog) and not isinstance(box, QMessageBox) and box.isVisible():
            view = box.findChild(QPlainTextEdit)  # e.g. the comparison: read, then close
            self.seen.append((box.windowTitle(), view.toPlainText() if view else "", ""))
            box.reject()
            return
        if not isinstance(box, QMessageBox) or not box.isVisible():
            return
        self.seen.append((box.windowTitle(), "\n".join(filter(None, (box.text(), box.informativeText()))),
                          box.detailedText()))
        for b in self.buttons:
            if isinstance(b, QMessageBox.ButtonRole):  # a custom button, by its role (used once)
                match = [x for x in box.buttons() if box.buttonRole(x) == b]
                if match:
                    self.buttons = tuple(x for x in self.buttons if x is not b)
                    match[0].click()
                    return
            elif box.button(b) is not None:
                box.button(b).click()
                return
        box.reject()

    def __enter__(self):
        self._timer.start()
        return self

    def __exit__(self, *exc):
        self._timer.stop()
        return False
