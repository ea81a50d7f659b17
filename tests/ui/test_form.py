"""The front-matter form: generated from .editorial.yml, writes back losslessly (only
the edited field's line changes), undoable through the editor, inline PD5xx findings,
live counts, tag completion and near-duplicate warnings, image thumbnail and picker."""
from PySide6.QtCore import QDateTime
from PySide6.QtGui import QColor, QPixmap

from app.ui.form import (
    CategoryField,
    ChoiceField,
    DateTimeField,
    ImageField,
    IntegerField,
    TagsField,
    TextField,
    split_tags,
)

from conftest import CLEAN, DRAFT, cursor_at_line_end, ime_commit, open_post, type_text


def changed_lines(before: bytes, after: bytes) -> list[int]:
    """1-based lines that differ (same line count expected)."""
    a, b = before.split(b"\n"), after.split(b"\n")
    assert len(a) == len(b)
    return [i + 1 for i, (x, y) in enumerate(zip(a, b)) if x != y]


def notes_text(window, key: str) -> str:
    return window.form.notes[key].text()


def test_split_tags_accepts_japanese_commas():
    assert split_tags("LLM, 生成AI、RAG ，DX,") == ["LLM", "生成AI", "RAG", "DX"]


def test_widgets_follow_the_config(window):
    f = window.form.fields
    assert isinstance(f["title"], TextField) and isinstance(f["excerpt"], TextField)
    assert isinstance(f["layout"], ChoiceField)
    assert isinstance(f["date"], DateTimeField)
    assert isinstance(f["categories"], CategoryField)
    assert isinstance(f["tags"], TagsField)
    assert isinstance(f["reading_time"], IntegerField)
    assert isinstance(f["image"], ImageField)
    cats = [f["categories"].combo.itemText(i) for i in range(f["categories"].combo.count())]
    assert cats[1:] == window.site.config.categories


def test_form_shows_the_open_post(window, qtbot):
    open_post(qtbot, window, CLEAN)
    f = window.form.fields
    assert f["title"].value().startswith("RAGの回答精度")
    assert f["categories"].value() == ["AI技術ガイド"]
    assert f["tags"].value() == ["RAG", "LLM", "データ活用"]
    assert f["date"].value() == "2026-02-09 11:30:00 +0900"
    assert f["reading_time"].value() == 0


def test_title_edit_changes_only_its_line_and_undoes(window, qtbot):
    open_post(qtbot, window, CLEAN)
    path = window.site.root / CLEAN
    before = path.read_bytes()
    title = window.form.fields["title"]
    title.edit.setFocus()
    title.edit.selectAll()
    qtbot.keyClicks(title.edit, "New title")
    # the live count follows the typing before anything is written
    assert notes_text(window, "title").startswith("9 / 60")
    window.form.flush()
    assert 'title: "New title"' in window.editor.toPlainText()
    assert window.is_modified()
    window.save()
    assert changed_lines(before, path.read_bytes()) == [3]
    window.editor.undo()
    assert window.editor.toPlainText().split("\n")[2].startswith('title: "RAGの回答精度')
    window.form.refresh()
    assert window.form.fields["title"].value().startswith("RAGの回答精度")


def test_ime_into_the_form_and_typing_in_the_editor_refreshes_it(window, qtbot):
    open_post(qtbot, window, CLEAN)
    author = window.form.fields["author"]
    author.edit.setFocus()
    author.edit.selectAll()
    ime_commit(author.edit, "へんしゅうぶ", "編集チーム")
    assert author.value() == "編集チーム"
    window.form.flush()
    assert 'author: "編集チーム"' in window.editor.toPlainText()
    # typing in the editor's front matter shows up in the form
    cursor_at_line_end(window.editor, 7, back=1)
    type_text(window.editor, "A")
    qtbot.waitUntil(lambda: window.form.fields["author"].value() == "編集チームA", timeout=3000)


def test_category_and_tags_write_flow_lists(window, qtbot):
    open_post(qtbot, window, CLEAN)
    path = window.site.root / CLEAN
    before = path.read_bytes()
    cat = window.form.fields["categories"]
    cat.combo.setCurrentIndex(cat.combo.findData("AI導入戦略"))
    cat.combo.activated.emit(cat.combo.currentIndex())
    tags = window.form.fields["tags"]
    tags.edit.setText("RAG, LLM")
    tags.edited.emit()
    window.form.flush()
    window.save()
    lines = path.read_bytes().decode().split("\n")
    assert lines[4] == "categories: [AI導入戦略]"
    assert lines[5] == 'tags: ["RAG", "LLM"]'
    assert changed_lines(before, path.read_bytes()) == [5, 6]


def test_tag_completion_and_near_duplicate_warning(window, qtbot):
    open_post(qtbot, window, CLEAN)
    tags = window.form.fields["tags"]
    tags.edit.setFocus()
    tags.edit.setText("RAG, ")
    qtbot.keyClicks(tags.edit, "Cha")
    model = tags.completer.completionModel()
    options = [model.index(i, 0).data() for i in range(model.rowCount())]
    assert "ChatGPT" in options and "チャットボット" not in options
    tags._complete("ChatGPT")
    assert tags.value() == ["RAG", "ChatGPT"]
    tags.edit.setText("RAG, 生成ＡＩ")
    tags.edited.emit()
    assert tags.near_duplicates() == [("生成ＡＩ", "生成AI")]
    assert "生成AI" in notes_text(window, "tags")


def test_excerpt_count_and_inline_pd506(window, qtbot):
    open_post(qtbot, window, CLEAN)
    ex = window.form.fields["excerpt"]
    ex.edit.setText("短い抜粋")
    ex.edited.emit()
    assert notes_text(window, "excerpt").startswith("4 / 60–160")
    with qtbot.waitSignal(window.findingsUpdated, timeout=20000):
        window.form.flush()
    assert any(f.rule == "PD506" for f in window.form.findings_for("excerpt"))
    assert "PD506" in notes_text(window, "excerpt")
    note = window.form.notes["excerpt"]
    assert QColor("#ef8f00").name() in note.styleSheet()


def test_draft_date_is_off_and_setting_it_writes_house_format(window, qtbot):
    open_post(qtbot, window, DRAFT)
    d = window.form.fields["date"]
    assert d.value() is None and not d.edit.isEnabled()
    d.enabled.setChecked(True)
    d.edit.setDateTime(QDateTime.fromString("2026-05-02 08:15:00", "yyyy-MM-dd HH:mm:ss"))
    window.form.flush()
    assert "date: 2026-05-02 08:15:00 +0900" in window.editor.toPlainText()
    d.enabled.setChecked(False)
    window.form.flush()
    assert "date:" not in window.editor.toPlainText().split("\n---")[0]


def test_unreadable_date_is_kept_until_edited(window, qtbot):
    open_post(qtbot, window, CLEAN)
    text = window.editor.toPlainText().replace("date: 2026-02-09 11:30:00 +0900", "date: 2026-02-30 11:30:00 +0900")
    window.editor.replace_all_text(text)
    window.form.refresh()
    d = window.form.fields["date"]
    assert d.value() == "2026-02-30 11:30:00 +0900"
    assert "2026-02-30" in notes_text(window, "date")
    window.form.flush()  # nothing pending: nothing rewritten
    assert "2026-02-30" in window.editor.toPlainText()


def test_reading_time_spin(window, qtbot):
    open_post(qtbot, window, CLEAN)
    spin = window.form.fields["reading_time"].spin
    spin.setValue(7)
    window.form.flush()
    assert "\nreading_time: 7\n" in window.editor.toPlainText()


def test_image_thumbnail_and_picker(window, qtbot, tmp_path):
    open_post(qtbot, window, CLEAN)
    img = window.form.fields["image"]
    assert img.thumb.pixmap().isNull()  # the fixture site has no image
    target = window.site.root / "assets/images/posts/picked.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    pix = QPixmap(320, 168)
    pix.fill(QColor("#3366cc"))
    assert pix.save(str(target))
    assert img.set_file(target)
    assert img.value() == "/assets/images/posts/picked.png"
    assert not img.thumb.pixmap().isNull()
    outside = tmp_path / "outside.png"
    pix.save(str(outside))
    assert not img.set_file(outside)
    window.form.flush()
    assert 'image: "/assets/images/posts/picked.png"' in window.editor.toPlainText()


def test_a_field_type_without_value_accessors_is_refused_when_defined():
    import pytest
    from app.ui.form import FieldWidget
    with pytest.raises(TypeError, match="set_value"):
        type("HalfField", (FieldWidget,), {"value": lambda self: None})
