"""The post list: a table model over the site's posts and drafts, a filter proxy
(fuzzy text, category, status, only posts with errors) and the widget holding both.

Rows appear at once from the file listing; titles, categories, dates and error /
warning counts fill in as a background pass reads and checks each post."""
from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from rapidfuzz import fuzz

from app.core.findings import Severity
from app.core.site import PostInfo

from .pipe_worker import process_context
from .post_rows import PostRow, blank_row, read_row, read_rows  # noqa: F401  (read_row: this module's API)
from .workers import Op, run_in_background

COL_STATUS, COL_DATE, COL_TITLE, COL_CATEGORY, COL_ERRORS, COL_WARNINGS = range(6)
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2
FUZZY_THRESHOLD = 70
CHUNK = 25
PARALLEL_ROWS = 200  # below this many posts, reading rows here beats starting processes


def counts(findings) -> tuple[int, int]:
    """(errors, warnings) among findings."""
    return (sum(1 for f in findings if f.severity == Severity.ERROR),
            sum(1 for f in findings if f.severity == Severity.WARNING))


def site_cache(engine):
    """The site's result cache, shared with `postdesk check` (`<site>/.postdesk-cache/`):
    a post unchanged since the last check, here or on the command line, is not checked
    again. Opened in the worker (an SQLite connection stays in its thread); None when
    there is no site."""
    if engine.site is None:
        return None
    from app.core.cache import ResultCache
    return ResultCache.for_site(engine.site, engine.config, [r.code for r in engine.rules])


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def fill_rows(op: Op, infos: list[PostInfo]):
    """Every row's metadata (title, category, date), a chunk at a time. Reading a
    front matter is a YAML parse, ~4 ms of Python: 20 s for 5,000 posts, which in
    this process would hold the interpreter lock the window needs. So a site of
    PARALLEL_ROWS posts or more is read in worker processes (the rows are the same:
    the same `read_row` runs there). Returns True, or None when cancelled."""
    chunks = [infos[k:k + CHUNK] for k in range(0, len(infos), CHUNK)]
    if len(infos) < PARALLEL_ROWS:
        for chunk in chunks:
            if op.cancelled():
                return None
            op.report(("rows", read_rows(chunk)))
        return True
    with ProcessPoolExecutor(min(_cores(), len(chunks)), mp_context=process_context()) as pool:
        futures = [pool.submit(read_rows, chunk) for chunk in chunks]
        try:
            for future in futures:  # in order: the list fills from the top
                if op.cancelled():
                    return None
                op.report(("rows", future.result()))
        finally:
            for future in futures:
                future.cancel()
    return True


def fill_counts(op: Op, infos: list[PostInfo], engine):
    """Every row's counts from `Engine.check_site`, the same check as `postdesk
    check` on the site (so PD204's near-duplicate posts count too), in the engine's
    worker processes and through the site's result cache: on a second open the
    counts of unchanged posts come from the cache at once. Returns (final counts per
    path, the site's similarity index for checking the open post), or None when
    cancelled."""
    if engine is None:
        return {}, None
    pending: list = []

    def progress(_done, _total, res) -> None:
        pending.append((res.path, *counts(res.findings)))
        if len(pending) >= CHUNK:
            op.report(("counts", pending[:]))
            pending.clear()

    cache = site_cache(engine)
    try:
        results = engine.check_site([i.path for i in infos], progress=progress, cancelled=op.cancelled,
                                    jobs=None, cache=cache)
    finally:
        if cache is not None:
            cache.close()
    if op.cancelled():
        return None
    if pending:
        op.report(("counts", pending[:]))
    index = (engine.site_index or engine.build_index(results)) if engine.site_rules else None
    return {Path(r.path): counts(r.findings) for r in results}, index


class PostListModel(QAbstractTableModel):
    """One row per post or draft. `load(site, engine)` lists at once and fills in the
    details in the background (`filled` is emitted when every row is done).
    `site_index` is the similarity index of the last complete pass (for PD204 on the
    open post), None before."""

    filled = Signal()
    rowUpdated = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[PostRow] = []
        self._index: dict[Path, int] = {}
        self._ops: list[Op] = []
        self._generation = 0  # reports of an earlier load are dropped
        self._unfinished = 0
        self.site_index = None

    # -- loading ---------------------------------------------------------------
    def load(self, site, engine) -> None:
        """List every post at once; the rows' details and the counts fill in from two
        background passes running side by side (so cached counts do not wait for
        the rows, nor the rows for a long check)."""
        self.cancel()
        gen = self._generation
        self.beginResetModel()
        self.rows = [blank_row(i) for i in site.all_posts]
        self._index = {r.info.path: n for n, r in enumerate(self.rows)}
        self.endResetModel()
        infos = [r.info for r in self.rows]
        self._unfinished = 2
        self._ops = [
            run_in_background(lambda op: fill_rows(op, infos), lambda r: self._done(gen, r, None), None,
                              lambda report: self._merge(gen, report), owner=self),
            run_in_background(lambda op: fill_counts(op, infos, engine), lambda r: self._done(gen, True, r),
                              None, lambda report: self._merge(gen, report), owner=self),
        ]

    def cancel(self) -> None:
        """Stop the passes; whatever they still report is dropped."""
        self._generation += 1
        for op in self._ops:
            op.cancel()

    def _merge(self, gen: int, report) -> None:
        if gen != self._generation:
            return
        kind, batch = report
        if kind == "rows":
            for row in batch:
                n = self._index.get(row.info.path)
                if n is None:
                    continue
                old = self.rows[n]
                row.errors, row.warnings = old.errors, old.warnings  # the counts may have come first
                self.rows[n] = row
                self.dataChanged.emit(self.index(n, 0), self.index(n, self.columnCount() - 1))
        else:
            for path, errors, warnings in batch:
                self.set_counts(path, errors, warnings)

    def _done(self, gen: int, rows_result, counts_result) -> None:
        """One pass finished (None: cancelled); `filled` once both have."""
        if gen != self._generation or rows_result is None:
            return
        if counts_result is not None:
            final, self.site_index = counts_result
            for path, (errors, warnings) in final.items():
                self.set_counts(path, errors, warnings)
        self._unfinished -= 1
        if self._unfinished == 0:
            self.filled.emit()

    def update_row(self, row: PostRow) -> None:
        """Replace one post's row (after a save or a check in the editor)."""
        n = self._index.get(row.info.path)
        if n is None:
            return
        self.rows[n] = row
        self.dataChanged.emit(self.index(n, 0), self.index(n, self.columnCount() - 1))

    def set_counts(self, path: Path, errors: int, warnings: int) -> None:
        n = self._index.get(Path(path))
        if n is None or (self.rows[n].errors, self.rows[n].warnings) == (errors, warnings):
            return  # unchanged (most checks while typing): no re-sort, no repaint
        self.rows[n].errors, self.rows[n].warnings = errors, warnings
        self.dataChanged.emit(self.index(n, COL_ERRORS), self.index(n, COL_WARNINGS))

    def retranslate(self) -> None:
        """Headers and the status words are translated text: tell the views. (A bare
        layoutChanged without layoutAboutToBeChanged crashes the proxy.)"""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.columnCount() - 1)
        if self.rows:
            self.dataChanged.emit(self.index(0, COL_STATUS), self.index(len(self.rows) - 1, COL_STATUS))

    def row_for_path(self, path: Path) -> int | None:
        return self._index.get(Path(path))

    # -- Qt model API ------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else 6

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return [self.tr("Status"), self.tr("Date"), self.tr("Title"), self.tr("Category"),
                self.tr("Errors"), self.tr("Warnings")][section] if 0 <= section < 6 else None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self.rows)):
            return None
        row, col = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_STATUS:
                return self.tr("Draft") if row.draft else (self.tr("Unpublished") if row.unpublished
                                                          else self.tr("Published"))
            if col == COL_DATE:
                return row.date[:10]  # the day; the time is in the tooltip and the sort
            if col == COL_TITLE:
                return row.title
            if col == COL_CATEGORY:
                return row.category
            if col == COL_ERRORS:
                return "…" if row.errors is None else str(row.errors)
            if col == COL_WARNINGS:
                return "…" if row.warnings is None else str(row.warnings)
        elif role == SORT_ROLE:
            if col == COL_STATUS:
                return row.status_key
            if col == COL_DATE:
                return row.date
            if col == COL_ERRORS:
                return -1 if row.errors is None else row.errors
            if col == COL_WARNINGS:
                return -1 if row.warnings is None else row.warnings
            return self.data(index, Qt.ItemDataRole.DisplayRole) or ""
        elif role == ROW_ROLE:
            return row
        elif role == Qt.ItemDataRole.ToolTipRole and col == COL_TITLE:
            return f"{row.title}\n{row.info.rel}"
        elif role == Qt.ItemDataRole.ToolTipRole and col == COL_DATE:
            return row.date
        elif role == Qt.ItemDataRole.ForegroundRole:
            if col == COL_ERRORS and row.errors:
                return QBrush(QColor("#c62828"))
            if col == COL_WARNINGS and row.warnings:
                return QBrush(QColor("#b26a00"))
            if col == COL_STATUS and (row.draft or row.unpublished):
                return QBrush(QColor("#6d4c41"))
        elif role == Qt.ItemDataRole.TextAlignmentRole and col in (COL_ERRORS, COL_WARNINGS):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class PostFilterProxy(QSortFilterProxyModel):
    """Fuzzy text (title, file, category), category, status, only-with-errors."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.text = ""
        self.category = ""
        self.status = ""  # "", "draft", "published"
        self.errors_only = False

    def set_filter(self, *, text=None, category=None, status=None, errors_only=None) -> None:
        self.beginFilterChange()
        if text is not None:
            self.text = text.strip()
        if category is not None:
            self.category = category
        if status is not None:
            self.status = status
        if errors_only is not None:
            self.errors_only = errors_only
        self.endFilterChange()

    def filterAcceptsRow(self, source_row: int, source_parent) -> bool:  # noqa: N802
        row: PostRow = self.sourceModel().rows[source_row]
        if self.category and row.category != self.category:
            return False
        if self.status and row.status_key != self.status:
            return False
        if self.errors_only and not row.errors:
            return False
        if self.text:
            return matches(self.text, row)
        return True


def matches(query: str, row: PostRow) -> bool:
    """Substring, else rapidfuzz's partial ratio over title, file name and category."""
    q = query.casefold()
    hay = [row.title.casefold(), row.info.rel.casefold(), row.category.casefold()]
    if any(q in h for h in hay):
        return True
    return max(fuzz.partial_ratio(q, h) for h in hay if h) >= FUZZY_THRESHOLD if any(hay) else False


class PostList(QWidget):
    """Filter controls above a sortable table. Emits `postActivated(PostInfo)`."""

    postActivated = Signal(object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.model = PostListModel(self)
        self.proxy = PostFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.category = QComboBox()
        self.status = QComboBox()
        self.errors_only = QCheckBox()
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(COL_DATE, Qt.SortOrder.DescendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(24)
        self.view.setWordWrap(False)
        self.view.setAlternatingRowColors(True)
        h = self.view.horizontalHeader()
        h.setSectionResizeMode(COL_TITLE, QHeaderView.ResizeMode.Stretch)
        h.setMinimumSectionSize(36)
        for c in (COL_STATUS, COL_DATE, COL_CATEGORY, COL_ERRORS, COL_WARNINGS):
            h.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        top = QHBoxLayout()
        top.addWidget(self.category, 1)
        top.addWidget(self.status, 1)
        top.addWidget(self.errors_only)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.addWidget(self.search)
        lay.addLayout(top)
        lay.addWidget(self.view)
        self.search.textChanged.connect(lambda t: self.proxy.set_filter(text=t))
        self.category.currentIndexChanged.connect(
            lambda _i: self.proxy.set_filter(category=self.category.currentData() or ""))
        self.status.currentIndexChanged.connect(
            lambda _i: self.proxy.set_filter(status=self.status.currentData() or ""))
        self.errors_only.toggled.connect(lambda on: self.proxy.set_filter(errors_only=on))
        self.view.activated.connect(self._activated)
        self.view.clicked.connect(self._activated)
        self._categories: list[str] = []
        self.retranslate()

    def retranslate(self) -> None:
        self.search.setPlaceholderText(self.tr("Filter by title, file or category (fuzzy)"))
        self.errors_only.setText(self.tr("Only with errors"))
        self._fill_combos()
        self.model.retranslate()

    def _fill_combos(self) -> None:
        cat = self.category.currentData()
        st = self.status.currentData()
        self.category.blockSignals(True)
        self.category.clear()
        self.category.addItem(self.tr("All categories"), "")
        for c in self._categories:
            self.category.addItem(c, c)
        i = self.category.findData(cat)
        self.category.setCurrentIndex(max(0, i))
        self.category.blockSignals(False)
        self.status.blockSignals(True)
        self.status.clear()
        self.status.addItem(self.tr("All statuses"), "")
        self.status.addItem(self.tr("Drafts"), "draft")
        self.status.addItem(self.tr("Published"), "published")
        self.status.setCurrentIndex(max(0, self.status.findData(st)))
        self.status.blockSignals(False)

    def load(self, site, engine) -> None:
        self._categories = list(site.config.categories)
        self._fill_combos()
        self.model.load(site, engine)

    def _activated(self, index) -> None:
        row = self.proxy.data(index, ROW_ROLE)
        if row is not None:
            self.postActivated.emit(row.info)

    def select_path(self, path: Path) -> None:
        n = self.model.row_for_path(path)
        if n is None:
            return
        idx = self.proxy.mapFromSource(self.model.index(n, COL_TITLE))
        if idx.isValid():
            self.view.selectionModel().blockSignals(True)
            self.view.setCurrentIndex(idx)
            self.view.selectionModel().blockSignals(False)
            self.view.scrollTo(idx)

    def visible_titles(self) -> list[str]:
        return [self.proxy.index(r, COL_TITLE).data() for r in range(self.proxy.rowCount())]
