"""PD403's cheap pre-check (affiliate.could_hold) never hides a statement that the
full NFKC search finds, and its table of decomposable characters covers Unicode as
the running Python knows it."""
from __future__ import annotations

import unicodedata

import pytest

from app.core.rules import affiliate

AMAZON = "Amazonのアソシエイトとして、当サイトは適格販売により収入を得ています。"
RAKUTEN = "当サイトは楽天アフィリエイトに参加しています。"


def test_ranges_cover_every_decomposable_character():
    covered = {c for start, end in affiliate._DECOMPOSABLE_RANGES for c in range(start, end + 1)}
    missing = [hex(c) for c in range(0x110000)
               if c not in covered and unicodedata.normalize("NFKD", chr(c)) != chr(c)]
    assert not missing


def _halfwidth(text: str) -> str:
    """Katakana as halfwidth forms (ｱｿｼｴｲﾄ, ﾋﾞ as two characters)."""
    table = {}
    for c in range(0xFF61, 0xFFA0):
        full = unicodedata.normalize("NFKC", chr(c))
        if len(full) == 1:
            table.setdefault(full, chr(c))
    out = []
    for ch in text:
        base = unicodedata.normalize("NFD", ch)
        if base[0] in table:
            out.append(table[base[0]] + ("ﾞ" if "\u3099" in base else "ﾟ" if "\u309a" in base else ""))
        else:
            out.append(ch)
    return "".join(out)


def _fullwidth(text: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)


VARIANTS = [
    "本文。\n\n" + AMAZON.replace("当サイト", "AIビジネスラボ") + "\n",
    "本文。\n\n" + _fullwidth(AMAZON.replace("当サイト", "AI Lab")) + "\n",
    "本文。\n\n" + _halfwidth(AMAZON.replace("当サイト", "AIビジネスラボ")) + "\n",
    "本文。\n\n" + unicodedata.normalize("NFD", AMAZON.replace("当サイト", "ビジネスラボ")) + "\n",
    "<p>Amazonの<b>アソシエイト</b>として、\n  当ブログは適格販売により\n\n収入を得ています。</p>\n",
    "本文\n" + RAKUTEN.replace("当サイト", "㈱ラボ") + "\n",
    "本文\n" + _halfwidth(RAKUTEN.replace("当サイト", "ラボ")) + "\n",
    "𝐀mazonのアソシエイトとして、ラボは適格販売により収入を得ています。\n",
]


@pytest.mark.parametrize("statement", [AMAZON, RAKUTEN])
@pytest.mark.parametrize("text", VARIANTS)
def test_prefilter_never_hides_a_statement(statement, text):
    found = affiliate.statement_pattern(statement).search(affiliate._normalise(text)) is not None
    if found:
        assert affiliate.could_hold(text, affiliate.statement_chars(statement))


def test_every_variant_is_found_by_the_full_search():
    """The variants above are real matches (so the previous test is not vacuous)."""
    for text in VARIANTS:
        assert any(affiliate.statement_pattern(s).search(affiliate._normalise(text)) for s in (AMAZON, RAKUTEN)), text


def test_prefilter_rejects_a_post_without_the_statement():
    text = "生成AIの導入では、まず小さく試すことが大切です。（例：問い合わせ対応）\n" * 50
    assert not affiliate.could_hold(text, affiliate.statement_chars(AMAZON))
