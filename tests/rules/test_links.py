"""PD601–PD603: links between the site's own pages."""
from __future__ import annotations

from app.core.rules import links
from tests.rules.harness import CLEAN_POST, RELATED_POST, check_text, codes, fix_text, make_site, only
from tests.rules.test_cta import assert_round_trip, line_of

RELATED = "- [RAG導入で最初につまずく三つの壁](/2026/02/18/2-rag-first-walls/)\n"
LINK_CODES = {"PD601", "PD602", "PD603"}


def with_related(*items: str) -> str:
    return CLEAN_POST.replace(RELATED, RELATED + "".join(items))


def test_clean_post_has_no_link_findings(tmp_path):
    assert not codes(check_text(tmp_path, CLEAN_POST)) & LINK_CODES


# -- PD601 ---------------------------------------------------------------------

def test_link_to_no_post_fires_on_its_line(tmp_path):
    post = with_related("- [存在しない記事](/2026/01/01/1-no-such-post/)\n")
    findings = only(check_text(tmp_path, post), "PD601")
    assert [f.line for f in findings] == [line_of(post, "no-such-post")]
    assert "PD602" not in codes(check_text(tmp_path / "b", post))


def test_query_and_fragment_are_ignored(tmp_path):
    post = with_related("- [RAG導入で最初につまずく三つの壁](/2026/02/18/2-rag-first-walls/?ref=x#walls)\n")
    assert "PD601" not in codes(check_text(tmp_path, post))


def test_pages_files_and_the_home_page(tmp_path):
    body = ("\n[問い合わせ](/contact/) [問い合わせ](/contact/index.html) [概要](/about/) [会社](/company/)"
            " [トップ](/?utm_source=x) ![図](/assets/images/posts/2026-03-04-1-sample-post-ogp.png)\n")
    files = {"about.html": "---\ntitle: about\n---\n", "company/index.md": "---\ntitle: c\n---\n",
             "index.md": "---\ntitle: top\n---\n"}
    post = CLEAN_POST.replace("### 1. 目的を一つに絞る", body + "\n### 1. 目的を一つに絞る")
    assert "PD601" not in codes(check_text(tmp_path, post, files=files))


def test_missing_image_and_missing_home_page_fire(tmp_path):
    body = "\n![図](/assets/images/posts/missing.png) [トップ](/)\n"
    post = CLEAN_POST.replace("### 1. 目的を一つに絞る", body + "\n### 1. 目的を一つに絞る")
    findings = only(check_text(tmp_path, post), "PD601")
    assert [f.line for f in findings] == [line_of(post, "missing.png")] * 2


def test_links_inside_code_are_not_links(tmp_path):
    body = "\n`[x](/nowhere/)` と書きます。\n\n```\n[x](/nowhere/)\n```\n"
    post = CLEAN_POST.replace("### 1. 目的を一つに絞る", body + "\n### 1. 目的を一つに絞る")
    assert "PD601" not in codes(check_text(tmp_path, post))


def test_trailing_dash_slug_is_dropped_as_jekyll_does(tmp_path):
    files = {"_posts/2026-01-19-2-genai-usage-rules-legal-first-.md": RELATED_POST.replace("2026-02-18", "2026-01-19")}
    good = with_related("- [x](/2026/01/19/2-genai-usage-rules-legal-first/)\n")
    assert "PD601" not in codes(check_text(tmp_path / "a", good, files=files))
    bad = with_related("- [x](/2026/01/19/2-genai-usage-rules-legal-first-/)\n")
    findings = only(check_text(tmp_path / "b", bad, files=files), "PD601")
    assert [f.line for f in findings] == [line_of(bad, "legal-first-/")]
    assert "/2026/01/19/2-genai-usage-rules-legal-first/" in findings[0].message.en


def test_link_to_a_draft_is_broken(tmp_path):
    files = {"_drafts/agent-pricing.md": RELATED_POST}
    post = with_related("- [x](/2026/06/03/2-agent-pricing/)\n")
    findings = only(check_text(tmp_path, post, files=files), "PD601")
    assert [f.line for f in findings] == [line_of(post, "agent-pricing")]
    assert "_drafts/agent-pricing.md" in findings[0].message.en


def test_liquid_post_url(tmp_path):
    good = with_related("- [RAG導入で最初につまずく三つの壁]({% post_url 2026-02-18-2-rag-first-walls %})\n")
    assert not codes(check_text(tmp_path / "a", good)) & LINK_CODES
    bad = with_related("- [x]({% post_url 2026-01-01-1-gone %})\n")
    assert [f.line for f in only(check_text(tmp_path / "b", bad), "PD601")] == [line_of(bad, "1-gone")]


def test_external_and_protocol_relative_links_are_not_internal(tmp_path):
    post = with_related("- [x](//cdn.example.com/nowhere/)\n- [y](https://example.org/nowhere/)\n")
    assert "PD601" not in codes(check_text(tmp_path, post))


# -- PD602 ---------------------------------------------------------------------

def test_cut_title_fires_and_fix_sets_the_title(tmp_path):
    post = CLEAN_POST.replace("[RAG導入で最初につまずく三つの壁]", "[RAG導入で最初につまずく三つ]")
    findings = only(check_text(tmp_path / "c", post), "PD602")
    assert [f.line for f in findings] == [line_of(post, "rag-first-walls")]
    assert "cut off" in findings[0].message.en and "RAG導入で最初につまずく三つの壁" in findings[0].message.en
    assert_round_trip(tmp_path, post, "PD602", CLEAN_POST)


def test_different_title_fires_and_fix_keeps_markup_outside_the_text(tmp_path):
    post = CLEAN_POST.replace("- [RAG導入で最初につまずく三つの壁]", "- [RAGの壁 [改訂版]]")
    findings = only(check_text(tmp_path / "c", post), "PD602")
    assert [f.line for f in findings] == [line_of(post, "rag-first-walls")]
    assert_round_trip(tmp_path, post, "PD602", CLEAN_POST)


def test_title_with_markdown_characters_is_escaped(tmp_path):
    files = {"_posts/2026-02-18-2-rag-first-walls.md":
             RELATED_POST.replace('title: "RAG導入で最初につまずく三つの壁"', 'title: "RAG_導入の*三つ*の壁 [前編]"')}
    fixed_post = fix_text(tmp_path / "f", CLEAN_POST, "PD602", files=files)
    assert "[RAG\\_導入の\\*三つ\\*の壁 \\[前編\\]](/2026/02/18/2-rag-first-walls/)" in fixed_post
    assert "PD602" not in codes(check_text(tmp_path / "c", fixed_post, files=files))


def test_link_text_outside_related_zone_is_free(tmp_path):
    post = CLEAN_POST.replace("ここでは準備の順番を整理します。",
                              "[前回の記事](/2026/02/18/2-rag-first-walls/)で壁を整理しました。")
    assert "PD602" not in codes(check_text(tmp_path, post))


def test_titles_are_read_once_per_file_version(tmp_path, monkeypatch):
    site, _ = make_site(tmp_path, CLEAN_POST)
    target = site.root / "_posts/2026-02-18-2-rag-first-walls.md"
    calls = []  # each read of the file (the light reader, which falls back to Document.load)
    real = links._light_title
    monkeypatch.setattr(links, "_light_title", lambda raw: calls.append(raw) or real(raw))
    links._TITLES.pop(target, None)
    assert links.post_title(target) == "RAG導入で最初につまずく三つの壁"
    assert links.post_title(target) == "RAG導入で最初につまずく三つの壁"
    assert len(calls) == 1
    target.write_text(RELATED_POST.replace("三つの壁", "四つの壁"), encoding="utf-8")
    assert links.post_title(target) == "RAG導入で最初につまずく四つの壁"


# -- PD603 ---------------------------------------------------------------------

def test_self_link_fires(tmp_path):
    post = with_related("- [中小企業の生成AI導入、最初の90日で何をすべきか](/2026/03/04/1-sample-post/)\n")
    findings = only(check_text(tmp_path, post), "PD603")
    assert [f.line for f in findings] == [line_of(post, "1-sample-post/)")]
    assert "PD601" not in codes(check_text(tmp_path / "b", post))


def test_self_link_on_the_site_host_fires(tmp_path):
    files = {"_config.yml": "url: https://blog.example.jp\n"}
    post = CLEAN_POST.replace("ここでは準備の順番を整理します。",
                              "[この記事](https://blog.example.jp/2026/03/04/1-sample-post/)で整理します。")
    assert [f.line for f in only(check_text(tmp_path, post, files=files), "PD603")] == [line_of(post, "この記事](")]


def test_in_page_anchor_is_not_a_self_link(tmp_path):
    post = CLEAN_POST.replace("ここでは準備の順番を整理します。",
                              "[まとめ](/2026/03/04/1-sample-post/#まとめ)と[目的](#1-目的を一つに絞る)を先に。")
    assert "PD603" not in codes(check_text(tmp_path, post))


def test_aside_posts():
    from tests.rules.test_cta import check_aside
    check_aside(LINK_CODES)
