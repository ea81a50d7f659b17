"""Autosave to recovery files, offered back after a crash.

While a post has unsaved changes, the editor's text is written (a few seconds after
typing stops) to `<AppDataLocation>/recovery/<hash of the post's path>.json`, never
to the post itself. A save, a discard or taking the disk's version deletes it, so a
file that is still there at the next start means PostDesk did not close normally.
Opening that post (PostDesk opens it by itself when a site with one is opened)
offers the autosaved text back; accepting puts it into the editor as an undoable,
unsaved edit, so the editor still decides whether to save it.
"""
from __future__ import annotations

import hashlib
import json
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, QTimer

from app.core.document import atomic_write

AUTOSAVE_MS = 3000


def recovery_dir() -> Path:
    base = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))
    return base / "recovery"


def recovery_file(path: Path) -> Path:
    """One file per post, named by its absolute path."""
    key = hashlib.sha1(str(Path(path).resolve()).encode("utf-8")).hexdigest()[:20]
    return recovery_dir() / f"{key}.json"


def read_entry(file: Path) -> dict | None:
    """A recovery entry ({path, saved_at, text}), or None when unreadable."""
    try:
        entry = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(entry, dict) or not {"path", "saved_at", "text"} <= set(entry):
        return None
    return entry


class RecoveryStore(QObject):
    """Autosaves the window's open post and offers recovery entries back."""

    def __init__(self, window):
        super().__init__(window)
        self.window = None
        self._timer = QTimer(self, singleShot=True, interval=AUTOSAVE_MS)
        self._timer.timeout.connect(self.autosave)

    def attach(self, window) -> None:
        self.window = window

    # -- writing -----------------------------------------------------------------
    def mark_dirty(self) -> None:
        """The text changed: autosave when typing pauses."""
        self._timer.start()

    def autosave(self) -> Path | None:
        """Write the open post's unsaved text now (nothing when there is none)."""
        self._timer.stop()
        w = self.window
        if w is None or w.path is None or not w.is_modified():
            return None
        file = recovery_file(w.path)
        file.parent.mkdir(parents=True, exist_ok=True)
        entry = {"path": str(w.path), "saved_at": datetime.now().astimezone().isoformat(timespec="seconds"),
                 "text": w.editor.toPlainText()}
        atomic_write(file, json.dumps(entry, ensure_ascii=False).encode("utf-8"))
        return file

    def discard(self, path: Path | None) -> None:
        if path is None:
            return
        self._timer.stop()
        recovery_file(path).unlink(missing_ok=True)

    def stop(self) -> None:
        self._timer.stop()

    # -- offering back ---------------------------------------------------------------
    def pending(self, site_root: Path) -> list[Path]:
        """Posts under `site_root` with a recovery entry, newest first."""
        root = Path(site_root).resolve()
        found = []
        for file in recovery_dir().glob("*.json") if recovery_dir().is_dir() else []:
            entry = read_entry(file)
            if entry is None:
                continue
            path = Path(entry["path"])
            if root in path.parents and path.is_file():
                found.append((entry["saved_at"], path))
        return [p for _, p in sorted(found, reverse=True)]

    def offer(self, path: Path, doc) -> bool:
        """If `path` has a recovery entry that differs from the file, ask to restore
        it. Returns True when the autosaved text was put into the editor."""
        file = recovery_file(path)
        entry = read_entry(file) if file.is_file() else None
        if entry is None or entry["text"] == doc.text:
            file.unlink(missing_ok=True)
            return False
        w = self.window
        when = entry["saved_at"].replace("T", " ")
        if not w.prompt.ask_recover(Path(path).name, when):
            file.unlink(missing_ok=True)
            return False
        w.editor.replace_all_text(entry["text"])
        return True
