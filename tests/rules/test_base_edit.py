"""`edit_between` (halving search for the common prefix and suffix) gives the edit
the plain character-by-character scan gives, and that edit turns `old` into `new`."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.findings import Edit
from app.core.rules.base import common_prefix_length, edit_between


def _plain_edit_between(old: str, new: str) -> Edit:
    """The scan edit_between replaced: one Python step per shared character."""
    n = min(len(old), len(new))
    p = 0
    while p < n and old[p] == new[p]:
        p += 1
    s = 0
    while s < n - p and old[len(old) - 1 - s] == new[len(new) - 1 - s]:
        s += 1
    return Edit(p, len(old) - s, new[p:len(new) - s])


# Few distinct characters, so that prefixes, suffixes and repeats overlap often.
small = st.text(alphabet="ab\n語", max_size=40)


@settings(max_examples=500, deadline=None)
@given(small, small, small, small)
def test_edit_between_equals_the_plain_scan(head, a, b, tail):
    old, new = head + a + tail, head + b + tail
    edit = edit_between(old, new)
    assert edit == _plain_edit_between(old, new)
    assert old[:edit.start] + edit.text + old[edit.end:] == new


@given(small, small)
def test_common_prefix_length(a, b):
    n = common_prefix_length(a, b)
    assert a[:n] == b[:n]
    assert n == min(len(a), len(b)) or a[n] != b[n]


def test_a_field_edit_in_a_long_post():
    body = "本文の段落です。\n" * 3000
    old = "---\nreading_time: 3\n---\n" + body
    new = "---\nreading_time: 12\n---\n" + body
    assert edit_between(old, new) == Edit(18, 19, "12")
