"""The affiliate family's cheap pre-check decides exactly what the plain computation
decides: `could_hold` (PD403's) is "every needed character is in the NFKD of the
text"; disclosure blocks are found in every variant of the patterns' characters."""
from __future__ import annotations

import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.config import Config
from app.core.document import Document
from app.core.parse import parse
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
HINTS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@HINTS
@given(texts, st.sets(st.sampled_from(sorted({c for p in PIECES for c in unicodedata.normalize("NFKD", p)})),
                      max_size=6))
def test_could_hold_is_the_nfkd_subset_test(text, needed):
    plain = set(needed) <= set(unicodedata.normalize("NFKD", text))
    assert affiliate.could_hold(text, frozenset(needed)) == plain


@HINTS
@given(st.sampled_from(["ＰＲ", "𝐏𝐑", "ﾌﾟﾛﾓｰｼｮﾝ", unicodedata.normalize("NFD", "プロモーション"), "広告"]),
       st.sampled_from(["*※ {}を含みます。*", "【{}】本記事は提供を受けています。", "<small>{}</small>"]))
def test_disclosures_written_with_variant_characters_are_found(variant, shape):
    """A disclosure whose pattern is written in full-width, mathematical, half-width
    or decomposed characters is a disclosure block (what NFKC in `collapse` is for)."""
    post = parse(Document("---\ntitle: t\n---\n\n本文です。\n\n" + shape.format(variant) + "\n"))
    found = affiliate.disclosure_blocks(post)
    assert [b.index for b in found] == [len(post.blocks) - 1], (variant, shape)
    assert not affiliate.disclosure_blocks(parse(Document("---\ntitle: t\n---\n\n生成AIの導入では、まず小さく試すことが大切です。\n")))
