"""PD4xx: affiliate links and their disclosure.

An affiliate link is a link whose host a programme in `affiliate.programs` lists
(`ParsedPost.is_affiliate`). Japan's stealth-marketing rules (since October 2023) and
the US FTC want the reader told before or beside the link; Amazon Associates Japan
also requires its statement somewhere prominent on the site.

What counts as a disclosure is decided here (`is_disclosure_block`): the patterns
include short words (`広告`, `PR`) that ordinary prose uses all the time (広告費の削減,
PR活動), so a paragraph is a disclosure only when it is short, mentions a pattern as
a word of its own (not inside a compound such as 広告費 or PR活動), and reads as a
notice: set off as a note (italic, `※`, `<small>`), labelled (`【PR】`, `広告：`), or a
statement about this page (本記事は…を含みます).
"""
from __future__ import annotations

import os
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator
from urllib.parse import urlsplit

from ..config import Program
from ..findings import Edit, Finding, Span, Text
from ..parse import Block, Link, ParsedPost, collapse
from ..site import Site
from .base import ERROR, WARNING, Context, rule
from .links import query_edits

MAX_DISCLOSURE_CHARS = 200
_SHORT_PATTERN = 2  # patterns this short must stand as words of their own
_COMPOUND_OK_AFTER = ("記事", "表記")  # PR記事, 広告表記 still name the page as an ad
_NOTE_LEAD = ("※", "<small", "（※", "(※", "＊", "注：", "注:")
_SELF_REFERENCE = re.compile(r"本記事|本ページ|この記事|このページ|当記事|当ページ|当サイト|本サイト|このサイト|当ブログ|本ブログ")
_CONTAINS = re.compile(r"含ま|含み|含む|掲載|利用して|使用して|参加して")
_LABEL_OPEN, _LABEL_CLOSE = "[【［（(〔<", "]】］）)〕>:："
_TAG = re.compile(r"<[^>]+>")
_AMAZON_HOST = re.compile(r"(?:^|\.)(?:amazon\.[a-z.]+|amzn\.(?:to|asia)|a\.co)$")
_SHORT_HOSTS = ("amzn.to", "amzn.asia", "a.co")
_PRODUCT_PATH = re.compile(r"/(?:dp|gp/product|gp/aw/d|exec/obidos/ASIN|o/ASIN)/", re.IGNORECASE)


# -- disclosures ----------------------------------------------------------------

def _is_word_char(ch: str) -> bool:
    """Kanji, katakana or an ASCII letter/digit: characters that glue into a compound."""
    if not ch:
        return False
    if ch.isascii():
        return ch.isalnum()
    name = unicodedata.name(ch, "")
    return name.startswith(("CJK UNIFIED", "KATAKANA")) or ch == "ー"


def _standalone(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is a word of its own, not part of 広告費 / ネット広告 /
    PR活動 / PROMPT / `PR TIMES`."""
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    if _is_word_char(before):
        return False
    if _is_word_char(after) and not text.startswith(_COMPOUND_OK_AFTER, end):
        return False
    if text[start:end].isascii() and after == " " and text[end + 1:end + 2].isupper():
        return False  # "PR TIMES": part of a name
    return True


@lru_cache(maxsize=None)
def _literal(pattern: str) -> re.Pattern:
    return re.compile(re.escape(pattern))


def mentions_disclosure(text: str, patterns: list[str]) -> list[int]:
    """Offsets in `text` where a disclosure pattern is used as a word of its own."""
    hits = []
    for p in patterns:
        if p not in text:
            continue  # finditer would find nothing: most blocks, without a regex
        for m in _literal(p).finditer(text):
            if len(p) > _SHORT_PATTERN or _standalone(text, m.start(), m.end()):
                hits.append(m.start())
    return sorted(hits)


def _raw_block_text(post: ParsedPost, block: Block) -> str:
    """The block's text before `collapse`: an HTML block's source without its tags."""
    return _TAG.sub("", post.source(block)) if block.kind == "html" else block.text


def _block_text(post: ParsedPost, block: Block) -> str:
    return collapse(_raw_block_text(post, block))


def is_disclosure_block(post: ParsedPost, block: Block) -> bool:
    """Whether a block tells the reader the page holds ads (see the module's doc)."""
    if block.kind not in ("paragraph", "html"):
        return False
    # `collapse` of an article paragraph is already remembered from PD202's units;
    # a character-class pre-check here cost more than it saved: tech prose holds the
    # letters of "PR" (ChatGPT, API) in most paragraphs.
    text = _block_text(post, block)
    if not text or len(text) > MAX_DISCLOSURE_CHARS:
        return False
    hits = mentions_disclosure(text, post.config["affiliate"]["disclosure_patterns"])
    if not hits:
        return False
    raw = post.source(block).strip()
    if block.kind == "html" or raw.startswith(_NOTE_LEAD) or text.startswith(_NOTE_LEAD):
        return True
    if raw[:1] in "*_" and raw[-1:] in "*_":
        return True  # the whole line set in italics (or bold), as a note
    if _labelled(text, hits[0]):
        return True
    return bool(_SELF_REFERENCE.search(text)) and any(_CONTAINS.search(text, h, h + 20) for h in hits)


def _labelled(text: str, hit: int) -> bool:
    """`【PR】…`, `[広告] …`, `PR：…`: the pattern opens the text as a label."""
    head = text[:hit].strip()
    if head and not (len(head) == 1 and head in _LABEL_OPEN):
        return False
    close = re.escape(_LABEL_CLOSE)
    return re.match(r"[^\s%s]{1,8}\s*[%s]" % (close, close), text[hit:]) is not None


def disclosure_blocks(post: ParsedPost) -> list[Block]:
    return [b for b in post.blocks if is_disclosure_block(post, b)]


def _post_disclosures(ctx: Context) -> list[Block]:
    """`disclosure_blocks` of the context's post, computed once per post: PD401 and
    PD402 both need it, and it classifies every block of the post."""
    if "affiliate.disclosures" not in ctx.shared:
        ctx.shared["affiliate.disclosures"] = disclosure_blocks(ctx.post)
    return ctx.shared["affiliate.disclosures"]


def affiliate_links(post: ParsedPost) -> list[Link]:
    """Affiliate links in document order (images and links inside code are not)."""
    return [l for l in post.links if not l.image and post.is_affiliate(l)]


def _post_affiliate_links(ctx: Context) -> list[Link]:
    """`affiliate_links` of the context's post, found once per post for PD401–PD404."""
    if "affiliate.links" not in ctx.shared:
        ctx.shared["affiliate.links"] = affiliate_links(ctx.post)
    return ctx.shared["affiliate.links"]


def _disclosure_at(ctx: Context, block: Block) -> Edit:
    """The edit inserting the configured disclosure before `block`."""
    return ctx.insert_at_line(block.line, ctx.config["affiliate"]["disclosure_text"].strip() + "\n\n")


def _disclosure_at_end(ctx: Context) -> Edit:
    """The edit appending the configured disclosure after a `---`, as the footer's last block."""
    doc = ctx.doc
    end = len(doc.text.rstrip())
    return Edit(end, len(doc.text), "\n\n---\n\n" + ctx.config["affiliate"]["disclosure_text"].strip() + "\n")


def _before_first_link(config) -> bool:
    return config["affiliate"]["disclosure_position"] == "before_first_link"


# -- PD401 ----------------------------------------------------------------------

@rule("PD401", "missing-disclosure", ERROR,
      title=Text("アフィリエイトの表示がありません", "Affiliate links without a disclosure"),
      description=Text(
          "アフィリエイトリンクがあるのに、広告であることの表示（`affiliate.disclosure_patterns` に合う短い注記）がありません。"
          "本文中の「広告費」「PR活動」のような語は表示とみなしません。修正は `affiliate.disclosure_text` を "
          "`disclosure_position` の位置（最初のアフィリエイトリンクの前、または末尾）に挿入します。",
          "The post has affiliate links and no disclosure (a short notice matching `affiliate.disclosure_patterns`; "
          "prose such as 広告費 or PR活動 is not one). The fix inserts `affiliate.disclosure_text` at "
          "`disclosure_position`: before the first affiliate link, or at the end."),
      example="### [書籍](https://www.amazon.co.jp/dp/4000000001/?tag=example-22)\n", fix="safe")
def missing_disclosure(ctx: Context) -> Iterator[Finding]:
    post = ctx.post
    links = _post_affiliate_links(ctx)
    if not links or _post_disclosures(ctx):
        return
    first = links[0]
    edit = _disclosure_at(ctx, post.blocks[first.block]) if _before_first_link(ctx.config) else _disclosure_at_end(ctx)
    where = ("最初のリンクの前" if _before_first_link(ctx.config) else "末尾")
    fix = ctx.fix(Text(f"アフィリエイトの表示を{where}に挿入",
                       "Insert the affiliate disclosure " + ("before the first link" if where != "末尾" else "at the end")),
                  [edit])
    yield ctx.finding(first.line, Text(
        f"アフィリエイトリンクが {len(links)} 件ありますが、広告であることの表示がありません。",
        f"{len(links)} affiliate link(s) and no disclosure that the page contains ads."), fix=fix)


# -- PD402 ----------------------------------------------------------------------

@rule("PD402", "late-disclosure", WARNING,
      title=Text("アフィリエイトの表示がリンクより後にあります", "The affiliate disclosure comes after the links"),
      description=Text(
          "`disclosure_position: before_first_link`（既定）のとき、最初の広告表示が最初のアフィリエイトリンクより後にあります。"
          "ステルスマーケティング規制（2023年10月施行）も米FTCも、リンクの前か近くでの表示を求めています。"
          "修正（要確認）は表示をリンクの前に移動します。",
          "With `disclosure_position: before_first_link` (the default), the first disclosure comes after the first "
          "affiliate link. Japan's stealth-marketing rules (since October 2023) and the US FTC want the reader told "
          "before or beside the link. The fix (to review) moves the disclosure before the link."),
      example="### [書籍](https://www.amazon.co.jp/dp/4000000001/?tag=example-22)\n\n---\n\n"
              "*※ 本ページのリンクにはアフィリエイトリンクが含まれます。*\n", fix="unsafe")
def late_disclosure(ctx: Context) -> Iterator[Finding]:
    post = ctx.post
    if not _before_first_link(ctx.config):
        return
    links = _post_affiliate_links(ctx)
    if not links:
        return
    notes = _post_disclosures(ctx)
    if not notes:
        return
    first, note = links[0], notes[0]
    if note.index <= first.block:
        return
    fix = ctx.fix(Text("表示を最初のアフィリエイトリンクの前に移動", "Move the disclosure before the first affiliate link"),
                  [ctx.insert_at_line(post.blocks[first.block].line, post.source(note).strip() + "\n\n"),
                   _delete_note(ctx, note)])
    yield ctx.finding(first.line, Text(
        f"広告の表示（{note.line} 行目）が最初のアフィリエイトリンクより後にあります。リンクの前に置いてください。",
        f"The disclosure (line {note.line}) comes after the first affiliate link; put it before the link."),
        related=[Span(note.line, note.end_line if note.end_line != note.line else None)], fix=fix)


def _delete_note(ctx: Context, note: Block) -> Edit:
    """Delete a disclosure block, with the `---` before it when the disclosure was the
    only thing between that rule and the next one (or the end)."""
    blocks = ctx.post.blocks
    start = note.line
    before = blocks[note.index - 1] if note.index > 0 else None
    after = blocks[note.index + 1] if note.index + 1 < len(blocks) else None
    if before is not None and before.kind == "hr" and (after is None or after.kind == "hr"):
        start = before.line
    return ctx.delete_lines(start, note.end_line)


# -- PD403 ----------------------------------------------------------------------

_LAYOUT_TEXT: dict[Path, tuple[tuple, str]] = {}


def _normalise(text: str) -> str:
    """For statement search: NFKC, tags and all whitespace removed."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", _TAG.sub("", text)))


# Code-point ranges holding every character that NFKD changes (Unicode 14; a test
# checks the running Python's tables against them). Coarse on purpose: the exact
# set is computed from them once per process (`_sources_of`).
_DECOMPOSABLE_RANGES = (
    (0x00A0, 0x017F), (0x01A0, 0x0233), (0x02B0, 0x02E4), (0x0340, 0x0344), (0x0374, 0x0477), (0x04C1, 0x04F9),
    (0x0587, 0x0587), (0x0622, 0x0626), (0x0675, 0x0678), (0x06C0, 0x06D3), (0x0929, 0x0934), (0x0958, 0x095F),
    (0x09CB, 0x09DF), (0x0A33, 0x0A36), (0x0A59, 0x0A5E), (0x0B48, 0x0B5D), (0x0B94, 0x0B94), (0x0BCA, 0x0BCC),
    (0x0C48, 0x0C48), (0x0CC0, 0x0CCB), (0x0D4A, 0x0D4C), (0x0DDA, 0x0DDE), (0x0E33, 0x0E33), (0x0EB3, 0x0EB3),
    (0x0EDC, 0x0EDD), (0x0F0C, 0x0F0C), (0x0F43, 0x0FB9), (0x1026, 0x1026), (0x10FC, 0x10FC), (0x1B06, 0x1B12),
    (0x1B3B, 0x1B43), (0x1D2C, 0x1D78), (0x1D9B, 0x1DBF), (0x1E00, 0x20A8), (0x2100, 0x21CF), (0x2204, 0x2289),
    (0x22AC, 0x22AF), (0x22E0, 0x22ED), (0x2329, 0x232A), (0x2460, 0x24EA), (0x2A0C, 0x2A0C), (0x2A74, 0x2A76),
    (0x2ADC, 0x2ADC), (0x2C7C, 0x2C7D), (0x2D6F, 0x2D6F), (0x2E9F, 0x2E9F), (0x2EF3, 0x2FD5), (0x3000, 0x3000),
    (0x3036, 0x30FF), (0x3131, 0x319F), (0x3200, 0x33FF), (0xA69C, 0xA69D), (0xA770, 0xA770), (0xA7F2, 0xA7F9),
    (0xAB5C, 0xAB69), (0xAC00, 0xD7A3), (0xF900, 0xFAD9), (0xFB00, 0xFBB1), (0xFBD3, 0xFDC7), (0xFDF0, 0xFFEE),
    (0x10781, 0x107BA), (0x1109A, 0x110AB), (0x1112E, 0x1112F), (0x1134B, 0x1134C), (0x114BB, 0x114BE),
    (0x115BA, 0x115BB), (0x11938, 0x11938), (0x1D15E, 0x1D164), (0x1D1BB, 0x1D1C0), (0x1D400, 0x1D7FF),
    (0x1EE00, 0x1EEBB), (0x1F100, 0x1F16C), (0x1F190, 0x1F190), (0x1F200, 0x1F251), (0x1FBF0, 0x1FBF9),
    (0x2F800, 0x2FA1D),
)
_SOURCES: dict[str, list[str]] = {}
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _sources_of(c: str) -> list[str]:
    """Every character whose NFKD holds `c` (fullwidth forms, kana with voicing
    marks, compatibility ideographs…), in code-point order. The index of every
    character NFKD changes is built once per process."""
    if not _SOURCES:
        for start, end in _DECOMPOSABLE_RANGES:
            for code in range(start, end + 1):
                d = chr(code)
                nfkd = unicodedata.normalize("NFKD", d)
                if nfkd != d:
                    for part in dict.fromkeys(nfkd):
                        _SOURCES.setdefault(part, []).append(d)
    return _SOURCES.get(c, [])


class CharClass:
    """A set of characters as two patterns (BMP, then beyond): a class of BMP
    characters only compiles to a fast bitmap, and one with astral characters scans
    several times slower, so that part is searched only in a text holding one."""

    def __init__(self, chars: Iterable[str]):
        chars = sorted(set(chars))
        self.bmp = self._compile([c for c in chars if c <= "\uffff"])
        self.astral = self._compile([c for c in chars if c > "\uffff"])

    @staticmethod
    def _compile(chars: list[str]) -> re.Pattern | None:
        return re.compile("[%s]" % "".join(map(re.escape, chars))) if chars else None

    def search(self, text: str) -> bool:
        """Whether `text` holds a character of the set."""
        if self.bmp is not None and self.bmp.search(text):
            return True
        return self.astral is not None and _ASTRAL.search(text) is not None and self.astral.search(text) is not None


@lru_cache(maxsize=None)
def _sources(c: str) -> CharClass:
    """The characters whose NFKD holds `c`."""
    return CharClass(_sources_of(c))


def could_hold(text: str, needed: frozenset[str]) -> bool:
    """Whether `_normalise(text)` can contain every character of `needed` (NFKD
    characters): NFKC of the whole post costs more than every other PD403 step, and
    most posts lack some character of a programme's statement. Exact as a filter:
    every character of the normalised text decomposes into characters of `text` or
    into the decompositions of its decomposable characters. A needed character
    missing from `text` is looked for only among the few characters that decompose
    into it (`_sources`), and the first one that cannot arise settles it."""
    return all(c in text or _sources(c).search(text) for c in needed)


@lru_cache(maxsize=None)
def statement_chars(statement: str) -> frozenset[str]:
    """The characters any match of `statement_pattern(statement)` holds, as NFKD
    characters (the 当サイト placeholder excluded)."""
    return frozenset(unicodedata.normalize("NFKD", "".join(_normalise(statement).split("当サイト"))))


def layout_text(site: Site) -> str:
    """The normalised text of the site's `_layouts/` and `_includes/`, read once per
    version of those files (cached by site root; validated by the files' mtimes and
    sizes, so a batch of thousands of posts reads them once)."""
    stamp = _layout_stamp(site.root)
    hit = _LAYOUT_TEXT.get(site.root)
    if hit is not None and hit[0] == stamp:
        return hit[1]
    parts = []
    for name, _, _ in stamp:
        try:
            parts.append(Path(name).read_bytes().decode("utf-8", errors="replace"))
        except OSError:
            continue
    text = _normalise("\n".join(parts))
    _LAYOUT_TEXT[site.root] = (stamp, text)
    return text


def _layout_stamp(root: Path) -> tuple[tuple[str, int, int], ...]:
    """(path, mtime_ns, size) of every file under `_layouts/` and `_includes/`, in
    path order: what `layout_text` checks its cache against on every post asking.

    One `os.scandir` walk whose entries carry their own stat (`Path.rglob` plus two
    `stat` calls a file cost some 0.3 ms a post, with two layout files). Like
    `rglob`, it does not descend into a symbolic link to a folder; a link to a file
    counts as that file."""
    found: list[tuple[tuple[str, ...], str, int, int]] = []

    def walk(folder: str, parts: tuple[str, ...]) -> None:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            return
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    walk(entry.path, parts + (entry.name,))
                elif entry.is_file():
                    info = entry.stat()
                    found.append((parts + (entry.name,), entry.path, info.st_mtime_ns, info.st_size))
            except OSError:
                continue

    for folder in ("_layouts", "_includes"):
        walk(os.path.join(root, folder), (folder,))
    return tuple((path, mtime, size) for _, path, mtime, size in sorted(found))


@lru_cache(maxsize=None)
def statement_pattern(statement: str) -> re.Pattern:
    """The statement as a search pattern; `当サイト` stands for the site's name
    (Amazon's wording is 「Amazonのアソシエイトとして、[サイト名]は…」)."""
    norm = _normalise(statement)
    pieces = [re.escape(p) for p in norm.split("当サイト")]
    return re.compile(r"[^。、]{1,40}?".join(pieces))


@rule("PD403", "missing-program-statement", WARNING,
      title=Text("アフィリエイトプログラムの必須表記がありません", "A programme's required statement is missing"),
      description=Text(
          "`required_statement` のあるプログラム（Amazonアソシエイトなど）のリンクがあるのに、その表記が記事にもサイトの "
          "`_layouts/`・`_includes/` にもありません。「当サイト」の部分はサイト名でもかまいません。",
          "Links of a programme with a `required_statement` (Amazon Associates, say) and the statement is in neither "
          "the post nor the site's `_layouts/` or `_includes/`. Its 当サイト may be the site's name."),
      example="### [書籍](https://www.amazon.co.jp/dp/4000000001/?tag=example-22)\n")
def missing_program_statement(ctx: Context) -> Iterator[Finding]:
    links = _post_affiliate_links(ctx)
    if not links:
        return
    body = None
    for program in ctx.config.programs:
        if not program.required_statement:
            continue
        mine = [l for l in links if program.matches_host(l.host)]
        if not mine:
            continue
        pattern = statement_pattern(program.required_statement)
        if could_hold(ctx.doc.body, statement_chars(program.required_statement)):
            body = _normalise(ctx.doc.body) if body is None else body
            if pattern.search(body):
                continue
        if ctx.site is not None and pattern.search(layout_text(ctx.site)):
            continue
        yield ctx.finding(mine[0].line, Text(
            f"{program.name} のリンクがありますが、必須の表記「{program.required_statement}」が記事にもレイアウトにもありません。",
            f"{program.name} links, and its required statement “{program.required_statement}” is in neither the "
            f"post nor the site's layouts or includes."))


# -- PD404 ----------------------------------------------------------------------

def is_product_link(link: Link) -> bool:
    """A link to one product: Amazon's /dp/, /gp/product/… pages and its short links.
    Other programmes that name a `tag_param` carry their id on every link."""
    host = link.host
    if _AMAZON_HOST.search(host):
        return host in _SHORT_HOSTS or bool(_PRODUCT_PATH.search(urlsplit(link.url).path + "/"))
    return True


@rule("PD404", "unknown-tracking-id", ERROR,
      title=Text("アフィリエイトのトラッキングIDがサイトのものではありません", "Unknown affiliate tracking id"),
      description=Text(
          "商品へのアフィリエイトリンク（Amazonの /dp/・/gp/product/、amzn.to などの短縮リンク）のトラッキングID"
          "（`tag_param`、例: `tag=`）が `tracking_ids` にないか、付いていません。`tag_param` のないプログラム（A8.net など）は"
          "対象外です。修正はサイトのIDが1つだけのとき、そのIDに置き換え（または追加し）ます。",
          "A product affiliate link (Amazon's /dp/ or /gp/product/ pages, amzn.to short links…) carries a tracking id "
          "(`tag_param`, e.g. `tag=`) not in `tracking_ids`, or none. Programmes without a `tag_param` (A8.net…) are "
          "not checked. When the site has exactly one id, the fix puts it in."),
      example="[Amazonで詳しく見る →](https://www.amazon.co.jp/dp/4000000001/?tag=someone-22)\n", fix="safe")
def unknown_tracking_id(ctx: Context) -> Iterator[Finding]:
    for link in _post_affiliate_links(ctx):
        program = ctx.config.program_for_host(link.host)
        if program is None or not program.tag_param or not program.tracking_ids or not is_product_link(link):
            continue
        tags = [t for t in link.query.get(program.tag_param, []) if t]
        if tags and all(t in program.tracking_ids for t in tags):
            continue
        yield _tracking_finding(ctx, link, program, tags)


def _tracking_finding(ctx: Context, link: Link, program: Program, tags: list[str]) -> Finding:
    ids = "、".join(program.tracking_ids)
    param = program.tag_param
    short = link.host in _SHORT_HOSTS
    if tags:
        bad = next(t for t in tags if t not in program.tracking_ids)
        ja = f"{program.name} のトラッキングID「{bad}」はこのサイトのもの（{ids}）ではありません。"
        en = f"{program.name} tracking id “{bad}” is not this site's ({', '.join(program.tracking_ids)})."
    elif short:
        ja = (f"{program.name} の短縮リンクで、トラッキングIDを確かめられません。"
              f"商品ページのURLに {param}={program.tracking_ids[0]} を付けたものに置き換えてください。")
        en = (f"{program.name} short link: its tracking id cannot be checked. Use the product page's URL with "
              f"{param}={program.tracking_ids[0]} instead.")
    else:
        ja = f"{program.name} の商品リンクにトラッキングID（{param}=）がありません。このサイトのIDは {ids} です。"
        en = f"{program.name} product link without a tracking id ({param}=); this site's is {', '.join(program.tracking_ids)}."
    fix = None
    if len(program.tracking_ids) == 1 and (tags or not short):
        wanted = program.tracking_ids[0]
        edits = query_edits(ctx.post, link, {param: wanted})
        if edits:
            title = (Text(f"トラッキングIDを {wanted} に置き換える", f"Replace the tracking id with {wanted}") if tags else
                     Text(f"{param}={wanted} を追加", f"Add {param}={wanted}"))
            fix = ctx.fix(title, edits)
    return ctx.finding(link.line, Text(ja, en), fix=fix)
