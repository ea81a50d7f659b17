"""Inline markup as kramdown's span parser makes it, with Japanese text."""
from __future__ import annotations

import pytest

from app.core.markdown import tokenize


@pytest.mark.parametrize("body, expected", [
    ("まず、**「完璧を目指さない」**ことです", "<p>まず、<strong>「完璧を目指さない」</strong>ことです</p>\n"),
    ("**（注）**を付ける", "<p><strong>（注）</strong>を付ける</p>\n"),
    ("2*3*4", "<p>2<em>3</em>4</p>\n"),
    ("snake_case_name", "<p>snake_case_name</p>\n"),
    ("***両方***", "<p><strong><em>両方</em></strong></p>\n"),
    ("~~古い~~情報", "<p><del>古い</del>情報</p>\n"),
    ("`a < b`", '<p><code class="language-plaintext highlighter-rouge">a &lt; b</code></p>\n'),
])
def test_emphasis_and_code(html, body, expected):
    assert html(body) == expected


@pytest.mark.parametrize("body, expected", [
    ("ダッシュ --- と -- 、三点...", "<p>ダッシュ — と – 、三点…</p>\n"),
    ("<< 山括弧 >>", "<p>«\u00a0山括弧\u00a0»</p>\n"),
    ("---END---", "<p>—END—</p>\n"),
    ('彼は。"引用符"と', "<p>彼は。”引用符”と</p>\n"),
    ('"Hello," she said. It\'s', "<p>“Hello,” she said. It’s</p>\n"),
])
def test_typography(html, body, expected):
    assert html(body) == expected


@pytest.mark.parametrize("body, expected", [
    ("&copy; &#x3042;", "<p>© あ</p>\n"),
    ("a&nbsp;b", "<p>a\u00a0b</p>\n"),
    ("&unknown; AT&T", "<p>&amp;unknown; AT&amp;T</p>\n"),
])
def test_entities(html, body, expected):
    assert html(body) == expected


def test_line_breaks(html):
    assert html("一行目  \n二行目\\\n三行目") == "<p>一行目<br />\n二行目<br />\n三行目</p>\n"


def test_links(html):
    assert html("https://example.com/bare") == "<p>https://example.com/bare</p>\n"
    assert html("<https://example.com/>") == '<p><a href="https://example.com/">https://example.com/</a></p>\n'
    assert html('[記事](/a/ "題")') == '<p><a href="/a/" title="題">記事</a></p>\n'
    assert html("[参照][r]\n\n[r]: /日本語/\n") == '<p><a href="/日本語/">参照</a></p>\n'


@pytest.mark.parametrize("body, expected_id", [
    ("### 1. 強調のパターン", "1-強調のパターン"),
    ("## AI導入のご相談を承っています", "ai導入のご相談を承っています"),
    ("### Hello World: C++ & Python!", "hello-world-c--python"),
    ("## まとめ：試験のポイント", "まとめ試験のポイント"),
    ("## 見出し {#own-id}", "own-id"),
])
def test_heading_ids(body, expected_id):
    tokens, _env = tokenize(body)
    assert tokens[0].attrs["id"] == expected_id


def test_repeated_heading_ids_are_numbered():
    tokens, _env = tokenize("## 同じ\n\n## 同じ\n\n## 同じ\n")
    assert [t.attrs["id"] for t in tokens if t.type == "heading_open"] == ["同じ", "同じ-1", "同じ-2"]


def test_smart_quotes_stay_separate_tokens_with_their_source():
    tokens, _env = tokenize('"引用"')
    quote = tokens[1].children[0]
    assert quote.content == "\u201c" and quote.markup.endswith('"')
