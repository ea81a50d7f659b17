"""PD201–PD203: repeats inside one post.

Machine drafting in several passes repeats itself: a whole section again (two to
four times), a section again with its text extended or reworded, the summary twice,
the same numbered heading twice, a paragraph restarted after a truncated pass.

One analysis per post serves the three rules (it is kept in `ctx.shared`):

1. The article is cut into *units*: its blocks (headings, paragraphs, lists, …) with
   their text normalised as rules.md says (inline markup removed, NFKC, whitespace
   collapsed, heading numbers dropped). Footer blocks are left out: related posts,
   CTA, book entries and the disclosure look alike by design. Generation markers
   and `---` rules carry no text and are left out too.
2. Pairs of units that *nearly repeat* each other are found without comparing every
   pair: an inverted index of character bigrams that are rare in the post proposes
   candidates, and rapidfuzz verifies them (`similarity`, the measure of rules.md).
3. Sections (a heading and its content, up to the footer) are compared where they
   share a repeated unit or the same heading. A later section repeats an earlier one
   when the whole texts are near (`fuzz.ratio`), or when the shorter is at least half
   the longer and nearly all of its text is repeated in the other paragraph by
   paragraph (the partial measure, applied piecewise: it finds a copy whose
   paragraphs were each extended, which one alignment of the whole cannot). The
   largest repeated unit is reported once; its nested sub-sections are not.
4. Outside the reported sections, runs of two or more repeated paragraphs are
   PD202, single long paragraphs PD203.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations, repeat
from typing import Iterator

from rapidfuzz import fuzz
from rapidfuzz.distance import LCSseq

from ..findings import Finding, Span, Text
from ..parse import Block, Heading, ParsedPost, collapse
from .base import ERROR, WARNING, Context, rule
from .residue import MARKER

# Headings at this level or above are compared across the whole post; deeper ones
# (H4 items, which restart inside every H3 and may well share a title such as
# 「課題」) only with their siblings under the same parent heading.
GLOBAL_HEADING_LEVEL = 3
# Kinds of block PD203 reports on its own ("paragraph" in the broad sense).
PARAGRAPH_KINDS = frozenset({"paragraph", "list", "blockquote", "table"})
# Largest gap allowed between the earlier copies of two consecutive units of a run
# (an earlier copy may have held a paragraph the later one dropped).
RUN_GAP = 2


# -- normalisation --------------------------------------------------------------
def normalise(text: str) -> str:
    """Text as rules.md compares it: NFKC, whitespace collapsed (markup is already
    removed from block texts)."""
    return collapse(text)


def heading_key(title: str) -> str:
    """A heading's identity for PD201: numbering (already split off) and all
    spacing ignored, so `### 7. まとめ：A` and `### まとめ: A` are the same."""
    return collapse(title).replace(" ", "")  # collapse leaves single spaces only


def similarity(a: str, b: str, threshold: float) -> float:
    """rules.md's "nearly": `fuzz.ratio` ≥ threshold, or `fuzz.partial_ratio` ≥
    threshold with the shorter text at least half the longer. 0 when neither.

    Most pairs the candidate index proposes are not near, and `partial_ratio` (tens
    of µs on a paragraph) would say so slowly. One `LCSseq.similarity` (a single
    bit-parallel pass) gives the length of the longest common subsequence, which
    bounds both measures from above (see `_may_reach`), so a measure is computed only
    when its bound reaches the threshold; the answer is the same, because with
    `score_cutoff` rapidfuzz returns 0 for any score below the threshold anyway."""
    common = LCSseq.similarity(a, b)
    if _may_reach(2 * common, len(a) + len(b), threshold):
        score = fuzz.ratio(a, b, score_cutoff=threshold)
        if score:
            return score
    short, long_ = sorted((len(a), len(b)))
    if short and short * 2 >= long_ and _may_reach(2 * common, short + common, threshold):
        return fuzz.partial_ratio(a, b, score_cutoff=threshold)
    return 0.0


# How far below the threshold a bound must be to skip a measure: far more than the
# float rounding of either side (scores are ratios of integers below ~10⁵), so a
# skipped measure is one rapidfuzz would surely have scored below the threshold.
_BOUND_MARGIN = 1e-6


def _may_reach(matched: int, total: int, threshold: float) -> bool:
    """Whether a score of at most 100·matched/total can reach `threshold`.

    The bounds, with L the longest common subsequence of a and b and s the shorter
    length: `fuzz.ratio` is exactly 100·2L/(len a + len b). `fuzz.partial_ratio` is
    the best `ratio` of the shorter text against a window of the other, of some
    width w; within a window at most min(L, w) characters match, and
    2·min(L, w)/(s + w) is largest at w = L, so it is at most 100·2L/(s + L)."""
    return 100 * matched >= (threshold - _BOUND_MARGIN) * total


# -- candidates -------------------------------------------------------------------
# Anchors: the 4-grams that begin a content word, i.e. start at a character carrying
# content (kanji, katakana, Latin letters, digits) right after hiragana, a space or
# punctuation (「生成AI」, 「導入の」 in 「…、生成AIの導入の…」). One regex finds them in C; a
# near repeat keeps most of them, unrelated paragraphs share few.
_PLAIN = r"\s\u3000-\u309f!-/:-@\[-`{-~"  # spaces, CJK punctuation, hiragana, ASCII punctuation
_ANCHOR = re.compile(rf"[{_PLAIN}](?=([^{_PLAIN}].{{3}}))")
# A pair is a candidate when this share of the shorter text's anchors was first
# seen in the other text (a repeat at 90 keeps ~65 % even with scattered edits).
ANCHOR_SHARE = 0.3


def candidate_pairs(texts: list[str]) -> set[tuple[int, int]]:
    """Pairs (i, j), i < j, of texts that may nearly repeat each other.

    Every anchor is attributed to the first text holding it (one dict built by C-level
    `update`s, last text first); for each text, a Counter over its anchors' first
    holders names the earlier texts it borrows from. So the work grows with the
    post's length, not with the square of its paragraphs. Lengths must be within
    a factor of two (what both of rules.md's measures require); identical texts
    always pair."""
    anchors = [set(_ANCHOR.findall(t)) for t in texts]
    first: dict[str, int] = {}
    for k in range(len(texts) - 1, -1, -1):
        first.update(zip(anchors[k], repeat(k)))
    pairs: set[tuple[int, int]] = set()
    seen: dict[str, int] = {}
    for j, t in enumerate(texts):
        if t in seen:
            pairs.add((seen[t], j))
        else:
            seen[t] = j
        mine = anchors[j]
        if not mine:
            continue
        # A text at least half as long as this one holds at least about half as
        # many anchors: a cheap bound that drops most first holders at C speed.
        floor = ANCHOR_SHARE * len(mine) / 2
        counts = Counter(map(first.__getitem__, mine))
        for i in [i for i, c in counts.items() if c >= floor and i != j]:
            short, long_ = sorted((len(t), len(texts[i])))
            if short * 2 >= long_ and counts[i] >= ANCHOR_SHARE * min(len(anchors[i]), len(mine)):
                pairs.add((min(i, j), max(i, j)))
    return pairs


# -- the post's units and sections -------------------------------------------------
@dataclass
class Unit:
    """One article block with its normalised text."""

    pos: int
    block: Block
    text: str
    heading: Heading | None = None
    end_line: int = 0  # the block's last line, a glued generation marker left out

    def __post_init__(self) -> None:
        self.end_line = self.end_line or self.block.end_line

    @property
    def line(self) -> int:
        return self.block.line


@dataclass
class SectionUnits:
    """A section (heading and content, cut at the footer) as a range of units."""

    heading: Heading
    first: int  # unit positions [first, last]
    last: int
    text: str
    chars: int

    @property
    def positions(self) -> range:
        return range(self.first, self.last + 1)


@dataclass(frozen=True)
class Repeat:
    """A later copy (line..end_line) of earlier text (first..first_end)."""

    kind: str  # "section", "run" or "paragraph"
    line: int
    end_line: int
    first: int
    first_end: int
    score: int
    label: str = ""  # the section's heading, for messages


@dataclass
class Analysis:
    """Everything PD201–PD203 report, computed once per post."""

    units: list[Unit]
    sections: list[SectionUnits]
    near: dict[int, dict[int, float]] = field(default_factory=dict)  # unit -> {unit: score}, both ways
    repeats: list[Repeat] = field(default_factory=list)

    def earlier(self, pos: int, before: int | None = None) -> dict[int, float]:
        """Units before `before` (default: before `pos`) that `pos` nearly repeats."""
        limit = pos if before is None else before
        return {i: s for i, s in self.near.get(pos, {}).items() if i < limit}


def is_marker(post: ParsedPost, block: Block) -> bool:
    """A generation marker block. Judged on the source line: the parsed text has
    had its dashes turned into typographic ones (`---END---` reads `—END—`)."""
    return block.kind == "paragraph" and block.line == block.end_line and bool(MARKER.match(post.lines[block.line - 1]))


def _units(post: ParsedPost) -> list[Unit]:
    """The article's blocks with text: not the footer, rules or generation markers,
    so a copy's span ends at its last real block, not at the marker after it."""
    heading_of = {h.block: h for h in post.headings}
    units: list[Unit] = []
    for b in post.blocks:
        if b.is_footer or b.kind == "hr" or is_marker(post, b):
            continue
        h = heading_of.get(b.index)
        text = normalise(h.title if h else b.text)
        if not text:
            continue
        end = b.end_line
        while end > b.line and MARKER.match(post.lines[end - 1]):
            end -= 1  # `---END---` glued under a cut paragraph is PD101's, not the copy's
        units.append(Unit(len(units), b, text, h, end_line=end))
    return units


def _sections(post: ParsedPost, units: list[Unit]) -> list[SectionUnits]:
    """Every article heading's section as units, cut where the footer starts."""
    pos_of = {u.block.index: u.pos for u in units}
    out = []
    for sec in post.sections:
        start = post.blocks[sec.start]
        if start.is_footer or start.index not in pos_of:
            continue
        first = last = pos_of[start.index]
        for b in post.blocks[sec.start + 1:sec.end]:
            if b.is_footer:
                break
            if b.index in pos_of:
                last = pos_of[b.index]
        texts = [u.text for u in units[first:last + 1]]
        out.append(SectionUnits(post.headings[sec.heading], first, last, "\n".join(texts), sum(map(len, texts))))
    return out


def analyse(post: ParsedPost) -> Analysis:
    """Find every repeat in the post (see the module docstring)."""
    cfg = post.config["duplicates"]
    threshold, min_chars = float(cfg["similarity"]), int(cfg["min_chars"])
    units = _units(post)
    result = Analysis(units, _sections(post, units))
    for i, j in candidate_pairs([u.text for u in units]):
        score = similarity(units[i].text, units[j].text, threshold)
        if score:
            result.near.setdefault(j, {})[i] = score
            result.near.setdefault(i, {})[j] = score
    taken = bytearray(len(units))  # 1 for units inside a later copy already reported
    result.repeats += _section_repeats(result, threshold, min_chars, taken)
    result.repeats += _run_repeats(result, min_chars, taken)
    result.repeats += _paragraph_repeats(result, min_chars, taken)
    return result




def _section_score(a: Analysis, x: SectionUnits, y: SectionUnits, threshold: float, min_chars: int) -> float:
    """How nearly sections x and y repeat each other (0: not enough).

    The whole texts by `fuzz.ratio`; else, when the shorter is at least half the
    longer, the share of the shorter's text whose units nearly repeat units of the
    longer (rules.md's partial measure, paragraph by paragraph)."""
    if min(x.chars, y.chars) < min_chars:
        # Too short for "nearly" to mean anything (「A社の事例」 and 「B社の事例」 are 90
        # apart): a short section repeats only verbatim.
        return 100.0 if x.text == y.text else 0.0
    score = fuzz.ratio(x.text, y.text, score_cutoff=threshold)
    if score:
        return score
    short, long_ = sorted((x, y), key=lambda s: s.chars)
    if not short.chars or short.chars * 2 < long_.chars:
        return 0.0
    others = set(long_.positions)
    matched = sum(len(a.units[p].text) for p in short.positions if others.intersection(a.near.get(p, ())))
    coverage = 100.0 * matched / short.chars
    return coverage if coverage >= threshold else 0.0


def _section_repeats(a: Analysis, threshold: float, min_chars: int, taken: bytearray) -> list[Repeat]:
    """Later sections nearly repeating an earlier, disjoint one; the largest only.

    Only pairs that share a repeated unit or a heading are compared. A section needs
    content under its heading (a bare heading repeated is PD201's alone)."""
    secs = [s for s in a.sections if s.last > s.first]
    holding: dict[int, list[int]] = defaultdict(list)  # unit -> sections holding it
    by_key: dict[str, list[int]] = defaultdict(list)
    for k, s in enumerate(secs):
        by_key[heading_key(s.heading.title)].append(k)
        for p in s.positions:
            holding[p].append(k)
    candidates: dict[int, set[int]] = defaultdict(set)  # later section -> earlier sections
    for ks in by_key.values():
        for x, y in combinations(ks, 2):
            candidates[y].add(x)
    for j, near in a.near.items():
        for i in near:
            if i < j:
                for x in holding.get(i, ()):
                    for y in holding.get(j, ()):
                        candidates[y].add(x)
    out = []
    for y in sorted(candidates, key=lambda k: (secs[k].first, -secs[k].last)):
        later = secs[y]
        if taken[later.first]:
            continue
        for x in sorted(candidates[y], key=lambda k: (secs[k].first, -secs[k].last)):
            earlier = secs[x]
            if earlier.last >= later.first:
                continue
            score = _section_score(a, earlier, later, threshold, min_chars)
            if score:
                taken[later.first:later.last + 1] = b"\1" * (later.last + 1 - later.first)
                out.append(Repeat("section", a.units[later.first].line, a.units[later.last].end_line,
                                  a.units[earlier.first].line, a.units[earlier.last].end_line,
                                  round(score), later.heading.title))
                break
    return out


def _run_from(a: Analysis, start: int, partner: int, taken: bytearray) -> tuple[list[int], list[int]]:
    """The longest run of units from `start` repeating consecutive earlier units
    from `partner` (gaps of up to RUN_GAP units allowed on the earlier side)."""
    run, partners = [start], [partner]
    k = start + 1
    while k < len(a.units) and not taken[k]:
        prev = partners[-1]
        options = [i for i in a.earlier(k, before=start) if prev < i <= prev + 1 + RUN_GAP]
        if not options:
            break
        run.append(k)
        partners.append(min(options))
        k += 1
    return run, partners


def _run_repeats(a: Analysis, min_chars: int, taken: bytearray) -> list[Repeat]:
    """Runs of two or more paragraphs repeating an earlier run, outside reported sections."""
    out = []
    j = 0
    while j < len(a.units):
        starts = a.earlier(j) if j in a.near and not taken[j] else None
        if not starts:
            j += 1
            continue
        run, partners = max((_run_from(a, j, i, taken) for i in sorted(starts)), key=lambda rp: len(rp[0]))
        paragraphs = [p for p in run if a.units[p].heading is None]
        if len(paragraphs) < 2 or sum(len(a.units[p].text) for p in run) < min_chars:
            j += 1
            continue
        taken[run[0]:run[-1] + 1] = b"\1" * len(run)
        scores = [a.near[p][i] for p, i in zip(run, partners)]
        out.append(Repeat("run", a.units[run[0]].line, a.units[run[-1]].end_line,
                          a.units[min(partners)].line, a.units[max(partners)].end_line,
                          round(sum(scores) / len(scores))))
        j = run[-1] + 1
    return out


def _paragraph_repeats(a: Analysis, min_chars: int, taken: bytearray) -> list[Repeat]:
    """Single long paragraphs nearly repeating an earlier one, outside reported repeats."""
    out = []
    for j in sorted(a.near):
        u = a.units[j]
        if taken[j] or u.heading is not None or u.block.kind not in PARAGRAPH_KINDS or len(u.text) < min_chars:
            continue
        earlier = a.earlier(u.pos)
        if earlier:
            i = min(earlier)
            out.append(Repeat("paragraph", u.line, u.end_line, a.units[i].line, a.units[i].end_line,
                              round(earlier[i])))
    return out


def analysis(ctx: Context) -> Analysis:
    """The post's analysis, computed by the first of PD201–PD203 to run."""
    cached = ctx.shared.get("duplicates")
    if cached is None or cached[0] is not ctx.post:
        cached = ctx.shared["duplicates"] = (ctx.post, analyse(ctx.post))
    return cached[1]


# -- PD201 ----------------------------------------------------------------------------
def repeated_headings(post: ParsedPost) -> Iterator[tuple[Heading, Heading]]:
    """(later, first) for every heading whose text repeats an earlier heading's.

    Article headings down to GLOBAL_HEADING_LEVEL, and footer headings that open a
    zone (あわせて読みたい, the CTA, the books), are compared across the post; deeper
    article headings and the book entries under the books heading only with their
    siblings, so H4 items under different sections and different books' entries
    never meet."""
    stack: list[Heading] = []
    first: dict[tuple, Heading] = {}
    for h in post.headings:
        while stack and stack[-1].level >= h.level:
            stack.pop()
        parent = stack[-1] if stack else None
        stack.append(h)
        key = heading_key(h.title)
        if not key:
            continue
        zone = post.blocks[h.block].zone
        if parent is None:
            nested = False
        elif zone is not None:
            nested = post.blocks[parent.block].zone == zone
        else:
            nested = h.level > GLOBAL_HEADING_LEVEL
        scope = (parent.block if nested else None, key)
        if scope in first:
            yield h, first[scope]
        else:
            first[scope] = h


@rule("PD201", "duplicate-heading", WARNING,
      title=Text("見出しが重複しています", "A heading is repeated"),
      description=Text(
          "番号と空白を除くと同じ見出しが、記事の中に二度以上あります（`### 7. まとめ：…` と `### まとめ：…` など）。"
          "後から出てくる見出しごとに報告し、最初の見出しを示します。",
          "Two headings have the same text once numbering and spacing are ignored (`### 7. まとめ：…` "
          "repeats `### まとめ：…`). Reported at each later heading, pointing at the first."),
      example="### 5. 成功の条件\n\n本文です。\n\n### 5. 成功の条件\n\n本文です。\n")
def duplicate_heading(ctx: Context) -> Iterator[Finding]:
    for later, first in repeated_headings(ctx.post):
        yield ctx.finding(
            later.line,
            Text(f"見出し「{later.title}」は{first.line}行目の見出しと同じです。",
                 f"Heading “{later.title}” repeats the heading on line {first.line}."),
            related=[Span(first.line)])


# -- PD202 ----------------------------------------------------------------------------
def _span(line: int, end: int) -> str:
    return f"{line}" if line == end else f"{line}〜{end}"


def _span_en(line: int, end: int) -> str:
    return f"line {line}" if line == end else f"lines {line}–{end}"


@rule("PD202", "duplicate-section", ERROR,
      title=Text("節や段落のまとまりが重複しています", "A section or a run of paragraphs is repeated"),
      description=Text(
          "節（見出しと本文）または連続する段落が、前の部分をそのまま、またはほぼそのまま繰り返しています。"
          "前の文章を拡張・言い換えた後のコピーも含みます。インライン記法を除き、空白をまとめ、見出し番号を除いて比較し、"
          "rapidfuzz の ratio が `duplicates.similarity`（既定 90）以上か、短い方が長い方の半分以上で partial_ratio "
          "がそれ以上のとき重複とみなします。フッター（関連記事・CTA・書籍・開示文）は比較しません。"
          "修正：後のコピーを削除します（要確認）。",
          "A section (heading plus content) or a run of paragraphs repeats an earlier one verbatim or nearly, "
          "including a later copy that extends or rewords the earlier text. Texts are compared with inline markup "
          "removed, whitespace collapsed and heading numbers dropped; nearly means rapidfuzz's ratio ≥ "
          "`duplicates.similarity` (default 90), or partial_ratio ≥ it with the shorter text at least half the "
          "longer. Footer blocks are never compared. Fix (unsafe): delete the later copy."),
      example=("### 3. 導入の手順\n\nまず目的を決め、次に小さく試し、最後に数字で効果を確かめます。"
               "この順番を守ることが大切です。\n\n---END---\n\n### 3. 導入の手順\n\n"
               "まず目的を決め、次に小さく試し、最後に数字で効果を確かめます。この順番を守ることが大切です。\n"),
      fix="unsafe")
def duplicate_section(ctx: Context) -> Iterator[Finding]:
    for r in analysis(ctx).repeats:
        if r.kind == "paragraph":
            continue
        if r.kind == "section":
            ja = f"節「{r.label}」（{_span(r.line, r.end_line)}行目）は{_span(r.first, r.first_end)}行目の繰り返しです（類似度{r.score}）。"
            en = (f"Section “{r.label}” ({_span_en(r.line, r.end_line)}) repeats "
                  f"{_span_en(r.first, r.first_end)} (similarity {r.score}).")
        else:
            ja = f"{_span(r.line, r.end_line)}行目の段落は{_span(r.first, r.first_end)}行目の繰り返しです（類似度{r.score}）。"
            en = (f"The paragraphs on {_span_en(r.line, r.end_line)} repeat "
                  f"{_span_en(r.first, r.first_end)} (similarity {r.score}).")
        fix = ctx.fix(Text("後のコピーを削除", "Delete the later copy"), [ctx.delete_lines(r.line, r.end_line)])
        yield ctx.finding(r.line, Text(ja, en), end_line=r.end_line,
                          related=[Span(r.first, r.first_end if r.first_end != r.first else None)], fix=fix)


# -- PD203 ----------------------------------------------------------------------------
@rule("PD203", "duplicate-paragraph", WARNING,
      title=Text("段落が重複しています", "A paragraph is repeated"),
      description=Text(
          "`duplicates.min_chars`（既定 60）文字以上の段落が、前の段落をほぼそのまま繰り返しています（PD202 と同じ基準）。"
          "PD202 で報告した節の中とフッターは対象外です。",
          "A paragraph of at least `duplicates.min_chars` (default 60) characters nearly repeats an earlier one "
          "(the measure of PD202), outside sections PD202 reported and outside the footer."),
      example=("生成AIの導入は、最初の3か月でほぼ方向が決まります。ここでは準備の順番を、つまずきやすい点とともに整理します。\n\n"
               "### 1. 目的\n\n生成AIの導入は、最初の3か月でほぼ方向が決まります。ここでは準備の順番を、つまずきやすい点とともに整理します。\n"))
def duplicate_paragraph(ctx: Context) -> Iterator[Finding]:
    for r in analysis(ctx).repeats:
        if r.kind != "paragraph":
            continue
        yield ctx.finding(
            r.line,
            Text(f"この段落は{_span(r.first, r.first_end)}行目の段落とほぼ同じです（類似度{r.score}）。",
                 f"This paragraph nearly repeats the one on {_span_en(r.first, r.first_end)} (similarity {r.score})."),
            end_line=r.end_line, related=[Span(r.first, r.first_end if r.first_end != r.first else None)])
