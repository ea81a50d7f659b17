"""PD7xx: heading structure.

Posts number their sections (`### 1.`, `#### 3.1.`, or `#### 1.` items restarting
inside each H3). Passes that restart or repeat sections leave numbering that goes
backwards (`### 7. まとめ`, then `### 6.3.`, then `### 7. まとめ` again); PD701 finds it.
PD702 flags a level skipped (`##` then `####`), as markdownlint's MD001 does.
"""
from __future__ import annotations

import re
from typing import Iterator

from ..findings import Finding, Span, Text
from ..parse import Heading, ParsedPost
from .base import INFO, WARNING, Context, rule
from .residue import is_glued_heading

# What may follow a section number: a dot, a bracket, a colon, a comma or a space
# (`### 1. 目的`, `### 6.3 評価`), not a counter word (`### 2026年の展望`, `### 3分で分かる`).
_NUMBER_END = re.compile(r"^\s*\d+(?:\.\d+)*(?:[.．)）:：、]|\s)")


def article_headings(post: ParsedPost) -> list[Heading]:
    """The written headings outside the footer: not footer headings (related posts,
    CTA, books), and not a paragraph glued to `---` (PD107 reports that one)."""
    return [h for h in post.headings
            if not post.blocks[h.block].is_footer and not is_glued_heading(post.blocks[h.block])]


def section_number(h: Heading) -> tuple[int, ...] | None:
    """The heading's section number, when it really is one."""
    return h.number if h.number is not None and _NUMBER_END.match(h.text) else None


def _label(number: tuple[int, ...]) -> str:
    return ".".join(map(str, number))


@rule("PD701", "heading-numbering", WARNING,
      title=Text("見出しの番号が戻っているか重複しています", "Heading numbers go backwards or repeat"),
      description=Text(
          "同じ親見出しの下の同じレベルの番号付き見出しで、番号が前より小さくなっているか、同じ番号が繰り返されています"
          "（`### 7.` の後に `### 6.3.`）。フッターの見出しは親にならないため、フッターの後に残った番号付き見出しは"
          "本文の番号の続きとして比べます。H3ごとに `#### 1.` から数え直すのは問題ありません。",
          "Numbered headings at one level under one parent go backwards or repeat (`### 7.` then "
          "`### 6.3.`). Footer headings are not parents, so a numbered heading stranded after the footer "
          "continues the article's sequence. `#### 1.` items restarting inside each H3 are fine."),
      example="### 6. 運用\n\n本文です。\n\n### 7. まとめ\n\n本文です。\n\n### 6.3. 記録の保存\n\n本文です。\n")
def heading_numbering(ctx: Context) -> Iterator[Finding]:
    parents: list[Heading] = []  # the open headings, outermost first
    seen: dict[tuple[int, int], list[tuple[tuple[int, ...], Heading]]] = {}  # (parent line, level) -> numbers
    for h in article_headings(ctx.post):
        while parents and parents[-1].level >= h.level:
            parents.pop()
        key = (parents[-1].line if parents else 0, h.level)
        parents.append(h)
        number = section_number(h)
        if number is None:
            continue
        earlier = seen.setdefault(key, [])
        repeat = next((e for n, e in earlier if n == number), None)
        if repeat is not None:
            yield ctx.finding(h.line, Text(
                f"見出し番号「{_label(number)}」が{repeat.line}行目と重複しています。",
                f"Heading number {_label(number)} repeats the one on line {repeat.line}."),
                related=[Span(repeat.line)])
        elif earlier and number < earlier[-1][0]:
            prev_number, prev = earlier[-1]
            yield ctx.finding(h.line, Text(
                f"見出し番号「{_label(number)}」が、前の見出し（{prev.line}行目）の「{_label(prev_number)}」より戻っています。",
                f"Heading number {_label(number)} goes back from {_label(prev_number)} on line {prev.line}."),
                related=[Span(prev.line)])
        earlier.append((number, h))


@rule("PD702", "heading-level-skip", INFO,
      title=Text("見出しのレベルが飛んでいます", "A heading skips a level"),
      description=Text(
          "見出しのレベルが一つ以上飛んでいます（`##` の次に `####`）。目次や読み上げで構造が分かりにくくなります。",
          "A heading skips a level (`##` then `####`), which confuses tables of contents and screen readers."),
      example="## 導入の流れ\n\n#### 1. 目的を決める\n")
def heading_level_skip(ctx: Context) -> Iterator[Finding]:
    post = ctx.post
    previous: Heading | None = None
    for h in post.headings:
        if is_glued_heading(post.blocks[h.block]):
            continue
        if previous is not None and h.level > previous.level + 1:
            yield ctx.finding(h.line, Text(
                f"見出しがH{previous.level}（{previous.line}行目）からH{h.level}へ飛んでいます。",
                f"The heading jumps from H{previous.level} (line {previous.line}) to H{h.level}."),
                related=[Span(previous.line)])
        previous = h
