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

from app.core.config import Config
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


# -- whole posts with planted repeats ------------------------------------------------------
SENTENCES = [
    "生成AIの導入は、最初の三か月でほぼ方向が決まります。",
    "準備の順番を誤ると、後から取り戻すのは簡単ではありません。",
    "導入を決める前に、実際に使う担当者から困りごとを聞き取ります。",
    "聞き取りは一人十五分ほどで十分で、質問は三つに絞ると答えやすくなります。",
    "利用料だけでなく、設定や研修にかかる社内の工数も見積もっておきます。",
    "初年度は想定より工数がかかるものと考えておくと安心です。",
    "集めた困りごとは一覧にして全員に共有します。",
    "数字がそろうと、どこから手をつけるべきかが見えてきます。",
    "試行の前の数字がなければ、効果は比べられません。",
    "経営層が目的を言葉にしていることが第一の条件です。",
]


@st.composite
def planted_posts(draw) -> str:
    """Article sections of sentences from a small pool (so unrelated paragraphs share
    words), some paragraphs or whole sections copied later with a few edits, extended
    or cut: every branch of the measure gets exercised."""
    paragraphs = st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=4).map("".join)
    sections: list[list[str]] = []
    for n in range(draw(st.integers(1, 5))):
        body = draw(st.lists(paragraphs, min_size=1, max_size=3))
        if sections and draw(st.booleans()):  # plant a copy of an earlier paragraph
            earlier = draw(st.sampled_from([p for s in sections for p in s[1:]]))
            copy = draw(edited(earlier))
            shape = draw(st.sampled_from(["as is", "extended", "cut"]))
            copy = copy + draw(paragraphs) if shape == "extended" else copy[:len(copy) * 2 // 3] if shape == "cut" else copy
            body.insert(draw(st.integers(0, len(body))), copy)
        sections.append([f"### {n + 3}. 見出し{draw(st.sampled_from('一二三'))}", *body])
        if draw(st.integers(0, 3)) == 0:  # plant a copy of a whole section
            sections.append([sections[-1][0], *[draw(edited(p)) for p in sections[-1][1:]]])
    from tests.rules.test_duplicates import with_sections
    return with_sections("\n\n".join("\n\n".join(s) for s in sections) + "\n")


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(planted_posts(), st.sampled_from([90.0, 80.0, 95.0]))
def test_analyse_finds_what_the_plain_measure_finds(text, threshold):
    """The whole analysis (near pairs and every repeat) with the fast measure equals
    the one with the plain measure, on posts with planted repeats."""
    config = Config({"duplicates": {"similarity": threshold, "min_chars": 40}})
    fast = _analyse(text, config, duplicates.similarity)
    plain = _analyse(text, config, plain_similarity)
    assert fast.near == plain.near and fast.repeats == plain.repeats


def _analyse(text: str, config: Config, measure) -> duplicates.Analysis:
    """analyse() of the post with `measure` as its similarity (swapped back after)."""
    post = ParsedPost(Document(text), config)
    saved, duplicates.similarity = duplicates.similarity, measure
    try:
        return duplicates.analyse(post)
    finally:
        duplicates.similarity = saved
