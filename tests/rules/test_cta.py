"""PD301–PD304: the call to action. Fire / don't fire, and fix round trips."""
from __future__ import annotations

import pytest

from app.core.config import DEFAULT_CTA_TEMPLATES
from tests.rules.harness import CLEAN_POST, check_text, codes, fix_text, lines_of, only

CTA_LINK = ("[お問い合わせはこちら](/contact/?utm_source=article&utm_medium=cta&utm_campaign=strategy)\n"
            "{: .consulting-cta-link}\n")
CTA_BLOCK = ("## AI導入のご相談を承っています\n\n自社に合った進め方を一緒に考えます。お気軽にご相談ください。\n\n"
             + CTA_LINK + "\n---\n\n")
NO_CTA = CLEAN_POST.replace(CTA_BLOCK, "")
CTA_CODES = {"PD301", "PD302", "PD303", "PD304"}


def line_of(text: str, needle: str, nth: int = 0) -> int:
    """1-based line of the nth line containing `needle`."""
    hits = [i for i, line in enumerate(text.split("\n"), start=1) if needle in line]
    return hits[nth]


def assert_round_trip(tmp_path, post: str, code: str, expected: str) -> None:
    """The fix gives exactly `expected`, and re-checking shows the finding gone and
    every other rule's findings as before."""
    before = check_text(tmp_path / "before", post)
    fixed = fix_text(tmp_path / "fix", post, code)
    assert fixed == expected
    after = check_text(tmp_path / "after", fixed)
    assert code not in codes(after)
    assert codes(before) - {code} == codes(after)


def test_clean_post_has_no_cta_findings(tmp_path):
    assert not codes(check_text(tmp_path, CLEAN_POST)) & CTA_CODES


# -- PD301 ---------------------------------------------------------------------

def test_missing_cta_fires_at_the_footer(tmp_path):
    findings = check_text(tmp_path, NO_CTA)
    assert lines_of(findings, "PD301") == [line_of(NO_CTA, "### あわせて読みたい")]
    assert "strategy" in only(findings, "PD301")[0].message.en


def test_cta_by_utm_medium_alone_counts(tmp_path):
    post = CLEAN_POST.replace("{: .consulting-cta-link}\n", "")
    assert "PD301" not in codes(check_text(tmp_path, post))


def test_cta_by_marker_alone_counts(tmp_path):
    post = CLEAN_POST.replace("?utm_source=article&utm_medium=cta&utm_campaign=strategy", "")
    findings = check_text(tmp_path, post)
    assert "PD301" not in codes(findings)
    assert lines_of(findings, "PD303") == [line_of(post, "[お問い合わせはこちら]")]


def test_cta_inside_code_is_not_a_cta(tmp_path):
    post = NO_CTA.replace("### あわせて読みたい", "```markdown\n" + CTA_LINK + "```\n\n### あわせて読みたい")
    assert lines_of(check_text(tmp_path, post), "PD301") == [line_of(post, "### あわせて読みたい")]


def test_missing_cta_fix_inserts_the_template_after_related_posts(tmp_path):
    template = DEFAULT_CTA_TEMPLATES["strategy"]
    related = "- [RAG導入で最初につまずく三つの壁](/2026/02/18/2-rag-first-walls/)\n"
    expected = NO_CTA.replace(related, related + "\n---\n\n" + template + "\n")
    assert_round_trip(tmp_path, NO_CTA, "PD301", expected)


def test_missing_cta_fix_without_related_posts_goes_before_the_books(tmp_path):
    related = "### あわせて読みたい\n\n- [RAG導入で最初につまずく三つの壁](/2026/02/18/2-rag-first-walls/)\n\n---\n\n"
    post = NO_CTA.replace(related, "")
    expected = post.replace("## この記事に関連するおすすめ書籍",
                            DEFAULT_CTA_TEMPLATES["strategy"] + "\n\n---\n\n## この記事に関連するおすすめ書籍")
    assert_round_trip(tmp_path, post, "PD301", expected)


def test_missing_cta_fix_without_footer_goes_at_the_end(tmp_path):
    post = NO_CTA[:NO_CTA.index("---\n\n### あわせて読みたい")].rstrip() + "\n\n\n"
    expected = post.rstrip() + "\n\n---\n\n" + DEFAULT_CTA_TEMPLATES["strategy"] + "\n"
    findings = check_text(tmp_path / "c", post)
    assert lines_of(findings, "PD301") == [len(post.rstrip().split("\n"))]
    assert_round_trip(tmp_path, post, "PD301", expected)


def test_missing_cta_without_template_has_no_fix(tmp_path):
    config = "cta:\n  campaigns: {AI導入戦略: webinar}\n"
    findings = only(check_text(tmp_path, NO_CTA, config=config), "PD301")
    assert len(findings) == 1 and findings[0].fix is None
    assert "webinar" in findings[0].message.en


def test_missing_cta_with_unknown_category_has_no_fix(tmp_path):
    post = NO_CTA.replace("categories: [AI導入戦略]", "categories: [雑記]")
    findings = only(check_text(tmp_path, post), "PD301")
    assert len(findings) == 1 and findings[0].fix is None


# -- PD302 ---------------------------------------------------------------------

def test_campaign_mismatch_fires_and_fix_edits_only_the_value(tmp_path):
    post = CLEAN_POST.replace("utm_campaign=strategy", "utm_campaign=news")
    findings = only(check_text(tmp_path / "c", post), "PD302")
    assert [f.line for f in findings] == [line_of(post, "[お問い合わせはこちら]")]
    assert "strategy" in findings[0].message.en and "news" in findings[0].message.en
    assert_round_trip(tmp_path, post, "PD302", CLEAN_POST)


def test_campaign_matching_category_does_not_fire(tmp_path):
    post = CLEAN_POST.replace("categories: [AI導入戦略]", "categories: [AI最新ニュース]").replace(
        "utm_campaign=strategy", "utm_campaign=news")
    assert "PD302" not in codes(check_text(tmp_path, post))


def test_campaign_missing_is_pd303_not_pd302(tmp_path):
    post = CLEAN_POST.replace("&utm_campaign=strategy", "")
    findings = check_text(tmp_path, post)
    assert "PD302" not in codes(findings)
    assert lines_of(findings, "PD303") == [line_of(post, "[お問い合わせはこちら]")]


# -- PD303 ---------------------------------------------------------------------

@pytest.mark.parametrize("param", ["utm_source=article&", "utm_medium=cta&", "&utm_campaign=strategy"])
def test_tracking_incomplete_fires_for_each_missing_parameter(tmp_path, param):
    post = CLEAN_POST.replace(param, "")
    findings = only(check_text(tmp_path, post), "PD303")
    assert [f.line for f in findings] == [line_of(post, "[お問い合わせはこちら]")]
    assert param.strip("&").split("=")[0] in findings[0].message.en


def test_tracking_empty_value_counts_as_missing(tmp_path):
    post = CLEAN_POST.replace("utm_source=article", "utm_source=")
    assert lines_of(check_text(tmp_path, post), "PD303") == [line_of(post, "[お問い合わせはこちら]")]


def test_tracking_fix_appends_the_template_values(tmp_path):
    post = CLEAN_POST.replace("utm_medium=cta&", "")
    expected = CLEAN_POST.replace("utm_source=article&utm_medium=cta&utm_campaign=strategy",
                                  "utm_source=article&utm_campaign=strategy&utm_medium=cta")
    assert_round_trip(tmp_path, post, "PD303", expected)


def test_tracking_fix_adds_a_whole_query(tmp_path):
    post = CLEAN_POST.replace("?utm_source=article&utm_medium=cta&utm_campaign=strategy", "")
    assert_round_trip(tmp_path, post, "PD303", CLEAN_POST)


# -- PD304 ---------------------------------------------------------------------

def test_duplicated_footer_reports_the_later_cta(tmp_path):
    footer = CLEAN_POST[CLEAN_POST.index("---\n\n### あわせて読みたい"):]
    post = CLEAN_POST + "\n## 追記\n\n追記の本文です。\n\n" + footer
    findings = only(check_text(tmp_path, post), "PD304")
    first, second = line_of(post, "[お問い合わせはこちら]", 0), line_of(post, "[お問い合わせはこちら]", 1)
    assert [f.line for f in findings] == [second]
    assert findings[0].related[0].line == first


def test_two_links_in_one_cta_block_are_one_cta(tmp_path):
    post = CLEAN_POST.replace(
        "{: .consulting-cta-link}",
        "[サービス内容](/contact/?utm_source=article&utm_medium=cta&utm_campaign=strategy)\n{: .consulting-cta-link}")
    assert "PD304" not in codes(check_text(tmp_path, post))


# -- the posts kept aside (tests/fixtures/aside) -----------------------------------

def aside_expectations(family: set[str]):
    """(post, required [(rule, line|None)], forbidden rules) for each aside post,
    restricted to the rules of `family`."""
    import yaml
    from pathlib import Path
    base = Path(__file__).resolve().parents[1] / "fixtures" / "aside"
    expected = yaml.safe_load((base / "expected.yml").read_text(encoding="utf-8"))
    for post in expected["posts"]:
        required = sorted((f["rule"], f.get("line")) for f in post["findings"] if f["rule"] in family)
        forbidden = set(post.get("must_not_fire", [])) & family
        yield base / expected["site"], post["file"], required, forbidden


def check_aside(family: set[str]) -> None:
    """Every aside post gives the family's expected findings on the expected lines, as
    many as listed, and nothing the expectations forbid."""
    from app.core.engine import Engine
    from app.core.site import Site
    cases = list(aside_expectations(family))
    assert cases
    site = Site(cases[0][0])
    results = {r.rel: r for r in Engine(site).check_site([site.root / c[1] for c in cases])}
    for _root, rel, required, forbidden in cases:
        found = [f for f in results[rel].findings if f.rule in family]
        for code, line in required:
            assert any(f.rule == code and (line is None or f.line == line) for f in found), (rel, code, line)
        assert not {f.rule for f in found} & forbidden, (rel, found)
        for code in {c for c, _ in required}:  # and no more of them than listed
            assert len([f for f in found if f.rule == code]) == len([c for c, _ in required if c == code]), (rel, code)


def test_aside_posts():
    check_aside(CTA_CODES)
