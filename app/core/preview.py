"""What the preview and `postdesk render` show: a post's body as Jekyll publishes it.

The rendering reads the same ParsedPost tokens the rules read (one parse per post);
this module only wires a Document and its Site to the renderer and the stylesheet.
"""
from __future__ import annotations

import html
from pathlib import Path

from .document import Document
from .parse import ParsedPost
from .paths import resource
from .render import Rendered, render_html, standalone_page
from .site import Site


def render_parsed(post: ParsedPost, *, source_lines: bool = False) -> Rendered:
    """The body HTML of an already parsed post (`source_lines`: mark blocks with
    their file lines for the window's scroll sync and finding marks)."""
    return render_html(post.tokens, post.env, body_line=post.body_line, source_lines=source_lines)


def render_document(doc: Document, site: Site | None = None, *, source_lines: bool = True) -> Rendered:
    config = site.config if site else None
    return render_parsed(ParsedPost(doc, config, site), source_lines=source_lines)


def stylesheet() -> str:
    return resource("preview.css").read_text(encoding="utf-8")


def page_html(rendered: Rendered, *, title: str, base_href: str | None = None, css: str | None = None) -> str:
    """A complete page: the body HTML with the site stylesheet inlined, no scripts."""
    return standalone_page(rendered, title=html.escape(title), css=stylesheet() if css is None else css,
                           base_href=base_href)


def render_post_file(path: Path, *, standalone: bool = False) -> str:
    """`postdesk render POST [--standalone]`."""
    path = Path(path).resolve()
    doc = Document.load(path)
    site = Site.open(path)
    rendered = render_document(doc, site, source_lines=False)
    if not standalone:
        return rendered.html
    title = str(doc.get("title") or path.stem)
    return page_html(rendered, title=title, base_href=site.root.as_uri() + "/")
