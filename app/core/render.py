"""Preview HTML for a post body, as Jekyll's `{{ content }}` would hold it.

`render_html()` walks the tokens of `markdown.tokenize()` (the one parse the rules
also read) and writes what kramdown's HTML converter writes for the same document:
`<p class="…">` from IALs, `<br />`, kramdown's footnote markup, `<del>`, Rouge's
code wrappers, `style="text-align: …"` cells, raw HTML as is. It does not re-run
Rouge, so code carries no token spans: the text is the same. Raw HTML, scripts
included, is passed through as Jekyll publishes it; keeping it from running is the
job of whatever displays the HTML (the window's preview), not of this module.

With `source_lines=True` (the window's preview) every top-level block also carries
`data-line="N"` (1-based file line), for scroll sync and for marking findings;
comparison with Jekyll uses the default, which adds nothing.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Callable, Sequence

from markdown_it.token import Token

from .liquid import strip_guard

__all__ = ["Rendered", "render_html", "standalone_page"]

# Rouge's lexer tags and aliases (Debian's ruby-rouge, as Jekyll 4.3.1 uses it): a fence
# in one of these is wrapped in Rouge's divs; any other language gets a bare <pre><code>.
ROUGE_LEXERS = frozenset(" ".join([
    "Dockerfile HAML Isabelle LaTeX OCL R S TeX abap actionscript ada apache apex apib"
    "apiblueprint applescript armasm as as3 aug augeas awk bash bat batch batchfile bbcbasic"
    "behat bib bibtex biml bpf brainfuck brightscript brs bs bsdmake bsl c c# c++ ceylon cfc"
    "cfscript cl clean clj cljs clojure cmake cmhg cmm coffee coffee-script coffeescript"
    "common-lisp common_lisp conf config configuration console coq cpp cr crystal cs csharp"
    "css csvs cucumber cuda cypher cython d dafny dart datastudio diff digdag django dlang"
    "docker dockerfile dosbatch dot e-mail ecl eex eiffel elisp elixir elm emacs-lisp email"
    "eml epp eps erb erl erlang eruby esc escape ex exs factor fea ff fluent fortran freefem"
    "fsharp ftl gd gdscript ghc-cmm ghc-core gherkin glsl gnumake go golang gradle graphql"
    "groovy hack haml handlebars haskell haxe hbs hcl heex hh hlsl hocon hql hs html http hx"
    "hy hylang idlang idr idris igorpro ini io irb irb_output isa isabelle isbl j janet java"
    "javascript jdn jinja jl js jsl json json-doc jsonc jsonnet jsp jsx julia kdb+ kotlin"
    "ksh lasso lassoscript latex lean leex lhaskell lhs liquid lisp litcoffee"
    "literate_coffeescript literate_haskell lithaskell livescript llvm ls lua lustre lutin m"
    "m68k magik make makefile markdown mason mathematica matlab md meson mf microsoftshell"
    "minizinc mkd ml moon moonscript mosel msgtrans msshell mustache mxml nasm nes nesasm"
    "nginx nial nim nimrod nix nixos obj-c obj-c++ obj-cpp obj_c obj_c++ obj_cpp objc objc++"
    "objcpp objective_c objective_cpp objectivec objectivec++ objectivecpp ocaml ocl"
    "openedge opentype opentype_feature_file opentypefeature pascal patch perl php php3 php4"
    "php5 pl plaintext plist plsql pony posh postscr postscript powershell pp praat prolog"
    "prometheus properties proto protobuf pry ps puppet py pyrex python pyx q qml r racket"
    "rb react realbasic reasonml rego rescript rhtml robot robot-framework robot_framework"
    "rs rs,ignore rs,no_run rs,should_panic ruby rust rust,ignore rust,no_run"
    "rust,should_panic s sas sass scala scheme scss sed sh shell shell-session shell_session"
    "sieve slice slim smalltalk smarty sml solidity sparql sqf sql squeak ssh st stan stata"
    "supercollider swift systemd syzlang syzprog tap tcl terminal terraform tex text tf toml"
    "ts tsx ttcn3 tulip turtle twig typescript udiff unit-file vala varnish varnishconf vb"
    "vcl velocity verilog vhdl vim viml vimscript visualbasic vue vuejs winbatch wl wollok"
    "xml xojo xpath xquery yaml yang yml zig zir zsh"
]).split())


@dataclass(frozen=True)
class Rendered:
    """A rendered body: the HTML, and the file lines (first, last; 1-based) of each top-level block."""

    html: str
    blocks: list[tuple[int, int]] = field(default_factory=list)
    # Where each top-level element starts in `html`, and its length at the end;
    # empty when the body holds raw HTML (see `_Writer.render`).
    starts: tuple[int, ...] = ()


def render_html(tokens: Sequence[Token], env: dict, *, body_line: int = 1,
                source_lines: bool = False) -> Rendered:
    """Render tokens from `markdown.tokenize()` as kramdown would.

    `body_line` is the file line of the body's first line, so block lines are file
    lines; `source_lines` adds `data-line` attributes (preview mode only).
    """
    writer = _Writer(tokens, body_line, source_lines)
    html, starts = writer.render()
    return Rendered(html, writer.blocks, starts)


def escape_text(text: str) -> str:
    """kramdown's escape_html(:text): only `<`, `>` and `&`."""
    return strip_guard(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_attr(text: str) -> str:
    return escape_text(str(text)).replace('"', "&quot;")


def html_attributes(attrs: dict) -> str:
    """` k="v"` for each attribute, as kramdown writes them (an empty id is left out)."""
    return "".join(f' {k}="{escape_attr(v)}"' for k, v in attrs.items()
                   if v is not None and not (k == "id" and not str(v).strip()))


class _Writer:
    """One rendering pass; block handlers are looked up by token type."""

    def __init__(self, tokens: Sequence[Token], body_line: int, source_lines: bool):
        self.tokens = tokens
        self.body_line = body_line
        self.source_lines = source_lines
        self.blocks: list[tuple[int, int]] = []
        self.out: list[str] = []
        self.in_footnote_paragraph = False
        self.backlink_paragraph = False
        self.raw = False  # raw HTML written (a block or a span)

    def render(self) -> tuple[str, tuple[int, ...]]:
        """The HTML, and where each top-level block starts in it (its length last).

        The starts let the window's preview replace only the blocks an edit changed
        (preview.py). They are given only when that is exact: no raw HTML, which
        can leave elements open for the HTML parser to carry into the next block,
        and every block one element followed by a newline (what each handler
        writes for a top-level token; the footnotes, whose tokens are all top-level,
        are one block); otherwise they are empty."""
        out, marks, notes = self.out, [0], False
        for tok in self.tokens:
            if tok.level == 0 and tok.nesting >= 0 and not notes:
                marks.append(len(out))
            notes = tok.type == "footnote_block_open" or notes and tok.type != "footnote_block_close"
            handler: Callable[[Token], None] = getattr(self, "_" + tok.type, self._unknown_block)
            handler(tok)
        marks.append(len(out))
        chunks = [chunk for chunk in ("".join(out[a:b]) for a, b in zip(marks, marks[1:])) if chunk]
        html = "".join(chunks)
        if self.raw:
            return html, ()
        starts = [0]
        for chunk in chunks:
            if chunk[0] != "<" or not chunk.endswith(">\n"):
                return html, ()
            starts.append(starts[-1] + len(chunk))
        return html, tuple(starts)

    # -- helpers ------------------------------------------------------------
    def _line_attr(self, tok: Token) -> dict:
        """Record a top-level block and return its data-line attribute (preview mode)."""
        if tok.level != 0 or not tok.map:
            return {}
        self.blocks.append((tok.map[0] + self.body_line, tok.map[1] - 1 + self.body_line))
        return {"data-line": tok.map[0] + self.body_line} if self.source_lines else {}

    def _open(self, tok: Token, tag: str, attrs: dict | None = None, newline: bool = False) -> None:
        line = self._line_attr(tok)
        if tok.attrs or attrs:
            merged = dict(tok.attrs)
            merged.update(attrs or {})
            merged.update(line)
            written = html_attributes(merged)
        else:  # most blocks: at most the line, an int (what html_attributes writes for it)
            written = f' data-line="{line["data-line"]}"' if line else ""
        self.out.append(f"<{tag}{written}>" + ("\n" if newline else ""))

    def _unknown_block(self, tok: Token) -> None:
        if tok.nesting == 1:
            self._open(tok, tok.tag or "div")
        elif tok.nesting == -1:
            self.out.append(f"</{tok.tag or 'div'}>\n")

    # -- blocks -------------------------------------------------------------
    def _paragraph_open(self, tok: Token) -> None:
        if tok.hidden:
            self._line_attr(tok)
        else:
            self._open(tok, "p")
        self.in_footnote_paragraph = not tok.hidden

    def _paragraph_close(self, tok: Token) -> None:
        self.in_footnote_paragraph = False
        self.out.append("" if tok.hidden else "</p>\n")

    def _heading_open(self, tok: Token) -> None:
        self._open(tok, tok.tag)

    def _heading_close(self, tok: Token) -> None:
        self.out.append(f"</{tok.tag}>\n")

    def _bullet_list_open(self, tok: Token) -> None:
        attrs = {k: v for k, v in tok.attrs.items() if k != "start"}  # kramdown ignores start numbers
        tok_copy = Token(tok.type, tok.tag, tok.nesting, attrs=attrs, map=tok.map, level=tok.level)
        self._open(tok_copy, tok.tag, newline=True)

    _ordered_list_open = _bullet_list_open

    def _bullet_list_close(self, tok: Token) -> None:
        self.out.append(f"</{tok.tag}>\n")

    _ordered_list_close = _bullet_list_close

    def _list_item_open(self, tok: Token) -> None:
        self._open(tok, "li")

    def _list_item_close(self, tok: Token) -> None:
        self.out.append("</li>\n")

    def _blockquote_open(self, tok: Token) -> None:
        self._open(tok, "blockquote", newline=True)

    def _blockquote_close(self, tok: Token) -> None:
        self.out.append("</blockquote>\n")

    def _hr(self, tok: Token) -> None:
        self.out.append(f"<hr{html_attributes({**tok.attrs, **self._line_attr(tok)})} />\n")

    def _fence(self, tok: Token) -> None:
        info = tok.info.strip().split(maxsplit=1)[0] if tok.info.strip() else ""
        self._code(tok, info.split("?", 1)[0] or None)

    def _code_block(self, tok: Token) -> None:
        self._code(tok, None)

    def _code(self, tok: Token, lang: str | None) -> None:
        """Rouge's wrappers when Rouge knows the language (or none is given), else a bare pre."""
        code = escape_text(tok.content)
        attrs = dict(tok.attrs)
        if lang is None or lang in ROUGE_LEXERS:
            cls = f"language-{lang or 'plaintext'} highlighter-rouge"
            attrs["class"] = f"{attrs['class']} {cls}" if attrs.get("class") else cls
            attrs.update(self._line_attr(tok))
            self.out.append(f'<div{html_attributes(attrs)}><div class="highlight"><pre class="highlight">'
                            f"<code>{code}</code></pre></div></div>\n")
        else:
            attrs.update(self._line_attr(tok))
            self.out.append(f'<pre{html_attributes(attrs)}><code class="language-{escape_attr(lang)}">'
                            f"{code}</code></pre>\n")

    def _html_block(self, tok: Token) -> None:
        self.raw = True
        line = self._line_attr(tok)
        content = strip_guard(tok.content)
        if line:
            self.out.append(f'<div data-line="{line["data-line"]}" class="raw-html">{content}</div>\n')
        else:
            self.out.append(content if content.endswith("\n") else content + "\n")

    def _table_open(self, tok: Token) -> None:
        self._open(tok, "table", newline=True)

    def _table_close(self, tok: Token) -> None:
        self.out.append("</table>\n")

    def _section(self, tok: Token) -> None:
        self.out.append(f"<{tok.tag}>\n" if tok.nesting == 1 else f"</{tok.tag}>\n")

    _thead_open = _thead_close = _tbody_open = _tbody_close = _tr_open = _tr_close = _section

    def _cell_open(self, tok: Token) -> None:
        attrs = dict(tok.attrs)
        style = attrs.get("style")
        if style:
            attrs["style"] = re.sub(r"text-align:\s*", "text-align: ", str(style))
        self.out.append(f"<{tok.tag}{html_attributes(attrs)}>")

    _th_open = _td_open = _cell_open

    def _cell_close(self, tok: Token) -> None:
        if self.out and self.out[-1].startswith(f"<{tok.tag}"):
            self.out.append("\u00a0")  # kramdown fills an empty cell with &nbsp;
        self.out.append(f"</{tok.tag}>\n")

    _th_close = _td_close = _cell_close

    def _inline(self, tok: Token) -> None:
        children = tok.children or []
        if not self.raw and any(t.type == "html_inline" for t in children):
            self.raw = True
        text = render_inline(children)
        if text:
            self.out.append(text)

    # -- footnotes (kramdown's markup) ----------------------------------------
    def _footnote_block_open(self, tok: Token) -> None:
        self.out.append('<div class="footnotes" role="doc-endnotes">\n<ol>\n')

    def _footnote_block_close(self, tok: Token) -> None:
        self.out.append("</ol>\n</div>\n")

    def _footnote_open(self, tok: Token) -> None:
        label = escape_attr(tok.meta.get("label") or tok.meta["id"] + 1)
        self.out.append(f'<li id="fn:{label}" role="doc-endnote">\n')

    def _footnote_close(self, tok: Token) -> None:
        if self.backlink_paragraph:
            self.out.append("</p>\n")
            self.backlink_paragraph = False
        self.out.append("</li>\n")

    def _footnote_anchor(self, tok: Token) -> None:
        label = escape_attr(tok.meta.get("label") or tok.meta["id"] + 1)
        sub = tok.meta.get("subId", 0)
        ref = f"{label}:{sub}" if sub else label
        mark = f"&#8617;<sup>{sub + 1}</sup>" if sub else "&#8617;"
        link = f'<a href="#fnref:{ref}" class="reversefootnote" role="doc-backlink">{mark}</a>'
        if self.in_footnote_paragraph:
            self.out.append("\u00a0" + link)
        elif sub:
            self.out.append(" " + link)
        else:  # the note does not end in a paragraph: kramdown adds one for the backlinks
            self.out.append("<p>" + link)
            self.backlink_paragraph = True

    def _footnote_reference_open(self, tok: Token) -> None:  # unreferenced leftovers
        pass

    _footnote_reference_close = _footnote_reference_open


# -- inline -------------------------------------------------------------------

def _code_inline(tok: Token) -> str:
    return f'<code class="language-plaintext highlighter-rouge">{escape_text(tok.content)}</code>'


def _html_inline(tok: Token) -> str:
    kind = (tok.meta or {}).get("html")
    if kind == "void":
        return f"<{tok.tag}{html_attributes(tok.attrs)} />"
    if kind == "open":
        return f"<{tok.tag}{html_attributes(tok.attrs)}>"
    if kind == "close":
        return f"</{tok.tag}>"
    return strip_guard(tok.content)


def _image(tok: Token) -> str:
    return f"<img{html_attributes(tok.attrs)} />"


def _footnote_ref(tok: Token) -> str:
    label = escape_attr(tok.meta.get("label") or tok.meta["id"] + 1)
    sub = tok.meta.get("subId", 0)
    ref_id = f"{label}:{sub}" if sub else label
    return (f'<sup id="fnref:{ref_id}" role="doc-noteref"><a href="#fn:{label}" class="footnote" '
            f'rel="footnote">{tok.meta["id"] + 1}</a></sup>')


def _liquid_tag(tok: Token) -> str:
    return f'<span class="liquid-tag">{escape_text(tok.content)}</span>'


_INLINE: dict[str, Callable[[Token], str]] = {
    "text": lambda t: escape_text(t.content),
    "softbreak": lambda t: "\n",
    "hardbreak": lambda t: "<br />\n",
    "code_inline": _code_inline,
    "html_inline": _html_inline,
    "image": _image,
    "footnote_ref": _footnote_ref,
    "liquid_tag": _liquid_tag,
    "em_open": lambda t: f"<em{html_attributes(t.attrs)}>",
    "em_close": lambda t: "</em>",
    "strong_open": lambda t: f"<strong{html_attributes(t.attrs)}>",
    "strong_close": lambda t: "</strong>",
    "s_open": lambda t: f"<del{html_attributes(t.attrs)}>",
    "s_close": lambda t: "</del>",
    "link_open": lambda t: f"<a{html_attributes(t.attrs)}>",
    "link_close": lambda t: "</a>",
}


def render_inline(children: Sequence[Token]) -> str:
    """The HTML of one block's inline tokens."""
    return "".join(_INLINE.get(t.type, lambda t: escape_text(t.content))(t) for t in children)


# -- a page of its own -----------------------------------------------------------

def standalone_page(rendered: Rendered, *, title: str, css: str, base_href: str | None = None) -> str:
    """A complete HTML page for a reviewer: the body, the stylesheet inlined, no scripts.

    The post's own HTML is kept as Jekyll publishes it; a Content-Security-Policy keeps
    any script in it from running when the file is opened in a browser. Styles may be
    inline: the page's own stylesheet is (default-src alone would block it, leaving
    the reviewer an unstyled page).
    """
    base = f'<base href="{escape_attr(base_href)}">\n' if base_href else ""
    return ("<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta http-equiv=\"Content-Security-Policy\" "
            "content=\"default-src 'self' data: file: https: http:; style-src 'self' 'unsafe-inline'; "
            "script-src 'none'; object-src 'none'\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{html.escape(title)}</title>\n{base}<style>\n{css}\n</style>\n</head>\n"
            f"<body>\n<article class=\"post\">\n<header class=\"post-header\"><h1 class=\"post-title\">"
            f"{html.escape(title)}</h1></header>\n<div class=\"post-content\">\n{rendered.html}</div>\n"
            "</article>\n</body>\n</html>\n")
