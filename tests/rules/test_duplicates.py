"""PD201–PD203: repeats inside one post.

Fixtures are the harness's clean post with article text spliced in before the
summary (`with_sections`), so every line number is computed from the text itself.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from app.core.document import Document
from app.core.parse import ParsedPost
from app.core.rules import duplicates
from tests.rules.harness import CLEAN_POST, check_text, fix_text, line_of, lines_of, only

FIXTURES = Path(__file__).parent.parent / "fixtures" / "rules" / "duplicates"
DUP_CODES = ("PD201", "PD202", "PD203")
SUMMARY = "### まとめ：最初の一歩をどう踏み出すか"


def with_sections(extra: str, post: str = CLEAN_POST) -> str:
    """The clean post with `extra` Markdown inserted before its summary section."""
    return post.replace(SUMMARY, extra.strip("\n") + "\n\n" + SUMMARY, 1)


def dup_findings(tmp_path, text, **kw):
    return [f for f in check_text(tmp_path, text, **kw) if f.rule in DUP_CODES]


SECTION = """### 3. 現場の声を集める

導入を決める前に、実際に使う担当者から困りごとを聞き取ります。聞き取りは一人十五分ほどで十分で、質問は三つに絞ると答えやすくなります。

#### 3.1. 聞き取りの進め方

担当者が毎日どの作業に時間を使っているかを、作業の名前と時間で書き出してもらいます。数字がそろうと、どこから手をつけるべきかが見えてきます。

#### 3.2. 結果の共有

集めた困りごとは一覧にして全員に共有します。自分の声が反映されたと分かると、導入後の協力も得やすくなります。
"""

OTHER = """### 4. 費用の見通しを立てる

利用料だけでなく、設定や研修にかかる社内の工数も見積もっておきます。初年度は想定より工数がかかるものと考えておくと安心です。
"""


# -- must fire -----------------------------------------------------------------------
@pytest.mark.parametrize("copies", [2, 3, 4])
def test_verbatim_section_repeated_reports_each_later_copy_once(tmp_path, copies):
    text = with_sections("\n---END---\n\n".join([SECTION] * copies) + "\n" + OTHER)
    found = dup_findings(tmp_path, text)
    heads = [line_of(text, "### 3. 現場の声を集める", n) for n in range(1, copies + 1)]
    pd202 = only(found, "PD202")
    assert [f.line for f in pd202] == heads[1:]
    first_end = line_of(text, "自分の声が反映された", 1)
    for n, f in enumerate(pd202, start=2):
        assert f.end_line == line_of(text, "自分の声が反映された", n)  # the whole copy, H4s included
        assert [(r.line, r.end_line) for r in f.related] == [(heads[0], first_end)]
        assert f.fix is not None and not f.fix.safe
        assert str(heads[0]) in f.message("ja") and str(heads[0]) in f.message("en")
    # The H3 is a repeated heading; its H4s are not reported again (not by PD201,
    # not by PD202 as nested sections, not by PD203 as paragraphs).
    assert lines_of(found, "PD201") == heads[1:]
    assert all(f.related[0].line == heads[0] for f in only(found, "PD201"))
    assert lines_of(found, "PD203") == []


def test_short_section_repeated_right_after_itself(tmp_path):
    """A 40-character section (under `min_chars`) repeated verbatim is still a duplicate
    section: PD202 on the copy (with PD201 on its heading, as rules.md says), and no
    PD203 for the paragraph inside it."""
    small = "### 2. 小さく試す\n\n全社展開の前に、一つの部署で二週間だけ試します。結果を数字で残すことが大切です。\n"
    text = CLEAN_POST.replace(small, small + "\n" + small)
    found = dup_findings(tmp_path, text)
    first, later = line_of(text, "### 2. 小さく試す", 1), line_of(text, "### 2. 小さく試す", 2)
    [f] = only(found, "PD202")
    assert (f.line, f.end_line, f.related[0].line, f.related[0].end_line) == (later, later + 2, first, first + 2)
    assert lines_of(found, "PD201") == [later] and lines_of(found, "PD203") == []


def test_short_sections_differing_slightly_are_not_duplicates(tmp_path):
    """Under `min_chars` a section repeats only verbatim: one changed word is enough."""
    text = with_sections("### 3. 一部署で試す\n\n一つの部署で二週間だけ試します。\n\n"
                         "### 4. 全部署で試す\n\n全ての部署で二週間だけ試します。\n")
    assert dup_findings(tmp_path, text) == []


def test_marker_glued_under_a_cut_paragraph_is_not_part_of_the_span(tmp_path):
    full = "試行の前の数字がなければ、効果は比べられません。ツールを使い始める前の二週間ほどで、現在の作業時間や件数を記録しておきましょう。"
    text = with_sections(f"### 4. 効果を測る\n\n{full[:50]}\n---END---\n\n{full}\n")
    [f] = only(dup_findings(tmp_path, text), "PD203")
    cut = line_of(text, full[:50])
    assert (f.related[0].line, f.related[0].end_line) == (cut, None)


def test_extended_copy_is_a_duplicate_section(tmp_path):
    extended = (SECTION
                .replace("答えやすくなります。", "答えやすくなります。聞き取りの日時は事前に伝えておきましょう。")
                .replace("見えてきます。", "見えてきます。書き出しには簡単な表を使うと便利です。")
                + "\n#### 3.3. 次の一手\n\n一覧の中から、効果が大きく手間の少ない作業を一つ選んで試します。\n")
    text = with_sections(SECTION + "\n---END---\n\n" + extended)
    found = dup_findings(tmp_path, text)
    later = line_of(text, "### 3. 現場の声を集める", 2)
    assert lines_of(found, "PD202") == [later]
    assert only(found, "PD202")[0].end_line == line_of(text, "一覧の中から、効果が大きく")
    assert lines_of(found, "PD201") == [later]


def test_reworded_copy_above_the_threshold_is_a_duplicate(tmp_path):
    reworded = (SECTION.replace("困りごとを聞き取ります", "困りごとをヒアリングします")
                .replace("見えてきます", "分かってきます"))
    text = with_sections(SECTION + "\n" + reworded)
    assert lines_of(dup_findings(tmp_path, text), "PD202") == [line_of(text, "### 3. 現場の声を集める", 2)]


def test_heavily_rewritten_section_is_not_a_duplicate(tmp_path):
    rewritten = """### 5. 現場の声を集める

ツールを選ぶ前に、現場の担当者へ短いアンケートを配ります。回答の締め切りは一週間後とし、自由記述欄も設けます。

#### 5.1. アンケートの設計

設問は選択式を中心にして、回答の負担を減らします。集計の手間も小さくなります。
"""
    text = with_sections(SECTION + "\n" + rewritten)
    found = dup_findings(tmp_path, text)
    assert lines_of(found, "PD202") == [] and lines_of(found, "PD203") == []
    assert lines_of(found, "PD201") == [line_of(text, "### 5. 現場の声を集める")]  # same title, other number


def test_repeated_summary_is_a_duplicate_heading_and_section(tmp_path):
    summary = CLEAN_POST[CLEAN_POST.index(SUMMARY):CLEAN_POST.index("\n---\n\n### あわせて読みたい")]
    numbered = summary.replace("### まとめ：", "### 7. まとめ：")
    text = CLEAN_POST.replace(summary, summary + "\n\n---END---\n\n" + numbered, 1)
    found = dup_findings(tmp_path, text)
    first, later = line_of(text, "まとめ：最初の一歩", 1), line_of(text, "まとめ：最初の一歩", 2)
    assert lines_of(found, "PD201") == [later]
    [f] = only(found, "PD202")
    assert (f.line, f.end_line) == (later, line_of(text, "どの業務から始めますか", 2))
    assert f.related[0].line == first


def test_same_numbered_heading_twice_with_different_text(tmp_path):
    text = with_sections("### 5. 成功の条件\n\n経営層が目的を言葉にしていることが第一の条件です。\n\n"
                         "### 5. 成功の条件\n\n現場に小さな成功体験があることも欠かせません。\n")
    found = dup_findings(tmp_path, text)
    assert lines_of(found, "PD201") == [line_of(text, "### 5. 成功の条件", 2)]
    assert lines_of(found, "PD202") == [] and lines_of(found, "PD203") == []


def test_run_of_paragraphs_repeated_without_heading(tmp_path):
    p1 = "生成AIの導入は、最初の三か月でほぼ方向が決まります。準備の順番を誤ると、後から取り戻すのは簡単ではありません。"
    p2 = "そこで本記事では、目的の決め方、試し方、効果の測り方の三つに分けて、中小企業が押さえるべき点を整理します。"
    text = with_sections(f"{p1}\n\n{p2}\n\n{OTHER}\n---END---\n\n{p1}\n\n{p2}\n")
    found = dup_findings(tmp_path, text)
    [f] = only(found, "PD202")
    assert (f.line, f.end_line) == (line_of(text, p1[:20], 2), line_of(text, p2[:20], 2))
    assert (f.related[0].line, f.related[0].end_line) == (line_of(text, p1[:20]), line_of(text, p2[:20]))
    assert lines_of(found, "PD203") == []


def test_restarted_paragraph_after_a_truncated_pass(tmp_path):
    full = "試行の前の数字がなければ、効果は比べられません。ツールを使い始める前の二週間ほどで、現在の作業時間や件数を記録しておきましょう。"
    cut = full[:50]
    text = with_sections(f"### 4. 効果を測る\n\n{cut}\n\n---END---\n\n{full}\n")
    found = dup_findings(tmp_path, text)
    assert lines_of(found, "PD203") == [line_of(text, full)]
    assert only(found, "PD203")[0].related[0].line == line_of(text, cut)
    assert lines_of(found, "PD202") == []


def test_min_chars_is_configurable(tmp_path):
    para = "担当者の声を集めると、導入後の協力が得やすくなります。"  # 27 characters
    text = with_sections(f"### 4. 声を集める\n\n{para}\n\n{OTHER}\n{para}\n")
    assert lines_of(dup_findings(tmp_path, text), "PD203") == []
    found = dup_findings(tmp_path, text, config="duplicates: {min_chars: 20}\n")
    assert lines_of(found, "PD203") == [line_of(text, para, 2)]


def test_fix_deletes_the_later_copy_and_nothing_else(tmp_path):
    base = with_sections(SECTION + "\n" + OTHER)
    text = with_sections(SECTION + "\n" + SECTION + "\n" + OTHER)
    fixed = fix_text(tmp_path, text, "PD202")
    assert fixed == base
    assert dup_findings(tmp_path / "again", fixed) == []


# -- must not fire -------------------------------------------------------------------
def test_clean_post_has_no_duplicates(tmp_path):
    assert dup_findings(tmp_path, CLEAN_POST) == []


def test_footer_book_entries_are_never_compared(tmp_path):
    book = ("### [生成AI導入の教科書 第{n}版](https://www.amazon.co.jp/dp/400000000{n}/?tag=example-22)\n\n"
            "導入の段取りを一冊で押さえられる、中小企業の担当者向けの入門書です。事例と手順が豊富に載っています。\n\n"
            "[Amazonで詳しく見る →](https://www.amazon.co.jp/dp/400000000{n}/?tag=example-22)\n")
    head, _ = CLEAN_POST.split("### [生成AI導入の教科書]")
    text = head + "\n".join(book.format(n=n) for n in range(1, 4))
    assert dup_findings(tmp_path, text) == []


def test_sections_sharing_a_boilerplate_opening_are_not_duplicates(tmp_path):
    opening = "この章では、導入を検討している企業から実際によく寄せられる質問に答えます。"
    text = with_sections(
        f"### 3. 費用について\n\n{opening}最も多いのは、月額の利用料が従業員数に応じてどこまで増えるのかという質問です。\n\n"
        f"### 4. 情報管理について\n\n{opening}次に多いのは、入力した社内の文書が学習に使われないかという心配です。\n")
    assert dup_findings(tmp_path, text) == []


def test_short_repeated_lines_are_not_duplicates(tmp_path):
    link = "[Amazonで詳しく見る →](https://www.amazon.co.jp/dp/4000000009/?tag=example-22)"
    text = with_sections(f"### 3. 参考書籍\n\n一冊目は入門書です。\n\n{link}\n\n二冊目は実践書です。\n\n{link}\n")
    assert dup_findings(tmp_path, text) == []


def test_numbered_h4_items_with_similar_short_texts(tmp_path):
    items = "\n".join(f"#### {n}. {name}の事例\n\n{name}の詳しい内容は下記の通りです。\n"
                      for n, name in enumerate(["A社", "B社", "C社", "D社"], start=1))
    text = with_sections("### 3. 導入事例\n\n" + items)
    assert dup_findings(tmp_path, text) == []


def test_same_h4_title_under_different_sections_is_not_a_duplicate_heading(tmp_path):
    text = with_sections(
        "### 3. 小売業\n\n#### 課題\n\n在庫の読み違いが多いことです。\n\n"
        "### 4. 製造業\n\n#### 課題\n\n検査の人手が足りないことです。\n\n#### 課題\n\n同じ見出しが兄弟にあれば重複です。\n")
    assert lines_of(dup_findings(tmp_path, text), "PD201") == [line_of(text, "#### 課題", 3)]


def test_duplicated_footer_flags_its_headings_but_not_each_book(tmp_path):
    footer = CLEAN_POST[CLEAN_POST.index("---\n\n### あわせて読みたい"):]
    book2 = ("\n### [中小企業のためのAI活用入門](https://www.amazon.co.jp/dp/4000000002/?tag=example-22)\n\n"
             "導入の段取りを一冊で押さえられる入門書です。\n\n"
             "[Amazonで詳しく見る →](https://www.amazon.co.jp/dp/4000000002/?tag=example-22)\n")
    text = CLEAN_POST + book2 + "\n" + footer + book2
    found = dup_findings(tmp_path, text)
    assert lines_of(found, "PD202") == [] and lines_of(found, "PD203") == []
    assert lines_of(found, "PD201") == [line_of(text, "### あわせて読みたい", 2), line_of(text, "## AI導入のご相談", 2),
                                        line_of(text, "## この記事に関連するおすすめ書籍", 2)]


# -- the measure and the cost ------------------------------------------------------------
def test_similarity_follows_rules_md():
    a = "生成AIの導入は、最初の三か月でほぼ方向が決まります。準備の順番を整理します。"
    assert duplicates.similarity(a, a, 90) == 100
    assert duplicates.similarity(a, a + "具体的な手順も紹介します。", 90) >= 90  # contains it, longer by < 2x
    assert duplicates.similarity(a, a * 3, 90) == 0  # the shorter is less than half the longer
    assert duplicates.similarity(a, "まったく別の話題についての段落で、共通する部分はほとんどありません。", 90) == 0


def planted(text: str, name: str) -> int:
    """The file line of a `<!-- PLANT name: … -->` comment in the long post."""
    return line_of(text, f"<!-- PLANT {name}:")


def test_a_long_post_gives_exactly_its_planted_repeats():
    """A 42,000-character post of distinct real paragraphs with three planted repeats
    (see make_long_post.py): each is reported once, on its lines, and nothing else is."""
    text = (FIXTURES / "long_post.md").read_text(encoding="utf-8")
    assert len(text) >= 38000
    lines = text.split("\n")
    section, extended, restart = planted(text, "section"), planted(text, "extended"), planted(text, "restart")
    copy5, orig5 = section + 4, line_of(text, lines[section + 3])  # "### 5." after the marker, and the first one
    copy20, orig20 = extended + 2, line_of(text, lines[extended + 1])
    got = [(r.kind, r.line, r.end_line, r.first, r.first_end) for r in
           duplicates.analyse(ParsedPost(Document(text))).repeats]
    assert got == [
        ("section", copy5, section_end(lines, copy5), orig5, section_end(lines, orig5)),
        ("section", copy20, section_end(lines, copy20), orig20, section_end(lines, orig20)),
        ("paragraph", restart + 5, restart + 5, restart + 2, restart + 2),  # cut copy, glued marker, full copy
    ]


def section_end(lines: list[str], heading: int) -> int:
    """The last text line of the section whose heading is on file line `heading`: the
    line before the next heading, comment or `---` line, blank lines skipped."""
    ln = heading + 1
    while ln <= len(lines) and not lines[ln - 1].startswith(("#", "<!--", "---")):
        ln += 1
    ln -= 1
    while not lines[ln - 1].strip():
        ln -= 1
    return ln


def test_candidate_index_misses_no_near_pair_on_a_long_post():
    """The anchor index only proposes pairs; on the long post it proposes every pair of
    body blocks that rules.md's measure calls near, checked against all pairs by brute
    force. (Headings are left out: a 10-character title holds one or two anchors, and
    repeated headings are found by their key, PD201, not by this index.)"""
    text = (FIXTURES / "long_post.md").read_text(encoding="utf-8")
    units = duplicates.analyse(ParsedPost(Document(text))).units
    texts = [u.text for u in units]
    body = [u.pos for u in units if u.heading is None]
    brute = {(i, j) for n, i in enumerate(body) for j in body[n + 1:]
             if duplicates.similarity(texts[i], texts[j], 90)}
    assert brute, "the long post holds planted near pairs"
    assert brute <= duplicates.candidate_pairs(texts)


# -- the posts kept aside (tests/fixtures/aside) -----------------------------------------
def test_aside_posts():
    """expected.yml's PD201–PD203 findings on their lines, and none it forbids."""
    from tests.rules.test_cta import check_aside
    check_aside(set(DUP_CODES))
