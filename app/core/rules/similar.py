"""PD204: near-duplicate posts across the site.

A site grows to thousands of posts, so PD204 never compares every pair of texts. It
works in two steps, each about linear in the number of posts:

1. **Signature, per post** (`signature`, called by the engine in whichever worker
   checks the post). The article body (footer, CTA, related posts, book entries and
   the disclosure left out: they are alike by design; generation markers too) and the
   title are cut into character shingles, hashed with CRC-32 (stable across processes,
   unlike `hash()`). From the hashes:
   - a MinHash sketch of the body, one-permutation style: the hash space is cut into
     `BODY_BINS` bins and each bin keeps its smallest hash (one pass over the
     shingles instead of one per hash function; Li, Owen and Zhang 2012);
   - a classic MinHash of the title's character bigrams (`TITLE_HASHES` hash
     functions `(a·x + b) mod p`: a title has some 30 bigrams, so this is cheap, and
     unlike one-permutation bins it leaves no bin empty in a short text);
   - a fixed 1/16 sample of the body's shingle hashes (those whose top four bits are
     zero), on which the similarity of a candidate pair is measured.
   All of it is plain ints, lists and strings: small (~2-4 KB as JSON for a 6,000-
   character post) and JSON-serialisable, so the engine can cache it with the result.
2. **Index, per site** (`SimilarityIndex`). LSH banding: each sketch is cut into bands
   of a few rows, and posts whose band values are equal land in the same bucket. Only
   posts sharing a bucket are *candidates*; each candidate pair is then confirmed with
   a real measure and kept at `duplicates.cross_post_similarity` or above:
   - body: the Dice coefficient of the two shingle samples (2|A∩B| / (|A|+|B|)), the
     set analogue of rapidfuzz's `fuzz.ratio` and on the same 0-100 scale;
   - title: rapidfuzz's `fuzz.ratio` of the normalised titles.

Bands of three rows over 96 bins make a pair whose body shingles overlap at Jaccard
0.54 (Dice 70, the default threshold) a candidate with probability 0.996, one at
Jaccard 0.05 (distinct posts on one topic) with 0.004. For titles (16 bands of four),
bigram Jaccard 0.61 (fuzz.ratio 80) gives 0.91, titles sharing only a prefix such as
「中小企業の生成AI」 (Jaccard about 0.2) 0.02. The price: a title-only near match at
the threshold itself (ratio 70-75, Jaccard about 0.5) is proposed about 2 times in 3;
a copy whose body is also similar is found by the body's bands anyway.
"""
from __future__ import annotations

import re
import zlib
from collections import defaultdict
from typing import Iterable, Iterator

from rapidfuzz import fuzz

from ..findings import Finding, Text
from ..parse import ParsedPost, collapse
from .base import WARNING, Context, rule

SIGNATURE_VERSION = 1
SHINGLE = 5  # characters per body shingle (Japanese words are short: 5 spans a phrase)
TITLE_SHINGLE = 2
BODY_BINS, BODY_ROWS = 96, 3  # 32 bands
TITLE_HASHES, TITLE_ROWS = 64, 4  # 16 bands
_PRIME = (1 << 61) - 1
_TITLE_AB = [(1 + (0x9E3779B97F4A7C15 * (i + 1)) % (_PRIME - 1), (0xC2B2AE3D27D4EB4F * (i + 7)) % _PRIME)
             for i in range(TITLE_HASHES)]  # fixed (a, b) pairs: signatures must agree across runs
SAMPLE_SHIFT = 28  # keep hashes below 2**28: one in sixteen
EMPTY = -1  # a bin no shingle fell into
MIN_SHINGLES = 50  # bodies shorter than this (a stub, an empty file) are not compared by body
TOP = 3  # matches named in a finding
# A bucket holding more posts than this is boilerplate (every title starting
# 「中小企業の生成AI」 shares the band made of those bigrams): it proposes no candidates.
# Real pairs still meet in their other bands, and the cost per post stays bounded.
MAX_BUCKET = 20

_SPACE = re.compile(r"\s+")


# -- signature ---------------------------------------------------------------------
def body_text(post: ParsedPost) -> str:
    """The article's text as PD204 compares it: footer blocks, the disclosure,
    generation markers, rules, code and HTML left out; NFKC, no whitespace."""
    from .duplicates import is_marker  # one definition of a marker block

    parts = []
    for b in post.article_blocks:
        if b.kind in ("hr", "code", "html") or is_marker(post, b) or post.is_disclosure_block(b):
            continue
        parts.append(compact(b.text))
    return "".join(parts)


def compact(text: str) -> str:
    """NFKC with every whitespace removed (Japanese has no word spaces to keep)."""
    return _SPACE.sub("", collapse(text))


def shingle_hashes(text: str, size: int) -> set[int]:
    """CRC-32 of every `size`-character shingle (the whole text when shorter)."""
    if not text:
        return set()
    if len(text) <= size:
        return {zlib.crc32(text.encode("utf-8"))}
    return {zlib.crc32(text[i:i + size].encode("utf-8")) for i in range(len(text) - size + 1)}


def sketch(hashes: Iterable[int], bins: int) -> list[int]:
    """One-permutation MinHash: the smallest hash falling into each of `bins` bins
    (by `h % bins`), EMPTY where none fell."""
    out = [EMPTY] * bins
    for h in hashes:
        k, v = h % bins, h // bins
        if out[k] == EMPTY or v < out[k]:
            out[k] = v
    return out


def minhash(hashes: set[int]) -> list[int]:
    """Classic MinHash: for each of TITLE_HASHES functions the smallest value over
    `hashes` ([] for no hashes)."""
    if not hashes:
        return []
    return [min((a * h + b) % _PRIME for h in hashes) & 0xFFFFFFFF for a, b in _TITLE_AB]  # 32 bits suffice to compare


def signature_of(title: str, body: str, line: int = 1) -> dict:
    """The signature of a post given its title and compared body text (see
    `body_text`); `line` is where a finding about the whole post is placed."""
    hashes = shingle_hashes(body, SHINGLE)
    title_norm = compact(title)
    comparable = len(hashes) >= MIN_SHINGLES
    return {
        "v": SIGNATURE_VERSION,
        "title": title,
        "line": line,
        "title_norm": title_norm,
        "title_bins": minhash(shingle_hashes(title_norm, TITLE_SHINGLE)),
        "body_bins": sketch(hashes, BODY_BINS) if comparable else [],
        "sample": sorted(h for h in hashes if h >> SAMPLE_SHIFT == 0) if comparable else [],
    }


def signature(post: ParsedPost) -> dict:
    """The post's signature for the site index (small, picklable, JSON-serialisable)."""
    title = post.doc.get("title") if post.doc.problem is None else None
    lines = post.doc.field_lines("title") if title is not None else None
    return signature_of(str(title or ""), body_text(post), lines[0] if lines else 1)


# -- index -----------------------------------------------------------------------------
def bands(bins: list[int], rows: int) -> Iterator[tuple[int, tuple[int, ...]]]:
    """(band number, band values) for every band of the sketch without an empty bin."""
    for start in range(0, len(bins) - rows + 1, rows):
        band = tuple(bins[start:start + rows])
        if EMPTY not in band:
            yield start // rows, band


def dice(a: list[int], b: list[int]) -> float:
    """Dice coefficient of two shingle samples, 0-100."""
    if not a or not b:
        return 0.0
    return 200.0 * len(set(a).intersection(b)) / (len(a) + len(b))


class SimilarityIndex:
    """Every post's signature, bucketed by LSH band, for PD204's queries.

    `comparisons` counts the candidate pairs confirmed with the real measure: what
    the scale test watches grow with the site."""

    def __init__(self, config) -> None:
        self.config = config
        self.threshold = float(config["duplicates"]["cross_post_similarity"])
        self.signatures: dict[str, dict] = {}
        self.buckets: dict[tuple, list[str]] = defaultdict(list)
        self.comparisons = 0
        self._scores: dict[tuple[str, str], tuple[float, float]] = {}

    def add(self, rel: str, sig: dict | None) -> None:
        """Index a post's signature (a post indexed twice keeps its first one)."""
        if not isinstance(sig, dict) or sig.get("v") != SIGNATURE_VERSION or rel in self.signatures:
            return
        self.signatures[rel] = sig
        for key in self._keys(sig):
            self.buckets[key].append(rel)

    @staticmethod
    def _keys(sig: dict) -> Iterator[tuple]:
        for n, band in bands(sig["body_bins"], BODY_ROWS):
            yield ("b", n, band)
        for n, band in bands(sig["title_bins"], TITLE_ROWS):
            yield ("t", n, band)

    def candidates(self, rel: str, sig: dict) -> set[str]:
        """Posts sharing at least one bucket with `sig` (not an oversized one), itself excluded."""
        out: set[str] = set()
        for key in self._keys(sig):
            members = self.buckets.get(key, ())
            if len(members) <= MAX_BUCKET:
                out.update(members)
        out.discard(rel)
        return out

    def scores(self, a: str, sig_a: dict, b: str) -> tuple[float, float]:
        """(body, title) similarity of two posts, each pair measured once."""
        key = (a, b) if a < b else (b, a)
        if key not in self._scores:
            self.comparisons += 1
            sig_b = self.signatures[b]
            title = fuzz.ratio(sig_a["title_norm"], sig_b["title_norm"]) if sig_a["title_norm"] and sig_b["title_norm"] else 0.0
            self._scores[key] = (dice(sig_a["sample"], sig_b["sample"]), title)
        return self._scores[key]

    def matches(self, rel: str, sig: dict) -> list[tuple[str, str, float, float]]:
        """(other rel, its title, body score, title score) for every post similar to
        `sig` at the threshold or above, the most similar first."""
        if not isinstance(sig, dict) or sig.get("v") != SIGNATURE_VERSION:
            return []
        out = []
        for other in self.candidates(rel, sig):
            body, title = self.scores(rel, sig, other)
            if max(body, title) >= self.threshold:
                out.append((other, self.signatures[other]["title"], body, title))
        return sorted(out, key=lambda m: (-max(m[2], m[3]), m[0]))


# -- PD204 --------------------------------------------------------------------------------
def _describe(matches: list[tuple[str, str, float, float]]) -> Text:
    ja = "、".join(f"「{title}」（{rel}、本文{round(body)}・タイトル{round(t)}）" for rel, title, body, t in matches)
    en = "; ".join(f"“{title}” ({rel}, body {round(body)}, title {round(t)})" for rel, title, body, t in matches)
    return Text(f"サイト内に似た記事があります：{ja}。", f"Similar posts on the site: {en}.")


@rule("PD204", "similar-post", WARNING,
      title=Text("サイト内に似た記事があります", "Another post on the site is similar"),
      description=Text(
          "サイト内の別の記事と、タイトルまたは本文が `duplicates.cross_post_similarity`（既定 70）以上似ています。"
          "似ている記事をスコアの高い順に最大3件、パスとタイトル付きで示します。本文はフッター（関連記事・CTA・書籍・開示文）を"
          "除いた文字の5-gramの一致度（Dice係数）、タイトルは rapidfuzz の ratio で比べます。ペアの両方の記事に表示されます。",
          "Another post on the site is similar above `duplicates.cross_post_similarity` (default 70) by title or "
          "body. Names up to three matches, most similar first, with their path and title. Bodies (footer, CTA, "
          "books and disclosure left out) are compared by the Dice coefficient of their character 5-grams, titles "
          "by rapidfuzz's ratio. Both posts of a pair get the finding."))
def similar_post(ctx: Context) -> Iterator[Finding]:
    index = ctx.index
    sig = ctx.shared.get("signature")
    if index is None or not isinstance(sig, dict):
        return
    found = index.matches(ctx.shared.get("rel", ""), sig)
    if found:
        yield ctx.finding(int(sig.get("line", 1)), _describe(found[:TOP]))
