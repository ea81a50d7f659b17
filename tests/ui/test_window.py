"""The main window on a copied site: list, editor, preview, findings, fix, save."""
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QSplitter

from conftest import CLEAN, DAMAGED, DRAFT, ime_commit, open_post, type_text


def test_window_opens_site_with_list_counts(window):
    titles = window.post_list.visible_titles()
    assert len(titles) == 4
    assert "検証止まりのAI案件を本番に乗せる：壊れた下書き" in titles
    rows = {r.info.rel: r for r in window.post_list.model.rows}
    assert rows[DAMAGED].errors >= 1
    assert rows[DRAFT].draft
    assert window.findChild(QDockWidget, "PostListDock").isVisible()
    assert min(window.findChild(QSplitter, "EditorPreviewSplitter").sizes()) > 100


def test_filter_list_by_text_status_and_errors(window, qtbot):
    pl = window.post_list
    pl.search.setText("壊れた")
    assert pl.visible_titles() == ["検証止まりのAI案件を本番に乗せる：壊れた下書き"]
    pl.search.setText("rag chunk")  # fuzzy, on the file name
    assert any("RAG" in t for t in pl.visible_titles())
    pl.search.clear()
    pl.status.setCurrentIndex(pl.status.findData("draft"))
    assert pl.visible_titles() == ["RAGのチャンク設計を見直す：公開前の下書き"]
    pl.status.setCurrentIndex(0)
    pl.errors_only.setChecked(True)
    assert "検証止まりのAI案件を本番に乗せる：壊れた下書き" in pl.visible_titles()
    assert all(r.errors for r in pl.model.rows if r.title in pl.visible_titles())
    pl.errors_only.setChecked(False)
    pl.category.setCurrentIndex(pl.category.findData("AI技術ガイド"))
    assert all(r.category == "AI技術ガイド" for r in pl.model.rows if r.title in pl.visible_titles())


def test_open_damaged_post_jump_fix_and_save(window, qtbot):
    site = window.site.root
    before = (site / DAMAGED).read_bytes()
    findings = open_post(qtbot, window, DAMAGED)
    marker = next(f for f in findings if f.rule == "PD101")
    assert marker.line == 15
    # the panel groups by severity with counts
    head = window.findings_panel.model.item(0, 0).text()
    assert head.startswith(("エラー", "Errors")) and "(1)" in head
    # click the finding: the editor selects its line
    idx = window.findings_panel.model.index_of(marker)
    window.findings_panel.view.setCurrentIndex(idx)
    window.findings_panel.view.clicked.emit(idx)
    assert window.editor.textCursor().selectedText() == "---END---"
    assert window.editor.selected_line_range() == (15, 15)
    # Fix: one undoable edit
    assert window.findings_panel.fix_btn.isEnabled()
    with qtbot.waitSignal(window.findingsUpdated, timeout=20000):
        window.findings_panel.fix_btn.click()
    assert "---END---" not in window.editor.toPlainText()
    assert not any(f.rule == "PD101" for f in window.findings)
    window.editor.undo()
    assert "---END---" in window.editor.toPlainText()
    window.editor.redo()
    assert "---END---" not in window.editor.toPlainText()
    # save: the file changes only by the removed line
    with qtbot.waitSignal(window.saved):
        window.actions_by_name["save"].trigger()
    after = (site / DAMAGED).read_bytes()
    assert after == before.replace(b"\n---END---\n\n", b"\n", 1)  # the line and one blank
    assert not window.is_modified()


def test_f8_steps_through_findings(window, qtbot):
    findings = open_post(qtbot, window, DAMAGED)
    ordered = sorted(findings, key=lambda f: f.sort_key())
    window.editor.select_lines(1)
    window.actions_by_name["next_finding"].trigger()
    first = window.findings_panel.current_finding()
    assert first == ordered[0]
    window.actions_by_name["next_finding"].trigger()
    assert window.findings_panel.current_finding() == ordered[1]
    window.actions_by_name["prev_finding"].trigger()
    assert window.findings_panel.current_finding() == ordered[0]
    assert window.editor.selected_line_range()[0] == ordered[0].line


def test_typing_rechecks_off_the_ui_thread(window, qtbot):
    open_post(qtbot, window, CLEAN)
    assert not any(f.rule == "PD101" for f in window.findings)
    cur = window.editor.textCursor()
    cur.movePosition(cur.MoveOperation.End)
    window.editor.setTextCursor(cur)
    with qtbot.waitSignal(window.findingsUpdated, timeout=20000):
        type_text(window.editor, "\n---END---\n")
    assert any(f.rule == "PD101" for f in window.findings)
    assert window.is_modified()


def test_preview_shows_the_post(window, qtbot):
    with qtbot.waitSignal(window.preview.rendered, timeout=20000):
        open_post(qtbot, window, CLEAN)
    assert "data-line" in window.preview.last_html
    assert "チャンク" in window.preview.last_html
    texts = []
    qtbot.waitUntil(lambda: window.preview.page().toPlainText(texts.append) or bool(texts), timeout=10000)
    qtbot.waitUntil(lambda: any("チャンク" in t for t in texts), timeout=10000)


def test_unreadable_file_is_refused(window, qtbot, prompts):
    bad = window.site.root / "_posts" / "2026-05-01-1-sjis.md"
    bad.write_bytes("---\ntitle: テスト\n---\n本文".encode("cp932"))
    assert not window.open_post(bad)
    assert prompts.kinds() == ["error"]
    assert "Shift_JIS" in prompts.asked[0][2]
    assert bad.read_bytes() == "---\ntitle: テスト\n---\n本文".encode("cp932")


def test_view_menu_switches_language_and_rule_messages(window, qtbot):
    findings = open_post(qtbot, window, DAMAGED)
    marker = next(f for f in findings if f.rule == "PD101")
    panel = window.findings_panel
    assert panel.model.index_of(marker).data() == marker.message.ja.replace("\n", " ")
    window.actions_by_name["lang_en"].trigger()
    qtbot.waitUntil(lambda: window.file_menu.title() == "&File", timeout=3000)
    assert window.list_dock.windowTitle() == "Posts"
    assert panel.model.index_of(marker).data() == marker.message.en.replace("\n", " ")
    assert window.form.labels["title"].text() == "Title"
    window.actions_by_name["lang_ja"].trigger()
    qtbot.waitUntil(lambda: window.file_menu.title() != "&File", timeout=3000)
    assert panel.model.index_of(marker).data() == marker.message.ja.replace("\n", " ")
    assert window.actions_by_name["lang_ja"].isChecked()
