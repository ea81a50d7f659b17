"""QSettings (layout, last and recent sites, start-up site), File → New draft from the
template, File → Export preview HTML."""
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QFileDialog

from app.core.document import Document

from conftest import CLEAN, open_post, settle


def new_window(qtbot, prompts):
    from app.ui.main_window import MainWindow
    w = MainWindow()
    w.prompt = prompts
    qtbot.addWidget(w)
    return w


def test_layout_and_last_site_are_remembered(window, qtbot, prompts, site):
    window.resize(760, 540)  # inside the offscreen screen (800x600)
    window.splitter.setSizes([700, 300])
    window.findings_dock.hide()
    sizes = window.splitter.sizes()
    assert window.close()
    s = QSettings()
    assert Path(s.value("sites/last")) == site.resolve()
    assert s.value("sites/recent")[0] == str(site.resolve())
    again = new_window(qtbot, prompts)
    again.show()
    assert (again.size().width(), again.size().height()) == (760, 540)
    assert abs(again.splitter.sizes()[0] - sizes[0]) <= 2
    assert not again.findings_dock.isVisible() and again.list_dock.isVisible()
    with qtbot.waitSignal(again.post_list.model.filled, timeout=30000):
        assert again.open_initial(None)  # no argument: the last site
    assert again.site.root == site.resolve()
    again.close()
    settle()


def test_first_run_opens_the_sample_site_and_a_path_wins(qtbot, prompts, site):
    from app.ui.app import sample_site
    w = new_window(qtbot, prompts)
    with qtbot.waitSignal(w.post_list.model.filled, timeout=60000):
        assert w.open_initial(None)
    assert w.site.root == sample_site().resolve()
    # The editor's own copy in the per-user data folder, never the shipped one
    # (read-only inside a macOS app, replaced by an upgrade on Windows).
    from PySide6.QtCore import QStandardPaths
    from app.core.paths import sample_site as shipped
    data = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)).resolve()
    assert w.site.root != shipped().resolve() and w.site.root.is_relative_to(data)
    with qtbot.waitSignal(w.post_list.model.filled, timeout=30000):
        assert w.open_initial(site)
    assert w.site.root == site.resolve()
    w.recent_menu.aboutToShow.emit()
    recent = [a.text() for a in w.recent_menu.actions()]
    assert recent[:2] == [str(site.resolve()), str(sample_site().resolve())]
    w.close()
    settle()


def test_missing_site_is_reported(window, prompts, tmp_path):
    assert not window.open_site(tmp_path / "nowhere")
    assert prompts.kinds() == ["error"]


def test_new_draft_from_the_template(window, qtbot, prompts):
    prompts.draft = ("生成AIの社内ルール\"入門\"", "genai-rules-intro")
    with qtbot.waitSignal(window.findingsUpdated, timeout=20000):
        window.actions_by_name["new_draft"].trigger()
    path = window.site.root / "_drafts" / "genai-rules-intro.md"
    assert window.path == path.resolve()
    doc = Document.load(path)
    assert list(doc.fields)[:3] == ["layout", "title", "categories"]
    assert doc.get("title") == '生成AIの社内ルール"入門"'
    category = doc.get("categories")[0]
    campaign = window.site.config["cta"]["campaigns"][category]
    assert f"utm_campaign={campaign}" in doc.text and "あわせて読みたい" in doc.text
    rules = {f.rule for f in window.findings}
    assert not rules & {"PD101", "PD102", "PD104", "PD301", "PD502", "PD501"}
    # a second draft with the same slug does not overwrite the first
    with qtbot.waitSignal(window.findingsUpdated, timeout=20000):
        window.actions_by_name["new_draft"].trigger()
    assert window.path.name == "genai-rules-intro-2.md"


def test_export_preview_html(window, qtbot, monkeypatch, tmp_path):
    open_post(qtbot, window, CLEAN)
    target = tmp_path / "out.html"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "HTML (*.html)"))
    window.actions_by_name["export_preview"].trigger()
    html = target.read_text(encoding="utf-8")
    assert "<script" not in html.lower()
    assert "RAGの回答精度はチャンク設計で決まる" in html
    assert window.site.root.as_uri() in html  # images resolve from the site root


def test_the_last_post_reopens_and_no_post_means_read_only(window, qtbot, prompts, site):
    assert window.editor.isReadOnly() and window.editor.placeholderText()
    open_post(qtbot, window, CLEAN)
    assert not window.editor.isReadOnly()
    assert window.close()
    again = new_window(qtbot, prompts)
    with qtbot.waitSignal(again.post_list.model.filled, timeout=30000):
        assert again.open_initial(None)
    assert again.path == (site / CLEAN).resolve()
    again.close()
    settle()


def test_a_post_named_on_the_command_line_opens_in_its_site(qtbot, prompts, site):
    """`postdesk content/_posts/x.md` opens the site and that post, as an editor expects."""
    post = sorted((site / "_posts").glob("*.md"))[0]
    w = new_window(qtbot, prompts)
    with qtbot.waitSignal(w.post_list.model.filled, timeout=30000):
        assert w.open_initial(post)
    assert w.site.root == site.resolve() and w.path == post.resolve()
    assert w.editor.toPlainText() == Document.load(post).text
    w.close()
    settle()
