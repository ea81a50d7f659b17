"""The preview's page, made without Qt: the worker process that renders it imports
this module (app/ui/render_process.py), and so does the window (preview.py).

A 40,000-character post takes a few tens of milliseconds of Python to render. In a
thread of the window's process that time holds the interpreter lock, and typing
waits for it; in a process of its own it costs the window one pipe write and one
read. The page is the same either way: the same functions run on the same Document.
"""
from __future__ import annotations

import re

from app.core.document import Document
from app.core.parse import tokenize_body
from app.core.preview import page_html
from app.core.render import Rendered, render_html

from .textdiff import common_prefix_length, common_suffix_length

SCHEME_NAME = "postdesk"  # the preview's URL scheme (app.ui.app registers it with Qt)
# Stricter than the exported page's policy (which lets a reviewer's browser fetch
# remote images): every policy on a page applies, so this one wins in the preview.
CSP = (f"default-src 'none'; img-src {SCHEME_NAME}: data:; style-src 'unsafe-inline' {SCHEME_NAME}:; "
       f"font-src {SCHEME_NAME}: data:; media-src {SCHEME_NAME}: data:; script-src 'none'; object-src 'none'; "
       f"frame-src 'none'; child-src 'none'; form-action 'none'; base-uri {SCHEME_NAME}:")
# The exported page (File → Export Preview HTML) may show remote images in a
# reviewer's browser; still no scripts, and its inline stylesheet applies.
EXPORT_CSP = ("default-src 'self' data: file: https: http:; style-src 'unsafe-inline'; "
              "script-src 'none'; object-src 'none'")
_HEAD = re.compile(r"<head[^>]*>\n?", re.I)
_HEAD_END = re.compile(r"</head\s*>", re.I)
_CSP_IN_HEAD = re.compile(r"<meta\s+http-equiv=[\"']?Content-Security-Policy[\"']?[^>]*>\n?", re.I)


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


def render_body(doc: Document, site) -> Rendered:
    """`render_document(doc, site)`'s body (blocks marked with `data-line`) from
    the tokens alone.

    A ParsedPost also cuts the tokens into blocks, headings, links and a footer for
    the rules; the renderer reads none of them, and for a 40,000-character post they
    are about 7 of the render process's 30 ms a keystroke. The tokens are the ones
    ParsedPost makes (`tokenize_body`); tests/preview/test_render_body.py compares
    both on every sample post and on generated texts."""
    tokens, env = tokenize_body(doc, site)
    return render_html(tokens, env, body_line=doc.body_line, source_lines=True)


def _title(doc: Document) -> str:
    return str(doc.get("title") or (doc.path.stem if doc.path else ""))


def render_page(doc: Document, site, *, base_href: str | None) -> str:
    """A complete page for `doc` (body blocks carry `data-line` for the scroll sync),
    with the policy of wherever it is shown left to the caller (see `preview_page`)."""
    return page_html(render_body(doc, site), title=_title(doc), base_href=base_href)


def preview_render(doc: Document, site, *, base_href: str) -> tuple[str, tuple[int, ...]]:
    """`preview_page`, and where each top-level block of the post's body starts in
    it, the body's end last (`Rendered.starts` moved to the page; empty when the
    preview must replace the whole body: raw HTML, or no blocks)."""
    rendered = render_body(doc, site)
    page = with_preview_csp(page_html(rendered, title=_title(doc), base_href=base_href))
    if not rendered.starts or not rendered.html:
        return page, ()
    at = page.rfind(rendered.html)  # the body is the page's last part but a fixed tail
    return page, tuple(at + start for start in rendered.starts)


def preview_page(doc: Document, site, *, base_href: str) -> str:
    """What the preview view shows: `render_page` under the strict policy."""
    return preview_render(doc, site, base_href=base_href)[0]


_MARK = ' data-line="'


def block_update(old: tuple[str, tuple[int, ...]], new: tuple[str, tuple[int, ...]]):
    """How the preview's page changes from `old` to `new` (each `preview_render`'s
    result) in whole top-level blocks: `(kept, removed, html, moved)`, meaning keep
    the first `kept` blocks, replace the next `removed` by the blocks of `html`,
    keep the rest, and give the kept blocks at the new indexes in `moved` the new
    data-line values paired with them (blocks below an added or removed line move).
    None when the pages differ outside the blocks or either has no block starts."""
    (old_page, old_starts), (new_page, new_starts) = old, new
    if not old_starts or not new_starts or old_page[:old_starts[0]] != new_page[:new_starts[0]] \
            or old_page[old_starts[-1]:] != new_page[new_starts[-1]:]:
        return None
    n_old, n_new = len(old_starts) - 1, len(new_starts) - 1
    kept = _equal_leading_blocks(old_page, old_starts, new_page, new_starts)
    moved: list[tuple[int, int]] = []
    same = _equal_trailing_blocks(old_page, old_starts, new_page, new_starts, kept)
    while same < min(n_old, n_new) - kept:
        a = old_page[old_starts[n_old - same - 1]:old_starts[n_old - same]]
        b = new_page[new_starts[n_new - same - 1]:new_starts[n_new - same]]
        if a != b:
            line = _moved_line(a, b)
            if line is None:
                break
            moved.append((n_new - same - 1, line))
        same += 1
    html = new_page[new_starts[kept]:new_starts[n_new - same]]
    return kept, n_old - kept - same, html, moved


def _equal_leading_blocks(old_page: str, old_starts: tuple[int, ...], new_page: str,
                          new_starts: tuple[int, ...]) -> int:
    """How many blocks at the start of both pages are the same text at the same place."""
    common = common_prefix_length(old_page, new_page)
    kept = 0
    limit = min(len(old_starts), len(new_starts)) - 1
    while kept < limit and old_starts[kept + 1] == new_starts[kept + 1] <= common:
        kept += 1
    return kept


def _equal_trailing_blocks(old_page: str, old_starts: tuple[int, ...], new_page: str,
                           new_starts: tuple[int, ...], kept: int) -> int:
    """How many blocks at the end of both pages (not among the `kept` leading ones)
    are the same text at the same distance from the end: most keystrokes change
    one line, and every block but that line's is found here without a comparison
    of its own."""
    limit = min(len(old_starts), len(new_starts)) - 1 - kept
    common = common_suffix_length(old_page, new_page, min(len(old_page) - old_starts[kept],
                                                          len(new_page) - new_starts[kept]))
    old_end, new_end = len(old_page), len(new_page)
    same = 0
    while same < limit and old_end - old_starts[-2 - same] == new_end - new_starts[-2 - same] <= common:
        same += 1
    return same


def _moved_line(old: str, new: str) -> int | None:
    """The data-line of block `new` when it equals block `old` but for that value
    (None: they differ otherwise). Only a top-level block's first tag carries one
    (string operations, not a pattern: below an added line every block is asked)."""
    a, b = old.find(">"), new.find(">")
    if old[a:] != new[b:]:
        return None
    i, j = old.rfind(_MARK, 0, a), new.rfind(_MARK, 0, b)
    if i < 0 or j < 0 or old[:i] != new[:j]:
        return None
    end_old, end_new = old.find('"', i + len(_MARK)), new.find('"', j + len(_MARK))
    value = new[j + len(_MARK):end_new]
    if old[end_old:a] != new[end_new:b] or not value.isdigit() or not old[i + len(_MARK):end_old].isdigit():
        return None
    return int(value)
