"""The front-matter form: one widget per field of `.editorial.yml`'s `front_matter`.

The form never writes files or keeps its own copy of the post. An edit is announced
as `fieldEdited(key, value)`; the window turns it into `Document.with_field` (only
that key's line changes) and puts the result into the editor as one undoable edit,
so undo, save and the checks see form edits and typed edits alike. When the editor's
text changes, the form re-reads the fields from it (`schedule_refresh`), leaving alone
a field the editor is still typing into.

Field types: text (live character count against min/max length), choice, datetime
(date, time and UTC offset, written in the house format `2026-03-04 09:12:30 +0900`),
list (a category combo when at most one value comes from the categories; otherwise
comma-separated tags with completion and a near-duplicate warning), integer, image
(path, thumbnail, file picker). PD5xx findings show under the field they concern.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QDateTime, QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateTimeEdit,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.core.findings import Finding, Severity
from app.core.publish import format_date
from app.core.rules.front_matter import closest_term
from app.core.site import parse_date

from .editor import SEVERITY_COLORS
from .i18n import current_lang

EDIT_DELAY_MS = 400  # typing in a field is written back when it pauses this long
REFRESH_DELAY_MS = 150
THUMB = QSize(160, 84)
_SPLIT_TAGS = re.compile(r"\s*[,、，]\s*")
_OFFSET = re.compile(r"^([+-])(\d{2}):?(\d{2})$")


def split_tags(text: str) -> list[str]:
    """`LLM, 生成AI、RAG` → ['LLM', '生成AI', 'RAG'] (ASCII or Japanese commas)."""
    return [t for t in (s.strip() for s in _SPLIT_TAGS.split(text)) if t]


def parse_offset(text: str) -> timezone | None:
    """`+0900` or `+09:00` as a timezone, else None."""
    m = _OFFSET.match(text.strip())
    if not m:
        return None
    sign = -1 if m.group(1) == "-" else 1
    return timezone(sign * timedelta(hours=int(m.group(2)), minutes=int(m.group(3))))


def length_problem(n: int, spec: dict) -> bool:
    """True when a character count is outside the field's configured limits."""
    return (spec.get("min_length") is not None and n < spec["min_length"]) or \
           (spec.get("max_length") is not None and n > spec["max_length"])


def readable(doc) -> bool:
    """Whether `doc` has front matter that parses: `doc.data is not None`, without
    building the round-trip tree (ruamel's Python loader: about a third of the
    window's own time to open a post). FrontMatter.values is the fast load's dict
    when that load served the post, else the round-trip tree, and the fast load
    serves only YAML the round-trip loader reads with the same values
    (tests/core/test_document_fast_load.py), so it is None exactly when the
    round-trip tree is."""
    fm = doc.front_matter if doc is not None else None
    return fm is not None and fm.values is not None


# -- one widget per field type ------------------------------------------------
class FieldWidget(QWidget):
    """Base: `value()` / `set_value()` in plain Python values; `edited` when the user
    changes it (never when `set_value` does)."""

    edited = Signal()

    def __init_subclass__(cls, **kw):
        """Every field type defines `value()` and `set_value()` (checked when the class
        is defined, not when an editor first touches the field; abc's metaclass does
        not mix with Qt's)."""
        super().__init_subclass__(**kw)
        missing = [m for m in ("value", "set_value") if not callable(getattr(cls, m, None))]
        if missing:
            raise TypeError(f"{cls.__name__} must define {', '.join(missing)}")

    def __init__(self, key: str, spec: dict, form: "FrontMatterForm"):
        super().__init__()
        self.key, self.spec, self.form = key, spec, form
        self.lay = QHBoxLayout(self)
        self.lay.setContentsMargins(0, 0, 0, 0)

    def note(self) -> tuple[str, bool] | None:
        """A live hint under the field (text, is_problem), or None."""
        return None

    def retranslate(self) -> None:
        pass


def set_line_text(edit: QLineEdit, value) -> None:
    """Show `value` (None: empty) in a line edit, leaving it alone when unchanged (so
    the cursor stays put), and from its start: a long value shows its beginning."""
    text = "" if value is None else str(value)
    if text != edit.text():
        edit.setText(text)
        edit.setCursorPosition(0)


def set_style(widget: QWidget, sheet: str) -> None:
    """Give a widget a style sheet only when it has a different one: each call
    re-polishes the widget (palette and font events, a relayout of the form), which
    for every note on every check cost the window ~3 ms while typing."""
    if widget.styleSheet() != sheet:
        widget.setStyleSheet(sheet)


class TextField(FieldWidget):
    def __init__(self, key, spec, form):
        super().__init__(key, spec, form)
        self.edit = QLineEdit()
        self.lay.addWidget(self.edit)
        self.edit.textEdited.connect(lambda _t: self.edited.emit())

    def value(self) -> str:
        return self.edit.text()

    def set_value(self, value) -> None:
        set_line_text(self.edit, value)

    def note(self):
        if "max_length" not in self.spec and "min_length" not in self.spec:
            return None
        n = len(self.edit.text())
        lo, hi = self.spec.get("min_length"), self.spec.get("max_length")
        limit = f"{lo}–{hi}" if lo is not None and hi is not None else str(hi if hi is not None else f"≥{lo}")
        return self.tr("%1 / %2 characters").replace("%1", str(n)).replace("%2", limit), length_problem(n, self.spec)


class ChoiceField(FieldWidget):
    """A fixed list of values (a value outside it is shown, not lost)."""

    def __init__(self, key, spec, form, choices: list[str] | None = None):
        super().__init__(key, spec, form)
        self.combo = QComboBox()
        self.choices = list(choices if choices is not None else spec.get("choices", []))
        self.lay.addWidget(self.combo)
        self.combo.activated.connect(lambda _i: self.edited.emit())
        self._fill(None)

    def _fill(self, current: str | None) -> None:
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItem("", None)
        for c in self.choices:
            self.combo.addItem(c, c)
        if current and current not in self.choices:
            self.combo.addItem(current, current)
        self.combo.setCurrentIndex(max(0, self.combo.findData(current)) if current else 0)
        self.combo.blockSignals(False)

    def value(self):
        return self.combo.currentData()

    def set_value(self, value) -> None:
        self._fill(None if value in (None, "") else str(value))


class CategoryField(ChoiceField):
    """A one-item list (`categories: [AI導入戦略]`) chosen from the taxonomy."""

    def value(self):
        v = super().value()
        return [v] if v else []

    def set_value(self, value) -> None:
        if isinstance(value, list):
            value = value[0] if value else None
        super().set_value(value)


class TagsField(FieldWidget):
    """Comma-separated tags, completed from the taxonomy; warns about near-duplicates."""

    def __init__(self, key, spec, form, known: list[str]):
        super().__init__(key, spec, form)
        self.known = list(known)
        self.edit = QLineEdit()
        self.lay.addWidget(self.edit)
        self.completer = QCompleter(self.known, self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.completer.setWidget(self.edit)
        self.completer.activated.connect(self._complete)
        self.edit.textEdited.connect(self._typed)

    def _typed(self, text: str) -> None:
        """Complete the tag being typed (the text after the last comma)."""
        last = _SPLIT_TAGS.split(text)[-1].strip()
        if last:
            self.completer.setCompletionPrefix(last)
            self.completer.complete()
        else:
            self.completer.popup().hide()
        self.edited.emit()

    def _complete(self, tag: str) -> None:
        parts = split_tags(self.edit.text())
        parts = parts[:-1] if parts and not self.edit.text().rstrip().endswith((",", "、", "，")) else parts
        self.edit.setText(", ".join(parts + [tag]))
        self.edited.emit()

    def value(self) -> list[str]:
        return split_tags(self.edit.text())

    def set_value(self, value) -> None:
        items = value if isinstance(value, list) else ([] if value in (None, "") else [value])
        if split_tags(self.edit.text()) != [str(v) for v in items]:
            self.edit.setText(", ".join(str(v) for v in items))
            self.edit.setCursorPosition(0)

    def near_duplicates(self) -> list[tuple[str, str]]:
        """(tag, known tag it nearly repeats) for tags outside the taxonomy that are
        close to a known one (the PD505 rule's own matcher)."""
        if not self.known:
            return []
        out = []
        for tag in self.value():
            if tag in self.known:
                continue
            hint = closest_term(tag, self.known)
            if hint is not None:
                out.append((tag, hint.term))
        return out

    def note(self):
        dups = self.near_duplicates()
        if dups:
            return "; ".join(self.tr("“%1” looks like the known tag “%2”").replace("%1", a).replace("%2", b)
                             for a, b in dups), True
        lo, hi = self.spec.get("min"), self.spec.get("max")
        n = len(self.value())
        if hi is not None:
            return self.tr("%1 of at most %2 tags").replace("%1", str(n)).replace("%2", str(hi)), \
                (n > hi or (lo is not None and n < lo))
        return None


class IntegerField(FieldWidget):
    NONE = -1  # shown as "—": the field is absent or not a number

    def __init__(self, key, spec, form):
        super().__init__(key, spec, form)
        self.spin = QSpinBox()
        self.spin.setRange(self.NONE, 100000)
        self.spin.setSpecialValueText("—")
        self.lay.addWidget(self.spin)
        self.lay.addStretch(1)
        self.spin.valueChanged.connect(lambda _v: None if self.spin.signalsBlocked() else self.edited.emit())

    def value(self):
        v = self.spin.value()
        return None if v == self.NONE else v

    def set_value(self, value) -> None:
        v = value if isinstance(value, int) and not isinstance(value, bool) else self.NONE
        if v != self.spin.value():
            self.spin.blockSignals(True)
            self.spin.setValue(v)
            self.spin.blockSignals(False)


class DateTimeField(FieldWidget):
    """Date and time with a UTC offset; a checkbox for drafts, which have no date
    until they are published. An unreadable date is shown as it is and only replaced
    when the editor changes it here."""

    FORMAT = "yyyy-MM-dd HH:mm:ss"

    def __init__(self, key, spec, form):
        super().__init__(key, spec, form)
        self.enabled = QCheckBox()
        self.edit = QDateTimeEdit()
        self.edit.setDisplayFormat(self.FORMAT)
        self.edit.setCalendarPopup(True)
        self.offset = QLineEdit("+0900")
        self.offset.setFixedWidth(self.offset.fontMetrics().horizontalAdvance("+00000") + 16)
        self.offset.setInputMask("#9999")
        self.raw: str | None = None  # the unreadable value, kept until edited
        for w in (self.enabled, self.edit, self.offset):
            self.lay.addWidget(w)
        self.enabled.toggled.connect(self._toggled)
        self.edit.dateTimeChanged.connect(lambda _d: self._changed())
        self.offset.textEdited.connect(lambda _t: self._changed())
        self.retranslate()

    def retranslate(self) -> None:
        self.enabled.setToolTip(self.tr("Set a date (a draft gets one when it is published)"))
        self.offset.setToolTip(self.tr("UTC offset, e.g. +0900"))

    def _toggled(self, on: bool) -> None:
        self.edit.setEnabled(on)
        self.offset.setEnabled(on)
        if not self.signalsBlocked():
            self._changed()

    def _changed(self) -> None:
        if not self.signalsBlocked():
            self.raw = None
            self.edited.emit()

    def value(self):
        if not self.enabled.isChecked():
            return None
        if self.raw is not None:
            return self.raw
        tz = parse_offset(self.offset.text()) or timezone(timedelta(hours=9))
        d = self.edit.dateTime().toPython().replace(tzinfo=tz, microsecond=0)
        return format_date(d)

    def set_value(self, value) -> None:
        self.blockSignals(True)
        try:
            when = parse_date(value) if value is not None else None
            present = value not in (None, "")
            self.enabled.setChecked(present)
            self.edit.setEnabled(present)
            self.offset.setEnabled(present)
            self.raw = None
            if when is None and present:
                self.raw = str(value)
            if when is not None:
                self.edit.setDateTime(QDateTime(when.replace(tzinfo=None)))
                if when.tzinfo is not None:
                    off = when.utcoffset()
                    minutes = int(off.total_seconds() // 60)
                    sign = "-" if minutes < 0 else "+"
                    self.offset.setText(f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}")
            elif not present:
                self.edit.setDateTime(QDateTime.currentDateTime())
        finally:
            self.blockSignals(False)

    def note(self):
        if self.raw is not None:
            return self.tr("Unreadable date: %1").replace("%1", self.raw), True
        if self.enabled.isChecked() and parse_offset(self.offset.text()) is None:
            return self.tr("The UTC offset must look like +0900"), True
        return None


class ImageField(FieldWidget):
    """The share image: its site path, a thumbnail of the file, a file picker."""

    def __init__(self, key, spec, form):
        super().__init__(key, spec, form)
        col = QVBoxLayout()
        self.edit = QLineEdit()
        self.pick = QPushButton()
        row = QHBoxLayout()
        row.addWidget(self.edit, 1)
        row.addWidget(self.pick)
        self.thumb = QLabel()
        self.thumb.setFixedSize(THUMB)
        self.thumb.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.thumb.setObjectName("ImageThumbnail")
        col.addLayout(row)
        col.addWidget(self.thumb)
        self.lay.addLayout(col)
        self.edit.textEdited.connect(lambda _t: (self.update_thumbnail(), self.edited.emit()))
        self.pick.clicked.connect(self.choose)
        self.retranslate()

    def retranslate(self) -> None:
        self.pick.setText(self.tr("Choose…"))
        self.update_thumbnail()

    def value(self) -> str:
        return self.edit.text()

    def set_value(self, value) -> None:
        set_line_text(self.edit, value)
        self.update_thumbnail()

    def file(self) -> Path | None:
        """The image file under the site root, or None (no site, empty, remote)."""
        site, url = self.form.site, self.edit.text().strip()
        if site is None or not url or "://" in url:
            return None
        return site.root / url.lstrip("/")

    def update_thumbnail(self) -> None:
        path = self.file()
        pix = QPixmap(str(path)) if path is not None and path.is_file() else QPixmap()
        if pix.isNull():
            self.thumb.setPixmap(QPixmap())
            self.thumb.setText(self.tr("No image") if not self.edit.text().strip() else self.tr("Image not found"))
        else:
            self.thumb.setText("")
            self.thumb.setPixmap(pix.scaled(THUMB, Qt.AspectRatioMode.KeepAspectRatio,
                                            Qt.TransformationMode.SmoothTransformation))

    def choose(self) -> None:
        start = str(self.file().parent if self.file() else (self.form.site.root if self.form.site else Path.home()))
        name, _ = QFileDialog.getOpenFileName(self, self.tr("Share Image"), start,
                                              self.tr("Images (*.png *.jpg *.jpeg *.webp *.gif)"))
        if name:
            self.set_file(Path(name))

    def set_file(self, path: Path) -> bool:
        """Use a file picked on disk: it must lie under the site root (the site serves it)."""
        site = self.form.site
        if site is None:
            return False
        try:
            rel = Path(path).resolve().relative_to(site.root.resolve())
        except ValueError:
            self.thumb.setText(self.tr("Pick a file inside the site"))
            return False
        self.edit.setText("/" + rel.as_posix())
        self.update_thumbnail()
        self.edited.emit()
        return True


def make_field(key: str, spec: dict, form: "FrontMatterForm") -> FieldWidget:
    """The widget for one field's spec (unknown types edit as text)."""
    kind = spec.get("type", "text")
    if kind == "choice":
        return ChoiceField(key, spec, form)
    if kind == "datetime" or kind == "date":
        return DateTimeField(key, spec, form)
    if kind == "integer":
        return IntegerField(key, spec, form)
    if kind == "image":
        return ImageField(key, spec, form)
    if kind == "list":
        known = form.taxonomy(spec.get("from"))
        if spec.get("from") == "categories" and spec.get("max") == 1:
            return CategoryField(key, spec, form, choices=known)
        return TagsField(key, spec, form, known)
    return TextField(key, spec, form)


# -- the form ------------------------------------------------------------------
class FrontMatterForm(QScrollArea):
    """The form for the open post. `fieldEdited(key, value)`: value None removes."""

    fieldEdited = Signal(str, object)

    def __init__(self, parent=None, doc_provider: Callable[[], Any] | None = None):
        super().__init__(parent)
        self.setObjectName("FrontMatterForm")
        self.setWidgetResizable(True)
        # the fields take the dock's width; a sideways scrollbar would hide buttons
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.doc_provider = doc_provider
        self.site = None
        self.fields: dict[str, FieldWidget] = {}
        self.labels: dict[str, QLabel] = {}
        self.notes: dict[str, QLabel] = {}
        self.findings: list[Finding] = []
        self._pending: set[str] = set()
        self._doc = None
        self.inner = QWidget()
        self.layout_ = QFormLayout(self.inner)
        self.layout_.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.general = QLabel()  # findings about the front matter as a whole
        self.general.setWordWrap(True)
        self.setWidget(self.inner)
        self._edit_timer = QTimer(self, singleShot=True, interval=EDIT_DELAY_MS)
        self._edit_timer.timeout.connect(self.flush)
        self._refresh_timer = QTimer(self, singleShot=True, interval=REFRESH_DELAY_MS)
        self._refresh_timer.timeout.connect(self.refresh)
        self.setEnabled(False)

    # -- building -------------------------------------------------------------
    def taxonomy(self, name: str | None) -> list[str]:
        if self.site is None or not name:
            return []
        return list(self.site.config["taxonomy"].get(name) or [])

    def field_specs(self) -> dict[str, dict]:
        """Configured fields, then required keys without a spec (as text)."""
        specs = dict(self.site.config.fields) if self.site else {}
        for key in (self.site.config.required if self.site else []):
            specs.setdefault(key, {"type": "text"})
        return specs

    def set_site(self, site) -> None:
        """Rebuild the rows for a site's `.editorial.yml`."""
        self.site = site
        while self.layout_.rowCount():
            self.layout_.removeRow(0)
        self.fields, self.labels, self.notes = {}, {}, {}
        self.general = QLabel()
        self.general.setWordWrap(True)
        self.layout_.addRow(self.general)
        for key, spec in self.field_specs().items():
            w = make_field(key, spec, self)
            label, note = QLabel(), QLabel()
            note.setWordWrap(True)
            note.setObjectName(f"note_{key}")
            box = QWidget()
            v = QVBoxLayout(box)
            v.setContentsMargins(0, 0, 0, 0)
            v.setSpacing(1)
            v.addWidget(w)
            v.addWidget(note)
            w.edited.connect(lambda key=key: self._edited(key))
            self.fields[key], self.labels[key], self.notes[key] = w, label, note
            self.layout_.addRow(label, box)
        self.retranslate()
        self._load(self._doc, skip=set())  # new widgets show the open post (or sensible blanks)

    def retranslate(self) -> None:
        names = {"layout": self.tr("Layout"), "title": self.tr("Title"), "date": self.tr("Date"),
                 "categories": self.tr("Category"), "tags": self.tr("Tags"), "author": self.tr("Author"),
                 "excerpt": self.tr("Excerpt"), "reading_time": self.tr("Reading time (min)"),
                 "image": self.tr("Share image")}
        for key, label in self.labels.items():
            label.setText(names.get(key, key))
            label.setToolTip(key)
        for w in self.fields.values():
            w.retranslate()
        self._update_notes()

    def changeEvent(self, event) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- values in and out -------------------------------------------------------
    def set_document(self, doc) -> None:
        """Show a post's fields (None: no post open). Drops pending edits."""
        self._pending.clear()
        self._edit_timer.stop()
        self._doc = doc
        self.setEnabled(readable(doc))
        self._load(doc, skip=set())

    def _load(self, doc, skip: set[str]) -> None:
        fields = doc.fields if doc is not None else {}
        for key, w in self.fields.items():
            if key not in skip:
                w.set_value(fields.get(key))
        self._update_notes()

    def schedule_refresh(self) -> None:
        self._refresh_timer.start()

    def refresh(self) -> None:
        """Re-read the fields from the editor's text (fields still being typed in stay)."""
        self._refresh_timer.stop()
        if self.doc_provider is None:
            return
        doc = self.doc_provider()
        self._doc = doc
        self.setEnabled(readable(doc))
        if readable(doc):
            self._load(doc, skip=set(self._pending))

    def _edited(self, key: str) -> None:
        self._pending.add(key)
        self._edit_timer.start()
        self._update_notes()

    def flush(self) -> None:
        """Announce every pending edit now (also called before save and publish)."""
        self._edit_timer.stop()
        pending, self._pending = self._pending, set()
        for key in sorted(pending):
            self.fieldEdited.emit(key, self.fields[key].value())

    # -- findings ---------------------------------------------------------------
    def set_findings(self, findings: list[Finding]) -> None:
        self.findings = [f for f in findings if f.rule.startswith("PD5")]
        self._update_notes()

    def findings_for(self, key: str) -> list[Finding]:
        """PD5xx findings on the key's lines, or naming a key that is absent."""
        doc = self._doc
        span = doc.field_lines(key) if doc is not None else None
        out = []
        for f in self.findings:
            if span is not None and span[0] <= f.line <= span[1]:
                out.append(f)
            elif span is None and f"`{key}`" in f.message.en:
                out.append(f)
        return out

    def _update_notes(self) -> None:
        lang = current_lang()
        if self._doc is None:  # no post: no counts or hints about empty widgets
            for label in self.notes.values():
                label.setVisible(False)
            self.general.setVisible(False)
            return
        claimed: set[int] = set()
        for key, label in self.notes.items():
            lines, worst = [], None
            live = self.fields[key].note()
            if live is not None:
                lines.append(live[0])
                worst = Severity.WARNING if live[1] else None
            for f in self.findings_for(key):
                claimed.add(id(f))
                lines.append(f"{f.rule}: {f.message(lang)}")
                worst = f.severity if worst is None or f.severity.rank < worst.rank else worst
            label.setText("\n".join(lines))
            label.setVisible(bool(lines))
            color = SEVERITY_COLORS[worst].name() if worst is not None else "#757575"
            set_style(label, f"color: {color}; font-size: 11px;")
        rest = [f for f in self.findings if id(f) not in claimed]
        self.general.setText("\n".join(f"{f.rule}: {f.message(lang)}" for f in rest))
        self.general.setVisible(bool(rest))
        set_style(self.general, f"color: {SEVERITY_COLORS[Severity.ERROR].name()};")
