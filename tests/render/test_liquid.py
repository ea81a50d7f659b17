"""The Liquid pass: what Jekyll resolves is resolved, nothing else runs, lines stay put."""
from __future__ import annotations

from pathlib import Path

from app.core.liquid import render_liquid
from app.core.markdown import tokenize


class Site:
    root = Path("/site")
    jekyll_config = {"title": "AIビジネスラボ", "author": {"name": "編集部"}}

    def post_url(self, stem):
        return {"2026-01-14-1-rules": "/2026/01/14/1-rules/"}.get(stem)

    def url_for_path(self, relpath):
        return {"contact.md": "/contact/"}.get(relpath)


def test_page_and_site_variables(html):
    page = {"title": "題名", "tags": ["生成AI", "PoC"]}
    assert html("{{ page.title }}：{{ site.title }}／{{ site.author.name }}", page, Site()) == \
        "<p>題名：AIビジネスラボ／編集部</p>\n"
    assert render_liquid("{{ page.tags }}", page) == "生成AIPoC"


def test_post_url_and_link(html):
    out = html("[a]({% post_url 2026-01-14-1-rules %}) [b]({% link contact.md %})", {}, Site())
    assert out == '<p><a href="/2026/01/14/1-rules/">a</a> <a href="/contact/">b</a></p>\n'


def test_without_a_site_tags_are_left_and_marked(html):
    out = html("前 {% post_url 2026-01-14-1-rules %} 後")
    assert out == '<p>前 <span class="liquid-tag">{% post_url 2026-01-14-1-rules %}</span> 後</p>\n'


def test_other_tags_are_shown_verbatim_never_run_nor_mangled(html):
    out = html('{% include cta.html title="相談" %}\n\n{{ page.title | upcase }} -- "x"')
    assert '<span class="liquid-tag">{% include cta.html title="相談" %}</span>' in out
    assert '<span class="liquid-tag">{{ page.title | upcase }}</span> – “x”' in out


def test_raw_is_kept_as_text(html):
    assert html("{% raw %}{{ page.title }} と {% if x %}{% endraw %}", {"title": "t"}) == \
        "<p>{{ page.title }} と {% if x %}</p>\n"


def test_line_count_is_preserved():
    body = "{% comment %}\n一\n二\n{% endcomment %}\n{{ page.x }}\n本文\n"
    out = render_liquid(body, {"x": "改行\nを含む値"})
    assert out.count("\n") == body.count("\n")
    tokens, _env = tokenize(body, {"x": "値"})
    assert [t.map for t in tokens if t.type == "paragraph_open"] == [[4, 6]]
