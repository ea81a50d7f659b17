"""PD204's anchored shingles (app/core/rules/similar.py): which characters anchor,
how densely anchors fall in real Japanese prose, and why an edited copy keeps most
of its hashes.

The body signature hashes only the shingles starting at an anchor character (Manber
1994). These tests pin the properties the definition is chosen for: the compiled
pattern finds exactly the anchors `is_anchor` names, the density is about a tenth of
the text on every reference post and does not hinge on the most frequent
characters, an edit changes only the shingles overlapping it, and equal passages
give equal hashes wherever they stand.
"""
from __future__ import annotations

import zlib
from collections import Counter
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from app.core.document import Document
from app.core.parse import ParsedPost
from app.core.rules import similar
from tests.rules.test_similar_fast import ALPHABET, plain_anchored_hashes, plain_is_anchor

REPO = Path(__file__).resolve().parents[2]
REAL_SITES = (REPO / "content" / "_posts", REPO / "tests" / "fixtures" / "aside" / "site" / "_posts")
prose = st.text(alphabet=st.sampled_from(ALPHABET), max_size=400)


def real_bodies() -> list[str]:
    """The compared body text of every post of the sample site and the aside fixtures."""
    out = []
    for folder in REAL_SITES:
        for path in sorted(folder.glob("*.md")):
            try:
                out.append(similar.body_text(ParsedPost(Document.load(path))))
            except Exception:  # a fixture that is broken on purpose
                continue
    return [body for body in out if body]


def test_the_pattern_finds_exactly_the_anchors():
    """Every character of the Basic Multilingual Plane starts a shingle exactly when
    `is_anchor` (and the plain definition) says so; no other plane anchors."""
    pattern = similar.anchored_shingles()
    for code in [*range(0xD800), *range(0xE000, 0x10000), 0x1F600, 0x20B9F]:
        ch = chr(code)
        assert bool(pattern.match(ch + "abcd")) == similar.is_anchor(ch) == plain_is_anchor(ch), hex(code)


def test_about_one_in_six_candidates_anchor_and_no_frequent_character_does():
    eligible = [chr(c) for c in range(0x3040, 0xA000) if chr(c) not in similar.FREQUENT]
    share = sum(map(similar.is_anchor, eligible)) / len(eligible)
    assert abs(share - 1 / similar.ANCHOR_EVERY) < 0.01
    assert not any(map(similar.is_anchor, similar.FREQUENT))


def test_the_most_frequent_characters_of_real_prose_are_left_out():
    """Each character above 1% of the reference prose is in FREQUENT: were one of them
    an anchor, it alone would add up to a twentieth of the text to the density."""
    counts = Counter("".join(real_bodies()))
    total = sum(counts.values())
    assert {ch for ch, n in counts.items() if n > total / 100} <= set(similar.FREQUENT)


def test_anchor_density_on_real_posts_is_about_a_tenth():
    """Anchored positions per position on every reference post of 1,000 characters or
    more: 6.8-12.1% (mean 9.2%) today; a post far outside would get too few hashes
    for a stable score or lose the speed."""
    densities = [len(similar.anchored_shingles().findall(body)) / (len(body) - similar.SHINGLE + 1)
                 for body in real_bodies() if len(body) >= 1000]
    assert len(densities) >= 20
    assert all(0.05 < d < 0.15 for d in densities), densities
    assert 0.07 < sum(densities) / len(densities) < 0.12


@given(prose)
def test_anchored_hashes_equal_the_plain_definition(text):
    assert similar.anchored_hashes(text) == plain_anchored_hashes(text)


@given(prose, st.integers(0, 400), st.text(alphabet=st.sampled_from(ALPHABET), max_size=3))
def test_an_edit_changes_only_the_shingles_overlapping_it(text, at, inserted):
    """Replacing one character (or inserting a few) leaves every anchored shingle
    that does not overlap the edit: the anchors are chosen by content, not by
    position, so nothing after the edit shifts out of the set."""
    at = min(at, len(text))
    edited = text[:at] + inserted + text[at + 1:]
    reach = similar.SHINGLE - 1
    untouched = plain_anchored_hashes(text[:max(at, 0)]) | plain_anchored_hashes(text[at + 1:])
    assert untouched <= similar.anchored_hashes(edited)
    assert untouched <= similar.anchored_hashes(text)
    lost = similar.anchored_hashes(text) - similar.anchored_hashes(edited)
    assert len(lost) <= reach + 1  # only the shingles that contained text[at]


@given(prose, prose, prose, prose, prose)
def test_a_passage_has_the_same_anchored_shingles_wherever_it_stands(passage, a, b, c, d):
    inside = plain_anchored_hashes(passage)
    assert inside <= similar.anchored_hashes(a + passage + b) and inside <= similar.anchored_hashes(c + passage + d)


@given(st.text(alphabet=st.sampled_from(ALPHABET), min_size=60, max_size=1000), prose)
def test_equal_texts_give_equal_signatures(body, title):
    assert similar.signature_of(title, body) == similar.signature_of(title, "".join(list(body)))


def test_an_edited_copy_keeps_most_of_its_anchored_shingles():
    """A real post with one sentence in ten rewritten still scores far above the
    threshold against the original, as every-shingle Dice would have it."""
    body = max(real_bodies(), key=len)
    sentences = body.split("。")
    edited = "。".join(s[::-1] if i % 10 == 3 else s for i, s in enumerate(sentences))
    full = [{zlib.crc32(t[i:i + 5].encode()) for i in range(len(t) - 4)} for t in (body, edited)]
    every = 200 * len(full[0] & full[1]) / (len(full[0]) + len(full[1]))
    anchored = similar.dice(similar.anchored_hashes(body), similar.anchored_hashes(edited))
    assert abs(anchored - every) < 5 and anchored > 80
