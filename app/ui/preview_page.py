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
from app.core.markdown import tokenize
from app.core.preview import page_html
from app.core.render import Rendered, render_html

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
    ParsedPost makes (the same call on the same body, lone CRs blanked as it blanks
    them); tests/preview/test_render_body.py compares both on every sample post
    and on generated texts."""
    tokens, env = tokenize(doc.body.replace("\r", " "), doc.fields, site)
    return render_html(tokens, env, body_line=doc.body_line, source_lines=True)


def render_page(doc: Document, site, *, base_href: str | None) -> str:
    """A complete page for `doc` (body blocks carry `data-line` for the scroll sync),
    with the policy of wherever it is shown left to the caller (see `preview_page`)."""
    title = str(doc.get("title") or (doc.path.stem if doc.path else ""))
    return page_html(render_body(doc, site), title=title, base_href=base_href)


def preview_page(doc: Document, site, *, base_href: str) -> str:
    """What the preview view shows: `render_page` under the strict policy."""
    return with_preview_csp(render_page(doc, site, base_href=base_href))
