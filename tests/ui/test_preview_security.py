"""The preview fetches nothing from the network, runs no content script, follows no link.

Positive control first: a view with the protections off (remote access allowed for
local content, JavaScript on, no interceptor, no policy) makes the listener on
127.0.0.1 receive requests. Then each layer alone, in that same unprotected view,
stops every vector: PostDesk's request interceptor (it sees and blocks them) and
PostDesk's Content-Security-Policy. Finally the real preview, given the vectors,
sends nothing. (Chromium's own rule for local pages blocks the vectors too, before
the interceptor sees them: that is why the interceptor is tested in a view where
that rule is off.) Then the preview's behaviour: big pages, site images, scroll.
"""
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineProfile, QWebEngineSettings
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QApplication

from app.core.document import Document
from app.ui.preview import LocalOnlyInterceptor, shared, with_preview_csp


class _Listener:
    def __init__(self):
        hits = self.hits = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                hits.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.end_headers()

            def log_message(self, *a):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def listener():
    lst = _Listener()
    yield lst
    lst.close()


def vectors(port: int) -> str:
    u = f"http://127.0.0.1:{port}"
    return f"""
<img src="{u}/img.png">
<img srcset="{u}/srcset.png 2x">
<link rel="stylesheet" href="{u}/style.css">
<div style="background-image: url('{u}/bg.png')">bg</div>
<iframe src="{u}/frame.html"></iframe>
<script src="{u}/script.js"></script>
<video poster="{u}/poster.png"></video>
<object data="{u}/object.swf"></object>
<style>@import url("{u}/import.css");</style>
<audio src="{u}/audio.mp3" autoplay></audio>
<input type="image" src="{u}/input.png">
<embed src="{u}/embed.swf">
<script>new Image().src = "{u}/inline-script.png";</script>
"""

VECTOR_COUNT = 5  # at least this many distinct vectors reach an unprotected view


class QuietPage(QWebEnginePage):
    """Keeps the page's console (CSP reports, script errors) for the test instead of
    logging it as Qt messages, which pytest-qt would count as failures."""

    def __init__(self, profile, parent):
        super().__init__(profile, parent)
        self.console: list[str] = []

    def javaScriptConsoleMessage(self, level, message, line, source):  # noqa: N802
        self.console.append(message)


def unprotected_view(qtbot, interceptor=None):
    """A view that lets local pages reach remote URLs and run scripts (optionally with
    PostDesk's interceptor as its only protection). The profile lives as long as the
    application (a profile must outlive its pages); the page belongs to the view."""
    profile = QWebEngineProfile(QApplication.instance())
    s = profile.settings()
    s.setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessRemoteUrls, True)
    s.setAttribute(QWebEngineSettings.WebAttribute.JavascriptEnabled, True)
    if interceptor is not None:
        interceptor.setParent(profile)
        profile.setUrlRequestInterceptor(interceptor)
    view = QWebEngineView()
    qtbot.addWidget(view)
    view.setPage(QuietPage(profile, view))
    return view


def load(qtbot, view, html: str, base: Path) -> None:
    """Load `html` with a file base; loadFinished comes after the subresources."""
    with qtbot.waitSignal(view.loadFinished, timeout=20000):
        view.page().setHtml(html, QUrl.fromLocalFile(str(base) + "/"))


def hits_for(listener, qtbot, settle_ms: int = 800) -> list[str]:
    """What the listener received once the page has settled."""
    qtbot.wait(settle_ms)
    return list(listener.hits)



def test_control_view_without_protection_reaches_the_listener(qtbot, listener, tmp_path):
    view = unprotected_view(qtbot)
    load(qtbot, view, f"<html><body>{vectors(listener.port)}</body></html>", tmp_path)
    qtbot.waitUntil(lambda: len(set(listener.hits)) >= VECTOR_COUNT, timeout=15000)
    assert "/inline-script.png" in hits_for(listener, qtbot)  # scripts ran here


def test_interceptor_alone_blocks_every_vector(qtbot, listener, tmp_path):
    interceptor = LocalOnlyInterceptor()
    view = unprotected_view(qtbot, interceptor)
    load(qtbot, view, f"<html><body>{vectors(listener.port)}</body></html>", tmp_path)
    port = f":{listener.port}/"
    qtbot.waitUntil(lambda: len({b for b in interceptor.blocked if port in b}) >= VECTOR_COUNT, timeout=15000)
    assert hits_for(listener, qtbot) == []


def test_interceptor_blocks_file_urls(qtbot, tmp_path):
    """The preview needs no file: URL (site files come through PostDesk's scheme):
    even a page on disk is refused."""
    page = tmp_path / "page.html"
    page.write_text("<html><body>local</body></html>", encoding="utf-8")
    interceptor = LocalOnlyInterceptor()
    view = unprotected_view(qtbot, interceptor)
    view.load(QUrl.fromLocalFile(str(page)))
    qtbot.waitUntil(lambda: page.as_uri() in interceptor.blocked, timeout=15000)


def test_policy_alone_blocks_every_vector(qtbot, listener, tmp_path):
    view = unprotected_view(qtbot)
    page = with_preview_csp(f"<html><head><title>t</title></head><body>{vectors(listener.port)}</body></html>")
    load(qtbot, view, page, tmp_path)
    refused = view.page().console
    qtbot.waitUntil(lambda: sum("Content Security Policy" in m for m in refused) >= VECTOR_COUNT, timeout=15000)
    assert hits_for(listener, qtbot) == []


def test_postdesk_preview_sends_no_request(window, qtbot, listener):
    body = "## 安全性\n\n本文です。\n\n" + vectors(listener.port) + f"\n\n![画像](http://127.0.0.1:{listener.port}/md.png)\n"
    doc = Document("---\nlayout: post\ntitle: \"テスト\"\n---\n" + body)
    with qtbot.waitSignal(window.preview.rendered, timeout=20000):
        window.preview.show_document(doc, window.site, immediately=True)
    shown = window.preview.last_html
    assert f"http://127.0.0.1:{listener.port}/img.png" in shown  # the vectors are on the page
    assert f"http://127.0.0.1:{listener.port}/md.png" in shown
    assert "Content-Security-Policy" in shown and "script-src 'none'" in shown
    assert hits_for(listener, qtbot, 1500) == []


def test_a_script_in_the_post_does_not_run_in_the_preview(window, qtbot):
    doc = Document("---\ntitle: \"スクリプト\"\n---\n本文です。\n\n"
                   "<script>document.title = 'pwned'; document.body.setAttribute('data-pwned', '1');</script>\n\n"
                   '<img src="data:image/png;base64,AAAA" onerror="document.title = \'pwned\'">\n')
    with qtbot.waitSignal(window.preview.rendered, timeout=20000):
        window.preview.show_document(doc, window.site, immediately=True)
    assert "document.title = 'pwned'" in window.preview.last_html  # the script is on the page
    qtbot.wait(300)
    assert js_value(qtbot, window.preview, "document.title") == "スクリプト"
    assert js_value(qtbot, window.preview, "document.body.hasAttribute('data-pwned')") is False


def test_preview_settings_keep_content_scripts_off(window):
    s = shared().profile.settings()
    A = QWebEngineSettings.WebAttribute
    assert not s.testAttribute(A.JavascriptEnabled)
    assert not s.testAttribute(A.LocalContentCanAccessRemoteUrls)
    assert window.preview.page().profile() is shared().profile


def test_links_are_not_followed_inside_the_preview(window, qtbot, monkeypatch):
    from PySide6.QtGui import QDesktopServices
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toString()))
    page = window.preview.page()
    nav = QWebEnginePage.NavigationType
    assert not page.acceptNavigationRequest(QUrl("https://example.com/"), nav.NavigationTypeLinkClicked, True)
    assert opened == ["https://example.com/"]
    assert not page.acceptNavigationRequest(QUrl("https://example.com/x"), nav.NavigationTypeRedirect, True)
    assert not page.acceptNavigationRequest(QUrl("https://example.com/y"), nav.NavigationTypeTyped, True)
    assert opened == ["https://example.com/"]


def test_a_clicked_link_opens_in_the_system_browser(window, qtbot, monkeypatch):
    from PySide6.QtGui import QDesktopServices
    from PySide6.QtWebEngineCore import QWebEngineScript
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toString()))
    doc = Document("---\ntitle: \"リンク\"\n---\n[外部の記事](https://example.com/article)\n")
    with qtbot.waitSignal(window.preview.rendered, timeout=20000):
        window.preview.show_document(doc, window.site, immediately=True)
    before = window.preview.url()
    window.preview.page().runJavaScript("document.querySelector('a').click()",
                                        QWebEngineScript.ScriptWorldId.ApplicationWorld)
    qtbot.waitUntil(lambda: opened == ["https://example.com/article"], timeout=10000)
    assert window.preview.url() == before  # the preview itself stayed on the post


def test_large_japanese_page_loads(window, qtbot):
    para = "日本語の段落です。" * 40 + "\n\n"
    doc = Document("---\ntitle: \"大きな記事\"\n---\n" + para * 1600)  # ~1.7 MB of UTF-8
    assert len(doc.text.encode()) > 1_000_000  # beyond what setHtml can carry
    with qtbot.waitSignal(window.preview.rendered, timeout=30000):
        window.preview.show_document(doc, window.site, immediately=True)
    texts = []
    qtbot.waitUntil(lambda: window.preview.page().toPlainText(texts.append) or bool(texts), timeout=10000)
    assert "日本語の段落です" in texts[-1]
    assert texts[-1].count("日本語の段落です") == 1600 * 40


def test_site_images_come_from_the_site_root(window, qtbot):
    img = window.site.root / "assets" / "images" / "posts" / "preview-test.png"
    img.parent.mkdir(parents=True, exist_ok=True)
    img.write_bytes(b"\x89PNG\r\n\x1a\n")
    doc = Document("---\ntitle: \"画像\"\n---\n![図](/assets/images/posts/preview-test.png)\n")
    store = shared().store
    with qtbot.waitSignal(window.preview.rendered, timeout=20000):
        window.preview.show_document(doc, window.site, immediately=True)
    host = window.preview.host
    qtbot.waitUntil(lambda: f"postdesk://{host}/assets/images/posts/preview-test.png" in store.served, timeout=10000)


def test_site_images_with_japanese_names_load(window, qtbot):
    from PySide6.QtGui import QColor, QImage
    img = window.site.root / "assets" / "images" / "posts" / "図 1.png"
    img.parent.mkdir(parents=True, exist_ok=True)
    picture = QImage(40, 30, QImage.Format.Format_RGB32)
    picture.fill(QColor("red"))
    assert picture.save(str(img))
    doc = Document("---\ntitle: \"画像\"\n---\n![図](</assets/images/posts/図 1.png>)\n")
    with qtbot.waitSignal(window.preview.rendered, timeout=20000):
        window.preview.show_document(doc, window.site, immediately=True)
    qtbot.waitUntil(lambda: js_value(qtbot, window.preview, "document.querySelector('img').naturalWidth") == 40,
                    timeout=10000)


# -- behaviour: debounce, off-thread rendering, scroll ---------------------------------

def js_value(qtbot, view, script: str):
    """The value of `script` run in PostDesk's isolated world (content JS stays off)."""
    from PySide6.QtWebEngineCore import QWebEngineScript
    out = []
    view.page().runJavaScript(script, QWebEngineScript.ScriptWorldId.ApplicationWorld, out.append)
    qtbot.waitUntil(lambda: bool(out), timeout=10000)
    return out[0]


def long_doc(extra: str = "") -> Document:
    sections = "".join(f"## 見出し{i}\n\n" + "本文の段落です。" * 30 + "\n\n" for i in range(60))
    return Document("---\ntitle: \"長い記事\"\n---\n" + sections + extra)


def test_updates_are_debounced_and_rendered_off_the_ui_thread(window, qtbot):
    import time
    preview = window.preview
    with qtbot.waitSignal(preview.rendered, timeout=20000):
        preview.show_document(long_doc(), window.site, immediately=True)
    count = []
    preview.rendered.connect(lambda: count.append(1))
    big = Document("---\ntitle: \"大\"\n---\n" + ("日本語の段落です。" * 40 + "\n\n") * 800)
    states = [long_doc("追記" * i) for i in range(4)] + [big]
    started = time.perf_counter()
    for doc in states:  # an editor typing: five changes in quick succession
        preview.show_document(doc, window.site)
    assert time.perf_counter() - started < 0.05  # typing never waits for the renderer
    qtbot.waitUntil(lambda: len(count) == 1, timeout=20000)
    qtbot.wait(600)
    assert len(count) == 1  # one render for the burst, of its last state
    assert preview.last_html.count("日本語の段落です。") == 800 * 40


def test_an_update_keeps_the_scroll_position(window, qtbot):
    preview = window.preview
    window.splitter.setSizes([400, 400])
    with qtbot.waitSignal(preview.rendered, timeout=20000):
        preview.show_document(long_doc(), window.site, immediately=True)
    js_value(qtbot, preview, "window.scrollTo(0, 1500); window.scrollY")
    with qtbot.waitSignal(preview.rendered, timeout=20000):
        preview.show_document(long_doc("最後に一文を足しました。\n"), window.site, immediately=True)
    assert "最後に一文を足しました。" in preview.last_html
    assert js_value(qtbot, preview, "window.scrollY") == 1500


def test_the_preview_follows_the_editor_line(window, qtbot):
    preview = window.preview
    window.splitter.setSizes([400, 400])
    doc = long_doc()
    with qtbot.waitSignal(preview.rendered, timeout=20000):
        preview.show_document(doc, window.site, immediately=True)
    line = doc.text.splitlines().index("## 見出し30") + 1
    preview.scroll_to_line(line)
    top = "(function(){var e=document.querySelector('[data-line=\"%d\"]');" \
          "return Math.round(e.getBoundingClientRect().top);})()" % line
    qtbot.waitUntil(lambda: 0 <= js_value(qtbot, preview, top) <= 16, timeout=10000)
    assert js_value(qtbot, preview, "window.scrollY") > 1000


def test_the_site_stylesheet_applies_under_the_policy(window, qtbot):
    """The page's one policy allows its inline stylesheet (the exported page's policy,
    if it stayed, would block it: the preview would be unstyled)."""
    doc = Document("---\ntitle: \"体裁\"\n---\n本文です。\n")
    with qtbot.waitSignal(window.preview.rendered, timeout=20000):
        window.preview.show_document(doc, window.site, immediately=True)
    assert window.preview.last_html.count("Content-Security-Policy") == 1
    assert js_value(qtbot, window.preview, "getComputedStyle(document.body).paddingTop") != "0px"
    assert "Noto Sans CJK JP" in js_value(qtbot, window.preview, "getComputedStyle(document.body).fontFamily")


def test_the_exported_page_is_styled_and_runs_no_script(qtbot, tmp_path, window):
    """File → Export Preview HTML opened in a browser (JavaScript on): styled, and a
    script in the post does not run."""
    from app.ui.preview import export_page
    doc = Document("---\ntitle: \"書き出し\"\n---\n本文です。\n\n<script>document.title = 'pwned';</script>\n")
    page = export_page(doc, window.site)
    assert page.count("Content-Security-Policy") == 1 and "script-src 'none'" in page
    view = unprotected_view(qtbot)
    load(qtbot, view, page, tmp_path)
    assert js_value(qtbot, view, "getComputedStyle(document.body).paddingTop") != "0px"
    assert view.title() == "書き出し"


def test_a_line_inside_a_long_block_scrolls_in_proportion(window, qtbot):
    preview = window.preview
    window.splitter.setSizes([400, 400])
    items = "".join(f"- 項目{i}: " + "説明の文です。" * 8 + "\n" for i in range(120))
    doc = Document("---\ntitle: \"長いリスト\"\n---\n## 一覧\n\n" + items + "\n## 次の見出し\n\n本文です。\n")
    with qtbot.waitSignal(preview.rendered, timeout=20000):
        preview.show_document(doc, window.site, immediately=True)
    lines = doc.text.splitlines()
    first = lines.index("- 項目0: " + "説明の文です。" * 8) + 1
    positions = []
    for line in (first, first + 60, first + 119):
        preview.scroll_to_line(line)
        qtbot.waitUntil(lambda: js_value(qtbot, preview, "window.scrollY") != (positions[-1] if positions else -1),
                        timeout=5000)
        positions.append(js_value(qtbot, preview, "window.scrollY"))
    assert positions[0] < positions[1] < positions[2]
    middle = (positions[0] + positions[2]) / 2
    assert abs(positions[1] - middle) < (positions[2] - positions[0]) * 0.1  # about half way


def test_a_footnote_link_scrolls_the_preview_and_opens_nothing(window, qtbot):
    preview = window.preview
    window.splitter.setSizes([400, 400])
    paras = "".join("本文の段落です。" * 30 + "\n\n" for _ in range(40))
    doc = Document("---\ntitle: \"脚注\"\n---\n注記つきの文です[^1]。\n\n" + paras + "[^1]: 脚注の本文です。\n")
    with qtbot.waitSignal(preview.rendered, timeout=20000):
        preview.show_document(doc, window.site, immediately=True)
    assert 'href="#fn:1"' in preview.last_html
    internal = []
    preview.internalLinkClicked.connect(internal.append)
    before = preview.url()
    js_value(qtbot, preview, "document.querySelector('a[href=\"#fn:1\"]').click(); 0")
    qtbot.waitUntil(lambda: js_value(qtbot, preview, "window.scrollY") > 1000, timeout=5000)
    assert internal == [] and preview.url() == before


def test_a_render_finishing_after_the_view_is_gone_is_dropped(qtbot, window):
    from PySide6.QtCore import QCoreApplication, QEvent
    from app.ui.preview import PreviewView
    from app.ui.workers import wait_all
    view = PreviewView()
    big = Document("---\ntitle: \"大\"\n---\n" + ("日本語の段落です。" * 40 + "\n\n") * 400)
    view.show_document(big, window.site, immediately=True)  # rendering in the background
    view.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert wait_all()
    qtbot.wait(200)  # the result arrives for a deleted view: no exception
