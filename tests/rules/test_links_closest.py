"""PD601's "did you mean" (`links.closest`): rapidfuzz's prefilter leaves difflib
the same answer it gives over every candidate."""
from __future__ import annotations

import difflib

from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.rules.links import closest

# URL-like strings over a small alphabet, so that near matches are common.
urls = st.text(alphabet="/-0123abc", min_size=0, max_size=30)


def _plain(word: str, candidates: list[str], cutoff: float) -> str | None:
    match = difflib.get_close_matches(word, candidates, n=1, cutoff=cutoff)
    return match[0] if match else None


@settings(max_examples=500, deadline=None)
@given(urls, st.lists(urls, max_size=30), st.sampled_from([0.5, 0.6, 0.75, 0.8, 0.85, 0.9, 1.0]))
def test_closest_equals_difflib_over_every_candidate(word, candidates, cutoff):
    assert closest(word, candidates, cutoff) == _plain(word, candidates, cutoff)


@settings(max_examples=300, deadline=None)
@given(st.lists(urls, min_size=1, max_size=30), st.data())
def test_closest_on_edited_copies(candidates, data):
    """Words one or two edits from a candidate: the cases near the cutoff."""
    word = data.draw(st.sampled_from(candidates))
    for _ in range(data.draw(st.integers(0, 2))):
        at = data.draw(st.integers(0, len(word)))
        word = word[:at] + data.draw(st.sampled_from("/-0a")) + word[at + 1:]
    assert closest(word, candidates) == _plain(word, candidates, 0.85)


def test_exactly_on_the_cutoff():
    """2·17/40 = 0.85 exactly: kept, as difflib keeps it."""
    word = "a" * 17 + "b" * 3
    candidate = "a" * 17 + "c" * 3
    assert difflib.SequenceMatcher(None, candidate, word).ratio() == 0.85
    assert closest(word, [candidate]) == candidate == _plain(word, [candidate], 0.85)


def test_a_typo_in_a_post_url():
    site = [f"/2026/03/{d:02d}/{k}-post-{d * 10 + k:05d}/" for d in range(1, 29) for k in (1, 2, 3)]
    assert closest("/2026/03/04/2-post-00024/", site) == "/2026/03/04/2-post-00042/"
