"""PD201–PD203's fast paths give the answers of the plain computation.

`duplicates.similarity` skips a rapidfuzz measure when an upper bound from the longest
common subsequence already puts it below the threshold. These tests compare it with
rules.md's measure computed plainly, on random texts built to sit around the
threshold (copies with a few edits, extended, cut), and check the bound itself.
"""
from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz
from rapidfuzz.distance import LCSseq

from app.core.document import Document
from app.core.parse import ParsedPost
from app.core.rules import duplicates

LONG_POST = Path(__file__).parent.parent / "fixtures" / "rules" / "duplicates" / "long_post.md"
# A small alphabet, so that unrelated texts still share many characters (the bound
# must hold when most characters match somewhere, not only for disjoint texts).
ALPHABET = "生成AIの導入はをにがでとする、。ー"
THRESHOLDS = [90.0, 95.0, 80.0, 60.0, 100.0, 0.0, 87.5]
SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))


def plain_similarity(a: str, b: str, threshold: float) -> float:
    """rules.md's measure with nothing skipped (the code before the fast path)."""
    score = fuzz.ratio(a, b, score_cutoff=threshold)
    if score:
        return score
    short, long_ = sorted((len(a), len(b)))
    if short and short * 2 >= long_:
        return fuzz.partial_ratio(a, b, score_cutoff=threshold)
    return 0.0


texts = st.text(alphabet=ALPHABET, min_size=0, max_size=120)


@st.composite
def edited(draw, base: str) -> str:
    """`base` with a few random insertions, deletions and replacements."""
    chars = list(base)
    for _ in range(draw(st.integers(0, 8))):
        op = draw(st.sampled_from(["insert", "delete", "replace"]))
        k = draw(st.integers(0, len(chars)))
        if op == "insert":
            chars.insert(k, draw(st.sampled_from(ALPHABET)))
        elif chars and k < len(chars):
            if op == "delete":
                del chars[k]
            else:
                chars[k] = draw(st.sampled_from(ALPHABET))
    return "".join(chars)


@st.composite
def near_pairs(draw) -> tuple[str, str]:
    """Two texts around the threshold: a copy edited, then maybe extended or cut."""
    a = draw(texts)
    b = draw(edited(a))
    shape = draw(st.sampled_from(["as is", "extended", "prefixed", "cut", "unrelated"]))
    if shape == "extended":
        b += draw(texts)
    elif shape == "prefixed":
        b = draw(texts) + b
    elif shape == "cut":
        b = b[draw(st.integers(0, len(b))):]
    elif shape == "unrelated":
        b = draw(texts)
    return (a, b) if draw(st.booleans()) else (b, a)


@SETTINGS
@given(near_pairs(), st.one_of(st.sampled_from(THRESHOLDS), st.floats(0, 100)))
def test_similarity_equals_the_plain_measure(pair, threshold):
    a, b = pair
    assert duplicates.similarity(a, b, threshold) == plain_similarity(a, b, threshold)


@SETTINGS
@given(near_pairs())
def test_the_common_subsequence_bounds_both_measures(pair):
    """ratio is exactly 2L/(len a + len b); partial_ratio is at most 2L/(s + L). The
    edge windows partial_ratio tries (shorter than the shorter text) are why the
    bound is not L/s: an L/s bound fails here."""
    a, b = pair
    common = LCSseq.similarity(a, b)
    if a or b:
        assert abs(fuzz.ratio(a, b) - 100 * 2 * common / (len(a) + len(b))) < 1e-9
    short = min(len(a), len(b))
    if short:
        assert duplicates._may_reach(2 * common, short + common, fuzz.partial_ratio(a, b))


def test_similarity_equals_the_plain_measure_on_a_real_post():
    """Every pair analyse() measures on the long post, and each text against its
    neighbours: the same score with and without the skips."""
    units = duplicates.analyse(ParsedPost(Document(LONG_POST.read_text(encoding="utf-8")))).units
    texts = [u.text for u in units]
    pairs = duplicates.candidate_pairs(texts) | {(i, i + d) for i in range(len(texts)) for d in (1, 2, 3)
                                                 if i + d < len(texts)}
    scored = 0
    for i, j in sorted(pairs):
        got = duplicates.similarity(texts[i], texts[j], 90)
        assert got == plain_similarity(texts[i], texts[j], 90), (texts[i], texts[j])
        scored += bool(got)
    assert scored >= 3, "the long post holds planted near pairs"
