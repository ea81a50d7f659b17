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
from app.core.preview import page_html, render_document

from .app import SCHEME
from .workers import run_in_background

_OWN = SCHEME.decode()
# file: is not needed (pages and site files come through PostDesk's scheme), so
# content cannot make the view read the local disk outside the site root either.
ALLOWED_SCHEMES = frozenset({"data", "qrc", _OWN})
# Stricter than the exported page's policy (which lets a reviewer's browser fetch
# remote images): every policy on a page applies, so this one wins in the preview.
CSP = (f"default-src 'none'; img-src {_OWN}: data:; style-src 'unsafe-inline' {_OWN}:; "
       f"font-src {_OWN}: data:; media-src {_OWN}: data:; script-src 'none'; object-src 'none'; "
       f"frame-src 'none'; child-src 'none'; form-action 'none'; base-uri {_OWN}:")
# The exported page (File → Export Preview HTML) may show remote images in a
# reviewer's browser; still no scripts, and its inline stylesheet applies.
EXPORT_CSP = ("default-src 'self' data: file: https: http:; style-src 'unsafe-inline'; "
              "script-src 'none'; object-src 'none'")
_HEAD = re.compile(r"<head[^>]*>\n?", re.I)
_HEAD_END = re.compile(r"</head\s*>", re.I)
_CSP_IN_HEAD = re.compile(r"<meta\s+http-equiv=[\"']?Content-Security-Policy[\"']?[^>]*>\n?", re.I)
DEBOUNCE_MS = 300
PAGE_PATH = "/__preview__.html"  # where a preview's page is served under postdesk://pN/
_LOG = 500  # URLs kept of what was blocked / served (a day of typing re-renders often)
_ids = itertools.count(1)
_BODY = re.compile(r"<body[^>]*>(.*)</body>", re.S | re.I)


# -- rendering (Qt-free, runs in a worker) ------------------------------------
def with_policy(page: str, csp: str) -> str:
    """`page` with `csp` as the only policy in its head, first (a policy in <meta>
    only counts in the head, before anything it governs).

    The page's own policy goes: it blocks the page's inline stylesheet (its
    default-src has no 'unsafe-inline', and every policy on a page applies)."""
    meta = f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n'
    m = _HEAD.search(page)
    if m is None:
        return meta + page
    end = _HEAD_END.search(page, m.end())
    stop = end.start() if end else m.end()
    head = _CSP_IN_HEAD.sub("", page[m.end():stop])
    return page[:m.end()] + meta + head + page[stop:]


def with_preview_csp(page: str) -> str:
    """`page` under the preview's strict policy."""
    return with_policy(page, CSP)


def render_page(doc: Document, site, *, base_href: str | None) -> str:
    """A complete page for `doc` (body blocks carry `data-line` for the scroll sync),
    with the policy of wherever it is shown left to the caller (see `preview_page`)."""
    title = str(doc.get("title") or (doc.path.stem if doc.path else ""))
    return page_html(render_document(doc, site, source_lines=True), title=title, base_href=base_href)


def preview_page(doc: Document, site, *, base_href: str) -> str:
    """What the preview view shows: `render_page` under the strict policy."""
    return with_preview_csp(render_page(doc, site, base_href=base_href))


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
    """The preview pane. `show_document(doc, site)` schedules a debounced update."""

    rendered = Signal()  # a page or an in-place update is shown
    internalLinkClicked = Signal(str)

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
        self._pending: tuple[Document, object] | None = None
        self._generation = 0
        self._loaded_root: object = ()
        self._loaded = False
        self._sync_line: int | None = None
        self.last_html = ""
        self.loadFinished.connect(self._on_load_finished)

    # -- public ---------------------------------------------------------------
    def show_document(self, doc, site=None, *, immediately: bool = False) -> None:
        """Show `doc`: a Document, None (nothing), or a function returning the
        Document, called in the worker that renders it (so a keystroke does not
        pay for a parse the debounce may throw away)."""
        self._pending = (doc, site)
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

    # -- rendering ------------------------------------------------------------
    def _render_now(self) -> None:
        if self._pending is None:
            return
        doc, site = self._pending
        self._pending = None
        if doc is None:
            self.clear()
            return
        self._generation += 1
        gen = self._generation
        base = self.base_href()
        make = doc if callable(doc) else (lambda: doc)
        run_in_background(lambda op: preview_page(make(), site, base_href=base),
                          lambda page: self._show(gen, page, site),
                          lambda exc: self._show(gen, _error_page(exc), site))

    def _show(self, gen: int, page: str, site) -> None:
        if not isValid(self) or gen != self._generation:
            return  # the view is gone (window closed mid-render), or a newer render is on its way
        self.last_html = page
        root = getattr(site, "root", None)
        store = self._shared.store
        store.pages[self.host] = page.encode("utf-8")
        store.roots[self.host] = Path(root).resolve() if root else None
        body = _BODY.search(page)
        if self._loaded and root == self._loaded_root and body is not None:
            self._run("document.body.innerHTML = %s; 0" % json.dumps(body.group(1)),
                      lambda _r: self.rendered.emit())
            return
        self._loaded_root = root
        self._loaded = False
        self.load(QUrl(f"{self.base_href()}{PAGE_PATH[1:]}?v={gen}"))

    def _on_load_finished(self, ok: bool) -> None:
        if not self.url().toString().startswith(self.base_href()):
            return
        self._loaded = ok
        if ok and self._sync_line is not None:
            self._run(_SCROLL_JS % int(self._sync_line))
        self.rendered.emit()

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
        super().closeEvent(event)


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


def _error_page(exc: BaseException) -> str:
    return ("<!DOCTYPE html><html><head><meta charset='utf-8'></head><body><pre>"
            f"{html_mod.escape(repr(exc))}</pre></body></html>")


def export_page(doc: Document, site) -> str:
    """A standalone page for File → Export preview HTML: images from the site root."""
    base = site.root.as_uri() + "/" if site is not None else None
    return with_policy(render_page(doc, site, base_href=base), EXPORT_CSP)
