"""Every question the window asks, in one object (tests replace it with a fake).

Each method returns a plain value: a bool, a choice name or the entered text."""
from __future__ import annotations

import difflib

from PySide6.QtCore import QObject
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
)

from .templates import ascii_slug


class Prompts(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window

    def error(self, title: str, text: str) -> None:
        QMessageBox.critical(self.window, title, text)

    def unsaved_changes(self, name: str) -> str:
        """'save', 'discard' or 'cancel'."""
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Unsaved changes"),
                          self.tr("%1 has unsaved changes. Save them?").replace("%1", name),
                          QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                          | QMessageBox.StandardButton.Cancel, self.window)
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        answer = box.exec()
        return {QMessageBox.StandardButton.Save: "save",
                QMessageBox.StandardButton.Discard: "discard"}.get(QMessageBox.StandardButton(answer), "cancel")

    def ask_recover(self, name: str, when: str) -> bool:
        answer = QMessageBox.question(
            self.window, self.tr("Recover unsaved changes"),
            self.tr("PostDesk closed without saving %1. Recover the changes autosaved at %2?")
            .replace("%1", name).replace("%2", when))
        return answer == QMessageBox.StandardButton.Yes

    SHOWN = 8  # findings listed in the box itself; all of them under Details

    def _list(self, findings, lang: str) -> tuple[str, str]:
        """(the first few findings, every finding), one per line, for a message box."""
        lines = [f"{self.tr('line')} {f.line} [{f.rule}] {f.message(lang)}" for f in findings]
        shown = "\n".join(lines[:self.SHOWN]) + ("\n…" if len(lines) > self.SHOWN else "")
        return shown, "\n".join(lines)

    def publish_blocked(self, errors, lang: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Critical, self.tr("Cannot publish"),
                          self.tr("This post has %n error(s). Fix them before publishing.", "", len(errors)),
                          QMessageBox.StandardButton.Ok, self.window)
        shown, everything = self._list(errors, lang)
        box.setInformativeText(shown)
        box.setDetailedText(everything)
        box.exec()

    def confirm_warnings(self, warnings, lang: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Publish with warnings?"),
                          self.tr("This post has %n warning(s). Publish anyway?", "", len(warnings)),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self.window)
        shown, everything = self._list(warnings, lang)
        box.setInformativeText(shown)
        box.setDetailedText(everything)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        return box.exec() == QMessageBox.StandardButton.Yes

    def external_change(self, name: str, mine: str, theirs: str) -> str:
        """'mine' or 'theirs' ('compare' shows the differences and asks again)."""
        while True:
            box = QMessageBox(QMessageBox.Icon.Warning, self.tr("File changed on disk"),
                              self.tr("%1 was changed by another program while you have unsaved edits.")
                              .replace("%1", name), QMessageBox.StandardButton.NoButton, self.window)
            keep = box.addButton(self.tr("Keep mine"), QMessageBox.ButtonRole.RejectRole)
            take = box.addButton(self.tr("Take theirs"), QMessageBox.ButtonRole.AcceptRole)
            compare = box.addButton(self.tr("Compare…"), QMessageBox.ButtonRole.ActionRole)
            box.exec()
            clicked = box.clickedButton()
            if clicked is take:
                return "theirs"
            if clicked is compare:
                self.show_diff(mine, theirs)
                continue
            return "mine" if clicked is keep or clicked is None else "mine"

    def show_diff(self, mine: str, theirs: str) -> None:
        dlg = QDialog(self.window)
        dlg.setWindowTitle(self.tr("Your version and the file on disk"))
        view = QPlainTextEdit()
        view.setReadOnly(True)
        view.setPlainText("\n".join(difflib.unified_diff(
            theirs.split("\n"), mine.split("\n"), self.tr("on disk"), self.tr("yours"), lineterm="")))
        lay = QVBoxLayout(dlg)
        lay.addWidget(view)
        bb = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        bb.rejected.connect(dlg.reject)
        lay.addWidget(bb)
        dlg.resize(900, 600)
        dlg.exec()

    def new_draft(self) -> tuple[str, str] | None:
        """(title, slug) for a new draft, or None."""
        dlg = QDialog(self.window)
        dlg.setWindowTitle(self.tr("New Draft"))
        title, slug = QLineEdit(), QLineEdit()
        slug.setPlaceholderText("smb-genai-first-90-days")
        form = QFormLayout(dlg)
        form.addRow(self.tr("Title:"), title)
        form.addRow(self.tr("File slug (ASCII):"), slug)
        bb = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        bb.accepted.connect(dlg.accept)
        bb.rejected.connect(dlg.reject)
        form.addRow(bb)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return None
        s = ascii_slug(slug.text() or "draft")
        return (title.text().strip() or self.tr("Untitled"), s or "draft")
