"""The preview replaces only the top-level blocks an edit changed
(preview_page.preview_render's block starts and block_update; the DOM side is
tested in tests/ui/test_preview_blocks.py).

What must hold here: the starts cut the body into one-element blocks exactly when
that is safe (no raw HTML), and the update `block_update` describes, applied to
the old page's blocks as text, gives the new page's body text exactly."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.document import Document
from app.core.markdown import tokenize
from app.ui.preview_page import block_update, preview_page, preview_render, render_body

from test_preview_render_body import LINES, POSTS, SITE

HREF = "postdesk://p1/"
NOT_HTML = LINES.filter(lambda line: not line.startswith("<"))


def has_raw_html(doc: Document) -> bool:
    tokens, _env = tokenize(doc.body.replace("\r", " "), doc.fields, SITE)
    return any(t.type == "html_block" or any(c.type == "html_inline" for c in t.children or []) for t in tokens)


def blocks(page: str, starts: tuple[int, ...]) -> list[str]:
    return [page[a:b] for a, b in zip(starts, starts[1:])]


def apply(old: tuple[str, tuple[int, ...]], update, new_count: int) -> str:
    """The body text after `update`, made from the old page's blocks as text
    (`new_count`: how many blocks the new page has, which `moved` indexes)."""
    kept, removed, html, moved = update
    old_blocks = blocks(*old)
    tail = old_blocks[kept + removed:]
    for index, line in moved:
        at = index - (new_count - len(tail))
        assert 0 <= at < len(tail)
        tail[at] = re.sub(r' data-line="\d+"', f' data-line="{line}"', tail[at], count=1)
    return "".join(old_blocks[:kept] + [html] + tail)


def body(rendered: tuple[str, tuple[int, ...]]) -> str:
    page, starts = rendered
    return page[starts[0]:starts[-1]]


def check_starts(doc: Document) -> None:
    page, starts = preview_render(doc, SITE, base_href=HREF)
    assert page == preview_page(doc, SITE, base_href=HREF)
    html = render_body(doc, SITE).html
    if has_raw_html(doc) or not html:
        assert starts == ()
        return
    assert page[starts[0]:starts[-1]] == html
    assert page[starts[-1]:].startswith("</div>\n</article>")
    for block in blocks(page, starts):
        assert block.startswith("<") and block.endswith(">\n")
        tag = re.match(r"<([a-z0-9]+)", block).group(1)
        assert block.endswith(f"</{tag}>\n") or (tag == "hr" and block.endswith(" />\n"))


@pytest.mark.parametrize("path", POSTS, ids=lambda p: p.name)
def test_the_starts_cut_every_sample_post_into_its_blocks(path):
    check_starts(Document.from_bytes(path.read_bytes(), path=path))


@settings(max_examples=200, deadline=None)
@given(st.lists(LINES, max_size=40))
def test_the_starts_cut_generated_posts_into_their_blocks_unless_they_hold_raw_html(lines):
    check_starts(Document("---\ntitle: 題名\n---\n" + "\n".join(lines) + "\n", path=Path("_posts/2026-01-01-1-x.md")))


def test_a_post_with_raw_html_has_no_starts():
    assert preview_render(Document("本文\n\n<div>\n生の HTML\n</div>\n"), SITE, base_href=HREF)[1] == ()
    assert preview_render(Document("本文 <b>開いたまま\n\n次の段落\n"), SITE, base_href=HREF)[1] == ()
    assert preview_render(Document("本文\n\n次の段落\n"), SITE, base_href=HREF)[1] != ()


@settings(max_examples=300, deadline=None)
@given(st.lists(NOT_HTML, max_size=30), st.lists(st.tuples(st.integers(0, 30), st.integers(0, 3), NOT_HTML),
                                                 min_size=1, max_size=4))
def test_the_update_turns_the_old_blocks_into_the_new_body(lines, edits):
    """Lines replaced, added and removed anywhere (so blocks below move): the old
    page's blocks, updated as block_update says, are the new body to the character."""
    new_lines = list(lines)
    for at, drop, line in edits:
        at = min(at, len(new_lines))
        new_lines[at:at + drop] = [line]
    old_doc = Document("---\ntitle: 題名\n---\n" + "\n".join(lines) + "\n")
    new_doc = Document("---\ntitle: 題名\n---\n" + "\n".join(new_lines) + "\n")
    old, new = (preview_render(d, SITE, base_href=HREF) for d in (old_doc, new_doc))
    update = block_update(old, new)
    if not old[1] or not new[1]:
        assert update is None
        return
    assert update is not None
    assert apply(old, update, len(new[1]) - 1) == body(new)


def test_an_edit_in_one_paragraph_replaces_that_paragraph_only():
    text = "---\ntitle: 題名\n---\n" + "".join(f"段落{i}です。\n\n" for i in range(50))
    old = preview_render(Document(text), SITE, base_href=HREF)
    new = preview_render(Document(text.replace("段落20です。", "段落20を書き換えました。")), SITE, base_href=HREF)
    kept, removed, html, moved = block_update(old, new)
    assert (kept, removed, moved) == (20, 1, [])
    assert html == '<p data-line="44">段落20を書き換えました。</p>\n'


def test_a_new_line_moves_the_blocks_below_without_replacing_them():
    text = "---\ntitle: 題名\n---\n" + "".join(f"段落{i}です。\n\n" for i in range(10))
    old = preview_render(Document(text), SITE, base_href=HREF)
    new = preview_render(Document(text.replace("段落3です。\n", "段落3です。\n\n追加\n")), SITE, base_href=HREF)
    kept, removed, html, moved = block_update(old, new)
    assert (kept, removed, html) == (4, 0, '<p data-line="12">追加</p>\n')
    assert moved == [(i + 1, 4 + 2 * i + 2) for i in range(9, 3, -1)]


def test_a_changed_title_is_not_a_block_update():
    text = "---\ntitle: 題名\n---\n本文\n"
    old = preview_render(Document(text), SITE, base_href=HREF)
    assert block_update(old, preview_render(Document(text.replace("題名", "新題")), SITE, base_href=HREF)) is None
