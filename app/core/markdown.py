"""The one Markdown parser every part of PostDesk shares, shaped like kramdown's output.

`tokenize()` turns a post body into markdown-it tokens whose block tokens carry `map`
(0-based body line ranges). Rules, the renderer and the reading-time count all read
these tokens (see ParsedPost in parse.py); nobody parses the body twice.

The blog is published by Jekyll's kramdown (GFM input), not by a CommonMark engine, and
the editors must see what kramdown publishes (../shared/docs/kramdown-parity.md). So the
tokens are markdown-it's, but their structure is kramdown's:

* Blocks come from markdown-it's block parser, corrected where kramdown differs:
  a line directly after a list item is always a lazy line of that item in kramdown
  (`- 項目` + `---` is a heading inside the item; `## 見出し` goes into the item), a
  setext heading needs a blank line before it and a one-line text, a line holding only
  a span-level HTML tag is a paragraph, and block IALs (`{: .class #id key="v"}`) become
  attrs of the block they follow (or precede, after a blank line).
* Inline content is parsed by a port of kramdown's span parser (`_SpanParser`), because
  kramdown's emphasis, smart quotes, typographic symbols, entities, escapes, links and
  span HTML differ from CommonMark in many small ways that add up on Japanese text
  (`**「完璧を目指さない」**ことです` is strong, `2*3*4` has an intraword `<em>`).
  It emits ordinary markdown-it inline tokens: `text` (smart quotes, dashes and
  entities already as the characters kramdown prints; the source in `markup`),
  `softbreak`, `hardbreak`, `em_*`, `strong_*`, `s_*` (tag `del`), `link_*`, `image`,
  `code_inline`, `html_inline` (tag and attrs parsed), `footnote_ref` (the
  mdit-py-plugins shape), and `liquid_tag` for Liquid we do not run.
* Every heading gets `attrs["id"]` as kramdown's GFM parser makes it.

Liquid runs first (`liquid.render_liquid`) without changing the number of lines, so
maps point at the editor's lines.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from html.entities import name2codepoint
from typing import Any, Callable, Mapping

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_block import heading as _atx_heading
from markdown_it.rules_block import paragraph as _paragraph_rule
from markdown_it.rules_core import StateCore
from markdown_it.rules_core import normalize as _normalize_rule
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from .liquid import render_liquid

__all__ = ["tokenize", "parser", "heading_id_text"]


# ---------------------------------------------------------------------------
# The parser
# ---------------------------------------------------------------------------

@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    """markdown-it for blocks, with kramdown's block corrections and span parser."""
    md = MarkdownIt("commonmark", {"html": True})
    md.enable(["table"])
    md.disable("text_join")  # keep kramdown's characters (quotes, dashes) as their own tokens
    footnote_plugin(md, inline=False)
    # kramdown keeps link definitions' URLs as written (no percent-encoding, any scheme).
    md.normalizeLink = lambda url: url  # type: ignore[method-assign]
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    md.core.ruler.at("normalize", _normalize)
    md.block.ruler.before("table", "kramdown_lone_line", _lone_line)
    md.core.ruler.after("block", "kramdown_blocks", _kramdown_blocks)
    md.core.ruler.at("inline", _kramdown_inline)
    md.core.ruler.after("inline", "kramdown_heading_ids", _heading_ids)
    md.core.ruler.after("kramdown_heading_ids", "kramdown_list_paragraphs", _list_paragraphs)
    return md


def tokenize(body: str, page: Mapping[str, Any] | None = None, site: Any = None) -> tuple[list[Token], dict]:
    """Parse `body`; returns the tokens and the markdown-it env used.

    `page` is the post's front matter and `site` the site model (duck-typed, see
    liquid.py); both only feed the Liquid pass. `env["source_lines"]` holds the body's
    lines after Liquid, which is what the block maps index.
    """
    text = render_liquid(body, page, site)
    env: dict = {"source_lines": text.split("\n")}
    return parser().parse(_lazy_list_lines(_lazy_quote_lines(text), env), env), env


def _normalize(state: StateCore) -> None:
    """markdown-it's normalize, run only on a text it can change.

    It turns CR and CRLF into LF and NUL into U+FFFD, by two regular-expression
    substitutions over the whole text that find something to change only where a
    CR or a NUL is; a post body has none (ParsedPost blanks lone CRs, Documents keep
    LF), so the two passes over 20 KB are skipped for it.
    """
    if "\r" in state.src or "\0" in state.src:
        _normalize_rule(state)


# ---------------------------------------------------------------------------
# A shortcut through the block rules for a line that stands alone
# ---------------------------------------------------------------------------

# The block rules the shortcut stands in front of, in markdown-it's order (a test
# checks that the parser still has exactly these, so a new rule cannot slip past it).
BLOCK_RULES = ("table", "code", "fence", "blockquote", "hr", "list", "footnote_def", "reference",
               "html_block", "heading", "lheading", "paragraph")
# Every character a block other than a paragraph or an ATX heading can begin with:
# fences (` ~), blockquotes (>), rules (* - _), list items (* - + digits), footnote
# and link definitions ([) and HTML blocks (<).
_BLOCK_START_CHARS = frozenset("`~>*-_+0123456789[<")


def _lone_line(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """Parse a line followed by a blank line (or nothing) straight away.

    markdown-it tries every block rule in turn on every block, and a post is mostly
    one-line paragraphs between blank lines: ten rules fail before `paragraph` wins.
    With a blank line below, the rules that read the next line cannot match (a table
    needs its delimiter row there, a setext heading its underline), an indented code
    block is excluded by its indentation, and every other rule needs a line starting
    with one of `_BLOCK_START_CHARS` or `#`. So a line outside those is exactly what
    `paragraph` makes of it, and a `#` line what `heading` makes of it, or else
    `paragraph`: the same functions run on the same state, only the failing tries
    are skipped. Anything else returns False and takes the ordinary path.
    """
    if silent or not state.isEmpty(start + 1) or state.is_code_block(start):
        return False
    first = state.src[state.bMarks[start] + state.tShift[start]]
    if first in _BLOCK_START_CHARS:
        return False
    if first == "#" and _atx_heading(state, start, end, False):
        return True
    return _paragraph_rule(state, start, end, False)


# ---------------------------------------------------------------------------
# Lazy lines after list items (a source pre-pass that keeps every line in place)
# ---------------------------------------------------------------------------

_ITEM = re.compile(r"^( *)([-+*]|\d+\.)([ \t]+)(?=\S)")
_ANY_ITEM = re.compile(r"^ *(?:[-+*]|\d+\.)[ \t]", re.M)
_FENCE_OPEN = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_IAL_LINE = re.compile(r"^ {0,3}\{:(?!:|/)((?:\\\}|[^}])+)\}[ \t]*$")
# kramdown's LAZY_END_HTML_START / STOP: a block-level tag at the start of a line.
_SPAN_TAGS = ("a abbr acronym b big bdo br button cite code del dfn em i img input ins kbd "
              "label mark option q rb rbc rp rt rtc ruby samp select small span strong sub "
              "sup tt u var").split()
_LAZY_END_HTML = re.compile(r"^ {0,3}</?(?!(?:%s|script)\b)[A-Za-z_][\w.-]*" % "|".join(_SPAN_TAGS))


def _lazy_list_lines(text: str, env: dict) -> str:
    """Indent the lines kramdown reads as lazy continuations of the list item above.

    kramdown appends every non-blank line that follows a list item (unless it starts a
    sibling item, an IAL or a block HTML tag) to that item and then parses the item's
    text as blocks; CommonMark lets `---`, headings, fences, quotes and other list
    types interrupt the list. Indenting such a line to the item's content column makes
    markdown-it put it inside the item, exactly where kramdown does, while the line
    stays where it was. An IAL line that ends a list is recorded in
    `env["list_ial_lines"]` so that the IAL is given to the list, not to the item.
    """
    if not _ANY_ITEM.search(text):
        return text
    lines = text.split("\n")
    items: list[tuple[str, int, int]] = []  # open items: (type, marker col, content col)
    fence: str | None = None
    lazy_fence = False
    prev_blank = True
    list_ial: set[int] = set()
    for i, line in enumerate(lines):
        if fence is not None:
            if lazy_fence:
                lines[i] = " " * items[-1][2] + line.lstrip(" ")
            if line.strip().startswith(fence) and line.strip().strip(fence[0]) == "":
                fence, lazy_fence = None, False
            prev_blank = False
            continue
        if not line.strip():
            prev_blank = True
            continue
        indent = len(line) - len(line.lstrip(" "))
        item = _ITEM.match(line)
        if item and (items or indent <= 3):
            lines[i] = _place_item(items, item, indent, prev_blank, line)
        elif items and prev_blank:
            while items and indent < items[-1][2]:
                items.pop()
        elif items and indent < items[-1][2]:
            if _IAL_LINE.match(line) or _LAZY_END_HTML.match(line) or line.strip() == "^":
                if _IAL_LINE.match(line):
                    list_ial.add(i)
                items.clear()
            else:
                lines[i] = " " * items[-1][2] + line.lstrip(" ")
                indent = items[-1][2]
        opened = _FENCE_OPEN.match(line.lstrip(" ") if items else line)
        if opened:
            fence, lazy_fence = opened.group(1), bool(items) and lines[i] != line
        prev_blank = False
    env["list_ial_lines"] = list_ial
    return "\n".join(lines)


_QUOTE_PREFIX = re.compile(r"^(?: {0,3}> ?)+")
_FENCE_ANY_INDENT = re.compile(r"^[ \t]*(`{3,}|~{3,})")


def _lazy_quote_lines(text: str) -> str:
    """Give the lines kramdown reads as lazy lines of a blockquote their `>` marker.

    kramdown's blockquote takes every following non-blank line up to a blank line, an
    IAL, `^` or a block HTML tag, whatever it starts with, and parses the whole as
    blocks: `> 引用` + `---` is a setext heading inside the quote, `> 引用` + `# 見出し`
    a heading inside it. CommonMark lets such lines end the quote. Prefixing a lazy
    line with the quote's marker (the innermost one seen so far) puts it where kramdown
    does; the line stays where it was.
    """
    if ">" not in text:
        return text
    lines = text.split("\n")
    prefix: str | None = None  # the open quote's marker, e.g. "> " or "  > > "
    fence: str | None = None  # an open fence outside any quote
    for i, line in enumerate(lines):
        if fence is not None:
            if line.strip().startswith(fence) and line.strip().strip(fence[0]) == "":
                fence = None
            continue
        if not line.strip():
            prefix = None
            continue
        marker = _QUOTE_PREFIX.match(line)
        if marker:
            if prefix is None or marker.group(0).count(">") >= prefix.count(">"):
                prefix = marker.group(0) if marker.group(0).endswith(" ") else marker.group(0) + " "
            continue
        if prefix is not None:
            if _IAL_LINE.match(line) or _LAZY_END_HTML.match(line) or line.strip() == "^":
                prefix = None
            else:
                indent = len(prefix) - len(prefix.lstrip(" "))
                lines[i] = prefix + (line[indent:] if line[:indent].strip() == "" else line.lstrip(" "))
                continue
        opened = _FENCE_ANY_INDENT.match(line)
        if opened:
            fence = opened.group(1)
    return "\n".join(lines)


def _place_item(items: list[tuple[str, int, int]], item: re.Match, indent: int,
                prev_blank: bool, line: str) -> str:
    """Update the open-item stack for a list-item line; return the line as markdown-it should see it."""
    kind = "ol" if item.group(2)[-1] == "." else "ul"
    while items and indent < items[-1][1]:  # not inside the innermost item: leave it
        items.pop()
    if items and indent < items[-1][2]:
        if items[-1][0] == kind or prev_blank:
            items.pop()
        else:  # another list type right after an item: kramdown nests it in the item
            col = items[-1][2]
            items.append((kind, col, col + _content_width(item)))
            return " " * col + line.lstrip(" ")
    items.append((kind, indent, indent + _content_width(item)))
    return line


def _content_width(item: re.Match) -> int:
    """Marker plus the spaces after it, as kramdown counts an item's indentation."""
    spaces = len(item.group(3).expandtabs(4))
    return len(item.group(2)) + (spaces if spaces <= 4 else 1)


# ---------------------------------------------------------------------------
# Block corrections (a core rule after markdown-it's block parser)
# ---------------------------------------------------------------------------

def _kramdown_blocks(state: StateCore) -> None:
    """Reshape markdown-it's block tokens where kramdown parses blocks differently."""
    lines: list[str] = state.env.get("source_lines") or state.src.split("\n")
    tokens = state.tokens
    _merge_bullet_lists(tokens)
    _span_html_blocks_to_paragraphs(tokens)
    _setext_needs_boundary(tokens, lines, state.src.split("\n"))
    _rules_do_not_end_paragraphs(tokens, lines)
    state.tokens = _apply_block_ials(tokens, lines, state.env.get("list_ial_lines", set()))


def _merge_bullet_lists(tokens: list[Token]) -> None:
    """`-`, `*` and `+` items are one list in kramdown; CommonMark starts a new list per marker."""
    i = 1
    while i < len(tokens):
        if (tokens[i].type == "bullet_list_open" and tokens[i - 1].type == "bullet_list_close"
                and tokens[i].level == tokens[i - 1].level):
            opener = _opener_of(tokens[:i], tokens[i - 1])
            if opener is not None and opener.map and tokens[i].map:
                opener.map = [opener.map[0], tokens[i].map[1]]
            del tokens[i - 1:i + 1]
            continue
        i += 1


def _span_html_blocks_to_paragraphs(tokens: list[Token]) -> None:
    """kramdown only starts an HTML block at a block-level tag; `<img …>` alone is a paragraph."""
    for i, tok in enumerate(tokens):
        if tok.type != "html_block":
            continue
        m = re.match(r"\s*<([A-Za-z][\w:-]*)", tok.content)
        if not m or m.group(1).lower() not in _SPAN_TAGS:
            continue
        tokens[i:i + 1] = _paragraph(tok.content.strip(), tok.map, tok.level)


def _paragraph(content: str, line_map: list[int] | None, level: int) -> list[Token]:
    """The three tokens of a paragraph holding `content`."""
    p_open = Token("paragraph_open", "p", 1, map=line_map, level=level, block=True)
    inline = Token("inline", "", 0, map=line_map, level=level + 1, content=content, children=[], block=True)
    p_close = Token("paragraph_close", "p", -1, level=level, block=True)
    return [p_open, inline, p_close]


def _setext_needs_boundary(tokens: list[Token], lines: list[str], src_lines: list[str]) -> None:
    """Turn setext headings kramdown would not make back into paragraphs.

    kramdown's setext heading is one line of text, and only after a block boundary
    (a blank line, the start of a container, an IAL), with its underline in the first
    column: `# 見出し` + `本文` + `---` is a heading then a paragraph `本文 —`; a two-line
    text over `---` is a paragraph too, and so is a text over `   ---`. An IAL line ends
    a paragraph, so a `---` right under `{: .class}` is a rule, not paragraph text.
    """
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        i += 1
        if tok.type != "heading_open" or tok.markup not in ("-", "=") or not tok.map:
            continue
        inline = tokens[i]
        above = lines[tok.map[0] - 1] if 0 < tok.map[0] <= len(lines) else ""
        glued = (_previous_sibling(tokens, i - 1) is not None and above.strip() != ""
                 and not _IAL_LINE.match(above))
        underline = _underline_text(tokens, i - 1, src_lines)
        boundary = "\n" not in inline.content and not glued
        if boundary and not underline[:1].isspace():
            continue
        tok.type, tok.tag, tok.markup = "paragraph_open", "p", ""
        close = tokens[i + 1]
        close.type, close.tag, close.markup = "paragraph_close", "p", ""
        if not boundary and _IAL_LINE.match(inline.content.rsplit("\n", 1)[-1]) \
                and _HR_LINE.match(underline):
            rule_line = tok.map[1] - 1
            tok.map = inline.map = [tok.map[0], rule_line]
            hr = Token("hr", "hr", 0, map=[rule_line, rule_line + 1], level=tok.level,
                       markup=underline.strip(), block=True)
            tokens.insert(i + 2, hr)
            continue
        inline.content += "\n" + underline.strip()


_HR_LINE = re.compile(r"^ {0,3}([-*_])[ \t]*\1[ \t]*\1(?:\1|[ \t])*$")


def _underline_text(tokens: list[Token], i: int, src_lines: list[str]) -> str:
    """The setext underline of the heading opened at tokens[i], inside its containers.

    `src_lines` is the text markdown-it parsed (after the lazy-line passes); each
    enclosing blockquote's `>` marker and list item's indentation is taken off, so what
    is left starts with the underline's own indentation, which kramdown does not allow.
    """
    containers = [t for t in _enclosing(tokens, i) if t.type in ("blockquote_open", "list_item_open")]
    return _strip_containers(tokens[i].map[1] - 1, containers, src_lines)


def _strip_containers(n: int, containers: list[Token], src_lines: list[str]) -> str:
    """Line `n` of the parsed text without the markers and indentation of `containers`."""
    line = src_lines[n] if n < len(src_lines) else ""
    for depth, box in enumerate(containers):
        if box.type == "blockquote_open":
            line = re.sub(r"^ {0,3}> ?", "", line, count=1)
            continue
        if not box.map:
            continue
        item = _ITEM.match(_strip_containers(box.map[0], containers[:depth], src_lines))
        col = len(item.group(1)) + _content_width(item) if item else 0
        line = line[col:] if not line[:col].strip() else line.lstrip(" ")
    return line


def _enclosing(tokens: list[Token], i: int) -> list[Token]:
    """The opening tokens of the blocks that contain tokens[i], outermost first."""
    found: list[Token] = []
    level = tokens[i].level
    for j in range(i - 1, -1, -1):
        if tokens[j].level < level and tokens[j].nesting == 1:
            found.append(tokens[j])
            level = tokens[j].level
    return found[::-1]


_LIST_START = re.compile(r"^ {0,3}(?:[-+*]|\d+\.)[ \t]")


def _rules_do_not_end_paragraphs(tokens: list[Token], lines: list[str]) -> None:
    """`***` or `___` right under a paragraph is more paragraph text in kramdown.

    Only lines that start a list (`* * *`, `- - -`) end a kramdown paragraph, and then
    they are rules; CommonMark lets any thematic break interrupt a paragraph. An IAL
    line has already ended the paragraph, so a rule under one stays a rule.
    """
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if (tok.type == "hr" and tok.map and i >= 3 and tokens[i - 1].type == "paragraph_close"
                and tokens[i - 1].level == tok.level):
            p_open, inline = tokens[i - 3], tokens[i - 2]
            line = lines[tok.map[0]] if tok.map[0] < len(lines) else ""
            ends_with_ial = _IAL_LINE.match(inline.content.rsplit("\n", 1)[-1])
            if p_open.map and p_open.map[1] == tok.map[0] and not _LIST_START.match(line) \
                    and not ends_with_ial:
                inline.content += "\n" + line.strip()
                p_open.map = [p_open.map[0], tok.map[1]]
                inline.map = p_open.map
                del tokens[i]
                continue
        i += 1


def _previous_sibling(tokens: list[Token], i: int) -> Token | None:
    """The opening token of the block before tokens[i] at the same level, if any."""
    level = tokens[i].level
    j = i - 1
    while j >= 0:
        tok = tokens[j]
        if tok.level < level:
            return None
        if tok.level == level and tok.nesting != -1:
            return tok
        if tok.level == level and tok.nesting == -1:
            # walk back to the matching opener
            depth = 0
            while j >= 0:
                depth += tokens[j].nesting
                if depth == 0:
                    return tokens[j]
                j -= 1
            return None
        j -= 1
    return None


_ALD_KV = r"(\w[\w-]*)=(\"|')((?:\\\}|\\\2|[^}\2])*?)\2"
_ALD_ANY = re.compile(r"(?:\A|\s)(?:" + _ALD_KV + r"|(\w[\w-]*)|((?:#[A-Za-z][\w:-]*|\.[^\s.#]+)+))(?=\s|\Z)")
_ALD_ID_OR_CLASS = re.compile(r"#([A-Za-z][\w:-]*)|\.([^\s.#]+)")


def parse_attribute_list(text: str, attrs: dict[str, str] | None = None) -> dict[str, str]:
    """kramdown's attribute list: `.class`, `#id`, `key="value"`; classes accumulate."""
    attrs = {} if attrs is None else attrs
    for m in _ALD_ANY.finditer(text):
        key, _sep, value, _ref, id_or_class = m.groups()
        if id_or_class:
            for ident, cls in _ALD_ID_OR_CLASS.findall(id_or_class):
                if cls:
                    attrs["class"] = (attrs.get("class", "") + " " + cls).strip()
                else:
                    attrs["id"] = ident
        elif key:
            attrs[key] = re.sub(r"\\(\}|%s)" % re.escape(_sep), r"\1", value)
    return attrs


def _set_attrs(tok: Token, attrs: dict[str, str]) -> None:
    for key, value in attrs.items():
        if key == "class" and tok.attrs.get("class"):
            value = f"{tok.attrs['class']} {value}"
        tok.attrs[key] = value


def _apply_block_ials(tokens: list[Token], lines: list[str], list_ial: set[int]) -> list[Token]:
    """Move block IAL lines onto their block, as kramdown does, and out of the text.

    An IAL line ends a paragraph and belongs to it; a paragraph made only of IAL lines
    belongs to the block just above it (a heading, a list, a code block…) when no blank
    line separates them, and otherwise to the next block.
    """
    out: list[Token] = []
    pending: dict[str, str] = {}
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if pending and tok.nesting != -1 and tok.type != "inline":
            _set_attrs(tok, pending)
            pending = {}
        if tok.type != "paragraph_open" or "{:" not in tokens[i + 1].content:
            out.append(tok)
            i += 1
            continue
        pieces = _split_on_ials(tokens[i + 1], tok, list_ial)
        if pieces is None:
            out.append(tok)
            i += 1
            continue
        for lead_attrs, para, line in pieces:
            if para:
                if lead_attrs:
                    _set_attrs(para[0], lead_attrs)
                out.extend(para)
            elif lead_attrs:
                target = _ial_target(out, tok, line, list_ial)
                if target is not None:
                    _set_attrs(target, lead_attrs)
                else:
                    pending = dict(lead_attrs)
        i += 3
    return out


def _split_on_ials(inline: Token, p_open: Token, list_ial: set[int]
                   ) -> list[tuple[dict[str, str], list[Token], int]] | None:
    """Cut a paragraph at its IAL lines: [(attrs, paragraph tokens or [], line of the IAL)].

    The attrs of a piece with tokens belong to that paragraph; a piece without tokens
    is an IAL that belongs elsewhere (the block above, the list it ends, the next block).
    """
    content_lines = inline.content.split("\n")
    if not any(_IAL_LINE.match(x) for x in content_lines):
        return None
    start = p_open.map[0] if p_open.map else 0
    pieces: list[tuple[dict[str, str], list[Token], int]] = []
    chunk: list[str] = []
    chunk_start = start
    for n, line in enumerate(content_lines):
        m = _IAL_LINE.match(line)
        if not m:
            if not chunk:
                chunk_start = start + n
            chunk.append(line)
            continue
        attrs = parse_attribute_list(m.group(1))
        if chunk:
            para = _paragraph("\n".join(chunk), [chunk_start, start + n + 1], p_open.level)
            chunk = []
            if start + n in list_ial:  # the IAL ends the list around this item
                pieces.append(({}, para, start + n))
                pieces.append((attrs, [], start + n))
            else:
                pieces.append((attrs, para, start + n))
        elif pieces and pieces[-1][1] and start + n not in list_ial:
            _set_attrs(pieces[-1][1][0], attrs)
        else:
            pieces.append((attrs, [], start + n))
    if chunk:
        end = p_open.map[1] if p_open.map else start + len(content_lines)
        pieces.append(({}, _paragraph("\n".join(chunk), [chunk_start, end], p_open.level), end))
    return pieces


def _ial_target(out: list[Token], p_open: Token, line: int, list_ial: set[int]) -> Token | None:
    """The block a stand-alone IAL belongs to, or None for "the next block"."""
    if line in list_ial:
        for tok in reversed(out):
            if tok.type in ("bullet_list_open", "ordered_list_open") and tok.level < p_open.level:
                return tok
    for tok in reversed(out):
        if tok.level < p_open.level:
            return None
        if tok.level == p_open.level and tok.nesting == -1:
            opener = _opener_of(out, tok)
            if opener is not None and opener.map and opener.map[1] == p_open.map[0]:
                return opener
            return None
        if tok.level == p_open.level and tok.nesting == 0 and tok.map:
            return tok if tok.map[1] == p_open.map[0] else None
    return None


def _opener_of(tokens: list[Token], close: Token) -> Token | None:
    depth = 0
    for tok in reversed(tokens):
        depth += tok.nesting
        if depth == 0:
            return tok
    return None


# ---------------------------------------------------------------------------
# Inline content: kramdown's span parser
# ---------------------------------------------------------------------------

class _Node:
    """An element of kramdown's span tree, turned into markdown-it tokens afterwards."""

    __slots__ = ("type", "value", "attrs", "children", "markup")

    def __init__(self, type: str, value: str = "", attrs: dict | None = None, markup: str = ""):
        self.type = type
        self.value = value
        self.attrs = attrs if attrs is not None else {}
        self.children: list[_Node] = []
        self.markup = markup


# Ruby's \s, \w and \d are ASCII-only; [[:alpha:]], [[:alnum:]] and \b are Unicode.
_S = r"[ \t\r\n\f\v]"
_NS = r"[^ \t\r\n\f\v]"
_W = r"[A-Za-z0-9_]"
_UNAME = r"[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?"

_HTML_TAG = re.compile(
    r"<(" + _UNAME + r")\s*((?:\s+" + _UNAME + r"(?:\s*=\s*(?:\w+|(\"|').*?\3))?)*)\s*(/)?>", re.S)
_HTML_TAG_CLOSE = re.compile(r"</(" + _UNAME + r")\s*>", re.S)
_HTML_COMMENT = re.compile(r"<!--(.*?)-->", re.S)
_HTML_ATTRIBUTE = re.compile(r"\s*(" + _UNAME + r")(?:\s*=\s*(?:(\w+)|(\"|')(.*?)\3))?", re.S)
_HTML_BLOCK_ELEMENTS = set(
    "address article aside applet body blockquote caption col colgroup dd div dl dt fieldset "
    "figcaption footer form h1 h2 h3 h4 h5 h6 header hgroup hr html head iframe legend menu li "
    "main map nav ol optgroup p pre section summary table tbody td th thead tfoot tr ul".split())
HTML_ELEMENTS_WITHOUT_BODY = set(
    "area base br col command embed hr img input keygen link meta param source track wbr".split())
_HTML_RAW_MODEL = set("script style math option textarea pre code kbd samp var".split())

_SQ_PUNCT = r"""[!"#$%'()*+,\-./:;<=>?@\[\\\]^_`{|}~]"""
_SQ_CLOSE = r"[^ \\\t\r\n\[{(-]"
_SQ_RULES: list[tuple[re.Pattern, tuple]] = [
    (re.compile(r"(\"|')(?=[_*]{1,2}" + _NS + ")"), ("lquote1",)),
    (re.compile(r"(\"|')(?=" + _SQ_PUNCT + r"(?!\.\.)\B)"), ("rquote1",)),
    (re.compile(r"(" + _S + r"?)\"'(?=" + _W + ")"), (1, "ldquo", "lsquo")),
    (re.compile(r"(" + _S + r"?)'\"(?=" + _W + ")"), (1, "lsquo", "ldquo")),
    (re.compile(r"(" + _S + r"?)'(?=[0-9][0-9]s)"), (1, "rsquo")),
    (re.compile(r"(" + _S + r")('|\")(?=" + _W + ")"), (1, "lquote2")),
    (re.compile(r"(" + _SQ_CLOSE + r")('|\")"), (1, "rquote2")),
    (re.compile(r"(\"|')(?=" + _S + r"|s\b|$)", re.M), ("rquote1",)),
    (re.compile(r"(.?)'", re.S), (1, "lsquo")),
    (re.compile(r"(.?)\"", re.S), (1, "ldquo")),
]
_QUOTE_CHARS = {"lsquo": "\u2018", "rsquo": "\u2019", "ldquo": "\u201c", "rdquo": "\u201d"}
_QUOTE_SIDES = {"lquote": ("ldquo", "lsquo"), "rquote": ("rdquo", "rsquo")}

_TYPO = {"---": "\u2014", "--": "\u2013", "...": "\u2026", "\\<<": "<<", "\\>>": ">>",
         "<< ": "\u00ab\u00a0", " >>": "\u00a0\u00bb", "<<": "\u00ab", ">>": "\u00bb"}
_TYPO_RE = re.compile("|".join(re.escape(k) for k in _TYPO))

_ENTITY = re.compile(r"&([A-Za-z0-9_:][\-A-Za-z0-9_.:]*);|&#(\d+);|&#x([0-9a-fA-F]+);")
_ESCAPED_GFM = re.compile(r"\\([\\.*_+`<>()\[\]{}#!:|\"'$=\-~])")
_ESCAPED = re.compile(r"\\([\\.*_+`<>()\[\]{}#!:|\"'$=-])")
_LINK_BRACKET_STOP = re.compile(r"(\])|!?\[")
_LINK_PAREN_STOP = re.compile(r"(\()|(\))|" + _S + r"(?=['\"])")
_LINK_INLINE_ID = re.compile(_S + r"*?\[([^\]]+)?\]")
_LINK_INLINE_TITLE = re.compile(_S + r"*?([\"'])(.+?)\1" + _S + r"*?\)", re.S)
_ACHARS = r"[\w.\-]"  # kramdown's [[:alnum:]]-_.
_AUTOLINK = re.compile(r"<((mailto|https?|ftps?):.+?|" + _ACHARS + r"+?@" + _ACHARS + r"+?)>")
_IAL_SPAN = re.compile(r"\{:((?:\\\}|[^}])+)\}")


class _Parser:
    """One span parser: a name, where it may start (`start`), and the method to run."""

    __slots__ = ("name", "start", "span_start", "method")

    def __init__(self, name: str, start: str, span_start: str, method: str, flags: int = 0):
        self.name = name
        self.start = re.compile(start, flags)
        self.span_start = span_start
        self.method = method


_PARSERS = [
    _Parser("liquid", r"\{\{.*?\}\}|\{%.*?%\}", r"\{[{%]", "_liquid", re.S),
    _Parser("emphasis", r"\*\*?|__?", r"\*|_", "_emphasis"),
    _Parser("codespan", r"`+", "`", "_codespan"),
    _Parser("autolink", _AUTOLINK.pattern, "<", "_autolink"),
    _Parser("span_html", r"<(" + _UNAME + r"|!--|/)", "<", "_span_html"),
    _Parser("footnote_marker", r"\[\^(\w[\w-]*)\]", r"\[", "_footnote_marker", re.A),
    _Parser("link", r"!?\[(?=[^^])", r"!?\[", "_link"),
    _Parser("smart_quotes", r"[^\\]?[\"']", r"[^\\]?[\"']", "_smart_quotes"),
    _Parser("span_extensions", r"\{:", r"\{:", "_span_extensions"),
    _Parser("html_entity", _ENTITY.pattern, "&", "_html_entity"),
    _Parser("typographic_syms", _TYPO_RE.pattern, r"--|\.\.\.|(?:\\| )?(?:<<|>>)", "_typographic"),
    _Parser("line_break", r"(  |\\\\)(?=\n)", r"(  |\\\\)(?=\n)", "_line_break"),
    _Parser("escaped_chars", _ESCAPED_GFM.pattern, r"\\", "_escaped"),
    _Parser("strikethrough", r"~~(?!" + _S + r"|~).*?[^ \t\r\n\f\v~]~~", "~~", "_strikethrough", re.S),
]


# Every span start begins with one of these characters, or (smart quotes) one character
# before a quote; searching for them first is ten times faster than searching with the
# full lookahead, which Python's engine tries at every position of mostly Japanese text.
_TRIGGERS = "{*_`<[!\"'&-.\\ >~"


@lru_cache(maxsize=None)
def _span_regexps(names: tuple[str, ...], stop: re.Pattern | None
                  ) -> tuple[re.Pattern, re.Pattern, list[_Parser]]:
    """kramdown's span_pattern_cache: where the next span (or the stop pattern) may begin,
    a quick pre-filter for it, and the parsers to try there."""
    parsers = [p for p in _PARSERS if p.name in names]
    starts = "|".join(p.span_start for p in parsers)
    triggers = _TRIGGERS
    if stop is not None:
        starts = stop.pattern + "|" + starts
        triggers += _first_char(stop.pattern)
    return (re.compile("(?=" + starts + ")", re.S), re.compile("[" + re.escape(triggers) + "]"), parsers)


def _first_char(pattern: str) -> str:
    """The characters a stop pattern can begin with (they all begin with a literal)."""
    if pattern == _LINK_BRACKET_STOP.pattern:
        return "]!["
    return pattern[1] if pattern.startswith("\\") else pattern[0]


def _next_span(s: str, pos: int, used: re.Pattern, trigger: re.Pattern) -> int:
    """The first position >= pos where `used` matches, or -1 (same as used.search)."""
    m = trigger.search(s, pos)
    while m is not None:
        c = m.start()
        if s[c] in "\"'" and c > pos and used.match(s, c - 1):
            return c - 1
        if used.match(s, c):
            return c
        m = trigger.search(s, c + 1)
    return -1


@lru_cache(maxsize=None)
def _delimiter_patterns(delim: str) -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    """For an emphasis delimiter: itself, itself doubled (not tripled), itself before a letter."""
    d = re.escape(delim)
    return re.compile(d), re.compile(d * 2 + "(?!" + d + ")"), re.compile(d + r"[^\W_]")


_ALL = tuple(p.name for p in _PARSERS)


class _SpanParser:
    """A port of kramdown 2.4's span parser (Kramdown::Parser::Kramdown#parse_spans).

    Each `_x` method mirrors kramdown's `parse_x`, including its quirks, so that inline
    markup, smart quotes and typographic symbols come out as Jekyll publishes them.
    """

    def __init__(self, src: str, ctx: "_InlineContext", tree: _Node | None = None):
        self.s = src
        self.pos = 0
        self.ctx = ctx
        self.tree = tree if tree is not None else _Node("root")
        self.stack: list[_Node] = []
        self.group: re.Match | None = None  # the last successful match, like @src[n]

    # -- the driver -------------------------------------------------------
    def parse_spans(self, el: _Node, stop: re.Pattern | None = None,
                    names: tuple[str, ...] = _ALL, on_stop: Callable[[], bool] | None = None) -> bool:
        self.stack.append(self.tree)
        self.tree = el
        used, trigger, parsers = _span_regexps(names, stop)
        s = self.s
        found = False
        while self.pos < len(s) and not found:
            at = _next_span(s, self.pos, used, trigger)
            if at < 0:
                if stop is None:
                    self.add_text(s[self.pos:])
                    self.pos = len(s)
                break
            self.add_text(s[self.pos:at])
            self.pos = at
            if stop is not None:
                sm = stop.match(s, self.pos)
                if sm:
                    self.group = sm
                    found = on_stop() if on_stop else True
            if found:
                break
            for p in parsers:
                pm = p.start.match(s, self.pos)
                if pm:
                    self.group = pm
                    getattr(self, p.method)()
                    break
            else:
                self.add_text(s[self.pos])
                self.pos += 1
        self.tree = self.stack.pop()
        return found

    def add_text(self, text: str, tree: _Node | None = None) -> None:
        if not text:
            return
        tree = tree or self.tree
        last = tree.children[-1] if tree.children else None
        if last is not None and last.type == "text":
            last.value += text
        else:
            tree.children.append(_Node("text", text))

    def scan(self, pattern: re.Pattern) -> re.Match | None:
        m = pattern.match(self.s, self.pos)
        self.group = m
        if m:
            self.pos = m.end()
        return m

    def in_element(self, kind: str) -> bool:
        return self.tree.type == kind or any(el.type == kind for el in self.stack)

    # -- the span parsers ---------------------------------------------------
    def _liquid(self) -> None:
        m = self.group
        self.pos = m.end()
        self.tree.children.append(_Node("liquid", m.group(0)))

    def _emphasis(self) -> None:
        s = self.s
        start = self.pos
        result = self.group.group(0)
        self.pos += len(result)
        element = "strong" if len(result) == 2 else "em"
        kind = result[0]
        before = s[:start]
        if ((kind == "_" and re.search(r"[^\W\d_]-?[^\W\d_]*\Z", before))
                or (self.pos < len(s) and s[self.pos] in " \t\r\n\f\v")
                or self.in_element(element)):
            self.add_text(result)
            return

        def sub_parse(delim: str, elem: str) -> tuple[bool, _Node, re.Pattern]:
            el = _Node(elem, markup=delim)
            stop, double, alnum_after = _delimiter_patterns(delim)

            def ok() -> bool:
                prev = s[self.pos - 1] if self.pos else ""
                return (prev not in " \t\r\n\f\v" or prev == "") and \
                    (elem != "em" or not double.match(s, self.pos)) and \
                    (kind != "_" or not alnum_after.match(s, self.pos)) and bool(el.children)
            return self.parse_spans(el, stop, on_stop=ok), el, stop

        found, el, stop = sub_parse(result, element)
        if not found and element == "strong" and self.tree.type != "em":
            self.pos = start + 1
            found, el, stop = sub_parse(kind, "em")
        if found:
            self.scan(stop)
            self.tree.children.append(el)
        else:
            self.pos = start + len(result)
            self.add_text(result)

    def _codespan(self) -> None:
        s = self.s
        start = self.pos
        result = self.group.group(0)
        self.pos += len(result)
        simple = len(result) == 1
        if simple and (start == 0 or s[start - 1] in " \t\r\n\f\v") and \
                self.pos < len(s) and s[self.pos] in " \t\r\n\f\v":
            self.add_text(result)
            return
        end = s.find(result, self.pos)
        if end < 0:
            self.add_text(result)
            return
        text = s[self.pos:end]
        self.pos = end + len(result)
        if not simple:
            if text[:1] == " ":
                text = text[1:]
            if text[-1:] == " ":
                text = text[:-1]
        self.tree.children.append(_Node("code", text, markup=result))

    def _autolink(self) -> None:
        m = self.group
        self.pos = m.end()
        href = m.group(1) if m.group(2) else "mailto:" + m.group(1)
        el = _Node("a", attrs={"href": href}, markup="autolink")
        self.add_text(re.sub(r"^mailto:", "", m.group(1)), el)
        self.tree.children.append(el)

    def _span_html(self) -> None:
        s = self.s
        m = _HTML_COMMENT.match(s, self.pos)
        if m:
            self.pos = m.end()
            self.tree.children.append(_Node("html", m.group(0)))
            return
        m = _HTML_TAG_CLOSE.match(s, self.pos)
        if m:  # a closing tag without an opening one is text
            self.pos = m.end()
            self.add_text(m.group(0))
            return
        m = _HTML_TAG.match(s, self.pos)
        if not m:
            self.add_text(s[self.pos])
            self.pos += 1
            return
        name = m.group(1)
        if name.lower() in _KNOWN_HTML:
            name = name.lower()
        if name in _HTML_BLOCK_ELEMENTS:
            self.pos = m.end()
            self.add_text(m.group(0))
            return
        self.pos = m.end()
        attrs = _html_attributes(m.group(2), name.lower() in _KNOWN_HTML)
        el = _Node("html_element", name, attrs, markup=m.group(0))
        self.tree.children.append(el)
        if m.group(4) or name in HTML_ELEMENTS_WITHOUT_BODY:
            el.type, el.markup = "html_void", "void"
            return
        stop = re.compile(r"</" + re.escape(name) + r"\s*>", re.I if name in _KNOWN_HTML else 0)
        raw = name in _HTML_RAW_MODEL or self.in_element("raw_html")
        if raw:
            el.type = "raw_html"
        names = ("span_html",) if raw else _ALL
        if self.parse_spans(el, stop, names):
            self.scan(stop)

    def _footnote_marker(self) -> None:
        m = self.group
        self.pos = m.end()
        name = m.group(1)
        if self.ctx.has_footnote(name):
            self.tree.children.append(_Node("footnote", name))
        else:
            self.add_text(m.group(0))

    def _link(self) -> None:
        s = self.s
        start = self.pos
        result = self.group.group(0)
        self.pos += len(result)
        cur = self.pos
        kind = "img" if result.startswith("!") else "a"
        if kind == "a" and (self.in_element("a") or self.in_element("img")):
            self.add_text(result)
            return
        el = _Node(kind)
        count = 1

        def on_bracket() -> bool:
            nonlocal count
            count += -1 if self.group.group(1) else 1
            return count - sum(1 for c in el.children if c.type == "img") == 0

        if not self.parse_spans(el, _LINK_BRACKET_STOP, on_stop=on_bracket):
            self._revert_link(start, result)
            return
        alt_text = _ESCAPED.sub(r"\1", s[cur:self.pos])
        self.scan(_LINK_BRACKET_STOP)
        ref = self.scan(_LINK_INLINE_ID)
        if ref or not s.startswith("(", self.pos):
            link_id = _normalize_link_id((ref.group(1) if ref else None) or alt_text)
            target = self.ctx.link_def(link_id)
            if target is None:
                self._revert_link(start, result)
            else:
                self._add_link(el, target[0], target[1], alt_text)
            return
        m = re.compile(r"\(<(.*?)>").match(s, self.pos)
        if m:
            self.pos = m.end()
            url = m.group(1)
            if s.startswith(")", self.pos):
                self.pos += 1
                self._add_link(el, url, None, alt_text)
                return
        else:
            url, depth = "", 0
            while True:
                pm = _LINK_PAREN_STOP.search(s, self.pos)
                if not pm:
                    break
                url += s[self.pos:pm.end()]
                self.pos = pm.end()
                if pm.group(2):
                    depth -= 1
                    if depth == 0:
                        break
                elif pm.group(1):
                    depth += 1
                else:
                    break
            url = url[1:-1].strip(" \t\r\n\f\v")
            if depth == 0:
                self._add_link(el, url, None, alt_text)
                return
        m = self.scan(_LINK_INLINE_TITLE)
        if m:
            self._add_link(el, url, m.group(2), alt_text)
        else:
            self._revert_link(start, result)

    def _revert_link(self, start: int, result: str) -> None:
        self.pos = start + len(result)
        self.add_text(result)

    def _add_link(self, el: _Node, href: str, title: str | None, alt: str) -> None:
        if el.type == "a":
            el.attrs["href"] = href
        else:
            el.attrs["src"] = href
            el.attrs["alt"] = alt
            el.children = []
        if title is not None:
            el.attrs["title"] = title
        self.tree.children.append(el)

    def _smart_quotes(self) -> None:
        for rule, substs in _SQ_RULES:
            m = self.scan(rule)
            if m:
                break
        for subst in substs:
            if isinstance(subst, int):
                self.add_text(m.group(subst))
                continue
            kind = subst
            if subst[-1].isdigit():
                quote = m.group(int(subst[-1]))
                kind = _QUOTE_SIDES[subst[:-1]][0 if quote == '"' else 1]
            self.tree.children.append(_Node("char", _QUOTE_CHARS[kind], markup=m.group(0)))

    def _span_extensions(self) -> None:
        m = _IAL_SPAN.match(self.s, self.pos)
        last = self.tree.children[-1] if self.tree.children else None
        if m and last is not None and last.type != "text":
            self.pos = m.end()
            attrs = parse_attribute_list(m.group(1))
            _merge_attrs(last.attrs, attrs)
        else:
            self.add_text(self.s[self.pos])
            self.pos += 1

    def _html_entity(self) -> None:
        m = self.group
        self.pos = m.end()
        char = _entity_char(m)
        if char is None:
            self.add_text("&" + m.group(0)[1:])
        else:
            self.tree.children.append(_Node("char", char, markup=m.group(0)))

    def _typographic(self) -> None:
        m = self.group
        self.pos = m.end()
        self.tree.children.append(_Node("char", _TYPO[m.group(0)], markup=m.group(0)))

    def _line_break(self) -> None:
        self.pos = self.group.end()
        self.tree.children.append(_Node("br"))

    def _escaped(self) -> None:
        self.pos = self.group.end()
        self.add_text(self.group.group(1))

    def _strikethrough(self) -> None:
        m = self.group
        self.pos = m.end()
        el = _Node("del", markup="~~")
        self.tree.children.append(el)
        inner = _SpanParser(m.group(0)[2:-2], self.ctx, el)
        inner.parse_spans(el)


_KNOWN_HTML = (set(_SPAN_TAGS) | _HTML_BLOCK_ELEMENTS | HTML_ELEMENTS_WITHOUT_BODY | _HTML_RAW_MODEL
               | set("abbr acronym article aside audio canvas details dialog figure font frame "
                     "iframe noscript object picture s script source strike style summary svg "
                     "template time video".split()))


def _html_attributes(text: str, lowercase: bool) -> dict[str, str]:
    attrs: dict[str, str] = {}
    for name, bare, _q, quoted in _HTML_ATTRIBUTE.findall(text or ""):
        if lowercase:
            name = name.lower()
        value = quoted if _q else bare
        attrs[name] = re.sub(r"\n+", " ", value) if value else value
    return attrs


def _merge_attrs(target: dict[str, str], attrs: dict[str, str]) -> None:
    for key, value in attrs.items():
        if key == "class" and target.get("class"):
            value = f"{target['class']} {value}"
        target[key] = value


def _entity_char(m: re.Match) -> str | None:
    """The character an entity stands for, or None if kramdown does not know it."""
    name, dec, hexa = m.groups()
    try:
        if name is not None:
            if name not in name2codepoint:
                return None
            return chr(name2codepoint[name])
        return chr(int(dec) if dec is not None else int(hexa, 16))
    except (ValueError, OverflowError):
        return None


def _normalize_link_id(text: str) -> str:
    return re.sub(r"[ \t\r\n\f\v]+", " ", text).lower()


class _InlineContext:
    """What the span parser needs from the whole document: link and footnote definitions."""

    def __init__(self, env: dict):
        self.env = env
        self.links = {_normalize_link_id(k): (v.get("href", ""), v.get("title") or None)
                      for k, v in env.get("references", {}).items()}
        notes = env.get("footnotes", {})
        self.footnote_labels = {k[1:] for k in notes.get("refs", {})}

    def link_def(self, link_id: str) -> tuple[str, str | None] | None:
        return self.links.get(link_id)

    def has_footnote(self, name: str) -> bool:
        return name in self.footnote_labels

    def footnote_ref(self, name: str) -> Token:
        """A footnote_ref token numbered as mdit-py-plugins' footnote_tail expects."""
        notes = self.env.setdefault("footnotes", {})
        refs = notes.setdefault("refs", {})
        found = notes.setdefault("list", {})
        key = ":" + name
        if refs.get(key, -1) < 0:
            refs[key] = len(found)
            found[refs[key]] = {"label": name, "count": 0}
        ident = refs[key]
        sub = found[ident]["count"]
        found[ident]["count"] += 1
        tok = Token("footnote_ref", "", 0)
        tok.meta = {"id": ident, "subId": sub, "label": name}
        return tok


def parse_inline(content: str, ctx: _InlineContext) -> list[Token]:
    """kramdown's span parse of one block's text, as markdown-it inline tokens."""
    if _next_span(content, 0, *_TOP_LEVEL_SPANS) < 0:
        return _plain_inline(content)
    return span_parse(content, ctx)


def span_parse(content: str, ctx: _InlineContext) -> list[Token]:
    """The span parser's tokens for `content`, through its tree (no shortcut)."""
    parser_ = _SpanParser(content, ctx)
    root = parser_.tree
    parser_.parse_spans(root)
    tokens: list[Token] = []
    _emit(root.children, tokens, ctx, 0)
    return tokens


# Where a span may begin in a block's text: `parse_spans`' own first search.
_TOP_LEVEL_SPANS = _span_regexps(_ALL, None)[:2]


def _plain_inline(content: str) -> list[Token]:
    """The tokens of a text in which no span begins: what `parse_inline` gives it.

    `parse_spans` starts with the same `_next_span` search; when it finds nothing, it
    makes the whole text one text node, which `_emit` passes to `_emit_text`. Most
    paragraphs of a Japanese post are such a text (a `.` in `1. 見出し` is looked at
    and is no span); this skips building the span parser and its tree for them.
    """
    tokens: list[Token] = []
    _emit_text(content, tokens, 0, skip_newline=False)
    return tokens


def _emit(nodes: list[_Node], out: list[Token], ctx: _InlineContext, level: int) -> None:
    """Flatten the span tree into markdown-it's inline token shape."""
    after_break = False
    for node in nodes:
        kind = node.type
        if kind == "text":
            _emit_text(node.value, out, level, skip_newline=after_break)
        elif kind == "char":
            out.append(Token("text", "", 0, content=node.value, markup=node.markup, level=level,
                             meta={"kramdown": True}))
        elif kind == "br":
            out.append(Token("hardbreak", "br", 0, level=level))
        elif kind == "code":
            out.append(Token("code_inline", "code", 0, content=node.value, markup=node.markup, level=level))
        elif kind in ("em", "strong", "del"):
            name = "s" if kind == "del" else kind
            out.append(Token(name + "_open", kind, 1, markup=node.markup, level=level, attrs=dict(node.attrs)))
            _emit(node.children, out, ctx, level + 1)
            out.append(Token(name + "_close", kind, -1, markup=node.markup, level=level))
        elif kind == "a":
            out.append(Token("link_open", "a", 1, attrs=dict(node.attrs), markup=node.markup, level=level))
            _emit(node.children, out, ctx, level + 1)
            out.append(Token("link_close", "a", -1, markup=node.markup, level=level))
        elif kind == "img":
            out.append(Token("image", "img", 0, attrs=dict(node.attrs), content=node.attrs.get("alt", ""),
                             children=[], level=level))
        elif kind == "footnote":
            ref = ctx.footnote_ref(node.value)
            ref.level = level
            out.append(ref)
        elif kind == "liquid":
            out.append(Token("liquid_tag", "", 0, content=node.value, level=level))
        elif kind == "html":
            out.append(Token("html_inline", "", 0, content=node.value, level=level))
        else:  # html_element / raw_html: an opening tag, its content, a closing tag
            void = node.markup == "void"
            source = f"<{node.value}>" if void else node.markup
            out.append(Token("html_inline", node.value, 0, attrs=dict(node.attrs), content=source,
                             level=level, meta={"html": "void" if void else "open"}))
            if not void:
                _emit(node.children, out, ctx, level + 1)
                out.append(Token("html_inline", node.value, 0, content=f"</{node.value}>", level=level,
                                 meta={"html": "close"}))
        after_break = kind == "br"


def _emit_text(text: str, out: list[Token], level: int, skip_newline: bool) -> None:
    """Text with GFM's `\\` line breaks and soft breaks as markdown-it tokens."""
    if skip_newline and text.startswith("\n"):
        text = text[1:]
    for n, line in enumerate(text.split("\n")):
        if n:
            prev = out[-1] if out else None
            if prev is not None and prev.type == "text" and prev.content.endswith("\\") \
                    and not prev.meta.get("kramdown"):
                prev.content = prev.content[:-1]
                if not prev.content:
                    out.pop()
                out.append(Token("hardbreak", "br", 0, level=level))
            else:
                out.append(Token("softbreak", "br", 0, level=level))
        if line:
            out.append(Token("text", "", 0, content=line, level=level))


def _kramdown_inline(state: StateCore) -> None:
    """The core rule that replaces markdown-it's inline parser with kramdown's."""
    ctx = _InlineContext(state.env)
    for tok in state.tokens:
        if tok.type == "inline":
            tok.children = parse_inline(tok.content, ctx)


# ---------------------------------------------------------------------------
# List item paragraphs
# ---------------------------------------------------------------------------

def _list_paragraphs(state: StateCore) -> None:
    """Decide per item, as kramdown does, whether an item's first paragraph gets `<p>`.

    CommonMark decides for the whole list (tight or loose); kramdown drops the `<p>` of
    an item's first paragraph unless a blank line follows it inside the item, and keeps
    it on the last item only if every earlier item kept its own. The decision is
    stored in `paragraph_open.hidden`, which is what markdown-it's renderers read.
    """
    lines: list[str] = state.env.get("source_lines") or []
    tokens = state.tokens
    for i, tok in enumerate(tokens):
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            _mark_list(tokens, i, lines)


def _mark_list(tokens: list[Token], start: int, lines: list[str]) -> None:
    items = _children_of(tokens, start)
    first_paras: list[Token | None] = []
    for n, item in enumerate(items):
        blocks = _children_of(tokens, item)
        para = tokens[blocks[0]] if blocks and tokens[blocks[0]].type == "paragraph_open" else None
        first_paras.append(para)
        if para is None:
            continue
        blank_after = bool(para.map) and para.map[1] < len(lines) and not lines[para.map[1]].strip()
        if n < len(items) - 1:
            bare = not blank_after  # blank lines up to the next item belong to this item
        else:
            bare = (not blank_after or len(blocks) == 1) and (
                len(items) == 1 or any(p is None or p.hidden for p in first_paras[:-1]))
        _set_hidden(tokens, blocks[0], bare)


def _set_hidden(tokens: list[Token], open_index: int, hidden: bool) -> None:
    tokens[open_index].hidden = hidden
    depth = 0
    for tok in tokens[open_index:]:
        depth += tok.nesting
        if depth == 0 and tok.type == "paragraph_close":
            tok.hidden = hidden
            return


def _children_of(tokens: list[Token], open_index: int) -> list[int]:
    """Indexes of the direct child blocks' opening tokens of tokens[open_index]."""
    result: list[int] = []
    level = tokens[open_index].level + 1
    depth = 0
    for j in range(open_index + 1, len(tokens)):
        tok = tokens[j]
        if depth == 0 and tok.nesting == -1:
            break
        if tok.level == level and tok.nesting != -1 and tok.type != "inline":
            result.append(j)
        depth += tok.nesting
    return result


# ---------------------------------------------------------------------------
# Heading ids
# ---------------------------------------------------------------------------

_GUILLEMET_ID_TEXT = {"<< ": "\u00ab ", " >>": " \u00bb"}  # a plain space here, unlike the output
_HEADER_ID = re.compile(r"[\t ]\{#([A-Za-z_][\w.-]*)\}\Z")
_ID_KEEP_CATEGORIES = ("L", "M", "Nd", "Nl", "Pc")


def heading_id_text(children: list[Token]) -> str:
    """The text kramdown's GFM parser builds a heading's id from (link targets excluded)."""
    parts = []
    for tok in children:
        if tok.type == "text" and tok.markup in _GUILLEMET_ID_TEXT:
            parts.append(_GUILLEMET_ID_TEXT[tok.markup])
        elif tok.type in ("text", "code_inline"):
            parts.append(tok.content)
        elif tok.type in ("softbreak", "hardbreak"):
            parts.append("\n")
    return "".join(parts)


@lru_cache(maxsize=4096)
def _gfm_id(text: str) -> str:
    """kramdown-parser-gfm: downcase, drop all but \\p{Word}, `-` and blanks, blanks to `-`."""
    kept = []
    for ch in text.lower():
        if ch in "- \t" or ch.isascii() and (ch.isalnum() or ch == "_"):
            kept.append(ch)
        elif not ch.isascii() and unicodedata.category(ch).startswith(_ID_KEEP_CATEGORIES):
            kept.append(ch)
    return "".join(kept).replace(" ", "-").replace("\t", "-")


def _heading_ids(state: StateCore) -> None:
    """Give every heading kramdown's id: explicit `{#id}`, an IAL's, or a generated one."""
    counter: dict[str, int] = {}
    tokens = state.tokens
    for i, tok in enumerate(tokens):
        if tok.type != "heading_open":
            continue
        inline = tokens[i + 1]
        children = inline.children or []
        if children and children[-1].type == "text":
            m = _HEADER_ID.search(children[-1].content)
            if m:
                children[-1].content = children[-1].content[:m.start()].rstrip()
                if not children[-1].content:
                    children.pop()
                tok.attrs.setdefault("id", m.group(1))
        if "id" in tok.attrs:
            continue
        base = _gfm_id(heading_id_text(children))
        n = counter.get(base, -1) + 1
        counter[base] = n
        tok.attrs["id"] = f"{base}-{n}" if n else base
