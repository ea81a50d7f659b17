"""The preview's rendering, in a process of its own (as the open post's checks are:
see check_process.py).

Rendering a 40,000-character post is tens of milliseconds of Python (parse, liquid,
HTML). Run in a thread of the window's process, it held the interpreter lock while
the user typed: the main thread, whose own work per key is a few milliseconds,
stalled for up to 130 ms waiting for it. Here the window sends the post as read
from disk and the editor's text, and gets the finished page back. The page is the
one the window would make: the same `preview_page` on the same Document
(`doc_for_text` over the post as read from disk).

The process is fed through pipes of its own, not a ProcessPoolExecutor: the
executor passes each call through its manager and feeder threads and each result
back through the manager thread, and the window waited for the future in a
QThreadPool thread; each of those Python threads had to win the interpreter lock
from a busy main thread (measured 5-6 ms of a refresh's 40). Here the main thread
writes the request itself and one reader thread resolves the future.

Qt-free: the worker process imports this module and never Qt.
"""
from __future__ import annotations

import gc
import itertools
import threading
from concurrent.futures import CancelledError, Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from app.core.document import Document
from app.core.findings import Edit

from .check_process import base_document, process_context
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


def _serve(requests, replies, initializer, initargs: tuple) -> None:
    """The worker process: `initializer(*initargs)`, then answer each request
    `(key, fn, args)` with `(key, True, fn(*args))` or `(key, False, exception)`
    until the window closes its end of the pipe."""
    initializer(*initargs)
    while True:
        try:
            key, fn, args = requests.recv()
        except (EOFError, OSError):
            return
        replies.send(_call(key, fn, args))
        if not requests.poll():
            gc.collect()  # while nothing waits: the cycles a call left, collected off its time


def _call(key: int, fn, args: tuple) -> tuple:
    """One request's reply. The cyclic collector is off while it runs: a render
    makes ~20,000 tokens, whose allocations set off young-generation passes (about
    3 of a render's 25 ms) that find almost nothing (tokens die by refcount); the
    worker collects between requests instead. An exception that cannot cross the
    pipe is sent as a RuntimeError naming it."""
    gc.disable()
    try:
        reply = (key, True, fn(*args))
    except BaseException as exc:  # noqa: BLE001 (delivered to the window, as an executor does)
        reply = (key, False, exc)
    finally:
        gc.enable()
    if not reply[1]:
        try:
            _dumps(reply)
        except Exception:  # noqa: BLE001
            reply = (key, False, RuntimeError(repr(reply[2])))
    return reply


def _dumps(obj) -> bytes:
    from multiprocessing.reduction import ForkingPickler
    return bytes(ForkingPickler.dumps(obj))


class _Channel:
    """One worker process, its two pipes and the futures it has yet to answer. A
    reader thread resolves them; when the process dies every one still waiting
    fails with BrokenProcessPool (as a ProcessPoolExecutor's would), and the
    channel takes no more."""

    def __init__(self, initializer, initargs: tuple, decode=None):
        self._decode = decode or (lambda value: value)
        ctx = process_context()
        requests_in, self._requests = ctx.Pipe(duplex=False)
        replies, replies_out = ctx.Pipe(duplex=False)
        self.process = ctx.Process(target=_serve, args=(requests_in, replies_out, initializer, initargs),
                                   daemon=True, name="postdesk-render")
        self.process.start()
        requests_in.close()
        replies_out.close()
        self._lock = threading.Lock()
        self._waiting: dict[int, Future] = {}
        self._keys = itertools.count()
        self.broken = False
        threading.Thread(target=self._read, args=(replies,), daemon=True, name="postdesk-render-replies").start()

    def send(self, fn, args: tuple) -> Future:
        """A future of `fn(*args)` in the process; BrokenProcessPool if it is gone."""
        future: Future = Future()
        future.set_running_or_notify_cancel()
        with self._lock:
            if self.broken:
                raise BrokenProcessPool("the render process has ended")
            key = next(self._keys)
            self._waiting[key] = future
            try:
                self._requests.send((key, fn, args))
            except (OSError, ValueError) as exc:  # the process died: its end of the pipe is closed
                del self._waiting[key]
                self.broken = True
                raise BrokenProcessPool("the render process has ended") from exc
        return future

    def _read(self, replies) -> None:
        """The reader thread: each reply resolves its future, until the pipe ends."""
        while True:
            try:
                key, ok, value = replies.recv()
            except (EOFError, OSError):
                break
            if ok:
                value = self._decode(value)  # every reply, in order: a decoder may keep state
            with self._lock:
                future = self._waiting.pop(key, None)
            if future is None:
                continue
            if ok:
                future.set_result(value)
            else:
                future.set_exception(value)
        replies.close()
        self._end(BrokenProcessPool("the render process ended with calls waiting"))

    def _end(self, exc: BaseException) -> None:
        """Take no more calls and fail the ones waiting with `exc`."""
        with self._lock:
            self.broken = True
            waiting, self._waiting = self._waiting, {}
        for future in waiting.values():
            future.set_exception(exc)

    def close(self) -> None:
        """The process ends once it reads the end of its pipe (after the call it
        runs, if any); calls still waiting are cancelled."""
        self._end(CancelledError())
        with self._lock:
            self._requests.close()


class PipeWorker:
    """One worker process started with `initializer(*initargs)`, fed through a pipe
    of its own; a process that died (killed, out of memory) is replaced at the next
    submit. The same interface as check_process.WorkerProcess."""

    def __init__(self, initializer, initargs: tuple):
        self._init = (initializer, initargs)
        self._channel = self._new_channel()

    def _new_channel(self) -> _Channel:
        return _Channel(*self._init, self._decoder())

    def _decoder(self):
        """What turns a reply into a result, one per process (None: as sent)."""
        return None

    def submit(self, fn, *args) -> Future:
        """A future of `fn(*args)` in the worker; a new process when the old one died."""
        try:
            return self._channel.send(fn, args)
        except BrokenProcessPool:
            self.restart()
            return self._channel.send(fn, args)

    def restart(self) -> None:
        """A new process in place of the old one (which ends after the call it runs)."""
        self._channel.close()
        self._channel = self._new_channel()

    def close(self) -> None:
        """Cancel waiting calls; the process ends after the one running (if any)."""
        self._channel.close()


class RenderProcess(PipeWorker):
    """One worker process rendering preview pages for one site (None: no site)."""

    def _decoder(self):
        return PageDecoder()

    def __init__(self, site):
        super().__init__(_start, (site,))
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
