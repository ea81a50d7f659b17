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

The process is a PipeWorker (pipe_worker.py), like the preview's.

Qt-free: the worker process imports this module and never Qt.
"""
from __future__ import annotations

from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool

from app.core.document import Document
from app.core.engine import Engine

from .pipe_worker import PipeWorker, lower_priority
from .textdiff import doc_for_text

_engine: Engine | None = None  # in the worker process
_index = None
_base: tuple[tuple, Document] | None = None  # the last post as read from disk, in a worker
_UNSET = object()


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
    lower_priority(CHECK_NICENESS)
    _engine = Engine(site, config, rule_codes)


def _use_index(index) -> None:
    """The site's similarity index for PD204 (None: not built yet): sent once when
    it changes, not with every check (at 5,000 posts it is large)."""
    global _index
    _index = index


def _check(source: str, bom: bool, path, text: str, info):
    return _engine.check_document(doc_for_text(base_document(source, bom, path), text), info, index=_index)


class CheckProcess(PipeWorker):
    """One worker process checking the open post's text for an Engine's site."""

    def __init__(self, engine: Engine):
        super().__init__(_start, (engine.site, engine.config, [r.code for r in engine.rules]), name="postdesk-check")
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
            self._channel.send(_use_index, (index,))
            self._index = index
        return self._channel.send(_check, (base.source, base.bom, base.path, text, info))
