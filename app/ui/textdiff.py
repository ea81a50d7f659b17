"""Where two versions of a post's text differ, and the Document for the new one.

Qt-free (the open post's check process imports it): plain strings in, Edits and
Documents out. Every keystroke's Document, check and preview start here, so the
comparisons run as C-level slice comparisons, not a Python step per character.
"""
from __future__ import annotations

import math

from app.core.document import Document
from app.core.findings import Edit


def common_prefix_length(a: str, b: str) -> int:
    """How many leading characters `a` and `b` share.

    Bisects on slice equality instead of stepping a character at a time: "the first
    k characters are equal" holds for every k up to the answer and for none after,
    so the bisection finds the same k the character loop finds, with about 16
    C-level comparisons (each only of the half not yet known to match) instead of
    40,000 Python steps for a 40,000-character post."""
    lo, hi = 0, min(len(a), len(b))
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[lo:mid] == b[lo:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def common_suffix_length(a: str, b: str, limit: int) -> int:
    """How many trailing characters `a` and `b` share, at most `limit` (bisected as
    in common_prefix_length)."""
    la, lb = len(a), len(b)
    lo, hi = 0, min(limit, la, lb)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[la - mid:la - lo] == b[lb - mid:lb - lo]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def changed_span(old: str, new: str) -> Edit | None:
    """The one edit turning `old` into `new` that keeps their common start and end
    (the start first: an insertion into a run of equal characters is placed at the
    run's end), or None when they are equal."""
    if old == new:
        return None
    start = common_prefix_length(old, new)
    tail = common_suffix_length(old, new, min(len(old), len(new)) - start)
    return Edit(start, len(old) - tail, new[start:len(new) - tail])


def front_matter_end(doc: Document) -> float:
    """Where `doc`'s body starts in the editor (Qt's UTF-16 positions): an edit at or
    after it leaves every front-matter line as it was, so the form has nothing to
    re-read. Infinite when there is no closed front matter (then any edit may add
    one)."""
    if doc.front_matter is None:
        return math.inf
    front = doc.text[:len(doc.text) - len(doc.body)]
    return len(front.encode("utf-16-le")) // 2


def doc_for_text(base: Document, text: str) -> Document:
    """`base` with its text replaced by `text`, changing only the region that differs
    (so a file's newline style, even mixed, survives outside the edit)."""
    edit = changed_span(base.text, text)
    return base if edit is None else base.with_edits([edit])
