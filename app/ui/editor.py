"""The Markdown editor: a QPlainTextEdit (so input methods work as in any Qt field)
with highlighting, line numbers, findings in the margin and underlined, and a find /
replace bar. Its text is always a Document's normalised `text`."""
from __future__ import annotations

import re
import time

from PySide6.QtCore import QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QKeySequence,
    QPainter,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QToolButton,
    QWidget,
)

from app.core.findings import Edit, Finding, Severity

from .textdiff import changed_span

SEVERITY_COLORS = {Severity.ERROR: QColor("#d32f2f"), Severity.WARNING: QColor("#ef8f00"),
                   Severity.INFO: QColor("#1e88e5")}


def utf16_offsets(text: str):
    """A function mapping Python offsets in `text` to Qt (UTF-16) positions."""
    if all(ord(c) < 0x10000 for c in text):
        return lambda i: i
    prefix = [0]
    for c in text:
        prefix.append(prefix[-1] + (2 if ord(c) >= 0x10000 else 1))
    return lambda i: prefix[i]


# -- highlighting --------------------------------------------------------------
def _fmt(color: str | None = None, bold: bool = False, italic: bool = False, bg: str | None = None) -> QTextCharFormat:
    f = QTextCharFormat()
    if color:
        f.setForeground(QColor(color))
    if bg:
        f.setBackground(QColor(bg))
    if bold:
        f.setFontWeight(QFont.Weight.Bold)
    if italic:
        f.setFontItalic(True)
    return f


class MarkdownHighlighter(QSyntaxHighlighter):
    """Front matter, headings, code, links, emphasis, kramdown attribute lists, Liquid,
    generation markers. Block states: 1 = inside front matter, 2 = inside a fence.

    A new text (`defer_after` before setPlainText) is highlighted a screenful at
    once and the rest from the event loop, in slices of a few milliseconds: the
    whole 40,000-character post took ~12 ms of the window's time to open it, more
    under load. Each block is still highlighted once, in document order, after the
    block before it got its final state, as the one pass did: the same formats and
    states in the end (tests/ui/test_editor.py compares them)."""

    FRONT, FENCE = 1, 2
    _INLINE = [
        (re.compile(r"`[^`\n]+`"), _fmt("#8e24aa", bg="#f6f0f8")),
        (re.compile(r"\*\*[^*\n]+\*\*|__[^_\n]+__"), _fmt(bold=True)),
        (re.compile(r"(?<![*\w])\*[^*\n]+\*(?!\*)"), _fmt(italic=True)),
        (re.compile(r"!?\[[^\]\n]*\]\([^)\n]*\)"), _fmt("#1565c0")),
        (re.compile(r"https?://[^\s)>\]]+"), _fmt("#1565c0")),
        (re.compile(r"\{%.*?%\}|\{\{.*?\}\}"), _fmt("#00796b", bg="#e8f5f3")),
        (re.compile(r"<!--.*?-->"), _fmt("#9e9e9e", italic=True)),
        (re.compile(r"\[cite[^\]]*\]"), _fmt("#d32f2f", bg="#fdecea")),
    ]
    _HEADING = re.compile(r"^#{1,6}\s")
    _MARKER = re.compile(r"^\s*-{2,}\s*END\s*-{2,}\s*$|^\s*END\s*$", re.I)
    _ATTR = re.compile(r"^\{:.*\}\s*$")
    _FENCE_RE = re.compile(r"^\s{0,3}(```|~~~)")
    _KEY = re.compile(r"^([A-Za-z_][\w-]*):")

    def __init__(self, document: QTextDocument):
        super().__init__(document)
        self.f_heading = _fmt("#0d47a1", bold=True)
        self.f_front = _fmt("#5d4037")
        self.f_key = _fmt("#6a1b9a", bold=True)
        self.f_delim = _fmt("#9e9e9e", bold=True)
        self.f_code = _fmt("#455a64", bg="#f4f6f7")
        self.f_marker = _fmt("#ffffff", bold=True, bg="#d32f2f")
        self.f_attr = _fmt("#00796b", italic=True)
        self.f_quote = _fmt("#616161", italic=True)
        self._limit: int | None = None  # blocks from this number on are deferred
        self._slices = QTimer(self, singleShot=True, interval=0)
        self._slices.timeout.connect(self._highlight_slice)

    SLICE_S = 0.004  # main-thread CPU per slice of deferred highlighting
    BATCH = 64  # blocks released per rehighlightBlock call

    def defer_after(self, blocks: int) -> None:
        """Blocks from number `blocks` on wait for the event loop (until all are done,
        edits there are highlighted by the slices too)."""
        self._limit = blocks

    def pending(self) -> bool:
        """Whether deferred blocks remain."""
        return self._limit is not None

    def _deferred(self, block_no: int) -> bool:
        if self._limit is None or block_no < self._limit:
            return False
        if not self._slices.isActive():
            self._slices.start()
        return True

    def _highlight_slice(self) -> None:
        """Release the next blocks, BATCH at a time, for SLICE_S of CPU. A deferred
        block returned without setting its state (-1), so highlighting it changes its
        state and Qt's rehighlightBlock goes on to the next block, through the batch,
        and stops at the first block still deferred."""
        deadline = time.thread_time() + self.SLICE_S
        doc = self.document()
        while self._limit is not None:
            first = doc.findBlockByNumber(self._limit) if doc is not None else None
            if first is None or not first.isValid():
                self._limit = None
                return
            self._limit += self.BATCH
            self.rehighlightBlock(first)
            if time.thread_time() > deadline:
                self._slices.start()
                return

    def highlightBlock(self, text: str) -> None:  # noqa: N802
        block_no = self.currentBlock().blockNumber()
        if self._deferred(block_no):
            return
        prev = self.previousBlockState()
        self.setCurrentBlockState(0)
        if block_no == 0 and text.rstrip() == "---":
            self.setFormat(0, len(text), self.f_delim)
            self.setCurrentBlockState(self.FRONT)
            return
        if prev == self.FRONT:
            if text.rstrip() in ("---", "..."):
                self.setFormat(0, len(text), self.f_delim)
                return
            self.setFormat(0, len(text), self.f_front)
            m = self._KEY.match(text)
            if m:
                self.setFormat(0, m.end(), self.f_key)
            self.setCurrentBlockState(self.FRONT)
            return
        if self._FENCE_RE.match(text):
            self.setFormat(0, len(text), self.f_code)
            self.setCurrentBlockState(0 if prev == self.FENCE else self.FENCE)
            return
        if prev == self.FENCE:
            self.setFormat(0, len(text), self.f_code)
            self.setCurrentBlockState(self.FENCE)
            return
        if self._MARKER.match(text):
            self.setFormat(0, len(text), self.f_marker)
            return
        if self._HEADING.match(text):
            self.setFormat(0, len(text), self.f_heading)
        elif self._ATTR.match(text):
            self.setFormat(0, len(text), self.f_attr)
            return
        elif text.startswith(">"):
            self.setFormat(0, len(text), self.f_quote)
        for rx, fmt in self._INLINE:
            for m in rx.finditer(text):
                self.setFormat(m.start(), m.end() - m.start(), fmt)


# -- line numbers --------------------------------------------------------------
class LineNumberArea(QWidget):
    def __init__(self, editor: "MarkdownEditor"):
        super().__init__(editor)
        self.editor = editor

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(self.editor.line_number_width(), 0)

    def paintEvent(self, event) -> None:  # noqa: N802
        self.editor.paint_line_numbers(event)

    def mousePressEvent(self, event) -> None:  # noqa: N802
        block = self.editor.cursorForPosition(event.position().toPoint()).block()
        self.editor.marginClicked.emit(block.blockNumber() + 1)


class MarkdownEditor(QPlainTextEdit):
    """The editor. Findings: `set_findings(list)`; selection: `select_lines(a, b)`."""

    marginClicked = Signal(int)  # 1-based line
    topLineChanged = Signal(int)  # 1-based first visible line

    def __init__(self, parent=None):
        super().__init__(parent)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setFamilies([font.family(), "Noto Sans Mono CJK JP", "Noto Sans CJK JP", "monospace"])
        font.setPointSize(max(font.pointSize(), 11))
        self.setFont(font)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setTabChangesFocus(False)
        self.highlighter = MarkdownHighlighter(self.document())
        self.line_area = LineNumberArea(self)
        self.findings: list[Finding] = []
        self._line_marks: dict[int, Severity] = {}
        self._search_sel: list[QTextEdit.ExtraSelection] = []
        self._finding_sel: list[QTextEdit.ExtraSelection] = []  # made in set_findings
        self._last_top = -1
        self.blockCountChanged.connect(self._update_margin_width)
        self.updateRequest.connect(self._update_line_area)
        self.cursorPositionChanged.connect(self._refresh_selections)
        self._update_margin_width()

    # -- text -----------------------------------------------------------------
    def set_text(self, text: str) -> None:
        """Replace everything (a newly opened post): not undoable, not modified. The
        blocks a screen can show are highlighted now, the rest just after."""
        lines = self.viewport().height() // max(1, self.fontMetrics().lineSpacing()) + 1
        self.highlighter.defer_after(max(self.highlighter.BATCH, lines))
        self.setPlainText(text)
        self.document().setModified(False)

    def replace_all_text(self, text: str) -> None:
        """Replace the text as one undoable edit, touching only what differs (keeps
        the cursor and the undo history of the rest)."""
        edit = changed_span(self.toPlainText(), text)
        if edit is not None:
            self.apply_edits([edit])

    def apply_edits(self, edits) -> None:
        """Apply edits (offsets into the current text) as ONE undoable step."""
        text = self.toPlainText()
        q = utf16_offsets(text)
        cur = QTextCursor(self.document())
        cur.beginEditBlock()
        for e in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
            cur.setPosition(q(e.start))
            cur.setPosition(q(e.end), QTextCursor.MoveMode.KeepAnchor)
            cur.insertText(e.text)
        cur.endEditBlock()

    # -- findings ---------------------------------------------------------------
    def set_findings(self, findings: list[Finding]) -> None:
        self.findings = list(findings)
        marks: dict[int, Severity] = {}
        for f in self.findings:
            for line in range(f.line, f.last_line + 1):
                if line not in marks or f.severity.rank < marks[line].rank:
                    marks[line] = f.severity
        self._line_marks = marks
        self._finding_sel = self._finding_selections()
        self._refresh_selections()
        self.line_area.update()

    def select_lines(self, first: int, last: int | None = None, col: int | None = None,
                     end_col: int | None = None) -> None:
        """Select 1-based lines first..last (or the columns given) and show them."""
        doc = self.document()
        last = last or first
        b1 = doc.findBlockByNumber(max(0, first - 1))
        b2 = doc.findBlockByNumber(max(0, min(last, doc.blockCount()) - 1))
        if not b1.isValid():
            return
        cur = QTextCursor(b1)
        if col is not None and first == last and end_col is not None:
            cur.setPosition(b1.position() + min(col, b1.length() - 1))
            cur.setPosition(b1.position() + min(end_col, b1.length() - 1), QTextCursor.MoveMode.KeepAnchor)
        else:
            cur.setPosition(b1.position())
            cur.setPosition(b2.position() + b2.length() - 1, QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cur)
        self.centerCursor()
        self.setFocus()

    def selected_line_range(self) -> tuple[int, int]:
        cur = self.textCursor()
        doc = self.document()
        a = doc.findBlock(cur.selectionStart()).blockNumber() + 1
        b = doc.findBlock(cur.selectionEnd()).blockNumber() + 1
        return a, b

    def _finding_selections(self) -> list[QTextEdit.ExtraSelection]:
        """The findings' underlines, made once per set of findings: their cursors
        follow the text as it is edited, as the search matches' do. (Made again on
        every cursor move they cost ~1.1 ms of each keystroke for the long post's 29
        findings, more with more findings.)"""
        sels = []
        doc = self.document()
        for f in self.findings:
            b1 = doc.findBlockByNumber(f.line - 1)
            b2 = doc.findBlockByNumber(min(f.last_line, doc.blockCount()) - 1)
            if not b1.isValid():
                continue
            sel = QTextEdit.ExtraSelection()
            fmt = QTextCharFormat()
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
            fmt.setUnderlineColor(SEVERITY_COLORS[f.severity])
            sel.format = fmt
            cur = QTextCursor(b1)
            if f.col is not None and f.end_col is not None and f.line == f.last_line:
                cur.setPosition(b1.position() + min(f.col, b1.length() - 1))
                cur.setPosition(b1.position() + min(f.end_col, b1.length() - 1), QTextCursor.MoveMode.KeepAnchor)
            else:
                cur.setPosition(b1.position())
                cur.setPosition(b2.position() + max(0, b2.length() - 1), QTextCursor.MoveMode.KeepAnchor)
            sel.cursor = cur
            sels.append(sel)
        return sels

    def _refresh_selections(self) -> None:
        """Current line, findings, search matches. No current-line band on an empty
        read-only editor: it would paint over the placeholder's first line."""
        band = []
        if not (self.isReadOnly() and self.document().isEmpty()):
            current = QTextEdit.ExtraSelection()
            current.format.setBackground(QColor("#f3f7fc"))
            current.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
            current.cursor = self.textCursor()
            current.cursor.clearSelection()
            band = [current]
        self.setExtraSelections(band + self._finding_sel + self._search_sel)

    def setReadOnly(self, ro: bool) -> None:  # noqa: N802
        super().setReadOnly(ro)
        self._refresh_selections()

    # -- margin -----------------------------------------------------------------
    def line_number_width(self) -> int:
        digits = len(str(max(1, self.blockCount())))
        return 14 + self.fontMetrics().horizontalAdvance("9") * max(3, digits)

    def _update_margin_width(self, *_):
        self.setViewportMargins(self.line_number_width(), 0, 0, 0)

    def _update_line_area(self, rect, dy):
        if dy:
            self.line_area.scroll(0, dy)
        else:
            self.line_area.update(0, rect.y(), self.line_area.width(), rect.height())
        top = self.firstVisibleBlock().blockNumber() + 1
        if top != self._last_top:
            self._last_top = top
            self.topLineChanged.emit(top)

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        cr = self.contentsRect()
        self.line_area.setGeometry(QRect(cr.left(), cr.top(), self.line_number_width(), cr.height()))

    def paint_line_numbers(self, event) -> None:
        painter = QPainter(self.line_area)
        painter.fillRect(event.rect(), QColor("#f5f5f5"))
        block = self.firstVisibleBlock()
        number = block.blockNumber()
        top = round(self.blockBoundingGeometry(block).translated(self.contentOffset()).top())
        bottom = top + round(self.blockBoundingRect(block).height())
        fh = self.fontMetrics().height()
        width = self.line_area.width()
        while block.isValid() and top <= event.rect().bottom():
            if block.isVisible() and bottom >= event.rect().top():
                sev = self._line_marks.get(number + 1)
                if sev is not None:
                    painter.setPen(Qt.PenStyle.NoPen)
                    painter.setBrush(SEVERITY_COLORS[sev])
                    painter.drawEllipse(3, top + fh // 2 - 4, 8, 8)
                painter.setPen(QColor("#9e9e9e"))
                painter.drawText(0, top, width - 4, fh, Qt.AlignmentFlag.AlignRight, str(number + 1))
            block = block.next()
            top = bottom
            bottom = top + round(self.blockBoundingRect(block).height())
            number += 1

    # -- find / replace -----------------------------------------------------------
    def find_text(self, needle: str, *, backward: bool = False, case: bool = False) -> bool:
        if not needle:
            return False
        flags = QTextDocument.FindFlag(0)
        if backward:
            flags |= QTextDocument.FindFlag.FindBackward
        if case:
            flags |= QTextDocument.FindFlag.FindCaseSensitively
        if self.find(needle, flags):
            return True
        cur = self.textCursor()
        cur.movePosition(QTextCursor.MoveOperation.End if backward else QTextCursor.MoveOperation.Start)
        self.setTextCursor(cur)
        return self.find(needle, flags)

    def replace_current(self, needle: str, replacement: str, *, case: bool = False) -> bool:
        cur = self.textCursor()
        sel = cur.selectedText()
        if sel and (sel == needle if case else sel.casefold() == needle.casefold()):
            cur.insertText(replacement)
        return self.find_text(needle, case=case)

    def replace_all(self, needle: str, replacement: str, *, case: bool = False) -> int:
        """Every occurrence, as one undoable edit. Returns how many."""
        if not needle:
            return 0
        text = self.toPlainText()
        rx = re.compile(re.escape(needle), 0 if case else re.IGNORECASE)
        edits = [Edit(m.start(), m.end(), replacement) for m in rx.finditer(text)]
        if edits:
            self.apply_edits(edits)
        return len(edits)

    def highlight_matches(self, needle: str, case: bool = False) -> None:
        self._search_sel = []
        if needle:
            text = self.toPlainText()
            q = utf16_offsets(text)
            rx = re.compile(re.escape(needle), 0 if case else re.IGNORECASE)
            for m in list(rx.finditer(text))[:2000]:
                sel = QTextEdit.ExtraSelection()
                sel.format.setBackground(QColor("#fff59d"))
                cur = QTextCursor(self.document())
                cur.setPosition(q(m.start()))
                cur.setPosition(q(m.end()), QTextCursor.MoveMode.KeepAnchor)
                sel.cursor = cur
                self._search_sel.append(sel)
        self._refresh_selections()


class FindBar(QWidget):
    """Find and replace under the editor (Ctrl+F / Ctrl+H, Esc closes)."""

    def __init__(self, editor: MarkdownEditor, parent=None):
        super().__init__(parent)
        self.editor = editor
        lay = QHBoxLayout(self)
        lay.setContentsMargins(4, 2, 4, 2)
        self.find_label = QLabel()
        self.find_edit = QLineEdit()
        self.replace_label = QLabel()
        self.replace_edit = QLineEdit()
        self.case = QCheckBox()
        self.prev_btn, self.next_btn = QToolButton(), QToolButton()
        self.replace_btn, self.replace_all_btn, self.close_btn = QToolButton(), QToolButton(), QToolButton()
        self.status = QLabel()
        for w in (self.find_label, self.find_edit, self.prev_btn, self.next_btn, self.replace_label,
                  self.replace_edit, self.replace_btn, self.replace_all_btn, self.case, self.status,
                  self.close_btn):
            lay.addWidget(w)
        lay.setStretch(1, 2)
        lay.setStretch(5, 2)
        self.find_edit.returnPressed.connect(self.find_next)
        self.find_edit.textChanged.connect(self._highlight)
        self.next_btn.clicked.connect(self.find_next)
        self.prev_btn.clicked.connect(self.find_prev)
        self.replace_btn.clicked.connect(self.replace)
        self.replace_all_btn.clicked.connect(self.replace_all)
        self.close_btn.clicked.connect(self.close_bar)
        self.retranslate()
        self.hide()

    def retranslate(self) -> None:
        self.find_label.setText(self.tr("Find:"))
        self.replace_label.setText(self.tr("Replace:"))
        self.case.setText(self.tr("Match case"))
        self.prev_btn.setText("▲")
        self.prev_btn.setToolTip(self.tr("Previous match (Shift+F3)"))
        self.next_btn.setText("▼")
        self.next_btn.setToolTip(self.tr("Next match (F3)"))
        self.replace_btn.setText(self.tr("Replace"))
        self.replace_all_btn.setText(self.tr("Replace all"))
        self.close_btn.setText("×")
        self.close_btn.setToolTip(self.tr("Close (Esc)"))

    def open_bar(self, replace: bool = False) -> None:
        self.show()
        sel = self.editor.textCursor().selectedText()
        if sel and "\u2029" not in sel:
            self.find_edit.setText(sel)
        for w in (self.replace_label, self.replace_edit, self.replace_btn, self.replace_all_btn):
            w.setVisible(replace)
        self.find_edit.setFocus()
        self.find_edit.selectAll()

    def close_bar(self) -> None:
        self.editor.highlight_matches("")
        self.hide()
        self.editor.setFocus()

    def keyPressEvent(self, event) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Escape:
            self.close_bar()
            return
        super().keyPressEvent(event)

    def _highlight(self) -> None:
        self.editor.highlight_matches(self.find_edit.text(), self.case.isChecked())

    def find_next(self) -> bool:
        ok = self.editor.find_text(self.find_edit.text(), case=self.case.isChecked())
        self.status.setText("" if ok else self.tr("Not found"))
        return ok

    def find_prev(self) -> bool:
        ok = self.editor.find_text(self.find_edit.text(), backward=True, case=self.case.isChecked())
        self.status.setText("" if ok else self.tr("Not found"))
        return ok

    def replace(self) -> None:
        self.editor.replace_current(self.find_edit.text(), self.replace_edit.text(), case=self.case.isChecked())

    def replace_all(self) -> int:
        n = self.editor.replace_all(self.find_edit.text(), self.replace_edit.text(), case=self.case.isChecked())
        self.status.setText(self.tr("%n replaced", "", n))
        self._highlight()
        return n
