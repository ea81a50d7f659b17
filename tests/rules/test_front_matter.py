"""PD500–PD509: the front matter.

Each rule has posts that must fire it (exact lines) and near-misses that must not;
each fix is applied through the lossless Document, re-checked, and shown to change
only its own field's line.
"""
from __future__ import annotations

import difflib
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core import catalogue
from app.core.config import Config
from app.core.document import Document
from app.core.engine import Engine
from app.core.findings import Severity
from app.core.parse import ParsedPost
from app.core.rules import REGISTRY
from app.core.rules.front_matter import closest_term, normalize_term
from app.core.site import Site

from .harness import CLEAN_POST, POST_NAME, check_text, fix_text, lines_of, make_site, only

FIXTURES = Path(__file__).parent.parent / "fixtures" / "rules" / "front_matter"
DAMAGED = (FIXTURES / "damaged.md").read_text(encoding="utf-8")
TAXONOMY = (FIXTURES / "config.yml").read_text(encoding="utf-8")
MY_CODES = [f"PD5{n:02d}" for n in range(10)]
DRAFT = "_drafts/sample-post.md"
REPO = Path(__file__).resolve().parents[2]


def mine(findings) -> list[tuple[str, int]]:
    """(code, line) of the PD5xx findings, in order."""
    return sorted((f.rule, f.line) for f in findings if f.rule in MY_CODES)


def with_field(post: str, key: str, line: str | None) -> str:
    """CLEAN_POST with the line of `key` replaced by `line` (None: removed)."""
    out = []
    for text in post.split("\n"):
        if text.startswith(f"{key}:"):
            if line is not None:
                out.append(line)
        else:
            out.append(text)
    return "\n".join(out)


def changed_lines(before: str, after: str) -> list[int]:
    """1-based lines of `before` that differ in `after` (same line count expected)."""
    a, b = before.split("\n"), after.split("\n")
    assert len(a) == len(b), "a fix added or removed lines"
    return [i + 1 for i, (x, y) in enumerate(zip(a, b)) if x != y]


# -- registration ---------------------------------------------------------------


@pytest.mark.parametrize("code,name,severity", [
    ("PD500", "unreadable-file", "error"), ("PD501", "front-matter-missing", "error"),
    ("PD502", "front-matter-syntax", "error"), ("PD503", "missing-field", "error"),
    ("PD504", "field-type", "error"), ("PD505", "unknown-taxonomy", "warning"),
    ("PD506", "field-length", "warning"), ("PD507", "reading-time", "warning"),
    ("PD508", "share-image", "warning"), ("PD509", "date-filename", "warning"),
])
def test_registered_as_rules_md_says(code, name, severity):
    r = REGISTRY[code]
    assert (r.name, r.severity.value) == (name, severity)
    assert r.title.ja and r.title.en and r.description.ja and r.description.en
    assert r.needs_front_matter == (code >= "PD503")
    assert code in catalogue.listing("en") and catalogue.describe(code, "ja")


def test_fixable_rules_say_so():
    assert {c for c in MY_CODES if REGISTRY[c].fix} == {"PD505", "PD507", "PD508"}


# -- PD500–PD502: the Document's problems, reported by the engine -------------------


def test_clean_post_has_no_front_matter_findings(tmp_path):
    assert mine(check_text(tmp_path, CLEAN_POST)) == []


@pytest.mark.parametrize("raw,named", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
    (CLEAN_POST.encode("cp932"), "Shift_JIS"),
    (CLEAN_POST.encode("utf-16"), "UTF-16"),
    ("---\ntitle: plain\n---\n\nSome English text.\n".encode("utf-16-le"), "UTF-16"),
])
def test_unreadable_file(tmp_path, raw, named):
    findings = check_text(tmp_path, raw)
    assert [(f.rule, f.line) for f in findings] == [("PD500", 1)]  # nothing else is checked
    assert named in findings[0].message.en
    assert findings[0].name == "unreadable-file" and findings[0].severity is Severity.ERROR


def test_unreadable_file_bomless_japanese_utf16(tmp_path):
    findings = check_text(tmp_path, CLEAN_POST.encode("utf-16-le"))
    assert [(f.rule, f.line) for f in findings] == [("PD500", 1)]
    assert "UTF-16" in findings[0].message.en


@pytest.mark.parametrize("post,why", [
    ("## 見出しだけの記事\n\n本文です。\n", "No front matter"),
    ("", "No front matter"),
    ("\n---\ntitle: x\n---\n本文\n", "No front matter"),  # not on the first line
    ("---\ntitle: x\nlayout: post\n\n## 見出し\n\n本文です。\n", "not closed"),
])
def test_front_matter_missing(tmp_path, post, why):
    findings = check_text(tmp_path, post)
    assert mine(findings) == [("PD501", 1)]
    assert why in findings[[f.rule for f in findings].index("PD501")].message.en


def test_front_matter_syntax_gives_yaml_line_and_column(tmp_path):
    post = CLEAN_POST.replace('title: "中小企業の生成AI導入、最初の90日で何をすべきか"',
                              'title: "中小企業の生成AI導入: 最初の90日')
    findings = check_text(tmp_path, post)
    assert [f.rule for f in findings if f.rule in MY_CODES] == ["PD502"]
    f = only(findings, "PD502")[0]
    assert "line " in f.message.en and "column " in f.message.en and "行" in f.message.ja
    # The message's YAML line maps onto the file line the finding sits on.
    yaml_line = int(f.message.en.split("line ")[1].split(",")[0])
    assert f.line == yaml_line + 1


def test_front_matter_syntax_bad_indentation(tmp_path):
    post = CLEAN_POST.replace("author: \"編集部\"", "  author: \"編集部\"\n bad: [")
    findings = check_text(tmp_path, post)
    assert "PD502" in {f.rule for f in findings}
    assert not {"PD503", "PD504", "PD505", "PD506", "PD507", "PD508", "PD509"} & {f.rule for f in findings}


def test_a_broken_post_does_not_stop_the_site(tmp_path):
    """Every file gets its result: the broken ones their PD50x, the others their findings."""
    site, path = make_site(tmp_path, DAMAGED, config=TAXONOMY, files={
        "_posts/2026-03-01-1-binary.md": b"\x00\x01\x02\xff" * 64,
        "_posts/2026-03-02-1-sjis.md": CLEAN_POST.encode("cp932"),
        "_posts/2026-03-03-1-no-front-matter.md": "本文だけ\n",
        "_posts/2026-03-03-2-broken-yaml.md": "---\ntitle: [unclosed\n---\n本文\n",
    })
    results = {r.rel: r for r in Engine(site).check_site()}
    assert len(results) == 6
    assert mine(results["_posts/2026-03-01-1-binary.md"].findings) == [("PD500", 1)]
    assert mine(results["_posts/2026-03-02-1-sjis.md"].findings) == [("PD500", 1)]
    assert mine(results["_posts/2026-03-03-1-no-front-matter.md"].findings) == [("PD501", 1)]
    assert [c for c, _ in mine(results["_posts/2026-03-03-2-broken-yaml.md"].findings)] == ["PD502"]
    assert {"PD503", "PD504", "PD505", "PD506", "PD507", "PD508", "PD509"} <= {
        f.rule for f in results[POST_NAME].findings}


# -- the damaged fixture: every rule on its line, same with CRLF and a BOM ------------------

DAMAGED_EXPECTED = [
    ("PD503", 7),  # author: ""
    ("PD504", 2),  # layout: page
    ("PD504", 4),  # date without offset
    ("PD505", 6),  # ROI 分析 duplicates ROI分析
    ("PD505", 6),  # ＰｏＣ is PoC
    ("PD506", 3),  # title too long
    ("PD506", 8),  # excerpt too short
    ("PD507", 9),  # reading_time 25
    ("PD508", 10),  # image off-pattern and missing
    ("PD509", 4),  # 2026-03-05 in a 2026-03-04 file
]


def test_damaged_post(tmp_path):
    assert mine(check_text(tmp_path, DAMAGED, config=TAXONOMY)) == sorted(DAMAGED_EXPECTED)


def test_crlf_and_bom_copy_gives_the_same_findings(tmp_path):
    plain = check_text(tmp_path / "a", DAMAGED, config=TAXONOMY)
    crlf_bom = b"\xef\xbb\xbf" + DAMAGED.replace("\n", "\r\n").encode("utf-8")
    other = check_text(tmp_path / "b", crlf_bom, config=TAXONOMY)
    key = lambda fs: sorted((f.rule, f.line, f.end_line, f.col, f.message.en) for f in fs)  # noqa: E731
    assert key(plain) == key(other)


def test_crlf_and_bom_fixes_keep_the_newlines(tmp_path):
    crlf_bom = b"\xef\xbb\xbf" + DAMAGED.replace("\n", "\r\n").encode("utf-8")
    site, path = make_site(tmp_path, crlf_bom, config=TAXONOMY)
    engine = Engine(site)
    doc = Document.load(path)
    from app.core.fixes import fix_until_clean
    fixed, n = fix_until_clean(doc, lambda d: [f for f in engine.check_document(d, site.info_for(path))
                                               if f.rule in MY_CODES])
    assert n >= 4
    raw = fixed.to_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\r\n") == raw.count(b"\n")
    left = {f.rule for f in engine.check_document(fixed, site.info_for(path))}
    assert not {"PD505", "PD507", "PD508"} & left


# -- PD503 -------------------------------------------------------------------


@pytest.mark.parametrize("key,line,expected", [
    ("title", None, 1),  # missing: the front matter's first line
    ("title", 'title: ""', 3),  # empty string: the key's line
    ("title", "title: '   '", 3),
    ("tags", "tags: []", 6),
    ("author", "author:", 7),  # null
    ("author", "author: null", 7),
    ("image", None, 1),
])
def test_missing_field_fires(tmp_path, key, line, expected):
    findings = check_text(tmp_path, with_field(CLEAN_POST, key, line))
    assert lines_of(findings, "PD503") == [expected]
    assert key in only(findings, "PD503")[0].message.en


def test_missing_field_block_list_spans_its_lines(tmp_path):
    post = with_field(CLEAN_POST, "tags", "tags:\n  -")
    f = only(check_text(tmp_path, post), "PD503")
    assert [(x.line, x.end_line) for x in f] == [(6, 7)]


def test_missing_field_one_finding_per_field(tmp_path):
    post = with_field(with_field(CLEAN_POST, "author", None), "excerpt", None)
    findings = only(check_text(tmp_path, post), "PD503")
    assert sorted(f.message.en for f in findings) == [
        "Required field `author` is missing.", "Required field `excerpt` is missing."]


@pytest.mark.parametrize("key,line", [
    ("reading_time", None),  # not required by default
    ("reading_time", "reading_time: 0"),  # 0 is a value (and reading_time is not required)
])
def test_missing_field_does_not_fire(tmp_path, key, line):
    assert lines_of(check_text(tmp_path, with_field(CLEAN_POST, key, line)), "PD503") == []


def test_missing_field_draft_needs_no_date(tmp_path):
    """Publishing a draft sets its date; every other required field is still asked for."""
    post = with_field(with_field(CLEAN_POST, "date", None), "author", None)
    findings = only(check_text(tmp_path, post, name=DRAFT), "PD503")
    assert [f.message.en for f in findings] == ["Required field `author` is missing."]
    assert lines_of(check_text(tmp_path, with_field(CLEAN_POST, "date", None)), "PD503") == [1]


def test_missing_field_zero_and_false_are_values(tmp_path):
    config = "front_matter:\n  required: [title, reading_time, published]\n"
    post = CLEAN_POST.replace("reading_time: 1", "reading_time: 0\npublished: false")
    assert lines_of(check_text(tmp_path, post, config=config), "PD503") == []


# -- PD504 -------------------------------------------------------------------


@pytest.mark.parametrize("key,line,fragment", [
    ("date", "date: 2026-03-04 09:12:30", "UTC offset"),
    ("date", "date: 2026-03-04", "no time"),
    ("date", 'date: "2026-03-04"', "needs a time"),
    ("date", "date: 2026-02-30 09:00:00 +0900", "does not exist"),
    ("date", 'date: "2026-02-30 09:00:00 +0900"', "does not exist"),
    ("date", "date: 2026-03-04 25:00:00 +0900", "does not exist"),
    ("date", "date: 2026/03/04 09:12", "not written as a date"),
    ("date", "date: 20260304", "not a date"),
    ("tags", "tags: 生成AI", "should be a list"),
    ("tags", 'tags: "生成AI, 中小企業"', "should be a list"),
    ("tags", "tags: [a, b, c, d, e, f, g, h, i]", "at most 8"),
    ("tags", "tags: [生成AI, [入れ子]]", "non-empty text"),
    ("categories", "categories: [AI導入戦略, 導入事例]", "at most 1"),
    ("reading_time", "reading_time: 9.5", "whole number"),
    ("reading_time", 'reading_time: "9"', "whole number"),
    ("reading_time", "reading_time: 約9分", "whole number"),
    ("layout", "layout: page", "not one of the choices"),
    ("title", "title: 2026", "should be text"),
    ("title", "title: [a, b]", "should be text"),
])
def test_field_type_fires(tmp_path, key, line, fragment):
    post = CLEAN_POST.replace(next(x for x in CLEAN_POST.split("\n") if x.startswith(f"{key}:")), line)
    findings = only(check_text(tmp_path, post), "PD504")
    expected_line = post.split("\n").index(line) + 1
    assert [f.line for f in findings] == [expected_line]
    assert fragment in findings[0].message.en and key in findings[0].message.en


@pytest.mark.parametrize("line", [
    "date: 2026-03-04 09:12:30 +0900",
    "date: 2026-03-04 09:12:30 +09:00",
    "date: 2026-03-04T09:12:30+09:00",
    "date: 2026-03-04 00:12:30 Z",
    'date: "2026-03-04 09:12:30 -0500"',
    "date: 2026-03-04 09:12 +0900",
])
def test_field_type_accepts_dates_with_offsets(tmp_path, line):
    post = with_field(CLEAN_POST, "date", None).replace("categories:", f"{line}\ncategories:", 1)
    assert lines_of(check_text(tmp_path, post), "PD504") == []


@pytest.mark.parametrize("key,line", [
    ("reading_time", "reading_time: 0"),
    ("reading_time", None),
    ("tags", 'tags:\n  - "生成AI"\n  - 中小企業'),
    ("tags", "tags: [a, b, c, d, e, f, g, h]"),  # exactly max
    ("title", "title: ''"),  # empty: PD503's, not PD504's
    ("author", "author: 編集部"),
])
def test_field_type_does_not_fire(tmp_path, key, line):
    findings = check_text(tmp_path, with_field(CLEAN_POST, key, line) if line is None else
                          CLEAN_POST.replace(next(x for x in CLEAN_POST.split("\n") if x.startswith(f"{key}:")), line))
    assert lines_of(findings, "PD504") == []


def test_field_type_block_list_reports_the_key_line(tmp_path):
    post = CLEAN_POST.replace('categories: [AI導入戦略]', "categories:\n  - AI導入戦略\n  - 導入事例")
    f = only(check_text(tmp_path, post), "PD504")
    assert [(x.line, x.end_line) for x in f] == [(5, 7)]


def test_field_type_date_only_field_type(tmp_path):
    config = "front_matter:\n  fields:\n    date: {type: date}\n"
    post = CLEAN_POST.replace("date: 2026-03-04 09:12:30 +0900", "date: 2026-03-04")
    assert lines_of(check_text(tmp_path, post, config=config), "PD504") == []


def test_field_type_unquoted_impossible_yaml_date(tmp_path):
    post = CLEAN_POST.replace("date: 2026-03-04 09:12:30 +0900", "date: 2026-02-30")
    assert lines_of(check_text(tmp_path, post), "PD504") == [4]


# -- PD505 -------------------------------------------------------------------


def test_normalize_term():
    assert normalize_term("ROI 分析") == normalize_term("ROI分析") == normalize_term("ＲＯＩ　分析")
    assert normalize_term("PoC") == normalize_term("ｐｏｃ")


def test_closest_term():
    known = ["LLM", "生成AI", "ROI分析", "PoC"]
    s = closest_term("ROI 分析", known)
    assert (s.term, s.confident) == ("ROI分析", True)
    s = closest_term("LLMs", known)
    assert s.term == "LLM" and not s.confident
    assert closest_term("観光", known) is None


def tags_post(tags: str) -> str:
    return CLEAN_POST.replace('tags: ["生成AI", "中小企業"]', tags)


@pytest.mark.parametrize("tags,expected,fragment", [
    ('tags: ["生成AI", "ROI 分析"]', [(6, 15)], "Did you mean “ROI分析”"),
    ('tags: ["生成AI", "ＰｏＣ"]', [(6, 15)], "Did you mean “PoC”"),
    ('tags: ["LLMs"]', [(6, 7)], "Did you mean “LLM”"),
    ('tags: ["観光"]', [(6, 7)], "is not in the taxonomy."),
    ('tags: [ROI分析, "ROI 分析"]', [(6, 14)], "duplicates “ROI分析”"),
    ('tags: ["ROI 分析", ROI分析]', [(6, 7)], "duplicates “ROI分析”"),  # the known spelling is kept
    ('tags:\n  - 生成AI\n  - ROI 分析', [(8, 4)], "Did you mean “ROI分析”"),
])
def test_unknown_taxonomy_fires(tmp_path, tags, expected, fragment):
    findings = only(check_text(tmp_path, tags_post(tags), config=TAXONOMY), "PD505")
    assert [(f.line, f.col) for f in findings] == expected
    assert fragment in findings[0].message.en


def test_unknown_taxonomy_category(tmp_path):
    post = CLEAN_POST.replace("categories: [AI導入戦略]", "categories: [AI 導入戦略]")
    findings = only(check_text(tmp_path, post), "PD505")
    assert [f.line for f in findings] == [5] and "AI導入戦略" in findings[0].message.ja


def test_near_duplicate_tags_without_taxonomy(tmp_path):
    """An empty tag taxonomy accepts any tag, but not the same tag twice."""
    findings = only(check_text(tmp_path, tags_post('tags: ["ROI分析", "新しいタグ", "ROI 分析"]')), "PD505")
    assert [f.line for f in findings] == [6] and "duplicates “ROI分析”" in findings[0].message.en


@pytest.mark.parametrize("tags", [
    'tags: ["生成AI", "中小企業"]',
    'tags: [LLM, RAG, PoC]',
    'tags:\n  - 生成AI\n  - ROI分析',
])
def test_unknown_taxonomy_does_not_fire(tmp_path, tags):
    assert lines_of(check_text(tmp_path, tags_post(tags), config=TAXONOMY), "PD505") == []


def test_unknown_taxonomy_empty_tag_list_accepts_anything(tmp_path):
    assert lines_of(check_text(tmp_path, tags_post('tags: ["何でもよいタグ", "別のタグ"]')), "PD505") == []


@pytest.mark.parametrize("tags,fixed", [
    ('tags: ["生成AI", "ROI 分析"]', 'tags: ["生成AI", "ROI分析"]'),
    ('tags: ["生成AI", "ＰｏＣ"]', 'tags: ["生成AI", "PoC"]'),
    ('tags: ["ROI分析", "ROI 分析"]', 'tags: ["ROI分析"]'),
    ('tags: ["ROI 分析", "ROI分析"]', 'tags: ["ROI分析"]'),
    ('tags:\n  - 生成AI\n  - ROI 分析', 'tags:\n  - 生成AI\n  - ROI分析'),
])
def test_unknown_taxonomy_fix(tmp_path, tags, fixed):
    before = tags_post(tags)
    after = fix_text(tmp_path, before, "PD505", config=TAXONOMY)
    assert after == tags_post(fixed)
    assert lines_of(check_text(tmp_path, after, config=TAXONOMY), "PD505") == []


def test_unknown_taxonomy_no_fix_for_a_guess(tmp_path):
    findings = only(check_text(tmp_path, tags_post('tags: ["LLMs", "観光"]'), config=TAXONOMY), "PD505")
    assert len(findings) == 2 and all(f.fix is None for f in findings)


# -- PD506 -------------------------------------------------------------------


@pytest.mark.parametrize("key,value,fragment", [
    ("title", "あ" * 61, "too long (61 characters, at most 60)"),
    ("excerpt", "い" * 59, "too short (59 characters, at least 60)"),
    ("excerpt", "う" * 161, "too long (161 characters, at most 160)"),
])
def test_field_length_fires(tmp_path, key, value, fragment):
    line = {"title": 3, "excerpt": 8}[key]
    post = CLEAN_POST.replace(CLEAN_POST.split("\n")[line - 1], f'{key}: "{value}"')
    findings = only(check_text(tmp_path, post), "PD506")
    assert [f.line for f in findings] == [line] and fragment in findings[0].message.en


@pytest.mark.parametrize("key,value", [
    ("title", "あ" * 60),  # full-width characters count one each
    ("title", "A" * 60),
    ("excerpt", "い" * 60),
    ("excerpt", "う" * 160),
])
def test_field_length_does_not_fire(tmp_path, key, value):
    line = {"title": 3, "excerpt": 8}[key]
    post = CLEAN_POST.replace(CLEAN_POST.split("\n")[line - 1], f'{key}: "{value}"')
    assert lines_of(check_text(tmp_path, post), "PD506") == []


# -- PD507 -------------------------------------------------------------------


@pytest.mark.parametrize("chars,cpm,minutes", [
    (1, 2, 1), (3, 2, 2), (5, 2, 3), (7, 2, 4),  # x.5 rounds up; round() would give 0, 2, 2, 4
    (1124, 450, 2), (1125, 450, 3), (1125, 450.0, 3), (0, 450, 0),
])
def test_reading_minutes_round_half_up(chars, cpm, minutes):
    config = Config({"reading_speed_cpm": cpm})
    post = ParsedPost(Document("---\ntitle: x\n---\n\n" + "字" * chars + "\n"), config)
    assert post.readable_chars == chars and post.reading_minutes == minutes


def post_with_chars(n: int, reading_time: int, footer: str = "") -> str:
    """A post whose readable text is exactly `n` characters (`## 本文` is 2 of them)."""
    head = CLEAN_POST.split("---\n\n", 1)[0].replace("reading_time: 1", f"reading_time: {reading_time}")
    paragraphs, left = [], n - 2
    k = 0
    while left > 0:
        size = min(left, 97)
        # Distinct paragraphs, so that duplicate checks stay quiet.
        paragraphs.append((f"段落{k:03d}" + "本文の文章です" * 20)[:size])
        left -= size
        k += 1
    return head + "---\n\n## 本文\n\n" + "\n\n".join(paragraphs) + "\n" + footer


def readable(post: str) -> int:
    return ParsedPost(Document(post)).readable_chars


def test_readable_chars_of_the_helper_post():
    assert readable(post_with_chars(4500, 10)) == 4500


def test_readable_chars_follows_rules_md():
    """Headings and link text count; code, URLs, images, footer blocks do not;
    content stranded after the footer counts."""
    body = ("---\ntitle: x\n---\n\n## 見出し\n\n本文 の[リンク](https://example.com/very/long)と`code`と![画像](/a.png)。\n"
            "{: .note}\n\n```python\nprint('コードは数えない')\n```\n\n<div>HTMLは数えない</div>\n\n- 項目一\n- 項目二\n\n"
            "---\n\n### あわせて読みたい\n\n- [関連記事のタイトル](/2026/01/01/x/)\n\n## 追記\n\n後から足された段落。\n")
    # 見出し 3 + 本文のリンクとと。 9 + 項目一項目二 6 + 追記 2 + 後から足された段落。 10
    assert readable(body) == 30


@pytest.mark.parametrize("chars,reading_time,fires", [
    (4500, 10, False),
    (4500, 12, False),  # off by 2 = 20 % of 10
    (4500, 8, False),
    (4500, 13, True),
    (4500, 7, True),
    (900, 3, False),  # off by 1: max(1, 0.4)
    (900, 4, True),
    (1125, 3, False),  # 2.5 minutes round half up to 3
    (1125, 5, True),  # off by 2 from 3 (banker's rounding would say 2 → off by 3)
])
def test_reading_time(tmp_path, chars, reading_time, fires):
    findings = only(check_text(tmp_path, post_with_chars(chars, reading_time)), "PD507")
    assert [f.line for f in findings] == ([9] if fires else [])


def test_reading_time_ignores_the_footer_but_counts_stranded_text(tmp_path):
    footer = "\n---\n\n### あわせて読みたい\n\n- [" + "関連記事" * 300 + "](/2026/02/18/2-rag-first-walls/)\n"
    assert lines_of(check_text(tmp_path, post_with_chars(4500, 10, footer)), "PD507") == []
    stranded = footer + "\n## 追記\n\n" + "後から足された段落です。" * 150 + "\n"
    findings = only(check_text(tmp_path, post_with_chars(4500, 10, stranded)), "PD507")
    assert [f.line for f in findings] == [9] and "reads in 14 min" in findings[0].message.en


@pytest.mark.parametrize("line", ["reading_time: 9.5", "reading_time: '30'", None])
def test_reading_time_left_to_other_rules(tmp_path, line):
    assert lines_of(check_text(tmp_path, with_field(post_with_chars(4500, 10), "reading_time", line)), "PD507") == []


def test_reading_time_fix(tmp_path):
    before = post_with_chars(1125, 9)
    after = fix_text(tmp_path, before, "PD507")
    assert changed_lines(before, after) == [9]
    assert after.split("\n")[8] == "reading_time: 3"
    assert lines_of(check_text(tmp_path, after), "PD507") == []


def test_reading_time_uses_the_configured_speed(tmp_path):
    config = "reading_speed_cpm: 900\n"
    assert lines_of(check_text(tmp_path, post_with_chars(4500, 5), config=config), "PD507") == []
    assert lines_of(check_text(tmp_path, post_with_chars(4500, 10), config=config), "PD507") == [9]


# -- PD508 -------------------------------------------------------------------

OTHER_IMAGE = "assets/images/posts/old-name-ogp.png"


@pytest.mark.parametrize("value,files,fragments,fixable", [
    ("/assets/images/posts/old-name-ogp.png", {OTHER_IMAGE: b"png"}, ["does not follow"], True),
    ("/assets/images/posts/missing-ogp.png", {}, ["does not follow", "is missing"], True),
    ("/assets/images/posts/2026-03-04-1-sample-post.png", {}, ["does not follow", "is missing"], True),
    ("https://cdn.example.com/2026-03-04-1-sample-post-ogp.png", {}, ["does not follow"], True),
])
def test_share_image_fires(tmp_path, value, files, fragments, fixable):
    post = CLEAN_POST.replace("/assets/images/posts/2026-03-04-1-sample-post-ogp.png", value)
    findings = only(check_text(tmp_path, post, files=files), "PD508")
    assert [f.line for f in findings] == [10]
    assert all(x in findings[0].message.en for x in fragments)
    assert (findings[0].fix is not None) == fixable


def test_share_image_missing_file_without_fix(tmp_path):
    """Following the pattern is not enough when the file is not there; nothing to point at."""
    site, path = make_site(tmp_path, CLEAN_POST)
    (site.root / "assets/images/posts/2026-03-04-1-sample-post-ogp.png").unlink()
    findings = only(Engine(site).check_site([path])[0].findings, "PD508")
    assert [f.line for f in findings] == [10]
    assert "is missing" in findings[0].message.en and "does not follow" not in findings[0].message.en
    assert findings[0].fix is None


def test_share_image_fix(tmp_path):
    before = CLEAN_POST.replace("2026-03-04-1-sample-post-ogp.png", "old-name-ogp.png")
    after = fix_text(tmp_path, before, "PD508", files={OTHER_IMAGE: b"png"})
    assert after == CLEAN_POST
    assert changed_lines(before, after) == [10]


@pytest.mark.parametrize("value,fires", [
    ("/assets/images/posts/2026-03-04-1-sample-post-ogp.png", False),  # its future post name
    ("/assets/images/posts/sample-post-ogp.png", True),  # follows the pattern, but the file is missing
    ("/assets/images/posts/2026-03-04-1-sample-post.png", True),  # off-pattern
])
def test_share_image_draft(tmp_path, value, fires):
    post = CLEAN_POST.replace("/assets/images/posts/2026-03-04-1-sample-post-ogp.png", value)
    findings = only(check_text(tmp_path, post, name=DRAFT), "PD508")
    assert [f.line for f in findings] == ([10] if fires else [])
    assert all(f.fix is None for f in findings)


def test_share_image_draft_with_its_own_image(tmp_path):
    post = CLEAN_POST.replace("2026-03-04-1-sample-post-ogp.png", "sample-post-ogp.png")
    files = {"assets/images/posts/sample-post-ogp.png": b"png"}
    assert lines_of(check_text(tmp_path, post, name=DRAFT, files=files), "PD508") == []


# -- PD509 -------------------------------------------------------------------


@pytest.mark.parametrize("date,jekyll_config,fires", [
    ("2026-03-04 09:12:30 +0900", None, False),
    ("2026-03-05 09:12:30 +0900", None, True),
    ("2026-03-03 23:59:59 +0900", None, True),
    ("2026-03-04 23:30:00 -0500", None, False),  # the date's own offset: still the 4th
    ("2026-03-04 23:30:00 -0500", "timezone: Asia/Tokyo\n", True),  # 5 March 13:30 in Tokyo
    ("2026-03-04 00:30:00 +0900", "timezone: Asia/Tokyo\n", False),
    ("2026-03-03 16:00:00 Z", "timezone: Asia/Tokyo\n", False),  # 4 March 01:00 in Tokyo
    ("2026-03-05 09:12:30", None, True),  # no offset: PD504, and the day still differs
    ('"2026-02-30 09:00:00 +0900"', None, False),  # impossible: PD504 only
])
def test_date_filename(tmp_path, date, jekyll_config, fires):
    post = CLEAN_POST.replace("date: 2026-03-04 09:12:30 +0900", f"date: {date}")
    files = {"_config.yml": jekyll_config} if jekyll_config else {}
    findings = only(check_text(tmp_path, post, files=files), "PD509")
    assert [f.line for f in findings] == ([4] if fires else [])


def test_date_filename_names_both_days(tmp_path):
    post = CLEAN_POST.replace("date: 2026-03-04 09:12:30 +0900", "date: 2026-03-05 09:12:30 +0900")
    f = only(check_text(tmp_path, post), "PD509")[0]
    assert "2026-03-05" in f.message.en and "2026-03-04" in f.message.en


def test_date_filename_not_for_drafts(tmp_path):
    post = CLEAN_POST.replace("date: 2026-03-04 09:12:30 +0900", "date: 2026-04-01 09:00:00 +0900")
    assert lines_of(check_text(tmp_path, post, name=DRAFT), "PD509") == []


# -- mutations of the clean post -----------------------------------------------------


@pytest.mark.parametrize("mutate,expected", [
    (lambda p: with_field(p, "title", None), [("PD503", 1)]),
    (lambda p: p.replace("2026-03-04 09:12:30 +0900", "2026-02-30 09:12:30 +0900"), [("PD504", 4)]),
    (lambda p: p.replace('author: "編集部"', 'author: "編集部'), None),  # broken YAML: PD502
    (lambda p: "", [("PD501", 1)]),
    (lambda p: b"\x00\x01binary\x00" * 50, [("PD500", 1)]),
    (lambda p: p.replace("\n", "\r\n"), []),
    (lambda p: b"\xef\xbb\xbf" + p.encode("utf-8"), []),
])
def test_mutations_of_the_clean_post(tmp_path, mutate, expected):
    findings = mine(check_text(tmp_path, mutate(CLEAN_POST)))
    if expected is None:
        assert [c for c, _ in findings] == ["PD502"]
    else:
        assert findings == expected


# -- fixes change only their field's line ------------------------------------------------


@pytest.mark.parametrize("code", ["PD505", "PD507", "PD508"])
def test_fix_changes_only_its_line(tmp_path, code):
    site, path = make_site(tmp_path, DAMAGED, config=TAXONOMY)
    engine = Engine(site)
    doc = Document.load(path)
    findings = [f for f in engine.check_document(doc, site.info_for(path)) if f.rule == code]
    for f in findings:
        if f.fix is None:
            continue
        fixed = doc.with_edits(f.fix.edits)
        assert changed_lines(doc.text, fixed.text) == [f.line], (code, f.message.en)
        diff = [d for d in difflib.ndiff(doc.text.split("\n"), fixed.text.split("\n")) if d[:1] in "+-"]
        assert len(diff) == 2


# -- the sample site ---------------------------------------------------------


def sample_clean_posts() -> list[Path]:
    """The sample site's posts that content/MANIFEST.md calls clean."""
    manifest = REPO / "content" / "MANIFEST.md"
    if not manifest.is_file():
        return []
    posts = sorted((REPO / "content" / "_posts").glob("*.md"))
    clean = []
    for line in manifest.read_text(encoding="utf-8").split("\n"):
        lowered = line.lower()
        if "clean" in lowered or "問題なし" in line or "クリーン" in line:
            clean += [p for p in posts if p.stem in line]
    return sorted(set(clean))


def test_sample_site_clean_posts_have_no_front_matter_findings():
    assert sample_clean_posts(), "content/MANIFEST.md lists the clean posts"
    site = Site(REPO / "content")
    engine = Engine(site, rules=MY_CODES)
    for path in sample_clean_posts():
        result = engine.check_path(path, site.info_for(path))
        assert mine(result.findings) == [], result.rel


# -- robustness --------------------------------------------------------------


ODD_VALUES = ["", "~", "null", "true", "0", "-3", "1e400", ".inf", ".nan", "2026-03-04", "2026-03-04 09:12:30",
              "2026-03-04T09:12:30+09:00", "'2026-13-45 99:99:99 +9999'", "[]", "{}", "[[]]", "[null]", "{a: b}",
              "[1, 2.5, true]", "'ROI 分析'", "/assets/x.png", "https://example.com/x.png", "'{stem}'", "|\n  block",
              "[ROI分析, ROI 分析, ＲＯＩ分析]", "'   '", "0x1F", "2026-03-04 25:61:00 +0900", "!!str 12"]
JSONISH = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
                       lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                       max_leaves=8)


def front_matter_rules(doc: Document, site: Site | None = None) -> list:
    engine = Engine(site, rules=MY_CODES)
    return engine.check_document(doc, site.info_for(doc.path) if site and doc.path else None)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.dictionaries(st.sampled_from(["layout", "title", "date", "categories", "tags", "author",
                                                "excerpt", "reading_time", "image", "1", "true"]),
                              st.sampled_from(ODD_VALUES) | JSONISH.map(lambda v: json.dumps(v, ensure_ascii=False)),
                              max_size=11))
def test_front_matter_rules_never_raise(values):
    text = "---\n" + "".join(f"{k}: {v}\n" for k, v in values.items()) + "---\n\n本文です。\n"
    try:
        doc = Document(text, path=Path("/nowhere/_posts/2026-03-04-1-x.md"))
    except ValueError:
        return  # document.py's own limit (impossible unquoted YAML dates), reported separately
    for f in front_matter_rules(doc):
        assert f.rule in MY_CODES and f.line >= 1 and f.message.ja and f.message.en


# -- the posts kept aside ------------------------------------------------------

ASIDE = REPO / "tests" / "fixtures" / "aside"


def aside_expected() -> dict:
    path = ASIDE / "expected.yml"
    if not path.is_file():
        return {}
    from ruamel.yaml import YAML
    return YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def aside_results():
    site = Site(ASIDE / "site")
    return {r.rel: r.findings for r in Engine(site, rules=MY_CODES).check_site()}


@pytest.mark.parametrize("entry", aside_expected().get("posts", []), ids=lambda e: e["file"])
def test_aside_posts(entry, aside_results):
    """The damage listed for PD5xx is found on its lines; PD5xx rules listed as
    must-not-fire stay silent."""
    assert aside_expected().get("variants"), "expected.yml lists the posts and their BOM/CRLF variants"
    found = aside_results[entry["file"]]
    for want in entry.get("findings", []):
        if want["rule"] in MY_CODES and "line" in want:
            assert want["line"] in lines_of(found, want["rule"]), want
    expected_count = {}
    for want in entry.get("findings", []):
        expected_count[want["rule"]] = expected_count.get(want["rule"], 0) + 1
    for code in MY_CODES:
        if code in entry.get("must_not_fire", []):
            assert lines_of(found, code) == [], (code, [f.message.en for f in only(found, code)])
        elif code in expected_count:
            assert len(only(found, code)) == expected_count[code], code


@pytest.mark.parametrize("variant", aside_expected().get("variants", []), ids=lambda v: v["file"])
def test_aside_bom_crlf_variant(tmp_path, variant):
    """Copied over its post, the BOM+CRLF copy gives that post's findings on the same lines."""
    import shutil
    site_copy = tmp_path / "site"
    shutil.copytree(ASIDE / "site", site_copy)
    target = site_copy / variant["same_as"]
    before = Engine(Site(site_copy), rules=MY_CODES).check_path(target).findings
    shutil.copyfile(ASIDE / variant["file"], target)
    site = Site(site_copy)
    after = Engine(site, rules=MY_CODES).check_path(target, site.info_for(target)).findings
    key = lambda fs: sorted((f.rule, f.line, f.message.en) for f in fs)  # noqa: E731
    assert key(after) == key(before)
