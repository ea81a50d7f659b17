"""Issue 4's "Done when": an editor's day on a copy of the sample site, through the
real widgets. Filter the list, open a damaged post, see its findings, jump to one,
fix it, save (the file changes only where it should); try to publish a draft with
errors (blocked, the real dialog lists them), fix it by hand, with the Fix button
and in the form (typing Japanese through an input method), publish it; validate the
site from the Tools menu, export the report and open a finding from it."""
import difflib
import json
import re
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QMessageBox

from app.ui.post_list import COL_TITLE

from conftest import DialogAnswerer, ime_commit, settle

ROOT = Path(__file__).resolve().parents[2]
DAMAGED = "_posts/2026-08-18-1-manufacturing-dx-ai-seven-steps.md"
DAMAGED_TITLE = "製造業のDXでAIを活かす7つのステップ"
DRAFT = "_drafts/ai-agent-backoffice-automation.md"
SHORT_TITLE = "AIエージェントに業務を任せる前の判断基準と監査対応"

pytestmark = pytest.mark.slow


def click_row(qtbot, view, index) -> None:
    """Click a row of a table or tree the way the editor does."""
    view.scrollTo(index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center())


def click_list_title(qtbot, w, title: str) -> None:
    pl = w.post_list
    row = pl.visible_titles().index(title)
    with qtbot.waitSignal(w.findingsUpdated, timeout=30000):
        click_row(qtbot, pl.view, pl.proxy.index(row, COL_TITLE))


def click_finding(qtbot, w, rule: str, line: int | None = None):
    f = next(f for f in w.findings if f.rule == rule and (line is None or f.line == line))
    click_row(qtbot, w.findings_panel.view, w.findings_panel.model.index_of(f))
    return f


def fix_with_button(qtbot, w, rule: str, line: int | None = None) -> None:
    click_finding(qtbot, w, rule, line)
    assert w.findings_panel.fix_btn.isEnabled()
    with qtbot.waitSignal(w.findingsUpdated, timeout=30000):
        qtbot.mouseClick(w.findings_panel.fix_btn, Qt.MouseButton.LeftButton)


def replace_in_editor(w, pattern: str, replacement: str) -> None:
    """An edit by hand: select what matches and type over it."""
    text = w.editor.toPlainText()
    m = re.search(pattern, text, re.S)
    assert m, pattern
    cur = w.editor.textCursor()
    cur.setPosition(m.start())
    cur.setPosition(m.end(), QTextCursor.MoveMode.KeepAnchor)
    w.editor.setTextCursor(cur)
    cur.insertText(replacement)


def test_an_editors_day(qtbot, tmp_path):
    from app.ui.main_window import MainWindow
    site = tmp_path / "site"
    shutil.copytree(ROOT / "content", site)
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    with qtbot.waitSignal(w.post_list.model.filled, timeout=120000):
        assert w.open_site(site)
    pl = w.post_list
    # the list counts what `postdesk check` on the site reports, PD204 included
    pair = (site / "_posts/2026-06-19-2-regional-bank-chatbot-30pct.md").resolve()
    row = pl.model.rows[pl.model.row_for_path(pair)]
    assert (row.errors, row.warnings) == (0, 1)
    with qtbot.waitSignal(w.findingsUpdated, timeout=30000):
        w.open_post(pair)
    assert [f.rule for f in w.findings] == ["PD204"]

    # -- morning: find the damaged post -----------------------------------------------
    qtbot.keyClicks(pl.search, "seven steps")  # fuzzy, on the file name
    assert DAMAGED_TITLE in pl.visible_titles()
    pl.search.clear()
    qtbot.mouseClick(pl.errors_only, Qt.MouseButton.LeftButton, pos=QPoint(6, pl.errors_only.height() // 2))
    assert pl.errors_only.isChecked()
    with_errors = pl.visible_titles()
    assert DAMAGED_TITLE in with_errors and "RAGの回答精度はチャンク設計で決まる：分割サイズと重なりの考え方" not in with_errors
    click_list_title(qtbot, w, DAMAGED_TITLE)
    assert w.path == (site / DAMAGED).resolve()

    # its findings, grouped by severity with counts
    errors = [f for f in w.findings if f.severity.value == "error"]
    head = w.findings_panel.model.item(0, 0).text()
    assert head.startswith("エラー") and f"({len(errors)})" in head
    assert sorted(f.line for f in w.findings if f.rule == "PD101") == [32, 54, 125, 133]

    # jump to the first marker and fix it
    click_finding(qtbot, w, "PD101", 32)
    assert w.editor.selected_line_range() == (32, 32)
    assert w.editor.textCursor().selectedText() == "---END---"
    before = (site / DAMAGED).read_bytes()
    fix_with_button(qtbot, w, "PD101", 32)
    assert sorted(f.line for f in w.findings if f.rule == "PD101") != [32, 54, 125, 133]
    with qtbot.waitSignal(w.saved):
        w.actions_by_name["save"].trigger()
    after = (site / DAMAGED).read_bytes()
    diff = [d for d in difflib.ndiff(before.decode().split("\n"), after.decode().split("\n")) if d[:1] in "+-"]
    assert diff and all(d.startswith("- ") for d in diff)  # only deletions…
    assert "- ---END---" in diff and len(diff) <= 2  # …the marker and at most one blank line
    assert "2026-08-18-1-manufacturing" in w.windowTitle() and "●" not in w.windowTitle()

    # -- afternoon: a draft that is not ready ------------------------------------------
    qtbot.mouseClick(pl.errors_only, Qt.MouseButton.LeftButton, pos=QPoint(6, pl.errors_only.height() // 2))
    pl.status.setCurrentIndex(pl.status.findData("draft"))
    draft_title = next(t for t in pl.visible_titles() if t.startswith("AIエージェントでバックオフィス"))
    click_list_title(qtbot, w, draft_title)
    with DialogAnswerer(QMessageBox.StandardButton.Ok) as dialogs:
        assert w.actions_by_name["publish"].trigger() is None
        qtbot.waitUntil(lambda: bool(dialogs.seen), timeout=10000)
    title, text, details = dialogs.seen[0]
    assert "PD101" in details and "PD102" in details and "26" in details
    assert "PD101" in text  # listed in the box itself, not only under Details
    assert (site / DRAFT).exists() and not any("backoffice" in p.name for p in (site / "_posts").iterdir())

    # fix it: the markers with the Fix button, the cut paragraphs by hand
    fix_with_button(qtbot, w, "PD101")
    fix_with_button(qtbot, w, "PD101")
    assert not any(f.rule == "PD101" for f in w.findings)
    # the first pass was cut and restarted in full: drop the cut copy
    first_cut = (site / DRAFT).read_text(encoding="utf-8").split("\n")[24]
    replace_in_editor(w, re.escape(first_cut) + r"\n+", "")
    # the second pass resumed with "…": join the halves
    replace_in_editor(w, r"基\n+…盤", "基盤")
    # the title is too long (PD506): shorten it in the form, typing Japanese
    title_edit = w.form.fields["title"].edit
    title_edit.setFocus()
    title_edit.selectAll()
    ime_commit(title_edit, "えーあいえーじぇんと", SHORT_TITLE)
    assert w.form.notes["title"].text().startswith(f"{len(SHORT_TITLE)} / 60")
    with qtbot.waitSignal(w.findingsUpdated, timeout=30000):
        w.form.flush()
        w.check_now()
    assert not [f for f in w.findings if f.severity.value == "error"], [(f.rule, f.line) for f in w.findings]
    assert not any(f.rule == "PD506" for f in w.findings)

    # publish: warnings (if any) are confirmed; the draft becomes a dated post
    with DialogAnswerer(QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.Ok):
        with qtbot.waitSignal(w.published, timeout=30000) as published:
            w.actions_by_name["publish"].trigger()
    new_path = Path(published.args[0])
    assert new_path.parent == site / "_posts"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}-\d+-ai-agent-backoffice-automation\.md", new_path.name)
    assert not (site / DRAFT).exists()
    lines = new_path.read_text(encoding="utf-8").split("\n")
    assert lines[2] == f'title: "{SHORT_TITLE}"'
    assert re.fullmatch(r"date: \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \+0900", lines[3])
    assert w.path == new_path.resolve()
    row = pl.model.rows[pl.model.row_for_path(new_path.resolve())]
    assert not row.draft

    # -- evening: validate the whole site, export, open a finding -------------------
    w.actions_by_name["validate_site"].trigger()
    dlg = w._batch
    qtbot.waitUntil(lambda: dlg.started and not dlg.running, timeout=120000)
    out = dlg.export(tmp_path / "report.json", "json")
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report  # the CLI's JSON
    rows = dlg.visible_rows()
    target = next(r for r in rows if r.rule == "PD101")
    i = rows.index(target)
    idx = dlg.proxy.index(i, 0)
    dlg.view.scrollTo(idx)
    pos = dlg.view.visualRect(idx).center()
    qtbot.mouseClick(dlg.view.viewport(), Qt.MouseButton.LeftButton, pos=pos)  # a double-click starts with a press
    qtbot.mouseDClick(dlg.view.viewport(), Qt.MouseButton.LeftButton, pos=dlg.view.visualRect(idx).center())
    assert w.path == Path(target.path).resolve()
    assert w.editor.selected_line_range()[0] == target.line
    dlg.close()
    w.close()
    settle()
