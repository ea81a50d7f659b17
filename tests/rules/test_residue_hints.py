"""The residue rules read only the lines their hint matches (`residue.lines_matching`):
PD105, PD106 and PD108 give exactly the findings they give reading every body line,
and PD101's whole-post gate passes every line that holds a marker. Random posts are
built from the pieces that make these rules fire, in random letter case, next to the
code spans, URLs and code blocks that masking blanks."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.document import Document
from app.core.parse import parse
from app.core.rules import REGISTRY, Context, residue

PIECES = [
    "---END---", "-- end --", "--", "-", "END", "eNd", "`", "``", "`x`", " ", "  ", "\u3000", "\t", "\0",
    "あ", "の", "ア", "漢", "A", "1", "。", "？", "、", "[cite: a]", "[cite_start]", "[cite_end]", "[cite:",
    "【4†source】", "【", "turn0search1", "turn0news2", "\ue200cite\ue202turn0search1\ue201",
    ":contentReference[oaicite:0]{index=0}", "[web:1]", "ſ", "K", "İ", "(", ")", "[", "]", "<", ">",
    "https://e.com/a?utm_source=chatgpt.com&x=1", "?utm_source=openai", "&utm_source=claude.ai)",
    "(https://e.com/?utm_source=gemini)", "<https://x.jp/?a=1&utm_source=copilot>", "utm_source=",
    "無料 であり", "A社 のような", "の A", "あ 1", "漢 の", "？ そして",
    "\n", "\n", "\n\n", "\n```\n", "\n    ", "\n- ", "\n<div>\n", "*", "#", "\r",
]


def _recase(piece: str, flips: list[bool]) -> str:
    return "".join(c.swapcase() if f else c for c, f in zip(piece, flips + [False] * len(piece)))


piece = st.builds(_recase, st.sampled_from(PIECES), st.lists(st.booleans(), max_size=12))
bodies = st.lists(piece, max_size=40).map("".join)


def _context(body: str) -> Context:
    return Context(parse(Document("---\ntitle: t\n---\n" + body)))


def _both(ctx: Context, code: str, hint, findings) -> tuple[list, list]:
    """The rule's findings on its hinted lines, and on every body line."""
    ctx.rule = REGISTRY[code]
    return (list(findings(ctx, residue.lines_matching(ctx, hint))),
            list(findings(ctx, residue.body_lines(ctx.post))))


FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("code, hint, findings", [
    ("PD105", residue.CITATION_HINT, residue.citations),
    ("PD106", residue.STRAY_HINT, residue.stray_spaces),
    ("PD108", residue.UTM_HINT, residue.chat_trackings),
], ids=["citations", "stray-spaces", "chat-trackings"])
@FAST
@given(body=bodies)
def test_findings_on_hinted_lines_are_all_findings(code, hint, findings, body):
    fast, plain = _both(_context(body), code, hint, findings)
    assert fast == plain


@FAST
@given(bodies)
def test_marker_gate_passes_every_marker_line(body):
    ctx = _context(body)
    hinted = residue.lines_matching(ctx, residue.MARKER_HINT)
    for line, text in ctx.post.prose_lines():
        if residue.MARKER.match(text):
            assert line in hinted


@FAST
@given(bodies)
def test_lines_matching_is_a_search_of_each_line(body):
    ctx = _context(body)
    post = ctx.post
    for hint in (residue.MARKER_HINT, residue.CITATION_HINT, residue.STRAY_HINT, residue.UTM_HINT):
        assert residue.lines_matching(ctx, hint) == [
            ln for ln in residue.body_lines(post) if hint.search(post.lines[ln - 1])]


def test_hint_literals_have_no_other_case():
    """CITATION_HINT spells out `t` and `T` and opens its other branches with `[`, `:`
    and `【`; UTM_HINT opens with `_`: no other character may match them ignoring case."""
    import re
    for lead in "t[:【_":
        pattern = re.compile(re.escape(lead), re.IGNORECASE)
        assert {chr(c) for c in range(0x110000) if pattern.fullmatch(chr(c))} == {lead, lead.upper()}


def test_the_random_pieces_make_each_rule_fire():
    """Not vacuous: a post of the pieces above gives each rule findings, hinted or not."""
    body = ("`x` ---END---\n\n本文 [cite: a]と 【4†source】 無料 であり A社 のような説明です。\n\n"
            "[記事](https://e.com/a?UTM_SOURCE=chatgpt.com&x=1)です。\n")
    ctx = _context(body)
    for code, hint, findings in (("PD105", residue.CITATION_HINT, residue.citations),
                                 ("PD106", residue.STRAY_HINT, residue.stray_spaces),
                                 ("PD108", residue.UTM_HINT, residue.chat_trackings)):
        fast, plain = _both(ctx, code, hint, findings)
        assert fast and fast == plain, code
    ctx.rule = REGISTRY["PD101"]
    assert list(residue.generation_marker(ctx))
