"""PD401–PD404: affiliate links, the disclosure and tracking ids."""
from __future__ import annotations

import pytest

from app.core.config import Config
from app.core.document import Document
from app.core.parse import ParsedPost
from app.core.rules.affiliate import is_disclosure_block
from tests.rules.harness import CLEAN_POST, check_text, codes, fix_text, make_site, only
from tests.rules.test_cta import assert_round_trip, line_of

DISCLOSURE = "*※ 本ページのリンクにはアフィリエイトリンクが含まれます。*\n\n"
NO_DISCLOSURE = CLEAN_POST.replace(DISCLOSURE, "")
LATE = NO_DISCLOSURE + "\n---\n\n" + DISCLOSURE.strip() + "\n"
BOOK = "### [生成AI導入の教科書]"
AFFILIATE_CODES = {"PD401", "PD402", "PD403", "PD404"}
NO_STATEMENT = {"_layouts/post.html": "<html><body>{{ content }}</body></html>\n"}


def test_clean_post_has_no_affiliate_findings(tmp_path):
    assert not codes(check_text(tmp_path, CLEAN_POST)) & AFFILIATE_CODES


# -- what is a disclosure -------------------------------------------------------

def blocks_of(paragraph: str) -> bool:
    post = ParsedPost(Document("---\ntitle: x\n---\n\n" + paragraph + "\n"), Config())
    return any(is_disclosure_block(post, b) for b in post.blocks)


@pytest.mark.parametrize("text", [
    "*※ 本ページのリンクにはアフィリエイトリンクが含まれます。*",
    "※ 本記事はプロモーションを含みます。",
    "本記事にはプロモーションが含まれています。",
    "この記事は広告を含みます。",
    "【PR】本記事はメーカーの提供でお届けします。",
    "[広告] 以下のリンクから購入できます。",
    "PR：以下で紹介する書籍のリンクから購入すると、当サイトに収益が入ります。",
    "<small>※ 広告を含みます</small>",
    "*本ページはPR記事です*",
    "_広告_",
])
def test_disclosures(text):
    assert blocks_of(text)


@pytest.mark.parametrize("text", [
    "広告費の削減にAIを使う企業が増えています。",
    "PR活動にも生成AIが使われ始めました。",
    "ネット広告の運用をAIで自動化する動きが広がっています。",
    "この記事では広告の効果測定を解説します。",
    "*PR活動の基本*",
    "※ 広告費は税抜きです。",
    "PR TIMESの調査によると、導入企業は増えています。",
    "PROMPTの設計が大切です。",
    "販売プロモーションの企画書をAIで下書きする企業もあります。",
    "生成AIは広告の文案づくりにも使えます。" * 12,  # a long body paragraph
    "### 広告を含む記事の書き方",  # a heading is not a notice
])
def test_prose_about_advertising_is_not_a_disclosure(text):
    assert not blocks_of(text)


# -- PD401 ---------------------------------------------------------------------

def test_missing_disclosure_fires_at_the_first_affiliate_link(tmp_path):
    findings = only(check_text(tmp_path, NO_DISCLOSURE), "PD401")
    assert [f.line for f in findings] == [line_of(NO_DISCLOSURE, BOOK)]


def test_prose_about_ads_does_not_hide_a_missing_disclosure(tmp_path):
    post = NO_DISCLOSURE.replace("### 1. 目的を一つに絞る",
                                 "広告費の削減やPR活動の効率化も、よくある目的です。\n\n### 1. 目的を一つに絞る")
    assert [f.line for f in only(check_text(tmp_path, post), "PD401")] == [line_of(post, BOOK)]


def test_no_affiliate_links_no_disclosure_needed(tmp_path):
    books = NO_DISCLOSURE[NO_DISCLOSURE.index("---\n\n## この記事に関連するおすすめ書籍"):]
    post = NO_DISCLOSURE.replace(books, "")
    assert not codes(check_text(tmp_path, post)) & AFFILIATE_CODES


def test_affiliate_link_in_code_is_not_a_link(tmp_path):
    books = NO_DISCLOSURE[NO_DISCLOSURE.index("---\n\n## この記事に関連するおすすめ書籍"):]
    post = NO_DISCLOSURE.replace(books, "```\n[本](https://www.amazon.co.jp/dp/4000000001/?tag=x-22)\n```\n")
    assert not codes(check_text(tmp_path, post)) & AFFILIATE_CODES


def test_missing_disclosure_fix_goes_before_the_first_link(tmp_path):
    expected = NO_DISCLOSURE.replace(BOOK, DISCLOSURE + BOOK, 1)
    assert_round_trip(tmp_path, NO_DISCLOSURE, "PD401", expected)


def test_missing_disclosure_fix_anywhere_goes_at_the_end(tmp_path):
    config = "affiliate:\n  disclosure_position: anywhere\n"
    expected = NO_DISCLOSURE.rstrip() + "\n\n---\n\n" + DISCLOSURE.strip() + "\n"
    assert fix_text(tmp_path / "f", NO_DISCLOSURE, "PD401", config=config) == expected
    assert not codes(check_text(tmp_path / "c", expected, config=config)) & AFFILIATE_CODES


# -- PD402 ---------------------------------------------------------------------

def test_late_disclosure_fires_at_the_first_link_pointing_at_the_disclosure(tmp_path):
    findings = only(check_text(tmp_path, LATE), "PD402")
    assert [f.line for f in findings] == [line_of(LATE, BOOK)]
    assert findings[0].related[0].line == line_of(LATE, "※ 本ページ")
    assert findings[0].fix is not None and not findings[0].fix.safe


def test_late_disclosure_fix_moves_it_and_drops_the_empty_rule(tmp_path):
    expected = NO_DISCLOSURE.replace(BOOK, DISCLOSURE + BOOK, 1)
    assert_round_trip(tmp_path, LATE, "PD402", expected)


def test_disclosure_before_the_link_in_the_books_zone_is_fine(tmp_path):
    post = NO_DISCLOSURE.replace(BOOK, DISCLOSURE + BOOK, 1)
    assert not codes(check_text(tmp_path, post)) & AFFILIATE_CODES


def test_late_disclosure_off_with_position_anywhere(tmp_path):
    config = "affiliate:\n  disclosure_position: anywhere\n"
    assert not codes(check_text(tmp_path, LATE, config=config)) & AFFILIATE_CODES


def test_one_early_disclosure_is_enough(tmp_path):
    post = CLEAN_POST + "\n---\n\n" + DISCLOSURE.strip() + "\n"
    assert "PD402" not in codes(check_text(tmp_path, post))


# -- PD403 ---------------------------------------------------------------------

def test_statement_in_layout_satisfies(tmp_path):
    assert "PD403" not in codes(check_text(tmp_path, CLEAN_POST))


def test_statement_missing_fires_at_the_first_amazon_link(tmp_path):
    findings = only(check_text(tmp_path, CLEAN_POST, files=NO_STATEMENT), "PD403")
    assert [f.line for f in findings] == [line_of(CLEAN_POST, BOOK)]


def test_statement_in_the_post_satisfies(tmp_path):
    post = CLEAN_POST.replace("リンクが含まれます。*", "リンクが含まれます。Amazonのアソシエイトとして、当サイトは適格販売により収入を得ています。*")
    assert "PD403" not in codes(check_text(tmp_path, post, files=NO_STATEMENT))


def test_statement_with_the_site_name_and_markup_in_an_include_satisfies(tmp_path):
    files = {**NO_STATEMENT, "_includes/footer.html":
             "<p>Amazonのアソシエイトとして、<br>\n  <strong>AIビジネスラボ</strong>は適格販売により収入を得ています。</p>\n"}
    assert "PD403" not in codes(check_text(tmp_path, CLEAN_POST, files=files))


def test_a8_links_need_no_statement(tmp_path):
    books = CLEAN_POST[CLEAN_POST.index("---\n\n## この記事に関連するおすすめ書籍"):]
    post = CLEAN_POST.replace(books, "[会計ソフトの無料体験](https://px.a8.net/svt/ejp?a8mat=3ABCDE+1234)\n")
    assert not codes(check_text(tmp_path, post, files=NO_STATEMENT)) & AFFILIATE_CODES


def test_layouts_are_read_once_per_version(tmp_path, monkeypatch):
    from app.core.rules import affiliate
    site, _ = make_site(tmp_path, CLEAN_POST, files=NO_STATEMENT)
    reads = []
    real = type(site.root).read_bytes
    monkeypatch.setattr(type(site.root), "read_bytes", lambda self: reads.append(self) or real(self))
    affiliate.layout_text(site)
    affiliate.layout_text(site)
    assert len([p for p in reads if "_layouts" in str(p)]) == 1
    (site.root / "_layouts/post.html").write_text("<p>Amazonのアソシエイトとして、当サイトは適格販売により収入を得ています。</p>!")
    assert "適格販売" in affiliate.layout_text(site)



def test_layout_stamp_lists_what_rglob_lists(tmp_path):
    """The scandir walk names the files `rglob` did, in the same order (nested
    folders, names that sort differently as text and as paths, a link to a file;
    a link to a folder is not followed)."""
    from app.core.rules import affiliate
    root = tmp_path / "site"
    for rel in ("_layouts/post.html", "_layouts/a-b/x.html", "_layouts/a/x.html", "_includes/.hidden",
                "_includes/deep/er/z.html", "elsewhere/out.html"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(rel)
    (root / "_includes/file-link.html").symlink_to(root / "elsewhere/out.html")
    (root / "_includes/dir-link").symlink_to(root / "elsewhere", target_is_directory=True)
    files = sorted(p for folder in ("_layouts", "_includes") if (root / folder).is_dir()
                   for p in (root / folder).rglob("*") if p.is_file())
    expected = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files)
    assert affiliate._layout_stamp(root) == expected
    assert len(expected) == 6

# -- PD404 ---------------------------------------------------------------------

def test_foreign_tracking_id_fires_per_link_and_fix_replaces_it(tmp_path):
    post = CLEAN_POST.replace("tag=example-22", "tag=someone-22")
    findings = only(check_text(tmp_path / "c", post), "PD404")
    assert [f.line for f in findings] == [line_of(post, BOOK), line_of(post, "[Amazonで詳しく見る")]
    assert "someone-22" in findings[0].message.en and "example-22" in findings[0].message.en
    assert "example-22" in findings[0].fix.title.en
    assert_round_trip(tmp_path, post, "PD404", CLEAN_POST)


def test_missing_tracking_id_fires_and_fix_adds_it(tmp_path):
    post = CLEAN_POST.replace("/?tag=example-22", "/", 1)
    findings = only(check_text(tmp_path / "c", post), "PD404")
    assert [f.line for f in findings] == [line_of(post, BOOK)]
    assert_round_trip(tmp_path, post, "PD404", CLEAN_POST)


def test_amzn_to_short_link_without_tag_fires_without_fix(tmp_path):
    post = CLEAN_POST + "\n[別の本](https://amzn.to/3abcDEF)\n"
    findings = only(check_text(tmp_path, post), "PD404")
    assert [f.line for f in findings] == [line_of(post, "amzn.to")]
    assert findings[0].fix is None and "short link" in findings[0].message.en


def test_amzn_to_short_link_with_own_tag_is_fine(tmp_path):
    post = CLEAN_POST + "\n[別の本](https://amzn.to/3abcDEF?tag=example-22)\n"
    assert "PD404" not in codes(check_text(tmp_path, post))


def test_a8_link_without_tag_is_not_checked(tmp_path):
    post = CLEAN_POST + "\n[サービス](https://px.a8.net/svt/ejp?a8mat=3ABCDE+1234)\n"
    assert "PD404" not in codes(check_text(tmp_path, post))


def test_amazon_search_page_is_not_a_product_link(tmp_path):
    post = CLEAN_POST + "\n[関連書籍を探す](https://www.amazon.co.jp/s?k=生成AI)\n"
    assert "PD404" not in codes(check_text(tmp_path, post))


def test_gp_product_link_is_a_product_link(tmp_path):
    post = CLEAN_POST + "\n[本](https://www.amazon.co.jp/gp/product/4000000002?tag=other-22&th=1)\n"
    findings = only(check_text(tmp_path / "c", post), "PD404")
    assert [f.line for f in findings] == [line_of(post, "gp/product")]
    expected = post.replace("tag=other-22", "tag=example-22")
    assert_round_trip(tmp_path, post, "PD404", expected)


def test_several_site_ids_give_no_fix(tmp_path):
    config = ("affiliate:\n  programs:\n    - name: Amazon\n      hosts: [www.amazon.co.jp, amzn.to]\n"
              "      tag_param: tag\n      tracking_ids: [example-22, example2-22]\n")
    post = CLEAN_POST.replace("tag=example-22", "tag=someone-22")
    findings = only(check_text(tmp_path, post, config=config), "PD404")
    assert len(findings) == 2 and all(f.fix is None for f in findings)
    assert "PD404" not in codes(check_text(tmp_path / "b", CLEAN_POST.replace("tag=example-22", "tag=example2-22"),
                                           config=config))


def test_aside_posts():
    from tests.rules.test_cta import check_aside
    check_aside(AFFILIATE_CODES)
