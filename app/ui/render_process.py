"""The preview's rendering, in a process of its own (as the open post's checks are:
see check_process.py).

Rendering a 40,000-character post is tens of milliseconds of Python (parse, liquid,
HTML). Run in a thread of the window's process, it held the interpreter lock while
the user typed: the main thread, whose own work per key is a few milliseconds,
stalled for up to 130 ms waiting for it. Here the window sends the post as read
from disk and the editor's text, and gets the finished page back. The page is the
one the window would make: the same `preview_page` on the same Document
(`doc_for_text` over the post as read from disk).

Qt-free: the worker process imports this module and never Qt.
"""
from __future__ import annotations

import gc
from concurrent.futures import Future

from app.core.document import Document

from .check_process import WorkerProcess, base_document
from .preview_page import preview_page
from .textdiff import doc_for_text

_site = None  # in the worker process


def _start(site) -> None:
    """Keep the site for every render; its objects (and the modules') are frozen
    out of the cyclic collector, which otherwise walks them all in each oldest-
    generation pass that a render's ~20,000 new tokens set off (up to 15 ms)."""
    global _site
    _site = site
    gc.collect()
    gc.freeze()


def _render(source: str, bom: bool, path, text: str | None, base_href: str) -> str:
    base = base_document(source, bom, path)
    doc = base if text is None else doc_for_text(base, text)
    return preview_page(doc, _site, base_href=base_href)


class RenderProcess(WorkerProcess):
    """One worker process rendering preview pages for one site (None: no site)."""

    def __init__(self, site):
        super().__init__(_start, (site,))
        self.site = site

    def render(self, base: Document, text: str | None, base_href: str) -> Future:
        """A future of the preview page for `text` (the editor's; None: `base`'s own)
        over `base` (the post as read from disk, or any Document)."""
        return self.submit(_render, base.source, base.bom, base.path, text, base_href)
