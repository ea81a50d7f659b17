"""The real posts kept aside (tests/fixtures/aside) against expected.yml, every rule
family at once, through `postdesk check --format json`: issue 3's "Done when".

Each post gives exactly the findings expected.yml lists (rule, line, end line, the
earlier copy it points at), nothing it forbids, and no other finding either; the one
clean post gives nothing beyond its disclosure placement; the UTF-8-with-BOM, CRLF
copy of a post gives the same findings on the same lines as the plain file.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from tests.acceptance.report import ALL_CODES, Reported, check_site, differences

ASIDE = Path(__file__).resolve().parents[1] / "fixtures" / "aside"
EXPECTED = yaml.safe_load((ASIDE / "expected.yml").read_text(encoding="utf-8"))
SITE = ASIDE / EXPECTED["site"]
POSTS = {p["file"]: p for p in EXPECTED["posts"]}
PLACEMENT = {"PD402", "PD403"}
"""Where the disclosure sits and whether the Amazon statement is anywhere: all the
clean post may be told about (the aside site's layouts print no statement)."""


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> dict[str, list[Reported]]:
    return check_site(SITE, tmp_path_factory.mktemp("aside") / "report.json")


def expected_findings(post: dict) -> list[tuple[str, int | None]]:
    return [(f["rule"], f.get("line")) for f in post["findings"]]


def test_expectations_cover_every_rule_code():
    assert EXPECTED["all_rules"] == ALL_CODES
    for post in EXPECTED["posts"]:
        listed = {f["rule"] for f in post["findings"]} | set(post["must_not_fire"]) | set(post.get("tolerated", []))
        assert listed == set(ALL_CODES), post["file"]


@pytest.mark.parametrize("rel", sorted(POSTS))
def test_post_gives_exactly_its_expected_findings(rel, report):
    post = POSTS[rel]
    tolerated = set(post.get("tolerated", []))
    found = [f for f in report[rel] if f.rule not in tolerated]
    assert differences(found, expected_findings(post)) == [], rel
    assert not {f.rule for f in found} & set(post["must_not_fire"]), rel


@pytest.mark.parametrize("rel", sorted(POSTS))
def test_spans_and_earlier_copies_are_the_expected_ones(rel, report):
    """end_line and the related (earlier) copy, where expected.yml gives them."""
    for want in POSTS[rel]["findings"]:
        if "line" not in want:
            continue
        candidates = [f for f in report[rel] if (f.rule, f.line) == (want["rule"], want["line"])]
        assert candidates, (rel, want)
        if "end_line" in want:
            assert any(f.end_line == want["end_line"] for f in candidates), (rel, want, candidates)
        if "related_line" in want:
            assert any(want["related_line"] in f.related for f in candidates), (rel, want, candidates)


def test_the_clean_post_gives_nothing_beyond_its_disclosure_placement(report):
    [rel] = [rel for rel, post in POSTS.items() if post["clean"]]
    assert {f.rule for f in report[rel]} <= PLACEMENT, report[rel]
    assert sorted(f.rule for f in report[rel]) == sorted(f["rule"] for f in POSTS[rel]["findings"])


@pytest.mark.parametrize("variant", EXPECTED["variants"], ids=lambda v: v["file"])
def test_bom_crlf_copy_gives_the_same_findings_on_the_same_lines(variant, tmp_path):
    """The variant copied over its post in a copy of the site: same rules, lines,
    spans, related lines and messages as the plain file in the same site."""
    site = tmp_path / "site"
    shutil.copytree(SITE, site)
    target = site / variant["same_as"]
    plain = check_site(site, tmp_path / "plain.json")[variant["same_as"]]
    raw = (ASIDE / variant["file"]).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    shutil.copyfile(ASIDE / variant["file"], target)
    crlf = check_site(site, tmp_path / "crlf.json")[variant["same_as"]]
    assert crlf == plain
    assert differences(crlf, expected_findings(POSTS[variant["same_as"]])) == []
