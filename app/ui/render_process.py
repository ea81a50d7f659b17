"""The preview's rendering, in a process of its own (as the open post's checks are:
see check_process.py).

Rendering a 40,000-character post is tens of milliseconds of Python (parse, liquid,
HTML). Run in a thread of the window's process, it held the interpreter lock while
the user typed: the main thread, whose own work per key is a few milliseconds,
stalled for up to 130 ms waiting for it. Here the window sends the post as read
from disk and the editor's text, and gets the finished page back. The page is the
one the window would make: the same `preview_page` on the same Document
(`doc_for_text` over the post as read from disk).

The process is a PipeWorker (pipe_worker.py: pipes of its own, one reader thread);
its replies are decoded by a PageDecoder, one per process.

Qt-free: the worker process imports this module and never Qt.
"""
from __future__ import annotations

import gc
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from app.core.document import Document
from app.core.findings import Edit

from .check_process import base_document
from .pipe_worker import PipeWorker
from .preview_page import preview_render
from .textdiff import changed_span, common_prefix_length, common_suffix_length, doc_for_text

_site = None  # in the worker process
_kept: tuple[Document, str | None] | None = None  # the last post as read from disk and text rendered, in the worker
_sent_page = ""  # the last page sent to the window, in the worker (see PageReply)


def _start(site) -> None:
    """Keep the site for every render; its objects (and the modules') are frozen
    out of the cyclic collector, which otherwise walks them all in each oldest-
    generation pass that a render's ~20,000 new tokens set off (up to 15 ms)."""
    global _site
    _site = site
    gc.collect()
    gc.freeze()


def _render(source: str, bom: bool, path, text: str | None, base_href: str) -> PageReply:
    """The page for `text` over the post as read from disk (`source`, `bom`, `path`);
    both are kept for the edits that follow (`_render_edit`)."""
    global _kept
    _kept = None
    base = base_document(source, bom, path)
    _kept = (base, text)
    return _page(base, text, base_href)


def _render_edit(start: int, end: int, insert: str, base_href: str) -> PageReply:
    """The page for the last text rendered with `[start:end]` replaced by `insert`,
    over the same post as read from disk (see RenderProcess.render)."""
    global _kept
    if _kept is None or _kept[1] is None:
        raise RuntimeError("an edit reached the render process before a text to apply it to")
    base, text = _kept
    text = text[:start] + insert + text[end:]
    _kept = (base, text)
    return _page(base, text, base_href)


def _page(base: Document, text: str | None, base_href: str) -> PageReply:
    global _sent_page
    doc = base if text is None else doc_for_text(base, text)
    page, starts = preview_render(doc, _site, base_href=base_href)
    reply = PageReply.between(_sent_page, page, starts)
    _sent_page = page
    return reply


@dataclass(frozen=True)
class PageReply:
    """A rendered page as the render process sends it: what differs from the page it
    sent before (the window's reader thread rebuilds it, `PageDecoder`). A whole
    page of the 42,830-character post is ~150 KB of UTF-8, which took ~1.6 ms more
    than a short reply to cross the pipe; a keystroke changes a few characters."""

    prefix: int  # characters kept from the start of the page sent before
    suffix: int  # and from its end
    middle: str  # between them
    starts: tuple[int, ...]  # preview_render's block starts, in the new page

    @staticmethod
    def between(old: str, new: str, starts: tuple[int, ...]) -> "PageReply":
        prefix = common_prefix_length(old, new)
        suffix = common_suffix_length(old, new, min(len(old), len(new)) - prefix)
        return PageReply(prefix, suffix, new[prefix:len(new) - suffix], starts)


class PageDecoder:
    """The window's side of one render process's replies, in the order they came:
    each PageReply becomes the page and its starts; any other value is as sent."""

    def __init__(self):
        self._page = ""  # the last page rebuilt, the same as the process's `_sent_page`

    def __call__(self, value):
        if not isinstance(value, PageReply):
            return value
        page = self._page
        self._page = page[:value.prefix] + value.middle + page[len(page) - value.suffix:]
        return self._page, value.starts


class RenderProcess(PipeWorker):
    """One worker process rendering preview pages for one site (None: no site)."""

    def _decoder(self):
        return PageDecoder()

    def __init__(self, site):
        super().__init__(_start, (site,), name="postdesk-render")
        self.site = site
        self._sent: tuple | None = None  # (channel, base, text) of the last render sent

    def render(self, base: Document, text: str | None, base_href: str) -> Future:
        """A future of the preview page for `text` (the editor's; None: `base`'s own)
        over `base` (the post as read from disk, or any Document), with its block
        starts (`preview_page.preview_render`).

        A keystroke's render sends only the edit since the last text this process
        received over the same `base`: sending the post as read from disk and the
        whole text was ~250 KB of pickle for a 42,830-character Japanese post, four
        times the pipe's buffer, written by the main thread while the process read
        it (1-2 ms). The process applies the edit to the text it kept; a new process
        (or a new base, or no text) gets the whole request."""
        channel, sent = self._channel, self._sent
        self._sent = None  # until this request is on its way
        future = None
        if text is not None and sent is not None and sent[0] is channel and sent[1] is base and sent[2] is not None:
            edit = changed_span(sent[2], text) or Edit(0, 0, "")
            try:
                future = channel.send(_render_edit, (edit.start, edit.end, edit.text, base_href))
            except BrokenProcessPool:
                self.restart()
        if future is None:
            future = self.submit(_render, base.source, base.bom, base.path, text, base_href)
        self._sent = (self._channel, base, text)
        return future
