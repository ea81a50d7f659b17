"""The parser's fast paths give exactly the tokens and HTML of the plain paths.

Each fast path in markdown.py skips work that cannot change the result; these tests
switch it off and compare, token by token (type, map, attrs, children, hidden …),
on random bodies built from the line shapes that make kramdown and markdown-it
differ (headings with and without their space, list markers, rules, fences,
quotes, tables, definitions, HTML, IALs, indentation, tabs).
"""
from __future__ import annotations

from contextlib import contextmanager

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from markdown_it.rules_core import StateCore
from markdown_it.rules_core import normalize as _normalize_rule

from app.core.markdown import (BLOCK_RULES, _InlineContext, _normalize, _plain_inline, parse_inline, parser,
                               span_parse, tokenize)
from app.core.render import render_html


def dump(tokens) -> list:
    """Everything a token carries, children included, in a comparable form."""
    return [[t.type, t.tag, t.nesting, dict(t.attrs), t.map, t.level, t.content, t.markup, t.info,
             repr(t.meta), t.block, t.hidden, None if t.children is None else dump(t.children)]
            for t in tokens]


@contextmanager
def block_rule_disabled(name: str):
    md = parser()
    md.block.ruler.disable(name)
    try:
        yield
    finally:
        md.block.ruler.enable(name)


def parsed(body: str) -> tuple[list, str]:
    tokens, env = tokenize(body)
    return dump(tokens), render_html(tokens, env, body_line=3, source_lines=True).html


LINE_SHAPES = [
    "", "", "", "本文の段落です。", "Plain English text.", "# 見出し", "## 見出し {#id}", "#見出しでない",
    "####### 七つ", "#", "### 1. 番号付き", "- 項目", "* 項目", "+ 項目", "1. 番号", "10) 番号",
    "  - 入れ子", "    インデントされたコード", "\tタブのコード", "> 引用", "> > 二重引用", "---", "***",
    "___", "- - -", "===", "```", "```python", "~~~", "| a | b |", "|---|---|", "a | b", "--- | ---",
    "[ref]: https://example.com/", "[^1]: 脚注", "[リンク](https://example.com/)", "<div>", "</div>",
    "<img src=\"a.png\">", "<!-- コメント -->", "{: .consulting-cta-link}", "{:toc}", "^", "*強調*の段落",
    "_下線_で始まる", "`コード`で始まる", "~~取り消し~~", "1234 数字で始まる", "[^1] 脚注参照",
    "   # 三つの空白", "    # 四つの空白", "\u3000全角空白で始まる", "  ", "Setext", "-項目でない",
]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(LINE_SHAPES), min_size=1, max_size=25), st.booleans())
def test_lone_line_shortcut_gives_the_tokens_of_the_full_rule_chain(lines, final_newline):
    body = "\n".join(lines) + ("\n" if final_newline else "")
    fast = parsed(body)
    with block_rule_disabled("kramdown_lone_line"):
        plain = parsed(body)
    assert fast == plain


def test_lone_line_shortcut_matches_on_a_post_shaped_body():
    body = "# 見出し\n\n本文です。\n\n#見出しでない\n\n> 引用\n本文\n\n- 項目\n\n  項目の段落\n"
    fast = parsed(body)
    with block_rule_disabled("kramdown_lone_line"):
        assert parsed(body) == fast
    assert '<h1 id="見出し" data-line="3">' in fast[1] and '<p data-line="7">#見出しでない</p>' in fast[1]


def test_shortcut_knows_every_block_rule_it_skips():
    """A block rule added to the parser must be weighed in `_lone_line` before it
    goes in: the shortcut skips the rules it knows cannot match a lone line."""
    rules = parser().block.ruler.get_active_rules()
    assert rules[0] == "kramdown_lone_line"
    assert tuple(rules[1:]) == BLOCK_RULES


# Text pieces for the span parser: Japanese prose, and every character a span can
# begin with, alone and in the shapes that make a span (or only look like one).
SPAN_PIECES = [
    "本文", "です。", "、", "AI", "1. ", "2.5", "x", "\n", " ", "  \n", "\\\n", "\\", ".", "..", "...",
    "-", "--", "---", "*", "**", "_", "__", "`", "``", "~~", "[", "]", "(", ")", "![", "[^1]",
    "[リンク](https://example.com/)", "<", ">", "<<", ">>", "<br>", "<span>", "</span>", "<!-- c -->",
    "&amp;", "&", "&#12354;", "\"", "'", "{:", "{: .x}", "}", "{{ x }}", "{% y %}", "{", "%", "!", "\u3000",
]


def inline_context() -> _InlineContext:
    """A fresh context (footnote references count their uses) with one link and one note."""
    return _InlineContext({"references": {"リンク": {"href": "/x", "title": None}},
                           "footnotes": {"refs": {":1": -1}}})


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(SPAN_PIECES), max_size=12))
def test_plain_text_shortcut_gives_the_span_parsers_tokens(pieces):
    text = "".join(pieces)
    assert dump(parse_inline(text, inline_context())) == dump(span_parse(text, inline_context()))


def test_plain_text_shortcut_is_taken_only_where_no_span_begins():
    assert dump(parse_inline("本文です。\n1. 次の行", inline_context())) == dump(_plain_inline("本文です。\n1. 次の行"))
    assert dump(parse_inline("本文...です", inline_context())) != dump(_plain_inline("本文...です"))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab\r\n\0 本", max_size=30))
def test_normalize_is_skipped_only_where_it_changes_nothing(src):
    md = parser()
    ours, theirs = StateCore(src, md, {}), StateCore(src, md, {})
    _normalize(ours)
    _normalize_rule(theirs)
    assert ours.src == theirs.src
