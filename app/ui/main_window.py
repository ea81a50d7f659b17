"""The main window: post list, editor beside preview, front-matter form, findings.

The window owns one open post at a time: `base_doc` is the Document as on disk,
the editor holds its normalised text, and `current_doc()` maps the editor's text back
onto the original bytes (only the changed region differs). Checks and rendering run
off the UI thread on snapshots; results for an outdated snapshot are dropped.
"""
from __future__ import annotations

import gc
import math
from concurrent.futures import CancelledError
from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QFileSystemWatcher, QSaveFile, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.core.config import ConfigError
from app.core.document import Document, DocumentError
from app.core.engine import Engine
from app.core.findings import Finding, Severity
from app.core.publish import set_date
from app.core.site import Site

from . import i18n
from .app import sample_site
from .check_process import CheckProcess
from .i18n import current_lang
from .editor import FindBar, MarkdownEditor
from .findings_panel import FindingsPanel
from .post_list import PostList
from .preview import PreviewView, export_page
from .prompts import Prompts
from .textdiff import doc_for_text, front_matter_end
from .workers import print_failure, run_in_background

CHECK_DEBOUNCE_MS = 400
# First-run layout (later runs restore the editor's own): the list wide enough for
# titles, the form for a 60-character title, the findings for about six rows.
LIST_WIDTH, FORM_WIDTH, FINDINGS_HEIGHT = 520, 390, 200
MAX_RECENT = 8


class MainWindow(QMainWindow):
    siteOpened = Signal(object)  # Path
    postOpened = Signal(object)  # Path
    findingsUpdated = Signal(list)
    saved = Signal(object)  # Path
    published = Signal(object)  # Path of the published post

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("MainWindow")
        self.site: Site | None = None
        self.engine: Engine | None = None
        self.checker: CheckProcess | None = None  # the open post's checks, off this process
        self.info = None
        self.base_doc: Document | None = None
        self.disk_bytes: bytes | None = None
        self.findings: list[Finding] = []
        self.checked_text: str | None = None
        self._check_gen = 0
        self._doc_memo: tuple[Document, str, Document] | None = None
        self._front_end = math.inf  # see front_matter_end()
        self._batch = None  # the Validate Site dialog, kept while its site is open
        self.prompt = Prompts(self)

        # central: editor (+ find bar) beside the preview
        self.editor = MarkdownEditor()
        self.editor.setReadOnly(True)  # until a post is open
        self.find_bar = FindBar(self.editor)
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.setSpacing(0)
        lv.addWidget(self.editor)
        lv.addWidget(self.find_bar)
        self.preview = PreviewView()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("EditorPreviewSplitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.preview)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([600, 600])
        self.setCentralWidget(self.splitter)

        # docks
        self.post_list = PostList()
        self.findings_panel = FindingsPanel()
        self.list_dock = self._dock("PostListDock", self.post_list, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.findings_dock = self._dock("FindingsDock", self.findings_panel, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.form = None
        self.form_dock = None
        self._make_form()

        self.status_label = QLabel()
        self._reserve_height(self.status_label, "変更あり Modified")
        self.statusBar().addPermanentWidget(self.status_label)

        self._check_timer = QTimer(self, singleShot=True, interval=CHECK_DEBOUNCE_MS)
        self._check_timer.timeout.connect(self.check_now)
        self.watcher = QFileSystemWatcher(self)
        self.watcher.fileChanged.connect(self._file_changed)
        self._recovery = None
        self._make_recovery()

        self.editor.textChanged.connect(self._text_changed)
        self.editor.document().contentsChange.connect(self._contents_changed)
        self.editor.modificationChanged.connect(lambda _m: self._update_title())
        self.editor.topLineChanged.connect(self.preview.scroll_to_line)
        self.post_list.postActivated.connect(lambda info: self.open_post(info.path))
        self.post_list.model.filled.connect(self._freeze_heap)  # and the list's rows
        self.findings_panel.findingActivated.connect(self.goto_finding)
        self.findings_panel.fixRequested.connect(self.apply_fix)
        self.preview.internalLinkClicked.connect(self._internal_link)
        i18n.translators().changed.connect(self._language_changed)

        self._build_actions()
        self.retranslate()
        self.resize(1500, 920)
        self._restore_layout()

    # -- construction -------------------------------------------------------------
    def _dock(self, name: str, widget: QWidget, area) -> QDockWidget:
        dock = QDockWidget(self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self.addDockWidget(area, dock)
        return dock

    @staticmethod
    def _reserve_height(label: QLabel, sample: str) -> None:
        """Keep a label as tall from the start as `sample` makes it. Japanese text
        (a fallback font) is a pixel taller than an empty label: the status bar grew
        when 変更あり appeared on the first keystroke and shrank at a save, and each
        time the whole window was laid out and repainted again (the post list's
        repaint alone ~35 ms: a 60-75 ms stall)."""
        label.setText(sample)
        label.setMinimumHeight(label.sizeHint().height())
        label.setText("")

    def _make_form(self) -> None:
        try:
            from .form import FrontMatterForm
        except ImportError:
            return
        self.form = FrontMatterForm(self, doc_provider=self.current_doc)
        self.form_dock = self._dock("FormDock", self.form, Qt.DockWidgetArea.RightDockWidgetArea)
        self.form.fieldEdited.connect(self._form_edited)

    def _make_recovery(self) -> None:
        try:
            from .recovery import RecoveryStore
        except ImportError:
            return
        self._recovery = RecoveryStore(self)
        self._recovery.attach(self)

    def _action(self, name: str, slot, shortcut=None, checkable: bool = False) -> QAction:
        act = QAction(self)
        act.setObjectName(name)
        if shortcut is not None:
            act.setShortcut(QKeySequence(shortcut))
        act.setCheckable(checkable)
        act.triggered.connect(slot)
        self.actions_by_name[name] = act
        return act

    def _build_actions(self) -> None:
        self.actions_by_name: dict[str, QAction] = {}
        A = self._action
        A("open_site", self.choose_site, QKeySequence.StandardKey.Open)
        A("new_draft", self.new_draft, QKeySequence.StandardKey.New)
        A("save", self.save, QKeySequence.StandardKey.Save)
        A("export_preview", self.export_preview, "Ctrl+Shift+E")
        A("publish", self.publish_current, "Ctrl+Shift+P")
        A("quit", self.close, QKeySequence.StandardKey.Quit)
        A("undo", self._undo, QKeySequence.StandardKey.Undo)
        A("redo", self._redo, QKeySequence.StandardKey.Redo)
        A("find", lambda: self.find_bar.open_bar(False), QKeySequence.StandardKey.Find)
        A("replace", lambda: self.find_bar.open_bar(True), "Ctrl+H")
        A("find_next", self.find_bar.find_next, QKeySequence.StandardKey.FindNext)
        A("find_prev", self.find_bar.find_prev, QKeySequence.StandardKey.FindPrevious)
        A("next_finding", lambda: self.step_finding(True), "F8")
        A("prev_finding", lambda: self.step_finding(False), "Shift+F8")
        A("fix_finding", self.fix_current, "Ctrl+.")
        A("validate_site", self.validate_site, "Ctrl+Shift+V")
        A("about", self.about)
        A("focus_list", lambda: self.post_list.search.setFocus(), "Ctrl+L")
        A("lang_ja", lambda: i18n.switch("ja"), checkable=True)
        A("lang_en", lambda: i18n.switch("en"), checkable=True)
        group = QActionGroup(self)
        group.addAction(self.actions_by_name["lang_ja"])
        group.addAction(self.actions_by_name["lang_en"])

        mb = self.menuBar()
        self.file_menu = mb.addMenu("")
        self.recent_menu = None
        self.edit_menu = mb.addMenu("")
        self.view_menu = mb.addMenu("")
        self.tools_menu = mb.addMenu("")
        self.help_menu = mb.addMenu("")
        n = self.actions_by_name
        for key in ("open_site", None, "new_draft", "save", "export_preview", None, "publish", None):
            self.file_menu.addSeparator() if key is None else self.file_menu.addAction(n[key])
        self.recent_menu = self.file_menu.addMenu("")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self.file_menu.addSeparator()
        self.file_menu.addAction(n["quit"])
        for key in ("undo", "redo", None, "find", "replace", "find_next", "find_prev", None,
                    "next_finding", "prev_finding", "fix_finding"):
            self.edit_menu.addSeparator() if key is None else self.edit_menu.addAction(n[key])
        self.lang_menu = self.view_menu.addMenu("")
        self.lang_menu.addAction(n["lang_ja"])
        self.lang_menu.addAction(n["lang_en"])
        self.view_menu.addSeparator()
        self.view_menu.addAction(self.list_dock.toggleViewAction())
        self.view_menu.addAction(self.findings_dock.toggleViewAction())
        if self.form_dock:
            self.view_menu.addAction(self.form_dock.toggleViewAction())
        self.view_menu.addAction(n["focus_list"])
        self.tools_menu.addAction(n["validate_site"])
        self.help_menu.addAction(n["about"])
        tb = self.addToolBar("")
        tb.setObjectName("MainToolBar")
        tb.setMovable(False)
        for key in ("open_site", "new_draft", "save", None, "validate_site", None, "publish"):
            tb.addSeparator() if key is None else tb.addAction(n[key])
        self.toolbar = tb

    def retranslate(self) -> None:
        n = self.actions_by_name
        texts = {
            "open_site": self.tr("&Open Site…"), "new_draft": self.tr("&New Draft…"), "save": self.tr("&Save"),
            "export_preview": self.tr("&Export Preview HTML…"), "publish": self.tr("&Publish"),
            "quit": self.tr("&Quit"), "undo": self.tr("&Undo"), "redo": self.tr("&Redo"),
            "find": self.tr("&Find…"), "replace": self.tr("Find and &Replace…"),
            "find_next": self.tr("Find &Next"), "find_prev": self.tr("Find Pre&vious"),
            "next_finding": self.tr("Next Finding"), "prev_finding": self.tr("Previous Finding"),
            "fix_finding": self.tr("Apply Fix"), "validate_site": self.tr("&Validate Site…"),
            "about": self.tr("&About PostDesk"), "focus_list": self.tr("Filter Posts"),
            "lang_ja": "日本語", "lang_en": "English",
        }
        for key, text in texts.items():
            n[key].setText(text)
        n["lang_ja"].setChecked(current_lang() == "ja")
        n["lang_en"].setChecked(current_lang() == "en")
        self.file_menu.setTitle(self.tr("&File"))
        self.edit_menu.setTitle(self.tr("&Edit"))
        self.view_menu.setTitle(self.tr("&View"))
        self.tools_menu.setTitle(self.tr("&Tools"))
        self.help_menu.setTitle(self.tr("&Help"))
        self.recent_menu.setTitle(self.tr("Recent &Sites"))
        self.lang_menu.setTitle(self.tr("&Language"))
        self.toolbar.setWindowTitle(self.tr("Toolbar"))
        self.list_dock.setWindowTitle(self.tr("Posts"))
        self.findings_dock.setWindowTitle(self.tr("Findings"))
        if self.form_dock:
            self.form_dock.setWindowTitle(self.tr("Front Matter"))
        self.post_list.retranslate()
        self.findings_panel.retranslate()
        self.find_bar.retranslate()
        self.editor.setPlaceholderText(self.tr("Choose a post in the list on the left, "
                                               "or start one with File → New Draft."))
        if self.form:
            self.form.retranslate()
        self._update_title()

    def changeEvent(self, event) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _language_changed(self, lang: str) -> None:
        self.findings_panel.set_findings(self.findings, lang)
        if self.form:
            self.form.set_findings(self.findings)

    # -- settings -------------------------------------------------------------------
    def _restore_layout(self) -> None:
        s = QSettings()
        geo = s.value("window/geometry")
        if isinstance(geo, QByteArray) and not geo.isEmpty():
            self.restoreGeometry(geo)
        state = s.value("window/state")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)
        else:
            self.resizeDocks([self.list_dock], [LIST_WIDTH], Qt.Orientation.Horizontal)
            if self.form_dock:
                self.resizeDocks([self.form_dock], [FORM_WIDTH], Qt.Orientation.Horizontal)
            self.resizeDocks([self.findings_dock], [FINDINGS_HEIGHT], Qt.Orientation.Vertical)
        sizes = s.value("window/splitter")
        if isinstance(sizes, QByteArray) and not sizes.isEmpty():
            self.splitter.restoreState(sizes)
        if min(self.splitter.sizes() or [0]) < 50:
            total = max(800, sum(self.splitter.sizes()))
            self.splitter.setSizes([total // 2, total - total // 2])

    def show_initial(self) -> None:
        """Maximised on the first run (a small default window wastes the screen on
        four panes); afterwards as the editor left it."""
        geo = QSettings().value("window/geometry")
        if isinstance(geo, QByteArray) and not geo.isEmpty():
            self.show()
        else:  # without a window manager showMaximized does nothing: size it too
            self.setGeometry(self.screen().availableGeometry())
            self.showMaximized()

    def _save_layout(self) -> None:
        s = QSettings()
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        s.setValue("window/splitter", self.splitter.saveState())

    # -- sites ----------------------------------------------------------------------
    def open_initial(self, target: Path | None) -> bool:
        """The site named on the command line (a post named there opens too), else
        the last one, else the sample."""
        if target is not None:
            if Path(target).is_file():
                return self.open_site(Path(target).parent) and self.open_post(Path(target))
            return self.open_site(target)
        last = QSettings().value("sites/last")
        if last and Path(str(last)).is_dir() and self.open_site(Path(str(last))):
            return True
        sample = sample_site()
        if sample is not None:
            return self.open_site(sample)
        return False

    def open_site(self, path: Path) -> bool:
        if not self.maybe_save():
            return False
        path = Path(path)
        if not path.exists():
            self.prompt.error(self.tr("Cannot open site"), self.tr("%1 does not exist.").replace("%1", str(path)))
            return False
        try:
            site = Site.open(path)
        except ConfigError as exc:
            where = f"{exc.file}: " if exc.file else ""
            self.prompt.error(self.tr("Configuration error"),
                              self.tr("The site's configuration has an error and the site was not opened:")
                              + f"\n\n{where}{exc}")
            return False
        self.close_post()
        self._release_heap()
        self.site = site
        self.engine = Engine(site)
        self._start_processes()
        self.post_list.load(site, self.engine)
        self._freeze_heap()  # the window and the site
        if self.form:
            self.form.set_site(site)
        s = QSettings()
        s.setValue("sites/last", str(site.root))
        recent = [str(site.root)] + [r for r in (s.value("sites/recent") or []) if r != str(site.root)]
        s.setValue("sites/recent", recent[:MAX_RECENT])
        self._update_title()
        self.statusBar().showMessage(self.tr("Opened %1").replace("%1", str(site.root)), 4000)
        self.siteOpened.emit(site.root)
        self._reopen_where_left(site)
        return True

    @staticmethod
    def _freeze_heap() -> None:
        """Move the long-lived objects (the window, the site, the list's rows) out of
        the cyclic collector's sight: a full collection walks every tracked object,
        and with them in sight each cost 30-70 ms, holding the GIL, in the list's
        pool threads while a site opened (and would on this thread while typing).
        Frozen objects are still freed by reference counting; the young garbage is
        collected first (a cheap young-generation pass) so little cyclic garbage is
        frozen with them, and _release_heap hands everything back at the next site."""
        gc.collect(1)
        gc.freeze()

    def _release_heap(self) -> None:
        """Before another site is opened, hand the frozen objects back and collect
        once, here, where the editor asked for a new site: cycles among the old
        site's objects are freed instead of staying frozen (tests/ui/test_findings_diff.py)."""
        if gc.get_freeze_count():
            gc.unfreeze()
            gc.collect()

    def _reopen_where_left(self, site: Site) -> None:
        """After a crash, the post with the newest autosave (opening it offers the
        autosave back); otherwise the post last open in this site, where the editor
        left off."""
        pending = self._recovery.pending(site.root) if self._recovery is not None else []
        last = QSettings().value("sites/last_post")
        last = Path(str(last)) if last else None
        if pending:
            self.open_post(pending[0])
        elif last is not None and last.is_file() and site.root in last.parents:
            self.open_post(last)

    def choose_site(self) -> None:
        start = str(self.site.root) if self.site else ""
        path = QFileDialog.getExistingDirectory(self, self.tr("Open Site"), start)
        if path:
            self.open_site(Path(path))

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for r in QSettings().value("sites/recent") or []:
            act = self.recent_menu.addAction(str(r))
            act.triggered.connect(lambda _c=False, p=str(r): self.open_site(Path(p)))
        if self.recent_menu.isEmpty():
            act = self.recent_menu.addAction(self.tr("(none)"))
            act.setEnabled(False)

    def reload_site(self) -> None:
        if self.site is None:
            return
        self.site.refresh()
        self._start_processes()  # the processes' copies of the site are out of date
        self.post_list.load(self.site, self.engine)

    # -- posts ----------------------------------------------------------------------
    @property
    def path(self) -> Path | None:
        return self.base_doc.path if self.base_doc is not None else None

    def is_modified(self) -> bool:
        return self.base_doc is not None and self.editor.document().isModified()

    def current_doc(self) -> Document | None:
        """The Document for the editor's text now. Building one parses the front
        matter, so the last one is kept while neither the text nor the base changed
        (the form's refresh and a check after the same keystroke share it)."""
        if self.base_doc is None:
            return None
        text = self.editor.toPlainText()
        memo = self._doc_memo
        if memo is None or memo[0] is not self.base_doc or memo[1] != text:
            memo = self._doc_memo = (self.base_doc, text, doc_for_text(self.base_doc, text))
            self._front_end = front_matter_end(memo[2])
        return memo[2]

    def open_post(self, path: Path, line: int | None = None) -> bool:
        path = Path(path).resolve()
        if self.path == path:
            if line:
                self.editor.select_lines(line)
            return True
        if not self.maybe_save():
            return False
        try:
            raw = path.read_bytes()
            doc = Document.from_bytes(raw, path)
        except DocumentError as exc:
            self.prompt.error(self.tr("Cannot open the post"), exc.message(current_lang()))
            return False
        except OSError as exc:
            self.prompt.error(self.tr("Cannot open the post"), str(exc))
            return False
        self._load(doc, raw)
        if self._recovery is not None:
            self._recovery.offer(path, doc)
        if line:
            self.editor.select_lines(line)
        self.post_list.select_path(path)
        QSettings().setValue("sites/last_post", str(path))
        self.postOpened.emit(path)
        return True

    def _load(self, doc: Document, raw: bytes) -> None:
        """Show `doc` (as read from disk) in the editor, preview, form and panel."""
        if self.path is not None and self.path != doc.path:
            self.watcher.removePath(str(self.path))
        self.base_doc = doc
        self.disk_bytes = raw
        self.site_info()
        self.editor.blockSignals(True)
        self.editor.set_text(doc.text)
        self.editor.blockSignals(False)
        self._front_end = front_matter_end(doc)
        self.editor.setReadOnly(False)
        self.editor.set_findings([])
        self._watch()
        self.preview.show_document(doc, self.site, immediately=True)
        if self.form:
            self.form.set_document(doc)
        self.findings = []
        self.findings_panel.set_findings([], current_lang())
        self.check_now()
        self._update_title()

    def site_info(self):
        self.info = self.site.info_for(self.base_doc.path) if (self.site and self.base_doc and self.base_doc.path) else None
        return self.info

    def close_post(self) -> None:
        if self.path is not None:
            self.watcher.removePath(str(self.path))
        self.base_doc = None
        self.disk_bytes = None
        self.info = None
        self.editor.blockSignals(True)
        self.editor.set_text("")
        self.editor.blockSignals(False)
        self.editor.setReadOnly(True)
        self.editor.set_findings([])
        self.findings = []
        self.findings_panel.set_findings([])
        self.preview.clear()
        if self.form:
            self.form.set_document(None)
        self._update_title()

    def _watch(self) -> None:
        if self.path is not None and str(self.path) not in self.watcher.files():
            self.watcher.addPath(str(self.path))

    def _update_title(self) -> None:
        parts = []
        if self.base_doc is not None and self.path is not None:
            parts.append(("● " if self.is_modified() else "") + self.path.name)
        if self.site is not None:
            parts.append(self.site.root.name)
        parts.append("PostDesk")
        self.setWindowTitle(" — ".join(parts))
        if hasattr(self, "status_label"):
            self.status_label.setText(self.tr("Modified") if self.is_modified() else "")

    # -- editing and checking ---------------------------------------------------------
    def _text_changed(self) -> None:
        if self.base_doc is None:
            return
        self._check_timer.start()
        self.preview.show_text(self.base_doc, self.editor.toPlainText(), self.site)
        if self._recovery is not None:
            self._recovery.mark_dirty()

    def _contents_changed(self, position: int, removed: int, added: int) -> None:
        """The form re-reads the fields (a parse on this thread) only after an edit
        reaching into the front matter; typing in the body leaves them as they are."""
        if self.base_doc is None or self.editor.signalsBlocked() or position >= self._front_end:
            return  # no post, a whole new text (loaded with its form), or a body edit
        self._front_end += added - removed
        if self.form:
            self.form.schedule_refresh()

    def _start_processes(self) -> None:
        """The check and render processes for the site, each with a fresh copy of it
        (after open_site, and after reload_site changed it)."""
        if self.checker is not None:
            self.checker.close()
        self.checker = CheckProcess(self.engine)
        self.preview.start_renderer(self.site)

    def check_now(self) -> None:
        """Check a snapshot of the editor's text in the check process (a worker
        thread here only waits for the answer)."""
        self._check_timer.stop()
        if self.base_doc is None or self.checker is None:
            return
        self._check_gen += 1
        gen, text = self._check_gen, self.editor.toPlainText()
        index = self.post_list.model.site_index  # PD204 once the list's pass has built it
        future = self.checker.check(self.base_doc, text, self.info, index)
        self.findings_panel.checking = True
        run_in_background(lambda op: future.result(), lambda findings: self._checked(gen, text, findings),
                          self._check_failed, owner=self)

    def _check_failed(self, exc: BaseException) -> None:
        """A check that could not finish: cancelled at close (nothing to say), or the
        check process failed (printed, as any background failure; the next edit
        checks again)."""
        if isinstance(exc, CancelledError):
            return
        self.findings_panel.checking = False
        print_failure(exc)

    def _checked(self, gen: int, text: str, findings: list[Finding]) -> None:
        if gen != self._check_gen:
            return
        self.findings_panel.checking = False
        self.findings = findings
        self.checked_text = text
        self.editor.set_findings(findings)
        self.findings_panel.set_findings(findings, current_lang())
        if self.form:
            self.form.set_findings(findings)
        if self.path is not None:
            self.post_list.model.set_counts(self.path, sum(f.severity == Severity.ERROR for f in findings),
                                            sum(f.severity == Severity.WARNING for f in findings))
        self.findingsUpdated.emit(findings)

    def check_sync(self) -> list[Finding]:
        """The findings for the editor's text now (used where a decision needs them)."""
        doc = self.current_doc()
        if doc is None or self.engine is None:
            return []
        self._check_gen += 1
        findings = self.engine.check_document(doc, self.info, index=self.post_list.model.site_index)
        self._checked(self._check_gen, doc.text, findings)
        return findings

    def goto_finding(self, f: Finding) -> None:
        self.editor.select_lines(f.line, f.last_line, f.col, f.end_col)
        self.preview.scroll_to_line(f.line)

    def step_finding(self, forward: bool = True) -> None:
        line = self.editor.textCursor().blockNumber() + 1
        self.findings_panel.step(forward, after_line=line)

    def fix_current(self) -> None:
        f = self.findings_panel.current_finding()
        if f is not None:
            self.apply_fix(f)

    def apply_fix(self, f: Finding) -> bool:
        """Apply a finding's fix as one undoable edit (re-checking first when the text
        changed since the finding was made, so offsets are right)."""
        if f.fix is None:
            return False
        if self.checked_text != self.editor.toPlainText():
            fresh = self.check_sync()
            same = [g for g in fresh if g.rule == f.rule and g.line == f.line and g.fix is not None]
            if not same:
                self.statusBar().showMessage(self.tr("The finding is gone; nothing to fix."), 4000)
                return False
            f = same[0]
        self.editor.apply_edits(f.fix.edits)
        self.check_now()
        return True

    def _undo(self) -> None:
        """Form edits are editor edits, so one undo history serves both."""
        self.editor.undo()

    def _redo(self) -> None:
        self.editor.redo()

    def _flush_form(self) -> None:
        """Write a field still being typed in before the text is saved or checked."""
        if self.form:
            self.form.flush()

    def _form_edited(self, key: str, value) -> None:
        """The form set a field (None: remove it): the new text goes into the editor
        as one undoable edit that changes only that field's lines."""
        doc = self.current_doc()
        if doc is None:
            return
        try:
            if value is None:
                new = doc.without_field(key)
            elif key == "date" and isinstance(value, str):
                new = set_date(doc, value)
            else:
                new = doc.with_field(key, value)
        except (DocumentError, ValueError) as exc:
            self.statusBar().showMessage(str(exc), 5000)
            return
        self.editor.replace_all_text(new.text)

    def _internal_link(self, url_path: str) -> None:
        if self.site is None:
            return
        target = self.site.resolve_internal(url_path)
        if target is not None and hasattr(target, "draft"):
            self.open_post(target.path)

    # -- saving ---------------------------------------------------------------------
    def save(self) -> bool:
        self._flush_form()
        doc = self.current_doc()
        if doc is None or self.path is None:
            return False
        data = doc.to_bytes()
        f = QSaveFile(str(self.path))
        if not f.open(QSaveFile.OpenModeFlag.WriteOnly):
            self.prompt.error(self.tr("Save failed"), f.errorString())
            return False
        f.write(QByteArray(data))
        if not f.commit():
            self.prompt.error(self.tr("Save failed"), f.errorString())
            return False
        self.base_doc = Document.from_bytes(data, self.path)
        self.disk_bytes = data
        self.editor.document().setModified(False)
        self._watch()
        if self._recovery is not None:
            self._recovery.discard(self.path)
        self._update_title()
        self.statusBar().showMessage(self.tr("Saved %1").replace("%1", self.path.name), 3000)
        self.saved.emit(self.path)
        return True

    def maybe_save(self) -> bool:
        """True when it is fine to leave the current post (saved or discarded)."""
        if not self.is_modified():
            return True
        answer = self.prompt.unsaved_changes(self.path.name if self.path else "")
        if answer == "save":
            return self.save()
        if answer == "discard":
            if self._recovery is not None:
                self._recovery.discard(self.path)
            self.editor.document().setModified(False)
            return True
        return False

    def closeEvent(self, event) -> None:  # noqa: N802
        if not self.maybe_save():
            event.ignore()
            return
        self._save_layout()
        self.post_list.model.cancel()
        if self._recovery is not None:
            self._recovery.stop()
        self._check_gen += 1  # a check still running is for a closed window
        if self.checker is not None:
            self.checker.close()
            self.checker = None
        self.preview.clear()  # stops its debounce and drops a render still running
        self.preview.close()
        event.accept()

    def export_preview(self) -> None:
        doc = self.current_doc()
        if doc is None:
            return
        default = str((self.site.root if self.site else Path.home()) / f"{self.path.stem}.html")
        name, _ = QFileDialog.getSaveFileName(self, self.tr("Export Preview HTML"), default, "HTML (*.html)")
        if name:
            Path(name).write_text(export_page(doc, self.site), encoding="utf-8")
            self.statusBar().showMessage(self.tr("Exported %1").replace("%1", name), 4000)

    # -- external changes ------------------------------------------------------------
    def _file_changed(self, path_str: str) -> None:
        path = Path(path_str)
        if self.path is None or path != self.path:
            return
        try:
            raw = path.read_bytes()
        except OSError:
            self.statusBar().showMessage(self.tr("%1 was removed or renamed on disk.").replace("%1", path.name), 6000)
            return
        finally:
            QTimer.singleShot(0, self._watch)  # an atomic replace drops the watch
        if raw == self.disk_bytes:
            return  # our own save, or no real change
        try:
            theirs = Document.from_bytes(raw, path)
        except DocumentError as exc:
            self.prompt.error(self.tr("The file on disk is no longer readable"), exc.message(current_lang()))
            return
        if not self.is_modified():
            self._reload(theirs, raw)
            self.statusBar().showMessage(self.tr("Reloaded %1 (changed on disk)").replace("%1", path.name), 5000)
            return
        choice = self.prompt.external_change(path.name, self.editor.toPlainText(), theirs.text)
        if choice == "theirs":
            self._reload(theirs, raw)
        else:  # keep mine: the disk version becomes the base, the editor keeps its text
            self.disk_bytes = raw
            self.base_doc = theirs
            self.editor.document().setModified(True)
            self._update_title()

    def _reload(self, doc: Document, raw: bytes) -> None:
        pos = self.editor.textCursor().position()
        scroll = self.editor.verticalScrollBar().value()
        self._load(doc, raw)
        cur = self.editor.textCursor()
        cur.setPosition(min(pos, len(self.editor.toPlainText())))
        self.editor.setTextCursor(cur)
        self.editor.verticalScrollBar().setValue(scroll)
        if self._recovery is not None:
            self._recovery.discard(doc.path)

    # -- drafts, publishing, batch -----------------------------------------------------
    def new_draft(self) -> None:
        if self.site is None or not self.maybe_save():
            return
        answer = self.prompt.new_draft()
        if not answer:
            return
        title, slug = answer
        from .templates import draft_path, draft_text
        path = draft_path(self.site, slug)
        path.parent.mkdir(parents=True, exist_ok=True)
        Document(draft_text(self.site, title)).save(path)
        self.reload_site()
        self.open_post(path)

    def publish_current(self) -> Path | None:
        if self.site is None or self.path is None:
            return None
        from app.core.publish import PublishError, publish, split_findings
        self._flush_form()
        if self.is_modified() and not self.save():
            return None
        findings = self.check_sync()
        errors, warnings = split_findings(findings)
        if errors:
            self.prompt.publish_blocked(errors, current_lang())
            return None
        if warnings and not self.prompt.confirm_warnings(warnings, current_lang()):
            return None
        try:
            new_path = publish(self.site, self.path)
        except PublishError as exc:
            self.prompt.error(self.tr("Publish failed"), exc.message(current_lang()))
            return None
        old = self.path
        self.close_post()
        if self._recovery is not None:
            self._recovery.discard(old)
        self.reload_site()
        self.open_post(new_path)
        self.statusBar().showMessage(self.tr("Published as %1").replace("%1", new_path.name), 6000)
        self.published.emit(new_path)
        return new_path

    def validate_site(self):
        """Tools → Validate site: the batch dialog, opening a finding's post at its
        line on double-click.

        One dialog per window, as a tool window is: asking again brings it to the
        front and, unless a run is going on, checks the site again (the result
        cache makes that quick: only what changed is checked). A dialog left from
        another site is closed and replaced."""
        if self.site is None:
            return None
        from shiboken6 import isValid

        dialog = self._batch if self._batch is not None and isValid(self._batch) else None
        if dialog is not None and dialog.site is self.site:
            dialog.show()
            dialog.raise_()
            dialog.activateWindow()
            if not dialog.running:
                dialog.start()
            return dialog
        if dialog is not None:
            dialog.close()
            dialog.deleteLater()
        from .batch import BatchValidationDialog
        self._batch = BatchValidationDialog(self.site, self.engine, parent=self,
                                            open_location=lambda path, line: self.open_post(Path(path), line))
        self._batch.show()
        return self._batch

    def about(self) -> None:
        from app import __version__
        QMessageBox.about(self, self.tr("About PostDesk"),
                          self.tr("PostDesk %1\n\nAn editorial workstation and pre-publish checker for "
                                  "Japanese Jekyll blogs.").replace("%1", __version__))
