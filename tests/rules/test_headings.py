"""PD701–PD702: heading numbering and level skips.

Each rule: posts that must fire it (exact lines, the related heading, messages in both
languages naming both lines) and near-misses that must not (H4 items restarting inside
each H3, a year or a counter word, footer headings, a paragraph glued to `---`).
Neither rule offers a fix: which number is right is the editor's call.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.rules.harness import CLEAN_POST, check_text, line_of, lines_of, only, post

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "rules" / "headings"
HEADING_CODES = {"PD701", "PD702"}
SECTION_1 = "### 1. 目的を一つに絞る\n"
SECTION_2 = "### 2. 小さく試す\n"
SUMMARY = "### まとめ：最初の一歩をどう踏み出すか\n"


def spans(findings) -> list[tuple[str, int, tuple[int, ...]]]:
    """(rule, line, related lines) of the heading findings."""
    return sorted((f.rule, f.line, tuple(r.line for r in f.related)) for f in findings if f.rule in HEADING_CODES)


def test_clean_post_has_no_heading_findings(tmp_path):
    assert spans(check_text(tmp_path, CLEAN_POST)) == []


# -- PD701 -----------------------------------------------------------------------------
def test_pd701_fixture_repeats_backwards_and_a_section_stranded_after_the_footer(tmp_path):
    text = (FIXTURES / "numbering.md").read_text(encoding="utf-8")
    findings = check_text(tmp_path, text)
    assert spans(findings) == [
        ("PD701", 59, (43,)),   # `### 3.` again
        ("PD701", 63, (31,)),   # `### 2.` again (also backwards: a repeat is reported once)
        ("PD701", 100, (67,)),  # `### 3.2.` after the footer goes back from `### 4.`
    ]


def test_pd701_backwards_under_one_parent(tmp_path):
    """`### 7. まとめ`, then `### 6.3.`: the post-anatomy example."""
    text = post((SUMMARY, "### 3. まとめ：最初の一歩をどう踏み出すか\n"),
                ("### あわせて読みたい", "### 2.3. 追記の節\n\n追記の段落です。\n\n---\n\n### あわせて読みたい"))
    found = only(check_text(tmp_path, text), "PD701")
    line, earlier = line_of(text, "### 2.3."), line_of(text, "### 3. まとめ")
    assert [(f.line, [r.line for r in f.related]) for f in found] == [(line, [earlier])]
    assert f"{earlier}行目" in found[0].message("ja") and "「2.3」" in found[0].message("ja")
    assert f"line {earlier}" in found[0].message("en") and "2.3" in found[0].message("en")


def test_pd701_repeat_names_the_first_copy(tmp_path):
    text = post((SECTION_2, "### 1. 小さく試す\n"))
    found = only(check_text(tmp_path, text), "PD701")
    first = line_of(text, SECTION_1.strip())
    assert [(f.line, [r.line for r in f.related]) for f in found] == [(line_of(text, "### 1. 小さく試す"), [first])]
    assert f"{first}行目と重複" in found[0].message("ja") and f"line {first}" in found[0].message("en")


def test_pd701_third_copy_points_at_the_first(tmp_path):
    text = post((SUMMARY, SECTION_2 + "\n再掲です。\n\n" + SECTION_2 + "\n再掲です。\n\n" + SUMMARY))
    first = line_of(text, SECTION_2.strip())
    assert spans(check_text(tmp_path, text)) == [
        ("PD701", line_of(text, SECTION_2.strip(), 2), (first,)),
        ("PD701", line_of(text, SECTION_2.strip(), 3), (first,))]


@pytest.mark.parametrize("old, new", [
    # H4 items restart inside each H3
    (SECTION_2, "#### 1. 問い合わせ\n\n本文です。\n\n#### 2. 議事録\n\n本文です。\n\n" + SECTION_2
     + "\n#### 1. 期間\n\n本文です。\n\n#### 2. 合格ライン\n\n本文です。\n\n"),
    # dotted sub-sections go forwards, then the next H3
    (SECTION_2, "#### 1.1. 期間\n\n本文です。\n\n#### 1.2. 合格ライン\n\n本文です。\n\n" + SECTION_2),
    # a year or a counter word is not a section number
    (SECTION_2, SECTION_2 + "\n本文です。\n\n### 2026年の展望\n\n本文です。\n\n### 1分で分かる要点\n\n本文です。\n"),
    # numbers skipping ahead are not backwards
    (SECTION_2, "### 5. 小さく試す\n"),
])
def test_pd701_near_misses(tmp_path, old, new):
    assert lines_of(check_text(tmp_path, post((old, new))), "PD701") == []


def test_pd701_compares_numbers_not_text(tmp_path):
    """`### 10.` after `### 9.` goes forwards (as text, "10" < "9")."""
    text = post((SECTION_1, "### 9. 目的を一つに絞る\n"), (SECTION_2, "### 10. 小さく試す\n"))
    assert lines_of(check_text(tmp_path, text), "PD701") == []


def test_pd701_footer_headings_are_not_compared(tmp_path):
    """Two books with numbered titles, and a related-posts heading, are footer headings."""
    book = "### [3. 生成AI導入の教科書](https://www.amazon.co.jp/dp/4000000001/?tag=example-22)"
    text = post(("### [生成AI導入の教科書](https://www.amazon.co.jp/dp/4000000001/?tag=example-22)",
                 book + "\n\n説明です。\n\n" + book.replace("3. ", "1. ")))
    assert lines_of(check_text(tmp_path, text), "PD701") == []


def test_pd701_a_paragraph_glued_to_a_rule_is_not_a_numbered_heading(tmp_path):
    """`1. 手順` + `---` renders as `<li><h2>`; PD107 reports it, PD701 does not count it."""
    text = post((SECTION_2, "1. 手順を決める\n---\n\n" + SECTION_2))
    findings = check_text(tmp_path, text)
    assert lines_of(findings, "PD701") == [] and lines_of(findings, "PD107") == [line_of(text, "1. 手順を決める")]


# -- PD702 -----------------------------------------------------------------------------
def test_pd702_skipped_level(tmp_path):
    text = post((SECTION_1, "#### 1. 目的を一つに絞る\n"))
    found = only(check_text(tmp_path, text), "PD702")
    line, previous = line_of(text, "#### 1. 目的"), line_of(text, "## 最初の90日")
    assert [(f.line, [r.line for r in f.related]) for f in found] == [(line, [previous])]
    assert f"H2（{previous}行目）からH4" in found[0].message("ja")
    assert f"H2 (line {previous}) to H4" in found[0].message("en")


def test_pd702_stranded_heading_after_the_cta(tmp_path):
    text = CLEAN_POST.replace("## この記事に関連するおすすめ書籍", "#### 3.1. 追記の節\n\n追記です。\n\n## この記事に関連するおすすめ書籍")
    assert lines_of(check_text(tmp_path, text), "PD702") == [line_of(text, "#### 3.1.")]


@pytest.mark.parametrize("old, new", [
    (SECTION_2, SECTION_2 + "\n本文です。\n\n#### 2.1. 期間\n\n本文です。\n"),          # one level down
    (SUMMARY, "## まとめ：最初の一歩をどう踏み出すか\n"),                                # going up any number
    (SECTION_2, "### 2. 小さく試す\n\n本文です。\n\n#### 2.1. 期間\n\n本文です。\n\n## 次の章\n"),
    (SECTION_2, "本文の最後の行\n---\n\n" + SECTION_2),                                 # a glued paragraph
    (SECTION_2, "```markdown\n#### コードの中\n```\n\n" + SECTION_2),                    # code
])
def test_pd702_near_misses(tmp_path, old, new):
    assert lines_of(check_text(tmp_path, post((old, new))), "PD702") == []


def test_pd702_first_heading_deeper_than_h2_is_not_a_skip(tmp_path):
    text = CLEAN_POST.replace("## 最初の90日が導入の成否を分けます\n\n", "", 1)
    assert lines_of(check_text(tmp_path, text), "PD702") == []


# -- the posts kept aside ----------------------------------------------------------------
def test_aside_posts():
    """tests/fixtures/aside/expected.yml: every heading finding on its line, no more."""
    from tests.rules.test_cta import check_aside
    check_aside(HEADING_CODES)
