"""The findings panel: the open post's findings in a tree grouped by severity (with
counts), a Fix button, and stepping through findings (F8 / Shift+F8)."""
from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from app.core.findings import Finding, Severity

from .editor import SEVERITY_COLORS

FINDING_ROLE = Qt.ItemDataRole.UserRole + 1
ORDER = (Severity.ERROR, Severity.WARNING, Severity.INFO)


class FindingsModel(QStandardItemModel):
    """Severity groups → findings (message, line, rule). Items are read-only."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.findings: list[Finding] = []
        self.lang = "ja"
        self.setColumnCount(3)

    def _labels(self) -> dict[Severity, str]:
        return {Severity.ERROR: self.tr("Errors"), Severity.WARNING: self.tr("Warnings"),
                Severity.INFO: self.tr("Information")}

    def set_findings(self, findings: list[Finding], lang: str | None = None) -> None:
        if lang:
            self.lang = lang
        self.findings = sorted(findings, key=lambda f: (f.severity.rank, f.line, f.rule))
        self.clear()
        self.setHorizontalHeaderLabels([self.tr("Finding"), self.tr("Line"), self.tr("Rule")])
        labels = self._labels()
        for sev in ORDER:
            group = [f for f in self.findings if f.severity == sev]
            if not group:
                continue
            head = QStandardItem(f"{labels[sev]} ({len(group)})")
            head.setForeground(QBrush(SEVERITY_COLORS[sev]))
            font = head.font()
            font.setBold(True)
            head.setFont(font)
            row = [head, QStandardItem(""), QStandardItem("")]
            for it in row:
                it.setEditable(False)
            for f in group:
                msg = QStandardItem(f.message(self.lang).replace("\n", " "))
                msg.setToolTip(f.message(self.lang))
                line = QStandardItem(str(f.line) if f.last_line == f.line else f"{f.line}–{f.last_line}")
                # (a wrench emoji showed as an empty box without a colour emoji font)
                rule = QStandardItem(f"{f.rule} {f.name}" + (f" · {self.tr('fixable')}" if f.fix else ""))
                for it in (msg, line, rule):
                    it.setEditable(False)
                    it.setData(f, FINDING_ROLE)
                head.appendRow([msg, line, rule])
            self.appendRow(row)

    def finding_at(self, index: QModelIndex) -> Finding | None:
        if not index.isValid():
            return None
        return index.siblingAtColumn(0).data(FINDING_ROLE)

    def index_of(self, finding: Finding) -> QModelIndex:
        for g in range(self.rowCount()):
            head = self.item(g, 0)
            for r in range(head.rowCount()):
                if head.child(r, 0).data(FINDING_ROLE) == finding:
                    return head.child(r, 0).index()
        return QModelIndex()


class FindingsPanel(QWidget):
    """Emits `findingActivated(Finding)` on click and `fixRequested(Finding)`."""

    findingActivated = Signal(object)
    fixRequested = Signal(object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.model = FindingsModel(self)
        self.view = QTreeView()
        self.view.setModel(self.model)
        self.view.setUniformRowHeights(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.summary = QLabel()
        self.fix_btn = QPushButton()
        self.fix_btn.setEnabled(False)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.fix_btn)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.addLayout(top)
        lay.addWidget(self.view)
        self.view.clicked.connect(self._clicked)
        self.view.activated.connect(self._clicked)
        self.view.selectionModel().currentChanged.connect(self._current_changed)
        self.fix_btn.clicked.connect(self._fix_clicked)
        self.checking = False
        self.retranslate()

    def retranslate(self) -> None:
        self.fix_btn.setText(self.tr("Fix"))
        self.fix_btn.setToolTip(self.tr("Apply the selected finding's fix (one undoable edit)"))
        self.set_findings(self.model.findings)

    def set_findings(self, findings: list[Finding], lang: str | None = None) -> None:
        current = self.current_finding()
        self.model.set_findings(findings, lang)
        self.view.expandAll()
        h = self.view.header()
        h.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        h.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        h.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        h.setStretchLastSection(False)
        counts = {s: sum(1 for f in findings if f.severity == s) for s in ORDER}
        if findings:
            self.summary.setText(self.tr("%1 errors, %2 warnings, %3 notes")
                                 .replace("%1", str(counts[Severity.ERROR]))
                                 .replace("%2", str(counts[Severity.WARNING]))
                                 .replace("%3", str(counts[Severity.INFO])))
        else:
            self.summary.setText(self.tr("No findings"))
        if current is not None:
            idx = self.model.index_of(current)
            if idx.isValid():
                self.view.setCurrentIndex(idx)
        self._update_fix_button()

    def current_finding(self) -> Finding | None:
        return self.model.finding_at(self.view.currentIndex())

    def _current_changed(self, *_):
        self._update_fix_button()

    def _update_fix_button(self) -> None:
        f = self.current_finding()
        self.fix_btn.setEnabled(f is not None and f.fix is not None)
        if f is not None and f.fix is not None:
            self.fix_btn.setToolTip(f.fix.title(self.model.lang))

    def _clicked(self, index) -> None:
        f = self.model.finding_at(index)
        if f is not None:
            self.findingActivated.emit(f)

    def _fix_clicked(self) -> None:
        f = self.current_finding()
        if f is not None and f.fix is not None:
            self.fixRequested.emit(f)

    def select(self, finding: Finding) -> None:
        idx = self.model.index_of(finding)
        if idx.isValid():
            self.view.setCurrentIndex(idx)
            self.view.scrollTo(idx)

    def step(self, forward: bool = True, after_line: int | None = None) -> Finding | None:
        """The next (or previous) finding in line order, wrapping; selected."""
        ordered = sorted(self.model.findings, key=Finding.sort_key)
        if not ordered:
            return None
        cur = self.current_finding()
        if cur in ordered:
            i = ordered.index(cur)
            f = ordered[(i + (1 if forward else -1)) % len(ordered)]
        elif after_line is not None:
            nxt = [f for f in ordered if (f.line > after_line if forward else f.line < after_line)]
            f = (nxt[0] if forward else nxt[-1]) if nxt else (ordered[0] if forward else ordered[-1])
        else:
            f = ordered[0] if forward else ordered[-1]
        self.select(f)
        self.findingActivated.emit(f)
        return f
