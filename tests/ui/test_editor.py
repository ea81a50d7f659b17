"""The editor: Japanese input methods, highlighting-safe edits, find/replace, margin."""
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication

from app.core.findings import Edit, Finding, Severity, Text
from app.ui.editor import MarkdownEditor

from conftest import CLEAN, cursor_at_line_end, ime_commit, open_post, type_text


def test_input_method_preedit_then_commit(qtbot):
    ed = MarkdownEditor()
    qtbot.addWidget(ed)
    ed.show()
    ed.set_text("---\ntitle: x\n---\n本文")
    cur = ed.textCursor()
    cur.movePosition(cur.MoveOperation.End)
    ed.setTextCursor(cur)
    attr = QInputMethodEvent.Attribute(QInputMethodEvent.AttributeType.Cursor, 4, 1, 0)
    QApplication.sendEvent(ed, QInputMethodEvent("にほんご", [attr]))
    assert ed.textCursor().block().layout().preeditAreaText() == "にほんご"
    assert "にほんご" not in ed.toPlainText()
    done = QInputMethodEvent()
    done.setCommitString("日本語")
    QApplication.sendEvent(ed, done)
    assert ed.toPlainText().endswith("本文日本語")
    assert ed.document().isModified()
    ed.undo()
    assert ed.toPlainText().endswith("本文")


def test_ime_in_the_window_rechecks_and_previews(window, qtbot):
    open_post(qtbot, window, CLEAN)
    cursor_at_line_end(window.editor, 12)
    with qtbot.waitSignal(window.preview.rendered, timeout=20000):
        ime_commit(window.editor, "けんしょう", "検証メモ")
    assert "検証メモ" in window.editor.toPlainText()
    qtbot.waitUntil(lambda: "検証メモ" in window.preview.last_html, timeout=10000)
    assert window.current_doc().text == window.editor.toPlainText()


def test_apply_edits_is_one_undo_step_even_with_astral_characters(qtbot):
    ed = MarkdownEditor()
    qtbot.addWidget(ed)
    ed.set_text("a😀b\nline two\nline three")
    text = ed.toPlainText()
    i = text.index("two")
    ed.apply_edits([Edit(i, i + 3, "2"), Edit(text.index("b"), text.index("b") + 1, "B")])
    assert ed.toPlainText() == "a😀B\nline 2\nline three"
    ed.undo()
    assert ed.toPlainText() == "a😀b\nline two\nline three"


def test_find_and_replace_all_is_undoable(qtbot):
    from app.ui.editor import FindBar
    ed = MarkdownEditor()
    bar = FindBar(ed)
    qtbot.addWidget(ed)
    qtbot.addWidget(bar)
    ed.set_text("生成AIと生成AI、そして生成ＡＩ")
    bar.open_bar(replace=True)
    bar.find_edit.setText("生成AI")
    assert bar.find_next()
    assert ed.textCursor().selectedText() == "生成AI"
    bar.replace_edit.setText("GenAI")
    assert bar.replace_all() == 2
    assert ed.toPlainText() == "GenAIとGenAI、そして生成ＡＩ"
    ed.undo()
    assert ed.toPlainText() == "生成AIと生成AI、そして生成ＡＩ"


def test_findings_marked_in_margin_and_underlined(qtbot):
    ed = MarkdownEditor()
    qtbot.addWidget(ed)
    ed.set_text("one\ntwo\nthree")
    f = Finding("PD101", "generation-marker", Severity.ERROR, 2, Text("x", "x"))
    ed.set_findings([f])
    assert ed._line_marks == {2: Severity.ERROR}
    underlined = [s for s in ed.extraSelections() if s.format.underlineStyle() != s.format.UnderlineStyle.NoUnderline]
    assert len(underlined) == 1 and underlined[0].cursor.selectedText() == "two"
    ed.show()
    qtbot.waitExposed(ed)
    ed.line_area.grab()  # paints without error


def test_typing_ascii_through_key_events(qtbot):
    ed = MarkdownEditor()
    qtbot.addWidget(ed)
    type_text(ed, "## 見出し\n本文")
    assert ed.toPlainText() == "## 見出し\n本文"


def test_liquid_tags_survive_open_edit_save_byte_for_byte(window, qtbot):
    """Liquid is the site's, not PostDesk's: kept exactly through the editor and the form."""
    path = window.site.root / CLEAN
    liquid = ("\n[前回の記事]({% link _posts/2026-03-10-1-poc-to-production-gap.md %}) と "
              "{{ site.url }}{{ page.url }} と {%- raw -%}{{ x }}{%- endraw -%}\n")
    original = path.read_bytes() + liquid.encode("utf-8")
    path.write_bytes(original)
    open_post(qtbot, window, CLEAN)
    assert window.editor.toPlainText().endswith(liquid)
    window.editor.document().setModified(True)  # a save without a change
    assert window.save()
    assert path.read_bytes() == original
    window.form.fields["reading_time"].spin.setValue(9)
    window.form.flush()
    assert window.save()
    after = path.read_bytes()
    assert after.endswith(liquid.encode("utf-8"))
    assert after == original.replace(b"\nreading_time: 0\n", b"\nreading_time: 9\n")


def highlighting(editor) -> list[tuple]:
    """Every block's state and formats (start, length, a copy of the format)."""
    from PySide6.QtGui import QTextCharFormat
    out = []
    block = editor.document().firstBlock()
    while block.isValid():
        ranges = [(r.start, r.length, QTextCharFormat(r.format)) for r in block.layout().formats()]
        out.append((block.blockNumber(), block.userState(), ranges))
        block = block.next()
    return out


def test_a_long_text_is_highlighted_in_slices_as_in_one_pass(qtbot):
    """A new text is highlighted a screenful at once and the rest from the event
    loop; in the end every block has the state and formats of one pass over the
    text (front matter, fences that change the state of the blocks after them,
    headings, links), also with edits made while slices were still to come."""
    from app.ui.editor import MarkdownEditor
    part = ("## 見出し\n\n本文の**強調**と[リンク](https://example.com)、`code`。\n\n"
            "```python\n# not a heading\nx = 1\n```\n\n> 引用\n{: .note}\n\n")
    text = "---\ntitle: \"題名\"\ntags: [a]\n---\n" + part * 120 + "```\nunclosed fence\n" + part * 3
    sliced = MarkdownEditor()
    qtbot.addWidget(sliced)
    sliced.resize(600, 300)
    sliced.set_text(text)
    assert sliced.highlighter.pending()
    last = sliced.document().lastBlock()
    assert last.userState() == -1 and not last.layout().formats()  # not highlighted yet
    cur = sliced.textCursor()
    cur.setPosition(len(text) - 30)
    cur.insertText("```\n")  # an edit among the deferred blocks
    qtbot.waitUntil(lambda: not sliced.highlighter.pending(), timeout=10000)
    plain = MarkdownEditor()
    qtbot.addWidget(plain)
    plain.highlighter.defer_after(10 ** 9)  # everything at once, as before
    plain.setPlainText(sliced.toPlainText())
    assert highlighting(sliced) == highlighting(plain)
    assert len(highlighting(plain)) > 1000
