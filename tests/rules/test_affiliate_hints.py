"""The affiliate family's cheap pre-checks decide exactly what the plain computation
decides: `could_hold` is "every needed character is in the NFKD of the text", and
`may_mention` never turns away a block whose collapsed text mentions a disclosure
pattern (so `is_disclosure_block` is unchanged by it)."""
from __future__ import annotations

import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.config import Config
from app.core.document import Document
from app.core.parse import collapse, parse
from app.core.rules import affiliate

DEFAULT_PATTERNS = Config()["affiliate"]["disclosure_patterns"]
# Characters that are, or decompose into, pieces of the patterns: fullwidth and
# halfwidth forms, squared words, mathematical letters, voiced kana split in two.
PIECES = DEFAULT_PATTERNS + [
    "ＰＲ", "ｐｒ", "ﾌﾟﾛﾓｰｼｮﾝ", "ｱﾌｨﾘｴｲﾄ", "㋲", "㍱", "㎩", "𝐏𝐑", "𝑃", "🄿", "Ⓟ", "ℙ", "ℛ", "Ｒ",
    unicodedata.normalize("NFD", "プロモーション"), "広", "告", "含", "ま", "れ", "が", "か\u3099",
    "P", "R", "p", "r", " ", "\u3000", "\n", "\t", "※", "*", "【", "】", "：", "本記事は", "を含みます",
    "広告費", "PR活動", "PR TIMES", "ネット広告", "記事", "<small>", "</small>", "漢字", "。", "、", "A",
]
texts = st.lists(st.sampled_from(PIECES), max_size=25).map("".join)
patterns = st.lists(st.sampled_from(DEFAULT_PATTERNS + ["PR 記事", "ＰＲ", "含ま れ", "ア", "𝐏", "㋲"]),
                    min_size=1, max_size=4)
HINTS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@HINTS
@given(texts, st.sets(st.sampled_from(sorted({c for p in PIECES for c in unicodedata.normalize("NFKD", p)})),
                      max_size=6))
def test_could_hold_is_the_nfkd_subset_test(text, needed):
    plain = set(needed) <= set(unicodedata.normalize("NFKD", text))
    assert affiliate.could_hold(text, frozenset(needed)) == plain


@HINTS
@given(texts, patterns)
def test_may_mention_passes_every_mention(text, pats):
    if affiliate.mentions_disclosure(collapse(text), pats):
        assert affiliate.may_mention(text, pats)


@HINTS
@given(texts)
def test_disclosure_blocks_match_the_plain_classification(text):
    """Every block's verdict equals the one computed without the pre-check."""
    post = parse(Document("---\ntitle: t\n---\n\n*※ " + text + "*\n\n" + text + "\n\n<small>" + text + "</small>\n\n"
                          "<div>\n<p>" + text + "</p>\n</div>\n"))
    assert any(b.kind == "html" for b in post.blocks)
    for block in post.blocks:
        assert affiliate.is_disclosure_block(post, block) == _plain_is_disclosure_block(post, block)


def _plain_is_disclosure_block(post, block) -> bool:
    """is_disclosure_block with `may_mention` always saying yes."""
    original = affiliate.may_mention
    affiliate.may_mention = lambda raw, pats: True
    try:
        return affiliate.is_disclosure_block(post, block)
    finally:
        affiliate.may_mention = original


def test_the_pieces_make_disclosures_and_the_hint_turns_away_plain_prose():
    """Not vacuous: variants of the patterns are mentions, and ordinary prose is
    turned away by the character class alone."""
    for variant in ("ＰＲ", "𝐏𝐑", "ﾌﾟﾛﾓｰｼｮﾝ", unicodedata.normalize("NFD", "プロモーション")):
        assert affiliate.mentions_disclosure(collapse(variant), DEFAULT_PATTERNS), variant
        assert affiliate.may_mention(variant, DEFAULT_PATTERNS), variant
    assert not affiliate.may_mention("生成AIの導入では、まず小さく試すことが大切です。", DEFAULT_PATTERNS)
