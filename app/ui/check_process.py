"""The open post's checks, in a process of their own.

A check of a 40,000-character post is a few hundred milliseconds of Python. In a
thread of the window's process it holds the interpreter lock for most of that time,
and the window's own Python (highlighting, key handlers, painting the margin) waits
for it: measured with tests/benchmarks/bench_window.py, 55 stalls over one frame
(16 ms, up to 130 ms) while typing, although the main thread's own work never took
more than 11 ms. In this process the window only sends the text (a pipe write) and
receives the findings. The result is the same as `Engine.check_document` in the
window: the process builds the same Engine (site, configuration, rules) and the
same Document (`doc_for_text` on the post as read from disk).

Qt-free: the worker process imports this module and never Qt.
"""
from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from app.core.document import Document
from app.core.engine import Engine

from .textdiff import doc_for_text

_engine: Engine | None = None  # in the worker process
_index = None
_base: tuple[tuple, Document] | None = None  # the last post as read from disk, in a worker
_UNSET = object()
# The window's worker processes (checks, preview, the list's rows) import these when
# the fork server starts, so a new worker starts with them already loaded.
PRELOAD = ["app.ui.check_process", "app.ui.render_process", "app.ui.post_rows"]


def process_context():
    """forkserver where there is one (the window's process has threads: never fork
    it), else spawn; the server starts with the checking and rendering modules
    imported."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(PRELOAD)
        return ctx
    return multiprocessing.get_context("spawn")


def base_document(source: str, bom: bool, path) -> Document:
    """What Document.from_bytes built in the window for the open post (a worker
    side call). The last one is kept: every keystroke sends the same post as read
    from disk, and a Document is never changed in place (edits make new ones), so
    the kept one equals a new one built from the same source, BOM flag and path."""
    global _base
    key = (source, bom, path)
    if _base is None or _base[0] != key:
        _base = (key, Document(source, bom=bom, path=path))
    return _base[1]


# How much lower the check process's CPU priority is than the window's. On two
# cores the check, the render process and Chromium applying the preview's patch can
# all want the CPU in the same moment; the check's findings arrive a few hundred
# milliseconds after a pause anyway, while the preview is what the user watches.
CHECK_NICENESS = 5


def _start(site, config, rule_codes: list[str]) -> None:
    global _engine
    _lower_priority(CHECK_NICENESS)
    _engine = Engine(site, config, rule_codes)


def _lower_priority(steps: int) -> None:
    """Make this (worker) process `steps` nicer, where the platform can."""
    try:
        os.nice(steps)
    except (AttributeError, OSError):  # Windows has no nice(); a refused change is harmless
        pass


def _use_index(index) -> None:
    """The site's similarity index for PD204 (None: not built yet): sent once when
    it changes, not with every check (at 5,000 posts it is large)."""
    global _index
    _index = index


def _check(source: str, bom: bool, path, text: str, info):
    return _engine.check_document(doc_for_text(base_document(source, bom, path), text), info, index=_index)


def _ready() -> None:
    """Nothing: submitted at start so the process starts now, not at first use."""


class WorkerProcess:
    """One worker process (a ProcessPoolExecutor of one) started with
    `initializer(*initargs)`; a process that died (killed, out of memory) is replaced
    at the next submit."""

    def __init__(self, initializer, initargs: tuple):
        self._init = (initializer, initargs)
        self._pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        initializer, initargs = self._init
        pool = ProcessPoolExecutor(1, mp_context=process_context(), initializer=initializer, initargs=initargs)
        pool.submit(_ready)  # starts the process now, not at the first keystroke
        return pool

    def submit(self, fn, *args) -> Future:
        """A future of `fn(*args)` in the worker; a new process when the old one died."""
        try:
            return self._pool.submit(fn, *args)
        except BrokenProcessPool:
            self.restart()
            return self._pool.submit(fn, *args)

    def restart(self) -> None:
        """A new process in place of the old one (which ends after the call it runs)."""
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = self._new_pool()
        self._restarted()

    def _restarted(self) -> None:
        """What a subclass keeps about its process's state is forgotten here."""

    def close(self) -> None:
        """Drop queued calls; the process ends after the one running (if any)."""
        self._pool.shutdown(wait=False, cancel_futures=True)


class CheckProcess(WorkerProcess):
    """One worker process checking the open post's text for an Engine's site."""

    def __init__(self, engine: Engine):
        super().__init__(_start, (engine.site, engine.config, [r.code for r in engine.rules]))
        self._index = _UNSET

    def _restarted(self) -> None:
        self._index = _UNSET

    def check(self, base: Document, text: str, info, index) -> Future:
        """A future of the findings for `text` (the editor's) over `base` (the post as
        read from disk), PD204 against `index` when given."""
        try:
            return self._submit_check(base, text, info, index)
        except BrokenProcessPool:
            self.restart()  # forgets the index: the new process gets it first
            return self._submit_check(base, text, info, index)

    def _submit_check(self, base: Document, text: str, info, index) -> Future:
        if index is not self._index:
            self._pool.submit(_use_index, index)
            self._index = index
        return self._pool.submit(_check, base.source, base.bom, base.path, text, info)
