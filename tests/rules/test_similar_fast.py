"""PD204's fast signature paths give exactly the plain definitions' answers
(app/core/rules/similar.py).

The plain definitions are written out here: one CRC-32 per shingle `str` (every
shingle of a title; of a body, those starting at a character `plain_is_anchor`
accepts), a loop over every hash for the sketch, `collapse` with its spaces removed,
bands cut one by one and buckets counted by brute force. Signatures are cached
across runs and compared between posts, so a fast path must not change a single
value. (Which characters anchor, and why, is tested in test_similar_anchors.py.)
"""
from __future__ import annotations

import re
import sys
import zlib
from itertools import accumulate

from hypothesis import example, given, settings
from hypothesis import strategies as st

from app.core.config import Config
from app.core.parse import collapse
from app.core.rules import similar

# Japanese prose with what a real post mixes in: ASCII, Latin-1 (two bytes), emoji
# (four), full-width forms, combining marks (a dakuten, an acute accent), half-width
# kana (NFKC changes them), Hangul jamo (NFKC composes them), whitespace.
ALPHABET = list("生成AIの導入は目的を絞り、小さく始めます。ｶﾞｷﾞ１２３abc XYZ éü€😀🚀") + [
    "\u3099", "\u0301", "\u1100", "\u1161", "\u11a8", "\u3000", "\n", "\t", "\u00a0", "\u2028"]
texts = st.text(alphabet=st.sampled_from(ALPHABET), max_size=300) | st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200)


def plain_shingle_hashes(text: str, size: int) -> set[int]:
    if not text:
        return set()
    if len(text) <= size:
        return {zlib.crc32(text.encode("utf-8"))}
    return {zlib.crc32(text[i:i + size].encode("utf-8")) for i in range(len(text) - size + 1)}


def plain_sketch(hashes, bins: int) -> list[int]:
    out = [similar.EMPTY] * bins
    for h in hashes:
        k, v = h % bins, h // bins
        if out[k] == similar.EMPTY or v < out[k]:
            out[k] = v
    return out


def plain_densify(bins: list[int]) -> list[int]:
    """Each empty bin takes the value of the first non-empty bin to its right, wrapping
    round (no change when every bin is empty)."""
    n = len(bins)
    return [next((bins[(k + step) % n] for step in range(n) if bins[(k + step) % n] != similar.EMPTY), similar.EMPTY)
            for k in range(n)]


def plain_is_anchor(ch: str) -> bool:
    """A character of the Basic Multilingual Plane, not one of the most frequent, in
    the lowest sixth of the 32-bit range when its code point is multiplied by
    0x9E3779B1."""
    return ord(ch) <= 0xFFFF and ch not in similar.FREQUENT and (ord(ch) * 0x9E3779B1) % 2**32 < 2**32 // 6


def plain_anchored_hashes(text: str) -> set[int]:
    size = similar.SHINGLE
    return {zlib.crc32(text[i:i + size].encode("utf-8"))
            for i in range(len(text) - size + 1) if plain_is_anchor(text[i])}


@given(texts)
@example("")
@example("生成AI")
@example("😀é生成a")
def test_utf8_offsets_are_where_each_character_starts(text):
    assert similar.utf8_offsets(text) == [0, *accumulate(len(ch.encode("utf-8")) for ch in text)]


@given(texts, st.integers(1, 6))
def test_shingle_hashes_equal_one_crc_per_shingle(text, size):
    assert similar.shingle_hashes(text, size) == plain_shingle_hashes(text, size)


@given(texts)
@example(" 生成\u3000AI\n\tの\u00a0導入 ")
@example("ｶﾞ\u3099")
def test_compact_is_collapse_without_its_spaces(text):
    assert similar.compact(text) == re.sub(r"\s+", "", collapse(text))


def test_compact_removes_exactly_what_collapse_treats_as_whitespace():
    """`compact` is `collapse` with its single spaces removed: every character that
    `\\s` matches, no other."""
    every = "".join(map(chr, range(sys.maxunicode + 1)))
    assert re.findall(r"\s", every) == [ch for ch in every if ch.isspace()]
    assert similar.compact(" 生成\u3000AI\n\tの\u00a0導入 ") == collapse("生成AIの導入")


@settings(max_examples=200)
@given(st.sets(st.integers(0, 2**32 - 1), max_size=3000))
def test_sketch_equals_the_plain_one(hashes):
    assert similar.sketch(hashes, similar.BODY_BINS) == plain_sketch(hashes, similar.BODY_BINS)


@given(st.lists(st.integers(-1, 9), max_size=40))
def test_densify_fills_each_empty_bin_from_its_right(bins):
    assert similar.densify(bins) == plain_densify(bins)


def test_densify_wraps_round_and_keeps_full_sketches():
    e = similar.EMPTY
    assert similar.densify([e, 4, e, e, 7, e]) == [4, 4, 7, 7, 7, 4]
    assert similar.densify([1, 2, 3]) == [1, 2, 3] and similar.densify([e, e]) == [e, e]


def test_sketches_keep_empty_bins():
    hashes = set(range(7, 7 + 96 * 60, 96))  # every hash in bin 7
    bins = similar.sketch(hashes, similar.BODY_BINS)
    assert bins == plain_sketch(hashes, similar.BODY_BINS) and bins.count(similar.EMPTY) == similar.BODY_BINS - 1


@settings(max_examples=100)
@given(texts, st.text(alphabet=st.sampled_from(ALPHABET), min_size=60, max_size=2000))
def test_signature_equals_the_plain_definition(title, body):
    sig = similar.signature_of(title, body)
    hashes = plain_anchored_hashes(body)
    comparable = len(hashes) >= similar.MIN_SHINGLES
    body_bins, title_bins = map(list, similar.sketches(sig))
    assert body_bins == (plain_densify(plain_sketch(hashes, similar.BODY_BINS)) if comparable else [])
    assert list(similar.unpack_hashes(sig["sample"])) == (sorted(hashes) if comparable else [])
    assert title_bins == similar.minhash(plain_shingle_hashes(similar.compact(title), similar.TITLE_SHINGLE))


# -- the index ----------------------------------------------------------------------------
def plain_bands(bins: list[int], rows: int):
    for start in range(0, len(bins) - rows + 1, rows):
        band = tuple(bins[start:start + rows])
        if similar.EMPTY not in band:
            yield start // rows, band


sketches = st.lists(st.integers(-1, 5), max_size=40)  # -1 is EMPTY; few values, so bands repeat


@given(sketches, st.integers(1, 5), st.integers(0, 40))
def test_bands_are_the_plain_bands_numbered_from_first(bins, rows, first):
    assert similar.bands(bins, rows, first) == [(first + n, *band) for n, band in plain_bands(bins, rows)]


def fake_sig(body_bins: list[int], title_bins: list[int], sample: list[int] = (), title: str = "") -> dict:
    return {"v": similar.SIGNATURE_VERSION, "title": title, "line": 1, "title_norm": title,
            "body_bins": similar.pack_hashes(body_bins, similar.INT32), "title_bins": similar.pack_hashes(title_bins),
            "sample": similar.pack_hashes(sorted(set(sample)))}


@settings(max_examples=60)
@given(st.lists(st.tuples(st.lists(st.integers(-1, 2), min_size=96, max_size=96),
                          st.lists(st.integers(0, 2), min_size=64, max_size=64)), min_size=1, max_size=40))
def test_candidates_are_the_posts_sharing_a_band_in_a_small_bucket(sketched):
    """Every post sharing a body band with the query, or a title band, where the
    bucket (posts with that band at that place) holds at most MAX_BUCKET posts."""
    index = similar.SimilarityIndex(Config())
    raw = {f"p{i}.md": bins for i, bins in enumerate(sketched)}
    for rel, (body, title) in raw.items():
        index.add(rel, fake_sig(body, title))

    def keys(rel):
        body, title = raw[rel]
        return ({("b", n, band) for n, band in plain_bands(body, similar.BODY_ROWS)}
                | {("t", n, band) for n, band in plain_bands(title, similar.TITLE_ROWS)})

    members = {}
    for rel in raw:
        for key in keys(rel):
            members.setdefault(key, set()).add(rel)
    for rel, (body, title) in raw.items():
        expected = set().union(*(members[k] for k in keys(rel) if len(members[k]) <= similar.MAX_BUCKET)) - {rel}
        assert index.candidates(rel, fake_sig(body, title)) == expected


def test_a_post_outside_the_index_finds_the_one_post_sharing_its_band():
    """The editor's query: a bucket holding only one other post still proposes it."""
    index = similar.SimilarityIndex(Config())
    sample = list(range(100))
    index.add("a.md", fake_sig([1] * 96, [2] * 64, sample, "題"))
    assert index.candidates("edited.md", fake_sig([1] * 96, [3] * 64, sample)) == {"a.md"}
    [(rel, _, body, _)] = index.matches("edited.md", fake_sig([1] * 96, [3] * 64, sample))
    assert rel == "a.md" and body == 100


@given(st.lists(st.integers(0, 60), unique=True), st.lists(st.integers(0, 60), unique=True))
def test_dice_of_a_set_equals_dice_of_the_list(a, b):
    expected = 200.0 * len(set(a) & set(b)) / (len(a) + len(b)) if a and b else 0.0
    assert similar.dice(set(a), b) == similar.dice(a, b) == expected


@given(st.lists(st.integers(0, 2**32 - 1), max_size=500))
@example([])
@example([0, 1, 2**28 - 1, 2**32 - 1])
def test_packed_hashes_come_back_in_order(hashes):
    text = similar.pack_hashes(hashes)
    assert text.isascii() and list(similar.unpack_hashes(text)) == hashes


def test_packed_hashes_are_little_endian_on_every_machine():
    """A cache (and its stored signatures) may move to another machine."""
    assert similar.pack_hashes([1, 2**32 - 2]) == "AQAAAP7///8="
    assert similar.pack_hashes([1, similar.EMPTY], similar.INT32) == "AQAAAP////8="


@given(st.lists(st.integers(-1, 2**31 - 1), max_size=100))
def test_packed_signed_values_come_back_in_order(values):
    assert list(similar.unpack_hashes(similar.pack_hashes(values, similar.INT32), similar.INT32)) == values


def plain_minhash(hashes: set[int]) -> list[int]:
    """Each hash function's smallest value over the hashes, worked out afresh."""
    if not hashes:
        return []
    return [min((a * h + b) % similar._PRIME for h in hashes) & 0xFFFFFFFF for a, b in similar._TITLE_AB]


@settings(max_examples=300)
@given(st.lists(st.sets(st.integers(0, 2**32 - 1), max_size=40), max_size=4), st.sets(st.sampled_from(
    [0, 1, 2**32 - 1, 0x9E3779B1, 12345]), max_size=5))
def test_title_minhash_equals_the_plain_definition(titles, shared):
    """Bigram columns remembered from earlier titles (`shared` repeats across the
    titles, as a site's vocabulary does) give the values computed afresh."""
    for hashes in titles + [h | shared for h in titles]:
        assert similar.minhash(hashes) == plain_minhash(hashes)


def plain_body_text(post) -> str:
    """The compared body as the compact text of each kept block, joined."""
    from app.core.rules.duplicates import is_marker
    return "".join(similar.compact(b.text) for b in post.article_blocks
                   if not (b.kind in ("hr", "code", "html") or is_marker(post, b) or post.is_disclosure_block(b)))


@settings(max_examples=150, deadline=None)
@given(st.lists(texts, min_size=1, max_size=6))
def test_body_text_is_each_blocks_compact_text(paragraphs):
    from app.core.document import Document
    from app.core.parse import parse
    post = parse(Document("---\ntitle: t\n---\n\n" + "\n\n".join(p.replace("\n", " ") or "x" for p in paragraphs) + "\n"))
    assert similar.body_text(post) == plain_body_text(post)


def test_body_text_of_the_sample_posts():
    from pathlib import Path

    from app.core.document import Document
    from app.core.parse import parse
    root = Path(__file__).resolve().parents[2]
    files = sorted((root / "content").glob("_*/*.md")) + sorted((root / "tests/fixtures/aside").rglob("*.md"))
    assert len(files) > 20
    for path in files:
        post = parse(Document.load(path))
        assert similar.body_text(post) == plain_body_text(post), path
