"""The preview's body comes from the tokens alone (app/ui/preview_page.render_body),
not from a whole ParsedPost (app/core/preview.render_document): it must be the same
HTML with the same block -> line map, on every post of the sample site and the
aside posts and on generated Markdown with the constructs that make one block
depend on another (reference and footnote definitions, IALs, Liquid, repeated
headings, lists, lazy lines, raw HTML, lone CRs)."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.document import Document
from app.core.preview import render_document
from app.core.site import Site
from app.ui.preview_page import preview_page, render_body, render_page, with_preview_csp

REPO = Path(__file__).resolve().parents[2]
POSTS = sorted(p for folder in ("content/_posts", "content/_drafts", "tests/fixtures/aside")
               for p in (REPO / folder).rglob("*") if p.suffix in (".md", ".markdown")
               and not p.name.startswith("ai-governance-seminar"))  # Shift_JIS: never rendered
SITE = Site.open(REPO / "content")


def same_as_parsed_post(doc: Document, site) -> None:
    fast, full = render_body(doc, site), render_document(doc, site, source_lines=True)
    assert fast.html == full.html
    assert fast.blocks == full.blocks


def test_there_are_posts_to_compare():
    assert len(POSTS) > 25


@pytest.mark.parametrize("path", POSTS, ids=lambda p: p.name)
def test_every_sample_post_renders_as_a_parsed_post_renders_it(path):
    same_as_parsed_post(Document.from_bytes(path.read_bytes(), path=path), SITE)


def test_the_page_wraps_the_same_body():
    from app.core.preview import page_html
    doc = Document.load(POSTS[0])
    title = str(doc.get("title"))
    old = page_html(render_document(doc, SITE, source_lines=True), title=title, base_href="postdesk://p1/")
    assert render_page(doc, SITE, base_href="postdesk://p1/") == old
    assert preview_page(doc, SITE, base_href="postdesk://p1/") == with_preview_csp(old)


LINES = st.sampled_from([
    "", "", "", "本文の段落です。", "続きの行です", "# 見出し", "## 見出し", "## 見出し {#own-id}",
    "見出し\n====", "- 項目", "  - 入れ子", "1. 番号", "> 引用", "引用の続き", "[ref]: /about/ \"題\"",
    "[参照][ref] と [^1] と [^note]", "[^1]: 注です。", "[^note]: 別の注", "    注の続き",
    "{: .note}", "{:#anchor}", "*[AI]: 人工知能", "AI の話", "{% raw %}", "{% endraw %}",
    "{{ page.title }} と {{ site.title }}", "{% comment %}", "{% endcomment %}", "```python", "```",
    "<div>", "</div>", "<!-- メモ -->", "| a | b |", "|---|---|", "| 1 | 2 |", "---", "***",
    "行末の CR\r", "文中\rの CR", "**強調** と _斜体_ と `code`", "![画像](/assets/x.png)", "<https://example.com>",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(LINES, max_size=40), st.sampled_from(["", "title: 題名\n", "title: 題名\nexcerpt: 要約\n"]))
def test_generated_posts_render_as_a_parsed_post_renders_them(lines, front):
    text = f"---\n{front}---\n" + "\n".join(lines) + "\n"
    same_as_parsed_post(Document(text, path=Path("_posts/2026-01-01-1-x.md")), SITE)


@settings(max_examples=100, deadline=None)
@given(st.lists(LINES, max_size=30))
def test_a_post_without_front_matter_renders_the_same(lines):
    same_as_parsed_post(Document("\n".join(lines)), None)


@settings(max_examples=200, deadline=None)
@given(st.lists(LINES.filter(lambda line: not line.startswith("<")), max_size=40))
def test_the_line_marks_are_the_only_difference_from_the_published_html(lines):
    """With `source_lines` each top-level block carries ` data-line="N"` (its first
    file line, in the order of `blocks`) and nothing else changes (raw HTML blocks
    left out: the preview wraps them in a marked div of their own)."""
    import re
    from app.core.markdown import tokenize
    from app.core.render import render_html
    tokens, env = tokenize("\n".join(lines).replace("\r", " "))
    marked = render_html(tokens, env, body_line=3, source_lines=True)
    plain = render_html(tokens, env, body_line=3)
    marks = re.findall(r' data-line="(\d+)"', marked.html)
    assert re.sub(r' data-line="\d+"', "", marked.html) == plain.html
    assert [int(m) for m in marks] == [first for first, _last in marked.blocks]
