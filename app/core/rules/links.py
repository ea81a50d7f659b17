"""PD6xx: links between the site's own pages.

Also home to the small link helpers the CTA and affiliate families share: where a
link's URL and text are written on their line (so that a fix edits only the query
value or the link text), and how to set a query parameter without touching the rest
of the URL. Everything here works on the one parse (`ParsedPost.links`); links inside
code are not links there, so they are never checked.
"""
from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

from rapidfuzz import fuzz, process

from ..document import Document, DocumentError
from ..findings import Edit, Finding, Span, Text
from ..parse import Link, ParsedPost
from ..site import PostInfo, Site, _norm_url, slugify
from .base import INFO, WARNING, Context, rule

# -- where a link is written ---------------------------------------------------

def url_columns(post: ParsedPost, link: Link) -> tuple[int, int] | None:
    """0-based columns [start, end) of `link.url` as written on `link.line`.

    Two links with the same URL on one line are told apart by their order. None when
    the URL is not written literally on that line (Liquid, a reference definition,
    an entity-encoded URL): callers then offer no fix rather than a wrong edit.
    """
    same = [l for l in post.links if l.line == link.line and l.url == link.url]
    nth = next((i for i, l in enumerate(same) if l is link), 0)
    line = post.lines[link.line - 1]
    pos, seen = 0, -1
    while link.url:
        col = line.find(link.url, pos)
        if col < 0:
            return None
        if col == 0 or line[col - 1] in "(<\"' ":
            seen += 1
            if seen == nth:
                return col, col + len(link.url)
        pos = col + 1
    return None


def text_columns(post: ParsedPost, link: Link) -> tuple[int, int] | None:
    """0-based columns [start, end) of an inline link's text (between `[` and `]`),
    when the whole `[text](url)` is written on one line."""
    cols = url_columns(post, link)
    if cols is None:
        return None
    line = post.lines[link.line - 1]
    close = cols[0] - 2
    if close < 0 or line[close:cols[0]] != "](":
        return None
    depth = 0
    for k in range(close, -1, -1):
        ch = line[k]
        if k > 0 and line[k - 1] == "\\":
            continue
        if ch == "]":
            depth += 1
        elif ch == "[":
            depth -= 1
            if depth == 0:
                return k + 1, close
    return None


def query_value_columns(url: str, param: str) -> list[tuple[int, int]]:
    """Offsets [start, end) in `url` of each value of query parameter `param`."""
    parts = url.split("#", 1)[0]
    q = parts.find("?")
    if q < 0:
        return []
    spans = []
    for m in re.finditer(r"(?:(?<=[?&])|(?<=&amp;))" + re.escape(param) + r"=([^&#]*)", parts[q:]):
        spans.append((q + m.start(1), q + m.end(1)))
    return spans


def query_edits(post: ParsedPost, link: Link, values: dict[str, str]) -> list[Edit] | None:
    """Edits that give the link's URL each `param=value` of `values`: a parameter that
    is there has its value(s) replaced in place, missing ones are appended to the query
    (before any fragment) in one insertion. Nothing else in the URL changes. None when
    the URL cannot be located in the source."""
    cols = url_columns(post, link)
    if cols is None:
        return None
    base = post.doc.offset(link.line, cols[0])
    url = link.url
    edits, missing = [], []
    for param, value in values.items():
        spans = query_value_columns(url, param)
        edits.extend(Edit(base + s, base + e, value) for s, e in spans)
        if not spans:
            missing.append(f"{param}={value}")
    if missing:
        cut = url.find("#")
        at = cut if cut >= 0 else len(url)
        sep = "" if url[:at].endswith(("?", "&")) else "&" if "?" in url[:at] else "?"
        edits.append(Edit(base + at, base + at, sep + "&".join(missing)))
    return edits


def markdown_escape(text: str) -> str:
    """`text` escaped for use as link text (so that it reads back unchanged)."""
    return re.sub(r"([\\\[\]*_`])", r"\\\1", text)


# -- the site's posts -----------------------------------------------------------

_TITLES: dict[Path, tuple[tuple[int, int], str | None]] = {}

# A light reading of front matter, for the titles of linked posts. Loading a post
# with ruamel costs a few milliseconds, and PD602 needs only one field of three
# posts per checked post, in every worker process. The light reader accepts only
# front matter in a plain shape that ruamel surely reads the same way (`key: value`
# lines with quoted, plain or `[flow]` values, `- item` lists, comments, blank
# lines); anything else (escapes, multi-line values, duplicate keys, tabs, a title
# YAML could read as a number or date) falls back to the full load, so the title is
# always the one `Document.load(path).get("title")` gives.
_NOT_PLAIN_START = r"""\s\-?:,\[\]{}#&*!|>'"%@`"""
_DQ = r'"[^"\\]*"'
_SQ = r"'[^']*'"
_PLAIN = r"[^%s](?:[^#:,\[\]{}]|:(?=[^\s,\[\]{}]))*" % _NOT_PLAIN_START
_FLOW_ITEM = r"(?:%s|%s|[^%s:](?:[^#:,\[\]{}]*[^\s#:,\[\]{}])?)" % (_DQ, _SQ, _NOT_PLAIN_START)
_FLOW = r"\[ *(?:%s(?: *, *%s)*)? *\]" % (_FLOW_ITEM, _FLOW_ITEM)
_VALUE = r"(?:%s|%s|%s|%s)" % (_DQ, _SQ, _FLOW, _PLAIN)
_KEY_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):(?: +(%s))? *" % _VALUE)
_ITEM_LINE = re.compile(r"( *)- +(?:%s|%s|%s) *" % (_DQ, _SQ, _PLAIN))
_COMMENT_OR_BLANK = re.compile(r" *(?:#.*)?")
_SPECIAL_KEYS = {"true", "false", "null", "yes", "no", "on", "off", "y", "n"}
_UNSAFE_CHARS = re.compile("[^\n\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029]")
_FALLBACK = object()


def _light_title(raw: bytes) -> object:
    """The post's title from a plain front matter (see above), None when it has none,
    or `_FALLBACK` when only the full YAML load can tell."""
    from ..document import _CLOSE, _FENCE, decode
    try:
        text, _bom = decode(raw)
    except DocumentError:
        return None  # Document.load raises the same error: no title
    pieces = text.split("\n")
    last = len(pieces) - 1
    # Lines as Document normalises them: `\r` dropped before each `\n`.
    lines = (piece.removesuffix("\r") if i < last else piece for i, piece in enumerate(pieces))
    if not _FENCE.match(next(lines)):
        return None  # Document: no front matter, so no title
    yaml_lines: list[str] = []
    for line in lines:
        if _CLOSE.match(line):
            return _title_of(yaml_lines)
        yaml_lines.append(line)
    return None  # Document: the front matter is not closed


def _title_of(yaml_lines: list[str]) -> object:
    """The title of front-matter lines in the plain shape, or `_FALLBACK`."""
    if _UNSAFE_CHARS.search("\n".join(yaml_lines)):
        return _FALLBACK
    keys: set[str] = set()
    title: object = None
    list_open = False  # the previous key had no value: `- item` lines may follow
    item_indent: str | None = None
    for line in yaml_lines:
        item = _ITEM_LINE.fullmatch(line)
        if item is not None:
            if not list_open or (item_indent is not None and item[1] != item_indent):
                return _FALLBACK
            item_indent = item[1]
            continue
        if _COMMENT_OR_BLANK.fullmatch(line):
            continue
        m = _KEY_LINE.fullmatch(line)
        if m is None or m[1] in keys or m[1].lower() in _SPECIAL_KEYS:
            return _FALLBACK
        keys.add(m[1])
        list_open, item_indent = m[2] is None, None
        if m[1] == "title":
            title = _title_value(m[2])
            if title is _FALLBACK:
                return _FALLBACK
    return title


def _title_value(value: str | None) -> object:
    """A title value as YAML reads it: a quoted string, or a plain one that holds a
    non-ASCII character (so it cannot be a number, boolean, null or date)."""
    if value is None:
        return _FALLBACK  # null, or a list on the lines below
    value = value.rstrip(" ")
    if value[0] in "\"'":
        return value[1:-1]
    if value[0] == "[" or value.isascii():
        return _FALLBACK
    return value


def post_title(path: Path) -> str | None:
    """The `title` of the post at `path`, read once per file version.

    A batch checks thousands of posts, each naming three related posts: the cache
    (keyed by path, validated by mtime and size) keeps each target read once, and
    the light reader above spares most of them the full YAML load.
    """
    try:
        st = path.stat()
    except OSError:
        return None
    key = (st.st_mtime_ns, st.st_size)
    hit = _TITLES.get(path)
    if hit is not None and hit[0] == key:
        return hit[1]
    try:
        value = _light_title(path.read_bytes())
        if value is _FALLBACK:
            value = Document.load(path).get("title")
    except (DocumentError, OSError):
        value = None
    title = str(value) if value not in (None, "") else None
    _TITLES[path] = (key, title)
    return title


def is_internal(url: str) -> bool:
    """A site-internal link: a path from the site root (not `//host/…`)."""
    return url.startswith("/") and not url.startswith("//")


_UNRESOLVED_TAG = re.compile(r"^\{%-?\s*(post_url|link)\s+(\S+)")


def own_urls(ctx: Context) -> set[str]:
    """The URLs this post is published at (file-name date and front-matter date; Jekyll
    uses the latter). Drafts have none."""
    info, site = ctx.info, ctx.site
    if info is None or site is None or info.draft:
        return set()
    urls = {info.url} if info.url else set()
    if ctx.doc.get("date") is not None:
        urls.add(site.post_url_with_date(info, ctx.doc.get("date")))
    return {_norm_url(u) for u in urls}


def _site_path(site: Site, url: str) -> str | None:
    """The path of an absolute URL on the site's own host (`_config.yml` `url`)."""
    base = site.jekyll_config.get("url")
    if not isinstance(base, str) or not base:
        return None
    parts, mine = urlsplit(url), urlsplit(base)
    if parts.hostname and mine.hostname and parts.hostname.lower() == mine.hostname.lower():
        return parts.path or "/"
    return None


def _draft_named(site: Site, path: str) -> PostInfo | None:
    """A draft that a post URL seems to name (its last segment is the draft's slug,
    with or without the day number)."""
    seg = path.rstrip("/").rsplit("/", 1)[-1]
    bare = re.sub(r"^\d+-", "", seg)
    for d in site.drafts:
        slug = slugify(d.slug)
        if slug and slug in (seg, bare):
            return d
    return None


_CLOSE_CUTOFF = 0.85


def closest(word: str, candidates: list[str], cutoff: float = _CLOSE_CUTOFF) -> str | None:
    """difflib's closest match of `word` among `candidates` (ratio at least `cutoff`).

    difflib scores every candidate in Python: milliseconds a broken link on a
    thousand-post site, growing with the site. rapidfuzz's `fuzz.ratio` first keeps,
    in C, the few that can pass: it is 2·LCS/(|a|+|b|), and difflib's ratio is
    2·M/(|a|+|b|) with M the characters of its matching blocks, a common subsequence,
    so M ≤ LCS and a candidate rapidfuzz scores below the cutoff cannot reach it in
    difflib. (Asked a hair below the cutoff, so that float rounding never drops a
    candidate that sits exactly on it.) difflib then picks among those, in their
    order, as it would among all."""
    near = {i for _, _, i in process.extract(word, candidates, scorer=fuzz.ratio, processor=None,
                                              score_cutoff=cutoff * 100 - 1e-6, limit=None)}
    match = difflib.get_close_matches(word, [c for i, c in enumerate(candidates) if i in near], n=1,
                                      cutoff=cutoff)
    return match[0] if match else None


def _closest_url(site: Site, path: str) -> str | None:
    urls = [p.url for p in site.posts if p.url] + [p.url for p in site.pages]
    return closest(_norm_url(path), urls)


def _col_kw(post: ParsedPost, link: Link) -> dict:
    cols = url_columns(post, link)
    return {"col": cols[0], "end_col": cols[1]} if cols else {}


# -- PD601 ----------------------------------------------------------------------

@rule("PD601", "broken-internal-link", WARNING,
      title=Text("サイト内リンクのリンク先がありません", "A site-internal link points at nothing"),
      description=Text(
          "`/` で始まるサイト内リンク（画像を含む）が、どの記事・ページ・ファイルにも解決できません。記事のURLは"
          "Jekyllと同じ方法（ファイル名のスラッグ末尾の `-` は落ちる）で計算します。下書きは公開されないため、"
          "下書きへのリンクも切れています。クエリとフラグメントは無視します。",
          "A link starting with `/` (images too) resolves to no post, page or file under the site root. "
          "Post URLs are computed as Jekyll computes them (a trailing `-` of the slug is dropped). Drafts are "
          "not published, so links to drafts are broken too. Query and fragment are ignored."),
      example="- [存在しない記事](/2026/01/01/1-no-such-post/)\n")
def broken_internal_link(ctx: Context) -> Iterator[Finding]:
    site, post = ctx.site, ctx.post
    if site is None:
        return
    for link in post.links:
        tag = _UNRESOLVED_TAG.match(link.url)
        if tag:
            yield ctx.finding(link.line, Text(
                f"Liquid の `{{% {tag[1]} {tag[2]} %}}` の対象が見つかりません。",
                f"`{{% {tag[1]} {tag[2]} %}}` names nothing on the site."), **_col_kw(post, link))
            continue
        if not is_internal(link.url) or site.resolve_internal(link.url) is not None:
            continue
        path = urlsplit(link.url).path or "/"
        ja, en = [f"サイト内リンク「{link.url}」のリンク先がありません。"], [f"Internal link “{link.url}” points at nothing."]
        draft = _draft_named(site, path)
        close = _closest_url(site, path)
        if draft is not None:
            ja.append(f"下書き {draft.rel} を指しているようですが、下書きは公開されません。")
            en.append(f"It seems to name the draft {draft.rel}, and drafts are not published.")
        elif close:
            ja.append(f"「{close}」ではありませんか？")
            en.append(f"Did you mean “{close}”?")
        yield ctx.finding(link.line, Text("".join(ja), " ".join(en)), **_col_kw(post, link))


# -- PD602 ----------------------------------------------------------------------

@rule("PD602", "related-title-mismatch", WARNING,
      title=Text("関連記事リンクの文字列が記事タイトルと違います", "A related-post link's text is not the post's title"),
      description=Text(
          "「あわせて読みたい」のリンク文字列が、リンク先記事の `title` と完全には一致しません（途中で切れたタイトルを含む）。"
          "リンク先が存在しない場合は PD601 が報告します。",
          "A related-post link's text is not exactly the title of the post it points at (titles cut off "
          "mid-word included). A link to no post is PD601's."),
      example="### あわせて読みたい\n\n- [RAG導入で最初につまずく三つ](/2026/02/18/2-rag-first-walls/)\n", fix="safe")
def related_title_mismatch(ctx: Context) -> Iterator[Finding]:
    site, post = ctx.site, ctx.post
    if site is None:
        return
    for link in post.links:
        if link.image or post.blocks[link.block].zone != "related" or not is_internal(link.url):
            continue
        target = site.resolve_internal(link.url)
        if not isinstance(target, PostInfo):
            continue
        title = post_title(target.path)
        text = link.text.strip()
        if title is None or text == title.strip():
            continue
        title = title.strip()
        cut = bool(text) and title.startswith(text)
        ja = (f"関連記事リンクの文字列「{text}」が途中で切れています。記事のタイトルは「{title}」です。" if cut else
              f"関連記事リンクの文字列「{text}」がリンク先のタイトル「{title}」と一致しません。")
        en = (f"Related-post link text “{text}” is cut off; the post's title is “{title}”." if cut else
              f"Related-post link text “{text}” differs from the linked post's title “{title}”.")
        cols = text_columns(post, link)
        fix = None
        if cols is not None:
            fix = ctx.fix(Text("リンク文字列を記事タイトルにする", "Use the post's title as the link text"),
                          [ctx.replace_in_line(link.line, cols[0], cols[1], markdown_escape(title))])
        kw = {"col": cols[0], "end_col": cols[1]} if cols else {}
        yield ctx.finding(link.line, Text(ja, en), fix=fix, **kw)


# -- PD603 ----------------------------------------------------------------------

@rule("PD603", "self-link", INFO,
      title=Text("記事が自分自身にリンクしています", "The post links to itself"),
      description=Text(
          "記事の中に、その記事自身のURLへのリンクがあります（関連記事の貼り間違いなど）。ページ内の見出しへのリンク（`#…` 付き）は対象外です。",
          "The post links to its own URL (a related-post slip, say). Links to a heading on the same page "
          "(with a `#…` fragment) are not reported."),
      example="- [この記事](/2026/03/04/1-sample-post/)\n")
def self_link(ctx: Context) -> Iterator[Finding]:
    site, post = ctx.site, ctx.post
    mine = own_urls(ctx)
    if site is None or not mine:
        return
    for link in post.links:
        if link.image or "#" in link.url:
            continue
        path = urlsplit(link.url).path if is_internal(link.url) else _site_path(site, link.url)
        if path is None or _norm_url(path) not in mine:
            continue
        yield ctx.finding(link.line, Text(f"この記事自身へのリンクです（{link.url}）。",
                                          f"The post links to itself ({link.url})."),
                          **_col_kw(post, link))
