"""The findings panel: the open post's findings in a tree grouped by severity (with
counts), a Fix button, and stepping through findings (F8 / Shift+F8)."""
from __future__ import annotations

from difflib import SequenceMatcher

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


def set_if_changed(item: QStandardItem, text: str) -> None:
    """Set an item's text only when it differs (each set repaints its row)."""
    if item.text() != text:
        item.setText(text)


class FindingsModel(QStandardItemModel):
    """Severity groups → findings (message, line, rule). Items are read-only.

    A new set of findings is shown by difference: rows whose finding is still there
    (the same rule, message and fixability, in the same order) stay and only the
    cells that changed are set; vanished rows are removed and new ones inserted. A
    check after a keystroke mostly changes nothing but positions, and rebuilding the
    whole tree each time (clear, refill, expand all, relayout, repaint, the scroll
    bar hidden and shown again) cost the window ~10 ms per check on the long post.
    The rows end up exactly as a rebuild gives them (tests/ui/test_findings_diff.py)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.findings: list[Finding] = []
        self.lang = "ja"
        self._shown: dict[Severity, list[Finding]] = {}  # what each group's rows show, in order
        self.setColumnCount(3)

    def _labels(self) -> dict[Severity, str]:
        return {Severity.ERROR: self.tr("Errors"), Severity.WARNING: self.tr("Warnings"),
                Severity.INFO: self.tr("Information")}

    def _cells(self, f: Finding) -> tuple[str, str, str, str]:
        """(message, its tooltip, line, rule) as a row shows them."""
        line = str(f.line) if f.last_line == f.line else f"{f.line}–{f.last_line}"
        # (a wrench emoji showed as an empty box without a colour emoji font)
        rule = f"{f.rule} {f.name}" + (f" · {self.tr('fixable')}" if f.fix else "")
        return f.message(self.lang).replace("\n", " "), f.message(self.lang), line, rule

    def _row_key(self, f: Finding) -> tuple:
        """What makes a row the same row across checks: not its position."""
        return f.rule, f.message(self.lang), f.fix is not None

    def set_findings(self, findings: list[Finding], lang: str | None = None) -> None:
        if lang:
            self.lang = lang
        self.findings = sorted(findings, key=lambda f: (f.severity.rank, f.line, f.rule))
        headers = [self.tr("Finding"), self.tr("Line"), self.tr("Rule")]
        if [self.headerData(c, Qt.Orientation.Horizontal) for c in range(3)] != headers:
            self.setHorizontalHeaderLabels(headers)
        labels = self._labels()
        for sev in ORDER:
            group = [f for f in self.findings if f.severity == sev]
            head = self._head(sev, create=bool(group))
            if head is None:
                continue
            if not group:
                self.removeRow(head.row())
                del self._shown[sev]
                continue
            set_if_changed(head, f"{labels[sev]} ({len(group)})")
            self._sync_rows(head, self._shown[sev], group)
            self._shown[sev] = group

    def _head(self, sev: Severity, create: bool) -> QStandardItem | None:
        """The group's head row (made, in ORDER's place, when `create` and missing)."""
        if sev in self._shown:
            return self.item(sum(1 for s in ORDER[:ORDER.index(sev)] if s in self._shown), 0)
        if not create:
            return None
        head = QStandardItem()
        head.setForeground(QBrush(SEVERITY_COLORS[sev]))
        font = head.font()
        font.setBold(True)
        head.setFont(font)
        row = [head, QStandardItem(""), QStandardItem("")]
        for it in row:
            it.setEditable(False)
        self.insertRow(sum(1 for s in ORDER[:ORDER.index(sev)] if s in self._shown), row)
        self._shown[sev] = []
        return head

    def _sync_rows(self, head: QStandardItem, old: list[Finding], new: list[Finding]) -> None:
        """Turn the head's rows for `old` into rows for `new` with the fewest row
        removals and insertions (difflib's matching of the rows' keys); kept rows get
        their changed cells and their new finding. Worked from the end so the row
        numbers of what is still to do stay valid."""
        matcher = SequenceMatcher(None, [self._row_key(f) for f in old], [self._row_key(f) for f in new],
                                  autojunk=False)
        for op, a1, a2, b1, b2 in reversed(matcher.get_opcodes()):
            if op == "equal":
                for r, f in zip(range(a1, a2), new[b1:b2]):
                    self._update_row(head, r, f, moved=old[r] != f)
                continue
            if a2 > a1:
                head.removeRows(a1, a2 - a1)
            for r, f in zip(range(a1, a1 + b2 - b1), new[b1:b2]):
                head.insertRow(r, self._new_row(f))

    def _new_row(self, f: Finding) -> list[QStandardItem]:
        msg, tip, line, rule = self._cells(f)
        items = [QStandardItem(msg), QStandardItem(line), QStandardItem(rule)]
        items[0].setToolTip(tip)
        for it in items:
            it.setEditable(False)
            it.setData(f, FINDING_ROLE)
        return items

    def _update_row(self, head: QStandardItem, r: int, f: Finding, moved: bool) -> None:
        """A kept row shows `f`: its texts where they differ (a new line number, or
        every text after a language switch), and `f` itself when it is not equal to
        the finding the row held (`moved`)."""
        msg, tip, line, rule = self._cells(f)
        items = [head.child(r, c) for c in range(3)]
        for it, text in zip(items, (msg, line, rule)):
            set_if_changed(it, text)
            if moved:
                it.setData(f, FINDING_ROLE)
        if items[0].toolTip() != tip:
            items[0].setToolTip(tip)

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
        for g in range(self.model.rowCount()):  # new groups open; open ones are left alone
            self.view.expand(self.model.index(g, 0))
        h = self.view.header()
        if h.sectionResizeMode(0) != QHeaderView.ResizeMode.Stretch:  # once (the header exists by now)
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
        self._keep_current(current)
        self._update_fix_button()

    def _keep_current(self, current: Finding | None) -> None:
        """The selected finding stays selected while an equal one is shown; otherwise
        nothing is (as when the tree was rebuilt; a row kept by the update whose
        finding moved is not the same finding any more)."""
        idx = self.model.index_of(current) if current is not None else QModelIndex()
        if idx.isValid():
            if idx != self.view.currentIndex():
                self.view.setCurrentIndex(idx)
        elif self.view.currentIndex().isValid() or self.view.selectionModel().hasSelection():
            self.view.selectionModel().clear()

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
