"""Block structure as kramdown builds it (kramdown-parity.md), token by token and in HTML."""
from __future__ import annotations

from app.core.markdown import tokenize


def types(body: str) -> list[str]:
    return [t.type for t in tokenize(body)[0] if t.type != "inline"]


def test_list_item_glued_to_rule_is_a_heading_inside_the_item(html):
    out = html("- 出典A\n- 出典B\n---\n")
    assert out == '<ul>\n<li>出典A</li>\n<li><h2 id="出典b">出典B</h2>\n</li>\n</ul>\n'
    assert "hr" not in types("- 出典A\n- 出典B\n---\n")


def test_list_then_blank_then_rule_is_a_rule(html):
    assert "<hr />" in html("- 出典A\n\n---\n")


def test_paragraph_glued_to_rule_is_a_setext_heading(html):
    assert html("ご質問はありますか？\n---\n") == '<h2 id="ご質問はありますか">ご質問はありますか？</h2>\n'


def test_setext_needs_one_line_and_a_blank_line_before(html):
    assert html("一行目\n二行目\n---\n") == "<p>一行目\n二行目\n—</p>\n"
    assert html("# 見出し\n本文\n---\n") == '<h1 id="見出し">見出し</h1>\n<p>本文\n—</p>\n'


def test_lines_after_a_list_item_are_lazy_lines_of_the_item(html):
    assert html("- 項目\n## 見出し\n") == '<ul>\n<li>項目<h2 id="見出し">見出し</h2>\n</li>\n</ul>\n'
    assert html("- 項目\n1. 番号\n") == "<ul>\n<li>項目<ol>\n<li>番号</li>\n</ol>\n</li>\n</ul>\n"


def test_token_maps_stay_on_the_source_lines():
    tokens, _env = tokenize("- 出典A\n- 出典B\n---\n\n本文\n")
    heading = next(t for t in tokens if t.type == "heading_open")
    assert heading.map == [1, 3]
    para = [t for t in tokens if t.type == "paragraph_open"][-1]
    assert para.map == [4, 5]


def test_ial_after_paragraph_becomes_its_class(html):
    out = html("[お問い合わせはこちら](/contact/)\n{: .consulting-cta-link}\n")
    assert out == '<p class="consulting-cta-link"><a href="/contact/">お問い合わせはこちら</a></p>\n'


def test_ial_with_id_and_key_value_and_after_heading(html):
    assert html('本文\n{: .a #b data-x="1"}\n') == '<p class="a" id="b" data-x="1">本文</p>\n'
    assert html("## 見出し\n{: .lead}\n") == '<h2 class="lead" id="見出し">見出し</h2>\n'
    assert html("## 見出し\n{: #own}\n") == '<h2 id="own">見出し</h2>\n'


def test_ial_after_list_goes_to_the_list(html):
    assert html("- 項目\n{: .cls}\n") == '<ul class="cls">\n<li>項目</li>\n</ul>\n'


def test_ial_is_removed_from_the_tokens_text():
    tokens, _env = tokenize("リンク\n{: .consulting-cta-link}\n")
    inline = next(t for t in tokens if t.type == "inline")
    assert inline.content == "リンク"
    assert tokens[0].attrs == {"class": "consulting-cta-link"}


def test_bullets_of_any_marker_form_one_list(html):
    assert html("- a\n* b\n+ c\n").count("<ul>") == 1


def test_item_paragraphs_are_decided_per_item(html):
    assert html("- a\n\n- b\n- c\n") == "<ul>\n<li><p>a</p>\n</li>\n<li>b</li>\n<li>c</li>\n</ul>\n"


def test_span_html_line_is_a_paragraph(html):
    assert html('<img src="a.png">\n') == '<p><img src="a.png" /></p>\n'


def test_heading_without_space_is_a_paragraph_and_equals_underline_is_h1(html):
    assert html("###見出し\n") == "<p>###見出し</p>\n"
    assert html("見出し\n===\n") == '<h1 id="見出し">見出し</h1>\n'


def test_code_blocks_have_rouge_wrappers(html):
    fenced = html("```python\nprint(1)\n```\n")
    assert fenced.startswith('<div class="language-python highlighter-rouge"><div class="highlight">'
                             '<pre class="highlight"><code>print(1)\n</code>')
    assert 'class="language-plaintext highlighter-rouge"' in html("    インデント\n")
    assert html("```mermaid\ngraph\n```\n") == '<pre><code class="language-mermaid">graph\n</code></pre>\n'


def test_table_alignment_and_empty_cell(html):
    out = html("| a | b |\n|:--|--:|\n| 1 | |\n")
    assert '<th style="text-align: left">a</th>' in out
    assert '<td style="text-align: right">\u00a0</td>' in out


def test_footnotes_as_jekyll_writes_them(html):
    out = html("本文[^1]。\n\n[^1]: 注釈です。\n")
    assert ('<sup id="fnref:1" role="doc-noteref"><a href="#fn:1" class="footnote" rel="footnote">1</a>'
            '</sup>') in out
    assert '<div class="footnotes" role="doc-endnotes">' in out
    assert ('<li id="fn:1" role="doc-endnote">\n<p>注釈です。\u00a0<a href="#fnref:1" '
            'class="reversefootnote" role="doc-backlink">&#8617;</a></p>') in out


def test_lines_after_a_blockquote_are_lazy_lines_of_the_quote(html):
    assert html("> 引用です\n---\n") == '<blockquote>\n<h2 id="引用です">引用です</h2>\n</blockquote>\n'
    assert html("> 引用\n# 見出し\n") == '<blockquote>\n<p>引用</p>\n<h1 id="見出し">見出し</h1>\n</blockquote>\n'
    assert html("> > 引用\n---\n").count("<blockquote>") == 2
    assert "<hr />" in html("> 引用\n\n---\n")


def test_setext_underline_must_start_in_the_first_column(html):
    assert html("段落です。\n   ---\n") == "<p>段落です。\n—</p>\n"
    assert html("段落\n  ===\n") == "<p>段落\n===</p>\n"
    assert html("> 引用\n   ---\n") == "<blockquote>\n<p>引用\n—</p>\n</blockquote>\n"
    assert html("前\n\n- 項目\n\n  段落\n  ---\n").count("<h2") == 1  # the item's own column


def test_rule_right_under_an_ial_stays_a_rule(html):
    out = html("[相談](/contact/)\n{: .consulting-cta-link}\n---\n")
    assert out == '<p class="consulting-cta-link"><a href="/contact/">相談</a></p>\n<hr />\n'
    assert html("## 見出し\n{: .x}\n---\n") == '<h2 class="x" id="見出し">見出し</h2>\n<hr />\n'
    assert html("{: .x}\n---\n") == '<h2 id="-x">{: .x}</h2>\n'  # kramdown's setext parser wins here


def test_lazy_quote_lines_keep_their_source_line():
    tokens, _env = tokenize("> 引用です\n---\n\n本文\n")
    heading = next(t for t in tokens if t.type == "heading_open")
    assert heading.map == [0, 2]
