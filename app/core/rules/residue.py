"""PD1xx: residue of machine drafting and structural damage.

Drafts are written in several machine passes. A pass can stop mid-sentence before an
end marker (PD101, PD102), the next one resumes with a fragment (PD103), later passes
get appended after the footer (PD104), chat tools leave citation markers and tracking
(PD105, PD108), removed markers leave a stray space (PD106), and a paragraph glued to
a `---` rule becomes a heading in kramdown (PD107).

The paragraph rules share one view of the article's prose, `prose_segments()`: top-level
paragraphs cut at marker lines (markdown-it, like kramdown, reads a `---END---` line
directly under a paragraph line as part of that paragraph).
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property
from itertools import accumulate
from typing import Iterable, Iterator

from markdown_it.token import Token

from ..findings import Edit, Finding, Span, Text
from ..markdown import tokenize
from ..parse import Block, ParsedPost, inline_text, mask_code_and_urls
from .base import ERROR, WARNING, Context, rule

MARKER = re.compile(r"^\s*-{2,}\s*END\s*-{2,}\s*$", re.IGNORECASE)
# What a line's raw text holds when MARKER matches it masked (`prose_lines` blanks code
# spans and URLs with spaces of the same length): masking can move a marker to the
# line's start but never makes a dash or a letter, so the raw line has two adjacent
# dashes, then END, then two adjacent dashes. Same flags, so END matches alike.
MARKER_HINT = re.compile(r"--.*?END.*?--", re.IGNORECASE)
IAL = re.compile(r"^\s*\{:[^}]*\}\s*$")
RULE_LINE = re.compile(r"^ {0,3}-{3,}[ \t]*$")
_COMMENT = re.compile(r"^\s*<!--.*?-->\s*$", re.DOTALL)


# -- shared views ---------------------------------------------------------------
def _cached(ctx: Context, key: str, build):
    """Compute a per-post view once, whichever rule of this family asks first."""
    key = "residue." + key
    if key not in ctx.shared:
        ctx.shared[key] = build(ctx.post)
    return ctx.shared[key]


@dataclass
class BodyText:
    """The body's file lines joined by "\n", and where each line starts in it."""

    text: str
    starts: list[int]  # offset in `text` of file line body_line + k


def body_text(post: ParsedPost) -> BodyText:
    """The body as one string (built once per post, `_cached`) for the hint scans."""
    lines = post.lines[post.body_line - 1:]
    return BodyText("\n".join(lines), list(accumulate((len(line) + 1 for line in lines[:-1]), initial=0)))


def lines_matching(ctx: Context, hint: re.Pattern) -> list[int]:
    """The body's file lines, in order, whose raw text `hint` matches somewhere.

    One scan of the whole body in C instead of a Python pass over every line. A rule
    that can only report on a line whose raw text `hint` matches (what each rule's
    hint says, and why, is written beside it) then reads just these lines. `hint`
    never matches a newline, so every match lies inside one line."""
    body = _cached(ctx, "body", body_text)
    out: list[int] = []
    for m in hint.finditer(body.text):
        line = ctx.post.body_line + bisect_right(body.starts, m.start()) - 1
        if not out or out[-1] != line:
            out.append(line)
    return out


def line_text(post: ParsedPost, line: int) -> str:
    """File line `line` of the post, or "" when the parse placed a block past the
    document's last line.

    Every line this family reads from a block's span goes through here. markdown-it
    breaks lines at a lone CR, which the Document keeps inside its line (a post of the
    bytes `\\r\\x01` is one document line but two markdown-it lines), so a block's span
    can end past `post.lines`."""
    return post.lines[line - 1] if 0 < line <= len(post.lines) else ""


def is_glued_heading(block: Block) -> bool:
    """A setext `---` heading: a paragraph glued to a `---` line (PD107's damage).
    The house style writes ATX headings only, so this is a paragraph the author meant."""
    return block.kind == "heading" and bool(block.tokens) and block.tokens[0].markup == "-"


def is_comment(post: ParsedPost, block: Block) -> bool:
    """An HTML block that is only a comment (a suppression directive, a note)."""
    return block.kind == "html" and bool(_COMMENT.match(post.source(block)))


def line_end(doc, line: int) -> int:
    """Offset just past file line `line` and its newline (the text's end for the last line)."""
    return doc.offset(line + 1) if line < len(doc.lines) else len(doc.text)


@dataclass
class Segment:
    """A run of prose lines: a top-level paragraph, or the part of one between
    marker lines or `---` lines swallowed into it."""

    line: int
    end_line: int
    tokens: list[Token]  # the block tokens holding its inline runs
    text: str  # inline markup removed
    followed_by: str | None  # "marker", "rule", "end" or None (other content)
    followed_at: int | None  # the marker's or rule's file line
    after_marker: bool  # resumes right after a marker line
    after_list: bool  # the paragraph directly follows a list

    @cached_property
    def children(self) -> list[Token]:
        """Its inline tokens, joined when first asked for: PD102 and PD103 look at
        them only for the few segments their text tests leave."""
        return _children(self.tokens)


def _following(post: ParsedPost, index: int) -> tuple[str | None, int | None]:
    """What comes after block `index`, and on which line: a marker, a `---` rule, the
    end of the body, or other content (None). Comment-only HTML blocks are looked
    through."""
    for b in post.blocks[index + 1:]:
        if is_comment(post, b):
            continue
        if b.kind == "hr":
            return "rule", b.line
        if b.kind == "paragraph" and MARKER.match(line_text(post, b.line)):
            return "marker", b.line
        return None, None
    return "end", None


def _children(tokens: list[Token]) -> list[Token]:
    """The inline tokens of a block, its inline runs joined by a line break."""
    out: list[Token] = []
    for t in tokens:
        if t.type == "inline":
            if out:
                out.append(Token("softbreak", "br", 0))
            out.extend(t.children or [])
    return out


def _divider(line: str) -> str | None:
    """What a line inside a paragraph's source divides it with: a generation marker,
    or a `---` rule swallowed into the paragraph (kramdown reads `---` under two text
    lines as text)."""
    if MARKER.match(line):
        return "marker"
    if RULE_LINE.match(line):
        return "rule"
    return None


def prose_segments(post: ParsedPost) -> list[Segment]:
    """Every article paragraph (footer blocks excluded; a paragraph glued to `---`
    included), cut at marker and `---` lines inside it. A cut piece is tokenised on
    its own (rare: only damaged paragraphs have such lines)."""
    out: list[Segment] = []
    for b in post.blocks:
        if b.is_footer or not (b.kind == "paragraph" or is_glued_heading(b)):
            continue
        last = b.end_line - 1 if b.kind == "heading" else b.end_line
        cuts = [(ln, _divider(line_text(post, ln))) for ln in range(b.line, last + 1)]
        cuts = [(ln, kind) for ln, kind in cuts if kind]
        after_list = b.index > 0 and post.blocks[b.index - 1].kind == "list"
        # A paragraph glued to `---` is followed by the rule its author meant.
        tail, tail_at = ("rule", b.end_line) if b.kind == "heading" else _following(post, b.index)
        if not cuts:
            out.append(Segment(b.line, last, b.tokens, b.text, tail, tail_at, False, after_list))
            continue
        start = b.line
        for stop, kind in cuts + [(last + 1, tail)]:
            if start < stop:
                tokens = tokenize("\n".join(post.lines[start - 1:stop - 1]))[0]
                at = stop if stop <= last else tail_at
                out.append(Segment(start, stop - 1, tokens, inline_text(_children(tokens)), kind, at,
                                   start != b.line, after_list and start == b.line))
            start = stop + 1
    return out


def _meaningful(children: list[Token]) -> list[Token]:
    """Inline tokens minus line breaks, blank text and kramdown attribute lists."""
    return [c for c in children if c.type not in ("softbreak", "hardbreak")
            and not (c.type == "text" and (not c.content.strip() or IAL.match(c.content)))]


def is_link_or_image_only(children: list[Token]) -> bool:
    """A paragraph that is only one link (with its attribute list), or only images."""
    kids = _meaningful(children)
    if not kids:
        return True
    if all(c.type == "image" for c in kids):
        return True
    return kids[0].type == "link_open" and kids[-1].type == "link_close" and \
        not any(c.type == "link_open" for c in kids[1:])


# -- PD101 ------------------------------------------------------------------------
@rule("PD101", "generation-marker", ERROR,
      title=Text("生成マーカーが残っています", "A generation marker is left in the text"),
      description=Text(
          "下書き生成の区切りとして入る `---END---` などの行が残っています。公開するとそのまま「—END—」と表示されます。",
          "A line such as `---END---`, left between drafting passes, is still in the post. "
          "Jekyll publishes it as “—END—”."),
      example="本文の段落です。\n\n---END---\n", fix="safe")
def generation_marker(ctx: Context) -> Iterator[Finding]:
    if not lines_matching(ctx, MARKER_HINT):
        return  # no raw line holds a marker's dashes and END, so no masked line is one
    for line, text in ctx.post.prose_lines():
        if MARKER.match(text):
            yield ctx.finding(
                line, Text("生成マーカー「{}」が残っています。".format(text.strip()),
                           "Generation marker “{}” left in the text.".format(text.strip())),
                col=0, end_col=len(text),
                fix=ctx.fix(Text("マーカーの行を削除", "Delete the marker line"), [ctx.delete_lines(line)]))


# -- PD102 ------------------------------------------------------------------------
SENTENCE_END = set("。．.！!？?」』）)】〕］]》〉\"”’'…‥♪〜～")
_TRAILING_NOTE = re.compile(r"(?:\[\^[^\]]+\]|\s)+$")


def ends_sentence(text: str) -> bool:
    """Whether prose ends as a sentence does: with sentence-final punctuation, a
    closing bracket or quote, or a symbol such as an emoji. Attribute-list lines and
    footnote references at the end are looked through."""
    lines = [ln for ln in text.split("\n") if not IAL.match(ln)]
    body = _TRAILING_NOTE.sub("", "\n".join(lines))
    if not body:
        return True
    last = body[-1]
    return last in SENTENCE_END or unicodedata.category(last) == "So"


def _tail(text: str, n: int = 20) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= n else "…" + flat[-n:]


def _head(text: str, n: int = 20) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= n else flat[:n] + "…"


_FOLLOWED = {"marker": ("生成マーカー", "a generation marker"), "rule": ("`---` の区切り線", "a `---` rule"),
             "end": ("本文の終わり", "the end of the body")}


@rule("PD102", "truncated-paragraph", ERROR,
      title=Text("段落が文の途中で切れています", "A paragraph stops mid-sentence"),
      description=Text(
          "生成マーカー・`---`・本文の終わりの直前の段落が、句点などの文末記号で終わっていません。"
          "生成の途中で打ち切られた文章が残っている可能性があります（リンクや画像だけの段落、フッターは対象外）。",
          "The paragraph before a generation marker, a `---` rule or the end of the body does not end "
          "with sentence-final punctuation: a drafting pass probably stopped mid-sentence (paragraphs "
          "that are only a link or an image, and the footer, are not checked)."),
      example="RAGの導入では、社内文書を検索できる状態に整えることが成功の基\n\n---END---\n")
def truncated_paragraph(ctx: Context) -> Iterator[Finding]:
    for seg in _cached(ctx, "segments", prose_segments):
        if seg.followed_by not in _FOLLOWED or is_link_or_image_only(seg.children) or ends_sentence(seg.text):
            continue
        ja, en = _FOLLOWED[seg.followed_by]
        if seg.followed_at is not None:
            ja, en = f"{seg.followed_at}行目の{ja}", f"{en} on line {seg.followed_at}"
        tail = _tail(seg.text)
        yield ctx.finding(seg.line, Text(
            f"段落が文の途中で終わり、{ja}が続いています（「{tail}」）。続きが欠けていないか確認してください。",
            f"The paragraph stops mid-sentence (“{tail}”) before {en}. Check whether the rest is missing."),
            end_line=seg.end_line,
            related=[Span(seg.followed_at)] if seg.followed_at is not None else ())


# -- PD103 ------------------------------------------------------------------------
LEADING_FRAGMENTS = ("...", "…", "、", "。", "，")
# Words written with a particle's kana that do begin sentences: conjunctions, adverbs
# and a few nouns. Checked before the particle tables below.
SENTENCE_OPENERS = (
    "にもかかわらず", "にしても", "にわかに", "にこやか", "にっこり",
    "では", "でも", "ですから", "ですが", "ですので", "でしたら",
    "とはいえ", "とはいっても", "とはいうものの", "というのも", "といっても", "というより", "というわけで",
    "ともに", "ともかく", "ともあれ", "ともすると", "ともすれば", "となると", "となれば", "とすると",
    "とすれば", "と同時に", "とある",
    "のちに", "のちほど", "のみならず", "のんびり",
    "がんば", "がっかり", "がっちり", "がらりと", "がらっと", "がぜん",
    "へえ", "へー", "へぇ",
)
# For に, で, と, の and や: followed by a hiragana, the kana usually begins a word
# (できる, とても, のちに, やはり); these hiragana continuations are the particle.
PARTICLE_COMPOUNDS = {
    "に": ("には", "にも", "にて", "にと", "によ", "にお", "につ", "にな", "にあ", "にか", "にわた", "にし", "にす"),
    "で": ("での", "であ", "です", "でし", "でな"),
    "と": ("との", "とは", "とし", "とな", "とも", "とい", "とさ", "とす", "とか", "とみ", "とお"),
    "の": ("のよう", "のため", "のは", "のが", "ので", "のに", "のも", "のみ", "のほ", "のこと", "のもの",
           "のうち", "のなか", "のとき", "のか"),
    "や": ("やその", "やこの", "やこれ", "やそれ"),
}


def _is_hiragana(ch: str) -> bool:
    return "\u3041" <= ch <= "\u309f"


def fragment_start(text: str) -> str | None:
    """The mid-sentence start of `text` (`…`, `、`, a particle), or None when the text
    can begin a sentence.

    を never begins a sentence. が and へ begin few words (がっかり, へえ). For に, で,
    と, の and や, a following kanji, katakana, Latin letter, digit or punctuation
    means the particle (`と言われ`, `の導入`); a following hiragana usually means a word
    (`できる`, `とても`, `のちに`, `やはり`) unless it is a particle compound (`には`,
    `との`, `のような`). より begins sentences as the adverb "more" (`より良い`), so only
    `よりも`, `よりは` and `より、` count.
    """
    text = text.lstrip()
    for lead in LEADING_FRAGMENTS:
        if text.startswith(lead):
            return lead
    if not text or text.startswith(SENTENCE_OPENERS):
        return None
    first = text[0]
    if first == "を":
        return "を"
    if first in "がへ":
        return first
    if text.startswith("より"):
        return "より" if text[2:3] in ("も", "は", "、", "，") else None
    if first in PARTICLE_COMPOUNDS:
        nxt = text[1:2]
        if not nxt or not _is_hiragana(nxt) or text.startswith(PARTICLE_COMPOUNDS[first]):
            return first
    return None


def _starts_with_image(children: list[Token]) -> bool:
    kids = _meaningful(children)
    return bool(kids) and kids[0].type == "image"


@rule("PD103", "resumed-fragment", WARNING,
      title=Text("段落が文の途中から始まっています", "A paragraph begins mid-sentence"),
      description=Text(
          "段落が「...」「…」「、」「。」や、文頭に来ない助詞（を・に・が・で・と・の・や・へ・より）で始まっています。"
          "生成が途中で再開され、前の文の続きだけが残っている可能性があります。"
          "「では」「でも」「とはいえ」「にもかかわらず」などの接続詞、リストの直後で文を続ける「など、」「といった」は対象外です。",
          "A paragraph begins with `...`, `…`, `、`, `。` or a particle that cannot begin a sentence "
          "(を, に, が, で, と, の, や, へ, より): a drafting pass probably resumed mid-sentence. Conjunctions "
          "such as では, でも, とはいえ, にもかかわらず, and a paragraph continuing the sentence a list "
          "interrupted (`など、…`, `といった…`), are fine."),
      example="生成AIの導入は、業務の幅\n\n---END---\n\nを大きく広げるものです。\n")
def resumed_fragment(ctx: Context) -> Iterator[Finding]:
    for seg in _cached(ctx, "segments", prose_segments):
        lead = fragment_start(seg.text)
        if lead is None or seg.after_list and lead not in ("...", "…", "。"):
            continue  # after a list, a particle or 、 continues the sentence the list interrupted
        if _starts_with_image(seg.children):
            continue  # looked at last: it walks the inline tokens, the test above only the text
        head = _head(seg.text)
        yield ctx.finding(seg.line, Text(
            f"段落が文の途中（「{lead}」）から始まっています（「{head}」）。前の文とつながっているか確認してください。",
            f"The paragraph begins mid-sentence with “{lead}” (“{head}”). Check what it continues."),
            end_line=seg.end_line)


# -- PD104 ------------------------------------------------------------------------
def stray_runs(post: ParsedPost) -> list[tuple[int, int]]:
    """Runs of consecutive non-footer blocks after the footer's start, as
    (first, last) block indexes; comment-only HTML blocks do not start a run."""
    runs: list[tuple[int, int]] = []
    start = None
    for b in post.blocks:
        stray = b.after_footer and (start is not None or not is_comment(post, b))
        if stray and start is None:
            start = b.index
        elif not stray and start is not None:
            runs.append((start, b.index - 1))
            start = None
    if start is not None:
        runs.append((start, len(post.blocks) - 1))
    return runs


def _footer_insert_line(post: ParsedPost) -> int:
    """Where moved content goes: before the `---` that opens the footer, else before
    the footer's first block."""
    k = post.footer_start or 0
    if k > 0 and post.blocks[k - 1].kind == "hr" and post.blocks[k - 1].zone == "rule":
        k -= 1
    return post.blocks[k].line


def move_above_footer(ctx: Context, runs: list[tuple[int, int]]) -> list[Edit]:
    """Edits that cut every stray run (with the rules and blank lines that separated it
    from the footer block before it) and paste the runs, in order, above the footer."""
    post, doc = ctx.post, ctx.doc
    blocks = post.blocks
    pieces, edits = [], []
    for first, last in runs:
        start_line, end_line = blocks[first].line, blocks[last].end_line
        pieces.append("\n".join(post.lines[start_line - 1:end_line]))
        p = first - 1
        while blocks[p].zone == "rule":
            p -= 1
        cut_from = blocks[p].end_line + 1
        cut_to = end_line
        if not any(ln.strip() for ln in post.lines[end_line:]):
            cut_to = len(post.lines)  # nothing follows: trailing blank lines go too
        edits.append(Edit(doc.offset(cut_from), line_end(doc, cut_to), ""))
    at = _footer_insert_line(post)
    prefix = "" if at <= 1 or not line_text(post, at - 1).strip() else "\n"
    edits.append(Edit(doc.offset(at), doc.offset(at), prefix + "\n\n".join(pieces) + "\n\n"))
    return edits


@rule("PD104", "content-after-footer", ERROR,
      title=Text("フッターの後に本文があります", "Article content follows the footer"),
      description=Text(
          "関連記事・CTA・おすすめ書籍・アフィリエイトの表示からなるフッターの後に、本文の段落や見出しが続いています。"
          "後から生成された文章が末尾に追記された状態で、読者にはフッターが記事の途中に見えます。"
          "修正ではその内容をフッターの上へ移します（要確認）。",
          "Paragraphs or headings follow the footer (related posts, CTA, books, disclosure): a later "
          "drafting pass was appended after it, so readers see the footer in the middle of the article. "
          "The fix moves the stray content above the footer (review it)."),
      example="## おすすめ書籍\n\n### [本](https://www.amazon.co.jp/dp/4000000001/?tag=example-22)\n\n"
              "### 8. 追加の節\n\n後から追記された段落です。\n",
      fix="unsafe")
def content_after_footer(ctx: Context) -> Iterator[Finding]:
    post = ctx.post
    runs = stray_runs(post)
    if not runs or post.footer_start is None:
        return
    first, last = runs[0]
    line, end_line = post.blocks[first].line, post.blocks[last].end_line
    footer_line = post.blocks[post.footer_start].line
    total = sum(post.blocks[b].end_line - post.blocks[a].line + 1 for a, b in runs)
    yield ctx.finding(line, Text(
        f"{footer_line}行目から始まるフッターの後に本文が続いています（{len(runs)}か所、計{total}行）。",
        f"Article content follows the footer that starts on line {footer_line} "
        f"({len(runs)} run(s), {total} lines)."),
        end_line=end_line, related=[Span(footer_line)],
        fix=ctx.fix(Text("フッターの上へ移動", "Move it above the footer"), move_above_footer(ctx, runs)))


# -- PD105 ------------------------------------------------------------------------
_PUA = "[\ue200-\ue2ff]?"
CITATION = re.compile(
    r"\[cite:[^\]\n]*\]"
    r"|\[cite_(?:start|end)\]"
    r"|:contentReference\[oaicite:\d+\]\{index=\d+\}"
    r"|【\d+(?::\d+)?†[^】\n]*】"
    rf"|{_PUA}(?:file)?cite{_PUA}(?:turn\d+[a-z]+\d+{_PUA})+"
    r"|(?<![A-Za-z0-9])turn\d+(?:search|news|view|fetch|file|image|product|finance|sports|forecast)\d+"
    r"|\[web:\d+\]",
    re.IGNORECASE)
# What every CITATION match contains (`[cite`, `[web:`, `:contentReference`, `【`,
# `turn` and a digit, in any case): a much cheaper scan. Every branch opens with a
# case-less literal (`t` and `T` spelled out; no other character matches `t` ignoring
# case), which lets the regex engine skip ahead to those characters. A masked line's
# match is made of unmasked characters (NUL is in no marker), so the raw line holds
# the hint too.
CITATION_HINT = re.compile(r"\[(?i:cite|web:)|:(?i:contentreference)|【|t(?i:urn)\d|T(?i:urn)\d")


def masked_prose(post: ParsedPost, lines: Iterable[int]) -> Iterator[tuple[int, str]]:
    """(file line, text) for each of `lines` outside code and HTML blocks, inline code
    spans and URLs blanked with NUL, so a blanked position is never mistaken for
    prose or a space."""
    for ln in lines:
        if ln not in post.code_lines:
            yield ln, mask_code_and_urls(post.lines[ln - 1], fill="\0")


def body_lines(post: ParsedPost) -> range:
    """Every file line of the body: what a rule reads without a hint."""
    return range(post.body_line, len(post.lines) + 1)


@rule("PD105", "citation-residue", ERROR,
      title=Text("引用マーカーが残っています", "A citation marker is left in the text"),
      description=Text(
          "下書きツールやチャットAIが入れる引用マーカー（`[cite: …]`、`[cite_start]`、"
          "`:contentReference[oaicite:0]{index=0}`、`【4†source】`、`turn0search0`、`[web:1]` など）が本文に残っています。"
          "コードの中は対象外です。修正ではマーカーを直前の空白ごと削除します。",
          "A citation marker left by a drafting tool or chat assistant (`[cite: …]`, `[cite_start]`, "
          "`:contentReference[oaicite:0]{index=0}`, `【4†source】`, `turn0search0`, `[web:1]`, …) is in the "
          "text. Code is not checked. The fix deletes the marker and the space before it."),
      example="中小企業の導入率は約3割です [cite: 調査会社A]。\n", fix="safe")
def citation_residue(ctx: Context) -> Iterator[Finding]:
    yield from citations(ctx, lines_matching(ctx, CITATION_HINT))


def citations(ctx: Context, lines: Iterable[int]) -> Iterator[Finding]:
    """PD105's findings on `lines` (the rule passes only the lines holding its hint;
    no marker spans lines, so nearly every post has none to read)."""
    for line, text in masked_prose(ctx.post, lines):
        matches = list(CITATION.finditer(text))
        only_markers = matches and not CITATION.sub("", text).strip(" \t\0")
        for m in matches:
            start = m.start()
            while start > 0 and text[start - 1] in " \t":
                start -= 1
            edit = ctx.delete_lines(line) if only_markers else ctx.replace_in_line(line, start, m.end(), "")
            yield ctx.finding(line, Text(
                f"引用マーカー「{m.group(0)}」が残っています。", f"Citation marker “{m.group(0)}” left in the text."),
                col=m.start(), end_col=m.end(),
                fix=ctx.fix(Text("マーカーを削除", "Delete the marker"), [edit]))


# -- PD106 ------------------------------------------------------------------------
def _is_word(ch: str) -> bool:
    """Kanji, kana, Latin letters and digits (full- or half-width): what a space must
    not separate from hiragana in house style."""
    if not ch or ch == "\0":
        return False
    if ch.isalnum():
        return True
    return unicodedata.name(ch, "").startswith(("CJK UNIFIED", "HIRAGANA", "KATAKANA"))


STRAY_SPACE = re.compile(r"(?<=[^\s\0]) +(?=[^\s\0])")
# A reported space run touches a hiragana (`_is_hiragana`) on one side, and masking
# (NUL, same length) neither makes spaces nor kana: the raw line holds the pair too.
STRAY_HINT = re.compile("[ ](?:(?<=[\u3041-\u309f] )|(?=[\u3041-\u309f]))")  # a space, then look around it


@rule("PD106", "stray-space", WARNING,
      title=Text("不要な半角スペースがあります", "A stray half-width space"),
      description=Text(
          "ひらがなと、漢字・かな・英数字の間に半角スペースがあります（`無料 であり`、`A社 のような`）。"
          "引用マーカーを消した跡によく残ります。この媒体では英単語の前後にもスペースを入れません。"
          "句読点の後（`？ そして`）、コードとURLは対象外です。",
          "A half-width space between hiragana and a kanji, kana, Latin letter or digit (`無料 であり`, "
          "`A社 のような`), often where a citation marker was removed. House style puts no spaces around "
          "Latin words either. Not after punctuation (`？ そして`), not in code or URLs."),
      example="利用料は無料 であり、すぐに試せます。\n", fix="safe")
def stray_space(ctx: Context) -> Iterator[Finding]:
    yield from stray_spaces(ctx, lines_matching(ctx, STRAY_HINT))


def stray_spaces(ctx: Context, lines: Iterable[int]) -> Iterator[Finding]:
    """PD106's findings on `lines` (the rule passes only the lines holding a space
    beside a hiragana: a few in a post)."""
    for line, text in masked_prose(ctx.post, lines):
        for m in STRAY_SPACE.finditer(text):
            left, right = text[m.start() - 1], text[m.end()]
            if not (_is_word(left) and _is_word(right) and (_is_hiragana(left) or _is_hiragana(right))):
                continue
            raw = ctx.post.lines[line - 1]
            around = raw[max(0, m.start() - 6):m.end() + 6]
            yield ctx.finding(line, Text(
                f"「{around}」に不要な半角スペースがあります。", f"Stray half-width space in “{around}”."),
                col=m.start(), end_col=m.end(),
                fix=ctx.fix(Text("スペースを削除", "Delete the space"),
                            [ctx.replace_in_line(line, m.start(), m.end(), "")]))


# -- PD107 ------------------------------------------------------------------------
@dataclass
class Glued:
    """A paragraph or list item that the parse turned into a setext heading."""

    line: int  # its last text line
    underline: int  # the `---` line
    text: str  # the heading's text, markup removed
    in_list: bool  # inside a list item (kramdown: `<li><h2>`, and no rule)


def glued_headings(post: ParsedPost) -> list[Glued]:
    """Every setext `-` heading of the one parse, at any depth: exactly what the
    preview and kramdown show as an accidental `<h2>`.

    Read from the tokens, not from the lines, so that PD107 and the renderer cannot
    disagree: markdown.py already applies kramdown's conditions (one line of text,
    after a block boundary; a two-line paragraph swallows the `---` as text; the last
    item of a list takes the `---` as a lazy line and makes it a heading)."""
    out: list[Glued] = []
    tokens = post.tokens
    for k, t, in_list in tokens_in_lists(tokens):
        if t.type == "heading_open" and t.markup == "-" and t.map:
            underline = post.body_line + t.map[1] - 1
            inline = tokens[k + 1] if k + 1 < len(tokens) else None
            text = inline_text(inline.children) if inline is not None else ""
            out.append(Glued(underline - 1, underline, text, in_list))
    return out


def tokens_in_lists(tokens: list) -> Iterator[tuple[int, object, bool]]:
    """(index, token, inside a list item?) for every token of the parse."""
    lists = 0  # list items open around the current token
    for k, t in enumerate(tokens):
        if t.type == "list_item_open":
            lists += 1
        elif t.type == "list_item_close":
            lists -= 1
        yield k, t, lists > 0


@dataclass
class Swallowed:
    """A `---` line the parse reads as more text of the paragraph above it."""

    line: int  # the paragraph's line just above the `---`
    rule: int  # the `---` line
    text: str  # the paragraph's text, markup removed
    in_list: bool  # the paragraph is a list item's


def swallowed_rules(post: ParsedPost) -> list[Swallowed]:
    """Every `---` line that kramdown prints as a dash inside a paragraph, at any depth.

    A two-line paragraph over `---`, a paragraph right under a heading, one over an
    indented `   ---`, a list item with a lazy line: none is a setext heading, the
    `---` becomes "—" at the end of the text and the rule the editor meant is gone.
    Read from the paragraphs' own text as the one parse built it (markdown.py appends
    the swallowed line to it), so PD107 and the preview agree."""
    out: list[Swallowed] = []
    tokens = post.tokens
    for k, t, in_list in tokens_in_lists(tokens):
        if t.type == "paragraph_open" and t.map and k + 1 < len(tokens):
            inline = tokens[k + 1]
            for n, text in enumerate(inline.content.split("\n")[1:], start=1):
                if RULE_LINE.match(text):
                    rule_line = post.body_line + t.map[0] + n
                    out.append(Swallowed(rule_line - 1, rule_line, inline_text(inline.children or []),
                                         in_list))
    return out


@rule("PD107", "accidental-heading", ERROR,
      title=Text("段落が `---` とつながり見出しになっています", "A paragraph glued to `---` becomes a heading"),
      description=Text(
          "段落の行やリストの最後の項目の直後に、空行をはさまず `---` の行があります。"
          "Jekyll（kramdown）では段落が大きなH2見出しとして表示され、リストでは項目の中に見出しができて区切り線が消えます。"
          "二行以上の段落や見出しの直後の段落では `---` が段落の一部として読まれ、ダッシュ「—」が表示されて区切り線が消えます。"
          "修正では間に空行を入れます。",
          "A paragraph line, or the last line of a list item, is directly followed by a `---` line. "
          "Jekyll's kramdown renders the paragraph as a big H2 heading, and in a list the item becomes "
          "a heading and the rule disappears. Under a paragraph of several lines (or one right under a "
          "heading) the `---` is read as part of the paragraph: it shows as a dash “—” and the rule "
          "disappears. The fix inserts the blank line."),
      example="あなたの会社では、どの業務から始めますか？\n---\n", fix="safe")
def accidental_heading(ctx: Context) -> Iterator[Finding]:
    for g in glued_headings(ctx.post):
        head = _head(g.text)
        if g.in_list:
            message = Text(
                f"リストの項目「{head}」の直後（{g.underline}行目）に空行なしで `---` があり、項目が見出しとして表示され、"
                "区切り線は消えます。間に空行を入れてください。",
                f"The list item “{head}” is directly followed by the `---` on line {g.underline}: the item "
                "renders as a heading and the rule disappears. Insert a blank line between them.")
        else:
            message = Text(
                f"段落「{head}」の直後（{g.underline}行目）に空行なしで `---` があり、段落が大きな見出しとして表示されます。"
                "間に空行を入れてください。",
                f"The paragraph “{head}” is directly followed by the `---` on line {g.underline} and renders "
                "as a big heading. Insert a blank line between them.")
        yield _blank_line_finding(ctx, g.line, g.underline, message)
    for sw in swallowed_rules(ctx.post):
        head = _head(sw.text)
        what = (f"リストの項目「{head}」", f"the list item “{head}”") if sw.in_list \
            else (f"段落「{head}」", f"the paragraph “{head}”")
        yield _blank_line_finding(ctx, sw.line, sw.rule, Text(
            f"{sw.rule}行目の `---` は{what[0]}の一部として読まれ、ダッシュ「—」として表示されます。"
            "区切り線は消えます。間に空行を入れてください。",
            f"The `---` on line {sw.rule} is read as part of {what[1]} and shows as a dash “—”; "
            "the separator disappears. Insert a blank line between them."))


def _blank_line_finding(ctx: Context, line: int, rule_line: int, message: Text) -> Finding:
    """PD107's finding on `line`, pointing at the `---` line, fixed by a blank line above it."""
    return ctx.finding(line, message, related=[Span(rule_line)],
                       fix=ctx.fix(Text("空行を挿入", "Insert a blank line"),
                                   [ctx.insert_at_line(rule_line, "\n")]))


# -- PD108 ------------------------------------------------------------------------
CHAT_SOURCES = re.compile(
    r"(?:chatgpt|openai|perplexity|claude|anthropic|copilot|gemini|bard|deepseek|mistral|grok|poe|you\.com)"
    r"(?:\.[a-z.]+)?", re.IGNORECASE)
UTM_SOURCE = re.compile(r"([?&])utm_source=([^&#\s)\]>\"']*)(&?)", re.IGNORECASE)
# The start of every UTM_SOURCE match, same flags; masking (NUL) makes none of it.
# Spelled from its `_` on: a pattern opening with a case-less literal is scanned for
# at memchr speed (ten times faster here), and the lookbehind then checks the whole
# `?utm_source=`.
UTM_HINT = re.compile(r"_(?i:source=)(?<=[?&](?i:utm_source=))")


@rule("PD108", "chat-tool-tracking", WARNING,
      title=Text("チャットAIの追跡パラメーターが付いています", "A link carries a chat assistant's tracking"),
      description=Text(
          "リンクに、チャットAIの回答をコピーしたときに付く `utm_source=chatgpt.com`（openai、perplexity、"
          "claude.ai、copilot、gemini など）が残っています。リンク先のアクセス解析に誤った流入元が記録されます。"
          "修正ではパラメーターを削除します。",
          "A link carries the tracking a chat assistant adds when its answer is copied "
          "(`utm_source=chatgpt.com`, openai, perplexity, claude.ai, copilot, gemini, …); the target "
          "site's analytics record a wrong source. The fix removes the parameter."),
      example="[総務省の調査](https://www.soumu.go.jp/report.html?utm_source=chatgpt.com)\n", fix="safe")
def chat_tool_tracking(ctx: Context) -> Iterator[Finding]:
    yield from chat_trackings(ctx, lines_matching(ctx, UTM_HINT))


def chat_trackings(ctx: Context, lines: Iterable[int]) -> Iterator[Finding]:
    """PD108's findings on `lines` (the rule passes only the lines holding
    `utm_source=`: about one a post, its CTA's)."""
    post = ctx.post
    fenced = {ln for b in post.blocks if b.kind == "code" for ln in range(b.line, b.end_line + 1)}
    for line in lines:
        if line in fenced:
            continue
        text = mask_code_and_urls(post.lines[line - 1], fill="\0", urls=False)
        for m in UTM_SOURCE.finditer(text):
            value = m.group(2)
            if not CHAT_SOURCES.fullmatch(value):
                continue
            amp = m.group(3)
            # `?utm_source=x&b` -> `?b`; as the last parameter, the `?` or `&` before it goes too.
            start = m.start() + 1 if amp else m.start()
            yield ctx.finding(line, Text(
                f"リンクにチャットAIの追跡パラメーター「utm_source={value}」が付いています。",
                f"The link carries a chat assistant's tracking “utm_source={value}”."),
                col=m.start() + 1, end_col=m.end() - len(amp),
                fix=ctx.fix(Text("パラメーターを削除", "Remove the parameter"),
                            [ctx.replace_in_line(line, start, m.end(), "")]))
