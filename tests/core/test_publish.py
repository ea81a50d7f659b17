"""Publishing (app.core.publish): a draft becomes a dated post with `date:` set and
nothing else changed; `published: false` goes; errors/warnings are split for the UI."""
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from app.core.document import Document, DocumentError
from app.core.findings import Finding, Severity, Text
from app.core.publish import (
    PublishError,
    ascii_slug,
    format_date,
    next_number,
    plan,
    publish,
    set_date,
    split_findings,
)
from app.core.site import Site

ROOT = Path(__file__).resolve().parents[2]
JST = timezone(timedelta(hours=9))
NOW = datetime(2026, 12, 1, 9, 5, 7, tzinfo=JST)

DRAFT = """---
layout: post
title: "下書きのタイトル"
categories: [AI導入戦略]
tags: ["生成AI"]
author: "編集部"
excerpt: "抜粋"
reading_time: 1
image: "/assets/images/posts/my-draft-ogp.png"
---

本文です。
"""


@pytest.fixture
def site(tmp_path) -> Site:
    root = tmp_path / "site"
    shutil.copytree(ROOT / "content", root)
    return Site.open(root)


def write(site: Site, rel: str, text: str, newline: str = "\n") -> Path:
    path = site.root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.replace("\n", newline).encode("utf-8"))
    site.refresh()
    return path


def changed_lines(before: str, after: str) -> list[str]:
    """Lines of `after` that are not in `before` (a cheap line diff)."""
    old = before.split("\n")
    return [line for line in after.split("\n") if line not in old]


def test_ascii_slug_and_format():
    assert ascii_slug("Meeting Minutes: Prompt Design!") == "meeting-minutes-prompt-design"
    assert ascii_slug("会議") == ""
    assert len(ascii_slug("a" * 50)) == 30
    assert format_date(NOW) == "2026-12-01 09:05:07 +0900"


def test_next_number_counts_the_day(tmp_path):
    posts = tmp_path / "_posts"
    posts.mkdir()
    assert next_number(posts, NOW.date()) == 1
    (posts / "2026-12-01-1-a.md").touch()
    (posts / "2026-12-01-3-b.md").touch()
    (posts / "2026-11-30-7-c.md").touch()
    assert next_number(posts, NOW.date()) == 4


def test_draft_moves_to_posts_with_date_after_title(site):
    path = write(site, "_drafts/my-draft.md", DRAFT)
    target = publish(site, path, now=NOW)
    assert target == site.root / "_posts" / "2026-12-01-1-my-draft.md"
    assert not path.exists()
    text = target.read_text(encoding="utf-8")
    lines = text.split("\n")
    assert lines[2] == 'title: "下書きのタイトル"' and lines[3] == "date: 2026-12-01 09:05:07 +0900"
    # the image followed the draft's name, so it follows the post's
    assert 'image: "/assets/images/posts/2026-12-01-1-my-draft-ogp.png"' in lines
    assert sorted(changed_lines(DRAFT, text)) == sorted([
        "date: 2026-12-01 09:05:07 +0900", 'image: "/assets/images/posts/2026-12-01-1-my-draft-ogp.png"'])
    assert site.info_for(target) is not None and not site.info_for(target).draft


def test_existing_date_is_replaced_in_place_keeping_crlf_and_bom(site):
    text = DRAFT.replace('title: "下書きのタイトル"\n', 'title: "下書きのタイトル"\ndate: 2026-11-28 10:00:00\n')
    path = site.root / "_drafts" / "with-date.md"
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    site.refresh()
    target = publish(site, path, now=NOW)
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\ndate: 2026-12-01 09:05:07 +0900\r\n" in raw
    assert raw.count(b"\r\n") == text.count("\n") and b"\n" not in raw.replace(b"\r\n", b"")


def test_site_timezone_applies(site):
    path = write(site, "_drafts/tz-draft.md", DRAFT)
    utc_evening = datetime(2026, 11, 30, 20, 0, 0, tzinfo=timezone.utc)  # already Dec 1 in Tokyo
    target = publish(site, path, now=utc_evening)
    assert target.name.startswith("2026-12-01-")
    assert "date: 2026-12-01 05:00:00 +0900" in target.read_text(encoding="utf-8")


def test_second_post_of_the_day_gets_the_next_number(site):
    a = publish(site, write(site, "_drafts/first.md", DRAFT), now=NOW)
    b = publish(site, write(site, "_drafts/second.md", DRAFT), now=NOW)
    assert a.name == "2026-12-01-1-first.md" and b.name == "2026-12-01-2-second.md"


def test_unpublished_post_loses_published_false(site):
    post = DRAFT.replace('title: "下書きのタイトル"\n', 'title: "下書きのタイトル"\ndate: 2026-11-01 10:00:00 +0900\n')
    post = post.replace("reading_time: 1\n", "reading_time: 1\npublished: false\n")
    path = write(site, "_posts/2026-11-01-1-hidden.md", post)
    assert publish(site, path, now=NOW) == path
    assert path.read_text(encoding="utf-8") == post.replace("published: false\n", "")


def test_draft_with_published_false_drops_it_too(site):
    path = write(site, "_drafts/flagged.md", DRAFT.replace("reading_time: 1\n", "reading_time: 1\npublished: false\n"))
    target = publish(site, path, now=NOW)
    assert "published" not in target.read_text(encoding="utf-8")


def test_refusals(site):
    post = next(i for i in site.all_posts if not i.draft)
    with pytest.raises(PublishError) as err:
        publish(site, post.path, now=NOW)
    assert "already published" in err.value.message.en and "公開" in err.value.message.ja
    broken = write(site, "_drafts/broken.md", "---\ntitle: [unclosed\n---\n本文\n")
    with pytest.raises(PublishError):
        plan(site, broken, now=NOW)
    assert broken.exists()


def test_existing_target_is_not_overwritten(site):
    (site.root / "_posts" / "2026-12-01-1-clash.md").write_text("x", encoding="utf-8")
    path = write(site, "_drafts/clash.md", DRAFT)
    target = publish(site, path, now=NOW)  # the number moves on instead
    assert target.name == "2026-12-01-2-clash.md"
    assert (site.root / "_posts" / "2026-12-01-1-clash.md").read_text(encoding="utf-8") == "x"


def test_sample_drafts_publish_with_one_changed_date_line(site):
    refused = []
    for info in [i for i in site.all_posts if i.draft]:
        try:
            doc = Document.load(info.path)
        except DocumentError:
            doc = None
        if doc is None or doc.problem is not None:  # Shift_JIS, a duplicated key: refused, untouched
            raw = info.path.read_bytes()
            with pytest.raises(PublishError):
                publish(site, info.path, now=NOW)
            assert info.path.read_bytes() == raw
            refused.append(info.path.name)
            continue
        before = doc.text
        p = plan(site, info.path, now=NOW)
        after = p.doc.text
        new = changed_lines(before, after)
        assert "date: 2026-12-01 09:05:07 +0900" in new, info.rel
        assert all(line.startswith(("date:", "image:")) for line in new), (info.rel, new)
        assert p.target.parent == site.root / "_posts" and p.target.name.startswith("2026-12-01-")
    assert 1 <= len(refused) < len([i for i in site.all_posts if i.draft])


def test_set_date_is_unquoted_even_among_quoted_siblings():
    doc = Document(DRAFT)
    assert set_date(doc, "2026-12-01 09:05:07 +0900").text.split("\n")[3] == "date: 2026-12-01 09:05:07 +0900"


def test_split_findings():
    e = Finding("PD101", "x", Severity.ERROR, 3, Text("a", "a"))
    w = Finding("PD506", "y", Severity.WARNING, 4, Text("b", "b"))
    i = Finding("PD702", "z", Severity.INFO, 5, Text("c", "c"))
    assert split_findings([w, e, i]) == ([e], [w])
