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
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from app.core.document import Document
from app.core.engine import Engine

from .textdiff import doc_for_text

_engine: Engine | None = None  # in the worker process
_index = None
_UNSET = object()


def process_context():
    """forkserver where there is one (the window's process has threads: never fork
    it), else spawn; the server starts with the checking modules imported."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["app.ui.check_process"])
        return ctx
    return multiprocessing.get_context("spawn")


def _start(site, config, rule_codes: list[str]) -> None:
    global _engine
    _engine = Engine(site, config, rule_codes)


def _use_index(index) -> None:
    """The site's similarity index for PD204 (None: not built yet): sent once when
    it changes, not with every check (at 5,000 posts it is large)."""
    global _index
    _index = index


def _check(source: str, bom: bool, path, text: str, info):
    base = Document(source, bom=bom, path=path)  # what Document.from_bytes built in the window
    return _engine.check_document(doc_for_text(base, text), info, index=_index)


class CheckProcess:
    """One worker process checking the open post's text for an Engine's site."""

    def __init__(self, engine: Engine):
        self._args = (engine.site, engine.config, [r.code for r in engine.rules])
        self._pool = self._new_pool()
        self._index = _UNSET

    def _new_pool(self) -> ProcessPoolExecutor:
        pool = ProcessPoolExecutor(1, mp_context=process_context(), initializer=_start, initargs=self._args)
        pool.submit(_use_index, None)  # starts the process now, not at the first keystroke
        return pool

    def check(self, base: Document, text: str, info, index) -> Future:
        """A future of the findings for `text` (the editor's) over `base` (the post as
        read from disk), PD204 against `index` when given. A process that died (killed,
        out of memory) is replaced."""
        try:
            return self._submit(base, text, info, index)
        except BrokenProcessPool:
            self._pool = self._new_pool()
            self._index = _UNSET
            return self._submit(base, text, info, index)

    def _submit(self, base: Document, text: str, info, index) -> Future:
        if index is not self._index:
            self._pool.submit(_use_index, index)
            self._index = index
        return self._pool.submit(_check, base.source, base.bom, base.path, text, info)

    def close(self) -> None:
        """Drop queued checks; the process ends after the one running (if any)."""
        self._pool.shutdown(wait=False, cancel_futures=True)
