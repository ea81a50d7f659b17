"""The live preview: a QWebEngineView that shows what Jekyll publishes, safely.

Security, in layers (each one tested alone in tests/ui/test_preview_security.py):
JavaScript is off for content; the page carries a strict Content-Security-Policy
(only PostDesk's scheme and data: URLs, no scripts, frames or objects); a request
interceptor lets only data, qrc and PostDesk's own scheme through (every remote or
file request is blocked, whatever the page manages); local content may not reach
remote URLs; links open in the system browser only when clicked.

Pages are served by a URL scheme handler (`postdesk://pN/`), so a page of any size
loads (setHtml fails above ~2 MB of percent-encoded URL) and the site's absolute
paths (`/assets/images/…`) resolve under the site root. Rendering runs off the UI thread; updates after the first load
replace the body in place so the scroll position stays.
"""
from __future__ import annotations

import html as html_mod
import itertools
from collections import deque
import json
import mimetypes
import re
from concurrent.futures import CancelledError
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWebEngineCore import (
    QWebEnginePage,
    QWebEngineProfile,
    QWebEngineScript,
    QWebEngineSettings,
    QWebEngineUrlRequestInterceptor,
    QWebEngineUrlRequestJob,
    QWebEngineUrlSchemeHandler,
)
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QApplication
from shiboken6 import isValid

from app.core.document import Document

from .app import SCHEME
from .preview_page import (CSP, EXPORT_CSP, SCHEME_NAME, block_update, preview_page, render_page, with_policy,
                           with_preview_csp)
from .render_process import RenderProcess

__all__ = ["CSP", "EXPORT_CSP", "PreviewView", "export_page", "preview_page", "render_page", "with_policy",
           "with_preview_csp"]
_OWN = SCHEME.decode()  # the same as SCHEME_NAME (tested): the render process's pages name it
# file: is not needed (pages and site files come through PostDesk's scheme), so
# content cannot make the view read the local disk outside the site root either.
ALLOWED_SCHEMES = frozenset({"data", "qrc", _OWN})
DEBOUNCE_MS = 300
PAGE_PATH = "/__preview__.html"  # where a preview's page is served under postdesk://pN/
_LOG = 500  # URLs kept of what was blocked / served (a day of typing re-renders often)
_ids = itertools.count(1)
_BODY = re.compile(r"<body[^>]*>(.*)</body>", re.S | re.I)


# -- the web engine side ------------------------------------------------------
class LocalOnlyInterceptor(QWebEngineUrlRequestInterceptor):
    """Blocks every request whose scheme is not data, qrc or PostDesk's own (the last
    layer: it holds even if the page's policy or Chromium's local-content rules fail).
    `blocked` keeps the URLs it refused, for tests and diagnostics."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.blocked: deque[str] = deque(maxlen=_LOG)

    def interceptRequest(self, info) -> None:  # noqa: N802 (Qt name)
        url = info.requestUrl()
        if url.scheme().lower() not in ALLOWED_SCHEMES:
            self.blocked.append(url.toString())
            info.block(True)


class PageStore(QWebEngineUrlSchemeHandler):
    """Serves `postdesk://pN/__preview__.html` from memory and `postdesk://pN/<path>`
    from that preview's site root (never outside it)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.pages: dict[str, bytes] = {}
        self.roots: dict[str, Path | None] = {}
        self.served: deque[str] = deque(maxlen=_LOG)

    def requestStarted(self, job: QWebEngineUrlRequestJob) -> None:  # noqa: N802
        url = job.requestUrl()
        host, path = url.host(), url.path(QUrl.ComponentFormattingOption.FullyDecoded)
        self.served.append(url.toString())
        if path == PAGE_PATH and host in self.pages:
            self._reply(job, b"text/html; charset=utf-8", self.pages[host])
            return
        root = self.roots.get(host)
        if root is not None:
            target = (root / path.lstrip("/")).resolve()
            if target.is_relative_to(root) and target.is_file():
                mime = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
                self._reply(job, mime.encode(), target.read_bytes())
                return
        job.fail(QWebEngineUrlRequestJob.Error.UrlNotFound)

    @staticmethod
    def _reply(job: QWebEngineUrlRequestJob, mime: bytes, data: bytes) -> None:
        buf = QBuffer(job)
        buf.setData(QByteArray(data))
        buf.open(QIODevice.OpenModeFlag.ReadOnly)
        job.reply(QByteArray(mime), buf)


class _Shared(QObject):
    """One off-the-record profile for every preview, parented to the application (a
    profile must outlive its pages), with the interceptor and the page store."""

    def __init__(self, app):
        super().__init__(app)
        self.profile = QWebEngineProfile(app)  # no storage name: off the record
        self.interceptor = LocalOnlyInterceptor(self.profile)
        self.store = PageStore(self.profile)
        self.profile.setUrlRequestInterceptor(self.interceptor)
        self.profile.installUrlSchemeHandler(SCHEME, self.store)
        s = self.profile.settings()
        A = QWebEngineSettings.WebAttribute
        for attr, on in ((A.JavascriptEnabled, False), (A.LocalContentCanAccessRemoteUrls, False),
                         (A.LocalContentCanAccessFileUrls, False), (A.PluginsEnabled, False),
                         (A.AutoLoadIconsForPage, False), (A.JavascriptCanOpenWindows, False),
                         (A.DnsPrefetchEnabled, False), (A.PdfViewerEnabled, False)):
            s.setAttribute(attr, on)


def shared() -> _Shared:
    app = QApplication.instance()
    sh = getattr(app, "_postdesk_preview", None)
    if sh is None:
        sh = _Shared(app)
        app._postdesk_preview = sh
    return sh


class PreviewPage(QWebEnginePage):
    """Navigation policy: only PostDesk's own loads; clicked links go to the system
    browser (web links), to `anchorClicked` (a `#id` on the page itself: footnotes,
    a table of contents) or to `internalLinkClicked` (site paths)."""

    internalLinkClicked = Signal(str)
    anchorClicked = Signal(str)

    def acceptNavigationRequest(self, url: QUrl, nav_type, is_main_frame: bool) -> bool:  # noqa: N802
        if nav_type == QWebEnginePage.NavigationType.NavigationTypeLinkClicked:
            if url.scheme() in ("http", "https", "mailto"):
                QDesktopServices.openUrl(url)
            elif url.scheme() == _OWN and url.hasFragment() and url.path() in ("", "/", PAGE_PATH):
                # `href="#fn:1"` resolves against <base href="postdesk://pN/">
                self.anchorClicked.emit(url.fragment(QUrl.ComponentFormattingOption.FullyDecoded))
            elif url.scheme() == _OWN:
                self.internalLinkClicked.emit(url.path())
            return False
        return url.scheme() in (_OWN, "data", "about")

    def javaScriptConsoleMessage(self, level, message, line, source):  # noqa: N802
        pass  # content scripts never run; nothing to log


class PreviewView(QWebEngineView):
    """The preview pane. `show_document(doc, site)` and `show_text(base, text, site)`
    schedule a debounced update, rendered in a process of its own (render_process.py)
    and shown by replacing only the top-level blocks that changed (`_BLOCKS_JS`) or,
    where that is not exact, the nodes of the body that differ (`_PATCH_JS`)."""

    rendered = Signal()  # a page or an in-place update is shown
    internalLinkClicked = Signal(str)
    _done = Signal(int, object, object)  # a render's (generation, future, request), queued from the reader thread

    def __init__(self, parent=None):
        super().__init__(parent)
        self._shared = shared()
        self.host = f"p{next(_ids)}"
        self._page = PreviewPage(self._shared.profile, self)
        self._page.internalLinkClicked.connect(self.internalLinkClicked)
        self._page.anchorClicked.connect(self.scroll_to_anchor)
        self.setPage(self._page)
        self.setContextMenuPolicy(self.contextMenuPolicy().NoContextMenu)
        self._timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._timer.timeout.connect(self._render_now)
        self._pending: tuple[Document | None, str | None, object] | None = None
        self._generation = 0
        self._renderer: RenderProcess | None = None
        self._loaded_root: object = ()
        self._resolved_root: tuple[object, Path | None] = (None, None)
        self._loaded = False
        self._sync_line: int | None = None
        self._shown: tuple[str, tuple[int, ...]] | None = None  # the page (and its block starts) the DOM holds
        self._just_loaded = False  # the DOM is a loaded page's, not yet patched
        self.last_html = ""
        self.last_update = ""  # how the last page was shown: "load", "body" or "blocks" (for tests)
        # The render whose page the view holds when `rendered` is emitted (a render is
        # numbered by `generation` when it is asked for), and the one a load is for.
        self.rendered_generation = 0
        self._loading_generation = self._shown_generation = 0
        self.loadFinished.connect(self._on_load_finished)
        self._done.connect(self._on_done)

    # -- public ---------------------------------------------------------------
    def show_document(self, doc: Document | None, site=None, *, immediately: bool = False) -> None:
        """Show `doc` (None: nothing)."""
        self.show_text(doc, None, site, immediately=immediately)

    def show_text(self, base: Document | None, text: str | None, site=None, *, immediately: bool = False) -> None:
        """Show the Document for `text` over `base` (the post as read from disk; the
        text None: `base` itself). The Document is built in the render process, so a
        keystroke pays only for a copy of the text, and the debounce drops most."""
        self._pending = (base, text, site)
        if immediately:
            self._timer.stop()
            self._render_now()
        else:
            self._timer.start()

    def clear(self) -> None:
        self._pending = None
        self._timer.stop()
        self._generation += 1
        self._shared.store.pages.pop(self.host, None)
        self.setHtml("")
        self._loaded = False
        self._shown = None

    def base_href(self) -> str:
        return f"{_OWN}://{self.host}/"

    def scroll_to_line(self, line: int) -> None:
        """Follow the editor: show the block holding file line `line` at the top."""
        self._sync_line = line
        if self._loaded:
            self._run(_SCROLL_JS % int(line))

    def scroll_to_anchor(self, fragment: str) -> None:
        """Show the element `#fragment` of the page (the page's scripts are off, so
        PostDesk scrolls for it)."""
        if self._loaded:
            self._run("(function(id){var e=document.getElementById(id); if (e) e.scrollIntoView(); return 0;})(%s)"
                      % json.dumps(fragment))

    def renderer(self, site) -> RenderProcess:
        """The render process for `site`, started now if there is none for it."""
        if self._renderer is None or self._renderer.site is not site:
            self.start_renderer(site)
        return self._renderer

    def start_renderer(self, site) -> None:
        """A new render process with its own copy of `site` (the window starts one
        when it opens a site and again when it reloads it: the copy is not updated)."""
        self.close_renderer()
        self._renderer = RenderProcess(site)

    def close_renderer(self) -> None:
        if self._renderer is not None:
            self._renderer.close()
            self._renderer = None

    # -- rendering ------------------------------------------------------------
    def _render_now(self, retried: bool = False) -> None:
        if self._pending is None:
            return
        base, text, site = self._pending
        self._pending = None
        if base is None:
            self.clear()
            return
        self._generation += 1
        gen = self._generation
        renderer = self.renderer(site)
        future = renderer.render(base, text, self.base_href())
        request = (base, text, site, retried)
        future.add_done_callback(lambda f: self._deliver(gen, f, request))

    def _deliver(self, gen: int, future, request: tuple) -> None:
        """The render process's reader thread: hand the finished render to the main
        thread (a queued signal), unless the view is gone."""
        try:
            if isValid(self):
                self._done.emit(gen, future, request)
        except RuntimeError:
            pass  # deleted between the check and the emit: nobody to show it to

    def _on_done(self, gen: int, future, request: tuple) -> None:
        base, text, site, retried = request
        exc = future.exception()
        if exc is None:
            page, starts = future.result()
            self._show(gen, page, site, starts)
        else:
            self._failed(gen, exc, (base, text, site), retried)

    def _failed(self, gen: int, exc: BaseException, request: tuple, retried: bool) -> None:
        """A render that raised shows the error as the page. A render process that
        died (killed, out of memory) is replaced and the render asked again, once."""
        if isinstance(exc, CancelledError) or gen != self._generation:
            return  # closed, or a newer render is on its way
        if isinstance(exc, BrokenProcessPool) and not retried and self._renderer is not None:
            self._renderer.restart()
            if self._pending is None:
                self._pending = request
                self._render_now(retried=True)
            return
        self._show(gen, _error_page(exc), request[2])

    def _site_root(self, root) -> Path | None:
        """The resolved site root the page store serves files under (resolved once
        per root, not once per keystroke: resolving walks the file system)."""
        if self._resolved_root[0] != root:
            self._resolved_root = (root, Path(root).resolve() if root else None)
        return self._resolved_root[1]

    def _show(self, gen: int, page: str, site, starts: tuple[int, ...] = ()) -> None:
        """Show `page` (`starts`: where its body's top-level blocks start, when
        only the changed ones may be replaced): loaded the first time, patched in
        place after."""
        if not isValid(self) or gen != self._generation:
            return  # the view is gone (window closed mid-render), or a newer render is on its way
        self.last_html = page
        root = getattr(site, "root", None)
        store = self._shared.store
        store.pages[self.host] = page.encode("utf-8")
        store.roots[self.host] = self._site_root(root)
        shown, self._shown = self._shown, (page, starts)
        self._shown_generation = gen
        if self._loaded and root == self._loaded_root:
            just_loaded, self._just_loaded = self._just_loaded, False
            update = block_update(shown, (page, starts)) if shown is not None else None
            tail = _body_tail(page) if just_loaded else ""
            if update is not None and tail is not None:
                self._patch_blocks(gen, update, len(shown[1]) - 1, len(starts) - 1, tail)
                return
            if self._patch_body(gen, page):
                return
        self._loaded_root = root
        self._loaded = False
        self._just_loaded = True
        self._loading_generation = gen
        self.last_update = "load"
        self.load(QUrl(f"{self.base_href()}{PAGE_PATH[1:]}?v={gen}"))

    def _patch_body(self, gen: int, page: str) -> bool:
        """Patch the whole body to `page`'s, render `gen`'s (False: it has none)."""
        body = _BODY.search(page)
        if body is None:
            return False
        self.last_update = "body"
        self._run(_PATCH_JS % js_string(body.group(1)), lambda _r: self._emit_rendered(gen))
        return True

    def _emit_rendered(self, gen: int) -> None:
        self.rendered_generation = gen
        self.rendered.emit()

    @property
    def generation(self) -> int:
        """The number of the last render asked for."""
        return self._generation

    def _patch_blocks(self, gen: int, update: tuple, before: int, after: int, tail: str) -> None:
        """Replace only the blocks `update` names (see `block_update`): the post's
        blocks are one element and a newline each, so the new blocks parse as they
        would within the whole body, and the DOM ends as a fresh parse would make
        it. `tail` (after a load): the whitespace the body's last text node becomes.
        Where the page does not hold the expected nodes (any doubt), the script says
        so and the whole body is patched instead."""
        kept, removed, html, moved = update
        self.last_update = "blocks"

        def done(result) -> None:
            if result != "ok" and isValid(self) and self._shown is not None:
                # the newest page: it runs after any update sent since
                self._patch_body(self._shown_generation, self._shown[0])
                return
            self._emit_rendered(gen)

        self._run(_BLOCKS_JS % (kept, removed, js_string(html), json.dumps(moved), before, after, js_string(tail)),
                  done)

    def _on_load_finished(self, ok: bool) -> None:
        if not self.url().toString().startswith(self.base_href()):
            return
        self._loaded = ok
        if ok and self._sync_line is not None:
            self._run(_SCROLL_JS % int(self._sync_line))
        self._emit_rendered(self._loading_generation)

    def _run(self, js: str, callback=None) -> None:
        if self._page.lifecycleState() == QWebEnginePage.LifecycleState.Discarded:
            return  # the window closed while a load or scroll was on its way: nothing to run it in
        if callback is None:
            self._page.runJavaScript(js, QWebEngineScript.ScriptWorldId.ApplicationWorld)
        else:
            self._page.runJavaScript(js, QWebEngineScript.ScriptWorldId.ApplicationWorld, callback)

    def closeEvent(self, event):  # noqa: N802
        self._shared.store.pages.pop(self.host, None)
        self._shared.store.roots.pop(self.host, None)
        self.close_renderer()
        super().closeEvent(event)


# An update after the first load: the new body is parsed as `body.innerHTML = html`
# would parse it (the fragment parser, with a body as context), and only the nodes
# that differ are replaced. Replacing the whole body made Chromium rebuild the style
# and layout of every block of a 40,000-character post (70-125 ms a keystroke); an
# edit usually changes one block. The result is the same tree: a node is kept only
# where isEqualNode says it equals the new one (tag, attributes, children, text);
# where the changed range holds as many nodes on both sides, each element with the
# same tag and attributes as its counterpart is patched the same way inside and
# every other node is replaced by its counterpart; otherwise the range is replaced.
# After a line is added or removed the blocks below carry new data-line values: a
# block equal but for data-line takes the new value and is kept. (The first update
# after a load always patches inside: the loaded body ends in one more newline than
# the fragment, the whitespace after </body>.)
_PATCH_JS = """(function(html){
  function sameTag(a, b) {
    if (a.nodeType !== 1 || b.nodeType !== 1 || a.tagName !== b.tagName
        || a.attributes.length !== b.attributes.length) return false;
    for (var i = 0; i < a.attributes.length; i++)
      if (b.getAttribute(a.attributes[i].name) !== a.attributes[i].value) return false;
    return true;
  }
  function equalMovingLine(a, b) {
    if (a.isEqualNode(b)) return true;
    if (a.nodeType !== 1 || b.nodeType !== 1 || !a.hasAttribute('data-line') || !b.hasAttribute('data-line'))
      return false;
    var old = a.getAttribute('data-line');
    a.setAttribute('data-line', b.getAttribute('data-line'));
    if (a.isEqualNode(b)) return true;
    a.setAttribute('data-line', old);
    return false;
  }
  function patch(old, fresh) {
    var a = old.childNodes, b = fresh.childNodes, start = 0;
    while (start < a.length && start < b.length && a[start].isEqualNode(b[start])) start++;
    var ea = a.length, eb = b.length;
    while (ea > start && eb > start && equalMovingLine(a[ea - 1], b[eb - 1])) { ea--; eb--; }
    var olds = Array.prototype.slice.call(a, start, ea), news = Array.prototype.slice.call(b, start, eb);
    if (olds.length === news.length) {
      for (var k = 0; k < olds.length; k++) {
        if (sameTag(olds[k], news[k])) patch(olds[k], news[k]);
        else old.replaceChild(news[k], olds[k]);
      }
      return;
    }
    var before = ea < a.length ? a[ea] : null;
    for (var i = 0; i < olds.length; i++) old.removeChild(olds[i]);
    for (var j = 0; j < news.length; j++) old.insertBefore(news[j], before);
  }
  var fresh = document.createElement('body');
  fresh.innerHTML = html;
  patch(document.body, fresh);
  return 0;
})(%s)"""


# An update that replaces only the changed top-level blocks of the post's content
# (preview_page.block_update): `kept` blocks stay, the next `removed` go, the blocks
# of `html` come in their place, the kept blocks at the indexes of `moved` take new
# data-line values. Each block is one element and a newline text node after the
# content's leading newline, so the content holds 1 + 2 * blocks nodes: checked
# before and after, and any other count answers 'full' (the caller then patches
# the whole body, which makes any tree right). The first update after a load also
# sets the body's last text node, the whitespace after the article, to `tail`: a
# loaded body ends with the newlines after </body> and </html> as well.
_BLOCKS_JS = """(function(kept, removed, html, moved, before, after, tail){
  var c = document.querySelector('body > article.post > div.post-content');
  if (!c || c.childNodes.length !== 1 + 2 * before) return 'full';
  if (tail) {
    var last = document.body.lastChild;
    if (!last || last.nodeType !== 3 || last.previousSibling !== c.parentNode) return 'full';
    last.data = tail;
  }
  var next = c.childNodes[1 + 2 * (kept + removed)] || null;
  for (var i = 0; i < 2 * removed; i++) c.removeChild(c.childNodes[1 + 2 * kept]);
  var fresh = document.createElement('body');
  fresh.innerHTML = html;
  while (fresh.firstChild) c.insertBefore(fresh.firstChild, next);
  if (c.childNodes.length !== 1 + 2 * after) return 'full';
  for (var j = 0; j < moved.length; j++)
    c.childNodes[1 + 2 * moved[j][0]].setAttribute('data-line', String(moved[j][1]));
  return 'ok';
})(%d, %d, %s, %s, %d, %d, %s)"""


# Follow the editor: the block holding `line` (the last with data-line <= line), and
# the part of the way to the next block that `line` is, put at the top (less a margin).
# Only top-level blocks carry data-line (the renderer's block -> source line map), so
# a long list or table scrolls in proportion instead of jumping.
_SCROLL_JS = """(function(line){
  var els = document.querySelectorAll('[data-line]'), best = null, next = null;
  for (var i = 0; i < els.length; i++) {
    if (parseInt(els[i].getAttribute('data-line'), 10) <= line) best = els[i];
    else { next = els[i]; break; }
  }
  if (!best) { window.scrollTo(0, 0); return 0; }
  var top = best.getBoundingClientRect().top + window.scrollY;
  if (next) {
    var a = parseInt(best.getAttribute('data-line'), 10), b = parseInt(next.getAttribute('data-line'), 10);
    var nextTop = next.getBoundingClientRect().top + window.scrollY;
    top += (nextTop - top) * (line - a) / Math.max(1, b - a);
  }
  window.scrollTo(0, Math.max(0, top - 8));
  return 0;
})(%d)"""


_SURROGATE = re.compile("[\ud800-\udfff]")


def _body_tail(page: str) -> str | None:
    """The whitespace `page`'s body ends with after its last tag, as a fresh parse
    of the body holds it in its last text node (None: none, or not whitespace)."""
    end = page.rfind("</body>")
    tail = page[page.rfind(">", 0, end) + 1:end] if end >= 0 else ""
    return tail if tail and not tail.strip() else None


def js_string(text: str) -> str:
    """`text` as a JavaScript string literal, its characters as they are.

    json.dumps escapes every non-ASCII character by default: a Japanese body of
    55,000 characters became a 261,000-character script for Chromium to receive and
    parse. JSON is JavaScript (since ES2019 even with U+2028/U+2029 in a string);
    those two are escaped anyway, and a text holding a lone surrogate (which cannot
    cross into Qt's UTF-16 as it is) keeps the escaped form."""
    if _SURROGATE.search(text):
        return json.dumps(text)
    return json.dumps(text, ensure_ascii=False).replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _error_page(exc: BaseException) -> str:
    return ("<!DOCTYPE html><html><head><meta charset='utf-8'></head><body><pre>"
            f"{html_mod.escape(repr(exc))}</pre></body></html>")


def export_page(doc: Document, site) -> str:
    """A standalone page for File → Export preview HTML: images from the site root."""
    base = site.root.as_uri() + "/" if site is not None else None
    return with_policy(render_page(doc, site, base_href=base), EXPORT_CSP)
