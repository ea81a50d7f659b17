"""ParsedPost's faster accessors give the answers of the plain computations.

Each plain computation is written out here as it was before its fast path (the
oracle), and compared with ParsedPost's on random posts and lines built from the
shapes that matter to it: code spans, URLs in their three forms, headings, lists,
tables, footers with books and related posts.
"""
from __future__ import annotations

import re
import unicodedata
from urllib.parse import parse_qs, urlsplit

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.document import Document
from app.core.parse import (_INLINE_CODE, _LEAVES, _OPENERS, _URL, ParsedPost, _any_of, _may_name, inline_text,
                            mask_code_and_urls)

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))


def plain_mask(line: str, fill: str, urls: bool) -> str:
    """mask_code_and_urls with both substitutions always run."""
    def blank(m: re.Match) -> str:
        return fill * len(m.group(0))
    masked = _INLINE_CODE.sub(blank, line)
    return _URL.sub(blank, masked) if urls else masked


LINE_PIECES = ["本文", " ", "`", "``", "`code`", "](", "](/a)", "[a](https://x.jp/?q=1)", "http", "https://",
               "http://example.com/a", "<https://example.com/>", "<", ">", ")", "h", "ttp", "\0", "]", "("]


@SETTINGS
@given(st.lists(st.sampled_from(LINE_PIECES), max_size=10), st.sampled_from([" ", "\0", "h", "]"]),
       st.booleans())
def test_mask_gives_the_plain_substitutions(pieces, fill, urls):
    line = "".join(pieces)
    assert mask_code_and_urls(line, fill=fill, urls=urls) == plain_mask(line, fill, urls)


def plain_readable_chars(post: ParsedPost) -> int:
    """The readable count walked token by token, code spans dropped."""
    total = 0
    for b in post.article_blocks:
        if b.kind in ("code", "html", "hr"):
            continue
        text = "".join(inline_text([c for c in t.children or [] if c.type != "code_inline"])
                       for t in b.tokens if t.type == "inline")
        total += sum(1 for ch in text if not ch.isspace())
    return total


def plain_block_ends(tokens) -> list[int]:
    """One past each top-level block's last token, found by counting its opening and
    closing tokens at level 0 (ParsedPost's walk before `_close_index`)."""
    ends = []
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if t.level != 0 or t.map is None or t.type not in _LEAVES and t.type not in _OPENERS:
            i += 1
            continue
        if t.type in _LEAVES:
            ends.append(i + 1)
            i += 1
            continue
        close = t.type.replace("_open", "_close")
        depth, j = 0, i
        while j < len(tokens):
            if tokens[j].type == t.type and tokens[j].level == 0:
                depth += 1
            elif tokens[j].type == close and tokens[j].level == 0:
                depth -= 1
                if depth == 0:
                    break
            j += 1
        ends.append(j + 1)
        i = j + 1
    return ends


BODY_LINES = [
    "", "", "本文の段落です。", "`コード`を含む段落", "``二重 ` の``コード", "全角　空白と\tタブ", "## 見出し",
    "### 1. `code` 見出し", "- 項目 `x`", "1. 番号", "> 引用 `q`", "```", "コード行", "| a | `b` |", "|---|---|",
    "---", "<div>", "</div>", "[リンク](https://example.com/)", "## あわせて読みたい", "- [関連](/2024/01/01/a/)",
    "## おすすめの書籍", "### [本](https://www.amazon.co.jp/dp/1/?tag=example-22)",
    "*※ 本ページのリンクにはアフィリエイトリンクが含まれます。*", "[相談](/contact/?utm_medium=cta)",
    "{: .consulting-cta-link}", "[^1]: 脚注 `n`", "本文[^1]",
]


def post_of(lines: list[str]) -> ParsedPost:
    text = "---\ntitle: t\n---\n" + "\n".join(lines) + "\n"
    return ParsedPost(Document.from_bytes(text.encode("utf-8")))


@SETTINGS
@given(st.lists(st.sampled_from(BODY_LINES), max_size=30))
def test_readable_chars_is_the_token_walk(lines):
    post = post_of(lines)
    assert post.readable_chars == plain_readable_chars(post)


@SETTINGS
@given(st.lists(st.sampled_from(BODY_LINES), max_size=30))
def test_blocks_end_where_the_counting_walk_ends_them(lines):
    post = post_of(lines)
    starts = [post.tokens.index(b.tokens[0]) for b in post.blocks]
    assert [s + len(b.tokens) for s, b in zip(starts, post.blocks)] == plain_block_ends(post.tokens)


def test_code_spans_are_left_out_of_the_readable_count():
    post = post_of(["本文`コード`です", "", "`x` と `y`"])
    assert post.readable_chars == len("本文です") + len("と") == plain_readable_chars(post)


PATTERN_PIECES = ["広告", "PR", "pr", "プロモーション", ".", "*", "(", "|", "\\", "", "※", "a"]


@SETTINGS
@given(st.lists(st.lists(st.sampled_from(PATTERN_PIECES), max_size=3).map("".join), max_size=4),
       st.lists(st.sampled_from(PATTERN_PIECES + ["本文", " "]), max_size=8).map("".join))
def test_disclosure_search_is_any_pattern_in_the_text(patterns, text):
    assert (_any_of(tuple(patterns)).search(text) is not None) == any(p in text for p in patterns)


def test_disclosure_text_reads_the_configured_patterns():
    post = post_of(["本文"])
    patterns = post.config["affiliate"]["disclosure_patterns"]
    assert patterns and all(post.is_disclosure_text(f"前{p}後") for p in patterns)
    assert not post.is_disclosure_text("本文だけの段落")


QUERY_PIECES = ["utm_medium", "utm%5Fmedium", "utm_Medium", "=", "cta", "c%74a", "&", ";", "+", "%", "x", "?", "#"]


@SETTINGS
@given(st.lists(st.sampled_from(QUERY_PIECES), max_size=8).map("".join))
def test_query_key_check_never_misses_a_key_parse_qs_finds(query):
    url = "/contact/?" + query
    if "utm_medium" in parse_qs(urlsplit(url).query, keep_blank_values=True):
        assert _may_name(url, "utm_medium")


HOSTS = ["www.amazon.co.jp", "amzn.to", "AMZN.ASIA", "px.a8.net", "example.com", "x.amazon.co.jp", "amazon.co.jp.",
         "", "af.moshimo.com", "sub.example.com"]


@SETTINGS
@given(st.lists(st.sampled_from(HOSTS), min_size=1, max_size=6), st.lists(st.sampled_from(QUERY_PIECES), max_size=5))
def test_link_checks_match_the_config_and_query_lookups(hosts, query):
    lines = [f"[本{n}](https://{h}/p?{''.join(query)})" if h else f"[本{n}](/p?{''.join(query)})"
             for n, h in enumerate(hosts)]
    post = post_of("\n\n".join(lines).split("\n"))
    assert post.links
    for link in post.links:
        expected = bool(link.host) and post.config.program_for_host(link.host) is not None
        assert post.is_affiliate(link) == post.is_affiliate(link) == expected
        assert link.host == (urlsplit(link.url).hostname or "").lower()
        marker = post.config["cta"]["marker_class"]
        plain_cta = marker in str(post.blocks[link.block].attrs.get("class", "")).split() or \
            "cta" in link.query.get("utm_medium", [])
        assert post.is_cta_link(link) == plain_cta


@given(st.text(alphabet=st.sampled_from(
    list(" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u200a\u2028\u2029\u202f\u205f\u3000\u200b\ufeff")
    + list("aZ1ｱｶﾞＡ１。、「」ー・漢字かなカナ①㍿ﬁ")), max_size=60))
def test_collapse_equals_the_regular_expression_definition(text):
    """collapse() splits with str.split(); the definition it replaces used `\\s+` and
    strip(). Every Unicode space separator, the C0 separators, NEL, NBSP and the
    ideographic space are in the alphabet, with characters NFKC turns into spaces."""
    from app.core.parse import collapse
    assert collapse(text) == re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def test_collapse_every_unicode_space_on_its_own():
    """The whole of Unicode, one character at a time, with text on both sides."""
    from app.core.parse import collapse
    for cp in range(0x110000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        text = f"a{chr(cp)}b "
        assert collapse(text) == re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip(), hex(cp)
