"""Apply fixes: safe ones, and with `unsafe=True` the ones an editor should review.

Fixes are text edits on the lossless Document, so nothing outside them moves. After
a round of fixes the post is checked again and fixed again (a fix can reveal or move
others), until nothing fixable is left or a bound is reached.
"""
from __future__ import annotations

from typing import Callable

from .document import Document
from .findings import Edit, Finding

MAX_ROUNDS = 8


def fixable(findings: list[Finding], unsafe: bool = False) -> list[Finding]:
    return [f for f in findings if f.fix is not None and (f.fix.safe or unsafe)]


def apply_fixes(doc: Document, findings: list[Finding], unsafe: bool = False) -> tuple[Document, int]:
    """One round: every applicable fix whose edits do not overlap an earlier one."""
    chosen: list[Edit] = []
    applied = 0
    for f in sorted(fixable(findings, unsafe), key=lambda f: (f.line, f.rule)):
        edits = sorted(f.fix.edits)
        if any(_overlaps(e, c) for e in edits for c in chosen):
            continue
        chosen.extend(edits)
        applied += 1
    return (doc.with_edits(chosen) if chosen else doc), applied


def _overlaps(a: Edit, b: Edit) -> bool:
    if a.start == a.end and b.start == b.end:
        return a.start == b.start
    return a.start < b.end and b.start < a.end or a.start == b.start


def fix_until_clean(doc: Document, check: Callable[[Document], list[Finding]], unsafe: bool = False) -> tuple[Document, int]:
    """Fix, re-check and fix again; returns the fixed document and the fix count."""
    total = 0
    for _ in range(MAX_ROUNDS):
        doc, n = apply_fixes(doc, check(doc), unsafe)
        if n == 0:
            break
        total += n
    return doc, total
