"""ParsedPost: the one parse of a post that rules, renderer, fixes and counts share.

A Document's body is tokenised once (`markdown.tokenize`), then cut into top-level
blocks with file-line spans, headings with their numbering, links with their lines,
sections, and the footer's zones (related posts, CTA, books, disclosure). Line numbers
are 1-based lines of the *file* (front matter included), as findings report them.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property, lru_cache
from math import floor
from typing import Iterable, Iterator
from urllib.parse import parse_qs, urlsplit

from markdown_it.token import Token

from .config import Config
from .document import Document
from .markdown import tokenize

HEADING_NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)*)\.?(?=\s|[^\d.]|$)\s*")
_OPENERS = {
    "paragraph_open": "paragraph", "heading_open": "heading", "bullet_list_open": "list",
    "ordered_list_open": "list", "blockquote_open": "blockquote", "table_open": "table",
    "footnote_block_open": "footnotes", "dl_open": "list",
}
_LEAVES = {"hr": "hr", "fence": "code", "code_block": "code", "html_block": "html"}
_SIMPLE = {"paragraph_open": "paragraph_close", "heading_open": "heading_close"}  # opening -> closing, inline between
_INLINE_CODE = re.compile(r"(`+)(?:.+?)\1")
_URL = re.compile(r"\]\([^)\s]*\)|<https?://[^>\s]+>|https?://[^\s)>\]]+")
ZONES = ("related", "cta", "books", "disclosure")


@dataclass
class Link:
    url: str
    text: str
    line: int  # 1-based file line
    block: int  # index into ParsedPost.blocks
    image: bool = False
    in_heading: bool = False

    @cached_property
    def host(self) -> str:
        """The URL's host, lower case (read by several rules per link; links are not
        changed once parsed)."""
        return (urlsplit(self.url).hostname or "").lower()

    @property
    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.url).query, keep_blank_values=True)


@dataclass
class Block:
    index: int
    kind: str  # paragraph, heading, list, hr, code, html, table, blockquote, footnotes
    line: int  # first file line
    end_line: int  # last file line (inclusive)
    tokens: list[Token] = field(repr=False)
    text: str = ""  # inline markup removed
    level: int = 0  # heading level
    attrs: dict = field(default_factory=dict)
    zone: str | None = None  # footer zone, or "rule" for a footer `---`
    after_footer: bool = False

    @property
    def is_footer(self) -> bool:
        return self.zone is not None


@dataclass
class Heading:
    block: int
    level: int
    text: str  # as written, markup removed
    number: tuple[int, ...] | None  # (6, 3) for "6.3. …"
    title: str  # text without its number
    line: int


@dataclass
class Section:
    heading: int  # index into ParsedPost.headings
    start: int  # first block index (the heading)
    end: int  # one past the last block index

    def blocks(self, post: "ParsedPost") -> list[Block]:
        return post.blocks[self.start:self.end]


def inline_text(children: Iterable[Token] | None) -> str:
    """The text of inline tokens with markup removed (link text kept, URLs dropped)."""
    out = []
    for t in children or ():
        if t.type in ("text", "code_inline", "html_inline") and t.type != "html_inline":
            out.append(t.content)
        elif t.type in ("softbreak", "hardbreak"):
            out.append("\n")
        elif t.type == "image":
            continue
        elif t.children:
            out.append(inline_text(t.children))
    return "".join(out)


def _non_space_count(text: str) -> int:
    """Characters of `text` that are not whitespace (str.split() splits on exactly
    the str.isspace() characters)."""
    return len("".join(text.split()))


def _code_spans(block: "Block") -> Iterator[Token]:
    """The inline code tokens of a block's text.

    A block's text is its inline tokens' text joined by newlines, code spans
    included; the readable text is the same without the code spans. Whitespace does
    not count, so the readable count is the text's minus the code spans'. A code
    span can only come from a backtick in an inline token's content (the text the
    span parser read), so blocks without one are not walked token by token.
    """
    for t in block.tokens:
        if t.type == "inline" and "`" in t.content:
            yield from (c for c in t.children or () if c.type == "code_inline")


def split_number(text: str) -> tuple[tuple[int, ...] | None, str]:
    m = HEADING_NUMBER.match(text)
    if not m:
        return None, text.strip()
    return tuple(int(p) for p in m.group(1).split(".")), text[m.end():].strip()


@lru_cache(maxsize=4096)
def collapse(text: str) -> str:
    """Whitespace collapsed and NFKC-normalised, for comparisons.

    `str.split()` splits on exactly the characters `\\s` matches in a str pattern
    and drops them at both ends, so this is `re.sub(r"\\s+", " ", …).strip()`. Several
    rules collapse the same block and heading texts of a post: the cache serves the
    repeats."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def mask_code_and_urls(line: str, fill: str = " ", urls: bool = True) -> str:
    """The line with inline code spans and URLs blanked out (same length), so that
    column-based checks see only prose. `fill` is the blanking character (a rule that
    must tell a real space from a blanked one passes another); `urls=False` blanks
    code spans only (for rules that read the URLs themselves)."""
    if "`" not in line and not (urls and _may_hold_url(line)):
        return line  # neither pattern can match: nothing to blank

    def blank(m: re.Match) -> str:
        return fill * len(m.group(0))
    masked = _INLINE_CODE.sub(blank, line) if "`" in line else line
    return _URL.sub(blank, masked) if urls and _may_hold_url(masked) else masked


def _may_hold_url(line: str) -> bool:
    """Whether `_URL` can match in `line`: each of its forms contains `](` or `http`
    (most prose lines hold neither, and these two searches cost less than the regex)."""
    return "](" in line or "http" in line


@lru_cache(maxsize=16)
def _any_of(texts: tuple[str, ...]) -> re.Pattern:
    """A pattern found wherever one of `texts` occurs (an empty text occurs anywhere;
    no texts, nowhere)."""
    return re.compile("|".join(map(re.escape, texts)) if texts else "(?!)")


def _may_name(url: str, key: str) -> bool:
    """Whether `parse_qs` of the URL's query can hold `key`: the name is written
    out, or percent-encoded (parse_qs decodes `%xx` in names; `+` only gives spaces)."""
    query = urlsplit(url).query
    return key in query or "%" in query


def _close_index(toks: list[Token], i: int) -> int:
    """One past the token that closes the top-level block opened at toks[i] (or the
    end): the first level-0 token of the closing type that balances the opening ones
    of its type. Only level-0 tokens can open or close it, so the others are passed
    over on one integer test."""
    opening = toks[i].type
    closing = opening.replace("_open", "_close")
    depth = 0
    for j in range(i, len(toks)):
        tok = toks[j]
        if tok.level:
            continue
        if tok.type == opening:
            depth += 1
        elif tok.type == closing:
            depth -= 1
            if depth == 0:
                return j + 1
    return len(toks) + 1


def tokenize_body(doc: Document, site=None) -> tuple[list, dict]:
    """The tokens and markdown-it env of `doc`'s body, for the rules (ParsedPost) and
    the preview alike.

    markdown-it breaks lines at a lone CR as well; the Document keeps a lone CR
    inside its line. Blanked for the tokenizer (same length), so that block maps
    are Document lines and every rule can index `lines` with them."""
    return tokenize(doc.body.replace("\r", " "), doc.fields, site)


class ParsedPost:
    """One post, parsed once. Built from a Document and the site's Config."""

    def __init__(self, doc: Document, config: Config | None = None, site=None):
        self.doc = doc
        self.config = config or Config()
        self.site = site
        self.body_line = doc.body_line
        self.tokens, self.env = tokenize_body(doc, site)
        self.lines = doc.lines  # normalised file lines (index = line - 1)
        self.blocks: list[Block] = list(self._blocks())
        self.headings: list[Heading] = [
            Heading(b.index, b.level, b.text, *split_number(b.text), b.line)
            for b in self.blocks if b.kind == "heading"]
        self.links: list[Link] = list(self._links())
        self.footer_start: int | None = None
        self._classify_footer()

    # -- blocks ---------------------------------------------------------------
    def _blocks(self) -> Iterator[Block]:
        toks = self.tokens
        i = 0
        index = 0
        while i < len(toks):
            t = toks[i]
            if t.level != 0 or t.map is None:
                i += 1
                continue
            if t.type in _LEAVES:
                j = i + 1
                kind = _LEAVES[t.type]
            elif t.type in _SIMPLE and i + 2 < len(toks) and toks[i + 2].type == _SIMPLE[t.type] \
                    and toks[i + 2].level == 0:
                # A paragraph or heading is its opening, its inline and its closing
                # token (most blocks of a post): no search for the closing one.
                j = i + 3
                kind = _OPENERS[t.type]
            elif t.type in _OPENERS:
                j = _close_index(toks, i)
                kind = _OPENERS[t.type]
            else:
                i += 1
                continue
            span = toks[i:j]
            start, end = t.map
            if j == i + 3 and span[1].type == "inline":
                text = inline_text(span[1].children)
            else:
                text = "\n".join(inline_text(x.children) for x in span if x.type == "inline")
            if kind == "code":
                text = t.content
            level = int(t.tag[1]) if kind == "heading" else 0
            yield Block(index, kind, self.body_line + start, self.body_line + max(start, end - 1),
                        span, text, level, dict(t.attrs or {}))
            index += 1
            i = j

    def _links(self) -> Iterator[Link]:
        for b in self.blocks:
            if b.kind in ("code", "html"):
                continue
            for tok in b.tokens:
                if tok.type != "inline":
                    continue
                children = tok.children or []
                for k, c in enumerate(children):
                    if c.type == "link_open":
                        href = str(c.attrs.get("href", ""))
                        depth, text, m = 1, [], k + 1
                        while m < len(children) and depth:
                            if children[m].type == "link_open":
                                depth += 1
                            elif children[m].type == "link_close":
                                depth -= 1
                            elif children[m].type in ("text", "code_inline"):
                                text.append(children[m].content)
                            m += 1
                        yield Link(href, "".join(text), self._line_of(b, href), b.index,
                                   in_heading=b.kind == "heading")
                    elif c.type == "image":
                        src = str(c.attrs.get("src", ""))
                        yield Link(src, c.content, self._line_of(b, src), b.index, image=True)

    def _line_of(self, block: Block, needle: str) -> int:
        """The file line within `block` where `needle` (a URL) is written."""
        for ln in range(block.line, block.end_line + 1):
            if needle and needle in self.lines[ln - 1]:
                return ln
        # The URL may be written percent-encoded or with entities: fall back to a looser match.
        short = needle.split("?")[0][:40]
        for ln in range(block.line, block.end_line + 1):
            if short and short in self.lines[ln - 1]:
                return ln
        return block.line

    # -- footer -------------------------------------------------------------
    def is_cta_link(self, link: Link) -> bool:
        marker = self.config["cta"]["marker_class"]
        block = self.blocks[link.block]
        classes = str(block.attrs.get("class", "")).split()
        if marker in classes:
            return True
        nxt = link.line  # the attribute list may sit on the line after the link
        if nxt < len(self.lines) and re.match(r"^\s*\{:\s*[^}]*\." + re.escape(marker) + r"\b", self.lines[nxt]):
            return True
        return _may_name(link.url, "utm_medium") and "cta" in link.query.get("utm_medium", [])

    def is_affiliate(self, link: Link) -> bool:
        return bool(link.host) and self._program_for_host(link.host) is not None

    def _program_for_host(self, host: str):
        """`config.program_for_host`, remembered per host: a post links to a few
        hosts many times, and the answer depends only on the host and the config."""
        known = self._programs_by_host
        if host not in known:
            known[host] = self.config.program_for_host(host)
        return known[host]

    @cached_property
    def _programs_by_host(self) -> dict:
        return {}

    def is_disclosure_text(self, text: str) -> bool:
        return self._disclosure_pattern.search(text) is not None

    @cached_property
    def _disclosure_pattern(self) -> re.Pattern:
        """Any of `affiliate.disclosure_patterns` as plain text: one search for what
        `any(p in text for p in patterns)` asks, on every paragraph of the post."""
        return _any_of(tuple(self.config["affiliate"]["disclosure_patterns"]))

    def is_disclosure_block(self, b: Block) -> bool:
        """A short paragraph that is an affiliate disclosure, wherever it stands (one
        near the top is in the article's zone but is still boilerplate)."""
        return self._is_disclosure_block(b)

    def _is_disclosure_block(self, b: Block) -> bool:
        if b.kind != "paragraph" or len(b.text) > 200 or not self.is_disclosure_text(b.text):
            return False
        raw = self.source(b).strip()
        return raw.startswith(("*", "_", "※", "<small", "（※", "(※")) or b.text.strip().startswith("※")

    def _classify_footer(self) -> None:
        blocks = self.blocks
        related = collapse(self.config["footer"]["related_heading"])
        zone: list[str | None] = [None] * len(blocks)
        heads = [h for h in self.headings]
        # Related posts and books: a heading and what follows it up to the next
        # heading of its level or higher, or a `---` rule.
        for h in heads:
            kind = None
            if collapse(h.title) == related or h.text != h.title and collapse(h.text) == related:
                kind = "related"
            elif self._is_books_heading(h):
                kind = "books"
            if kind:
                for k in range(h.block, self._zone_end(h, kind)):
                    zone[k] = zone[k] or kind
        # CTA: the paragraph holding a CTA link, with the heading that introduces it.
        for link in self.links:
            if not link.image and self.is_cta_link(link):
                k = link.block
                zone[k] = "cta"
                j = k - 1
                while j >= 0 and j >= k - 3 and blocks[j].kind == "paragraph" and zone[j] is None:
                    j -= 1
                if j >= 0 and blocks[j].kind == "heading" and zone[j] is None:
                    for m in range(j, k):
                        zone[m] = "cta"
        # Disclosure: an italic/※ line naming the affiliation. It belongs to the
        # footer only when it stands beside another footer block or ends the post
        # (a disclosure near the top of the article is part of the article).
        for b in blocks:
            if zone[b.index] in (None, "books") and self._is_disclosure_block(b):
                zone[b.index] = "disclosure?"
        for k, z in enumerate(zone):
            if z == "disclosure?":
                zone[k] = "disclosure" if self._next_to_footer(zone, k) else None
        start = next((k for k, z in enumerate(zone) if z in ZONES), None)
        self.footer_start = start
        if start is None:
            return
        for k in range(len(blocks)):
            if zone[k] is None and blocks[k].kind == "hr" and k > start and self._next_to_footer(zone, k):
                zone[k] = "rule"
            if k > 0 and zone[k] is None and blocks[k].kind == "hr" and k + 1 == start:
                zone[k] = "rule"
            blocks[k].zone = zone[k]
            blocks[k].after_footer = k > start and zone[k] is None

    def _next_to_footer(self, zone: list, k: int) -> bool:
        """Whether block k has a footer zone beside it, across `---` rules only."""
        def neighbour(step: int) -> bool:
            j = k + step
            while 0 <= j < len(zone) and self.blocks[j].kind == "hr":
                j += step
            if not 0 <= j < len(zone):
                return step > 0  # the end of the post counts
            return zone[j] in ZONES
        return neighbour(-1) or neighbour(1)

    def _is_books_heading(self, h: Heading) -> bool:
        if h.level > 2:
            return False
        if "書籍" in h.title or "おすすめ" in h.title and "本" in h.title:
            return True
        end = self._section_end(h.block, stop_at_rule=True)
        return any(h.block < k < end for k in self._affiliate_heading_blocks)

    @cached_property
    def _affiliate_heading_blocks(self) -> list[int]:
        """The blocks of the headings that hold an affiliate link (a book's title),
        one entry per such link, in order: the books zone reads them for every
        heading, and whether a link is an affiliate one does not change."""
        return [l.block for l in self.links if l.in_heading and self.is_affiliate(l)]

    def _zone_end(self, h: Heading, kind: str) -> int:
        """One past the last block of a related-posts or books zone: it ends at a
        `---` rule or at a heading, except, for books, the H3 book headings (a lone
        affiliate link) inside it. Article sections stranded after it stay out."""
        book_heads = set(self._affiliate_heading_blocks)
        for k in range(h.block + 1, len(self.blocks)):
            b = self.blocks[k]
            if b.kind == "hr":
                return k
            if b.kind == "heading" and not (kind == "books" and b.level > h.level and k in book_heads):
                return k
        return len(self.blocks)

    def _section_end(self, start: int, stop_at_rule: bool = False) -> int:
        level = self.blocks[start].level
        for k in range(start + 1, len(self.blocks)):
            b = self.blocks[k]
            if b.kind == "heading" and b.level <= level:
                return k
            if stop_at_rule and b.kind == "hr":
                return k
        return len(self.blocks)

    # -- views ----------------------------------------------------------------
    @cached_property
    def sections(self) -> list[Section]:
        return [Section(i, h.block, self._section_end(h.block)) for i, h in enumerate(self.headings)]

    def source(self, block: Block) -> str:
        """The block's source text (normalised newlines)."""
        return "\n".join(self.lines[block.line - 1:block.end_line])

    def block_at(self, line: int) -> Block | None:
        return next((b for b in self.blocks if b.line <= line <= b.end_line), None)

    @property
    def article_blocks(self) -> list[Block]:
        """Every block that is not part of the footer (stranded content included)."""
        return [b for b in self.blocks if not b.is_footer]

    @cached_property
    def code_lines(self) -> frozenset[int]:
        lines = set()
        for b in self.blocks:
            if b.kind in ("code", "html"):
                lines.update(range(b.line, b.end_line + 1))
        return frozenset(lines)

    def prose_lines(self) -> Iterator[tuple[int, str]]:
        """(file line, text with code spans and URLs blanked) for each body line
        outside code blocks, HTML blocks and the front matter."""
        for ln in range(self.body_line, len(self.lines) + 1):
            if ln not in self.code_lines:
                yield ln, mask_code_and_urls(self.lines[ln - 1])

    @cached_property
    def readable_chars(self) -> int:
        """Non-whitespace characters of the readable text: the body minus footer
        blocks, code and markup (headings included)."""
        readable = [b for b in self.article_blocks if b.kind not in ("code", "html", "hr")]
        # The count is additive over concatenation, so one join and one count serve
        # every block (a count per block cost a Python step each).
        return _non_space_count("".join([b.text for b in readable])) - _non_space_count(
            "".join([c.content for b in readable for c in _code_spans(b)]))

    @property
    def reading_minutes(self) -> int:
        """Minutes to read: `readable_chars` at `reading_speed_cpm`, rounded half up
        (2.5 → 3, as editors expect; Python's round() would give 2). Exact
        arithmetic, so a value of exactly x.5 always rounds up. PD507 and the form
        editor both use this one count."""
        return floor(Fraction(self.readable_chars) / Fraction(self.config["reading_speed_cpm"]) + Fraction(1, 2))

    @property
    def category(self) -> str | None:
        cats = self.doc.get("categories")
        if isinstance(cats, list) and cats:
            return str(cats[0])
        if isinstance(cats, str):
            return cats
        cat = self.doc.get("category")
        return str(cat) if cat else None


def parse(doc: Document, config: Config | None = None, site=None) -> ParsedPost:
    return ParsedPost(doc, config, site)
