"""PD204: near-duplicate posts across the site.

A site grows to thousands of posts, so PD204 never compares every pair of texts. It
works in two steps, each about linear in the number of posts:

1. **Signature, per post** (`signature`, called by the engine in whichever worker
   checks the post). The article body (footer, CTA, related posts, book entries and
   the disclosure left out: they are alike by design; generation markers too) and the
   title are cut into character shingles, hashed with CRC-32 (stable across processes,
   unlike `hash()`). The body keeps only its *anchored* shingles (Manber 1994): the
   5-character shingles starting at an anchor character, a fixed pseudo-random one in
   `ANCHOR_EVERY` of the characters (`is_anchor`), found by one compiled regular
   expression. Some one position in ten of Japanese prose is an anchor, so a post
   hashes about 700 shingles instead of 6,500 (0.4 ms instead of 1.8 for a 20 KB
   post), and the choice is content-defined: an edit changes only the shingles
   overlapping it, so an edited copy keeps the rest of its anchored shingles, and two
   equal passages always have the same ones wherever they stand. From the hashes:
   - a MinHash sketch of the body, one-permutation style: the hash space is cut into
     `BODY_BINS` bins and each bin keeps its smallest hash (one pass over the
     shingles instead of one per hash function; Li, Owen and Zhang 2012), an empty
     bin then filled from its right neighbour (`densify`);
   - a classic MinHash of the title's character bigrams (`TITLE_HASHES` hash
     functions `(a·x + b) mod p`: a title has some 30 bigrams, so this is cheap, and
     unlike one-permutation bins it leaves no bin empty in a short text);
   - the sample on which the similarity of a candidate pair is measured: every
     anchored shingle hash of the body (some 450 distinct in a 20 KB post, 180 in a
     2,000-character one).
   Each of the three lists of numbers is stored packed as one base64 string
   (`pack_hashes`).
   All of it is plain ints, lists and strings: small (~3.7 KB as JSON for a 6,500-
   character post) and JSON-serialisable, so the engine can cache it with the result.
2. **Index, per site** (`SimilarityIndex`). LSH banding: each sketch is cut into bands
   of a few rows, and posts whose band values are equal land in the same bucket. Only
   posts sharing a bucket are *candidates*; each candidate pair is then confirmed with
   a real measure and kept at `duplicates.cross_post_similarity` or above:
   - body: the Dice coefficient of the two anchored shingle sets (2|A∩B| / (|A|+|B|)),
     the set analogue of rapidfuzz's `fuzz.ratio` and on the same 0-100 scale;
   - title: rapidfuzz's `fuzz.ratio` of the normalised titles.

Bands of three rows over 96 bins make a pair whose anchored body shingles overlap at
Jaccard 0.54 (Dice 70, the default threshold) a candidate with probability 0.996, one
at Jaccard 0.05 (distinct posts on one topic) with 0.004, long post or short: each bin
of a densified sketch agrees with about the Jaccard probability (in a short body a
run of borrowed bins repeats one value, so its bands are less independent; without
densifying, a 2,000-character body, some 180 hashes, would leave 15% of its bins
empty and the first figure would fall to 0.96). For titles (16 bands of four), bigram
Jaccard 0.61 (fuzz.ratio 80) gives 0.91, titles sharing only a prefix such as
「中小企業の生成AI」 (Jaccard about 0.2) 0.02. The price: a title-only near match at
the threshold itself (ratio 70-75, Jaccard about 0.5) is proposed about 2 times in 3;
a copy whose body is also similar is found by the body's bands anyway.
"""
from __future__ import annotations

import base64
import functools
import re
import sys
import unicodedata
import zlib
from array import array
from collections import defaultdict
from itertools import count
from typing import Collection, Iterable, Iterator, Sequence

from rapidfuzz import fuzz

from ..findings import Finding, Text
from ..parse import ParsedPost, collapse
from .base import WARNING, Context, rule

SIGNATURE_VERSION = 3  # 2: sketches and sample packed as text (pack_hashes); 3: anchored shingles
SHINGLE = 5  # characters per body shingle (Japanese words are short: 5 spans a phrase)
ANCHOR_EVERY = 6  # one in six of the characters that may anchor does (a tenth of the text)
# The 30 characters each above 0.6% of the prose of content/ and the aside fixtures:
# together half of it. None of them anchors, so the density of anchors does not hinge
# on whether one of these (の alone is 4.7%) falls in the subset: with them left out,
# different subsets give 7-9% of positions (12-22% with them in).
FREQUENT = "の、にをすいでるしがまと。てかたはなりきうられっくもめこえせ"
_GOLDEN = 0x9E3779B1  # Knuth's multiplicative hash: 2**32 / the golden ratio
TITLE_SHINGLE = 2
BODY_BINS, BODY_ROWS = 96, 3  # 32 bands
TITLE_HASHES, TITLE_ROWS = 64, 4  # 16 bands
_PRIME = (1 << 61) - 1
_TITLE_AB = [(1 + (0x9E3779B97F4A7C15 * (i + 1)) % (_PRIME - 1), (0xC2B2AE3D27D4EB4F * (i + 7)) % _PRIME)
             for i in range(TITLE_HASHES)]  # fixed (a, b) pairs: signatures must agree across runs
EMPTY = -1  # a bin no shingle fell into
MIN_SHINGLES = 5  # anchored shingles (a body of some 55 characters): a stub is not compared by body
TOP = 3  # matches named in a finding
# A bucket holding more posts than this is boilerplate (every title starting
# 「中小企業の生成AI」 shares the band made of those bigrams): it proposes no candidates.
# Real pairs still meet in their other bands, and the cost per post stays bounded.
MAX_BUCKET = 20

# array type codes of 4 bytes: unsigned for hashes, signed for a body sketch (EMPTY is -1)
UINT32 = next(code for code in "IL" if array(code).itemsize == 4)
INT32 = UINT32.lower()
_NOT_THREE_BYTES = re.compile("[^\u0800-\uffff]+")  # characters whose UTF-8 is not three bytes


# -- signature ---------------------------------------------------------------------
def body_text(post: ParsedPost) -> str:
    """The article's text as PD204 compares it: footer blocks, the disclosure,
    generation markers, rules, code and HTML left out; NFKC, no whitespace."""
    from .duplicates import is_marker  # one definition of a marker block

    # `compact` of each block, as `collapse` (remembered from PD202's units) with its
    # spaces removed: the same text, without NFKC a second time.
    return "".join([collapse(b.text) for b in post.article_blocks
                    if not (b.kind in ("hr", "code", "html") or is_marker(post, b) or post.is_disclosure_block(b))]
                   ).replace(" ", "")


def compact(text: str) -> str:
    """NFKC with every whitespace removed (Japanese has no word spaces to keep).

    The same text as removing the spaces from `collapse(text)`: `str.split()` splits
    at exactly the characters regex `\\s` matches (`str.isspace`), and one split
    and join is cheaper than `collapse`'s two regex passes."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def is_anchor(ch: str) -> bool:
    """Whether a body shingle starts at `ch`: a character of the Basic Multilingual
    Plane outside FREQUENT whose code point, times _GOLDEN modulo 2**32, falls in the
    lowest 1/ANCHOR_EVERY of that range.

    Chosen by a hash of the code point, not by what the character is, so every script
    anchors alike; a multiplication rather than CRC-32, whose low bits are a linear
    function of the code point's bits (it could pick, say, every voiced kana). Other
    planes (emoji) never anchor, so the regular expression's character class stays a
    bitmap tested in constant time."""
    code = ord(ch)
    return code <= 0xFFFF and ch not in FREQUENT and (code * _GOLDEN) & 0xFFFFFFFF < (1 << 32) // ANCHOR_EVERY


@functools.cache
def anchored_shingles() -> re.Pattern:
    """The pattern whose `findall` lists every SHINGLE-character shingle starting at
    an anchor, in order (anchors in the last SHINGLE - 1 characters start none).

    A lookahead matches empty, so the search moves on one character and overlapping
    shingles are all found; the scan from one anchor to the next runs in C, and only
    the shingles become Python objects. Built once per process: `is_anchor`'s test on
    all of the plane's code points at once, and only the characters a class gives a
    meaning to escaped (some 10 ms; `is_anchor` and `re.escape` on each code point
    took some 30)."""
    limit = (1 << 32) // ANCHOR_EVERY
    chosen = "".join(map(chr, [code for code in range(0x10000) if (code * _GOLDEN) & 0xFFFFFFFF < limit]))
    anchors = chosen.translate({ord(c): None for c in FREQUENT} | {ord(c): "\\" + c for c in "\\]^-["})
    return re.compile(f"(?=([{anchors}].{{{SHINGLE - 1}}}))", re.DOTALL)


def anchored_hashes(text: str) -> set[int]:
    """CRC-32 of the UTF-8 bytes of every anchored shingle of `text`."""
    return set(map(zlib.crc32, map(str.encode, anchored_shingles().findall(text))))


def shingle_hashes(text: str, size: int) -> set[int]:
    """CRC-32 of the UTF-8 bytes of every `size`-character shingle (the whole text
    when shorter).

    The text is encoded once and each shingle is a slice of those bytes between
    character offsets (`utf8_offsets`): the same bytes as encoding each shingle on its
    own, without a `str` slice and an `encode` per shingle."""
    if not text:
        return set()
    if len(text) <= size:
        return {zlib.crc32(text.encode("utf-8"))}
    data, offsets = text.encode("utf-8"), utf8_offsets(text)
    return set(map(zlib.crc32, [data[start:end] for start, end in zip(offsets, offsets[size:])]))


def utf8_offsets(text: str) -> list[int]:
    """The byte offset in `text.encode("utf-8")` where each character starts, then the
    length of the encoding.

    A run of characters from U+0800 to U+FFFF (kana, kanji, full-width forms: most of
    a Japanese text) is three bytes each, so its offsets are one `range`; only the
    other characters (ASCII, Latin, emoji) are measured one by one."""
    offsets: list[int] = []
    pos = done = 0
    for run in _NOT_THREE_BYTES.finditer(text):
        width = 3 * (run.start() - done)
        offsets.extend(range(pos, pos + width, 3))
        pos += width
        for ch in run.group():
            offsets.append(pos)
            pos += len(ch.encode("utf-8"))
        done = run.end()
    offsets.extend(range(pos, pos + 3 * (len(text) - done) + 1, 3))
    return offsets


def sketch(hashes: Iterable[int], bins: int) -> list[int]:
    """One-permutation MinHash: the smallest hash falling into each of `bins` bins
    (by `h % bins`; the bin keeps `h // bins`), EMPTY where none fell."""
    return sketch_of_sorted(sorted(hashes), bins)


def sketch_of_sorted(ordered: list[int], bins: int) -> list[int]:
    """`sketch` of hashes given in ascending order.

    A dict keeps the last value stored under a key, so feeding the hashes from the
    largest down leaves each bin its smallest; `map` and `zip` keep the loop in C."""
    last = dict(zip(map(bins.__rmod__, reversed(ordered)), map(bins.__rfloordiv__, reversed(ordered))))
    return [last.get(k, EMPTY) for k in range(bins)]


def densify(bins: list[int]) -> list[int]:
    """A sketch whose every empty bin takes the value of the next non-empty bin to its
    right, wrapping round (densification by rotation: Shrivastava and Li 2014). A
    sketch with no value at all is returned as it is.

    A short body has fewer anchored hashes than bins (some 20 in 250 characters), so
    most of its bins would be empty and its bands unusable. Two bodies' bin k now
    agree when their first non-empty bins from k on are the same bin with the same
    minimum, which for near-copies happens with about the probability that a
    non-empty bin agrees: the Jaccard similarity. (The paper adds an offset per step
    borrowed so a borrowed value never equals a bin's own; with values of 25 bits an
    accidental equality is one in 44 million, and it would only propose a candidate,
    which the Dice score then turns down.)"""
    if EMPTY not in bins or bins.count(EMPTY) == len(bins):
        return bins
    out, carried = list(bins), EMPTY
    for k in reversed(range(2 * len(bins))):  # twice round, so the last bins borrow from the first
        value = bins[k % len(bins)]
        if value != EMPTY:
            carried = value
        elif k < len(bins):
            out[k] = carried
    return out


def minhash(hashes: set[int]) -> list[int]:
    """Classic MinHash: for each of TITLE_HASHES functions the smallest value over
    `hashes` ([] for no hashes)."""
    if not hashes:
        return []
    return [low & 0xFFFFFFFF for low in map(min, zip(*map(_title_values, hashes)))]  # 32 bits suffice to compare


@functools.lru_cache(maxsize=4096)
def _title_values(h: int) -> array:
    """`(a·h + b) mod p` for each of the TITLE_HASHES functions, in their order: one
    bigram's column of the title MinHash, of which `minhash` takes each function's
    smallest over the title's bigrams.

    Titles on one site share much of their vocabulary (some 55% of a title's bigrams
    were seen on an earlier title in the benchmark's site), so each column is worked
    out once per process; 61-bit values, so the smallest is the same as before
    masking. A column is 512 bytes."""
    return array("Q", [(a * h + b) % _PRIME for a, b in _TITLE_AB])


def signature_of(title: str, body: str, line: int = 1) -> dict:
    """The signature of a post given its title and compared body text (see
    `body_text`); `line` is where a finding about the whole post is placed."""
    hashes = sorted(anchored_hashes(body))
    title_norm = compact(title)
    comparable = len(hashes) >= MIN_SHINGLES
    body_bins, sample = (densify(sketch_of_sorted(hashes, BODY_BINS)), hashes) if comparable else ([], [])
    return {
        "v": SIGNATURE_VERSION,
        "title": title,
        "line": line,
        "title_norm": title_norm,
        "title_bins": pack_hashes(minhash(shingle_hashes(title_norm, TITLE_SHINGLE))),
        "body_bins": pack_hashes(body_bins, INT32),
        "sample": pack_hashes(sample),
    }


def pack_hashes(hashes: Iterable[int], code: str = UINT32) -> str:
    """32-bit numbers (`code`: UINT32 for unsigned, INT32 for signed) as text for a
    signature: base64 of their bytes, little-endian on every machine (a cache may
    move between them).

    One JSON string instead of some 560 numbers: the cache encodes, compresses and
    decodes a signature several times faster, and a post's lists take some 2 KB in
    memory instead of 20 KB of int objects."""
    packed = array(code, hashes)
    if sys.byteorder == "big":
        packed.byteswap()
    return base64.b64encode(packed.tobytes()).decode("ascii")


def unpack_hashes(text: str, code: str = UINT32) -> array:
    """The numbers `pack_hashes` packed with `code`, in their order."""
    packed = array(code, base64.b64decode(text))
    if sys.byteorder == "big":
        packed.byteswap()
    return packed


def signature(post: ParsedPost) -> dict:
    """The post's signature for the site index (small, picklable, JSON-serialisable)."""
    title = post.doc.get("title") if post.doc.problem is None else None
    lines = post.doc.field_lines("title") if title is not None else None
    return signature_of(str(title or ""), body_text(post), lines[0] if lines else 1)


# -- index -----------------------------------------------------------------------------
def bands(bins: Sequence[int], rows: int, first: int = 0) -> list[tuple[int, ...]]:
    """(band number counted from `first`, its `rows` values) for every band of the
    sketch without an empty bin (a last band shorter than `rows` is left out): the
    keys of the LSH buckets.

    One flat tuple per band, made by `zip` in C. Bins are almost never empty in a
    body and never in a title, so one scan of the whole sketch usually spares testing
    each band (a band number is never EMPTY, so testing the whole key is the same)."""
    keys = zip(count(first), *[iter(bins)] * rows)
    if EMPTY not in bins:
        return list(keys)
    return [key for key in keys if EMPTY not in key]


def bucket_keys(sig: dict) -> list[tuple[int, ...]]:
    """The LSH buckets a signature falls in: its body bands, then its title bands
    numbered after them."""
    body, title = sketches(sig)
    return bands(body, BODY_ROWS) + bands(title, TITLE_ROWS, BODY_BINS // BODY_ROWS)


def sketches(sig: dict) -> tuple[array, array]:
    """A signature's body and title sketches, unpacked."""
    return unpack_hashes(sig["body_bins"], INT32), unpack_hashes(sig["title_bins"])


def dice(a: Collection[int], b: Collection[int]) -> float:
    """Dice coefficient of two shingle samples (hashes without repeats), 0-100. A
    caller comparing one sample with many passes it as a set, built once."""
    if not a or not b:
        return 0.0
    return 200.0 * len((a if isinstance(a, set) else set(a)).intersection(b)) / (len(a) + len(b))


class SimilarityIndex:
    """Every post's signature, bucketed by LSH band, for PD204's queries.

    `comparisons` counts the candidate pairs confirmed with the real measure: what
    the scale test watches grow with the site."""

    def __init__(self, config) -> None:
        self.config = config
        self.threshold = float(config["duplicates"]["cross_post_similarity"])
        self.signatures: dict[str, dict] = {}
        self.samples: dict[str, array] = {}  # unpacked once: 4 bytes a hash
        self.buckets: dict[tuple, list[str]] = defaultdict(list)
        self.comparisons = 0
        self._scores: dict[tuple[str, str], tuple[float, float]] = {}
        # Posts whose every candidate pair is measured: added by `add_measured` with
        # no plain `add` since (a post added without measuring leaves its pairs with
        # the posts before it unmeasured). For these, `matches` needs only `_near`.
        self._complete: set[str] = set()
        self._near: dict[str, set[str]] = defaultdict(set)  # pairs stored at the threshold or above
        # Each indexed post's buckets (the lists in `buckets`), so that its candidates
        # are gathered without cutting its sketches into bands again (8 bytes a bucket).
        self._slots: dict[str, list[list[str]]] = {}

    def add(self, rel: str, sig: dict | None) -> list[tuple[int, ...]]:
        """Index a post's signature (a post indexed twice keeps its first one); returns
        the buckets it went into ([] when it was not indexed)."""
        keys = self._index(rel, sig)
        if keys:
            self._complete.clear()  # its pairs with the posts before it are not measured
        return keys

    def _index(self, rel: str, sig: dict | None) -> list[tuple[int, ...]]:
        if not isinstance(sig, dict) or sig.get("v") != SIGNATURE_VERSION or rel in self.signatures:
            return []
        self.signatures[rel] = sig
        self.samples[rel] = unpack_hashes(sig["sample"])
        keys = bucket_keys(sig)
        buckets = self.buckets
        for key in keys:
            buckets[key].append(rel)
        self._slots[rel] = [buckets[key] for key in keys]
        return keys

    def add_measured(self, rel: str, sig: dict | None) -> None:
        """`add`, then measure the post against the posts already sharing a bucket
        with it, so that `matches` later finds those pairs measured.

        For a whole-site check that indexes each post as its worker returns it: the
        measuring, most of PD204's work, then runs while the workers are still busy
        instead of after them with one core idle. A bucket counts while it is not
        oversized; one that grows past MAX_BUCKET later proposes nothing to
        `matches`, so the pairs measured through it before are measured for nothing
        (at most MAX_BUCKET · (MAX_BUCKET + 1) / 2 of them per bucket), never missed:
        `matches` measures any candidate pair not measured yet. A post measured
        here with no pair at the threshold has no match, which `matches` then
        answers without gathering its candidates again."""
        keys = self._index(rel, sig)
        if not keys:
            return
        others = self._members(keys)
        others.discard(rel)
        if others:
            sample = set(self.samples[rel])
            for other in others:
                self.scores(rel, sig, other, sample)  # type: ignore[arg-type]
        self._complete.add(rel)

    def measured(self) -> dict[tuple[str, str], tuple[float, float]]:
        """Every pair of indexed signatures measured so far: (rel, rel) in sorted
        order -> (body, title)."""
        return dict(self._scores)

    def seed(self, scores: Iterable[tuple[str, str, float, float]]) -> None:
        """Take pairs measured before (a, b, body, title) as measured. Only for the
        signatures they were measured on: the caller matches the posts' digests
        (a signature is a function of the post's bytes, the engine and the
        configuration). A pair measured already keeps its scores."""
        for a, b, body, title in scores:
            if _pair(a, b) not in self._scores:
                self._store(a, b, (body, title))

    def _store(self, a: str, b: str, found: tuple[float, float]) -> None:
        """Remember the scores of a pair of indexed signatures (and whether it is a
        match, for `matches`' shortcut)."""
        self._scores[_pair(a, b)] = found
        if max(found) >= self.threshold:
            self._near[a].add(b)
            self._near[b].add(a)

    def _indexed(self, rel: str, sig: dict) -> bool:
        """Whether `sig` is the signature indexed for `rel` (not, say, the open
        post's text as the editor changes it)."""
        return self.signatures.get(rel) is sig

    def _members(self, keys: Iterable[tuple[int, ...]]) -> set[str]:
        """The posts in these buckets, oversized ones left out."""
        shared = [m for m in map(self.buckets.get, keys) if m and len(m) <= MAX_BUCKET]
        return set().union(*shared)

    def candidates(self, rel: str, sig: dict) -> set[str]:
        """Posts sharing at least one bucket with `sig` (not an oversized one), itself excluded."""
        if self._indexed(rel, sig):
            out = set().union(*[m for m in self._slots[rel] if len(m) <= MAX_BUCKET])
        else:
            out = self._members(bucket_keys(sig))
        out.discard(rel)
        return out

    def scores(self, a: str, sig_a: dict, b: str, sample_a: set[int] | None = None) -> tuple[float, float]:
        """(body, title) similarity of two posts, each pair of indexed signatures
        measured once (`sample_a`: `sig_a`'s unpacked sample as a set, when the
        caller has it).

        A `sig_a` other than the one indexed for `a` (the open post's text as the
        editor changes it, measured against the saved site) is measured afresh and
        not remembered: the pair's stored scores are those of the saved texts."""
        found = self._stored(a, sig_a, b)
        if found is None:
            self.comparisons += 1
            sig_b = self.signatures[b]
            title = fuzz.ratio(sig_a["title_norm"], sig_b["title_norm"]) if sig_a["title_norm"] and sig_b["title_norm"] else 0.0
            mine = unpack_hashes(sig_a["sample"]) if sample_a is None else sample_a
            found = (dice(mine, self.samples[b]), title)
            if self._indexed(a, sig_a):
                self._store(a, b, found)
        return found

    def _stored(self, a: str, sig_a: dict, b: str) -> tuple[float, float] | None:
        """The pair's remembered scores, when `sig_a` is the indexed signature of `a`."""
        return self._scores.get(_pair(a, b)) if self._indexed(a, sig_a) else None

    def matches(self, rel: str, sig: dict) -> list[tuple[str, str, float, float]]:
        """(other rel, its title, body score, title score) for every post similar to
        `sig` at the threshold or above, the most similar first."""
        if not isinstance(sig, dict) or sig.get("v") != SIGNATURE_VERSION:
            return []
        if rel in self._complete and rel not in self._near and self._indexed(rel, sig):
            return []  # every candidate pair measured, none at the threshold
        out = []
        sample = None
        for other in self.candidates(rel, sig):
            found = self._stored(rel, sig, other)
            if found is None:
                if sample is None:  # unpacked once, and only when a pair is to be measured
                    sample = set(unpack_hashes(sig["sample"]))
                found = self.scores(rel, sig, other, sample)
            body, title = found
            if max(body, title) >= self.threshold:
                out.append((other, self.signatures[other]["title"], body, title))
        return sorted(out, key=lambda m: (-max(m[2], m[3]), m[0]))


def _pair(a: str, b: str) -> tuple[str, str]:
    """A pair of posts as the index keys it (the two rels in order)."""
    return (a, b) if a < b else (b, a)


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
