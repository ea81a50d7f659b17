"""Tools → Validate site: the whole site checked in the background, then every finding.

`BatchValidationDialog(site, engine, parent, open_location)`, once shown (or
`start()`ed), runs `Engine.check_site` in a worker (app.ui.workers, the global QThreadPool) with an
in-dialog progress bar and Cancel (the engine polls `cancelled`; a cancelled run
keeps the results it has). The results are a table model (file, line, rule,
severity, message) behind a filter proxy (rule, severity); a double-click calls
`open_location(path, line)`. Exports: HTML and CSV here, JSON through
app.core.reports' own renderer, so the window's JSON is the CLI's JSON.

The export writers are plain functions over a `Report` (no Qt), one row source for
all of them (`finding_rows`), so HTML, CSV and the table never disagree.
"""
from __future__ import annotations

import csv
import html
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QStyledItemDelegate,
    QTableView,
    QVBoxLayout,
)

from app import __version__
from app.core.engine import FileResult, iter_findings
from app.core.findings import Severity
from app.core.reports import Report, one_line, renderer

from .i18n import current_lang
from .workers import run_in_background

SEVERITY_COLOURS = {Severity.ERROR: "#c62828", Severity.WARNING: "#b26a00", Severity.INFO: "#1565c0"}
EXPORT_FORMATS = ("html", "csv", "json")
ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the FindingRow of a row
SORT_ROLE = Qt.ItemDataRole.UserRole + 2  # numbers sort as numbers, severities by rank


# -- rows and exports (Qt-free) ---------------------------------------------------------
@dataclass(frozen=True)
class FindingRow:
    """One finding as the table and every export show it."""

    path: Path
    rel: str
    line: int
    rule: str
    name: str
    severity: Severity
    message: str


def finding_rows(results: Iterable[FileResult], lang: str) -> list[FindingRow]:
    """Every finding of `results` in the engine's order (file, then line), with its
    message on one line in `lang`."""
    return [FindingRow(r.path, r.rel, f.line, f.rule, f.name, f.severity, one_line(f.message(lang)))
            for r, f in iter_findings(results)]


CSV_HEADER = ("file", "line", "rule", "name", "severity", "message")


def render_csv(report: Report) -> str:
    """RFC 4180 CSV (CRLF rows, quoted as needed), UTF-8: one row per finding."""
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(CSV_HEADER)
    for row in finding_rows(report.results, report.lang):
        w.writerow((row.rel, row.line, row.rule, row.name, row.severity.value, row.message))
    return out.getvalue()


_HTML_LABELS = {
    "ja": {"title": "PostDesk 検証レポート", "site": "サイト", "files": "ファイル", "errors": "エラー",
           "warnings": "警告", "infos": "情報", "file": "ファイル", "line": "行", "rule": "ルール",
           "severity": "重大度", "message": "メッセージ", "none": "指摘はありません。",
           Severity.ERROR: "エラー", Severity.WARNING: "警告", Severity.INFO: "情報"},
    "en": {"title": "PostDesk validation report", "site": "Site", "files": "Files", "errors": "Errors",
           "warnings": "Warnings", "infos": "Information", "file": "File", "line": "Line", "rule": "Rule",
           "severity": "Severity", "message": "Message", "none": "No findings.",
           Severity.ERROR: "Error", Severity.WARNING: "Warning", Severity.INFO: "Information"},
}


def render_html(report: Report) -> str:
    """A self-contained HTML page (inline style, no script) in the report's language:
    a summary, then one table row per finding."""
    t = _HTML_LABELS["en" if report.lang == "en" else "ja"]
    e = html.escape
    s = report.summary
    rows = "".join(
        f'<tr class="{row.severity.value}"><td>{e(row.rel)}</td><td class="num">{row.line}</td>'
        f'<td><span class="code">{e(row.rule)}</span> <span class="name">{e(row.name)}</span></td>'
        f'<td class="sev">{e(t[row.severity])}</td><td>{e(row.message)}</td></tr>\n'
        for row in finding_rows(report.results, report.lang))
    table = (f"<table>\n<thead><tr><th>{t['file']}</th><th>{t['line']}</th><th>{t['rule']}</th>"
             f"<th>{t['severity']}</th><th>{t['message']}</th></tr></thead>\n<tbody>\n{rows}</tbody>\n</table>"
             if rows else f"<p>{t['none']}</p>")
    style = ("body{font-family:'Hiragino Sans','Yu Gothic',Meiryo,'Noto Sans CJK JP',sans-serif;margin:2em;"
             "color:#1f2328}table{border-collapse:collapse;width:100%}th,td{border:1px solid #d8dee4;"
             "padding:.3em .5em;text-align:left;vertical-align:top}td.num{text-align:right}"
             "th,td.num,td.sev,.code{white-space:nowrap}"
             ".name{color:#59636e;font-size:.9em}"
             + "".join(f"tr.{sev.value} td.sev{{color:{c};font-weight:bold}}" for sev, c in SEVERITY_COLOURS.items()))
    return (f'<!DOCTYPE html>\n<html lang="{"en" if report.lang == "en" else "ja"}">\n<head>\n<meta charset="utf-8">\n'
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
            f"<title>{t['title']}</title>\n<style>{style}</style>\n</head>\n<body>\n<h1>{t['title']}</h1>\n"
            f"<p>{t['site']}: {e(str(report.site_root))} — PostDesk {e(report.version)}</p>\n"
            f"<p>{t['files']}: {s['files']} / {t['errors']}: {s['errors']} / {t['warnings']}: {s['warnings']}"
            f" / {t['infos']}: {s['infos']}</p>\n{table}\n</body>\n</html>\n")


def render_report(report: Report, fmt: str) -> str:
    """The text of `report` in one of EXPORT_FORMATS (JSON is the CLI's renderer)."""
    if fmt == "html":
        return render_html(report)
    if fmt == "csv":
        return render_csv(report)
    if fmt == "json":
        return renderer("json")(report)
    raise ValueError(f"unknown export format {fmt!r} (choose from {', '.join(EXPORT_FORMATS)})")


# -- model / view -----------------------------------------------------------------------
class ResultsModel(QAbstractTableModel):
    """The findings of a run as rows: file, line, rule, severity, message."""

    COLUMNS = ("file", "line", "rule", "severity", "message")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.results: list[FileResult] = []
        self.rows: list[FindingRow] = []
        self.lang = "ja"

    def set_results(self, results: list[FileResult], lang: str) -> None:
        self.beginResetModel()
        self.results, self.lang = list(results), lang
        self.rows = finding_rows(self.results, lang)
        self.endResetModel()

    def relabel(self, lang: str) -> None:
        """Messages and headers in another language (after a language switch)."""
        self.set_results(self.results, lang)
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.COLUMNS) - 1)

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return self.column_titles()[section]

    def column_titles(self) -> list[str]:
        return [self.tr("File"), self.tr("Line"), self.tr("Rule"), self.tr("Severity"), self.tr("Message")]

    def severity_label(self, sev: Severity) -> str:
        return {Severity.ERROR: self.tr("Error"), Severity.WARNING: self.tr("Warning"),
                Severity.INFO: self.tr("Information")}[sev]

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        col = self.COLUMNS[index.column()]
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.DisplayRole:
            return {"file": row.rel, "line": row.line, "rule": f"{row.rule} {row.name}",
                    "severity": self.severity_label(row.severity), "message": row.message}[col]
        if role == SORT_ROLE:
            return {"file": row.rel, "line": row.line, "rule": row.rule,
                    "severity": row.severity.rank, "message": row.message}[col]
        if role == Qt.ItemDataRole.ToolTipRole and col == "message":
            return row.message
        if role == Qt.ItemDataRole.ForegroundRole and col == "severity":
            return QBrush(QColor(SEVERITY_COLOURS[row.severity]))
        return None

    def rules(self) -> list[str]:
        """The rule codes present, sorted (for the rule filter)."""
        return sorted({r.rule for r in self.rows})


class ResultsFilter(QSortFilterProxyModel):
    """Rows of one rule and/or one severity (None: all)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rule: str | None = None
        self.severity: Severity | None = None
        self.setSortRole(SORT_ROLE)

    def set_filter(self, rule: str | None = None, severity: Severity | None = None) -> None:
        self.beginFilterChange()
        self.rule, self.severity = rule, severity
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex) -> bool:  # noqa: N802
        row = self.sourceModel().rows[source_row]
        return ((self.rule is None or row.rule == self.rule)
                and (self.severity is None or row.severity == self.severity))


# -- the dialog -------------------------------------------------------------------------
class _ElideMiddle(QStyledItemDelegate):
    """File names differ at their end (the slug): elide their middle instead."""

    def initStyleOption(self, option, index) -> None:  # noqa: N802
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideMiddle


class BatchValidationDialog(QDialog):
    """Validate the whole site: progress and Cancel, then the filterable findings."""

    progressed = Signal(int, int)  # done, total
    completed = Signal(list)  # the FileResults (fewer than the site's posts when cancelled)
    openRequested = Signal(object, int)  # path, line

    def __init__(self, site, engine, parent=None, open_location: Callable[[Path, int], object] | None = None):
        super().__init__(parent)
        self.setObjectName("BatchValidationDialog")
        self.site, self.engine = site, engine
        self.open_location = open_location
        self.op = None
        self.total = 0
        self.was_cancelled = False
        self.running = False
        self.started = False  # a run was started (the first show starts one)
        self.model = ResultsModel(self)
        self.proxy = ResultsFilter(self)
        self.proxy.setSourceModel(self.model)
        self._build()
        self.retranslate()
        self.resize(960, 560)

    def _build(self) -> None:
        self.status = QLabel()
        self.bar = QProgressBar()
        self.cancel_btn = QPushButton()
        self.cancel_btn.clicked.connect(self.cancel)
        self.rule_box = QComboBox()
        self.severity_box = QComboBox()
        self.rule_label, self.severity_label = QLabel(), QLabel()
        self.rule_box.currentIndexChanged.connect(self._apply_filter)
        self.severity_box.currentIndexChanged.connect(self._apply_filter)
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the engine's order until a click
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        self.view.setItemDelegateForColumn(0, _ElideMiddle(self.view))
        h = self.view.horizontalHeader()
        for col in range(1, len(ResultsModel.COLUMNS) - 1):
            h.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        h.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        h.resizeSection(0, 260)  # the message gets the room; a file name elides in the middle
        h.setSectionResizeMode(len(ResultsModel.COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.view.doubleClicked.connect(self._open)
        self.export_btns = {fmt: QPushButton() for fmt in EXPORT_FORMATS}
        for fmt, btn in self.export_btns.items():
            btn.setEnabled(False)
            btn.clicked.connect(lambda _=False, f=fmt: self.export_dialog(f))
        self.close_btn = QPushButton()
        self.close_btn.clicked.connect(self.close)

        top = QHBoxLayout()
        top.addWidget(self.status, 1)
        top.addWidget(self.bar, 1)
        top.addWidget(self.cancel_btn)
        filters = QHBoxLayout()
        for label, box in ((self.rule_label, self.rule_box), (self.severity_label, self.severity_box)):
            label.setBuddy(box)
            filters.addWidget(label)
            filters.addWidget(box)
        filters.addStretch(1)
        bottom = QHBoxLayout()
        for btn in self.export_btns.values():
            bottom.addWidget(btn)
        bottom.addStretch(1)
        bottom.addWidget(self.close_btn)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addLayout(filters)
        lay.addWidget(self.view, 1)
        lay.addLayout(bottom)

    # -- running ----------------------------------------------------------------------
    def showEvent(self, event) -> None:  # noqa: N802
        """The first show starts the run (the window just shows the dialog)."""
        super().showEvent(event)
        if not self.started:
            self.start()

    def start(self) -> None:
        """Show the dialog and check every post and draft in the background."""
        if self.running:
            return
        self.started = self.running = True
        self.was_cancelled = False
        self.total = len(self.site.all_posts) if self.site is not None else 0
        self.bar.setRange(0, max(self.total, 1))
        self.bar.setValue(0)
        self.bar.show()
        self.cancel_btn.setEnabled(True)
        self.cancel_btn.show()
        for btn in self.export_btns.values():
            btn.setEnabled(False)
        self._set_status(self.tr("Checking %1 files…").replace("%1", str(self.total)))
        self.show()
        engine = self.engine

        def work(op):
            # The result cache the post list and `postdesk check` fill: a post
            # unchanged since its last check is not checked again (the results are
            # the same either way; tests/core/test_cache.py).
            from .post_list import site_cache
            cache = site_cache(engine)
            try:
                return engine.check_site(progress=lambda done, total, _res: op.report((done, total)),
                                         cancelled=op.cancelled, cache=cache)
            finally:
                if cache is not None:
                    cache.close()

        self.op = run_in_background(work, self._if_alive(self._done), self._if_alive(self._failed),
                                    self._if_alive(self._progress))
        self.destroyed.connect(self.op.cancel)  # deleted with its window: stop checking

    def _if_alive(self, method):
        """`method`, skipped once the dialog's C++ side is gone (the window closed
        while the worker was still finishing the post it had begun)."""
        from shiboken6 import isValid

        def call(value):
            if isValid(self):
                method(value)
        return call

    def cancel(self) -> None:
        """Stop after the file being checked; the results so far are kept."""
        if self.op is not None and self.running:
            self.was_cancelled = True
            self.op.cancel()
            self.cancel_btn.setEnabled(False)
            self._set_status(self.tr("Cancelling…"))

    def _progress(self, value) -> None:
        done, total = value
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
        self._set_status(self.tr("Checked %1 of %2 files").replace("%1", str(done)).replace("%2", str(total)))
        self.progressed.emit(done, total)

    def _done(self, results: list[FileResult]) -> None:
        self.running, self.op = False, None
        self.model.set_results(results, current_lang())
        self._fill_rule_box()
        self.cancel_btn.hide()
        self.bar.hide()
        for btn in self.export_btns.values():
            btn.setEnabled(True)
        self._set_status(self._summary_text())
        self.completed.emit(results)

    def _failed(self, exc: BaseException) -> None:
        self.running, self.op = False, None
        self.cancel_btn.hide()
        self.bar.hide()
        self._set_status(self.tr("Validation failed: %1").replace("%1", str(exc)))
        self.completed.emit([])

    def _set_status(self, text: str) -> None:
        self.status.setText(text)

    def _summary_text(self) -> str:
        s = Report(self.model.results, self.site.root).summary
        text = (self.tr("%1 files: %2 errors, %3 warnings, %4 information")
                .replace("%1", str(s["files"])).replace("%2", str(s["errors"]))
                .replace("%3", str(s["warnings"])).replace("%4", str(s["infos"])))
        if self.was_cancelled:
            text = self.tr("Cancelled after %1 of %2 files.").replace("%1", str(s["files"])).replace(
                "%2", str(self.total)) + " " + text
        return text

    # -- filtering and opening ----------------------------------------------------------
    def _fill_rule_box(self) -> None:
        keep = self.rule_box.currentData()
        self.rule_box.blockSignals(True)
        self.rule_box.clear()
        self.rule_box.addItem(self.tr("All rules"), None)
        names = {row.rule: row.name for row in self.model.rows}
        for code in self.model.rules():
            self.rule_box.addItem(f"{code} {names[code]}", code)
        self.rule_box.setCurrentIndex(max(0, self.rule_box.findData(keep)) if keep else 0)
        self.rule_box.blockSignals(False)
        self._apply_filter()

    def _fill_severity_box(self) -> None:
        keep = self.severity_box.currentData()
        self.severity_box.blockSignals(True)
        self.severity_box.clear()
        self.severity_box.addItem(self.tr("All severities"), None)
        for sev in (Severity.ERROR, Severity.WARNING, Severity.INFO):
            self.severity_box.addItem(self.model.severity_label(sev), sev.value)
        self.severity_box.setCurrentIndex(max(0, self.severity_box.findData(keep)) if keep else 0)
        self.severity_box.blockSignals(False)

    def set_filter(self, rule: str | None = None, severity: Severity | str | None = None) -> None:
        """Select a rule and a severity in the filter boxes (None: all)."""
        sev = Severity.parse(severity).value if severity else None
        self.rule_box.setCurrentIndex(max(0, self.rule_box.findData(rule)) if rule else 0)
        self.severity_box.setCurrentIndex(max(0, self.severity_box.findData(sev)) if sev else 0)
        self._apply_filter()

    def _apply_filter(self) -> None:
        sev = self.severity_box.currentData()
        self.proxy.set_filter(self.rule_box.currentData(), Severity.parse(sev) if sev else None)

    def visible_rows(self) -> list[FindingRow]:
        """The rows the table shows, in its order."""
        return [self.proxy.index(r, 0).data(ROW_ROLE) for r in range(self.proxy.rowCount())]

    def _open(self, index: QModelIndex) -> None:
        row: FindingRow = index.siblingAtColumn(0).data(ROW_ROLE)
        if row is None:
            return
        if self.open_location is not None:
            self.open_location(row.path, row.line)
        self.openRequested.emit(row.path, row.line)

    # -- export -------------------------------------------------------------------------
    def report(self) -> Report:
        """The run as a core Report (every finding, whatever the filters show)."""
        return Report(self.model.results, self.site.root, current_lang(), __version__)

    def export(self, path: Path, fmt: str) -> Path:
        """Write the report to `path` in `fmt` (UTF-8, atomically)."""
        from PySide6.QtCore import QSaveFile
        data = render_report(self.report(), fmt).encode("utf-8")
        f = QSaveFile(str(path))
        if not f.open(QSaveFile.OpenModeFlag.WriteOnly) or f.write(data) != len(data) or not f.commit():
            raise OSError(f.errorString())
        return Path(path)

    def export_dialog(self, fmt: str) -> Path | None:
        """Ask where, then export (errors are shown in the status line)."""
        filters = {"html": "HTML (*.html)", "csv": "CSV (*.csv)", "json": "JSON (*.json)"}
        default = str(self.site.root / f"postdesk-report.{fmt}")
        name, _ = QFileDialog.getSaveFileName(self, self.tr("Export Report"), default, filters[fmt])
        if not name:
            return None
        try:
            path = self.export(Path(name), fmt)
        except OSError as exc:
            self._set_status(self.tr("Could not export: %1").replace("%1", str(exc)))
            return None
        self._set_status(self.tr("Exported to %1").replace("%1", str(path)))
        return path

    # -- language -----------------------------------------------------------------------
    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Validate Site"))
        self.cancel_btn.setText(self.tr("Cancel"))
        self.close_btn.setText(self.tr("Close"))
        self.rule_label.setText(self.tr("&Rule:"))
        self.severity_label.setText(self.tr("&Severity:"))
        labels = {"html": self.tr("Export &HTML…"), "csv": self.tr("Export &CSV…"), "json": self.tr("Export &JSON…")}
        for fmt, btn in self.export_btns.items():
            btn.setText(labels[fmt])
        self._fill_severity_box()
        if self.model.results or not self.running:
            self.model.relabel(current_lang())
            self._fill_rule_box()
        if not self.running and self.model.results:
            self._set_status(self._summary_text())

    def changeEvent(self, event) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def closeEvent(self, event) -> None:  # noqa: N802
        self.cancel()
        super().closeEvent(event)
